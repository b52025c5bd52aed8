/* network_internal: what the files of the network module share (not for other
 * modules): its pages, its API, and the views both make of a municipality. */
#ifndef NETWORK_INTERNAL_H
#define NETWORK_INTERNAL_H
#include <jansson.h>

#include "network/network.h"

/* Pages (network_page.c). */
enum http_error network_directory_page(struct request *req, struct response *res);
enum http_error network_member_page(struct request *req, struct response *res);

/* The staff's edit form (network_edit.c). */
enum http_error network_edit_form(struct request *req, struct response *res);
enum http_error network_edit(struct request *req, struct response *res);

/* JSON API (network_api.c). */
enum http_error network_api_list(struct request *req, struct response *res);
enum http_error network_api_one(struct request *req, struct response *res);

/* A group's status in the calling thread's language ("Active"). */
const char *network_status_label(enum group_status s);

/* Loads the municipality with req's {slug} (captures[n_captures - 1]) into m. HTTP_OK,
 * HTTP_ERR_NOT_FOUND or HTTP_ERR_INTERNAL. */
enum http_error network_member_of(struct request *req, struct member *m);

#endif
