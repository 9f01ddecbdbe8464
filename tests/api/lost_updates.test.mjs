/*
 * lost_updates.test.mjs — no acknowledged write is lost when several
 * writers change different fields of one thing at once through two servers
 * on one database (issue #15, point 1).  Each writer owns one field and
 * sets it to 1, 2, ... N in turn; they run at the same time, alternating
 * between the servers.  Afterwards every field must hold its writer's last
 * value: a read-modify-write that read the row before another writer's
 * commit would have written the other field back to an older value.  And
 * `If-Match: *` on an issue never answers 412.
 *
 * On SQLite the writer holds the whole database, so this always held; on
 * PostgreSQL (CAIRN_TEST_DB, READ COMMITTED) it needs the row locks the
 * service takes first thing in every write (store_lock_row).  Nothing here
 * is timed: the writers simply interleave as the machine schedules them.
 * Insights' PATCH has one field (state), so no second writer can lose it.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, todayYmd } from '../lib/clock.mjs';

const A = await startServer();
const B = await startServer({ shareWith: A });
after(() => {
	B.kill();
	A.kill();
});

const N = 40;

/* Writers run at once; writer w's k-th write goes to server A or B in turn.
 * write(srv, k) returns the response; every one must be 200. */
async function race(writers) {
	const bad = [];
	await Promise.all(writers.map(async (write, w) => {
		for (let k = 1; k <= N; k++) {
			const srv = (k + w) % 2 ? A : B;
			const r = await write(srv, k);
			if (r.status !== 200)
				bad.push(`writer ${w}, write ${k}: ${show(r)}`);
		}
	}));
	assert.deepEqual(bad, [], 'every write acknowledged');
}

async function created(r) {
	assertStatus(r, 201);
	return r.json;
}

test('an issue: four writers (title, body, labels, priority) with If-Match: * — no 412, no field lost', async () => {
	const is = await created(await A.as('pm1').post('/api/v1/issues', { title: uniq('race '), type: 'story' }));
	const n = is.number;
	const prios = ['low', 'medium', 'high'];
	const star = { headers: { 'If-Match': '*' } };
	await race([
		(s, k) => s.as('pm1').patch(`/api/v1/issues/${n}`, { title: `title ${k}` }, star),
		(s, k) => s.as('em1').patch(`/api/v1/issues/${n}`, { body: `body ${k}` }, star),
		(s, k) => s.as('eng1').patch(`/api/v1/issues/${n}`, { labels: [`l-${k}`] }, star),
		(s, k) => s.as('cto1').patch(`/api/v1/issues/${n}`, { priority: prios[k % 3] }, star),
	]);
	const got = (await A.as('admin').get(`/api/v1/issues/${n}`)).json;
	assert.deepEqual([got.title, got.body, got.labels, got.priority],
		[`title ${N}`, `body ${N}`, [`l-${N}`], prios[N % 3]]);
	assert.equal(got.version, 1 + 4 * N, 'one version per write');
});

test('settings: five writers (four SLA severities, the Todo limit) — every last value kept', async () => {
	await race([
		(s, k) => s.as('pm1').patch('/api/v1/settings', { sla_days: { critical: k } }),
		(s, k) => s.as('admin').patch('/api/v1/settings', { sla_days: { high: 50 + k } }),
		(s, k) => s.as('pm1').patch('/api/v1/settings', { sla_days: { medium: 100 + k } }),
		(s, k) => s.as('admin').patch('/api/v1/settings', { sla_days: { low: 200 + k } }),
		(s, k) => s.as('pm1').patch('/api/v1/settings', { todo_limit: 100 + k }),
	]);
	const got = (await B.as('admin').get('/api/v1/settings')).json;
	assert.deepEqual(got.sla_days, { critical: N, high: 50 + N, medium: 100 + N, low: 200 + N });
	assert.equal(got.todo_limit, 100 + N);
});

test('a milestone: title and capacity at once — both kept', async () => {
	const start = todayYmd();
	const m = await created(await A.as('pm1').post('/api/v1/milestones',
		{ title: uniq('M '), start, due: addDays(start, 13), capacity: 10 }));
	const base = uniq('race M');
	await race([
		(s, k) => s.as('pm1').patch(`/api/v1/milestones/${m.id}`, { title: `${base} ${k}` }),
		(s, k) => s.as('admin').patch(`/api/v1/milestones/${m.id}`, { capacity: 10 + k }),
	]);
	const got = (await A.as('admin').get(`/api/v1/milestones/${m.id}`)).json;
	assert.deepEqual([got.title, got.capacity], [`${base} ${N}`, 10 + N]);
});

