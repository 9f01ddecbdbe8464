/*
 * changelog_feed.test.mjs — issue #11, the public changelog (docs/API.md
 * "Releases …" → Public changelog): off by default (anonymous 404, a
 * signed-in user previews), turned on by the admin; the Atom 1.0 feed read
 * by a real feed parser (feedparser, sax in strict mode: any error or
 * warning fails), published entries only (never a draft, an entry in
 * review, an approved one not yet published, or a private security issue,
 * whoever asks), ids stable across edits and a restart, `updated` moving
 * with an edit, HTML content escaped; the public HTML page (newest first,
 * 20 a page, titles escaped); conditional GETs (ETag / Last-Modified → 304).
 *
 * One database for the file; the restart starts a second `cairn serve` on
 * it and stops the first.  With CAIRN_NOW set, the restarted server's clock
 * stands an hour later (so an edit after the restart has a later time);
 * without it the test waits a second instead.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';

import FeedParser from 'feedparser';

import { DEFAULT_USERS, assertError, assertStatus, sessionCookie, show, startServer, uniq } from './harness.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

let srv = await startServer({ users: DEFAULT_USERS });
const servers = [srv];
after(async () => {
	for (const s of servers.reverse())
		await s.kill();
});

const CL = '/api/v1/changelog';
const as = (login) => srv.as(login);
const URN_RE = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const u = uniq('f');

/* ---------- helpers ---------- */

/* A GET without a login (or as `login`), with extra headers. */
const get = (path, { login, headers } = {}) =>
	srv.api('GET', path, { token: login ? srv.tokens[login] : undefined, headers });

/* Parse an Atom document with feedparser in strict mode; any error or
 * warning is a problem. */
function parseFeed(xml) {
	return new Promise((resolve) => {
		const fp = new FeedParser({ strict: true, resume_saxerror: false, normalize: true, addmeta: false });
		const items = [];
		const problems = [];
		let meta = null;
		let done = false;
		const finish = () => {
			if (!done) {
				done = true;
				resolve({ meta, items, problems });
			}
		};
		fp.on('error', (e) => {
			problems.push(`error: ${e.message}`);
			setImmediate(finish);
		});
		fp.on('warning', (w) => problems.push(`warning: ${w?.message ?? w}`));
		fp.on('meta', (m) => { meta = m; });
		fp.on('readable', function () {
			let i;
			while ((i = this.read()))
				items.push(i);
		});
		fp.on('end', finish);
		Readable.from([xml]).pipe(fp);
	});
}

/* GET and parse the feed; it must parse without a problem. */
async function feed(login) {
	const r = await get('/changelog.atom', { login });
	assertStatus(r, 200);
	assert.match(r.headers.get('content-type') || '', /^application\/atom\+xml/, show(r));
	const f = await parseFeed(r.text);
	assert.deepEqual(f.problems, [], `the feed parses with no error or warning:\n${r.text.slice(0, 3000)}`);
	assert.ok(f.meta, 'feed metadata');
	assert.equal(f.meta['#type'], 'atom');
	assert.equal(f.meta['#version'], '1.0');
	return { ...f, text: r.text, res: r };
}

const feedId = (f) => f.meta['atom:id']?.['#'];

/* An entry's title as the feed says it (feedparser's item.title strips
 * anything that looks like a tag; the Atom element is the truth): text,
 * or for type="html" the text of the HTML. */
function titleOf(i) {
	const t = i['atom:title'];
	if (!t || typeof t['#'] !== 'string')
		return i.title;
	return t['@']?.type === 'html' || t['@']?.type === 'xhtml' ? textOf(t['#']) : t['#'];
}
/* The names of an entry's <author> elements (feedparser's item.author
 * covers a single author only). */
function authorsOf(i) {
	const a = i['atom:author'];
	return (Array.isArray(a) ? a : a ? [a] : []).map((x) => x?.name?.['#']);
}
const itemByTitle = (f, title) => f.items.find((i) => titleOf(i) === title);

/* HTML character references back to text (what a browser shows). */
function decodeHtml(s) {
	return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos|#39);/gi, (m, e) => {
		const k = e.toLowerCase();
		if (k === 'lt') return '<';
		if (k === 'gt') return '>';
		if (k === 'amp') return '&';
		if (k === 'quot') return '"';
		if (k === 'apos') return "'";
		if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
		return String.fromCodePoint(parseInt(k.slice(1), 10));
	});
}
const textOf = (html) => decodeHtml(html.replace(/<[^>]*>/g, ''));

