// A tiny test harness for the e2e specs: scenarios made of named steps, printed as they run, with
// screenshots, a layout check and an axe-core check of every page, and the browser console watched
// on every page. Exits non-zero when anything failed.
// The environment comes from tests/e2e/run (E2E_BASE_URL, E2E_IDP_NAME, E2E_CHROMIUM, ...).
//
// What checkPage enforces on varco's own pages (see its comment): at 360, 390, 768 and 1280 px no
// horizontal overflow and no axe-core violation of any impact; screenshots at 390 and 1280 px.
// On every page of varco's origin (except the product paths it proxies, E2E_PRODUCT_PREFIXES):
// no console error, no uncaught exception and no Content-Security-Policy violation. The browser
// context does not bypass the CSP, so what the CSP blocks shows up.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the specs through tests/e2e/run`);
  return value;
};

export const base = env('E2E_BASE_URL');
export const idpName = env('E2E_IDP_NAME');
const root = env('E2E_ROOT');
const screenshots = env('E2E_SCREENSHOTS');
// Optional: a directory where each spec writes its findings as JSON (tests/e2e/summary.mjs reads
// them and prints the to-do list of the whole run).
const findingsDir = process.env.E2E_FINDINGS ?? '';
// Path prefixes of the products varco proxies (demo portals: third-party pages, not enforced).
const productPrefixes = (process.env.E2E_PRODUCT_PREFIXES ?? '').split(/\s+/).filter(Boolean);
// The packages live in web/node_modules, not on node's lookup path from tests/e2e/.
export const requireWeb = createRequire(path.join(root, 'web', 'package.json'));
const { chromium } = requireWeb('playwright-core');
// Injected with Runtime.evaluate (page.evaluate of the source text): no <script> element, so
// varco's Content-Security-Policy (no inline scripts) does not get in the way.
const axeSource = fs.readFileSync(requireWeb.resolve('axe-core/axe.min.js'), 'utf8');

