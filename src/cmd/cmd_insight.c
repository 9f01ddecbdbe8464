/*
 * cmd_insight.c — `cairn backlog` (the ranked backlog with its evidence)
 * `cairn insights import|export` (CSV), `cairn customer add` and `cairn
 * persona add` on a local database.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

int cmd_backlog(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"rank", required_argument, 0, 'r'},
					     {"limit", required_argument, 0, 'l'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL, *rank = "demand";
	long limit = 20;
	int c, rc, json = 0;
	struct store *st = NULL;
	struct user actor;
	struct backlog b;
	struct err e;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			as = optarg;
		else if (c == 'r')
			rank = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'l' && (limit = strtol(optarg, &end, 10), !*end && limit > 0))
			;
		else
			return cli_usage("backlog");
	}
	if (optind != argc)
		return cli_usage("backlog");
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if (svc_backlog(OP(st, &actor), rank, &b, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	json_t *a = json ? json_array() : NULL;
	if (!json)
		printf("%4s %7s  %6s %5s %6s  %-50s %s\n", "RANK", "#", "SCORE", "CUST", "ASKS", "TITLE",
		       "TOP ASK");
	for (size_t k = 0; k < b.n && (long)k < limit; k++) {
		const struct backlog_item *it = &b.items[k];
		/* the heaviest ask: the evidence a PM reads first */
		size_t top = 0;
		for (size_t j = 1; j < it->nasks; j++)
			if (it->asks[j].weight > it->asks[top].weight)
				top = j;
		const struct backlog_ask *ev = it->nasks ? &it->evidence[top] : NULL;
		if (json) {
			json_t *o = json_pack("{s:i,s:I,s:s,s:f,s:f,s:i,s:i,s:i}", "rank", (int)k + 1,
					      "number", (json_int_t)it->number, "title", it->title, "score",
					      it->score, "demand", it->demand.score, "customers",
					      it->demand.customers, "insights", it->demand.asks, "effort",
					      it->rice.effort);
			json_object_set_new(o, "rice", it->rice.score < 0 ? json_null() : json_real(it->rice.score));
			json_array_append_new(a, o);
			continue;
		}
		char score[16];
		if (it->score < 0)
			snprintf(score, sizeof score, "unsized");
		else
			snprintf(score, sizeof score, "%.2f", it->score);
		printf("%4zu %7lld  %6s %5d %6d  %-50.50s %s%s%s\n", k + 1, (long long)it->number, score,
		       it->demand.customers, it->demand.asks, it->title,
		       ev && ev->customer[0] ? ev->customer : "", ev && ev->customer[0] ? ": " : "",
		       ev ? ev->insight_title : "");
	}
	if (json) {
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		putchar('\n');
		json_decref(a);
	} else
		printf("%zu issue%s with customer evidence, ranked by %s\n", b.n, b.n == 1 ? "" : "s",
		       rank);
	backlog_release(&b);
out:
	svc_close(st);
	return rc;
}

