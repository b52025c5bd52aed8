/* twinning_demo: the demo network's twinning groups at work — each with a work plan of
 * milestones at its own stage, a few quarters of progress reports with their
 * self-assessments, facilitators' comments and evaluations, and the timeline of all
 * of it — written through the store, so the timeline is the one the pages would
 * write. Fixed dates: the same database every time. */
#include <stdio.h>
#include <string.h>

#include "core/core_log.h"
#include "core/core_time.h"
#include "twinning/twinning_internal.h"

#define DAY 86400
#define N_PLAN 6
#define N_QUARTERS 5

enum focus { FO_WASTE, FO_LIVELIHOODS, FO_FINANCE, FO_COHESION, FO_URBAN, FO_WATER };

/* How far a group has come. */
enum stage {
	ST_ADVANCED,	/* five quarters reported, the strategy drafted, the pilot started */
	ST_MIDDLE,	/* four quarters, the draft under way */
	ST_BEHIND,	/* three quarters, a blocked milestone, quiet since */
	ST_PAUSED,	/* two quarters, then paused */
	ST_COMPLETED,	/* the whole plan done, two years earlier */
	ST_FORMING,	/* a plan being agreed, nothing reported */
};

/* The demo's groups (made by events_demo), their working language and stage. */
static const struct {
	const char *slug;
	enum lang lang;
	enum focus focus;
	enum stage stage;
	int published;
} groups[] = {
	{"irbid-gaziantep", LANG_EN, FO_WASTE, ST_ADVANCED, 1},
	{"mafraq-kilis", LANG_AR, FO_LIVELIHOODS, ST_MIDDLE, 1},
	{"zarqa-tripoli", LANG_FR, FO_FINANCE, ST_ADVANCED, 1},
	{"ramtha-zakho", LANG_AR, FO_COHESION, ST_PAUSED, 1},
	{"sahab-hebron", LANG_AR, FO_LIVELIHOODS, ST_MIDDLE, 1},
	{"saida-nablus", LANG_FR, FO_URBAN, ST_COMPLETED, 1},
	{"zahle-duhok", LANG_EN, FO_WATER, ST_MIDDLE, 1},
	{"baalbek-sanliurfa", LANG_AR, FO_COHESION, ST_FORMING, 0},
	{"tyre-mersin", LANG_EN, FO_URBAN, ST_ADVANCED, 1},
	{"erbil-sultanbeyli", LANG_EN, FO_WASTE, ST_COMPLETED, 1},
	{"jenin-sulaymaniyah", LANG_AR, FO_FINANCE, ST_BEHIND, 1},
};

/* The work plan every group starts from; milestone 5 is its pilot (by focus). */
static const char *const plan[N_PLAN][LANG_COUNT] = {
	{"تشخيص مشترك للاقتصادين المحليين", "Joint diagnosis of the two local economies",
	 "Diagnostic conjoint des deux économies locales"},
	{"ورشة تشاورية مع القطاع الخاص والمجتمع المدني",
	 "Consultation workshop with businesses and civil society",
	 "Atelier de concertation avec les entreprises et la société civile"},
	{"زيارة تبادلية بين المدينتين", "Exchange visit between the two cities",
	 "Visite d'échange entre les deux villes"},
	{"مسودة استراتيجية التنمية الاقتصادية المحلية",
	 "Draft local economic development strategy",
	 "Projet de stratégie de développement économique local"},
	{NULL, NULL, NULL},
	{"اعتماد المجلس البلدي للاستراتيجية", "Council adoption of the strategy",
	 "Adoption de la stratégie par le conseil municipal"},
};

static const char *const pilots[][LANG_COUNT] = {
	[FO_WASTE] = {"مشروع تجريبي: فرز النفايات وإعادة تدويرها",
		      "Pilot project: sorting and recycling waste",
		      "Projet pilote : tri et recyclage des déchets"},
	[FO_LIVELIHOODS] = {"مشروع تجريبي: تدريب ومنح صغيرة للمشاريع المنزلية",
			    "Pilot project: training and small grants for home businesses",
			    "Projet pilote : formation et petites subventions aux activités à "
			    "domicile"},
	[FO_FINANCE] = {"مشروع تجريبي: زيادة الإيرادات الذاتية للبلدية",
			"Pilot project: raising the municipality's own revenue",
			"Projet pilote : accroître les recettes propres de la municipalité"},
	[FO_COHESION] = {"مشروع تجريبي: سوق مشترك للسكان المضيفين والنازحين",
			 "Pilot project: a shared market for host and displaced residents",
			 "Projet pilote : un marché commun aux habitants et aux personnes "
			 "déplacées"},
	[FO_URBAN] = {"مشروع تجريبي: إعادة تأهيل فضاء عام في البلدة القديمة",
		      "Pilot project: rehabilitating a public space in the old town",
		      "Projet pilote : réhabiliter un espace public de la vieille ville"},
	[FO_WATER] = {"مشروع تجريبي: خفض الفاقد من المياه في حي واحد",
		      "Pilot project: reducing water losses in one district",
		      "Projet pilote : réduire les pertes d'eau dans un quartier"},
};

