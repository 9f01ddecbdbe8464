/*
 * changelog.test.mjs — issue #11 over real HTTP (docs/API.md "Releases:
 * changelog entries, release notes, the public changelog"): entries with
 * their defaults and validation, ETag / If-Match, every state transition
 * (allowed and refused, with the entry and its history unchanged after a
 * refusal), review comments, privacy of linked security issues, the
 * sanitized markdown body, the front-matter export byte for byte, the
 * import (round trip, bad files by name and line, re-import skipped),
 * drafts and the checklist of a milestone, release notes (JSON and
 * markdown) and closing the loop (who to tell, told, the customer page).
 *
 * One server for the file; tests run in order but each makes its own
 * entries (titles are unique per file, so slugs do not clash by accident).
 * Times: the server's clock is the tests' clock (tests/lib/clock.mjs);
 * nothing here assumes two writes fall in different seconds.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { DEFAULT_USERS, ISO_RE, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

/* pm2: a second PM, to publish what pm1 wrote. */
const srv = await startServer({ users: { ...DEFAULT_USERS, pm2: 'pm' } });
after(() => srv.kill());

const CL = '/api/v1/changelog';
const as = (login) => srv.as(login);
const V_CRIT = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8 critical
const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/* ---------- helpers ---------- */

/* An ISO time the server wrote "now": equal to the tests' clock (a little
 * slack when the clock runs, i.e. without CAIRN_NOW). */
function assertNow(iso, what) {
	assert.match(String(iso), ISO_RE, `${what}: an ISO time, got ${iso}`);
	const slack = process.env.CAIRN_NOW ? 1000 : 300000;
	assert.ok(Math.abs(Date.parse(iso) - nowMs()) < slack, `${what}: ${iso} is not now (${new Date(nowMs()).toISOString()})`);
}

async function create(body, login = 'pm1') {
	const r = await as(login).post(CL, body);
	assertStatus(r, 201);
	return r.json;
}

async function read(id, login = 'admin') {
	const r = await as(login).get(`${CL}/${id}`);
	assertStatus(r, 200);
	return r.json;
}

async function history(id, login = 'admin') {
	const r = await as(login).get(`${CL}/${id}/history`);
	assertStatus(r, 200);
	assert.ok(Array.isArray(r.json?.items), `history items: ${show(r)}`);
	return r.json.items;
}

async function comments(id, login = 'admin') {
	const r = await as(login).get(`${CL}/${id}/comments`);
	assertStatus(r, 200);
	return r.json.items;
}

/* Every entry the admin can list (all pages). */
async function allEntries(query = {}) {
	const items = [];
	let total = null;
	for (let page = 1; page < 100; page++) {
		const r = await as('admin').get(CL, { query: { ...query, per_page: '100', page: String(page) } });
		assertStatus(r, 200);
		total = r.json.total;
		items.push(...r.json.items);
		if (r.json.items.length === 0 || items.length >= total)
			break;
	}
	return { total, ids: items.map((e) => e.id).sort((a, b) => a - b) };
}

/* What a refused request could have changed about an entry: the entry with
 * its ETag, its history and its comments, and the list of entries. */
async function observe(id) {
	const g = await as('admin').get(`${CL}/${id}`);
	const h = await as('admin').get(`${CL}/${id}/history`);
	const c = await as('admin').get(`${CL}/${id}/comments`);
	return { status: g.status, etag: g.headers.get('etag'), entry: g.json, history: h.json, comments: c.json,
		list: await allEntries() };
}

/* Run a request that must be refused with status/code(/field) and leave
 * the entry exactly as it was. */
async function refused(id, why, fn, status, code, field) {
	const before = await observe(id);
	const r = await fn();
	assertError(r, status, code, field);
	assert.deepStrictEqual(await observe(id), before, `${why}: a refused request must change nothing`);
	return r;
}

const move = (id, state, login, opts) => as(login).post(`${CL}/${id}/state`, { state }, opts);

async function moveOk(id, state, login) {
	const r = await move(id, state, login);
	assertStatus(r, 200);
	assert.equal(r.json.state, state, show(r));
	return r.json;
}

/* draft -> in_review -> approved -> published. */
async function publish(id, { author = 'pm1', reviewer = 'eng2', publisher = 'pm1' } = {}) {
	await moveOk(id, 'in_review', author);
	await moveOk(id, 'approved', reviewer);
	const r = await move(id, 'published', publisher);
	assertStatus(r, 200);
	assert.equal(r.json.state, 'published', show(r));
	return r;
}

async function issue(fields, login = 'admin') {
	return srv.createIssue({ title: uniq('cl issue '), ...fields }, login);
}

async function patchIssue(n, fields, login = 'admin') {
	const r = await srv.patchIssue(n, fields, login);
	assertStatus(r, 200);
	return r.json;
}

const close = (n) => patchIssue(n, { state: 'closed' });

async function milestone(title) {
	const today = todayYmd();
	const r = await as('pm1').post('/api/v1/milestones', { title, start: addDays(today, -7), due: addDays(today, 7), capacity: 40 });
	assertStatus(r, 201);
	return r.json;
}

/* State moves recorded in a history: [actor, old, new]. */
const stateMoves = (items) => items.filter((h) => h.field === 'state').map((h) => [h.actor, h.old, h.new]);

/* ---------- create ---------- */

test('create: 201 + Location, defaults (authors = caller, tags [changelog], draft), slug from the title; GET with ETag', async () => {
	const u = uniq('x');
	const r = await as('pm1').post(CL, { title: `${u} Export to CSV`, description: 'Download any list as CSV.', body: 'It *works*.' });
	assertStatus(r, 201);
	const e = r.json;
	assert.equal(typeof e.id, 'number', show(r));
	assert.equal(r.headers.get('location'), `${CL}/${e.id}`);
	assert.equal(e.title, `${u} Export to CSV`);
	assert.equal(e.description, 'Download any list as CSV.');
	assert.equal(e.body, 'It *works*.');
	assert.match(e.body_html, /<em>works<\/em>/);
	assert.equal(e.slug, `${u}-export-to-csv`);
	assert.deepEqual(e.authors, ['pm1'], 'authors default to the caller');
	assert.deepEqual(e.tags, ['changelog'], 'tags default to changelog');
	assert.deepEqual(e.issues, []);
	assert.equal(e.milestone, null);
	assert.equal(e.state, 'draft');
	assert.equal(e.created_by, 'pm1');
	assert.equal(e.published_at, null);
	assert.equal(e.approved_by, null);
	assert.equal(e.open_comments, 0);
	assert.equal(typeof e.version, 'number');
	assertNow(e.created_at, 'created_at');
	assertNow(e.updated_at, 'updated_at');
	assert.match(e.filename, new RegExp(`^\\d{4}-\\d{2}-\\d{2}-${e.slug}\\.md$`));

	const g = await as('viewer1').get(`${CL}/${e.id}`);
	assertStatus(g, 200);
	assert.deepEqual(g.json, e, 'GET (as a viewer: viewers read) returns what the create returned');
	assert.equal(g.headers.get('etag'), `"${e.version}"`);
	assertError(await as('admin').get(`${CL}/999999`), 404, 'not_found');

	// the same title twice more: -2, -3
	const e2 = await create({ title: `${u} Export to CSV` }, 'eng1');
	const e3 = await create({ title: `${u} Export to CSV` }, 'em1');
	assert.equal(e2.slug, `${u}-export-to-csv-2`);
	assert.equal(e3.slug, `${u}-export-to-csv-3`);
	assert.deepEqual(e2.authors, ['eng1']);
	assert.equal(e3.created_by, 'em1');

	const l = await as('viewer1').get(CL, { query: { per_page: '100' } });
	assertStatus(l, 200);
	for (const k of ['items', 'total', 'page', 'per_page'])
		assert.ok(Object.hasOwn(l.json, k), `list has ${k}: ${show(l)}`);
	for (const x of [e, e2, e3])
		assert.ok(l.json.items.some((i) => i.id === x.id), `entry ${x.id} is listed`);
});

