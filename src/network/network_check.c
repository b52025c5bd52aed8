/* network_check: the rules of a municipality's record as a form gives it — names in
 * three languages, country, governorate, figures and their year — in one place for the
 * edit form and the tests. */
#include <string.h>

#include "core/core_utf8.h"
#include "network/network.h"

static const char *const field_names[MF_COUNT] = {
	[MF_NAME_AR] = "name_ar",
	[MF_NAME_EN] = "name_en",
	[MF_NAME_FR] = "name_fr",
	[MF_COUNTRY] = "country",
	[MF_GOVERNORATE] = "governorate",
	[MF_POPULATION] = "population",
	[MF_DISPLACED] = "displaced",
	[MF_YEAR] = "displaced_year",
};

const char *
network_field_name(enum muni_field f)
{
	return (unsigned)f < MF_COUNT ? field_names[f] : "?";
}

/* s without the spaces and tabs around it, in a. */
static const char *
trimmed(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	return arena_strndup(a, s, n);
}

/* A one-line text: NULL with MP_NONE when empty, else the trimmed copy (MP_NONE) or a
 * problem. */
static enum muni_problem
take_line(struct arena *a, const char *in, const char **out)
{
	*out = NULL;
	const char *s = trimmed(a, in != NULL ? in : "");
	size_t n = strlen(s);
	if (n == 0)
		return MP_NONE;
	if (!utf8_valid(s, n))
		return MP_CONTROL;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = utf8_decode(s + i, n - i, &cp);
		if (k < 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029)
			return MP_CONTROL;
		i += (size_t)k;
	}
	if (utf8_length(s, n) > NETWORK_NAME_MAX)
		return MP_TOO_LONG;
	*out = s;
	return MP_NONE;
}

/* A whole number in Western (0-9), Arabic-Indic (U+0660..) or Persian (U+06F0..)
 * digits, optionally grouped by spaces, commas, the Arabic thousands separator
 * U+066C or no-break spaces (U+00A0, U+202F); NULL or "" gives -1 (unknown). */
static enum muni_problem
take_number(const char *in, int64_t max, int64_t *out)
{
	*out = -1;
	if (in == NULL)
		return MP_NONE;
	size_t n = strlen(in);
	int64_t v = 0;
	int digits = 0, marks = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = utf8_decode(in + i, n - i, &cp);
		if (k < 0)
			return MP_NUMBER;
		i += (size_t)k;
		int d = -1;
		if (cp >= '0' && cp <= '9')
			d = (int)(cp - '0');
		else if (cp >= 0x660 && cp <= 0x669)
			d = (int)(cp - 0x660);
		else if (cp >= 0x6f0 && cp <= 0x6f9)
			d = (int)(cp - 0x6f0);
		if (d >= 0) {
			if (v > max)
				return MP_TOO_BIG;	/* and stays so: no overflow */
			v = v * 10 + d;
			digits++;
			continue;
		}
		if (cp == ' ' || cp == '\t' || cp == 0xa0 || cp == 0x202f)
			continue;	/* blanks around the number or grouping its digits */
		if (cp == ',' || cp == 0x66c) {
			marks++;	/* grouping */
			continue;
		}
		return MP_NUMBER;
	}
	if (digits == 0)
		return marks > 0 ? MP_NUMBER : MP_NONE;	/* blank: unknown */
	if (v > max)
		return MP_TOO_BIG;
	*out = v;
	return MP_NONE;
}

size_t
network_municipality_check(struct arena *a, const char *const in[MF_COUNT], int this_year,
			   struct municipality *m, enum muni_problem problems[MF_COUNT])
{
	for (int f = 0; f < MF_COUNT; f++)
		problems[f] = MP_NONE;
	static const enum muni_field name_fields[LANG_COUNT] = {
		[LANG_AR] = MF_NAME_AR, [LANG_EN] = MF_NAME_EN, [LANG_FR] = MF_NAME_FR};
	int any = 0;
	for (int l = 0; l < LANG_COUNT; l++) {
		enum muni_field f = name_fields[l];
		problems[f] = take_line(a, in[f], &m->name[l]);
		any |= m->name[l] != NULL || problems[f] != MP_NONE;
	}
	if (!any)
		problems[MF_NAME_AR] = MP_NO_NAME;

	const char *c = trimmed(a, in[MF_COUNTRY] != NULL ? in[MF_COUNTRY] : "");
	m->country = c;
	if (strlen(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')
		problems[MF_COUNTRY] = MP_COUNTRY;

	problems[MF_GOVERNORATE] = take_line(a, in[MF_GOVERNORATE], &m->governorate);
	problems[MF_POPULATION] = take_number(in[MF_POPULATION], NETWORK_FIGURE_MAX, &m->population);
	problems[MF_DISPLACED] = take_number(in[MF_DISPLACED], NETWORK_FIGURE_MAX, &m->displaced);

	int64_t year;
	enum muni_problem yp = take_number(in[MF_YEAR], 9999, &year);
	m->displaced_year = 0;
	if (yp != MP_NONE || (year >= 0 && (year < NETWORK_YEAR_MIN || year > this_year + 1)))
		problems[MF_YEAR] = MP_YEAR;
	else if (year > 0)
		m->displaced_year = (int)year;
	else if (m->displaced >= 0)
		problems[MF_YEAR] = MP_YEAR_NEEDED;

	size_t wrong = 0;
	for (int f = 0; f < MF_COUNT; f++)
		wrong += problems[f] != MP_NONE;
	return wrong;
}
