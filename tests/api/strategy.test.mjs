/*
 * strategy.test.mjs — issue #12 over real HTTP (docs/API.md "Strategy and
 * roadmap (issue #12)"), the parts a PM types in: the strategy document
 * (versions, the unchanged-body rule, who may save, validation, the
 * version list, one version, the line diff), the review reminder,
 * objectives with key results (numbers with up to 3 decimals, progress
 * clamped, measured today by default), pillars' intended shares (at most
 * 100 in all), initiatives (who may create, every field validated, PATCH
 * with and without If-Match, ETag), the strategy history (created, moved,
 * re-dated, health changed, with the actor) and health updates (the owner,
 * PMs and admins; the newest first).
 *
 * Progress, forecasts, demand, allocation and the roadmap — computed from
 * real work — are in strategy_roadmap.test.mjs.
 *
 * One server for the file; tests run in order and share the document (its
 * versions build up), but each makes its own pillars, objectives and
 * initiatives.  Every refusal re-reads what it could have touched and
 * requires it unchanged.  Times come from tests/lib/clock.mjs (the server
 * runs on the same clock); nothing assumes two writes fall in different
 * seconds.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { DAY_MS, addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const as = (login) => srv.as(login);
const S = '/api/v1/strategy';
const put = (login, body) => as(login).call('PUT', S, { body });
const NOT_OWNERS = ['cto1', 'em1', 'eng1', 'viewer1'];

/* ---------- helpers ---------- */

/* An ISO time the server wrote "now". */
function assertNow(iso, what) {
	assert.match(String(iso), ISO_RE, `${what}: an ISO time, got ${iso}`);
	const slack = process.env.CAIRN_NOW ? 1000 : 300000;
	assert.ok(Math.abs(Date.parse(iso) - nowMs()) < slack, `${what}: ${iso} is not now (${new Date(nowMs()).toISOString()})`);
}

async function getJson(path, login = 'admin', query) {
	const r = await as(login).get(path, query ? { query } : {});
	assertStatus(r, 200);
	return r.json;
}

const strategy = (login = 'admin') => getJson(S, login);
const history = async (login = 'admin') => (await getJson(`${S}/history`, login)).items;

/* Everything a refused strategy request could have touched, as the admin
 * sees it: the strategy (document, review, objectives, pillars,
 * initiatives), the versions, the history, every initiative in detail
 * (with its updates), the settings and the planning pillars. */
async function state() {
	const s = await strategy();
	const details = {};
	for (const i of s.initiatives)
		details[i.id] = await getJson(`/api/v1/initiatives/${i.id}`);
	return {
		strategy: s,
		versions: await getJson(`${S}/versions`),
		history: await getJson(`${S}/history`),
		initiatives: await getJson('/api/v1/initiatives'),
		details,
		settings: await getJson('/api/v1/settings'),
		pillars: await getJson('/api/v1/pillars'),
	};
}

/* A refusal: the error (status, code, field when given), then nothing changed. */
async function refused(res, before, status, code, field) {
	assertError(res, status, code, field);
	assert.deepStrictEqual(await state(), before, `a refused request must change nothing: ${show(res)}`);
}

async function newPillar(login = 'pm1') {
	const r = await as(login).post('/api/v1/pillars', { name: uniq('Pillar '), description: 'a pillar' });
	assertStatus(r, 201);
	return r.json;
}

async function newObjective(body = {}, login = 'pm1') {
	const r = await as(login).post('/api/v1/objectives', { title: uniq('Objective '), ...body });
	assertStatus(r, 201);
	return r.json;
}

async function newInitiative(body = {}, login = 'pm1') {
	const r = await as(login).post('/api/v1/initiatives', { title: uniq('Initiative '), ...body });
	assertStatus(r, 201);
	return r.json;
}

const objectiveIn = (s, id) => {
	const o = s.objectives.find((x) => x.id === id);
	assert.ok(o, `objective ${id} in the strategy: ${JSON.stringify(s.objectives.map((x) => x.id))}`);
	return o;
};
const pillarIn = (s, id) => {
	const p = s.pillars.find((x) => x.id === id);
	assert.ok(p, `pillar ${id} in the strategy: ${JSON.stringify(s.pillars.map((x) => x.id))}`);
	return p;
};
const krIn = (s, objective, metric) => {
	const k = objectiveIn(s, objective).key_results.find((x) => x.metric === metric);
	assert.ok(k, `key result ${metric} of objective ${objective}`);
	return k;
};

/* A key result's progress, to the float. */
function assertRatio(actual, expected, what) {
	assert.equal(typeof actual, 'number', `${what}: a number, got ${actual}`);
	assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);
}

/* The history entries about one object, newest first as the API lists them. */
const about = (items, object) => items.filter((h) => h.object === object);

/* ---------- the document ---------- */

const BODY1 = '# Strategy\n\nWe win on onboarding.\nWe keep the price low.\nCafé — naïve users first\n';
const BODY2 = '# Strategy\n\nWe win on onboarding.\nWe keep the price fair.\nCafé — naïve users first\n<script>alert(1)</script> Security first.\n';
let v1, v2;

test('a fresh strategy: no version yet, never reviewed (so the review is overdue), nothing planned', async () => {
	const s = await strategy('viewer1');
	assert.equal(s.version, null);
	assert.equal(s.versions, 0);
	assert.equal(s.last_reviewed, null);
	assert.equal(s.review_every_days, 90, 'the default review cycle');
	assert.equal(s.review_overdue, true, 'a strategy never reviewed is overdue');
	assert.deepEqual(s.objectives, []);
	assert.deepEqual(s.initiatives, []);
	assert.deepEqual((await getJson(`${S}/versions`, 'eng1')).items, []);
});

