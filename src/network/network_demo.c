/* network_demo: the demo network's accounts, for trying tawama out — an administrator,
 * two facilitators and the representatives of every municipality, all with the one
 * password the README gives. Never for a real network. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "core/core_log.h"
#include "network/network.h"

/* Names as people of the region write them: Arabic script for the Arab countries,
 * Turkish for Turkey. Combined deterministically, by the municipality's place in
 * slug order. */
static const char *const arabic_given[] = {
	"أحمد", "ليلى", "محمد", "رنا", "خالد", "سلمى", "عمر", "هدى", "يوسف", "ريم",
	"سامي", "نور", "طارق", "دينا", "باسل", "منى", "كريم", "لينا", "زياد", "هالة",
	"فادي", "سهى", "ماجد", "جمانة",
};
static const char *const arabic_family[] = {
	"الخطيب", "حداد", "النجار", "العلي", "الزعبي", "منصور", "حمدان", "الشامي",
	"عيسى", "القاسم", "الحسيني", "نصر", "صالح", "البدور", "يونس", "درويش",
	"سليمان", "عواد", "الرفاعي", "خوري", "المصري", "بركات", "عثمان",
};
static const char *const turkish_given[] = {
	"Ayşe", "Mehmet", "Elif", "Mustafa", "Zeynep", "Emre", "Fatma", "Burak",
	"Selin", "Hakan", "Derya", "Murat", "Gülay", "Serkan",
};
static const char *const turkish_family[] = {
	"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk",
	"Arslan", "Doğan", "Kılıç", "Aslan", "Korkmaz",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Each country's language for mails and the page after login, and its time zone. */
static const struct {
	const char *country;
	enum lang lang;
	const char *timezone;
	int turkish;
} countries[] = {
	{"IQ", LANG_AR, "Asia/Baghdad", 0},
	{"JO", LANG_AR, "Asia/Amman", 0},
	{"LB", LANG_FR, "Asia/Beirut", 0},
	{"PS", LANG_AR, "Asia/Hebron", 0},
	{"TR", LANG_EN, "Europe/Istanbul", 1},
};

/* The network's staff. */
static const struct {
	const char *local, *name;
	enum role role;
	enum lang lang;
} staff[] = {
	{"admin", "Sara Rahmani", ROLE_ADMIN, LANG_EN},
	{"facilitator1", "كريم حداد", ROLE_FACILITATOR, LANG_AR},
	{"facilitator2", "Claire Dubois", ROLE_FACILITATOR, LANG_FR},
};

struct demo_muni {
	int64_t id;
	char slug[104];
	char country[3];
	int in_group;
};

static int
add(struct db *db, const struct auth_user *u, const char *hash, char *err, size_t errlen)
{
	int64_t id;
	int rc = auth_user_add_hashed(db, u, hash, &id, err, errlen);
	if (rc < 0) {
		char why[200];
		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "demo account %s: %s", u->email, why);
		return -1;
	}
	return 0;	/* 1: the address exists already and is left alone */
}

/* The municipalities in slug order, and whether each is in a twinning group. At most
 * max; 0 or -1. */
static int
load(struct db *db, struct demo_muni *m, size_t max, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT m.id, m.slug, m.country, EXISTS (SELECT 1 FROM twinning_groups g"
		    " WHERE g.municipality_a = m.id OR g.municipality_b = m.id)"
		    " FROM municipalities m ORDER BY m.slug");
	if (st == NULL)
		return -1;
	int rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		struct demo_muni *d = &m[(*n)++];
		d->id = db_col_int(st, 0);
		snprintf(d->slug, sizeof(d->slug), "%s", db_col_text(st, 1));
		snprintf(d->country, sizeof(d->country), "%s", db_col_text(st, 2));
		d->in_group = (int)db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
network_demo_accounts(struct db *db, char *err, size_t errlen)
{
	char hash[AUTH_HASH_MAX], email[160], name[200];
	size_t n;
	int rc = -1;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "demo accounts: libsodium could not start");
		return -1;
	}
	int64_t total = network_count_municipalities(db);
	if (total < 0) {
		snprintf(err, errlen, "demo accounts: database error");
		return -1;
	}
	struct arena *a = arena_new();
	struct demo_muni *m = arena_alloc(a, (size_t)(total + 1) * sizeof(*m));
	if (load(db, m, (size_t)total, &n) < 0) {
		snprintf(err, errlen, "demo accounts: database error");
		goto out;
	}
	/* one argon2id hash for every account: hashing each would take seconds */
	if (auth_password_hash(NETWORK_DEMO_PASSWORD, hash) < 0) {
		snprintf(err, errlen, "demo accounts: could not hash the password");
		goto out;
	}
	for (size_t i = 0; i < N(staff); i++) {
		snprintf(email, sizeof(email), "%s@" NETWORK_DEMO_DOMAIN, staff[i].local);
		struct auth_user u = {.email = email, .name = staff[i].name, .role = staff[i].role,
				      .lang = staff[i].lang, .timezone = "Asia/Beirut", .active = 1};
		if (add(db, &u, hash, err, errlen) < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		enum lang lang = LANG_AR;
		const char *tz = "UTC";
		int turkish = 0;
		for (size_t c = 0; c < N(countries); c++)
			if (strcmp(countries[c].country, m[i].country) == 0) {
				lang = countries[c].lang;
				tz = countries[c].timezone;
				turkish = countries[c].turkish;
			}
		/* those in a twinning group have two representatives */
		for (int k = 0; k < (m[i].in_group ? 2 : 1); k++) {
			size_t g = 2 * i + (size_t)k, f = 3 * i + 7 * (size_t)k;
			if (turkish)
				snprintf(name, sizeof(name), "%s %s", turkish_given[g % N(turkish_given)],
					 turkish_family[f % N(turkish_family)]);
			else
				snprintf(name, sizeof(name), "%s %s", arabic_given[g % N(arabic_given)],
					 arabic_family[f % N(arabic_family)]);
			snprintf(email, sizeof(email), "%s.%s@" NETWORK_DEMO_DOMAIN,
				 k == 0 ? "rep" : "rep2", m[i].slug);
			struct auth_user u = {.email = email, .name = name, .role = ROLE_MEMBER,
					      .municipality_id = m[i].id, .lang = lang,
					      .timezone = tz, .active = 1};
			if (add(db, &u, hash, err, errlen) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	sodium_memzero(hash, sizeof(hash));
	arena_free(a);
	return rc;
}
