/*
 * changelog_hooks.test.mjs — issue #11, outgoing notification hooks
 * (docs/API.md "Releases …" → Notification hooks): admins register a URL
 * and a secret (never shown again); on publish each hook gets a signed
 * JSON event (X-Cairn-Signature-256 = sha256=HMAC-SHA256(secret, raw
 * body)), retried with exponential backoff, each delivery recorded and
 * visible to admins; a receiver that fails, is down or is slow never holds
 * up publishing.
 *
 * Receivers are node:http servers on 127.0.0.1.  The server's retry base
 * is shortened with CAIRN_HOOK_RETRY_MS=200 (the harness passes this
 * process's environment to the server it starts), so six attempts take
 * about 6 s instead of minutes.  Waits are bounded loops (30 s, 100 ms
 * steps).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { after, test } from 'node:test';

import { DEFAULT_USERS, assertError, assertStatus, show, startServer, uniq } from './harness.mjs';

const RETRY_MS = 200;
process.env.CAIRN_HOOK_RETRY_MS = String(RETRY_MS);

let srv = await startServer({ users: DEFAULT_USERS });
const servers = [srv];
const receivers = [];
after(async () => {
	for (const s of servers.reverse())
		await s.kill();
	for (const r of receivers)
		await r.close();
});

const CL = '/api/v1/changelog';
const as = (login) => srv.as(login);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* ---------- helpers ---------- */

/* A receiver: records every request (headers, raw body, time) and answers
 * with respond(record, res, count). */
async function receiver(respond = (rec, res) => res.end('ok'), port = 0) {
	const reqs = [];
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rec = { method: req.method, url: req.url, headers: req.headers, raw: Buffer.concat(chunks), at: Date.now() };
			reqs.push(rec);
			respond(rec, res, reqs.length);
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise((r, j) => { server.once('error', j); server.listen(port, '127.0.0.1', r); });
	const rcv = {
		url: `http://127.0.0.1:${server.address().port}/hooks/cairn`,
		reqs,
		close: () => new Promise((r) => {
			for (const s of sockets)
				s.destroy();
			server.close(() => r());
		}),
	};
	receivers.push(rcv);
	return rcv;
}

/* A port nothing listens on: opened, then closed. */
async function deadUrl() {
	const s = http.createServer();
	await new Promise((r) => s.listen(0, '127.0.0.1', r));
	const port = s.address().port;
	await new Promise((r) => s.close(r));
	return `http://127.0.0.1:${port}/down`;
}

/* Wait for fn() to return something truthy, at most ms. */
async function until(what, fn, ms = 30000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		if (Date.now() > end)
			assert.fail(`timed out after ${ms} ms waiting for ${what}`);
		await sleep(100);
	}
}

async function addHook(url, secret) {
	const r = await as('admin').post('/api/v1/hooks', { url, secret });
	assertStatus(r, 201);
	assert.ok(!Object.hasOwn(r.json, 'secret'), `the secret is not returned: ${show(r)}`);
	assert.ok(!r.text.includes(secret), 'the secret is nowhere in the answer');
	assert.equal(r.json.url, url);
	return r.json;
}

async function deliveries() {
	const r = await as('admin').get('/api/v1/hooks/deliveries');
	assertStatus(r, 200);
	return r.json.items;
}

const deliveryOf = async (hook, entry) => (await deliveries()).filter((d) => d.hook === hook.id && d.entry === entry.id);

async function move(id, state, login) {
	const r = await as(login).post(`${CL}/${id}/state`, { state });
	assertStatus(r, 200);
	return r;
}

/* An entry ready to publish (approved), linked to issue n. */
async function approvedEntry(n, title = uniq('Hooked entry ')) {
	const r = await as('pm1').post(CL, { title, description: 'What shipped.', issues: [`#${n}`] });
	assertStatus(r, 201);
	await move(r.json.id, 'in_review', 'pm1');
	await move(r.json.id, 'approved', 'eng2');
	return r.json;
}

/* Publish; returns the response and how long it took. */
async function timedPublish(entry) {
	const t0 = Date.now();
	const r = await as('pm1').post(`${CL}/${entry.id}/state`, { state: 'published' });
	const ms = Date.now() - t0;
	assertStatus(r, 200);
	assert.equal(r.json.state, 'published');
	return { r, ms };
}

