// A tiny test harness for the e2e specs: scenarios made of named steps, printed as they run, with
// a screenshot and an axe-core check of every page. Exits non-zero when anything failed.
// The environment comes from tests/e2e/run (E2E_BASE_URL, E2E_IDP_NAME, E2E_CHROMIUM, ...).
import assert from 'node:assert/strict';
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
// The packages live in web/node_modules, not on node's lookup path from tests/e2e/.
const requireWeb = createRequire(path.join(root, 'web', 'package.json'));
const { chromium } = requireWeb('playwright-core');
const axePath = requireWeb.resolve('axe-core/axe.min.js');

export { assert };

const specName = path.basename(process.argv[1], '.spec.mjs');
let failures = 0;
let shot = 0;

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

// Violations of these impacts fail the run; lesser ones are only counted.
const blocking = new Set(['serious', 'critical']);

// checkPage(page, label, {own}): screenshot, then axe-core on the page. On varco's own pages a
// serious or critical violation is a failure; on the demo IdP and portals (stand-ins for third
// parties) violations are printed but do not fail the run.
export async function checkPage(page, label, { own = true } = {}) {
  shot += 1;
  const file = `${specName}-${String(shot).padStart(2, '0')}-${label}.png`;
  await page.screenshot({ path: path.join(screenshots, file), fullPage: true });
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }));
  const serious = results.violations.filter((v) => blocking.has(v.impact));
  const minor = results.violations.length - serious.length;
  for (const v of serious) {
    console.log(`       axe ${v.impact} ${v.id} on ${label} (${page.url()}): ${v.help}`);
    for (const node of v.nodes.slice(0, 5)) {
      console.log(`         ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`);
    }
  }
  const summary = `axe ${label}: ${serious.length} serious/critical, ${minor} minor` +
    (own ? '' : ' (demo page, not enforced)');
  console.log(`       ${summary}`);
  if (own && serious.length > 0) {
    failures += 1;
    console.log(`  FAIL axe on ${label}`);
  }
}

// scenario(name, fn): a fresh browser context (no cookies) per scenario; fn gets {context, page}.
let browser;
// A browser context as every scenario gets one (a second user in the same scenario opens another).
export async function newContext() {
  // bypassCSP: axe is injected as an inline script, which varco's Content-Security-Policy forbids.
  const context = await browser.newContext({ bypassCSP: true, locale: 'it-IT' });
  context.setDefaultTimeout(10_000);
  return context;
}

export async function scenario(name, fn) {
  console.log(`- ${name}`);
  browser ??= await chromium.launch({ executablePath: env('E2E_CHROMIUM'), headless: true });
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
    await context.close();
  }
}

export async function finish() {
  await browser?.close();
  console.log(failures ? `${specName}: ${failures} failure(s)` : `${specName}: all passed`);
  process.exitCode = failures ? 1 : 0;
}

// --- shared flows ------------------------------------------------------------------------------

// spidLogin(page, fiscalNumber, {anomaly}): /login → the demo IdP → its login form → back at
// varco's ACS. Returns the ACS response (its status says whether varco accepted the login).
export async function spidLogin(page, fiscalNumber, { anomaly = null, returnPath = null } = {}) {
  await step('open /login', async () => {
    const url = returnPath ? `${base}/login?return=${encodeURIComponent(returnPath)}` : `${base}/login`;
    const response = await page.goto(url);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('h1').first().innerText(), "Accedi all'Area Riservata / Log in");
    const cie = page.locator('#cie-button');
    assert.ok(await cie.isDisabled(), 'the CIE button is disabled');
    assert.match(await cie.innerText(), /presto disponibile/);
  });
  await checkPage(page, 'login');
  await step(`choose "${idpName}" → the IdP's login form`, async () => {
    await page.locator('#spid-idps a', { hasText: idpName }).click();
    await page.locator('#login-form').waitFor();
  });
  await checkPage(page, 'idp-form', { own: false });
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
