/*
 * insights.test.mjs — customers, personas, insights linked to issues, the
 * ranked backlog and closing the loop (issue #6, server side).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(() => srv?.kill?.());
const admin = () => srv.as('admin');

async function issue(title, extra = {}, who = 'admin') {
	const r = await srv.as(who).post('/api/v1/issues', { title, ...extra });
	assert.equal(r.status, 201, r.text);
	return r.json.number;
}
async function insight(body, who = 'admin') {
	const r = await srv.as(who).post('/api/v1/insights', body);
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}
const backlog = async (rank = 'demand', who = 'admin') =>
	(await srv.as(who).get('/api/v1/backlog', { query: { rank } })).json;
const item = (b, n) => b.items.find((i) => i.number === n);

test('customers and personas: admins and PMs add them, with validation', async () => {
	let r = await admin().post('/api/v1/customers', { name: 'Acme', tier: 'enterprise', arr: 99000, seats: 400, strategic: true });
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(r.json, { id: r.json.id, name: 'Acme', tier: 'Enterprise', arr: 99000, seats: 400, strategic: true });
	assert.equal((await admin().post('/api/v1/customers', { name: 'Smallco', arr: 0 })).status, 201);
	assertError(await admin().post('/api/v1/customers', { name: 'Acme' }), 409, 'conflict', 'name');
	assertError(await admin().post('/api/v1/customers', { name: 'X', tier: 'Gold' }), 422, 'invalid_field', 'tier');
	assertError(await admin().post('/api/v1/customers', { name: 'X', arr: '5' }), 422, 'invalid_field', 'arr');
	assertError(await srv.as('eng1').post('/api/v1/customers', { name: 'Y' }), 403, 'forbidden');
	r = await srv.as('pm1').post('/api/v1/personas', { name: 'Ops lead', buyer_level: 'manager' });
	assert.equal(r.status, 201, r.text);
	assertError(await srv.as('pm1').post('/api/v1/personas', { name: 'CEO', buyer_level: 'boss' }), 422, 'invalid_field', 'buyer_level');
	const list = await srv.as('viewer1').get('/api/v1/customers');
	assert.deepEqual(list.json.items.map((c) => c.name), ['Acme', 'Smallco']);
});

test('insights: recorded by writers, validated, listed by state', async () => {
	const id = await insight({ source: 'call', customer: 'Acme', title: 'Needs SSO', body: 'from the QBR', captured_at: '2026-11-01' }, 'eng1');
	const g = await admin().get(`/api/v1/insights/${id}`);
	assert.equal(g.json.customer, 'Acme');
	assert.equal(g.json.state, 'new');
	assert.equal(g.json.captured_at, '2026-11-01T00:00:00Z');
	const before = await srv.snapshot();
	const count = async () => (await admin().get('/api/v1/insights')).json.total;
	const total = await count();
	assertError(await admin().post('/api/v1/insights', { source: 'tweet', title: 'x' }), 422, 'invalid_field', 'source');
	assertError(await admin().post('/api/v1/insights', { source: 'call', title: 'x', customer: 'Nobody Inc' }), 422, 'invalid_field', 'customer');
	assertError(await admin().post('/api/v1/insights', { source: 'support', category: 'rant', title: 'x' }), 422, 'invalid_field', 'category');
	assertError(await admin().post('/api/v1/insights', { source: 'call', title: 'x', captured_at: 'yesterday' }), 422, 'invalid_field', 'captured_at');
	assertError(await admin().post('/api/v1/insights', { source: 'call', title: 'x', url: 'javascript:alert(1)' }), 422, 'invalid_field', 'url');
	assertError(await srv.as('viewer1').post('/api/v1/insights', { source: 'call', title: 'x' }), 403, 'forbidden');
	await srv.assertUnchanged(before);
	assert.equal(await count(), total, 'no insight was recorded by a refused request');
	const news = await admin().get('/api/v1/insights', { query: { state: 'new' } });
	assert.ok(news.json.items.some((i) => i.id === id));
});

test('linking and unlinking move the demand and RICE scores, with their evidence', async () => {
	const sso = await issue('Single sign-on', { size: 'L' });
	const dark = await issue('Dark mode', { size: 'S' });
	const a = await insight({ source: 'call', customer: 'Acme', title: 'SSO or we churn' });
	const b = await insight({ source: 'support', customer: 'Smallco', title: 'dark theme please' });
	let r = await admin().post(`/api/v1/insights/${a}/links`, { issue: sso, importance: 'critical' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'processed', 'linking processes a new insight');
	assert.deepEqual(r.json.links.map((l) => [l.issue, l.importance]), [[sso, 'critical']]);
	await admin().post(`/api/v1/insights/${b}/links`, { issue: dark, importance: 'nice' });

	let d = await backlog('demand');
	// Acme: critical 3 x decay(~0 days) 1 x w = (1 + log10(1 + 99)) x 2 = 6  ->  18
	assert.ok(Math.abs(item(d, sso).demand.score - 18) < 0.01, JSON.stringify(item(d, sso)));
	// Smallco: nice 1 x 1 x (1 + log10(1)) = 1
	assert.ok(Math.abs(item(d, dark).demand.score - 1) < 0.01);
	assert.deepEqual(d.items.slice(0, 2).map((i) => i.number), [sso, dark], 'ranked by demand');
	const ev = item(d, sso).evidence[0];
	assert.equal(ev.customer.name, 'Acme');
	assert.equal(ev.importance, 'critical');
	assert.ok(ev.weight > 17.9);

	// RICE: reach 1 customer x impact 1 x confidence 0.8 / effort -> dark (S = 2 points) beats sso (L = 5)
	const rice = await backlog('rice');
	assert.ok(Math.abs(item(rice, dark).rice.score - 0.4) < 1e-9);
	assert.ok(Math.abs(item(rice, sso).rice.score - 0.16) < 1e-9);
	assert.deepEqual(rice.items.slice(0, 2).map((i) => i.number), [dark, sso]);

	// a second customer on dark mode raises it; unlinking takes it back
	const c = await insight({ source: 'poll', customer: 'Acme', title: 'dark mode too' });
	await admin().post(`/api/v1/insights/${c}/links`, { issue: dark, importance: 'important' });
	d = await backlog('demand');
	assert.equal(item(d, dark).demand.customers, 2);
	assert.ok(item(d, dark).demand.score > 12);
	r = await srv.api('DELETE', `/api/v1/insights/${c}/links/${dark}`, { token: srv.tokens.admin });
	assert.equal(r.status, 204, r.text);
	d = await backlog('demand');
	assert.ok(Math.abs(item(d, dark).demand.score - 1) < 0.01);
	assertError(await srv.api('DELETE', `/api/v1/insights/${c}/links/${dark}`, { token: srv.tokens.admin }), 404, 'not_found');
	assertError(await admin().get('/api/v1/backlog', { query: { rank: 'magic' } }), 422, 'invalid_field', 'rank');
});

test('a PM sets RICE inputs by hand; the backlog uses them; others may not', async () => {
	const n = await issue('Audit log export', { size: 'M' });
	const id = await insight({ source: 'sales', customer: 'Smallco', title: 'auditors ask' });
	await admin().post(`/api/v1/insights/${id}/links`, { issue: n });
	let row = item(await backlog('rice'), n);
	assert.deepEqual([row.rice.reach, row.rice.impact, row.rice.confidence, row.rice.effort], [1, 1, 80, 3]);
	const etag = (await admin().get(`/api/v1/issues/${n}`)).headers.get('etag');
	const eng = await srv.as('eng1').call('PATCH', `/api/v1/issues/${n}`, { body: { rice_impact: 3 }, headers: { 'If-Match': etag } });
	assertError(eng, 403, 'forbidden', 'rice');
	for (const [body, field] of [[{ rice_impact: 4 }, 'rice_impact'], [{ rice_confidence: 90 }, 'rice_confidence'], [{ rice_reach: -2 }, 'rice_reach']])
		assertError(await srv.as('pm1').call('PATCH', `/api/v1/issues/${n}`, { body, headers: { 'If-Match': etag } }), 422, 'invalid_field', field);
	const ok = await srv.as('pm1').call('PATCH', `/api/v1/issues/${n}`, {
		body: { rice_reach: 12, rice_impact: 0.25, rice_confidence: '100%' }, headers: { 'If-Match': etag } });
	assert.equal(ok.status, 200, ok.text);
	assert.deepEqual([ok.json.rice_reach, ok.json.rice_impact, ok.json.rice_confidence], [12, 0.25, 100]);
	row = item(await backlog('rice'), n);
	// 12 x 0.25 x 1.00 / 3 points = 1
	assert.ok(Math.abs(row.rice.score - 1) < 1e-9, JSON.stringify(row.rice));
	const hist = (await admin().get(`/api/v1/issues/${n}/history`)).json.items.map((h) => `${h.field}:${h.new}`);
	assert.ok(hist.includes('rice_impact:0.25') && hist.includes('rice_confidence:100%') && hist.includes('rice_reach:12'), hist.join(' '));
	// null returns to the default
	const back = await srv.as('pm1').call('PATCH', `/api/v1/issues/${n}`, { body: { rice_reach: null }, headers: { 'If-Match': ok.headers.get('etag') } });
	assert.equal(back.json.rice_reach, null);
	assert.equal(item(await backlog('rice'), n).rice.reach, 1);
});

test('bad links change nothing', async () => {
	const id = await insight({ source: 'call', title: 'lonely' });
	const n = await issue('target');
	const before = await srv.snapshot([n]);
	assertError(await admin().post(`/api/v1/insights/${id}/links`, { issue: 999999 }), 422, 'invalid_field', 'issue');
	assertError(await admin().post(`/api/v1/insights/${id}/links`, { issue: n, importance: 'urgent' }), 422, 'invalid_field', 'importance');
	assertError(await admin().post(`/api/v1/insights/${id}/links`, { issue: String(n) }), 422, 'invalid_field', 'issue');
	assertError(await admin().post('/api/v1/insights/999999/links', { issue: n }), 404, 'not_found');
	assertError(await srv.as('viewer1').post(`/api/v1/insights/${id}/links`, { issue: n }), 403, 'forbidden');
	await srv.assertUnchanged(before, [n]);
	assert.equal((await admin().get(`/api/v1/insights/${id}`)).json.state, 'new');
});

test('private security issues stay private through insights and the backlog', async () => {
	const sec = await issue('Token leak', { type: 'security', size: 'S' }, 'eng1');
	const id = await insight({ source: 'support', customer: 'Acme', title: 'saw a token in logs' }, 'eng1');
	assert.equal((await srv.as('eng1').post(`/api/v1/insights/${id}/links`, { issue: sec, importance: 'critical' })).status, 200);
	// eng2 and the viewer cannot see, link, or rank it
	assertError(await srv.as('eng2').post(`/api/v1/insights/${id}/links`, { issue: sec }), 422, 'invalid_field', 'issue');
	assert.equal((await srv.as('eng2').get(`/api/v1/issues/${sec}/insights`)).status, 404);
	assert.deepEqual((await srv.as('viewer1').get(`/api/v1/insights/${id}`)).json.links, []);
	assert.equal(item(await backlog('demand', 'viewer1'), sec), undefined);
	assert.equal(item(await backlog('rice', 'eng2'), sec), undefined);
	// the reporter and a PM do
	assert.ok(item(await backlog('demand', 'eng1'), sec));
	assert.ok(item(await backlog('demand', 'pm1'), sec));
	assert.equal((await srv.as('pm1').get(`/api/v1/issues/${sec}/insights`)).json.items.length, 1);
});

test('closing the loop: the insights behind an issue are answered in one action', async () => {
	const n = await issue('Export to CSV');
	const a = await insight({ source: 'call', customer: 'Acme', title: 'CSV export' });
	const b = await insight({ source: 'community', title: 'csv pls' });
	await admin().post(`/api/v1/insights/${a}/links`, { issue: n });
	await admin().post(`/api/v1/insights/${b}/links`, { issue: n, importance: 'nice' });
	const asked = await admin().get(`/api/v1/issues/${n}/insights`);
	assert.deepEqual(asked.json.items.map((i) => i.customer), [null, 'Acme']);
	assertError(await srv.as('eng1').post(`/api/v1/issues/${n}/answer`, {}), 403, 'forbidden');
	const r = await srv.as('pm1').post(`/api/v1/issues/${n}/answer`, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.answered, 2);
	for (const id of [a, b]) {
		const g = (await admin().get(`/api/v1/insights/${id}`)).json;
		assert.equal(g.state, 'answered');
		assert.ok(g.answered_at);
	}
	assert.equal((await srv.as('pm1').post(`/api/v1/issues/${n}/answer`, {})).json.answered, 0, 'idempotent');
});

/* Issue #14: closing an issue as a duplicate took its customer demand
 * with it (the insights stayed on the closed issue). */
