/* http_route: matching a decoded path against the route table. */
#include <string.h>

#include "http/http.h"

#define SLUG_MAX 100

static int
is_slug(const char *s, size_t n)
{
	if (n == 0 || n > SLUG_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

/* A file name: [A-Za-z0-9._-], not starting with a dot. */
static int
is_file(const char *s, size_t n)
{
	if (n == 0 || n > SLUG_MAX || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

/* Matches one segment of path (seg, n bytes) against one pattern segment. Returns 1
 * and records a capture when it matches; sets *lang_bad for a bad {lang}. */
static int
match_segment(const char *pat, size_t plen, const char *seg, size_t n, struct arena *a,
	      const char **captures, size_t *nc, int *lang_bad)
{
	if (plen >= 6 && memcmp(pat, "{lang}", 6) == 0 && plen == 6) {
		if (lang_from_code_n(seg, n) == LANG_NONE) {
			/* something shaped like a language code: "de", "EN", "fra" */
			int alpha = n == 2 || n == 3;
			for (size_t i = 0; i < n; i++)
				alpha = alpha && ((seg[i] | 0x20) >= 'a' && (seg[i] | 0x20) <= 'z');
			*lang_bad = alpha;
			return 0;
		}
	} else if (plen >= 6 && memcmp(pat, "{slug}", 6) == 0) {
		/* "{slug}" or "{slug}.ext" */
		const char *suffix = pat + 6;
		size_t slen = plen - 6;
		if (n < slen || memcmp(seg + n - slen, suffix, slen) != 0)
			return 0;
		n -= slen;
		if (!is_slug(seg, n))
			return 0;
	} else if (plen == 6 && memcmp(pat, "{file}", 6) == 0) {
		if (!is_file(seg, n))
			return 0;
	} else {
		return plen == n && memcmp(pat, seg, n) == 0;
	}
	if (*nc < 4)
		captures[(*nc)++] = arena_strndup(a, seg, n);
	return 1;
}

static int
match_path(const char *pattern, const char *path, struct arena *a, const char **captures,
	   size_t *nc, int *lang_bad)
{
	*nc = 0;
	const char *p = pattern, *s = path;
	if (*p != '/' || *s != '/')
		return 0;
	for (;;) {
		p++, s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t plen = pe ? (size_t)(pe - p) : strlen(p);
		size_t slen = se ? (size_t)(se - s) : strlen(s);
		if ((pe == NULL) != (se == NULL))
			return 0;
		if (!match_segment(p, plen, s, slen, a, captures, nc, lang_bad))
			return 0;
		if (pe == NULL)
			return 1;
		p = pe, s = se;
	}
}

const struct route *
http_route_match(const struct route *routes, size_t n, const char *path, unsigned method,
		 struct arena *a, const char **captures, size_t *n_captures, unsigned *allowed,
		 int *lang_bad)
{
	*allowed = 0;
	*lang_bad = 0;
	*n_captures = 0;
	for (size_t i = 0; i < n; i++) {
		size_t nc = 0;
		int bad = 0;
		if (!match_path(routes[i].pattern, path, a, captures, &nc, &bad)) {
			if (bad)
				*lang_bad = 1;
			continue;
		}
		if (routes[i].methods & method) {
			*n_captures = nc;
			*lang_bad = 0;
			return &routes[i];
		}
		*allowed |= routes[i].methods;
	}
	return NULL;
}
