/*
 * Planning edge cases found in review: hidden children never explain a
 * refusal, the done/closed columns place cards the way they are shown,
 * new issues enter the development board at its start, reopening clears a
 * won't-do, and every way into Todo meets its limit.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, assertStatus, startServer, uniq } from './harness.mjs';

const srv = await startServer();
after(() => srv.stop());

const make = (fields = {}, login = 'admin') => srv.createIssue({ title: uniq('edge '), ...fields }, login);

async function patch(n, fields, login = 'admin') {
	const cur = await srv.as(login).get(`/api/v1/issues/${n}`);
	assertStatus(cur, 200);
	return srv.as(login).patch(`/api/v1/issues/${n}`, fields, { headers: { 'If-Match': cur.headers.get('etag') } });
}

const doneOrder = async () => {
	const col = await srv.as('admin').get('/api/v1/boards/dev/done', { query: { limit: '200' } });
	assertStatus(col, 200);
	return col.json.items.map((i) => i.number);
};

test('a type change is judged on the children the actor can see: a hidden security child neither blocks nor shows', async () => {
	const story = await make({ type: 'story' }, 'eng1');
	const sec = await make({ type: 'security', parent: story.number }, 'eng2'); // eng1 cannot see it
	assert.equal((await srv.as('eng1').get(`/api/v1/issues/${sec.number}`)).status, 404);
	const r = await patch(story.number, { type: 'task' }, 'eng1');
	assertStatus(r, 200);
	assert.doesNotMatch(r.text, /security/);
	// a visible child still protects the structure, with a message naming it
	const s2 = await make({ type: 'story' });
	await make({ type: 'task', parent: s2.number });
	const refused = await patch(s2.number, { type: 'task' });
	assertError(refused, 422, 'invalid_field', 'type');
	assert.match(refused.json.error.message, /has a task under it/);
});

test('done lists the most recent first, and "after" and top place cards the way the column reads', async () => {
	const items = [];
	for (let k = 0; k < 3; k++) {
		const i = await make({ type: 'task', dev_status: 'up_next' });
		assertStatus(await patch(i.number, { dev_status: 'done' }), 200);
		items.push(i.number);
	}
	const [a, b, c] = items;
	let order = (await doneOrder()).filter((n) => items.includes(n));
	assert.deepEqual(order, [c, b, a], 'the latest done first');
	assertStatus(await patch(c, { dev_status: 'done', after: a }), 200);
	order = (await doneOrder()).filter((n) => items.includes(n));
	assert.deepEqual(order, [b, a, c], 'after a: right below it');
	assertStatus(await patch(a, { dev_status: 'done', after: 0 }), 200);
	order = (await doneOrder()).filter((n) => items.includes(n));
	assert.equal(order[0], a, 'after 0: on top');
});

test('new issues enter the development board in todo or up_next only', async () => {
	for (const dev of ['in_progress', 'review', 'done']) {
		const r = await srv.as('eng1').post('/api/v1/issues', { title: uniq('skip '), dev_status: dev });
		assertError(r, 422, 'invalid_field', 'dev_status');
	}
	const ok = await srv.as('eng1').post('/api/v1/issues', { title: uniq('enter '), dev_status: 'up_next' });
	assertStatus(ok, 201);
	assert.equal(ok.json.board, 'no_status', 'still waits for triage');
	assert.equal(ok.json.started_at, null);
});

test('reopening a won\'t-do clears its close reason, and it counts in roll-ups again', async () => {
	const epic = await make({ type: 'epic' });
	const story = await make({ type: 'story', parent: epic.number, pm_size: 'M' });
	const t = await srv.as('pm1').post(`/api/v1/issues/${story.number}/triage`, { route: 'wont_do', reason: 'not now' });
	assertStatus(t, 200);
	assert.equal((await srv.as('admin').get(`/api/v1/issues/${epic.number}`)).json.rollup_size, 0);
	const r = await patch(story.number, { state: 'open' });
	assertStatus(r, 200);
	assert.equal(r.json.close_reason, null);
	assert.equal((await srv.as('admin').get(`/api/v1/issues/${epic.number}`)).json.rollup_size, 3);
	const h = (await srv.as('admin').get(`/api/v1/issues/${story.number}/history`)).json.items;
	assert.ok(h.some((x) => x.field === 'close_reason' && x.old === "won't do: not now" && x.new === null), JSON.stringify(h));
});

test('every way into Todo meets the limit: a security issue turned into a story there is checked', async () => {
	const load = (await srv.as('admin').get('/api/v1/boards/dev')).json.columns[0].load;
	assertStatus(await srv.as('pm1').patch('/api/v1/settings', { todo_limit: load + 5 }), 200);
	try {
		const sec = await make({ type: 'security', size: 'XL', dev_status: 'todo' }, 'eng1'); // outside the limit
		const r = await patch(sec.number, { type: 'story' }, 'eng1');
		assertError(r, 409, 'conflict', 'dev_status');
		assert.match(r.json.error.message, new RegExp(`Todo holds ${load} of ${load + 5} points`));
		assert.equal((await srv.as('eng1').get(`/api/v1/issues/${sec.number}`)).json.type, 'security', 'nothing changed');
	} finally {
		assertStatus(await srv.as('pm1').patch('/api/v1/settings', { todo_limit: 5000 }), 200);
	}
});

test('a slip reason given on its own is history: the version moves and the reason is recorded', async () => {
	const m = await srv.as('pm1').post('/api/v1/milestones', { title: uniq('slip '), start: '2027-03-01', due: '2027-03-25', capacity: 10 });
	assertStatus(m, 201);
	const i = await make({ type: 'task', size: 'S' });
	const a = await patch(i.number, { milestone: m.json.id }, 'pm1');
	assertStatus(a, 200);
	const b = await patch(i.number, { slip_reason: 'waiting on the vendor' }, 'pm1');
	assertStatus(b, 200);
	assert.equal(b.json.version, a.json.version + 1);
	const h = (await srv.as('admin').get(`/api/v1/issues/${i.number}/history`)).json.items;
	assert.ok(h.some((x) => x.field === 'slip_reason' && x.new === 'waiting on the vendor'), JSON.stringify(h));
});
