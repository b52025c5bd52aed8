/* search_analyze: the analyzer: words, NFKC + case folding, per-script chains, stems. */
#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "core/core_utf8.h"
#include "search/search.h"
#include "search/search_internal.h"


/*
 * A word is a maximal run of letters, marks and numbers; format characters inside it
 * (ZWJ, ZWNJ, LRM/RLM, soft hyphen, bidi controls) are dropped without ending it.
 * A change between Arabic-script letters and other letters ends a word, and so does
 * a change between Arabic letters and digits (2018م -> 2018, م). Apostrophes end
 * words, except that French elisions (l' d' qu' ...) are dropped with their
 * apostrophe and an English possessive 's is dropped.
 *
 * Only the first RAW_MAX code points of a word are read (the rest is skipped, the
 * offsets still cover it); after normalization (and, for Arabic, the removal of
 * tashkeel and tatweel) a word is cut at WORD_MAX code points.
 */
#define RAW_MAX 256
#define NORM_MAX 1024
#define WORD_MAX 64
#define TOKEN_BYTES (2 * WORD_MAX * 4 + 32)

enum script { SC_NONE, SC_ARABIC, SC_OTHER };
enum cclass { C_SEP, C_LETTER, C_MARK, C_NUMBER, C_FORMAT, C_APOS };
enum stemmer { SB_ENGLISH, SB_FRENCH, SB_COUNT };

static const char *const sb_names[SB_COUNT] = {
	[SB_ENGLISH] = "english",
	[SB_FRENCH] = "french",
};

/* Per-thread working memory: reused for every word, freed at thread exit. */
struct analyze_thread {
	struct sb_stemmer *sb[SB_COUNT];
	uint32_t raw[RAW_MAX];
	UChar src[RAW_MAX * 2];
	UChar norm[NORM_MAX];
	uint32_t word[NORM_MAX];
	uint32_t a[2 * WORD_MAX + 2], b[2 * WORD_MAX + 2];
	char stem[TOKEN_BYTES], surface[TOKEN_BYTES], bare[TOKEN_BYTES];
};

/* The word being read. */
struct scan {
	enum lang doc;
	enum analyze_mode mode;
	search_token_fn fn;
	void *ctx;
	struct analyze_thread *t;
	size_t nraw, start, end;
	enum script letters;
	int numbers, fast;
};

static int
is_apostrophe(uint32_t c)
{
	return c == 0x0027 || c == 0x2019 || c == 0x02BC;
}

/* Classes of U+0000..U+06FF (Latin, Greek, Cyrillic, Arabic), filled at start-up. */
#define CLASS_FAST 0x0700
static uint8_t class_table[CLASS_FAST];

static enum cclass
classify_slow(uint32_t c)
{
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return C_LETTER;
		if (c >= '0' && c <= '9')
			return C_NUMBER;
		return c == '\'' ? C_APOS : C_SEP;
	}
	if (is_apostrophe(c))
		return C_APOS;
	switch (u_charType((UChar32)c)) {
	case U_UPPERCASE_LETTER:
	case U_LOWERCASE_LETTER:
	case U_TITLECASE_LETTER:
	case U_MODIFIER_LETTER:
	case U_OTHER_LETTER:
		return C_LETTER;
	case U_NON_SPACING_MARK:
	case U_ENCLOSING_MARK:
	case U_COMBINING_SPACING_MARK:
		return C_MARK;
	case U_DECIMAL_DIGIT_NUMBER:
	case U_LETTER_NUMBER:
	case U_OTHER_NUMBER:
		return C_NUMBER;
	case U_FORMAT_CHAR:
		return C_FORMAT;
	default:
		return C_SEP;
	}
}

static enum cclass
classify(uint32_t c)
{
	return c < CLASS_FAST ? (enum cclass)class_table[c] : classify_slow(c);
}

static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int key_ok;
static const UNormalizer2 *nfkc_cf;

