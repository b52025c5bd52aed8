#!/usr/bin/env bash
# run.sh: `make bench`. Measures, in one run on loopback: the event page served by tawama
# against the same bytes served as a static file by Debian's nginx (wrk, side by side),
# tawama's resident memory after that, the time of `tawama demo --scale 1000`, what a first
# visit to the event page transfers with gzip, the SQL statements the event page runs, and
# Lighthouse's four mobile scores for the event page in Arabic and English. Prints a table.
# Environment: BENCH_DURATION (10s), BENCH_CONNECTIONS (32), BENCH_ROUNDS (3), BENCH_SCALE (1000),
# BENCH_LIGHTHOUSE=0 to skip Lighthouse, TAWAMA_BIN (build/tawama).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BIN=${TAWAMA_BIN:-build/tawama}
SLUG=hmln-webinar-twinning-arrangements
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-3}
SCALE=${BENCH_SCALE:-1000}
PY=/usr/bin/python3
CHROME=${CHROME_PATH:-/usr/bin/chromium}
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"

tmp=$(mktemp -d /tmp/tawama-bench.XXXXXX) || exit 1
chmod 755 "$tmp"	# nginx workers may run as another user
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

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() {
	local i
	for i in $(seq 1 300); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

for tool in curl wrk nginx node; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (scripts/deps.sh bench installs it)"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$BIN" ] || die "$BIN is not built (make all)"

# With two or more cores, the servers share CPU 1 and wrk gets CPU 0.
SRV_PIN=()
LOAD_PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	SRV_PIN=(taskset -c 1)
	LOAD_PIN=(taskset -c 0)
	PIN_NOTE="servers on CPU 1, wrk on CPU 0"
else
	PIN_NOTE="unpinned"
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: preparing a demo database in $tmp" >&2
DB=$tmp/bench.db
"$BIN" init --db "$DB" >/dev/null || die "tawama init failed"
"$BIN" demo --db "$DB" >/dev/null || die "tawama demo failed"

TPORT=$(free_port)
TBASE=http://127.0.0.1:$TPORT
"${SRV_PIN[@]}" "$BIN" serve --db "$DB" --listen "127.0.0.1:$TPORT" --base-url "$TBASE" --quiet \
	>"$tmp/tawama.out" 2>"$tmp/tawama.err" &
TPID=$!
pids+=("$TPID")
wait_http "$TBASE/en/events/$SLUG" || { cat "$tmp/tawama.err" >&2; die "tawama serve did not answer"; }

# The same bytes as static files for nginx.
mkdir -p "$tmp/www/en/events" "$tmp/www/ar/events" "$tmp/nginx"
for lang in en ar; do
	curl -fsS -o "$tmp/www/$lang/events/$SLUG" "$TBASE/$lang/events/$SLUG" || die "fetching the $lang page failed"
done
chmod -R a+rX "$tmp/www"
NPORT=$(free_port)
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	default_type "text/html; charset=utf-8";
	server {
		listen 127.0.0.1:$NPORT;
		root $tmp/www;
	}
}
EOF
"${SRV_PIN[@]}" "$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" \
	>"$tmp/nginx/out" 2>&1 &
pids+=("$!")
NBASE=http://127.0.0.1:$NPORT
wait_http "$NBASE/en/events/$SLUG" || { cat "$tmp/nginx/out" "$tmp/nginx/error.log" >&2; die "nginx did not answer"; }
for lang in en ar; do
	curl -fsS "$NBASE/$lang/events/$SLUG" | cmp -s - "$tmp/www/$lang/events/$SLUG" || die "nginx serves other bytes"
done

# wrk URL -> requests per second (non-2xx responses or socket errors are reported).
run_wrk() {
	local out
	out=$("${LOAD_PIN[@]}" wrk -t1 -c"$CONNS" -d"$DURATION" "$1" 2>&1)
	echo "$out" >>"$tmp/wrk.log"
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "bench: $1: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ')" >&2
	fi
	awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out"
}

