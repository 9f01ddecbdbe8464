/*
 * cmd.h — the commands of the cairn binary and their shared helpers.
 * Each command family lives in src/cmd/cmd_<name>.c and is registered in
 * the table in main.c.  A command returns the process exit code (0 ok,
 * 1 usage, 2 not found/refused, 3 conflict, 4 server error); only main exits.
 */
#ifndef CAIRN_CMD_H
#define CAIRN_CMD_H

#include "core/err.h"
#include "service/service.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

extern const struct command commands[];

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_notifications(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_backlog(int argc, char **argv);
int cmd_insights(int argc, char **argv);
int cmd_customer(int argc, char **argv);
int cmd_persona(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_board(int argc, char **argv);
int cmd_move(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_pillar(int argc, char **argv);
int cmd_area(int argc, char **argv);
int cmd_milestone(int argc, char **argv);
int cmd_changelog(int argc, char **argv);
int cmd_strategy(int argc, char **argv);
int cmd_objective(int argc, char **argv);
int cmd_initiative(int argc, char **argv);
int cmd_roadmap(int argc, char **argv);
int cmd_decision(int argc, char **argv);
int cmd_tier(int argc, char **argv);
int cmd_calibration(int argc, char **argv);
int cmd_estimate(int argc, char **argv);
int cmd_home(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_view(int argc, char **argv);
int cmd_github(int argc, char **argv);
int cmd_import(int argc, char **argv);
/* `cairn issue tree N` (cmd_plan.c). */
int cmd_plan_tree(struct store *st, const struct user *actor, int64_t number, int json);
/* `cairn issue watch|unwatch N` (cmd_notify.c). */
int cmd_watch(struct store *st, const struct user *actor, int64_t number, int on, int json);

/* --- shared helpers (cli.c) --- */

/* The database URL: the --db flag, else $CAIRN_DB, else "cairn.db". */
const char *cli_db(const char *flag);
/* Open the store; with migrate, create/upgrade the schema; otherwise check
 * it is current.  Prints the error and returns an exit code on failure. */
int cli_open(const char *db, int migrate, struct store **out);
/* The actor for local commands: --as LOGIN, else $CAIRN_USER, else the
 * first admin. */
int cli_actor(struct store *st, const char *as, struct user *out);
/* Print "cairn: <message>" (and the field) to stderr; return the exit code. */
int cli_fail(const struct err *e);
/* Print a usage line for command name to stderr; return 1. */
int cli_usage(const char *name);
/* Print the help of command name to stdout; return 0. */
int cli_help(const char *name);
/* A whole decimal integer (an issue number may start with '#'): 0 and
 * *out, or -1.  Ranges are the service's to check. */
int cli_parse_int(const char *s, int64_t *out);
/* Print a JSON value (indented) and a newline to stdout, and release it. */
struct json_t;
void cli_print_json(struct json_t *j);
/* Read all of stdin (at most max bytes) into a new string; NULL on error. */
char *cli_read_stdin(size_t max);
/* All of file path ("-" or NULL: stdin) into a new NUL-terminated string,
 * its length in *len; NULL (errno set) when it cannot be read. */
char *cli_read_file(const char *path, size_t *len);
/* Read one line from stdin without the newline (password input). */
char *cli_read_line(void);
/* A readable random password of n-1 characters (unambiguous alphabet). */
void cli_gen_password(char *out, size_t n);

#endif