test('PUT /strategy: a PM saves version 1 (201, author, time, note, rendered body)', async () => {
	const r = await put('pm1', { body: BODY1, note: 'first draft' });
	assertStatus(r, 201);
	v1 = r.json;
	assert.equal(typeof v1.id, 'number');
	assert.equal(v1.body, BODY1);
	assert.equal(v1.author, 'pm1');
	assert.equal(v1.note, 'first draft');
	assertNow(v1.created_at, 'created_at');
	assert.match(v1.body_html, /<h1>Strategy<\/h1>/, 'the markdown is rendered');
	const s = await strategy('eng1');
	assert.equal(s.versions, 1);
	assert.equal(s.version.id, v1.id);
	assert.equal(s.version.body, BODY1);
	assert.equal(s.version.author, 'pm1');
	assert.equal(s.version.note, 'first draft');
});

test('PUT /strategy: an identical body is 200 and no new version; a changed body is version 2', async () => {
	const same = await put('admin', { body: BODY1, note: 'saved again' });
	assertStatus(same, 200);
	assert.equal(same.json.id, v1.id, 'the current version is returned');
	let s = await strategy();
	assert.equal(s.versions, 1, 'no new version');
	assert.equal((await getJson(`${S}/versions`)).items.length, 1);

	const r = await put('admin', { body: BODY2, note: 'price wording' });
	assertStatus(r, 201);
	v2 = r.json;
	assert.notEqual(v2.id, v1.id);
	assert.equal(v2.author, 'admin');
	assert.equal(v2.body, BODY2);
	assert.ok(!/<script/i.test(v2.body_html), `raw HTML never reaches body_html: ${v2.body_html}`);
	s = await strategy();
	assert.equal(s.versions, 2);
	assert.equal(s.version.id, v2.id);
	assert.equal(s.version.body, BODY2);
	const h = about(await history(), 'strategy');
	assert.ok(h.length >= 2 && h.every((x) => x.actor === 'pm1' || x.actor === 'admin'), `saves are in the history: ${JSON.stringify(h)}`);
	assert.equal(h[0].actor, 'admin', 'newest first: the second save');
	assert.equal(h.at(-1).actor, 'pm1', 'the first save last');
});

test('PUT /strategy: only PMs and admins (403 for CTO, EM, engineer, viewer), nothing changes', async () => {
	const before = await state();
	for (const login of NOT_OWNERS)
		await refused(await put(login, { body: '# Mine now\n' }), before, 403, 'forbidden');
});

test('PUT /strategy: control characters, a body over 256 KiB, a missing or non-string body are 422 naming body', async () => {
	const before = await state();
	for (const body of ['bell \u0007 here', 'escape \u001b[31m red', 'del \u007f', 'x'.repeat(256 * 1024 + 1)])
		await refused(await put('pm1', { body }), before, 422, 'invalid_field', 'body');
	await refused(await put('pm1', { note: 'no body' }), before, 422, 'invalid_field', 'body');
	await refused(await put('pm1', { body: 42 }), before, 422, 'invalid_field', 'body');
	await refused(await put('pm1', { body: null }), before, 422, 'invalid_field', 'body');
	await refused(await put('pm1', { body: 'ok', colour: 'red' }), before, 422, 'invalid_field', 'colour');
});

test('versions: newest first with author, time, note and size in bytes; one version by id; 404 for an unknown one', async () => {
	const l = await getJson(`${S}/versions`, 'viewer1');
	assert.deepEqual(l.items.map((v) => v.id), [v2.id, v1.id], 'newest first');
	const [b, a] = l.items;
	assert.deepEqual([a.author, a.note, a.created_at], ['pm1', 'first draft', v1.created_at]);
	assert.deepEqual([b.author, b.note, b.created_at], ['admin', 'price wording', v2.created_at]);
	const one = await getJson(`${S}/versions/${v1.id}`, 'eng1');
	assert.equal(one.id, v1.id);
	assert.equal(one.body, BODY1);
	assert.equal(one.author, 'pm1');
	assert.equal(one.note, 'first draft');
	assertError(await as('eng1').get(`${S}/versions/${v2.id + 1000}`), 404, 'not_found');
});

test('versions: bytes is the size of the body in bytes, not characters (é, —, ï are two or three bytes)', async () => {
	const [b, a] = (await getJson(`${S}/versions`)).items;
	assert.equal(Buffer.byteLength(BODY1) - BODY1.length, 4, 'the body has multi-byte characters');
	assert.equal(a.bytes, Buffer.byteLength(BODY1));
	assert.equal(b.bytes, Buffer.byteLength(BODY2));
});

