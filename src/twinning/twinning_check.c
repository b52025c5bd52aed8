/* twinning_check: the rules of the work plan and the reports — percentages, scores,
 * quarters, dates in order, texts — as pure functions the forms, the store and the
 * unit tests share. */
#include <string.h>

#include "core/core_time.h"
#include "core/core_utf8.h"
#include "twinning/twinning_internal.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2199

/* A whole number of 1 to 3 digits, no sign or spaces, within min..max. */
static int
small_number(const char *s, int min, int max, int *out)
{
	size_t n = s != NULL ? strlen(s) : 0;
	int v = 0;
	if (n == 0 || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
tw_percent_parse(const char *s, int *out)
{
	return small_number(s, 0, 100, out);
}

int
tw_score_parse(const char *s, int *out)
{
	return small_number(s, 1, 5, out);
}

int
tw_period_parse(const char *s, int *year, int *quarter)
{
	if (s == NULL || strlen(s) != 7 || s[4] != '-' || (s[5] != 'Q' && s[5] != 'q') ||
	    s[6] < '1' || s[6] > '4')
		return -1;
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	if (y < YEAR_MIN || y > YEAR_MAX)
		return -1;
	*year = y;
	*quarter = s[6] - '0';
	return 0;
}

/* Writes n decimal digits of v (0 <= v < 10^n) at out. */
static void
put_digits(char *out, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
tw_period_format(int year, int quarter, char out[8])
{
	put_digits(out, (unsigned)year % 10000, 4);
	out[4] = '-';
	out[5] = 'Q';
	out[6] = (char)('0' + (unsigned)quarter % 10);
	out[7] = '\0';
}

void
tw_period_days(int year, int quarter, int64_t *first, int64_t *last)
{
	unsigned m = (unsigned)(quarter - 1) * 3 + 1;
	*first = time_days_from_civil(year, m, 1);
	*last = (quarter == 4 ? time_days_from_civil(year + 1, 1, 1)
			      : time_days_from_civil(year, m + 3, 1)) - 1;
}

void
tw_period_of(int64_t t, int *year, int *quarter)
{
	int64_t y;
	unsigned m, d;
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	time_civil_from_days(day, &y, &m, &d);
	*year = (int)y;
	*quarter = (int)(m - 1) / 3 + 1;
}

int
tw_date_parse(const char *s, int64_t *day)
{
	int64_t t;
	if (s == NULL || strlen(s) != 10 || time_parse_date(s, &t) < 0)
		return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (y < YEAR_MIN || y > YEAR_MAX)
		return -1;
	*day = t / 86400;
	return 0;
}

void
tw_date_format(int64_t day, char out[11])
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	put_digits(out, (unsigned)(y % 10000), 4);
	out[4] = '-';
	put_digits(out + 5, m % 100, 2);
	out[7] = '-';
	put_digits(out + 8, d % 100, 2);
	out[10] = '\0';
}

/* The day (since 1970-01-01) instant t falls on, in UTC. */
static int64_t
day_of(int64_t t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

unsigned
tw_milestone_rules(int64_t due_day, enum milestone_status status, int progress,
		   int64_t group_created, int64_t now)
{
	unsigned broken = 0;
	if (due_day < day_of(group_created))
		broken |= TW_RULE_DUE_BEFORE_GROUP;
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day_of(now), &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	if (due_day > time_days_from_civil(y + TW_DUE_YEARS, m, d))
		broken |= TW_RULE_DUE_TOO_LATE;
	if (status == MILESTONE_DONE && progress != 100)
		broken |= TW_RULE_DONE_NOT_FULL;
	return broken;
}

unsigned
tw_report_rules(int year, int quarter, int64_t group_created, int64_t now)
{
	unsigned broken = 0;
	int64_t first, last, g_first, g_last;
	int gy, gq;
	tw_period_days(year, quarter, &first, &last);
	if (first > day_of(now))
		broken |= TW_RULE_PERIOD_FUTURE;
	tw_period_of(group_created, &gy, &gq);
	tw_period_days(gy, gq, &g_first, &g_last);
	if (first < g_first)
		broken |= TW_RULE_PERIOD_BEFORE_GROUP;
	return broken;
}

enum tw_text
tw_text_check(struct arena *a, const char *s, int multiline, size_t max, const char **out)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
			 s[n - 1] == '\n'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	if (n == 0)
		return TW_TEXT_EMPTY;
	char *copy = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0)
			return TW_TEXT_CONTROL;
		int control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
		if (multiline && (cp == '\n' || cp == '\t'))
			control = 0;
		if (multiline && cp == '\r') {
			/* "\r\n" becomes "\n"; a lone "\r" is a line break too */
			copy[k++] = '\n';
			i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		if (control)
			return TW_TEXT_CONTROL;
		memcpy(copy + k, s + i, (size_t)len);
		k += (size_t)len;
		i += (size_t)len;
	}
	copy[k] = '\0';
	if (utf8_length(copy, k) > max)
		return TW_TEXT_TOO_LONG;
	*out = copy;
	return TW_TEXT_OK;
}

int
tw_pair_problem(int64_t id_a, const char *country_a, int64_t id_b, const char *country_b)
{
	if (id_a == id_b)
		return 1;
	if (country_a != NULL && country_b != NULL && strcmp(country_a, country_b) == 0)
		return 2;
	return 0;
}
