/*
 * planning.test.mjs — issue #4 (docs/API.md "Planning (issue #4)"), over
 * real HTTP: the Todo points limit (409 with the numbers, forcing by PM/CTO
 * only, recorded in the history, the todo_limit setting), moves on the
 * development board (started_at, expected_at in working days, done_at,
 * closing and reopening), ordering with "after", both boards (columns,
 * counts, points, paging, milestone filter, privacy), the hierarchy
 * (parent rules, trees, roll-ups, double booking, /plan/check), pillars and
 * areas, who may change what, and validation that changes nothing.
 * Milestones, burn-up, forecast and the ship/slip report are in
 * planning_milestones.test.mjs.
 *
 * Tests run in order and share one server: the first test starts from an
 * empty Todo; later tests raise the limit so that their own moves fit.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, nowMs, todayYmd, weekday } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const DEV_COLS = [
	['todo', 'Todo'], ['up_next', 'Up Next'], ['in_design', 'In Design'], ['in_progress', 'In Progress'],
	['review', 'Review'], ['verify', 'Verify'], ['done', 'Done'],
];
const PRODUCT_COLS = [
	['no_status', 'No Status'], ['under_review', 'Support & Under Review'], ['next', 'Next'], ['short', 'Short'],
	['medium', 'Medium'], ['long', 'Long'], ['icebox', 'Icebox'], ['started', 'Started'], ['closed', 'Closed'],
];

/* ---------- helpers ---------- */

const as = (login) => srv.as(login);

async function get(n, login = 'admin') {
	const r = await as(login).get(`/api/v1/issues/${n}`);
	assertStatus(r, 200);
	return r.json;
}

async function history(n) {
	const r = await as('admin').get(`/api/v1/issues/${n}/history`);
	assertStatus(r, 200);
	return r.json.items;
}

/* PATCH with the current ETag as `login`; the response. */
const move = (n, fields, login = 'admin') => srv.patchIssue(n, fields, login);

/* PATCH expecting 200; the issue. */
async function patch(n, fields, login = 'admin') {
	const r = await move(n, fields, login);
	assertStatus(r, 200);
	return r.json;
}

/* A new issue; one further along the development board than todo/up_next
 * (where new issues may enter) is created in up_next and moved on. */
async function make(fields = {}, login = 'admin') {
	const { dev_status: dev, ...rest } = fields;
	const direct = dev === undefined || dev === null || dev === 'todo' || dev === 'up_next';
	const i = await srv.createIssue({ title: uniq('plan '), ...rest, ...(direct ? { dev_status: dev } : { dev_status: 'up_next' }) }, login);
	if (direct)
		return i;
	const r = await srv.as(login).patch(`/api/v1/issues/${i.number}`, { dev_status: dev }, { headers: { 'If-Match': `"${i.version}"` } });
	if (r.status !== 200)
		throw new Error(`move #${i.number} to ${dev}: ${r.status} ${r.text}`);
	return r.json;
}

async function board(kind, login = 'admin', query) {
	const r = await as(login).get(`/api/v1/boards/${kind}`, query ? { query } : {});
	assertStatus(r, 200);
	return r.json;
}

const col = (b, key) => {
	const c = b.columns.find((x) => x.key === key);
	assert.ok(c, `column ${key} in ${JSON.stringify(b.columns.map((x) => x.key))}`);
	return c;
};

/* Every item of one column, in board order, through the column endpoint. */
async function column(kind, key, login = 'admin', extra = {}) {
	const items = [];
	let count = null;
	for (let offset = 0; offset < 100000; offset += 200) {
		const r = await as(login).get(`/api/v1/boards/${kind}/${key}`, { query: { offset: String(offset), limit: '200', ...extra } });
		assertStatus(r, 200);
		count = r.json.count;
		items.push(...r.json.items);
		if (r.json.items.length < 200)
			break;
	}
	return { count, items, numbers: items.map((i) => i.number) };
}

/* `n` working days (Mon–Fri) after `ymd`, UTC. */
function addWorkingDays(ymd, n) {
	let d = ymd;
	while (n > 0) {
		d = addDays(d, 1);
		const wd = weekday(d);
		if (wd !== 0 && wd !== 6)
			n--;
	}
	return d;
}

/* What a refused planning request could have touched: the harness snapshot
 * (issue list, touched issues with their history) plus both boards (every
 * column fully), the settings, milestones and pillars. */
async function state(touched = []) {
	const snap = await srv.snapshot(touched);
	const boards = {};
	for (const [kind, cols] of [['dev', DEV_COLS], ['product', PRODUCT_COLS]]) {
		const b = await board(kind);
		boards[kind] = { todo_limit: b.todo_limit, columns: {} };
		for (const [key] of cols)
			boards[kind].columns[key] = await column(kind, key);
	}
	const settings = (await as('admin').get('/api/v1/settings')).json;
	const milestones = (await as('admin').get('/api/v1/milestones')).json;
	const pillars = (await as('admin').get('/api/v1/pillars')).json;
	return { snap, boards, settings, milestones, pillars };
}

async function assertNothingChanged(before, touched, why = 'a refused request must change nothing') {
	assert.deepStrictEqual(await state(touched), before, why);
}

/* The message of an error response mentions each number as a whole word. */
function assertMentions(res, numbers) {
	const msg = res.json?.error?.message ?? '';
	for (const n of numbers)
		assert.match(msg, new RegExp(`(^|\\D)${n}(\\D|$)`), `message must mention ${n}: ${show(res)}`);
}

/* A 422 whose field names `field` (dod may be reported as dod or dod.KEY). */
function assertInvalid(res, fieldRe) {
	assert.equal(res.status, 422, `expected 422: ${show(res)}`);
	assert.equal(res.json?.error?.code, 'invalid_field', `code: ${show(res)}`);
	assert.match(res.json?.error?.field ?? '', fieldRe, `field: ${show(res)}`);
	assert.ok((res.json?.error?.message ?? '').length > 0, `message: ${show(res)}`);
}

/* ---------- the Todo limit (the issue's acceptance) ---------- */

test('Todo limit: a 13-point item into a Todo holding 30 of 40 is refused with the numbers (409), nothing changes', async () => {
	const b0 = await board('dev');
	assert.equal(b0.todo_limit, 40, 'default limit');
	assert.equal(col(b0, 'todo').limit, 40);
	assert.equal(col(b0, 'todo').points, 0, 'this test starts from an empty Todo');
	const s = await as('admin').get('/api/v1/settings');
	assertStatus(s, 200);
	assert.equal(s.json.todo_limit, 40, 'GET /settings shows the limit');

	const fill = [];
	for (const size of [5, 5, 8, 8, 'M', 'XS']) // 5 + 5 + 8 + 8 + 3 + 1 = 30
		fill.push(await make({ size, dev_status: 'todo' }));
	for (const f of fill)
		assert.equal(f.dev_status, 'todo');
	const b1 = await board('dev');
	assert.equal(col(b1, 'todo').points, 30);
	assert.equal(col(b1, 'todo').count, 6);

	const big = await make({ size: 'XXL', dev_status: 'up_next' });
	assert.equal(big.effective_size, 13);
	const touched = [big.number, ...fill.map((f) => f.number)];
	const before = await state(touched);

	for (const login of ['pm1', 'eng1', 'em1', 'cto1', 'admin']) {
		const r = await move(big.number, { dev_status: 'todo' }, login);
		assertError(r, 409, 'conflict', 'dev_status');
		assertMentions(r, [30, 13, 40]);
		assert.ok(r.json.error.message.includes(`#${big.number}`), `the message names the item: ${show(r)}`);
		await assertNothingChanged(before, touched, `refused move by ${login} changes nothing`);
	}
	const g = await get(big.number);
	assert.equal(g.dev_status, 'up_next');
	assert.equal(g.version, big.version);

	// force: false is the same as no force.
	assertError(await move(big.number, { dev_status: 'todo', force: false }, 'pm1'), 409, 'conflict', 'dev_status');
	await assertNothingChanged(before, touched);
});

