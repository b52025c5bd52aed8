/* search_arabic: Arabic orthographic folding and a table-driven light stemmer. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/core_utf8.h"

#include "search/search_internal.h"

/*
 * Everything works on arrays of code points after NFKC + case folding (search_analyze.c).
 * arabic_fold() removes marks and folds letter variants; the stemmer then only sees
 * folded text, so a word and every spelling that folds to the same letters get the
 * same stem by construction (hamza seats, ta marbuta, alef maqsura, tashkeel...).
 * docs/search.md explains each decision with examples; tests/unit/test_analyze.c and
 * bench/analyzer_eval.tsv hold the cases.
 */

/* Analyzer word limit (code points); longer words are cut by the caller. */
#define AR_MAX 64

enum {
	HAMZA = 0x0621,
	ALEF = 0x0627,
	BEH = 0x0628,
	TEH = 0x062A,
	FEH = 0x0641,
	KAF = 0x0643,
	LAM = 0x0644,
	HEH = 0x0647,
	WAW = 0x0648,
	YEH = 0x064A,
	TATWEEL = 0x0640,
	DEL = 1,	/* fold table: delete the code point */
};

/* Letter folding for U+0600..U+06FF: each row maps [lo, hi] to `to` (DEL deletes). */
struct fold_rule {
	uint32_t lo, hi, to;
};

static const struct fold_rule fold_rules[] = {
	{0x0610, 0x061A, DEL},	 /* Quranic honorific signs and small letters */
	{0x0622, 0x0623, ALEF},	 /* آ أ */
	{0x0624, 0x0624, HAMZA}, /* ؤ: the waw seat meets the yeh seat (مسؤول/مسئول) */
	{0x0625, 0x0625, ALEF},	 /* إ */
	{0x0626, 0x0626, HAMZA}, /* ئ */
	{0x0629, 0x0629, HEH},	 /* ة */
	{0x0640, 0x0640, DEL},	 /* tatweel */
	{0x0649, 0x0649, YEH},	 /* ى */
	{0x064B, 0x065F, DEL},	 /* harakat, shadda, sukun, combining madda/hamza */
	{0x0670, 0x0670, DEL},	 /* superscript (dagger) alef */
	{0x0671, 0x0673, ALEF},	 /* ٱ (wasla), wavy hamza alefs */
	{0x0674, 0x0674, DEL},	 /* high hamza */
	{0x06A9, 0x06AA, KAF},	 /* Persian keheh ک, swash kaf */
	{0x06BE, 0x06BE, HEH},	 /* heh doachashmee */
	{0x06C0, 0x06C3, HEH},	 /* heh with yeh above, heh goal, teh marbuta goal */
	{0x06CC, 0x06CC, YEH},	 /* Persian yeh ی */
	{0x06CD, 0x06CD, YEH},
	{0x06D0, 0x06D0, YEH},
	{0x06D2, 0x06D3, YEH},	 /* yeh barree */
	{0x06D5, 0x06D5, HEH},	 /* ae */
	{0x06D6, 0x06ED, DEL},	 /* Quranic annotation marks */
};

/*
 * Lexicons. Words are written in ordinary spelling and folded (and, for keep_words,
 * stemmed) once at start-up, so a table row never has to be written in internal form.
 */

/* Words whose endings only look like suffixes: no suffix is removed from them. */
static const char *const no_suffix_words[] = {
	"فلسطين", "ثلاثين", "أربعين", "ثمانين", "ياسمين", "ملايين", "بنات", "نبات",
	"ثبات", "سبات", "فتات", "تلفزيون", "استبيان", "أذربيجان", "اطمئنان",
};

/* Stems ending in a root ت that must not become a ta marbuta before a suffix. */
static const char *const root_teh_words[] = {
	"ثابت", "مؤقت", "بيوت", "صامت", "ساكت", "سكوت", "ثبوت", "مثبت",
	"متفاوت", "كويت", "بيروت", "انترنت", "إنترنت", "كبريت", "عفريت", "مبيت", "ملفت",
	"توقيت", "تصويت", "تثبيت", "تفويت", "ياقوت", "تابوت", "ملكوت", "جبروت", "حانوت",
	"عنكبوت", "زيوت", "مقيت", "نعوت", "بيت", "وقت", "صوت", "زيت", "موت", "بنت", "سبت",
	"نبت", "كبت", "سكت", "ثبت", "شتت", "تحت", "فوت", "قوت", "حوت", "توت", "ذات", "صمت",
	"سمت", "نحت", "بخت", "لفت", "كفت", "مقت", "شمت", "بات", "مات", "فات", "كات", "بحت",
};

/* Singulars whose plural in -ات is not the plural of a feminine in -ة (X+ات -> X). */
static const char *const masc_at_words[] = {
	"لقاء", "نشاط", "قرار", "حساب", "مطار", "سجل", "حيوان", "مؤشر", "مخرج", "مدخل",
	"منتج", "مرفق", "مكون", "مخطط", "مقرر", "ملف", "بيان", "مجال", "مقال", "مشروع",
	"اتصال", "اتفاق", "اتحاد", "اتجاه", "مهرجان", "خطاب", "حمام", "منشور", "موضوع",
	"نقاش", "مسار", "مصطلح", "حوار", "شعار", "طلب", "خيار", "قطاع", "مؤهل", "سند",
	"امتياز", "تحول", "تطور", "تغير", "توجه", "تصور", "تدخل", "تقدم", "تجمع", "تنوع",
	"بروتوكول", "فيديو", "فيلم", "كمبيوتر", "تلفون", "ميكروفون", "باص",
};

