"""test_members: the directory of member municipalities (names search in Arabic with
and without hamza, English and French; country and theme criteria combined, repeated as
OR, with counts that add up; pages; shareable URLs), the page of a municipality (its
twinning group, the events it took part in once a representative accepted an invitation
or registered), the staff's edit form (every rule, 422 with nothing saved), the JSON
API, and who may do what: a visitor, a member of the municipality, a member of another
one, a facilitator — on every route. The demo's accounts log in with the README's
password.

These tests change records and answers, so they run on a copy of the demo database with
a server of their own."""

import atexit
import os
import re
import subprocess
import urllib.parse

from client import Client
from harness import (Server, check, check_eq, last, parse_html, run_cli, sanitizer_report,
                     shorten, tr)

DEMO_PW = "demo-password-2026"
DEMO = "@demo.tawama.org"
FAC = "facilitator1" + DEMO
OWN = "rep.irbid" + DEMO            # a representative of Irbid
OTHER = "rep.tyre" + DEMO           # a representative of another municipality
INVITED = "youth-women-jobs-study-visit-gaziantep-2027"        # invitation only, upcoming
REGISTER = "services-under-pressure-conference-beirut-2027"    # registration, upcoming
FORMED = "led-strategic-planning-training-beirut-2018"         # where the groups were formed
FIELDS = ("name_ar", "name_en", "name_fr", "country", "governorate", "population",
          "displaced", "displaced_year")


