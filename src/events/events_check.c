/* events_check: the rules an event's fields follow, in one place for the JSON Lines
 * format (events_json.c) and the manage form (events_manage_form.c), which word them
 * for their readers. */
#include <string.h>
#include <strings.h>

#include "events/events_internal.h"

/* ISO 3166-1 alpha-2, the same 249 codes as the countries table of
 * migrations/001_events.sql (tests/unit/test_import.c checks they agree). */
static const char iso_countries[] =
	"ADAEAFAGAIALAMAOAQARASATAUAWAXAZ"
	"BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
	"CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ"
	"DEDJDKDMDODZ"
	"ECEEEGEHERESET"
	"FIFJFKFMFOFR"
	"GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY"
	"HKHMHNHRHTHU"
	"IDIEILIMINIOIQIRISIT"
	"JEJMJOJP"
	"KEKGKHKIKMKNKPKRKWKYKZ"
	"LALBLCLILKLRLSLTLULVLY"
	"MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ"
	"NANCNENFNGNINLNONPNRNUNZ"
	"OM"
	"PAPEPFPGPHPKPLPMPNPRPSPTPWPY"
	"QA"
	"RERORSRURW"
	"SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ"
	"TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ"
	"UAUGUMUSUYUZ"
	"VAVCVEVGVIVNVU"
	"WFWS"
	"YEYT"
	"ZAZMZW";

int
events_country_valid(const char *s)
{
	if (s == NULL || strlen(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z')
		return 0;
	for (size_t i = 0; iso_countries[i] != '\0'; i += 2)
		if (iso_countries[i] == s[0] && iso_countries[i + 1] == s[1])
			return 1;
	return 0;
}

int
events_slug_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > EVENTS_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-' ? s[i + 1] == '-' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

enum events_text_check
events_check_text(struct arena *a, const char *s, size_t len, enum events_text_kind kind,
		  size_t max, const char **out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t chars = 0;
	int blank = 1;
	char *copy = arena_alloc(a, len + 1), *w = copy;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		unsigned char next = i + 1 < len ? u[i + 1] : 0;
		if (c == '\r' && kind == EVENTS_MARKDOWN && next == '\n')
			continue;
		int control = c < 0x20 || c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f);
		if (control && !(kind == EVENTS_MARKDOWN && (c == '\n' || c == '\t')))
			return TEXT_CONTROL;
		if ((c & 0xc0) != 0x80)
			chars++;
		if (c != ' ' && c != '\n' && c != '\t')
			blank = 0;
		*w++ = (char)c;
	}
	*w = '\0';
	if (blank)
		return TEXT_EMPTY;
	if (chars > max)
		return TEXT_TOO_LONG;
	*out = copy;
	return TEXT_OK;
}

/* A character a URL may hold as it is (RFC 3986: unreserved, reserved, '%'). */
static int
url_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

int
events_link_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	const char *host;
	if (n == 0 || n > EVENTS_LINK_MAX)
		return 0;
	if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!url_char((unsigned char)s[i]))
			return 0;
	/* the authority: a host (a name, or an IPv6 address in brackets), an optional
	 * port, and no user name or password */
	size_t alen = strcspn(host, "/?#");
	if (alen == 0 || memchr(host, '@', alen) != NULL)
		return 0;
	size_t hlen;
	if (host[0] == '[') {
		const char *close = memchr(host, ']', alen);
		if (close == NULL || close == host + 1)
			return 0;
		hlen = (size_t)(close - host) + 1;
	} else {
		hlen = strcspn(host, ":/?#");
		if (hlen == 0 || hlen > alen)
			return 0;
		for (size_t i = 0; i < hlen; i++) {
			char c = host[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '-' || c == '.'))
				return 0;
		}
		if (host[0] == '.' || host[0] == '-')
			return 0;
	}
	if (hlen < alen) {
		if (host[hlen] != ':' || hlen + 1 == alen || alen - hlen - 1 > 5)
			return 0;
		for (size_t i = hlen + 1; i < alen; i++)
			if (host[i] < '0' || host[i] > '9')
				return 0;
	}
	return 1;
}

unsigned
events_rules_broken(const struct event *e)
{
	unsigned bad = 0;
	if (e->ends < e->starts)
		bad |= RULE_ENDS_BEFORE_STARTS;
	if (e->is_virtual && (e->venue != NULL || e->city != NULL || e->country != NULL))
		bad |= RULE_VIRTUAL_WITH_PLACE;
	if (!e->is_virtual && e->city == NULL)
		bad |= RULE_NO_CITY;
	if (!e->is_virtual && e->country == NULL)
		bad |= RULE_NO_COUNTRY;
	if (!e->is_virtual && e->meeting_link != NULL)
		bad |= RULE_LINK_IN_PERSON;
	if (e->needs_approval && e->participation != PART_REGISTRATION)
		bad |= RULE_APPROVAL_NOT_REGISTRATION;
	int titled = 0;
	for (int l = 0; l < LANG_COUNT; l++)
		titled |= e->text[l].title != NULL;
	if (!titled)
		bad |= RULE_NO_TITLE;
	return bad;
}
