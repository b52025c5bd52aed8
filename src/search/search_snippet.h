/* search_snippet: the snippet of a stored text for a query (what FTS5's snippet()
 * gives), from the text and the query alone. */
#ifndef SEARCH_SNIPPET_H
#define SEARCH_SNIPPET_H
#include <stddef.h>

#include "core/core_arena.h"
#include "core/core_buf.h"
#include "core/core_lang.h"
#include "search/search_query.h"

/* What surrounds a match and stands for cut text, and the window's size in tokens. */
struct search_snippet_marks {
	const char *open, *close, *ellipsis;
	size_t tokens;
};

/* The positive terms of sq, analyzed on first use for each language, in a (which must
 * outlive it, as must sq). */
struct snippet_query;
struct snippet_query *search_snippet_prepare(struct arena *a, const struct search_query *sq);

/*
 * Appends to out the snippet of a text of language l stored as columns cols[0..n_cols)
 * (NULL reads as empty; at most 8), as FTS5's snippet(table, -1, open, close, ellipsis,
 * tokens) gives it for a row of a table whose tokenizer is `tawama l`: the best window
 * of the best column, each match inside mk->open and mk->close. Returns 1, 0 when the
 * text does not match q (every group of alternatives needs one; nothing is appended),
 * or -1 on an analyzer error or when out failed.
 */
int search_snippet(struct snippet_query *q, enum lang l, const char *const *cols, size_t n_cols,
		   const struct search_snippet_marks *mk, struct buf *out);

#endif
