/* mail_build: RFC 5322 / MIME messages: addresses, headers (RFC 2047), bodies (QP, base64). */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_buf.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "core/core_utf8.h"
#include "mail/mail_internal.h"

#define LINE_MAX_COLS 76		/* RFC 2045's limit for encoded lines */
#define FOLD_COLS 78			/* RFC 5322's "SHOULD" for header lines */
#define CTYPE_MAX 200
#define FILENAME_MAX_BYTES 200

static const char hex_upper[] = "0123456789ABCDEF";
static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* --- Addresses --- */

/* RFC 5322 atext: the characters of an unquoted local part. */
static int
is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static int
is_ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

/* A dot-atom local part of 1 to 64 characters. */
static int
local_valid(const char *s, size_t n)
{
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.' ? s[i + 1] == '.' : !is_atext(c))
			return 0;
	}
	return 1;
}

/* Dot-separated labels of letters, digits and inner hyphens; a dot is required except
 * in "localhost" (a single word is most often a typo of a real domain). */
static int
domain_valid(const char *s, size_t n)
{
	if (n == 0 || n > 253)
		return 0;
	if (n == 9 && strncmp(s, "localhost", 9) == 0)
		return 1;
	size_t label = 0, dots = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-')
				return 0;
			label = 0;
			dots += i < n;
			continue;
		}
		if (!is_ldh((unsigned char)s[i]))
			return 0;
		label++;
	}
	return dots > 0;
}

int
mail_address_valid(const char *addr)
{
	if (addr == NULL)
		return 0;
	size_t n = strnlen(addr, MAIL_ADDRESS_MAX + 1);
	if (n > MAIL_ADDRESS_MAX)
		return 0;
	const char *at = memchr(addr, '@', n);
	if (at == NULL || memchr(at + 1, '@', n - (size_t)(at - addr) - 1) != NULL)
		return 0;
	return local_valid(addr, (size_t)(at - addr)) &&
	       domain_valid(at + 1, n - (size_t)(at - addr) - 1);
}

/* Validates UTF-8 text of at most max bytes and returns a malloc'ed copy with control
 * characters (CR and LF included: no header injection) turned into spaces and outer
 * spaces trimmed. NULL when invalid or too long. */
static char *
clean_line(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	if (n > max || !utf8_valid(s, n))
		return NULL;
	while (n > 0 && ((unsigned char)s[n - 1] <= ' ' || s[n - 1] == 0x7f))
		n--;
	while (n > 0 && ((unsigned char)*s <= ' ' || *s == 0x7f))
		s++, n--;
	char *out = malloc(n + 1);
	if (out == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = c < ' ' || c == 0x7f ? ' ' : (char)c;
	}
	out[n] = '\0';
	return out;
}

int
mail_parse_from(const char *from, char **name, char addr[MAIL_ADDRESS_MAX + 1])
{
	*name = NULL;
	if (from == NULL)
		return -1;
	char *f = clean_line(from, MAIL_NAME_MAX + MAIL_ADDRESS_MAX + 8);
	if (f == NULL)
		return -1;
	char *lt = strrchr(f, '<'), *a = f;
	if (lt != NULL) {
		char *gt = strchr(lt, '>');
		if (gt == NULL || gt[1] != '\0')
			goto fail;
		*gt = '\0';
		a = lt + 1;
		/* the display name, without the quotes of a quoted string */
		char *e = lt;
		while (e > f && e[-1] == ' ')
			e--;
		*e = '\0';
		char *s = f;
		if (e - s >= 2 && s[0] == '"' && e[-1] == '"') {
			s++;
			e[-1] = '\0';
		}
		if (strchr(s, '"') != NULL || strchr(s, '<') != NULL || strlen(s) > MAIL_NAME_MAX)
			goto fail;
		if (*s != '\0') {
			*name = strdup(s);
			if (*name == NULL)
				die("out of memory");
		}
	}
	if (!mail_address_valid(a))
		goto fail;
	snprintf(addr, MAIL_ADDRESS_MAX + 1, "%s", a);
	free(f);
	return 0;
fail:
	free(*name);
	*name = NULL;
	free(f);
	return -1;
}

/* --- The configured From --- */