static void
thread_destroy(void *p)
{
	struct analyze_thread *t = p;
	if (t == NULL)
		return;
	for (int i = 0; i < SB_COUNT; i++)
		if (t->sb[i] != NULL)
			sb_stemmer_delete(t->sb[i]);
	free(t);
}

static void
key_init(void)
{
	UErrorCode err = U_ZERO_ERROR;
	nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
	if (U_FAILURE(err))
		nfkc_cf = NULL;
	key_ok = pthread_key_create(&thread_key, thread_destroy) == 0;
	for (uint32_t c = 0; c < CLASS_FAST; c++)
		class_table[c] = (uint8_t)classify_slow(c);
}

static struct analyze_thread *
thread_state(void)
{
	pthread_once(&key_once, key_init);
	if (!key_ok || nfkc_cf == NULL || arabic_init() < 0)
		return NULL;
	struct analyze_thread *t = pthread_getspecific(thread_key);
	if (t != NULL)
		return t;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	if (pthread_setspecific(thread_key, t) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
search_thread_free(void)
{
	pthread_once(&key_once, key_init);
	if (!key_ok)
		return;
	struct analyze_thread *t = pthread_getspecific(thread_key);
	if (t == NULL)
		return;
	pthread_setspecific(thread_key, NULL);
	thread_destroy(t);
}


/* Code points for which NFKC + case folding is the identity or a plain +0x20 (the
 * common case: ASCII, Latin-1 letters, the basic Arabic block), so ICU is skipped. */
static int
fast_cp(uint32_t c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC0 && c <= 0xFF)
		return c != 0xD7 && c != 0xF7 && c != 0xDF;
	if (c >= 0x0621 && c <= 0x0652)
		return 1;
	if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9))
		return 1;
	return c == 0x0670 || c == 0x0671 || c == 0x067E || c == 0x0686 || c == 0x0698 ||
	       c == 0x06A9 || c == 0x06AF || c == 0x06CC;
}

static uint32_t
fast_fold(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 0x20;
	return c;
}

/* NFKC_Casefold of the raw word into t->word (NFKC, full case folding, default
 * ignorables removed). Returns the number of code points, -1 on an ICU error. */
static int
normalize(struct scan *s)
{
	struct analyze_thread *t = s->t;
	if (s->fast) {
		for (size_t i = 0; i < s->nraw; i++)
			t->word[i] = fast_fold(t->raw[i]);
		return (int)s->nraw;
	}
	size_t ncp = s->nraw;
	for (;;) {
		int32_t len = 0;
		for (size_t i = 0; i < ncp; i++)
			U16_APPEND_UNSAFE(t->src, len, t->raw[i]);
		UErrorCode err = U_ZERO_ERROR;
		int32_t n = unorm2_normalize(nfkc_cf, t->src, len, t->norm, NORM_MAX, &err);
		if (err == U_BUFFER_OVERFLOW_ERROR && ncp > 1) {
			ncp /= 2; /* expansions (ﷺ is 18 letters): keep what fits */
			continue;
		}
		if (U_FAILURE(err))
			return -1;
		int32_t i = 0, o = 0;
		while (i < n) {
			UChar32 c;
			U16_NEXT(t->norm, i, n, c);
			t->word[o++] = (uint32_t)c;
		}
		return o;
	}
}

