/*
 * github.test.mjs — issue #16, GitHub into Cairn over real HTTP (docs/github.md):
 * repositories configured by an admin, signed webhook deliveries
 * (POST /hooks/github) with GitHub's own payload shapes (tests/fixtures/github/,
 * compacted from octokit/webhooks' payload examples), refused when the
 * signature is missing, wrong or the body tampered with, idempotent on the
 * delivery GUID, mapped onto issues, comments and milestones, and robust
 * against malformed, mistyped and oversized bodies.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';

const FIX = 'tests/fixtures/github';
const SECRET = 'hello-world-webhook-secret';
const OCTO_SECRET = 'octocoders-webhook-secret-2';
const srv = await startServer();
after(() => srv.kill());

const fixture = (name) => JSON.parse(fs.readFileSync(path.join(FIX, `${name}.json`), 'utf8'));
const sign = (body, secret = SECRET) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

/* POST a payload as GitHub does: raw body, event, GUID, signature (override
 * any of them; signature null sends none). */
async function deliver(event, payload, { guid = randomUUID(), secret = SECRET, signature, body } = {}) {
	const raw = body ?? (typeof payload === 'string' ? payload : JSON.stringify(payload));
	const headers = { 'X-GitHub-Event': event, 'X-GitHub-Delivery': guid, 'User-Agent': 'GitHub-Hookshot/test' };
	const sig = signature === undefined ? sign(raw, secret) : signature;
	if (sig !== null)
		headers['X-Hub-Signature-256'] = sig;
	const r = await srv.api('POST', '/hooks/github', { raw, headers });
	r.guid = guid;
	return r;
}

const admin = () => srv.as('admin');
const deliveries = async () => (await admin().get('/api/v1/github/deliveries', { query: { limit: '500' } })).json.items;

/* The Cairn issue linked to GitHub issue n of Hello-World, by its title. */
async function issueTitled(title) {
	const { items } = await srv.listAll();
	return items.filter((i) => i.title === title);
}

/* A fresh GitHub issue payload (a copy of the opened example) with a new number. */
let ghNumber = 100;
function ghIssue(fields = {}) {
	const p = fixture('issues.opened');
	const number = fields.number ?? ++ghNumber;
	Object.assign(p.issue, { number, html_url: `https://github.com/Codertocat/Hello-World/issues/${number}` }, fields);
	return p;
}

test('admins configure repositories; the secret and token are write-only', async () => {
	const r = await admin().post('/api/v1/github/repos', { full_name: 'Codertocat/Hello-World', secret: SECRET, token: 'ghp_sometoken' });
	assertStatus(r, 201);
	assert.equal(r.json.full_name, 'Codertocat/Hello-World');
	assert.equal(r.json.has_secret, true);
	assert.equal(r.json.has_token, true);
	assert.ok(!r.text.includes(SECRET) && !r.text.includes('ghp_sometoken'), 'never shown back');
	const o = await admin().post('/api/v1/github/repos', { full_name: 'Octocoders/Hello-World', secret: OCTO_SECRET });
	assertStatus(o, 201);
	assert.equal(o.json.has_token, false);
	const list = await admin().get('/api/v1/github/repos');
	assertStatus(list, 200);
	assert.deepEqual(list.json.items.map((x) => x.full_name), ['Codertocat/Hello-World', 'Octocoders/Hello-World']);
	assert.ok(!list.text.includes(SECRET) && !list.text.includes(OCTO_SECRET));

	const before = await srv.snapshot();
	assertError(await admin().post('/api/v1/github/repos', { full_name: 'codertocat/hello-world', secret: SECRET }), 409, 'conflict', 'full_name');
	assertError(await admin().post('/api/v1/github/repos', { full_name: 'no-slash', secret: SECRET }), 422, 'invalid_field', 'full_name');
	assertError(await admin().post('/api/v1/github/repos', { full_name: 'a/b', secret: 'short' }), 422, 'invalid_field', 'secret');
	assertError(await admin().post('/api/v1/github/repos', { full_name: 'a/b' }), 422, 'invalid_field', 'secret');
	assertError(await admin().post('/api/v1/github/repos', { full_name: 'a/b', secret: SECRET, area: 999 }), 422, 'invalid_field', 'area');
	assertError(await admin().post('/api/v1/github/repos', { full_name: 'a/b', secret: SECRET, color: 'x' }), 422, 'invalid_field', 'color');
	for (const who of ['pm1', 'cto1', 'eng1', 'viewer1']) {
		assertError(await srv.as(who).post('/api/v1/github/repos', { full_name: 'x/y', secret: SECRET }), 403, 'forbidden');
		assertError(await srv.as(who).get('/api/v1/github/repos'), 403, 'forbidden');
		assertError(await srv.as(who).get('/api/v1/github/deliveries'), 403, 'forbidden');
	}
	await srv.assertUnchanged(before);
	assert.equal((await admin().get('/api/v1/github/repos')).json.items.length, 2);
});

