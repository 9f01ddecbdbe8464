/*
 * cmd_triage.c — `cairn triage`: walk the inbox in a terminal, one key per
 * answer (a TTY is read key by key without Enter; a pipe is read character
 * by character, blanks ignored, so scripts can drive it), or triage one
 * issue non-interactively with flags.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"
#include "service/issue_json.h"

struct term {
	int tty;
	struct termios saved;
	int raw;
};

static void term_raw(struct term *t, int on)
{
	if (!t->tty || t->raw == on)
		return;
	if (on) {
		struct termios r = t->saved;
		r.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		r.c_cc[VMIN] = 1;
		r.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &r);
	} else {
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	}
	t->raw = on;
}

/* One key: a TTY gives it without Enter; a pipe skips blanks.  EOF = -1. */
static int read_key(struct term *t)
{
	term_raw(t, 1);
	for (;;) {
		int c = getchar();
		if (c == EOF)
			return -1;
		if (!t->tty && (c == ' ' || c == '\n' || c == '\r' || c == '\t'))
			continue;
		if (t->tty)
			printf("%c\n", c >= 32 && c < 127 ? c : ' ');
		return c;
	}
}

/* One line of text (a vector, a number, a reason); NULL at EOF. */
static char *read_text(struct term *t, char *buf, size_t cap)
{
	term_raw(t, 0);
	for (;;) {
		if (!fgets(buf, (int)cap, stdin))
			return NULL;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (buf[0] || t->tty)
			return buf; /* a pipe may still hold the newline after a key */
	}
}

struct choice {
	int key;
	const char *value;
	const char *label;
};

static const struct choice types[] = {{'e', "epic", "epic"}, {'s', "story", "story"},
				      {'t', "task", "task"},   {'b', "bug", "bug"},
				      {'f', "feature", "feature"}, {'x', "security", "security"},
				      {0, NULL, NULL}};
static const struct choice prios[] = {{'h', "high", "high"}, {'m', "medium", "medium"},
				      {'l', "low", "low"},     {'n', "", "none"},
				      {0, NULL, NULL}};
static const struct choice sizes[] = {{'1', "XS", "XS"}, {'2', "S", "S"},  {'3', "M", "M"},
				      {'4', "L", "L"},   {'5', "XL", "XL"}, {'6', "XXL", "XXL"},
				      {'0', "", "none"}, {0, NULL, NULL}};
static const struct choice horizons[] = {{'n', "next", "next"},     {'s', "short", "short"},
					 {'m', "medium", "medium"}, {'l', "long", "long"},
					 {0, NULL, NULL}};
static const struct choice sevs[] = {{'1', "S1", "S1 critical"}, {'2', "S2", "S2"},
				     {'3', "S3", "S3"},         {'4', "S4", "S4 minor"},
				     {0, NULL, NULL}};

static void show_choices(const char *what, const struct choice *c)
{
	printf("  %s?", what);
	for (; c->key; c++)
		printf(" [%c]%s", c->key, c->label);
	printf(" [?]help [q]uit > ");
	fflush(stdout);
}

/* Ask until a listed key: returns its value, NULL for q/EOF. */
static const char *ask(struct term *t, const char *what, const struct choice *c)
{
	for (;;) {
		show_choices(what, c);
		int k = read_key(t);
		if (k < 0 || k == 'q')
			return NULL;
		for (const struct choice *x = c; x->key; x++)
			if (x->key == k)
				return x->value;
		printf("  '%c' is not an answer here; ? shows the keys\n", k);
	}
}

static void help(void)
{
	printf("\n  Triage keys\n"
	       "    t  triage: then type, priority, size (PM estimate), horizon\n"
	       "       (bugs also get a severity S1-S4, security issues a CVSS vector)\n"
	       "    u  under review   i  icebox   d  duplicate of #N   w  won't do (reason)\n"
	       "    s  skip   q  quit   ?  this help\n\n");
}

