// Lighthouse on the Area Riservata's main pages, mobile and desktop: run by tests/e2e/run after
// the specs, with the same services (E2E_BASE_URL, ...).
//
// It logs in through the demo SPID IdP with playwright (harness.mjs spidLogin), takes the session
// cookie, starts Debian's Chromium headless with a DevTools port (no sandbox, offline flags, a dead
// proxy for anything that is not 127.0.0.1), sets the cookie there and runs Lighthouse on each
// page with its default (mobile) configuration and its desktop one. It prints a table, writes it
// to docs/lighthouse.md and, with E2E_LIGHTHOUSE=enforce (the default), exits 1 unless every row
// has accessibility = 100, best-practices >= 95 and performance >= 95. E2E_LIGHTHOUSE=report
// prints and writes the same, and exits 0 unless Lighthouse could not run at all.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  assert, base, chromiumFlags, closeBrowser, newContext, requireWeb, spidLogin,
} from './harness.mjs';

const mode = process.env.E2E_LIGHTHOUSE || 'enforce';
if (!['enforce', 'report'].includes(mode)) throw new Error(`E2E_LIGHTHOUSE=${mode}: enforce or report`);
const root = process.env.E2E_ROOT;
const chromiumPath = process.env.E2E_CHROMIUM;
const user = 'RSSMRA80A01H501U';

// [path, logged in]: /login first, before the browser gets the session cookie.
const pages = [
  ['/login', false],
  ['/area', true],
  ['/area/environment?product=prod-pagopa', true],
  ['/area/users', true],
  ['/area/support', true],
];
const categories = ['performance', 'accessibility', 'best-practices'];
const targets = { performance: 95, accessibility: 100, 'best-practices': 95 };

const lighthouseDir = path.dirname(requireWeb.resolve('lighthouse/package.json'));
const lighthouseVersion = JSON.parse(fs.readFileSync(path.join(lighthouseDir, 'package.json'), 'utf8')).version;
const { default: lighthouse } = await import(pathToFileURL(path.join(lighthouseDir, 'core/index.js')).href);
const { default: desktopConfig } = await import(
  pathToFileURL(path.join(lighthouseDir, 'core/config/desktop-config.js')).href);
const { default: puppeteer } = await import(pathToFileURL(requireWeb.resolve('puppeteer-core')).href);

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// --- the session: a SPID login in playwright's browser -------------------------------------------

async function sessionCookie() {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const acs = await spidLogin(page, user, { checks: false });
    assert.equal(acs.status(), 303, 'the ACS accepted the login');
    const cookie = (await context.cookies(base)).find((c) => /varco_session$/.test(c.name));
    assert.ok(cookie, 'a session cookie after the login');
    return cookie;
  } finally {
    await context.close();
    await closeBrowser();
  }
}

// --- Chromium with a DevTools port -----------------------------------------------------------------

async function startChromium() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'varco-lighthouse-'));
  const log = fs.openSync(path.join(profile, 'chromium.log'), 'w');
  const args = [
    '--headless=new', '--no-sandbox', '--remote-debugging-port=0', `--user-data-dir=${profile}`,
    ...chromiumFlags,
    // Anything but 127.0.0.1 (which Chromium never proxies) fails at once: the pages under test
    // must not need the internet, and a request that tries shows up as failed in the report.
    '--proxy-server=http://127.0.0.1:9',
    'about:blank',
  ];
  // Its own process group: stopped as a whole (the Debian wrapper script execs the browser,
  // which starts its helpers).
  const child = spawn(chromiumPath, args, { detached: true, stdio: ['ignore', log, log] });
  let exited = false;
  child.on('exit', () => { exited = true; });
  const portFile = path.join(profile, 'DevToolsActivePort');
  const until = Date.now() + 30_000;
  let port;
  while (!port) {
    if (exited) throw new Error(`Chromium exited: ${fs.readFileSync(path.join(profile, 'chromium.log'), 'utf8')}`);
    if (Date.now() > until) throw new Error('Chromium did not open its DevTools port in 30 s');
    if (fs.existsSync(portFile)) port = Number(fs.readFileSync(portFile, 'utf8').split('\n')[0]) || undefined;
    if (!port) await sleep(100);
  }
  const version = await (await fetch(`http://127.0.0.1:${port}/json/version`)).json();
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch { /* already gone */ }
      for (let i = 0; i < 50 && !exited; i += 1) await sleep(100);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch { /* already gone */ }
      }
    }
    fs.closeSync(log);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { port, browserVersion: version.Browser, stop };
}

async function setCookie(port, cookie) {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
  try {
    const page = await browser.newPage();
    await page.setCookie({
      name: cookie.name, value: cookie.value, url: base, path: '/', httpOnly: true, sameSite: 'Lax',
    });
    await page.close();
  } finally {
    await browser.disconnect();
  }
}

// --- one Lighthouse run, summarised --------------------------------------------------------------

const pct = (score) => (score === null || score === undefined ? null : Math.round(score * 100));

// URLs on varco's origin printed as paths (the port changes from run to run).
const local = (text) => String(text).split(base).join('');

