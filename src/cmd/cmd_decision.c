/*
 * cmd_decision.c — `cairn decision ...`: the decision log on a local
 * database, the same operations as the API (service/svc_decision.c).
 * An option is given as "TITLE|PROS|CONS" (pros and cons may be empty).
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"
#include "service/decision_json.h"
#include "service/issue_json.h"

#define MULTI 20

struct dopts {
	const char *db, *as, *q, *status, *involving, *title, *context, *decision, *consequences;
	const char *review;
	const char *options[MULTI];
	const char *people[4][MULTI];
	size_t noptions, npeople[4];
	int64_t issues[MULTI], issue, supersedes;
	size_t nissues;
	int json, has_supersedes;
};

enum {
	D_DB = 256, D_AS, D_JSON, D_Q, D_STATUS, D_INVOLVING, D_TITLE, D_CONTEXT, D_DECISION,
	D_CONSEQUENCES, D_REVIEW, D_OPTION, D_RESPONSIBLE, D_ACCOUNTABLE, D_CONSULTED, D_INFORMED,
	D_ISSUE, D_SUPERSEDES,
};

static const struct option dopts_long[] = {
	{"db", required_argument, 0, D_DB},
	{"as", required_argument, 0, D_AS},
	{"json", no_argument, 0, D_JSON},
	{"q", required_argument, 0, D_Q},
	{"status", required_argument, 0, D_STATUS},
	{"involving", required_argument, 0, D_INVOLVING},
	{"title", required_argument, 0, D_TITLE},
	{"context", required_argument, 0, D_CONTEXT},
	{"decision", required_argument, 0, D_DECISION},
	{"consequences", required_argument, 0, D_CONSEQUENCES},
	{"review", required_argument, 0, D_REVIEW},
	{"option", required_argument, 0, D_OPTION},
	{"responsible", required_argument, 0, D_RESPONSIBLE},
	{"accountable", required_argument, 0, D_ACCOUNTABLE},
	{"consulted", required_argument, 0, D_CONSULTED},
	{"informed", required_argument, 0, D_INFORMED},
	{"issue", required_argument, 0, D_ISSUE},
	{"supersedes", required_argument, 0, D_SUPERSEDES},
	{0, 0, 0, 0},
};

static int parse(int argc, char **argv, struct dopts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", dopts_long, NULL)) != -1) {
		int64_t n;
		switch (c) {
		case D_DB: o->db = optarg; break;
		case D_AS: o->as = optarg; break;
		case D_JSON: o->json = 1; break;
		case D_Q: o->q = optarg; break;
		case D_STATUS: o->status = optarg; break;
		case D_INVOLVING: o->involving = optarg; break;
		case D_TITLE: o->title = optarg; break;
		case D_CONTEXT: o->context = optarg; break;
		case D_DECISION: o->decision = optarg; break;
		case D_CONSEQUENCES: o->consequences = optarg; break;
		case D_REVIEW: o->review = optarg; break;
		case D_OPTION:
			if (o->noptions >= MULTI)
				return 1;
			o->options[o->noptions++] = optarg;
			break;
		case D_RESPONSIBLE:
		case D_ACCOUNTABLE:
		case D_CONSULTED:
		case D_INFORMED: {
			int r = c - D_RESPONSIBLE;
			if (o->npeople[r] >= MULTI)
				return 1;
			o->people[r][o->npeople[r]++] = optarg;
			break;
		}
		case D_ISSUE:
			if (cli_parse_int(optarg, &n) || o->nissues >= MULTI)
				return 1;
			o->issues[o->nissues++] = n;
			o->issue = n;
			break;
		case D_SUPERSEDES:
			if (cli_parse_int(optarg, &o->supersedes))
				return 1;
			o->has_supersedes = 1;
			break;
		default: return 1;
		}
	}
	return 0;
}

/* "TITLE|PROS|CONS" options as the JSON array the service takes. */
static char *options_json(const struct dopts *o)
{
	json_t *a = json_array();
	for (size_t k = 0; k < o->noptions; k++) {
		char buf[8192];
		snprintf(buf, sizeof buf, "%s", o->options[k]);
		char *pros = strchr(buf, '|'), *cons = NULL;
		if (pros) {
			*pros++ = '\0';
			if ((cons = strchr(pros, '|')))
				*cons++ = '\0';
		}
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "title", buf, "pros", pros ? pros : "",
						   "cons", cons ? cons : ""));
	}
	char *text = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(a);
	return text;
}

static void print_view(const struct decision_view *v)
{
	static const char *const roles[] = {"R", "A", "C", "I"};
	const struct decision *d = &v->d;
	char at[32] = "";
	if (d->decided_at)
		iso_time(d->decided_at, at, sizeof at);
	printf("#%" PRId64 " %s\n  status    %s%s%s\n", d->id, d->title, decision_status_name(d->status),
	       at[0] ? " on " : "", at);
	if (d->superseded_by)
		printf("  superseded by #%" PRId64 "\n", d->superseded_by);
	if (d->supersedes)
		printf("  supersedes #%" PRId64 "\n", d->supersedes);
	for (size_t k = 0; k < v->npeople; k++)
		printf("  %s         @%s\n", roles[v->people[k].role & 3], v->people[k].login);
	for (size_t k = 0; k < v->nlinks; k++)
		if (v->links[k].kind == DLINK_ISSUE)
			printf("  issue     #%" PRId64 " %s\n", v->links[k].number, v->links[k].title);
	if (d->context[0])
		printf("\nContext:\n%s\n", d->context);
	if (d->decision[0])
		printf("\nDecision:\n%s\n", d->decision);
	if (d->consequences[0])
		printf("\nConsequences:\n%s\n", d->consequences);
	json_error_t je;
	json_t *sig = json_loads(v->signals ? v->signals : "[]", 0, &je), *s;
	size_t k;
	json_array_foreach(sig, k, s) printf("\n! %s", json_string_value(s));
	if (json_array_size(sig))
		printf("\n");
	json_decref(sig);
}

