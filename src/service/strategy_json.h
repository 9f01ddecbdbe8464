/*
 * strategy_json.h — strategy, objectives, initiatives, allocation and the
 * roadmap as JSON and as Markdown: one shape for the API and the CLI
 * (docs/API.md, "Strategy and roadmap").
 */
#ifndef CAIRN_STRATEGY_JSON_H
#define CAIRN_STRATEGY_JSON_H

#include <jansson.h>

#include "service/service.h"

/* A day as "YYYY-MM-DD", or null for STRAT_NONE (new reference). */
json_t *json_day_or_null(int64_t day);
/* New references; NULL on allocation failure. */
json_t *strategy_to_json(const struct strategy_view *v);
json_t *initiative_to_json(const struct strategy_view *v, const struct initiative_view *iv);
json_t *objective_to_json(const struct strategy_view *v, size_t k);
json_t *pillar_strategy_json(const struct strategy_view *v, size_t k);
json_t *version_to_json(const struct strategy_version *sv, int with_body);
json_t *diff_to_json(const struct strategy_version *a, const struct strategy_version *b,
		     const struct diff_line *lines, size_t n);
json_t *strategy_change_to_json(const struct strategy_change *c);
json_t *initiative_update_to_json(const struct initiative_update *u);
json_t *allocation_to_json(const struct allocation_view *a, int by_quarter);
json_t *roadmap_to_json(const struct roadmap_view *r);
/* The roadmap as a Markdown document (malloc'd; NULL when out of memory). */
char *roadmap_markdown(const struct roadmap_view *r);
/* The initiative of view v with this id, or NULL. */
const struct initiative_view *strategy_initiative(const struct strategy_view *v, int64_t id);

#endif
