/*
 * demo_content.test.mjs — issue #14: the default demo (`cairn demo`) reads like
 * a real product's year.  Over real HTTP: every issue title is unique; bugs
 * read like bugs (steps to reproduce, expected, actual), features carry the
 * customer's problem and words, stories their problem; the top of the
 * demand-ranked backlog is features and improvements customers want (no
 * task chores, no tests); the insights behind them quote a customer.  The
 * same seed gives the same product, and a bigger demo keeps its titles
 * unique (the hand-written ones run out there, qualifiers take over).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertStatus, startServer } from './harness.mjs';

let srv;
before(async () => {
	srv = await startServer();
	const r = srv.cli(['demo']);
	assert.match(r.stdout, /demo product created/);
});
after(() => srv?.kill());

async function getJson(s, path, query) {
	const r = await s.as('admin').get(path, query ? { query } : {});
	assertStatus(r, 200);
	return r.json;
}

/* Every issue of a server (titles and types; the list has no bodies). */
async function allIssues(s) {
	const out = [];
	for (let page = 1; ; page++) {
		const r = await getJson(s, '/api/v1/issues', { q: 'sort:number', page: String(page), per_page: '100' });
		out.push(...r.items);
		if (r.items.length < 100)
			return out;
	}
}

const dupes = (titles) => [...new Set(titles.filter((t, k) => titles.indexOf(t) !== k))];

test('the default demo: 200 issues, every title unique, of every type', async () => {
	const issues = await allIssues(srv);
	assert.equal(issues.length, 200);
	assert.deepEqual(dupes(issues.map((i) => i.title)), [], 'no title twice');
	for (const type of ['epic', 'story', 'task', 'bug', 'feature', 'security'])
		assert.ok(issues.some((i) => i.type === type), `the demo has a ${type}`);
	// the first few hundred are hand-written: no qualifier appended yet
	const qualified = issues.filter((i) => i.type !== 'task' && / \((Android app|iOS app|EU region|public API|US region)[,)]/.test(i.title));
	assert.deepEqual(qualified.map((i) => i.title), []);
});

test('bugs read like bugs, features carry the customer problem, stories their problem', async () => {
	const issues = await allIssues(srv);
	const body = async (n) => (await getJson(srv, `/api/v1/issues/${n}`)).body;
	for (const i of issues.filter((x) => x.type === 'bug').slice(0, 12)) {
		const b = await body(i.number);
		assert.match(b, /### Steps to reproduce\n\n1\. .+/, `#${i.number} ${i.title}`);
		assert.match(b, /### Expected\n\n\S/);
		assert.match(b, /### Actual\n\n\S/);
	}
	for (const i of issues.filter((x) => x.type === 'feature').slice(0, 12)) {
		const b = await body(i.number);
		assert.match(b, /## The customer problem\n\n\S/, `#${i.number} ${i.title}`);
		assert.match(b, /\n> [A-Z"].{20,}\n>\n> — .+, .+ \((Enterprise|Premium|Starter), \d{1,3}(,\d{3})? devices\)/, b);
	}
	for (const i of issues.filter((x) => x.type === 'story').slice(0, 12))
		assert.match(await body(i.number), /^## Problem\n\n\S.*\n\n## What customers say\n\n> \S/, `#${i.number}`);
	// a task is a part of its story, named after it
	const byNumber = new Map(issues.map((i) => [i.number, i]));
	for (const t of issues.filter((x) => x.type === 'task').slice(0, 12)) {
		const full = await getJson(srv, `/api/v1/issues/${t.number}`);
		const story = byNumber.get(full.parent);
		assert.equal(story?.type, 'story', `#${t.number} is under a story`);
		assert.ok(t.title.startsWith(`${story.title}: `), `${t.title} names its story ${story.title}`);
	}
});

test('the top of the demand backlog is features and improvements customers want, in their words', async () => {
	const backlog = await getJson(srv, '/api/v1/backlog', { rank: 'demand', limit: '10' });
	const items = backlog.items ?? backlog;
	assert.equal(items.length, 10);
	for (const x of items) {
		assert.ok(['feature', 'story', 'epic'].includes(x.type), `#${x.number} ${x.title} is a ${x.type}`);
		assert.doesNotMatch(x.title, /: (data model|API endpoint|web UI|end-to-end test|docs|metrics|feature flag|load test)/);
		assert.ok(x.demand.customers >= 1 && x.demand.insights >= 1);
	}
	const top = items[0];
	assert.ok(top.demand.customers >= 5, `the most wanted item is wanted by many: ${JSON.stringify(top.demand)}`);
	// its evidence: asks titled after it, a customer's words quoted in each
	const asks = top.evidence.filter((e) => e.title.endsWith(top.title));
	assert.ok(asks.length >= 3, JSON.stringify(top.evidence.map((e) => e.title)));
	const insight = await getJson(srv, `/api/v1/insights/${asks[0].insight}`);
	assert.match(insight.body, /^“\S.{20,}”\n\n— .+, (on|in|to) .+\.$/s, insight.body);
	assert.ok(insight.links.some((l) => l.issue === top.number));
});

test('same seed, same product; a bigger demo keeps its titles unique', async () => {
	const again = await startServer();
	const big = await startServer();
	try {
		again.cli(['demo']);
		const a = await allIssues(srv), b = await allIssues(again);
		assert.deepEqual(b.map((i) => [i.number, i.type, i.title]), a.map((i) => [i.number, i.type, i.title]));
		big.cli(['demo', '--issues', '2500', '--seed', '9']);
		const titles = (await allIssues(big)).map((i) => i.title);
		assert.equal(titles.length, 2500);
		assert.deepEqual(dupes(titles), []);
		assert.ok(titles.some((t) => / \(EU region\)$/.test(t)), 'past the hand-written titles, qualifiers keep them apart');
	} finally {
		again.kill();
		big.kill();
	}
});
