/*
 * strategy_roadmap.test.mjs — issue #12 over real HTTP (docs/API.md
 * "Strategy and roadmap (issue #12)"), the parts computed from the real
 * work: initiative progress from its epics' trees (points, done points,
 * items, unsized items; sized stories covering their unsized tasks,
 * won't-do left out) rolled up to pillars and objectives, only epics in
 * initiatives and moving them between initiatives (in the history), a
 * private security issue counted only for those who may see it, the
 * forecast and the suggested health (no target, far target, target
 * tomorrow, every boundary of the rule), the demand behind an initiative
 * (customers, insights, ARR), the investment allocation (by milestone and
 * quarter, shares, bugs, security, unplanned), the roadmap (lanes from
 * horizons and the product board, the timeline, Markdown) and the public
 * roadmap page (off by default, admin only, public initiatives only, never
 * an issue, HTML escaped).
 *
 * One server for the file: the first test checks the fresh database (public
 * roadmap off, empty roadmap), the second loads the demo (`cairn demo`: a
 * team throughput over the last 28 days, milestones with a past, a strategy
 * of its own, the public roadmap opened).
 * Each test builds its own issues and initiatives; the numbers asserted
 * are hand-computed from them.  Dates come from tests/lib/clock.mjs.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, todayYmd } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const YMD_RE = /^\d{4}-\d{2}-\d{2}$/;
const S = '/api/v1/strategy';
const as = (login) => srv.as(login);

/* ---------- helpers ---------- */

async function getJson(path, login = 'admin', query) {
	const r = await as(login).get(path, query ? { query } : {});
	assertStatus(r, 200);
	return r.json;
}

/* A new issue (admin unless said otherwise). */
const make = (fields = {}, login = 'admin') => srv.createIssue({ title: uniq('work '), type: 'story', ...fields }, login);

/* Finish an item on the development board (done: closed, done_at set). */
async function finish(n, login = 'admin') {
	const r = await srv.patchIssue(n, { dev_status: 'done' }, login);
	assertStatus(r, 200);
	assert.equal(r.json.state, 'closed');
	return r.json;
}

async function patchIssue(n, fields, login = 'admin') {
	const r = await srv.patchIssue(n, fields, login);
	assertStatus(r, 200);
	return r.json;
}

async function newInitiative(body = {}, login = 'pm1') {
	const r = await as(login).post('/api/v1/initiatives', { title: uniq('Initiative '), ...body });
	assertStatus(r, 201);
	return r.json;
}

async function patchInitiative(id, body, login = 'pm1') {
	const r = await as(login).patch(`/api/v1/initiatives/${id}`, body);
	assertStatus(r, 200);
	return r.json;
}

async function newPillar() {
	const r = await as('pm1').post('/api/v1/pillars', { name: uniq('Pillar ') });
	assertStatus(r, 201);
	return r.json;
}

async function newObjective(body = {}) {
	const r = await as('pm1').post('/api/v1/objectives', { title: uniq('Objective '), ...body });
	assertStatus(r, 201);
	return r.json;
}

/* Put an epic into an initiative (the answer is the initiative). */
async function addEpic(id, number, login = 'pm1') {
	const r = await as(login).post(`/api/v1/initiatives/${id}/epics`, { number });
	assert.ok(r.status === 200 || r.status === 201, `add epic #${number} to initiative ${id}: ${show(r)}`);
	return r.json;
}

const initiative = (id, login = 'admin') => getJson(`/api/v1/initiatives/${id}`, login);

const KEYS = ['points', 'done_points', 'items', 'done_items', 'unsized'];
const pick = (p) => Object.fromEntries(KEYS.map((k) => [k, p[k]]));
const prog = (points, done_points, items, done_items, unsized) => ({ points, done_points, items, done_items, unsized });

async function progressOf(id, login = 'admin') {
	const i = await initiative(id, login);
	return { ...pick(i.progress), epics: i.progress.epics };
}

async function pillarProgress(pillarId, login = 'admin') {
	const s = await getJson(S, login);
	const p = s.pillars.find((x) => x.id === pillarId);
	assert.ok(p, `pillar ${pillarId} in the strategy`);
	return pick(p.progress);
}

async function objectiveProgress(objectiveId, login = 'admin') {
	const s = await getJson(S, login);
	const o = s.objectives.find((x) => x.id === objectiveId);
	assert.ok(o, `objective ${objectiveId} in the strategy`);
	return pick(o.progress);
}

/* What a refused initiative/epic request could have touched. */
async function state() {
	const s = await getJson(S);
	const details = {};
	for (const i of s.initiatives)
		details[i.id] = await initiative(i.id);
	return { strategy: s, details, history: await getJson(`${S}/history`) };
}

async function refused(res, before, status, code, field) {
	assertError(res, status, code, field);
	assert.deepStrictEqual(await state(), before, `a refused request must change nothing: ${show(res)}`);
}

function assertOrderedForecast(f, what) {
	for (const k of ['p50', 'p85', 'p95'])
		assert.match(f[k] ?? '', YMD_RE, `${what}: ${k} is a date with the demo's throughput: ${JSON.stringify(f)}`);
	assert.ok(todayYmd() <= f.p50 && f.p50 <= f.p85 && f.p85 <= f.p95, `${what}: p50 ≤ p85 ≤ p95: ${JSON.stringify(f)}`);
}

