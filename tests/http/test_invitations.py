"""test_invitations: a facilitator invites a twinning group to the invitation-only seed
meeting; each invitee's mail arrives (in their language, with RSVP links and a calendar
copy); a link opens a form and changes nothing by itself; answers, a reused or guessed
token, an outsider, reminders, delegates, attendance and the participant list — on a
server of its own that sends mail to a real SMTP listener on loopback."""

import re
import subprocess
import urllib.parse

from client import Client, add_user
from harness import SEED_SLUG, Server, check, check_eq, run_cli, shorten
from smtp import SmtpListener

PW = "a long enough password"
LINK_RE = re.compile(r"(http://127\.0\.0\.1:\d+/(ar|en|fr)/rsvp\?token=([A-Za-z0-9_-]{43})&answer=(\w+))")


def _body(received):
    m = received.msg
    return m.get_body(("plain",)).get_content()


def _ics(received):
    for part in received.msg.iter_attachments():
        if part.get_content_type() == "text/calendar":
            c = part.get_content()
            return c if isinstance(c, str) else c.decode()
    raise AssertionError("no calendar attachment in %s" % received.msg["Subject"])


def _by_rcpt(mails):
    out = {}
    for r in mails:
        for to in r.rcpt_tos:
            out.setdefault(to, []).append(r)
    return out


def _sql(ctx, sql):
    p = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", ctx.db, sql], capture_output=True,
                       timeout=60)
    check(p.returncode == 0, "sqlite3 %s: %s" % (sql, p.stderr.decode()))
    return p.stdout.decode().strip()


# The demo's own representatives of the group's two municipalities (rep.irbid@...) sit
# this test out, so that it counts only the invitees it creates.
DEMO_REPS = ("SELECT id FROM users WHERE email LIKE '%@demo.tawama.org' AND municipality_id IN "
             "(SELECT id FROM municipalities WHERE slug IN ('irbid', 'gaziantep'))")


def _user_id(ctx, email):
    p = run_cli(ctx.binary, ["user", "list", "--db", ctx.db])
    for line in p.stdout.decode().splitlines():
        cols = line.split("\t")
        if cols[1] == email:
            return cols[0]
    raise AssertionError("no account %s" % email)


def _totals(c):
    t = c.get("/en/manage/events/%s/invitations" % SEED_SLUG).text()
    out = {}
    for k in ("invited", "accepted", "declined", "maybe", "none", "attended"):
        m = re.search(r'id="t-%s">(\d+)<' % k, t)
        out[k] = int(m.group(1)) if m else None
    return out


def _wait_quiet(smtp, n):
    got = smtp.wait_for(n)
    check_eq(len(got), n, "mails received")
    return got


