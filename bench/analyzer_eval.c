/* analyzer_eval: compares our analyzer with Snowball, unicode61 and Lucene light10 on
 * spelling pairs, and measures our throughput.
 *
 * Build (from the repository root; not built by make):
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o build/analyzer_eval bench/analyzer_eval.c \
 *      src/search/search_analyze.c src/search/search_arabic.c src/search/search_latin.c \
 *      src/core/core_utf8.c src/core/core_lang.c $(pkg-config --cflags --libs icu-uc) \
 *      -lstemmer -lpthread
 * Run:
 *   build/analyzer_eval [-v] bench/analyzer_eval.tsv [TEXT_FILE ...]
 * TEXT_FILEs (default: the seed page) are repeated into a ~16 MB text for the speed
 * measure. -v lists every pair our analyzer gets wrong.
 *
 * The pairs file: expected (same|different) TAB lang (ar|en|fr) TAB word1 TAB word2 TAB
 * class. A pair is merged by an analyzer when both words give the same, non-empty
 * sequence of tokens (query side).
 *
 * The baselines, as described in ../shared/research/arabic-search.md:
 *  snowball   libstemmer for the pair's language on the lowercased word (the way
 *             Xapian feeds it: no other normalization; Snowball Arabic normalizes
 *             internally).
 *  unicode61  SQLite FTS5's default tokenizer: tokens are runs of L*, N*, Co (so
 *             combining marks split words), simple case folding, remove_diacritics=1
 *             (its default: Latin letters lose their accents).
 *  light10    Lucene's ArabicAnalyzer: UAX#29-like words (marks and format
 *             characters stay inside), lowercase, decimal digits to ASCII,
 *             ArabicNormalizer, ArabicStemmer (light10). Stop words are not removed
 *             (no pair is a stop word).
 *  ours+sb    (Arabic only) our normalization and article stripping (prefix mode),
 *             then Snowball Arabic: what a "correct Snowball from outside" gives.
 */
#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "core/core_utf8.h"
#include "search/search.h"

#define TOK_MAX 1024
#define PAIRS_MAX 2000

struct pair {
	int same;
	enum lang lang;
	char a[128], b[128], cls[64];
};

static struct pair pairs[PAIRS_MAX];
static size_t npairs;

struct toks {
	char s[TOK_MAX];
	size_t n;
	int count;
};

static void
toks_add(struct toks *t, const char *s, size_t n)
{
	if (t->n + n + 2 >= sizeof(t->s))
		return;
	if (t->count++ > 0)
		t->s[t->n++] = '|';
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static size_t
put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static size_t
decode_all(const char *s, uint32_t *w, size_t max)
{
	size_t len = strlen(s), i = 0, n = 0;
	while (i < len && n < max) {
		uint32_t c;
		int l = utf8_decode(s + i, len - i, &c);
		if (l < 0) {
			i++;
			continue;
		}
		w[n++] = c;
		i += (size_t)l;
	}
	return n;
}

/* ---- (1) ours ---- */

static int
collect(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	if (!colocated)
		toks_add(ctx, text, len);
	return 0;
}

static void
run_ours(const char *w, enum lang lang, struct toks *t)
{
	search_analyze(w, strlen(w), lang, ANALYZE_QUERY, collect, t);
}

/* ---- (2) Snowball alone ---- */

static struct sb_stemmer *sb[LANG_COUNT];

static void
run_snowball_word(const char *w, size_t n, enum lang lang, struct toks *t)
{
	const sb_symbol *o = sb_stemmer_stem(sb[lang], (const sb_symbol *)w, (int)n);
	toks_add(t, (const char *)o, (size_t)sb_stemmer_length(sb[lang]));
}

static void
run_snowball(const char *w, enum lang lang, struct toks *t)
{
	uint32_t c[256];
	size_t n = decode_all(w, c, 256);
	char buf[1024];
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t x = (uint32_t)u_tolower((UChar32)c[i]);
		if (u_isspace((UChar32)x)) {
			if (o > 0)
				run_snowball_word(buf, o, lang, t);
			o = 0;
			continue;
		}
		o += put_utf8(buf + o, x);
	}
	if (o > 0)
		run_snowball_word(buf, o, lang, t);
}

/* ---- (3) unicode61 ---- */

static uint32_t
latin_base(uint32_t c)
{
	static const UNormalizer2 *nfd;
	UErrorCode err = U_ZERO_ERROR;
	if (nfd == NULL)
		nfd = unorm2_getNFDInstance(&err);
	if (c < 0xC0 || c > 0x24F)
		return c;
	UChar d[8];
	int32_t n = unorm2_getDecomposition(nfd, (UChar32)c, d, 8, &err);
	if (U_FAILURE(err) || n < 2 || d[0] >= 0x80)
		return c;
	return d[0];
}

