"""test_static: the stylesheet (ETag, long cache for the fingerprinted name, 304, gzip)
and gzip of HTML pages."""

import gzip
import re

from harness import SEED_SLUG, check, check_eq, get, get_ok, parse_html, path_of, request


def stylesheet_path(ctx, page="/en/"):
    doc = parse_html(get_ok(ctx.server, page).text())
    sheets = [l.get("href") for l in doc.find_all("link")
              if "stylesheet" in (l.get("rel") or "").split() and l.get("href")]
    check(len(sheets) == 1, "%s links %d stylesheets, want one: %s" % (page, len(sheets), sheets))
    p = path_of(sheets[0], ctx.base + page)
    check(sheets[0].startswith("/") and not sheets[0].startswith("//"),
          "the stylesheet %r is not served from this site" % sheets[0])
    return p


def _max_age(r):
    m = re.search(r"max-age=(\d+)", r.header("cache-control") or "")
    return int(m.group(1)) if m else None


def test_stylesheet_cache_headers(ctx):
    p = stylesheet_path(ctx)
    check_eq(stylesheet_path(ctx, "/ar/events/%s" % SEED_SLUG), p, "the stylesheet on the Arabic page (one for both directions)")
    r = get_ok(ctx.server, p, ctype="text/css")
    check(r.body, "the stylesheet is empty")
    etag = r.header("etag")
    check(etag and re.fullmatch(r'(W/)?"[^"]+"', etag), "stylesheet ETag %r" % etag)
    check(re.search(r"\.[0-9a-f]{6,}\.css$", p), "stylesheet name %r has no content fingerprint" % p)
    age = _max_age(r)
    check(age is not None and age >= 30 * 86400, "stylesheet Cache-Control %r: want a long max-age"
          % r.header("cache-control"))
    check("immutable" in (r.header("cache-control") or ""), "fingerprinted stylesheet not immutable: %r"
          % r.header("cache-control"))
    r2 = get(ctx.server, p, headers={"If-None-Match": etag})
    check_eq(r2.status, 304, "stylesheet with If-None-Match: status")
    check_eq(r2.body, b"", "304 body")
    check_eq(r2.header("etag"), etag, "304 ETag")
    r3 = get(ctx.server, p, headers={"If-None-Match": '"nope", ' + etag})
    check_eq(r3.status, 304, "If-None-Match with a list holding the ETag")
    r4 = get(ctx.server, p, headers={"If-None-Match": '"nope"'})
    check_eq(r4.status, 200, "If-None-Match with another ETag")


def test_stylesheet_uses_logical_properties(ctx):
    css = get_ok(ctx.server, stylesheet_path(ctx)).text()
    physical = re.findall(r"(?<![-\w])(margin-left|margin-right|padding-left|padding-right|"
                          r"border-left|border-right|text-align:\s*(?:left|right)|float:\s*(?:left|right)|"
                          r"(?<![-\w])left:|(?<![-\w])right:)", css)
    check(not physical, "the stylesheet uses physical (not logical) properties: %s" % sorted(set(physical))[:6])


def test_stylesheet_gzip(ctx):
    p = stylesheet_path(ctx)
    plain = get_ok(ctx.server, p)
    check(plain.header("content-encoding") in (None, "identity"), "gzip without Accept-Encoding")
    z = get_ok(ctx.server, p, gz=True)
    check_eq(z.header("content-encoding"), "gzip", "stylesheet Content-Encoding with Accept-Encoding: gzip")
    check_eq(gzip.decompress(z.body), plain.body, "gunzipped stylesheet")
    check(len(z.body) < len(plain.body), "gzip did not make the stylesheet smaller")
    vary = (z.header("vary") or "").lower()
    check("accept-encoding" in vary, "gzip response without Vary: Accept-Encoding (%r)" % z.header("vary"))
    check("accept-encoding" in (plain.header("vary") or "").lower(), "plain stylesheet without Vary: Accept-Encoding")
    q = get(ctx.server, p, headers={"Accept-Encoding": "gzip;q=0, identity"})
    check(q.header("content-encoding") in (None, "identity"), "gzip;q=0 still got gzip")
    q = get(ctx.server, p, headers={"Accept-Encoding": "deflate, br"})
    check(q.header("content-encoding") in (None, "identity"), "gzip sent to a client that did not ask for it")


def test_static_unknown_and_traversal(ctx):
    for target in ("/static/nope.css", "/static/../Makefile", "/static/%2e%2e/Makefile",
                   "/static/..%2fMakefile", "/static/", "/static"):
        r = get(ctx.server, target)
        check(r.status in (400, 404), "%s: status %d, want 404 (or 400)" % (target, r.status))
        check(b"PKG_CFLAGS" not in r.decoded(), "%s served the Makefile" % target)


def test_html_gzip(ctx):
    for lang in ("ar", "en", "fr"):
        url = "/%s/events/%s" % (lang, SEED_SLUG)
        plain = get_ok(ctx.server, url)
        check(len(plain.body) > 1400, "%s is only %d bytes" % (url, len(plain.body)))
        z = get_ok(ctx.server, url, gz=True)
        check_eq(z.header("content-encoding"), "gzip", "%s Content-Encoding with Accept-Encoding: gzip" % url)
        check_eq(gzip.decompress(z.body), plain.body, "%s gunzipped" % url)
        check(len(z.body) * 2 < len(plain.body), "%s: gzip %d of %d bytes" % (url, len(z.body), len(plain.body)))
        check("accept-encoding" in (z.header("vary") or "").lower(), "%s: no Vary: Accept-Encoding" % url)


def test_head_of_static(ctx):
    p = stylesheet_path(ctx)
    g = get_ok(ctx.server, p)
    h = request(ctx.server, "HEAD", p)
    check_eq(h.status, 200, "HEAD stylesheet")
    check_eq(h.header("content-length"), str(len(g.body)), "HEAD Content-Length")