/* ---------- a fresh database, then the demo ---------- */

test('public roadmap: off by default — anonymous GET /roadmap is 404 and the setting false', async () => {
	assert.equal((await getJson('/api/v1/settings')).public_roadmap, false);
	assertError(await srv.api('GET', '/roadmap'), 404, 'not_found');
	const r = await getJson('/api/v1/roadmap', 'viewer1');
	assert.deepEqual(r.lanes, { now: [], next: [], later: [] }, 'an empty roadmap on an empty database');
	assert.deepEqual(r.timeline.initiatives, []);
});

test('the demo database (history, throughput, milestones)', () => {
	srv.cli(['demo', '--issues', '300', '--seed', '7']);
});

/* ---------- progress from real work ---------- */

/*
 * Initiative A: two epics.
 *   E1 (pm_size 13, ignored: its children add up)
 *     S1 story 5, done                         5 / 5
 *     S2 story 3 (sized: covers its tasks)     3 / 0
 *       T2a task unsized, done
 *       T2b task unsized (covered by S2: not counted as unsized)
 *     S3 story unsized, no tasks               0 / 0   unsized
 *     S4 story unsized, sums its tasks         3 / 2
 *       T4a task 2, done
 *       T4b task 1
 *   E2 (unsized)
 *     S5 story pm_size 8, done                 8 / 8
 *     B1 bug 2                                 2 / 0
 *     W1 story 5, closed as won't do           left out
 * points 21, done 15; items (not epics) 10, done 4 (S1, T2a, T4a, S5); unsized 1 (S3).
 *
 * Initiative B: E3 with S7 story 3 done, S8 story 2 → 5 / 3, items 2, done 1.
 * Pillar P holds A and B; objective O is served by A.
 */
const w = {};

test('progress: points, done points, items, done items and unsized of an initiative from its epics, exactly', async () => {
	w.P = await newPillar();
	w.O = await newObjective({ pillars: [w.P.id] });
	w.E1 = (await make({ type: 'epic', pm_size: 13, title: uniq('Epic one ') })).number;
	w.S1 = (await make({ size: 5, parent: w.E1 })).number;
	w.S2 = (await make({ size: 3, parent: w.E1 })).number;
	w.T2a = (await make({ type: 'task', parent: w.S2 })).number;
	w.T2b = (await make({ type: 'task', parent: w.S2 })).number;
	w.S3 = (await make({ parent: w.E1 })).number;
	w.S4 = (await make({ parent: w.E1 })).number;
	w.T4a = (await make({ type: 'task', size: 2, parent: w.S4 })).number;
	w.T4b = (await make({ type: 'task', size: 1, parent: w.S4 })).number;
	w.E2 = (await make({ type: 'epic', title: uniq('Epic two ') })).number;
	w.S5 = (await make({ pm_size: 8, parent: w.E2 })).number;
	w.B1 = (await make({ type: 'bug', size: 2, parent: w.E2 })).number;
	w.W1 = (await make({ size: 5, parent: w.E2 })).number;
	for (const n of [w.S1, w.T2a, w.T4a, w.S5])
		await finish(n);
	const t = await as('pm1').post(`/api/v1/issues/${w.W1}/triage`, { route: 'wont_do', reason: 'not now' });
	assertStatus(t, 200);

	w.A = await newInitiative({ title: uniq('Initiative A '), pillar: w.P.id, objectives: [w.O.id], owner: 'pm1', status: 'active' });
	await addEpic(w.A.id, w.E1);
	const r = await addEpic(w.A.id, w.E2, 'admin');
	assert.equal(r.id, w.A.id, 'the answer is the initiative');

	const expectA = { ...prog(21, 15, 10, 4, 1), epics: 2 };
	for (const login of ['admin', 'pm1', 'eng1', 'viewer1'])
		assert.deepEqual(await progressOf(w.A.id, login), expectA, `initiative A as ${login}`);
	assert.equal((await srv.as('admin').get(`/api/v1/issues/${w.E1}`)).json.rollup_size, 11, 'the same roll-up as the planning tree');
	const a = await initiative(w.A.id, 'eng1');
	assert.equal(a.forecast.remaining, 6, 'remaining = points − done points');
	const listed = (await getJson('/api/v1/initiatives', 'eng1')).items.find((i) => i.id === w.A.id);
	assert.deepEqual(pick(listed.progress), prog(21, 15, 10, 4, 1), 'the list shows the same progress');

	w.E3 = (await make({ type: 'epic' })).number;
	w.S7 = (await make({ size: 3, parent: w.E3 })).number;
	w.S8 = (await make({ size: 2, parent: w.E3 })).number;
	await finish(w.S7);
	w.B = await newInitiative({ title: uniq('Initiative B '), pillar: w.P.id });
	await addEpic(w.B.id, w.E3, 'cto1');
	assert.deepEqual(await progressOf(w.B.id, 'eng1'), { ...prog(5, 3, 2, 1, 0), epics: 1 });
});

