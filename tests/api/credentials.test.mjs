/*
 * credentials.test.mjs — credentials can be taken back (issue #15, point
 * 4): token scopes (read, write, admin), expiry, last use, listing and
 * revoking; disabling a user (every session and token stops at once),
 * role changes and the last admin; password change (with the old one) and
 * reset (admin); session idle timeout and "log out everywhere"; the audit
 * log.  Times pass by starting a second server on the same database with a
 * later CAIRN_NOW (nothing waits on the wall clock).  Refusals are checked
 * to change nothing.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, laterServer, sessionCookie, startServer, uniq } from './harness.mjs';
import { nowMs } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86400000;

async function login(s, user, password = s.passwords[user]) {
	const r = await s.api('POST', '/api/v1/session', { body: { login: user, password } });
	assertStatus(r, 200);
	return { cookie: sessionCookie(r).pair, csrf: r.json.csrf };
}

/* A request with a session cookie (and its CSRF header on writes). */
function withSession(s, sess, method, path, body) {
	const headers = { Cookie: sess.cookie };
	if (method !== 'GET')
		headers['X-CSRF-Token'] = sess.csrf;
	return s.api(method, path, { headers, body });
}

async function token(login, body, by = login) {
	const r = await srv.as(by).post('/api/v1/tokens', { login, ...body });
	assertStatus(r, 201);
	return r.json;
}

/* The same database, the clock `ms` later. */
const later = (ms) => laterServer(srv, ms);

async function audit() {
	const r = await srv.as('admin').get('/api/v1/audit', { query: { limit: '500' } });
	assertStatus(r, 200);
	return r.json.items;
}

test('scopes: read only reads; write does all but administration; admin (the default) everything', async () => {
	const read = await token('pm1', { name: 'dashboard', scope: 'read' });
	assert.deepEqual([read.scope, read.name, read.login, read.expires_at, read.expired], ['read', 'dashboard', 'pm1', null, false]);
	assert.match(read.token, /^cairn_[0-9a-f]{64}$/);
	const bearer = (t) => ({ Authorization: `Bearer ${t}` });
	assertStatus(await srv.api('GET', '/api/v1/issues', { headers: bearer(read.token) }), 200);
	const title = uniq('read token ');
	assertError(await srv.api('POST', '/api/v1/issues', { headers: bearer(read.token), body: { title } }), 403, 'forbidden', 'Authorization');
	assert.equal((await srv.listAll(`"${title}"`)).items.length, 0, 'nothing created');

	const write = await token('admin', { name: 'ci', scope: 'write' });
	const made = await srv.api('POST', '/api/v1/issues', { headers: bearer(write.token), body: { title: uniq('by ci ') } });
	assertStatus(made, 201);
	const login = uniq('w').toLowerCase().replace(/[^a-z0-9]/g, '');
	const r = await srv.api('POST', '/api/v1/users', { headers: bearer(write.token), body: { login, role: 'viewer', password: 'password-123' } });
	assertError(r, 403, 'forbidden');
	assert.match(r.json.error.message, /scope admin/);
	assert.ok(!(await srv.as('admin').get('/api/v1/users')).json.items.some((u) => u.login === login), 'no user made');
	assertError(await srv.api('GET', '/api/v1/audit', { headers: bearer(write.token) }), 403, 'forbidden');
	// a write token makes write or read tokens, never admin ones
	assertStatus(await srv.api('POST', '/api/v1/tokens', { headers: bearer(write.token), body: { scope: 'read' } }), 201);
	assertError(await srv.api('POST', '/api/v1/tokens', { headers: bearer(write.token), body: { scope: 'admin' } }), 403, 'forbidden', 'scope');
	assertError(await srv.api('POST', '/api/v1/tokens', { headers: bearer(write.token), body: {} }), 403, 'forbidden', 'scope');

	const all = await token('admin', { name: 'ops' });
	assert.equal(all.scope, 'admin', 'admin is the default scope');
	assertStatus(await srv.api('GET', '/api/v1/audit', { headers: bearer(all.token) }), 200);
	for (const [body, field] of [[{ scope: 'root' }, 'scope'], [{ expires_at: 'soon' }, 'expires_at'],
		[{ expires_at: iso(nowMs() - DAY) }, 'expires_at'], [{ colour: 'red' }, 'colour']])
		assertError(await srv.as('pm1').post('/api/v1/tokens', body), 422, 'invalid_field', field);
	// others' tokens: administration only
	assertError(await srv.as('eng1').post('/api/v1/tokens', { login: 'pm1' }), 403, 'forbidden');
});

