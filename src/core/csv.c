/*
 * csv.c — CSV through libcsv (see csv.h).  libcsv does the parsing; this
 * file feeds it line by line to know where each row starts, and caps
 * rows, columns and field sizes.
 */
#include "core/csv.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	struct csv_table *t;
	struct csv_row cur;
	size_t cap_rows, cap_fields;
	long line;       /* the line being fed */
	long row_start;  /* where the row being read began */
	int pending;     /* the next non-empty line starts a row */
	int failed;      /* 1 allocation, 2 too many columns, 3 too many rows, 4 a long field */
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->failed)
		return;
	if (len > CSV_MAX_FIELD) {
		r->failed = 4;
		return;
	}
	if (r->cur.n >= CSV_MAX_COLS) {
		r->failed = 2;
		return;
	}
	if (r->cur.n == r->cap_fields) {
		size_t nc = r->cap_fields ? 2 * r->cap_fields : 8;
		char **nf = realloc(r->cur.fields, nc * sizeof *nf);
		if (!nf) {
			r->failed = 1;
			return;
		}
		r->cur.fields = nf;
		r->cap_fields = nc;
	}
	char *f = malloc(len + 1);
	if (!f) {
		r->failed = 1;
		return;
	}
	if (len)
		memcpy(f, s, len);
	f[len] = '\0';
	if (len && memchr(s, '\0', len))
		r->cur.nul = 1;
	r->cur.fields[r->cur.n++] = f;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	(void)c;
	if (r->failed)
		return;
	if (r->t->n >= CSV_MAX_ROWS) {
		r->failed = 3;
		return;
	}
	if (r->t->n == r->cap_rows) {
		size_t nc = r->cap_rows ? 2 * r->cap_rows : 64;
		struct csv_row *nr = realloc(r->t->rows, nc * sizeof *nr);
		if (!nr) {
			r->failed = 1;
			return;
		}
		r->t->rows = nr;
		r->cap_rows = nc;
	}
	r->cur.line = r->row_start;
	r->t->rows[r->t->n++] = r->cur;
	memset(&r->cur, 0, sizeof r->cur);
	r->cap_fields = 0;
	r->pending = 1;
}

static void free_row(struct csv_row *row)
{
	for (size_t k = 0; k < row->n; k++)
		free(row->fields[k]);
	free(row->fields);
}

void csv_table_free(struct csv_table *t)
{
	for (size_t k = 0; k < t->n; k++)
		free_row(&t->rows[k]);
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

int csv_read(const char *text, size_t len, struct csv_table *out, struct err *e)
{
	struct csv_parser p;
	struct reader r = {0};
	int rc = 0;

	memset(out, 0, sizeof *out);
	r.t = out;
	r.pending = 1;
	if (csv_init(&p, CSV_APPEND_NULL))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	p.blk_size = 4096;
	for (size_t at = 0; at < len && !r.failed;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) + 1 : len - at;
		r.line++;
		/* a line holding only its end ("\n" or "\r\n") starts no row */
		int blank = nl && (n == 1 || (n == 2 && text[at] == '\r'));
		if (r.pending && !blank) {
			r.row_start = r.line;
			r.pending = 0;
		}
		if (csv_parse(&p, text + at, n, on_field, on_row, &r) != n) {
			rc = err_set(e, CAIRN_EINVALID, "csv", "line %ld: %s", r.line,
				     csv_strerror(csv_error(&p)));
			break;
		}
		/* a field that never ends (an unbalanced quote) is capped */
		if (p.entry_pos > CSV_MAX_FIELD) {
			rc = err_set(e, CAIRN_EINVALID, "csv", "line %ld: a field is longer than %d bytes",
				     r.row_start, CSV_MAX_FIELD);
			break;
		}
		at += n;
	}
	/* libcsv only reports an unclosed quote at the end in strict mode,
	 * which also refuses stray quotes that exports do contain: look at
	 * its state instead (2 = inside a field, quoted = it began with '"') */
	if (!rc && !r.failed && p.quoted && p.pstate == 2)
		rc = err_set(e, CAIRN_EINVALID, "csv", "line %ld: a quoted field is never closed",
			     r.row_start);
	if (!rc && !r.failed && csv_fini(&p, on_field, on_row, &r) != 0)
		rc = err_set(e, CAIRN_EINVALID, "csv", "line %ld: %s", r.row_start,
			     csv_strerror(csv_error(&p)));
	if (!rc && r.failed)
		rc = r.failed == 1 ? err_set(e, CAIRN_ENOMEM, NULL, "out of memory")
		     : r.failed == 2 ? err_set(e, CAIRN_EINVALID, "csv", "line %ld: more than %d columns",
					       r.row_start, CSV_MAX_COLS)
		     : r.failed == 4 ? err_set(e, CAIRN_EINVALID, "csv",
					       "line %ld: a field is longer than %d bytes", r.row_start,
					       CSV_MAX_FIELD)
				     : err_set(e, CAIRN_EINVALID, "csv", "more than %d rows", CSV_MAX_ROWS);
	free_row(&r.cur);
	csv_free(&p);
	if (rc)
		csv_table_free(out);
	return rc;
}

static int reserve(char **buf, size_t *len, size_t *cap, size_t more)
{
	if (*len + more + 1 <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 4096;
	while (nc < *len + more + 1)
		nc *= 2;
	char *nb = realloc(*buf, nc);
	if (!nb)
		return -1;
	*buf = nb;
	*cap = nc;
	return 0;
}

int csv_formula_start(const char *s)
{
	return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
}

int csv_append_field(char **buf, size_t *len, size_t *cap, const char *field, int first)
{
	const char *v = field ? field : "";
	size_t fl = strlen(v);
	char *guarded = NULL;
	/* a spreadsheet would run "=HYPERLINK(...)": a leading quote makes it
	 * text (the import takes it off again, csv_unguard).  A cell that
	 * starts with a quote gets one more, or the import would take its own
	 * off ("'=x" would come back as "=x"). */
	if (csv_formula_start(v) || v[0] == '\'') {
		if (!(guarded = malloc(fl + 2)))
			return -1;
		guarded[0] = '\'';
		memcpy(guarded + 1, v, fl + 1);
		v = guarded;
		fl++;
	}
	/* worst case: every byte a quote (doubled) plus the two quotes and a comma */
	if (reserve(buf, len, cap, 2 * fl + 3)) {
		free(guarded);
		return -1;
	}
	if (!first)
		(*buf)[(*len)++] = ',';
	*len += csv_write(*buf + *len, *cap - *len, v, fl);
	(*buf)[*len] = '\0';
	free(guarded);
	return 0;
}

const char *csv_unguard(const char *s)
{
	return s && s[0] == '\'' && (csv_formula_start(s + 1) || s[1] == '\'') ? s + 1 : s;
}

int csv_append_eol(char **buf, size_t *len, size_t *cap)
{
	if (reserve(buf, len, cap, 2))
		return -1;
	(*buf)[(*len)++] = '\r';
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
	return 0;
}
