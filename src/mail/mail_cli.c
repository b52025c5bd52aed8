/* mail_cli: `tawama mail status|retry|send-test`, the outbox seen and handled by an admin. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_log.h"
#include "core/core_time.h"
#include "db/db.h"
#include "mail/mail_internal.h"

#define LIST_MAX 50		/* rows listed per state */
#define TEST_COUNT_MAX 1000
#define RETRY_IDS_MAX 64

static const char usage[] =
	"usage: tawama mail status --db FILE [--all]\n"
	"         the outbox: counts by state and kind, the queued and failed mails\n"
	"         (--all: the latest sent ones too)\n"
	"       tawama mail retry --db FILE [ID ...]\n"
	"         makes failed and queued mails (all, or these) due now; a running\n"
	"         server sends them at its next look at the queue\n"
	"       tawama mail send-test --db FILE --to ADDRESS [--to-name NAME] [--count N]\n"
	"                             [--subject TEXT] [--text TEXT] [--from \"NAME <ADDR>\"]\n"
	"         queues N (default 1, at most 1000) test mails and prints their ids and\n"
	"         Message-IDs; a running `tawama serve --smtp-url ...` sends them\n";

static const char sql_counts[] =
	"SELECT kind, sum(state = 'queued'), sum(state = 'sent'), sum(state = 'failed')"
	" FROM outbox GROUP BY kind ORDER BY kind";
static const char sql_list_queued[] =
	"SELECT id, kind, recipient, created_at, attempts, next_attempt_at, last_error"
	" FROM outbox WHERE state = 'queued' ORDER BY next_attempt_at, id LIMIT ?1";
static const char sql_list_failed[] =
	"SELECT id, kind, recipient, created_at, attempts, next_attempt_at, last_error"
	" FROM outbox WHERE state = 'failed' ORDER BY id DESC LIMIT ?1";
static const char sql_list_sent[] =
	"SELECT id, kind, recipient, created_at, attempts, sent_at, last_error"
	" FROM outbox WHERE state = 'sent' ORDER BY sent_at DESC, id DESC LIMIT ?1";
static const char sql_retry_all[] =
	"UPDATE outbox SET state = 'queued', next_attempt_at = ?1, rejections = 0"
	" WHERE state IN ('queued', 'failed') RETURNING id";
static const char sql_retry_one[] =
	"UPDATE outbox SET state = 'queued', next_attempt_at = ?1, rejections = 0"
	" WHERE id = ?2 AND state IN ('queued', 'failed') RETURNING id";
static const char sql_message_id[] = "SELECT message_id FROM outbox WHERE id = ?1";

struct args {
	const char *db, *to, *to_name, *subject, *text, *from;
	int all, count;
	const char *ids[RETRY_IDS_MAX];
	int n_ids;
};

static int
open_db(const struct args *a, struct db **db)
{
	if (a->db == NULL) {
		fprintf(stderr, "tawama mail: --db FILE is required\n");
		return -1;
	}
	if (db_open(db, a->db, 0) < 0)
		return -1;
	if (db_migrate(*db) < 0) {
		db_close(*db);
		return -1;
	}
	return 0;
}

static void
print_ms(const char *label, int64_t ms)
{
	char t[32];
	time_format_rfc3339(ms / 1000, t);
	printf("  %s %s", label, t);
}

/* Lists up to LIST_MAX rows of one state; more_than is that state's count. */
static int
list(struct db *db, const char *sql, const char *title, const char *when, int64_t count)
{
	if (count == 0)
		return 0;
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL || db_bind_int(st, 1, LIST_MAX) < 0)
		return -1;
	printf("\n%s:\n", title);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		printf("  #%lld %s to %s\n", (long long)db_col_int(st, 0), db_col_text(st, 1),
		       db_col_text(st, 2));
		print_ms("  created", db_col_int(st, 3));
		printf("  attempts %lld", (long long)db_col_int(st, 4));
		if (when != NULL)
			print_ms(when, db_col_int(st, 5));
		putchar('\n');
		if (!db_col_is_null(st, 6))
			printf("    last error: %s\n", db_col_text(st, 6));
	}
	db_done(st);
	if (count > LIST_MAX)
		printf("  ... and %lld more\n", (long long)(count - LIST_MAX));
	return rc == DB_ERROR ? -1 : 0;
}

