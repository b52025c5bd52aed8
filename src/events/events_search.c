/* events_search: criteria, facet counts and ranking over a per-thread facet table; the
 * text part is FTS5 through our analyzer. One pass over the table counts every facet:
 * a row that fails exactly one criterion still counts for that criterion's facet, so
 * the counts beside a criterion's values say what choosing them would give. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_search.h"
#include "render/render_i18n.h"
#include "render/render_tmpl.h"
#include "search/search_query.h"
#include "search/search_snippet.h"

#define YEAR_MIN 1900
#define YEAR_SPAN 301		/* 1900 .. 2200 */

/* ---- the facet table, one per thread, reloaded when the database changed ---- */

struct table {
	uint64_t version;
	int loaded;
	struct facet_data d;
	/* dense indexes: theme and organiser ids, countries */
	uint32_t *row_org;		/* organiser index of each row */
	uint32_t *theme_idx;		/* index of each entry of d.themes */
	char (*countries)[3];
	size_t n_countries;
	uint16_t *row_country;		/* country index + 1 of each row, 0: none */
	struct frow *fr;		/* what the loop over rows reads, by row */
	struct hit *hits;		/* the rows a search keeps: working space */
	int many_themes;		/* more than 64: themes are read from the lists */
	struct row_index ix;		/* rows by event id, for the text search */
	uint32_t *ix_row;
};

/* A row a search keeps, for sorting. */
struct hit {
	uint32_t row;
	uint8_t langs;		/* texts the query matches, for snippets */
	double score;
	int64_t starts;
};

/* What counting and filtering read of a row, packed: two rows a cache line, read in
 * order (the facet rows are three times larger and the loop waited on memory). */
struct frow {
	int64_t starts, ends;
	uint64_t themes;		/* bit per theme index (unless many_themes) */
	uint16_t combo, year, org, country;	/* country: index + 1, 0: none */
};

/*
 * The dimensions with few values are packed into one number per row, the combination,
 * so that counting a row that passes is one increment for all of them (spread over the
 * dimensions once per search), and whether a row fails them is one lookup.
 */
#define COMBO_PART_SHIFT 3
#define COMBO_MODE_SHIFT 5
#define COMBO_LANG_SHIFT 6
#define COMBO_PAST_SHIFT 9		/* ends before now: set per search */
#define COMBO_COUNT (1u << 10)
#define PREFETCH_AHEAD 16		/* rows */
_Static_assert(EVENT_TYPE_COUNT <= 8 && PART_COUNT <= 4 && LANG_COUNT <= 3,
	       "the combination of a row no longer fits its bits");

static unsigned
combo_of(const struct facet_row *r)
{
	return r->type | (unsigned)r->participation << COMBO_PART_SHIFT |
	       (unsigned)(r->is_virtual ? 0 : 1) << COMBO_MODE_SHIFT |
	       (unsigned)r->langs << COMBO_LANG_SHIFT;
}

static pthread_key_t table_key;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void
table_clear(struct table *t)
{
	events_facet_free(&t->d);
	free(t->row_org);
	free(t->theme_idx);
	free(t->countries);
	free(t->row_country);
	free(t->fr);
	free(t->hits);
	free(t->ix_row);
	memset(t, 0, sizeof(*t));
}

static void
table_destroy(void *p)
{
	table_clear(p);
	free(p);
}

static void
table_key_init(void)
{
	if (pthread_key_create(&table_key, table_destroy) != 0)
		die("pthread_key_create failed");
}

static size_t
label_index(const struct facet_label *l, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)	/* labels are few (tens) */
		if (l[i].id == id)
			return i;
	return 0;
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (p == NULL)
		die("out of memory");
	return p;
}

