/*
 * issues.test.mjs — create, read, update (If-Match), history, validation,
 * sizes, labels, close/reopen, literal storage of hostile text.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, SIZE_ALLOWED, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());
const admin = srv.as('admin');

const etagOf = (v) => `"${v}"`;

async function getIssue(n, login = 'admin') {
	const r = await srv.as(login).get(`/api/v1/issues/${n}`);
	assertStatus(r, 200);
	return r;
}

test('POST creates an issue: 201, Location, ETag, number, size in points, version', async () => {
	const r = await admin.post('/api/v1/issues', { title: 'x', type: 'story', size: 'M' });
	assertStatus(r, 201);
	assert.match(r.headers.get('content-type') || '', /^application\/json/);
	const i = r.json;
	assert.ok(Number.isInteger(i.number) && i.number > 0, `number: ${show(r)}`);
	assert.equal(r.headers.get('location'), `/api/v1/issues/${i.number}`);
	assert.equal(i.size, 3);
	assert.equal(i.effective_size, 3);
	assert.equal(i.size_letter, 'M');
	assert.equal(i.pm_size, null);
	assert.ok(Number.isInteger(i.version), `version: ${show(r)}`);
	assert.equal(r.headers.get('etag'), etagOf(i.version));
	assert.equal(i.title, 'x');
	assert.equal(i.type, 'story');
	assert.equal(i.state, 'open');
	assert.equal(i.priority, null);
	assert.deepEqual(i.labels, []);
	assert.equal(i.parent, null);
	assert.equal(i.assignee, null);
	assert.equal(i.reporter, 'admin');
	assert.equal(i.closed_at, null);
	assert.match(i.created_at, ISO_RE);
	assert.match(i.updated_at, ISO_RE);

	// The Location leads to the same issue.
	const g = await admin.get(r.headers.get('location'));
	assertStatus(g, 200);
	assert.equal(g.json.number, i.number);
	assert.equal(g.json.title, 'x');
});

test('POST with only a title: type defaults to story', async () => {
	const i = await srv.createIssue({ title: 'defaults' });
	assert.equal(i.type, 'story');
	assert.equal(i.state, 'open');
	assert.equal(i.size, null);
	assert.equal(i.effective_size, null);
});

test('numbers increase by one per created issue', async () => {
	const a = await srv.createIssue({ title: 'seq a' });
	const b = await srv.createIssue({ title: 'seq b' });
	assert.equal(b.number, a.number + 1);
});

test('GET returns the issue with ETag "<version>"; body and body_html present', async () => {
	const c = await srv.createIssue({ title: 'read me', body: 'Hello **world**' });
	const g = await getIssue(c.number);
	assert.equal(g.headers.get('etag'), etagOf(g.json.version));
	assert.equal(g.json.version, c.version);
	assert.equal(g.json.body, 'Hello **world**');
	assert.match(g.json.body_html, /<strong>world<\/strong>/);
});

test('PATCH with If-Match: 200 + new ETag; stale If-Match: 412, unchanged; no If-Match: 428, unchanged', async () => {
	const c = await srv.createIssue({ title: 'before', priority: 'low', labels: ['keep'] });
	const g = await getIssue(c.number);
	const etag1 = g.headers.get('etag');
	assert.equal(etag1, etagOf(c.version));

	const p = await admin.patch(`/api/v1/issues/${c.number}`, { title: 'after' }, { headers: { 'If-Match': etag1 } });
	assertStatus(p, 200);
	const etag2 = p.headers.get('etag');
	assert.ok(etag2, 'PATCH must return an ETag');
	assert.notEqual(etag2, etag1);
	assert.equal(etag2, etagOf(p.json.version));
	assert.equal(p.json.title, 'after');
	// Partial update: untouched fields stay.
	assert.equal(p.json.priority, 'low');
	assert.deepEqual(p.json.labels, ['keep']);
	const g2 = await getIssue(c.number);
	assert.equal(g2.json.title, 'after');
	assert.equal(g2.headers.get('etag'), etag2);

	const before = await srv.snapshot([c.number]);
	const stale = await admin.patch(`/api/v1/issues/${c.number}`, { title: 'lost update' }, { headers: { 'If-Match': etag1 } });
	assertError(stale, 412, 'stale_version');
	await srv.assertUnchanged(before, [c.number]);

	const noMatch = await admin.patch(`/api/v1/issues/${c.number}`, { title: 'blind write' });
	assertError(noMatch, 428, 'precondition_required');
	await srv.assertUnchanged(before, [c.number]);
	assert.equal((await getIssue(c.number)).json.title, 'after');
});

test('a client may send the whole issue back: read-only fields are ignored', async () => {
	const c = await srv.createIssue({ title: 'round trip', size: 'S' });
	const g = await getIssue(c.number);
	const sent = { ...g.json, title: 'round trip edited', number: 99999, version: 12345, created_at: '2000-01-01T00:00:00Z' };
	const p = await admin.patch(`/api/v1/issues/${c.number}`, sent, { headers: { 'If-Match': g.headers.get('etag') } });
	assertStatus(p, 200);
	assert.equal(p.json.number, c.number);
	assert.equal(p.json.title, 'round trip edited');
	assert.equal(p.json.created_at, c.created_at);
	assert.notEqual(p.json.version, 12345);
	assert.equal(p.json.size, 2);
	assertStatus(await admin.get('/api/v1/issues/99999'), 404);
});

test('history lists each change oldest first with actor login, field, old and new', async () => {
	const c = await srv.createIssue({ title: 'h1' });
	let p = await srv.patchIssue(c.number, { title: 'h2' });
	assertStatus(p, 200);
	p = await srv.patchIssue(c.number, { title: 'h3' }, 'eng1');
	assertStatus(p, 200);
	const h = await admin.get(`/api/v1/issues/${c.number}/history`);
	assertStatus(h, 200);
	const items = h.json.items;
	assert.ok(Array.isArray(items), show(h));
	const i1 = items.findIndex((e) => e.field === 'title' && e.old === 'h1' && e.new === 'h2');
	const i2 = items.findIndex((e) => e.field === 'title' && e.old === 'h2' && e.new === 'h3');
	assert.ok(i1 >= 0, `h1 -> h2 missing: ${show(h)}`);
	assert.ok(i2 >= 0, `h2 -> h3 missing: ${show(h)}`);
	assert.ok(i1 < i2, `history must be oldest first: ${show(h)}`);
	assert.equal(items[i1].actor, 'admin');
	assert.equal(items[i2].actor, 'eng1');
	assert.match(items[i1].at, ISO_RE);
	assert.match(items[i2].at, ISO_RE);
});

test('history records one entry per changed field', async () => {
	const c = await srv.createIssue({ title: 'multi', priority: 'low' });
	const h0 = (await admin.get(`/api/v1/issues/${c.number}/history`)).json.items.length;
	assertStatus(await srv.patchIssue(c.number, { title: 'multi2', priority: 'high' }), 200);
	const h = await admin.get(`/api/v1/issues/${c.number}/history`);
	const fresh = h.json.items.slice(h0);
	assert.deepEqual(fresh.map((e) => e.field).sort(), ['priority', 'title'], show(h));
	const pr = fresh.find((e) => e.field === 'priority');
	assert.equal(pr.old, 'low');
	assert.equal(pr.new, 'high');
});

/* ---- bad input: every refusal leaves the state as it was ---- */

