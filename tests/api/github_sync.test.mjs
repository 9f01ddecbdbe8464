/*
 * github_sync.test.mjs — issue #16, sync out: with a token, Cairn's decisions
 * on a linked issue (labels for type, size, priority and horizon, the
 * milestone, closing with a reason, a comment when a PM triages) are queued
 * and written to GitHub's REST API by the server's worker.  GitHub is a fake
 * started here (no network): it records every call and can answer 403
 * rate-limited, 429 with Retry-After, 500, 404 or slowly, so the retry and
 * hold paths run for real.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';

const SECRET = 'hello-world-webhook-secret';
const TOKEN = 'ghp_faketoken123';
const REPO = 'Codertocat/Hello-World';

/* ---- the fake GitHub ---- */
const calls = [];
const plan = []; // answers to give, in order ('ok' when empty)
let down = false; // answer every call with 500
const fake = http.createServer((req, res) => {
	let body = '';
	req.on('data', (d) => { body += d; });
	req.on('end', () => {
		const call = { method: req.method, path: req.url, body: body ? JSON.parse(body) : null, auth: req.headers.authorization,
			version: req.headers['x-github-api-version'] };
		call.t = Date.now();
		calls.push(call);
		const how = down ? '500' : plan.shift() || 'ok';
		const json = (status, obj, headers = {}) => {
			res.writeHead(status, { 'Content-Type': 'application/json', 'x-ratelimit-remaining': '4999', ...headers });
			res.end(JSON.stringify(obj));
		};
		call.answer = how;
		if (how === 'limited')
			return json(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) });
		if (how === 'retry-after')
			return json(429, { message: 'secondary rate limit' }, { 'retry-after': '1' });
		if (how === '500')
			return json(500, { message: 'boom' });
		if (how === '404')
			return json(404, { message: 'Not Found' });
		if (how === 'slow')
			return setTimeout(() => json(200, {}), 1500);
		if (req.method === 'GET' && req.url.includes('/milestones'))
			return json(200, [{ number: 3, title: 'Existing' }]);
		if (req.method === 'POST' && req.url.endsWith('/milestones'))
			return json(201, { number: 7, title: call.body.title });
		return json(200, {});
	});
});
await new Promise((r) => fake.listen(0, '127.0.0.1', r));
process.env.CAIRN_GITHUB_API = `http://127.0.0.1:${fake.address().port}`;
process.env.CAIRN_GITHUB_RETRY_MS = '50';
process.env.CAIRN_GITHUB_TIMEOUT_MS = '400';
let srv = await startServer();
after(async () => { await srv.kill(); fake.close(); });

const admin = () => srv.as('admin');
const opened = JSON.parse(fs.readFileSync('tests/fixtures/github/issues.opened.json', 'utf8'));
let ghNumber = 500;

async function deliver(event, payload) {
	const raw = JSON.stringify(payload);
	return srv.api('POST', '/hooks/github', { raw, headers: { 'X-GitHub-Event': event, 'X-GitHub-Delivery': randomUUID(),
		'X-Hub-Signature-256': 'sha256=' + createHmac('sha256', SECRET).update(raw).digest('hex') } });
}

/* A linked issue: opened on GitHub (as GitHub would send it). */
async function linked(title, fields = {}) {
	const p = JSON.parse(JSON.stringify(opened));
	const number = ++ghNumber;
	Object.assign(p.issue, { number, title, html_url: `https://github.com/${REPO}/issues/${number}`, labels: [], milestone: null, ...fields });
	assertStatus(await deliver('issues', p), 200);
	const { items } = await srv.listAll();
	const i = items.find((x) => x.title === title);
	return { number: i.number, gh: number, payload: p };
}

/* Wait (up to 15 s) until pred(calls) holds; the worker runs every quarter second. */
async function until(pred, what) {
	for (let k = 0; k < 150; k++) {
		const got = pred(calls);
		if (got)
			return got;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`never happened: ${what}\ncalls: ${JSON.stringify(calls, null, 1).slice(0, 3000)}`);
}
const outbox = async () => (await admin().get('/api/v1/github/outbox', { query: { limit: '500' } })).json.items;

