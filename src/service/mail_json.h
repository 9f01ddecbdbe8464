/*
 * mail_json.h — the JSON shapes of notification email: a user's choices
 * and the SMTP settings, one for the API and the CLI's --json.
 */
#ifndef CAIRN_MAIL_JSON_H
#define CAIRN_MAIL_JSON_H

#include <jansson.h>

#include "service/service.h"

/* {email, mail_enabled, modes: [...], kinds: [{kind, label, mode, default}]}.
 * New reference; NULL on allocation failure. */
json_t *mail_prefs_to_json(const struct mail_prefs_view *v);
/* {smtp_url, username, password_set, from, base_url, digest_hour,
 * queue: {pending, sent, failed, dropped}}: never the password. */
json_t *mail_settings_to_json(const struct mail_settings *s);

#endif
