/* auth: accounts, passwords, random tokens, server-side sessions with their CSRF token,
 * login throttling, and the one place where permissions are decided (auth_can). A
 * platform layer: it knows no domain module; domains describe their objects to it. */
#ifndef AUTH_H
#define AUTH_H
#include <stddef.h>
#include <stdint.h>

#include "core/core_arena.h"
#include "core/core_lang.h"
#include "db/db.h"
#include "http/http.h"

enum role { ROLE_MEMBER, ROLE_FACILITATOR, ROLE_ADMIN, ROLE_COUNT };

/* "member", "facilitator", "admin"; role_from_code gives -1 when unknown. */
const char *role_code(enum role r);
int role_from_code(const char *s);
/* The role's name in the calling thread's language. */
const char *role_label(enum role r);

struct auth_user {
	int64_t id;
	const char *email;		/* lower-case */
	const char *name;
	enum role role;
	int64_t municipality_id;	/* 0: none */
	enum lang lang;			/* preferred language (mails, the page after login) */
	const char *timezone;		/* IANA name */
	int active;
	int has_password;		/* 0 until an account invitation is taken */
};

/* ---- passwords (argon2id, libsodium) ---------------------------------------------- */

#define AUTH_PASSWORD_MIN 10	/* characters */
#define AUTH_PASSWORD_MAX 256	/* bytes */
#define AUTH_HASH_MAX 128	/* bytes of an encoded hash with its NUL */

/* Hashes password into out (an "$argon2id$..." string). 0, or -1 (out of memory). */
int auth_password_hash(const char *password, char out[AUTH_HASH_MAX]);
/* 1 when password matches hash, else 0 (also for a NULL or malformed hash). */
int auth_password_verify(const char *hash, const char *password);
/* NULL when password is acceptable, else the English msgid saying why. */
const char *auth_password_problem(const char *password);

/* ---- tokens -------------------------------------------------------------------- */

#define AUTH_TOKEN_LEN 43	/* 256 random bits, base64url without padding */
#define AUTH_HASH_HEX 65	/* a token's hash: 64 hex digits and a NUL */

void auth_token_new(char out[AUTH_TOKEN_LEN + 1]);
/* The stored form of a token: BLAKE2b-256 in hex. */
void auth_token_hash(const char *token, char out[AUTH_HASH_HEX]);
/* 1 when s has the shape of a token (43 base64url characters). */
int auth_token_well_formed(const char *s);

/* ---- accounts -------------------------------------------------------------------- */

/* Checks and normalises an email address (trimmed, lower-cased, one @, no spaces or
 * control characters, at most 254 bytes). Returns the normalised copy in a, or NULL. */
char *auth_email_normalize(struct arena *a, const char *email);

/* Creates an account. password may be NULL (the person sets it through an invitation).
 * Inside the caller's transaction. Returns 0 and *id; 1 when the email is taken; -1 on
 * bad fields (reason in err) or a database error. */
int auth_user_add(struct db *db, const struct auth_user *u, const char *password, int64_t *id,
		  char *err, size_t errlen);

/* The same with the password given as its stored argon2id hash (NULL: none), so that
 * many accounts can share one hash made once (the demo network's accounts). 0, 1 (the
 * email is taken), -1 (bad fields or not an argon2id hash, reason in err; database
 * error). */
int auth_user_add_hashed(struct db *db, const struct auth_user *u, const char *hash,
			 int64_t *id, char *err, size_t errlen);

/* Loads an account. Returns 0 (found), 1 (none), -1 (database error). Strings live in
 * a. auth_user_by_email also gives the stored password hash (NULL when none). */
int auth_user_by_id(struct db *db, struct arena *a, int64_t id, struct auth_user *out);
int auth_user_by_email(struct db *db, struct arena *a, const char *email,
		       struct auth_user *out, const char **password_hash);

/* Every account, by name (at most max). 0 or -1. */
int auth_users_list(struct db *db, struct arena *a, size_t max, struct auth_user **out,
		    size_t *n);

/* The active member accounts of a municipality (its representatives), by name, at most
 * max. 0 or -1. */
int auth_users_of_municipality(struct db *db, struct arena *a, int64_t municipality_id, size_t max,
			       struct auth_user **out, size_t *n);

/* Updates name, email, municipality, language and time zone of account u->id.
 * Returns 0, 1 (the email belongs to another account), -1 (database error). */
int auth_user_update(struct db *db, const struct auth_user *u);
/* Sets the role (admin only, checked by the caller). 0 or -1. */
int auth_user_set_role(struct db *db, int64_t id, enum role r);
/* Stores a new password hash and ends every session of the account. 0 or -1. */
int auth_user_set_password(struct db *db, int64_t id, const char *password);

/* ---- account tokens (password reset, account invitation) --------------------------- */

enum auth_purpose { AUTH_RESET, AUTH_INVITE };
#define AUTH_RESET_TTL (60 * 60)		/* a reset link works for an hour */
#define AUTH_INVITE_TTL (14 * 24 * 60 * 60)	/* an account invitation for two weeks */

/* Makes a single-use token for user_id (its hash stored). 0 or -1. */
int auth_account_token_new(struct db *db, int64_t user_id, enum auth_purpose p,
			   char token[AUTH_TOKEN_LEN + 1]);
/* Looks a token up: 0 and *user_id when it is valid (right purpose, not expired, not
 * used); 1 otherwise; -1 on a database error. auth_account_token_take also marks it
 * used (inside the caller's transaction). */
