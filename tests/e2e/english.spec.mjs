// The Area Riservata in English: Mario Rossi switches language from the header, the pages (and
// their <html lang>) follow, the choice survives navigation, and he switches back to Italian.
import {
  assert, checkPage, finish, scenario, spidLogin, step,
} from './harness.mjs';

const mario = 'RSSMRA80A01H501U';

await scenario('Mario Rossi reads the area in English, then back in Italian', async ({ page }) => {
  await spidLogin(page, mario);
  await step('English from the header → Overview', async () => {
    await page.locator('#language-switch', { hasText: 'English' }).click();
    await page.waitForURL((u) => u.pathname === '/area' && u.searchParams.get('lang') === 'en');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('h1').innerText(), 'Overview');
    assert.match(await page.locator('#active').innerText(), /Active products[\s\S]*Manage/);
    await page.locator('#user-menu').click();
    assert.match(await page.locator('#who').innerText(), /Log out/i);
    await page.locator('#user-menu').click();
  });
  await checkPage(page, 'overview-en');
  await step('Users, still in English', async () => {
    await page.locator('nav a', { hasText: 'Users' }).click();
    await page.waitForURL((u) => u.pathname === '/area/users');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('h1').innerText(), 'Users');
    assert.match(await page.locator('#members').innerText(), /Administrator/);
  });
  await checkPage(page, 'users-en');
  await step('Italiano → Utenti in Italian again', async () => {
    await page.locator('#language-switch', { hasText: 'Italiano' }).click();
    await page.waitForURL((u) => u.searchParams.get('lang') === 'it');
    assert.equal(await page.locator('html').getAttribute('lang'), 'it');
    assert.equal(await page.locator('h1').innerText(), 'Utenti');
  });
});

await finish();
