/*
 * insights_csv.test.mjs — CSV import and export of insights, the customer
 * page, demand movers and the derived "Customer Request" label.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './harness.mjs';
import { addDays, todayYmd } from '../lib/clock.mjs';

let srv;
before(async () => {
	srv = await startServer();
	for (const c of [{ name: 'Acme', tier: 'Enterprise', arr: 200000, strategic: true }, { name: 'Bolt', arr: 5000 }])
		assert.equal((await srv.as('admin').post('/api/v1/customers', c)).status, 201);
});
after(() => srv?.kill?.());

const csvPost = (text, query, headers = {}) => srv.api('POST', '/api/v1/insights/import', {
	token: srv.tokens.admin, raw: text, query, headers: { 'Content-Type': 'text/csv', ...headers } });
const total = async () => (await srv.as('admin').get('/api/v1/insights')).json.total;

test('100 rows with 3 bad ones: 97 imported, the 3 lines reported', async () => {
	const before = await total();
	const lines = ['title,source,customer,captured_at'];
	for (let k = 1; k <= 100; k++) {
		if (k === 10) lines.push('Bad source row,tweet,Acme,2026-10-01');            // file line 11
		else if (k === 50) lines.push('Unknown customer,call,Nobody Inc,2026-10-01'); // file line 51
		else if (k === 99) lines.push(',call,Acme,2026-10-01');                      // file line 100: no title
		else lines.push(`Insight ${k},${k % 2 ? 'call' : 'support'},${k % 3 ? 'Acme' : 'Bolt'},2026-10-${String(1 + (k % 28)).padStart(2, '0')}`);
	}
	const r = await csvPost(lines.join('\n') + '\n');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 97);
	assert.deepEqual(r.json.errors.map((x) => x.line), [11, 51, 100]);
	assert.match(r.json.errors[0].message, /source must be one of/);
	assert.match(r.json.errors[1].message, /no customer 'Nobody Inc'/);
	assert.match(r.json.errors[2].message, /title/);
	assert.equal(await total(), before + 97);
});

test('quoted fields with commas, quotes and newlines import intact; line numbers follow the file', async () => {
	const text = 'Subject,Description,Channel\r\n' +
		'"Export, please","He said ""now""\nand again\non a new line",call\r\n' +
		'"Second",plain,tweet\r\n' +
		'Third,"multi\r\nline",support\r\n';
	const r = await csvPost(text, { map: 'Subject:title,Description:body,Channel:source' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 2);
	assert.deepEqual(r.json.errors.map((x) => x.line), [5], 'the bad row starts on line 5, after a 3-line field');
	const list = (await srv.as('admin').get('/api/v1/insights', { query: { per_page: 5 } })).json.items;
	const first = list.find((i) => i.title === 'Export, please');
	assert.equal(first.body, 'He said "now"\nand again\non a new line');
	assert.equal(first.source, 'call');
	assert.equal(list.find((i) => i.title === 'Third').body, 'multi\r\nline');
});

test('a malformed file or wrong type changes nothing', async () => {
	const before = await total();
	assertError(await csvPost('title\n"never closed\n'), 422, 'invalid_field', 'csv');
	assertError(await csvPost('name,body\nx,y\n'), 422, 'invalid_field', 'csv');
	assertError(await csvPost(''), 422, 'invalid_field', 'csv');
	assertError(await csvPost('title\nx\n', undefined, { 'Content-Type': 'application/json' }), 415, 'unsupported_media_type');
	const viewer = await srv.api('POST', '/api/v1/insights/import', { token: srv.tokens.viewer1, raw: 'title\nx\n', headers: { 'Content-Type': 'text/csv' } });
	assertError(viewer, 403, 'forbidden');
	assert.equal(await total(), before);
});

test('export gives back every insight as CSV that imports again', async () => {
	const r = await srv.api('GET', '/api/v1/insights/export', { token: srv.tokens.admin });
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	const text = r.text;
	assert.match(text.split('\r\n')[0], /^"title","body","source","category","customer","persona","url","captured_at","state"$/);
	assert.ok(text.includes('"He said ""now""\nand again\non a new line"'));
	const n = await total();
	const again = await csvPost(text);
	assert.equal(again.status, 200, again.text);
	assert.equal(again.json.errors.length, 0, JSON.stringify(again.json.errors.slice(0, 3)));
	assert.equal(again.json.imported, n);
});

test('customer page: their insights and the issues they wait for', async () => {
	const acme = (await srv.as('admin').get('/api/v1/customers')).json.items.find((c) => c.name === 'Acme');
	const n = (await srv.as('admin').post('/api/v1/issues', { title: 'SSO for Acme' })).json.number;
	const id = (await srv.as('admin').post('/api/v1/insights', { source: 'call', customer: 'Acme', title: 'needs SSO' })).json.id;
	await srv.as('admin').post(`/api/v1/insights/${id}/links`, { issue: n, importance: 'critical' });
	const page = (await srv.as('viewer1').get(`/api/v1/customers/${acme.id}`)).json;
	assert.equal(page.customer.name, 'Acme');
	assert.ok(page.insights.some((i) => i.id === id));
	assert.deepEqual(page.issues.filter((i) => i.number === n), [{ number: n, title: 'SSO for Acme', type: 'story', state: 'open', board: 'no_status', importance: 'critical' }]);
	assert.deepEqual(page.insights.find((i) => i.id === id).links.map((l) => [l.issue, l.importance]), [[n, 'critical']]);
	assertError(await srv.as('admin').get('/api/v1/customers/999999'), 404, 'not_found');
	assert.equal((await srv.as('admin').get('/api/v1/customers/999999')).json.error.message, 'no customer #999999');

	// a critical ask from a strategic customer shows as the derived label, everywhere
	const g = (await srv.as('viewer1').get(`/api/v1/issues/${n}`)).json;
	assert.ok(g.labels.includes('Customer Request'), JSON.stringify(g.labels));
	const listed = (await srv.as('admin').get('/api/v1/issues', { query: { q: 'SSO for Acme' } })).json.items[0];
	assert.ok(listed.labels.includes('Customer Request'));
	// editing the issue does not store it; unlinking takes it away
	const etag = (await srv.as('admin').get(`/api/v1/issues/${n}`)).headers.get('etag');
	await srv.as('admin').call('PATCH', `/api/v1/issues/${n}`, { body: { title: 'SSO for Acme (SAML)' }, headers: { 'If-Match': etag } });
	await srv.api('DELETE', `/api/v1/insights/${id}/links/${n}`, { token: srv.tokens.admin });
	assert.deepEqual((await srv.as('admin').get(`/api/v1/issues/${n}`)).json.labels, []);
});

test('movers: demand now against demand at a past date', async () => {
	const n = (await srv.as('admin').post('/api/v1/issues', { title: 'Rising star' })).json.number;
	const id = (await srv.as('admin').post('/api/v1/insights', { source: 'call', customer: 'Bolt', title: 'want it' })).json.id;
	await srv.as('admin').post(`/api/v1/insights/${id}/links`, { issue: n, importance: 'critical' });
	const since = addDays(todayYmd(), -30);
	const r = await srv.as('admin').get('/api/v1/backlog/movers', { query: { since } });
	assert.equal(r.status, 200, r.text);
	const m = r.json.items.find((i) => i.number === n);
	assert.equal(m.before, 0, 'the ask did not exist then');
	assert.ok(m.now > 0 && Math.abs(m.delta - m.now) < 1e-9);
	assertError(await srv.as('admin').get('/api/v1/backlog/movers', { query: { since: 'last week' } }), 422, 'invalid_field', 'since');
});

test('captured_at takes dates and ISO times with milliseconds and offsets; lists are newest captured first', async () => {
	const add = async (captured_at) => (await srv.as('admin').post('/api/v1/insights', { source: 'call', title: `at ${captured_at}`, captured_at }));
	let r = await add('2026-03-01T10:00:00.250Z');
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.captured_at, '2026-03-01T10:00:00Z');
	r = await add('2026-03-01T12:00:00+02:00');
	assert.equal(r.json.captured_at, '2026-03-01T10:00:00Z', 'offsets are converted to UTC');
	r = await add('2026-03-01T12:00:00-05:30');
	assert.equal(r.json.captured_at, '2026-03-01T17:30:00Z');
	for (const bad of ['2026-03-01T12:00:00.Z', '2026-13-01', '2026-03-01T12:00:00+99:00', 'soon'])
		assertError(await add(bad), 422, 'invalid_field', 'captured_at');
	const items = (await srv.as('admin').get('/api/v1/insights', { query: { per_page: 100 } })).json.items;
	const dates = items.map((i) => i.captured_at);
	assert.deepEqual(dates, [...dates].sort().reverse(), 'newest captured first');
});

/* Issue #15, point 5: what the import used to take silently. */
test('a NUL byte or an impossible date refuses its row (line named); the others import', async () => {
	const before = await total();
	const text = 'title,customer,captured_at\n' +
		'Fine row,Acme,2026-02-28\n' +
		'Cut\u0000 short,Acme,2026-02-01\n' +   // line 3
		'Not a day,Acme,2026-02-30\n' +          // line 4
		'Leap day that is not,Acme,2027-02-29\n' + // line 5
		'Leap day,Acme,2028-02-29\n';
	const r = await csvPost(text);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 2);
	assert.deepEqual(r.json.errors.map((x) => x.line), [3, 4, 5]);
	assert.match(r.json.errors[0].message, /NUL/);
	assert.match(r.json.errors[1].message, /captured_at/);
	assert.equal(await total(), before + 2);
	// POST /insights refuses the impossible date too, and a \u0000 is malformed JSON
	assertError(await srv.as('admin').post('/api/v1/insights', { title: 'x', source: 'call', customer: 'Acme', captured_at: '2026-02-30' }),
		422, 'invalid_field', 'captured_at');
	const nul = await srv.api('POST', '/api/v1/insights', { token: srv.tokens.admin, raw: '{"title":"a\\u0000b","source":"call"}' });
	assertError(nul, 400, 'malformed');
	assert.equal(await total(), before + 2);
});