static pthread_mutex_t from_lock = PTHREAD_MUTEX_INITIALIZER;
static char *from_set;		/* mail_set_from's copy */
static char *from_default;	/* built on first use */

void
mail_set_from(const char *from)
{
	char *copy = from != NULL ? strdup(from) : NULL;
	if (from != NULL && copy == NULL)
		die("out of memory");
	pthread_mutex_lock(&from_lock);
	free(from_set);
	from_set = copy;
	pthread_mutex_unlock(&from_lock);
}

/* "<site name> <noreply@HOST>" with HOST from the base URL when it is a name. */
static char *
default_from(void)
{
	const char *u = config_base_url();
	const char *h = strstr(u, "://");
	h = h != NULL ? h + 3 : u;
	size_t n = strcspn(h, ":/?#");
	char addr[MAIL_ADDRESS_MAX + 1];
	int is_name = 0;
	for (size_t i = 0; i < n; i++)
		if ((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z'))
			is_name = 1;
	if (h[0] == '[' || !is_name || n > 200)
		snprintf(addr, sizeof(addr), "noreply@localhost");
	else
		snprintf(addr, sizeof(addr), "noreply@%.*s", (int)n, h);
	if (!mail_address_valid(addr))
		snprintf(addr, sizeof(addr), "noreply@localhost");
	struct buf b = BUF_INIT;
	const char *site = config_site_name();
	if (strchr(site, '"') == NULL && strchr(site, '<') == NULL)
		buf_printf(&b, "%s <%s>", site, addr);
	else
		buf_puts(&b, addr);
	return buf_detach(&b, NULL);
}

const char *
mail_from(void)
{
	pthread_mutex_lock(&from_lock);
	const char *f = from_set;
	if (f == NULL) {
		if (from_default == NULL)
			from_default = default_from();
		f = from_default;
	}
	pthread_mutex_unlock(&from_lock);
	return f;
}

char *
mail_from_copy(struct db *db)
{
	pthread_mutex_lock(&from_lock);
	char *f = from_set != NULL ? strdup(from_set) : NULL;
	int set = from_set != NULL;
	pthread_mutex_unlock(&from_lock);
	if (!set && (f = outbox_stored_from(db)) == NULL)
		f = strdup(mail_from());
	if (f == NULL)
		die("out of memory");
	return f;
}

void
mail_free(void)
{
	pthread_mutex_lock(&from_lock);
	free(from_set);
	free(from_default);
	from_set = from_default = NULL;
	pthread_mutex_unlock(&from_lock);
}

/* --- Encoders --- */

static void
b64_raw(struct buf *out, const unsigned char *p, size_t n)
{
	char q[4];
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64_alphabet[(v >> 18) & 63];
		q[1] = b64_alphabet[(v >> 12) & 63];
		q[2] = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? b64_alphabet[v & 63] : '=';
		buf_append(out, q, 4);
	}
}

void
mail_encode_base64(struct buf *out, const void *data, size_t n)
{
	const unsigned char *p = data;
	/* 57 bytes make one line of 76 characters */
	for (size_t i = 0; i < n && !out->failed; i += 57) {
		b64_raw(out, p + i, n - i < 57 ? n - i : 57);
		buf_append(out, "\r\n", 2);
	}
}

/* One line of text (without its line end) as quoted-printable, with soft breaks. */
static void
qp_line(struct buf *out, const unsigned char *s, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		for (int pass = 0; pass < 2; pass++) {
			/* '.' opening a line is encoded too, for relays that mishandle it */
			int enc = c == '=' || (c < ' ' && c != '\t') || c > '~' ||
				  ((c == ' ' || c == '\t') && i + 1 == n) || (c == '.' && col == 0);
			size_t w = enc ? 3 : 1;
			/* keep one column for the soft break "=" */
			if (col + w > LINE_MAX_COLS - 1 && pass == 0) {
				buf_append(out, "=\r\n", 3);
				col = 0;
				continue;
			}
			if (enc) {
				char e[3] = {'=', hex_upper[c >> 4], hex_upper[c & 15]};
				buf_append(out, e, 3);
			} else {
				buf_putc(out, (char)c);
			}
			col += w;
			break;
		}
	}
	buf_append(out, "\r\n", 2);
}

