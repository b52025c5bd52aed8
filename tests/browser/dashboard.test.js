// dashboard.test.js: in chromium, a member of a twinning group files this quarter's
// progress report in Arabic; a facilitator then sees it on the dashboard (/groups): the
// reports-per-quarter chart counts it, the group leaves the "no recent report" list and
// the CSV has the new quarter. Screenshots of the dashboard in Arabic and English; axe
// finds no violations there.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const {
  CHROMIUM, SHOTS, CHROME_ARGS, startServer, stopServer, runAxe, rerunContrastWithoutLigatureCheck,
} = require('./helpers');

const PW = 'demo-password-2026';
const MEMBER = 'rep.jenin@demo.tawama.org';
const STAFF = 'facilitator1@demo.tawama.org';
const GROUP = 'jenin-sulaymaniyah';
let srv, browser;

before(async () => {
  srv = await startServer('tawama-browser-dashboard-');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: false, args: CHROME_ARGS });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  const err = srv ? srv.err() : '';
  const status = await stopServer(srv);
  if (srv) assert.equal(status, 0, `tawama serve exit status after SIGTERM; stderr: ${err}`);
});

async function login(lang, email) {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  await page.goto(`${srv.base}/${lang}/login`);
  await page.fill('#email', email);
  await page.fill('#password', PW);
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  return page;
}

// The value the reports-per-quarter chart shows for a quarter label position: the
// values are the texts drawn above the columns, in document order (oldest first).
async function quarterValues(page) {
  return page.$$eval('svg.chart', (svgs) => {
    const chart = svgs.find((s) => s.querySelector('title').textContent.length > 0 &&
      s.querySelectorAll('rect').length > 0 && !s.querySelector('rect.track'));
    return chart ? [...chart.querySelectorAll('text.value')].map((t) => t.textContent) : null;
  });
}

async function axeClean(page, what) {
  const r = await runAxe(page);
  assert.deepEqual(r.violations, [], `axe on ${what}`);
  if ((await page.getAttribute('html', 'dir')) === 'rtl') {
    const c = await rerunContrastWithoutLigatureCheck(page);
    assert.deepEqual(c.violations, [], `colour contrast of Arabic text on ${what}`);
  }
}

test('a member files a progress report; the facilitator sees it on the dashboard', async () => {
  const now = new Date();
  const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

  const staff = await login('en', STAFF);
  await staff.goto(`${srv.base}/en/groups`);
  const before = await quarterValues(staff);
  assert.ok(before && before.length === 8, `reports per quarter: ${before}`);
  assert.match(await staff.textContent('#attention'), /Jenin/);
  const csv0 = await (await staff.request.get(`${srv.base}/en/groups.csv`)).text();
  assert.match(csv0, /^jenin-sulaymaniyah,/m);
  assert.doesNotMatch(csv0, new RegExp(`^jenin-sulaymaniyah,[^\\n]*,${quarter},`, 'm'));

  const member = await login('ar', MEMBER);
  await member.goto(`${srv.base}/ar/groups/${GROUP}/reports/new`);
  assert.equal(await member.getAttribute('html', 'dir'), 'rtl');
  await member.selectOption('#r-period', quarter);
  await member.fill('#r-achievements', 'أنجزنا دراسة السوق المحلية وعقدنا ورشتين مع القطاع الخاص.');
  await member.fill('#r-next_steps', 'إطلاق برنامج التدريب المهني مع غرفة التجارة.');
  const selects = await member.$$('fieldset select');
  for (const s of selects) await s.selectOption('4');
  await Promise.all([member.waitForNavigation(), member.click('form[action*="/reports/"] button[type=submit]')]);
  assert.match(member.url(), new RegExp(`/ar/groups/${GROUP}`));
  assert.deepEqual(member.problems, []);

  await staff.reload();
  const after = await quarterValues(staff);
  assert.notDeepEqual(after, before, 'the reports-per-quarter chart did not change');
  assert.equal(Number(after[after.length - 1]), Number(before[before.length - 1]) + 1,
    `this quarter's count: ${before} -> ${after}`);
  const attention = await staff.textContent('#attention');
  assert.ok(!/Jenin[^\n]*no recent report/.test(attention), `still flagged: ${attention}`);
  const csv1 = await (await staff.request.get(`${srv.base}/en/groups.csv`)).text();
  assert.match(csv1, new RegExp(`^jenin-sulaymaniyah,[^\\n]*,${quarter},`, 'm'));
  await axeClean(staff, 'the dashboard in English');
  await staff.screenshot({ path: path.join(SHOTS, 'dashboard-en.png'), fullPage: true });

  const staffAr = await login('ar', STAFF);
  await staffAr.goto(`${srv.base}/ar/groups`);
  assert.equal(await staffAr.getAttribute('svg.chart', 'direction'), 'rtl');
  await axeClean(staffAr, 'the dashboard in Arabic');
  await staffAr.screenshot({ path: path.join(SHOTS, 'dashboard-ar.png'), fullPage: true });
  assert.deepEqual(staff.problems, []);
  assert.deepEqual(staffAr.problems, []);
});
