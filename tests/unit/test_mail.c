/* test_mail: message building (headers, RFC 2047, QP and base64 round trips, parts),
 * refused input, the outbox on a real SQLite file (transactions, claims, outcomes). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_buf.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "db/db.h"
#include "mail/mail.h"
#include "mail/mail_internal.h"

#define FROM "HMLN <noreply@hmln.example>"
#define T0 INT64_C(1531299600)	/* 2018-07-11T09:00:00Z */
#define ARABIC_SUBJECT "دعوة: ورشة عمل حول خطة التنمية الاقتصادية المحلية بين بلديتي إربد وطرابلس"
#define ARABIC_TEXT "مرحباً،\nندعوكم إلى ورشة العمل القادمة لشبكة تعلّم البلديات المضيفة.\nمع التحية\n"

static char dir[64], path[128];
static struct db *db;

/* --- Decoders written here, independent of the encoders under test --- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Quoted-printable to bytes (CRLF kept as line ends, soft breaks removed). */
static char *
qp_decode(const char *s, size_t n, size_t *out_len)
{
	char *out = malloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '=') {
			out[k++] = s[i];
			continue;
		}
		if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
			continue;
		}
		cr_assert(i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0,
			  "bad QP escape at %zu", i);
		out[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
		i += 2;
	}
	out[k] = '\0';
	*out_len = k;
	return out;
}

static int
b64val(char c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(a, c) : NULL;
	return p != NULL ? (int)(p - a) : -1;
}

/* Base64 to bytes, skipping CRLF. */
static char *
b64_decode(const char *s, size_t n, size_t *out_len)
{
	char *out = malloc(n + 1);
	size_t k = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '=')
			continue;
		int v = b64val(s[i]);
		cr_assert_geq(v, 0, "not base64: %c", s[i]);
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[k] = '\0';
	*out_len = k;
	return out;
}

/* The value of header name in msg, unfolded (CRLF + space removed), malloc'ed. */
static char *
header(const char *msg, const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), "\r\n%s: ", name);
	const char *p = strncmp(msg, key + 2, strlen(key + 2)) == 0 ? msg + strlen(key + 2)
								    : strstr(msg, key);
	if (p == NULL)
		return NULL;
	if (p != msg + strlen(key + 2))
		p += strlen(key);
	struct buf b = BUF_INIT;
	for (;;) {
		const char *e = strstr(p, "\r\n");
		buf_append(&b, p, (size_t)(e - p));
		if (e[2] != ' ' && e[2] != '\t')
			break;
		p = e + 2;
	}
	return buf_detach(&b, NULL);
}

/* RFC 2047: "=?UTF-8?B?...?=" words (white space between them dropped) to text. */
static char *
decode_words(const char *v)
{
	struct buf b = BUF_INIT;
	while (*v != '\0') {
		if (*v == ' ') {
			v++;
			continue;
		}
		cr_assert(strncmp(v, "=?UTF-8?B?", 10) == 0, "not an encoded word: %s", v);
		const char *end = strstr(v + 10, "?=");
		cr_assert_not_null(end);
		size_t n;
		char *d = b64_decode(v + 10, (size_t)(end - v - 10), &n);
		buf_append(&b, d, n);
		free(d);
		v = end + 2;
	}
	return buf_detach(&b, NULL);
}

/* Every line ends with CRLF, none is longer than max, every byte is ASCII. */
static void
assert_lines(const char *s, size_t n, size_t max)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		cr_assert_lt(c, 0x80, "non-ASCII byte at %zu", i);
		if (c == '\n') {
			cr_assert(i > 0 && s[i - 1] == '\r', "bare LF at %zu", i);
			col = 0;
			continue;
		}
		if (c == '\r') {
			cr_assert(i + 1 < n && s[i + 1] == '\n', "bare CR at %zu", i);
			continue;
		}
		col++;
		cr_assert_leq(col, max, "line longer than %zu at byte %zu: %.80s", max, i,
			      s + i - col + 1);
	}
}

/* The body of the part whose headers contain marker (after its blank line, up to the
 * next boundary line), malloc'ed. */
