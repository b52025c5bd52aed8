/* core_time: instants as seconds since the Unix epoch (UTC), RFC 3339 in and out. */
#ifndef CORE_TIME_H
#define CORE_TIME_H
#include <stddef.h>
#include <stdint.h>

/* Earliest and latest instants tawama accepts: 1900-01-01 and 2200-01-01 UTC. */
#define TIME_MIN INT64_C(-2208988800)
#define TIME_MAX INT64_C(7258118400)

/* Parses "YYYY-MM-DDTHH:MM:SSZ" or with a "+hh:mm"/"-hh:mm" offset (seconds
 * fraction allowed and dropped). Returns 0, or -1 when malformed or out of range. */
int time_parse_rfc3339(const char *s, int64_t *out);

/* Parses a date "YYYY-MM-DD" as midnight UTC. Returns 0 or -1. */
int time_parse_date(const char *s, int64_t *out);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) into out. */
void time_format_rfc3339(int64_t t, char out[32]);

/* Current time. */
int64_t time_now(void);

/* Days from civil date (proleptic Gregorian), and back. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