test('create: issues (#N, N, GitHub URL), authors, tags, milestone and date as given', async () => {
	const a = await issue({ type: 'feature' });
	const b = await issue({ type: 'bug' });
	await close(b.number);
	const m = await milestone(uniq('rel '));
	const url = 'https://github.com/acme/cairn/issues/185';
	const e = await create({
		title: uniq('Given fields '), description: 'd', body: 'b', date: '2026-11-30T09:15:00Z',
		authors: ['pm1', 'eng1'], tags: ['changelog', 'api'], issues: [`#${a.number}`, b.number, url], milestone: m.id,
	});
	assert.deepEqual(e.authors, ['pm1', 'eng1']);
	assert.deepEqual(e.tags, ['changelog', 'api']);
	assert.equal(e.date, '2026-11-30T09:15:00Z');
	assert.equal(e.filename, `2026-11-30-${e.slug}.md`);
	assert.deepEqual(e.milestone, { id: m.id, title: m.title });
	assert.equal(e.issues.length, 3, JSON.stringify(e.issues));
	const pick = (i) => ({ ref: i.ref, number: i.number, title: i.title, state: i.state, url: i.url });
	assert.deepEqual(pick(e.issues[0]), { ref: `#${a.number}`, number: a.number, title: a.title, state: 'open', url: undefined });
	assert.deepEqual(pick(e.issues[1]), { ref: `#${b.number}`, number: b.number, title: b.title, state: 'closed', url: undefined });
	assert.deepEqual(e.issues[2], { ref: url, url }, 'an external issue is its URL');
	assert.deepEqual(await read(e.id, 'eng2'), e);
});

test('create: 422 naming the field, 400 on malformed JSON, 403 for a viewer; nothing is created', async () => {
	const before = await allEntries();
	const ok = { title: 'Valid title', description: 'x' };
	const bad = [
		[{ ...ok, title: '' }, 'title', 'empty title'],
		[{ ...ok, title: undefined }, 'title', 'missing title'],
		[{ ...ok, title: 'a'.repeat(201) }, 'title', 'title over 200'],
		[{ ...ok, title: 42 }, 'title', 'title not a string'],
		[{ ...ok, description: 5 }, 'description', 'description not a string'],
		[{ ...ok, body: ['x'] }, 'body', 'body not a string'],
		[{ ...ok, authors: ['nobody-here'] }, 'authors', 'unknown author login'],
		[{ ...ok, authors: ['pm1', 'ghost'] }, 'authors', 'one unknown author login'],
		[{ ...ok, authors: 'pm1' }, 'authors', 'authors not a list'],
		[{ ...ok, authors: [7] }, 'authors', 'author not a string'],
		[{ ...ok, tags: 'changelog' }, 'tags', 'tags not a list'],
		[{ ...ok, tags: [1] }, 'tags', 'tag not a string'],
		[{ ...ok, issues: [999999] }, 'issues', 'unknown issue number'],
		[{ ...ok, issues: ['#999999'] }, 'issues', 'unknown #N'],
		[{ ...ok, issues: ['not a ref'] }, 'issues', 'neither #N nor a URL'],
		[{ ...ok, issues: ['javascript:alert(1)'] }, 'issues', 'not an http(s) URL'],
		[{ ...ok, issues: '#1' }, 'issues', 'issues not a list'],
		[{ ...ok, issues: [{}] }, 'issues', 'an object in issues'],
		[{ ...ok, milestone: 999999 }, 'milestone', 'unknown milestone'],
		[{ ...ok, milestone: 'abc' }, 'milestone', 'milestone not an id'],
		[{ ...ok, date: 'yesterday' }, 'date', 'not a date'],
		[{ ...ok, date: 20261130 }, 'date', 'date a number'],
	];
	for (const [body, field, why] of bad) {
		const r = await as('pm1').post(CL, body);
		assert.equal(r.status, 422, `${why}: ${show(r)}`);
		assertError(r, 422, 'invalid_field', field);
	}
	assertError(await as('pm1').post(CL, undefined, { raw: '{"title":' }), 400, 'malformed');
	assertError(await srv.api('POST', CL, { token: srv.tokens.pm1, raw: '[1,2]' }), 400, 'malformed');
	assertError(await srv.api('POST', CL, { token: srv.tokens.pm1, raw: '{"title":"x"' }), 400, 'malformed');
	assertError(await as('viewer1').post(CL, ok), 403, 'forbidden');
	assertError(await srv.api('POST', CL, { body: ok }), 401, 'unauthorized');
	assertError(await srv.api('GET', CL), 401, 'unauthorized');
	assert.deepStrictEqual(await allEntries(), before, 'no entry was created by a refused request');
});

test('list: newest first (date, then id), filtered by state and milestone, paged; bad parameters 422', async () => {
	const m = await milestone(uniq('list '));
	const d = (n) => `${addDays(todayYmd(), -n)}T10:00:00Z`;
	const oldest = await create({ title: uniq('L oldest '), date: d(3), milestone: m.id });
	const first = await create({ title: uniq('L newest a '), date: d(1), milestone: m.id });
	const middle = await create({ title: uniq('L middle '), date: d(2), milestone: m.id });
	const second = await create({ title: uniq('L newest b '), date: d(1), milestone: m.id });
	await moveOk(middle.id, 'in_review', 'pm1');
	const l = await as('eng1').get(CL, { query: { milestone: String(m.id) } });
	assertStatus(l, 200);
	assert.deepEqual(l.json.items.map((e) => e.id), [second.id, first.id, middle.id, oldest.id],
		'newest date first; the same date: the later id first');
	assert.equal(l.json.total, 4);
	const p2 = await as('eng1').get(CL, { query: { milestone: String(m.id), per_page: '2', page: '2' } });
	assertStatus(p2, 200);
	assert.deepEqual(p2.json.items.map((e) => e.id), [middle.id, oldest.id]);
	assert.equal(p2.json.total, 4);
	assert.equal(p2.json.page, 2);
	assert.equal(p2.json.per_page, 2);
	const rev = await as('eng1').get(CL, { query: { milestone: String(m.id), state: 'in_review' } });
	assert.deepEqual(rev.json.items.map((e) => e.id), [middle.id]);
	const drafts = await as('eng1').get(CL, { query: { state: 'draft' } });
	assert.ok(drafts.json.items.every((e) => e.state === 'draft'), show(drafts));
	assertError(await as('eng1').get(CL, { query: { state: 'shipped' } }), 422, 'invalid_field', 'state');
	assertError(await as('eng1').get(CL, { query: { per_page: '0' } }), 422, 'invalid_field', 'per_page');
	assertError(await as('eng1').get(CL, { query: { page: 'x' } }), 422, 'invalid_field', 'page');
	assertError(await as('eng1').get(CL, { query: { milestone: 'abc' } }), 422, 'invalid_field', 'milestone');
});

/* ---------- edit ---------- */

test('PATCH: If-Match optional, 412 when stale, 200 when current; validation; the edit is in the history', async () => {
	const e = await create({ title: uniq('Etag entry '), description: 'first' });
	const g = await as('admin').get(`${CL}/${e.id}`);
	const etag = g.headers.get('etag');
	assert.equal(etag, `"${e.version}"`);

	const p = await as('eng1').patch(`${CL}/${e.id}`, { description: 'second' }, { headers: { 'If-Match': etag } });
	assertStatus(p, 200);
	assert.equal(p.json.description, 'second');
	assert.ok(p.json.version > e.version, 'the version moves on an edit');
	assert.equal(p.headers.get('etag'), `"${p.json.version}"`);
	assert.equal(p.json.state, 'draft');

	await refused(e.id, 'stale If-Match', () => as('pm1').patch(`${CL}/${e.id}`, { description: 'third' }, { headers: { 'If-Match': etag } }),
		412, 'stale_version');
	for (const [body, field] of [[{ title: '' }, 'title'], [{ authors: ['ghost'] }, 'authors'], [{ issues: [999999] }, 'issues'],
		[{ milestone: 999999 }, 'milestone'], [{ tags: 'x' }, 'tags'], [{ date: 'soon' }, 'date']])
		await refused(e.id, `PATCH ${JSON.stringify(body)}`, () => as('pm1').patch(`${CL}/${e.id}`, body), 422, 'invalid_field', field);
	await refused(e.id, 'malformed body', () => as('pm1').call('PATCH', `${CL}/${e.id}`, { raw: '{"title":' }), 400, 'malformed');
	await refused(e.id, 'viewer edit', () => as('viewer1').patch(`${CL}/${e.id}`, { description: 'v' }), 403, 'forbidden');
	assertError(await as('pm1').patch(`${CL}/999999`, { description: 'x' }), 404, 'not_found');

	const q = await as('pm1').patch(`${CL}/${e.id}`, { description: 'third', authors: ['pm1', 'em1'] }, { headers: { 'If-Match': p.headers.get('etag') } });
	assertStatus(q, 200);
	assert.deepEqual(q.json.authors, ['pm1', 'em1']);
	const none = await as('pm1').patch(`${CL}/${e.id}`, { description: 'fourth' });
	assertStatus(none, 200);
	assert.equal(none.json.description, 'fourth', 'If-Match is optional');

	const h = await history(e.id);
	const desc = h.filter((x) => x.field === 'description').map((x) => [x.actor, x.old, x.new]);
	assert.deepEqual(desc, [['eng1', 'first', 'second'], ['pm1', 'second', 'third'], ['pm1', 'third', 'fourth']], JSON.stringify(h));
	for (const x of h)
		assert.match(x.at, ISO_RE, JSON.stringify(x));
	assert.ok(h.some((x) => x.field === 'authors' && x.actor === 'pm1'), `the authors edit is recorded: ${JSON.stringify(h)}`);
});

