/* accounts_cli: `tawama user add|list` — accounts from the command line, first of all
 * the first administrator. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "accounts/accounts_internal.h"
#include "core/core_config.h"

static const char usage[] =
	"usage: tawama user add --db FILE --email ADDR --role member|facilitator|admin\n"
	"                       [--name NAME] [--lang ar|en|fr] [--timezone ZONE]\n"
	"                       [--municipality SLUG] [--invite --base-url URL]\n"
	"         The password is read from standard input (asked twice on a terminal).\n"
	"         With --invite no password is set: an invitation link valid for 14 days\n"
	"         is printed instead, for the person to choose their own.\n"
	"       tawama user list --db FILE\n";

/* Reads one line (without its newline) from stdin into out; on a terminal without
 * echo, after prompt. 0 or -1. */
static int
read_secret(const char *prompt, char *out, size_t n)
{
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(out, (int)n, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (got == NULL)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int64_t
municipality_id(struct db *db, const char *slug)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM municipalities WHERE slug = ?1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return id;
}

static int
open_db(const char *path, struct db **db)
{
	if (path == NULL) {
		fputs(usage, stderr);
		return -1;
	}
	if (db_open(db, path, 0) < 0)
		return -1;
	if (db_migrate(*db) < 0) {
		db_close(*db);
		return -1;
	}
	return 0;
}

static int
user_add(int argc, char **argv)
{
	const char *dbpath = NULL, *email = NULL, *role = NULL, *name = NULL, *lang = "ar",
		   *tz = "UTC", *muni = NULL, *base = NULL;
	int invite = 0;
	for (int i = 0; i < argc; i++) {
		const char **slot = NULL;
		if (strcmp(argv[i], "--invite") == 0) {
			invite = 1;
			continue;
		}
		static const char *const names[] = {"--db", "--email", "--role", "--name", "--lang",
						    "--timezone", "--municipality", "--base-url"};
		const char **slots[] = {&dbpath, &email, &role, &name, &lang, &tz, &muni, &base};
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strcmp(argv[i], names[k]) == 0)
				slot = slots[k];
		if (slot == NULL || i + 1 >= argc) {
			fprintf(stderr, "tawama: user add: unexpected \"%s\"\n%s", argv[i], usage);
			return 2;
		}
		*slot = argv[++i];
	}
	struct arena *a = arena_new();
	struct auth_user u = {0};
	int r = role_from_code(role);
	u.email = auth_email_normalize(a, email);
	u.lang = lang_from_code(lang);
	if (dbpath == NULL || u.email == NULL || r < 0 || u.lang == LANG_NONE ||
	    (invite && base == NULL)) {
		fprintf(stderr, "tawama: user add needs --db, a valid --email, a --role among "
				"member, facilitator, admin (and --base-url with --invite)\n%s",
			usage);
		arena_free(a);
		return 2;
	}
	u.role = (enum role)r;
	u.name = name != NULL ? name : u.email;
	u.timezone = tz;
	u.active = 1;

	char pw[AUTH_PASSWORD_MAX + 2] = "", again[AUTH_PASSWORD_MAX + 2] = "";
	if (!invite) {
		if (read_secret("Password: ", pw, sizeof(pw)) < 0) {
			fprintf(stderr, "tawama: no password on standard input (or use --invite)\n");
			arena_free(a);
			return 2;
		}
		const char *why = auth_password_problem(pw);
		if (why == NULL && isatty(STDIN_FILENO) &&
		    (read_secret("Again: ", again, sizeof(again)) < 0 || strcmp(pw, again) != 0))
			why = "The two passwords differ.";
		if (why != NULL) {
			fprintf(stderr, "tawama: %s\n", why);
			sodium_memzero(pw, sizeof(pw));
			sodium_memzero(again, sizeof(again));
			arena_free(a);
			return 2;
		}
	}
	struct db *db;
	if (open_db(dbpath, &db) < 0) {
		arena_free(a);
		return 1;
	}
	int rc = 1;
	char err[200] = "", token[AUTH_TOKEN_LEN + 1];
	int64_t id = 0;
	if (muni != NULL && (u.municipality_id = municipality_id(db, muni)) <= 0) {
		fprintf(stderr, "tawama: no municipality with the slug \"%s\"\n", muni);
		goto out;
	}
	if (db_begin(db) < 0)
		goto out;
	int added = auth_user_add(db, &u, invite ? NULL : pw, &id, err, sizeof(err));
	if (added == 0 && invite && auth_account_token_new(db, id, AUTH_INVITE, token) < 0)
		added = -1;
	if (added != 0 || db_commit(db) < 0) {
		db_rollback(db);
		if (added == 1)
			fprintf(stderr, "tawama: an account with the email %s exists already\n", u.email);
		else
			fprintf(stderr, "tawama: the account was not created: %s\n", err);
		goto out;
	}
	printf("tawama: account %lld created for %s (%s)\n", (long long)id, u.email,
	       role_code(u.role));
	if (invite)
		printf("%s/%s/account/welcome?token=%s\n", base, lang_code(u.lang), token);
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(again, sizeof(again));
	db_close(db);
	arena_free(a);
	return rc;
}

static int
user_list(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[0], "--db") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	struct db *db;
	if (open_db(argv[1], &db) < 0)
		return 1;
	struct arena *a = arena_new();
	struct auth_user *u;
	size_t n;
	int rc = auth_users_list(db, a, 100000, &u, &n) < 0 ? 1 : 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\n", (long long)u[i].id, u[i].email, role_code(u[i].role),
		       u[i].active ? "active" : "inactive",
		       u[i].has_password ? "password set" : "invited");
	arena_free(a);
	db_close(db);
	return rc;
}

int
accounts_cli(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "tawama: libsodium could not start\n");
		return 1;
	}
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return user_list(argc - 1, argv + 1);
	fputs(usage, stderr);
	return 2;
}
