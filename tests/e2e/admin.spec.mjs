// Mario Rossi (RSSMRA80A01H501U), MANAGER/admin of Comune di Valdoria on both products and
// OPERATOR of Tecnopartner S.r.l. on pagoPA: SPID login, Panoramica, both environments of a
// product, the party switcher and logout (the old session cookie must then be refused).
import {
  assert, base, checkPage, finish, portalClaims, productIds, scenario, spidLogin, step,
} from './harness.mjs';

const mario = 'RSSMRA80A01H501U';

// From the Panoramica: Gestisci on a product, then the environment button → the product's portal.
async function enterProduct(page, productId, environmentLabel, label) {
  await step(`Gestisci ${productId} → the environment choice`, async () => {
    await page.locator(`#active [data-product="${productId}"] a`, { hasText: 'Gestisci' }).click();
    await page.waitForURL((u) => u.pathname === '/area/environment');
    assert.equal(new URL(page.url()).searchParams.get('product'), productId);
    assert.equal(await page.locator('h1').innerText(), 'In quale ambiente vuoi entrare?');
  });
  await checkPage(page, `environment-${label}`);
  await step(`${environmentLabel} → the portal`, async () => {
    await page.locator('#environments button', { hasText: environmentLabel }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/pagopa'));
  });
}

await scenario('Mario Rossi: login, Panoramica, Collaudo and Produzione, party switch, logout',
  async ({ context, page }) => {
    const acs = await spidLogin(page, mario);
    await step('the ACS accepts the login and lands on the Panoramica', async () => {
      assert.equal(acs.status(), 303);
      assert.equal(new URL(page.url()).pathname, '/area');
      assert.equal(await page.locator('h1').innerText(), 'Panoramica');
    });
    await checkPage(page, 'overview');
    await step('Panoramica: Mario Rossi at Comune di Valdoria with pagoPA and App IO active',
      async () => {
        const who = await page.locator('#who').innerText();
        assert.match(who, /Mario Rossi/);
        assert.match(who, new RegExp(mario));
        assert.match(await page.locator('#party-switcher').innerText(), /Comune di Valdoria/);
        assert.match(await page.locator('#registry').innerText(), /80012340123/);
        assert.deepEqual(await productIds(page, '#active'), ['prod-pagopa', 'prod-io']);
        assert.deepEqual(await productIds(page, '#available'), []);
      });

    await enterProduct(page, 'prod-pagopa', 'Ambiente di Collaudo', 'pagopa');
    await checkPage(page, 'portal-collaudo', { own: false });
    await step('the collaudo portal got a verified token with the fiscal number', async () => {
      assert.equal(await page.locator('header.collaudo h1').innerText(), 'Piattaforma pagoPA');
      assert.match(await page.locator('body').innerText(), /firma verificata/);
      const claims = await portalClaims(page);
      assert.equal(claims.fiscal_number, mario);
      assert.equal(claims.environment, 'collaudo');
      assert.equal(claims.aud, 'pagopa-collaudo');
    });

    await step('back to /area', async () => {
      await page.goto(`${base}/area`);
      assert.equal(await page.locator('h1').innerText(), 'Panoramica');
    });
    await enterProduct(page, 'prod-pagopa', 'Ambiente di Produzione', 'pagopa-again');
    await step('the produzione portal now', async () => {
      assert.equal(await page.locator('header.produzione h1').innerText(), 'Piattaforma pagoPA');
      const claims = await portalClaims(page);
      assert.equal(claims.fiscal_number, mario);
      assert.equal(claims.environment, 'produzione');
      assert.equal(claims.aud, 'pagopa-produzione');
    });
    await checkPage(page, 'portal-produzione', { own: false });

    await step('party switcher: Tecnopartner S.r.l.', async () => {
      await page.goto(`${base}/area`);
      await page.locator('#party-switcher').click();
      const entry = page.locator('#party .dropdown-menu button', { hasText: 'Tecnopartner S.r.l.' });
      await entry.waitFor({ state: 'visible' });
      await entry.click();
      await page.waitForURL((u) => u.pathname === '/area');
      await page.locator('#party-switcher', { hasText: 'Tecnopartner S.r.l.' }).waitFor();
    });
    await checkPage(page, 'overview-tecnopartner');
    await step('only Tecnopartner\'s products: pagoPA active, App IO available', async () => {
      assert.match(await page.locator('#registry').innerText(), /01234567890/);
      assert.deepEqual(await productIds(page, '#active'), ['prod-pagopa']);
      assert.deepEqual(await productIds(page, '#available'), ['prod-io']);
    });

    const [oldCookie] = (await context.cookies(base)).filter((c) => c.name === 'varco_session');
    await step('Esci → Single Logout at the IdP → the logged-out page', async () => {
      assert.ok(oldCookie, 'a varco_session cookie before logout');
      await page.locator('#who button', { hasText: 'Esci' }).click();
      await page.locator('#logged-out').waitFor();
      assert.equal(new URL(page.url()).origin, base);
      assert.match(await page.locator('main').innerText(), /Anche il gestore di identità/);
    });
    await checkPage(page, 'logged-out');
    await step('the old session cookie is refused: a product redirects to /login', async () => {
      await context.addCookies([oldCookie]);
      await page.goto(`${base}/pagopa/`);
      assert.equal(new URL(page.url()).pathname, '/login');
    });
  });

await finish();
