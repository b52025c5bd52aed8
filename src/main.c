/* main: the tawama command and its subcommands. */
#include <errno.h>
#include <libical/ical.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accounts/accounts.h"
#include "auth/auth.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "db/db.h"
#include "events/events.h"
#include "events/events_index.h"
#include "search/search.h"
#include "http/http.h"
#include "mail/mail.h"
#include "network/network.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "twinning/twinning.h"

#ifndef TAWAMA_BUILDDIR
#define TAWAMA_BUILDDIR "build"
#endif

static const char usage[] =
	"usage: tawama COMMAND [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  init --db FILE                   create or migrate the database\n"
	"  demo --db FILE [--scale N]       load the demo network (N multiplies the\n"
	"                                   generated events, for benchmarks)\n"
	"  import events --db FILE PATH     import events from JSON Lines (docs/import.md);\n"
	"                                   all or nothing\n"
	"  export events --db FILE          write every event as JSON Lines to stdout\n"
	"  count-events --db FILE           print the number of events\n"
	"  reindex --db FILE                rebuild the search index (with progress)\n"
	"  analyze --lang ar|en|fr [--mode index|query|prefix]\n"
	"                                   print the search tokens of each line of stdin\n"
	"  user add|list --db FILE ...      accounts (tawama user for details)\n"
	"  routes                           list every address the server answers\n"
	"  mail status|retry|send-test --db FILE ...\n"
	"                                   the outbox (`tawama mail --help`)\n"
	"  serve --db FILE [--listen HOST:PORT] [options]\n"
	"                                   serve the site until SIGINT or SIGTERM\n"
	"\n"
	"serve options:\n"
	"  --listen HOST:PORT    address to listen on (default 127.0.0.1:8080)\n"
	"  --base-url URL        public address, e.g. https://events.example.org\n"
	"                        (default http:// + the listen address)\n"
	"  --site-name NAME      name shown in titles and feeds (default HMLN)\n"
	"  --secure              behind TLS: send HSTS and mark cookies Secure\n"
	"  --trust-proxy         a reverse proxy sets X-Forwarded-For (client addresses\n"
	"                        for login throttling come from it)\n"
	"  --threads N           worker threads (default: number of cores)\n"
	"  --data-dir DIR        where locale/ and mo/ are (default: the build folder)\n"
	"  --quiet               no per-request log lines\n"
	"  --debug-stats         add X-SQL-Statements to responses (benchmarks)\n"
	"  --smtp-url URL        send mail through smtp://HOST:PORT or smtps://HOST:PORT\n"
	"                        (default: mail is queued, not sent)\n"
	"  --smtp-user NAME      SMTP AUTH user, with --smtp-password-file FILE (the\n"
	"                        password on the file's first line)\n"
	"  --mail-from ADDR      From of the mails, e.g. \"HMLN <noreply@example.org>\"\n"
	"  --mail-retry-base-ms N  first retry of a failed delivery after N ms, doubling\n"
	"                        up to 120 N (default 30000)\n"
	"  --search-cache N      search results kept per worker thread until the data\n"
	"                        changes (default 64; 0: none)\n"
	"\n"
	"--db takes a file path (SQLite). postgresql:// URLs are reserved for later.\n";

struct options {
	const char *db, *listen, *base_url, *site_name, *data_dir;
	int scale, threads, quiet, secure, debug_stats, trust_proxy, search_cache;
	const char *smtp_url, *smtp_user, *smtp_password_file, *mail_from;
	int mail_retry_base_ms;
	const char *args[4];
	int n_args;
};

