#!/usr/bin/env bash
# valgrind.sh: the release server under valgrind on its main paths — no memory errors,
# no definitely lost bytes after a graceful stop. Prints "N passed, N failed".
# Mail too: sent to an SMTP listener that is down at first (tests/http/smtp.py).
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/tawama-vg.XXXXXX)
smtp_pid=
trap 'kill -TERM "$pid" 2>/dev/null; [ -n "$smtp_pid" ] && kill -TERM "$smtp_pid" 2>/dev/null; rm -rf "$dir"' EXIT
build/tawama init --db "$dir/t.db" >/dev/null 2>&1 && build/tawama demo --db "$dir/t.db" >/dev/null 2>&1 || { echo "0 passed, 1 failed"; exit 1; }
free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
for u in "fac@example.org facilitator" "m1@example.org member --municipality irbid" \
	"m2@example.org member --municipality gaziantep"; do
	set -- $u
	echo "a long enough password" | build/tawama user add --db "$dir/t.db" --email "$1" \
		--role "$2" "${@:3}" >/dev/null 2>&1 || { echo "0 passed, 1 failed"; exit 1; }
done
# the demo's own representatives of the two municipalities sit the group invitation out
sqlite3 "$dir/t.db" "UPDATE users SET active = 0 WHERE email LIKE '%@demo.tawama.org' AND
	municipality_id IN (SELECT id FROM municipalities WHERE slug IN ('irbid', 'gaziantep'))" ||
	{ echo "0 passed, 1 failed"; exit 1; }
port=$(free_port)
smtp_port=$(free_port)
valgrind --leak-check=full --errors-for-leak-kinds=definite --log-file="$dir/vg.log" \
	build/tawama serve --db "$dir/t.db" --listen "127.0.0.1:$port" --quiet \
	--smtp-url "smtp://127.0.0.1:$smtp_port" --mail-retry-base-ms 200 >"$dir/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
	curl -s -o /dev/null "http://127.0.0.1:$port/robots.txt" && break
	sleep 0.3
