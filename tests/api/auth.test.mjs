/*
 * auth.test.mjs — Bearer tokens, roles (viewer is read-only), browser
 * sessions with cookie + CSRF header, logout.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, sessionCookie, setCookies, show, startServer } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());
const admin = srv.as('admin');

const seed = await srv.createIssue({ title: 'seed issue' });

async function login(user, password = srv.passwords[user]) {
	return srv.api('POST', '/api/v1/session', { body: { login: user, password } });
}

/* ---- tokens ---- */

test('no token -> 401 on reads and writes, nothing created', async () => {
	const before = await srv.snapshot([seed.number]);
	assertError(await srv.api('GET', '/api/v1/issues'), 401, 'unauthorized');
	assertError(await srv.api('GET', `/api/v1/issues/${seed.number}`), 401, 'unauthorized');
	assertError(await srv.api('GET', `/api/v1/issues/${seed.number}/history`), 401, 'unauthorized');
	assertError(await srv.api('POST', '/api/v1/issues', { body: { title: 'anon' } }), 401, 'unauthorized');
	assertError(await srv.api('PATCH', `/api/v1/issues/${seed.number}`, { body: { title: 'anon' }, headers: { 'If-Match': `"${seed.version}"` } }), 401, 'unauthorized');
	await srv.assertUnchanged(before, [seed.number]);
});

test('wrong or malformed credentials -> 401, nothing created', async () => {
	const before = await srv.snapshot([seed.number]);
	const good = srv.tokens.admin;
	const variants = [
		{ Authorization: 'Bearer cairn_0000000000000000000000000000000000' },
		{ Authorization: `Bearer ${good.slice(0, -1)}${good.endsWith('a') ? 'b' : 'a'}` },
		{ Authorization: `Bearer ${good}x` },
		{ Authorization: `Bearer ${good.slice(0, good.length - 4)}` },
		{ Authorization: 'Bearer ' },
		{ Authorization: `Basic ${Buffer.from(`admin:${srv.passwords.admin}`).toString('base64')}` },
		{ Authorization: good },
		{ Cookie: 'cairn_session=forged-session-value' },
	];
	for (const headers of variants) {
		assertError(await srv.api('GET', '/api/v1/issues', { headers }), 401, 'unauthorized');
		assertError(await srv.api('POST', '/api/v1/issues', { headers, body: { title: 'forged' } }), 401, 'unauthorized');
	}
	await srv.assertUnchanged(before, [seed.number]);
});

test('the Bearer scheme name is case-insensitive', async () => {
	const r = await srv.api('GET', '/api/v1/issues', { headers: { Authorization: `bearer ${srv.tokens.admin}` } });
	assertStatus(r, 200);
});

test('a viewer reads but may not write: POST 403, PATCH 403, nothing changed', async () => {
	const viewer = srv.as('viewer1');
	assertStatus(await viewer.get('/api/v1/issues'), 200);
	const g = await viewer.get(`/api/v1/issues/${seed.number}`);
	assertStatus(g, 200);
	assertStatus(await viewer.get(`/api/v1/issues/${seed.number}/history`), 200);

	const before = await srv.snapshot([seed.number]);
	assertError(await viewer.post('/api/v1/issues', { title: 'viewer was here' }), 403, 'forbidden');
	assertError(await viewer.patch(`/api/v1/issues/${seed.number}`, { title: 'viewer was here' },
		{ headers: { 'If-Match': g.headers.get('etag') } }), 403, 'forbidden');
	await srv.assertUnchanged(before, [seed.number]);
});

test('every other role may create and update issues', async () => {
	for (const user of ['pm1', 'cto1', 'em1', 'eng1']) {
		const c = await srv.createIssue({ title: `by ${user}` }, user);
		assert.equal(c.reporter, user);
		const p = await srv.patchIssue(c.number, { title: `edited by ${user}` }, user);
		assertStatus(p, 200);
	}
});

test('a token created through the API works and is shown once with its name', async () => {
	const r = await srv.as('eng1').post('/api/v1/tokens', { name: 'ci' });
	assertStatus(r, 201);
	assert.match(r.json.token, /^cairn_/);
	assert.equal(r.json.name, 'ci');
	const me = await srv.api('GET', '/api/v1/issues', { token: r.json.token });
	assertStatus(me, 200);
	const c = await srv.api('POST', '/api/v1/issues', { token: r.json.token, body: { title: 'via api token' } });
	assertStatus(c, 201);
	assert.equal(c.json.reporter, 'eng1', 'the new token acts as its owner');
});

