/*
 * planning_milestones.test.mjs — issue #4 milestones over real HTTP
 * (docs/API.md "Planning (issue #4)" → Milestones): CRUD with validation
 * that changes nothing, the cadence generator (POST /milestones/plan),
 * scope frozen at the start (committed / added / removed), slip reasons,
 * the ship/slip report with repeat slippers, the burn-up series, the
 * seeded Monte Carlo forecast, velocity.
 *
 * Tests run in order on one server.  Order matters in two places: the
 * cadence test runs while "2.31" is the last milestone (titles continue
 * from it), and the no-throughput forecast runs before anything is done.
 * Dates are computed from today (UTC), except the cadence example of the
 * issue (from 2026-11-30, a Monday).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, daysBetween, todayYmd, weekday } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const YMD_RE = /^\d{4}-\d{2}-\d{2}$/;

/* ---------- helpers ---------- */

const as = (login) => srv.as(login);

/* A new issue; one further along the development board than todo/up_next
 * (where new issues may enter) is created in up_next and moved on. */
async function make(fields = {}, login = 'admin') {
	const { dev_status: dev, ...rest } = fields;
	const direct = dev === undefined || dev === null || dev === 'todo' || dev === 'up_next';
	const i = await srv.createIssue({ title: uniq('ms '), ...rest, ...(direct ? { dev_status: dev } : { dev_status: 'up_next' }) }, login);
	if (direct)
		return i;
	const r = await srv.as(login).patch(`/api/v1/issues/${i.number}`, { dev_status: dev }, { headers: { 'If-Match': `"${i.version}"` } });
	if (r.status !== 200)
		throw new Error(`move #${i.number} to ${dev}: ${r.status} ${r.text}`);
	return r.json;
}

async function get(n, login = 'admin') {
	const r = await as(login).get(`/api/v1/issues/${n}`);
	assertStatus(r, 200);
	return r.json;
}

async function patch(n, fields, login = 'admin') {
	const r = await srv.patchIssue(n, fields, login);
	assertStatus(r, 200);
	return r.json;
}

/* The state a milestone's dates give it today. */
function stateOf(m, today = todayYmd()) {
	return today < m.start ? 'planned' : today <= m.due ? 'active' : 'closed';
}

async function milestones(login = 'admin') {
	const r = await as(login).get('/api/v1/milestones');
	assertStatus(r, 200);
	return r.json;
}

async function milestone(id, login = 'admin') {
	const r = await as(login).get(`/api/v1/milestones/${id}`);
	assertStatus(r, 200);
	return r.json;
}

async function report(id, login = 'admin') {
	const r = await as(login).get(`/api/v1/milestones/${id}/report`);
	assertStatus(r, 200);
	return r.json;
}

async function createMilestone(body, login = 'pm1') {
	const r = await as(login).post('/api/v1/milestones', body);
	assertStatus(r, 201);
	return r.json;
}

/* Everything a refused milestone request could change: the milestone list,
 * each known milestone's detail, the issues (with touched ones' history). */
async function state(touched = []) {
	const list = await milestones();
	const details = {};
	for (const m of list.items) {
		details[m.id] = (await as('admin').get(`/api/v1/milestones/${m.id}`)).json;
		details[`${m.id}/report`] = (await as('admin').get(`/api/v1/milestones/${m.id}/report`)).json;
	}
	return { list, details, snap: await srv.snapshot(touched) };
}

async function assertNothingChanged(before, touched = [], why = 'a refused request must change nothing') {
	assert.deepStrictEqual(await state(touched), before, why);
}

/* Report totals agree with its items. */
function assertReportConsistent(rep) {
	for (const k of ['committed', 'shipped', 'slipped', 'added', 'removed']) {
		const mine = rep.items.filter((i) => i[k]);
		assert.equal(rep[k].count, mine.length, `${k}.count vs items: ${JSON.stringify(rep)}`);
		assert.equal(rep[k].points, mine.reduce((s, i) => s + (i.points ?? 0), 0), `${k}.points vs items: ${JSON.stringify(rep)}`);
	}
	for (const i of rep.items) {
		for (const f of ['number', 'title', 'points', 'committed', 'added', 'removed', 'shipped', 'slipped', 'slip_reason'])
			assert.ok(Object.hasOwn(i, f), `report item has ${f}: ${JSON.stringify(i)}`);
		assert.ok(!(i.shipped && i.slipped), `an item cannot ship and slip: ${JSON.stringify(i)}`);
		assert.ok(!(i.committed && i.added), `committed or added, not both: ${JSON.stringify(i)}`);
	}
}

let m231 = null; // "2.31", the last milestone before the cadence test
let planned = []; // the three from the cadence example

/* ---------- CRUD ---------- */

test('no milestones yet: an empty list and velocity null', async () => {
	const l = await milestones('eng1');
	assert.deepEqual(l.items, []);
	assert.ok(Object.hasOwn(l, 'velocity'), JSON.stringify(l));
	assert.equal(l.velocity, null, 'no closed milestone: velocity null');
});

