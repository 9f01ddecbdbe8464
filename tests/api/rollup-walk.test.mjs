/*
 * rollup-walk.test.mjs — a harder, seeded random walk over every write that
 * can move a maintained roll-up or tally (issues #12, #17), checked after
 * every step.  Each seed builds its own pillar, two areas, an initiative, a
 * milestone and a small tree, then takes STEPS random steps on its own
 * issues only (so a seed walks the same way alone or after others):
 * creates under random parents (some by eng2, some security), sizes and PM
 * sizes, type changes to and from epic and to and from security (a story
 * with its tasks becoming an epic, an epic with children becoming a story,
 * a parent becoming a task; eng1 changing the type of an epic or story that
 * has a security child eng1 cannot see, which keeps that child under a task
 * or feature), re-parenting (also an epic's whole set of
 * children moved to another epic, and out of every tree), areas (on epics,
 * with a type change in one PATCH, and refused on others), initiatives,
 * closes and reopens (state and board), milestones, triage decisions and
 * routes (won't do and duplicate, then reopened), writes refused late (a
 * slip reason with no milestone: 422 after the roll-ups were written in the
 * same transaction), and bursts of concurrent PATCHes and creates on the
 * same chains (one group-committed transaction with a SAVEPOINT each on
 * SQLite; row locks on PostgreSQL), some refused as stale (412) or invalid
 * (422) alone.
 *
 * After every step `cairn check --rollups` must find the stored roll-ups,
 * area roll-ups, board tally and triage tally equal to a recount, and the
 * numbers the API serves admin (every issue's rollup_size and double
 * booking, the seed's areas and initiative) must equal a recount written
 * here from the issue list; every CHECK_EVERY steps the same for eng1
 * (public issues) and eng2 (sees their own security issues in trees), the
 * strategy page's initiative, the product board and the triage inbox
 * too.  A failure names the seed and the step, and lists the steps;
 * ROLLUP_WALK_SEEDS=7 (comma list) runs those seeds alone,
 * ROLLUP_WALK_STEPS=n sets the walk's length.
 * Imports: the tracker starts as `cairn demo --no-bulk` (every record a
 * create that keeps the roll-ups, checked against a recount), and the first
 * seed's walk writes to a third of those issues too.  (A bulk load rebuilds
 * the roll-ups at its end with rollup_rebuild, the code a restore runs:
 * rollups.test.mjs checks a restore.)
 * Runs on SQLite, and on PostgreSQL with CAIRN_TEST_DB.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertStatus, show, startServer, uniq } from './harness.mjs';
import { rng } from '../lib/rng.mjs';
import { areaOf, assertBoard, assertIssues, initiativeSum, progressOf, recompute } from './rollup-recount.mjs';

const SEEDS = process.env.ROLLUP_WALK_SEEDS
	? process.env.ROLLUP_WALK_SEEDS.split(',').map(Number)
	: Array.from({ length: 5 }, (_, k) => 101 + k);
const STEPS = Number(process.env.ROLLUP_WALK_STEPS || 20);
const CHECK_EVERY = 10;
const SIZES = [null, 'XS', 'S', 'M', 'L', 'XL', 'XXL'];
const OK = [200, 201, 204, 403, 404, 409, 412, 422, 503];

const srv = await startServer();
after(() => srv.kill());
const demoNumbers = []; // the issues cairn demo imported (the first test)
const as = (login) => srv.as(login);

/* Every issue the reader sees, by number. */
async function issuesOf(login) {
	const { items } = await srv.listAll(undefined, login);
	return new Map(items.map((i) => [i.number, i]));
}

/* The stored tables against the server's own recount. */
function checkTables(why, on = srv) {
	const c = on.cli(['check', '--rollups', '--json', '--as', 'admin']);
	const r = JSON.parse(c.stdout);
	assert.equal(r.stale, false, why);
	assert.equal(r.mismatches, 0, `cairn check --rollups ${why}: ${c.stdout}`);
}