static int
parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->listen = "127.0.0.1:8080";
	o->scale = 1;
	o->data_dir = TAWAMA_BUILDDIR;
	o->search_cache = CONFIG_SEARCH_CACHE_DEFAULT;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;
		if (strcmp(a, "--db") == 0 && v)
			o->db = v;
		else if (strcmp(a, "--listen") == 0 && v)
			o->listen = v;
		else if (strcmp(a, "--base-url") == 0 && v)
			o->base_url = v;
		else if (strcmp(a, "--site-name") == 0 && v)
			o->site_name = v;
		else if (strcmp(a, "--data-dir") == 0 && v)
			o->data_dir = v;
		else if (strcmp(a, "--smtp-url") == 0 && v)
			o->smtp_url = v;
		else if (strcmp(a, "--smtp-user") == 0 && v)
			o->smtp_user = v;
		else if (strcmp(a, "--smtp-password-file") == 0 && v)
			o->smtp_password_file = v;
		else if (strcmp(a, "--mail-from") == 0 && v)
			o->mail_from = v;
		else if (strcmp(a, "--mail-retry-base-ms") == 0 && v) {
			if (parse_int(v, 10, 3600000, &o->mail_retry_base_ms) < 0) {
				fprintf(stderr, "tawama: --mail-retry-base-ms takes a whole number from 10 to 3600000\n");
				return -1;
			}
		} else if (strcmp(a, "--scale") == 0 && v) {
			if (parse_int(v, 1, 100000, &o->scale) < 0) {
				fprintf(stderr, "tawama: --scale takes a whole number from 1 to 100000\n");
				return -1;
			}
		} else if (strcmp(a, "--threads") == 0 && v) {
			if (parse_int(v, 1, 256, &o->threads) < 0) {
				fprintf(stderr, "tawama: --threads takes a whole number from 1 to 256\n");
				return -1;
			}
		} else if (strcmp(a, "--search-cache") == 0 && v) {
			if (parse_int(v, 0, CONFIG_SEARCH_CACHE_MAX, &o->search_cache) < 0) {
				fprintf(stderr, "tawama: --search-cache takes a whole number from 0 to %d\n",
					CONFIG_SEARCH_CACHE_MAX);
				return -1;
			}
		} else {
			takes = 0;
			if (strcmp(a, "--quiet") == 0)
				o->quiet = 1;
			else if (strcmp(a, "--secure") == 0)
				o->secure = 1;
			else if (strcmp(a, "--trust-proxy") == 0)
				o->trust_proxy = 1;
			else if (strcmp(a, "--debug-stats") == 0)
				o->debug_stats = 1;
			else if (a[0] == '-' && a[1] != '\0') {
				fprintf(stderr, "tawama: unknown or incomplete option %s\n", a);
				return -1;
			} else if (o->n_args < 4) {
				o->args[o->n_args++] = a;
			} else {
				fprintf(stderr, "tawama: too many arguments\n");
				return -1;
			}
		}
		i += takes;
	}
	if (o->db == NULL) {
		fprintf(stderr, "tawama: --db FILE is required\n");
		return -1;
	}
	return 0;
}

static int
open_db(const struct options *o, struct db **db)
{
	if (db_open(db, o->db, 0) < 0)
		return -1;
	if (db_migrate(*db) < 0 || events_index_ensure_current(*db) < 0) {
		db_close(*db);
		return -1;
	}
	return 0;
}

static int
cmd_init(const struct options *o)
{
	struct db *db;
	if (open_db(o, &db) < 0)
		return 1;
	db_close(db);
	printf("tawama: database %s is ready\n", o->db);
	return 0;
}

static int
cmd_count(const struct options *o)
{
	struct db *db;
	if (open_db(o, &db) < 0)
		return 1;
	int64_t n = events_count(db);
	db_close(db);
	if (n < 0)
		return 1;
	printf("%lld\n", (long long)n);
	return 0;
}

static int
cmd_demo(const struct options *o)
{
	struct db *db;
	if (open_db(o, &db) < 0)
		return 1;
	int rc = events_demo(db, o->scale);
	if (rc == 0)
		rc = twinning_demo(db);
	int64_t n = events_count(db);
	db_close(db);
	if (rc < 0)
		return 1;
	fprintf(stderr, "tawama: demo network loaded, %lld events\n", (long long)n);
	return 0;
}

