/*
 * cmd_github.c — `cairn github ...` (repositories, login mapping, the
 * delivery log) and `cairn import github FILE|-` (a repository's issues as
 * GitHub's REST API returns them).  The operations are the service's
 * (svc_github.c), the same the API calls; --json prints the API's JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "service/github_json.h"

/* Options shared by the subcommands. */
struct gh_opts {
	const char *db, *as, *repo;
	int json, secret_stdin, token_stdin;
	int64_t area, limit;
	int area_set;
};

/* Parse the options into o; the positional words stay in argv[optind..]. */
static int parse(const char *cmd, int argc, char **argv, struct gh_opts *o)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"json", no_argument, 0, 'j'},
					     {"secret-stdin", no_argument, 0, 's'},
					     {"token-stdin", no_argument, 0, 't'},
					     {"area", required_argument, 0, 'A'},
					     {"limit", required_argument, 0, 'l'},
					     {"repo", required_argument, 0, 'r'},
					     {0, 0, 0, 0}};
	int c;
	memset(o, 0, sizeof *o);
	o->limit = 50;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			o->db = optarg;
		else if (c == 'a')
			o->as = optarg;
		else if (c == 'j')
			o->json = 1;
		else if (c == 's')
			o->secret_stdin = 1;
		else if (c == 't')
			o->token_stdin = 1;
		else if (c == 'r')
			o->repo = optarg;
		else if (c == 'A' && !cli_parse_int(optarg, &o->area))
			o->area_set = 1;
		else if (c == 'l' && !cli_parse_int(optarg, &o->limit))
			continue;
		else
			return cli_usage(cmd);
	}
	return 0;
}

static void print_repo(const struct gh_repo *r)
{
	printf("%-4lld %-40s secret:%s token:%s area:%s\n", (long long)r->id, r->full_name,
	       r->secret[0] ? "set" : "none", r->token[0] ? "set" : "none",
	       r->area_id ? r->area : "(whole product)");
}

static int repo_cmd(struct store *st, const struct user *actor, int argc, char **argv,
		    const struct gh_opts *o)
{
	struct err e;
	err_clear(&e);
	const char *verb = optind < argc ? argv[optind] : "list";
	if (!strcmp(verb, "list") && optind + 1 >= argc) {
		struct gh_repo *v;
		size_t n;
		if (svc_gh_repo_list(OP(st, actor), &v, &n, &e))
			return cli_fail(&e);
		json_t *a = json_array();
		for (size_t k = 0; k < n; k++) {
			if (o->json)
				json_array_append_new(a, gh_repo_to_json(&v[k]));
			else
				print_repo(&v[k]);
		}
		if (o->json)
			cli_print_json(a);
		else
			json_decref(a);
		free(v);
		return 0;
	}
	if (!strcmp(verb, "remove") && optind + 2 == argc) {
		int64_t id;
		if (cli_parse_int(argv[optind + 1], &id))
			return cli_usage("github");
		return svc_gh_repo_delete(OP(st, actor), id, &e) ? cli_fail(&e) : 0;
	}
	int add = !strcmp(verb, "add");
	if ((!add && strcmp(verb, "set")) || optind + 2 != argc)
		return cli_usage("github");
	struct gh_repo_input in = {0};
	struct gh_repo r;
	char secret[65] = "", *typed = NULL, *token = NULL;
	int64_t id = 0;
	int rc;
	if (add) {
		in.set |= GH_IN_FULL_NAME;
		in.full_name = argv[optind + 1];
	} else if (cli_parse_int(argv[optind + 1], &id)) {
		return cli_usage("github");
	}
	if (o->secret_stdin) {
		if (!(typed = cli_read_line()))
			return cli_usage("github");
		in.set |= GH_IN_SECRET;
		in.secret = typed;
	} else if (add) { /* one to paste into GitHub, shown once */
		cli_gen_password(secret, 33);
		in.set |= GH_IN_SECRET;
		in.secret = secret;
	}
	if (o->token_stdin) {
		if (!(token = cli_read_line())) {
			free(typed);
			return cli_usage("github");
		}
		in.set |= GH_IN_TOKEN;
		in.token = token;
	}
	if (o->area_set) {
		in.set |= GH_IN_AREA;
		in.area = o->area;
	}
	rc = add ? svc_gh_repo_add(OP(st, actor), &in, &r, &e)
		 : svc_gh_repo_update(OP(st, actor), id, &in, &r, &e);
	free(typed);
	free(token);
	if (rc)
		return cli_fail(&e);
	if (o->json) {
		cli_print_json(gh_repo_to_json(&r));
	} else {
		print_repo(&r);
		if (secret[0])
			printf("webhook secret (shown once; paste it into the repository's webhook on "
			       "GitHub, payload URL <your Cairn>/hooks/github, content type "
			       "application/json):\n%s\n",
			       secret);
	}
	return 0;
}