test('setup: a repository with a token', async () => {
	const r = await admin().post('/api/v1/github/repos', { full_name: REPO, secret: SECRET, token: TOKEN });
	assertStatus(r, 201);
	assert.equal(r.json.has_token, true);
});

test('a PM\'s change is written back: labels with type, size, priority and horizon', async () => {
	const i = await linked('Sync my labels', { labels: [{ name: 'bug' }, { name: 'headline' }] });
	const path = `/repos/${REPO}/issues/${i.gh}/labels`;
	assert.equal(calls.filter((c) => c.path === path).length, 0, 'GitHub\'s own change is not sent back');
	assertStatus(await srv.patchIssue(i.number, { priority: 'high', pm_size: 'M' }, 'pm1'), 200);
	const call = await until((cs) => cs.find((c) => c.path === path && c.method === 'PUT'), 'PUT labels');
	assert.equal(call.auth, `Bearer ${TOKEN}`);
	assert.equal(call.version, '2022-11-28');
	assert.deepEqual(call.body.labels.sort(), ['3', 'bug', 'headline', 'priority:high'].sort());
	// a triage: the horizon label and a comment
	const t = await srv.as('pm1').post(`/api/v1/issues/${i.number}/triage`, { board: 'next' });
	assertStatus(t, 200);
	const c = await until((cs) => cs.find((x) => x.path === `/repos/${REPO}/issues/${i.gh}/comments`), 'triage comment');
	assert.match(c.body.body, /Triaged in Cairn by pm1: bug, priority high, size M, horizon next/);
	await until((cs) => cs.find((x) => x.path === path && x.body.labels.includes('horizon:next')), 'horizon label');
	const o = await outbox();
	assert.ok(o.every((x) => x.state === 'done' || x.state === 'pending'), JSON.stringify(o));
});

test('the milestone by title (created on GitHub when missing) and closing with a reason', async () => {
	const i = await linked('Plan me');
	const ms = await admin().post('/api/v1/milestones', { title: 'Sync 1', start: '2026-12-01', due: '2026-12-28' });
	assertStatus(ms, 201);
	assertStatus(await srv.patchIssue(i.number, { milestone: String(ms.json.id) }, 'pm1'), 200);
	const patch = await until((cs) => cs.find((c) => c.method === 'PATCH' && c.path === `/repos/${REPO}/issues/${i.gh}` && c.body.milestone !== undefined), 'milestone PATCH');
	assert.equal(patch.body.milestone, 7, 'the number GitHub gave the new milestone');
	assert.ok(calls.some((c) => c.method === 'POST' && c.path === `/repos/${REPO}/milestones` && c.body.title === 'Sync 1'));
	const w = await srv.as('pm1').post(`/api/v1/issues/${i.number}/triage`, { route: 'wont_do', reason: 'out of scope' });
	assertStatus(w, 200);
	const close = await until((cs) => cs.find((c) => c.method === 'PATCH' && c.path === `/repos/${REPO}/issues/${i.gh}` && c.body.state === 'closed'), 'close');
	assert.equal(close.body.state_reason, 'not_planned');
	assertStatus(await srv.patchIssue(i.number, { state: 'open' }, 'pm1'), 200);
	await until((cs) => cs.find((c) => c.path === `/repos/${REPO}/issues/${i.gh}` && c.body.state === 'open'), 'reopen');
	assertStatus(await srv.patchIssue(i.number, { state: 'closed' }, 'pm1'), 200);
	const done = await until((cs) => cs.filter((c) => c.path === `/repos/${REPO}/issues/${i.gh}` && c.body.state === 'closed')[1], 'closed as done');
	assert.equal(done.body.state_reason, 'completed');
});

test('publishing a changelog entry that links the issue comments on GitHub', async () => {
	const i = await linked('Ship me');
	const CL = '/api/v1/changelog';
	const r = await srv.as('pm1').post(CL, { title: 'Faster search', description: 'Search is quick now.', issues: [`#${i.number}`] });
	assertStatus(r, 201);
	for (const [state, who] of [['in_review', 'pm1'], ['approved', 'eng2'], ['published', 'pm1']])
		assertStatus(await srv.as(who).post(`${CL}/${r.json.id}/state`, { state }), 200);
	const c = await until((cs) => cs.find((x) => x.path === `/repos/${REPO}/issues/${i.gh}/comments`), 'release comment');
	assert.equal(c.body.body, 'Released: **Faster search** — Search is quick now.');
});

