"""harness: what the HTTP tests share: the server under test, a raw HTTP client,
a small HTML tree, the gettext catalogs, the security-header check and assertions.

Standard library only (plus Debian's python3-icalendar and python3-feedparser, which
the test modules import themselves)."""

import gzip
import html.parser
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LANGS = ("ar", "en", "fr")
SEED_SLUG = "hmln-webinar-twinning-arrangements"
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer",
                   "ERROR: UndefinedBehaviorSanitizer")
SAN_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}


class TestFailure(AssertionError):
    pass


def check(cond, msg):
    """Fails the current test with msg unless cond holds."""
    if not cond:
        raise TestFailure(msg)


def check_eq(got, want, what):
    if got != want:
        raise TestFailure("%s: got %r, want %r" % (what, shorten(got), shorten(want)))


def shorten(v, n=300):
    s = v if isinstance(v, str) else repr(v)
    return s if len(s) <= n else s[:n] + "...(%d more)" % (len(s) - n)


def free_port(host="127.0.0.1"):
    """A TCP port that was free a moment ago on host (bind to port 0)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def sanitizer_report(text):
    """The first sanitizer report line in text, or None."""
    for line in text.splitlines():
        if any(m in line for m in SANITIZER_MARKS):
            return line.strip()
    return None


# --------------------------------------------------------------------------------
# Running the binary


def run_cli(binary, args, stdin=None, timeout=300, cwd=ROOT):
    """Runs binary with args from the repository root under the sanitizer options.
    Returns the CompletedProcess (bytes). Fails the test when a sanitizer reports."""
    env = dict(os.environ)
    env.update(SAN_ENV)
    p = subprocess.run([binary] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout, cwd=cwd, env=env)
    rep = sanitizer_report(p.stderr.decode("utf-8", "replace"))
    check(rep is None, "%s %s: sanitizer report: %s" % (os.path.basename(binary),
                                                        " ".join(args), rep))
    return p


class Server:
    """A `tawama serve` process on a free loopback port with its own database."""

    def __init__(self, binary, db, workdir, extra=()):
        self.binary = binary
        self.db = db
        self.workdir = workdir
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.extra = list(extra)
        self.proc = None
        self.stderr_path = os.path.join(workdir, "serve-%d.stderr" % self.port)
        self.stdout_path = os.path.join(workdir, "serve-%d.stdout" % self.port)

    def start(self, timeout=60):
        env = dict(os.environ)
        env.update(SAN_ENV)
        self._err = open(self.stderr_path, "wb")
        self._out = open(self.stdout_path, "wb")
        args = [self.binary, "serve", "--db", self.db, "--listen",
                "127.0.0.1:%d" % self.port, "--base-url", self.base, "--quiet"] + self.extra
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._out,
                                     stderr=self._err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("tawama serve exited with %s before answering:\n%s"
                                   % (self.proc.returncode, self.stderr()[-3000:]))
            try:
                r = request(self, "GET", "/en/", timeout=5)
                if r.status:
                    return
            except OSError as e:
                last = e
            time.sleep(0.1)
        raise RuntimeError("tawama serve did not answer within %ds (%s)" % (timeout, last))

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends sig and waits; returns the exit status (None when it had to be killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close()
                return None
        self._close()
        return self.proc.returncode

    def _close(self):
        for f in (self._err, self._out):
            try:
                f.close()
            except Exception:
                pass

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


# --------------------------------------------------------------------------------
# A raw HTTP/1.1 client: sends exactly the bytes asked for, never normalises.


class Response:
    def __init__(self, status, reason, headers, body, raw_head):
        self.status = status
        self.reason = reason
        self.headers = headers          # list of (name, value), in order
        self.body = body                # bytes, de-chunked, not decompressed
        self.raw_head = raw_head
        self.url = None

    def header(self, name, default=None):
        """The value of a header (several joined by ", "), or default."""
        vals = [v for n, v in self.headers if n.lower() == name.lower()]
        return ", ".join(vals) if vals else default

    def header_all(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def decoded(self):
        """The body, gunzipped when Content-Encoding says gzip."""
        if (self.header("content-encoding") or "").lower() == "gzip":
            return gzip.decompress(self.body)
        return self.body

    def text(self):
        return self.decoded().decode("utf-8")

    def json(self):
        return json.loads(self.decoded().decode("utf-8"))

    def __repr__(self):
        return "<%s %s %s>" % (self.url, self.status, self.reason)


def _dechunk(data):
    out = bytearray()
    i = 0
    while True:
        j = data.index(b"\r\n", i)
        size = int(data[i:j].split(b";")[0], 16)
        i = j + 2
        if size == 0:
            return bytes(out)
        out += data[i:i + size]
        i += size + 2


def parse_response(data, method="GET"):
    """Parses one complete HTTP response (read until the peer closed)."""
    if not data:
        raise TestFailure("the server closed the connection without an answer")
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        raise TestFailure("incomplete response head: %r" % shorten(data))
    lines = head.split(b"\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ?(.*)", lines[0])
    if not m:
        raise TestFailure("bad status line %r" % lines[0])
    headers = []
    for line in lines[1:]:
        n, _, v = line.partition(b":")
        headers.append((n.decode("latin-1").strip(), v.decode("latin-1").strip()))
    r = Response(int(m.group(1)), m.group(2).decode("latin-1"), headers, b"", head)
    if method == "HEAD" or r.status in (204, 304) or 100 <= r.status < 200:
        r.body = b""
    elif (r.header("transfer-encoding") or "").lower() == "chunked":
        r.body = _dechunk(rest)
    elif r.header("content-length") is not None:
        n = int(r.header("content-length"))
        if len(rest) < n:
            raise TestFailure("body shorter (%d) than Content-Length %d" % (len(rest), n))
        r.body = rest[:n]
    else:
        r.body = rest
    return r


def raw_exchange(server, data, timeout=30, source=None):
    """Sends raw request bytes on a new connection, reads until close, returns bytes."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)
    finally:
        s.close()


