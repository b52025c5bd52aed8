#!/usr/bin/env bash
# search.sh: the search benchmark of `make bench` (issue 3, "Speed"). On a demo database
# of `tawama demo --scale 1600` (102,401 events in ar/en/fr), built once in a temporary
# folder: the index build rate of `tawama reindex` and the database size (the FTS tables
# apart); for the fixed mix of bench/search_queries.txt, the server time of each request
# (from the server's own log, logged passes after a warm-up; again with the cache of
# results off, --search-cache 0, so that every request is computed afresh) and p50/p99
# and requests per second with wrk; then bench/search_bench.c runs the text of the mix
# on our FTS5 tables and on plain unicode61 copies of them, and prints the ratio of
# query times and the events each finds. Prints a table; details go to build/bench/search-*.log.
# Environment: BENCH_SEARCH_SCALE (1600), BENCH_SEARCH_DURATION (15s),
# BENCH_SEARCH_CONNECTIONS (8), BENCH_SEARCH_PASSES (logged passes over the mix, 5),
# BENCH_SEARCH_MIN_MS (time spent on each query and side by search_bench, 50),
# BENCH_SEARCH_DB (an existing demo database to use instead of building one: it is
# reindexed in place), BENCH_PERF=1 (perf record on the server during the wrk run),
# BENCH_SEARCH_LOGDIR (build/bench), TAWAMA_BIN (build/tawama).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

BIN=${TAWAMA_BIN:-build/tawama}
SCALE=${BENCH_SEARCH_SCALE:-1600}
DURATION=${BENCH_SEARCH_DURATION:-15s}
CONNS=${BENCH_SEARCH_CONNECTIONS:-8}
PASSES=${BENCH_SEARCH_PASSES:-5}
MIN_MS=${BENCH_SEARCH_MIN_MS:-50}
LOGDIR=${BENCH_SEARCH_LOGDIR:-build/bench}
MIX=bench/search_queries.txt
PY=/usr/bin/python3
T_START=$(date +%s)

tmp=$(mktemp -d /tmp/tawama-search-bench.XXXXXX) || exit 1
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
	echo "bench: $*" >&2
	exit 1
}