/* ---------- states ---------- */

test('the state, approval and publication cannot be set through create or PATCH', async () => {
	const r = await as('eng1').post(CL, { title: uniq('Smuggled '), state: 'published', approved_by: 'eng2', published_at: '2026-12-01T00:00:00Z' });
	if (r.status === 201) {
		assert.equal(r.json.state, 'draft', `read-only fields are ignored on create: ${show(r)}`);
		assert.equal(r.json.approved_by, null);
		assert.equal(r.json.published_at, null);
	} else {
		assertError(r, 422, 'invalid_field');
	}
	const e = await create({ title: uniq('Not via PATCH ') }, 'eng1');
	for (const body of [{ state: 'published' }, { state: 'approved' }, { approved_by: 'eng2' }, { published_at: '2026-12-01T00:00:00Z' },
		{ created_by: 'pm1' }, { version: 99 }]) {
		const before = await observe(e.id);
		const p = await as('eng1').patch(`${CL}/${e.id}`, body);
		assert.ok(p.status === 200 || p.status === 422, `PATCH ${JSON.stringify(body)}: ${show(p)}`);
		const after = await read(e.id);
		assert.equal(after.state, 'draft', `PATCH ${JSON.stringify(body)} does not move the state`);
		assert.equal(after.approved_by, null);
		assert.equal(after.published_at, null);
		assert.equal(after.created_by, 'eng1');
		if (p.status === 422)
			assert.deepStrictEqual(await observe(e.id), before, 'a refused PATCH changes nothing');
	}
	const h = await history(e.id);
	assert.deepEqual(stateMoves(h), [], 'no state move recorded');
});

test('state transitions: each allowed move, each refused one with the entry and history unchanged', async () => {
	const e = await create({ title: uniq('Workflow entry '), description: 'all the moves' }); // author pm1
	const id = e.id;
	await refused(id, 'viewer -> in_review', () => move(id, 'in_review', 'viewer1'), 403, 'forbidden');
	await refused(id, 'draft -> approved', () => move(id, 'approved', 'eng2'), 409, 'conflict');
	await refused(id, 'draft -> published', () => move(id, 'published', 'pm2'), 409, 'conflict');
	await refused(id, 'draft -> published (admin)', () => move(id, 'published', 'admin'), 409, 'conflict');
	await refused(id, 'unknown state', () => move(id, 'shipped', 'pm1'), 422, 'invalid_field', 'state');
	await refused(id, 'state not a string', () => move(id, 3, 'pm1'), 422, 'invalid_field', 'state');
	assertError(await move(999999, 'in_review', 'pm1'), 404, 'not_found');

	// any non-viewer moves between draft and in_review
	let x = await moveOk(id, 'in_review', 'eng1');
	x = await moveOk(id, 'draft', 'pm1');
	await refused(id, 'stale If-Match on a transition', () => move(id, 'in_review', 'pm1', { headers: { 'If-Match': `"${e.version}"` } }),
		412, 'stale_version');
	const cur = await as('admin').get(`${CL}/${id}`);
	const r = await move(id, 'in_review', 'pm1', { headers: { 'If-Match': cur.headers.get('etag') } });
	assertStatus(r, 200);
	assert.equal(r.json.state, 'in_review');

	await refused(id, 'publishing an unapproved entry', () => move(id, 'published', 'pm2'), 409, 'conflict');
	const own = await refused(id, 'the author approving', () => move(id, 'approved', 'pm1'), 403, 'forbidden');
	assert.match(own.json.error.message, /reviewer must not be an author/i, 'the refusal names the rule');
	await refused(id, 'viewer approving', () => move(id, 'approved', 'viewer1'), 403, 'forbidden');

	x = await moveOk(id, 'approved', 'eng2');
	assert.equal(x.approved_by, 'eng2');
	assert.equal(x.published_at, null);
	for (const login of ['eng1', 'eng2', 'em1', 'cto1', 'viewer1'])
		await refused(id, `${login} publishing`, () => move(id, 'published', login), 403, 'forbidden');

	const p = await move(id, 'published', 'pm2');
	assertStatus(p, 200);
	assert.equal(p.json.state, 'published');
	assert.ok(Object.hasOwn(p.json, 'tell'), `publishing answers with who to tell: ${show(p)}`);
	assertNow(p.json.published_at, 'published_at');
	assertNow(p.json.date, 'date (none given: the time it is published)');
	assert.equal(p.json.approved_by, 'eng2');
	await refused(id, 'published -> draft', () => move(id, 'draft', 'pm1'), 409, 'conflict');
	await refused(id, 'published -> in_review', () => move(id, 'in_review', 'admin'), 409, 'conflict');
	await refused(id, 'published -> approved', () => move(id, 'approved', 'eng2'), 409, 'conflict');

	const h = await history(id);
	assert.deepEqual(stateMoves(h), [
		['eng1', 'draft', 'in_review'],
		['pm1', 'in_review', 'draft'],
		['pm1', 'draft', 'in_review'],
		['eng2', 'in_review', 'approved'],
		['pm2', 'approved', 'published'],
	], JSON.stringify(h));
	assert.deepEqual((await read(id)).state, 'published');
});

test('approval: a co-author may not approve, anyone else may; a PM approves and an admin publishes', async () => {
	const e = await create({ title: uniq('Co-authored '), authors: ['pm1', 'eng1'] }, 'pm1');
	await moveOk(e.id, 'in_review', 'pm1');
	for (const login of ['eng1', 'pm1'])
		await refused(e.id, `author ${login} approving`, () => move(e.id, 'approved', login), 403, 'forbidden');
	const a = await moveOk(e.id, 'approved', 'pm2');
	assert.equal(a.approved_by, 'pm2');
	await moveOk(e.id, 'published', 'admin');

	// an admin who is an author is held to the rule as well
	const f = await create({ title: uniq('Admin wrote '), authors: ['admin'] }, 'admin');
	await moveOk(f.id, 'in_review', 'admin');
	await refused(f.id, 'admin author approving', () => move(f.id, 'approved', 'admin'), 403, 'forbidden');
	await moveOk(f.id, 'approved', 'em1');
});

test('a reviewer added as an author during the review may no longer approve', async () => {
	const e = await create({ title: uniq('Late co-author ') });
	await moveOk(e.id, 'in_review', 'pm1');
	const p = await as('pm1').patch(`${CL}/${e.id}`, { authors: ['pm1', 'eng2'] });
	assertStatus(p, 200);
	assert.deepEqual(p.json.authors, ['pm1', 'eng2']);
	const cur = await read(e.id);
	assert.equal(cur.state, p.json.state);
	if (cur.state !== 'in_review')
		await moveOk(e.id, 'in_review', 'pm1');
	await refused(e.id, 'a new co-author approving', () => move(e.id, 'approved', 'eng2'), 403, 'forbidden');
	await moveOk(e.id, 'approved', 'eng1');
});

test('races: parallel creates of one title get distinct slugs; parallel publishes and approvals have one winner each', async () => {
	const title = uniq('Same title ');
	const rs = await Promise.all(['pm1', 'pm2', 'eng1', 'eng2', 'em1', 'cto1', 'admin', 'pm1'].map((l) => as(l).post(CL, { title })));
	for (const r of rs)
		assertStatus(r, 201);
	const slugs = rs.map((r) => r.json.slug);
	const base = slugs.find((x) => !/-\d+$/.test(x));
	assert.ok(base, `one keeps the plain slug: ${slugs}`);
	assert.deepEqual([...slugs].sort(), [base, ...[2, 3, 4, 5, 6, 7, 8].map((k) => `${base}-${k}`)].sort(), 'distinct slugs -2 … -8');

	// without If-Match there is no precondition: the losers of a race are refused by the state rule (409)
	const wrong = [];
	for (let round = 0; round < 4; round++) {
		const e = await create({ title: uniq('Race ') });
		await moveOk(e.id, 'in_review', 'pm1');
		const ap = await Promise.all(['eng1', 'eng2', 'em1'].map((l) => move(e.id, 'approved', l)));
		if (JSON.stringify(ap.map((r) => r.status).sort()) !== '[200,409,409]')
			wrong.push(`round ${round}, approvals: ${ap.map(show).join('\n  ')}`);
		const pub = await Promise.all(['pm2', 'admin', 'pm2', 'admin'].map((l) => move(e.id, 'published', l)));
		if (JSON.stringify(pub.map((r) => r.status).sort()) !== '[200,409,409,409]')
			wrong.push(`round ${round}, publishes: ${pub.map(show).join('\n  ')}`);
		const moves = stateMoves(await history(e.id));
		assert.equal(moves.filter((m) => m[2] === 'approved').length, 1, `one approval recorded: ${JSON.stringify(moves)}`);
		assert.equal(moves.filter((m) => m[2] === 'published').length, 1, `one publish recorded: ${JSON.stringify(moves)}`);
		assert.equal((await read(e.id)).state, 'published');
	}
	assert.deepEqual(wrong, [], 'one winner; the others 409');
});

