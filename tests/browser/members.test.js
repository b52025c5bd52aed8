// members.test.js: in chromium, a visitor searches the directory of member municipalities
// in Arabic (a name without its hamza) and chooses a country with JavaScript on, opens a
// municipality page in Arabic and English, and a demo representative logs in and sees
// the names of the representatives; axe-core finds no violation on the directory and the
// municipality page (ar, en), nor on the staff's edit form with its messages (ar).
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const {
  CHROMIUM, SHOTS, CHROME_ARGS, startServer, stopServer, tr, norm, runAxe,
  rerunContrastWithoutLigatureCheck,
} = require('./helpers');

const PASSWORD = 'demo-password-2026';

let srv, browser;

before(async () => {
  srv = await startServer('tawama-browser-members-');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: false, args: CHROME_ARGS });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  const err = srv ? srv.err() : '';
  const status = await stopServer(srv);
  if (srv) assert.equal(status, 0, `tawama serve exit status after SIGTERM; stderr: ${err}`);
});

// No axe violation; on Arabic pages also none from the contrast rerun, which must have
// checked Arabic text.
async function assertAxeClean(page, t, lang, what) {
  const r = await runAxe(page);
  const c = await rerunContrastWithoutLigatureCheck(page);
  t.diagnostic(`${what}: colour contrast checked on ${c.checked} elements (${c.arabicChecked} Arabic)`);
  if (lang === 'ar') assert.ok(c.arabicChecked > 0, `the contrast rerun checked no Arabic text on ${what}`);
  assert.deepEqual({ violations: r.violations, contrast: c.violations }, { violations: [], contrast: [] },
    `axe violations on ${what}`);
}

function watch(page, allowed = /^$/) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowed.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

const cards = (page) => page.locator('main article.card h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

describe('the directory of member municipalities', () => {
  test('search in Arabic, choose a country, open a municipality (ar, en)', async (t) => {
    const context = await browser.newContext({ locale: 'ar-JO', viewport: { width: 1100, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(`${srv.base}/ar/members`, { waitUntil: 'load' });
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      assert.equal(norm(await page.locator('h1').innerText()), tr('ar', 'Member municipalities'));
      assert.equal((await cards(page)).length, 20, 'a page of twenty');
      await assertAxeClean(page, t, 'ar', 'the directory (ar)');
      await page.screenshot({ path: path.join(SHOTS, 'members-ar.png'), fullPage: true });

      // a name without its hamza finds إربد
      await page.fill('#q', 'اربد');
      await Promise.all([page.waitForURL(/\/ar\/members\?q=/), page.press('#q', 'Enter')]);
      assert.deepEqual(await cards(page), ['/ar/members/irbid']);
      assert.equal(norm(await page.locator('main article.card h3').innerText()), 'إربد');

      // with JavaScript, a country applies without a full reload and the URL follows
      await page.goto(`${srv.base}/ar/members`, { waitUntil: 'load' });
      await page.evaluate(() => { window.__sameDocument = true; });
      await Promise.all([page.waitForURL(/country=LB/),
        page.click('aside.facets a[href="/ar/members?country=LB"]')]);
      await page.waitForFunction(() => document.querySelectorAll('main article.card').length === 8);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
      assert.ok((await cards(page)).includes('/ar/members/tyre'));
      assert.equal(await page.locator('aside.facets a[aria-current="true"]').count(), 1);
      await assertAxeClean(page, t, 'ar', 'the directory with a country (ar)');

      // the municipality page, in Arabic then English
      await Promise.all([page.waitForURL(/\/ar\/members\/tyre$/), page.click('main a[href="/ar/members/tyre"]')]);
      assert.equal(norm(await page.locator('h1').innerText()), 'صور');
      const body = norm(await page.locator('main').innerText());
      for (const s of ['صور – مرسين', tr('ar', 'Active'), '١٢٠٬٠٠٠', '٢٠١٨', tr('ar', 'Log in to see the names of the representatives.')]) {
        assert.ok(body.includes(s), `the Tyre page shows ${s}: ${body.slice(0, 600)}`);
      }
      await assertAxeClean(page, t, 'ar', 'a municipality page (ar)');
      await page.screenshot({ path: path.join(SHOTS, 'member-ar.png'), fullPage: true });
      await Promise.all([page.waitForURL(/\/en\/members\/tyre$/), page.click('nav.langs a[hreflang="en"]')]);
      assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
      assert.equal(norm(await page.locator('h1').innerText()), 'Tyre');
      assert.ok(norm(await page.locator('main').innerText()).includes('Tyre – Mersin'));
      await assertAxeClean(page, t, 'en', 'a municipality page (en)');
      await page.goto(`${srv.base}/en/members?theme=water`, { waitUntil: 'load' });
      assert.deepEqual((await cards(page)).sort(), ['/en/members/duhok', '/en/members/zahle']);
      await assertAxeClean(page, t, 'en', 'the directory (en)');
      await page.screenshot({ path: path.join(SHOTS, 'members-en.png'), fullPage: true });
      assert.deepEqual(problems, [], 'console errors');
    } finally {
      await context.close();
    }
  });

  test('a representative sees names; a facilitator is told beside the field what is wrong', async (t) => {
    const context = await browser.newContext({ locale: 'ar-JO', viewport: { width: 1100, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      // the refused form answers 422 on purpose; chromium logs that as an error
      const problems = watch(page, /status of 422/);
      await page.goto(`${srv.base}/ar/login?next=/ar/members/irbid`, { waitUntil: 'load' });
      await page.fill('#email', 'rep.tyre@demo.tawama.org');
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(/\/ar\/members\/irbid$/), page.click('main button[type=submit]')]);
      const names = await page.locator('main ul.people li').allInnerTexts();
      assert.equal(names.length, 2, `Irbid's representatives: ${names}`);
      assert.ok(!(await page.locator('main').innerText()).includes('@'), 'an address on the page');
      await assertAxeClean(page, t, 'ar', 'a municipality page for a member (ar)');
      await page.click('header form[action="/ar/logout"] button');

      await page.goto(`${srv.base}/ar/login?next=/ar/members/irbid/edit`, { waitUntil: 'load' });
      await page.fill('#email', 'facilitator1@demo.tawama.org');
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(/\/ar\/members\/irbid\/edit$/), page.click('main button[type=submit]')]);
      await assertAxeClean(page, t, 'ar', 'the edit form (ar)');
      await page.fill('#f-displaced_year', '');
      await page.fill('#f-population', '-3');
      await page.click('form.member-form button[type=submit]');
      await page.waitForSelector('#population-err');
      assert.equal(norm(await page.locator('#displaced_year-err').innerText()), tr('ar', 'Give the year of the figures.'));
      assert.equal(await page.locator('#f-population').getAttribute('aria-invalid'), 'true');
      await assertAxeClean(page, t, 'ar', 'the edit form with messages (ar)');
      await page.screenshot({ path: path.join(SHOTS, 'member-edit-error-ar.png'), fullPage: true });
      await page.fill('#f-displaced_year', '٢٠٢٤');
      await page.fill('#f-population', '510000');
      await Promise.all([page.waitForURL(/\/ar\/members\/irbid\?saved=1$/), page.click('form.member-form button[type=submit]')]);
      const facts = norm(await page.locator('dl.facts').innerText());
      assert.ok(facts.includes('٥١٠٬٠٠٠') && facts.includes('٢٠٢٤'), `the saved figures: ${facts}`);
      assert.deepEqual(problems, [], 'console errors');
    } finally {
      await context.close();
    }
  });
});
