/*
 * fuzz_demo.h — for the targets that link the server (fuzz_http,
 * fuzz_query_sql): `cairn demo --issues 200` into the SQLite file db, its
 * progress lines kept off stdout (libFuzzer's).  Returns the command's
 * exit code.  Header-only.
 */
#ifndef CAIRN_FUZZ_DEMO_H
#define CAIRN_FUZZ_DEMO_H

#include <stdio.h>
#include <unistd.h>

#include "cmd/cmd.h"

static inline int fuzz_demo(char *db)
{
	char *demo[] = {"demo", "--db", db, "--issues", "200", NULL};
	int out = dup(1);
	if (!freopen("/dev/null", "w", stdout))
		return 1;
	int rc = cmd_demo(5, demo);
	fflush(stdout);
	dup2(out, 1);
	close(out);
	return rc;
}

#endif
