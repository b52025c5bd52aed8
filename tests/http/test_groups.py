"""test_groups: twinning groups over HTTP — every route asked by a visitor, a member of
the group, a member of another group and a facilitator; an unpublished group hidden
from everyone but its members and staff; every rule of the milestone, report, comment
and group forms (422 with a message beside the field, nothing written); concurrent
edits of one milestone, report or group (the later save gets 409 and the earlier
change is kept); the timeline recording each change; the workspace in Arabic and
French; the JSON under /api/v1/groups with the same rules.

These tests change groups, so they run on a copy of the demo database with a server
of their own."""

import atexit
import os
import re
import subprocess
import time
import urllib.parse

from client import Client, add_user
from harness import (Server, check, check_eq, html_root, last, parse_html, run_cli,
                     sanitizer_report, shorten, tr)
from test_manage_events import form_fields, with_changes

PW = "a long enough password"
FAC = "tw.facilitator@example.org"
FAC2 = "tw.facilitator2@example.org"
IRBID = "tw.irbid@example.org"           # irbid-gaziantep
GAZ = "tw.gaziantep@example.org"         # irbid-gaziantep
MAFRAQ = "tw.mafraq@example.org"         # mafraq-kilis: a member of another group
BAALBEK = "tw.baalbek@example.org"       # baalbek-sanliurfa, the unpublished group
GROUP = "irbid-gaziantep"
OTHER = "mafraq-kilis"
HIDDEN = "baalbek-sanliurfa"


class Env:
    """The copy of the demo database, its server and signed-in clients."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.db = os.path.join(ctx.tmp, "groups.db")
        p = run_cli("/usr/bin/sqlite3", [ctx.db, ".backup '%s'" % self.db])
        check(p.returncode == 0, "sqlite3 .backup: %s" % p.stderr.decode())
        add_user(ctx, FAC, "facilitator", PW, name="Farah Facilitator", db=self.db)
        add_user(ctx, FAC2, "facilitator", PW, name="Fadi Facilitator", db=self.db)
        add_user(ctx, IRBID, "member", PW, name="Omar Irbid", municipality="irbid", db=self.db)
        add_user(ctx, GAZ, "member", PW, name="Elif Gaziantep", municipality="gaziantep",
                 db=self.db)
        add_user(ctx, MAFRAQ, "member", PW, name="Huda Mafraq", municipality="mafraq",
                 db=self.db)
        add_user(ctx, BAALBEK, "member", PW, name="Rami Baalbek", municipality="baalbek",
                 db=self.db)
        self.server = Server(ctx.binary, self.db, ctx.tmp)
        self.server.start()
        atexit.register(self.stop)
        self.fac = self.login(FAC)
        self.irbid = self.login(IRBID)
        self.gaz = self.login(GAZ)
        self.mafraq = self.login(MAFRAQ)
        self.baalbek = self.login(BAALBEK)

    def login(self, email):
        c = Client(self.server)
        c.login(email, PW)
        return c

    def stop(self):
        if self.server.alive():
            return self.server.stop()
        return None

    def visitor(self):
        return Client(self.server)

    def sql(self, q, *args):
        for a in args:
            q = q.replace("?", "'%s'" % str(a).replace("'", "''"), 1)
        p = subprocess.run(["sqlite3", self.db, q], capture_output=True, timeout=60)
        check(p.returncode == 0, "sqlite3 %s: %s" % (q, p.stderr.decode()))
        return p.stdout.decode().strip()

    def state(self):
        """Everything a refused request must leave as it was."""
        return self.sql(
            "SELECT (SELECT count(*) || ':' || total(version) || ':' || total(progress)"
            " || ':' || group_concat(title || status || due, '|') FROM group_milestones)"
            " || '/' || (SELECT count(*) || ':' || total(version) FROM group_reports)"
            " || '/' || (SELECT count(*) || ':' || total(score) FROM report_scores)"
            " || '/' || (SELECT count(*) FROM group_comments)"
            " || '/' || (SELECT count(*) FROM group_activity)"
            " || '/' || (SELECT count(*) || ':' || total(version) || ':' || total(published)"
            " FROM twinning_groups)")

    def milestone(self, slug, n=0):
        """The id of the group's n-th milestone (by id)."""
        return int(self.sql("SELECT m.id FROM group_milestones m JOIN twinning_groups g"
                            " ON g.id = m.group_id WHERE g.slug = ? ORDER BY m.id"
                            " LIMIT 1 OFFSET %d" % n, slug))

    def activity(self, slug):
        """The group's timeline actions, newest first."""
        out = self.sql("SELECT a.action FROM group_activity a JOIN twinning_groups g"
                       " ON g.id = a.group_id WHERE g.slug = ? ORDER BY a.at DESC, a.id DESC",
                       slug)
        return out.split("\n") if out else []


def _env(ctx):
    if getattr(ctx, "groups_env", None) is None:
        ctx.groups_env = Env(ctx)
    return ctx.groups_env


