/* test_auth: permissions (allowed and denied for every role), passwords, tokens,
 * e-mail addresses, accounts, single-use tokens and login throttling, on a real file. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/core_log.h"

static char dir[64], path[128];
static struct db *db;
static struct arena *arena;

static void
setup(void)
{
	log_set_quiet(1);
	cr_assert_geq(sodium_init(), 0);
	snprintf(dir, sizeof(dir), "/tmp/tawama-test-auth-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	cr_assert_eq(db_open(&db, path, 0), 0);
	cr_assert_eq(db_migrate(db), 0);
	arena = arena_new();
}

static void
teardown(void)
{
	db_close(db);
	arena_free(arena);
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char p[160];
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

TestSuite(auth, .init = setup, .fini = teardown);

/* ---- permissions ------------------------------------------------------------- */

enum who { VISITOR, MEMBER, FACILITATOR, ADMIN, INACTIVE_ADMIN };

struct perm_case {
	enum who who;
	enum auth_action act;
	int published;
	unsigned relation;
	int open;
	int want;
};

#define PUB 1
#define DRAFT 0

static const struct perm_case perm_cases[] = {
	/* event pages: the public sees published events only */
	{VISITOR, ACT_EVENT_VIEW, PUB, 0, 0, 1},
	{VISITOR, ACT_EVENT_VIEW, DRAFT, 0, 0, 0},
	{MEMBER, ACT_EVENT_VIEW, DRAFT, REL_INVITEE, 0, 0},
	{FACILITATOR, ACT_EVENT_VIEW, DRAFT, 0, 0, 1},
	{ADMIN, ACT_EVENT_VIEW, DRAFT, 0, 0, 1},
	{INACTIVE_ADMIN, ACT_EVENT_VIEW, DRAFT, 0, 0, 0},
	/* managing and inviting: staff only */
	{VISITOR, ACT_EVENT_MANAGE, PUB, 0, 0, 0},
	{MEMBER, ACT_EVENT_MANAGE, PUB, REL_PARTICIPANT | REL_INVITEE, 0, 0},
	{FACILITATOR, ACT_EVENT_MANAGE, DRAFT, 0, 0, 1},
	{ADMIN, ACT_EVENT_MANAGE, DRAFT, 0, 0, 1},
	{MEMBER, ACT_EVENT_INVITE, PUB, REL_INVITEE, 0, 0},
	{FACILITATOR, ACT_EVENT_INVITE, PUB, 0, 0, 1},
	{INACTIVE_ADMIN, ACT_EVENT_INVITE, PUB, 0, 0, 0},
	/* answering: only the invitee, only on a published event */
	{VISITOR, ACT_EVENT_ANSWER, PUB, REL_INVITEE, 0, 0},
	{MEMBER, ACT_EVENT_ANSWER, PUB, 0, 0, 0},
	{MEMBER, ACT_EVENT_ANSWER, PUB, REL_INVITEE, 0, 1},
	{MEMBER, ACT_EVENT_ANSWER, DRAFT, REL_INVITEE, 0, 0},
	{FACILITATOR, ACT_EVENT_ANSWER, PUB, 0, 0, 0},
	{FACILITATOR, ACT_EVENT_ANSWER, PUB, REL_INVITEE, 0, 1},
	/* registering: any signed-in person on a published registration event */
	{VISITOR, ACT_EVENT_REGISTER, PUB, 0, 1, 0},
	{MEMBER, ACT_EVENT_REGISTER, PUB, 0, 1, 1},
	{MEMBER, ACT_EVENT_REGISTER, PUB, 0, 0, 0},
	{MEMBER, ACT_EVENT_REGISTER, DRAFT, 0, 1, 0},
	{ADMIN, ACT_EVENT_REGISTER, PUB, 0, 1, 1},
	/* the meeting link and the participant list: participants and staff */
	{VISITOR, ACT_EVENT_MEETING_LINK, PUB, 0, 0, 0},
	{MEMBER, ACT_EVENT_MEETING_LINK, PUB, REL_INVITEE, 0, 0},
	{MEMBER, ACT_EVENT_MEETING_LINK, PUB, REL_PARTICIPANT, 0, 1},
	{FACILITATOR, ACT_EVENT_MEETING_LINK, PUB, 0, 0, 1},
	{VISITOR, ACT_EVENT_PARTICIPANTS, PUB, 0, 0, 0},
	{MEMBER, ACT_EVENT_PARTICIPANTS, PUB, 0, 0, 0},
	{MEMBER, ACT_EVENT_PARTICIPANTS, PUB, REL_PARTICIPANT, 0, 1},
	{ADMIN, ACT_EVENT_PARTICIPANTS, PUB, 0, 0, 1},
	{MEMBER, ACT_EVENT_DELEGATE, PUB, REL_INVITEE, 0, 0},
	{FACILITATOR, ACT_EVENT_DELEGATE, PUB, 0, 0, 1},
	{MEMBER, ACT_AUDIT_VIEW, PUB, 0, 0, 0},
	{FACILITATOR, ACT_AUDIT_VIEW, PUB, 0, 0, 1},
	/* accounts */
	{VISITOR, ACT_ACCOUNT_VIEW, PUB, REL_SELF, 0, 0},
	{MEMBER, ACT_ACCOUNT_VIEW, PUB, 0, 0, 0},
	{MEMBER, ACT_ACCOUNT_VIEW, PUB, REL_SELF, 0, 1},
	{FACILITATOR, ACT_ACCOUNT_VIEW, PUB, 0, 0, 1},
	{MEMBER, ACT_ACCOUNT_EDIT, PUB, 0, 0, 0},
	{MEMBER, ACT_ACCOUNT_EDIT, PUB, REL_SELF, 0, 1},
	{FACILITATOR, ACT_ACCOUNT_EDIT, PUB, 0, 0, 0},
	{ADMIN, ACT_ACCOUNT_EDIT, PUB, 0, 0, 1},
	{MEMBER, ACT_ACCOUNT_CREATE, PUB, 0, 0, 0},
	{FACILITATOR, ACT_ACCOUNT_CREATE, PUB, 0, 0, 1},
	{FACILITATOR, ACT_ACCOUNT_ROLE, PUB, REL_SELF, 0, 0},
	{MEMBER, ACT_ACCOUNT_ROLE, PUB, REL_SELF, 0, 0},
	{ADMIN, ACT_ACCOUNT_ROLE, PUB, 0, 0, 1},
	/* twinning groups: their members and staff */
	{VISITOR, ACT_GROUP_VIEW, PUB, 0, 0, 0},
	{MEMBER, ACT_GROUP_VIEW, PUB, 0, 0, 0},
	{MEMBER, ACT_GROUP_VIEW, PUB, REL_GROUP_MEMBER, 0, 1},
	{FACILITATOR, ACT_GROUP_VIEW, PUB, 0, 0, 1},
	{MEMBER, ACT_GROUP_EDIT, PUB, 0, 0, 0},
	{MEMBER, ACT_GROUP_EDIT, PUB, REL_GROUP_MEMBER, 0, 1},
	{MEMBER, ACT_GROUP_EVALUATE, PUB, REL_GROUP_MEMBER, 0, 0},
	{FACILITATOR, ACT_GROUP_EVALUATE, PUB, 0, 0, 1},
	/* municipality records: staff edit them; people's names are for signed-in readers */
	{VISITOR, ACT_MUNICIPALITY_EDIT, PUB, 0, 0, 0},
	{MEMBER, ACT_MUNICIPALITY_EDIT, PUB, 0, 0, 0},
	{MEMBER, ACT_MUNICIPALITY_EDIT, PUB, REL_GROUP_MEMBER | REL_SELF, 1, 0},
	{FACILITATOR, ACT_MUNICIPALITY_EDIT, PUB, 0, 0, 1},
	{ADMIN, ACT_MUNICIPALITY_EDIT, PUB, 0, 0, 1},
	{INACTIVE_ADMIN, ACT_MUNICIPALITY_EDIT, PUB, 0, 0, 0},
	{VISITOR, ACT_MUNICIPALITY_PEOPLE, PUB, 0, 1, 0},
	{MEMBER, ACT_MUNICIPALITY_PEOPLE, PUB, 0, 0, 1},
	{FACILITATOR, ACT_MUNICIPALITY_PEOPLE, PUB, 0, 0, 1},
	{ADMIN, ACT_MUNICIPALITY_PEOPLE, PUB, 0, 0, 1},
	{INACTIVE_ADMIN, ACT_MUNICIPALITY_PEOPLE, PUB, 0, 0, 0},
	/* a published group's workspace stays its members' and staff's */
	{VISITOR, ACT_GROUP_VIEW, PUB, REL_GROUP_MEMBER, 0, 0},
	{MEMBER, ACT_GROUP_VIEW, DRAFT, REL_GROUP_MEMBER, 0, 1},
	{MEMBER, ACT_GROUP_EDIT, DRAFT, 0, 0, 0},
	{ADMIN, ACT_GROUP_EDIT, DRAFT, 0, 0, 1},
	{INACTIVE_ADMIN, ACT_GROUP_VIEW, PUB, 0, 0, 0},
	/* forming and publishing groups: staff only */
	{VISITOR, ACT_GROUP_MANAGE, PUB, 0, 0, 0},
	{MEMBER, ACT_GROUP_MANAGE, PUB, REL_GROUP_MEMBER, 0, 0},
	{FACILITATOR, ACT_GROUP_MANAGE, DRAFT, 0, 0, 1},
	{ADMIN, ACT_GROUP_MANAGE, DRAFT, 0, 0, 1},
};