def request(server, method, target, headers=None, body=None, timeout=30, source=None,
            record=True):
    """One request with Connection: close. target may be str (sent as UTF-8) or bytes,
    exactly as given. headers: dict or list of pairs. Returns a Response."""
    if isinstance(target, str):
        target = target.encode("utf-8")
    hdrs = [("Host", "127.0.0.1:%d" % server.port)]
    if isinstance(headers, dict):
        headers = list(headers.items())
    names = {n.lower() for n, _ in (headers or [])}
    hdrs = [h for h in hdrs if h[0].lower() not in names] + list(headers or [])
    if "connection" not in names:
        hdrs.append(("Connection", "close"))
    if body is not None and "content-length" not in names:
        hdrs.append(("Content-Length", str(len(body))))
    data = method.encode() + b" " + target + b" HTTP/1.1\r\n"
    for n, v in hdrs:
        data += n.encode("latin-1") + b": " + (v if isinstance(v, bytes) else v.encode("utf-8")) + b"\r\n"
    data += b"\r\n" + (body or b"")
    r = parse_response(raw_exchange(server, data, timeout, source), method)
    r.url = target.decode("utf-8", "replace")
    if record:
        RECORDED.append(r)
    return r


def get(server, target, lang_header=None, gz=False, headers=None):
    h = dict(headers or {})
    if lang_header:
        h["Accept-Language"] = lang_header
    if gz:
        h["Accept-Encoding"] = "gzip"
    return request(server, "GET", target, h)


def get_ok(server, target, ctype=None, **kw):
    """GET that must answer 200 (and the given content type prefix)."""
    r = get(server, target, **kw)
    check(r.status == 200, "GET %s: status %d, want 200; body: %s"
          % (target, r.status, shorten(r.decoded().decode("utf-8", "replace"))))
    if ctype:
        ct = (r.header("content-type") or "").lower()
        check(ct.startswith(ctype), "GET %s: Content-Type %r, want %s" % (target, ct, ctype))
    return r


# Every response the tests saw; the security-header test checks them all.
RECORDED = []


