/*
 * notifications.test.mjs — watchers and the in-app inbox over real HTTP
 * (docs/API.md "Notifications"): who watches by default (reporter,
 * assignee, commenters, mentioned users), watch/unwatch, who is told of a
 * comment, a mention, an assignment, a close; reading and marking read
 * with the unread count; privacy (a security issue never reaches an
 * engineer who may not see it, and an issue turned private vanishes from
 * their inbox); refused writes leave no notification; 422s and 404s.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, assertError, assertStatus, startServer, uniq } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());

const as = (login) => srv.as(login);
async function inbox(login, query = '') {
	const r = await as(login).get(`/api/v1/notifications${query}`);
	assertStatus(r, 200);
	return r.json;
}
async function unread(login) {
	const r = await as(login).get('/api/v1/notifications/count');
	assertStatus(r, 200);
	return r.json.unread;
}
/* The notifications of login about issue n, oldest first, as [kind, actor]. */
async function about(login, n) {
	const items = (await inbox(login)).items.filter((x) => x.issue.number === n).reverse();
	return items.map((x) => [x.kind, x.actor]);
}
async function comment(n, body, login) {
	const r = await as(login).post(`/api/v1/issues/${n}/comments`, { body });
	assertStatus(r, 201);
	return r.json;
}
async function watchers(n, login = 'admin') {
	const r = await as(login).get(`/api/v1/issues/${n}/watchers`);
	assertStatus(r, 200);
	return r.json;
}

test('default watchers: the reporter, the assignee, commenters and mentioned users', async () => {
	const issue = await srv.createIssue({ title: uniq('watch'), assignee: 'eng2' }, 'pm1');
	let w = await watchers(issue.number, 'pm1');
	assert.deepEqual(w.watchers.map((x) => x.login), ['eng2', 'pm1']);
	assert.equal(w.watching, true);
	assert.equal(w.count, 2);
	assert.match(w.watchers[0].since, ISO_RE);
	await comment(issue.number, 'I will look, cc @em1', 'eng1');
	w = await watchers(issue.number, 'viewer1');
	assert.deepEqual(w.watchers.map((x) => x.login), ['em1', 'eng1', 'eng2', 'pm1']);
	assert.equal(w.watching, false, 'the viewer does not watch it');
	assert.deepEqual(await about('eng2', issue.number), [['assigned', 'pm1'], ['comment', 'eng1']]);
	assert.deepEqual(await about('pm1', issue.number), [['comment', 'eng1']], 'the reporter hears of the comment');
	assert.deepEqual(await about('em1', issue.number), [['mention', 'eng1']], 'a mention, not a comment too');
	assert.deepEqual(await about('eng1', issue.number), [], 'never of one\'s own act');
	assert.deepEqual(await about('viewer1', issue.number), [], 'not watching: nothing');
});

test('a notification: its issue, kind, actor, time, comment and read state', async () => {
	const issue = await srv.createIssue({ title: uniq('shape') }, 'pm1');
	const c = await comment(issue.number, 'hello @eng2', 'eng1');
	const [n] = (await inbox('eng2')).items;
	assert.deepEqual({ ...n, id: 0, at: 0 }, {
		id: 0, kind: 'mention', issue: { number: issue.number, title: issue.title }, actor: 'eng1', at: 0,
		read: false, read_at: null, comment: c.id, state: null, changes: null,
	});
	assert.match(n.at, ISO_RE);
});

test('assignment and closing: the assignee is told, the watchers hear of a close and a reopen', async () => {
	const issue = await srv.createIssue({ title: uniq('assign') }, 'pm1');
	assertStatus(await srv.patchIssue(issue.number, { assignee: 'eng1' }, 'pm1'), 200);
	assert.deepEqual(await about('eng1', issue.number), [['assigned', 'pm1']]);
	assert.ok((await watchers(issue.number)).watchers.some((x) => x.login === 'eng1'), 'the assignee watches');
	assertStatus(await srv.patchIssue(issue.number, { state: 'closed' }, 'eng1'), 200);
	assertStatus(await srv.patchIssue(issue.number, { state: 'open' }, 'em1'), 200);
	const states = (await inbox('pm1')).items.filter((x) => x.issue.number === issue.number).map((x) => [x.kind, x.state, x.actor]);
	assert.deepEqual(states, [['state', 'reopened', 'em1'], ['state', 'closed', 'eng1']], 'newest first');
	assert.deepEqual(await about('eng1', issue.number), [['assigned', 'pm1'], ['state', 'em1']],
		'not of their own close');
	/* assigning oneself tells no one */
	const mine = await srv.createIssue({ title: uniq('self') }, 'eng2');
	assertStatus(await srv.patchIssue(mine.number, { assignee: 'eng2' }, 'eng2'), 200);
	assert.deepEqual(await about('eng2', mine.number), []);
});

