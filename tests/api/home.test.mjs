/*
 * home.test.mjs — GET /api/v1/home (issue #14, docs/API.md "Home"): each
 * section with hand-made data for the right users — open issues assigned
 * to me (newest activity first, a total), the comments that mention me,
 * what waits for my review (changelog entries in review for publishers,
 * decisions due for deciders, the strategy review for strategists,
 * estimation sessions waiting for my vote), the security issues overdue
 * and due soon (private.read only) and the milestone in progress — and
 * privacy: an engineer sees no security section, and no private issue nor
 * a mention on one in any section.  Dates come from the tests' clock; an
 * overdue security issue is read by a second server on the same database
 * with the clock 10 days later (fix-by = reported + 7 days for critical).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertStatus, laterServer, show, startServer, uniq } from './harness.mjs';
import { DAY_MS, addDays, todayYmd } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const as = (login) => srv.as(login);
const V_CRIT = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8 critical: 7 days

async function home(login, server = srv) {
	const r = await server.as(login).get('/api/v1/home');
	assertStatus(r, 200);
	return r.json;
}
async function comment(n, body, login) {
	const r = await as(login).post(`/api/v1/issues/${n}/comments`, { body });
	assertStatus(r, 201);
	return r.json;
}
const numbers = (items) => items.map((i) => i.number);
const later = (ms) => laterServer(srv, ms);

/* Every issue number and comment id anywhere in a home page. */
function everyNumber(h) {
	const out = [...numbers(h.assigned.items), ...h.mentions.items.map((m) => m.number)];
	if (h.security)
		out.push(...numbers(h.security.overdue), ...numbers(h.security.due_soon));
	return out;
}

test('no credentials: 401', async () => {
	const r = await srv.api('GET', '/api/v1/home');
	assert.equal(r.status, 401, show(r));
});

test('a new user: every section empty, the gated ones null by role', async () => {
	srv.addUser('fresh1', 'engineer');
	const h = await home('fresh1');
	assert.deepEqual(h.assigned, { total: 0, items: [] });
	assert.deepEqual(h.mentions, { items: [] });
	assert.deepEqual([h.reviews.changelog, h.reviews.decisions, h.reviews.strategy], [null, null, null]);
	assert.deepEqual(h.reviews.estimations, { items: [] });
	assert.equal(h.security, null, 'an engineer has no security section');
	const v = await home('viewer1');
	assert.equal(v.reviews.estimations, null, 'a viewer does not vote');
	const pm = await home('pm1');
	assert.deepEqual(pm.reviews.changelog, { total: 0, items: [] });
	assert.deepEqual(pm.reviews.decisions, { total: 0, items: [] });
	assert.deepEqual(pm.reviews.strategy, { overdue: false, last_reviewed: null, review_due: null }, 'no strategy yet: nothing to review');
	assert.deepEqual(pm.security, { overdue_count: 0, due_soon_count: 0, overdue: [], due_soon: [] });
	assert.equal(pm.due_soon_days, 14);
});

test('assigned: open issues assigned to me, newest activity first, with a total; closed and others\' left out', async () => {
	srv.addUser('asg1', 'engineer');
	const a = await srv.createIssue({ title: uniq('asg a'), assignee: 'asg1' });
	const b = await srv.createIssue({ title: uniq('asg b'), assignee: 'asg1' });
	const c = await srv.createIssue({ title: uniq('asg closed'), assignee: 'asg1' });
	await srv.createIssue({ title: uniq('asg other'), assignee: 'eng2' });
	assertStatus(await srv.patchIssue(c.number, { state: 'closed' }), 200);
	assert.deepEqual(numbers((await home('asg1')).assigned.items), [b.number, a.number], 'same time: the newest first');
	const late = await later(3600000); // a's activity an hour later
	try {
		assertStatus(await late.patchIssue(a.number, { priority: 'high' }), 200);
	} finally {
		await late.kill();
	}
	const h = await home('asg1');
	assert.equal(h.assigned.total, 2);
	assert.deepEqual(numbers(h.assigned.items), [a.number, b.number], show({ json: h }));
	assert.equal(h.assigned.items[0].assignee, 'asg1');
});

