/* events_search_store: the SQL of search — facet rows, events by id, FTS5 matching,
 * snippets and nearby words. Only this file (and events_index.c) names the FTS tables. */
#include <stdlib.h>
#include <string.h>

#include "core/core_log.h"
#include "core/core_time.h"
#include "core/core_utf8.h"
#include "events/events_search.h"
#include "render/render_tmpl.h"
#include "search/search.h"
#include "search/search_fts5.h"
#include "search/search_snippet.h"

static const char sql_rows[] =
	"SELECT e.id, e.starts, e.ends, e.organiser_id, coalesce(e.country, ''), e.type,"
	" e.participation, e.is_virtual,"
	" (SELECT group_concat(t.lang, '') FROM event_texts t WHERE t.event_id = e.id)"
	" FROM events e WHERE e.published = 1 ORDER BY e.id";
static const char sql_row_themes[] =
	"SELECT et.event_id, et.theme_id FROM event_themes et JOIN events e ON e.id = et.event_id"
	" WHERE e.published = 1 ORDER BY et.event_id, et.position";
static const char sql_theme_labels[] =
	"SELECT id, slug, name_ar, name_en, name_fr FROM themes ORDER BY slug";
static const char sql_organiser_labels[] =
	"SELECT id, slug, name_ar, name_en, name_fr FROM organisers ORDER BY slug";

/* FTS: one table per content language; tawama_rank (search_fts5.c) weights title 5,
 * body 1. */
static const char *const sql_match[LANG_COUNT] = {
	[LANG_AR] = "SELECT rowid, tawama_rank(events_fts_ar, 5.0, 1.0) FROM events_fts_ar"
		    " WHERE events_fts_ar MATCH ?1",
	[LANG_EN] = "SELECT rowid, tawama_rank(events_fts_en, 5.0, 1.0) FROM events_fts_en"
		    " WHERE events_fts_en MATCH ?1",
	[LANG_FR] = "SELECT rowid, tawama_rank(events_fts_fr, 5.0, 1.0) FROM events_fts_fr"
		    " WHERE events_fts_fr MATCH ?1",
};
/* the same without ranking, for date order and exclusions */
static const char *const sql_match_plain[LANG_COUNT] = {
	[LANG_AR] = "SELECT rowid, 0 FROM events_fts_ar WHERE events_fts_ar MATCH ?1",
	[LANG_EN] = "SELECT rowid, 0 FROM events_fts_en WHERE events_fts_en MATCH ?1",
	[LANG_FR] = "SELECT rowid, 0 FROM events_fts_fr WHERE events_fts_fr MATCH ?1",
};
/* one phrase read by tawama_scan (search_fts5.c), which does the rest itself */
static const char *const sql_scan[LANG_COUNT] = {
	[LANG_AR] = "SELECT tawama_scan(events_fts_ar, ?2) FROM events_fts_ar"
		    " WHERE events_fts_ar MATCH ?1 LIMIT 1",
	[LANG_EN] = "SELECT tawama_scan(events_fts_en, ?2) FROM events_fts_en"
		    " WHERE events_fts_en MATCH ?1 LIMIT 1",
	[LANG_FR] = "SELECT tawama_scan(events_fts_fr, ?2) FROM events_fts_fr"
		    " WHERE events_fts_fr MATCH ?1 LIMIT 1",
};
/* whether any row has a word */
static const char *const sql_has[LANG_COUNT] = {
	[LANG_AR] = "SELECT 1 FROM events_fts_ar WHERE events_fts_ar MATCH ?1 LIMIT 1",
	[LANG_EN] = "SELECT 1 FROM events_fts_en WHERE events_fts_en MATCH ?1 LIMIT 1",
	[LANG_FR] = "SELECT 1 FROM events_fts_fr WHERE events_fts_fr MATCH ?1 LIMIT 1",
};
/* the stored text of a row, for its snippet (search_snippet.c) */
static const char *const sql_text[LANG_COUNT] = {
	[LANG_AR] = "SELECT title, body FROM events_fts_ar WHERE rowid = ?1",
	[LANG_EN] = "SELECT title, body FROM events_fts_en WHERE rowid = ?1",
	[LANG_FR] = "SELECT title, body FROM events_fts_fr WHERE rowid = ?1",
};
/* nearby words: indexed terms sharing the first two characters, frequent first; then
 * one place where a term occurs, to read the word there (010_search_vocab_instance) */