const sign = (secret, raw) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/* ---------- fixture: an issue customers asked for ---------- */

let issueN;
let customer;

test('fixture: a shipped issue and a customer who asked for it', async () => {
	const i = await srv.createIssue({ type: 'feature', title: uniq('Webhook-worthy feature ') });
	issueN = i;
	const c = await as('admin').post('/api/v1/customers', { name: uniq('Acme '), tier: 'Premium', arr: 12000, seats: 20, strategic: false });
	assertStatus(c, 201);
	customer = c.json;
	const ins = await as('pm1').post('/api/v1/insights', { source: 'call', customer: customer.name, title: 'Tell our ERP when things ship' });
	assertStatus(ins, 201);
	assertStatus(await as('pm1').post(`/api/v1/insights/${ins.json.id}/links`, { issue: i.number }), 200);
});

/* ---------- registration ---------- */

test('hooks: admins only; the URL is validated; the secret is never returned', async () => {
	const list0 = await as('admin').get('/api/v1/hooks');
	assertStatus(list0, 200);
	assert.deepEqual(list0.json.items, []);
	const body = { url: 'http://127.0.0.1:9/x', secret: 's3cret-never-shown' };
	for (const login of ['pm1', 'cto1', 'em1', 'eng1', 'viewer1']) {
		assertError(await as(login).post('/api/v1/hooks', body), 403, 'forbidden');
		assertError(await as(login).get('/api/v1/hooks'), 403, 'forbidden');
		assertError(await as(login).get('/api/v1/hooks/deliveries'), 403, 'forbidden');
	}
	assertError(await as('admin').post('/api/v1/hooks', { ...body, url: 'ftp://example.com/x' }), 422, 'invalid_field', 'url');
	assertError(await as('admin').post('/api/v1/hooks', { ...body, url: 'not a url' }), 422, 'invalid_field', 'url');
	assertError(await as('admin').post('/api/v1/hooks', { ...body, url: 42 }), 422, 'invalid_field', 'url');
	assertError(await srv.api('POST', '/api/v1/hooks', { token: srv.tokens.admin, raw: '{"url":' }), 400, 'malformed');
	assert.deepEqual((await as('admin').get('/api/v1/hooks')).json.items, [], 'refused: no hook registered');

	const h = await addHook(body.url, body.secret);
	const l = await as('admin').get('/api/v1/hooks');
	assertStatus(l, 200);
	assert.deepEqual(l.json.items.map((x) => [x.id, x.url]), [[h.id, body.url]]);
	assert.ok(l.json.items.every((x) => !Object.hasOwn(x, 'secret')), 'no secret in the list');
	assert.ok(!l.text.includes(body.secret), 'the secret is nowhere in the list');

	assertError(await as('pm1').del(`/api/v1/hooks/${h.id}`), 403, 'forbidden');
	assert.equal((await as('admin').get('/api/v1/hooks')).json.items.length, 1);
	assertStatus(await as('admin').del(`/api/v1/hooks/${h.id}`), 204);
	assertError(await as('admin').del(`/api/v1/hooks/${h.id}`), 404, 'not_found');
	assert.deepEqual((await as('admin').get('/api/v1/hooks')).json.items, []);
});

/* ---------- delivery ---------- */