/* ---- sessions ---- */

test('login: 200, HttpOnly SameSite=Strict cookie, csrf and user in body', async () => {
	const r = await login('pm1');
	assertStatus(r, 200);
	const c = sessionCookie(r);
	assert.ok(c, `Set-Cookie cairn_session missing: ${JSON.stringify(setCookies(r))}`);
	assert.match(c.raw, /;\s*HttpOnly/i);
	assert.match(c.raw, /;\s*SameSite=Strict/i);
	assert.match(c.raw, /;\s*Path=\//i);
	assert.equal(typeof r.json.csrf, 'string');
	assert.ok(r.json.csrf.length >= 16, 'csrf token is not trivially short');
	assert.equal(r.json.user.login, 'pm1');
	assert.equal(r.json.user.role, 'pm');
	assert.ok(!JSON.stringify(r.json).includes(srv.passwords.pm1), 'password never echoed');
	assert.ok(!/hash|argon/i.test(JSON.stringify(r.json.user)), 'no password hash in the user');

	const s = await srv.api('GET', '/api/v1/session', { headers: { Cookie: c.pair } });
	assertStatus(s, 200);
	assert.equal(s.json.user.login, 'pm1');
	assert.equal(s.json.csrf, r.json.csrf);
});

test('bad login -> 401 and no session cookie', async () => {
	const cases = [
		{ login: 'pm1', password: 'wrong' },
		{ login: 'pm1', password: '' },
		{ login: 'pm1', password: srv.passwords.pm1 + ' ' },
		{ login: 'nobody', password: srv.passwords.pm1 },
		{ login: 'PM1 ', password: srv.passwords.pm1 },
	];
	for (const body of cases) {
		const r = await srv.api('POST', '/api/v1/session', { body });
		assertError(r, 401, 'unauthorized');
		assert.equal(sessionCookie(r), null, `no cookie on failed login: ${show(r)}`);
	}
	assertError(await srv.api('GET', '/api/v1/session'), 401, 'unauthorized');
});

test('malformed login body -> 400 or 422, never a session', async () => {
	for (const raw of ['{', '[]', '{"login":1,"password":2}', '{"login":"pm1"}']) {
		const r = await srv.api('POST', '/api/v1/session', { raw });
		assert.ok([400, 401, 422].includes(r.status), `expected 400/401/422: ${show(r)}`);
		assertError(r, r.status);
		assert.equal(sessionCookie(r), null);
	}
});

test('cookie session: reads work; writes need the right X-CSRF-Token', async () => {
	const r = await login('eng1');
	assertStatus(r, 200);
	const cookie = sessionCookie(r).pair;
	const csrf = r.json.csrf;

	const list = await srv.api('GET', '/api/v1/issues', { headers: { Cookie: cookie } });
	assertStatus(list, 200);

	const before = await srv.snapshot([seed.number]);
	assertError(await srv.api('POST', '/api/v1/issues', { headers: { Cookie: cookie }, body: { title: 'csrf-less' } }), 403);
	await srv.assertUnchanged(before, [seed.number]);
	assertError(await srv.api('POST', '/api/v1/issues', { headers: { Cookie: cookie, 'X-CSRF-Token': 'not-the-token' }, body: { title: 'csrf wrong' } }), 403);
	assertError(await srv.api('POST', '/api/v1/issues', { headers: { Cookie: cookie, 'X-CSRF-Token': '' }, body: { title: 'csrf empty' } }), 403);
	assertError(await srv.api('POST', '/api/v1/issues', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf.slice(0, -1) }, body: { title: 'csrf prefix' } }), 403);
	const g = await srv.as('admin').get(`/api/v1/issues/${seed.number}`);
	assertError(await srv.api('PATCH', `/api/v1/issues/${seed.number}`, {
		headers: { Cookie: cookie, 'If-Match': g.headers.get('etag') }, body: { title: 'csrf-less patch' } }), 403);
	await srv.assertUnchanged(before, [seed.number]);

	const ok = await srv.api('POST', '/api/v1/issues', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf }, body: { title: 'with csrf' } });
	assertStatus(ok, 201);
	assert.equal(ok.json.reporter, 'eng1');
	const p = await srv.api('PATCH', `/api/v1/issues/${ok.json.number}`, {
		headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'If-Match': ok.headers.get('etag') }, body: { title: 'with csrf, edited' } });
	assertStatus(p, 200);
	const h = await srv.as('admin').get(`/api/v1/issues/${ok.json.number}/history`);
	assert.ok(h.json.items.some((e) => e.field === 'title' && e.actor === 'eng1' && e.new === 'with csrf, edited'), show(h));
});

