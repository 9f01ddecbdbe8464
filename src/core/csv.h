/*
 * csv.h — CSV in and out, through libcsv (RFC 4180: quoted fields with
 * commas, quotes and newlines inside).  Reading yields rows with the line
 * each row starts on, so an import can name the lines it refused.
 */
#ifndef CAIRN_CSV_H
#define CAIRN_CSV_H

#include <stddef.h>

#include "core/err.h"

#define CSV_MAX_ROWS 100000
#define CSV_MAX_COLS 64
#define CSV_MAX_FIELD 65536

struct csv_row {
	long line;     /* 1-based line of the row's first character */
	char **fields; /* owned NUL-terminated strings */
	size_t n;
	int nul;       /* a field held a NUL byte (its string would stop short) */
};

struct csv_table {
	struct csv_row *rows;
	size_t n;
};

/* Parse text (len bytes) into rows.  Malformed quoting, too many rows or
 * columns, or an over-long field fail the whole parse (CAIRN_EINVALID,
 * field "csv", message with the line).  Caller calls csv_table_free. */
int csv_read(const char *text, size_t len, struct csv_table *out, struct err *e);
void csv_table_free(struct csv_table *t);

/* Append one CSV field (always quoted, quotes doubled) to a malloc'd
 * buffer (*buf, *len, *cap), preceded by a comma unless first.
 * Returns 0 or -1 on allocation failure. */
int csv_append_field(char **buf, size_t *len, size_t *cap, const char *field, int first);
int csv_append_eol(char **buf, size_t *len, size_t *cap);
/* A cell a spreadsheet would take for a formula: it starts with = + - @
 * or a tab or carriage return.  csv_append_field writes such a cell with
 * a leading ' (OWASP's advice against CSV injection), and a cell that
 * starts with ' too; csv_unguard gives the value back on import (s
 * without that quote), so export then import keeps every value. */
int csv_formula_start(const char *s);
const char *csv_unguard(const char *s);

#endif