/* Send each refused create; collect every deviation (so one bad case
 * does not hide the next), then fail listing them all. */
async function refusedCreates(cases) {
	const failures = [];
	for (const { label, send, status, code, field, check } of cases) {
		const before = await srv.snapshot();
		const r = await send();
		try {
			assertError(r, status, code, field);
			if (check)
				check(r);
			await srv.assertUnchanged(before, [], `${label}: a refused create must change nothing`);
		} catch (e) {
			failures.push(`${label}: ${e.message.split('\n')[0]}`);
		}
	}
	assert.deepEqual(failures, [], failures.join('\n'));
}

const post = (body) => () => admin.post('/api/v1/issues', body);
const postRaw = (raw) => () => admin.call('POST', '/api/v1/issues', { raw });
const namesSizes = (r) => assert.ok(r.json.error.message.includes(SIZE_ALLOWED), `message must name ${SIZE_ALLOWED}: ${show(r)}`);

test('malformed JSON -> 400, nothing created', async () => {
	await refusedCreates([
		{ label: 'truncated', send: postRaw('{"title": "x",'), status: 400, code: 'malformed' },
		{ label: 'not json', send: postRaw('title=x'), status: 400, code: 'malformed' },
		{ label: 'empty', send: postRaw(''), status: 400, code: 'malformed' },
		{ label: 'trailing garbage', send: postRaw('{"title":"x"} {"title":"y"}'), status: 400, code: 'malformed' },
		{ label: 'invalid UTF-8', send: () => admin.call('POST', '/api/v1/issues', { raw: Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }), status: 400, code: 'malformed' },
	]);
});