static void
run_unicode61(const char *w, enum lang lang, struct toks *t)
{
	uint32_t c[256];
	size_t n = decode_all(w, c, 256);
	char buf[1024];
	size_t o = 0;
	for (size_t i = 0; i <= n; i++) {
		int tokchar = 0;
		if (i < n) {
			int8_t ty = u_charType((UChar32)c[i]);
			tokchar = (ty >= U_UPPERCASE_LETTER && ty <= U_OTHER_LETTER) ||
				  (ty >= U_DECIMAL_DIGIT_NUMBER && ty <= U_OTHER_NUMBER) ||
				  ty == U_PRIVATE_USE_CHAR;
		}
		if (!tokchar) {
			if (o > 0)
				toks_add(t, buf, o);
			o = 0;
			continue;
		}
		uint32_t x = (uint32_t)u_foldCase((UChar32)c[i], U_FOLD_CASE_DEFAULT);
		o += put_utf8(buf + o, latin_base(x));
	}
}

/* ---- (4) Lucene light10 ---- */

static const char *const l10_prefixes[] = {"ال", "وال", "بال", "كال", "فال", "لل", "و"};
static const char *const l10_suffixes[] = {"ها", "ان", "ات", "ون", "ين",
					   "يه", "ية", "ه",  "ة",  "ي"};

static int
l10_starts(const uint32_t *s, size_t n, const char *p)
{
	uint32_t c[8];
	size_t m = decode_all(p, c, 8);
	if (m == 1 && n < 4)
		return 0;
	if (n < m + 2)
		return 0;
	return memcmp(s, c, m * sizeof(*s)) == 0 ? (int)m : 0;
}

static int
l10_ends(const uint32_t *s, size_t n, const char *p)
{
	uint32_t c[8];
	size_t m = decode_all(p, c, 8);
	if (n < m + 2)
		return 0;
	return memcmp(s + n - m, c, m * sizeof(*s)) == 0 ? (int)m : 0;
}

static void
l10_token(uint32_t *s, size_t n, struct toks *t)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) { /* ArabicNormalizer */
		uint32_t c = s[i];
		if (c == 0x0622 || c == 0x0623 || c == 0x0625)
			c = 0x0627;
		else if (c == 0x0649)
			c = 0x064A;
		else if (c == 0x0629)
			c = 0x0647;
		else if (c == 0x0640 || (c >= 0x064B && c <= 0x0652))
			continue;
		s[o++] = c;
	}
	n = o;
	for (size_t i = 0; i < sizeof(l10_prefixes) / sizeof(l10_prefixes[0]); i++) {
		int m = l10_starts(s, n, l10_prefixes[i]);
		if (m > 0) {
			memmove(s, s + m, (n - (size_t)m) * sizeof(*s));
			n -= (size_t)m;
			break;
		}
	}
	for (size_t i = 0; i < sizeof(l10_suffixes) / sizeof(l10_suffixes[0]); i++) {
		int m = l10_ends(s, n, l10_suffixes[i]);
		if (m > 0)
			n -= (size_t)m;
	}
	char buf[1024];
	size_t b = 0;
	for (size_t i = 0; i < n; i++)
		b += put_utf8(buf + b, s[i]);
	if (b > 0)
		toks_add(t, buf, b);
}

static void
run_light10(const char *w, enum lang lang, struct toks *t)
{
	uint32_t c[256], tok[256];
	size_t n = decode_all(w, c, 256), m = 0;
	for (size_t i = 0; i <= n; i++) {
		int in = 0;
		uint32_t x = 0;
		if (i < n) {
			x = c[i];
			int8_t ty = u_charType((UChar32)x);
			in = (ty >= U_UPPERCASE_LETTER && ty <= U_OTHER_LETTER) ||
			     (ty >= U_NON_SPACING_MARK && ty <= U_OTHER_NUMBER) ||
			     ty == U_FORMAT_CHAR;
			/* UAX#29 MidLetter: an apostrophe between letters stays */
			if ((x == '\'' || x == 0x2019) && m > 0 && i + 1 < n && u_isalpha((UChar32)c[i + 1]))
				in = 1;
		}
		if (!in) {
			if (m > 0)
				l10_token(tok, m, t);
			m = 0;
			continue;
		}
		x = (uint32_t)u_tolower((UChar32)x);
		if (u_charType((UChar32)x) == U_DECIMAL_DIGIT_NUMBER)
			x = (uint32_t)('0' + u_charDigitValue((UChar32)x));
		tok[m++] = x;
	}
}

