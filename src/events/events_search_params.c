/* events_search_params: the parameters of a search as URLs carry them — reading and
 * validating them, and writing them back with one value toggled (facet links). */
#include <stdlib.h>
#include <string.h>

#include "core/core_time.h"
#include "events/events_search.h"
#include "render/render_tmpl.h"

static const char *const dim_names[DIM_COUNT] = {
	[DIM_TYPE] = "type",
	[DIM_THEME] = "theme",
	[DIM_COUNTRY] = "country",
	[DIM_ORGANISER] = "organiser",
	[DIM_YEAR] = "year",
	[DIM_LANGUAGE] = "language",
	[DIM_MODE] = "mode",
	[DIM_PARTICIPATION] = "participation",
	[DIM_WHEN] = "when",
};

const char *const search_mode_codes[2] = {"virtual", "in-person"};
const char *const search_when_codes[2] = {"upcoming", "past"};

static int
is_slug(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 100)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

int
search_code_index(const char *const *codes, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(codes[i], s) == 0)
			return (int)i;
	return -1;
}

/* Whether s is a valid value of dimension d (syntax; existence is checked later). */
static int
value_ok(enum search_dim d, const char *s)
{
	switch (d) {
	case DIM_TYPE:
		return event_type_from_code(s) >= 0;
	case DIM_THEME:
	case DIM_ORGANISER:
		return is_slug(s);
	case DIM_COUNTRY:
		return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
	case DIM_LANGUAGE:
		return lang_from_code(s) != LANG_NONE;
	case DIM_MODE:
		return search_code_index(search_mode_codes, 2, s) >= 0;
	case DIM_PARTICIPATION:
		return participation_from_code(s) >= 0;
	case DIM_WHEN:
		return search_code_index(search_when_codes, 2, s) >= 0;
	default:
		return 0;
	}
}

enum http_error
search_params_read(const struct request *req, struct search_params *p)
{
	memset(p, 0, sizeof(*p));
	p->page = 1;
	for (size_t i = 0; i < req->n_query; i++) {
		const char *name = req->query[i].name, *v = req->query[i].value;
		if (strcmp(name, "q") == 0) {
			p->q = v;
		} else if (strcmp(name, "from") == 0 || strcmp(name, "to") == 0) {
			int64_t t;
			if (*v == '\0')
				continue;
			if (time_parse_date(v, &t) < 0)
				return HTTP_ERR_BAD_PARAM;
			if (name[0] == 'f')
				p->from = t, p->from_s = v;
			else
				p->to = t + 86400, p->to_s = v;	/* inclusive day */
		} else if (strcmp(name, "sort") == 0) {
			if (strcmp(v, "date") == 0)
				p->sort_date = 1;
			else if (strcmp(v, "relevance") != 0 && *v != '\0')
				return HTTP_ERR_BAD_PARAM;
		} else if (strcmp(name, "page") == 0) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*v < '1' || *v > '9' || *end != '\0' || n > SEARCH_MAX_PAGE)
				return HTTP_ERR_BAD_PARAM;
			p->page = (int)n;
		} else {
			int d = search_code_index(dim_names, DIM_COUNT, name);
			if (d < 0 || d == DIM_YEAR || *v == '\0')
				continue;	/* parameters nobody declared are ignored */
			if (d == DIM_WHEN && strcmp(v, "all") == 0) {
				p->when_all = 1;
				continue;
			}
			if (!value_ok((enum search_dim)d, v) || p->n_values[d] == SEARCH_MAX_VALUES)
				return HTTP_ERR_BAD_PARAM;
			int dup = 0;
			for (size_t k = 0; k < p->n_values[d]; k++)
				dup |= strcmp(p->values[d][k], v) == 0;
			if (!dup)
				p->values[d][p->n_values[d]++] = v;
		}
	}
	if (p->from && p->to && p->from >= p->to)
		return HTTP_ERR_BAD_PARAM;
	return HTTP_OK;
}

static void
put_param(struct buf *b, const char *name, const char *value)
{
	buf_putc(b, b->len == 0 ? '?' : '&');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_escape(b, value);
}

const char *
search_params_query(struct arena *a, const struct search_params *p, int dim, const char *value,
		    int page)
{
	struct buf b = BUF_INIT;
	if (p->q != NULL && *p->q != '\0')
		put_param(&b, "q", p->q);
	for (int d = 0; d < DIM_COUNT; d++) {
		int toggled_off = 0;
		for (size_t k = 0; k < p->n_values[d]; k++) {
			if (d == DIM_WHEN && p->when_default) {
				/* implicit: toggling it off leaves nothing, toggling another
				 * value on replaces it */
				toggled_off |= dim == d && strcmp(p->values[d][k], value) == 0;
				continue;
			}
			if (d == dim && strcmp(p->values[d][k], value) == 0) {
				toggled_off = 1;
				continue;
			}
			put_param(&b, dim_names[d], p->values[d][k]);
		}
		if (d == dim && !toggled_off && dim != DIM_YEAR)
			put_param(&b, dim_names[d], value);
		if (d == DIM_WHEN && p->when_all) {
			size_t given = p->when_default ? 0 : p->n_values[d];
			size_t left = given - (size_t)(dim == d && toggled_off && !p->when_default) +
				      (size_t)(dim == d && !toggled_off);
			/* nothing left: say so, or the list falls back to its default */
			if (left == 0 && !(p->when_default && !(dim == d && toggled_off)))
				put_param(&b, "when", "all");
		}
	}
	if (dim == DIM_YEAR) {
		/* a year replaces the date range, or clears it when it was that year */
		char from[16], to[16];
		snprintf(from, sizeof(from), "%s-01-01", value);
		snprintf(to, sizeof(to), "%s-12-31", value);
		int same = p->from_s && p->to_s && strcmp(p->from_s, from) == 0 &&
			   strcmp(p->to_s, to) == 0;
		if (!same) {
			put_param(&b, "from", from);
			put_param(&b, "to", to);
		}
	} else {
		if (p->from_s)
			put_param(&b, "from", p->from_s);
		if (p->to_s)
			put_param(&b, "to", p->to_s);
	}
	if (p->sort_date)
		put_param(&b, "sort", "date");
	if (page > 1) {
		char n[16];
		snprintf(n, sizeof(n), "%d", page);
		put_param(&b, "page", n);
	}
	const char *s = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