static void show_issue(const struct issue *i, size_t at, int64_t total)
{
	int64_t age = (now_ms() - i->created_at) / 86400000LL;
	printf("\n[%zu/%" PRId64 "] #%" PRId64 " %s  (%s", at, total, i->number, i->title,
	       issue_type_name(i->type));
	if (i->reporter)
		printf(", reported by %s", i->reporter);
	printf(", %" PRId64 " day%s ago)\n", age, age == 1 ? "" : "s");
	if (i->nlabels) {
		printf("  labels:");
		for (size_t k = 0; k < i->nlabels; k++)
			printf(" %s", i->labels[k]);
		putchar('\n');
	}
	if (i->cvss) {
		char due[32];
		iso_time(i->fix_by, due, sizeof due);
		printf("  %s: CVSS %.1f %s, fix by %.10s\n", i->cvss, i->cvss_score / 10.0,
		       severity_name((enum severity)i->severity), due[0] ? due : "-");
	}
}

/* Interactive: returns the exit code. */
static int walk(struct store *st, const struct user *actor)
{
	struct term t = {isatty(STDIN_FILENO), {0}, 0};
	struct issue_list l;
	struct err e;
	int64_t total;
	int triaged = 0, skipped = 0, rc = 0;
	char line[512], num[32];

	if (t.tty)
		tcgetattr(STDIN_FILENO, &t.saved);
	err_clear(&e);
	if (svc_triage_inbox(OP(st, actor), 1, PER_PAGE_MAX, &l, &total, &e))
		return cli_fail(&e);
	if (!l.n)
		printf("The inbox is empty.\n");
	else
		printf("Triage inbox: %" PRId64 " issue%s, oldest first.  ? for help.\n", total,
		       total == 1 ? "" : "s");
	for (size_t k = 0; k < l.n; k++) {
		struct issue *i = &l.items[k], out;
		struct triage_input ti;
		int key;
	again:
		memset(&ti, 0, sizeof ti);
		show_issue(i, k + 1, total);
		printf("  [t]riage [u]nder review [i]cebox [d]uplicate [w]on't do [s]kip [q]uit [?] > ");
		fflush(stdout);
		key = read_key(&t);
		if (key < 0 || key == 'q')
			break;
		if (key == '?') {
			help();
			goto again;
		}
		if (key == 's') {
			skipped++;
			continue;
		}
		if (key == 'u' || key == 'i') {
			ti.route = key == 'u' ? "under_review" : "icebox";
		} else if (key == 'w') {
			printf("  reason (one line, may be empty) > ");
			fflush(stdout);
			if (!read_text(&t, line, sizeof line))
				break;
			ti.route = "wont_do";
			ti.reason = line;
		} else if (key == 'd') {
			printf("  duplicate of issue number > ");
			fflush(stdout);
			if (!read_text(&t, num, sizeof num))
				break;
			ti.route = "duplicate";
			ti.duplicate_of = num[0] == '#' ? num + 1 : num;
		} else if (key == 't') {
			struct issue_input *in = &ti.in;
			if (!(in->type = ask(&t, "type", types)) ||
			    !(in->priority = ask(&t, "priority", prios)) ||
			    !(in->pm_size = ask(&t, "size", sizes)))
				break;
			in->set = IN_TYPE | IN_PRIORITY | IN_PM_SIZE | IN_BOARD;
			if (!strcmp(in->type, "bug")) {
				if (!(in->bug_severity = ask(&t, "severity", sevs)))
					break;
				in->set |= IN_BUG_SEVERITY;
			}
			if (!strcmp(in->type, "security")) {
				printf("  CVSS vector (empty to leave unscored) > ");
				fflush(stdout);
				if (!read_text(&t, line, sizeof line))
					break;
				if (line[0]) {
					in->cvss = line;
					in->set |= IN_CVSS;
				}
			}
			if (!(in->board = ask(&t, "horizon", horizons)))
				break;
		} else {
			printf("  '%c' is not an action; ? shows the keys\n", key);
			goto again;
		}
		err_clear(&e);
		if (svc_issue_triage(OP(st, actor), i->number, &ti, -1, &out, &e)) {
			cli_fail(&e);
			goto again; /* nothing changed: ask again */
		}
		printf("  -> #%" PRId64 " %s, %s%s%s\n", out.number, board_name((enum board)out.board),
		       issue_type_name(out.type), out.priority ? ", " : "",
		       out.priority ? priority_name(out.priority) : "");
		issue_release(&out);
		triaged++;
	}
	term_raw(&t, 0);
	issue_list_release(&l);
	struct triage_stats s;
	if (!svc_triage_stats(OP(st, actor), &s, &e))
		printf("\nTriaged %d, skipped %d. Inbox: %" PRId64 " left.\n", triaged, skipped,
		       s.inbox_size);
	return rc;
}

