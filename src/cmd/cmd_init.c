/*
 * cmd_init.c — `cairn init`: create or upgrade the schema, optionally
 * create the first admin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'}, {"admin", required_argument, 0, 'a'}, {0, 0, 0, 0}};
	const char *db = NULL, *admin = NULL;
	int c, rc;
	struct store *st;
	struct err e;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			admin = optarg;
		else
			return cli_usage("init");
	}
	if (optind != argc)
		return cli_usage("init");
	db = cli_db(db);
	if ((rc = cli_open(db, 1, &st)))
		return rc;
	printf("cairn: database %s is at schema %d\n", db, svc_schema_latest());
	if (admin) {
		char generated[21];
		const char *pw = getenv("CAIRN_ADMIN_PASSWORD");
		if (!pw || !*pw) {
			cli_gen_password(generated, sizeof generated);
			pw = generated;
		}
		err_clear(&e);
		if (svc_user_add(OP(st, NULL), admin, admin, "admin", pw, NULL, &e)) {
			svc_close(st);
			return cli_fail(&e);
		}
		if (pw == generated)
			printf("cairn: created admin '%s' with password: %s\n"
			       "       (shown once; set CAIRN_ADMIN_PASSWORD to choose it)\n",
			       admin, generated);
		else
			printf("cairn: created admin '%s' (password from CAIRN_ADMIN_PASSWORD)\n", admin);
	}
	svc_close(st);
	return 0;
}
