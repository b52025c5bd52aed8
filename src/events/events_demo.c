/* events_demo: the demo network: the seed event, a deterministic generated set of
 * events, the member municipalities and their twinning groups. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "core/core_arena.h"
#include "core/core_buf.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events.h"
#include "events/events_invite.h"
#include "network/network.h"

#define NBSP "\u00a0"		/* French puts one before ":" and ";" */
#define DASH "\u2013"
#define BATCH 1000		/* events per transaction */
#define DEMO_SCALE_MAX 100000	/* 6.4 million events */
#define L_AR (1 << LANG_AR)
#define L_EN (1 << LANG_EN)
#define L_FR (1 << LANG_FR)
#define L_ALL (L_AR | L_EN | L_FR)

/* ---- The seed event (seeds/000_248efed7ae963327.txt), Arabic exactly as published. */

static const char *seed_objectives[LANG_COUNT][3] = {
	[LANG_AR] = {
		"ربط أعضاء HMLN النشطين الذين يشاركون في مجموعة توأمة؛",
		"تقييم عمل مجموعات التوأمة ومشاركة التقدم الذي أحرزته؛",
		"دعم تنظيم وجدول مجموعات التوأمة والتماس مشاركتها النشطة في",
	},
	[LANG_EN] = {
		"Connect the active HMLN members who take part in a twinning group;",
		"Assess the work of the twinning groups and share the progress they have made;",
		"Support the organization and scheduling of the twinning groups and seek their "
		"active participation in the network.",
	},
	[LANG_FR] = {
		"Mettre en relation les membres actifs du HMLN qui participent à un groupe de "
		"jumelage" NBSP ";",
		"Évaluer le travail des groupes de jumelage et partager les progrès accomplis" NBSP ";",
		"Soutenir l'organisation et le calendrier des groupes de jumelage et solliciter leur "
		"participation active au réseau.",
	},
};

static const struct event_text seed_text[LANG_COUNT] = {
	[LANG_AR] = {
		.title = "[اجتماع إفتراضي شبكة تعلم البلديات المضيفة المتوسطية] ترتيبات التوأمة",
		.context =
			"لدعم الحكومات المحلية التي تواجه تدفق أعداد كبيرة من النازحين قسراً، يقوم "
			"مركز التكامل المتوسطي (CMI) بتنظيم دوري لتبادل المعرفة وبناء القدرات وأنشطة "
			"التعلم لممثلي البلديات الأعضاء في شبكة تعلم البلديات المضيفة (HMLN).\n\n"
			"خلال ورشة العمل التدريبية حول التخطيط الاستراتيجي للتنمية الاقتصادية المحلية "
			"في المجتمعات المضيفة في مارس 2018، شكل ممثلو البلديات من العراق والأردن "
			"ولبنان وفلسطين وتركيا مجموعات توأمة لتبادل التجارب والتعلم من عمل بعضهم "
			"البعض في التخطيط للتنمية الاقتصادية المحلية (LED). تتكون مجموعات التوأمة "
			"الخاصة بـ HMLN من مدينتين تتعاونان في تطوير أو تحديث استراتيجية LED الخاصة "
			"بها وتحديد الأفكار المبتكرة من أجل بيئة اقتصادية محلية أفضل في سياقها. "
			"وبدلاً من التوأمة البلدية الرسمية، فإن مجموعات التوأمة هي شراكات تعاونية "
			"وموجهة نحو الممارسة تهدف إلى تعزيز التعاون عبر البلاد على المستوى المحلي "
			"بين بلديتين تتقاسمان قضايا مماثلة. بعد إنشاء 11 مجموعة توأمة عبر البلاد، "
			"يسهل CMI الخطوات الأولى ويوجه أعضاء مجموعات التوأمة نحو تبادل الأقران "
			"الناجح.\n\n"
			"منذ يونيو 2016، تهدف شبكة تعلم البلديات المضيفة المتوسطية إلى دعم الحكومات "
			"المحلية المضيفة بالمعرفة القائمة على الأدلة وبناء القدرات لتحسين قدراتها "
			"على الاستجابة للنزوح القسري. استفادت الشبكة من العديد من ورش العمل وجهاً "
			"لوجه حول المواضيع ذات الأولوية، ودراسات استقصائية، بالإضافة إلى المناقشات "
			"عبر الإنترنت على المنصة التعاونية عبر الإنترنت Collaboration4Development "
			"(C4D). تدير شبكة البلديات المضيفة من مركز التكامل المتوسطي، كجزء من برنامج "
			"اللاجئين والمجتمعات المضيفة في البحر الأبيض المتوسط.\n\n"
			"تهدف هذه اجتماع إفتراضي عبر الانترنت إلى:",
		.objectives = seed_objectives[LANG_AR],
		.n_objectives = 3,
		.participation =
			"تستهدف هذه اجتماع إفتراضي عبر الانترنت أعضاء مجموعات توأمة شبكة تعلم "
			"البلديات المضيفة. نظرا لنطاقها، فإن المشاركة ستكون بناء على دعوة فقط",
	},
	[LANG_EN] = {
		.title = "[HMLN Webinar] Twinning Arrangements",
		.context =
			"To support local governments facing a large influx of forcibly displaced "
			"people, the Center for Mediterranean Integration (CMI) regularly organizes "
			"knowledge exchange, capacity building and learning activities for the "
			"representatives of the member municipalities of the Host Municipalities "
			"Learning Network (HMLN).\n\n"
			"During the training workshop on strategic planning for local economic "
			"development in host communities in March 2018, municipal representatives "
			"from Iraq, Jordan, Lebanon, Palestine and Turkey formed twinning groups to "
			"exchange experiences and learn from each other's work on local economic "
			"development (LED) planning. HMLN twinning groups consist of two cities that "
			"cooperate in developing or updating their LED strategy and in identifying "
			"innovative ideas for a better local economic environment in their context. "
			"Rather than formal municipal twinning, the twinning groups are collaborative, "
			"practice-oriented partnerships that aim to strengthen cross-country "
			"cooperation at the local level between two municipalities that share similar "
			"issues. Now that 11 cross-country twinning groups have been created, CMI "
			"facilitates the first steps and guides the members of the twinning groups "
			"towards a successful peer exchange.\n\n"
			"Since June 2016, the Mediterranean Host Municipalities Learning Network has "
			"aimed to support host local governments with evidence-based knowledge and "
			"capacity building that improve their ability to respond to forced "
			"displacement. The network has benefited from several face-to-face workshops "
			"on priority topics and from surveys, as well as from online discussions on "
			"the collaborative platform Collaboration4Development (C4D). The Host "
			"Municipalities Learning Network is run by the Center for Mediterranean "
			"Integration as part of its Refugees and Host Communities in the "
			"Mediterranean program.\n\n"
			"This online webinar aims to:",
		.objectives = seed_objectives[LANG_EN],
		.n_objectives = 3,
		.participation =
			"This online webinar is intended for the members of the twinning groups of "
			"the Host Municipalities Learning Network. Given its scope, participation is "
			"by invitation only.",
	},
	[LANG_FR] = {
		.title = "[Webinaire HMLN] Arrangements de jumelage",
		.context =
			"Pour soutenir les collectivités locales confrontées à l'arrivée d'un grand "
			"nombre de personnes déplacées de force, le Centre pour l'intégration en "
			"Méditerranée (CMI) organise régulièrement des activités d'échange de "
			"connaissances, de renforcement des capacités et d'apprentissage pour les "
			"représentants des municipalités membres du Réseau d'apprentissage des "
			"municipalités d'accueil (HMLN).\n\n"
			"Lors de l'atelier de formation sur la planification stratégique du "
			"développement économique local dans les communautés d'accueil, en mars 2018, "
			"des représentants municipaux d'Irak, de Jordanie, du Liban, de Palestine et de "
			"Turquie ont formé des groupes de jumelage pour échanger leurs expériences et "
			"apprendre du travail des uns et des autres en matière de planification du "
			"développement économique local (DEL). Les groupes de jumelage du HMLN "
			"réunissent deux villes qui coopèrent pour élaborer ou mettre à jour leur "
			"stratégie de DEL et pour trouver des idées innovantes en faveur d'un meilleur "
			"environnement économique local dans leur contexte. Plutôt qu'un jumelage "
			"municipal formel, les groupes de jumelage sont des partenariats collaboratifs "
			"et tournés vers la pratique, qui visent à renforcer la coopération entre pays "
			"au niveau local entre deux municipalités confrontées à des enjeux semblables. "
			"Après la création de 11 groupes de jumelage entre pays, le CMI facilite les "
			"premières étapes et accompagne les membres des groupes vers un échange entre "
			"pairs réussi.\n\n"
			"Depuis juin 2016, le Réseau d'apprentissage des municipalités d'accueil en "
			"Méditerranée vise à soutenir les collectivités locales d'accueil par des "
			"connaissances fondées sur des données probantes et par le renforcement des "
			"capacités, afin d'améliorer leur capacité à répondre aux déplacements forcés. "
			"Le réseau a bénéficié de plusieurs ateliers en présentiel sur des thèmes "
			"prioritaires, d'enquêtes, ainsi que de discussions en ligne sur la plateforme "
			"collaborative Collaboration4Development (C4D). Le Réseau d'apprentissage des "
			"municipalités d'accueil est géré par le Centre pour l'intégration en "
			"Méditerranée dans le cadre de son programme Réfugiés et communautés d'accueil "
			"en Méditerranée.\n\n"
			"Ce webinaire en ligne vise à" NBSP ":",
		.objectives = seed_objectives[LANG_FR],
		.n_objectives = 3,
		.participation =
			"Ce webinaire en ligne s'adresse aux membres des groupes de jumelage du Réseau "
			"d'apprentissage des municipalités d'accueil. Compte tenu de sa portée, la "
			"participation se fera uniquement sur invitation.",
	},
};

/* ---- Themes, organisers, countries, places. */

enum theme {
	T_LED,
	T_TWINNING,
	T_DISPLACEMENT,
	T_URBAN,
	T_WASTE,
	T_WATER,
	T_COHESION,
	T_FINANCE,
	T_LIVELIHOODS,
	T_HOUSING,
	T_COUNT,
	T_NONE = -1
};