test('a missing, wrong or tampered signature is 401 and stores nothing', async () => {
	const p = ghIssue({ title: 'Signed or nothing' });
	const body = JSON.stringify(p);
	const before = await srv.snapshot();
	const seen = await deliveries();
	assertError(await deliver('issues', p, { signature: null }), 401, 'unauthorized', 'X-Hub-Signature-256');
	assertError(await deliver('issues', p, { secret: 'not-the-secret-at-all' }), 401, 'unauthorized');
	assertError(await deliver('issues', p, { signature: 'sha256=' + '0'.repeat(64) }), 401, 'unauthorized');
	assertError(await deliver('issues', p, { signature: 'sha1=' + 'a'.repeat(40) }), 401, 'unauthorized');
	assertError(await deliver('issues', p, { signature: sign(body).toUpperCase() }), 401, 'unauthorized');
	// signed, then one byte of the body changed
	const tampered = body.replace('Signed or nothing', 'Signed or n0thing');
	assertError(await deliver('issues', null, { body: tampered, signature: sign(body) }), 401, 'unauthorized');
	// a repository Cairn does not know, signed with a known secret
	const other = JSON.parse(body);
	other.repository.full_name = 'Someone/Else';
	other.repository.id = 42;
	assertError(await deliver('issues', other), 401, 'unauthorized');
	// the other repository's secret does not sign this one's payloads
	assertError(await deliver('issues', p, { secret: OCTO_SECRET }), 401, 'unauthorized');
	// not JSON at all, unsigned
	assertError(await deliver('issues', null, { body: '{"nope', signature: null }), 401, 'unauthorized');
	// every documented example payload: missing, wrong and tampered signatures
	for (const f of fs.readdirSync(FIX).filter((x) => x.endsWith('.json'))) {
		const event = f.split('.')[0];
		const raw = fs.readFileSync(path.join(FIX, f), 'utf8');
		const secret = raw.includes('"full_name":"Octocoders/Hello-World"') ? OCTO_SECRET : SECRET;
		const changed = raw.trimEnd().replace(/}$/, ',"zz_tampered":true}');
		for (const [body, signature, why] of [[raw, null, 'missing'], [raw, sign(raw, 'wrong-secret-wrong-secret'), 'wrong'], [changed, sign(raw, secret), 'tampered']]) {
			const r = await deliver(event, null, { body, signature });
			assert.equal(r.status, 401, `${f}, ${why} signature: ${show(r)}`);
			assert.match(r.json.error.message, why === 'missing' ? /missing/ : /does not match/, `${f}, ${why}`);
		}
	}
	await srv.assertUnchanged(before);
	assert.deepEqual(await deliveries(), seen, 'no delivery recorded');
	assert.equal((await issueTitled('Signed or nothing')).length, 0);
});

