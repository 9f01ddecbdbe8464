/*
 * comments.test.mjs — comments on issues over real HTTP (docs/API.md
 * "Comments"): create, list, edit with its history, soft delete by the
 * author or an admin, who may do what (403 in the permission table's
 * words for a viewer, 403 for another's edit with nothing changed), 422s
 * naming the field, 404s, @mentions resolved to users, #N references and
 * the "mentioned in" list, and privacy: a security issue's comments are
 * 404 to those who may not see it, a reference to it shows no title to
 * them, and its comments never appear among a public issue's references.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());

const as = (login) => srv.as(login);
const comments = async (n, login = 'admin') => {
	const r = await as(login).get(`/api/v1/issues/${n}/comments`);
	assertStatus(r, 200);
	return r.json.items;
};
const refs = async (n, login = 'admin') => {
	const r = await as(login).get(`/api/v1/issues/${n}/references`);
	assertStatus(r, 200);
	return r.json.items;
};
async function add(n, body, login = 'eng1') {
	const r = await as(login).post(`/api/v1/issues/${n}/comments`, { body });
	assertStatus(r, 201);
	assert.equal(r.headers.get('etag'), `"${r.json.version}"`, show(r));
	assert.equal(r.headers.get('location'), `/api/v1/comments/${r.json.id}`, show(r));
	return r.json;
}
/* A comment and its history as the admin reads them: for "nothing changed". */
async function state(id) {
	const c = await as('admin').get(`/api/v1/comments/${id}`);
	const h = await as('admin').get(`/api/v1/comments/${id}/history`);
	return { status: c.status, comment: c.json, etag: c.headers.get('etag'), history: h.json };
}

test('create, read and list: markdown rendered safely, author, times, no edits yet', async () => {
	const issue = await srv.createIssue({ title: uniq('conv') });
	const c = await add(issue.number, 'First **look**: <script>alert(1)</script> [x](javascript:alert(1))');
	assert.equal(c.issue, issue.number);
	assert.equal(c.author, 'eng1');
	assert.match(c.body_html, /<strong>look<\/strong>/);
	assert.doesNotMatch(c.body_html, /<script|javascript:/);
	assert.match(c.created_at, ISO_RE);
	assert.equal(c.updated_at, c.created_at);
	assert.deepEqual([c.edited, c.edits, c.deleted, c.deleted_by, c.deleted_at, c.version], [false, 0, false, null, null, 1]);
	const c2 = await add(issue.number, 'second', 'pm1');
	const list = await comments(issue.number, 'viewer1');
	assert.deepEqual(list.map((x) => [x.id, x.author]), [[c.id, 'eng1'], [c2.id, 'pm1']], 'oldest first, readable by a viewer');
	const one = await as('viewer1').get(`/api/v1/comments/${c.id}`);
	assertStatus(one, 200);
	assert.deepEqual(one.json, c);
	assert.equal(one.headers.get('etag'), '"1"');
});

test('edit: the author only, every edit kept in the history with the old text, who and when', async () => {
	const issue = await srv.createIssue({ title: uniq('edit') });
	const c = await add(issue.number, 'v1 text');
	const r1 = await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: 'v2 text' }, { headers: { 'If-Match': '"1"' } });
	assertStatus(r1, 200);
	assert.deepEqual([r1.json.body, r1.json.edited, r1.json.edits, r1.json.version], ['v2 text', true, 1, 2]);
	assert.equal(r1.headers.get('etag'), '"2"');
	const r2 = await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: 'v3 text' });
	assertStatus(r2, 200);
	const h = await as('viewer1').get(`/api/v1/comments/${c.id}/history`);
	assertStatus(h, 200);
	assert.deepEqual(h.json.items.map((x) => [x.actor, x.field, x.old, x.new]),
		[['eng1', 'body', 'v1 text', 'v2 text'], ['eng1', 'body', 'v2 text', 'v3 text']], show(h));
	assert.match(h.json.items[0].at, ISO_RE);

	const before = await state(c.id);
	assertError(await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: 'stale' }, { headers: { 'If-Match': '"1"' } }), 412, 'stale_version');
	for (const login of ['eng2', 'pm1', 'admin'])
		assertError(await as(login).patch(`/api/v1/comments/${c.id}`, { body: 'not mine' }), 403, 'forbidden');
	assertError(await as('eng2').del(`/api/v1/comments/${c.id}`), 403, 'forbidden');
	assert.deepEqual(await state(c.id), before, 'a refused edit or delete changes nothing');
	const same = await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: 'v3 text' });
	assertStatus(same, 200);
	assert.equal(same.json.version, before.comment.version, 'the same text is no edit');
});

