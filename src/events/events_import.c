/* events_import: a JSON Lines file of events (docs/import.md), all of it or nothing. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_buf.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events.h"
#include "render/render_i18n.h"

/* The limits docs/import.md promises for a file. */
#define IMPORT_MAX_EVENTS 100000
#define IMPORT_MAX_REPORTED 20

/*
 * Import: read every line, parse and check each and then the file as a whole
 * (duplicate slugs, organisers and themes named differently on two lines), and only
 * when all of it is good, save it in one transaction.
 */
struct pending {
	struct event e;
	long line;
};

struct problem {
	long line;
	const char *msg;
};

struct import {
	struct arena *a;
	struct pending *ev;
	size_t n, cap;
	struct problem *bad;
	size_t n_bad, cap_bad;
};

/* p with room for one more element after n. */
static void *
grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *q = realloc(p, ncap * size);
	if (q == NULL)
		die("out of memory");
	*cap = ncap;
	return q;
}

static void
problem(struct import *im, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
problem(struct import *im, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	im->bad = grow(im->bad, &im->cap_bad, im->n_bad, sizeof(*im->bad));
	im->bad[im->n_bad].line = line;
	im->bad[im->n_bad].msg = arena_vprintf(im->a, fmt, ap);
	im->n_bad++;
	va_end(ap);
}

/* Reads one line into b without its end of line; 1, 0 at the end, -1 on a read
 * error. A line over the limit leaves b->failed set (and the rest is skipped). */
static int
read_line(FILE *in, struct buf *b)
{
	int c;
	size_t got = 0;
	buf_reset(b);
	while ((c = getc_unlocked(in)) != EOF && c != '\n') {
		got++;
		buf_putc(b, (char)c);
	}
	if (c == EOF && ferror(in))
		return -1;
	if (c == EOF && got == 0)
		return 0;
	if (b->len > 0 && b->data[b->len - 1] == '\r')
		b->data[--b->len] = '\0';
	return 1;
}

static int
is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* The slugs met in a file, for the checks across lines. */
struct ref {
	int kind;		/* 0 event, 1 organiser, 2 theme */
	const char *slug;
	struct named *named;	/* organisers and themes */
	long line;
};

static int
by_ref(const void *x, const void *y)
{
	const struct ref *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	int c = strcmp(a->slug, b->slug);
	if (c != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

static int
same_names(const struct named *a, const struct named *b)
{
	for (int l = 0; l < LANG_COUNT; l++) {
		const char *x = a->name[l], *y = b->name[l];
		if ((x == NULL) != (y == NULL) || (x != NULL && strcmp(x, y) != 0))
			return 0;
	}
	return 1;
}

static int
has_names(const struct named *n)
{
	for (int l = 0; l < LANG_COUNT; l++)
		if (n->name[l] != NULL)
			return 1;
	return 0;
}

/* Duplicate event slugs are errors; so are an organiser or a theme given different
 * names on two lines. A bare slug takes the names given on another line, so the
 * order of the lines does not matter. */
static void
check_across(struct import *im)
{
	static const char *const kinds[] = {"event", "organiser", "theme"};
	size_t n = 0, cap = im->n * 2 + 1;
	for (size_t i = 0; i < im->n; i++)
		cap += im->ev[i].e.n_themes;
	struct ref *r = calloc(cap, sizeof(*r));
	if (r == NULL)
		die("out of memory");
	for (size_t i = 0; i < im->n; i++) {
		struct event *e = &im->ev[i].e;
		long line = im->ev[i].line;
		r[n++] = (struct ref){0, e->slug, NULL, line};
		r[n++] = (struct ref){1, e->organiser.slug, &e->organiser, line};
		for (size_t j = 0; j < e->n_themes; j++)
			r[n++] = (struct ref){2, e->themes[j].slug, &e->themes[j], line};
	}
	qsort(r, n, sizeof(*r), by_ref);
	for (size_t i = 0; i < n;) {
		size_t end = i + 1;
		while (end < n && r[end].kind == r[i].kind && strcmp(r[end].slug, r[i].slug) == 0)
			end++;
		if (r[i].kind == 0) {
			for (size_t j = i + 1; j < end; j++)
				problem(im, r[j].line, "duplicate slug \"%s\" (also on line %ld)",
					r[j].slug, r[i].line);
		} else {
			const struct ref *def = NULL;
			for (size_t j = i; j < end; j++) {
				if (!has_names(r[j].named))
					continue;
				if (def == NULL)
					def = &r[j];
				else if (!same_names(def->named, r[j].named))
					problem(im, r[j].line,
						"%s \"%s\" has other names than on line %ld",
						kinds[r[j].kind], r[j].slug, def->line);
			}
			for (size_t j = i; def != NULL && j < end; j++)
				if (!has_names(r[j].named))
					memcpy(r[j].named->name, def->named->name,
					       sizeof(r[j].named->name));
		}
		i = end;
	}
	free(r);
}

static int
by_line(const void *x, const void *y)
{
	const struct problem *a = x, *b = y;
	if (a->line != b->line)
		return (a->line > b->line) - (a->line < b->line);
	return (a > b) - (a < b);
}

static void
report(struct import *im, const char *path, FILE *errf)
{
	/* qsort is not stable: the tie on the address keeps each line's order */
	qsort(im->bad, im->n_bad, sizeof(*im->bad), by_line);
	for (size_t i = 0; i < im->n_bad && i < IMPORT_MAX_REPORTED; i++)
		fprintf(errf, "%s:%ld: %s\n", path, im->bad[i].line, im->bad[i].msg);
	if (im->n_bad > IMPORT_MAX_REPORTED)
		fprintf(errf, "%s: %zu more problems not shown\n", path,
			im->n_bad - IMPORT_MAX_REPORTED);
}

static int
read_all(struct import *im, FILE *in, const char *path, FILE *errf)
{
	struct buf line = BUF_INIT;
	char err[300];
	long lineno = 0;
	int rc;
	line.limit = EVENTS_LINE_MAX;
	while ((rc = read_line(in, &line)) == 1) {
		lineno++;
		const char *s = buf_cstr(&line);
		size_t len = line.len;
		if (line.failed) {
			problem(im, lineno, "line longer than 1 MiB");
			continue;
		}
		if (lineno == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;	/* a byte order mark some editors write */
			len -= 3;
		}
		if (is_blank(s, len))
			continue;
		if (im->n == IMPORT_MAX_EVENTS) {
			problem(im, lineno, "more than %d events in one file: split it",
				IMPORT_MAX_EVENTS);
			break;
		}
		im->ev = grow(im->ev, &im->cap, im->n, sizeof(*im->ev));
		if (events_parse_line(im->a, s, len, &im->ev[im->n].e, err, sizeof(err)) < 0) {
			problem(im, lineno, "%s", err);
			continue;
		}
		im->ev[im->n++].line = lineno;
	}
	buf_free(&line);
	if (rc < 0) {
		fprintf(errf, "%s: read error\n", path);
		return -1;
	}
	return 0;
}

long
events_import(struct db *db, FILE *in, const char *path, FILE *errf)
{
	struct import im = {.a = arena_new()};
	char err[300];
	long result = -1;
	if (path == NULL)
		path = "-";
	if (read_all(&im, in, path, errf) < 0)
		goto done;
	check_across(&im);
	if (im.n_bad > 0) {
		report(&im, path, errf);
		goto done;
	}
	if (im.n == 0) {
		result = 0;
		goto done;
	}
	if (db_begin(db) < 0) {
		fprintf(errf, "%s: the database is busy or unavailable\n", path);
		goto done;
	}
	for (size_t i = 0; i < im.n; i++) {
		if (events_save(db, &im.ev[i].e, err, sizeof(err)) < 0) {
			db_rollback(db);
			problem(&im, im.ev[i].line, "%s", err);
			report(&im, path, errf);
			goto done;
		}
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		fprintf(errf, "%s: the database refused the commit\n", path);
		goto done;
	}
	result = (long)im.n;
done:
	free(im.bad);
	free(im.ev);
	arena_free(im.a);
	return result;
}
