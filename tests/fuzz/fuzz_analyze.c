/* fuzz_analyze: libFuzzer target for the search analyzer. The first byte picks the
 * document language; the rest is the text, analyzed in the three modes. Checks that
 * spans stay inside the input, tokens are bounded, the first token is never
 * colocated and the non-colocated tokens agree between modes (FTS5 highlight relies
 * on it).
 * Build: clang -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc
 *        tests/fuzz/fuzz_analyze.c src/search/search_analyze.c
 *        src/search/search_arabic.c src/search/search_latin.c src/core/core_utf8.c
 *        $(pkg-config --cflags --libs icu-uc) -lstemmer -lpthread
 * Run:   ./a.out -max_len=4096 corpus/ */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search/search.h"

#define MAX_TOKENS 4096

struct span {
	size_t start, end;
	char text[272];
	size_t len;
};

struct run {
	size_t size;
	struct span s[MAX_TOKENS];
	int n, any;
};

static int
check(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	struct run *r = ctx;
	if (len == 0 || len > 260 || start >= end || end > r->size)
		abort();
	if (colocated && !r->any)
		abort();
	r->any = 1;
	if (colocated || r->n == MAX_TOKENS)
		return 0;
	struct span *s = &r->s[r->n++];
	s->start = start;
	s->end = end;
	s->len = len;
	memcpy(s->text, text, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run idx, query, prefix;
	if (size == 0)
		return 0;
	enum lang l = (enum lang)((int)(data[0] % 4) - 1); /* LANG_NONE, ar, en, fr */
	const char *text = (const char *)data + 1;
	size_t n = size - 1;
	memset(&idx, 0, sizeof(idx));
	memset(&query, 0, sizeof(query));
	memset(&prefix, 0, sizeof(prefix));
	idx.size = query.size = prefix.size = n;
	if (search_analyze(text, n, l, ANALYZE_INDEX, check, &idx) != 0 ||
	    search_analyze(text, n, l, ANALYZE_QUERY, check, &query) != 0 ||
	    search_analyze(text, n, l, ANALYZE_PREFIX, check, &prefix) != 0)
		abort();
	if (idx.n != query.n || idx.n != prefix.n)
		abort();
	for (int i = 0; i < idx.n; i++) {
		if (idx.s[i].start != query.s[i].start || idx.s[i].end != query.s[i].end ||
		    idx.s[i].start != prefix.s[i].start || idx.s[i].end != prefix.s[i].end)
			abort();
		if (idx.s[i].len != query.s[i].len ||
		    memcmp(idx.s[i].text, query.s[i].text, idx.s[i].len) != 0)
			abort();
	}
	return 0;
}
