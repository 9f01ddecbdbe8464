/*
 * cmd_issue.c — `cairn issue new|list|show|edit|close|reopen|comment|comments` on a local
 * database, through the service layer (same validation, roles and history
 * as the API).  Human tables by default, --json for scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/plan.h"
#include "core/triage.h"
#include "core/timeutil.h"
#include "service/comment_json.h"
#include "service/issue_json.h"

struct opts {
	const char *db, *as, *view;
	int json;
	int64_t page, per_page;
	struct issue_input in;
	const char *labels[LABELS_MAX + 1];
	char *body_stdin;
};

enum {
	O_DB = 256, O_AS, O_JSON, O_TYPE, O_TITLE, O_BODY, O_PRIORITY, O_SIZE, O_PM_SIZE, O_LABEL,
	O_NO_LABELS, O_PARENT, O_ASSIGNEE, O_STATE, O_PAGE, O_PER_PAGE, O_MILESTONE, O_DEV_STATUS,
	O_EXPECTED, O_AREA, O_SLIP_REASON, O_FORCE, O_DOD, O_CVSS, O_BUG_SEVERITY, O_VIEW,
};

static const struct option long_opts[] = {
	{"db", required_argument, 0, O_DB},         {"as", required_argument, 0, O_AS},
	{"json", no_argument, 0, O_JSON},           {"type", required_argument, 0, O_TYPE},
	{"title", required_argument, 0, O_TITLE},   {"body", required_argument, 0, O_BODY},
	{"priority", required_argument, 0, O_PRIORITY}, {"size", required_argument, 0, O_SIZE},
	{"pm-size", required_argument, 0, O_PM_SIZE}, {"label", required_argument, 0, O_LABEL},
	{"no-labels", no_argument, 0, O_NO_LABELS}, {"parent", required_argument, 0, O_PARENT},
	{"assignee", required_argument, 0, O_ASSIGNEE}, {"state", required_argument, 0, O_STATE},
	{"page", required_argument, 0, O_PAGE},     {"per-page", required_argument, 0, O_PER_PAGE},
	{"milestone", required_argument, 0, O_MILESTONE},
	{"dev-status", required_argument, 0, O_DEV_STATUS},
	{"expected", required_argument, 0, O_EXPECTED}, {"area", required_argument, 0, O_AREA},
	{"slip-reason", required_argument, 0, O_SLIP_REASON}, {"force", no_argument, 0, O_FORCE},
	{"dod", required_argument, 0, O_DOD},
	{"cvss", required_argument, 0, O_CVSS},
	{"bug-severity", required_argument, 0, O_BUG_SEVERITY},
	{"view", required_argument, 0, O_VIEW},
	{0, 0, 0, 0},
};

/* "" clears a nullable field given on the command line. */
static const char *nullable(const char *s)
{
	return s && *s ? s : NULL;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	o->page = 1;
	o->per_page = PER_PAGE_DEFAULT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		struct issue_input *in = &o->in;
		switch (c) {
		case O_DB: o->db = optarg; break;
		case O_AS: o->as = optarg; break;
		case O_JSON: o->json = 1; break;
		case O_VIEW: o->view = optarg; break;
		case O_TYPE: in->set |= IN_TYPE, in->type = optarg; break;
		case O_TITLE: in->set |= IN_TITLE, in->title = optarg; break;
		case O_BODY:
			in->set |= IN_BODY;
			if (strcmp(optarg, "-") == 0) {
				free(o->body_stdin);
				if (!(o->body_stdin = cli_read_stdin(BODY_MAX))) {
					fprintf(stderr, "cairn: body on stdin is too long or unreadable\n");
					return 1;
				}
				in->body = o->body_stdin;
			} else
				in->body = optarg;
			break;
		case O_PRIORITY: in->set |= IN_PRIORITY, in->priority = nullable(optarg); break;
		case O_SIZE: in->set |= IN_SIZE, in->size = nullable(optarg); break;
		case O_CVSS: in->set |= IN_CVSS, in->cvss = nullable(optarg); break;
		case O_BUG_SEVERITY:
			in->set |= IN_BUG_SEVERITY, in->bug_severity = nullable(optarg);
			break;
		case O_PM_SIZE: in->set |= IN_PM_SIZE, in->pm_size = nullable(optarg); break;
		case O_LABEL:
			if (in->nlabels >= LABELS_MAX) {
				fprintf(stderr, "cairn: at most %d labels\n", LABELS_MAX);
				return 1;
			}
			in->set |= IN_LABELS;
			o->labels[in->nlabels++] = optarg;
			in->labels = o->labels;
			break;
		case O_NO_LABELS: in->set |= IN_LABELS, in->nlabels = 0; break;
		case O_PARENT: in->set |= IN_PARENT, in->parent = nullable(optarg); break;
		case O_ASSIGNEE: in->set |= IN_ASSIGNEE, in->assignee = nullable(optarg); break;
		case O_STATE: in->set |= IN_STATE, in->state = optarg; break;
		case O_MILESTONE: in->set |= IN_MILESTONE, in->milestone = nullable(optarg); break;
		case O_DEV_STATUS: in->set |= IN_DEV_STATUS, in->dev_status = nullable(optarg); break;
		case O_EXPECTED: in->set |= IN_EXPECTED, in->expected = nullable(optarg); break;
		case O_AREA: in->set |= IN_AREA, in->area = nullable(optarg); break;
		case O_SLIP_REASON: in->set |= IN_SLIP_REASON, in->slip_reason = optarg; break;
		case O_FORCE: in->force = 1; break;
		case O_DOD: {
			/* the items done, comma separated ("" = none done) */
			char buf[128];
			snprintf(buf, sizeof buf, "%s", optarg);
			in->set |= IN_DOD;
			in->dod_mask = (1 << DOD_ITEMS) - 1;
			in->dod_bits = 0;
			for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", ")) {
				int bit = -1;
				for (int k = 0; k < DOD_ITEMS; k++)
					if (!strcmp(tok, dod_names[k]))
						bit = k;
				if (bit < 0) {
					fprintf(stderr, "cairn: --dod items are merged, tests, docs, "
							"acceptance, demo (not '%s')\n", tok);
					return 1;
				}
				in->dod_bits |= 1 << bit;
			}
			break;
		}
		case O_PAGE:
			if (cli_parse_int(optarg, &o->page))
				return 1;
			break;
		case O_PER_PAGE:
			if (cli_parse_int(optarg, &o->per_page))
				return 1;
			break;
		default: return 1;
		}
	}
	return 0;
}

