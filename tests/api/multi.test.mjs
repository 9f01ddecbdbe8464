/*
 * multi.test.mjs — two `cairn serve` processes (A and B) on ONE database,
 * as behind a load balancer: whatever happens through one is seen through
 * the other at once, and numbers, versions and history stay right when
 * clients hit both at the same time.
 *
 * Runs on both backends: PostgreSQL (CAIRN_TEST_DB set) and SQLite in WAL
 * mode (two processes on one file).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, sessionCookie, show, startServer } from './harness.mjs';

const USERS = { eng1: 'engineer', eng2: 'engineer', pm1: 'pm' };
const A = await startServer({ users: USERS });
const B = await startServer({ shareWith: A });
after(async () => {
	await B.kill();
	await A.kill();
});

const CLIENTS = 8;
const PER_CLIENT = 200;
const ROUNDS = 20;

/* First, while the database holds no issue: numbering starts at 1. */
test(`${CLIENTS} clients x ${PER_CLIENT} creates over both servers -> numbers 1..${CLIENTS * PER_CLIENT}, each once`, { timeout: 300000 }, async () => {
	const logins = ['admin', 'eng1', 'eng2', 'pm1'];
	const titleOf = new Map(); // number -> title sent
	const failures = [];
	const perServer = { A: 0, B: 0 };
	await Promise.all(Array.from({ length: CLIENTS }, async (_, w) => {
		const login = logins[w % logins.length];
		for (let k = 0; k < PER_CLIENT; k++) {
			// alternate servers per request, offset per client: both servers
			// take creates at the same moment all the time
			const which = (w + k) % 2 ? 'B' : 'A';
			const srv = which === 'A' ? A : B;
			const title = `multi w${w} k${k}`;
			const r = await srv.as(login).post('/api/v1/issues', { title });
			if (r.status !== 201) {
				failures.push(`via ${which}: ${show(r)}`);
				continue;
			}
			perServer[which]++;
			if (titleOf.has(r.json.number))
				failures.push(`number ${r.json.number} handed out twice: '${titleOf.get(r.json.number)}' and '${title}' (via ${which})`);
			titleOf.set(r.json.number, title);
			if (r.json.title !== title || r.json.reporter !== login)
				failures.push(`via ${which}: response does not echo the create: ${show(r)}`);
		}
	}));
	assert.deepEqual(failures.slice(0, 20), [], `every create succeeds with a new number (${failures.length} failures)`);
	const N = CLIENTS * PER_CLIENT;
	assert.deepEqual(perServer, { A: N / 2, B: N / 2 });
	const numbers = [...titleOf.keys()].sort((a, b) => a - b);
	assert.deepEqual(numbers, Array.from({ length: N }, (_, i) => i + 1), `numbers handed out are 1..${N} once each`);

	for (const [name, srv] of [['A', A], ['B', B]]) {
		const all = await srv.listAll();
		assert.equal(all.total, N, `total through ${name}`);
		assert.deepEqual(all.items.map((i) => i.number), numbers, `stored numbers through ${name} are 1..${N} once each`);
		const wrong = all.items.filter((i) => i.title !== titleOf.get(i.number))
			.map((i) => `#${i.number}: stored '${i.title}', created as '${titleOf.get(i.number)}'`);
		assert.deepEqual(wrong.slice(0, 20), [], `through ${name}, each issue keeps the title it was created with`);
	}
});