static const char *const sql_vocab[LANG_COUNT] = {
	[LANG_AR] = "SELECT term, doc FROM events_vocab_ar WHERE term >= ?1 AND term < ?2"
		    " ORDER BY doc DESC LIMIT 500",
	[LANG_EN] = "SELECT term, doc FROM events_vocab_en WHERE term >= ?1 AND term < ?2"
		    " ORDER BY doc DESC LIMIT 500",
	[LANG_FR] = "SELECT term, doc FROM events_vocab_fr WHERE term >= ?1 AND term < ?2"
		    " ORDER BY doc DESC LIMIT 500",
};
static const char *const sql_instance[LANG_COUNT] = {
	[LANG_AR] = "SELECT doc, col, offset FROM events_vocab_inst_ar WHERE term = ?1 LIMIT 4",
	[LANG_EN] = "SELECT doc, col, offset FROM events_vocab_inst_en WHERE term = ?1 LIMIT 4",
	[LANG_FR] = "SELECT doc, col, offset FROM events_vocab_inst_fr WHERE term = ?1 LIMIT 4",
};

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (q == NULL)
		die("out of memory");
	return q;
}

/* Appends s to the string block (offsets, fixed up when the block is final). */
static size_t
put_string(struct buf *b, const char *s)
{
	if (s == NULL)
		return (size_t)-1;
	size_t off = b->len;
	buf_append(b, s, strlen(s) + 1);
	return off;
}

static int
load_labels(struct db *db, const char *sql, struct buf *strings, struct facet_label **out,
	    size_t *n)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		struct facet_label *f = &(*out)[(*n)++];
		f->id = db_col_int(st, 0);
		/* offsets for now, pointers once the block stops moving */
		f->n.slug = (const char *)(uintptr_t)put_string(strings, db_col_text(st, 1));
		for (int l = 0; l < LANG_COUNT; l++)
			f->n.name[l] = (const char *)(uintptr_t)put_string(strings, db_col_text(st, 2 + l));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static void
fix_labels(struct facet_label *f, size_t n, const char *block)
{
	for (size_t i = 0; i < n; i++) {
		size_t off = (size_t)(uintptr_t)f[i].n.slug;
		f[i].n.slug = off == (size_t)-1 ? "" : block + off;
		for (int l = 0; l < LANG_COUNT; l++) {
			off = (size_t)(uintptr_t)f[i].n.name[l];
			f[i].n.name[l] = off == (size_t)-1 ? NULL : block + off;
		}
	}
}

int
events_facet_load(struct db *db, struct facet_data *d)
{
	memset(d, 0, sizeof(*d));
	struct db_stmt *st = db_prepare(db, sql_rows);
	if (st == NULL)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (d->n_rows == cap) {
			cap = cap ? cap * 2 : 1024;
			d->rows = xrealloc(d->rows, cap * sizeof(*d->rows));
		}
		struct facet_row *r = &d->rows[d->n_rows++];
		memset(r, 0, sizeof(*r));
		r->id = db_col_int(st, 0);
		r->starts = db_col_int(st, 1);
		int64_t y;
		unsigned m, day;
		time_civil_from_days(r->starts >= 0 ? r->starts / 86400 : -((-r->starts + 86399) / 86400),
				     &y, &m, &day);
		r->year = (uint16_t)(y < 0 ? 0 : y > 9999 ? 9999 : y);
		r->ends = db_col_int(st, 2);
		r->organiser_id = db_col_int(st, 3);
		const char *c = db_col_text(st, 4);
		if (c != NULL && strlen(c) == 2)
			memcpy(r->country, c, 3);
		int t = event_type_from_code(db_col_text(st, 5));
		int p = participation_from_code(db_col_text(st, 6));
		r->type = (uint8_t)(t < 0 ? 0 : t);
		r->participation = (uint8_t)(p < 0 ? 0 : p);
		r->is_virtual = db_col_int(st, 7) != 0;
		const char *langs = db_col_text(st, 8);
		for (size_t i = 0; langs != NULL && langs[i] && langs[i + 1]; i += 2) {
			enum lang l = lang_from_code_n(langs + i, 2);
			if (l != LANG_NONE)
				r->langs |= (uint8_t)(1u << l);
		}
	}
	db_done(st);
	if (rc != DB_DONE)
		goto fail;

	st = db_prepare(db, sql_row_themes);
	if (st == NULL)
		goto fail;
	cap = 0;
	size_t row = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		while (row < d->n_rows && d->rows[row].id < id)
			row++;
		if (row == d->n_rows || d->rows[row].id != id)
			continue;
		if (d->rows[row].n_themes == 0)
			d->rows[row].theme_off = (uint32_t)d->n_themes;
		if (d->n_themes == cap) {
			cap = cap ? cap * 2 : 1024;
			d->themes = xrealloc(d->themes, cap * sizeof(*d->themes));
		}
		d->themes[d->n_themes++] = db_col_int(st, 1);
		d->rows[row].n_themes++;
	}
	db_done(st);
	if (rc != DB_DONE)
		goto fail;

	struct buf strings = BUF_INIT;
	if (load_labels(db, sql_theme_labels, &strings, &d->theme_labels, &d->n_theme_labels) < 0 ||
	    load_labels(db, sql_organiser_labels, &strings, &d->organiser_labels,
			&d->n_organiser_labels) < 0 ||
	    strings.failed) {
		buf_free(&strings);
		goto fail;
	}
	d->strings = buf_detach(&strings, NULL);
	fix_labels(d->theme_labels, d->n_theme_labels, d->strings);
	fix_labels(d->organiser_labels, d->n_organiser_labels, d->strings);
	return 0;
