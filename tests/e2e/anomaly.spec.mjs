// A SPID anomaly: the IdP answers ErrorCode nr22 (the user denied consent). varco shows the 403
// courtesy page with the SPID-mandated message and creates no session.
import { assert, base, checkPage, finish, scenario, spidLogin, step } from './harness.mjs';

await scenario('SPID anomaly nr22 → courtesy page, no session', async ({ context, page }) => {
  const acs = await spidLogin(page, 'RSSMRA80A01H501U', { anomaly: 'nr22' });
  await step('403 courtesy page naming the anomaly', async () => {
    assert.equal(acs.status(), 403);
    assert.equal(await page.locator('h1').innerText(), 'Accesso non riuscito');
    const text = await page.locator('main').innerText();
    assert.match(text, /Non hai dato il consenso/);
    assert.match(text, /nr22/);
  });
  await checkPage(page, 'courtesy-nr22');
  await step('no session: /area sends the browser to /login', async () => {
    const cookies = (await context.cookies(base)).filter((c) => c.name === 'varco_session');
    assert.deepEqual(cookies, []);
    await page.goto(`${base}/area`);
    assert.equal(new URL(page.url()).pathname, '/login');
  });
});

await finish();
