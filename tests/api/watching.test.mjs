/*
 * watching.test.mjs — what watching an issue brings (issue #14) over real
 * HTTP: a watcher hears of a meaningful change (state, assignee, milestone,
 * board column, priority) once per write, never of their own act nor of a
 * private issue they may not see; the home page lists those changes; an
 * edited comment tells only the users it newly mentions; closing an issue
 * as a duplicate brings its watchers and references to the issue kept,
 * with history rows on both, and no private issue shows through.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, startServer, uniq } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());

const as = (login) => srv.as(login);
async function inbox(login) {
	const r = await as(login).get('/api/v1/notifications');
	assertStatus(r, 200);
	return r.json.items;
}
/* login's notifications about issue n, oldest first. */
async function about(login, n) {
	return (await inbox(login)).filter((x) => x.issue.number === n).reverse();
}
async function comment(n, body, login) {
	const r = await as(login).post(`/api/v1/issues/${n}/comments`, { body });
	assertStatus(r, 201);
	return r.json;
}
async function watch(n, login) {
	assertStatus(await as(login).call('PUT', `/api/v1/issues/${n}/watch`), 200);
}
async function watcherLogins(n) {
	const r = await as('admin').get(`/api/v1/issues/${n}/watchers`);
	assertStatus(r, 200);
	return r.json.watchers.map((x) => x.login);
}
async function history(n, login = 'admin') {
	const r = await as(login).get(`/api/v1/issues/${n}/history`);
	assertStatus(r, 200);
	return r.json.items;
}
async function refs(n, login = 'admin') {
	const r = await as(login).get(`/api/v1/issues/${n}/references`);
	assertStatus(r, 200);
	return r.json.items;
}
async function duplicate(dup, kept, login = 'pm1') {
	const r = await as(login).post(`/api/v1/issues/${dup}/triage`, { route: 'duplicate', duplicate_of: kept });
	assertStatus(r, 200);
}

test('a watcher hears of a meaningful change once per write, naming the fields; the actor never', async () => {
	const m = await as('pm1').post('/api/v1/milestones', { title: uniq('watch ms '), start: '2027-03-01', due: '2027-03-25', capacity: 10 });
	assertStatus(m, 201);
	const issue = await srv.createIssue({ title: uniq('watched') }, 'pm1');
	await watch(issue.number, 'eng2');
	// three fields in one write: one notification
	assertStatus(await srv.patchIssue(issue.number, { priority: 'high', milestone: m.json.id, board: 'next' }, 'pm1'), 200);
	let got = await about('eng2', issue.number);
	assert.equal(got.length, 1, JSON.stringify(got));
	assert.equal(got[0].kind, 'changed');
	assert.equal(got[0].actor, 'pm1');
	assert.deepEqual(got[0].changes, ['milestone', 'board', 'priority']);
	assert.equal(got[0].state, null);
	assert.deepEqual(await about('pm1', issue.number), [], 'the actor (the reporter, watching) hears nothing of their own change');
	// a title or body edit is not a change a watcher is told of
	assertStatus(await srv.patchIssue(issue.number, { title: uniq('watched renamed'), body: 'more words' }, 'pm1'), 200);
	assert.equal((await about('eng2', issue.number)).length, 1, 'no notification for a title or body edit');
	// the new assignee is told once (assigned), the other watchers of the change
	assertStatus(await srv.patchIssue(issue.number, { assignee: 'eng1' }, 'em1'), 200);
	assert.deepEqual((await about('eng1', issue.number)).map((x) => x.kind), ['assigned']);
	got = await about('eng2', issue.number);
	assert.deepEqual(got.map((x) => [x.kind, x.changes]), [['changed', ['milestone', 'board', 'priority']], ['changed', ['assignee']]]);
	assert.deepEqual((await about('pm1', issue.number)).map((x) => [x.kind, x.actor, x.changes]), [['changed', 'em1', ['assignee']]]);
	// a close: kind state, with what else changed
	assertStatus(await srv.patchIssue(issue.number, { state: 'closed', priority: 'low' }, 'eng1'), 200);
	got = (await about('eng2', issue.number)).at(-1);
	assert.deepEqual([got.kind, got.state, got.changes, got.actor], ['state', 'closed', ['state', 'priority'], 'eng1']);
	// an unwatched issue says nothing more
	assertStatus(await as('eng2').call('DELETE', `/api/v1/issues/${issue.number}/watch`), 200);
	assertStatus(await srv.patchIssue(issue.number, { state: 'open' }, 'pm1'), 200);
	assert.equal((await about('eng2', issue.number)).length, 3, 'nothing after unwatching');
	assert.equal((await about('eng1', issue.number)).at(-1).state, 'reopened', 'the assignee, watching, hears of the reopen');
});

