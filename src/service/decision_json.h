/*
 * decision_json.h — decisions as JSON: one shape for the API and the CLI
 * (docs/API.md, "Product decisions").
 */
#ifndef CAIRN_DECISION_JSON_H
#define CAIRN_DECISION_JSON_H

#include <jansson.h>

#include "service/service.h"

/* New reference.  A view has RACI, links, snapshot, today and signals;
 * a list item (view NULL, d only) has none of those. */
json_t *decision_to_json(const struct decision *d, const struct decision_view *view);

#endif
