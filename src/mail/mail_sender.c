/* mail_sender: the sender thread: due outbox mails to an SMTP server through libcurl. */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/core_log.h"
#include "db/db.h"
#include "mail/mail_internal.h"

#define DEFAULT_POLL_MS 1000
#define DEFAULT_RETRY_BASE_MS 30000
#define BACKOFF_CAP_FACTOR 120		/* the back-off stops doubling at 120 x base */
#define LEASE_MS (10 * 60 * 1000)	/* a claimed mail is left alone this long */
#define CONNECT_TIMEOUT_S 30
#define TRANSFER_TIMEOUT_S 300		/* well below the lease */
#define LOW_SPEED_TIME_S 60		/* a server that stalls this long is given up */
#define STOP_GRACE_MS 10000		/* a stop waits this long for the mail in flight */
#define MARK_TRIES 30			/* recording an outcome: tries, a second apart */
#define ERROR_MAX 300			/* bytes of last_error */
#define PASSWORD_MAX 1024

static atomic_uint retry_base_ms = DEFAULT_RETRY_BASE_MS;

/* The one sender. Written by mail_sender_start and _stop (the main thread) while the
 * thread is not running; stop, wake and the condition are shared under lock. */
static struct {
	pthread_t thread;
	int running;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop, wake;
	atomic_llong stop_deadline;	/* monotonic ms; 0 while running normally */
	char *smtp_url, *user, *password;
	long use_ssl;
	unsigned poll_ms;
	struct db *db;
	CURL *curl;			/* kept between mails of a batch: one connection */
	int64_t server_failures;	/* attempts in a row the server was not reached */
	int64_t server_retry_at;	/* monotonic ms before which nothing is tried */
} S = {.lock = PTHREAD_MUTEX_INITIALIZER};

void
mail_set_retry_base_ms(unsigned base_ms)
{
	atomic_store(&retry_base_ms, base_ms > 0 ? base_ms : DEFAULT_RETRY_BASE_MS);
}

int64_t
mail_backoff_ms(int64_t n)
{
	int64_t base = atomic_load(&retry_base_ms), cap = base * BACKOFF_CAP_FACTOR;
	if (n < 1)
		n = 1;
	if (n > 8)	/* 2^7 > 120: capped anyway, and no shift overflows */
		return cap;
	int64_t d = base << (n - 1);
	return d < cap ? d : cap;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps up to ms, less when woken or stopped. Returns 1 when the thread should stop. */
static int
wait_ms(int64_t ms)
{
	pthread_mutex_lock(&S.lock);
	if (!S.stop && !S.wake && ms > 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t ns = ts.tv_nsec + (ms % 1000) * 1000000;
		ts.tv_sec += (time_t)(ms / 1000 + ns / 1000000000);
		ts.tv_nsec = (long)(ns % 1000000000);
		while (!S.stop && !S.wake)
			if (pthread_cond_timedwait(&S.cond, &S.lock, &ts) == ETIMEDOUT)
				break;
	}
	S.wake = 0;
	int stop = S.stop;
	pthread_mutex_unlock(&S.lock);
	return stop;
}

static int
stopping(void)
{
	pthread_mutex_lock(&S.lock);
	int stop = S.stop;
	pthread_mutex_unlock(&S.lock);
	return stop;
}

/* --- One SMTP transaction --- */

struct upload {
	const char *p;
	size_t len, off;
};

static size_t
read_message(char *out, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems, left = u->len - u->off;
	if (n > left)
		n = left;
	memcpy(out, u->p + u->off, n);
	u->off += n;
	return n;
}

/* libcurl hands the server's reply lines to the header callback: the last refusal (4xx,
 * 5xx) is kept for the error message ("550 5.1.1 No such user"). */
static size_t
keep_reply(char *line, size_t size, size_t nitems, void *arg)
{
	char *last = arg;
	size_t n = size * nitems;
	if (n >= 3 && (line[0] == '4' || line[0] == '5')) {
		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
			n--;
		if (n > ERROR_MAX / 2)
			n = ERROR_MAX / 2;
		for (size_t i = 0; i < n; i++)
			last[i] = (unsigned char)line[i] < ' ' || (unsigned char)line[i] > '~'
					  ? '?'
					  : line[i];
		last[n] = '\0';
	}
	return size * nitems;
}

/* Aborts the transfer when a stop has waited its grace period. */
static int
check_stop(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
	   curl_off_t ulnow)
{
	long long deadline = atomic_load(&S.stop_deadline);
	return deadline != 0 && mono_ms() >= deadline;
}

static CURLcode
setup_transfer(CURL *c, const struct outbox_row *r, struct upload *u,
	       struct curl_slist *rcpt, char *errbuf, char *reply)
{
	char from[MAIL_ADDRESS_MAX + 3];
	snprintf(from, sizeof(from), "<%s>", r->sender);
	CURLcode rc = CURLE_OK;
#define SET(opt, val)                                          \
	do {                                                   \
		if (rc == CURLE_OK)                            \
			rc = curl_easy_setopt(c, opt, val);    \
	} while (0)
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_URL, S.smtp_url);
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USE_SSL, S.use_ssl);
	SET(CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
	SET(CURLOPT_TIMEOUT, (long)TRANSFER_TIMEOUT_S);
	SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
	SET(CURLOPT_LOW_SPEED_TIME, (long)LOW_SPEED_TIME_S);
	if (S.user != NULL) {
		SET(CURLOPT_USERNAME, S.user);
		SET(CURLOPT_PASSWORD, S.password);
	}
	SET(CURLOPT_MAIL_FROM, from);
	SET(CURLOPT_MAIL_RCPT, rcpt);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, read_message);
	SET(CURLOPT_READDATA, u);
	SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
	SET(CURLOPT_HEADERFUNCTION, keep_reply);
	SET(CURLOPT_HEADERDATA, reply);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_XFERINFOFUNCTION, check_stop);
