"""test_bad_input: each bad request gets a clear 4xx page in the reader's language (or a
JSON error object under /api/), never echoes the raw input, and the server keeps serving."""

import os
import re
import socket
import time

from harness import (ROOT, SEED_SLUG, assert_alive, check, check_eq, html_root, links, norm_text, parse_html,
                     parse_response, path_of, raw_exchange, request, shorten, tr)

MARK = "zq<b>x</b>\"'"


def error_page(ctx, r, lang, what):
    """r is a clear HTML error page in lang."""
    ct = (r.header("content-type") or "").lower()
    check(ct.startswith("text/html"), "%s: error Content-Type %r, want an HTML page" % (what, ct))
    text = r.decoded().decode("utf-8", "replace")
    doc = parse_html(text)
    root = html_root(doc)
    check_eq(root.get("lang"), lang, "%s: error page <html lang>" % what)
    if lang == "ar":
        check_eq(root.get("dir"), "rtl", "%s: error page <html dir>" % what)
    check(doc.find("title") is not None and doc.find("title").text().strip(), "%s: error page without <title>" % what)
    h1 = doc.find("h1")
    check(h1 is not None and h1.text().strip(), "%s: error page without a heading" % what)
    check("/%s/" % lang in {path_of(h, ctx.base + "/") for h in links(doc)},
          "%s: error page has no link to the %s home page" % (what, lang))
    return doc, text


def bad(ctx, method, target, status, lang="en", headers=None, body=None, what=None):
    """Sends a bad request and checks the answer; returns the response."""
    what = what or "%s %s" % (method, shorten(target if isinstance(target, str) else repr(target), 80))
    h = {"Accept-Language": lang}
    h.update(headers or {})
    r = request(ctx.server, method, target, h, body)
    want = status if isinstance(status, tuple) else (status,)
    check(r.status in want, "%s: status %d, want %s" % (what, r.status, "/".join(map(str, want))))
    if isinstance(target, bytes):
        target = target.decode("latin-1")
    if target.startswith("/api/"):
        ct = (r.header("content-type") or "").lower()
        check(ct.startswith("application/json"), "%s: Content-Type %r, want JSON" % (what, ct))
        err = r.json().get("error")
        check(isinstance(err, dict) and err.get("code") and err.get("message"), "%s: no JSON error object" % what)
    else:
        error_page(ctx, r, lang, what)
    body_text = r.decoded().decode("utf-8", "replace")
    for raw in ("<script>", "<b>x</b>", "<svg", "\"'><"):
        check(raw not in body_text, "%s: the error page echoes raw input %r" % (what, raw))
    assert_alive(ctx.server)
    return r


def test_unknown_language(ctx):
    bad(ctx, "GET", "/de/events", 404, "fr")
    bad(ctx, "GET", "/de/", 404, "ar")
    bad(ctx, "GET", "/EN/events", 404, "en")
    bad(ctx, "GET", "/de/events/%s" % SEED_SLUG, 404, "en")


def test_unknown_slug_in_each_language(ctx):
    for lang in ("ar", "en", "fr"):
        r = bad(ctx, "GET", "/%s/events/no-such-event" % lang, 404, lang,
                headers={"Accept-Language": "en" if lang != "en" else "ar"})
        msg = norm_text(tr(lang, "There is no page at this address."))
        check(msg in norm_text(parse_html(r.text()).find("body").text()),
              "/%s/events/no-such-event: no %r" % (lang, msg))
    bad(ctx, "GET", "/en/events/no-such-event.ics", 404, "en")
    bad(ctx, "GET", "/en/nowhere", 404, "en")
    bad(ctx, "GET", "/nowhere", 404, "fr")