test('POST /milestones: pm 201 + Location; others 403; bad dates 422; duplicate title 409; nothing changed on refusal', async () => {
	const body = { title: '2.31', start: '2026-11-02', due: '2026-11-26', capacity: 30 };
	const before = await state();
	for (const login of ['eng1', 'em1', 'cto1', 'viewer1']) {
		assertError(await as(login).post('/api/v1/milestones', body), 403, 'forbidden');
		await assertNothingChanged(before, [], `create by ${login}`);
	}
	const bad = [
		[{ ...body, due: '2026-11-01' }, 'due', 'due before start'],
		[{ ...body, start: '2026-02-30' }, 'start', 'no such day'],
		[{ ...body, due: '2026-02-30' }, 'due', 'no such day'],
		[{ ...body, start: '2026-13-01' }, 'start', 'no such month'],
		[{ ...body, start: 'tomorrow' }, 'start', 'not a date'],
		[{ ...body, start: '2026-11-2' }, 'start', 'not YYYY-MM-DD'],
		[{ ...body, start: 20261102 }, 'start', 'a number'],
		[{ ...body, start: undefined }, 'start', 'missing start'],
		[{ ...body, due: undefined }, 'due', 'missing due'],
		[{ ...body, title: undefined }, 'title', 'missing title'],
		[{ ...body, title: '' }, 'title', 'empty title'],
		[{ ...body, title: '   ' }, 'title', 'blank title'],
		[{ ...body, capacity: -1 }, 'capacity', 'negative capacity'],
		[{ ...body, capacity: 'lots' }, 'capacity', 'capacity not a number'],
		[{ ...body, capacity: 2.5 }, 'capacity', 'fractional capacity'],
		[{ ...body, colour: 'red' }, 'colour', 'unknown field'],
	];
	for (const [b, field, why] of bad) {
		const r = await as('pm1').post('/api/v1/milestones', b);
		assertError(r, 422, 'invalid_field', field);
		await assertNothingChanged(before, [], why);
	}
	const r = await as('pm1').post('/api/v1/milestones', body);
	assertStatus(r, 201);
	assert.equal(r.headers.get('location'), `/api/v1/milestones/${r.json.id}`);
	assert.ok(Number.isInteger(r.json.id) && r.json.id > 0);
	for (const [k, v] of Object.entries(body))
		assert.equal(r.json[k], v, `${k} echoed`);
	m231 = r.json;
	const g = await milestone(r.json.id, 'eng1');
	for (const k of ['id', 'title', 'start', 'due', 'capacity'])
		assert.equal(g[k], r.json[k], `GET ${k}`);
	assert.equal(g.state, stateOf(g));
	assert.equal(g.load, 0);
	assert.equal(g.done_points, 0);
	assert.equal(g.items, 0);
	assert.equal(g.capacity_left, 30);
	assert.deepEqual(g.scope, []);
	const afterCreate = await state();
	const dup = await as('admin').post('/api/v1/milestones', { title: '2.31', start: '2027-01-01', due: '2027-01-28', capacity: 1 });
	assertError(dup, 409, 'conflict');
	await assertNothingChanged(afterCreate, [], 'duplicate title');
	// A one-day milestone (due == start) is fine — created after the cadence test, see below.
});

test('POST and PATCH /milestones answer with the milestone in full (state, load, done_points, items, capacity_left) like GET', async () => {
	const g = await milestone(m231.id);
	const missing = [];
	const p = await as('pm1').patch(`/api/v1/milestones/${m231.id}`, { capacity: 30 });
	assertStatus(p, 200);
	const c = await as('pm1').post('/api/v1/milestones', { title: uniq('repr '), start: '2033-01-03', due: '2033-01-27', capacity: 7 });
	assertStatus(c, 201);
	const gc = await milestone(c.json.id);
	for (const [what, got, want] of [['PATCH', p.json, g], ['POST', c.json, gc]])
		for (const k of ['state', 'load', 'done_points', 'items', 'capacity_left'])
			if (got[k] !== want[k])
				missing.push(`${what} ${k}: ${JSON.stringify(got[k])} (GET: ${JSON.stringify(want[k])})`);
	assertStatus(await as('pm1').del(`/api/v1/milestones/${c.json.id}`), 204);
	assert.deepEqual(missing, [], `answers differ from GET: ${show(p)} / ${show(c)}`);
});