#undef SET
	return rc;
}

/* The outcome of one attempt. */
struct attempt {
	CURLcode rc;
	long code;			/* the server's last reply code, 0 when none */
	int rejected;			/* the server refused this mail for good (5xx) */
	char error[ERROR_MAX + 1];	/* for last_error: with the server's answer */
	char cause[CURL_ERROR_SIZE];	/* for the log: libcurl's words only (an answer
					 * may quote the recipient) */
};

static void
send_one(const struct outbox_row *r, struct attempt *a)
{
	char errbuf[CURL_ERROR_SIZE] = "", reply[ERROR_MAX / 2 + 1] = "";
	char rcpt_s[MAIL_ADDRESS_MAX + 3];
	struct upload u = {r->message, r->message_len, 0};
	memset(a, 0, sizeof(*a));
	if (S.curl == NULL && (S.curl = curl_easy_init()) == NULL) {
		a->rc = CURLE_FAILED_INIT;
		snprintf(a->error, sizeof(a->error), "libcurl cannot start a transfer");
		snprintf(a->cause, sizeof(a->cause), "libcurl cannot start a transfer");
		return;
	}
	curl_easy_reset(S.curl);	/* options only: the open connection stays */
	snprintf(rcpt_s, sizeof(rcpt_s), "<%s>", r->recipient);
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_s);
	if (rcpt == NULL)
		die("out of memory");
	a->rc = setup_transfer(S.curl, r, &u, rcpt, errbuf, reply);
	if (a->rc == CURLE_OK)
		a->rc = curl_easy_perform(S.curl);
	curl_easy_getinfo(S.curl, CURLINFO_RESPONSE_CODE, &a->code);
	curl_slist_free_all(rcpt);
	if (a->rc != CURLE_OK) {
		snprintf(a->cause, sizeof(a->cause), "%s",
			 errbuf[0] != '\0' ? errbuf : curl_easy_strerror(a->rc));
		/* cut at ERROR_MAX: the server's reply comes last */
		int n = snprintf(a->error, sizeof(a->error), "%s%s%s",
			 errbuf[0] != '\0' ? errbuf : curl_easy_strerror(a->rc),
			 reply[0] != '\0' && a->code >= 400 ? "; server said: " : "",
			 reply[0] != '\0' && a->code >= 400 ? reply : "");
		if (n < 0)
			snprintf(a->error, sizeof(a->error), "%s", curl_easy_strerror(a->rc));
		/* a fresh connection next time */
		curl_easy_cleanup(S.curl);
		S.curl = NULL;
	}
}

/* Calls mark until it works (a busy database), MARK_TRIES times a second apart. */
static int
record(int (*mark)(const struct outbox_row *, const struct attempt *, int64_t),
       const struct outbox_row *r, const struct attempt *a, int64_t arg)
{
	for (int i = 0; i < MARK_TRIES; i++) {
		if (mark(r, a, arg) == 0)
			return 0;
		struct timespec one = {1, 0};
		nanosleep(&one, NULL);
	}
	return -1;
}

static int
mark_sent(const struct outbox_row *r, const struct attempt *a, int64_t now)
{
	return outbox_mark_sent(S.db, r->id, now);
}

static int
mark_retry(const struct outbox_row *r, const struct attempt *a, int64_t next_at)
{
	return outbox_mark_retry(S.db, r->id, a->error, a->rejected, next_at);
}

static int
mark_failed(const struct outbox_row *r, const struct attempt *a, int64_t unused)
{
	return outbox_mark_failed(S.db, r->id, a->error);
}

/* Sends r and records what happened: sent; rejected for good (the MAIL_REJECTIONS_MAX-th
 * 5xx answer); or due again after the back-off. A failure that is not the server's
 * answer about this mail (no connection, a timeout, TLS, login) also holds back every
 * other mail: the server is down, and each would only wait its own timeout. */
