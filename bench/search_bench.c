/* search_bench: the analyzer's cost at query time against SQLite's plain unicode61
 * tokenizer, on the same texts, for the text queries of bench/search_queries.txt. */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_arena.h"
#include "search/search.h"
#include "search/search_fts5.h"
#include "search/search_query.h"

/*
 * Usage: search_bench DB PLAIN_DB QUERIES [MIN_MS]
 *
 * Opens DB (a tawama database with its events_fts_ar/en/fr tables), registers our
 * tokenizer, attaches PLAIN_DB and, unless it holds them already, fills plain_ar/en/fr
 * there: FTS5 tables with tokenize='unicode61 remove_diacritics 2' (and the same
 * prefix indexes as ours) over the same rows, copied from events_fts_xx. Then, for
 * each distinct q of the mix (lines PATH?name=value&..., '+' and %XX encoded):
 *   ours    search_parse_query's match and exclude on events_fts_xx
 *   plain   the same terms as typed, quoted, on plain_xx
 *   norank  ours without bm25 (what ranking costs; the server's date order)
 * the way the server ranks by relevance (rowid and bm25 of every matching row of the
 * three tables, then the rowids of the exclusions subtracted), each repeated for at
 * least MIN_MS ms (default 100) and at least MIN_REPS times; the median run counts.
 * Writes one row per query on standard output and, last, a line "TOTAL key=value ..."
 * for bench/search.sh.
 */

#define MAX_QUERIES 256
#define MAX_LINE 4096
#define MIN_REPS 5
#define MAX_REPS 2000
#define MAX_TERMS 32

static const char *const langs[] = {"ar", "en", "fr"};
#define N_LANGS (sizeof(langs) / sizeof(langs[0]))

struct conn {
	sqlite3 *db;
	sqlite3_stmt *ours[N_LANGS], *plain[N_LANGS];
	/* rowids only, without bm25: for exclusions (as the server runs them) and to
	 * see what ranking costs */
	sqlite3_stmt *norank[N_LANGS], *plain_norank[N_LANGS];
};

/* The events found by one run: a bitmap over rowids. */
struct idset {
	uint8_t *bits;
	size_t n_bits;
	size_t count;
};

static double
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "search_bench: %s: %s\n", sql, err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int
has_table(sqlite3 *db, const char *schema, const char *name)
{
	char sql[160];
	sqlite3_stmt *st;
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s.sqlite_schema WHERE name = ?1", schema);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Creates and fills the plain tables in the attached database "plain". */
static int
build_plain(sqlite3 *db)
{
	char sql[512];
	long rows = 0;
	double t0 = now_us();
	if (exec(db, "BEGIN") < 0)
		return -1;
	for (size_t l = 0; l < N_LANGS; l++) {
		snprintf(sql, sizeof(sql),
			 "CREATE VIRTUAL TABLE plain.plain_%s USING fts5(title, body,"
			 " tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
			 "INSERT INTO plain.plain_%s (rowid, title, body)"
			 " SELECT rowid, title, body FROM main.events_fts_%s ORDER BY rowid;"
			 "INSERT INTO plain.plain_%s (plain_%s) VALUES ('optimize');",
			 langs[l], langs[l], langs[l], langs[l], langs[l]);
		if (exec(db, sql) < 0)
			goto fail;
	}
	if (exec(db, "COMMIT") < 0)
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM plain.plain_ar) +"
			       " (SELECT count(*) FROM plain.plain_en) +"
			       " (SELECT count(*) FROM plain.plain_fr)", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			rows = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	double dt = (now_us() - t0) / 1e6;
	fprintf(stderr, "search_bench: plain tables: %ld texts copied and indexed in %.1f s"
		" (%.0f texts/s)\n", rows, dt, dt > 0 ? rows / dt : 0.0);
	return 0;
fail:
	exec(db, "ROLLBACK");
	return -1;
}