def esc(s):
    """s as the templates escape it."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def main_text(r):
    t = r.text()
    return t[t.find("<main"):t.find("</main>")]


def current_quarter():
    t = time.gmtime()
    return t.tm_year, (t.tm_mon - 1) // 3 + 1


def free_quarter(env, slug):
    """The latest quarter up to the current one without a report of the group."""
    y, q = current_quarter()
    taken = set(env.sql("SELECT r.period FROM group_reports r JOIN twinning_groups g"
                        " ON g.id = r.group_id WHERE g.slug = ?", slug).split("\n"))
    while "%d-Q%d" % (y, q) in taken:
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    return "%d-Q%d" % (y, q)


def milestone_fields(title="Market study of the old town", **changes):
    f = {"title": title, "text_lang": "en", "owner": "", "due": "2027-06-30",
         "status": "in-progress", "progress": "20"}
    f.update(changes)
    return list(f.items())


def report_fields(period, **changes):
    f = {"period": period, "text_lang": "en",
         "achievements": "The **market study** was finished.\r\n\r\n- 40 traders met",
         "challenges": "", "next_steps": "Present it to both councils.",
         "score_ownership": "4", "score_inclusion": "3", "score_economic-results": "",
         "score_cooperation": "5", "score_sustainability": "2"}
    f.update(changes)
    return list(f.items())


def check_refused(r, field_id, what):
    check_eq(r.status, 422, what)
    t = r.text()
    check('id="%s-err"' % field_id in t, "%s: no message beside %s: %s"
          % (what, field_id, shorten(re.findall(r'class="field-error"[^<]*', t) or t[-600:])))
    check('aria-invalid="true"' in t, "%s: no aria-invalid" % what)
    return t


def form_routes(group, milestone, period):
    """(method, path) of every workspace form of a group."""
    base = "/en/groups/%s" % group
    return [
        ("GET", base + "/milestones/new"), ("POST", base + "/milestones/new"),
        ("GET", base + "/milestones/%d/edit" % milestone),
        ("POST", base + "/milestones/%d/edit" % milestone),
        ("GET", base + "/reports/new"), ("POST", base + "/reports/new"),
        ("GET", base + "/reports/%s/edit" % period), ("POST", base + "/reports/%s/edit" % period),
        ("POST", base + "/comments"),
    ]


def ask(client, method, path, fields=None):
    if method == "GET":
        return client.get(path)
    return client.post(path, fields if fields is not None else milestone_fields()
                       + [("version", "1"), ("body", "A comment"), ("period", "2026-Q1")])


# ---- who sees what ----------------------------------------------------------------


def test_visitors_see_published_groups_name_cities_and_status_only(ctx):
    env = _env(ctx)
    v = env.visitor()
    r = v.get("/en/groups")
    check_eq(r.status, 200, "the list")
    t = main_text(r)
    check("/en/groups/%s" % GROUP in t, "a published group is not listed")
    check("/en/groups/%s" % HIDDEN not in t, "the unpublished group is listed to the public")
    check("/manage/groups" not in t, "a manage link for a visitor")
    r = v.get("/en/groups/%s" % GROUP)
    check_eq(r.status, 200, "a published group")
    t = main_text(r)
    for word in ("Irbid", "Gaziantep", "Jordan", "Turkey", tr("en", "Active")):
        check(word in t, "the public view lacks %r" % word)
    for secret in ("Joint diagnosis", "market study", tr("en", "Progress reports"),
                   'id="timeline"', "/milestones/", tr("en", "Members"), "Training Workshop"):
        check(secret not in t, "the public view shows %r" % secret)
    check("/en/login?next=" in t, "no way to log in from the public view")
    for lang in ("ar", "fr"):
        r = v.get("/%s/groups/%s" % (lang, GROUP))
        check_eq(r.status, 200, "the public view in %s" % lang)
        check(esc(tr(lang, "Active")) in r.text(), "status not translated in %s" % lang)
    check_eq(html_root(parse_html(v.get("/ar/groups/%s" % GROUP).text())).get("dir"), "rtl",
             "Arabic page direction")
    for path in ("/en/groups/%s" % HIDDEN, "/api/v1/groups/%s" % HIDDEN, "/en/groups/no-such-group",
                 "/api/v1/groups/no-such-group"):
        check_eq(v.get(path).status, 404, "visitor at %s" % path)
    # the API: the same three facts
    j = v.get("/api/v1/groups").json()
    slugs = [g["slug"] for g in j["groups"]]
    check(GROUP in slugs and HIDDEN not in slugs, "API list: %s" % slugs)
    check_eq(j["total"], len(slugs), "API total")
    check(all(set(g) == {"slug", "name", "status", "cities", "url"} for g in j["groups"]),
          "API list shows more than name, cities and status: %s" % shorten(j["groups"][0]))
    j = v.get("/api/v1/groups/%s?lang=fr" % GROUP).json()
    check_eq(set(j), {"slug", "name", "status", "cities", "url", "workspace"}, "API one keys")
    check_eq((j["status"], j["workspace"], [c["slug"] for c in j["cities"]]),
             ("active", False, ["irbid", "gaziantep"]), "API one")
    check_eq(v.get("/api/v1/groups?lang=de").status, 400, "API with a bad lang")


def test_members_of_the_group_see_and_edit_their_workspace(ctx):
    env = _env(ctx)
    for c in (env.irbid, env.gaz):
        r = c.get("/en/groups/%s" % GROUP)
        check_eq(r.status, 200, "a member's workspace")
        t = main_text(r)
        for part in ("Joint diagnosis of the two local economies", 'id="timeline"',
                     tr("en", "Progress reports"), "/en/groups/%s/milestones/new" % GROUP,
                     "/en/groups/%s/reports/new" % GROUP, "Omar Irbid", "Elif Gaziantep",
                     tr("en", "Self-assessment"), tr("en", "Comments and evaluations")):
            check(part in t, "the workspace lacks %r" % part)
        check("/en/groups/%s/comments" % GROUP not in t, "a member is offered the comment form")
        check("Huda Mafraq" not in t, "a member of another group is listed as a member")
    m = env.milestone(GROUP)
    for path in ("/milestones/new", "/milestones/%d/edit" % m, "/reports/new",
                 "/reports/2026-q3/edit"):
        check_eq(env.irbid.get("/en/groups/%s%s" % (GROUP, path)).status, 200, "member GET %s" % path)
    r = env.irbid.get("/en/groups")
    check(tr("en", "Your group") in main_text(r), "the list does not mark the member's group")
    j = env.irbid.get("/api/v1/groups/%s" % GROUP).json()
    check_eq(j["workspace"], True, "API workspace")
    check(len(j["milestones"]) >= 6 and len(j["reports"]) >= 5, "API plan and reports")
    check({"by_status", "completion", "weighted_completion", "overdue"} <= set(j["stats"]),
          "API stats: %s" % j.get("stats"))
    check(j["timeline"] and "sentence" in j["timeline"][0], "API timeline")
    # a milestone of another group is not found through this group's address
    other = env.milestone(OTHER)
    check_eq(env.irbid.get("/en/groups/%s/milestones/%d/edit" % (GROUP, other)).status, 404,
             "another group's milestone through this group's address")
    check_eq(env.irbid.get("/en/groups/%s/milestones/0/edit" % GROUP).status, 404, "milestone 0")
    check_eq(env.irbid.get("/en/groups/%s/reports/1999-q1/edit" % GROUP).status, 404,
             "a report that does not exist")
    check_eq(env.irbid.get("/en/groups/%s/reports/2026-q9/edit" % GROUP).status, 404,
             "a malformed period")


def test_members_of_another_group_are_refused(ctx):
    env = _env(ctx)
    before = env.state()
    m = env.milestone(GROUP)
    # the public view of a published group, never its plan or reports
    r = env.mafraq.get("/en/groups/%s" % GROUP)
    check_eq(r.status, 200, "another group's public view")
    check("Joint diagnosis" not in r.text(), "a member of another group sees the plan")
    j = env.mafraq.get("/api/v1/groups/%s" % GROUP).json()
    check(j["workspace"] is False and "milestones" not in j, "API for another group's member")
    env.mafraq.get("/en/groups/%s" % OTHER)      # a fresh CSRF token
    for method, path in form_routes(GROUP, m, "2026-q3"):
        r = ask(env.mafraq, method, path, report_fields("2026-Q1") + [("version", "1")]
                if "/reports/" in path else None)
        check_eq(r.status, 403, "a member of another group: %s %s" % (method, path))
    # a group they cannot see at all is not found
    hm = env.milestone(HIDDEN)
    for method, path in form_routes(HIDDEN, hm, "2026-q3"):
        check_eq(ask(env.mafraq, method, path).status, 404, "%s %s of the unpublished group"
                 % (method, path))
    # forming and editing groups is staff's
    for method, path in (("GET", "/en/manage/groups/new"), ("POST", "/en/manage/groups/new"),
                         ("GET", "/en/manage/groups/%s/edit" % GROUP),
                         ("POST", "/en/manage/groups/%s/edit" % GROUP),
                         ("GET", "/en/manage/groups/%s/edit" % OTHER)):
        r = ask(env.mafraq, method, path, [("municipality_a", "mafraq"),
                                           ("municipality_b", "tyre"), ("status", "active"),
                                           ("version", "1")])
        check_eq(r.status, 403, "a member: %s %s" % (method, path))
    # members of the group may not evaluate it either
    env.irbid.get("/en/groups/%s" % GROUP)
    r = env.irbid.post("/en/groups/%s/comments" % GROUP, {"body": "We evaluate ourselves",
                                                           "score": "5"})
    check_eq(r.status, 403, "a member of the group posting an evaluation")
    check_eq(env.state(), before, "a refused request changed something")


def test_visitors_are_sent_to_log_in_on_every_form(ctx):
    env = _env(ctx)
    before = env.state()
    m = env.milestone(GROUP)
    routes = form_routes(GROUP, m, "2026-q3") + [
        ("GET", "/en/manage/groups/new"), ("POST", "/en/manage/groups/new"),
        ("GET", "/en/manage/groups/%s/edit" % GROUP), ("POST", "/en/manage/groups/%s/edit" % GROUP)]
    for method, path in routes:
        v = env.visitor()
        v.get("/en/login")          # a visitor's session and CSRF token
        r = ask(v, method, path)
        if method == "GET":
            check_eq(r.status, 303, "visitor GET %s" % path)
            check_eq(r.header("location"), "/en/login?next=%s" % urllib.parse.quote(path, safe=""),
                     "visitor GET %s" % path)
        else:
            check_eq(r.status, 401, "visitor POST %s" % path)
    check_eq(env.state(), before, "a visitor changed something")


def test_the_unpublished_group_is_its_members_own(ctx):
    env = _env(ctx)
    for who, c in (("its member", env.baalbek), ("a facilitator", env.fac)):
        r = c.get("/en/groups/%s" % HIDDEN)
        check_eq(r.status, 200, "%s at the unpublished group" % who)
        check(esc(tr("en", "Not published: only the group's members and the facilitators can "
                     "see this group.")) in r.text(), "no unpublished notice for %s" % who)
        j = c.get("/api/v1/groups").json()
        g = [x for x in j["groups"] if x["slug"] == HIDDEN]
        check(g and g[0]["published"] is False and g[0]["workspace"], "API list for %s" % who)
        check_eq(c.get("/api/v1/groups/%s" % HIDDEN).json()["workspace"], True, "API one")
        check("/en/groups/%s" % HIDDEN in main_text(c.get("/en/groups")), "listed for %s" % who)
    for who, c in (("a visitor", env.visitor()), ("a member of another group", env.mafraq),
                   ("a member of a published group", env.irbid)):
        for path in ("/en/groups/%s" % HIDDEN, "/ar/groups/%s" % HIDDEN,
                     "/api/v1/groups/%s" % HIDDEN):
            check_eq(c.get(path).status, 404, "%s at %s" % (who, path))
        check("/en/groups/%s" % HIDDEN not in c.get("/en/groups").text(), "listed for %s" % who)
        check(HIDDEN not in c.get("/api/v1/groups").text(), "in the API list for %s" % who)


def test_facilitators_see_every_group_and_evaluate(ctx):
    env = _env(ctx)
    r = env.fac.get("/en/groups")
    t = main_text(r)
    for part in ("/en/manage/groups/new", tr("en", "Not published"), tr("en", "Milestones done"),
                 "/en/manage/groups/%s/edit" % GROUP, "/en/groups/%s" % HIDDEN):
        check(part in t, "the staff list lacks %r" % part)
    check(tr("en", "A milestone is blocked") in t, "the blocked milestone of the group behind "
          "is not flagged")
    r = env.fac.get("/en/groups/%s" % GROUP)
    check("/en/groups/%s/comments" % GROUP in r.text(), "no comment form for staff")
    before = len(env.activity(GROUP))
    r = env.fac.post("/en/groups/%s/comments" % GROUP,
                     {"body": "Clear **progress**; share the market study.", "score": "4",
                      "report": "2026-Q3"})
    check_eq(r.status, 303, "an evaluation: %s" % shorten(r.text()))
    check_eq(r.header("location"), "/en/groups/%s?saved=comment#comments" % GROUP, "after it")
    r = env.fac.post("/en/groups/%s/comments" % GROUP, {"body": "A plain comment."})
    check_eq(r.status, 303, "a comment")
    check_eq(env.activity(GROUP)[:2], ["comment.create", "evaluation.create"], "the timeline")
    check_eq(len(env.activity(GROUP)), before + 2, "one timeline row per comment")
    # the group's members read them
    t = main_text(env.irbid.get("/en/groups/%s" % GROUP))
    check("<strong>progress</strong>" in t, "the evaluation (Markdown) is not shown to members")
    check("%s: 4 out of 5" % tr("en", "Evaluation") in t, "the score is not shown")
    j = env.irbid.get("/api/v1/groups/%s" % GROUP).json()
    check_eq((j["comments"][1]["score"], j["comments"][1]["report"], j["comments"][0]["score"]),
             (4, "2026-Q3", None), "API comments")
    check_eq(j["comments"][0]["author"], "Farah Facilitator", "comment author")
    # staff edit any group's plan
    m = env.milestone(OTHER)
    action = "/en/groups/%s/milestones/%d/edit" % (OTHER, m)
    r = env.fac.get(action)
    check_eq(r.status, 200, "staff edit form")
    r = env.fac.post(action, with_changes(form_fields(r.text(), action), {"progress": "100",
                                                                          "status": "done"}))
    check_eq(r.status, 303, "staff edit: %s" % shorten(main_text(r)))


# ---- the milestone form -----------------------------------------------------------

BAD_MILESTONES = [
    ({"progress": "101"}, "m-progress"),
    ({"progress": "-1"}, "m-progress"),
    ({"progress": "abc"}, "m-progress"),
    ({"progress": ""}, "m-progress"),
    ({"progress": "50.5"}, "m-progress"),
    ({"progress": "1000"}, "m-progress"),
    ({"status": "done", "progress": "50"}, "m-progress"),
    ({"status": "finished"}, "m-status"),
    ({"due": "2017-12-31"}, "m-due"),          # before the group was formed (2018)
    ({"due": "2026-02-30"}, "m-due"),
    ({"due": "31/12/2026"}, "m-due"),
    ({"due": ""}, "m-due"),
    ({"due": "2099-01-01"}, "m-due"),          # more than ten years ahead
    ({"title": ""}, "m-title"),
    ({"title": "   "}, "m-title"),
    ({"title": "x" * 301}, "m-title"),
    ({"title": "a\ttab"}, "m-title"),
    ({"text_lang": "de"}, "m-lang"),
    ({"owner": "999999"}, "m-owner"),
    ({"owner": "abc"}, "m-owner"),
]


def test_milestone_rules_refuse_bad_input(ctx):
    env = _env(ctx)
    c = env.irbid
    c.get("/en/groups/%s/milestones/new" % GROUP)
    mafraq_id = env.sql("SELECT id FROM users WHERE email = ?", MAFRAQ)
    cases = BAD_MILESTONES + [({"owner": mafraq_id}, "m-owner")]   # not of the two cities
    before = env.state()
    for changes, field in cases:
        r = c.post("/en/groups/%s/milestones/new" % GROUP, milestone_fields(**changes))
        t = check_refused(r, field, "milestone %s" % changes)
        check(tr("en", "Nothing was saved. Please correct the fields marked below.") in t,
              "no summary for %s" % changes)
        if "title" in changes and changes["title"].strip() and "\t" not in changes["title"]:
            check(changes["title"][:50] in t, "the title is not kept")
    check_eq(env.state(), before, "a refused milestone was written")
    # the group was formed on the last day of the LED training: the message says when
    r = c.post("/en/groups/%s/milestones/new" % GROUP, milestone_fields(due="2017-12-31"))
    check("2018" in re.search(r'id="m-due-err">([^<]*)', r.text()).group(1), "the date")
    # a good one, with an owner of the other city
    gaz_id = env.sql("SELECT id FROM users WHERE email = ?", GAZ)
    r = c.post("/en/groups/%s/milestones/new" % GROUP,
               milestone_fields("Étude de marché de la vieille ville", text_lang="fr",
                                owner=gaz_id))
    check_eq(r.status, 303, "a good milestone: %s" % shorten(main_text(r)))
    mid = env.sql("SELECT max(id) FROM group_milestones")
    check_eq(r.header("location"), "/en/groups/%s?saved=milestone#milestone-%s" % (GROUP, mid),
             "after saving")
    check_eq(env.sql("SELECT title, lang, owner_id, due, status, progress, version, created_by"
                     " FROM group_milestones WHERE id = ?", mid),
             "Étude de marché de la vieille ville|fr|%s|2027-06-30|in-progress|20|1|%s"
             % (gaz_id, env.sql("SELECT id FROM users WHERE email = ?", IRBID)), "stored")
    check_eq(env.activity(GROUP)[0], "milestone.create", "the timeline")
    t = main_text(c.get("/en/groups/%s?saved=milestone" % GROUP))
    check(tr("en", "The milestone is saved.") in t, "no saved notice")
    check('<span lang="fr" dir="ltr">Étude de marché de la vieille ville</span>' in t,
          "the title is not marked as French")
    check("Elif Gaziantep" in t, "the owner is not shown")
    # an edit form without a version, or with a bad one, is a bad request
    action = "/en/groups/%s/milestones/%s/edit" % (GROUP, mid)
    for version in (None, "", "abc", "0"):
        f = milestone_fields() + ([("version", version)] if version is not None else [])
        check_eq(c.post(action, f).status, 400, "version %r" % version)


def test_concurrent_milestone_edits_are_detected(ctx):
    env = _env(ctx)
    m = env.milestone(GROUP, 3)         # the strategy draft, in progress
    action = "/en/groups/%s/milestones/%d/edit" % (GROUP, m)
    first, second = env.irbid, env.gaz
    f1 = form_fields(first.get(action).text(), action)
    f2 = form_fields(second.get(action).text(), action)
    check_eq(dict(f1)["version"], dict(f2)["version"], "both forms from one version")
    timeline = env.activity(GROUP)
    r = first.post(action, with_changes(f1, {"progress": "85"}))
    check_eq(r.status, 303, "the first save")
    r = second.post(action, with_changes(f2, {"progress": "90", "status": "blocked"}))
    check_eq(r.status, 409, "the second save, made from the older version")
    t = r.text()
    check(tr("en", "Someone else changed this milestone while you were editing it, so nothing "
             "was saved. Your version is kept in the form below; theirs is shown here. Saving "
             "again will replace theirs with yours.") in t, "no conflict message")
    f3 = form_fields(t, action)
    check_eq((dict(f3)["progress"], dict(f3)["status"]), ("90", "blocked"),
             "the second person's values are kept in the form")
    check("85%" in main_text(r) and "Omar Irbid" in main_text(r), "theirs is not shown")
    check_eq(env.sql("SELECT progress || ' ' || status FROM group_milestones WHERE id = ?", m),
             "85 in-progress", "the first change was erased")
    check_eq(env.activity(GROUP), ["milestone.update"] + timeline, "one timeline row, the first's")
    # saving the refused form again is a deliberate choice: it replaces theirs
    r = second.post(action, f3)
    check_eq(r.status, 303, "saving again after reading theirs")
    check_eq(env.sql("SELECT progress || ' ' || status FROM group_milestones WHERE id = ?", m),
             "90 blocked", "the deliberate second save")
    j = env.gaz.get("/api/v1/groups/%s" % GROUP).json()
    row = j["timeline"][0]
    check_eq((row["action"], row["by"]), ("milestone.update", "Elif Gaziantep"), "timeline row")
    check({"label": "Progress", "from": "85%", "to": "90%"} in row["changes"],
          "timeline changes: %s" % row["changes"])


def test_concurrent_report_and_group_edits_are_detected(ctx):
    env = _env(ctx)
    action = "/en/groups/%s/reports/2026-q2/edit" % GROUP
    f1 = form_fields(env.irbid.get(action).text(), action)
    f2 = form_fields(env.gaz.get(action).text(), action)
    r = env.irbid.post(action, with_changes(f1, {"next_steps": "Irbid's next steps"}))
    check_eq(r.status, 303, "the first report save")
    r = env.gaz.post(action, with_changes(f2, {"next_steps": "Gaziantep's next steps"}))
    check_eq(r.status, 409, "the second report save")
    check("Gaziantep&#39;s next steps" in r.text(), "the reader's text is not kept")
    check_eq(env.sql("SELECT next_steps FROM group_reports r JOIN twinning_groups g"
                     " ON g.id = r.group_id WHERE g.slug = ? AND r.period = '2026-Q2'", GROUP),
             "Irbid's next steps", "the first report change was erased")
    # the group's form
    fac2 = env.login(FAC2)
    action = "/en/manage/groups/%s/edit" % OTHER
    f1 = form_fields(env.fac.get(action).text(), action)
    f2 = form_fields(fac2.get(action).text(), action)
    r = env.fac.post(action, with_changes(f1, {"status": "paused"}))
    check_eq(r.status, 303, "the first group save")
    r = fac2.post(action, with_changes(f2, {"status": "completed"}))
    check_eq(r.status, 409, "the second group save")
    check_eq(env.sql("SELECT status FROM twinning_groups WHERE slug = ?", OTHER), "paused",
             "the first group change was erased")


# ---- reports ----------------------------------------------------------------------


def test_report_rules_one_per_quarter_none_in_the_future(ctx):
    env = _env(ctx)
    c = env.gaz
    c.get("/en/groups/%s/reports/new" % GROUP)
    y, q = current_quarter()
    future = "%d-Q%d" % ((y, q + 1) if q < 4 else (y + 1, 1))
    cases = [
        (report_fields("2026-Q3"), "r-period"),             # the demo has it already
        (report_fields(future), "r-period"),
        (report_fields("2099-Q1"), "r-period"),
        (report_fields("2017-Q4"), "r-period"),             # before the group was formed
        (report_fields("2026-Q5"), "r-period"),
        (report_fields("2026-3"), "r-period"),
        (report_fields(""), "r-period"),
        (report_fields(free_quarter(env, GROUP), score_ownership="6"), "r-score_ownership"),
        (report_fields(free_quarter(env, GROUP), score_cooperation="0"), "r-score_cooperation"),
        (report_fields(free_quarter(env, GROUP), achievements=" "), "r-achievements"),
        (report_fields(free_quarter(env, GROUP), next_steps=""), "r-next_steps"),
        (report_fields(free_quarter(env, GROUP), text_lang="xx"), "r-lang"),
        (report_fields(free_quarter(env, GROUP), challenges="x" * 5001), "r-challenges"),
    ]
    before = env.state()
    for fields, field in cases:
        check_refused(c.post("/en/groups/%s/reports/new" % GROUP, fields), field,
                      "report %s" % shorten(dict(fields), 120))
    check_eq(env.state(), before, "a refused report was written")
    r = c.post("/en/groups/%s/reports/new" % GROUP, report_fields("2026-Q3"))
    check(tr("en", "There is already a report for %s: edit it instead.") % "Q3 2026" in r.text(),
          "the duplicate's message")
    # a good one: the current quarter may be reported on
    period = free_quarter(env, GROUP)
    r = c.post("/en/groups/%s/reports/new" % GROUP, report_fields(period))
    check_eq(r.status, 303, "a good report: %s" % shorten(main_text(r)))
    anchor = "report-" + period.lower()
    check_eq(r.header("location"), "/en/groups/%s?saved=report#%s" % (GROUP, anchor), "after it")
    check_eq(env.activity(GROUP)[0], "report.create", "the timeline")
    check_eq(env.sql("SELECT group_concat(c.slug || '=' || s.score, ',') FROM report_scores s"
                     " JOIN report_criteria c ON c.id = s.criterion_id JOIN group_reports r"
                     " ON r.id = s.report_id WHERE r.period = ? AND r.group_id ="
                     " (SELECT id FROM twinning_groups WHERE slug = ?) ORDER BY c.position",
                     period, GROUP),
             "ownership=4,inclusion=3,cooperation=5,sustainability=2", "scores")
    t = main_text(env.irbid.get("/en/groups/%s" % GROUP))
    check('id="%s"' % anchor in t and "<strong>market study</strong>" in t, "the report")
    check(tr("en", "Not assessed") in t, "an unscored criterion")
    # twice the same quarter: refused
    check_refused(c.post("/en/groups/%s/reports/new" % GROUP, report_fields(period)), "r-period",
                  "the same quarter twice")
    # an edit is recorded with what changed
    action = "/en/groups/%s/reports/%s/edit" % (GROUP, period.lower())
    r = env.irbid.get(action)
    r = env.irbid.post(action, with_changes(form_fields(r.text(), action),
                                            {"achievements": "Rewritten.", "score_ownership": "5"}))
    check_eq(r.status, 303, "the edit")
    row = env.irbid.get("/api/v1/groups/%s" % GROUP).json()["timeline"][0]
    check_eq(row["action"], "report.update", "timeline action")
    check({"label": "Achievements", "changed": True} in row["changes"] and
          {"label": "Ownership", "from": "4 out of 5", "to": "5 out of 5"} in row["changes"],
          "timeline changes: %s" % row["changes"])


def test_comment_rules(ctx):
    env = _env(ctx)
    c = env.fac
    c.get("/en/groups/%s" % GROUP)
    before = env.state()
    for fields, field in (({"body": ""}, "c-body"), ({"body": " \r\n "}, "c-body"),
                          ({"body": "x" * 5001}, "c-body"),
                          ({"body": "ok", "score": "6"}, "c-score"),
                          ({"body": "ok", "score": "0"}, "c-score"),
                          ({"body": "ok", "score": "four"}, "c-score"),
                          ({"body": "ok", "report": "1999-Q1"}, "c-report"),
                          ({"body": "ok", "report": "nonsense"}, "c-report")):
        check_refused(c.post("/en/groups/%s/comments" % GROUP, fields), field,
                      "comment %s" % shorten(fields, 80))
    # a report of another group is not this group's
    other = env.sql("SELECT period FROM group_reports r JOIN twinning_groups g ON g.id = r.group_id"
                    " WHERE g.slug = 'saida-nablus' ORDER BY period LIMIT 1")
    check_refused(c.post("/en/groups/%s/comments" % GROUP, {"body": "ok", "report": other}),
                  "c-report", "another group's report")
    check_eq(env.state(), before, "a refused comment was written")


# ---- the facilitators' group form ---------------------------------------------------


def group_fields(**changes):
    f = {"slug": "", "municipality_a": "karak", "municipality_b": "jericho", "status": "forming",
         "event": "led-strategic-planning-training-beirut-2018", "name_ar": "", "name_en": "",
         "name_fr": ""}
    f.update(changes)
    out = [(k, v) for k, v in f.items() if v is not None]
    return out + [("theme", "led"), ("theme", "water")]


def test_group_form_pairs_two_countries(ctx):
    env = _env(ctx)
    c = env.fac
    c.get("/en/manage/groups/new")
    before = env.state()
    cases = [
        (group_fields(municipality_b="zarqa"), "g-b"),          # both in Jordan
        (group_fields(municipality_b="karak"), "g-b"),          # the same one
        (group_fields(municipality_a="irbid", municipality_b="gaziantep"), "g-b"),  # a pair
        (group_fields(municipality_a="atlantis"), "g-a"),
        (group_fields(municipality_b=""), "g-b"),
        (group_fields(slug="Bad Slug"), "g-slug"),
        (group_fields(slug="a--b"), "g-slug"),
        (group_fields(slug=GROUP), "g-slug"),                   # taken
        (group_fields(event="no-such-event"), "g-event"),
        (group_fields(status="sleeping"), "g-status"),
        (group_fields(name_en="x" * 301), "g-name_en"),
        (group_fields(published="yes"), "g-published"),
        (group_fields() + [("theme", "nope")], "g-themes"),
    ]
    for fields, field in cases:
        check_refused(c.post("/en/manage/groups/new", fields), field,
                      "group %s" % shorten(dict(fields), 120))
    check_eq(env.state(), before, "a refused group was written")
    r = c.post("/en/manage/groups/new", group_fields(municipality_b="zarqa"))
    msg = re.search(r'id="g-b-err">([^<]*)', r.text()).group(1)
    check("Karak" in msg and "Zarqa" in msg and "Jordan" in msg, "the same-country message: %s" % msg)
    r = env.fac.get("/fr/manage/groups/new")
    r = c.post("/fr/manage/groups/new", group_fields(municipality_b="zarqa"))
    check("Jordanie" in r.text(), "the same-country message in French")
    # a good one: unpublished until ticked, names made from the two cities
    r = c.post("/en/manage/groups/new", group_fields())
    check_eq(r.status, 303, "a new group: %s" % shorten(main_text(r)))
    check_eq(r.header("location"), "/en/groups/karak-jericho?saved=group", "after it")
    check_eq(env.sql("SELECT name_ar || '|' || name_en || '|' || name_fr || '|' || published"
                     " || '|' || status FROM twinning_groups WHERE slug = 'karak-jericho'"),
             "الكرك \u2013 أريحا|Karak \u2013 Jericho|Kérak \u2013 Jéricho|0|forming", "stored")
    check_eq(env.activity("karak-jericho"), ["group.create"], "the timeline")
    check_eq(env.visitor().get("/en/groups/karak-jericho").status, 404, "unpublished")
    check_refused(c.post("/en/manage/groups/new", group_fields()), "g-b", "the same pair again")
    check_refused(c.post("/en/manage/groups/new", group_fields(municipality_b="tulkarm",
                                                               slug="karak-jericho")),
                  "g-slug", "the same address again")
    # published: the public sees it
    action = "/en/manage/groups/karak-jericho/edit"
    f = form_fields(c.get(action).text(), action)
    r = c.post(action, with_changes(f, {"published": "1", "status": "active"}))
    check_eq(r.status, 303, "publishing")
    check_eq(env.visitor().get("/en/groups/karak-jericho").status, 200, "published")
    row = c.get("/api/v1/groups/karak-jericho").json()["timeline"][0]
    check({"label": "Published", "from": "No", "to": "Yes"} in row["changes"] and
          {"label": "Status", "from": "Forming", "to": "Active"} in row["changes"],
          "timeline: %s" % row["changes"])
    # an unchanged form saves nothing and writes no timeline row
    f = form_fields(c.get(action).text(), action)
    version = env.sql("SELECT version FROM twinning_groups WHERE slug = 'karak-jericho'")
    check_eq(c.post(action, f).status, 303, "unchanged")
    check_eq(env.sql("SELECT version FROM twinning_groups WHERE slug = 'karak-jericho'"), version,
             "an unchanged form made a new version")
    check_eq(len(env.activity("karak-jericho")), 2, "an unchanged form wrote a timeline row")
    # editing a group into a same-country pair is refused as well
    check_refused(c.post(action, with_changes(f, {"municipality_b": "madaba"})), "g-b",
                  "an edit pairing two Jordanian cities")


# ---- the timeline and the languages ---------------------------------------------------


def test_timeline_records_each_change(ctx):
    env = _env(ctx)
    g = "tyre-mersin"
    base = "/en/groups/%s" % g
    before = env.activity(g)
    c = env.fac
    c.get(base + "/milestones/new")
    check_eq(c.post(base + "/milestones/new", milestone_fields("Timeline check")).status, 303, "add")
    mid = env.sql("SELECT max(id) FROM group_milestones")
    action = base + "/milestones/%s/edit" % mid
    f = form_fields(c.get(action).text(), action)
    check_eq(c.post(action, with_changes(f, {"progress": "40"})).status, 303, "edit")
    f = form_fields(c.get(action).text(), action)
    check_eq(c.post(action, f).status, 303, "an unchanged form")
    period = free_quarter(env, g)
    check_eq(c.post(base + "/reports/new", report_fields(period)).status, 303, "report")
    check_eq(c.post(base + "/comments", {"body": "Noted.", "report": period}).status, 303, "comment")
    check_eq(c.post(base + "/comments", {"body": "Well done.", "score": "5"}).status, 303, "evaluation")
    check_eq(env.activity(g), ["evaluation.create", "comment.create", "report.create",
                               "milestone.update", "milestone.create"] + before,
             "one row per change, none for the unchanged form")
    t = main_text(env.fac.get(base))
    for sentence in ("Farah Facilitator added the milestone &quot;Timeline check&quot;.",
                     "Farah Facilitator updated the milestone &quot;Timeline check&quot;.",
                     "Farah Facilitator evaluated the group&#39;s progress."):
        check(sentence in t, "the timeline lacks %r" % sentence)
    # in Arabic and French, with the reader's words
    for lang in ("ar", "fr"):
        r = env.fac.get("/%s/groups/%s" % (lang, g))
        check_eq(r.status, 200, "the workspace in %s" % lang)
        for msgid in ("Work plan", "Progress reports", "Timeline", "Self-assessment"):
            check(esc(tr(lang, msgid)) in r.text(), "%s lacks %r" % (lang, tr(lang, msgid)))
    r = env.fac.get("/ar/groups/%s" % g)
    check_eq(html_root(parse_html(r.text())).get("dir"), "rtl", "Arabic direction")
    check("الربع" in r.text(), "quarters are not named in Arabic")


def test_dashboard_figures_in_the_staff_list(ctx):
    env = _env(ctx)
    # jenin-sulaymaniyah is the demo's group that fell behind: a blocked milestone, and
    # no report or change since the spring of 2026
    t = main_text(env.fac.get("/en/groups"))
    # the row of the group list (the dashboard's attention list above also links it)
    t = t[t.find('<table class="list groups">'):]
    row = t[t.find("/en/groups/jenin-sulaymaniyah"):]
    row = row[:row.find("</tr>")]
    check(tr("en", "A milestone is blocked") in row, "not flagged as blocked: %s" % shorten(row))
    check(tr("en", "Quiet for a long time") in row, "not flagged as quiet")
    j = env.fac.get("/api/v1/groups/jenin-sulaymaniyah").json()["stats"]
    check_eq((j["milestones"], j["by_status"]["blocked"], j["reports"], j["last_period"]),
             (6, 1, 3, "2026-Q1"), "figures")
    check(abs(j["completion"] - 160 / 6) < 0.01, "completion %r" % j["completion"])
    check(0 < j["weighted_completion"] < 100, "weighted completion")


@last
def test_the_groups_server_stops_cleanly(ctx):
    env = getattr(ctx, "groups_env", None)
    if env is None:
        return
    check_eq(env.stop(), 0, "exit status of the groups server")
    rep = sanitizer_report(env.server.stderr())
    check(rep is None, "sanitizer report: %s" % rep)
    check(" error " not in env.server.stderr(), "errors logged: %s"
          % shorten(env.server.stderr(), 2000))
