"""test_dashboard: the facilitators' dashboard on /{lang}/groups (server-drawn SVG charts,
the groups that need attention, the CSV export) and the progress snapshot of the groups
invited to a meeting — who sees them (visitor, member, participant, facilitator) and
bad input, on the demo network and its demo accounts."""

import csv
import io
import re

from client import Client
from harness import check, check_eq, shorten

DEMO_PW = "demo-password-2026"
STAFF = "facilitator1@demo.tawama.org"
PARTICIPANT = "rep.irbid@demo.tawama.org"      # accepted and attended the LED training
OUTSIDER = "rep.adana@demo.tawama.org"         # a municipality in no group
MEETING = "led-strategic-planning-training-beirut-2018"


def _client(ctx, email, lang="en"):
    c = Client(ctx.server)
    c.login(email, DEMO_PW, lang=lang)
    return c


def test_the_dashboard_is_for_facilitators(ctx):
    staff = _client(ctx, STAFF)
    for lang in ("ar", "en", "fr"):
        r = staff.get("/%s/groups" % lang)
        check_eq(r.status, 200, "the dashboard in %s" % lang)
        t = r.text()
        charts = re.findall(r'<svg class="chart"[^>]*role="img"', t)
        check_eq(len(charts), 3, "charts on the %s dashboard" % lang)
        check("style=" not in "".join(re.findall(r"<svg class=\"chart\".*?</svg>", t, re.S)),
              "a style attribute in a chart (refused by the CSP)")
        check('id="attention"' in t and 'id="csv"' in t, "attention list or CSV link missing")
        if lang == "ar":
            check('direction="rtl"' in t, "the Arabic charts are not right-to-left")
            check(re.search("[\u0660-\u0669]", t), "no Arabic digits on the Arabic dashboard")
    for who, c in (("visitor", Client(ctx.server)), ("member", _client(ctx, OUTSIDER))):
        t = c.get("/en/groups").text()
        check('<svg class="chart"' not in t and 'id="csv"' not in t,
              "a %s sees the dashboard" % who)


def test_attention_days_are_checked_and_change_the_list(ctx):
    staff = _client(ctx, STAFF)
    for bad in ("0", "6", "731", "x", "-5"):
        check_eq(staff.get("/en/groups?days=%s" % bad).status, 400, "days=%s" % bad)
    def flagged(days):
        t = staff.get("/en/groups?days=%d" % days).text()
        m = re.search(r'<ul id="attention">(.*?)</ul>', t, re.S)
        return len(re.findall(r"<li>", m.group(1))) if m else 0

    # the demo's last changes are weeks old: a week flags (nearly) every group, two
    # years only the ones without any report or with a blocked milestone
    week, years = flagged(7), flagged(730)
    check(week > years > 0, "groups flagged within 7 days: %d, within 730: %d" % (week, years))


def test_the_figures_as_csv(ctx):
    staff = _client(ctx, STAFF)
    r = staff.get("/en/groups.csv")
    check_eq(r.status, 200, "CSV")
    check((r.header("content-type") or "").startswith("text/csv"), "content type")
    check("attachment" in (r.header("content-disposition") or ""), "not a download")
    body = r.decoded()
    check(body.startswith(b"\xef\xbb\xbf"), "no BOM for spreadsheets")
    rows = list(csv.DictReader(io.StringIO(body[3:].decode("utf-8"))))
    check_eq(len(rows), 11, "groups in the CSV")
    irbid = [x for x in rows if x["slug"] == "irbid-gaziantep"]
    check(irbid and 0 <= float(irbid[0]["completion_percent"]) <= 100, "irbid row: %s" % irbid)
    check(all(x["status"] in ("forming", "active", "paused", "completed") for x in rows), "status")
    r = staff.get("/ar/groups.csv")
    check("إربد" in r.decoded().decode("utf-8"), "Arabic names in the Arabic CSV")
    check_eq(staff.get("/en/groups.csv?days=1").status, 400, "days=1")
    check_eq(_client(ctx, OUTSIDER).get("/en/groups.csv").status, 403, "a member")
    check_eq(Client(ctx.server).get("/en/groups.csv").status, 303, "a visitor")


def test_a_meeting_shows_the_progress_of_the_invited_groups(ctx):
    path = "/en/events/%s" % MEETING
    staff = _client(ctx, STAFF).get(path).text()
    check('id="snapshot-title"' in staff, "staff do not see the groups' progress")
    check_eq(len(re.findall(r'<tr><td><a href="/en/groups/', staff)), 11, "groups shown")
    part = _client(ctx, PARTICIPANT).get(path).text()
    check('id="snapshot-title"' in part, "a participant does not see the groups' progress")
    for who, c in (("visitor", Client(ctx.server)), ("outsider", _client(ctx, OUTSIDER))):
        t = c.get(path).text()
        check('id="snapshot-title"' not in t, "a %s sees the groups' progress: %s"
              % (who, shorten(t[:200])))