def test_malformed_percent_encoding(ctx):
    bad(ctx, "GET", "/en/events/%zz", 400, "en")
    bad(ctx, "GET", "/en/events/%", 400, "en")
    bad(ctx, "GET", "/en/events/%4", 400, "en")
    bad(ctx, "GET", "/fr/events?page=%E0%A4", 400, "fr", headers={"Accept-Language": "en"})
    bad(ctx, "GET", "/en/events?page=%zz", 400, "en")
    bad(ctx, "GET", "/api/v1/events?page=%E0%A4", 400)


def test_invalid_utf8_and_nul_in_path(ctx):
    for t in ("/en/events/%C3%28", "/en/events/%C0%AF", "/en/events/%ED%A0%80", "/en/events/%FF",
              "/en/events/%00", "/en/events?page=1%00"):
        bad(ctx, "GET", t, 400, "en")
    bad(ctx, "GET", b"/en/events/\xff\xfe", (400, 404), "en", what="raw bytes FF FE in the path")
    bad(ctx, "GET", b"/en/events/\xc3\x28", (400, 404), "en", what="raw invalid UTF-8 in the path")


def test_uri_too_long(ctx):
    bad(ctx, "GET", "/en/events?x=" + "a" * 17000, 414, "en")
    bad(ctx, "GET", "/fr/" + "a" * 16400, 414, "fr")
    bad(ctx, "GET", "/api/v1/events?type=" + "a" * 17000, 414)
    ok = "/en/events?x=" + "a" * (16384 - len("/en/events?x="))
    r = request(ctx.server, "GET", ok)
    check(r.status != 414, "a %d-byte URL (the documented limit) got 414" % len(ok))


def test_headers_too_large(ctx):
    bad(ctx, "GET", "/fr/", 431, "fr", headers={"X-Big": "a" * 20000})
    many = {"X-H%03d" % i: "b" * 100 for i in range(200)}
    bad(ctx, "GET", "/en/events", 431, "en", headers=many)
    bad(ctx, "GET", "/api/v1/events", 431, headers={"Cookie": "c=" + "x" * 20000})