async function create(body, login = 'pm1') {
	const r = await as(login).post(CL, body);
	assertStatus(r, 201);
	return r.json;
}

async function move(id, state, login) {
	const r = await as(login).post(`${CL}/${id}/state`, { state });
	assertStatus(r, 200);
	assert.equal(r.json.state, state);
	return r.json;
}

async function publishNew(body) {
	const e = await create(body);
	await move(e.id, 'in_review', 'pm1');
	await move(e.id, 'approved', 'eng2');
	return move(e.id, 'published', 'pm1');
}

/* ---------- the fixture ---------- */

const T = {
	p1: `Bold <b>&"x"</b> claims ${u}`,
	p2: `<script>alert("cl")</script> Launch ${u}`,
	p3: `Hardened logging ${u}`,
	draft: `DRAFT-ONLY-${u}`,
	review: `REVIEW-ONLY-${u}`,
	approved: `APPROVED-ONLY-${u}`,
	secret: `PRIVATE-SEC-${u}`,
	archive: (i) => `Archive item ${String(i).padStart(2, '0')} ${u}`,
};
const ARCHIVE = 22;
const E = {}; // entries by key
let sec; // the private security issue
let order = []; // titles of published entries, newest first

function assertNothingPrivate(text, who) {
	for (const k of ['draft', 'review', 'approved', 'secret'])
		assert.ok(!text.includes(T[k]), `${who}: "${T[k]}" must not appear`);
	// not "#N" as a reference (a CSS colour like #2a2a2a or an entity like &#34; is not one)
	assert.ok(!new RegExp(`(?<![&\\w])#${sec.number}(?![0-9a-fA-F])`).test(text), `${who}: no reference to the private issue #${sec.number}`);
}

/* ---------- tests ---------- */

test('the public changelog is off by default: anonymous 404, a signed-in user previews; the admin turns it on', async () => {
	const s = await as('admin').get('/api/v1/settings');
	assertStatus(s, 200);
	assert.equal(s.json.public_changelog, false, `off by default: ${show(s)}`);
	for (const p of ['/changelog', '/changelog.atom', '/changelog?page=2'])
		assertStatus(await get(p), 404);
	assertStatus(await get('/changelog.atom', { login: 'viewer1' }), 200);
	assertStatus(await get('/changelog', { login: 'eng1' }), 200);
	// signed in with the browser's session cookie, too
	const login = await srv.api('POST', '/api/v1/session', { body: { login: 'viewer1', password: srv.passwords.viewer1 } });
	assertStatus(login, 200);
	const cookie = sessionCookie(login);
	assert.ok(cookie, 'a session cookie');
	assertStatus(await get('/changelog', { headers: { Cookie: cookie.pair } }), 200);
	assertStatus(await get('/changelog.atom', { headers: { Cookie: cookie.pair } }), 200);

	for (const login of ['eng1', 'viewer1'])
		assertError(await as(login).patch('/api/v1/settings', { public_changelog: true }), 403, 'forbidden');
	assertError(await as('admin').patch('/api/v1/settings', { public_changelog: 'yes' }), 422, 'invalid_field', 'public_changelog');
	assert.equal((await as('admin').get('/api/v1/settings')).json.public_changelog, false, 'refused: still off');
	assertStatus(await get('/changelog.atom'), 404);

	const on = await as('admin').patch('/api/v1/settings', { public_changelog: true });
	assertStatus(on, 200);
	assert.equal((await as('viewer1').get('/api/v1/settings')).json.public_changelog, true);
	const page = await get('/changelog');
	assertStatus(page, 200);
	assert.match(page.headers.get('content-type') || '', /^text\/html/);
	const f = await feed();
	assert.match(feedId(f), URN_RE, 'the feed id is a urn:uuid');
	assert.equal(f.items.length, 0, 'nothing published yet');
});

