/*
 * cmd_user.c — `cairn user ...`, `cairn token ...` and `cairn audit`: users
 * and their credentials on a local database, the same operations as the
 * API (service/svc_auth.c, svc_account.c), acting as --as (default: the
 * first admin).
 */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"
#include "service/issue_json.h"

static int user_list(struct store *st, int json)
{
	struct user *users, actor;
	size_t n;
	struct err e;
	int rc;
	err_clear(&e);
	if ((rc = cli_actor(st, NULL, &actor)))
		return rc;
	if (svc_user_list(OP(st, &actor), &users, &n, &e))
		return cli_fail(&e);
	if (json) {
		json_t *a = json_array();
		for (size_t k = 0; k < n; k++)
			json_array_append_new(a, user_to_json(&users[k]));
		json_dumpf(a, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(a);
	} else {
		printf("%-20s %-9s %-9s %s\n", "LOGIN", "ROLE", "STATUS", "NAME");
		for (size_t k = 0; k < n; k++)
			printf("%-20s %-9s %-9s %s\n", users[k].login, role_name(users[k].role),
			       users[k].disabled_at ? "disabled" : "active", users[k].name);
	}
	free(users);
	return 0;
}

/* role LOGIN ROLE | disable LOGIN | enable LOGIN | logout LOGIN |
 * password LOGIN (reset: from stdin, else generated and printed once) */
static int user_change(const char *sub, char **pos, int npos, const char *db, const char *as,
		       int pw_stdin)
{
	struct store *st;
	struct user actor, u;
	struct err e;
	char generated[21], *pw = NULL;
	int rc;
	if (npos != (!strcmp(sub, "role") ? 2 : 1))
		return cli_usage("user");
	if (!strcmp(sub, "password")) {
		if (pw_stdin && !(pw = cli_read_line())) {
			fprintf(stderr, "cairn: no password on stdin\n");
			return 1;
		}
		if (!pw_stdin)
			cli_gen_password(generated, sizeof generated);
	}
	if ((rc = cli_open(cli_db(db), 0, &st)))
		goto out;
	if ((rc = cli_actor(st, as, &actor)))
		goto close;
	err_clear(&e);
	if (!strcmp(sub, "role"))
		rc = svc_user_change(OP(st, &actor), pos[0], pos[1], -1, &u, &e);
	else if (!strcmp(sub, "disable") || !strcmp(sub, "enable"))
		rc = svc_user_change(OP(st, &actor), pos[0], NULL, !strcmp(sub, "disable"), &u, &e);
	else if (!strcmp(sub, "logout")) {
		int64_t n;
		if (!(rc = svc_sessions_end(OP(st, &actor), pos[0], &n, &e)))
			printf("cairn: ended %lld session(s) of %s\n", (long long)n, pos[0]);
	} else
		rc = svc_password_reset(OP(st, &actor), pos[0], pw ? pw : generated, &e);
	if (rc)
		rc = cli_fail(&e);
	else if (!strcmp(sub, "role") || !strcmp(sub, "disable") || !strcmp(sub, "enable"))
		printf("cairn: %s is %s%s\n", u.login, role_name(u.role),
		       u.disabled_at ? ", disabled (sessions ended, tokens refused)" : "");
	else if (!strcmp(sub, "password"))
		printf(pw ? "cairn: password of %s set; their sessions ended\n"
			  : "cairn: password of %s set to: %s (their sessions ended)\n",
		       pos[0], generated);
close:
	svc_close(st);
out:
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
	}
	return rc;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"role", required_argument, 0, 'r'},
					     {"name", required_argument, 0, 'n'},
					     {"password-stdin", no_argument, 0, 'p'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *role = NULL, *name = NULL, *as = NULL;
	int c, rc, pw_stdin = 0, json = 0;
	struct store *st;
	struct err e;

	if (argc < 2)
		return cli_usage("user");
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': as = optarg; break;
		case 'r': role = optarg; break;
		case 'n': name = optarg; break;
		case 'p': pw_stdin = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage("user");
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	if (strcmp(argv[1], "list") == 0) {
		if (npos != 0)
			return cli_usage("user");
		if ((rc = cli_open(cli_db(db), 0, &st)))
			return rc;
		rc = user_list(st, json);
		svc_close(st);
		return rc;
	}
	if (!strcmp(argv[1], "role") || !strcmp(argv[1], "disable") || !strcmp(argv[1], "enable") ||
	    !strcmp(argv[1], "logout") || (!strcmp(argv[1], "password") && npos == 1))
		return user_change(argv[1], pos, npos, db, as, pw_stdin);
	if (strcmp(argv[1], "add") != 0 || npos != 1 || !role)
		return cli_usage("user");

	char *pw = NULL, generated[21];
	if (pw_stdin) {
		if (!(pw = cli_read_line())) {
			fprintf(stderr, "cairn: no password on stdin\n");
			return 1;
		}
	} else {
		cli_gen_password(generated, sizeof generated);
	}
	if ((rc = cli_open(cli_db(db), 0, &st))) {
		free(pw);
		return rc;
	}
	err_clear(&e);
	rc = svc_user_add(OP(st, NULL), pos[0], name, role, pw ? pw : generated, NULL, &e);
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
	}
	svc_close(st);
	if (rc)
		return cli_fail(&e);
	if (pw_stdin)
		printf("cairn: added %s (%s)\n", pos[0], role);
	else
		printf("cairn: added %s (%s) with password: %s\n", pos[0], role, generated);
	return 0;
}

