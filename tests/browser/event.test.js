// event.test.js: Debian's chromium, driven by playwright-core, opens the seed event in
// Arabic and English (direction, parts, language switch, no console errors, screenshots)
// and runs axe-core on the home page, the list and the event page in all three languages.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const {
  BIN, CHROMIUM, SHOTS, CHROME_ARGS, startServer, stopServer, tr, norm, runAxe,
  rerunContrastWithoutLigatureCheck,
} = require('./helpers');

const SLUG = 'hmln-webinar-twinning-arrangements';
const LANGS = ['ar', 'en', 'fr'];

let srv, base, browser, events;

before(async () => {
  srv = await startServer('tawama-browser-');
  base = srv.base;
  events = execFileSync(BIN, ['export', 'events', '--db', srv.db], { maxBuffer: 1 << 28 })
    .toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: false, args: CHROME_ARGS });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  const err = srv ? srv.err() : '';
  const status = await stopServer(srv);
  if (srv) assert.equal(status, 0, `tawama serve exit status after SIGTERM; stderr: ${err}`);
});

// A page that records console errors, page errors, failed requests and HTTP errors.
async function openPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => page.problems.push(`failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) page.problems.push(`third-party: ${r.url()}`);
  });
  return page;
}

function seed(lang) {
  const e = events.find((x) => x.slug === SLUG);
  assert.ok(e, 'the seed event is in the export');
  return { e, t: e.text[lang] };
}

async function checkEventPage(page, lang) {
  const { e, t } = seed(lang);
  const html = page.locator('html');
  assert.equal(await html.getAttribute('lang'), lang, 'html lang');
  const dir = await html.getAttribute('dir');
  if (lang === 'ar') assert.equal(dir, 'rtl', 'html dir');
  else assert.ok(dir === null || dir === 'ltr', `html dir ${dir}`);
  const cssDir = await page.evaluate(() => getComputedStyle(document.body).direction);
  assert.equal(cssDir, lang === 'ar' ? 'rtl' : 'ltr', 'computed direction of <body>');

  const h1 = norm(await page.locator('h1').first().innerText());
  assert.ok(h1.includes(norm(t.title)), `h1 ${JSON.stringify(h1)} has the title ${JSON.stringify(t.title)}`);
  // The title starts at the reading side: right in Arabic, left otherwise.
  const box = await page.evaluate(() => {
    const r = document.createRange();
    r.selectNodeContents(document.querySelector('h1'));
    const rects = [...r.getClientRects()];
    const h = document.querySelector('h1').getBoundingClientRect();
    return { left: Math.min(...rects.map((x) => x.left)) - h.left, right: h.right - Math.max(...rects.map((x) => x.right)) };
  });
  if (lang === 'ar') assert.ok(box.right <= box.left + 1, `Arabic title is not right-aligned: ${JSON.stringify(box)}`);
  else assert.ok(box.left <= box.right + 1, `title is not left-aligned: ${JSON.stringify(box)}`);

  const body = norm(await page.locator('body').innerText());
  for (const label of ['Starts', 'Ends', 'Location', 'By', 'Context', 'Objectives', 'Participation']) {
    assert.ok(body.includes(tr(lang, label)), `the page shows ${JSON.stringify(tr(lang, label))} (${label})`);
  }
  assert.ok(body.includes(tr(lang, 'Virtual')), 'the location Virtual is shown');
  const orgName = e.organiser.name[lang] || e.organiser.name.en;
  assert.ok(body.includes(norm(orgName)), `the organiser ${orgName} is shown`);
  const lists = await page.evaluate((n) => [...document.querySelectorAll('ul, ol')]
    .filter((l) => [...l.children].filter((c) => c.tagName === 'LI').length === n)
    .map((l) => [...l.children].map((li) => li.innerText)), t.objectives.length);
  const strip = (s) => norm(s.replace(/[*_`#>[\]]/g, ''));
  assert.ok(lists.some((items) => items.every((text, i) => norm(text).includes(strip(t.objectives[i]).slice(0, 25)))),
    `a list shows the ${t.objectives.length} objectives in order`);
  const visible = await page.evaluate(() => {
    const b = document.body.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && document.documentElement.scrollWidth <= window.innerWidth + 1;
  });
  assert.ok(visible, 'the page has no horizontal overflow');
}

