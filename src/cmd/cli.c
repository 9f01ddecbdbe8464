/*
 * cli.c — helpers shared by the commands: database URL, opening the store,
 * the local actor, error printing, help text, stdin.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"

const char *cli_db(const char *flag)
{
	const char *env = getenv("CAIRN_DB");
	if (flag && *flag)
		return flag;
	if (env && *env)
		return env;
	return "cairn.db";
}

int cli_fail(const struct err *e)
{
	if (e->field[0] && !strstr(e->msg, e->field))
		fprintf(stderr, "cairn: %s: %s\n", e->field, e->msg);
	else
		fprintf(stderr, "cairn: %s\n", e->msg[0] ? e->msg : err_code_name(e->code));
	return err_exit_code(e->code);
}

int cli_open(const char *db, int migrate, struct store **out)
{
	struct err e;
	int version;
	err_clear(&e);
	if (svc_open(db, out, &e))
		return cli_fail(&e);
	if (migrate ? svc_db_init(OP(*out, NULL), &e) : svc_health(OP(*out, NULL), &version, &e)) {
		svc_close(*out);
		*out = NULL;
		return cli_fail(&e);
	}
	return 0;
}

int cli_actor(struct store *st, const char *as, struct user *out)
{
	struct err e;
	const char *login = as && *as ? as : getenv("CAIRN_USER");
	err_clear(&e);
	if (login && *login ? svc_user_get(OP(st, NULL), login, out, &e) : svc_local_actor(OP(st, NULL), out, &e))
		return cli_fail(&e);
	return 0;
}

static const struct command *find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cli_usage(const char *name)
{
	const struct command *c = find(name);
	if (c)
		fprintf(stderr, "usage: %s\n(see cairn %s --help)\n", c->usage, name);
	return 1;
}

int cli_help(const char *name)
{
	const struct command *c = find(name);
	if (c)
		printf("usage: %s\n\n%s", c->usage, c->help);
	return 0;
}

char *cli_read_stdin(size_t max)
{
	size_t cap = 4096, n = 0, r;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	while ((r = fread(buf + n, 1, cap - n - 1, stdin)) > 0) {
		n += r;
		if (n > max) {
			free(buf);
			return NULL;
		}
		if (cap - n - 1 == 0) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[n] = '\0';
	return buf;
}

char *cli_read_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

void cli_gen_password(char *out, size_t n)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i + 1 < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[n - 1] = '\0';
}

void cli_print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	putchar('\n');
	json_decref(j);
}

int cli_parse_int(const char *s, int64_t *out)
{
	char *end;
	if (!s)
		return -1;
	if (*s == '#')
		s++;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return -1;
	*out = v;
	return 0;
}

char *cli_read_file(const char *path, size_t *len)
{
	FILE *f = path && strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *text = NULL, chunk[65536];
	size_t cap = 0, got;
	*len = 0;
	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (*len + got + 1 > cap) {
			cap = (*len + got + 1) * 2;
			char *nt = realloc(text, cap);
			if (!nt) {
				free(text);
				text = NULL;
				break;
			}
			text = nt;
		}
		memcpy(text + *len, chunk, got);
		*len += got;
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		free(text);
		return NULL;
	}
	if (!text)
		text = calloc(1, 1);
	else
		text[*len] = '\0';
	return text;
}
