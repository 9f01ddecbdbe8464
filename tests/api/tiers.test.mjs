/*
 * tiers.test.mjs — pricing tiers of issue #13 over real HTTP (docs/API.md
 * "Pricing tiers (issue #13)"): the ordered tier list (default, edited by
 * PMs and admins, validated, a tier still holding features not removable),
 * a feature's tier and rationale (who may set it, validation, which issue
 * types, clearing, the history), the buyer-based open-core suggestion on
 * hand-built evidence (personas' buyer levels, customers' tiers, ties, no
 * evidence, a custom two-tier list) with `disagrees`, the tier matrix
 * (JSON, milestone filter, tier moves while a milestone ran, Markdown and
 * CSV comparison tables), the upsell and mismatch signals, and privacy of
 * a security issue holding a tier.
 *
 * One server for the file (plus a second, fresh one for the custom tier
 * list, so the main server's tiers never lose one that holds features);
 * tests run in order and each makes its own issues, customers, personas
 * and insights, and leaves the default tier list behind.  Every refusal
 * re-reads what it could have touched (the tier list, the matrix, the
 * issue with its history, the feature's tier view) and requires it
 * unchanged.  Dates come from tests/lib/clock.mjs (the server runs on the
 * same clock); nothing assumes two writes fall in different seconds.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { ISO_RE, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const srv = await startServer();
after(() => srv.kill());

const DEFAULT = ['Starter', 'Premium', 'Enterprise'];
const PRICERS = ['pm1', 'admin'];
const NOT_PRICERS = ['cto1', 'em1', 'eng1', 'viewer1'];
const LEVELS = ['individual', 'manager', 'executive'];

/* ---------- helpers (s: the server, the main one unless given) ---------- */

function assertNow(iso, what) {
	assert.match(String(iso), ISO_RE, `${what}: an ISO time, got ${iso}`);
	const slack = process.env.CAIRN_NOW ? 1000 : 300000;
	assert.ok(Math.abs(Date.parse(iso) - nowMs()) < slack, `${what}: ${iso} is not now (${new Date(nowMs()).toISOString()})`);
}

async function getJson(path, login = 'admin', query, s = srv) {
	const r = await s.as(login).get(path, query ? { query } : {});
	assertStatus(r, 200);
	return r.json;
}

const putTiers = (tiers, login = 'pm1', s = srv) => s.as(login).call('PUT', '/api/v1/tiers', { body: { tiers } });
const tiersNow = async (login = 'admin', s = srv) => (await getJson('/api/v1/tiers', login, undefined, s)).tiers;
const putTier = (n, body, login = 'pm1', s = srv) => s.as(login).call('PUT', `/api/v1/issues/${n}/tier`, { body });
const view = (n, login = 'admin', s = srv) => getJson(`/api/v1/issues/${n}/tier`, login, undefined, s);
const matrix = (query = {}, login = 'admin', s = srv) => getJson('/api/v1/tiers/matrix', login, query, s);
const signals = (login = 'admin', s = srv) => getJson('/api/v1/tiers/signals', login, undefined, s);
const history = async (n, login = 'admin') => (await getJson(`/api/v1/issues/${n}/history`, login)).items;

async function setTiers(tiers, login = 'pm1', s = srv) {
	const r = await putTiers(tiers, login, s);
	assertStatus(r, 200);
	assert.deepEqual(r.json, { tiers }, `PUT /tiers answers the list: ${show(r)}`);
	return r.json;
}

/* Set a feature's tier (200), returning the view the PUT answered. */
async function price(n, tier, rationale = `because ${tier}`, login = 'pm1', s = srv) {
	const r = await putTier(n, { tier, rationale }, login, s);
	assertStatus(r, 200);
	assert.equal(r.json.tier, tier, show(r));
	return r.json;
}

async function feature(type = 'feature', fields = {}, s = srv) {
	return s.createIssue({ title: uniq(`tier ${type} `), type, ...fields }, 'pm1');
}

async function customer(tier, arr = 10000, s = srv) {
	const r = await s.as('pm1').post('/api/v1/customers', { name: uniq(`${tier} co `), tier, arr, seats: 10, strategic: false });
	assertStatus(r, 201);
	return r.json;
}

/* One persona per buyer level, made once per server. */
const personaCache = new Map();
async function personas(s = srv) {
	if (!personaCache.has(s)) {
		const out = {};
		for (const level of LEVELS) {
			const r = await s.as('pm1').post('/api/v1/personas', { name: uniq(`${level} persona `), buyer_level: level });
			assertStatus(r, 201);
			out[level] = r.json.name;
		}
		personaCache.set(s, out);
	}
	return personaCache.get(s);
}

/* An ask: an insight (from a persona of `level` and/or customer `cust`) linked to issue n. */
async function ask(n, { level, cust } = {}, s = srv) {
	const body = { source: 'call', title: uniq('ask ') };
	if (level)
		body.persona = (await personas(s))[level];
	if (cust)
		body.customer = cust.name;
	const r = await s.as('pm1').post('/api/v1/insights', body);
	assertStatus(r, 201);
	const l = await s.as('pm1').post(`/api/v1/insights/${r.json.id}/links`, { issue: n, importance: 'important' });
	assertStatus(l, 200);
	return r.json;
}

async function asks(n, count, opts, s = srv) {
	for (let k = 0; k < count; k++)
		await ask(n, opts, s);
}

async function milestone(start, due) {
	const r = await srv.as('pm1').post('/api/v1/milestones', { title: uniq('M'), start, due, capacity: 40 });
	assertStatus(r, 201);
	return r.json;
}

async function intoMilestone(n, m) {
	const r = await srv.patchIssue(n, { milestone: m.id }, 'pm1');
	assertStatus(r, 200);
}