class Env:
    """The copy of the demo database, its server and a client for each kind of reader."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.db = os.path.join(ctx.tmp, "members.db")
        p = run_cli("/usr/bin/sqlite3", [ctx.db, ".backup '%s'" % self.db])
        check(p.returncode == 0, "sqlite3 .backup: %s" % p.stderr.decode())
        self.server = Server(ctx.binary, self.db, ctx.tmp)
        self.server.start()
        atexit.register(self.stop)
        self.who = {"visitor": Client(self.server)}
        for name, email in (("own member", OWN), ("other member", OTHER), ("facilitator", FAC)):
            c = Client(self.server)
            c.login(email, DEMO_PW)
            self.who[name] = c

    def stop(self):
        if self.server.alive():
            return self.server.stop()
        return self.server.proc.returncode if self.server.proc else None

    def sql(self, sql):
        p = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", self.db, sql],
                           capture_output=True, timeout=60)
        check(p.returncode == 0, "sqlite3 %s: %s" % (sql, p.stderr.decode()))
        return p.stdout.decode().strip()

    def record(self, slug):
        return self.sql("SELECT name_ar, name_en, name_fr, country, governorate, population,"
                        " displaced, displaced_year FROM municipalities WHERE slug = '%s'" % slug)

    def user_id(self, email):
        return self.sql("SELECT id FROM users WHERE email = '%s'" % email)

    def api(self, query="", who="visitor"):
        r = self.who[who].get("/api/v1/municipalities" + query)
        check_eq(r.status, 200, "GET /api/v1/municipalities%s: %s" % (query, shorten(r.text())))
        return r.json()


def _env(ctx):
    if getattr(ctx, "members_env", None) is None:
        ctx.members_env = Env(ctx)
    return ctx.members_env


def _q(**params):
    pairs = []
    for k, v in params.items():
        for item in (v if isinstance(v, list) else [v]):
            pairs.append((k, item))
    return "?" + urllib.parse.urlencode(pairs)


def _slugs(data):
    return [i["slug"] for i in data["items"]]


def _card_links(html, lang="en"):
    return re.findall(r'<h3><a href="/%s/members/([a-z0-9-]+)"' % lang, html)


# ---- the directory ---------------------------------------------------------------


def test_directory_finds_names_in_arabic_english_and_french(ctx):
    env = _env(ctx)
    cases = {
        # Arabic with and without hamza, with and without the article
        "إربد": ["irbid"], "اربد": ["irbid"], "أربد": ["irbid"],
        "الزرقاء": ["zarqa"], "زرقاء": ["zarqa"], "الخليل": ["hebron"], "خليل": ["hebron"],
        # English, in part, in capitals
        "Irbid": ["irbid"], "irb": ["irbid"], "ZARQA": ["zarqa"], "Bar Elias": ["bar-elias"],
        # French names and accents, either way
        "Naplouse": ["nablus"], "Tyr": ["tyre"], "Saïda": ["saida"], "saida": ["saida"],
        "Hébron": ["hebron"], "Kérak": ["karak"], "Kerak": ["karak"], "Şanlıurfa": ["sanliurfa"],
        "sanliurfa": ["sanliurfa"],
        # every word must match
        "رام الله": ["ramallah"], "رام نابلس": [],
        "no such town": [],
    }
    for q, want in cases.items():
        data = env.api(_q(q=q))
        check_eq(sorted(_slugs(data)), want, "API search %r" % q)
        check_eq(data["total"], len(want), "total for %r" % q)
    # the page: the same results, the words kept in the box, a shareable address
    for lang in ("ar", "en", "fr"):
        r = env.who["visitor"].get("/%s/members%s" % (lang, _q(q="اربد")))
        check_eq(r.status, 200, "the directory in %s" % lang)
        check_eq(_card_links(r.text(), lang), ["irbid"], "page results in %s" % lang)
        check('value="اربد"' in r.text(), "the words are not kept in the box")
    r = env.who["visitor"].get("/en/members" + _q(q="no such town"))
    check_eq(r.status, 200, "a search without results")
    check(tr("en", "No municipality matches this search.") in r.text(), "no 'none found' text")


def test_directory_criteria_combine_and_counts_add_up(ctx):
    env = _env(ctx)
    everything = env.api()
    check_eq(everything["total"], 40, "the demo's municipalities")
    countries = {v["value"]: v["count"] for v in everything["facets"]["country"]}
    check_eq(sorted(countries), ["IQ", "JO", "LB", "PS", "TR"], "country values")
    check_eq(sum(countries.values()), everything["total"], "country counts add up")
    themes = {v["value"]: v["count"] for v in everything["facets"]["theme"]}
    check_eq(themes.get("led"), 22, "every grouped municipality works on LED")
    # each count is what choosing the value gives
    for c, n in countries.items():
        check_eq(env.api(_q(country=c))["total"], n, "municipalities in %s" % c)
    for t, n in themes.items():
        check_eq(env.api(_q(theme=t))["total"], n, "municipalities on %s" % t)
    # repeated: OR; together: AND
    two = env.api(_q(country=["JO", "LB"]))
    check_eq(two["total"], countries["JO"] + countries["LB"], "JO or LB")
    sel = {v["value"] for v in two["facets"]["country"] if v["selected"]}
    check_eq(sel, {"JO", "LB"}, "selected countries")
    both = env.api(_q(country="JO", theme="waste-management"))
    check_eq(_slugs(both), ["irbid"], "in Jordan and on waste management")
    theme_counts = {v["value"]: v["count"] for v in both["facets"]["theme"]}
    check_eq(theme_counts["waste-management"], both["total"], "the chosen theme's count")
    # with a theme, the country counts are those of the theme's municipalities
    waste = env.api(_q(theme="waste-management"))
    wc = {v["value"]: v["count"] for v in waste["facets"]["country"]}
    check_eq(sum(wc.values()), waste["total"], "country counts add up under a theme")
    # text and criteria together
    check_eq(_slugs(env.api(_q(q="Irbid", country="TR"))), [], "Irbid is not in Turkey")
    check_eq(_slugs(env.api(_q(q="غازي", theme="waste-management"))), ["gaziantep"],
             "Gaziantep by its Arabic name and its theme")
    # an unknown value is no error: nothing matches, and it stays selected
    zz = env.api(_q(country="ZZ"))
    check_eq(zz["total"], 0, "an unknown country")
    check([v for v in zz["facets"]["country"] if v["value"] == "ZZ" and v["selected"]],
          "the unknown country is not shown as chosen")
    # the page: the facet links carry the criteria, counts are shown
    r = env.who["visitor"].get("/en/members?country=JO&theme=led")
    check_eq(r.status, 200, "the directory with criteria")
    check_eq(sorted(_card_links(r.text())),
             sorted(_slugs(env.api(_q(country="JO", theme="led")))), "page and API agree")
    doc = parse_html(r.text())
    on = [a.get("href") for a in doc.find_all("a") if a.get("aria-current") == "true"]
    check_eq(sorted(on), ["/en/members?country=JO", "/en/members?theme=led"],
             "the chosen values link to their removal")
    hidden = {(i.get("name"), i.get("value")) for i in doc.find_all("input", type="hidden")}
    check({("country", "JO"), ("theme", "led")} <= hidden, "the names form keeps the criteria")
    api = env.api(_q(country="JO", theme="led"))
    for facet in ("country", "theme"):
        for val in api["facets"][facet]:
            a = [x for x in doc.find_all("a") if val["label"] in x.text()]
            check(a and "(%d)" % val["count"] in a[0].text(),
                  "the page's count of %s: %s" % (val["value"], a and a[0].text()))
    r = env.who["visitor"].get("/ar/members")
    check("(٨)" in r.text(), "Arabic pages show counts in Arabic digits")


def test_directory_pages_and_bad_parameters(ctx):
    env = _env(ctx)
    first = env.api()
    check_eq(len(first["items"]), 20, "the first page")
    check(first["next"] and "page=2" in first["next"], "the next page: %s" % first["next"])
    second = env.api("?page=2")
    check_eq(len(second["items"]), 20, "the second page")
    check_eq(len(set(_slugs(first)) | set(_slugs(second))), 40, "two pages, every municipality")
    check_eq(second["next"], None, "no third page")
    check_eq(env.api("?page=3")["items"], [], "past the end of the API list")
    v = env.who["visitor"]
    r = v.get("/en/members")
    check('href="/en/members?page=2"' in r.text(), "the page links to the next")
    check_eq(len(_card_links(v.get("/en/members?page=2").text())), 20, "page 2")
    check_eq(v.get("/en/members?page=3").status, 404, "a page past the end")
    # in English order
    names = [i["name"] for i in first["items"]]
    check_eq(names, sorted(names, key=str.lower), "the directory is in alphabetical order")
    for query in ("?page=0", "?page=abc", "?page=10001", "?country=jo", "?country=JOR",
                  "?theme=Bad_Slug", "?q=" + "x" * 501, "?country=" + "&country=".join(
                      "A%s" % chr(65 + i) for i in range(17))):
        for path in ("/en/members", "/api/v1/municipalities"):
            r = v.get(path + query)
            check_eq(r.status, 400, "GET %s%s" % (path, shorten(query, 60)))
        check_eq(r.json()["error"]["status"], 400, "a JSON error")
    check_eq(v.get("/api/v1/municipalities?lang=xx").status, 400, "an unknown language")
    check_eq(v.get("/api/v1/municipalities/irbid?lang=xx").status, 400, "an unknown language")
    check_eq(v.get("/en/members?unknown=1").status, 200, "parameters nobody declared")


# ---- a municipality's page -----------------------------------------------------------


def test_municipality_page_shows_its_group_and_the_events_it_took_part_in(ctx):
    env = _env(ctx)
    v = env.who["visitor"]
    r = v.get("/en/members/mafraq")
    check_eq(r.status, 200, "the page of Mafraq")
    t = r.text()
    check("Mafraq – Kilis" in t, "the twinning group: %s" % shorten(t[t.find("<main"):], 1500))
    check('href="/en/members/kilis"' in t, "the partner is linked")
    check('data-status="active"' in t, "the group's status")
    events = lambda t: re.findall(r'<a href="/en/events/([a-z0-9-]+)"',  # noqa: E731
                                  t[t.find('id="events-title"'):])
    check_eq(events(t), [FORMED], "the demo's representative came to the LED training")
    check(tr("en", "No event yet.") in v.get("/en/members/karak").text(),
          "a municipality that took part in nothing")
    a = parse_html(v.get("/ar/members/mafraq").text())
    check_eq(a.find("h1").text(), "المفرق", "the Arabic name")
    facts = a.find("dl", class_="facts").text()
    check("١٢٠٬٠٠٠" in facts and "٧٠٬٠٠٠" in facts and "٢٠١٧" in facts,
          "figures and year in Arabic digits: %s" % facts)

    # a facilitator invites rep.mafraq and rep.kilis; Mafraq accepts, Kilis declines
    fac = env.who["facilitator"]
    for email in ("rep.mafraq" + DEMO, "rep.kilis" + DEMO):
        fac.get("/en/manage/events/%s/invitations" % INVITED)
        r = fac.post("/en/manage/events/%s/invitations" % INVITED, {"person": env.user_id(email)})
        check_eq(r.status, 303, "invite %s: %s" % (email, shorten(r.text())))
    for email, answer in (("rep.mafraq", "accepted"), ("rep.kilis", "declined")):
        c = Client(env.server)
        c.login(email + DEMO, DEMO_PW)
        c.get("/en/events/%s" % INVITED)
        r = c.post("/en/events/%s/answer" % INVITED, {"answer": answer})
        check_eq(r.status, 303, "%s answers %s: %s" % (email, answer, shorten(r.text())))
    # the second representative of Mafraq registers for a conference
    c = Client(env.server)
    c.login("rep2.mafraq" + DEMO, DEMO_PW)
    c.get("/en/events/%s" % REGISTER)
    r = c.post("/en/events/%s/register" % REGISTER, {})
    check_eq(r.status, 303, "register: %s" % shorten(r.text()))
    check_eq(env.sql("SELECT state FROM registrations r JOIN users u ON u.id = r.user_id"
                     " WHERE u.email = 'rep2.mafraq%s'" % DEMO), "confirmed", "registration")

    check_eq(events(v.get("/en/members/mafraq").text()), [INVITED, REGISTER, FORMED],
             "the events it took part in, newest first")
    check_eq(events(v.get("/en/members/kilis").text()), [FORMED], "a declined invitation counts")
    data = v.get("/api/v1/municipalities/mafraq?lang=fr").json()
    check_eq([e["slug"] for e in data["events"]], [INVITED, REGISTER, FORMED], "the API's events")
    check_eq(data["groups"][0]["partner"]["slug"], "kilis", "the API's partner")
    check_eq(data["groups"][0]["status"], "active", "the API's status")
    # a draft is never shown: unpublished, the event leaves the page
    env.sql("UPDATE events SET published = 0 WHERE slug = '%s'" % INVITED)
    try:
        check_eq(events(v.get("/en/members/mafraq").text()), [REGISTER, FORMED],
                 "a draft on a municipality's page")
        check_eq([e["slug"] for e in v.get("/api/v1/municipalities/mafraq").json()["events"]],
                 [REGISTER, FORMED], "a draft in the API")
    finally:
        env.sql("UPDATE events SET published = 1 WHERE slug = '%s'" % INVITED)
    # a municipality without a group says so
    t = v.get("/en/members/zarqa").text()
    check("Zarqa – Tripoli" in t, "Zarqa's group")
    t = v.get("/en/members/karak").text()
    check(tr("en", "This municipality is not in a twinning group yet.") in t, "no group")


# ---- who may do what ------------------------------------------------------------------


def test_permissions_for_visitor_members_and_facilitator(ctx):
    env = _env(ctx)
    names = [r.split("|")[0] for r in env.sql(
        "SELECT name FROM users u JOIN municipalities m ON m.id = u.municipality_id"
        " WHERE m.slug = 'irbid' AND u.role = 'member' ORDER BY name").splitlines()]
    check(len(names) >= 2, "Irbid's representatives: %s" % names)
    before = env.record("irbid")
    want = {
        # who: (page names?, edit GET, edit POST, API names?)
        "visitor": (False, 303, 401, False),
        "own member": (True, 403, 403, True),
        "other member": (True, 403, 403, True),
        "facilitator": (True, 200, None, True),
    }
    for who, (names_shown, edit_get, edit_post, api_names) in want.items():
        c = env.who[who]
        for lang in ("ar", "en", "fr"):
            r = c.get("/%s/members/irbid" % lang)
            check_eq(r.status, 200, "%s reads the page in %s" % (who, lang))
            t = r.text()
            check(DEMO not in t and "@example.org" not in t, "an e-mail address on the page")
            for n in names:
                check_eq(n in t, names_shown, "%s sees the name %s (%s)" % (who, n, lang))
            check_eq('/members/irbid/edit"' in t, who == "facilitator", "%s gets the edit link"
                     % who)
            if not names_shown:
                check('href="/%s/login?next=/%s/members/irbid"' % (lang, lang) in t,
                      "the visitor is offered to log in")
            check_eq(c.get("/%s/members" % lang).status, 200, "%s reads the directory" % who)
        data = c.get("/api/v1/municipalities/irbid").json()
        check_eq("representatives" in data, api_names, "%s gets names from the API" % who)
        if api_names:
            check_eq(sorted(p["name"] for p in data["representatives"]), sorted(names),
                     "the API's names for %s" % who)
        check(DEMO not in c.get("/api/v1/municipalities/irbid").text(), "an address in the API")
        check_eq(c.get("/api/v1/municipalities").status, 200, "%s reads the API list" % who)
        r = c.get("/en/members/irbid/edit")
        check_eq(r.status, edit_get, "%s opens the edit form" % who)
        if who == "visitor":
            check_eq(r.header("location"), "/en/login?next=%2Fen%2Fmembers%2Firbid%2Fedit",
                     "the visitor is sent to log in")
        if edit_post is not None:
            c.get("/en/members/irbid")
            fields = dict(zip(FIELDS, ["x", "x", "x", "JO", "x", "1", "1", "2020"]))
            r = c.post("/en/members/irbid/edit", fields)
            check_eq(r.status, edit_post, "%s posts the edit form" % who)
            for slug in ("no-such-town",):
                r = c.post("/en/members/%s/edit" % slug, fields)
                check_eq(r.status, edit_post, "%s posts for an unknown municipality" % who)
        check_eq(env.record("irbid"), before, "a refused request changed the record (%s)" % who)
    # the facilitator's own municipality does not matter: staff edit any
    fac = env.who["facilitator"]
    check_eq(fac.get("/fr/members/tyre/edit").status, 200, "staff edit any municipality")
    # a POST without the form's token is refused even for staff
    r = fac.post("/en/members/irbid/edit", dict(zip(FIELDS, ["", "Irbid", "", "JO", "", "", "",
                                                            ""])), csrf=False)
    check_eq(r.status, 403, "an edit without the CSRF token")
    check_eq(env.record("irbid"), before, "a form without a token changed the record")


def test_unknown_municipality_is_404(ctx):
    env = _env(ctx)
    for who in ("visitor", "facilitator"):
        c = env.who[who]
        for path in ("/en/members/atlantis", "/ar/members/atlantis", "/api/v1/municipalities/atlantis"):
            r = c.get(path)
            check_eq(r.status, 404, "%s asks for %s" % (who, path))
        check_eq(c.get("/api/v1/municipalities/atlantis").json()["error"]["code"], "not_found",
                 "the JSON error")
        check_eq(c.get("/xx/members").status, 404, "an unknown language")
        check_eq(c.get("/en/members/Not_A_Slug").status, 404, "not a slug")
    check_eq(env.who["facilitator"].get("/en/members/atlantis/edit").status, 404,
             "the edit form of nothing")


# ---- the edit form -----------------------------------------------------------------


def test_edit_form_rules_422_nothing_saved_then_saved(ctx):
    env = _env(ctx)
    fac = env.who["facilitator"]
    v = env.who["visitor"]
    v.get("/en/members/ramtha")         # the visitor's page is now in the server's cache
    before = env.record("ramtha")
    r = fac.get("/en/members/ramtha/edit")
    check_eq(r.status, 200, "the edit form")
    doc = parse_html(r.text())
    values = {i.get("name"): i.get("value") for i in doc.find_all("input") if i.get("name")}
    check_eq((values["name_ar"], values["name_en"], values["population"], values["displaced"],
              values["displaced_year"]), ("الرمثا", "Ramtha", "150000", "45000", "2018"),
             "the form holds the record")
    sel = doc.find("select", name="country").find("option", selected=True)
    check_eq(sel.get("value"), "JO", "the country is chosen")

    bad = [
        ({"name_ar": "", "name_en": " ", "name_fr": ""}, {"name_ar"}),
        ({"country": "XX"}, {"country"}),
        ({"country": ""}, {"country"}),
        ({"population": "-5", "displaced": "12.5"}, {"population", "displaced"}),
        ({"population": "100000001"}, {"population"}),
        ({"displaced_year": "1899"}, {"displaced_year"}),
        ({"displaced_year": "2999"}, {"displaced_year"}),
        ({"displaced_year": ""}, {"displaced_year"}),
        ({"governorate": "x" * 201, "name_fr": "a\tb"}, {"governorate", "name_fr"}),
    ]
    good = {"name_ar": "الرمثا", "name_en": "Ramtha", "name_fr": "Ramtha", "country": "JO",
            "governorate": "Irbid", "population": "150000", "displaced": "45000",
            "displaced_year": "2018"}
    for change, wrong in bad:
        fields = dict(good, **change)
        r = fac.post("/en/members/ramtha/edit", fields)
        check_eq(r.status, 422, "a wrong form %s" % shorten(repr(change), 80))
        doc = parse_html(r.text())
        errs = {s.get("id")[:-4] for s in doc.find_all("span", class_="field-error")}
        check_eq(errs, wrong, "fields marked for %s" % shorten(repr(change), 80))
        for f in wrong:
            inp = doc.find(None, id="f-" + f)
            check_eq(inp.get("aria-invalid"), "true", "aria-invalid on %s" % f)
            check(f + "-err" in inp.get("aria-describedby", ""), "aria-describedby on %s" % f)
        # the values are kept as given
        kept = {i.get("name"): i.get("value") for i in doc.find_all("input") if i.get("name")}
        for k, val in fields.items():
            if k != "country":
                check_eq(kept[k], val, "the value of %s is kept" % k)
        check(tr("en", "Nothing was saved. Please correct the fields marked below.") in r.text(),
              "the form says nothing was saved")
        check_eq(env.record("ramtha"), before, "an invalid form changed the record")
    # messages in the reader's language
    r = fac.post("/ar/members/ramtha/edit", dict(good, displaced_year="1800"))
    check_eq(r.status, 422, "an Arabic form")
    check("١٩٠٠" in r.text(), "the year's range in Arabic digits")

    # a good form: saved, seen at once by everyone (the cache follows), in every language
    fields = dict(good, population="١٦٠٬٠٠٠", displaced="50 000", displaced_year="2024",
                  name_fr="Ramtha (Er-Ramtha)", governorate=" Irbid ")
    r = fac.post("/en/members/ramtha/edit", fields)
    check_eq(r.status, 303, "a good form: %s" % shorten(r.text()))
    check_eq(r.header("location"), "/en/members/ramtha?saved=1", "back to the page")
    check(tr("en", "The record is saved.") in fac.get(r.header("location")).text(),
          "the page says it is saved")
    check_eq(env.record("ramtha"), "الرمثا|Ramtha|Ramtha (Er-Ramtha)|JO|Irbid|160000|50000|2024",
             "the stored record")
    t = v.get("/fr/members/ramtha").text()
    check("Ramtha (Er-Ramtha)" in t and ("160\u202f000" in t or "160\u00a0000" in t),
          "the French page shows the new record: %s" % shorten(t[t.find("<main"):], 800))
    check("١٦٠٬٠٠٠" in v.get("/ar/members/ramtha").text(), "the Arabic page")
    check("2024" in v.get("/en/members/ramtha").text(), "the cached page was replaced")
    data = v.get("/api/v1/municipalities/ramtha").json()
    check_eq((data["population"], data["displaced"], data["displaced_year"]), (160000, 50000, 2024),
             "the API")
    # unknown figures are allowed
    r = fac.post("/en/members/ramtha/edit", dict(good, population="", displaced="",
                                                displaced_year=""))
    check_eq(r.status, 303, "figures left empty")
    data = v.get("/api/v1/municipalities/ramtha").json()
    check_eq((data["population"], data["displaced"], data["displaced_year"]), (None, None, None),
             "unknown figures")
    check(tr("en", "Not known") in v.get("/en/members/ramtha").text(), "the page says not known")
    r = fac.post("/en/members/ramtha/edit", good)
    check_eq(r.status, 303, "the record put back")
    check_eq(env.record("ramtha"), before, "the record is back")


# ---- the demo's accounts ---------------------------------------------------------------


def test_demo_accounts_log_in_with_the_readme_password(ctx):
    env = _env(ctx)
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md"),
                  encoding="utf-8").read()
    check(DEMO_PW in readme, "the README does not give the demo password")
    for email in ("admin", "facilitator1", "facilitator2", "rep.irbid", "rep2.irbid"):
        check(email + DEMO in readme, "%s is not in the README" % email)
    for email in ("admin", "facilitator1", "facilitator2", "rep.irbid", "rep2.irbid",
                  "rep.gaziantep", "rep.karak"):
        c = Client(env.server)
        c.login(email + DEMO, DEMO_PW)
        page = c.get("/en/profile")
        check_eq(page.status, 200, "%s's profile" % email)
        check(email + DEMO in page.text(), "%s is signed in" % email)
    # staff see the manage pages, members do not
    check_eq(env.who["facilitator"].get("/en/manage/events").status, 200, "a demo facilitator")
    check_eq(env.who["own member"].get("/en/manage/events").status, 403, "a demo member")
    admin = Client(env.server)
    admin.login("admin" + DEMO, DEMO_PW)
    check("name=\"role\"" in admin.get("/en/admin/users").text(), "the demo administrator")
    # a wrong password is refused
    c = Client(env.server)
    c.get("/en/login")
    r = c.post("/en/login", {"email": "rep.karak" + DEMO, "password": "not the password"})
    check_eq(r.status, 422, "a wrong password")
    # a representative's preferred language: Lebanon French, Turkey English, else Arabic
    check_eq(env.sql("SELECT lang FROM users WHERE email IN ('rep.tyre%s', 'rep.mersin%s',"
                     " 'rep.irbid%s') ORDER BY email" % (DEMO, DEMO, DEMO)).splitlines(),
             ["ar", "en", "fr"], "languages by country")


@last
def test_the_members_server_stops_cleanly(ctx):
    env = getattr(ctx, "members_env", None)
    if env is None:
        return
    status = env.stop()
    check_eq(status, 0, "exit status of the members server")
    rep = sanitizer_report(env.server.stderr())
    check(rep is None, "sanitizer report: %s" % rep)
