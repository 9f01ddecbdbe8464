/*
 * main.c — the cairn binary: server, command-line client and admin tool.
 * Dispatches to the command table (src/cmd/commands.c), where the help
 * text lives beside each entry so --help and dispatch cannot drift.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"

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
		printf("cairn 0.1.0 (schema %d)\n", svc_schema_latest());
		return 0;
	}
	if (svc_init()) {
		fprintf(stderr, "cairn: cannot initialize libsodium\n");
		return 4;
	}
	const char *fixed;
	if (clock_env_check(&fixed) < 0) {
		fprintf(stderr, "cairn: CAIRN_NOW must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (a UTC "
				"instant that exists), not '%s'\n", fixed);
		return 1;
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
