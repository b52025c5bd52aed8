// groups.test.js: a member of a twinning group, in Arabic (right to left), opens the
// group's workspace from the list, updates a milestone in chromium (a wrong percentage is
// named beside the field, then the right one is saved and its bar drawn), and axe-core
// finds no violation on the list, the workspace, the form with its message, or the
// public view of a group that is not theirs.
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

const EMAIL = 'nour.irbid@example.org';
const PASSWORD = 'a long enough password';
const GROUP = 'irbid-gaziantep';

let srv, browser;

before(async () => {
  srv = await startServer('tawama-browser-groups-');
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', EMAIL, '--role', 'member',
    '--name', 'نور', '--lang', 'ar', '--municipality', 'irbid'],
  { input: `${PASSWORD}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: false, args: CHROME_ARGS });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  const err = srv ? srv.err() : '';
  const status = await stopServer(srv);
  if (srv) assert.equal(status, 0, `tawama serve exit status after SIGTERM; stderr: ${err}`);
});

async function assertAxeClean(page, t, what) {
  const r = await runAxe(page);
  const c = await rerunContrastWithoutLigatureCheck(page);
  t.diagnostic(`${what}: colour contrast checked on ${c.checked} elements (${c.arabicChecked} Arabic)`);
  assert.ok(c.arabicChecked > 0, `the contrast rerun checked no Arabic text on ${what}`);
  assert.deepEqual({ violations: r.violations, contrast: c.violations }, { violations: [], contrast: [] },
    `axe violations on ${what}`);
}

describe('a member works on the group plan in Arabic', () => {
  test('opens the workspace, is told a percentage is wrong, saves the right one', async (t) => {
    const context = await browser.newContext({ locale: 'ar-JO', viewport: { width: 1100, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      const problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

      // a visitor sees a group's name, cities and status
      await page.goto(`${srv.base}/ar/groups/mafraq-kilis`, { waitUntil: 'load' });
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      assert.equal(await page.locator('#plan').count(), 0, 'the public view shows the plan');
      await assertAxeClean(page, t, 'the public view');

      await page.goto(`${srv.base}/ar/login`, { waitUntil: 'load' });
      await page.fill('#email', EMAIL);
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(/\/ar\/$/), page.click('main button[type=submit]')]);
      await Promise.all([page.waitForURL(/\/ar\/groups$/), page.click('header a[href="/ar/groups"]')]);
      await assertAxeClean(page, t, 'the list');
      await Promise.all([page.waitForURL(new RegExp(`/ar/groups/${GROUP}$`)),
        page.click(`main a[href="/ar/groups/${GROUP}"]`)]);
      assert.equal(norm(await page.locator('#plan-title').innerText()), tr('ar', 'Work plan'));
      await assertAxeClean(page, t, 'the workspace');
      // the bars fill from the start of the line: the right, in Arabic
      const transform = await page.locator('#plan svg.pbar').first()
        .evaluate((e) => getComputedStyle(e).transform);
      assert.notEqual(transform, 'none', 'the bar is not mirrored in Arabic');
      // and they are drawn: the filled part is its percentage of the whole
      for (const sel of ['p.overall svg.pbar', '#plan tbody tr:nth-child(4) svg.pbar']) {
        const share = await page.locator(sel).evaluate((svg) => {
          const whole = svg.getBoundingClientRect();
          const fill = svg.querySelector('rect.pbar-fill');
          return { drawn: fill.getBoundingClientRect().width / whole.width,
            want: Number(fill.getAttribute('width')) / 100, height: whole.height };
        });
        assert.ok(share.height >= 8, `${sel} is ${share.height}px high`);
        assert.ok(share.want > 0 && Math.abs(share.drawn - share.want) < 0.02,
          `${sel}: ${JSON.stringify(share)}`);
      }
      await page.screenshot({ path: path.join(SHOTS, 'group-workspace-ar.png'), fullPage: true });

      // the strategy draft, in progress
      const row = page.locator('#plan tbody tr').nth(3);
      await Promise.all([page.waitForURL(/\/milestones\/\d+\/edit$/), row.locator('a').first().click()]);
      await page.fill('#m-progress', '150');
      await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
      assert.equal(await page.locator('#m-progress').getAttribute('aria-invalid'), 'true');
      assert.equal(norm(await page.locator('#m-progress-err').innerText()),
        tr('ar', 'Write a whole number from 0 to 100.'));
      assert.equal(await page.locator('#m-progress').inputValue(), '150', 'the value is not kept');
      await assertAxeClean(page, t, 'the form with a message');
      await page.fill('#m-progress', '90');
      await Promise.all([page.waitForURL(/\?saved=milestone#milestone-\d+$/),
        page.click('main button[type=submit]')]);
      assert.equal(norm(await page.locator('.notice[role=status]').innerText()),
        tr('ar', 'The milestone is saved.'));
      const width = await page.locator('#plan tbody tr').nth(3).locator('rect.pbar-fill')
        .getAttribute('width');
      assert.equal(width, '90');
      assert.match(norm(await page.locator('#timeline li').first().innerText()), /نور/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