test('Todo limit: creating a 13-point item straight into a full Todo is refused the same way', async () => {
	const before = await state();
	const r = await as('admin').post('/api/v1/issues', { title: uniq('too big '), size: 13, dev_status: 'todo' });
	assertError(r, 409, 'conflict', 'dev_status');
	assertMentions(r, [30, 13, 40]);
	await assertNothingChanged(before, []);
});

test('Todo limit: only PM, CTO and admin may force; the forced move is in the history', async () => {
	const b = await board('dev');
	const big = col(b, 'up_next').items.find((i) => i.effective_size === 13);
	assert.ok(big, 'the 13-point item from the first test');
	const n = big.number;
	const before = await state([n]);
	for (const login of ['eng1', 'em1', 'viewer1']) {
		const r = await move(n, { dev_status: 'todo', force: true }, login);
		assertError(r, 403, 'forbidden');
		await assertNothingChanged(before, [n], `force by ${login} refused, nothing changed`);
	}
	const h0 = (await history(n)).length;
	const r = await move(n, { dev_status: 'todo', force: true }, 'pm1');
	assertStatus(r, 200);
	assert.equal(r.json.dev_status, 'todo');
	assert.ok(r.json.version > big.version, 'version bumped');
	assert.equal((await get(n)).dev_status, 'todo');
	const hist = await history(n);
	const fresh = hist.slice(h0);
	const forced = fresh.find((e) => e.field === 'forced');
	assert.ok(forced, `history records the force: ${JSON.stringify(fresh)}`);
	assert.equal(forced.actor, 'pm1');
	assert.match(forced.at, ISO_RE);
	const ds = fresh.find((e) => e.field === 'dev_status');
	assert.deepEqual([ds?.actor, ds?.old, ds?.new], ['pm1', 'up_next', 'todo'], `dev_status row: ${JSON.stringify(fresh)}`);
	const b2 = await board('dev');
	assert.equal(col(b2, 'todo').points, 43);
	assert.equal(col(b2, 'todo').count, 7);
	assert.ok(col(b2, 'todo').items.some((i) => i.number === n), 'on the Todo column');

	// The CTO and the admin may force too; each force is recorded with its actor.
	for (const login of ['cto1', 'admin']) {
		const x = await make({ size: 8 });
		// the limit's load: every open Todo item but security issues (the column's
	// `points` also shows the private ones to a PM)
	const load = col(await board('dev'), 'todo').load;
		const bx = await state([x.number]);
		const refused = await move(x.number, { dev_status: 'todo' }, login);
		assertError(refused, 409, 'conflict', 'dev_status');
		assertMentions(refused, [load, 8, 40]);
		await assertNothingChanged(bx, [x.number]);
		const ok = await move(x.number, { dev_status: 'todo', force: true }, login);
		assertStatus(ok, 200);
		assert.equal(ok.json.dev_status, 'todo');
		const f = (await history(x.number)).filter((e) => e.field === 'forced');
		assert.equal(f.length, 1, `one forced row: ${JSON.stringify(f)}`);
		assert.equal(f[0].actor, login);
	}
	// Over the limit, even an unsized item does not fit (load + 0 > limit): refused, and engineers cannot force it.
	const small = await make({});
	const bs = await state([small.number]);
	assertError(await move(small.number, { dev_status: 'todo' }, 'eng1'), 409, 'conflict', 'dev_status');
	assertError(await move(small.number, { dev_status: 'todo', force: true }, 'eng1'), 403, 'forbidden');
	await assertNothingChanged(bs, [small.number]);
});

test('todo_limit setting: admin and pm change it, others 403, bad values 422; boards and moves follow it', async () => {
	const before = await state();
	for (const login of ['eng1', 'em1', 'viewer1', 'cto1']) {
		assertError(await as(login).patch('/api/v1/settings', { todo_limit: 50 }), 403, 'forbidden');
		await assertNothingChanged(before, [], `settings by ${login}`);
	}
	for (const bad of [0, -1, 10001, 'abc', 2.5, null, true]) {
		const r = await as('pm1').patch('/api/v1/settings', { todo_limit: bad });
		assertError(r, 422, 'invalid_field', 'todo_limit');
		await assertNothingChanged(before, [], `todo_limit ${JSON.stringify(bad)}`);
	}
	const r = await as('pm1').patch('/api/v1/settings', { todo_limit: 50 });
	assertStatus(r, 200);
	assert.equal(r.json.todo_limit, 50);
	assert.equal((await as('eng1').get('/api/v1/settings')).json.todo_limit, 50, 'everyone sees the setting');
	const b = await board('dev', 'eng1');
	assert.equal(b.todo_limit, 50);
	assert.equal(b.columns[0].key, 'todo');
	assert.equal(b.columns[0].limit, 50);
	for (const c of b.columns.slice(1))
		assert.ok(c.limit === undefined || c.limit === null, `only Todo has a limit: ${JSON.stringify({ ...c, items: undefined })}`);

	// The limit in force is the setting: raise it so a 13-pointer fits, lower it and the refusal names it.
	assertStatus(await as('admin').patch('/api/v1/settings', { todo_limit: 100 }), 200);
	// the limit's load: every open Todo item but security issues (the column's
	// `points` also shows the private ones to a PM)
	const load = col(await board('dev'), 'todo').load;
	const x = await make({ size: 13 });
	assertStatus(await move(x.number, { dev_status: 'todo' }, 'eng1'), 200);
	assertStatus(await as('pm1').patch('/api/v1/settings', { todo_limit: load + 14 }), 200);
	const y = await make({ size: 2 });
	const bx = await state([y.number]);
	const refused = await move(y.number, { dev_status: 'todo' }, 'eng1');
	assertError(refused, 409, 'conflict', 'dev_status');
	assertMentions(refused, [load + 13, 2, load + 14]);
	await assertNothingChanged(bx, [y.number]);
	// Setting todo_limit leaves the SLA days alone.
	const s = (await as('admin').get('/api/v1/settings')).json;
	assert.deepEqual(s.sla_days, { critical: 7, high: 30, medium: 90, low: 180 });
	// Enough room for the rest of this file.
	assertStatus(await as('pm1').patch('/api/v1/settings', { todo_limit: 5000 }), 200);
	// A move that fits needs no force; force: true on it is harmless, allowed to anyone, and not recorded.
	const fits = await move(y.number, { dev_status: 'todo', force: true }, 'eng1');
	assertStatus(fits, 200);
	assert.equal(fits.json.dev_status, 'todo');
	assert.ok(!(await history(y.number)).some((e) => e.field === 'forced'), 'no forced row when the move fits');
});

/* ---------- moves ---------- */

test('up_next -> in_progress sets started_at, expected_at (working days) and board started; done closes; leaving done reopens', async () => {
	const today = todayYmd();
	const i = await make({ size: 'L', dev_status: 'up_next' });
	assert.equal(i.started_at, null);
	assert.equal(i.expected_at, null);
	assert.equal(i.done_at, null);
	assert.equal(i.board, 'no_status');
	const t0 = nowMs();
	const p = await patch(i.number, { dev_status: 'in_progress' }, 'eng1');
	assert.equal(p.dev_status, 'in_progress');
	assert.match(p.started_at ?? '', ISO_RE);
	assert.ok(Math.abs(Date.parse(p.started_at) - t0) < 5000, `started_at ${p.started_at} is now`);
	assert.equal(p.expected_at, addWorkingDays(today, 5), 'L = 5 working days after today');
	assert.equal(p.board, 'started');
	assert.equal(p.state, 'open');
	assert.equal(p.done_at, null);
	const hp = await history(i.number);
	assert.ok(hp.some((e) => e.field === 'dev_status' && e.old === 'up_next' && e.new === 'in_progress' && e.actor === 'eng1'), JSON.stringify(hp));
	assert.ok(hp.some((e) => e.field === 'board' && e.new === 'started'), `board change in history: ${JSON.stringify(hp)}`);
	assert.ok((await column('product', 'started')).numbers.includes(i.number), 'on the product board Started column');
	assert.ok((await column('dev', 'in_progress')).numbers.includes(i.number));

	const d = await patch(i.number, { dev_status: 'done' }, 'eng1');
	assert.equal(d.dev_status, 'done');
	assert.match(d.done_at ?? '', ISO_RE);
	assert.equal(d.state, 'closed');
	assert.match(d.closed_at ?? '', ISO_RE);
	assert.equal(d.board, 'closed');
	assert.equal(d.started_at, p.started_at, 'started_at kept');
	assert.equal(d.expected_at, p.expected_at, 'expected_at kept');
	assert.equal((await column('dev', 'done')).numbers[0], i.number, 'done column: most recently closed first');
	assert.equal((await column('product', 'closed')).numbers[0], i.number, 'closed column: most recently closed first');
	assert.ok(!(await column('product', 'started')).numbers.includes(i.number));
	const hd = await history(i.number);
	assert.ok(hd.some((e) => e.field === 'state' && e.new === 'closed'), `closing in history: ${JSON.stringify(hd)}`);

	const back = await patch(i.number, { dev_status: 'review' }, 'eng1');
	assert.equal(back.dev_status, 'review');
	assert.equal(back.done_at, null, 'leaving done clears done_at');
	assert.equal(back.state, 'open', 'and reopens');
	assert.equal(back.closed_at, null);
	assert.equal(back.board, 'started');
	assert.equal(back.started_at, p.started_at);
	const again = await patch(i.number, { dev_status: 'in_progress' }, 'eng1');
	assert.equal(again.started_at, p.started_at, 'started_at is set once');
	assert.equal(again.expected_at, p.expected_at);
	const g = await get(i.number);
	assert.deepEqual([g.dev_status, g.state, g.board, g.done_at], ['in_progress', 'open', 'started', null]);
});

