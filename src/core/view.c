/*
 * view.c — field rules of saved views (view.h).
 */
#include "core/view.h"
#include "core/query.h"

#include <stdio.h>
#include <string.h>

const char *const view_column_keys[] = {"number", "type",	"title",    "priority", "size",
					"board",  "labels", "assignee", "state",    "updated"};
const int view_column_count = (int)(sizeof view_column_keys / sizeof view_column_keys[0]);

int view_name_check(const char *name, struct err *e)
{
	size_t n = name ? strlen(name) : 0;
	int blank = 1;
	if (n == 0 || n > VIEW_NAME_MAX)
		return err_set(e, CAIRN_EINVALID, "name", "name must be 1 to %d bytes", VIEW_NAME_MAX);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return err_set(e, CAIRN_EINVALID, "name", "name must not hold control characters");
		if (*p != ' ')
			blank = 0;
	}
	if (blank)
		return err_set(e, CAIRN_EINVALID, "name", "name must not be blank");
	return 0;
}

static int column_index(const char *key)
{
	for (int k = 0; k < view_column_count; k++)
		if (!strcmp(key, view_column_keys[k]))
			return k;
	return -1;
}

int view_columns_canon(const char *const *keys, int n, char *out, struct err *e)
{
	int seen[16] = {0};
	size_t len = 0;
	if (n < 1 || n > view_column_count)
		return err_set(e, CAIRN_EINVALID, "columns", "columns must name 1 to %d columns",
			       view_column_count);
	for (int k = 0; k < n; k++) {
		int i = keys[k] ? column_index(keys[k]) : -1;
		if (i < 0)
			return err_set(e, CAIRN_EINVALID, "columns",
				       "columns must be among number, type, title, priority, size, board, "
				       "labels, assignee, state, updated; not '%.40s'",
				       keys[k] ? keys[k] : "");
		if (seen[i]++)
			return err_set(e, CAIRN_EINVALID, "columns", "column '%s' is named twice",
				       keys[k]);
	}
	out[0] = '\0';
	for (int i = 0; i < view_column_count; i++)
		if (seen[i])
			len += (size_t)snprintf(out + len, VIEW_COLUMNS_MAX + 1 - len, "%s%s",
						len ? "," : "", view_column_keys[i]);
	return 0;
}

int view_sort_check(const char *sort, struct err *e)
{
	char q[VIEW_SORT_MAX + 8];
	struct issue_query parsed;
	if (!sort || !*sort)
		return 0;
	if (strlen(sort) > VIEW_SORT_MAX || strchr(sort, ' ') || strchr(sort, '"'))
		return err_set(e, CAIRN_EINVALID, "sort", "sort must be a sort: value like rice-desc");
	snprintf(q, sizeof q, "sort:%s", sort);
	if (query_parse(q, &parsed, NULL))
		return err_set(e, CAIRN_EINVALID, "sort",
			       "sort must be one of number, title, type, priority, state, updated, "
			       "created, size, rice, demand with -asc or -desc, not '%s'",
			       sort);
	query_release(&parsed);
	return 0;
}
