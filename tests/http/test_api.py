"""test_api: /api/v1/events (paging, lang, from, to, type, combined; bad parameters give
a JSON error object) and /api/v1/events/{slug}."""

import datetime
import urllib.parse

from harness import SEED_SLUG, check, check_eq, get, norm_text, shorten

UTC = datetime.timezone.utc


def _instant(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def api(ctx, target, status=200):
    r = get(ctx.server, target)
    ok = status if isinstance(status, tuple) else (status,)
    check(r.status in ok, "GET %s: status %d, want %s; body %s"
          % (target, r.status, status, shorten(r.decoded().decode("utf-8", "replace"))))
    ct = (r.header("content-type") or "").lower()
    check(ct.startswith("application/json"), "GET %s: Content-Type %r" % (target, ct))
    try:
        return r.json()
    except ValueError as e:
        raise AssertionError("GET %s: body is not JSON: %s" % (target, e))


def items(obj, target=""):
    """The list of events in a list answer."""
    if isinstance(obj, list):
        return obj
    for k in ("events", "items", "data", "results"):
        if isinstance(obj.get(k), list):
            return obj[k]
    raise AssertionError("%s: no list of events in %s" % (target, shorten(obj)))


def all_pages(ctx, query):
    """Every event a filtered list gives, page after page (slugs in order)."""
    out = []
    for page in range(1, 100):
        q = query + ("&" if query else "") + "page=%d" % page
        r = get(ctx.server, "/api/v1/events?" + q)
        if r.status != 200:
            check(page > 1 and r.status in (400, 404), "/api/v1/events?%s: status %d" % (q, r.status))
            break
        got = items(r.json(), q)
        if not got:
            break
        out += [e["slug"] for e in got]
        total = r.json().get("total") if isinstance(r.json(), dict) else None
        if total is not None and len(out) >= total:
            break
    return out


def _title(obj):
    if "title" in obj:
        return obj["title"]
    t = obj.get("text")
    if isinstance(t, dict):
        return t.get("title")
    return None


def check_error(ctx, target, status=400):
    obj = api(ctx, target, status)
    err = obj.get("error") if isinstance(obj, dict) else None
    check(isinstance(err, dict), "GET %s: no {\"error\": {...}} object: %s" % (target, shorten(obj)))
    check(isinstance(err.get("code"), (str, int)) and err.get("code") not in ("", None),
          "GET %s: error without a code: %s" % (target, err))
    check(isinstance(err.get("message"), str) and err["message"], "GET %s: error without a message" % target)
    return err


def test_list_shape_and_paging(ctx):
    obj = api(ctx, "/api/v1/events")
    first = items(obj, "/api/v1/events")
    check(0 < len(first) < len(ctx.events), "/api/v1/events gives %d of %d events on page 1"
          % (len(first), len(ctx.events)))
    for e in first:
        for k in ("slug", "type", "starts", "ends", "timezone", "location", "organiser", "participation", "themes"):
            check(k in e, "/api/v1/events item lacks %s: %s" % (k, shorten(e)))
        _instant(e["starts"])
    second = items(api(ctx, "/api/v1/events?page=2"))
    check(second, "/api/v1/events?page=2 is empty")
    check(not {e["slug"] for e in first} & {e["slug"] for e in second}, "pages 1 and 2 overlap")
    every = all_pages(ctx, "")
    check_eq(sorted(every), sorted(e["slug"] for e in ctx.events), "all pages of /api/v1/events")
    if isinstance(obj, dict) and "total" in obj:
        check_eq(obj["total"], len(ctx.events), "/api/v1/events total")


def test_list_lang(ctx):
    for lang in ("ar", "en", "fr"):
        got = items(api(ctx, "/api/v1/events?lang=%s" % lang))
        for e in got:
            want = ctx.event(e["slug"])["text"].get(lang, {}).get("title")
            if want:
                check_eq(norm_text(_title(e) or ""), norm_text(want), "lang=%s title of %s" % (lang, e["slug"]))
    check_error(ctx, "/api/v1/events?lang=de")


def _boundary_dates(events):
    """Two dates (UTC midnights) with events between and no event starting within a day
    of either, so that the time zone of a date cannot change the answer."""
    starts = sorted(_instant(e["starts"]) for e in events)
    def clear(d):
        return all(abs((s - d).total_seconds()) > 86400 for s in starts)
    cands = [datetime.datetime(y, m, 1, tzinfo=UTC) for y in range(2016, 2028) for m in range(1, 13)]
    cands = [d for d in cands if clear(d)]
    best = None
    for i, a in enumerate(cands):
        for b in cands[i + 1:]:
            n = sum(1 for s in starts if a <= s < b)
            if 3 <= n <= len(starts) // 2 and (best is None or n > best[2]):
                best = (a, b, n)
    check(best, "no pair of clear boundary dates in the demo")
    return best[0], best[1]


def test_list_from_to_type_combine(ctx):
    a, b = _boundary_dates(ctx.events)
    fa, fb = a.strftime("%Y-%m-%d"), b.strftime("%Y-%m-%d")
    def want(pred):
        return sorted(e["slug"] for e in ctx.events if pred(e))
    got = sorted(all_pages(ctx, "from=%s" % fa))
    check_eq(got, want(lambda e: _instant(e["starts"]) >= a), "from=%s" % fa)
    got = sorted(all_pages(ctx, "to=%s" % fb))
    check_eq(got, want(lambda e: _instant(e["starts"]) < b), "to=%s" % fb)
    got = sorted(all_pages(ctx, "from=%s&to=%s" % (fa, fb)))
    check_eq(got, want(lambda e: a <= _instant(e["starts"]) < b), "from=%s&to=%s" % (fa, fb))
    types = sorted({e["type"] for e in ctx.events})
    check(len(types) == 6, "the demo has event types %s, want all six" % types)
    for t in types:
        got = sorted(all_pages(ctx, "type=%s" % t))
        check_eq(got, want(lambda e: e["type"] == t), "type=%s" % t)
    t = "workshop"
    got = sorted(all_pages(ctx, "type=%s&from=%s&to=%s&lang=fr" % (t, fa, fb)))
    check_eq(got, want(lambda e: e["type"] == t and a <= _instant(e["starts"]) < b),
             "type=%s&from=%s&to=%s&lang=fr" % (t, fa, fb))


def test_list_from_to_accept_rfc3339(ctx):
    """The API writes instants in RFC 3339; it takes them back in from and to."""
    a, b = _boundary_dates(ctx.events)
    qa = urllib.parse.quote(a.strftime("%Y-%m-%dT%H:%M:%SZ"))
    qb = urllib.parse.quote(b.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    check_eq(sorted(all_pages(ctx, "from=%s&to=%s" % (qa, qb))),
             sorted(e["slug"] for e in ctx.events if a <= _instant(e["starts"]) < b),
             "from=%s&to=%s" % (qa, qb))


def test_list_bad_parameters(ctx):
    for q in ("from=notadate", "from=2020-13-45", "from=1800-01-01", "to=9999-99-99", "from=2020-02-30",
              "to=2020-01-01T25:00:00Z", "type=party", "type=", "page=abc", "page=0", "page=-1",
              "page=99999999999999999999", "lang=de", "from=%zz", "type=%C3%28",
              "from=2020-01-01&to=2019-01-01"):
        check_error(ctx, "/api/v1/events?" + q)


def test_event_detail(ctx):
    e = ctx.event(SEED_SLUG)
    for lang in ("ar", "en", "fr"):
        obj = api(ctx, "/api/v1/events/%s?lang=%s" % (SEED_SLUG, lang))
        if isinstance(obj.get("event"), dict):
            obj = obj["event"]
        for k in ("slug", "type", "starts", "ends", "timezone", "location", "organiser", "participation", "themes"):
            check(k in obj, "/api/v1/events/%s lacks %s" % (SEED_SLUG, k))
        check_eq(obj["slug"], SEED_SLUG, "slug")
        check_eq(obj["type"], e["type"], "type")
        check_eq(obj["type"], "webinar", "the seed event's type")
        check_eq(_instant(obj["starts"]), _instant(e["starts"]), "starts")
        check_eq(_instant(obj["ends"]), _instant(e["ends"]), "ends")
        check_eq(obj["timezone"], "Asia/Beirut", "timezone")
        check_eq(obj["participation"], "invitation", "participation")
        check(isinstance(obj["location"], dict) and obj["location"].get("virtual") is True,
              "location %r, want virtual" % obj["location"])
        org = obj["organiser"]
        check(isinstance(org, dict) and org.get("slug") == e["organiser"]["slug"], "organiser %r" % org)
        themes = [t.get("slug") if isinstance(t, dict) else t for t in obj["themes"]]
        check_eq(sorted(themes), sorted(t.get("slug") if isinstance(t, dict) else t for t in e["themes"]), "themes")
        check_eq(norm_text(_title(obj) or ""), norm_text(e["text"][lang]["title"]), "lang=%s title" % lang)
        text = obj if "objectives" in obj else obj.get("text", {})
        check_eq(len(text.get("objectives") or []), 3, "lang=%s objectives" % lang)
    check_error(ctx, "/api/v1/events/no-such-event", 404)
    check_error(ctx, "/api/v1/events/%s?lang=xx" % SEED_SLUG, 400)


def test_api_unknown_paths_are_json(ctx):
    for target, status in (("/api/v1/nothing", 404), ("/api/v1/events/UPPER", (400, 404)),
                           ("/api/v1/events/a%20b", (400, 404)), ("/api/v2/events", 404), ("/api/", 404)):
        err = check_error(ctx, target, status)
        check("<" not in err["message"], "%s: error message has markup" % target)
