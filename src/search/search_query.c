/* search_query: reads what a visitor typed into FTS5 expressions that cannot fail. */
#include <stdint.h>
#include <string.h>

#include "core/core_buf.h"
#include "core/core_log.h"
#include "core/core_utf8.h"
#include "search/search.h"
#include "search/search_query.h"

/* One term as read: text points into the cleaned copy of the input. */
struct term {
	const char *text;
	size_t len;
	int excluded;
	int prefix;
	size_t group;		/* positive terms: alternatives share a group */
};

/* Code points that separate terms besides ASCII white space and controls. */
static const uint32_t spaces[] = {
	0x0085, 0x00A0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
	0x2007, 0x2008, 0x2009, 0x200A, 0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
};
/* Quote marks: phones and French or Arabic keyboards type these for '"'. */
static const uint32_t quotes[] = {0x201C, 0x201D, 0x201E, 0x00AB, 0x00BB};

static int
in(const uint32_t *set, size_t n, uint32_t cp)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == cp)
			return 1;
	return 0;
}

#define IN(set, cp) in(set, sizeof(set) / sizeof(set[0]), cp)

/* A copy of text where every separator (invalid UTF-8, controls, white space) is one
 * ASCII space and every quote mark is '"', so the lexer below sees ASCII operators in
 * valid UTF-8. Never longer than the input. */
static char *
clean_copy(struct arena *a, const char *text, size_t n, size_t *len)
{
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int step = utf8_decode(text + i, n - i, &cp);
		if (step < 0) {
			out[k++] = ' ';
			i++;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || IN(spaces, cp))
			out[k++] = ' ';
		else if (IN(quotes, cp))
			out[k++] = '"';
		else {
			memcpy(out + k, text + i, (size_t)step);
			k += (size_t)step;
		}
		i += (size_t)step;
	}
	out[k] = '\0';
	*len = k;
	return out;
}

static int
stop_at_first(void *ctx, const char *t, size_t len, size_t start, size_t end, int colocated)
{
	return 1;
}

/* Whether the analyzer finds a token in the term. FTS5 reads a string without one as
 * matching nothing, which would empty an AND around it. On an internal error the term
 * is kept: the search will report the error itself. */
static int
has_token(const struct term *t)
{
	enum analyze_mode mode = t->prefix ? ANALYZE_PREFIX : ANALYZE_QUERY;
	return search_analyze(t->text, t->len, LANG_NONE, mode, stop_at_first, NULL) != 0;
}

/* The term cut to SEARCH_QUERY_MAX_CHARS characters. */
static size_t
cut(struct search_query *q, const char *s, size_t len)
{
	size_t n = utf8_prefix(s, len, SEARCH_QUERY_MAX_CHARS);
	if (n < len)
		q->truncated = 1;
	return n;
}

/* The lexer's state over the cleaned text. */
struct lexer {
	const char *s;
	size_t n, i;
	struct term *terms;
	size_t n_terms;
	size_t groups;		/* positive groups so far */
	int last_positive;	/* the last kept item was a positive term */
	int pending_or;		/* an OR follows it */
};

static void
keep(struct lexer *lx, struct search_query *q, struct term *t)
{
	if (t->len == 0 || !has_token(t))
		return;
	if (lx->n_terms == SEARCH_QUERY_MAX_TERMS) {
		q->truncated = 1;
		return;
	}
	if (t->excluded) {
		lx->last_positive = 0;
		lx->pending_or = 0;
	} else {
		if (!(lx->last_positive && lx->pending_or))
			lx->groups++;
		t->group = lx->groups;
		lx->last_positive = 1;
		lx->pending_or = 0;
	}
	lx->terms[lx->n_terms++] = *t;
}

/* A phrase opened by the quote at lx->i: 1 when it closes (and was taken), 0 when no
 * quote mark follows (then the caller ignores this one). */
static int
lex_phrase(struct lexer *lx, struct search_query *q, int excluded)
{
	const char *open = lx->s + lx->i + 1;
	const char *close = memchr(open, '"', lx->n - lx->i - 1);
	if (close == NULL)
		return 0;
	struct term t = {.text = open, .excluded = excluded};
	size_t len = (size_t)(close - open);
	while (len > 0 && *t.text == ' ') {
		t.text++;
		len--;
	}
	while (len > 0 && t.text[len - 1] == ' ')
		len--;
	lx->i = (size_t)(close - lx->s) + 1;
	while (lx->i < lx->n && lx->s[lx->i] == '*') {
		t.prefix = 1;
		lx->i++;
	}
	t.len = cut(q, t.text, len);
	if (t.prefix && utf8_length(t.text, t.len) < SEARCH_QUERY_MIN_PREFIX)
		t.prefix = 0;
	keep(lx, q, &t);
	return 1;
}

static void
lex_word(struct lexer *lx, struct search_query *q, int excluded)
{
	size_t start = lx->i;
	while (lx->i < lx->n && lx->s[lx->i] != ' ')
		lx->i++;
	struct term t = {.text = lx->s + start, .excluded = excluded};
	size_t len = lx->i - start;
	while (len > 0 && t.text[len - 1] == '*') {
		t.prefix = 1;
		len--;
	}
	if (!excluded && !t.prefix && len == 2 && memcmp(t.text, "OR", 2) == 0) {
		if (lx->last_positive)
			lx->pending_or = 1;
		return;
	}
	t.len = cut(q, t.text, len);
	if (t.prefix && utf8_length(t.text, t.len) < SEARCH_QUERY_MIN_PREFIX)
		t.prefix = 0;
	keep(lx, q, &t);
}

