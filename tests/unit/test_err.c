/*
 * test_err.c — unit tests of core/err: the one error type's mapping to
 * HTTP statuses, CLI exit codes and wire names, and message formatting.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/err.h"

TestSuite(err, .fini = fail_on_leaks);

/* What a client sees for each code: HTTP status, exit code, JSON name. */
static const struct {
	enum cairn_rc code;
	int http;
	int exit;
	const char *name;
} mapping[] = {
	{CAIRN_OK, 200, 0, "ok"},
	{CAIRN_EMALFORMED, 400, 1, "malformed"},
	{CAIRN_EINVALID, 422, 1, "invalid_field"},
	{CAIRN_EUNAUTH, 401, 2, "unauthorized"},
	{CAIRN_EFORBIDDEN, 403, 2, "forbidden"},
	{CAIRN_ENOTFOUND, 404, 2, "not_found"},
	{CAIRN_ECONFLICT, 409, 3, "conflict"},
	{CAIRN_ESTALE, 412, 3, "stale_version"},
	{CAIRN_ETOOLARGE, 413, 1, "too_large"},
	{CAIRN_EPRECOND, 428, 1, "precondition_required"},
	{CAIRN_EUSAGE, 400, 1, "usage"},
	{CAIRN_EMETHOD, 405, 1, "method_not_allowed"},
	{CAIRN_EMEDIA, 415, 1, "unsupported_media_type"},
	{CAIRN_ETOOMANY, 429, 2, "too_many_requests"},
	{CAIRN_EEXPECT, 417, 1, "expectation_failed"},
	{CAIRN_EURI, 414, 1, "uri_too_long"},
	{CAIRN_EHEADERS, 431, 1, "headers_too_large"},
	{CAIRN_ENOMEM, 500, 4, "out_of_memory"},
	{CAIRN_ESTORE, 500, 4, "store_error"},
	{CAIRN_ESCHEMA, 500, 4, "schema_too_new"},
	{CAIRN_EINTERNAL, 500, 4, "internal"},
	{CAIRN_EBUSY, 503, 4, "busy"},
	{CAIRN_EUNAVAIL, 503, 4, "unavailable"},
};

#define NMAP (sizeof mapping / sizeof mapping[0])

Test(err, each_code_maps_to_its_http_status)
{
	for (size_t k = 0; k < NMAP; k++)
		cr_expect(eq(int, err_http_status(mapping[k].code), mapping[k].http), "%s",
			  mapping[k].name);
}

Test(err, each_code_maps_to_its_exit_code)
{
	for (size_t k = 0; k < NMAP; k++)
		cr_expect(eq(int, err_exit_code(mapping[k].code), mapping[k].exit), "%s",
			  mapping[k].name);
}

Test(err, each_code_has_its_stable_wire_name)
{
	for (size_t k = 0; k < NMAP; k++)
		cr_expect(eq(str, (char *)err_code_name(mapping[k].code), (char *)mapping[k].name),
			  "code %d", (int)mapping[k].code);
}

Test(err, wire_names_are_unique)
{
	for (size_t a = 0; a < NMAP; a++)
		for (size_t b = a + 1; b < NMAP; b++)
			cr_expect(strcmp(err_code_name(mapping[a].code), err_code_name(mapping[b].code)) != 0,
				  "codes %d and %d share a name", (int)mapping[a].code,
				  (int)mapping[b].code);
}

Test(err, code_numbers_never_change)
{
	/* Public values: grouped and never renumbered. */
	cr_expect(eq(int, CAIRN_OK, 0));
	cr_expect(eq(int, CAIRN_EMALFORMED, 10));
	cr_expect(eq(int, CAIRN_EINVALID, 11));
	cr_expect(eq(int, CAIRN_EMEDIA, 21));
	cr_expect(eq(int, CAIRN_ETOOMANY, 22));
	cr_expect(eq(int, CAIRN_EMETHOD, 20));
	cr_expect(eq(int, CAIRN_ENOMEM, 30));
	cr_expect(eq(int, CAIRN_EBUSY, 34));
}

