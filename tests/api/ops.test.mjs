/*
 * ops.test.mjs — /healthz, /metrics, unknown routes and methods, request
 * body cap (413), and that the server survives all of it.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';

const srv = await startServer({ users: { viewer1: 'viewer' } });
after(() => srv.kill());
const admin = srv.as('admin');

test('/healthz -> 200 {"status":"ok","schema":N} without credentials', async () => {
	const r = await srv.api('GET', '/healthz');
	assertStatus(r, 200);
	assert.equal(r.json.status, 'ok');
	assert.ok(Number.isInteger(r.json.schema) && r.json.schema > 0, show(r));
});

/* Parse Prometheus text into [{name, labels, value}]. */
function parseMetrics(text) {
	const out = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#'))
			continue;
		const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
		assert.ok(m, `unparsable metrics line: ${JSON.stringify(line)}`);
		const labels = {};
		if (m[2])
			for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
				labels[l[1]] = l[2];
		out.push({ name: m[1], labels, value: Number(m[3]) });
	}
	return out;
}

async function metrics() {
	const r = await srv.as('admin').get('/metrics');
	assertStatus(r, 200);
	return { r, m: parseMetrics(r.text) };
}

const sum = (xs) => xs.reduce((s, x) => s + x.value, 0);

test('/metrics: request counter and duration histogram, counting what happened', async () => {
	const c = await srv.createIssue({ title: 'metrics' });
	for (let i = 0; i < 3; i++)
		assertStatus(await admin.get(`/api/v1/issues/${c.number}`), 200);
	assertStatus(await admin.get('/api/v1/issues/777777'), 404);
	const { r, m } = await metrics();
	assert.match(r.headers.get('content-type') || '', /^text\/plain/);
	assert.ok(r.text.includes('cairn_http_requests_total'), 'counter present');
	assert.ok(/_bucket\{/.test(r.text), 'histogram buckets present');
	const reqs = m.filter((x) => x.name === 'cairn_http_requests_total');
	assert.ok(sum(reqs.filter((x) => x.labels.status === '200')) >= 3, '200s counted');
	assert.ok(reqs.some((x) => x.labels.status === '404' && x.value >= 1), '404 counted');
	assert.ok(reqs.some((x) => x.labels.status === '201' && x.value >= 1), '201 counted');
	const buckets = m.filter((x) => x.name === 'cairn_http_request_duration_seconds_bucket');
	assert.ok(buckets.length > 0, 'cairn_http_request_duration_seconds_bucket series');
	assert.ok(buckets.every((x) => 'route' in x.labels && 'le' in x.labels), 'buckets by route');
	assert.ok(buckets.some((x) => x.labels.le === '+Inf'), 'a +Inf bucket');
	assert.ok(m.some((x) => x.name === 'cairn_http_request_duration_seconds_count'), '_count');
	assert.ok(m.some((x) => x.name === 'cairn_http_request_duration_seconds_sum'), '_sum');

	// Counters grow.
	const before = sum(reqs.filter((x) => x.labels.status === '200'));
	for (let i = 0; i < 5; i++)
		await admin.get(`/api/v1/issues/${c.number}`);
	const again = sum((await metrics()).m.filter((x) => x.name === 'cairn_http_requests_total' && x.labels.status === '200'));
	assert.ok(again >= before + 5, `counter grew from ${before} to ${again}`);
});

test('/metrics: cairn_http_requests_total has the labels route, method and status', async () => {
	await admin.get('/api/v1/issues');
	const reqs = (await metrics()).m.filter((x) => x.name === 'cairn_http_requests_total');
	assert.ok(reqs.length > 0);
	for (const x of reqs)
		for (const k of ['route', 'method', 'status'])
			assert.ok(k in x.labels, `label ${k} missing on ${JSON.stringify(x)}`);
	assert.ok(reqs.some((x) => x.labels.method === 'GET' && x.labels.status === '200'));
});

test('/metrics: the route label is a route, not a concrete path (no series per issue)', async () => {
	for (let n = 1; n <= 3; n++)
		await admin.get(`/api/v1/issues/${n}`);
	const reqs = (await metrics()).m.filter((x) => x.name === 'cairn_http_requests_total');
	for (const x of reqs)
		assert.ok(!/\/\d+(\/|$)/.test(x.labels.route ?? ''), `route label holds an issue number: ${x.labels.route}`);
});

test('unknown routes -> 404 JSON error', async () => {
	assertError(await admin.get('/api/v1/nope'), 404, 'not_found');
	assertError(await admin.get('/api/v2/issues'), 404, 'not_found');
	assertError(await admin.get('/api/v1/issues/1/nope'), 404, 'not_found');
});

test('a method a route does not have is refused (404/405), never served', async () => {
	const before = await srv.snapshot();
	for (const [m, p] of [['DELETE', '/api/v1/issues'], ['PUT', '/api/v1/issues'], ['POST', '/api/v1/issues/1/history']]) {
		const r = await srv.api(m, p, { token: srv.tokens.admin, body: { title: 'x' } });
		assert.ok([404, 405].includes(r.status), `expected 404/405: ${show(r)}`);
	}
	await srv.assertUnchanged(before);
});

const BIG = 2 * 1024 * 1024;

function bigIssueBody(n) {
	const head = Buffer.from('{"title":"big","body":"');
	const tail = Buffer.from('"}');
	return Buffer.concat([head, Buffer.alloc(n - head.length - tail.length, 'a'), tail]);
}

test('a 2 MiB body with Content-Length -> 413, nothing created, server fine', async () => {
	const before = await srv.snapshot();
	const r = await srv.raw({
		method: 'POST', path: '/api/v1/issues', body: bigIssueBody(BIG),
		headers: { Authorization: `Bearer ${srv.tokens.admin}`, 'Content-Type': 'application/json' },
	});
	assert.equal(r.status, 413, `expected 413 (a reset is a failure only when no 413 arrived): ${show(r)}`);
	if (r.json)
		assert.equal(r.json.error?.code, 'too_large');
	srv.assertAlive();
	assertStatus(await srv.api('GET', '/healthz'), 200);
	await srv.assertUnchanged(before);
});

test('a 2 MiB chunked body (no Content-Length) -> 413 too', async () => {
	const before = await srv.snapshot();
	const r = await srv.raw({
		method: 'POST', path: '/api/v1/issues', body: bigIssueBody(BIG), chunked: true,
		headers: { Authorization: `Bearer ${srv.tokens.admin}`, 'Content-Type': 'application/json' },
	});
	assert.equal(r.status, 413, `expected 413: ${show(r)}`);
	srv.assertAlive();
	assertStatus(await srv.api('GET', '/healthz'), 200);
	await srv.assertUnchanged(before);
});

test('a 2 MiB body is refused before authentication matters (no token: 401 or 413)', async () => {
	const before = await srv.snapshot();
	const r = await srv.raw({ method: 'POST', path: '/api/v1/issues', body: bigIssueBody(BIG), headers: { 'Content-Type': 'application/json' } });
	assert.ok([401, 413].includes(r.status), `expected 401 or 413: ${show(r)}`);
	srv.assertAlive();
	await srv.assertUnchanged(before);
});

test('a body just under 1 MiB is read whole (refused for its content, not its size)', async () => {
	const before = await srv.snapshot();
	const r = await srv.raw({
		method: 'POST', path: '/api/v1/issues', body: bigIssueBody(1024 * 1024 - 1024),
		headers: { Authorization: `Bearer ${srv.tokens.admin}`, 'Content-Type': 'application/json' },
	});
	assert.ok(r.status === 201 || (r.status === 422 && r.json?.error?.field === 'body'),
		`expected 201 or 422 field body: ${show(r)}`);
	if (r.status !== 201)
		await srv.assertUnchanged(before);
});

test('a viewer token on a 2 MiB body: 403 or 413, nothing created', async () => {
	const before = await srv.snapshot();
	const r = await srv.raw({
		method: 'POST', path: '/api/v1/issues', body: bigIssueBody(BIG),
		headers: { Authorization: `Bearer ${srv.tokens.viewer1}`, 'Content-Type': 'application/json' },
	});
	assert.ok([403, 413].includes(r.status), `expected 403 or 413: ${show(r)}`);
	await srv.assertUnchanged(before);
});

test('many connections opened and dropped do not hurt the server', async () => {
	const net = await import('node:net');
	await Promise.all(Array.from({ length: 20 }, () => new Promise((resolve) => {
		const s = net.connect(srv.port, '127.0.0.1', () => {
			s.write('POST /api/v1/issues HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"ti');
			s.destroy();
			resolve();
		});
		s.on('error', resolve);
	})));
	await new Promise((r) => setTimeout(r, 200));
	srv.assertAlive();
	assertStatus(await srv.api('GET', '/healthz'), 200);
});

/* Issue #15, point 5: framing a proxy could read differently, and Expect. */
async function rawHttp(text) {
	const net = await import('node:net');
	return new Promise((resolve, reject) => {
		let got = '';
		const s = net.connect(srv.port, '127.0.0.1', () => s.write(text));
		s.setEncoding('utf8');
		s.on('data', (d) => { got += d; });
		s.on('end', () => resolve(got));
		s.on('close', () => resolve(got));
		s.on('error', reject);
		setTimeout(() => { s.destroy(); resolve(got); }, 5000);
	});
}

test('two Content-Length headers, or one beside Transfer-Encoding: 400 as JSON, nothing created', async () => {
	const before = await srv.snapshot();
	const body = JSON.stringify({ title: 'smuggled' });
	const auth = `Authorization: Bearer ${srv.tokens.admin}\r\nContent-Type: application/json\r\n`;
	for (const framing of [`Content-Length: ${body.length}\r\nContent-Length: ${body.length + 5}\r\n`,
		`Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n`,
		`Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`]) {
		const res = await rawHttp(`POST /api/v1/issues HTTP/1.1\r\nHost: x\r\n${auth}${framing}Connection: close\r\n\r\n${body}`);
		assert.match(res, /^HTTP\/1\.1 400/, res.slice(0, 200));
		assert.match(res, /"code":"malformed"/, res);
	}
	await srv.assertUnchanged(before);
});

test('an Expect other than 100-continue: 417 expectation_failed; 100-continue works', async () => {
	const before = await srv.snapshot();
	const body = JSON.stringify({ title: 'expecting' });
	const head = `POST /api/v1/issues HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${srv.tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n`;
	const res = await rawHttp(`${head}Expect: the-unexpected\r\n\r\n${body}`);
	assert.match(res, /^HTTP\/1\.1 417/, res.slice(0, 200));
	assert.match(res, /"code":"expectation_failed"/);
	await srv.assertUnchanged(before);
	const ok = await rawHttp(`${head}Expect: 100-continue\r\n\r\n${body}`);
	assert.match(ok, /HTTP\/1\.1 201/, ok.slice(0, 300));
});

test('a request target over 8 KiB: 414 uri_too_long as JSON; headers over 24 KiB: 431 headers_too_large as JSON', async () => {
	const auth = { Authorization: `Bearer ${srv.tokens.admin}` };
	const near = await srv.raw({ method: 'GET', path: `/api/v1/issues?q=${'a'.repeat(8000)}`, headers: auth });
	assert.equal(near.status, 422, `just under the limit the handler answers: ${near.text.slice(0, 200)}`);
	assert.equal(near.json.error.field, 'q');
	for (const p of [`/api/v1/issues?q=${'a'.repeat(9000)}`, `/api/v1/${'x'.repeat(9000)}`, `/api/v1/issues?${Array.from({ length: 300 }, (_, k) => `k${k}=${'v'.repeat(30)}`).join('&')}`]) {
		const r = await srv.raw({ method: 'GET', path: p, headers: auth });
		assert.equal(r.status, 414, r.text.slice(0, 200));
		assert.equal(r.json?.error?.code, 'uri_too_long', r.text.slice(0, 200));
	}
	const before = await srv.snapshot();
	const big = await srv.raw({ method: 'POST', path: '/api/v1/issues', body: Buffer.from(JSON.stringify({ title: 'headers' })),
		headers: { ...auth, 'Content-Type': 'application/json', 'X-Padding': 'p'.repeat(30000) } });
	assert.equal(big.status, 431, big.text.slice(0, 200));
	assert.equal(big.json?.error?.code, 'headers_too_large');
	const many = await srv.raw({ method: 'GET', path: '/healthz',
		headers: Object.fromEntries(Array.from({ length: 300 }, (_, k) => [`X-H${k}`, 'v'.repeat(90)])) });
	assert.equal(many.status, 431, 'many small headers count together');
	await srv.assertUnchanged(before);
	srv.assertAlive();
});

test('a new SQLite database file is created owner-only (0600)', async (t) => {
	if (!srv.db.url.startsWith('sqlite:') && srv.db.url.includes('://'))
		return t.skip('PostgreSQL');
	const fs = await import('node:fs');
	const path = srv.db.url.replace(/^sqlite:/, '');
	assert.equal(fs.statSync(path).mode & 0o777, 0o600, path);
});

test('server is still alive and shuts down cleanly', async () => {
	srv.assertAlive();
	await srv.stop();
});