/* A quarter's report; "%1$s" and "%2$s" are the two cities. */
struct report_text {
	const char *achievements, *challenges, *next_steps;
};

static const struct report_text reports[N_QUARTERS][LANG_COUNT] = {
	{
		{"اجتمع الفريقان ثلاث مرات عبر الإنترنت واتفقا على خطة العمل. جمعت %1$s و%2$s "
		 "بيانات عن فرص العمل والمشاريع والسكان النازحين من أجل التشخيص المشترك.",
		 "بيانات البلدية عن المشاريع غير الرسمية ناقصة.",
		 "استكمال التشخيص والتحضير للورشة التشاورية."},
		{"The two teams met online three times and agreed on the work plan. %1$s and "
		 "%2$s each collected data on jobs, businesses and displaced residents for the "
		 "joint diagnosis.",
		 "Municipal data on informal businesses is incomplete.",
		 "Finish the diagnosis and prepare the consultation workshop."},
		{"Les deux équipes se sont réunies trois fois en ligne et ont adopté le plan de "
		 "travail. %1$s et %2$s ont chacune recueilli des données sur l'emploi, les "
		 "entreprises et les personnes déplacées pour le diagnostic conjoint.",
		 "Les données municipales sur les activités informelles sont incomplètes.",
		 "Terminer le diagnostic et préparer l'atelier de concertation."},
	},
	{
		{"اكتمل التشخيص المشترك وعُرض على المجلسين البلديين. جمعت ورشة تشاورية أصحاب "
		 "المشاريع والتعاونيات ومجموعات الشباب.",
		 "شاركت قلة من رائدات الأعمال في الورشة.",
		 "تنظيم الزيارة التبادلية وعقد جلسة ثانية مخصصة لرائدات الأعمال."},
		{"The joint diagnosis was completed and presented to both councils. A consultation "
		 "workshop brought together business owners, cooperatives and youth groups.",
		 "Few women entrepreneurs took part in the workshop.",
		 "Organise the exchange visit and hold a second session for women entrepreneurs."},
		{"Le diagnostic conjoint a été achevé et présenté aux deux conseils. Un atelier de "
		 "concertation a réuni des chefs d'entreprise, des coopératives et des groupes de "
		 "jeunes.",
		 "Peu de femmes entrepreneures ont participé à l'atelier.",
		 "Organiser la visite d'échange et tenir une seconde séance pour les femmes "
		 "entrepreneures."},
	},
	{
		{"زار وفد من %1$s مدينة %2$s لثلاثة أيام واطّلع على مشاريعها في الميدان. وضع "
		 "الفريقان قائمة بالأفكار التي ستكيّفها كل مدينة.",
		 "أخّرت التأشيرات وتكاليف السفر الزيارة شهرًا.",
		 "كتابة المسودة الأولى للاستراتيجية."},
		{"A delegation from %1$s spent three days in %2$s and saw its projects on site. "
		 "The teams listed the ideas each city will adapt.",
		 "Visas and travel costs delayed the visit by a month.",
		 "Write the first draft of the strategy."},
		{"Une délégation de %1$s a passé trois jours à %2$s et a visité ses projets sur le "
		 "terrain. Les équipes ont dressé la liste des idées que chaque ville adaptera.",
		 "Les visas et les frais de voyage ont retardé la visite d'un mois.",
		 "Rédiger la première version de la stratégie."},
	},
	{
		{"كُتبت المسودة الأولى للاستراتيجية بأولوياتها وإجراءاتها وميزانيتها، وصُمّم "
		 "المشروع التجريبي.",
		 "لم تُؤمَّن ميزانية المشروع التجريبي بعد.",
		 "استشارة المجلسين البلديين في المسودة وبدء المشروع التجريبي."},
		{"The first draft of the strategy was written, with its priorities, actions and "
		 "budget. The pilot project was designed.",
		 "The budget for the pilot project is not secured yet.",
		 "Consult both councils on the draft and start the pilot project."},
		{"La première version de la stratégie a été rédigée, avec ses priorités, ses "
		 "actions et son budget. Le projet pilote a été conçu.",
		 "Le budget du projet pilote n'est pas encore assuré.",
		 "Consulter les deux conseils sur le projet et lancer le projet pilote."},
	},
	{
		{"أبدى المجلسان البلديان ملاحظاتهما على المسودة. انطلق المشروع التجريبي مع "
		 "أوائل المستفيدين.",
		 "ارتفاع الأسعار يجعل المشروع التجريبي أغلى مما كان مقررًا.",
		 "مراجعة المسودة وعرضها على المجلسين لاعتمادها."},
		{"Both councils commented on the draft. The pilot project started with its first "
		 "beneficiaries.",
		 "Rising prices make the pilot project more expensive than planned.",
		 "Revise the draft and submit it to both councils for adoption."},
		{"Les deux conseils ont commenté le projet de stratégie. Le projet pilote a démarré "
		 "avec ses premiers bénéficiaires.",
		 "La hausse des prix rend le projet pilote plus coûteux que prévu.",
		 "Réviser le projet et le soumettre aux deux conseils pour adoption."},
	},
};