Test(err, unknown_code_is_an_internal_server_error)
{
	const int unknown[] = {1, 9, 26, 29, 36, 999, -1};
	for (size_t k = 0; k < sizeof unknown / sizeof unknown[0]; k++) {
		enum cairn_rc c = (enum cairn_rc)unknown[k];
		cr_expect(eq(int, err_http_status(c), 500), "code %d", unknown[k]);
		cr_expect(eq(int, err_exit_code(c), 4), "code %d", unknown[k]);
		cr_expect(eq(str, (char *)err_code_name(c), "internal"), "code %d", unknown[k]);
	}
}

Test(err, set_fills_code_field_and_formatted_message)
{
	struct err e = {0};
	int rc = err_set(&e, CAIRN_EINVALID, "title", "title must be at most %d bytes", 256);
	cr_expect(eq(int, rc, CAIRN_EINVALID), "err_set returns the code");
	cr_expect(eq(int, e.code, CAIRN_EINVALID));
	cr_expect(eq(str, e.field, "title"));
	cr_expect(eq(str, e.msg, "title must be at most 256 bytes"));
}

Test(err, set_with_null_field_leaves_field_empty)
{
	struct err e;
	memset(&e, 'z', sizeof e);
	err_set(&e, CAIRN_ENOTFOUND, NULL, "issue #%d not found", 12);
	cr_expect(eq(str, e.field, ""));
	cr_expect(eq(str, e.msg, "issue #12 not found"));
}

Test(err, set_with_null_err_is_safe_and_returns_code)
{
	cr_expect(eq(int, err_set(NULL, CAIRN_ECONFLICT, "login", "taken: %s", "pat"), CAIRN_ECONFLICT));
	cr_expect(eq(int, err_set(NULL, CAIRN_OK, NULL, "%s", ""), CAIRN_OK));
}

Test(err, long_message_is_truncated_without_overflow)
{
	/* Canary right behind the struct: a write past msg would change it
	 * (ASan cannot see overflows inside one object). */
	struct {
		struct err e;
		char canary[32];
	} box;
	memset(&box, 'C', sizeof box);
	char *huge = str_of_len("0123456789", 5000);

	err_set(&box.e, CAIRN_EINVALID, "body", "too long: %s", huge);

	cr_expect(eq(sz, strlen(box.e.msg), ERR_MSG_MAX - 1), "truncated to ERR_MSG_MAX-1 bytes");
	cr_expect(strncmp(box.e.msg, "too long: 0123456789", 20) == 0, "keeps the start: %.40s",
		  box.e.msg);
	for (size_t k = 0; k < sizeof box.canary; k++)
		cr_assert(eq(chr, box.canary[k], 'C'), "canary byte %zu overwritten", k);
	free(huge);
}

Test(err, message_of_exactly_max_minus_one_fits)
{
	struct err e;
	char *text = str_of_len("m", ERR_MSG_MAX - 1);
	err_set(&e, CAIRN_EINVALID, "q", "%s", text);
	cr_expect(eq(str, e.msg, text));
	free(text);
}

Test(err, long_field_is_truncated_without_overflow)
{
	struct err e;
	memset(&e, 'z', sizeof e);
	char *field = str_of_len("f", 200);
	err_set(&e, CAIRN_EINVALID, field, "bad");
	cr_expect(eq(sz, strlen(e.field), ERR_FIELD_MAX - 1));
	cr_expect(eq(str, e.msg, "bad"), "msg is not clobbered by the long field");
	free(field);
}

Test(err, clear_resets_to_ok)
{
	struct err e = {0};
	err_set(&e, CAIRN_ESTORE, "x", "database is locked");
	err_clear(&e);
	cr_expect(eq(int, e.code, CAIRN_OK));
	cr_expect(eq(str, e.field, ""));
	cr_expect(eq(str, e.msg, ""));
	err_clear(NULL);
}

Test(err, a_later_error_replaces_an_earlier_one)
{
	struct err e = {0};
	err_set(&e, CAIRN_EINVALID, "title", "a rather long first message about the title");
	err_set(&e, CAIRN_ENOTFOUND, NULL, "gone");
	cr_expect(eq(int, e.code, CAIRN_ENOTFOUND));
	cr_expect(eq(str, e.field, ""));
	cr_expect(eq(str, e.msg, "gone"));
}
