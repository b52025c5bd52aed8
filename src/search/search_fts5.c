/* search_fts5: the "tawama" FTS5 tokenizer, glue between SQLite FTS5 and search_analyze. */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>

#include "core/core_log.h"
#include "search/search.h"
#include "search/search_fts5.h"

#define TOKENIZER_NAME "tawama"

/* One tokenizer instance, made by FTS5 for each table that names it: the language of
 * the table's documents. */
struct tokenizer {
	enum lang lang;
};

/* What a call of xTokenize hands to the analyzer's callback. */
struct relay {
	void *ctx;		/* FTS5's context, passed back to xToken */
	int (*xToken)(void *, int, const char *, int, int, int);
	int n;			/* tokens passed on so far */
};

static int
tok_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
	enum lang l = LANG_NONE;
	*out = NULL;
	if (argc > 1)
		return SQLITE_ERROR;
	if (argc == 1 && (l = lang_from_code(argv[0])) == LANG_NONE)
		return SQLITE_ERROR;
	struct tokenizer *t = sqlite3_malloc(sizeof(*t));
	if (t == NULL)
		return SQLITE_NOMEM;
	t->lang = l;
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
tok_delete(Fts5Tokenizer *t)
{
	sqlite3_free(t);
}

static int
relay_token(void *arg, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct relay *r = arg;
	/* offsets are within the text FTS5 gave us, whose length is an int */
	if (len > INT32_MAX || start > end || end > INT32_MAX) {
		BUG("search: analyzer token out of range");
		return SQLITE_ERROR;
	}
	/* a colocated first token has no position to share: FTS5 would count it as a
	 * position anyway, but say what is meant */
	int tflags = colocated && r->n > 0 ? FTS5_TOKEN_COLOCATED : 0;
	r->n++;
	return r->xToken(r->ctx, tflags, text, (int)len, (int)start, (int)end);
}

/*
 * The modes. A document (insert, delete) and the re-reading done by highlight() and
 * snippet() (AUX) both use ANALYZE_INDEX: those functions count the positions of the
 * non-colocated tokens of the stored text and must find the positions the index holds.
 * A query string gets stems only; the string before a '*' gets the normalized,
 * unstemmed form that matches the colocated surface forms of the index.
 */
static enum analyze_mode
mode_of(int flags)
{
	if (flags & FTS5_TOKENIZE_QUERY)
		return (flags & FTS5_TOKENIZE_PREFIX) ? ANALYZE_PREFIX : ANALYZE_QUERY;
	return ANALYZE_INDEX;	/* FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_AUX */
}

static int
tok_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int n,
	     int (*xToken)(void *, int, const char *, int, int, int))
{
	const struct tokenizer *t = (const struct tokenizer *)tok;
	struct relay r = {ctx, xToken, 0};
	if (text == NULL || n <= 0)
		return SQLITE_OK;
	int rc = search_analyze(text, (size_t)n, t->lang, mode_of(flags), relay_token, &r);
	if (rc == -1)
		return SQLITE_ERROR;
	return rc;	/* 0 (SQLITE_OK), or the SQLite code an xToken stopped with */
}

static fts5_tokenizer tawama_tokenizer = {tok_create, tok_delete, tok_tokenize};

/*
 * tawama_rank(table, w_title, w_body): the relevance of a matching row, lower is
 * better, like bm25(). It is Okapi BM25 without the document length normalization
 * (b = 0): the idf of each phrase is worked out once per query (cached as auxiliary
 * data) and a row is scored from its phrase hits alone. bm25() reads every matching
 * row's length, one lookup per row, which was 90% of the time of a search matching
 * 100,000 events; event texts are of similar lengths, so little is lost.
 */
#define RANK_MAX_PHRASES 64
#define RANK_K1 1.2

struct rank_aux {
	int n;
	double idf[RANK_MAX_PHRASES];
};

double
search_rank_idf(int64_t table_rows, int64_t phrase_rows)
{
	double idf = log(((double)table_rows - (double)phrase_rows + 0.5) /
			 ((double)phrase_rows + 0.5));
	return idf > 1e-6 ? idf : 1e-6;
}

double
search_rank_share(double idf, double hits)
{
	return idf * hits * (RANK_K1 + 1) / (hits + RANK_K1);
}

static int
count_doc(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
	(*(sqlite3_int64 *)ud)++;
	return SQLITE_OK;
}

