/*
 * cmd_serve.c — `cairn serve`: check the schema, then run the HTTP server.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "http/http.h"

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"listen", required_argument, 0, 'l'},
					     {"threads", required_argument, 0, 't'},
					     {"trusted-proxy", required_argument, 0, 'p'},
					     {"hsts", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct server_opts o = {0};
	struct store *st;
	struct err e;
	int c, rc;

	o.listen = getenv("CAIRN_LISTEN");
	o.trusted_proxy = getenv("CAIRN_TRUSTED_PROXY");
	o.hsts = getenv("CAIRN_HSTS") && !strcmp(getenv("CAIRN_HSTS"), "1");
	o.threads = 4;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			o.db_url = optarg;
		else if (c == 'l')
			o.listen = optarg;
		else if (c == 'p')
			o.trusted_proxy = optarg;
		else if (c == 'h')
			o.hsts = 1;
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
	/* past a file size limit a write fails (EFBIG: answered 503) instead
	 * of the signal killing the server */
	signal(SIGXFSZ, SIG_IGN);
	struct in_addr proxy;
	if (o.trusted_proxy && *o.trusted_proxy && inet_pton(AF_INET, o.trusted_proxy, &proxy) != 1) {
		fprintf(stderr, "cairn: --trusted-proxy must be an IPv4 address\n");
		return 1;
	}
	if (!o.listen || !*o.listen)
		o.listen = "127.0.0.1:8080";
	/* Apply pending migrations; refuse a schema newer than this binary. */
	if ((rc = cli_open(o.db_url, 1, &st)))
		return rc;
	svc_close(st);
	err_clear(&e);
	if (http_serve(&o, &e))
		return cli_fail(&e);
	return 0;
}
