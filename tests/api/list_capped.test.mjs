/*
 * list_capped.test.mjs — counts that stop at 10,000 (issue #17): a list
 * page counts its matches only up to ISSUE_COUNT_CAP (or as far as the
 * page asked for), says so with "total_capped", and its Link header then
 * has no "last" and a "next" after every full page.  Below the cap the
 * total is exact.  The database: the demo's 10,200 issues.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertStatus, parseLink, startServer } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());
srv.cli(['demo', '--issues', '10200']);

test('over 10,000 matches: total 10000, total_capped, X-Total-Count 10000+, no last link', async () => {
	const r = await srv.as('admin').get('/api/v1/issues', { query: { per_page: '50' } });
	assertStatus(r, 200);
	assert.equal(r.json.total, 10000);
	assert.equal(r.json.total_capped, true);
	assert.equal(r.json.items.length, 50);
	assert.equal(r.headers.get('x-total-count'), '10000+');
	const links = parseLink(r.headers.get('link'));
	assert.ok(links.next && links.first, JSON.stringify(links));
	assert.equal(links.last, undefined, 'no last page when the count is a lower bound');
});

test('a page past the cap counts as far as it reaches, and the last items are still there', async () => {
	const r = await srv.as('admin').get('/api/v1/issues', { query: { per_page: '100', page: '102' } });
	assertStatus(r, 200);
	assert.equal(r.json.items.length, 100, 'issues 10,101..10,200 by newest first: 100 on page 102');
	assert.equal(r.json.total, 10200, 'counted to the end of this page: exact again');
	assert.equal(r.json.total_capped, false);
	const tail = await srv.as('admin').get('/api/v1/issues', { query: { per_page: '100', page: '103' } });
	assert.equal(tail.json.items.length, 0);
});

test('under the cap the total is exact and the Link header has its last page', async () => {
	const all = await srv.as('admin').get('/api/v1/issues', { query: { q: 'type:security', per_page: '10' } });
	assertStatus(all, 200);
	assert.equal(all.json.total_capped, false);
	assert.ok(all.json.total > 10 && all.json.total < 10000, String(all.json.total));
	const links = parseLink(all.headers.get('link'));
	assert.ok(links.last, JSON.stringify(links));
	// counted exactly: the pages hold total items
	let n = 0;
	for (let page = 1; ; page++) {
		const r = await srv.as('admin').get('/api/v1/issues', { query: { q: 'type:security', per_page: '100', page: String(page) } });
		n += r.json.items.length;
		if (r.json.items.length < 100)
			break;
	}
	assert.equal(n, all.json.total);
	// an engineer's count leaves out the security issues they may not see
	const eng = await srv.as('eng1').get('/api/v1/issues', { query: { q: 'type:security' } });
	assert.equal(eng.json.total, 0);
});

test('the triage inbox: ?stats=0 answers the count without the statistics', async () => {
	const r = await srv.as('pm1').get('/api/v1/triage', { query: { per_page: '1', stats: '0' } });
	assertStatus(r, 200);
	assert.equal(r.json.stats, null);
	assert.equal(typeof r.json.total, 'number');
	assert.equal(typeof r.json.total_capped, 'boolean');
	const full = await srv.as('pm1').get('/api/v1/triage', { query: { per_page: '1' } });
	assert.equal(full.json.total, r.json.total);
	assert.ok(full.json.stats && typeof full.json.stats === 'object');
});