/* by_tier lists hold feature numbers (or feature objects). */
const numbersOf = (list) => (list ?? []).map((x) => (typeof x === 'number' ? x : x.number));
const moveOf = (m) => [m.number, m.from ?? m.old, m.to ?? m.new];

/* What a refused request could have changed: the tier list, the matrix,
 * and for each touched issue its tier view, the issue and its history. */
async function observe(touched = []) {
	const views = {};
	for (const n of touched) {
		const g = await srv.as('admin').get(`/api/v1/issues/${n}/tier`);
		views[n] = { status: g.status, body: g.json };
	}
	return {
		tiers: await tiersNow(),
		matrix: await matrix(),
		views,
		snapshot: await srv.snapshot(touched),
	};
}

async function refused(res, before, touched, status, code, field) {
	assertError(res, status, code, field);
	assert.deepStrictEqual(await observe(touched), before, `a refused request must change nothing: ${show(res)}`);
}

/* RFC 4180 CSV into rows of fields. */
function parseCsv(text) {
	const rows = [];
	let row = [], field = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
			else if (c === '"') q = false;
			else field += c;
		} else if (c === '"') q = true;
		else if (c === ',') { row.push(field); field = ''; }
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field); rows.push(row); row = []; field = '';
		} else field += c;
	}
	if (field !== '' || row.length) { row.push(field); rows.push(row); }
	return rows;
}

/* The cells of a Markdown table row, split on unescaped pipes. */
function mdCells(line) {
	const cells = [];
	let cur = '';
	for (let i = 0; i < line.length; i++) {
		if (line[i] === '\\' && i + 1 < line.length) { cur += line[i] + line[i + 1]; i++; continue; }
		if (line[i] === '|') { cells.push(cur.trim()); cur = ''; continue; }
		cur += line[i];
	}
	cells.push(cur.trim());
	return cells.slice(1, -1); // drop what is outside the leading and trailing pipes
}

/* ---------- the tier list ---------- */

test('the default tier list is Starter < Premium < Enterprise, readable by everyone', async () => {
	for (const login of ['admin', 'pm1', 'cto1', 'em1', 'eng1', 'viewer1'])
		assert.deepEqual(await getJson('/api/v1/tiers', login), { tiers: DEFAULT }, `as ${login}`);
	assertError(await srv.api('GET', '/api/v1/tiers'), 401, 'unauthorized');
});

test('PUT /tiers by a PM and by an admin: the order is kept; 1 and 8 tiers and a 32-byte name are fine', async () => {
	try {
		await setTiers(['Starter', 'Premium', 'Enterprise', 'Ultimate'], 'pm1');
		assert.deepEqual(await tiersNow('viewer1'), ['Starter', 'Premium', 'Enterprise', 'Ultimate']);
		const reordered = ['Free', 'Enterprise', 'Premium', 'Starter'];
		await setTiers(reordered, 'admin');
		assert.deepEqual(await tiersNow('eng1'), reordered, 'the order sent is the order kept');
		const f = await feature();
		const v = await view(f.number);
		assert.deepEqual(Object.keys(v.suggestion.by_tier), reordered, 'the tier view counts by the tiers, in order');
		assert.deepEqual((await matrix()).tiers ?? reordered, reordered);

		const eight = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'x'.repeat(32)];
		await setTiers(eight, 'pm1');
		assert.deepEqual(await tiersNow(), eight);
		const multibyte = ['€'.repeat(10) + 'ab']; // 32 bytes
		assert.equal(Buffer.byteLength(multibyte[0]), 32);
		await setTiers(multibyte, 'admin');
		assert.deepEqual(await tiersNow(), multibyte);
	} finally {
		await setTiers(DEFAULT, 'admin');
	}
	assert.deepEqual(await tiersNow(), DEFAULT);
});

test('PUT /tiers: CTO, EM, engineer and viewer get 403; invalid lists 422 naming tiers; nothing changes', async () => {
	const before = await observe();
	for (const login of NOT_PRICERS)
		await refused(await putTiers(['Basic', 'Pro'], login), before, [], 403, 'forbidden');
	const bad = [
		[[], 'an empty list'],
		[['Starter', 'Premium', 'Starter'], 'a duplicate name'],
		[['Starter', 'x'.repeat(33)], 'a name of 33 bytes'],
		[['Starter', '€'.repeat(11)], 'a name of 11 characters but 33 bytes'],
		[['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9'], 'nine tiers'],
		[['Starter', 'Premium, Plus', 'Enterprise'], 'a comma in a name'],
		[['Starter', '', 'Premium'], 'an empty name in the middle'],
		[['', 'Starter'], 'an empty name first'],
		[['Starter', 'Premium', 'Enterprise', ''], 'an empty name last'],
		[['Starter', ''], 'an empty name last, in a shorter list'],
		[['Starter', 7], 'a name that is not a string'],
		['Starter,Premium', 'tiers not a list'],
	];
	// every case is tried; an accepted one is noted, the list put back, and the rest go on
	const accepted = [];
	try {
		for (const [tiers, why] of bad) {
			const r = await putTiers(tiers, 'pm1');
			if (r.status !== 422) {
				accepted.push(`${why}: ${show(r)} (GET /tiers now ${JSON.stringify(await tiersNow())})`);
				await setTiers(DEFAULT, 'admin');
				continue;
			}
			await refused(r, before, [], 422, 'invalid_field', 'tiers');
		}
	} finally {
		if (JSON.stringify(await tiersNow()) !== JSON.stringify(DEFAULT))
			await setTiers(DEFAULT, 'admin');
	}
	assert.deepEqual(accepted, [], `invalid tier lists must be 422 with nothing changed:\n${accepted.join('\n')}`);
	assert.deepEqual(await tiersNow(), DEFAULT);
});

