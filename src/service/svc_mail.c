/*
 * svc_mail.c — notification email (issue #14).
 *
 * Every notification passes notify_record (from svc_notify.c's one place
 * that tells a user): the user's choice for its kind decides whether it is
 * recorded at all (off), and whether a mail is queued at once (email).
 * Daily digests are queued by svc_mail_digests when mail_digest_due says
 * so at op->now, with the unread notifications of the digest kinds that no
 * mail told of.  The queue is a table, so mails survive a restart; the
 * server's background worker sends them (svc_mail_run) through libcurl.
 *
 * Privacy: a queued mail names notifications, not text.  When it is sent
 * they are read again through the private-issue rule of the recipient as
 * they are then, so an issue turned private, or a user who lost the
 * right to see it, never gets it by mail; a mail left with nothing is
 * dropped.  The subject has no control characters (no header injection);
 * the body is plain text.
 *
 * Retry times are wall-clock (wall_ms), as for outgoing hooks: a stopped
 * CAIRN_NOW must not stop the sender.  The digest rule reads op->now only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mail.h"
#include "core/timeutil.h"
#include "integrations/smtp_out.h"
#include "service/svc_int.h"

#define MAIL_ATTEMPTS 8
#define DIGEST_HOUR_DEFAULT 7

/* The settings rows of mail; password never leaves the service. */
static const char *const S_URL = "smtp_url", *const S_USER = "smtp_user",
		  *const S_PASSWORD = "smtp_password", *const S_FROM = "smtp_from",
		  *const S_BASE = "mail_base_url", *const S_HOUR = "mail_digest_hour";

static int setting(struct store *st, const char *name, char *buf, size_t cap, struct err *e)
{
	int found;
	int rc = store_setting_get(st, name, buf, cap, &found, e);
	if (!rc && !found)
		buf[0] = '\0';
	return rc;
}

/* The SMTP configuration and the two mail settings, in the caller's transaction. */
static int load_config(struct store *st, struct smtp_config *c, char *base, size_t cap, int *hour,
		       struct err *e)
{
	char h[16];
	int rc;
	memset(c, 0, sizeof *c);
	if ((rc = setting(st, S_URL, c->url, sizeof c->url, e)) ||
	    (rc = setting(st, S_USER, c->user, sizeof c->user, e)) ||
	    (rc = setting(st, S_PASSWORD, c->password, sizeof c->password, e)) ||
	    (rc = setting(st, S_FROM, c->from, sizeof c->from, e)) ||
	    (rc = setting(st, S_BASE, base, cap, e)) || (rc = setting(st, S_HOUR, h, sizeof h, e)))
		return rc;
	char *end;
	long v = strtol(h, &end, 10);
	*hour = h[0] && !*end && v >= 0 && v <= 23 ? (int)v : DIGEST_HOUR_DEFAULT;
	return 0;
}

static int enabled(const struct smtp_config *c)
{
	return c->url[0] && c->from[0];
}

/* ---- choosing ----------------------------------------------------------- */

/* How user_id hears of kind: their choice, else the kind's default, else
 * the inbox only (a kind outside the table). */
static int mode_of(struct store *st, int64_t user_id, const char *kind, enum mail_mode *out,
		   struct err *e)
{
	const struct mail_kind *k = mail_kind_find(kind);
	char mode[16];
	int rc = store_mail_pref(st, user_id, kind, mode, sizeof mode, e);
	*out = k ? k->fallback : MAIL_INAPP;
	if (!rc && mode[0])
		mail_mode_parse(mode, out);
	return rc;
}

int notify_record(const struct op *op, const struct user *u, int64_t issue_id, const char *kind,
		  const char *detail, struct err *e)
{
	struct store *st = op->st;
	struct mail_account a;
	struct smtp_config c;
	char base[512];
	enum mail_mode mode;
	int64_t id;
	int found, hour, rc = mode_of(st, u->id, kind, &mode, e);
	if (rc || mode == MAIL_OFF)
		return rc;
	if ((rc = store_notify_add(st, u->id, issue_id, kind, op->actor ? op->actor->id : 0, op->now,
				   detail, &id, e)) ||
	    mode != MAIL_EMAIL)
		return rc;
	if ((rc = store_mail_account(st, u->id, &a, &found, e)) || !found ||
	    (rc = load_config(st, &c, base, sizeof base, &hour, e)) || !enabled(&c))
		return rc;
	return store_mail_enqueue(st, u->id, 0, &id, 1, wall_ms(), op->now, e);
}