def security_header_problems(r):
    """What is wrong with r's security headers (a list of strings, empty when fine)."""
    probs = []
    csp = r.header("content-security-policy")
    if not csp:
        probs.append("no Content-Security-Policy")
    else:
        dirs = {}
        for part in csp.split(";"):
            words = part.split()
            if words:
                dirs[words[0].lower()] = [w.lower() for w in words[1:]]
        script = dirs.get("script-src", dirs.get("default-src"))
        if script is None:
            probs.append("CSP has neither script-src nor default-src")
        elif "'unsafe-inline'" in script or "'unsafe-eval'" in script or "*" in script:
            probs.append("CSP script-src allows inline/eval/any: %s" % " ".join(script))
        if dirs.get("frame-ancestors") != ["'none'"]:
            probs.append("CSP frame-ancestors is %r, want 'none'" % (dirs.get("frame-ancestors"),))
    if (r.header("x-content-type-options") or "").lower() != "nosniff":
        probs.append("X-Content-Type-Options %r" % r.header("x-content-type-options"))
    rp = (r.header("referrer-policy") or "").lower()
    valid = {"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
             "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    if not rp or not all(p.strip() in valid for p in rp.split(",")):
        probs.append("Referrer-Policy %r" % r.header("referrer-policy"))
    return probs


def assert_alive(server):
    """The server still answers a normal page after whatever the test did."""
    check(server.alive(), "the server process is gone (exit %s)" % server.proc.returncode)
    r = get(server, "/en/")
    check(r.status == 200, "the server no longer serves /en/ (status %d)" % r.status)


# --------------------------------------------------------------------------------
# A small HTML tree


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
# Elements whose start implicitly closes an open element of the same kind.
AUTOCLOSE = {"li": {"li"}, "p": {"p"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"},
             "option": {"option"}, "tr": {"tr"}, "td": {"td", "th"}, "th": {"td", "th"}}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []      # Node or str

    def get(self, name, default=None):
        v = self.attrs.get(name, default)
        return default if v is None else v

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag=None, **attrs):
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if all((n.attrs.get(k.rstrip("_").replace("_", "-")) == v) if v is not True
                   else (k.rstrip("_").replace("_", "-") in n.attrs) for k, v in attrs.items()):
                out.append(n)
        return out

    def find(self, tag=None, **attrs):
        r = self.find_all(tag, **attrs)
        return r[0] if r else None

    def text(self):
        parts = []
        for c in self.children:
            parts.append(c.text() if isinstance(c, Node) else c)
        return "".join(parts)

    def lang(self):
        """The effective lang of this element (nearest lang attribute)."""
        n = self
        while n is not None:
            if "lang" in n.attrs:
                return n.attrs["lang"]
            n = n.parent
        return None

    def texts_with_lang(self):
        """(text, effective lang) for every non-blank text node below."""
        out = []
        for n in self.iter():
            for c in n.children:
                if isinstance(c, str) and c.strip():
                    out.append((c, n.lang()))
        return out

    def __repr__(self):
        return "<%s %s>" % (self.tag, self.attrs)


class _TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root
        self.errors = []

    def handle_starttag(self, tag, attrs):
        closes = AUTOCLOSE.get(tag)
        if closes and self.cur.tag in closes:
            self.cur = self.cur.parent
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is None:
            self.errors.append("stray </%s>" % tag)
            return
        self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(text):
    b = _TreeBuilder()
    b.feed(text)
    b.close()
    return b.root


def html_root(doc):
    h = doc.find("html")
    check(h is not None, "no <html> element")
    return h


def links(doc):
    return [a.get("href") for a in doc.find_all("a") if a.get("href")]


def path_of(href, base):
    """The path of href (absolute, or relative to base), without query."""
    return urllib.parse.urlsplit(urllib.parse.urljoin(base, href)).path


def event_slugs_linked(doc, lang, base):
    """Slugs of event pages (/{lang}/events/{slug}) linked from doc."""
    out = []
    for href in links(doc):
        m = re.fullmatch(r"/%s/events/([a-z0-9-]+)" % lang, path_of(href, base + "/"))
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


# --------------------------------------------------------------------------------
# gettext catalogs: the labels a page shows in each language


def _po_unquote(s):
    return json.loads(s) if s.startswith('"') else s


def load_po(path):
    """msgid -> msgstr (singular entries) of a .po file."""
    cat = {}
    msgid = msgstr = None
    state = None
    with open(path, encoding="utf-8") as f:
        for line in list(f) + [""]:
            line = line.strip()
            if line.startswith("msgid "):
                if msgid is not None and msgstr is not None:
                    cat[msgid] = msgstr
                msgid, msgstr, state = _po_unquote(line[6:]), None, "id"
            elif line.startswith("msgstr "):
                msgstr, state = _po_unquote(line[7:]), "str"
            elif line.startswith("msgstr[0] "):
                msgstr, state = _po_unquote(line[10:]), "str"
            elif line.startswith("msgid_plural") or line.startswith("msgstr["):
                state = None
            elif line.startswith('"'):
                if state == "id":
                    msgid += _po_unquote(line)
                elif state == "str":
                    msgstr += _po_unquote(line)
            elif not line:
                if msgid is not None and msgstr is not None:
                    cat[msgid] = msgstr
                msgid = msgstr = None
                state = None
    cat.pop("", None)
    return cat


_CATALOGS = {}


def tr(lang, msgid):
    """The page text for msgid in lang, per po/{lang}.po (msgid itself when the
    catalog leaves it untranslated, as English does)."""
    if lang not in _CATALOGS:
        path = os.path.join(ROOT, "po", lang + ".po")
        _CATALOGS[lang] = load_po(path) if os.path.exists(path) else {}
    cat = _CATALOGS[lang]
    for key in (msgid, msgid + ":", msgid + " :"):
        if cat.get(key):
            return cat[key].rstrip(" :\u00a0")
    if lang == "en":
        return msgid
    raise TestFailure("po/%s.po has no translation of %r" % (lang, msgid))


# --------------------------------------------------------------------------------
# Text helpers

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202c"))


def norm_text(s):
    """Latin digits, no bidi marks, single spaces (any Unicode space)."""
    s = s.translate(_DIGITS).translate(_MARKS)
    return re.sub(r"\s+", " ", s.replace("\u202f", " ").replace("\u00a0", " "))


def tmpdir(prefix="tawama-http-"):
    return tempfile.mkdtemp(prefix=prefix)


def last(f):
    """Marks a test to run after all the others (it checks what they saw)."""
    f.run_last = True
    return f