fail:
	events_facet_free(d);
	return -1;
}

void
events_facet_free(struct facet_data *d)
{
	free(d->rows);
	free(d->themes);
	free(d->theme_labels);
	free(d->organiser_labels);
	free(d->strings);
	memset(d, 0, sizeof(*d));
}

int
events_fts_each(struct db *db, const char *match, int rank,
		void (*fn)(void *, enum lang, int64_t, double), void *ctx)
{
	if (match == NULL)
		return 0;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct db_stmt *st = db_prepare(db, rank ? sql_match[l] : sql_match_plain[l]);
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, match);
		int rc;
		while ((rc = db_step(st)) == DB_ROW)
			fn(ctx, (enum lang)l, db_col_int(st, 0), db_col_double(st, 1));
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

int
events_fts_scan(struct db *db, enum lang l, const char *phrase, struct search_scan *s)
{
	struct db_stmt *st = db_prepare(db, sql_scan[l]);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, phrase);
	db_bind_pointer(st, 2, s, SEARCH_SCAN_TYPE);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Escapes a snippet and turns the \x01 \x02 markers into <mark></mark>. */
static const char *
snippet_html(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *p = s;
	while (*p != '\0') {
		size_t n = strcspn(p, "\x01\x02");
		if (n > 0) {
			char *chunk = arena_strndup(a, p, n);
			html_escape(&b, chunk);
			p += n;
		}
		if (*p == '\x01')
			buf_puts(&b, "<mark>");
		else if (*p == '\x02')
			buf_puts(&b, "</mark>");
		if (*p != '\0')
			p++;
	}
	const char *out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

const char *
events_fts_snippet(struct db *db, struct arena *a, enum lang l, int64_t id,
		   struct snippet_query *q)
{
	/* \x01 and \x02 mark a match, escaped into <mark> afterwards */
	static const struct search_snippet_marks marks = {"\x01", "\x02", "…", 24};
	struct db_stmt *st = db_prepare(db, sql_text[l]);
	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	const char *out = NULL;
	if (db_step(st) == DB_ROW) {
		const char *cols[2] = {db_col_text(st, 0), db_col_text(st, 1)};
		struct buf b = BUF_INIT;
		if (search_snippet(q, l, cols, 2, &marks, &b) == 1)
			out = snippet_html(a, buf_cstr(&b));
		buf_free(&b);
	}
	db_done(st);
	return out;
}

/* Levenshtein distance over code points, bounded by max (returns max + 1 beyond). */
static size_t
distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, size_t max)
{
	if ((na > nb ? na - nb : nb - na) > max || na > 64 || nb > 64)
		return max + 1;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		size_t best = cur[0];
		for (size_t j = 1; j <= nb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > max)
			return max + 1;
		memcpy(prev, cur, (nb + 1) * sizeof(size_t));
	}
	return prev[nb];
}

static size_t
decode(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0, len = strlen(s), i = 0;
	while (i < len && n < max) {
		uint32_t cp;
		int k = utf8_decode(s + i, len - i, &cp);
		if (k < 0)
			return 0;
		out[n++] = cp;
		i += (size_t)k;
	}
	return i < len ? 0 : n;
}

int
events_fts_has_word(struct db *db, struct arena *a, const char *word)
{
	/* an FTS5 string: quoted, quote marks doubled */
	struct buf b = BUF_INIT;
	buf_putc(&b, '"');
	for (const char *p = word; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(&b, '"');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '"');
	const char *expr = b.failed ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	if (expr == NULL)
		return -1;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct db_stmt *st = db_prepare(db, sql_has[l]);
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, expr);
		int rc = db_step(st);
		db_done(st);
		if (rc == DB_ERROR)
			return -1;
		if (rc == DB_ROW)
			return 1;
	}
	return 0;
}

/* The word at token position pos of a text, as the text writes it. */
struct at_position {
	size_t pos, seen;
	size_t start, end;
	int found;
};

static int
on_position(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct at_position *p = ctx;
	if (colocated && p->seen > 0)
		return 0;
	if (p->seen++ == p->pos) {
		p->start = start;
		p->end = end;
		p->found = 1;
		return 1;
	}
	return 0;
}