say() {
	echo "bench: [$(($(date +%s) - T_START))s] $*" >&2
}

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() {
	local _
	for _ in $(seq 1 300); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# stop PID: ends one server this script started.
stop() {
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

for tool in curl wrk sqlite3 cc pkg-config; do
	command -v "$tool" >/dev/null || die "$tool is missing (scripts/deps.sh bench/test installs it)"
done
[ -x "$BIN" ] || die "$BIN is not built (make all)"
[ -f "$MIX" ] || die "$MIX is missing"
mkdir -p "$LOGDIR" || die "cannot create $LOGDIR"

# With two or more cores, the server gets CPU 1 and wrk CPU 0 (as bench/run.sh does).
SRV_PIN=()
LOAD_PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	SRV_PIN=(taskset -c 1)
	LOAD_PIN=(taskset -c 0)
	PIN_NOTE="server on CPU 1, wrk on CPU 0"
else
	PIN_NOTE="unpinned"
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# search_bench links the release objects of build/tawama (flags from the Makefile).
say "building build/search_bench"
PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)
XLIBS=$(sed -n 's/^PKG_LIBS *=.*) *//p' Makefile)
OBJS=()
for o in build/obj/src/*/*.o build/obj/build/gen/embedded.o; do
	[ -f "$o" ] && [ "$o" != build/obj/src/main.o ] && OBJS+=("$o")
done
[ ${#OBJS[@]} -gt 1 ] || die "no release objects under build/obj (make all)"
# shellcheck disable=SC2046,SC2086
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -O2 -g -Isrc -Ibuild/gen \
	$(pkg-config --cflags $PKGS) -o build/search_bench bench/search_bench.c "${OBJS[@]}" \
	$(pkg-config --libs $PKGS) $XLIBS >"$tmp/cc.log" 2>&1 ||
	{ cat "$tmp/cc.log" >&2; die "building build/search_bench failed"; }

# ---- 1. the database, the index build rate, the sizes ----
if [ -n "${BENCH_SEARCH_DB:-}" ]; then
	DB=$BENCH_SEARCH_DB
	[ -f "$DB" ] || die "BENCH_SEARCH_DB=$DB does not exist"
	DEMO_NOTE="given: $DB"
	say "using $DB"
else
	DB=$tmp/search.db
	say "tawama demo --scale $SCALE into $tmp (the longest step)"
	"$BIN" init --db "$DB" >/dev/null 2>"$tmp/init.err" || { cat "$tmp/init.err" >&2; die "tawama init failed"; }
	t0=$(date +%s.%N)
	"$BIN" demo --db "$DB" --scale "$SCALE" >/dev/null 2>"$tmp/demo.err" ||
		{ tail -c 400 "$tmp/demo.err" >&2; die "tawama demo failed"; }
	t1=$(date +%s.%N)
	DEMO_NOTE=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f s", b - a }')
fi
EVENTS=$("$BIN" count-events --db "$DB" 2>/dev/null)
say "$EVENTS events; tawama reindex"
"$BIN" reindex --db "$DB" >/dev/null 2>"$tmp/reindex.err" ||
	{ tail -c 400 "$tmp/reindex.err" >&2; die "tawama reindex failed"; }
REINDEX=$(tr '\r' '\n' <"$tmp/reindex.err" | sed -n 's/^tawama: reindexed \([0-9]*\) events in \([0-9.]*\) s (\([0-9]*\) events\/s).*/\1 \2 \3/p' | tail -n 1)
read -r RX_N RX_S RX_RATE <<<"$REINDEX"

# Sizes: the file after a checkpoint; the FTS tables' pages by dbstat (the sqlite3 CLI
# cannot use our tokenizer, but dbstat reads pages without it).
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1
DB_MB=$(awk -v b="$(stat -c %s "$DB")" 'BEGIN { printf "%.0f", b / 1048576 }')
FTS_SQL="SELECT printf('%.0f %.0f %.0f', total(pgsize) / 1048576.0,
	total(CASE WHEN name LIKE '%\_content' ESCAPE '\\' THEN pgsize END) / 1048576.0,
	total(CASE WHEN name NOT LIKE '%\_content' ESCAPE '\\' THEN pgsize END) / 1048576.0)
	FROM dbstat WHERE name LIKE"
read -r FTS_MB FTS_TEXT_MB FTS_INDEX_MB <<<"$(sqlite3 "$DB" "$FTS_SQL 'events\_fts\_%' ESCAPE '\\'" 2>/dev/null)"
if [ -z "${FTS_MB:-}" ]; then	# no dbstat: page counts are all there is
	FTS_MB="n/a (no dbstat)"
fi

# ---- 2. HTTP: server time from the log, then wrk ----
"$PY" - "$MIX" >"$tmp/targets.txt" <<'EOF' || die "reading $MIX failed"
import sys
ok = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/?=&%+*:,")
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\r\n")
    if line.startswith("/"):
        print("".join(chr(b) if b in ok else "%%%02X" % b for b in line.encode()))
EOF
NQ=$(wc -l <"$tmp/targets.txt")
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT

# curl_pass FILE: one request a target, in order, on one connection; status and time.
curl_pass() {
	local t
	while read -r t; do
		printf 'url = "%s%s"\noutput = "/dev/null"\n' "$BASE" "$t"
	done <"$tmp/targets.txt" >"$tmp/curl.cfg"
	curl -sS --config "$tmp/curl.cfg" -w '%{http_code} %{time_total}\n' >>"$1" 2>>"$tmp/curl.err"
}