test('expected_at from the size in working days (XS 1, S 1, M 3, L 5, XL 10, XXL 15); a set one is kept; unsized stays null', async () => {
	const today = todayYmd();
	for (const [size, days] of [['XS', 1], ['S', 1], ['M', 3], ['L', 5], ['XL', 10], ['XXL', 15], [2, 1], [8, 10]]) {
		const i = await make({ size, dev_status: 'up_next' });
		const p = await patch(i.number, { dev_status: 'in_progress' }, 'em1');
		assert.equal(p.expected_at, addWorkingDays(today, days), `size ${size}: ${days} working days`);
		const wd = new Date(`${p.expected_at}T00:00:00Z`).getUTCDay();
		assert.ok(wd >= 1 && wd <= 5, `expected_at ${p.expected_at} is a working day`);
	}
	// pm_size counts when there is no size (effective size).
	const pmOnly = await make({ pm_size: 'XL', dev_status: 'todo' });
	assert.equal((await patch(pmOnly.number, { dev_status: 'in_progress' }, 'eng1')).expected_at, addWorkingDays(today, 10));
	const set = await make({ size: 'XXL', expected_at: '2027-03-01' });
	assert.equal(set.expected_at, '2027-03-01');
	assert.equal((await patch(set.number, { dev_status: 'in_progress' }, 'eng1')).expected_at, '2027-03-01', 'a set date is kept');
	const unsized = await make({});
	const u = await patch(unsized.number, { dev_status: 'in_progress' }, 'eng1');
	assert.match(u.started_at ?? '', ISO_RE);
	assert.equal(u.expected_at, null, 'no size, no derived date');
	// Moving straight from nowhere into done still records done_at and closes.
	const direct = await make({ size: 3 });
	const dd = await patch(direct.number, { dev_status: 'done' }, 'eng1');
	assert.match(dd.done_at ?? '', ISO_RE);
	assert.equal(dd.state, 'closed');
	// expected_at may be set and cleared by em, pm, cto, admin.
	assert.equal((await patch(direct.number, { expected_at: '2027-01-04' }, 'em1')).expected_at, '2027-01-04');
	assert.equal((await patch(direct.number, { expected_at: null }, 'cto1')).expected_at, null);
});

test('ordering within a development column: after N, after 0 (top), no after (bottom), reordering in place', async () => {
	const order = async () => (await column('dev', 'verify')).numbers;
	const boardOrder = async () => col(await board('dev'), 'verify').items.map((i) => i.number);
	const base = (await order()).length;
	assert.equal(base, 0, 'verify is empty before this test');
	const [a, b, c] = [await make({ dev_status: 'verify' }), await make({ dev_status: 'verify' }), await make({ dev_status: 'verify' })];
	assert.deepEqual(await order(), [a.number, b.number, c.number], 'new items go to the bottom');
	const d = await make({});
	await patch(d.number, { dev_status: 'verify', after: a.number }, 'eng1');
	assert.deepEqual(await order(), [a.number, d.number, b.number, c.number], 'right after a');
	await patch(c.number, { dev_status: 'verify', after: 0 }, 'eng1');
	assert.deepEqual(await order(), [c.number, a.number, d.number, b.number], 'after 0 = top');
	await patch(a.number, { dev_status: 'verify', after: b.number }, 'eng2');
	assert.deepEqual(await order(), [c.number, d.number, b.number, a.number], 'reordered within the column');
	await patch(b.number, { dev_status: 'verify', after: c.number }, 'eng2');
	assert.deepEqual(await order(), [c.number, b.number, d.number, a.number]);
	await patch(c.number, { dev_status: 'verify', after: 0 }, 'eng2');
	assert.deepEqual(await order(), [c.number, b.number, d.number, a.number], 'the top item to the top: no change');
	const e = await make({});
	await patch(e.number, { dev_status: 'verify' }, 'eng1');
	assert.deepEqual(await order(), [c.number, b.number, d.number, a.number, e.number], 'no after: bottom');
	assert.deepEqual(await boardOrder(), await order(), 'the board shows the same order');
	// Many inserts at the same spot keep a consistent order.
	const wedge = [];
	for (let k = 0; k < 12; k++) {
		const w = await make({});
		await patch(w.number, { dev_status: 'verify', after: c.number }, 'eng1');
		wedge.unshift(w.number);
	}
	assert.deepEqual(await order(), [c.number, ...wedge, b.number, d.number, a.number, e.number], 'repeated inserts after c');
	const positions = (await column('dev', 'verify')).items.map((i) => i.dev_position);
	assert.deepEqual(positions, [...positions].sort((x, y) => x - y), 'dev_position ascending in board order');
	assert.equal(new Set(positions).size, positions.length, 'dev_position unique in the column');

	// Refusals: after in another column, without a column, itself, unknown, not a number.
	const other = await make({ dev_status: 'review' });
	const touched = [d.number, other.number, a.number];
	const before = await state(touched);
	const cases = [
		[{ dev_status: 'verify', after: other.number }, 'after names an issue in another column'],
		[{ after: a.number }, 'after without dev_status/board'],
		[{ after: 0 }, 'after 0 without dev_status/board'],
		[{ title: 'x', after: a.number }, 'after with other fields but no column'],
		[{ dev_status: 'verify', after: d.number }, 'after itself'],
		[{ dev_status: 'verify', after: 999999 }, 'after an unknown issue'],
		[{ dev_status: 'verify', after: 'x' }, 'after not a number'],
		[{ dev_status: 'verify', after: -3 }, 'after negative'],
		[{ dev_status: null, after: a.number }, 'after with no development column'],
	];
	for (const [body, why] of cases) {
		const r = await move(d.number, body, 'eng1');
		assertError(r, 422, 'invalid_field', 'after');
		await assertNothingChanged(before, touched, why);
	}
});

test('ordering on the product board: board + after (admin, pm, cto); engineers may not move product cards', async () => {
	const order = async () => (await column('product', 'long')).numbers;
	assert.deepEqual(await order(), []);
	const x = await make({});
	const y = await make({});
	const z = await make({});
	for (const i of [x, y, z])
		await patch(i.number, { board: 'long' }, 'pm1');
	assert.deepEqual(await order(), [x.number, y.number, z.number]);
	await patch(z.number, { board: 'long', after: x.number }, 'cto1');
	assert.deepEqual(await order(), [x.number, z.number, y.number]);
	await patch(y.number, { board: 'long', after: 0 }, 'pm1');
	assert.deepEqual(await order(), [y.number, x.number, z.number]);
	const w = await make({});
	await patch(w.number, { board: 'long', after: y.number }, 'admin');
	assert.deepEqual(await order(), [y.number, w.number, x.number, z.number]);
	const elsewhere = await make({});
	await patch(elsewhere.number, { board: 'short' }, 'pm1');
	const before = await state([x.number, w.number]);
	for (const login of ['eng1', 'em1', 'viewer1']) {
		assertError(await move(x.number, { board: 'long', after: 0 }, login), 403, 'forbidden');
		assertError(await move(x.number, { board: 'next' }, login), 403, 'forbidden');
		await assertNothingChanged(before, [x.number, w.number], `product move by ${login}`);
	}
	assertError(await move(x.number, { board: 'long', after: elsewhere.number }, 'pm1'), 422, 'invalid_field', 'after');
	await assertNothingChanged(before, [x.number, w.number]);
});

