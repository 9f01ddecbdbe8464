/*
 * cmd_backup.c — `cairn backup` and `cairn restore`: a full, portable JSON
 * Lines dump of a database, restorable into either backend (the way to
 * move from SQLite to PostgreSQL).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

static int write_line(void *ctx, const char *line, size_t len)
{
	FILE *f = ctx;
	if (fwrite(line, 1, len, f) != len || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

struct reader {
	FILE *f;
	char *buf;
	size_t cap;
};

static int read_line(void *ctx, char **line, size_t *len)
{
	struct reader *r = ctx;
	ssize_t n = getline(&r->buf, &r->cap, r->f);
	if (n < 0) {
		*line = NULL;
		*len = 0;
		return ferror(r->f) ? -1 : 0;
	}
	while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
		r->buf[--n] = '\0';
	*line = r->buf;
	*len = (size_t)n;
	return 0;
}

/* Parse --db and --out/--in; returns the file argument or NULL (stdio). */
static int parse(int argc, char **argv, const char *name, const char **db, const char **file)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"out", required_argument, 0, 'f'},
					     {"in", required_argument, 0, 'f'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			*db = optarg;
		else if (c == 'f')
			*file = optarg;
		else
			return cli_usage(name);
	}
	return optind != argc ? cli_usage(name) : 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *db = NULL, *file = NULL;
	struct store *st;
	struct err e;
	FILE *out = stdout;
	int rc;

	if ((rc = parse(argc, argv, "backup", &db, &file)))
		return rc;
	if (file) {
		/* the dump holds password and token hashes: owner-only */
		int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			fprintf(stderr, "cairn: cannot write %s: %s\n", file, strerror(errno));
			if (fd >= 0)
				close(fd);
			return 2;
		}
	}
	if ((rc = cli_open(cli_db(db), 0, &st)))
		goto out;
	err_clear(&e);
	rc = svc_backup(OP(st, NULL), write_line, out, &e);
	svc_close(st);
	if (!rc && fflush(out) != 0)
		rc = err_set(&e, CAIRN_EINTERNAL, NULL, "cannot write the dump: %s", strerror(errno));
	if (rc)
		rc = cli_fail(&e);
out:
	if (out != stdout && fclose(out) != 0 && !rc) {
		fprintf(stderr, "cairn: cannot write %s: %s\n", file, strerror(errno));
		rc = 4;
	}
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	const char *db = NULL, *file = NULL;
	struct reader r = {stdin, NULL, 0};
	struct store *st;
	struct err e;
	int rc;

	if ((rc = parse(argc, argv, "restore", &db, &file)))
		return rc;
	if (file && !(r.f = fopen(file, "r"))) {
		fprintf(stderr, "cairn: cannot read %s: %s\n", file, strerror(errno));
		return 2;
	}
	err_clear(&e);
	db = cli_db(db);
	if (svc_open(db, &st, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	rc = svc_restore(OP(st, NULL), read_line, &r, &e);
	svc_close(st);
	if (rc)
		rc = cli_fail(&e);
	else
		fprintf(stderr, "cairn: restored into %s\n", db);
out:
	free(r.buf);
	if (r.f != stdin)
		fclose(r.f);
	return rc;
}