test('parallel edits without If-Match all apply (no precondition, no 412)', async () => {
	const wrong = [];
	for (let round = 0; round < 5; round++) {
		const e = await create({ title: uniq('Busy entry '), description: 'd0', body: 'b0' });
		const rs = await Promise.all([
			as('pm1').patch(`${CL}/${e.id}`, { description: 'd1' }),
			as('eng1').patch(`${CL}/${e.id}`, { body: 'b1' }),
			as('em1').patch(`${CL}/${e.id}`, { tags: ['changelog', 'ui'] }),
			as('eng2').post(`${CL}/${e.id}/comments`, { body: 'meanwhile' }),
		]);
		if (JSON.stringify(rs.map((r) => r.status)) !== '[200,200,200,201]') {
			wrong.push(`round ${round}: ${rs.filter((r) => r.status >= 300).map(show).join('\n  ')}`);
			continue;
		}
		const g = await read(e.id);
		assert.deepEqual([g.description, g.body, g.tags], ['d1', 'b1', ['changelog', 'ui']], 'every edit is kept');
	}
	assert.deepEqual(wrong, [], 'edits without If-Match are not refused for racing each other');
});

test('editing an approved entry sends it back to draft; the slug is free until published, fixed after; a published entry is edited by PMs and admins only', async () => {
	const u = uniq('s');
	const e = await create({ title: `${u} Slug story`, body: 'v1' });
	const taken = await create({ title: uniq('Slug holder ') });
	await moveOk(e.id, 'in_review', 'pm1');
	await moveOk(e.id, 'approved', 'eng2');
	const edited = await as('eng1').patch(`${CL}/${e.id}`, { body: 'v2 with other words' });
	assertStatus(edited, 200);
	assert.equal(edited.json.state, 'draft', 'the approval covered other words');
	assert.equal(edited.json.body, 'v2 with other words');
	const moves = stateMoves(await history(e.id));
	assert.deepEqual(moves.at(-1)?.[2], 'draft', `the return to draft is in the history: ${JSON.stringify(moves)}`);
	await refused(e.id, 'publishing after the approval was lost', () => move(e.id, 'published', 'pm1'), 409, 'conflict');

	// the slug may change while not published; unique; well-formed
	const s = await as('pm1').patch(`${CL}/${e.id}`, { slug: `${u}-custom` });
	assertStatus(s, 200);
	assert.equal(s.json.slug, `${u}-custom`);
	assert.ok(s.json.filename.endsWith(`-${u}-custom.md`), s.json.filename);
	await refused(e.id, 'a taken slug', () => as('pm1').patch(`${CL}/${e.id}`, { slug: taken.slug }), 409, 'conflict', 'slug');
	await refused(e.id, 'a malformed slug', () => as('pm1').patch(`${CL}/${e.id}`, { slug: 'Not a slug!' }), 422, 'invalid_field', 'slug');

	await publish(e.id);
	await refused(e.id, 'changing a published slug', () => as('pm1').patch(`${CL}/${e.id}`, { slug: `${u}-other` }), 409, 'conflict', 'slug');
	await refused(e.id, 'changing a published slug (admin)', () => as('admin').patch(`${CL}/${e.id}`, { slug: `${u}-other` }), 409, 'conflict', 'slug');
	for (const login of ['eng1', 'em1', 'cto1', 'viewer1'])
		await refused(e.id, `${login} editing a published entry`, () => as(login).patch(`${CL}/${e.id}`, { body: 'sneaky' }), 403, 'forbidden');
	const pe = await as('pm2').patch(`${CL}/${e.id}`, { title: `${u} Slug story, retitled`, body: 'typo fixed' });
	assertStatus(pe, 200);
	assert.equal(pe.json.state, 'published', 'a published entry stays published when a PM fixes it');
	assert.equal(pe.json.slug, `${u}-custom`, 'the slug of a published entry does not follow its title');
	assert.equal(pe.json.title, `${u} Slug story, retitled`);
	const h = await history(e.id);
	assert.ok(h.some((x) => x.field === 'title' && x.actor === 'pm2' && x.new === `${u} Slug story, retitled`), JSON.stringify(h));
	assert.ok(h.some((x) => x.field === 'slug' && x.actor === 'pm1' && x.new === `${u}-custom`), JSON.stringify(h));
});

test('delete: a draft or an entry in review (204, then 404); refused once approved or published and for viewers', async () => {
	const d = await create({ title: uniq('Delete draft ') });
	const r = await create({ title: uniq('Delete review ') });
	const a = await create({ title: uniq('Delete approved ') });
	const p = await create({ title: uniq('Delete published ') });
	await moveOk(r.id, 'in_review', 'pm1');
	await moveOk(a.id, 'in_review', 'pm1');
	await moveOk(a.id, 'approved', 'eng1');
	await publish(p.id);

	await refused(d.id, 'viewer deleting', () => as('viewer1').del(`${CL}/${d.id}`), 403, 'forbidden');
	await refused(a.id, 'deleting an approved entry', () => as('pm1').del(`${CL}/${a.id}`), 409, 'conflict');
	await refused(p.id, 'deleting a published entry', () => as('admin').del(`${CL}/${p.id}`), 409, 'conflict');
	for (const x of [d, r]) {
		const del = await as('pm1').del(`${CL}/${x.id}`);
		assertStatus(del, 204);
		assertError(await as('admin').get(`${CL}/${x.id}`), 404, 'not_found');
		assertError(await as('pm1').del(`${CL}/${x.id}`), 404, 'not_found');
		assert.ok(!(await allEntries()).ids.includes(x.id), 'gone from the list');
	}
});

/* ---------- comments ---------- */

test('review comments: threaded, resolvable (resolved_by), counted in open_comments, in the history', async () => {
	const e = await create({ title: uniq('Reviewed entry ') });
	const other = await create({ title: uniq('Other entry ') });
	await moveOk(e.id, 'in_review', 'pm1');
	const c1r = await as('eng2').post(`${CL}/${e.id}/comments`, { body: 'Say **who** asked for it. <script>alert(1)</script>' });
	assertStatus(c1r, 201);
	const c1 = c1r.json;
	assert.equal(c1.author, 'eng2');
	assert.equal(c1.parent, null);
	assert.equal(c1.resolved, false);
	assert.equal(c1.resolved_by, null);
	assert.equal(c1.resolved_at, null);
	assert.match(c1.body_html, /<strong>who<\/strong>/);
	assert.ok(!/<script/i.test(c1.body_html), `no script survives: ${c1.body_html}`);
	assertNow(c1.created_at, 'comment created_at');
	const c2r = await as('pm1').post(`${CL}/${e.id}/comments`, { body: 'Done: Acme and Globex.', parent: c1.id });
	assertStatus(c2r, 201);
	assert.equal(c2r.json.parent, c1.id);
	const c2 = c2r.json;

	await refused(e.id, 'reply to a comment of another entry', async () => {
		const oc = await as('pm1').post(`${CL}/${other.id}/comments`, { body: 'elsewhere' });
		assertStatus(oc, 201);
		return as('pm1').post(`${CL}/${e.id}/comments`, { body: 'x', parent: oc.json.id });
	}, 422, 'invalid_field', 'parent');
	await refused(e.id, 'reply to no comment', () => as('pm1').post(`${CL}/${e.id}/comments`, { body: 'x', parent: 999999 }), 422, 'invalid_field', 'parent');
	await refused(e.id, 'empty comment', () => as('pm1').post(`${CL}/${e.id}/comments`, { body: '' }), 422, 'invalid_field', 'body');
	await refused(e.id, 'viewer comment', () => as('viewer1').post(`${CL}/${e.id}/comments`, { body: 'hi' }), 403, 'forbidden');
	assertError(await as('pm1').post(`${CL}/999999/comments`, { body: 'x' }), 404, 'not_found');

	let list = await comments(e.id, 'viewer1');
	assert.deepEqual(list.map((c) => [c.id, c.parent, c.author]).sort((a, b) => a[0] - b[0]),
		[[c1.id, null, 'eng2'], [c2.id, c1.id, 'pm1']]);
	assert.equal((await read(e.id)).open_comments, 2);

	await refused(e.id, 'viewer resolving', () => as('viewer1').patch(`${CL}/${e.id}/comments/${c1.id}`, { resolved: true }), 403, 'forbidden');
	await refused(e.id, 'resolved not a boolean', () => as('eng1').patch(`${CL}/${e.id}/comments/${c1.id}`, { resolved: 'yes' }), 422, 'invalid_field', 'resolved');
	assertError(await as('eng1').patch(`${CL}/${e.id}/comments/999999`, { resolved: true }), 404, 'not_found');
	assertError(await as('eng1').patch(`${CL}/${other.id}/comments/${c1.id}`, { resolved: true }), 404, 'not_found');

	const res = await as('eng1').patch(`${CL}/${e.id}/comments/${c1.id}`, { resolved: true });
	assertStatus(res, 200);
	assert.equal(res.json.resolved, true);
	assert.equal(res.json.resolved_by, 'eng1');
	assertNow(res.json.resolved_at, 'resolved_at');
	assert.equal((await read(e.id)).open_comments, 1);
	const un = await as('pm1').patch(`${CL}/${e.id}/comments/${c1.id}`, { resolved: false });
	assertStatus(un, 200);
	assert.equal(un.json.resolved, false);
	assert.equal(un.json.resolved_by, null);
	assert.equal((await read(e.id)).open_comments, 2);
	await as('pm1').patch(`${CL}/${e.id}/comments/${c1.id}`, { resolved: true });
	await as('eng2').patch(`${CL}/${e.id}/comments/${c2.id}`, { resolved: true });
	list = await comments(e.id);
	assert.deepEqual(list.map((c) => [c.id, c.resolved, c.resolved_by]).sort((a, b) => a[0] - b[0]),
		[[c1.id, true, 'pm1'], [c2.id, true, 'eng2']]);
	assert.equal((await read(e.id)).open_comments, 0);

	const h = await history(e.id);
	const commentRows = h.filter((x) => /comment/.test(x.field));
	assert.ok(commentRows.some((x) => x.actor === 'eng2'), `eng2's comment is in the history: ${JSON.stringify(h)}`);
	assert.ok(commentRows.some((x) => x.actor === 'pm1'), `pm1's reply is in the history: ${JSON.stringify(h)}`);
});

