/* events_search: full-text search over events combined with criteria, and facet counts
 * for every criterion computed for the current result set (module-internal). */
#ifndef EVENTS_SEARCH_H
#define EVENTS_SEARCH_H
#include <stdint.h>

#include "events/events_internal.h"
#include "search/search_query.h"

/* The criteria a search combines (each also a facet). */
enum search_dim {
	DIM_TYPE,
	DIM_THEME,
	DIM_COUNTRY,
	DIM_ORGANISER,
	DIM_YEAR,		/* selected through from/to; the facet lists years */
	DIM_LANGUAGE,		/* languages the event's text exists in */
	DIM_MODE,		/* virtual, in-person */
	DIM_PARTICIPATION,
	DIM_WHEN,		/* upcoming, past */
	DIM_COUNT
};

#define SEARCH_MAX_VALUES 16	/* values of one criterion in one request */
#define SEARCH_PAGE_SIZE 20
#define SEARCH_MAX_PAGE 500
#define SEARCH_RANK_ALL 5000	/* results ranked by BM25; above, title matches first */

/* A parsed search request: what /{lang}/search, /{lang}/events and /api/v1/search
 * accept. Values are kept as the URL gives them (codes and slugs), validated. */
struct search_params {
	const char *q;				/* free text, may be NULL */
	const char *values[DIM_COUNT][SEARCH_MAX_VALUES];
	size_t n_values[DIM_COUNT];		/* DIM_YEAR unused: see from/to */
	int64_t from, to;			/* starts within [from, to) UTC; 0 none */
	const char *from_s, *to_s;		/* as given (YYYY-MM-DD) */
	int sort_date;				/* 1: date order; 0: relevance (with q) */
	int when_all;				/* when=all: explicitly no when criterion
						 * (the events list defaults to upcoming) */
	int when_default;			/* the when values are the list's default:
						 * left out of URLs */
	int page;				/* from 1 */
};

/* The codes of the mode and when criteria, as in URLs (events_search_params.c), and
 * the index of s among n codes, or -1. */
extern const char *const search_mode_codes[2];	/* virtual, in-person */
extern const char *const search_when_codes[2];	/* upcoming, past */
int search_code_index(const char *const *codes, size_t n, const char *s);

/* Reads the parameters of req into p. Returns HTTP_OK or HTTP_ERR_BAD_PARAM (an
 * unknown code, a bad date, a page out of range, too many values). Unknown slugs of
 * themes, organisers and countries are found out by events_search (404-free: they
 * simply match nothing but stay visible as selected). */
enum http_error search_params_read(const struct request *req, struct search_params *p);

/* The query string of p ("?q=...&type=..." or ""), optionally with one value of one
 * dimension toggled (dim -1: none), a given page (0: none). Allocated in a. */
const char *search_params_query(struct arena *a, const struct search_params *p, int dim,
				const char *value, int page);

struct facet_value {
	const char *code;		/* as in URLs: "webinar", "led", "JO", "2018" */
	const char *label;		/* in the reader's language */
	size_t count;
	int selected;
};

struct search_result {
	size_t total;
	struct event *events;		/* the page, in order */
	const char **snippets;		/* HTML (escaped, <mark> around matches) or NULL */
	size_t n;
	struct facet_value *facets[DIM_COUNT];
	size_t n_facets[DIM_COUNT];
	int text_searched;		/* q had words to search */
	const char **suggestions;	/* nearby spellings when nothing was found */
	size_t n_suggestions;
};

/* Runs the search p for a reader of language l at instant now. Allocates in a.
 * Returns 0 or -1 (a database error, logged). */
int events_search(struct db *db, struct arena *a, const struct search_params *p, enum lang l,
		  int64_t now, struct search_result *out);

/* Store side (events_search_store.c). */

/* One published event as the facet table keeps it. */
struct facet_row {
	int64_t id;
	int64_t starts, ends;
	int64_t organiser_id;
	char country[3];		/* "" when virtual or unknown */
	uint8_t type, participation, is_virtual, langs; /* langs: bit per enum lang */
	uint16_t year;			/* of starts, UTC */
	uint32_t theme_off;		/* into the themes array of the table */
	uint16_t n_themes;
};

struct facet_label {
	int64_t id;
	struct named n;		/* slug and names, as events carry them */
};