static int
cmd_status(const struct args *a)
{
	struct db *db;
	if (open_db(a, &db) < 0)
		return 1;
	int64_t q = 0, s = 0, f = 0;
	struct db_stmt *st = db_prepare(db, sql_counts);
	if (st == NULL)
		goto fail;
	/* first the totals, then the table by kind: read twice, the table is small */
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		q += db_col_int(st, 1);
		s += db_col_int(st, 2);
		f += db_col_int(st, 3);
	}
	db_done(st);
	if (rc == DB_ERROR)
		goto fail;
	printf("outbox: %lld queued, %lld sent, %lld failed\n", (long long)q, (long long)s,
	       (long long)f);
	if (q + s + f > 0) {
		printf("\n%-20s %8s %8s %8s\n", "kind", "queued", "sent", "failed");
		st = db_prepare(db, sql_counts);
		if (st == NULL)
			goto fail;
		while ((rc = db_step(st)) == DB_ROW)
			printf("%-20s %8lld %8lld %8lld\n", db_col_text(st, 0),
			       (long long)db_col_int(st, 1), (long long)db_col_int(st, 2),
			       (long long)db_col_int(st, 3));
		db_done(st);
		if (rc == DB_ERROR)
			goto fail;
	}
	if (list(db, sql_list_queued, "queued (due first)", "next attempt", q) < 0 ||
	    list(db, sql_list_failed, "failed (not sent; `tawama mail retry` queues them again)",
		 NULL, f) < 0 ||
	    (a->all && list(db, sql_list_sent, "sent (latest first)", "sent", s) < 0))
		goto fail;
	db_close(db);
	return fflush(stdout) == 0 ? 0 : 1;
fail:
	db_close(db);
	fprintf(stderr, "tawama mail: cannot read the outbox\n");
	return 1;
}

static int
cmd_retry(const struct args *a)
{
	int64_t ids[RETRY_IDS_MAX];
	for (int i = 0; i < a->n_ids; i++) {
		char *end;
		errno = 0;
		long long v = strtoll(a->ids[i], &end, 10);
		if (errno != 0 || *end != '\0' || end == a->ids[i] || v < 1) {
			fprintf(stderr, "tawama mail retry: %s is not an outbox id\n", a->ids[i]);
			return 2;
		}
		ids[i] = v;
	}
	struct db *db;
	if (open_db(a, &db) < 0)
		return 1;
	int64_t n = 0, now = mail_now_ms();
	if (db_begin(db) < 0)
		goto fail;
	for (int i = 0; i < (a->n_ids > 0 ? a->n_ids : 1); i++) {
		struct db_stmt *st = db_prepare(db, a->n_ids > 0 ? sql_retry_one : sql_retry_all);
		if (st == NULL || db_bind_int(st, 1, now) < 0 ||
		    (a->n_ids > 0 && db_bind_int(st, 2, ids[i]) < 0))
			goto fail_tx;
		int rc, found = 0;
		while ((rc = db_step(st)) == DB_ROW)
			n++, found = 1;
		db_done(st);
		if (rc == DB_ERROR)
			goto fail_tx;
		if (a->n_ids > 0 && !found) {
			fprintf(stderr, "tawama mail retry: #%lld is not queued or failed "
					"(nothing changed)\n",
				(long long)ids[i]);
			db_rollback(db);
			db_close(db);
			return 1;
		}
	}
	if (db_commit(db) < 0)
		goto fail_tx;
	db_close(db);
	printf("due now: %lld\n", (long long)n);
	return 0;
fail_tx:
	db_rollback(db);
fail:
	db_close(db);
	fprintf(stderr, "tawama mail retry: the outbox could not be changed\n");
	return 1;
}