test('closing as a duplicate moves the demand to the kept issue, with a history row on each', async () => {
	const kept = await issue('Export to CSV (kept)');
	const dup = await issue('CSV export please (dup)');
	const a = await insight({ source: 'call', customer: 'Acme', title: 'csv for finance' });
	const b = await insight({ source: 'support', customer: 'Smallco', title: 'need a csv' });
	const c = await insight({ source: 'call', customer: 'Acme', title: 'already on the kept one' });
	await admin().post(`/api/v1/insights/${a}/links`, { issue: dup, importance: 'critical' });
	await admin().post(`/api/v1/insights/${b}/links`, { issue: dup, importance: 'nice' });
	await admin().post(`/api/v1/insights/${c}/links`, { issue: dup, importance: 'nice' });
	await admin().post(`/api/v1/insights/${c}/links`, { issue: kept, importance: 'important' });
	const before = item(await backlog('demand'), kept).demand.score;
	const r = await srv.as('pm1').post(`/api/v1/issues/${dup}/triage`, { route: 'duplicate', duplicate_of: kept });
	assert.equal(r.status, 200, r.text);
	const asks = (await admin().get(`/api/v1/issues/${kept}/insights`)).json;
	const ids = (asks.items || asks.insights || asks).map((x) => x.id).sort((x, y) => x - y);
	assert.deepEqual(ids, [a, b, c].sort((x, y) => x - y), 'every ask now on the kept issue');
	const left = (await admin().get(`/api/v1/issues/${dup}/insights`)).json;
	assert.equal((left.items || left.insights || left).length, 0, 'none left on the duplicate');
	const after = item(await backlog('demand'), kept).demand.score;
	assert.ok(after > before, `demand grew: ${before} -> ${after}`);
	const hk = (await admin().get(`/api/v1/issues/${kept}/history`)).json.items;
	assert.ok(hk.some((x) => x.field === 'insights_from' && x.old === '2' && x.new === `#${dup}`), JSON.stringify(hk));
	const hd = (await admin().get(`/api/v1/issues/${dup}/history`)).json.items;
	assert.ok(hd.some((x) => x.field === 'insights_moved' && x.new === '2'), JSON.stringify(hd));
	// the insight says where it now points
	const ia = (await admin().get(`/api/v1/insights/${a}`)).json;
	assert.deepEqual(ia.links.map((l) => [l.issue, l.importance]), [[kept, 'critical']]);
});

test('server shuts down cleanly', () => srv.stop());
