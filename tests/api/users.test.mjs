/*
 * users.test.mjs — the user endpoints and the CLI-made users as seen
 * through the API: listing, creation by admin only, login conflicts,
 * no secrets in responses.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, sessionCookie, show, startServer } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());
const admin = srv.as('admin');

test('GET /users lists every user with login, name and role, and no secrets', async () => {
	const r = await srv.as('viewer1').get('/api/v1/users');
	assertStatus(r, 200);
	const byLogin = Object.fromEntries(r.json.items.map((u) => [u.login, u]));
	for (const [login, role] of Object.entries(srv.roles)) {
		assert.ok(byLogin[login], `${login} listed: ${show(r)}`);
		assert.equal(byLogin[login].role, role);
		assert.ok('name' in byLogin[login]);
	}
	const text = r.text.toLowerCase();
	for (const word of ['password', 'hash', 'argon', 'token', 'salt'])
		assert.ok(!text.includes(word), `no ${word} in the user list: ${r.text.slice(0, 300)}`);
	for (const pw of Object.values(srv.passwords))
		assert.ok(!r.text.includes(pw));
});

test('admin creates a user who can then log in; others get 403', async () => {
	const c = await admin.post('/api/v1/users', { login: 'newbie', name: 'New Bie', role: 'engineer', password: 'a long enough password 1' });
	assertStatus(c, 201);
	assert.equal(c.json.login ?? c.json.user?.login, 'newbie');
	assert.ok(!c.text.includes('a long enough password 1'), 'password not echoed');
	const s = await srv.api('POST', '/api/v1/session', { body: { login: 'newbie', password: 'a long enough password 1' } });
	assertStatus(s, 200);
	assert.equal(s.json.user.role, 'engineer');
	assert.equal(s.json.user.name, 'New Bie');
	assert.ok(sessionCookie(s));

	const before = await srv.snapshot();
	for (const login of ['pm1', 'cto1', 'em1', 'eng1', 'viewer1'])
		assertError(await srv.as(login).post('/api/v1/users', { login: `by${login}`, name: 'x', role: 'admin', password: 'a long enough password 2' }), 403, 'forbidden');
	await srv.assertUnchanged(before);
});

test('a taken login -> 409, nothing changed', async () => {
	const before = await srv.snapshot();
	assertError(await admin.post('/api/v1/users', { login: 'eng1', name: 'Impostor', role: 'admin', password: 'a long enough password 3' }), 409, 'conflict');
	await srv.assertUnchanged(before);
	// The original keeps its password and role.
	const s = await srv.api('POST', '/api/v1/session', { body: { login: 'eng1', password: srv.passwords.eng1 } });
	assertStatus(s, 200);
	assert.equal(s.json.user.role, 'engineer');
});

test('invalid users -> 422 naming the field, nothing changed', async () => {
	const before = await srv.snapshot();
	assertError(await admin.post('/api/v1/users', { login: 'r1', name: 'R', role: 'overlord', password: 'a long enough password' }), 422, 'invalid_field', 'role');
	assertError(await admin.post('/api/v1/users', { login: '', name: 'R', role: 'pm', password: 'a long enough password' }), 422, 'invalid_field', 'login');
	assertError(await admin.post('/api/v1/users', { login: 'has space', name: 'R', role: 'pm', password: 'a long enough password' }), 422, 'invalid_field', 'login');
	assertError(await admin.post('/api/v1/users', { login: 'r2', name: 'R', role: 'pm' }), 422, 'invalid_field', 'password');
	assertError(await admin.call('POST', '/api/v1/users', { raw: '[1]' }), 400, 'malformed');
	await srv.assertUnchanged(before);
});

test('a user made with `cairn user add --password-stdin` from `echo` (trailing newline) can log in', async () => {
	// `echo pw | cairn user add ... --password-stdin` is how an admin
	// bootstraps accounts; the newline is not part of the password.  The CLI
	// writes while the server runs, which both backends allow.
	srv.cli(['user', 'add', 'echoed', '--role', 'pm', '--password-stdin'], { input: 'echo-password-1\n' });
	const s = await srv.api('POST', '/api/v1/session', { body: { login: 'echoed', password: 'echo-password-1' } });
	assertStatus(s, 200);
	assert.equal(s.json.user.role, 'pm');
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
