/*
 * triage.test.mjs — the triage inbox and its actions (issue #5, docs/API.md
 * "Triage"): GET /api/v1/triage (oldest first, needs-triage included,
 * closed excluded, stats), POST /api/v1/issues/{n}/triage (decisions and
 * routes: under review, icebox, duplicate, won't do), validation that
 * changes nothing, who may triage, privacy of security issues on every
 * triage path (inbox, stats, /security/due, severity:/board: queries,
 * /metrics), CVSS scores and fix-by dates from the SLA settings.
 *
 * Not covered, and why:
 *  - an *overdue* security issue (and so a non-zero sla_breaches): fix-by is
 *    the reported date + SLA days with days >= 1, and the API cannot backdate
 *    an issue, so no test can make one overdue without waiting; the overdue
 *    list is checked for its shape only.
 *  - a duplicate target the triager cannot see: only admin, pm and cto may
 *    triage, and they see every issue.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, daysFromToday, nowMs, todayYmd } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const V_CRIT = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8 critical
const V_HIGH = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'; // 8.8 high
const V_MED = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N';  // 6.5 medium
const V_LOW = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N';  // 3.1 low
const V_NONE = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'; // 0.0 none
const HORIZONS = ['next', 'short', 'medium', 'long'];

/* ---------- helpers ---------- */

const triage = (n, body, login = 'pm1', opts = {}) => srv.as(login).post(`/api/v1/issues/${n}/triage`, body, opts);

async function get(n, login = 'admin') {
	const r = await srv.as(login).get(`/api/v1/issues/${n}`);
	assertStatus(r, 200);
	return r.json;
}

async function history(n) {
	const r = await srv.as('admin').get(`/api/v1/issues/${n}/history`);
	assertStatus(r, 200);
	return r.json.items;
}

/* The whole inbox as `login` (every page) with total and stats of page 1. */
async function inbox(login = 'admin') {
	const items = [];
	let first = null;
	for (let page = 1; page < 100; page++) {
		const r = await srv.as(login).get('/api/v1/triage', { query: { page: String(page), per_page: '100' } });
		assertStatus(r, 200);
		first ??= r.json;
		items.push(...r.json.items);
		if (r.json.items.length === 0 || items.length >= r.json.total)
			break;
	}
	return { items, total: first.total, stats: first.stats, numbers: items.map((i) => i.number) };
}

/* PATCH with the current ETag, expecting 200. */
async function patch(n, fields, login = 'admin') {
	const r = await srv.patchIssue(n, fields, login);
	assertStatus(r, 200);
	return r.json;
}

/* A fresh open issue (in the inbox), as `login`. */
const make = (fields = {}, login = 'admin') => srv.createIssue({ title: uniq('triage '), ...fields }, login);

/* A security issue reported by `login`, scored with `vector`. */
async function securityIssue(vector, login = 'eng1', fields = {}) {
	const i = await make({ type: 'security', ...fields }, login);
	return vector ? patch(i.number, { cvss: vector }, login) : i;
}

/* YYYY-MM-DD of an ISO time plus `days` (UTC calendar days). */
function plusDays(iso, days) {
	const d = new Date(iso);
	const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + days * 86400000;
	return new Date(t).toISOString().slice(0, 10);
}


/* Everything a refused triage request could have touched: the snapshot
 * (issue list, touched issues with history) plus the inbox and settings. */
async function state(touched) {
	const snap = await srv.snapshot(touched);
	const ib = await inbox('admin');
	const settings = await srv.as('admin').get('/api/v1/settings');
	return { snap, inbox: ib, settings: settings.json };
}

async function assertNothingChanged(before, touched, why) {
	const now = await state(touched);
	assert.deepStrictEqual(now, before, why);
}

/* Parse Prometheus text into {name: [{labels, value}]}. */
function metrics(text) {
	const out = {};
	for (const line of text.split('\n')) {
		if (!line || line.startsWith('#'))
			continue;
		const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
		assert.ok(m, `unparsable metrics line ${JSON.stringify(line)}`);
		(out[m[1]] ??= []).push({ labels: m[2] || '', value: Number(m[3]) });
	}
	return out;
}

/* ---------- the inbox ---------- */

test('a new issue lands in No Status with the triage fields empty', async () => {
	const i = await make({ type: 'feature' });
	assert.equal(i.board, 'no_status');
	for (const f of ['bug_severity', 'cvss', 'cvss_score', 'severity', 'fix_by', 'triaged_at', 'duplicate_of', 'close_reason'])
		assert.ok(Object.hasOwn(i, f) && i[f] === null, `${f} must be present and null: ${JSON.stringify(i)}`);
	const g = await get(i.number);
	assert.equal(g.board, 'no_status');
	const l = await srv.listAll();
	assert.equal(l.items.find((x) => x.number === i.number)?.board, 'no_status', 'lists carry board');
});