/* ---------- privacy, rendering ---------- */

test('a private security issue linked to an entry: hidden from an engineer who is not its reporter (entry, list, export); seen by its reporter and a PM', async () => {
	const secret = uniq('Token leak in logs ');
	const sec = await issue({ type: 'security', title: secret }, 'eng1');
	const pub = await issue({ type: 'feature' });
	const before = await allEntries();
	assertError(await as('eng2').post(CL, { title: uniq('Peek '), issues: [`#${sec.number}`] }), 422, 'invalid_field', 'issues');
	assert.deepStrictEqual(await allEntries(), before, 'refused: nothing created');

	const e = await create({ title: uniq('Hardened logging '), issues: [`#${pub.number}`, `#${sec.number}`], date: '2026-12-01T08:00:00Z' });
	const refs = (x) => x.issues.map((i) => i.ref);
	assert.deepEqual(refs(await read(e.id, 'pm1')), [`#${pub.number}`, `#${sec.number}`]);
	assert.deepEqual(refs(await read(e.id, 'eng1')), [`#${pub.number}`, `#${sec.number}`], 'the reporter sees it');
	assert.equal((await read(e.id, 'pm1')).issues[1].title, secret);
	const secRe = new RegExp(`(?<![&\\d])#${sec.number}(?!\\d)`);
	for (const login of ['eng2', 'viewer1']) {
		const g = await as(login).get(`${CL}/${e.id}`);
		assertStatus(g, 200);
		assert.deepEqual(refs(g.json), [`#${pub.number}`], `${login} does not see the security issue`);
		assert.ok(!g.text.includes(secret) && !secRe.test(g.text), `${login}: no trace of it: ${g.text}`);
		const l = await as(login).get(CL, { query: { per_page: '100' } });
		const mine = l.json.items.find((i) => i.id === e.id);
		assert.ok(mine, 'listed');
		assert.deepEqual(refs(mine), [`#${pub.number}`]);
		assert.ok(!l.text.includes(secret), `${login}: not in the list`);
		const x = await as(login).get(`${CL}/${e.id}/export`);
		assertStatus(x, 200);
		assert.ok(!secRe.test(x.text) && !x.text.includes(secret), `${login}'s export leaves it out:\n${x.text}`);
		assert.ok(x.text.includes(`  - "#${pub.number}"\n`), `${login}'s export keeps the public issue:\n${x.text}`);
	}
	const px = await as('pm1').get(`${CL}/${e.id}/export`);
	assert.ok(px.text.includes(`  - "#${pub.number}"\n  - "#${sec.number}"\n`), `the PM's export has both:\n${px.text}`);

	// an edit of the issues is in the history, but not the private reference for those who may not see it
	const url = 'https://github.com/acme/cairn/issues/9';
	assertStatus(await as('pm1').patch(`${CL}/${e.id}`, { issues: [`#${pub.number}`, `#${sec.number}`, url] }), 200);
	const ph = await as('pm1').get(`${CL}/${e.id}/history`);
	assert.ok(ph.json.items.some((x) => x.field === 'issues' && x.actor === 'pm1'), `the issues edit is in the history: ${ph.text}`);
	for (const login of ['eng2', 'viewer1']) {
		const h = await as(login).get(`${CL}/${e.id}/history`);
		assertStatus(h, 200);
		assert.ok(!secRe.test(h.text) && !h.text.includes(secret), `${login}'s history of the entry leaves the private issue out: ${h.text}`);
	}

	// who to tell: a customer who asked only for the private issue is not named to an engineer
	const c = await as('admin').post('/api/v1/customers', { name: uniq('Umbrella '), tier: 'Starter', arr: 1000, seats: 2, strategic: false });
	assertStatus(c, 201);
	const ins = await as('eng1').post('/api/v1/insights', { source: 'support', customer: c.json.name, title: uniq('leaked token seen ') });
	assertStatus(ins, 201);
	assertStatus(await as('eng1').post(`/api/v1/insights/${ins.json.id}/links`, { issue: sec.number }), 200);
	const tp = await as('pm1').get(`${CL}/${e.id}/tell`);
	assertStatus(tp, 200);
	assert.ok(tp.json.customers.some((x) => x.id === c.json.id), `a PM sees who asked for the security fix: ${tp.text}`);
	const te = await as('eng2').get(`${CL}/${e.id}/tell`);
	assertStatus(te, 200);
	assert.ok(!te.json.customers.some((x) => x.id === c.json.id), `an engineer who may not see the issue is not told who asked for it: ${te.text}`);
	assert.ok(!te.text.includes(ins.json.title) && !te.text.includes(secret), te.text);
});

test('the markdown body is rendered with the issue renderer and sanitized', async () => {
	const e = await create({
		title: uniq('Rendered '),
		body: '# Heading\n\nSome **bold** and a [link](https://example.com).\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[bad](javascript:alert(3))\n\n- [x] done\n',
	});
	assert.match(e.body_html, /<h1>Heading<\/h1>/);
	assert.match(e.body_html, /<strong>bold<\/strong>/);
	assert.match(e.body_html, /<a href="https:\/\/example\.com">link<\/a>/);
	assert.ok(!/<script/i.test(e.body_html), `no <script>: ${e.body_html}`);
	assert.ok(!/onerror/i.test(e.body_html), `no event handler: ${e.body_html}`);
	assert.ok(!/javascript:/i.test(e.body_html), `no javascript: link: ${e.body_html}`);
	const p = await as('pm1').patch(`${CL}/${e.id}`, { body: 'now _em_ <script>x()</script>' });
	assertStatus(p, 200);
	assert.match(p.json.body_html, /<em>em<\/em>/);
	assert.ok(!/<script/i.test(p.json.body_html), p.json.body_html);
});

/* ---------- formats ---------- */

test('export: the handbook front matter byte for byte, text/markdown, the YYYY-MM-DD-slug.md file name', async () => {
	const n = await issue({ type: 'feature' });
	const title = 'Say "hello": Zürich café ☕ — on time';
	const e = await create({
		title,
		description: 'Quotes "inside", a colon: and a backslash \\ too',
		date: '2026-11-30T09:15:00Z',
		authors: ['pm1', 'eng1'],
		issues: ['https://github.com/acme/cairn/issues/185', `#${n.number}`],
		body: 'Now with **bold** claims.\n\n- one\n- two',
	});
	assert.match(e.slug, SLUG_RE);
	const expected =
		'---\n' +
		'title: "Say \\"hello\\": Zürich café ☕ — on time"\n' +
		'description: "Quotes \\"inside\\", a colon: and a backslash \\\\ too"\n' +
		'date: 2026-11-30 09:15:00.0\n' +
		'authors: ["pm1", "eng1"]\n' +
		'tags:\n' +
		'  - changelog\n' +
		'issues:\n' +
		'  - "https://github.com/acme/cairn/issues/185"\n' +
		`  - "#${n.number}"\n` +
		'---\n' +
		'\n' +
		'Now with **bold** claims.\n\n- one\n- two\n';
	for (const login of ['pm1', 'viewer1']) {
		const x = await as(login).get(`${CL}/${e.id}/export`);
		assertStatus(x, 200);
		assert.match(x.headers.get('content-type') || '', /^text\/markdown/);
		assert.equal(x.headers.get('content-disposition'), `attachment; filename="2026-11-30-${e.slug}.md"`);
		assert.equal(x.text, expected, `export as ${login}`);
	}
	assert.equal(e.filename, `2026-11-30-${e.slug}.md`);
	assertError(await as('pm1').get(`${CL}/999999/export`), 404, 'not_found');
});

