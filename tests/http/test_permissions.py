"""test_permissions: every route that loads an object by its slug or id has a test where
someone without the right asks for it and is refused (a route added without one makes
this suite fail), and the refusals not covered by other modules' tests."""

import os
import subprocess

from client import Client, add_user
from harness import ROOT, SEED_SLUG, check, check_eq, run_cli, shorten

PW = "a long enough password"
DRAFT = "social-cohesion-webinar-online-2025"    # a demo event, made a draft for these tests

# (method, pattern) -> the tests that ask for someone else's object and are refused.
# "module.function" of tests/http; "PUBLIC: ..." says why a route has no owner.
REFUSALS = {
    ("GET", "/static/{file}"): "PUBLIC: the site's own fingerprinted files",
    ("GET", "/sitemaps/{slug}.xml"): "permissions.drafts_are_refused_to_the_public",
    ("GET", "/{lang}/events/{slug}"): "permissions.drafts_are_refused_to_the_public",
    ("GET", "/{lang}/events/{slug}.ics"): "permissions.drafts_are_refused_to_the_public",
    ("GET", "/api/v1/events/{slug}"): "permissions.drafts_are_refused_to_the_public",
    ("GET", "/{lang}/events/{slug}/participants"):
        "invitations.invite_a_twinning_group_answer_remind_delegate_attend",
    ("GET", "/{lang}/events/{slug}/invitation.ics"): "permissions.invitee_routes_refuse_others",
    ("POST", "/{lang}/events/{slug}/answer"):
        "invitations.invite_a_twinning_group_answer_remind_delegate_attend",
    ("POST", "/{lang}/events/{slug}/delegate"): "permissions.invitee_routes_refuse_others",
    ("GET", "/{lang}/manage/events/{slug}/invitations"):
        "invitations.invite_a_twinning_group_answer_remind_delegate_attend",
    ("POST", "/{lang}/manage/events/{slug}/invitations"): "permissions.staff_routes_refuse_members",
    ("POST", "/{lang}/manage/events/{slug}/remind"): "permissions.staff_routes_refuse_members",
    ("POST", "/{lang}/manage/events/{slug}/attendance"): "permissions.staff_routes_refuse_members",
    ("POST", "/{lang}/manage/events/{slug}/delegations"): "permissions.staff_routes_refuse_members",
    ("POST", "/{lang}/events/{slug}/register"):
        "registrations.capacity_waiting_list_offers_and_approval",
    ("POST", "/{lang}/events/{slug}/unregister"):
        "registrations.capacity_waiting_list_offers_and_approval",
    ("POST", "/{lang}/events/{slug}/confirm"):
        "registrations.capacity_waiting_list_offers_and_approval",
    ("GET", "/{lang}/manage/events/{slug}/registrations"):
        "registrations.capacity_waiting_list_offers_and_approval",
    ("POST", "/{lang}/manage/events/{slug}/registrations"):
        "registrations.capacity_waiting_list_offers_and_approval",
    ("GET", "/{lang}/manage/events/{slug}/edit"):
        "manage_events.members_get_403_and_visitors_the_login_page",
    ("POST", "/{lang}/manage/events/{slug}/edit"):
        "manage_events.members_get_403_and_visitors_the_login_page",
    ("POST", "/{lang}/manage/events/{slug}/publish"):
        "manage_events.members_get_403_and_visitors_the_login_page",
    ("POST", "/{lang}/manage/events/{slug}/unpublish"):
        "manage_events.members_get_403_and_visitors_the_login_page",
    ("POST", "/{lang}/manage/events/{slug}/highlight"):
        "manage_events.members_get_403_and_visitors_the_login_page",
    ("POST", "/{lang}/manage/events/{slug}/unhighlight"):
        "manage_events.members_get_403_and_visitors_the_login_page",
    ("POST", "/{lang}/admin/users/{slug}/role"):
        "account_mail.accounts_page_creates_accounts_with_an_invitation",
    ("GET", "/{lang}/members/{slug}"): "members.permissions_for_visitor_members_and_facilitator",
    ("GET", "/{lang}/members/{slug}/edit"):
        "members.permissions_for_visitor_members_and_facilitator",
    ("POST", "/{lang}/members/{slug}/edit"):
        "members.permissions_for_visitor_members_and_facilitator",
    ("GET", "/api/v1/municipalities/{slug}"):
        "members.permissions_for_visitor_members_and_facilitator",
    ("GET", "/{lang}/groups/{slug}"): "groups.the_unpublished_group_is_its_members_own",
    ("GET", "/api/v1/groups/{slug}"): "groups.the_unpublished_group_is_its_members_own",
    ("POST", "/{lang}/groups/{slug}/comments"): "groups.members_of_another_group_are_refused",
    ("GET", "/{lang}/groups/{slug}/milestones/new"): "groups.members_of_another_group_are_refused",
    ("POST", "/{lang}/groups/{slug}/milestones/new"): "groups.members_of_another_group_are_refused",
    ("GET", "/{lang}/groups/{slug}/milestones/{slug}/edit"):
        "groups.members_of_another_group_are_refused",
    ("POST", "/{lang}/groups/{slug}/milestones/{slug}/edit"):
        "groups.members_of_another_group_are_refused",
    ("GET", "/{lang}/groups/{slug}/reports/new"): "groups.members_of_another_group_are_refused",
    ("POST", "/{lang}/groups/{slug}/reports/new"): "groups.members_of_another_group_are_refused",
    ("GET", "/{lang}/groups/{slug}/reports/{slug}/edit"):
        "groups.members_of_another_group_are_refused",
    ("POST", "/{lang}/groups/{slug}/reports/{slug}/edit"):
        "groups.members_of_another_group_are_refused",
    ("GET", "/{lang}/manage/groups/{slug}/edit"): "groups.members_of_another_group_are_refused",
    ("POST", "/{lang}/manage/groups/{slug}/edit"): "groups.members_of_another_group_are_refused",
}


