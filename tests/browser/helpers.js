// helpers.js: what the browser tests share — a tawama server on a fresh demo database
// (or on a database of the test's own, with options), Debian's chromium, the gettext
// catalogs, a real SMTP listener whose mails are read back, and axe-core with its
// colour-contrast rerun for Arabic pages.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = process.env.TAWAMA_BIN || path.join(ROOT, 'build', 'tawama');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'build', 'screenshots');
const CHROME_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A `tawama serve` on a fresh demo database in a temporary folder:
// { tmp, db, base, proc, err() }; stop it with stopServer.
async function startServer(prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = path.join(tmp, 'demo.db');
  const opts = { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300000 };
  execFileSync(BIN, ['init', '--db', db], opts);
  execFileSync(BIN, ['demo', '--db', db], opts);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--base-url', base, '--quiet'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  // Never leave the server behind, even when this process is told to stop.
  process.on('exit', () => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  for (const sig of ['SIGTERM', 'SIGINT']) process.once(sig, () => process.exit(1));
  const s = { tmp, db, base, proc, err: () => err };
  const end = Date.now() + 30000;
  let last;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`tawama serve exited (${proc.exitCode}): ${err}`);
    try {
      const r = await fetch(`${base}/en/`);
      if (r.status) return s;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tawama serve did not answer: ${last}`);
}

// Stops the server with SIGTERM and removes its folder; returns its exit status.
async function stopServer(s) {
  if (!s) return null;
  if (s.proc.exitCode === null) {
    const done = new Promise((r) => s.proc.once('exit', r));
    s.proc.kill('SIGTERM');
    const t = setTimeout(() => s.proc.kill('SIGKILL'), 15000);
    await done;
    clearTimeout(t);
  }
  fs.rmSync(s.tmp, { recursive: true, force: true });
  return s.proc.exitCode;
}

// msgid -> msgstr of po/{lang}.po (single-line entries are enough for labels).
const catalogs = {};
function tr(lang, msgid) {
  if (!catalogs[lang]) {
    catalogs[lang] = {};
    const text = fs.readFileSync(path.join(ROOT, 'po', `${lang}.po`), 'utf8');
    const re = /^msgid (".*")\nmsgstr (".*")$/gm;
    let m;
    while ((m = re.exec(text))) catalogs[lang][JSON.parse(m[1])] = JSON.parse(m[2]);
  }
  const s = catalogs[lang][msgid];
  if (s) return s;
  if (lang === 'en') return msgid;
  throw new Error(`po/${lang}.po has no translation of ${JSON.stringify(msgid)}`);
}

const norm = (s) => s.replace(/[\u200e\u200f\u061c]/g, '').replace(/\s+/g, ' ').trim();

// axe-core. The colour-contrast rule's "matches" step drops text that its icon-ligature
// heuristic (a canvas comparison) takes for an icon font, and joined Arabic letters look
// like ligatures to it, so on RTL pages the rule checks little or nothing. On those pages
// the rule runs a second time with a matcher that keeps every element with its own
// visible text (the heuristic left out); everything else about the rule is unchanged.
const AXE = require.resolve('axe-core/axe.min.js');

async function runAxe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    window.axe.reset();
    const r = await window.axe.run(document, { resultTypes: ['violations', 'passes', 'incomplete'] });
    const cc = (list) => (list.find((x) => x.id === 'color-contrast') || { nodes: [] }).nodes.length;
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) })),
      contrastChecked: cc(r.passes) + cc(r.violations) + cc(r.incomplete),
    };
  });
}

async function rerunContrastWithoutLigatureCheck(page) {
  return page.evaluate(async () => {
    const axe = window.axe;
    axe.configure({
      rules: [{
        id: 'color-contrast',
        matches: function ownTextMatches(node) {
          const skip = ['INPUT', 'SELECT', 'TEXTAREA', 'OPTION', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'];
          if (skip.includes(node.nodeName.toUpperCase())) return false;
          if (node.closest('[aria-disabled="true"], :disabled')) return false;
          const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.nodeValue.trim() !== '');
          if (!own) return false;
          if (!parseFloat(window.getComputedStyle(node).fontSize)) return false;
          const r = document.createRange();
          r.selectNodeContents(node);
          return [...r.getClientRects()].some((b) => b.width > 0 && b.height > 0);
        },
      }],
    });
    const r = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] },
      resultTypes: ['violations', 'passes', 'incomplete'] });
    const nodes = (list) => (list[0] ? list[0].nodes : []);
    const arabic = /[\u0600-\u06ff]/;
    const checked = [...nodes(r.passes), ...nodes(r.violations), ...nodes(r.incomplete)];
    axe.reset();
    return {
      violations: nodes(r.violations).slice(0, 8).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
      incomplete: nodes(r.incomplete).filter((n) => arabic.test(n.html)).slice(0, 8)
        .map((n) => `${n.target.join(' ')}: ${n.any.map((c) => c.message).join('; ')}`),
      checked: checked.length,
      arabicChecked: checked.filter((n) => arabic.test(n.html)).length,
    };
  });
}

// Runs the tawama command; returns its standard output as text.
function tawama(args, input) {
  return execFileSync(BIN, args, { cwd: ROOT, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    timeout: 300000, maxBuffer: 1 << 28 }).toString('utf8');
}

// A child process that is killed when this process exits, and stopped with SIGTERM.
function child(cmd, args) {
  const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  p.err = '';
  p.out = '';
  p.stderr.on('data', (d) => { p.err += d; });
  p.stdout.on('data', (d) => { p.out += d; });
  process.on('exit', () => { if (p.exitCode === null) p.kill('SIGKILL'); });
  p.stop = async () => {
    if (p.exitCode !== null) return p.exitCode;
    const done = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 15000);
    await done;
    clearTimeout(t);
    return p.exitCode;
  };
  return p;
}

async function waitUp(url, ms, proc) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`exited (${proc.exitCode}): ${proc.err}`);
    try {
      const r = await fetch(url);
      if (r.status) return;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer: ${last}`);
}

