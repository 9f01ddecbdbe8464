/*
 * cmd_user.c — `cairn user add|list` and `cairn token new`.
 */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
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
	if (svc_user_list(st, &actor, &users, &n, &e))
		return cli_fail(&e);
	if (json) {
		json_t *a = json_array();
		for (size_t k = 0; k < n; k++)
			json_array_append_new(a, user_to_json(&users[k]));
		json_dumpf(a, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(a);
	} else {
		printf("%-20s %-9s %s\n", "LOGIN", "ROLE", "NAME");
		for (size_t k = 0; k < n; k++)
			printf("%-20s %-9s %s\n", users[k].login, role_name(users[k].role),
			       users[k].name);
	}
	free(users);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"role", required_argument, 0, 'r'},
					     {"name", required_argument, 0, 'n'},
					     {"password-stdin", no_argument, 0, 'p'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *role = NULL, *name = NULL;
	int c, rc, pw_stdin = 0, json = 0;
	struct store *st;
	struct err e;

	if (argc < 2)
		return cli_usage("user");
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
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
		store_close(st);
		return rc;
	}
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
	rc = svc_user_add(st, NULL, pos[0], name, role, pw ? pw : generated, NULL, &e);
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
	}
	store_close(st);
	if (rc)
		return cli_fail(&e);
	if (pw_stdin)
		printf("cairn: added %s (%s)\n", pos[0], role);
	else
		printf("cairn: added %s (%s) with password: %s\n", pos[0], role, generated);
	return 0;
}

int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'}, {"name", required_argument, 0, 'n'}, {0, 0, 0, 0}};
	const char *db = NULL, *name = NULL;
	char token[TOKEN_TEXT_LEN + 1];
	struct store *st;
	struct err e;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "new") != 0)
		return cli_usage("token");
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'n')
			name = optarg;
		else
			return cli_usage("token");
	}
	if (argc - 1 - optind != 1)
		return cli_usage("token");
	if ((rc = cli_open(cli_db(db), 0, &st)))
		return rc;
	err_clear(&e);
	rc = svc_token_new(st, NULL, argv[1 + optind], name, token, sizeof token, &e);
	store_close(st);
	if (rc)
		return cli_fail(&e);
	printf("%s\n", token);
	return 0;
}
