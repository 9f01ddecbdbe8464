/*
 * cmd_mail.c — `cairn mail`: notification email from the command line,
 * the same operations as the API (service/svc_mail.c).
 *
 *   prefs      the acting user's address and choice per kind; change them
 *   settings   the SMTP settings (admins); the password from stdin only
 *   digests    queue the daily digests due at the clock's now (CAIRN_NOW)
 *   send       one pass of the sender (what `cairn serve` does every
 *              quarter second), for a setup without a running server
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "service/mail_json.h"

#define COMMON_OPTS {"db", required_argument, 0, 'D'}, {"as", required_argument, 0, 'A'}

struct ctx {
	const char *db, *as;
	struct store *st;
	struct user actor;
};

/* --db and --as, for every subcommand: 1 when c was one of them. */
static int common(struct ctx *x, int c)
{
	if (c == 'D')
		x->db = optarg;
	else if (c == 'A')
		x->as = optarg;
	return c == 'D' || c == 'A';
}

static int open_ctx(struct ctx *x)
{
	int rc = cli_open(cli_db(x->db), 0, &x->st);
	if (!rc && (rc = cli_actor(x->st, x->as, &x->actor)))
		svc_close(x->st);
	return rc;
}

static void print_prefs(const struct mail_prefs_view *v)
{
	printf("Email: %s%s\n", v->address[0] ? v->address : "(none)",
	       v->enabled ? "" : "  (mail is not set up by an admin: nothing is sent)");
	for (size_t k = 0; k < v->n; k++)
		printf("  %-10s %-7s %s%s\n", v->kinds[k].kind->kind,
		       mail_mode_name((enum mail_mode)v->kinds[k].mode), v->kinds[k].kind->label,
		       v->kinds[k].chosen ? "" : " (default)");
}

/* "kind=mode" into the next slot of in. */
static int add_choice(struct mail_prefs_input *in, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || in->n >= MAIL_KINDS_MAX)
		return -1;
	*eq = '\0';
	in->kinds[in->n].kind = arg;
	in->kinds[in->n++].mode = eq + 1;
	return 0;
}

static int prefs(struct ctx *x, int argc, char **argv)
{
	static const struct option opts[] = {COMMON_OPTS,
					     {"email", required_argument, 0, 'e'},
					     {"no-email", no_argument, 0, 'n'},
					     {"set", required_argument, 0, 's'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	struct mail_prefs_input in = {0};
	struct mail_prefs_view v;
	struct err e;
	int c, json = 0, rc;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common(x, c))
			continue;
		switch (c) {
		case 'e': in.set_address = 1; in.address = optarg; break;
		case 'n': in.set_address = 1; in.address = NULL; break;
		case 's':
			if (add_choice(&in, optarg))
				return cli_usage("mail");
			break;
		case 'j': json = 1; break;
		default: return cli_usage("mail");
		}
	}
	if (optind != argc)
		return cli_usage("mail");
	if ((rc = open_ctx(x)))
		return rc;
	err_clear(&e);
	if (in.set_address || in.n ? svc_mail_prefs_set(OP(x->st, &x->actor), &in, &v, &e)
				   : svc_mail_prefs(OP(x->st, &x->actor), &v, &e))
		rc = cli_fail(&e);
	else if (json)
		cli_print_json(mail_prefs_to_json(&v));
	else
		print_prefs(&v);
	svc_close(x->st);
	return rc;
}

static void print_settings(const struct mail_settings *s)
{
	printf("SMTP:        %s\nUser:        %s\nPassword:    %s\nFrom:        %s\n"
	       "Links:       %s\nDigest hour: %02d:00 UTC\n"
	       "Queue:       %lld pending, %lld sent, %lld failed, %lld dropped\n",
	       s->smtp_url[0] ? s->smtp_url : "(off)", s->username[0] ? s->username : "(none)",
	       s->password_set ? "(set)" : "(none)", s->from[0] ? s->from : "(none)",
	       s->base_url[0] ? s->base_url : "(none)", s->digest_hour, (long long)s->queue[0],
	       (long long)s->queue[1], (long long)s->queue[2], (long long)s->queue[3]);
}

