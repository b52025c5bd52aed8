#!/usr/bin/python3
"""first_visit: what a first visit to a page transfers with gzip: the HTML and everything
it references (stylesheets, scripts, images, icons, fonts, and what the CSS loads), each
fetched once with Accept-Encoding: gzip. Prints one JSON object: requests, bytes on the
wire (status line + headers + body as sent), body bytes, the list, and any third-party
URL (which is not fetched).

Usage: bench/first_visit.py URL"""

import html.parser
import http.client
import json
import re
import sys
import urllib.parse


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []
        self.has_icon = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and a.get("href"):
            if "icon" in rel or "apple-touch-icon" in rel:
                self.has_icon = True
                self.refs.append(a["href"])
            elif {"stylesheet", "preload", "modulepreload", "manifest"} & set(rel):
                self.refs.append(a["href"])
        elif tag in ("script", "img", "iframe", "source", "audio", "video", "embed", "track") and a.get("src"):
            self.refs.append(a["src"])
        if tag in ("img", "source") and a.get("srcset"):
            self.refs.append(a["srcset"].split(",")[0].split()[0])
        if tag == "video" and a.get("poster"):
            self.refs.append(a["poster"])
        if tag == "object" and a.get("data"):
            self.refs.append(a["data"])
        if a.get("style"):
            self.refs += re.findall(r"url\(\s*['\"]?([^'\")]+)", a["style"])


def fetch(url):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    path = u.path + ("?" + u.query if u.query else "")
    c.request("GET", path, headers={"Accept-Encoding": "gzip", "User-Agent": "tawama-bench"})
    r = c.getresponse()
    body = r.read()
    head = "HTTP/1.1 %d %s\r\n" % (r.status, r.reason) + "".join(
        "%s: %s\r\n" % (k, v) for k, v in r.getheaders()) + "\r\n"
    c.close()
    plain = body
    if (r.getheader("Content-Encoding") or "").lower() == "gzip":
        import gzip
        plain = gzip.decompress(body)
    return r.status, len(head.encode("latin-1")), len(body), plain, r.getheader("Content-Type") or ""


def main():
    start = sys.argv[1]
    origin = urllib.parse.urlsplit(start)[:2]
    queue, seen, rows, third = [start], set(), [], []
    icon_declared = None
    while queue:
        url = urllib.parse.urldefrag(queue.pop(0))[0]
        if url in seen or url.startswith("data:"):
            continue
        seen.add(url)
        if urllib.parse.urlsplit(url)[:2] != origin:
            third.append(url)
            continue
        status, hbytes, bbytes, plain, ctype = fetch(url)
        rows.append({"url": url, "status": status, "wire": hbytes + bbytes, "body": bbytes, "type": ctype})
        if "html" in ctype:
            p = Refs()
            p.feed(plain.decode("utf-8", "replace"))
            if icon_declared is None:
                icon_declared = p.has_icon
            queue += [urllib.parse.urljoin(url, r) for r in p.refs]
        elif "css" in ctype:
            css = plain.decode("utf-8", "replace")
            refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css)
            queue += [urllib.parse.urljoin(url, r) for r in refs]
    if not icon_declared:
        # Browsers ask for /favicon.ico when the page names no icon.
        fav = urllib.parse.urlunsplit(origin + ("/favicon.ico", "", ""))
        if fav not in seen:
            status, hbytes, bbytes, _, ctype = fetch(fav)
            rows.append({"url": fav, "status": status, "wire": hbytes + bbytes, "body": bbytes, "type": ctype})
    print(json.dumps({"requests": len(rows), "wire_bytes": sum(r["wire"] for r in rows),
                      "body_bytes": sum(r["body"] for r in rows), "third_party": third,
                      "bad_status": [r["url"] for r in rows if r["status"] >= 400], "items": rows}))


if __name__ == "__main__":
    main()