Test(auth, permissions_table)
{
	static const char *const who_names[] = {"visitor", "member", "facilitator", "admin",
						"inactive admin"};
	for (size_t i = 0; i < sizeof(perm_cases) / sizeof(perm_cases[0]); i++) {
		const struct perm_case *c = &perm_cases[i];
		struct auth_user u = {.id = 7, .active = 1};
		u.role = c->who == MEMBER ? ROLE_MEMBER
			 : c->who == FACILITATOR ? ROLE_FACILITATOR
						 : ROLE_ADMIN;
		if (c->who == INACTIVE_ADMIN)
			u.active = 0;
		struct auth_object o = {c->published, c->relation, c->open};
		int got = auth_can(c->who == VISITOR ? NULL : &u, c->act, &o);
		cr_expect_eq(got, c->want, "case %zu: %s %s published=%d relation=%u: got %d", i,
			     who_names[c->who], auth_action_name(c->act), c->published, c->relation,
			     got);
	}
}

Test(auth, every_action_is_denied_to_visitors_on_a_draft)
{
	struct auth_object draft = {0, REL_INVITEE | REL_PARTICIPANT | REL_GROUP_MEMBER | REL_SELF, 1};
	for (int a = 0; a < ACT_COUNT; a++) {
		cr_expect_eq(auth_can(NULL, (enum auth_action)a, &draft), 0, "%s",
			     auth_action_name((enum auth_action)a));
		cr_expect_neq(strcmp(auth_action_name((enum auth_action)a), "?"), 0);
	}
	cr_expect_eq(auth_can(NULL, ACT_COUNT, NULL), 0);
}