/*
 * Shapes of singulars (after folding) that take a masculine -ات plural: masdars of the
 * derived verb forms and the participles that go with them. '.' is any letter, '!' any
 * letter but ي. Matched against the whole singular.
 */
static const char *const masc_at_shapes[] = {
	"ا.ت.ا.",  /* افتعال: اجتماع احتفال اقتراح */
	"ات.ا.",   /* اتّفعال: اتصال اتفاق */
	"ان..ا.",  /* انفعال: انطلاق */
	"است..ا.", /* استفعال: استثمار استعداد */
	"ا..ا.",   /* إفعال: إعلان إجراء إنجاز */
	"ت..ي.",   /* تفعيل: تدريب تقرير تقييم */
	"ت.ا..",   /* تفاعل: تبادل تفاعل */
	"ت..!",    /* تفعّل: (تحوّل تطوّر; تنمية/توصية end in ي) */
	"م.ت..",   /* مفتعل: مؤتمر مجتمع منتدى ملتقى */
	"م.ط..",   /* مفتعل after ص ض ط ظ: مصطلح */
	"مست..",   /* مستفعل: مستوى مستند */
	"مست...",  /* مستشفى مستودع */
};

/*
 * Nouns in -ية that are not the feminine of the nisba adjective in -ي: they keep
 * their ة (كلية "college" is not كلي "total", هدية "gift" is not هدي "guidance").
 */
static const char *const nisba_keep_words[] = {
	"كلية", "هدية", "هوية", "بنية", "أغنية", "ضحية", "بقية", "رعية", "هاوية", "ماشية",
	"حاشية", "تحية", "ذرية", "حرية", "أمنية", "سرية", "زاوية", "ناحية", "داعية",
	"حلية", "آنية", "جزية", "دية", "قضية", "شظية", "مطية", "عطية",
};

/*
 * Broken plurals common on the portal, with their singular: the plural gets the
 * singular's stem (مدن -> مدينة, مجالس -> مجلس). Light stemming cannot see them.
 */
static const char *const broken_plurals[][2] = {
	{"مدن", "مدينة"},	 {"دول", "دولة"},	   {"مجالس", "مجلس"},
	{"مشاريع", "مشروع"},	 {"برامج", "برنامج"},	   {"مناطق", "منطقة"},
	{"أعضاء", "عضو"},	 {"مراكز", "مركز"},	   {"تجارب", "تجربة"},
	{"ورش", "ورشة"},	 {"لجان", "لجنة"},	   {"منظمات", "منظمة"},
	{"مؤسسات", "مؤسسة"},	 {"خبراء", "خبير"},	   {"شركاء", "شريك"},
	{"قرى", "قرية"},	 {"مجتمعات", "مجتمع"},	   {"رؤساء", "رئيس"},
	{"ممثلين", "ممثل"},	 {"مشاكل", "مشكلة"},	   {"مشكلات", "مشكلة"},
	{"أفكار", "فكرة"},	 {"خدمات", "خدمة"},	   {"موارد", "مورد"},
	{"قضايا", "قضية"},	 {"أنشطة", "نشاط"},	   {"مبادئ", "مبدأ"},
	{"أهداف", "هدف"},	 {"خطط", "خطة"},	   {"استراتيجيات", "استراتيجية"},
	{"شبكات", "شبكة"},	 {"بلدان", "بلد"},	   {"محافظات", "محافظة"},
	{"مواضيع", "موضوع"},	 {"طرق", "طريقة"},	   {"وسائل", "وسيلة"},
	{"فرص", "فرصة"},	 {"تحديات", "تحدي"},	   {"حلول", "حل"},
	{"أسئلة", "سؤال"},	 {"دروس", "درس"},	   {"مدارس", "مدرسة"},
	{"جامعات", "جامعة"},	 {"أسواق", "سوق"},	   {"مواطنين", "مواطن"},
	{"سكان", "ساكن"},	 {"نساء", "امرأة"},	   {"شباب", "شاب"},
	{"أطفال", "طفل"},	 {"لاجئين", "لاجئ"},	   {"مخيمات", "مخيم"},
	{"حكومات", "حكومة"},	 {"وزارات", "وزارة"},	   {"وزراء", "وزير"},
	{"مجموعات", "مجموعة"},	 {"دورات", "دورة"},	   {"جلسات", "جلسة"},
	{"مؤتمرات", "مؤتمر"},	 {"أيام", "يوم"},	   {"شهور", "شهر"},
	{"أشهر", "شهر"},	 {"سنوات", "سنة"},	   {"أعوام", "عام"},
	{"مواقع", "موقع"},	 {"أماكن", "مكان"},	   {"أحياء", "حي"},
	{"شوارع", "شارع"},	 {"مباني", "مبنى"},	   {"مرافق", "مرفق"},
	{"أدوات", "أداة"},	 {"تقارير", "تقرير"},	   {"معايير", "معيار"},
	{"مؤشرات", "مؤشر"},	 {"نتائج", "نتيجة"},	   {"قوانين", "قانون"},
	{"أنظمة", "نظام"},	 {"لغات", "لغة"},	   {"ثقافات", "ثقافة"},
	{"دراسات", "دراسة"},	 {"بحوث", "بحث"},	   {"أبحاث", "بحث"},
	{"خرائط", "خريطة"},	 {"وثائق", "وثيقة"},	   {"اتفاقيات", "اتفاقية"},
	{"مراحل", "مرحلة"},	 {"أقاليم", "إقليم"},	   {"عواصم", "عاصمة"},
	{"بلديات", "بلدية"},
};