const FILES = (n) => [
	{
		name: '2025-06-11-faster-search-instant-results.md',
		content:
			'---\n' +
			'title: "Faster search: \\"instant\\" results"\n' +
			'description: "Search answers as you type, even on a million issues."\n' +
			'date: 2025-06-11 12:00:00.0\n' +
			'authors: ["pm1", "eng1"]\n' +
			'tags:\n' +
			'  - changelog\n' +
			'issues:\n' +
			'  - "https://github.com/acme/cairn/issues/185"\n' +
			'  - "#1234"\n' +
			'---\n' +
			'\n' +
			'Search now answers **as you type**.\n' +
			'\n' +
			'It uses the same query language: `is:open type:bug`.\n',
	},
	{
		name: '2025-03-02-search-in-and-more-ready.md',
		content:
			'---\n' +
			'title: "Search in 日本語 — and more ☕: ready"\n' +
			'description: "Ünïcödé everywhere: titles, bodies, filters."\n' +
			'date: 2025-03-02 07:05:09.0\n' +
			'authors: ["em1", "eng2", "pm1"]\n' +
			'tags:\n' +
			'  - changelog\n' +
			'issues:\n' +
			`  - "#${n}"\n` +
			'  - "https://github.com/acme/cairn/issues/7"\n' +
			'---\n' +
			'\n' +
			'Café, naïve, 東京 — all searchable.\n',
	},
	{
		name: '2025-09-02-webhooks-at-last.md',
		content:
			'---\n' +
			'title: "Webhooks, at last"\n' +
			'description: "Cairn tells your other tools when an entry is published: signed, retried."\n' +
			'date: 2025-09-02 08:30:00.0\n' +
			'authors: ["em1"]\n' +
			'tags:\n' +
			'  - changelog\n' +
			'  - api\n' +
			'issues: []\n' +
			'---\n' +
			'\n' +
			'Register a hook:\n' +
			'\n' +
			'```sh\n' +
			'curl -X POST -d \'{"url": "https://example.com/hook"}\' /api/v1/hooks\n' +
			'```\n',
	},
	{
		name: '2024-02-29-it-s-a-leap-day-fix.md',
		content:
			'---\n' +
			'title: "It\'s a \\"leap\\" day fix"\n' +
			'description: ""\n' +
			'date: 2024-02-29 23:59:59.0\n' +
			'authors: ["eng1"]\n' +
			'tags:\n' +
			'  - changelog\n' +
			'issues:\n' +
			'  - "https://github.com/acme/cairn/issues/1999"\n' +
			'---\n' +
			'\n' +
			'Due dates on February 29 no longer move to March 1.\n',
	},
];

const BAD_FILES = [
	{
		name: '2025-01-03-no-front-matter.md',
		line: 1,
		content: 'Just some notes someone saved with the others.\n\n- nothing here is front matter\n',
	},
	{
		name: '2025-01-01-broken-date.md',
		line: 4,
		content:
			'---\n' +
			'title: "Broken date"\n' +
			'description: "The date is not a date"\n' +
			'date: next tuesday\n' +
			'authors: ["pm1"]\n' +
			'tags:\n' +
			'  - changelog\n' +
			'issues: []\n' +
			'---\n' +
			'\n' +
			'Body.\n',
	},
	{
		name: '2025-01-02-unterminated.md',
		line: 2,
		content:
			'---\n' +
			'title: "Unterminated\n' +
			'description: "x"\n' +
			'date: 2025-01-02 10:00:00.0\n' +
			'authors: ["pm1"]\n' +
			'tags:\n' +
			'  - changelog\n' +
			'issues: []\n' +
			'---\n',
	},
];

test('import: realistic canonical files import as published entries and export byte for byte; bad files reported by name and line; re-import skipped', async () => {
	const n = (await issue({ type: 'feature' })).number;
	const good = FILES(n);
	const files = [good[0], BAD_FILES[0], good[1], good[2], BAD_FILES[1], good[3], BAD_FILES[2]].map(({ name, content }) => ({ name, content }));

	const before = await allEntries();
	for (const login of ['eng1', 'em1', 'cto1', 'viewer1'])
		assertError(await as(login).post(`${CL}/import`, { files }), 403, 'forbidden');
	assertError(await as('pm1').post(`${CL}/import`, { files: 'nope' }), 422, 'invalid_field', 'files');
	assert.deepStrictEqual(await allEntries(), before, 'refused imports create nothing');

	const r = await as('pm1').post(`${CL}/import`, { files });
	assertStatus(r, 200);
	const byFile = Object.fromEntries(r.json.imported.map((i) => [i.file, i]));
	assert.deepEqual(Object.keys(byFile).sort(), good.map((f) => f.name).sort(), show(r));
	assert.deepEqual(r.json.skipped, []);
	assert.deepEqual(r.json.errors.map((x) => [x.file, x.line]).sort(),
		BAD_FILES.map((f) => [f.name, f.line]).sort(), `bad files reported by name and line: ${show(r)}`);
	for (const x of r.json.errors)
		assert.ok(typeof x.message === 'string' && x.message.length > 0, JSON.stringify(x));

	for (const f of good) {
		const imp = byFile[f.name];
		assert.equal(imp.slug, f.name.slice(11, -3), `slug of ${f.name}`);
		const g = await read(imp.id);
		assert.equal(g.state, 'published', `${f.name} becomes a published entry`);
		assert.equal(g.slug, imp.slug);
		assert.equal(g.filename, f.name);
		const x = await as('pm1').get(`${CL}/${imp.id}/export`);
		assertStatus(x, 200);
		assert.equal(x.headers.get('content-disposition'), `attachment; filename="${f.name}"`);
		assert.equal(x.text, f.content, `round trip of ${f.name} is byte-identical`);
	}
	const first = await read(byFile[good[0].name].id);
	assert.equal(first.date, '2025-06-11T12:00:00Z');
	assert.equal(first.title, 'Faster search: "instant" results');
	assert.deepEqual(first.authors, ['pm1', 'eng1']);
	assert.deepEqual(first.issues.map((i) => i.ref), ['https://github.com/acme/cairn/issues/185', '#1234']);
	const second = await read(byFile[good[1].name].id);
	assert.equal(second.title, 'Search in 日本語 — and more ☕: ready');
	assert.deepEqual(second.authors, ['em1', 'eng2', 'pm1']);
	assert.equal(second.issues[0].number, n);
	assert.deepEqual((await read(byFile[good[2].name].id)).tags, ['changelog', 'api']);

	// the same file again: skipped (its slug exists), nothing new
	const mid = await allEntries();
	const again = await as('admin').post(`${CL}/import`, { files: [good[0]] });
	assertStatus(again, 200);
	assert.deepEqual(again.json.imported, []);
	assert.deepEqual(again.json.errors, []);
	assert.equal(again.json.skipped.length, 1, show(again));
	assert.equal(again.json.skipped[0].file, good[0].name);
	assert.equal(again.json.skipped[0].slug, 'faster-search-instant-results');
	assert.ok(typeof again.json.skipped[0].reason === 'string' && again.json.skipped[0].reason.length > 0);
	assert.deepStrictEqual(await allEntries(), mid, 'a skipped file creates nothing');
	const x = await as('pm1').get(`${CL}/${byFile[good[0].name].id}/export`);
	assert.equal(x.text, good[0].content, 'the existing entry is untouched');

	// two files with one slug in one request: the first is imported, the second skipped
	const twin = (body) => ({ name: '2025-10-01-twice-in-one-go.md', content:
		'---\ntitle: "Twice in one go"\ndescription: ""\ndate: 2025-10-01 10:00:00.0\nauthors: ["pm1"]\ntags:\n  - changelog\nissues: []\n---\n\n' + body + '\n' });
	const both = await as('pm1').post(`${CL}/import`, { files: [twin('First.'), twin('Second.')] });
	assertStatus(both, 200);
	assert.equal(both.json.imported.length, 1, show(both));
	assert.equal(both.json.skipped.length, 1, show(both));
	const tx = await as('pm1').get(`${CL}/${both.json.imported[0].id}/export`);
	assert.ok(tx.text.endsWith('\n\nFirst.\n'), tx.text);
});

