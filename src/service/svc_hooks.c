/*
 * svc_hooks.c — outgoing notification hooks: admins register receivers;
 * publishing an entry queues one delivery per hook (in the publishing
 * transaction), and the server's background worker sends what is due,
 * retrying with exponential backoff.  A delivery is claimed with a
 * conditional UPDATE before it is sent, so two servers on one database
 * never send the same attempt twice; a receiver that is down never holds
 * up publishing.
 *
 * Retry times are wall-clock (wall_ms), not the test clock: a stopped
 * CAIRN_NOW must not stop deliveries.  CAIRN_HOOK_RETRY_MS sets the first
 * backoff step (default 5000 ms; tests use less).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "integrations/webhook_out.h"
#include "service/svc_int.h"

int svc_hook_add(const struct op *op, const char *url, const char *secret,
		 struct hook *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) ||
	    strlen(url) >= sizeof out->url || strlen(url) < 10 || strpbrk(url, " \t\r\n"))
		return err_set(e, CAIRN_EINVALID, "url", "url must be an http:// or https:// URL");
	if (!secret || strlen(secret) < 16 || strlen(secret) >= sizeof out->secret)
		return err_set(e, CAIRN_EINVALID, "secret",
			       "secret must be 16..255 bytes (it signs every delivery)");
	snprintf(out->url, sizeof out->url, "%s", url);
	snprintf(out->secret, sizeof out->secret, "%s", secret);
	out->created_at = op->now;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_hook_insert(st, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_hook_list(const struct op *op, struct hook **out, size_t *n,
		  struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_hook_list(st, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_hook_delete(const struct op *op, int64_t id, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	if ((rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_hook_delete(st, id, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_hook_deliveries(const struct op *op, struct hook_delivery **out,
			size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_hook_deliveries(st, 200, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

static int64_t retry_base(void)
{
	const char *s = getenv("CAIRN_HOOK_RETRY_MS");
	long long v = s ? strtoll(s, NULL, 10) : 0;
	return v >= 10 && v <= 3600000 ? v : 5000;
}

/* Send one claimed delivery and record the outcome. */
static int send_one(struct store *st, void *item, struct err *e)
{
	const struct hook_delivery *d = item;
	char error[256];
	int status, rc;
	int ok = webhook_post(d->url, d->secret, d->event, d->id, d->payload, &status, error,
			      sizeof error) == 0;
	int attempts = d->attempts + 1;
	int state = ok ? 1 : attempts >= HOOK_ATTEMPTS ? 2 : 0;
	int64_t next = wall_ms() + (retry_base() << (attempts - 1 < 20 ? attempts - 1 : 20));
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_hook_result(st, d->id, state, attempts, status, ok ? NULL : error, next,
				    now_ms(), e)) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_send_claimed(struct store *st, void *items, size_t n, size_t elem, size_t id_offset,
		     int64_t wall, int64_t hold_ms, claim_fn claim, send_fn send, int *sent,
		     struct err *e)
{
	int rc = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		char *item = (char *)items + k * elem;
		int64_t id;
		int won = 0;
		memcpy(&id, item + id_offset, sizeof id);
		if ((rc = store_begin(st, 1, e)))
			break;
		if ((rc = claim(st, id, wall, wall_ms() + hold_ms, &won, e)) ||
		    (rc = store_commit(st, e))) {
			store_rollback(st);
			break;
		}
		if (!won)
			continue; /* another server has it */
		rc = send(st, item, e);
		(*sent)++;
	}
	return rc;
}

int svc_hooks_run(const struct op *op, int limit, int *sent, struct err *e)
{
	struct store *st = op->st;
	struct hook_delivery *due = NULL;
	size_t n = 0;
	int rc;
	*sent = 0;
	int64_t wall = wall_ms();
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_hook_due(st, wall, limit, &due, &n, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		return rc;
	}
	/* held for a minute: longer than one attempt can take */
	rc = svc_send_claimed(st, due, n, sizeof *due, offsetof(struct hook_delivery, id), wall,
			      60000, store_hook_claim, send_one, sent, e);
	hook_deliveries_free(due, n);
	return rc;
}