/*
 * Words that begin with و, ب or ل as a root letter. The proclitic reading (و "and",
 * ب "with/in", ل "for") is refused when the stem of the whole word is listed here.
 */
static const char *const keep_words[] = {
	/* و */
	"وعد", "وعود", "وعيد", "وسام", "وسيم", "وردة", "ورود", "وردي", "ورشة", "وزير",
	"وزراء", "وزارة", "وزاري", "وطني", "أوطان", "وحدة", "وحيد", "وثيقة", "وثائق",
	"وثائقي", "وكالة", "وكيل", "ولاية", "وظيفة", "وظائف", "وسائل", "وسيلة", "وسطى",
	"وسيط", "وساطة", "وصول", "وصفة", "وصية", "وصايا", "وضعية", "وفود", "وفاء", "وفاة",
	"وفيات", "وقفة", "وقود", "وقائع", "واقع", "واقعي", "وادي", "وباء", "وجود", "وجهة",
	"وجيز", "ورقة", "أوراق", "وعي", "وئام", "وجبة", "وداع", "وراثة", "وريث", "ولاء",
	"وليد", "ولادة", "وهمي", "واجب", "واجهة", "واحد", "واحدة", "واسع", "واضح", "والي",
	"والد", "والدة", "وريد", "وسوم", "وسواس", "وصلة", "وعاء", "وفرة", "وفير", "وقاية",
	"وكيلة", "ومضة", "وهلة", "وهران", "واشنطن", "وفاق", "وجدان", "ورثة", "وزن",
	"وطنية", "وظيفي", "وقائي", "ولائم", "ونيس", "وافد", "وافدين", "واحة", "وارد",
	"واردات", "واعد", "وثيق", "وجاهي", "وديعة", "وسادة", "وصف", "وضوح", "وفق",
	"وريقة", "وصيف", "وضوء", "وليمة", "وجيه", "وحيدة", "وديان", "ودائع", "وراء", "وسطي",
	"وشاح", "وصاية", "وضيع", "وعورة", "وقور", "وميض", "واسطة", "وثاق", "وجوه", "وحوش",
	"وسائط", "وكلاء", "ولاة", "وتيرة", "وطيد", "وطأة", "ويلات", "وارسو", "ويلز", "وافر",
	"وائل", "وداد", "وهيب", "وجدة", "وزان", "وجه", "وقت", "وطن", "وضع", "وفد",
	"وسط", "ولد", "ورد", "وقف", "وحي", "ودي", "ولي", "وهم", "وصل", "وزر", "وحل",
	/* ب */
	"بلدة", "بلدية", "بلدي", "بلاد", "بلدان", "بريد", "بركان", "بركة", "برنامج",
	"برامج", "بطاقة", "بعثة", "بناء", "بنية", "بيان", "بحوث", "بيئة", "بيئي", "بوابة",
	"بنوك", "بيوت", "بيروت", "بغداد", "برلمان", "برلين", "بريطانيا", "بلجيكا",
	"بروكسل", "باريس", "بكين", "باكستان", "برشلونة", "بداية", "بدائل", "بديل",
	"بدوي", "بحار", "بحري", "بحيرة", "بخار", "بذور", "بروتوكول", "بساطة", "بسيط",
	"بشري", "بصري", "بصيرة", "بطولة", "بطالة", "بطيء", "بعيد", "بقاء", "بقية", "بقعة",
	"بكالوريوس", "بلاغ", "بلوغ", "بلورة", "بناية", "بنات", "بنود", "بهجة", "بوصلة",
	"بيوع", "بينة", "بيضاء", "بيطري", "بيولوجي", "بورصة", "باحث", "باحثة", "بارز",
	"باقة", "باقي", "بائع", "بادية", "بادرة", "برمجة", "برمجيات", "بنزين", "بريء",
	"بيانات", "بئر", "بحث", "بريطاني", "بشرية", "بيئية", "بحرين", "برازيل",
	"بولندا", "بلغاريا", "بوتسوانا", "بوركينا", "بنغلاديش", "بيرو", "بنما", "بطريرك",
	"بطل", "بدر", "برج", "أبراج", "برق", "بشر", "بصر", "بعد", "بعض", "بين", "بيع",
	"باب", "بال", "بنت", "بند", "بنك", "بيت", "بلد", "بحر", "برد", "بذل", "بئة", "برهان",
	"بلاط", "بلوك", "بيئات", "بشارة", "بستان", "بضاعة", "بضائع", "بطانية", "بطيخ",
	"بقالة", "بلاستيك", "بنفسج", "بهار", "بوليصة", "بيداغوجي", "بيعة", "بلسم",
	"بريق", "بقرة", "بدين", "بذرة", "بدلة", "بسمة", "بصمة", "بيضة", "بشير", "برود",
	"بخيل", "بليغ", "بديع", "بحرية", "برتقال", "بطاطا", "بسكويت", "بلوط", "بندقية",
	"باص", "باخرة", "بارود", "باطن", "باطل", "باهظ", "بخور", "بدعة", "براءة", "براعة",
	"برعم", "برقية", "برميل", "بروز", "بساط", "بستاني", "بشرة", "بصيص", "بطريق",
	"بعوض", "بكاء", "بلاء", "بلبل", "بليون", "بلوى", "بنان", "بندق", "بهاء", "بهلوان",
	"بيولوجيا", "برتغال", "بنغازي", "بعلبك", "بنزرت", "بسكرة", "بجاية", "بليدة",
	"بورسعيد", "بلقاء", "بترون", "بعبدا", "بسام", "بشار", "بلال", "باسل", "باسم",
	"بثينة", "بشرى", "بيرزيت", "بغل", "بدل", "بدء", "بدن", "بطن", "بكر",
	/* ل */
	"لجنة", "لجان", "لقاء", "لغة", "لبنان", "ليبيا", "لندن", "لاهاي", "لوحة", "لائحة",
	"لوائح", "لحظة", "ليلة", "لعبة", "لقاح", "لياقة", "لباس", "لحوم", "لطيف", "لؤلؤ",
	"لاعب", "لاجئ", "لازم", "لامركزية", "لمسة", "لهجة", "ليون", "لشبونة", "لوجستي",
	"لوجستية", "ليبرالي", "لوكسمبورغ", "لبناني", "لبنانية", "ليبي", "لاتيني", "لائق",
	"لجوء", "ليمون", "لواء", "لوبي", "لحن", "ألحان", "لقب", "ألقاب", "لياقات",
	"لوازم", "لوحات", "لطائف", "لغوي", "لقطة", "لعاب", "ليبيري", "ليتوانيا", "لاتفيا",
	"لسان", "لقمة", "لمحة", "لهيب", "لباقة", "لبنة", "لجام", "لحاف", "لحية", "لحاق",
	"لزوم", "لسعة", "لصوص", "لعنة", "لفافة", "لفتة", "لقيط", "لمعان", "لهفة", "ليرة",
	"ليزر", "ليمونة", "لينة", "لافتة", "لاحقة", "لاحق", "لامع", "لاهوت", "لبيب", "لوحي",
	"لوغو", "لاسلكي", "لاذقية", "لارنكا", "لوزان", "لييج", "لينا", "ليلى", "لميس",
};