static int term_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 40)
		return ws.ws_col;
	return 120;
}

/* Print at most width display columns of s (UTF-8 aware), padded. */
static void print_cell(const char *s, int width, int pad)
{
	int cols = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && cols < width) {
		int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
		for (int k = 1; k < len; k++)
			if ((p[k] & 0xc0) != 0x80) /* malformed: print the byte alone */
				len = 1;
		if (cols == width - 1 && p[len]) {
			fputs("…", stdout);
			cols++;
			break;
		}
		fwrite(p, 1, (size_t)len, stdout);
		p += len;
		cols++;
	}
	if (pad)
		for (; cols < width; cols++)
			putchar(' ');
}

static void print_table(const struct issue_list *l, int64_t total, int64_t page,
			int64_t per_page)
{
	int tw = term_width(), title_w = tw - 45;
	if (title_w < 20)
		title_w = 20;
	printf("%6s  %-8s %-6s %-4s %-6s  %-*s  %s\n", "#", "TYPE", "PRIO", "SIZE", "STATE",
	       title_w, "TITLE", "LABELS");
	for (size_t k = 0; k < l->n; k++) {
		const struct issue *i = &l->items[k];
		char labels[512] = "";
		size_t n = 0;
		for (size_t j = 0; j < i->nlabels && n < sizeof labels; j++)
			n += (size_t)snprintf(labels + n, sizeof labels - n, "%s%s", j ? "," : "",
					      i->labels[j]);
		printf("%6" PRId64 "  %-8s %-6s %-4s %-6s  ", i->number, issue_type_name(i->type),
		       i->priority ? priority_name(i->priority) : "-",
		       issue_effective_size(i) ? size_letter(issue_effective_size(i)) : "-",
		       issue_state_name(i->state));
		print_cell(i->title, title_w, 1);
		printf("  ");
		print_cell(labels, 30, 0);
		putchar('\n');
	}
	int64_t pages = total ? (total + per_page - 1) / per_page : 1;
	if (l->capped) /* counted only so far (10,000; a search 1,000) */
		printf("%" PRId64 "+ issues, page %" PRId64 "\n", total, page);
	else
		printf("%" PRId64 " issue%s, page %" PRId64 " of %" PRId64 "\n", total,
		       total == 1 ? "" : "s", page, pages);
}

