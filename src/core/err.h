/*
 * err.h — the one error type of Cairn.
 *
 * Every layer reports failure through an `enum cairn_rc` (0 is OK) plus an
 * optional `struct err` that carries a human message and, for validation
 * errors, the offending field.  Codes are grouped and never renumbered:
 * they map to HTTP statuses (err_http_status), CLI exit codes
 * (err_exit_code) and the wire names used in JSON error bodies
 * (err_code_name).  Lower layers report and return; only main/cmd_* exit.
 */
#ifndef CAIRN_ERR_H
#define CAIRN_ERR_H

#include <stdarg.h>

enum cairn_rc {
	CAIRN_OK = 0,
	/* request problems (4xx) */
	CAIRN_EMALFORMED = 10, /* unparsable input: 400 */
	CAIRN_EINVALID = 11,   /* a field fails validation: 422 */
	CAIRN_EUNAUTH = 12,    /* no or bad credentials: 401 */
	CAIRN_EFORBIDDEN = 13, /* authenticated but not allowed: 403 */
	CAIRN_ENOTFOUND = 14,  /* no such thing (or not visible): 404 */
	CAIRN_ECONFLICT = 15,  /* uniqueness or state conflict: 409 */
	CAIRN_ESTALE = 16,     /* If-Match does not match: 412 */
	CAIRN_ETOOLARGE = 17,  /* body over the cap: 413 */
	CAIRN_EPRECOND = 18,   /* If-Match missing where required: 428 */
	CAIRN_EUSAGE = 19,     /* CLI usage error */
	CAIRN_EMETHOD = 20,    /* path exists, method does not: 405 */
	CAIRN_EMEDIA = 21,     /* body is not application/json: 415 */
	CAIRN_ETOOMANY = 22,   /* throttled (too many failed logins): 429 */
	CAIRN_EEXPECT = 23,    /* an Expect header other than 100-continue: 417 */
	CAIRN_EURI = 24,       /* the request target is too long: 414 */
	CAIRN_EHEADERS = 25,   /* the request headers are too large: 431 */
	/* server problems (5xx) */
	CAIRN_ENOMEM = 30,
	CAIRN_ESTORE = 31,     /* database error */
	CAIRN_ESCHEMA = 32,    /* schema newer than this binary */
	CAIRN_EINTERNAL = 33,
	CAIRN_EBUSY = 34,      /* database busy / pool exhausted: 503 */
	CAIRN_EUNAVAIL = 35,   /* the database cannot be written (read-only, full, I/O): 503 */
};

#define ERR_MSG_MAX 512
#define ERR_FIELD_MAX 64

struct err {
	enum cairn_rc code;
	char field[ERR_FIELD_MAX]; /* "" when no single field is at fault */
	char msg[ERR_MSG_MAX];
	int position; /* 1-based character offset in the field's text, 0 = none */
};

/* Set *e (if e is non-NULL) and return code.  Safe with e == NULL. */
int err_set(struct err *e, enum cairn_rc code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reset to OK with empty message. */
void err_clear(struct err *e);

/* HTTP status for a code (200 for OK, 500 for unknown). */
int err_http_status(enum cairn_rc code);

/* CLI exit code: 0 ok, 1 usage/malformed/invalid, 2 not found/refused,
 * 3 conflict, 4 server/internal. */
int err_exit_code(enum cairn_rc code);

/* Stable wire name: "invalid_field", "not_found", ... */
const char *err_code_name(enum cairn_rc code);

#endif
