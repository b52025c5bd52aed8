/* render_i18n: UI strings (GNU gettext, one catalog per language, chosen per thread
 * with uselocale) and locale-aware dates, time zones, numbers and country names (ICU). */
#ifndef RENDER_I18N_H
#define RENDER_I18N_H
#include <libintl.h>
#include <stdint.h>

#include "core/core_arena.h"
#include "core/core_buf.h"
#include "core/core_lang.h"

#define _(s) gettext(s)
#define N_(s) (s)

/* Loads the three locales (ar_JO, en_US, fr_FR; UTF-8) from locale_dir (LOCPATH; the
 * build makes them with localedef) and binds the "tawama" text domain to mo_dir.
 * Refuses (-1, logged) when a locale cannot be opened or a catalog is missing, so a
 * page never silently falls back to English. */
int i18n_init(const char *locale_dir, const char *mo_dir);
void i18n_free(void);

/* Makes the calling thread translate into l (uselocale). */
void i18n_use(enum lang l);

/* Date and time of instant t (seconds, UTC) in IANA zone tz, formatted by ICU for l:
 * "Wednesday, July 11, 2018 at 9:00 AM" style (full date, short time). */
const char *i18n_datetime(struct arena *a, enum lang l, int64_t t, const char *tz);
/* Only the date (medium: "Jul 11, 2018"), or only the time ("9:00 AM"). */
const char *i18n_date(struct arena *a, enum lang l, int64_t t, const char *tz);
const char *i18n_time(struct arena *a, enum lang l, int64_t t, const char *tz);
/* The zone's name for readers of l at instant t, e.g. "Eastern European Summer Time";
 * falls back to the IANA id. */
const char *i18n_tz_name(struct arena *a, enum lang l, int64_t t, const char *tz);
/* 1 when tz is a time zone ICU knows (an IANA id), 0 otherwise. */
int i18n_tz_valid(const char *tz);

/* The instant (UTC seconds) when the clocks of zone tz show the local date and time
 * y-mo-d h:mi (Gregorian, years 1900 to 2199). A local time that happens twice (the
 * hour repeated when clocks are turned back) gives the first of the two. Returns 0;
 * 1 when that local time does not happen in tz (skipped when clocks are turned
 * forward); -1 when tz is unknown or a field is out of range. */
int i18n_local_to_utc(const char *tz, int y, int mo, int d, int h, int mi, int64_t *out);
/* The local date and time of instant t in zone tz, "YYYY-MM-DDTHH:MM" (the value of
 * an <input type="datetime-local">; seconds dropped). 0, or -1 (unknown zone, t out
 * of range). */
int i18n_local_format(int64_t t, const char *tz, char out[20]);

/* A country's name in l from its ISO 3166-1 alpha-2 code, or NULL if unknown. */
const char *i18n_country_name(struct arena *a, enum lang l, const char *iso2);
/* Every ISO 3166-1 alpha-2 code ICU knows, NULL-terminated (static, do not free). */
const char *const *i18n_country_codes(void);

/* Sorts n elements of size bytes at base in the alphabetical order of l (ICU
 * collation) by the string each holds at byte offset name_off (a const char *;
 * NULL sorts first). */
void i18n_sort(enum lang l, void *base, size_t n, size_t size, size_t name_off);

/* An integer in l's digits and grouping. */
const char *i18n_number(struct arena *a, enum lang l, int64_t n);
/* The same without grouping separators (years: "2018", "٢٠١٨"). */
const char *i18n_number_plain(struct arena *a, enum lang l, int64_t n);

#endif