test('assigned: what is in progress on the dev board or planned into a milestone is listed too', async () => {
	srv.addUser('asg2', 'engineer');
	const m = await as('pm1').post('/api/v1/milestones', { title: uniq('asg M'), start: '2031-03-01', due: '2031-03-28' });
	assertStatus(m, 201);
	const plain = await srv.createIssue({ title: uniq('asg plain'), assignee: 'asg2' });
	const doing = await srv.createIssue({ title: uniq('asg doing'), assignee: 'asg2', size: 'S', dev_status: 'todo' });
	assertStatus(await srv.patchIssue(doing.number, { dev_status: 'in_progress' }), 200);
	const planned = await srv.createIssue({ title: uniq('asg planned'), assignee: 'asg2' });
	assertStatus(await srv.patchIssue(planned.number, { milestone: m.json.id }, 'pm1'), 200);
	const h = await home('asg2');
	assert.equal(h.assigned.total, 3, show({ json: h }));
	assert.deepEqual(numbers(h.assigned.items).sort((x, y) => x - y), [plain.number, doing.number, planned.number]);
});

test('assigned: at most 20 listed, the total counts them all', async () => {
	srv.addUser('busy1', 'engineer');
	for (let k = 0; k < 22; k++)
		await srv.createIssue({ title: uniq(`busy ${k}`), assignee: 'busy1' });
	const h = await home('busy1');
	assert.equal(h.assigned.total, 22);
	assert.equal(h.assigned.items.length, 20);
});

test('mentions: the comments that mention me, newest first, with issue, author and time; deleted ones go', async () => {
	srv.addUser('men1', 'engineer');
	const i = await srv.createIssue({ title: uniq('mention me') });
	const c1 = await comment(i.number, 'ping @men1 please', 'eng1');
	const c2 = await comment(i.number, '@men1 and again', 'pm1');
	await comment(i.number, 'nobody mentioned', 'pm1');
	const h = await home('men1');
	assert.deepEqual(h.mentions.items.map((m) => [m.number, m.title, m.comment_id, m.author]),
		[[i.number, i.title, c2.id, 'pm1'], [i.number, i.title, c1.id, 'eng1']]);
	assert.match(h.mentions.items[0].at, /^\d{4}-\d{2}-\d{2}T/);
	assertStatus(await as('pm1').call('DELETE', `/api/v1/comments/${c2.id}`), 204);
	assert.deepEqual((await home('men1')).mentions.items.map((m) => m.comment_id), [c1.id]);
});

test('reviews: a changelog entry in review for publishers, a decision due for deciders, the strategy review', async () => {
	const e = await as('pm1').post('/api/v1/changelog', { title: uniq('Home entry'), description: 'd', body: 'b' });
	assertStatus(e, 201);
	const before = await home('pm1');
	assert.ok(!before.reviews.changelog.items.some((x) => x.id === e.json.id), 'a draft waits for nobody');
	assertStatus(await as('pm1').post(`/api/v1/changelog/${e.json.id}/state`, { state: 'in_review' }), 200);
	for (const login of ['pm1', 'admin']) {
		const h = await home(login);
		assert.ok(h.reviews.changelog.items.some((x) => x.id === e.json.id && x.title === e.json.title), `${login}: ${JSON.stringify(h.reviews)}`);
		assert.ok(h.reviews.changelog.total >= 1);
	}
	for (const login of ['eng1', 'em1', 'cto1'])
		assert.equal((await home(login)).reviews.changelog, null, `${login} may not publish`);

	const due = await as('pm1').post('/api/v1/decisions', { title: uniq('Revisit pricing'), review_date: addDays(todayYmd(), -1) });
	assertStatus(due, 201);
	const notYet = await as('pm1').post('/api/v1/decisions', { title: uniq('Not yet'), review_date: addDays(todayYmd(), 30) });
	assertStatus(notYet, 201);
	const d = (await home('pm1')).reviews.decisions;
	assert.ok(d.items.some((x) => x.id === due.json.id && x.review_date === addDays(todayYmd(), -1) && x.status === 'proposed'), JSON.stringify(d));
	assert.ok(!d.items.some((x) => x.id === notYet.json.id), 'a review date ahead is not due');
	assert.equal((await home('eng1')).reviews.decisions, null);

	assertStatus(await as('pm1').call('PUT', '/api/v1/strategy', { body: { body: '# Strategy\n\nWin.' } }), 201);
	assert.equal((await home('pm1')).reviews.strategy.overdue, true, 'never reviewed');
	assertStatus(await as('pm1').post('/api/v1/strategy/review', {}), 200);
	const s = (await home('pm1')).reviews.strategy;
	assert.equal(s.overdue, false);
	assert.equal(Date.parse(s.review_due) - Date.parse(s.last_reviewed), 90 * DAY_MS);
	const late = await later(91 * DAY_MS);
	try {
		assert.equal((await home('pm1', late)).reviews.strategy.overdue, true, '91 days later');
	} finally {
		await late.kill();
	}
	assert.equal((await home('eng1')).reviews.strategy, null);
});

