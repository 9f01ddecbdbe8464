/*
 * query_v2.test.mjs — GET /api/v1/issues?q=… with the query language's
 * version 2 (issue #17): every new qualifier against a known data set,
 * negation, OR lists, no:, comparisons, relative times (the server's
 * clock: CAIRN_NOW), the new sort keys, privacy of fix_by:, and parse
 * errors with their position.  Runs on either backend (CAIRN_TEST_DB).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, show, startServer, uniq } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());
const as = (l) => srv.as(l);

const I = {}; /* name -> issue number */
let M, AREA, INIT, ACME, GLOBEX;

async function created(r, status = 201) {
	assertStatus(r, status);
	return r.json;
}

async function ask(number, customer, importance) {
	const ins = await created(await as('pm1').post('/api/v1/insights', { source: 'call', title: uniq('ask '), ...(customer ? { customer: customer.name } : {}) }));
	assertStatus(await as('pm1').post(`/api/v1/insights/${ins.id}/links`, { issue: number, importance }), 200);
}

async function patch(number, fields) {
	const r = await srv.patchIssue(number, fields);
	assertStatus(r, 200);
}

before(async () => {
	M = await created(await as('pm1').post('/api/v1/milestones', { title: '2.31', start: '2026-12-01', due: '2026-12-20', capacity: 40 }));
	const pillar = await created(await as('pm1').post('/api/v1/pillars', { name: uniq('Pillar '), description: 'd' }));
	AREA = await created(await as('pm1').post('/api/v1/areas', { pillar: pillar.id, name: 'Billing', description: 'd' }));
	INIT = await created(await as('pm1').post('/api/v1/initiatives', { title: 'Mobile first' }));
	ACME = await created(await as('admin').post('/api/v1/customers', { name: 'Acme Corp', tier: 'Premium', arr: 100000, seats: 10, strategic: false }));
	GLOBEX = await created(await as('admin').post('/api/v1/customers', { name: 'Globex', tier: 'Starter', arr: 1000, seats: 2, strategic: false }));

	I.bug = (await srv.createIssue({ title: 'Crash on save', type: 'bug', assignee: 'eng1', labels: ['x'] })).number;
	I.feat = (await srv.createIssue({ title: 'Dark mode', type: 'feature', assignee: 'eng2', size: 5, labels: ['y'] }, 'pm1')).number;
	I.story = (await srv.createIssue({ title: 'Export', type: 'story', size: 8, labels: ['x', 'y'] })).number;
	I.epic = (await srv.createIssue({ title: 'Billing revamp', type: 'epic' })).number;
	I.task = (await srv.createIssue({ title: 'Write docs', type: 'task', size: 2 })).number;
	I.sec = (await srv.createIssue({ title: 'Token leak', type: 'security', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, 'eng1')).number;
	await patch(I.story, { milestone: M.id });
	await patch(I.epic, { area: AREA.id });
	assertStatus(await as('pm1').post(`/api/v1/initiatives/${INIT.id}/epics`, { number: I.epic }), 200);
	await patch(I.task, { state: 'closed' });
	/* demand: the feature asked by Acme (critical), the story by Globex (nice) */
	await ask(I.feat, ACME, 'critical');
	await ask(I.story, GLOBEX, 'nice');
	/* RICE: feature reach 1 x1 x80% / 5 = 0.16; story 1 x1 x80% / 8 = 0.1 */
});

async function list(q, login = 'admin') {
	return (await srv.listAll(q, login)).items.map((i) => i.number);
}

const all = () => Object.values(I).sort((a, b) => a - b);
const only = (...names) => names.map((n) => I[n]).sort((a, b) => a - b);
const but = (...names) => all().filter((n) => !names.some((x) => I[x] === n));

test('assignee:, no:assignee, assignee:@me, reporter:', async () => {
	assert.deepEqual(await list('assignee:eng1'), only('bug'));
	assert.deepEqual(await list('assignee:eng1,eng2'), only('bug', 'feat'));
	assert.deepEqual(await list('no:assignee'), only('story', 'epic', 'task', 'sec'));
	assert.deepEqual(await list('-assignee:eng1'), but('bug'), 'negation keeps the unassigned');
	assert.deepEqual(await list('assignee:@me', 'eng2'), only('feat'));
	assert.deepEqual(await list('assignee:@me'), [], 'admin has nothing assigned');
	assert.deepEqual(await list('reporter:pm1'), only('feat'));
	assert.deepEqual(await list('reporter:@me', 'eng1'), only('sec'));
	assert.deepEqual(await list('assignee:nobody-at-all'), []);
});

test('milestone:TITLE, milestone:ID, no:milestone', async () => {
	assert.deepEqual(await list('milestone:2.31'), only('story'));
	assert.deepEqual(await list(`milestone:${M.id}`), only('story'));
	assert.deepEqual(await list('no:milestone'), but('story'));
	assert.deepEqual(await list('-milestone:2.31'), but('story'));
});

test('area:, initiative:, board:, dev:', async () => {
	assert.deepEqual(await list('area:Billing'), only('epic'));
	assert.deepEqual(await list('no:area'), but('epic'));
	assert.deepEqual(await list('initiative:"Mobile first"'), only('epic'));
	assert.deepEqual(await list(`initiative:${INIT.id}`), only('epic'));
	assert.deepEqual(await list('-initiative:"Mobile first"'), but('epic'));
	assert.deepEqual(await list('board:closed'), only('task'));
	assert.deepEqual(await list('-board:closed'), but('task'));
	assert.deepEqual(await list('board:closed,no_status'), all());
	assert.deepEqual(await list('dev:none'), all());
	assert.deepEqual(await list('-dev:none'), []);
});

test('size: comparisons and no:size', async () => {
	assert.deepEqual(await list('size:>=5'), only('feat', 'story'));
	assert.deepEqual(await list('size:>5'), only('story'));
	assert.deepEqual(await list('size:<5'), only('bug', 'epic', 'task', 'sec'));
	assert.deepEqual(await list('size:2'), only('task'));
	assert.deepEqual(await list('no:size'), only('bug', 'epic', 'sec'));
});

test('created:, updated: against the server clock', async () => {
	/* CAIRN_NOW is 2026-12-07T12:00:00Z: everything was made "today" */
	assert.deepEqual(await list('created:2026-12-07'), all());
	assert.deepEqual(await list('created:>2026-12-07'), []);
	assert.deepEqual(await list('created:>=2026-12-07'), all());
	assert.deepEqual(await list('created:<2026-12-07'), []);
	assert.deepEqual(await list('created:<=2026-12-07'), all());
	assert.deepEqual(await list('created:>2026-12-07T11:59Z'), all());
	assert.deepEqual(await list('updated:<7d'), all(), 'updated less than 7 days ago');
	assert.deepEqual(await list('updated:>7d'), [], 'none is older than 7 days');
	assert.deepEqual(await list('updated:<=now'), all());
});

test('fix_by: only security issues, only for those who may see them', async () => {
	/* fix_by = reported day + the SLA days (critical): in the future */
	assert.deepEqual(await list('fix_by:<now'), [], 'nothing is overdue yet');
	assert.deepEqual(await list('fix_by:>now'), only('sec'));
	assert.deepEqual(await list('fix_by:>now', 'eng1'), only('sec'), 'the reporter sees theirs');
	assert.deepEqual(await list('fix_by:>now', 'eng2'), [], 'another engineer never does');
	assert.deepEqual(await list('fix_by:>now', 'viewer1'), []);
	const r = await as('eng2').get('/api/v1/issues', { query: { q: 'fix_by:>now' } });
	assert.equal(r.json.total, 0, 'not even in the count');
});

test('customer: and tier: through the insights', async () => {
	assert.deepEqual(await list('customer:"Acme Corp"'), only('feat'));
	assert.deepEqual(await list('customer:"Acme Corp",Globex'), only('feat', 'story'));
	assert.deepEqual(await list('-customer:"Acme Corp"'), but('feat'));
	assert.deepEqual(await list('no:customer'), but('feat', 'story'));
	assert.deepEqual(await list('tier:premium'), only('feat'));
	assert.deepEqual(await list('tier:STARTER'), only('story'));
	assert.deepEqual(await list('customer:Nobody'), []);
});

test('label: OR, negation, no:label; the old forms still work', async () => {
	assert.deepEqual(await list('label:x'), only('bug', 'story'));
	assert.deepEqual(await list('label:x label:y'), only('story'), 'two labels: both');
	assert.deepEqual(await list('label:x,y'), only('bug', 'feat', 'story'), 'a list: either');
	assert.deepEqual(await list('-label:x'), but('bug', 'story'));
	assert.deepEqual(await list('no:label'), only('epic', 'task', 'sec'));
	assert.deepEqual(await list('type:bug,feature'), only('bug', 'feat'));
	assert.deepEqual(await list('-type:bug -type:security'), but('bug', 'sec'));
	assert.deepEqual(await list('-is:open'), only('task'));
	assert.deepEqual(await list('is:open type:bug crash'), only('bug'));
});

test('sort: rice, demand, size, created, updated with -asc / -desc', async () => {
	const order = async (q) => (await as('admin').get('/api/v1/issues', { query: { q, per_page: '100' } })).json.items.map((i) => i.number);
	const rice = await order('sort:rice-desc');
	assert.deepEqual(rice.slice(0, 2), [I.feat, I.story], 'scored first, best first');
	assert.deepEqual((await order('sort:rice-asc')).slice(0, 2), [I.task, I.story], 'ascending: lowest score first, unscored still last');
	const demand = await order('sort:demand-desc');
	assert.deepEqual(demand.slice(0, 2), [I.feat, I.story]);
	assert.deepEqual(await order('sort:demand'), demand, 'demand alone means highest first');
	assert.deepEqual(await order('is:open sort:size-desc'), [I.story, I.feat, I.sec, I.epic, I.bug]);
	assert.deepEqual(await order('sort:updated-asc'), await order('sort:updated'));
	assert.deepEqual(await order('sort:created-desc'), all().reverse(), 'same time: ties newest first');
});

test('parse errors: 422 on q with the position and what was expected', async () => {
	const cases = [
		['is:open size:big', 14, 'a number of points'],
		['label:a,,b', 9, "after ','"],
		['created:yesterday', 9, 'a date'],
		['updated:7d', 9, 'an age needs < or >'],
		['is:open watcher:me', 9, "unknown filter 'watcher:'"],
		['-sort:rice', 2, 'cannot be negated'],
		['customer:"Acme', 10, "closing '\"'"],
		['sort:rice-up', 6, 'sort: expected'],
	];
	for (const [q, position, want] of cases) {
		const r = await as('eng1').get('/api/v1/issues', { query: { q } });
		assertError(r, 422, 'invalid_field', 'q');
		assert.equal(r.json.error.position, position, `${q}: ${show(r)}`);
		assert.ok(r.json.error.message.startsWith(`at ${position}: `), show(r));
		assert.ok(r.json.error.message.includes(want), `${q}: ${show(r)}`);
	}
});

test('odd v2 queries never cause a server error', async () => {
	const odd = ['assignee:\'; DROP TABLE issues; --', 'customer:"%"', 'label:_', 'milestone:0', 'area:99999999999999999999',
		'size:>=1000', 'created:>9999-12-31', 'updated:<999999w', 'sort:demand -label:a,b,c,d,e,f,g,h',
		Array.from({ length: 16 }, (_, k) => `-label:l${k},m${k},n${k},o${k},p${k},q${k},r${k},s${k}`).join(' ').slice(0, 1024)];
	for (const q of odd) {
		const r = await as('eng1').get('/api/v1/issues', { query: { q } });
		assert.ok(r.status === 200 || r.status === 422, `${q}: ${show(r)}`);
	}
	assert.equal((await srv.listAll()).items.length, all().length, 'the issues are all still there');
	srv.assertAlive();
});