def _routes(ctx):
    p = run_cli(ctx.binary, ["routes"])
    check_eq(p.returncode, 0, "tawama routes")
    out = []
    for line in p.stdout.decode().splitlines():
        methods, pattern, _flags = line.split("\t")
        for m in methods.split(","):
            out.append((m, pattern))
    return out


def test_every_object_route_has_a_refusal_test(ctx):
    here = os.path.dirname(os.path.abspath(__file__))
    missing = []
    for method, pattern in _routes(ctx):
        if "{slug}" not in pattern and "{file}" not in pattern and "{id}" not in pattern:
            continue
        what = REFUSALS.get((method, pattern))
        if what is None:
            missing.append("%s %s" % (method, pattern))
            continue
        if what.startswith("PUBLIC: "):
            continue
        module, func = what.split(".", 1)
        src = open(os.path.join(here, "test_%s.py" % module), encoding="utf-8").read()
        check("def test_%s(" % func in src, "%s %s names a test that does not exist: %s"
              % (method, pattern, what))
    check(not missing, "routes that load an object without a test refusing someone else's "
          "(add one and list it in REFUSALS): %s" % ", ".join(missing))


def _accounts(ctx):
    if not getattr(ctx, "perm_accounts", False):
        add_user(ctx, "perm.member@example.org", "member", PW, municipality="irbid")
        add_user(ctx, "perm.staff@example.org", "facilitator", PW)
        ctx.perm_accounts = True


def _sql(ctx, sql):
    p = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", ctx.db, sql], capture_output=True, timeout=60)
    check(p.returncode == 0, "sqlite3 %s: %s" % (sql, p.stderr.decode()))
    return p.stdout.decode().strip()


def test_drafts_are_refused_to_the_public(ctx):
    _accounts(ctx)
    check_eq(_sql(ctx, "SELECT published FROM events WHERE slug = '%s'" % DRAFT), "1",
             "the event to make a draft")
    member = Client(ctx.server)
    member.login("perm.member@example.org", PW)
    for who in (Client(ctx.server), member):
        check_eq(who.get("/en/events/%s" % DRAFT).status, 200, "the event while published")
    _sql(ctx, "UPDATE events SET published = 0 WHERE slug = '%s'" % DRAFT)
    try:
        for who, name in ((Client(ctx.server), "visitor"), (member, "member")):
            for path in ("/en/events/%s" % DRAFT, "/ar/events/%s.ics" % DRAFT,
                         "/api/v1/events/%s" % DRAFT):
                r = who.get(path)
                check_eq(r.status, 404, "%s asking for a draft at %s" % (name, path))
        sitemap = Client(ctx.server).get("/sitemap.xml").text()
        shards = [s for s in __import__("re").findall(r"<loc>[^<]*(/sitemaps/[^<]+)</loc>", sitemap)]
        bodies = [sitemap] + [Client(ctx.server).get(s).text() for s in shards]
        check(not any(DRAFT in b for b in bodies), "a draft is in the sitemap")
    finally:
        _sql(ctx, "UPDATE events SET published = 1 WHERE slug = '%s'" % DRAFT)


def test_invitee_routes_refuse_others(ctx):
    _accounts(ctx)
    for who, name, want in ((Client(ctx.server), "visitor", 303), (None, "member", 403)):
        if who is None:
            who = Client(ctx.server)
            who.login("perm.member@example.org", PW)
        r = who.get("/en/events/%s/invitation.ics" % SEED_SLUG)
        check_eq(r.status, want, "%s asking for another's calendar copy" % name)
        if name == "member":
            r = who.post("/en/events/%s/delegate" % SEED_SLUG, {"delegate": "1"})
            check_eq(r.status, 403, "a member naming a delegate without an invitation")
            r = who.get("/en/events/no-such-event/invitation.ics")
            check_eq(r.status, 404, "an event that does not exist")


def test_staff_routes_refuse_members(ctx):
    _accounts(ctx)
    m = Client(ctx.server)
    m.login("perm.member@example.org", PW)
    before = _sql(ctx, "SELECT count(*) || '/' || coalesce(sum(attended), 0) FROM invitations")
    for path, fields in (("invitations", {"group": "irbid-gaziantep"}), ("remind", {}),
                         ("attendance", {"shown": "1", "attended": "1"}),
                         ("delegations", {"delegation": "1", "decision": "approve"})):
        for slug in (SEED_SLUG, "no-such-event"):
            r = m.post("/en/manage/events/%s/%s" % (slug, path), fields)
            check_eq(r.status, 403, "a member posting to %s of %s" % (path, slug))
        r = Client(ctx.server).post("/en/manage/events/%s/%s" % (SEED_SLUG, path), fields)
        check(r.status in (401, 403), "a visitor posting to %s: %d" % (path, r.status))
    check_eq(_sql(ctx, "SELECT count(*) || '/' || coalesce(sum(attended), 0) FROM invitations"),
             before, "refused requests changed invitations")


def test_every_form_route_checks_a_csrf_token(ctx):
    p = run_cli(ctx.binary, ["routes"])
    missing = []
    for line in p.stdout.decode().splitlines():
        methods, pattern, flags = line.split("\t")
        if "POST" in methods.split(",") and "csrf" not in flags.split():
            missing.append(pattern)
    check(not missing, "POST routes without the CSRF flag: %s" % ", ".join(missing))
