/*
 * plan_json.h — the JSON shapes of planning (boards, trees, pillars,
 * milestones, burn-up, forecast, ship/slip report), shared by the HTTP API
 * and the CLI's --json output.  New references; NULL on allocation failure.
 */
#ifndef CAIRN_PLAN_JSON_H
#define CAIRN_PLAN_JSON_H

#include <jansson.h>

#include "service/service.h"

json_t *board_to_json(const struct board_view *b, int64_t milestone);
json_t *board_column_to_json(const struct board_view *b, const struct board_column *c,
			     int64_t offset);
json_t *tree_to_json(const struct issue_tree *t);
json_t *double_bookings_to_json(const struct double_booking *d, size_t n, size_t total);
json_t *pillars_to_json(const struct pillar *p, size_t np, const struct area_stats *a, size_t na);
json_t *milestone_to_json(const struct milestone *m);
/* One milestone with its figures (vel < 0: no velocity yet). */
json_t *milestone_view_to_json(const struct milestone_view *v, double vel);
json_t *milestones_to_json(const struct milestone_view *v, size_t n, double velocity);
json_t *milestone_detail_to_json(const struct milestone_detail *d);
json_t *burnup_to_json(const struct milestone_detail *d);
json_t *forecast_to_json(const struct forecast_view *f, int64_t seed, int trials);
json_t *report_to_json(const struct milestone_detail *d);
/* The estimation calibration report (docs/API.md): times rounded to 0.01. */
json_t *calibration_to_json(int64_t days, size_t items, const struct cal_size c[6]);

#endif