static char *
part_body(const char *msg, const char *marker)
{
	const char *p = strstr(msg, marker);
	cr_assert_not_null(p, "no part with %s", marker);
	p = strstr(p, "\r\n\r\n");
	cr_assert_not_null(p);
	p += 4;
	const char *e = strstr(p, "\r\n--=_");
	size_t n = e != NULL ? (size_t)(e - p) + 2 : strlen(p);
	char *out = malloc(n + 1);
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static char *
build(const struct mail_msg *m, char msgid[MAIL_MSGID_MAX])
{
	struct buf b = BUF_INIT;
	char env[MAIL_ADDRESS_MAX + 1];
	cr_assert_eq(mail_build(m, FROM, T0, &b, msgid, env), 0);
	cr_assert_str_eq(env, "noreply@hmln.example");
	assert_lines(b.data, b.len, 998);
	return buf_detach(&b, NULL);
}

/* CRLF line ends, as a mail body carries the text. */
static char *
crlf(const char *s)
{
	struct buf b = BUF_INIT;
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			buf_putc(&b, '\r');
		buf_putc(&b, *s);
	}
	return buf_detach(&b, NULL);
}

/* --- Addresses --- */

Test(mail, addresses)
{
	char local64[65], long_ok[MAIL_ADDRESS_MAX + 2], too_long[MAIL_ADDRESS_MAX + 3];
	memset(local64, 'a', 64);
	local64[64] = '\0';
	/* 64 + "@" + 189 = 254: labels of 63, 63, 61 */
	snprintf(long_ok, sizeof(long_ok), "%s@%.63s.%.63s.%.61s", local64, local64, local64,
		 local64);
	cr_assert_eq(strlen(long_ok), 254);
	snprintf(too_long, sizeof(too_long), "%s@%.63s.%.63s.%.62s", local64, local64, local64,
		 local64);
	cr_assert_eq(strlen(too_long), 255);
	const char *good[] = {"a@example.org", "first.last+tag@sub.example.co",
			      "o'brien@example.ie", "x_y-z@localhost", "A1@EXAMPLE.ORG",
			      long_ok};
	const char *bad[] = {"", "a", "a@", "@example.org", "a@b", "a@@example.org",
			     "a@b@example.org", "a b@example.org", "a@example.org\r\nBcc: x@y.org",
			     "a@example.org\n", "a@exam\rple.org", "<a@example.org>",
			     "a@-example.org", "a@example-.org", "a..b@example.org",
			     ".a@example.org", "a.@example.org", "a@example..org",
			     "a@.example.org", "a@example.org.", "\xc3\xa4@example.org",
			     "a@b\xc3\xbc.org", "a@[127.0.0.1]", "a\"b@example.org",
			     "a,b@example.org", "a@exa_mple.org", too_long};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert_eq(mail_address_valid(good[i]), 1, "refused %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(mail_address_valid(bad[i]), 0, "accepted %s", bad[i]);
	char local65[80];
	snprintf(local65, sizeof(local65), "%sa@example.org", local64);
	cr_assert_eq(mail_address_valid(local65), 0);
	cr_assert_eq(mail_address_valid(NULL), 0);
}

Test(mail, from_values)
{
	struct {
		const char *in, *name, *addr;
	} ok[] = {
		{"noreply@x.org", NULL, "noreply@x.org"},
		{"HMLN <noreply@x.org>", "HMLN", "noreply@x.org"},
		{"  \"HMLN, events\" <noreply@x.org> ", "HMLN, events", "noreply@x.org"},
		{"شبكة البلديات <noreply@x.org>", "شبكة البلديات", "noreply@x.org"},
		{"<noreply@x.org>", NULL, "noreply@x.org"},
	};
	const char *bad[] = {"", "HMLN", "HMLN <bad>", "noreply@x.org>", "HMLN <a@x.org> more",
			     "HMLN <a@x.org", "H\"M <a@x.org>", "\xff <a@x.org>"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *name, addr[MAIL_ADDRESS_MAX + 1];
		cr_assert_eq(mail_parse_from(ok[i].in, &name, addr), 0, "refused %s", ok[i].in);
		cr_assert_str_eq(addr, ok[i].addr);
		if (ok[i].name == NULL)
			cr_assert_null(name, "%s", ok[i].in);
		else
			cr_assert_str_eq(name, ok[i].name);
		free(name);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *name, addr[MAIL_ADDRESS_MAX + 1];
		cr_assert_eq(mail_parse_from(bad[i], &name, addr), -1, "accepted %s", bad[i]);
		cr_assert_null(name);
	}
}

Test(mail, default_from_comes_from_the_site)
{
	config_set_base_url("https://events.example.org/");
	config_set_site_name("HMLN");
	mail_free();
	cr_assert_str_eq(mail_from(), "HMLN <noreply@events.example.org>");
	config_set_base_url("http://127.0.0.1:8080");
	mail_free();
	cr_assert_str_eq(mail_from(), "HMLN <noreply@localhost>");
	mail_set_from("Network <n@example.org>");
	cr_assert_str_eq(mail_from(), "Network <n@example.org>");
	mail_free();
	config_free();
}

/* --- Headers --- */

Test(mail, dates)
{
	struct {
		int64_t t;
		const char *want;
	} cases[] = {
		{0, "Thu, 1 Jan 1970 00:00:00 +0000"},
		{T0, "Wed, 11 Jul 2018 09:00:00 +0000"},
		{951782400, "Tue, 29 Feb 2000 00:00:00 +0000"},
		{1767225599, "Wed, 31 Dec 2025 23:59:59 +0000"},
		{-1, "Wed, 31 Dec 1969 23:59:59 +0000"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char d[40];
		mail_format_date(cases[i].t, d);
		cr_assert_str_eq(d, cases[i].want);
	}
}

Test(mail, plain_message_headers)
{
	struct mail_msg m = {.to = "jane@example.org", .to_name = "Jane Doe",
			     .subject = "Workshop on LED strategies", .text = "Hello Jane,\nsee you.\n",
			     .kind = "test"};
	char id[MAIL_MSGID_MAX];
	char *msg = build(&m, id);
	cr_assert(strncmp(msg, "Date: Wed, 11 Jul 2018 09:00:00 +0000\r\n", 39) == 0, "%s", msg);
	cr_assert_not_null(strstr(msg, "\r\nFrom: HMLN <noreply@hmln.example>\r\n"));
	cr_assert_not_null(strstr(msg, "\r\nTo: Jane Doe <jane@example.org>\r\n"));
	cr_assert_not_null(strstr(msg, "\r\nSubject: Workshop on LED strategies\r\n"));
	cr_assert_not_null(strstr(msg, "\r\nMIME-Version: 1.0\r\n"));
	cr_assert_not_null(strstr(msg, "\r\nAuto-Submitted: auto-generated\r\n"));
	cr_assert_not_null(strstr(msg, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
					"Content-Transfer-Encoding: quoted-printable\r\n\r\n"));
	/* the Message-ID: 128 random bits at the From's domain, and the header says it */
	cr_assert_eq(strlen(id), 1 + 32 + strlen("@hmln.example>"));
	cr_assert(id[0] == '<' && strcmp(id + 33, "@hmln.example>") == 0, "%s", id);
	char *h = header(msg, "Message-ID");
	cr_assert_str_eq(h, id);
	free(h);
	/* headers: lines within 78 columns */
	size_t head = (size_t)(strstr(msg, "\r\n\r\n") - msg) + 2;
	assert_lines(msg, head, 78);
	free(msg);

	/* a display name with specials is quoted; without one the address stands alone */
	m.to_name = "Doe, Jane \"JD\"";
	msg = build(&m, id);
	cr_assert_not_null(strstr(msg, "\r\nTo: \"Doe, Jane \\\"JD\\\"\" <jane@example.org>\r\n"),
			   "%s", msg);
	free(msg);
	m.to_name = NULL;
	msg = build(&m, id);
	cr_assert_not_null(strstr(msg, "\r\nTo: jane@example.org\r\n"));
	free(msg);
}

Test(mail, message_ids_are_unique)
{
	struct mail_msg m = {.to = "a@example.org", .subject = "x", .text = "x"};
	char ids[200][MAIL_MSGID_MAX];
	for (int i = 0; i < 200; i++) {
		free(build(&m, ids[i]));
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(ids[i], ids[j]);
	}
}

Test(mail, arabic_subject_and_name_as_rfc2047)
{
	struct mail_msg m = {.to = "mayor@irbid.example", .to_name = "رئيس بلدية إربد الكبرى",
			     .subject = ARABIC_SUBJECT, .text = "x\n"};
	char id[MAIL_MSGID_MAX];
	char *msg = build(&m, id);
	size_t head = (size_t)(strstr(msg, "\r\n\r\n") - msg) + 2;
	assert_lines(msg, head, 76);
	char *s = header(msg, "Subject");
	char *d = decode_words(s);
	cr_assert_str_eq(d, ARABIC_SUBJECT);
	/* each encoded word within 75 characters */
	for (const char *w = strstr(s, "=?"); w != NULL; w = strstr(w + 2, "=?")) {
		const char *e = strstr(w + 10, "?=");
		cr_assert_leq((size_t)(e + 2 - w), 75);
		w = e;
	}
	free(s);
	free(d);
	char *to = header(msg, "To");
	char *lt = strstr(to, " <mayor@irbid.example>");
	cr_assert_not_null(lt, "%s", to);
	*lt = '\0';
	d = decode_words(to);
	cr_assert_str_eq(d, "رئيس بلدية إربد الكبرى");
	free(d);
	free(to);
	free(msg);
}

Test(mail, subject_cannot_inject_headers)
{
	const char *subjects[] = {"Hi\r\nBcc: evil@example.org", "Hi\nBcc: evil@example.org",
				  "Hi\rBcc: evil@example.org"};
	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		struct mail_msg m = {.to = "a@example.org", .subject = subjects[i], .text = "x"};
		char id[MAIL_MSGID_MAX];
		char *msg = build(&m, id);
		cr_assert_null(strstr(msg, "\r\nBcc:"), "%s", msg);
		char *s = header(msg, "Subject");
		cr_assert(strncmp(s, "Hi ", 3) == 0 && strstr(s, "Bcc: evil@example.org") != NULL,
			  "%s", s);
		free(s);
		free(msg);
	}
}

Test(mail, ascii_subjects)
{
	/* long: folded at spaces, unfolds to the original */
	const char *lng = "Invitation to the third regional workshop of the twinning groups on "
			  "local economic development strategies in Amman, Jordan";
	struct mail_msg m = {.to = "a@example.org", .subject = lng, .text = "x"};
	char id[MAIL_MSGID_MAX];
	char *msg = build(&m, id);
	size_t head = (size_t)(strstr(msg, "\r\n\r\n") - msg) + 2;
	assert_lines(msg, head, 78);
	char *s = header(msg, "Subject");
	cr_assert_str_eq(s, lng);
	free(s);
	free(msg);
	/* "=?" would be read as an encoded word: it is encoded instead */
	m.subject = "Price =?UTF-8?B?eA==?= test";
	msg = build(&m, id);
	s = header(msg, "Subject");
	char *d = decode_words(s);
	cr_assert_str_eq(d, "Price =?UTF-8?B?eA==?= test");
	free(d);
	free(s);
	free(msg);
}

/* --- Bodies --- */

Test(mail, quoted_printable_round_trip)
{
	char long_line[301];
	memset(long_line, 'x', 300);
	long_line[300] = '\0';
	const char *texts[] = {
		"Hello\nWorld\n",
		"Caf\xc3\xa9 cr\xc3\xa8me \xe2\x80\x94 100% = ok\r\n",
		long_line,
		"trailing spaces  \nand a tab\t\nend",
		".a line opening with a dot\n..two\n",
		"=\n==\n=3D\n",
		"a\r\rb\n\nc",
		"",
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n",
	};
	const char *want[] = {
		"Hello\r\nWorld\r\n",
		"Caf\xc3\xa9 cr\xc3\xa8me \xe2\x80\x94 100% = ok\r\n",
		NULL,
		"trailing spaces  \r\nand a tab\t\r\nend\r\n",
		".a line opening with a dot\r\n..two\r\n",
		"=\r\n==\r\n=3D\r\n",
		"a\r\n\r\nb\r\n\r\nc\r\n",
		"",
		NULL,
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct buf b = BUF_INIT;
		mail_encode_qp(&b, texts[i], strlen(texts[i]));
		assert_lines(b.data != NULL ? b.data : "", b.len, 76);
		/* trailing white space would be eaten by relays: never at a line end */
		for (size_t k = 0; k + 1 < b.len; k++)
			if (b.data[k + 1] == '\r')
				cr_assert(b.data[k] != ' ' && b.data[k] != '\t', "case %zu", i);
		size_t n;
		char *d = qp_decode(b.data != NULL ? b.data : "", b.len, &n);
		char *w = want[i] != NULL ? strdup(want[i]) : NULL;
		if (w == NULL) {
			char *c = crlf(texts[i]);
			size_t cl = strlen(c);
			w = malloc(cl + 3);
			memcpy(w, c, cl + 1);
			if (cl < 2 || strcmp(c + cl - 2, "\r\n") != 0)
				strcat(w, "\r\n");
			free(c);
		}
		cr_assert_str_eq(d, w, "case %zu", i);
		free(w);
		free(d);
		buf_free(&b);
	}
}

Test(mail, base64_round_trip)
{
	unsigned char data[400];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 37 + 11);
	size_t lens[] = {0, 1, 2, 3, 56, 57, 58, 114, 400};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct buf b = BUF_INIT;
		mail_encode_base64(&b, data, lens[i]);
		assert_lines(b.data != NULL ? b.data : "", b.len, 76);
		size_t n;
		char *d = b64_decode(b.data != NULL ? b.data : "", b.len, &n);
		cr_assert_eq(n, lens[i]);
		cr_assert_eq(memcmp(d, data, n), 0, "length %zu", lens[i]);
		free(d);
		buf_free(&b);
	}
}