int cmd_decision(int argc, char **argv)
{
	struct dopts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	struct decision_view v = {0};
	int64_t id = 0;
	char *options = NULL;
	int rc;
	if (argc < 2 || parse(argc - 1, argv + 1, &o))
		return cli_usage("decision");
	const char *sub = argv[1];
	char **pos = argv + 1 + optind;
	int npos = argc - 1 - optind;
	int with_id = !strcmp(sub, "show") || !strcmp(sub, "edit") || !strcmp(sub, "accept") ||
		      !strcmp(sub, "reject") || !strcmp(sub, "history");
	if ((with_id && (npos != 1 || cli_parse_int(pos[0], &id))) ||
	    (!strcmp(sub, "new") && npos != 1) || (!strcmp(sub, "list") && npos))
		return cli_usage("decision");
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "list")) {
		struct decision_list l;
		int64_t total;
		if (!(rc = svc_decision_list(OP(st, &actor), o.q, o.status, o.issue, o.involving, &l, &total,
					     &e))) {
			json_t *a = o.json ? json_array() : NULL;
			for (size_t k = 0; k < l.n; k++) {
				if (a) {
					json_array_append_new(a, decision_to_json(&l.items[k], NULL));
					continue;
				}
				char at[32] = "-";
				if (l.items[k].decided_at)
					iso_time(l.items[k].decided_at, at, sizeof at);
				printf("%4" PRId64 "  %-10s %.10s  %s\n", l.items[k].id,
				       decision_status_name(l.items[k].status), at, l.items[k].title);
			}
			if (a)
				cli_print_json(a);
			decision_list_release(&l);
		}
	} else if (!strcmp(sub, "show")) {
		if (!(rc = svc_decision_get(OP(st, &actor), id, &v, &e))) {
			if (o.json)
				cli_print_json(decision_to_json(&v.d, &v));
			else
				print_view(&v);
		}
	} else if (!strcmp(sub, "new") || !strcmp(sub, "edit")) {
		struct decision_input in = {0};
		in.title = !strcmp(sub, "new") ? pos[0] : o.title;
		if (in.title)
			in.set |= DEC_TITLE;
		if (o.context)
			in.set |= DEC_CONTEXT, in.context = o.context;
		if (o.decision)
			in.set |= DEC_DECISION, in.decision = o.decision;
		if (o.consequences)
			in.set |= DEC_CONSEQUENCES, in.consequences = o.consequences;
		if (o.review)
			in.set |= DEC_REVIEW, in.review_date = o.review;
		if (o.noptions) {
			if (!(options = options_json(&o))) {
				rc = 4;
				goto out;
			}
			in.set |= DEC_OPTIONS;
			in.options = options;
		}
		for (int r = 0; r < 4; r++) {
			in.raci[r] = o.people[r];
			in.nraci[r] = o.npeople[r];
			if (o.npeople[r])
				in.set |= DEC_RACI;
		}
		if (o.nissues)
			in.set |= DEC_ISSUES, in.issues = o.issues, in.nissues = o.nissues;
		if (o.has_supersedes)
			in.set |= DEC_SUPERSEDES, in.supersedes = o.supersedes;
		if (!(rc = svc_decision_save(OP(st, &actor), id, &in, -1, &v, &e))) {
			if (o.json)
				cli_print_json(decision_to_json(&v.d, &v));
			else
				printf("%s decision #%" PRId64 " %s\n", id ? "Updated" : "Recorded", v.d.id,
				       v.d.title);
		}
	} else if (!strcmp(sub, "accept") || !strcmp(sub, "reject")) {
		if (!(rc = svc_decision_status(OP(st, &actor), id,
					       !strcmp(sub, "accept") ? "accepted" : "rejected", -1, &v,
					       &e)))
			printf("Decision #%" PRId64 " is %s\n", id, decision_status_name(v.d.status));
	} else if (!strcmp(sub, "history")) {
		struct history_list h;
		if (!(rc = svc_decision_history(OP(st, &actor), id, &h, &e))) {
			for (size_t k = 0; k < h.n; k++) {
				char at[32];
				iso_time(h.items[k].at, at, sizeof at);
				printf("%s  @%-10s %-12s %s%s%s\n", at, h.items[k].actor ? h.items[k].actor : "?",
				       h.items[k].field, h.items[k].old_value ? h.items[k].old_value : "",
				       h.items[k].old_value ? " → " : "",
				       h.items[k].new_value ? h.items[k].new_value : "");
			}
			history_list_release(&h);
		}
	} else {
		rc = cli_usage("decision");
		goto out;
	}
	if (rc)
		rc = cli_fail(&e);
out:
	decision_view_release(&v);
	free(options);
	svc_close(st);
	return rc;
}
