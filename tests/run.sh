#!/usr/bin/env bash
# run.sh: runs every test suite (Criterion unit tests, HTTP, browser), each with its own
# summary, and ends with one line "N passed, N failed" over all of them. Exits non-zero
# when anything failed or a suite could not run. Called by `make test` after the build.
# Logs: build/test-logs/. Environment: SUITES="unit http browser" picks suites.
set -uo pipefail
cd "$(dirname "$0")/.."

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export PYTHONDONTWRITEBYTECODE=1
PYTHON=/usr/bin/python3
LOGS=build/test-logs
SUITES=${SUITES:-unit http browser valgrind}
mkdir -p "$LOGS"

total_pass=0
total_fail=0
problems=()

# summary SUITE PASSED FAILED [NOTE]: prints a suite's summary and adds it to the totals.
summary() {
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	if [ -n "${4:-}" ]; then
		problems+=("$1: $4")
		echo "== $1: $2 passed, $3 failed ($4) =="
	else
		echo "== $1: $2 passed, $3 failed =="
	fi
}

strip_ansi() {
	sed -e 's/\x1b\[[0-9;]*[mK]//g'
}

has_sanitizer_report() {
	grep -qE 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer|ERROR: UndefinedBehaviorSanitizer' "$1"
}

run_unit() {
	local bins=() b log rc line tested passing failing crashing p=0 f=0
	for b in build/san/test_*; do
		[ -f "$b" ] && [ -x "$b" ] && bins+=("$b")
	done
	if [ ${#bins[@]} -eq 0 ]; then
		summary unit 0 1 "no build/san/test_* binaries"
		return
	fi
	for b in "${bins[@]}"; do
		log="$LOGS/$(basename "$b").log"
		timeout 600 "$b" --ascii -j2 >"$log" 2>&1
		rc=$?
		line=$(strip_ansi <"$log" | grep -E 'Synthesis: Tested: [0-9]+' | tail -1)
		if [ -z "$line" ]; then
			echo "FAIL $(basename "$b"): exit $rc without a Criterion synthesis line"
			tail -n 30 "$log" | strip_ansi
			f=$((f + 1))
			continue
		fi
		tested=$(sed -E 's/.*Tested: ([0-9]+).*/\1/' <<<"$line")
		passing=$(sed -E 's/.*Passing: ([0-9]+).*/\1/' <<<"$line")
		failing=$(sed -E 's/.*Failing: ([0-9]+).*/\1/' <<<"$line")
		crashing=$(sed -E 's/.*Crashing: ([0-9]+).*/\1/' <<<"$line")
		p=$((p + passing))
		f=$((f + failing + crashing))
		if [ "$failing" != 0 ] || [ "$crashing" != 0 ]; then
			strip_ansi <"$log" | grep -vE '^\[----\] +$' | tail -n 60
		elif [ $rc -ne 0 ] || has_sanitizer_report "$log"; then
			echo "FAIL $(basename "$b"): exit $rc (or a sanitizer report) with every test passing"
			strip_ansi <"$log" | tail -n 40
			f=$((f + 1))
		fi
		echo "$(basename "$b"): $tested tested, $passing passing, $failing failing, $crashing crashing"
	done
	summary unit $p $f
}

# Reads "N passed, N failed" from the last such line of a log.
run_http() {
	local log="$LOGS/http.log" rc line p f
	if [ ! -x build/san/tawama ]; then
		summary http 0 1 "build/san/tawama is not built"
		return
	fi
	timeout 900 "$PYTHON" tests/http/run.py 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ -z "$line" ]; then
		summary http 0 1 "exit $rc without a result line"
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
		summary http "$p" 1 "exit $rc"
	else
		summary http "$p" "$f"
	fi
}

run_browser() {
	local log="$LOGS/browser.log" rc p f c
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		summary browser 0 1 "node or npm is missing"
		return
	fi
	if [ ! -x build/tawama ]; then
		summary browser 0 1 "build/tawama is not built"
		return
	fi
	if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
		if ! (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) >"$LOGS/npm.log" 2>&1; then
			tail -n 20 "$LOGS/npm.log"
			summary browser 0 1 "npm ci failed"
			return
		fi
	fi
	timeout 900 node --test --test-reporter=tap tests/browser/*.test.js >"$log" 2>&1
	rc=$?
	# Show the result lines and every failure with its details, not the whole TAP stream.
	awk '/^ *(not )?ok [0-9]/ { print; show = /not ok/; next }
		/^ +# / && !/# Subtest:/ { print; next }
		show && /^ /' "$log" | head -n 400
	p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
	c=$(grep -E '^# cancelled [0-9]+' "$log" | tail -1 | awk '{print $3}')
	if [ -z "$p" ] || [ -z "$f" ]; then
		tail -n 40 "$log"
		summary browser 0 1 "exit $rc without a TAP summary"
		return
	fi
	f=$((f + ${c:-0}))
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
		tail -n 20 "$log"
		summary browser "$p" 1 "exit $rc"
	else
		summary browser "$p" "$f"
	fi
}

run_valgrind() {
	local log="$LOGS/valgrind.log" rc line p f
	if ! command -v valgrind >/dev/null; then
		summary valgrind 0 1 "valgrind is missing"
		return
	fi
	timeout 600 tests/valgrind.sh >"$log" 2>&1
	rc=$?
	grep -E '^FAIL' "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ -z "$line" ]; then
		tail -n 20 "$log"
		summary valgrind 0 1 "exit $rc without a result line"
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	summary valgrind "$p" "$f"
}

for s in $SUITES; do
	echo "== $s =="
	case $s in
	unit) run_unit ;;
	http) run_http ;;
	browser) run_browser ;;
	valgrind) run_valgrind ;;
	*) summary "$s" 0 1 "unknown suite" ;;
	esac
done

for p in "${problems[@]}"; do
	echo "could not run fully: $p"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ ${#problems[@]} -eq 0 ]
