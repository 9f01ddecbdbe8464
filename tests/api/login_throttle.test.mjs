/*
 * login_throttle.test.mjs — logins cannot be flooded (issue #15, point 3).
 * Failed logins are counted per account and per client address: five to
 * one account, or twenty from one address, and every further login there
 * is 429 too_many_requests with Retry-After — the right password too —
 * without checking a password; a good login starts the account's count
 * again.  The server's clock stands still (CAIRN_NOW), so a lock never runs
 * out during the test; the backoff arithmetic is unit-tested
 * (tests/unit/test_throttle.c).  That logins no longer slow other requests
 * is measured in BENCHMARKS.md (bench/logins.mjs), never timed here.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, startServer } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());

const login = (s, user, password) => s.api('POST', '/api/v1/session', { body: { login: user, password } });

test('five failures lock the account: then 429 with Retry-After, even with the right password; other accounts unaffected', async () => {
	for (let k = 1; k <= 5; k++)
		assertError(await login(srv, 'pm1', `wrong-${k}`), 401, 'unauthorized');
	for (const pw of ['wrong-6', srv.passwords.pm1]) {
		const r = await login(srv, 'pm1', pw);
		assertError(r, 429, 'too_many_requests');
		assert.match(r.json.error.message, /too many failed logins: try again in \d+ s/);
		const after = Number(r.headers.get('retry-after'));
		assert.ok(Number.isInteger(after) && after >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
		assert.equal(r.headers.get('set-cookie'), null, 'no session');
	}
	// the login name is folded as logins are: PM1 is pm1
	assertError(await login(srv, 'PM1', srv.passwords.pm1), 429, 'too_many_requests');
	// another account from the same address logs in
	assertStatus(await login(srv, 'cto1', srv.passwords.cto1), 200);
	// tokens are not passwords: pm1's API token still works
	assertStatus(await srv.as('pm1').get('/api/v1/issues'), 200);
});

test('a good login starts the account\'s count again', async () => {
	for (let k = 1; k <= 4; k++)
		assertError(await login(srv, 'em1', `wrong-${k}`), 401, 'unauthorized');
	assertStatus(await login(srv, 'em1', srv.passwords.em1), 200);
	for (let k = 1; k <= 4; k++)
		assertError(await login(srv, 'em1', `wrong-again-${k}`), 401, 'unauthorized'); // under five since the good login
	assertStatus(await login(srv, 'em1', srv.passwords.em1), 200);
});

test('unknown logins count like known ones: the same 401, then the same 429', async () => {
	for (let k = 1; k <= 5; k++)
		assertError(await login(srv, 'no-such-user', `pw-${k}`), 401, 'unauthorized');
	assertError(await login(srv, 'no-such-user', 'pw-6'), 429, 'too_many_requests');
});

test('twenty failures from one address lock the address for every account', async () => {
	const s = await startServer();
	try {
		// spread over many accounts, none of them reaching its own five
		for (let k = 0; k < 20; k++)
			assertError(await login(s, `sprayed-${k % 10}`, `guess-${k}`), 401, 'unauthorized');
		const r = await login(s, 'viewer1', s.passwords.viewer1);
		assertError(r, 429, 'too_many_requests');
		assert.ok(Number(r.headers.get('retry-after')) >= 1);
		// a good login elsewhere does not reset the address: still locked
		assertError(await login(s, 'admin', s.passwords.admin), 429, 'too_many_requests');
		// the API is otherwise untouched
		assertStatus(await s.as('viewer1').get('/api/v1/issues'), 200);
	} finally {
		s.kill();
	}
});

test('a hundred wrong passwords in a row: each answered, none a 5xx, no session made', async () => {
	const s = await startServer(); // its own address count
	try {
		const rs = [];
		for (let k = 0; k < 100; k++)
			rs.push(await login(s, 'eng1', `flood-${k}`));
		const counts = {};
		for (const r of rs)
			counts[r.status] = (counts[r.status] || 0) + 1;
		assert.deepEqual(counts, { 401: 5, 429: 95 }, JSON.stringify(counts));
		assert.ok(rs.every((r) => r.headers.get('set-cookie') === null));
		// the account is locked: the real password too
		assertError(await login(s, 'eng1', s.passwords.eng1), 429, 'too_many_requests');
	} finally {
		s.kill();
	}
});

test('bad bodies are refused before any password is checked (and are not failures)', async () => {
	const s = await startServer();
	try {
		for (let k = 0; k < 30; k++)
			assertError(await s.api('POST', '/api/v1/session', { body: { login: 'pm1' } }), 422, 'invalid_field', 'password');
		assertStatus(await login(s, 'pm1', s.passwords.pm1), 200);
	} finally {
		s.kill();
	}
});

/* Behind a reverse proxy (issue #15, point 5): from the trusted proxy's
 * address, X-Forwarded-For names the client (so one client's failures do
 * not lock everyone behind the proxy) and X-Forwarded-Proto: https makes
 * the session cookie Secure, with HSTS when asked for.  From anyone else
 * those headers are ignored. */
async function withEnv(env, fn) {
	const saved = {};
	for (const k of Object.keys(env)) {
		saved[k] = process.env[k];
		process.env[k] = env[k];
	}
	try {
		return await fn();
	} finally {
		for (const k of Object.keys(env))
			if (saved[k] === undefined)
				delete process.env[k];
			else
				process.env[k] = saved[k];
	}
}

test('behind the trusted proxy: the client address and https come from X-Forwarded-*', async () => {
	const s = await withEnv({ CAIRN_TRUSTED_PROXY: '127.0.0.1', CAIRN_HSTS: '1' }, () => startServer());
	try {
		const as = (ip, proto) => ({ 'X-Forwarded-For': `10.9.9.9, ${ip}`, ...(proto ? { 'X-Forwarded-Proto': proto } : {}) });
		const post = (user, password, headers) => s.api('POST', '/api/v1/session', { body: { login: user, password }, headers });
		let r = await post('pm1', s.passwords.pm1, as('198.51.100.7', 'https'));
		assertStatus(r, 200);
		assert.match(r.headers.get('set-cookie'), /; Secure/);
		assert.equal(r.headers.get('strict-transport-security'), 'max-age=31536000');
		r = await post('pm1', s.passwords.pm1, as('198.51.100.7', 'http'));
		assert.doesNotMatch(r.headers.get('set-cookie'), /Secure/);
		assert.equal(r.headers.get('strict-transport-security'), null);
		// twenty failures from one client (spread over accounts) lock that client only
		for (let k = 0; k < 20; k++)
			assertError(await post(`nobody-${k % 10}`, 'guess', as('203.0.113.9')), 401, 'unauthorized');
		assertError(await post('viewer1', s.passwords.viewer1, as('203.0.113.9')), 429, 'too_many_requests');
		assertStatus(await post('viewer1', s.passwords.viewer1, as('198.51.100.7')), 200);
	} finally {
		s.kill();
	}
});

test('without a trusted proxy the X-Forwarded-* headers are ignored', async () => {
	const r = await srv.api('POST', '/api/v1/session', { body: { login: 'cto1', password: srv.passwords.cto1 },
		headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.1' } });
	assertStatus(r, 200);
	assert.doesNotMatch(r.headers.get('set-cookie'), /Secure/);
	assert.equal(r.headers.get('strict-transport-security'), null);
});
