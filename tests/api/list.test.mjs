/*
 * list.test.mjs — GET /api/v1/issues: pagination (page, per_page, Link,
 * total) and the query language, on a fresh server with a known data set.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, parseLink, show, startServer } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());
const admin = srv.as('admin');

const TYPES = ['story', 'bug', 'task', 'feature', 'epic'];
const PRIOS = ['high', 'medium', 'low', null];
const TITLES = ['Export to CSV', 'export PDF report', 'Dashboard widget'];
const LABELS = [['Customer Request'], ['area:api', 'headline'], [], ['area:ui']];

/* The data set: 30 issues, every 6th closed. */
const data = [];

before(async () => {
	for (let i = 0; i < 30; i++) {
		const fields = {
			title: `${TITLES[i % 3]} n${i}`,
			type: TYPES[i % 5],
			priority: PRIOS[i % 4],
			labels: LABELS[i % 4],
		};
		const c = await srv.createIssue(fields);
		let state = 'open';
		if (i % 6 === 0) {
			const p = await srv.patchIssue(c.number, { state: 'closed' });
			assertStatus(p, 200);
			state = 'closed';
		}
		data.push({ ...fields, number: c.number, state });
	}
});

const numbers = (items) => items.map((i) => i.number).sort((a, b) => a - b);
const expect = (pred) => numbers(data.filter(pred));

async function page(query) {
	const r = await admin.get('/api/v1/issues', { query });
	assertStatus(r, 200);
	return r;
}

test('default page: per_page 25, total 30, items without body', async () => {
	const r = await page({});
	assert.match(r.headers.get('content-type') || '', /^application\/json/);
	assert.equal(r.json.total, 30);
	assert.equal(r.json.page, 1);
	assert.equal(r.json.per_page, 25);
	assert.equal(r.json.items.length, 25);
	for (const i of r.json.items) {
		assert.ok(!('body' in i), 'list items carry no body');
		assert.ok(!('body_html' in i), 'list items carry no body_html');
		assert.ok(Number.isInteger(i.number));
		assert.equal(typeof i.title, 'string');
		assert.ok(Number.isInteger(i.version));
	}
});

test('per_page=10 gives 3 disjoint pages covering all 30, with Link rel next/prev/first/last', async () => {
	const seen = [];
	const links = [];
	for (let p = 1; p <= 3; p++) {
		const r = await page({ per_page: '10', page: String(p) });
		assert.equal(r.json.total, 30);
		assert.equal(r.json.page, p);
		assert.equal(r.json.per_page, 10);
		assert.equal(r.json.items.length, 10);
		seen.push(...r.json.items.map((i) => i.number));
		links.push(parseLink(r.headers.get('link')));
	}
	assert.deepEqual([...seen].sort((a, b) => a - b), numbers(data), 'the pages together hold every issue once');
	assert.ok(links[0].next, `page 1 Link has rel="next": ${JSON.stringify(links[0])}`);
	assert.ok(!links[0].prev, `page 1 has no rel="prev": ${JSON.stringify(links[0])}`);
	assert.ok(links[1].next && links[1].prev, `page 2 has next and prev: ${JSON.stringify(links[1])}`);
	assert.ok(links[2].prev, `page 3 Link has rel="prev": ${JSON.stringify(links[2])}`);
	assert.ok(!links[2].next, `page 3 (the last) has no rel="next": ${JSON.stringify(links[2])}`);
	assert.ok(links[0].last && links[0].first, `first and last links: ${JSON.stringify(links[0])}`);

	// The links lead where they say, keeping per_page.
	const follow = async (u) => {
		const r = await admin.get(new URL(u, srv.base).href);
		assertStatus(r, 200);
		return r.json;
	};
	const p2 = await follow(links[0].next);
	assert.equal(p2.page, 2);
	assert.equal(p2.per_page, 10);
	const p2direct = (await page({ per_page: '10', page: '2' })).json;
	assert.deepEqual(p2.items.map((i) => i.number), p2direct.items.map((i) => i.number));
	assert.equal((await follow(links[2].prev)).page, 2);
	assert.equal((await follow(links[0].last)).page, 3);
	assert.equal((await follow(links[2].first)).page, 1);
});

test('Link keeps the query: paging through q=is:open', async () => {
	const open = expect((d) => d.state === 'open');
	let url = '/api/v1/issues?' + new URLSearchParams({ q: 'is:open', per_page: '7' });
	const seen = [];
	for (let guard = 0; url && guard < 20; guard++) {
		const r = await admin.get(url.startsWith('/') ? url : new URL(url, srv.base).href);
		assertStatus(r, 200);
		assert.equal(r.json.total, open.length);
		seen.push(...r.json.items.map((i) => i.number));
		url = parseLink(r.headers.get('link')).next;
	}
	assert.deepEqual(seen.sort((a, b) => a - b), open);
});

test('a page past the end is empty with the right total', async () => {
	const r = await page({ per_page: '10', page: '4' });
	assert.deepEqual(r.json.items, []);
	assert.equal(r.json.total, 30);
});

test('per_page above 100 or below 1 -> 422 field per_page', async () => {
	assertError(await admin.get('/api/v1/issues', { query: { per_page: '101' } }), 422, 'invalid_field', 'per_page');
	assertError(await admin.get('/api/v1/issues', { query: { per_page: '0' } }), 422, 'invalid_field', 'per_page');
	const r = await page({ per_page: '100' });
	assert.equal(r.json.items.length, 30);
});