test('every documented example payload is accepted with a valid signature and mapped (no 5xx)', async () => {
	const files = fs.readdirSync(FIX).filter((f) => f.endsWith('.json')).sort((a, b) => {
		// opened first, so the rest find the issue; repository renames last
		const rank = (f) => (f.startsWith('issues.opened') ? 0 : f.startsWith('repository.') ? 2 : 1);
		return rank(a) - rank(b) || a.localeCompare(b);
	});
	assert.ok(files.length >= 40, `${files.length} fixtures`);
	// the transferred example comes from another repository of its own
	assertStatus(await admin().post('/api/v1/github/repos', { full_name: 'octo-org/octo-repo', secret: SECRET }), 201);
	const results = {};
	for (const f of files) {
		const event = f.split('.')[0];
		const payload = JSON.parse(fs.readFileSync(path.join(FIX, f), 'utf8'));
		const secret = payload.repository?.full_name === 'Octocoders/Hello-World' ? OCTO_SECRET : SECRET;
		const r = await deliver(event, payload, { secret });
		assert.ok([200, 202].includes(r.status), `${f}: ${show(r)}`);
		results[f] = r.json.result;
	}
	assert.equal(results['issues.opened.json'], 'applied');
	assert.equal(results['ping.payload.json'], 'ping');
	assert.equal(results['issue_comment.created.json'], 'applied');
	assert.equal(results['milestone.created.json'], 'applied');
	assert.equal(results['issues.labeled.json'], 'applied');
	assert.equal(results['pull_request.opened.json'], 'ignored');
	assert.equal(results['pull_request.closed.json'], 'unchanged', 'not merged: nothing to do');
	assert.equal(results['repository.renamed.json'], 'unchanged', 'the example keeps its name');
	assert.equal(results['issues.transferred.json'], 'unchanged', 'an issue Cairn never saw');
	for (const f of files.filter((x) => /^(issues|issue_comment|label|milestone)\./.test(x)))
		assert.notEqual(results[f], 'ignored', `${f}: every documented action of these events is mapped`);
	const [one] = await issueTitled('Spelling error in the README file');
	assert.ok(one, 'the example issue is in Cairn');
	const log = await deliveries();
	assert.ok(log.length >= Object.keys(results).length);
	for (const d of log)
		assert.ok(['applied', 'unchanged', 'ignored', 'ping'].includes(d.result), JSON.stringify(d));
});

test('an issue opened on GitHub lands in the triage inbox with its labels mapped', async () => {
	await admin().post('/api/v1/github/logins', { github: 'octo-eng', user: 'eng1' });
	const p = ghIssue({
		title: 'Search is slow on big repos',
		body: 'Takes 10 s.',
		labels: ['bug', '3', 'priority:high', 'area:search', 'Customer Request', 'needs-triage', 'scope:api'].map((name, id) => ({ id, name, color: 'fff' })),
		assignees: [{ login: 'someone-unknown' }, { login: 'Octo-Eng' }],
		milestone: { ...fixture('issues.milestoned').issue.milestone, title: 'GH 2.31' },
	});
	const r = await deliver('issues', p);
	assertStatus(r, 200);
	assert.equal(r.json.result, 'applied');
	const [i] = await issueTitled('Search is slow on big repos');
	assert.equal(i.type, 'bug');
	assert.equal(i.pm_size, 3);
	assert.equal(i.priority, 'high');
	assert.deepEqual(i.labels, ['Customer Request', 'area:search', 'needs-triage', 'scope:api']);
	assert.equal(i.assignee, 'eng1', 'the first mapped login');
	assert.equal(i.milestone_title, 'GH 2.31', 'a milestone by title, created');
	assert.equal(i.board, 'no_status');
	assert.notEqual(i.number, p.issue.number, "Cairn's own number");
	// the GitHub side, for anyone who may read the issue
	const gl = await srv.as('viewer1').get(`/api/v1/issues/${i.number}/github`);
	assertStatus(gl, 200);
	assert.deepEqual(gl.json.link, { repository: 'Codertocat/Hello-World', number: p.issue.number, url: p.issue.html_url, deleted: false });
	assert.equal(gl.json.sync, 'none', 'nothing sent back: GitHub made the change');
	const plain = await srv.createIssue({ title: 'Only in Cairn' });
	assert.equal((await srv.as('viewer1').get(`/api/v1/issues/${plain.number}/github`)).json.link, null);
	assertError(await srv.as('viewer1').get('/api/v1/issues/999999/github'), 404, 'not_found');
	const inbox = await admin().get('/api/v1/triage', { query: { per_page: '100' } });
	assert.ok(inbox.json.items.some((x) => x.number === i.number), 'in the triage inbox');

	// a redelivery of the same GUID changes nothing
	const before = await srv.snapshot([i.number]);
	const again = await deliver('issues', p, { guid: r.guid });
	assertStatus(again, 200);
	assert.equal(again.json.result, 'duplicate');
	await srv.assertUnchanged(before, [i.number], 'a redelivery changes nothing');
});