test('on publish the receiver gets a signed changelog.published event; the delivery is recorded delivered after 1 attempt', async () => {
	const rcv = await receiver();
	const secret = `hook-secret-${uniq('k')}`;
	const hook = await addHook(rcv.url, secret);
	const entry = await approvedEntry(issueN.number);
	assert.equal(rcv.reqs.length, 0, 'nothing is sent before publishing');

	const { r } = await timedPublish(entry);
	const req = await until('the delivery', () => rcv.reqs[0]);
	assert.equal(req.method, 'POST');
	assert.equal(req.url, '/hooks/cairn');
	assert.match(req.headers['content-type'] || '', /^application\/json/);
	assert.equal(req.headers['x-cairn-event'], 'changelog.published');
	assert.equal(req.headers['x-cairn-signature-256'], sign(secret, req.raw), 'HMAC-SHA256 of the raw body with the secret');
	assert.notEqual(req.headers['x-cairn-signature-256'], sign('another secret', req.raw));
	const ev = JSON.parse(req.raw.toString('utf8'));
	assert.equal(ev.event, 'changelog.published');
	assert.equal(ev.entry.id, entry.id);
	assert.equal(ev.entry.title, entry.title);
	assert.equal(ev.entry.slug, r.json.slug);
	assert.equal(ev.entry.state, 'published');
	assert.deepEqual(ev.issues.map((i) => [i.number, i.title]), [[issueN.number, issueN.title]]);
	assert.deepEqual(ev.customers.map((c) => [c.id, c.name]), [[customer.id, customer.name]]);
	assert.ok(!req.raw.toString('utf8').includes(secret), 'the secret is not in the body');

	const d = await until('delivered in the log', async () => {
		const ds = await deliveryOf(hook, entry);
		return ds.length === 1 && ds[0].state === 'delivered' ? ds[0] : null;
	});
	assert.equal(d.attempts, 1);
	assert.equal(d.status, 200);
	assert.equal(d.url, rcv.url);
	assert.equal(d.event, 'changelog.published');
	assert.equal(String(req.headers['x-cairn-delivery']), String(d.id), 'X-Cairn-Delivery is the delivery id');
	await sleep(500);
	assert.equal(rcv.reqs.length, 1, 'a delivered event is sent once');
	assertStatus(await as('admin').del(`/api/v1/hooks/${hook.id}`), 204);
});

test('a failing receiver gets retries with backoff until it answers 2xx; one that is down fails after 6 attempts; a slow one; publishing never waits', async () => {
	const secret = 'retry-secret-0123456789';
	// 500, 500, then 200
	const flaky = await receiver((rec, res, n) => {
		res.statusCode = n <= 2 ? 500 : 200;
		res.end(n <= 2 ? 'not now' : 'ok');
	});
	// answers after 3 s
	const slow = await receiver((rec, res) => setTimeout(() => res.end('ok'), 3000));
	const down = await deadUrl();
	const hFlaky = await addHook(flaky.url, secret);
	const hSlow = await addHook(slow.url, secret);
	const hDown = await addHook(down, secret);
	const entry = await approvedEntry(issueN.number);

	const { ms } = await timedPublish(entry);
	assert.ok(ms < 2500, `publishing answers at once (${ms} ms), whatever the receivers do`);

	// the flaky one: attempts go up, then delivered on the third
	const seen = [];
	const d = await until('the flaky receiver\'s delivery', async () => {
		const [x] = await deliveryOf(hFlaky, entry);
		if (x)
			seen.push(x.attempts);
		return x && x.state === 'delivered' ? x : null;
	});
	assert.equal(d.attempts, 3, JSON.stringify(d));
	assert.equal(d.status, 200);
	for (let i = 1; i < seen.length; i++)
		assert.ok(seen[i] >= seen[i - 1], `attempts never go down: ${seen}`);
	assert.equal(flaky.reqs.length, 3);
	const ids = new Set(flaky.reqs.map((q) => q.headers['x-cairn-delivery']));
	assert.equal(ids.size, 1, 'every attempt carries the same delivery id');
	for (const q of flaky.reqs) {
		assert.equal(q.headers['x-cairn-signature-256'], sign(secret, q.raw));
		assert.deepEqual(JSON.parse(q.raw.toString('utf8')).entry.id, entry.id);
	}
	const gap1 = flaky.reqs[1].at - flaky.reqs[0].at;
	const gap2 = flaky.reqs[2].at - flaky.reqs[1].at;
	assert.ok(gap1 >= RETRY_MS * 0.9, `the first retry waits the base (${gap1} ms >= ${RETRY_MS})`);
	assert.ok(gap2 >= RETRY_MS * 2 * 0.9, `the second waits twice as long (${gap2} ms >= ${2 * RETRY_MS})`);

	// the slow one got it (publishing did not wait for it)
	await until('the slow receiver\'s request', () => slow.reqs.length > 0);

	// the one that is down: attempts rise while pending, then failed after 6
	const downSeen = [];
	const f = await until('the dead receiver\'s delivery to fail', async () => {
		const [x] = await deliveryOf(hDown, entry);
		if (x)
			downSeen.push([x.state, x.attempts]);
		return x && x.state === 'failed' ? x : null;
	});
	assert.equal(f.attempts, 6, JSON.stringify(f));
	assert.ok(typeof f.error === 'string' && f.error.length > 0, `the error is recorded: ${JSON.stringify(f)}`);
	assert.ok(f.status === null || f.status === 0 || f.status === undefined, `no HTTP status from a closed port: ${JSON.stringify(f)}`);
	assert.ok(downSeen.some(([s, a]) => s === 'pending' && a >= 1 && a < 6), `seen pending with attempts rising: ${JSON.stringify(downSeen)}`);
	for (let i = 1; i < downSeen.length; i++)
		assert.ok(downSeen[i][1] >= downSeen[i - 1][1], `attempts never go down: ${JSON.stringify(downSeen)}`);

	const g = await as('admin').get(`${CL}/${entry.id}`);
	assert.equal(g.json.state, 'published', 'the entry is published whatever the hooks did');
	const dl = await as('admin').get('/api/v1/hooks/deliveries');
	assert.ok(!dl.text.includes(secret), 'no secret in the delivery log');
	for (const x of await deliveries())
		for (const k of ['id', 'hook', 'url', 'event', 'entry', 'state', 'attempts', 'status', 'error', 'next_at', 'updated_at'])
			assert.ok(Object.hasOwn(x, k), `delivery has ${k}: ${JSON.stringify(x)}`);
	// the slow receiver is left to finish; its delivery is not judged (a server may time out a slow receiver)
	void hSlow;
});