static int read_prefs(const struct op *op, struct mail_prefs_view *out, struct err *e)
{
	struct store *st = op->st;
	struct mail_account a;
	struct smtp_config c;
	char base[512];
	size_t nk;
	const struct mail_kind *k = mail_kinds(&nk);
	int found, hour, rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_mail_account(st, op->actor->id, &a, &found, e)) ||
	    (rc = load_config(st, &c, base, sizeof base, &hour, e)))
		return rc;
	if (found)
		snprintf(out->address, sizeof out->address, "%s", a.address);
	out->enabled = enabled(&c);
	for (size_t j = 0; j < nk && j < MAIL_KINDS_MAX && !rc; j++) {
		char mode[16];
		enum mail_mode m = k[j].fallback;
		rc = store_mail_pref(st, op->actor->id, k[j].kind, mode, sizeof mode, e);
		out->kinds[j].kind = &k[j];
		out->kinds[j].chosen = !rc && mode[0] && !mail_mode_parse(mode, &m);
		out->kinds[j].mode = m;
		out->n = j + 1;
	}
	return rc;
}

int svc_mail_prefs(const struct op *op, struct mail_prefs_view *out, struct err *e)
{
	int rc = svc_allow(op->actor, P_READ, e);
	memset(out, 0, sizeof *out);
	if (rc || (rc = store_begin(op->st, 0, e)))
		return rc;
	return svc_end(op, read_prefs(op, out, e), e);
}

static int check_prefs(const struct mail_prefs_input *in, struct err *e)
{
	enum mail_mode m;
	if (in->set_address && in->address && in->address[0] && !mail_address_ok(in->address))
		return err_set(e, CAIRN_EINVALID, "email",
			       "email must be a plain address like name@example.com (at most %d bytes)",
			       MAIL_ADDRESS_MAX);
	for (size_t k = 0; k < in->n; k++) {
		char field[64];
		snprintf(field, sizeof field, "kinds.%.50s", in->kinds[k].kind);
		if (!mail_kind_find(in->kinds[k].kind))
			return err_set(e, CAIRN_EINVALID, field, "no notification kind %.50s",
				       in->kinds[k].kind);
		if (mail_mode_parse(in->kinds[k].mode, &m))
			return err_set(e, CAIRN_EINVALID, field,
				       "a mode is inapp, email, digest or off");
	}
	return 0;
}

int svc_mail_prefs_set(const struct op *op, const struct mail_prefs_input *in,
		       struct mail_prefs_view *out, struct err *e)
{
	struct store *st = op->st;
	int rc = svc_allow(op->actor, P_NOTIFY_PREFS, e);
	memset(out, 0, sizeof *out);
	if (rc || (rc = check_prefs(in, e)) || (rc = store_begin(st, 1, e)))
		return rc;
	if (in->set_address)
		rc = store_mail_account_set(st, op->actor->id,
					    in->address && in->address[0] ? in->address : NULL,
					    op->now, e);
	for (size_t k = 0; k < in->n && !rc; k++)
		rc = store_mail_pref_set(st, op->actor->id, in->kinds[k].kind, in->kinds[k].mode, e);
	if (!rc)
		rc = read_prefs(op, out, e);
	return svc_end(op, rc, e);
}

/* ---- the SMTP settings (admins) ------------------------------------------ */

static int read_settings(struct store *st, struct mail_settings *out, struct err *e)
{
	struct smtp_config c;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = load_config(st, &c, out->base_url, sizeof out->base_url, &out->digest_hour, e)) ||
	    (rc = store_mail_counts(st, out->queue, e)))
		return rc;
	snprintf(out->smtp_url, sizeof out->smtp_url, "%s", c.url);
	snprintf(out->username, sizeof out->username, "%s", c.user);
	snprintf(out->from, sizeof out->from, "%s", c.from);
	out->password_set = c.password[0] != '\0';
	return 0;
}