/* What one reader is served, against the recount here: every issue's
 * numbers, the walk's areas and initiative; with full, the product board
 * and the triage inbox too. */
async function compareFor(w, login, why, full) {
	const seen = await issuesOf(login);
	const want = recompute(seen);
	const ctx = { login, why };
	assertIssues(seen, want, ctx);
	const p = await as(login).get('/api/v1/pillars');
	assertStatus(p, 200);
	const areas = p.json.items.flatMap((x) => x.areas).filter((a) => w.areas.includes(a.id));
	assert.equal(areas.length, w.areas.length);
	for (const a of areas)
		assert.deepEqual([a.epics, a.points, a.done_points], areaOf(seen, want, a.id),
			`area ${a.id} (epics, points, done) for ${login} ${why}`);
	const d = await as(login).get(`/api/v1/initiatives/${w.initiative}`);
	assertStatus(d, 200);
	for (const e of d.json.epics)
		assert.equal(seen.get(e.number)?.type, 'epic', `#${e.number} in the initiative for ${login} ${why}`);
	const sum = initiativeSum(d.json.epics, want, ctx);
	assert.deepEqual(progressOf(d.json), sum, `initiative progress for ${login} ${why}`);
	if (!full)
		return;
	const st = await as(login).get('/api/v1/strategy');
	assertStatus(st, 200);
	const ini = st.json.initiatives.find((x) => x.id === w.initiative);
	assert.deepEqual(progressOf(ini), sum, `the strategy page's initiative progress for ${login} ${why}`);
	const board = await as(login).get('/api/v1/boards/product', { query: { limit: '1' } });
	assertStatus(board, 200);
	assertBoard(board.json.columns, seen, ctx);
	const inbox = [...seen.values()].filter((i) => i.state === 'open' &&
		(i.board === 'no_status' || i.labels.includes('needs-triage'))).length;
	const t = await as(login).get('/api/v1/triage', { query: { per_page: '1' } });
	assertStatus(t, 200);
	assert.equal(t.json.total, inbox, `the triage inbox's count for ${login} ${why}`);
	assert.equal(t.json.stats.inbox_size, inbox, `inbox_size for ${login} ${why}`);
}

/* ---------- imports ---------- */

test('imports: cairn demo loaded record by record (roll-ups kept per write) equals a recount', async () => {
	// first, while the tracker is empty (the demo needs that); the walks below
	// run over these issues too, and one of them writes to them
	srv.cli(['demo', '--issues', '60', '--seed', '5', '--no-bulk']);
	const all = [...(await issuesOf('admin')).values()];
	assert.ok(all.length >= 60 && all.some((i) => i.parent) && all.some((i) => i.area), 'the demo made trees and areas');
	checkTables('after cairn demo --no-bulk');
	for (const login of ['admin', 'eng1'])
		assertIssues(await issuesOf(login), recompute(await issuesOf(login)), { login, why: 'after cairn demo --no-bulk' });
	demoNumbers.push(...all.map((i) => i.number));
});

/* ---------- minimal cases the walk found ---------- */