test('removing a tier that holds features is 409 naming the count and the tier; once empty it goes', async () => {
	await setTiers([...DEFAULT, 'Ultimate'], 'pm1');
	const a = await feature('epic');
	const b = await feature('story');
	try {
		await price(a.number, 'Ultimate', 'only the largest accounts need it');
		let before = await observe([a.number, b.number]);
		let r = await putTiers(DEFAULT, 'pm1');
		await refused(r, before, [a.number, b.number], 409, 'conflict');
		assert.match(r.json.error.message, /\b1\b/, `the message counts 1 feature: ${show(r)}`);
		assert.match(r.json.error.message, /Ultimate/, `the message names the tier: ${show(r)}`);

		await price(b.number, 'Ultimate', 'same');
		before = await observe([a.number, b.number]);
		r = await putTiers(['Starter', 'Premium', 'Enterprise'], 'admin');
		await refused(r, before, [a.number, b.number], 409, 'conflict');
		assert.match(r.json.error.message, /\b2\b/, `the message counts 2 features: ${show(r)}`);
		assert.match(r.json.error.message, /Ultimate/, `the message names the tier: ${show(r)}`);
		// renaming the tier is removing it
		r = await putTiers(['Starter', 'Premium', 'Enterprise', 'Ultimate+'], 'pm1');
		await refused(r, before, [a.number, b.number], 409, 'conflict');

		// an unused tier goes at once
		await setTiers([...DEFAULT, 'Gold', 'Ultimate'], 'pm1');
		await setTiers([...DEFAULT, 'Ultimate'], 'pm1');
		assert.deepEqual(await tiersNow(), [...DEFAULT, 'Ultimate']);
	} finally {
		for (const n of [a.number, b.number])
			assertStatus(await putTier(n, { tier: null }, 'pm1'), 200);
	}
	await setTiers(DEFAULT, 'pm1');
	assert.deepEqual(await tiersNow('viewer1'), DEFAULT, 'Ultimate is gone once no feature holds it');
});

/* ---------- a feature's tier ---------- */

test('a PM sets a story\'s tier with a rationale; an admin sets an epic\'s and a feature request\'s; everyone reads it', async () => {
	const s = await feature('story');
	const r = await putTier(s.number, { tier: 'Premium', rationale: 'teams buy it, not individuals' }, 'pm1');
	assertStatus(r, 200);
	const v = r.json;
	assert.equal(v.number, s.number);
	assert.equal(v.title, s.title);
	assert.equal(v.type, 'story');
	assert.equal(v.tier, 'Premium');
	assert.equal(v.rationale, 'teams buy it, not individuals');
	assert.equal(v.set_by, 'pm1');
	assertNow(v.set_at, 'set_at');
	assert.equal(typeof v.suggestion, 'object');
	assert.equal(typeof v.disagrees, 'boolean');
	for (const login of ['viewer1', 'eng1', 'em1', 'cto1', 'pm1', 'admin'])
		assert.deepEqual(await view(s.number, login), v, `GET as ${login} shows what the PUT answered`);

	for (const type of ['epic', 'feature']) {
		const f = await feature(type);
		const a = await putTier(f.number, { tier: 'Enterprise', rationale: `${type} for executives` }, 'admin');
		assertStatus(a, 200);
		assert.deepEqual([a.json.type, a.json.tier, a.json.rationale, a.json.set_by], [type, 'Enterprise', `${type} for executives`, 'admin']);
		assert.deepEqual(await view(f.number, 'viewer1'), a.json);
	}

	// an unpriced feature: no tier, no rationale
	const u = await feature('story');
	const g = await view(u.number, 'eng1');
	assert.deepEqual([g.number, g.type, g.tier, g.rationale, g.set_by, g.set_at, g.disagrees], [u.number, 'story', null, null, null, null, false]);
	assertError(await srv.as('eng1').get('/api/v1/issues/999999/tier'), 404, 'not_found');
	assertError(await putTier(999999, { tier: 'Premium', rationale: 'x' }, 'pm1'), 404, 'not_found');
});

test('setting a tier: CTO, EM, engineer and viewer 403; missing rationale, unknown tier, a task or a bug 422; nothing changes', async () => {
	const s = await feature('story');
	await price(s.number, 'Starter', 'individual developers ask for it');
	const task = await feature('task');
	const bug = await feature('bug');
	const touched = [s.number, task.number, bug.number];
	const before = await observe(touched);

	for (const login of NOT_PRICERS)
		await refused(await putTier(s.number, { tier: 'Enterprise', rationale: 'I say so' }, login), before, touched, 403, 'forbidden');
	for (const login of NOT_PRICERS)
		await refused(await putTier(s.number, { tier: null }, login), before, touched, 403, 'forbidden');

	await refused(await putTier(s.number, { tier: 'Premium' }, 'pm1'), before, touched, 422, 'invalid_field', 'rationale');
	await refused(await putTier(s.number, { tier: 'Premium', rationale: '' }, 'admin'), before, touched, 422, 'invalid_field', 'rationale');

	for (const tier of ['Gold', 'premium', '']) {
		const r = await putTier(s.number, { tier, rationale: 'why not' }, 'pm1');
		await refused(r, before, touched, 422, 'invalid_field', 'tier');
		if (tier === 'Gold')
			for (const t of DEFAULT)
				assert.match(r.json.error.message, new RegExp(t), `the message lists the tiers (${t}): ${show(r)}`);
	}

	for (const it of [task, bug]) {
		const r = await putTier(it.number, { tier: 'Premium', rationale: 'managers want it' }, 'pm1');
		await refused(r, before, touched, 422, 'invalid_field', 'tier');
		assert.match(r.json.error.message, /epic/i, `the message says what tiers are for: ${show(r)}`);
		assert.match(r.json.error.message, /stor/i, `the message says what tiers are for: ${show(r)}`);
		assert.match(r.json.error.message, /feature/i, `the message says what tiers are for: ${show(r)}`);
	}
	const st = await view(s.number);
	assert.deepEqual([st.tier, st.rationale, st.set_by], ['Starter', 'individual developers ask for it', 'pm1']);
});

