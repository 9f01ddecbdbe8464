// Browser test of the issue list over more than 10,000 matches (issue #17):
// the count reads "10,000+ issues", the pager says "of 10,000+" without a
// last page number, and Next keeps going past a full page.  The database:
// the demo's 10,200 issues (cairn demo on the database the server runs on).
//
//   node --test tests/e2e/list_capped.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, cli, loginWithKeyboard, setUp, tearDown } from './lib.mjs';

let e;
let page;

describe('The issue list over 10,000 matches', { timeout: 180000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-capped-');
		assert.match(cli(e.db, ['demo', '--issues', '10200']), /demo product created/);
		page = e.page;
		await loginWithKeyboard(e, 'admin', e.password);
	});
	after(async () => { await tearDown(e); });

	it('says 10,000+ and pages on without a last page', async () => {
		await page.goto(`${e.base}/issues?q=`); // every issue, open or closed
		const count = page.locator('.count').first();
		await count.filter({ hasText: '10,000+' }).waitFor();
		assert.equal((await count.textContent()).trim(), '10,000+ issues');
		const info = page.locator('.pager-info');
		assert.match(await info.textContent(), /^1–\d+ of 10,000\+$/);
		assert.doesNotMatch(await page.locator('.pager-page').textContent(), /of/);
		await page.locator('[data-rel="next"]').click();
		await page.locator('.pager-page').filter({ hasText: 'Page 2' }).waitFor();
		assert.equal(await page.locator('[data-rel="next"]').isDisabled(), false);
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: path.join(SHOTS, 'list-capped.png') });
		// a filter under the cap counts exactly
		await page.goto(`${e.base}/issues?q=${encodeURIComponent('type:security')}`);
		await count.filter({ hasText: /^\d+ issues?$/ }).waitFor();
		assert.doesNotMatch(await count.textContent(), /\+/);
	});
});
