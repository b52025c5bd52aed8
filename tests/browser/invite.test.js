// invite.test.js: in Debian's chromium, a facilitator logs in and invites a twinning
// group to the invitation-only seed meeting; the invitees' mails arrive at a real SMTP
// listener on loopback; an Arabic-speaking invitee follows the link from the mail
// (the answer preselected, nothing recorded yet), answers with a note, and the
// facilitator sees the answer. axe-core checks the forms on the way.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const lib = require('./helpers');

const SLUG = 'hmln-webinar-twinning-arrangements';
const PW = 'a long enough password';
let tmp, db, smtp, srv, browser, maildir;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tawama-invite-'));
  db = path.join(tmp, 'demo.db');
  maildir = path.join(tmp, 'mail');
  lib.tawama(['init', '--db', db]);
  lib.tawama(['demo', '--db', db]);
  const add = (email, role, muni, lang, name) => lib.tawama(['user', 'add', '--db', db, '--email', email,
    '--role', role, '--lang', lang, '--name', name, ...(muni ? ['--municipality', muni] : [])], `${PW}\n`);
  add('staff@example.org', 'facilitator', null, 'en', 'Staff Member');
  add('rana@example.org', 'member', 'irbid', 'ar', 'رنا');
  add('emre@example.org', 'member', 'gaziantep', 'en', 'Emre');
  // the demo's own representatives of the two municipalities sit this test out
  execFileSync('/usr/bin/sqlite3', [db, "UPDATE users SET active = 0 WHERE email LIKE '%@demo.tawama.org'"
    + " AND municipality_id IN (SELECT id FROM municipalities WHERE slug IN ('irbid', 'gaziantep'))"]);
  smtp = await lib.smtpListener(maildir);
  srv = await lib.serve(db, ['--smtp-url', smtp.url, '--mail-from', 'HMLN <noreply@hmln.example>']);
  browser = await chromium.launch({ executablePath: lib.CHROMIUM, headless: false, args: lib.CHROME_ARGS });
  fs.mkdirSync(lib.SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  const status = srv ? await srv.proc.stop() : 0;
  if (smtp) await smtp.proc.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  assert.equal(status, 0, `tawama serve exit status after SIGTERM; stderr: ${srv && srv.proc.err}`);
});

async function axeClean(page, what) {
  const r = await lib.runAxe(page);
  assert.deepEqual(r.violations, [], `axe on ${what}`);
  if ((await page.getAttribute('html', 'dir')) === 'rtl') {
    const c = await lib.rerunContrastWithoutLigatureCheck(page);
    assert.deepEqual(c.violations, [], `colour contrast of Arabic text on ${what}`);
  }
}

test('a facilitator invites a twinning group; an invitee answers from the mailed link', async () => {
  const staff = await browser.newContext({ bypassCSP: true });
  const page = await staff.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });

  await page.goto(`${srv.base}/en/login`);
  await axeClean(page, 'the login form');
  await page.fill('#email', 'staff@example.org');
  await page.fill('#password', PW);
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  await page.goto(`${srv.base}/en/events/${SLUG}`);
  await Promise.all([page.waitForNavigation(), page.click('section.mine a[href$="/invitations"]')]);
  await axeClean(page, 'the invitations page');
  await page.check('input[name=group][value="irbid-gaziantep"]');
  await Promise.all([page.waitForNavigation(), page.click('text=Send the invitations')]);
  assert.equal(await page.textContent('#t-invited'), '2');
  assert.equal(await page.textContent('#t-none'), '2');

  const got = await lib.mails(maildir, 2);
  const rana = got.find((m) => m.to === 'rana@example.org');
  assert.ok(rana, `no mail to rana: ${got.map((m) => m.to)}`);
  assert.ok(got.some((m) => m.to === 'emre@example.org'), 'no mail to emre');
  assert.match(rana.calendar, /PARTSTAT=NEEDS-ACTION/);
  const link = /(http:\/\/127\.0\.0\.1:\d+\/ar\/rsvp\?token=[A-Za-z0-9_-]{43})&answer=accepted/.exec(rana.text);
  assert.ok(link, `no Arabic accept link in: ${rana.text}`);

  // the invitee, not signed in, follows the link: a form, nothing recorded yet
  const invitee = await browser.newContext({ bypassCSP: true });
  const p2 = await invitee.newPage();
  await p2.goto(`${link[1]}&answer=accepted`);
  assert.equal(await p2.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await p2.isChecked('input[name=answer][value=accepted]'), true);
  await axeClean(p2, 'the RSVP page in Arabic');
  await page.reload();
  assert.equal(await page.textContent('#t-accepted'), '0', 'following the link recorded an answer');
  await p2.screenshot({ path: path.join(lib.SHOTS, 'rsvp-ar.png'), fullPage: true });
  await p2.fill('#note', 'سأحضر الاجتماع');
  await Promise.all([p2.waitForNavigation(), p2.click('form.form button[type=submit] >> nth=0')]);
  assert.match(p2.url(), new RegExp(`/ar/events/${SLUG}\\?answered=accepted`));

  await page.reload();
  assert.equal(await page.textContent('#t-accepted'), '1');
  const row = await page.textContent('tr[data-answer="accepted"]');
  assert.match(row, /سأحضر الاجتماع/);
  await page.screenshot({ path: path.join(lib.SHOTS, 'invitations-en.png'), fullPage: true });
  // the same link again: refused
  const again = await p2.goto(`${link[1]}&answer=declined`);
  assert.equal(again.status(), 404);
  assert.deepEqual(problems, []);
  await staff.close();
  await invitee.close();
});
