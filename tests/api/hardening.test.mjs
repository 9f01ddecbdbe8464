/*
 * hardening.test.mjs — regressions for what a code review found: each test
 * is a request a client or an attacker could really send.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(() => srv?.kill?.());

const admin = () => srv.as('admin');

test('a number for pm_size and size lands in the right field, whatever the key order', async () => {
	// A client sending back a GET representation puts read-only keys first.
	const body = { number: 0, version: 0, created_at: 0, updated_at: 0, closed_at: 0, reporter: 0,
		effective_size: 0, size_letter: 0, body_html: 0, title: 'key order', pm_size: 1, size: 13 };
	const r = await admin().post('/api/v1/issues', body);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.pm_size, 1);
	assert.equal(r.json.size, 13);
});

test('an engineer cannot turn someone else\'s issue into a private security issue', async () => {
	const made = await admin().post('/api/v1/issues', { title: 'public thing' });
	const n = made.json.number;
	const before = await srv.snapshot([n]);
	const r = await srv.as('eng2').call('PATCH', `/api/v1/issues/${n}`, {
		body: { type: 'security' }, headers: { 'If-Match': made.headers.get('etag') } });
	assertError(r, 403, 'forbidden', 'type');
	await srv.assertUnchanged(before, [n]);
	assert.equal((await srv.as('viewer1').get(`/api/v1/issues/${n}`)).status, 200, 'still public');
	// The reporter (here an engineer) may mark their own issue.
	const own = await srv.as('eng1').post('/api/v1/issues', { title: 'my find' });
	const ok = await srv.as('eng1').call('PATCH', `/api/v1/issues/${own.json.number}`, {
		body: { type: 'security' }, headers: { 'If-Match': own.headers.get('etag') } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.type, 'security');
});

test('the stored HTML follows the body, and stays safe', async () => {
	const r = await admin().post('/api/v1/issues', { title: 'md', body: '**one** <script>x()</script>' });
	assert.match(r.json.body_html, /<strong>one<\/strong>/);
	assert.doesNotMatch(r.json.body_html, /<script/);
	const p = await admin().call('PATCH', `/api/v1/issues/${r.json.number}`, {
		body: { body: '_two_' }, headers: { 'If-Match': r.headers.get('etag') } });
	assert.match(p.json.body_html, /<em>two<\/em>/);
	const g = await admin().get(`/api/v1/issues/${r.json.number}`);
	assert.equal(g.json.body_html, p.json.body_html);
});

test('a body that is not application/json is refused with 415 and changes nothing', async () => {
	const before = await srv.snapshot();
	const r = await srv.api('POST', '/api/v1/issues', { token: srv.tokens.admin, raw: '{"title":"form post"}',
		headers: { 'Content-Type': 'text/plain' } });
	assertError(r, 415, 'unsupported_media_type', 'Content-Type');
	await srv.assertUnchanged(before);
	// a cross-site form cannot log a browser in either
	const login = await srv.api('POST', '/api/v1/session', { raw: JSON.stringify({ login: 'admin', password: 'x' }),
		headers: { 'Content-Type': 'text/plain' } });
	assert.equal(login.status, 415);
	assert.equal(login.headers.get('set-cookie'), null);
});

test('405 names the allowed methods', async () => {
	const r = await srv.api('DELETE', '/api/v1/issues', { token: srv.tokens.admin });
	assertError(r, 405, 'method_not_allowed');
	assert.equal(r.headers.get('allow'), 'GET, POST');
});

test('If-Match: a weak tag never matches (412), a malformed one is 400; both change nothing', async () => {
	const made = await admin().post('/api/v1/issues', { title: 'etag' });
	const n = made.json.number;
	const before = await srv.snapshot([n]);
	for (const [h, status] of [['W/"1"', 412], ['"1', 400], ['1', 400], ['"+1"', 400], ['"1", "2"', 400]]) {
		const r = await admin().call('PATCH', `/api/v1/issues/${n}`, { body: { title: 'changed' }, headers: { 'If-Match': h } });
		assert.equal(r.status, status, `If-Match ${h}: ${r.text}`);
	}
	await srv.assertUnchanged(before, [n]);
});

test('session, user and token bodies refuse unknown fields and non-strings', async () => {
	assertError(await srv.api('POST', '/api/v1/session', { body: { login: 'admin', password: 'x', remember: true } }),
		422, 'invalid_field', 'remember');
	assertError(await srv.api('POST', '/api/v1/session', { body: { login: 5, password: 'x' } }), 422, 'invalid_field', 'login');
	const before = await srv.snapshot();
	assertError(await admin().post('/api/v1/users', { login: 'newbie', role: 'viewer', password: 'longpassword', name: 5 }),
		422, 'invalid_field', 'name');
	assertError(await admin().post('/api/v1/users', { login: 'newbie', role: 'viewer', password: 'longpassword', name: 'a\u0007b' }),
		422, 'invalid_field', 'name');
	assertError(await admin().post('/api/v1/tokens', { name: 'ci', scope: 'all' }), 422, 'invalid_field', 'scope');
	await srv.assertUnchanged(before);
});

test('an error quoting invalid UTF-8 from the query still has its message', async () => {
	const r = await srv.api('GET', '/api/v1/issues?q=is:%FF', { token: srv.tokens.admin });
	assertError(r, 422, 'invalid_field', 'q');
	assert.match(r.json.error.message, /is: expected open or closed/);
});

test('a private (security) issue is never a parent: 422 for those who see it, "does not exist" for those who do not', async () => {
	const sec = await admin().post('/api/v1/issues', { title: 'private issue', type: 'security' });
	const seen = await admin().post('/api/v1/issues', { title: 'task', type: 'task', parent: sec.json.number });
	assertError(seen, 422, 'invalid_field', 'parent');
	assert.match(seen.json.error.message, /story or an epic/);
	const hidden = await srv.as('eng2').post('/api/v1/issues', { title: 'x', type: 'task', parent: sec.json.number });
	assertError(hidden, 422, 'invalid_field', 'parent');
	assert.match(hidden.json.error.message, /does not exist/, 'the refusal does not reveal the private issue');
});

test('an item with children cannot become a security issue (its children would point at a private parent)', async () => {
	const story = await admin().post('/api/v1/issues', { title: 'public story', type: 'story' });
	const task = await admin().post('/api/v1/issues', { title: 'public task', type: 'task', parent: story.json.number });
	assert.equal(task.status, 201, task.text);
	const r = await admin().call('PATCH', `/api/v1/issues/${story.json.number}`, { body: { type: 'security' },
		headers: { 'If-Match': story.headers.get('etag') } });
	assertError(r, 422, 'invalid_field', 'type');
	assert.equal((await admin().get(`/api/v1/issues/${story.json.number}`)).json.type, 'story');
});

test('server shuts down cleanly', () => srv.stop());
