/* render_i18n: gettext catalogs chosen per thread, and ICU formatting of dates, time
 * zones, numbers and country names. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/ucal.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "core/core_log.h"
#include "core/core_time.h"
#include "render/render_i18n.h"

#define I18N_DOMAIN "tawama"
#define I18N_TZ_MAX 64		/* bytes of an IANA zone id, NUL included */
#define I18N_CACHE 16		/* date formats kept per thread */
#define I18N_OUT 256		/* UTF-16 units of one formatted item */
#define I18N_COUNTRIES 300

static const struct {
	const char *posix;	/* glibc locale, built by localedef into LOCPATH */
	const char *icu;	/* ICU locale: ICU picks Arabic-Indic digits for "ar" */
} lang_locales[LANG_COUNT] = {
	[LANG_AR] = {"ar_JO.UTF-8", "ar"},
	[LANG_EN] = {"en_US.UTF-8", "en"},
	[LANG_FR] = {"fr_FR.UTF-8", "fr"},
};

enum style { ST_DATETIME, ST_DATE, ST_TIME, ST_ZONE, ST_GMT };

static const UChar zone_pattern[] = {'z', 'z', 'z', 'z', 0};	/* long specific name */
static const UChar gmt_pattern[] = {'Z', 'Z', 'Z', 'Z', 0};	/* "GMT+03:00" */

static const struct {
	UDateFormatStyle date, time;
	const UChar *pattern;
} styles[] = {
	[ST_DATETIME] = {UDAT_FULL, UDAT_SHORT, NULL},
	[ST_DATE] = {UDAT_MEDIUM, UDAT_NONE, NULL},
	[ST_TIME] = {UDAT_NONE, UDAT_SHORT, NULL},
	[ST_ZONE] = {UDAT_PATTERN, UDAT_PATTERN, zone_pattern},
	[ST_GMT] = {UDAT_PATTERN, UDAT_PATTERN, gmt_pattern},
};

/* ICU formatters are not safe to share between threads and cost tens of
 * microseconds to open, so each thread keeps the ones it used last. */
struct fmt_entry {
	UDateFormat *f;
	enum lang lang;
	enum style style;
	char tz[I18N_TZ_MAX];
};

struct thread_cache {
	struct fmt_entry e[I18N_CACHE];
	unsigned next;		/* entry replaced on the next miss */
	UNumberFormat *num[LANG_COUNT];
	UNumberFormat *plain[LANG_COUNT];	/* without grouping: years */
};

static locale_t locales[LANG_COUNT];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static pthread_once_t country_once = PTHREAD_ONCE_INIT;
static const char *countries[I18N_COUNTRIES + 1];
static size_t country_count;

/* Codes ICU lists that ISO 3166-1 only reserves (DG Diego Garcia, EA Ceuta and
 * Melilla, IC Canary Islands) or does not assign (XK Kosovo). */
static const char *const not_iso[] = {"DG", "EA", "IC", "XK"};

static void
cache_free(void *p)
{
	struct thread_cache *c = p;

	if (c == NULL)
		return;
	for (size_t i = 0; i < I18N_CACHE; i++)
		if (c->e[i].f != NULL)
			udat_close(c->e[i].f);
	for (size_t i = 0; i < LANG_COUNT; i++) {
		if (c->num[i] != NULL)
			unum_close(c->num[i]);
		if (c->plain[i] != NULL)
			unum_close(c->plain[i]);
	}
	free(c);
}

static void
make_key(void)
{
	if (pthread_key_create(&cache_key, cache_free) != 0)
		die("i18n: pthread_key_create failed");
}

static struct thread_cache *
thread_cache(void)
{
	pthread_once(&key_once, make_key);
	struct thread_cache *c = pthread_getspecific(cache_key);
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL || pthread_setspecific(cache_key, c) != 0)
			die("i18n: out of memory for a thread's formatters");
	}
	return c;
}

/* Frees the locales and the calling thread's formatters (other threads free
 * theirs when they exit). The caller goes back to the global locale. */
void
i18n_free(void)
{
	uselocale(LC_GLOBAL_LOCALE);
	for (size_t i = 0; i < LANG_COUNT; i++) {
		if (locales[i] != (locale_t)0)
			freelocale(locales[i]);
		locales[i] = (locale_t)0;
	}
	pthread_once(&key_once, make_key);
	cache_free(pthread_getspecific(cache_key));
	pthread_setspecific(cache_key, NULL);
}

