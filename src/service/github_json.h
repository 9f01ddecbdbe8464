/*
 * github_json.h — the JSON shapes of the GitHub integration, one for the
 * API and the CLI's --json.  Secrets and tokens never appear: only
 * whether they are set.
 */
#ifndef CAIRN_GITHUB_JSON_H
#define CAIRN_GITHUB_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "service/service.h"

/* {id, full_name, github_id, area: {id, name} | null, has_secret,
 * has_token, webhook_path, created_at, updated_at} */
json_t *gh_repo_to_json(const struct gh_repo *r);
/* [{github, user}] */
json_t *gh_logins_to_json(const struct gh_login *l, size_t n);
/* {id, guid, repository, event, action, result, message, attempts,
 * received_at, processed_at} */
json_t *gh_delivery_to_json(const struct gh_delivery *d);
/* {result, delivery} */
json_t *gh_result_to_json(const struct gh_result *r);
/* {repository, total, pull_requests, created, updated, errors: [{number, index, message}]} */
json_t *gh_import_to_json(const struct gh_import_result *r);
/* {repository, number, url, deleted} or null when l is not linked */
json_t *gh_link_to_json(const struct gh_link *l);

/* {link: gh_link_to_json, sync: none|pending|failed|synced, pending, failed} */
json_t *gh_issue_view_to_json(const struct gh_issue_view *v);
/* {id, repository, kind, method, path, state: pending|done|failed,
 * attempts, status, error, next_at, updated_at} */
json_t *gh_call_to_json(const struct gh_call *c);

#endif