test('tokens are listed (own; all for admins) with last use, and revoked at once; someone else\'s is 404', async () => {
	const t = await token('eng1', { name: uniq('laptop '), scope: 'write', expires_at: iso(nowMs() + 30 * DAY) });
	const bearer = { Authorization: `Bearer ${t.token}` };
	assertStatus(await srv.api('GET', '/api/v1/issues', { headers: bearer }), 200);
	const mine = (await srv.as('eng1').get('/api/v1/tokens')).json.items;
	const row = mine.find((x) => x.id === t.id);
	assert.ok(row, 'listed');
	assert.equal(row.token, undefined, 'never the secret again');
	assert.equal(row.scope, 'write');
	assert.equal(row.expires_at, iso(nowMs() + 30 * DAY));
	assert.equal(row.last_used_at, iso(nowMs()), 'last used now');
	assert.ok(mine.every((x) => x.login === 'eng1'), 'only my own');
	assertError(await srv.as('eng1').get('/api/v1/tokens', { query: { user: 'pm1' } }), 403, 'forbidden');
	const everyone = (await srv.as('admin').get('/api/v1/tokens', { query: { user: '*' } })).json.items;
	assert.ok(everyone.some((x) => x.id === t.id) && everyone.some((x) => x.login === 'pm1'));
	const pm1s = (await srv.as('admin').get('/api/v1/tokens', { query: { user: 'pm1' } })).json.items;
	assert.ok(pm1s.length > 0 && pm1s.every((x) => x.login === 'pm1'));

	assertError(await srv.as('pm1').del(`/api/v1/tokens/${t.id}`), 404, 'not_found');
	assertStatus(await srv.api('GET', '/api/v1/issues', { headers: bearer }), 200, 'still works');
	assertStatus(await srv.as('eng1').del(`/api/v1/tokens/${t.id}`), 204);
	const gone = await srv.api('GET', '/api/v1/issues', { headers: bearer });
	assertError(gone, 401, 'unauthorized');
	assertError(await srv.as('eng1').del(`/api/v1/tokens/${t.id}`), 404, 'not_found');
	// admins revoke anyone's
	const u = await token('em1', { name: 'x' });
	assertStatus(await srv.as('admin').del(`/api/v1/tokens/${u.id}`), 204);
	assertError(await srv.api('GET', '/api/v1/issues', { headers: { Authorization: `Bearer ${u.token}` } }), 401);
	const acts = (await audit()).map((x) => `${x.action} ${x.actor}>${x.target}`);
	assert.ok(acts.includes('token.revoked eng1>eng1') && acts.includes('token.revoked admin>em1'), JSON.stringify(acts.slice(0, 8)));
});

test('an expired token stops (a server whose clock is past its expiry)', async () => {
	const t = await token('viewer1', { expires_at: iso(nowMs() + DAY) });
	const b = await later(2 * DAY);
	try {
		const r = await b.api('GET', '/api/v1/issues', { headers: { Authorization: `Bearer ${t.token}` } });
		assertError(r, 401, 'unauthorized');
		const listed = (await b.as('admin').get('/api/v1/tokens', { query: { user: 'viewer1' } })).json.items.find((x) => x.id === t.id);
		assert.equal(listed.expired, true);
	} finally {
		b.kill();
	}
	assertStatus(await srv.api('GET', '/api/v1/issues', { headers: { Authorization: `Bearer ${t.token}` } }), 200, 'before the expiry it works');
});

test('disabling a user stops their sessions and tokens at once; enabling lets them log in again', async () => {
	const login = uniq('dis').toLowerCase().replace(/[^a-z0-9]/g, '');
	assertStatus(await srv.as('admin').post('/api/v1/users', { login, role: 'engineer', password: 'password-123' }), 201);
	const sess = await login_(login, 'password-123');
	const t = await token(login, { name: 'cli' }, 'admin');
	const bearer = { Authorization: `Bearer ${t.token}` };
	assertStatus(await withSession(srv, sess, 'GET', '/api/v1/issues'), 200);
	assertError(await srv.as('pm1').patch(`/api/v1/users/${login}`, { disabled: true }), 403, 'forbidden');
	const r = await srv.as('admin').patch(`/api/v1/users/${login}`, { disabled: true });
	assertStatus(r, 200);
	assert.equal(r.json.disabled, true);
	assertError(await withSession(srv, sess, 'GET', '/api/v1/issues'), 401, 'unauthorized');
	assertError(await srv.api('GET', '/api/v1/issues', { headers: bearer }), 401, 'unauthorized');
	const l = await srv.api('POST', '/api/v1/session', { body: { login, password: 'password-123' } });
	assertError(l, 401, 'unauthorized');
	assert.match(l.json.error.message, /disabled/);
	assert.equal((await srv.as('viewer1').get('/api/v1/users')).json.items.find((u) => u.login === login).disabled, true);

	assertStatus(await srv.as('admin').patch(`/api/v1/users/${login}`, { disabled: false }), 200);
	assertStatus(await srv.api('GET', '/api/v1/issues', { headers: bearer }), 200, 'the token works again');
	assertError(await withSession(srv, sess, 'GET', '/api/v1/issues'), 401, 'unauthorized'); // ended for good
	await login_(login, 'password-123');
	const acts = (await audit()).filter((x) => x.target === login).map((x) => x.action);
	assert.deepEqual(acts.slice(0, 3), ['user.enabled', 'user.disabled', 'token.created']);
});

