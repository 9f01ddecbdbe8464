/*
 * cmd_serve.c — `cairn serve`: check the schema, then run the HTTP server.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "http/http.h"

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"listen", required_argument, 0, 'l'},
					     {"threads", required_argument, 0, 't'},
					     {0, 0, 0, 0}};
	struct server_opts o = {0};
	struct store *st;
	struct err e;
	int c, rc;

	o.listen = getenv("CAIRN_LISTEN");
	o.threads = 4;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			o.db_url = optarg;
		else if (c == 'l')
			o.listen = optarg;
		else if (c == 't') {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 64)
				return cli_usage("serve");
			o.threads = (int)n;
		} else
			return cli_usage("serve");
	}
	if (optind != argc)
		return cli_usage("serve");
	o.db_url = cli_db(o.db_url);
	if (!o.listen || !*o.listen)
		o.listen = "127.0.0.1:8080";
	/* Apply pending migrations; refuse a schema newer than this binary. */
	if ((rc = cli_open(o.db_url, 1, &st)))
		return rc;
	store_close(st);
	err_clear(&e);
	if (http_serve(&o, &e))
		return cli_fail(&e);
	return 0;
}