/*
 * Words that begin with ال (after folding) without the article: hamzated alef +
 * lam (إلغاء إلزام ألبوم) typed without hamza, form VIII of ل-initial roots (التزام
 * التقاء), relative pronouns. A row ending in '*' matches the word alone or followed
 * by one of alef_lam_endings; other rows match the whole word.
 */
static const char *const alef_lam_words[] = {
	"إلكترون*", "التزام*", "التقاء*", "التحاق*", "التماس*", "التفات*", "التفاف*",
	"التهاب*", "التباس*", "التقاط*", "التئام*", "إلغاء*", "إلقاء*", "إلحاق*",
	"إلزام*", "ألماني*", "ألبوم*", "الذي", "التي", "الذين", "اللذين", "اللتين",
	"اللذان", "اللتان", "اللاتي", "اللواتي", "الآن", "آلات", "آلاف", "إليه", "آليات",
	"الله", "والد", "والدة", "والدين", "والدان", "والدي", "والديه",
};

/* What may follow a '*' row of alef_lam_words (التزامات, الكترونية; not التزامن
 * "the synchronization", nor القائمة "the list" after إلقاء). */
static const char *const alef_lam_endings[] = {
	"ه", "ها", "هم", "هن", "هما", "كم", "كما", "نا", "ي", "يه", "يا", "يات", "يين",
	"يون", "يان", "ات", "اته", "اتها", "اتهم", "ين", "ون", "ان", "ا",
};

/* Proclitic clusters that end in the article, longest first (the first match wins). */
enum clitic_kind { CL_ART, CL_LL };

struct clitic {
	const char *text;
	unsigned min_rest;	/* letters that must remain */
	enum clitic_kind kind;
};

static const struct clitic clitics[] = {
	{"وبال", 3, CL_ART}, {"وكال", 3, CL_ART}, {"فبال", 3, CL_ART},
	{"فكال", 3, CL_ART}, {"ولل", 2, CL_LL},	  {"فلل", 2, CL_LL},
	{"وال", 3, CL_ART},  {"فال", 3, CL_ART},  {"بال", 3, CL_ART},
	{"كال", 3, CL_ART},  {"لل", 2, CL_LL},	  {"ال", 2, CL_ART},
};

/*
 * Pronoun (and verb plural) suffixes, longest first: one is removed when at least 3
 * letters remain and the letter before it is not ا (تفاهم, مساهم, أحيانا, محاكم keep
 * theirs). ه, ك and ي alone are only removed after a ta marbuta written ت (below):
 * after folding, a final ه is also the ta marbuta itself.
 */
struct suffix {
	const char *text;
	int verb;	/* a verb ending: no ت -> ة restoration after it */
};