static int
table_build(struct table *t, struct db *db, uint64_t version)
{
	table_clear(t);
	if (events_facet_load(db, &t->d) < 0)
		return -1;
	struct facet_data *d = &t->d;
	if (d->n_organiser_labels > UINT16_MAX) {
		/* a packed row holds the organiser's index in 16 bits */
		log_error("search: more than %u organisers", UINT16_MAX);
		return -1;
	}
	t->row_org = xcalloc(d->n_rows, sizeof(*t->row_org));
	t->row_country = xcalloc(d->n_rows, sizeof(*t->row_country));
	t->fr = xcalloc(d->n_rows, sizeof(*t->fr));
	t->hits = xcalloc(d->n_rows ? d->n_rows : 1, sizeof(*t->hits));
	t->many_themes = d->n_theme_labels > 64;
	t->theme_idx = xcalloc(d->n_themes, sizeof(*t->theme_idx));
	t->countries = xcalloc(256, sizeof(*t->countries));
	for (size_t i = 0; i < d->n_themes; i++)
		t->theme_idx[i] = (uint32_t)label_index(d->theme_labels, d->n_theme_labels, d->themes[i]);
	int64_t last_org = -1;
	uint32_t last_idx = 0;
	for (size_t i = 0; i < d->n_rows; i++) {
		struct facet_row *r = &d->rows[i];
		if (r->organiser_id != last_org) {
			last_org = r->organiser_id;
			last_idx = (uint32_t)label_index(d->organiser_labels, d->n_organiser_labels,
							 r->organiser_id);
		}
		t->row_org[i] = last_idx;
		struct frow *f = &t->fr[i];
		f->starts = r->starts;
		f->ends = r->ends;
		f->combo = (uint16_t)combo_of(r);
		int y = (int)r->year - YEAR_MIN;
		f->year = (uint16_t)(y >= 0 && y < YEAR_SPAN ? y : YEAR_SPAN);
		f->org = (uint16_t)last_idx;
		for (uint16_t k = 0; k < r->n_themes && !t->many_themes; k++)
			f->themes |= UINT64_C(1) << t->theme_idx[r->theme_off + k];
		if (r->country[0] == '\0')
			continue;
		size_t c = 0;
		while (c < t->n_countries && memcmp(t->countries[c], r->country, 2) != 0)
			c++;
		if (c == t->n_countries && c < 255)
			memcpy(t->countries[t->n_countries++], r->country, 3);
		t->row_country[i] = (uint16_t)(c + 1);
		f->country = t->row_country[i];
	}
	/* ids are dense (deleted events leave gaps): a direct index, unless they are not */
	t->ix.rows = d->rows;
	t->ix.n_rows = d->n_rows;
	if (d->n_rows > 0) {
		uint64_t span = (uint64_t)(d->rows[d->n_rows - 1].id - d->rows[0].id) + 1;
		if (span <= 4 * (uint64_t)d->n_rows + 65536) {
			t->ix_row = xcalloc((size_t)span, sizeof(*t->ix_row));
			for (size_t i = 0; i < d->n_rows; i++)
				t->ix_row[d->rows[i].id - d->rows[0].id] = (uint32_t)(i + 1);
			t->ix.base = d->rows[0].id;
			t->ix.span = (size_t)span;
			t->ix.row = t->ix_row;
		}
	}
	t->version = version;
	t->loaded = 1;
	return 0;
}

static struct table *
thread_table(struct db *db)
{
	pthread_once(&table_once, table_key_init);
	struct table *t = pthread_getspecific(table_key);
	if (t == NULL) {
		t = xcalloc(1, sizeof(*t));
		pthread_setspecific(table_key, t);
	}
	uint64_t v = db_data_version(db);
	if (!t->loaded || t->version != v) {
		if (table_build(t, db, v) < 0)
			return NULL;
	}
	return t;
}

/* ---- one search ---- */

/* The selected values of a request as small sets of indexes into the table. */
struct criteria {
	uint32_t type_mask, part_mask, lang_mask, mode_mask, when_mask;
	uint64_t theme_mask;			/* the themes, unless many_themes */
	uint8_t *themes, *orgs, *countries;	/* membership by index */
	int any[DIM_COUNT];			/* the criterion restricts */
};