Test(mail, arabic_body_is_base64_french_is_qp)
{
	struct mail_msg m = {.to = "a@example.org", .subject = "x", .text = ARABIC_TEXT};
	char id[MAIL_MSGID_MAX];
	char *msg = build(&m, id);
	cr_assert_not_null(strstr(msg, "Content-Transfer-Encoding: base64\r\n"));
	char *body = part_body(msg, "Content-Transfer-Encoding: base64");
	size_t n;
	char *d = b64_decode(body, strlen(body), &n);
	char *w = crlf(ARABIC_TEXT);
	cr_assert_str_eq(d, w);
	free(w);
	free(d);
	free(body);
	free(msg);

	const char *fr = "Bonjour,\nla réunion du groupe de jumelage aura lieu à Tripoli.\n";
	m.text = fr;
	msg = build(&m, id);
	body = part_body(msg, "Content-Transfer-Encoding: quoted-printable");
	d = qp_decode(body, strlen(body), &n);
	w = crlf(fr);
	cr_assert_str_eq(d, w);
	free(w);
	free(d);
	free(body);
	free(msg);
}

Test(mail, html_alternative_and_attachment)
{
	static const char ics[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
				  "BEGIN:VEVENT\r\nSUMMARY:ورشة عمل\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct mail_attachment att[] = {
		{"invitation.ics", "text/calendar; method=REQUEST; charset=UTF-8", ics,
		 sizeof(ics) - 1},
		{"دعوة.pdf", "application/pdf", "%PDF\0\1\2", 7},
	};
	struct mail_msg m = {.to = "a@example.org", .subject = "Invitation", .text = "Text\n",
			     .html = "<p>HTML</p>\n", .att = att, .n_att = 2, .kind = "invitation"};
	char id[MAIL_MSGID_MAX];
	char *msg = build(&m, id);
	char *ct = header(msg, "Content-Type");
	cr_assert(strncmp(ct, "multipart/mixed; boundary=\"=_", 29) == 0, "%s", ct);
	free(ct);
	cr_assert_not_null(strstr(msg, "Content-Type: multipart/alternative; boundary=\"=_"));
	/* the text before the html: clients show the last alternative they understand */
	char *t = strstr(msg, "Content-Type: text/plain"), *h = strstr(msg, "Content-Type: text/html");
	cr_assert(t != NULL && h != NULL && t < h);
	size_t n;
	char *body = part_body(msg, "Content-Type: text/html");
	char *d = qp_decode(body, strlen(body), &n);
	cr_assert_str_eq(d, "<p>HTML</p>\r\n");
	free(d);
	free(body);

	cr_assert_not_null(strstr(msg, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"
					"Content-Disposition: attachment; filename=\"invitation.ics\"\r\n"
					"Content-Transfer-Encoding: base64\r\n\r\n"));
	body = part_body(msg, "filename=\"invitation.ics\"");
	d = b64_decode(body, strlen(body), &n);
	cr_assert_eq(n, sizeof(ics) - 1);
	cr_assert_eq(memcmp(d, ics, n), 0);
	free(d);
	free(body);
	/* a file name that is not ASCII goes as RFC 2231; binary data survives */
	const char *fn = "filename*=UTF-8''%D8%AF%D8%B9%D9%88%D8%A9.pdf";
	cr_assert_not_null(strstr(msg, fn), "%s", msg);
	body = part_body(msg, fn);
	d = b64_decode(body, strlen(body), &n);
	cr_assert_eq(n, 7);
	cr_assert_eq(memcmp(d, "%PDF\0\1\2", 7), 0);
	free(d);
	free(body);
	/* every boundary opened is closed once */
	char *mixed = strstr(msg, "boundary=\"") + 10;
	char b[64];
	snprintf(b, sizeof(b), "--%.*s--\r\n", (int)(strchr(mixed, '"') - mixed), mixed);
	cr_assert_not_null(strstr(msg, b));
	cr_assert_str_eq(strstr(msg, b) + strlen(b), "", "text after the closing boundary");
	free(msg);
}