/* ---------- boards ---------- */

test('product board: 9 columns in order with names; counts and points cover each whole column; new issues land in No Status', async () => {
	const before = await board('product');
	assert.equal(before.board, 'product');
	assert.deepEqual(before.columns.map((c) => [c.key, c.name]), PRODUCT_COLS);
	const i = await make({ pm_size: 'XL' });
	assert.equal(i.board, 'no_status');
	const b = await board('product');
	assert.equal(col(b, 'no_status').count, col(before, 'no_status').count + 1);
	assert.equal(col(b, 'no_status').points, col(before, 'no_status').points + 8);
	assert.ok((await column('product', 'no_status')).numbers.includes(i.number));

	const all = (await srv.listAll()).items;
	for (const c of b.columns) {
		const mine = all.filter((x) => x.board === c.key);
		assert.equal(c.count, mine.length, `${c.key} count`);
		assert.equal(c.points, mine.reduce((s, x) => s + (x.effective_size ?? 0), 0), `${c.key} points`);
		assert.ok(Array.isArray(c.items));
		assert.equal(c.items.length, Math.min(50, c.count), `${c.key}: first page of at most 50 (default limit)`);
		for (const it of c.items) {
			assert.equal(it.board, c.key);
			for (const f of ['number', 'title', 'type', 'priority', 'effective_size', 'size_letter', 'assignee', 'labels',
				'dev_status', 'board', 'milestone', 'started_at', 'expected_at', 'done_at', 'dod_done', 'rollup_size', 'position'])
				assert.ok(Object.hasOwn(it, f), `board item has ${f}: ${JSON.stringify(it)}`);
		}
	}
	const d = await board('dev');
	assert.equal(d.board, 'dev');
	assert.deepEqual(d.columns.map((c) => [c.key, c.name]), DEV_COLS);
	for (const c of d.columns) {
		const mine = all.filter((x) => x.dev_status === c.key);
		assert.equal(c.count, mine.length, `dev ${c.key} count`);
		assert.equal(c.points, mine.reduce((s, x) => s + (x.effective_size ?? 0), 0), `dev ${c.key} points`);
		for (const it of c.items)
			assert.equal(it.dev_status, c.key);
	}
	assert.ok(all.filter((x) => x.dev_status === null).every((x) => !d.columns.some((c) => c.items.some((it) => it.number === x.number))),
		'items without dev_status are not on the development board');
});

test('column paging: count is the total, pages do not overlap; limit and offset are validated; unknown columns 404', async () => {
	for (let k = 0; k < 7; k++)
		await make({ dev_status: 'todo' });
	const full = await column('dev', 'todo');
	assert.ok(full.count >= 7, `todo holds ${full.count}`);
	assert.equal(full.items.length, full.count);
	const paged = [];
	let pages = 0;
	for (let offset = 0; ; offset += 3) {
		const r = await as('admin').get('/api/v1/boards/dev/todo', { query: { offset: String(offset), limit: '3' } });
		assertStatus(r, 200);
		assert.equal(r.json.key, 'todo');
		assert.equal(r.json.name, 'Todo');
		assert.equal(r.json.count, full.count, 'count stays the total');
		assert.equal(r.json.points, col(await board('dev'), 'todo').points);
		assert.equal(r.json.offset, offset);
		assert.ok(r.json.items.length <= 3);
		paged.push(...r.json.items.map((i) => i.number));
		pages++;
		if (r.json.items.length < 3)
			break;
	}
	assert.equal(pages, Math.floor(full.count / 3) + 1);
	assert.deepEqual(paged, full.numbers, 'pages in board order, no duplicates, nothing missing');
	assert.equal(new Set(paged).size, paged.length);
	// The board's limit is the first page of each column.
	const b = await board('dev', 'admin', { limit: '4' });
	for (const c of b.columns)
		assert.equal(c.items.length, Math.min(4, c.count), `${c.key} with limit 4`);
	assert.deepEqual(col(b, 'todo').items.map((i) => i.number), full.numbers.slice(0, 4));
	const p200 = await as('admin').get('/api/v1/boards/product', { query: { limit: '200' } });
	assertStatus(p200, 200);
	const past = await as('admin').get('/api/v1/boards/dev/todo', { query: { offset: String(full.count + 10) } });
	assertStatus(past, 200);
	assert.deepEqual(past.json.items, []);
	assert.equal(past.json.count, full.count);

	for (const p of ['/api/v1/boards/dev/nope', '/api/v1/boards/product/todo', '/api/v1/boards/dev/no_status', '/api/v1/boards/kanban',
		'/api/v1/boards/kanban/todo'])
		assertError(await as('admin').get(p), 404, 'not_found');
	for (const p of ['/api/v1/boards/dev', '/api/v1/boards/product', '/api/v1/boards/dev/todo', '/api/v1/boards/product/next'])
		for (const limit of ['0', '1000', '201', '-1', 'x'])
			assertError(await as('admin').get(p, { query: { limit } }), 422, 'invalid_field', 'limit');
	for (const offset of ['-1', 'x'])
		assertError(await as('admin').get('/api/v1/boards/dev/todo', { query: { offset } }), 422, 'invalid_field', 'offset');
	assertError(await as('admin').get('/api/v1/boards/dev', { query: { milestone: 'x' } }), 422, 'invalid_field', 'milestone');
	assertError(await srv.api('GET', '/api/v1/boards/dev'), 401, 'unauthorized');
	// Boards are read-only.
	const w = await as('admin').post('/api/v1/boards/dev', {});
	assert.equal(w.status, 405, show(w));
});

test('development board milestone filter: columns, counts and points of that milestone only', async () => {
	const m = await as('pm1').post('/api/v1/milestones', { title: uniq('filter '), start: '2030-01-01', due: '2030-01-28', capacity: 20 });
	assertStatus(m, 201);
	const id = m.json.id;
	const a = await make({ size: 5, dev_status: 'todo' });
	const b = await make({ size: 3, dev_status: 'up_next' });
	const c = await make({ size: 8, dev_status: 'review' });
	await patch(a.number, { milestone: id }, 'pm1');
	await patch(b.number, { milestone: id }, 'pm1');
	const f = await board('dev', 'eng1', { milestone: String(id) });
	assert.deepEqual(f.columns.map((x) => x.key), DEV_COLS.map((x) => x[0]));
	assert.deepEqual(col(f, 'todo').items.map((i) => i.number), [a.number]);
	assert.equal(col(f, 'todo').count, 1);
	assert.equal(col(f, 'todo').points, 5);
	assert.deepEqual(col(f, 'up_next').items.map((i) => i.number), [b.number]);
	assert.equal(col(f, 'up_next').points, 3);
	for (const k of ['in_design', 'in_progress', 'review', 'verify', 'done'])
		assert.deepEqual([col(f, k).count, col(f, k).points, col(f, k).items.length], [0, 0, 0], `${k} is empty for the milestone`);
	assert.equal(col(f, 'todo').items[0].milestone, id);
	assert.equal(col(f, 'todo').items[0].version, (await get(a.number)).version, 'board items carry version for If-Match');
	const whole = col(await board('dev', 'eng1'), 'todo');
	assert.equal(col(f, 'todo').load, whole.points, 'Todo load counts the whole column, whatever the milestone filter');
	assert.equal(whole.load, whole.points);
	const paged = await as('eng1').get('/api/v1/boards/dev/up_next', { query: { milestone: String(id) } });
	assertStatus(paged, 200);
	assert.deepEqual(paged.json.items.map((i) => i.number), [b.number]);
	assert.equal(paged.json.count, 1);
	assert.ok((await column('dev', 'review')).numbers.includes(c.number), 'unfiltered board still has the rest');
	// Query language: milestone:ID and dev:STATUS.
	assert.deepEqual((await srv.listAll(`milestone:${id}`)).items.map((i) => i.number), [a.number, b.number]);
	const inReview = (await srv.listAll('dev:review')).items;
	assert.ok(inReview.some((i) => i.number === c.number));
	assert.ok(inReview.every((i) => i.dev_status === 'review'));
});