test('mark read: some ids, then all, with the unread count', async () => {
	const issue = await srv.createIssue({ title: uniq('read') }, 'pm1');
	const before = await unread('cto1');
	for (let k = 0; k < 3; k++)
		await comment(issue.number, `ping ${k} @cto1`, 'pm1');
	assert.equal(await unread('cto1'), before + 3);
	const list = await inbox('cto1', '?unread=1');
	assert.equal(list.unread, before + 3);
	const mine = list.items.filter((x) => x.issue.number === issue.number);
	assert.equal(mine.length, 3);
	let r = await as('cto1').post('/api/v1/notifications/read', { ids: [mine[0].id] });
	assertStatus(r, 200);
	assert.equal(r.json.unread, before + 2);
	r = await as('cto1').post('/api/v1/notifications/read', { ids: [mine[0].id] });
	assertStatus(r, 200);
	assert.equal(r.json.unread, before + 2, 'marking again changes nothing');
	const all = await inbox('cto1');
	const first = all.items.find((x) => x.id === mine[0].id);
	assert.equal(first.read, true);
	assert.match(first.read_at, ISO_RE);
	assert.ok(!(await inbox('cto1', '?unread=1')).items.some((x) => x.id === mine[0].id), 'unread=1 leaves it out');
	/* someone else's notification is not found, and the request marks none */
	const other = (await inbox('pm1')).items[0];
	assertError(await as('cto1').post('/api/v1/notifications/read', { ids: [mine[1].id, other.id] }), 404, 'not_found', 'ids');
	assert.equal(await unread('cto1'), before + 2);
	r = await as('cto1').post('/api/v1/notifications/read', { all: true });
	assertStatus(r, 200);
	assert.equal(r.json.unread, 0);
	assert.equal(await unread('cto1'), 0);
});

test('watch and unwatch oneself: an unwatched issue stays unwatched until watched again', async () => {
	const issue = await srv.createIssue({ title: uniq('unwatch') }, 'pm1');
	let r = await as('viewer1').call('PUT', `/api/v1/issues/${issue.number}/watch`);
	assertStatus(r, 200);
	assert.equal(r.json.watching, true);
	assert.deepEqual(r.json.watchers.map((x) => x.login), ['pm1', 'viewer1']);
	assertStatus(await as('viewer1').call('PUT', `/api/v1/issues/${issue.number}/watch`), 200);
	assert.equal((await watchers(issue.number)).count, 2, 'watching twice is watching once');
	await comment(issue.number, 'news', 'eng1');
	assert.deepEqual(await about('viewer1', issue.number), [['comment', 'eng1']], 'a viewer who watches is told');
	r = await as('pm1').del(`/api/v1/issues/${issue.number}/watch`);
	assertStatus(r, 200);
	assert.equal(r.json.watching, false);
	assert.deepEqual(r.json.watchers.map((x) => x.login), ['eng1', 'viewer1']);
	await comment(issue.number, 'more news', 'eng1');
	await comment(issue.number, 'I reported it', 'pm1');
	assert.deepEqual(await about('pm1', issue.number), [['comment', 'eng1']],
		'unwatched: no more comment notifications, and commenting does not watch again');
	assert.equal((await watchers(issue.number)).watchers.some((x) => x.login === 'pm1'), false);
	await comment(issue.number, 'still, @pm1 look', 'eng1');
	assert.deepEqual(await about('pm1', issue.number), [['comment', 'eng1'], ['mention', 'eng1']],
		'a mention reaches them anyway');
	r = await as('pm1').call('PUT', `/api/v1/issues/${issue.number}/watch`);
	assert.equal(r.json.watching, true);
	await comment(issue.number, 'back', 'eng1');
	assert.deepEqual(await about('pm1', issue.number), [['comment', 'eng1'], ['mention', 'eng1'], ['comment', 'eng1']]);
});

test('privacy: a security issue never notifies one who may not see it', async () => {
	const sec = await srv.createIssue({ title: uniq('sec'), type: 'security' }, 'pm1');
	const before = await unread('eng1');
	await comment(sec.number, 'exploit details, @eng1 @cto1', 'pm1');
	assertStatus(await srv.patchIssue(sec.number, { assignee: 'eng1' }, 'pm1'), 200);
	assert.equal(await unread('eng1'), before, 'no mention, no assignment for an engineer who may not see it');
	assert.deepEqual(await about('cto1', sec.number), [['mention', 'pm1'], ['changed', 'pm1']],
		'the CTO may see it (and, watching it, hears of the new assignee)');
	assert.equal((await watchers(sec.number)).watchers.some((x) => x.login === 'eng1'), false, 'a mention does not make them watch it');
	assertError(await as('eng1').call('PUT', `/api/v1/issues/${sec.number}/watch`), 404, 'not_found');
	assertError(await as('eng1').get(`/api/v1/issues/${sec.number}/watchers`), 404, 'not_found');
	/* the reporter of a security issue sees it, and hears of it */
	const mine = await srv.createIssue({ title: uniq('mysec'), type: 'security' }, 'eng2');
	await comment(mine.number, 'triaged', 'pm1');
	assert.deepEqual(await about('eng2', mine.number), [['comment', 'pm1']]);
});