/* The word at token position off of column col of row doc of language l's table, as a
 * reader would type it (search_reader_word). NULL when not found. */
static const char *
word_at(struct db *db, struct arena *a, enum lang l, int64_t doc, int col, int64_t off,
	const char *typed)
{
	struct db_stmt *st = db_prepare(db, sql_text[l]);
	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, doc);
	const char *out = NULL;
	if (db_step(st) == DB_ROW && db_col_text(st, col) != NULL) {
		const char *text = db_col_text(st, col);
		struct at_position p = {.pos = (size_t)off};
		if (search_analyze(text, strlen(text), l, ANALYZE_INDEX, on_position, &p) >= 0 &&
		    p.found)
			out = search_reader_word(a, text + p.start, p.end - p.start, typed);
	}
	db_done(st);
	return out;
}

#define READER_PLACES 4		/* occurrences of a term looked at */

/* How readers write the indexed term of language l: the word at one of its first
 * occurrences, preferably one whose index form is the term itself (تدريب rather than
 * التدريبية for the stem تدريب). NULL when none is found. */
static const char *
reader_form(struct db *db, struct arena *a, enum lang l, const char *term, const char *typed)
{
	struct {
		int64_t doc, off;
		int col;
	} at[READER_PLACES];
	size_t n = 0;
	struct db_stmt *st = db_prepare(db, sql_instance[l]);
	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, term);
	while (n < READER_PLACES && db_step(st) == DB_ROW) {
		/* fts5vocab names the column */
		const char *name = db_col_text(st, 1);
		int col = name == NULL ? -1 : strcmp(name, "title") == 0 ? 0
					    : strcmp(name, "body") == 0	  ? 1
									  : -1;
		if (col < 0)
			continue;
		at[n].doc = db_col_int(st, 0);
		at[n].col = col;
		at[n++].off = db_col_int(st, 2);
	}
	db_done(st);
	const char *first = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *w = word_at(db, a, l, at[i].doc, at[i].col, at[i].off, typed);
		char form[256];
		if (w == NULL)
			continue;
		if (search_index_form(w, form, sizeof(form)) > 0 && strcmp(form, term) == 0)
			return w;
		if (first == NULL)
			first = w;
	}
	return first;
}

size_t
events_fts_nearby(struct db *db, struct arena *a, const char *typed, const char **out,
		  size_t max)
{
	/* compared as the index keeps words: folded, without the article */
	char word[256];
	uint32_t w[64], t[64];
	if (search_index_form(typed, word, sizeof(word)) == 0)
		return 0;
	size_t nw = decode(word, w, 64), found = 0;
	if (nw < 3 || max == 0)
		return 0;
	/* the range of terms that start with the word's first two characters (typing
	 * slips are rarely there, and a wider range reads far more of the index) */
	size_t len = strlen(word), head = 0;
	for (int c = 0; c < 2 && head < len; c++) {
		int k = utf8_decode(word + head, len - head, &(uint32_t){0});
		if (k < 0)
			return 0;
		head += (size_t)k;
	}
	char lo[16], hi[16];
	memcpy(lo, word, head);
	lo[head] = '\0';
	memcpy(hi, word, head);
	hi[head - 1]++;
	hi[head] = '\0';
	size_t limit = nw <= 4 ? 1 : 2;
	/* the terms first (a statement at a time), then how texts write them */
	const char *terms[LANG_COUNT][8];
	size_t n_terms[LANG_COUNT] = {0};
	for (int l = 0; l < LANG_COUNT && found < max; l++) {
		struct db_stmt *st = db_prepare(db, sql_vocab[l]);
		if (st == NULL)
			return 0;
		db_bind_text(st, 1, lo);
		db_bind_text(st, 2, hi);
		while (n_terms[l] < max && n_terms[l] < 8 && db_step(st) == DB_ROW) {
			const char *term = db_col_text(st, 0);
			size_t nt = term != NULL ? decode(term, t, 64) : 0;
			if (nt < 3 || strcmp(term, word) == 0)
				continue;
			if (distance(w, nw, t, nt, limit) > limit)
				continue;
			terms[l][n_terms[l]++] = arena_strdup(a, term);
		}
		db_done(st);
	}
	for (int l = 0; l < LANG_COUNT && found < max; l++) {
		for (size_t k = 0; k < n_terms[l] && found < max; k++) {
			const char *r = reader_form(db, a, (enum lang)l, terms[l][k], typed);
			if (r == NULL || *r == '\0' || strcmp(r, typed) == 0)
				continue;
			int dup = 0;
			for (size_t j = 0; j < found; j++)
				dup |= strcmp(out[j], r) == 0;
			if (!dup)
				out[found++] = r;
		}
	}
	return found;
}
