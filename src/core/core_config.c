/* core_config: process-wide settings, written once at start-up before threads start. */
#include <stdlib.h>
#include <string.h>

#include "core/core_config.h"
#include "core/core_log.h"

static char *base_url;
static char *site_name;
static int secure;
static int trust_proxy;
static int search_cache = CONFIG_SEARCH_CACHE_DEFAULT;

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		die("out of memory");
	return p;
}

const char *
config_base_url(void)
{
	return base_url != NULL ? base_url : "http://127.0.0.1:8080";
}

void
config_set_base_url(const char *url)
{
	free(base_url);
	base_url = xstrdup(url);
	size_t n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		base_url[--n] = '\0';
}

const char *
config_site_name(void)
{
	return site_name != NULL ? site_name : "HMLN";
}

void
config_set_site_name(const char *name)
{
	free(site_name);
	site_name = xstrdup(name);
}

int
config_secure(void)
{
	return secure;
}

void
config_set_secure(int on)
{
	secure = on;
}

int
config_search_cache(void)
{
	return search_cache;
}

void
config_set_search_cache(int entries)
{
	search_cache = entries;
}

void
config_free(void)
{
	free(base_url);
	free(site_name);
	base_url = site_name = NULL;
}

int
config_trust_proxy(void)
{
	return trust_proxy;
}

void
config_set_trust_proxy(int on)
{
	trust_proxy = on;
}
