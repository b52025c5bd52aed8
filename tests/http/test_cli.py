"""test_cli: `tawama init`, `import events`, `export events` (round trip, a bad line
names its line and writes nothing), and a second server stopping on SIGINT."""

import json
import os
import signal

from harness import Server, check, check_eq, request, run_cli, shorten


def _db(ctx, name):
    path = os.path.join(ctx.tmp, name)
    p = run_cli(ctx.binary, ["init", "--db", path])
    check(p.returncode == 0, "init %s: exit %d: %s" % (name, p.returncode, p.stderr.decode()[-500:]))
    return path


def _export(ctx, db):
    p = run_cli(ctx.binary, ["export", "events", "--db", db])
    check(p.returncode == 0, "export: exit %d: %s" % (p.returncode, p.stderr.decode()[-500:]))
    return p.stdout


def _import(ctx, db, path):
    return run_cli(ctx.binary, ["import", "events", "--db", db, path])


def test_init_is_idempotent(ctx):
    db = _db(ctx, "idem.db")
    p = run_cli(ctx.binary, ["init", "--db", db])
    check_eq(p.returncode, 0, "a second init on the same database")
    check_eq(_export(ctx, db), b"", "export of a new database")


def test_export_import_round_trip(ctx):
    first = ctx.export_bytes
    lines = first.decode("utf-8").splitlines()
    check_eq(len(lines), len(ctx.events), "export lines")
    check_eq([json.loads(l)["slug"] for l in lines], sorted(e["slug"] for e in ctx.events), "export order (by slug)")
    path = os.path.join(ctx.tmp, "demo.jsonl")
    with open(path, "wb") as f:
        f.write(first)
    db = _db(ctx, "roundtrip.db")
    p = _import(ctx, db, path)
    check(p.returncode == 0, "import of the export: exit %d: %s" % (p.returncode, p.stderr.decode()[-800:]))
    second = _export(ctx, db)
    if second != first:
        a, b = first.decode().splitlines(), second.decode().splitlines()
        diff = [(x, y) for x, y in zip(a, b) if x != y]
        raise AssertionError("export after import differs (%d vs %d lines); first difference:\n  %s\n  %s"
                             % (len(a), len(b), shorten(diff[0][0], 400) if diff else "",
                                shorten(diff[0][1], 400) if diff else ""))
    # Importing the same file again replaces by slug: nothing doubles.
    p = _import(ctx, db, path)
    check(p.returncode == 0, "a second import of the same file: exit %d" % p.returncode)
    check_eq(_export(ctx, db), first, "export after importing the same file twice")


def _bad_file(ctx, name, lines):
    path = os.path.join(ctx.tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def test_import_bad_line_writes_nothing(ctx):
    lines = ctx.export_bytes.decode("utf-8").splitlines()
    check(len(lines) >= 8, "the demo export has %d lines" % len(lines))
    db = _db(ctx, "badline.db")
    good = _bad_file(ctx, "good.jsonl", lines[:2])
    p = _import(ctx, db, good)
    check(p.returncode == 0, "import of two good lines: exit %d: %s" % (p.returncode, p.stderr.decode()[-500:]))
    before = _export(ctx, db)
    check_eq(len(before.splitlines()), 2, "events after importing two lines")

    def bad_type(l):
        d = json.loads(l)
        d["type"] = "party"
        return json.dumps(d, ensure_ascii=False)

    def bad_date(l):
        d = json.loads(l)
        d["starts"] = "2018-13-45T09:00:00Z"
        return json.dumps(d, ensure_ascii=False)

    def bad_tz(l):
        d = json.loads(l)
        d["timezone"] = "Mars/Olympus"
        return json.dumps(d, ensure_ascii=False)

    def ends_before(l):
        d = json.loads(l)
        d["starts"], d["ends"] = d["ends"], d["starts"]
        return json.dumps(d, ensure_ascii=False) if d["starts"] != d["ends"] else l[:-1]

    def bad_slug(l):
        d = json.loads(l)
        d["slug"] = "Not A Slug!"
        return json.dumps(d, ensure_ascii=False)

    for label, corrupt in (("not JSON", lambda l: l[: len(l) // 2]), ("unknown type", bad_type),
                           ("impossible date", bad_date), ("unknown time zone", bad_tz),
                           ("ends before it starts", ends_before), ("bad slug", bad_slug),
                           ("invalid UTF-8", None)):
        body = lines[2:4] + [None] + lines[5:8]
        path = os.path.join(ctx.tmp, "bad.jsonl")
        with open(path, "wb") as f:
            for i, l in enumerate(body):
                if l is None:
                    f.write(b'{"slug":"x\xff\xfe"}' if corrupt is None else corrupt(lines[4]).encode())
                else:
                    f.write(l.encode())
                f.write(b"\n")
        p = _import(ctx, db, path)
        err = p.stderr.decode("utf-8", "replace")
        check(p.returncode != 0, "import with %s on line 3: exit 0" % label)
        check(":3:" in err or "line 3" in err, "import with %s on line 3: stderr does not name line 3: %r"
              % (label, shorten(err, 300)))
        check_eq(_export(ctx, db), before, "database after the failed import (%s)" % label)
    p = _import(ctx, db, os.path.join(ctx.tmp, "does-not-exist.jsonl"))
    check(p.returncode != 0 and p.stderr, "import of a missing file: exit %d" % p.returncode)


def test_cli_usage_errors(ctx):
    for args in (["no-such-command"], ["serve"], ["import", "events"], ["demo", "--db"],
                 ["demo", "--db", os.path.join(ctx.tmp, "x.db"), "--scale", "abc"],
                 ["serve", "--db", os.path.join(ctx.tmp, "x.db"), "--search-cache", "-1"],
                 ["serve", "--db", os.path.join(ctx.tmp, "x.db"), "--search-cache", "many"]):
        p = run_cli(ctx.binary, args, timeout=60)
        check(p.returncode != 0, "tawama %s: exit 0" % " ".join(args))
        check(p.stderr.strip(), "tawama %s: no message on stderr" % " ".join(args))
    p = run_cli(ctx.binary, ["--help"], timeout=60)
    check_eq(p.returncode, 0, "tawama --help exit")
    out = p.stdout.decode()
    for cmd in ("init", "demo", "import", "export", "serve"):
        check(cmd in out, "tawama --help does not mention %s" % cmd)


def test_second_server_stops_on_sigint(ctx):
    s = Server(ctx.binary, ctx.db, ctx.tmp)
    s.start()
    try:
        r = request(s, "GET", "/fr/", record=False)
        check_eq(r.status, 200, "second server /fr/")
    finally:
        status = s.stop(signal.SIGINT)
    check_eq(status, 0, "exit status after SIGINT")
    from harness import sanitizer_report
    rep = sanitizer_report(s.stderr())
    check(rep is None, "second server: %s" % rep)


def test_serve_refuses_a_busy_port(ctx):
    db = ctx.db
    p = run_cli(ctx.binary, ["serve", "--db", db, "--listen", "127.0.0.1:%d" % ctx.server.port, "--quiet"],
                timeout=30)
    check(p.returncode != 0, "a second serve on a port in use exited 0")
    check(p.stderr.strip(), "a second serve on a port in use said nothing")