// `tawama serve` on a free port; extra: more options. Returns { proc, base }.
async function serve(db, extra = []) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = child(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--base-url', base,
    '--quiet', ...extra]);
  await waitUp(`${base}/en/`, 30000, proc);
  return { proc, base };
}

// The real SMTP listener of the HTTP tests (python3-aiosmtpd), writing each message
// to maildir. Returns { proc, url }.
async function smtpListener(maildir) {
  const port = await freePort();
  fs.mkdirSync(maildir, { recursive: true });
  const proc = child('/usr/bin/python3', [path.join(ROOT, 'tests', 'http', 'smtp.py'), String(port), maildir]);
  const end = Date.now() + 20000;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (proc.exitCode !== null || Date.now() > end) throw new Error(`smtp.py did not listen: ${proc.err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, url: `smtp://127.0.0.1:${port}` };
}

// Decodes one MIME part's body (base64 or quoted-printable) to UTF-8 text.
function decodePart(headers, body) {
  const enc = (/^content-transfer-encoding:\s*(\S+)/im.exec(headers) || [])[1] || '7bit';
  if (/base64/i.test(enc)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(enc)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

// The messages in maildir (waits until there are at least n): each { to, raw, text,
// calendar } with the text/plain and text/calendar parts decoded.
async function mails(maildir, n, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const files = fs.readdirSync(maildir).filter((f) => f.endsWith('.eml')).sort();
    if (files.length >= n) {
      return files.map((f) => {
        const raw = fs.readFileSync(path.join(maildir, f), 'latin1');
        const parts = {};
        for (const chunk of raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
          const sep = chunk.search(/\r?\n\r?\n/);
          if (sep < 0) continue;
          const head = chunk.slice(0, sep);
          const type = (/^content-type:\s*([^;\s]+)/im.exec(head) || [])[1];
          if (type && !parts[type.toLowerCase()]) parts[type.toLowerCase()] = decodePart(head, chunk.slice(sep).trim());
        }
        const to = (/^to:.*<([^>]+)>/im.exec(raw) || /^to:\s*(\S+@\S+)/im.exec(raw) || [])[1];
        return { to, raw, text: parts['text/plain'] || '', calendar: parts['text/calendar'] || '' };
      });
    }
    if (Date.now() > end) throw new Error(`${files.length} mails in ${maildir}, want ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

module.exports = {
  ROOT, BIN, CHROMIUM, SHOTS, CHROME_ARGS, freePort, startServer, stopServer, tr, norm,
  runAxe, rerunContrastWithoutLigatureCheck, tawama, child, waitUp, serve, smtpListener, mails,
};