static size_t
utf8_put(char *out, size_t cap, const uint32_t *w, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = w[i];
		if (c < 0x80) {
			if (o + 1 > cap)
				break;
			out[o++] = (char)c;
		} else if (c < 0x800) {
			if (o + 2 > cap)
				break;
			out[o++] = (char)(0xC0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			if (o + 3 > cap)
				break;
			out[o++] = (char)(0xE0 | (c >> 12));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			if (o + 4 > cap)
				break;
			out[o++] = (char)(0xF0 | (c >> 18));
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	return o;
}

static int
is_latin_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	       (c >= 0x1E00 && c <= 0x1EFF);
}

/* One Snowball pass over the folded Latin word t->a[0..*n): the stem, folded again,
 * replaces it. -1 on failure. */
static int
latin_stem_once(struct scan *s, size_t *n)
{
	struct analyze_thread *t = s->t;
	enum stemmer which = s->doc == LANG_FR ? SB_FRENCH : SB_ENGLISH;
	if (t->sb[which] == NULL) {
		t->sb[which] = sb_stemmer_new(sb_names[which], "UTF_8");
		if (t->sb[which] == NULL)
			return -1;
	}
	size_t in = utf8_put(t->stem, sizeof(t->stem), t->a, *n);
	const sb_symbol *out;
	size_t on;
	const char *e = which == SB_ENGLISH ? latin_en_exception(t->stem, in) : NULL;
	if (e != NULL) {
		out = (const sb_symbol *)e;
		on = strlen(e);
	} else {
		if (which == SB_FRENCH)
			latin_fr_restore(t->stem, &in, sizeof(t->stem));
		out = sb_stemmer_stem(t->sb[which], (const sb_symbol *)t->stem, (int)in);
		if (out == NULL)
			return -1;
		on = (size_t)sb_stemmer_length(t->sb[which]);
	}
	size_t m = 0, i = 0;
	while (i < on && m < WORD_MAX) {
		uint32_t c;
		int l = utf8_decode((const char *)out + i, on - i, &c);
		if (l < 0)
			break;
		t->b[m++] = c;
		i += (size_t)l;
	}
	/* restored accents that survived stemming are folded again */
	*n = latin_fold(t->b, m, t->a);
	if (*n > WORD_MAX)
		*n = WORD_MAX;
	return 0;
}

/*
 * The stem of the folded Latin word t->a[0..n) into t->stem. English: Snowball is
 * applied until the word no longer changes (at most 4 passes), so the stem of a stem
 * is itself (agreed -> agre -> agr, as agree -> agr). French: one pass; a second one
 * would over-stem (politique -> polit -> pol, visite -> visit -> vis). -1 on failure.
 */
static int
latin_stem(struct scan *s, size_t n, size_t *len)
{
	struct analyze_thread *t = s->t;
	int passes = s->doc == LANG_FR ? 1 : 4;
	for (int pass = 0; pass < passes; pass++) {
		size_t before = n;
		uint32_t prev[WORD_MAX];
		memcpy(prev, t->a, n * sizeof(*prev));
		if (latin_stem_once(s, &n) < 0)
			return -1;
		if (n == 0) { /* never expected: keep the last non-empty form */
			memcpy(t->a, prev, before * sizeof(*prev));
			n = before;
			break;
		}
		if (n == before && memcmp(prev, t->a, n * sizeof(*prev)) == 0)
			break;
	}
	*len = utf8_put(t->stem, sizeof(t->stem), t->a, n);
	return 0;
}

/* The value of a decimal digit of any script (٣ ۳ ३ ...), -1 for other numbers. */
static int
digit_value(uint32_t c)
{
	if (c >= 0x0660 && c <= 0x0669)
		return (int)(c - 0x0660);
	if (c >= 0x06F0 && c <= 0x06F9)
		return (int)(c - 0x06F0);
	if (c < CLASS_FAST || u_charType((UChar32)c) != U_DECIMAL_DIGIT_NUMBER)
		return -1;
	return u_charDigitValue((UChar32)c);
}

/* Emits the tokens of one normalized word w[0..n) (n > 0). */
static int
emit_word(struct scan *s, uint32_t *w, size_t n)
{
	struct analyze_thread *t = s->t;
	int arabic = 0, latin = 0, content = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = w[i];
		if (c >= 0x80 && classify(c) == C_NUMBER) {
			int v = digit_value(c);
			if (v >= 0)
				c = w[i] = (uint32_t)('0' + v);
		}
		if (arabic_is_letter(c))
			arabic = 1;
		else if (is_latin_letter(c))
			latin = 1;
		if (classify(c) != C_MARK)
			content = 1;
	}
	if (!content)
		return 0; /* marks alone */
	size_t slen, plen, blen = 0;
	if (arabic && s->mode == ANALYZE_INDEX) {
		/* ؤ and ئ fold to ء (so مسؤول meets مسئول), but many type the bare seat
		 * (موتمر for مؤتمر): index the stem of that spelling too, colocated */
		uint32_t bare[256];
		size_t bn = n < 256 ? n : 256, seats = 0;
		for (size_t i = 0; i < bn; i++) {
			bare[i] = w[i] == 0x0624 ? 0x0648 : w[i] == 0x0626 ? 0x064A : w[i];
			seats += bare[i] != w[i];
		}
		if (seats > 0 && (bn = arabic_fold(bare, bn)) > 0) {
			if (bn > WORD_MAX)
				bn = WORD_MAX;
			bn = arabic_stem(bare, bn);
			blen = utf8_put(t->bare, sizeof(t->bare), bare, bn);
		}
	}
	if (arabic) {
		n = arabic_fold(w, n); /* before the cut: tashkeel does not count */
		if (n == 0)
			return 0;
		if (n > WORD_MAX)
			n = WORD_MAX;
		plen = slen = 0;
		if (s->mode != ANALYZE_QUERY) {
			memcpy(t->a, w, n * sizeof(*w));
			size_t pn = arabic_prefix_form(t->a, n, s->mode == ANALYZE_PREFIX);
			plen = utf8_put(t->surface, sizeof(t->surface), t->a, pn);
		}
		if (s->mode != ANALYZE_PREFIX) {
			memcpy(t->a, w, n * sizeof(*w));
			size_t sn = arabic_stem(t->a, n);
			slen = utf8_put(t->stem, sizeof(t->stem), t->a, sn);
		}
	} else if (latin) {
		if (n > WORD_MAX)
			n = WORD_MAX;
		size_t fn = latin_fold(w, n, t->a);
		if (fn == 0)
			return 0;
		if (fn > WORD_MAX)
			fn = WORD_MAX;
		plen = utf8_put(t->surface, sizeof(t->surface), t->a, fn);
		if (s->mode == ANALYZE_PREFIX)
			slen = 0;
		else if (latin_stem(s, fn, &slen) < 0)
			return -1;
	} else {
		if (n > WORD_MAX)
			n = WORD_MAX;
		plen = utf8_put(t->surface, sizeof(t->surface), w, n);
		memcpy(t->stem, t->surface, plen);
		slen = plen;
	}
	if (slen == 0 && s->mode != ANALYZE_PREFIX) {
		memcpy(t->stem, t->surface, plen);
		slen = plen;
	}
	int rc;
	switch (s->mode) {
	case ANALYZE_PREFIX:
		return s->fn(s->ctx, t->surface, plen, s->start, s->end, 0);
	case ANALYZE_QUERY:
		return s->fn(s->ctx, t->stem, slen, s->start, s->end, 0);
	case ANALYZE_INDEX:
		rc = s->fn(s->ctx, t->stem, slen, s->start, s->end, 0);
		if (rc != 0)
			return rc;
		if (!(plen == slen && memcmp(t->stem, t->surface, plen) == 0) &&
		    (rc = s->fn(s->ctx, t->surface, plen, s->start, s->end, 1)) != 0)
			return rc;
		if (blen > 0 && !(blen == slen && memcmp(t->bare, t->stem, blen) == 0))
			return s->fn(s->ctx, t->bare, blen, s->start, s->end, 1);
		return 0;
	}
	return -1;
}

