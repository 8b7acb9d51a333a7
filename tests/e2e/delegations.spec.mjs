// "I tuoi enti" and the legal pages in a real browser. Mario Rossi (RSSMRA80A01H501U) logs in,
// switches to Tecnopartner S.r.l. (a technology partner, where he is an operator), opens "I tuoi
// enti" from the header, sees the institutions that delegated it (demo/directory.yaml: 16 rows
// over two pages), searches and pages; as Comune di Valdoria the header has no such entry and the
// page explains why. Then /terms and /privacy from the login page's links.
import {
  assert, base, checkPage, finish, scenario, spidLogin, step,
} from './harness.mjs';

const mario = 'RSSMRA80A01H501U';

// The institutions' names in the table, in page order.
async function rowNames(page) {
  return page.locator('#delegations tbody th[scope=row]').allInnerTexts();
}

await scenario('Mario Rossi: I tuoi enti of Tecnopartner S.r.l., search and paging',
  async ({ page }) => {
    const acs = await spidLogin(page, mario);
    await step('logged in on the Panoramica of Comune di Valdoria: no "I tuoi enti"', async () => {
      assert.equal(acs.status(), 303);
      assert.equal(new URL(page.url()).pathname, '/area');
      assert.match(await page.locator('#party-switcher').innerText(), /Comune di Valdoria/);
      assert.equal(await page.locator('header a[href="/area/delegations"]').count(), 0);
    });
    await step('/area/delegations as the municipality: not applicable, explained', async () => {
      const response = await page.goto(`${base}/area/delegations`);
      assert.equal(response.status(), 200);
      assert.match(await page.locator('#not-a-partner').innerText(),
        /Comune di Valdoria \(Pubblica Amministrazione\), non è un\s+partner tecnologico/);
      assert.equal(await page.locator('#delegations').count(), 0);
    });
    await checkPage(page, 'not-a-partner');

    await step('party switcher: Tecnopartner S.r.l.', async () => {
      await page.goto(`${base}/area`);
      await page.locator('#party-switcher').click();
      const entry = page.locator('#party .dropdown-menu button', { hasText: 'Tecnopartner S.r.l.' });
      await entry.waitFor({ state: 'visible' });
      await entry.click();
      await page.locator('#party-switcher', { hasText: 'Tecnopartner S.r.l.' }).waitFor();
    });
    await step('the header\'s "I tuoi enti" → the first page of delegating institutions', async () => {
      await page.locator('header nav a', { hasText: 'I tuoi enti' }).click();
      await page.waitForURL((u) => u.pathname === '/area/delegations');
      assert.equal(await page.locator('h1').innerText(), 'I tuoi enti');
      assert.match(await page.locator('#delegations caption').innerText(),
        /Enti che hanno delegato Tecnopartner S\.r\.l\., pagina 1 di 2/);
      assert.match(await page.locator('#delegations-summary').innerText(), /^16 deleghe$/);
      const names = await rowNames(page);
      assert.equal(names.length, 10);
      assert.equal(names[0], 'Azienda Sanitaria Locale Valdoria Nord');
      assert.equal(names[9], 'Comune di Pietrarossa');
      // Comune di Acquaviva Alta delegated two products: two rows.
      const acquaviva = page.locator('#delegations tbody tr', { hasText: 'Comune di Acquaviva Alta' });
      assert.equal(await acquaviva.count(), 2);
      assert.deepEqual(await acquaviva.locator('td:nth-of-type(2)').allInnerTexts(),
        ['App IO', 'Piattaforma pagoPA']);
      assert.deepEqual(await acquaviva.locator('td:nth-of-type(3)').allInnerTexts(),
        ['20/01/2025', '04/11/2024']);
      const current = page.locator('nav[aria-label="Pagine degli enti"] [aria-current=page]');
      assert.match(await current.innerText(), /1/);
      assert.equal(await page.locator('.pagination .page-item.disabled', { hasText: 'Pagina precedente' }).count(), 1);
    });
    await checkPage(page, 'delegations-page-1');

    await step('Pagina successiva → page 2, next disabled', async () => {
      await page.locator('.pagination a', { hasText: 'Pagina successiva' }).click();
      await page.waitForURL((u) => u.searchParams.get('page') === '2');
      assert.deepEqual(await rowNames(page), [
        'Comune di Riva del Sole', 'Comune di Valdoria', 'Comune di Valdoria',
        'Consorzio Idrico Valdoriese', 'Istituto Comprensivo «Enrico Fermi»',
        'Unione dei Comuni della Valle Serena',
      ]);
      assert.equal(await page.locator('.pagination .page-item.disabled', { hasText: 'Pagina successiva' }).count(), 1);
      assert.match(await page.locator('nav[aria-label="Pagine degli enti"] [aria-current=page]').innerText(), /2/);
    });
    await checkPage(page, 'delegations-page-2');

    await step('search "valdoria" (any case) by name', async () => {
      await page.locator('label', { hasText: 'Cerca per nome o codice fiscale' }).click();
      await page.keyboard.type('valdoria');  // the label focused the field
      await page.locator('#delegations-search button', { hasText: 'Cerca' }).click();
      await page.waitForURL((u) => u.searchParams.get('q') === 'valdoria');
      // "Consorzio Idrico Valdoriese" has no "valdoria" in it.
      assert.deepEqual(await rowNames(page), [
        'Azienda Sanitaria Locale Valdoria Nord', 'Comune di Valdoria', 'Comune di Valdoria',
      ]);
      assert.equal(await page.locator('.pagination').count(), 0);
      assert.equal(await page.locator('#q').inputValue(), 'valdoria');
    });
    await checkPage(page, 'delegations-search');

    await step('search by fiscal code', async () => {
      await page.locator('#q').fill('80012340123');
      await page.locator('#q').press('Enter');
      await page.waitForURL((u) => u.searchParams.get('q') === '80012340123');
      assert.deepEqual(await rowNames(page), ['Comune di Valdoria', 'Comune di Valdoria']);
    });
    await step('no match: "Nessun ente trovato"', async () => {
      await page.locator('#q').fill('Milano');
      await page.locator('#q').press('Enter');
      await page.waitForURL((u) => u.searchParams.get('q') === 'Milano');
      // callout-title is upper-cased by CSS: compare the text, not its rendering.
      assert.match(await page.locator('#no-delegations').textContent(), /Nessun ente trovato/);
      assert.equal(await page.locator('#delegations').count(), 0);
    });
    await checkPage(page, 'delegations-empty');
    await step('a non-numeric page is a 400 page naming the reason', async () => {
      const response = await page.goto(`${base}/area/delegations?page=due`);
      assert.equal(response.status(), 400);
      assert.match(await page.locator('body').innerText(), /bad_page/);
    });
  });

