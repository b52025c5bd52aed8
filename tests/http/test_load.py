"""test_load: keep-alive works, and the server keeps serving a short burst of 200
concurrent connections (spread over four loopback source addresses so that the
per-address limit does not apply)."""

import http.client
import threading
import time

from harness import SEED_SLUG, assert_alive, check, check_eq

URLS = ("/en/events/%s" % SEED_SLUG, "/ar/events/%s" % SEED_SLUG, "/fr/", "/en/events",
        "/api/v1/events", "/en/feed.atom")


def test_keep_alive(ctx):
    c = http.client.HTTPConnection("127.0.0.1", ctx.server.port, timeout=20)
    try:
        socks = set()
        for i in range(5):
            c.request("GET", URLS[i % len(URLS)])
            r = c.getresponse()
            r.read()
            check_eq(r.status, 200, "keep-alive request %d" % i)
            check((r.getheader("connection") or "").lower() != "close",
                  "request %d: the server closed a keep-alive connection" % i)
            socks.add(id(c.sock))
        check_eq(len(socks), 1, "connections used for 5 keep-alive requests")
    finally:
        c.close()


def test_burst_of_200_connections(ctx):
    n_conn, per_conn = 200, 2
    sources = ["127.0.0.%d" % i for i in (2, 3, 4, 5)]
    barrier = threading.Barrier(n_conn, timeout=30)
    results = []
    lock = threading.Lock()

    def worker(i):
        got = []
        c = http.client.HTTPConnection("127.0.0.1", ctx.server.port, timeout=60,
                                       source_address=(sources[i % len(sources)], 0))
        try:
            c.connect()
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            for j in range(per_conn):
                c.request("GET", URLS[(i + j) % len(URLS)])
                r = c.getresponse()
                body = r.read()
                got.append((r.status, len(body)))
        except Exception as e:
            got.append(("error", repr(e)))
        finally:
            c.close()
        with lock:
            results.extend(got)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n_conn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    elapsed = time.monotonic() - t0
    bad = [r for r in results if r[0] != 200]
    check_eq(len(results), n_conn * per_conn, "responses to the burst")
    check(not bad, "%d of %d burst requests failed, e.g. %s" % (len(bad), len(results), bad[:3]))
    check(elapsed < 90, "the burst took %.1f s" % elapsed)
    assert_alive(ctx.server)