test('an issue created through A is read through B at once, and the other way round', async () => {
	const c = await A.createIssue({ title: 'made on A', type: 'bug', priority: 'high', size: 'M', labels: ['area:api'], body: '**hi**' });
	const g = await B.as('eng1').get(`/api/v1/issues/${c.number}`);
	assertStatus(g, 200);
	assert.deepEqual(g.json, c, 'B returns exactly what A created');
	assert.equal(g.headers.get('etag'), `"${c.version}"`);
	const found = await B.as('eng1').get('/api/v1/issues', { query: { q: 'made on A' } });
	assertStatus(found, 200);
	assert.deepEqual(found.json.items.map((i) => i.number), [c.number], `B's list has it: ${show(found)}`);

	const p = await B.as('pm1').patch(`/api/v1/issues/${c.number}`, { title: 'edited on B', pm_size: 'XL' },
		{ headers: { 'If-Match': g.headers.get('etag') } });
	assertStatus(p, 200);
	const back = await A.as('admin').get(`/api/v1/issues/${c.number}`);
	assertStatus(back, 200);
	assert.deepEqual(back.json, p.json, 'A returns exactly what B wrote');
	assert.equal(back.headers.get('etag'), p.headers.get('etag'));
	const hA = await A.as('admin').get(`/api/v1/issues/${c.number}/history`);
	const hB = await B.as('admin').get(`/api/v1/issues/${c.number}/history`);
	assertStatus(hA, 200);
	assert.deepEqual(hA.json, hB.json, 'both servers show the same history');
	const t = hA.json.items.find((e) => e.field === 'title');
	assert.deepEqual([t?.actor, t?.old, t?.new], ['pm1', 'made on A', 'edited on B'], show(hA));
});

test('a session made on A works on B (reads and CSRF-checked writes); logging out on B ends it on A', async () => {
	const login = await A.api('POST', '/api/v1/session', { body: { login: 'pm1', password: A.passwords.pm1 } });
	assertStatus(login, 200);
	const cookie = sessionCookie(login)?.pair;
	assert.ok(cookie, `login on A sets a session cookie: ${show(login)}`);
	const csrf = login.json.csrf;

	const s = await B.api('GET', '/api/v1/session', { headers: { Cookie: cookie } });
	assertStatus(s, 200);
	assert.equal(s.json.user.login, 'pm1');
	assert.equal(s.json.csrf, csrf, 'B knows the same CSRF token');

	const w = await B.api('POST', '/api/v1/issues', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf }, body: { title: 'via A session on B' } });
	assertStatus(w, 201);
	assert.equal(w.json.reporter, 'pm1');
	assertError(await B.api('POST', '/api/v1/issues', { headers: { Cookie: cookie }, body: { title: 'no csrf' } }),
		403, 'forbidden', 'X-CSRF-Token');

	const d = await B.api('DELETE', '/api/v1/session', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf } });
	assertStatus(d, 204);
	assertError(await A.api('GET', '/api/v1/session', { headers: { Cookie: cookie } }), 401, 'unauthorized');
	assertError(await B.api('GET', '/api/v1/session', { headers: { Cookie: cookie } }), 401, 'unauthorized');
	assertError(await A.api('GET', '/api/v1/issues', { headers: { Cookie: cookie } }), 401, 'unauthorized');
});

test('a token created through A works on B and acts as its owner', async () => {
	const t = await A.as('eng1').post('/api/v1/tokens', { name: 'lb' });
	assertStatus(t, 201);
	assert.match(t.json.token, /^cairn_/);
	const list = await B.api('GET', '/api/v1/issues', { token: t.json.token });
	assertStatus(list, 200);
	const c = await B.api('POST', '/api/v1/issues', { token: t.json.token, body: { title: 'via A token on B' } });
	assertStatus(c, 201);
	assert.equal(c.json.reporter, 'eng1', 'the token acts as its owner on B');
	assertError(await B.api('GET', '/api/v1/issues', { token: t.json.token + '0' }), 401, 'unauthorized');
});

test('a user created through A can log in on B', async () => {
	const u = await A.as('admin').post('/api/v1/users', { login: 'newbie', name: 'New Bie', role: 'engineer', password: 'newbie-password-1' });
	assertStatus(u, 201);
	const s = await B.api('POST', '/api/v1/session', { body: { login: 'newbie', password: 'newbie-password-1' } });
	assertStatus(s, 200);
	assert.equal(s.json.user.role, 'engineer');
	const users = await B.as('admin').get('/api/v1/users');
	assertStatus(users, 200);
	assert.ok(users.json.items.some((x) => x.login === 'newbie'), show(users));
});