test('the history records tier old → new and the rationale; tier null clears it', async () => {
	const f = await feature('feature');
	const h0 = (await history(f.number)).length;
	await price(f.number, 'Premium', 'managers of teams ask for it', 'pm1');
	await price(f.number, 'Enterprise', 'only audit-heavy companies pay for it', 'admin');
	const cleared = await putTier(f.number, { tier: null }, 'pm1');
	assertStatus(cleared, 200);
	assert.deepEqual([cleared.json.tier, cleared.json.rationale, cleared.json.set_by, cleared.json.set_at],
		[null, null, null, null], `cleared: ${show(cleared)}`);
	const v = await view(f.number, 'viewer1');
	assert.equal(v.tier, null);
	assert.equal(v.disagrees, false);
	assert.ok(!(await matrix()).features.some((x) => x.number === f.number), 'a cleared feature leaves the matrix');

	const h = (await history(f.number, 'viewer1')).slice(h0);
	const tierRows = h.filter((x) => x.field === 'tier').map((x) => [x.actor, x.old, x.new]);
	assert.deepEqual(tierRows, [['pm1', null, 'Premium'], ['admin', 'Premium', 'Enterprise'], ['pm1', 'Enterprise', null]],
		`tier old → new: ${JSON.stringify(h)}`);
	const why = h.filter((x) => x.field === 'tier_rationale').map((x) => [x.actor, x.new]);
	assert.deepEqual(why, [['pm1', 'managers of teams ask for it'], ['admin', 'only audit-heavy companies pay for it']],
		`the rationale of each change: ${JSON.stringify(h)}`);
	for (const x of h)
		assertNow(x.at, `history time of ${x.field}`);
	// setting the same tier again changes nothing in the tier line
	await price(f.number, 'Starter', 'open core', 'pm1');
	const n1 = (await history(f.number)).filter((x) => x.field === 'tier').length;
	await price(f.number, 'Starter', 'open core', 'pm1');
	assert.equal((await history(f.number)).filter((x) => x.field === 'tier').length, n1, 'no tier change, no tier row');
});

/* ---------- the suggestion ---------- */

test('suggestion: 7 asks from managers and 2 from individuals → Premium, "7 of 9 asks come from managers → Premium"', async () => {
	const f = await feature('feature');
	const ent = await customer('Enterprise', 90000);
	const start = await customer('Starter', 1000);
	await asks(f.number, 5, { level: 'manager' });
	await asks(f.number, 2, { level: 'manager', cust: ent }); // customers' tiers do not count when buyers are known
	await ask(f.number, { level: 'individual', cust: start });
	await ask(f.number, { level: 'individual' });
	const v = await view(f.number, 'eng1');
	const s = v.suggestion;
	assert.equal(s.tier, 'Premium', JSON.stringify(v));
	assert.equal(s.reason, '7 of 9 asks come from managers → Premium');
	assert.equal(s.asks, 9);
	assert.equal(s.customers, 2, 'two distinct customers asked');
	assert.deepEqual(s.by_level, { individual: 2, manager: 7, executive: 0 });
	assert.deepEqual(s.by_tier, { Starter: 1, Premium: 0, Enterprise: 2 });
	assert.equal(v.tier, null);
	assert.equal(v.disagrees, false, 'no decision, nothing to disagree with');
});

test('suggestion: only executives → Enterprise; a tie → the lower tier, the reason says the asks are split', async () => {
	const exec = await feature('epic');
	await asks(exec.number, 3, { level: 'executive' });
	let s = (await view(exec.number)).suggestion;
	assert.equal(s.tier, 'Enterprise', JSON.stringify(s));
	assert.match(s.reason, /\b3 of 3\b.*executives?.*Enterprise/, s.reason);
	assert.deepEqual(s.by_level, { individual: 0, manager: 0, executive: 3 });

	const tie = await feature('story');
	await asks(tie.number, 2, { level: 'individual' });
	await asks(tie.number, 2, { level: 'manager' });
	s = (await view(tie.number)).suggestion;
	assert.equal(s.tier, 'Starter', `a tie between individuals and managers goes to the lower tier: ${JSON.stringify(s)}`);
	assert.match(s.reason, /split/i, s.reason);
	assert.match(s.reason, /Starter/, s.reason);

	const tie2 = await feature('feature');
	await asks(tie2.number, 3, { level: 'manager' });
	await asks(tie2.number, 3, { level: 'executive' });
	await ask(tie2.number, { level: 'individual' });
	s = (await view(tie2.number)).suggestion;
	assert.equal(s.tier, 'Premium', `a tie between managers and executives goes to the lower tier: ${JSON.stringify(s)}`);
	assert.match(s.reason, /split/i, s.reason);
	assert.match(s.reason, /Premium/, s.reason);
});