/* Calls fn for each line of s (LF, CRLF or CR ends); a final line without an end is a
 * line too, an empty text has no lines. */
static void
each_line(const char *s, size_t n, struct buf *out,
	  void (*fn)(struct buf *, const unsigned char *, size_t))
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '\n' && s[j] != '\r')
			j++;
		fn(out, (const unsigned char *)s + i, j - i);
		if (j < n && s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')
			j++;
		i = j + 1;
	}
}

void
mail_encode_qp(struct buf *out, const char *s, size_t n)
{
	each_line(s, n, out, qp_line);
}

static void
crlf_line(struct buf *out, const unsigned char *s, size_t n)
{
	buf_append(out, s, n);
	buf_append(out, "\r\n", 2);
}

/* --- Headers --- */

static int
is_printable_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s > '~')
			return 0;
	return 1;
}

/* Whether an ASCII phrase can go unquoted: atext and spaces only. */
static int
phrase_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && !is_atext((unsigned char)*s))
			return 0;
	return 1;
}

/* The longest run of non-space characters. */
static size_t
longest_word(const char *s)
{
	size_t best = 0, cur = 0;
	for (; *s != '\0'; s++) {
		cur = *s == ' ' ? 0 : cur + 1;
		if (cur > best)
			best = cur;
	}
	return best;
}

/* Printable ASCII, folded at spaces so lines stay within FOLD_COLS where words allow. */
static void
header_folded(struct buf *out, size_t col, const char *s)
{
	const char *p = s;
	while (*p != '\0') {
		/* one segment: the spaces before a word, then the word */
		size_t sp = strspn(p, " ");
		size_t w = strcspn(p + sp, " ");
		if (p != s && sp > 0 && col + sp + w > FOLD_COLS) {
			buf_append(out, "\r\n", 2);	/* the space after it is the fold's */
			col = 0;
		}
		buf_append(out, p, sp + w);
		col += sp + w;
		p += sp + w;
	}
}

/* RFC 2047 "B" encoded words, each of whole characters and at most 75 columns,
 * separated by folds (the white space between encoded words is not text). */
static void
header_encoded_words(struct buf *out, size_t col, const char *s)
{
	size_t n = strlen(s), i = 0;
	int first = 1;
	while (i < n) {
		size_t used = first ? col : 1;
		size_t avail = used < LINE_MAX_COLS ? LINE_MAX_COLS - used : 0;
		if (avail > 75)
			avail = 75;
		size_t max_bytes = avail > 12 ? (avail - 12) / 4 * 3 : 0;
		if (max_bytes < 12 && first) {
			first = 0;	/* start on a line of its own */
			continue;
		}
		size_t take = 0;
		while (i + take < n) {
			uint32_t cp;
			int len = utf8_decode(s + i + take, n - i - take, &cp);
			if (len < 0)
				len = 1;	/* cannot happen: validated */
			if (take + (size_t)len > max_bytes)
				break;
			take += (size_t)len;
		}
		if (!first)
			buf_append(out, "\r\n ", 3);
		buf_puts(out, "=?UTF-8?B?");
		b64_raw(out, (const unsigned char *)s + i, take);
		buf_puts(out, "?=");
		i += take;
		first = 0;
	}
}

void
mail_encode_header_text(struct buf *out, size_t name_len, const char *s, int phrase)
{
	size_t col = name_len + 2;
	if (is_printable_ascii(s) && strstr(s, "=?") == NULL) {
		if (phrase && phrase_plain(s)) {
			buf_puts(out, s);
			return;
		}
		if (phrase) {
			buf_putc(out, '"');
			for (; *s != '\0'; s++) {
				if (*s == '"' || *s == '\\')
					buf_putc(out, '\\');
				buf_putc(out, *s);
			}
			buf_putc(out, '"');
			return;
		}
		if (longest_word(s) <= FOLD_COLS - 10) {
			header_folded(out, col, s);
			return;
		}
	}
	header_encoded_words(out, col, s);
}

