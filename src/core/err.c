/*
 * err.c — formatting and mapping of the one error type (see err.h).
 */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

/* A cut may have split a UTF-8 sequence at the end: drop its lead bytes. */
static void trim_partial_utf8(char *s)
{
	size_t n = strlen(s), k = n;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xc0) == 0x80)
		k--;
	if (k > 0 && (unsigned char)s[k - 1] >= 0xc0) {
		unsigned char lead = (unsigned char)s[k - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
		if (n - (k - 1) < need)
			s[k - 1] = '\0';
	}
}

int err_set(struct err *e, enum cairn_rc code, const char *field,
	    const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	e->position = 0;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof e->msg)
		trim_partial_utf8(e->msg);
	trim_partial_utf8(e->field);
	return code;
}

void err_clear(struct err *e)
{
	if (!e)
		return;
	e->code = CAIRN_OK;
	e->position = 0;
	e->field[0] = '\0';
	e->msg[0] = '\0';
}

static const struct {
	enum cairn_rc code;
	int http;
	int exit;
	const char *name;
} map[] = {
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

static int find(enum cairn_rc code)
{
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].code == code)
			return (int)i;
	return -1;
}

int err_http_status(enum cairn_rc code)
{
	int i = find(code);
	return i < 0 ? 500 : map[i].http;
}

int err_exit_code(enum cairn_rc code)
{
	int i = find(code);
	return i < 0 ? 4 : map[i].exit;
}

const char *err_code_name(enum cairn_rc code)
{
	int i = find(code);
	return i < 0 ? "internal" : map[i].name;
}
