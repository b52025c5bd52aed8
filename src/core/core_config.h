/* core_config: settings given on the command line, readable from every layer. */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

/* The public address of the site without a trailing slash, e.g.
 * "https://events.example.org" (used in feeds, sitemap, calendar UIDs, Open Graph).
 * Defaults to "http://" + the listen address. */
const char *config_base_url(void);
void config_set_base_url(const char *url);	/* copied; trailing "/" removed */

/* The site's name, shown in titles and feeds ("HMLN events" style), not translated. */
const char *config_site_name(void);
void config_set_site_name(const char *name);

/* Whether cookies get the Secure flag and HSTS is sent (behind TLS). */
int config_secure(void);
void config_set_secure(int on);

/* Whether a reverse proxy in front of us sets X-Forwarded-For (its last address is the
 * client's, used to throttle logins per address). Off: the socket peer is the client. */
int config_trust_proxy(void);
void config_set_trust_proxy(int on);
/* Search results (the events a text matches) kept per worker thread for reuse until
 * the data changes: paging and choosing criteria repeat the same text. 0: none. */
#define CONFIG_SEARCH_CACHE_DEFAULT 64
#define CONFIG_SEARCH_CACHE_MAX 1024
int config_search_cache(void);
void config_set_search_cache(int entries);

void config_free(void);

#endif