test('suggestion: no personas but customers mostly on Enterprise → Enterprise, the reason names the customers; no evidence → null, and says so', async () => {
	const f = await feature('story');
	for (let k = 0; k < 3; k++)
		await ask(f.number, { cust: await customer('Enterprise', 50000 + k) });
	await ask(f.number, { cust: await customer('Starter', 500) });
	let v = await view(f.number);
	assert.equal(v.suggestion.tier, 'Enterprise', JSON.stringify(v));
	assert.match(v.suggestion.reason, /customers/i, `the reason is about the customers: ${v.suggestion.reason}`);
	assert.match(v.suggestion.reason, /\b3 of 4\b/, `the reason gives the numbers: ${v.suggestion.reason}`);
	assert.match(v.suggestion.reason, /Enterprise/, v.suggestion.reason);
	assert.equal(v.suggestion.customers, 4);
	assert.deepEqual(v.suggestion.by_tier, { Starter: 1, Premium: 0, Enterprise: 3 });
	assert.deepEqual(v.suggestion.by_level, { individual: 0, manager: 0, executive: 0 });

	const none = await feature('epic');
	v = await view(none.number, 'viewer1');
	assert.equal(v.suggestion.tier, null, JSON.stringify(v));
	assert.match(v.suggestion.reason, /\bno\b/i, `the reason says there is no evidence: ${v.suggestion.reason}`);
	assert.equal(v.suggestion.asks, 0);

	// anonymous asks (no persona, no customer) are no evidence either
	const anon = await feature('feature');
	await asks(anon.number, 2, {});
	v = await view(anon.number);
	assert.equal(v.suggestion.tier, null, JSON.stringify(v));
	assert.match(v.suggestion.reason, /\bno\b/i, v.suggestion.reason);
	assert.equal(v.suggestion.asks, 2);
	// a decided tier without a suggestion does not disagree
	const d = await price(anon.number, 'Premium', 'gut feeling');
	assert.equal(d.disagrees, false, JSON.stringify(d));
});

test('disagrees: true when the decided tier differs from the suggestion, false when equal (in the view and the matrix)', async () => {
	const f = await feature('feature');
	await asks(f.number, 3, { level: 'executive' });
	await ask(f.number, { level: 'manager' });
	let v = await price(f.number, 'Premium', 'we want it in the middle plan');
	assert.equal(v.suggestion.tier, 'Enterprise');
	assert.equal(v.disagrees, true, JSON.stringify(v));
	assert.equal((await view(f.number, 'viewer1')).disagrees, true);
	let row = (await matrix()).features.find((x) => x.number === f.number);
	assert.deepEqual([row?.tier, row?.suggested, row?.disagrees], ['Premium', 'Enterprise', true], JSON.stringify(row));

	v = await price(f.number, 'Enterprise', 'the evidence is right');
	assert.equal(v.disagrees, false, JSON.stringify(v));
	assert.equal((await view(f.number, 'eng1')).disagrees, false);
	row = (await matrix()).features.find((x) => x.number === f.number);
	assert.deepEqual([row?.tier, row?.suggested, row?.disagrees], ['Enterprise', 'Enterprise', false], JSON.stringify(row));
});

test('a custom list of 2 tiers: managers map to the lower tier, executives to the upper', async () => {
	const s2 = await startServer();
	try {
		await setTiers(['Free', 'Team'], 'admin', s2);
		const mgr = await feature('feature', {}, s2);
		await asks(mgr.number, 3, { level: 'manager' }, s2);
		await ask(mgr.number, { level: 'individual' }, s2);
		let v = await view(mgr.number, 'eng1', s2);
		assert.equal(v.suggestion.tier, 'Free', JSON.stringify(v));
		assert.match(v.suggestion.reason, /\b3 of 4\b.*managers?.*Free/, v.suggestion.reason);
		assert.deepEqual(Object.keys(v.suggestion.by_tier), ['Free', 'Team']);

		const exec = await feature('epic', {}, s2);
		await asks(exec.number, 2, { level: 'executive' }, s2);
		await ask(exec.number, { level: 'manager' }, s2);
		v = await view(exec.number, 'admin', s2);
		assert.equal(v.suggestion.tier, 'Team', JSON.stringify(v));

		v = await price(mgr.number, 'Team', 'teams pay', 'pm1', s2);
		assert.equal(v.disagrees, true);
		const m = await matrix({}, 'viewer1', s2);
		assert.deepEqual(Object.keys(m.by_tier), ['Free', 'Team']);
		assert.deepEqual(numbersOf(m.by_tier.Team), [mgr.number]);
		const r = await putTier(exec.number, { tier: 'Premium', rationale: 'not on this list' }, 'pm1', s2);
		assertError(r, 422, 'invalid_field', 'tier');
		assert.match(r.json.error.message, /Free.*Team/, show(r));
	} finally {
		await s2.stop();
	}
});

/* ---------- the matrix ---------- */

