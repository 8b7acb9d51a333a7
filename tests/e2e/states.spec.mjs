// Every state of the Panoramica a demo user can be in (demo/directory.yaml): an operator told who
// may join a product, an administrator asking to join one (the Aderisci dialog, then the notice
// and "Richiesta inviata"), and a user whose only membership is suspended ("Utenza sospesa").
import {
  assert, base, checkPage, finish, productIds, scenario, spidLogin, step,
} from './harness.mjs';

const luigi = 'VRDLGU85B02F205X';
const anna = 'BNCNNA75C41H501X';
const paolo = 'GLLPLA70E05F839T';

await scenario('Luigi Verdi (Operatore of Banca Esempio): told who may join App IO', async ({ page }) => {
  await spidLogin(page, luigi);
  await step('App IO is available, with the reason there is no Aderisci', async () => {
    assert.deepEqual(await productIds(page, '#available'), ['prod-io']);
    const card = page.locator('#available [data-product="prod-io"]');
    assert.match(await card.innerText(), /Solo un Amministratore dell'ente può richiedere l'adesione\./);
    assert.equal(await card.locator('a', { hasText: 'Aderisci' }).count(), 0);
  });
  await checkPage(page, 'overview-operator-available');
});

await scenario('Anna Bianchi (Amministratore of Banca Esempio): Aderisci asks, then the request is sent',
  async ({ page }) => {
    await spidLogin(page, anna);
    const card = page.locator('#available [data-product="prod-io"]');
    const dialog = page.locator('#confirm-join');
    await step('Aderisci opens a dialog naming the party and the product', async () => {
      await card.locator('a', { hasText: 'Aderisci' }).click();
      await page.locator('#confirm-join.show').waitFor();
      assert.equal(new URL(page.url()).pathname, '/area', 'a dialog, not a page');
      assert.match(await dialog.locator('.modal-body').innerText(),
        /Vuoi richiedere l'adesione di Banca Esempio S\.p\.A\. a App IO\?/);
      assert.equal(await dialog.locator('input[name=product]').inputValue(), 'prod-io');
    });
    await checkPage(page, 'overview-confirm-join', { keepState: true });
    await step('Aderisci, confirmed: the notice and "Richiesta inviata" on the card', async () => {
      await dialog.locator('button[type=submit]', { hasText: 'Aderisci' }).click();
      await page.waitForURL((u) => u.pathname === '/area' && u.searchParams.get('done') === 'join_requested');
      assert.match(await page.locator('#notice').innerText(), /Richiesta di adesione inviata/);
      assert.match(await card.innerText(), /Richiesta inviata/);
      assert.equal(await card.locator('a', { hasText: 'Aderisci' }).count(), 0);
    });
    await checkPage(page, 'overview-join-requested');
    await step('the same page in English keeps the notice', async () => {
      await page.locator('#language-switch').click();
      await page.waitForURL((u) => u.searchParams.get('lang') === 'en');
      assert.match(await page.locator('#notice').innerText(), /Join request sent/);
    });
    await checkPage(page, 'overview-join-requested-english');
  });

await scenario('Paolo Gialli (suspended at Comune di Valdoria): told so, and by whom he is reactivated',
  async ({ page }) => {
    await spidLogin(page, paolo);
    await step('"Utenza sospesa" names the party and who can reactivate him', async () => {
      assert.equal(new URL(page.url()).pathname, '/area');
      assert.equal(await page.locator('h1').innerText(), 'Utenza sospesa');
      assert.match(await page.locator('#suspended').innerText(),
        /La tua utenza per Comune di Valdoria è sospesa\. Per riattivarla rivolgiti a un Amministratore dell'ente\./);
      assert.doesNotMatch(await page.locator('main').innerText(), /non è ancora associat/);
    });
    await checkPage(page, 'suspended');
    await step('in English', async () => {
      await page.goto(`${base}/area?lang=en`);
      assert.match(await page.locator('#suspended').innerText(), /suspended/i);
    });
    await checkPage(page, 'suspended-english');
  });

await finish();