test('a JSON array / scalar body -> 400, nothing created', async () => {
	await refusedCreates([
		{ label: 'array', send: postRaw('[{"title":"x"}]'), status: 400, code: 'malformed' },
		{ label: 'string', send: postRaw('"x"'), status: 400, code: 'malformed' },
		{ label: 'number', send: postRaw('42'), status: 400, code: 'malformed' },
		{ label: 'null', send: postRaw('null'), status: 400, code: 'malformed' },
	]);
});

test('size "7" -> 422 field size, the message names the allowed values', async () => {
	await refusedCreates([
		{ label: 'size "7"', send: post({ title: 'bad size', size: '7' }), status: 422, code: 'invalid_field', field: 'size', check: namesSizes },
		{ label: 'size 7', send: post({ title: 'bad size', size: 7 }), status: 422, code: 'invalid_field', field: 'size', check: namesSizes },
		{ label: 'pm_size "XXXL"', send: post({ title: 'bad size', pm_size: 'XXXL' }), status: 422, code: 'invalid_field', field: 'pm_size', check: namesSizes },
		{ label: 'size 3.5', send: post({ title: 'bad size', size: 3.5 }), status: 422, code: 'invalid_field', field: 'size' },
		{ label: 'size true', send: post({ title: 'bad size', size: true }), status: 422, code: 'invalid_field', field: 'size' },
		{ label: 'size 0', send: post({ title: 'bad size', size: 0 }), status: 422, code: 'invalid_field', field: 'size' },
	]);
});

test('type "nope" -> 422 field type', async () => {
	await refusedCreates([
		{ label: 'type nope', send: post({ title: 'bad type', type: 'nope' }), status: 422, code: 'invalid_field', field: 'type' },
	]);
});

test('empty, blank or missing title -> 422 field title', async () => {
	await refusedCreates([
		{ label: 'empty title', send: post({ title: '' }), status: 422, code: 'invalid_field', field: 'title' },
		{ label: 'blank title', send: post({ title: '   ' }), status: 422, code: 'invalid_field', field: 'title' },
		{ label: 'missing title', send: post({ type: 'bug' }), status: 422, code: 'invalid_field', field: 'title' },
		{ label: 'title null', send: post({ title: null }), status: 422, code: 'invalid_field', field: 'title' },
	]);
});