/* ---------- milestones ---------- */

test('milestone drafts: one per closed headline issue without an entry, pre-filled; idempotent; the checklist follows the entries', async () => {
	const m = await milestone(uniq('Drafts '));
	const h1 = await issue({ title: uniq('Bulk edit '), labels: ['headline'], milestone: m.id, assignee: 'eng1',
		body: 'Edit many issues at once.\n\nSelect them, then change the fields.\n\nUndo works too.' }, 'pm1');
	await close(h1.number);
	const h2 = await issue({ title: uniq('Saved views '), labels: ['headline', 'area:ui'], body: 'Views you keep.' }, 'eng2');
	await patchIssue(h2.number, { milestone: m.id });
	await close(h2.number);
	const open = await issue({ title: uniq('Still open headline '), labels: ['headline'], milestone: m.id });
	const plain = await issue({ title: uniq('Closed plain '), labels: ['area:ui'], milestone: m.id });
	await close(plain.number);
	const secretTitle = uniq('Secret headline fix ');
	const sec = await issue({ title: secretTitle, type: 'security', labels: ['headline'] }, 'admin');
	await patchIssue(sec.number, { milestone: m.id });
	await close(sec.number);
	// a headline item whose entry a PM already wrote by hand
	const manual = await issue({ title: uniq('Hand-written '), labels: ['headline'], milestone: m.id });
	await close(manual.number);
	const manualEntry = await create({ title: uniq('Written by hand '), issues: [`#${manual.number}`], milestone: m.id });

	const checklist = async (login = 'admin') => {
		const r = await as(login).get(`/api/v1/milestones/${m.id}/changelog`);
		assertStatus(r, 200);
		for (const k of ['headline_without_entry', 'draft', 'in_review', 'approved', 'published'])
			assert.ok(Array.isArray(r.json[k]), `checklist has ${k}: ${show(r)}`);
		return r;
	};
	const nums = (c) => c.json.headline_without_entry.map((i) => i.number).filter((x) => x !== sec.number).sort((a, b) => a - b);
	let c = await checklist('eng1');
	assert.deepEqual(nums(c), [h1.number, h2.number].sort((a, b) => a - b), `shipped headline items without an entry (not the one with a hand-written entry): ${show(c)}`);
	assert.deepEqual(c.json.draft.map((e) => e.id), [manualEntry.id], 'the hand-written entry is a draft of this milestone');
	assert.equal(c.json.headline_without_entry.find((i) => i.number === h1.number).title, h1.title);
	assert.ok(!c.text.includes(secretTitle), 'the security issue is not in an engineer\'s checklist');

	const before = await allEntries();
	for (const login of ['eng1', 'viewer1'])
		assertError(await as(login).post(`/api/v1/milestones/${m.id}/changelog`, {}), 403, 'forbidden');
	assertError(await as('pm1').post('/api/v1/milestones/999999/changelog', {}), 404, 'not_found');
	assert.deepStrictEqual(await allEntries(), before, 'refused: no drafts');

	const r = await as('em1').post(`/api/v1/milestones/${m.id}/changelog`, {});
	assertStatus(r, 200);
	assert.equal(r.json.existing, 1, 'the hand-written one exists');
	const created = [...r.json.created].sort((a, b) => a.issues[0].number - b.issues[0].number);
	assert.deepEqual(created.map((e) => e.issues.map((i) => i.number)), [[h1.number], [h2.number]].sort((a, b) => a[0] - b[0]),
		`one draft per closed headline issue (not the open one, not the unlabelled one, never the security one): ${show(r)}`);
	// the created list may hold summaries (like other lists): read each entry whole
	const e1 = await read(created.find((e) => e.issues[0].number === h1.number).id);
	const e2 = await read(created.find((e) => e.issues[0].number === h2.number).id);
	assert.equal(e1.state, 'draft');
	assert.equal(e1.title, h1.title);
	assert.equal(e1.description, 'Edit many issues at once.', 'the first paragraph');
	assert.equal(e1.body.trim(), 'Select them, then change the fields.\n\nUndo works too.', 'the rest as body');
	assert.deepEqual([...e1.authors].sort(), ['eng1', 'pm1'], 'assignee and reporter');
	assert.deepEqual(e1.milestone, { id: m.id, title: m.title });
	assert.equal(e2.title, h2.title);
	assert.equal(e2.description, 'Views you keep.');
	assert.deepEqual(e2.authors, ['eng2'], 'no assignee: the reporter');
	assert.ok(!r.text.includes(secretTitle));

	const again = await as('pm1').post(`/api/v1/milestones/${m.id}/changelog`, {});
	assertStatus(again, 200);
	assert.deepEqual(again.json.created, [], 'running it twice creates nothing new');
	assert.equal(again.json.existing, 3);
	assert.equal((await allEntries()).total, before.total + 2);

	const ids = (list) => list.map((e) => e.id).sort((a, b) => a - b);
	c = await checklist();
	assert.deepEqual(nums(c), []);
	assert.deepEqual(ids(c.json.draft), [e1.id, e2.id, manualEntry.id].sort((a, b) => a - b));
	assert.deepEqual([c.json.in_review, c.json.approved, c.json.published], [[], [], []]);
	await moveOk(e1.id, 'in_review', 'eng1');
	c = await checklist();
	assert.deepEqual(ids(c.json.draft), [e2.id, manualEntry.id].sort((a, b) => a - b));
	assert.deepEqual(ids(c.json.in_review), [e1.id]);
	await moveOk(e1.id, 'approved', 'em1');
	c = await checklist();
	assert.deepEqual(ids(c.json.in_review), []);
	assert.deepEqual(ids(c.json.approved), [e1.id]);
	await moveOk(e1.id, 'published', 'pm2');
	c = await checklist('viewer1');
	assert.deepEqual(ids(c.json.approved), []);
	assert.deepEqual(ids(c.json.published), [e1.id]);
	assert.deepEqual(ids(c.json.draft), [e2.id, manualEntry.id].sort((a, b) => a - b));

	// the open headline item ships: it shows up, and the next run drafts it alone
	await close(open.number);
	c = await checklist();
	assert.deepEqual(nums(c), [open.number]);
	const third = await as('pm1').post(`/api/v1/milestones/${m.id}/changelog`, {});
	assertStatus(third, 200);
	assert.deepEqual(third.json.created.map((e) => e.issues[0].number), [open.number]);
	assert.equal(third.json.existing, 3);
});