async function login_(user, password) {
	const r = await srv.api('POST', '/api/v1/session', { body: { login: user, password } });
	assertStatus(r, 200);
	return { cookie: sessionCookie(r).pair, csrf: r.json.csrf };
}

test('role changes; the last active admin stays; no one disables themselves; bad input 422', async () => {
	const login = uniq('role').toLowerCase().replace(/[^a-z0-9]/g, '');
	assertStatus(await srv.as('admin').post('/api/v1/users', { login, role: 'viewer', password: 'password-123' }), 201);
	const r = await srv.as('admin').patch(`/api/v1/users/${login}`, { role: 'pm' });
	assertStatus(r, 200);
	assert.equal(r.json.role, 'pm');
	assertError(await srv.as('admin').patch(`/api/v1/users/${login}`, { role: 'king' }), 422, 'invalid_field', 'role');
	assertError(await srv.as('admin').patch(`/api/v1/users/${login}`, { disabled: 'yes' }), 422, 'invalid_field', 'disabled');
	assertError(await srv.as('admin').patch(`/api/v1/users/${login}`, { shoe: 1 }), 422, 'invalid_field', 'shoe');
	assertError(await srv.as('admin').patch('/api/v1/users/nobody-here', { role: 'pm' }), 404, 'not_found');
	// admin is the only admin here
	assertError(await srv.as('admin').patch('/api/v1/users/admin', { role: 'pm' }), 409, 'conflict', 'role');
	assertError(await srv.as('admin').patch('/api/v1/users/admin', { disabled: true }), 409, 'conflict', 'disabled');
	assertStatus(await srv.as('admin').patch(`/api/v1/users/${login}`, { role: 'admin' }), 200);
	// now two: still no one disables themselves
	assertError(await srv.as('admin').patch('/api/v1/users/admin', { disabled: true }), 409, 'conflict', 'disabled');
	assertStatus(await srv.as('admin').patch(`/api/v1/users/${login}`, { role: 'viewer' }), 200);
	const users = (await srv.as('admin').get('/api/v1/users')).json.items;
	assert.equal(users.find((u) => u.login === 'admin').role, 'admin');
	assert.equal(users.find((u) => u.login === login).role, 'viewer');
	const acts = (await audit()).filter((x) => x.target === login && x.action === 'user.role').map((x) => x.detail);
	assert.deepEqual(acts, ['admin -> viewer', 'pm -> admin', 'viewer -> pm']);
});

test('password change: the old one required; the other sessions end, this one stays', async () => {
	const a = await login(srv, 'cto1');
	const b = await login(srv, 'cto1');
	let r = await withSession(srv, a, 'POST', '/api/v1/session/password', { old_password: 'not-it', new_password: 'brand-new-pass' });
	assertError(r, 403, 'forbidden', 'old_password');
	r = await withSession(srv, a, 'POST', '/api/v1/session/password', { old_password: srv.passwords.cto1, new_password: 'short' });
	assertError(r, 422, 'invalid_field', 'new_password');
	assertStatus(await withSession(srv, b, 'GET', '/api/v1/session'), 200, 'nothing changed yet');
	r = await withSession(srv, a, 'POST', '/api/v1/session/password', { old_password: srv.passwords.cto1, new_password: 'brand-new-pass' });
	assertStatus(r, 204);
	assertStatus(await withSession(srv, a, 'GET', '/api/v1/session'), 200, 'this session stays');
	assertError(await withSession(srv, b, 'GET', '/api/v1/session'), 401, 'unauthorized');
	assertError(await srv.api('POST', '/api/v1/session', { body: { login: 'cto1', password: srv.passwords.cto1 } }), 401);
	srv.passwords.cto1 = 'brand-new-pass';
	await login(srv, 'cto1');
	// a token of scope write may not change the password
	const t = await token('cto1', { scope: 'write' });
	assertError(await srv.api('POST', '/api/v1/session/password', { headers: { Authorization: `Bearer ${t.token}` },
		body: { old_password: 'brand-new-pass', new_password: 'another-pass-1' } }), 403, 'forbidden');
});