/* Loads every published event's facet row (ordered by id), their theme ids, and the
 * names of themes and organisers. Everything is malloc'ed into the out parameters
 * (the caller frees with events_facet_free). 0 or -1. */
struct facet_data {
	struct facet_row *rows;
	size_t n_rows;
	int64_t *themes;		/* theme ids, rows[i].theme_off .. + n_themes */
	size_t n_themes;
	struct facet_label *theme_labels, *organiser_labels;
	size_t n_theme_labels, n_organiser_labels;
	char *strings;			/* one block for the labels' strings */
};
int events_facet_load(struct db *db, struct facet_data *out);
void events_facet_free(struct facet_data *d);

/* The facet table's rows by event id: row[id - base] is the row + 1 (0: no such row)
 * for ids base .. base + span - 1; row is NULL when ids are too sparse for that, and
 * rows (ordered by id) are searched instead. */
struct row_index {
	const struct facet_row *rows;
	size_t n_rows;
	const uint32_t *row;
	int64_t base;
	size_t span;
};

/* The text part of a search (events_search_text.c): the rows of the facet table ix
 * (loaded at data version version) that the text query sq matches and does not
 * exclude, ascending, and their order for relevance (lower first, text_score): with
 * ranked, or whenever it comes cheaply, tawama_rank up to SEARCH_RANK_ALL matches,
 * above that -1 for a match in a title and 0 for the others; otherwise 0 for every row
 * (ranked says which). Results are kept per thread for the data version
 * (config_search_cache entries), shared by the spellings the analyzer makes one: out
 * points into that cache, valid until the next call on this thread. 0 or -1 (a
 * database error). */
#define TEXT_IN_TITLE 0x80	/* flag: a match in a title (above SEARCH_RANK_ALL) */
struct text_hits {
	const uint32_t *rows;
	const uint8_t *flags;	/* bit per enum lang: the texts the positive part
				 * matches; TEXT_IN_TITLE */
	const double *score;	/* tawama_rank by row, or NULL */
	size_t n;
	int ranked;
	int cached;		/* the result came from the cache */
};
int events_text_hits(struct db *db, struct arena *a, uint64_t version,
		     const struct row_index *ix, const struct search_query *sq, int ranked,
		     struct text_hits *out);

/* The snippet of row's text in l made for the result of the last events_text_hits call
 * on this thread, when it is kept (NULL otherwise); and keeping one (copied) with that
 * result, until the data changes or the result goes. */
const char *events_text_snippet(uint32_t row, enum lang l);
void events_text_keep_snippet(uint32_t row, enum lang l, const char *html);

/* The relevance of the k-th row of h (lower first). */
static inline double
text_score(const struct text_hits *h, size_t k)
{
	if (h->score != NULL)
		return h->score[k];
	return (h->flags[k] & TEXT_IN_TITLE) ? -1.0 : 0.0;
}

/* Reads one phrase (an FTS5 string, "..." or "..."*) in the table of language l with
 * tawama_scan, which calls s->row for every matching row (search_fts5.h). 0 or -1. */
struct search_scan;
int events_fts_scan(struct db *db, enum lang l, const char *phrase, struct search_scan *s);

/* Full-text matching: calls fn(ctx, l, id, score) for every event whose text in some
 * language l matches the FTS5 expression match (once per matching language). With rank,
 * score is bm25 with the title weighted above the body (lower is better); without, 0
 * (cheaper: date order, exclusions). 0 or -1. */
int events_fts_each(struct db *db, const char *match, int rank,
		    void (*fn)(void *ctx, enum lang l, int64_t id, double score), void *ctx);

/* A snippet of event id's text in language l for the query q (search_snippet.h), as
 * HTML with <mark> around matches, or NULL when that language's text does not match. */
struct snippet_query;
const char *events_fts_snippet(struct db *db, struct arena *a, enum lang l, int64_t id,
			       struct snippet_query *q);

/* Whether some text has the word (as typed: it is analyzed like a query word). 1, 0 or
 * -1 (a database error). */
int events_fts_has_word(struct db *db, struct arena *a, const char *word);

/* For "did you mean": words of the texts close to the typed word (edit distance <= 2
 * between index forms, the same first two letters), most frequent first, at most max,
 * written as a reader writes them (search_reader_word), allocated in a. */
size_t events_fts_nearby(struct db *db, struct arena *a, const char *word, const char **out,
			 size_t max);

#endif
