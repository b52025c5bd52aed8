/* network_search: finding municipalities by their names in Arabic, English and French.
 * Both sides go through the search analyzer (src/search), so Arabic spellings meet
 * (hamza forms, ta marbuta, the article), Latin accents fold (Saïda, Saida) and a word
 * may be typed in part: each word of the query must meet a word of a name — its stem
 * the whole word, or as typed its beginning. */
#include <string.h>

#include "network/network.h"
#include "search/search.h"

#define QUERY_MAX_WORDS 32
#define FORMS_MAX 8		/* forms of one query word kept */

/* One word of the query: its analyzed forms — stems, which must equal a token of a
 * name, and the plain normalized word, which may begin one (a word typed in part). */
struct nq_word {
	size_t start;			/* byte offset of the word in the query */
	const char *forms[FORMS_MAX];
	int prefix[FORMS_MAX];
	size_t n_forms;
};

struct collect {
	struct arena *a;
	struct network_query *q;
	int prefix;			/* the forms being collected may begin a token */
};

static int
add_form(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct collect *c = ctx;
	struct network_query *q = c->q;
	if (len == 0)
		return 0;
	struct nq_word *w = NULL;
	for (size_t i = 0; i < q->n_words; i++)
		if (q->words[i].start == start)
			w = &q->words[i];
	if (w == NULL) {
		if (q->n_words == QUERY_MAX_WORDS)
			return 0;	/* the words after the 32nd are left out */
		w = &q->words[q->n_words++];
		memset(w, 0, sizeof(*w));
		w->start = start;
	}
	for (size_t i = 0; i < w->n_forms; i++)
		if (strlen(w->forms[i]) == len && memcmp(w->forms[i], text, len) == 0) {
			w->prefix[i] |= c->prefix;
			return 0;
		}
	if (w->n_forms < FORMS_MAX) {
		w->prefix[w->n_forms] = c->prefix;
		w->forms[w->n_forms++] = arena_strndup(c->a, text, len);
	}
	return 0;
}

int
network_query_compile(struct arena *a, const char *q, struct network_query *out)
{
	memset(out, 0, sizeof(*out));
	out->words = arena_alloc(a, QUERY_MAX_WORDS * sizeof(*out->words));
	if (q == NULL || *q == '\0')
		return 0;
	size_t n = strlen(q);
	if (n > NETWORK_QUERY_MAX)
		n = NETWORK_QUERY_MAX;
	struct collect c = {a, out, 0};
	/* whoever typed it, the word as Arabic, English and French readers write it,
	 * and as typed (unstemmed), for a word given in part */
	static const enum lang langs[] = {LANG_AR, LANG_EN, LANG_FR};
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (search_analyze(q, n, langs[i], ANALYZE_QUERY, add_form, &c) < 0)
			return -1;
	c.prefix = 1;
	if (search_analyze(q, n, LANG_NONE, ANALYZE_PREFIX, add_form, &c) < 0)
		return -1;
	return 0;
}

/* The tokens of the names, as an index would hold them. */
struct tokens {
	struct arena *a;
	const char **t;
	size_t n, cap;
};

static int
add_token(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct tokens *k = ctx;
	if (len == 0)
		return 0;
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 32;
		const char **t = arena_alloc(k->a, cap * sizeof(*t));
		if (k->n > 0)
			memcpy(t, k->t, k->n * sizeof(*t));
		k->t = t;
		k->cap = cap;
	}
	k->t[k->n++] = arena_strndup(k->a, text, len);
	return 0;
}

/* Whether form (a prefix form, or a stem that must be whole) meets token t. */
static int
meets(const char *t, const char *form, int prefix)
{
	return prefix ? strncmp(t, form, strlen(form)) == 0 : strcmp(t, form) == 0;
}

int
network_query_match(struct arena *a, const struct network_query *q,
		    const char *const name[LANG_COUNT])
{
	if (q->n_words == 0)
		return 1;
	struct tokens k = {.a = a};
	for (int l = 0; l < LANG_COUNT; l++) {
		if (name[l] == NULL)
			continue;
		size_t n = strlen(name[l]);
		/* a name is analyzed in its own language, and unstemmed */
		if (search_analyze(name[l], n, (enum lang)l, ANALYZE_INDEX, add_token, &k) < 0 ||
		    search_analyze(name[l], n, (enum lang)l, ANALYZE_PREFIX, add_token, &k) < 0)
			return 0;
	}
	for (size_t w = 0; w < q->n_words; w++) {
		int found = 0;
		const struct nq_word *qw = &q->words[w];
		for (size_t f = 0; f < qw->n_forms && !found; f++)
			for (size_t t = 0; t < k.n && !found; t++)
				found = meets(k.t[t], qw->forms[f], qw->prefix[f]);
		if (!found)
			return 0;
	}
	return 1;
}
