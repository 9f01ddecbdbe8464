/*
 * cmd_plan.c — planning from the terminal: `cairn board`, `cairn move`,
 * `cairn check`, `cairn pillar`, `cairn area`, `cairn milestone` and
 * `cairn issue tree` (called from cmd_issue.c).  Everything goes through
 * the service layer; --json prints the API's shapes (service/plan_json.h).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/plan.h"
#include "core/triage.h"
#include "service/issue_json.h"
#include "service/plan_json.h"

struct popts {
	const char *db, *as, *after, *every, *weekday, *from, *title, *start, *due, *capacity;
	const char *description, *seed;
	int json, force, rollups, rebuild;
	int64_t milestone, limit, count;
};

enum {
	P_DB = 256, P_AS, P_JSON, P_FORCE, P_AFTER, P_MILESTONE, P_LIMIT, P_EVERY, P_WEEKDAY, P_COUNT,
	P_FROM, P_TITLE, P_START, P_DUE, P_CAPACITY, P_DESCRIPTION, P_SEED, P_ROLLUPS, P_REBUILD,
};

static const struct option popts_long[] = {
	{"db", required_argument, 0, P_DB},	      {"as", required_argument, 0, P_AS},
	{"json", no_argument, 0, P_JSON},	      {"force", no_argument, 0, P_FORCE},
	{"after", required_argument, 0, P_AFTER},     {"milestone", required_argument, 0, P_MILESTONE},
	{"limit", required_argument, 0, P_LIMIT},     {"every", required_argument, 0, P_EVERY},
	{"weekday", required_argument, 0, P_WEEKDAY}, {"count", required_argument, 0, P_COUNT},
	{"from", required_argument, 0, P_FROM},	      {"title", required_argument, 0, P_TITLE},
	{"start", required_argument, 0, P_START},     {"due", required_argument, 0, P_DUE},
	{"capacity", required_argument, 0, P_CAPACITY},
	{"description", required_argument, 0, P_DESCRIPTION},
	{"seed", required_argument, 0, P_SEED},	      {"rollups", no_argument, 0, P_ROLLUPS},
	{"rebuild", no_argument, 0, P_REBUILD},	      {0, 0, 0, 0},
};

/* Options after the subcommand; positional arguments stay in argv[optind..]. */
static int parse(int argc, char **argv, struct popts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	o->limit = 20;
	o->count = SVC_UNSET;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", popts_long, NULL)) != -1) {
		switch (c) {
		case P_DB: o->db = optarg; break;
		case P_AS: o->as = optarg; break;
		case P_JSON: o->json = 1; break;
		case P_FORCE: o->force = 1; break;
		case P_ROLLUPS: o->rollups = 1; break;
		case P_REBUILD: o->rebuild = 1; break;
		case P_AFTER: o->after = optarg; break;
		case P_EVERY: o->every = optarg; break;
		case P_WEEKDAY: o->weekday = optarg; break;
		case P_FROM: o->from = optarg; break;
		case P_TITLE: o->title = optarg; break;
		case P_START: o->start = optarg; break;
		case P_DUE: o->due = optarg; break;
		case P_CAPACITY: o->capacity = optarg; break;
		case P_DESCRIPTION: o->description = optarg; break;
		case P_SEED: o->seed = optarg; break;
		case P_MILESTONE:
			if (cli_parse_int(optarg, &o->milestone))
				return 1;
			break;
		case P_LIMIT:
			if (cli_parse_int(optarg, &o->limit))
				return 1;
			break;
		case P_COUNT:
			if (cli_parse_int(optarg, &o->count))
				return 1;
			break;
		default: return 1;
		}
	}
	return 0;
}

/* Open the store and find the actor. */
static int open_as(const struct popts *o, struct store **st, struct user *actor)
{
	int rc = cli_open(cli_db(o->db), 0, st);
	if (!rc)
		rc = cli_actor(*st, o->as, actor);
	return rc;
}

/* ---- board and move ----------------------------------------------------------------- */