/* ---- passwords, tokens, addresses ------------------------------------------------ */

Test(auth, password_hash_and_verify)
{
	char h[AUTH_HASH_MAX];
	cr_assert_eq(auth_password_hash("كلمة سر طويلة جدا", h), 0);
	cr_expect_eq(strncmp(h, "$argon2id$", 10), 0, "%s", h);
	cr_expect(auth_password_verify(h, "كلمة سر طويلة جدا"));
	cr_expect_not(auth_password_verify(h, "كلمة سر طويلة جدًا"));
	cr_expect_not(auth_password_verify(NULL, "x"));
	cr_expect_not(auth_password_verify("$2y$10$notargon", "x"));
	char h2[AUTH_HASH_MAX];
	cr_assert_eq(auth_password_hash("كلمة سر طويلة جدا", h2), 0);
	cr_expect_neq(strcmp(h, h2), 0, "salted: two hashes of one password differ");
}

Test(auth, password_rules)
{
	cr_expect_not_null(auth_password_problem("short"));
	cr_expect_not_null(auth_password_problem("123456789"));
	cr_expect_null(auth_password_problem("1234567890"));
	/* ten Arabic letters are ten characters, not twenty bytes short of anything */
	cr_expect_null(auth_password_problem("أبجدهوزحطي"));
	cr_expect_not_null(auth_password_problem("أبجدهوزحط"));
	char big[AUTH_PASSWORD_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_expect_not_null(auth_password_problem(big));
	cr_expect_not_null(auth_password_problem("\xff\xfe invalid utf-8 here"));
}

Test(auth, tokens)
{
	char a[AUTH_TOKEN_LEN + 1], b[AUTH_TOKEN_LEN + 1], ha[AUTH_HASH_HEX], ha2[AUTH_HASH_HEX];
	auth_token_new(a);
	auth_token_new(b);
	cr_expect_eq(strlen(a), AUTH_TOKEN_LEN);
	cr_expect(auth_token_well_formed(a));
	cr_expect_neq(strcmp(a, b), 0);
	auth_token_hash(a, ha);
	auth_token_hash(a, ha2);
	cr_expect_str_eq(ha, ha2);
	cr_expect_eq(strlen(ha), 64);
	cr_expect_not(auth_token_well_formed("short"));
	cr_expect_not(auth_token_well_formed(NULL));
	char bad[AUTH_TOKEN_LEN + 1];
	memcpy(bad, a, sizeof(bad));
	bad[5] = '/';
	cr_expect_not(auth_token_well_formed(bad));
}

Test(auth, email_addresses)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"  Rana@Example.ORG ", "rana@example.org"},
		{"a.b+c@mail.example.jo", "a.b+c@mail.example.jo"},
		{"no-at.example.org", NULL},
		{"two@@example.org", NULL},
		{"a@b@example.org", NULL},
		{"@example.org", NULL},
		{"rana@", NULL},
		{"rana@localhost", NULL},
		{"rana@example.", NULL},
		{"ra na@example.org", NULL},
		{"rana@example.org\r\nBcc: x@y.z", NULL},
		{"\"Rana\" <rana@example.org>", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = auth_email_normalize(arena, cases[i].in);
		if (cases[i].want == NULL)
			cr_expect_null(got, "%s -> %s", cases[i].in, got);
		else
			cr_expect(got != NULL && strcmp(got, cases[i].want) == 0, "%s -> %s",
				  cases[i].in, got ? got : "(null)");
	}
}

