"""test_account_mail: password reset and account invitations by mailed single-use links,
and the accounts page (who may create accounts and give roles) — on a server of its own
sending to a real SMTP listener on loopback."""

import re
import time

from client import Client, add_user
from harness import Server, check, check_eq, run_cli, shorten
from smtp import SmtpListener

PW = "a long enough password"
RESET_RE = re.compile(r"http://127\.0\.0\.1:\d+(/(ar|en|fr)/password/reset\?token=[A-Za-z0-9_-]{43})")
WELCOME_RE = re.compile(r"http://127\.0\.0\.1:\d+(/(ar|en|fr)/account/welcome\?token=[A-Za-z0-9_-]{43})")


def _text(r):
    return r.msg.get_body(("plain",)).get_content()


def _server(ctx, smtp):
    srv = Server(ctx.binary, ctx.db, ctx.tmp,
                 extra=["--smtp-url", smtp.url, "--mail-from", "HMLN <noreply@hmln.example>"])
    srv.start()
    return srv


def test_password_reset_by_mailed_link(ctx):
    add_user(ctx, "reset.me@example.org", "member", PW, lang="fr", name="Nour")
    smtp = SmtpListener().start()
    srv = _server(ctx, smtp)
    try:
        answers = []
        for email in ("reset.me@example.org", "nobody.at.all@example.org"):
            c = Client(srv)
            c.get("/fr/password/forgot")
            r = c.post("/fr/password/forgot", {"email": email})
            check_eq(r.status, 200, "forgot")
            answers.append(re.sub(r'value="[^"]+"', "", r.text()))
        check_eq(answers[0], answers[1], "the answer tells whether an account exists")
        mail = smtp.wait_for(1)[0]
        time.sleep(0.5)
        check_eq(len(smtp.received()), 1, "mails (none for an unknown address)")
        check_eq(mail.rcpt_tos, ["reset.me@example.org"], "recipient")
        check("mot de passe" in mail.msg["Subject"].lower(), "French subject: %s" % mail.msg["Subject"])
        path = RESET_RE.search(_text(mail)).group(1)
        # a second request within minutes sends nothing more
        c = Client(srv)
        c.get("/fr/password/forgot")
        c.post("/fr/password/forgot", {"email": "reset.me@example.org"})
        time.sleep(0.5)
        check_eq(len(smtp.received()), 1, "a second reset mail within 5 minutes")

        c = Client(srv)
        r = c.get(path)
        check_eq(r.status, 200, "the reset page")
        token = path.split("token=")[1]
        r = c.post("/fr/password/reset", {"token": token, "password": "new password 123",
                                          "again": "new password 124"})
        check_eq(r.status, 422, "two different passwords")
        r = c.post("/fr/password/reset", {"token": token, "password": "short", "again": "short"})
        check_eq(r.status, 422, "a short password")
        r = c.post("/fr/password/reset", {"token": token, "password": "new password 123",
                                          "again": "new password 123"})
        check_eq(r.status, 303, "reset: %s" % shorten(r.text()))
        check(c.get("/fr/profile").status == 200, "not signed in after the reset")
        # the link is used up; the old password is gone, the new one works
        check_eq(Client(srv).get(path).status, 404, "a used reset link")
        c2 = Client(srv)
        c2.get("/fr/login")
        r = c2.post("/fr/login", {"email": "reset.me@example.org", "password": PW})
        check_eq(r.status, 422, "the old password")
        Client(srv).login("reset.me@example.org", "new password 123", lang="fr")
    finally:
        srv.stop()
        smtp.stop()


