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