/* ---- accounts, account tokens, throttling ----------------------------------------- */

static int64_t
add_user(const char *email, enum role r, const char *password)
{
	struct auth_user u = {.email = email, .name = "Rana", .role = r, .lang = LANG_AR,
			      .timezone = "Asia/Amman", .active = 1};
	int64_t id = 0;
	char err[200];
	cr_assert_eq(auth_user_add(db, &u, password, &id, err, sizeof(err)), 0, "%s", err);
	return id;
}

Test(auth, accounts)
{
	int64_t id = add_user("rana@example.org", ROLE_MEMBER, "a good long password");
	struct auth_user u;
	const char *hash;
	cr_assert_eq(auth_user_by_email(db, arena, "rana@example.org", &u, &hash), 0);
	cr_expect_eq(u.id, id);
	cr_expect_eq(u.role, ROLE_MEMBER);
	cr_expect(u.has_password);
	cr_expect(auth_password_verify(hash, "a good long password"));
	cr_expect_eq(auth_user_by_email(db, arena, "nobody@example.org", &u, &hash), 1);
	cr_expect_eq(auth_user_by_id(db, arena, id + 100, &u), 1);

	/* the same address twice: refused, nothing written */
	struct auth_user dup = {.email = "rana@example.org", .name = "Other", .lang = LANG_EN,
				.timezone = "UTC"};
	int64_t id2 = 0;
	char err[200];
	cr_expect_eq(auth_user_add(db, &dup, NULL, &id2, err, sizeof(err)), 1);
	struct auth_user noname = {.email = "x@example.org", .name = "", .timezone = "UTC"};
	cr_expect_eq(auth_user_add(db, &noname, NULL, &id2, err, sizeof(err)), -1);
	cr_expect_eq(auth_user_add(db, &(struct auth_user){.email = "y@example.org", .name = "Y",
							     .timezone = "UTC"},
				   "short", &id2, err, sizeof(err)),
		     -1);
	struct auth_user *all;
	size_t n;
	cr_assert_eq(auth_users_list(db, arena, 10, &all, &n), 0);
	cr_expect_eq(n, 1);

	/* an address another account uses cannot be taken over */
	int64_t other = add_user("omar@example.org", ROLE_MEMBER, NULL);
	cr_assert_eq(auth_user_by_id(db, arena, other, &u), 0);
	cr_expect_not(u.has_password);
	u.email = "rana@example.org";
	cr_expect_eq(auth_user_update(db, &u), 1);
	u.email = "omar.new@example.org";
	u.name = "Omar";
	cr_expect_eq(auth_user_update(db, &u), 0);
	cr_assert_eq(auth_user_by_id(db, arena, other, &u), 0);
	cr_expect_str_eq(u.email, "omar.new@example.org");
}