# server_time LOG [SERVE ARGS...]: a server started with the arguments, a warm-up, then
# PASSES logged passes over the mix; sets SERVER to "p50 p99 max non-200 n|slowest" (ms)
# and writes the time of each request to LOG.
server_time() {
	local log=$1 spid mark
	shift
	PORT=$(free_port)
	BASE=http://127.0.0.1:$PORT
	"${SRV_PIN[@]}" "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" "$@" >"$tmp/serve.out" 2>"$tmp/serve.log" &
	spid=$!
	pids+=("$spid")
	wait_http "$BASE/en/" || { tail -c 400 "$tmp/serve.log" >&2; die "tawama serve did not answer"; }
	# every worker thread loads its facet table on its first search: warm them all
	"${LOAD_PIN[@]}" wrk -t1 -c"$CONNS" -d3s -s bench/search.lua "$BASE" -- "$MIX" >/dev/null 2>&1
	: >"$tmp/warm.txt"
	curl_pass "$tmp/warm.txt"
	mark=$(wc -l <"$tmp/serve.log")
	: >"$tmp/pass.txt"
	for _ in $(seq 1 "$PASSES"); do
		curl_pass "$tmp/pass.txt"
	done
	stop "$spid"
	SERVER=$("$PY" - "$tmp/serve.log" "$mark" "$tmp/targets.txt" "$PASSES" "$tmp/pass.txt" "$log" <<'EOF'
import re, sys, urllib.parse
log, mark, targets, passes, client, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
targets = [l.rstrip("\n") for l in open(targets)]
lines = open(log, encoding="utf-8", errors="replace").read().splitlines()[mark:]
rx = re.compile(r"req=\d+ GET (\S+) (\d+) (\d+) (\d+)us$")
reqs = [m.groups() for m in map(rx.search, lines) if m]
codes = [l.split()[0] for l in open(client)]
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))] if v else 0
if len(reqs) != len(targets) * passes:
    print("n/a (%d log lines for %d requests)" % (len(reqs), len(targets) * passes))
    sys.exit()
