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
		double idf = log(((double)rows - (double)docs + 0.5) / ((double)docs + 0.5));
		aux->idf[i] = idf > 1e-6 ? idf : 1e-6;
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
		score += aux->idf[i] * tf[i] * (RANK_K1 + 1) / (tf[i] + RANK_K1);
	sqlite3_result_double(ctx, -score);
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
	if (api->xCreateFunction(api, "tawama_rank", NULL, tawama_rank, NULL) != SQLITE_OK) {
		log_error("search: cannot register tawama_rank: %s", sqlite3_errmsg(h));
		return -1;
	}
	return 0;
}