// Chromium flags for a browser that talks to 127.0.0.1 only (tests/e2e/lighthouse.mjs uses them too).
export const chromiumFlags = [
  '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

// The viewport widths every own page is checked at, and those that also get a screenshot.
export const widths = [360, 390, 768, 1280];
const screenshotWidths = new Set([390, 1280]);
const viewportHeight = 800;

export { assert };

const specName = path.basename(process.argv[1]).replace(/(\.spec)?\.mjs$/, '');
let failures = 0;
let shot = 0;
// Everything found, for the run's summary: {kind, spec, label, url, ...}.
const findings = [];

const elapsed = (start) => `${Date.now() - start} ms`;

// step(name, fn): runs one step; a failure is printed and ends the scenario (later steps depend
// on the page this one left).
export async function step(name, fn) {
  const start = Date.now();
  try {
    const result = await fn();
    console.log(`  ok   ${name} (${elapsed(start)})`);
    return result;
  } catch (error) {
    console.log(`  FAIL ${name} (${elapsed(start)})`);
    throw error;
  }
}

const baseOrigin = new URL(base).origin;
// How a URL is printed: a path on varco's origin, else without its query (SAML messages).
const pathOf = (url) => {
  try {
    const u = new URL(url);
    if (u.origin !== baseOrigin) return `${u.origin}${u.pathname}`;
    return u.search.length > 80 ? `${u.pathname}${u.search.slice(0, 80)}…` : `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
};

// True for a page varco renders itself: its origin, and not under a proxied product's prefix.
export function isVarcoPage(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.origin !== baseOrigin) return false;
  return !productPrefixes.some((p) => u.pathname === p || u.pathname.startsWith(`${p}/`));
}

// --- console errors, uncaught exceptions and CSP violations -------------------------------------

// One watcher per browser context: what the pages reported since the last flush.
const watchers = [];
const watcherOf = new WeakMap();

function watchPage(page, watcher) {
  // Main-frame documents answered with an error status on purpose (a 403 page, a 400 page): the
  // console line Chromium prints for that status is the page's HTTP status, which the spec
  // asserts, not an error of the page.
  const documentStatus = new Map();
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      documentStatus.set(response.url(), response.status());
    }
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location()?.url || '';
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
    if (status && documentStatus.get(where) === Number(status[1])) return;
    watcher.record(page, 'console', text + (where && where !== page.url() ? ` (${pathOf(where)})` : ''));
  });
  page.on('pageerror', (error) => {
    const frame = String(error.stack ?? '').split('\n').find((l) => /^\s+at /.test(l));
    watcher.record(page, 'pageerror', `${error.name}: ${error.message}${frame ? ` ${frame.trim()}` : ''}`);
  });
}

async function watchContext(context) {
  const watcher = {
    problems: [],
    record(page, kind, text) {
      const url = page.url();
      // data: URLs (inline fonts, images) shortened to their type, varco's URLs to their path.
      const short = text.replace(/data:([\w/+.-]*)[;,][^\s'"]{40,}/g, 'data:$1,…').split(baseOrigin).join('');
      this.problems.push({ kind, text: short, url, own: isVarcoPage(url) });
    },
  };
  watchers.push(watcher);
  watcherOf.set(context, watcher);
  // securitypolicyviolation events, reported from every document to node as they happen (the
  // binding and the init script are CDP commands, not subject to the page's CSP).
  await context.exposeBinding('__varcoCspViolation', ({ page }, v) => {
    const blocked = v.blockedURI && v.blockedURI !== 'inline' ? v.blockedURI : `inline ${v.directive}`;
    const sample = v.sample ? ` "${v.sample.slice(0, 60)}"` : '';
    const source = v.sourceFile ? ` at ${pathOf(v.sourceFile)}:${v.lineNumber}:${v.columnNumber}` : '';
    watcher.record(page, 'csp', `CSP ${v.disposition} ${v.directive} blocked ${pathOf(blocked)}${source}${sample}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // eslint-disable-next-line no-underscore-dangle
      window.__varcoCspViolation?.({
        directive: e.effectiveDirective || e.violatedDirective,
        blockedURI: e.blockedURI,
        sourceFile: e.sourceFile,
        lineNumber: e.lineNumber,
        columnNumber: e.columnNumber,
        sample: e.sample,
        disposition: e.disposition,
      });
    }, true);
  });
  context.on('page', (page) => watchPage(page, watcher));
  return watcher;
}

// Reports (and forgets) what the watched contexts collected (those of `only` if given); returns
// the count on own pages. Alone (standalone: true) it counts a failure itself.
function flushConsole(label, { standalone = true, only = null } = {}) {
  let own = 0;
  for (const watcher of only ? [only].filter(Boolean) : watchers) {
    const problems = watcher.problems.splice(0);
    const seen = new Map();
    for (const p of problems) {
      const key = `${p.own}\u0000${p.kind}\u0000${p.text}\u0000${pathOf(p.url)}`;
      if (seen.has(key)) seen.get(key).count += 1;
      else seen.set(key, { ...p, count: 1 });
    }
    for (const p of seen.values()) {
      const times = p.count > 1 ? ` (×${p.count})` : '';
      if (p.own) {
        own += 1;
        console.log(`       ${p.kind} on ${pathOf(p.url)}${times}: ${p.text}`);
        findings.push({ kind: p.kind, spec: specName, label, url: pathOf(p.url), text: p.text });
      } else {
        console.log(`       ${p.kind} on ${pathOf(p.url)}${times} (demo page, not enforced): ${p.text}`);
      }
    }
  }
  if (own > 0 && standalone) {
    failures += 1;
    console.log(`  FAIL console errors / CSP violations before ${label}`);
  }
  return own;
}

// --- page checks ----------------------------------------------------------------------------------

// Waits until a resize has been laid out: fonts, two animation frames, running transitions.
async function settle(page) {
  await page.evaluate(async () => {
    await document.fonts?.ready;
    await new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); });
    const running = document.getAnimations().filter((a) => a.playState === 'running'
      && a.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.race([
      Promise.all(running.map((a) => a.finished.catch(() => {}))),
      new Promise((resolve) => { setTimeout(resolve, 1000); }),
    ]);
  });
}

