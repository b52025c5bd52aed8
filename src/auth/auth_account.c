/* auth_account: roles, argon2id passwords, random tokens, accounts and their single-use
 * tokens, and the failed-login counts behind throttling. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "core/core_utf8.h"
#include "render/render_i18n.h"

/* argon2id with t=2 and 19 MiB: OWASP's recommended minimum; about 40 ms here. The
 * parameters are stored in each hash, so raising them later keeps old hashes valid. */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u << 20)

static const char *const role_codes[ROLE_COUNT] = {"member", "facilitator", "admin"};
static const char *const role_labels[ROLE_COUNT] = {N_("Member"), N_("Facilitator"),
						    N_("Administrator")};

const char *
role_code(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_codes[r] : "member";
}

int
role_from_code(const char *s)
{
	for (int i = 0; s != NULL && i < ROLE_COUNT; i++)
		if (strcmp(s, role_codes[i]) == 0)
			return i;
	return -1;
}

const char *
role_label(enum role r)
{
	return _(role_labels[(unsigned)r < ROLE_COUNT ? r : ROLE_MEMBER]);
}

int
auth_password_hash(const char *password, char out[AUTH_HASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_MAX, "hash buffer");
	if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
				  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_error("auth: argon2id hashing failed (out of memory)");
		return -1;
	}
	return 0;
}

int
auth_password_verify(const char *hash, const char *password)
{
	if (hash == NULL || password == NULL || strncmp(hash, "$argon2id$", 10) != 0)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

const char *
auth_password_problem(const char *password)
{
	size_t n = strlen(password);
	if (n > AUTH_PASSWORD_MAX)
		return N_("The password is too long (at most 256 bytes).");
	if (!utf8_valid(password, n) || utf8_length(password, n) < AUTH_PASSWORD_MIN)
		return N_("The password must have at least 10 characters.");
	return NULL;
}

void
auth_token_new(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
auth_token_hash(const char *token, char out[AUTH_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, AUTH_HASH_HEX, h, sizeof(h));
}

int
auth_token_well_formed(const char *s)
{
	if (s == NULL || strlen(s) != AUTH_TOKEN_LEN)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	return 1;
}

char *
auth_email_normalize(struct arena *a, const char *email)
{
	if (email == NULL)
		return NULL;
	while (*email == ' ' || *email == '\t')
		email++;
	size_t n = strlen(email);
	while (n > 0 && (email[n - 1] == ' ' || email[n - 1] == '\t'))
		n--;
	if (n < 3 || n > 254 || !utf8_valid(email, n))
		return NULL;
	char *out = arena_strndup(a, email, n);
	int ats = 0;
	for (char *p = out; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' ||
		    c == '"' || c == '\\' || c == '(' || c == ')')
			return NULL;
		if (c == '@')
			ats++;
		*p = (char)tolower(c);
	}
	const char *at = strchr(out, '@');
	if (ats != 1 || at == out || at[1] == '\0' || strchr(at, '.') == NULL ||
	    at[strlen(at) - 1] == '.')
		return NULL;
	return out;
}

/* ---- accounts ------------------------------------------------------------------- */

#define USER_COLS \
	"id, email, name, role, coalesce(municipality_id, 0), lang, timezone, active, " \
	"password_hash IS NOT NULL"

static void
read_user(struct db_stmt *st, struct arena *a, struct auth_user *u)
{
	u->id = db_col_int(st, 0);
	u->email = arena_strdup(a, db_col_text(st, 1));
	u->name = arena_strdup(a, db_col_text(st, 2));
	int r = role_from_code(db_col_text(st, 3));
	u->role = r < 0 ? ROLE_MEMBER : (enum role)r;
	u->municipality_id = db_col_int(st, 4);
	enum lang l = lang_from_code(db_col_text(st, 5));
	u->lang = l == LANG_NONE ? LANG_AR : l;
	u->timezone = arena_strdup(a, db_col_text(st, 6));
	u->active = (int)db_col_int(st, 7);
	u->has_password = (int)db_col_int(st, 8);
}

static int
fetch_user(struct db_stmt *st, struct arena *a, struct auth_user *out, const char **hash)
{
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_user(st, a, out);
		if (hash != NULL) {
			const char *h = db_col_text(st, 9);
			*hash = h != NULL ? arena_strdup(a, h) : NULL;
		}
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
auth_user_by_id(struct db *db, struct arena *a, int64_t id, struct auth_user *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE id = ?1");
	if (st != NULL)
		db_bind_int(st, 1, id);
	return fetch_user(st, a, out, NULL);
}

int
auth_user_by_email(struct db *db, struct arena *a, const char *email, struct auth_user *out,
		   const char **password_hash)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS ", password_hash FROM users "
					    "WHERE email = ?1");
	if (st != NULL)
		db_bind_text(st, 1, email);
	return fetch_user(st, a, out, password_hash);
}