static int
cmd_import(const struct options *o)
{
	if (o->n_args != 2 || strcmp(o->args[0], "events") != 0) {
		fprintf(stderr, "usage: tawama import events --db FILE PATH.jsonl\n");
		return 2;
	}
	FILE *in = strcmp(o->args[1], "-") == 0 ? stdin : fopen(o->args[1], "r");
	if (in == NULL) {
		fprintf(stderr, "tawama: %s: %s\n", o->args[1], strerror(errno));
		return 1;
	}
	struct db *db;
	if (open_db(o, &db) < 0) {
		if (in != stdin)
			fclose(in);
		return 1;
	}
	long n = events_import(db, in, o->args[1], stderr);
	if (in != stdin)
		fclose(in);
	db_close(db);
	if (n < 0) {
		fprintf(stderr, "tawama: nothing was imported\n");
		return 1;
	}
	fprintf(stderr, "tawama: imported %ld events\n", n);
	return 0;
}

static int
cmd_export(const struct options *o)
{
	if (o->n_args != 1 || strcmp(o->args[0], "events") != 0) {
		fprintf(stderr, "usage: tawama export events --db FILE > events.jsonl\n");
		return 2;
	}
	struct db *db;
	if (open_db(o, &db) < 0)
		return 1;
	long n = events_export(db, stdout);
	db_close(db);
	if (n < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "tawama: export failed\n");
		return 1;
	}
	return 0;
}

/* Routes that belong to no domain module. */
static const struct route app_routes[] = {
	{HTTP_GET | HTTP_HEAD, "/", render_root, 0},
	{HTTP_GET | HTTP_HEAD, "/static/{file}", http_static_handler, 0},
};

/* Every module's routes in one table (malloc'ed; the caller frees). */
static struct route *
all_routes(size_t *n)
{
	size_t n_app = sizeof(app_routes) / sizeof(app_routes[0]);
	*n = n_app + events_n_routes + accounts_n_routes + network_n_routes + twinning_n_routes;
	struct route *r = calloc(*n, sizeof(*r));
	if (r == NULL)
		die("out of memory");
	memcpy(r, app_routes, sizeof(app_routes));
	memcpy(r + n_app, events_routes, events_n_routes * sizeof(*r));
	memcpy(r + n_app + events_n_routes, accounts_routes, accounts_n_routes * sizeof(*r));
	memcpy(r + n_app + events_n_routes + accounts_n_routes, network_routes,
	       network_n_routes * sizeof(*r));
	memcpy(r + n_app + events_n_routes + accounts_n_routes + network_n_routes, twinning_routes,
	       twinning_n_routes * sizeof(*r));
	return r;
}

/* Starts the mail sender with the serve options; the password is wiped at once. */
static int
start_mail(const struct options *o)
{
	char *password = NULL;
	if (o->mail_from != NULL)
		mail_set_from(o->mail_from);
	if (o->mail_retry_base_ms > 0)
		mail_set_retry_base_ms((unsigned)o->mail_retry_base_ms);
	if (o->smtp_password_file != NULL &&
	    (password = mail_read_password_file(o->smtp_password_file)) == NULL)
		return -1;
	struct mail_config mc = {
		.db_url = o->db,
		.smtp_url = o->smtp_url,
		.user = o->smtp_user,
		.password = password,
	};
	int rc = mail_sender_start(&mc);
	if (password != NULL) {
		sodium_memzero(password, strlen(password));
		free(password);
	}
	return rc;
}

