/* search: the analyzer shared by indexing and queries (Unicode NFKC + case folding,
 * Arabic orthographic normalization, clitic and suffix handling, Snowball stemming for
 * ar/en/fr), its SQLite FTS5 tokenizer, and search over events with facets.
 * Only search_fts5.c (the tokenizer glue) includes <sqlite3.h> outside src/db/. */
#ifndef SEARCH_H
#define SEARCH_H
#include <stddef.h>

#include "core/core_lang.h"

/* Bumped whenever a change of the rules or word lists changes the tokens of some text:
 * an index built by another version is rebuilt at start-up (events_index.c). */
#define SEARCH_ANALYZER_VERSION 2

enum analyze_mode {
	ANALYZE_INDEX,	/* a document: stems plus colocated surface forms */
	ANALYZE_QUERY,	/* a query word or phrase: stems only */
	ANALYZE_PREFIX,	/* the last word of a prefix query (word*): normalized, unstemmed */
};

/* Called for each token: text (not NUL-terminated) of len bytes; start and end are byte
 * offsets of the surface word in the analyzed input; colocated is 1 when the token shares
 * the position of the previous one. Return 0 to go on, nonzero to stop (returned). */
typedef int (*search_token_fn)(void *ctx, const char *text, size_t len, size_t start,
			       size_t end, int colocated);

/* Analyzes n bytes of UTF-8 text (invalid sequences are treated as separators) written
 * in language doc (the stemmer for Latin-script words: en or fr; Arabic-script words
 * always use the Arabic chain; LANG_NONE: Latin words are stemmed as English), calling
 * fn for each token. Thread-safe (stemmers are per thread). Returns 0, the callback's
 * nonzero value, or -1 on an internal error. */
int search_analyze(const char *text, size_t n, enum lang doc, enum analyze_mode mode,
		   search_token_fn fn, void *ctx);

/* For "did you mean" (search_word.c). The index form of word: its prefix form
 * (normalized, article cluster removed, not stemmed), which is also how the index keeps
 * the word beside its stem. Written to out (cap bytes, NUL-terminated); returns its
 * length, 0 when word is not exactly one word or the form does not fit. */
size_t search_index_form(const char *word, char *out, size_t cap);

/* The word a reader would type for surface (n bytes), a word as a text writes it:
 * without harakat and tatweel, and without what the index drops in front of it (an
 * article cluster, a French elision): المُؤْتَمَرات, والمؤتمرات -> مؤتمرات; in lower case
 * when typed (what the reader typed, may be NULL) has no capital. Allocated in a; NULL
 * when surface is not valid UTF-8 or holds no word. */
struct arena;
const char *search_reader_word(struct arena *a, const char *surface, size_t n,
			       const char *typed);

/* Frees the calling thread's stemmers (also done automatically at thread exit). */
void search_thread_free(void);

/* `tawama analyze --lang ar|en|fr [--mode index|query|prefix]`: reads one text a line on
 * standard input and prints, for each, one line of its tokens separated by spaces
 * (colocated forms included). argv excludes "analyze". Returns the exit status. */
int search_analyze_cli(int argc, char **argv);

#endif
