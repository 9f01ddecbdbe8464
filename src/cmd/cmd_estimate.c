/*
 * cmd_estimate.c — `cairn estimate ...`: estimation sessions (planning
 * poker) on a local database, the same operations as the API
 * (service/svc_estimation.c).  The text output is drawn from the same JSON
 * the API returns, so both show exactly what the reader may see.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"
#include "service/estimation_json.h"
#include "service/issue_json.h"

struct eopts {
	const char *db, *as, *closes, *status, *participants_arg, *issues_arg;
	int json, async, pm;
};

enum { E_DB = 256, E_AS, E_JSON, E_ISSUES, E_ASYNC, E_CLOSES, E_PM, E_PARTICIPANTS, E_STATUS };

static const struct option eopts_long[] = {
	{"db", required_argument, 0, E_DB},
	{"as", required_argument, 0, E_AS},
	{"json", no_argument, 0, E_JSON},
	{"issues", required_argument, 0, E_ISSUES},
	{"async", no_argument, 0, E_ASYNC},
	{"closes", required_argument, 0, E_CLOSES},
	{"pm", no_argument, 0, E_PM},
	{"participants", required_argument, 0, E_PARTICIPANTS},
	{"status", required_argument, 0, E_STATUS},
	{0, 0, 0, 0},
};

static int parse(int argc, char **argv, struct eopts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", eopts_long, NULL)) != -1) {
		switch (c) {
		case E_DB: o->db = optarg; break;
		case E_AS: o->as = optarg; break;
		case E_JSON: o->json = 1; break;
		case E_ISSUES: o->issues_arg = optarg; break;
		case E_ASYNC: o->async = 1; break;
		case E_CLOSES: o->closes = optarg; break;
		case E_PM: o->pm = 1; break;
		case E_PARTICIPANTS: o->participants_arg = optarg; break;
		case E_STATUS: o->status = optarg; break;
		default: return 1;
		}
	}
	return 0;
}

/* "12,#15, 17" into numbers; -1 on a bad one or too many. */
static int parse_issues(const char *arg, int64_t *out, size_t *n)
{
	char buf[1024];
	*n = 0;
	if (!arg || strlen(arg) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", arg);
	for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		if (*n > EST_ITEMS_MAX || cli_parse_int(t, &out[*n]))
			return -1;
		(*n)++;
	}
	return 0;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* "cto1, eng1" from an array of strings (or of objects with key). */
static void join(json_t *a, const char *key, char *buf, size_t cap)
{
	size_t k, n = 0;
	json_t *v;
	buf[0] = '\0';
	json_array_foreach(a, k, v)
	{
		if (n >= cap)
			break;
		const char *s = key ? json_string_value(json_object_get(v, key)) : json_string_value(v);
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", k ? ", " : "", s ? s : "");
	}
}

static void print_round(json_t *round_votes, json_t *stats)
{
	size_t k;
	json_t *v;
	printf("     votes:");
	json_array_foreach(round_votes, k, v) printf(" %s %s%s", str(v, "voter"), str(v, "size"),
						       k + 1 < json_array_size(round_votes) ? "," : "");
	if (json_is_object(stats)) {
		char out[512];
		join(json_object_get(stats, "outliers"), NULL, out, sizeof out);
		printf("\n     median %s, spread %lld step(s) %s..%s%s%s%s\n",
		       json_is_string(json_object_get(stats, "median")) ? str(stats, "median") : "-",
		       (long long)json_integer_value(json_object_get(stats, "spread")),
		       json_is_string(json_object_get(stats, "min")) ? str(stats, "min") : "-",
		       json_is_string(json_object_get(stats, "max")) ? str(stats, "max") : "-",
		       json_is_true(json_object_get(stats, "consensus")) ? ", consensus" : "",
		       out[0] ? ", outliers: " : "", out);
	} else
		printf("\n");
}

static void print_session(json_t *s)
{
	char people[1024], when[64] = "";
	json_t *items = json_object_get(s, "items"), *it;
	size_t k;
	join(json_object_get(s, "participants"), NULL, people, sizeof people);
	if (json_is_string(json_object_get(s, "closes_at")))
		snprintf(when, sizeof when, ", voting until %s", str(s, "closes_at"));
	printf("Session %lld: %s\n  %s, %s stage, %s%s%s\n  facilitator %s; voters: %s\n",
	       (long long)json_integer_value(json_object_get(s, "id")), str(s, "title"),
	       str(s, "mode"), str(s, "stage"), str(s, "status"), when,
	       json_is_true(json_object_get(s, "voting_open")) || strcmp(str(s, "status"), "open")
		       ? ""
		       : " (voting closed)",
	       str(s, "facilitator"), people[0] ? people : "everyone but viewers");
	json_array_foreach(items, k, it)
	{
		char voters[1024];
		long long number = (long long)json_integer_value(json_object_get(it, "issue"));
		int current = json_integer_value(json_object_get(s, "current")) == number;
		join(json_object_get(it, "voters"), NULL, voters, sizeof voters);
		printf("%s #%lld %s (%s; size %s, pm_size %s)\n   round %lld: ", current ? ">" : " ",
		       number, str(it, "title"), str(it, "type"),
		       json_is_string(json_object_get(it, "size")) ? str(it, "size") : "-",
		       json_is_string(json_object_get(it, "pm_size")) ? str(it, "pm_size") : "-",
		       (long long)json_integer_value(json_object_get(it, "round")));
		if (json_is_true(json_object_get(it, "revealed")))
			printf("revealed\n");
		else
			printf("%s voted%s%s%s\n", voters[0] ? voters : "nobody has",
			       json_is_string(json_object_get(it, "my_vote")) ? "; your vote: " : "",
			       json_is_string(json_object_get(it, "my_vote")) ? str(it, "my_vote") : "",
			       voters[0] ? " (hidden until the reveal)" : "");
		size_t r;
		json_t *round;
		json_array_foreach(json_object_get(it, "rounds"), r, round)
		{
			printf("   round %lld:\n", (long long)json_integer_value(json_object_get(round, "round")));
			print_round(json_object_get(round, "votes"), json_object_get(round, "stats"));
		}
		if (json_is_true(json_object_get(it, "revealed")))
			print_round(json_object_get(it, "votes"), json_object_get(it, "stats"));
		json_t *f = json_object_get(it, "final");
		if (json_is_object(f))
			printf("   final size %s, set by %s%s\n", str(f, "size"), str(f, "by"),
			       json_is_true(json_object_get(f, "cto")) ? " (CTO: the CTO's word stands)" : "");
	}
}

static int show(const struct est_view *v, int as_json)
{
	json_t *j = est_view_to_json(v);
	if (!j)
		return 4;
	if (as_json)
		cli_print_json(j);
	else {
		print_session(j);
		json_decref(j);
	}
	return 0;
}

static int list(struct store *st, const struct user *actor, const struct eopts *o)
{
	struct est_session *l;
	size_t n;
	struct err e;
	err_clear(&e);
	if (svc_est_list(OP(st, actor), o->status, &l, &n, &e))
		return cli_fail(&e);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, est_summary_to_json(&l[k], now_ms()));
	free(l);
	if (o->json) {
		cli_print_json(json_pack("{s:o}", "sessions", a));
		return 0;
	}
	size_t k;
	json_t *s;
	if (!json_array_size(a))
		printf("no estimation sessions\n");
	json_array_foreach(a, k, s)
	{
		printf("%4lld  %-6s %-5s %2lld/%-2lld estimated  %-12s %s\n",
		       (long long)json_integer_value(json_object_get(s, "id")), str(s, "status"),
		       str(s, "mode"), (long long)json_integer_value(json_object_get(s, "estimated")),
		       (long long)json_integer_value(json_object_get(s, "items")),
		       str(s, "facilitator"), str(s, "title"));
	}
	json_decref(a);
	return 0;
}

