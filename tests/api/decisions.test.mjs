/*
 * decisions.test.mjs — the product decision log of issue #13 over real HTTP
 * (docs/API.md "Product decisions (issue #13, the decision log)"): who may
 * record and decide (PMs and admins; everyone reads), every create field
 * echoed with its markdown rendered safely, validation (422 naming the
 * field), edits while proposed (with history, If-Match), accepting and
 * rejecting (once), immutability afterwards (409 pointing at a superseding
 * decision), the evidence frozen at acceptance beside today's numbers and
 * the signals between them, superseding, privacy of linked security issues,
 * search and filters, the decisions of an issue, and the history.
 *
 * One server for the file; tests run in order but each makes its own
 * issues, customers and decisions.  Every refusal re-reads what it could
 * have touched (the decision with its ETag and history, the whole list)
 * and requires it unchanged.  Times come from tests/lib/clock.mjs (the
 * server runs on the same clock); nothing assumes two writes fall in
 * different seconds.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const D = '/api/v1/decisions';
const as = (login) => srv.as(login);
const DECIDERS = ['pm1', 'admin'];
const NOT_DECIDERS = ['cto1', 'em1', 'eng1', 'viewer1'];
const ROLES4 = ['responsible', 'accountable', 'consulted', 'informed'];
const STALE_MSG = /record a new decision that supersedes it/i;

/* ---------- helpers ---------- */

/* An ISO time the server wrote "now". */
function assertNow(iso, what) {
	assert.match(String(iso), ISO_RE, `${what}: an ISO time, got ${iso}`);
	const slack = process.env.CAIRN_NOW ? 1000 : 300000;
	assert.ok(Math.abs(Date.parse(iso) - nowMs()) < slack, `${what}: ${iso} is not now (${new Date(nowMs()).toISOString()})`);
}

