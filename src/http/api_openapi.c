/*
 * api_openapi.c — GET /api/v1/openapi.json: the OpenAPI 3.1 document of
 * this API.  The bytes are docs/openapi.json, embedded at build time by
 * tools/embed.c (as the web assets are), so the file in the repository and
 * the document served are one.  Public: it describes the API and holds no data.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "http/http.h"
#include "openapi_doc.h"

#define OPENAPI_ASSET "openapi.json"

int api_openapi(struct req *r, json_t **out)
{
	*out = NULL;
	for (const struct web_asset *a = openapi_doc; a->name; a++) {
		if (strcmp(a->name, OPENAPI_ASSET) != 0)
			continue;
		char etag[24];
		snprintf(etag, sizeof etag, "\"%016llx\"", hash_bytes(a->data, a->len));
		req_set_header(r, "ETag", etag);
		req_set_header(r, "Cache-Control", "no-cache");
		const char *inm = req_header(r, "If-None-Match");
		if (inm && strcmp(inm, etag) == 0)
			return 304;
		req_set_text(r, "application/json", (const char *)a->data, a->len);
		return 200;
	}
	struct err e;
	err_clear(&e);
	err_set(&e, CAIRN_ENOTFOUND, NULL, "this build has no OpenAPI document");
	return http_error(&e, out);
}
