/*
 * view.h — saved views of the issue list: the rules of their fields.
 *
 * A saved view is a named query (the query language of core/query.h) with
 * its sort (a sort: value) and the list's columns, personal to its owner
 * or shared with the team.  Who may do what is in core/perm.c (view.write,
 * view.share) and service/svc_view.c; this module checks the fields.
 */
#ifndef CAIRN_VIEW_H
#define CAIRN_VIEW_H

#include "core/err.h"

#define VIEW_NAME_MAX 80     /* bytes */
#define VIEW_SORT_MAX 32
#define VIEW_COLUMNS_MAX 128 /* the canonical comma-separated list */
#define VIEW_MAX_PER_OWNER 100

/* The issue list's columns, in display order. */
extern const char *const view_column_keys[];
extern const int view_column_count;

/* A name: 1..VIEW_NAME_MAX bytes of UTF-8 text without control
 * characters, not blank.  Errors on field "name". */
int view_name_check(const char *name, struct err *e);
/* Columns given as keys (any order, no repeats, at least one) into the
 * canonical comma-separated list in display order; out has
 * VIEW_COLUMNS_MAX + 1 bytes.  Errors on field "columns". */
int view_columns_canon(const char *const *keys, int n, char *out, struct err *e);
/* A sort: value ("" for the default) the query language accepts.  Errors
 * on field "sort". */
int view_sort_check(const char *sort, struct err *e);

#endif