test('diff: a changed line is a del then an add, with old and new line numbers; counts; reversed; same version', async () => {
	const d = await getJson(`${S}/diff`, 'viewer1', { from: String(v1.id), to: String(v2.id) });
	assert.equal(d.from.id, v1.id);
	assert.equal(d.to.id, v2.id);
	assert.deepEqual(d.lines, [
		{ op: 'same', text: '# Strategy', old: 1, new: 1 },
		{ op: 'same', text: '', old: 2, new: 2 },
		{ op: 'same', text: 'We win on onboarding.', old: 3, new: 3 },
		{ op: 'del', text: 'We keep the price low.', old: 4, new: null },
		{ op: 'add', text: 'We keep the price fair.', old: null, new: 4 },
		{ op: 'same', text: 'Café — naïve users first', old: 5, new: 5 },
		{ op: 'add', text: '<script>alert(1)</script> Security first.', old: null, new: 6 },
	]);
	assert.equal(d.added, 2);
	assert.equal(d.removed, 1);

	const back = await getJson(`${S}/diff`, 'eng1', { from: String(v2.id), to: String(v1.id) });
	assert.deepEqual(back.lines.filter((l) => l.op !== 'same'), [
		{ op: 'del', text: 'We keep the price fair.', old: 4, new: null },
		{ op: 'add', text: 'We keep the price low.', old: null, new: 4 },
		{ op: 'del', text: '<script>alert(1)</script> Security first.', old: 6, new: null },
	]);
	assert.deepEqual([back.added, back.removed], [1, 2]);

	const same = await getJson(`${S}/diff`, 'eng1', { from: String(v1.id), to: String(v1.id) });
	assert.ok(same.lines.every((l) => l.op === 'same' && l.old === l.new), JSON.stringify(same.lines));
	assert.equal(same.lines.length, 5);
	assert.deepEqual([same.added, same.removed], [0, 0]);
});

test('diff: an unknown version is 404; a missing or bad from/to is 422 naming it', async () => {
	const unknown = v2.id + 1000;
	assertError(await as('eng1').get(`${S}/diff`, { query: { from: String(v1.id), to: String(unknown) } }), 404, 'not_found');
	assertError(await as('eng1').get(`${S}/diff`, { query: { from: String(unknown), to: String(v1.id) } }), 404, 'not_found');
	assertError(await as('eng1').get(`${S}/diff`, { query: { from: String(v1.id) } }), 422, 'invalid_field', 'to');
	assertError(await as('eng1').get(`${S}/diff`, { query: { to: String(v1.id) } }), 422, 'invalid_field', 'from');
	assertError(await as('eng1').get(`${S}/diff`), 422, 'invalid_field');
	assertError(await as('eng1').get(`${S}/diff`, { query: { from: 'first', to: String(v1.id) } }), 422, 'invalid_field', 'from');
});

test('PUT /strategy: a body of exactly 256 KiB with tabs and CRLF line ends is accepted', async () => {
	const line = 'a\tb\r\n';
	const body = line.repeat(Math.floor((256 * 1024) / line.length)).padEnd(256 * 1024, 'z');
	assert.equal(Buffer.byteLength(body), 256 * 1024);
	const r = await put('pm1', { body, note: 'the longest' });
	assertStatus(r, 201);
	assert.equal(r.json.body, body);
	assert.equal((await strategy()).versions, 3);
	assert.equal((await getJson(`${S}/versions`)).items[0].bytes, 256 * 1024);
});

/* ---------- the review reminder ---------- */

test('review: a PM marks it reviewed now; review_due = last_reviewed + review_every_days; not overdue', async () => {
	const r = await as('pm1').post(`${S}/review`, {});
	assertStatus(r, 200);
	for (const s of [r.json, await strategy('viewer1')]) {
		assertNow(s.last_reviewed, 'last_reviewed');
		assert.equal(s.review_every_days, 90);
		assert.equal(Date.parse(s.review_due) - Date.parse(s.last_reviewed), 90 * DAY_MS, `review_due ${s.review_due}`);
		assert.match(s.review_due, ISO_RE);
		assert.equal(s.review_overdue, false);
	}
	const h = about(await history(), 'strategy')[0];
	assert.equal(h.actor, 'pm1', `the review is in the history: ${JSON.stringify(h)}`);

	const r2 = await as('admin').post(`${S}/review`, { review_every_days: 30 });
	assertStatus(r2, 200);
	const s = await strategy();
	assert.equal(s.review_every_days, 30);
	assertNow(s.last_reviewed, 'last_reviewed');
	assert.equal(Date.parse(s.review_due) - Date.parse(s.last_reviewed), 30 * DAY_MS);
	assert.equal(s.review_overdue, false);

	// No body at all is the same as {}; the cycle stays.
	const r3 = await as('pm1').call('POST', `${S}/review`);
	assertStatus(r3, 200);
	assert.equal((await strategy()).review_every_days, 30);
});

test('review: only PMs and admins; review_every_days out of range or not a whole number is 422; nothing changes', async () => {
	const before = await state();
	for (const login of NOT_OWNERS)
		await refused(await as(login).post(`${S}/review`, {}), before, 403, 'forbidden');
	for (const days of [0, -1, 100000, 'thirty', 1.5, null])
		await refused(await as('pm1').post(`${S}/review`, { review_every_days: days }), before, 422, 'invalid_field', 'review_every_days');
});

/* ---------- objectives and key results ---------- */

let pillarA, pillarB, pillarC, objective;

test('objectives: a PM creates one (201) with its pillars; PATCH changes any subset', async () => {
	pillarA = await newPillar();
	pillarB = await newPillar('admin');
	pillarC = await newPillar();
	const r = await as('pm1').post('/api/v1/objectives', { title: 'Grow self-serve revenue', description: 'More teams start alone.', period: '2027 H1', pillars: [pillarA.id] });
	assertStatus(r, 201);
	objective = r.json;
	assert.equal(typeof objective.id, 'number');
	assert.equal(objective.title, 'Grow self-serve revenue');
	assert.equal(objective.description, 'More teams start alone.');
	assert.equal(objective.period, '2027 H1');
	assert.deepEqual(objective.pillars, [pillarA.id]);
	assert.deepEqual(objective.key_results, []);
	assert.equal(objective.progress.points, 0);

	const p = await as('pm1').patch(`/api/v1/objectives/${objective.id}`, { period: '2027', pillars: [pillarA.id, pillarB.id] });
	assertStatus(p, 200);
	const o = objectiveIn(await strategy('eng1'), objective.id);
	assert.equal(o.period, '2027');
	assert.equal(o.title, 'Grow self-serve revenue', 'untouched fields stay');
	assert.equal(o.description, 'More teams start alone.');
	assert.deepEqual([...o.pillars].sort((a, b) => a - b), [pillarA.id, pillarB.id].sort((a, b) => a - b));
});