/* Facilitators' words: a comment on the second report, an evaluation of the last. */
static const char *const comment_text[LANG_COUNT] = {
	"تقدم جيد. نرجو مشاركة أدوات جمع البيانات مع مجموعات التوأمة الأخرى، فهي مفيدة للجميع.",
	"Good progress. Please share your data collection tools with the other twinning "
	"groups: they will help everyone.",
	"Bons progrès. Merci de partager vos outils de collecte de données avec les autres "
	"groupes de jumelage : ils serviront à tous.",
};
static const char *const evaluation_text[LANG_COUNT] = {
	"عمل متين ومنتظم. تحتاج المرحلة القادمة إلى ميزانية واضحة قبل توسيع المشروع التجريبي.",
	"Solid and steady work. The next stage needs a clear budget before the pilot project "
	"grows.",
	"Un travail solide et régulier. L'étape suivante demande un budget clair avant "
	"d'étendre le projet pilote.",
};

/* Where each stage's plan ends: the final status and progress of each milestone, and
 * the quarters reported (counted from the plan's first quarter). */
static const struct {
	enum milestone_status status[N_PLAN];
	int progress[N_PLAN];
	int quarters;
} stages[] = {
	[ST_ADVANCED] = {{MILESTONE_DONE, MILESTONE_DONE, MILESTONE_DONE, MILESTONE_IN_PROGRESS,
			  MILESTONE_IN_PROGRESS, MILESTONE_PLANNED},
			 {100, 100, 100, 80, 35, 0}, 5},
	[ST_MIDDLE] = {{MILESTONE_DONE, MILESTONE_DONE, MILESTONE_IN_PROGRESS, MILESTONE_IN_PROGRESS,
			MILESTONE_PLANNED, MILESTONE_PLANNED},
		       {100, 100, 70, 25, 0, 0}, 4},
	[ST_BEHIND] = {{MILESTONE_DONE, MILESTONE_IN_PROGRESS, MILESTONE_BLOCKED, MILESTONE_PLANNED,
			MILESTONE_PLANNED, MILESTONE_PLANNED},
		       {100, 50, 10, 0, 0, 0}, 3},
	[ST_PAUSED] = {{MILESTONE_DONE, MILESTONE_IN_PROGRESS, MILESTONE_BLOCKED, MILESTONE_PLANNED,
			MILESTONE_PLANNED, MILESTONE_PLANNED},
		       {100, 40, 0, 0, 0, 0}, 2},
	[ST_COMPLETED] = {{MILESTONE_DONE, MILESTONE_DONE, MILESTONE_DONE, MILESTONE_DONE,
			   MILESTONE_DONE, MILESTONE_DONE},
			  {100, 100, 100, 100, 100, 100}, 5},
	[ST_FORMING] = {{MILESTONE_PLANNED, MILESTONE_PLANNED, MILESTONE_PLANNED, MILESTONE_PLANNED,
			 MILESTONE_PLANNED, MILESTONE_PLANNED},
			{0, 0, 0, 0, 0, 0}, 0},
};

/* The first quarter of each stage's plan; each milestone is due a quarter after the
 * previous one, and each quarter is reported on two weeks after it ends. */
