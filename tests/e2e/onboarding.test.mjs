// Browser test of issue #14's "a new team starts from the web UI": a real
// server on an EMPTY database (cairn init only, no demo), Debian's Chromium
// through playwright-core (tests/e2e/lib.mjs).
//
//   (a) the admin adds a PM and a viewer on /admin/users, then a customer
//       (New customer; a bad ARR is refused at its field), edits it
//       (strategic), adds a persona and a first insight linked to an issue
//   (b) the admin imports a CSV whose columns need mapping (Subject, Company,
//       Notes, Colour) and whose rows name a customer nobody added: the
//       mapping step, the preview (dry run) refusing that row until "add
//       the customers nobody added yet" is ticked, the import, the result;
//       the new customer is on the customers page with its insight, and
//       the dry runs wrote nothing
//   (c) the viewer sees no New customer / Edit / New insight / Import CSV
//       control, and /customers/new, /insights/import say the role may not
//   (d) at 390 px the PM imports through the same steps without horizontal
//       scrolling
//   Screenshots: tests/e2e/screenshots/onboarding-import-preview.png,
//   onboarding-customer.png, onboarding-import-390.png.
//
//   node --test tests/e2e/onboarding.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, newPage as libNewPage, setUp, signIn as libSignIn, tearDown } from './lib.mjs';

const PW = 'onboard-e2e-password-1';
let e;

const newPage = (opts) => libNewPage(e, opts);
const signIn = (p, login, next) => libSignIn(e, p, login, PW, next);

const overflow = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const customerNames = async () => (await api(e, 'GET', '/customers')).json.items.map((c) => c.name).sort();
const insightTotal = async () => (await api(e, 'GET', '/insights')).json.total;

function csvFile(name, text) {
	const file = path.join(e.tmp, name);
	fs.writeFileSync(file, text);
	return file;
}