static void
criteria_build(struct arena *a, const struct table *t, const struct search_params *p,
	       struct criteria *c)
{
	memset(c, 0, sizeof(*c));
	c->themes = arena_alloc(a, t->d.n_theme_labels + 1);
	c->orgs = arena_alloc(a, t->d.n_organiser_labels + 1);
	c->countries = arena_alloc(a, t->n_countries + 1);
	for (int d = 0; d < DIM_COUNT; d++) {
		c->any[d] = p->n_values[d] > 0;
		for (size_t k = 0; k < p->n_values[d]; k++) {
			const char *v = p->values[d][k];
			switch ((enum search_dim)d) {
			case DIM_TYPE:
				c->type_mask |= 1u << event_type_from_code(v);
				break;
			case DIM_PARTICIPATION:
				c->part_mask |= 1u << participation_from_code(v);
				break;
			case DIM_LANGUAGE:
				c->lang_mask |= 1u << lang_from_code(v);
				break;
			case DIM_MODE:
				c->mode_mask |= 1u << search_code_index(search_mode_codes, 2, v);
				break;
			case DIM_WHEN:
				c->when_mask |= 1u << search_code_index(search_when_codes, 2, v);
				break;
			case DIM_THEME:
				for (size_t i = 0; i < t->d.n_theme_labels; i++)
					if (strcmp(t->d.theme_labels[i].n.slug, v) == 0) {
						c->themes[i] = 1;
						if (i < 64)
							c->theme_mask |= UINT64_C(1) << i;
					}
				break;
			case DIM_ORGANISER:
				for (size_t i = 0; i < t->d.n_organiser_labels; i++)
					if (strcmp(t->d.organiser_labels[i].n.slug, v) == 0)
						c->orgs[i] = 1;
				break;
			case DIM_COUNTRY:
				for (size_t i = 0; i < t->n_countries; i++)
					if (memcmp(t->countries[i], v, 2) == 0)
						c->countries[i] = 1;
				break;
			default:
				break;
			}
		}
	}
	c->any[DIM_YEAR] = p->from != 0 || p->to != 0;
}

/* The failures of the dimensions a combination decides, by combination. */
static void
combo_failures(const struct criteria *c, uint16_t *fail)
{
	for (unsigned k = 0; k < COMBO_COUNT; k++) {
		unsigned type = k & 7, part = (k >> COMBO_PART_SHIFT) & 3;
		unsigned mode = (k >> COMBO_MODE_SHIFT) & 1, langs = (k >> COMBO_LANG_SHIFT) & 7;
		unsigned when = (k >> COMBO_PAST_SHIFT) & 1, f = 0;
		if (c->any[DIM_TYPE] && !(c->type_mask & (1u << type)))
			f |= 1u << DIM_TYPE;
		if (c->any[DIM_PARTICIPATION] && !(c->part_mask & (1u << part)))
			f |= 1u << DIM_PARTICIPATION;
		if (c->any[DIM_LANGUAGE] && !(c->lang_mask & langs))
			f |= 1u << DIM_LANGUAGE;
		if (c->any[DIM_MODE] && !(c->mode_mask & (1u << mode)))
			f |= 1u << DIM_MODE;
		if (c->any[DIM_WHEN] && !(c->when_mask & (1u << when)))
			f |= 1u << DIM_WHEN;
		fail[k] = (uint16_t)f;
	}
}

/* Bit d set when row i fails criterion d, for the dimensions outside the combination. */
static unsigned
other_failures(const struct table *t, size_t i, const struct criteria *c,
	       const struct search_params *p)
{
	const struct frow *r = &t->fr[i];
	unsigned f = 0;
	if (c->any[DIM_YEAR] && ((p->from && r->starts < p->from) || (p->to && r->starts >= p->to)))
		f |= 1u << DIM_YEAR;
	if (c->any[DIM_ORGANISER] && !c->orgs[r->org])
		f |= 1u << DIM_ORGANISER;
	if (c->any[DIM_COUNTRY] && (r->country == 0 || !c->countries[r->country - 1]))
		f |= 1u << DIM_COUNTRY;
	if (c->any[DIM_THEME]) {
		int hit = (r->themes & c->theme_mask) != 0;
		const struct facet_row *fr = &t->d.rows[i];
		for (uint16_t k = 0; t->many_themes && k < fr->n_themes && !hit; k++)
			hit = c->themes[t->theme_idx[fr->theme_off + k]];
		if (!hit)
			f |= 1u << DIM_THEME;
	}
	return f;
}