test('non-numeric page / per_page is refused as bad input, not a server error', async () => {
	for (const query of [{ page: 'abc' }, { per_page: 'ten' }, { page: '-1' }, { page: '1e999' }]) {
		const r = await admin.get('/api/v1/issues', { query });
		assert.ok(r.status === 400 || r.status === 422, `expected 400 or 422: ${show(r)}`);
		assertError(r, r.status);
	}
});

async function q(query, expected, label = query) {
	const r = await page({ q: query, per_page: '100' });
	assert.deepEqual(numbers(r.json.items), expected, `q=${label}: ${show(r)}`);
	assert.equal(r.json.total, expected.length, `total for q=${label}`);
}

test('filters is:open / is:closed', async () => {
	await q('is:open', expect((d) => d.state === 'open'));
	await q('is:closed', expect((d) => d.state === 'closed'));
});

test('filters type: and priority: (including priority:none)', async () => {
	await q('type:bug', expect((d) => d.type === 'bug'));
	await q('type:epic', expect((d) => d.type === 'epic'));
	await q('priority:high', expect((d) => d.priority === 'high'));
	await q('priority:none', expect((d) => d.priority === null));
});

test('filter label:, with a quoted value containing a space and a value containing a colon', async () => {
	await q('label:"Customer Request"', expect((d) => d.labels.includes('Customer Request')));
	await q('label:area:api', expect((d) => d.labels.includes('area:api')));
	await q('label:headline label:area:api', expect((d) => d.labels.includes('area:api')));
	await q('label:area:api label:area:ui', []);
	await q('label:Customer', [], 'label:Customer (a label is matched whole)');
});

test('free words: case-insensitive, every word must occur', async () => {
	const has = (w) => (d) => d.title.toLowerCase().includes(w);
	await q('csv', expect(has('csv')));
	await q('EXPORT', expect(has('export')));
	await q('Export pdf', expect((d) => has('export')(d) && has('pdf')(d)));
	await q('export widget', []);
});

test('terms combine: is:open type:bug export', async () => {
	await q('is:open type:bug export', expect((d) => d.state === 'open' && d.type === 'bug' && d.title.toLowerCase().includes('export')));
	await q('is:closed priority:high', expect((d) => d.state === 'closed' && d.priority === 'high'));
});

/* Every issue, through pages of 100, in the server's order. */
async function ordered(qtext) {
	const r = await page({ q: qtext, per_page: 100 });
	assert.equal(r.json.total, 30);
	return r.json.items;
}

test('sort:K and sort:-K order the list; ties newest first; the page keeps the order', async () => {
	const byNum = (a, b) => b.number - a.number;
	const cmp = {
		title: (a, b) => (a.title.toLowerCase() < b.title.toLowerCase() ? -1 : a.title.toLowerCase() > b.title.toLowerCase() ? 1 : 0),
		priority: (a, b) => ({ high: 1, medium: 2, low: 3 }[a.priority] || 4) - ({ high: 1, medium: 2, low: 3 }[b.priority] || 4),
		state: (a, b) => (a.state === b.state ? 0 : a.state === 'open' ? -1 : 1),
	};
	for (const [key, f] of Object.entries(cmp)) {
		const want = [...data].sort((a, b) => f(a, b) || byNum(a, b)).map((d) => d.number);
		assert.deepEqual((await ordered(`sort:${key}`)).map((i) => i.number), want, `sort:${key}`);
		const rev = [...data].sort((a, b) => -f(a, b) || byNum(a, b)).map((d) => d.number);
		assert.deepEqual((await ordered(`sort:-${key}`)).map((i) => i.number), rev, `sort:-${key}`);
	}
	const asc = data.map((d) => d.number).sort((a, b) => a - b);
	assert.deepEqual((await ordered('sort:number')).map((i) => i.number), asc);
	assert.deepEqual((await ordered('sort:-number')).map((i) => i.number), [...asc].reverse());
	// updated: the closed ones were patched after their creation, so they come last
	const upd = (await ordered('sort:updated')).map((i) => i.updated_at);
	assert.deepEqual(upd, [...upd].sort());
	// filters and sort together, and paging keeps the order
	const open = (await ordered('sort:title')).filter((i) => i.state === 'open').map((i) => i.number);
	const p1 = await page({ q: 'is:open sort:title', per_page: 10 });
	const p2 = await page({ q: 'is:open sort:title', per_page: 10, page: 2 });
	assert.deepEqual([...p1.json.items, ...p2.json.items].map((i) => i.number), open.slice(0, 20));
	assert.match(p1.headers.get('link') || '', /sort%3Atitle|sort:title/);
});

test('unknown filter keys and bad values -> 422 field q', async () => {
	for (const bad of ['foo:bar', 'is:sleeping', 'type:nope', 'priority:urgent', 'sort:points', 'sort:-', 'sort:'])
		assertError(await admin.get('/api/v1/issues', { query: { q: bad } }), 422, 'invalid_field', 'q');
});

test('odd queries never cause a server error', async () => {
	for (const odd of ['"unbalanced', 'label:"', ':', '""', 'x'.repeat(5000), 'a '.repeat(200), '\u0000', '*', 'NEAR(a b)', 'a OR b', '-csv', '^csv']) {
		const r = await admin.get('/api/v1/issues', { query: { q: odd } });
		assert.ok(r.status < 500, `no 5xx: ${show(r)}`);
		if (r.status !== 200)
			assertError(r, r.status);
	}
	srv.assertAlive();
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