// The audits of a category that lost points, those that cost the most first (weight × lost
// score; then the unweighted ones, lowest score first): {id, title, score, value, items}.
function failingAudits(lhr, category, limit) {
  return lhr.categories[category].auditRefs
    .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
    .filter(({ audit }) => audit && audit.score !== null && audit.score < 1
      && ['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode))
    .filter(({ ref, audit }) => ref.weight > 0 || audit.score < 0.9)
    .sort((a, b) => b.ref.weight * (1 - b.audit.score) - a.ref.weight * (1 - a.audit.score)
      || a.audit.score - b.audit.score)
    .slice(0, limit)
    .map(({ ref, audit }) => ({
      id: audit.id,
      title: audit.title,
      score: pct(audit.score),
      value: audit.displayValue ?? '',
      metric: ref.group === 'metrics',
      savings: [audit.details?.overallSavingsMs ?? 0, audit.details?.overallSavingsBytes ?? 0],
      items: (audit.details?.items ?? []).slice(0, 3).map((item) => local(item.node?.snippet ?? item.url
        ?? item.source?.url ?? item.description ?? item.reason ?? item.issueType ?? '')).filter(Boolean),
    }));
}

async function measure(port, pagePath, profile) {
  const url = `${base}${pagePath}`;
  const flags = { port, output: 'json', logLevel: 'error', onlyCategories: categories };
  const result = await lighthouse(url, flags, profile === 'desktop' ? desktopConfig : undefined);
  const { lhr } = result;
  const scores = Object.fromEntries(categories.map((c) => [c, pct(lhr.categories[c]?.score)]));
  const below = categories.filter((c) => scores[c] === null || scores[c] < targets[c]);
  const failing = Object.fromEntries(categories.map((c) => [c, failingAudits(lhr, c, 20)]));
  const external = (lhr.audits['network-requests']?.details?.items ?? [])
    .map((item) => item.url).filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
  const finalUrl = lhr.finalDisplayedUrl ?? lhr.finalUrl;
  return {
    page: pagePath, profile, scores, below, failing, external,
    error: lhr.runtimeError?.message ?? null,
    warnings: lhr.runWarnings ?? [],
    redirected: finalUrl !== url ? finalUrl : null,
    lighthouseVersion: lhr.lighthouseVersion,
    userAgent: lhr.environment?.hostUserAgent,
  };
}

// --- report --------------------------------------------------------------------------------------

const short = (audits, limit) => audits.slice(0, limit)
  .map((a) => `${a.id} (${a.score}${a.value ? `, ${a.value.replace(/^Potential savings of /, '−')}` : ''})`)
  .join(', ');

// "below target" cell: for each category below its target, its heaviest failing audits; for
// performance the metrics that lost points, then what would save the most (time, then bytes).
function belowCell(row, limit) {
  if (row.error) return `error: ${row.error}`;
  return row.below.map((c) => {
    if (c !== 'performance') return `${c}: ${short(row.failing[c], limit) || '?'}`;
    const metrics = row.failing[c].filter((a) => a.metric && a.score < 90)
      .map((a) => `${a.id} ${a.value}`).join(', ');
    const causes = row.failing[c].filter((a) => !a.metric)
      .sort((a, b) => b.savings[0] - a.savings[0] || b.savings[1] - a.savings[1] || a.score - b.score);
    return `${c}: ${metrics || 'metrics ok'}; causes: ${short(causes, limit) || '?'}`;
  }).join('; ');
}

function printTable(rows) {
  const head = ['page', 'profile', 'perf', 'a11y', 'best-pr', 'below target: top failing audits'];
  const lines = rows.map((r) => [r.page, r.profile, ...categories.map((c) => String(r.scores[c] ?? '-')),
    belowCell(r, 3) || 'ok']);
  const widths = head.slice(0, 5).map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i < 5 ? (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])) : c))
    .join('  ');
  console.log(fmt(head));
  for (const l of lines) console.log(fmt(l));
}