int cmd_triage(int argc, char **argv)
{
	enum { O_DB = 256, O_AS, O_JSON, O_TYPE, O_PRIORITY, O_SIZE, O_BOARD, O_SEV, O_CVSS, O_ROUTE,
	       O_DUP, O_REASON };
	static const struct option opts[] = {
		{"db", required_argument, 0, O_DB},         {"as", required_argument, 0, O_AS},
		{"json", no_argument, 0, O_JSON},           {"type", required_argument, 0, O_TYPE},
		{"priority", required_argument, 0, O_PRIORITY}, {"size", required_argument, 0, O_SIZE},
		{"pm-size", required_argument, 0, O_SIZE},  {"board", required_argument, 0, O_BOARD},
		{"horizon", required_argument, 0, O_BOARD}, {"severity", required_argument, 0, O_SEV},
		{"cvss", required_argument, 0, O_CVSS},     {"route", required_argument, 0, O_ROUTE},
		{"duplicate-of", required_argument, 0, O_DUP}, {"reason", required_argument, 0, O_REASON},
		{0, 0, 0, 0}};
	const char *db = NULL, *as = NULL;
	struct triage_input ti;
	struct issue_input *in = &ti.in;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	int c, rc, json = 0;

	memset(&ti, 0, sizeof ti);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_AS: as = optarg; break;
		case O_JSON: json = 1; break;
		case O_TYPE: in->set |= IN_TYPE, in->type = optarg; break;
		case O_PRIORITY: in->set |= IN_PRIORITY, in->priority = optarg; break;
		case O_SIZE: in->set |= IN_PM_SIZE, in->pm_size = optarg; break;
		case O_BOARD: in->set |= IN_BOARD, in->board = optarg; break;
		case O_SEV: in->set |= IN_BUG_SEVERITY, in->bug_severity = optarg; break;
		case O_CVSS: in->set |= IN_CVSS, in->cvss = optarg; break;
		case O_ROUTE: ti.route = optarg; break;
		case O_DUP: ti.duplicate_of = optarg, ti.route = ti.route ? ti.route : "duplicate"; break;
		case O_REASON: ti.reason = optarg; break;
		default: return cli_usage("triage");
		}
	}
	if (argc - optind > 1)
		return cli_usage("triage");
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	if (argc - optind == 0) {
		if (in->set || ti.route) {
			rc = cli_usage("triage");
			goto out;
		}
		rc = walk(st, &actor);
		goto out;
	}
	char *end;
	const char *arg = argv[optind][0] == '#' ? argv[optind] + 1 : argv[optind];
	long long number = strtoll(arg, &end, 10);
	if (*end || number <= 0) {
		rc = cli_usage("triage");
		goto out;
	}
	struct issue i;
	err_clear(&e);
	if (svc_issue_triage(OP(st, &actor), number, &ti, -1, &i, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	if (json) {
		json_t *j = issue_to_json(&i, 1);
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		putchar('\n');
		json_decref(j);
	} else
		printf("Triaged #%" PRId64 " %s: %s, %s%s\n", i.number, i.title,
		       board_name((enum board)i.board), issue_type_name(i.type),
		       i.close_reason ? " (closed)" : "");
	issue_release(&i);
out:
	svc_close(st);
	return rc;
}

int cmd_settings(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"sla-days", required_argument, 0, 's'},
					     {"todo-limit", required_argument, 0, 't'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL, *sla_text = NULL;
	int64_t todo = SVC_UNSET;
	int limit;
	struct store *st = NULL;
	struct user actor;
	struct sla sla;
	struct err e;
	char buf[128];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			as = optarg;
		else if (c == 's')
			sla_text = optarg;
		else if (c == 't') {
			if (cli_parse_int(optarg, &todo))
				return cli_usage("settings");
		} else
			return cli_usage("settings");
	}
	if (optind != argc)
		return cli_usage("settings");
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if ((sla_text || todo != SVC_UNSET ? svc_settings_set(OP(st, &actor), &(struct settings_input){sla_text, todo, -1, NULL, -1, SVC_UNSET}, &sla, &e)
			      : svc_sla_get(OP(st, NULL), &sla, &e)) ||
	    svc_todo_limit(OP(st, NULL), &limit, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	sla_format(&sla, buf, sizeof buf);
	printf("sla-days %s\ntodo-limit %d\n", buf, limit);
out:
	svc_close(st);
	return rc;
}