void
mail_format_date(int64_t t, char out[40])
{
	static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int64_t y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	int w = (int)(((days % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
	snprintf(out, 40, "%s, %u %s %04lld %02d:%02d:%02d +0000", wday[w], d, mon[m - 1],
		 (long long)y, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* --- Parts --- */

static void
random_hex(char *out, size_t n_bytes)
{
	unsigned char r[32];
	if (n_bytes > sizeof(r))
		n_bytes = sizeof(r);
	if (sodium_init() < 0)
		die("libsodium cannot initialise");
	randombytes_buf(r, n_bytes);
	for (size_t i = 0; i < n_bytes; i++) {
		out[2 * i] = "0123456789abcdef"[r[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[r[i] & 15];
	}
	out[2 * n_bytes] = '\0';
}

/* A text/SUBTYPE part (headers and body): base64 when most of the text is not ASCII
 * (Arabic: a third of QP's size), quoted-printable otherwise (readable in the raw). */
static void
text_part(struct buf *out, const char *subtype, const char *text)
{
	size_t n = strlen(text), high = 0;
	for (size_t i = 0; i < n; i++)
		high += (unsigned char)text[i] >= 0x80;
	buf_printf(out, "Content-Type: text/%s; charset=UTF-8\r\n", subtype);
	if (high * 3 > n) {
		buf_puts(out, "Content-Transfer-Encoding: base64\r\n\r\n");
		struct buf canon = BUF_INIT;
		canon.limit = MAIL_MESSAGE_MAX;
		each_line(text, n, &canon, crlf_line);
		if (canon.failed)
			out->failed = 1;
		else
			mail_encode_base64(out, canon.data, canon.len);
		buf_free(&canon);
	} else {
		buf_puts(out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		mail_encode_qp(out, text, n);
	}
}

/* text alone, or text and html as multipart/alternative. */
static void
body_part(struct buf *out, const struct mail_msg *m, const char *boundary)
{
	if (m->html == NULL) {
		text_part(out, "plain", m->text != NULL ? m->text : "");
		return;
	}
	buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%sa\"\r\n\r\n",
		   boundary);
	buf_printf(out, "--%sa\r\n", boundary);
	text_part(out, "plain", m->text != NULL ? m->text : "");
	buf_printf(out, "--%sa\r\n", boundary);
	text_part(out, "html", m->html);
	buf_printf(out, "--%sa--\r\n", boundary);
}

/* filename="x" when it is plain ASCII, else RFC 2231's filename*=UTF-8''%XX... */
static void
attachment_part(struct buf *out, const struct mail_attachment *a)
{
	buf_printf(out, "Content-Type: %s\r\nContent-Disposition: attachment; ",
		   a->content_type);
	const char *f = a->filename;
	if (is_printable_ascii(f) && strpbrk(f, "\"\\") == NULL) {
		buf_printf(out, "filename=\"%s\"\r\n", f);
	} else {
		buf_puts(out, "filename*=UTF-8''");
		for (const unsigned char *p = (const unsigned char *)f; *p != '\0'; p++) {
			if (is_ldh(*p) || *p == '.' || *p == '_')
				buf_putc(out, (char)*p);
			else
				buf_printf(out, "%%%c%c", hex_upper[*p >> 4], hex_upper[*p & 15]);
		}
		buf_puts(out, "\r\n");
	}
	buf_puts(out, "Content-Transfer-Encoding: base64\r\n\r\n");
	mail_encode_base64(out, a->data, a->len);
}

static int
attachment_valid(const struct mail_attachment *a)
{
	if (a->content_type == NULL || a->filename == NULL || (a->data == NULL && a->len > 0))
		return 0;
	size_t ct = strnlen(a->content_type, CTYPE_MAX + 1);
	if (ct > CTYPE_MAX || !is_printable_ascii(a->content_type) ||
	    strchr(a->content_type, '/') == NULL)
		return 0;
	size_t fn = strnlen(a->filename, FILENAME_MAX_BYTES + 1);
	if (fn == 0 || fn > FILENAME_MAX_BYTES || !utf8_valid(a->filename, fn))
		return 0;
	for (size_t i = 0; i < fn; i++) {
		unsigned char c = (unsigned char)a->filename[i];
		if (c < ' ' || c == 0x7f || c == '/')
			return 0;
	}
	return a->len <= MAIL_MESSAGE_MAX;
}

/* NULL (no such part), or UTF-8 text within the message limit. */
static int
body_valid(const char *s)
{
	if (s == NULL)
		return 1;
	size_t n = strnlen(s, MAIL_MESSAGE_MAX + 1);
	return n <= MAIL_MESSAGE_MAX && (n == 0 || utf8_valid(s, n));
}

/* The column the next byte of out goes to (headers are being written). */
static size_t
column(const struct buf *out)
{
	size_t i = out->len;
	while (i > 0 && out->data[i - 1] != '\n')
		i--;
	return out->len - i;
}

/* "phrase <addr>", the address on a folded line when the phrase left no room. */
static void
name_addr(struct buf *out, size_t name_len, const char *name, const char *addr)
{
	if (name == NULL || name[0] == '\0') {
		buf_printf(out, "%s\r\n", addr);
		return;
	}
	mail_encode_header_text(out, name_len, name, 1);
	const char *sep = column(out) + strlen(addr) + 3 > FOLD_COLS ? "\r\n" : "";
	buf_printf(out, "%s <%s>\r\n", sep, addr);
}

int
mail_build(const struct mail_msg *m, const char *from, int64_t now, struct buf *out,
	   char msgid[MAIL_MSGID_MAX], char envelope_from[MAIL_ADDRESS_MAX + 1])
{
	char *from_name = NULL, *to_name = NULL, *subject = NULL;
	const char *why;
	if (!mail_address_valid(m->to)) {
		why = "not a valid address";
		goto fail;
	}
	why = "the From address is not valid (--mail-from)";
	if (mail_parse_from(from, &from_name, envelope_from) < 0)
		goto fail;
	why = "the display name is not UTF-8 text of at most 512 bytes";
	if (m->to_name != NULL && (to_name = clean_line(m->to_name, MAIL_NAME_MAX)) == NULL)
		goto fail;
	why = "the subject is not UTF-8 text of at most 4096 bytes";
	if ((subject = clean_line(m->subject != NULL ? m->subject : "", MAIL_SUBJECT_MAX)) ==
	    NULL)
		goto fail;
	why = "a body is not UTF-8 text (or larger than 16 MiB)";
	if (!body_valid(m->text) || !body_valid(m->html))
		goto fail;
	why = "too many attachments";
	if (m->n_att > MAIL_ATTACHMENTS_MAX || (m->n_att > 0 && m->att == NULL))
		goto fail;
	why = "an attachment has no or a bad file name or content type";
	for (size_t i = 0; i < m->n_att; i++)
		if (!attachment_valid(&m->att[i]))
			goto fail;

	char id[33], boundary[40], rnd[25], date[40];
	random_hex(id, 16);
	random_hex(rnd, 12);
	snprintf(boundary, sizeof(boundary), "=_%s", rnd);	/* "=_" never occurs in QP
								 * or base64 */
	const char *domain = strchr(envelope_from, '@') + 1;
	snprintf(msgid, MAIL_MSGID_MAX, "<%s@%s>", id, domain);
	mail_format_date(now, date);

	buf_reset(out);
	out->limit = MAIL_MESSAGE_MAX;
	buf_printf(out, "Date: %s\r\nFrom: ", date);
	name_addr(out, 4, from_name, envelope_from);
	buf_puts(out, "To: ");
	name_addr(out, 2, to_name, m->to);
	buf_puts(out, "Subject: ");
	mail_encode_header_text(out, 7, subject, 0);
	buf_printf(out, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
			"Auto-Submitted: auto-generated\r\n",
		   msgid);
	if (m->n_att == 0) {
		body_part(out, m, boundary);
	} else {
		buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%sm\"\r\n\r\n",
			   boundary);
		buf_printf(out, "--%sm\r\n", boundary);
		body_part(out, m, boundary);
		for (size_t i = 0; i < m->n_att; i++) {
			buf_printf(out, "--%sm\r\n", boundary);
			attachment_part(out, &m->att[i]);
		}
		buf_printf(out, "--%sm--\r\n", boundary);
	}
	why = "the message would be larger than 16 MiB";
	if (out->failed)
		goto fail;
	free(from_name);
	free(to_name);
	free(subject);
	return 0;
fail:
	log_error("mail: not queued (%s): %s", m->kind != NULL ? m->kind : "mail", why);
	free(from_name);
	free(to_name);
	free(subject);
	return -1;
}