static void print_time(const char *label, int64_t ms)
{
	char buf[32] = "-";
	if (ms)
		iso_time(ms, buf, sizeof buf);
	printf("%s%-20s", label, buf);
}

static int token_list(struct store *st, const struct user *actor, const char *login, int json)
{
	struct token_row *rows;
	size_t n;
	struct err e;
	err_clear(&e);
	if (svc_tokens_list(OP(st, actor), login, &rows, &n, &e))
		return cli_fail(&e);
	if (json) {
		json_t *a = json_array();
		for (size_t k = 0; k < n; k++)
			json_array_append_new(a, token_to_json(&rows[k], now_ms()));
		cli_print_json(json_pack("{s:o}", "items", a));
	} else {
		printf("%5s  %-12s %-6s %-20s %-20s %-20s %s\n", "ID", "LOGIN", "SCOPE", "CREATED",
		       "EXPIRES", "LAST USED", "NAME");
		for (size_t k = 0; k < n; k++) {
			printf("%5lld  %-12s %-6s ", (long long)rows[k].id, rows[k].login,
			       scope_name(rows[k].scope));
			print_time("", rows[k].created_at);
			print_time(" ", rows[k].expires_at);
			print_time(" ", rows[k].last_used_at);
			printf(" %s\n", rows[k].name);
		}
	}
	free(rows);
	return 0;
}

int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"name", required_argument, 0, 'n'},
					     {"scope", required_argument, 0, 's'},
					     {"expires", required_argument, 0, 'x'},
					     {"all", no_argument, 0, 'A'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL, *name = NULL, *scope = NULL, *expires = NULL;
	char token[TOKEN_TEXT_LEN + 1];
	struct store *st;
	struct user actor;
	struct err e;
	int c, rc, all = 0, json = 0;

	if (argc < 2)
		return cli_usage("token");
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': as = optarg; break;
		case 'n': name = optarg; break;
		case 's': scope = optarg; break;
		case 'x': expires = optarg; break;
		case 'A': all = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage("token");
		}
	}
	const char *sub = argv[1];
	char **pos = argv + 1 + optind;
	int npos = argc - 1 - optind;
	int64_t id = 0;
	if ((!strcmp(sub, "new") && npos != 1) || (!strcmp(sub, "list") && npos > 1) ||
	    (!strcmp(sub, "revoke") && (npos != 1 || cli_parse_int(pos[0], &id))) ||
	    (strcmp(sub, "new") && strcmp(sub, "list") && strcmp(sub, "revoke")))
		return cli_usage("token");
	if ((rc = cli_open(cli_db(db), 0, &st)))
		return rc;
	if ((rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "list")) {
		rc = token_list(st, &actor, all ? "*" : npos ? pos[0] : NULL, json);
		goto out;
	}
	if (!strcmp(sub, "revoke")) {
		if ((rc = svc_token_revoke(OP(st, &actor), id, &e)))
			rc = cli_fail(&e);
		else
			printf("cairn: token %lld revoked\n", (long long)id);
		goto out;
	}
	struct token_input in = {pos[0], name, scope, expires};
	if ((rc = svc_token_create(OP(st, &actor), &in, token, sizeof token, NULL, &e)))
		rc = cli_fail(&e);
	else
		printf("%s\n", token);
out:
	svc_close(st);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"limit", required_argument, 0, 'l'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL;
	int64_t limit = 50;
	int c, rc, json = 0;
	struct store *st;
	struct user actor;
	struct audit_row *rows;
	size_t n;
	struct err e;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': as = optarg; break;
		case 'l':
			if (cli_parse_int(optarg, &limit))
				return cli_usage("audit");
			break;
		case 'j': json = 1; break;
		default: return cli_usage("audit");
		}
	}
	if (optind != argc)
		return cli_usage("audit");
	if ((rc = cli_open(cli_db(db), 0, &st)))
		return rc;
	if ((rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if (svc_audit_list(OP(st, &actor), 0, (int)(limit > 500 || limit < 0 ? 0 : limit), &rows, &n,
			   &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	json_t *a = json ? json_array() : NULL;
	for (size_t k = 0; k < n; k++) {
		char at[32];
		iso_time(rows[k].at, at, sizeof at);
		if (a)
			json_array_append_new(a, audit_to_json(&rows[k]));
		else
			printf("%s  %-12s %-22s %-12s %s\n", at, rows[k].actor[0] ? rows[k].actor : "-",
			       rows[k].action, rows[k].target[0] ? rows[k].target : "-", rows[k].detail);
	}
	if (a)
		cli_print_json(json_pack("{s:o}", "items", a));
	free(rows);
out:
	svc_close(st);
	return rc;
}