/* ---- (5) our normalization, then Snowball Arabic ---- */

static void
run_ours_sb(const char *w, enum lang lang, struct toks *t)
{
	struct toks p = {0};
	search_analyze(w, strlen(w), LANG_AR, ANALYZE_PREFIX, collect, &p);
	char *save = NULL;
	for (char *tok = strtok_r(p.s, "|", &save); tok != NULL; tok = strtok_r(NULL, "|", &save))
		run_snowball_word(tok, strlen(tok), LANG_AR, t);
}

/* ---- evaluation ---- */

typedef void (*analyzer_fn)(const char *, enum lang, struct toks *);

struct analyzer {
	const char *name;
	analyzer_fn fn;
	int arabic_only;
};

static const struct analyzer analyzers[] = {
	{"ours", run_ours, 0},
	{"snowball", run_snowball, 0},
	{"unicode61", run_unicode61, 0},
	{"light10", run_light10, 0},
	{"ours-norm+snowball", run_ours_sb, 1},
};

static int
merged(const struct analyzer *an, const struct pair *p, struct toks *x, struct toks *y)
{
	memset(x, 0, sizeof(*x));
	memset(y, 0, sizeof(*y));
	an->fn(p->a, p->lang, x);
	an->fn(p->b, p->lang, y);
	return x->count > 0 && x->n == y->n && strcmp(x->s, y->s) == 0;
}

static int
load(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	char line[1024];
	while (fgets(line, sizeof(line), f) != NULL && npairs < PAIRS_MAX) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *f0 = strtok(line, "\t"), *f1 = strtok(NULL, "\t"), *f2 = strtok(NULL, "\t"),
		     *f3 = strtok(NULL, "\t"), *f4 = strtok(NULL, "\t");
		if (f3 == NULL)
			continue;
		struct pair *p = &pairs[npairs++];
		p->same = strcmp(f0, "same") == 0;
		p->lang = lang_from_code(f1);
		snprintf(p->a, sizeof(p->a), "%s", f2);
		snprintf(p->b, sizeof(p->b), "%s", f3);
		snprintf(p->cls, sizeof(p->cls), "%s", f4 != NULL ? f4 : "");
	}
	fclose(f);
	return 0;
}

static int
count_token(void *ctx, const char *text, size_t len, size_t start, size_t end, int colocated)
{
	if (!colocated)
		++*(size_t *)ctx;
	return 0;
}

/* CPU time of this thread: the measure holds on a busy machine. */
static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Builds a ~16 MB text from the files (or the seed page and the pairs) and times the
 * analyzer over it, one "document" per line. */
static void
speed(int nfiles, char **files)
{
	size_t cap = 1 << 20, len = 0;
	char *base = malloc(cap);
	static char *seed[] = {"../shared/seeds/000_248efed7ae963327.txt"};
	if (nfiles == 0) {
		nfiles = 1;
		files = seed;
	}
	for (int i = 0; i < nfiles; i++) {
		FILE *f = fopen(files[i], "r");
		if (f == NULL)
			continue;
		len += fread(base + len, 1, cap - len - 1, f);
		fclose(f);
	}
	for (size_t i = 0; i < npairs && len + 600 < cap; i++)
		len += (size_t)snprintf(base + len, cap - len, "%s %s\n", pairs[i].a, pairs[i].b);
	size_t total = 16u << 20;
	char *text = malloc(total);
	size_t n = 0;
	while (n + len <= total) {
		memcpy(text + n, base, len);
		n += len;
	}
	static const struct {
		enum analyze_mode mode;
		const char *name;
	} modes[] = {{ANALYZE_INDEX, "index"}, {ANALYZE_QUERY, "query"}};
	for (size_t m = 0; m < 2; m++) {
		size_t tokens = 0;
		double t0 = now();
		for (size_t i = 0; i < n;) {
			const char *nl = memchr(text + i, '\n', n - i);
			size_t e = nl != NULL ? (size_t)(nl - text) : n;
			search_analyze(text + i, e - i, LANG_EN, modes[m].mode, count_token, &tokens);
			i = e + 1;
		}
		double dt = now() - t0;
		printf("speed (%s mode): %.1f MB in %.2f s of CPU: %.0f words/s, %.1f MB/s\n",
		       modes[m].name, (double)n / 1e6, dt, (double)tokens / dt,
		       (double)n / 1e6 / dt);
	}
	free(text);
	free(base);
}

