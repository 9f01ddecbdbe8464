/*
 * main.c — the cairn binary: server, command-line client and admin tool.
 * The command table below is the one place commands are registered; the
 * help text lives beside each entry so --help and dispatch cannot drift.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

#define DB_HELP "  --db URL          database: sqlite:PATH, a path, or $CAIRN_DB (default cairn.db)\n"
#define AS_HELP "  --as LOGIN        act as this user (default $CAIRN_USER, else the first admin)\n"

const struct command commands[] = {
	{"init", cmd_init, "cairn init [--db URL] [--admin LOGIN]",
	 "Create or upgrade the database schema.  With --admin, also create that admin\n"
	 "user; the password comes from $CAIRN_ADMIN_PASSWORD, or is generated and printed once.\n\n"
	 DB_HELP "  --admin LOGIN     create this admin user\n"},
	{"serve", cmd_serve, "cairn serve [--db URL] [--listen ADDR] [--threads N]",
	 "Serve the web UI and the JSON API (see docs/API.md) until SIGINT/SIGTERM.\n\n" DB_HELP
	 "  --listen ADDR     HOST:PORT, default $CAIRN_LISTEN or 127.0.0.1:8080 (port 0 = any)\n"
	 "  --threads N       worker threads and database connections (default 4)\n"},
	{"demo", cmd_demo, "cairn demo [--db URL] [--issues N] [--seed S]",
	 "Create a realistic demo product: users of every role (password cairn-demo),\n"
	 "epics, stories, tasks, bugs, feature requests and security issues.\n\n" DB_HELP
	 "  --issues N        how many issues (default 200)\n"
	 "  --seed S          random seed; the same seed gives the same data (default 42)\n"},
	{"user", cmd_user, "cairn user add LOGIN --role ROLE [--name NAME] [--password-stdin] | cairn user list",
	 "Manage users.  Roles: admin, pm, cto, em, engineer, viewer.  The password is read\n"
	 "from stdin with --password-stdin, else generated and printed once.\n\n" DB_HELP
	 "  --json            machine-readable output\n"},
	{"token", cmd_token, "cairn token new LOGIN [--name NAME]",
	 "Create an API token for LOGIN and print it once (only its hash is stored).\n"
	 "Use it as: Authorization: Bearer <token>.\n\n" DB_HELP},
	{"issue", cmd_issue,
	 "cairn issue new TITLE [options] | list [QUERY] | show N | edit N [options] | close N | reopen N",
	 "Work with issues.\n\n"
	 "  new TITLE         create; options: --type T --body B (- = stdin) --priority P\n"
	 "                    --size S --pm-size S --label L (repeatable) --parent N --assignee LOGIN\n"
	 "  list [QUERY]      list issues; QUERY like 'is:open type:bug label:x words'\n"
	 "                    --page N --per-page N\n"
	 "  show N            one issue with its body and history\n"
	 "  edit N            change fields: the options of new, plus --title T --state S;\n"
	 "                    --label replaces all labels, --no-labels clears them\n"
	 "  close N, reopen N\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output\n"},
	{NULL, NULL, NULL, NULL},
};

static void usage_all(FILE *f)
{
	fprintf(f, "cairn — product management from customer insight to changelog\n\n"
		   "usage: cairn <command> [options]   (cairn <command> --help for details)\n\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %s\n", c->usage);
	fprintf(f, "\nExit codes: 0 ok, 1 usage error, 2 not found/refused, 3 conflict, 4 error.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage_all(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		if (argc > 2 && strcmp(argv[1], "help") == 0)
			return cli_help(argv[2]);
		usage_all(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("cairn 0.1.0 (schema %d)\n", store_schema_latest());
		return 0;
	}
	if (svc_init()) {
		fprintf(stderr, "cairn: cannot initialize libsodium\n");
		return 4;
	}
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0) {
			for (int i = 2; i < argc; i++)
				if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
					return cli_help(c->name);
			return c->fn(argc - 1, argv + 1);
		}
	fprintf(stderr, "cairn: unknown command '%s'\n\n", argv[1]);
	usage_all(stderr);
	return 1;
}
