// The pagoPA back-office lives outside varco (a redirect-mode environment of demo/varco.yaml):
// Mario Rossi (MANAGER) chooses it like any environment, varco answers 303 to the portal with a
// fresh identity token in the URL fragment, and the portal's page (demo/portal.py --landing) reads
// it, has its backend verify it against varco's JWKS and shows the claims. Luigi Verdi (OPERATOR)
// is refused, as for Produzione.
import {
  assert, base, checkPage, enterEnvironment, environmentLabels, finish, portalClaims, scenario,
  spidLogin, step,
} from './harness.mjs';

const mario = 'RSSMRA80A01H501U';
const luigi = 'VRDLGU85B02F205X';
const backoffice = 'Back-office pagoPA (portale esterno)';

await scenario('Mario Rossi: the back-office outside varco gets a verified token', async ({ page }) => {
  const acs = await spidLogin(page, mario);
  await step('logged in', async () => assert.equal(acs.status(), 303));
  // Without the dialog (no script, or a product's redirect): the page, the same choice.
  const choice = page.locator('#environments');
  await step('the environment page: the back-office is offered beside Collaudo and Produzione', async () => {
    await page.goto(`${base}/area/environment?product=prod-pagopa`);
    assert.deepEqual(await environmentLabels(choice),
      ['Ambiente di Collaudo', 'Ambiente di Produzione', backoffice]);
    const option = choice.getByLabel(backoffice, { exact: true });
    assert.ok(await option.isEnabled());
    const note = await option.getAttribute('aria-describedby');
    assert.match(await page.locator(`#${note}`).innerText(), /fuori dall'Area Riservata/);
  });
  await checkPage(page, 'environment');

  let location;
  let issuedAt;
  await step(`${backoffice} → 303 to the portal, the token in the fragment only`, async () => {
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/area/environment'
      && r.request().method() === 'POST');
    issuedAt = Math.floor(Date.now() / 1000);
    await enterEnvironment(choice, backoffice);
    const response = await answer;
    assert.equal(response.status(), 303);
    location = new URL(response.headers().location);
    assert.equal(location.pathname, '/');
    assert.equal(location.search, '');
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.match(fragment.get('selfCareToken'), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(fragment.get('lang'), 'it');
  });
  await step('the portal verified the token against the JWKS and shows Mario\'s claims', async () => {
    await page.waitForURL((u) => u.origin === location.origin);
    await page.locator('#status.ok').waitFor();
    assert.match(await page.locator('#status').innerText(), /firma verificata/);
    const claims = await portalClaims(page);
    assert.equal(claims.fiscal_number, mario);
    assert.equal(claims.aud, 'prod-pagopa');
    assert.equal(claims.environment, 'backoffice');
    assert.equal(claims.organization.roles[0].partyRole, 'MANAGER');
    assert.equal(claims.exp - claims.iat, 60);
    assert.ok(Math.abs(claims.iat - issuedAt) <= 5, `iat ${claims.iat} vs ${issuedAt}`);
    // The page dropped the token from the address bar (and so from the history).
    assert.equal(new URL(page.url()).hash, '');
  });
  await checkPage(page, 'backoffice', { own: false });
});

await scenario('Luigi Verdi (operator): no back-office, a forged choice gets 403', async ({ page }) => {
  const acs = await spidLogin(page, luigi);
  await step('logged in', async () => assert.equal(acs.status(), 303));
  await step('the environment page does not offer the back-office', async () => {
    await page.goto(`${base}/area/environment?product=prod-pagopa`);
    assert.deepEqual(await environmentLabels(page.locator('#environments')), ['Ambiente di Collaudo']);
  });
  await step('a forged POST choosing it is refused with 403 and no token', async () => {
    const csrf = await page.locator('#environments input[name=csrf]').first().getAttribute('value');
    const response = await page.request.post(`${base}/area/environment`, {
      form: { csrf, product: 'prod-pagopa', environment: 'backoffice' },
      maxRedirects: 0,
    });
    assert.equal(response.status(), 403);
    assert.equal(response.headers().location, undefined);
  });
});

await finish();