int svc_mail_settings(const struct op *op, struct mail_settings *out, struct err *e)
{
	int rc = svc_allow(op->actor, P_ADMIN, e);
	memset(out, 0, sizeof *out);
	if (rc || (rc = store_begin(op->st, 0, e)))
		return rc;
	return svc_end(op, read_settings(op->st, out, e), e);
}

/* s has no control character and fits cap bytes. */
static int plain(const char *s, size_t cap)
{
	if (strlen(s) >= cap)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return 0;
	return 1;
}

static int url_ok(const char *s, const char *const *schemes, size_t cap)
{
	if (!s[0])
		return 1;
	if (!plain(s, cap) || strchr(s, ' '))
		return 0;
	for (; *schemes; schemes++)
		if (!strncmp(s, *schemes, strlen(*schemes)) && s[strlen(*schemes)])
			return 1;
	return 0;
}

static int check_settings(const struct mail_settings_input *in, struct err *e)
{
	static const char *const smtp[] = {"smtp://", "smtps://", NULL};
	static const char *const web[] = {"http://", "https://", NULL};
	if (in->smtp_url && !url_ok(in->smtp_url, smtp, 512))
		return err_set(e, CAIRN_EINVALID, "smtp_url",
			       "smtp_url must be smtp://host[:port] or smtps://host[:port] (or empty: mail off)");
	if (in->username && !plain(in->username, 256))
		return err_set(e, CAIRN_EINVALID, "username",
			       "username must be at most 255 bytes, without control characters");
	if (in->password && !plain(in->password, 256))
		return err_set(e, CAIRN_EINVALID, "password",
			       "password must be at most 255 bytes, without control characters");
	if (in->from && in->from[0] && !mail_address_ok(in->from))
		return err_set(e, CAIRN_EINVALID, "from",
			       "from must be a plain address like cairn@example.com");
	if (in->base_url && !url_ok(in->base_url, web, 512))
		return err_set(e, CAIRN_EINVALID, "base_url",
			       "base_url must be an http:// or https:// URL (the links in mails)");
	if (in->digest_hour < -1 || in->digest_hour > 23)
		return err_set(e, CAIRN_EINVALID, "digest_hour", "digest_hour must be from 0 to 23 (UTC)");
	return 0;
}

int svc_mail_settings_set(const struct op *op, const struct mail_settings_input *in,
			  struct mail_settings *out, struct err *e)
{
	struct store *st = op->st;
	const char *names[] = {S_URL, S_USER, S_PASSWORD, S_FROM, S_BASE, S_HOUR};
	char hour[8], detail[128] = "";
	snprintf(hour, sizeof hour, "%d", in->digest_hour);
	const char *values[] = {in->smtp_url, in->username, in->password,
				in->from,     in->base_url, in->digest_hour >= 0 ? hour : NULL};
	int rc = svc_allow(op->actor, P_ADMIN, e);
	memset(out, 0, sizeof *out);
	if (rc || (rc = check_settings(in, e)) || (rc = store_begin(st, 1, e)))
		return rc;
	for (size_t k = 0; k < sizeof names / sizeof names[0] && !rc; k++) {
		if (!values[k])
			continue;
		rc = store_setting_set(st, names[k], values[k], e);
		size_t len = strlen(detail);
		snprintf(detail + len, sizeof detail - len, "%s%s", len ? ", " : "", names[k]);
	}
	if (!rc && detail[0]) /* the names of what changed, never a value */
		rc = store_audit_add(st, op->now, op->actor->id, "mail.settings", 0, detail, e);
	if (!rc)
		rc = read_settings(st, out, e);
	return svc_end(op, rc, e);
}

/* ---- the sender ------------------------------------------------------------ */

static int64_t retry_base(void)
{
	const char *s = getenv("CAIRN_MAIL_RETRY_MS");
	long long v = s ? strtoll(s, NULL, 10) : 0;
	return v >= 10 && v <= 3600000 ? v : 30000;
}

