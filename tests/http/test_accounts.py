"""test_accounts: logging in and out, sessions and their cookie, CSRF on forms, the
profile form, login throttling per account and per address, `tawama user`."""

import os

from client import Client, add_user
from harness import Server, check, check_eq, run_cli, shorten

PASSWORD = "a long enough password"


def _users(ctx):
    if not getattr(ctx, "accounts_made", False):
        add_user(ctx, "admin@example.org", "admin", PASSWORD, name="Admin One")
        add_user(ctx, "rana@example.org", "member", PASSWORD, name="رنا", lang="ar")
        ctx.accounts_made = True


def test_user_cli_refuses_bad_input(ctx):
    _users(ctx)
    for args, stdin in [
        (["--email", "not-an-address", "--role", "member"], b"a long enough password\n"),
        (["--email", "x@example.org", "--role", "king"], b"a long enough password\n"),
        (["--email", "x@example.org", "--role", "member"], b"short\n"),
        (["--email", "admin@example.org", "--role", "member"], b"a long enough password\n"),
        (["--email", "x@example.org", "--role", "member", "--municipality", "atlantis"],
         b"a long enough password\n"),
    ]:
        p = run_cli(ctx.binary, ["user", "add", "--db", ctx.db] + args, stdin=stdin)
        check(p.returncode != 0, "user add %s was accepted" % args)
    p = run_cli(ctx.binary, ["user", "list", "--db", ctx.db])
    out = p.stdout.decode()
    check("x@example.org" not in out, "a refused account was created: %s" % out)
    check("admin@example.org\tadmin\tactive\tpassword set" in out, "user list: %s" % out)


def test_login_page_is_a_private_form(ctx):
    c = Client(ctx.server)
    for lang in ("ar", "en", "fr"):
        r = c.get("/%s/login" % lang)
        check_eq(r.status, 200, "GET /%s/login" % lang)
        check(c.csrf, "no CSRF token in the login form")
        check_eq(r.header("cache-control"), "private, no-store", "Cache-Control")
        check('name="robots" content="noindex"' in r.text(), "login page may be indexed")
    cookie = [v for v in r.header_all("set-cookie")]
    check(not cookie or "HttpOnly" in cookie[0], "cookie %s" % cookie)


def test_login_sets_an_httponly_lax_cookie_and_a_new_session(ctx):
    _users(ctx)
    c = Client(ctx.server)
    c.get("/en/login")
    before = c.cookies.get("tawama_session")
    r = c.post("/en/login", {"email": "  ADMIN@example.org ", "password": PASSWORD,
                             "next": "/en/events"})
    check_eq(r.status, 303, "login")
    check_eq(r.header("location"), "/en/events", "return address")
    sc = r.header("set-cookie") or ""
    for attr in ("HttpOnly", "SameSite=Lax", "Path=/"):
        check(attr in sc, "Set-Cookie lacks %s: %s" % (attr, sc))
    check("Secure" not in sc, "Secure cookie without --secure")
    check(c.cookies.get("tawama_session") not in (None, before),
          "the session token did not change at login (fixation)")
    home = c.get("/en/")
    check("Admin One" in home.text(), "the home page does not show who is signed in")
    check_eq(home.header("cache-control"), "private, no-store", "signed-in page caching")
    check(home.header("etag") is None, "a signed-in page has a shared ETag")
    # a visitor still gets the shared page
    anon = Client(ctx.server).get("/en/")
    check("Admin One" not in anon.text(), "a visitor sees the signed-in name (cache leak)")


def test_wrong_password_and_unknown_account_get_the_same_answer(ctx):
    _users(ctx)
    answers = []
    for email in ("rana@example.org", "nobody-here@example.org"):
        c = Client(ctx.server)
        c.get("/en/login")
        r = c.post("/en/login", {"email": email, "password": "wrong password!!"})
        check_eq(r.status, 422, "failed login status")
        text = r.text().replace(email, "EMAIL")
        answers.append([l for l in text.splitlines() if "notice" in l])
        check("tawama_session" not in (c.cookies if r.status == 303 else {}), "signed in")
    check_eq(answers[0], answers[1], "answers differ for a real and an unknown account")
    check(answers[0], "no message for a failed login")


def test_forms_without_csrf_token_are_refused(ctx):
    _users(ctx)
    c = Client(ctx.server)
    c.get("/en/login")
    r = c.post("/en/login", {"email": "admin@example.org", "password": PASSWORD}, csrf=False)
    check_eq(r.status, 403, "login without CSRF token")
    r = c.post("/en/login", {"email": "admin@example.org", "password": PASSWORD,
                             "csrf": "A" * 43})
    check_eq(r.status, 403, "login with a wrong CSRF token")
    c.login("admin@example.org", PASSWORD)
    r = c.post("/en/profile", {"name": "Hacked", "email": "admin@example.org", "lang": "en",
                               "timezone": "UTC"}, csrf=False)
    check_eq(r.status, 403, "profile without CSRF token")
    r = c.post("/en/logout", {}, csrf=False)
    check_eq(r.status, 403, "logout without CSRF token")
    check("Admin One" in c.get("/en/").text(), "the refused forms changed something")
    # another visitor's token does not work either
    other = Client(ctx.server)
    other.get("/en/login")
    r = c.post("/en/profile", {"name": "Hacked", "email": "admin@example.org", "lang": "en",
                               "timezone": "UTC", "csrf": other.csrf})
    check_eq(r.status, 403, "profile with another session's token")