Test(mail, refused_input)
{
	struct mail_attachment bad_ct = {"a.txt", "text/plain\r\nBcc: x@example.org", "x", 1};
	struct mail_attachment bad_fn = {"../a.txt", "text/plain", "x", 1};
	struct mail_attachment no_fn = {"", "text/plain", "x", 1};
	struct mail_attachment many[MAIL_ATTACHMENTS_MAX + 1];
	for (size_t i = 0; i < MAIL_ATTACHMENTS_MAX + 1; i++)
		many[i] = (struct mail_attachment){"a.txt", "text/plain", "x", 1};
	char long_name[MAIL_NAME_MAX + 2];
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	struct mail_msg cases[] = {
		{.to = "a@example.org\r\nBcc: x@example.org", .subject = "x", .text = "x"},
		{.to = "a@example.org\nBcc: x@example.org", .subject = "x", .text = "x"},
		{.to = "not an address", .subject = "x", .text = "x"},
		{.to = NULL, .subject = "x", .text = "x"},
		{.to = "a@example.org", .subject = "\xc3\x28", .text = "x"},
		{.to = "a@example.org", .subject = "x", .text = "\xff\xfe"},
		{.to = "a@example.org", .subject = "x", .text = "x", .html = "\xed\xa0\x80"},
		{.to = "a@example.org", .to_name = long_name, .subject = "x", .text = "x"},
		{.to = "a@example.org", .subject = "x", .text = "x", .att = &bad_ct, .n_att = 1},
		{.to = "a@example.org", .subject = "x", .text = "x", .att = &bad_fn, .n_att = 1},
		{.to = "a@example.org", .subject = "x", .text = "x", .att = &no_fn, .n_att = 1},
		{.to = "a@example.org", .subject = "x", .text = "x", .att = many,
		 .n_att = MAIL_ATTACHMENTS_MAX + 1},
		{.to = "a@example.org", .subject = "x", .text = "x", .att = NULL, .n_att = 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		char id[MAIL_MSGID_MAX], env[MAIL_ADDRESS_MAX + 1];
		cr_assert_eq(mail_build(&cases[i], FROM, T0, &b, id, env), -1, "case %zu built", i);
		buf_free(&b);
	}
	/* a bad From refuses every mail */
	struct buf b = BUF_INIT;
	char id[MAIL_MSGID_MAX], env[MAIL_ADDRESS_MAX + 1];
	struct mail_msg ok = {.to = "a@example.org", .subject = "x", .text = "x"};
	cr_assert_eq(mail_build(&ok, "HMLN <no address>", T0, &b, id, env), -1);
	cr_assert_eq(mail_build(&ok, FROM, T0, &b, id, env), 0);
	buf_free(&b);
}

Test(mail, message_size_limit)
{
	size_t big = MAIL_MESSAGE_MAX / 4 * 3 + 1;	/* its base64 alone passes the limit */
	char *data = calloc(1, big);
	struct mail_attachment a = {"big.bin", "application/octet-stream", data, big};
	struct mail_msg m = {.to = "a@example.org", .subject = "x", .text = "x", .att = &a,
			     .n_att = 1};
	struct buf b = BUF_INIT;
	char id[MAIL_MSGID_MAX], env[MAIL_ADDRESS_MAX + 1];
	cr_assert_eq(mail_build(&m, FROM, T0, &b, id, env), -1);
	a.len = 1 << 20;
	cr_assert_eq(mail_build(&m, FROM, T0, &b, id, env), 0);
	buf_free(&b);
	free(data);
}

/* --- The outbox --- */

static void
rm_db(void)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void
setup(void)
{
	log_set_quiet(1);
	snprintf(dir, sizeof(dir), "/tmp/tawama-test-mail-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	cr_assert_eq(db_open(&db, path, 0), 0);
	cr_assert_eq(db_migrate(db), 0);
	mail_set_from(FROM);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	rm_db();
	mail_free();
	config_free();
}

static int64_t
query_int(const char *sql, int64_t arg)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st, "prepare %s", sql);
	if (strstr(sql, "?1") != NULL)
		db_bind_int(st, 1, arg);
	cr_assert_eq(db_step(st), DB_ROW, "%s", sql);
	int64_t v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static char *
query_text(const char *sql, int64_t arg)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st);
	db_bind_int(st, 1, arg);
	cr_assert_eq(db_step(st), DB_ROW, "%s", sql);
	char *v = strdup(db_col_text(st, 0) != NULL ? db_col_text(st, 0) : "(null)");
	db_done(st);
	return v;
}

