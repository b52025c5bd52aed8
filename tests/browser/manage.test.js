// manage.test.js: a facilitator, in Arabic (right to left), fills the new event form in
// chromium, is told beside the field what is wrong, creates the draft, publishes it, and
// the public event page shows it; axe-core finds no violation on the form (blank and
// with messages), the manage list and the audit log.
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

const EMAIL = 'layla.facilitator@example.org';
const PASSWORD = 'a long enough password';
const SLUG = 'warsha-irbid-2031';
const TITLE = 'ورشة عمل حول إدارة النفايات في إربد';
const OBJECTIVES = ['تبادل الخبرات بين البلديات', 'وضع خطة عمل مشتركة'];

let srv, browser;

before(async () => {
  srv = await startServer('tawama-browser-manage-');
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', EMAIL, '--role', 'facilitator',
    '--name', 'ليلى', '--lang', 'ar'], { input: `${PASSWORD}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: false, args: CHROME_ARGS });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  const err = srv ? srv.err() : '';
  const status = await stopServer(srv);
  if (srv) assert.equal(status, 0, `tawama serve exit status after SIGTERM; stderr: ${err}`);
});

// No axe violation on the page; on Arabic pages also none from the contrast rerun.
async function assertAxeClean(page, t, what) {
  const r = await runAxe(page);
  const c = await rerunContrastWithoutLigatureCheck(page);
  t.diagnostic(`${what}: colour contrast checked on ${c.checked} elements (${c.arabicChecked} Arabic)`);
  assert.ok(c.arabicChecked > 0, `the contrast rerun checked no Arabic text on ${what}`);
  assert.deepEqual({ violations: r.violations, contrast: c.violations }, { violations: [], contrast: [] },
    `axe violations on ${what}`);
}

async function logIn(page) {
  await page.goto(`${srv.base}/ar/login`, { waitUntil: 'load' });
  await page.fill('#email', EMAIL);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/ar\/$/), page.click('main button[type=submit]')]);
}

describe('a facilitator manages an event in Arabic', () => {
  test('fills the form, is told what is wrong, publishes, and the event page shows it', async (t) => {
    const context = await browser.newContext({ locale: 'ar-JO', viewport: { width: 1100, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      const problems = [];
      // the refused form answers 422 on purpose; chromium logs that as an error
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      await logIn(page);
      // the header leads staff to the manage pages
      await Promise.all([page.waitForURL(/\/ar\/manage\/events$/),
        page.click(`header a[href="/ar/manage/events"]`)]);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      await assertAxeClean(page, t, 'the manage list');
      await Promise.all([page.waitForURL(/\/ar\/manage\/events\/new$/),
        page.click('main a[href="/ar/manage/events/new"]')]);
      assert.equal(norm(await page.locator('h1').innerText()), tr('ar', 'New event'));
      await assertAxeClean(page, t, 'the new event form');
      await page.screenshot({ path: path.join(SHOTS, 'manage-form-ar.png'), fullPage: true });

      // fill every part of the form, with the end before the start
      await page.fill('#f-slug', SLUG);
      await page.selectOption('#f-type', 'workshop');
      await page.selectOption('#f-organiser', 'cmi');
      await page.check('input[name=theme][value=waste-management]');
      await page.fill('#f-starts', '2031-06-02T10:00');
      await page.fill('#f-ends', '2031-06-02T09:00');
      await page.fill('#f-timezone', 'Asia/Amman');
      await page.check('input[name=virtual][value="0"]');
      await page.fill('#f-venue', 'قاعة البلدية');
      await page.fill('#f-city', 'إربد');
      await page.selectOption('#f-country', 'JO');
      await page.selectOption('#f-participation', 'registration');
      await page.fill('#f-capacity', '30');
      await page.check('#f-needs_approval');
      await page.fill('#title-ar', TITLE);
      await page.fill('#context-ar', 'تلتقي البلديات **لتبادل** تجاربها في إدارة النفايات.');
      await page.fill('#objectives-ar', OBJECTIVES.join('\n'));
      await page.fill('#participation-ar', 'التسجيل مطلوب، والمقاعد محدودة.');
      await page.click('form.event-form button[type=submit]');
      await page.waitForSelector('#ends-err');
      assert.equal(norm(await page.locator('#ends-err').innerText()), tr('ar', 'The event ends before it starts.'));
      assert.equal(await page.locator('#f-ends').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#f-ends').getAttribute('aria-describedby'), 'when-hint ends-err');
      // the values are kept, the message is beside the field
      assert.equal(await page.inputValue('#title-ar'), TITLE);
      assert.equal(await page.inputValue('#f-city'), 'إربد');
      assert.ok(await page.isChecked('#f-needs_approval'));
      await assertAxeClean(page, t, 'the form with a message');
      await page.screenshot({ path: path.join(SHOTS, 'manage-form-error-ar.png'), fullPage: true });

      await page.fill('#f-ends', '2031-06-02T15:30');
      await Promise.all([page.waitForURL(/\/edit\?saved=1$/), page.click('form.event-form button[type=submit]')]);
      assert.ok(norm(await page.locator('main').innerText()).includes(tr('ar', 'The event is saved.')));
      // a draft until published
      const visitor = await browser.newContext();
      const vpage = await visitor.newPage();
      let resp = await vpage.goto(`${srv.base}/ar/events/${SLUG}`);
      assert.equal(resp.status(), 404, 'the draft is public');
      await Promise.all([page.waitForURL(/\/edit$/), page.click(`form[action$="/${SLUG}/publish"] button`)]);
      resp = await vpage.goto(`${srv.base}/ar/events/${SLUG}`, { waitUntil: 'load' });
      assert.equal(resp.status(), 200);
      assert.equal(await vpage.locator('html').getAttribute('dir'), 'rtl');
      assert.equal(norm(await vpage.locator('h1').innerText()), TITLE);
      const body = norm(await vpage.locator('main').innerText());
      for (const s of ['إربد', 'قاعة البلدية', 'لتبادل', ...OBJECTIVES]) {
        assert.ok(body.includes(s), `the event page shows ${s}`);
      }
      assert.ok(await vpage.locator('main strong', { hasText: 'لتبادل' }).count() === 1, 'Markdown is rendered');
      // 10:00 in Amman: the page gives the time in the event's zone (Arabic digits)
      assert.ok(body.includes('١٠:٠٠'), `the start time 10:00 is shown: ${body.slice(0, 400)}`);
      await vpage.screenshot({ path: path.join(SHOTS, 'manage-event-ar.png'), fullPage: true });
      await visitor.close();

      // the audit log says who created and published it
      await page.goto(`${srv.base}/ar/manage/audit?event=${SLUG}`, { waitUntil: 'load' });
      const log = norm(await page.locator('main').innerText());
      for (const s of ['ليلى', tr('ar', 'Created'), tr('ar', 'Published')]) {
        assert.ok(log.includes(s), `the audit log shows ${s}`);
      }
      await assertAxeClean(page, t, 'the audit log');
      assert.deepEqual(problems, [], 'console errors');
    } finally {
      await context.close();
    }
  });
});