static void print_issue(const struct issue *i, const struct history_list *h)
{
	char created[32], updated[32], closed[32];
	iso_time(i->created_at, created, sizeof created);
	iso_time(i->updated_at, updated, sizeof updated);
	iso_time(i->closed_at, closed, sizeof closed);
	printf("#%" PRId64 " %s  [%s]\n", i->number, i->title, issue_state_name(i->state));
	printf("type %s · priority %s · size %s (pm %s, dev %s)\n", issue_type_name(i->type),
	       i->priority ? priority_name(i->priority) : "-",
	       issue_effective_size(i) ? size_letter(issue_effective_size(i)) : "-",
	       i->pm_size ? size_letter(i->pm_size) : "-", i->size ? size_letter(i->size) : "-");
	printf("labels: ");
	for (size_t k = 0; k < i->nlabels; k++)
		printf("%s%s", k ? ", " : "", i->labels[k]);
	printf("%s\n", i->nlabels ? "" : "-");
	if (i->parent)
		printf("parent: #%" PRId64 "\n", i->parent);
	printf("assignee %s · reporter %s · created %s · updated %s%s%s\n",
	       i->assignee ? i->assignee : "-", i->reporter ? i->reporter : "-", created, updated,
	       i->closed_at ? " · closed " : "", i->closed_at ? closed : "");
	printf("board %s · dev %s · milestone %s\n", board_name((enum board)i->board),
	       i->dev_status ? dev_status_name((enum dev_status)i->dev_status) : "-",
	       i->milestone_id && i->milestone ? i->milestone : "-");
	if (i->started_at || i->expected_day || i->done_at) {
		char s[32] = "-", x[16] = "-", d[32] = "-";
		if (i->started_at)
			iso_time(i->started_at, s, sizeof s);
		if (i->expected_day)
			day_format(i->expected_day, x, sizeof x);
		if (i->done_at)
			iso_time(i->done_at, d, sizeof d);
		printf("started %s · expected %s · done %s\n", s, x, d);
	}
	printf("definition of done %d/%d:", dod_count(i->dod), DOD_ITEMS);
	for (int k = 0; k < DOD_ITEMS; k++)
		printf(" [%c] %s", i->dod & (1 << k) ? 'x' : ' ', dod_names[k]);
	printf("\nversion %" PRId64 "\n", i->version);
	if (i->body && *i->body)
		printf("\n%s%s", i->body, i->body[strlen(i->body) - 1] == '\n' ? "" : "\n");
	if (!h || !h->n)
		return;
	printf("\nHistory\n");
	for (size_t k = 0; k < h->n; k++) {
		const struct history_entry *x = &h->items[k];
		char at[32];
		iso_time(x->at, at, sizeof at);
		int long_text = strcmp(x->field, "body") == 0;
		printf("  %s  %-10s %s: %s → %s\n", at, x->actor ? x->actor : "?", x->field,
		       long_text ? "…" : x->old_value ? x->old_value : "–",
		       long_text ? "(changed)" : x->new_value ? x->new_value : "–");
	}
}