test('an epic with a hidden security child turned into a feature keeps that child in its roll-up', async () => {
	// eng1 cannot see the security task, so it does not block the type change
	// (a refusal would reveal it): the feature keeps a child, and admin, who
	// sees it, is served the child's points (seed 11, step 28 of the walk)
	const epic = await srv.createIssue({ title: uniq('epic '), type: 'epic' });
	const sec = await srv.createIssue({ title: uniq('sec '), type: 'security', size: 'L', parent: epic.number });
	assertStatus(await srv.patchIssue(epic.number, { type: 'feature' }, 'eng1'), 200);
	const get = async (n, login) => (await as(login).get(`/api/v1/issues/${n}`)).json;
	let f = await get(epic.number, 'admin');
	assert.equal(f.type, 'feature');
	assert.equal(f.rollup_size, 5, 'admin: the feature adds up its security child');
	assert.equal((await get(epic.number, 'eng1')).rollup_size, 0, 'eng1: not the security child');
	// sized, it is double booked over the child (one issue and the list agree)
	assertStatus(await srv.patchIssue(epic.number, { size: 'S' }), 200);
	f = await get(epic.number, 'admin');
	assert.deepEqual([f.rollup_size, f.double_booked, f.double_booked_below], [2, true, 0]);
	const listed = (await srv.listAll(undefined, 'admin')).items.find((i) => i.number === epic.number);
	assert.deepEqual([listed.rollup_size, listed.double_booked], [2, true]);
	// a story that kept a hidden child as a task: the same
	const story = await srv.createIssue({ title: uniq('story '), type: 'story' });
	await srv.createIssue({ title: uniq('sec '), type: 'security', size: 'M', parent: story.number });
	assertStatus(await srv.patchIssue(story.number, { type: 'task' }, 'eng1'), 200);
	assert.equal((await get(story.number, 'admin')).rollup_size, 3);
	checkTables('after the type changes over hidden children');
	assertStatus(await srv.patchIssue(sec.number, { state: 'closed' }), 200);
	assert.equal((await get(epic.number, 'admin')).rollup_size, 2);
	checkTables('after closing the hidden child');
});

test('an epic that stops being an epic leaves its initiative (as it leaves its area): its work counts once', async () => {
	const ini = (await as('pm1').post('/api/v1/initiatives', { title: uniq('Initiative ') })).json.id;
	const a = await srv.createIssue({ title: uniq('epic '), type: 'epic' });
	const b = await srv.createIssue({ title: uniq('epic '), type: 'epic' });
	await srv.createIssue({ title: uniq('task '), type: 'task', size: 'M', parent: b.number });
	for (const e of [a, b])
		assertStatus(await as('pm1').post(`/api/v1/initiatives/${ini}/epics`, { number: e.number }), 200);
	const progress = async () => progressOf((await as('admin').get(`/api/v1/initiatives/${ini}`)).json);
	assert.deepEqual(await progress(), { points: 3, done_points: 0, items: 1, done_items: 0, unsized: 0, epics: 2 });
	// b becomes a story under a: its task is a's now, and b is no epic of the initiative
	assertStatus(await srv.patchIssue(b.number, { type: 'story', parent: a.number }, 'pm1'), 200);
	const d = (await as('admin').get(`/api/v1/initiatives/${ini}`)).json;
	assert.deepEqual(d.epics.map((e) => e.number), [a.number]);
	assert.deepEqual(progressOf(d), { points: 3, done_points: 0, items: 2, done_items: 0, unsized: 0, epics: 1 },
		'the task counts once (under a), not again through b');
	const h = (await as('admin').get('/api/v1/strategy/history')).json.items[0];
	assert.deepEqual([h.object, h.field, h.new], [`initiative ${ini}`, 'epic removed', `#${b.number}`]);
	// an epic again, it is in no initiative until put back
	assertStatus(await srv.patchIssue(b.number, { type: 'epic', parent: null }, 'pm1'), 200);
	assert.equal((await progress()).epics, 1);
	checkTables('after the epic left its initiative');
});

/* ---------- one seed's walk ---------- */

class Walk {
	constructor(seed) {
		this.seed = seed;
		this.rand = rng(seed);
		this.numbers = []; // the walk's own issues, in creation order
		this.areas = [];
		this.log = [];
	}

	pick(xs) { return xs[Math.floor(this.rand() * xs.length)]; }
	chance(p) { return this.rand() < p; }