static void print_board(const struct board_view *b)
{
	for (int k = 0; k < b->ncols; k++) {
		const struct board_column *c = &b->cols[k];
		const char *name = b->dev ? dev_status_label((enum dev_status)c->key) : board_label(c->key);
		if (b->dev && c->key == DEV_TODO)
			printf("%s — %" PRId64 " item%s, %" PRId64 " of %d points%s\n", name, c->count,
			       c->count == 1 ? "" : "s", c->points, b->todo_limit,
			       c->points > b->todo_limit ? " (over the limit)" : "");
		else
			printf("%s — %" PRId64 " item%s, %" PRId64 " points\n", name, c->count,
			       c->count == 1 ? "" : "s", c->points);
		for (size_t j = 0; j < c->items.n; j++) {
			const struct issue *i = &c->items.items[j];
			int pts = i->rollup ? i->rollup : issue_effective_size(i);
			printf("  #%-6" PRId64 " %-3s %-8s %-10s %s\n", i->number,
			       pts ? size_letter(pts)[0] ? size_letter(pts) : "" : "-",
			       issue_type_name(i->type), i->assignee ? i->assignee : "-", i->title);
		}
		if ((int64_t)c->items.n < c->count)
			printf("  … %" PRId64 " more\n", c->count - (int64_t)c->items.n);
	}
}

int cmd_board(int argc, char **argv)
{
	struct popts o;
	struct store *st = NULL;
	struct user actor;
	struct board_view b;
	struct err e;
	int rc;
	if (parse(argc, argv, &o) || argc - optind != 1)
		return cli_usage("board");
	const char *which = argv[optind];
	int dev = !strcmp(which, "dev") || !strcmp(which, "development");
	if (!dev && strcmp(which, "product"))
		return cli_usage("board");
	if ((rc = open_as(&o, &st, &actor)))
		goto out;
	err_clear(&e);
	if ((rc = svc_board(OP(st, &actor), dev, o.milestone, o.limit, &b, &e))) {
		rc = cli_fail(&e);
		goto out;
	}
	if (o.json)
		cli_print_json(board_to_json(&b, o.milestone));
	else
		print_board(&b);
	board_release(&b);
out:
	svc_close(st);
	return rc;
}

int cmd_move(int argc, char **argv)
{
	struct popts o;
	struct store *st = NULL;
	struct user actor;
	struct issue i;
	struct err e;
	int64_t number;
	int rc;
	if (parse(argc, argv, &o) || argc - optind != 2 || cli_parse_int(argv[optind], &number))
		return cli_usage("move");
	const char *column = argv[optind + 1];
	struct issue_input in = {0};
	enum dev_status d;
	enum board bd;
	if (dev_status_parse(column, &d) == 0 && d != DEV_NONE) {
		in.set = IN_DEV_STATUS;
		in.dev_status = dev_status_name(d);
	} else if (board_parse(column, &bd) == 0) {
		in.set = IN_BOARD;
		in.board = board_name(bd);
	} else if (!strcmp(column, "none")) {
		in.set = IN_DEV_STATUS; /* off the development board */
		in.dev_status = NULL;
	} else {
		fprintf(stderr,
			"cairn: no column '%s' (development: todo, up_next, in_design, in_progress, "
			"review, verify, done, none; product: no_status, under_review, next, short, "
			"medium, long, icebox, started, closed)\n",
			column);
		return 1;
	}
	if (o.after) {
		in.set |= IN_AFTER;
		in.after = o.after;
	}
	in.force = o.force;
	if ((rc = open_as(&o, &st, &actor)))
		goto out;
	err_clear(&e);
	if ((rc = svc_issue_update(OP(st, &actor), number, &in, -1, &i, &e))) {
		rc = cli_fail(&e);
		goto out;
	}
	if (o.json)
		cli_print_json(issue_to_json(&i, 1));
	else
		printf("Moved #%" PRId64 " %s to %s\n", i.number, i.title,
		       (in.set & IN_BOARD) ? board_label(i.board)
		       : i.dev_status	   ? dev_status_label((enum dev_status)i.dev_status)
					   : "off the development board");
	issue_release(&i);
out:
	svc_close(st);
	return rc;
}

/* ---- tree and check ---------------------------------------------------------------------- */

static void print_node(const struct issue *i, const struct issue_list *d, int depth)
{
	int pts = i->rollup ? i->rollup : issue_effective_size(i);
	printf("%*s#%" PRId64 " %s %s [%s] %d pt%s%s\n", depth * 2, "", i->number,
	       issue_type_name(i->type), i->title, issue_state_name(i->state), pts,
	       pts == 1 ? "" : "s", i->double_booked ? "  (double booked: sized, and so are its children)" : "");
	if (depth > 16)
		return;
	for (size_t k = 0; k < d->n; k++)
		if (d->items[k].parent == i->number)
			print_node(&d->items[k], d, depth + 1);
}