static const struct named themes[T_COUNT] = {
	[T_LED] = {"led", {"التنمية الاقتصادية المحلية", "Local economic development",
			   "Développement économique local"}},
	[T_TWINNING] = {"twinning", {"التوأمة", "Twinning", "Jumelage"}},
	[T_DISPLACEMENT] = {"displacement", {"النزوح القسري", "Forced displacement",
					     "Déplacement forcé"}},
	[T_URBAN] = {"urban-planning", {"التخطيط الحضري", "Urban planning", "Urbanisme"}},
	[T_WASTE] = {"waste-management", {"إدارة النفايات", "Waste management",
					  "Gestion des déchets"}},
	[T_WATER] = {"water", {"المياه والصرف الصحي", "Water and sanitation",
			       "Eau et assainissement"}},
	[T_COHESION] = {"social-cohesion", {"التماسك الاجتماعي", "Social cohesion",
					    "Cohésion sociale"}},
	[T_FINANCE] = {"finance", {"المالية البلدية", "Municipal finance",
				   "Finances municipales"}},
	[T_LIVELIHOODS] = {"livelihoods", {"فرص العمل وسبل العيش", "Jobs and livelihoods",
					   "Emploi et moyens de subsistance"}},
	[T_HOUSING] = {"housing", {"السكن", "Housing", "Logement"}},
};

/* Why the theme matters to a host city: the second paragraph of a context. */
static const char *const theme_why[T_COUNT][LANG_COUNT] = {
	[T_LED] = {
		"تتيح التنمية الاقتصادية المحلية للبلديات تحويل وصول السكان الجدد إلى نشاط "
		"اقتصادي جديد، من خلال العمل مع الشركات المحلية وغرف التجارة والمجتمع المدني على "
		"استراتيجية مشتركة.",
		"Local economic development gives municipalities a way to turn the arrival of "
		"newcomers into new economic activity, by working with local businesses, chambers "
		"of commerce and civil society on a shared strategy.",
		"Le développement économique local permet aux municipalités de transformer "
		"l'arrivée de nouveaux habitants en activité économique, en travaillant avec les "
		"entreprises locales, les chambres de commerce et la société civile autour d'une "
		"stratégie commune.",
	},
	[T_TWINNING] = {
		"تجمع مجموعات التوأمة بين بلديتين من بلدين مختلفين تواجهان قضايا متشابهة، كي "
		"تتعلم كل منهما من تجربة الأخرى.",
		"Twinning groups pair two municipalities from different countries that face "
		"similar issues, so that each can learn from the other's practice.",
		"Les groupes de jumelage associent deux municipalités de pays différents "
		"confrontées à des enjeux semblables, afin que chacune apprenne de la pratique de "
		"l'autre.",
	},
	[T_DISPLACEMENT] = {
		"منذ عام 2011، شهدت بلديات كثيرة في المنطقة زيادة في عدد سكانها بنسبة الربع أو "
		"أكثر خلال سنوات قليلة، في الغالب دون أي زيادة في ميزانياتها أو في عدد موظفيها.",
		"Since 2011, many municipalities in the region have seen their population grow by "
		"a quarter or more within a few years, often without any increase in their budget "
		"or staff.",
		"Depuis 2011, de nombreuses municipalités de la région ont vu leur population "
		"augmenter d'un quart ou plus en quelques années, souvent sans hausse de leur "
		"budget ni de leurs effectifs.",
	},
	[T_URBAN] = {
		"يضغط النمو السريع، وغير الرسمي في كثير من الأحيان، على الأراضي والطرق والمرافق "
		"العامة، ولم تعد المخططات التي وضعت لمدينة أصغر تلائم الواقع.",
		"Fast and often informal growth puts pressure on land, roads and public "
		"facilities, and plans drawn up for a smaller city no longer fit.",
		"Une croissance rapide, souvent informelle, pèse sur le foncier, la voirie et les "
		"équipements publics, et les plans conçus pour une ville plus petite ne sont plus "
		"adaptés.",
	},
	[T_WASTE] = {
		"أصبحت جولات الجمع ومحطات الترحيل والمكبات المصممة لعدد السكان السابق مثقلة "
		"بالأعباء، وباتت النفايات من أوضح علامات الضغط على المدن المضيفة.",
		"Collection rounds, transfer stations and landfills designed for the previous "
		"population are now overloaded, and waste has become one of the most visible signs "
		"of the pressure on host cities.",
		"Les circuits de collecte, les centres de transfert et les décharges conçus pour "
		"la population d'hier sont saturés, et les déchets sont devenus l'un des signes les "
		"plus visibles de la pression sur les villes d'accueil.",
	},
	[T_WATER] = {
		"يتعين على الشبكات التي كانت تفقد أصلاً جزءاً كبيراً من مياهها أن تخدم اليوم "
		"عدداً أكبر من الأسر، في منطقة تبقى فيها الموارد المائية شحيحة.",
		"Networks that were already losing much of their water must now serve more "
		"households, in a region where water remains scarce.",
		"Des réseaux qui perdaient déjà une grande partie de leur eau doivent désormais "
		"desservir davantage de ménages, dans une région où la ressource reste rare.",
	},
	[T_COHESION] = {
		"كثيراً ما تنشأ التوترات بين المجتمعات المضيفة والنازحين من التنافس على فرص "
		"العمل والسكن والخدمات، والبلديات في موقع جيد لمنعها.",
		"Tensions between host and displaced communities often grow out of competition for "
		"jobs, housing and services, and municipalities are well placed to prevent them.",
		"Les tensions entre communautés d'accueil et personnes déplacées naissent souvent "
		"de la concurrence pour l'emploi, le logement et les services, et les municipalités "
		"sont bien placées pour les prévenir.",
	},
	[T_FINANCE] = {
		"تعتمد ميزانيات البلديات اعتماداً كبيراً على التحويلات من الحكومة المركزية، وهي "
		"نادراً ما تتبع العدد الفعلي للسكان، مما يجعل الإيرادات المحلية والوصول إلى "
		"التمويل الخارجي أمراً حاسماً.",
		"Municipal budgets depend heavily on transfers from central government, which "
		"rarely follow the real number of residents; local revenue and access to external "
		"finance make the difference.",
		"Les budgets municipaux dépendent largement de transferts de l'État central qui "
		"suivent rarement le nombre réel d'habitants" NBSP "; les recettes locales et "
		"l'accès aux financements extérieurs font la différence.",
	},
	[T_LIVELIHOODS] = {
		"الشباب والنساء، من السكان المضيفين والنازحين على حد سواء، هم أول من يستبعد من "
		"سوق العمل في أوقات الأزمات.",
		"Young people and women, among host and displaced residents alike, are the first "
		"to be pushed out of the labour market in times of crisis.",
		"Les jeunes et les femmes, parmi les habitants comme parmi les personnes "
		"déplacées, sont les premiers exclus du marché du travail en temps de crise.",
	},
	[T_HOUSING] = {
		"ارتفعت الإيجارات بشكل حاد في معظم المدن المضيفة، وباتت أسر أكثر تعيش في مساكن "
		"مكتظة أو في مبان غير مكتملة.",
		"Rents have risen sharply in most host cities, and more families live in "
		"overcrowded flats or unfinished buildings.",
		"Les loyers ont fortement augmenté dans la plupart des villes d'accueil, et de plus "
		"en plus de familles vivent dans des logements surpeuplés ou des bâtiments "
		"inachevés.",
	},
};

enum organiser {
	O_CMI,
	O_UNHABITAT,
	O_GIZ,
	O_WB,
	O_UCLG,
	O_AFD,
	O_GAZIANTEP,
	O_IRBID,
	O_TRIPOLI,
	O_COUNT
};

/* The time zone is the one its online events are announced in. */
static const struct {
	struct named n;
	const char *tz;
	int municipal;		/* a member municipality hosting its own events */
} organisers[O_COUNT] = {
	[O_CMI] = {{"cmi", {"مركز التكامل المتوسطي (CMI)",
			    "Center for Mediterranean Integration (CMI)",
			    "Centre pour l'intégration en Méditerranée (CMI)"}},
		   "Asia/Beirut", 0},
	[O_UNHABITAT] = {{"un-habitat", {"برنامج الأمم المتحدة للمستوطنات البشرية (موئل الأمم "
					 "المتحدة)", "UN-Habitat", "ONU-Habitat"}},
			 "Africa/Cairo", 0},
	[O_GIZ] = {{"giz", {"الوكالة الألمانية للتعاون الدولي (GIZ)",
			    "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)",
			    "Agence allemande de coopération internationale (GIZ)"}},
		   "Asia/Amman", 0},
	[O_WB] = {{"world-bank", {"البنك الدولي", "World Bank", "Banque mondiale"}},
		  "Asia/Beirut", 0},
	[O_UCLG] = {{"uclg-mewa",
		     {"منظمة المدن والحكومات المحلية المتحدة " DASH
		      " فرع الشرق الأوسط وغرب آسيا (UCLG-MEWA)",
		      "United Cities and Local Governments " DASH
		      " Middle East and West Asia (UCLG-MEWA)",
		      "Cités et gouvernements locaux unis " DASH
		      " Moyen-Orient et Asie de l'Ouest (CGLU-MEWA)"}},
		    "Europe/Istanbul", 0},
	[O_AFD] = {{"afd", {"الوكالة الفرنسية للتنمية (AFD)",
			    "French Development Agency (AFD)",
			    "Agence française de développement (AFD)"}},
		   "Europe/Paris", 0},
	[O_GAZIANTEP] = {{"gaziantep-metropolitan-municipality",
			  {"بلدية غازي عنتاب الكبرى", "Gaziantep Metropolitan Municipality",
			   "Municipalité métropolitaine de Gaziantep"}},
			 "Europe/Istanbul", 1},
	[O_IRBID] = {{"greater-irbid-municipality",
		      {"بلدية إربد الكبرى", "Greater Irbid Municipality",
		       "Grande municipalité d'Irbid"}},
		     "Asia/Amman", 1},
	[O_TRIPOLI] = {{"tripoli-municipality",
			{"بلدية طرابلس", "Municipality of Tripoli", "Municipalité de Tripoli"}},
		       "Asia/Beirut", 1},
};

static const struct country {
	const char *code;
	const char *tz;
	const char *name[LANG_COUNT];
} countries[] = {
	{"IQ", "Asia/Baghdad", {"العراق", "Iraq", "Irak"}},
	{"JO", "Asia/Amman", {"الأردن", "Jordan", "Jordanie"}},
	{"LB", "Asia/Beirut", {"لبنان", "Lebanon", "Liban"}},
	{"PS", "Asia/Hebron", {"فلسطين", "Palestine", "Palestine"}},
	{"TR", "Europe/Istanbul", {"تركيا", "Turkey", "Turquie"}},
	{"FR", "Europe/Paris", {"فرنسا", "France", "France"}},
};

static const struct country *
country_of(const char *code)
{
	for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
		if (strcmp(countries[i].code, code) == 0)
			return &countries[i];
	return &countries[0];	/* the tables below only use the codes above */
}

