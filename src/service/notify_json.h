/*
 * notify_json.h — the JSON shapes of the notification inbox and of an
 * issue's watchers, one for the API and the CLI's --json.
 */
#ifndef CAIRN_NOTIFY_JSON_H
#define CAIRN_NOTIFY_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "service/service.h"

/* [{id, kind, issue: {number, title}, actor, at, read, read_at, comment,
 * state}].  New reference; NULL on allocation failure. */
json_t *notifications_to_json(const struct notification *x, size_t n);
/* {watching, count, watchers: [{login, name, since}]} */
json_t *watch_state_to_json(const struct watch_state *w);

#endif