function near(actual, expected, what, eps = 1e-6) {
	assert.equal(typeof actual, 'number', `${what}: a number, got ${JSON.stringify(actual)}`);
	assert.ok(Math.abs(actual - expected) <= eps * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}

async function getJson(path, login = 'admin', query) {
	const r = await as(login).get(path, query ? { query } : {});
	assertStatus(r, 200);
	return r.json;
}

async function create(body, login = 'pm1') {
	const r = await as(login).post(D, body);
	assertStatus(r, 201);
	return r.json;
}

const read = (id, login = 'admin') => getJson(`${D}/${id}`, login);
const history = async (id, login = 'admin') => (await getJson(`${D}/${id}/history`, login)).items;
const list = async (query = {}, login = 'admin') => (await getJson(D, login, query)).items;
const ids = (items) => items.map((d) => d.id);
const setStatus = (id, status, login = 'pm1', opts) => as(login).post(`${D}/${id}/status`, { status }, opts);

async function decide(id, status, login = 'pm1') {
	const r = await setStatus(id, status, login);
	assertStatus(r, 200);
	assert.equal(r.json.status, status, show(r));
	return r.json;
}

async function patch(id, body, login = 'pm1', headers = {}) {
	const r = await as(login).patch(`${D}/${id}`, body, { headers });
	assertStatus(r, 200);
	return r;
}

async function issue(fields = {}, login = 'admin') {
	return srv.createIssue({ title: uniq('dec issue '), ...fields }, login);
}

async function patchIssue(n, fields) {
	const r = await srv.patchIssue(n, fields, 'admin');
	assertStatus(r, 200);
	return r.json;
}

async function customer(tier, arr) {
	const r = await as('pm1').post('/api/v1/customers', { name: uniq(`${tier} co `), tier, arr, seats: 10, strategic: false });
	assertStatus(r, 201);
	return r.json;
}

/* An insight from `cust` (or none) linked to issue n with `importance`. */
async function ask(n, cust, importance) {
	const r = await as('pm1').post('/api/v1/insights', { source: 'call', title: uniq('ask '), ...(cust ? { customer: cust.name } : {}) });
	assertStatus(r, 201);
	if (n !== undefined) {
		const l = await as('pm1').post(`/api/v1/insights/${r.json.id}/links`, { issue: n, importance });
		assertStatus(l, 200);
	}
	return r.json;
}

async function initiative() {
	const r = await as('pm1').post('/api/v1/initiatives', { title: uniq('Initiative ') });
	assertStatus(r, 201);
	return r.json;
}

async function milestone() {
	const t = todayYmd();
	const r = await as('pm1').post('/api/v1/milestones', { title: uniq('M'), start: addDays(t, -3), due: addDays(t, 25), capacity: 40 });
	assertStatus(r, 201);
	return r.json;
}

/* The demand formula of docs/API.md for fresh asks, one per customer:
 * Σ (1 + log10(1 + ARR/1000)) × importance. */
const IMP = { nice: 1, important: 2, critical: 3 };
const demandOf = (asks) => asks.reduce((s, [c, imp]) => s + (1 + Math.log10(1 + c.arr / 1000)) * IMP[imp], 0);

/* What a refused request could have changed: the list of every decision
 * (as the admin sees it) and, for each touched decision, its GET status,
 * ETag and body and its history. */
async function observe(touched = []) {
	const each = {};
	for (const id of touched) {
		const g = await as('admin').get(`${D}/${id}`);
		const h = await as('admin').get(`${D}/${id}/history`);
		each[id] = { status: g.status, etag: g.headers.get('etag'), decision: g.json, historyStatus: h.status, history: h.json };
	}
	return { list: await getJson(D), each };
}

/* An error (status, code, field — a string or a RegExp), then nothing changed. */
async function refused(res, before, touched, status, code, field) {
	if (field instanceof RegExp) {
		assertError(res, status, code);
		assert.match(String(res.json.error.field), field, `error field: ${show(res)}`);
	} else {
		assertError(res, status, code, field);
	}
	assert.deepStrictEqual(await observe(touched), before, `a refused request must change nothing: ${show(res)}`);
}

/* The issue numbers in a decision's issues / snapshot / today. */
const numbersIn = (arr) => (arr ?? []).map((x) => x.number).sort((a, b) => a - b);
const sortedRaci = (raci) => Object.fromEntries(ROLES4.map((r) => [r, [...(raci?.[r] ?? [])].sort()]));

/* ---------- create ---------- */

const CONTEXT = 'Enterprise prospects **need** single sign-on.\n\n<script>alert("ctx")</script>\n\n<img src=x onerror="alert(1)">\n';
const DECISION = 'Ship SSO in *Premium*, not Starter. <iframe src="https://evil.example"></iframe>';
const CONSEQUENCES = '- Starter loses SSO\n- Sales retrains\n\n<b onclick="x()">bold?</b>';

test('create by a PM: 201, Location, ETag, every field echoed, markdown rendered with raw HTML removed; GET returns the same to everyone', async () => {
	const a = await issue({ size: 'M' });
	const b = await issue({ type: 'bug' });
	const init = await initiative();
	const ins = await ask(undefined);
	const options = [
		{ title: 'Starter', pros: 'More adoption', cons: 'No upsell' },
		{ title: 'Premium', pros: 'Upsell path', cons: 'Some churn risk' },
	];
	const raci = { responsible: ['pm1'], accountable: ['admin'], consulted: ['cto1', 'em1'], informed: ['eng1', 'viewer1'] };
	const title = uniq('Price SSO in Premium ');
	const r = await as('pm1').post(D, {
		title, context: CONTEXT, options, decision: DECISION, consequences: CONSEQUENCES,
		review_date: '2027-06-01', raci, issues: [a.number, b.number], initiatives: [init.id], insights: [ins.id], supersedes: null,
	});
	assertStatus(r, 201);
	const d = r.json;
	assert.equal(typeof d.id, 'number', show(r));
	assert.equal(r.headers.get('location'), `${D}/${d.id}`);
	assert.match(r.headers.get('etag') || '', /^"[^"]+"$/, 'a strong ETag');

	assert.equal(d.title, title);
	assert.equal(d.context, CONTEXT);
	assert.equal(d.decision, DECISION);
	assert.equal(d.consequences, CONSEQUENCES);
	assert.deepEqual(d.options, options);
	assert.equal(d.review_date, '2027-06-01');
	assert.deepEqual(sortedRaci(d.raci), raci);
	assert.deepEqual(Object.keys(d.raci).sort(), [...ROLES4].sort(), 'raci has the four roles');
	assert.deepEqual([...d.issues].sort((x, y) => x.number - y.number), [
		{ number: a.number, title: a.title, state: 'open' },
		{ number: b.number, title: b.title, state: 'open' },
	]);
	assert.deepEqual(d.initiatives, [{ id: init.id, title: init.title }]);
	assert.deepEqual(d.insights, [{ id: ins.id, title: ins.title }]);
	assert.equal(d.supersedes, null);
	assert.equal(d.superseded_by, null);
	assert.equal(d.status, 'proposed');
	assert.equal(d.decided_at, null);
	assert.equal(d.created_by, 'pm1');
	assertNow(d.created_at, 'created_at');
	assertNow(d.updated_at, 'updated_at');
	assert.equal(typeof d.version, 'number');
	assert.equal(d.snapshot, null, 'no snapshot while proposed');
	assert.deepEqual(d.signals, []);
	assert.deepEqual(numbersIn(d.today), [a.number, b.number], 'today covers the linked issues');

	// markdown rendered, raw HTML gone
	assert.match(d.context_html, /<strong>need<\/strong>/);
	assert.match(d.decision_html, /<em>Premium<\/em>/);
	assert.match(d.consequences_html, /<li>Starter loses SSO<\/li>/);
	for (const k of ['context_html', 'decision_html', 'consequences_html'])
		assert.ok(!/<script|<iframe|<img|<b\b|onerror|onclick/i.test(d[k]), `${k} keeps no raw HTML: ${d[k]}`);

	for (const login of ['viewer1', 'eng1', 'em1', 'cto1', 'pm1']) {
		const g = await as(login).get(`${D}/${d.id}`);
		assertStatus(g, 200);
		assert.deepEqual(g.json, d, `GET as ${login} returns what the create returned`);
		assert.equal(g.headers.get('etag'), r.headers.get('etag'));
	}
	assert.ok(ids(await list({}, 'viewer1')).includes(d.id), 'listed for everyone');
});

test('create by an admin: a title is enough; the rest defaults to empty; a 200-byte title is accepted', async () => {
	const t200 = '€'.repeat(66) + 'ab'; // 66 × 3 + 2 = 200 bytes
	assert.equal(Buffer.byteLength(t200), 200);
	const r = await as('admin').post(D, { title: t200 });
	assertStatus(r, 201);
	const d = r.json;
	assert.equal(r.headers.get('location'), `${D}/${d.id}`);
	assert.equal(d.title, t200);
	assert.equal(d.created_by, 'admin');
	assert.equal(d.status, 'proposed');
	for (const k of ['context', 'decision', 'consequences'])
		assert.equal(d[k], '', k);
	assert.deepEqual(d.options, []);
	assert.deepEqual(sortedRaci(d.raci), { responsible: [], accountable: [], consulted: [], informed: [] });
	assert.deepEqual([d.issues, d.initiatives, d.insights, d.today, d.signals], [[], [], [], [], []]);
	assert.deepEqual([d.review_date, d.supersedes, d.superseded_by, d.decided_at, d.snapshot], [null, null, null, null, null]);
	assert.deepEqual(await read(d.id, 'eng2'), d);
});

test('create: CTO, EM, engineer and viewer get 403, nothing is created; unknown decision 404', async () => {
	const n = (await issue()).number;
	const before = await observe();
	for (const login of NOT_DECIDERS)
		await refused(await as(login).post(D, { title: uniq('not mine '), issues: [n] }), before, [], 403, 'forbidden');
	assert.deepEqual((await getJson(`/api/v1/issues/${n}/decisions`)).items, [], 'no decision links the issue');
	assertError(await srv.api('POST', D, { body: { title: 'anon' } }), 401, 'unauthorized');
	assertError(await as('eng1').get(`${D}/999999`), 404, 'not_found');
	assertError(await as('admin').get(`${D}/999999/history`), 404, 'not_found');
});

test('create: 422 naming the field for every bad input, nothing created', async () => {
	const proposed = await create({ title: uniq('still proposed ') });
	const n = (await issue()).number;
	const ok = { title: uniq('Valid ') };
	const bad = [
		[{ ...ok, title: '' }, 'title', 'empty title'],
		[{ context: 'no title' }, 'title', 'missing title'],
		[{ ...ok, title: 'x'.repeat(201) }, 'title', 'title of 201 bytes'],
		[{ ...ok, title: '€'.repeat(67) }, 'title', 'title of 67 characters but 201 bytes'],
		[{ ...ok, title: 42 }, 'title', 'title not a string'],
		[{ ...ok, options: 'Starter, Premium' }, 'options', 'options a string'],
		[{ ...ok, options: { title: 'A' } }, 'options', 'options an object'],
		[{ ...ok, options: [{ pros: 'cheap', cons: 'slow' }] }, 'options', 'an option without title'],
		[{ ...ok, options: [{ title: '', pros: 'x' }] }, 'options', 'an option with an empty title'],
		[{ ...ok, options: [{ title: 'A' }, { title: 'B', risk: 'high' }] }, 'options', 'an unknown option key'],
		[{ ...ok, options: ['Starter'] }, 'options', 'an option that is not an object'],
		[{ ...ok, raci: { owner: ['pm1'] } }, 'raci', 'an unknown RACI role'],
		[{ ...ok, raci: ['pm1'] }, 'raci', 'raci not an object'],
		[{ ...ok, raci: { responsible: 'pm1' } }, 'raci', 'a RACI role not a list'],
		[{ ...ok, issues: [999999] }, 'issues', 'an unknown issue'],
		[{ ...ok, issues: [n, 999999] }, 'issues', 'one unknown issue among known'],
		[{ ...ok, issues: [String(n)] }, 'issues', 'an issue number as a string'],
		[{ ...ok, issues: n }, 'issues', 'issues not a list'],
		[{ ...ok, initiatives: [999999] }, 'initiatives', 'an unknown initiative'],
		[{ ...ok, insights: [999999] }, 'insights', 'an unknown insight'],
		[{ ...ok, review_date: 'next spring' }, 'review_date', 'review date not a date'],
		[{ ...ok, review_date: '2027-02-30' }, 'review_date', 'review date 30 February'],
		[{ ...ok, review_date: '2027-13-01' }, 'review_date', 'review date month 13'],
		[{ ...ok, review_date: 20270601 }, 'review_date', 'review date a number'],
		[{ ...ok, supersedes: proposed.id }, 'supersedes', 'supersedes a proposed decision'],
		[{ ...ok, supersedes: 999999 }, 'supersedes', 'supersedes an unknown decision'],
		[{ ...ok, supersedes: 'one' }, 'supersedes', 'supersedes not an id'],
		[{ ...ok, colour: 'red' }, 'colour', 'an unknown field'],
	];
	const before = await observe([proposed.id]);
	for (const [body, field, why] of bad) {
		const r = await as('pm1').post(D, body);
		assert.equal(r.status, 422, `${why}: ${show(r)}`);
		await refused(r, before, [proposed.id], 422, 'invalid_field', field);
	}
	assertError(await as('pm1').post(D, undefined, { raw: '{"title":' }), 400, 'malformed');
	assert.deepStrictEqual(await observe([proposed.id]), before);
});

test('create and PATCH: a RACI login that is no user is 422 naming raci (the request field), nothing changed', async () => {
	const d = await create({ title: uniq('raci target '), raci: { responsible: ['pm1'] } });
	const before = await observe([d.id]);
	for (const role of ROLES4) {
		const r = await as('pm1').post(D, { title: uniq('raci '), raci: { [role]: ['pm1', 'ghost-user'] } });
		await refused(r, before, [d.id], 422, 'invalid_field', /^raci(\.|$)/);
		const p = await as('pm1').patch(`${D}/${d.id}`, { raci: { [role]: ['ghost-user'] } });
		await refused(p, before, [d.id], 422, 'invalid_field', /^raci(\.|$)/);
	}
});

test('create: the same issue, initiative or insight twice is one link or a 422 naming the field, never a 409 from the database', async () => {
	const n = (await issue()).number;
	const init = await initiative();
	const ins = await ask(undefined);
	const before = await observe();
	for (const [field, id, key] of [['issues', n, 'number'], ['initiatives', init.id, 'id'], ['insights', ins.id, 'id']]) {
		const r = await as('pm1').post(D, { title: uniq('twice '), [field]: [id, id] });
		if (r.status === 201) {
			assert.deepEqual(r.json[field].map((x) => x[key]), [id], `${field}: linked once`);
			continue;
		}
		assert.ok(!/UNIQUE|constraint|duplicate key/i.test(r.text), `no database message reaches the client: ${show(r)}`);
		await refused(r, before, [], 422, 'invalid_field', field);
	}
});

/* ---------- edits while proposed ---------- */

test('PATCH while proposed: any subset changes (If-Match current or absent), the rest stays, history records each change', async () => {
	const [n1, n2] = [(await issue()).number, (await issue()).number];
	const init = await initiative();
	const ins = await ask(undefined);
	const t1 = uniq('Draft title ');
	const d = await create({ title: t1, context: 'first context', decision: 'undecided', consequences: 'none yet', review_date: '2027-03-01',
		raci: { responsible: ['pm1'], accountable: [], consulted: [], informed: [] }, issues: [n1] });
	const g0 = await as('admin').get(`${D}/${d.id}`);
	const etag0 = g0.headers.get('etag');

	const t2 = uniq('Better title ');
	const options = [{ title: 'Build', pros: 'control', cons: 'time' }, { title: 'Buy', pros: 'fast', cons: 'cost' }];
	const raci = { responsible: ['em1'], accountable: ['cto1'], consulted: ['eng2'], informed: ['viewer1'] };
	const r = await patch(d.id, { title: t2, context: 'second **context**', options, review_date: '2027-04-15', raci,
		issues: [n2], initiatives: [init.id], insights: [ins.id] }, 'admin', { 'If-Match': etag0 });
	const p = r.json;
	assert.notEqual(r.headers.get('etag'), etag0, 'a new ETag');
	assert.equal(p.version, d.version + 1);
	assert.equal(p.title, t2);
	assert.equal(p.context, 'second **context**');
	assert.match(p.context_html, /<strong>context<\/strong>/);
	assert.deepEqual(p.options, options);
	assert.equal(p.review_date, '2027-04-15');
	assert.deepEqual(sortedRaci(p.raci), raci);
	assert.deepEqual(numbersIn(p.issues), [n2], 'the issues are replaced');
	assert.deepEqual(p.initiatives.map((x) => x.id), [init.id]);
	assert.deepEqual(p.insights.map((x) => x.id), [ins.id]);
	// untouched
	assert.deepEqual([p.decision, p.consequences, p.status, p.created_by, p.created_at, p.supersedes],
		['undecided', 'none yet', 'proposed', 'pm1', d.created_at, null]);
	assertNow(p.updated_at, 'updated_at');
	assert.deepEqual(await read(d.id, 'eng1'), p, 'GET shows the edit');

	// without If-Match (optional): applies; null clears the review date
	const q = (await patch(d.id, { consequences: 'we build', review_date: null }, 'pm1')).json;
	assert.equal(q.consequences, 'we build');
	assert.equal(q.review_date, null);
	assert.equal(q.version, p.version + 1);
	assert.deepEqual(await read(d.id), q);

	// the history: every change, by whom, when
	const h = await history(d.id);
	const byField = (f, actor) => h.filter((x) => x.field === f && x.actor === actor);
	assert.deepEqual(byField('title', 'admin').map((x) => [x.old, x.new]), [[t1, t2]], `the title change: ${JSON.stringify(h)}`);
	const changed = [['context', 'admin'], ['options', 'admin'], ['review_date', 'admin'], ['raci', 'admin'], ['issues', 'admin'],
		['initiatives', 'admin'], ['insights', 'admin'], ['consequences', 'pm1'], ['review_date', 'pm1']];
	const missing = changed.filter(([f, actor]) => byField(f, actor).length !== 1).map(([f, actor]) => `${f} by ${actor}`);
	assert.deepEqual(missing, [], `every change has one history entry; missing: ${missing.join(', ')}; history: ${JSON.stringify(h)}`);
	for (const x of h)
		assertNow(x.at, `${x.field} history time`);
	assert.deepEqual(byField('review_date', 'admin').map((x) => [x.old, x.new]), [['2027-03-01', '2027-04-15']], 'the review date change with old and new');
	assert.deepEqual(byField('review_date', 'pm1').map((x) => [x.old, x.new]), [['2027-04-15', null]], 'the review date cleared');
});

test('PATCH: a stale If-Match is 412, a bad field 422, a non-decider 403, an unknown decision 404 — nothing changes', async () => {
	const n = (await issue()).number;
	const d = await create({ title: uniq('Contested '), context: 'ctx', issues: [n] });
	const stale = (await as('admin').get(`${D}/${d.id}`)).headers.get('etag');
	await patch(d.id, { context: 'moved on' }, 'pm1');
	const before = await observe([d.id]);
	await refused(await as('pm1').patch(`${D}/${d.id}`, { title: 'late' }, { headers: { 'If-Match': stale } }), before, [d.id], 412, 'stale_version');
	const cur = before.each[d.id].etag;
	const bad = [
		[{ title: '' }, 'title'], [{ title: 'y'.repeat(201) }, 'title'], [{ title: null }, 'title'],
		[{ options: [{ title: 'A', colour: 'blue' }] }, 'options'], [{ options: 'A' }, 'options'],
		[{ raci: { sponsor: ['pm1'] } }, 'raci'], [{ issues: [999999] }, 'issues'],
		[{ initiatives: [999999] }, 'initiatives'], [{ insights: [999999] }, 'insights'],
		[{ review_date: '01/06/2027' }, 'review_date'], [{ supersedes: d.id }, 'supersedes'],
		[{ supersedes: 999999 }, 'supersedes'], [{ colour: 1 }, 'colour'],
	];
	for (const [body, field] of bad)
		await refused(await as('pm1').patch(`${D}/${d.id}`, body, { headers: { 'If-Match': cur } }), before, [d.id], 422, 'invalid_field', field);
	for (const login of NOT_DECIDERS)
		await refused(await as(login).patch(`${D}/${d.id}`, { title: 'mine now' }, { headers: { 'If-Match': cur } }), before, [d.id], 403, 'forbidden');
	await refused(await as('pm1').patch(`${D}/999999`, { title: 'x' }), before, [d.id], 404, 'not_found');
});

/* fuzz_http (tests/fuzz/corpus/http/decision-weak-if-match): a refused
 * If-Match used to free the unparsed body's uninitialized options pointer
 * (a crash on create and patch).  Successful writes in between leave the
 * stack dirty where that pointer lived. */
test('a weak or malformed If-Match is refused before the body on create and patch — and the server lives on', async () => {
	const d = await create({ title: uniq('Header first '), options: [{ title: 'A' }] });
	const before = await observe([d.id]);
	for (let k = 0; k < 10; k++) {
		await patch(d.id, { options: [{ title: `B${k}`, pros: 'p' }], context: `c${k}` }, 'pm1');
		const now = await observe([d.id]);
		await refused(await as('pm1').patch(`${D}/${d.id}`, { options: [{ title: 'C' }] }, { headers: { 'If-Match': 'W/"1"' } }), now, [d.id], 412, 'stale_version', 'If-Match');
		await refused(await as('pm1').post(D, { title: uniq('Never '), options: [{ title: 'C' }] }, { headers: { 'If-Match': '1' } }), now, [d.id], 400, 'malformed', 'If-Match');
	}
	assert.notDeepStrictEqual(await observe([d.id]), before, 'the PATCHes in between applied');
});

/* ---------- accept and reject ---------- */

test('accept and reject: PM or admin, decided_at set, once only (409), bad status 422, others 403 — refusals change nothing', async () => {
	const n = (await issue({ size: 'S' })).number;
	const a = await create({ title: uniq('To accept '), issues: [n] });
	const b = await create({ title: uniq('To reject ') }, 'admin');
	let before = await observe([a.id, b.id]);
	for (const login of NOT_DECIDERS) {
		await refused(await setStatus(a.id, 'accepted', login), before, [a.id, b.id], 403, 'forbidden');
		await refused(await setStatus(b.id, 'rejected', login), before, [a.id, b.id], 403, 'forbidden');
	}
	for (const status of ['superseded', 'proposed', 'ACCEPTED', 'approved', '', 42, null])
		await refused(await setStatus(a.id, status, 'pm1'), before, [a.id, b.id], 422, 'invalid_field', 'status');
	await refused(await as('pm1').post(`${D}/${a.id}/status`, {}), before, [a.id, b.id], 422, 'invalid_field', 'status');
	await refused(await setStatus(999999, 'accepted', 'pm1'), before, [a.id, b.id], 404, 'not_found');

	const r = await setStatus(a.id, 'accepted', 'pm1');
	assertStatus(r, 200);
	const acc = r.json;
	assert.equal(acc.status, 'accepted');
	assertNow(acc.decided_at, 'decided_at');
	assert.equal(acc.version, a.version + 1);
	assert.equal(r.headers.get('etag'), (await as('admin').get(`${D}/${a.id}`)).headers.get('etag'));
	assert.ok(acc.snapshot && typeof acc.snapshot === 'object', `the evidence is frozen: ${show(r)}`);
	assertNow(acc.snapshot.taken_at, 'snapshot time');
	assert.deepEqual(numbersIn(acc.snapshot.issues), [n]);
	assert.deepEqual(await read(a.id, 'viewer1'), acc);

	const rej = await decide(b.id, 'rejected', 'admin');
	assertNow(rej.decided_at, 'decided_at of a rejection');
	assert.equal(rej.version, b.version + 1);

	before = await observe([a.id, b.id]);
	for (const [id, status] of [[a.id, 'rejected'], [a.id, 'accepted'], [b.id, 'accepted'], [b.id, 'rejected']])
		await refused(await setStatus(id, status, 'admin'), before, [a.id, b.id], 409, 'conflict');
});

test('an accepted or rejected decision refuses every edit: 409 saying to record a new decision that supersedes it', async () => {
	const n = (await issue()).number;
	const a = await create({ title: uniq('Final '), context: 'ctx', issues: [n] });
	const b = await create({ title: uniq('Declined ') });
	await decide(a.id, 'accepted');
	await decide(b.id, 'rejected');
	const before = await observe([a.id, b.id]);
	for (const id of [a.id, b.id]) {
		const cur = before.each[id].etag;
		for (const body of [{ title: 'rewritten' }, { context: 'new facts' }, { issues: [] }, { raci: { informed: ['eng1'] } }, { review_date: '2028-01-01' }]) {
			for (const headers of [{}, { 'If-Match': cur }]) {
				const r = await as('pm1').patch(`${D}/${id}`, body, { headers });
				await refused(r, before, [a.id, b.id], 409, 'conflict');
				assert.match(r.json.error.message, STALE_MSG, show(r));
			}
		}
		await refused(await as('admin').patch(`${D}/${id}`, { title: 'admin too' }), before, [a.id, b.id], 409, 'conflict');
	}
	await refused(await as('pm1').post(D, { title: uniq('supersede a rejection '), supersedes: b.id }), before, [a.id, b.id], 422, 'invalid_field', 'supersedes');
});

/* ---------- the evidence ---------- */

test('accepting freezes the evidence: demand, RICE, insights, customers by tier, size and milestone of each linked issue; signals when demand doubles, size changes, the issue closes', async () => {
	const m = await milestone();
	const e = await issue({ size: 'L', type: 'feature' });
	await patchIssue(e.number, { milestone: m.id });
	const ent1 = await customer('Enterprise', 200000);
	const ent2 = await customer('Enterprise', 100000);
	const prem = await customer('Premium', 20000);
	const start = await customer('Starter', 2000);
	const asks0 = [[ent1, 'critical'], [ent2, 'important'], [prem, 'important'], [start, 'nice']];
	for (const [c, imp] of asks0)
		await ask(e.number, c, imp);
	const expect0 = demandOf(asks0);

	// what the backlog says right now, for comparison
	const backlogItem = async (rank) => (await getJson('/api/v1/backlog', 'admin', { rank, limit: '200' })).items.find((x) => x.number === e.number);
	const bd = await backlogItem('demand');
	const br = await backlogItem('rice');
	near(bd.demand.score, expect0, 'backlog demand (the formula)', 1e-3);

	const d = await create({ title: uniq('Build SSO '), issues: [e.number] });
	assert.equal(d.snapshot, null);
	const acc = await decide(d.id, 'accepted');
	const snap = acc.snapshot;
	assert.equal(snap.taken_at, acc.decided_at, 'the snapshot is taken when the decision is accepted');
	assert.equal(snap.issues.length, 1, JSON.stringify(snap));
	const s = snap.issues[0];
	assert.equal(s.number, e.number);
	assert.equal(s.title, e.title);
	assert.equal(s.state, 'open');
	assert.equal(s.size, 5, 'size L in points');
	assert.ok(s.milestone === m.title || s.milestone === m.id || (s.milestone && s.milestone.id === m.id),
		`the milestone ${m.id} "${m.title}": ${JSON.stringify(s.milestone)}`);
	assert.ok(s.demand > 0, 'demand > 0');
	near(s.demand, bd.demand.score, 'snapshot demand = the backlog demand');
	near(s.rice, br.rice.score, 'snapshot RICE = the backlog RICE');
	assert.equal(s.insights, 4);
	assert.equal(s.customers, 4);
	assert.deepEqual(s.by_tier, { Enterprise: 2, Premium: 1, Starter: 1 });
	assert.deepEqual(acc.today, snap.issues, 'today equals the snapshot at the moment of acceptance');
	assert.deepEqual(acc.signals, []);
	const frozen = JSON.parse(JSON.stringify(snap));

	// two more enterprise customers ask, critically: demand more than doubles (not triples)
	const ent3 = await customer('Enterprise', 1000000);
	const ent4 = await customer('Enterprise', 999000);
	const asks1 = [...asks0, [ent3, 'critical'], [ent4, 'critical']];
	await ask(e.number, ent3, 'critical');
	await ask(e.number, ent4, 'critical');
	const expect1 = demandOf(asks1);
	assert.ok(expect1 >= 2 * expect0 && expect1 < 3 * expect0, `the numbers of the test: ${expect0} → ${expect1}`);
	let g = await read(d.id, 'pm1');
	assert.deepStrictEqual(g.snapshot, frozen, 'the snapshot never changes');
	const t = g.today.find((x) => x.number === e.number);
	near(t.demand, expect1, 'today: the demand now', 1e-3);
	assert.equal(t.insights, 6);
	assert.equal(t.customers, 6);
	assert.deepEqual(t.by_tier, { Enterprise: 4, Premium: 1, Starter: 1 });
	assert.ok(g.signals.some((x) => x.includes(`demand for #${e.number} has doubled`)), `a signal for the doubled demand: ${JSON.stringify(g.signals)}`);
	assert.ok(!g.signals.some((x) => /tripled/.test(x)), JSON.stringify(g.signals));

	// re-sized: L (5) → XL (8)
	await patchIssue(e.number, { size: 'XL' });
	g = await read(d.id, 'viewer1');
	assert.deepStrictEqual(g.snapshot, frozen);
	assert.equal(g.today[0].size, 8);
	assert.ok(g.signals.some((x) => x.includes(`#${e.number} changed size 5 → 8`)), `a signal for the size: ${JSON.stringify(g.signals)}`);

	// closed
	await patchIssue(e.number, { state: 'closed' });
	g = await read(d.id, 'eng1');
	assert.deepStrictEqual(g.snapshot, frozen, 'the snapshot never changes');
	assert.equal(g.issues[0].state, 'closed');
	assert.equal(g.today[0].state, 'closed');
	assert.ok(g.signals.some((x) => x.includes(`#${e.number} was closed`)), `a signal for the closing: ${JSON.stringify(g.signals)}`);
	assert.equal(g.status, 'accepted');
	assert.equal(g.version, acc.version, 'the decision itself did not change');
});

test('after the linked issue is closed, today still counts its insights and customers (nothing was unlinked) and no false demand signal appears', async () => {
	const e = await issue({ size: 'M' });
	const ent = await customer('Enterprise', 300000);
	const prem = await customer('Premium', 40000);
	await ask(e.number, ent, 'critical');
	await ask(e.number, prem, 'important');
	const d = await create({ title: uniq('Keep counting '), issues: [e.number] });
	const acc = await decide(d.id, 'accepted');
	await patchIssue(e.number, { state: 'closed' });
	const g = await read(d.id);
	const t = g.today.find((x) => x.number === e.number);
	assert.ok(g.signals.some((x) => x.includes(`#${e.number} was closed`)), JSON.stringify(g.signals));
	assert.deepEqual([t.insights, t.customers, t.by_tier], [2, 2, { Enterprise: 1, Premium: 1 }],
		`today's counts of a closed issue with the same two insights: ${JSON.stringify(t)}; signals ${JSON.stringify(g.signals)}`);
	assert.ok(!g.signals.some((x) => /halved|demand for/.test(x)),
		`no customer withdrew an ask, so no demand signal: ${JSON.stringify(g.signals)} (snapshot ${JSON.stringify(acc.snapshot.issues[0])}, today ${JSON.stringify(t)})`);
});

/* ---------- superseding ---------- */

test('superseding: B supersedes accepted A; accepting B makes A superseded with superseded_by B; A stays immutable', async () => {
	const n = (await issue({ size: 'S' })).number;
	const a = await create({ title: uniq('SSO in Enterprise only '), issues: [n] });
	const aAcc = await decide(a.id, 'accepted');
	const b = await create({ title: uniq('SSO in Premium too '), supersedes: a.id, issues: [n] });
	assert.equal(b.supersedes, a.id);
	assert.equal(b.superseded_by, null);
	let ga = await read(a.id);
	assert.equal(ga.status, 'accepted', 'A stays accepted while B is only proposed');
	assert.equal(ga.superseded_by, null);

	const bAcc = await decide(b.id, 'accepted', 'admin');
	assert.equal(bAcc.supersedes, a.id);
	ga = await read(a.id, 'eng1');
	assert.equal(ga.status, 'superseded');
	assert.equal(ga.superseded_by, b.id);
	assert.equal(ga.decided_at, aAcc.decided_at, 'A keeps the time it was decided');
	assert.deepStrictEqual(ga.snapshot, aAcc.snapshot, 'A keeps its evidence');
	const ha = await history(a.id);
	const last = ha.at(-1);
	assert.equal(last.field, 'status', JSON.stringify(ha));
	assert.equal(last.actor, 'admin');
	assert.equal(last.old, 'accepted');
	assert.match(String(last.new), /superseded/);
	assert.ok(ids(await list({ status: 'superseded' })).includes(a.id));

	const before = await observe([a.id, b.id]);
	const r = await as('pm1').patch(`${D}/${a.id}`, { title: 'revive' });
	await refused(r, before, [a.id, b.id], 409, 'conflict');
	assert.match(r.json.error.message, STALE_MSG);
	for (const status of ['accepted', 'rejected'])
		await refused(await setStatus(a.id, status, 'pm1'), before, [a.id, b.id], 409, 'conflict');
	await refused(await as('pm1').post(D, { title: uniq('supersede the superseded '), supersedes: a.id }), before, [a.id, b.id], 422, 'invalid_field', 'supersedes');
});

test('superseding twice: A ← B ← C; once C is accepted, B is superseded by C and A still names B', async () => {
	const a = await create({ title: uniq('v1 ') });
	await decide(a.id, 'accepted');
	const b = await create({ title: uniq('v2 '), supersedes: a.id });
	await decide(b.id, 'accepted');
	const c = await create({ title: uniq('v3 '), supersedes: b.id });
	await decide(c.id, 'accepted');
	const [ga, gb, gc] = [await read(a.id), await read(b.id), await read(c.id)];
	assert.deepEqual([gc.status, gc.supersedes, gc.superseded_by], ['accepted', b.id, null]);
	assert.deepEqual([gb.status, gb.supersedes, gb.superseded_by], ['superseded', a.id, c.id]);
	assert.deepEqual([ga.status, ga.supersedes, ga.superseded_by], ['superseded', null, b.id], 'A was superseded by B, whatever happened to B later');
	const l = await list({ status: 'superseded' });
	assert.equal(l.find((x) => x.id === a.id)?.superseded_by, b.id, 'the list says so too');
});

test('a proposed decision may be set to supersede an accepted one by PATCH; accepting it then supersedes that one', async () => {
	const a = await create({ title: uniq('old way ') });
	await decide(a.id, 'accepted');
	const b = await create({ title: uniq('new way ') });
	const p = (await patch(b.id, { supersedes: a.id })).json;
	assert.equal(p.supersedes, a.id);
	assert.equal((await read(a.id)).status, 'accepted');
	await decide(b.id, 'accepted');
	const ga = await read(a.id);
	assert.deepEqual([ga.status, ga.superseded_by], ['superseded', b.id]);
});

test('two deciders at once on one proposed decision: exactly one wins, the other gets 409, one status change in the history', async () => {
	for (let round = 0; round < 5; round++) {
		const d = await create({ title: uniq('race ') });
		const [x, y] = await Promise.all([setStatus(d.id, 'accepted', 'pm1'), setStatus(d.id, 'rejected', 'admin')]);
		const codes = [x.status, y.status].sort();
		assert.deepEqual(codes, [200, 409], `one winner: ${show(x)} / ${show(y)}`);
		const won = x.status === 200 ? x.json : y.json;
		const g = await read(d.id);
		assert.equal(g.status, won.status);
		assert.equal((await history(d.id)).filter((h) => h.field === 'status').length, 1);
	}
});

/* ---------- privacy ---------- */

test('a private security issue linked to a decision: hidden from an engineer (issues, snapshot, today, signals, issue lists), seen by its reporter and a PM', async () => {
	const secret = uniq('Token leak in SAML callback ');
	const sec = await issue({ type: 'security', title: secret, size: 'S' }, 'eng2');
	const pub = await issue({ size: 'M' });
	const ent = await customer('Enterprise', 250000);
	await ask(sec.number, ent, 'critical');
	await ask(pub.number, ent, 'important');
	const d = await create({ title: uniq('Harden SSO '), issues: [sec.number, pub.number] });
	await decide(d.id, 'accepted');
	await patchIssue(sec.number, { state: 'closed' });

	const eng = await as('eng1').get(`${D}/${d.id}`);
	assertStatus(eng, 200);
	const x = eng.json;
	assert.deepEqual(numbersIn(x.issues), [pub.number]);
	assert.deepEqual(numbersIn(x.snapshot.issues), [pub.number]);
	assert.deepEqual(numbersIn(x.today), [pub.number]);
	assert.ok(!x.signals.some((s) => s.includes(`#${sec.number}`)), JSON.stringify(x.signals));
	assert.ok(!eng.text.includes(secret), `the title never reaches an engineer: ${eng.text}`);
	const eh = await as('eng1').get(`${D}/${d.id}/history`);
	assertStatus(eh, 200);
	assert.ok(!eh.text.includes(secret), 'nor through the history');
	assert.equal((await getJson(D, 'viewer1')).items.find((i) => i.id === d.id) !== undefined, true, 'the decision itself is public');
	assert.ok(!(await as('viewer1').get(D)).text.includes(secret), 'nor through the list');

	// the decisions of the issue: like an issue that does not exist
	const ghost = await as('eng1').get('/api/v1/issues/999999/decisions');
	const hidden = await as('eng1').get(`/api/v1/issues/${sec.number}/decisions`);
	assert.equal(hidden.status, ghost.status, `a hidden issue answers like a missing one: ${show(hidden)} / ${show(ghost)}`);
	assert.notEqual(hidden.status, 200, show(hidden));
	const hq = await as('eng1').get(D, { query: { issue: String(sec.number) } });
	const gq = await as('eng1').get(D, { query: { issue: '999999' } });
	assert.equal(hq.status, gq.status, `?issue= of a hidden issue answers like a missing one: ${show(hq)} / ${show(gq)}`);
	assert.ok(!(hq.json?.items ?? []).some((i) => i.id === d.id), show(hq));

	// the reporter, a PM, the CTO and the admin see it
	for (const login of ['eng2', 'pm1', 'cto1', 'admin']) {
		const y = await read(d.id, login);
		assert.deepEqual(numbersIn(y.issues), [sec.number, pub.number].sort((p, q) => p - q), login);
		assert.deepEqual(numbersIn(y.snapshot.issues), [sec.number, pub.number].sort((p, q) => p - q), login);
		assert.deepEqual(numbersIn(y.today), [sec.number, pub.number].sort((p, q) => p - q), login);
		assert.ok(y.signals.some((s) => s.includes(`#${sec.number} was closed`)), `${login}: ${JSON.stringify(y.signals)}`);
		const s = y.snapshot.issues.find((i) => i.number === sec.number);
		assert.equal(s.title, secret);
		assert.ok(s.demand > 0);
		assert.deepEqual(s.by_tier, { Enterprise: 1 });
	}
	assert.deepEqual(ids((await getJson(`/api/v1/issues/${sec.number}/decisions`, 'pm1')).items), [d.id]);
	assert.deepEqual(ids((await getJson(`/api/v1/issues/${sec.number}/decisions`, 'eng2')).items), [d.id]);
	assert.deepEqual(ids((await getJson(`/api/v1/issues/${pub.number}/decisions`, 'eng1')).items), [d.id]);

	// an engineer cannot link it either (it does not exist for them) — and may not write decisions anyway
	const before = await observe([d.id]);
	await refused(await as('eng1').post(D, { title: 'x', issues: [sec.number] }), before, [d.id], 403, 'forbidden');
});

/* ---------- search and filters ---------- */

test('search: ?q= finds words in title, context, decision and consequences — case-insensitive, every word must match', async () => {
	const tag = uniq('kw');
	const d1 = await create({ title: uniq('Identity provider '), context: `${tag} We pick **Okta** for the Enterprise pilot. Café owners asked. 100% of pilots.`,
		consequences: 'Migrating legacy LDAP tenants takes a quarter.' });
	const d2 = await create({ title: uniq('Themes '), context: `${tag} Dark mode ships in Starter.`,
		decision: 'Offer a Contrast toggle', consequences: 'Design tokens must cover every colour.' });
	const d3 = await create({ title: `Retire the ${tag} widget`, context: 'Nobody uses it.' });
	const q = async (text, login = 'viewer1') => ids(await list({ q: text }, login)).sort((a, b) => a - b);
	assert.deepEqual(await q(tag), [d1.id, d2.id, d3.id], 'the tag is in every one (context, context, title)');
	assert.deepEqual(await q(`${tag} okta`), [d1.id], 'a word of the context');
	assert.deepEqual(await q(`${tag.toUpperCase()} OKTA`), [d1.id], 'case-insensitive');
	assert.deepEqual(await q(`${tag} legacy ldap`), [d1.id], 'words of the consequences');
	assert.deepEqual(await q(`${tag} LEGACY Ldap tenants`), [d1.id]);
	assert.deepEqual(await q(`${tag} tokens`), [d2.id], 'a word of the consequences of the other');
	assert.deepEqual(await q(`${tag} contrast`), [d2.id], 'a word of the decision');
	assert.deepEqual(await q(`${tag} okta tokens`), [], 'every word must match the same decision');
	assert.deepEqual(await q(`${tag} widget`), [d3.id], 'a word of the title');
	assert.deepEqual(await q(`${tag} CAFÉ`), [d1.id], 'case-insensitive beyond ASCII');
	assert.deepEqual(await q(`${tag} nosuchword`), []);
	assert.deepEqual(await q(`${tag} 100%`), [d1.id], 'a % is a character');
	assert.deepEqual(await q(`${tag} 1_0%`), [], 'an _ is a character, not a wildcard');
	assert.deepEqual(await q(`${tag} 1%0`), [], 'a % is not a wildcard');
});

test('filters: ?status=, ?involving=LOGIN (anyone in the RACI), ?issue= and /issues/{n}/decisions; newest first; bad filters 422', async () => {
	const tag = uniq('flt');
	const n = (await issue()).number;
	const other = (await issue()).number;
	const d1 = await create({ title: `${tag} one`, raci: { responsible: ['pm1'], consulted: ['eng2'] }, issues: [n] });
	const d2 = await create({ title: `${tag} two`, raci: { informed: ['em1'] }, issues: [other] });
	const d3 = await create({ title: `${tag} three`, raci: { accountable: ['eng2'], informed: ['em1'] }, issues: [n, other] });
	const d4 = await create({ title: `${tag} four`, raci: { informed: ['eng2'] } });
	await decide(d1.id, 'accepted');
	await decide(d3.id, 'accepted', 'admin');
	await decide(d4.id, 'rejected');

	const all = await list({ q: tag }, 'eng1');
	assert.deepEqual(ids(all), [d4.id, d3.id, d2.id, d1.id], 'newest first');
	for (const item of all) {
		assert.ok(!('snapshot' in item) && !('today' in item), `list items carry no snapshot/today: ${JSON.stringify(item)}`);
		assert.equal(typeof item.title, 'string');
		assert.equal(typeof item.status, 'string');
	}
	const everyone = await list({}, 'viewer1');
	for (let k = 1; k < everyone.length; k++)
		assert.ok(everyone[k - 1].id > everyone[k].id, 'the whole list is newest first');

	const accepted = await list({ q: tag, status: 'accepted' });
	assert.deepEqual(ids(accepted), [d3.id, d1.id]);
	assert.ok((await list({ status: 'accepted' })).every((x) => x.status === 'accepted'));
	assert.deepEqual(ids(await list({ q: tag, status: 'proposed' })), [d2.id]);
	assert.deepEqual(ids(await list({ q: tag, status: 'rejected' })), [d4.id]);

	assert.deepEqual(ids(await list({ q: tag, involving: 'eng2' })), [d4.id, d3.id, d1.id], 'eng2 is consulted, accountable or informed');
	assert.deepEqual(ids(await list({ q: tag, involving: 'em1' })), [d3.id, d2.id]);
	assert.deepEqual(ids(await list({ q: tag, involving: 'pm1' })), [d1.id]);
	assert.deepEqual(ids(await list({ q: tag, involving: 'viewer1' })), []);
	assert.deepEqual(ids(await list({ q: tag, involving: 'eng2', status: 'accepted' })), [d3.id, d1.id]);
	for (const d of await list({ involving: 'eng2' })) {
		const full = await read(d.id);
		assert.ok(ROLES4.some((r) => full.raci[r].includes('eng2')), `decision ${d.id} involves eng2: ${JSON.stringify(full.raci)}`);
	}

	assert.deepEqual(ids(await list({ issue: String(n) }, 'eng1')), [d3.id, d1.id]);
	assert.deepEqual(ids(await list({ issue: String(other), status: 'accepted' })), [d3.id]);
	const byIssue = await getJson(`/api/v1/issues/${n}/decisions`, 'viewer1');
	assert.deepEqual(ids(byIssue.items).sort((a, b) => a - b), [d1.id, d3.id]);
	assert.deepEqual(ids((await getJson(`/api/v1/issues/${other}/decisions`, 'eng1')).items).sort((a, b) => a - b), [d2.id, d3.id]);
	const lone = (await issue()).number;
	assert.deepEqual((await getJson(`/api/v1/issues/${lone}/decisions`)).items, []);
	assertError(await as('eng1').get('/api/v1/issues/999999/decisions'), 404, 'not_found');

	assertError(await as('eng1').get(D, { query: { status: 'maybe' } }), 422, 'invalid_field', 'status');
	assertError(await as('eng1').get(D, { query: { involving: 'ghost-user' } }), 422, 'invalid_field', 'involving');
});

test('list items carry the summary fields (as documented), not the texts, links or evidence', async () => {
	const n = (await issue()).number;
	const tag = uniq('shape');
	const options = [{ title: 'Yes', pros: 'a', cons: 'b' }];
	const d = await create({ title: `${tag} shaped`, context: 'Why **now**', options, decision: 'Yes', consequences: 'More work',
		raci: { responsible: ['pm1'], informed: ['eng1'] }, issues: [n] });
	const [item] = await list({ q: tag }, 'eng1');
	assert.equal(item?.id, d.id);
	const summary = ['id', 'title', 'status', 'decided_at', 'review_date', 'supersedes', 'superseded_by', 'created_by',
		'created_at', 'updated_at', 'version'];
	assert.deepEqual(Object.keys(item).sort(), [...summary].sort());
	for (const k of summary)
		assert.deepEqual(item[k], d[k], k);
});

/* ---------- history ---------- */

test('history: created, each edit and the status change, with actors and times, oldest first; everyone reads it', async () => {
	const t1 = uniq('Hist ');
	const d = await create({ title: t1, context: 'c' }, 'pm1');
	const t2 = uniq('Hist renamed ');
	await patch(d.id, { title: t2 }, 'admin');
	await patch(d.id, { consequences: 'now we know' }, 'pm1');
	await decide(d.id, 'accepted', 'admin');
	for (const login of ['viewer1', 'eng1'])
		await getJson(`${D}/${d.id}/history`, login);
	const h = await history(d.id, 'viewer1');
	assert.deepEqual(h.map((x) => [x.field, x.actor]), [['created', 'pm1'], ['title', 'admin'], ['consequences', 'pm1'], ['status', 'admin']],
		JSON.stringify(h));
	assert.equal(h[0].new, t1);
	assert.deepEqual([h[1].old, h[1].new], [t1, t2]);
	assert.deepEqual([h[3].old, h[3].new], ['proposed', 'accepted']);
	for (const x of h)
		assertNow(x.at, `history time of ${x.field}`);

	// a refused edit adds nothing
	const before = await history(d.id);
	assertError(await as('pm1').patch(`${D}/${d.id}`, { title: 'late' }), 409, 'conflict');
	assertError(await as('eng1').patch(`${D}/${d.id}`, { title: 'late' }), 403, 'forbidden');
	assert.deepEqual(await history(d.id), before);
});

test('a long decision log: the list returns every matching decision, or says there are more (no silent cut)', async () => {
	const tag = uniq('many');
	const N = 205;
	for (let k = 0; k < N; k++)
		await create({ title: `${tag} decision ${k}` }, k % 2 ? 'pm1' : 'admin');
	const r = await as('viewer1').get(D, { query: { q: tag } });
	assertStatus(r, 200);
	const got = r.json.items.length;
	const more = (typeof r.json.total === 'number' && r.json.total === N) || /rel="?next/.test(r.headers.get('link') || '');
	assert.ok(got === N || more, `${N} decisions match; the list returned ${got} with no total or next link: keys ${Object.keys(r.json)}, Link ${r.headers.get('link')}`);
});

test('server shuts down cleanly', () => srv.stop());