/* The member municipalities: 8 per country, in the order of the M_ constants. */
enum {
	M_IRBID, M_MAFRAQ, M_ZARQA, M_RAMTHA, M_SAHAB, M_RUSSEIFA, M_MADABA, M_KARAK,
	M_TRIPOLI, M_SAIDA, M_ZAHLE, M_BAALBEK, M_TYRE, M_JBEIL, M_HALBA, M_BAR_ELIAS,
	M_GAZIANTEP, M_SANLIURFA, M_KILIS, M_SULTANBEYLI, M_MERSIN, M_ANTAKYA, M_ADANA,
	M_KAHRAMANMARAS,
	M_DUHOK, M_ERBIL, M_ZAKHO, M_SULAYMANIYAH, M_MOSUL, M_KIRKUK, M_SUMEL, M_KHANAQIN,
	M_HEBRON, M_NABLUS, M_RAMALLAH, M_JENIN, M_BETHLEHEM, M_JERICHO, M_TULKARM,
	M_QALQILYA,
	M_COUNT
};

static const struct municipality municipalities[M_COUNT] = {
	[M_IRBID] = {"irbid", {"إربد", "Irbid", "Irbid"}, "JO", "Irbid", 500000, 120000, 2018},
	[M_MAFRAQ] = {"mafraq", {"المفرق", "Mafraq", "Mafraq"}, "JO", "Mafraq", 120000, 70000,
		      2017},
	[M_ZARQA] = {"zarqa", {"الزرقاء", "Zarqa", "Zarqa"}, "JO", "Zarqa", 650000, 50000, 2018},
	[M_RAMTHA] = {"ramtha", {"الرمثا", "Ramtha", "Ramtha"}, "JO", "Irbid", 150000, 45000,
		      2018},
	[M_SAHAB] = {"sahab", {"سحاب", "Sahab", "Sahab"}, "JO", "Amman", 120000, 25000, 2018},
	[M_RUSSEIFA] = {"russeifa", {"الرصيفة", "Russeifa", "Russeifa"}, "JO", "Zarqa", 470000,
			30000, 2018},
	[M_MADABA] = {"madaba", {"مادبا", "Madaba", "Madaba"}, "JO", "Madaba", 100000, 15000,
		      2018},
	[M_KARAK] = {"karak", {"الكرك", "Karak", "Kérak"}, "JO", "Karak", 80000, 8000, 2018},
	[M_TRIPOLI] = {"tripoli", {"طرابلس", "Tripoli", "Tripoli"}, "LB", "North Lebanon", 500000,
		       60000, 2018},
	[M_SAIDA] = {"saida", {"صيدا", "Saida", "Saïda"}, "LB", "South Lebanon", 200000, 30000,
		     2018},
	[M_ZAHLE] = {"zahle", {"زحلة", "Zahle", "Zahlé"}, "LB", "Bekaa", 150000, 50000, 2018},
	[M_BAALBEK] = {"baalbek", {"بعلبك", "Baalbek", "Baalbek"}, "LB", "Baalbek-Hermel", 100000,
		       40000, 2018},
	[M_TYRE] = {"tyre", {"صور", "Tyre", "Tyr"}, "LB", "South Lebanon", 120000, 25000, 2018},
	[M_JBEIL] = {"jbeil", {"جبيل", "Jbeil", "Byblos"}, "LB", "Keserwan-Jbeil", 40000, 5000,
		     2018},
	[M_HALBA] = {"halba", {"حلبا", "Halba", "Halba"}, "LB", "Akkar", 30000, 15000, 2018},
	[M_BAR_ELIAS] = {"bar-elias", {"برالياس", "Bar Elias", "Bar Elias"}, "LB", "Bekaa", 60000,
			 50000, 2018},
	[M_GAZIANTEP] = {"gaziantep", {"غازي عنتاب", "Gaziantep", "Gaziantep"}, "TR",
			 "Gaziantep", 2000000, 450000, 2018},
	[M_SANLIURFA] = {"sanliurfa", {"شانلي أورفا", "Şanlıurfa", "Şanlıurfa"}, "TR",
			 "Şanlıurfa", 2000000, 430000, 2018},
	[M_KILIS] = {"kilis", {"كلس", "Kilis", "Kilis"}, "TR", "Kilis", 140000, 110000, 2018},
	[M_SULTANBEYLI] = {"sultanbeyli", {"سلطان بيلي", "Sultanbeyli", "Sultanbeyli"}, "TR",
			   "Istanbul", 330000, 20000, 2018},
	[M_MERSIN] = {"mersin", {"مرسين", "Mersin", "Mersin"}, "TR", "Mersin", 1800000, 200000,
		      2018},
	[M_ANTAKYA] = {"antakya", {"أنطاكيا", "Antakya", "Antakya"}, "TR", "Hatay", 1600000,
		       440000, 2018},
	[M_ADANA] = {"adana", {"أضنة", "Adana", "Adana"}, "TR", "Adana", 2200000, 200000, 2018},
	[M_KAHRAMANMARAS] = {"kahramanmaras", {"كهرمان مرعش", "Kahramanmaraş", "Kahramanmaraş"},
			     "TR", "Kahramanmaraş", 1100000, 90000, 2018},
	[M_DUHOK] = {"duhok", {"دهوك", "Duhok", "Dohuk"}, "IQ", "Duhok", 350000, 90000, 2018},
	[M_ERBIL] = {"erbil", {"أربيل", "Erbil", "Erbil"}, "IQ", "Erbil", 1500000, 250000, 2018},
	[M_ZAKHO] = {"zakho", {"زاخو", "Zakho", "Zakho"}, "IQ", "Duhok", 250000, 60000, 2018},
	[M_SULAYMANIYAH] = {"sulaymaniyah", {"السليمانية", "Sulaymaniyah", "Souleimaniye"}, "IQ",
			    "Sulaymaniyah", 900000, 150000, 2018},
	[M_MOSUL] = {"mosul", {"الموصل", "Mosul", "Mossoul"}, "IQ", "Nineveh", 1400000, 60000,
		     2018},
	[M_KIRKUK] = {"kirkuk", {"كركوك", "Kirkuk", "Kirkouk"}, "IQ", "Kirkuk", 900000, 100000,
		      2018},
	[M_SUMEL] = {"sumel", {"سميل", "Sumel", "Sumel"}, "IQ", "Duhok", 120000, 40000, 2018},
	[M_KHANAQIN] = {"khanaqin", {"خانقين", "Khanaqin", "Khanaqin"}, "IQ", "Diyala", 180000,
			30000, 2018},
	[M_HEBRON] = {"hebron", {"الخليل", "Hebron", "Hébron"}, "PS", "Hebron", 220000, 10000,
		      2017},
	[M_NABLUS] = {"nablus", {"نابلس", "Nablus", "Naplouse"}, "PS", "Nablus", 160000, 30000,
		      2017},
	[M_RAMALLAH] = {"ramallah", {"رام الله", "Ramallah", "Ramallah"}, "PS",
			"Ramallah and al-Bireh", 40000, 5000, 2017},
	[M_JENIN] = {"jenin", {"جنين", "Jenin", "Jénine"}, "PS", "Jenin", 50000, 14000, 2017},
	[M_BETHLEHEM] = {"bethlehem", {"بيت لحم", "Bethlehem", "Bethléem"}, "PS", "Bethlehem",
			 30000, 8000, 2017},
	[M_JERICHO] = {"jericho", {"أريحا", "Jericho", "Jéricho"}, "PS", "Jericho", 25000, 8000,
		       2017},
	[M_TULKARM] = {"tulkarm", {"طولكرم", "Tulkarm", "Tulkarem"}, "PS", "Tulkarm", 65000,
		       20000, 2017},
	[M_QALQILYA] = {"qalqilya", {"قلقيلية", "Qalqilya", "Qalqilya"}, "PS", "Qalqilya", 55000,
			4000, 2017},
};

/* The 11 cross-country twinning groups formed at the LED training of March 2018. */
static const struct {
	int a, b;
	enum group_status status;
	enum theme focus;
} groups[] = {
	{M_IRBID, M_GAZIANTEP, GROUP_ACTIVE, T_WASTE},
	{M_MAFRAQ, M_KILIS, GROUP_ACTIVE, T_LIVELIHOODS},
	{M_ZARQA, M_TRIPOLI, GROUP_ACTIVE, T_FINANCE},
	{M_RAMTHA, M_ZAKHO, GROUP_PAUSED, T_COHESION},
	{M_SAHAB, M_HEBRON, GROUP_ACTIVE, T_LIVELIHOODS},
	{M_SAIDA, M_NABLUS, GROUP_COMPLETED, T_URBAN},
	{M_ZAHLE, M_DUHOK, GROUP_ACTIVE, T_WATER},
	{M_BAALBEK, M_SANLIURFA, GROUP_FORMING, T_COHESION},
	{M_TYRE, M_MERSIN, GROUP_ACTIVE, T_URBAN},
	{M_ERBIL, M_SULTANBEYLI, GROUP_COMPLETED, T_WASTE},
	{M_JENIN, M_SULAYMANIYAH, GROUP_ACTIVE, T_FINANCE},
};

#define FORMATION_EVENT "led-strategic-planning-training-beirut-2018"

/* Places that are not member municipalities. */
enum { V_MARSEILLE, V_BEIRUT, V_AMMAN, V_ISTANBUL, V_COUNT };

static const struct {
	const char *slug;
	const char *venue;			/* as stored in the event */
	const char *country;
	const char *city[LANG_COUNT];
	const char *at[LANG_COUNT];		/* "at the venue", in each language */
} venues[V_COUNT] = {
	[V_MARSEILLE] = {"marseille", "Villa Valmer", "FR", {"مرسيليا", "Marseille", "Marseille"},
			 {"في فيلا فالمر", "at Villa Valmer", "à la Villa Valmer"}},
	[V_BEIRUT] = {"beirut", "UN House", "LB", {"بيروت", "Beirut", "Beyrouth"},
		      {"في بيت الأمم المتحدة", "at UN House", "à la Maison des Nations unies"}},
	[V_AMMAN] = {"amman", "Ras Al-Ain Hangar", "JO", {"عمّان", "Amman", "Amman"},
		     {"في هنغار رأس العين", "at the Ras Al-Ain Hangar", "au hangar de Ras al-Aïn"}},
	[V_ISTANBUL] = {"istanbul", "Istanbul Congress Center", "TR",
			{"إسطنبول", "Istanbul", "Istanbul"},
			{"في مركز إسطنبول للمؤتمرات", "at the Istanbul Congress Center",
			 "au Centre des congrès d'Istanbul"}},
};

/* ---- What an event is about: its subject, with a phrase to slot into sentences
 * ("{S}": "workshop on {S}") and a name to head a title ("{N}"). Arabic uses the
 * same definite noun phrase for both. */

