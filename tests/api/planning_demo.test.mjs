/*
 * planning_demo.test.mjs — issue #4 milestone numbers on data with a past:
 * `cairn demo` writes a year of closed milestones with done_at dates in the past,
 * slips and repeat slippers, which the API cannot backdate.  Over real HTTP:
 * velocity (mean done points of the last 3 closed milestones), the cadence
 * generator's defaults after them (title, from, capacity = velocity), the
 * ship/slip reports, burn-up series, and the Monte Carlo forecast with real
 * throughput (mean of the 28 days before today, reproducible with a seed,
 * certain for a tiny remainder, impossible for a huge one).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertStatus, startServer, uniq } from './harness.mjs';
import { addDays, daysBetween, todayYmd, weekday } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());
srv.cli(['demo', '--issues', '200', '--seed', '7']);

const YMD_RE = /^\d{4}-\d{2}-\d{2}$/;
const as = (login) => srv.as(login);


const stateOf = (m, today = todayYmd()) => (today < m.start ? 'planned' : today <= m.due ? 'active' : 'closed');

async function getJson(path, login = 'admin', query) {
	const r = await as(login).get(path, query ? { query } : {});
	assertStatus(r, 200);
	return r.json;
}

const list = (login = 'admin') => getJson('/api/v1/milestones', login);

async function createMilestone(body) {
	const r = await as('pm1').post('/api/v1/milestones', body);
	assertStatus(r, 201);
	return r.json;
}

async function putIn(number, milestoneId) {
	const r = await srv.patchIssue(number, { milestone: milestoneId }, 'pm1');
	assertStatus(r, 200);
}

test('demo data: milestone states follow the dates; velocity = mean done points of the last 3 closed milestones', async () => {
	const l = await list('eng1');
	assert.ok(l.items.length >= 7, `the demo has past, current and next milestones: ${l.items.map((m) => m.title)}`);
	for (const m of l.items)
		assert.equal(m.state, stateOf(m), `${m.title} ${m.start}..${m.due}`);
	const closed = l.items.filter((m) => m.state === 'closed').sort((a, b) => (a.due < b.due ? -1 : 1));
	assert.ok(closed.length >= 3, 'at least three closed milestones');
	const last3 = closed.slice(-3);
	const mean = last3.reduce((s, m) => s + m.done_points, 0) / 3;
	assert.equal(typeof l.velocity, 'number');
	assert.ok(Math.abs(l.velocity - mean) < 0.051, `velocity ${l.velocity} vs mean of ${last3.map((m) => `${m.title}:${m.done_points}`)} = ${mean}`);
	for (const m of l.items)
		assert.equal(m.velocity, l.velocity);
	assert.ok(l.items.some((m) => m.state === 'active'), 'one milestone is running');
	assert.ok(l.items.some((m) => m.state === 'planned'), 'the next one is planned');
	for (const m of l.items) {
		assert.equal(m.capacity_left, m.capacity - m.load, `${m.title} capacity_left`);
		assert.ok(m.done_points <= m.load, `${m.title}: done ≤ load`);
	}
});

test('demo data: each report agrees with its items; in a closed milestone every item still in it shipped or slipped; repeat slippers', async () => {
	const l = await list();
	let repeat = 0;
	for (const m of l.items) {
		const r = await getJson(`/api/v1/milestones/${m.id}/report`, 'eng1');
		for (const k of ['committed', 'shipped', 'slipped', 'added', 'removed']) {
			const mine = r.items.filter((i) => i[k]);
			assert.equal(r[k].count, mine.length, `${m.title} ${k}.count`);
			assert.equal(r[k].points, mine.reduce((s, i) => s + i.points, 0), `${m.title} ${k}.points`);
		}
		for (const i of r.items) {
			assert.ok(!(i.committed && i.added), `${m.title} #${i.number}: committed or added`);
			assert.ok(!(i.shipped && i.slipped), `${m.title} #${i.number}: shipped or slipped`);
			if (m.state === 'closed' && !i.removed)
				assert.ok(i.shipped || i.slipped, `${m.title} is over: #${i.number} shipped or slipped ${JSON.stringify(i)}`);
			if (m.state === 'planned')
				assert.ok(!i.slipped && !i.added, `${m.title} has not started: ${JSON.stringify(i)}`);
		}
		if (m.state === 'closed')
			assert.equal(r.shipped.points, m.done_points, `${m.title}: shipped points = done points`);
		for (const s of r.repeat_slippers) {
			repeat++;
			assert.ok(s.slips >= 2, `${m.title}: a repeat slipper slipped at least twice ${JSON.stringify(s)}`);
			assert.ok(r.items.some((i) => i.number === s.number), `${m.title}: repeat slipper #${s.number} is one of its items`);
			assert.equal(typeof s.title, 'string');
		}
		// The detail's scope is the report's items.
		const d = await getJson(`/api/v1/milestones/${m.id}`, 'eng1');
		assert.deepEqual(d.scope.map((x) => x.number).sort((a, b) => a - b), r.items.map((x) => x.number).sort((a, b) => a - b));
		assert.equal(d.load, d.scope.filter((x) => !x.removed).reduce((s, x) => s + x.points, 0), `${m.title} load = points of the scope`);
		assert.equal(d.items, d.scope.filter((x) => !x.removed).length, `${m.title} items`);
	}
	assert.ok(repeat > 0, 'the demo has items that slipped more than once');
	const committedSomewhere = (await Promise.all(l.items.map((m) => getJson(`/api/v1/milestones/${m.id}/report`))))
		.some((r) => r.committed.count > 0);
	assert.ok(committedSomewhere, 'planned before the start: committed');
});

test('demo data: burn-up per day; done never exceeds scope nor falls; closed ones end on the due day with done = shipped', async () => {
	const today = todayYmd();
	for (const m of (await list()).items) {
		const b = await getJson(`/api/v1/milestones/${m.id}/burnup`, 'viewer1');
		const end = today < m.due ? today : m.due;
		assert.equal(b.days.length, Math.max(0, daysBetween(m.start, end) + 1), `${m.title} days`);
		for (const [k, d] of b.days.entries()) {
			assert.equal(d.date, addDays(m.start, k));
			assert.ok(d.done <= d.scope, `${m.title} ${d.date}: done ${d.done} ≤ scope ${d.scope}`);
			if (k)
				assert.ok(d.done >= b.days[k - 1].done, `${m.title} ${d.date}: done does not fall`);
		}
		if (m.state === 'closed') {
			const r = await getJson(`/api/v1/milestones/${m.id}/report`);
			assert.equal(b.days.at(-1).date, m.due);
			assert.equal(b.days.at(-1).done, r.shipped.points, `${m.title}: done at the due day = shipped`);
		}
		if (m.state === 'active') {
			assert.equal(b.days.at(-1).date, today);
			assert.deepEqual([b.days.at(-1).scope, b.days.at(-1).done], [m.load, m.done_points], `${m.title} today`);
		}
		if (m.state === 'planned')
			assert.deepEqual(b.days, []);
	}
});

test('cadence after the demo: titles continue, from = the day after the last due, capacity defaults to the velocity', async () => {
	const l = await list();
	const byStart = [...l.items].sort((a, b) => (a.start < b.start ? -1 : 1));
	const lastXY = byStart.filter((m) => /^\d+\.\d+$/.test(m.title)).at(-1);
	const last = byStart.at(-1);
	const r = await as('pm1').post('/api/v1/milestones/plan', { every: '4w', weekday: 'thu', count: 2 });
	assertStatus(r, 201);
	const [a, b] = r.json.items;
	const [maj, min] = lastXY.title.split('.').map(Number);
	assert.deepEqual([a.title, b.title], [`${maj}.${min + 1}`, `${maj}.${min + 2}`]);
	assert.equal(a.start, addDays(last.due, 1));
	assert.equal(weekday(a.due), 4);
	assert.equal(daysBetween(a.due, b.due), 28);
	for (const m of [a, b])
		assert.ok(Math.abs(m.capacity - l.velocity) <= 1, `capacity ${m.capacity} defaults to the velocity ${l.velocity}`);
});

test('forecast with real throughput: mean over the 28 days before today; probabilities and dates sane; same seed, same answer', async () => {
	const today = todayYmd();
	const t0 = Date.parse(`${today}T00:00:00Z`);
	const all = (await srv.listAll()).items;
	const window = all.filter((i) => i.done_at && Date.parse(i.done_at) >= t0 - 28 * 86400000 && Date.parse(i.done_at) < t0);
	const pts = window.reduce((s, i) => s + (i.effective_size ?? 0), 0);
	assert.ok(pts > 0, 'the demo finished work in the last 28 days');
	const active = (await list()).items.find((m) => m.state === 'active');
	const f = await getJson(`/api/v1/milestones/${active.id}/forecast`, 'admin', { seed: '11' });
	assert.equal(f.throughput_days, 28);
	assert.ok(Math.abs(f.mean_daily - pts / 28) < 0.006, `mean_daily ${f.mean_daily} vs ${pts}/28`);
	assert.equal(f.remaining, active.load - active.done_points);
	assert.ok(f.probability >= 0 && f.probability <= 1);
	for (const k of ['p50', 'p85', 'p95'])
		assert.match(f[k] ?? '', YMD_RE, `${k} with throughput: ${JSON.stringify(f)}`);
	assert.ok(today <= f.p50 && f.p50 <= f.p85 && f.p85 <= f.p95, `ordered dates ${JSON.stringify(f)}`);
	if (f.probability >= 0.5)
		assert.ok(f.p50 <= active.due, `p50 by the due date when probability ≥ .5: ${JSON.stringify(f)}`);
	else
		assert.ok(f.p50 >= active.due, `p50 past the due date when probability < .5: ${JSON.stringify(f)}`);
	const again = await getJson(`/api/v1/milestones/${active.id}/forecast`, 'admin', { seed: '11' });
	assert.deepEqual(again, f, 'same seed, same answer');
	const many = await getJson(`/api/v1/milestones/${active.id}/forecast`, 'admin', { seed: '11', trials: '500' });
	assert.deepEqual(await getJson(`/api/v1/milestones/${active.id}/forecast`, 'admin', { seed: '11', trials: '500' }), many);

	// Certain: one point with four months to go and nothing ahead of it.  The
	// team finishes earlier milestones first (their open points count as
	// `ahead`), so the milestone starts before the running one, a year before
	// its due day (the longest a milestone may span): only closed milestones
	// start earlier, and what was in them shipped or slipped, so nothing of
	// what the demo left open (which depends on the day it was made) is ahead.
	const due = addDays(today, 120), start = addDays(due, -366);
	const before = (await list()).items.filter((m) => m.start <= start);
	assert.ok(before.length > 0 && before.every((m) => m.state === 'closed' && m.load === m.done_points),
		`only closed, finished milestones start before ${start}: ${JSON.stringify(before)}`);
	const easy = await createMilestone({ title: uniq('easy '), start, due, capacity: 5 });
	const one = await srv.createIssue({ title: uniq('one point '), size: 1 });
	await putIn(one.number, easy.id);
	const fe = await getJson(`/api/v1/milestones/${easy.id}/forecast`, 'eng1', { seed: '5' });
	assert.equal(fe.remaining, 1);
	assert.equal(fe.ahead, 0, `nothing comes first: ${JSON.stringify(fe)}`);
	assert.equal(fe.probability, 1, `certain to finish: ${JSON.stringify(fe)}`);
	assert.ok(fe.p95 <= easy.due);
	// Impossible: 104 points due tomorrow.
	const hard = await createMilestone({ title: uniq('hard '), start: today, due: addDays(today, 1), capacity: 5 });
	for (let k = 0; k < 8; k++) {
		const i = await srv.createIssue({ title: uniq('big '), size: 13 });
		await putIn(i.number, hard.id);
	}
	const fh = await getJson(`/api/v1/milestones/${hard.id}/forecast`, 'eng1', { seed: '5' });
	assert.equal(fh.remaining, 104);
	assert.equal(fh.probability, 0, `cannot finish: ${JSON.stringify(fh)}`);
	assert.match(fh.p50 ?? '', YMD_RE, 'with throughput it finishes some day');
	assert.ok(fh.p50 > hard.due);
});

test('a year of allocation: the three whole quarters before this one each shipped work for pillars, unplanned work and bugs; security fixes in the year', async () => {
	const a = await getJson('/api/v1/strategy/allocation', 'admin', { by: 'quarter', last: '4' });
	assert.equal(a.buckets.length, 4);
	const [y, q] = todayYmd().split('-').map(Number).map((v, k) => (k ? Math.floor((v - 1) / 3) + 1 : v));
	assert.equal(a.buckets.at(-1).key, `${y}-Q${q}`, 'the last bucket is this quarter');
	const pts = (shares, kind) => shares.filter((s) => s.kind === kind).reduce((n, s) => n + s.points, 0);
	for (const b of a.buckets.slice(0, 3)) {
		for (const kind of ['initiative', 'unplanned', 'bugs'])
			assert.ok(pts(b.shares, kind) > 0, `${b.key}: ${kind} ${JSON.stringify(b.shares)}`);
		assert.ok(b.shares.some((s) => s.kind === 'initiative' && s.pillar), `${b.key}: a pillar's share`);
		assert.equal(b.points, b.shares.reduce((n, s) => n + s.points, 0), `${b.key} points`);
	}
	// ~5% of the issues are security reports, fixed within days: 200 issues
	// give a handful a quarter, and a quarter may happen to have none
	assert.ok(pts(a.buckets.flatMap((b) => b.shares), 'security') > 0, JSON.stringify(a.buckets));
	// private: a viewer's allocation leaves the security fixes out
	const v = await getJson('/api/v1/strategy/allocation', 'viewer1', { by: 'quarter', last: '4' });
	assert.equal(pts(v.buckets.flatMap((b) => b.shares), 'security'), 0);
});

test('server shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