test('private security issues never show on an engineer\'s boards (items, counts, points) but do for pm1 and their reporter', async () => {
	const devPm0 = await board('dev', 'pm1');
	const devEng0 = await board('dev', 'eng1');
	const sec = await make({ type: 'security', size: 8, dev_status: 'todo' });
	const mine = await make({ type: 'security', size: 2, dev_status: 'in_design' }, 'eng2');
	const devPm = await board('dev', 'pm1');
	const devEng = await board('dev', 'eng1');
	const devRep = await board('dev', 'eng2');
	assert.equal(col(devPm, 'todo').count, col(devPm0, 'todo').count + 1);
	assert.equal(col(devPm, 'todo').points, col(devPm0, 'todo').points + 8);
	assert.equal(col(devEng, 'todo').count, col(devEng0, 'todo').count, 'engineer count unchanged');
	assert.equal(col(devEng, 'todo').points, col(devEng0, 'todo').points, 'engineer points unchanged');
	assert.equal(col(devEng, 'in_design').count, col(devEng0, 'in_design').count);
	assert.equal(col(devEng, 'in_design').points, col(devEng0, 'in_design').points);
	assert.equal(col(devEng, 'todo').count, col(devPm, 'todo').count - 1);
	assert.equal(col(devEng, 'todo').points, col(devPm, 'todo').points - 8);
	assert.ok((await column('dev', 'todo', 'pm1')).numbers.includes(sec.number), 'pm1 sees it');
	assert.ok((await column('dev', 'todo', 'cto1')).numbers.includes(sec.number), 'cto1 sees it');
	for (const login of ['eng1', 'em1', 'viewer1', 'eng2']) {
		const t = await column('dev', 'todo', login);
		assert.ok(!t.numbers.includes(sec.number), `${login} must not see #${sec.number}`);
		assert.equal(t.count, t.items.length, `${login}: count matches the visible items`);
	}
	assert.ok((await column('dev', 'in_design', 'eng2')).numbers.includes(mine.number), 'the reporter sees their own');
	assert.equal(col(devRep, 'in_design').points, col(devEng, 'in_design').points + 2);
	assert.ok(!(await column('dev', 'in_design', 'eng1')).numbers.includes(mine.number));
	const prodEng = await board('product', 'eng1');
	const prodPm = await board('product', 'pm1');
	assert.ok(!(await column('product', 'no_status', 'eng1')).numbers.includes(sec.number));
	assert.equal(col(prodEng, 'no_status').count, (await column('product', 'no_status', 'eng1')).items.length);
	assert.ok(col(prodPm, 'no_status').count >= col(prodEng, 'no_status').count + 2);
	// Nor in a tree or the check for them.
	assertError(await as('eng1').get(`/api/v1/issues/${sec.number}/tree`), 404, 'not_found');
	assertStatus(await as('pm1').get(`/api/v1/issues/${sec.number}/tree`), 200);
	// Nor can they be used as an "after" anchor to probe them.
	const probe = await make({});
	const before = await state([probe.number]);
	assertError(await move(probe.number, { dev_status: 'todo', after: sec.number }, 'eng1'), 422, 'invalid_field', 'after');
	await assertNothingChanged(before, [probe.number]);
});

/* ---------- hierarchy ---------- */

test('parents: epic > story > task; wrong parents are 422 parent and change nothing', async () => {
	const epic = await make({ type: 'epic' });
	const story = await make({ type: 'story', parent: epic.number });
	assert.equal(story.parent, epic.number);
	const task = await make({ type: 'task', parent: story.number });
	assert.equal(task.parent, story.number);
	const taskUnderEpic = await make({ type: 'task', parent: epic.number });
	assert.equal(taskUnderEpic.parent, epic.number);
	const bug = await make({ type: 'bug', parent: epic.number });
	assert.equal(bug.parent, epic.number);
	const feature = await make({ type: 'feature', parent: story.number });
	assert.equal(feature.parent, story.number);
	const loose = await make({ type: 'task' });
	assert.equal(loose.parent, null, 'a parent is optional');
	const epic2 = await make({ type: 'epic' });
	const story2 = await make({ type: 'story' });

	const touched = [epic.number, story.number, task.number, epic2.number, story2.number, loose.number];
	const before = await state(touched);
	const refusals = [
		[story2.number, { parent: task.number }, 'a story under a task'],
		[story2.number, { parent: story.number }, 'a story under a story'],
		[epic2.number, { parent: epic.number }, 'an epic under an epic'],
		[epic2.number, { parent: story.number }, 'an epic under a story'],
		[epic2.number, { parent: task.number }, 'an epic under a task'],
		[loose.number, { parent: task.number }, 'a task under a task'],
		[loose.number, { parent: bug.number }, 'a task under a bug'],
		[story.number, { parent: story.number }, 'its own parent'],
		[story2.number, { parent: 999999 }, 'an unknown parent'],
		[epic.number, { type: 'task' }, 'an epic with stories becoming a task'],
		[epic.number, { type: 'story' }, 'an epic with stories becoming a story'],
		[story.number, { type: 'epic' }, 'a story with a parent becoming an epic'],
		[story.number, { type: 'task', parent: task.number }, 'a cycle through a type change'],
	];
	for (const [n, body, why] of refusals) {
		const r = await move(n, body, 'pm1');
		assert.equal(r.status, 422, `${why}: ${show(r)}`);
		assert.equal(r.json?.error?.code, 'invalid_field', `${why}: ${show(r)}`);
		assert.ok(['parent', 'type'].includes(r.json?.error?.field), `${why}: field parent or type: ${show(r)}`);
		await assertNothingChanged(before, touched, why);
	}
	assertError(await move(epic.number, { type: 'task' }, 'pm1'), 422, 'invalid_field', 'type');
	await assertNothingChanged(before, touched);
	for (const [body, why] of [
		[{ type: 'story', parent: task.number }, 'create a story under a task'],
		[{ type: 'epic', parent: epic2.number }, 'create an epic under an epic'],
	]) {
		assertError(await as('admin').post('/api/v1/issues', { title: uniq('bad '), ...body }), 422, 'invalid_field', 'parent');
		await assertNothingChanged(before, touched, why);
	}
	// Allowed re-parenting and clearing.
	assert.equal((await patch(story2.number, { parent: epic2.number }, 'pm1')).parent, epic2.number);
	assert.equal((await patch(loose.number, { parent: story2.number }, 'eng1')).parent, story2.number);
	assert.equal((await patch(loose.number, { parent: null }, 'eng1')).parent, null);
	// An epic without children may become something else.
	const lonely = await make({ type: 'epic' });
	assert.equal((await patch(lonely.number, { type: 'feature' }, 'pm1')).type, 'feature');
});

