/* render_escape: the HTML and URL escapers every page and feed writes through. */
#include <string.h>

#include "render/render_tmpl.h"

/* Replacement for each byte that needs one in HTML text and quoted attributes. */
static const char *const html_repl[256] = {
	['&'] = "&amp;",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['"'] = "&quot;",
	['\''] = "&#39;",
};

/* 1 for the RFC 3986 unreserved characters, kept as they are in a URL. */
static const unsigned char url_keep[256] = {
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
	['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
	['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1,
	['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1,
};

/* Writes s escaped for HTML text and quoted attribute values: & < > " ' become
 * entities, every other byte (UTF-8 included) is copied. Runs of safe bytes are
 * appended in one call, so mostly-plain text costs one scan and one copy. NULL
 * writes nothing. */
void
html_escape(struct buf *out, const char *s)
{
	if (s == NULL)
		return;
	for (;;) {
		/* glibc's strcspn is vectorised: long safe runs cost one scan */
		size_t run = strcspn(s, "&<>\"'");
		if (run > 0)
			buf_append(out, s, run);
		s += run;
		if (*s == '\0')
			return;
		buf_puts(out, html_repl[(unsigned char)*s++]);
	}
}

/* Writes s percent-encoded for a URL path segment or query value: only the RFC 3986
 * unreserved characters (A-Z a-z 0-9 - . _ ~) stay; every other byte, each byte of a
 * UTF-8 sequence included, becomes %XX (upper-case hex). NULL writes nothing. */
void
url_escape(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (s == NULL)
		return;
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	for (; *p != '\0'; p++) {
		if (url_keep[*p])
			continue;
		if (p > run)
			buf_append(out, run, (size_t)(p - run));
		char pct[3] = {'%', hex[*p >> 4], hex[*p & 15]};
		buf_append(out, pct, sizeof(pct));
		run = p + 1;
	}
	if (p > run)
		buf_append(out, run, (size_t)(p - run));
}