static int settings(struct ctx *x, int argc, char **argv)
{
	static const struct option opts[] = {COMMON_OPTS,
					     {"smtp-url", required_argument, 0, 'u'},
					     {"username", required_argument, 0, 'n'},
					     {"password-stdin", no_argument, 0, 'p'},
					     {"from", required_argument, 0, 'f'},
					     {"base-url", required_argument, 0, 'b'},
					     {"digest-hour", required_argument, 0, 'h'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	struct mail_settings_input in = {.digest_hour = -1};
	struct mail_settings s;
	struct err e;
	char *password = NULL;
	int64_t hour;
	int c, json = 0, change = 0, rc = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common(x, c))
			continue;
		change |= c != 'j';
		switch (c) {
		case 'u': in.smtp_url = optarg; break;
		case 'n': in.username = optarg; break;
		case 'p':
			free(password);
			if (!(password = cli_read_line()))
				return cli_usage("mail");
			in.password = password;
			break;
		case 'f': in.from = optarg; break;
		case 'b': in.base_url = optarg; break;
		case 'h':
			if (cli_parse_int(optarg, &hour) || hour < 0 || hour > 23) {
				free(password);
				return cli_usage("mail");
			}
			in.digest_hour = (int)hour;
			break;
		case 'j': json = 1; break;
		default: free(password); return cli_usage("mail");
		}
	}
	err_clear(&e);
	if (optind != argc || (rc = open_ctx(x))) {
		free(password);
		return optind != argc ? cli_usage("mail") : rc;
	}
	if (change ? svc_mail_settings_set(OP(x->st, &x->actor), &in, &s, &e)
		   : svc_mail_settings(OP(x->st, &x->actor), &s, &e))
		rc = cli_fail(&e);
	else if (json)
		cli_print_json(mail_settings_to_json(&s));
	else
		print_settings(&s);
	svc_close(x->st);
	free(password);
	return rc;
}

/* The subcommands without options of their own. */
static int plain(struct ctx *x, int argc, char **argv)
{
	static const struct option opts[] = {COMMON_OPTS, {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!common(x, c))
			return cli_usage("mail");
	return optind != argc ? cli_usage("mail") : open_ctx(x);
}

static int digests(struct ctx *x, int argc, char **argv)
{
	struct err e;
	int queued, rc = plain(x, argc, argv);
	if (rc)
		return rc;
	err_clear(&e);
	if (svc_mail_digests(OP(x->st, &x->actor), &queued, &e))
		rc = cli_fail(&e);
	else
		printf("%d digest%s queued\n", queued, queued == 1 ? "" : "s");
	svc_close(x->st);
	return rc;
}

static int send_due(struct ctx *x, int argc, char **argv)
{
	struct err e;
	int sent = 0, total = 0, rc = plain(x, argc, argv);
	if (rc)
		return rc;
	err_clear(&e);
	if (svc_allow(&x->actor, P_ADMIN, &e))
		rc = cli_fail(&e);
	while (!rc) {
		if (svc_mail_run(OP(x->st, NULL), 50, &sent, &e))
			rc = cli_fail(&e);
		total += sent;
		if (sent < 50)
			break;
	}
	if (!rc)
		printf("%d mail%s attempted\n", total, total == 1 ? "" : "s");
	svc_close(x->st);
	return rc;
}

int cmd_mail(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct ctx *x, int argc, char **argv);
	} subs[] = {{"prefs", prefs}, {"settings", settings}, {"digests", digests}, {"send", send_due}};
	struct ctx x = {0};
	for (size_t k = 0; argc >= 2 && k < sizeof subs / sizeof subs[0]; k++)
		if (!strcmp(argv[1], subs[k].name)) {
			optind = 1;
			return subs[k].fn(&x, argc - 1, argv + 1);
		}
	return cli_usage("mail");
}
