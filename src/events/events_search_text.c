/* events_search_text: the text part of a search — which rows of the facet table a query
 * matches and how they rank — phrase by phrase where the query allows it, and the
 * per-thread cache of those results. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_buf.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "events/events_search.h"
#include "search/search.h"
#include "search/search_fts5.h"

/*
 * A query is the AND of groups of alternatives (search_query.h). When it has one group
 * (a word, a phrase, a prefix, a OR b), every phrase of the group is read on its own in
 * each language with tawama_scan, which says for each row whether the phrase is in the
 * title and how often it occurs: that is everything the ranking needs, so one pass over
 * the index does the work of the three SQL passes before (rows, then rank or titles).
 * The rank is tawama_rank's, summed in the same order, so it is the same number.
 * Exclusions are always an OR: their phrases are read the same way. A query of several
 * groups (an AND) goes through FTS5's own AND, which skips through the longer lists
 * instead of reading them.
 */

#define MARK_MATCH 1u
#define MARK_TITLE 2u
#define MARK_EXCLUDED 4u
#define MARK_LANG 8u		/* matched in the language being read */

static const double title_weights[2] = {5.0, 1.0};

/* A growing list of (row, hits) of one phrase in one language. */
struct phrase_rows {
	uint32_t *row;
	double *hits;
	size_t n, cap;
};

/* The state of one text search over the facet table's rows. */
struct text_run {
	const struct row_index *ix;
	size_t n_rows;
	uint8_t *mark;
	uint8_t *langs;		/* languages whose text matches the positive part */
	int lang;		/* being read */
	size_t pos;		/* where the last id was found: ids come in order */
	struct phrase_rows list;
	size_t kept;		/* rows of the phrase not excluded */
	int keep_hits;		/* the phrase's rows and hits are listed */
	int hits_complete;	/* every phrase so far had its hits counted */
	uint8_t set;		/* MARK_MATCH or MARK_EXCLUDED */
};

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (q == NULL)
		die("out of memory");
	return q;
}

static size_t
row_of(const struct text_run *r, int64_t id)
{
	const struct row_index *ix = r->ix;
	if (ix->row != NULL) {
		if (id < ix->base || (uint64_t)(id - ix->base) >= ix->span)
			return (size_t)-1;
		return (size_t)ix->row[id - ix->base] - 1;	/* 0 - 1: none */
	}
	const struct facet_row *rows = ix->rows;
	size_t n = ix->n_rows, i = r->pos;
	/* ids come in ascending order within a table: step forward a little, else search */
	while (i < n && rows[i].id < id && i - r->pos < 8)
		i++;
	if (i < n && rows[i].id == id)
		return i;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && rows[lo].id == id ? lo : (size_t)-1;
}

static int
on_scan_row(void *ctx, int64_t id, int in_title)
{
	struct text_run *r = ctx;
	size_t i = row_of(r, id);
	if (i == (size_t)-1)
		return 0;	/* not in the facet table (changed since it was loaded) */
	r->pos = i;
	if (r->set == MARK_EXCLUDED) {
		r->mark[i] |= MARK_EXCLUDED;
		return 0;
	}
	r->mark[i] |= MARK_MATCH | (in_title ? MARK_TITLE : 0);
	r->langs[i] |= (uint8_t)(1u << r->lang);
	if (!r->keep_hits || (r->mark[i] & MARK_EXCLUDED))
		return 0;
	if (++r->kept > SEARCH_RANK_ALL) {
		/* more results than are ranked: the hits will not be needed */
		r->hits_complete = 0;
		r->keep_hits = 0;
		return 0;
	}
	struct phrase_rows *l = &r->list;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->row = xrealloc(l->row, l->cap * sizeof(*l->row));
		l->hits = xrealloc(l->hits, l->cap * sizeof(*l->hits));
	}
	l->row[l->n] = (uint32_t)i;
	l->hits[l->n++] = 0;
	return 1;
}

static void
on_scan_hits(void *ctx, double hits)
{
	struct text_run *r = ctx;
	r->list.hits[r->list.n - 1] = hits;
}

