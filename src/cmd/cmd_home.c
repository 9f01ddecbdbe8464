/*
 * cmd_home.c — `cairn home`: what waits for the acting user, the same
 * operation as GET /api/v1/home (service/svc_home.c).  The text is drawn
 * from the API's JSON, so the two always agree; --json prints that JSON.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "service/home_json.h"

static const char *text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* "#N  title" lines of an issue array; days_left when given. */
static void issue_lines(const json_t *items)
{
	size_t k;
	const json_t *i;
	json_array_foreach(items, k, i) {
		const json_t *left = json_object_get(i, "days_left");
		if (left)
			printf("  #%-5lld %-50.50s  %s  %lld days left\n", num(i, "number"), text(i, "title"),
			       text(i, "fix_by"), (long long)json_integer_value(left));
		else
			printf("  #%-5lld %-50.50s  %s\n", num(i, "number"), text(i, "title"), text(i, "type"));
	}
}

/* A section heading; "nothing" when its list is empty. */
static int heading(const char *title, const json_t *items, long long total)
{
	if (total >= 0)
		printf("\n%s (%lld)\n", title, total);
	else
		printf("\n%s\n", title);
	if (!json_array_size(items)) {
		printf("  nothing\n");
		return 0;
	}
	return 1;
}

static void print_home(const json_t *h)
{
	const json_t *a = json_object_get(h, "assigned"), *m = json_object_get(h, "mentions");
	const json_t *r = json_object_get(h, "reviews"), *s = json_object_get(h, "security");
	const json_t *ms, *x, *y, *items;
	size_t k;

	items = json_object_get(a, "items");
	if (heading("Assigned to me", items, num(a, "total")))
		issue_lines(items);
	items = json_object_get(m, "items");
	if (heading("Mentions", items, -1))
		json_array_foreach(items, k, x)
			printf("  #%-5lld %-50.50s  @%s  %s (comment %lld)\n", num(x, "number"),
			       text(x, "title"), text(x, "author"), text(x, "at"), num(x, "comment_id"));
	printf("\nWaiting for me\n");
	int any = 0;
	if ((x = json_object_get(r, "changelog")) && num(x, "total") > 0 && ++any)
		printf("  changelog entries in review: %lld\n", num(x, "total"));
	if ((x = json_object_get(r, "decisions")) && num(x, "total") > 0 && ++any) {
		printf("  decisions due for review: %lld\n", num(x, "total"));
		json_array_foreach(json_object_get(x, "items"), k, y)
			printf("    D%-4lld %-50.50s  %s\n", num(y, "id"), text(y, "title"),
			       text(y, "review_date"));
	}
	if (json_is_true(json_object_get(json_object_get(r, "strategy"), "overdue")) && ++any)
		printf("  the strategy review is overdue\n");
	json_array_foreach(json_object_get(json_object_get(r, "estimations"), "items"), k, y) {
		any++;
		printf("  estimation session %lld %-40.40s  %lld to vote on\n", num(y, "id"),
		       text(y, "title"), num(y, "waiting"));
	}
	if (!any)
		printf("  nothing\n");
	if (json_is_object(s)) {
		items = json_object_get(s, "overdue");
		if (heading("Security overdue", items, num(s, "overdue_count")))
			issue_lines(items);
		items = json_object_get(s, "due_soon");
		if (heading("Security due soon", items, num(s, "due_soon_count")))
			issue_lines(items);
	}
	ms = json_object_get(h, "milestone");
	if (json_is_object(ms))
		printf("\nMilestone in progress: %s (%s to %s): %lld of %lld points done\n",
		       text(ms, "title"), text(ms, "start"), text(ms, "due"), num(ms, "done_points"),
		       num(ms, "load"));
	if (json_is_object(ms) && num(ms, "remaining") > 0)
		printf("  85 %% likely done by %s; %.0f %% by the due date\n",
		       json_is_string(json_object_get(ms, "forecast_p85")) ? text(ms, "forecast_p85")
									   : "beyond the horizon",
		       100 * json_number_value(json_object_get(ms, "forecast_probability")));
	if (!json_is_object(ms))
		printf("\nNo milestone in progress\n");
}

int cmd_home(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL;
	int c, json = 0, rc;
	struct store *st = NULL;
	struct user actor;
	struct home_view h;
	struct err e;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			as = optarg;
		else if (c == 'j')
			json = 1;
		else
			return cli_usage("home");
	}
	if (optind != argc)
		return cli_usage("home");
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if ((rc = svc_home(OP(st, &actor), &h, &e))) {
		rc = cli_fail(&e);
		goto out;
	}
	json_t *j = home_to_json(&h);
	home_view_release(&h);
	if (!j) {
		fprintf(stderr, "cairn: out of memory\n");
		rc = 1;
		goto out;
	}
	if (json) {
		cli_print_json(j);
	} else {
		print_home(j);
		json_decref(j);
	}
out:
	svc_close(st);
	return rc;
}
