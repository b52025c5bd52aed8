"""test_manage_events: facilitators create, edit, publish, unpublish and highlight
events through the forms; every rule of the form; nothing saved from an invalid or
stale form; drafts invisible to the public everywhere; members refused, visitors sent
to log in; the audit log; edits seen at once despite the page cache.

These tests change events, so they run on a copy of the demo database with a server
of their own: the other modules keep comparing the shared server with the demo."""

import atexit
import json
import os
import re
import urllib.parse

from client import Client, add_user
from harness import (LANGS, SEED_SLUG, Server, check, check_eq, last, parse_html, run_cli,
                     sanitizer_report, shorten, tr)

PASSWORD = "a long enough password"
FAC = "fatima.facilitator@example.org"
MEMBER = "omar.member@example.org"


class Env:
    """The copy of the demo database, its server and signed-in clients."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.db = os.path.join(ctx.tmp, "manage.db")
        p = run_cli("/usr/bin/sqlite3", [ctx.db, ".backup '%s'" % self.db])
        check(p.returncode == 0, "sqlite3 .backup: %s" % p.stderr.decode())
        add_user(ctx, FAC, "facilitator", PASSWORD, name="Fatima Facilitator", db=self.db)
        add_user(ctx, MEMBER, "member", PASSWORD, name="Omar Member", db=self.db)
        self.server = Server(ctx.binary, self.db, ctx.tmp)
        self.server.start()
        atexit.register(self.stop)
        self.fac = Client(self.server)
        self.fac.login(FAC, PASSWORD)
        self.member = Client(self.server)
        self.member.login(MEMBER, PASSWORD)

    def stop(self):
        if self.server.alive():
            return self.server.stop()
        return self.server.proc.returncode if self.server.proc else None

    def export(self):
        p = run_cli(self.ctx.binary, ["export", "events", "--db", self.db])
        check(p.returncode == 0, "export: %s" % p.stderr.decode()[-500:])
        return p.stdout

    def event(self, slug):
        for line in self.export().decode("utf-8").splitlines():
            e = json.loads(line)
            if e["slug"] == slug:
                return e
        return None

    def visitor(self):
        return Client(self.server)


def _env(ctx):
    if getattr(ctx, "manage_env", None) is None:
        ctx.manage_env = Env(ctx)
    return ctx.manage_env


# ---- reading a form as a browser would submit it ---------------------------------


def form_fields(html, action):
    """The (name, value) pairs the form with this action would submit unchanged."""
    doc = parse_html(html)
    form = next((f for f in doc.find_all("form") if f.get("action") == action), None)
    check(form is not None, "no form posting to %s" % action)
    pairs = []
    for n in form.iter():
        name = n.get("name")
        if not name or "disabled" in n.attrs:
            continue
        if n.tag == "input":
            kind = n.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in n.attrs:
                    pairs.append((name, n.get("value", "on")))
            elif kind not in ("submit", "button"):
                pairs.append((name, n.get("value", "")))
        elif n.tag == "select":
            opts = n.find_all("option")
            chosen = [o for o in opts if "selected" in o.attrs] or opts[:1]
            for o in chosen[:1]:
                pairs.append((name, o.get("value", o.text())))
        elif n.tag == "textarea":
            # HTML parsing makes every line end a LF; a browser sends CRLF
            text = n.text().replace("\r\n", "\n").replace("\r", "\n")
            if text.startswith("\n"):
                text = text[1:]         # HTML drops the newline after <textarea>
            pairs.append((name, text.replace("\n", "\r\n")))
    return pairs


def with_changes(pairs, changes):
    """pairs with the fields in changes replaced (a list value: repeated; None: removed)."""
    out = [(k, v) for k, v in pairs if k not in changes]
    for k, v in changes.items():
        if v is None:
            continue
        for item in (v if isinstance(v, list) else [v]):
            out.append((k, item))
    return out


def new_event_fields(slug, word):
    """A complete form for a new event in three languages: a workshop in Irbid."""
    return [
        ("slug", slug), ("type", "workshop"), ("organiser", "cmi"),
        ("theme", "led"), ("theme", "water"),
        ("starts", "2031-05-14T10:00"), ("ends", "2031-05-14T16:30"),
        ("timezone", "Asia/Amman"), ("virtual", "0"),
        ("venue", "City hall"), ("city", "Irbid"), ("country", "JO"), ("meeting_link", ""),
        ("participation", "registration"), ("capacity", "40"), ("needs_approval", "1"),
        ("title_ar", "ورشة عمل حول المياه %s" % word),
        ("context_ar", "سياق **الورشة**.\r\n\r\nفقرة ثانية."),
        ("objectives_ar", "تبادل الخبرات\r\nالتعلم من الأقران"),
        ("participation_ar", "التسجيل مطلوب."),
        ("title_en", "Water workshop %s" % word),
        ("context_en", "The workshop's **context**."),
        ("objectives_en", "Share experience\r\n\r\nLearn from peers\r\n"),
        ("participation_en", "Registration is required."),
        ("title_fr", "Atelier sur l'eau %s" % word),
        ("context_fr", "Le contexte de l'atelier."),
        ("objectives_fr", "Partager l'expérience"),
        ("participation_fr", "Inscription obligatoire."),
    ]


def create(env, slug, word, lang="en", changes=None):
    c = env.fac
    c.get("/%s/manage/events/new" % lang)
    fields = new_event_fields(slug, word)
    if changes:
        fields = with_changes(fields, changes)
    return c.post("/%s/manage/events/new" % lang, fields)


def edit(env, slug, changes, lang="en", client=None):
    """GETs the edit form and posts it back with changes. Returns the answer."""
    c = client or env.fac
    action = "/%s/manage/events/%s/edit" % (lang, slug)
    r = c.get(action)
    check_eq(r.status, 200, "GET %s" % action)
    return c.post(action, with_changes(form_fields(r.text(), action), changes))


def action(env, slug, what, lang="en", client=None):
    c = client or env.fac
    c.get("/%s/manage/events" % lang)
    return c.post("/%s/manage/events/%s/%s" % (lang, slug, what), {})


def check_refused(r, field, what):
    check_eq(r.status, 422, what)
    t = r.text()
    check('id="%s-err"' % field in t, "%s: no message beside %s: %s"
          % (what, field, shorten(re.findall(r'class="field-error"[^<]*<?', t) or t[-800:])))
    check('aria-invalid="true"' in t, "%s: no aria-invalid" % what)
    return t


# ---- the tests -------------------------------------------------------------------


def test_facilitator_creates_an_event_in_three_languages(ctx):
    env = _env(ctx)
    r = create(env, "water-workshop-irbid-2031", "zanzibarite")
    check_eq(r.status, 303, "create: %s" % shorten(r.text()))
    check_eq(r.header("location"), "/en/manage/events/water-workshop-irbid-2031/edit?saved=1",
             "after create")
    e = env.event("water-workshop-irbid-2031")
    check(e is not None, "the event is not in the export")
    check_eq(e.get("published"), False, "a new event is a draft")
    # 10:00 in Amman (UTC+3 all year since 2022) is 07:00 UTC
    check_eq((e["starts"], e["ends"], e["timezone"]),
             ("2031-05-14T07:00:00Z", "2031-05-14T13:30:00Z", "Asia/Amman"), "times")
    check_eq(e["location"], {"virtual": False, "venue": "City hall", "city": "Irbid",
                             "country": "JO"}, "location")
    check_eq((e["participation"], e.get("capacity"), e.get("needs_approval")),
             ("registration", 40, True), "participation")
    check_eq([t["slug"] for t in e["themes"]], ["led", "water"], "themes in order")
    check_eq(e["text"]["en"]["objectives"], ["Share experience", "Learn from peers"],
             "objectives, one a line, blank lines skipped")
    check_eq(e["text"]["ar"]["context"], "سياق **الورشة**.\n\nفقرة ثانية.", "CRLF stored as LF")
    check_eq(sorted(e["text"]), ["ar", "en", "fr"], "three languages")
    # the saved form shows the values again, in the event's zone
    r = env.fac.get("/en/manage/events/water-workshop-irbid-2031/edit?saved=1")
    t = r.text()
    check(tr("en", "The event is saved.") in t, "no saved notice")
    check('value="2031-05-14T10:00"' in t, "the start in Amman time is not shown")
    # a draft: not public yet
    check_eq(env.visitor().get("/en/events/water-workshop-irbid-2031").status, 404,
             "the draft is public")
    r = action(env, "water-workshop-irbid-2031", "publish")
    check_eq(r.status, 303, "publish")
    for lang, word in (("ar", "ورشة عمل حول المياه"), ("en", "Water workshop"),
                       ("fr", "Atelier sur l'eau")):
        r = env.visitor().get("/%s/events/water-workshop-irbid-2031" % lang)
        check_eq(r.status, 200, "public page in %s" % lang)
        check(word in r.text().replace("&#39;", "'"), "the %s title is not shown" % lang)
        check("<strong>الورشة</strong>" in r.text() or lang != "ar", "Markdown not rendered")
    for lang, q in (("en", "zanzibarite"), ("ar", "zanzibarite"), ("fr", "atelier zanzibarite")):
        r = env.visitor().get("/%s/search?q=%s" % (lang, urllib.parse.quote(q)))
        check("/%s/events/water-workshop-irbid-2031" % lang in r.text(),
              "search in %s does not find the new event" % lang)
    r = env.visitor().get("/api/v1/search?q=%D9%88%D8%B1%D8%B4%D8%A9+zanzibarite&lang=ar")
    check("water-workshop-irbid-2031" in r.text(), "the API search does not find it in Arabic")


def test_an_edit_shows_at_once_on_cached_pages(ctx):
    env = _env(ctx)
    slug = "cache-check-2031"
    check_eq(create(env, slug, "cachecheck").status, 303, "create")
    check_eq(action(env, slug, "publish").status, 303, "publish")
    v = env.visitor()
    for _ in range(2):          # the second answer comes from the page cache
        r = v.get("/fr/events/%s" % slug)
        check_eq(r.status, 200, "public page")
    check("Atelier sur l&#39;eau cachecheck" in r.text(), "the French title")
    r = edit(env, slug, {"title_fr": "Atelier renommé cachecheck"})
    check_eq(r.status, 303, "edit: %s" % shorten(r.text()))
    r = v.get("/fr/events/%s" % slug)
    check("Atelier renommé cachecheck" in r.text(), "the edit is not shown at once (page cache)")
    check("Atelier sur l&#39;eau cachecheck" not in r.text(), "the old title is still shown")
    r = v.get("/fr/search?q=renomm%C3%A9")
    check("/fr/events/%s" % slug in r.text(), "the search index did not follow the edit")
    # an unchanged form saves nothing: no new version, no audit row
    before = env.event(slug)
    audit = env.fac.get("/en/manage/audit?event=%s" % slug).text().count("<tr>")
    r = edit(env, slug, {})
    check_eq(r.status, 303, "unchanged form")
    check_eq(env.event(slug), before, "an unchanged form changed the event")
    check_eq(env.fac.get("/en/manage/audit?event=%s" % slug).text().count("<tr>"), audit,
             "an unchanged form wrote an audit row")


# Each rule of the form: the changed fields, the field that gets the message.
LONG = "ب" * 301
BAD_CREATES = [
    ({"slug": "Bad Slug"}, "slug"),
    ({"slug": "a--b"}, "slug"),
    ({"slug": ""}, "slug"),
    ({"slug": SEED_SLUG}, "slug"),                       # taken
    ({"type": "party"}, "type"),
    ({"starts": ""}, "starts"),
    ({"starts": "14/05/2031 10:00"}, "starts"),
    ({"starts": "2031-02-30T10:00"}, "starts"),
    ({"ends": "2031-05-14T09:59"}, "ends"),             # before the start
    ({"timezone": "Europe/Paris", "starts": "2031-03-30T02:30",
      "ends": "2031-03-30T04:00"}, "starts"),           # clocks turned forward
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "GMT+3"}, "timezone"),
    ({"virtual": "maybe"}, "virtual"),
    ({"virtual": "1", "meeting_link": "https://meet.example.org/x"}, "city"),  # place
    ({"city": ""}, "city"),
    ({"country": ""}, "country"),
    ({"country": "XK"}, "country"),
    ({"meeting_link": "https://meet.example.org/x"}, "meeting_link"),  # in person
    ({"virtual": "1", "venue": "", "city": "", "country": "",
      "meeting_link": "ftp://meet.example.org/x"}, "meeting_link"),
    ({"virtual": "1", "venue": "", "city": "", "country": "",
      "meeting_link": "javascript:alert(1)"}, "meeting_link"),
    ({"virtual": "1", "venue": "", "city": "", "country": "",
      "meeting_link": "https://user:pw@meet.example.org/x"}, "meeting_link"),
    ({"virtual": "1", "venue": "", "city": "", "country": "",
      "meeting_link": "https://meet.example.org/a b"}, "meeting_link"),
    ({"organiser": "nobody"}, "organiser"),
    ({"organiser": ""}, "organiser"),
    ({"participation": "members"}, "participation"),
    ({"capacity": "0"}, "capacity"),
    ({"capacity": "100001"}, "capacity"),
    ({"capacity": "ten"}, "capacity"),
    ({"capacity": "-5"}, "capacity"),
    ({"participation": "open"}, "needs_approval"),       # approval needs registration
    ({"theme": ["led", "not-a-theme"]}, "themes"),
    ({"title_ar": LONG}, "title-ar"),
    ({"title_en": "a\x01b"}, "title-en"),
    ({"context_en": "x" * 20001}, "context-en"),
    ({"participation_fr": "y" * 20001}, "participation-fr"),
    ({"objectives_en": "o" * 2001}, "objectives-en"),
    ({"objectives_en": "\r\n".join("objective %d" % i for i in range(51))}, "objectives-en"),
    ({"title_fr": "", "context_fr": "Sans titre"}, "title-fr"),
    ({"title_ar": "", "title_en": "", "title_fr": "", "context_ar": "", "context_en": "",
      "context_fr": "", "objectives_ar": "", "objectives_en": "", "objectives_fr": "",
      "participation_ar": "", "participation_en": "", "participation_fr": ""}, "title-en"),
]


def test_invalid_forms_save_nothing_and_say_why_beside_the_field(ctx):
    env = _env(ctx)
    before = env.export()
    notice = tr("en", "Nothing was saved. Please correct the fields marked below.")
    for i, (changes, field) in enumerate(BAD_CREATES):
        r = create(env, "refused-%d" % i if "slug" not in changes else changes["slug"],
                   "refused", changes={k: v for k, v in changes.items() if k != "slug"})
        t = check_refused(r, field, "create case %d %s" % (i, changes))
        check(notice in t, "case %d: no 'Nothing was saved' notice" % i)
    # their values are kept
    r = create(env, "kept-values", "kept", changes={"capacity": "0", "city": "Jerash"})
    t = check_refused(r, "capacity", "kept values")
    check('value="Jerash"' in t and "Water workshop kept" in t, "the form lost the values")
    # messages are in the reader's language
    r = create(env, "arabic-messages", "kept", lang="ar", changes={"timezone": "Mars/Base"})
    t = check_refused(r, "timezone", "Arabic form")
    check(tr("ar", "Write a time zone such as Asia/Amman or Europe/Paris.") in t,
          "the message is not in Arabic")
    check(tr("ar", "Nothing was saved. Please correct the fields marked below.") in t,
          "the notice is not in Arabic")
    # edits of an existing event, refused the same way
    for changes, field in [({"ends": "2018-07-11T09:00", "starts": "2018-07-11T10:00"}, "ends"),
                           ({"meeting_link": "not a link"}, "meeting_link"),
                           ({"title_en": "", "title_ar": "", "title_fr": ""}, "title-en"),
                           ({"virtual": "1", "city": "Tyre"}, "city")]:
        check_refused(edit(env, SEED_SLUG, changes), field, "edit %s" % changes)
    check_eq(env.export(), before, "an invalid form changed the events")


def test_a_stale_form_is_refused_with_409_and_keeps_the_values(ctx):
    env = _env(ctx)
    slug = "conflict-check-2031"
    check_eq(create(env, slug, "conflict").status, 303, "create")
    action_url = "/en/manage/events/%s/edit" % slug
    page = env.fac.get(action_url).text()
    stale = form_fields(page, action_url)
    # someone else saves first
    other = Client(env.server)
    other.login(FAC, PASSWORD)
    check_eq(edit(env, slug, {"title_en": "Changed by someone else"}, client=other).status, 303,
             "the other edit")
    before = env.export()
    r = env.fac.post(action_url, with_changes(stale, {"title_en": "My own change"}))
    check_eq(r.status, 409, "saving a stale form")
    t = r.text()
    check("My own change" in t, "the 409 form lost the reader's values")
    check('id="conflict"' in t and "/en/manage/audit?event=%s" % slug in t,
          "no conflict notice with a link to the change")
    check_eq(env.export(), before, "a stale form changed the event")
    check_eq(env.event(slug)["text"]["en"]["title"], "Changed by someone else", "overwritten")
    # the form now carries the new version: saving again is a decision, and it works
    r = env.fac.post(action_url, form_fields(t, action_url))
    check_eq(r.status, 303, "saving again after the conflict: %s" % shorten(r.text()))
    check_eq(env.event(slug)["text"]["en"]["title"], "My own change", "the second save")
    # a form without its version is refused
    r = env.fac.post(action_url, with_changes(form_fields(t, action_url), {"version": None}))
    check_eq(r.status, 400, "a form without its version")


def test_publish_unpublish_highlight(ctx):
    env = _env(ctx)
    slug = "state-check-2031"
    check_eq(create(env, slug, "statecheck").status, 303, "create")
    v = env.visitor()
    check_eq(v.get("/en/events/%s" % slug).status, 404, "draft")
    r = action(env, slug, "publish")
    check_eq((r.status, r.header("location")), (303, "/en/manage/events"), "publish")
    check_eq(v.get("/en/events/%s" % slug).status, 200, "published")
    check(slug not in v.get("/en/").text(), "shown on the home page before it is highlighted")
    check_eq(action(env, slug, "highlight").status, 303, "highlight")
    home = v.get("/en/").text()
    check("/en/events/%s" % slug in home, "a highlighted event is not on the home page")
    check_eq(env.event(slug)["highlight"], True, "highlight stored")
    check_eq(action(env, slug, "unhighlight").status, 303, "unhighlight")
    check("/en/events/%s" % slug not in v.get("/en/").text(), "still highlighted on the home page")
    # again: nothing changes, still a redirect
    check_eq(action(env, slug, "unhighlight").status, 303, "unhighlight twice")
    check_eq(action(env, slug, "unpublish").status, 303, "unpublish")
    check_eq(v.get("/en/events/%s" % slug).status, 404, "unpublished")
    check_eq(env.event(slug).get("published"), False, "unpublished stored")
    # the return address stays on the site
    env.fac.get("/en/manage/events")
    r = env.fac.post("/en/manage/events/%s/publish" % slug, {"next": "https://evil.example/"})
    check_eq(r.header("location"), "/en/manage/events", "return address")
    r = env.fac.post("/en/manage/events/%s/unpublish" % slug,
                     {"next": "/en/manage/events/%s/edit" % slug})
    check_eq(r.header("location"), "/en/manage/events/%s/edit" % slug, "return address")
    # an event that does not exist
    check_eq(action(env, "no-such-event", "publish").status, 404, "publish a missing event")
    # the list shows drafts with their state, newest first, and pages
    r = env.fac.get("/en/manage/events")
    check_eq(r.status, 200, "manage list")
    t = r.text()
    check(slug in t and tr("en", "Draft") in t, "the list does not show the draft")
    first = re.search(r'href="/en/manage/events/([a-z0-9-]+)/edit"', t)
    check(first and first.group(1).endswith("-2031"),
          "newest first: the list starts with %s" % (first and first.group(1)))
    check_eq(env.fac.get("/en/manage/events?page=2").status, 200, "page 2")
    check_eq(env.fac.get("/en/manage/events?page=0").status, 400, "page 0")
    check_eq(env.fac.get("/en/manage/events?page=x").status, 400, "page x")


MANAGE_GETS = ["/en/manage/events", "/ar/manage/events/new",
               "/fr/manage/events/%s/edit" % SEED_SLUG, "/en/manage/events/no-such-event/edit",
               "/en/manage/audit", "/en/manage/audit?event=%s" % SEED_SLUG]
MANAGE_POSTS = ["/en/manage/events/new"] + [
    "/en/manage/events/%s/%s" % (slug, what)
    for slug in (SEED_SLUG, "no-such-event")
    for what in ("edit", "publish", "unpublish", "highlight", "unhighlight")]


def test_members_get_403_and_visitors_the_login_page(ctx):
    env = _env(ctx)
    before = env.export()
    for path in MANAGE_GETS:
        r = env.member.get(path)
        check_eq(r.status, 403, "member GET %s" % path)
        r = env.visitor().get(path)
        check_eq(r.status, 303, "visitor GET %s" % path)
        lang = path[1:3]
        check_eq(r.header("location"), "/%s/login?next=%s"
                 % (lang, urllib.parse.quote(path, safe="")), "visitor GET %s" % path)
    env.member.get("/en/")
    fields = new_event_fields("member-made", "member")
    for path in MANAGE_POSTS:
        r = env.member.post(path, fields + [("version", "1")])
        check_eq(r.status, 403, "member POST %s" % path)
        v = env.visitor()
        v.get("/en/login")          # a visitor's session and CSRF token
        r = v.post(path, fields)
        check_eq(r.status, 401, "visitor POST %s" % path)
    check_eq(env.export(), before, "a refused request changed the events")
    # the header shows the link to staff only
    check("/en/manage/events" in env.fac.get("/en/").text(), "no manage link for staff")
    check("/en/manage/events" not in env.member.get("/en/").text(), "manage link for a member")
    check("/en/manage/events" not in env.visitor().get("/en/").text(), "manage link for a visitor")


def _public_texts(env, slug, year_from, year_to):
    """What the public sees on every public route that could show the event."""
    v = env.visitor()
    out = {}
    for lang in LANGS:
        out["page " + lang] = v.get("/%s/events/%s" % (lang, slug))
        out["ics " + lang] = v.get("/%s/events/%s.ics" % (lang, slug))
        out["list " + lang] = v.get("/%s/events?from=%s&to=%s" % (lang, year_from, year_to))
        out["search " + lang] = v.get("/%s/search?q=hiddenword" % lang)
        out["home " + lang] = v.get("/%s/" % lang)
        out["feed " + lang] = v.get("/%s/feed.atom" % lang)
    out["api one"] = v.get("/api/v1/events/%s" % slug)
    out["api list"] = v.get("/api/v1/events?from=%s&to=%s&per_page=100" % (year_from, year_to))
    out["api search"] = v.get("/api/v1/search?q=hiddenword")
    out["calendar"] = v.get("/calendar.ics?lang=en")
    out["sitemap"] = v.get("/sitemap.xml")
    sitemaps = re.findall(r"<loc>[^<]*(/sitemaps/\d+\.xml)</loc>", out["sitemap"].text())
    for s in sitemaps:
        out["sitemap " + s] = v.get(s)
    return out


def test_a_draft_is_invisible_to_the_public_everywhere(ctx):
    env = _env(ctx)
    slug = "hidden-draft-2031"
    r = create(env, slug, "hiddenword", changes={"theme": "led"})
    check_eq(r.status, 303, "create")
    edit(env, slug, {"participation": "open", "needs_approval": None})
    check_eq(action(env, slug, "highlight").status, 303, "highlight the draft")
    seen = _public_texts(env, slug, "2031-05-01", "2031-06-01")
    for what, r in seen.items():
        if what.startswith(("page", "ics", "api one")):
            check_eq(r.status, 404, "%s of a draft" % what)
        else:
            check_eq(r.status, 200, what)
            check(slug not in r.text(), "the draft shows in %s" % what)
            if "search" not in what:    # a search shows the words it was given
                check("hiddenword" not in r.text(), "the draft's text shows in %s" % what)
    # staff preview it on its public address; the public still gets 404 after that
    r = env.fac.get("/en/events/%s" % slug)
    check_eq(r.status, 200, "staff preview of a draft")
    check(tr("en", "Draft: only staff can see this page until it is published.") in r.text(),
          "the preview does not say it is a draft")
    check('content="noindex"' in r.text(), "a draft preview may be indexed")
    check_eq(r.header("cache-control"), "private, no-store", "preview caching")
    check_eq(env.member.get("/en/events/%s" % slug).status, 404, "a member sees the draft")
    check_eq(env.visitor().get("/en/events/%s" % slug).status, 404, "the preview leaked")
    # published: everywhere
    check_eq(action(env, slug, "publish").status, 303, "publish")
    seen = _public_texts(env, slug, "2031-05-01", "2031-06-01")
    for what, r in seen.items():
        check_eq(r.status, 200, "%s of the published event" % what)
        if what.startswith(("search", "api search", "page", "api one", "api list", "list",
                            "feed", "home", "calendar", "ics")):
            check(slug in r.text() or "hiddenword" in r.text(), "published, yet not in %s" % what)
    check(any(slug in r.text() for w, r in seen.items() if w.startswith("sitemap")),
          "published, yet not in the sitemap")
    check_eq(action(env, slug, "unpublish").status, 303, "unpublish")
    seen = _public_texts(env, slug, "2031-05-01", "2031-06-01")
    check_eq(seen["page en"].status, 404, "unpublished page")
    for what in ("api list", "list en", "search ar", "api search", "feed fr", "calendar", "home en"):
        check(slug not in seen[what].text(), "an unpublished event stays in %s" % what)


def test_the_meeting_link_is_never_public(ctx):
    env = _env(ctx)
    link = "meet.example.org/hmln-twinning-arrangements"
    check(link in json.dumps(env.event(SEED_SLUG)), "the seed has no meeting link")
    v = env.visitor()
    paths = ["/%s/events/%s" % (l, SEED_SLUG) for l in LANGS] + [
        "/en/events/%s.ics" % SEED_SLUG, "/api/v1/events/%s" % SEED_SLUG,
        "/api/v1/events?per_page=100&from=2018-01-01&to=2019-01-01", "/en/feed.atom",
        "/calendar.ics?lang=ar", "/api/v1/search?q=twinning", "/en/search?q=twinning"]
    for p in paths:
        for who, c in (("visitor", v), ("member", env.member)):
            r = c.get(p)
            check_eq(r.status, 200, p)
            check(link not in r.text(), "%s sees the meeting link on %s" % (who, p))
    r = env.fac.get("/en/manage/events/%s/edit" % SEED_SLUG)
    check(link in r.text(), "the edit form does not show the meeting link to staff")


def test_the_audit_log_lists_who_did_what(ctx):
    env = _env(ctx)
    slug = "audited-event-2031"
    check_eq(create(env, slug, "audited").status, 303, "create")
    check_eq(edit(env, slug, {"title_en": "Audited and renamed", "virtual": "1", "venue": "",
                              "city": "", "country": "",
                              "meeting_link": "https://meet.example.org/secret-room"}).status,
             303, "edit")
    check_eq(action(env, slug, "publish").status, 303, "publish")
    check_eq(action(env, slug, "highlight").status, 303, "highlight")
    r = env.fac.get("/en/manage/audit?event=%s" % slug)
    check_eq(r.status, 200, "audit log")
    t = r.text()
    rows = t.split("<tr>")[2:]
    check_eq(len(rows), 4, "audit rows for the event")
    for row, what in zip(rows, ("Highlighted", "Published", "Edited", "Created")):
        check(tr("en", what) in row, "row %r lacks %s" % (shorten(row), what))
        check("Fatima Facilitator" in row, "the row does not say who")
        check(re.search(r'<time datetime="20\d\d-', row), "the row does not say when")
    edited = rows[2]
    check("Water workshop audited" in edited and "Audited and renamed" in edited,
          "the edit row lacks before and after: %s" % shorten(edited, 2000))
    check(tr("en", "changed (not shown)") in edited, "the meeting link change is not listed")
    check("secret-room" not in t, "the audit log shows the meeting link")
    check(tr("en", "City") in edited and "Irbid" in edited, "the place change is not listed")
    # the whole log, and another language
    r = env.fac.get("/ar/manage/audit")
    check_eq(r.status, 200, "the whole log in Arabic")
    check(slug in r.text() and tr("ar", "Audit log") in r.text(), "Arabic audit log")
    check_eq(env.fac.get("/en/manage/audit?event=Bad_Slug").status, 400, "bad filter")
    check_eq(env.fac.get("/en/manage/audit?page=0").status, 400, "bad page")
    # stored without the link, with who and what
    p = run_cli("/usr/bin/sqlite3", [env.db, "SELECT a.action, u.email, a.object_slug, a.summary"
                                     " FROM audit_log a JOIN users u ON u.id = a.user_id"
                                     " WHERE a.object_slug = '%s' ORDER BY a.id" % slug])
    out = p.stdout.decode()
    check("secret-room" not in out, "the meeting link is stored in the audit log")
    check_eq([l.split("|")[0] for l in out.splitlines()],
             ["event.create", "event.update", "event.publish", "event.highlight"], "actions")
    check(all(FAC in l for l in out.splitlines()), "who")


@last
def test_the_manage_server_stops_cleanly(ctx):
    env = getattr(ctx, "manage_env", None)
    if env is None:
        return
    status = env.stop()
    check_eq(status, 0, "exit status of the manage server")
    rep = sanitizer_report(env.server.stderr())
    check(rep is None, "sanitizer report: %s" % rep)
    check("ERROR" not in env.server.stderr(), "errors logged: %s"
          % shorten(env.server.stderr(), 2000))