/* Ends the current word: normalizes it and emits the tokens of each part (NFKC can
 * turn one word into several: ﷺ, ½). */
static int
flush(struct scan *s)
{
	if (s->nraw == 0)
		return 0;
	int n = normalize(s);
	s->nraw = 0;
	s->letters = SC_NONE;
	s->numbers = 0;
	s->fast = 1;
	if (n < 0)
		return -1;
	uint32_t *w = s->t->word;
	int i = 0;
	while (i < n) {
		while (i < n && classify(w[i]) == C_SEP)
			i++;
		int j = i;
		while (j < n) {
			enum cclass c = classify(w[j]);
			if (c != C_LETTER && c != C_MARK && c != C_NUMBER)
				break;
			j++;
		}
		if (j > i) {
			int rc = emit_word(s, w + i, (size_t)(j - i));
			if (rc != 0)
				return rc;
		}
		i = j;
	}
	return 0;
}

static void
append(struct scan *s, uint32_t c, size_t at, size_t len)
{
	if (s->nraw == 0)
		s->start = at;
	if (s->nraw < RAW_MAX) {
		s->t->raw[s->nraw++] = c;
		if (!fast_cp(c))
			s->fast = 0;
	}
	s->end = at + len;
}

/* Next code point after at (or 0 at the end / on invalid input) and its length. */
static uint32_t
peek(const char *text, size_t n, size_t at, size_t *len)
{
	uint32_t c = 0;
	int l = at < n ? utf8_decode(text + at, n - at, &c) : -1;
	*len = l > 0 ? (size_t)l : 0;
	return l > 0 ? c : 0;
}

