/*
 * cmd_view.c — `cairn view list|save|delete`: saved views of the issue
 * list for the acting user (--as); `cairn issue list --view NAME` runs
 * one (cmd_issue.c).  The sharing rules are in service/svc_view.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "service/view_json.h"

#define COLUMNS_MAX 16

static void print_view(const struct saved_view *v, int counts)
{
	char count[32] = "";
	if (counts)
		snprintf(count, sizeof count, v->count_error ? "  (?)" : "  %" PRId64 "%s", v->count,
			 v->count_capped ? "+" : "");
	printf("%-24s %-8s %s%s%s%s\n", v->name, v->shared ? v->owner : "mine", v->query,
	       v->sort[0] ? " sort:" : "", v->sort, count);
}

static int list(const struct op *op, int counts, int json)
{
	struct saved_view *v;
	size_t n;
	struct err e;
	err_clear(&e);
	if (svc_views_list(op, counts, &v, &n, &e))
		return cli_fail(&e);
	if (json)
		cli_print_json(json_pack("{s:o}", "items", saved_views_to_json(v, n, op->actor, counts)));
	else if (!n)
		printf("No saved views (cairn view save NAME QUERY).\n");
	for (size_t k = 0; !json && k < n; k++)
		print_view(&v[k], counts);
	free(v);
	return 0;
}

/* Split "a,b,c" (modified in place) into cols. */
static int split_columns(char *s, char **cols, int *n)
{
	*n = 0;
	for (char *t = strtok(s, ","); t; t = strtok(NULL, ",")) {
		if (*n >= COLUMNS_MAX)
			return -1;
		cols[(*n)++] = t;
	}
	return 0;
}

static int save(const struct op *op, struct view_input *in, int json)
{
	struct saved_view v, old;
	struct err e;
	int64_t id = 0;
	err_clear(&e);
	/* the user's own view of that name is changed, not duplicated */
	if (!svc_view_find(op, in->name, &old, &e) && old.owner_id == op->actor->id)
		id = old.id;
	err_clear(&e);
	if (svc_view_save(op, id, in, &v, &e))
		return cli_fail(&e);
	if (json)
		cli_print_json(saved_view_to_json(&v, op->actor, 0));
	else
		printf("%s view '%s'%s\n", id ? "Changed" : "Saved", v.name, v.shared ? " (shared)" : "");
	return 0;
}

static int delete(const struct op *op, const char *name)
{
	struct saved_view v;
	struct err e;
	err_clear(&e);
	if (svc_view_find(op, name, &v, &e) || svc_view_delete(op, v.id, &e))
		return cli_fail(&e);
	printf("Deleted view '%s'\n", v.name);
	return 0;
}

int cmd_view(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},	{"as", required_argument, 0, 'a'},
		{"json", no_argument, 0, 'j'},		{"counts", no_argument, 0, 'c'},
		{"sort", required_argument, 0, 's'},	{"columns", required_argument, 0, 'C'},
		{"shared", no_argument, 0, 'S'},	{0, 0, 0, 0}};
	const char *db = NULL, *as = NULL;
	char *cols[COLUMNS_MAX], *colarg = NULL;
	struct view_input in = {.ncolumns = -1, .shared = -1, .columns = cols};
	int c, rc, json = 0, counts = 0;
	struct store *st;
	struct user actor;

	if (argc < 2)
		return cli_usage("view");
	const char *sub = argv[1];
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': as = optarg; break;
		case 'j': json = 1; break;
		case 'c': counts = 1; break;
		case 's': in.sort = optarg; break;
		case 'C': colarg = optarg; break;
		case 'S': in.shared = 1; break;
		default: return cli_usage("view");
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int is_list = !strcmp(sub, "list"), is_save = !strcmp(sub, "save"),
	    is_delete = !strcmp(sub, "delete");
	if ((is_list && npos) || (is_save && (npos < 1 || npos > 2)) || (is_delete && npos != 1) ||
	    (!is_list && !is_save && !is_delete))
		return cli_usage("view");
	if (colarg && split_columns(colarg, cols, &in.ncolumns))
		return cli_usage("view");
	if ((rc = cli_open(cli_db(db), 0, &st)))
		return rc;
	if (!(rc = cli_actor(st, as, &actor))) {
		if (is_list) {
			rc = list(OP(st, &actor), counts, json);
		} else if (is_save) {
			in.name = pos[0];
			in.query = npos == 2 ? pos[1] : NULL;
			rc = save(OP(st, &actor), &in, json);
		} else {
			rc = delete(OP(st, &actor), pos[0]);
		}
	}
	svc_close(st);
	return rc;
}
