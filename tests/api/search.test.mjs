/*
 * search.test.mjs — issue #17: the free words of the list query are a
 * full-text search over titles, bodies and comments, ranked, with safe
 * highlighted snippets, never leaking private issues, never a 5xx on
 * hostile input.  Runs on the run's backend; with CAIRN_TEST_DB set it also
 * starts a SQLite server beside the PostgreSQL one, loads the same data
 * into both and asserts they find the same issues for the same queries.
 *
 * Ranking across backends: cairn_rank (SQLite) and ts_rank (PostgreSQL) score
 * on different scales, so the side-by-side test compares result *sets*,
 * totals and snippets (cut by the server's own code, the same on both);
 * the order is asserted per backend only where it is a rule (a title match
 * ranks above a body-only match, above a comment-only one; equal scores
 * newest first).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertStatus, show, startServer } from './harness.mjs';

const pgTpl = process.env.CAIRN_TEST_DB || null;
const srv = await startServer();
after(() => srv.kill());
const as = (login) => srv.as(login);

async function search(q, login = 'admin', extra = {}) {
	const r = await as(login).get('/api/v1/issues', { query: { q, per_page: '100', ...extra } });
	assertStatus(r, 200);
	return r.json;
}
const nums = (items) => items.map((i) => i.number);

async function comment(server, number, body, login = 'admin') {
	const r = await server.as(login).post(`/api/v1/issues/${number}/comments`, { body });
	assert.equal(r.status, 201, show(r));
	return r.json;
}

let inTitle, inBody, inComment, secret, secretComment, older, newer;

before(async () => {
	// created comment-only first, title last: relevance must beat "newest first"
	inComment = await srv.createIssue({ title: 'Quarterly report layout', body: 'Columns and rows.' });
	await comment(srv, inComment.number, 'The exporter wobbles when the kumquat column is empty.');
	inBody = await srv.createIssue({ title: 'Report speed', body: 'Generating a kumquat chart takes ten seconds on large accounts.' });
	inTitle = await srv.createIssue({ title: 'Kumquat export fails', body: 'Nothing else to say.' });
	secret = await srv.createIssue({ title: 'Token leak in logs', type: 'security', body: 'The zebrafish header leaks the session token.' }, 'eng1');
	const pub = await srv.createIssue({ title: 'Public page typo', body: 'A typo.' });
	secretComment = pub;
	const hidden = await srv.createIssue({ title: 'Another private one', type: 'security', body: 'nothing' }, 'eng1');
	await comment(srv, hidden.number, 'marmoset appears only here', 'eng1');
	older = await srv.createIssue({ title: 'Lantern one', body: 'same words here' });
	newer = await srv.createIssue({ title: 'Lantern two', body: 'same words here' });
});

test('a title match ranks above a body-only match, above a comment-only match', async () => {
	const r = await search('kumquat');
	assert.deepEqual(nums(r.items), [inTitle.number, inBody.number, inComment.number], show({ json: r }));
	assert.equal(r.total, 3);
});

test('bodies and comments are searched; a prefix of the last word matches', async () => {
	assert.deepEqual(nums((await search('generating chart')).items), [inBody.number]);
	assert.deepEqual(nums((await search('exporter wobbles')).items), [inComment.number]);
	assert.deepEqual(nums((await search('kumq')).items).sort(), nums((await search('kumquat')).items).sort());
	assert.deepEqual(nums((await search('KUMQUAT Chart')).items), [inBody.number], 'case-insensitive, all words required');
	assert.deepEqual((await search('kumquat nosuchword')).items, []);
});

test('equal scores go newest first; sort: overrides relevance', async () => {
	assert.deepEqual(nums((await search('same words')).items), [newer.number, older.number]);
	assert.deepEqual(nums((await search('kumquat sort:oldest')).items), [inComment.number, inBody.number, inTitle.number]);
	assert.deepEqual(nums((await search('kumquat sort:title')).items), [inTitle.number, inComment.number, inBody.number]);
});

test('other qualifiers still filter a search, and the count agrees', async () => {
	await srv.patchIssue(inBody.number, { state: 'closed' });
	const open = await search('kumquat is:open');
	assert.deepEqual(nums(open.items), [inTitle.number, inComment.number]);
	assert.equal(open.total, 2);
	const paged = await as('admin').get('/api/v1/issues', { query: { q: 'kumquat', per_page: '1', page: '2' } });
	assertStatus(paged, 200);
	assert.deepEqual(nums(paged.json.items), [inBody.number]);
	assert.equal(paged.json.total, 3);
});

test('snippets: HTML-escaped, then <mark> around the matched words; none for title-only matches', async () => {
	const r = await search('kumquat');
	const by = Object.fromEntries(r.items.map((i) => [i.number, i]));
	assert.equal(by[inTitle.number].snippet, undefined, 'title-only match: no snippet');
	assert.match(by[inBody.number].snippet, /<mark>kumquat<\/mark> chart/);
	assert.match(by[inComment.number].snippet, /the <mark>kumquat<\/mark> column/);
	const evil = await srv.createIssue({
		title: 'Escaping check',
		body: 'before <script>alert(1)</script> & "q" \'s <mark>fake</mark> \u0001 unbalanced \u0002 xylophone <img src=x onerror=alert(2)>',
	});
	const s = (await search('xylophone')).items.find((i) => i.number === evil.number).snippet;
	assert.ok(s, 'a snippet');
	assert.ok(!/<(?!\/?mark>)/.test(s), `only <mark> tags: ${s}`);
	// six words before the match, then the rest: the text's own markup as text
	assert.match(s, /^… q&quot; &#39;s &lt;mark&gt;fake&lt;\/mark&gt; +unbalanced +<mark>xylophone<\/mark> &lt;img src=x onerror=alert\(2\)&gt;$/);
	assert.ok(!/<script|<img/i.test(s), s);
	assert.match(s, /<mark>xylophone<\/mark>/);
	assert.ok(!/<mark>[^<]*(unbalanced|fake)/.test(s), `the user's own markers mark nothing: ${s}`);
	assert.equal((s.match(/<mark>/g) || []).length, (s.match(/<\/mark>/g) || []).length, `balanced: ${s}`);
	assert.ok(!/[\u0000-\u001f]/.test(s), 'no control characters');
});

test('comment edits and deletes update the index', async () => {
	const i = await srv.createIssue({ title: 'Index upkeep', body: 'plain' });
	const c = await comment(srv, i.number, 'first mention of walrus');
	assert.deepEqual(nums((await search('walrus')).items), [i.number]);
	const e = await as('admin').patch(`/api/v1/comments/${c.id}`, { body: 'now about narwhal' }, { headers: { 'If-Match': `"${c.version}"` } });
	assertStatus(e, 200);
	assert.deepEqual((await search('walrus')).items, []);
	assert.deepEqual(nums((await search('narwhal')).items), [i.number]);
	const d = await as('admin').del(`/api/v1/comments/${c.id}`);
	assert.ok(d.status < 300, show(d));
	assert.deepEqual((await search('narwhal')).items, []);
	const p = await srv.patchIssue(i.number, { title: 'Index upkeep with okapi', body: 'body about ocelot' });
	assertStatus(p, 200);
	assert.deepEqual(nums((await search('okapi ocelot')).items), [i.number]);
	assert.deepEqual((await search('plain upkeep')).items, [], 'the old body is gone from the index');
});

test('private issues never leak: not in items, snippets or totals', async () => {
	for (const login of ['eng2', 'viewer1', 'em1']) {
		for (const q of ['zebrafish', 'zebrafish token', 'marmoset', 'zebra', 'token leak']) {
			const r = await search(q, login);
			assert.equal(r.total, 0, `${login} searching ${q}: ${JSON.stringify(r)}`);
			assert.deepEqual(r.items, []);
		}
		const capped = await as(login).get('/api/v1/issues', { query: { q: 'zebrafish' } });
		assert.equal(capped.json.total, 0);
	}
	for (const login of ['eng1', 'admin', 'pm1', 'cto1']) {
		assert.deepEqual(nums((await search('zebrafish', login)).items), [secret.number], login);
		assert.equal((await search('marmoset', login)).total, 1, login);
	}
	assert.ok(secretComment.number > 0);
});

test('a tie across page edges: pages hold it newest first, a viewer skips the private ones', async () => {
	// equal text scores equal: the page edge cuts through one tie
	const made = [];
	for (let k = 0; k < 9; k++) {
		const priv = k === 2 || k === 6;
		made.push({ priv, ...(await srv.createIssue({ title: 'Gnu wildebeest', type: priv ? 'security' : 'task', body: 'same text' }, priv ? 'eng1' : 'admin')) });
	}
	const want = (login) => made.filter((i) => login === 'eng1' || !i.priv).map((i) => i.number).sort((a, b) => b - a);
	for (const login of ['viewer1', 'eng1']) {
		const seen = [];
		for (let page = 1; page <= 4; page++) {
			const r = await search('wildebeest gnu', login, { per_page: '3', page: String(page) });
			assert.equal(r.total, want(login).length, login);
			assert.equal(r.total_capped, false);
			seen.push(...nums(r.items));
		}
		assert.deepEqual(seen, want(login), login);
	}
});

test('the best match comes first however many newer ones tie below it, for every role, page after page', async () => {
	// the list is ordered without a visit to each match's issue (issue #17):
	// the oldest issue, the only one with both words in its title, must lead
	// 150 newer body-only matches, and the pages after it must go on newest
	// first, a viewer's without the private ones, none lost at a batch's edge
	const best = await srv.createIssue({ title: 'Quokka pangolin census', body: 'counted twice' });
	const rest = [];
	for (let k = 0; k < 150; k++) {
		const priv = k % 10 === 3;
		rest.push({ priv, ...(await srv.createIssue({ title: `Field note ${k}`, type: priv ? 'security' : 'task', body: 'a quokka met a pangolin' }, priv ? 'eng1' : 'admin')) });
	}
	for (const login of ['admin', 'viewer1', 'eng2']) {
		const want = [best.number, ...rest.filter((i) => !i.priv || login === 'admin').map((i) => i.number).reverse()];
		const seen = [];
		for (let page = 1; page <= 4; page++) {
			const r = await search('pangolin quokka', login, { per_page: '50', page: String(page) });
			assert.equal(r.total, want.length, login);
			seen.push(...nums(r.items));
		}
		assert.equal(seen[0], best.number, `${login}: the title match first`);
		assert.deepEqual(seen, want, login);
		const top = await search('pangolin quokka', login, { per_page: '1' });
		assert.deepEqual(nums(top.items), [best.number], `${login}: a page of one`);
	}
});

const HOSTILE = [
	'"', "'", '""', '"kumquat', 'kumquat"', '*', 'kum*', '-kumquat', 'NOT kumquat', 'kumquat OR report',
	'kumquat AND', 'NEAR(kumquat report)', 'kumquat NEAR/2 report', '^kumquat', 'title:kumquat', 'body:x',
	'{title body}: kumquat', '(', ')', '((', '\\', '%', '_', '%_%', '&', '|', '!', '<->', ':*', 'kumquat:*',
	"'; DROP TABLE issues; --", '" OR 1=1 --', 'a & b | !c', '\u0001\u0002', '🦊 kumquat', 'ärger Straße',
	'x'.repeat(900), 'kumquat '.repeat(100).trim(), '- - -', '+', '#12', '@me', 'AND', 'OR', 'NEAR',
	'"unbalanced quote', 'col:', ':', '::', 'a:b:c', '$1', '?', '\t', 'ǅ',
];

test('hostile input never causes a 5xx, never an FTS syntax error', async () => {
	for (const q of HOSTILE) {
		for (const suffix of ['', ' sort:oldest']) {
			const r = await as('eng2').get('/api/v1/issues', { query: { q: q + suffix } });
			// an unterminated quote is the query parser's clear 422; nothing else fails
			assert.ok(r.status === 200 || (r.status === 422 && r.json.error.field === 'q'), `q=${JSON.stringify(q + suffix)}: ${show(r)}`);
			if (r.status === 200)
				assert.ok(Array.isArray(r.json.items));
		}
	}
	// operators are plain text: "NOT kumquat" needs both terms
	assert.deepEqual((await search('NOT kumquat')).items, []);
	// FTS syntax characters around a real word still find it
	assert.deepEqual(nums((await search('(kumquat*)')).items).sort(), [inTitle.number, inBody.number, inComment.number].sort());
	assert.deepEqual((await search('***')).items, [], 'no term: nothing matches');
});

/* ---- side by side: SQLite and PostgreSQL on the same data ------------------ */