function gitDescription() {
  try {
    const git = (...args) => execFileSync('git', ['-C', root, ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${commit}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function varcoVersion() {
  try {
    return execFileSync(process.env.E2E_VARCO, ['--version']).toString().trim();
  } catch {
    return 'varco';
  }
}

function writeMarkdown(rows, browserVersion, failed) {
  const md = [];
  const when = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  md.push('# Lighthouse', '');
  md.push('Generated by `tests/e2e/lighthouse.mjs`, which `tests/e2e/run` runs after the end-to-end specs');
  md.push('(`E2E_LIGHTHOUSE=enforce`, the default, fails the run below the targets; `report` only writes');
  md.push('this file; `off` skips it). Do not edit by hand: run `E2E_LIGHTHOUSE=report tests/e2e/run` again.', '');
  md.push(`- date: ${when}`);
  md.push(`- Lighthouse ${lighthouseVersion} (npm, pinned in web/package-lock.json), ${browserVersion}`
    + ' (Debian\'s /usr/bin/chromium, `--headless=new --no-sandbox`)');
  md.push(`- ${varcoVersion()}, source tree at ${gitDescription()}; the demo configuration (demo/varco.yaml`
    + ' as tests/e2e/run renders it), everything on 127.0.0.1');
  md.push(`- logged-in pages as Mario Rossi (${user}, Amministratore of Comune di Valdoria) after a login`
    + ' through the demo SPID IdP; /login without a session');
  md.push('- mobile: Lighthouse\'s default configuration (Moto G Power emulation, simulated slow 4G and 4× CPU);'
    + ' desktop: `lighthouse/core/config/desktop-config.js`');
  md.push(`- targets: accessibility = ${targets.accessibility}, best practices ≥ ${targets['best-practices']},`
    + ` performance ≥ ${targets.performance} on every row: ${failed ? '**not met**' : 'met'}`, '');
  md.push('| page | profile | performance | accessibility | best practices | below target: top failing audits |');
  md.push('|---|---|--:|--:|--:|---|');
  for (const r of rows) {
    const cell = (c) => {
      const s = r.scores[c];
      if (s === null) return '–';
      return s < targets[c] ? `**${s}**` : String(s);
    };
    const below = belowCell(r, 4).replace(/\|/g, '\\|') || '';
    md.push(`| \`${r.page}\` | ${r.profile} | ${cell('performance')} | ${cell('accessibility')} | `
      + `${cell('best-practices')} | ${below} |`);
  }
  md.push('', '## Failing audits', '');
  md.push('Every audit that lost points, per page and profile, heaviest first (score, value; up to three');
  md.push('elements or URLs).', '');
  for (const r of rows) {
    md.push(`### \`${r.page}\`, ${r.profile}`, '');
    if (r.error) md.push(`- Lighthouse error: ${r.error}`);
    if (r.redirected) md.push(`- redirected to ${local(r.redirected)}`);
    if (r.external.length) md.push(`- requests outside 127.0.0.1: ${r.external.join(', ')}`);
    for (const w of r.warnings) md.push(`- warning: ${String(w).replace(/\s+/g, ' ')}`);
    let any = false;
    for (const c of categories) {
      for (const a of r.failing[c]) {
        any = true;
        const items = a.items.length ? `: ${a.items.map((i) => `\`${String(i).replace(/`/g, "'").slice(0, 120)}\``).join(', ')}` : '';
        md.push(`- ${c} · \`${a.id}\` (${a.score}${a.value ? `, ${a.value}` : ''}) ${a.title}${items}`);
      }
    }
    if (!any && !r.error) md.push('- none');
    md.push('');
  }
  const file = path.join(root, 'docs', 'lighthouse.md');
  fs.writeFileSync(file, `${md.join('\n').replace(/\n+$/, '')}\n`);
  return file;
}

// --- main ------------------------------------------------------------------------------------------

let chromium;
let exitCode = 0;
try {
  console.log(`- Lighthouse ${lighthouseVersion} (${mode}) on ${pages.length} pages × mobile, desktop`);
  const cookie = await sessionCookie();
  console.log(`  ok   logged in as ${user} (${seconds()})`);
  chromium = await startChromium();
  console.log(`  ok   ${chromium.browserVersion} on DevTools port ${chromium.port}`);
  const rows = [];
  let cookieSet = false;
  for (const [pagePath, loggedIn] of pages) {
    if (loggedIn && !cookieSet) {
      await setCookie(chromium.port, cookie);
      cookieSet = true;
    }
    for (const profile of ['mobile', 'desktop']) {
      const row = await measure(chromium.port, pagePath, profile);
      rows.push(row);
      const scores = categories.map((c) => `${c} ${row.scores[c] ?? '-'}`).join(', ');
      console.log(`  ${row.below.length || row.error ? 'low ' : 'ok  '} ${pagePath} ${profile}: ${scores} (${seconds()})`);
      if (row.redirected) console.log(`       redirected to ${local(row.redirected)}`);
      if (row.external.length) console.log(`       requests outside 127.0.0.1: ${row.external.join(', ')}`);
      if (row.error) console.log(`       Lighthouse error: ${row.error}`);
    }
  }
  const failed = rows.some((r) => r.below.length > 0 || r.error);
  console.log('');
  printTable(rows);
  const file = writeMarkdown(rows, chromium.browserVersion, failed);
  console.log(`\n  wrote ${path.relative(root, file)} (${seconds()})`);
  if (failed && mode === 'enforce') {
    console.log('lighthouse: below target (accessibility 100, best-practices >= 95, performance >= 95)');
    exitCode = 1;
  } else {
    console.log(failed ? 'lighthouse: below target, reported only (E2E_LIGHTHOUSE=report)' : 'lighthouse: all passed');
  }
} catch (error) {
  console.log(`  FAIL ${String(error.stack ?? error).split('\n').slice(0, 6).join('\n       ')}`);
  exitCode = 1;
} finally {
  await chromium?.stop();
}
process.exitCode = exitCode;
// Lighthouse may leave a socket or timer behind: do not wait for it (output is flushed by then).
setTimeout(() => process.exit(exitCode), 2000).unref();
