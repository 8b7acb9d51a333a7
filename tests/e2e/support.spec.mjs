// Assistenza stores and forwards a message: Mario Rossi logs in, opens Assistenza from the
// footer, finds his e-mail prefilled, sends a request about pagoPA, lands on "Richiesta inviata"
// with the ticket number, and the demo help-desk webhook receives that ticket. Logged out, the
// login page offers Assistenza as a mailto: link.
import { assert, base, checkPage, finish, scenario, spidLogin, step } from './harness.mjs';

const webhook = process.env.E2E_WEBHOOK_URL;
if (!webhook) throw new Error('E2E_WEBHOOK_URL is not set: run the specs through tests/e2e/run');

// What the webhook received so far (demo/support_webhook.py keeps every post).
async function received() {
  const response = await fetch(`${webhook}/received`);
  assert.equal(response.status, 200);
  return response.json();
}

// Polls until `predicate` holds for the webhook's posts, or fails after `timeout` ms.
async function webhookEventually(predicate, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const posts = await received();
    if (predicate(posts)) return posts;
    if (Date.now() > until) assert.fail(`the webhook did not get it in time: ${JSON.stringify(posts)}`);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
}

await scenario('Assistenza stores and forwards a message', async ({ page }) => {
  const acs = await spidLogin(page, 'RSSMRA80A01H501U');
  await step('signed in, on the Panoramica', async () => {
    assert.equal(acs.status(), 303);
    await page.waitForURL(`${base}/area`);
  });

  await step('footer → Assistenza: the form, prefilled with his work e-mail at the Comune', async () => {
    await page.locator('footer a', { hasText: 'Assistenza' }).click();
    await page.waitForURL(`${base}/area/support`);
    assert.equal(await page.locator('h1').innerText(), 'Assistenza');
    assert.equal(await page.getByLabel('Indirizzo e-mail per la risposta').inputValue(),
      'm.rossi@comune.valdoria.example');
    const products = await page.locator('#support-product option').evaluateAll(
      (options) => options.map((o) => o.value));
    assert.ok(products.includes('prod-pagopa'), `products offered: ${products}`);
  });
  await checkPage(page, 'support-form');

  const subject = `Errore in Collaudo ${Date.now()}`;
  await step('an empty message comes back with the error and what was typed', async () => {
    await page.getByLabel('Oggetto').fill(subject);
    // The browser's own check would stop an empty required field: this tests the server's.
    await page.locator('#support-form').evaluate((form) => { form.noValidate = true; });
    const answer = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    assert.equal((await answer).status(), 422);
    await page.locator('#support-errors').waitFor();
    assert.match(await page.locator('#support-message-error').innerText(), /Scrivi il messaggio/);
    assert.equal(await page.getByLabel('Oggetto').inputValue(), subject);
  });
  await checkPage(page, 'support-error');

  let ticket;
  await step('send → 303 → "Richiesta inviata" with the ticket number', async () => {
    await page.getByLabel('Prodotto (facoltativo)').selectOption('prod-pagopa');
    await page.getByLabel('Messaggio').fill('Buongiorno,\nal collaudo di pagoPA compare un errore.');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.waitForURL(/\/area\/support\/sent\?ticket=/);
    assert.equal(await page.locator('h1').innerText(), 'Richiesta inviata');
    ticket = await page.locator('#support-ticket').innerText();
    assert.match(ticket, /^\d+-\d+$/);
    assert.equal(new URL(page.url()).searchParams.get('ticket'), ticket);
  });
  await checkPage(page, 'support-sent');

  await step('the demo help desk webhook received that ticket', async () => {
    const posts = await webhookEventually((all) => all.some((p) => p.body.ticket === ticket));
    const post = posts.find((p) => p.body.ticket === ticket);
    assert.equal(post.status, 200);
    assert.equal(post.idempotency_key, ticket);
    assert.equal(post.body.subject, subject);
    assert.equal(post.body.fiscal_number, 'RSSMRA80A01H501U');
    assert.equal(post.body.user_name, 'Mario Rossi');
    assert.equal(post.body.product, 'prod-pagopa');
    assert.equal(post.body.party_name, 'Comune di Valdoria');
    assert.equal(post.body.email, 'm.rossi@comune.valdoria.example');
    assert.match(post.body.message, /compare un errore/);
  });
});

await scenario('logged out: Assistenza is a mailto: link', async ({ page }) => {
  await step('the login page links the support address', async () => {
    await page.goto(`${base}/login`);
    const link = page.locator('footer a', { hasText: 'Assistenza' });
    assert.equal(await link.getAttribute('href'), 'mailto:assistenza@comune.valdoria.example');
  });
  await checkPage(page, 'login-support');
  await step('/area/support without a session goes to /login', async () => {
    await page.goto(`${base}/area/support`);
    assert.equal(new URL(page.url()).pathname, '/login');
  });
});

await finish();