test('release notes: every closed item grouped Added/Changed/Fixed/Security, JSON and markdown; a security fix is only "Security fix" for an engineer', async () => {
	const m = await milestone(uniq('Notes '));
	const mk = async (type, title, extra = {}) => {
		const i = await issue({ type, title, milestone: m.id, assignee: 'eng1', ...extra });
		await close(i.number);
		return i;
	};
	const feat = await mk('feature', 'Export to CSV');
	const story = await mk('story', 'Saved filters');
	const task = await mk('task', 'Faster board rendering');
	const bug = await mk('bug', 'Fix crash on empty board');
	const secretTitle = uniq('SQL injection in search ');
	const sec = await mk('security', secretTitle);
	await patchIssue(sec.number, { cvss: V_CRIT });
	const openOne = await issue({ type: 'feature', title: uniq('Unfinished feature '), milestone: m.id });

	const notes = async (login) => {
		const r = await as(login).get(`/api/v1/milestones/${m.id}/release-notes`);
		assertStatus(r, 200);
		return r;
	};
	const groupOf = (r, name) => r.json.groups.find((g) => g.name === name)?.items ?? [];
	const order = (r) => r.json.groups.map((g) => g.name).filter((n) => ['Added', 'Changed', 'Fixed', 'Security'].includes(n));

	const pm = await notes('pm1');
	assert.equal(pm.json.milestone.id, m.id);
	assert.equal(pm.json.milestone.title, m.title);
	assert.deepEqual(order(pm), ['Added', 'Changed', 'Fixed', 'Security']);
	assert.deepEqual(groupOf(pm, 'Added').map((i) => i.number).sort((a, b) => a - b), [feat.number, story.number]);
	assert.deepEqual(groupOf(pm, 'Changed').map((i) => i.number), [task.number]);
	assert.deepEqual(groupOf(pm, 'Fixed').map((i) => [i.number, i.title, i.type]), [[bug.number, bug.title, 'bug']]);
	assert.deepEqual(groupOf(pm, 'Security').map((i) => [i.number, i.title]), [[sec.number, secretTitle]], 'a PM sees the security fix');
	for (const g of pm.json.groups)
		for (const i of g.items)
			assert.ok(Array.isArray(i.authors), `authors: ${JSON.stringify(i)}`);
	assert.ok(!pm.text.includes(openOne.title), 'an open item is not in the release notes');

	const eng = await notes('eng2');
	assert.deepEqual(order(eng), ['Added', 'Changed', 'Fixed', 'Security']);
	const secItems = groupOf(eng, 'Security');
	assert.equal(secItems.length, 1, JSON.stringify(eng.json));
	assert.equal(secItems[0].title, 'Security fix');
	assert.ok(secItems[0].number === null || secItems[0].number === undefined, `no number for a private fix: ${JSON.stringify(secItems[0])}`);
	assert.ok(!eng.text.includes(secretTitle), 'the title of the security issue does not reach an engineer');
	assert.ok(eng.text.includes('critical'), `its severity is shown: ${eng.text}`);
	assert.deepEqual(groupOf(eng, 'Added').map((i) => i.number).sort((a, b) => a - b), [feat.number, story.number]);

	const md = async (login) => {
		const r = await as(login).get(`/api/v1/milestones/${m.id}/release-notes`, { query: { format: 'markdown' } });
		assertStatus(r, 200);
		assert.match(r.headers.get('content-type') || '', /^text\/markdown/);
		return r.text;
	};
	const pmMd = await md('pm1');
	const idx = (t, s) => { const i = t.indexOf(s); assert.ok(i >= 0, `markdown has ${JSON.stringify(s)}:\n${t}`); return i; };
	assert.ok(pmMd.includes(`[${m.title}]`), `the section names the milestone:\n${pmMd}`);
	assert.ok(idx(pmMd, '### Added') < idx(pmMd, '### Changed') && idx(pmMd, '### Changed') < idx(pmMd, '### Fixed') &&
		idx(pmMd, '### Fixed') < idx(pmMd, '### Security'), `groups in order:\n${pmMd}`);
	assert.match(pmMd, new RegExp(`^- Export to CSV \\(#${feat.number}\\)`, 'm'));
	assert.match(pmMd, new RegExp(`^- Fix crash on empty board \\(#${bug.number}\\)`, 'm'));
	assert.ok(idx(pmMd, `(#${bug.number})`) > idx(pmMd, '### Fixed') && idx(pmMd, `(#${bug.number})`) < idx(pmMd, '### Security'));
	assert.ok(pmMd.includes(`(#${sec.number})`));
	assert.ok(!pmMd.includes(openOne.title));
	const engMd = await md('eng2');
	assert.match(engMd, /^- Security fix.*critical/m, `the engineer's notes:\n${engMd}`);
	assert.ok(!engMd.includes(secretTitle) && !engMd.includes(`(#${sec.number})`), `no private details:\n${engMd}`);
	assert.ok(engMd.indexOf('Security fix') > engMd.indexOf('### Security'));
	assertError(await as('pm1').get('/api/v1/milestones/999999/release-notes'), 404, 'not_found');
});

/* ---------- closing the loop ---------- */

test('closing the loop: who to tell, told only after publishing, insights answered, the customer page shows what shipped', async () => {
	const cust = async (name, extra) => {
		const r = await as('admin').post('/api/v1/customers', { name, tier: 'Enterprise', arr: 50000, seats: 10, strategic: false, ...extra });
		assertStatus(r, 201);
		return r.json;
	};
	const acme = await cust(uniq('Acme '), { strategic: true });
	const globex = await cust(uniq('Globex '));
	const initech = await cust(uniq('Initech '));
	const n = (await issue({ type: 'feature', title: uniq('CSV export ') })).number;
	const other = (await issue({ type: 'feature' })).number;
	const insight = async (customer, title, num) => {
		const r = await as('pm1').post('/api/v1/insights', { source: 'call', customer: customer.name, title });
		assertStatus(r, 201);
		const l = await as('pm1').post(`/api/v1/insights/${r.json.id}/links`, { issue: num });
		assertStatus(l, 200);
		return r.json.id;
	};
	const a1 = await insight(acme, 'Needs CSV for the auditors', n);
	const a2 = await insight(acme, 'CSV, again', n);
	const g1 = await insight(globex, 'Export please', n);
	const i1 = await insight(initech, 'Something else', other);

	const e = await create({ title: uniq('CSV export is here '), description: 'Download any list as CSV.', issues: [`#${n}`] });
	const tell = async (login = 'pm1') => {
		const r = await as(login).get(`${CL}/${e.id}/tell`);
		assertStatus(r, 200);
		return r.json.customers;
	};
	let t = await tell();
	assert.deepEqual(t.map((c) => c.id).sort((x, y) => x - y), [acme.id, globex.id].sort((x, y) => x - y), 'the customers behind the entry\'s issues');
	const ta = t.find((c) => c.id === acme.id);
	assert.equal(ta.name, acme.name);
	assert.equal(ta.tier, 'Enterprise');
	assert.equal(ta.strategic, true);
	assert.equal(ta.told, false);
	assert.deepEqual(ta.insights.map((i) => i.id).sort((x, y) => x - y), [a1, a2].sort((x, y) => x - y));
	assert.ok(ta.insights.every((i) => i.answered_at === null && i.state !== 'answered'));
	assert.ok(typeof ta.message === 'string' && ta.message.includes(e.title) && ta.message.includes('Download any list as CSV.'),
		`a ready-to-send message with the title and description: ${JSON.stringify(ta)}`);
	assert.match(ta.message, /https?:\/\/\S+/, `and a link: ${ta.message}`);

	const insightStates = async () => {
		const out = {};
		for (const id of [a1, a2, g1, i1])
			out[id] = (await as('admin').get(`/api/v1/insights/${id}`)).json;
		return out;
	};
	const before = await insightStates();
	await refused(e.id, 'telling before publishing', () => as('pm1').post(`${CL}/${e.id}/tell`, { customers: [acme.id] }), 409, 'conflict');
	assert.deepStrictEqual(await insightStates(), before, 'no insight answered before the entry is published');

	const p = await publish(e.id);
	const pt = Array.isArray(p.json.tell) ? p.json.tell : p.json.tell?.customers;
	assert.ok(Array.isArray(pt) && pt.some((c) => c.id === acme.id) && pt.some((c) => c.id === globex.id),
		`publishing lists who to tell: ${show(p)}`);
	const published = await read(e.id);

	for (const login of ['eng1', 'em1', 'viewer1'])
		await refused(e.id, `${login} telling`, () => as(login).post(`${CL}/${e.id}/tell`, { customers: [acme.id] }), 403, 'forbidden');
	assert.deepStrictEqual(await insightStates(), before);

	const told = await as('pm1').post(`${CL}/${e.id}/tell`, { customers: [acme.id] });
	assertStatus(told, 200);
	const list = told.json.customers;
	assert.equal(list.find((c) => c.id === acme.id).told, true, show(told));
	assert.equal(list.find((c) => c.id === globex.id).told, false);
	for (const id of [a1, a2]) {
		const g = (await as('admin').get(`/api/v1/insights/${id}`)).json;
		assert.equal(g.state, 'answered', JSON.stringify(g));
		assertNow(g.answered_at, 'answered_at');
		assert.equal(g.answered_by, 'pm1');
	}
	assert.deepStrictEqual((await as('admin').get(`/api/v1/insights/${g1}`)).json, before[g1], 'Globex was not told');
	assert.deepStrictEqual((await as('admin').get(`/api/v1/insights/${i1}`)).json, before[i1]);
	// naming a customer who is not behind the entry answers none of their other insights
	const stray = await as('pm1').post(`${CL}/${e.id}/tell`, { customers: [initech.id] });
	assert.ok(stray.status === 200 || stray.status === 422, show(stray));
	assert.deepStrictEqual((await as('admin').get(`/api/v1/insights/${i1}`)).json, before[i1], 'Initech\'s insight on another issue is not answered');
	t = await tell('viewer1');
	assert.equal(t.find((c) => c.id === acme.id).told, true);
	assert.ok(t.find((c) => c.id === acme.id).insights.every((i) => i.state === 'answered' && i.answered_at));

	const page = await as('eng1').get(`/api/v1/customers/${acme.id}`);
	assertStatus(page, 200);
	assert.ok(Array.isArray(page.json.shipped), `the customer page has a shipped list: ${show(page)}`);
	const s = page.json.shipped.find((x) => x.title === e.title);
	assert.ok(s, `what was shipped for Acme: ${JSON.stringify(page.json.shipped)}`);
	assert.equal(s.date, published.date, 'and when');
	const ini = await as('eng1').get(`/api/v1/customers/${initech.id}`);
	assertStatus(ini, 200);
	assert.ok(!(ini.json.shipped || []).some((x) => x.title === e.title), 'Initech did not ask for it');
});

test('server shuts down cleanly', () => srv.stop());
