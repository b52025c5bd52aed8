"""test_mail: the outbox and the sender thread against a real SMTP listener on loopback
(tests/http/smtp.py): every mail delivered exactly once across a listener stopped and
restarted mid-run, Arabic arriving intact, rejections, SMTP AUTH from a password file,
a stop with a mail in flight, and the command line's refusals. Each test runs its own
`tawama serve` on its own database (the suite's shared server has no --smtp-url)."""

import collections
import os
import re
import signal
import time

from harness import Server, check, check_eq, run_cli, sanitizer_report, shorten
from smtp import SmtpListener

RETRY_BASE_MS = "200"
FROM = "HMLN Network <noreply@hmln.example>"


def _db(ctx, name):
    path = os.path.join(ctx.tmp, name)
    p = run_cli(ctx.binary, ["init", "--db", path])
    check(p.returncode == 0, "init %s: %s" % (name, p.stderr.decode()[-500:]))
    return path


def _serve(ctx, db, listener, extra=()):
    args = ["--smtp-url", listener.url, "--mail-retry-base-ms", RETRY_BASE_MS,
            "--mail-from", FROM] + list(extra)
    s = Server(ctx.binary, db, ctx.tmp, extra=args)
    s.start()
    return s


def _stop(server):
    """Stops a test's server with SIGTERM: it must exit 0 without a sanitizer report."""
    status = server.stop(signal.SIGTERM)
    err = server.stderr()
    check(status == 0, "serve exited with %s on SIGTERM:\n%s" % (status, err[-2000:]))
    rep = sanitizer_report(err)
    check(rep is None, "sanitizer report from serve: %s" % rep)
    return err


def _send_test(ctx, db, to, *args):
    """Queues test mails; returns [(outbox id, Message-ID)]."""
    p = run_cli(ctx.binary, ["mail", "send-test", "--db", db, "--to", to] + list(args))
    check(p.returncode == 0, "mail send-test: exit %d: %s"
          % (p.returncode, p.stderr.decode()[-800:]))
    out = []
    for line in p.stdout.decode().splitlines():
        m = re.fullmatch(r"#(\d+) (<[0-9a-f]{32}@[a-z0-9.-]+>)", line)
        check(m is not None, "mail send-test printed %r" % line)
        out.append((int(m.group(1)), m.group(2)))
    return out


def _status(ctx, db, *args):
    """`tawama mail status`: (counts {queued, sent, failed}, whole output)."""
    p = run_cli(ctx.binary, ["mail", "status", "--db", db] + list(args))
    check(p.returncode == 0, "mail status: exit %d: %s" % (p.returncode, p.stderr.decode()[-800:]))
    text = p.stdout.decode()
    m = re.match(r"outbox: (\d+) queued, (\d+) sent, (\d+) failed\n", text)
    check(m is not None, "mail status first line: %r" % shorten(text))
    return {"queued": int(m.group(1)), "sent": int(m.group(2)), "failed": int(m.group(3))}, text