static void
deliver(const struct outbox_row *r)
{
	struct attempt a;
	send_one(r, &a);
	int64_t now = mail_now_ms(), attempt = r->attempts + 1;
	if (a.rc == CURLE_OK) {
		S.server_failures = 0;
		if (record(mark_sent, r, &a, now) < 0)
			log_error("mail: #%lld (%s) was sent but cannot be marked so; it may be "
				  "sent again",
				  (long long)r->id, r->kind);
		else
			log_info("mail: #%lld (%s) sent", (long long)r->id, r->kind);
		return;
	}
	int answered = (a.rc == CURLE_SEND_ERROR || a.rc == CURLE_RECV_ERROR ||
			a.rc == CURLE_WEIRD_SERVER_REPLY) &&
		       a.code >= 400 && a.code < 600;
	a.rejected = answered && a.code >= 500;
	if (a.rejected && r->rejections + 1 >= MAIL_REJECTIONS_MAX) {
		if (record(mark_failed, r, &a, 0) < 0)
			log_error("mail: #%lld (%s) cannot be marked failed", (long long)r->id,
				  r->kind);
		log_error("mail: #%lld (%s) failed for good after %d rejections: %s",
			  (long long)r->id, r->kind, MAIL_REJECTIONS_MAX, a.cause);
		return;
	}
	/* a transfer cut by a stop is due again as soon as the server runs */
	int64_t delay = a.rc == CURLE_ABORTED_BY_CALLBACK ? 0 : mail_backoff_ms(attempt);
	if (record(mark_retry, r, &a, now + delay) < 0)
		log_error("mail: #%lld (%s) cannot be rescheduled", (long long)r->id, r->kind);
	log_error("mail: #%lld (%s) not sent (attempt %lld, next in %lld ms): %s",
		  (long long)r->id, r->kind, (long long)attempt, (long long)delay, a.cause);
	if (!answered && a.rc != CURLE_ABORTED_BY_CALLBACK) {
		S.server_failures++;
		S.server_retry_at = mono_ms() + mail_backoff_ms(S.server_failures);
	}
}

static void
close_connection(void)
{
	if (S.curl != NULL) {
		curl_easy_cleanup(S.curl);	/* says QUIT */
		S.curl = NULL;
	}
}

static void *
sender_main(void *arg)
{
	while (!stopping()) {
		int64_t mono = mono_ms();
		if (S.server_retry_at > mono) {
			close_connection();
			wait_ms(S.server_retry_at - mono);
			continue;
		}
		int64_t now = mail_now_ms();
		struct outbox_row r;
		int rc = outbox_claim_due(S.db, now, LEASE_MS, &r);
		if (rc == 1) {
			deliver(&r);
			outbox_row_free(&r);
			continue;
		}
		/* nothing due (or the database is busy: logged, tried again later) */
		close_connection();
		int64_t at, wait = S.poll_ms;
		if (rc == 0 && outbox_next_due(S.db, &at) == 1 && at - now < wait)
			wait = at - now;
		wait_ms(wait);
	}
	close_connection();
	return NULL;
}

/* --- Starting and stopping --- */

static int
is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	       strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		die("out of memory");
	return p;
}

/* Checks the URL (smtp:// or smtps://, a host, no credentials in it), chooses TLS and
 * returns the URL to use (malloc'ed) or NULL. smtps is TLS from the start; on smtp://,
 * STARTTLS is required when a password would cross the network, tried otherwise, and
 * left out on loopback (a local relay). A URL without a path gets ehlo as one: libcurl
 * greets the server with the path ("EHLO example.org"), else with "localhost", which
 * some servers refuse. */