static int deliveries_cmd(struct store *st, const struct user *actor, const struct gh_opts *o)
{
	struct err e;
	struct gh_delivery *d;
	size_t n;
	err_clear(&e);
	if (svc_gh_deliveries(OP(st, actor), o->limit, &d, &n, &e))
		return cli_fail(&e);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++) {
		if (o->json)
			json_array_append_new(a, gh_delivery_to_json(&d[k]));
		else
			printf("%-5lld %-10s %-14s %-12s %-30s %s\n", (long long)d[k].id, d[k].result,
			       d[k].event, d[k].action, d[k].repository, d[k].message);
	}
	if (o->json)
		cli_print_json(a);
	else
		json_decref(a);
	gh_deliveries_free(d, n);
	return 0;
}

int cmd_github(int argc, char **argv)
{
	struct gh_opts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int rc = parse("github", argc, argv, &o);
	if (rc)
		return rc;
	if (optind >= argc)
		return cli_usage("github");
	const char *what = argv[optind++];
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(what, "repo")) {
		rc = repo_cmd(st, &actor, argc, argv, &o);
	} else if (!strcmp(what, "login") && (argc - optind == 1 || argc - optind == 2)) {
		rc = svc_gh_login_set(OP(st, &actor), argv[optind],
				      argc - optind == 2 ? argv[optind + 1] : NULL, &e)
			     ? cli_fail(&e)
			     : 0;
	} else if (!strcmp(what, "logins") && optind == argc) {
		struct gh_login *l;
		size_t n;
		if (svc_gh_login_list(OP(st, &actor), &l, &n, &e)) {
			rc = cli_fail(&e);
		} else if (o.json) {
			cli_print_json(gh_logins_to_json(l, n));
		} else {
			for (size_t k = 0; k < n; k++)
				printf("%-39s -> %s\n", l[k].login, l[k].user);
		}
		free(l);
	} else if (!strcmp(what, "deliveries") && optind == argc) {
		rc = deliveries_cmd(st, &actor, &o);
	} else if (!strcmp(what, "reprocess") && argc - optind == 1) {
		int64_t id;
		struct gh_result res;
		if (cli_parse_int(argv[optind], &id))
			rc = cli_usage("github");
		else if (svc_gh_reprocess(OP(st, &actor), id, &res, &e))
			rc = cli_fail(&e);
		else
			printf("delivery %lld: %s\n", (long long)res.delivery, res.result);
	} else {
		rc = cli_usage("github");
	}
out:
	svc_close(st);
	return rc;
}

/* A bar on stderr when it is a terminal, redrawn at each whole percent. */
struct bar {
	int tty, last;
};

static void progress(void *ctx, size_t done, size_t total)
{
	struct bar *b = ctx;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (!b->tty || pct == b->last)
		return;
	b->last = pct;
	char fill[41];
	int w = pct * 40 / 100;
	memset(fill, '#', (size_t)w);
	memset(fill + w, ' ', (size_t)(40 - w));
	fill[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%% %zu/%zu", fill, pct, done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cmd_import(int argc, char **argv)
{
	struct gh_opts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	struct gh_import_result res;
	int rc = parse("import", argc, argv, &o);
	if (rc)
		return rc;
	if (argc - optind != 2 || strcmp(argv[optind], "github"))
		return cli_usage("import");
	const char *file = argv[optind + 1];
	size_t len;
	char *text = cli_read_file(file, &len);
	if (!text) {
		fprintf(stderr, "cairn: cannot read %s: %s\n", file, strerror(errno));
		return 2;
	}
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	struct bar b = {isatty(STDERR_FILENO) && !o.json, -1};
	if (svc_gh_import(OP(st, &actor), text, len, o.repo, progress, &b, &res, &e)) {
		for (size_t k = 0; k < res.nerrors; k++)
			fprintf(stderr, "GitHub #%lld: %s\n", (long long)res.errors[k].number,
				res.errors[k].message);
		rc = cli_fail(&e);
		gh_import_result_release(&res);
		goto out;
	}
	if (o.json) {
		cli_print_json(gh_import_to_json(&res));
	} else {
		for (size_t k = 0; k < res.nerrors; k++)
			fprintf(stderr, "GitHub #%lld (item %zu): %s\n", (long long)res.errors[k].number,
				res.errors[k].index + 1, res.errors[k].message);
		printf("%s: %zu issue%s imported, %zu already here (updated where GitHub changed), "
		       "%zu pull request%s skipped, %zu refused\n",
		       res.repo[0] ? res.repo : "(no repository)", res.created,
		       res.created == 1 ? "" : "s", res.updated, res.pulls, res.pulls == 1 ? "" : "s",
		       res.nerrors);
		if (res.repo_created)
			printf("%s is now configured without a webhook secret: `cairn github repo set ID "
			       "--secret-stdin` to receive its webhooks\n",
			       res.repo);
	}
	rc = res.nerrors ? 2 : 0;
	gh_import_result_release(&res);
out:
	free(text);
	svc_close(st);
	return rc;
}
