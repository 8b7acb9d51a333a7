// Prints what the page checks of every spec found (the JSON files harness.mjs writes to
// E2E_FINDINGS), grouped as a to-do list: console errors and CSP violations by text, axe-core
// violations by rule, horizontal overflow by page. Run by tests/e2e/run after the specs:
//
//   node tests/e2e/summary.mjs DIRECTORY
//
// Exits 0 whatever it finds (the specs already failed); non-zero only when it cannot read them.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? process.env.E2E_FINDINGS;
if (!dir) throw new Error('usage: node tests/e2e/summary.mjs FINDINGS_DIRECTORY');

const findings = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));

// A page is its path without the query values that change from run to run.
const pageOf = (url) => url.replace(/([?&](ticket|done|expired|return)=)[^&]*/g, '$1…');
const where = (f) => `${f.spec}/${f.label}`;
const group = (items, key) => {
  const map = new Map();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(item);
  }
  return map;
};
const unique = (values) => [...new Set(values)];

const consoleFindings = findings.filter((f) => ['console', 'pageerror', 'csp'].includes(f.kind));
const axeFindings = findings.filter((f) => f.kind === 'axe');
const overflowFindings = findings.filter((f) => f.kind === 'overflow');

if (findings.length === 0) {
  console.log('page checks: nothing found (no overflow, no axe violation, no console error)');
  process.exit(0);
}

// A CSP violation's place (" at FILE:LINE:COL") is listed, not part of what it is.
const cspAt = / at (\S+:\d+:\d+)/;
const consoleGroups = group(consoleFindings, (f) => `${f.kind}: ${f.text.replace(cspAt, '')}`);
console.log(`\nconsole errors, uncaught exceptions, CSP violations on varco's pages: ${consoleGroups.size} distinct`);
for (const [text, items] of consoleGroups) {
  console.log(`  - ${text}`);
  const places = unique(items.map((f) => cspAt.exec(f.text)?.[1]).filter(Boolean));
  if (places.length) console.log(`      at ${places.join(', ')}`);
  console.log(`      on ${unique(items.map((f) => pageOf(f.url))).join(', ')}`);
}

console.log(`\naxe-core violations by rule: ${unique(axeFindings.map((f) => f.id)).length} rule(s)`);
for (const [id, items] of group(axeFindings, (f) => f.id)) {
  console.log(`  - ${id} (${items[0].impact}): ${items[0].help}`);
  for (const [page, onPage] of group(items, (f) => pageOf(f.url))) {
    const widths = unique(onPage.flatMap((f) => f.widths)).sort((a, b) => a - b);
    const targets = unique(onPage.flatMap((f) => f.nodes.map((n) => n.target))).slice(0, 4);
    console.log(`      ${page} [${unique(onPage.map(where)).join(', ')}] at ${widths.join('/')} px: `
      + `${targets.join(' | ')}`);
  }
}

console.log(`\nhorizontal overflow: ${unique(overflowFindings.map((f) => pageOf(f.url))).length} page(s)`);
for (const [page, items] of group(overflowFindings, (f) => pageOf(f.url))) {
  console.log(`  - ${page} [${unique(items.map(where)).join(', ')}]`);
  for (const [width, atWidth] of group(items, (f) => f.width)) {
    const worst = atWidth.reduce((a, b) => (b.scrollWidth > a.scrollWidth ? b : a));
    console.log(`      ${width}px: scrollWidth ${worst.scrollWidth}; `
      + worst.offenders.slice(0, 4).map((o) => `${o.element}${o.count > 1 ? ` ×${o.count}` : ''} `
        + `(right ${o.right}px)`).join('; '));
  }
}
const stateFindings = findings.filter((f) => f.kind === 'state');
if (stateFindings.length) {
  console.log(`\nopen states (dropdowns, modals) lost on resize: ${stateFindings.length}`);
  for (const f of stateFindings) {
    console.log(`  - ${pageOf(f.url)} [${where(f)}] at ${f.width}${typeof f.width === 'number' ? 'px' : ''}: `
      + `${f.lost.join(', ')}`);
  }
}
console.log('');