test('fields of the wrong JSON type are refused, not coerced (title 5, body 42)', async () => {
	await refusedCreates([
		{ label: 'title 5', send: post({ title: 5 }), status: 422, code: 'invalid_field', field: 'title' },
		{ label: 'title ["x"]', send: post({ title: ['x'] }), status: 422, code: 'invalid_field', field: 'title' },
		{ label: 'body 42', send: post({ title: 't', body: 42 }), status: 422, code: 'invalid_field', field: 'body' },
		{ label: 'priority 1', send: post({ title: 't', priority: 1 }), status: 422, code: 'invalid_field', field: 'priority' },
		{ label: 'parent "1"', send: post({ title: 't', parent: 'one' }), status: 422, code: 'invalid_field', field: 'parent' },
	]);
});

test('other invalid fields -> 422 naming the field', async () => {
	await refusedCreates([
		[{ title: 't', priority: 'urgent' }, 'priority'],
		[{ title: 't', state: 'done' }, 'state'],
		[{ title: 't', labels: 'a,b' }, 'labels'],
		[{ title: 't', labels: [1, 2] }, 'labels'],
		[{ title: 't', parent: 999999 }, 'parent'],
		[{ title: 't', assignee: 'nobody-here' }, 'assignee'],
	].map(([body, field]) => ({ label: JSON.stringify(body), send: post(body), status: 422, code: 'invalid_field', field })));
});

test('an unknown field -> 422 naming it', async () => {
	await refusedCreates([
		{ label: 'colour', send: post({ title: 'x', colour: 'red' }), status: 422, code: 'invalid_field', field: 'colour' },
	]);
});

test('an over-long title is refused (422 title) or kept whole, never truncated or 5xx', async () => {
	const long = 'L'.repeat(100000);
	const before = await srv.snapshot();
	const r = await admin.post('/api/v1/issues', { title: long });
	if (r.status === 201) {
		assert.equal(r.json.title, long, 'a long title must not be truncated silently');
	} else {
		assertError(r, 422, 'invalid_field', 'title');
		await srv.assertUnchanged(before);
	}
});

test('PATCH refusals change nothing: malformed, array, invalid field, unknown field, mixed valid+invalid', async () => {
	const c = await srv.createIssue({ title: 'stable', size: 'S', labels: ['a'] });
	const etag = (await getIssue(c.number)).headers.get('etag');
	const url = `/api/v1/issues/${c.number}`;
	const hdr = { 'If-Match': etag };
	const before = await srv.snapshot([c.number]);
	const cases = [
		[() => admin.call('PATCH', url, { raw: '{"title":', headers: hdr }), 400, 'malformed', undefined],
		[() => admin.call('PATCH', url, { raw: '["title"]', headers: hdr }), 400, 'malformed', undefined],
		[() => admin.patch(url, { size: '7' }, { headers: hdr }), 422, 'invalid_field', 'size'],
		[() => admin.patch(url, { title: 'changed', size: '7' }, { headers: hdr }), 422, 'invalid_field', 'size'],
		[() => admin.patch(url, { title: 'changed', type: 'nope' }, { headers: hdr }), 422, 'invalid_field', 'type'],
		[() => admin.patch(url, { title: '' }, { headers: hdr }), 422, 'invalid_field', 'title'],
		[() => admin.patch(url, { title: 'changed', frobnicate: 1 }, { headers: hdr }), 422, 'invalid_field', 'frobnicate'],
		[() => admin.patch(url, { parent: c.number }, { headers: hdr }), 422, 'invalid_field', 'parent'],
	];
	for (const [send, status, code, field] of cases) {
		const r = await send();
		assertError(r, status, code, field);
		await srv.assertUnchanged(before, [c.number]);
	}
});

test('unknown issue -> 404 on GET, PATCH and history', async () => {
	const before = await srv.snapshot();
	assertError(await admin.get('/api/v1/issues/987654'), 404, 'not_found');
	assertError(await admin.patch('/api/v1/issues/987654', { title: 'x' }, { headers: { 'If-Match': '"1"' } }), 404, 'not_found');
	assertError(await admin.get('/api/v1/issues/987654/history'), 404, 'not_found');
	await srv.assertUnchanged(before);
});

/* ---- sizes ---- */