test('objectives: 403 for those who do not own the strategy; a missing title, an unknown pillar are 422; nothing changes', async () => {
	const before = await state();
	for (const login of NOT_OWNERS)
		await refused(await as(login).post('/api/v1/objectives', { title: 'Nope' }), before, 403, 'forbidden');
	await refused(await as('eng1').patch(`/api/v1/objectives/${objective.id}`, { title: 'Nope' }), before, 403, 'forbidden');
	await refused(await as('pm1').post('/api/v1/objectives', { description: 'no title' }), before, 422, 'invalid_field', 'title');
	await refused(await as('pm1').post('/api/v1/objectives', { title: '' }), before, 422, 'invalid_field', 'title');
	await refused(await as('pm1').post('/api/v1/objectives', { title: 'x', pillars: [pillarC.id + 1000] }), before, 422, 'invalid_field', 'pillars');
	await refused(await as('pm1').patch(`/api/v1/objectives/${objective.id}`, { pillars: [pillarC.id + 1000] }), before, 422, 'invalid_field', 'pillars');
	await refused(await as('pm1').patch(`/api/v1/objectives/${objective.id}`, { title: '' }), before, 422, 'invalid_field', 'title');
});

test('key results: numbers with up to 3 decimals; progress = (current − baseline) / (target − baseline); measured today', async () => {
	let r = await as('pm1').post(`/api/v1/objectives/${objective.id}/key-results`, { metric: 'Activation rate', baseline: 20, target: 45.5, current: 30.125 });
	assertStatus(r, 201);
	r = await as('pm1').post(`/api/v1/objectives/${objective.id}/key-results`, { metric: 'Trials', baseline: '100', target: '250.5' });
	assertStatus(r, 201);
	r = await as('admin').post(`/api/v1/objectives/${objective.id}/key-results`, { metric: 'Churn %', baseline: 10, target: 5, current: 7 });
	assertStatus(r, 201);
	r = await as('pm1').post(`/api/v1/objectives/${objective.id}/key-results`, { metric: 'NPS', baseline: -1.5, target: 2.5, current: 0.5 });
	assertStatus(r, 201);

	const s = await strategy('viewer1');
	const act = krIn(s, objective.id, 'Activation rate');
	assert.deepEqual([act.baseline, act.target, act.current], [20, 45.5, 30.125]);
	assertRatio(act.progress, 10.125 / 25.5, 'activation progress');
	assert.ok(String(act.measured_at).startsWith(todayYmd()), `a new current is measured today: ${act.measured_at}`);
	assert.equal(typeof act.id, 'number');

	const trials = krIn(s, objective.id, 'Trials');
	assert.deepEqual([trials.baseline, trials.target, trials.current, trials.progress, trials.measured_at], [100, 250.5, null, null, null],
		'no current: no progress, not measured');
	const churn = krIn(s, objective.id, 'Churn %');
	assertRatio(churn.progress, 0.6, 'a falling metric: (7 − 10) / (5 − 10)');
	const nps = krIn(s, objective.id, 'NPS');
	assert.deepEqual([nps.baseline, nps.target, nps.current], [-1.5, 2.5, 0.5]);
	assertRatio(nps.progress, 0.5, 'negative baseline');
});

test('key results: PATCH clamps progress to 0..1, takes a measured_at, and a new current without one is measured today', async () => {
	const id = krIn(await strategy(), objective.id, 'Activation rate').id;
	const kr = async () => krIn(await strategy('eng1'), objective.id, 'Activation rate');
	let r = await as('pm1').patch(`/api/v1/key-results/${id}`, { current: 60 });
	assertStatus(r, 200);
	assert.equal((await kr()).progress, 1, 'past the target: 1');
	r = await as('pm1').patch(`/api/v1/key-results/${id}`, { current: 12.5 });
	assertStatus(r, 200);
	assert.equal((await kr()).progress, 0, 'below the baseline: 0');
	r = await as('pm1').patch(`/api/v1/key-results/${id}`, { current: 33, measured_at: '2026-11-30' });
	assertStatus(r, 200);
	let k = await kr();
	assert.equal(k.current, 33);
	assert.ok(String(k.measured_at).startsWith('2026-11-30'), `measured_at as given: ${k.measured_at}`);
	assertRatio(k.progress, 13 / 25.5, 'progress');
	r = await as('admin').patch(`/api/v1/key-results/${id}`, { current: 33.5 });
	assertStatus(r, 200);
	k = await kr();
	assert.ok(String(k.measured_at).startsWith(todayYmd()), `a new current without measured_at is today's: ${k.measured_at}`);
	r = await as('pm1').patch(`/api/v1/key-results/${id}`, { metric: 'Activation rate', target: 40 });
	assertStatus(r, 200);
	k = await kr();
	assert.deepEqual([k.baseline, k.target, k.current], [20, 40, 33.5], 'a PATCH changes only what it sends');
	assertRatio(k.progress, 13.5 / 20, 'progress with the new target');
});