test('matrix JSON: by_tier and every priced feature with its suggestion; ?milestone= keeps that milestone\'s features', async () => {
	const t = todayYmd();
	const m = await milestone(addDays(t, -3), addDays(t, 25));
	const inM = await feature('story');
	const outM = await feature('epic');
	const unpriced = await feature('feature');
	await intoMilestone(inM.number, m);
	await intoMilestone(unpriced.number, m);
	await asks(inM.number, 2, { level: 'individual' });
	await price(inM.number, 'Starter', 'developers');
	await asks(outM.number, 1, { level: 'manager' });
	await price(outM.number, 'Enterprise', 'big accounts');

	const all = await matrix({}, 'viewer1');
	assert.deepEqual(Object.keys(all.by_tier), DEFAULT, 'by_tier has every tier, in order');
	assert.ok(numbersOf(all.by_tier.Starter).includes(inM.number), JSON.stringify(all.by_tier));
	assert.ok(numbersOf(all.by_tier.Enterprise).includes(outM.number), JSON.stringify(all.by_tier));
	assert.ok(!numbersOf(all.by_tier.Premium).includes(inM.number));
	const a = all.features.find((x) => x.number === inM.number);
	const b = all.features.find((x) => x.number === outM.number);
	assert.deepEqual([a?.title, a?.tier, a?.suggested, a?.disagrees], [inM.title, 'Starter', 'Starter', false], JSON.stringify(a));
	assert.deepEqual([b?.title, b?.tier, b?.suggested, b?.disagrees], [outM.title, 'Enterprise', 'Premium', true], JSON.stringify(b));
	assert.ok(!all.features.some((x) => x.number === unpriced.number), 'a feature without a tier is not in the matrix');
	const everywhere = Object.values(all.by_tier).flatMap(numbersOf);
	assert.ok(!everywhere.includes(unpriced.number));
	assert.equal(everywhere.length, all.features.length, 'each priced feature is in exactly one tier');

	const mm = await matrix({ milestone: String(m.id) }, 'eng1');
	assert.deepEqual(mm.features.map((x) => x.number), [inM.number], `only the milestone's priced features: ${JSON.stringify(mm.features)}`);
	assert.deepEqual(numbersOf(mm.by_tier.Starter), [inM.number]);
	assert.deepEqual(numbersOf(mm.by_tier.Premium), []);
	assert.deepEqual(numbersOf(mm.by_tier.Enterprise), []);
	assertError(await srv.as('admin').get('/api/v1/tiers/matrix', { query: { format: 'pdf' } }), 422, 'invalid_field', 'format');
});

test('matrix moved: the tier changes made while the milestone ran, not those of a milestone long over', async () => {
	const t = todayYmd();
	const now = await milestone(addDays(t, -3), addDays(t, 25));
	const past = await milestone(addDays(t, -60), addDays(t, -31));
	const f = await feature('feature');
	await intoMilestone(f.number, now);
	await price(f.number, 'Starter', 'first guess');
	await price(f.number, 'Premium', 'managers ask for it');

	const mm = await matrix({ milestone: String(now.id) }, 'viewer1');
	const mine = mm.moved.filter((x) => x.number === f.number).map(moveOf);
	assert.deepEqual(mine, [[f.number, 'Starter', 'Premium']], `the move this release: ${JSON.stringify(mm.moved)}`);
	const md = await srv.as('viewer1').get('/api/v1/tiers/matrix', { query: { milestone: String(now.id), format: 'markdown' } });
	assertStatus(md, 200);
	assert.match(md.text, new RegExp(`#${f.number}\\b[^\\n]*Starter[^\\n]*Premium`), `the Markdown lists the move: ${md.text}`);

	const pm = await matrix({ milestone: String(past.id) });
	assert.deepEqual(pm.features, [], 'nothing is in the past milestone');
	assert.deepEqual(pm.moved, [], `no change was made while the past milestone ran: ${JSON.stringify(pm.moved)}`);
});

test('matrix Markdown: a table with ✓ in the feature\'s tier and every tier above it; a | in a title is escaped', async () => {
	const t = todayYmd();
	const m = await milestone(addDays(t, -1), addDays(t, 13));
	const tag = uniq('Md');
	const pipe = await srv.createIssue({ title: `${tag} Import | export`, type: 'story' }, 'pm1');
	const low = await srv.createIssue({ title: `${tag} Dark mode`, type: 'feature' }, 'pm1');
	const top = await srv.createIssue({ title: `${tag} Audit log`, type: 'epic' }, 'pm1');
	for (const [it, tier] of [[pipe, 'Premium'], [low, 'Starter'], [top, 'Enterprise']]) {
		await intoMilestone(it.number, m);
		await price(it.number, tier);
	}
	const r = await srv.as('eng1').get('/api/v1/tiers/matrix', { query: { milestone: String(m.id), format: 'markdown' } });
	assertStatus(r, 200);
	assert.match(r.headers.get('content-type') || '', /^text\/markdown/, 'Markdown content type');
	const lines = r.text.split('\n');
	const hi = lines.findIndex((l) => /^\s*\|/.test(l));
	assert.ok(hi >= 0, `a table: ${r.text}`);
	const header = mdCells(lines[hi]);
	assert.deepEqual(header.slice(-3), DEFAULT, `the tiers head the columns, lowest first: ${lines[hi]}`);
	assert.match(lines[hi + 1], /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/, `a delimiter row: ${lines[hi + 1]}`);
	const rows = lines.slice(hi + 2).filter((l) => /^\s*\|/.test(l) && l.includes(tag));
	assert.equal(rows.length, 3, `one row per feature: ${r.text}`);
	const rowOf = (it) => {
		const found = rows.filter((l) => l.includes(`#${it.number}`) || mdCells(l)[0].includes(it.title));
		assert.equal(found.length, 1, `one row for #${it.number}: ${r.text}`);
		const cells = mdCells(found[0]);
		assert.equal(cells.length, header.length, `a row has a cell per column (pipes in titles escaped): ${found[0]}`);
		return cells;
	};
	const ticks = (cells) => cells.slice(-3).map((c) => (c === '✓' ? 'Y' : c === '' ? '-' : `?${c}`)).join('');
	assert.equal(ticks(rowOf(low)), 'YYY', 'Starter: in every tier');
	assert.equal(ticks(rowOf(pipe)), '-YY', 'Premium: Premium and Enterprise');
	assert.equal(ticks(rowOf(top)), '--Y', 'Enterprise: only Enterprise');
	const pipeRow = rows.find((l) => l.includes(`#${pipe.number}`) || l.includes(`${tag} Import`));
	assert.ok(pipeRow.includes(`${tag} Import \\| export`), `the | is escaped: ${pipeRow}`);
	assert.ok(mdCells(pipeRow)[0].includes('Import \\| export'), `the title stays in the first cell: ${pipeRow}`);
});