test('a deleted hook gets nothing', async () => {
	const rcv = await receiver();
	const hook = await addHook(rcv.url, 'gone-secret-0123456789');
	assertStatus(await as('admin').del(`/api/v1/hooks/${hook.id}`), 204);
	for (const h of (await as('admin').get('/api/v1/hooks')).json.items)
		assertStatus(await as('admin').del(`/api/v1/hooks/${h.id}`), 204);
	const entry = await approvedEntry(issueN.number);
	await timedPublish(entry);
	await sleep(1500);
	assert.equal(rcv.reqs.length, 0);
	assert.deepEqual((await deliveries()).filter((d) => d.entry === entry.id), [], 'no delivery without a hook');
});

test('a delivery still pending when the server restarts is delivered by the next one', async () => {
	const secret = 'restart-secret-0123456789';
	// a receiver on a port that is closed for now
	const probe = http.createServer();
	await new Promise((r) => probe.listen(0, '127.0.0.1', r));
	const port = probe.address().port;
	await new Promise((r) => probe.close(r));
	const url = `http://127.0.0.1:${port}/hooks/cairn`;
	const hook = await addHook(url, secret);
	const entry = await approvedEntry(issueN.number);
	await timedPublish(entry);
	await until('a first failed attempt', async () => {
		const [d] = await deliveryOf(hook, entry);
		return d && d.attempts >= 1 && d.state === 'pending';
	});

	// restart, with a slower backoff so that the retries outlast it
	const saved = process.env.CAIRN_HOOK_RETRY_MS;
	process.env.CAIRN_HOOK_RETRY_MS = '1000';
	let b;
	try {
		b = await startServer({ shareWith: srv });
	} finally {
		process.env.CAIRN_HOOK_RETRY_MS = saved;
	}
	servers.push(b);
	await srv.stop();
	srv = b;

	const rcv = await receiver(undefined, port);
	const d = await until('the delivery after the restart', async () => {
		const [x] = await deliveryOf(hook, entry);
		return x && x.state !== 'pending' ? x : null;
	}, 40000);
	assert.equal(d.state, 'delivered', JSON.stringify(d));
	assert.ok(d.attempts >= 2, JSON.stringify(d));
	assert.equal(rcv.reqs.length, 1, 'delivered once');
	assert.equal(rcv.reqs[0].headers['x-cairn-signature-256'], sign(secret, rcv.reqs[0].raw));
	assert.equal(JSON.parse(rcv.reqs[0].raw.toString('utf8')).entry.id, entry.id);
});

test('server shuts down cleanly', async () => {
	await sleep(3500); // let the slow receiver answer
	await srv.stop();
});
