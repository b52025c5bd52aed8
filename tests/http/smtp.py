"""smtp: a real SMTP server on a loopback port for the tests (Debian's python3-aiosmtpd),
keeping every message it accepted. It can be stopped like a server going down (open
sessions are cut, nothing half-received is kept) and started again on the same port.

    with SmtpListener() as smtp:            # or smtp.start() ... smtp.stop()
        ... tawama serve --smtp-url smtp.url ...
        msgs = smtp.wait_for(3)             # the first 3 messages, parsed
        smtp.stop(); smtp.start()           # down and up again, same port

A message counts as received exactly when the listener answered 250 to its DATA:
the handler keeps it and returns without yielding to the event loop in between, so a
stop can never keep a message whose 250 was not written."""

import asyncio
import email
import os
import email.policy
import logging
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from harness import TestFailure, free_port

# AUTH without TLS is what the tests want on loopback: aiosmtpd's warnings about it
# (and its own deprecations) are noise in the test output.
logging.getLogger("mail.log").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", module="aiosmtpd")
warnings.filterwarnings("ignore", message=".*AUTH while not requiring TLS.*")
warnings.filterwarnings("ignore", message=".*login_data is deprecated.*")


class Received:
    """One accepted message: greeting, envelope and raw bytes; .msg parses it
    (email.policy.default)."""

    def __init__(self, ehlo, mail_from, rcpt_tos, data):
        self.ehlo = ehlo                # the name the client greeted with
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.data = data

    @property
    def msg(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)

    @property
    def message_id(self):
        return self.msg["Message-ID"]


class _Handler:
    def __init__(self, listener):
        self.listener = listener

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reject = self.listener.reject
        if reject is not None and reject(address):
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.listener.data_started.set()
        if self.listener.delay > 0:
            await asyncio.sleep(self.listener.delay)
        # From here to the 250 nothing yields: a stop cannot come between them.
        self.listener._keep(Received(session.host_name, envelope.mail_from, envelope.rcpt_tos,
                                     envelope.original_content))
        return "250 2.0.0 Message accepted"


class _Controller(Controller):
    """aiosmtpd's threaded controller, remembering its sessions so a stop can cut them."""

    def __init__(self, sessions, *args, **kw):
        super().__init__(*args, **kw)
        self._sessions = sessions

    def factory(self):
        s = super().factory()
        self._sessions.append(s)
        return s


class SmtpListener:
    """A real SMTP server on 127.0.0.1:port (a free port unless given).

    delay: seconds each DATA takes before its 250 (to have mails in flight);
    reject: None or f(address) -> True to answer RCPT with 550;
    auth: None or (user, password) required through AUTH PLAIN/LOGIN (without TLS,
    loopback only)."""

    def __init__(self, port=None, delay=0.0, reject=None, auth=None, maildir=None):
        self.port = port or free_port()
        self.maildir = maildir          # when set, each message is also written there
        self.delay = delay
        self.reject = reject
        self.auth = auth
        self.auth_failures = 0
        self.data_started = threading.Event()
        self._lock = threading.Lock()
        self._received = []
        self._controller = None
        self._sessions = []

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def _keep(self, r):
        with self._lock:
            self._received.append(r)
            n = len(self._received)
        if self.maildir:
            # one file a message, renamed into place whole (for the browser tests)
            tmp = os.path.join(self.maildir, ".%06d.tmp" % n)
            with open(tmp, "wb") as f:
                f.write(r.data)
            os.rename(tmp, os.path.join(self.maildir, "%06d.eml" % n))

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        user, password = self.auth
        ok = (getattr(auth_data, "login", None) == user.encode()
              and getattr(auth_data, "password", None) == password.encode())
        if not ok:
            with self._lock:
                self.auth_failures += 1
        return AuthResult(success=ok, handled=False)

    def start(self, timeout=10):
        """Listens (again) on the same port; retries while the port is still held."""
        kw = {"decode_data": False, "ready_timeout": 5}
        if self.auth is not None:
            kw.update(authenticator=self._authenticate, auth_required=True,
                      auth_require_tls=False)
        deadline = time.monotonic() + timeout
        while True:
            self._sessions = []
            c = _Controller(self._sessions, _Handler(self), hostname="127.0.0.1",
                            port=self.port, **kw)
            try:
                c.start()
                self._controller = c
                return self
            except Exception as e:
                if time.monotonic() > deadline:
                    raise TestFailure("the SMTP listener cannot listen on port %d: %s"
                                      % (self.port, e))
                time.sleep(0.1)

    def stop(self):
        """Goes down: stops listening and cuts every open session (a message in the
        middle of its DATA is not kept and gets no answer)."""
        c = self._controller
        if c is None:
            return
        self._controller = None

        def cut():
            for s in self._sessions:
                t = getattr(s, "transport", None)
                if t is not None:
                    t.abort()
        c.loop.call_soon_threadsafe(cut)
        c.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def received(self):
        """Every message accepted so far, in order (a copy)."""
        with self._lock:
            return list(self._received)

    def clear(self):
        with self._lock:
            self._received = []

    def wait_for(self, n, timeout=60):
        """Waits until at least n messages arrived; returns them all."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.received()
            if len(got) >= n:
                return got
            if time.monotonic() > deadline:
                raise TestFailure("the SMTP listener received %d messages in %ds, want %d"
                                  % (len(got), timeout, n))
            time.sleep(0.05)


if __name__ == "__main__":
    # `smtp.py PORT [MAILDIR]`: a listener for shell scripts (tests/valgrind.sh) and the
    # browser tests, until SIGTERM; writes each message to MAILDIR/NNNNNN.eml when
    # given; prints how many messages it accepted.
    import signal
    import sys
    stop = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)     # the listener's thread inherits it
    listener = SmtpListener(port=int(sys.argv[1]),
                            maildir=sys.argv[2] if len(sys.argv) > 2 else None).start()
    signal.sigwait(stop)
    listener.stop()
    print("smtp: %d messages" % len(listener.received()), flush=True)