TestSuite(outbox, .init = setup, .fini = teardown);

static const struct mail_msg reset_mail = {
	.to = "member@example.org",
	.subject = "Reset your password",
	.text = "Follow the link.\n",
	.kind = "reset",
};

Test(outbox, enqueue_stores_the_built_message)
{
	int64_t before = mail_now_ms();
	int64_t id = mail_enqueue(db, &reset_mail);
	cr_assert_gt(id, 0);
	char *state = query_text("SELECT state FROM outbox WHERE id = ?1", id);
	cr_assert_str_eq(state, "queued");
	free(state);
	char *kind = query_text("SELECT kind FROM outbox WHERE id = ?1", id);
	cr_assert_str_eq(kind, "reset");
	free(kind);
	char *rcpt = query_text("SELECT recipient FROM outbox WHERE id = ?1", id);
	cr_assert_str_eq(rcpt, "member@example.org");
	free(rcpt);
	char *sender = query_text("SELECT sender FROM outbox WHERE id = ?1", id);
	cr_assert_str_eq(sender, "noreply@hmln.example");
	free(sender);
	char *msg = query_text("SELECT message FROM outbox WHERE id = ?1", id);
	char *msgid = query_text("SELECT message_id FROM outbox WHERE id = ?1", id);
	char *h = header(msg, "Message-ID");
	cr_assert_str_eq(h, msgid);
	assert_lines(msg, strlen(msg), 998);
	free(h);
	free(msg);
	free(msgid);
	cr_assert_eq(query_int("SELECT attempts FROM outbox WHERE id = ?1", id), 0);
	int64_t due = query_int("SELECT next_attempt_at FROM outbox WHERE id = ?1", id);
	cr_assert(due >= before && due <= mail_now_ms(), "due %lld", (long long)due);
	cr_assert_eq(query_int("SELECT created_at FROM outbox WHERE id = ?1", id), due);
}