int
auth_users_list(struct db *db, struct arena *a, size_t max, struct auth_user **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users "
					    "ORDER BY name, email LIMIT ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, (int64_t)max);
	*out = arena_alloc(a, (max ? max : 1) * sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		read_user(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
auth_users_of_municipality(struct db *db, struct arena *a, int64_t municipality_id, size_t max,
			   struct auth_user **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE "
					    "municipality_id = ?1 AND role = 'member' AND active = 1 "
					    "ORDER BY name, id LIMIT ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, municipality_id);
	db_bind_int(st, 2, (int64_t)max);
	*out = arena_alloc(a, (max ? max : 1) * sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		read_user(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* Checks the fields an account must have; 0 or -1 with a reason in err. */
static int
check_user(const struct auth_user *u, char *err, size_t errlen)
{
	size_t nl = u->name != NULL ? strlen(u->name) : 0;
	if (nl == 0 || nl > 200 || !utf8_valid(u->name, nl)) {
		snprintf(err, errlen, "the name must have 1 to 200 bytes of UTF-8");
		return -1;
	}
	if ((unsigned)u->role >= ROLE_COUNT || (unsigned)u->lang >= LANG_COUNT) {
		snprintf(err, errlen, "unknown role or language");
		return -1;
	}
	if (u->timezone == NULL || strlen(u->timezone) > 64) {
		snprintf(err, errlen, "bad time zone");
		return -1;
	}
	return 0;
}

int
auth_user_add(struct db *db, const struct auth_user *u, const char *password, int64_t *id,
	      char *err, size_t errlen)
{
	if (check_user(u, err, errlen) < 0)
		return -1;
	char hash[AUTH_HASH_MAX];
	if (password != NULL) {
		const char *why = auth_password_problem(password);
		if (why != NULL) {
			snprintf(err, errlen, "%s", why);
			return -1;
		}
		if (auth_password_hash(password, hash) < 0) {
			snprintf(err, errlen, "could not hash the password");
			return -1;
		}
	}
	int rc = auth_user_add_hashed(db, u, password != NULL ? hash : NULL, id, err, errlen);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
auth_user_add_hashed(struct db *db, const struct auth_user *u, const char *hash, int64_t *id,
		     char *err, size_t errlen)
{
	if (check_user(u, err, errlen) < 0)
		return -1;
	if (hash != NULL && strncmp(hash, "$argon2id$", 10) != 0) {
		snprintf(err, errlen, "not an argon2id hash");
		return -1;
	}
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO users (email, name, role, municipality_id, lang, timezone, "
		    "password_hash, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
		    "ON CONFLICT (email) DO NOTHING RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, u->email);
	db_bind_text(st, 2, u->name);
	db_bind_text(st, 3, role_code(u->role));
	if (u->municipality_id > 0)
		db_bind_int(st, 4, u->municipality_id);
	db_bind_text(st, 5, lang_code(u->lang));
	db_bind_text(st, 6, u->timezone);
	db_bind_text(st, 7, hash);
	db_bind_int(st, 8, time_now());
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR) {
		snprintf(err, errlen, "database error (is the municipality known?)");
		return -1;
	}
	return rc == DB_ROW ? 0 : 1;
}

int
auth_user_update(struct db *db, const struct auth_user *u)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE users SET name = ?2, email = ?3, municipality_id = ?4, lang = ?5, "
		    "timezone = ?6, updated = ?7 WHERE id = ?1 AND NOT EXISTS "
		    "(SELECT 1 FROM users o WHERE o.email = ?3 AND o.id <> ?1) RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, u->id);
	db_bind_text(st, 2, u->name);
	db_bind_text(st, 3, u->email);
	if (u->municipality_id > 0)
		db_bind_int(st, 4, u->municipality_id);
	db_bind_text(st, 5, lang_code(u->lang));
	db_bind_text(st, 6, u->timezone);
	db_bind_int(st, 7, time_now());
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
auth_user_set_role(struct db *db, int64_t id, enum role r)
{
	struct db_stmt *st = db_prepare(db, "UPDATE users SET role = ?2, updated = ?3 WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, role_code(r));
	db_bind_int(st, 3, time_now());
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
auth_user_set_password(struct db *db, int64_t id, const char *password)
{
	char hash[AUTH_HASH_MAX];
	if (auth_password_hash(password, hash) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "UPDATE users SET password_hash = ?2, updated = ?3 "
					    "WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, time_now());
	int rc = db_step(st);
	db_done(st);
	sodium_memzero(hash, sizeof(hash));
	if (rc == DB_ERROR)
		return -1;
	st = db_prepare(db, "DELETE FROM sessions WHERE user_id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* ---- account tokens ------------------------------------------------------------- */

static const char *const purposes[] = {"reset", "invite"};

int
auth_account_token_new(struct db *db, int64_t user_id, enum auth_purpose p,
		       char token[AUTH_TOKEN_LEN + 1])
{
	char hash[AUTH_HASH_HEX];
	auth_token_new(token);
	auth_token_hash(token, hash);
	int64_t now = time_now();
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO account_tokens (token_hash, user_id, purpose, created, expires) "
		    "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, purposes[p]);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now + (p == AUTH_RESET ? AUTH_RESET_TTL : AUTH_INVITE_TTL));
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int
account_token(struct db *db, const char *token, enum auth_purpose p, int64_t *user_id, int take)
{
	if (!auth_token_well_formed(token))
		return 1;
	char hash[AUTH_HASH_HEX];
	auth_token_hash(token, hash);
	struct db_stmt *st = db_prepare(
		db, take ? "UPDATE account_tokens SET used = ?3 WHERE token_hash = ?1 AND "
			   "purpose = ?2 AND used IS NULL AND expires > ?3 RETURNING user_id"
			 : "SELECT user_id FROM account_tokens WHERE token_hash = ?1 AND "
			   "purpose = ?2 AND used IS NULL AND expires > ?3");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, purposes[p]);
	db_bind_int(st, 3, time_now());
	int rc = db_step(st);
	if (rc == DB_ROW)
		*user_id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
auth_account_token_check(struct db *db, const char *token, enum auth_purpose p, int64_t *user_id)
{
	return account_token(db, token, p, user_id, 0);
}

int
auth_account_token_take(struct db *db, const char *token, enum auth_purpose p, int64_t *user_id)
{
	return account_token(db, token, p, user_id, 1);
}

/* ---- throttling ----------------------------------------------------------------- */

static int64_t
failures(struct db *db, const char *prefix, const char *key, int64_t since)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM login_failures "
					    "WHERE key = ?1 || ?2 AND at > ?3");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, prefix);
	db_bind_text(st, 2, key);
	db_bind_int(st, 3, since);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

int
auth_throttled(struct db *db, const char *email, const char *addr)
{
	int64_t since = time_now() - AUTH_THROTTLE_WINDOW;
	int64_t a = email != NULL ? failures(db, "account:", email, since) : 0;
	int64_t b = addr != NULL ? failures(db, "addr:", addr, since) : 0;
	if (a < 0 || b < 0)
		return -1;
	return a >= AUTH_THROTTLE_ACCOUNT || b >= AUTH_THROTTLE_ADDRESS;
}

int
auth_throttle_fail(struct db *db, const char *email, const char *addr)
{
	int64_t now = time_now();
	struct db_stmt *st = db_prepare(db, "DELETE FROM login_failures WHERE at <= ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, now - AUTH_THROTTLE_WINDOW);
	int rc = db_step(st);
	db_done(st);
	st = db_prepare(db, "INSERT INTO login_failures (key, at) VALUES "
			    "('account:' || ?1, ?3), ('addr:' || ?2, ?3)");
	if (rc == DB_ERROR || st == NULL)
		return -1;
	db_bind_text(st, 1, email != NULL ? email : "");
	db_bind_text(st, 2, addr != NULL ? addr : "");
	db_bind_int(st, 3, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
auth_throttle_clear(struct db *db, const char *email)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM login_failures WHERE key = 'account:' || ?1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}