int cmd_insights(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"map", required_argument, 0, 'm'},
					     {"create-customers", no_argument, 0, 'c'},
					     {"dry-run", no_argument, 0, 'n'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL, *map = NULL;
	int create = 0, dry = 0;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int c, rc;

	if (argc < 2)
		return cli_usage("insights");
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			as = optarg;
		else if (c == 'm')
			map = optarg;
		else if (c == 'c')
			create = 1;
		else if (c == 'n')
			dry = 1;
		else
			return cli_usage("insights");
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int import = !strcmp(argv[1], "import"), export = !strcmp(argv[1], "export");
	if ((!import && !export) || (import && npos > 1) || (export && (npos || create || dry)))
		return cli_usage("insights");
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if (export) {
		char *csv;
		size_t len;
		if (svc_insight_export(OP(st, NULL), &csv, &len, &e))
			rc = cli_fail(&e);
		else {
			fwrite(csv, 1, len, stdout);
			free(csv);
		}
		goto out;
	}
	size_t len = 0;
	char *text = cli_read_file(npos ? pos[0] : NULL, &len);
	if (!text) {
		fprintf(stderr, "cairn: cannot read %s: %s\n", npos ? pos[0] : "stdin", strerror(errno));
		rc = 2;
		goto out;
	}
	struct import_result res;
	struct import_opts io = {map, create, dry};
	if (svc_insight_import(OP(st, &actor), text ? text : "", len, &io, &res, &e))
		rc = cli_fail(&e);
	else {
		for (size_t k = 0; k < res.nignored; k++)
			fprintf(stderr, "ignored: %s\n", res.ignored[k]);
		for (size_t k = 0; k < res.nerrors; k++)
			fprintf(stderr, "line %ld: %s\n", res.errors[k].line, res.errors[k].message);
		for (size_t k = 0; k < res.ncreated; k++)
			printf("%s customer: %s\n", dry ? "would add" : "added", res.created[k]);
		printf("%s %ld insight%s, %zu row%s refused\n", dry ? "would import" : "imported",
		       res.imported, res.imported == 1 ? "" : "s", res.nerrors,
		       res.nerrors == 1 ? "" : "s");
		rc = res.nerrors ? 2 : 0;
		import_result_free(&res);
	}
	free(text);
out:
	svc_close(st);
	return rc;
}

/* `cairn customer add NAME [--tier T] [--arr N] [--seats N] [--strategic]`
 * and `cairn persona add NAME [--description D] [--buyer-level L]`. */
static int add_named(int argc, char **argv, int persona)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"tier", required_argument, 0, 't'},
					     {"arr", required_argument, 0, 'r'},
					     {"seats", required_argument, 0, 's'},
					     {"strategic", no_argument, 0, 'S'},
					     {"description", required_argument, 0, 'D'},
					     {"buyer-level", required_argument, 0, 'b'},
					     {0, 0, 0, 0}};
	const char *cmd = persona ? "persona" : "customer";
	const char *db = NULL, *as = NULL;
	struct customer_input ci = {.strategic = 0};
	struct persona_input pi = {NULL, NULL, "individual"};
	struct store *st = NULL;
	struct user actor;
	struct err e;
	char *end;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "add"))
		return cli_usage(cmd);
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			as = optarg;
		else if (!persona && c == 't')
			ci.tier = optarg;
		else if (!persona && c == 'r' && (ci.arr = strtoll(optarg, &end, 10), !*end && *optarg))
			;
		else if (!persona && c == 's' &&
			 (ci.seats = (int)strtol(optarg, &end, 10), !*end && *optarg))
			;
		else if (!persona && c == 'S')
			ci.strategic = 1;
		else if (persona && c == 'D')
			pi.description = optarg;
		else if (persona && c == 'b')
			pi.buyer_level = optarg;
		else
			return cli_usage(cmd);
	}
	if (argc - 1 - optind != 1)
		return cli_usage(cmd);
	ci.name = pi.name = argv[1 + optind];
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if (persona) {
		struct persona p;
		if (svc_persona_add(OP(st, &actor), &pi, &p, &e))
			rc = cli_fail(&e);
		else
			printf("persona %lld: %s\n", (long long)p.id, p.name);
	} else {
		struct customer cu;
		if (svc_customer_add(OP(st, &actor), &ci, &cu, &e))
			rc = cli_fail(&e);
		else
			printf("customer %lld: %s (%s, ARR %lld%s)\n", (long long)cu.id, cu.name,
			       cu.tier, (long long)cu.arr, cu.strategic ? ", strategic" : "");
	}
out:
	svc_close(st);
	return rc;
}

int cmd_customer(int argc, char **argv)
{
	return add_named(argc, argv, 0);
}

int cmd_persona(int argc, char **argv)
{
	return add_named(argc, argv, 1);
}
