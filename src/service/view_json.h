/*
 * view_json.h — the JSON shape of saved views, one for the API and the
 * CLI's --json.
 */
#ifndef CAIRN_VIEW_JSON_H
#define CAIRN_VIEW_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "service/service.h"

/* {id, name, query, sort, columns: [...], shared, owner, mine, editable,
 * created_at, updated_at} and with counts {count, count_capped} (count
 * null when the query no longer runs).  reader decides mine/editable.
 * New reference; NULL on allocation failure. */
json_t *saved_view_to_json(const struct saved_view *v, const struct user *reader, int counts);
json_t *saved_views_to_json(const struct saved_view *v, size_t n, const struct user *reader,
			    int counts);

#endif