static void
lex(struct lexer *lx, struct search_query *q)
{
	while (lx->i < lx->n) {
		if (lx->s[lx->i] == ' ') {
			lx->i++;
			continue;
		}
		if (lx->n_terms == SEARCH_QUERY_MAX_TERMS) {
			q->truncated = 1;
			return;
		}
		int excluded = 0;
		if (lx->s[lx->i] == '-') {
			lx->i++;
			if (lx->i == lx->n || lx->s[lx->i] == ' ')
				continue;	/* a lone minus */
			excluded = 1;
		}
		if (lx->s[lx->i] == '"') {
			if (!lex_phrase(lx, q, excluded))
				lx->i++;	/* opens nothing: ignored */
			continue;
		}
		lex_word(lx, q, excluded);
	}
}

/* Appends t as an FTS5 string: quoted, '"' doubled, the prefix star outside. */
static void
put_term(struct buf *b, const struct term *t)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < t->len; i++) {
		if (t->text[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, t->text[i]);
	}
	buf_putc(b, '"');
	if (t->prefix)
		buf_putc(b, '*');
}

static const char *
to_arena(struct arena *a, struct buf *b)
{
	const char *s = b->failed || b->len == 0 ? NULL : arena_strndup(a, b->data, b->len);
	buf_free(b);
	return s;
}

static const char *
positive_expr(struct arena *a, const struct lexer *lx)
{
	struct buf b = BUF_INIT;
	size_t size[SEARCH_QUERY_MAX_TERMS + 1] = {0};
	int parens = 0;
	for (size_t i = 0; i < lx->n_terms; i++)
		if (!lx->terms[i].excluded)
			size[lx->terms[i].group]++;
	for (size_t g = 1; lx->groups > 1 && g <= lx->groups; g++)
		if (size[g] > 1)
			parens = 1;
	/* FTS5 joins phrases by juxtaposition, but parenthesized groups only by AND */
	const char *join = parens ? " AND " : " ";
	size_t group = 0;
	for (size_t i = 0; i < lx->n_terms; i++) {
		const struct term *t = &lx->terms[i];
		if (t->excluded)
			continue;
		if (t->group == group) {
			buf_puts(&b, " OR ");
		} else {
			if (group != 0) {
				if (parens && size[group] > 1)
					buf_putc(&b, ')');
				buf_puts(&b, join);
			}
			if (parens && size[t->group] > 1)
				buf_putc(&b, '(');
			group = t->group;
		}
		put_term(&b, t);
	}
	if (parens && size[group] > 1)
		buf_putc(&b, ')');
	return to_arena(a, &b);
}

static const char *
exclude_expr(struct arena *a, const struct lexer *lx)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < lx->n_terms; i++) {
		if (!lx->terms[i].excluded)
			continue;
		if (b.len > 0)
			buf_puts(&b, " OR ");
		put_term(&b, &lx->terms[i]);
	}
	return to_arena(a, &b);
}

static const char *
term_expr(struct arena *a, const struct term *t)
{
	struct buf b = BUF_INIT;
	put_term(&b, t);
	return to_arena(a, &b);
}

/* The kept terms, for callers that read the query term by term. */
static const struct search_term *
export_terms(struct arena *a, const struct lexer *lx)
{
	struct search_term *out = arena_alloc(a, (lx->n_terms ? lx->n_terms : 1) * sizeof(*out));
	for (size_t i = 0; i < lx->n_terms; i++) {
		const struct term *t = &lx->terms[i];
		out[i] = (struct search_term){
			.expr = term_expr(a, t),
			.text = arena_strndup(a, t->text, t->len),
			.prefix = t->prefix,
			.excluded = t->excluded,
			.group = t->excluded ? 0 : t->group,
		};
	}
	return out;
}

/* The distinct words of the positive terms, as typed. */
static void
collect_words(struct arena *a, const struct lexer *lx, struct search_query *q)
{
	q->words = arena_alloc(a, SEARCH_QUERY_MAX_TERMS * sizeof(*q->words));
	for (size_t i = 0; i < lx->n_terms; i++) {
		const struct term *t = &lx->terms[i];
		size_t j = 0;
		while (!t->excluded && j < t->len && q->n_words < SEARCH_QUERY_MAX_TERMS) {
			size_t k = j;
			while (k < t->len && t->text[k] != ' ')
				k++;
			int seen = k == j;
			for (size_t w = 0; !seen && w < q->n_words; w++)
				seen = strlen(q->words[w]) == k - j &&
				       memcmp(q->words[w], t->text + j, k - j) == 0;
			if (!seen)
				q->words[q->n_words++] = arena_strndup(a, t->text + j, k - j);
			j = k + 1;
		}
	}
}

void
search_parse_query(struct arena *a, const char *q, struct search_query *out)
{
	struct lexer lx = {0};
	memset(out, 0, sizeof(*out));
	if (q == NULL)
		q = "";
	lx.s = clean_copy(a, q, strlen(q), &lx.n);
	lx.terms = arena_alloc(a, SEARCH_QUERY_MAX_TERMS * sizeof(*lx.terms));
	lex(&lx, out);
	out->n_terms = lx.n_terms;
	out->n_groups = lx.groups;
	out->terms = export_terms(a, &lx);
	out->match = positive_expr(a, &lx);
	out->exclude = exclude_expr(a, &lx);
	collect_words(a, &lx, out);
}
