// OpenID Connect in the browser, against the independent OpenID Providers tests/e2e/run starts
// (tests/tools/oidc-op/op.mjs, npm oidc-provider): Mario Rossi chooses "OP di prova" in the SPID
// menu, beside the SAML IdP, logs in at the provider (the SPID profile, trusted through the
// federation's trust chain), lands on the Panoramica, and Esci logs him out at the provider too;
// then "Accedi con Broker di prova" (a standard provider, in "Altri metodi di accesso") from a
// login page opened with ?return= brings him back to that page, Esci again, and the group in
// English.
import {
  assert, base, checkPage, finish, idpName, logOut, scenario, step,
} from './harness.mjs';

const spidProvider = process.env.E2E_OIDC_SPID_URL;
const broker = process.env.E2E_OIDC_BROKER_URL;
if (!spidProvider || !broker) {
  throw new Error('E2E_OIDC_SPID_URL and E2E_OIDC_BROKER_URL are not set: run through tests/e2e/run');
}
const opName = 'OP di prova';
const brokerName = 'Broker di prova';

// The provider's login page ("OP di prova", one Accedi button) → back at varco at `path`.
async function loginAtProvider(page, issuer, path) {
  await step('the provider\'s login page', async () => {
    await page.locator('#login').waitFor();
    assert.equal(new URL(page.url()).origin, issuer);
    assert.equal(await page.locator('h1').innerText(), 'OP di prova');
    assert.match(await page.locator('main').innerText(), /Mario Rossi/);
  });
  await step(`Accedi → back at varco, signed in, on ${path}`, async () => {
    await page.locator('#login').click();
    await page.waitForURL((u) => u.origin === base && u.pathname === path);
    assert.equal((await page.locator('.varco-user-name').first().textContent()).trim(), 'Mario Rossi');
  });
}

// Esci → the provider's end_session endpoint (no question asked) → varco's logged-out page.
async function logOutEverywhere(page, issuer) {
  await step('Esci → the provider\'s logout → varco\'s logged-out page', async () => {
    const atProvider = page.waitForRequest((r) => new URL(r.url()).origin === issuer
      && new URL(r.url()).pathname === '/session/end');
    await logOut(page);
    await atProvider;
    await page.locator('#logged-out').waitFor();
    assert.equal(new URL(page.url()).origin, base);
    assert.equal(new URL(page.url()).pathname, '/oidc/logged-out');
    assert.match(await page.locator('main').innerText(), /Anche il gestore di identità/);
  });
}

await scenario('Mario Rossi: "Entra con SPID" → OP di prova (OpenID Connect) → Panoramica → Esci',
  async ({ page }) => {
    await step('open /login: SPID, CIE and the other ways to log in', async () => {
      const response = await page.goto(`${base}/login`);
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('h1').first().innerText(), "Accedi all'Area Riservata");
      assert.ok(await page.locator('#cie-button').isDisabled(), 'no CIE provider in the e2e config');
      assert.equal(await page.locator('#other-logins-title').innerText(), 'Altri metodi di accesso');
      const other = page.locator('#other-logins a');
      assert.equal(await other.count(), 1);
      assert.equal((await other.innerText()).trim(), `Accedi con ${brokerName}`);
      assert.equal(await other.getAttribute('href'), '/oidc/login?provider=broker');
    });
    await checkPage(page, 'login');
    await step('"Entra con SPID" lists the SAML IdP and the OpenID Provider alike', async () => {
      await page.locator('#spid-button').click();
      const op = page.locator('#spid-idps a', { hasText: opName });
      const saml = page.locator('#spid-idps a', { hasText: idpName });
      await op.waitFor();
      assert.equal(await op.getAttribute('href'), '/oidc/login?provider=spid-op');
      assert.match(await saml.getAttribute('href'), /^\/saml\/login\?idp=/);
      assert.equal(await op.getAttribute('class'), await saml.getAttribute('class'));
    });
    await checkPage(page, 'login-spid-open', {
      keepState: true,
      prepare: async (p) => {
        if (!(await p.locator('#spid-idps').isVisible())) await p.locator('#spid-button').click();
      },
    });
    await step(`choose "${opName}" → the provider`, async () => {
      if (!(await page.locator('#spid-idps').isVisible())) await page.locator('#spid-button').click();
      await page.locator('#spid-idps a', { hasText: opName }).click();
    });
    await loginAtProvider(page, spidProvider, '/area');
    await step('the Panoramica of Comune di Valdoria, "Accesso con SPID"', async () => {
      assert.equal(await page.locator('h1').innerText(), 'Panoramica');
      assert.match(await page.locator('main').innerText(), /Comune di Valdoria/);
      assert.equal(await page.locator('.varco-user-provider').getAttribute('data-provider'), 'spid');
    });
    await checkPage(page, 'overview');
    await logOutEverywhere(page, spidProvider);
    await checkPage(page, 'logged-out');
    await step('the session is over: /area sends the browser to /login', async () => {
      await page.goto(`${base}/area`);
      assert.equal(new URL(page.url()).pathname, '/login');
    });
  });

await scenario('Mario Rossi: "Accedi con Broker di prova" keeps ?return= → Assistenza → Esci → English',
  async ({ page }) => {
    await step('/login?return=/area/support: the broker\'s link carries the return path', async () => {
      await page.goto(`${base}/login?return=${encodeURIComponent('/area/support')}`);
      const other = page.locator('#other-logins a', { hasText: brokerName });
      assert.equal(await other.getAttribute('href'), '/oidc/login?provider=broker&return=%2Farea%2Fsupport');
      await other.click();
    });
    await loginAtProvider(page, broker, '/area/support');
    await step('Assistenza, as asked before the login', async () => {
      assert.equal(await page.locator('h1').innerText(), 'Assistenza');
    });
    await logOutEverywhere(page, broker);
    await step('/login in English names the group and the provider', async () => {
      await page.goto(`${base}/login?lang=en`);
      assert.equal(await page.locator('#other-logins-title').innerText(), 'Other ways to log in');
      assert.equal((await page.locator('#other-logins a').innerText()).trim(),
        `Log in with ${brokerName}`);
    });
    await checkPage(page, 'login-en');
  });

await finish();
