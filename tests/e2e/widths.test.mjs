// The UI at three widths (issue #14): 390 px (a phone), 768 px (a tablet)
// and 1440 px (a laptop), on the demo product (`cairn demo`), as the admin.
//
//   (a) at each width, the main list pages fit: no horizontal overflow of
//       the document; the issue title column is readable (≥ 140 px at 390,
//       ≥ 250 at 768, ≥ 360 at 1440); screenshots of each
//   (b) at each width every page of the top bar is reachable: in the bar at
//       1440, through the menu below 900 px; each link opens its page
//   (c) the issue list sorts by a column header, with the mouse and with
//       Enter and Space; aria-sort says the order; the URL keeps it
//       (reload and Back); the server sorts, so page 2 goes on in order
//   Screenshots: tests/e2e/screenshots/width-{390,768,1440}-{page}.png,
//   width-390-menu.png, list-sorted.png.
//
//   node --test tests/e2e/widths.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, cli, loginWithKeyboard, networkQuiet, setUp, tearDown, LAYOUT_ONLY } from './lib.mjs';

let e;
let page;

const WIDTHS = [[390, 844, 140], [768, 1024, 250], [1440, 900, 360]];
const LISTS = [
	['issues', '/', '[data-testid="issue-list"]'],
	['triage', '/triage', '#inbox-list'],
	['insights', '/insights', '#insight-list'],
	['backlog', '/backlog', 'table.backlog'],
	['customers', '/customers', 'h1'],
	['tiers', '/tiers', 'h1'],
	['decisions', '/decisions', 'h1'],
	['board-product', '/boards/product', 'h1'],
	['board-dev', '/boards/dev', 'h1'],
	['milestones', '/milestones', 'h1'],
	['releases', '/releases', 'h1'],
	['strategy', '/strategy', 'h1'],
	['roadmap', '/strategy/roadmap', 'h1'],
	['estimation', '/estimation/sessions', 'h1'],
];
const NAV = [
	['nav-issues', /\/$/], ['nav-inbox', /\/triage$/], ['nav-insights', /\/insights$/], ['nav-backlog', /\/backlog$/],
	['nav-tiers', /\/tiers$/], ['nav-customers', /\/customers$/], ['nav-strategy', /\/strategy$/],
	['nav-decisions', /\/decisions$/], ['nav-boards', /\/boards\/(dev|product)$/], ['nav-milestones', /\/milestones$/],
	['nav-estimation', /\/estimation\/sessions$/], ['nav-releases', /\/releases$/],
];