// Horizontal overflow: null, or {scrollWidth, innerWidth, offenders} with the elements whose right
// edge is beyond the viewport (not clipped by a scrolling/hidden ancestor), the innermost of each
// chain that shares a right edge, widest first.
async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const sw = document.documentElement.scrollWidth;
    if (sw <= vw) return null;
    const name = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) return `${s}#${el.id}`;
      const classes = [...el.classList].slice(0, 3);
      if (classes.length) s += `.${classes.join('.')}`;
      return s;
    };
    const describe = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        parts.unshift(name(e));
        if (e.id) break;
      }
      return parts.join(' > ');
    };
    // Clipped by an ancestor that scrolls or hides its overflow and ends inside the viewport; only
    // the ancestors on the containing-block chain clip (an absolutely positioned box escapes the
    // overflow of the static ancestors between it and its positioned one).
    const clipped = (el) => {
      let position = getComputedStyle(el).position;
      if (position === 'fixed') return false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        const containing = style.position !== 'static' || style.transform !== 'none';
        if (position === 'absolute' && !containing) continue;
        if (style.overflowX !== 'visible' && a.getBoundingClientRect().right <= vw + 0.5) return true;
        position = style.position;
        if (position === 'fixed') return false;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const right = r.right + window.scrollX;
      if (right <= vw + 0.5) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (clipped(el)) continue;
      out.push({ el, right });
    }
    // Drop an element when a descendant sticks out exactly as far: the descendant is the one.
    const kept = out.filter(({ el, right }) => !out.some(
      (o) => o.el !== el && el.contains(o.el) && Math.abs(o.right - right) < 1));
    kept.sort((a, b) => b.right - a.right);
    // What no element explains (a pseudo-element, a box shadow, a transform): said so.
    const widest = kept.length ? kept[0].right : vw;
    // The same kind of element (same path) once, with how many there are.
    const offenders = new Map();
    for (const { el, right } of kept) {
      const element = describe(el);
      if (offenders.has(element)) {
        offenders.get(element).count += 1;
        continue;
      }
      offenders.set(element, {
        element,
        right: Math.round(right),
        width: Math.round(el.getBoundingClientRect().width),
        text: (el.innerText ?? '').trim().replace(/\s+/g, ' ').slice(0, 40),
        count: 1,
      });
    }
    return {
      unexplained: sw > widest + 1 ? Math.round(sw) : null,
      scrollWidth: sw,
      innerWidth: vw,
      offenders: [...offenders.values()].slice(0, 6),
    };
  });
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  return page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }));
}

// What is open on the page: open dropdowns, modals, offcanvas and collapses, expanded toggles,
// counted only while rendered (a menu inside a part of the page hidden at this width is not open).
async function openState(page) {
  return page.evaluate(() => {
    const kinds = {
      dropdown: '.dropdown-menu.show', modal: '.modal.show', offcanvas: '.offcanvas.show',
      collapse: '.collapse.show', expanded: '[aria-expanded="true"]',
    };
    const rendered = (el) => el.checkVisibility?.({ visibilityProperty: true }) ?? el.getClientRects().length > 0;
    // Named by what it is and its id (or the id of what labels it), not by its classes, which a
    // responsive script may change.
    const name = (el) => {
      const s = el.tagName.toLowerCase();
      if (el.id) return `${s}#${el.id}`;
      const by = el.getAttribute('aria-labelledby');
      if (by) return `${s}[aria-labelledby=${by}]`;
      return `${s}.${[...el.classList].filter((c) => c !== 'show').join('.')}`;
    };
    return Object.entries(kinds).flatMap(([kind, selector]) => [...document.querySelectorAll(selector)]
      .filter(rendered).map((el) => `${kind} ${name(el)}`));
  });
}