test('privacy: an issue turned private vanishes from the inbox of those it hides from', async () => {
	const issue = await srv.createIssue({ title: uniq('going-private') }, 'pm1');
	await comment(issue.number, 'watching this', 'eng1');
	await comment(issue.number, 'hi @eng1', 'pm1');
	assert.deepEqual(await about('eng1', issue.number), [['mention', 'pm1']]);
	const count = await unread('eng1');
	assertStatus(await srv.patchIssue(issue.number, { type: 'security' }, 'pm1'), 200);
	assert.deepEqual(await about('eng1', issue.number), [], 'hidden now');
	assert.equal(await unread('eng1'), count - 1, 'and not counted');
	await comment(issue.number, 'now private', 'pm1');
	assertStatus(await srv.patchIssue(issue.number, { type: 'bug' }, 'pm1'), 200);
	assert.deepEqual(await about('eng1', issue.number), [['mention', 'pm1']],
		'seen again when public, and nothing was written for them while it was private');
});

test('refused writes leave no notification behind', async () => {
	const issue = await srv.createIssue({ title: uniq('refused') }, 'pm1');
	const before = await unread('pm1');
	assertError(await as('viewer1').post(`/api/v1/issues/${issue.number}/comments`, { body: 'hi @pm1' }), 403, 'forbidden');
	assertError(await as('eng1').post(`/api/v1/issues/${issue.number}/comments`, { body: '   ' }), 422, 'invalid_field', 'body');
	assertError(await as('eng1').post(`/api/v1/issues/${issue.number}/comments`, { body: 'x', extra: 1 }), 422);
	assertError(await srv.patchIssue(issue.number, { assignee: 'nobody-here' }, 'em1'), 422);
	assertError(await srv.patchIssue(issue.number, { state: 'closed', size: 'XL' }, 'eng1'), 403, 'forbidden');
	assert.equal(await unread('pm1'), before);
	assert.deepEqual((await watchers(issue.number)).watchers.map((x) => x.login), ['pm1'], 'and no watcher either');
});

test('bad input: 422 naming the field, 404 for what is not there', async () => {
	const post = (body) => as('eng1').post('/api/v1/notifications/read', body);
	assertError(await post({}), 422, 'invalid_field', 'ids');
	assertError(await post({ ids: [] }), 422, 'invalid_field', 'ids');
	assertError(await post({ ids: 'all' }), 422, 'invalid_field', 'ids');
	assertError(await post({ ids: [0] }), 422, 'invalid_field', 'ids');
	assertError(await post({ ids: [1.5] }), 422, 'invalid_field', 'ids');
	assertError(await post({ all: 'yes' }), 422, 'invalid_field', 'all');
	assertError(await post({ all: true, what: 1 }), 422, 'invalid_field', 'what');
	assertError(await post({ ids: [999999] }), 404, 'not_found', 'ids');
	assertError(await as('eng1').get('/api/v1/notifications?page=0'), 422, 'invalid_field', 'page');
	assertError(await as('eng1').get('/api/v1/notifications?page=x'), 422, 'invalid_field', 'page');
	assertError(await as('eng1').get('/api/v1/notifications?unread=2'), 422, 'invalid_field', 'unread');
	assertError(await as('eng1').call('PUT', '/api/v1/issues/999999/watch'), 404, 'not_found');
	assertError(await as('eng1').del('/api/v1/issues/999999/watch'), 404, 'not_found');
	assertError(await as('eng1').get('/api/v1/issues/999999/watchers'), 404, 'not_found');
	const r = await srv.api('GET', '/api/v1/notifications');
	assertError(r, 401);
});

test('pages of fifty, newest first', async () => {
	const issue = await srv.createIssue({ title: uniq('pages') }, 'pm1');
	for (let k = 0; k < 52; k++)
		await comment(issue.number, `n${k} @em1`, 'pm1');
	const p1 = await inbox('em1');
	assert.equal(p1.items.length, 50);
	assert.equal(p1.more, true);
	assert.equal(p1.page, 1);
	const ids = p1.items.map((x) => x.id);
	assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
	const p2 = await inbox('em1', '?page=2');
	assert.ok(p2.items.length >= 2);
	assert.ok(p2.items[0].id < ids.at(-1));
});