test('progress: a pillar sums its initiatives, an objective the initiatives serving it', async () => {
	assert.deepEqual(await pillarProgress(w.P.id, 'eng1'), prog(26, 18, 12, 5, 1), 'pillar = A + B');
	assert.deepEqual(await objectiveProgress(w.O.id, 'eng1'), prog(21, 15, 10, 4, 1), 'objective = A');
	await patchInitiative(w.B.id, { objectives: [w.O.id] });
	assert.deepEqual(await objectiveProgress(w.O.id, 'eng1'), prog(26, 18, 12, 5, 1), 'objective = A + B');
	// Finishing work moves every level.
	await finish(w.S8);
	assert.deepEqual(pick((await initiative(w.B.id, 'eng1')).progress), prog(5, 5, 2, 2, 0));
	assert.deepEqual(await pillarProgress(w.P.id, 'eng1'), prog(26, 20, 12, 6, 1));
	assert.deepEqual(await objectiveProgress(w.O.id, 'eng1'), prog(26, 20, 12, 6, 1));
});

test('GET /initiatives/{id} lists its epics with number, title, state, board, points and done points', async () => {
	const a = await initiative(w.A.id, 'eng1');
	assert.deepEqual(a.epics.map((e) => e.number), [w.E1, w.E2]);
	const e1 = a.epics[0];
	const issue = (await srv.as('admin').get(`/api/v1/issues/${w.E1}`)).json;
	assert.deepEqual([e1.title, e1.state, e1.board], [issue.title, 'open', issue.board]);
	assert.deepEqual([e1.points, e1.done_points], [11, 7], `E1's points: ${JSON.stringify(e1)}`);
	assert.deepEqual([a.epics[1].points, a.epics[1].done_points], [10, 8], `E2's points: ${JSON.stringify(a.epics[1])}`);
});

test('only epics go into an initiative (a story, a bug, a missing issue are 422); engineers, EMs and viewers may not (403)', async () => {
	const before = await state();
	const post = (body, login = 'pm1') => as(login).post(`/api/v1/initiatives/${w.A.id}/epics`, body);
	await refused(await post({ number: w.S1 }), before, 422, 'invalid_field', 'number');
	await refused(await post({ number: w.B1 }), before, 422, 'invalid_field', 'number');
	await refused(await post({ number: w.T2b }), before, 422, 'invalid_field', 'number');
	await refused(await post({}), before, 422, 'invalid_field', 'number');
	await refused(await post({ number: String(w.E3) }), before, 422, 'invalid_field', 'number');
	const missing = await post({ number: 999999 });
	assert.ok(missing.status === 422 || missing.status === 404, `a missing issue: ${show(missing)}`);
	await refused(missing, before, missing.status);
	for (const login of ['eng1', 'em1', 'viewer1'])
		await refused(await post({ number: w.E3 }, login), before, 403, 'forbidden');
	await refused(await as('pm1').post(`/api/v1/initiatives/${w.B.id + 100000}/epics`, { number: w.E3 }), before, 404, 'not_found');
});

test('a private security issue under an epic counts for a PM (and its reporter) but not for another engineer', async () => {
	const x = await make({ type: 'security', size: 5, parent: w.E1, title: uniq('Private hole ') }, 'eng2');
	assert.equal((await as('eng1').get(`/api/v1/issues/${x.number}`)).status, 404, 'eng1 may not see it');
	w.X = x.number;
	const eng = { ...prog(21, 15, 10, 4, 1), epics: 2 };
	const pm = { ...prog(26, 15, 11, 4, 1), epics: 2 };
	assert.deepEqual(await progressOf(w.A.id, 'eng1'), eng, 'an engineer does not count it');
	assert.deepEqual(await progressOf(w.A.id, 'viewer1'), eng, 'nor does a viewer');
	for (const login of ['pm1', 'admin', 'cto1', 'eng2'])
		assert.deepEqual(await progressOf(w.A.id, login), pm, `${login} counts its 5 points`);
	assert.equal((await initiative(w.A.id, 'pm1')).forecast.remaining - (await initiative(w.A.id, 'eng1')).forecast.remaining, 5);
	assert.deepEqual(await pillarProgress(w.P.id, 'eng1'), prog(26, 20, 12, 6, 1));
	assert.deepEqual(await pillarProgress(w.P.id, 'pm1'), prog(31, 20, 13, 6, 1));
	assert.deepEqual(await objectiveProgress(w.O.id, 'eng1'), prog(26, 20, 12, 6, 1));
	assert.deepEqual(await objectiveProgress(w.O.id, 'pm1'), prog(31, 20, 13, 6, 1));
	for (const path of [`/api/v1/initiatives/${w.A.id}`, '/api/v1/initiatives', S, '/api/v1/roadmap'])
		assert.ok(!(await as('eng1').get(path)).text.includes(x.title), `${path} never shows the private title to eng1`);
});

