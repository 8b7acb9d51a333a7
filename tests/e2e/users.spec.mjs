// Utenti: Mario Rossi (Amministratore of Comune di Valdoria) adds Giulia Neri (NREGLI90D45L219R,
// a demo IdP user with no membership) as Operatore on pagoPA; Giulia then logs in, lands on the
// municipality's Panoramica and reaches the pagoPA collaudo portal with her own claims. Luigi
// Verdi, an operator, is refused the Utenti page itself (403).
import {
  assert, base, checkPage, enterEnvironment, finish, openEnvironmentDialog, portalClaims,
  productIds, scenario, spidLogin, step,
} from './harness.mjs';

const mario = 'RSSMRA80A01H501U';
const giulia = 'NREGLI90D45L219R';
const luigi = 'VRDLGU85B02F205X';

await scenario('Mario adds Giulia as Operatore; Giulia logs in and reaches pagoPA',
  async ({ page, newContext }) => {
    const acs = await spidLogin(page, mario);
    assert.equal(acs.status(), 303);
    await step('Utenti from the navigation: the municipality\'s users', async () => {
      await page.locator('nav a', { hasText: 'Utenti' }).click();
      await page.waitForURL((u) => u.pathname === '/area/users');
      assert.equal(await page.locator('h1').innerText(), 'Utenti');
      const table = await page.locator('#members').innerText();
      assert.match(table, /Luigi Verdi/);
      assert.match(table, /Mario Rossi/);
      assert.doesNotMatch(table, new RegExp(giulia));
    });
    await checkPage(page, 'users');
    await step('a bad e-mail comes back with the field marked and the input kept', async () => {
      await page.locator('#f-fiscal_number').fill(giulia);
      await page.locator('#f-name').fill('Giulia');
      await page.locator('#f-family_name').fill('Neri');
      await page.locator('#f-email').fill('giulia-senza-chiocciola');
      await page.locator('#add-user button[type=submit]').click();
      await page.locator('#e-email').waitFor();
      assert.equal(await page.locator('#f-email').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#f-name').inputValue(), 'Giulia');
    });
    await checkPage(page, 'users-form-errors');
    await step('Aggiungi utente → Giulia Neri is listed as Operatore', async () => {
      await page.locator('#f-email').fill('giulia.neri@example.it');
      await page.locator('#f-product').selectOption('prod-pagopa');
      await page.locator('#role-operator').check();
      await page.locator('#add-user button[type=submit]').click();
      await page.waitForURL((u) => u.pathname === '/area/users' && u.searchParams.get('done') === 'added');
      assert.match(await page.locator('#notice').innerText(), /Utente aggiunto/);
      const row = page.locator(`#members tr[data-user="${giulia}"]`);
      assert.equal(await row.count(), 1);
      assert.match(await row.innerText(), /Giulia Neri[\s\S]*Operatore[\s\S]*Attivo/);
    });

    const giuliaContext = await newContext();
    const giuliaPage = await giuliaContext.newPage();
    const giuliaAcs = await spidLogin(giuliaPage, giulia);
    await step('Giulia lands on Comune di Valdoria\'s Panoramica with pagoPA active', async () => {
      assert.equal(giuliaAcs.status(), 303);
      assert.equal(await giuliaPage.locator('h1').innerText(), 'Panoramica');
      assert.match(await giuliaPage.locator('#party-switcher').innerText(), /Comune di Valdoria/);
      assert.deepEqual(await productIds(giuliaPage, '#active'), ['prod-pagopa']);
      assert.equal(await giuliaPage.locator('nav a', { hasText: 'Utenti' }).count(), 0);
    });
    await checkPage(giuliaPage, 'overview-giulia');
    await step('Gestisci → Ambiente di Collaudo → the portal with Giulia\'s claims', async () => {
      await enterEnvironment(await openEnvironmentDialog(giuliaPage, 'prod-pagopa'), 'Ambiente di Collaudo');
      await giuliaPage.waitForURL((u) => u.pathname.startsWith('/pagopa'));
      const claims = await portalClaims(giuliaPage);
      assert.equal(claims.fiscal_number, giulia);
      assert.equal(claims.environment, 'collaudo');
    });
    await step('Giulia, an operator, is refused /area/users (403)', async () => {
      const response = await giuliaPage.goto(`${base}/area/users`);
      assert.equal(response.status(), 403);
    });
    await giuliaContext.close();

    const row = page.locator(`#members tr[data-user="${giulia}"]`);
    const dialog = page.locator('#confirm-suspend');
    const openSuspend = async () => {
      await row.locator('a', { hasText: 'Sospendi' }).click();
      await dialog.locator('.modal-dialog').waitFor({ state: 'visible' });
      await page.locator('#confirm-suspend.show').waitFor();
    };
    await step('Sospendi on Giulia\'s row asks first, in a dialog naming her and the product', async () => {
      await page.goto(`${base}/area/users`);
      await openSuspend();
      assert.equal(new URL(page.url()).pathname, '/area/users', 'a dialog, not a page');
      assert.match(await dialog.locator('.modal-body').innerText(),
        /Vuoi sospendere Giulia Neri su Piattaforma pagoPA\?/);
      assert.equal(await dialog.locator('input[name=user]').inputValue(), giulia);
    });
    await checkPage(page, 'users-confirm-suspend', { keepState: true });
    await step('Annulla: the dialog closes and nothing changed', async () => {
      await dialog.locator('button', { hasText: 'Annulla' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.match(await row.innerText(), /Attivo/);
    });
    await step('Sospendi, confirmed: the row says Sospeso and a notice says what happened', async () => {
      await openSuspend();
      await dialog.locator('button[type=submit]', { hasText: 'Sospendi' }).click();
      await page.waitForURL((u) => u.searchParams.get('done') === 'suspended');
      assert.match(await row.innerText(), /Sospeso/);
      assert.match(await page.locator('#notice').innerText(), /Utente sospeso/);
    });
    await checkPage(page, 'users-suspended');
    await step('the notice closes', async () => {
      await page.locator('#notice .notification-close').click();
      await page.locator('#notice').waitFor({ state: 'hidden' });
      // Gone from the address too: a reload does not show it again.
      assert.equal(new URL(page.url()).searchParams.get('done'), null);
    });
    let removeUrl;
    await step('Rimuovi without scripts: its link is a confirmation page', async () => {
      removeUrl = await row.locator('a', { hasText: 'Rimuovi' }).getAttribute('href');
      await page.goto(`${base}${removeUrl}`);
      assert.equal(await page.locator('h1').innerText(), 'Rimuovi utente');
      assert.match(await page.locator('main').innerText(), /Vuoi rimuovere Giulia Neri da Piattaforma pagoPA\?/);
    });
    await checkPage(page, 'users-confirm-remove-page');
    await step('confirmed: Giulia is no longer listed', async () => {
      await page.locator('#confirm button[type=submit]', { hasText: 'Rimuovi' }).click();
      await page.waitForURL((u) => u.pathname === '/area/users' && u.searchParams.get('done') === 'removed');
      assert.equal(await row.count(), 0);
      assert.match(await page.locator('#notice').innerText(), /Utente rimosso/);
    });
  });

await scenario('Luigi Verdi (Operatore) is refused Utenti', async ({ page }) => {
  await spidLogin(page, luigi);
  await step('no Utenti link, and /area/users answers 403', async () => {
    assert.equal(await page.locator('nav a', { hasText: 'Utenti' }).count(), 0);
    const response = await page.goto(`${base}/area/users`);
    assert.equal(response.status(), 403);
  });
  // Errors of a signed-in user: in the Area's frame (menu, Esci), one language, a plain message,
  // the way back, and the reason code only in the details line.
  const errorSays = async (status, title) => {
    assert.equal(await page.locator('h1').innerText(), title);
    assert.ok(await page.locator('#logout-button').count() === 1, 'Esci is on the page');
    const details = await page.locator('#error-details').innerText();
    assert.match(details, new RegExp(`${status}`));
    assert.match(details, /[0-9a-f]{24}/, 'the request id');
    const outside = (await page.locator('main').innerText()).replace(details, '');
    assert.doesNotMatch(outside, /[a-z]+_[a-z]+/, 'no reason code outside the details line');
  };
  await step('the 403 page: in the frame, with the way back', async () => {
    await errorSays(403, 'Accesso non consentito');
    await page.locator('main a', { hasText: 'Torna alla Panoramica' }).waitFor();
  });
  await checkPage(page, 'error-403');
  await step('a page that does not exist: 404 in the frame; in English with ?lang=en', async () => {
    let response = await page.goto(`${base}/area/nowhere`);
    assert.equal(response.status(), 404);
    assert.equal(await page.locator('html').getAttribute('lang'), 'it');
    response = await page.goto(`${base}/area/nowhere?lang=en`);
    assert.equal(response.status(), 404);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.doesNotMatch(await page.locator('main').innerText(), /Pagina|Torna/);
  });
  await checkPage(page, 'error-404-english');
});

await finish();