static const struct suffix pronoun_suffixes[] = {
	{"كما", 0}, {"هما", 0}, {"هم", 0}, {"هن", 0}, {"كم", 0},
	{"كن", 0},  {"نا", 0},  {"ها", 0}, {"وا", 1},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Compiled forms, filled once. A lexicon is an open-addressing hash set of keys (one
 * byte per letter, code point - 0x600). */
struct lex_key {
	uint8_t n;
	uint16_t value;		/* plural_from: index in plural_to */
	uint8_t k[22];
};

struct lexicon {
	struct lex_key *slots;	/* an empty slot has n == 0 */
	size_t mask;		/* capacity - 1 */
	uint64_t last[4];	/* bit set of the keys' last bytes: a cheap first test */
};

struct affix {
	uint32_t c[6];
	size_t n;
};

static struct {
	uint16_t fold[256];	/* U+0600..U+06FF: 0 keep, DEL, or target */
	struct lexicon no_suffix, root_teh, masc_at, nisba_keep, keep, alef_lam;
	struct lexicon plural_from;		/* broken plural -> index in plural_to */
	struct lex_key plural_to[NELEM(broken_plurals)]; /* singular stems */
	struct lex_key alef_lam_prefix[NELEM(alef_lam_words)]; /* rows ending in '*' */
	size_t n_alef_lam_prefix;
	struct affix shapes[NELEM(masc_at_shapes)];
	struct affix clitic[NELEM(clitics)];
	struct affix pronoun[NELEM(pronoun_suffixes)];
	struct affix at, teen, tan, een, oon, aan, stan;
	struct affix endings[NELEM(alef_lam_endings)];
	int ok;
} ar;

static pthread_once_t ar_once = PTHREAD_ONCE_INIT;

/* Hash set storage: a power of two at least twice the rows (no allocation). */
static struct lex_key no_suffix_slots[64], root_teh_slots[256], masc_at_slots[256],
	nisba_keep_slots[128], keep_slots[1024], alef_lam_slots[128], plural_slots[512];

_Static_assert(2 * NELEM(no_suffix_words) <= NELEM(no_suffix_slots), "no_suffix_slots");
_Static_assert(2 * NELEM(root_teh_words) <= NELEM(root_teh_slots), "root_teh_slots");
_Static_assert(2 * NELEM(masc_at_words) <= NELEM(masc_at_slots), "masc_at_slots");
_Static_assert(2 * NELEM(nisba_keep_words) <= NELEM(nisba_keep_slots), "nisba_keep_slots");
_Static_assert(2 * NELEM(keep_words) <= NELEM(keep_slots), "keep_slots");
_Static_assert(2 * NELEM(alef_lam_words) <= NELEM(alef_lam_slots), "alef_lam_slots");
_Static_assert(2 * NELEM(broken_plurals) <= NELEM(plural_slots), "plural_slots");

/* Decodes UTF-8 s into a (at most 6 code points); '.' and '!' become 0 and 1. */
static void
affix_set(struct affix *a, const char *s)
{
	size_t len = strlen(s), i = 0;
	a->n = 0;
	while (i < len && a->n < NELEM(a->c)) {
		uint32_t cp;
		int l = utf8_decode(s + i, len - i, &cp);
		if (l < 0)
			break;
		a->c[a->n++] = cp == '.' ? 0 : cp == '!' ? 1 : cp;
		i += (size_t)l;
	}
}

/* Decodes UTF-8 s into w (at most max code points); returns the count. */
static size_t
decode(const char *s, uint32_t *w, size_t max)
{
	size_t len = strlen(s), i = 0, n = 0;
	while (i < len && n < max) {
		uint32_t cp;
		int l = utf8_decode(s + i, len - i, &cp);
		if (l < 0)
			break;
		w[n++] = cp;
		i += (size_t)l;
	}
	return n;
}

static int
ends_with(const uint32_t *w, size_t n, const struct affix *a)
{
	if (n < a->n)
		return 0;
	w += n - a->n;
	for (size_t i = a->n; i-- > 0;)
		if (w[i] != a->c[i])
			return 0;
	return 1;
}

static int
starts_with(const uint32_t *w, size_t n, const struct affix *a)
{
	if (n < a->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (w[i] != a->c[i])
			return 0;
	return 1;
}

/* The lexicon key of w; 0 if w has a code point outside U+0621..U+06FF or is too
 * long for a key. */
static int
key_of(const uint32_t *w, size_t n, struct lex_key *k)
{
	if (n == 0 || n > sizeof(k->k))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < 0x0621 || w[i] > 0x06FF)
			return 0;
		k->k[i] = (uint8_t)(w[i] - 0x0600);
	}
	k->n = (uint8_t)n;
	k->value = 0;
	return 1;
}

static size_t
key_hash(const struct lex_key *k)
{
	uint32_t h = 2166136261u ^ k->n;
	for (size_t i = 0; i < k->n; i++)
		h = (h ^ k->k[i]) * 16777619u;
	return h;
}

static int
key_eq(const struct lex_key *a, const struct lex_key *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->k[i] != b->k[i])
			return 0;
	return 1;
}

static const struct lex_key *
lex_find(const struct lexicon *lex, const uint32_t *w, size_t n)
{
	struct lex_key k;
	if (lex->slots == NULL || n == 0 || w[n - 1] < 0x0600 || w[n - 1] > 0x06FF)
		return NULL;
	uint32_t b = w[n - 1] - 0x0600;
	if (!(lex->last[b >> 6] & (1ull << (b & 63))) || !key_of(w, n, &k))
		return NULL;
	for (size_t h = key_hash(&k) & lex->mask;; h = (h + 1) & lex->mask) {
		const struct lex_key *e = &lex->slots[h];
		if (e->n == 0)
			return NULL;
		if (key_eq(e, &k))
			return e;
	}
}

static int
lex_has(const struct lexicon *lex, const uint32_t *w, size_t n)
{
	return lex_find(lex, w, n) != NULL;
}

static void
lex_use(struct lexicon *lex, struct lex_key *slots, size_t cap)
{
	lex->slots = slots;
	lex->mask = cap - 1;
}

static void
lex_insert(struct lex_key *slots, size_t cap, const struct lex_key *k)
{
	size_t h = key_hash(k) & (cap - 1);
	while (slots[h].n != 0 && !key_eq(&slots[h], k))
		h = (h + 1) & (cap - 1);
	slots[h] = *k;
}