static int
cmd_send_test(const struct args *a)
{
	if (a->to == NULL) {
		fprintf(stderr, "tawama mail send-test: --to ADDRESS is required\n");
		return 2;
	}
	if (!mail_address_valid(a->to)) {
		fprintf(stderr, "tawama mail send-test: %s is not a valid address\n", a->to);
		return 2;
	}
	if (a->from != NULL)
		mail_set_from(a->from);
	struct db *db;
	if (open_db(a, &db) < 0) {
		mail_free();
		return 1;
	}
	static const char text[] =
		"This is a test mail from tawama. It was queued with `tawama mail send-test`;\n"
		"if it reached you, the server's mail configuration works.\n";
	struct mail_msg m = {
		.to = a->to,
		.to_name = a->to_name,
		.subject = a->subject != NULL ? a->subject : "tawama test mail",
		.text = a->text != NULL ? a->text : text,
		.kind = "test",
	};
	int64_t *ids = calloc((size_t)a->count, sizeof(*ids));
	if (ids == NULL)
		die("out of memory");
	int status = 1;
	if (db_begin(db) < 0)
		goto out;
	for (int i = 0; i < a->count; i++) {
		if ((ids[i] = mail_enqueue(db, &m)) < 0) {
			db_rollback(db);
			fprintf(stderr, "tawama mail send-test: nothing was queued\n");
			goto out;
		}
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		goto out;
	}
	for (int i = 0; i < a->count; i++) {
		struct db_stmt *st = db_prepare(db, sql_message_id);
		if (st != NULL && db_bind_int(st, 1, ids[i]) == 0 && db_step(st) == DB_ROW)
			printf("#%lld %s\n", (long long)ids[i], db_col_text(st, 0));
		db_done(st);
	}
	status = fflush(stdout) == 0 ? 0 : 1;
out:
	free(ids);
	db_close(db);
	mail_free();
	return status;
}

struct command {
	const char *name;
	int (*run)(const struct args *a);
	int takes_ids;		/* free arguments are outbox ids */
};

static const struct command commands[] = {
	{"status", cmd_status, 0},
	{"retry", cmd_retry, 1},
	{"send-test", cmd_send_test, 0},
};

/* The options every mail subcommand may take, with where each goes. */
static int
parse_args(int argc, char **argv, int takes_ids, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->count = 1;
	for (int i = 0; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **dst = strcmp(o, "--db") == 0	   ? &a->db
				   : strcmp(o, "--to") == 0	   ? &a->to
				   : strcmp(o, "--to-name") == 0   ? &a->to_name
				   : strcmp(o, "--subject") == 0   ? &a->subject
				   : strcmp(o, "--text") == 0	   ? &a->text
				   : strcmp(o, "--from") == 0	   ? &a->from
								   : NULL;
		if (dst != NULL && v != NULL) {
			*dst = v;
			i++;
		} else if (strcmp(o, "--count") == 0 && v != NULL) {
			char *end;
			errno = 0;
			long n = strtol(v, &end, 10);
			if (errno != 0 || *end != '\0' || end == v || n < 1 || n > TEST_COUNT_MAX) {
				fprintf(stderr, "tawama mail: --count takes a whole number from 1 to "
						"%d\n",
					TEST_COUNT_MAX);
				return -1;
			}
			a->count = (int)n;
			i++;
		} else if (strcmp(o, "--all") == 0) {
			a->all = 1;
		} else if (takes_ids && o[0] != '-' && a->n_ids < RETRY_IDS_MAX) {
			a->ids[a->n_ids++] = o;
		} else {
			fprintf(stderr, "tawama mail: unknown or incomplete option %s\n", o);
			return -1;
		}
	}
	return 0;
}

int
mail_cli(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
		fputs(usage, argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		struct args a;
		if (parse_args(argc - 1, argv + 1, commands[i].takes_ids, &a) < 0) {
			fputs(usage, stderr);
			return 2;
		}
		return commands[i].run(&a);
	}
	fprintf(stderr, "tawama mail: unknown command \"%s\"\n%s", argv[0], usage);
	return 2;
}