static const struct subject {
	const char *slug;
	enum theme theme;
	const char *phrase[LANG_COUNT];
	const char *name[LANG_COUNT];
} subjects[] = {
#define SUBJECT(slug, theme, ar, en, en_name, fr, fr_name) \
	{slug, theme, {ar, en, fr}, {ar, en_name, fr_name}}
	SUBJECT("led-strategy", T_LED, "تصميم استراتيجيات التنمية الاقتصادية المحلية",
		"the design of local economic development strategies",
		"Designing local economic development strategies",
		"la conception des stratégies de développement économique local",
		"Concevoir une stratégie de développement économique local"),
	SUBJECT("small-business", T_LED, "دعم المشاريع الصغيرة والمتناهية الصغر",
		"support to small and micro enterprises", "Supporting small and micro enterprises",
		"le soutien aux micro et petites entreprises",
		"Soutenir les micro et petites entreprises"),
	SUBJECT("public-private-dialogue", T_LED,
		"الحوار بين القطاعين العام والخاص على المستوى المحلي",
		"public-private dialogue at the local level",
		"Public-private dialogue at the local level",
		"le dialogue public-privé au niveau local",
		"Le dialogue public-privé au niveau local"),
	SUBJECT("twinning-arrangements", T_TWINNING, "الترتيبات العملية لمجموعات التوأمة",
		"the practical arrangements of twinning groups", "Twinning arrangements",
		"l'organisation pratique des groupes de jumelage", "Arrangements de jumelage"),
	SUBJECT("peer-review", T_TWINNING, "مراجعة الأقران لاستراتيجيات التنمية الاقتصادية المحلية",
		"peer review of local economic development strategies",
		"Peer review of local economic development strategies",
		"l'évaluation par les pairs des stratégies de développement économique local",
		"Évaluation par les pairs des stratégies de développement économique local"),
	SUBJECT("services-under-pressure", T_DISPLACEMENT, "الخدمات البلدية تحت ضغط النزوح",
		"municipal services under the pressure of displacement",
		"Municipal services under the pressure of displacement",
		"les services municipaux face aux déplacements de population",
		"Les services municipaux face aux déplacements de population"),
	SUBJECT("displacement-data", T_DISPLACEMENT, "بيانات النازحين لأغراض التخطيط المحلي",
		"data on displaced people for local planning",
		"Data on displaced people for local planning",
		"les données sur les personnes déplacées pour la planification locale",
		"Données sur les personnes déplacées pour la planification locale"),
	SUBJECT("urban-growth", T_URBAN, "النمو الحضري السريع في المدن المضيفة",
		"rapid urban growth in host cities", "Managing rapid urban growth",
		"la croissance urbaine rapide des villes d'accueil",
		"Maîtriser la croissance urbaine rapide"),
	SUBJECT("public-spaces", T_URBAN, "إعادة تأهيل الأماكن العامة",
		"the rehabilitation of public spaces", "Rehabilitating public spaces",
		"la réhabilitation des espaces publics", "Réhabiliter les espaces publics"),
	SUBJECT("solid-waste", T_WASTE, "إدارة النفايات الصلبة", "solid waste management",
		"Solid waste management", "la gestion des déchets solides",
		"Gestion des déchets solides"),
	SUBJECT("recycling-jobs", T_WASTE, "إعادة التدوير وخلق فرص العمل",
		"recycling and job creation", "Recycling and job creation",
		"le recyclage et la création d'emplois", "Recyclage et création d'emplois"),
	SUBJECT("water-sanitation", T_WATER, "خدمات المياه والصرف الصحي",
		"water and sanitation services", "Water and sanitation services",
		"les services d'eau et d'assainissement", "Services d'eau et d'assainissement"),
	SUBJECT("water-losses", T_WATER, "الحد من فاقد المياه", "the reduction of water losses",
		"Reducing water losses", "la réduction des pertes en eau",
		"Réduire les pertes en eau"),
	SUBJECT("social-cohesion", T_COHESION, "التماسك الاجتماعي بين المجتمعات المضيفة والنازحين",
		"social cohesion between host and displaced communities",
		"Social cohesion between host and displaced communities",
		"la cohésion sociale entre communautés d'accueil et personnes déplacées",
		"Cohésion sociale entre communautés d'accueil et personnes déplacées"),
	SUBJECT("resident-communication", T_COHESION, "التواصل مع السكان",
		"communication with residents", "Communicating with residents",
		"la communication avec les habitants", "Communiquer avec les habitants"),
	SUBJECT("own-revenue", T_FINANCE, "الإيرادات الذاتية للبلديات",
		"municipal own-source revenue", "Raising municipal own-source revenue",
		"les recettes propres des municipalités",
		"Renforcer les recettes propres des municipalités"),
	SUBJECT("development-finance", T_FINANCE, "الوصول إلى تمويل التنمية والمناخ",
		"access to development and climate finance",
		"Access to development and climate finance",
		"l'accès aux financements du développement et du climat",
		"Accès aux financements du développement et du climat"),
	SUBJECT("youth-women-jobs", T_LIVELIHOODS, "فرص العمل للشباب والنساء",
		"jobs for young people and women", "Jobs for young people and women",
		"l'emploi des jeunes et des femmes", "L'emploi des jeunes et des femmes"),
	SUBJECT("affordable-housing", T_HOUSING, "السكن الميسور والمناطق العشوائية",
		"affordable housing and informal settlements",
		"Affordable housing and informal settlements",
		"le logement abordable et l'habitat informel",
		"Logement abordable et habitat informel"),
#undef SUBJECT
};

enum {
	S_LED_STRATEGY, S_SMALL_BUSINESS, S_PPD, S_TWINNING, S_PEER_REVIEW, S_SERVICES,
	S_DISPLACEMENT_DATA, S_URBAN_GROWTH, S_PUBLIC_SPACES, S_SOLID_WASTE, S_RECYCLING,
	S_WATER_SANITATION, S_WATER_LOSSES, S_COHESION, S_COMMUNICATION, S_OWN_REVENUE,
	S_DEV_FINANCE, S_YOUTH_JOBS, S_HOUSING
};

/* ---- Sentences per event type. Slots: {S} subject phrase, {N} subject name, {C} city,
 * {D} French "de {C}" with elision, {K} country, {V} "at the venue". */