/* The locale called name with numbers, dates and money from "C": only messages
 * and character types follow the reader, while printf, strtod and strftime keep
 * the "1.5" and "Wed" that feeds, HTTP headers and SVG coordinates need (ICU does
 * the reader's formats). Built through the global locale and duplocale because
 * glibc 2.36's newlocale leaks its LOCPATH search list on every call; setlocale
 * frees it. Start-up only: setlocale is not thread-safe. */
static locale_t
open_locale(const char *name)
{
	if (setlocale(LC_ALL, name) == NULL || setlocale(LC_NUMERIC, "C") == NULL ||
	    setlocale(LC_TIME, "C") == NULL || setlocale(LC_MONETARY, "C") == NULL)
		return (locale_t)0;
	return duplocale(LC_GLOBAL_LOCALE);
}

/* Opens the three locales from locale_dir and binds the catalogs in mo_dir; see
 * render_i18n.h. Call once at start-up, before threads: the global locale is
 * borrowed meanwhile and given back. */
int
i18n_init(const char *locale_dir, const char *mo_dir)
{
	char locpath[PATH_MAX], modir[PATH_MAX], mo[PATH_MAX + 64];
	const char *cur = setlocale(LC_ALL, NULL);
	char *saved = strdup(cur != NULL ? cur : "C");
	int rc = -1;

	i18n_free();
	if (saved == NULL)
		die("i18n: out of memory");
	if (realpath(locale_dir, locpath) == NULL) {
		log_error("i18n: locale folder %s: %s (make builds it)", locale_dir, strerror(errno));
		goto fail;
	}
	if (realpath(mo_dir, modir) == NULL) {
		log_error("i18n: catalog folder %s: %s (make builds it)", mo_dir, strerror(errno));
		goto fail;
	}
	if (setenv("LOCPATH", locpath, 1) != 0)
		goto fail;
	/* LANGUAGE outranks the thread's locale in gettext: a server started from a
	 * desktop session would answer every reader in that session's language. */
	unsetenv("LANGUAGE");
	for (size_t i = 0; i < LANG_COUNT; i++) {
		locales[i] = open_locale(lang_locales[i].posix);
		if (locales[i] == (locale_t)0) {
			log_error("i18n: cannot open locale %s in %s (make builds it with localedef)",
				  lang_locales[i].posix, locpath);
			goto fail;
		}
		snprintf(mo, sizeof(mo), "%s/%s/LC_MESSAGES/%s.mo", modir, lang_code((enum lang)i),
			 I18N_DOMAIN);
		if (access(mo, R_OK) != 0) {
			log_error("i18n: catalog %s: %s (make builds it with msgfmt)", mo, strerror(errno));
			goto fail;
		}
	}
	if (bindtextdomain(I18N_DOMAIN, modir) == NULL ||
	    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8") == NULL || textdomain(I18N_DOMAIN) == NULL) {
		log_error("i18n: cannot bind text domain %s to %s", I18N_DOMAIN, modir);
		goto fail;
	}
	rc = 0;
fail:
	setlocale(LC_ALL, saved);
	free(saved);
	if (rc < 0)
		i18n_free();
	return rc;
}

/* Makes the calling thread's gettext answer in l; see render_i18n.h. An unknown
 * language, or one used before i18n_init, gets the global (C) locale: English. */
void
i18n_use(enum lang l)
{
	if (l >= 0 && l < LANG_COUNT && locales[l] != (locale_t)0)
		uselocale(locales[l]);
	else
		uselocale(LC_GLOBAL_LOCALE);
}

static enum lang
valid_lang(enum lang l)
{
	return l >= 0 && l < LANG_COUNT ? l : LANG_EN;
}

/* n UTF-16 units as UTF-8 in the arena (at most 3 bytes per unit). */
static const char *
to_utf8(struct arena *a, const UChar *s, int32_t n)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t len = 0;
	char *out = arena_alloc(a, (size_t)n * 3 + 1);

	u_strToUTF8(out, n * 3 + 1, &len, s, n, &status);
	if (U_FAILURE(status))
		out[0] = '\0';
	return out;
}