test('an epic moves from one initiative to another (the history says so); DELETE takes it out (204), then 404', async () => {
	await addEpic(w.B.id, w.E2);
	assert.deepEqual(await progressOf(w.A.id, 'eng1'), { ...prog(11, 7, 8, 3, 1), epics: 1 }, 'A keeps E1 only');
	assert.deepEqual(await progressOf(w.B.id, 'eng1'), { ...prog(15, 13, 4, 3, 0), epics: 2 }, 'B holds E3 and E2');
	assert.deepEqual((await initiative(w.A.id)).epics.map((e) => e.number), [w.E1]);
	assert.deepEqual((await initiative(w.B.id)).epics.map((e) => e.number).sort((a, b) => a - b), [w.E2, w.E3].sort((a, b) => a - b));
	const h = (await getJson(`${S}/history`, 'viewer1')).items;
	const moved = h.find((x) => x.object === `initiative ${w.B.id}` && JSON.stringify([x.old, x.new]).includes(`#${w.E2}`));
	assert.ok(moved, `the move is in the history: ${JSON.stringify(h.slice(0, 5))}`);
	assert.equal(moved.actor, 'pm1');
	assert.ok(JSON.stringify([moved.field, moved.old, moved.new]).includes(String(w.A.id)), `it names where the epic came from: ${JSON.stringify(moved)}`);

	let before = await state();
	await refused(await as('eng1').del(`/api/v1/initiatives/${w.B.id}/epics/${w.E2}`), before, 403, 'forbidden');
	await refused(await as('viewer1').del(`/api/v1/initiatives/${w.B.id}/epics/${w.E2}`), before, 403, 'forbidden');
	await refused(await as('pm1').del(`/api/v1/initiatives/${w.B.id}/epics/${w.E1}`), before, 404, 'not_found');
	const r = await as('pm1').del(`/api/v1/initiatives/${w.B.id}/epics/${w.E2}`);
	assertStatus(r, 204);
	assert.equal(r.text, '');
	assert.deepEqual(await progressOf(w.B.id, 'eng1'), { ...prog(5, 5, 2, 2, 0), epics: 1 });
	assert.deepEqual(await progressOf(w.A.id, 'eng1'), { ...prog(11, 7, 8, 3, 1), epics: 1 }, 'E2 is in no initiative now');
	const out = (await getJson(`${S}/history`)).items.find((x) => x.object === `initiative ${w.B.id}`);
	assert.ok(JSON.stringify(out).includes(`#${w.E2}`) && out.actor === 'pm1', `the removal is in the history: ${JSON.stringify(out)}`);
	before = await state();
	await refused(await as('pm1').del(`/api/v1/initiatives/${w.B.id}/epics/${w.E2}`), before, 404, 'not_found');

	await addEpic(w.A.id, w.E2, 'cto1');
	assert.deepEqual(await progressOf(w.A.id, 'eng1'), { ...prog(21, 15, 10, 4, 1), epics: 2 }, 'back in A');
});

/* ---------- forecast and suggested health ---------- */

test('forecast: with no target the suggested health is null and the probability null; dates ordered from the demo throughput', async () => {
	const a = await initiative(w.A.id, 'eng1');
	assert.equal(a.target, null);
	assert.equal(a.suggested_health, null);
	assert.equal(a.forecast.probability, null);
	assert.equal(a.forecast.remaining, 6);
	assert.ok(a.forecast.mean_daily > 0, `the demo has throughput: ${JSON.stringify(a.forecast)}`);
	assertOrderedForecast(a.forecast, 'A');
});

test('forecast on the demo: a few epics with a far target are on_track; lots of work due tomorrow is off_track, beside the stated health', async () => {
	const mine = new Set([w.E1, w.E2, w.E3]);
	const candidates = (await srv.listAll('type:epic is:open')).items.filter((e) => !mine.has(e.number) && e.rollup_size > 0);
	const far = addDays(todayYmd(), 1000);
	const on = await newInitiative({ title: uniq('Far '), start: todayYmd(), target: far, horizon: 'later', status: 'active' });
	// A few demo epics with work left: an epic whose work is all done adds nothing to the remainder and goes out again.
	let kept = 0, left = 0;
	for (const e of candidates) {
		if (kept === 3)
			break;
		const f = (await addEpic(on.id, e.number)).forecast;
		if (f.remaining > left) {
			left = f.remaining;
			kept++;
		} else {
			assertStatus(await as('pm1').del(`/api/v1/initiatives/${on.id}/epics/${e.number}`), 204);
		}
	}
	assert.equal(kept, 3, 'the demo has open epics with work left');
	const g = await initiative(on.id);
	assert.equal(g.progress.epics, 3);
	assert.ok(g.forecast.remaining > 0, `work is left: ${JSON.stringify(g.progress)}`);
	assert.equal(g.forecast.remaining, g.progress.points - g.progress.done_points);
	assert.equal(g.suggested_health, 'on_track', JSON.stringify(g.forecast));
	assertOrderedForecast(g.forecast, 'far');
	assert.ok(g.forecast.p95 <= far);
	assert.ok(g.forecast.probability >= 0.85 && g.forecast.probability <= 1, JSON.stringify(g.forecast));

	const big = (await make({ type: 'epic', title: uniq('Big epic ') })).number;
	for (let k = 0; k < 10; k++)
		await make({ size: 13, parent: big });
	const tomorrow = addDays(todayYmd(), 1);
	const off = await newInitiative({ title: uniq('Tomorrow '), target: tomorrow, owner: 'eng1', horizon: 'now', status: 'active' });
	await addEpic(off.id, big);
	const r = await as('eng1').post(`/api/v1/initiatives/${off.id}/updates`, { health: 'on_track', text: 'Looks fine to me' });
	assertStatus(r, 201);
	const o = await initiative(off.id, 'viewer1');
	assert.equal(o.forecast.remaining, 130);
	assert.equal(o.suggested_health, 'off_track', JSON.stringify(o.forecast));
	assert.equal(o.health, 'on_track', 'the stated health stays beside the suggestion');
	assertOrderedForecast(o.forecast, 'tomorrow');
	assert.ok(o.forecast.p50 > tomorrow, JSON.stringify(o.forecast));
	assert.ok(o.forecast.probability < 0.5, JSON.stringify(o.forecast));
});

