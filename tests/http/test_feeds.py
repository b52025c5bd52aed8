"""test_feeds: the iCalendar files (parsed by python3-icalendar), the Atom feeds (parsed
by python3-feedparser), /sitemap.xml and /robots.txt."""

import datetime
import re
import xml.etree.ElementTree as ET

import feedparser
import icalendar

from harness import LANGS, SEED_SLUG, check, check_eq, get_ok, norm_text

UTC = datetime.timezone.utc


def _instant(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def _ical(ctx, url):
    r = get_ok(ctx.server, url, ctype="text/calendar")
    raw = r.decoded()
    check(raw.startswith(b"BEGIN:VCALENDAR\r\n"), "%s does not start with BEGIN:VCALENDAR CRLF" % url)
    lines = raw.split(b"\r\n")
    check(lines[-1] == b"", "%s does not end with CRLF" % url)
    check(not any(b"\n" in l for l in lines), "%s has bare LF line ends" % url)
    long = [l for l in lines if len(l) > 75]
    check(not long, "%s has %d lines over 75 octets (RFC 5545 3.1 folding), e.g. %r"
          % (url, len(long), long[0][:90] if long else b""))
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except Exception as e:
        raise AssertionError("%s does not parse: %s" % (url, e))
    check_eq(str(cal.get("VERSION")), "2.0", "%s VERSION" % url)
    check(cal.get("PRODID"), "%s has no PRODID" % url)
    return cal


def _check_vevent(url, ev, e, lang):
    for k in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        check(ev.get(k) is not None, "%s: VEVENT %s has no %s" % (url, e["slug"], k))
    ds = ev.get("DTSTART")
    check_eq(ds.params.get("TZID"), e["timezone"], "%s: DTSTART TZID" % url)
    start = ds.dt
    check(isinstance(start, datetime.datetime) and start.tzinfo is not None,
          "%s: DTSTART %r is not a zoned date-time" % (url, start))
    check_eq(start.astimezone(UTC), _instant(e["starts"]), "%s: DTSTART as UTC" % url)
    check_eq(ev.get("DTEND").dt.astimezone(UTC), _instant(e["ends"]), "%s: DTEND as UTC" % url)
    t = e["text"].get(lang) or {}
    if t.get("title"):
        check_eq(norm_text(str(ev.get("SUMMARY"))), norm_text(t["title"]), "%s: SUMMARY" % url)


def _tz_ids(cal):
    return {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}


def test_event_ics(ctx):
    e = ctx.event(SEED_SLUG)
    for lang in LANGS:
        url = "/%s/events/%s.ics" % (lang, SEED_SLUG)
        cal = _ical(ctx, url)
        evs = cal.walk("VEVENT")
        check_eq(len(evs), 1, "%s: number of VEVENTs" % url)
        _check_vevent(url, evs[0], e, lang)
        start = evs[0].get("DTSTART").dt
        check_eq((start.year, start.month, start.day, start.hour, start.minute), (2018, 7, 11, 10, 0),
                 "%s: DTSTART in Asia/Beirut" % url)
        check_eq(start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"), "2018-07-11T07:00Z", "%s: DTSTART UTC" % url)
        check("Asia/Beirut" in _tz_ids(cal), "%s: no VTIMEZONE Asia/Beirut (has %s)" % (url, _tz_ids(cal)))
        tz = [t for t in cal.walk("VTIMEZONE") if str(t.get("TZID")) == "Asia/Beirut"][0]
        offsets = {sub.get("TZOFFSETTO").td for sub in tz.subcomponents if sub.get("TZOFFSETTO")}
        check(datetime.timedelta(hours=3) in offsets and datetime.timedelta(hours=2) in offsets,
              "%s: VTIMEZONE Asia/Beirut offsets %s, want +02 and +03" % (url, offsets))
        check(str(evs[0].get("URL", "")).endswith("/%s/events/%s" % (lang, SEED_SLUG)),
              "%s: URL %r is not the event page" % (url, evs[0].get("URL")))


def test_calendar_ics_has_every_public_event(ctx):
    cal = _ical(ctx, "/calendar.ics")
    evs = cal.walk("VEVENT")
    check_eq(len(evs), len(ctx.events), "/calendar.ics: VEVENTs vs public events")
    uids = [str(v.get("UID")) for v in evs]
    check_eq(len(set(uids)), len(uids), "/calendar.ics: distinct UIDs")
    used = {e["timezone"] for e in ctx.events}
    check(used <= _tz_ids(cal), "/calendar.ics: VTIMEZONE missing for %s" % sorted(used - _tz_ids(cal)))
    by_summary = {}
    for v in evs:
        by_summary.setdefault(str(v.get("UID")), v)
    # The per-event UID is the same in both files, so calendars do not duplicate it.
    one = _ical(ctx, "/en/events/%s.ics" % SEED_SLUG).walk("VEVENT")[0]
    check(str(one.get("UID")) in by_summary, "the event's UID %r is not in /calendar.ics" % one.get("UID"))
    v = by_summary[str(one.get("UID"))]
    _check_vevent("/calendar.ics", v, ctx.event(SEED_SLUG), "en")


def test_atom_feeds(ctx):
    for lang in LANGS:
        url = "/%s/feed.atom" % lang
        r = get_ok(ctx.server, url, ctype="application/atom+xml")
        d = feedparser.parse(r.decoded())
        check(not d.bozo, "%s: feedparser bozo: %s" % (url, d.get("bozo_exception")))
        check_eq(d.version, "atom10", "%s: feed version" % url)
        check(d.feed.get("title"), "%s: no feed title" % url)
        check((d.feed.get("language") or "").startswith(lang), "%s: feed language %r"
              % (url, d.feed.get("language")))
        check(d.feed.get("id"), "%s: no feed id" % url)
        check(d.feed.get("updated"), "%s: no feed updated" % url)
        self_links = [l for l in d.feed.get("links", []) if l.get("rel") == "self"]
        check(self_links and self_links[0]["href"] == ctx.base + url, "%s: rel=self %r" % (url, self_links))
        check(len(d.entries) >= 5, "%s: %d entries" % (url, len(d.entries)))
        slugs = {e["slug"] for e in ctx.events}
        for en in d.entries:
            check(en.get("title"), "%s: entry without a title" % url)
            check(en.get("id"), "%s: entry without an id" % url)
            check(en.get("updated"), "%s: entry without updated" % url)
            m = re.fullmatch(re.escape(ctx.base) + r"/%s/events/([a-z0-9-]+)" % lang, en.get("link", ""))
            check(m and m.group(1) in slugs, "%s: entry link %r is not an event page" % (url, en.get("link")))
        ids = [en.id for en in d.entries]
        check_eq(len(set(ids)), len(ids), "%s: distinct entry ids" % url)


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XH = "{http://www.w3.org/1999/xhtml}"


def test_sitemap(ctx):
    r = get_ok(ctx.server, "/sitemap.xml")
    check((r.header("content-type") or "").split(";")[0].strip() in ("application/xml", "text/xml"),
          "/sitemap.xml Content-Type %r" % r.header("content-type"))
    root = ET.fromstring(r.decoded())
    check_eq(root.tag, SM + "urlset", "sitemap root")
    urls = {}
    for u in root.findall(SM + "url"):
        loc = u.findtext(SM + "loc")
        check(loc and loc.startswith(ctx.base + "/"), "sitemap loc %r is not absolute on --base-url" % loc)
        alts = {}
        for l in u.findall(XH + "link"):
            check_eq(l.get("rel"), "alternate", "sitemap xhtml:link rel")
            alts[l.get("hreflang")] = l.get("href")
        urls[loc] = alts
    pages = ["/%s/", "/%s/events"] + ["/%%s/events/%s" % e["slug"] for e in ctx.events]
    for p in pages:
        for lang in LANGS:
            loc = ctx.base + p % lang
            check(loc in urls, "the sitemap lacks %s" % loc)
            for other in LANGS:
                check_eq(urls[loc].get(other), ctx.base + p % other,
                         "sitemap %s: hreflang=%s alternate" % (loc, other))
    locs = [u.findtext(SM + "loc") for u in root.findall(SM + "url")]
    check_eq(len(set(locs)), len(locs), "distinct sitemap URLs")


def test_robots_txt(ctx):
    r = get_ok(ctx.server, "/robots.txt", ctype="text/plain")
    text = r.text()
    m = re.search(r"(?mi)^Sitemap:\s*(\S+)\s*$", text)
    check(m, "/robots.txt does not name the sitemap")
    check_eq(m.group(1), ctx.base + "/sitemap.xml", "/robots.txt Sitemap")
    check(re.search(r"(?mi)^User-agent:\s*\*", text), "/robots.txt has no User-agent: *")