static int
scan(struct db *db, struct text_run *r, enum lang l, const struct search_term *t,
     struct search_scan *s)
{
	*s = (struct search_scan){
		.weight = {title_weights[0], title_weights[1]},
		.row = on_scan_row,
		.hits = on_scan_hits,
		.ctx = r,
	};
	r->pos = 0;
	r->lang = l;
	r->set = t->excluded ? MARK_EXCLUDED : MARK_MATCH;
	r->kept = 0;
	r->list.n = 0;
	return events_fts_scan(db, l, t->expr, s);
}

/* Reads the exclusions and then, with positive, the positive group (there is one)
 * phrase by phrase. best[] gets each matched row's rank (the best of its languages)
 * while every phrase had few enough rows left after the exclusions to be ranked (their
 * hits are counted); *ranked says whether they had. */
static int
scan_phrases(struct db *db, struct text_run *r, const struct search_query *sq, int positive,
	     double *best, double *sum, int *ranked)
{
	struct search_scan s;
	*ranked = 0;
	for (int l = 0; l < LANG_COUNT; l++)
		for (size_t k = 0; k < sq->n_terms; k++)
			if (sq->terms[k].excluded && scan(db, r, (enum lang)l, &sq->terms[k], &s) < 0)
				return -1;
	if (!positive)
		return 0;
	r->hits_complete = 1;
	for (int l = 0; l < LANG_COUNT; l++) {
		/* the rows matched in this language, for its share of the rank */
		uint32_t *in_lang = NULL;
		size_t n_in_lang = 0, cap_in_lang = 0;
		for (size_t k = 0; k < sq->n_terms; k++) {
			const struct search_term *t = &sq->terms[k];
			if (t->excluded)
				continue;
			r->keep_hits = r->hits_complete;
			if (scan(db, r, (enum lang)l, t, &s) < 0) {
				free(in_lang);
				return -1;
			}
			if (!r->keep_hits)
				continue;
			double idf = search_rank_idf(s.table_rows, (int64_t)s.rows);
			for (size_t j = 0; j < r->list.n; j++) {
				uint32_t i = r->list.row[j];
				if (!(r->mark[i] & MARK_LANG)) {
					r->mark[i] |= MARK_LANG;
					sum[i] = 0;
					if (n_in_lang == cap_in_lang) {
						cap_in_lang = cap_in_lang ? cap_in_lang * 2 : 1024;
						in_lang = xrealloc(in_lang, cap_in_lang * sizeof(*in_lang));
					}
					in_lang[n_in_lang++] = i;
				}
				sum[i] += search_rank_share(idf, r->list.hits[j]);
			}
		}
		for (size_t j = 0; j < n_in_lang; j++) {
			uint32_t i = in_lang[j];
			r->mark[i] &= (uint8_t)~MARK_LANG;
			if (r->hits_complete && -sum[i] < best[i])
				best[i] = -sum[i];
		}
		free(in_lang);
	}
	*ranked = r->hits_complete;
	return 0;
}

/* SQL passes over the whole expression (FTS5's AND): one call per matching row. */
struct pass {
	struct text_run *r;
	double *best;
	int title;		/* a pass over titles: mark them */
};

static void
on_pass_row(void *ctx, enum lang l, int64_t id, double score)
{
	struct pass *p = ctx;
	size_t i = row_of(p->r, id);
	if (i == (size_t)-1)
		return;
	p->r->pos = i;
	p->r->langs[i] |= (uint8_t)(1u << l);
	if (p->title)
		p->r->mark[i] |= MARK_TITLE;
	else if (p->best != NULL) {
		if (score < p->best[i])
			p->best[i] = score;	/* the best language wins */
	} else
		p->r->mark[i] |= MARK_MATCH;
}

/* ---- per thread: the cache of results for the data version they were computed on,
 * and the working arrays of a search ---- */

/* A snippet made for a row of a kept result (a page shown again shows the same). */
struct kept_snippet {
	uint32_t row;
	uint8_t lang;
	char *html;
};

#define SNIPPETS_KEPT 200	/* per result: ten pages */