test('suggested health, every boundary: p50 after the target → off_track, p85 after it → at_risk, else on_track; nothing left → on_track', async () => {
	const epic = (await make({ type: 'epic' })).number;
	for (let k = 0; k < 8; k++)
		await make({ size: 13, parent: epic });
	const i = await newInitiative({ title: uniq('Boundaries ') });
	await addEpic(i.id, epic);
	const f = (await initiative(i.id)).forecast;
	assert.equal(f.remaining, 104);
	assertOrderedForecast(f, 'boundaries');
	const at = async (target) => (await patchInitiative(i.id, { target })).suggested_health;
	// The dates do not depend on the target (the same seeded simulation).
	assert.equal(await at(f.p95), 'on_track', 'p85 and p50 by the target');
	assert.deepEqual((await initiative(i.id)).forecast.p50, f.p50);
	assert.equal(await at(f.p85), 'on_track', 'p85 on the target day is not after it');
	assert.equal(await at(addDays(f.p50, -1)), 'off_track', 'p50 after the target');
	if (f.p85 > f.p50) {
		assert.equal(await at(f.p50), 'at_risk', 'p50 on the target, p85 after it');
		assert.equal(await at(addDays(f.p85, -1)), 'at_risk');
	}
	assert.equal(await at(null), null, 'no target: no suggestion');

	const doneEpic = (await make({ type: 'epic' })).number;
	await finish((await make({ size: 2, parent: doneEpic })).number);
	const fin = await newInitiative({ title: uniq('Finished '), target: addDays(todayYmd(), -3) });
	await addEpic(fin.id, doneEpic);
	const g = await initiative(fin.id);
	assert.equal(g.forecast.remaining, 0);
	assert.equal(g.suggested_health, 'on_track', 'nothing left, even past the target');
});

/* ---------- demand ---------- */

test('demand: the customers and insights behind the initiative\'s issues, with their ARR and tiers', async () => {
	const cust = async (body) => {
		const r = await as('admin').post('/api/v1/customers', { name: uniq('Customer '), seats: 10, ...body });
		assertStatus(r, 201);
		return r.json;
	};
	const insight = async (customer, issue) => {
		const r = await as('pm1').post('/api/v1/insights', { source: 'call', title: uniq('ask '), ...(customer ? { customer: customer.name } : {}) });
		assertStatus(r, 201);
		const l = await as('admin').post(`/api/v1/insights/${r.json.id}/links`, { issue, importance: 'important' });
		assertStatus(l, 200);
		return r.json.id;
	};
	const big = await cust({ tier: 'Enterprise', arr: 250000, strategic: true });
	const small = await cust({ tier: 'Starter', arr: 1200, strategic: false });
	const elsewhere = await cust({ tier: 'Premium', arr: 777000 });
	const hidden = await cust({ tier: 'Premium', arr: 5000 });
	const epic = (await make({ type: 'epic' })).number;
	const story = (await make({ size: 3, parent: epic })).number;
	const task = (await make({ type: 'task', parent: story })).number;
	const outside = (await make({ size: 1 })).number;
	const secret = (await make({ type: 'security', size: 2, parent: epic, title: uniq('secret ') }, 'admin')).number;
	const d = await newInitiative({ title: uniq('Demand ') });
	await addEpic(d.id, epic);
	await insight(big, story);
	await insight(big, epic);
	await insight(small, task);
	await insight(elsewhere, outside);
	await insight(hidden, secret);

	const seen = (await initiative(d.id, 'eng1')).demand;
	assert.deepEqual([seen.customers, seen.insights, seen.arr], [2, 3, 251200], `an engineer: ${JSON.stringify(seen)}`);
	const byId = (t) => [...t].sort((a, b) => a.id - b.id).map((c) => ({ id: c.id, name: c.name, tier: c.tier, arr: c.arr, strategic: c.strategic, insights: c.insights }));
	assert.deepEqual(byId(seen.top), byId([
		{ ...big, insights: 2 },
		{ ...small, insights: 1 },
	]));
	const pm = (await initiative(d.id, 'pm1')).demand;
	assert.deepEqual([pm.customers, pm.insights, pm.arr], [3, 4, 256200], `a PM also sees the customer behind the security issue: ${JSON.stringify(pm)}`);
	assert.ok(!(await as('eng1').get(`/api/v1/initiatives/${d.id}`)).text.includes(hidden.name), 'the customer of the private issue stays hidden');
});

/* ---------- allocation ---------- */

