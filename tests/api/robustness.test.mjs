/*
 * robustness.test.mjs — hostile or odd input the parser and handlers must
 * refuse cleanly (4xx with a JSON error, nothing stored, server alive):
 * deep nesting, NUL bytes, huge numbers, odd paths, too many labels,
 * parent cycles.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';

const srv = await startServer({ users: { eng1: 'engineer' } });
after(() => srv.kill());
const admin = srv.as('admin');

const base = await srv.createIssue({ title: 'base' });

/* Send, expect a clean refusal (status in `allowed`, JSON error) or, when
 * `accept` says so, a success; nothing stored on refusal. */
async function refusedOrOk(label, send, allowed, accept) {
	const before = await srv.snapshot([base.number]);
	const r = await send();
	assert.ok(r.status < 500, `${label}: no 5xx: ${show(r)}`);
	if (accept && accept(r))
		return r;
	assert.ok(allowed.includes(r.status), `${label}: expected one of ${allowed}: ${show(r)}`);
	assertError(r, r.status);
	await srv.assertUnchanged(before, [base.number], `${label}: a refused request must change nothing`);
	return r;
}

test('deeply nested JSON is refused with 400, and the server lives', async () => {
	for (const depth of [1000, 100000]) {
		const raw = '{"title":"deep","body":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
		await refusedOrOk(`depth ${depth}`, () => admin.call('POST', '/api/v1/issues', { raw }), [400, 422]);
		const raw2 = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
		await refusedOrOk(`object depth ${depth}`, () => admin.call('POST', '/api/v1/issues', { raw: raw2 }), [400, 422]);
	}
	srv.assertAlive();
	assertStatus(await srv.api('GET', '/healthz'), 200);
});

test('a NUL inside a JSON string is refused or kept whole, never truncated', async () => {
	const r = await refusedOrOk('NUL title', () => admin.call('POST', '/api/v1/issues', { raw: '{"title":"abc\\u0000def"}' }), [400, 422],
		(x) => x.status === 201);
	if (r.status === 201)
		assert.equal(r.json.title, 'abc\u0000def', 'title must not be cut at the NUL');
	const p = await refusedOrOk('NUL label', () => admin.call('PATCH', `/api/v1/issues/${base.number}`,
		{ raw: '{"labels":["a\\u0000b"]}', headers: { 'If-Match': `"${base.version}"` } }), [400, 422], (x) => x.status === 200);
	if (p.status === 200) {
		assert.deepEqual(p.json.labels, ['a\u0000b']);
		base.version = p.json.version;
	}
});

test('huge, negative and fractional numbers are refused with 422 naming the field', async () => {
	const cases = [
		[{ title: 't', size: 1e308 }, 'size'],
		[{ title: 't', pm_size: -3 }, 'pm_size'],
		[{ title: 't', parent: -1 }, 'parent'],
		[{ title: 't', parent: 0 }, 'parent'],
		[{ title: 't', parent: 1.5 }, 'parent'],
	];
	const failures = [];
	for (const [body, field] of cases) {
		try {
			const r = await refusedOrOk(JSON.stringify(body), () => admin.post('/api/v1/issues', body), [422]);
			assert.equal(r.json.error.field, field, show(r));
		} catch (e) {
			failures.push(e.message.split('\n')[0]);
		}
	}
	// Integer literals beyond 64 bits may be refused by the JSON parser (400).
	const bigParent = await refusedOrOk('parent 1e20', () => admin.call('POST', '/api/v1/issues', { raw: '{"title":"t","parent":100000000000000000000}' }), [400, 422]);
	if (bigParent.status === 422 && bigParent.json.error.field !== 'parent')
		failures.push(`huge parent literal: field ${bigParent.json.error.field}`);
	const big = await refusedOrOk('size 99999999999999999999', () => admin.call('POST', '/api/v1/issues', { raw: '{"title":"t","size":99999999999999999999}' }), [400, 422]);
	if (big.status === 422 && big.json.error.field !== 'size')
		failures.push(`huge size literal: field ${big.json.error.field}`);
	assert.deepEqual(failures, [], failures.join('\n'));
});

test('odd issue paths are 404 (or 400), never a server error', async () => {
	for (const p of ['0', '-1', 'abc', '1abc', '99999999999999999999', '1.0', '%00', '1%2F2', '01']) {
		const g = await admin.get(`/api/v1/issues/${p}`);
		assert.ok([400, 404].includes(g.status) || (p === '01' && g.status === 200), `GET /api/v1/issues/${p}: ${show(g)}`);
		if (g.status !== 200)
			assertError(g, g.status);
		const h = await admin.get(`/api/v1/issues/${p}/history`);
		assert.ok(h.status < 500, `history ${p}: ${show(h)}`);
	}
	srv.assertAlive();
});

test('too many or too long labels are refused with 422 field labels (or kept whole)', async () => {
	const many = Array.from({ length: 1000 }, (_, i) => `l${i}`);
	const r = await refusedOrOk('1000 labels', () => admin.post('/api/v1/issues', { title: 'labels', labels: many }), [422], (x) => x.status === 201);
	if (r.status === 201)
		assert.equal(r.json.labels.length, 1000, 'labels must not be dropped silently');
	else
		assert.equal(r.json.error.field, 'labels');
	const long = 'x'.repeat(10000);
	const r2 = await refusedOrOk('long label', () => admin.post('/api/v1/issues', { title: 'labels', labels: [long] }), [422], (x) => x.status === 201);
	if (r2.status === 201)
		assert.deepEqual(r2.json.labels, [long], 'a long label must not be truncated');
	else
		assert.equal(r2.json.error.field, 'labels');
	const r3 = await refusedOrOk('empty label', () => admin.post('/api/v1/issues', { title: 'labels', labels: [''] }), [422], (x) => x.status === 201);
	if (r3.status === 422)
		assert.equal(r3.json.error.field, 'labels');
});

test('a parent cycle is refused: 422 field parent, nothing changed', async () => {
	const a = await srv.createIssue({ title: 'cycle a', type: 'epic' });
	const b = await srv.createIssue({ title: 'cycle b', type: 'story', parent: a.number });
	const c = await srv.createIssue({ title: 'cycle c', type: 'task', parent: b.number });
	const before = await srv.snapshot([a.number, b.number, c.number]);
	const g = await admin.get(`/api/v1/issues/${a.number}`);
	const r = await admin.patch(`/api/v1/issues/${a.number}`, { parent: c.number }, { headers: { 'If-Match': g.headers.get('etag') } });
	assertError(r, 422, 'invalid_field', 'parent');
	await srv.assertUnchanged(before, [a.number, b.number, c.number]);
});

test('creating an issue closed sets closed_at', async () => {
	const c = await srv.createIssue({ title: 'born closed', state: 'closed' });
	assert.equal(c.state, 'closed');
	assert.ok(c.closed_at, 'closed_at is set');
});

test('the Content-Type of a write is not trusted to be JSON-free: text/plain with a JSON body is either parsed or refused cleanly', async () => {
	const r = await refusedOrOk('text/plain', () => admin.call('POST', '/api/v1/issues', { raw: '{"title":"ct"}', headers: { 'Content-Type': 'text/plain' } }),
		[400, 415], (x) => x.status === 201);
	if (r.status === 201)
		assert.equal(r.json.title, 'ct');
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