static const struct type_text {
	const char *title[LANG_COUNT];		/* in person */
	const char *title_online[LANG_COUNT];
	const char *lead[LANG_COUNT];
	const char *objectives[3][LANG_COUNT];
	int days;				/* in person; online sessions last minutes */
	int minutes;
} type_texts[EVENT_TYPE_COUNT] = {
	[EVENT_WORKSHOP] = {
		.title = {"ورشة عمل حول {S} " DASH " {C}", "Workshop on {S} " DASH " {C}",
			  "Atelier sur {S} " DASH " {C}"},
		.title_online = {"ورشة عمل عبر الإنترنت حول {S}", "Online workshop on {S}",
				 "Atelier en ligne sur {S}"},
		.lead = {
			"تجمع ورشة العمل هذه ممثلي البلديات المضيفة لتبادل الخبرات العملية حول {S}.",
			"This workshop brings together representatives of host municipalities to "
			"exchange practical experience on {S}.",
			"Cet atelier réunit des représentants des municipalités d'accueil pour "
			"échanger leurs expériences pratiques sur {S}.",
		},
		.objectives = {
			{"تبادل تجارب البلديات الأعضاء حول {S}؛",
			 "Share the experience of member municipalities on {S};",
			 "Partager l'expérience des municipalités membres sur {S}" NBSP ";"},
			{"تحديد إجراءات عملية يمكن لكل مدينة تكييفها مع سياقها؛",
			 "Identify practical measures that each city can adapt to its own context;",
			 "Identifier des mesures concrètes que chaque ville peut adapter à son "
			 "contexte" NBSP ";"},
			{"الاتفاق على خطوات المتابعة داخل الشبكة.",
			 "Agree on the follow-up within the network.",
			 "Convenir des suites à donner au sein du réseau."},
		},
		.days = 2,
		.minutes = 180,
	},
	[EVENT_WEBINAR] = {
		.title = {"[ندوة HMLN عبر الإنترنت] {N}", "[HMLN Webinar] {N}",
			  "[Webinaire HMLN] {N}"},
		.title_online = {"[ندوة HMLN عبر الإنترنت] {N}", "[HMLN Webinar] {N}",
				 "[Webinaire HMLN] {N}"},
		.lead = {
			"تعرض هذه الندوة عبر الإنترنت تجارب حديثة حول {S}، وتفتح باب النقاش مع "
			"ممثلي البلديات من مختلف أنحاء الشبكة.",
			"This webinar presents recent practice on {S} and opens the discussion to "
			"municipal representatives from across the network.",
			"Ce webinaire présente des pratiques récentes sur {S} et ouvre la discussion "
			"aux représentants municipaux de tout le réseau.",
		},
		.objectives = {
			{"عرض الممارسات والأدلة الحديثة حول {S}؛",
			 "Present recent practice and evidence on {S};",
			 "Présenter des pratiques et des données récentes sur {S}" NBSP ";"},
			{"إتاحة الفرصة للمشاركين لطرح أسئلتهم على الممارسين؛",
			 "Give participants the chance to put their questions to practitioners;",
			 "Permettre aux participants de poser leurs questions à des "
			 "praticiens" NBSP ";"},
			{"التعريف بالأدوات والموارد التي يمكن للبلديات الأعضاء استخدامها.",
			 "Point to tools and resources that member municipalities can use.",
			 "Signaler des outils et des ressources utiles aux municipalités membres."},
		},
		.days = 1,
		.minutes = 90,
	},
	[EVENT_VIRTUAL_MEETING] = {
		.title = {"[اجتماع افتراضي HMLN] {N}", "[HMLN Virtual Meeting] {N}",
			  "[Réunion virtuelle HMLN] {N}"},
		.title_online = {"[اجتماع افتراضي HMLN] {N}", "[HMLN Virtual Meeting] {N}",
				 "[Réunion virtuelle HMLN] {N}"},
		.lead = {
			"يجمع هذا الاجتماع الافتراضي أعضاء مجموعات التوأمة عبر الإنترنت لمراجعة "
			"عملهم حول {S}.",
			"This virtual meeting brings the members of the twinning groups together "
			"online to review their work on {S}.",
			"Cette réunion virtuelle rassemble en ligne les membres des groupes de "
			"jumelage pour faire le point sur leur travail concernant {S}.",
		},
		.objectives = {
			{"مراجعة التقدم الذي أحرزته كل مجموعة توأمة حول {S}؛",
			 "Review the progress of each twinning group on {S};",
			 "Faire le point sur les progrès de chaque groupe de jumelage concernant "
			 "{S}" NBSP ";"},
			{"مناقشة الصعوبات التي واجهتها المجموعات منذ الاجتماع السابق؛",
			 "Discuss the difficulties met since the last meeting;",
			 "Discuter des difficultés rencontrées depuis la dernière réunion" NBSP ";"},
			{"تحديد المواعيد والمهام للأشهر المقبلة.",
			 "Set the dates and tasks for the coming months.",
			 "Fixer les dates et les tâches des prochains mois."},
		},
		.days = 1,
		.minutes = 120,
	},
	[EVENT_TRAINING] = {
		.title = {"دورة تدريبية حول {S} " DASH " {C}", "Training on {S} " DASH " {C}",
			  "Formation sur {S} " DASH " {C}"},
		.title_online = {"دورة تدريبية عبر الإنترنت حول {S}", "Online training on {S}",
				 "Formation en ligne sur {S}"},
		.lead = {
			"تساعد هذه الدورة التدريبية موظفي البلديات على اكتساب مهارات عملية في مجال "
			"{S}.",
			"This training helps municipal staff build practical skills in {S}.",
			"Cette formation aide le personnel municipal à acquérir des compétences "
			"pratiques sur {S}.",
		},
		.objectives = {
			{"التعريف بأساليب وأدوات العمل في مجال {S}؛",
			 "Introduce methods and tools for {S};",
			 "Présenter des méthodes et des outils concernant {S}" NBSP ";"},
			{"التطبيق العملي على حالات حقيقية يقدمها المشاركون؛",
			 "Practise them on real cases brought by the participants;",
			 "Les mettre en pratique sur des cas réels apportés par les "
			 "participants" NBSP ";"},
			{"إعداد خطة عمل لكل بلدية مشاركة.",
			 "Prepare an action plan for each participating municipality.",
			 "Préparer un plan d'action pour chaque municipalité participante."},
		},
		.days = 3,
		.minutes = 180,
	},
	[EVENT_CONFERENCE] = {
		.title = {"المؤتمر الإقليمي حول {S} " DASH " {C}",
			  "Regional conference on {S} " DASH " {C}",
			  "Conférence régionale sur {S} " DASH " {C}"},
		.title_online = {"مؤتمر إقليمي عبر الإنترنت حول {S}",
				 "Online regional conference on {S}",
				 "Conférence régionale en ligne sur {S}"},
		.lead = {
			"يجمع هذا المؤتمر الإقليمي رؤساء البلديات والمسؤولين المحليين والسلطات "
			"الوطنية وشركاء التنمية لتبادل الآراء حول {S}.",
			"This regional conference gathers mayors, municipal officials, national "
			"authorities and development partners to exchange views on {S}.",
			"Cette conférence régionale réunit des maires, des responsables municipaux, "
			"des autorités nationales et des partenaires du développement pour échanger "
			"sur {S}.",
		},
		.objectives = {
			{"تقييم وضع المدن المضيفة في ما يخص {S}؛",
			 "Take stock of the situation of host cities regarding {S};",
			 "Dresser un état des lieux des villes d'accueil concernant {S}" NBSP ";"},
			{"تبادل الدروس المستفادة بين البلديات والسلطات الوطنية وشركاء التنمية؛",
			 "Share lessons between municipalities, national authorities and "
			 "development partners;",
			 "Partager les enseignements entre municipalités, autorités nationales et "
			 "partenaires du développement" NBSP ";"},
			{"صياغة توصيات لصانعي السياسات والجهات المانحة.",
			 "Formulate recommendations for policy makers and donors.",
			 "Formuler des recommandations à l'intention des décideurs et des bailleurs "
			 "de fonds."},
		},
		.days = 2,
		.minutes = 240,
	},
	[EVENT_STUDY_VISIT] = {
		.title = {"زيارة دراسية إلى {C}: {N}", "Study visit to {C}: {N}",
			  "Visite d'étude à {C}" NBSP ": {S}"},
		.title_online = {"زيارة افتراضية: {N}", "Virtual visit: {N}",
				 "Visite virtuelle" NBSP ": {S}"},
		.lead = {
			"تتيح هذه الزيارة الدراسية للمشاركين الاطلاع ميدانياً على عمل بلدية {C} في "
			"مجال {S}.",
			"This study visit lets participants see at first hand the work of the "
			"Municipality of {C} on {S}.",
			"Cette visite d'étude permet aux participants de découvrir sur le terrain le "
			"travail de la municipalité {D} sur {S}.",
		},
		.objectives = {
			{"الاطلاع ميدانياً على عمل البلدية المضيفة في مجال {S}؛",
			 "See on site how the host municipality works on {S};",
			 "Voir sur place comment la municipalité hôte travaille sur {S}" NBSP ";"},
			{"لقاء الفرق والشركاء والسكان المعنيين؛",
			 "Meet the teams, partners and residents involved;",
			 "Rencontrer les équipes, les partenaires et les habitants concernés" NBSP ";"},
			{"تحديد ما يمكن لكل بلدية زائرة أن تطبقه في مدينتها.",
			 "Identify what each visiting municipality could replicate at home.",
			 "Identifier ce que chaque municipalité visiteuse pourrait reproduire chez "
			 "elle."},
		},
		.days = 3,
		.minutes = 120,
	},
};

static const char *const part_texts[PART_COUNT][LANG_COUNT] = {
	[PART_OPEN] = {
		"المشاركة مفتوحة لجميع المهتمين، مجاناً ومن دون تسجيل.",
		"Participation is open to everyone interested, free of charge and without "
		"registration.",
		"La participation est ouverte à toute personne intéressée, gratuitement et sans "
		"inscription.",
	},
	[PART_REGISTRATION] = {
		"المشاركة مجانية لكن عدد المقاعد محدود، لذا يرجى التسجيل عبر هذه الصفحة. وتعطى "
		"الأولوية لموظفي البلديات الأعضاء.",
		"Participation is free but places are limited: please register on this page. "
		"Priority is given to the staff of member municipalities.",
		"La participation est gratuite mais les places sont limitées" NBSP ": merci de "
		"vous inscrire sur cette page. La priorité est donnée au personnel des "
		"municipalités membres.",
	},
	[PART_INVITATION] = {
		"المشاركة بناء على دعوة فقط، وهي موجهة إلى ممثلي البلديات الأعضاء في الشبكة.",
		"Participation is by invitation only. It is intended for the representatives of "
		"the member municipalities of the network.",
		"La participation se fait uniquement sur invitation. Elle s'adresse aux "
		"représentants des municipalités membres du réseau.",
	},
};

/* Where it happens: the third paragraph of a context. */
static const char *const place_hosted[LANG_COUNT] = {
	"تستضيف بلدية {C} ({K}) هذا اللقاء، ويتضمن البرنامج زيارات ميدانية ونقاشات مع "
	"العاملين في الميدان.",
	"Hosted by the Municipality of {C} ({K}), the meeting includes site visits and "
	"discussions with local practitioners.",
	"Accueillie par la municipalité {D} ({K}), la rencontre comprend des visites de "
	"terrain et des échanges avec des praticiens locaux.",
};
static const char *const place_venue[LANG_COUNT] = {
	"يعقد اللقاء {V} في {C} ({K}).",
	"The meeting takes place {V} in {C} ({K}).",
	"La rencontre se tient {V}, à {C} ({K}).",
};
static const char *const place_online[2][LANG_COUNT] = {
	{	/* open: anyone may join */
		"يعقد اللقاء عبر الإنترنت، وينشر رابط الاتصال على هذه الصفحة قبل بدئه بقليل.",
		"The meeting takes place online; the connection link is published on this page "
		"shortly before it starts.",
		"La rencontre se tient en ligne" NBSP "; le lien de connexion est publié sur cette "
		"page peu avant le début.",
	},
	{	/* registration or invitation */
		"يعقد اللقاء عبر الإنترنت، ويرسل رابط الاتصال إلى المشاركين قبل بضعة أيام.",
		"The meeting takes place online; the connection link is sent to participants a "
		"few days in advance.",
		"La rencontre se tient en ligne" NBSP "; le lien de connexion est envoyé aux "
		"participants quelques jours à l'avance.",
	},
};
static const char *const network_background[LANG_COUNT] = {
	"تربط شبكة تعلم البلديات المضيفة (HMLN)، التي يسهلها مركز التكامل المتوسطي، بين "
	"بلديات في العراق والأردن ولبنان وفلسطين وتركيا تستضيف أعداداً كبيرة من النازحين.",
	"The Host Municipalities Learning Network (HMLN), facilitated by the Center for "
	"Mediterranean Integration, connects municipalities in Iraq, Jordan, Lebanon, "
	"Palestine and Turkey that host large numbers of displaced people.",
	"Le Réseau d'apprentissage des municipalités d'accueil (HMLN), animé par le Centre "
	"pour l'intégration en Méditerranée, relie des municipalités d'Irak, de Jordanie, du "
	"Liban, de Palestine et de Turquie qui accueillent un grand nombre de personnes "
	"déplacées.",
};

/* Events with a title of their own, and a lead (replacing the type's) or an extra
 * paragraph after it. */
enum { X_NONE, X_LAUNCH, X_LED_TRAINING, X_COUNT };