test('key results: target equal to the baseline, non-numbers, more than 3 decimals, no metric are 422 naming the field; 403, 404; nothing changes', async () => {
	const id = krIn(await strategy(), objective.id, 'Activation rate').id;
	const post = (body, login = 'pm1') => as(login).post(`/api/v1/objectives/${objective.id}/key-results`, body);
	const before = await state();
	await refused(await post({ metric: 'Flat', baseline: 5, target: 5 }), before, 422, 'invalid_field', 'target');
	await refused(await post({ metric: 'Flat', baseline: '5.000', target: 5 }), before, 422, 'invalid_field', 'target');
	await refused(await post({ metric: 'Word', baseline: 'ten', target: 20 }), before, 422, 'invalid_field', 'baseline');
	await refused(await post({ metric: 'Word', baseline: 1, target: 'lots' }), before, 422, 'invalid_field', 'target');
	await refused(await post({ metric: 'Word', baseline: 1, target: 2, current: 'some' }), before, 422, 'invalid_field', 'current');
	await refused(await post({ metric: 'Bool', baseline: true, target: 2 }), before, 422, 'invalid_field', 'baseline');
	await refused(await post({ metric: 'Fine', baseline: '1.2345', target: 2 }), before, 422, 'invalid_field', 'baseline');
	await refused(await post({ metric: 'No base', target: 2 }), before, 422, 'invalid_field', 'baseline');
	await refused(await post({ baseline: 1, target: 2 }), before, 422, 'invalid_field', 'metric');
	await refused(await post({ metric: 'x', baseline: 1, target: 2, measured_at: 'yesterday', current: 1 }), before, 422, 'invalid_field', 'measured_at');
	for (const login of NOT_OWNERS)
		await refused(await post({ metric: 'Mine', baseline: 1, target: 2 }, login), before, 403, 'forbidden');
	await refused(await as('pm1').post(`/api/v1/objectives/${objective.id + 1000}/key-results`, { metric: 'x', baseline: 1, target: 2 }), before, 404, 'not_found');

	await refused(await as('pm1').patch(`/api/v1/key-results/${id}`, { target: 20 }), before, 422, 'invalid_field', 'target');
	await refused(await as('pm1').patch(`/api/v1/key-results/${id}`, { baseline: 40 }), before, 422, 'invalid_field', 'target');
	await refused(await as('pm1').patch(`/api/v1/key-results/${id}`, { current: 'n/a' }), before, 422, 'invalid_field', 'current');
	await refused(await as('eng1').patch(`/api/v1/key-results/${id}`, { current: 39 }), before, 403, 'forbidden');
	await refused(await as('pm1').patch(`/api/v1/key-results/${id + 1000}`, { current: 39 }), before, 404, 'not_found');
});

test('key results: a JSON number with more than 3 decimals is refused on PATCH too (422), not rounded', async () => {
	const id = krIn(await strategy(), objective.id, 'Activation rate').id;
	const before = await state();
	await refused(await as('pm1').patch(`/api/v1/key-results/${id}`, { current: 30.0625 }), before, 422, 'invalid_field', 'current');
});

test('key results: a JSON number with more than 3 decimals is refused on create (422), not rounded', async () => {
	const before = await state();
	await refused(await as('pm1').post(`/api/v1/objectives/${objective.id}/key-results`, { metric: 'Fine', baseline: 1, target: 2.0625 }),
		before, 422, 'invalid_field', 'target');
});

/* ---------- pillars' intended shares ---------- */

test('pillars: target_share set by PMs; the sum over pillars may not exceed 100 (422 naming the sum); "" or null clears', async () => {
	const share = (p, v, login = 'pm1') => as(login).patch(`/api/v1/pillars/${p.id}`, { target_share: v });
	let r = await share(pillarA, 60);
	assertStatus(r, 200);
	assert.equal(r.json.target_share, 60);
	assert.equal(r.json.id, pillarA.id);
	r = await share(pillarB, 40, 'admin');
	assertStatus(r, 200);
	let s = await strategy('viewer1');
	assert.equal(pillarIn(s, pillarA.id).target_share, 60);
	assert.equal(pillarIn(s, pillarB.id).target_share, 40);
	assert.equal(pillarIn(s, pillarC.id).target_share, null, 'no share intended');
	for (const p of s.pillars)
		assert.equal(typeof p.progress, 'object', 'pillars carry their progress');

	const before = await state();
	r = await share(pillarC, 1);
	await refused(r, before, 422, 'invalid_field', 'target_share');
	assert.match(r.json.error.message, /(^|\D)101(\D|$)/, `the message names the sum: ${show(r)}`);
	r = await share(pillarB, 45);
	await refused(r, before, 422, 'invalid_field', 'target_share');
	assert.match(r.json.error.message, /(^|\D)105(\D|$)/, `the message names the sum: ${show(r)}`);
	for (const bad of [101, -5, 'half', 12.5, true])
		await refused(await share(pillarC, bad), before, 422, 'invalid_field', 'target_share');
	for (const login of NOT_OWNERS)
		await refused(await share(pillarC, 0, login), before, 403, 'forbidden');
	await refused(await as('pm1').patch(`/api/v1/pillars/${pillarC.id}`, { name: '' }), before, 422, 'invalid_field', 'name');
	await refused(await as('pm1').patch(`/api/v1/pillars/${pillarC.id + 1000}`, { target_share: 0 }), before, 404, 'not_found');

	r = await share(pillarA, null);
	assertStatus(r, 200);
	assert.equal(r.json.target_share, null, 'null clears');
	r = await share(pillarC, 60);
	assertStatus(r, 200, 'room again: 40 + 60');
	r = await share(pillarB, '');
	assertStatus(r, 200);
	assert.equal(r.json.target_share, null, '"" clears');
	s = await strategy();
	assert.deepEqual([pillarIn(s, pillarA.id).target_share, pillarIn(s, pillarB.id).target_share, pillarIn(s, pillarC.id).target_share], [null, null, 60]);
	const alloc = await getJson(`${S}/allocation`, 'eng1');
	assert.deepEqual(alloc.intended, [{ pillar: { id: pillarC.id, name: pillarC.name }, target_share: 60 }], 'the intended shares beside the allocation');
	const h = about(await history(), `pillar ${pillarC.id}`);
	assert.ok(h.some((x) => x.actor === 'pm1' && x.new === '60'), `share changes are in the history: ${JSON.stringify(h)}`);
});

