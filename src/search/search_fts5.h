/* search_fts5: the "tawama" SQLite FTS5 tokenizer, which runs our analyzer. */
#ifndef SEARCH_FTS5_H
#define SEARCH_FTS5_H

/* Registers the FTS5 tokenizer "tawama" on one SQLite connection (a sqlite3 *, passed
 * as void * so that callers need not include <sqlite3.h>). Tables name it with the
 * language of their documents: tokenize='tawama ar', 'tawama en' or 'tawama fr'
 * ('tawama' alone: no document language; Latin words are stemmed as English).
 * Tokenizers are per connection, so db_open calls this for every connection it opens.
 * Also registers the auxiliary function tawama_rank(table, weight per column...),
 * BM25 without length normalization (lower is better), used to order results.
 * Returns 0, or -1 with a message logged (FTS5 missing from the SQLite library). */
int search_fts5_register(void *sqlite3_handle);

#endif