test('columns and map entries the import does not use are reported, not silently dropped', async () => {
	const r = await csvPost('Subject,Colour,Customer\nReported columns,blue,Acme\n', { map: 'Subject:title,Colour:shade,Nope:title2,Missing:body,Broken' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 1);
	const ig = r.json.ignored.join('\n');
	assert.match(ig, /'Colour': 'shade' is not an insight field/);
	assert.match(ig, /'Nope': 'title2' is not an insight field/);
	assert.match(ig, /'Missing': no such column/);
	assert.match(ig, /'Broken' names no field/);
	assert.match(ig, /column 'Colour' feeds no insight field/);
	assert.ok(!/column 'Subject'/.test(ig) && !/column 'Customer'/.test(ig), ig);
	const clean = await csvPost('title,customer\nNothing to report,Acme\n');
	assert.deepEqual(clean.json.ignored, []);
});

test('the export neutralises cells a spreadsheet would run as formulas; importing it gives the text back', async () => {
	const titles = ['=HYPERLINK("http://evil.example","click")', '+1+2', '-2+3', '@SUM(A1)', 'plain - dash inside'];
	for (const title of titles)
		assert.equal((await srv.as('admin').post('/api/v1/insights', { title, source: 'call', customer: 'Bolt' })).status, 201);
	const text = (await srv.api('GET', '/api/v1/insights/export', { token: srv.tokens.admin })).text;
	for (const row of text.split('\r\n').slice(1))
		assert.ok(!/^"[=+\-@]/.test(row) && !/,"[=+\-@\t\r]/.test(row), `a formula cell: ${row.slice(0, 80)}`);
	assert.ok(text.includes('"\'=HYPERLINK(""http://evil.example"",""click"")"'));
	assert.ok(text.includes('"plain - dash inside"'), 'a dash inside is left alone');
	const before = await total();
	const again = await csvPost(text);
	assert.equal(again.json.errors.length, 0);
	const list = (await srv.as('admin').get('/api/v1/insights', { query: { per_page: '100' } })).json.items.map((x) => x.title);
	for (const title of titles)
		assert.ok(list.filter((t) => t === title).length >= 2, `${title} round-trips`);
	assert.equal(await total(), before + again.json.imported);
});

test('server shuts down cleanly', () => srv.stop());