def _wait_status(ctx, db, want, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        counts, text = _status(ctx, db)
        if all(counts[k] == v for k, v in want.items()):
            return text
        if time.monotonic() > deadline:
            raise AssertionError("mail status after %ds: %s, want %s\n%s"
                                 % (timeout, counts, want, shorten(text, 1500)))
        time.sleep(0.25)


def test_listener_down_mid_run_every_mail_exactly_once(ctx):
    db = _db(ctx, "mail-once.db")
    smtp = SmtpListener(delay=0.05).start()
    server = None
    try:
        server = _serve(ctx, db, smtp)
        first = _send_test(ctx, db, "member@example.org", "--count", "12")
        smtp.wait_for(3, timeout=60)
        smtp.stop()                                     # the mail server goes down
        during = len(smtp.received())
        second = _send_test(ctx, db, "member@example.org", "--count", "12")
        check_eq(len(first) + len(second), 24, "mails queued")

        # While it is down: nothing lost, retries recorded with the reason.
        deadline = time.monotonic() + 30
        while True:
            counts, text = _status(ctx, db)
            if "last error:" in text and "connect" in text.lower():
                break
            check(time.monotonic() < deadline, "no failed attempt recorded while the "
                  "listener was down:\n%s" % shorten(text, 1500))
            time.sleep(0.2)
        check(counts["queued"] >= 12, "queued while down: %s" % counts)
        check_eq(counts["queued"] + counts["sent"], 24, "queued + sent while down")
        check_eq(counts["failed"], 0, "failed while down (a connection failure is not final)")
        check_eq(len(smtp.received()), during, "messages received while the listener was down")
        time.sleep(1.0)                                 # a few retries with back-off

        smtp.start()                                    # and up again, same port
        text = _wait_status(ctx, db, {"queued": 0, "sent": 24, "failed": 0})
        time.sleep(0.5)                                 # nothing more may arrive
        got = smtp.received()
        ids = collections.Counter(r.message_id for r in got)
        want = {mid for _, mid in first + second}
        dup = {k: v for k, v in ids.items() if v > 1}
        check(not dup, "delivered more than once: %s" % dup)
        check_eq(set(ids), want, "Message-IDs received")
        check_eq(len(got), 24, "messages received")
        for r in got:
            check_eq(r.mail_from, "noreply@hmln.example", "envelope sender")
            check_eq(r.rcpt_tos, ["member@example.org"], "envelope recipients")
            check_eq(r.ehlo, "hmln.example", "EHLO name (the From's domain)")
            check_eq(r.msg["From"], FROM, "From header")
            check(r.msg["Date"] is not None and r.msg["Auto-Submitted"] == "auto-generated",
                  "Date and Auto-Submitted headers")
        _stop(server)
        server = None
    finally:
        if server is not None:
            server.stop(signal.SIGKILL)
        smtp.stop()


def test_arabic_subject_body_and_name_arrive_intact(ctx):
    db = _db(ctx, "mail-arabic.db")
    subject = "دعوة: اجتماع مجموعة التوأمة بين بلديتي إربد وطرابلس حول التنمية الاقتصادية المحلية"
    text = "مرحباً،\nندعوكم إلى الاجتماع الافتراضي القادم.\nمع أطيب التحيات\n"
    name = "رئيس بلدية إربد"
    french = "Réunion du groupe de jumelage — ordre du jour : stratégie DEL, « suivi »"
    with SmtpListener() as smtp:
        server = _serve(ctx, db, smtp)
        try:
            _send_test(ctx, db, "mayor@irbid.example", "--to-name", name, "--subject", subject,
                       "--text", text)
            _send_test(ctx, db, "maire@tripoli.example", "--subject", french,
                       "--text", french + "\n=\n.\n")
            got = smtp.wait_for(2, timeout=60)
        finally:
            _stop(server)
    by_to = {r.rcpt_tos[0]: r for r in got}
    ar = by_to["mayor@irbid.example"]
    check(all(b < 0x80 for b in ar.data), "the message is not 7-bit ASCII on the wire")
    for line in ar.data.split(b"\r\n"):
        check(len(line) <= 998, "a line of %d bytes" % len(line))
    m = ar.msg
    check_eq(str(m["Subject"]), subject, "decoded Subject")
    check_eq(m["To"].addresses[0].display_name, name, "decoded To display name")
    check_eq(m["To"].addresses[0].addr_spec, "mayor@irbid.example", "To address")
    check_eq(m.get_content_type(), "text/plain", "content type")
    check_eq(m.get_content_charset(), "utf-8", "charset")
    check_eq(m.get_content().replace("\r\n", "\n"), text, "decoded body")
    fr = by_to["maire@tripoli.example"].msg
    check_eq(str(fr["Subject"]), french, "decoded French Subject")
    check_eq(fr["Content-Transfer-Encoding"], "quoted-printable", "French body encoding")
    check_eq(fr.get_content().replace("\r\n", "\n"), french + "\n=\n.\n", "decoded French body")


def test_rejected_mail_fails_after_three_answers_and_retry_queues_it(ctx):
    db = _db(ctx, "mail-reject.db")
    smtp = SmtpListener(reject=lambda a: a.startswith("nobody@"))
    with smtp:
        server = _serve(ctx, db, smtp)
        try:
            [(bad_id, bad_mid)] = _send_test(ctx, db, "nobody@example.org")
            _send_test(ctx, db, "somebody@example.org")
            text = _wait_status(ctx, db, {"queued": 0, "sent": 1, "failed": 1}, timeout=60)
            check("#%d test to nobody@example.org" % bad_id in text, "failed mail listed:\n" + text)
            check("550" in text and "no such user here" in text,
                  "the server's answer is shown:\n%s" % text)
            check(re.search(r"attempts 3\b", text), "three attempts before failing:\n" + text)
            check_eq([r.rcpt_tos for r in smtp.received()], [["somebody@example.org"]],
                     "delivered")

            # Fixed on the server's side: `mail retry` queues it again, it goes out.
            smtp.reject = None
            p = run_cli(ctx.binary, ["mail", "retry", "--db", db, str(bad_id)])
            check(p.returncode == 0, "mail retry: %s" % p.stderr.decode())
            check_eq(p.stdout.decode().strip(), "due now: 1", "mail retry output")
            _wait_status(ctx, db, {"queued": 0, "sent": 2, "failed": 0}, timeout=60)
            check_eq([r.message_id for r in smtp.received()][-1], bad_mid,
                     "the retried mail keeps its Message-ID")
            p = run_cli(ctx.binary, ["mail", "retry", "--db", db, str(bad_id)])
            check(p.returncode == 1, "retrying a sent mail: exit %d" % p.returncode)
        finally:
            err = _stop(server)
        # the log names mails by id and kind: not the recipient the server's answer quotes
        check("failed for good" in err and "#%d (test)" % bad_id in err,
              "the final failure is not logged:\n" + err[-1500:])
        check("nobody@" not in err, "a recipient address is in the log:\n" + err[-1500:])


def test_smtp_auth_with_password_file_and_no_secret_in_logs(ctx):
    db = _db(ctx, "mail-auth.db")
    secret = "pa55-W0rd-never-logged"
    pw = os.path.join(ctx.tmp, "smtp-password")
    with open(pw, "w") as f:
        f.write(secret + "\n")
    os.chmod(pw, 0o600)
    with SmtpListener(auth=("tawama", secret)) as smtp:
        server = _serve(ctx, db, smtp, ["--smtp-user", "tawama", "--smtp-password-file", pw])
        try:
            _send_test(ctx, db, "a@example.org")
            smtp.wait_for(1, timeout=60)
            _wait_status(ctx, db, {"queued": 0, "sent": 1})
        finally:
            err = _stop(server)
        check(secret not in err, "the password is in the server's log")
        check(smtp.auth_failures == 0, "authentication failed %d times" % smtp.auth_failures)

        # A wrong password: the mail waits (a configuration problem is not the mail's).
        with open(pw, "w") as f:
            f.write("wrong\n")
        server = _serve(ctx, db, smtp, ["--smtp-user", "tawama", "--smtp-password-file", pw])
        try:
            _send_test(ctx, db, "b@example.org")
            deadline = time.monotonic() + 30
            while smtp.auth_failures < 2:
                check(time.monotonic() < deadline, "no second login attempt")
                time.sleep(0.1)
            counts, text = _status(ctx, db)
            check_eq(counts, {"queued": 1, "sent": 1, "failed": 0}, "after failed logins")
            check("last error:" in text, "the login failure is shown:\n" + text)
        finally:
            err = _stop(server)
        check("wrong" not in err, "the password is in the server's log")
        check_eq(len(smtp.received()), 1, "messages received with a wrong password")


def test_sigterm_waits_for_the_mail_in_flight(ctx):
    db = _db(ctx, "mail-inflight.db")
    with SmtpListener(delay=2.0) as smtp:
        server = _serve(ctx, db, smtp)
        _send_test(ctx, db, "a@example.org")
        check(smtp.data_started.wait(60), "the mail never reached DATA")
        t0 = time.monotonic()
        _stop(server)
        check(time.monotonic() - t0 < 15, "the stop took %.1fs" % (time.monotonic() - t0))
        check_eq(len(smtp.received()), 1, "the mail in flight was delivered")
        counts, _ = _status(ctx, db)
        check_eq(counts, {"queued": 0, "sent": 1, "failed": 0},
                 "the mail in flight is recorded as sent")
        # A second start sends nothing again.
        server = _serve(ctx, db, smtp)
        time.sleep(1.5)
        _stop(server)
        check_eq(len(smtp.received()), 1, "messages after a restart of the server")


def test_queue_only_without_smtp_url(ctx):
    db = _db(ctx, "mail-queue-only.db")
    [(mid, _)] = _send_test(ctx, db, "a@example.org", "--subject", "kept")
    s = Server(ctx.binary, db, ctx.tmp)     # no --smtp-url
    s.start()
    time.sleep(1.5)
    _stop(s)
    counts, text = _status(ctx, db)
    check_eq(counts, {"queued": 1, "sent": 0, "failed": 0}, "status without a mail server")
    check("#%d test to a@example.org" % mid in text and "attempts 0" in text,
          "the queued mail is listed:\n" + text)


def test_cli_refusals_change_nothing(ctx):
    db = _db(ctx, "mail-refusals.db")
    bad = [
        (["mail", "send-test", "--db", db, "--to", "a@example.org\r\nBcc: x@example.org"], 2),
        (["mail", "send-test", "--db", db, "--to", "not-an-address"], 2),
        (["mail", "send-test", "--db", db], 2),
        (["mail", "send-test", "--db", db, "--to", "a@example.org", "--count", "0"], 2),
        (["mail", "send-test", "--db", db, "--to", "a@example.org", "--count", "1001"], 2),
        (["mail", "send-test", "--db", db, "--to", "a@example.org", "--subject", "\udcff"], 1),
        (["mail", "send-test", "--db", db, "--to", "a@example.org", "--from", "no address"], 1),
        (["mail", "retry", "--db", db, "x1"], 2),
        (["mail", "retry", "--db", db, "12345"], 1),
        (["mail", "status"], 1),
        (["mail", "frobnicate", "--db", db], 2),
        (["mail"], 2),
    ]
    for args, want in bad:
        p = run_cli(ctx.binary, args)   # "\udcff" goes as the byte 0xff
        check_eq(p.returncode, want, "exit status of tawama %s" % " ".join(args[:3]))
        check(p.stderr, "tawama %s said nothing on stderr" % " ".join(args[:3]))
    counts, _ = _status(ctx, db)
    check_eq(counts, {"queued": 0, "sent": 0, "failed": 0}, "outbox after refused commands")
    p = run_cli(ctx.binary, ["mail", "--help"])
    check(p.returncode == 0 and b"send-test" in p.stdout, "mail --help")


def test_serve_refuses_bad_mail_options(ctx):
    db = _db(ctx, "mail-options.db")
    pw = os.path.join(ctx.tmp, "empty-password")
    open(pw, "w").close()
    cases = [
        ["--smtp-url", "http://127.0.0.1:25"],
        ["--smtp-url", "smtp://user:secret@127.0.0.1:25"],
        ["--smtp-url", "smtp://127.0.0.1:25", "--smtp-user", "u"],
        ["--smtp-url", "smtp://127.0.0.1:25", "--smtp-user", "u", "--smtp-password-file",
         os.path.join(ctx.tmp, "missing")],
        ["--smtp-url", "smtp://127.0.0.1:25", "--smtp-user", "u", "--smtp-password-file", pw],
        ["--mail-from", "not an address"],
        ["--mail-retry-base-ms", "5"],
    ]
    for extra in cases:
        p = run_cli(ctx.binary, ["serve", "--db", db, "--listen", "127.0.0.1:1", "--quiet"] + extra,
                    timeout=60)
        check(p.returncode != 0, "serve %s started" % " ".join(extra))
        check(b"secret" not in p.stderr, "the URL's password was echoed")