test('pillars: the objectives a pillar serves are set on the objective (pillars: [ids]); the pillar shows them', async () => {
	assertError(await as('pm1').patch(`/api/v1/pillars/${pillarC.id}`, { objectives: [objective.id] }), 422, 'invalid_field', 'objectives');
	const pillars = objectiveIn(await strategy('pm1'), objective.id).pillars;
	const r = await as('pm1').patch(`/api/v1/objectives/${objective.id}`, { pillars: [...new Set([...pillars, pillarC.id])] });
	assertStatus(r, 200);
	const s = await strategy('eng1');
	assert.deepEqual(pillarIn(s, pillarC.id).objectives, [objective.id]);
	assert.ok(objectiveIn(s, objective.id).pillars.includes(pillarC.id), 'and the objective names the pillar');
});

/* ---------- initiatives ---------- */

let ini;

test('initiatives: a PM creates one (201, Location, ETag) with every field; an admin may too', async () => {
	const start = todayYmd();
	const target = addDays(start, 80);
	const r = await as('pm1').post('/api/v1/initiatives', {
		title: 'Self-serve onboarding', description: 'Teams start without us.', owner: 'eng1', pillar: pillarA.id,
		objectives: [objective.id], horizon: 'now', start, target, status: 'active', public: false,
	});
	assertStatus(r, 201);
	ini = r.json;
	assert.equal(r.headers.get('location'), `/api/v1/initiatives/${ini.id}`);
	assert.equal(r.headers.get('etag'), `"${ini.version}"`);
	assert.equal(ini.title, 'Self-serve onboarding');
	assert.equal(ini.description, 'Teams start without us.');
	assert.equal(ini.owner, 'eng1');
	assert.deepEqual(ini.pillar, { id: pillarA.id, name: pillarA.name });
	assert.deepEqual(ini.objectives, [objective.id]);
	assert.deepEqual([ini.horizon, ini.start, ini.target, ini.status, ini.public], ['now', start, target, 'active', false]);
	assert.equal(ini.health, null, 'no health stated yet');
	assert.equal(ini.health_update, null);
	assert.deepEqual([ini.progress.points, ini.progress.done_points, ini.progress.items, ini.progress.epics], [0, 0, 0, 0]);
	assert.deepEqual(ini.epics, []);
	assert.deepEqual(ini.updates, []);
	assert.deepEqual([ini.demand.customers, ini.demand.insights, ini.demand.arr], [0, 0, 0]);

	const g = await as('viewer1').get(`/api/v1/initiatives/${ini.id}`);
	assertStatus(g, 200);
	assert.equal(g.headers.get('etag'), `"${g.json.version}"`);
	assert.equal(g.json.title, 'Self-serve onboarding');

	const bare = await newInitiative({ title: 'Bare' }, 'admin');
	assert.deepEqual([bare.owner, bare.pillar, bare.horizon, bare.start, bare.target, bare.public, bare.health], [null, null, null, null, null, false, null]);
	assert.deepEqual(bare.objectives, []);
	assert.ok(['planned', 'active', 'done', 'dropped'].includes(bare.status), bare.status);

	const s = await strategy('eng1');
	assert.ok(s.initiatives.some((i) => i.id === ini.id) && s.initiatives.some((i) => i.id === bare.id));
	const list = await getJson('/api/v1/initiatives', 'eng1');
	assert.ok(list.items.some((i) => i.id === ini.id));
	const now = await getJson('/api/v1/initiatives', 'eng1', { horizon: 'now' });
	assert.deepEqual(now.items.map((i) => i.id), [ini.id], 'filtered by horizon');
	const active = await getJson('/api/v1/initiatives', 'eng1', { status: 'active' });
	assert.ok(active.items.some((i) => i.id === ini.id) && active.items.every((i) => i.status === 'active'), 'filtered by status');
	const byPillar = await getJson('/api/v1/initiatives', 'eng1', { pillar: String(pillarA.id) });
	assert.deepEqual(byPillar.items.map((i) => i.id), [ini.id], 'filtered by pillar');
	const h = about(await history(), `initiative ${ini.id}`);
	assert.equal(h.length, 1);
	assert.equal(h[0].actor, 'pm1');
	assert.equal(h[0].field, 'created');
	assert.equal(h[0].new, 'Self-serve onboarding');
	assertNow(h[0].at, 'history at');
});

test('initiatives: only PMs and admins create or edit them (403 for engineer, EM, CTO, viewer — even the owner); nothing changes', async () => {
	const before = await state();
	for (const login of NOT_OWNERS)
		await refused(await as(login).post('/api/v1/initiatives', { title: 'Mine' }), before, 403, 'forbidden');
	for (const login of NOT_OWNERS)
		await refused(await as(login).patch(`/api/v1/initiatives/${ini.id}`, { title: 'Mine' }), before, 403, 'forbidden');
});