test('tree and roll-up: epic = sum of its children, double booking on a sized story with sized tasks, /plan/check', async () => {
	const epic = await make({ type: 'epic', title: uniq('Epic ') });
	const s1 = await make({ type: 'story', size: 5, parent: epic.number });
	const t1 = await make({ type: 'task', size: 2, parent: s1.number });
	const t2 = await make({ type: 'task', size: 3, parent: s1.number });
	const s2 = await make({ type: 'story', parent: epic.number });
	const t3 = await make({ type: 'task', size: 3, parent: s2.number });
	const t4 = await make({ type: 'task', size: 1, parent: s2.number });
	const s3 = await make({ type: 'story', pm_size: 8, parent: epic.number });
	const bug = await make({ type: 'bug', size: 2, parent: epic.number });
	const r = await as('eng1').get(`/api/v1/issues/${epic.number}/tree`);
	assertStatus(r, 200);
	const tree = r.json;
	assert.equal(tree.pillar, null);
	assert.equal(tree.area, null);
	assert.deepEqual(tree.ancestors, []);
	const root = tree.root;
	assert.equal(root.number, epic.number);
	assert.equal(root.type, 'epic');
	assert.equal(root.title, epic.title);
	assert.deepEqual(root.children.map((c) => c.number), [s1.number, s2.number, s3.number, bug.number], 'children ordered by number');
	const [n1, n2, n3, nb] = root.children;
	assert.deepEqual(n1.children.map((c) => c.number), [t1.number, t2.number]);
	assert.deepEqual(n2.children.map((c) => c.number), [t3.number, t4.number]);
	assert.deepEqual(n3.children, []);
	assert.equal(n1.rollup_size, 5, 'a sized story counts its own size');
	assert.equal(n1.double_booked, true);
	assert.equal(n2.rollup_size, 4, 'an unsized story sums its tasks');
	assert.equal(n2.double_booked, false);
	assert.equal(n3.rollup_size, 8, 'pm_size is the effective size');
	assert.equal(nb.rollup_size, 2);
	assert.equal(root.rollup_size, 5 + 4 + 8 + 2, 'epic = sum of its children');
	assert.equal(root.double_booked, false);
	for (const f of ['number', 'type', 'title', 'state', 'dev_status', 'board', 'size', 'pm_size', 'effective_size',
		'rollup_size', 'double_booked', 'assignee', 'children'])
		assert.ok(Object.hasOwn(root, f), `node has ${f}`);
	assert.equal((await get(epic.number)).rollup_size, 19, 'the issue carries its roll-up');
	assert.equal((await get(s1.number)).double_booked, true);

	// The tree of a task shows its ancestors, root first.
	const tt = await as('eng1').get(`/api/v1/issues/${t3.number}/tree`);
	assertStatus(tt, 200);
	assert.deepEqual(tt.json.ancestors.map((a) => a.number), [epic.number, s2.number]);
	assert.equal(tt.json.root.number, t3.number);

	// /plan/check lists the double-booked story with its epic.
	const chk = await as('eng1').get('/api/v1/plan/check');
	assertStatus(chk, 200);
	const row = chk.json.items.find((i) => i.number === s1.number);
	assert.ok(row, `s1 in /plan/check: ${JSON.stringify(chk.json)}`);
	assert.equal(row.size, 5);
	assert.equal(row.children_points, 5);
	assert.deepEqual(row.children, [t1.number, t2.number]);
	assert.equal(row.epic, epic.number);
	assert.equal(row.type, 'story');
	assert.equal(row.title, s1.title);
	assert.equal(chk.json.total, chk.json.items.length, 'total: every double-booked item (fewer than 500 here)');
	assert.ok(!chk.json.items.some((i) => i.number === s2.number || i.number === epic.number));

	// An epic with its own size and sized children: the roll-up is still the children's sum (DESIGN.md §2:
	// an epic needs no size of its own; its own size counts only when no child is sized).
	await patch(epic.number, { pm_size: 13 }, 'pm1');
	const e2 = (await as('eng1').get(`/api/v1/issues/${epic.number}/tree`)).json.root;
	assert.equal(e2.rollup_size, 19);
	const lone = await make({ type: 'epic', pm_size: 'XL' });
	assert.equal((await get(lone.number)).rollup_size, 8, 'an epic without sized children rolls up its own size');
	await make({ type: 'story', parent: lone.number });
	assert.equal((await get(lone.number)).rollup_size, 8, 'unsized children do not hide it');
	// Sizing the tasks away ends the double booking.
	await patch(t1.number, { size: null }, 'em1');
	await patch(t2.number, { size: null }, 'em1');
	assert.equal((await get(s1.number)).double_booked, false);
	assert.ok(!(await as('eng1').get('/api/v1/plan/check')).json.items.some((i) => i.number === s1.number));

	// A private child is absent from an engineer's tree.
	const sec = await make({ type: 'security', size: 8, parent: s2.number });
	const engTree = (await as('eng1').get(`/api/v1/issues/${epic.number}/tree`)).json.root;
	assert.ok(!engTree.children.find((c) => c.number === s2.number).children.some((c) => c.number === sec.number));
	const pmTree = (await as('pm1').get(`/api/v1/issues/${epic.number}/tree`)).json.root;
	assert.ok(pmTree.children.find((c) => c.number === s2.number).children.some((c) => c.number === sec.number));
	assert.equal(pmTree.children.find((c) => c.number === s2.number).rollup_size, 12, 'pm1: 3 + 1 + 8');
	assert.equal(engTree.children.find((c) => c.number === s2.number).rollup_size, 4, 'eng1: the private 8 points are not added');
	assert.equal((await get(s2.number, 'eng1')).rollup_size, 4);
	assert.ok(!(await as('eng1').get('/api/v1/plan/check')).json.items.some((i) => i.number === sec.number || i.children.includes(sec.number)));
	assertError(await as('eng1').get('/api/v1/issues/999999/tree'), 404, 'not_found');
});

let areaFixture = null;

test('pillars and areas: create (admin/pm), conflicts, epics link to an area, trees and /pillars show it', async () => {
	const before = await state();
	const name = uniq('Pillar ');
	for (const login of ['eng1', 'em1', 'cto1', 'viewer1']) {
		assertError(await as(login).post('/api/v1/pillars', { name, description: 'd' }), 403, 'forbidden');
		await assertNothingChanged(before, [], `pillar by ${login}`);
	}
	assertError(await as('pm1').post('/api/v1/pillars', { description: 'no name' }), 422, 'invalid_field', 'name');
	assertError(await as('pm1').post('/api/v1/pillars', { name: '' }), 422, 'invalid_field', 'name');
	await assertNothingChanged(before, []);
	const p = await as('pm1').post('/api/v1/pillars', { name, description: 'Grow the platform' });
	assertStatus(p, 201);
	assert.equal(p.json.name, name);
	assert.equal(p.json.description, 'Grow the platform');
	assert.ok(Number.isInteger(p.json.id));
	const afterPillar = await state();
	const dup = await as('admin').post('/api/v1/pillars', { name, description: 'again' });
	assertError(dup, 409, 'conflict');
	await assertNothingChanged(afterPillar, [], 'duplicate pillar');

	const areaName = uniq('Area ');
	assertError(await as('eng1').post('/api/v1/areas', { pillar: p.json.id, name: areaName }), 403, 'forbidden');
	assertError(await as('pm1').post('/api/v1/areas', { pillar: 999999, name: areaName }), 422, 'invalid_field', 'pillar');
	assertError(await as('pm1').post('/api/v1/areas', { name: areaName }), 422, 'invalid_field', 'pillar');
	assertError(await as('pm1').post('/api/v1/areas', { pillar: p.json.id }), 422, 'invalid_field', 'name');
	await assertNothingChanged(afterPillar, []);
	const a = await as('pm1').post('/api/v1/areas', { pillar: p.json.id, name: areaName, description: 'APIs' });
	assertStatus(a, 201);
	assert.equal(a.json.name, areaName);
	const afterArea = await state();
	assertError(await as('pm1').post('/api/v1/areas', { pillar: p.json.id, name: areaName }), 409, 'conflict');
	await assertNothingChanged(afterArea, [], 'duplicate area');
	// The same area name under another pillar is fine.
	const p2 = await as('admin').post('/api/v1/pillars', { name: uniq('Pillar '), description: '' });
	assertStatus(p2, 201);
	assertStatus(await as('admin').post('/api/v1/areas', { pillar: p2.json.id, name: areaName }), 201);

	const epic = await make({ type: 'epic' });
	const story = await make({ type: 'story', size: 5, parent: epic.number });
	const story2 = await make({ type: 'story', pm_size: 3, parent: epic.number });
	const touched = [epic.number, story.number];
	const b = await state(touched);
	assertError(await move(story.number, { area: a.json.id }, 'pm1'), 422, 'invalid_field', 'area');
	assertError(await move(epic.number, { area: 999999 }, 'pm1'), 422, 'invalid_field', 'area');
	assertError(await move(epic.number, { area: 'x' }, 'pm1'), 422, 'invalid_field', 'area');
	await assertNothingChanged(b, touched, 'bad area');
	const e = await patch(epic.number, { area: a.json.id }, 'pm1');
	assert.equal(e.area, a.json.id);
	const t = (await as('eng1').get(`/api/v1/issues/${epic.number}/tree`)).json;
	assert.deepEqual(t.pillar, { id: p.json.id, name });
	assert.deepEqual(t.area, { id: a.json.id, name: areaName });
	const ts = (await as('eng1').get(`/api/v1/issues/${story.number}/tree`)).json;
	assert.deepEqual(ts.pillar, { id: p.json.id, name }, 'a story under the epic is in the pillar too');
	assert.deepEqual(ts.area, { id: a.json.id, name: areaName });
	assert.deepEqual(ts.ancestors.map((x) => x.number), [epic.number]);

	const pl = await as('eng1').get('/api/v1/pillars');
	assertStatus(pl, 200);
	const pil = pl.json.items.find((x) => x.id === p.json.id);
	assert.ok(pil, JSON.stringify(pl.json));
	assert.equal(pil.name, name);
	assert.equal(pil.description, 'Grow the platform');
	const ar = pil.areas.find((x) => x.id === a.json.id);
	assert.ok(ar, JSON.stringify(pil));
	assert.equal(ar.name, areaName);
	assert.equal(ar.description, 'APIs');
	assert.equal(ar.epics, 1);
	assert.equal(ar.points, 8, 'the epic roll-up: 5 + 3');
	areaFixture = { pillar: p.json.id, area: a.json.id, story: story2.number };
	// Clearing the area.
	assert.equal((await patch(epic.number, { area: null }, 'pm1')).area, null);
	const ar3 = (await as('eng1').get('/api/v1/pillars')).json.items.find((x) => x.id === p.json.id).areas.find((x) => x.id === a.json.id);
	assert.equal(ar3.epics, 0);
	assert.equal(ar3.points, 0);
	// An epic with an area cannot become another type (its area would be left dangling).
	await patch(epic.number, { area: a.json.id }, 'pm1');
	const lonely = await make({ type: 'epic' });
	await patch(lonely.number, { area: a.json.id }, 'pm1');
	const lb = await state([lonely.number]);
	const r = await move(lonely.number, { type: 'feature' }, 'pm1');
	if (r.status === 200)
		assert.equal(r.json.area, null, `a feature cannot keep an area: ${show(r)}`);
	else {
		assertError(r, 422, 'invalid_field');
		await assertNothingChanged(lb, [lonely.number]);
	}
});