describe('the seed event in a real browser', () => {
  for (const lang of ['ar', 'en']) {
    test(`event page in ${lang}: direction, parts, no console errors, screenshot`, async () => {
      const context = await browser.newContext({ locale: lang === 'ar' ? 'ar-JO' : 'en-US' });
      try {
        const page = await openPage(context);
        const r = await page.goto(`${base}/${lang}/events/${SLUG}`, { waitUntil: 'load' });
        assert.equal(r.status(), 200);
        await page.screenshot({ path: path.join(SHOTS, `event-${lang}.png`), fullPage: true });
        await checkEventPage(page, lang);
        await page.waitForTimeout(200);
        assert.deepEqual(page.problems, [], 'console errors or failed requests');
      } finally {
        await context.close();
      }
    });
  }

  test('mobile viewport: no horizontal scrolling in Arabic and English', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      const page = await openPage(context);
      for (const lang of ['ar', 'en']) {
        await page.goto(`${base}/${lang}/events/${SLUG}`, { waitUntil: 'load' });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${lang}: the page is ${overflow}px wider than a 360px screen`);
        await page.screenshot({ path: path.join(SHOTS, `event-${lang}-mobile.png`), fullPage: true });
      }
      assert.deepEqual(page.problems, [], 'console errors or failed requests');
    } finally {
      await context.close();
    }
  });

  test('language switch: the English link on the Arabic page opens the same event in English', async () => {
    const context = await browser.newContext();
    try {
      const page = await openPage(context);
      await page.goto(`${base}/ar/events/${SLUG}`, { waitUntil: 'load' });
      const link = page.locator(`a[href$="/en/events/${SLUG}"]`).first();
      assert.equal(await link.count(), 1, 'the Arabic page links the English version');
      await Promise.all([page.waitForURL(`**/en/events/${SLUG}`), link.click()]);
      assert.equal(new URL(page.url()).pathname, `/en/events/${SLUG}`);
      await checkEventPage(page, 'en');
      const back = page.locator(`a[href$="/ar/events/${SLUG}"]`).first();
      await Promise.all([page.waitForURL(`**/ar/events/${SLUG}`), back.click()]);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      const fr = page.locator(`a[href$="/fr/events/${SLUG}"]`).first();
      await Promise.all([page.waitForURL(`**/fr/events/${SLUG}`), fr.click()]);
      await checkEventPage(page, 'fr');
      assert.deepEqual(page.problems, [], 'console errors or failed requests');
    } finally {
      await context.close();
    }
  });

  test('the page works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await openPage(context);
      await page.goto(`${base}/en/events/${SLUG}`, { waitUntil: 'load' });
      await checkEventPage(page, 'en');
      // Paging by links: on the list, or on one of its views (upcoming, past).
      await page.goto(`${base}/en/events`, { waitUntil: 'load' });
      if (await page.locator('a[href*="page=2"]').count() === 0) {
        const views = await page.locator('main a[href*="/en/events?"]').all();
        for (const v of views) {
          await Promise.all([page.waitForURL(/\/en\/events\?/), v.click()]);
          if (await page.locator('a[href*="page=2"]').count() > 0) break;
          await page.goBack();
        }
      }
      const next = page.locator('a[href*="page=2"]').first();
      assert.equal(await next.count(), 1, 'a link to a second page of events');
      await Promise.all([page.waitForURL(/[?&]page=2/), next.click()]);
      assert.ok((await page.locator('main a[href*="/en/events/"]').count()) > 0, 'page 2 lists events');
      assert.deepEqual(page.problems, [], 'console errors or failed requests');
    } finally {
      await context.close();
    }
  });
});

describe('axe-core finds no violations', () => {
  const searches = { ar: 'التوامة', en: 'twinning', fr: 'jumelage' };
  const pages = (lang) => [`/${lang}/`, `/${lang}/events`, `/${lang}/events/${SLUG}`,
    `/${lang}/search?q=${encodeURIComponent(searches[lang])}`];
  for (const lang of LANGS) {
    for (const which of [0, 1, 2, 3]) {
      test(`axe ${pages(lang)[which]}`, async (t) => {
        const context = await browser.newContext({ bypassCSP: true });
        try {
          const page = await context.newPage();
          const url = `${base}${pages(lang)[which]}`;
          const resp = await page.goto(url, { waitUntil: 'load' });
          assert.equal(resp.status(), 200, url);
          const r = await runAxe(page);
          const found = { violations: r.violations };
          if (lang === 'ar') {
            const c = await rerunContrastWithoutLigatureCheck(page);
            t.diagnostic(`colour contrast: ${r.contrastChecked} elements checked by the first run, ` +
              `${c.checked} by the rerun (${c.arabicChecked} with Arabic text)`);
            if (c.incomplete.length) t.diagnostic(`colour contrast undecided on Arabic text: ${c.incomplete.join(' | ')}`);
            found.contrastWithoutLigatureCheck = c.violations;
            assert.ok(c.arabicChecked > 0, `the contrast rerun checked no Arabic text on ${url}`);
            assert.ok(c.checked >= r.contrastChecked, 'the rerun checks at least what the first run did');
          }
          const none = lang === 'ar' ? { violations: [], contrastWithoutLigatureCheck: [] } : { violations: [] };
          assert.deepEqual(found, none, `axe violations on ${url}`);
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe('search in a real browser', () => {
  test('with JavaScript, a criterion applies without a full reload', async () => {
    const context = await browser.newContext();
    try {
      const page = await openPage(context);
      await page.goto(`${base}/en/search?q=twinning`, { waitUntil: 'load' });
      await page.evaluate(() => { window.__noReload = 'still here'; });
      const before = await page.locator('#results-title .n').innerText();
      const link = page.locator('.facets .facet a:not(.on)').first();
      const label = norm(await link.innerText());
      await link.click();
      await page.waitForFunction(() => /[?&](type|theme|country|organiser|from|language|mode|participation|when)=/.test(location.search));
      await page.waitForSelector('.facets a.on');
      assert.equal(await page.evaluate(() => window.__noReload), 'still here', 'the page was reloaded');
      const on = norm(await page.locator('.facets a.on').first().innerText());
      assert.ok(on.startsWith('✓') || on.includes(label.split(' (')[0]), `the chosen value is shown selected: ${on} / ${label}`);
      assert.ok(new URL(page.url()).searchParams.get('q') === 'twinning', 'the text is kept');
      const after = await page.locator('#results-title .n').innerText();
      assert.ok(after !== undefined && before !== undefined, 'result counts are shown');
      // the text form also applies without a reload
      await page.fill('main form.search input[name=q]', 'التوأمة');
      await page.press('main form.search input[name=q]', 'Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'التوأمة');
      await page.waitForSelector('.results mark');
      assert.equal(await page.evaluate(() => window.__noReload), 'still here', 'the form submit reloaded the page');
      // back goes back to the previous criteria
      await page.goBack();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'twinning');
      assert.deepEqual(page.problems, [], 'no console errors or failed requests');
      await page.screenshot({ path: path.join(SHOTS, 'search-en.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  test('without JavaScript, facets and the form are plain links and GET forms', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await openPage(context);
      await page.goto(`${base}/ar/search?q=${encodeURIComponent('التوامه')}`, { waitUntil: 'load' });
      assert.ok(await page.locator('.results mark').count() > 0, 'highlighted matches');
      await page.locator('.facets .facet a:not(.on)').first().click();
      await page.waitForSelector('.facets a.on');
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      await page.screenshot({ path: path.join(SHOTS, 'search-ar.png'), fullPage: true });
      assert.deepEqual(page.problems, [], 'no console errors or failed requests');
    } finally {
      await context.close();
    }
  });
});
