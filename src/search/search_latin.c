/* search_latin: accent and ligature folding, French elision, accent restoration. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "search/search_internal.h"

/*
 * Latin words reach the stemmer folded (é -> e, œ -> oe): visitors type French
 * without accents, so the stem must depend only on the folded spelling. Snowball's
 * French stemmer keys some suffixes on accented letters (-ité, -ée), so
 * latin_fr_restore() puts those accents back on the folded word before stemming;
 * the stem is folded again afterwards. docs/search.md shows the effect.
 */

/* Letters that do not decompose under NFD but have a plain base letter. */
struct latin_special {
	uint32_t cp;
	char to[3];
};

static const struct latin_special latin_specials[] = {
	{0x00C6, "ae"}, {0x00E6, "ae"}, {0x0152, "oe"}, {0x0153, "oe"}, {0x00D8, "o"},
	{0x00F8, "o"},	{0x0110, "d"},	{0x0111, "d"},	{0x0141, "l"},	{0x0142, "l"},
	{0x0131, "i"},	{0x00DF, "ss"}, {0x00DE, "th"}, {0x00FE, "th"}, {0x00D0, "d"},
	{0x00F0, "d"},	{0x0126, "h"},	{0x0127, "h"},	{0x0132, "ij"}, {0x0133, "ij"},
	{0x013F, "l"},	{0x0140, "l"},	{0x0149, "n"},	{0x017F, "s"},	{0x0166, "t"},
	{0x0167, "t"},	{0x014A, "n"},	{0x014B, "n"},	{0x0138, "k"},
};

/* French elided words (before ' or ’), lowercase ASCII. */
static const char *const elisions[] = {
	"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
};

/* Suffixes whose accent Snowball's French stemmer needs (folded -> accented). */
struct restore {
	const char *from, *to;
};

static const struct restore fr_restore[] = {
	{"ites", "ités"}, {"ite", "ité"},	 {"ees", "ées"},
	{"ee", "ée"},	  {"ieres", "ières"}, {"iere", "ière"},
};

/*
 * English words Snowball over-stems into an unrelated stem (organization -> organ,
 * university -> univers): a folded word beginning with `prefix` gets `stem`.
 */
struct exception {
	const char *prefix, *stem;
};

static const struct exception en_exceptions[] = {
	{"organiz", "organiz"},
	{"organis", "organiz"},
	{"universit", "universit"},
};

#define LATIN_LO 0x00C0
#define LATIN_HI 0x024F

/* Folding of U+00C0..U+024F: up to two ASCII letters, empty when the letter is not
 * folded. */
static char latin_table[LATIN_HI - LATIN_LO + 1][3];
static pthread_once_t latin_once = PTHREAD_ONCE_INIT;

static void
latin_init(void)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	for (uint32_t c = LATIN_LO; c <= LATIN_HI && U_SUCCESS(err); c++) {
		UChar d[8];
		int32_t n = unorm2_getDecomposition(nfd, (UChar32)c, d, 8, &err);
		if (U_FAILURE(err)) {
			err = U_ZERO_ERROR;
			continue;
		}
		if (n < 2 || d[0] >= 0x80 || !u_isalpha(d[0]))
			continue;
		int marks = 1;
		for (int32_t i = 1; i < n; i++)
			if (u_charType(d[i]) != U_NON_SPACING_MARK)
				marks = 0;
		if (marks) {
			latin_table[c - LATIN_LO][0] = (char)u_tolower(d[0]);
			latin_table[c - LATIN_LO][1] = '\0';
		}
	}
	for (size_t i = 0; i < sizeof(latin_specials) / sizeof(latin_specials[0]); i++)
		memcpy(latin_table[latin_specials[i].cp - LATIN_LO], latin_specials[i].to, 3);
}

/*
 * Folds a case-folded Latin-script word: accented letters to their base letter,
 * ligatures and special letters to ASCII (œ -> oe, æ -> ae, ø -> o, ł -> l),
 * combining marks deleted. out has room for 2 * n code points. Returns the length.
 */
size_t
latin_fold(const uint32_t *w, size_t n, uint32_t *out)
{
	pthread_once(&latin_once, latin_init);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = w[i];
		if (c < 0x80) {
			out[o++] = c;
			continue;
		}
		if (c >= LATIN_LO && c <= LATIN_HI && latin_table[c - LATIN_LO][0] != '\0') {
			const char *t = latin_table[c - LATIN_LO];
			out[o++] = (uint32_t)(unsigned char)t[0];
			if (t[1] != '\0')
				out[o++] = (uint32_t)(unsigned char)t[1];
			continue;
		}
		int8_t type = u_charType((UChar32)c);
		if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK)
			continue;
		out[o++] = c;
	}
	return o;
}

/* 1 when w[0..n) (any case) is a French elided word: l d j m n s t c qu jusqu ... */
int
latin_is_elision(const uint32_t *w, size_t n)
{
	char s[8];
	if (n == 0 || n >= sizeof(s))
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = w[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c < 'a' || c > 'z')
			return 0;
		s[i] = (char)c;
	}
	s[n] = '\0';
	for (size_t i = 0; i < sizeof(elisions) / sizeof(elisions[0]); i++)
		if (strcmp(s, elisions[i]) == 0)
			return 1;
	return 0;
}

/*
 * Puts back on a folded French word (UTF-8 s of *n bytes, room for cap) the accent of
 * a suffix Snowball's French stemmer recognizes only accented: -ité(s), -ée(s),
 * -ière(s). Only words of at least 5 letters. Updates *n.
 */
void
latin_fr_restore(char *s, size_t *n, size_t cap)
{
	if (*n < 5)
		return;
	for (size_t i = 0; i < sizeof(fr_restore) / sizeof(fr_restore[0]); i++) {
		size_t fl = strlen(fr_restore[i].from), tl = strlen(fr_restore[i].to);
		if (*n < fl + 2 || memcmp(s + *n - fl, fr_restore[i].from, fl) != 0)
			continue;
		if (*n - fl + tl > cap)
			return;
		memcpy(s + *n - fl, fr_restore[i].to, tl);
		*n = *n - fl + tl;
		return;
	}
}

/* The stem of a folded English word (UTF-8 s, n bytes) when it is an exception to
 * Snowball (en_exceptions), NULL otherwise. */
const char *
latin_en_exception(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(en_exceptions) / sizeof(en_exceptions[0]); i++) {
		size_t pl = strlen(en_exceptions[i].prefix);
		if (n >= pl && memcmp(s, en_exceptions[i].prefix, pl) == 0)
			return en_exceptions[i].stem;
	}
	return NULL;
}
