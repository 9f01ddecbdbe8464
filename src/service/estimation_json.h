/*
 * estimation_json.h — estimation sessions as JSON: one shape for the API
 * and the CLI (docs/API.md, "Estimation sessions: planning poker").
 */
#ifndef CAIRN_ESTIMATION_JSON_H
#define CAIRN_ESTIMATION_JSON_H

#include <jansson.h>

#include "service/service.h"

/* New references.  A view shows values only where it holds them: a vote
 * masked by the service (VOTE_HIDDEN) is never written. */
json_t *est_view_to_json(const struct est_view *v);
json_t *est_summary_to_json(const struct est_session *x, int64_t now);

#endif