int
main(int argc, char **argv)
{
	int verbose = 0, a = 1;
	if (a < argc && strcmp(argv[a], "-v") == 0) {
		verbose = 1;
		a++;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: analyzer_eval [-v] PAIRS.tsv [TEXT_FILE ...]\n");
		return 2;
	}
	if (load(argv[a]) < 0)
		return 1;
	sb[LANG_AR] = sb_stemmer_new("arabic", "UTF_8");
	sb[LANG_EN] = sb_stemmer_new("english", "UTF_8");
	sb[LANG_FR] = sb_stemmer_new("french", "UTF_8");
	struct toks x, y;
	/* counts[analyzer][held-out][arabic][same][merged] */
	static int cnt[sizeof(analyzers) / sizeof(analyzers[0])][2][2][2][2];
	for (size_t k = 0; k < sizeof(analyzers) / sizeof(analyzers[0]); k++) {
		const struct analyzer *an = &analyzers[k];
		for (size_t i = 0; i < npairs; i++) {
			const struct pair *p = &pairs[i];
			int ar = p->lang == LANG_AR, ho = strcmp(p->cls, "held-out") == 0;
			if (an->arabic_only && !ar)
				continue;
			int m = merged(an, p, &x, &y);
			cnt[k][ho][ar][p->same][m]++;
			if (verbose && k == 0 && m != p->same)
				printf("  MISS %-9s %s: %s [%s] / %s [%s]\n", p->same ? "same" : "different",
				       p->cls, p->a, x.s, p->b, y.s);
		}
	}
	static const char *const sets[] = {"tuning set", "held-out set", "all pairs"};
	for (int set = 0; set < 3; set++) {
		printf("\n%s\n%-20s | %-16s | %-16s | %-16s\n", sets[set], "analyzer",
		       "Arabic same/diff", "en+fr same/diff", "all same/diff");
		for (size_t k = 0; k < sizeof(analyzers) / sizeof(analyzers[0]); k++) {
			int c[2][2][2] = {{{0}}}; /* [arabic][same][merged] */
			for (int ho = 0; ho < 2; ho++) {
				if (set < 2 && ho != set)
					continue;
				for (int ar = 0; ar < 2; ar++)
					for (int sm = 0; sm < 2; sm++)
						for (int m = 0; m < 2; m++)
							c[ar][sm][m] += cnt[k][ho][ar][sm][m];
			}
			char col[3][40];
			for (int ar = 0; ar < 3; ar++) {
				int s1 = 0, s0 = 0, d1 = 0, d0 = 0;
				for (int x2 = 0; x2 < 2; x2++) {
					if (ar < 2 && x2 != (ar == 0))
						continue;
					s1 += c[x2][1][1], s0 += c[x2][1][0];
					d1 += c[x2][0][1], d0 += c[x2][0][0];
				}
				if (analyzers[k].arabic_only && ar != 0)
					snprintf(col[ar], sizeof(col[ar]), "-");
				else
					snprintf(col[ar], sizeof(col[ar]), "%3d/%-3d %2d/%d", s1, s1 + s0, d1,
						 d1 + d0);
			}
			printf("%-20s | %-16s | %-16s | %-16s\n", analyzers[k].name, col[0], col[1],
			       col[2]);
		}
	}
	printf("(same: pairs merged, higher is better; diff: unrelated pairs wrongly merged, "
	       "lower is better)\n\n");
	/* Idempotence: the query stem of a query stem is itself. */
	int unstable = 0, words = 0;
	for (size_t i = 0; i < npairs; i++) {
		for (int w = 0; w < 2; w++) {
			const char *word = w ? pairs[i].b : pairs[i].a;
			struct toks once = {0}, twice = {0};
			char joined[TOK_MAX];
			run_ours(word, pairs[i].lang, &once);
			snprintf(joined, sizeof(joined), "%s", once.s);
			for (char *c = joined; *c; c++)
				if (*c == '|')
					*c = ' ';
			run_ours(joined, pairs[i].lang, &twice);
			words++;
			if (strcmp(once.s, twice.s) != 0) {
				unstable++;
				if (verbose)
					printf("  UNSTABLE %s -> %s -> %s\n", word, once.s, twice.s);
			}
		}
	}
	printf("idempotence: %d of %d words give a different stem when their stem is analyzed "
	       "again\n",
	       unstable, words);
	speed(argc - a - 1, argv + a + 1);
	for (int i = 0; i < LANG_COUNT; i++)
		sb_stemmer_delete(sb[i]);
	search_thread_free();
	return 0;
}