def test_invite_a_twinning_group_answer_remind_delegate_attend(ctx):
    users = [("fac.inv@example.org", "facilitator", None, "en"),
             ("irbid.one@example.org", "member", "irbid", "ar"),
             ("irbid.two@example.org", "member", "irbid", "en"),
             ("gaziantep.one@example.org", "member", "gaziantep", "fr"),
             ("zarqa.one@example.org", "member", "zarqa", "en")]
    for email, role, muni, lang in users:
        add_user(ctx, email, role, PW, municipality=muni, lang=lang)
    _sql(ctx, "UPDATE users SET active = 0 WHERE id IN (%s)" % DEMO_REPS)
    smtp = SmtpListener().start()
    srv = Server(ctx.binary, ctx.db, ctx.tmp,
                 extra=["--smtp-url", smtp.url, "--mail-from", "HMLN <noreply@hmln.example>",
                        "--mail-retry-base-ms", "200"])
    srv.start()
    try:
        fac = Client(srv)
        fac.login("fac.inv@example.org", PW)
        r = fac.get("/en/manage/events/%s/invitations" % SEED_SLUG)
        check_eq(r.status, 200, "the invitations page")
        check('value="irbid-gaziantep"' in r.text(), "the groups are not offered")
        # without the CSRF token nothing happens
        r = fac.post("/en/manage/events/%s/invitations" % SEED_SLUG,
                     {"group": "irbid-gaziantep"}, csrf=False)
        check_eq(r.status, 403, "invite without CSRF token")
        check_eq(_totals(fac)["invited"], 0, "invited after a refused form")

        r = fac.post("/en/manage/events/%s/invitations" % SEED_SLUG, {"group": "irbid-gaziantep"})
        check_eq(r.status, 303, "invite the group: %s" % shorten(r.text()))
        mails = _by_rcpt(_wait_quiet(smtp, 3))
        check_eq(sorted(mails), ["gaziantep.one@example.org", "irbid.one@example.org",
                                 "irbid.two@example.org"], "invitees")
        check("zarqa.one@example.org" not in mails, "an outsider was invited")
        # each mail in the invitee's language, with links and a calendar copy
        ar_mail = mails["irbid.one@example.org"][0]
        check("دعوة" in ar_mail.msg["Subject"], "Arabic subject: %s" % ar_mail.msg["Subject"])
        check("Invitation" in mails["irbid.two@example.org"][0].msg["Subject"], "English subject")
        check("Invitation" in mails["gaziantep.one@example.org"][0].msg["Subject"] or
              "invitation" in mails["gaziantep.one@example.org"][0].msg["Subject"].lower(),
              "French subject")
        ics = _ics(ar_mail)
        check("METHOD:REQUEST" in ics, "calendar method: %s" % ics[:300])
        check("ORGANIZER" in ics and "mailto:noreply@hmln.example" in ics, "ORGANIZER")
        unfolded = ics.replace("\r\n ", "")
        check(re.search(r"ATTENDEE[^\r\n]*PARTSTAT=NEEDS-ACTION[^\r\n]*mailto:irbid\.one@example\.org",
                        unfolded), "ATTENDEE with NEEDS-ACTION: %s" % unfolded)
        links = {m.group(4): m for m in LINK_RE.finditer(_body(ar_mail))}
        check_eq(sorted(links), ["accepted", "declined", "maybe"], "RSVP links")
        token = links["accepted"].group(3)
        check_eq(len({m.group(3) for m in links.values()}), 1, "one token per invitation")

        # following the link shows a form, answers nothing
        visitor = Client(srv)
        path = links["accepted"].group(1).split("127.0.0.1:%d" % srv.port, 1)[1]
        r = visitor.get(path)
        check_eq(r.status, 200, "the RSVP page")
        check(re.search(r'value="accepted" required checked', r.text()), "answer not preselected")
        check_eq(_totals(fac)["none"], 3, "a followed link changed an answer")
        # answering
        r = visitor.post("/ar/rsvp", {"token": token, "answer": "accepted",
                                      "note": "سأحضر مع زميل"})
        check_eq(r.status, 303, "answer: %s" % shorten(r.text()))
        got = _wait_quiet(smtp, 4)
        confirm = got[-1]
        check_eq(confirm.rcpt_tos, ["irbid.one@example.org"], "confirmation recipient")
        unfolded = _ics(confirm).replace("\r\n ", "")
        check(re.search(r"ATTENDEE[^\r\n]*PARTSTAT=ACCEPTED", unfolded),
              "the confirmation's calendar copy: %s" % unfolded)
        check("SEQUENCE:1" in unfolded, "SEQUENCE of the new copy")
        # the used link is dead, and so is a guessed one
        for t in (token, "A" * 43, "x"):
            r = Client(srv).get("/ar/rsvp?token=%s&answer=declined" % t)
            check_eq(r.status, 404, "GET with token %s" % t[:6])
            c2 = Client(srv)
            c2.get("/ar/login")
            r = c2.post("/ar/rsvp", {"token": t, "answer": "declined"})
            check_eq(r.status, 404, "POST with token %s" % t[:6])
        t = _totals(fac)
        check_eq((t["accepted"], t["declined"], t["none"]), (1, 0, 2), "totals after one answer")

        # irbid.two declines by link while signed in as someone else: refused
        two = mails["irbid.two@example.org"][0]
        two_token = LINK_RE.search(_body(two)).group(3)
        other = Client(srv)
        other.login("zarqa.one@example.org", PW)
        r = other.get("/en/rsvp?token=%s&answer=declined" % two_token)
        check_eq(r.status, 403, "another person's invitation link")
        r = other.post("/en/rsvp", {"token": two_token, "answer": "declined"})
        check_eq(r.status, 403, "answering another person's invitation")
        # the outsider sees "by invitation only" and cannot answer
        page = other.get("/en/events/%s" % SEED_SLUG).text()
        check('id="not-invited"' in page, "the outsider is not told it is invitation only")
        check("meet.example.org" not in page, "an outsider sees the meeting link")
        check("meet.example.org" not in Client(srv).get("/en/events/%s" % SEED_SLUG).text(),
              "a visitor sees the meeting link")
        check('action="/en/events/%s/answer"' % SEED_SLUG not in page, "outsider gets a form")
        r = other.post("/en/events/%s/answer" % SEED_SLUG, {"answer": "accepted"})
        check_eq(r.status, 403, "an outsider answering")
        r = other.get("/en/events/%s/participants" % SEED_SLUG)
        check_eq(r.status, 403, "an outsider reading the participants")
        r = other.get("/en/manage/events/%s/invitations" % SEED_SLUG)
        check_eq(r.status, 403, "a member on the facilitators' page")
        r = Client(srv).get("/en/manage/events/%s/invitations" % SEED_SLUG)
        check_eq(r.status, 303, "a visitor on the facilitators' page")
        check_eq(_totals(fac)["declined"], 0, "refused answers changed something")

        # the invitee, signed in, sees the answer and may change it
        one = Client(srv)
        one.login("irbid.one@example.org", PW, lang="ar")
        page = one.get("/ar/events/%s" % SEED_SLUG).text()
        check('data-answer="accepted"' in page, "the invitee's page lacks the answer")
        check("سأحضر مع زميل" in page, "the invitee's page lacks the note")
        check('id="meeting-link" href="https://meet.example.org/' in page,
              "an accepted invitee does not see the meeting link")
        r = one.get("/ar/events/%s/participants" % SEED_SLUG)
        check_eq(r.status, 200, "a participant reads the participant list")
        check("@example.org" not in r.text(), "a participant sees e-mail addresses")
        check(users[1][0].split("@")[0].title() in r.text() or "Irbid.One" in r.text(),
              "participant list: %s" % shorten(r.text()))
        r = one.get("/ar/events/%s/invitation.ics" % SEED_SLUG)
        check_eq(r.status, 200, "the invitee's calendar copy")
        check("PARTSTAT=ACCEPTED" in r.text().replace("\r\n ", ""), "PARTSTAT of the copy")

        # a reminder goes to those without an answer, with a new link; the old one dies
        smtp.clear()
        r = fac.post("/en/manage/events/%s/remind" % SEED_SLUG, {})
        check_eq(r.status, 303, "remind")
        rem = _by_rcpt(_wait_quiet(smtp, 2))
        check_eq(sorted(rem), ["gaziantep.one@example.org", "irbid.two@example.org"],
                 "reminded")
        check_eq(Client(srv).get("/en/rsvp?token=%s" % two_token).status, 404,
                 "the link replaced by the reminder")
        gaz_token = LINK_RE.search(_body(rem["gaziantep.one@example.org"][0])).group(3)

        # a delegate: gaziantep.one names a colleague, the facilitator approves
        add_user(ctx, "gaziantep.two@example.org", "member", PW, municipality="gaziantep",
                 lang="fr")
        delegate_id = _user_id(ctx, "gaziantep.two@example.org")
        outsider_id = _user_id(ctx, "zarqa.one@example.org")
        g = Client(srv)
        r = g.get("/fr/rsvp?token=%s" % gaz_token)
        check('value="%s"' % delegate_id in r.text(), "the colleague is not offered")
        r = g.post("/fr/rsvp", {"token": gaz_token, "delegate": outsider_id})
        check_eq(r.status, 422, "naming someone of another municipality")
        r = g.post("/fr/rsvp", {"token": gaz_token, "delegate": delegate_id})
        check_eq(r.status, 303, "naming a colleague: %s" % shorten(r.text()))
        page = fac.get("/en/manage/events/%s/invitations" % SEED_SLUG).text()
        m = re.search(r'name="delegation" value="(\d+)"', page)
        check(m, "the pending delegate is not shown to the facilitator")
        smtp.clear()
        r = fac.post("/en/manage/events/%s/delegations" % SEED_SLUG,
                     {"delegation": m.group(1), "decision": "approve"})
        check_eq(r.status, 303, "approve the delegate")
        d = _wait_quiet(smtp, 1)[0]
        check_eq(d.rcpt_tos, ["gaziantep.two@example.org"], "the delegate's invitation")
        t = _totals(fac)
        check_eq(t["invited"], 4, "invited with the delegate")

        # attendance, after the event
        page = fac.get("/en/manage/events/%s/invitations" % SEED_SLUG).text()
        shown = re.findall(r'name="shown" value="(\d+)"', page)
        check_eq(len(shown), 4, "attendance rows")
        one_id = re.search(r'irbid\.one@example\.org.*?name="shown" value="(\d+)"', page, re.S)
        fields = [("shown", s) for s in shown] + [("attended", one_id.group(1))]
        r = fac.post("/en/manage/events/%s/attendance" % SEED_SLUG, fields)
        check_eq(r.status, 303, "save attendance")
        check_eq(_totals(fac)["attended"], 1, "attended")
    finally:
        srv.stop()
        smtp.stop()
        _sql(ctx, "UPDATE users SET active = 1 WHERE id IN (%s)" % DEMO_REPS)
    err = srv.stderr()
    check("runtime error" not in err and "AddressSanitizer" not in err, shorten(err))
