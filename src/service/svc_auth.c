/*
 * svc_auth.c — users, API tokens and sessions.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str).
 * Tokens and session ids are 32 random bytes; only a BLAKE2b hash of them
 * is stored, so a leaked database does not leak credentials.  Lookups are
 * by hash, so comparing is done by the database index on a value an
 * attacker cannot choose to probe byte by byte.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <semaphore.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/throttle.h"
#include "core/timeutil.h"
#include "service/svc_int.h"

/* argon2id takes 64 MiB and tens of milliseconds per hash: at most two run
 * at once, whatever the number of server threads, so a flood of logins
 * queues instead of exhausting memory. */
#define PWHASH_CONCURRENCY 2
static sem_t pwhash_slots;

int svc_init(void)
{
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	return sem_init(&pwhash_slots, 0, PWHASH_CONCURRENCY);
}

int svc_hash_password(char *out, const char *pw, size_t len)
{
	sem_wait(&pwhash_slots);
	int rc = crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&pwhash_slots);
	return rc;
}

int svc_verify_password(const char *hash, const char *pw)
{
	sem_wait(&pwhash_slots);
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	sem_post(&pwhash_slots);
	return rc;
}

/* 32 random bytes as 64 hex characters into out (cap >= 65). */
void svc_random_hex(char *out, size_t cap)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, cap, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