static char *
check_url(const char *url, int has_password, const char *ehlo, long *use_ssl)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL, *path = NULL;
	char *full = NULL, *out = NULL;
	if (u == NULL)
		die("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		log_error("mail: --smtp-url is not a URL (smtp://HOST:PORT or smtps://HOST:PORT)");
		goto out;
	}
	if (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0) {
		log_error("mail: --smtp-url must start with smtp:// or smtps://");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK) {
		log_error("mail: --smtp-url must not carry credentials: use --smtp-user and "
			  "--smtp-password-file");
		goto out;
	}
	if (strcmp(scheme, "smtps") == 0)
		*use_ssl = CURLUSESSL_ALL;
	else if (is_loopback(host))
		*use_ssl = CURLUSESSL_NONE;
	else
		*use_ssl = has_password ? CURLUSESSL_ALL : CURLUSESSL_TRY;
	if ((curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK || strcmp(path, "/") == 0) &&
	    curl_url_set(u, CURLUPART_PATH, ehlo, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK)
		goto out;
	out = xstrdup(full);
out:
	if (password != NULL) {
		sodium_memzero(password, strlen(password));
		curl_free(password);
	}
	curl_free(full);
	curl_free(path);
	curl_free(user);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}


static void
free_config(void)
{
	if (S.password != NULL) {
		sodium_memzero(S.password, strlen(S.password));
		free(S.password);
	}
	free(S.smtp_url);
	free(S.user);
	S.smtp_url = S.user = S.password = NULL;
}

int
mail_sender_start(const struct mail_config *c)
{
	char addr[MAIL_ADDRESS_MAX + 1], *name = NULL;
	const char *from = mail_from();
	struct db *db = NULL;
	if (S.running) {
		BUG("mail_sender_start: already running");
		return -1;
	}
	if (mail_parse_from(from, &name, addr) < 0) {
		log_error("mail: the From address is not valid (--mail-from \"Name "
			  "<address@example.org>\")");
		return -1;
	}
	free(name);
	if ((c->user == NULL) != (c->password == NULL)) {
		log_error("mail: --smtp-user and --smtp-password-file go together");
		return -1;
	}
	/* mail queued by other processes (the command line) leaves with this From too */
	if (db_open(&db, c->db_url, 0) < 0)
		return -1;
	if (outbox_store_from(db, from) < 0) {
		db_close(db);
		return -1;
	}
	if (c->smtp_url == NULL) {
		db_close(db);
		log_info("mail: no --smtp-url: mail is queued, not sent");
		return 0;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("mail: libcurl cannot start");
		db_close(db);
		return -1;
	}
	if ((S.smtp_url = check_url(c->smtp_url, c->password != NULL, strchr(addr, '@') + 1,
				    &S.use_ssl)) == NULL)
		goto fail;
	S.db = db;
	S.user = c->user != NULL ? xstrdup(c->user) : NULL;
	S.password = c->password != NULL ? xstrdup(c->password) : NULL;
	S.poll_ms = c->poll_ms > 0 ? c->poll_ms : DEFAULT_POLL_MS;
	S.stop = S.wake = 0;
	S.server_failures = S.server_retry_at = 0;
	atomic_store(&S.stop_deadline, 0);

	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&S.cond, &ca);
	pthread_condattr_destroy(&ca);
	/* the thread takes no signals: they are the main thread's to wait for */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&S.thread, NULL, sender_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("mail: cannot start the sender thread: %s", strerror(rc));
		pthread_cond_destroy(&S.cond);
		goto fail;
	}
	pthread_mutex_lock(&S.lock);
	S.running = 1;
	pthread_mutex_unlock(&S.lock);
	log_info("mail: sending through %s as %s", c->smtp_url, addr);
	return 0;
fail:
	db_close(db);
	S.db = NULL;
	free_config();
	curl_global_cleanup();
	return -1;
}

void
mail_sender_wake(void)
{
	pthread_mutex_lock(&S.lock);
	S.wake = 1;
	if (S.running)
		pthread_cond_signal(&S.cond);
	pthread_mutex_unlock(&S.lock);
}

void
mail_sender_stop(void)
{
	if (!S.running)
		return;
	pthread_mutex_lock(&S.lock);
	S.stop = 1;
	atomic_store(&S.stop_deadline, mono_ms() + STOP_GRACE_MS);
	pthread_cond_signal(&S.cond);
	pthread_mutex_unlock(&S.lock);
	pthread_join(S.thread, NULL);
	pthread_mutex_lock(&S.lock);
	S.running = 0;	/* mail_sender_wake no longer touches the condition */
	pthread_mutex_unlock(&S.lock);
	pthread_cond_destroy(&S.cond);
	db_close(S.db);
	S.db = NULL;
	free_config();
	curl_global_cleanup();
	log_info("mail: sender stopped");
}

char *
mail_read_password_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "tawama: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0)
		fprintf(stderr, "tawama: warning: %s can be read by other users (chmod 600)\n",
			path);
	char *pw = calloc(1, PASSWORD_MAX + 2);
	if (pw == NULL)
		die("out of memory");
	size_t n = 0;
	int c;
	while (n <= PASSWORD_MAX && (c = getc(f)) != EOF && c != '\n')
		pw[n++] = (char)c;
	fclose(f);
	const char *why = n > PASSWORD_MAX ? "has a first line over 1024 bytes" : NULL;
	if (n > 0 && pw[n - 1] == '\r')
		n--;
	pw[n] = '\0';
	if (why == NULL && n == 0)
		why = "is empty";
	if (why == NULL && memchr(pw, '\0', n) != NULL)
		why = "holds a NUL byte";
	if (why != NULL) {
		fprintf(stderr, "tawama: %s %s\n", path, why);
		sodium_memzero(pw, PASSWORD_MAX + 2);
		free(pw);
		return NULL;
	}
	return pw;
}