test('a private issue\'s change never notifies one who may not see it, even when it turns private in that write', async () => {
	const issue = await srv.createIssue({ title: uniq('turning private') }, 'pm1');
	await watch(issue.number, 'eng2');
	await watch(issue.number, 'cto1');
	assertStatus(await srv.patchIssue(issue.number, { type: 'security', priority: 'high' }, 'pm1'), 200);
	assert.deepEqual(await about('eng2', issue.number), [], 'eng2 may not see it now: told nothing');
	assert.deepEqual((await about('cto1', issue.number)).map((x) => x.changes), [['priority']], 'the CTO may see it');
	const sec = await srv.createIssue({ title: uniq('sec watched'), type: 'security' }, 'eng1');
	assertError(await as('eng2').call('PUT', `/api/v1/issues/${sec.number}/watch`), 404, 'not_found');
	assertStatus(await srv.patchIssue(sec.number, { priority: 'high' }, 'pm1'), 200);
	assert.deepEqual((await about('eng1', sec.number)).map((x) => x.kind), ['changed'], 'the reporter of a security issue sees it and hears of it');
	const home = (await as('eng2').get('/api/v1/home')).json;
	assert.ok(!home.watching.items.some((x) => [issue.number, sec.number].includes(x.issue.number)), 'nor on the home page');
});

test('home: the changes to issues I watch, newest first, read or not', async () => {
	const a = await srv.createIssue({ title: uniq('home watch a') }, 'pm1');
	const b = await srv.createIssue({ title: uniq('home watch b') }, 'pm1');
	await watch(a.number, 'em1');
	await watch(b.number, 'em1');
	assertStatus(await srv.patchIssue(a.number, { priority: 'medium' }, 'pm1'), 200);
	assertStatus(await srv.patchIssue(b.number, { state: 'closed' }, 'cto1'), 200);
	await comment(a.number, 'a comment is not a change', 'pm1');
	assertStatus(await as('em1').post('/api/v1/notifications/read', { all: true }), 200);
	const r = await as('em1').get('/api/v1/home');
	assertStatus(r, 200);
	const mine = r.json.watching.items.filter((x) => [a.number, b.number].includes(x.issue.number));
	assert.deepEqual(mine.map((x) => [x.issue.number, x.kind, x.actor, x.state, x.changes, x.read]), [
		[b.number, 'state', 'cto1', 'closed', ['state'], true],
		[a.number, 'changed', 'pm1', null, ['priority'], true],
	]);
	const other = (await as('eng2').get('/api/v1/home')).json.watching.items;
	assert.ok(!other.some((x) => [a.number, b.number].includes(x.issue.number)), 'not on the home of one who does not watch');
});

test('editing a comment to add @mentions tells only the newly mentioned users', async () => {
	const issue = await srv.createIssue({ title: uniq('edit mentions') }, 'pm1');
	const c = await comment(issue.number, 'ping @eng1', 'em1');
	assert.deepEqual((await about('eng1', issue.number)).map((x) => x.kind), ['mention']);
	const pmBefore = (await about('pm1', issue.number)).length;
	const r = await as('em1').patch(`/api/v1/comments/${c.id}`, { body: 'ping @eng1 and @eng2, cc @cto1' });
	assertStatus(r, 200);
	assert.deepEqual((await about('eng1', issue.number)).map((x) => x.kind), ['mention'], 'eng1 was told already');
	for (const who of ['eng2', 'cto1']) {
		const got = await about(who, issue.number);
		assert.deepEqual(got.map((x) => [x.kind, x.actor, x.comment]), [['mention', 'em1', c.id]], who);
	}
	assert.equal((await about('pm1', issue.number)).length, pmBefore, 'the watchers are not told of an edit');
	assert.ok((await watcherLogins(issue.number)).includes('eng2'), 'the newly mentioned watch it');
	// the same text again, or a mention removed: nobody new
	assertStatus(await as('em1').patch(`/api/v1/comments/${c.id}`, { body: 'ping @eng2, cc @cto1' }), 200);
	assert.equal((await about('eng2', issue.number)).length, 1);
	// a security issue: a newly mentioned engineer who may not see it is told nothing
	const sec = await srv.createIssue({ title: uniq('edit sec') }, 'pm1');
	assertStatus(await srv.patchIssue(sec.number, { type: 'security' }, 'pm1'), 200);
	const s = await comment(sec.number, 'details', 'pm1');
	assertStatus(await as('pm1').patch(`/api/v1/comments/${s.id}`, { body: 'details for @eng2 and @cto1' }), 200);
	assert.deepEqual(await about('eng2', sec.number), []);
	assert.deepEqual((await about('cto1', sec.number)).map((x) => x.kind), ['mention'], 'the CTO may see it');
	// a refused edit tells nobody
	const before = await srv.snapshot();
	assertError(await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: 'hijack @viewer1' }), 403, 'forbidden');
	await srv.assertUnchanged(before);
});