// checkPage(page, label, {own, keepState, prepare}): checks the page as it is now.
//
// On varco's own pages (own: true) at each of 360, 390, 768 and 1280 px (height 800): resize, wait
// for the layout, call prepare(page) if given (to re-open what the resize closed), then fail on
// horizontal overflow (documentElement.scrollWidth > innerWidth; the elements sticking out are
// printed) and on any axe-core violation, whatever its impact; a full-page screenshot at 390 and
// 1280 px (<spec>-<NN>-<label>-<width>.png). The original viewport is restored afterwards, so the
// scenario goes on as before. With keepState (implied by prepare) whatever was open before the
// check (dropdown, modal, collapse) must still be open at every width and after the check. `only`
// (a list of widths) restricts the check to those.
//
// On demo pages (own: false: the IdP, the product portals) the same screenshots, and axe once at
// the original viewport, printed but not enforced.
//
// Either way, the console errors, uncaught exceptions and CSP violations that the page's browser
// context collected since its last check are reported; any on a varco page is a failure.
export async function checkPage(page, label,
  { own = true, keepState = false, prepare = null, only = null } = {}) {
  shot += 1;
  const prefix = `${specName}-${String(shot).padStart(2, '0')}-${label}`;
  const original = page.viewportSize();
  const watchState = keepState || prepare !== null;
  const before = watchState ? await openState(page) : [];
  if (watchState && before.length === 0) {
    throw new Error(`checkPage ${label}: keepState/prepare given but nothing is open on the page`);
  }
  const url = page.url();
  const problems = [];
  // rule id → {impact, help, helpUrl, widths, nodes}
  const violations = new Map();

  if (!own) {
    const results = await runAxe(page);
    const ids = results.violations.map((v) => `${v.id} (${v.impact})`);
    console.log(`       axe ${label}: ${ids.length} violation(s)${ids.length ? `: ${ids.join(', ')}` : ''}`
      + ' (demo page, not enforced)');
    for (const width of screenshotWidths) {
      await page.setViewportSize({ width, height: viewportHeight });
      await settle(page);
      await page.screenshot({ path: path.join(screenshots, `${prefix}-${width}.png`), fullPage: true });
    }
    if (original) await page.setViewportSize(original);
    flushConsole(label, { only: watcherOf.get(page.context()) });
    return;
  }

  // After a resize: re-open what `prepare` opens, then report what was open before and is not now.
  const restoreState = async (width, what) => {
    await settle(page);
    if (prepare) {
      await prepare(page);
      await settle(page);
    }
    if (!watchState) return;
    const now = await openState(page);
    const lost = before.filter((s) => !now.includes(s));
    if (lost.length) {
      problems.push(`${what}: ${lost.join(', ')}`);
      findings.push({ kind: 'state', spec: specName, label, url: pathOf(url), width, lost });
    }
  };

  // `only`: a state that exists at some widths only (a desktop dropdown whose phone form is the
  // menu panel) is checked at those.
  for (const width of only ?? widths) {
    await page.setViewportSize({ width, height: viewportHeight });
    await restoreState(width, `${width}px: no longer open after the resize`);
    const overflow = await horizontalOverflow(page);
    if (overflow) {
      problems.push(`${width}px: horizontal overflow, scrollWidth ${overflow.scrollWidth} > `
        + `innerWidth ${overflow.innerWidth}; widest offenders:`);
      if (overflow.unexplained) {
        problems.push(`    (no element box reaches ${overflow.unexplained}px: a pseudo-element, shadow or transform)`);
      }
      for (const o of overflow.offenders) {
        problems.push(`    ${o.element}${o.count > 1 ? ` (×${o.count})` : ''} right=${o.right}px width=${o.width}px`
          + `${o.text ? ` "${o.text}"` : ''}`);
      }
      findings.push({ kind: 'overflow', spec: specName, label, url: pathOf(url), width, ...overflow });
    }
    const results = await runAxe(page);
    for (const v of results.violations) {
      const entry = violations.get(v.id) ?? {
        impact: v.impact, help: v.help, helpUrl: v.helpUrl, widths: [],
        nodes: v.nodes.slice(0, 5).map((n) => ({
          target: n.target.join(' '), summary: n.failureSummary.replace(/\s+/g, ' '),
        })),
        count: v.nodes.length,
      };
      entry.widths.push(width);
      violations.set(v.id, entry);
    }
    if (screenshotWidths.has(width)) {
      // A full-page screenshot resizes the viewport, which can restart an animation (Popper
      // places an open dropdown again, and Bootstrap Italia fades it in anew): finished first,
      // so the picture shows the state that was checked.
      await page.screenshot({
        path: path.join(screenshots, `${prefix}-${width}.png`), fullPage: true, animations: 'disabled',
      });
    }
  }
  if (original) await page.setViewportSize(original);
  await restoreState('restored', 'after the check: no longer open');

  for (const [id, v] of violations) {
    const at = v.widths.length === widths.length ? 'all widths' : `${v.widths.join(', ')} px`;
    console.log(`       axe ${v.impact} ${id} on ${label} (${pathOf(url)}) at ${at}, ${v.count} node(s): ${v.help}`);
    for (const node of v.nodes) console.log(`         ${node.target}: ${node.summary}`);
    findings.push({
      kind: 'axe', spec: specName, label, url: pathOf(url), id, impact: v.impact, help: v.help,
      widths: v.widths, count: v.count, nodes: v.nodes,
    });
  }
  for (const p of problems) console.log(`       ${p}`);
  const consoleProblems = flushConsole(label, { standalone: false, only: watcherOf.get(page.context()) });
  const summary = `${violations.size} axe rule(s) violated, `
    + `${problems.filter((p) => !p.startsWith('    ')).length} layout problem(s), `
    + `${consoleProblems} console error(s)/CSP violation(s)`;
  if (violations.size > 0 || problems.length > 0 || consoleProblems > 0) {
    failures += 1;
    console.log(`  FAIL checks on ${label}: ${summary}`);
  } else {
    console.log(`  ok   checks on ${label} (${widths.join(', ')} px)`);
  }
}

