/*
 * openapi.test.mjs — the OpenAPI 3.1 document (docs/openapi.json) served at
 * /api/v1/openapi.json: the server serves the file byte for byte without a
 * login, the document is valid OpenAPI 3.1, it and the route table
 * (src/http/routes.c) list the same operations, and the response check the
 * harness runs on every response (tests/lib/openapi.mjs) refuses what the
 * document does not allow.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';

import { checkResponse, DOC_FILE } from '../lib/openapi.mjs';
import { assertError, assertStatus, show, startServer } from './harness.mjs';

const FILE = fs.readFileSync(DOC_FILE, 'utf8');
const DOC = JSON.parse(FILE);
const srv = await startServer({ users: { viewer1: 'viewer' } });
after(() => srv.kill());

/* [{method, pattern, auth}] from the route table's source. */
function routeTable() {
	const text = fs.readFileSync('src/http/routes.c', 'utf8');
	const out = [];
	for (const m of text.matchAll(/^\s*\{"([A-Z]+)", "([^"]+)", \w+, (ROUTE_\w+),/gm))
		out.push({ method: m[1], pattern: m[2], auth: m[3] === 'ROUTE_AUTH' });
	assert.ok(out.length > 100, `routes.c parsed into ${out.length} routes only`);
	return out;
}
/* A path with every parameter as {}: routes.c's {n}/{s} and the document's names compare equal. */
const shape = (p) => p.replace(/\{\w+\}/g, '{}');

test('GET /api/v1/openapi.json without credentials: the file, byte for byte, as JSON with an ETag', async () => {
	const r = await srv.api('GET', '/api/v1/openapi.json');
	assertStatus(r, 200);
	assert.match(r.headers.get('content-type'), /^application\/json/, show(r));
	assert.ok(r.text === FILE, `the served document (${r.text.length} bytes) must be docs/openapi.json ` +
		`(${FILE.length} bytes): the binary embeds the file when built (make build/cairn build/asan/cairn)`);
	const etag = r.headers.get('etag');
	assert.match(etag || '', /^"[0-9a-f]+"$/, 'a strong ETag');
	const again = await srv.api('GET', '/api/v1/openapi.json', { headers: { 'If-None-Match': etag } });
	assertStatus(again, 304);
	assert.equal(again.text, '');
	const stale = await srv.api('GET', '/api/v1/openapi.json', { headers: { 'If-None-Match': '"0"' } });
	assertStatus(stale, 200);
	const withToken = await srv.as('viewer1').get('/api/v1/openapi.json');
	assert.ok(withToken.text === FILE, 'the same document for a logged-in user');
});

test('HEAD gives the headers without a body; POST, PUT, PATCH, DELETE are 405 with Allow: GET', async () => {
	const h = await srv.api('HEAD', '/api/v1/openapi.json');
	assertStatus(h, 200);
	assert.equal(h.text, '');
	assert.match(h.headers.get('content-type'), /^application\/json/);
	for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) {
		const r = await srv.api(m, '/api/v1/openapi.json', { token: srv.tokens.admin });
		assertError(r, 405, 'method_not_allowed');
		assert.equal(r.headers.get('allow'), 'GET', show(r));
	}
	assertError(await srv.api('GET', '/api/v1/openapi.yaml'), 404, 'not_found');
	assertError(await srv.api('GET', '/api/v1/openapi.json/x'), 404, 'not_found');
});

test('the document is valid OpenAPI 3.1', async () => {
	const v = new Validator();
	const res = await v.validate(structuredClone(DOC));
	assert.equal(v.version, '3.1', 'validated as OpenAPI 3.1');
	assert.ok(res.valid, `invalid OpenAPI: ${JSON.stringify(res.errors, null, 1)?.slice(0, 3000)}`);
});

