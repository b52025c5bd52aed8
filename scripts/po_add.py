#!/usr/bin/python3
"""po_add: appends translations to po/ar.po, po/en.po and po/fr.po.

Usage: scripts/po_add.py FILE.json
FILE.json maps each English msgid to {"ar": "...", "fr": "..."} (English is the msgid
itself, or "en" when given). msgids already in a catalog are left alone there."""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    entries = json.load(open(sys.argv[1], encoding="utf-8"))
    for lang in ("ar", "en", "fr"):
        path = os.path.join(ROOT, "po", lang + ".po")
        text = open(path, encoding="utf-8").read()
        add = []
        for msgid, tr in entries.items():
            if "\nmsgid %s\n" % quote(msgid) in text:
                continue
            msgstr = tr.get(lang) or (msgid if lang == "en" else None)
            if not msgstr:
                sys.exit("po_add: no %s translation for %r" % (lang, msgid))
            fmt = "#, c-format\n" if "%" in msgid else ""
            add.append("%smsgid %s\nmsgstr %s\n" % (fmt, quote(msgid), quote(msgstr)))
        if add:
            with open(path, "a", encoding="utf-8") as f:
                f.write("\n" + "\n".join(add))
        print("po/%s.po: %d added" % (lang, len(add)))


if __name__ == "__main__":
    main()
