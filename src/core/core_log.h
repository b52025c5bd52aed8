/* core_log: one log line per event on standard error; BUG() for our own mistakes. */
#ifndef CORE_LOG_H
#define CORE_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Silences log_info (tests, benchmarks); errors and bugs are always written. */
void log_set_quiet(int quiet);

/* A bug in tawama (not bad input): logged loudly with file and line. */
#define BUG(...) log_bug(__FILE__, __LINE__, __VA_ARGS__)

#endif
