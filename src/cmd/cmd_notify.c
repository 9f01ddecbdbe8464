/*
 * cmd_notify.c — `cairn notifications`: the inbox of the acting user
 * (--as), newest first, and marking it read; `cairn issue watch|unwatch N`
 * (cmd_issue.c) call cmd_watch.  The rules are in service/svc_notify.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"
#include "service/notify_json.h"

static void print_one(const struct notification *x)
{
	char at[32], what[96];
	const char *semi = strchr(x->detail, ';');
	iso_time(x->at, at, sizeof at);
	if (!strcmp(x->kind, "state") && !semi)
		snprintf(what, sizeof what, "%s", x->detail);
	else if (!strcmp(x->kind, "state") || !strcmp(x->kind, "changed"))
		/* detail "closed;state,priority": what became of it, then the fields */
		snprintf(what, sizeof what, "%.*s%schanged %s", (int)(semi - x->detail), x->detail,
			 semi != x->detail ? ", " : "", semi + 1);
	else if (!strcmp(x->kind, "assigned"))
		snprintf(what, sizeof what, "assigned you");
	else if (!strcmp(x->kind, "mention"))
		snprintf(what, sizeof what, "mentioned you (comment %s)", x->detail);
	else
		snprintf(what, sizeof what, "commented (comment %s)", x->detail);
	printf("%s #%" PRId64 " %s — %s %s, %s\n", x->read_at ? " " : "*", x->issue_number, x->title,
	       x->actor[0] ? x->actor : "someone", what, at);
}

int cmd_notifications(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"unread", no_argument, 0, 'u'},
					     {"read-all", no_argument, 0, 'r'},
					     {"page", required_argument, 0, 'p'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL;
	int64_t page = 1, unread = 0;
	int c, rc, json = 0, only_unread = 0, read_all = 0, more;
	struct store *st;
	struct user actor;
	struct notification *x;
	size_t n;
	struct err e;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': as = optarg; break;
		case 'u': only_unread = 1; break;
		case 'r': read_all = 1; break;
		case 'p':
			if (cli_parse_int(optarg, &page))
				return cli_usage("notifications");
			break;
		case 'j': json = 1; break;
		default: return cli_usage("notifications");
		}
	}
	if (optind != argc)
		return cli_usage("notifications");
	if ((rc = cli_open(cli_db(db), 0, &st)))
		return rc;
	if ((rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if (read_all) {
		if (svc_notify_read(OP(st, &actor), NULL, 0, 1, &unread, &e)) {
			rc = cli_fail(&e);
			goto out;
		}
		if (!json)
			printf("All notifications marked read.\n");
	}
	if (svc_notify_list(OP(st, &actor), only_unread, page, &x, &n, &more, &unread, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	if (json) {
		cli_print_json(json_pack("{s:o,s:I,s:I,s:b}", "items", notifications_to_json(x, n),
					 "unread", (json_int_t)unread, "page", (json_int_t)page, "more",
					 more));
	} else {
		for (size_t k = 0; k < n; k++)
			print_one(&x[k]);
		printf("%s%" PRId64 " unread%s\n", n ? "\n" : "", unread,
		       more ? " (more: --page N)" : "");
	}
	free(x);
out:
	svc_close(st);
	return rc;
}

int cmd_watch(struct store *st, const struct user *actor, int64_t number, int on, int json)
{
	struct watch_state w;
	struct err e;
	err_clear(&e);
	if (svc_watch(OP(st, actor), number, on, &w, &e))
		return cli_fail(&e);
	if (json)
		cli_print_json(watch_state_to_json(&w));
	else
		printf("%s #%" PRId64 " (%zu watching)\n", on ? "Watching" : "Not watching", number,
		       w.n);
	watch_state_release(&w);
	return 0;
}
