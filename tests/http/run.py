#!/usr/bin/python3
"""run: the HTTP test suite. Starts a real `tawama serve` (the sanitized build) on a free
loopback port with a fresh demo database, runs every test_* function of the
tests/http/test_*.py modules against it, stops it with SIGTERM, checks it exited 0 with
no sanitizer report, and prints "N passed, N failed".

Usage: tests/http/run.py [--binary build/san/tawama] [-k SUBSTRING] [--keep] [-v]"""

import argparse
import importlib
import json
import os
import shutil
import signal
import sys
import time
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ROOT, Server, TestFailure, check, run_cli  # noqa: E402


class Context:
    """What every test gets: the running server, the binary, the demo data."""

    def __init__(self, binary, tmp):
        self.binary = binary
        self.tmp = tmp
        self.db = os.path.join(tmp, "demo.db")
        self.server = None
        self.events = []        # the demo, as `tawama export events` wrote it

    @property
    def base(self):
        return self.server.base

    def event(self, slug):
        for e in self.events:
            if e.get("slug") == slug:
                return e
        raise TestFailure("event %r is not in the export of the demo" % slug)


def setup(ctx):
    p = run_cli(ctx.binary, ["init", "--db", ctx.db])
    check(p.returncode == 0, "tawama init failed (%d): %s" % (p.returncode, p.stderr.decode()[-2000:]))
    p = run_cli(ctx.binary, ["demo", "--db", ctx.db])
    check(p.returncode == 0, "tawama demo failed (%d): %s" % (p.returncode, p.stderr.decode()[-2000:]))
    p = run_cli(ctx.binary, ["export", "events", "--db", ctx.db])
    check(p.returncode == 0, "tawama export failed (%d): %s" % (p.returncode, p.stderr.decode()[-2000:]))
    ctx.export_bytes = p.stdout
    for i, line in enumerate(p.stdout.decode("utf-8").splitlines(), 1):
        if line.strip():
            try:
                ctx.events.append(json.loads(line))
            except ValueError as e:
                raise TestFailure("export line %d is not JSON: %s" % (i, e))
    check(ctx.events, "the export of the demo is empty")
    ctx.server = Server(ctx.binary, ctx.db, ctx.tmp)
    ctx.server.start()


def collect(pattern):
    here = os.path.dirname(os.path.abspath(__file__))
    tests, last = [], []
    for fn in sorted(os.listdir(here)):
        if not (fn.startswith("test_") and fn.endswith(".py")):
            continue
        mod = importlib.import_module(fn[:-3])
        for name, f in vars(mod).items():
            if name.startswith("test_") and callable(f):
                full = "%s.%s" % (fn[5:-3], name[5:])
                if pattern and not any(p in full for p in pattern):
                    continue
                (last if getattr(f, "run_last", False) else tests).append((full, f))
    return tests + last


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "san", "tawama"))
    ap.add_argument("-k", action="append", default=[], help="run tests whose name has this")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("-v", action="store_true", help="print tracebacks")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)

    passed = failed = 0
    tmp = harness.tmpdir()
    ctx = Context(binary, tmp)

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, stop_on_signal)

    try:
        try:
            check(os.access(binary, os.X_OK), "%s is not built" % binary)
            setup(ctx)
        except Exception as e:
            print("FAIL setup: %s" % e, flush=True)
            print("0 passed, 1 failed")
            return 1
        print("http: tawama serve on %s (db %s)" % (ctx.base, ctx.db), flush=True)
        for name, f in collect(args.k):
            t0 = time.monotonic()
            try:
                f(ctx)
            except TestFailure as e:
                failed += 1
                print("FAIL %s: %s" % (name, e), flush=True)
                if args.v:
                    traceback.print_exc()
                continue
            except Exception as e:
                failed += 1
                tb = traceback.extract_tb(e.__traceback__)
                where = "%s:%d" % (os.path.basename(tb[-1].filename), tb[-1].lineno) if tb else "?"
                print("FAIL %s: %s: %s (at %s)" % (name, type(e).__name__, harness.shorten(str(e)), where),
                      flush=True)
                if args.v:
                    traceback.print_exc()
                continue
            passed += 1
            print("ok   %s (%.2fs)" % (name, time.monotonic() - t0), flush=True)

        # The server must stop cleanly on SIGTERM, and its stderr must be clean.
        was_alive = ctx.server.alive()
        status = ctx.server.stop(signal.SIGTERM)
        err = ctx.server.stderr()
        if was_alive and status == 0:
            passed += 1
            print("ok   server.sigterm_exit_status_0", flush=True)
        else:
            failed += 1
            print("FAIL server.sigterm_exit_status_0: %s" % (
                "it had died before (exit %s)" % status if not was_alive else
                "exit status %s (None: it had to be killed after 30 s)" % status), flush=True)
        rep = harness.sanitizer_report(err)
        if rep is None:
            passed += 1
            print("ok   server.no_sanitizer_report", flush=True)
        else:
            failed += 1
            print("FAIL server.no_sanitizer_report: %s" % rep, flush=True)
            i = err.find(rep)
            print(err[max(0, i - 200):i + 4000], flush=True)
    except KeyboardInterrupt:
        failed += 1
        print("FAIL interrupted", flush=True)
    finally:
        if ctx.server is not None and ctx.server.alive():
            ctx.server.stop(signal.SIGKILL)
        if args.keep:
            print("http: kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