test('a stale If-Match through B after a change through A -> 412, and nothing changes', async () => {
	const c = await A.createIssue({ title: 'stale base', priority: 'low' });
	const url = `/api/v1/issues/${c.number}`;
	const seenByB = await B.as('eng2').get(url);
	assertStatus(seenByB, 200);
	const staleTag = seenByB.headers.get('etag');

	const pa = await A.as('eng1').patch(url, { title: 'changed on A' }, { headers: { 'If-Match': staleTag } });
	assertStatus(pa, 200);
	assert.notEqual(pa.headers.get('etag'), staleTag);

	const before = await B.snapshot([c.number]);
	assert.deepEqual(await A.snapshot([c.number]), before, 'A and B see the same state');
	const pb = await B.as('eng2').patch(url, { title: 'overwrite from B', priority: 'high' }, { headers: { 'If-Match': staleTag } });
	assertError(pb, 412, 'stale_version');
	await B.assertUnchanged(before, [c.number], 'a refused PATCH through B changes nothing (seen through B)');
	await A.assertUnchanged(before, [c.number], 'a refused PATCH through B changes nothing (seen through A)');
	assert.equal(before.issues[c.number].issue.title, 'changed on A');
});

test(`two clients racing PATCH with the same If-Match, one through A, one through B: one 200, one 412 (${ROUNDS} rounds); history complete`, { timeout: 120000 }, async () => {
	const c = await A.createIssue({ title: 'race 0' });
	const url = `/api/v1/issues/${c.number}`;
	const h0 = await A.as('admin').get(`${url}/history`);
	assertStatus(h0, 200);
	const expected = []; // [actor, old, new] per winning write
	let title = 'race 0';
	let version = c.version;
	for (let round = 1; round <= ROUNDS; round++) {
		// read through the server that will not be first in the pair, alternating
		const g = await (round % 2 ? B : A).as('admin').get(url);
		assertStatus(g, 200);
		const etag = g.headers.get('etag');
		assert.equal(etag, `"${version}"`, `round ${round}: both servers agree on the version`);
		const [a, b] = await Promise.all([
			A.as('eng1').patch(url, { title: `A${round}` }, { headers: { 'If-Match': etag } }),
			B.as('eng2').patch(url, { title: `B${round}` }, { headers: { 'If-Match': etag } }),
		]);
		assert.deepEqual([a.status, b.status].sort(), [200, 412], `round ${round}: A ${show(a)} | B ${show(b)}`);
		const [winner, loser, actor] = a.status === 200 ? [a, b, 'eng1'] : [b, a, 'eng2'];
		assertError(loser, 412, 'stale_version');
		assert.equal(winner.json.version, version + 1, `round ${round}: one new version`);
		expected.push([actor, title, winner.json.title]);
		title = winner.json.title;
		version = winner.json.version;
		for (const [name, srv] of [['A', A], ['B', B]]) {
			const now = await srv.as('admin').get(url);
			assertStatus(now, 200);
			assert.equal(now.json.title, title, `round ${round}: the winner's write stands (through ${name})`);
			assert.equal(now.headers.get('etag'), winner.headers.get('etag'), `round ${round}: ETag through ${name}`);
		}
	}
	for (const [name, srv] of [['A', A], ['B', B]]) {
		const h = await srv.as('admin').get(`${url}/history`);
		assertStatus(h, 200);
		assert.deepEqual(h.json.items.slice(0, h0.json.items.length), h0.json.items, `through ${name}: earlier history untouched`);
		const fresh = h.json.items.slice(h0.json.items.length).map((e) => [e.actor, e.old, e.new, e.field]);
		assert.deepEqual(fresh, expected.map((x) => [...x, 'title']),
			`through ${name}: exactly one history row per winning PATCH, in order, with the winner as actor; none for the refused ones`);
	}
});

test('both servers are still alive and shut down cleanly', async () => {
	A.assertAlive();
	B.assertAlive();
	await B.stop();
	// A still serves after B is gone (B's shutdown did not drop the database)
	const r = await A.as('admin').get('/api/v1/issues', { query: { per_page: '1' } });
	assertStatus(r, 200);
	assert.ok(r.json.total >= CLIENTS * PER_CLIENT, show(r));
	await A.stop();
});