/* 1 when tz is a system zone id ICU knows ("Asia/Beirut", "UTC", old links such
 * as "US/Eastern"), 0 for anything else, custom "GMT+03:00" ids included. */
int
i18n_tz_valid(const char *tz)
{
	UChar u[I18N_TZ_MAX], canon[I18N_TZ_MAX * 2];
	UErrorCode status = U_ZERO_ERROR;
	UBool system = 0;
	int32_t n = 0;

	if (tz == NULL || strnlen(tz, I18N_TZ_MAX) >= I18N_TZ_MAX || tz[0] == '\0')
		return 0;
	u_strFromUTF8(u, I18N_TZ_MAX, &n, tz, -1, &status);
	if (U_FAILURE(status))
		return 0;
	ucal_getCanonicalTimeZoneID(u, n, canon, I18N_TZ_MAX * 2, &system, &status);
	return U_SUCCESS(status) && system;
}

/* A Gregorian calendar in zone tz (validated), or NULL. The caller closes it. */
static UCalendar *
zone_calendar(const char *tz)
{
	UChar u[I18N_TZ_MAX];
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = 0;
	if (!i18n_tz_valid(tz))
		return NULL;
	u_strFromUTF8(u, I18N_TZ_MAX, &n, tz, -1, &status);
	if (U_FAILURE(status))
		return NULL;
	UCalendar *cal = ucal_open(u, n, "en_US_POSIX", UCAL_GREGORIAN, &status);
	if (U_FAILURE(status)) {
		if (cal != NULL)
			ucal_close(cal);
		return NULL;
	}
	ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
	return cal;
}

/* The local fields of the calendar's current instant. */
static void
local_fields(UCalendar *cal, int f[5], UErrorCode *status)
{
	static const UCalendarDateFields which[5] = {UCAL_YEAR, UCAL_MONTH, UCAL_DATE,
						     UCAL_HOUR_OF_DAY, UCAL_MINUTE};
	for (int i = 0; i < 5; i++)
		f[i] = ucal_get(cal, which[i], status);
	f[1] += 1;	/* ICU months count from 0 */
}

int
i18n_local_to_utc(const char *tz, int y, int mo, int d, int h, int mi, int64_t *out)
{
	if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59)
		return -1;
	/* a day the month does not have (April 31) */
	int64_t y2;
	unsigned m2, d2;
	time_civil_from_days(time_days_from_civil(y, (unsigned)mo, (unsigned)d), &y2, &m2, &d2);
	if ((int)m2 != mo || (int)d2 != d)
		return -1;
	UCalendar *cal = zone_calendar(tz);
	if (cal == NULL)
		return -1;
	UErrorCode status = U_ZERO_ERROR;
	ucal_clear(cal);
	ucal_setDateTime(cal, y, mo - 1, d, h, mi, 0, &status);
	UDate ms = ucal_getMillis(cal, &status);
	int back[5];
	if (U_SUCCESS(status)) {
		/* a skipped local time comes out moved by the gap: read it back */
		ucal_setMillis(cal, ms, &status);
		local_fields(cal, back, &status);
	}
	ucal_close(cal);
	if (U_FAILURE(status))
		return -1;
	*out = (int64_t)(ms / 1000.0);
	return back[0] == y && back[1] == mo && back[2] == d && back[3] == h && back[4] == mi ? 0 : 1;
}

int
i18n_local_format(int64_t t, const char *tz, char out[20])
{
	if (t < TIME_MIN || t > TIME_MAX)
		return -1;
	UCalendar *cal = zone_calendar(tz);
	if (cal == NULL)
		return -1;
	UErrorCode status = U_ZERO_ERROR;
	int f[5];
	ucal_setMillis(cal, (UDate)t * 1000.0, &status);
	local_fields(cal, f, &status);
	ucal_close(cal);
	char s[64];
	if (U_FAILURE(status) ||
	    snprintf(s, sizeof(s), "%04d-%02d-%02dT%02d:%02d", f[0], f[1], f[2], f[3], f[4]) != 16)
		return -1;
	memcpy(out, s, 17);
	return 0;
}

/* The calling thread's formatter for (l, style, tz), opened on a miss. A zone ICU
 * does not know is shown as UTC (callers validate zones on input). */
