/*
 * events.h — the server-sent event stream (events.c): a broker thread that
 * reads the event log and feeds suspended libmicrohttpd responses.
 */
#ifndef CAIRN_EVENTS_H
#define CAIRN_EVENTS_H

#include <stdint.h>

#include "service/service.h"

struct events_opts {
	int64_t user_id;
	enum role role;
	char topic[64];  /* "" = every topic */
	int64_t last_id; /* Last-Event-ID, when has_last */
	int has_last;
	/* the credential's hash (svc_credential_hash): a token's when
	 * cred_token, else a session's; the stream ends once it no longer
	 * authenticates */
	char cred[65];
	int cred_token;
};

/* Start the broker on its own connection to db_url; 0 or -1. */
int events_start(const char *db_url);
/* End every stream (before the daemon stops) and the broker. */
void events_stop(void);
/* Free what is left (after the daemon stopped). */
void events_free(void);
/* Streams open now. */
int events_subscribers(void);

struct MHD_Connection;
struct MHD_Response;
/* A new subscriber's response (NULL when out of memory). */
struct MHD_Response *events_response(struct MHD_Connection *conn, const struct events_opts *o);

#endif