test('POST /milestones/plan: 4w on Thursdays from a Monday: 3 milestones due on Thursdays 28 days apart; titles continue 2.31', async () => {
	const before = await state();
	const ok = { every: '4w', weekday: 'thu', count: 3, from: '2026-11-30' };
	for (const login of ['eng1', 'em1', 'cto1', 'viewer1']) {
		assertError(await as(login).post('/api/v1/milestones/plan', ok), 403, 'forbidden');
		await assertNothingChanged(before, [], `plan by ${login}`);
	}
	const bad = [
		[{ ...ok, every: '4x' }, 'every'], [{ ...ok, every: '0w' }, 'every'], [{ ...ok, every: '6d' }, 'every'],
		[{ ...ok, every: '27w' }, 'every'], [{ ...ok, every: 'w' }, 'every'], [{ ...ok, every: '' }, 'every'],
		[{ ...ok, every: 4 }, 'every'], [{ ...ok, every: '-4w' }, 'every'], [{ ...ok, every: '183d' }, 'every'],
		[{ ...ok, weekday: 'xyz' }, 'weekday'], [{ ...ok, weekday: '' }, 'weekday'], [{ ...ok, weekday: 4 }, 'weekday'],
		[{ ...ok, count: 0 }, 'count'], [{ ...ok, count: 27 }, 'count'], [{ ...ok, count: -1 }, 'count'],
		[{ ...ok, count: 'three' }, 'count'], [{ ...ok, count: 1.5 }, 'count'],
		[{ ...ok, from: '2026-02-30' }, 'from'], [{ ...ok, from: 'monday' }, 'from'],
		[{ ...ok, capacity: -5 }, 'capacity'],
		[{ ...ok, cadence: 'monthly' }, 'cadence'],
	];
	for (const [b, field] of bad) {
		const r = await as('pm1').post('/api/v1/milestones/plan', b);
		assertError(r, 422, 'invalid_field', field);
		await assertNothingChanged(before, [], `plan ${JSON.stringify(b)}`);
	}
	const vel = (await milestones()).velocity;
	const r = await as('pm1').post('/api/v1/milestones/plan', ok);
	assertStatus(r, 201);
	const items = r.json.items;
	assert.equal(items.length, 3);
	assert.deepEqual(items.map((m) => m.title), ['2.32', '2.33', '2.34'], 'titles continue 2.31');
	assert.equal(items[0].start, '2026-11-30');
	assert.equal(items[0].due, '2026-12-24', 'first Thursday at least 22 days after the start');
	for (const [k, m] of items.entries()) {
		assert.match(m.start, YMD_RE);
		assert.match(m.due, YMD_RE);
		assert.equal(weekday(m.due), 4, `${m.title} due ${m.due} is a Thursday`);
		assert.equal(m.capacity, vel === null ? 0 : Math.round(vel), 'capacity defaults to the velocity (or 0)');
		if (k > 0) {
			assert.equal(daysBetween(items[k - 1].due, m.due), 28, 'dues 28 days apart');
			assert.equal(m.start, addDays(items[k - 1].due, 1), 'starts the day after the previous due');
		}
	}
	planned = items;
	const l = await milestones();
	assert.deepEqual(l.items.map((m) => m.title), ['2.31', '2.32', '2.33', '2.34'], 'the list by start date');
	for (const m of items) {
		const g = await milestone(m.id);
		assert.deepEqual([g.title, g.start, g.due, g.state], [m.title, m.start, m.due, stateOf(m)]);
	}
	// A title taken by the generator's next one is a conflict, nothing created.
	const taken = await createMilestone({ title: '2.35', start: '2026-01-05', due: '2026-01-20', capacity: 0 }); // before 2.31: not the last
	const b2 = await state();
	const clash = await as('pm1').post('/api/v1/milestones/plan', { every: '2w', weekday: 'mon', count: 2 });
	assert.ok(clash.status === 409 || clash.status === 201, show(clash));
	if (clash.status === 409)
		await assertNothingChanged(b2, [], 'a plan that clashes creates nothing');
	else
		assert.ok(!clash.json.items.some((m) => m.title === '2.35'), 'never a duplicate title');
	if (clash.status === 201)
		for (const m of clash.json.items)
			assertStatus(await as('pm1').del(`/api/v1/milestones/${m.id}`), 204);
	assertStatus(await as('pm1').del(`/api/v1/milestones/${taken.id}`), 204);
});

test('plan defaults: from = the day after the last due; other cadences and weekdays; explicit capacity', async () => {
	const last = planned[2];
	const r = await as('admin').post('/api/v1/milestones/plan', { every: '2w', weekday: 'mon', count: 2, capacity: 25 });
	assertStatus(r, 201);
	const [a, b] = r.json.items;
	assert.deepEqual([a.title, b.title], ['2.35', '2.36']);
	assert.equal(a.start, addDays(last.due, 1), 'from defaults to the day after the last due');
	// first Monday at least 14 - 6 = 8 days after the start
	let due = addDays(a.start, 8);
	while (weekday(due) !== 1)
		due = addDays(due, 1);
	assert.equal(a.due, due);
	assert.equal(weekday(b.due), 1);
	assert.equal(daysBetween(a.due, b.due), 14);
	assert.equal(b.start, addDays(a.due, 1));
	assert.equal(a.capacity, 25);
	assert.equal(b.capacity, 25);
	const d = await as('pm1').post('/api/v1/milestones/plan', { every: '10d', weekday: 'fri', count: 1, capacity: 0 });
	assertStatus(d, 201);
	const [c] = d.json.items;
	assert.equal(c.title, '2.37');
	assert.equal(c.start, addDays(b.due, 1));
	assert.equal(weekday(c.due), 5);
	assert.ok(daysBetween(c.start, c.due) >= 4 && daysBetween(c.start, c.due) <= 10, `10d: ${c.start}..${c.due}`);
	// Tidy up: these later ones are not needed.
	for (const m of [a, b, c])
		assertStatus(await as('pm1').del(`/api/v1/milestones/${m.id}`), 204);
	assert.deepEqual((await milestones()).items.map((m) => m.title), ['2.31', '2.32', '2.33', '2.34']);
});

test('with no milestone the generator names them M1, M2…; after "Sprint 9" comes "Sprint 10"', async () => {
	// A fresh server: only non-X.Y titles.
	const other = await startServer();
	try {
		const r0 = await other.as('pm1').post('/api/v1/milestones/plan', { every: '4w', weekday: 'thu', count: 2, from: '2027-01-04' });
		assertStatus(r0, 201);
		assert.deepEqual(r0.json.items.map((m) => m.title), ['M1', 'M2']);
		const r1 = await other.as('pm1').post('/api/v1/milestones/plan', { every: '4w', weekday: 'thu', count: 1 });
		assertStatus(r1, 201);
		assert.deepEqual(r1.json.items.map((m) => m.title), ['M3']);
		assert.equal(r1.json.items[0].start, addDays(r0.json.items[1].due, 1));
		// The trailing number of the latest milestone's title goes on: Sprint 9 -> Sprint 10.
		const s9 = await other.as('pm1').post('/api/v1/milestones', { title: 'Sprint 9', start: '2028-01-03', due: '2028-01-27', capacity: 10 });
		assertStatus(s9, 201);
		const r2 = await other.as('pm1').post('/api/v1/milestones/plan', { every: '4w', weekday: 'thu', count: 2 });
		assertStatus(r2, 201);
		assert.deepEqual(r2.json.items.map((m) => m.title), ['Sprint 10', 'Sprint 11']);
		assert.equal(r2.json.items[0].start, '2028-01-28');
	} finally {
		await other.stop();
	}
});

