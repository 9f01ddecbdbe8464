/*
 * reply_cache.test.mjs — the issue list and the single issue are answered
 * from a reply cache while the data is unchanged (src/http/cache.h).  What
 * a user would notice if the cache were wrong: a list or an issue older
 * than a write they saw acknowledged — through this server, through the
 * CLI on the same database file, or through a second server — or another
 * reader's view of private issues.  And what it gives them: an ETag of the
 * list's bytes, and 304 for a copy that is still current.
 *
 * Runs on both backends (CAIRN_TEST_DB for PostgreSQL).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertStatus, runCli, show, startServer, uniq } from './harness.mjs';

const PG = !!process.env.CAIRN_TEST_DB;
let A, B;
before(async () => {
	A = await startServer();
	B = await startServer({ shareWith: A });
});
after(async () => {
	await B?.kill();
	await A?.kill();
});

const titles = (res) => res.json.items.map((i) => i.title);

test('the list carries an ETag of its bytes; If-None-Match with it gets 304 until a write changes the list', async () => {
	const tag = uniq('etag');
	await A.createIssue({ title: `${tag} one` }, 'admin');
	const q = { q: tag, per_page: 10 };
	const first = await A.as('eng1').get('/api/v1/issues', { query: q });
	assertStatus(first, 200);
	const etag = first.headers.get('etag');
	assert.match(etag, /^"c-[0-9a-f]{32}"$/, show(first));
	assert.equal(first.headers.get('cache-control'), 'private, no-cache');

	const again = await A.as('eng1').get('/api/v1/issues', { query: q });
	assert.equal(again.headers.get('etag'), etag, 'the same data gives the same ETag');
	assert.equal(again.text, first.text, 'and the same bytes');

	const same = await A.as('eng1').get('/api/v1/issues', { query: q, headers: { 'If-None-Match': etag } });
	assert.equal(same.status, 304, show(same));
	assert.equal(same.text, '');
	assert.equal(same.headers.get('etag'), etag);
	const weak = await A.as('eng1').get('/api/v1/issues', { query: q, headers: { 'If-None-Match': `"c-0", W/${etag}` } });
	assert.equal(weak.status, 304, 'a list of ETags, and the weak form, name it too');
	const other = await A.as('eng1').get('/api/v1/issues', { query: q, headers: { 'If-None-Match': '"c-00000000000000000000000000000000"' } });
	assert.equal(other.status, 200, 'another ETag gets the list');

	await A.createIssue({ title: `${tag} two` }, 'admin');
	const after = await A.as('eng1').get('/api/v1/issues', { query: q, headers: { 'If-None-Match': etag } });
	assert.equal(after.status, 200, 'a new issue in the list: no 304');
	assert.deepEqual(titles(after).sort(), [`${tag} one`, `${tag} two`]);
	assert.notEqual(after.headers.get('etag'), etag);
});

test('a write through the CLI on the same database, or through a second server, is in the next list and issue', async () => {
	const tag = uniq('side');
	const n = (await A.createIssue({ title: `${tag} first` }, 'admin')).number;
	const q = { q: tag, per_page: 10 };
	// warm both replies on A
	assert.deepEqual(titles(await A.as('admin').get('/api/v1/issues', { query: q })), [`${tag} first`]);
	assert.equal((await A.as('admin').get(`/api/v1/issues/${n}`)).json.title, `${tag} first`);

	// through the second server
	const g = await B.as('admin').get(`/api/v1/issues/${n}`);
	assertStatus(await B.as('admin').patch(`/api/v1/issues/${n}`, { title: `${tag} renamed on B` },
		{ headers: { 'If-Match': g.headers.get('etag') } }), 200);
	assert.equal((await A.as('admin').get(`/api/v1/issues/${n}`)).json.title, `${tag} renamed on B`);
	assert.deepEqual(titles(await A.as('admin').get('/api/v1/issues', { query: q })), [`${tag} renamed on B`]);

	// through the CLI (another process on the same file or database)
	runCli(['issue', 'new', `${tag} from the CLI`, '--db', A.db.url, '--as', 'admin']);
	assert.deepEqual(titles(await A.as('admin').get('/api/v1/issues', { query: q })).sort(),
		[`${tag} from the CLI`, `${tag} renamed on B`]);
});

test('an issue shows what changed around it without a new version of its own (its milestone renamed)', async () => {
	const m = await A.as('pm1').post('/api/v1/milestones', { title: uniq('M'), start: '2026-12-01', due: '2026-12-20' });
	assertStatus(m, 201);
	const i = await A.createIssue({ title: uniq('in milestone') }, 'pm1');
	const g = await A.as('pm1').get(`/api/v1/issues/${i.number}`);
	assertStatus(await A.as('pm1').patch(`/api/v1/issues/${i.number}`, { milestone: m.json.id },
		{ headers: { 'If-Match': g.headers.get('etag') } }), 200);
	const before = await A.as('pm1').get(`/api/v1/issues/${i.number}`);
	assert.equal(before.json.milestone_title, m.json.title);
	const version = before.headers.get('etag');
	assert.match(version, /^"\d+"$/, 'the issue keeps its version ETag (for If-Match)');
	const cond = await A.as('pm1').get(`/api/v1/issues/${i.number}`, { headers: { 'If-None-Match': version } });
	assert.equal(cond.status, 200, 'a version ETag never answers If-None-Match with 304');

	const mg = await A.as('pm1').get(`/api/v1/milestones/${m.json.id}`);
	const title = uniq('renamed');
	assertStatus(await A.as('pm1').patch(`/api/v1/milestones/${m.json.id}`, { title },
		{ headers: { 'If-Match': mg.headers.get('etag') } }), 200);
	const now = await A.as('pm1').get(`/api/v1/issues/${i.number}`);
	assert.equal(now.headers.get('etag'), version, 'the issue itself did not change');
	assert.equal(now.json.milestone_title, title, 'but its reply shows the new title');
});

test('one reader never gets another reader\'s list or issue: private issues, and rights taken away', async () => {
	const tag = uniq('priv');
	const pub = await A.createIssue({ title: `${tag} public` }, 'admin');
	const sec = await A.createIssue({ title: `${tag} private`, type: 'security' }, 'admin');
	const q = { q: tag, per_page: 10 };
	// the admin's reply is made (and kept) first
	assert.deepEqual(titles(await A.as('admin').get('/api/v1/issues', { query: q })).sort(), [`${tag} private`, `${tag} public`]);
	for (const who of ['viewer1', 'eng1', 'em1']) {
		const l = await A.as(who).get('/api/v1/issues', { query: q });
		assert.deepEqual(titles(l), [`${tag} public`], `${who} sees no private issue`);
		assert.equal(l.json.total, 1);
		assert.equal((await A.as(who).get(`/api/v1/issues/${sec.number}`)).status, 404);
	}
	assert.equal((await A.as('viewer1').get(`/api/v1/issues/${pub.number}`)).status, 200);

	// a pm sees it (and the reply is kept), then loses the pm role
	const pm = uniq('pm');
	A.addUser(pm, 'pm');
	const asPm = (p) => A.as(pm).get(p, { query: q });
	assert.deepEqual(titles(await asPm('/api/v1/issues')).sort(), [`${tag} private`, `${tag} public`]);
	assert.equal((await asPm(`/api/v1/issues/${sec.number}`)).status, 200);
	assertStatus(await A.as('admin').patch(`/api/v1/users/${pm}`, { role: 'engineer' }), 200);
	assert.deepEqual(titles(await asPm('/api/v1/issues')), [`${tag} public`], 'no longer a pm: the kept reply is not served');
	assert.equal((await asPm(`/api/v1/issues/${sec.number}`)).status, 404);
});

test('a list that depends on the clock is not kept and carries no ETag', async () => {
	for (const q of ['updated:<7d', 'created:>now', 'sort:demand-desc']) {
		const l = await A.as('admin').get('/api/v1/issues', { query: { q } });
		assertStatus(l, 200);
		assert.equal(l.headers.get('etag'), null, `${q}: ${show(l)}`);
	}
	const l = await A.as('admin').get('/api/v1/issues', { query: { q: 'updated:>2026-01-01' } });
	assert.match(l.headers.get('etag') || '', /^"c-/, 'a fixed date does not depend on the clock');
});

test(`two servers answer the same list with the same ETag (${PG ? 'PostgreSQL' : 'SQLite'})`, async () => {
	const tag = uniq('both');
	await A.createIssue({ title: `${tag} x` }, 'admin');
	const q = { q: tag };
	const a = await A.as('eng1').get('/api/v1/issues', { query: q });
	const b = await B.as('eng1').get('/api/v1/issues', { query: q, headers: { 'If-None-Match': a.headers.get('etag') } });
	assert.equal(b.status, 304, 'the ETag is the bytes\' hash, not a server\'s counter');
});

test('a token revoked, or its user disabled, is refused at once even while the replies it read are kept', async () => {
	const bearer = (t) => ({ Authorization: `Bearer ${t}` });
	const q = { q: 'is:open', per_page: 5 };
	const t = await A.as('eng1').post('/api/v1/tokens', { name: uniq('cache') });
	assertStatus(t, 201);
	for (let k = 0; k < 2; k++)
		assertStatus(await A.api('GET', '/api/v1/issues', { headers: bearer(t.json.token), query: q }), 200);
	assertStatus(await A.as('eng1').del(`/api/v1/tokens/${t.json.id}`), 204);
	assertStatus(await A.api('GET', '/api/v1/issues', { headers: bearer(t.json.token), query: q }), 401);
	assertStatus(await A.api('GET', '/api/v1/issues/1', { headers: bearer(t.json.token) }), 401);

	const who = uniq('gone');
	A.addUser(who, 'engineer');
	for (let k = 0; k < 2; k++)
		assertStatus(await A.as(who).get('/api/v1/issues', { query: q }), 200);
	assertStatus(await A.as('admin').patch(`/api/v1/users/${who}`, { disabled: true }), 200);
	assertStatus(await A.as(who).get('/api/v1/issues', { query: q }), 401);
	// and through the other server, whose kept token may be older
	assertStatus(await B.as(who).get('/api/v1/issues', { query: q }), 401);
});

test('replies of old states and one-off queries never fill the cache for good: it stays bounded and keeps new replies', { timeout: 300000 }, async () => {
	const tag = uniq('fill');
	const long = 'x'.repeat(180);
	await Promise.all(Array.from({ length: 100 }, (_, k) => A.createIssue({ title: `${tag} ${k} ${long}` }, 'admin')));
	const metric = async (name) => {
		const m = await A.as('admin').get('/metrics');
		return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(m.text)[1]);
	};
	// ~100 KB a reply: 800 distinct queries are more than the 64 MiB it may hold
	const first = await A.as('eng1').get('/api/v1/issues', { query: { q: tag, per_page: 100, n: 0 } });
	assert.ok(first.text.length > 90000, `a reply of ${first.text.length} bytes`);
	for (let k = 0; k < 800; k += 8)
		await Promise.all(Array.from({ length: 8 }, (_, j) =>
			A.as('eng1').get('/api/v1/issues', { query: { q: tag, per_page: 100, n: k + j + 1 } })));
	const held = await metric('cairn_reply_cache_bytes');
	assert.ok(held <= 64 * 1024 * 1024, `never more than 64 MiB (${held})`);
	assert.ok(held >= 48 * 1024 * 1024, `and it was filled to its bound (${held})`);
	// a new reply is kept and then answered from the cache.  On PostgreSQL the
	// data token is the cluster's snapshot, which any transaction in any
	// database of the cluster moves (other test files run beside this one):
	// a pair may straddle one, so a few pairs are tried; a cache that made no
	// room would never answer one of them.
	let kept = false;
	for (let k = 0; k < 10 && !kept; k++) {
		const hits = await metric('cairn_reply_cache_hits_total');
		const q = { q: tag, per_page: 100, n: `again ${k}` };
		const a = await A.as('eng1').get('/api/v1/issues', { query: q });
		const b = await A.as('eng1').get('/api/v1/issues', { query: q });
		assert.equal(b.text, a.text);
		kept = await metric('cairn_reply_cache_hits_total') === hits + 1;
	}
	assert.ok(kept, 'the full cache made room for the new reply');
});

/* The sum of a board's column counts. */
const boardCount = (res) => res.json.columns.reduce((n, c) => n + c.count, 0);