struct cached {
	char *key;		/* what FTS5 reads of the query (make_key) */
	int ranked;
	size_t n;
	uint32_t *rows;
	uint8_t *flags;		/* as in struct text_hits */
	double *score;		/* NULL: none */
	double cost;		/* microseconds it took to compute */
	double value;		/* GreedyDual: the clock when last used, plus cost */
	struct kept_snippet *snippets;
	size_t n_snippets, snippet_bytes;
};

#define CACHE_BYTES (32u << 20)	/* per thread */

/*
 * Which results to keep: GreedyDual (Young; Cao and Irani), the least valuable go first,
 * an entry's value being what it costs to compute again added to a clock that moves up
 * to the value of each entry evicted. Results that took long to compute (a word in most
 * events, a prefix) outlive cheap ones used as recently; ones not used for a while age
 * out however costly. A search pattern that cycles through more texts than fit (every
 * benchmark) then keeps the costly ones, where least-recently-used would keep none.
 */
struct text_thread {
	uint64_t version;
	double clock;
	struct cached *e;
	size_t n, cap;
	size_t bytes;
	struct cached last;	/* the last result when not kept */
	struct cached *current;	/* the last result when kept, until the next search */
	/* working arrays, by row of the facet table */
	uint8_t *mark, *langs;
	double *best, *sum;
	size_t rows_cap;
};

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void
cached_free(struct cached *c)
{
	free(c->key);
	free(c->rows);
	free(c->score);
	free(c->flags);
	for (size_t i = 0; i < c->n_snippets; i++)
		free(c->snippets[i].html);
	free(c->snippets);
}

static void
cache_clear(struct text_thread *c)
{
	for (size_t i = 0; i < c->n; i++)
		cached_free(&c->e[i]);
	c->n = 0;
	c->bytes = 0;
	c->clock = 0;
}

static void
thread_destroy(void *p)
{
	struct text_thread *c = p;
	cache_clear(c);
	cached_free(&c->last);
	free(c->e);
	free(c->mark);
	free(c->langs);
	free(c->best);
	free(c->sum);
	free(c);
}

static void
thread_key_init(void)
{
	if (pthread_key_create(&thread_key, thread_destroy) != 0)
		die("pthread_key_create failed");
}

/* The calling thread's state, its cache emptied when the data changed, its working
 * arrays large enough for rows rows. */
static struct text_thread *
thread_state(uint64_t version, size_t rows)
{
	pthread_once(&thread_once, thread_key_init);
	struct text_thread *c = pthread_getspecific(thread_key);
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL)
			die("out of memory");
		pthread_setspecific(thread_key, c);
	}
	c->current = NULL;
	if (c->version != version) {
		cache_clear(c);
		c->version = version;
	}
	if (rows > c->rows_cap) {
		c->mark = xrealloc(c->mark, rows);
		c->langs = xrealloc(c->langs, rows);
		c->best = xrealloc(c->best, rows * sizeof(*c->best));
		c->sum = xrealloc(c->sum, rows * sizeof(*c->sum));
		c->rows_cap = rows;
	}
	return c;
}

static size_t
cached_bytes(const struct cached *e)
{
	return e->n * (sizeof(*e->rows) + sizeof(*e->flags)) +
	       (e->score != NULL ? e->n * sizeof(*e->score) : 0) + strlen(e->key) + 1 +
	       e->snippet_bytes;
}

static void
cache_drop(struct text_thread *c, size_t i)
{
	c->bytes -= cached_bytes(&c->e[i]);
	cached_free(&c->e[i]);
	c->e[i] = c->e[--c->n];
}

static struct cached *
cache_find(struct text_thread *c, const char *key, int ranked)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].key, key) != 0)
			continue;
		if (c->e[i].ranked < ranked) {
			cache_drop(c, i);	/* to be replaced by a ranked one */
			return NULL;
		}
		c->e[i].value = c->clock + c->e[i].cost;
		return &c->e[i];
	}
	return NULL;
}

/* Keeps e (taking its buffers), evicting the least valuable entries to make room.
 * Returns the kept entry, or NULL when it is not kept (then e is untouched). */