	async setUp() {
		const p = await as('pm1').post('/api/v1/pillars', { name: uniq('Pillar '), description: '' });
		assertStatus(p, 201);
		for (let k = 0; k < 2; k++) {
			const a = await as('pm1').post('/api/v1/areas', { pillar: p.json.id, name: uniq('Area '), description: '' });
			assertStatus(a, 201);
			this.areas.push(a.json.id);
		}
		const i = await as('pm1').post('/api/v1/initiatives', { title: uniq('Initiative '), pillar: String(p.json.id) });
		assertStatus(i, 201);
		this.initiative = i.json.id;
		const m = await as('pm1').post('/api/v1/milestones', { title: uniq('M'), start: '2026-12-01', due: '2026-12-28', capacity: 40 });
		assertStatus(m, 201);
		this.milestone = m.json.id;
		for (let k = 0; k < 3; k++)
			await this.create({ type: 'epic', pm_size: this.pick(SIZES), area: String(this.areas[k % 2]) }, 'pm1');
		for (let k = 0; k < 4; k++)
			await this.create({ type: 'story', size: this.pick(SIZES), parent: this.numbers[k % 3] });
		for (let k = 0; k < 5; k++)
			await this.create({ type: 'task', size: this.pick(SIZES), parent: this.numbers[3 + (k % 4)] });
		await as('pm1').post(`/api/v1/initiatives/${this.initiative}/epics`, { number: this.numbers[0] });
		if (this.adopt) // an imported tracker's issues, written to like the walk's own
			this.numbers.push(...this.adopt);
	}

	async create(fields, login = 'admin') {
		const r = await as(login).post('/api/v1/issues', { title: uniq('walk '), ...fields });
		if (r.status === 201)
			this.numbers.push(r.json.number);
		return r;
	}

	/* The walk's issues as admin sees them now. */
	async mine() {
		const all = await issuesOf('admin');
		this.seen = new Map(this.numbers.filter((n) => all.has(n)).map((n) => [n, all.get(n)]));
		return this.seen;
	}

	of(...types) {
		return [...this.seen.values()].filter((i) => types.includes(i.type)).map((i) => i.number);
	}

	/* A PATCH at the version read before the step (stale ones get 412). */
	patch(n, body, login = 'admin', version) {
		const v = version ?? this.seen.get(n).version;
		return as(login).patch(`/api/v1/issues/${n}`, body, { headers: { 'If-Match': `"${v}"` } });
	}