Test(auth, account_tokens_are_single_use_and_expire)
{
	int64_t id = add_user("rana@example.org", ROLE_MEMBER, NULL), got = 0;
	char t[AUTH_TOKEN_LEN + 1];
	cr_assert_eq(auth_account_token_new(db, id, AUTH_RESET, t), 0);
	cr_expect_eq(auth_account_token_check(db, t, AUTH_INVITE, &got), 1, "wrong purpose");
	cr_expect_eq(auth_account_token_check(db, t, AUTH_RESET, &got), 0);
	cr_expect_eq(got, id);
	cr_expect_eq(auth_account_token_take(db, t, AUTH_RESET, &got), 0);
	cr_expect_eq(auth_account_token_take(db, t, AUTH_RESET, &got), 1, "used twice");
	cr_expect_eq(auth_account_token_check(db, "not-a-token", AUTH_RESET, &got), 1);

	cr_assert_eq(auth_account_token_new(db, id, AUTH_INVITE, t), 0);
	cr_assert_eq(db_exec(db, "UPDATE account_tokens SET expires = 1 WHERE used IS NULL"), 0);
	cr_expect_eq(auth_account_token_take(db, t, AUTH_INVITE, &got), 1, "expired");
}

Test(auth, throttling_per_account_and_per_address)
{
	for (int i = 0; i < AUTH_THROTTLE_ACCOUNT - 1; i++)
		cr_assert_eq(auth_throttle_fail(db, "rana@example.org", "10.0.0.1"), 0);
	cr_expect_eq(auth_throttled(db, "rana@example.org", "10.0.0.9"), 0);
	cr_assert_eq(auth_throttle_fail(db, "rana@example.org", "10.0.0.2"), 0);
	cr_expect_eq(auth_throttled(db, "rana@example.org", "10.0.0.9"), 1, "account held back");
	cr_expect_eq(auth_throttled(db, "omar@example.org", "10.0.0.9"), 0, "others are not");
	cr_assert_eq(auth_throttle_clear(db, "rana@example.org"), 0);
	cr_expect_eq(auth_throttled(db, "rana@example.org", "10.0.0.9"), 0);

	/* one address trying many accounts */
	char email[64];
	for (int i = 0; i < AUTH_THROTTLE_ADDRESS; i++) {
		snprintf(email, sizeof(email), "guess%d@example.org", i);
		cr_assert_eq(auth_throttle_fail(db, email, "10.9.9.9"), 0);
	}
	cr_expect_eq(auth_throttled(db, "new@example.org", "10.9.9.9"), 1, "address held back");
	cr_expect_eq(auth_throttled(db, "new@example.org", "10.9.9.8"), 0);
	/* failures older than the window are forgotten */
	cr_assert_eq(db_exec(db, "UPDATE login_failures SET at = at - 100000"), 0);
	cr_expect_eq(auth_throttled(db, "new@example.org", "10.9.9.9"), 0);
}

