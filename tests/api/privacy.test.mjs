/*
 * privacy.test.mjs — security issues are private: only admin, pm, cto and
 * the reporter see them; for anyone else they do not exist (404, absent
 * from lists, searches and totals).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());

const SEE = ['eng1', 'admin', 'pm1', 'cto1'];   // eng1 is the reporter
const BLIND = ['eng2', 'viewer1', 'em1'];

let pub;     // a public story by eng1
let secret;  // a security issue by eng1
let turned;  // a story by admin later turned into a security issue

before(async () => {
	pub = await srv.createIssue({ title: 'public story vault' }, 'eng1');
	secret = await srv.createIssue({ title: 'secret vault overflow', type: 'security', labels: ['cve'] }, 'eng1');
	assert.equal(secret.type, 'security');
	assert.equal(secret.reporter, 'eng1');
	turned = await srv.createIssue({ title: 'turned vault leak' }, 'admin');
	const p = await srv.patchIssue(turned.number, { type: 'security' }, 'admin');
	assertStatus(p, 200);
});

async function listAs(login, q) {
	return srv.listAll(q, login);
}

test('the reporter, admin, pm and cto see the security issue everywhere', async () => {
	for (const login of SEE) {
		const u = srv.as(login);
		const g = await u.get(`/api/v1/issues/${secret.number}`);
		assertStatus(g, 200);
		assert.equal(g.json.title, 'secret vault overflow');
		assertStatus(await u.get(`/api/v1/issues/${secret.number}/history`), 200);
		const all = await listAs(login);
		assert.ok(all.items.some((i) => i.number === secret.number), `${login} lists it`);
		assert.equal(all.total, all.items.length);
		const found = await listAs(login, 'vault overflow');
		assert.deepEqual(found.items.map((i) => i.number), [secret.number], `${login} finds it by search`);
		const byType = await listAs(login, 'type:security');
		assert.ok(byType.items.some((i) => i.number === secret.number), `${login} finds it with type:security`);
	}
	// admin, pm and cto also see the one turned private; eng1 did not report it.
	for (const login of ['admin', 'pm1', 'cto1'])
		assertStatus(await srv.as(login).get(`/api/v1/issues/${turned.number}`), 200);
});

test('others get 404 on GET and history; it is absent from lists, searches and totals', async () => {
	const adminTotal = (await listAs('admin')).total;
	for (const login of BLIND) {
		const u = srv.as(login);
		for (const n of [secret.number, turned.number]) {
			assertError(await u.get(`/api/v1/issues/${n}`), 404, 'not_found');
			assertError(await u.get(`/api/v1/issues/${n}/history`), 404, 'not_found');
		}
		const all = await listAs(login);
		const nums = all.items.map((i) => i.number);
		assert.ok(!nums.includes(secret.number) && !nums.includes(turned.number), `${login} must not list private issues: ${nums}`);
		assert.equal(all.total, adminTotal - 2, `${login}: total must not count private issues`);
		assert.equal(all.total, all.items.length);
		const r = await u.get('/api/v1/issues', { query: { q: 'vault' } });
		assertStatus(r, 200);
		assert.deepEqual(r.json.items.map((i) => i.number), [pub.number], `${login} search: ${show(r)}`);
		assert.equal(r.json.total, 1, `${login}: search total`);
		const t = await u.get('/api/v1/issues', { query: { q: 'type:security' } });
		assertStatus(t, 200);
		assert.deepEqual(t.json.items, []);
		assert.equal(t.json.total, 0, `${login}: type:security total`);
		const l = await u.get('/api/v1/issues', { query: { q: 'label:cve' } });
		assert.equal(l.json.total, 0, `${login}: label:cve total`);
	}
});

test('the 404 for a private issue looks exactly like a missing one', async () => {
	const hidden = await srv.as('eng2').get(`/api/v1/issues/${secret.number}`);
	const missing = await srv.as('eng2').get('/api/v1/issues/424242');
	assert.equal(hidden.status, missing.status);
	assert.deepEqual(hidden.json.error.code, missing.json.error.code);
	assert.equal(hidden.headers.get('etag'), null);
});

test('others cannot change a private issue: PATCH 404, nothing changed', async () => {
	const etag = `"${(await srv.as('admin').get(`/api/v1/issues/${secret.number}`)).json.version}"`;
	const before = await srv.snapshot([secret.number, turned.number]);
	for (const login of ['eng2', 'em1']) {
		assertError(await srv.as(login).patch(`/api/v1/issues/${secret.number}`, { title: 'pwned' }, { headers: { 'If-Match': etag } }), 404, 'not_found');
		// Without If-Match: whatever a missing issue gets (404 or 428), nothing more.
		const hidden = await srv.as(login).patch(`/api/v1/issues/${secret.number}`, { title: 'pwned' });
		const missing = await srv.as(login).patch('/api/v1/issues/434343', { title: 'pwned' });
		assert.ok([404, 428].includes(missing.status), show(missing));
		assertError(hidden, missing.status, missing.json?.error?.code);
	}
	await srv.assertUnchanged(before, [secret.number, turned.number]);
});

test('a private issue cannot be probed as a parent by those who cannot see it', async () => {
	const before = await srv.snapshot();
	const r = await srv.as('eng2').post('/api/v1/issues', { title: 'child probe', parent: secret.number });
	assertError(r, 422, 'invalid_field', 'parent');
	const r2 = await srv.as('eng2').post('/api/v1/issues', { title: 'child probe', parent: 434343 });
	assert.equal(r.json.error.message.replace(String(secret.number), 'N'), r2.json.error.message.replace('434343', 'N'),
		'the refusal must not reveal that the private issue exists');
	await srv.assertUnchanged(before);
});

test('the reporter keeps seeing and editing their security issue', async () => {
	const p = await srv.patchIssue(secret.number, { priority: 'high' }, 'eng1');
	assertStatus(p, 200);
	assert.equal(p.json.priority, 'high');
});

test('turning a private issue public makes it visible again', async () => {
	const p = await srv.patchIssue(turned.number, { type: 'bug' }, 'pm1');
	assertStatus(p, 200);
	assertStatus(await srv.as('eng2').get(`/api/v1/issues/${turned.number}`), 200);
	const all = await listAs('viewer1');
	assert.ok(all.items.some((i) => i.number === turned.number));
});

/* Issue #15, point 2: a private issue's number never shows through a
 * public one — not as duplicate_of, not in the close reason, not in a
 * history row of either side of the duplicate. */