def test_accounts_page_creates_accounts_with_an_invitation(ctx):
    add_user(ctx, "boss@example.org", "admin", PW, name="Boss")
    add_user(ctx, "staff.acc@example.org", "facilitator", PW, name="Staff")
    add_user(ctx, "member.acc@example.org", "member", PW, name="Member")
    smtp = SmtpListener().start()
    srv = _server(ctx, smtp)
    try:
        check_eq(Client(srv).get("/en/admin/users").status, 303, "a visitor")
        m = Client(srv)
        m.login("member.acc@example.org", PW)
        check_eq(m.get("/en/admin/users").status, 403, "a member")
        r = m.post("/en/admin/users", {"name": "X", "email": "x1@example.org", "role": "member",
                                       "lang": "en"})
        check_eq(r.status, 403, "a member creating an account")

        fac = Client(srv)
        fac.login("staff.acc@example.org", PW)
        r = fac.get("/en/admin/users")
        check_eq(r.status, 200, "a facilitator")
        check('value="admin"' not in r.text(), "a facilitator is offered the admin role")
        r = fac.post("/en/admin/users", {"name": "Y", "email": "y1@example.org",
                                         "role": "admin", "lang": "en"})
        check_eq(r.status, 422, "a facilitator creating an administrator")
        r = fac.post("/en/admin/users", {"name": "", "email": "bad", "role": "member",
                                         "lang": "xx"})
        check_eq(r.status, 422, "an invalid account")
        for f in ("name", "email"):
            check('id="%s-err"' % f in r.text(), "no message beside %s" % f)
        out = run_cli(ctx.binary, ["user", "list", "--db", ctx.db]).stdout.decode()
        check("y1@example.org" not in out and "\tbad\t" not in out, "a refused account exists")

        r = fac.post("/en/admin/users", {"name": "سلمى", "email": "Salma@Example.org",
                                         "role": "member", "lang": "ar"})
        check_eq(r.status, 303, "create: %s" % shorten(r.text()))
        mail = smtp.wait_for(1)[0]
        check_eq(mail.rcpt_tos, ["salma@example.org"], "invitation recipient")
        check("Staff" in _text(mail), "the mail does not say who invites")
        path = WELCOME_RE.search(_text(mail)).group(1)
        check(path.startswith("/ar/"), "the link is not in the invitee's language")
        r = fac.post("/en/admin/users", {"name": "Again", "email": "salma@example.org",
                                         "role": "member", "lang": "ar"})
        check_eq(r.status, 422, "the same address twice")

        s = Client(srv)
        r = s.get(path)
        check_eq(r.status, 200, "the welcome page")
        check('dir="rtl"' in r.text() and "salma@example.org" in r.text(), "welcome page")
        token = path.split("token=")[1]
        r = s.post("/ar/account/welcome", {"token": token, "password": "salma password 1",
                                           "again": "salma password 1"})
        check_eq(r.status, 303, "choose a password")
        check("سلمى" in s.get("/ar/").text(), "not signed in after choosing a password")
        check_eq(Client(srv).get(path).status, 404, "a used invitation link")
        # a reset token does not open the welcome page and the other way round
        check_eq(Client(srv).get("/ar/password/reset?token=%s" % token).status, 404,
                 "a welcome token on the reset page")

        # roles: administrators only, never their own
        boss = Client(srv)
        boss.login("boss@example.org", PW)
        page = boss.get("/en/admin/users").text()
        ids = re.findall(r'action="/en/admin/users/(\d+)/role"', page)
        check(ids, "the administrator cannot change roles")
        salma = [l for l in run_cli(ctx.binary, ["user", "list", "--db", ctx.db]).stdout.decode().splitlines()
                 if "salma@example.org" in l][0].split("\t")[0]
        r = fac.post("/en/admin/users/%s/role" % salma, {"role": "facilitator"})
        check_eq(r.status, 403, "a facilitator changing a role")
        r = boss.post("/en/admin/users/%s/role" % salma, {"role": "facilitator"})
        check_eq(r.status, 303, "an administrator changing a role")
        r = boss.post("/en/admin/users/999999/role", {"role": "facilitator"})
        check_eq(r.status, 404, "the role of an account that does not exist")
        out = run_cli(ctx.binary, ["user", "list", "--db", ctx.db]).stdout.decode()
        check("salma@example.org\tfacilitator" in out, "role not changed: %s" % out)
    finally:
        srv.stop()
        smtp.stop()