test('the inbox: open No Status issues and needs-triage ones, oldest first, with age_days; closed and triaged ones out', async () => {
	const a = await make();
	const b = await make({ type: 'bug', labels: ['needs-triage'] });
	const closed = await make();
	await patch(closed.number, { state: 'closed' });
	const triaged = await make();
	assertStatus(await triage(triaged.number, { board: 'short' }), 200);
	// Triaged, then labelled needs-triage again: back in the inbox while on Short.
	const relabelled = await make();
	assertStatus(await triage(relabelled.number, { board: 'medium' }), 200);
	const rl = await patch(relabelled.number, { labels: ['needs-triage'] });
	assert.equal(rl.board, 'medium');
	// needs-triage on a closed issue does not bring it in.
	const closedLabelled = await make({ labels: ['needs-triage'] });
	await patch(closedLabelled.number, { state: 'closed' });

	const ib = await inbox();
	for (const n of [a.number, b.number, relabelled.number])
		assert.ok(ib.numbers.includes(n), `#${n} must be in the inbox: ${ib.numbers}`);
	for (const n of [closed.number, triaged.number, closedLabelled.number])
		assert.ok(!ib.numbers.includes(n), `#${n} must not be in the inbox: ${ib.numbers}`);
	for (const it of ib.items) {
		assert.equal(it.state, 'open', `#${it.number} open`);
		assert.ok(it.board === 'no_status' || it.labels.includes('needs-triage'), `#${it.number}: ${JSON.stringify(it)}`);
		assert.equal(typeof it.age_days, 'number', `age_days: ${JSON.stringify(it)}`);
		assert.ok(it.age_days >= 0 && it.age_days < 1, `fresh issue age_days ${it.age_days}`);
		assert.equal(typeof it.title, 'string');
		assert.equal(typeof it.type, 'string');
	}
	// Oldest first: by created_at, issues created in the same second by number.
	const order = [...ib.items].sort((x, y) => (x.created_at < y.created_at ? -1 : x.created_at > y.created_at ? 1 : x.number - y.number));
	assert.deepEqual(ib.numbers, order.map((i) => i.number), 'oldest first');
	assert.ok(ib.numbers.indexOf(a.number) < ib.numbers.indexOf(b.number));
	assert.ok(ib.numbers.indexOf(b.number) < ib.numbers.indexOf(relabelled.number));

	assert.equal(ib.total, ib.items.length);
	assert.equal(ib.stats.inbox_size, ib.total, 'stats.inbox_size');
	assert.ok(Number.isInteger(ib.stats.sla_breaches) && ib.stats.sla_breaches >= 0, `sla_breaches ${ib.stats.sla_breaches}`);
	assert.ok(Object.hasOwn(ib.stats, 'median_time_to_triage_hours'));
	const med = ib.stats.median_time_to_triage_hours;
	assert.ok(typeof med === 'number' && med >= 0 && med < 1, `two issues triaged seconds after creation: median ${med} h`);
});

test('the inbox pages like the issue list', async () => {
	for (let i = 0; i < 3; i++)
		await make();
	const all = await inbox();
	assert.ok(all.total >= 5);
	const r1 = await srv.as('admin').get('/api/v1/triage', { query: { per_page: '2', page: '1' } });
	const r2 = await srv.as('admin').get('/api/v1/triage', { query: { per_page: '2', page: '2' } });
	assertStatus(r1, 200);
	assertStatus(r2, 200);
	assert.equal(r1.json.per_page, 2);
	assert.equal(r1.json.page, 1);
	assert.equal(r2.json.page, 2);
	assert.equal(r1.json.total, all.total);
	assert.deepEqual([...r1.json.items, ...r2.json.items].map((i) => i.number), all.numbers.slice(0, 4));
	assert.equal(r1.json.stats.inbox_size, all.total, 'stats cover the whole inbox, not the page');
	assertError(await srv.as('admin').get('/api/v1/triage', { query: { per_page: '0' } }), 422, 'invalid_field', 'per_page');
	assertError(await srv.as('admin').get('/api/v1/triage', { query: { page: 'x' } }), 422, 'invalid_field', 'page');
});

/* ---------- decisions ---------- */

test('a decision sets type, priority, pm_size, board and bug severity; removes needs-triage; sets triaged_at; history', async () => {
	const i = await make({ type: 'feature', labels: ['needs-triage', 'area:api'] });
	const t0 = nowMs();
	const r = await triage(i.number, { type: 'bug', priority: 'high', pm_size: 'M', board: 'next', bug_severity: 'S2' });
	assertStatus(r, 200);
	const t = r.json;
	assert.equal(t.number, i.number);
	assert.equal(t.type, 'bug');
	assert.equal(t.priority, 'high');
	assert.equal(t.pm_size, 3);
	assert.equal(t.board, 'next');
	assert.equal(t.bug_severity, 'S2');
	assert.equal(t.state, 'open');
	assert.deepEqual(t.labels, ['area:api'], 'needs-triage removed, other labels kept');
	assert.match(t.triaged_at ?? '', ISO_RE);
	assert.ok(Date.parse(t.triaged_at) >= t0 - 2000 && Date.parse(t.triaged_at) <= nowMs() + 2000, `triaged_at ${t.triaged_at}`);
	assert.ok(t.version > i.version, 'version bumped');
	if (r.headers.get('etag') !== null)
		assert.equal(r.headers.get('etag'), `"${t.version}"`);
	const { body: _b, body_html: _h, ...fresh } = await get(i.number);
	const { body: _b2, body_html: _h2, ...answered } = t;
	assert.deepEqual(fresh, answered, 'GET shows what the triage answered');

	const hist = await history(i.number);
	const rows = hist.filter((e) => e.actor === 'pm1');
	const byField = Object.fromEntries(rows.map((e) => [e.field, e]));
	for (const f of ['type', 'priority', 'pm_size', 'board', 'bug_severity', 'labels'])
		assert.ok(byField[f], `history row for ${f}: ${JSON.stringify(hist)}`);
	assert.equal(byField.type.old, 'feature');
	assert.equal(byField.type.new, 'bug');
	assert.equal(byField.board.old, 'no_status');
	assert.equal(byField.board.new, 'next');
	assert.equal(byField.priority.new, 'high');
	assert.equal(byField.bug_severity.new, 'S2');
	for (const e of rows)
		assert.match(e.at, ISO_RE);
	assert.ok(!(await inbox()).numbers.includes(i.number), 'out of the inbox');
});

test('each horizon is a valid decision; sizes as letter or points; fields left out stay as they were', async () => {
	for (const [k, board] of HORIZONS.entries()) {
		const i = await make({ type: 'story', priority: 'low', pm_size: 'S' });
		const size = [5, 'XL', '13', 'XS'][k];
		const r = await triage(i.number, { board, pm_size: size });
		assertStatus(r, 200);
		assert.equal(r.json.board, board);
		assert.equal(r.json.pm_size, [5, 8, 13, 1][k], `pm_size ${JSON.stringify(size)}`);
		assert.equal(r.json.type, 'story', 'type untouched');
		assert.equal(r.json.priority, 'low', 'priority untouched');
		assert.match(r.json.triaged_at ?? '', ISO_RE);
	}
	// priority null clears it.
	const c = await make({ priority: 'high' });
	const r = await triage(c.number, { board: 'next', priority: null });
	assertStatus(r, 200);
	assert.equal(r.json.priority, null);
});