	/* One random write (or a burst of them); returns [description, responses]. */
	async step() {
		const seen = await this.mine();
		const any = [...seen.keys()];
		const epics = this.of('epic'), stories = this.of('story');
		const parentFor = (type) => type === 'epic' ? [] : type === 'story' ? epics : [...epics, ...stories];
		const n = this.pick(any), i = seen.get(n);
		const kind = this.pick([
			'create', 'create', 'size', 'size', 'type', 'type', 'epicize', 'unepic', 'reparent', 'reparent',
			'move_children', 'area', 'area_type', 'initiative', 'close', 'board', 'milestone', 'triage',
			'route', 'security', 'hidden', 'late_refusal', 'burst', 'burst', 'burst', 'multi',
		]);
		const one = async (desc, r) => [desc, [await r]];
		switch (kind) {
		case 'create': {
			const type = this.pick(['story', 'task', 'task', 'bug', 'epic', 'feature', 'security']);
			const f = { type, size: this.pick(SIZES), pm_size: this.pick(SIZES) };
			const ps = parentFor(type);
			if (ps.length && this.chance(0.85))
				f.parent = this.pick(ps);
			if (type === 'epic' && this.chance(0.5))
				f.area = String(this.pick(this.areas));
			if (this.chance(0.2))
				f.labels = ['needs-triage'];
			const login = type === 'security' ? this.pick(['eng2', 'admin']) : this.pick(['admin', 'eng1', 'pm1']);
			return one(`create ${JSON.stringify(f)} as ${login}`, this.create(f, login));
		}
		case 'size': {
			const [f, login] = this.chance(0.5) ? [{ size: this.pick(SIZES) }, this.pick(['admin', 'em1'])]
				: [{ pm_size: this.pick(SIZES) }, 'pm1'];
			return one(`#${n} ${JSON.stringify(f)} as ${login}`, this.patch(n, f, login));
		}
		case 'type': {
			const f = { type: this.pick(['story', 'task', 'bug', 'epic', 'feature', 'security']) };
			return one(`#${n} ${JSON.stringify(f)} as eng1`, this.patch(n, f, 'eng1'));
		}
		case 'epicize': { // a story (with its children) or a task becomes an epic
			const c = this.pick([...stories, ...this.of('task', 'bug')].length ? [...stories, ...this.of('task', 'bug')] : any);
			const f = { type: 'epic', parent: null };
			if (this.chance(0.5))
				f.area = String(this.pick(this.areas));
			return one(`#${c} ${JSON.stringify(f)}`, this.patch(c, f, 'pm1'));
		}
		case 'unepic': { // an epic (with its children, its area, its initiative) becomes something else
			const e = epics.length ? this.pick(epics) : n;
			const f = { type: this.pick(['story', 'task', 'feature', 'bug']) };
			if (f.type === 'story' && epics.length > 1 && this.chance(0.5))
				f.parent = this.pick(epics.filter((x) => x !== e));
			return one(`#${e} ${JSON.stringify(f)}`, this.patch(e, f, this.pick(['pm1', 'eng1'])));
		}
		case 'reparent': {
			const ps = parentFor(i.type);
			const f = { parent: ps.length && this.chance(0.8) ? this.pick(ps) : null };
			return one(`#${n} ${JSON.stringify(f)}`, this.patch(n, f));
		}
		case 'move_children': { // all of one epic's children to another (or out), one after another or at once
			if (epics.length < 1)
				return one('create an epic', this.create({ type: 'epic' }));
			const from = this.pick(epics), to = this.chance(0.8) && epics.length > 1 ? this.pick(epics.filter((x) => x !== from)) : null;
			const kids = [...seen.values()].filter((x) => x.parent === from).map((x) => x.number);
			const f = { parent: to };
			if (this.chance(0.5))
				return [`children ${kids} of #${from} to ${to} at once`, await Promise.all(kids.map((k) => this.patch(k, f)))];
			const rs = [];
			for (const k of kids)
				rs.push(await this.patch(k, f));
			return [`children ${kids} of #${from} to ${to} in turn`, rs];
		}
		case 'area': {
			const t = this.chance(0.85) && epics.length ? this.pick(epics) : n;
			const f = { area: this.chance(0.8) ? String(this.pick(this.areas)) : null };
			return one(`#${t} ${JSON.stringify(f)}`, this.patch(t, f, 'pm1'));
		}
		case 'area_type': { // type and area in one PATCH
			const f = this.chance(0.5) ? { type: 'epic', parent: null, area: String(this.pick(this.areas)) }
				: { type: this.pick(['story', 'task']), area: null };
			return one(`#${n} ${JSON.stringify(f)}`, this.patch(n, f, 'pm1'));
		}
		case 'initiative': {
			const e = epics.length ? this.pick(epics) : n;
			return one(`#${e} into/out of the initiative`, this.chance(0.7)
				? as('pm1').post(`/api/v1/initiatives/${this.initiative}/epics`, { number: e })
				: as('pm1').del(`/api/v1/initiatives/${this.initiative}/epics/${e}`));
		}
		case 'close': {
			const f = { state: i.state === 'closed' ? 'open' : 'closed' };
			return one(`#${n} ${JSON.stringify(f)}`, this.patch(n, f));
		}
		case 'board': {
			const f = { board: this.pick(['no_status', 'next', 'short', 'icebox', 'closed']) };
			return one(`#${n} ${JSON.stringify(f)}`, this.patch(n, f, 'pm1'));
		}
		case 'milestone': {
			const f = { milestone: this.chance(0.7) ? String(this.milestone) : null };
			if (!f.milestone && this.chance(0.5))
				f.slip_reason = 'moved out';
			return one(`#${n} ${JSON.stringify(f)}`, this.patch(n, f, 'pm1'));
		}
		case 'triage': {
			const f = this.chance(0.6) ? { board: this.pick(['next', 'short', 'long']), pm_size: this.pick(SIZES.slice(1)) }
				: { board: 'next', type: this.pick(['story', 'task', 'epic', 'security']) };
			return one(`triage #${n} ${JSON.stringify(f)}`, as('pm1').post(`/api/v1/issues/${n}/triage`, f));
		}
		case 'route': {
			const f = this.chance(0.5) ? { route: 'wont_do', reason: 'not now' }
				: { route: 'duplicate', duplicate_of: String(this.pick(any)) };
			return one(`triage #${n} ${JSON.stringify(f)}`, as('pm1').post(`/api/v1/issues/${n}/triage`, f));
		}
		case 'security': { // into and out of security, by eng1 or eng2 (their own) or admin
			const f = { type: i.type === 'security' ? this.pick(['task', 'bug', 'story']) : 'security' };
			const login = this.pick(['admin', 'eng1', 'eng2']);
			return one(`#${n} ${JSON.stringify(f)} as ${login}`, this.patch(n, f, login));
		}
		case 'hidden': { // a security child eng1 cannot see, then eng1 changes its parent's type
			const ps = [...epics, ...stories];
			if (!ps.length)
				return one('create an epic', this.create({ type: 'epic' }));
			// eng1 is refused over a child they see: prefer a parent with none
			const blind = ps.filter((x) => [...seen.values()].every((c) => c.parent !== x ||
				(c.type === 'security' && c.reporter !== 'eng1')));
			const p = this.pick(blind.length ? blind : ps);
			const c = await this.create({ type: 'security', size: this.pick(SIZES), parent: p }, this.pick(['admin', 'eng2']));
			const f = { type: this.pick(['task', 'feature', 'bug', 'task', 'feature', 'bug', 'story', 'security']) };
			if (this.chance(0.4) && stories.filter((x) => x !== p).length)
				f.parent = this.pick(stories.filter((x) => x !== p)); // deeper: under a story
			const r = await this.patch(p, f, 'eng1');
			return [`security child under #${p}, then #${p} ${JSON.stringify(f)} as eng1`, [c, r]];
		}
		case 'late_refusal': { // refused after the roll-ups moved in its transaction: all of it undone
			const f = { size: this.pick(SIZES), state: 'closed', slip_reason: 'no milestone here' };
			if (i.type === 'epic')
				f.area = String(this.pick(this.areas));
			const r = await this.patch(n, f);
			if (i.milestone === null)
				assert.equal(r.status, 422, `${show(r)}`);
			return [`#${n} ${JSON.stringify(f)} (refused late)`, [r]];
		}
		case 'multi': {
			const f = { size: this.pick(SIZES), state: this.pick(['open', 'closed']) };
			const ps = parentFor(i.type);
			if (ps.length)
				f.parent = this.pick(ps);
			return one(`#${n} ${JSON.stringify(f)}`, this.patch(n, f));
		}
		case 'burst': { // concurrent writes in the same trees, some refused alone
			const writes = [], descs = [], expect = [];
			const hot = this.pick(epics.length ? epics : any);
			const near = [...seen.values()].filter((x) => x.number === hot || x.parent === hot ||
				seen.get(x.parent)?.parent === hot).map((x) => x.number);
			const pool = near.length > 2 ? near : any;
			for (let k = 0; k < 6; k++) {
				const t = this.pick(pool), ti = seen.get(t);
				const r = this.rand();
				let f, login = 'admin', version, want = null;
				if (r < 0.15) {
					const type = this.pick(['task', 'story', 'security']);
					f = { type, size: this.pick(SIZES) };
					const ps = parentFor(type).filter((p) => pool.includes(p));
					if (ps.length)
						f.parent = this.pick(ps);
					descs.push(`create ${JSON.stringify(f)}`);
					expect.push(null);
					writes.push(this.create(f, type === 'security' ? 'eng2' : 'eng1'));
					continue;
				}
				if (r < 0.3) {
					f = { size: this.pick(SIZES) };
					version = ti.version - 1; // stale: 412, alone
					want = [412];
				} else if (r < 0.4) {
					f = { size: this.pick(SIZES), slip_reason: 'refused late' }; // 422 after the roll-ups moved
					want = ti.milestone === null ? [412, 422] : null; // 412: an earlier write of the burst moved it
				} else if (r < 0.5) {
					f = { area: String(this.pick(this.areas)), size: this.pick(SIZES) };
				} else if (r < 0.62) {
					f = { state: ti.state === 'closed' ? 'open' : 'closed' };
				} else if (r < 0.72) {
					f = { type: this.pick(['epic', 'story', 'task']) };
					login = 'eng1';
				} else if (r < 0.85) {
					const ps = parentFor(ti.type);
					f = { parent: ps.length && this.chance(0.8) ? this.pick(ps) : null };
				} else {
					f = this.chance(0.5) ? { size: this.pick(SIZES) } : { pm_size: this.pick(SIZES) };
				}
				descs.push(`#${t} ${JSON.stringify(f)}${version !== undefined ? ' (stale)' : ''}`);
				expect.push(want);
				writes.push(this.patch(t, f, login, version));
			}
			const rs = await Promise.all(writes);
			rs.forEach((r, k) => {
				if (expect[k] && r.status !== 503) // 503: a deadlock reported as busy (PostgreSQL)
					assert.ok(expect[k].includes(r.status), `${descs[k]}: ${show(r)}`);
			});
			return [`burst: ${descs.join('; ')}`, rs];
		}
		}
		throw new Error(`no step ${kind}`);
	}