test('closed as completed or not planned, reopened, edited, assigned', async () => {
	const p = ghIssue({ title: 'Close me twice' });
	assertStatus(await deliver('issues', p), 200);
	const [i] = await issueTitled('Close me twice');
	p.action = 'closed';
	Object.assign(p.issue, { state: 'closed', state_reason: 'not_planned', closed_at: '2026-12-07T11:00:00Z' });
	assertStatus(await deliver('issues', p), 200);
	let g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.equal(g.state, 'closed');
	assert.match(g.close_reason, /won't do/);
	p.action = 'reopened';
	Object.assign(p.issue, { state: 'open', state_reason: 'reopened', closed_at: null });
	assertStatus(await deliver('issues', p), 200);
	g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.equal(g.state, 'open');
	assert.equal(g.close_reason, null);
	p.action = 'closed';
	Object.assign(p.issue, { state: 'closed', state_reason: 'completed' });
	assertStatus(await deliver('issues', p), 200);
	g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.equal(g.state, 'closed');
	assert.equal(g.close_reason, null, 'done, not won\'t do');
	p.action = 'reopened';
	Object.assign(p.issue, { state: 'open', state_reason: 'reopened' });
	assertStatus(await deliver('issues', p), 200);
	p.action = 'closed';
	Object.assign(p.issue, { state: 'closed', state_reason: 'duplicate' });
	assertStatus(await deliver('issues', p), 200);
	g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.match(g.close_reason, /won't do: a duplicate/);
	p.action = 'edited';
	Object.assign(p.issue, { title: 'Closed, renamed', body: 'New body' });
	assertStatus(await deliver('issues', p), 200);
	g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.equal(g.title, 'Closed, renamed');
	assert.equal(g.body, 'New body');
	const h = (await admin().get(`/api/v1/issues/${i.number}/history`)).json.items;
	assert.ok(h.some((x) => x.field === 'title' && x.actor === 'github'), 'history says GitHub did it');
});

test('labels and milestone: last writer wins by time, the loser is in the history', async () => {
	const p = ghIssue({ title: 'Who wins', updated_at: '2026-12-07T10:00:00Z', labels: [{ name: 'blocked' }] });
	assertStatus(await deliver('issues', p), 200);
	const [i] = await issueTitled('Who wins');
	assert.deepEqual(i.labels, ['blocked']);
	// Cairn changes the labels at 12:00 (CAIRN_NOW)
	assertStatus(await srv.patchIssue(i.number, { labels: ['headline'] }), 200);
	// GitHub's change of 11:00 arrives later: Cairn's newer change stands
	p.action = 'labeled';
	Object.assign(p.issue, { updated_at: '2026-12-07T11:00:00Z', labels: [{ name: 'blocked' }, { name: 'good first issue' }] });
	assertStatus(await deliver('issues', p), 200);
	let g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.deepEqual(g.labels, ['headline']);
	let h = (await admin().get(`/api/v1/issues/${i.number}/history`)).json.items;
	const lost = h.find((x) => x.field === 'github_labels');
	assert.ok(lost, `the GitHub value is recorded: ${JSON.stringify(h)}`);
	assert.equal(lost.old, 'headline');
	assert.equal(lost.new, 'blocked, good first issue');
	// a GitHub change after Cairn's applies
	Object.assign(p.issue, { updated_at: '2026-12-07T13:00:00Z' });
	assertStatus(await deliver('issues', p), 200);
	g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.deepEqual(g.labels, ['blocked', 'good first issue']);
	h = (await admin().get(`/api/v1/issues/${i.number}/history`)).json.items;
	assert.ok(h.some((x) => x.field === 'labels' && x.old === 'headline'), 'Cairn\'s value is in the history');
});

test('comments: created, edited and deleted on GitHub follow into Cairn', async () => {
	const c = fixture('issue_comment.created');
	const p = ghIssue({ title: 'Talk about it' });
	assertStatus(await deliver('issues', p), 200);
	const [i] = await issueTitled('Talk about it');
	c.issue = p.issue;
	c.comment = { ...c.comment, id: 9001, body: 'First!' };
	assertStatus(await deliver('issue_comment', c), 200);
	let list = (await admin().get(`/api/v1/issues/${i.number}/comments`)).json.items;
	assert.equal(list.length, 1);
	assert.match(list[0].body, /First!/);
	assert.match(list[0].body, /Codertocat/);
	// redelivered under a new GUID: still one comment
	assertStatus(await deliver('issue_comment', c), 200);
	c.action = 'edited';
	c.comment.body = 'First, edited';
	assertStatus(await deliver('issue_comment', c), 200);
	list = (await admin().get(`/api/v1/issues/${i.number}/comments`)).json.items;
	assert.equal(list.length, 1);
	assert.match(list[0].body, /First, edited/);
	c.action = 'deleted';
	assertStatus(await deliver('issue_comment', c), 200);
	list = (await admin().get(`/api/v1/issues/${i.number}/comments`)).json.items;
	assert.ok(list.every((x) => !/First/.test(x.body || '')), JSON.stringify(list));
});

test('a merged pull request that says "fixes #N" moves the issue to Done', async () => {
	const p = ghIssue({ title: 'Fix me by PR' });
	assertStatus(await deliver('issues', p), 200);
	const [i] = await issueTitled('Fix me by PR');
	const pr = fixture('pull_request.closed');
	pr.pull_request.merged = true;
	pr.pull_request.body = `This fixes #${p.issue.number} and closes #99999.`;
	const r = await deliver('pull_request', pr);
	assertStatus(r, 200);
	assert.equal(r.json.result, 'applied');
	const g = (await admin().get(`/api/v1/issues/${i.number}`)).json;
	assert.equal(g.dev_status, 'done');
	assert.equal(g.state, 'closed');
});

test('label renamed and deleted, milestone renamed, repository renamed', async () => {
	const p = ghIssue({ title: 'Relabel me', updated_at: '2026-12-07T13:00:00Z', labels: [{ name: 'old-name' }] });
	assertStatus(await deliver('issues', p), 200);
	const [i] = await issueTitled('Relabel me');
	const le = fixture('label.edited');
	le.label.name = 'new-name';
	le.changes = { name: { from: 'old-name' } };
	assertStatus(await deliver('label', le), 200);
	assert.deepEqual((await admin().get(`/api/v1/issues/${i.number}`)).json.labels, ['new-name']);
	const ld = fixture('label.deleted');
	ld.label.name = 'new-name';
	assertStatus(await deliver('label', ld), 200);
	assert.deepEqual((await admin().get(`/api/v1/issues/${i.number}`)).json.labels, []);

	const me = fixture('milestone.created');
	me.action = 'edited';
	me.milestone.title = 'v1.0 renamed';
	me.changes = { title: { from: 'v1.0' } };
	assertStatus(await deliver('milestone', me), 200);
	const ms = (await admin().get('/api/v1/milestones')).json;
	const titles = JSON.stringify(ms);
	assert.ok(titles.includes('v1.0 renamed') && !titles.includes('"v1.0"'), titles.slice(0, 500));

	const rn = fixture('repository.renamed');
	rn.repository.full_name = 'Octocoders/Hello-Universe';
	rn.repository.name = 'Hello-Universe';
	rn.repository.html_url = 'https://github.com/Octocoders/Hello-Universe';
	const r = await deliver('repository', rn, { secret: OCTO_SECRET });
	assertStatus(r, 200);
	assert.equal(r.json.result, 'applied');
	const names = (await admin().get('/api/v1/github/repos')).json.items.map((x) => x.full_name);
	assert.ok(names.includes('Octocoders/Hello-Universe'), names.join());
});

test('unknown events and actions: 202, logged; an admin can re-process a delivery', async () => {
	const r = await deliver('star', { action: 'created', repository: fixture('issues.opened').repository });
	assertStatus(r, 202);
	assert.equal(r.json.result, 'ignored');
	const u = ghIssue({ title: 'Odd action' });
	u.action = 'sparkled';
	assertStatus(await deliver('issues', u), 202);
	const log = await deliveries();
	const star = log.find((d) => d.id === r.json.delivery);
	assert.equal(star.event, 'star');
	assert.equal(star.result, 'ignored');
	assert.equal(star.repository, 'Codertocat/Hello-World');
	const again = await admin().post(`/api/v1/github/deliveries/${r.json.delivery}/reprocess`);
	assertStatus(again, 202);
	assert.equal((await deliveries()).find((d) => d.id === r.json.delivery).attempts, 2);
	assertError(await srv.as('pm1').post(`/api/v1/github/deliveries/${r.json.delivery}/reprocess`), 403, 'forbidden');
	assertError(await admin().post('/api/v1/github/deliveries/999999/reprocess'), 404, 'not_found');
});

test('a transferred issue: its link follows it to a repository Cairn knows', async () => {
	const p = ghIssue({ title: 'Move me' });
	assertStatus(await deliver('issues', p), 200);
	const [i] = await issueTitled('Move me');
	const octo = fixture('issues.transferred');
	const t = JSON.parse(JSON.stringify(p));
	t.action = 'transferred';
	t.changes = { new_issue: { ...p.issue, number: 77, html_url: 'https://github.com/octo-org/octo-repo/issues/77' }, new_repository: octo.repository };
	assertStatus(await deliver('issues', t), 200);
	let gl = (await admin().get(`/api/v1/issues/${i.number}/github`)).json;
	assert.deepEqual(gl.link, { repository: 'octo-org/octo-repo', number: 77, url: 'https://github.com/octo-org/octo-repo/issues/77', deleted: false });
	// the next event comes from the new repository, about #77: the same issue
	const e2 = fixture('issues.edited');
	e2.repository = octo.repository;
	e2.issue = { ...t.changes.new_issue, title: 'Moved and renamed' };
	assertStatus(await deliver('issues', e2), 200);
	assert.equal((await issueTitled('Moved and renamed')).length, 1);
	assert.equal((await issueTitled('Move me')).length, 0);
	// to a repository Cairn does not know: the link keeps the new URL, marked gone
	const q = ghIssue({ title: 'Gone elsewhere' });
	assertStatus(await deliver('issues', q), 200);
	const [j] = await issueTitled('Gone elsewhere');
	const t2 = JSON.parse(JSON.stringify(q));
	t2.action = 'transferred';
	t2.changes = { new_issue: { ...q.issue, number: 5, html_url: 'https://github.com/else/where/issues/5' }, new_repository: { id: 999, full_name: 'else/where' } };
	assertStatus(await deliver('issues', t2), 200);
	gl = (await admin().get(`/api/v1/issues/${j.number}/github`)).json;
	assert.equal(gl.link.url, 'https://github.com/else/where/issues/5');
	assert.equal(gl.link.number, q.issue.number, 'its old number stays taken: no other link is disturbed');
	assert.equal(gl.link.deleted, true);
});

test('a repository mapped onto an area: its issues carry the area, its epics are placed in it', async () => {
	const pillar = await admin().post('/api/v1/pillars', { name: 'Platform' });
	assertStatus(pillar, 201);
	const area = await admin().post('/api/v1/areas', { pillar: pillar.json.id, name: 'search' });
	assertStatus(area, 201);
	const repo = (await admin().get('/api/v1/github/repos')).json.items.find((r) => r.full_name === 'Codertocat/Hello-World');
	const set = await admin().patch(`/api/v1/github/repos/${repo.id}`, { area: area.json.id });
	assertStatus(set, 200);
	assert.deepEqual(set.json.area, { id: area.json.id, name: 'search' });
	assert.equal(set.json.has_secret, true, 'the secret stays');
	assertStatus(await deliver('issues', ghIssue({ title: 'An epic of search', labels: [{ name: 'epic' }] })), 200);
	assertStatus(await deliver('issues', ghIssue({ title: 'Billing, really', labels: [{ name: 'area:billing' }] })), 200);
	const [epic] = await issueTitled('An epic of search');
	assert.equal(epic.type, 'epic');
	assert.equal(epic.area, area.json.id);
	assert.deepEqual(epic.labels, ['area:search']);
	const [other] = await issueTitled('Billing, really');
	assert.deepEqual(other.labels, ['area:billing'], 'GitHub\'s own area label wins');
	assertStatus(await admin().patch(`/api/v1/github/repos/${repo.id}`, { area: null }), 200);
});

test('fuzz: malformed JSON, wrong types and huge arrays are refused without a 5xx or a partial write', async () => {
	const before = await srv.snapshot();
	const base = JSON.stringify(ghIssue({ title: 'Fuzzed' }));
	const cases = [];
	// signed but not JSON / not an object
	for (const b of ['', '{', '[]', 'null', '"x"', base.slice(0, base.length - 1), base + 'x'])
		cases.push(b);
	// wrong types where mapped fields live
	const mut = (f) => { const p = JSON.parse(base); f(p); return JSON.stringify(p); };
	cases.push(mut((p) => { p.issue.number = '7'; }));
	cases.push(mut((p) => { p.issue.number = -1; }));
	cases.push(mut((p) => { p.issue.title = 5; }));
	cases.push(mut((p) => { p.issue.labels = 'bug'; }));
	cases.push(mut((p) => { p.issue.labels = [{ name: 3 }]; }));
	cases.push(mut((p) => { p.issue.state = 'maybe'; }));
	cases.push(mut((p) => { p.issue.milestone = { title: 12 }; }));
	cases.push(mut((p) => { p.issue.assignees = [1, 2]; }));
	cases.push(mut((p) => { p.issue.updated_at = 'yesterday'; }));
	cases.push(mut((p) => { p.issue.html_url = 'javascript:alert(1)'; }));
	cases.push(mut((p) => { p.issue = []; }));
	cases.push(mut((p) => { delete p.issue; }));
	cases.push(mut((p) => { p.issue.labels = Array.from({ length: 20000 }, (_, k) => ({ name: `l${k}` })); }));
	cases.push(mut((p) => { p.issue.body = 'x'.repeat(900000); p.issue.title = 'y'.repeat(5000); p.issue.number = 7777; }));
	for (let k = 0; k < 50; k++) // random byte flips, re-signed
		cases.push(base.split('').map((ch, i) => (i % 97 === k ? String.fromCharCode(33 + ((ch.charCodeAt(0) * 7 + k) % 90)) : ch)).join(''));
	let accepted = 0;
	for (const body of cases) {
		const r = await deliver('issues', null, { body });
		assert.ok(r.status < 500, `no 5xx: ${show(r)}`);
		if (r.status === 200)
			accepted++;
	}
	// a huge body is 413 before anything is read
	const huge = JSON.stringify({ ...JSON.parse(base), pad: Array.from({ length: 300000 }, () => 'xyzw') });
	const h = await srv.raw({ method: 'POST', path: '/hooks/github', body: Buffer.from(huge), headers: {
		'Content-Type': 'application/json', 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': randomUUID(),
		'X-Hub-Signature-256': sign(huge) } });
	assert.equal(h.status, 413, h.error || h.text);
	const after = await srv.snapshot();
	// only deliveries that were valid issues may have added an issue (the long one, cut to Cairn's limits)
	const added = after.items.filter((i) => !before.items.some((b) => b.number === i.number));
	assert.ok(added.length <= accepted, `${added.length} added, ${accepted} accepted`);
	for (const i of added)
		assert.ok(i.title.length <= 256, 'cut to Cairn\'s title limit');
	const failed = (await deliveries()).filter((d) => d.result === 'failed');
	assert.ok(failed.length > 0, 'mapping failures are recorded');
});

test('server shuts down cleanly', () => srv.stop());
