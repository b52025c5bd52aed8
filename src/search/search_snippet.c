/* search_snippet: the snippet of a stored text for a query, computed with the analyzer
 * the way FTS5's snippet() computes it, without running the query again for the row. */
#include <stdlib.h>
#include <string.h>

#include "core/core_log.h"
#include "search/search.h"
#include "search/search_snippet.h"

/*
 * FTS5's snippet(t, -1, open, close, ellipsis, n) runs the full-text query again for
 * each row it is asked about; for a prefix query that means merging the lists of every
 * word with that beginning, again for every row of the page (100 ms for a page of
 * twenty). What it computes needs only the text and the query: the tokens of each
 * column (the analyzer in ANALYZE_INDEX mode, as FTS5 reads the stored text) and where
 * each phrase of the query occurs among them. This file does that in one reading of the
 * text and then chooses the window and marks it by the same rules as FTS5:
 *
 * - an instance is a phrase occurring at a position (a position holds a word's stem and
 *   its colocated forms; the phrase's tokens must meet consecutive positions; the last
 *   token of a prefix phrase need only begin a token there); instances are ordered by
 *   column, position, phrase;
 * - a window of n tokens is scored 1000 for each phrase it holds and 1 for each repeat;
 *   for each instance, the window around it (centred on the instances it holds, kept
 *   inside the column) and the window from the start of its sentence (a token after
 *   '.' or ':' and white space, or the first; bonus 100, 120 for the first) compete;
 *   the first best wins, the title (column 0) on no score at all;
 * - overlapping instances are marked as one; an ellipsis stands where the window cuts.
 */

#define MAX_ALTS 4		/* alternatives of one query token (colocated forms) */

struct qtoken {
	const char *alt[MAX_ALTS];
	size_t len[MAX_ALTS];
	int n_alts;
	int prefix;
};

struct qphrase {
	struct qtoken *tok;
	int n;
};

struct snippet_query {
	const struct search_query *sq;
	struct arena *a;
	struct qphrase *phrase[LANG_COUNT];	/* the positive terms, analyzed per language */
	size_t *group;				/* of each phrase */
	int n_phrases;
	int ready[LANG_COUNT];
};

struct snippet_query *
search_snippet_prepare(struct arena *a, const struct search_query *sq)
{
	struct snippet_query *q = arena_alloc(a, sizeof(*q));
	q->sq = sq;
	q->a = a;
	q->group = arena_alloc(a, (sq->n_terms ? sq->n_terms : 1) * sizeof(*q->group));
	for (size_t i = 0; i < sq->n_terms; i++)
		if (!sq->terms[i].excluded)
			q->group[q->n_phrases++] = sq->terms[i].group;
	return q;
}

/* Reading a query phrase into tokens. */
struct qread {
	struct arena *a;
	struct qtoken *tok;
	int n, cap;
};

static int
on_query_token(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct qread *r = ctx;
	if (colocated && r->n > 0) {
		struct qtoken *t = &r->tok[r->n - 1];
		if (t->n_alts < MAX_ALTS) {
			t->alt[t->n_alts] = arena_strndup(r->a, text, len);
			t->len[t->n_alts++] = len;
		}
		return 0;
	}
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 8;
		struct qtoken *n = arena_alloc(r->a, (size_t)cap * sizeof(*n));
		if (r->n > 0)
			memcpy(n, r->tok, (size_t)r->n * sizeof(*n));
		r->tok = n;
		r->cap = cap;
	}
	struct qtoken *t = &r->tok[r->n++];
	memset(t, 0, sizeof(*t));
	t->alt[0] = arena_strndup(r->a, text, len);
	t->len[0] = len;
	t->n_alts = 1;
	return 0;
}

/* The phrases as the FTS5 table of language l reads them: its tokenizer runs with l. */
static int
prepare_lang(struct snippet_query *q, enum lang l)
{
	if (q->ready[l])
		return 0;
	q->phrase[l] = arena_alloc(q->a, (size_t)(q->n_phrases ? q->n_phrases : 1) *
					     sizeof(struct qphrase));
	int k = 0;
	for (size_t i = 0; i < q->sq->n_terms; i++) {
		const struct search_term *t = &q->sq->terms[i];
		if (t->excluded)
			continue;
		struct qread r = {.a = q->a};
		/* FTS5 hands a prefix phrase to the tokenizer whole, in prefix mode; the star
		 * applies to its last token */
		if (search_analyze(t->text, strlen(t->text), l,
				   t->prefix ? ANALYZE_PREFIX : ANALYZE_QUERY, on_query_token,
				   &r) < 0)
			return -1;
		if (t->prefix && r.n > 0)
			r.tok[r.n - 1].prefix = 1;
		q->phrase[l][k].tok = r.tok;
		q->phrase[l][k].n = r.n;
		k++;
	}
	q->ready[l] = 1;
	return 0;
}

/* ---- the tokens of a text ---- */

struct dpos {
	size_t start, end;	/* bytes of the surface word */
	size_t tok, n_tok;	/* its tokens in doc.tok */
};