/* "<actor> commented", "<actor> closed it": what a notification tells. */
static void describe(const struct notification *x, char *out, size_t cap)
{
	const struct mail_kind *k = mail_kind_find(x->kind);
	const char *who = x->actor[0] ? x->actor : "someone";
	/* detail: "closed" or "reopened" (state), then ";" and the fields
	 * the write changed (state, changed) */
	const char *semi = strchr(x->detail, ';');
	int head = semi ? (int)(semi - x->detail) : (int)strlen(x->detail);
	if (!strcmp(x->kind, "state") && head > 0)
		snprintf(out, cap, "%s %.*s it", who, head, x->detail);
	else if (!strcmp(x->kind, "changed") && semi && semi[1])
		snprintf(out, cap, "%s changed its %.40s", who, semi + 1);
	else
		snprintf(out, cap, "%s %s", who, k ? k->verb : x->kind);
}

/* The subject and plain-text body of a mail telling of x[0..n) (n >= 1);
 * *body malloc'd (caller frees), NULL when out of memory. */
static void compose(const struct notification *x, size_t n, int digest, const char *base,
		    char *subject, size_t cap, char **body)
{
	char what[128], title[TITLE_MAX + 1], at[32], line[512];
	size_t len = 0;
	FILE *f = open_memstream(body, &len);
	*body = NULL;
	mail_header_text(x[0].title, title, sizeof title);
	describe(&x[0], what, sizeof what);
	if (digest)
		snprintf(line, sizeof line, "[Cairn] Your daily digest: %zu notification%s", n,
			 n == 1 ? "" : "s");
	else
		snprintf(line, sizeof line, "[Cairn] #%lld %s (%s)", (long long)x[0].issue_number, title,
			 what);
	mail_header_text(line, subject, cap);
	if (!f)
		return;
	fprintf(f, "%s\n\n", digest ? "What happened since your last digest:" : "Hello,");
	for (size_t k = 0; k < n; k++) {
		mail_header_text(x[k].title, title, sizeof title);
		describe(&x[k], what, sizeof what);
		iso_time(x[k].at, at, sizeof at);
		fprintf(f, "#%lld %s\n  %s, %s\n", (long long)x[k].issue_number, title, what, at);
		if (base[0])
			fprintf(f, "  %s/issues/%lld\n", base, (long long)x[k].issue_number);
		fputc('\n', f);
	}
	fprintf(f, "-- \nCairn. Choose which mails you get on your account page%s\n",
		base[0] ? ":" : ".");
	if (base[0])
		fprintf(f, "%s/account\n", base);
	if (fclose(f)) {
		free(*body);
		*body = NULL;
	}
}

/* What job j would send now: *message NULL when there is nothing to send
 * (the recipient is gone, has no address, or may see none of it). */
static int prepare(struct store *st, const struct mail_job *j, const struct smtp_config *c,
		   const char *base, char *rcpt, size_t rcap, char **message, struct err *e)
{
	struct notification *x = NULL;
	struct mail_account a;
	struct user u;
	size_t n = 0;
	int found, rc;
	*message = NULL;
	if ((rc = store_user_get_id(st, j->user_id, &u, NULL, 0, e)) ||
	    (rc = store_mail_account(st, j->user_id, &a, &found, e)))
		return rc;
	if (u.disabled_at || !found)
		return 0;
	struct visibility v = visibility_of(&u);
	if ((rc = store_mail_items(st, j->id, &v, &x, &n, e)) || !n) {
		free(x);
		return rc;
	}
	char subject[600], *body, id[48];
	compose(x, n, j->digest, base, subject, sizeof subject, &body);
	free(x);
	if (!body)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	snprintf(rcpt, rcap, "%s", a.address);
	snprintf(id, sizeof id, "mail-%lld", (long long)j->id);
	*message = smtp_message(c->from, a.address, subject, body, wall_ms(), id);
	free(body);
	return *message ? 0 : err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
}

