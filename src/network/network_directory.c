/* network_directory: the directory of municipalities — its parameters and shareable
 * URLs, the names search combined with criteria (country, theme), the facet counts
 * and the page, computed over the loaded municipalities (a network has dozens or
 * hundreds of them, never millions). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "network/network.h"
#include "render/render_i18n.h"
#include "render/render_tmpl.h"

static const char *const dim_names[DD_COUNT] = {
	[DD_COUNTRY] = "country",
	[DD_THEME] = "theme",
};

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

static int
is_country(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

enum http_error
network_directory_params(const struct request *req, struct directory_params *p)
{
	memset(p, 0, sizeof(*p));
	p->page = 1;
	for (size_t i = 0; i < req->n_query; i++) {
		const char *name = req->query[i].name, *v = req->query[i].value;
		if (strcmp(name, "q") == 0) {
			if (strlen(v) > NETWORK_QUERY_MAX)
				return HTTP_ERR_BAD_PARAM;
			p->q = v;
			continue;
		}
		if (strcmp(name, "page") == 0) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*v < '1' || *v > '9' || *end != '\0' || n > DIRECTORY_MAX_PAGE)
				return HTTP_ERR_BAD_PARAM;
			p->page = (int)n;
			continue;
		}
		int d = -1;
		for (int k = 0; k < DD_COUNT; k++)
			if (strcmp(name, dim_names[k]) == 0)
				d = k;
		if (d < 0 || *v == '\0')
			continue;	/* parameters nobody declared are ignored */
		if (!(d == DD_COUNTRY ? is_country(v) : is_slug(v)))
			return HTTP_ERR_BAD_PARAM;
		int dup = 0;
		for (size_t k = 0; k < p->n_values[d]; k++)
			dup |= strcmp(p->values[d][k], v) == 0;
		if (dup)
			continue;
		if (p->n_values[d] == DIRECTORY_MAX_VALUES)
			return HTTP_ERR_BAD_PARAM;
		p->values[d][p->n_values[d]++] = v;
	}
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
network_directory_query(struct arena *a, const struct directory_params *p, int dim,
			const char *value, int page)
{
	struct buf b = BUF_INIT;
	if (p->q != NULL && *p->q != '\0')
		put_param(&b, "q", p->q);
	for (int d = 0; d < DD_COUNT; d++) {
		int toggled_off = 0;
		for (size_t k = 0; k < p->n_values[d]; k++) {
			if (d == dim && strcmp(p->values[d][k], value) == 0) {
				toggled_off = 1;
				continue;
			}
			put_param(&b, dim_names[d], p->values[d][k]);
		}
		if (d == dim && !toggled_off)
			put_param(&b, dim_names[d], value);
	}
	if (page > 1) {
		char n[16];
		snprintf(n, sizeof(n), "%d", page);
		put_param(&b, "page", n);
	}
	const char *s = arena_strdup(a, b.failed ? "" : buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* ---- matching ------------------------------------------------------------------- */

static int
has_country(const struct member *m, const struct directory_params *p)
{
	if (p->n_values[DD_COUNTRY] == 0)
		return 1;
	for (size_t k = 0; k < p->n_values[DD_COUNTRY]; k++)
		if (m->m.country != NULL && strcmp(m->m.country, p->values[DD_COUNTRY][k]) == 0)
			return 1;
	return 0;
}

static int
has_theme(const struct member *m, const struct directory_params *p)
{
	if (p->n_values[DD_THEME] == 0)
		return 1;
	for (size_t k = 0; k < p->n_values[DD_THEME]; k++)
		for (size_t t = 0; t < m->n_themes; t++)
			if (strcmp(m->themes[t]->slug, p->values[DD_THEME][k]) == 0)
				return 1;
	return 0;
}

/* A facet being built: its values in a growing array. */
struct facet_build {
	struct directory_facet *v;
	size_t n, cap;
};

static struct directory_facet *
facet_value(struct arena *a, struct facet_build *f, const char *code, const char *label)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code, code) == 0)
			return &f->v[i];
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct directory_facet *v = arena_alloc(a, cap * sizeof(*v));
		if (f->n > 0)
			memcpy(v, f->v, f->n * sizeof(*v));
		f->v = v;
		f->cap = cap;
	}
	struct directory_facet *d = &f->v[f->n++];
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->label = label;
	return d;
}

/* The name in l of the theme with this slug, from any member's groups, or NULL. */
static const char *
theme_label(const struct member *all, size_t n, const char *slug, enum lang l)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < all[i].n_themes; k++)
			if (strcmp(all[i].themes[k]->slug, slug) == 0)
				return network_name_for(all[i].themes[k]->name, l, NULL);
	return NULL;
}

/* A member and its name in the reader's language, to sort by. */
struct sorted {
	const char *name;
	const struct member *m;
};

int
network_directory(struct arena *a, const struct member *all, size_t n,
		  const struct directory_params *p, enum lang l, struct directory_result *out)
{
	memset(out, 0, sizeof(*out));
	struct network_query q;
	if (network_query_compile(a, p->q, &q) < 0)
		return -1;
	struct facet_build f[DD_COUNT];
	memset(f, 0, sizeof(f));
	struct sorted *hits = arena_alloc(a, (n + 1) * sizeof(*hits));
	size_t n_hits = 0;

	for (size_t i = 0; i < n; i++) {
		const struct member *m = &all[i];
		if (!network_query_match(a, &q, m->m.name))
			continue;
		int c = has_country(m, p), t = has_theme(m, p);
		/* a member failing only one criterion still counts for that criterion's
		 * values: the counts say what choosing them would give */
		if (t && m->m.country != NULL) {
			const char *label = i18n_country_name(a, l, m->m.country);
			facet_value(a, &f[DD_COUNTRY], m->m.country,
				    label != NULL ? label : m->m.country)->count++;
		}
		if (c)
			for (size_t k = 0; k < m->n_themes; k++) {
				const struct network_theme *th = m->themes[k];
				const char *label = network_name_for(th->name, l, NULL);
				facet_value(a, &f[DD_THEME], th->slug, label != NULL ? label : th->slug)
					->count++;
			}
		if (c && t) {
			const char *name = network_name_for(m->m.name, l, NULL);
			hits[n_hits++] = (struct sorted){name != NULL ? name : m->m.slug, m};
		}
	}
	/* selected values stay listed (with 0) even when nothing has them */
	for (int d = 0; d < DD_COUNT; d++) {
		for (size_t k = 0; k < p->n_values[d]; k++) {
			const char *v = p->values[d][k];
			const char *label = d == DD_COUNTRY ? i18n_country_name(a, l, v)
							    : theme_label(all, n, v, l);
			facet_value(a, &f[d], v, label != NULL ? label : v)->selected = 1;
		}
		if (f[d].n > 1)
			i18n_sort(l, f[d].v, f[d].n, sizeof(*f[d].v),
				  offsetof(struct directory_facet, label));
		out->facets[d] = f[d].v;
		out->n_facets[d] = f[d].n;
	}

	if (n_hits > 1)
		i18n_sort(l, hits, n_hits, sizeof(*hits), offsetof(struct sorted, name));
	out->total = n_hits;
	size_t from = (size_t)(p->page > 1 ? p->page - 1 : 0) * DIRECTORY_PAGE_SIZE;
	out->items = arena_alloc(a, DIRECTORY_PAGE_SIZE * sizeof(*out->items));
	for (size_t i = from; i < n_hits && out->n < DIRECTORY_PAGE_SIZE; i++)
		out->items[out->n++] = hits[i].m;
	return 0;
}
