/*
 * home_json.h — the JSON shape of a user's home page (GET /api/v1/home),
 * shared by the HTTP API and the CLI (`cairn home` prints its text from it).
 */
#ifndef CAIRN_HOME_JSON_H
#define CAIRN_HOME_JSON_H

#include <jansson.h>

#include "service/service.h"

/* New reference; a part the reader may not see is null. */
json_t *home_to_json(const struct home_view *h);

#endif
