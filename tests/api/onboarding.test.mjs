/*
 * onboarding.test.mjs — what a new team needs to start from the API alone
 * (issue #14): customers and personas edited (PATCH), the CSV import adding
 * unknown customers on the fly (?create_customers=1) in the rows'
 * transaction, its dry run (?dry_run=1), and the history rows of the
 * derived "Customer Request" label.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './harness.mjs';

let srv;
before(async () => {
	srv = await startServer();
	assert.equal((await srv.as('admin').post('/api/v1/customers', { name: 'Known Co', arr: 1000 })).status, 201);
});
after(() => srv?.kill?.());

const csvPost = (login, text, query) => srv.api('POST', '/api/v1/insights/import', {
	token: srv.tokens[login], raw: text, query, headers: { 'Content-Type': 'text/csv' } });
const customers = async () => (await srv.as('admin').get('/api/v1/customers')).json.items.map((c) => c.name).sort();
const insightTotal = async () => (await srv.as('admin').get('/api/v1/insights')).json.total;
const state = async () => ({ customers: await customers(), insights: await insightTotal() });

test('create_customers adds exactly the unknown customers, once each, with the rows', async () => {
	const before = await state();
	const text = 'Subject,Company\n' +
		'Wants SSO,Brand New Corp\n' +
		'Wants SAML too,Brand New Corp\n' +
		'Wants exports,Known Co\n' +
		'Wants dark mode,Other New Ltd\n' +
		'No customer at all,\n';
	const r = await csvPost('admin', text, { map: 'Subject:title,Company:customer', create_customers: 1 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 5);
	assert.deepEqual(r.json.errors, []);
	assert.deepEqual(r.json.created_customers, ['Brand New Corp', 'Other New Ltd']);
	assert.equal(r.json.dry_run, false);
	assert.deepEqual(await customers(), [...before.customers, 'Brand New Corp', 'Other New Ltd'].sort());
	assert.equal(await insightTotal(), before.insights + 5);
	const all = (await srv.as('admin').get('/api/v1/customers')).json.items;
	const bnc = all.find((c) => c.name === 'Brand New Corp');
	assert.equal(bnc.tier, 'Starter');
	assert.equal(bnc.arr, 0);
	assert.equal(bnc.strategic, false);
	const page = (await srv.as('admin').get(`/api/v1/customers/${bnc.id}`)).json;
	assert.deepEqual(page.insights.map((i) => i.title).sort(), ['Wants SAML too', 'Wants SSO']);
});

test('without create_customers an unknown customer refuses its row, as before', async () => {
	const before = await state();
	const r = await csvPost('admin', 'title,customer\nHello,Never Heard Of\nFine,Known Co\n');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 1);
	assert.deepEqual(r.json.created_customers, []);
	assert.deepEqual(r.json.errors.map((e) => e.line), [2]);
	assert.match(r.json.errors[0].message, /no customer 'Never Heard Of' \(add it first\)/);
	assert.deepEqual(await customers(), before.customers);
});

test('a refused row adds no customer; other rows still import and their new customers are added', async () => {
	const before = await state();
	const text = 'title,customer,source\n' +
		'Bad source,Refused Row Inc,tweet\n' +
		',Empty Title Inc,call\n' +
		'Good one,Accepted Row Inc,call\n';
	const r = await csvPost('pm1', text, { create_customers: '1' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 1);
	assert.deepEqual(r.json.errors.map((e) => e.line), [2, 3]);
	assert.deepEqual(r.json.created_customers, ['Accepted Row Inc']);
	assert.deepEqual(await customers(), [...before.customers, 'Accepted Row Inc'].sort());
});

test('a customer name that cannot be a name refuses its row at create_customers', async () => {
	const before = await state();
	const long = 'X'.repeat(200);
	const r = await csvPost('admin', `title,customer\nToo long,${long}\n`, { create_customers: 1 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 0);
	assert.match(r.json.errors[0].message, /customer must be 1 to 128 bytes/);
	assert.deepEqual(await state(), before);
});

test('create_customers needs customer.write: an engineer gets 403 and nothing is written', async () => {
	const before = await state();
	const text = 'title,customer\nEngineer import,Sneaky New Co\n';
	assertError(await csvPost('eng1', text, { create_customers: 1 }), 403, 'forbidden');
	assertError(await csvPost('eng1', text, { create_customers: 1, dry_run: 1 }), 403, 'forbidden');
	assert.deepEqual(await state(), before);
	// without the option the engineer imports, and the row is refused
	const r = await csvPost('eng1', text);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 0);
	assert.deepEqual(await customers(), before.customers);
	assertError(await csvPost('viewer1', 'title\nx\n'), 403, 'forbidden');
	assertError(await csvPost('admin', 'title\nx\n', { create_customers: 2 }), 422, 'invalid_field', 'create_customers');
	assertError(await csvPost('admin', 'title\nx\n', { dry_run: 'yes' }), 422, 'invalid_field', 'dry_run');
	assert.deepEqual(await state(), before);
});

test('dry_run reports what the import would do and writes nothing', async () => {
	const before = await state();
	const text = 'title,customer,source\nOne,Dry Run Corp,call\nTwo,Dry Run Corp,call\nThree,Known Co,tweet\n';
	const r = await csvPost('admin', text, { create_customers: 1, dry_run: 1 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.dry_run, true);
	assert.equal(r.json.imported, 2);
	assert.deepEqual(r.json.created_customers, ['Dry Run Corp']);
	assert.deepEqual(r.json.errors.map((e) => e.line), [4]);
	assert.deepEqual(await state(), before, 'a dry run writes nothing');
	const plain = await csvPost('admin', text, { dry_run: 1 });
	assert.equal(plain.json.imported, 0);
	assert.deepEqual(plain.json.errors.map((e) => e.line), [2, 3, 4]);
	assert.deepEqual(await state(), before);
	// the real thing matches the dry run
	const real = await csvPost('admin', text, { create_customers: 1 });
	assert.equal(real.json.imported, 2);
	assert.deepEqual(real.json.created_customers, ['Dry Run Corp']);
});

test('PATCH /customers/{id}: the fields sent change, the rest stay; 422 at the field, 409, 404, 403', async () => {
	const c = (await srv.as('admin').post('/api/v1/customers', { name: 'Patchable', tier: 'Premium', arr: 500, seats: 3 })).json;
	const r = await srv.as('pm1').patch(`/api/v1/customers/${c.id}`, { arr: 9000, strategic: true });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.arr, 9000);
	assert.equal(r.json.strategic, true);
	assert.equal(r.json.tier, 'Premium');
	assert.equal(r.json.seats, 3);
	assert.equal(r.json.name, 'Patchable');
	const renamed = await srv.as('admin').patch(`/api/v1/customers/${c.id}`, { name: 'Patched', tier: 'Enterprise' });
	assert.equal(renamed.json.name, 'Patched');
	assert.equal(renamed.json.tier, 'Enterprise');
	const snap = JSON.stringify((await srv.as('admin').get(`/api/v1/customers/${c.id}`)).json.customer);
	assertError(await srv.as('admin').patch(`/api/v1/customers/${c.id}`, { tier: 'Gold' }), 422, 'invalid_field', 'tier');
	assertError(await srv.as('admin').patch(`/api/v1/customers/${c.id}`, { arr: -1 }), 422, 'invalid_field', 'arr');
	assertError(await srv.as('admin').patch(`/api/v1/customers/${c.id}`, { name: '' }), 422, 'invalid_field', 'name');
	assertError(await srv.as('admin').patch(`/api/v1/customers/${c.id}`, { strategic: 'yes' }), 422, 'invalid_field', 'strategic');
	assertError(await srv.as('admin').patch(`/api/v1/customers/${c.id}`, { colour: 'red' }), 422, 'invalid_field', 'colour');
	assertError(await srv.as('admin').patch(`/api/v1/customers/${c.id}`, { name: 'Known Co' }), 409, 'conflict', 'name');
	assertError(await srv.as('admin').patch('/api/v1/customers/99999', { arr: 1 }), 404, 'not_found');
	for (const who of ['eng1', 'em1', 'cto1', 'viewer1'])
		assertError(await srv.as(who).patch(`/api/v1/customers/${c.id}`, { arr: 1 }), 403, 'forbidden');
	assert.equal(JSON.stringify((await srv.as('admin').get(`/api/v1/customers/${c.id}`)).json.customer), snap);
});

test('PATCH /personas/{id}: fields, 422, 409, 404, 403', async () => {
	const a = (await srv.as('admin').post('/api/v1/personas', { name: 'Ops lead', buyer_level: 'manager' })).json;
	await srv.as('admin').post('/api/v1/personas', { name: 'CFO', buyer_level: 'executive' });
	const r = await srv.as('pm1').patch(`/api/v1/personas/${a.id}`, { description: 'Runs the night shift' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.description, 'Runs the night shift');
	assert.equal(r.json.buyer_level, 'manager');
	assert.equal(r.json.name, 'Ops lead');
	assert.equal((await srv.as('admin').patch(`/api/v1/personas/${a.id}`, { name: 'Ops head', buyer_level: 'executive' })).json.buyer_level, 'executive');
	assertError(await srv.as('admin').patch(`/api/v1/personas/${a.id}`, { buyer_level: 'god' }), 422, 'invalid_field', 'buyer_level');
	assertError(await srv.as('admin').patch(`/api/v1/personas/${a.id}`, { name: 7 }), 422, 'invalid_field', 'name');
	assertError(await srv.as('admin').patch(`/api/v1/personas/${a.id}`, { name: 'CFO' }), 409, 'conflict', 'name');
	assertError(await srv.as('admin').patch('/api/v1/personas/99999', { name: 'x' }), 404, 'not_found');
	assertError(await srv.as('eng1').patch(`/api/v1/personas/${a.id}`, { name: 'x' }), 403, 'forbidden');
	assertError(await srv.as('viewer1').patch(`/api/v1/personas/${a.id}`, { name: 'x' }), 403, 'forbidden');
	const list = (await srv.as('admin').get('/api/v1/personas')).json.items;
	assert.equal(list.find((p) => p.id === a.id).name, 'Ops head');
});

test('the derived Customer Request label writes a history row with its cause when it comes and goes', async () => {
	const cust = (await srv.as('admin').post('/api/v1/customers', { name: 'Strategic Sam', strategic: true })).json;
	const n = (await srv.as('admin').post('/api/v1/issues', { title: 'Audit log export' })).json.number;
	const id = (await srv.as('admin').post('/api/v1/insights', { source: 'call', customer: 'Strategic Sam', title: 'need audit export' })).json.id;
	const labelRows = async () => (await srv.as('admin').get(`/api/v1/issues/${n}/history`)).json.items
		.filter((h) => h.field === 'labels');
	// important: no label, no row
	await srv.as('admin').post(`/api/v1/insights/${id}/links`, { issue: n, importance: 'important' });
	assert.deepEqual(await labelRows(), []);
	// critical: the label appears
	await srv.as('admin').post(`/api/v1/insights/${id}/links`, { issue: n, importance: 'critical' });
	let rows = await labelRows();
	assert.equal(rows.length, 1);
	assert.equal(rows[0].old, null);
	assert.equal(rows[0].new, `Customer Request (insight #${id} from Strategic Sam linked as critical)`);
	assert.equal(rows[0].actor, 'admin');
	// the customer no longer strategic: it goes
	await srv.as('admin').patch(`/api/v1/customers/${cust.id}`, { strategic: false });
	assert.deepEqual((await srv.as('admin').get(`/api/v1/issues/${n}`)).json.labels, []);
	rows = await labelRows();
	assert.equal(rows.length, 2);
	assert.equal(rows.at(-1).old, 'Customer Request');
	assert.equal(rows.at(-1).new, 'none (customer Strategic Sam no longer strategic)');
	await srv.as('admin').patch(`/api/v1/customers/${cust.id}`, { strategic: true });
	rows = await labelRows();
	assert.equal(rows.at(-1).new, 'Customer Request (customer Strategic Sam made strategic)');
	// a PATCH that keeps strategic as it is writes no row
	await srv.as('admin').patch(`/api/v1/customers/${cust.id}`, { arr: 10 });
	assert.equal((await labelRows()).length, 3);
	// unlinking takes it away
	assert.equal((await srv.api('DELETE', `/api/v1/insights/${id}/links/${n}`, { token: srv.tokens.admin })).status, 204);
	rows = await labelRows();
	assert.equal(rows.length, 4);
	assert.equal(rows.at(-1).old, 'Customer Request');
	assert.equal(rows.at(-1).new, `none (insight #${id} unlinked)`);
});

test('closing as a duplicate moves the label with the links, a history row on each side', async () => {
	await srv.as('admin').post('/api/v1/customers', { name: 'Strategic Dee', strategic: true });
	const kept = (await srv.as('admin').post('/api/v1/issues', { title: 'Bulk edit (kept)' })).json.number;
	const dup = (await srv.as('admin').post('/api/v1/issues', { title: 'Edit many at once (dup)' })).json.number;
	const id = (await srv.as('admin').post('/api/v1/insights', { source: 'call', customer: 'Strategic Dee', title: 'bulk edit now' })).json.id;
	await srv.as('admin').post(`/api/v1/insights/${id}/links`, { issue: dup, importance: 'critical' });
	const r = await srv.as('pm1').post(`/api/v1/issues/${dup}/triage`, { route: 'duplicate', duplicate_of: kept });
	assert.equal(r.status, 200, r.text);
	assert.ok((await srv.as('admin').get(`/api/v1/issues/${kept}`)).json.labels.includes('Customer Request'));
	assert.ok(!(await srv.as('admin').get(`/api/v1/issues/${dup}`)).json.labels.includes('Customer Request'));
	const rows = async (n) => (await srv.as('admin').get(`/api/v1/issues/${n}/history`)).json.items.filter((h) => h.field === 'labels');
	const k = await rows(kept);
	assert.equal(k.length, 1);
	assert.deepEqual([k[0].old, k[0].new, k[0].actor], [null, `Customer Request (insights moved from #${dup})`, 'pm1']);
	const d = (await rows(dup)).at(-1);
	assert.deepEqual([d.old, d.new], ['Customer Request', `none (insights moved to #${kept})`]);
});