test('strategy: an objective, a key result, a pillar and an initiative, two fields each — all kept', async () => {
	const o = await created(await A.as('pm1').post('/api/v1/objectives', { title: uniq('O '), period: 'FY27' }));
	const kr = await created(await A.as('pm1').post(`/api/v1/objectives/${o.id}/key-results`,
		{ metric: 'NPS', baseline: 0, target: 1000 })); // never equal: a KR's target differs from its baseline
	const p = await created(await A.as('pm1').post('/api/v1/pillars', { name: uniq('P '), description: 'd' }));
	const i = await created(await A.as('pm1').post('/api/v1/initiatives', { title: uniq('I '), owner: 'pm1' }));
	const t = uniq('race');
	await race([
		(s, k) => s.as('pm1').patch(`/api/v1/objectives/${o.id}`, { title: `${t} O ${k}` }),
		(s, k) => s.as('admin').patch(`/api/v1/objectives/${o.id}`, { period: `P${k}` }),
		(s, k) => s.as('pm1').patch(`/api/v1/key-results/${kr.id}`, { baseline: k }),
		(s, k) => s.as('admin').patch(`/api/v1/key-results/${kr.id}`, { target: 100 + k }),
		(s, k) => s.as('pm1').patch(`/api/v1/pillars/${p.id}`, { name: `${t} P ${k}` }),
		(s, k) => s.as('admin').patch(`/api/v1/pillars/${p.id}`, { description: `d ${k}` }),
		(s, k) => s.as('pm1').patch(`/api/v1/initiatives/${i.id}`, { title: `${t} I ${k}` }),
		(s, k) => s.as('admin').patch(`/api/v1/initiatives/${i.id}`, { description: `i ${k}` }),
	]);
	const st = (await A.as('admin').get('/api/v1/strategy')).json;
	const obj = st.objectives.find((x) => x.id === o.id);
	assert.deepEqual([obj.title, obj.period], [`${t} O ${N}`, `P${N}`]);
	const k2 = obj.key_results.find((x) => x.id === kr.id);
	assert.deepEqual([k2.baseline, k2.target], [N, 100 + N]);
	const pil = (await A.as('admin').get('/api/v1/pillars')).json.items.find((x) => x.id === p.id);
	assert.deepEqual([pil.name, pil.description], [`${t} P ${N}`, `d ${N}`]);
	const ini = (await B.as('admin').get(`/api/v1/initiatives/${i.id}`)).json;
	assert.deepEqual([ini.title, ini.description], [`${t} I ${N}`, `i ${N}`]);
});

test('a customer and a persona: three and two writers on one row each — every last value kept', async () => {
	const c = await created(await A.as('pm1').post('/api/v1/customers', { name: uniq('Race Corp '), tier: 'Starter' }));
	const p = await created(await A.as('pm1').post('/api/v1/personas', { name: uniq('Racer '), buyer_level: 'manager' }));
	const t = uniq('race');
	await race([
		(s, k) => s.as('pm1').patch(`/api/v1/customers/${c.id}`, { name: `${t} C ${k}` }),
		(s, k) => s.as('admin').patch(`/api/v1/customers/${c.id}`, { arr: 1000 + k }),
		(s, k) => s.as('pm1').patch(`/api/v1/customers/${c.id}`, { seats: 10 + k }),
		(s, k) => s.as('admin').patch(`/api/v1/personas/${p.id}`, { name: `${t} P ${k}` }),
		(s, k) => s.as('pm1').patch(`/api/v1/personas/${p.id}`, { description: `d ${k}` }),
	]);
	const cg = (await B.as('admin').get(`/api/v1/customers/${c.id}`)).json;
	const cust = cg.customer ?? cg;
	assert.deepEqual([cust.name, cust.arr, cust.seats], [`${t} C ${N}`, 1000 + N, 10 + N], JSON.stringify(cg).slice(0, 300));
	const pl = (await B.as('admin').get('/api/v1/personas')).json;
	const pg = (pl.items ?? pl).find((x) => x.id === p.id);
	assert.deepEqual([pg.name, pg.description], [`${t} P ${N}`, `d ${N}`]);
});

test('a changelog entry and a decision: title and description at once — both kept', async () => {
	const c = await created(await A.as('pm1').post('/api/v1/changelog', { title: uniq('CL '), description: 'd' }));
	const d = await created(await A.as('pm1').post('/api/v1/decisions', { title: uniq('D '), context: 'c' }));
	const t = uniq('race');
	await race([
		(s, k) => s.as('pm1').patch(`/api/v1/changelog/${c.id}`, { title: `${t} C ${k}` }),
		(s, k) => s.as('admin').patch(`/api/v1/changelog/${c.id}`, { description: `d ${k}` }),
		(s, k) => s.as('pm1').patch(`/api/v1/decisions/${d.id}`, { title: `${t} D ${k}` }),
		(s, k) => s.as('admin').patch(`/api/v1/decisions/${d.id}`, { context: `c ${k}` }),
	]);
	const cg = (await B.as('admin').get(`/api/v1/changelog/${c.id}`)).json;
	assert.deepEqual([cg.title, cg.description], [`${t} C ${N}`, `d ${N}`]);
	const dg = (await B.as('admin').get(`/api/v1/decisions/${d.id}`)).json;
	assert.deepEqual([dg.title, dg.context], [`${t} D ${N}`, `c ${N}`]);
});