test('fixture: published entries, a draft, one in review, one approved, a private security issue, an archive of older posts', async () => {
	const pub = await srv.createIssue({ type: 'feature', title: uniq('Public issue ') }, 'admin');
	sec = await srv.createIssue({ type: 'security', title: T.secret, body: 'the token is in the logs' }, 'eng1');
	E.p1 = (await publishNew({ title: T.p1, description: 'P1 summary', authors: ['pm1', 'eng1'],
		body: `Try \`<b>&"x"</b>\` now, **strong-${u}**.` })).id;
	E.p2 = (await publishNew({ title: T.p2, description: 'Script in the title', body: 'Nothing to run here.' })).id;
	E.p3 = (await publishNew({ title: T.p3, description: 'Logs without secrets', issues: [`#${pub.number}`, `#${sec.number}`],
		body: 'We looked at every log line.' })).id;
	E.draft = (await create({ title: T.draft, body: 'not yet' })).id;
	E.review = (await create({ title: T.review })).id;
	await move(E.review, 'in_review', 'pm1');
	E.approved = (await create({ title: T.approved })).id;
	await move(E.approved, 'in_review', 'pm1');
	await move(E.approved, 'approved', 'eng2');
	for (let i = 0; i < ARCHIVE; i++) {
		const e = await publishNew({ title: T.archive(i), description: `old news ${i}`, date: `${addDays(todayYmd(), -10 - i)}T12:00:00Z` });
		E[`a${i}`] = e.id;
	}
	// newest first: the three published now (same date: the later id first), then the archive by date
	order = [T.p3, T.p2, T.p1, ...Array.from({ length: ARCHIVE }, (_, i) => T.archive(i))];
});

test('the Atom feed parses cleanly and has the published entries only, newest first, each with id, updated, author, alternate link', async () => {
	const f = await feed();
	assert.deepEqual(f.items.map(titleOf), order, 'published entries, newest first');
	const ids = f.items.map((i) => i.guid);
	for (const id of ids)
		assert.match(id, URN_RE, 'entry ids are urn:uuid values');
	assert.equal(new Set(ids).size, ids.length, 'entry ids are distinct');
	assert.ok(!ids.includes(feedId(f)), 'the feed id is not an entry id');
	assert.ok(!Number.isNaN(Date.parse(f.meta.date)), `the feed has updated: ${f.meta.date}`);
	assert.ok(f.meta.link, 'the feed has a link');
	for (const i of f.items) {
		const t = titleOf(i);
		assert.ok(i['atom:updated'] && i.date && !Number.isNaN(i.date.getTime()), `${t}: updated`);
		assert.ok(i['atom:published'] && i.pubdate && !Number.isNaN(i.pubdate.getTime()), `${t}: published`);
		assert.ok(authorsOf(i).length > 0 && authorsOf(i).every((n) => typeof n === 'string' && n), `${t}: an author: ${JSON.stringify(i['atom:author'])}`);
		assert.ok(String(i.link).startsWith(`${srv.base}/`), `${t}: an absolute alternate link from the Host: ${i.link}`);
	}
	const links = f.items.map((i) => i.link);
	assert.equal(new Set(links).size, links.length, 'each entry links to its own page');

	// content: the rendered body, escaped once in the XML, HTML again after parsing
	const p1 = itemByTitle(f, T.p1);
	assert.ok(p1, `the title with markup round-trips as text: ${f.items.map(titleOf)}`);
	const entry = (await as('admin').get(`${CL}/${E.p1}`)).json;
	assert.equal((p1.description || '').trim(), entry.body_html.trim(), 'the content is the rendered body');
	assert.ok(textOf(p1.description).includes('Try <b>&"x"</b> now'), `the body's text survives: ${p1.description}`);
	assert.ok(p1.description.includes(`<strong>strong-${u}</strong>`), p1.description);
	assert.equal(p1.summary, 'P1 summary');
	assert.deepEqual(authorsOf(p1), ['pm1', 'eng1'], 'one author element per author');
	assert.ok(itemByTitle(f, T.p2), 'the script title is a plain title');
	assert.ok(!f.text.includes('<script>') && !f.text.includes('<b>&'), 'no raw markup in the XML');

	assertNothingPrivate(f.text, 'anonymous feed');
	for (const login of ['viewer1', 'eng2', 'admin']) {
		const g = await feed(login);
		assert.deepEqual(g.items.map(titleOf), order, `${login}'s preview: the same published entries`);
		assertNothingPrivate(g.text, `${login}'s feed`);
	}

	// each alternate link opens the entry on the public page, without a login; a draft's or an
	// unpublished entry's slug opens nothing of it
	const l1 = await get(itemByTitle(f, T.p3).link);
	assertStatus(l1, 200);
	assert.ok(decodeHtml(l1.text).includes(T.p3), 'the entry\'s link shows it');
	assertNothingPrivate(l1.text, 'the entry page');
	for (const k of ['draft', 'review', 'approved']) {
		const slug = (await as('admin').get(`${CL}/${E[k]}`)).json.slug;
		const link = itemByTitle(f, T.p3).link.replace(/[^/?=&]+$/, slug);
		assert.notEqual(link, itemByTitle(f, T.p3).link);
		const r = await get(link);
		assert.ok(r.status === 404 || r.status === 200, show(r));
		assert.ok(!r.text.includes(T[k]), `the ${k} entry is not shown at ${link}: ${r.status}`);
		const rv = await get(link, { login: 'viewer1' });
		assert.ok(!rv.text.includes(T[k]), `nor to a signed-in viewer at ${link}`);
	}

	// a post given an earlier date is published on that date, as the page shows it and the feed orders it
	const old = itemByTitle(f, T.archive(3));
	const entryOld = (await as('admin').get(`${CL}/${E.a3}`)).json;
	assert.equal(entryOld.date, `${addDays(todayYmd(), -13)}T12:00:00Z`);
	assert.equal(old.pubdate.toISOString().replace('.000Z', 'Z'), entryOld.date, '<published> is the post\'s date');
});

