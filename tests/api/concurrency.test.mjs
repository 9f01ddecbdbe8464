/*
 * concurrency.test.mjs — parallel clients against one fresh server:
 * issue numbers are dense and unique, If-Match admits exactly one writer.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertStatus, show, startServer } from './harness.mjs';

const srv = await startServer({ users: { eng1: 'engineer', eng2: 'engineer', pm1: 'pm', em1: 'em' } });
after(() => srv.kill());

test('8 parallel clients x 25 creates -> numbers 1..200, each exactly once', async () => {
	const logins = ['admin', 'eng1', 'eng2', 'pm1'];
	const got = [];
	const failures = [];
	await Promise.all(Array.from({ length: 8 }, async (_, w) => {
		const u = srv.as(logins[w % logins.length]);
		for (let k = 0; k < 25; k++) {
			const r = await u.post('/api/v1/issues', { title: `parallel w${w} k${k}`, size: 'S' });
			if (r.status !== 201) {
				failures.push(show(r));
				continue;
			}
			got.push(r.json.number);
			assert.equal(r.headers.get('location'), `/api/v1/issues/${r.json.number}`);
		}
	}));
	assert.deepEqual(failures, [], 'every create succeeds');
	const sorted = [...got].sort((a, b) => a - b);
	assert.deepEqual(sorted, Array.from({ length: 200 }, (_, i) => i + 1), 'numbers handed out are 1..200 once each');
	const all = await srv.listAll();
	assert.equal(all.total, 200);
	assert.deepEqual(all.items.map((i) => i.number), sorted, 'stored numbers are 1..200 once each');
	for (const i of all.items)
		assert.match(i.title, /^parallel w\d k\d+$/);
});

test('two parallel PATCHes with the same If-Match: exactly one 200 and one 412 (10 rounds)', async () => {
	const c = await srv.createIssue({ title: 'race' });
	const url = `/api/v1/issues/${c.number}`;
	const h0 = (await srv.as('admin').get(`${url}/history`)).json.items.length;
	let expectTitle = 'race';
	for (let round = 0; round < 10; round++) {
		const g = await srv.as('admin').get(url);
		assertStatus(g, 200);
		const etag = g.headers.get('etag');
		const [a, b] = await Promise.all([
			srv.as('eng1').patch(url, { title: `A${round}` }, { headers: { 'If-Match': etag } }),
			srv.as('eng2').patch(url, { title: `B${round}` }, { headers: { 'If-Match': etag } }),
		]);
		const statuses = [a.status, b.status].sort();
		assert.deepEqual(statuses, [200, 412], `round ${round}: ${show(a)} | ${show(b)}`);
		const winner = a.status === 200 ? a : b;
		const loser = a.status === 200 ? b : a;
		assert.equal(loser.json?.error?.code, 'stale_version');
		expectTitle = winner.json.title;
		const now = await srv.as('admin').get(url);
		assert.equal(now.json.title, expectTitle, `round ${round}: the winner's write stands`);
		assert.equal(now.headers.get('etag'), winner.headers.get('etag'));
	}
	const h = await srv.as('admin').get(`${url}/history`);
	assert.equal(h.json.items.length - h0, 10, `one history entry per winning write: ${show(h)}`);
});

test('parallel PATCHes to different issues all succeed and keep their own data', async () => {
	const issues = [];
	for (let i = 0; i < 8; i++)
		issues.push(await srv.createIssue({ title: `own ${i}` }));
	const res = await Promise.all(issues.map((c, i) => srv.as('em1').patch(`/api/v1/issues/${c.number}`,
		{ title: `own ${i} edited`, size: 'L' }, { headers: { 'If-Match': `"${c.version}"` } })));
	for (const [i, r] of res.entries()) {
		assertStatus(r, 200);
		assert.equal(r.json.number, issues[i].number);
		assert.equal(r.json.title, `own ${i} edited`);
	}
});

test('reads during writes always see a whole issue', async () => {
	const c = await srv.createIssue({ title: 'rw 0', size: 'XS' });
	const url = `/api/v1/issues/${c.number}`;
	let stop = false;
	const bad = [];
	const reader = (async () => {
		while (!stop) {
			const r = await srv.as('pm1').get(url);
			if (r.status !== 200 || r.headers.get('etag') !== `"${r.json.version}"` || !/^rw \d+$/.test(r.json.title))
				bad.push(show(r));
		}
	})();
	for (let k = 1; k <= 20; k++)
		assertStatus(await srv.patchIssue(c.number, { title: `rw ${k}` }, 'eng1'), 200);
	stop = true;
	await reader;
	assert.deepEqual(bad, []);
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