/* Send claimed job j and record the outcome. */
static int send_one(const struct op *op, const struct mail_job *j, const struct smtp_config *c,
		    const char *base, struct err *e)
{
	struct store *st = op->st;
	char rcpt[256], error[256] = "";
	char *message = NULL;
	int code = 0, state, rc;
	int attempts = j->attempts + 1;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	rc = prepare(st, j, c, base, rcpt, sizeof rcpt, &message, e);
	if ((rc = svc_end(op, rc, e)))
		return rc;
	if (!message) {
		state = 3;
		snprintf(error, sizeof error, "nothing the recipient may see");
	} else if (!smtp_send(c, rcpt, message, &code, error, sizeof error)) {
		state = 1;
		error[0] = '\0';
	} else {
		state = attempts >= MAIL_ATTEMPTS ? 2 : 0;
	}
	free(message);
	int64_t next = wall_ms() + (retry_base() << (attempts - 1 < 20 ? attempts - 1 : 20));
	if ((rc = store_begin(st, 1, e)))
		return rc;
	rc = store_mail_result(st, j->id, state, attempts, error[0] ? error : NULL, next, now_ms(), e);
	return svc_end(op, rc, e);
}

int svc_mail_run(const struct op *op, int limit, int *sent, struct err *e)
{
	struct store *st = op->st;
	struct mail_job *due = NULL;
	struct smtp_config c;
	char base[512];
	size_t n = 0;
	int hour, rc;
	*sent = 0;
	int64_t wall = wall_ms();
	if ((rc = store_begin(st, 0, e)))
		return rc;
	/* the queue first: an idle round costs one query */
	rc = store_mail_due(st, wall, limit, &due, &n, e);
	if (!rc && n && !(rc = load_config(st, &c, base, sizeof base, &hour, e)) && !enabled(&c))
		n = 0; /* they wait until mail is set up again */
	if ((rc = svc_end(op, rc, e))) {
		free(due);
		return rc;
	}
	for (size_t k = 0; k < n && !rc; k++) {
		int won = 0;
		/* held for a minute: longer than one attempt can take */
		if ((rc = store_begin(st, 1, e)))
			break;
		rc = store_mail_claim(st, due[k].id, wall, wall_ms() + 60000, &won, e);
		if ((rc = svc_end(op, rc, e)) || !won)
			continue; /* another server has it */
		rc = send_one(op, &due[k], &c, base, e);
		(*sent)++;
	}
	free(due);
	return rc;
}

/* ---- daily digests ----------------------------------------------------------- */

/* Queue a's digest if this call wins the slot and something is due. */
static int digest_one(const struct op *op, const struct mail_account *a, int64_t slot,
		      int *queued, struct err *e)
{
	struct store *st = op->st;
	struct notification *x = NULL;
	struct user u;
	size_t n = 0, keep = 0;
	int won, rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_mail_digest_claim(st, a->user_id, slot, op->now, &won, e)) || !won ||
	    (rc = store_user_get_id(st, a->user_id, &u, NULL, 0, e)))
		return svc_end(op, rc, e);
	struct visibility v = visibility_of(&u);
	rc = store_mail_unsent(st, &v, a->since, &x, &n, e);
	int64_t *ids = n ? malloc(n * sizeof *ids) : NULL;
	if (!rc && n && !ids)
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < n && !rc; k++) {
		enum mail_mode m;
		if (x[k].at <= op->now && !(rc = mode_of(st, u.id, x[k].kind, &m, e)) &&
		    m == MAIL_DIGEST)
			ids[keep++] = x[k].id;
	}
	if (!rc && keep) {
		rc = store_mail_enqueue(st, u.id, 1, ids, keep, wall_ms(), op->now, e);
		*queued += !rc;
	}
	free(ids);
	free(x);
	return svc_end(op, rc, e);
}

int svc_mail_digests(const struct op *op, int *queued, struct err *e)
{
	struct store *st = op->st;
	struct mail_account *due = NULL;
	struct smtp_config c;
	char base[512];
	size_t n = 0;
	int hour, rc;
	*queued = 0;
	if (op->actor && (rc = svc_allow(op->actor, P_ADMIN, e)))
		return rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	rc = load_config(st, &c, base, sizeof base, &hour, e);
	int64_t slot = mail_digest_slot(op->now, hour);
	if (!rc && enabled(&c))
		rc = store_mail_digest_due(st, slot, 200, &due, &n, e);
	if ((rc = svc_end(op, rc, e)))
		return rc;
	for (size_t k = 0; k < n && !rc; k++)
		rc = digest_one(op, &due[k], slot, queued, e);
	free(due);
	return rc;
}