test('every route of src/http/routes.c is in the document, and every documented operation is a route', () => {
	const routes = routeTable();
	const documented = new Set();
	for (const [p, item] of Object.entries(DOC.paths))
		for (const m of Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(k)))
			documented.add(`${m.toUpperCase()} ${shape(p)}`);
	const table = new Set(routes.map((r) => `${r.method} ${shape(r.pattern)}`));
	const missing = [...table].filter((k) => !documented.has(k));
	const extra = [...documented].filter((k) => !table.has(k));
	assert.deepEqual(missing, [], 'routes without an operation in docs/openapi.json');
	assert.deepEqual(extra, [], 'operations in docs/openapi.json that routes.c does not serve');
});

test('each operation: its path parameters, a success answer, and the errors every request may get', () => {
	const routes = routeTable();
	for (const [p, item] of Object.entries(DOC.paths)) {
		for (const [m, op] of Object.entries(item)) {
			const where = `${m.toUpperCase()} ${p}`;
			const route = routes.find((r) => r.method === m.toUpperCase() && shape(r.pattern) === shape(p));
			const names = [...p.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
			const pathParams = (op.parameters || []).filter((x) => x.in === 'path').map((x) => x.name);
			assert.deepEqual(pathParams.sort(), names.sort(), `${where}: path parameters`);
			assert.ok(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${where}: no success answer`);
			for (const s of ['400', '413', '415', '417', '503'])
				assert.ok(op.responses[s], `${where}: status ${s} (any request may get it) is not documented`);
			if (route.auth) {
				assert.ok(op.responses['401'], `${where}: needs a login, 401 not documented`);
				assert.equal(op.security, undefined, `${where}: needs a login, must not override security`);
			} else {
				assert.deepEqual(op.security, [], `${where}: public, security must be []`);
			}
			if (names.length)
				assert.ok(op.responses['404'], `${where}: has a path parameter, 404 not documented`);
			assert.ok(op.operationId, `${where}: operationId`);
		}
	}
});

test('the response check refuses what the document does not allow', async () => {
	const json = new Headers({ 'content-type': 'application/json', etag: '"1"' });
	const noEtag = new Headers({ 'content-type': 'application/json' });
	const issue = (await srv.as('admin').post('/api/v1/issues', { title: 'checked' })).json;
	const good = JSON.stringify(issue);
	assert.equal(checkResponse('GET', '/api/v1/issues/1', 200, json, good), null, 'a real issue conforms');
	assert.equal(checkResponse('GET', '/api/v1/issues/1/', 200, json, good), null, 'one trailing slash is the same path');
	const cases = [
		['an undocumented status', 'GET', '/api/v1/issues/1', 299, json, good, /status 299 is not documented/],
		['a wrong type', 'GET', '/api/v1/issues/1', 200, json, JSON.stringify({ ...issue, number: 'one' }), /\/number must be integer/],
		['an enum value the API does not have', 'GET', '/api/v1/issues/1', 200, json, JSON.stringify({ ...issue, state: 'half-open' }), /\/state must be equal to one of the allowed values/],
		['a missing required field', 'GET', '/api/v1/issues/1', 200, json, JSON.stringify({ ...issue, title: undefined }), /must have required property 'title'/],
		['a wrong Content-Type', 'GET', '/api/v1/issues/1', 200, new Headers({ 'content-type': 'text/html' }), good, /Content-Type "text\/html" is not documented/],
		['an error without the error object', 'GET', '/api/v1/issues/1', 404, json, '{"message":"x"}', /must have required property 'error'/],
		['a body where there is none', 'DELETE', '/api/v1/tokens/3', 204, json, '{}', /a body .* where the document says there is none/],
		['a missing required header', 'GET', '/api/v1/issues/1', 200, noEtag, good, /header ETag is missing/],
		['an unknown /api path answered 200', 'GET', '/api/v1/nothing', 200, json, '{}', /is not in the document/],
		['an undocumented method answered 200', 'PUT', '/api/v1/issues/1', 200, json, good, /PUT is not documented/],
	];
	for (const [what, m, p, st, h, body, re] of cases) {
		const problem = checkResponse(m, p, st, h, body);
		assert.match(problem || '(accepted)', re, `${what} must be refused`);
	}
});

test('server shuts down cleanly', () => srv.stop());