const VOCAB = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet',
	'Ärger', 'straße', 'naïve', 'café', 'foo-bar', 'snake_case', 'C++', 'v2.3', 'user@example.com',
	'http://host/path?a=1', '42', '3.14', 'ÉCOLE', 'x86_64'];

function rng(seed) {
	let s = seed >>> 0;
	return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

test('SQLite and PostgreSQL find the same issues for the same queries', { skip: pgTpl ? false : 'needs CAIRN_TEST_DB (PostgreSQL) to compare with SQLite' }, async (t) => {
	delete process.env.CAIRN_TEST_DB;
	let lite;
	try {
		lite = await startServer();
	} finally {
		process.env.CAIRN_TEST_DB = pgTpl;
	}
	try {
		const pg = await startServer();
		try {
			const rand = rng(17);
			const pick = (n) => Array.from({ length: n }, () => VOCAB[Math.floor(rand() * VOCAB.length)]).join(' ');
			for (let k = 0; k < 40; k++) {
				const fields = { title: `${pick(2)} ${k}`, body: pick(6), type: k % 9 === 0 ? 'security' : 'story' };
				const who = k % 2 ? 'eng1' : 'admin';
				const a = await lite.createIssue(fields, who);
				const b = await pg.createIssue(fields, who);
				assert.equal(a.number, b.number);
				if (k % 3 === 0) {
					const body = pick(5);
					await comment(lite, a.number, body);
					await comment(pg, b.number, body);
				}
			}
			const queries = [...VOCAB, ...VOCAB.map((w) => w.slice(0, 4)), 'alpha bravo', 'charlie delta echo',
				'ärger', 'STRASSE', 'strasse', 'Straße', 'cafe', 'ecole', 'école', 'foo', 'bar', 'snake', 'case',
				'example', 'com', 'host path', '86', 'c', 'v2', '3', '14', 'alpha sort:oldest', 'golf is:open',
				...HOSTILE.slice(0, 30)];
			let compared = 0;
			for (const q of queries) {
				for (const login of ['admin', 'eng2', 'eng1']) {
					const ra = await lite.as(login).get('/api/v1/issues', { query: { q, per_page: '100' } });
					const rb = await pg.as(login).get('/api/v1/issues', { query: { q, per_page: '100' } });
					assert.equal(ra.status, rb.status, `q=${JSON.stringify(q)}: ${show(ra)} vs ${show(rb)}`);
					if (ra.status !== 200)
						continue;
					assert.equal(ra.json.total, rb.json.total, `total for ${JSON.stringify(q)} as ${login}`);
					assert.deepEqual(nums(ra.json.items).sort((x, y) => x - y), nums(rb.json.items).sort((x, y) => x - y),
						`the same issues for ${JSON.stringify(q)} as ${login}`);
					const snips = (r) => Object.fromEntries(r.json.items.map((i) => [i.number, i.snippet ?? null]));
					assert.deepEqual(snips(ra), snips(rb), `the same snippets for ${JSON.stringify(q)} as ${login}`);
					if (ra.json.total > 0)
						compared++;
				}
			}
			t.diagnostic(`${compared} non-empty result sets compared`);
			assert.ok(compared > 60, `compared ${compared} non-empty result sets`);
		} finally {
			await pg.kill();
		}
	} finally {
		await lite.kill();
	}
});

/* srv's data restored into a fresh database of this run's backend; fn gets
 * {db, list(q) -> item numbers as admin, through the CLI}. */
async function withRestoredCopy(fn) {
	const { freshDb } = await import('../lib/testdb.mjs');
	const { runCli } = await import('./harness.mjs');
	const dump = srv.cli(['backup']).stdout;
	const db = freshDb();
	const list = (q) => JSON.parse(runCli(['issue', 'list', '--json', '--as', 'admin', '--db', db.url, q]).stdout)
		.items.map((i) => i.number);
	try {
		runCli(['restore', '--db', db.url], { input: dump });
		await fn({ db, list, runCli });
	} finally {
		db.drop();
	}
}

test('a restore rebuilds the search index', () => withRestoredCopy(({ list }) => {
	assert.deepEqual(list('exporter wobbles'), [inComment.number]);
}));

/* Run SQL on a database of this run's backend with its own client; false
 * when that client is not installed. */
async function rawSql(db, sql) {
	const { spawnSync } = await import('node:child_process');
	const r = db.backend === 'postgres'
		? spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-c', sql], { encoding: 'utf8' })
		: spawnSync('sqlite3', [db.url, sql], { encoding: 'utf8' });
	if (r.error?.code === 'ENOENT')
		return false;
	assert.equal(r.status, 0, `${sql}: ${r.stderr}`);
	return true;
}

test('migration 18 backfills the index from existing issues and comments', (t) => withRestoredCopy(async ({ db, list, runCli }) => {
	// as before migration 18: no search tables (the restore made them), nor
	// what the migrations after it made (19, 20: GitHub; 21: the board tally;
	// 23: the triage tally)
	const later = ' DROP TABLE gh_outbox; DROP TABLE gh_deliveries; DROP TABLE gh_comments;' +
		' DROP TABLE gh_issues; DROP TABLE gh_logins; DROP TABLE gh_repos;' +
		' DROP TABLE board_tally; DROP INDEX issues_security_reporter;' +
		' DROP TABLE triage_tally; DROP INDEX issues_security_fix_by;' +
		' DELETE FROM schema_migrations WHERE version >= 18';
	const drop = db.backend === 'postgres'
		? 'DROP TABLE search_docs;' + later
		: 'DROP TABLE issue_fts; DROP TABLE search_queue; DROP TABLE search_docs;' + later;
	if (!(await rawSql(db, drop))) {
		t.skip(`no ${db.backend === 'postgres' ? 'psql' : 'sqlite3'} client`);
		return;
	}
	runCli(['init', '--db', db.url]);
	assert.deepEqual(list('exporter wobbles'), [inComment.number], 'a comment');
	assert.deepEqual(list('generating chart'), [inBody.number], 'a body');
	assert.deepEqual(list('kumquat'), [inTitle.number, inBody.number, inComment.number], 'ranked');
}));

test('server shuts down cleanly', () => srv.stop());
