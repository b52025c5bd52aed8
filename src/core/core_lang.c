/* core_lang: language codes, direction and Accept-Language negotiation. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_lang.h"

static const struct {
	const char *code, *dir, *native;
} langs[LANG_COUNT] = {
	[LANG_AR] = {"ar", "rtl", "العربية"},
	[LANG_EN] = {"en", "ltr", "English"},
	[LANG_FR] = {"fr", "ltr", "Français"},
};

const char *
lang_code(enum lang l)
{
	return (l >= 0 && l < LANG_COUNT) ? langs[l].code : "en";
}

const char *
lang_dir(enum lang l)
{
	return (l >= 0 && l < LANG_COUNT) ? langs[l].dir : "ltr";
}

const char *
lang_native_name(enum lang l)
{
	return (l >= 0 && l < LANG_COUNT) ? langs[l].native : "";
}

enum lang
lang_from_code_n(const char *s, size_t n)
{
	if (s == NULL || n != 2)
		return LANG_NONE;
	for (int i = 0; i < LANG_COUNT; i++)
		if (memcmp(s, langs[i].code, 2) == 0)
			return (enum lang)i;
	return LANG_NONE;
}

enum lang
lang_from_code(const char *s)
{
	return s == NULL ? LANG_NONE : lang_from_code_n(s, strlen(s));
}

/* Parses a q-value ("0.8", "1", "0") into thousandths; -1 when malformed. */
static int
parse_q(const char *p, size_t n)
{
	if (n == 0 || n > 5 || (p[0] != '0' && p[0] != '1'))
		return -1;
	int q = (p[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (p[1] != '.')
		return -1;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		q += (p[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

enum lang
lang_negotiate(const char *h)
{
	enum lang best = LANG_EN;
	int best_q = 0;
	if (h == NULL)
		return best;
	const char *p = h;
	while (*p != '\0') {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *item = p;
		p = end ? end + 1 : p + len;
		while (len > 0 && (*item == ' ' || *item == '\t'))
			item++, len--;
		size_t tag = 0;
		while (tag < len && item[tag] != ';' && item[tag] != ' ')
			tag++;
		int q = 1000;
		const char *semi = memchr(item, ';', len);
		if (semi != NULL) {
			const char *qs = semi + 1;
			while (qs < item + len && *qs == ' ')
				qs++;
			if (item + len - qs >= 2 && qs[0] == 'q' && qs[1] == '=')
				q = parse_q(qs + 2, (size_t)(item + len - qs - 2));
		}
		size_t primary = 0;
		while (primary < tag && item[primary] != '-' && item[primary] != '_')
			primary++;
		char code[3] = {0};
		if (primary == 2) {
			code[0] = (char)tolower((unsigned char)item[0]);
			code[1] = (char)tolower((unsigned char)item[1]);
		}
		enum lang l = lang_from_code(code);
		if (l != LANG_NONE && q > best_q) {
			best = l;
			best_q = q;
		}
	}
	return best;
}