test('GET /pillars: each area reports done_points (docs: areas carry "epics","points","done_points")', async () => {
	assert.ok(areaFixture, 'needs the pillars test');
	const { pillar, area, story } = areaFixture;
	const find = async () => (await as('eng1').get('/api/v1/pillars')).json.items.find((x) => x.id === pillar).areas.find((x) => x.id === area);
	const a0 = await find();
	assert.ok(Object.hasOwn(a0, 'done_points'), `area without done_points: ${JSON.stringify(a0)}`);
	assert.equal(a0.done_points, 0);
	await patch(story, { dev_status: 'done' }, 'eng1');
	const a1 = await find();
	assert.equal(a1.points, 8);
	assert.equal(a1.done_points, 3, 'the done story counts');
});

/* ---------- roles ---------- */

test('roles: pm_size (admin/pm/cto), size (admin/cto/em), milestone (admin/pm), viewer moves nothing', async () => {
	const m = await as('pm1').post('/api/v1/milestones', { title: uniq('roles '), start: '2031-01-01', due: '2031-01-30', capacity: 10 });
	assertStatus(m, 201);
	const i = await make({ pm_size: 3, size: 2, dev_status: 'up_next' });
	const n = i.number;
	const before = await state([n]);
	const refusals = [
		['eng1', { pm_size: 5 }], ['em1', { pm_size: 5 }], ['viewer1', { pm_size: 5 }],
		['eng1', { size: 5 }], ['pm1', { size: 5 }], ['viewer1', { size: 5 }],
		['eng1', { milestone: m.json.id }], ['em1', { milestone: m.json.id }], ['cto1', { milestone: m.json.id }],
		['eng1', { expected_at: '2027-02-01' }],
		['eng1', { board: 'next' }], ['em1', { board: 'next' }],
		['viewer1', { dev_status: 'in_progress' }], ['viewer1', { dev_status: 'up_next', after: 0 }],
		['viewer1', { dod: { tests: true } }], ['viewer1', { expected_at: '2027-02-01' }],
	];
	for (const [login, body] of refusals) {
		const r = await move(n, body, login);
		assertError(r, 403, 'forbidden');
		await assertNothingChanged(before, [n], `${login} ${JSON.stringify(body)}`);
	}
	assert.equal((await patch(n, { size: 'XL' }, 'em1')).size, 8);
	assert.equal((await patch(n, { size: 1 }, 'cto1')).size, 1);
	assert.equal((await patch(n, { pm_size: 'L' }, 'cto1')).pm_size, 5);
	assert.equal((await patch(n, { pm_size: 13 }, 'pm1')).pm_size, 13);
	const ms = await patch(n, { milestone: m.json.id }, 'pm1');
	assert.equal(ms.milestone, m.json.id);
	assert.equal((await patch(n, { milestone: null }, 'admin')).milestone, null);
	assert.equal((await patch(n, { expected_at: '2027-02-01' }, 'em1')).expected_at, '2027-02-01');
	assert.equal((await patch(n, { dev_status: 'in_design' }, 'eng2')).dev_status, 'in_design', 'any writer moves dev cards');
	assert.equal((await patch(n, { dod: { merged: true } }, 'eng1')).dod.merged, true, 'engineers tick the checklist');
	const h = await history(n);
	for (const f of ['size', 'pm_size', 'milestone', 'expected_at', 'dev_status', 'dod'])
		assert.ok(h.some((e) => e.field === f), `history has ${f}: ${JSON.stringify(h)}`);
	// Viewer cannot create planning items either, nor plan.
	const vb = await state();
	assertError(await as('viewer1').post('/api/v1/issues', { title: 'x', dev_status: 'todo' }), 403, 'forbidden');
	assertError(await as('viewer1').post('/api/v1/milestones', { title: uniq('v'), start: '2031-01-01', due: '2031-01-02' }), 403, 'forbidden');
	assertError(await as('viewer1').post('/api/v1/pillars', { name: uniq('v') }), 403, 'forbidden');
	await assertNothingChanged(vb, []);
	// Everyone may read the boards.
	assertStatus(await as('viewer1').get('/api/v1/boards/dev'), 200);
	assertStatus(await as('viewer1').get('/api/v1/boards/product'), 200);
	assertStatus(await as('viewer1').get('/api/v1/pillars'), 200);
	assertStatus(await as('viewer1').get('/api/v1/plan/check'), 200);
});

/* ---------- validation ---------- */