struct dtok {
	size_t off, len;	/* in doc.bytes */
};

struct doc {
	struct dpos *pos;
	size_t n_pos, cap_pos;
	struct dtok *tok;
	size_t n_tok, cap_tok;
	char *bytes;
	size_t n_bytes, cap_bytes;
};

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(p, c * size);
	if (q == NULL)
		die("out of memory");
	*cap = c;
	return q;
}

static int
on_doc_token(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct doc *d = ctx;
	if (!colocated || d->n_pos == 0) {
		d->pos = grow(d->pos, &d->cap_pos, d->n_pos + 1, sizeof(*d->pos));
		d->pos[d->n_pos++] = (struct dpos){start, end, d->n_tok, 0};
	}
	d->tok = grow(d->tok, &d->cap_tok, d->n_tok + 1, sizeof(*d->tok));
	d->bytes = grow(d->bytes, &d->cap_bytes, d->n_bytes + len, 1);
	memcpy(d->bytes + d->n_bytes, text, len);
	d->tok[d->n_tok++] = (struct dtok){d->n_bytes, len};
	d->n_bytes += len;
	d->pos[d->n_pos - 1].n_tok++;
	return 0;
}

static void
doc_free(struct doc *d)
{
	free(d->pos);
	free(d->tok);
	free(d->bytes);
}

/* Whether query token q meets a token at position p of d. */
static int
meets(const struct doc *d, size_t p, const struct qtoken *q)
{
	const struct dpos *dp = &d->pos[p];
	for (size_t i = 0; i < dp->n_tok; i++) {
		const struct dtok *t = &d->tok[dp->tok + i];
		const char *s = d->bytes + t->off;
		for (int k = 0; k < q->n_alts; k++) {
			if (q->prefix ? t->len >= q->len[k] && memcmp(s, q->alt[k], q->len[k]) == 0
				      : t->len == q->len[k] && memcmp(s, q->alt[k], t->len) == 0)
				return 1;
		}
	}
	return 0;
}

/* ---- instances ---- */

struct inst {
	int phrase, col;
	size_t off;
};

struct insts {
	struct inst *v;
	size_t n, cap;
};

/* Appends the instances of every phrase in column col, ordered by position, phrase. */
static void
find_instances(const struct doc *d, const struct qphrase *ph, int n_ph, int col,
	       struct insts *out)
{
	for (size_t p = 0; p < d->n_pos; p++) {
		for (int i = 0; i < n_ph; i++) {
			const struct qphrase *f = &ph[i];
			if (f->n == 0 || p + (size_t)f->n > d->n_pos)
				continue;
			int ok = 1;
			for (int k = 0; k < f->n && ok; k++)
				ok = meets(d, p + (size_t)k, &f->tok[k]);
			if (!ok)
				continue;
			out->v = grow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
			out->v[out->n++] = (struct inst){i, col, p};
		}
	}
}

/* Positions where a sentence starts in column text: the first, and each token after
 * '.' or ':' followed by white space. */
static size_t *
sentence_starts(const char *text, const struct doc *d, size_t *n)
{
	size_t *first = malloc((d->n_pos ? d->n_pos : 1) * sizeof(*first));
	if (first == NULL)
		die("out of memory");
	*n = 0;
	for (size_t p = 0; p < d->n_pos; p++) {
		if (p == 0) {
			first[(*n)++] = 0;
			continue;
		}
		size_t i = d->pos[p].start;
		int space = 0;
		while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n' ||
				 text[i - 1] == '\r')) {
			i--;
			space = 1;
		}
		if (space && i > 0 && (text[i - 1] == '.' || text[i - 1] == ':'))
			first[(*n)++] = p;
	}
	return first;
}

/* The score of the window of n tokens from pos in column col; with adj, the window
 * moved to centre the instances it holds, inside the column of size tokens. */
static int
window_score(const struct insts *in, const struct qphrase *ph, int n_ph, int col, size_t pos,
	     size_t n, size_t size, size_t *adj)
{
	unsigned char seen[64] = {0};
	int score = 0;
	long first = -1, last = 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct inst *x = &in->v[i];
		if (x->col != col || x->off < pos || x->off >= pos + n)
			continue;
		int ip = x->phrase < 64 ? x->phrase : 63;
		score += seen[ip] ? 1 : 1000;
		seen[ip] = 1;
		if (first < 0)
			first = (long)x->off;
		last = (long)x->off + (x->phrase < n_ph ? ph[x->phrase].n : 1);
	}
	if (adj != NULL) {
		long a = first - ((long)n - (last - first)) / 2;
		if (a + (long)n > (long)size)
			a = (long)size - (long)n;
		if (a < 0)
			a = 0;
		*adj = (size_t)a;
	}
	return score;
}

/* Iterates the instances of one column merged where they overlap. */
struct merged {
	const struct insts *in;
	const struct qphrase *ph;
	int col;
	size_t next;
	long start, end;	/* -1: done */
};

