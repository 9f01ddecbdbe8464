/*
 * issue_json.h — the JSON representation of issues, history and users,
 * shared by the HTTP API and the CLI's --json output (one shape for both).  Lives in service/ because
 * it renders store records; HTTP and CLI both use it.
 */
#ifndef CAIRN_ISSUE_JSON_H
#define CAIRN_ISSUE_JSON_H

#include <jansson.h>

#include "core/issue.h"

struct history_entry;
struct user;
struct token_row;
struct audit_row;

/* New reference.  with_body adds "body" and "body_html" (rendered
 * markdown, safe).  NULL on allocation failure. */
json_t *issue_to_json(const struct issue *i, int with_body);
json_t *history_entry_to_json(const struct history_entry *h);
struct history_list;
/* {"items": [history entries]}; releases h. */
json_t *history_items_json(struct history_list *h);
json_t *user_to_json(const struct user *u);
/* The permission table (core/perm.h) as {"roles": [...], "permissions":
 * [{name, roles, credential, what}]}, and the names u holds on the
 * credential it came with (NULL: none). */
json_t *permissions_to_json(void);
json_t *user_permissions_json(const struct user *u);
/* A token as listed (never its secret) and an audit log row: one shape for
 * the API and the CLI. */
json_t *token_to_json(const struct token_row *t, int64_t now);
json_t *audit_to_json(const struct audit_row *a);
/* An instant as "2026-12-07T12:00:00Z", or null for 0 (new reference). */
json_t *json_time(int64_t ms);

struct customer;
struct persona;
struct insight;
json_t *customer_to_json(const struct customer *c);
json_t *persona_to_json(const struct persona *p);
/* importance is added when > 0 (an insight read through a link). */
json_t *insight_to_json(const struct insight *i);

#endif