// --- browser, contexts, scenarios ---------------------------------------------------------------

let browser;
export async function launchBrowser() {
  browser ??= await chromium.launch({
    executablePath: env('E2E_CHROMIUM'), headless: true, args: chromiumFlags,
  });
  return browser;
}

export async function closeBrowser() {
  await browser?.close();
  browser = undefined;
}

// A browser context as every scenario gets one (a second user in the same scenario opens another).
// The page's Content-Security-Policy applies (no bypassCSP): its violations are failures.
export async function newContext() {
  await launchBrowser();
  const context = await browser.newContext({ locale: 'it-IT' });
  context.setDefaultTimeout(10_000);
  await watchContext(context);
  return context;
}

// scenario(name, fn): a fresh browser context (no cookies) per scenario; fn gets {context, page}.
export async function scenario(name, fn) {
  console.log(`- ${name}`);
  const context = await newContext();
  const page = await context.newPage();
  try {
    await fn({ context, page, newContext });
  } catch (error) {
    failures += 1;
    console.log(`       ${String(error.stack ?? error).split('\n').slice(0, 6).join('\n       ')}`);
    await page.screenshot({ path: path.join(screenshots, `${specName}-failure.png`), fullPage: true })
      .catch(() => {});
  } finally {
    // What the pages reported after the last check (pages that were not checked included).
    flushConsole(`the end of "${name}"`);
    watchers.length = 0;
    await context.close();
  }
}

export async function finish() {
  await closeBrowser();
  if (findingsDir) {
    fs.mkdirSync(findingsDir, { recursive: true });
    fs.writeFileSync(path.join(findingsDir, `${specName}.json`), JSON.stringify(findings, null, 1));
  }
  console.log(failures ? `${specName}: ${failures} failure(s)` : `${specName}: all passed`);
  process.exitCode = failures ? 1 : 0;
}

// --- shared flows ------------------------------------------------------------------------------

// chooseSpidIdp(page): on the login page, "Entra con SPID" opens the list of identity providers
// (checked open as a state of its own), then the demo IdP → its login form.
export async function chooseSpidIdp(page, checks = true) {
  await step('"Entra con SPID" opens the identity providers', async () => {
    await page.locator('#spid-button').click();
    await page.locator('#spid-idps a', { hasText: idpName }).waitFor();
  });
  if (checks) {
    await checkPage(page, 'login-spid-open', {
      keepState: true,
      prepare: async (p) => {
        if (!(await p.locator('#spid-idps').isVisible())) await p.locator('#spid-button').click();
      },
    });
  }
  await step(`choose "${idpName}" → the IdP's login form`, async () => {
    if (!(await page.locator('#spid-idps').isVisible())) await page.locator('#spid-button').click();
    await page.locator('#spid-idps a', { hasText: idpName }).click();
    await page.locator('#login-form').waitFor();
  });
}

