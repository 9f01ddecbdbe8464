/*
 * comment_json.h — the JSON shapes of comments on issues and of the
 * "mentioned in" list, one for the API and the CLI's --json.
 */
#ifndef CAIRN_COMMENT_JSON_H
#define CAIRN_COMMENT_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "store/model.h"

/* {id, issue, author, body, body_html, created_at, updated_at, edited,
 * edits, deleted, deleted_by, deleted_at, version, mentions, references}.
 * New reference; NULL on allocation failure. */
json_t *comment_to_json(const struct comment *c);
json_t *comment_list_to_json(const struct comment_list *l);
/* [{number, title, comment (null: the body), author, at}] */
json_t *back_refs_to_json(const struct back_ref *b, size_t n);

#endif