static int show(struct store *st, const struct user *actor, int64_t number, int json)
{
	struct issue i;
	struct history_list h;
	struct err e;
	err_clear(&e);
	if (svc_issue_get(OP(st, actor), number, &i, &e))
		return cli_fail(&e);
	if (svc_issue_history(OP(st, actor), number, &h, &e)) {
		issue_release(&i);
		return cli_fail(&e);
	}
	if (json) {
		json_t *j = issue_to_json(&i, 1), *a = json_array();
		for (size_t k = 0; k < h.n; k++)
			json_array_append_new(a, history_entry_to_json(&h.items[k]));
		json_object_set_new(j, "history", a);
		cli_print_json(j);
	} else
		print_issue(&i, &h);
	history_list_release(&h);
	issue_release(&i);
	return 0;
}

/* `cairn issue comments N`: the conversation, oldest first, and where
 * the issue is mentioned. */
static int show_comments(struct store *st, const struct user *actor, int64_t number, int json)
{
	struct comment_list l;
	struct back_ref *b;
	size_t nb;
	struct err e;
	err_clear(&e);
	if (svc_comment_list(OP(st, actor), number, &l, &e))
		return cli_fail(&e);
	if (svc_issue_back_refs(OP(st, actor), number, &b, &nb, &e)) {
		comment_list_release(&l);
		return cli_fail(&e);
	}
	if (json) {
		cli_print_json(json_pack("{s:o,s:o}", "items", comment_list_to_json(&l), "references",
					 back_refs_to_json(b, nb)));
	} else {
		for (size_t k = 0; k < l.n; k++) {
			const struct comment *c = &l.items[k];
			char at[32];
			iso_time(c->created_at, at, sizeof at);
			printf("%s#%" PRId64 " %s %s%s\n", k ? "\n" : "", c->id,
			       c->author[0] ? c->author : "?", at, c->edits ? " (edited)" : "");
			if (c->deleted_at)
				printf("  (comment deleted by %s)\n", c->deleted_by[0] ? c->deleted_by : "?");
			else
				printf("%s%s", c->body, c->body[strlen(c->body) - 1] == '\n' ? "" : "\n");
		}
		if (!l.n)
			printf("No comments on #%" PRId64 ".\n", number);
		for (size_t k = 0; k < nb; k++) {
			char at[32];
			iso_time(b[k].at, at, sizeof at);
			printf("%s  #%" PRId64 " %s (%s by %s, %s)\n", k ? "" : "\nMentioned in\n",
			       b[k].number, b[k].title, b[k].comment_id ? "comment" : "description",
			       b[k].author[0] ? b[k].author : "?", at);
		}
	}
	comment_list_release(&l);
	free(b);
	return 0;
}

/* `cairn issue comment N [TEXT|-]`: TEXT, or stdin when it is - or absent. */
static int add_comment(struct store *st, const struct user *actor, int64_t number,
		       const char *text, int json)
{
	struct comment c;
	struct err e;
	char *in = NULL;
	err_clear(&e);
	if (!text || !strcmp(text, "-")) {
		if (!(in = cli_read_stdin(BODY_MAX + 1))) {
			fprintf(stderr, "cairn: cannot read the comment from stdin\n");
			return 1;
		}
		text = in;
	}
	int rc = svc_comment_add(OP(st, actor), number, text, &c, &e);
	free(in);
	if (rc)
		return cli_fail(&e);
	if (json)
		cli_print_json(comment_to_json(&c));
	else
		printf("Commented on #%" PRId64 " (comment %" PRId64 ")\n", c.issue_number, c.id);
	comment_release(&c);
	return 0;
}

/* Report a created/changed issue: one line, or the JSON. */
static void print_result(const char *verb, struct issue *i, int json)
{
	if (json)
		cli_print_json(issue_to_json(i, 1));
	else
		printf("%s #%" PRId64 " %s (%s, version %" PRId64 ")\n", verb, i->number, i->title,
		       issue_state_name(i->state), i->version);
	issue_release(i);
}