static const struct {
	int year, quarter;
} plan_start[] = {
	[ST_ADVANCED] = {2025, 3},
	[ST_MIDDLE] = {2025, 4},
	[ST_BEHIND] = {2025, 3},
	[ST_PAUSED] = {2025, 3},
	[ST_COMPLETED] = {2023, 3},
	[ST_FORMING] = {2026, 4},
};

static int64_t
at(int64_t year, unsigned month, unsigned day, int hour)
{
	return time_days_from_civil(year, month, day) * DAY + hour * 3600;
}

/* The quarter k quarters after the plan's first (year, 1..4). */
static void
quarter(enum stage st, int k, int *y, int *q)
{
	long n = (long)plan_start[st].year * 4 + plan_start[st].quarter - 1 + k;
	*y = (int)(n / 4);
	*q = (int)(n % 4) + 1;
}

/* When the report on quarter k is filed: the 14th day after the quarter, 10:00 UTC. */
static int64_t
filed(enum stage st, int k)
{
	int y, q;
	int64_t first, last;
	quarter(st, k, &y, &q);
	tw_period_days(y, q, &first, &last);
	return (last + 14) * DAY + 10 * 3600;
}

/* The first active account of a municipality (by id), 0 when it has none. */
static int64_t
first_account(struct db *db, const char *municipality)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT u.id FROM users u JOIN municipalities m ON m.id = u.municipality_id"
		" WHERE m.slug = ?1 AND u.active = 1 ORDER BY u.id LIMIT 1");
	if (st == NULL || db_bind_text(st, 1, municipality) < 0) {
		if (st != NULL)
			db_done(st);
		return 0;
	}
	int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return id;
}