test('the boards, pillars, the triage inbox and the strategy pages are kept too: 304 until a write; a second server\'s write, and only the reader\'s own rights, in the next reply', async () => {
	const pages = ['/api/v1/boards/product', '/api/v1/boards/dev', '/api/v1/boards/product/no_status',
		'/api/v1/pillars', '/api/v1/triage', '/api/v1/strategy', '/api/v1/initiatives', '/api/v1/roadmap'];
	for (const p of pages) {
		const first = await A.as('pm1').get(p);
		assertStatus(first, 200);
		const etag = first.headers.get('etag');
		assert.match(etag ?? '', /^"c-[0-9a-f]{32}"$/, `${p}: ${show(first)}`);
		const same = await A.as('pm1').get(p, { headers: { 'If-None-Match': etag } });
		assert.equal(same.status, 304, `${p} unchanged: 304`);
		const again = await A.as('pm1').get(p);
		assert.equal(again.text, first.text, `${p}: the same bytes again`);
	}

	// a new issue through the second server: in A's triage inbox and product board at once
	const inbox0 = (await A.as('pm1').get('/api/v1/triage')).json.total;
	const board0 = boardCount(await A.as('pm1').get('/api/v1/boards/product'));
	await B.createIssue({ title: uniq('kept boards') }, 'eng1');
	assert.equal((await A.as('pm1').get('/api/v1/triage')).json.total, inbox0 + 1);
	assert.equal(boardCount(await A.as('pm1').get('/api/v1/boards/product')), board0 + 1);

	// a private security issue: in the reporter's and the pm's counts, never in another engineer's
	const asEng2 = async () => [(await A.as('eng2').get('/api/v1/triage')).json.total,
		boardCount(await A.as('eng2').get('/api/v1/boards/product'))];
	const eng2Before = await asEng2();
	const pmBefore = boardCount(await A.as('pm1').get('/api/v1/boards/product'));
	await B.createIssue({ title: uniq('kept private'), type: 'security' }, 'eng1');
	assert.deepEqual(await asEng2(), eng2Before, 'eng2 may not see it: the same counts');
	assert.equal(boardCount(await A.as('pm1').get('/api/v1/boards/product')), pmBefore + 1);

	// a new pillar through the second server: in A's pillars and strategy page
	const name = uniq('Kept pillar');
	assertStatus(await B.as('pm1').post('/api/v1/pillars', { name, description: 'd' }), 201);
	const pillars = await A.as('pm1').get('/api/v1/pillars');
	assert.ok(JSON.stringify(pillars.json).includes(name), 'the new pillar is listed');
	const strategy = await A.as('pm1').get('/api/v1/strategy');
	assert.ok(strategy.json.pillars.some((p) => p.name === name), 'and on the strategy page');
});