test('matrix CSV: a header row of tiers, yes/no cells, a title with a comma or quote quoted', async () => {
	const t = todayYmd();
	const m = await milestone(addDays(t, -2), addDays(t, 12));
	const tag = uniq('Csv');
	const comma = await srv.createIssue({ title: `${tag} Export, import`, type: 'feature' }, 'pm1');
	const quote = await srv.createIssue({ title: `${tag} The "big" one`, type: 'story' }, 'pm1');
	await intoMilestone(comma.number, m);
	await intoMilestone(quote.number, m);
	await price(comma.number, 'Premium');
	await price(quote.number, 'Starter');
	const r = await srv.as('viewer1').get('/api/v1/tiers/matrix', { query: { milestone: String(m.id), format: 'csv' } });
	assertStatus(r, 200);
	assert.match(r.headers.get('content-type') || '', /^text\/csv/, 'CSV content type');
	assert.ok(r.text.includes(`"${tag} Export, import"`), `a title with a comma is quoted: ${r.text}`);
	assert.ok(r.text.includes(`"${tag} The ""big"" one"`), `a quote is doubled inside quotes: ${r.text}`);
	const rows = parseCsv(r.text).filter((row) => row.length > 1 || row[0] !== '');
	const header = rows[0];
	assert.deepEqual(header.slice(-3), DEFAULT, `the header names the tiers, lowest first: ${header}`);
	assert.equal(rows.length, 3, `a header and one row per feature of the milestone: ${r.text}`);
	const rowOf = (it) => {
		const found = rows.slice(1).filter((row) => row.includes(it.title));
		assert.equal(found.length, 1, `one row for "${it.title}": ${r.text}`);
		assert.equal(found[0].length, header.length, `as many cells as the header: ${found[0]}`);
		return found[0].slice(-3);
	};
	assert.deepEqual(rowOf(comma), ['no', 'yes', 'yes']);
	assert.deepEqual(rowOf(quote), ['yes', 'yes', 'yes']);
});

/* ---------- signals ---------- */

test('upsell: customers asking for features above their tier, with ARR and the features, biggest ARR first', async () => {
	const ent = await feature('epic');
	const prem = await feature('feature');
	const low = await feature('story');
	await price(ent.number, 'Enterprise', 'compliance');
	await price(prem.number, 'Premium', 'teams');
	await price(low.number, 'Starter', 'everyone');
	const s1 = await customer('Starter', 12000);
	const s2 = await customer('Starter', 50000);
	const p1 = await customer('Premium', 30000);
	const e1 = await customer('Enterprise', 900000);
	const s3 = await customer('Starter', 70000);
	await ask(ent.number, { cust: s1 });
	await ask(ent.number, { cust: s2 });
	await ask(prem.number, { cust: s2 });
	await ask(ent.number, { cust: p1 });
	await ask(prem.number, { cust: p1 }); // at their tier: no upsell
	await ask(ent.number, { cust: e1 }); // at their tier
	await ask(low.number, { cust: s3 }); // at their tier

	const sig = await signals('viewer1');
	const nameOf = (u) => u.customer ?? u.name;
	const arrs = sig.upsell.map((u) => u.arr);
	assert.deepEqual(arrs, [...arrs].sort((x, y) => y - x), `biggest ARR first: ${JSON.stringify(sig.upsell)}`);
	const mine = sig.upsell.filter((u) => [s1, s2, p1, e1, s3].some((c) => c.name === nameOf(u)));
	assert.deepEqual(mine.map(nameOf), [s2.name, p1.name, s1.name], `the customers below the features they ask for: ${JSON.stringify(sig.upsell)}`);
	const byNum = (fs) => [...fs].sort((x, y) => x.number - y.number);
	const [u2, up, u1] = mine;
	assert.deepEqual([u2.tier, u2.arr], ['Starter', 50000]);
	assert.deepEqual(byNum(u2.features), byNum([{ number: ent.number, tier: 'Enterprise' }, { number: prem.number, tier: 'Premium' }]));
	assert.deepEqual([up.tier, up.arr], ['Premium', 30000]);
	assert.deepEqual(up.features, [{ number: ent.number, tier: 'Enterprise' }]);
	assert.deepEqual([u1.tier, u1.arr], ['Starter', 12000]);
	assert.deepEqual(u1.features, [{ number: ent.number, tier: 'Enterprise' }]);
});

test('upsell entries name the customer in `customer` (docs/API.md)', async () => {
	const f = await feature('feature');
	await price(f.number, 'Enterprise', 'execs');
	const c = await customer('Starter', 4321);
	await ask(f.number, { cust: c });
	const sig = await signals();
	const u = sig.upsell.find((x) => x.customer === c.name);
	assert.ok(u, `an upsell entry {customer: "${c.name}", tier, arr, features}: ${JSON.stringify(sig.upsell.find((x) => x.name === c.name) ?? sig.upsell)}`);
	assert.deepEqual([u.tier, u.arr, u.features], ['Starter', 4321, [{ number: f.number, tier: 'Enterprise' }]]);
});