test('admin and cto may triage too; a decision may make an issue a scored security issue', async () => {
	const a = await make();
	assertStatus(await triage(a.number, { board: 'long', type: 'task' }, 'admin'), 200);
	const c = await make();
	const r = await triage(c.number, { board: 'next', type: 'security', cvss: V_CRIT, priority: 'high' }, 'cto1');
	assertStatus(r, 200);
	assert.equal(r.json.type, 'security');
	assert.equal(r.json.cvss, V_CRIT);
	assert.equal(r.json.cvss_score, 9.8);
	assert.equal(r.json.severity, 'critical');
	assert.equal(r.json.fix_by, plusDays(c.created_at, 7));
});

test('triage with If-Match: the current version works, a stale one is 412 and changes nothing', async () => {
	const i = await make();
	const before = await state([i.number]);
	assertError(await triage(i.number, { board: 'next' }, 'pm1', { headers: { 'If-Match': `"${i.version + 5}"` } }), 412, 'stale_version');
	await assertNothingChanged(before, [i.number]);
	assertStatus(await triage(i.number, { board: 'next' }, 'pm1', { headers: { 'If-Match': `"${i.version}"` } }), 200);
});

/* ---------- routes ---------- */

test('routes under_review and icebox: board set, still open, needs-triage removed, triaged_at set, history', async () => {
	for (const [route, board] of [['under_review', 'under_review'], ['icebox', 'icebox']]) {
		const i = await make({ labels: ['needs-triage'] });
		const r = await triage(i.number, { route });
		assertStatus(r, 200);
		assert.equal(r.json.board, board);
		assert.equal(r.json.state, 'open');
		assert.deepEqual(r.json.labels, []);
		assert.match(r.json.triaged_at ?? '', ISO_RE);
		assert.equal(r.json.close_reason, null);
		const b = (await history(i.number)).find((e) => e.field === 'board');
		assert.deepEqual([b?.actor, b?.old, b?.new], ['pm1', 'no_status', board], `history: ${JSON.stringify(b)}`);
		assert.ok(!(await inbox()).numbers.includes(i.number));
	}
});

test("won't do closes the issue and keeps the reason", async () => {
	const i = await make({ labels: ['needs-triage'] });
	const reason = 'Out of scope: we will not support <b>IE11</b> & "friends"';
	const r = await triage(i.number, { route: 'wont_do', reason });
	assertStatus(r, 200);
	assert.equal(r.json.state, 'closed');
	assert.equal(r.json.board, 'closed');
	assert.match(r.json.closed_at ?? '', ISO_RE);
	assert.match(r.json.triaged_at ?? '', ISO_RE);
	assert.deepEqual(r.json.labels, []);
	assert.equal(typeof r.json.close_reason, 'string');
	assert.ok(r.json.close_reason.includes(reason), `close_reason keeps the reason literally: ${JSON.stringify(r.json.close_reason)}`);
	assert.equal((await get(i.number)).close_reason, r.json.close_reason);
	const hist = await history(i.number);
	assert.ok(hist.some((e) => e.field === 'state' && e.new === 'closed' && e.actor === 'pm1'), JSON.stringify(hist));
	assert.ok(hist.some((e) => e.field === 'close_reason'), JSON.stringify(hist));
	assert.ok(!(await inbox()).numbers.includes(i.number));
	// Without a reason it is still won't do.
	const j = await make();
	const r2 = await triage(j.number, { route: 'wont_do' });
	assertStatus(r2, 200);
	assert.equal(r2.json.state, 'closed');
	assert.ok(r2.json.close_reason, 'a close reason is recorded');
});

test('duplicate closes the issue and links it to the original', async () => {
	const orig = await make({ title: uniq('original ') });
	const dup = await make({ labels: ['needs-triage'] });
	const r = await triage(dup.number, { route: 'duplicate', duplicate_of: orig.number });
	assertStatus(r, 200);
	assert.equal(r.json.state, 'closed');
	assert.equal(r.json.board, 'closed');
	assert.equal(r.json.duplicate_of, orig.number);
	assert.match(r.json.closed_at ?? '', ISO_RE);
	assert.match(r.json.triaged_at ?? '', ISO_RE);
	assert.deepEqual(r.json.labels, []);
	assert.equal(typeof r.json.close_reason, 'string');
	assert.match(r.json.close_reason, /duplicate/i);
	const g = await get(dup.number);
	assert.equal(g.duplicate_of, orig.number);
	const o = await get(orig.number);
	assert.equal(o.state, 'open', 'the original stays open');
	assert.equal(o.duplicate_of, null);
	const hist = await history(dup.number);
	assert.ok(hist.some((e) => e.field === 'duplicate_of' && Number(e.new) === orig.number),
		`the link is in the history (every change is audited): ${JSON.stringify(hist)}`);
	assert.ok(!(await inbox()).numbers.includes(dup.number));
});

test('duplicate: the target must be given, exist and not be the issue itself — 422, nothing changed', async () => {
	const i = await make();
	const cases = [
		[{ route: 'duplicate' }, 'missing'],
		[{ route: 'duplicate', duplicate_of: 987654 }, 'no such issue'],
		[{ route: 'duplicate', duplicate_of: i.number }, 'itself'],
		[{ route: 'duplicate', duplicate_of: 0 }, 'zero'],
		[{ route: 'duplicate', duplicate_of: -3 }, 'negative'],
		[{ route: 'duplicate', duplicate_of: 'abc' }, 'not a number'],
		[{ route: 'duplicate', duplicate_of: 1.5 }, 'fraction'],
	];
	const before = await state([i.number]);
	for (const [body, why] of cases) {
		const r = await triage(i.number, body);
		assertError(r, 422, 'invalid_field', 'duplicate_of');
		assert.ok(r.json.error.message.length > 3, `${why}: ${show(r)}`);
	}
	await assertNothingChanged(before, [i.number]);
});