test('PATCH and DELETE /milestones/{id}: pm edits; refusals change nothing; 409 while an issue is in it, 204 when empty', async () => {
	const m = await createMilestone({ title: uniq('edit '), start: '2032-03-01', due: '2032-03-25', capacity: 20 });
	const p = await as('pm1').patch(`/api/v1/milestones/${m.id}`, { title: 'Spring 2032', capacity: 24 });
	assertStatus(p, 200);
	assert.equal(p.json.title, 'Spring 2032');
	assert.equal(p.json.capacity, 24);
	assert.equal(p.json.start, '2032-03-01', 'fields left out stay');
	const g = await milestone(m.id);
	assert.deepEqual([g.title, g.capacity, g.start, g.due], ['Spring 2032', 24, '2032-03-01', '2032-03-25']);
	assert.equal((await as('admin').patch(`/api/v1/milestones/${m.id}`, { due: '2032-03-26' })).json.due, '2032-03-26');
	const i = await make({ size: 5 });
	await patch(i.number, { milestone: m.id }, 'pm1');
	assert.equal((await get(i.number)).milestone, m.id);
	const touched = [i.number];
	const before = await state(touched);
	const refusals = [
		['eng1', { title: 'x' }, 403, 'forbidden', undefined],
		['cto1', { capacity: 1 }, 403, 'forbidden', undefined],
		['viewer1', { capacity: 1 }, 403, 'forbidden', undefined],
		['pm1', { due: '2032-02-01' }, 422, 'invalid_field', 'due'],
		['pm1', { start: '2032-04-01' }, 422, 'invalid_field', 'due'],
		['pm1', { start: '2032-02-30' }, 422, 'invalid_field', 'start'],
		['pm1', { capacity: -3 }, 422, 'invalid_field', 'capacity'],
		['pm1', { title: '' }, 422, 'invalid_field', 'title'],
		['pm1', { title: '2.31' }, 409, 'conflict', undefined],
		['pm1', { owner: 'me' }, 422, 'invalid_field', 'owner'],
	];
	for (const [login, body, status, code, field] of refusals) {
		const r = await as(login).patch(`/api/v1/milestones/${m.id}`, body);
		if (field === 'due' && body.start && r.status === 422)
			assert.ok(['start', 'due'].includes(r.json.error.field), show(r));
		else
			assertError(r, status, code, field);
		await assertNothingChanged(before, touched, `PATCH ${login} ${JSON.stringify(body)}`);
	}
	for (const login of ['eng1', 'em1', 'cto1', 'viewer1']) {
		assertError(await as(login).del(`/api/v1/milestones/${m.id}`), 403, 'forbidden');
		await assertNothingChanged(before, touched, `DELETE by ${login}`);
	}
	const busy = await as('pm1').del(`/api/v1/milestones/${m.id}`);
	assertError(busy, 409, 'conflict');
	await assertNothingChanged(before, touched, 'DELETE while an issue is in it');
	await patch(i.number, { milestone: null }, 'pm1');
	// A done (closed) item is still in it.
	const j = await make({ size: 2 });
	await patch(j.number, { milestone: m.id }, 'pm1');
	await patch(j.number, { dev_status: 'done' }, 'eng1');
	const bj = await state([j.number]);
	assertError(await as('pm1').del(`/api/v1/milestones/${m.id}`), 409, 'conflict');
	await assertNothingChanged(bj, [j.number], 'DELETE while a done issue is in it');
	await patch(j.number, { milestone: null }, 'pm1');
	const del = await as('pm1').del(`/api/v1/milestones/${m.id}`);
	assertStatus(del, 204);
	assert.equal(del.text, '');
	assertError(await as('pm1').get(`/api/v1/milestones/${m.id}`), 404, 'not_found');
	assert.ok(!(await milestones()).items.some((x) => x.id === m.id));
	assertError(await as('pm1').del(`/api/v1/milestones/${m.id}`), 404, 'not_found');
	assertError(await as('pm1').patch('/api/v1/milestones/999999', { capacity: 1 }), 404, 'not_found');
	for (const sfx of ['', '/burnup', '/forecast', '/report'])
		assertError(await as('pm1').get(`/api/v1/milestones/999999${sfx}`), 404, 'not_found');
	// A one-day milestone (due == start) is allowed.
	const one = await createMilestone({ title: uniq('one day '), start: '2032-05-05', due: '2032-05-05', capacity: 3 });
	assertStatus(await as('pm1').del(`/api/v1/milestones/${one.id}`), 204);
});

test('a milestone spans at most 366 days: a decade is refused (422 due) and nothing is created; a year is fine', async () => {
	const before = (await as('pm1').get('/api/v1/milestones')).json.items.length;
	const r = await as('pm1').post('/api/v1/milestones', { title: uniq('decade '), start: '2020-01-01', due: '2030-12-31', capacity: 40 });
	assertError(r, 422, 'invalid_field', 'due');
	assert.equal((await as('pm1').get('/api/v1/milestones')).json.items.length, before);
	const start = addDays(todayYmd(), 30); // planned on any day the test runs
	const y = await as('pm1').post('/api/v1/milestones', { title: uniq('year '), start, due: addDays(start, 365), capacity: 40 });
	assertStatus(y, 201);
	assert.equal(y.json.state, 'planned', 'the reply is the milestone as GET shows it');
	assert.equal(y.json.load, 0);
	assertStatus(await as('pm1').del(`/api/v1/milestones/${y.json.id}`), 204);
});