static const struct {
	const char *slug;
	const char *title[LANG_COUNT];
	const char *lead[LANG_COUNT];
	const char *extra[LANG_COUNT];
} specials[X_COUNT] = {
	[X_LAUNCH] = {
		.slug = "hmln-launch-workshop-amman-2016",
		.title = {
		 "ورشة إطلاق شبكة تعلم البلديات المضيفة",
		 "Launch Workshop of the Host Municipalities Learning Network",
		 "Atelier de lancement du Réseau d'apprentissage des municipalités d'accueil"},
		.lead = {
		 "تطلق ورشة العمل هذه شبكة تعلم البلديات المضيفة: سيتفق المشاركون على المواضيع "
		 "ذات الأولوية للشبكة وعلى طريقة عمل الأعضاء معاً بين الاجتماعات، بما في ذلك "
		 "النقاشات عبر الإنترنت على منصة Collaboration4Development (C4D).",
		 "This workshop launches the Host Municipalities Learning Network: participants "
		 "will agree on the network's priority topics and on how members work together "
		 "between meetings, including online discussions on the Collaboration4Development "
		 "(C4D) platform.",
		 "Cet atelier lance le Réseau d'apprentissage des municipalités d'accueil" NBSP
		 ": les participants conviendront des thèmes prioritaires du réseau et de la "
		 "manière dont les membres travailleront ensemble entre les rencontres, notamment "
		 "par des discussions en ligne sur la plateforme Collaboration4Development (C4D)."},
	},
	[X_LED_TRAINING] = {
		.slug = FORMATION_EVENT,
		.title = {
		 "ورشة عمل تدريبية حول التخطيط الاستراتيجي للتنمية الاقتصادية المحلية في "
		 "المجتمعات المضيفة",
		 "Training Workshop on Strategic Planning for Local Economic Development in Host "
		 "Communities",
		 "Atelier de formation sur la planification stratégique du développement "
		 "économique local dans les communautés d'accueil"},
		.extra = {
		 "على مدى ثلاثة أيام، سيعمل المشاركون من العراق والأردن ولبنان وفلسطين وتركيا على "
		 "كل مرحلة من مراحل استراتيجية التنمية الاقتصادية المحلية، من تشخيص الاقتصاد "
		 "المحلي إلى خطة العمل. وفي ختام الورشة، سيشكلون مجموعات توأمة عبر البلاد تضم كل "
		 "منها بلديتين لمواصلة العمل معاً.",
		 "Over three days, participants from Iraq, Jordan, Lebanon, Palestine and Turkey "
		 "will work through each step of a local economic development strategy, from the "
		 "diagnosis of the local economy to the action plan. At the end of the workshop, "
		 "they will form cross-country twinning groups of two municipalities to carry on "
		 "the work together.",
		 "Pendant trois jours, les participants d'Irak, de Jordanie, du Liban, de Palestine "
		 "et de Turquie parcourront chaque étape d'une stratégie de développement "
		 "économique local, du diagnostic de l'économie locale au plan d'action. À la fin "
		 "de l'atelier, ils formeront des groupes de jumelage entre pays, de deux "
		 "municipalités chacun, pour poursuivre le travail ensemble."},
	},
};

/* ---- The generated events, in the order they are inserted (by date). Host: a
 * municipality (M_), a venue (VENUE(V_)) or ONLINE. Hour is local time. */

#define ONLINE (-1)
#define VENUE(v) (100 + (v))