/* ---------- validation: 422 naming the field, nothing changed ---------- */

test('invalid decisions are 422 naming the field and change nothing', async () => {
	const story = await make({ type: 'story', labels: ['needs-triage'], priority: 'low' });
	const sec = await securityIssue(null, 'admin');
	const bug = await make({ type: 'bug' });
	const touched = [story.number, sec.number, bug.number];
	const cases = [
		[story, { type: 'bug', priority: 'high', pm_size: 'M', board: 'started' }, 'board'],
		[story, { type: 'bug', priority: 'high', pm_size: 'M' }, 'board'],                 // board missing
		[story, { board: 'icebox' }, 'board'],                                            // a route, not a horizon
		[story, { board: 'no_status' }, 'board'],
		[story, { board: 'closed' }, 'board'],
		[story, { board: 'someday' }, 'board'],
		[story, { board: null }, 'board'],
		[story, { board: 7 }, 'board'],
		[story, { type: 'incident', board: 'next' }, 'type'],
		[story, { priority: 'urgent', board: 'next' }, 'priority'],
		[story, { pm_size: 'XXXL', board: 'next' }, 'pm_size'],
		[story, { pm_size: 4, board: 'next' }, 'pm_size'],
		[story, { bug_severity: 'S1', board: 'next' }, 'bug_severity'],                  // not a bug
		[story, { type: 'feature', bug_severity: 'S2', board: 'next' }, 'bug_severity'],  // not a bug after the decision either
		[bug, { bug_severity: 'S5', board: 'next' }, 'bug_severity'],
		[bug, { bug_severity: 'critical', board: 'next' }, 'bug_severity'],
		[story, { cvss: V_CRIT, board: 'next' }, 'cvss'],                                // not a security issue
		[sec, { cvss: 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', board: 'next' }, 'cvss'],
		// One bad field in an otherwise good decision: nothing of it is applied.
		[story, { type: 'bug', priority: 'high', pm_size: 'M', board: 'next', bug_severity: 'S9' }, 'bug_severity'],
		[sec, { priority: 'high', pm_size: 'S', board: 'short', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' }, 'cvss'],
		[story, { route: 'later' }, 'route'],
		[story, { board: 'next', colour: 'red' }, undefined],                             // unknown field
	];
	const before = await state(touched);
	for (const [issue, body, field] of cases) {
		const r = await triage(issue.number, body);
		assertError(r, 422, 'invalid_field', field);
		if (field === undefined)
			assert.ok(r.json.error.field, `an unknown field is named: ${show(r)}`);
	}
	await assertNothingChanged(before, touched);
});

test('a bad CVSS vector is refused with a message naming the bad metric', async () => {
	const sec = await securityIssue(null, 'admin');
	const before = await state([sec.number]);
	const cases = [
		['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV'],
		['CVSS:3.1/AV:N/AC:Q/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AC'],
		['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'A'],          // A missing
		['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H', 'S'],
	];
	for (const [vector, metric] of cases) {
		for (const r of [
			await triage(sec.number, { board: 'next', cvss: vector }),
			await srv.patchIssue(sec.number, { cvss: vector }),
		]) {
			assertError(r, 422, 'invalid_field', 'cvss');
			assert.match(r.json.error.message, new RegExp(`\\b${metric}\\b`), `the message names ${metric}: ${show(r)}`);
		}
	}
	for (const bad of ['CVSS:2.0/AV:N', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'garbage', 'CVSS:4.0/AV:N']) {
		assertError(await triage(sec.number, { board: 'next', cvss: bad }), 422, 'invalid_field', 'cvss');
	}
	await assertNothingChanged(before, [sec.number]);
});

test('malformed bodies and unknown issues', async () => {
	const i = await make();
	const before = await state([i.number]);
	assertError(await srv.as('pm1').call('POST', `/api/v1/issues/${i.number}/triage`, { raw: '{"board":' }), 400, 'malformed');
	assertError(await srv.as('pm1').call('POST', `/api/v1/issues/${i.number}/triage`, { raw: '["next"]' }), 400, 'malformed');
	assertError(await triage(987654, { board: 'next' }), 404, 'not_found');
	await assertNothingChanged(before, [i.number]);
});

/* ---------- roles ---------- */

test('engineers, EMs and viewers cannot triage (403), not even their own issue; nothing changes', async () => {
	const own = await make({}, 'eng1');
	const other = await make();
	const before = await state([own.number, other.number]);
	for (const login of ['eng1', 'eng2', 'em1', 'viewer1']) {
		for (const n of [own.number, other.number]) {
			assertError(await triage(n, { board: 'next', type: 'bug' }, login), 403, 'forbidden');
			assertError(await triage(n, { route: 'icebox' }, login), 403, 'forbidden');
			assertError(await triage(n, { route: 'wont_do', reason: 'no' }, login), 403, 'forbidden');
		}
	}
	await assertNothingChanged(before, [own.number, other.number]);
	// Everyone may read the inbox.
	for (const login of ['eng2', 'em1', 'viewer1'])
		assert.ok((await inbox(login)).numbers.includes(other.number), `${login} sees the inbox`);
});

test('the board is writable by admin, pm and cto through PATCH, not by an engineer; it follows the state', async () => {
	const i = await make();
	const before = await state([i.number]);
	assertError(await srv.patchIssue(i.number, { board: 'next' }, 'eng1'), 403, 'forbidden');
	assertError(await srv.patchIssue(i.number, { board: 'sometime' }, 'pm1'), 422, 'invalid_field', 'board');
	await assertNothingChanged(before, [i.number]);
	assert.equal((await patch(i.number, { board: 'started' }, 'cto1')).board, 'started');
	assert.equal((await patch(i.number, { board: 'long' }, 'pm1')).board, 'long');
	const closed = await patch(i.number, { state: 'closed' });
	assert.equal(closed.board, 'closed', 'closing sets closed');
	const reopened = await patch(i.number, { state: 'open' });
	assert.equal(reopened.board, 'no_status', 'reopening a closed one sets no_status');
	assert.ok((await inbox()).numbers.includes(i.number), 'reopened: back in the inbox');
});

test('bug_severity and cvss through PATCH: bugs and security issues only', async () => {
	const bug = await make({ type: 'bug' });
	const story = await make();
	const sec = await securityIssue(null, 'admin');
	const before = await state([bug.number, story.number, sec.number]);
	assertError(await srv.patchIssue(story.number, { bug_severity: 'S1' }), 422, 'invalid_field', 'bug_severity');
	assertError(await srv.patchIssue(bug.number, { bug_severity: 'S0' }), 422, 'invalid_field', 'bug_severity');
	assertError(await srv.patchIssue(story.number, { cvss: V_CRIT }), 422, 'invalid_field', 'cvss');
	assertError(await srv.patchIssue(bug.number, { cvss: V_CRIT }), 422, 'invalid_field', 'cvss');
	await assertNothingChanged(before, [bug.number, story.number, sec.number]);
	assert.equal((await patch(bug.number, { bug_severity: 'S1' })).bug_severity, 'S1');
	assert.equal((await patch(bug.number, { bug_severity: null })).bug_severity, null);
	const scored = await patch(sec.number, { cvss: V_HIGH });
	assert.deepEqual([scored.cvss_score, scored.severity], [8.8, 'high']);
	// "number with one decimal": 8.8 on the wire, not 8.8000000000000007.
	const raw = await srv.as('admin').get(`/api/v1/issues/${sec.number}`);
	assert.match(raw.text, /"cvss_score":\s*8\.8[,}\s]/, `cvss_score is written with one decimal: ${raw.text.slice(0, 700)}`);
});

/* ---------- CVSS, severity, fix-by, settings ---------- */

test('scores and severities per CVSS v3.1; fix_by = reported date + the default SLA days of the severity', async () => {
	const cases = [
		[V_CRIT, 9.8, 'critical', 7],
		[V_HIGH, 8.8, 'high', 30],
		[V_MED, 6.5, 'medium', 90],
		[V_LOW, 3.1, 'low', 180],
		[V_NONE, 0, 'none', null],
	];
	const settings = await srv.as('admin').get('/api/v1/settings');
	assertStatus(settings, 200);
	assert.deepEqual(settings.json, { sla_days: { critical: 7, high: 30, medium: 90, low: 180 }, todo_limit: 40, public_changelog: false, public_url: '', public_roadmap: false, session_idle_minutes: 720 });
	for (const [vector, score, severity, days] of cases) {
		const i = await securityIssue(vector, 'admin');
		assert.equal(i.cvss, vector);
		assert.equal(i.cvss_score, score, vector);
		assert.equal(i.severity, severity, vector);
		assert.equal(i.fix_by, days === null ? null : plusDays(i.created_at, days), `${vector}: fix_by`);
		if (days !== null)
			assert.match(i.fix_by, /^\d{4}-\d{2}-\d{2}$/);
	}
	// An unscored security issue has none of it.
	const u = await securityIssue(null, 'admin');
	assert.deepEqual([u.cvss, u.cvss_score, u.severity, u.fix_by], [null, null, null, null]);
	// Clearing the vector clears the score.
	const c = await securityIssue(V_HIGH, 'admin');
	const cleared = await patch(c.number, { cvss: null });
	assert.deepEqual([cleared.cvss, cleared.cvss_score, cleared.severity, cleared.fix_by], [null, null, null, null]);
});

test('CVSS 3.1 with temporal and environmental metrics: all three scores shown, the most specific drives severity and fix_by', async () => {
	const cases = [
		// [sent, normalized, cvss_score, severity, SLA days, cvss_scores]
		[V_CRIT, V_CRIT, 9.8, 'critical', 7,
			{ version: '3.1', base: 9.8, temporal: null, environmental: null }],
		// Temporal: 9.8 x 0.94 x 0.95 = 8.7514 -> 8.8, high.
		[`${V_CRIT}/E:P/RL:O/RC:C`, `${V_CRIT}/E:P/RL:O/RC:C`, 8.8, 'high', 30,
			{ version: '3.1', base: 9.8, temporal: 8.8, environmental: null }],
		// Environmental (any order, X dropped): 6.6 x 0.91 = 6.006 -> 6.1, medium.
		['CVSS:3.1/MAV:L/AR:L/IR:L/CR:L/E:U/RL:X/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
			`${V_CRIT}/E:U/CR:L/IR:L/AR:L/MAV:L`, 6.1, 'medium', 90,
			{ version: '3.1', base: 9.8, temporal: 9.0, environmental: 6.1 }],
		// Environmental without temporal metrics; nothing left to harm: none, no fix-by.
		[`${V_CRIT}/MC:N/MI:N/MA:N`, `${V_CRIT}/MC:N/MI:N/MA:N`, 0, 'none', null,
			{ version: '3.1', base: 9.8, temporal: null, environmental: 0 }],
		// 3.0 stays 3.0 (its own environmental formula): 9.9 where 3.1 gives 10.0.
		['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C', 'CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C',
			9.9, 'critical', 7, { version: '3.0', base: 8.8, temporal: null, environmental: 9.9 }],
	];
	for (const [sent, normalized, score, severity, days, scores] of cases) {
		const i = await securityIssue(sent, 'admin');
		assert.equal(i.cvss, normalized, sent);
		assert.equal(i.cvss_score, score, sent);
		assert.equal(i.severity, severity, sent);
		assert.deepEqual(i.cvss_scores, scores, sent);
		assert.equal(i.fix_by, days === null ? null : plusDays(i.created_at, days), `${sent}: fix_by`);
		const again = await srv.as('admin').get(`/api/v1/issues/${i.number}`);
		assertStatus(again, 200);
		assert.deepEqual([again.json.cvss, again.json.cvss_score, again.json.cvss_scores], [normalized, score, scores]);
	}
	// A vector change moves the fix-by date with the most specific score.
	const i = await securityIssue(V_CRIT, 'admin');
	assert.equal(i.fix_by, plusDays(i.created_at, 7));
	const t = await patch(i.number, { cvss: `${V_CRIT}/E:U/RL:O/RC:U` }); // 7.8 high
	assert.deepEqual([t.cvss_score, t.severity, t.fix_by], [7.8, 'high', plusDays(i.created_at, 30)]);
	// Unscored: no scores at all.
	const u = await securityIssue(null, 'admin');
	assert.equal(u.cvss_scores, null);
	const cleared = await patch(t.number, { cvss: null });
	assert.equal(cleared.cvss_scores, null);
});

test('CVSS 4.0: the MacroVector score, its nomenclature and severity; supplemental metrics change nothing', async () => {
	const B = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
	const cases = [
		[B, B, 9.3, 'critical', 7, 'CVSS-B'],
		[`${B}/E:U`, `${B}/E:U`, 8.1, 'high', 30, 'CVSS-BT'],
		[`${B}/CR:L/IR:L/AR:L`, `${B}/CR:L/IR:L/AR:L`, 8.9, 'high', 30, 'CVSS-BE'],
		[`${B}/E:P/MAV:L`, `${B}/E:P/MAV:L`, 7.3, 'high', 30, 'CVSS-BTE'],
		[`${B}/E:X/CR:X/S:P/AU:Y/U:Red`, `${B}/S:P/AU:Y/U:Red`, 9.3, 'critical', 7, 'CVSS-B'],
		['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'none', null, 'CVSS-B'],
	];
	for (const [sent, normalized, score, severity, days, nomenclature] of cases) {
		const i = await securityIssue(sent, 'admin');
		assert.equal(i.cvss, normalized, sent);
		assert.equal(i.cvss_score, score, sent);
		assert.equal(i.severity, severity, sent);
		assert.deepEqual(i.cvss_scores, { version: '4.0', score, nomenclature }, sent);
		assert.equal(i.fix_by, days === null ? null : plusDays(i.created_at, days), `${sent}: fix_by`);
	}
	// Through triage too.
	const c = await make({ type: 'security' });
	const r = await triage(c.number, { board: 'next', cvss: `${B}/E:U`, priority: 'high' });
	assertStatus(r, 200);
	assert.deepEqual([r.json.cvss_score, r.json.severity, r.json.cvss_scores.nomenclature], [8.1, 'high', 'CVSS-BT']);
});

test('invalid CVSS 3.x and 4.0 vectors are 422 on field cvss, name the problem and change nothing', async () => {
	const sec = await securityIssue(V_HIGH, 'admin');
	const before = await state([sec.number]);
	const B = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
	const cases = [
		['CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /AV must come before AC/],
		[`${B}/CR:H/E:A`, /E must come before CR/],
		[`${B}/E:A/E:P`, /duplicate metric E/],
		['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /missing metric AT/],
		[`${B}/U:red`, /U must be one of X,Clear,Green,Amber,Red/],
		[`${B}/RL:O`, /unknown metric 'RL'/],
		[`${B}/`, /trailing '\/'/],
		['cvss:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /upper case/],
		['CVSS:4.1/AV:N', /unsupported version CVSS:4\.1/],
		[`${V_CRIT}/E:A`, /E must be one of X,H,F,P,U/],
		[`${V_CRIT}/MAV:n`, /MAV must be one of/],
		[`${V_CRIT}/RC:C/RC:C`, /duplicate metric RC/],
		[`${V_CRIT}/mav:N`, /unknown metric 'mav'/],
		[`${V_CRIT}/AT:N`, /unknown metric 'AT'/],
		['CVSS:3.1/E:P/RL:O', /missing metrics AV, AC, PR, UI, S, C, I, A/],
		[`${V_CRIT}//E:P`, /empty component/],
	];
	for (const [vector, why] of cases) {
		for (const r of [
			await triage(sec.number, { board: 'next', cvss: vector }),
			await srv.patchIssue(sec.number, { cvss: vector }),
		]) {
			assertError(r, 422, 'invalid_field', 'cvss');
			assert.match(r.json.error.message, why, `${vector}: ${show(r)}`);
		}
	}
	await assertNothingChanged(before, [sec.number]);
});

test('settings: admin or pm change SLA days; new fix-by dates follow, earlier ones stay; others 403; bad values 422', async () => {
	const before = await srv.as('admin').get('/api/v1/settings');
	assertStatus(before, 200);
	const old = await securityIssue(V_CRIT, 'admin');
	assert.equal(old.fix_by, plusDays(old.created_at, 7));

	for (const login of ['eng1', 'viewer1', 'em1', 'cto1']) {
		assertError(await srv.as(login).patch('/api/v1/settings', { sla_days: { critical: 1 } }), 403, 'forbidden');
	}
	for (const bad of [{ sla_days: { critical: 0 } }, { sla_days: { critical: -2 } }, { sla_days: { critical: 'soon' } },
		{ sla_days: { urgent: 5 } }, { sla_days: 7 }, { colour: 'red' }]) {
		const r = await srv.as('pm1').patch('/api/v1/settings', bad);
		assertError(r, 422, 'invalid_field');
		assert.match(r.json.error.field ?? '', /sla_days|colour/, show(r));
	}
	assert.deepEqual((await srv.as('admin').get('/api/v1/settings')).json, before.json, 'refused changes change nothing');

	const p = await srv.as('pm1').patch('/api/v1/settings', { sla_days: { critical: 3 } });
	assertStatus(p, 200);
	assert.deepEqual(p.json, { sla_days: { critical: 3, high: 30, medium: 90, low: 180 }, todo_limit: 40, public_changelog: false, public_url: '', public_roadmap: false, session_idle_minutes: 720 });
	assert.deepEqual((await srv.as('viewer1').get('/api/v1/settings')).json, p.json);

	const fresh = await securityIssue(V_CRIT, 'admin');
	assert.equal(fresh.fix_by, plusDays(fresh.created_at, 3), 'a newly scored issue uses the new SLA');
	assert.equal((await get(old.number)).fix_by, plusDays(old.created_at, 7), 'an earlier fix-by date stays');

	// /security/due lists them soonest first.
	const due = await srv.as('admin').get('/api/v1/security/due');
	assertStatus(due, 200);
	const nums = due.json.due_soon.map((i) => i.number);
	assert.ok(nums.indexOf(fresh.number) >= 0 && nums.indexOf(fresh.number) < nums.indexOf(old.number), `soonest first: ${nums}`);

	const a = await srv.as('admin').patch('/api/v1/settings', { sla_days: { critical: 7 } });
	assertStatus(a, 200);
	assert.deepEqual(a.json, before.json);
});

test('/security/due: open scored security issues due within `days`, soonest first, with days_left', async () => {
	const crit = await securityIssue(V_CRIT, 'eng1');   // due in 7 days
	const high = await securityIssue(V_HIGH, 'eng1');   // due in 30 days
	const unscored = await securityIssue(null, 'eng1');
	const closed = await securityIssue(V_CRIT, 'admin');
	await patch(closed.number, { state: 'closed' });
	const bug = await make({ type: 'bug' });

	const r = await srv.as('pm1').get('/api/v1/security/due');
	assertStatus(r, 200);
	assert.ok(Array.isArray(r.json.overdue) && Array.isArray(r.json.due_soon), show(r));
	// Nothing can be overdue yet (see the header): the list is empty.
	assert.deepEqual(r.json.overdue, []);
	const soon = r.json.due_soon;
	const nums = soon.map((i) => i.number);
	assert.ok(nums.includes(crit.number), `critical due in 7 days is due soon (default 14): ${nums}`);
	for (const n of [high.number, unscored.number, closed.number, bug.number])
		assert.ok(!nums.includes(n), `#${n} must not be due soon: ${nums}`);
	for (const it of soon) {
		assert.equal(it.type, 'security');
		assert.equal(it.state, 'open');
		assert.match(it.fix_by, /^\d{4}-\d{2}-\d{2}$/);
		assert.ok(Number.isInteger(it.days_left), `days_left: ${JSON.stringify(it)}`);
		assert.ok(it.days_left >= 0 && it.days_left <= 14);
	}
	const sorted = [...soon].sort((x, y) => (x.fix_by < y.fix_by ? -1 : x.fix_by > y.fix_by ? 1 : 0));
	assert.deepEqual(nums, sorted.map((i) => i.number), 'soonest first');
	const c = soon.find((i) => i.number === crit.number);
	assert.equal(c.fix_by, plusDays(crit.created_at, 7));
	assert.equal(c.days_left, daysFromToday(c.fix_by), `days_left counts calendar days to fix_by ${c.fix_by}: ${JSON.stringify(c)}`);

	const wide = await srv.as('pm1').get('/api/v1/security/due', { query: { days: '31' } });
	assertStatus(wide, 200);
	assert.ok(wide.json.due_soon.some((i) => i.number === high.number), 'days=31 includes the one due in 30 days');
	const narrow = await srv.as('pm1').get('/api/v1/security/due', { query: { days: '3' } });
	assertStatus(narrow, 200);
	assert.ok(!narrow.json.due_soon.some((i) => i.number === crit.number), 'days=3 leaves out the one due in 7 days');
	for (const bad of ['abc', '-1'])
		assertError(await srv.as('pm1').get('/api/v1/security/due', { query: { days: bad } }), 422, 'invalid_field', 'days');
});

test('/security/due lists security issues on the dev board and in a milestone too', async () => {
	// (the statistics' queries once read "no dev status, no milestone" into
	// a zeroed filter: work in progress fell out of the SLA list and counts)
	const m = await srv.as('pm1').post('/api/v1/milestones', { title: uniq('M'), start: addDays(todayYmd(), -3), due: addDays(todayYmd(), 25), capacity: 40 });
	assertStatus(m, 201);
	const doing = await securityIssue(V_CRIT, 'eng1');
	await patch(doing.number, { dev_status: 'in_progress' });
	const planned = await securityIssue(V_CRIT, 'eng1');
	await patch(planned.number, { milestone: m.json.id });
	const due = await srv.as('pm1').get('/api/v1/security/due');
	assertStatus(due, 200);
	const nums = due.json.due_soon.map((i) => i.number);
	for (const n of [doing.number, planned.number])
		assert.ok(nums.includes(n), `#${n} (on the dev board or in a milestone) is due soon: ${nums}`);
});

/* ---------- privacy ---------- */

test('a security issue by eng1 is invisible to eng2, em and viewer on every triage path; admin, pm, cto and eng1 see it', async () => {
	const tag = uniq('sectri');
	const secret = await securityIssue(V_CRIT, 'eng1', { title: `${tag} secret`, labels: ['needs-triage'] });
	const pub = await make({ title: `${tag} public`, type: 'bug' }, 'eng1');
	assertStatus(await triage(pub.number, { board: 'next', bug_severity: 'S1' }), 200);
	const secNext = await securityIssue(V_CRIT, 'eng1', { title: `${tag} secret next` });
	assertStatus(await triage(secNext.number, { board: 'next' }), 200);

	const adminInbox = await inbox('admin');
	const privateInInbox = adminInbox.items.filter((i) => i.type === 'security');
	assert.ok(adminInbox.numbers.includes(secret.number));

	for (const login of ['admin', 'pm1', 'cto1', 'eng1']) {
		const u = srv.as(login);
		assert.ok((await inbox(login)).numbers.includes(secret.number), `${login}: in the inbox`);
		const due = await u.get('/api/v1/security/due');
		assertStatus(due, 200);
		assert.ok(due.json.due_soon.some((i) => i.number === secret.number), `${login}: due soon`);
		const sev = await srv.listAll(`severity:critical ${tag}`, login);
		assert.deepEqual(sev.items.map((i) => i.number), [secret.number, secNext.number], `${login}: severity:critical`);
		const board = await srv.listAll(`board:next ${tag}`, login);
		assert.deepEqual(board.items.map((i) => i.number), [pub.number, secNext.number], `${login}: board:next`);
	}

	for (const login of ['eng2', 'em1', 'viewer1']) {
		const u = srv.as(login);
		const ib = await inbox(login);
		for (const n of [secret.number, secNext.number])
			assert.ok(!ib.numbers.includes(n), `${login} must not see #${n} in the inbox`);
		assert.ok(!ib.items.some((i) => i.type === 'security'), `${login}: no security issue of others in the inbox`);
		assert.equal(ib.total, adminInbox.total - privateInInbox.length, `${login}: inbox total counts no private issue`);
		assert.equal(ib.stats.inbox_size, ib.total, `${login}: stats.inbox_size counts no private issue`);
		assert.equal(ib.stats.sla_breaches, 0, `${login}: sla_breaches`);

		const due = await u.get('/api/v1/security/due', { query: { days: '400' } });
		assertStatus(due, 200);
		assert.deepEqual([...due.json.overdue, ...due.json.due_soon].filter((i) => i.reporter !== login), [],
			`${login}: /security/due shows no one else's security issue`);

		const sev = await u.get('/api/v1/issues', { query: { q: `severity:critical ${tag}` } });
		assertStatus(sev, 200);
		assert.deepEqual([sev.json.items, sev.json.total], [[], 0], `${login}: severity:critical`);
		const sevAll = await u.get('/api/v1/issues', { query: { q: 'severity:critical' } });
		assert.equal(sevAll.json.total, 0, `${login}: severity:critical over everything`);
		const board = await u.get('/api/v1/issues', { query: { q: `board:next ${tag}` } });
		assertStatus(board, 200);
		assert.deepEqual(board.json.items.map((i) => i.number), [pub.number], `${login}: board:next`);
		assert.equal(board.json.total, 1);
		const noStatus = await u.get('/api/v1/issues', { query: { q: `board:no_status ${tag}` } });
		assert.equal(noStatus.json.total, 0, `${login}: board:no_status`);
		const s1 = await u.get('/api/v1/issues', { query: { q: `severity:S1 ${tag}` } });
		assert.deepEqual(s1.json.items.map((i) => i.number), [pub.number], `${login}: bugs by severity stay visible`);

		assertError(await u.get(`/api/v1/issues/${secret.number}`), 404, 'not_found');
		assertError(await u.get(`/api/v1/issues/${secret.number}/history`), 404, 'not_found');
	}
	// Triage of a private issue by someone who cannot see it: 404 like a missing one, not 403.
	const before = await state([secret.number]);
	const hidden = await triage(secret.number, { board: 'next' }, 'eng2');
	const missing = await triage(987654, { board: 'next' }, 'eng2');
	assert.equal(hidden.status, missing.status, `${show(hidden)} vs ${show(missing)}`);
	assert.ok([403, 404].includes(hidden.status));
	await assertNothingChanged(before, [secret.number]);
});

test('severity: and board: queries', async () => {
	const tag = uniq('q');
	const s1 = await make({ title: `${tag} a`, type: 'bug' });
	await patch(s1.number, { bug_severity: 'S1' });
	const s3 = await make({ title: `${tag} b`, type: 'bug' });
	await patch(s3.number, { bug_severity: 'S3' });
	const ice = await make({ title: `${tag} c` });
	assertStatus(await triage(ice.number, { route: 'icebox' }), 200);
	const high = await securityIssue(V_HIGH, 'admin', { title: `${tag} d` });
	const nums = async (q) => (await srv.listAll(`${q} ${tag}`)).items.map((i) => i.number);
	assert.deepEqual(await nums('severity:S1'), [s1.number]);
	assert.deepEqual(await nums('severity:s3'), [s3.number], 'case-insensitive like the other terms');
	assert.deepEqual(await nums('severity:high'), [high.number]);
	assert.deepEqual(await nums('severity:critical'), []);
	assert.deepEqual(await nums('board:icebox'), [ice.number]);
	assert.deepEqual(await nums('board:no_status'), [s1.number, s3.number, high.number]);
	assertError(await srv.as('admin').get('/api/v1/issues', { query: { q: 'board:someday' } }), 422, 'invalid_field', 'q');
	assertError(await srv.as('admin').get('/api/v1/issues', { query: { q: 'severity:S9' } }), 422, 'invalid_field', 'q');
});

/* ---------- metrics ---------- */

test('/metrics has the triage gauges only for an admin, pm or cto token', async () => {
	const TRIAGE = ['cairn_triage_inbox_size', 'cairn_triage_median_seconds', 'cairn_security_sla_breaches'];
	// issue #15: /metrics needs a login (a scraper uses a token)
	assertError(await srv.api('GET', '/metrics'), 401, 'unauthorized');
	for (const login of ['eng2', 'viewer1']) {
		const r = await srv.as(login).get('/metrics');
		assertStatus(r, 200);
		for (const name of TRIAGE)
			assert.ok(!r.text.includes(name), `${name} must not be shown to ${login}`);
	}
	const ib = await inbox('admin');
	for (const login of ['admin', 'pm1', 'cto1']) {
		const r = await srv.as(login).get('/metrics');
		assertStatus(r, 200);
		const m = metrics(r.text);
		for (const name of TRIAGE)
			assert.ok(m[name], `${name} shown to ${login}:\n${r.text.slice(0, 2000)}`);
		assert.equal(m.cairn_triage_inbox_size[0].value, ib.total, 'inbox size gauge = the inbox as admin sees it');
		assert.equal(m.cairn_security_sla_breaches[0].value, 0);
		assert.ok(m.cairn_triage_median_seconds[0].value >= 0);
		assert.ok(m.cairn_http_requests_total, 'the usual series are still there');
	}
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