/* alef_lam_words: a whole-word row equal to w, or a '*' row that begins w. Only
 * words that begin with ال or وال can match. */
static int
alef_lam_has(const uint32_t *w, size_t n)
{
	if (n < 3)
		return 0;
	if (w[0] == WAW)
		return w[1] == ALEF && w[2] == LAM && lex_has(&ar.alef_lam, w, n);
	if (w[0] != ALEF || w[1] != LAM)
		return 0;
	if (lex_has(&ar.alef_lam, w, n))
		return 1;
	for (size_t i = 0; i < ar.n_alef_lam_prefix; i++) {
		const struct lex_key *e = &ar.alef_lam_prefix[i];
		size_t j = 2;
		if (e->n > n)
			continue;
		while (j < e->n && w[j] == 0x0600u + e->k[j])
			j++;
		if (j < e->n)
			continue;
		if (j == n)
			return 1;
		for (size_t k = 0; k < NELEM(alef_lam_endings); k++)
			if (ar.endings[k].n == n - j && ends_with(w, n, &ar.endings[k]))
				return 1;
	}
	return 0;
}

size_t arabic_fold(uint32_t *w, size_t n);
static size_t strip_suffixes(uint32_t *w, size_t n);

/* Fills a lexicon from words: folded, then stemmed by suffix removal when stem.
 * Rows ending in '*' go to the prefix list (alef_lam_words). */
static void
lex_build(struct lexicon *lex, struct lex_key *slots, size_t cap, const char *const *words,
	  size_t count, int stem)
{
	for (size_t i = 0; i < count; i++) {
		uint32_t w[AR_MAX + 2];
		size_t len = strlen(words[i]);
		int prefix = len > 0 && words[i][len - 1] == '*';
		size_t n = decode(words[i], w, AR_MAX);
		if (prefix)
			n--;
		n = arabic_fold(w, n);
		if (stem)
			n = strip_suffixes(w, n);
		struct lex_key k;
		if (!key_of(w, n, &k))
			continue;
		if (!prefix) {
			lex_insert(slots, cap, &k);
			lex->last[k.k[k.n - 1] >> 6] |= 1ull << (k.k[k.n - 1] & 63);
		}
		else
			ar.alef_lam_prefix[ar.n_alef_lam_prefix++] = k;
	}
	/* published last: lookups made while building see an empty lexicon */
	lex_use(lex, slots, cap);
}

/* Builds plural_from (stems of the plurals) and plural_to (stems of their
 * singulars, indexed by plural_from's value). */
static void
plurals_build(void)
{
	size_t count = NELEM(broken_plurals);
	for (size_t i = 0, m = 0; i < count; i++) {
		uint32_t p[AR_MAX + 2], q[AR_MAX + 2];
		struct lex_key from;
		size_t pn = arabic_fold(p, decode(broken_plurals[i][0], p, AR_MAX));
		size_t qn = arabic_fold(q, decode(broken_plurals[i][1], q, AR_MAX));
		pn = strip_suffixes(p, pn);
		qn = strip_suffixes(q, qn);
		if (!key_of(p, pn, &from) || !key_of(q, qn, &ar.plural_to[m]))
			continue;
		from.value = (uint16_t)m++;
		lex_insert(plural_slots, NELEM(plural_slots), &from);
		ar.plural_from.last[from.k[pn - 1] >> 6] |= 1ull << (from.k[pn - 1] & 63);
	}
	lex_use(&ar.plural_from, plural_slots, NELEM(plural_slots));
}

static void
ar_init(void)
{
	for (size_t i = 0; i < NELEM(fold_rules); i++)
		for (uint32_t c = fold_rules[i].lo; c <= fold_rules[i].hi; c++)
			ar.fold[c - 0x0600] = (uint16_t)fold_rules[i].to;
	for (size_t i = 0; i < NELEM(masc_at_shapes); i++)
		affix_set(&ar.shapes[i], masc_at_shapes[i]);
	for (size_t i = 0; i < NELEM(clitics); i++)
		affix_set(&ar.clitic[i], clitics[i].text);
	for (size_t i = 0; i < NELEM(pronoun_suffixes); i++)
		affix_set(&ar.pronoun[i], pronoun_suffixes[i].text);
	for (size_t i = 0; i < NELEM(alef_lam_endings); i++)
		affix_set(&ar.endings[i], alef_lam_endings[i]);
	affix_set(&ar.at, "ات");
	affix_set(&ar.teen, "تين");
	affix_set(&ar.tan, "تان");
	affix_set(&ar.een, "ين");
	affix_set(&ar.oon, "ون");
	affix_set(&ar.aan, "ان");
	affix_set(&ar.stan, "ستان");
	/* Order matters: keep_words are stemmed with the other tables in place. */
	lex_build(&ar.no_suffix, no_suffix_slots, NELEM(no_suffix_slots), no_suffix_words,
		  NELEM(no_suffix_words), 0);
	lex_build(&ar.root_teh, root_teh_slots, NELEM(root_teh_slots), root_teh_words,
		  NELEM(root_teh_words), 0);
	lex_build(&ar.masc_at, masc_at_slots, NELEM(masc_at_slots), masc_at_words,
		  NELEM(masc_at_words), 0);
	lex_build(&ar.alef_lam, alef_lam_slots, NELEM(alef_lam_slots), alef_lam_words,
		  NELEM(alef_lam_words), 0);
	lex_build(&ar.nisba_keep, nisba_keep_slots, NELEM(nisba_keep_slots), nisba_keep_words,
		  NELEM(nisba_keep_words), 0);
	plurals_build();
	lex_build(&ar.keep, keep_slots, NELEM(keep_slots), keep_words, NELEM(keep_words), 1);
	ar.ok = 1;
}