	async run(t) {
		await this.setUp();
		const statuses = {};
		for (let k = 1; k <= STEPS; k++) {
			const [desc, rs] = await this.step();
			this.log.push(`${k}: ${desc} -> ${rs.map((r) => r.status).join(',')}`);
			for (const r of rs) {
				assert.ok(OK.includes(r.status), `seed ${this.seed} step ${k}: unexpected status: ${show(r)}`);
				statuses[r.status] = (statuses[r.status] || 0) + 1;
			}
			const why = `(seed ${this.seed}, after step ${k}; ROLLUP_WALK_SEEDS=${this.seed} ROLLUP_WALK_STEPS=${k} runs it alone)\nsteps:\n${this.log.join('\n')}`;
			checkTables(why);
			const full = k % CHECK_EVERY === 0 || k === STEPS;
			await compareFor(this, 'admin', why, full);
			if (full) {
				await compareFor(this, 'eng1', why, true);
				await compareFor(this, 'eng2', why, true);
			}
		}
		t.diagnostic(`seed ${this.seed}: ${JSON.stringify(statuses)}; ${this.numbers.length} issues`);
		// what the walk reached: a leaf type with a child, a won't-do or duplicate close
		const seen = await this.mine(), all = [...seen.values()];
		this.reached = {
			leafParent: all.some((c) => c.parent && !['epic', 'story'].includes(seen.get(c.parent)?.type)),
			gone: all.some((i) => i.close_reason !== null),
		};
		return statuses;
	}
}

test(`seeded walks (${SEEDS.length} seeds x ${STEPS} steps): after every step the kept roll-ups and tallies equal a recount`, async (t) => {
	assertStatus(await as('admin').patch('/api/v1/settings', { todo_limit: 10000 }), 200);
	const total = {}, reached = {};
	for (const seed of SEEDS) {
		const w = new Walk(seed);
		if (seed === SEEDS[0])
			w.adopt = demoNumbers.filter((n, k) => k % 3 === 0); // 20 of the demo's issues
		for (const [k, v] of Object.entries(await w.run(t)))
			total[k] = (total[k] || 0) + v;
		for (const [k, v] of Object.entries(w.reached))
			reached[k] = reached[k] || v;
	}
	t.diagnostic(`reached: ${JSON.stringify(reached)}`);
	if (!process.env.ROLLUP_WALK_SEEDS)
		assert.deepEqual(reached, { leafParent: true, gone: true }, 'the default walks reach both');
	// the walks did write, and were refused too, both ways
	assert.ok((total[200] || 0) + (total[201] || 0) > SEEDS.length * STEPS, JSON.stringify(total));
	assert.ok(total[412] > 0 && total[422] > 0, JSON.stringify(total));
});

test('server shuts down cleanly', () => srv.stop());
