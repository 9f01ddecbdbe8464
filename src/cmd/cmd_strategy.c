/*
 * cmd_strategy.c — `cairn strategy`, `cairn objective`, `cairn initiative`
 * and `cairn roadmap` on a local database: the same operations as the API
 * (service/svc_strategy.c), human tables by default, the API's JSON with
 * --json.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"
#include "service/strategy_json.h"

#define MULTI 32

struct sopts {
	const char *db, *as, *file, *note, *every, *by, *last;
	const char *title, *description, *owner, *pillar, *horizon, *start, *target, *status;
	const char *period, *baseline, *goal, *current, *measured, *health, *text, *share;
	int json, markdown, is_public; /* is_public: -1 not given */
	int64_t objectives[MULTI], pillars[MULTI];
	size_t nobjectives, npillars;
};

enum {
	S_DB = 256, S_AS, S_JSON, S_FILE, S_NOTE, S_EVERY, S_BY, S_LAST, S_TITLE, S_DESCRIPTION,
	S_OWNER, S_PILLAR, S_HORIZON, S_START, S_TARGET, S_STATUS, S_OBJECTIVE, S_PERIOD,
	S_BASELINE, S_CURRENT, S_MEASURED, S_HEALTH, S_TEXT, S_PUBLIC, S_PRIVATE, S_MARKDOWN,
	S_SHARE,
};

static const struct option sopts_long[] = {
	{"db", required_argument, 0, S_DB},		 {"as", required_argument, 0, S_AS},
	{"json", no_argument, 0, S_JSON},		 {"file", required_argument, 0, S_FILE},
	{"note", required_argument, 0, S_NOTE},		 {"every", required_argument, 0, S_EVERY},
	{"by", required_argument, 0, S_BY},		 {"last", required_argument, 0, S_LAST},
	{"title", required_argument, 0, S_TITLE},	 {"description", required_argument, 0, S_DESCRIPTION},
	{"owner", required_argument, 0, S_OWNER},	 {"pillar", required_argument, 0, S_PILLAR},
	{"horizon", required_argument, 0, S_HORIZON},	 {"start", required_argument, 0, S_START},
	{"target", required_argument, 0, S_TARGET},	 {"status", required_argument, 0, S_STATUS},
	{"objective", required_argument, 0, S_OBJECTIVE}, {"period", required_argument, 0, S_PERIOD},
	{"baseline", required_argument, 0, S_BASELINE},	 {"current", required_argument, 0, S_CURRENT},
	{"measured", required_argument, 0, S_MEASURED},	 {"health", required_argument, 0, S_HEALTH},
	{"text", required_argument, 0, S_TEXT},		 {"public", no_argument, 0, S_PUBLIC},
	{"private", no_argument, 0, S_PRIVATE},		 {"markdown", no_argument, 0, S_MARKDOWN},
	{"share", required_argument, 0, S_SHARE},	 {0, 0, 0, 0},
};

static int parse(int argc, char **argv, struct sopts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	o->is_public = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", sopts_long, NULL)) != -1) {
		int64_t id;
		switch (c) {
		case S_DB: o->db = optarg; break;
		case S_AS: o->as = optarg; break;
		case S_JSON: o->json = 1; break;
		case S_MARKDOWN: o->markdown = 1; break;
		case S_FILE: o->file = optarg; break;
		case S_NOTE: o->note = optarg; break;
		case S_EVERY: o->every = optarg; break;
		case S_BY: o->by = optarg; break;
		case S_LAST: o->last = optarg; break;
		case S_TITLE: o->title = optarg; break;
		case S_DESCRIPTION: o->description = optarg; break;
		case S_OWNER: o->owner = optarg; break;
		case S_HORIZON: o->horizon = optarg; break;
		case S_START: o->start = optarg; break;
		case S_TARGET: o->goal = o->target = optarg; break;
		case S_STATUS: o->status = optarg; break;
		case S_PERIOD: o->period = optarg; break;
		case S_BASELINE: o->baseline = optarg; break;
		case S_CURRENT: o->current = optarg; break;
		case S_MEASURED: o->measured = optarg; break;
		case S_HEALTH: o->health = optarg; break;
		case S_TEXT: o->text = optarg; break;
		case S_SHARE: o->share = optarg; break;
		case S_PUBLIC: o->is_public = 1; break;
		case S_PRIVATE: o->is_public = 0; break;
		case S_PILLAR:
			o->pillar = optarg;
			if (cli_parse_int(optarg, &id) || o->npillars >= MULTI)
				return 1;
			o->pillars[o->npillars++] = id;
			break;
		case S_OBJECTIVE:
			if (cli_parse_int(optarg, &id) || o->nobjectives >= MULTI)
				return 1;
			o->objectives[o->nobjectives++] = id;
			break;
		default: return 1;
		}
	}
	return 0;
}