test('initiatives: every field is validated, 422 naming it, nothing created', async () => {
	const before = await state();
	const t = todayYmd();
	const cases = [
		[{}, 'title'],
		[{ title: '' }, 'title'],
		[{ title: 'two\nlines' }, 'title'],
		[{ title: 'x'.repeat(300) }, 'title'],
		[{ title: 7 }, 'title'],
		[{ title: 'x', description: 'bell \u0007' }, 'description'],
		[{ title: 'x', owner: 'nobody-here' }, 'owner'],
		[{ title: 'x', pillar: pillarC.id + 1000 }, 'pillar'],
		[{ title: 'x', pillar: 'growth' }, 'pillar'],
		[{ title: 'x', objectives: [objective.id + 1000] }, 'objectives'],
		[{ title: 'x', objectives: 'all' }, 'objectives'],
		[{ title: 'x', horizon: 'soon' }, 'horizon'],
		[{ title: 'x', status: 'paused' }, 'status'],
		[{ title: 'x', status: null }, 'status'],
		[{ title: 'x', start: 'tomorrow' }, 'start'],
		[{ title: 'x', target: '2027-02-30' }, 'target'],
		[{ title: 'x', target: '2027-1-5' }, 'target'],
		[{ title: 'x', start: t, target: addDays(t, -1) }, 'target'],
		[{ title: 'x', public: null }, 'public'],
		[{ title: 'x', public: 1.5 }, 'public'],
		[{ title: 'x', position: -1 }, 'position'],
		[{ title: 'x', colour: 'red' }, 'colour'],
	];
	for (const [body, field] of cases)
		await refused(await as('pm1').post('/api/v1/initiatives', body), before, 422, 'invalid_field', field);
	assertError(await as('eng1').get('/api/v1/initiatives', { query: { horizon: 'soon' } }), 422, 'invalid_field', 'horizon');
	assertError(await as('eng1').get('/api/v1/initiatives', { query: { status: 'paused' } }), 422, 'invalid_field', 'status');
	assertError(await as('eng1').get(`/api/v1/initiatives/${ini.id + 1000}`), 404, 'not_found');
});

test('initiatives: public must be true or false (a string is 422, not a silent false)', async () => {
	const before = await state();
	for (const pub of ['yes', 'true', '1'])
		await refused(await as('pm1').post('/api/v1/initiatives', { title: uniq('pub '), public: pub }), before, 422, 'invalid_field', 'public');
});

test('initiatives: PATCH with If-Match (412 when stale, new ETag) and without; a bad field is 422 and changes nothing', async () => {
	const g = await as('pm1').get(`/api/v1/initiatives/${ini.id}`);
	assertStatus(g, 200);
	const etag = g.headers.get('etag');
	assert.equal(etag, `"${g.json.version}"`);
	const r = await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { description: 'Teams start alone.' }, { headers: { 'If-Match': etag } });
	assertStatus(r, 200);
	assert.equal(r.json.version, g.json.version + 1);
	assert.equal(r.headers.get('etag'), `"${r.json.version}"`);
	assert.equal(r.json.description, 'Teams start alone.');
	assert.equal(r.json.title, 'Self-serve onboarding', 'untouched fields stay');

	let before = await state();
	await refused(await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { title: 'Stale' }, { headers: { 'If-Match': etag } }), before, 412, 'stale_version');
	await refused(await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { target: addDays(todayYmd(), -5) }), before, 422, 'invalid_field', 'target');
	await refused(await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { start: addDays(todayYmd(), 81) }), before, 422, 'invalid_field', 'target');
	await refused(await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { owner: 'ghost' }), before, 422, 'invalid_field', 'owner');
	await refused(await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { horizon: 'someday' }), before, 422, 'invalid_field', 'horizon');
	await refused(await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { status: 'paused' }), before, 422, 'invalid_field', 'status');
	await refused(await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { title: '' }), before, 422, 'invalid_field', 'title');
	assertError(await as('pm1').patch(`/api/v1/initiatives/${ini.id + 1000}`, { title: 'x' }), 404, 'not_found');

	const w = await as('admin').patch(`/api/v1/initiatives/${ini.id}`, { position: 5 });
	assertStatus(w, 200, 'no If-Match: no check');
	assert.equal(w.json.position, 5);
	assert.equal(w.json.version, r.json.version + 1);
	const again = await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { public: true }, { headers: { 'If-Match': w.headers.get('etag') } });
	assertStatus(again, 200);
	assert.equal(again.json.public, true);
});

test('history: created, moved (pillar, horizon), re-dated (start, target) and status changes, each with the actor, newest first', async () => {
	const cur = await getJson(`/api/v1/initiatives/${ini.id}`);
	const start2 = addDays(todayYmd(), 7);
	const target2 = addDays(todayYmd(), 120);
	let r = await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { pillar: pillarB.id });
	assertStatus(r, 200);
	assert.deepEqual(r.json.pillar, { id: pillarB.id, name: pillarB.name });
	r = await as('admin').patch(`/api/v1/initiatives/${ini.id}`, { horizon: 'next' });
	assertStatus(r, 200);
	r = await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { start: start2, target: target2 });
	assertStatus(r, 200);
	assert.deepEqual([r.json.start, r.json.target, r.json.horizon], [start2, target2, 'next']);
	r = await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { status: 'planned' });
	assertStatus(r, 200);

	const h = about(await history('viewer1'), `initiative ${ini.id}`);
	const find = (field) => {
		const k = h.findIndex((x) => x.field === field);
		assert.ok(k >= 0, `a ${field} entry in ${JSON.stringify(h)}`);
		return [k, h[k]];
	};
	const [kc, created] = find('created');
	const [kp, pillar] = find('pillar');
	const [kh, horizon] = find('horizon');
	const [ks, start] = find('start');
	const [kt, target] = find('target');
	const [kst, status] = find('status');
	assert.equal(created.actor, 'pm1');
	assert.deepEqual([pillar.actor, pillar.old, pillar.new], ['pm1', pillarA.name, pillarB.name]);
	assert.deepEqual([horizon.actor, horizon.old, horizon.new], ['admin', 'now', 'next']);
	assert.deepEqual([start.actor, start.old, start.new], ['pm1', cur.start, start2]);
	assert.deepEqual([target.actor, target.old, target.new], ['pm1', cur.target, target2]);
	assert.deepEqual([status.actor, status.old, status.new], ['pm1', 'active', 'planned']);
	assert.ok(kst < kt && kt < kh && kh < kp && kp < kc, `newest first: ${JSON.stringify(h.map((x) => x.field))}`);
	assert.ok(ks < kh, 'the re-dating came after the horizon change');
	for (const x of h)
		assert.match(x.at, ISO_RE);
});