/* ---------- scope, forecast, burn-up, report ---------- */

let slipper = null; // {id, z}: a repeat slipper and a milestone whose report lists it
let P = null;  // started long ago, due far ahead (active)
let P2 = null; // another active one
let F = null;  // in the future (planned)

test('forecast with work remaining and nothing done in the last 28 days: probability 0, dates null; same seed, same answer', async () => {
	P = await createMilestone({ title: uniq('P '), start: addDays(todayYmd(), -30), due: addDays(todayYmd(), 300), capacity: 40 });
	const a = await make({ size: 5 });
	const b = await make({ size: 3 });
	await patch(a.number, { milestone: P.id }, 'pm1');
	await patch(b.number, { milestone: P.id }, 'pm1');
	const r1 = await as('eng1').get(`/api/v1/milestones/${P.id}/forecast`, { query: { seed: '42' } });
	assertStatus(r1, 200);
	const f = r1.json;
	assert.equal(f.remaining, 8);
	assert.equal(f.throughput_days, 28);
	assert.equal(f.mean_daily, 0);
	assert.equal(f.probability, 0);
	assert.deepEqual([f.p50, f.p85, f.p95], [null, null, null]);
	const r2 = await as('pm1').get(`/api/v1/milestones/${P.id}/forecast`, { query: { seed: '42' } });
	assert.deepEqual(r2.json, f, 'same seed, same answer');
	// An empty milestone: nothing remains, certain to finish.
	const empty = await createMilestone({ title: uniq('empty '), start: '2031-02-01', due: '2031-02-27', capacity: 10 });
	const e = (await as('eng1').get(`/api/v1/milestones/${empty.id}/forecast`, { query: { seed: '1' } })).json;
	assert.equal(e.remaining, 0);
	assert.equal(e.probability, 1);
	for (const k of ['p50', 'p85', 'p95'])
		assert.match(e[k] ?? '', YMD_RE, `${k} is a date when nothing remains`);
	assertStatus(await as('pm1').del(`/api/v1/milestones/${empty.id}`), 204);
});

test('forecast query validation: seed and trials', async () => {
	for (const [q, field] of [[{ seed: 'abc' }, 'seed'], [{ trials: '0' }, 'trials'], [{ trials: 'x' }, 'trials'],
		[{ trials: '-5' }, 'trials'], [{ trials: '100000000' }, 'trials']]) {
		const r = await as('eng1').get(`/api/v1/milestones/${P.id}/forecast`, { query: q });
		assertError(r, 422, 'invalid_field', field);
	}
});

test('scope: items joining a started milestone are "added", joining a future one "committed"; load, items, capacity_left', async () => {
	F = await createMilestone({ title: uniq('F '), start: '2031-01-05', due: '2031-01-29', capacity: 10 });
	assert.equal((await milestone(F.id)).state, 'planned');
	assert.equal((await milestone(P.id)).state, 'active');
	assert.equal((await milestone(m231.id)).state, stateOf(m231));
	const p = await milestone(P.id);
	assert.equal(p.scope.length, 2);
	for (const s of p.scope) {
		assert.equal(s.added, true, `joined after the start: added ${JSON.stringify(s)}`);
		assert.equal(s.committed, false);
		assert.equal(s.removed, false);
		assert.equal(s.done, false);
		assert.equal(typeof s.title, 'string');
		assert.ok(s.points === 5 || s.points === 3, `scope entries carry their points: ${JSON.stringify(s)}`);
		for (const k of ['number', 'title', 'type', 'state', 'points', 'dev_status', 'assignee', 'committed', 'added', 'removed',
			'done', 'shipped', 'slipped', 'slip_reason', 'slips'])
			assert.ok(Object.hasOwn(s, k), `scope entry has ${k}: ${JSON.stringify(s)}`);
		assert.equal(s.slips, 0);
	}
	assert.equal(p.load, 8);
	assert.equal(p.items, 2);
	assert.equal(p.capacity_left, 32);
	const c1 = await make({ size: 8 });
	const c2 = await make({ pm_size: 'S' });
	await patch(c1.number, { milestone: F.id }, 'pm1');
	await patch(c2.number, { milestone: F.id }, 'admin');
	const f = await milestone(F.id);
	assert.deepEqual(f.scope.map((s) => s.number).sort((x, y) => x - y), [c1.number, c2.number]);
	for (const s of f.scope) {
		assert.equal(s.committed, true, `in it before the start: committed ${JSON.stringify(s)}`);
		assert.equal(s.added, false);
		assert.equal(s.removed, false);
	}
	assert.equal(f.load, 10);
	assert.equal(f.capacity_left, 0);
	assert.equal(f.items, 2);
	const over = await make({ size: 3 });
	await patch(over.number, { milestone: F.id }, 'pm1');
	const f2 = await milestone(F.id);
	assert.equal(f2.load, 13);
	assert.equal(f2.capacity_left, -3, 'over capacity shows as negative');
	// Leaving before the start is not a removal.
	await patch(over.number, { milestone: null }, 'pm1');
	const f3 = await milestone(F.id);
	assert.ok(!f3.scope.some((s) => s.number === over.number && s.removed), `left before the start: not removed ${JSON.stringify(f3.scope)}`);
	assert.equal(f3.load, 10);
	// The issue carries milestone and milestone_title; milestone:ID lists the scope.
	const g = await get(c1.number);
	assert.equal(g.milestone, F.id);
	assert.equal(g.milestone_title, F.title);
	assert.deepEqual((await srv.listAll(`milestone:${F.id}`)).items.map((i) => i.number), [c1.number, c2.number]);
	// The list shows the same load as the detail.
	const l = (await milestones()).items.find((m) => m.id === F.id);
	assert.deepEqual([l.load, l.items, l.capacity, l.state], [10, 2, 10, 'planned']);
});