/* Counters per facet value, indexed like the table's labels; countries and years with
 * one more slot in front or behind for rows without one. */
struct counts {
	size_t type[EVENT_TYPE_COUNT], part[PART_COUNT], lang[LANG_COUNT], mode[2], when[2];
	size_t year[YEAR_SPAN + 1];
	size_t combo[COMBO_COUNT];
	size_t *themes, *orgs, *countries;
};

static void
count_themes(const struct table *t, size_t i, struct counts *n)
{
	if (!t->many_themes) {
		for (uint64_t m = t->fr[i].themes; m != 0; m &= m - 1)
			n->themes[__builtin_ctzll(m)]++;
		return;
	}
	const struct facet_row *r = &t->d.rows[i];
	for (uint16_t k = 0; k < r->n_themes; k++)
		n->themes[t->theme_idx[r->theme_off + k]]++;
}

/* Counts a row that passes every criterion. */
static void
count_all(const struct table *t, size_t i, unsigned combo, struct counts *n)
{
	const struct frow *r = &t->fr[i];
	n->combo[combo]++;
	n->year[r->year]++;
	n->orgs[r->org]++;
	n->countries[r->country]++;
	count_themes(t, i, n);
}

/* Counts a row for the one dimension d it fails. */
static void
count_one(const struct table *t, size_t i, unsigned combo, int d, struct counts *n)
{
	const struct frow *r = &t->fr[i];
	switch (d) {
	case DIM_TYPE:
		n->type[combo & 7]++;
		break;
	case DIM_PARTICIPATION:
		n->part[(combo >> COMBO_PART_SHIFT) & 3]++;
		break;
	case DIM_LANGUAGE:
		for (int l = 0; l < LANG_COUNT; l++)
			if (combo & (1u << (COMBO_LANG_SHIFT + l)))
				n->lang[l]++;
		break;
	case DIM_MODE:
		n->mode[(combo >> COMBO_MODE_SHIFT) & 1]++;
		break;
	case DIM_WHEN:
		n->when[(combo >> COMBO_PAST_SHIFT) & 1]++;
		break;
	case DIM_YEAR:
		n->year[r->year]++;
		break;
	case DIM_ORGANISER:
		n->orgs[r->org]++;
		break;
	case DIM_COUNTRY:
		n->countries[r->country]++;
		break;
	case DIM_THEME:
		count_themes(t, i, n);
		break;
	default:
		break;
	}
}

/* Spreads the combinations counted by count_all over their dimensions. */
static void
count_combos(struct counts *n)
{
	for (unsigned k = 0; k < COMBO_COUNT; k++) {
		size_t v = n->combo[k];
		if (v == 0)
			continue;
		n->type[k & 7] += v;
		n->part[(k >> COMBO_PART_SHIFT) & 3] += v;
		n->mode[(k >> COMBO_MODE_SHIFT) & 1] += v;
		n->when[(k >> COMBO_PAST_SHIFT) & 1] += v;
		for (int l = 0; l < LANG_COUNT; l++)
			if (k & (1u << (COMBO_LANG_SHIFT + l)))
				n->lang[l] += v;
	}
}


static int sort_relevance(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->starts > y->starts ? -1 : x->starts < y->starts;
}

static int sort_newest(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	return x->starts > y->starts ? -1 : x->starts < y->starts;
}

static int sort_soonest(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	return x->starts < y->starts ? -1 : x->starts > y->starts;
}

/* Puts the k first hits (by cmp) in order at the front: quickselect, then a sort of
 * those k only, so a page of a 100,000-hit search does not sort them all. */