static char *read_all(const char *path)
{
	if (!strcmp(path, "-"))
		return cli_read_stdin(STRATEGY_BODY_MAX + 1);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(STRATEGY_BODY_MAX + 2);
	size_t n = buf ? fread(buf, 1, STRATEGY_BODY_MAX + 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static void print_progress(const struct strat_progress *p)
{
	printf("%d/%d points", p->done_points, p->points);
	if (p->unsized)
		printf(" (+%d unsized)", p->unsized);
}

static void print_initiative(const struct strategy_view *v, const struct initiative_view *iv)
{
	char t[16] = "", p50[16] = "", p85[16] = "";
	const struct initiative *i = &iv->i;
	if (i->target_day != STRAT_NONE)
		day_format(i->target_day, t, sizeof t);
	if (iv->remaining && iv->f.p50 >= 0)
		day_format(v->today + iv->f.p50, p50, sizeof p50);
	if (iv->remaining && iv->f.p85 >= 0)
		day_format(v->today + iv->f.p85, p85, sizeof p85);
	printf("%4" PRId64 "  %-28.28s %-6s %-8s ", i->id, i->title,
	       i->horizon ? lane_name(i->horizon) : "-", initiative_status_name(i->status));
	print_progress(&iv->progress);
	printf("  target %s", t[0] ? t : "-");
	if (p50[0])
		printf("  p50 %s p85 %s", p50, p85);
	printf("  health %s", i->health ? health_name(i->health) : "-");
	if (iv->suggested && iv->suggested != i->health)
		printf(" (suggested %s)", health_name(iv->suggested));
	printf("\n");
}

static int strategy_show(struct store *st, const struct user *actor, int json, struct err *e)
{
	struct strategy_view v;
	int rc = svc_strategy(OP(st, actor), &v, e);
	if (rc)
		return rc;
	if (json) {
		cli_print_json(strategy_to_json(&v));
	} else {
		char at[32] = "never";
		if (v.last_reviewed)
			iso_time(v.last_reviewed, at, sizeof at);
		if (v.has_doc)
			printf("%s\n-- version %" PRId64 " by %s, %zu version(s); last reviewed %s%s\n\n",
			       v.doc.body, v.doc.id, v.doc.author ? v.doc.author : "?", v.versions, at,
			       !v.last_reviewed || v.review_due < now_ms() ? " (review overdue)" : "");
		else
			printf("No strategy written yet (cairn strategy edit --file F).\n\n");
		for (size_t k = 0; k < v.nobjectives; k++) {
			printf("Objective %" PRId64 ": %s [%s]  ", v.objectives[k].id, v.objectives[k].title,
			       v.objectives[k].period);
			print_progress(&v.objective_progress[k]);
			printf("\n");
		}
		for (size_t k = 0; k < v.npillars; k++) {
			printf("Pillar %" PRId64 ": %s", v.pillars[k].id, v.pillars[k].name);
			if (v.pillars[k].target_share >= 0)
				printf(" (intended %d%%)", v.pillars[k].target_share);
			printf("  ");
			print_progress(&v.pillar_progress[k]);
			printf("\n");
		}
		if (v.ninits)
			printf("\nInitiatives:\n");
		for (size_t k = 0; k < v.ninits; k++)
			print_initiative(&v, &v.inits[k]);
	}
	strategy_view_release(&v);
	return 0;
}

static int strategy_cmd(struct store *st, const struct user *actor, const struct sopts *o,
			const char *sub, char **pos, int npos, struct err *e)
{
	int rc;
	if (!sub || !strcmp(sub, "show"))
		return strategy_show(st, actor, o->json, e);
	if (!strcmp(sub, "edit")) {
		int64_t id;
		int created;
		if (!o->file)
			return err_set(e, CAIRN_EUSAGE, "file", "give the document with --file PATH (or -)");
		char *body = read_all(o->file);
		if (!body)
			return err_set(e, CAIRN_EUSAGE, "file", "cannot read %s: %s", o->file, strerror(errno));
		rc = svc_strategy_save(OP(st, actor), body, o->note, &id, &created, e);
		free(body);
		if (!rc)
			printf(created ? "Saved version %" PRId64 "\n" : "Unchanged (version %" PRId64 ")\n", id);
		return rc;
	}
	if (!strcmp(sub, "versions")) {
		struct strategy_version *v;
		size_t n;
		if ((rc = svc_strategy_versions(OP(st, NULL), &v, &n, e)))
			return rc;
		json_t *a = o->json ? json_array() : NULL;
		for (size_t k = 0; k < n; k++) {
			char at[32];
			iso_time(v[k].created_at, at, sizeof at);
			if (a)
				json_array_append_new(a, version_to_json(&v[k], 0));
			else
				printf("%4" PRId64 "  %s  @%-10s %6" PRId64 " bytes  %s\n", v[k].id, at,
				       v[k].author ? v[k].author : "?", v[k].bytes, v[k].note);
		}
		if (a)
			cli_print_json(a);
		strategy_versions_free(v, n);
		return 0;
	}
	if (!strcmp(sub, "diff")) {
		int64_t from, to;
		struct strategy_version a, b;
		struct diff_line *lines;
		size_t n;
		if (npos != 2 || cli_parse_int(pos[0], &from) || cli_parse_int(pos[1], &to))
			return err_set(e, CAIRN_EUSAGE, NULL, "cairn strategy diff FROM TO (version ids)");
		if ((rc = svc_strategy_diff(OP(st, NULL), from, to, &a, &b, &lines, &n, e)))
			return rc;
		if (o->json)
			cli_print_json(diff_to_json(&a, &b, lines, n));
		else
			for (size_t k = 0; k < n; k++)
				printf("%c %.*s\n", lines[k].op == DIFF_ADD ? '+' : lines[k].op == DIFF_DEL ? '-' : ' ',
				       (int)lines[k].len, lines[k].text);
		free(lines);
		free(a.body), free(a.author), free(a.note);
		free(b.body), free(b.author), free(b.note);
		return 0;
	}
	if (!strcmp(sub, "review")) {
		int64_t days = SVC_UNSET;
		if (o->every && cli_parse_int(o->every, &days))
			return err_set(e, CAIRN_EUSAGE, "every", "--every takes a number of days");
		if ((rc = svc_strategy_review(OP(st, actor), days, e)))
			return rc;
		printf("Strategy marked reviewed\n");
		return 0;
	}
	if (!strcmp(sub, "allocation")) {
		struct allocation_view a;
		int64_t last = SVC_UNSET;
		int q = o->by && !strcmp(o->by, "quarter");
		if ((o->by && !q && strcmp(o->by, "milestone")) || (o->last && cli_parse_int(o->last, &last)))
			return err_set(e, CAIRN_EUSAGE, "by", "--by milestone|quarter, --last N");
		if ((rc = svc_allocation(OP(st, actor), q, last == SVC_UNSET ? (q ? 4 : 6) : last, &a, e)))
			return rc;
		json_t *j = allocation_to_json(&a, q);
		if (o->json) {
			cli_print_json(j);
		} else {
			size_t b;
			json_t *bucket;
			json_array_foreach(json_object_get(j, "buckets"), b, bucket)
			{
				printf("%-10s %4d points ", json_string_value(json_object_get(bucket, "key")),
				       (int)json_integer_value(json_object_get(bucket, "points")));
				size_t s;
				json_t *sh;
				json_array_foreach(json_object_get(bucket, "shares"), s, sh)
				{
					json_t *ini = json_object_get(sh, "initiative");
					printf(" %s %.0f%%",
					       ini && json_is_object(ini)
						       ? json_string_value(json_object_get(ini, "title"))
						       : json_string_value(json_object_get(sh, "kind")),
					       100 * json_real_value(json_object_get(sh, "share")));
				}
				printf("\n");
			}
			json_decref(j);
		}
		allocation_view_release(&a);
		return 0;
	}
	if (!strcmp(sub, "history")) {
		struct strategy_change *c;
		size_t n;
		if ((rc = svc_strategy_history(OP(st, actor), &c, &n, e)))
			return rc;
		for (size_t k = 0; k < n; k++) {
			char at[32];
			iso_time(c[k].at, at, sizeof at);
			printf("%s  @%-10s %-16s %-12s %s%s%s\n", at, c[k].actor ? c[k].actor : "?", c[k].object,
			       c[k].field, c[k].old_value ? c[k].old_value : "", c[k].old_value ? " → " : "",
			       c[k].new_value ? c[k].new_value : "");
		}
		strategy_changes_free(c, n);
		return 0;
	}
	if (!strcmp(sub, "pillar")) {
		int64_t id;
		struct pillar p;
		if (npos != 1 || cli_parse_int(pos[0], &id))
			return err_set(e, CAIRN_EUSAGE, NULL, "cairn strategy pillar ID --share PERCENT");
		if ((rc = svc_pillar_update(OP(st, actor), id, NULL, o->description, o->share, &p, e)))
			return rc;
		printf("Pillar %" PRId64 " %s: intended share %d%%\n", p.id, p.name, p.target_share);
		return 0;
	}
	return err_set(e, CAIRN_EUSAGE, NULL, "unknown strategy command '%s'", sub);
}

int cmd_strategy(int argc, char **argv)
{
	struct sopts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int rc;
	const char *sub = argc >= 2 && argv[1][0] != '-' ? argv[1] : NULL;
	int skip = sub ? 1 : 0;
	if (parse(argc - skip, argv + skip, &o))
		return cli_usage("strategy");
	char **pos = argv + skip + optind;
	int npos = argc - skip - optind;
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (strategy_cmd(st, &actor, &o, sub, pos, npos, &e))
		rc = e.code == CAIRN_EUSAGE ? (fprintf(stderr, "cairn: %s\n", e.msg), cli_usage("strategy"))
					    : cli_fail(&e);
out:
	svc_close(st);
	return rc;
}

int cmd_objective(int argc, char **argv)
{
	struct sopts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int64_t id = 0;
	int rc;
	if (argc < 2 || parse(argc - 1, argv + 1, &o))
		return cli_usage("objective");
	const char *sub = argv[1];
	char **pos = argv + 1 + optind;
	int npos = argc - 1 - optind;
	if ((!strcmp(sub, "new") && npos != 1) ||
	    ((!strcmp(sub, "edit") || !strcmp(sub, "kr")) && (npos < 1 || cli_parse_int(pos[0], &id))) ||
	    (!strcmp(sub, "kr-set") && (npos != 1 || cli_parse_int(pos[0], &id))) ||
	    (strcmp(sub, "new") && strcmp(sub, "edit") && strcmp(sub, "kr") && strcmp(sub, "kr-set") &&
	     strcmp(sub, "list")))
		return cli_usage("objective");
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "list")) {
		rc = strategy_show(st, &actor, o.json, &e);
	} else if (!strcmp(sub, "new") || !strcmp(sub, "edit")) {
		struct objective_input in = {!strcmp(sub, "new") ? pos[0] : o.title, o.description,
					     o.period, o.pillars, o.npillars, o.npillars > 0};
		struct objective ob;
		if (!(rc = svc_objective_save(OP(st, &actor), !strcmp(sub, "new") ? 0 : id, &in, &ob, &e)))
			printf("%s objective %" PRId64 " %s\n", !strcmp(sub, "new") ? "Created" : "Updated",
			       ob.id, ob.title);
	} else {
		int adding = !strcmp(sub, "kr");
		struct kr_input in = {adding ? (npos > 1 ? pos[1] : NULL) : o.title, o.baseline, o.goal,
				      o.current, o.measured};
		struct key_result k;
		if (!(rc = svc_kr_save(OP(st, &actor), adding ? id : 0, adding ? 0 : id, &in, &k, &e)))
			printf("%s key result %" PRId64 " %s\n", adding ? "Added" : "Updated", k.id, k.metric);
	}
	if (rc)
		rc = cli_fail(&e);
out:
	svc_close(st);
	return rc;
}