static UDateFormat *
date_format(enum lang l, enum style st, const char *tz)
{
	struct thread_cache *c = thread_cache();
	UErrorCode status = U_ZERO_ERROR;
	UChar utz[I18N_TZ_MAX];
	int32_t n = 0;

	if (tz == NULL || strnlen(tz, I18N_TZ_MAX) >= I18N_TZ_MAX)
		tz = "UTC";
	for (size_t i = 0; i < I18N_CACHE; i++) {
		struct fmt_entry *e = &c->e[i];
		if (e->f != NULL && e->lang == l && e->style == st && strcmp(e->tz, tz) == 0)
			return e->f;
	}
	u_strFromUTF8(utz, I18N_TZ_MAX, &n, i18n_tz_valid(tz) ? tz : "UTC", -1, &status);
	UDateFormat *f = udat_open(styles[st].time, styles[st].date, lang_locales[l].icu, utz, n,
				   styles[st].pattern, styles[st].pattern != NULL ? -1 : 0, &status);
	if (U_FAILURE(status)) {
		log_error("i18n: udat_open(%s, %s): %s", lang_locales[l].icu, tz, u_errorName(status));
		if (f != NULL)
			udat_close(f);
		return NULL;
	}
	struct fmt_entry *e = &c->e[c->next];
	c->next = (c->next + 1) % I18N_CACHE;
	if (e->f != NULL)
		udat_close(e->f);
	e->f = f;
	e->lang = l;
	e->style = st;
	snprintf(e->tz, sizeof(e->tz), "%s", tz);
	return f;
}

/* Formats t with the thread's cached formatter; NULL when ICU failed. */
static const char *
format_instant(struct arena *a, enum lang l, enum style st, int64_t t, const char *tz)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar out[I18N_OUT];

	UDateFormat *f = date_format(valid_lang(l), st, tz);
	if (f == NULL)
		return NULL;
	int32_t n = udat_format(f, (UDate)t * 1000.0, out, I18N_OUT, NULL, &status);
	if (U_FAILURE(status) || n <= 0)
		return NULL;
	return to_utf8(a, out, n);
}

static const char *
rfc3339(struct arena *a, int64_t t)
{
	char s[32];
	time_format_rfc3339(t, s);
	return arena_strdup(a, s);
}

/* Date and time of t in tz for l; see render_i18n.h. RFC 3339 if ICU fails. */
const char *
i18n_datetime(struct arena *a, enum lang l, int64_t t, const char *tz)
{
	const char *s = format_instant(a, l, ST_DATETIME, t, tz);
	return s != NULL ? s : rfc3339(a, t);
}

const char *
i18n_date(struct arena *a, enum lang l, int64_t t, const char *tz)
{
	const char *s = format_instant(a, l, ST_DATE, t, tz);
	return s != NULL ? s : rfc3339(a, t);
}

const char *
i18n_time(struct arena *a, enum lang l, int64_t t, const char *tz)
{
	const char *s = format_instant(a, l, ST_TIME, t, tz);
	return s != NULL ? s : rfc3339(a, t);
}

/* The zone's long specific name at t ("heure d’été d’Europe de l’Est"). Where
 * CLDR has no name (Asia/Amman, Europe/Istanbul) ICU would answer "GMT+03:00";
 * the IANA id names the place, so it is shown instead, as for unknown zones. */
const char *
i18n_tz_name(struct arena *a, enum lang l, int64_t t, const char *tz)
{
	if (!i18n_tz_valid(tz))
		return arena_strdup(a, tz != NULL ? tz : "");
	const char *s = format_instant(a, l, ST_ZONE, t, tz);
	const char *gmt = format_instant(a, l, ST_GMT, t, tz);
	if (s != NULL && (gmt == NULL || strcmp(s, gmt) != 0))
		return s;
	return arena_strdup(a, tz);
}

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
build_countries(void)
{
	const char *const *c = uloc_getISOCountries();
	for (; c != NULL && *c != NULL && country_count < I18N_COUNTRIES; c++) {
		size_t i, n = sizeof(not_iso) / sizeof(not_iso[0]);
		for (i = 0; i < n && strcmp(*c, not_iso[i]) != 0; i++)
			;
		if (i == n)
			countries[country_count++] = *c;
	}
	qsort(countries, country_count, sizeof(countries[0]), cmp_code);
	countries[country_count] = NULL;
}