# Side by side: each round runs tawama then nginx for each page; the table shows the
# median round (the machine may be busy with other work: rounds show the spread).
median() {
	tr ' ' '\n' | grep -E '^[0-9]+$' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
declare -A RPS BYTES ALL
echo "bench: wrk -t1 -c$CONNS -d$DURATION, $ROUNDS rounds, $PIN_NOTE" >&2
for lang in en ar; do
	BYTES[$lang]=$(stat -c %s "$tmp/www/$lang/events/$SLUG")
	"${LOAD_PIN[@]}" wrk -t1 -c"$CONNS" -d2s "$TBASE/$lang/events/$SLUG" >/dev/null 2>&1	# warm up
	"${LOAD_PIN[@]}" wrk -t1 -c"$CONNS" -d2s "$NBASE/$lang/events/$SLUG" >/dev/null 2>&1
done
for round in $(seq 1 "$ROUNDS"); do
	for lang in en ar; do
		t=$(run_wrk "$TBASE/$lang/events/$SLUG")
		n=$(run_wrk "$NBASE/$lang/events/$SLUG")
		ALL[tawama_$lang]="${ALL[tawama_$lang]:-} $t"
		ALL[nginx_$lang]="${ALL[nginx_$lang]:-} $n"
		echo "bench: round $round, $lang: tawama $t req/s, nginx $n req/s" >&2
	done
done
for k in tawama_en nginx_en tawama_ar nginx_ar; do
	RPS[$k]=$(median <<<"${ALL[$k]}")
done
RSS=$(awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$TPID/status" 2>/dev/null)
HWM=$(awk '/^VmHWM:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$TPID/status" 2>/dev/null)

echo "bench: first visit with gzip" >&2
FV=$("$PY" bench/first_visit.py "$TBASE/en/events/$SLUG" 2>"$tmp/fv.err")
FV_AR=$("$PY" bench/first_visit.py "$TBASE/ar/events/$SLUG" 2>>"$tmp/fv.err")

# SQL statements per event page: a second server with --debug-stats.
echo "bench: SQL statements" >&2
SPORT=$(free_port)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$SPORT" --quiet --debug-stats >"$tmp/stats.out" 2>"$tmp/stats.err" &
SPID=$!
pids+=("$SPID")
declare -A SQL
if wait_http "http://127.0.0.1:$SPORT/en/"; then
	for lang in en ar; do
		first=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:$SPORT/$lang/events/$SLUG" | tr -d '\r' |
			awk -F': *' 'tolower($1) == "x-sql-statements" { print $2 }')
		again=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:$SPORT/$lang/events/$SLUG" | tr -d '\r' |
			awk -F': *' 'tolower($1) == "x-sql-statements" { print $2 }')
		if [ -z "$again" ]; then
			SQL[$lang]="n/a (no X-SQL-Statements header)"
		elif [ "$first" = "$again" ]; then
			SQL[$lang]=$again
		else
			SQL[$lang]="$again (first request $first)"
		fi
	done
else
	SQL[en]="n/a (serve --debug-stats failed: $(head -c 200 "$tmp/stats.err" | tr '\n' ' '))"
	SQL[ar]=${SQL[en]}
fi
kill -TERM "$SPID" 2>/dev/null
wait "$SPID" 2>/dev/null

# Lighthouse, mobile (its default form factor), against Debian's chromium.
declare -A LH
if [ "${BENCH_LIGHTHOUSE:-1}" != 0 ]; then
	echo "bench: Lighthouse" >&2
	if [ ! -d bench/node_modules/lighthouse ]; then
		(cd bench && npm ci --no-audit --no-fund --loglevel=error) >"$tmp/npm.log" 2>&1 ||
			{ tail -n 20 "$tmp/npm.log" >&2; echo "bench: npm ci for lighthouse failed" >&2; }
	fi
	for lang in en ar; do
		LH[$lang]="n/a"
		[ -d bench/node_modules/lighthouse ] || continue
		if CHROME_PATH=$CHROME timeout 300 node bench/node_modules/lighthouse/cli/index.js \
			"$TBASE/$lang/events/$SLUG" --quiet --output=json --output-path="$tmp/lh-$lang.json" \
			--only-categories=performance,accessibility,best-practices,seo \
			--chrome-flags="$CHROME_FLAGS" >"$tmp/lh-$lang.log" 2>&1; then
			LH[$lang]=$("$PY" - "$tmp/lh-$lang.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
scores = "/".join("%d" % round((c[k]["score"] or 0) * 100) for k in ("performance", "accessibility", "best-practices", "seo"))
bad = [a["id"] for k in ("performance", "accessibility", "best-practices", "seo") for ref in c[k]["auditRefs"]
       if ref["weight"] > 0 for a in [r["audits"][ref["id"]]] if a.get("score") is not None and a["score"] < 1]
w = r["audits"].get("total-byte-weight", {}).get("numericValue")
n = len(r["audits"].get("network-requests", {}).get("details", {}).get("items", []))
print("%s  (%d requests, %.1f KB%s)" % (scores, n, (w or 0) / 1024, "; below 1: " + ", ".join(bad[:6]) if bad else ""))
EOF
)
		else
			LH[$lang]="n/a (lighthouse failed: $(grep -m1 -iE 'error' "$tmp/lh-$lang.log" | head -c 160))"
		fi
	done
fi

# demo --scale on a fresh database (last: it keeps both cores busy).
echo "bench: tawama demo --scale $SCALE" >&2
SDB=$tmp/scale.db
"$BIN" init --db "$SDB" >/dev/null
t0=$(date +%s.%N)
if timeout 900 "$BIN" demo --db "$SDB" --scale "$SCALE" >/dev/null 2>"$tmp/scale.err"; then
	t1=$(date +%s.%N)
	DEMO_TIME=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')
	DEMO_COUNT=$("$BIN" export events --db "$SDB" 2>/dev/null | wc -l)
	DEMO_TIME="$DEMO_TIME ($DEMO_COUNT events, $(du -m "$SDB" | cut -f1) MB)"
else
	DEMO_TIME="failed: $(tail -c 200 "$tmp/scale.err" | tr '\n' ' ')"
fi

# The table.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else print "n/a" }'
}
aim() {	# aim VALUE OP LIMIT -> "ok" or "MISSED"
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "" || v == "n/a") print "n/a";
		else if ((op == ">=" && v + 0 >= l) || (op == "<=" && v + 0 <= l)) print "ok"; else print "MISSED" }'
}
fv_field() {
	"$PY" -c 'import json, sys
try:
    d = json.loads(sys.argv[1])
except ValueError:
    print("n/a"); sys.exit()
f = sys.argv[2]
if f == "kb": print("%.1f" % (d["wire_bytes"] / 1024))
elif f == "body": print("%.1f" % (d["body_bytes"] / 1024))
elif f == "third": print(len(d["third_party"]))
elif f == "list": print(" ".join("%s=%d" % (i["url"].split("/", 3)[-1][:40], i["wire"]) for i in d["items"]))
else: print(d[f] if not isinstance(d[f], list) else ",".join(d[f]) or "-")' "$1" "$2"
}

