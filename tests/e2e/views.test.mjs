// Browser test of saved views and the query language v2 on the issue list
// (issue #17): a parse error shows under the search box with the place it
// names marked; "Save this query as a view" saves the current query; the
// panel lists the views with their counts (own, then shared); running a
// shared view with its own sort and columns; an engineer is not offered
// sharing, and cannot delete a PM's shared view.
//
//   node --test tests/e2e/views.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, newPage, setUp, signIn, tearDown } from './lib.mjs';

let e;
let page;
const PW = 'views-e2e-password-1';

describe('Saved views on the issue list', { timeout: 180000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-views-');
		page = e.page;
		for (const [login, role] of [['pia', 'pm'], ['eli', 'engineer']])
			assert.equal((await api(e, 'POST', '/users', { login, name: login.toUpperCase(), role, password: PW })).status, 201);
		const mk = async (fields) => assert.equal((await api(e, 'POST', '/issues', fields)).status, 201);
		await mk({ title: 'Crash on save', type: 'bug', priority: 'high', assignee: 'eli', size: 3 });
		await mk({ title: 'Crash on export', type: 'bug', size: 8 });
		await mk({ title: 'Dark mode', type: 'feature', size: 5, labels: ['ui'] });
		await mk({ title: 'Billing revamp', type: 'epic' });
		const shared = await api(e, 'POST', '/views', { name: 'Big features', query: 'type:feature size:>=5', sort: 'size-desc', columns: ['number', 'title', 'size'], shared: true });
		assert.equal(shared.status, 201, shared.text);
		await loginWithKeyboard(e, 'admin', e.password);
	});
	after(async () => {
		assert.deepEqual(e?.pageErrors ?? [], []);
		assert.deepEqual(e?.consoleErrors ?? [], []);
		await tearDown(e);
	});

	it('shows a parse error under the search box with its position marked', async () => {
		const input = page.locator('#filter');
		await input.fill('is:open size:big');
		await input.press('Enter');
		const err = page.locator('.list-msg .notice-error');
		await err.waitFor();
		assert.match(await err.textContent(), /at 14: size: expected a number of points/);
		assert.equal(await page.locator('[data-testid="query-error"] mark').textContent(), 'b');
		assert.equal(await input.getAttribute('aria-invalid'), 'true');
		await page.screenshot({ path: path.join(SHOTS, 'views-query-error.png') });
	});

	it('saves the current query as a view and lists it with its count', async () => {
		const input = page.locator('#filter');
		await input.fill('type:bug label:x,ui -assignee:nobody');
		await input.press('Enter');
		await input.fill('type:bug');
		await input.press('Enter');
		await page.locator('.count').filter({ hasText: '2 issues' }).waitFor();
		await page.getByTestId('save-view').click();
		await page.getByLabel('View name').fill('All bugs');
		await page.getByLabel('Share with the team').check();
		await page.getByRole('button', { name: 'Save view' }).click();
		const item = page.locator('.views-item', { hasText: 'All bugs' });
		await item.waitFor();
		assert.equal((await item.locator('[data-testid="view-count"]').textContent()).trim(), '2');
		const names = await page.locator('.views-name').allTextContents();
		assert.deepEqual(names, ['All bugs', 'Big features'], 'shared views by name');
		const saved = (await api(e, 'GET', '/views')).json.items.find((v) => v.name === 'All bugs');
		assert.equal(saved.query, 'type:bug');
		assert.equal(saved.shared, true);
	});

	it('runs a view: its query, sort and columns', async () => {
		await page.locator('.views-link', { hasText: 'Big features' }).click();
		await page.locator('.count').filter({ hasText: '1 issue' }).waitFor();
		assert.equal(await page.locator('#filter').inputValue(), 'type:feature size:>=5 sort:size-desc', 'a sort no header offers goes into the filter');
		const cols = await page.locator('table.issue-list colgroup col').evaluateAll((els) => els.map((c) => c.className));
		assert.deepEqual(cols, ['c-num', 'c-title', 'c-size'], 'the view\'s columns only');
		assert.equal(await page.locator('table.issue-list thead th').count(), 3);
		assert.deepEqual(await page.locator('[data-testid="title-cell"]').allTextContents(), ['Dark mode']);
		await page.screenshot({ path: path.join(SHOTS, 'views-panel.png') });
		// a sort typed in the filter holds while the headers are at their default
		await page.locator('#filter').fill('sort:size-desc');
		await page.locator('#filter').press('Enter');
		await page.locator('.count').filter({ hasText: '4 issues' }).waitFor();
		assert.deepEqual(await page.locator('[data-testid="title-cell"]').allTextContents(), ['Crash on export', 'Dark mode', 'Crash on save', 'Billing revamp']);
	});

	it('an engineer sees the shared views, is not offered sharing, and cannot delete them', async () => {
		const p = await newPage(e);
		await signIn(e, p, 'eli', PW);
		await p.locator('.views-item', { hasText: 'Big features' }).waitFor();
		assert.equal(await p.locator('.views-del').count(), 0, 'no delete on others\' shared views');
		await p.locator('#filter').fill('assignee:@me');
		await p.locator('#filter').press('Enter');
		await p.locator('.count').filter({ hasText: '1 issue' }).waitFor();
		await p.getByTestId('save-view').click();
		assert.equal(await p.getByLabel('Share with the team').count(), 0, 'an engineer may not share');
		await p.getByLabel('View name').fill('Mine');
		await p.getByRole('button', { name: 'Save view' }).click();
		await p.locator('.views-group', { hasText: 'Mine' }).locator('.views-item', { hasText: 'Mine' }).waitFor();
		assert.equal(await p.locator('.views-item', { hasText: 'Mine' }).locator('.views-del').count(), 1, 'their own view: deletable');
		await p.screenshot({ path: path.join(SHOTS, 'views-engineer.png') });
		await p.context().close();
	});
});