done
pass=0 fail=0
check() {	# check WANT_STATUS PATH [curl options]
	local want=$1 path=$2
	shift 2
	local got
	got=$(curl -s -o /dev/null -w '%{http_code}' "$@" "http://127.0.0.1:$port$path")
	if [ "$got" = "$want" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $path: $got, want $want"; fi
}
for l in ar en fr; do
	check 200 "/$l/"
	check 200 "/$l/events" -H 'Accept-Encoding: gzip'
	check 200 "/$l/events/hmln-webinar-twinning-arrangements"
	check 200 "/$l/events/hmln-webinar-twinning-arrangements.ics"
	check 200 "/$l/feed.atom"
done
check 200 "/en/search?q=twinning+-arrangements&type=webinar&type=workshop"
check 200 "/ar/search?q=%D8%A7%D9%84%D8%AA%D9%88%D8%A7%D9%85%D9%87"
check 200 "/fr/search?q=jumelag*&sort=date&when=past"
check 200 "/api/v1/search?q=%22twinning+arrangements%22&mode=virtual"
check 200 "/en/search?q=twinnning"
check 200 /calendar.ics
check 200 /sitemap.xml
check 200 /api/v1/events
check 200 /api/v1/events/hmln-webinar-twinning-arrangements
check 404 /api/v1/events/nope
check 400 "/en/events?page=x"
check 404 /de/events
check 200 "/ar/members?q=%D8%A7%D8%B1%D8%A8%D8%AF&country=JO&theme=led"
check 200 /fr/members/irbid
check 404 /en/members/nope
check 200 "/api/v1/municipalities?q=Sa%C3%AFda&lang=fr"
check 200 /api/v1/municipalities/tyre
check 302 /
check 200 /static/style.css -H 'Accept-Encoding: gzip'
check 200 /fr/groups
check 200 /ar/groups/irbid-gaziantep
check 404 /en/groups/baalbek-sanliurfa
check 200 /api/v1/groups
check 200 /api/v1/groups/irbid-gaziantep
# signed in: log in (argon2id), personal pages, invite a twinning group (mails with
# calendar copies, queued while the listener is down), log out
jar="$dir/cookies"
csrf() { curl -s -b "$jar" -c "$jar" "http://127.0.0.1:$port$1" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
token=$(csrf /en/login)
check 303 /en/login -b "$jar" -c "$jar" --data-urlencode "csrf=$token" \
	--data-urlencode "email=fac@example.org" --data-urlencode "password=a long enough password"
check 200 /en/ -b "$jar"
check 200 /ar/profile -b "$jar"
token=$(csrf /ar/members/irbid/edit)
check 422 /ar/members/irbid/edit -b "$jar" --data-urlencode "csrf=$token" \
	--data-urlencode "name_ar=إربد" --data-urlencode "country=JO" --data-urlencode "population=-1"
# a twinning group's workspace: the staff list, the workspace, a milestone (and a refused one)
check 200 /ar/groups -b "$jar"
check 200 /ar/groups/irbid-gaziantep -b "$jar"
check 200 /api/v1/groups/baalbek-sanliurfa -b "$jar"
token=$(csrf /en/groups/irbid-gaziantep/milestones/new)
for want in 303:40 422:101; do
	check "${want%%:*}" /en/groups/irbid-gaziantep/milestones/new -b "$jar" \
		--data-urlencode "csrf=$token" --data-urlencode "title=Market study" \
		--data-urlencode "text_lang=en" --data-urlencode "due=2027-06-30" \
		--data-urlencode "status=in-progress" --data-urlencode "progress=${want#*:}"
done
token=$(csrf /en/manage/events/hmln-webinar-twinning-arrangements/invitations)
check 303 /en/manage/events/hmln-webinar-twinning-arrangements/invitations -b "$jar" \
	--data-urlencode "csrf=$token" --data-urlencode "group=irbid-gaziantep"
check 200 /ar/manage/events -b "$jar"
check 200 /en/manage/events/hmln-webinar-twinning-arrangements/edit -b "$jar"
check 200 /fr/manage/audit -b "$jar"
check 200 /en/admin/users -b "$jar"
check 403 /en/profile -b "$jar" -d "name=x"
check 303 /en/logout -b "$jar" -c "$jar" --data-urlencode "csrf=$token"
check 303 /en/profile -b "$jar"
# mail: queued while the SMTP listener is down (failed attempts), sent once it is up
mail_status() { build/tawama mail status --db "$dir/t.db" 2>/dev/null; }
wait_mail() {	# wait_mail PATTERN: until `mail status` matches, at most 60 s
	for _ in $(seq 1 300); do
		grep -qE "$1" <<<"$(mail_status)" && return 0
		sleep 0.2
	done
	return 1
}
build/tawama mail send-test --db "$dir/t.db" --to a@example.org --count 2 >/dev/null 2>&1
if wait_mail '^ +last error: .*connect'; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL mail: no failed attempt recorded while the listener was down"
fi
/usr/bin/python3 tests/http/smtp.py "$smtp_port" >"$dir/smtp.log" 2>&1 &
smtp_pid=$!
if wait_mail '^outbox: 0 queued, 4 sent'; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL mail: not sent: $(mail_status | sed -n 1p)"
fi
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc -ne 0 ]; then fail=$((fail + 1)); echo "FAIL: serve exited $rc under valgrind"; fi
kill -TERM "$smtp_pid"
wait "$smtp_pid"
smtp_pid=
if grep -q "smtp: 4 messages" "$dir/smtp.log"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL mail: the listener says: $(cat "$dir/smtp.log")"; fi
if grep -q "ERROR SUMMARY: 0 errors" "$dir/vg.log" && grep -qE "definitely lost: 0 bytes|no leaks are possible" "$dir/vg.log"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: valgrind reports:"
	grep -E "ERROR SUMMARY|definitely lost|Invalid|uninitialised" "$dir/vg.log" | head -20
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