static struct cached *
cache_put(struct text_thread *c, struct cached *e)
{
	size_t need = cached_bytes(e), max = (size_t)config_search_cache();
	if (max == 0 || need > CACHE_BYTES)
		return NULL;
	while (c->n > 0 && (c->n >= max || c->bytes + need > CACHE_BYTES)) {
		size_t low = 0;
		for (size_t i = 1; i < c->n; i++)
			if (c->e[i].value < c->e[low].value)
				low = i;
		c->clock = c->e[low].value;
		cache_drop(c, low);
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->e = xrealloc(c->e, c->cap * sizeof(*c->e));
	}
	e->value = c->clock + e->cost;
	c->e[c->n] = *e;
	c->bytes += need;
	return &c->e[c->n++];
}

static double
cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* ---- one text search ---- */

/* The key of a query in the cache: what FTS5 reads of it, so that spellings the
 * analyzer makes one (التوأمة, التوامه, توأمة) share their result. For each term: its
 * kind, its group, and its tokens as the table of each language reads them. */
static int
on_key_token(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct buf *b = ctx;
	buf_putc(b, colocated ? '|' : ' ');
	buf_append(b, text, len);
	return 0;
}

static char *
make_key(const struct search_query *sq)
{
	struct buf b = BUF_INIT;
	for (size_t k = 0; k < sq->n_terms; k++) {
		const struct search_term *t = &sq->terms[k];
		buf_printf(&b, "%c%zu%s", t->excluded ? '-' : '+', t->group, t->prefix ? "*" : "");
		for (int l = 0; l < LANG_COUNT; l++) {
			buf_putc(&b, '\x1f');
			if (search_analyze(t->text, strlen(t->text), (enum lang)l,
					   t->prefix ? ANALYZE_PREFIX : ANALYZE_QUERY, on_key_token,
					   &b) < 0) {
				/* cannot say what FTS5 reads: the query as typed, never shared */
				buf_reset(&b);
				buf_puts(&b, "\x1e");
				buf_puts(&b, sq->match ? sq->match : "");
				buf_putc(&b, '\n');
				buf_puts(&b, sq->exclude ? sq->exclude : "");
				break;
			}
		}
		buf_putc(&b, '\n');
	}
	if (b.failed)
		die("out of memory");
	char *key = buf_detach(&b, NULL);
	if (key == NULL) {
		key = strdup("");
		if (key == NULL)
			die("out of memory");
	}
	return key;
}

static int
compute(struct db *db, struct arena *a, struct text_thread *th, const struct row_index *ix,
	const struct search_query *sq, int ranked, struct cached *out)
{
	size_t n_rows = ix->n_rows;
	struct text_run r = {.ix = ix, .n_rows = n_rows, .mark = th->mark, .langs = th->langs};
	double *best = th->best, *sum = th->sum;
	memset(r.mark, 0, n_rows);
	memset(r.langs, 0, n_rows);
	for (size_t i = 0; i < n_rows; i++)
		best[i] = INFINITY;
	int rc = -1, have_rank = 0;
	int by_phrase = sq->match == NULL || sq->n_groups == 1;
	if (by_phrase) {
		if (scan_phrases(db, &r, sq, 1, best, sum, &have_rank) < 0)
			goto out;
	} else {
		struct pass p = {&r, NULL, 0};
		if (events_fts_each(db, sq->match, 0, on_pass_row, &p) < 0)
			goto out;
		/* the exclusions alone, phrase by phrase */
		if (scan_phrases(db, &r, sq, 0, best, sum, &have_rank) < 0)
			goto out;
	}

	size_t n = 0;
	for (size_t i = 0; i < n_rows; i++) {
		uint8_t m = r.mark[i];
		n += !(m & MARK_EXCLUDED) && (sq->match == NULL || (m & MARK_MATCH));
	}
	out->n = n;
	out->rows = malloc((n ? n : 1) * sizeof(*out->rows));
	out->flags = malloc(n ? n : 1);
	if (out->rows == NULL || out->flags == NULL)
		die("out of memory");
	out->ranked = sq->match == NULL || have_rank || n == 0;
	if (sq->match != NULL && n <= SEARCH_RANK_ALL && n > 0 && ranked && !have_rank) {
		/* ranked by the whole expression: tawama_rank over FTS5's own query */
		struct pass p = {&r, best, 0};
		r.pos = 0;
		if (events_fts_each(db, sq->match, 1, on_pass_row, &p) < 0)
			goto out;
		out->ranked = 1;
	} else if (sq->match != NULL && n > SEARCH_RANK_ALL && ranked && !by_phrase) {
		struct pass p = {&r, NULL, 1};
		r.pos = 0;
		const char *in_title = arena_printf(a, "{title} : (%s)", sq->match);
		if (events_fts_each(db, in_title, 0, on_pass_row, &p) < 0)
			goto out;
		out->ranked = 1;
	} else if (sq->match != NULL && n > SEARCH_RANK_ALL && by_phrase) {
		out->ranked = 1;	/* the scans saw the titles */
	}
	/* ranked: the rank up to SEARCH_RANK_ALL results; above, title matches first (a
	 * flag is enough) */
	int scored = sq->match != NULL && out->ranked && n <= SEARCH_RANK_ALL;
	if (scored) {
		out->score = malloc((n ? n : 1) * sizeof(*out->score));
		if (out->score == NULL)
			die("out of memory");
	}
	int titles = sq->match != NULL && out->ranked && n > SEARCH_RANK_ALL;
	size_t k = 0;
	for (size_t i = 0; i < n_rows; i++) {
		uint8_t m = r.mark[i];
		if ((m & MARK_EXCLUDED) || (sq->match != NULL && !(m & MARK_MATCH)))
			continue;
		out->rows[k] = (uint32_t)i;
		out->flags[k] = r.langs[i] | (titles && (m & MARK_TITLE) ? TEXT_IN_TITLE : 0);
		if (scored)
			out->score[k] = best[i];
		k++;
	}
	rc = 0;
out:
	free(r.list.row);
	free(r.list.hits);
	if (rc < 0) {
		free(out->rows);
		free(out->score);
		free(out->flags);
		out->rows = NULL;
		out->score = NULL;
		out->flags = NULL;
	}
	return rc;
}