test('a reply from the cache has the same headers as the first (security headers, type, ETag), for a list and an issue', async () => {
	const n = (await A.createIssue({ title: uniq('headers') }, 'admin')).number;
	const heads = (res) => {
		const h = {};
		for (const [k, v] of res.headers) if (k !== 'date' && k !== 'keep-alive' && k !== 'connection') h[k] = v;
		return h;
	};
	for (const path of [`/api/v1/issues/${n}`, '/api/v1/issues', '/api/v1/boards/product']) {
		const first = await A.as('eng1').get(path);
		assertStatus(first, 200);
		for (let k = 0; k < 3; k++) {
			const again = await A.as('eng1').get(path);
			assert.equal(again.text, first.text, `${path}: the same bytes`);
			assert.deepEqual(heads(again), heads(first), `${path}: the same headers`);
		}
		const h = heads(first);
		assert.equal(h['x-frame-options'], 'DENY', path);
		assert.match(h['content-security-policy'], /default-src 'self'/, path);
		assert.match(h['content-type'], /^application\/json/, path);
	}
});

test('behind a proxy with HSTS: a kept reply gets Strict-Transport-Security over https, and not over http', async () => {
	const saved = { p: process.env.CAIRN_TRUSTED_PROXY, h: process.env.CAIRN_HSTS };
	process.env.CAIRN_TRUSTED_PROXY = '127.0.0.1';
	process.env.CAIRN_HSTS = '1';
	let C;
	try {
		C = await startServer({ shareWith: A });
	} finally {
		for (const [k, v] of [['CAIRN_TRUSTED_PROXY', saved.p], ['CAIRN_HSTS', saved.h]])
			if (v === undefined) delete process.env[k]; else process.env[k] = v;
	}
	try {
		const n = (await A.createIssue({ title: uniq('hsts') }, 'admin')).number;
		const https = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' };
		const hsts = (res) => res.headers.get('strict-transport-security');
		for (const path of [`/api/v1/issues/${n}`, '/api/v1/issues']) {
			const order = ['http', 'https', 'https', 'http', 'https', 'http', 'http'];
			let body = null;
			for (const proto of order) {
				const res = await C.as('eng1').get(path, { headers: proto === 'https' ? https : {} });
				assertStatus(res, 200);
				assert.equal(hsts(res), proto === 'https' ? 'max-age=31536000' : null, `${path} over ${proto}`);
				body ??= res.text;
				assert.equal(res.text, body, `${path}: the same bytes over ${proto}`);
			}
		}
	} finally {
		await C?.kill();
	}
});