Test(outbox, refused_mail_inserts_nothing)
{
	struct mail_msg m = reset_mail;
	m.to = "member@example.org\r\nBcc: all@example.org";
	cr_assert_eq(mail_enqueue(db, &m), -1);
	m.to = "member@example.org";
	m.kind = "bad kind";
	cr_assert_eq(mail_enqueue(db, &m), -1);
	cr_assert_eq(query_int("SELECT count(*) FROM outbox", 0), 0);
}

Test(outbox, rolled_back_transaction_leaves_nothing)
{
	cr_assert_eq(db_begin(db), 0);
	cr_assert_gt(mail_enqueue(db, &reset_mail), 0);
	cr_assert_gt(mail_enqueue(db, &reset_mail), 0);
	cr_assert_eq(query_int("SELECT count(*) FROM outbox", 0), 2);
	cr_assert_eq(db_rollback(db), 0);
	cr_assert_eq(query_int("SELECT count(*) FROM outbox", 0), 0);

	/* committed, it is there for any other connection (the sender's) */
	cr_assert_eq(db_begin(db), 0);
	int64_t id = mail_enqueue(db, &reset_mail);
	cr_assert_gt(id, 0);
	struct db *other;
	cr_assert_eq(db_open(&other, path, 0), 0);
	int64_t at;
	cr_assert_eq(outbox_next_due(other, &at), 0, "the sender saw an uncommitted mail");
	cr_assert_eq(db_commit(db), 0);
	struct outbox_row r;
	cr_assert_eq(outbox_claim_due(other, mail_now_ms(), 1000, &r), 1);
	cr_assert_eq(r.id, id);
	outbox_row_free(&r);
	db_close(other);
}