function checkBuckets(a) {
	for (const b of a.buckets) {
		const sum = b.shares.reduce((s, x) => s + x.points, 0);
		assert.equal(sum, b.points, `bucket ${b.key}: points = sum of the shares`);
		if (b.points > 0) {
			const share = b.shares.reduce((s, x) => s + x.share, 0);
			assert.ok(Math.abs(share - 1) < 1e-3, `bucket ${b.key}: shares sum to 1, got ${share}`);
		}
		for (const x of b.shares) {
			assert.ok(['initiative', 'unplanned', 'bugs', 'security'].includes(x.kind), x.kind);
			assert.ok(Math.abs(x.share - x.points / b.points) < 1e-3, `share = points / bucket points: ${JSON.stringify(x)}`);
			if (x.kind === 'initiative')
				assert.equal(typeof x.initiative?.id, 'number', JSON.stringify(x));
			else
				assert.equal(x.initiative, null, JSON.stringify(x));
		}
	}
}

const kindPoints = (b, kind) => b.shares.filter((x) => x.kind === kind).reduce((s, x) => s + x.points, 0);

function currentQuarter(ymd = todayYmd()) {
	const [y, m] = ymd.split('-').map(Number);
	return [y, Math.floor((m - 1) / 3) + 1];
}

function lastQuarters(n) {
	let [y, q] = currentQuarter();
	const out = [];
	for (let k = 0; k < n; k++) {
		out.unshift(`${y}-Q${q}`);
		if (--q === 0) {
			q = 4;
			y--;
		}
	}
	return out;
}

test('allocation on the demo: buckets by milestone (the last started ones) and by quarter; shares sum to 1', async () => {
	const ms = (await getJson('/api/v1/milestones')).items;
	const started = ms.filter((m) => m.start <= todayYmd()).map((m) => m.title);
	const a = await getJson(`${S}/allocation`, 'eng1');
	assert.ok(a.buckets.length > 0 && a.buckets.length <= 6, `default: the last 6 milestones: ${a.buckets.map((b) => b.key)}`);
	for (const b of a.buckets)
		assert.ok(started.includes(b.key), `bucket ${b.key} is a started milestone`);
	assert.ok(a.buckets.some((b) => b.points > 0), 'the demo shipped points');
	checkBuckets(a);
	const two = await getJson(`${S}/allocation`, 'eng1', { by: 'milestone', last: '2' });
	assert.equal(two.buckets.length, 2);

	const q = await getJson(`${S}/allocation`, 'pm1', { by: 'quarter', last: '4' });
	assert.deepEqual(q.buckets.map((b) => b.key).sort(), lastQuarters(4));
	checkBuckets(q);
	assert.ok(q.buckets.some((b) => b.points > 0));

	// This quarter: what was finished for A and B in the tests above (today), exactly.
	const now = q.buckets.find((b) => b.key === lastQuarters(1)[0]);
	const ofA = now.shares.filter((x) => x.kind === 'initiative' && x.initiative.id === w.A.id);
	assert.deepEqual(ofA.map((x) => [x.points, x.pillar?.id, x.initiative.title]), [[15, w.P.id, w.A.title]],
		'A: S1 5 + T4a 2 + S5 8 (T2a sits under a sized story)');
	const ofB = now.shares.filter((x) => x.kind === 'initiative' && x.initiative.id === w.B.id);
	assert.deepEqual(ofB.map((x) => x.points), [5], 'B: S7 3 + S8 2');
});

test('allocation: a bad by, a last out of range are 422 naming them', async () => {
	assertError(await as('eng1').get(`${S}/allocation`, { query: { by: 'week' } }), 422, 'invalid_field', 'by');
	for (const last of ['0', '-1', '1000', 'six'])
		assertError(await as('eng1').get(`${S}/allocation`, { query: { last } }), 422, 'invalid_field', 'last');
	assertError(await as('eng1').get(`${S}/allocation`, { query: { by: 'quarter', last: '0' } }), 422, 'invalid_field', 'last');
});

test('allocation: shipped points split by initiative (and its pillar), bugs, security (only for those who may see it)', async () => {
	const active = (await getJson('/api/v1/milestones')).items.find((m) => m.state === 'active');
	assert.ok(active, 'the demo has a running milestone');
	const bucket = async (login) => {
		const a = await getJson(`${S}/allocation`, login, { by: 'milestone' });
		checkBuckets(a);
		const b = a.buckets.find((x) => x.key === active.title);
		assert.ok(b, `the running milestone ${active.title} is a bucket`);
		return b;
	};
	const pm0 = await bucket('pm1');
	const eng0 = await bucket('eng1');

	const pillar = await newPillar();
	const c = await newInitiative({ title: uniq('Shipping '), pillar: pillar.id });
	const epic = (await make({ type: 'epic' })).number;
	await addEpic(c.id, epic);
	const story = (await make({ size: 5, parent: epic })).number;
	const bug = (await make({ type: 'bug', size: 2 })).number;
	const sec = (await make({ type: 'security', size: 3 }, 'admin')).number;
	for (const n of [story, bug, sec]) {
		await patchIssue(n, { milestone: active.id }, 'pm1');
		await finish(n);
	}

	const pm1 = await bucket('pm1');
	const eng1 = await bucket('eng1');
	assert.equal(pm1.points - pm0.points, 10, 'a PM: 5 + 2 + 3 more points shipped');
	assert.equal(eng1.points - eng0.points, 7, 'an engineer does not see the security fix');
	for (const [b1, b0] of [[pm1, pm0], [eng1, eng0]]) {
		assert.equal(kindPoints(b1, 'bugs') - kindPoints(b0, 'bugs'), 2);
		assert.equal(kindPoints(b1, 'unplanned'), kindPoints(b0, 'unplanned'));
		const mine = b1.shares.filter((x) => x.kind === 'initiative' && x.initiative.id === c.id);
		assert.deepEqual(mine.map((x) => [x.points, x.pillar, x.initiative]), [[5, { id: pillar.id, name: pillar.name }, { id: c.id, title: c.title }]]);
	}
	assert.equal(kindPoints(pm1, 'security') - kindPoints(pm0, 'security'), 3);
	assert.equal(kindPoints(eng1, 'security'), kindPoints(eng0, 'security'));
});

