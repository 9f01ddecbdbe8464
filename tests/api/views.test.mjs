/*
 * views.test.mjs — saved views of the issue list (issue #17): personal and
 * shared views, the sharing rules per role, who may change and delete,
 * field checks (a query that does not parse names its position), the
 * capped counts of ?counts=1 under each reader's visibility, and refused
 * writes that change nothing.  Runs on either backend (CAIRN_TEST_DB).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());
const as = (l) => srv.as(l);
const LOGINS = { admin: 'admin', pm: 'pm1', cto: 'cto1', em: 'em1', engineer: 'eng1', viewer: 'viewer1' };
const SHARERS = ['admin', 'pm', 'cto', 'em'];

async function views(login, counts = false) {
	const r = await as(login).get('/api/v1/views', counts ? { query: { counts: '1' } } : {});
	assertStatus(r, 200);
	return r.json.items;
}
const names = (items) => items.map((v) => v.name);

/* Everything a refused write could have changed: each user's listing. */
async function observe() {
	const all = {};
	for (const login of Object.values(LOGINS))
		all[login] = await views(login);
	return all;
}

async function save(login, body, status = 201) {
	const r = await as(login).post('/api/v1/views', body);
	assertStatus(r, status);
	return r.json;
}

before(async () => {
	await srv.createIssue({ title: 'Crash on save', type: 'bug' });
	await srv.createIssue({ title: 'Dark mode', type: 'feature' });
	await srv.createIssue({ title: 'Token leak', type: 'security' }, 'eng1');
});

test('anyone saves a personal view; only its owner sees it', async () => {
	for (const [role, login] of Object.entries(LOGINS)) {
		const v = await save(login, { name: `mine ${role}`, query: 'is:open type:bug', sort: 'updated-desc', columns: ['title', 'number', 'updated'] });
		assert.equal(v.owner, login);
		assert.equal(v.shared, false);
		assert.equal(v.mine, true);
		assert.equal(v.editable, true);
		assert.deepEqual(v.columns, ['number', 'title', 'updated'], 'columns in display order');
		assert.equal(v.sort, 'updated-desc');
	}
	for (const [role, login] of Object.entries(LOGINS))
		assert.deepEqual(names(await views(login)), [`mine ${role}`], `${role} sees only their own`);
	const v = await save('eng2', { name: 'defaults' });
	assert.equal(v.query, '');
	assert.equal(v.sort, '');
	assert.equal(v.columns.length, 10, 'no columns given: all of them');
});

test('sharing: admins, PMs, CTOs and EMs may; engineers and viewers get 403 and nothing is saved', async () => {
	for (const [role, login] of Object.entries(LOGINS)) {
		const body = { name: `team ${role}`, query: 'is:open', shared: true };
		if (SHARERS.includes(role)) {
			const v = await save(login, body);
			assert.equal(v.shared, true);
		} else {
			const before = await observe();
			const r = await as(login).post('/api/v1/views', body);
			assertError(r, 403, 'forbidden', 'shared');
			assert.match(r.json.error.message, /^only admins, PMs, CTOs and EMs may share views with the team/);
			assert.deepEqual(await observe(), before, `${role}: a refused share changes nothing`);
		}
	}
	/* every role sees every shared view, after its own personal ones */
	for (const [role, login] of Object.entries(LOGINS)) {
		const list = names(await views(login));
		assert.equal(list[0], `mine ${role}`);
		assert.deepEqual(list.slice(1), SHARERS.map((r) => `team ${r}`).sort(), role);
	}
	/* an engineer cannot share an existing view either */
	const mine = (await views('eng1')).find((v) => v.name === 'mine engineer');
	const before = await observe();
	assertError(await as('eng1').patch(`/api/v1/views/${mine.id}`, { shared: true }), 403, 'forbidden', 'shared');
	assert.deepEqual(await observe(), before);
});