test('mismatch: a Premium feature asked for mostly by Starter customers, with asks and asks_from_lower_tiers', async () => {
	const mostlyLow = await feature('feature');
	const fine = await feature('story');
	await price(mostlyLow.number, 'Premium', 'managers, we thought');
	await price(fine.number, 'Premium', 'managers');
	for (let k = 0; k < 3; k++)
		await ask(mostlyLow.number, { cust: await customer('Starter', 1000 + k) });
	await ask(mostlyLow.number, { cust: await customer('Enterprise', 80000) });
	await ask(fine.number, { cust: await customer('Starter', 2000) });
	await ask(fine.number, { cust: await customer('Premium', 20000) });
	await ask(fine.number, { cust: await customer('Enterprise', 60000) });

	const sig = await signals('eng1');
	const m = sig.mismatch.filter((x) => x.number === mostlyLow.number);
	assert.deepEqual(m, [{ number: mostlyLow.number, title: mostlyLow.title, tier: 'Premium', asks: 4, asks_from_lower_tiers: 3 }],
		JSON.stringify(sig.mismatch));
	assert.ok(!sig.mismatch.some((x) => x.number === fine.number), `1 of 3 asks from a lower tier is not "mostly": ${JSON.stringify(sig.mismatch)}`);
});

/* ---------- privacy ---------- */

test('a private security issue holding a tier: invisible to an engineer (tier view 404, not in matrix or signals), visible to a PM', async () => {
	const t = todayYmd();
	const m = await milestone(addDays(t, -4), addDays(t, 20));
	const tag = uniq('Secret');
	const sec = await srv.createIssue({ title: `${tag} key rotation`, type: 'feature' }, 'pm1');
	await intoMilestone(sec.number, m);
	const quiet = await customer('Starter', 777777); // asks only for the private issue
	await ask(sec.number, { cust: quiet });
	await price(sec.number, 'Premium', 'first');
	await price(sec.number, 'Enterprise', 'security teams of large companies');
	const p = await srv.patchIssue(sec.number, { type: 'security' }, 'pm1');
	assertStatus(p, 200);

	const has = {
		matrix: (mx) => mx.features.some((x) => x.number === sec.number) || Object.values(mx.by_tier).flatMap(numbersOf).includes(sec.number),
		moved: (mx) => mx.moved.some((x) => x.number === sec.number),
		text: (s) => s.includes(tag) || new RegExp(`#${sec.number}\\b`).test(s),
		upsell: (sg) => sg.upsell.some((u) => (u.customer ?? u.name) === quiet.name || u.features.some((f) => f.number === sec.number)),
		mismatch: (sg) => sg.mismatch.some((x) => x.number === sec.number),
	};
	const csvHas = (s) => s.includes(tag) || parseCsv(s).some((row) => row[0] === String(sec.number));

	for (const login of ['eng1', 'viewer1']) {
		assertError(await srv.as(login).get(`/api/v1/issues/${sec.number}/tier`), 404, 'not_found');
		for (const q of [{}, { milestone: String(m.id) }]) {
			const mx = await matrix(q, login);
			assert.ok(!has.matrix(mx), `${login}: not in the matrix ${JSON.stringify(q)}: ${JSON.stringify(mx)}`);
			assert.ok(!has.moved(mx), `${login}: not in moved: ${JSON.stringify(mx.moved)}`);
			const md = await srv.as(login).get('/api/v1/tiers/matrix', { query: { ...q, format: 'markdown' } });
			assertStatus(md, 200);
			assert.ok(!has.text(md.text), `${login}: not in the Markdown: ${md.text}`);
			const csv = await srv.as(login).get('/api/v1/tiers/matrix', { query: { ...q, format: 'csv' } });
			assertStatus(csv, 200);
			assert.ok(!csvHas(csv.text), `${login}: not in the CSV: ${csv.text}`);
		}
		const sg = await signals(login);
		assert.ok(!has.upsell(sg), `${login}: not in upsell: ${JSON.stringify(sg.upsell)}`);
		assert.ok(!has.mismatch(sg), `${login}: not in mismatch: ${JSON.stringify(sg.mismatch)}`);
	}
	// an engineer cannot touch it either, and nothing changes
	const before = await observe([sec.number]);
	const r = await putTier(sec.number, { tier: 'Starter', rationale: 'x' }, 'eng1');
	assert.ok(r.status === 403 || r.status === 404, `an engineer may not price a private issue: ${show(r)}`);
	assert.deepStrictEqual(await observe([sec.number]), before);

	for (const login of ['pm1', 'admin']) {
		const v = await view(sec.number, login);
		assert.deepEqual([v.type, v.tier, v.rationale], ['security', 'Enterprise', 'security teams of large companies'], JSON.stringify(v));
		const mx = await matrix({ milestone: String(m.id) }, login);
		assert.ok(mx.features.some((x) => x.number === sec.number && x.tier === 'Enterprise'), `${login}: in the matrix: ${JSON.stringify(mx.features)}`);
		assert.ok(numbersOf(mx.by_tier.Enterprise).includes(sec.number));
		assert.deepEqual(mx.moved.filter((x) => x.number === sec.number).map(moveOf), [[sec.number, 'Premium', 'Enterprise']]);
		const md = await srv.as(login).get('/api/v1/tiers/matrix', { query: { milestone: String(m.id), format: 'markdown' } });
		assert.ok(md.text.includes(tag), `${login}: in the Markdown: ${md.text}`);
		const csv = await srv.as(login).get('/api/v1/tiers/matrix', { query: { milestone: String(m.id), format: 'csv' } });
		assert.ok(csv.text.includes(tag), `${login}: in the CSV: ${csv.text}`);
		const sg = await signals(login);
		const u = sg.upsell.find((x) => (x.customer ?? x.name) === quiet.name);
		assert.deepEqual(u?.features, [{ number: sec.number, tier: 'Enterprise' }], `${login}: the upsell: ${JSON.stringify(sg.upsell)}`);
		assert.deepEqual(sg.mismatch.filter((x) => x.number === sec.number).map((x) => [x.asks, x.asks_from_lower_tiers]), [[1, 1]]);
	}
});

test('server shuts down cleanly', () => srv.stop());
