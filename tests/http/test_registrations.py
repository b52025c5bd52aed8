"""test_registrations: registration events — sign-up up to the capacity, the waiting
list and the place offered to the next person (who confirms, or loses the offer when
its time is up), facilitator approval, refusals, and the meeting link shown only to
confirmed participants — on a server of its own with a real SMTP listener."""

import re
import subprocess

from client import Client, add_user
from harness import Server, check, check_eq, shorten
from smtp import SmtpListener

PW = "a long enough password"
EVENT = "water-losses-webinar-online-2026"          # a virtual registration event
APPROVAL = "own-revenue-training-sahab-2027"        # made to need approval below
LINK = "https://meet.example.org/water-losses"


def _sql(ctx, sql):
    # the server's mail sender may hold the write lock a moment: wait for it
    p = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", ctx.db, sql], capture_output=True,
                       timeout=60)
    check(p.returncode == 0, "sqlite3: %s" % p.stderr.decode())
    return p.stdout.decode().strip()


def _state(c, slug):
    t = c.get("/en/events/%s" % slug).text()
    m = re.search(r'id="my-registration" data-state="(\w+)"', t)
    return m.group(1) if m else None, t


def test_capacity_waiting_list_offers_and_approval(ctx):
    _sql(ctx, "UPDATE events SET capacity = 2, meeting_link = '%s' WHERE slug = '%s'" % (LINK, EVENT))
    _sql(ctx, "UPDATE events SET needs_approval = 1 WHERE slug = '%s'" % APPROVAL)
    names = ["reg%d@example.org" % i for i in range(1, 6)]
    for n in names:
        add_user(ctx, n, "member", PW, municipality="irbid")
    add_user(ctx, "reg.staff@example.org", "facilitator", PW)
    smtp = SmtpListener().start()
    srv = Server(ctx.binary, ctx.db, ctx.tmp, extra=["--smtp-url", smtp.url])
    srv.start()
    try:
        # a visitor cannot sign up
        v = Client(srv)
        v.get("/en/login")
        check_eq(v.post("/en/events/%s/register" % EVENT, {}).status, 401, "a visitor")
        page = v.get("/en/events/%s" % EVENT).text()
        check(LINK not in page, "the meeting link is public")

        c = [Client(srv) for _ in names]
        for i, n in enumerate(names):
            c[i].login(n, PW)
        # not a registration event
        r = c[0].post("/en/events/hmln-webinar-twinning-arrangements/register", {})
        check_eq(r.status, 403, "signing up for an invitation-only event")

        for i, want in ((0, "confirmed"), (1, "confirmed"), (2, "waiting")):
            r = c[i].post("/en/events/%s/register" % EVENT, {})
            check_eq(r.status, 303, "sign up %d: %s" % (i, shorten(r.text())))
            state, page = _state(c[i], EVENT)
            check_eq(state, want, "state of member %d" % i)
        check(LINK in _state(c[0], EVENT)[1], "a confirmed participant does not see the link")
        check(LINK not in _state(c[2], EVENT)[1], "someone on the waiting list sees the link")
        check('id="full"' in _state(c[3], EVENT)[1], "the page does not say it is full")
        # signing up twice changes nothing
        c[0].post("/en/events/%s/register" % EVENT, {})
        check_eq(_state(c[0], EVENT)[0], "confirmed", "signed up twice")

        # a freed place is offered to the first on the waiting list, with a mail
        smtp.clear()
        check_eq(c[0].post("/en/events/%s/unregister" % EVENT, {}).status, 303, "cancel")
        check_eq(_state(c[0], EVENT)[0], "cancelled", "after cancelling")
        state, page = _state(c[2], EVENT)
        check_eq(state, "offered", "the next on the waiting list")
        offer = [m for m in smtp.wait_for(1) if m.rcpt_tos == ["reg3@example.org"]]
        check(offer, "no offer mail: %s" % [m.rcpt_tos for m in smtp.received()])
        check_eq(c[3].post("/en/events/%s/confirm" % EVENT, {}).status, 409,
                 "confirming a place that was not offered")
        check_eq(c[2].post("/en/events/%s/confirm" % EVENT, {}).status, 303, "confirm")
        check_eq(_state(c[2], EVENT)[0], "confirmed", "after confirming")

        # an offer whose time is up goes to the next person
        c[3].post("/en/events/%s/register" % EVENT, {})
        c[4].post("/en/events/%s/register" % EVENT, {})
        check_eq((_state(c[3], EVENT)[0], _state(c[4], EVENT)[0]), ("waiting", "waiting"),
                 "two on the waiting list")
        c[1].post("/en/events/%s/unregister" % EVENT, {})
        check_eq(_state(c[3], EVENT)[0], "offered", "offered to the first waiting")
        _sql(ctx, "UPDATE registrations SET offered_until = 1 WHERE state = 'offered'")
        check_eq(_state(c[4], EVENT)[0], "offered", "the offer moves on when its time is up")
        check_eq(_state(c[3], EVENT)[0], "cancelled", "the expired offer")
        check_eq(c[3].post("/en/events/%s/confirm" % EVENT, {}).status, 409,
                 "confirming an expired offer")

        staff = Client(srv)
        staff.login("reg.staff@example.org", PW)
        t = staff.get("/en/manage/events/%s/registrations" % EVENT).text()
        check(re.search(r'id="r-confirmed">1<', t) and re.search(r'id="r-offered">1<', t),
              "staff counts: %s" % shorten(t, 2000))
        check_eq(c[0].get("/en/manage/events/%s/registrations" % EVENT).status, 403,
                 "a member on the registrations list")

        # approval: pending until a facilitator decides
        c[0].post("/en/events/%s/register" % APPROVAL, {})
        c[1].post("/en/events/%s/register" % APPROVAL, {})
        check_eq(_state(c[0], APPROVAL)[0], "pending", "awaiting approval")
        t = staff.get("/en/manage/events/%s/registrations" % APPROVAL).text()
        ids = re.findall(r'name="registration" value="(\d+)"', t)
        check_eq(len(ids), 2, "pending registrations shown")
        r = c[0].post("/en/manage/events/%s/registrations" % APPROVAL,
                      {"registration": ids[0], "decision": "approve"})
        check_eq(r.status, 403, "a member approving")
        staff.post("/en/manage/events/%s/registrations" % APPROVAL,
                   {"registration": ids[0], "decision": "approve"})
        staff.post("/en/manage/events/%s/registrations" % APPROVAL,
                   {"registration": ids[1], "decision": "refuse"})
        check_eq(_state(c[0], APPROVAL)[0], "confirmed", "approved")
        check_eq(_state(c[1], APPROVAL)[0], "refused", "refused")
        check_eq(c[1].post("/en/events/%s/register" % APPROVAL, {}).status, 409,
                 "signing up again after a refusal")
        r = staff.post("/en/manage/events/%s/registrations" % APPROVAL,
                       {"registration": ids[1], "decision": "approve"})
        check_eq(r.status, 404, "deciding twice")
    finally:
        srv.stop()
        smtp.stop()
        _sql(ctx, "UPDATE events SET capacity = NULL, meeting_link = NULL WHERE slug = '%s'" % EVENT)
        _sql(ctx, "UPDATE events SET needs_approval = 0 WHERE slug = '%s'" % APPROVAL)
    err = srv.stderr()
    check("runtime error" not in err and "AddressSanitizer" not in err, shorten(err))
