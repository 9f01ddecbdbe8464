/*
 * fuzz_csv.c — libFuzzer target for CSV import (core/csv.h, libcsv).
 *
 * Invariants:
 *   - on error: CAIRN_EINVALID with field "csv" (or ENOMEM), a message,
 *     and an empty table;
 *   - on success: at most CSV_MAX_ROWS rows of 1..CSV_MAX_COLS non-NULL
 *     fields no longer than CSV_MAX_FIELD; row lines start at 1, never go
 *     down and never pass the input's line count;
 *   - export round-trips: writing the table with csv_append_field /
 *     csv_append_eol and reading it back (csv_unguard on each cell, as the
 *     import does) gives the same table (what export-then-import relies on).
 */
#include "core/csv.h"

#include "fuzz_util.h"

static long count_lines(const char *s, size_t n)
{
	long lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

static void check_table(const struct csv_table *t, const char *in, size_t size)
{
	long lines = count_lines(in, size), prev = 1;
	FUZZ_ASSERT(t->n <= CSV_MAX_ROWS, in, "%zu rows", t->n);
	FUZZ_ASSERT(t->n == 0 || t->rows != NULL, in, "rows NULL");
	for (size_t r = 0; r < t->n; r++) {
		const struct csv_row *row = &t->rows[r];
		FUZZ_ASSERT(row->n >= 1 && row->n <= CSV_MAX_COLS, in, "row %zu has %zu fields", r,
			    row->n);
		FUZZ_ASSERT(row->line >= prev && row->line <= lines, in,
			    "row %zu on line %ld (previous %ld, %ld lines)", r, row->line, prev, lines);
		prev = row->line;
		for (size_t k = 0; k < row->n; k++) {
			FUZZ_ASSERT(row->fields[k] != NULL, in, "row %zu field %zu NULL", r, k);
			FUZZ_ASSERT(strlen(row->fields[k]) <= CSV_MAX_FIELD, in, "field too long");
		}
	}
}

static void check_roundtrip(const struct csv_table *t, const char *in)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (size_t r = 0; r < t->n; r++) {
		for (size_t k = 0; k < t->rows[r].n; k++)
			FUZZ_ASSERT(csv_append_field(&buf, &len, &cap, t->rows[r].fields[k], k == 0) == 0,
				    in, "csv_append_field failed");
		FUZZ_ASSERT(csv_append_eol(&buf, &len, &cap) == 0, in, "csv_append_eol failed");
	}
	FUZZ_ASSERT(t->n == 0 || (buf && strlen(buf) == len), in, "len %zu, strlen differs", len);

	struct csv_table back;
	struct err e;
	err_clear(&e);
	int rc = csv_read(buf ? buf : "", len, &back, &e);
	FUZZ_ASSERT(rc == 0, in, "export not readable: %s\n  export: %.300s", e.msg,
		    buf ? buf : "");
	FUZZ_ASSERT(back.n == t->n, in, "%zu rows exported, %zu read back\n  export: %.300s",
		    t->n, back.n, buf ? buf : "");
	for (size_t r = 0; r < t->n; r++) {
		FUZZ_ASSERT(back.rows[r].n == t->rows[r].n, in, "row %zu: %zu fields, %zu back", r,
			    t->rows[r].n, back.rows[r].n);
		for (size_t k = 0; k < t->rows[r].n; k++)
			FUZZ_ASSERT(strcmp(csv_unguard(back.rows[r].fields[k]), t->rows[r].fields[k]) == 0,
				    in, "row %zu field %zu: '%.80s' read back as '%.80s'", r, k,
				    t->rows[r].fields[k], back.rows[r].fields[k]);
	}
	csv_table_free(&back);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	struct csv_table t;
	struct err e;

	memset(&t, 0xa5, sizeof t);
	err_clear(&e);
	int rc = csv_read(in, size, &t, &e);
	if (rc) {
		FUZZ_ASSERT(rc == CAIRN_EINVALID || rc == CAIRN_ENOMEM, in, "rc=%d", rc);
		FUZZ_ASSERT((int)e.code == rc && e.msg[0], in, "error not reported");
		FUZZ_ASSERT(rc != CAIRN_EINVALID || strcmp(e.field, "csv") == 0, in, "field '%s'",
			    e.field);
		FUZZ_ASSERT(t.n == 0 && t.rows == NULL, in, "table not empty after an error");
	} else {
		check_table(&t, in, size);
		check_roundtrip(&t, in);
	}
	csv_table_free(&t);
	free(in);
	return 0;
}
