// Browser test of the estimation calibration page (issue #13) at /estimation —
// a real server on a fresh database, Debian's Chromium through playwright-core
// (tests/e2e/lib.mjs).
//
// Set up through the API: three M items and one L item, each created in
// up_next, moved to in_progress (started_at) and to done (done_at).  With the
// clock stopped (CAIRN_NOW) every cycle time is one working day, so M
// (3 expected days) has n 3, median 1 → "over-estimated"; L has n 1 → "too
// few to tell".
//
//   (a) from the milestones page the "Calibration" link opens /estimation:
//       the item count, the M row (n 3, median 1 d, range bar, over-estimated
//       badge), the L row (too few to tell), the rule explained
//   (b) the days selector works with the keyboard (365 days)
//   (c) at 390 px the page fits the width
//   Screenshots: tests/e2e/screenshots/estimation.png, estimation-390.png.
//
//   node --test tests/e2e/estimation.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, setUp, tearDown } from './lib.mjs';

let e;
let page;

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*' } : {});
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

/* An item of a size, started and finished. */
async function finished(title, size) {
	const i = await ok('POST', '/issues', { title, type: 'story', size, dev_status: 'up_next' }, 201);
	const s = await ok('PATCH', `/issues/${i.number}`, { dev_status: 'in_progress' });
	assert.ok(s.started_at, `started_at set: ${JSON.stringify(s)}`);
	const d = await ok('PATCH', `/issues/${i.number}`, { dev_status: 'done' });
	assert.ok(d.done_at, `done_at set: ${JSON.stringify(d)}`);
	return d;
}

const row = (size, p = page) => p.locator(`[data-testid="est-row"][data-size="${size}"]`);

describe('Estimation calibration page', { timeout: 180000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-estimation-');
		page = e.page;
		for (const k of [1, 2, 3]) await finished(`Medium story ${k}`, 'M');
		await finished('Large story', 'L');
		const cal = await ok('GET', '/estimation/calibration?days=180');
		const m = cal.sizes.find(s => s.size === 'M');
		assert.equal(m.n, 3, JSON.stringify(cal));
		assert.equal(m.verdict, 'over', JSON.stringify(cal));
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) the milestones page links to /estimation; the M row is over-estimated', async () => {
		await loginWithKeyboard(e, 'admin', e.password, '/milestones');
		await page.getByTestId('calibration-link').click();
		await page.waitForURL(`${e.base}/estimation`);
		await page.getByRole('heading', { name: 'Estimation calibration' }).waitFor();
		await row('M').waitFor();
		assert.match(await page.getByTestId('est-items').innerText(), /^4 finished items$/);
		assert.equal((await row('M').getByTestId('est-n').innerText()).trim(), '3');
		assert.equal((await row('M').getByTestId('est-median').innerText()).trim(), '1 d');
		assert.equal((await row('M').getByTestId('est-expected').innerText()).trim(), '3 d');
		assert.equal((await row('M').getByTestId('est-verdict').innerText()).trim(), 'Over-estimated');
		assert.equal(await row('M').getByTestId('est-verdict').getAttribute('data-verdict'), 'over');
		assert.match(await row('M').getByTestId('est-bar').getAttribute('aria-label'), /median 1, expected 3/);
		assert.equal((await row('L').getByTestId('est-n').innerText()).trim(), '1');
		assert.equal((await row('L').getByTestId('est-verdict').innerText()).trim(), 'Too few to tell');
		assert.match(await page.getByTestId('est-rule').innerText(), /over 1\.5×.*under 0\.67×/);
		assert.equal(await page.getByTestId('est-days-180').getAttribute('aria-current'), 'page');
		// All top-bar links fit at 1360 px: the last one, Releases, is not cut off.
		const nav = await page.locator('nav.nav').boundingBox();
		const rel = await page.getByTestId('nav-releases').boundingBox();
		assert.ok(rel.x + rel.width <= nav.x + nav.width + 0.5,
			`Releases (${rel.x}+${rel.width}) must fit inside the nav (${nav.x}+${nav.width}) at 1360 px`);
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: path.join(SHOTS, 'estimation.png'), fullPage: true });
	});

	it('(b) the days selector works with the keyboard', async () => {
		await page.getByTestId('est-days-365').focus();
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/estimation?days=365`);
		await page.locator('[data-testid="est-days-365"][aria-current="page"]').waitFor();
		await row('M').waitFor();
		assert.match(await page.getByTestId('est-rule').innerText(), /last 365 days/);
		assert.equal((await row('M').getByTestId('est-n').innerText()).trim(), '3');
	});

	it('(c) at 390 px the page fits the width', async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(`${e.base}/estimation?days=90`);
		await row('M').waitFor();
		const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		assert.ok(over <= 0, `horizontal overflow ${over}px`);
		await page.screenshot({ path: path.join(SHOTS, 'estimation-390.png'), fullPage: true });
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