int cmd_issue(int argc, char **argv)
{
	struct opts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	struct issue i;
	int rc;

	if (argc < 2)
		return cli_usage("issue");
	const char *sub = argv[1];
	if (parse_opts(argc - 1, argv + 1, &o)) {
		free(o.body_stdin);
		return cli_usage("issue");
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int64_t number = 0;
	int needs_number = !strcmp(sub, "show") || !strcmp(sub, "edit") || !strcmp(sub, "close") ||
			   !strcmp(sub, "reopen") || !strcmp(sub, "tree") || !strcmp(sub, "comments") ||
			   !strcmp(sub, "watch") || !strcmp(sub, "unwatch");
	int commenting = !strcmp(sub, "comment");
	if ((needs_number && (npos != 1 || cli_parse_int(pos[0], &number))) ||
	    (commenting && (npos < 1 || npos > 2 || cli_parse_int(pos[0], &number)))) {
		free(o.body_stdin);
		return cli_usage("issue");
	}
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "new")) {
		if (npos != 1 || (o.in.set & IN_TITLE)) {
			rc = cli_usage("issue");
			goto out;
		}
		o.in.set |= IN_TITLE;
		o.in.title = pos[0];
		if (!(rc = svc_issue_create(OP(st, &actor), &o.in, &i, &e)))
			print_result("Created", &i, o.json);
	} else if (!strcmp(sub, "list")) {
		struct issue_list l;
		int64_t total;
		char q[2 * QUERY_MAX_LEN + 1] = "";
		size_t n = 0;
		struct saved_view v;
		/* --view NAME: the view's query and sort, then the words given */
		if (o.view && !(rc = svc_view_find(OP(st, &actor), o.view, &v, &e)))
			svc_view_query_text(&v, q, QUERY_MAX_LEN + 1);
		n = strlen(q);
		for (int k = 0; !rc && k < npos && n < sizeof q; k++)
			n += (size_t)snprintf(q + n, sizeof q - n, "%s%s", n ? " " : "", pos[k]);
		if (!rc && !(rc = svc_issue_list(OP(st, &actor), q, o.page, o.per_page, &l, &total, &e))) {
			if (o.json) {
				json_t *a = json_array();
				for (size_t k = 0; k < l.n; k++)
					json_array_append_new(a, issue_to_json(&l.items[k], 0));
				cli_print_json(json_pack("{s:o,s:I,s:I,s:I}", "items", a, "total",
						     (json_int_t)total, "page", (json_int_t)o.page,
						     "per_page", (json_int_t)o.per_page));
			} else
				print_table(&l, total, o.page, o.per_page);
			issue_list_release(&l);
		}
	} else if (!strcmp(sub, "show")) {
		rc = show(st, &actor, number, o.json);
		goto out;
	} else if (commenting) {
		rc = add_comment(st, &actor, number, npos == 2 ? pos[1] : NULL, o.json);
		goto out;
	} else if (!strcmp(sub, "comments")) {
		rc = show_comments(st, &actor, number, o.json);
		goto out;
	} else if (!strcmp(sub, "watch") || !strcmp(sub, "unwatch")) {
		rc = cmd_watch(st, &actor, number, !strcmp(sub, "watch"), o.json);
		goto out;
	} else if (!strcmp(sub, "tree")) {
		rc = cmd_plan_tree(st, &actor, number, o.json);
		goto out;
	} else if (!strcmp(sub, "edit") || !strcmp(sub, "close") || !strcmp(sub, "reopen")) {
		if (!strcmp(sub, "edit") && !o.in.set) {
			fprintf(stderr, "cairn: nothing to change (give --title, --size, ...)\n");
			rc = 1;
			goto out;
		}
		if (strcmp(sub, "edit")) {
			o.in.set |= IN_STATE;
			o.in.state = !strcmp(sub, "close") ? "closed" : "open";
		}
		if (!(rc = svc_issue_update(OP(st, &actor), number, &o.in, -1, &i, &e)))
			print_result(!strcmp(sub, "close")    ? "Closed"
				     : !strcmp(sub, "reopen") ? "Reopened"
							      : "Updated",
				     &i, o.json);
	} else {
		rc = cli_usage("issue");
		goto out;
	}
	if (rc)
		rc = cli_fail(&e);
out:
	free(o.body_stdin);
	svc_close(st);
	return rc;
}