Test(outbox, from_stored_by_the_server)
{
	mail_set_from(NULL);
	cr_assert_eq(outbox_store_from(db, "Server <server@hmln.example>"), 0);
	int64_t id = mail_enqueue(db, &reset_mail);
	char *sender = query_text("SELECT sender FROM outbox WHERE id = ?1", id);
	cr_assert_str_eq(sender, "server@hmln.example");
	free(sender);
	mail_set_from("Own <own@hmln.example>");
	id = mail_enqueue(db, &reset_mail);
	sender = query_text("SELECT sender FROM outbox WHERE id = ?1", id);
	cr_assert_str_eq(sender, "own@hmln.example");
	free(sender);
}

Test(outbox, claims_and_outcomes)
{
	int64_t a = mail_enqueue(db, &reset_mail), b = mail_enqueue(db, &reset_mail);
	int64_t c = mail_enqueue(db, &reset_mail);
	int64_t now = mail_now_ms();
	struct outbox_row r;
	cr_assert_eq(outbox_claim_due(db, now, 60000, &r), 1);
	cr_assert_eq(r.id, a);
	cr_assert_str_eq(r.recipient, "member@example.org");
	cr_assert_str_eq(r.sender, "noreply@hmln.example");
	cr_assert_str_eq(r.kind, "reset");
	cr_assert_eq(r.message_len, strlen(r.message));
	cr_assert_eq(strncmp(r.message, "Date: ", 6), 0);
	outbox_row_free(&r);
	/* a claimed mail is not handed out again while its lease runs */
	cr_assert_eq(outbox_claim_due(db, now, 60000, &r), 1);
	cr_assert_eq(r.id, b);
	outbox_row_free(&r);
	cr_assert_eq(outbox_claim_due(db, now, 60000, &r), 1);
	cr_assert_eq(r.id, c);
	outbox_row_free(&r);
	cr_assert_eq(outbox_claim_due(db, now, 60000, &r), 0);

	cr_assert_eq(outbox_mark_sent(db, a, now), 0);
	cr_assert_eq(outbox_mark_retry(db, b, "Couldn't connect", 0, now + 500), 0);
	cr_assert_eq(outbox_mark_retry(db, c, "RCPT failed: 550", 1, now + 900), 0);
	int64_t at;
	cr_assert_eq(outbox_next_due(db, &at), 1);
	cr_assert_eq(at, now + 500);
	cr_assert_eq(outbox_claim_due(db, now + 499, 60000, &r), 0);
	cr_assert_eq(outbox_claim_due(db, now + 500, 60000, &r), 1);
	cr_assert_eq(r.id, b);
	cr_assert_eq(r.attempts, 1);
	cr_assert_eq(r.rejections, 0);
	outbox_row_free(&r);
	cr_assert_eq(outbox_mark_failed(db, c, "RCPT failed: 550"), 0);

	char *s = query_text("SELECT state FROM outbox WHERE id = ?1", a);
	cr_assert_str_eq(s, "sent");
	free(s);
	cr_assert_eq(query_int("SELECT attempts FROM outbox WHERE id = ?1", a), 1);
	cr_assert_eq(query_int("SELECT sent_at FROM outbox WHERE id = ?1", a), now);
	s = query_text("SELECT state || ' ' || attempts || ' ' || rejections || ' ' || last_error"
		       " FROM outbox WHERE id = ?1",
		       c);
	cr_assert_str_eq(s, "failed 2 2 RCPT failed: 550");
	free(s);
	/* sent and failed mails are never handed out again */
	cr_assert_eq(outbox_mark_sent(db, b, now), 0);
	cr_assert_eq(outbox_claim_due(db, now + 10000000, 60000, &r), 0);
	cr_assert_eq(outbox_next_due(db, &at), 0);
}

