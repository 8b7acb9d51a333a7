// Mario Rossi (RSSMRA80A01H501U), MANAGER/admin of Comune di Valdoria on both products and
// OPERATOR of Tecnopartner S.r.l. on pagoPA: SPID login, Panoramica, both environments of a
// product, the party switcher and logout (the old session cookie must then be refused).
import {
  assert, base, checkPage, enterEnvironment, environmentLabels, finish, logOut,
  openEnvironmentDialog, portalClaims, productIds, scenario, spidLogin, step,
} from './harness.mjs';

const mario = 'RSSMRA80A01H501U';

// A header dropdown (its toggle's id): open it and wait for its menu. As checkPage's prepare
// (tolerant: true), at a width where the toggle is hidden it first opens the header's menu button
// if there is one, and otherwise leaves the menu closed, so that the check reports it as no longer
// open instead of ending the scenario.
const menuOf = (page, toggle) => page.locator(`.dropdown-menu[aria-labelledby="${toggle.slice(1)}"]`);

async function openMenu(page, toggle, { tolerant = false } = {}) {
  const button = page.locator(toggle);
  if (tolerant && !(await button.isVisible())) {
    const burger = page.locator('header .custom-navbar-toggler:visible, header .navbar-toggler:visible');
    if (await burger.count() === 0) return;
    await burger.first().click();
    if (!(await button.waitFor({ state: 'visible', timeout: 2000 }).then(() => true, () => false))) return;
  }
  if (await button.getAttribute('aria-expanded') !== 'true') await button.click();
  await menuOf(page, toggle).waitFor({ state: 'visible' });
}

async function closeMenu(page, toggle) {
  const button = page.locator(toggle);
  if (await button.getAttribute('aria-expanded') === 'true') await button.click();
  await menuOf(page, toggle).waitFor({ state: 'hidden' });
}

// From the Panoramica: Gestisci on a product opens the environment dialog; the environment
// chosen, Entra → the product's portal.
async function enterProduct(page, productId, environmentLabel, label) {
  let dialog;
  await step(`Gestisci ${productId} → the environment dialog`, async () => {
    dialog = await openEnvironmentDialog(page, productId);
    assert.equal(await dialog.locator('h2').innerText(), 'In quale ambiente vuoi entrare?');
    assert.deepEqual(await environmentLabels(dialog),
      ['Ambiente di Collaudo', 'Ambiente di Produzione', 'Back-office pagoPA (portale esterno)']);
  });
  await checkPage(page, `environment-dialog-${label}`, { keepState: true });
  await step(`${environmentLabel}, Entra → the portal`, async () => {
    await enterEnvironment(dialog, environmentLabel);
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
        await page.locator('#user-menu').click();
        const who = await page.locator('#who').innerText();
        assert.match(who, /Mario Rossi/);
        assert.match(who, new RegExp(mario));
        await page.locator('#user-menu').click();
        assert.match(await page.locator('#party-switcher').innerText(), /Comune di Valdoria/);
        assert.match(await page.locator('#registry').innerText(), /80012340123/);
        assert.deepEqual(await productIds(page, '#active'), ['prod-pagopa', 'prod-io']);
        assert.deepEqual(await productIds(page, '#available'), []);
      });
    // The header's menus, open, each checked as a state of its own at every width (a menu the
    // page does not show at the scenario's 1280 px is skipped).
    // The party switcher and the products menu are the desktop header's (below 992 px they live
    // in the menu panel, checked below); the user menu is on every width.
    const desktop = [1280];
    const menus = [['#party-switcher', 'party-switcher', desktop],
      ['#products-menu', 'products-menu', desktop], ['#user-menu', 'user-menu', null]];
    for (const [toggle, label, only] of menus) {
      if (!(await page.locator(toggle).isVisible())) {
        console.log(`  skip ${toggle}: not on this page`);
        continue;
      }
      await step(`open the header's ${toggle} menu`, () => openMenu(page, toggle));
      await checkPage(page, `overview-${label}-open`, {
        keepState: true, only, prepare: (p) => openMenu(p, toggle, { tolerant: true }),
      });
      await step(`close the ${toggle} menu`, () => closeMenu(page, toggle));
    }
    await step('the header\'s products menu opens the same environment dialog; Annulla closes it',
      async () => {
        await openMenu(page, '#products-menu');
        await menuOf(page, '#products-menu').locator('a', { hasText: 'Piattaforma pagoPA' }).click();
        const dialog = page.locator('.varco-environment-dialog.show');
        await dialog.waitFor({ state: 'visible' });
        assert.match(await dialog.locator('.varco-dialog-product').innerText(), /Piattaforma pagoPA/);
        assert.equal(new URL(page.url()).pathname, '/area');
        await dialog.locator('button', { hasText: 'Annulla' }).click();
        await dialog.waitFor({ state: 'hidden' });
      });
    // On a phone: the menu button opens the panel with the parties to act for and the sections.
    await page.setViewportSize({ width: 390, height: 800 });
    await step('the phone menu: parties and sections behind the menu button', async () => {
      await page.locator('header .custom-navbar-toggler').click();
      await page.locator('.varco-mobile-party', { hasText: 'Tecnopartner S.r.l.' }).waitFor();
      await page.locator('#area-nav .nav-link', { hasText: 'Panoramica' }).waitFor();
    });
    await checkPage(page, 'overview-phone-menu-open', { keepState: true, only: [360, 390, 768] });
    await step('close the phone menu', async () => {
      await page.locator('#area-nav .close-menu').click();
      await page.locator('#area-nav').waitFor({ state: 'hidden' });
    });
    await page.setViewportSize({ width: 1280, height: 720 });

    await enterProduct(page, 'prod-pagopa', 'Ambiente di Collaudo', 'pagopa');
    await checkPage(page, 'portal-collaudo', { own: false });
    await step('the collaudo portal got a verified token with the fiscal number', async () => {
      assert.equal(await page.locator('header.collaudo h1').innerText(), 'Piattaforma pagoPA');
      assert.match(await page.locator('body').innerText(), /firma verificata/);
      const claims = await portalClaims(page);
      assert.equal(claims.fiscal_number, mario);
      assert.equal(claims.environment, 'collaudo');
      assert.equal(claims.aud, 'pagopa-collaudo');
      // The work e-mail at the party he acts for, not the SPID one.
      assert.equal(claims.email, 'm.rossi@comune.valdoria.example');
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
      assert.match(await page.locator('#notice').innerText(), /Ora stai operando per Tecnopartner S\.r\.l\./);
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
      await logOut(page);
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