/* ---------- health updates ---------- */

test('health: the owner (an engineer) posts an update (201); it becomes health and health_update', async () => {
	const r = await as('eng1').post(`/api/v1/initiatives/${ini.id}/updates`, { health: 'at_risk', text: 'Waiting on the SSO vendor' });
	assertStatus(r, 201);
	assert.equal(r.json.health, 'at_risk');
	assert.equal(r.json.health_update.author, 'eng1');
	assert.equal(r.json.health_update.text, 'Waiting on the SSO vendor');
	assertNow(r.json.health_update.at, 'health_update.at');
	const g = await getJson(`/api/v1/initiatives/${ini.id}`, 'viewer1');
	assert.equal(g.health, 'at_risk');
	assert.deepEqual([g.health_update.author, g.health_update.text], ['eng1', 'Waiting on the SSO vendor']);
	assert.equal(g.updates.length, 1);
	assert.deepEqual([g.updates[0].author, g.updates[0].health, g.updates[0].text], ['eng1', 'at_risk', 'Waiting on the SSO vendor']);
	const h = about(await history(), `initiative ${ini.id}`)[0];
	assert.deepEqual([h.actor, h.field, h.old, h.new], ['eng1', 'health', null, 'at_risk']);
});

test('health: another engineer, an EM, a viewer may not (403); a bad health or no text is 422; nothing changes', async () => {
	const before = await state();
	const post = (login, body) => as(login).post(`/api/v1/initiatives/${ini.id}/updates`, body);
	for (const login of ['eng2', 'em1', 'viewer1'])
		await refused(await post(login, { health: 'on_track', text: 'All good' }), before, 403, 'forbidden');
	for (const health of ['green', 'ON TRACK!', '', null, 3])
		await refused(await post('eng1', { health, text: 'hm' }), before, 422, 'invalid_field', 'health');
	await refused(await post('eng1', { text: 'no health' }), before, 422, 'invalid_field', 'health');
	await refused(await post('eng1', { health: 'on_track' }), before, 422, 'invalid_field', 'text');
	await refused(await post('eng1', { health: 'on_track', text: '' }), before, 422, 'invalid_field', 'text');
	await refused(await post('eng1', { health: 'on_track', text: 'ok', mood: 'good' }), before, 422, 'invalid_field', 'mood');
	assertError(await as('pm1').post(`/api/v1/initiatives/${ini.id + 1000}/updates`, { health: 'on_track', text: 'x' }), 404, 'not_found');
});

test('health: PMs post too; GET /initiatives/{id} lists the updates newest first; a new owner takes over the right to post', async () => {
	let r = await as('pm1').post(`/api/v1/initiatives/${ini.id}/updates`, { health: 'off_track', text: 'The vendor slipped a month' });
	assertStatus(r, 201);
	r = await as('admin').post(`/api/v1/initiatives/${ini.id}/updates`, { health: 'off_track', text: 'Still slipping' });
	assertStatus(r, 201);
	const g = await getJson(`/api/v1/initiatives/${ini.id}`, 'eng2');
	assert.equal(g.health, 'off_track');
	assert.deepEqual([g.health_update.author, g.health_update.text], ['admin', 'Still slipping']);
	assert.deepEqual(g.updates.map((u) => [u.author, u.health, u.text]), [
		['admin', 'off_track', 'Still slipping'],
		['pm1', 'off_track', 'The vendor slipped a month'],
		['eng1', 'at_risk', 'Waiting on the SSO vendor'],
	], 'newest first, the whole history kept');
	const h = about(await history(), `initiative ${ini.id}`).filter((x) => x.field === 'health');
	assert.deepEqual(h.map((x) => [x.actor, x.old, x.new]), [['pm1', 'at_risk', 'off_track'], ['eng1', null, 'at_risk']],
		'only changes of health are strategy changes');

	r = await as('pm1').patch(`/api/v1/initiatives/${ini.id}`, { owner: 'eng2' });
	assertStatus(r, 200);
	assert.equal(r.json.owner, 'eng2');
	const before = await state();
	await refused(await as('eng1').post(`/api/v1/initiatives/${ini.id}/updates`, { health: 'on_track', text: 'me again' }), before, 403, 'forbidden');
	r = await as('eng2').post(`/api/v1/initiatives/${ini.id}/updates`, { health: 'on_track', text: 'Vendor delivered' });
	assertStatus(r, 201);
	assert.equal(r.json.health, 'on_track');
	assert.equal(r.json.updates[0].author, 'eng2');
	const owner = about(await history(), `initiative ${ini.id}`).find((x) => x.field === 'owner');
	assert.deepEqual([owner.actor, owner.old, owner.new], ['pm1', 'eng1', 'eng2']);
});

test('server shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