test('sizes accept letters (any case) and numbers, as strings or numbers, in both fields', async () => {
	const c = await srv.createIssue({ title: 'sizes', pm_size: 'xl' });
	assert.equal(c.pm_size, 8);
	assert.equal(c.size, null);
	assert.equal(c.effective_size, 8, 'effective_size falls back to pm_size');
	assert.equal(c.size_letter, 'XL');

	let p = await srv.patchIssue(c.number, { size: 13 });
	assertStatus(p, 200);
	assert.equal(p.json.size, 13);
	assert.equal(p.json.pm_size, 8);
	assert.equal(p.json.effective_size, 13, 'effective_size is size when set');
	assert.equal(p.json.size_letter, 'XXL');

	p = await srv.patchIssue(c.number, { size: '2', pm_size: 'XS' });
	assertStatus(p, 200);
	assert.equal(p.json.size, 2);
	assert.equal(p.json.pm_size, 1);
	assert.equal(p.json.effective_size, 2);

	p = await srv.patchIssue(c.number, { size: null });
	assertStatus(p, 200);
	assert.equal(p.json.size, null);
	assert.equal(p.json.effective_size, 1);
	assert.equal(p.json.size_letter, 'XS');

	p = await srv.patchIssue(c.number, { pm_size: null });
	assertStatus(p, 200);
	assert.equal(p.json.pm_size, null);
	assert.equal(p.json.effective_size, null);

	const all = [['XS', 1], ['s', 2], ['M', 3], ['l', 5], ['Xl', 8], ['XXL', 13], [1, 1], [2, 2], [3, 3], [5, 5], [8, 8], [13, 13], ['5', 5]];
	for (const [given, points] of all) {
		const i = await srv.createIssue({ title: `size ${given}`, size: given, pm_size: given });
		assert.equal(i.size, points, `size ${JSON.stringify(given)}`);
		assert.equal(i.pm_size, points, `pm_size ${JSON.stringify(given)}`);
		const g = await getIssue(i.number);
		assert.equal(g.json.size, points);
	}
});

/* ---- labels ---- */

test('labels are set, replaced and normalized (sorted, unique); label: finds them', async () => {
	const a = uniq('lab');
	const b = uniq('lab');
	const cust = `Customer Request ${uniq('x')}`;
	const c = await srv.createIssue({ title: 'labelled', labels: [b, a, b] });
	assert.deepEqual(c.labels, [a, b].sort());
	assert.deepEqual((await getIssue(c.number)).json.labels, [a, b].sort());

	let found = await srv.listAll(`label:${a}`);
	assert.deepEqual(found.items.map((i) => i.number), [c.number]);
	assert.equal(found.total, 1);

	const p = await srv.patchIssue(c.number, { labels: [cust, 'area:api', cust] });
	assertStatus(p, 200);
	assert.deepEqual(p.json.labels, [cust, 'area:api'].sort());

	found = await srv.listAll(`label:${a}`);
	assert.equal(found.total, 0, 'the replaced label no longer matches');
	found = await srv.listAll(`label:"${cust}"`);
	assert.deepEqual(found.items.map((i) => i.number), [c.number]);
	assert.equal(found.total, 1);

	const p2 = await srv.patchIssue(c.number, { labels: [] });
	assertStatus(p2, 200);
	assert.deepEqual(p2.json.labels, []);
	assert.equal((await srv.listAll(`label:"${cust}"`)).total, 0);
});

/* ---- close / reopen ---- */

test('closing sets closed_at; reopening clears it', async () => {
	const c = await srv.createIssue({ title: 'to close' });
	assert.equal(c.closed_at, null);
	let p = await srv.patchIssue(c.number, { state: 'closed' });
	assertStatus(p, 200);
	assert.equal(p.json.state, 'closed');
	assert.match(p.json.closed_at ?? '', ISO_RE);
	assert.equal((await getIssue(c.number)).json.closed_at, p.json.closed_at);
	p = await srv.patchIssue(c.number, { state: 'open' });
	assertStatus(p, 200);
	assert.equal(p.json.state, 'open');
	assert.equal(p.json.closed_at, null);
});

