/*
 * test_text.c — unit tests of core/text: the Unicode case folding behind
 * case-insensitive title search.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/text.h"

TestSuite(utf8_fold, .fini = fail_on_leaks);

/* Fold s and compare with the expected bytes. */
static void expect_fold(const char *s, const char *expected)
{
	char *f = utf8_fold(s);
	cr_assert(f != NULL, "utf8_fold returned NULL");
	cr_expect(eq(str, f, (char *)expected), "folding '%s'", s);
	free(f);
}

Test(utf8_fold, lowercases_ascii)
{
	expect_fold("Export the Board as CSV", "export the board as csv");
	expect_fold("already lower 123 !?", "already lower 123 !?");
}

Test(utf8_fold, lowercases_accented_latin)
{
	expect_fold("ÄRGER", "ärger");
	expect_fold("Ünïcödé CAFÉ", "ünïcödé café");
}

Test(utf8_fold, lowercases_greek_and_cyrillic)
{
	expect_fold("ΣΟΦΊΑ", "σοφία");
	expect_fold("ПРИВЕТ", "привет");
}

Test(utf8_fold, lowercases_outside_the_bmp)
{
	expect_fold("\xf0\x90\x90\x80", "\xf0\x90\x90\xa8"); /* Deseret U+10400 -> U+10428 */
}

Test(utf8_fold, handles_a_lower_case_form_longer_than_the_upper)
{
	/* U+023A (2 bytes) folds to U+2C65 (3 bytes): the buffer must grow. */
	char *in = str_of_len("\xc8\xba", 2 * 200);
	char *expected = str_of_len("\xe2\xb1\xa5", 3 * 200);
	expect_fold(in, expected);
	free(in);
	free(expected);
}

Test(utf8_fold, leaves_emoji_and_cjk_alone)
{
	expect_fold("Ship it \xf0\x9f\x9a\x80 日本語", "ship it \xf0\x9f\x9a\x80 日本語");
}

Test(utf8_fold, empty_string_gives_empty_string)
{
	expect_fold("", "");
}

Test(utf8_fold, returns_a_new_string)
{
	const char *s = "abc";
	char *f = utf8_fold(s);
	cr_assert(f != NULL);
	cr_expect(f != s, "caller frees the result, so it must be a new allocation");
	free(f);
}

Test(utf8_fold, copies_stray_invalid_bytes_unchanged)
{
	expect_fold("bad \xff\xfe X", "bad \xff\xfe x");
	expect_fold("lone \x80 continuation", "lone \x80 continuation");
	expect_fold("truncated \xc3", "truncated \xc3");
	expect_fold("truncated \xe2\x82 X", "truncated \xe2\x82 x");
}

Test(utf8_fold, copies_overlong_sequences_unchanged)
{
	/* text.h: "invalid bytes are copied as they are".  An overlong form
	 * is invalid UTF-8; it must not be decoded into the ASCII character
	 * it disguises (here '/' and '%'). */
	expect_fold("a\xc0\xaf" "b", "a\xc0\xaf" "b");
	expect_fold("a\xe0\x80\xaf" "b", "a\xe0\x80\xaf" "b");
	expect_fold("100\xc0\xa5", "100\xc0\xa5");
}