def test_logout_ends_the_session(ctx):
    _users(ctx)
    c = Client(ctx.server)
    c.login("rana@example.org", PASSWORD)
    old = dict(c.cookies)
    r = c.post("/ar/logout", {})
    check_eq(r.status, 303, "logout")
    r = c.get("/ar/profile")
    check_eq(r.status, 303, "profile after logout")
    # the old cookie, replayed, is dead server-side
    replay = Client(ctx.server)
    replay.cookies = old
    r = replay.get("/ar/profile")
    check_eq(r.status, 303, "profile with the cookie of an ended session")


def test_login_required_pages_redirect_with_return_address(ctx):
    r = Client(ctx.server).get("/fr/profile")
    check_eq(r.status, 303, "profile without login")
    check_eq(r.header("location"), "/fr/login?next=%2Ffr%2Fprofile", "login redirect")


def test_return_address_stays_on_the_site(ctx):
    _users(ctx)
    for nxt in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"):
        c = Client(ctx.server)
        c.get("/en/login")
        r = c.post("/en/login", {"email": "admin@example.org", "password": PASSWORD,
                                 "next": nxt})
        check_eq(r.status, 303, "login")
        check_eq(r.header("location"), "/en/", "return address for next=%r" % nxt)


def test_profile_form_validates_and_saves(ctx):
    _users(ctx)
    c = Client(ctx.server)
    c.login("rana@example.org", PASSWORD, lang="ar")
    r = c.get("/ar/profile")
    check_eq(r.status, 200, "profile")
    check('dir="rtl"' in r.text() and "رنا" in r.text(), "Arabic profile page")
    bad = {"name": "", "email": "not an address", "municipality": "99999x",
           "lang": "xx", "timezone": "Mars/Olympus"}
    r = c.post("/ar/profile", bad)
    check_eq(r.status, 422, "invalid profile")
    t = r.text()
    for field in ("name", "email", "municipality", "timezone"):
        check('id="%s-err"' % field in t, "no message beside the %s field" % field)
    r = c.post("/ar/profile", {"name": "رنا", "email": "admin@example.org", "lang": "ar",
                               "timezone": "Asia/Amman"})
    check_eq(r.status, 422, "taking another account's address")
    r = c.post("/ar/profile", {"name": "رنا الخطيب", "email": "rana@example.org",
                               "lang": "fr", "timezone": "Asia/Amman", "municipality": ""})
    check_eq(r.status, 303, "valid profile: %s" % shorten(r.text()))
    r = c.get("/ar/profile")
    check("رنا الخطيب" in r.text() and "Asia/Amman" in r.text(), "profile not saved")
    p = run_cli(ctx.binary, ["user", "list", "--db", ctx.db])
    check("rana@example.org\tmember" in p.stdout.decode(), "the address changed")


def test_login_is_throttled_per_account_and_per_address(ctx):
    """On a server of its own behind a trusted proxy, so that addresses can differ."""
    srv = Server(ctx.binary, ctx.db, ctx.tmp, extra=["--trust-proxy"])
    srv.start()
    try:
        _users(ctx)

        def attempt(email, password, addr):
            c = Client(srv, headers={"X-Forwarded-For": "203.0.113.250, " + addr})
            c.get("/en/login")
            return c.post("/en/login", {"email": email, "password": password})

        for i in range(5):
            r = attempt("rana@example.org", "wrong password %d" % i, "198.51.100.%d" % i)
            check_eq(r.status, 422, "failure %d" % i)
        r = attempt("rana@example.org", PASSWORD, "198.51.100.77")
        check_eq(r.status, 429, "right password after 5 failures on the account")
        check(r.header("retry-after"), "429 without Retry-After")
        check("15" in r.text(), "the 429 page does not say how long: %s" % shorten(r.text()))
        # another account is not held back
        r = attempt("admin@example.org", PASSWORD, "198.51.100.78")
        check_eq(r.status, 303, "another account after rana's failures")
        # one address trying many accounts
        for i in range(20):
            r = attempt("guess%d@example.org" % i, "wrong password", "192.0.2.1")
            check(r.status in (422, 429), "guess %d: %d" % (i, r.status))
        r = attempt("admin@example.org", PASSWORD, "192.0.2.1")
        check_eq(r.status, 429, "an address after 20 failures")
        r = attempt("admin@example.org", PASSWORD, "192.0.2.2")
        check_eq(r.status, 303, "another address")
    finally:
        srv.stop()
    check("ERROR" not in srv.stderr(), "server errors: %s" % shorten(srv.stderr()))
    # forget the failures, so that later tests can use rana's account
    run_cli("/usr/bin/sqlite3", [ctx.db, "DELETE FROM login_failures"])
