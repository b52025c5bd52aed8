"""test_security: security headers on every kind of response (pages, errors, redirects,
static files, 304s, feeds, calendars, the API), and on every response the other tests saw."""

import re

from harness import (RECORDED, SEED_SLUG, check, get, last, request, security_header_problems)


def _kinds(ctx):
    """One request of each kind of response."""
    from test_static import stylesheet_path
    css = stylesheet_path(ctx)
    etag = get(ctx.server, css).header("etag") or '"x"'
    return [
        ("GET", "/", {"Accept-Language": "ar"}),
        ("GET", "/ar/", {}),
        ("GET", "/en/events", {}),
        ("GET", "/fr/events/%s" % SEED_SLUG, {"Accept-Encoding": "gzip"}),
        ("GET", "/en/events/%s.ics" % SEED_SLUG, {}),
        ("GET", "/calendar.ics", {}),
        ("GET", "/ar/feed.atom", {}),
        ("GET", "/sitemap.xml", {}),
        ("GET", "/robots.txt", {}),
        ("GET", css, {}),
        ("GET", css, {"If-None-Match": etag}),
        ("GET", "/api/v1/events", {}),
        ("GET", "/api/v1/events/%s" % SEED_SLUG, {}),
        ("GET", "/api/v1/events?from=1800-01-01", {}),
        ("GET", "/api/v1/events/nope", {}),
        ("GET", "/en/events/nope", {}),
        ("GET", "/en/events?page=x", {}),
        ("DELETE", "/en/events", {}),
        ("GET", "/en/events?x=" + "a" * 3000, {}),
        ("GET", "/en/", {"X-Big": "a" * 20000}),
        ("HEAD", "/en/", {}),
    ]


def test_security_headers_on_each_kind_of_response(ctx):
    probs = []
    for method, target, headers in _kinds(ctx):
        r = request(ctx.server, method, target, headers)
        p = security_header_problems(r)
        if p:
            probs.append("%s %s (%d): %s" % (method, target[:60], r.status, "; ".join(p)))
    check(not probs, "%d responses lack security headers:\n    %s" % (len(probs), "\n    ".join(probs)))


def test_csp_forbids_inline_script_and_foreign_sources(ctx):
    r = get(ctx.server, "/en/events/%s" % SEED_SLUG)
    csp = r.header("content-security-policy") or ""
    dirs = {p.split()[0].lower(): p.split()[1:] for p in csp.split(";") if p.split()}
    check(dirs.get("default-src") in (["'none'"], ["'self'"]), "CSP default-src %r" % dirs.get("default-src"))
    check(dirs.get("object-src") == ["'none'"] or dirs.get("default-src") == ["'none'"],
          "CSP lets plugins load (object-src %r)" % dirs.get("object-src"))
    body = r.decoded().decode()
    inline = [m for m in re.findall(r"<script\b([^>]*)>", body) if "src=" not in m and "ld+json" not in m]
    check(not inline, "the page has inline scripts the CSP would block: %s" % inline[:2])
    check(not re.search(r"\son[a-z]+\s*=", body), "the page has inline event handlers")
    check(not re.search(r"<[^>]+\sstyle\s*=", body) or "'unsafe-inline'" in dirs.get("style-src", []),
          "the page has style attributes the CSP would block")


@last
def test_security_headers_on_every_response_seen(ctx):
    probs = {}
    for r in RECORDED:
        p = security_header_problems(r)
        if p:
            key = "; ".join(p)
            probs.setdefault(key, []).append("%s (%d)" % ((r.url or "?")[:60], r.status))
    check(RECORDED, "no responses were recorded")
    check(not probs, "of %d responses, some lack security headers:\n    %s" % (len(RECORDED), "\n    ".join(
        "%s: %d responses, e.g. %s" % (k, len(v), ", ".join(v[:4])) for k, v in probs.items())))
