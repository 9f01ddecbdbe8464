// Browser test of full-text search (issue #17): free words in the list's
// filter search titles, bodies and comments, best match first, and each
// row matched in its text shows a snippet with the words marked, the
// text's own markup shown as text.  The Ctrl+K palette finds issues by
// their body too.
//
//   node --test tests/e2e/search.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, setUp, tearDown } from './lib.mjs';

let e;
let page;
const made = {};

async function ok(method, p, body, status) {
	const r = await api(e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.status} ${r.text}`);
	return r.json;
}

describe('Full-text search in the issue list', { timeout: 180000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-search-');
		page = e.page;
		made.comment = await ok('POST', '/issues', { title: 'Quarterly report layout', body: 'Columns and rows.' }, 201);
		await ok('POST', `/issues/${made.comment.number}/comments`, { body: 'The exporter stalls when the **kumquat** column is empty.' }, 201);
		made.body = await ok('POST', '/issues', {
			title: 'Report speed',
			body: 'Generating a kumquat chart takes ten seconds. <img src=x onerror="window.__pwned=1"> <b>bold?</b>',
		}, 201);
		made.title = await ok('POST', '/issues', { title: 'Kumquat export fails', body: 'See logs.' }, 201);
		await ok('POST', '/issues', { title: 'Unrelated dashboard widget', body: 'Nothing here.' }, 201);
		await loginWithKeyboard(e, 'admin', e.password);
	});
	after(async () => { await tearDown(e); });

	it('ranks title over body over comment and shows marked snippets', async () => {
		await page.goto(`${e.base}/?q=${encodeURIComponent('kumquat')}`);
		const rows = page.locator('[data-testid="issue-list"] tbody tr');
		await rows.first().waitFor();
		const order = await rows.evaluateAll(trs => trs.map(tr => Number(tr.dataset.number)));
		assert.deepEqual(order, [made.title.number, made.body.number, made.comment.number]);
		assert.match(await page.locator('.count').first().textContent(), /3 issues · best match first/);
		assert.equal(await page.locator('th .sort-btn.on').count(), 0, 'no column claims the order');

		const snippets = page.getByTestId('snippet');
		assert.equal(await snippets.count(), 2, 'the title-only match has no snippet');
		const bodyRow = page.locator(`tr[data-number="${made.body.number}"]`);
		assert.equal(await bodyRow.locator('mark').first().textContent(), 'kumquat');
		const bodyText = await bodyRow.getByTestId('snippet').textContent();
		assert.match(bodyText, /Generating a kumquat chart/);
		// the body's own tags are text (or dropped), never elements
		assert.equal(await bodyRow.locator('.snippet img, .snippet b').count(), 0);
		assert.equal(await page.evaluate(() => window.__pwned), undefined);
		const commentRow = page.locator(`tr[data-number="${made.comment.number}"]`);
		assert.match(await commentRow.getByTestId('snippet').textContent(), /exporter stalls when the/);

		await page.screenshot({ path: path.join(SHOTS, 'search-list.png') });
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});

	it('a sort picked in the header orders the matches instead', async () => {
		await page.goto(`${e.base}/?q=${encodeURIComponent('kumquat')}&sort=number`);
		const rows = page.locator('[data-testid="issue-list"] tbody tr');
		await rows.first().waitFor();
		const order = await rows.evaluateAll(trs => trs.map(tr => Number(tr.dataset.number)));
		assert.deepEqual(order, [made.comment.number, made.body.number, made.title.number]);
		assert.doesNotMatch(await page.locator('.count').first().textContent(), /best match/);
	});

	it('the Ctrl+K palette finds an issue by words of its comment', async () => {
		await page.goto(`${e.base}/`);
		await page.locator('[data-testid="issue-list"]').waitFor();
		await page.keyboard.press('Control+k');
		await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
		await page.keyboard.type('exporter stal');
		const opt = page.getByTestId('palette-option').filter({ hasText: `#${made.comment.number} Quarterly report layout` });
		await opt.waitFor();
		await page.screenshot({ path: path.join(SHOTS, 'search-palette.png') });
		await page.keyboard.press('Escape');
	});
});