test('moving an item out of a started milestone with slip_reason: removed, slipped with the reason; repeat slippers', async () => {
	const x = await make({ size: 5 });
	await patch(x.number, { milestone: P.id }, 'pm1');
	const moved = await patch(x.number, { milestone: F.id, slip_reason: 'Vendor API late' }, 'pm1');
	assert.equal(moved.milestone, F.id);
	const h = (await srv.as('admin').get(`/api/v1/issues/${x.number}/history`)).json.items;
	assert.ok(h.some((e) => e.field === 'milestone'), `milestone change in history: ${JSON.stringify(h)}`);
	assert.ok(h.some((e) => e.field === 'slip_reason' && e.new === 'Vendor API late'), `slip reason in history: ${JSON.stringify(h)}`);
	const p = await milestone(P.id);
	const row = p.scope.find((s) => s.number === x.number);
	assert.ok(row, `a removed item stays in the scope, marked: ${JSON.stringify(p.scope)}`);
	assert.equal(row.removed, true);
	assert.equal(p.load, 8, 'removed items do not count in the load');
	assert.equal(p.items, 2);
	const rep = await report(P.id, 'eng1');
	assertReportConsistent(rep);
	const ri = rep.items.find((i) => i.number === x.number);
	assert.ok(ri, JSON.stringify(rep));
	assert.equal(ri.removed, true);
	assert.equal(ri.slipped, true, 'removed after the start while not done: slipped');
	assert.equal(ri.slip_reason, 'Vendor API late');
	assert.equal(ri.points, 5);
	assert.ok(rep.removed.count >= 1 && rep.slipped.count >= 1);
	// In F (not started yet) it is committed.
	assert.equal((await milestone(F.id)).scope.find((s) => s.number === x.number)?.committed, true);

	// A slip reason on an item that stays: recorded on its current milestone.
	const y = (await milestone(P.id)).scope.find((s) => !s.removed);
	await patch(y.number, { slip_reason: 'Waiting on design' }, 'pm1');
	assert.equal((await report(P.id)).items.find((i) => i.number === y.number)?.slip_reason, 'Waiting on design');
	assert.equal((await get(y.number)).milestone, P.id, 'it stays in the milestone');

	// Slipping twice: P -> P2 -> out.
	P2 = await createMilestone({ title: uniq('P2 '), start: addDays(todayYmd(), -20), due: addDays(todayYmd(), 200), capacity: 20 });
	const z = await make({ size: 2 });
	await patch(z.number, { milestone: P.id }, 'pm1');
	await patch(z.number, { milestone: P2.id, slip_reason: 'first slip' }, 'pm1');
	await patch(z.number, { milestone: null, slip_reason: 'second slip' }, 'pm1');
	for (const id of [P.id, P2.id]) {
		const r = await report(id);
		assertReportConsistent(r);
		const rs = r.repeat_slippers.find((s) => s.number === z.number);
		assert.ok(rs, `#${z.number} slipped twice, listed in ${id}: ${JSON.stringify(r.repeat_slippers)}`);
		assert.equal(rs.slips, 2);
		assert.equal(rs.title, z.title);
		slipper = { id, z: z.number };
	}
	assert.equal((await report(P2.id)).items.find((i) => i.number === z.number)?.slip_reason, 'second slip');
	assert.equal((await report(P.id)).items.find((i) => i.number === z.number)?.slip_reason, 'first slip');
	assert.ok(!(await report(P.id)).repeat_slippers.some((s) => s.number === x.number), 'one slip is not a repeat');
	const pz = (await milestone(P.id)).scope.filter((s) => s.number === z.number);
	assert.equal(pz.length, 1);
	assert.equal(pz[0].slips, 2, 'slips counts every milestone');
	// One scope entry per stint: leave and come back.
	const q = await make({ size: 1 });
	const loadBefore = (await milestone(P.id)).load;
	await patch(q.number, { milestone: P.id }, 'pm1');
	await patch(q.number, { milestone: null, slip_reason: 'parked' }, 'pm1');
	await patch(q.number, { milestone: P.id }, 'pm1');
	const pq = await milestone(P.id);
	const qs = pq.scope.filter((s) => s.number === q.number);
	assert.equal(qs.length, 2, `two stints: ${JSON.stringify(qs)}`);
	assert.deepEqual(qs.map((s) => s.removed).sort(), [false, true]);
	assert.equal(pq.load, loadBefore + 1, 'counted once in the load');
	assertReportConsistent(await report(P.id));

	// slip_reason is refused (and nothing changes) for someone who may not move milestones.
	const before = await state([y.number]);
	assertError(await srv.patchIssue(y.number, { milestone: null, slip_reason: 'eng says' }, 'eng1'), 403, 'forbidden');
	await assertNothingChanged(before, [y.number]);
});

