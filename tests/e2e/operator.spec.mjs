// Luigi Verdi (VRDLGU85B02F205X), OPERATOR of Banca Esempio S.p.A. (the party he lands on) and of
// Comune di Valdoria: Collaudo yes, Produzione no (demo/varco.yaml keeps operators out of it).
import {
  assert, base, checkPage, enterEnvironment, environmentLabels, finish, openEnvironmentDialog,
  portalClaims, productIds, scenario, spidLogin, step,
} from './harness.mjs';

const luigi = 'VRDLGU85B02F205X';

await scenario('Luigi Verdi (operator): Collaudo only', async ({ page }) => {
  const acs = await spidLogin(page, luigi);
  await step('logged in, Panoramica of Banca Esempio with pagoPA only', async () => {
    assert.equal(acs.status(), 303);
    assert.equal(new URL(page.url()).pathname, '/area');
    assert.match(await page.locator('#who').innerText(), /Luigi Verdi/);
    assert.match(await page.locator('#party-switcher').innerText(), /Banca Esempio S\.p\.A\./);
    assert.deepEqual(await productIds(page, '#active'), ['prod-pagopa']);
  });
  await checkPage(page, 'overview');
  let dialog;
  await step('Gestisci pagoPA: only the Collaudo environment is offered', async () => {
    dialog = await openEnvironmentDialog(page, 'prod-pagopa');
    assert.deepEqual(await environmentLabels(dialog), ['Ambiente di Collaudo']);
  });
  await checkPage(page, 'environment-dialog', { keepState: true });
  await step('a forged choice of Produzione is refused (403)', async () => {
    const csrf = await dialog.locator('input[name=csrf]').getAttribute('value');
    const response = await page.request.post(`${base}/area/environment`, {
      form: { csrf, product: 'prod-pagopa', environment: 'produzione', return: '/pagopa/' },
      maxRedirects: 0,
    });
    assert.equal(response.status(), 403);
  });
  await step('Ambiente di Collaudo → the collaudo portal with Luigi\'s claims', async () => {
    await enterEnvironment(dialog, 'Ambiente di Collaudo');
    await page.waitForURL((u) => u.pathname.startsWith('/pagopa'));
    assert.equal(await page.locator('header.collaudo h1').innerText(), 'Piattaforma pagoPA');
    const claims = await portalClaims(page);
    assert.equal(claims.fiscal_number, luigi);
    assert.equal(claims.environment, 'collaudo');
  });
  await checkPage(page, 'portal-collaudo', { own: false });
});

await finish();
