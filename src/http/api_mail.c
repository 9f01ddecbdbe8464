/*
 * api_mail.c — notification email (docs/API.md, "Notification email"):
 * one's own choices per kind and address, and the SMTP settings (admins).
 * Parse the request, call the service, shape the reply; the rules are in
 * service/svc_mail.c.
 */
#include <string.h>

#include "http/http.h"
#include "service/mail_json.h"
#include "service/service.h"

static int reply_prefs(const struct mail_prefs_view *v, json_t **out)
{
	*out = mail_prefs_to_json(v);
	return *out ? 200 : 500;
}

int api_mail_prefs(struct req *r, json_t **out)
{
	struct err e;
	struct mail_prefs_view v;
	err_clear(&e);
	if (svc_mail_prefs(req_op(r), &v, &e))
		return http_error(&e, out);
	return reply_prefs(&v, out);
}

/* {"kinds": {"<kind>": "<mode>", ...}} into in. */
static int read_kinds(json_t *v, struct mail_prefs_input *in, struct err *e)
{
	const char *key;
	json_t *mode;
	if (!json_is_object(v) || json_object_size(v) > MAIL_KINDS_MAX)
		return err_set(e, CAIRN_EINVALID, "kinds",
			       "kinds must be an object of kind: mode (inapp, email, digest or off)");
	json_object_foreach(v, key, mode) {
		if (!json_is_string(mode)) {
			char field[64];
			snprintf(field, sizeof field, "kinds.%.50s", key);
			return err_set(e, CAIRN_EINVALID, field,
				       "a mode is inapp, email, digest or off");
		}
		in->kinds[in->n].kind = key;
		in->kinds[in->n++].mode = json_string_value(mode);
	}
	return 0;
}

/* {"email": "a@b" | "" | null, "kinds": {...}}, nothing else. */
static int read_prefs(struct req *r, struct mail_prefs_input *in, struct err *e)
{
	json_t *b = req_json(r, e), *v;
	const char *key;
	int rc;
	memset(in, 0, sizeof *in);
	if (!b)
		return CAIRN_EINVALID;
	json_object_foreach(b, key, v) {
		if (!strcmp(key, "email")) {
			if (!json_is_string(v) && !json_is_null(v))
				return err_set(e, CAIRN_EINVALID, "email",
					       "email must be an address, or null to forget it");
			in->set_address = 1;
			in->address = json_string_value(v);
		} else if (!strcmp(key, "kinds")) {
			if ((rc = read_kinds(v, in, e)))
				return rc;
		} else {
			return err_set(e, CAIRN_EINVALID, key, "unknown field %s", key);
		}
	}
	return 0;
}

int api_mail_prefs_patch(struct req *r, json_t **out)
{
	struct err e;
	struct mail_prefs_input in;
	struct mail_prefs_view v;
	err_clear(&e);
	if (read_prefs(r, &in, &e) || svc_mail_prefs_set(req_op(r), &in, &v, &e))
		return http_error(&e, out);
	return reply_prefs(&v, out);
}

static int reply_settings(const struct mail_settings *s, json_t **out)
{
	*out = mail_settings_to_json(s);
	return *out ? 200 : 500;
}

int api_mail_settings(struct req *r, json_t **out)
{
	struct err e;
	struct mail_settings s;
	err_clear(&e);
	if (svc_mail_settings(req_op(r), &s, &e))
		return http_error(&e, out);
	return reply_settings(&s, out);
}

#define IN(m) offsetof(struct mail_settings_input, m)
static const struct text_member setting_fields[] = {
	{"smtp_url", 1, IN(smtp_url)}, {"username", 2, IN(username)}, {"password", 4, IN(password)},
	{"from", 8, IN(from)},	       {"base_url", 16, IN(base_url)},
};
#undef IN

/* The settings' text fields (null: clear) and digest_hour, nothing else. */
static int read_settings(struct req *r, struct mail_settings_input *in, struct err *e)
{
	json_t *b = req_json(r, e), *v;
	const char *key;
	unsigned set = 0;
	memset(in, 0, sizeof *in);
	in->digest_hour = -1;
	if (!b)
		return CAIRN_EINVALID;
	json_object_foreach(b, key, v) {
		int got = json_text_member(setting_fields, sizeof setting_fields / sizeof setting_fields[0],
					   key, v, in, &set, e);
		if (got < 0)
			return -got;
		if (got)
			continue;
		if (strcmp(key, "digest_hour"))
			return err_set(e, CAIRN_EINVALID, key, "unknown field %s", key);
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 23)
			return err_set(e, CAIRN_EINVALID, "digest_hour",
				       "digest_hour must be from 0 to 23 (UTC)");
		in->digest_hour = (int)json_integer_value(v);
	}
	/* null clears a text field, as "" does */
	for (size_t k = 0; k < sizeof setting_fields / sizeof setting_fields[0]; k++) {
		const char **m = (const char **)((char *)in + setting_fields[k].offset);
		if ((set & setting_fields[k].bit) && !*m)
			*m = "";
	}
	return 0;
}

int api_mail_settings_patch(struct req *r, json_t **out)
{
	struct err e;
	struct mail_settings_input in;
	struct mail_settings s;
	err_clear(&e);
	if (read_settings(r, &in, &e) || svc_mail_settings_set(req_op(r), &in, &s, &e))
		return http_error(&e, out);
	return reply_settings(&s, out);
}

int api_mail_digests(struct req *r, json_t **out)
{
	struct err e;
	int queued;
	err_clear(&e);
	if (svc_mail_digests(req_op(r), &queued, &e))
		return http_error(&e, out);
	*out = json_pack("{s:i}", "queued", queued);
	return *out ? 200 : 500;
}