static struct rank_aux *
rank_aux(const Fts5ExtensionApi *api, Fts5Context *fts)
{
	struct rank_aux *aux = api->xGetAuxdata(fts, 0);
	if (aux != NULL)
		return aux;
	aux = sqlite3_malloc(sizeof(*aux));
	if (aux == NULL)
		return NULL;
	sqlite3_int64 rows = 0;
	api->xRowCount(fts, &rows);
	aux->n = api->xPhraseCount(fts);
	if (aux->n > RANK_MAX_PHRASES)
		aux->n = RANK_MAX_PHRASES;
	for (int i = 0; i < aux->n; i++) {
		sqlite3_int64 docs = 0;
		if (api->xQueryPhrase(fts, i, &docs, count_doc) != SQLITE_OK)
			docs = 0;
		aux->idf[i] = search_rank_idf(rows, docs);
	}
	if (api->xSetAuxdata(fts, aux, sqlite3_free) != SQLITE_OK) {
		sqlite3_free(aux);
		return NULL;
	}
	return aux;
}

static void
tawama_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_val,
	    sqlite3_value **val)
{
	struct rank_aux *aux = rank_aux(api, fts);
	if (aux == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	double tf[RANK_MAX_PHRASES] = {0};
	int n_inst = 0;
	if (api->xInstCount(fts, &n_inst) != SQLITE_OK) {
		sqlite3_result_error(ctx, "tawama_rank: no phrase hits", -1);
		return;
	}
	for (int i = 0; i < n_inst; i++) {
		int phrase, col, off;
		if (api->xInst(fts, i, &phrase, &col, &off) != SQLITE_OK || phrase >= aux->n)
			continue;
		tf[phrase] += col < n_val ? sqlite3_value_double(val[col]) : 1.0;
	}
	double score = 0;
	for (int i = 0; i < aux->n; i++)
		score += search_rank_share(aux->idf[i], tf[i]);
	sqlite3_result_double(ctx, -score);
}

/* tawama_scan: see search_fts5.h. xQueryPhrase runs the phrase as a query of its own and
 * calls back for each row, which costs about half of stepping an SQL statement over the
 * same rows; whether the phrase is in the title is the first column of its position
 * list, read without walking it. */
static int
scan_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
	struct search_scan *s = ud;
	Fts5PhraseIter it;
	int col = -1, off = 0;
	int rc = api->xPhraseFirstColumn(fts, 0, &it, &col);
	if (rc != SQLITE_OK)
		return rc;
	s->rows++;
	if (!s->row(s->ctx, api->xRowid(fts), col == 0))
		return SQLITE_OK;
	double hits = 0;
	rc = api->xPhraseFirst(fts, 0, &it, &col, &off);
	if (rc != SQLITE_OK)
		return rc;
	for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
		hits += col < 2 ? s->weight[col] : 1.0;
	s->hits(s->ctx, hits);
	return SQLITE_OK;
}

static void
tawama_scan(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_val,
	    sqlite3_value **val)
{
	struct search_scan *s = n_val == 1 ? sqlite3_value_pointer(val[0], SEARCH_SCAN_TYPE) : NULL;
	if (s == NULL || api->xPhraseCount(fts) != 1) {
		sqlite3_result_error(ctx, "tawama_scan: one phrase and a scan pointer expected", -1);
		return;
	}
	sqlite3_int64 rows = 0;
	int rc = api->xRowCount(fts, &rows);
	s->table_rows = rows;
	s->rows = 0;
	if (rc == SQLITE_OK)
		rc = api->xQueryPhrase(fts, 0, s, scan_row);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_int64(ctx, (sqlite3_int64)s->rows);
}

/* The FTS5 API of a connection, as its documentation says to get it. NULL when the
 * library has no FTS5. */
static fts5_api *
fts5_api_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int
search_fts5_register(void *sqlite3_handle)
{
	sqlite3 *h = sqlite3_handle;
	fts5_api *api = fts5_api_of(h);
	if (api == NULL || api->iVersion < 2) {
		log_error("search: this SQLite has no usable FTS5 (%s)", sqlite3_errmsg(h));
		return -1;
	}
	if (api->xCreateTokenizer(api, TOKENIZER_NAME, NULL, &tawama_tokenizer, NULL) !=
	    SQLITE_OK) {
		log_error("search: cannot register the FTS5 tokenizer: %s", sqlite3_errmsg(h));
		return -1;
	}
	if (api->xCreateFunction(api, "tawama_rank", NULL, tawama_rank, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "tawama_scan", NULL, tawama_scan, NULL) != SQLITE_OK) {
		log_error("search: cannot register tawama_rank and tawama_scan: %s",
			  sqlite3_errmsg(h));
		return -1;
	}
	return 0;
}