static int
conn_open(struct conn *c, const char *path, const char *plain_path)
{
	char sql[512];
	memset(c, 0, sizeof(*c));
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fprintf(stderr, "search_bench: %s: %s\n", path, sqlite3_errmsg(c->db));
		return -1;
	}
	if (search_fts5_register(c->db) < 0)
		return -1;
	char *attach = sqlite3_mprintf("ATTACH %Q AS plain", plain_path);
	int rc = exec(c->db, attach);
	sqlite3_free(attach);
	if (rc < 0)
		return -1;
	if (!has_table(c->db, "plain", "plain_fr") && build_plain(c->db) < 0)
		return -1;
	for (size_t l = 0; l < N_LANGS; l++) {
		/* as src/events/events_search_store.c runs them */
		snprintf(sql, sizeof(sql),
			 "SELECT rowid, bm25(events_fts_%s, 5.0, 1.0) FROM main.events_fts_%s"
			 " WHERE events_fts_%s MATCH ?1", langs[l], langs[l], langs[l]);
		if (sqlite3_prepare_v2(c->db, sql, -1, &c->ours[l], NULL) != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof(sql),
			 "SELECT rowid, bm25(plain_%s, 5.0, 1.0) FROM plain.plain_%s"
			 " WHERE plain_%s MATCH ?1", langs[l], langs[l], langs[l]);
		if (sqlite3_prepare_v2(c->db, sql, -1, &c->plain[l], NULL) != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof(sql),
			 "SELECT rowid FROM main.events_fts_%s WHERE events_fts_%s MATCH ?1",
			 langs[l], langs[l]);
		if (sqlite3_prepare_v2(c->db, sql, -1, &c->norank[l], NULL) != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof(sql),
			 "SELECT rowid FROM plain.plain_%s WHERE plain_%s MATCH ?1", langs[l],
			 langs[l]);
		if (sqlite3_prepare_v2(c->db, sql, -1, &c->plain_norank[l], NULL) != SQLITE_OK)
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "search_bench: %s\n", sqlite3_errmsg(c->db));
	return -1;
}

static void
conn_close(struct conn *c)
{
	for (size_t l = 0; l < N_LANGS; l++) {
		sqlite3_finalize(c->ours[l]);
		sqlite3_finalize(c->plain[l]);
		sqlite3_finalize(c->norank[l]);
		sqlite3_finalize(c->plain_norank[l]);
	}
	sqlite3_close(c->db);
}

static int64_t
max_rowid(sqlite3 *db)
{
	sqlite3_stmt *st;
	int64_t max = 0;
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM events", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return max;
}

/* Runs expr on the three tables of stmts, setting (or, to clear, clearing) each match
 * in s. Returns 0 or -1 (an FTS5 error). */
static int
run_expr(sqlite3_stmt *const *stmts, const char *expr, struct idset *s, int clear)
{
	if (expr == NULL)
		return 0;
	for (size_t l = 0; l < N_LANGS; l++) {
		sqlite3_stmt *st = stmts[l];
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
		int rc, scored = sqlite3_column_count(st) > 1;
		volatile double sink = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(st, 0);
			if (scored)
				sink += sqlite3_column_double(st, 1);
			if (id < 0 || (size_t)id >= s->n_bits)
				continue;
			uint8_t bit = (uint8_t)(1u << (id & 7));
			uint8_t *p = &s->bits[id >> 3];
			if (clear && (*p & bit)) {
				*p &= (uint8_t)~bit;
				s->count--;
			} else if (!clear && !(*p & bit)) {
				*p |= bit;
				s->count++;
			}
		}
		(void)sink;
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "search_bench: MATCH %s: %s\n", expr,
				sqlite3_errmsg(sqlite3_db_handle(st)));
			return -1;
		}
	}
	return 0;
}

/* One search: the events of match (run by stmts) minus those of exclude (run by
 * unranked statements, as the server does); the count in s. */