test('delete: by the author or an admin; a placeholder stays, the text and history go', async () => {
	const issue = await srv.createIssue({ title: uniq('del') });
	const a = await add(issue.number, 'oops, a secret');
	await as('eng1').patch(`/api/v1/comments/${a.id}`, { body: 'oops, still a secret' });
	const b = await add(issue.number, 'spam from eng2', 'eng2');
	assertStatus(await as('eng1').del(`/api/v1/comments/${a.id}`), 204);
	assertStatus(await as('admin').del(`/api/v1/comments/${b.id}`), 204);
	const list = await comments(issue.number);
	assert.deepEqual(list.map((x) => [x.id, x.deleted, x.deleted_by, x.body, x.body_html]),
		[[a.id, true, 'eng1', '', ''], [b.id, true, 'admin', '', '']]);
	assert.match(list[0].deleted_at, ISO_RE);
	const h = await as('admin').get(`/api/v1/comments/${a.id}/history`);
	assert.deepEqual(h.json.items, [], 'the old text is not kept in the history either');
	assertError(await as('eng1').patch(`/api/v1/comments/${a.id}`, { body: 'back' }), 409, 'conflict');
	assertError(await as('eng1').del(`/api/v1/comments/${a.id}`), 409, 'conflict');
});

test('a viewer may not comment: 403 in the permission table words; nothing is created', async () => {
	const issue = await srv.createIssue({ title: uniq('view') });
	const c = await add(issue.number, 'hello');
	const before = await srv.snapshot([issue.number]);
	const r = await as('viewer1').post(`/api/v1/issues/${issue.number}/comments`, { body: 'me too' });
	assertError(r, 403, 'forbidden');
	assert.equal(r.json.error.message,
		'only admins, PMs, CTOs, EMs and engineers may comment on issues and edit or delete their own comments (you are viewer)');
	assertError(await as('viewer1').patch(`/api/v1/comments/${c.id}`, { body: 'x' }), 403, 'forbidden');
	assertError(await as('viewer1').del(`/api/v1/comments/${c.id}`), 403, 'forbidden');
	await srv.assertUnchanged(before, [issue.number]);
	assert.equal((await comments(issue.number)).length, 1);
});

test('422 naming the field, 404 for unknown issues and comments', async () => {
	const issue = await srv.createIssue({ title: uniq('bad') });
	const c = await add(issue.number, 'fine');
	const url = `/api/v1/issues/${issue.number}/comments`;
	assertError(await as('eng1').post(url, {}), 422, 'invalid_field', 'body');
	assertError(await as('eng1').post(url, { body: '' }), 422, 'invalid_field', 'body');
	assertError(await as('eng1').post(url, { body: ' \n\t ' }), 422, 'invalid_field', 'body');
	assertError(await as('eng1').post(url, { body: 'x'.repeat(65537) }), 422, 'invalid_field', 'body');
	assertError(await as('eng1').post(url, { body: 5 }), 422, 'invalid_field', 'body');
	assertError(await as('eng1').post(url, { body: 'ok', extra: 1 }), 422, 'invalid_field', 'extra');
	assertError(await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: null }), 422, 'invalid_field', 'body');
	assertError(await as('eng1').patch(`/api/v1/comments/${c.id}`, { text: 'x' }), 422, 'invalid_field', 'text');
	assertStatus(await as('eng1').post(url, { body: 'x'.repeat(65536) }), 201);
	assertError(await as('eng1').post('/api/v1/issues/999999/comments', { body: 'x' }), 404, 'not_found');
	assertError(await as('eng1').get('/api/v1/issues/999999/comments'), 404, 'not_found');
	assertError(await as('eng1').get('/api/v1/issues/999999/references'), 404, 'not_found');
	for (const [m, body] of [['get'], ['patch', { body: 'x' }], ['del']])
		assertError(await as('eng1')[m]('/api/v1/comments/999999', ...(body ? [body] : [])), 404, 'not_found');
	assertError(await as('eng1').get('/api/v1/comments/999999/history'), 404, 'not_found');
});

test('@mentions resolve to users; unknown logins, mail addresses and code stay text', async () => {
	const issue = await srv.createIssue({ title: uniq('mention') });
	const c = await add(issue.number, '@pm1 and @EM1, see this. Not @nobody-here, not x@cto1.org, not `@cto1`; @eng2.');
	assert.deepEqual(c.mentions, ['em1', 'eng2', 'pm1']);
	const r = await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: 'only @cto1 now' });
	assert.deepEqual(r.json.mentions, ['cto1'], 'an edit re-reads the mentions');
});

test('#N references: recorded both ways, re-read on edit, gone on delete', async () => {
	const target = await srv.createIssue({ title: uniq('target') });
	const from = await srv.createIssue({ title: uniq('from') });
	const c = await add(from.number, `Same root cause as #${target.number} (not #999999, not &#35; or #${from.number} itself).`);
	assert.deepEqual(c.references, [{ number: target.number, title: target.title }]);
	const back = await refs(target.number, 'viewer1');
	assert.equal(back.length, 1);
	assert.deepEqual([back[0].number, back[0].title, back[0].comment, back[0].author], [from.number, from.title, c.id, 'eng1']);
	assert.match(back[0].at, ISO_RE);
	await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: 'no reference any more' });
	assert.deepEqual(await refs(target.number), []);
	await as('eng1').patch(`/api/v1/comments/${c.id}`, { body: `back to #${target.number}` });
	assert.equal((await refs(target.number)).length, 1);
	await as('eng1').del(`/api/v1/comments/${c.id}`);
	assert.deepEqual(await refs(target.number), [], 'a deleted comment references nothing');
});