/* 1 when the group has a timeline already (the demo ran, or people are at work). */
static int
has_timeline(struct db *db, int64_t group_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM group_activity WHERE group_id = ?1 LIMIT 1");
	if (st == NULL || db_bind_int(st, 1, group_id) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int
set_published(struct db *db, const struct tw_group *g, int64_t when)
{
	struct db_stmt *st = db_prepare(db, "UPDATE twinning_groups SET published = 1,"
					    " version = version + 1 WHERE id = ?1");
	if (st == NULL || db_bind_int(st, 1, g->id) < 0 || db_step(st) != DB_DONE) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	db_done(st);
	json_t *sum = json_pack("{s:{s:b, s:b}}", "published", "from", 0, "to", 1);
	int rc = tw_activity_add(db, g->id, 0, when, "group.update", "group", g->id, NULL, sum);
	json_decref(sum);
	return rc;
}

/* A status change the demo tells on the timeline (the status itself is events_demo's). */
static int
status_changed(struct db *db, const struct tw_group *g, enum group_status from, int64_t when)
{
	json_t *sum = json_pack("{s:{s:s, s:s}}", "status", "from", group_status_code(from), "to",
				group_status_code(g->status));
	int rc = tw_activity_add(db, g->id, 0, when, "group.update", "group", g->id, NULL, sum);
	json_decref(sum);
	return rc;
}

static int
demo_group(struct db *db, struct arena *a, size_t gi, const struct tw_criterion *crit,
	   size_t n_crit)
{
	const enum stage st = groups[gi].stage;
	const enum lang wl = groups[gi].lang;
	struct tw_group g;
	int rc = tw_group_get(db, a, groups[gi].slug, wl, &g);
	if (rc != 0) {
		if (rc > 0)
			log_info("demo: no twinning group %s, no plan for it", groups[gi].slug);
		return rc < 0 ? -1 : 0;
	}
	if ((rc = has_timeline(db, g.id)) != 0)
		return rc < 0 ? -1 : 0;
	int64_t people[2] = {first_account(db, g.city[0].slug), first_account(db, g.city[1].slug)};

	/* formed, then published a week later */
	if (tw_activity_add(db, g.id, 0, g.created, "group.create", "group", g.id, NULL, NULL) < 0)
		return -1;
	if (groups[gi].published && set_published(db, &g, g.created + 7 * DAY) < 0)
		return -1;

	/* the plan, agreed in the plan's first month */
	int y0, q0;
	quarter(st, 0, &y0, &q0);
	int64_t agreed = at(y0, (unsigned)(q0 - 1) * 3 + 1, 10, 9);
	int n_reported = stages[st].quarters;
	int last_k = n_reported > 0 ? n_reported - 1 : 0;
	struct tw_milestone m[N_PLAN];
	int n_plan = st == ST_FORMING ? 2 : N_PLAN;
	for (int i = 0; i < n_plan; i++) {
		int y, q;
		int64_t first, last;
		char due[11];
		quarter(st, i, &y, &q);
		tw_period_days(y, q, &first, &last);
		tw_date_format(last, due);
		memset(&m[i], 0, sizeof(m[i]));
		m[i].group_id = g.id;
		m[i].title = i == 4 ? pilots[groups[gi].focus][wl] : plan[i][wl];
		m[i].lang = wl;
		m[i].owner_id = people[i % 2];
		m[i].due = arena_strdup(a, due);
		m[i].status = MILESTONE_PLANNED;
		if (tw_milestone_add(db, &m[i], people[0], agreed + i * 60) != TW_OK)
			return -1;
	}

	/* work, told quarter by quarter: milestone i starts in quarter i - 1 and is where
	 * its stage says by the last report */
	for (int k = 0; k < n_reported; k++) {
		int64_t when = filed(st, k) - 2 * DAY;
		for (int i = 0; i < n_plan; i++) {
			enum milestone_status final = stages[st].status[i];
			int progress = stages[st].progress[i];
			struct tw_milestone u = m[i];
			int start = i > 0 ? i - 1 : 0, end = i < last_k ? i : last_k;
			if (progress == 0 && final != MILESTONE_BLOCKED)
				continue;
			if (k == end) {
				u.status = final;
				u.progress = progress;
			} else if (k == start && k < end) {
				u.status = MILESTONE_IN_PROGRESS;
				u.progress = progress / 2;
			} else {
				continue;
			}
			if (tw_milestone_update(db, a, &u, m[i].version, people[(i + k) % 2],
						when + i * 300) != TW_OK)
				return -1;
			m[i] = u;
		}

		/* the report, with its self-assessment */
		int y, q;
		int64_t first, last;
		char d0[11], d1[11];
		quarter(st, k, &y, &q);
		tw_period_days(y, q, &first, &last);
		tw_date_format(first, d0);
		tw_date_format(last, d1);
		struct tw_report r = {.group_id = g.id, .lang = wl};
		tw_period_format(y, q, r.period);
		r.starts = arena_strdup(a, d0);
		r.ends = arena_strdup(a, d1);
		const struct report_text *t = &reports[k][wl];
		r.achievements = arena_printf(a, t->achievements, g.city[k % 2].name,
					      g.city[(k + 1) % 2].name);
		r.challenges = t->challenges;
		r.next_steps = t->next_steps;
		for (size_t c = 0; c < n_crit; c++) {
			int s = 2 + (int)((gi * 3 + c * 2 + (size_t)k) % 3) + (k >= 3);
			r.scores[c] = s > 5 ? 5 : s;
		}
		if (tw_report_add(db, &r, crit, n_crit, people[k % 2], filed(st, k)) != TW_OK)
			return -1;

		/* the facilitators follow */
		struct tw_comment c = {.group_id = g.id, .report_id = r.id};
		if (k == 1) {
			c.body = comment_text[wl];
			if (tw_comment_add(db, &c, filed(st, k) + 6 * DAY) != TW_OK)
				return -1;
		}
		if (k == n_reported - 1 && n_reported >= 3) {
			c.body = evaluation_text[wl];
			c.score = st == ST_COMPLETED ? 5 : st == ST_BEHIND ? 2 : 4;
			if (tw_comment_add(db, &c, filed(st, k) + 9 * DAY) != TW_OK)
				return -1;
		}
	}
	if (st == ST_PAUSED && status_changed(db, &g, GROUP_ACTIVE, filed(st, last_k) + 30 * DAY) < 0)
		return -1;
	if (st == ST_COMPLETED &&
	    status_changed(db, &g, GROUP_ACTIVE, filed(st, last_k) + 20 * DAY) < 0)
		return -1;
	return 0;
}

int
twinning_demo(struct db *db)
{
	struct arena *a = arena_new();
	struct tw_criterion *crit;
	size_t n_crit;
	int rc = -1;
	if (db_begin(db) < 0)
		goto out;
	if (tw_criteria(db, a, LANG_EN, &crit, &n_crit) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (demo_group(db, a, i, crit, n_crit) < 0) {
			log_error("demo: the plan of twinning group %s could not be written",
				  groups[i].slug);
			goto fail;
		}
	}
	if (db_commit(db) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback(db);
out:
	arena_free(a);
	return rc;
}