/* ---------- the roadmap ---------- */

const findInit = (lane, id) => lane.find((x) => x.id === id && x.number === undefined);
const findEpic = (lane, n) => lane.find((x) => x.number === n);

test('roadmap JSON: initiatives by horizon, free epics by product-board column, the timeline with milestones; done and dropped leave', async () => {
	const t = todayYmd();
	const nextIni = await newInitiative({ title: uniq('Next up '), horizon: 'next', status: 'active', start: t, target: addDays(t, 60) });
	const laterIni = await newInitiative({ title: uniq('Later on '), horizon: 'later', status: 'planned' });
	const nowIni = await newInitiative({ title: uniq('Right now '), horizon: 'now', status: 'active', target: addDays(t, 20) });
	const epic = async (board) => {
		const e = (await make({ type: 'epic', title: uniq(`epic ${board} `) })).number;
		if (board)
			await patchIssue(e, { board }, 'pm1');
		return e;
	};
	const short = await epic('short');
	const next = await epic('next');
	const medium = await epic('medium');
	const long = await epic('long');
	const icebox = await epic('icebox');
	const inbox = await epic(null);
	const ms = await as('pm1').post('/api/v1/milestones', { title: uniq('M '), start: addDays(t, 30), due: addDays(t, 57), capacity: 20 });
	assertStatus(ms, 201);

	let r = await getJson('/api/v1/roadmap', 'viewer1');
	const { now, next: nxt, later } = r.lanes;
	assert.ok(findInit(nxt, nextIni.id), 'horizon next → next');
	assert.ok(findInit(later, laterIni.id), 'horizon later → later');
	assert.ok(findInit(now, nowIni.id), 'horizon now → now');
	assert.ok(!findInit(now, nextIni.id) && !findInit(later, nextIni.id));
	assert.equal(findInit(nxt, nextIni.id).title, nextIni.title);
	assert.ok(findEpic(nxt, short), 'an open epic in short, in no initiative → next');
	assert.equal(findEpic(nxt, short).title, (await srv.as('admin').get(`/api/v1/issues/${short}`)).json.title);
	assert.ok(findEpic(now, next), 'board next → now');
	assert.ok(findEpic(later, medium) && findEpic(later, long), 'medium and long → later');
	for (const n of [icebox, inbox])
		assert.ok(![...now, ...nxt, ...later].some((x) => x.number === n), `#${n} (icebox / no status) is on no lane`);
	for (const n of [w.E1, w.E2, w.E3])
		assert.ok(![...now, ...nxt, ...later].some((x) => x.number === n), `#${n} is in an initiative: not a free epic`);
	const tl = r.timeline.initiatives.find((x) => x.id === nextIni.id);
	assert.ok(tl, 'an initiative with dates is on the timeline');
	assert.deepEqual([tl.title, tl.start, tl.target], [nextIni.title, t, addDays(t, 60)]);
	assert.equal(typeof tl.forecast, 'object');
	assert.ok(r.timeline.initiatives.some((x) => x.id === nowIni.id), 'a target alone is enough');
	assert.ok(!r.timeline.initiatives.some((x) => x.id === laterIni.id), 'no dates: no bar');
	assert.deepEqual(r.timeline.milestones.find((m) => m.id === ms.json.id), { id: ms.json.id, title: ms.json.title, start: addDays(t, 30), due: addDays(t, 57) });
	const all = (await getJson('/api/v1/milestones')).items;
	assert.deepEqual(r.timeline.milestones.map((m) => m.id).sort((a, b) => a - b), all.map((m) => m.id).sort((a, b) => a - b), 'every milestone is a column');

	// The epic goes into an initiative: it leaves the free epics.
	await addEpic(nextIni.id, short);
	r = await getJson('/api/v1/roadmap', 'viewer1');
	assert.ok(![...r.lanes.now, ...r.lanes.next, ...r.lanes.later].some((x) => x.number === short), 'now part of an initiative');

	await patchInitiative(nextIni.id, { status: 'done' });
	await patchInitiative(nowIni.id, { status: 'dropped' });
	r = await getJson('/api/v1/roadmap', 'viewer1');
	const lanes = [...r.lanes.now, ...r.lanes.next, ...r.lanes.later];
	assert.ok(!lanes.some((x) => x.id === nextIni.id && x.number === undefined), 'done leaves the lanes');
	assert.ok(!lanes.some((x) => x.id === nowIni.id && x.number === undefined), 'dropped leaves the lanes');
	assert.ok(!r.timeline.initiatives.some((x) => x.id === nextIni.id || x.id === nowIni.id), 'and the timeline');
	assert.ok(findInit(r.lanes.later, laterIni.id), 'the planned one stays');
});

