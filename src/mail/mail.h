/* src/mail/mail.h — mail: the outbox (a table) and the sender thread (SMTP via libcurl).
 * A platform layer: never includes a domain module. */
#ifndef MAIL_H
#define MAIL_H
#include <stddef.h>
#include <stdint.h>

struct db;
struct mail_attachment {
	const char *filename;		/* "invitation.ics" */
	const char *content_type;	/* "text/calendar; method=REQUEST; charset=UTF-8" */
	const char *data;
	size_t len;
};
struct mail_msg {
	const char *to;			/* one address; validated (no CR/LF, one @, ≤ 254 bytes) */
	const char *to_name;		/* display name or NULL; UTF-8, encoded as RFC 2047 */
	const char *subject;		/* UTF-8, RFC 2047 encoded when not ASCII */
	const char *text;		/* text/plain; charset=UTF-8 body */
	const char *html;		/* optional text/html alternative, or NULL */
	const struct mail_attachment *att;
	size_t n_att;
	const char *kind;		/* short label for `mail status`: "invitation", "reset", ... */
};
/* Builds the whole RFC 5322/MIME message now (From from the configuration set by
 * mail_set_from or a default, Date, a unique Message-ID, quoted-printable or base64 bodies)
 * and inserts it into the outbox on db. Runs inside the caller's transaction when one is
 * open (so a mail is queued exactly when the change that causes it commits); the caller
 * owns transactions. Returns the outbox id (> 0), or -1 (bad address: nothing inserted). */
int64_t mail_enqueue(struct db *db, const struct mail_msg *m);
void mail_set_from(const char *from);	/* "HMLN <noreply@example.org>", copied */
struct mail_config {
	const char *db_url;		/* the database file */
	const char *smtp_url;		/* "smtp://127.0.0.1:2525" or smtps://...; NULL: queue only */
	const char *user, *password;	/* optional SMTP AUTH */
	unsigned poll_ms;		/* how often the thread looks at the queue when idle */
};
/* Starts the sender thread (own db connection). 0 or -1. */
int mail_sender_start(const struct mail_config *c);
/* Asks the thread to look at the queue now (after an enqueue commits). */
void mail_sender_wake(void);
/* Stops the thread after the message in flight; joins it. */
void mail_sender_stop(void);
/* `tawama mail status --db FILE` (and any other mail subcommands you find useful, e.g.
 * `mail retry`): argc/argv after "mail". Returns the exit code. */
int mail_cli(int argc, char **argv);

/* --- Additions to the interface above. --- */

/* Limits: a whole message (headers, bodies, attachments once encoded) and the parts. */
#define MAIL_ADDRESS_MAX 254
#define MAIL_MESSAGE_MAX (16u << 20)	/* 16 MiB as built; servers commonly take 25 MiB */
#define MAIL_ATTACHMENTS_MAX 10

/* 1 when addr is an address tawama sends to: ASCII, at most 254 bytes, one "@", a
 * local part of 1 to 64 characters without spaces, controls or the specials that
 * would need quoting, and a domain of dot-separated labels (letters, digits,
 * hyphens). 0 otherwise. For forms that take an address before anything is queued. */
int mail_address_valid(const char *addr);

/* The From of messages built from now on, as given to mail_set_from or the default
 * "<site name> <noreply@HOST>" (HOST from the base URL, or "localhost" when that is an
 * address). Valid until the next mail_set_from or mail_free. */
const char *mail_from(void);

/* Sets the back-off of failed deliveries: the first retry after base_ms, doubling up
 * to 120 times base_ms (default 30 s, so at most an hour). Called before
 * mail_sender_start. */
void mail_set_retry_base_ms(unsigned base_ms);

/* Reads an SMTP password: the first line of path (at most 1 KiB, without its line
 * end). Returns a malloc'ed string (the caller wipes it with sodium_memzero and frees
 * it), or NULL with the reason on standard error. */
char *mail_read_password_file(const char *path);

/* Frees what mail_set_from copied (at shutdown, after mail_sender_stop). */
void mail_free(void);

#endif