// logOut(page): the user menu, then Esci.
export async function logOut(page) {
  await page.locator('#user-menu').click();
  await page.locator('#logout-button').click();
}

// spidLogin(page, fiscalNumber, {anomaly, returnPath, checks}): /login → the demo IdP → its login
// form → back at varco's ACS. Returns the ACS response (its status says whether varco accepted
// the login). checks: false skips the checkPage of the login page and of the IdP's form.
export async function spidLogin(page, fiscalNumber,
  { anomaly = null, returnPath = null, checks = true } = {}) {
  await step('open /login', async () => {
    const url = returnPath ? `${base}/login?return=${encodeURIComponent(returnPath)}` : `${base}/login`;
    const response = await page.goto(url);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('h1').first().innerText(), "Accedi all'Area Riservata");
    const cie = page.locator('#cie-button');
    assert.ok(await cie.isDisabled(), 'the CIE button is disabled');
    assert.match(await cie.innerText(), /Entra con CIE/);
    assert.match(await page.locator('#cie-soon').innerText(), /Presto disponibile/);
  });
  if (checks) await checkPage(page, 'login');
  await chooseSpidIdp(page, checks);
  if (checks) await checkPage(page, 'idp-form', { own: false });
  return step(`log in as ${fiscalNumber}${anomaly ? ` answering ${anomaly}` : ''}`, async () => {
    await page.locator(`#login-form input[name=user][value="${fiscalNumber}"]`).check();
    if (anomaly) {
      await page.locator('#login-form select[name=risposta]').selectOption(anomaly);
    } else {
      await page.locator('#login-form input[name=password]').fill('password');
    }
    const acs = page.waitForResponse((r) => new URL(r.url()).pathname === '/saml/acs');
    await page.locator('#login-form button[type=submit]').click();
    const response = await acs;
    await page.waitForLoadState('load');
    return response;
  });
}

// The ids of the product cards in a section of the Panoramica (#active or #available).
export async function productIds(page, section) {
  return page.locator(`${section} [data-product]`).evaluateAll(
    (cards) => cards.map((c) => c.getAttribute('data-product')));
}

// The JWT claims a demo portal shows (it verified the token against varco's JWKS).
export async function portalClaims(page) {
  const heading = page.locator('h2', { hasText: 'Claims del JWT' });
  assert.equal(await heading.count(), 1, 'the portal received an identity token');
  return JSON.parse(await heading.locator('xpath=following-sibling::pre[1]').innerText());
}

// Gestisci on a Panoramica card: opens the environment dialog ("In quale ambiente vuoi entrare?")
// without leaving the page; returns the open dialog.
export async function openEnvironmentDialog(page, productId) {
  await page.locator(`#active [data-product="${productId}"] a`, { hasText: 'Gestisci' }).click();
  const dialog = page.locator('.varco-environment-dialog.show');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).pathname, '/area', 'Gestisci opens a dialog, not a page');
  return dialog;
}

// The environments a choice offers (the dialog, or the page's form #environments), in order.
export async function environmentLabels(scope) {
  return (await scope.locator('.form-check-label').allInnerTexts()).map((t) => t.trim());
}

// Picks `label` in an environment choice (dialog or page) and presses Entra.
export async function enterEnvironment(scope, label) {
  // Bootstrap Italia draws the radio on its label (the input itself is moved out of view), so
  // the user clicks the label.
  await scope.locator('label.form-check-label').getByText(label, { exact: true }).click();
  assert.ok(await scope.getByLabel(label, { exact: true }).isChecked(), `${label} is chosen`);
  await scope.locator('button[type=submit]', { hasText: /^(Entra|Enter)$/ }).click();
}
