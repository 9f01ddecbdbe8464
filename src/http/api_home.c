/*
 * api_home.c — GET /api/v1/home: what waits for the caller (issue #14).
 */
#include "http/http.h"
#include "service/home_json.h"

int api_home(struct req *r, json_t **out)
{
	struct err e;
	struct home_view h;
	err_clear(&e);
	if (svc_home(req_op(r), &h, &e))
		return http_error(&e, out);
	*out = home_to_json(&h);
	home_view_release(&h);
	return 200;
}
