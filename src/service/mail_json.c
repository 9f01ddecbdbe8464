/*
 * mail_json.c — JSON of notification email (mail_json.h).
 */
#include "service/mail_json.h"

json_t *mail_prefs_to_json(const struct mail_prefs_view *v)
{
	json_t *kinds = json_array(), *modes = json_array();
	for (int m = 0; m < MAIL__MODES; m++)
		json_array_append_new(modes, json_string(mail_mode_name((enum mail_mode)m)));
	for (size_t k = 0; k < v->n; k++)
		json_array_append_new(
			kinds, json_pack("{s:s,s:s,s:s,s:s}", "kind", v->kinds[k].kind->kind, "label",
					 v->kinds[k].kind->label, "mode",
					 mail_mode_name((enum mail_mode)v->kinds[k].mode), "default",
					 mail_mode_name(v->kinds[k].kind->fallback)));
	return json_pack("{s:o,s:b,s:o,s:o}", "email",
			 v->address[0] ? json_string(v->address) : json_null(), "mail_enabled",
			 v->enabled, "modes", modes, "kinds", kinds);
}

json_t *mail_settings_to_json(const struct mail_settings *s)
{
	return json_pack("{s:s,s:s,s:b,s:s,s:s,s:i,s:{s:I,s:I,s:I,s:I}}", "smtp_url", s->smtp_url,
			 "username", s->username, "password_set", s->password_set, "from", s->from,
			 "base_url", s->base_url, "digest_hour", s->digest_hour, "queue", "pending",
			 (json_int_t)s->queue[0], "sent", (json_int_t)s->queue[1], "failed",
			 (json_int_t)s->queue[2], "dropped", (json_int_t)s->queue[3]);
}