R_EN=$(ratio "${RPS[tawama_en]}" "${RPS[nginx_en]}")
R_AR=$(ratio "${RPS[tawama_ar]}" "${RPS[nginx_ar]}")
SQL_N=$(awk '{print $1}' <<<"${SQL[en]}")
FV_KB=$(fv_field "$FV" kb)
FV_N=$(fv_field "$FV" requests)
echo
echo "tawama bench: $(nproc) cores, wrk -t1 -c$CONNS -d$DURATION on loopback, median of $ROUNDS rounds, $PIN_NOTE"
echo "load average before the run: $LOAD_BEFORE"
printf '%-34s %-12s %-12s %s\n' "" "en" "ar" "aim"
printf '%-34s %-12s %-12s\n' "event page, bytes (plain)" "${BYTES[en]}" "${BYTES[ar]}"
printf '%-34s %-12s %-12s\n' "tawama req/s" "${RPS[tawama_en]:-n/a}" "${RPS[tawama_ar]:-n/a}"
printf '%-34s %-12s %-12s\n' "nginx req/s (same bytes, static)" "${RPS[nginx_en]:-n/a}" "${RPS[nginx_ar]:-n/a}"
printf '%-34s %-12s %-12s\n' "tawama req/s, every round" "$(tr -s ' ' / <<<"${ALL[tawama_en]# }")" "$(tr -s ' ' / <<<"${ALL[tawama_ar]# }")"
printf '%-34s %-12s %-12s\n' "nginx req/s, every round" "$(tr -s ' ' / <<<"${ALL[nginx_en]# }")" "$(tr -s ' ' / <<<"${ALL[nginx_ar]# }")"
printf '%-34s %-12s %-12s %s\n' "ratio tawama/nginx" "$R_EN" "$R_AR" ">= 0.5: $(aim "$R_EN" ">=" 0.5)/$(aim "$R_AR" ">=" 0.5)"
printf '%-34s %s\n' "tawama RSS after the run" "${RSS:-n/a} (peak ${HWM:-n/a})"
printf '%-34s %s\n' "demo --scale $SCALE" "$DEMO_TIME"
printf '%-34s %-12s %-12s %s\n' "first visit, KB with gzip" "$FV_KB" "$(fv_field "$FV_AR" kb)" "<= 15: $(aim "$FV_KB" "<=" 15)"
printf '%-34s %-12s %-12s %s\n' "first visit, requests" "$FV_N" "$(fv_field "$FV_AR" requests)" "<= 3: $(aim "$FV_N" "<=" 3)"
printf '%-34s %-12s %-12s %s\n' "first visit, third-party URLs" "$(fv_field "$FV" third)" "$(fv_field "$FV_AR" third)" "0"
printf '%-34s %s\n' "first visit, en (wire bytes)" "$(fv_field "$FV" list)"
printf '%-34s %-12s %-12s %s\n' "SQL statements, event page" "${SQL[en]}" "${SQL[ar]}" "<= 10: $(aim "$SQL_N" "<=" 10)"
printf '%-34s %s\n' "Lighthouse mobile en (p/a/bp/seo)" "${LH[en]:-skipped}"
printf '%-34s %s\n' "Lighthouse mobile ar (p/a/bp/seo)" "${LH[ar]:-skipped}"
[ "${BENCH_SEARCH:-1}" = 0 ] || bench/search.sh	# the search benchmark, its own table (BENCH_SEARCH=0 skips it)
