/* mail_internal: what the files of the mail layer share (not for other modules). */
#ifndef MAIL_INTERNAL_H
#define MAIL_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "mail/mail.h"

struct buf;
struct db;

#define MAIL_MSGID_MAX 160	/* "<" 32 hex "." 13 digits "@" domain (≤ 253) ">" fits */
#define MAIL_KIND_MAX 32
#define MAIL_SUBJECT_MAX 4096	/* bytes of UTF-8 */
#define MAIL_NAME_MAX 512	/* display names, bytes of UTF-8 */
#define MAIL_REJECTIONS_MAX 3	/* permanent (5xx) answers before a mail is 'failed' */

/* Message building (mail_build.c). */

/* Builds the whole message for m with the From header from (a "Name <addr>" or
 * "addr" string), dated now (seconds), into out (reset first; its limit is set to
 * MAIL_MESSAGE_MAX). msgid receives the Message-ID with its angle brackets and
 * envelope_from the bare address of from. Returns 0, or -1 with the reason logged
 * (bad address, invalid UTF-8, a part too large; out's contents are then garbage). */
int mail_build(const struct mail_msg *m, const char *from, int64_t now, struct buf *out,
	       char msgid[MAIL_MSGID_MAX], char envelope_from[MAIL_ADDRESS_MAX + 1]);

/* Splits a From value into its display name (malloc'ed, NULL when there is none) and
 * bare address (copied into addr). 0, or -1 when it is not "addr" or "Name <addr>"
 * with a valid address. */
int mail_parse_from(const char *from, char **name, char addr[MAIL_ADDRESS_MAX + 1]);

/* Encoders, exported for the unit tests. Both append to out. s is the text with any
 * line ends (LF, CRLF or CR); the output has CRLF line ends and lines of at most 76
 * characters, and ends with CRLF. */
void mail_encode_qp(struct buf *out, const char *s, size_t n);
void mail_encode_base64(struct buf *out, const void *data, size_t n);

/* Appends s (valid UTF-8, controls already folded to spaces) as the value of a header
 * whose name took name_len columns: plain and folded when it is printable ASCII
 * without "=?", RFC 2047 encoded words ("=?UTF-8?B?...?=", each at most 75
 * characters, whole characters only) otherwise. phrase: s is a display name, so ASCII
 * with specials is written as a quoted string. */
void mail_encode_header_text(struct buf *out, size_t name_len, const char *s, int phrase);

/* The date in RFC 5322 form ("Wed, 11 Jul 2018 09:00:00 +0000") into out. */
void mail_format_date(int64_t t, char out[40]);

/* The From for a mail queued on db now (malloc'ed): mail_set_from's when this process
 * set one, else the one the last `tawama serve` stored in db, else mail_from()'s
 * default. */
char *mail_from_copy(struct db *db);

/* The outbox (mail_outbox.c). Instants in milliseconds since the epoch. */

/* The From stored by the last server (malloc'ed), or NULL when none was. */
char *outbox_stored_from(struct db *db);
/* Stores from as the server's From. 0 or -1. */
int outbox_store_from(struct db *db, const char *from);

struct outbox_row {
	int64_t id;
	char *kind, *sender, *recipient, *message;	/* malloc'ed */
	size_t message_len;
	int64_t attempts, rejections;
};

/* Current wall-clock time in milliseconds. */
int64_t mail_now_ms(void);

/* Claims the queued mail that is due first (next_attempt_at ≤ now) by moving its
 * next attempt to now + lease_ms, so that no other sender takes it meanwhile.
 * 1 and *r filled (free with outbox_row_free), 0 when nothing is due, -1 on error. */
int outbox_claim_due(struct db *db, int64_t now, int64_t lease_ms, struct outbox_row *r);
void outbox_row_free(struct outbox_row *r);

/* When the next queued mail is due: 1 and *at, 0 when the queue is empty, -1. */
int outbox_next_due(struct db *db, int64_t *at);

/* The outcome of one attempt, each in its own committed statement. 0 or -1. */
int outbox_mark_sent(struct db *db, int64_t id, int64_t now);
int outbox_mark_retry(struct db *db, int64_t id, const char *error, int rejected,
		      int64_t next_at);
int outbox_mark_failed(struct db *db, int64_t id, const char *error);

/* The sender's back-off: the delay before attempt n + 1 after n failed (n ≥ 1). */
int64_t mail_backoff_ms(int64_t n);

#endif