test('the public page: newest first, 20 a page, rendered bodies, titles escaped, nothing unpublished or private', async () => {
	const p1 = await get('/changelog');
	assertStatus(p1, 200);
	assert.match(p1.headers.get('content-type') || '', /^text\/html/);
	const p2 = await get('/changelog?page=2');
	assertStatus(p2, 200);
	const t1 = decodeHtml(p1.text);
	const t2 = decodeHtml(p2.text);
	const first = order.slice(0, 20);
	const rest = order.slice(20);
	let at = -1;
	for (const title of first) {
		const i = t1.indexOf(title);
		assert.ok(i > at, `page 1 lists "${title}" after the one before it (newest first)`);
		at = i;
		assert.ok(!t2.includes(title), `"${title}" is not on page 2`);
	}
	at = -1;
	for (const title of rest) {
		assert.ok(!t1.includes(title), `"${title}" is not on page 1`);
		const i = t2.indexOf(title);
		assert.ok(i > at, `page 2 lists "${title}" in order`);
		at = i;
	}
	assert.ok(!p1.text.includes('<script>alert("cl")'), 'the title with <script> is escaped');
	assert.ok(/&lt;script&gt;alert\(/.test(p1.text), 'and shown as text');
	assert.ok(!p1.text.includes('<b>&'), 'the title with <b> is escaped');
	assert.ok(p1.text.includes(`<strong>strong-${u}</strong>`), 'each entry with its rendered body');
	for (const [p, who] of [[p1, 'anonymous page 1'], [p2, 'anonymous page 2']])
		assertNothingPrivate(p.text, who);
	for (const login of ['viewer1', 'admin']) {
		const r = await get('/changelog', { login });
		assertStatus(r, 200);
		assertNothingPrivate(r.text, `${login}'s preview`);
	}
});

test('conditional GET: ETag and Last-Modified answer 304 with no body; a new publish changes the ETag', async () => {
	const saved = {};
	for (const p of ['/changelog.atom', '/changelog']) {
		const r = await get(p);
		assertStatus(r, 200);
		const etag = r.headers.get('etag');
		const lm = r.headers.get('last-modified');
		assert.ok(etag, `${p}: ETag`);
		assert.ok(lm && !Number.isNaN(Date.parse(lm)), `${p}: Last-Modified: ${lm}`);
		const inm = await get(p, { headers: { 'If-None-Match': etag } });
		assertStatus(inm, 304);
		assert.equal(inm.text, '', `${p}: a 304 has no body`);
		const ims = await get(p, { headers: { 'If-Modified-Since': lm } });
		assertStatus(ims, 304);
		assert.equal(ims.text, '');
		const list = await get(p, { headers: { 'If-None-Match': `"not-it", ${etag}` } });
		assertStatus(list, 304); // RFC 9110 13.1.2: a list of entity tags
		const weak = await get(p, { headers: { 'If-None-Match': etag.startsWith('W/') ? etag : `W/${etag}` } });
		assertStatus(weak, 304); // If-None-Match compares weakly
		const other = await get(p, { headers: { 'If-None-Match': '"not-the-etag"' } });
		assertStatus(other, 200);
		assert.equal(other.text, r.text, 'the same document again');
		saved[p] = etag;
	}
	const title = `Fresh news ${u}`;
	await publishNew({ title, body: 'Just out.' });
	for (const p of ['/changelog.atom', '/changelog']) {
		const r = await get(p, { headers: { 'If-None-Match': saved[p] } });
		assertStatus(r, 200);
		assert.notEqual(r.headers.get('etag'), saved[p], `${p}: a new ETag after a publish`);
		assert.ok(decodeHtml(r.text).includes(title), `${p}: has the new entry`);
	}
	order = [title, ...order];
	const f = await feed();
	assert.equal(titleOf(f.items[0]), title, 'the newest first');
});

test('entry and feed ids stay the same after edits and a restart; an edit moves the entry\'s updated', async () => {
	const f0 = await feed();
	const id0 = feedId(f0);
	const guid0 = Object.fromEntries(f0.items.map((i) => [titleOf(i), i.guid]));

	// edits (same clock): body and title change, ids do not
	const newTitle = `Hardened logging, everywhere ${u}`;
	const etag0 = f0.res.headers.get('etag');
	const e1 = await as('pm1').patch(`${CL}/${E.p1}`, { body: `Edited once, **strong-${u}**.` });
	assertStatus(e1, 200);
	const c1 = await get('/changelog.atom', { headers: { 'If-None-Match': etag0 } });
	assertStatus(c1, 200); // the feed changed: a reader holding the old ETag gets it
	assert.ok(c1.text.includes('Edited once'));
	const e3 = await as('admin').patch(`${CL}/${E.p3}`, { title: newTitle });
	assertStatus(e3, 200);
	const f1 = await feed();
	assert.equal(feedId(f1), id0, 'the feed id after an edit');
	assert.equal(itemByTitle(f1, T.p1).guid, guid0[T.p1], 'an edited entry keeps its id');
	assert.ok(itemByTitle(f1, T.p1).description.includes('Edited once'), 'with the new body');
	assert.ok(!itemByTitle(f1, T.p3), 'the old title is gone');
	assert.equal(itemByTitle(f1, newTitle)?.guid, guid0[T.p3], 'a retitled entry keeps its id');
	T.p3 = newTitle;
	order = order.map((t) => (t === `Hardened logging ${u}` ? newTitle : t));
	guid0[newTitle] = guid0[`Hardened logging ${u}`];
	for (const i of f1.items)
		assert.equal(i.guid, guid0[titleOf(i)], `${titleOf(i)}: same id`);
	const before = itemByTitle(f1, T.p1);

	// restart: a new process on the same database (its clock an hour on)
	const saved = process.env.CAIRN_NOW;
	let b;
	try {
		if (saved)
			process.env.CAIRN_NOW = new Date(nowMs() + 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		b = await startServer({ shareWith: srv });
	} finally {
		if (saved === undefined)
			delete process.env.CAIRN_NOW;
		else
			process.env.CAIRN_NOW = saved;
	}
	servers.push(b);
	await srv.stop();
	srv = b;

	const f2 = await feed();
	assert.equal(feedId(f2), id0, 'the feed id after a restart');
	assert.deepEqual(f2.items.map((i) => [titleOf(i), i.guid]), f1.items.map((i) => [titleOf(i), i.guid]), 'entry ids after a restart');
	assert.equal(itemByTitle(f2, T.p1).date.getTime(), before.date.getTime(), 'updated does not move by itself');
	assertNothingPrivate(f2.text, 'feed after the restart');

	if (!saved)
		await new Promise((r) => setTimeout(r, 1100)); // the wall clock: let a second pass
	const e1b = await as('pm1').patch(`${CL}/${E.p1}`, { body: `Edited twice, **strong-${u}**.` });
	assertStatus(e1b, 200);
	const f3 = await feed();
	const after = itemByTitle(f3, T.p1);
	assert.equal(after.guid, guid0[T.p1], 'same id after an edit on the restarted server');
	assert.ok(after.date.getTime() > before.date.getTime(), `updated moves with the edit: ${before.date.toISOString()} -> ${after.date.toISOString()}`);
	assert.equal(after.pubdate.getTime(), before.pubdate.getTime(), 'published does not move');
	assert.ok(new Date(f3.meta.date).getTime() >= after.date.getTime(), 'the feed\'s updated is at least its newest entry\'s');
	assert.ok(after.description.includes('Edited twice'));
	for (const i of f3.items)
		if (titleOf(i) !== T.p1)
			assert.equal(i.date.getTime(), itemByTitle(f2, titleOf(i)).date.getTime(), `${titleOf(i)}: not edited, updated unchanged`);
});

test('the feed carries the newest 50; the page goes on to page 3; odd page numbers do not break it', async () => {
	const files = Array.from({ length: 30 }, (_, i) => {
		const day = `2020-01-${String(i + 1).padStart(2, '0')}`;
		return {
			name: `${day}-history-${String(i).padStart(2, '0')}-${u}.md`,
			content: `---\ntitle: "History ${String(i).padStart(2, '0')} ${u}"\ndescription: "From the old tool"\ndate: ${day} 09:00:00.0\n` +
				'authors: ["pm1"]\ntags:\n  - changelog\nissues: []\n---\n\nImported.\n',
		};
	});
	const r = await as('pm1').post(`${CL}/import`, { files });
	assertStatus(r, 200);
	assert.equal(r.json.imported.length, 30, show(r));
	// 26 + 30 = 56 published: the newest 50 in the feed, the oldest 6 (History 00..05) left out
	order = [...order, ...Array.from({ length: 30 }, (_, i) => `History ${String(29 - i).padStart(2, '0')} ${u}`)];
	const f = await feed();
	assert.equal(f.items.length, 50);
	assert.deepEqual(f.items.map(titleOf), order.slice(0, 50));
	const p3 = await get('/changelog?page=3');
	assertStatus(p3, 200);
	const t3 = decodeHtml(p3.text);
	for (const title of order.slice(40))
		assert.ok(t3.includes(title), `page 3 has "${title}"`);
	for (const q of ['0', '-1', 'abc', '99999', '99999999999999999999999', '1e3', '%00'])
		assert.ok((await get(`/changelog?page=${q}`)).status < 500, `page=${q} is not a server error`);
	srv.assertAlive();
});

test('odd characters in a published title keep the feed well-formed', async () => {
	const title = `Rocket \u{1F680} launch, tab\there, bell \u0007 and \u000b ${u}`;
	const r = await as('pm1').post(CL, { title, body: 'Zero\u200bwidth and \u{1F600}.' });
	if (r.status === 422) {
		assertError(r, 422, 'invalid_field', 'title'); // refusing control characters is fine too
		return;
	}
	assertStatus(r, 201);
	await move(r.json.id, 'in_review', 'pm1');
	await move(r.json.id, 'approved', 'eng2');
	await move(r.json.id, 'published', 'pm1');
	order = [title, ...order];
	const f = await feed();
	const t = titleOf(f.items[0]);
	assert.ok(t.includes('Rocket \u{1F680} launch') && t.includes(u), `the title survives: ${JSON.stringify(t)}`);
	assertStatus(await get('/changelog'), 200);
});

test('public_url makes the links absolute on that host', async () => {
	assertError(await as('admin').patch('/api/v1/settings', { public_url: 'javascript:alert(1)' }), 422, 'invalid_field', 'public_url');
	const before = await get('/changelog.atom');
	const r = await as('admin').patch('/api/v1/settings', { public_url: 'https://changelog.example.com' });
	assertStatus(r, 200);
	const c = await get('/changelog.atom', { headers: { 'If-None-Match': before.headers.get('etag') } });
	assertStatus(c, 200); // every link changed: the old ETag must not answer 304
	const f = await feed();
	for (const i of f.items)
		assert.ok(String(i.link).startsWith('https://changelog.example.com/'), `link on the public host: ${i.link}`);
});

test('turning the public changelog off hides it from anonymous readers again', async () => {
	assertStatus(await as('admin').patch('/api/v1/settings', { public_changelog: false }), 200);
	assertStatus(await get('/changelog'), 404);
	assertStatus(await get('/changelog.atom'), 404);
	const f = await feed('viewer1');
	assert.ok(f.items.length > 0, 'a signed-in reader still previews it');
});

test('server shuts down cleanly', () => srv.stop());
