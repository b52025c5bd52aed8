/* search_word: the word a reader would type for a word as a text writes it (for "did
 * you mean"), and the index form a typed word is compared in. */
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "core/core_arena.h"
#include "core/core_utf8.h"
#include "search/search.h"

/* Arabic marks a reader does not type: harakat, shadda, sukun, dagger alef, tatweel. */
static int
unwritten(uint32_t c)
{
	return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640;
}

struct first {
	char tok[256];
	size_t len;
	int found;		/* words seen, up to 2 */
};

static int
take_first(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct first *f = ctx;
	if (colocated)
		return 0;
	if (f->found++ > 0)
		return 1;	/* a second word: enough to know */
	if (len >= sizeof(f->tok))
		len = sizeof(f->tok) - 1;
	memcpy(f->tok, text, len);
	f->tok[len] = '\0';
	f->len = len;
	return 0;
}

/* The prefix form (ANALYZE_PREFIX) of the first word of s, or "" (f->found 0). */
static void
prefix_form(const char *s, size_t n, struct first *f)
{
	memset(f, 0, sizeof(*f));
	if (search_analyze(s, n, LANG_NONE, ANALYZE_PREFIX, take_first, f) < 0)
		f->found = 0;
}

size_t
search_index_form(const char *word, char *out, size_t cap)
{
	struct first f;
	prefix_form(word, strlen(word), &f);
	if (f.found != 1 || f.len + 1 > cap)
		return 0;
	memcpy(out, f.tok, f.len + 1);
	return f.len;
}

#define READER_CLUSTER_MAX 4	/* letters of the longest article cluster (وبال) */

/* Whether s has an uppercase letter. */
static int
has_upper(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t c;
		int k = utf8_decode(s + i, n - i, &c);
		if (k < 0)
			return 0;
		if (u_isupper((UChar32)c))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

/* s in lower case (ICU, root locale), allocated in a; s itself when that fails. */
static const char *
lower(struct arena *a, const char *s)
{
	UChar src[128], dst[256];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = 0, m, k;
	u_strFromUTF8(src, 128, &n, s, -1, &e);
	if (U_FAILURE(e))
		return s;
	m = u_strToLower(dst, 256, src, n, "", &e);
	if (U_FAILURE(e))
		return s;
	char *out = arena_alloc(a, (size_t)m * 3 + 1);
	u_strToUTF8(out, m * 3 + 1, &k, dst, m, &e);
	return U_FAILURE(e) ? s : out;
}

const char *
search_reader_word(struct arena *a, const char *surface, size_t n, const char *typed)
{
	/* without the marks */
	char *w = arena_alloc(a, n + 1);
	size_t len = 0, at[READER_CLUSTER_MAX + 2], n_at = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		int k = utf8_decode(surface + i, n - i, &c);
		if (k < 0)
			return NULL;
		if (!unwritten(c)) {
			if (n_at < sizeof(at) / sizeof(at[0]))
				at[n_at++] = len;	/* where each of the first letters starts */
			memcpy(w + len, surface + i, (size_t)k);
			len += (size_t)k;
		}
		i += (size_t)k;
	}
	w[len] = '\0';
	/* without what the index drops in front (an article cluster, an elision): the
	 * longest such beginning after which the word still has the same prefix form */
	struct first whole, rest;
	prefix_form(w, len, &whole);
	if (!whole.found)
		return NULL;
	size_t cut = 0;
	for (size_t k = 1; k < n_at && k <= READER_CLUSTER_MAX; k++) {
		prefix_form(w + at[k], len - at[k], &rest);
		if (rest.found && rest.len == whole.len && memcmp(rest.tok, whole.tok, whole.len) == 0)
			cut = at[k];
	}
	/* Twinning at the start of a title is twinning to whoever typed twinnning */
	if (typed != NULL && !has_upper(typed) && has_upper(w + cut))
		return lower(a, w + cut);
	return w + cut;
}