test('closing as a duplicate brings the watchers and the references to the issue kept, with history on both', async () => {
	const kept = await srv.createIssue({ title: uniq('kept') }, 'pm1');
	const dup = await srv.createIssue({ title: uniq('dup') }, 'eng1');
	await watch(dup.number, 'eng2');
	await watch(dup.number, 'em1');
	assertStatus(await as('em1').call('DELETE', `/api/v1/issues/${kept.number}/watch`), 200); // em1 unwatched the kept one
	const other = await srv.createIssue({ title: uniq('mentions dup') }, 'pm1');
	const c = await comment(other.number, `same as #${dup.number}`, 'cto1');
	const body = await srv.createIssue({ title: uniq('body ref'), body: `Blocked by #${dup.number}` }, 'em1');
	await duplicate(dup.number, kept.number);
	const w = await watcherLogins(kept.number);
	for (const who of ['eng1', 'eng2', 'pm1'])
		assert.ok(w.includes(who), `${who} watches the kept issue: ${w}`);
	assert.ok(!w.includes('em1'), 'one who unwatched the kept issue stays unwatched');
	assert.ok(!w.includes('cto1'), 'a commenter elsewhere is not a watcher');
	const back = await refs(kept.number, 'viewer1');
	assert.deepEqual(back.map((x) => [x.number, x.comment]).sort(), [[other.number, c.id], [body.number, null]].sort());
	assert.equal((await refs(dup.number)).length, 2, 'the duplicate keeps its own references');
	const hk = await history(kept.number);
	// eng1 (reporter) and eng2 newly watch it; pm1 already did
	assert.ok(hk.some((x) => x.field === 'watchers_from' && x.old === '2' && x.new === `#${dup.number}`), JSON.stringify(hk));
	assert.ok(hk.some((x) => x.field === 'references_from' && x.old === '2' && x.new === `#${dup.number}`), JSON.stringify(hk));
	const hd = await history(dup.number);
	assert.ok(hd.some((x) => x.field === 'watchers_moved' && x.new === '2'), JSON.stringify(hd));
	assert.ok(hd.some((x) => x.field === 'references_moved' && x.new === '2'), JSON.stringify(hd));
	// the watchers now hear of the kept issue
	assertStatus(await srv.patchIssue(kept.number, { priority: 'high' }, 'pm1'), 200);
	assert.deepEqual((await about('eng2', kept.number)).map((x) => x.changes), [['priority']]);
	// a later reference to the duplicate counts for the kept issue too, edits keep it
	const later = await comment(other.number, `also #${dup.number}`, 'eng1');
	assert.ok((await refs(kept.number)).some((x) => x.comment === later.id));
	assertStatus(await as('cto1').patch(`/api/v1/comments/${c.id}`, { body: `still the same as #${dup.number}` }), 200);
	assert.ok((await refs(kept.number)).some((x) => x.comment === c.id), 'an edit keeps the reference to the kept issue');
	// the comment links only the number it names
	const cm = (await as('admin').get(`/api/v1/comments/${c.id}`)).json;
	assert.ok(cm.references.some((x) => x.number === dup.number));
});

test('a duplicate merge shows no private issue to those who may not see it', async () => {
	// a private duplicate of a public issue: its number never shows on the kept one
	const kept = await srv.createIssue({ title: uniq('public kept') }, 'pm1');
	const sec = await srv.createIssue({ title: uniq('private dup'), type: 'security' }, 'eng1');
	await watch(sec.number, 'cto1');
	const pub = await srv.createIssue({ title: uniq('refers to sec') }, 'pm1');
	await comment(pub.number, `related: #${sec.number}`, 'pm1');
	await duplicate(sec.number, kept.number);
	const asEng2 = await history(kept.number, 'eng2');
	const row = asEng2.find((x) => x.field === 'watchers_from');
	assert.ok(row, JSON.stringify(asEng2));
	assert.notEqual(row.new, `#${sec.number}`, 'the private number is masked');
	assert.doesNotMatch(JSON.stringify(asEng2), new RegExp(`#${sec.number}\\b`));
	assert.ok((await history(kept.number, 'cto1')).some((x) => x.field === 'watchers_from' && x.new === `#${sec.number}`),
		'the CTO, who may see it, reads the number');
	// a public duplicate of a private issue: its watchers who may not see it do not follow
	const secKept = await srv.createIssue({ title: uniq('private kept'), type: 'security' }, 'pm1');
	const pubDup = await srv.createIssue({ title: uniq('public dup') }, 'em1');
	await watch(pubDup.number, 'eng2');
	await watch(pubDup.number, 'cto1');
	const ref = await comment(pub.number, `and #${pubDup.number}`, 'eng2');
	await duplicate(pubDup.number, secKept.number);
	const w = await watcherLogins(secKept.number);
	assert.ok(w.includes('cto1'), `those who may see it follow: ${w}`);
	assert.ok(!w.includes('eng2') && !w.includes('em1'), `those who may not see the private issue (an engineer, an EM reporter) do not watch it: ${w}`);
	assertError(await as('eng2').get(`/api/v1/issues/${secKept.number}/references`), 404, 'not_found');
	const cm = (await as('eng2').get(`/api/v1/comments/${ref.id}`)).json;
	assert.ok(!cm.references.some((x) => x.number === secKept.number), 'the comment does not reveal the private issue kept');
	assert.ok((await refs(secKept.number, 'cto1')).some((x) => x.comment === ref.id), 'the CTO sees the reference');
	const hd = await history(pubDup.number, 'eng2');
	assert.doesNotMatch(JSON.stringify(hd), new RegExp(`#?${secKept.number}"`), JSON.stringify(hd));
});