const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/* The innermost elements that reach past the window's right edge. */
const widest = () => page.evaluate(() => [...document.querySelectorAll('body *')]
	.filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
	.filter((el) => { // not inside a box that scrolls or clips it
		for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
			if (getComputedStyle(p).overflowX !== 'visible' && p.scrollWidth <= p.clientWidth + 0.5) return false;
		}
		return true;
	})
	.filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
	.slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)})`).join(', '));

async function settle(sel) {
	await page.locator(sel).first().waitFor();
	await networkQuiet(page);
	await page.waitForFunction(() => !document.querySelector('#main .loading, #main [aria-busy="true"]'));
}

describe('Three widths, sortable columns (demo product)', { timeout: 600000, skip: LAYOUT_ONLY }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-widths-');
		page = e.page;
		assert.match(cli(e.db, ['demo']), /demo product created/);
		await loginWithKeyboard(e, 'admin', e.password, '/');
	});

	after(async () => {
		await tearDown(e);
	});

	for (const [w, hgt, minTitle] of WIDTHS) {
		it(`(a) at ${w} px the list pages fit and the title is readable`, async () => {
			await page.setViewportSize({ width: w, height: hgt });
			for (const [name, to, sel] of LISTS) {
				await page.goto(`${e.base}${to}`);
				await settle(sel);
				await page.screenshot({ path: path.join(SHOTS, `width-${w}-${name}.png`) });
				assert.ok(await overflow() <= 0, `${name} at ${w}: horizontal overflow ${await overflow()}px: ${await widest()}`);
				if (name === 'issues') {
					const widths = await page.getByTestId('title-cell').evaluateAll(els => els.slice(0, 10).map(el => el.getBoundingClientRect().width));
					assert.ok(widths.length > 0);
					for (const tw of widths) assert.ok(tw >= minTitle, `the title column at ${w}: ${tw}px < ${minTitle}`);
				}
			}
		});

		it(`(b) at ${w} px every page of the top bar is reachable`, async () => {
			await page.setViewportSize({ width: w, height: hgt });
			await page.goto(`${e.base}/`);
			await settle('[data-testid="issue-list"]');
			const menu = w < 900;
			assert.equal(await page.getByTestId('menu-btn').isVisible(), menu, 'the menu button below 900 px only');
			for (const [id, url] of NAV) {
				if (menu) {
					await page.getByTestId('menu-btn').click();
					assert.equal(await page.getByTestId('menu-btn').getAttribute('aria-expanded'), 'true');
					if (id === 'nav-releases' && w === 390) await page.screenshot({ path: path.join(SHOTS, 'width-390-menu.png') });
				}
				const link = page.getByTestId(id);
				assert.ok(await link.isVisible(), `${id} visible at ${w}`);
				const box = await link.boundingBox();
				const nav = await page.getByTestId('main-nav').boundingBox();
				assert.ok(box.x >= 0 && box.x + box.width <= w + 0.5, `${id} inside the window at ${w}: ${JSON.stringify(box)}`);
				assert.ok(box.x + box.width <= nav.x + nav.width + 0.5, `${id} not cut off by the nav at ${w}`);
				await link.click();
				await page.waitForURL(url);
				await page.locator('#main h1').first().waitFor();
			}
			// the palette button is in the bar at every width
			assert.ok(await page.getByTestId('palette-btn').isVisible());
			assert.ok(await overflow() <= 0);
		});
	}

	it('(c) the issue list sorts by a column header (mouse, Enter, Space), kept in the URL', async () => {
		await page.setViewportSize({ width: 1440, height: 900 });
		await page.goto(`${e.base}/?q=${encodeURIComponent('is:open')}`);
		await settle('[data-testid="issue-list"]');
		const th = (key) => page.locator(`th[data-sort="${key}"]`);
		assert.equal(await th('number').getAttribute('aria-sort'), 'descending', 'newest first by default');
		assert.equal(await th('title').getAttribute('aria-sort'), 'none');
		const titles = () => page.getByTestId('title-cell').evaluateAll(els => els.map(el => el.textContent.trim().toLowerCase()));

		// the mouse: by title, A to Z
		await page.getByTestId('sort-title').click();
		await page.waitForURL(/[?&]sort=title\b/);
		await page.locator('th[data-sort="title"][aria-sort="ascending"]').waitFor();
		assert.equal(await th('number').getAttribute('aria-sort'), 'none');
		let t = await titles();
		assert.deepEqual(t, [...t].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'A to Z');
		const first = t[0];
		// the server sorts: page 2 goes on after page 1's last title
		const p2 = await api(e, 'GET', `/issues?q=${encodeURIComponent('is:open sort:title')}&per_page=50&page=2`);
		if (p2.json.items.length) assert.ok(p2.json.items[0].title.toLowerCase() >= t[t.length - 1], 'page 2 continues the order');
		await page.screenshot({ path: path.join(SHOTS, 'list-sorted.png') });

		// the keyboard: Enter on the focused header turns it round, Space on another sorts by it
		assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'sort-title', 'the focus stays on the header');
		await page.keyboard.press('Enter');
		await page.locator('th[data-sort="title"][aria-sort="descending"]').waitFor();
		await page.waitForURL(/[?&]sort=-title\b/);
		t = await titles();
		assert.deepEqual(t, [...t].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)), 'Z to A');
		await page.getByTestId('sort-priority').focus();
		await page.keyboard.press('Space');
		await page.locator('th[data-sort="priority"][aria-sort="ascending"]').waitFor();
		await page.waitForURL(/[?&]sort=priority\b/);
		const prios = await page.locator('tbody .prio').evaluateAll(els => els.map(el => Number(/prio-(\d)/.exec(el.className)[1])));
		const rank = (p) => (p === 0 ? 0 : p); // 3 high .. 1 low, 0 none: high first, none last
		for (let i = 1; i < prios.length; i++) {
			const a = rank(prios[i - 1]) || -1;
			const b = rank(prios[i]) || -1;
			assert.ok(a >= b, `priority order at row ${i}: ${prios.join(',')}`);
		}

		// reload keeps it; Back goes to the title order (the URL is replaced, not pushed: Back leaves the list)
		await page.reload();
		await settle('[data-testid="issue-list"]');
		assert.equal(await th('priority').getAttribute('aria-sort'), 'ascending');
		assert.match(page.url(), /\/\?sort=priority$/);
		await page.goto(`${e.base}/boards/dev`);
		await page.locator('#main h1').first().waitFor();
		await page.goBack();
		await settle('[data-testid="issue-list"]');
		assert.equal(await th('priority').getAttribute('aria-sort'), 'ascending', 'Back keeps the sort');

		// on a phone the header row is hidden: the same orders in a select
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(`${e.base}/?sort=title`);
		await settle('[data-testid="issue-list"]');
		const menu = page.getByTestId('sort-select');
		assert.ok(await menu.isVisible(), 'the sort select on a phone');
		assert.equal(await menu.inputValue(), 'title');
		await menu.focus();
		await menu.selectOption('-updated');
		await page.waitForURL(/\/\?sort=-updated$/);
		await page.locator('th[data-sort="updated"][aria-sort="descending"]').waitFor({ state: 'attached' });
		await page.screenshot({ path: path.join(SHOTS, 'list-sorted-390.png') });
		await page.setViewportSize({ width: 1440, height: 900 });
		assert.equal(await menu.isVisible(), false, 'no select beside the header row');

		// the customers table sorts in the browser: by name, then by ARR the other way round
		await page.goto(`${e.base}/customers`);
		await settle('table.customers');
		assert.equal(await th('arr').getAttribute('aria-sort'), 'descending', 'by ARR, highest first by default');
		await page.getByTestId('sort-name').focus();
		await page.keyboard.press('Enter');
		await page.locator('th[data-sort="name"][aria-sort="ascending"]').waitFor();
		await page.waitForURL(/\/customers\?sort=name$/);
		const names = await page.locator('table.customers td.title').evaluateAll(els => els.map(el => el.textContent.trim()));
		assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
		await page.getByTestId('sort-arr').click();
		await page.locator('th[data-sort="arr"][aria-sort="descending"]').waitFor();
		await page.getByTestId('sort-arr').click();
		await page.locator('th[data-sort="arr"][aria-sort="ascending"]').waitFor();
		await page.waitForURL(/\/customers\?sort=arr$/);
		await page.reload();
		await settle('table.customers');
		assert.equal(await th('arr').getAttribute('aria-sort'), 'ascending', 'reload keeps it');
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