/* ---- assignee / parent ---- */

test('assignee and parent can be set and cleared', async () => {
	const epic = await srv.createIssue({ title: 'epic', type: 'epic' });
	const c = await srv.createIssue({ title: 'child', parent: epic.number, assignee: 'eng1' });
	assert.equal(c.parent, epic.number);
	assert.equal(c.assignee, 'eng1');
	const p = await srv.patchIssue(c.number, { parent: null, assignee: null });
	assertStatus(p, 200);
	assert.equal(p.json.parent, null);
	assert.equal(p.json.assignee, null);
});

/* ---- hostile text is data ---- */

test('SQL-looking titles and queries are stored and searched literally', async () => {
	const evil = "'; DROP TABLE issues; --";
	const c = await srv.createIssue({ title: evil, body: "Robert'); DROP TABLE users;--" });
	assert.equal(c.title, evil);
	const g = await getIssue(c.number);
	assert.equal(g.json.title, evil);
	assert.equal(g.json.body, "Robert'); DROP TABLE users;--");

	const r = await admin.get('/api/v1/issues', { query: { q: evil } });
	assertStatus(r, 200);
	assert.deepEqual(r.json.items.map((i) => i.number), [c.number], show(r));
	assert.equal(r.json.total, 1);

	// Everything is still there.
	const all = await srv.listAll();
	assert.ok(all.total > 1);
	assertStatus(await srv.as('pm1').get('/api/v1/issues'), 200);
});

test('LIKE wildcards in a search are literal: "50%" and "a_b"', async () => {
	const pct = await srv.createIssue({ title: 'Take 50% off' });
	await srv.createIssue({ title: 'Ship 500 items' });
	const us = await srv.createIssue({ title: 'Rename a_b config' });
	await srv.createIssue({ title: 'Rename axb config' });
	let r = await srv.listAll('50%');
	assert.deepEqual(r.items.map((i) => i.number), [pct.number]);
	r = await srv.listAll('a_b');
	assert.deepEqual(r.items.map((i) => i.number), [us.number]);
});

test('HTML in titles is returned as-is in JSON; body_html is safe', async () => {
	const html = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quotes"';
	const c = await srv.createIssue({ title: html, body: '<script>alert(3)</script>\n\n[click](javascript:alert(4)) **ok**' });
	assert.equal(c.title, html);
	const g = await getIssue(c.number);
	assert.equal(g.json.title, html);
	assert.match(g.headers.get('content-type') || '', /^application\/json/);
	assert.ok(!/<script/i.test(g.json.body_html), `body_html must not carry <script>: ${g.json.body_html}`);
	assert.ok(!/javascript:/i.test(g.json.body_html), `body_html must not carry javascript: URLs: ${g.json.body_html}`);
	assert.match(g.json.body_html, /<strong>ok<\/strong>/);
	const list = await srv.listAll();
	assert.equal(list.items.find((i) => i.number === c.number).title, html);
});

test('unicode titles round-trip', async () => {
	const t = `Übersicht 日本語 emoji 🚀 ${uniq('w')}`;
	const c = await srv.createIssue({ title: t });
	assert.equal((await getIssue(c.number)).json.title, t);
	const r = await srv.listAll('日本語 🚀');
	assert.ok(r.items.some((i) => i.number === c.number), `search finds a unicode title: ${JSON.stringify(r)}`);
});

test('free-word search is case-insensitive beyond ASCII (übersicht finds Übersicht)', async () => {
	const w = uniq('w');
	const c = await srv.createIssue({ title: `Übersicht ÄRGER ${w}` });
	const r = await srv.listAll(`übersicht ärger ${w}`);
	assert.deepEqual(r.items.map((i) => i.number), [c.number], `found: ${JSON.stringify(r.items.map((i) => i.title))}`);
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
