/*
 * changelog_json.h — changelog entries, comments, the "who to tell" list,
 * milestone checklists, release notes and hooks as JSON: one shape for the
 * HTTP API and the CLI's --json output (docs/API.md, issue #11).
 */
#ifndef CAIRN_CHANGELOG_JSON_H
#define CAIRN_CHANGELOG_JSON_H

#include <jansson.h>

#include "service/service.h"

/* New references; NULL on allocation failure.  with_body 0 leaves out
 * body and body_html (lists). */
json_t *cl_row_to_json(const struct changelog_row *r, int with_body);
json_t *cl_list_to_json(const struct changelog_list *l);
json_t *cl_comment_to_json(const struct cl_comment *c);
/* base_url: where the entry is published ("" for a relative link). */
json_t *cl_tell_to_json(const struct cl_tell_list *t, const struct changelog_row *r,
			const char *base_url);
json_t *cl_checklist_to_json(const struct cl_checklist *c);
json_t *cl_notes_to_json(const struct cl_notes *n);
json_t *hook_to_json(const struct hook *h);
json_t *hook_delivery_to_json(const struct hook_delivery *d);

#endif