/* Initializes the tables once (static storage, nothing to free). Returns 0. */
int
arabic_init(void)
{
	pthread_once(&ar_once, ar_init);
	return ar.ok ? 0 : -1;
}

/* 1 for the code points that make a word Arabic-script (letters of the Arabic
 * blocks, including presentation forms before NFKC). */
int
arabic_is_letter(uint32_t cp)
{
	if (cp >= 0x0620 && cp <= 0x06FF)
		return (cp <= 0x064A || cp >= 0x066E) && !(cp >= 0x06D6 && cp <= 0x06ED) &&
		       !(cp >= 0x06F0 && cp <= 0x06F9) && cp != 0x06D4;
	return (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08C9) ||
	       (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC);
}

/*
 * Folds an NFKC-normalized, case-folded Arabic-script word in place: deletes tashkeel,
 * tatweel and Quranic marks, maps أ إ آ ٱ to ا, ؤ ئ to ء, ى ی to ي, ة to ه, ک to ك.
 * Other combining marks are deleted too. Returns the new length.
 */
size_t
arabic_fold(uint32_t *w, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = w[i];
		if (c >= 0x0600 && c <= 0x06FF) {
			uint16_t f = ar.fold[c - 0x0600];
			if (f == DEL)
				continue;
			if (f != 0)
				c = f;
		} else if (c >= 0x0300 && c <= 0x036F) {
			continue;
		}
		w[o++] = c;
	}
	/* Final "يء" is the same word as final "ئ" (شيء/شئ, بريء/برئ). */
	if (o >= 3 && w[o - 2] == YEH && w[o - 1] == HAMZA) {
		w[o - 2] = HAMZA;
		o--;
	}
	return o;
}

