#!/usr/bin/env bash
# Installs the Debian packages tawama needs to build, run and test, when missing.
# Usage: scripts/deps.sh build|test|bench
set -euo pipefail
want=(build-essential pkg-config gettext locales tzdata ca-certificates
	libmicrohttpd-dev libsqlite3-dev libjansson-dev libcmark-dev libsodium-dev
	libicu-dev libstemmer-dev libcurl4-openssl-dev libical-dev zlib1g-dev)
case "${1:-build}" in
test)	want+=(libcriterion-dev python3 python3-icalendar python3-feedparser python3-aiosmtpd
		chromium fonts-noto-core curl sqlite3 valgrind) ;;
bench)	want+=(nginx-light wrk curl chromium fonts-noto-core) ;;
esac
missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${1:-}" != build ] && ! command -v node >/dev/null; then missing+=(nodejs npm); fi
if [ "${1:-}" != build ] && command -v node >/dev/null && ! command -v npm >/dev/null; then missing+=(npm); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "tawama: missing Debian packages: ${missing[*]}" >&2
	echo "tawama: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "tawama: installing ${missing[*]}" >&2
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