test('#N in an issue body: recorded on create and edit, listed with comment null', async () => {
	const target = await srv.createIssue({ title: uniq('btarget') });
	const other = await srv.createIssue({ title: uniq('bother') });
	const src = await srv.createIssue({ title: uniq('bsrc'), body: `Blocked by #${target.number}; see also #${target.number}.` }, 'eng1');
	let back = await refs(target.number, 'viewer1');
	assert.deepEqual(back.map((x) => [x.number, x.title, x.comment, x.author]), [[src.number, src.title, null, 'eng1']]);
	assert.match(back[0].at, ISO_RE);
	const c = await add(other.number, `and #${target.number}`);
	back = await refs(target.number);
	assert.deepEqual(back.map((x) => [x.number, x.comment]), [[src.number, null], [other.number, c.id]], 'oldest first');
	assertStatus(await srv.patchIssue(src.number, { body: 'no longer blocked' }, 'eng1'), 200);
	assert.deepEqual((await refs(target.number)).map((x) => x.number), [other.number], 'an edited body drops its references');
	assertStatus(await srv.patchIssue(src.number, { title: 'renamed only' }, 'eng1'), 200);
	assert.deepEqual((await refs(target.number)).map((x) => x.number), [other.number]);
	const sec = await srv.createIssue({ title: uniq('bsec'), type: 'security', body: `Exploit path goes through #${target.number}` }, 'pm1');
	assert.deepEqual((await refs(target.number, 'eng1')).map((x) => x.number), [other.number], 'a private body is not listed for an engineer');
	assert.deepEqual((await refs(target.number, 'cto1')).map((x) => x.number).sort((x, y) => x - y), [other.number, sec.number]);
});

test('privacy: a security issue\'s comments are as private as the issue', async () => {
	const sec = await srv.createIssue({ title: uniq('sec'), type: 'security' }, 'pm1');
	const pub = await srv.createIssue({ title: uniq('pub') });
	const inside = await add(sec.number, `Exploit works against #${pub.number}; cc @eng1`, 'pm1');
	const pointing = await add(pub.number, `Tracked privately as #${sec.number}`, 'pm1');

	/* engineers and viewers do not see the security issue at all */
	for (const login of ['eng1', 'viewer1', 'em1']) {
		assertError(await as(login).get(`/api/v1/issues/${sec.number}/comments`), 404, 'not_found');
		assertError(await as(login).get(`/api/v1/comments/${inside.id}`), 404, 'not_found');
		assertError(await as(login).get(`/api/v1/comments/${inside.id}/history`), 404, 'not_found');
		assertError(await as(login).get(`/api/v1/issues/${sec.number}/references`), 404, 'not_found');
		/* the reference to it from a public issue shows no number link or title */
		const [seen] = (await comments(pub.number, login)).filter((x) => x.id === pointing.id);
		assert.deepEqual(seen.references, [], `${login}: no reference to the private issue`);
		assert.ok(!JSON.stringify(seen).includes(sec.title), `${login}: the private title never shows`);
		/* and the private issue's comment is not among the public issue's back-references */
		assert.deepEqual(await refs(pub.number, login), [], `${login}: no back-reference from the private issue`);
	}
	assertError(await as('eng1').post(`/api/v1/issues/${sec.number}/comments`, { body: 'x' }), 404, 'not_found');
	assertError(await as('eng1').patch(`/api/v1/comments/${inside.id}`, { body: 'x' }), 404, 'not_found');

	/* those who may see it see everything */
	for (const login of ['admin', 'cto1']) {
		assert.equal((await comments(sec.number, login)).length, 1);
		const [seen] = (await comments(pub.number, login)).filter((x) => x.id === pointing.id);
		assert.deepEqual(seen.references, [{ number: sec.number, title: sec.title }]);
		assert.deepEqual((await refs(pub.number, login)).map((x) => x.number), [sec.number]);
		assert.deepEqual((await refs(sec.number, login)).map((x) => x.number), [pub.number]);
	}
	/* the reporter of a security issue sees it */
	const mine = await srv.createIssue({ title: uniq('mine'), type: 'security' }, 'eng2');
	await add(mine.number, 'my own private note', 'eng2');
	assert.equal((await comments(mine.number, 'eng2')).length, 1);
	assertError(await as('eng1').get(`/api/v1/issues/${mine.number}/comments`), 404, 'not_found');
});

test('server shuts down cleanly', () => srv.stop());
