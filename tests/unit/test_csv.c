/*
 * test_csv.c — the CSV reader: rows, quoting, the line each row starts on,
 * and the caps.  Regressions from tests/fuzz/fuzz_csv included.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "builders.h"
#include "core/csv.h"

TestSuite(csv, .fini = fail_on_leaks);

static struct csv_table read_ok(const char *text)
{
	struct csv_table t;
	struct err e = {0};
	cr_assert_eq(csv_read(text, strlen(text), &t, &e), 0, "%s", e.msg);
	return t;
}

Test(csv, rows_know_their_first_line)
{
	struct csv_table t = read_ok("h1,h2\n\"a\nb\",c\n\nd,\"e,f\"\ng");
	cr_assert_eq(t.n, 4);
	cr_expect_eq(t.rows[0].line, 1);
	cr_expect_eq(t.rows[1].line, 2, "a quoted field spans lines 2-3");
	cr_expect_str_eq(t.rows[1].fields[0], "a\nb");
	cr_expect_eq(t.rows[2].line, 5, "the blank line 4 starts no row");
	cr_expect_str_eq(t.rows[2].fields[1], "e,f");
	cr_expect_eq(t.rows[3].line, 6, "a last line without a newline still counts");
	csv_table_free(&t);
}

Test(csv, a_one_byte_file_is_one_row_on_line_one)
{
	struct csv_table t = read_ok(",");
	cr_assert_eq(t.n, 1);
	cr_expect_eq(t.rows[0].line, 1);
	cr_expect_eq(t.rows[0].n, 2);
	csv_table_free(&t);
}

Test(csv, quotes_are_doubled_and_undoubled)
{
	struct csv_table t = read_ok("\"say \"\"hi\"\"\",x\r\n");
	cr_expect_str_eq(t.rows[0].fields[0], "say \"hi\"");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	cr_assert_eq(csv_append_field(&buf, &len, &cap, t.rows[0].fields[0], 1), 0);
	cr_expect_str_eq(buf, "\"say \"\"hi\"\"\"");
	free(buf);
	csv_table_free(&t);
}

Test(csv, caps_refuse_the_whole_file)
{
	struct csv_table t;
	struct err e = {0};
	size_t n = CSV_MAX_FIELD + 10;
	char *big = malloc(n + 2);
	memset(big, 'x', n);
	big[n] = '\n';
	big[n + 1] = '\0';
	cr_expect_eq(csv_read(big, n + 1, &t, &e), CAIRN_EINVALID, "a long field ending a line");
	cr_expect(strstr(e.msg, "longer than"), "%s", e.msg);
	free(big);
	cr_expect_eq(csv_read("a\n\"never closed\n", 16, &t, &e), CAIRN_EINVALID);
	cr_expect(strstr(e.msg, "never closed"), "%s", e.msg);
}

/* fuzz_csv (tests/fuzz/corpus/csv/quote-then-formula): a cell that itself
 * starts with a quote lost it on export then import. */
Test(csv, export_then_import_keeps_cells_that_start_with_a_quote)
{
	static const char *const cells[] = {"=1+1", "'=1+1", "''=x", "'plain", "'", "+", "-2", "@x",
					    "plain", ""};
	const size_t n = sizeof cells / sizeof cells[0];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (size_t k = 0; k < n; k++)
		cr_assert_eq(csv_append_field(&buf, &len, &cap, cells[k], k == 0), 0);
	cr_assert_eq(csv_append_eol(&buf, &len, &cap), 0);
	struct csv_table t = read_ok(buf);
	cr_assert_eq(t.rows[0].n, n, "%s", buf);
	for (size_t k = 0; k < n; k++) {
		cr_expect_str_eq(csv_unguard(t.rows[0].fields[k]), cells[k], "cell %zu of %s", k, buf);
		cr_expect(!csv_formula_start(t.rows[0].fields[k]), "cell %zu a formula in %s", k, buf);
	}
	cr_expect_str_eq(csv_unguard("'hello"), "'hello", "a hand-written quote stays");
	free(buf);
	csv_table_free(&t);
}
