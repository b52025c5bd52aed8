#!/usr/bin/env bash
# Extracts every UI string (C: _("...") and N_("..."); templates: {{_ "..."}}) into
# build/tawama.pot, then checks that po/ar.po, po/en.po and po/fr.po translate each one.
# Usage: scripts/pot.sh [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
pot=build/tawama.pot
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --no-location \
	--omit-header -o build/c.pot $(ls src/*/*.c src/main.c)
xgettext --from-code=UTF-8 --language=C --keyword= --keyword=X:3 --no-location \
	--omit-header -o build/h.pot src/http/http.h
{
	printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
	cat build/c.pot build/h.pot 2>/dev/null || true
	grep -oh '{{ *_ *"[^"]*" *}}' templates/*.html templates/*/*.html |
		sed -E 's/\{\{ *_ *"([^"]*)" *\}\}/\1/' | sort -u |
		while IFS= read -r id; do printf 'msgid "%s"\nmsgstr ""\n\n' "$id"; done
} > build/all.pot
msguniq --no-location -o "$pot" build/all.pot
[ "${1:-}" = --check ] || exit 0
status=0
for l in ar en fr; do
	untranslated=$(msgattrib --no-wrap --untranslated --no-obsolete <(msgmerge -q --no-fuzzy-matching po/$l.po "$pot") | grep -c '^msgid "[^"]' || true)
	if [ "$untranslated" != 0 ]; then
		echo "po/$l.po: $untranslated strings without a translation:" >&2
		msgattrib --no-wrap --untranslated --no-obsolete <(msgmerge -q --no-fuzzy-matching po/$l.po "$pot") | grep '^msgid "[^"]' >&2
		status=1
	fi
done
exit $status