test('500 and a slow answer are retried with backoff until GitHub takes the call', async () => {
	const i = await linked('Flaky GitHub');
	plan.push('500', 'slow', 'ok');
	const before = calls.length;
	assertStatus(await srv.patchIssue(i.number, { priority: 'low' }, 'pm1'), 200);
	const path = `/repos/${REPO}/issues/${i.gh}/labels`;
	await until((cs) => cs.slice(before).filter((c) => c.path === path).length >= 3, 'three attempts');
	for (let k = 0; k < 100; k++) {
		const o = (await outbox()).find((x) => x.path === path);
		if (o && o.state === 'done') {
			assert.equal(o.attempts, 3);
			assert.equal(o.status, 200);
			return;
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.fail(`not done: ${JSON.stringify(await outbox())}`);
});

test('rate limited (403 with x-ratelimit-remaining 0, 429 with Retry-After): the call waits for the reset', async () => {
	const i = await linked('Rate limited');
	plan.push('limited', 'retry-after', 'ok');
	const before = calls.length;
	assertStatus(await srv.patchIssue(i.number, { priority: 'medium' }, 'pm1'), 200);
	const path = `/repos/${REPO}/issues/${i.gh}/labels`;
	await until((cs) => cs.slice(before).filter((c) => c.path === path).length >= 3, 'retried after the reset');
	const tries = calls.slice(before).filter((c) => c.path === path);
	assert.deepEqual(tries.map((c) => c.answer), ['limited', 'retry-after', 'ok']);
	// held until GitHub's reset / Retry-After (about a second), not the 50 ms
	// backoff: a lower bound only, which a slow machine cannot break
	assert.ok(tries[1].t - tries[0].t >= 400, `waited ${tries[1].t - tries[0].t} ms after the 403`);
	assert.ok(tries[2].t - tries[1].t >= 900, `waited ${tries[2].t - tries[1].t} ms after Retry-After: 1`);
});

test('a 404 fails the call for good; security issues and GitHub\'s own changes are never sent', async () => {
	const i = await linked('Gone on GitHub');
	plan.push('404');
	assertStatus(await srv.patchIssue(i.number, { priority: 'high' }, 'pm1'), 200);
	const path = `/repos/${REPO}/issues/${i.gh}/labels`;
	for (let k = 0; k < 100; k++) {
		const o = (await outbox()).find((x) => x.path === path);
		if (o && o.state === 'failed') {
			assert.equal(o.status, 404);
			assert.match(o.error, /404/);
			break;
		}
		if (k === 99)
			assert.fail(JSON.stringify(await outbox()));
		await new Promise((r) => setTimeout(r, 100));
	}
	const s = await linked('Private matter');
	const n0 = (await outbox()).length;
	assertStatus(await srv.patchIssue(s.number, { type: 'security' }, 'pm1'), 200);
	assertStatus(await srv.patchIssue(s.number, { priority: 'high' }, 'pm1'), 200);
	// a change from GitHub (the bot) queues nothing either
	const p = s.payload;
	p.action = 'edited';
	p.issue.title = 'Private matter, renamed';
	assertStatus(await deliver('issues', p), 200);
	assert.equal((await outbox()).length, n0, 'nothing queued');
	assertError(await srv.as('pm1').get('/api/v1/github/outbox'), 403, 'forbidden');
});

test('the queue survives a restart: another server on the database makes the call', async () => {
	const i = await linked('Survive a restart');
	down = true;
	const path = `/repos/${REPO}/issues/${i.gh}/labels`;
	assertStatus(await srv.patchIssue(i.number, { priority: 'low' }, 'pm1'), 200);
	await until((cs) => cs.find((c) => c.path === path), 'a first (failed) attempt');
	const twin = await startServer({ shareWith: srv });
	await srv.stop(); // the first server is gone, with whatever it held in memory
	srv = twin;
	const before = calls.length;
	down = false;
	const ok = await until((cs) => cs.slice(before).find((c) => c.path === path && c.answer === 'ok'), 'sent by the new server');
	assert.deepEqual(ok.body.labels.sort(), ['priority:low', 'story'].sort());
});

test('server shuts down cleanly', () => srv.stop());