int
events_text_hits(struct db *db, struct arena *a, uint64_t version, const struct row_index *ix,
		 const struct search_query *sq, int ranked, struct text_hits *out)
{
	memset(out, 0, sizeof(*out));
	struct text_thread *c = thread_state(version, ix->n_rows ? ix->n_rows : 1);
	char *key = make_key(sq);
	struct cached *e = cache_find(c, key, ranked);
	if (e != NULL) {
		free(key);
		out->cached = 1;
	} else {
		struct cached fresh = {.key = key};
		double t0 = cpu_us();
		if (compute(db, a, c, ix, sq, ranked, &fresh) < 0) {
			free(key);
			return -1;
		}
		fresh.cost = cpu_us() - t0;
		e = cache_put(c, &fresh);
		if (e == NULL) {
			/* not kept: valid until the next call, as the header says */
			cached_free(&c->last);
			c->last = fresh;
			e = &c->last;
		}
	}
	c->current = e == &c->last ? NULL : e;
	out->rows = e->rows;
	out->score = e->score;
	out->flags = e->flags;
	out->n = e->n;
	out->ranked = e->ranked;
	return 0;
}

const char *
events_text_snippet(uint32_t row, enum lang l)
{
	struct text_thread *c = pthread_getspecific(thread_key);
	struct cached *e = c != NULL ? c->current : NULL;
	for (size_t i = 0; e != NULL && i < e->n_snippets; i++)
		if (e->snippets[i].row == row && e->snippets[i].lang == l)
			return e->snippets[i].html;
	return NULL;
}

void
events_text_keep_snippet(uint32_t row, enum lang l, const char *html)
{
	struct text_thread *c = pthread_getspecific(thread_key);
	struct cached *e = c != NULL ? c->current : NULL;
	size_t len = strlen(html) + 1;
	if (e == NULL || e->n_snippets == SNIPPETS_KEPT || c->bytes + len > CACHE_BYTES)
		return;
	if (e->n_snippets == 0)
		e->snippets = xrealloc(NULL, SNIPPETS_KEPT * sizeof(*e->snippets));
	char *copy = xrealloc(NULL, len);
	memcpy(copy, html, len);
	e->snippets[e->n_snippets++] = (struct kept_snippet){row, (uint8_t)l, copy};
	e->snippet_bytes += len;
	c->bytes += len;
}