/* Hex BLAKE2b-256 of a secret, for storage (out >= 65 bytes). */
void svc_secret_hash(const char *secret, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* A display name: like a title, shorter. */
int svc_name_check(const char *name, struct err *e)
{
	if (strlen(name) > NAME_MAX_LEN)
		return err_set(e, CAIRN_EINVALID, "name", "name must be at most %d bytes",
			       NAME_MAX_LEN);
	if (*name && title_check(name, e)) {
		err_clear(e);
		return err_set(e, CAIRN_EINVALID, "name",
			       "name must be UTF-8 text without control characters");
	}
	return 0;
}

int svc_user_add(const struct op *op, const char *login,
		 const char *name, const char *role, const char *password, struct user *out,
		 struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	char hash[crypto_pwhash_STRBYTES];
	struct user u = {0};
	int rc;

	if (actor && (rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if (login_check(login, e))
		return e ? e->code : CAIRN_EINVALID;
	if (role_parse(role, &u.role))
		return err_set(e, CAIRN_EINVALID, "role",
			       "role must be one of admin,pm,cto,em,engineer,viewer");
	if (name && svc_name_check(name, e))
		return e ? e->code : CAIRN_EINVALID;
	size_t pl = password ? strlen(password) : 0;
	if (pl < PASSWORD_MIN || pl > PASSWORD_MAX)
		return err_set(e, CAIRN_EINVALID, "password",
			       "password must be %d to %d characters", PASSWORD_MIN, PASSWORD_MAX);
	if (svc_hash_password(hash, password, pl) != 0)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory hashing the password");
	snprintf(u.login, sizeof u.login, "%s", login);
	snprintf(u.name, sizeof u.name, "%s", name && *name ? name : login);
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_user_insert(st, &u, hash, op->now, e)) ||
	    (rc = store_audit_add(st, op->now, actor ? actor->id : 0, "user.created", u.id,
				  role_name(u.role), e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		return rc;
	}
	if (out)
		*out = u;
	return 0;
}

int svc_user_list(const struct op *op, struct user **out, size_t *n,
		  struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	(void)actor; /* every authenticated role may see who is on the team */
	return store_user_list(st, out, n, e);
}

int svc_user_get(const struct op *op, const char *login, struct user *out, struct err *e)
{
	struct store *st = op->st;
	int rc = store_user_by_login(st, login, out, NULL, 0, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_ENOTFOUND, "login", "no user '%s'", login);
	}
	return rc;
}

int svc_local_actor(const struct op *op, struct user *out, struct err *e)
{
	struct store *st = op->st;
	int rc = store_user_first_admin(st, out, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_ENOTFOUND, NULL, "no admin user: run cairn init --admin LOGIN");
	}
	return rc;
}

static const char *const scope_names[] = {"admin", "read", "write"};

const char *scope_name(enum scope s)
{
	return (unsigned)s < 3 ? scope_names[s] : "admin";
}

int scope_parse(const char *s, enum scope *out)
{
	for (int k = 0; s && k < 3; k++)
		if (!strcmp(s, scope_names[k])) {
			*out = (enum scope)k;
			return 0;
		}
	return -1;
}

int svc_token_create(const struct op *op, const struct token_input *in,
		     char *token, size_t cap, struct token_row *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct user owner;
	struct token_row t = {0};
	char secret[65], hash[65];
	int64_t now = op->now;
	int rc;

	if (cap < TOKEN_TEXT_LEN + 1)
		return err_set(e, CAIRN_EINTERNAL, NULL, "token buffer too small");
	if (in->name && svc_name_check(in->name, e))
		return e ? e->code : CAIRN_EINVALID;
	if (in->scope && scope_parse(in->scope, &t.scope))
		return err_set(e, CAIRN_EINVALID, "scope", "scope must be read, write or admin");
	if (in->expires_at && *in->expires_at) {
		if (parse_instant(in->expires_at, &t.expires_at))
			return err_set(e, CAIRN_EINVALID, "expires_at",
				       "expires_at must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
		if (t.expires_at <= now)
			return err_set(e, CAIRN_EINVALID, "expires_at", "expires_at must be in the future");
	}
	const char *login = in->login ? in->login : actor ? actor->login : "";
	int other = actor && strcmp(actor->login, login) != 0;
	if (other && !svc_may(actor, P_ADMIN))
		return err_set(e, CAIRN_EFORBIDDEN, NULL, "you may create tokens only for yourself");
	/* a token never holds more than the credential that makes it */
	if (actor && actor->scope != SCOPE_ALL && (t.scope == SCOPE_ALL || t.scope != actor->scope) &&
	    !(actor->scope == SCOPE_WRITE && t.scope == SCOPE_READ))
		return err_set(e, CAIRN_EFORBIDDEN, "scope",
			       "a %s token may create tokens of scope %s only",
			       scope_name(actor->scope),
			       actor->scope == SCOPE_WRITE ? "write or read" : "read");
	if ((rc = svc_user_get(op, login, &owner, e)))
		return rc;
	svc_random_hex(secret, sizeof secret);
	snprintf(token, cap, "cairn_%s", secret);
	svc_secret_hash(token, hash);
	t.user_id = owner.id;
	t.created_at = now;
	snprintf(t.name, sizeof t.name, "%s", in->name && *in->name ? in->name : "token");
	snprintf(t.login, sizeof t.login, "%s", owner.login);
	char detail[200];
	if ((rc = store_begin(st, 1, e)))
		goto out;
	/* the id says which token a later token.revoked row is about */
	if (!(rc = store_token_insert(st, &t, hash, e))) {
		snprintf(detail, sizeof detail, "\"%.120s\" (token %lld) scope %s", t.name,
			 (long long)t.id, scope_name(t.scope));
		rc = store_audit_add(st, now, actor ? actor->id : 0, "token.created", owner.id, detail,
				     e);
	}
	if (rc || (rc = store_commit(st, e)))
		store_rollback(st);
	if (!rc && out)
		*out = t;
out:
	sodium_memzero(secret, sizeof secret);
	if (rc)
		sodium_memzero(token, cap);
	return rc;
}

int svc_token_new(const struct op *op, const char *login,
		  const char *name, char *token, size_t cap, struct err *e)
{
	struct token_input in = {login, name, NULL, NULL};
	return svc_token_create(op, &in, token, cap, NULL, e);
}

/* Last use is kept to the minute: one write per credential per minute at
 * most, best effort (a busy database must not fail the request). */
#define TOUCH_EVERY_MS 60000

/* Tokens resolved under a data state token (struct op's state): while the
 * data is unchanged, so are the token's user, role, scope, expiry and
 * revocation, so a request under the same state skips the read.  Expiry
 * and the touch are still checked against the request's now; a touch is a
 * write, which moves the state on. */
#define TOKEN_MEMO_SLOTS 256
struct token_memo {
	char hash[65];
	char state[256];
	struct user user;
	struct token_row t;
};
static struct token_memo token_memo[TOKEN_MEMO_SLOTS];
static pthread_mutex_t token_memo_mu = PTHREAD_MUTEX_INITIALIZER;

static struct token_memo *memo_slot(const char *hash)
{
	unsigned k = 0;
	for (int i = 0; i < 8; i++)
		k = k * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return &token_memo[k % TOKEN_MEMO_SLOTS];
}

static int memo_get(const struct op *op, const char *hash, struct user *out, struct token_row *t)
{
	int hit = 0;
	if (!op->state || !op->state[0] || strlen(op->state) >= sizeof token_memo[0].state)
		return 0;
	struct token_memo *m = memo_slot(hash);
	pthread_mutex_lock(&token_memo_mu);
	if (!strcmp(m->hash, hash) && !strcmp(m->state, op->state)) {
		*out = m->user;
		*t = m->t;
		hit = 1;
	}
	pthread_mutex_unlock(&token_memo_mu);
	return hit;
}

static void memo_put(const struct op *op, const char *hash, const struct user *u,
		     const struct token_row *t)
{
	if (!op->state || !op->state[0] || strlen(op->state) >= sizeof token_memo[0].state)
		return;
	struct token_memo *m = memo_slot(hash);
	pthread_mutex_lock(&token_memo_mu);
	memcpy(m->hash, hash, sizeof m->hash);
	snprintf(m->state, sizeof m->state, "%s", op->state);
	m->user = *u;
	m->t = *t;
	pthread_mutex_unlock(&token_memo_mu);
}

int svc_auth_token(const struct op *op, const char *token, struct user *out, struct err *e)
{
	struct store *st = op->st;
	char hash[65];
	struct token_row t;
	int64_t now = op->now;
	if (!token || strncmp(token, "cairn_", 6) != 0 || strlen(token) != TOKEN_TEXT_LEN)
		return err_set(e, CAIRN_EUNAUTH, NULL, "invalid token");
	svc_secret_hash(token, hash);
	if (memo_get(op, hash, out, &t) && (!t.expires_at || t.expires_at > now) &&
	    now - t.last_used_at < TOUCH_EVERY_MS)
		return 0;
	int rc = store_token_user(st, hash, now, out, &t, e);
	if (rc == CAIRN_EUNAUTH) {
		err_clear(e);
		return err_set(e, CAIRN_EUNAUTH, NULL, "invalid, expired or revoked token");
	}
	if (!rc && now - t.last_used_at >= TOUCH_EVERY_MS) {
		struct err ignored;
		store_token_touch(st, t.id, now, &ignored);
	} else if (!rc) {
		memo_put(op, hash, out, &t);
	}
	return rc;
}

/* A valid hash to verify against when the login is unknown, so both cases
 * cost the same time and do not reveal which logins exist. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (svc_hash_password(dummy_hash, "cairn-dummy", 11) != 0)
		dummy_hash[0] = '\0';
}

/* The throttle keys of a login attempt: "u:<login>" (as typed, folded to
 * lower case: logins are lower case) and "ip:<address>". */
static void throttle_keys(const char *login, const char *client, char *ukey, char *ikey,
			  size_t cap)
{
	size_t n = (size_t)snprintf(ukey, cap, "u:%.64s", login);
	for (size_t k = 2; k < n && k < cap; k++)
		if (ukey[k] >= 'A' && ukey[k] <= 'Z')
			ukey[k] = (char)(ukey[k] - 'A' + 'a');
	snprintf(ikey, cap, "ip:%.64s", client && *client ? client : "-");
}

/* Refuse while either key is locked (read only: no password checked). */
static int throttle_check(struct store *st, const char *ukey, const char *ikey, int64_t now,
			  int64_t *retry_after_s, struct err *e)
{
	struct throttle_row u, i;
	int rc = store_begin(st, 0, e);
	if (rc)
		return rc;
	if ((rc = store_throttle_get(st, ukey, &u, e)) || (rc = store_throttle_get(st, ikey, &i, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		return rc;
	}
	int64_t until = u.locked_until > i.locked_until ? u.locked_until : i.locked_until;
	if (until <= now)
		return 0;
	*retry_after_s = throttle_retry_after_s(until, now);
	return err_set(e, CAIRN_ETOOMANY, NULL,
		       "too many failed logins: try again in %lld s", (long long)*retry_after_s);
}

/* One more failure for each key (forgetting old ones), locking a key
 * once its free failures are used up. */
static int throttle_fail(struct store *st, const char *ukey, const char *ikey, int64_t now,
			 struct err *e)
{
	const char *keys[] = {ukey, ikey};
	const int free_of[] = {THROTTLE_ACCOUNT_FREE, THROTTLE_ADDRESS_FREE};
	int rc = store_begin(st, 1, e);
	if (rc)
		return rc;
	rc = store_lock_throttle(st, e);
	if (!rc) /* an index range: the keys nobody failed on lately */
		rc = store_throttle_prune(st, now - THROTTLE_FORGET_MS, now, e);
	for (int k = 0; k < 2 && !rc; k++) {
		struct throttle_row x;
		if ((rc = store_throttle_get(st, keys[k], &x, e)))
			break;
		x.failures = throttle_carry(x.failures, x.last_at, now) + 1;
		x.last_at = now;
		int64_t wait = throttle_wait_ms(x.failures, free_of[k]);
		x.locked_until = wait ? now + wait : 0;
		rc = store_throttle_put(st, keys[k], &x, e);
	}
	if (rc || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_session_login(const struct op *op, const char *login, const char *password,
		      const char *client, struct user *out, char *sid, char *csrf, size_t cap,
		      int64_t *retry_after_s, struct err *e)
{
	struct store *st = op->st;
	char stored[crypto_pwhash_STRBYTES] = "";
	char hash[65], ukey[80], ikey[80];
	int rc, ok;

	*retry_after_s = 0;
	if (cap < 65)
		return err_set(e, CAIRN_EINTERNAL, NULL, "session buffer too small");
	if (!login || !password || strlen(password) > PASSWORD_MAX)
		return err_set(e, CAIRN_EUNAUTH, NULL, "wrong login or password");
	int64_t now = op->now;
	throttle_keys(login, client, ukey, ikey, sizeof ukey);
	if ((rc = throttle_check(st, ukey, ikey, now, retry_after_s, e)))
		return rc;
	rc = store_user_by_login(st, login, out, stored, sizeof stored, e);
	if (rc && rc != CAIRN_ENOTFOUND)
		return rc;
	if (rc == CAIRN_ENOTFOUND) {
		/* an unknown login costs the same time and counts the same */
		err_clear(e);
		pthread_once(&dummy_once, make_dummy);
		if (dummy_hash[0])
			(void)svc_verify_password(dummy_hash, password);
		ok = 0;
	} else
		ok = svc_verify_password(stored, password) == 0;
	if (!ok) {
		if ((rc = throttle_fail(st, ukey, ikey, now, e)))
			return rc;
		return err_set(e, CAIRN_EUNAUTH, NULL, "wrong login or password");
	}
	if (out->disabled_at)
		return err_set(e, CAIRN_EUNAUTH, NULL, "this account is disabled: ask an admin");
	svc_random_hex(sid, cap);
	svc_random_hex(csrf, cap);
	svc_secret_hash(sid, hash);
	if ((rc = store_begin(st, 1, e)))
		return rc;
	/* the account's count starts again; the address's fades with time (a
	 * login to one's own account must not reset a spray from there) */
	if ((rc = store_throttle_clear(st, ukey, e)) ||
	    (rc = store_session_insert(st, out->id, hash, csrf, now, now + SESSION_TTL_MS, e)) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* The idle timeout, read from the settings at most every 10 s per process
 * (it is asked on every request that comes with a session). */
static _Atomic int64_t idle_ms_cached, idle_read_at;

static int64_t idle_ms(const struct op *op, int64_t now)
{
	int64_t at = atomic_load(&idle_read_at), ms = atomic_load(&idle_ms_cached);
	if (ms && now - at < 10000 && now >= at)
		return ms;
	int64_t minutes;
	struct err e;
	if (svc_session_idle_minutes(op, &minutes, &e))
		minutes = SESSION_IDLE_DEFAULT_MIN;
	ms = minutes * 60000;
	atomic_store(&idle_ms_cached, ms);
	atomic_store(&idle_read_at, now);
	return ms;
}

void svc_session_idle_forget(void)
{
	atomic_store(&idle_ms_cached, 0);
}

int svc_session_auth(const struct op *op, const char *sid, struct user *out, char *csrf,
		     size_t cap, struct err *e)
{
	struct store *st = op->st;
	char hash[65];
	int64_t now = op->now, id, seen;
	if (!sid || strlen(sid) != SESSION_TEXT_LEN)
		return err_set(e, CAIRN_EUNAUTH, NULL, "no valid session");
	svc_secret_hash(sid, hash);
	int rc = store_session_user(st, hash, now, now - idle_ms(op, now), out, csrf, cap, &id,
				    &seen, e);
	if (rc == CAIRN_EUNAUTH) {
		err_clear(e);
		return err_set(e, CAIRN_EUNAUTH, NULL, "no valid session (logged out, expired or idle)");
	}
	if (!rc && now - seen >= TOUCH_EVERY_MS) {
		struct err ignored;
		store_session_touch(st, id, now, &ignored);
	}
	return rc;
}

void svc_credential_hash(const char *secret, char out[65])
{
	svc_secret_hash(secret, out);
}

int svc_credential_live(const struct op *op, int token, const char *hash)
{
	struct user u;
	struct err e;
	int rc;
	err_clear(&e);
	if (token) {
		struct token_row t;
		rc = store_token_user(op->st, hash, op->now, &u, &t, &e);
	} else {
		char csrf[CSRF_TEXT_LEN + 1];
		int64_t id, seen;
		rc = store_session_user(op->st, hash, op->now, op->now - idle_ms(op, op->now), &u, csrf,
					sizeof csrf, &id, &seen, &e);
	}
	return rc == CAIRN_EUNAUTH ? 0 : rc ? -1 : 1;
}

int svc_session_logout(const struct op *op, const char *sid, struct err *e)
{
	struct store *st = op->st;
	char hash[65];
	if (!sid || strlen(sid) != SESSION_TEXT_LEN)
		return 0;
	svc_secret_hash(sid, hash);
	return store_session_delete(st, hash, e);
}