static const struct row {
	short year;
	unsigned char month, day, hour;
	unsigned char type, subject;
	short host;
	unsigned char org, part, langs, highlight;
	signed char theme2;
	unsigned char special;
} rows[] = {
#define R(y, mo, d, h, type, subj, host, org, part, langs, hl, t2) \
	{y, mo, d, h, type, subj, host, org, part, langs, hl, t2, X_NONE}
#define X(y, mo, d, h, type, subj, host, org, part, langs, hl, t2, x) \
	{y, mo, d, h, type, subj, host, org, part, langs, hl, t2, x}
	X(2016, 6, 14, 9, EVENT_WORKSHOP, S_SERVICES, VENUE(V_AMMAN), O_CMI, PART_INVITATION,
	  L_ALL, 1, T_LED, X_LAUNCH),
	R(2016, 10, 11, 9, EVENT_WORKSHOP, S_SERVICES, M_ZARQA, O_CMI, PART_INVITATION, L_ALL, 0,
	  T_NONE),
	R(2016, 11, 22, 10, EVENT_WEBINAR, S_DISPLACEMENT_DATA, ONLINE, O_WB, PART_OPEN,
	  L_AR | L_EN, 0, T_URBAN),
	R(2016, 12, 6, 9, EVENT_TRAINING, S_OWN_REVENUE, VENUE(V_BEIRUT), O_WB, PART_REGISTRATION,
	  L_ALL, 0, T_NONE),
	R(2017, 2, 15, 10, EVENT_WEBINAR, S_SOLID_WASTE, ONLINE, O_GIZ, PART_REGISTRATION, L_ALL,
	  0, T_NONE),
	R(2017, 3, 14, 9, EVENT_STUDY_VISIT, S_SOLID_WASTE, M_GAZIANTEP, O_GAZIANTEP,
	  PART_INVITATION, L_ALL, 1, T_DISPLACEMENT),
	R(2017, 4, 25, 9, EVENT_WORKSHOP, S_URBAN_GROWTH, VENUE(V_ISTANBUL), O_UNHABITAT,
	  PART_INVITATION, L_ALL, 0, T_HOUSING),
	R(2017, 5, 17, 11, EVENT_WEBINAR, S_COHESION, ONLINE, O_CMI, PART_OPEN, L_AR, 0,
	  T_DISPLACEMENT),
	R(2017, 6, 20, 9, EVENT_CONFERENCE, S_DEV_FINANCE, VENUE(V_MARSEILLE), O_CMI,
	  PART_REGISTRATION, L_ALL, 1, T_LED),
	R(2017, 9, 12, 9, EVENT_TRAINING, S_WATER_LOSSES, M_IRBID, O_GIZ, PART_REGISTRATION,
	  L_AR | L_EN, 0, T_NONE),
	R(2017, 10, 18, 10, EVENT_WORKSHOP, S_DISPLACEMENT_DATA, ONLINE, O_CMI, PART_INVITATION,
	  L_AR | L_EN, 0, T_NONE),
	R(2017, 11, 7, 9, EVENT_STUDY_VISIT, S_WATER_SANITATION, M_ZAHLE, O_AFD, PART_INVITATION,
	  L_FR, 0, T_NONE),
	R(2017, 12, 5, 10, EVENT_WEBINAR, S_COMMUNICATION, ONLINE, O_UCLG, PART_OPEN, L_ALL, 0,
	  T_NONE),
	R(2018, 1, 23, 10, EVENT_WEBINAR, S_LED_STRATEGY, ONLINE, O_CMI, PART_REGISTRATION, L_ALL,
	  0, T_NONE),
	X(2018, 3, 27, 9, EVENT_TRAINING, S_LED_STRATEGY, VENUE(V_BEIRUT), O_CMI, PART_INVITATION,
	  L_ALL, 1, T_TWINNING, X_LED_TRAINING),
	R(2018, 5, 15, 9, EVENT_WORKSHOP, S_SMALL_BUSINESS, M_MAFRAQ, O_CMI, PART_INVITATION,
	  L_ALL, 0, T_LIVELIHOODS),
	R(2018, 9, 19, 10, EVENT_VIRTUAL_MEETING, S_PEER_REVIEW, ONLINE, O_CMI, PART_INVITATION,
	  L_ALL, 0, T_LED),
	R(2018, 10, 16, 9, EVENT_CONFERENCE, S_COHESION, VENUE(V_ISTANBUL), O_UCLG, PART_OPEN,
	  L_ALL, 0, T_DISPLACEMENT),
	R(2018, 11, 20, 9, EVENT_STUDY_VISIT, S_RECYCLING, M_SULTANBEYLI, O_UCLG, PART_INVITATION,
	  L_AR | L_EN, 0, T_LIVELIHOODS),
	R(2018, 12, 11, 11, EVENT_WEBINAR, S_YOUTH_JOBS, ONLINE, O_WB, PART_OPEN, L_AR, 0,
	  T_NONE),
	R(2019, 2, 12, 9, EVENT_TRAINING, S_PPD, M_TRIPOLI, O_TRIPOLI, PART_REGISTRATION, L_ALL,
	  0, T_NONE),
	R(2019, 3, 13, 10, EVENT_VIRTUAL_MEETING, S_TWINNING, ONLINE, O_CMI, PART_INVITATION,
	  L_ALL, 0, T_LED),
	R(2019, 4, 16, 9, EVENT_WORKSHOP, S_HOUSING, M_ERBIL, O_UNHABITAT, PART_INVITATION,
	  L_AR | L_EN, 0, T_URBAN),
	R(2019, 6, 25, 9, EVENT_CONFERENCE, S_OWN_REVENUE, VENUE(V_AMMAN), O_WB,
	  PART_REGISTRATION, L_ALL, 1, T_NONE),
	R(2019, 9, 24, 9, EVENT_STUDY_VISIT, S_SMALL_BUSINESS, M_IRBID, O_IRBID, PART_INVITATION,
	  L_ALL, 0, T_TWINNING),
	R(2019, 10, 22, 10, EVENT_WEBINAR, S_WATER_LOSSES, ONLINE, O_GIZ, PART_OPEN, L_EN, 0,
	  T_NONE),
	R(2019, 11, 26, 9, EVENT_WORKSHOP, S_COHESION, M_DUHOK, O_GIZ, PART_INVITATION,
	  L_AR | L_EN, 0, T_DISPLACEMENT),
	R(2020, 2, 18, 9, EVENT_TRAINING, S_DEV_FINANCE, VENUE(V_MARSEILLE), O_AFD,
	  PART_REGISTRATION, L_ALL, 0, T_NONE),
	R(2020, 4, 21, 11, EVENT_WEBINAR, S_SERVICES, ONLINE, O_CMI, PART_OPEN, L_ALL, 0,
	  T_NONE),
	R(2020, 5, 19, 10, EVENT_VIRTUAL_MEETING, S_PEER_REVIEW, ONLINE, O_CMI, PART_INVITATION,
	  L_AR, 0, T_LED),
	R(2020, 7, 7, 11, EVENT_WEBINAR, S_COMMUNICATION, ONLINE, O_UCLG, PART_REGISTRATION,
	  L_AR | L_EN, 0, T_NONE),
	R(2020, 10, 13, 10, EVENT_TRAINING, S_DISPLACEMENT_DATA, ONLINE, O_WB, PART_REGISTRATION,
	  L_ALL, 0, T_NONE),
	R(2020, 12, 8, 10, EVENT_VIRTUAL_MEETING, S_TWINNING, ONLINE, O_CMI, PART_INVITATION,
	  L_ALL, 0, T_LED),
	R(2021, 3, 16, 11, EVENT_WEBINAR, S_WATER_SANITATION, ONLINE, O_UNHABITAT, PART_OPEN,
	  L_FR, 0, T_NONE),
	R(2021, 5, 25, 10, EVENT_WORKSHOP, S_PPD, ONLINE, O_GIZ, PART_INVITATION, L_ALL, 0,
	  T_NONE),
	R(2021, 9, 21, 9, EVENT_STUDY_VISIT, S_PUBLIC_SPACES, M_BETHLEHEM, O_UNHABITAT,
	  PART_INVITATION, L_ALL, 0, T_COHESION),
	R(2021, 11, 16, 9, EVENT_CONFERENCE, S_YOUTH_JOBS, VENUE(V_BEIRUT), O_WB,
	  PART_REGISTRATION, L_ALL, 1, T_LED),
	R(2022, 2, 22, 10, EVENT_VIRTUAL_MEETING, S_LED_STRATEGY, ONLINE, O_CMI, PART_INVITATION,
	  L_AR, 0, T_TWINNING),
	R(2022, 4, 12, 9, EVENT_TRAINING, S_SOLID_WASTE, M_KILIS, O_GIZ, PART_REGISTRATION,
	  L_AR | L_EN, 0, T_NONE),
	R(2022, 6, 14, 9, EVENT_WORKSHOP, S_PUBLIC_SPACES, M_NABLUS, O_UNHABITAT, PART_INVITATION,
	  L_ALL, 0, T_NONE),
	R(2022, 10, 18, 11, EVENT_WEBINAR, S_HOUSING, ONLINE, O_UNHABITAT, PART_OPEN, L_EN, 0,
	  T_NONE),
	R(2022, 11, 29, 9, EVENT_STUDY_VISIT, S_WATER_LOSSES, M_SULAYMANIYAH, O_GIZ,
	  PART_INVITATION, L_AR | L_EN, 0, T_NONE),
	R(2023, 3, 7, 9, EVENT_TRAINING, S_LED_STRATEGY, M_HEBRON, O_CMI, PART_REGISTRATION,
	  L_ALL, 0, T_NONE),
	R(2023, 5, 16, 10, EVENT_WEBINAR, S_DEV_FINANCE, ONLINE, O_AFD, PART_REGISTRATION, L_ALL,
	  0, T_NONE),
	R(2023, 6, 20, 9, EVENT_CONFERENCE, S_WATER_SANITATION, VENUE(V_AMMAN), O_GIZ, PART_OPEN,
	  L_ALL, 0, T_NONE),
	R(2023, 10, 10, 10, EVENT_VIRTUAL_MEETING, S_PEER_REVIEW, ONLINE, O_CMI, PART_INVITATION,
	  L_ALL, 0, T_LED),
	R(2023, 11, 21, 9, EVENT_WORKSHOP, S_OWN_REVENUE, M_SAIDA, O_WB, PART_INVITATION, L_ALL,
	  0, T_NONE),
	R(2024, 2, 20, 11, EVENT_WEBINAR, S_RECYCLING, ONLINE, O_UCLG, PART_OPEN, L_AR, 0,
	  T_LIVELIHOODS),
	R(2024, 4, 23, 9, EVENT_STUDY_VISIT, S_SERVICES, M_MERSIN, O_UCLG, PART_INVITATION,
	  L_ALL, 0, T_NONE),
	R(2024, 6, 11, 9, EVENT_TRAINING, S_COMMUNICATION, M_ZARQA, O_CMI, PART_REGISTRATION,
	  L_AR | L_EN, 0, T_NONE),
	R(2024, 9, 17, 9, EVENT_WORKSHOP, S_HOUSING, M_ANTAKYA, O_UNHABITAT, PART_INVITATION,
	  L_ALL, 0, T_URBAN),
	R(2024, 11, 19, 10, EVENT_VIRTUAL_MEETING, S_TWINNING, ONLINE, O_CMI, PART_INVITATION,
	  L_ALL, 0, T_NONE),
	R(2025, 2, 25, 9, EVENT_CONFERENCE, S_LED_STRATEGY, VENUE(V_MARSEILLE), O_CMI,
	  PART_REGISTRATION, L_ALL, 1, T_TWINNING),
	R(2025, 4, 15, 11, EVENT_WEBINAR, S_COHESION, ONLINE, O_WB, PART_OPEN, L_ALL, 0, T_NONE),
	R(2025, 6, 17, 9, EVENT_STUDY_VISIT, S_PPD, M_ERBIL, O_GIZ, PART_INVITATION, L_ALL, 0,
	  T_NONE),
	R(2025, 10, 14, 9, EVENT_TRAINING, S_DEV_FINANCE, VENUE(V_ISTANBUL), O_WB,
	  PART_REGISTRATION, L_ALL, 0, T_NONE),
	R(2026, 3, 10, 10, EVENT_VIRTUAL_MEETING, S_DISPLACEMENT_DATA, ONLINE, O_CMI,
	  PART_INVITATION, L_AR | L_EN, 0, T_TWINNING),
	R(2026, 5, 19, 9, EVENT_WORKSHOP, S_RECYCLING, M_JENIN, O_GIZ, PART_INVITATION, L_ALL, 0,
	  T_NONE),
	R(2026, 9, 22, 11, EVENT_WEBINAR, S_SMALL_BUSINESS, ONLINE, O_CMI, PART_OPEN, L_ALL, 0,
	  T_NONE),
	R(2026, 12, 8, 10, EVENT_WEBINAR, S_WATER_LOSSES, ONLINE, O_GIZ, PART_REGISTRATION,
	  L_ALL, 1, T_NONE),
	R(2027, 2, 16, 9, EVENT_TRAINING, S_OWN_REVENUE, M_SAHAB, O_WB, PART_REGISTRATION, L_ALL,
	  0, T_NONE),
	R(2027, 4, 20, 9, EVENT_CONFERENCE, S_SERVICES, VENUE(V_BEIRUT), O_CMI,
	  PART_REGISTRATION, L_ALL, 1, T_COHESION),
	R(2027, 6, 15, 9, EVENT_STUDY_VISIT, S_YOUTH_JOBS, M_GAZIANTEP, O_UCLG, PART_INVITATION,
	  L_AR | L_EN, 0, T_NONE),
	R(2027, 10, 12, 10, EVENT_VIRTUAL_MEETING, S_PEER_REVIEW, ONLINE, O_CMI,
	  PART_INVITATION, L_ALL, 0, T_LED),
#undef R
#undef X
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* ---- The generator. */

struct zone {
	const char *tz;
	UCalendar *cal;
};

struct gen {
	struct db *db;
	struct arena *a;		/* the current batch's strings */
	struct buf tmp;			/* fill() */
	struct buf context;		/* compose() */
	struct zone zones[16];
	size_t n_zones;
	size_t done, total;		/* events saved, events to save */
	int tty;
	char err[256];
};

/* A slot of a sentence template: {key} becomes value. */
struct slot {
	char key;
	const char *value;
};

/* The template with its slots filled, in the batch arena. */
static const char *
fill(struct gen *g, const char *tmpl, const struct slot *slots, size_t n)
{
	buf_reset(&g->tmp);
	const char *p = tmpl, *q;
	while ((q = strchr(p, '{')) != NULL) {
		size_t i = n;
		if (q[1] != '\0' && q[2] == '}')
			for (i = 0; i < n && slots[i].key != q[1]; i++)
				;
		if (i < n && slots[i].value != NULL) {
			buf_append(&g->tmp, p, (size_t)(q - p));
			buf_puts(&g->tmp, slots[i].value);
			p = q + 3;
		} else {
			buf_append(&g->tmp, p, (size_t)(q - p) + 1);
			p = q + 1;
		}
	}
	buf_puts(&g->tmp, p);
	return arena_strdup(g->a, buf_cstr(&g->tmp));
}

/* French "de Zarqa" but "d'Irbid", "d'Hébron". */
static const char *
fr_of(struct gen *g, const char *city)
{
	static const char *const vowels[] = {"A", "E", "I", "O", "U", "É", "Hé"};
	for (size_t i = 0; i < sizeof(vowels) / sizeof(vowels[0]); i++)
		if (strncmp(city, vowels[i], strlen(vowels[i])) == 0)
			return arena_printf(g->a, "d'%s", city);
	return arena_printf(g->a, "de %s", city);
}

/* UTC seconds of a local date and time in IANA zone tz (ICU knows the rules of every
 * year). -1 on an ICU error. */
static int64_t
local_to_utc(struct gen *g, const char *tz, int64_t y, unsigned mo, unsigned d, int h,
	     int mi)
{
	UErrorCode status = U_ZERO_ERROR;
	UCalendar *cal = NULL;
	for (size_t i = 0; i < g->n_zones; i++)
		if (strcmp(g->zones[i].tz, tz) == 0)
			cal = g->zones[i].cal;
	if (cal == NULL) {
		UChar id[64];
		if (g->n_zones == sizeof(g->zones) / sizeof(g->zones[0]) || strlen(tz) >= 64)
			return -1;
		u_uastrcpy(id, tz);
		cal = ucal_open(id, -1, "en_US_POSIX", UCAL_GREGORIAN, &status);
		if (U_FAILURE(status))
			return -1;
		g->zones[g->n_zones].tz = tz;
		g->zones[g->n_zones].cal = cal;
		g->n_zones++;
	}
	ucal_clear(cal);
	ucal_setDateTime(cal, (int32_t)y, (int32_t)mo - 1, (int32_t)d, h, mi, 0, &status);
	UDate ms = ucal_getMillis(cal, &status);
	if (U_FAILURE(status))
		return -1;
	return (int64_t)(ms / 1000);
}

/* Shows "demo: n/total events" on a terminal. */
static void
progress(struct gen *g, int last)
{
	if (!g->tty)
		return;
	fprintf(stderr, "\rdemo: %zu/%zu events%s", g->done, g->total, last ? "\n" : "");
}

/* Saves e in the open transaction; every BATCH events, commits and starts the next
 * batch (with a fresh arena). 0 or -1 (logged). */
static int
save(struct gen *g, const struct event *e)
{
	if (events_save(g->db, e, g->err, sizeof g->err) < 0) {
		log_error("demo: event %s: %s", e->slug, g->err);
		return -1;
	}
	g->done++;
	if (g->done % BATCH == 0) {
		if (db_commit(g->db) < 0)
			return -1;
		arena_free(g->a);
		g->a = arena_new();
		progress(g, 0);
		if (db_begin(g->db) < 0)
			return -1;
	}
	return 0;
}

static int
save_seed(struct gen *g)
{
	static struct named seed_themes[2];
	seed_themes[0] = themes[T_LED];
	seed_themes[1] = themes[T_TWINNING];
	struct event e = {
		.slug = "hmln-webinar-twinning-arrangements",
		.type = EVENT_WEBINAR,
		.timezone = "Asia/Beirut",
		.is_virtual = 1,
		.organiser = organisers[O_CMI].n,
		.participation = PART_INVITATION,
		.themes = seed_themes,
		.n_themes = 2,
		.highlight = 1,
		.published = 1,
		/* invited participants get the link; the public page never shows it */
		.meeting_link = "https://meet.example.org/hmln-twinning-arrangements",
	};
	/* The page gives only the date; 10:00-12:00 in Beirut (07:00-09:00 UTC). */
	e.starts = local_to_utc(g, e.timezone, 2018, 7, 11, 10, 0);
	e.ends = local_to_utc(g, e.timezone, 2018, 7, 11, 12, 0);
	if (e.starts < 0 || e.ends < 0)
		return -1;
	e.updated = e.starts - 14 * 86400;
	for (int l = 0; l < LANG_COUNT; l++)
		e.text[l] = seed_text[l];
	return save(g, &e);
}

/* The texts of generated event e in language l. */
static void
compose(struct gen *g, const struct row *r, size_t index, int host, struct event *e, int l)
{
	const struct subject *s = &subjects[r->subject];
	const struct type_text *tt = &type_texts[r->type];
	const char *city = NULL, *country = NULL, *at = NULL;

	if (host >= 0 && host < M_COUNT) {
		city = municipalities[host].name[l];
		country = country_of(municipalities[host].country)->name[l];
	} else if (host >= VENUE(0)) {
		city = venues[host - VENUE(0)].city[l];
		country = country_of(venues[host - VENUE(0)].country)->name[l];
		at = venues[host - VENUE(0)].at[l];
	}
	const struct slot slots[] = {
		{'S', s->phrase[l]},
		{'N', s->name[l]},
		{'C', city},
		{'D', city != NULL && l == LANG_FR ? fr_of(g, city) : city},
		{'K', country},
		{'V', at},
	};
	const size_t n = sizeof(slots) / sizeof(slots[0]);
	struct event_text *t = &e->text[l];

	if (r->special != X_NONE)
		t->title = specials[r->special].title[l];
	else
		t->title = fill(g, e->is_virtual ? tt->title_online[l] : tt->title[l], slots, n);

	/* Context: the lead, why the theme matters, where, and for some the network. */
	const char *place = e->is_virtual ? place_online[r->part != PART_OPEN][l]
				: at != NULL	  ? place_venue[l]
						  : place_hosted[l];
	struct buf *b = &g->context;
	buf_reset(b);
	if (specials[r->special].lead[l] != NULL)
		buf_puts(b, specials[r->special].lead[l]);
	else
		buf_puts(b, fill(g, tt->lead[l], slots, n));
	if (specials[r->special].extra[l] != NULL) {
		buf_puts(b, "\n\n");
		buf_puts(b, specials[r->special].extra[l]);
	}
	buf_puts(b, "\n\n");
	buf_puts(b, theme_why[s->theme][l]);
	buf_puts(b, "\n\n");
	buf_puts(b, fill(g, place, slots, n));
	if (index % 3 == 0 || r->special != X_NONE) {
		buf_puts(b, "\n\n");
		buf_puts(b, network_background[l]);
	}
	t->context = arena_strdup(g->a, buf_cstr(b));

	const char **obj = arena_alloc(g->a, 3 * sizeof(*obj));
	for (int i = 0; i < 3; i++)
		obj[i] = fill(g, tt->objectives[i][l], slots, n);
	t->objectives = obj;
	t->n_objectives = 3;
	t->participation = part_texts[r->part][l];
}

/* Copy 0 is the table as written; copy k > 0 (for --scale) moves the row by a
 * deterministic number of days within two years either way, gets "-(k+1)" after its
 * slug, and, when a partner organises it, moves to another member municipality. */
static int
save_row(struct gen *g, size_t index, unsigned copy)
{
	const struct row *r = &rows[index];
	const struct type_text *tt = &type_texts[r->type];
	int host = r->host;
	if (copy > 0 && host >= 0 && host < M_COUNT && !organisers[r->org].municipal &&
	    r->special == X_NONE)
		host = (int)((host + 13 * copy) % M_COUNT);

	struct event e = {
		.type = r->type,
		.is_virtual = host == ONLINE,
		.organiser = organisers[r->org].n,
		.participation = r->part,
		.highlight = copy == 0 && r->highlight,
		.published = 1,
	};

	/* Where. */
	if (host == ONLINE)
		e.timezone = organisers[r->org].tz;
	else if (host >= VENUE(0)) {
		int v = host - VENUE(0);
		e.venue = venues[v].venue;
		e.city = venues[v].city[LANG_EN];
		e.country = venues[v].country;
		e.timezone = country_of(e.country)->tz;
	} else {
		const struct municipality *m = &municipalities[host];
		e.venue = arena_printf(g->a, "%s City Hall", m->name[LANG_EN]);
		e.city = m->name[LANG_EN];
		e.country = m->country;
		e.timezone = country_of(e.country)->tz;
	}
	/* The slug names the row as written, so copies never collide. */
	const char *base;
	if (r->special != X_NONE) {
		base = specials[r->special].slug;
	} else {
		const char *orig_place = r->host == ONLINE	   ? "online"
					 : r->host >= VENUE(0) ? venues[r->host - VENUE(0)].slug
							       : municipalities[r->host].slug;
		base = arena_printf(g->a, "%s-%s-%s-%d", subjects[r->subject].slug,
				    event_type_code(r->type), orig_place, r->year);
	}
	e.slug = copy == 0 ? base : arena_printf(g->a, "%s-%u", base, copy + 1);

	/* When. */
	int64_t day = time_days_from_civil(r->year, r->month, r->day);
	if (copy > 0)
		day += (int64_t)((copy * 7919u) % 1461u) - 730;
	int64_t y;
	unsigned mo, d;
	time_civil_from_days(day, &y, &mo, &d);
	e.starts = local_to_utc(g, e.timezone, y, mo, d, r->hour, 0);
	if (e.is_virtual || tt->days == 1) {
		e.ends = e.starts + (int64_t)tt->minutes * 60;
	} else {
		time_civil_from_days(day + tt->days - 1, &y, &mo, &d);
		e.ends = local_to_utc(g, e.timezone, y, mo, d, 17, 0);
	}
	if (e.starts < 0 || e.ends < 0) {
		log_error("demo: no time zone %s", e.timezone);
		return -1;
	}
	e.updated = e.starts - 21 * 86400;

	/* What. */
	struct named *th = arena_alloc(g->a, 2 * sizeof(*th));
	th[0] = themes[subjects[r->subject].theme];
	e.n_themes = 1;
	if (r->theme2 != T_NONE && r->theme2 != (signed char)subjects[r->subject].theme)
		th[e.n_themes++] = themes[r->theme2];
	e.themes = th;
	for (int l = 0; l < LANG_COUNT; l++)
		if (r->langs & (1 << l))
			compose(g, r, index, host, &e, l);
	return save(g, &e);
}

/* The groups were formed at the LED training: the first representative of each of their
 * municipalities was invited to it, accepted and came, so that the municipalities'
 * pages have a history. Invitations that exist already are left alone. */
static int
save_attendance(struct gen *g)
{
	struct event e;
	int rc = events_get(g->db, g->a, FORMATION_EVENT, &e);
	if (rc != 0) {
		log_error("demo: the formation event %s is %s", FORMATION_EVENT,
			  rc > 0 ? "missing" : "unreadable");
		return -1;
	}
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		const int pair[2] = {groups[i].a, groups[i].b};
		for (int k = 0; k < 2; k++) {
			struct auth_user u;
			const char *email = arena_printf(g->a, "rep.%s@%s", municipalities[pair[k]].slug,
							 NETWORK_DEMO_DOMAIN);
			char token[AUTH_TOKEN_LEN + 1];
			int64_t id;
			if (auth_user_by_email(g->db, g->a, email, &u, NULL) != 0 ||
			    (rc = invite_create(g->db, e.id, u.id, 0, 0, token, &id)) < 0 ||
			    (rc == 0 && (invite_answer(g->db, id, ANSWER_ACCEPTED, NULL) < 0 ||
					 invite_set_attended(g->db, e.id, id, 1) < 0))) {
				log_error("demo: the attendance of %s", email);
				return -1;
			}
		}
	}
	return 0;
}