/* 1 when the singular x[0..n) matches a masculine -ات shape. */
static int
shape_match(const uint32_t *x, size_t n)
{
	for (size_t i = 0; i < NELEM(masc_at_shapes); i++) {
		const struct affix *s = &ar.shapes[i];
		if (s->n != n)
			continue;
		size_t j = 0;
		for (; j < n; j++) {
			if (s->c[j] == 0)
				continue;
			if (s->c[j] == 1) {
				if (x[j] == YEH)
					break;
				continue;
			}
			if (s->c[j] != x[j])
				break;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

/* Plural and dual endings: ات (feminine unless the singular is known masculine),
 * تين/تان (feminine dual), ين ون (≥ 4 letters left, not after ا), ان (≥ 5 letters
 * left, not in ـستان). */
static size_t
strip_number(uint32_t *w, size_t n)
{
	if (n >= 4 && ends_with(w, n, &ar.at)) {
		size_t x = n - 2;
		if (lex_has(&ar.masc_at, w, x) || shape_match(w, x))
			return x;
		w[x] = HEH;
		return x + 1;
	}
	if (n >= 5 && (ends_with(w, n, &ar.teen) || ends_with(w, n, &ar.tan)) &&
	    !lex_has(&ar.root_teh, w, n - 2)) {
		w[n - 3] = HEH;
		return n - 2;
	}
	/* not after ا: تعاون, تتعاون, تباين are hollow roots */
	if (n >= 6 && (ends_with(w, n, &ar.een) || ends_with(w, n, &ar.oon)) && w[n - 3] != ALEF)
		return n - 2;
	if (n >= 7 && ends_with(w, n, &ar.aan) && !ends_with(w, n, &ar.stan))
		return n - 2;
	return n;
}

/*
 * Removes suffixes from a folded word in place (w has room for AR_MAX + 2 code points:
 * a broken plural is replaced by the stem of its singular, which may be longer):
 * one pronoun suffix (with ت -> ة restoration), then one plural/dual ending, then
 * folds the feminine nisba ـية into ـي. Returns the new length.
 */
static size_t
strip_suffixes(uint32_t *w, size_t n)
{
	int pron = 0, verb = 0;
	if (n < 3 || lex_has(&ar.no_suffix, w, n))
		goto final;
	for (size_t i = 0; i < NELEM(pronoun_suffixes); i++) {
		const struct affix *a = &ar.pronoun[i];
		if (n >= a->n + 3 && ends_with(w, n, a) && w[n - a->n - 1] != ALEF) {
			n -= a->n;
			pron = 1;
			verb = pronoun_suffixes[i].verb;
			break;
		}
	}
	/* ه ك ي alone: only after ت (مدينته, مدينتك, مجموعتي) */
	if (!pron && n >= 4 && w[n - 2] == TEH && (w[n - 1] == HEH || w[n - 1] == KAF)) {
		n--;
		pron = 1;
	} else if (!pron && n >= 5 && w[n - 2] == TEH && w[n - 1] == YEH &&
		   w[n - 3] != ALEF) {
		n--;
		pron = 1;
	}
	if (pron && !verb && w[n - 1] == TEH && !lex_has(&ar.root_teh, w, n)) {
		if (w[n - 2] != ALEF) {
			w[n - 1] = HEH; /* مكتبتنا -> مكتبة */
			goto final;
		}
		if (n == 4) {
			w[n - 1] = HEH; /* حياتها -> حياة */
			goto final;
		}
		/* longer ـات: the plural, below */
	}
	if (pron && w[n - 1] == TEH && n < 5)
		goto final;
	if (!lex_has(&ar.no_suffix, w, n))
		n = strip_number(w, n);
final:;
	const struct lex_key *pl = lex_find(&ar.plural_from, w, n);
	if (pl != NULL) {
		const struct lex_key *to = &ar.plural_to[pl->value];
		for (size_t i = 0; i < to->n; i++)
			w[i] = 0x0600 + to->k[i];
		return to->n;
	}
	if (n >= 4 && w[n - 2] == YEH && w[n - 1] == HEH && !lex_has(&ar.nisba_keep, w, n))
		n--; /* اقتصادية -> اقتصادي */
	return n;
}

static int
all_letters(const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(w[i] >= 0x0621 && w[i] <= 0x064A) && w[i] != 0x067E && w[i] != 0x0686 &&
		    w[i] != 0x0698 && w[i] != 0x06AF)
			return 0;
	return 1;
}

/* Copies w[0..n) to out and removes its suffixes; returns the length. */
static size_t
suffixed(const uint32_t *w, size_t n, uint32_t *out)
{
	memcpy(out, w, n * sizeof(*w));
	return strip_suffixes(out, n);
}

/*
 * How many leading code points are an article cluster (ال وال بال كال فال لل ولل
 * وبال ...), 0 if none. Not when fewer letters than the cluster's minimum would remain,
 * nor when the word from its ال is listed in alef_lam_words (then only the letters
 * before ال go: والتزام -> التزام). After لل the word may itself begin with ل
 * (للجنة = ل + اللجنة): the ل is kept when that reading is a listed word.
 * typed_prefix: w is the beginning of a word typed in a prefix query (بالتع*): one
 * remaining letter is enough.
 */
static size_t
article_length(const uint32_t *w, size_t n, int typed_prefix)
{
	if (w[0] != ALEF && w[0] != WAW && w[0] != FEH && w[0] != BEH && w[0] != KAF &&
	    w[0] != LAM)
		return 0;
	if (alef_lam_has(w, n))
		return 0;
	for (size_t i = 0; i < NELEM(clitics); i++) {
		const struct affix *a = &ar.clitic[i];
		if (!starts_with(w, n, a))
			continue;
		if (n < a->n + (typed_prefix ? 1 : clitics[i].min_rest))
			return 0;
		if (clitics[i].kind == CL_ART) {
			size_t at = a->n - 2;
			return alef_lam_has(w + at, n - at) ? at : a->n;
		}
		uint32_t s[AR_MAX + 2];
		size_t sn = suffixed(w + a->n - 1, n - a->n + 1, s);
		return lex_has(&ar.keep, s, sn) ? a->n - 1 : a->n;
	}
	return 0;
}

static int
starts_article(const uint32_t *w, size_t n)
{
	return n >= 2 && w[0] == ALEF && w[1] == LAM;
}

/* 1 when the stem s is a keep_words entry, or one followed by the possessive ه or
 * the accusative ا (بلاده, وجهاً, بدلاً): then its first letter is a root letter. */
static int
keep_initial(const uint32_t *s, size_t n)
{
	return lex_has(&ar.keep, s, n) ||
	       (n >= 4 && (s[n - 1] == HEH || s[n - 1] == ALEF) && lex_has(&ar.keep, s, n - 1));
}

/*
 * Stem of t after the article: a leading و (conjunction), ب or ل (prepositions) is
 * removed when the stem with the letter has at least 4 letters, the rest does not
 * begin with ال and the stem with the letter is not a keep_words entry; then the
 * rest is stemmed the same way (وبمشاركة -> مشاركة), so a word and its form with
 * a removed proclitic always share their stem. Writes to out, returns the length.
 */
static size_t
stem_rest(const uint32_t *t, size_t m, uint32_t *out)
{
	size_t sn = suffixed(t, m, out);
	if (m >= 2 && (t[0] == WAW || t[0] == BEH || t[0] == LAM) && sn >= 4 &&
	    !starts_article(t + 1, m - 1) && !keep_initial(out, sn))
		return stem_rest(t + 1, m - 1, out);
	return sn;
}

/*
 * The prefix form of a folded word, in place: the article cluster removed (see
 * article_length), nothing else. Used as the colocated surface token of a document
 * word, and (typed_prefix) for the word of a prefix query. Returns the new length.
 */
size_t
arabic_prefix_form(uint32_t *w, size_t n, int typed_prefix)
{
	if (!ar.ok || n < 2)
		return n;
	size_t off = article_length(w, n, typed_prefix);
	memmove(w, w + off, (n - off) * sizeof(*w));
	return n - off;
}

/*
 * Stems a folded word in place: article cluster, conjunction و, preposition ب/ل
 * (guarded), pronoun suffix, plural/dual ending. Words with code points other than
 * Arabic letters (digits, Latin) are left alone. w must have room for AR_MAX + 2 code
 * points. Returns the new length (never 0 for n > 0).
 */
size_t
arabic_stem(uint32_t *w, size_t n)
{
	if (!ar.ok || n < 2 || n > AR_MAX || !all_letters(w, n))
		return n;
	uint32_t out[AR_MAX + 2];
	size_t off = article_length(w, n, 0);
	size_t sn = stem_rest(w + off, n - off, out);
	if (sn == 0)
		return n;
	memcpy(w, out, sn * sizeof(*w));
	return sn;
}