await scenario('Termini e condizioni d\'uso and Informativa Privacy from the login page',
  async ({ page }) => {
    await step('/login → Termini e condizioni d\'uso', async () => {
      await page.goto(`${base}/login`);
      await page.locator('#main a', { hasText: 'Termini e condizioni d\'uso' }).click();
      await page.waitForURL((u) => u.pathname === '/terms');
      assert.equal(await page.locator('h1').innerText(), 'Termini e condizioni d\'uso');
      assert.equal(await page.locator('html').getAttribute('lang'), 'it');
      assert.match(await page.locator('main').innerText(), /SPID/);
      assert.ok(await page.locator('main h2').count() >= 3, 'the text has its sections');
    });
    await checkPage(page, 'terms');
    await step('English version', async () => {
      await page.locator('a[hreflang=en]').click();
      await page.waitForURL((u) => u.searchParams.get('lang') === 'en');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.locator('h1').innerText(), 'Terms and conditions of use');
    });
    await checkPage(page, 'terms-en');
    await step('back to the login page (in Italian again) → Informativa Privacy', async () => {
      // The English terms remembered English (varco_lang): ?lang=it switches back.
      await page.goto(`${base}/login?lang=it`);
      await page.locator('#main a', { hasText: 'Informativa Privacy' }).click();
      await page.waitForURL((u) => u.pathname === '/privacy');
      assert.equal(await page.locator('h1').innerText(), 'Informativa Privacy');
      assert.match(await page.locator('main').innerText(), /Titolare del trattamento/);
      const garante = page.locator('main a', { hasText: 'Garante per la protezione dei dati' });
      assert.equal(await garante.getAttribute('href'), 'https://www.garanteprivacy.it');
    });
    await checkPage(page, 'privacy');
    await step('Torna all\'accesso', async () => {
      await page.locator('a', { hasText: 'Torna all\'accesso' }).click();
      await page.waitForURL((u) => u.pathname === '/login');
    });
  });

await finish();