Test(auth, a_new_password_ends_every_session)
{
	int64_t id = add_user("rana@example.org", ROLE_MEMBER, "first password 123");
	cr_assert_eq(db_exec(db, "INSERT INTO sessions (token_hash, user_id, csrf, created, seen, "
				 "expires) VALUES ('x', 1, 'c', 0, 0, 99999999999)"),
		     0);
	cr_assert_eq(auth_user_set_password(db, id, "second password 456"), 0);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM sessions");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_expect_eq(db_col_int(st, 0), 0);
	db_done(st);
	struct auth_user u;
	const char *hash;
	cr_assert_eq(auth_user_by_email(db, arena, "rana@example.org", &u, &hash), 0);
	cr_expect(auth_password_verify(hash, "second password 456"));
}

Test(auth, accounts_sharing_one_hash_and_a_municipality_s_representatives)
{
	cr_assert_eq(db_exec(db, "INSERT INTO municipalities (id, slug, name_en, country) VALUES"
				 " (1, 'irbid', 'Irbid', 'JO'), (2, 'kilis', 'Kilis', 'TR')"),
		     0);
	char hash[AUTH_HASH_MAX], err[200];
	cr_assert_eq(auth_password_hash("demo-password-2026", hash), 0);
	static const struct {
		const char *email, *name;
		enum role role;
		int64_t muni;
		int active;
	} people[] = {
		{"rep2.irbid@example.org", "Rana", ROLE_MEMBER, 1, 1},
		{"rep.irbid@example.org", "Ahmad", ROLE_MEMBER, 1, 1},
		{"gone.irbid@example.org", "Gone", ROLE_MEMBER, 1, 0},
		{"staff.irbid@example.org", "Staff", ROLE_FACILITATOR, 1, 1},
		{"rep.kilis@example.org", "Ayse", ROLE_MEMBER, 2, 1},
	};
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		struct auth_user u = {.email = people[i].email, .name = people[i].name,
				      .role = people[i].role, .municipality_id = people[i].muni,
				      .lang = LANG_AR, .timezone = "Asia/Amman"};
		int64_t id;
		cr_assert_eq(auth_user_add_hashed(db, &u, hash, &id, err, sizeof(err)), 0, "%s", err);
		if (!people[i].active) {
			struct db_stmt *st = db_prepare(db, "UPDATE users SET active = 0 WHERE id = ?1");
			db_bind_int(st, 1, id);
			cr_assert_eq(db_step(st), DB_DONE);
			db_done(st);
		}
		/* the same address again changes nothing */
		cr_expect_eq(auth_user_add_hashed(db, &u, hash, &id, err, sizeof(err)), 1);
	}
	/* one hash, every account logs in with the one password */
	struct auth_user u;
	const char *stored;
	cr_assert_eq(auth_user_by_email(db, arena, "rep.kilis@example.org", &u, &stored), 0);
	cr_expect_str_eq(stored, hash);
	cr_expect(auth_password_verify(stored, "demo-password-2026"));
	/* only an argon2id hash is taken */
	struct auth_user bad = {.email = "bad@example.org", .name = "Bad", .lang = LANG_EN,
				.timezone = "UTC"};
	int64_t id;
	cr_expect_eq(auth_user_add_hashed(db, &bad, "demo-password-2026", &id, err, sizeof(err)), -1);
	cr_expect_eq(auth_user_by_email(db, arena, "bad@example.org", &u, NULL), 1);

	/* representatives: active members of the municipality, by name */
	struct auth_user *reps;
	size_t n;
	cr_assert_eq(auth_users_of_municipality(db, arena, 1, 10, &reps, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(reps[0].name, "Ahmad");
	cr_expect_str_eq(reps[1].name, "Rana");
	cr_assert_eq(auth_users_of_municipality(db, arena, 1, 1, &reps, &n), 0);
	cr_expect_eq(n, 1);
	cr_assert_eq(auth_users_of_municipality(db, arena, 3, 10, &reps, &n), 0);
	cr_expect_eq(n, 0);
}