static int history(struct store *st, const struct user *actor, int64_t id, int as_json)
{
	struct history_list h;
	struct err e;
	err_clear(&e);
	if (svc_est_history(OP(st, actor), id, &h, &e))
		return cli_fail(&e);
	json_t *a = json_array();
	for (size_t k = 0; k < h.n; k++)
		json_array_append_new(a, history_entry_to_json(&h.items[k]));
	if (!as_json)
		for (size_t k = 0; k < h.n; k++) {
			char at[32];
			iso_time(h.items[k].at, at, sizeof at);
			printf("%s  %-10s %-24s %s -> %s\n", at, h.items[k].actor ? h.items[k].actor : "-",
			       h.items[k].field, h.items[k].old_value ? h.items[k].old_value : "-",
			       h.items[k].new_value ? h.items[k].new_value : "-");
		}
	history_list_release(&h);
	if (as_json)
		cli_print_json(json_pack("{s:o}", "items", a));
	else
		json_decref(a);
	return 0;
}

int cmd_estimate(int argc, char **argv)
{
	static const struct {
		const char *name;
		enum est_action act;
		int args; /* ID ISSUE [SIZE] */
	} acts[] = {{"vote", EST_VOTE, 3}, {"reveal", EST_REVEAL, 2}, {"revote", EST_REVOTE, 2},
		    {"final", EST_FINAL, 3}};
	struct eopts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	struct est_view v;
	int64_t id = 0, number = 0;
	int rc;
	if (argc < 2 || parse(argc - 1, argv + 1, &o))
		return cli_usage("estimate");
	const char *sub = argv[1];
	char **pos = argv + 1 + optind;
	int npos = argc - 1 - optind, act = -1;
	for (int k = 0; k < 4; k++)
		if (!strcmp(sub, acts[k].name))
			act = k;
	int one_id = !strcmp(sub, "show") || !strcmp(sub, "close") || !strcmp(sub, "history");
	if ((one_id && (npos != 1 || cli_parse_int(pos[0], &id))) ||
	    (act >= 0 && (npos != acts[act].args || cli_parse_int(pos[0], &id) ||
			  cli_parse_int(pos[1], &number))) ||
	    (!strcmp(sub, "current") && (npos != 2 || cli_parse_int(pos[0], &id) ||
					 cli_parse_int(pos[1], &number))) ||
	    (!strcmp(sub, "new") && npos != 1) || (!strcmp(sub, "list") && npos) ||
	    (!one_id && act < 0 && strcmp(sub, "new") && strcmp(sub, "list") &&
	     strcmp(sub, "current")))
		return cli_usage("estimate");
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "list")) {
		rc = list(st, &actor, &o);
		goto out;
	}
	if (!strcmp(sub, "history")) {
		rc = history(st, &actor, id, o.json);
		goto out;
	}
	if (!strcmp(sub, "new")) {
		int64_t issues[EST_ITEMS_MAX + 1];
		const char *people[EST_PEOPLE_MAX + 1];
		char pbuf[2048];
		struct est_input in = {0};
		if (parse_issues(o.issues_arg, issues, &in.nissues)) {
			err_set(&e, CAIRN_EINVALID, "issues",
				"--issues must list 1 to %d issue numbers, like 12,15", EST_ITEMS_MAX);
			rc = cli_fail(&e);
			goto out;
		}
		in.issues = issues;
		in.title = pos[0];
		in.mode = o.async ? "async" : NULL;
		in.stage = o.pm ? "pm" : NULL;
		in.closes_at = o.closes;
		if (o.participants_arg) {
			snprintf(pbuf, sizeof pbuf, "%s", o.participants_arg);
			for (char *save = NULL, *t = strtok_r(pbuf, ", ", &save); t;
			     t = strtok_r(NULL, ", ", &save))
				if (in.nparticipants <= EST_PEOPLE_MAX)
					people[in.nparticipants++] = t;
			in.participants = people;
		}
		rc = svc_est_create(OP(st, &actor), &in, &v, &e);
	} else if (!strcmp(sub, "show"))
		rc = svc_est_get(OP(st, &actor), id, &v, &e);
	else if (!strcmp(sub, "close"))
		rc = svc_est_close(OP(st, &actor), id, &v, &e);
	else if (!strcmp(sub, "current"))
		rc = svc_est_current(OP(st, &actor), id, number, -1, &v, &e);
	else
		rc = svc_est_act(OP(st, &actor), id, number, acts[act].act,
				 acts[act].args == 3 ? pos[2] : NULL, &v, &e);
	if (rc) {
		rc = cli_fail(&e);
		goto out;
	}
	rc = show(&v, o.json);
	est_view_release(&v);
out:
	svc_close(st);
	return rc;
}