static void
merged_next(struct merged *m)
{
	m->start = m->end = -1;
	while (m->next < m->in->n) {
		const struct inst *x = &m->in->v[m->next];
		if (x->col == m->col) {
			long end = (long)x->off + m->ph[x->phrase].n - 1;
			if (m->start < 0) {
				m->start = (long)x->off;
				m->end = end;
			} else if ((long)x->off <= m->end) {
				if (end > m->end)
					m->end = end;
			} else {
				break;
			}
		}
		m->next++;
	}
}

static void
put_text(struct buf *out, const char *text, size_t from, size_t to)
{
	if (to > from)
		buf_append(out, text + from, to - from);
}

/* Writes the window [start, start + n) of the column d was read from, marked. */
static void
write_window(struct buf *out, const char *text, size_t text_len, const struct doc *d,
	     struct merged *m, size_t start, size_t n, const struct search_snippet_marks *mk)
{
	size_t range_end = start + n - 1, off = 0;
	int open = 0;
	if (start > 0)
		buf_puts(out, mk->ellipsis);
	while (m->start >= 0 && m->start < (long)start)
		merged_next(m);
	for (size_t p = start; p < d->n_pos && p <= range_end; p++) {
		size_t s = d->pos[p].start, e = d->pos[p].end;
		if (p == start && start > 0)
			off = s;
		if (open && (m->start < 0 || (long)p <= m->start) && s > off) {
			buf_puts(out, mk->close);
			open = 0;
		}
		if ((long)p == m->start && !open) {
			put_text(out, text, off, s);
			buf_puts(out, mk->open);
			off = s;
			open = 1;
		}
		if ((long)p == m->end) {
			if (!open) {
				buf_puts(out, mk->open);
				open = 1;
			}
			put_text(out, text, off, e);
			off = e;
			merged_next(m);
		}
		if (p == range_end) {
			if (open) {
				if (m->start >= 0 && (long)p >= m->start) {
					put_text(out, text, off, e);
					off = e;
				}
				buf_puts(out, mk->close);
				open = 0;
			}
			put_text(out, text, off, e);
			off = e;
		}
	}
	if (open)
		buf_puts(out, mk->close);
	if (range_end + 1 >= d->n_pos)
		put_text(out, text, off, text_len);
	else
		buf_puts(out, mk->ellipsis);
}

int
search_snippet(struct snippet_query *q, enum lang l, const char *const *cols, size_t n_cols,
	       const struct search_snippet_marks *mk, struct buf *out)
{
	if (q->n_phrases == 0 || n_cols == 0 || n_cols > 8 || prepare_lang(q, l) < 0)
		return q->n_phrases == 0 ? 0 : -1;
	const struct qphrase *ph = q->phrase[l];
	struct doc d[8];
	struct insts in = {0};
	memset(d, 0, sizeof(d));
	int rc = -1;
	for (size_t c = 0; c < n_cols; c++) {
		const char *text = cols[c] ? cols[c] : "";
		if (search_analyze(text, strlen(text), l, ANALYZE_INDEX, on_doc_token, &d[c]) < 0)
			goto out;
		find_instances(&d[c], ph, q->n_phrases, (int)c, &in);
	}
	/* the row matches when every group has a phrase that occurs */
	size_t groups = q->sq->n_groups;
	for (size_t g = 1; g <= groups; g++) {
		int hit = 0;
		for (size_t i = 0; i < in.n && !hit; i++)
			hit = q->group[in.v[i].phrase] == g;
		if (!hit) {
			rc = 0;
			goto out;
		}
	}
	int best_col = 0, best = 0;
	size_t best_start = 0;
	for (size_t c = 0; c < n_cols; c++) {
		const char *text = cols[c] ? cols[c] : "";
		size_t n_first = 0, size = d[c].n_pos, adj;
		size_t *first = sentence_starts(text, &d[c], &n_first);
		for (size_t i = 0; i < in.n; i++) {
			if (in.v[i].col != (int)c)
				continue;
			size_t at = in.v[i].off;
			int s = window_score(&in, ph, q->n_phrases, (int)c, at, mk->tokens, size, &adj);
			if (s > best) {
				best = s;
				best_col = (int)c;
				best_start = adj;
			}
			if (n_first == 0 || size <= mk->tokens)
				continue;
			size_t j = 0;
			while (j + 1 < n_first && first[j + 1] <= at)
				j++;
			if (first[j] < at) {
				s = window_score(&in, ph, q->n_phrases, (int)c, first[j], mk->tokens, size,
						 NULL) +
				    (first[j] == 0 ? 120 : 100);
				if (s > best) {
					best = s;
					best_col = (int)c;
					best_start = first[j];
				}
			}
		}
		free(first);
	}
	const char *text = cols[best_col] ? cols[best_col] : "";
	struct merged m = {&in, ph, best_col, 0, -1, -1};
	merged_next(&m);
	write_window(out, text, strlen(text), &d[best_col], &m, best_start, mk->tokens, mk);
	rc = out->failed ? -1 : 1;
out:
	for (size_t c = 0; c < n_cols; c++)
		doc_free(&d[c]);
	free(in.v);
	return rc;
}