test('reviews: estimation sessions waiting for my vote, gone once I voted', async () => {
	const n = (await srv.createIssue({ title: uniq('estimate me') })).number;
	const s = await as('em1').post('/api/v1/estimation/sessions', { title: uniq('Poker'), issues: [n], participants: ['eng1', 'eng2'] });
	assertStatus(s, 201);
	const waiting = (login) => home(login).then((h) => h.reviews.estimations.items.find((x) => x.id === s.json.id));
	assert.deepEqual(await waiting('eng1'), { id: s.json.id, title: s.json.title, mode: 'live', closes_at: null, waiting: 1 });
	assert.equal(await waiting('pm1'), undefined, 'not a participant');
	assertStatus(await as('eng1').post(`/api/v1/estimation/sessions/${s.json.id}/items/${n}/vote`, { size: 'M' }), 200);
	assert.equal(await waiting('eng1'), undefined, 'voted');
	assert.ok(await waiting('eng2'));
});

test('security and privacy: overdue and due soon for private.read holders only; an engineer never sees a private issue nor a mention on one', async () => {
	const sec = await srv.createIssue({ title: uniq('Private hole'), type: 'security', cvss: V_CRIT, assignee: 'eng1' }, 'pm1');
	await comment(sec.number, 'look @eng1 and @pm1', 'pm1');
	const pub = await srv.createIssue({ title: uniq('Public one'), assignee: 'eng1' }, 'pm1');
	await comment(pub.number, 'public @eng1', 'pm1');

	const pm = await home('pm1');
	assert.ok(numbers(pm.security.due_soon).includes(sec.number), JSON.stringify(pm.security));
	assert.equal(pm.security.due_soon.find((i) => i.number === sec.number).days_left, 7);
	assert.equal(pm.security.due_soon_count, pm.security.due_soon.length);
	assert.ok(pm.mentions.items.some((m) => m.number === sec.number), 'pm1 sees the private issue');

	const eng = await home('eng1');
	assert.equal(eng.security, null);
	assert.ok(!everyNumber(eng).includes(sec.number), `no private issue for an engineer: ${JSON.stringify(eng)}`);
	assert.ok(numbers(eng.assigned.items).includes(pub.number));
	assert.ok(eng.mentions.items.some((m) => m.number === pub.number));

	const late = await later(10 * DAY_MS);
	try {
		const lp = await home('pm1', late);
		assert.ok(numbers(lp.security.overdue).includes(sec.number), JSON.stringify(lp.security));
		assert.equal(lp.security.overdue.find((i) => i.number === sec.number).days_left, -3);
		assert.ok(lp.security.overdue_count >= 1);
		for (const login of ['cto1', 'admin'])
			assert.ok(numbers((await home(login, late)).security.overdue).includes(sec.number), login);
		for (const login of ['eng1', 'em1', 'viewer1']) {
			const h = await home(login, late);
			assert.equal(h.security, null, login);
			assert.ok(!everyNumber(h).includes(sec.number), login);
		}
	} finally {
		await late.kill();
	}
});

test('the milestone in progress: the active one with its points; none planned or over', async () => {
	const today = todayYmd();
	const past = await as('pm1').post('/api/v1/milestones', { title: uniq('past '), start: addDays(today, -60), due: addDays(today, -40), capacity: 10 });
	assertStatus(past, 201);
	assert.equal((await home('eng1')).milestone, null, 'only one over');
	const m = await as('pm1').post('/api/v1/milestones', { title: uniq('now '), start: addDays(today, -3), due: addDays(today, 10), capacity: 20 });
	assertStatus(m, 201);
	await srv.createIssue({ title: uniq('in it'), milestone: String(m.json.id), size: 'M' });
	const h = await home('eng1');
	assert.equal(h.milestone.id, m.json.id);
	assert.equal(h.milestone.state, 'active');
	assert.equal(h.milestone.items, 1);
	assert.ok(h.milestone.load > 0);
	assert.equal(h.milestone.done_points, 0);
	const f = await as('eng1').get(`/api/v1/milestones/${m.json.id}/forecast`);
	assertStatus(f, 200);
	assert.equal(h.milestone.forecast_p85, f.json.p85, 'the forecast page\'s 85 % day');
	assert.equal(h.milestone.forecast_probability, f.json.probability);
});