us = [int(r[3]) for r in reqs]
bad = sum(1 for r in reqs if r[1] != "200")
per = []
for i, t in enumerate(targets):
    v = sorted(int(reqs[i + k * len(targets)][3]) for k in range(passes))
    per.append((v[len(v) // 2], v[-1], reqs[i][1], int(reqs[i][2]), urllib.parse.unquote_plus(t)))
with open(out, "w", encoding="utf-8") as f:
    f.write("# server time of each request of the mix (log of `tawama serve`), %d passes\n" % passes)
    f.write("# median_us max_us status bytes target\n")
    for p in per:
        f.write("%9d %9d %3s %7d  %s\n" % p)
    f.write("# all %d requests: p50 %d us, p90 %d us, p99 %d us, max %d us, mean %.0f us; non-200: %d\n"
            % (len(us), pct(us, 50), pct(us, 90), pct(us, 99), max(us), sum(us) / len(us), bad))
slow = sorted(per, reverse=True)[:5]
print("%.1f %.1f %.1f %d %d|%s" % (pct(us, 50) / 1000.0, pct(us, 99) / 1000.0, max(us) / 1000.0, bad, len(us),
      "; ".join("%.0f ms %s" % (p[0] / 1000.0, p[4]) for p in slow)))
EOF
)
}

say "server time: a warm-up, then $PASSES logged passes over the $NQ requests of the mix"
server_time "$LOGDIR/search-server.log"
SRV_STATS=${SERVER%%|*}
SRV_SLOW=${SERVER#*|}
read -r SRV_P50 SRV_P99 SRV_MAX SRV_BAD SRV_N <<<"$SRV_STATS"
# the same without the cache of results: every request of the mix computed afresh
say "server time again with --search-cache 0"
server_time "$LOGDIR/search-server-nocache.log" --search-cache 0
COLD_STATS=${SERVER%%|*}
COLD_SLOW=${SERVER#*|}
read -r COLD_P50 COLD_P99 COLD_MAX COLD_BAD COLD_N <<<"$COLD_STATS"

say "wrk -t1 -c$CONNS -d$DURATION --latency over the mix ($PIN_NOTE)"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
"${SRV_PIN[@]}" "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --quiet >"$tmp/quiet.out" 2>"$tmp/quiet.err" &
QPID=$!
pids+=("$QPID")
wait_http "$BASE/en/" || { tail -c 400 "$tmp/quiet.err" >&2; die "tawama serve --quiet did not answer"; }
"${LOAD_PIN[@]}" wrk -t1 -c"$CONNS" -d3s -s bench/search.lua "$BASE" -- "$MIX" >/dev/null 2>&1	# warm up
PERF_NOTE=""
if [ "${BENCH_PERF:-0}" = 1 ] && command -v perf >/dev/null; then
	secs=$(awk -v d="$DURATION" 'BEGIN { v = d + 0; if (d ~ /m$/) v *= 60; print (v > 2 ? v - 1 : v) }')
	perf record -g -p "$QPID" -o "$tmp/perf.data" -- sleep "$secs" >/dev/null 2>"$tmp/perf.err" &
	PERF_PID=$!
fi
"${LOAD_PIN[@]}" wrk -t1 -c"$CONNS" -d"$DURATION" --latency -s bench/search.lua "$BASE" -- "$MIX" \
	>"$LOGDIR/search-wrk.log" 2>&1
if [ -n "${PERF_PID:-}" ]; then
	wait "$PERF_PID" 2>/dev/null
	{
		echo "# perf record -g on the server during the wrk run: by library, then by function"
		perf report -i "$tmp/perf.data" --no-children --sort dso -g none 2>/dev/null | grep '%' | head -12
		perf report -i "$tmp/perf.data" --no-children --sort symbol -g none 2>/dev/null | grep '%' | head -50
	} >"$LOGDIR/search-perf.log"
	PERF_NOTE="$LOGDIR/search-perf.log"
fi
RSS=$(awk '/^VmHWM:/ { printf "%.0f MB", $2 / 1024 }' "/proc/$QPID/status" 2>/dev/null)
stop "$QPID"
WRK_RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$LOGDIR/search-wrk.log")
WRK_P50=$(awk '$1 == "50%" { print $2 }' "$LOGDIR/search-wrk.log")
WRK_P99=$(awk '$1 == "99%" { print $2 }' "$LOGDIR/search-wrk.log")
WRK_REQS=$(awk '/requests in/ { print $1 }' "$LOGDIR/search-wrk.log")
WRK_ERR=$(grep -E 'Non-2xx|Socket errors' "$LOGDIR/search-wrk.log" | tr -s ' ' | tr '\n' ' ')

# ---- 3. our tokenizer against unicode61 on the same texts ----
say "search_bench: plain unicode61 copies of the FTS tables, then the text queries of the mix"
build/search_bench "$DB" "$tmp/plain.db" "$MIX" "$MIN_MS" >"$LOGDIR/search-fts.log" 2>"$tmp/sb.err" ||
	{ tail -c 600 "$tmp/sb.err" >&2; die "search_bench failed"; }
cat "$tmp/sb.err" >>"$LOGDIR/search-fts.log"
declare -A T
read -r -a KVS <<<"$(grep '^TOTAL ' "$LOGDIR/search-fts.log" | cut -d' ' -f2-)"
for kv in "${KVS[@]}"; do
	T[${kv%%=*}]=${kv#*=}
done
PLAIN_BUILD=$(sed -n 's/.*indexed in \([0-9.]*\) s (\([0-9]*\) texts\/s).*/\2 texts\/s (\1 s)/p' "$tmp/sb.err")
read -r PLAIN_INDEX_MB <<<"$(sqlite3 "$tmp/plain.db" "SELECT printf('%.0f', total(pgsize) / 1048576.0) FROM dbstat
	WHERE name LIKE 'plain\_%' ESCAPE '\\' AND name NOT LIKE '%\_content' ESCAPE '\\'" 2>/dev/null)"
TEXTS=$(sqlite3 "$DB" "SELECT count(*) FROM event_texts t JOIN events e ON e.id = t.event_id WHERE e.published = 1" 2>/dev/null)

# ---- the table ----
aim() {	# aim VALUE OP LIMIT -> "ok" or "MISSED"
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "" || v == "n/a") print "n/a";
		else if ((op == ">=" && v + 0 >= l) || (op == "<=" && v + 0 <= l)) print "ok"; else print "MISSED" }'
}
ms() {	# wrk's "12.34ms" / "1.02s" / "850.00us" -> milliseconds
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
		else if (v ~ /s$/) n *= 1000; if (v == "") print "n/a"; else printf "%.1f", n }'
}
TEXT_RATE=$(awk -v t="${TEXTS:-0}" -v s="${RX_S:-0}" 'BEGIN { if (s > 0 && t > 0) printf "%.0f", t / s; else print "n/a" }')
echo
echo "tawama search bench: $(nproc) cores, $EVENTS events ($DEMO_NOTE), $PIN_NOTE"
echo "load average before the run: $LOAD_BEFORE; total time $(($(date +%s) - T_START)) s"
printf '%-36s %s\n' "index build (tawama reindex)" "${RX_RATE:-n/a} events/s (${RX_N:-?} events in ${RX_S:-?} s; ${TEXT_RATE} texts/s)"
printf '%-36s %s\n' "plain unicode61 build (same texts)" "${PLAIN_BUILD:-n/a}"
printf '%-36s %s\n' "database size" "$DB_MB MB; FTS tables $FTS_MB MB (index ${FTS_INDEX_MB:-?} MB, stored text ${FTS_TEXT_MB:-?} MB)"
printf '%-36s %s\n' "plain unicode61 index size" "${PLAIN_INDEX_MB:-n/a} MB (same prefix indexes)"
printf '%-36s %-26s %s\n' "server time, logged ($SRV_N requests)" "p50 ${SRV_P50:-n/a} ms, p99 ${SRV_P99:-n/a} ms" "p99 <= 20 ms: $(aim "${SRV_P99:-}" "<=" 20) (max ${SRV_MAX:-?} ms, non-200: ${SRV_BAD:-?})"
printf '%-36s %-26s %s\n' "  without result cache" "p50 ${COLD_P50:-n/a} ms, p99 ${COLD_P99:-n/a} ms" "(--search-cache 0; max ${COLD_MAX:-?} ms, non-200: ${COLD_BAD:-?})"
printf '%-36s %-26s %s\n' "wrk -c$CONNS, latency" "p50 $(ms "$WRK_P50") ms, p99 $(ms "$WRK_P99") ms" "p99 <= 20 ms: $(aim "$(ms "$WRK_P99")" "<=" 20)"
printf '%-36s %s\n' "wrk -c$CONNS, requests/s" "${WRK_RPS:-n/a} (${WRK_REQS:-?} requests in $DURATION${WRK_ERR:+; $WRK_ERR})"
printf '%-36s %s\n' "server peak RSS" "${RSS:-n/a}"
printf '%-36s %s\n' "slowest requests (median)" "$SRV_SLOW"
printf '%-36s %s\n' "  without result cache" "$COLD_SLOW"
printf '%-36s %-26s %s\n' "FTS time ours/plain, same results" "${T[same_ratio]:-n/a} (${T[same]:-?} queries)" "<= 1.5: $(aim "${T[same_ratio]:-}" "<=" 1.5) (geomean ${T[same_geomean]:-?}, worst #${T[same_worst]:-?} ${T[same_worst_ratio]:-?})"
printf '%-36s %s\n' "FTS time ours/plain, whole mix" "${T[ratio]:-n/a} (${T[ours_us]:-?} / ${T[plain_us]:-?} us over ${T[timed]:-?} queries; us per event found ${T[us_per_found_ours]:-?} / ${T[us_per_found_plain]:-?})"
BM25_SHARE=$(awk -v a="${T[norank_us]:-0}" -v b="${T[ours_us]:-0}" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * (b - a) / b; else print "n/a" }')
printf '%-36s %s\n' "FTS time ours without bm25" "${T[norank_us]:-n/a} us over the mix (with bm25 ${T[ours_us]:-?} us: bm25 is $BM25_SHARE)"
printf '%-36s %s\n' "query parsing (search_parse_query)" "${T[parse_us]:-n/a} us over the mix"
printf '%-36s %s\n' "events found, ours / plain" "${T[found_ours]:-n/a} / ${T[found_plain]:-n/a} (ours more in ${T[more]:-?}, fewer in ${T[fewer]:-?} of ${T[queries]:-?} queries)"
printf '%-36s %s\n' "  Arabic queries" "${T[ar_found_ours]:-n/a} / ${T[ar_found_plain]:-n/a} (${T[ar_queries]:-?} queries)"
printf '%-36s %s\n' "logs" "$LOGDIR/search-server.log, search-server-nocache.log, search-wrk.log, search-fts.log${PERF_NOTE:+, search-perf.log}"