test('password reset by an admin: the new one works, the old one not, their sessions end', async () => {
	const s = await login(srv, 'em1');
	assertError(await srv.as('pm1').post('/api/v1/users/em1/password', { password: 'reset-pass-123' }), 403, 'forbidden');
	assertError(await srv.as('admin').post('/api/v1/users/em1/password', { password: 'short' }), 422, 'invalid_field', 'password');
	assertError(await srv.as('admin').post('/api/v1/users/nobody-here/password', { password: 'reset-pass-123' }), 404, 'not_found');
	assertStatus(await withSession(srv, s, 'GET', '/api/v1/session'), 200, 'nothing changed yet');
	assertStatus(await srv.as('admin').post('/api/v1/users/em1/password', { password: 'reset-pass-123' }), 204);
	assertError(await withSession(srv, s, 'GET', '/api/v1/session'), 401, 'unauthorized');
	assertError(await srv.api('POST', '/api/v1/session', { body: { login: 'em1', password: srv.passwords.em1 } }), 401);
	srv.passwords.em1 = 'reset-pass-123';
	await login(srv, 'em1');
	assert.equal((await audit()).find((x) => x.target === 'em1' && x.action === 'user.password_reset').actor, 'admin');
});

test('log out everywhere ends every session of mine; an admin ends someone else\'s', async () => {
	const a = await login(srv, 'pm1');
	const b = await login(srv, 'pm1');
	const r = await withSession(srv, a, 'DELETE', '/api/v1/sessions');
	assertStatus(r, 200);
	assert.ok(r.json.ended >= 2);
	assert.match(sessionCookie(r).raw, /Max-Age=0/);
	for (const s of [a, b])
		assertError(await withSession(srv, s, 'GET', '/api/v1/session'), 401);
	const c = await login(srv, 'viewer1');
	assertError(await srv.as('pm1').del('/api/v1/users/viewer1/sessions'), 403, 'forbidden');
	assertStatus(await withSession(srv, c, 'GET', '/api/v1/session'), 200);
	const d = await srv.as('admin').del('/api/v1/users/viewer1/sessions');
	assertStatus(d, 200);
	assert.ok(d.json.ended >= 1);
	assertError(await withSession(srv, c, 'GET', '/api/v1/session'), 401);
});

test('sessions end after session_idle_minutes without a request (a server whose clock moved on)', async () => {
	assertError(await srv.as('pm1').patch('/api/v1/settings', { session_idle_minutes: 30 }), 403, 'forbidden');
	assertError(await srv.as('admin').patch('/api/v1/settings', { session_idle_minutes: 2 }), 422, 'invalid_field', 'session_idle_minutes');
	assertError(await srv.as('admin').patch('/api/v1/settings', { session_idle_minutes: '30' }), 422, 'invalid_field', 'session_idle_minutes');
	const r = await srv.as('admin').patch('/api/v1/settings', { session_idle_minutes: 30 });
	assertStatus(r, 200);
	assert.equal(r.json.session_idle_minutes, 30);
	const s = await login(srv, 'eng1');
	const soon = await later(29 * 60000);
	try {
		assertStatus(await withSession(soon, s, 'GET', '/api/v1/session'), 200, '29 minutes idle: still in');
	} finally {
		soon.kill();
	}
	const s2 = await login(srv, 'eng1');
	const late = await later(31 * 60000);
	try {
		assertError(await withSession(late, s2, 'GET', '/api/v1/session'), 401, 'unauthorized');
	} finally {
		late.kill();
	}
	assertStatus(await srv.as('admin').patch('/api/v1/settings', { session_idle_minutes: 720 }), 200);
});

test('the audit log: admins only (a session or an admin token), newest first, paged with before', async () => {
	assertError(await srv.as('eng1').get('/api/v1/audit'), 403, 'forbidden');
	assertError(await srv.as('admin').get('/api/v1/audit', { query: { limit: '0' } }), 422, 'invalid_field', 'limit');
	const all = await audit();
	assert.ok(all.length >= 10);
	const ids = all.map((x) => x.id);
	assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
	for (const x of all) {
		assert.match(x.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		assert.ok(['user.created', 'user.role', 'user.disabled', 'user.enabled', 'user.password_changed', 'user.password_reset',
			'user.sessions_ended', 'token.created', 'token.revoked'].includes(x.action), x.action);
	}
	const page = (await srv.as('admin').get('/api/v1/audit', { query: { limit: '3', before: String(ids[2]) } })).json.items;
	assert.deepEqual(page.map((x) => x.id), ids.slice(3, 6));
	assert.ok(JSON.stringify(all).indexOf('cairn_') < 0, 'no token secret in the log');
});