int
search_analyze(const char *text, size_t n, enum lang doc, enum analyze_mode mode,
	       search_token_fn fn, void *ctx)
{
	struct scan s = {
		.doc = doc, .mode = mode, .fn = fn, .ctx = ctx, .letters = SC_NONE, .fast = 1,
	};
	s.t = thread_state();
	if (s.t == NULL)
		return -1;
	size_t i = 0;
	int rc = 0;
	while (i < n) {
		uint32_t c;
		int l = utf8_decode(text + i, n - i, &c);
		if (l < 0) {
			if ((rc = flush(&s)) != 0)
				return rc;
			i++;
			continue;
		}
		size_t len = (size_t)l;
		enum cclass k = classify(c);
		enum script sc;
		switch (k) {
		case C_LETTER:
			sc = arabic_is_letter(c) ? SC_ARABIC : SC_OTHER;
			if (s.nraw > 0 && ((s.letters != SC_NONE && s.letters != sc) ||
					   (s.letters == SC_NONE && s.numbers && sc == SC_ARABIC)))
				if ((rc = flush(&s)) != 0)
					return rc;
			append(&s, c, i, len);
			s.letters = sc;
			break;
		case C_NUMBER:
			if (s.nraw > 0 && s.letters == SC_ARABIC)
				if ((rc = flush(&s)) != 0)
					return rc;
			append(&s, c, i, len);
			s.numbers = 1;
			break;
		case C_MARK:
			append(&s, c, i, len);
			break;
		case C_FORMAT:
			break;
		case C_APOS:
			if (s.nraw > 0 && s.letters == SC_OTHER) {
				size_t l2, l3;
				uint32_t c2 = peek(text, n, i + len, &l2);
				if (l2 > 0 && classify(c2) == C_LETTER && !arabic_is_letter(c2)) {
					if (!s.numbers && latin_is_elision(s.t->raw, s.nraw)) {
						s.nraw = 0; /* l'événement: drop "l'" */
						s.letters = SC_NONE;
						s.fast = 1;
						i += len;
						continue;
					}
					uint32_t c3 = peek(text, n, i + len + l2, &l3);
					enum cclass k3 = l3 > 0 ? classify(c3) : C_SEP;
					if ((c2 == 's' || c2 == 'S') && k3 != C_LETTER &&
					    k3 != C_MARK && k3 != C_NUMBER) {
						if ((rc = flush(&s)) != 0)
							return rc;
						i += len + l2; /* Irbid's: drop "'s" */
						continue;
					}
				}
			}
			if ((rc = flush(&s)) != 0)
				return rc;
			break;
		case C_SEP:
			if ((rc = flush(&s)) != 0)
				return rc;
			break;
		}
		i += len;
	}
	return flush(&s);
}