test('roadmap Markdown: Now / Next / Later sections with the initiatives, markdown specials in titles escaped', async () => {
	const suffix = uniq('');
	const title = `Launch *beta* _now_ [EU] ${suffix}`;
	await newInitiative({ title, horizon: 'next', status: 'active' });
	const r = await as('eng1').get('/api/v1/roadmap', { query: { format: 'markdown' } });
	assertStatus(r, 200);
	assert.match(r.headers.get('content-type') || '', /^text\/markdown/);
	const md = r.text;
	const iNow = md.indexOf('## Now'), iNext = md.indexOf('## Next'), iLater = md.indexOf('## Later');
	assert.ok(iNow >= 0 && iNow < iNext && iNext < iLater, `the three sections in order:\n${md.slice(0, 400)}`);
	const escaped = `Launch \\*beta\\* \\_now\\_ \\[EU\\] ${suffix}`;
	const at = md.indexOf(escaped);
	assert.ok(at > iNext && at < iLater, `the escaped title under Next: ${escaped}\n${md}`);
	assert.ok(!md.includes(title), 'never the raw title');
});

/* ---------- the public roadmap ---------- */

test('public roadmap: 404 while off; only an admin turns it on (a PM gets 403)', async () => {
	// The demo opened it; the admin closes it first.
	const close = await as('admin').patch('/api/v1/settings', { public_roadmap: false });
	assertStatus(close, 200);
	assert.equal((await getJson('/api/v1/settings')).public_roadmap, false);
	assertError(await srv.api('GET', '/roadmap'), 404, 'not_found');
	const pm = await as('pm1').patch('/api/v1/settings', { public_roadmap: true });
	assertError(pm, 403, 'forbidden');
	assert.equal((await getJson('/api/v1/settings')).public_roadmap, false, 'nothing changed');
	assertError(await srv.api('GET', '/roadmap'), 404, 'not_found');
	assertError(await as('admin').patch('/api/v1/settings', { public_roadmap: 'yes' }), 422, 'invalid_field', 'public_roadmap');
	const on = await as('admin').patch('/api/v1/settings', { public_roadmap: true });
	assertStatus(on, 200);
	assert.equal((await getJson('/api/v1/settings', 'viewer1')).public_roadmap, true);
});

test('public roadmap: anonymous 200 shows public initiatives (title, description, status), never a private one, an epic or an issue; HTML escaped', async () => {
	const u = uniq('');
	const plain = await newInitiative({ title: `Faster exports ${u}`, description: `Exports of any size ${u}`, horizon: 'later', status: 'planned', public: true });
	const hostile = await newInitiative({ title: `<script>alert("x")</script> Café & Co ${u}`, horizon: 'now', status: 'active', public: true });
	const hidden = await newInitiative({ title: `Secret acquisition ${u}`, description: `Nobody may know ${u}`, horizon: 'now', status: 'active', public: false });
	const epic = (await make({ type: 'epic', title: `Public epic title ${u}` })).number;
	await make({ title: `Story under a public initiative ${u}`, parent: epic, size: 3 });
	await make({ type: 'security', title: `Security hole ${u}`, parent: epic, size: 2 });
	await addEpic(plain.id, epic);

	const r = await srv.api('GET', '/roadmap');
	assertStatus(r, 200);
	assert.match(r.headers.get('content-type') || '', /^text\/html/);
	const html = r.text;
	assert.ok(html.includes(plain.title), 'a public initiative\'s title');
	assert.ok(html.includes(plain.description), 'and its description');
	assert.ok(html.includes('planned'), 'and its status');
	assert.ok(html.includes('&lt;script&gt;alert('), `the hostile title escaped:\n${html}`);
	assert.ok(!/<script/i.test(html), 'no script element');
	assert.ok(html.includes('Café &amp; Co'));
	assert.ok(!html.includes(hidden.title) && !html.includes(hidden.description), 'never a non-public initiative');
	for (const i of (await getJson('/api/v1/initiatives')).items.filter((x) => !x.public))
		assert.ok(!html.includes(i.title), `non-public initiative ${i.id} is absent`);
	const { items } = await srv.listAll();
	assert.ok(items.length > 300, 'the demo and this file made issues');
	for (const i of items)
		if (i.title.length >= 12)
			assert.ok(!html.includes(i.title), `issue #${i.number} "${i.title}" is never on the public page`);
	assert.ok(!html.includes(u.length ? `Public epic title ${u}` : 'x'));

	const off = await as('admin').patch('/api/v1/settings', { public_roadmap: false });
	assertStatus(off, 200);
	assertError(await srv.api('GET', '/roadmap'), 404, 'not_found');
});

test('server shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