static void
partial_sort(struct hit *h, size_t n, size_t k, int (*cmp)(const void *, const void *))
{
	if (k > n)
		k = n;
	size_t lo = 0, hi = n;
	while (k < n && hi - lo > 1) {
		struct hit pivot = h[lo + (hi - lo) / 2], t;
		size_t i = lo, j = hi - 1;
		while (i <= j) {
			while (cmp(&h[i], &pivot) < 0)
				i++;
			while (cmp(&h[j], &pivot) > 0)
				j--;
			if (i <= j) {
				t = h[i], h[i] = h[j], h[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		/* [lo, j] <= pivot <= [i, hi) */
		if (k <= j)
			hi = j + 1;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	qsort(h, k, sizeof(*h), cmp);
}

static int
is_selected(const struct search_params *p, int d, const char *code)
{
	for (size_t k = 0; k < p->n_values[d]; k++)
		if (strcmp(p->values[d][k], code) == 0)
			return 1;
	return 0;
}

/* Adds a facet value when it has results or is selected (so it can be undone). */
static void
add_value(struct arena *a, struct search_result *out, int d, const char *code,
	  const char *label, size_t count, int selected, size_t cap)
{
	if (count == 0 && !selected)
		return;
	if (out->facets[d] == NULL)
		out->facets[d] = arena_alloc(a, cap * sizeof(struct facet_value));
	if (out->n_facets[d] == cap)
		return;
	struct facet_value *v = &out->facets[d][out->n_facets[d]++];
	v->code = code;
	v->label = label;
	v->count = count;
	v->selected = selected;
}

static int
by_count(const void *a, const void *b)
{
	const struct facet_value *x = a, *y = b;
	if (x->selected != y->selected)
		return y->selected - x->selected;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->label, y->label);
}

static const char *const mode_labels[2] = {N_("Virtual"), N_("In person")};
static const char *const when_labels[2] = {N_("Upcoming"), N_("Past")};

static void
facets_out(struct arena *a, const struct table *t, const struct counts *n,
	   const struct search_params *p, enum lang l, struct search_result *out)
{
	for (int k = 0; k < EVENT_TYPE_COUNT; k++) {
		const char *code = event_type_code((enum event_type)k);
		add_value(a, out, DIM_TYPE, code, events_type_label((enum event_type)k), n->type[k],
			  is_selected(p, DIM_TYPE, code), EVENT_TYPE_COUNT);
	}
	for (int k = 0; k < PART_COUNT; k++) {
		const char *code = participation_code((enum participation)k);
		add_value(a, out, DIM_PARTICIPATION, code, events_participation_label((enum participation)k), n->part[k],
			  is_selected(p, DIM_PARTICIPATION, code), PART_COUNT);
	}
	for (int k = 0; k < LANG_COUNT; k++) {
		const char *code = lang_code((enum lang)k);
		add_value(a, out, DIM_LANGUAGE, code, lang_native_name((enum lang)k), n->lang[k],
			  is_selected(p, DIM_LANGUAGE, code), LANG_COUNT);
	}
	for (int k = 0; k < 2; k++) {
		add_value(a, out, DIM_MODE, search_mode_codes[k], _(mode_labels[k]), n->mode[k],
			  is_selected(p, DIM_MODE, search_mode_codes[k]), 2);
		add_value(a, out, DIM_WHEN, search_when_codes[k], _(when_labels[k]), n->when[k],
			  is_selected(p, DIM_WHEN, search_when_codes[k]), 2);
	}
	for (int k = YEAR_SPAN - 1; k >= 0; k--) {
		int selected = p->from_s && p->to_s && atoi(p->from_s) == YEAR_MIN + k &&
			       atoi(p->to_s) == YEAR_MIN + k;
		if (n->year[k] == 0 && !selected)
			continue;
		const char *code = arena_printf(a, "%d", YEAR_MIN + k);
		add_value(a, out, DIM_YEAR, code, i18n_number_plain(a, l, YEAR_MIN + k),
			  n->year[k], selected, YEAR_SPAN);
	}
	size_t cap = t->d.n_theme_labels + SEARCH_MAX_VALUES;
	for (size_t k = 0; k < t->d.n_theme_labels; k++) {
		const struct facet_label *f = &t->d.theme_labels[k];
		add_value(a, out, DIM_THEME, f->n.slug, events_name_for(&f->n, l), n->themes[k],
			  is_selected(p, DIM_THEME, f->n.slug), cap);
	}
	cap = t->d.n_organiser_labels + SEARCH_MAX_VALUES;
	for (size_t k = 0; k < t->d.n_organiser_labels; k++) {
		const struct facet_label *f = &t->d.organiser_labels[k];
		add_value(a, out, DIM_ORGANISER, f->n.slug, events_name_for(&f->n, l), n->orgs[k],
			  is_selected(p, DIM_ORGANISER, f->n.slug), cap);
	}
	cap = t->n_countries + SEARCH_MAX_VALUES;
	for (size_t k = 0; k < t->n_countries; k++) {
		const char *code = t->countries[k];
		const char *name = i18n_country_name(a, l, code);
		add_value(a, out, DIM_COUNTRY, code, name ? name : code, n->countries[k + 1],
			  is_selected(p, DIM_COUNTRY, code), cap);
	}
	/* selected values the table does not know (no such slug): visible, count 0 */
	static const int named[] = {DIM_THEME, DIM_ORGANISER, DIM_COUNTRY};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		int d = named[i];
		for (size_t k = 0; k < p->n_values[d]; k++) {
			int known = 0;
			for (size_t j = 0; j < out->n_facets[d]; j++)
				known |= strcmp(out->facets[d][j].code, p->values[d][k]) == 0;
			if (!known)
				add_value(a, out, d, p->values[d][k], p->values[d][k], 0, 1,
					  SEARCH_MAX_VALUES + 300);
		}
	}
	static const int by_size[] = {DIM_THEME, DIM_ORGANISER, DIM_COUNTRY};
	for (size_t i = 0; i < sizeof(by_size) / sizeof(by_size[0]); i++)
		if (out->n_facets[by_size[i]] > 1)
			qsort(out->facets[by_size[i]], out->n_facets[by_size[i]],
			      sizeof(struct facet_value), by_count);
}

int
events_search(struct db *db, struct arena *a, const struct search_params *p, enum lang l,
	      int64_t now, struct search_result *out)
{
	memset(out, 0, sizeof(*out));
	struct table *t = thread_table(db);
	if (t == NULL)
		return -1;
	size_t rows = t->d.n_rows;

	struct search_query sq;
	search_parse_query(a, p->q, &sq);
	int relevance = sq.match != NULL && !p->sort_date;
	struct text_hits th = {0};
	int text = sq.match != NULL || sq.exclude != NULL;
	if (text) {
		if (events_text_hits(db, a, t->version, &t->ix, &sq, relevance, &th) < 0)
			return -1;
		out->text_searched = 1;
	}

	struct criteria c;
	criteria_build(a, t, p, &c);
	struct counts n;
	memset(&n, 0, sizeof(n));
	n.themes = arena_alloc(a, (t->d.n_theme_labels + 1) * sizeof(size_t));
	n.orgs = arena_alloc(a, (t->d.n_organiser_labels + 1) * sizeof(size_t));
	n.countries = arena_alloc(a, (t->n_countries + 1) * sizeof(size_t));	/* [0]: none */
	size_t candidates = text ? th.n : rows;
	struct hit *hits = t->hits;	/* rows of the table at most */
	size_t nh = 0;
	uint16_t fail[COMBO_COUNT];
	combo_failures(&c, fail);
	int others = c.any[DIM_YEAR] || c.any[DIM_ORGANISER] || c.any[DIM_COUNTRY] ||
		     c.any[DIM_THEME];
	for (size_t k = 0; k < candidates; k++) {
		size_t i = text ? th.rows[k] : k;
		/* the matched rows are scattered: ask for a row's line well before it is read */
		if (text && k + PREFETCH_AHEAD < candidates)
			__builtin_prefetch(&t->fr[th.rows[k + PREFETCH_AHEAD]]);
		const struct frow *r = &t->fr[i];
		unsigned combo = r->combo | (unsigned)(r->ends < now) << COMBO_PAST_SHIFT;
		unsigned f = fail[combo];
		if (others)
			f |= other_failures(t, i, &c, p);
		if (f == 0) {
			count_all(t, i, combo, &n);
			hits[nh].row = (uint32_t)i;
			hits[nh].score = text ? text_score(&th, k) : 0;
			hits[nh].starts = r->starts;
			hits[nh].langs = text ? th.flags[k] & ((1u << LANG_COUNT) - 1) : 0;
			nh++;
		} else if ((f & (f - 1)) == 0) {
			/* fails one criterion: counts for it */
			count_one(t, i, combo, __builtin_ctz(f), &n);
		}
	}
	count_combos(&n);
	out->total = nh;
	facets_out(a, t, &n, p, l, out);

	int upcoming_only = c.any[DIM_WHEN] && c.when_mask == 1;
	size_t first = (size_t)(p->page - 1) * SEARCH_PAGE_SIZE;
	partial_sort(hits, nh, first + SEARCH_PAGE_SIZE,
		     relevance ? sort_relevance : upcoming_only ? sort_soonest : sort_newest);

	size_t count = first < nh ? nh - first : 0;
	if (count > SEARCH_PAGE_SIZE)
		count = SEARCH_PAGE_SIZE;
	int64_t *ids = arena_alloc(a, (count ? count : 1) * sizeof(*ids));
	for (size_t i = 0; i < count; i++)
		ids[i] = t->d.rows[hits[first + i].row].id;
	if (events_by_ids(db, a, ids, count, &out->events, &out->n) < 0)
		return -1;
	out->snippets = arena_alloc(a, (out->n ? out->n : 1) * sizeof(*out->snippets));
	/* the snippet from the text shown if it matches, else from the first that does */
	struct snippet_query *snip = sq.match != NULL ? search_snippet_prepare(a, &sq) : NULL;
	for (size_t i = 0; snip != NULL && i < out->n; i++) {
		const struct event *e = &out->events[i];
		unsigned langs = 0;
		uint32_t row = 0;
		for (size_t k = 0; k < count; k++)
			if (t->d.rows[hits[first + k].row].id == e->id) {
				langs = hits[first + k].langs;
				row = hits[first + k].row;
			}
		enum lang shown;
		events_text_for(e, l, &shown);
		for (int k = -1; out->snippets[i] == NULL && k < LANG_COUNT; k++) {
			enum lang from = k < 0 ? shown : (enum lang)k;
			if ((k >= 0 && (from == shown || e->text[k].title == NULL)) ||
			    !(langs & (1u << from)))
				continue;
			out->snippets[i] = events_text_snippet(row, from);
			if (out->snippets[i] != NULL)
				break;
			out->snippets[i] = events_fts_snippet(db, a, from, e->id, snip);
			if (out->snippets[i] != NULL)
				events_text_keep_snippet(row, from, out->snippets[i]);
		}
	}
	/* other spellings only when the words find nothing together (not when the criteria
	 * leave nothing of what they find: the page offers to drop those), and only for
	 * the words that find nothing alone */
	if (text && th.n == 0 && sq.n_words > 0) {
		out->suggestions = arena_alloc(a, 5 * sizeof(*out->suggestions));
		for (size_t w = 0; w < sq.n_words && out->n_suggestions < 5; w++) {
			int found = events_fts_has_word(db, a, sq.words[w]);
			if (found < 0)
				return -1;
			if (found)
				continue;
			out->n_suggestions += events_fts_nearby(db, a, sq.words[w],
								out->suggestions + out->n_suggestions,
								5 - out->n_suggestions);
		}
	}
	return 0;
}
