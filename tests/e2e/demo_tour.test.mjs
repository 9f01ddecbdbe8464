// A tour of the demo product (`cairn demo`, issue #14) as a new user sees it:
// the backlog, a PM's home page, the insights, a feature customers want and a
// bug.  What a person reads there is the product's year, not a template:
//   (a) the backlog's top rows are features and improvements, with the
//       customers behind them; the first one's page shows the customer
//       problem and a quoted customer
//   (b) a PM's home page names real work (assigned, mentions, the milestone)
//   (c) the insights read as customers' words, linked to what they ask for
//   (d) a bug's page shows steps to reproduce, expected and actual
//   Screenshots: tests/e2e/screenshots/demo-{backlog,home,insights,feature,bug}.png
//
//   node --test tests/e2e/demo_tour.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, cli, loginWithKeyboard, networkQuiet, newPage, setUp, signIn, tearDown } from './lib.mjs';

let e;
let page;

async function settle(p, sel) {
	await p.locator(sel).first().waitFor();
	await networkQuiet(p);
	await p.waitForFunction(() => !document.querySelector('#main .loading, #main [aria-busy="true"]'));
}

const shot = (p, name) => p.screenshot({ path: path.join(SHOTS, `demo-${name}.png`), fullPage: true });

describe('A tour of the demo product', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-demo-');
		page = e.page;
		assert.match(cli(e.db, ['demo']), /demo product created/);
		await loginWithKeyboard(e, 'admin', e.password, '/backlog');
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) the backlog leads with what customers want; its first item tells their problem', async () => {
		const top = (await api(e, 'GET', '/backlog?rank=demand&limit=5')).json;
		const items = top.items ?? top;
		await settle(page, 'table.backlog tbody tr');
		const rows = page.locator('table.backlog tbody tr');
		for (let k = 0; k < 5; k++) {
			assert.ok(['feature', 'story', 'epic'].includes(items[k].type), `${items[k].title} is a ${items[k].type}`);
			assert.ok((await rows.nth(k).innerText()).includes(items[k].title), `row ${k + 1} is ${items[k].title}`);
		}
		await shot(page, 'backlog');
		await page.goto(`${e.base}/issues/${items[0].number}`);
		await settle(page, '[data-testid="issue-body"]');
		await page.getByRole('heading', { name: 'The customer problem' }).waitFor();
		assert.ok(await page.getByTestId('issue-body').locator('blockquote').count() >= 1, 'a customer is quoted');
		await shot(page, 'feature');
	});

	it('(b) a PM\'s home page shows the work waiting for her', async () => {
		const p = await newPage(e);
		await signIn(e, p, 'pia', 'cairn-demo', '/home');
		await settle(p, '[data-testid="home-assigned"]');
		assert.match(await p.getByTestId('home-mentions').innerText(), /#\d+/);
		await shot(p, 'home');
		await p.context().close();
	});

	it('(c) the insights are customers\' words, linked to what they ask for', async () => {
		await page.goto(`${e.base}/insights`);
		await settle(page, '#insight-list');
		const text = await page.locator('#insight-list').innerText();
		assert.match(await page.locator('#main').innerText(), /“[^”]{20,}”\s+— .+, (on|in|to) /);
		assert.match(text, /(Customer asks|QBR ask|Renewal risk|Poll answer|Forum thread|Sales call|Support ticket|Blocks their expansion): /);
		await shot(page, 'insights');
	});

	it('(d) a bug reads like a bug: steps to reproduce, expected, actual', async () => {
		const bugs = (await api(e, 'GET', '/issues?q=type:bug%20is:open&per_page=1')).json.items;
		await page.goto(`${e.base}/issues/${bugs[0].number}`);
		await settle(page, '[data-testid="issue-body"]');
		for (const h of ['Steps to reproduce', 'Expected', 'Actual'])
			await page.getByRole('heading', { name: h, exact: true }).waitFor();
		await shot(page, 'bug');
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