static int
cmd_serve(const struct options *o)
{
	struct db *db;
	if (open_db(o, &db) < 0)
		return 1;
	db_close(db);
	log_set_quiet(o->quiet);
	if (o->base_url != NULL)
		config_set_base_url(o->base_url);
	else {
		char url[300];
		snprintf(url, sizeof(url), "http://%s", o->listen);
		config_set_base_url(url);
	}
	if (o->site_name != NULL)
		config_set_site_name(o->site_name);
	config_set_secure(o->secure);
	config_set_trust_proxy(o->trust_proxy);
	if (sodium_init() < 0) {
		log_error("tawama: libsodium could not start");
		return 1;
	}
	accounts_init();
	config_set_search_cache(o->search_cache);

	char locale_dir[1024], mo_dir[1024];
	snprintf(locale_dir, sizeof(locale_dir), "%s/locale", o->data_dir);
	snprintf(mo_dir, sizeof(mo_dir), "%s/mo", o->data_dir);
	int rc = 1;
	if (i18n_init(locale_dir, mo_dir) < 0)
		goto out_config;
	if (render_init() < 0)
		goto out_i18n;
	if (http_static_init() < 0)
		goto out_render;
	db_thread_init(o->db);

	/* the workers inherit this mask; only sigwait below sees the signals */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (start_mail(o) < 0)
		goto out_static_db;

	size_t n_routes;
	struct route *routes = all_routes(&n_routes);
	struct http_config cfg = {
		.listen = o->listen,
		.routes = routes,
		.n_routes = n_routes,
		.threads = (unsigned)o->threads,
		.quiet = o->quiet,
	};
	render_configure_http(&cfg, o->debug_stats);
	cfg.guard = auth_guard;
	if (http_server_start(&cfg) < 0)
		goto out_mail;
	log_info("tawama: serving %s on %s", config_base_url(), o->listen);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("tawama: %s received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	http_server_stop();
	rc = 0;
out_mail:
	free(routes);
	mail_sender_stop();
out_static_db:
	db_thread_close_all();
	http_static_free();
out_render:
	render_free();
out_i18n:
	i18n_free();
out_config:
	icaltimezone_free_builtin_timezones();
	mail_free();
	config_free();
	return rc;
}

/* `tawama routes`: every route, one a line (methods, pattern, flags), for the test that
 * checks each route loading an object has a test refusing someone else's. */
static int
cmd_routes(const struct options *o)
{
	size_t n;
	struct route *r = all_routes(&n);
	for (size_t i = 0; i < n; i++)
		printf("%s%s%s\t%s\t%s%s%s\n", (r[i].methods & HTTP_GET) ? "GET" : "",
		       (r[i].methods & HTTP_GET) && (r[i].methods & HTTP_POST) ? "," : "",
		       (r[i].methods & HTTP_POST) ? "POST" : "", r[i].pattern,
		       (r[i].flags & ROUTE_LOGIN) ? "login " : "", (r[i].flags & ROUTE_CSRF) ? "csrf " : "",
		       (r[i].flags & ROUTE_JSON) ? "json" : "");
	free(r);
	return 0;
}

static int
cmd_reindex(const struct options *o)
{
	return events_reindex_cli(o->db);
}

static const struct {
	const char *name;
	int (*run)(const struct options *o);
} commands[] = {
	{"reindex", cmd_reindex},
	{"init", cmd_init},
	{"demo", cmd_demo},
	{"import", cmd_import},
	{"export", cmd_export},
	{"count-events", cmd_count},
	{"serve", cmd_serve},
};

int
main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "analyze") == 0)
		return search_analyze_cli(argc - 2, argv + 2);
	if (strcmp(argv[1], "routes") == 0)
		return cmd_routes(NULL);
	if (strcmp(argv[1], "user") == 0)
		return accounts_cli(argc - 2, argv + 2);
	if (strcmp(argv[1], "mail") == 0)
		return mail_cli(argc - 2, argv + 2);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		struct options o;
		if (parse_options(argc - 2, argv + 2, &o) < 0) {
			fputs(usage, stderr);
			return 2;
		}
		return commands[i].run(&o);
	}
	fprintf(stderr, "tawama: unknown command \"%s\"\n\n%s", argv[1], usage);
	return 2;
}