def test_methods(ctx):
    r = bad(ctx, "DELETE", "/en/events", 405, "en")
    allow = {m.strip().upper() for m in (r.header("allow") or "").split(",")}
    check("GET" in allow and "DELETE" not in allow, "DELETE /en/events: Allow %r" % r.header("allow"))
    r = bad(ctx, "POST", "/en/events/%s" % SEED_SLUG, 405, "en", body=b"a=1",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(r.header("allow"), "POST: 405 without Allow")
    r = bad(ctx, "PUT", "/api/v1/events", 405, body=b"{}", headers={"Content-Type": "application/json"})
    check("GET" in (r.header("allow") or ""), "PUT /api/v1/events: Allow %r" % r.header("allow"))
    bad(ctx, "PATCH", "/ar/", 405, "ar")
    r = request(ctx.server, "BREW", "/en/")
    check(r.status in (400, 405, 501), "BREW /en/: status %d" % r.status)
    assert_alive(ctx.server)
    r = request(ctx.server, "OPTIONS", "/en/events")
    check(r.status in (200, 204, 405), "OPTIONS /en/events: status %d" % r.status)
    assert_alive(ctx.server)


def test_body_on_get(ctx):
    r = request(ctx.server, "GET", "/en/", {"Content-Type": "text/plain"}, b"hello")
    check(r.status in (200, 400, 413), "GET with a body: status %d" % r.status)
    assert_alive(ctx.server)
    r = request(ctx.server, "GET", "/en/", {"Content-Type": "text/plain"}, b"x" * 200000)
    check(r.status in (200, 400, 413), "GET with a 200 KB body: status %d" % r.status)
    assert_alive(ctx.server)
    r = request(ctx.server, "GET", "/en/", {"Transfer-Encoding": "chunked"}, b"5\r\nhello\r\n0\r\n\r\n")
    check(r.status in (200, 400, 411, 413), "GET with a chunked body: status %d" % r.status)
    assert_alive(ctx.server)
    try:
        r = request(ctx.server, "POST", "/en/events", {"Content-Length": "999999999"}, b"")
    except AssertionError as e:
        raise AssertionError("POST /en/events announcing a 1 GB body (none sent): %s" % e)
    check(r.status in (405, 413, 400), "POST with a huge Content-Length: status %d" % r.status)
    assert_alive(ctx.server)


def test_error_pages_do_not_echo_input(ctx):
    bad(ctx, "GET", "/en/events/%3Cscript%3Ealert(1)%3C%2Fscript%3E", (400, 404), "en")
    bad(ctx, "GET", "/en/events?page=%3Cb%3Ex%3C%2Fb%3E", 400, "en")
    bad(ctx, "GET", "/%3Csvg%20onload=alert(1)%3E", (400, 404), "en")
    bad(ctx, "GET", "/api/v1/events?type=%3Cscript%3E", 400)
    bad(ctx, "GET", "/api/v1/events/%3Cscript%3E", (400, 404))
    bad(ctx, "GET", "/en/events?page=%22%27%3E%3C", 400, "en")


def test_too_many_parameters(ctx):
    q = "&".join("p%d=1" % i for i in range(100))
    bad(ctx, "GET", "/en/events?" + q, (400, 414), "en")


def test_protocol_errors(ctx):
    for data, what in ((b"GET /en/ HTTP/1.1\r\n\r\n", "HTTP/1.1 without Host"),
                       (b"GET /en/ HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/9.9"),
                       (b"GARBAGE\r\n\r\n", "a garbage request line"),
                       (b"GET /en/ HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "a header without a colon")):
        raw = raw_exchange(ctx.server, data, timeout=25)
        if raw:
            r = parse_response(raw)   # made by libmicrohttpd itself: not checked for headers
            check(400 <= r.status < 500 or r.status == 505, "%s: status %d" % (what, r.status))
        assert_alive(ctx.server)
    r = parse_response(raw_exchange(ctx.server, b"GET /en/ HTTP/1.0\r\n\r\n"))
    check_eq(r.status, 200, "HTTP/1.0 GET /en/ without Host")


def _http_limit(name, default):
    try:
        with open(os.path.join(ROOT, "src", "http", "http.h")) as f:
            m = re.search(r"#define\s+%s\s+(\d+)" % name, f.read())
            return int(m.group(1)) if m else default
    except OSError:
        return default


def test_per_ip_connection_limit(ctx):
    """Idle connections from one address beyond the documented limit are refused, and
    the server keeps serving others (connections come from 127.0.0.9 / 127.0.0.10)."""
    limit = _http_limit("HTTP_MAX_PER_IP", 64)
    socks = []
    try:
        for _ in range(limit):
            socks.append(socket.create_connection(("127.0.0.1", ctx.server.port), timeout=10,
                                                  source_address=("127.0.0.9", 0)))
        time.sleep(0.3)
        extra = socket.create_connection(("127.0.0.1", ctx.server.port), timeout=10,
                                         source_address=("127.0.0.9", 0))
        socks.append(extra)
        try:
            extra.sendall(b"GET /en/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            got = extra.recv(100)
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            got = b""
        check(not got.startswith(b"HTTP/1.1 200"), "connection %d from one address was served (limit %d)"
              % (limit + 1, limit))
        r = request(ctx.server, "GET", "/en/", source="127.0.0.10")
        check_eq(r.status, 200, "another address while one is at its limit")
    finally:
        for s in socks:
            s.close()
    time.sleep(0.3)
    r = request(ctx.server, "GET", "/en/", source="127.0.0.9")
    check_eq(r.status, 200, "the address after closing its connections")
    assert_alive(ctx.server)


def test_bad_input_leaves_server_serving(ctx):
    assert_alive(ctx.server)
    r = request(ctx.server, "GET", "/en/events/%s" % SEED_SLUG)
    check_eq(r.status, 200, "the seed event after all the bad input")