describe('Onboarding: an empty database to customers, insights and an import, in the browser', { timeout: 300000 }, () => {
	before(async () => { e = await setUp('cairn-e2e-onboard-'); });
	after(async () => { await tearDown(e); });

	it('(a) the admin adds users, a customer, a persona and a first insight', async () => {
		const { page } = e;
		await loginWithKeyboard(e, 'admin', e.password, '/admin/users');
		for (const [login, role] of [['pam', 'pm'], ['vera', 'viewer']]) {
			await page.getByTestId('add-user').click();
			await page.getByTestId('user-login-input').fill(login);
			await page.getByTestId('user-role-input').selectOption(role);
			await page.getByTestId('user-password-input').fill(PW);
			await page.getByTestId('user-create').click();
			await page.locator(`[data-testid="user-row"][data-login="${login}"]`).waitFor();
		}

		await page.goto(`${e.base}/customers`);
		await page.getByText('No customers yet').waitFor();
		await page.getByTestId('new-customer').click();
		await page.waitForURL(`${e.base}/customers/new`);
		await page.getByLabel('Name').fill('Acme Corp');
		await page.getByLabel('Tier').selectOption('Enterprise');
		await page.getByLabel('ARR').fill('-5');
		await page.getByTestId('customer-save').click();
		await page.locator('input[name=arr][aria-invalid=true]').waitFor();
		await page.getByRole('alert').filter({ hasText: /arr must be 0 or more/ }).waitFor();
		assert.deepEqual(await customerNames(), [], 'refused: nothing added');
		await page.getByLabel('ARR').fill('250000');
		await page.getByTestId('customer-save').click();
		await page.getByTestId('customer-name').filter({ hasText: 'Acme Corp' }).waitFor();
		assert.equal(await page.getByTestId('customer-arr').innerText(), '$250,000');

		await page.getByTestId('edit-customer').click();
		await page.getByLabel('Strategic account').check();
		await page.getByTestId('customer-save').click();
		await page.getByTestId('strategic').waitFor();
		const acme = (await api(e, 'GET', '/customers')).json.items[0];
		assert.equal(acme.strategic, true);
		assert.equal(acme.tier, 'Enterprise');

		await page.goto(`${e.base}/personas`);
		await page.getByLabel('Name').fill('Ops lead');
		await page.getByLabel('Buyer level').selectOption('manager');
		await page.getByTestId('persona-save').click();
		await page.getByTestId('personas').getByText('Ops lead').waitFor();

		const issue = (await api(e, 'POST', '/issues', { title: 'Single sign-on' })).json.number;
		await page.goto(`${e.base}/insights`);
		await page.getByTestId('new-insight').click();
		await page.waitForURL(`${e.base}/insights/new`);
		await page.getByLabel('Title').fill('Needs SSO before rollout');
		await page.getByLabel('Text').fill('Their IT will not allow passwords.');
		await page.getByLabel('Customer').fill('Acme Corp');
		await page.getByLabel('Persona').selectOption('Ops lead');
		await page.getByLabel('Issue number').fill('999');
		await page.getByTestId('insight-save').click();
		await page.locator('input[name=issue][aria-invalid=true]').waitFor();
		assert.equal(await insightTotal(), 0, 'a missing issue: nothing saved');
		await page.getByLabel('Issue number').fill(String(issue));
		await page.getByLabel('Importance').selectOption('critical');
		await page.getByTestId('insight-save').click();
		await page.waitForURL(`${e.base}/customers/${acme.id}`);
		await page.getByTestId('insight-card').filter({ hasText: 'Needs SSO before rollout' }).waitFor();
		const got = (await api(e, 'GET', `/issues/${issue}`)).json;
		assert.ok(got.labels.includes('Customer Request'), 'critical from a strategic customer');
		const hist = (await api(e, 'GET', `/issues/${issue}/history`)).json.items.filter((h) => h.field === 'labels');
		assert.equal(hist.length, 1);
		assert.match(hist[0].new, /^Customer Request \(insight #\d+ from Acme Corp linked as critical\)$/);
	});

	it('(b) the admin imports a CSV with a new customer through the mapping and the preview', async () => {
		const { page } = e;
		const file = csvFile('support.csv', 'Subject,Company,Notes,Colour\n' +
			'Export to Excel,Brand New Corp,"They export, every week",red\n' +
			'Dark mode,Acme Corp,Night shift,blue\n' +
			'"Faster search","Brand New Corp","Multi\nline note",green\n' +
			',Acme Corp,no title here,grey\n');
		const before = { customers: await customerNames(), insights: await insightTotal() };
		await page.goto(`${e.base}/insights`);
		await page.getByTestId('import-insights').click();
		await page.waitForURL(`${e.base}/insights/import`);
		await page.getByTestId('import-file').setInputFiles(file);
		const mapping = page.getByTestId('import-mapping');
		await mapping.waitFor();
		await mapping.getByLabel('Column Subject').waitFor();
		assert.equal(await mapping.getByLabel('Column Subject').inputValue(), 'title', 'Subject guessed as the title');
		assert.equal(await mapping.getByLabel('Column Company').inputValue(), 'customer');
		await mapping.getByLabel('Column Notes').selectOption('body');
		assert.equal(await mapping.getByLabel('Column Colour').inputValue(), '');

		const preview = page.getByTestId('import-preview');
		const summary = preview.getByTestId('preview-summary');
		await summary.filter({ hasText: '1 insight will be imported, 3 rows refused' }).waitFor();
		await preview.getByTestId('preview-errors').getByText("line 2: no customer 'Brand New Corp' (add it first)").waitFor();
		await page.getByTestId('create-customers').check();
		await summary.filter({ hasText: '3 insights will be imported' }).waitFor();
		await summary.filter({ hasText: '1 row refused, 1 new customer will be added: Brand New Corp' }).waitFor();
		await preview.locator('tr[data-line="6"] .import-bad').filter({ hasText: /title/ }).waitFor();
		await preview.locator('tr[data-line="2"] .import-ok').waitFor();
		await page.screenshot({ path: path.join(SHOTS, 'onboarding-import-preview.png'), fullPage: true });
		assert.deepEqual({ customers: await customerNames(), insights: await insightTotal() }, before, 'the dry runs wrote nothing');

		await page.getByTestId('import-go').click();
		const done = page.getByTestId('import-done');
		await done.getByText('3 insights imported, 1 row refused.').waitFor();
		await done.getByText('New customers: Brand New Corp.').waitFor();
		assert.deepEqual(await customerNames(), ['Acme Corp', 'Brand New Corp']);
		assert.equal(await insightTotal(), before.insights + 3);

		await page.goto(`${e.base}/customers`);
		await page.getByRole('link', { name: 'Brand New Corp' }).click();
		await page.getByTestId('customer-name').filter({ hasText: 'Brand New Corp' }).waitFor();
		await page.getByTestId('insight-card').filter({ hasText: 'Faster search' }).waitFor();
		await page.getByTestId('insight-card').filter({ hasText: 'They export, every week' }).waitFor();
		await page.getByTestId('new-insight').click();
		assert.equal(await page.getByLabel('Customer').inputValue(), 'Brand New Corp', 'the customer page prefills its name');
		await page.goBack();
		await page.getByTestId('customer-name').waitFor();
		await page.screenshot({ path: path.join(SHOTS, 'onboarding-customer.png'), fullPage: true });
	});

	it('(c) the viewer sees no control to add or import', async () => {
		const p = await newPage();
		await signIn(p, 'vera', '/customers');
		await p.getByRole('link', { name: 'Acme Corp' }).waitFor();
		assert.equal(await p.getByTestId('new-customer').count(), 0);
		await p.getByRole('link', { name: 'Acme Corp' }).click();
		await p.getByTestId('customer-name').waitFor();
		assert.equal(await p.getByTestId('edit-customer').count(), 0);
		assert.equal(await p.getByTestId('new-insight').count(), 0);
		await p.goto(`${e.base}/insights`);
		await p.getByTestId('insights-count').waitFor();
		assert.equal(await p.getByTestId('import-insights').count(), 0);
		assert.equal(await p.getByTestId('new-insight').count(), 0);
		await p.goto(`${e.base}/personas`);
		await p.getByTestId('personas').waitFor();
		assert.equal(await p.getByTestId('persona-form').count(), 0);
		assert.equal(await p.getByRole('button', { name: 'Edit' }).count(), 0);
		for (const url of ['/customers/new', '/insights/import', '/insights/new']) {
			await p.goto(`${e.base}${url}`);
			await p.getByTestId('read-only').waitFor();
			assert.equal(await p.locator('form, input[type=file]').count(), 0, url);
		}
		await p.context().close();
	});

	it('(d) at 390 px the PM imports through the same steps', async () => {
		const p = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		await signIn(p, 'pam', '/insights/import');
		const file = csvFile('phone.csv', 'title,customer,source\nOffline mode,Phone First Ltd,call\nBulk edit,Acme Corp,support\n');
		await p.getByTestId('import-file').setInputFiles(file);
		await p.getByTestId('import-mapping').waitFor();
		await p.getByTestId('preview-summary').filter({ hasText: '1 insight will be imported, 1 row refused' }).waitFor();
		await p.getByTestId('create-customers').check();
		await p.getByTestId('preview-summary').filter({ hasText: '2 insights will be imported' }).waitFor();
		assert.ok(await overflow(p) <= 0, `/insights/import: horizontal overflow ${await overflow(p)}px`);
		await p.screenshot({ path: path.join(SHOTS, 'onboarding-import-390.png'), fullPage: true });
		await p.getByTestId('import-go').click();
		await p.getByTestId('import-done').getByText('New customers: Phone First Ltd.').waitFor();
		await p.goto(`${e.base}/customers/new`);
		await p.getByLabel('Name').waitFor();
		assert.ok(await overflow(p) <= 0, `/customers/new: horizontal overflow ${await overflow(p)}px`);
		await p.context().close();
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