test('a duplicate of a private issue: those who may not see it read "a private issue", never its number', async () => {
	const pubDup = await srv.createIssue({ title: 'public dup of the vault' }, 'eng2');
	let r = await srv.as('pm1').post(`/api/v1/issues/${pubDup.number}/triage`,
		{ route: 'duplicate', duplicate_of: secret.number });
	assertStatus(r, 200);
	// the private issue closed as a duplicate of a public one: the kept one's history names it
	const kept = await srv.createIssue({ title: 'public kept issue' }, 'eng2');
	const secDup = await srv.createIssue({ title: 'secret dup', type: 'security' }, 'admin');
	r = await srv.as('pm1').post(`/api/v1/issues/${secDup.number}/triage`,
		{ route: 'duplicate', duplicate_of: kept.number });
	assertStatus(r, 200);

	const hiddenNumber = (text, n) => new RegExp(`(^|[^0-9])#?${n}([^0-9]|$)`).test(text);
	for (const login of BLIND) {
		const g = await srv.as(login).get(`/api/v1/issues/${pubDup.number}`);
		assertStatus(g, 200);
		assert.equal(g.json.duplicate_of, null, `${login}: duplicate_of masked`);
		assert.equal(g.json.close_reason, 'duplicate of a private issue', `${login}: close_reason masked`);
		assert.equal(g.json.state, 'closed');
		const h = await srv.as(login).get(`/api/v1/issues/${pubDup.number}/history`);
		assertStatus(h, 200);
		const rows = h.json.items;
		for (const row of rows)
			for (const v of [row.old, row.new])
				assert.ok(v === null || !hiddenNumber(String(v), secret.number) || row.field === 'title',
					`${login}: history row ${JSON.stringify(row)} names #${secret.number}`);
		assert.ok(rows.some((x) => x.field === 'duplicate_of' && x.new === 'a private issue'), JSON.stringify(rows));
		assert.ok(rows.some((x) => x.field === 'close_reason' && x.new === 'duplicate of a private issue'));
		// in a list too
		const listed = (await listAs(login, 'is:closed')).items.find((x) => x.number === pubDup.number);
		assert.ok(listed, `${login}: the public duplicate is listed`);
		assert.equal(listed.duplicate_of, null);
		assert.equal(listed.close_reason, 'duplicate of a private issue');
		// the kept public issue's history: "absorbed a private issue"
		const kh = (await srv.as(login).get(`/api/v1/issues/${kept.number}/history`)).json.items;
		const row = kh.find((x) => x.field === 'duplicate');
		assert.ok(row, JSON.stringify(kh));
		assert.equal(row.new, 'a private issue');
		assert.ok(!kh.some((x) => [x.old, x.new].some((v) => v && hiddenNumber(String(v), secDup.number))),
			`${login}: the kept issue's history names #${secDup.number}`);
	}
	// those who may see them read the numbers
	for (const login of ['pm1', 'admin', 'cto1', 'eng1' /* the reporter of the secret */]) {
		const g = (await srv.as(login).get(`/api/v1/issues/${pubDup.number}`)).json;
		assert.equal(g.duplicate_of, secret.number, login);
		assert.equal(g.close_reason, `duplicate of #${secret.number}`, login);
		const h = (await srv.as(login).get(`/api/v1/issues/${pubDup.number}/history`)).json.items;
		assert.ok(h.some((x) => x.field === 'duplicate_of' && x.new === String(secret.number)), `${login}: ${JSON.stringify(h)}`);
	}
	const kh = (await srv.as('pm1').get(`/api/v1/issues/${kept.number}/history`)).json.items;
	assert.equal(kh.find((x) => x.field === 'duplicate').new, `#${secDup.number}`);
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