test('a cookie write without the right X-CSRF-Token is refused (403, field X-CSRF-Token)', async () => {
	const r = await login('eng1');
	const before = await srv.snapshot();
	assertError(await srv.api('POST', '/api/v1/issues', { headers: { Cookie: sessionCookie(r).pair }, body: { title: 'csrf-less' } }), 403, 'forbidden', 'X-CSRF-Token');
	assertError(await srv.api('POST', '/api/v1/issues', { headers: { Cookie: sessionCookie(r).pair, 'X-CSRF-Token': 'nope' }, body: { title: 'csrf wrong' } }), 403, 'forbidden', 'X-CSRF-Token');
	await srv.assertUnchanged(before);
});

test("one session's CSRF token does not unlock another session", async () => {
	const a = await login('eng2');
	const b = await login('eng2');
	assertStatus(a, 200);
	assertStatus(b, 200);
	assert.notEqual(sessionCookie(a).pair, sessionCookie(b).pair, 'each login gets its own session');
	const before = await srv.snapshot();
	if (a.json.csrf !== b.json.csrf)
		assertError(await srv.api('POST', '/api/v1/issues', {
			headers: { Cookie: sessionCookie(b).pair, 'X-CSRF-Token': a.json.csrf }, body: { title: 'cross csrf' } }), 403);
	const other = await login('eng1');
	assertError(await srv.api('POST', '/api/v1/issues', {
		headers: { Cookie: sessionCookie(b).pair, 'X-CSRF-Token': other.json.csrf }, body: { title: 'cross-user csrf' } }), 403);
	await srv.assertUnchanged(before);
});

test('a viewer session is still read-only with a valid CSRF token', async () => {
	const r = await login('viewer1');
	assertStatus(r, 200);
	const before = await srv.snapshot();
	assertError(await srv.api('POST', '/api/v1/issues', {
		headers: { Cookie: sessionCookie(r).pair, 'X-CSRF-Token': r.json.csrf }, body: { title: 'viewer via cookie' } }), 403, 'forbidden');
	await srv.assertUnchanged(before);
});

test('logout: DELETE /session -> 204, cookie cleared, the old cookie no longer works', async () => {
	const r = await login('cto1');
	const cookie = sessionCookie(r).pair;
	const csrf = r.json.csrf;
	assertStatus(await srv.api('GET', '/api/v1/issues', { headers: { Cookie: cookie } }), 200);

	const d = await srv.api('DELETE', '/api/v1/session', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf } });
	assertStatus(d, 204);
	const cleared = sessionCookie(d);
	assert.ok(cleared, `logout must clear the cookie: ${JSON.stringify(setCookies(d))}`);
	assert.ok(/^cairn_session=(;|$)/.test(cleared.pair + ';') || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(cleared.raw),
		`cookie cleared: ${cleared.raw}`);

	assertError(await srv.api('GET', '/api/v1/issues', { headers: { Cookie: cookie } }), 401, 'unauthorized');
	assertError(await srv.api('GET', '/api/v1/session', { headers: { Cookie: cookie } }), 401, 'unauthorized');
	const before = await srv.snapshot();
	assertError(await srv.api('POST', '/api/v1/issues', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf }, body: { title: 'after logout' } }), 401, 'unauthorized');
	await srv.assertUnchanged(before);
});

test('logging out one session leaves the others alive', async () => {
	const a = await login('em1');
	const b = await login('em1');
	assertStatus(await srv.api('DELETE', '/api/v1/session', { headers: { Cookie: sessionCookie(a).pair, 'X-CSRF-Token': a.json.csrf } }), 204);
	assertStatus(await srv.api('GET', '/api/v1/issues', { headers: { Cookie: sessionCookie(b).pair } }), 200);
});

test('a Bearer token needs no CSRF header', async () => {
	assertStatus(await srv.as('eng1').post('/api/v1/issues', { title: 'bearer no csrf' }), 201);
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