static int
save_network(struct gen *g)
{
	for (size_t i = 0; i < M_COUNT; i++) {
		if (network_save_municipality(g->db, &municipalities[i], g->err, sizeof g->err) <
		    0) {
			log_error("demo: %s", g->err);
			return -1;
		}
	}
	/* The groups date from the last afternoon of the LED training in Beirut. */
	int64_t formed = 0, y;
	unsigned mo, d;
	for (size_t i = 0; i < N_ROWS; i++) {
		const struct row *r = &rows[i];
		if (r->special != X_LED_TRAINING)
			continue;
		time_civil_from_days(time_days_from_civil(r->year, r->month, r->day) +
					     type_texts[r->type].days - 1,
				     &y, &mo, &d);
		formed = local_to_utc(g, "Asia/Beirut", y, mo, d, 17, 0);
	}
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		const struct municipality *a = &municipalities[groups[i].a];
		const struct municipality *b = &municipalities[groups[i].b];
		const char *theme_slugs[2] = {themes[T_LED].slug, themes[groups[i].focus].slug};
		struct twinning_group tg = {
			.slug = arena_printf(g->a, "%s-%s", a->slug, b->slug),
			.municipality_a = a->slug,
			.municipality_b = b->slug,
			.formed_event = FORMATION_EVENT,
			.status = groups[i].status,
			.themes = theme_slugs,
			.n_themes = 2,
			.created = formed,
		};
		for (int l = 0; l < LANG_COUNT; l++)
			tg.name[l] = arena_printf(g->a, "%s " DASH " %s", a->name[l], b->name[l]);
		if (network_save_group(g->db, &tg, g->err, sizeof g->err) < 0) {
			log_error("demo: %s", g->err);
			return -1;
		}
	}
	/* accounts to try it out with (README, "Trying it out") */
	if (network_demo_accounts(g->db, g->err, sizeof g->err) < 0) {
		log_error("demo: %s", g->err);
		return -1;
	}
	return save_attendance(g);
}

int
events_demo(struct db *db, int scale)
{
	struct gen g = {.db = db, .tty = isatty(STDERR_FILENO)};
	int in_tx = 0, rc = -1;

	if (scale < 1 || scale > DEMO_SCALE_MAX) {
		log_error("demo: scale must be between 1 and %d", DEMO_SCALE_MAX);
		return -1;
	}
	buf_init(&g.tmp);
	buf_init(&g.context);
	g.a = arena_new();
	g.total = 1 + N_ROWS * (size_t)scale;

	if (db_begin(db) < 0)
		goto fail;
	in_tx = 1;
	/* The seed, the network as written and its groups fit in the first batch, so they
	 * are written all together or not at all; copies follow in batches. */
	if (save_seed(&g) < 0)
		goto fail;
	for (size_t i = 0; i < N_ROWS; i++)
		if (save_row(&g, i, 0) < 0)
			goto fail;
	if (save_network(&g) < 0)
		goto fail;
	for (unsigned k = 1; k < (unsigned)scale; k++)
		for (size_t i = 0; i < N_ROWS; i++)
			if (save_row(&g, i, k) < 0)
				goto fail;
	in_tx = 0;
	if (db_commit(db) < 0)
		goto fail;
	progress(&g, 1);
	rc = 0;
fail:
	if (in_tx)
		db_rollback(db);
	if (rc < 0 && g.tty)
		fputc('\n', stderr);
	for (size_t i = 0; i < g.n_zones; i++)
		ucal_close(g.zones[i].cal);
	arena_free(g.a);
	buf_free(&g.tmp);
	buf_free(&g.context);
	return rc;
}