static int
run_once(sqlite3_stmt *const *stmts, sqlite3_stmt *const *xstmts, const char *match,
	 const char *exclude, struct idset *s)
{
	memset(s->bits, 0, (s->n_bits + 7) / 8);
	s->count = 0;
	if (match == NULL)
		return 0;
	if (run_expr(stmts, match, s, 0) < 0 || run_expr(xstmts, exclude, s, 1) < 0)
		return -1;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median time of one search in microseconds, or -1 on error. */
static double
time_search(sqlite3_stmt *const *stmts, sqlite3_stmt *const *xstmts, const char *match,
	    const char *exclude, struct idset *s, double min_us)
{
	static double t[MAX_REPS];
	size_t n = 0;
	if (run_once(stmts, xstmts, match, exclude, s) < 0)	/* warm-up */
		return -1;
	double start = now_us();
	while (n < MAX_REPS && (n < MIN_REPS || now_us() - start < min_us)) {
		double t0 = now_us();
		if (run_once(stmts, xstmts, match, exclude, s) < 0)
			return -1;
		t[n++] = now_us() - t0;
	}
	qsort(t, n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

/* ---- the plain expression: the terms as typed, quoted ---- */

struct plain_term {
	char text[512];
	int prefix, excluded;
	size_t group;
};

static void
put_quoted(char *out, size_t cap, size_t *k, const struct plain_term *t)
{
	if (*k + 2 >= cap)
		return;
	out[(*k)++] = '"';
	for (size_t i = 0; t->text[i] && *k + 4 < cap; i++) {
		if (t->text[i] == '"')
			out[(*k)++] = '"';
		out[(*k)++] = t->text[i];
	}
	out[(*k)++] = '"';
	if (t->prefix && *k + 1 < cap)
		out[(*k)++] = '*';
	out[*k] = '\0';
}

static void
put_str(char *out, size_t cap, size_t *k, const char *s)
{
	size_t n = strlen(s);
	if (*k + n + 1 >= cap)
		return;
	memcpy(out + *k, s, n + 1);
	*k += n;
}

/*
 * The query syntax of search_query.h (words, "phrases", word*, OR, -exclusion) read
 * into an FTS5 expression for the plain tables: every term goes out quoted as typed,
 * so unicode61 tokenizes it. match and exclude get "" when there is none.
 */
static void
plain_parse(const char *q, char *match, char *exclude, size_t cap)
{
	struct plain_term terms[MAX_TERMS];
	size_t n = 0, groups = 0, i = 0, len = strlen(q);
	int last_positive = 0, pending_or = 0;
	while (i < len && n < MAX_TERMS) {
		if (q[i] == ' ') {
			i++;
			continue;
		}
		struct plain_term t = {0};
		if (q[i] == '-' && i + 1 < len && q[i + 1] != ' ') {
			t.excluded = 1;
			i++;
		}
		size_t start, end;
		if (q[i] == '"' && strchr(q + i + 1, '"') != NULL) {
			start = i + 1;
			end = (size_t)(strchr(q + i + 1, '"') - q);
			i = end + 1;
		} else {
			if (q[i] == '"')
				i++;
			start = i;
			while (i < len && q[i] != ' ')
				i++;
			end = i;
		}
		while (i < len && q[i] == '*') {
			t.prefix = 1;
			i++;
		}
		while (end > start && q[end - 1] == '*') {
			t.prefix = 1;
			end--;
		}
		if (end == start)
			continue;
		if (!t.excluded && !t.prefix && end - start == 2 && memcmp(q + start, "OR", 2) == 0) {
			if (last_positive)
				pending_or = 1;
			continue;
		}
		size_t m = end - start < sizeof(t.text) - 1 ? end - start : sizeof(t.text) - 1;
		memcpy(t.text, q + start, m);
		t.text[m] = '\0';
		if (!t.excluded) {
			if (!(last_positive && pending_or))
				groups++;
			t.group = groups;
			last_positive = 1;
		} else {
			last_positive = 0;
		}
		pending_or = 0;
		terms[n++] = t;
	}
	size_t km = 0, ke = 0, group = 0;
	match[0] = exclude[0] = '\0';
	for (size_t j = 0; j < n; j++) {
		const struct plain_term *t = &terms[j];
		if (t->excluded) {
			if (ke > 0)
				put_str(exclude, cap, &ke, " OR ");
			put_quoted(exclude, cap, &ke, t);
			continue;
		}
		if (t->group == group) {
			put_str(match, cap, &km, " OR ");
		} else {
			if (group != 0)
				put_str(match, cap, &km, ") AND (");
			else
				put_str(match, cap, &km, "(");
			group = t->group;
		}
		put_quoted(match, cap, &km, t);
	}
	if (km > 0)
		put_str(match, cap, &km, ")");
}

/* ---- the mix ---- */

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The value of parameter q in a request line, decoded, or NULL. */
static char *
q_of(const char *line)
{
	const char *p = strchr(line, '?');
	while (p != NULL) {
		p++;
		if (p[0] == 'q' && p[1] == '=') {
			p += 2;
			size_t n = strcspn(p, "&");
			char *out = malloc(n + 1);
			size_t k = 0;
			if (out == NULL)
				return NULL;
			for (size_t i = 0; i < n; i++) {
				if (p[i] == '+') {
					out[k++] = ' ';
				} else if (p[i] == '%' && i + 2 < n + 1 && hex(p[i + 1]) >= 0 &&
					   hex(p[i + 2]) >= 0) {
					out[k++] = (char)(hex(p[i + 1]) * 16 + hex(p[i + 2]));
					i += 2;
				} else {
					out[k++] = p[i];
				}
			}
			out[k] = '\0';
			return out;
		}
		p = strchr(p, '&');
	}
	return NULL;
}

static int
has_arabic(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == 0xD8 || *p == 0xD9 || *p == 0xDA || *p == 0xDB)
			return 1;
	return 0;
}

static size_t
read_mix(const char *path, char **qs)
{
	FILE *f = fopen(path, "r");
	char line[MAX_LINE];
	size_t n = 0;
	if (f == NULL) {
		perror(path);
		return 0;
	}
	while (n < MAX_QUERIES && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '/')
			continue;	/* comments and blank lines */
		char *q = q_of(line);
		if (q == NULL || q[strspn(q, " ")] == '\0') {
			free(q);
			continue;
		}
		int dup = 0;
		for (size_t i = 0; i < n && !dup; i++)
			dup = strcmp(qs[i], q) == 0;
		if (dup)
			free(q);
		else
			qs[n++] = q;
	}
	fclose(f);
	return n;
}

/* Median time of search_parse_query on q, in microseconds. */
static double
time_parse(const char *q)
{
	static double t[MIN_REPS * 40];
	size_t n = sizeof(t) / sizeof(t[0]);
	for (size_t i = 0; i < n; i++) {
		struct arena *a = arena_new();
		struct search_query sq;
		double t0 = now_us();
		search_parse_query(a, q, &sq);
		t[i] = now_us() - t0;
		arena_free(a);
	}
	qsort(t, n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

/* Sums over the mix. "same": the queries where both find the same events (so the
 * time difference is the analyzer's and the index's, not more results). */
struct totals {
	size_t queries, timed, same, more, fewer, ar_queries;
	double ours_us, plain_us, norank_us, parse_us;
	double same_ours_us, same_plain_us, same_log_ratio, same_worst;
	size_t same_worst_at;
	size_t found_ours, found_plain, ar_found_ours, ar_found_plain;
};

static void
add(struct totals *t, size_t i, const char *q, double to, double tp, double tn, double parse,
    size_t n_ours, size_t n_plain)
{
	t->queries++;
	t->found_ours += n_ours;
	t->found_plain += n_plain;
	t->more += n_ours > n_plain;
	t->fewer += n_ours < n_plain;
	if (has_arabic(q)) {
		t->ar_queries++;
		t->ar_found_ours += n_ours;
		t->ar_found_plain += n_plain;
	}
	if (to <= 0 || tp <= 0)
		return;
	t->timed++;
	t->ours_us += to;
	t->plain_us += tp;
	t->norank_us += tn;
	t->parse_us += parse;
	if (n_ours != n_plain || n_ours == 0)
		return;
	t->same++;
	t->same_ours_us += to;
	t->same_plain_us += tp;
	t->same_log_ratio += log(to / tp);
	if (to / tp > t->same_worst) {
		t->same_worst = to / tp;
		t->same_worst_at = i + 1;
	}
}

static double
ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

int
main(int argc, char **argv)
{
	static char *qs[MAX_QUERIES];
	static char pmatch[MAX_LINE * 2], pexclude[MAX_LINE * 2];
	struct conn c;
	struct idset ours = {0}, plain = {0}, norank = {0};
	struct totals t = {0};
	int status = 1;
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: search_bench DB PLAIN_DB QUERIES [MIN_MS]\n");
		return 2;
	}
	double min_us = (argc == 5 ? atof(argv[4]) : 100.0) * 1000.0;
	size_t nq = read_mix(argv[3], qs);
	if (nq == 0) {
		fprintf(stderr, "search_bench: no text queries in %s\n", argv[3]);
		return 1;
	}
	if (conn_open(&c, argv[1], argv[2]) < 0)
		goto done;
	int64_t max = max_rowid(c.db);
	if (max < 0)
		goto done;
	ours.n_bits = plain.n_bits = norank.n_bits = (size_t)max + 1;
	ours.bits = calloc((ours.n_bits + 7) / 8, 1);
	plain.bits = calloc((plain.n_bits + 7) / 8, 1);
	norank.bits = calloc((norank.n_bits + 7) / 8, 1);
	if (ours.bits == NULL || plain.bits == NULL || norank.bits == NULL)
		goto done;

	printf("# median time of one search (the three tables, then the exclusions), in us:\n"
	       "# ours = our tokenizer with bm25 as the server runs it, norank = the same"
	       " without bm25,\n# plain = unicode61 with bm25; parse = search_parse_query"
	       " alone; _n = events found\n");
	printf("%-3s %10s %10s %10s %6s %7s %8s %8s  %s\t%s\t%s\n", "#", "ours_us", "plain_us",
	       "norank_us", "ratio", "parse", "ours_n", "plain_n", "q", "ours MATCH (exclude)",
	       "plain MATCH (exclude)");
	for (size_t i = 0; i < nq; i++) {
		struct arena *a = arena_new();
		struct search_query sq;
		search_parse_query(a, qs[i], &sq);
		plain_parse(qs[i], pmatch, pexclude, sizeof(pmatch));
		const char *pm = pmatch[0] ? pmatch : NULL, *pe = pexclude[0] ? pexclude : NULL;
		double to = time_search(c.ours, c.norank, sq.match, sq.exclude, &ours, min_us);
		double tp = time_search(c.plain, c.plain_norank, pm, pe, &plain, min_us);
		double tn = time_search(c.norank, c.norank, sq.match, sq.exclude, &norank,
					min_us / 2);
		double parse = time_parse(qs[i]);
		if (to < 0 || tp < 0 || tn < 0) {
			arena_free(a);
			goto done;
		}
		printf("%-3zu %10.1f %10.1f %10.1f %6.2f %7.1f %8zu %8zu  %s\t%s (%s)\t%s (%s)\n",
		       i + 1, to, tp, tn, ratio(to, tp), parse, ours.count, plain.count, qs[i],
		       sq.match ? sq.match : "-", sq.exclude ? sq.exclude : "-", pm ? pm : "-",
		       pe ? pe : "-");
		fflush(stdout);
		add(&t, i, qs[i], to, tp, tn, parse, ours.count, plain.count);
		arena_free(a);
	}
	printf("TOTAL queries=%zu timed=%zu ours_us=%.0f plain_us=%.0f norank_us=%.0f"
	       " parse_us=%.1f ratio=%.2f same=%zu same_ratio=%.2f same_geomean=%.2f"
	       " same_worst=%zu same_worst_ratio=%.2f found_ours=%zu found_plain=%zu more=%zu"
	       " fewer=%zu ar_queries=%zu ar_found_ours=%zu ar_found_plain=%zu"
	       " us_per_found_ours=%.2f us_per_found_plain=%.2f\n",
	       t.queries, t.timed, t.ours_us, t.plain_us, t.norank_us, t.parse_us,
	       ratio(t.ours_us, t.plain_us), t.same, ratio(t.same_ours_us, t.same_plain_us),
	       t.same ? exp(t.same_log_ratio / (double)t.same) : 0.0, t.same_worst_at,
	       t.same_worst, t.found_ours, t.found_plain, t.more, t.fewer, t.ar_queries,
	       t.ar_found_ours, t.ar_found_plain, ratio(t.ours_us, (double)t.found_ours),
	       ratio(t.plain_us, (double)t.found_plain));
	status = 0;
done:
	free(ours.bits);
	free(plain.bits);
	free(norank.bits);
	conn_close(&c);
	for (size_t i = 0; i < nq; i++)
		free(qs[i]);
	search_thread_free();
	return status;
}