test('repeat_slippers[].milestones is the array of milestone titles the docs promise', async () => {
	assert.ok(slipper, 'needs the slip test');
	const rs = (await report(slipper.id)).repeat_slippers.find((s) => s.number === slipper.z);
	assert.ok(Array.isArray(rs.milestones), `milestones must be an array of titles: ${JSON.stringify(rs)}`);
	assert.deepEqual([...rs.milestones].sort(), [P.title, P2.title].sort());
});

test('shipping: done items in a milestone count as done and shipped; report counts agree with the items', async () => {
	const s = await make({ size: 3, dev_status: 'in_progress' });
	await patch(s.number, { milestone: P.id }, 'pm1');
	const before = await milestone(P.id);
	await patch(s.number, { dev_status: 'done' }, 'eng1');
	const p = await milestone(P.id);
	const row = p.scope.find((x) => x.number === s.number);
	assert.equal(row.done, true);
	assert.equal(p.done_points, before.done_points + 3);
	assert.equal(p.load, before.load, 'done items stay in the load');
	const rep = await report(P.id);
	assertReportConsistent(rep);
	const ri = rep.items.find((i) => i.number === s.number);
	assert.equal(ri.shipped, true);
	assert.equal(ri.slipped, false);
	assert.equal(ri.added, true);
	assert.ok(rep.shipped.count >= 1);
	assert.equal(rep.committed.count, 0, 'nothing was in P at its start');

	// An item added to a milestone that is already over, and not done by its due day, has slipped.
	if (stateOf(m231) === 'closed') {
		const late = await make({ size: 2 });
		await patch(late.number, { milestone: m231.id }, 'pm1');
		const doneLate = await make({ size: 1 });
		await patch(doneLate.number, { milestone: m231.id }, 'pm1');
		await patch(doneLate.number, { dev_status: 'done' }, 'eng1');
		const r = await report(m231.id);
		assertReportConsistent(r);
		const li = r.items.find((i) => i.number === late.number);
		assert.deepEqual([li.added, li.slipped, li.shipped], [true, true, false], JSON.stringify(li));
		const di = r.items.find((i) => i.number === doneLate.number);
		assert.deepEqual([di.slipped, di.shipped], [true, false], `done after the due day: slipped ${JSON.stringify(di)}`);
		await patch(late.number, { milestone: null }, 'pm1');
		await patch(doneLate.number, { milestone: null }, 'pm1');
	}
});

test('burn-up: one entry per day from start to min(today, due); today matches the items; earlier days before they joined are 0', async () => {
	const today = todayYmd();
	const start = addDays(today, -9);
	const due = addDays(today, 18);
	const B = await createMilestone({ title: uniq('B '), start, due, capacity: 30 });
	const i1 = await make({ size: 5 });
	const i2 = await make({ size: 3 });
	const i3 = await make({ size: 8, dev_status: 'review' });
	for (const i of [i1, i2, i3])
		await patch(i.number, { milestone: B.id }, 'pm1');
	await patch(i3.number, { dev_status: 'done' }, 'eng1');
	const r = await as('viewer1').get(`/api/v1/milestones/${B.id}/burnup`);
	assertStatus(r, 200);
	const bu = r.json;
	assert.equal(bu.start, start);
	assert.equal(bu.due, due);
	assert.equal(bu.days.length, 10);
	for (const [k, d] of bu.days.entries()) {
		assert.equal(d.date, addDays(start, k), 'consecutive days');
		assert.ok(Number.isInteger(d.scope) && Number.isInteger(d.done));
	}
	const last = bu.days.at(-1);
	assert.equal(last.date, today);
	const m = await milestone(B.id);
	assert.equal(last.scope, 16);
	assert.equal(last.scope, m.load);
	assert.equal(last.done, 8);
	assert.equal(last.done, m.done_points);
	for (const d of bu.days.slice(0, -1))
		assert.deepEqual([d.scope, d.done], [0, 0], `nothing in B before today: ${JSON.stringify(d)}`);
	// P, started 30 days ago: every day since its start.
	const bp = (await as('eng1').get(`/api/v1/milestones/${P.id}/burnup`)).json;
	assert.equal(bp.days.length, daysBetween(P.start, today) + 1);
	assert.equal(bp.days[0].date, P.start);
	const pm = await milestone(P.id);
	assert.deepEqual([bp.days.at(-1).scope, bp.days.at(-1).done], [pm.load, pm.done_points]);
	// A finished milestone stops at its due date; a future one has no days yet.
	const b31 = (await as('eng1').get(`/api/v1/milestones/${m231.id}/burnup`)).json;
	const end31 = today < m231.due ? today : m231.due;
	assert.equal(b31.days.length, Math.max(0, daysBetween(m231.start, end31) + 1));
	if (b31.days.length)
		assert.equal(b31.days.at(-1).date, end31);
	const bf = (await as('eng1').get(`/api/v1/milestones/${F.id}/burnup`)).json;
	assert.deepEqual(bf.days, []);
	assert.equal(bf.start, F.start);
});

