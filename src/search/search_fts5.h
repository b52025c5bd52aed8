/* search_fts5: the "tawama" SQLite FTS5 tokenizer, which runs our analyzer. */
#ifndef SEARCH_FTS5_H
#define SEARCH_FTS5_H
#include <stddef.h>
#include <stdint.h>

/* Registers the FTS5 tokenizer "tawama" on one SQLite connection (a sqlite3 *, passed
 * as void * so that callers need not include <sqlite3.h>). Tables name it with the
 * language of their documents: tokenize='tawama ar', 'tawama en' or 'tawama fr'
 * ('tawama' alone: no document language; Latin words are stemmed as English).
 * Tokenizers are per connection, so db_open calls this for every connection it opens.
 * Also registers the auxiliary function tawama_rank(table, weight per column...),
 * BM25 without length normalization (lower is better), used to order results.
 * Returns 0, or -1 with a message logged (FTS5 missing from the SQLite library). */
int search_fts5_register(void *sqlite3_handle);

/*
 * One pass over the rows of one phrase, without SQL per row: the auxiliary function
 * tawama_scan(table, ?) in
 *   SELECT tawama_scan(t, ?2) FROM t WHERE t MATCH ?1 LIMIT 1
 * with ?1 a single phrase ("word", "a phrase", "pref"*) and ?2 a struct search_scan
 * bound as a pointer of type SEARCH_SCAN_TYPE, calls row() for every row the phrase
 * matches, in rowid order, saying whether the phrase occurs in the first column (the
 * title). When row() returns nonzero, hits() follows with the phrase's hits in that row
 * weighted by column (what tawama_rank counts). When the phrase matches no row the
 * function is not called at all (rows stays 0).
 */
#define SEARCH_SCAN_TYPE "tawama_scan"

struct search_scan {
	double weight[2];	/* of a hit in the title, in the body */
	int (*row)(void *ctx, int64_t rowid, int in_title);
	void (*hits)(void *ctx, double hits);
	void *ctx;
	int64_t table_rows;	/* out: rows in the table */
	size_t rows;		/* out: rows the phrase matches */
};

/* tawama_rank's parts, for callers that score phrase by phrase: a phrase's idf among
 * table_rows rows of which phrase_rows match it, and its share of a row's score for
 * hits weighted hits. A row's rank is minus the sum of the shares of the query's
 * phrases, added in their order. */
double search_rank_idf(int64_t table_rows, int64_t phrase_rows);
double search_rank_share(double idf, double hits);

#endif