int cmd_plan_tree(struct store *st, const struct user *actor, int64_t number, int json)
{
	struct issue_tree t;
	struct err e;
	err_clear(&e);
	if (svc_issue_tree(OP(st, actor), number, &t, &e))
		return cli_fail(&e);
	if (json) {
		cli_print_json(tree_to_json(&t));
	} else {
		if (t.has_pillar || t.has_area)
			printf("%s%s%s\n", t.has_pillar ? t.pillar.name : "",
			       t.has_pillar && t.has_area ? " › " : "", t.has_area ? t.area.name : "");
		for (size_t k = 0; k < t.ancestors.n; k++)
			printf("%*s#%" PRId64 " %s %s\n", (int)k * 2, "", t.ancestors.items[k].number,
			       issue_type_name(t.ancestors.items[k].type), t.ancestors.items[k].title);
		print_node(&t.root, &t.descendants, (int)t.ancestors.n);
	}
	issue_tree_release(&t);
	return 0;
}

static const char *const scope_names[ROLLUP_SCOPES] = {"all", "public"};

/* cairn check --rollups [--rebuild]: the maintained roll-ups against a
 * recomputation from scratch. */
static int check_rollups(struct store *st, const struct user *actor, const struct popts *o)
{
	struct rollup_check c;
	struct err e;
	err_clear(&e);
	if (o->rebuild && svc_rollups_rebuild(OP(st, actor), &e))
		return cli_fail(&e);
	if (svc_rollups_check(OP(st, actor), &c, &e))
		return cli_fail(&e);
	if (o->json) {
		json_t *a = json_array();
		for (size_t k = 0; k < c.nshown; k++) {
			const struct rollup_mismatch *m = &c.shown[k];
			json_t *x = json_pack("{s:s,s:s,s:i,s:i}", "scope", scope_names[m->scope], "what",
					      m->what, "stored", m->stored, "computed", m->computed);
			json_object_set_new(x, m->area ? "area" : "number",
					    json_integer(m->area ? m->area : m->number));
			json_array_append_new(a, x);
		}
		cli_print_json(json_pack("{s:b,s:I,s:I,s:I,s:o}", "stale", c.stale, "checked",
					 (json_int_t)c.checked, "areas_checked",
					 (json_int_t)c.areas_checked, "mismatches",
					 (json_int_t)c.mismatches, "shown", a));
	} else {
		printf("Roll-ups: %zu issue and %zu area numbers, the product board's and the triage inbox's tallies checked"
		       " (both scopes), %zu mismatch%s%s\n",
		       c.checked, c.areas_checked, c.mismatches, c.mismatches == 1 ? "" : "es",
		       c.stale ? " (the tables wait for a rebuild: reads compute on read)" : "");
		for (size_t k = 0; k < c.nshown; k++) {
			const struct rollup_mismatch *m = &c.shown[k];
			if (m->area)
				printf("  area %" PRId64, m->area);
			else if (m->number)
				printf("  #%" PRId64, m->number);
			else /* the product board's tally */
				printf("  board");
			printf(" (%s): %s stored %d, recomputed %d\n", scope_names[m->scope], m->what,
			       m->stored, m->computed);
		}
	}
	return c.mismatches ? 2 : 0;
}

int cmd_check(int argc, char **argv)
{
	struct popts o;
	struct store *st = NULL;
	struct user actor;
	struct double_booking *d;
	size_t n, total;
	struct err e;
	int rc;
	if (parse(argc, argv, &o) || argc - optind != 0)
		return cli_usage("check");
	if (o.rebuild && !o.rollups)
		return cli_usage("check");
	if ((rc = open_as(&o, &st, &actor)))
		goto out;
	if (o.rollups) {
		rc = check_rollups(st, &actor, &o);
		goto out;
	}
	err_clear(&e);
	if ((rc = svc_plan_check(OP(st, &actor), &d, &n, &total, &e))) {
		rc = cli_fail(&e);
		goto out;
	}
	if (o.json) {
		cli_print_json(double_bookings_to_json(d, n, total));
	} else if (!n) {
		printf("No double booking: no sized item has sized children.\n");
	} else {
		printf("%zu double-booked item%s (sized, and so are their children: the children do "
		       "not add to the total)%s\n",
		       total, total == 1 ? "" : "s", total > n ? "; the first listed" : "");
		for (size_t k = 0; k < n; k++) {
			printf("  #%" PRId64 " %s %s: %d points, children %d points (", d[k].number,
			       issue_type_name((enum issue_type)d[k].type), d[k].title, d[k].points,
			       d[k].children_points);
			for (int j = 0; j < d[k].nchildren; j++)
				printf("%s#%" PRId64, j ? ", " : "", d[k].children[j]);
			printf(")");
			if (d[k].epic)
				printf(" in epic #%" PRId64, d[k].epic);
			putchar('\n');
		}
		rc = 2; /* a finding, for scripts */
	}
	free(d);
out:
	svc_close(st);
	return rc;
}

