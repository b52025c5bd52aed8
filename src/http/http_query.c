/* http_query: percent-decoding and query-string parsing (bounded, strict UTF-8). */
#include <string.h>

#include "core/core_utf8.h"
#include "http/http.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
http_percent_decode(struct arena *a, const char *s, size_t n, int plus_is_space, char **out)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		d[j++] = c;
	}
	d[j] = '\0';
	if (!utf8_valid(d, j))
		return -1;
	*out = d;
	return 0;
}

int
http_parse_query(struct arena *a, const char *qs, struct http_param **out, size_t *n,
		 size_t max)
{
	*out = NULL;
	*n = 0;
	if (qs == NULL || *qs == '\0')
		return 0;
	size_t count = 1;
	for (const char *p = qs; *p != '\0'; p++)
		if (*p == '&')
			count++;
	if (count > max)
		return -1;
	struct http_param *params = arena_alloc(a, count * sizeof(*params));
	size_t k = 0;
	const char *p = qs;
	while (*p != '\0' || p == qs) {
		const char *end = strchr(p, '&');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len > 0) {
			const char *eq = memchr(p, '=', len);
			size_t nlen = eq != NULL ? (size_t)(eq - p) : len;
			char *name, *value;
			if (http_percent_decode(a, p, nlen, 1, &name) < 0)
				return -1;
			if (eq != NULL) {
				if (http_percent_decode(a, eq + 1, len - nlen - 1, 1, &value) < 0)
					return -1;
			} else {
				value = arena_strdup(a, "");
			}
			params[k].name = name;
			params[k].value = value;
			k++;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*out = params;
	*n = k;
	return 0;
}

const char *
http_query_get(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->n_query; i++)
		if (strcmp(req->query[i].name, name) == 0)
			return req->query[i].value;
	return NULL;
}
