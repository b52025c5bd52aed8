/* search_query: what a visitor typed in the search box, as FTS5 query expressions. */
#ifndef SEARCH_QUERY_H
#define SEARCH_QUERY_H
#include <stddef.h>

#include "core/core_arena.h"

#define SEARCH_QUERY_MAX_TERMS 32	/* terms read; the rest of the text is ignored */
#define SEARCH_QUERY_MAX_CHARS 100	/* characters of one term; the rest is cut */
#define SEARCH_QUERY_MIN_PREFIX 2	/* characters before '*'; fewer: a plain word */

/*
 * The syntax, which never fails: whatever cannot be read as an operator is a word.
 *
 *   word            a word; white space separates terms
 *   "a phrase"      words in this order (also with “ ” „ « »: any two quote marks pair);
 *                   a quote mark that opens no phrase (no closing one follows) is
 *                   ignored, one inside a word is a character of the word
 *   word*  "a b"*   prefix: the (last) word begins so; needs SEARCH_QUERY_MIN_PREFIX
 *                   characters, otherwise the star is dropped
 *   a OR b          either; OR in capitals between two terms (a OR b OR c: any).
 *                   An OR with no term on one side (at the start, at the end, before
 *                   an exclusion, doubled) is ignored
 *   -word  -"a b"   must not occur; a lone - is ignored
 *
 * FTS5's own syntax (AND, NOT, NEAR, ^ : ( ) { } +) means nothing here: every term
 * goes out as an FTS5 string ("...", with " doubled), so what a visitor types is
 * never read as FTS5 syntax; characters the analyzer does not keep in tokens merely
 * separate words (title:plan is the phrase "title plan"). Terms in which the analyzer
 * finds no token (punctuation only) are dropped, because FTS5 reads such a string as
 * matching nothing, which would empty a whole AND.
 */
/* One term of a query, for callers that evaluate the expression themselves (phrase by
 * phrase) or highlight it: the positive expression is the AND of its groups, a group
 * the OR of its terms; the exclusions are the OR of the excluded terms. */
struct search_term {
	const char *expr;	/* the term alone as an FTS5 string: "..." or "..."* */
	const char *text;	/* the words as typed, without quote marks or star */
	int prefix;		/* the last word is a prefix (word*) */
	int excluded;
	size_t group;		/* positive terms: 1 .. n_groups; excluded: 0 */
};

struct search_query {
	/* The positive expression: the terms, implicitly AND-ed, alternatives written
	 * with OR inside parentheses (then the groups are joined by AND, which FTS5
	 * requires around parentheses): "a" "b"*, "a" AND ("b" OR "c d").
	 * NULL when the query has no positive term (only exclusions, or nothing):
	 * the caller then searches every document minus the exclusions. */
	const char *match;
	/* The excluded terms OR-ed ("x" OR "y z"), for
	 * rowid NOT IN (SELECT rowid FROM t WHERE t MATCH :exclude); NULL when none. */
	const char *exclude;
	/* The words of the positive terms as typed (no stars or quote marks around
	 * phrases; each distinct word once, at most SEARCH_QUERY_MAX_TERMS), for
	 * "no results" suggestions. */
	const char **words;
	size_t n_words;
	const struct search_term *terms;	/* in the order typed */
	size_t n_terms;		/* terms kept, positive and excluded */
	size_t n_groups;	/* groups of positive terms */
	int truncated;		/* some of the text was ignored (over the limits) */
};

/* Reads what a visitor typed (q, NUL-terminated, any bytes: invalid UTF-8 and control
 * characters separate words; NULL is an empty query) into *out, allocating in a.
 * Never fails; an empty or meaningless text gives match and exclude NULL. The work is
 * linear in the length of q, and the expressions are bounded by the limits above. */
void search_parse_query(struct arena *a, const char *q, struct search_query *out);

#endif
