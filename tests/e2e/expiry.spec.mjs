// Session expiry is a detour, not an error: Mario Rossi's session is ended server-side (its key
// deleted from the e2e Redis, as the idle timeout would), the next page load goes to the login
// page with a polite message, and after the SPID round trip the browser is back on the page it
// asked for — an Area Riservata page, then a proxied product path.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

import {
  assert, base, checkPage, enterEnvironment, finish, idpName, portalClaims, scenario, spidLogin,
  step,
} from './harness.mjs';

const mario = 'RSSMRA80A01H501U';
const redisPort = process.env.E2E_REDIS_PORT;
const redisPrefix = process.env.E2E_REDIS_PREFIX;
if (!redisPort || !redisPrefix) throw new Error('E2E_REDIS_PORT/PREFIX unset: run through tests/e2e/run');

// Deletes the browser's session from Redis (the store keys it by SHA-256 of the cookie value).
async function endSessionServerSide(context) {
  const cookie = (await context.cookies(base)).find((c) => c.name === 'varco_session');
  assert.ok(cookie, 'the browser has a session cookie');
  const key = `${redisPrefix}s:${createHash('sha256').update(cookie.value).digest('hex')}`;
  const deleted = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', redisPort, 'DEL', key])
    .toString().trim();
  assert.equal(deleted, '1', `the session key ${key} existed`);
}

// From the login page varco sent the browser to: the IdP, its form, back through the ACS.
async function logInAgain(page, label) {
  await step('the login page says the session expired and keeps the way back', async () => {
    const url = new URL(page.url());
    assert.equal(url.pathname, '/login');
    assert.equal(url.searchParams.get('expired'), '1');
    const notice = page.locator('#login-notice');
    assert.match(await notice.innerText(), /La sessione è scaduta/);
  });
  await checkPage(page, `login-expired-${label}`);
  await step(`choose "${idpName}" and log in again`, async () => {
    await page.locator('#spid-button').click();
    await page.locator('#spid-idps a', { hasText: idpName }).click();
    await page.locator('#login-form').waitFor();
    await page.locator(`#login-form input[name=user][value="${mario}"]`).check();
    await page.locator('#login-form input[name=password]').fill('password');
    const acs = page.waitForResponse((r) => new URL(r.url()).pathname === '/saml/acs');
    await page.locator('#login-form button[type=submit]').click();
    assert.equal((await acs).status(), 303);
    await page.waitForLoadState('load');
  });
}

await scenario('Mario Rossi: expired on an area page and on a portal, back after login',
  async ({ context, page }) => {
    const acs = await spidLogin(page, mario);
    await step('logged in', async () => assert.equal(acs.status(), 303));

    const choice = '/area/environment?product=prod-pagopa';
    await step('open the environment choice of pagoPA', async () => {
      await page.goto(`${base}${choice}`);
      assert.equal(await page.locator('h1').innerText(), 'In quale ambiente vuoi entrare?');
    });
    await step('the session ends server-side; a reload goes to the login page', async () => {
      await endSessionServerSide(context);
      await page.reload();
      await page.waitForURL((u) => u.pathname === '/login');
      assert.equal(new URL(page.url()).searchParams.get('return'), choice);
    });
    await logInAgain(page, 'area');
    await step('back on the environment choice of pagoPA', async () => {
      const url = new URL(page.url());
      assert.equal(url.pathname + url.search, choice);
      assert.equal(await page.locator('h1').innerText(), 'In quale ambiente vuoi entrare?');
    });
    await checkPage(page, 'back-on-environment');

    await step('Ambiente di Collaudo → the portal at /pagopa/', async () => {
      await enterEnvironment(page.locator('#environments'), 'Ambiente di Collaudo');
      await page.waitForURL((u) => u.pathname.startsWith('/pagopa'));
      assert.equal((await portalClaims(page)).environment, 'collaudo');
    });
    const portalPath = '/pagopa/pagamenti?anno=2026';
    await step(`open ${portalPath}, then the session ends and a reload goes to login`, async () => {
      await page.goto(`${base}${portalPath}`);
      assert.equal(await page.locator('header.collaudo h1').innerText(), 'Piattaforma pagoPA');
      await endSessionServerSide(context);
      await page.reload();
      await page.waitForURL((u) => u.pathname === '/login');
      assert.equal(new URL(page.url()).searchParams.get('return'), portalPath);
    });
    await logInAgain(page, 'portal');
    await step(`back on ${portalPath} (after choosing the environment again)`, async () => {
      // The new session has no environment choice yet: the product asks for one, return kept.
      await page.waitForURL((u) => u.pathname === '/area/environment');
      assert.equal(new URL(page.url()).searchParams.get('return'), portalPath);
      await enterEnvironment(page.locator('#environments'), 'Ambiente di Collaudo');
      await page.waitForURL((u) => u.pathname.startsWith('/pagopa'));
      const url = new URL(page.url());
      assert.equal(url.pathname + url.search, portalPath);
      const claims = await portalClaims(page);
      assert.equal(claims.fiscal_number, mario);
      assert.equal(claims.environment, 'collaudo');
    });
  });

await scenario('Mario Rossi: the session ends while he sends Assistenza a request; nothing typed is lost',
  async ({ context, page }) => {
    const acs = await spidLogin(page, mario);
    await step('logged in', async () => assert.equal(acs.status(), 303));
    const subject = 'Avviso di pagamento non visibile';
    const message = 'Il Comune non vede gli avvisi emessi ieri.\nPotete controllare?';
    await step('Assistenza: the request typed in', async () => {
      await page.goto(`${base}/area/support`);
      await page.locator('#support-subject').fill(subject);
      await page.locator('#support-message').fill(message);
    });
    await step('the session ends server-side; sending goes to the login page', async () => {
      await endSessionServerSide(context);
      await page.locator('#support-form button[type=submit]').click();
      await page.waitForURL((u) => u.pathname === '/login');
      assert.equal(new URL(page.url()).searchParams.get('return'), '/area/support');
      // The text is kept server-side, never in the address.
      assert.doesNotMatch(decodeURIComponent(page.url()), /Avviso|Comune/);
    });
    await logInAgain(page, 'support');
    await step('back on Assistenza with the request as typed, not sent', async () => {
      assert.equal(new URL(page.url()).pathname, '/area/support');
      assert.match(await page.locator('#draft-notice').innerText(), /abbiamo conservato/);
      assert.equal(await page.locator('#support-subject').inputValue(), subject);
      assert.equal(await page.locator('#support-message').inputValue(), message);
    });
    await checkPage(page, 'support-draft-restored');
    await step('a reload shows the empty form: the draft was used once', async () => {
      await page.reload();
      assert.equal(await page.locator('#draft-notice').count(), 0);
      assert.equal(await page.locator('#support-subject').inputValue(), '');
    });
  });

await finish();