test('changing and deleting: the owner, or an admin for a shared view; others refused, nothing changes', async () => {
	const shared = (await views('pm1')).find((v) => v.name === 'team pm');
	const personal = (await views('eng1')).find((v) => v.name === 'mine engineer');
	/* another user's shared view: visible, not editable */
	const seen = (await views('eng2')).find((v) => v.id === shared.id);
	assert.equal(seen.editable, false);
	assert.equal(seen.mine, false);
	assert.equal((await views('admin')).find((v) => v.id === shared.id).editable, true);
	const before = await observe();
	for (const login of ['eng2', 'cto1', 'viewer1']) {
		assertError(await as(login).patch(`/api/v1/views/${shared.id}`, { name: 'hijacked' }), 403, 'forbidden');
		assertError(await as(login).del(`/api/v1/views/${shared.id}`), 403, 'forbidden');
	}
	/* a personal view of another: not there at all, even for an admin */
	for (const login of ['eng2', 'admin', 'pm1']) {
		assertError(await as(login).patch(`/api/v1/views/${personal.id}`, { name: 'x' }), 404, 'not_found');
		assertError(await as(login).del(`/api/v1/views/${personal.id}`), 404, 'not_found');
	}
	assertError(await as('eng1').del('/api/v1/views/999999'), 404, 'not_found');
	assert.deepEqual(await observe(), before, 'refused writes change nothing');

	let r = await as('pm1').patch(`/api/v1/views/${shared.id}`, { query: 'is:open type:feature', sort: 'rice-desc' });
	assertStatus(r, 200);
	assert.equal(r.json.query, 'is:open type:feature');
	assert.equal(r.json.name, 'team pm', 'the other fields stay');
	r = await as('admin').patch(`/api/v1/views/${shared.id}`, { name: 'team features' });
	assertStatus(r, 200);
	assert.equal(r.json.owner, 'pm1', 'an admin edits, the owner stays');
	r = await as('eng1').patch(`/api/v1/views/${personal.id}`, { columns: ['title'] });
	assertStatus(r, 200);
	assert.deepEqual(r.json.columns, ['title']);
	assertStatus(await as('admin').del(`/api/v1/views/${shared.id}`), 200);
	assert.ok(!names(await views('pm1')).includes('team features'), 'an admin deleted the shared view');
	assertStatus(await as('eng1').del(`/api/v1/views/${personal.id}`), 200);
	assert.ok(!names(await views('eng1')).includes('mine engineer'));
});

test('checks: names unique per owner and among shared views; query, sort and columns validated', async () => {
	const before = await observe();
	assertError(await as('pm1').post('/api/v1/views', { name: 'mine pm' }), 409, 'conflict', 'name');
	assertError(await as('em1').post('/api/v1/views', { name: 'team cto', shared: true }), 409, 'conflict', 'name');
	const bad = [
		[{}, 'name'], [{ name: '' }, 'name'], [{ name: '   ' }, 'name'], [{ name: 'x'.repeat(81) }, 'name'],
		[{ name: 'a\u0007b' }, 'name'], [{ name: 5 }, 'name'],
		[{ name: 'q', query: 'is:open size:big' }, 'query'],
		[{ name: 's', sort: 'loudest' }, 'sort'], [{ name: 's', sort: 'rice desc' }, 'sort'],
		[{ name: 'c', columns: ['title', 'title'] }, 'columns'], [{ name: 'c', columns: ['colour'] }, 'columns'],
		[{ name: 'c', columns: [] }, 'columns'], [{ name: 'c', columns: 'title' }, 'columns'],
		[{ name: 'h', shared: 'yes' }, 'shared'], [{ name: 'u', owner: 'pm1' }, 'owner'],
	];
	for (const [body, field] of bad) {
		const r = await as('eng1').post('/api/v1/views', body);
		assertError(r, 422, 'invalid_field', field);
	}
	const r = await as('eng1').post('/api/v1/views', { name: 'q', query: 'is:open size:big' });
	assert.equal(r.json.error.position, 14, show(r));
	assert.match(r.json.error.message, /^at 14: size: expected a number/);
	/* a personal view may share a name with someone else's shared view */
	await save('eng2', { name: 'team cto' });
	assert.deepEqual((await observe()).eng1, before.eng1, 'refused saves change nothing');
});

test('a read-only token saves nothing', async () => {
	const t = await as('eng1').post('/api/v1/tokens', { name: 'ro', scope: 'read' });
	assertStatus(t, 201);
	const before = await observe();
	const r = await srv.api('POST', '/api/v1/views', { token: t.json.token, body: { name: 'ro view' } });
	assertError(r, 403, 'forbidden');
	assert.deepEqual(await observe(), before);
});

test('?counts=1: each view counts what its reader may see, capped like the list', async () => {
	await save('pm1', { name: 'security', query: 'type:security', shared: true });
	await save('pm1', { name: 'everything', query: '', shared: true });
	const countOf = async (login, name) => (await views(login, true)).find((v) => v.name === name);
	assert.equal((await countOf('admin', 'security')).count, 1);
	assert.equal((await countOf('eng1', 'security')).count, 1, 'its reporter sees it');
	assert.equal((await countOf('eng2', 'security')).count, 0, 'another engineer: the private issue is not counted');
	assert.equal((await countOf('viewer1', 'security')).count, 0);
	const every = await countOf('eng2', 'everything');
	assert.equal(every.count, 2);
	assert.equal(every.count_capped, false);
	assert.ok(!('count' in (await views('eng2'))[0]), 'no counts unless asked');
	assertError(await as('eng2').get('/api/v1/views', { query: { counts: '2' } }), 422, 'invalid_field', 'counts');
});