Test(mail, backoff)
{
	mail_set_retry_base_ms(30000);
	int64_t want[] = {30000, 60000, 120000, 240000, 480000, 960000, 1920000, 3600000,
			  3600000, 3600000};
	for (int n = 1; n <= 10; n++)
		cr_assert_eq(mail_backoff_ms(n), want[n - 1], "after %d failures", n);
	cr_assert_eq(mail_backoff_ms(1000000), 3600000);
	mail_set_retry_base_ms(100);
	cr_assert_eq(mail_backoff_ms(1), 100);
	cr_assert_eq(mail_backoff_ms(7), 6400);
	cr_assert_eq(mail_backoff_ms(8), 12000);
	mail_set_retry_base_ms(0);	/* back to the default */
	cr_assert_eq(mail_backoff_ms(1), 30000);
}

Test(mail, password_file)
{
	char d[64], p[128];
	snprintf(d, sizeof(d), "/tmp/tawama-test-pw-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	snprintf(p, sizeof(p), "%s/pw", d);
	struct {
		const char *content;
		const char *want;
	} cases[] = {
		{"s3cret\n", "s3cret"},
		{"s3cret\r\nsecond line\n", "s3cret"},
		{"no newline", "no newline"},
		{"", NULL},
		{"\n", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *f = fopen(p, "w");
		fputs(cases[i].content, f);
		fclose(f);
		chmod(p, 0600);
		char *pw = mail_read_password_file(p);
		if (cases[i].want == NULL)
			cr_assert_null(pw, "case %zu", i);
		else
			cr_assert_str_eq(pw, cases[i].want);
		free(pw);
	}
	FILE *f = fopen(p, "w");
	for (int i = 0; i < 1100; i++)
		fputc('x', f);
	fclose(f);
	cr_assert_null(mail_read_password_file(p), "a 1100-byte line was taken");
	unlink(p);
	cr_assert_null(mail_read_password_file(p), "a missing file was read");
	rmdir(d);
}