/* Sorted ISO 3166-1 alpha-2 codes; see render_i18n.h. */
const char *const *
i18n_country_codes(void)
{
	pthread_once(&country_once, build_countries);
	return countries;
}

/* The name of country iso2 ("JO" or "jo") in l, or NULL when the code is not an
 * assigned ISO 3166-1 code; see render_i18n.h. */
const char *
i18n_country_name(struct arena *a, enum lang l, const char *iso2)
{
	char loc[8] = "und_";
	const char *code = loc + 4;
	UErrorCode status = U_ZERO_ERROR;
	UChar out[I18N_OUT];

	if (iso2 == NULL || strnlen(iso2, 3) != 2)
		return NULL;
	for (size_t i = 0; i < 2; i++) {
		char ch = iso2[i];
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 32);
		if (ch < 'A' || ch > 'Z')
			return NULL;
		loc[4 + i] = ch;
	}
	loc[6] = '\0';
	pthread_once(&country_once, build_countries);
	if (bsearch(&code, countries, country_count, sizeof(countries[0]), cmp_code) == NULL)
		return NULL;
	int32_t n = uloc_getDisplayCountry(loc, lang_locales[valid_lang(l)].icu, out, I18N_OUT,
					   &status);
	if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING || n <= 0)
		return NULL;
	return to_utf8(a, out, n);
}

struct sort_by {
	UCollator *coll;
	size_t off;
};

static int
collate(const void *x, const void *y, void *arg)
{
	const struct sort_by *by = arg;
	const char *a = *(const char *const *)((const char *)x + by->off);
	const char *b = *(const char *const *)((const char *)y + by->off);
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	if (by->coll == NULL)
		return strcmp(a, b);
	UErrorCode status = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8(by->coll, a, -1, b, -1, &status);
	if (U_FAILURE(status))
		return strcmp(a, b);
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : strcmp(a, b);
}

void
i18n_sort(enum lang l, void *base, size_t n, size_t size, size_t name_off)
{
	if (n < 2)
		return;	/* nothing to order; qsort_r must not see a NULL base */
	UErrorCode status = U_ZERO_ERROR;
	struct sort_by by = {ucol_open(lang_locales[valid_lang(l)].icu, &status), name_off};
	if (U_FAILURE(status)) {
		log_error("i18n: ucol_open(%s): %s", lang_locales[valid_lang(l)].icu,
			  u_errorName(status));
		if (by.coll != NULL)
			ucol_close(by.coll);
		by.coll = NULL;
	}
	qsort_r(base, n, size, collate, &by);
	if (by.coll != NULL)
		ucol_close(by.coll);
}

/* n with l's digits and grouping ("١٬٢٣٤", "1,234", "1 234"); ASCII on failure. */
/* Formats n with the thread's formatter *slot for l, opened on first use. */
static const char *
format_int(struct arena *a, enum lang l, int64_t n, UNumberFormat **slot, int grouping)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar out[I18N_OUT];

	if (*slot == NULL) {
		*slot = unum_open(UNUM_DECIMAL, NULL, 0, lang_locales[l].icu, NULL, &status);
		if (U_FAILURE(status)) {
			log_error("i18n: unum_open(%s): %s", lang_locales[l].icu, u_errorName(status));
			if (*slot != NULL)
				unum_close(*slot);
			*slot = NULL;
			return arena_printf(a, "%" PRId64, n);
		}
		if (!grouping)
			unum_setAttribute(*slot, UNUM_GROUPING_USED, 0);
	}
	int32_t len = unum_formatInt64(*slot, n, out, I18N_OUT, NULL, &status);
	if (U_FAILURE(status) || len <= 0)
		return arena_printf(a, "%" PRId64, n);
	return to_utf8(a, out, len);
}

const char *
i18n_number(struct arena *a, enum lang l, int64_t n)
{
	struct thread_cache *c = thread_cache();
	l = valid_lang(l);
	return format_int(a, l, n, &c->num[l], 1);
}

const char *
i18n_number_plain(struct arena *a, enum lang l, int64_t n)
{
	struct thread_cache *c = thread_cache();
	l = valid_lang(l);
	return format_int(a, l, n, &c->plain[l], 0);
}