int cmd_initiative(int argc, char **argv)
{
	struct sopts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int64_t id = 0, number = 0;
	int rc;
	if (argc < 2 || parse(argc - 1, argv + 1, &o))
		return cli_usage("initiative");
	const char *sub = argv[1];
	char **pos = argv + 1 + optind;
	int npos = argc - 1 - optind;
	int with_id = strcmp(sub, "list") && strcmp(sub, "new");
	int with_epic = !strcmp(sub, "add-epic") || !strcmp(sub, "remove-epic");
	if ((with_id && (npos < 1 || cli_parse_int(pos[0], &id))) ||
	    (with_epic && (npos != 2 || cli_parse_int(pos[1], &number))) ||
	    (!strcmp(sub, "new") && npos != 1))
		return cli_usage("initiative");
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "list") || !strcmp(sub, "show")) {
		struct strategy_view v;
		if (!(rc = svc_strategy(OP(st, &actor), &v, &e))) {
			json_t *a = o.json && !id ? json_array() : NULL;
			int found = 0;
			for (size_t k = 0; k < v.ninits; k++) {
				if (id && v.inits[k].i.id != id)
					continue;
				found = 1;
				if (a)
					json_array_append_new(a, initiative_to_json(&v, &v.inits[k]));
				else if (o.json)
					cli_print_json(initiative_to_json(&v, &v.inits[k]));
				else
					print_initiative(&v, &v.inits[k]);
			}
			if (a)
				cli_print_json(a);
			if (id && !found)
				rc = err_set(&e, CAIRN_ENOTFOUND, "initiative", "no initiative #%lld",
					     (long long)id);
			strategy_view_release(&v);
		}
	} else if (!strcmp(sub, "new") || !strcmp(sub, "edit")) {
		struct initiative_input in = {0};
		struct initiative ini;
		in.title = !strcmp(sub, "new") ? pos[0] : o.title;
		struct {
			unsigned bit;
			const char *v;
		} f[] = {{INI_TITLE, in.title},	    {INI_DESCRIPTION, o.description}, {INI_OWNER, o.owner},
			 {INI_PILLAR, o.pillar},    {INI_HORIZON, o.horizon},	      {INI_START, o.start},
			 {INI_TARGET, o.target},    {INI_STATUS, o.status}};
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
			if (f[k].v)
				in.set |= f[k].bit;
		in.description = o.description;
		in.owner = o.owner;
		in.pillar = o.pillar;
		in.horizon = o.horizon;
		in.start = o.start;
		in.target = o.target;
		in.status = o.status;
		if (o.is_public >= 0) {
			in.set |= INI_PUBLIC;
			in.is_public = o.is_public;
		}
		if (o.nobjectives) {
			in.set |= INI_OBJECTIVES;
			in.objectives = o.objectives;
			in.nobjectives = o.nobjectives;
		}
		if (!(rc = svc_initiative_save(OP(st, &actor), id, &in, -1, &ini, &e)))
			printf("%s initiative %" PRId64 " %s\n", id ? "Updated" : "Created", ini.id, ini.title);
	} else if (!strcmp(sub, "update")) {
		if (!(rc = svc_initiative_post(OP(st, &actor), id, o.health, o.text, &e)))
			printf("Initiative %" PRId64 " is %s\n", id, o.health);
	} else if (with_epic) {
		int add = !strcmp(sub, "add-epic");
		if (!(rc = svc_initiative_epic(OP(st, &actor), id, number, add, &e)))
			printf("Epic #%" PRId64 " %s initiative %" PRId64 "\n", number, add ? "is in" : "left",
			       id);
	} else {
		rc = cli_usage("initiative");
		goto out;
	}
	if (rc)
		rc = cli_fail(&e);
out:
	svc_close(st);
	return rc;
}

int cmd_roadmap(int argc, char **argv)
{
	struct sopts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	struct roadmap_view rv;
	int rc;
	if (parse(argc, argv, &o) || optind != argc)
		return cli_usage("roadmap");
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (svc_roadmap(OP(st, &actor), &rv, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	if (o.json) {
		cli_print_json(roadmap_to_json(&rv));
	} else {
		char *md = roadmap_markdown(&rv);
		fputs(md ? md : "", stdout);
		free(md);
	}
	roadmap_view_release(&rv);
out:
	svc_close(st);
	return rc;
}