/* ---- pillars and areas --------------------------------------------------------------------- */

int cmd_pillar(int argc, char **argv)
{
	struct popts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int rc;
	if (argc < 2 || parse(argc - 1, argv + 1, &o))
		return cli_usage("pillar");
	const char *sub = argv[1];
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	if ((!strcmp(sub, "add") && npos != 1) || (!strcmp(sub, "list") && npos != 0) ||
	    (strcmp(sub, "add") && strcmp(sub, "list")))
		return cli_usage("pillar");
	if ((rc = open_as(&o, &st, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "add")) {
		struct pillar p;
		if ((rc = svc_pillar_add(OP(st, &actor), pos[0], o.description, &p, &e)))
			rc = cli_fail(&e);
		else
			printf("Added pillar %" PRId64 " %s\n", p.id, p.name);
	} else {
		struct pillar *p;
		struct area_stats *a;
		size_t np, na;
		if ((rc = svc_pillars(OP(st, &actor), &p, &np, &a, &na, &e))) {
			rc = cli_fail(&e);
			goto out;
		}
		if (o.json) {
			cli_print_json(pillars_to_json(p, np, a, na));
		} else {
			for (size_t k = 0; k < np; k++) {
				printf("%" PRId64 " %s\n", p[k].id, p[k].name);
				for (size_t j = 0; j < na; j++)
					if (a[j].area.pillar_id == p[k].id)
						printf("   area %" PRId64 " %s — %d epic%s, %d of %d points done\n",
						       a[j].area.id, a[j].area.name, a[j].epics,
						       a[j].epics == 1 ? "" : "s", a[j].done_points, a[j].points);
			}
			if (!np)
				printf("No pillars yet: cairn pillar add NAME\n");
		}
		free(p);
		free(a);
	}
out:
	svc_close(st);
	return rc;
}

int cmd_area(int argc, char **argv)
{
	struct popts o;
	struct store *st = NULL;
	struct user actor;
	struct area a;
	struct err e;
	int64_t pillar;
	int rc;
	if (argc < 2 || strcmp(argv[1], "add") || parse(argc - 1, argv + 1, &o) ||
	    argc - 1 - optind != 2 || cli_parse_int(argv[1 + optind], &pillar))
		return cli_usage("area");
	if ((rc = open_as(&o, &st, &actor)))
		goto out;
	err_clear(&e);
	if ((rc = svc_area_add(OP(st, &actor), pillar, argv[2 + optind], o.description, &a, &e)))
		rc = cli_fail(&e);
	else
		printf("Added area %" PRId64 " %s to pillar %" PRId64 "\n", a.id, a.name, a.pillar_id);
out:
	svc_close(st);
	return rc;
}

/* ---- milestones ------------------------------------------------------------------------------ */

static void print_milestone_line(const struct milestone_view *v, double vel)
{
	char start[16], due[16];
	day_format(v->m.start_day, start, sizeof start);
	day_format(v->m.due_day, due, sizeof due);
	if (v->state == MS_CLOSED)
		printf("%4" PRId64 "  %-10s %s → %s  %-8s shipped %3d of %3d  slipped %3d  (capacity %d)\n",
		       v->m.id, v->m.title, start, due, milestone_state_name(v->state), v->shipped_points,
		       v->scope_points, v->slipped_points, v->m.capacity);
	else
		printf("%4" PRId64 "  %-10s %s → %s  %-8s load %3d / %3d  done %3d  %d item%s%s\n",
		       v->m.id, v->m.title, start, due, milestone_state_name(v->state), v->load,
		       v->m.capacity, v->done_points, v->items, v->items == 1 ? "" : "s",
		       v->m.capacity && v->load > v->m.capacity ? "  OVER CAPACITY" : "");
	(void)vel;
}

static void print_detail(const struct milestone_detail *d)
{
	print_milestone_line(&d->v, d->velocity);
	if (d->velocity >= 0)
		printf("velocity (last 3 closed): %.1f points\n", d->velocity);
	else
		printf("velocity: none yet (no closed milestone)\n");
	for (size_t k = 0; k < d->nscope; k++) {
		const struct scope_entry *s = &d->scope[k];
		printf("  #%-6" PRId64 " %2d pt  %-11s %-9s %s%s%s\n", s->item.number, s->item.row.points,
		       s->item.dev_status ? dev_status_name((enum dev_status)s->item.dev_status) : "-",
		       s->cls.removed ? "removed" : s->cls.added ? "added" : "committed", s->item.title,
		       s->cls.slipped ? "  [slipped]" : s->cls.shipped ? "  [shipped]" : "",
		       s->slips > 1 ? "  (slipped before)" : "");
	}
}

static void print_report(const struct milestone_detail *d)
{
	printf("Ship/slip report for %s (%s)\n", d->v.m.title, milestone_state_name(d->v.state));
	for (int j = 0; j < SCOPE_TOTALS; j++)
		printf("  %-10s %3d item%s %4d points\n", scope_total_names[j], d->totals[j].count,
		       d->totals[j].count == 1 ? " " : "s", d->totals[j].points);
	for (size_t k = 0; k < d->nscope; k++)
		if (d->scope[k].cls.slipped)
			printf("  slipped #%" PRId64 " %s%s%s\n", d->scope[k].item.number,
			       d->scope[k].item.title, d->scope[k].item.slip_reason[0] ? ": " : "",
			       d->scope[k].item.slip_reason);
	for (size_t k = 0; k < d->nslippers; k++) {
		printf("  slipped %d times: #%" PRId64 " %s (", d->slippers[k].slips,
		       d->slippers[k].number, d->slippers[k].title);
		for (int j = 0; j < d->slippers[k].nmilestones; j++)
			printf("%s%s", j ? ", " : "", d->slippers[k].milestones[j]);
		printf(")\n");
	}
}

static void print_burnup(const struct milestone_detail *d)
{
	int max = d->v.m.capacity;
	for (int64_t day = d->burn_start; d->burn_scope && day <= d->burn_end; day++)
		if (d->burn_scope[day - d->burn_start] > max)
			max = d->burn_scope[day - d->burn_start];
	if (!d->burn_scope) {
		char start[16];
		day_format(d->v.m.start_day, start, sizeof start);
		printf("%s has not started yet (it starts %s).\n", d->v.m.title, start);
		return;
	}
	printf("%-10s %5s %5s\n", "date", "scope", "done");
	for (int64_t day = d->burn_start; d->burn_scope && day <= d->burn_end; day++) {
		char date[16];
		int s = d->burn_scope[day - d->burn_start], x = d->burn_done[day - d->burn_start];
		int w = max ? 40 * x / max : 0, ws = max ? 40 * s / max : 0;
		day_format(day, date, sizeof date);
		printf("%s %5d %5d  ", date, s, x);
		for (int k = 0; k < ws; k++)
			fputs(k < w ? "█" : "·", stdout);
		putchar('\n');
	}
}

int cmd_milestone(int argc, char **argv)
{
	struct popts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int64_t id = 0;
	int rc;
	if (argc < 2 || parse(argc - 1, argv + 1, &o))
		return cli_usage("milestone");
	const char *sub = argv[1];
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int needs_id = !strcmp(sub, "show") || !strcmp(sub, "edit") || !strcmp(sub, "delete") ||
		       !strcmp(sub, "burnup") || !strcmp(sub, "forecast") || !strcmp(sub, "report");
	if (needs_id && (npos != 1 || cli_parse_int(pos[0], &id)))
		return cli_usage("milestone");
	if ((!strcmp(sub, "new") && npos != 1) || ((!strcmp(sub, "list") || !strcmp(sub, "plan")) && npos))
		return cli_usage("milestone");
	if ((rc = open_as(&o, &st, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "new") || !strcmp(sub, "edit")) {
		struct milestone_input in = {!strcmp(sub, "new") ? pos[0] : o.title, o.start, o.due,
					     o.capacity};
		struct milestone m;
		rc = !strcmp(sub, "new") ? svc_milestone_create(OP(st, &actor), &in, &m, &e)
					 : svc_milestone_update(OP(st, &actor), id, &in, &m, &e);
		if (!rc) {
			char s[16], d[16];
			day_format(m.start_day, s, sizeof s);
			day_format(m.due_day, d, sizeof d);
			if (o.json)
				cli_print_json(milestone_to_json(&m));
			else
				printf("%s milestone %" PRId64 " %s: %s → %s, capacity %d\n",
				       !strcmp(sub, "new") ? "Created" : "Updated", m.id, m.title, s, d,
				       m.capacity);
		}
	} else if (!strcmp(sub, "delete")) {
		if (!(rc = svc_milestone_delete(OP(st, &actor), id, &e)))
			printf("Deleted milestone %" PRId64 "\n", id);
	} else if (!strcmp(sub, "plan")) {
		struct milestone *ms;
		size_t n;
		int64_t cap = SVC_UNSET;
		if (o.capacity && cli_parse_int(o.capacity, &cap)) {
			rc = cli_usage("milestone");
			goto out;
		}
		if (!(rc = svc_milestone_plan(OP(st, &actor), o.every, o.weekday, o.count, o.from, cap, &ms,
					      &n, &e))) {
			json_t *a = o.json ? json_array() : NULL;
			for (size_t k = 0; k < n; k++) {
				char s[16], d[16];
				day_format(ms[k].start_day, s, sizeof s);
				day_format(ms[k].due_day, d, sizeof d);
				if (a)
					json_array_append_new(a, milestone_to_json(&ms[k]));
				else
					printf("Created milestone %" PRId64 " %s: %s → %s (%s), capacity %d\n",
					       ms[k].id, ms[k].title, s, d,
					       (const char *[]){"Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
								"Sun"}[day_weekday(ms[k].due_day)],
					       ms[k].capacity);
			}
			if (a)
				cli_print_json(json_pack("{s:o}", "items", a));
			free(ms);
		}
	} else if (!strcmp(sub, "list")) {
		struct milestone_view *v;
		size_t n;
		double vel;
		if (!(rc = svc_milestones(OP(st, &actor), &v, &n, &vel, &e))) {
			if (o.json)
				cli_print_json(milestones_to_json(v, n, vel));
			else {
				for (size_t k = 0; k < n; k++)
					print_milestone_line(&v[k], vel);
				if (vel >= 0)
					printf("velocity (last 3 closed milestones): %.1f points\n", vel);
				if (!n)
					printf("No milestones yet: cairn milestone plan --every 4w --weekday thu --count 3\n");
			}
			free(v);
		}
	} else if (!strcmp(sub, "forecast")) {
		struct forecast_view f;
		int64_t seed = 1;
		if (o.seed && cli_parse_int(o.seed, &seed)) {
			rc = cli_usage("milestone");
			goto out;
		}
		if (!(rc = svc_milestone_forecast(OP(st, &actor), id, (uint64_t)seed, FORECAST_TRIALS_DEFAULT,
						  &f, &e))) {
			if (o.json) {
				cli_print_json(forecast_to_json(&f, seed, FORECAST_TRIALS_DEFAULT));
			} else {
				char d50[16] = "never", d85[16] = "never", d95[16] = "never";
				if (f.f.p50 >= 0)
					day_format(f.today + f.f.p50, d50, sizeof d50);
				if (f.f.p85 >= 0)
					day_format(f.today + f.f.p85, d85, sizeof d85);
				if (f.f.p95 >= 0)
					day_format(f.today + f.f.p95, d95, sizeof d95);
				printf("%d points remaining", f.remaining);
				if (f.ahead)
					printf(", after %d points still open in earlier milestones", f.ahead);
				printf("; the team did %.2f points a day over the last %d days\n",
				       f.f.mean_daily, f.history_days);
				printf("probability of finishing by the due date: %.0f%%\n",
				       f.f.probability * 100);
				printf("50%%: %s   85%%: %s   95%%: %s   (seed %" PRId64 ", %d trials)\n", d50,
				       d85, d95, seed, FORECAST_TRIALS_DEFAULT);
			}
		}
	} else if (needs_id) { /* show, burnup, report */
		struct milestone_detail d;
		if (!(rc = svc_milestone_get(OP(st, &actor), id, &d, &e))) {
			if (!strcmp(sub, "show"))
				o.json ? cli_print_json(milestone_detail_to_json(&d)) : print_detail(&d);
			else if (!strcmp(sub, "burnup"))
				o.json ? cli_print_json(burnup_to_json(&d)) : print_burnup(&d);
			else
				o.json ? cli_print_json(report_to_json(&d)) : print_report(&d);
			milestone_detail_release(&d);
		}
	} else {
		rc = cli_usage("milestone");
		goto out;
	}
	if (rc)
		rc = cli_fail(&e);
out:
	svc_close(st);
	return rc;
}
