"""client: a visitor with a cookie jar, for tests of forms and signed-in pages: GET and
POST forms, follow the CSRF token a page carries, create accounts with the CLI."""

import re
import urllib.parse

from harness import check, request, run_cli, shorten

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


class Client:
    def __init__(self, server, headers=None):
        self.server = server
        self.cookies = {}
        self.headers = dict(headers or {})
        self.csrf = None

    def _send(self, method, target, body=None, headers=None):
        h = dict(self.headers)
        h.update(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        r = request(self.server, method, target, h, body)
        for v in r.header_all("set-cookie"):
            name, _, rest = v.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in v or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if r.status == 200 and "html" in (r.header("content-type") or ""):
            m = CSRF_RE.search(r.text())
            if m:
                self.csrf = m.group(1)
        return r

    def get(self, target, headers=None):
        return self._send("GET", target, headers=headers)

    def post(self, target, fields, csrf=True, headers=None):
        """POSTs fields (dict or list of pairs) as a form; adds the last CSRF token seen
        unless csrf is False (or fields has one)."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf and self.csrf and not any(k == "csrf" for k, _ in pairs):
            pairs.append(("csrf", self.csrf))
        body = urllib.parse.urlencode(pairs).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self._send("POST", target, body, h)

    def login(self, email, password, lang="en"):
        r = self.get("/%s/login" % lang)
        check(r.status == 200, "GET /%s/login: %d" % (lang, r.status))
        r = self.post("/%s/login" % lang, {"email": email, "password": password})
        check(r.status == 303, "login as %s: status %d, want 303: %s"
              % (email, r.status, shorten(r.text())))
        # the signed-in page carries the session's token for the next forms
        self.get(r.header("location"))
        return r


def add_user(ctx, email, role, password=None, name=None, lang="en", municipality=None,
             invite=False, db=None):
    """Creates an account with `tawama user add`. Returns the CLI's stdout (text)."""
    args = ["user", "add", "--db", db or ctx.db, "--email", email, "--role", role,
            "--lang", lang, "--name", name or email.split("@")[0].title()]
    if municipality:
        args += ["--municipality", municipality]
    if invite:
        args += ["--invite", "--base-url", ctx.base]
    p = run_cli(ctx.binary, args, stdin=None if invite else (password + "\n").encode())
    check(p.returncode == 0, "user add %s: exit %d: %s" % (email, p.returncode,
                                                           p.stderr.decode()[-500:]))
    return p.stdout.decode()