int auth_account_token_check(struct db *db, const char *token, enum auth_purpose p,
			     int64_t *user_id);
int auth_account_token_take(struct db *db, const char *token, enum auth_purpose p,
			    int64_t *user_id);

/* ---- sessions and CSRF ------------------------------------------------------------ */

#define AUTH_COOKIE "tawama_session"
#define AUTH_SESSION_TTL (14 * 24 * 60 * 60)	/* signed in: 14 days, renewed on use */
#define AUTH_VISITOR_TTL (2 * 60 * 60)		/* a visitor's form session: 2 hours */

struct auth_session {
	int64_t id;
	int64_t user_id;	/* 0: a visitor's session (only for CSRF on forms) */
	const char *csrf;
};

/* The request's session and account, set by auth_guard. */
static inline const struct auth_session *
auth_session_of(const struct request *req)
{
	return req->session;
}
static inline const struct auth_user *
auth_user_of(const struct request *req)
{
	return req->user;
}

/* The server's guard (http_config.guard): loads the session named by the cookie and
 * its account, then enforces ROUTE_LOGIN (pages: 303 to the login page with a return
 * address; API: 401) and ROUTE_CSRF (the form field "csrf", or the X-CSRF-Token
 * header, must equal the session's token; else 403). */
enum http_error auth_guard(struct request *req, struct response *res, unsigned flags);

/* The CSRF token to put in a form on this page: the session's, or a new visitor's
 * session is created (and its cookie set on res) when there is none. NULL on a
 * database error. */
const char *auth_form_token(struct request *req, struct response *res);

/* Starts a signed-in session for user_id: the visitor's session (if any) is ended and
 * a new one with a new token and CSRF token replaces it (no session fixation). Sets
 * the cookie. 0 or -1. */
int auth_login(struct request *req, struct response *res, int64_t user_id);
/* Ends the request's session and clears the cookie. 0 or -1. */
int auth_logout(struct request *req, struct response *res);

/* ---- login throttling --------------------------------------------------------------- */

#define AUTH_THROTTLE_WINDOW (15 * 60)	/* seconds */
#define AUTH_THROTTLE_ACCOUNT 5		/* failures per account (email) in the window */
#define AUTH_THROTTLE_ADDRESS 20	/* failures per client address in the window */

/* 1 when logins for email or from addr are held back now, 0 when not, -1 on error. */
int auth_throttled(struct db *db, const char *email, const char *addr);
/* Records a failed login (whether or not the account exists). 0 or -1. */
int auth_throttle_fail(struct db *db, const char *email, const char *addr);
/* Forgets an account's failures after a successful login. 0 or -1. */
int auth_throttle_clear(struct db *db, const char *email);

/* ---- permissions ---------------------------------------------------------------- */

/* What someone wants to do. */
enum auth_action {
	ACT_EVENT_VIEW,		/* read an event page */
	ACT_EVENT_MANAGE,	/* create, edit, publish, unpublish, highlight */
	ACT_EVENT_INVITE,	/* invite, remind, mark attendance, see every answer */
	ACT_EVENT_ANSWER,	/* answer one's own invitation */
	ACT_EVENT_REGISTER,	/* sign up for a registration event */
	ACT_EVENT_MEETING_LINK,	/* see the link of a virtual meeting */
	ACT_EVENT_PARTICIPANTS,	/* see the participant list (names, municipalities) */
	ACT_EVENT_DELEGATE,	/* approve or refuse a delegate */
	ACT_AUDIT_VIEW,		/* read the audit log */
	ACT_ACCOUNT_VIEW,	/* see an account's profile */
	ACT_ACCOUNT_EDIT,	/* edit an account's profile */
	ACT_ACCOUNT_CREATE,	/* create accounts and send account invitations */
	ACT_ACCOUNT_ROLE,	/* change an account's role */
	ACT_GROUP_VIEW,		/* a twinning group's workspace */
	ACT_GROUP_EDIT,		/* its plan and reports */
	ACT_GROUP_EVALUATE,	/* comments and evaluations on a group */
	ACT_MUNICIPALITY_EDIT,	/* edit a municipality's record */
	ACT_MUNICIPALITY_PEOPLE, /* see the names of a municipality's representatives */
	ACT_GROUP_MANAGE,	/* form a group, edit it, publish it */
	ACT_COUNT
};

/* What the asker is to the object (bits), filled by the domain module that loaded it. */
enum auth_relation {
	REL_SELF = 1,		/* the object is the asker's own account */
	REL_INVITEE = 2,	/* the asker is invited to the event */
	REL_PARTICIPANT = 4,	/* accepted or registered (and confirmed) */
	REL_GROUP_MEMBER = 8,	/* the asker's municipality is in the group */
};

/* The facts about an object a decision needs. */
struct auth_object {
	int published;		/* visible to the public */
	unsigned relation;	/* enum auth_relation bits of the asker */
	int open_to_members;	/* e.g. a registration event: any signed-in member may act */
};

/* 1 when user (NULL: a visitor) may do act to obj, else 0. Every permission decision
 * of tawama is made here, from one table. */
int auth_can(const struct auth_user *user, enum auth_action act, const struct auth_object *obj);

/* The action's name ("event.manage"), for tests and logs. */
const char *auth_action_name(enum auth_action act);

#endif