test('private security issues stay out of an engineer\'s milestone views: scope, load, report, burn-up, forecast, list', async () => {
	const today = todayYmd();
	const M = await createMilestone({ title: uniq('priv '), start: addDays(today, -2), due: addDays(today, 20), capacity: 20 });
	const pub = await make({ size: 3 });
	const sec = await make({ type: 'security', size: 8 });
	await patch(pub.number, { milestone: M.id }, 'pm1');
	await patch(sec.number, { milestone: M.id }, 'pm1');
	const pmView = await milestone(M.id, 'pm1');
	assert.deepEqual(pmView.scope.map((x) => x.number).sort((a, b) => a - b), [pub.number, sec.number]);
	assert.equal(pmView.load, 11);
	const leaks = [];
	const engView = await milestone(M.id, 'eng1');
	if (engView.scope.some((x) => x.number === sec.number))
		leaks.push('scope lists the private issue');
	if (engView.load !== 3)
		leaks.push(`load ${engView.load} (visible: 3)`);
	if (engView.items !== 1)
		leaks.push(`items ${engView.items} (visible: 1)`);
	if (engView.capacity_left !== 17)
		leaks.push(`capacity_left ${engView.capacity_left} (visible: 17)`);
	const rep = await report(M.id, 'eng1');
	if (rep.items.some((x) => x.number === sec.number))
		leaks.push('report lists the private issue');
	if (rep.added.points !== 3)
		leaks.push(`report added.points ${rep.added.points} (visible: 3)`);
	const bu = (await as('eng1').get(`/api/v1/milestones/${M.id}/burnup`)).json;
	if (bu.days.at(-1).scope !== 3)
		leaks.push(`burn-up scope today ${bu.days.at(-1).scope} (visible: 3)`);
	const fc = (await as('eng1').get(`/api/v1/milestones/${M.id}/forecast`, { query: { seed: '1' } })).json;
	if (fc.remaining !== 3)
		leaks.push(`forecast remaining ${fc.remaining} (visible: 3)`);
	const inList = (await milestones('eng1')).items.find((m) => m.id === M.id);
	if (inList.load !== 3)
		leaks.push(`list load ${inList.load} (visible: 3)`);
	assert.deepEqual(leaks, [], 'an engineer must not learn of the private issue through the milestone');
	// The reporter of a private issue sees it.
	const mine = await make({ type: 'security', size: 2 }, 'eng2');
	await patch(mine.number, { milestone: M.id }, 'pm1');
	assert.ok((await milestone(M.id, 'eng2')).scope.some((x) => x.number === mine.number));
	assert.ok(!(await milestone(M.id, 'eng1')).scope.some((x) => x.number === mine.number));
	for (const n of [pub.number, sec.number, mine.number])
		await patch(n, { milestone: null }, 'pm1');
});

test('forecast: work finished today is not throughput yet (days before today count), remaining 0 gives 1, a hopeless milestone 0', async () => {
	// The throughput window is the 28 whole days before today (src/service/svc_plan.c); nothing in this
	// fresh database was done before today, so the mean is 0 although earlier tests finished work today.
	// A forecast with real throughput is in planning_demo.test.mjs (demo data has done_at in the past).
	const P3 = await createMilestone({ title: uniq('P3 '), start: addDays(todayYmd(), -3), due: addDays(todayYmd(), 360), capacity: 10 });
	const w = await make({ size: 1 });
	await patch(w.number, { milestone: P3.id }, 'pm1');
	const r = await as('eng1').get(`/api/v1/milestones/${P3.id}/forecast`, { query: { seed: '7', trials: '2000' } });
	assertStatus(r, 200);
	const f = r.json;
	assert.equal(f.remaining, 1);
	assert.equal(f.throughput_days, 28);
	const doneToday = (await srv.listAll()).items.filter((i) => i.done_at && i.done_at.slice(0, 10) === todayYmd());
	assert.ok(doneToday.length > 0, 'earlier tests finished work today');
	assert.equal(f.mean_daily, 0, 'today is still running and is left out of the history');
	assert.equal(f.probability, 0);
	assert.deepEqual([f.p50, f.p85, f.p95], [null, null, null]);
	assert.deepEqual((await as('pm1').get(`/api/v1/milestones/${P3.id}/forecast`, { query: { seed: '7', trials: '2000' } })).json, f);
	// Everything done: nothing remains, probability 1.
	await patch(w.number, { dev_status: 'done' }, 'eng1');
	const d = (await as('eng1').get(`/api/v1/milestones/${P3.id}/forecast`, { query: { seed: '7' } })).json;
	assert.equal(d.remaining, 0);
	assert.equal(d.probability, 1);
	for (const k of ['p50', 'p85', 'p95'])
		assert.match(d[k] ?? '', YMD_RE, k);
	// A big remainder and no throughput: 0, and no dates.
	const tight = await createMilestone({ title: uniq('tight '), start: addDays(todayYmd(), -1), due: addDays(todayYmd(), 2), capacity: 100 });
	for (let k = 0; k < 4; k++) {
		const t = await make({ size: 13 });
		await patch(t.number, { milestone: tight.id }, 'pm1');
	}
	const tf = (await as('eng1').get(`/api/v1/milestones/${tight.id}/forecast`, { query: { seed: '3' } })).json;
	assert.equal(tf.remaining, 52);
	assert.equal(tf.probability, 0);
	assert.equal(tf.p50, null);
});

test('velocity: the list and every milestone show the same velocity; a number once milestones have closed', async () => {
	const l = await milestones('eng1');
	for (const m of l.items) {
		assert.equal(m.state, stateOf(m), `${m.title} state`);
		assert.equal(m.velocity, l.velocity, `${m.title} velocity`);
		for (const k of ['id', 'title', 'start', 'due', 'capacity', 'state', 'load', 'done_points', 'items'])
			assert.ok(Object.hasOwn(m, k), `${m.title} has ${k}`);
	}
	const starts = l.items.map((m) => m.start);
	assert.deepEqual(starts, [...starts].sort(), 'by start date');
	if (l.items.some((m) => m.state === 'closed'))
		assert.equal(typeof l.velocity, 'number');
	assert.equal((await milestone(P.id)).velocity, l.velocity);
});

test('server shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