test('bad planning input: 422 naming the field (and the allowed values), nothing changed', async () => {
	const i = await make({ size: 3, dev_status: 'up_next' });
	const n = i.number;
	const before = await state([n]);
	const r0 = await move(n, { dev_status: 'doing' }, 'eng1');
	assertError(r0, 422, 'invalid_field', 'dev_status');
	for (const v of ['todo', 'up_next', 'in_design', 'in_progress', 'review', 'verify', 'done'])
		assert.ok(r0.json.error.message.includes(v), `the message names ${v}: ${show(r0)}`);
	await assertNothingChanged(before, [n]);
	const cases = [
		[{ dev_status: 3 }, /^dev_status$/],
		[{ board: 'later' }, /^board$/],
		[{ dod: { merged: 'yes' } }, /^dod/],
		[{ dod: { foo: true } }, /^dod/],
		[{ dod: { merged: 1 } }, /^dod/],
		[{ dod: 'all' }, /^dod$/],
		[{ dod: [true] }, /^dod$/],
		[{ dod: { tests: true, foo: true } }, /^dod/],
		[{ expected_at: 'tomorrow' }, /^expected_at$/],
		[{ expected_at: '2026-02-30' }, /^expected_at$/],
		[{ expected_at: '2026-13-01' }, /^expected_at$/],
		[{ expected_at: '2026-1-5' }, /^expected_at$/],
		[{ expected_at: 20270101 }, /^expected_at$/],
		[{ milestone: 999999 }, /^milestone$/],
		[{ milestone: 'x' }, /^milestone$/],
		[{ dev_status: 'in_progress', force: 'yes' }, /^force$/],
		[{ force: 1 }, /^force$/],
		[{ size: 'XXXL' }, /^size$/],
		[{ size: 4 }, /^size$/],
		[{ pm_size: 21 }, /^pm_size$/],
		[{ slip_reason: 'x'.repeat(251), milestone: null }, /^slip_reason$/],
		[{ slip_reason: 'no milestone here' }, /^slip_reason$/],
		[{ area: 1 }, /^area$/],
		[{ started_at: '2020-01-01T00:00:00Z', done_at: null, dod_done: 5, rollup_size: 99, double_booked: true, position: 1, dev_position: 1, effective_size: 1 }, null],
	];
	for (const [body, fieldRe] of cases) {
		const r = await move(n, body, 'admin');
		if (fieldRe === null) {
			// Read-only fields sent back are ignored (docs: "Read-only fields sent back ... are ignored").
			assertStatus(r, 200);
			const g = await get(n);
			assert.equal(g.started_at, null);
			assert.equal(g.dod_done, 0);
			assert.equal(g.rollup_size, 3);
			assert.equal(g.double_booked, false);
			assert.equal(g.effective_size, 3);
			continue;
		}
		assertInvalid(r, fieldRe);
		await assertNothingChanged(before, [n], `bad input ${JSON.stringify(body)}`);
	}
	// An unknown planning-ish field is refused like any unknown field.
	assertError(await move(n, { devstatus: 'todo' }, 'admin'), 422, 'invalid_field', 'devstatus');
	// POST with bad planning fields is refused too.
	const lb = await state();
	for (const [body, field] of [[{ dev_status: 'doing' }, 'dev_status'], [{ milestone: 999999 }, 'milestone'], [{ dod: { foo: true } }, null],
		[{ expected_at: 'tomorrow' }, 'expected_at'], [{ after: 0 }, 'after']]) {
		const r = await as('admin').post('/api/v1/issues', { title: uniq('bad '), ...body });
		if (field)
			assertError(r, 422, 'invalid_field', field);
		else
			assertInvalid(r, /^dod/);
		await assertNothingChanged(lb, [], `POST ${JSON.stringify(body)}`);
	}
});

test('the definition-of-done checklist: a PATCH merges the keys it sends; dod_done counts; boards show it', async () => {
	const i = await make({ dev_status: 'review' });
	assert.deepEqual(i.dod, { merged: false, tests: false, docs: false, acceptance: false, demo: false });
	assert.equal(i.dod_done, 0);
	const a = await patch(i.number, { dod: { tests: true } }, 'eng1');
	assert.deepEqual(a.dod, { merged: false, tests: true, docs: false, acceptance: false, demo: false });
	assert.equal(a.dod_done, 1);
	const b = await patch(i.number, { dod: { merged: true, docs: true } }, 'eng2');
	assert.deepEqual(b.dod, { merged: true, tests: true, docs: true, acceptance: false, demo: false }, 'merged into the stored one');
	assert.equal(b.dod_done, 3);
	const c = await patch(i.number, { dod: { docs: false, acceptance: true, demo: true } }, 'em1');
	assert.deepEqual(c.dod, { merged: true, tests: true, docs: false, acceptance: true, demo: true });
	assert.equal(c.dod_done, 4);
	const same = await patch(i.number, { dod: {} }, 'em1');
	assert.deepEqual(same.dod, c.dod, 'an empty object changes nothing');
	assert.equal((await get(i.number)).dod_done, 4);
	const onBoard = (await column('dev', 'review')).items.find((x) => x.number === i.number);
	assert.equal(onBoard.dod_done, 4);
	const h = (await history(i.number)).filter((e) => e.field === 'dod' || e.field.startsWith('dod'));
	assert.ok(h.length >= 3, `each checklist change is in the history: ${JSON.stringify(h)}`);
	const full = await patch(i.number, { dod: { merged: true, tests: true, docs: true, acceptance: true, demo: true } });
	assert.equal(full.dod_done, 5);
});

/* Eight 8-point items race into a Todo with room for one; `servers` take turns
 * serving the requests.  Returns what happened. */
async function todoRace(servers) {
	// the limit's load: every open Todo item but security issues (the column's
	// `points` also shows the private ones to a PM)
	const load = col(await board('dev'), 'todo').load;
	const limit = load + 10;
	assertStatus(await as('pm1').patch('/api/v1/settings', { todo_limit: limit }), 200);
	try {
		const items = [];
		for (let k = 0; k < 8; k++)
			items.push(await make({ size: 8 }));
		const rs = await Promise.all(items.map((i, k) => servers[k % servers.length].as(k % 2 ? 'eng1' : 'pm1')
			.patch(`/api/v1/issues/${i.number}`, { dev_status: 'todo' }, { headers: { 'If-Match': `"${i.version}"` } })));
		for (const r of rs)
			if (r.status !== 200)
				assertError(r, 409, 'conflict', 'dev_status');
		const now = col(await board('dev'), 'todo').load;
		for (const [k, i] of items.entries()) {
			const g = await get(i.number);
			assert.equal(g.dev_status, rs[k].status === 200 ? 'todo' : null, `#${i.number} as answered`);
		}
		return { load, limit, now, statuses: rs.map((r) => r.status), ok: rs.filter((r) => r.status === 200).length };
	} finally {
		assertStatus(await as('pm1').patch('/api/v1/settings', { todo_limit: 5000 }), 200);
	}
}

test('concurrent moves into Todo on one server cannot overrun the limit together', async () => {
	const r = await todoRace([srv]);
	assert.equal(r.ok, 1, `exactly one 8-point item fits in ${r.load} + 8 <= ${r.limit}: ${JSON.stringify(r)}`);
	assert.ok(r.now <= r.limit, `Todo holds ${r.now} > limit ${r.limit}: ${JSON.stringify(r)}`);
});

test('concurrent moves into Todo through two servers on one database cannot overrun the limit together', async () => {
	const twin = await startServer({ shareWith: srv });
	try {
		const r = await todoRace([srv, twin]);
		assert.equal(r.ok, 1, `exactly one 8-point item fits in ${r.load} + 8 <= ${r.limit}: ${JSON.stringify(r)}`);
		assert.ok(r.now <= r.limit, `Todo holds ${r.now} > limit ${r.limit}: ${JSON.stringify(r)}`);
	} finally {
		await twin.stop();
	}
});

test('security issues sit outside the Todo limit: the load and the refusal are the same for everyone and reveal no private work', async () => {
	const base = col(await board('dev'), 'todo').load;
	assertStatus(await as('pm1').patch('/api/v1/settings', { todo_limit: base + 10 }), 200);
	try {
		const sec = await make({ type: 'security', size: 'XXL', dev_status: 'todo' }); // 13 private points
		assert.equal((await get(sec.number)).dev_status, 'todo', 'a security issue is never refused by the limit');
		const forPm = col(await board('dev', 'pm1'), 'todo');
		const forEng = col(await board('dev', 'eng1'), 'todo');
		assert.equal(forPm.load, base, 'private work does not count');
		assert.equal(forEng.load, base, 'everyone sees the same load');
		assert.ok(!forEng.items.some((i) => i.number === sec.number));
		const fits = await make({ size: 'XL' }); // 8 <= 10
		assertStatus(await as('eng1').patch(`/api/v1/issues/${fits.number}`, { dev_status: 'todo' },
			{ headers: { 'If-Match': `"${fits.version}"` } }), 200);
		const over = await make({ size: 'M' }); // 8 + 3 > 10
		const r = await as('eng1').patch(`/api/v1/issues/${over.number}`, { dev_status: 'todo' },
			{ headers: { 'If-Match': `"${over.version}"` } });
		assertError(r, 409, 'conflict', 'dev_status');
		assert.match(r.json.error.message, new RegExp(`Todo holds ${base + 8} of ${base + 10} points`));
	} finally {
		assertStatus(await as('pm1').patch('/api/v1/settings', { todo_limit: 5000 }), 200);
	}
});

test('server shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
