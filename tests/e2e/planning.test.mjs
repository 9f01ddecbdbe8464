// Browser test of planning (issue #4): the development and product boards,
// milestones (burn-up, forecast, ship/slip report) and the issue tree — a
// real server on a fresh database, Debian's Chromium through playwright-core
// (tests/e2e/lib.mjs).
//
//   (a) an engineer drags a card from Up Next to In Progress with the mouse;
//       after a reload it is still there and the issue has started_at
//   (b) the same with the keyboard alone: m picks a card up, arrows choose
//       the column and the place, Enter drops, Esc cancels
//   (c) a move past the Todo limit is refused with the server's message; an
//       engineer gets no Force button, a PM's Force goes through
//   (d) milestones: a PM creates one and plans the next two with the forms;
//       the milestone page shows capacity vs load, the burn-up SVG with its
//       lines, the forecast and the ship/slip report
//   (e) the issue page (dev status, milestone, dates, definition of done,
//       hierarchy) and the tree page (pillar › area › ancestors, roll-ups,
//       double booking)
//   Screenshots: tests/e2e/screenshots/board-dev.png, board-product.png,
//   milestone.png, tree.png.
//
//   node --test tests/e2e/planning.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { addDays, todayYmd } from '../lib/clock.mjs';

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const YMD_RE = /^\d{4}-\d{2}-\d{2}$/;
const PW = 'planning-e2e-password-1';

let e;
let page;
const n = {};   // issue numbers by role in the story
let ms;         // the milestone under test

/* YYYY-MM-DD, `days` from today (UTC, the server's calendar). */
function ymd(days) {
	return addDays(todayYmd(), days);
}

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body, method === 'PATCH' ? { 'If-Match': '*' } : {});
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

async function issue(num) {
	return ok('GET', `/issues/${num}`);
}

const col = (key) => page.getByTestId(`col-${key}`);
const card = (num) => page.locator(`[data-testid="card"][data-number="${num}"]`);
const cardIn = (key, num) => col(key).locator(`[data-testid="card"][data-number="${num}"]`);
const numbersIn = (key) => col(key).locator('[data-testid="card"]').evaluateAll((els) => els.map((el) => Number(el.dataset.number)));

/* The board said it moved (the PATCH is answered) and the card is settled. */
async function moved(num, key) {
	await cardIn(key, num).waitFor();
	await page.getByTestId('board-live').filter({ hasText: `Moved #${num} to` }).waitFor();
	await page.locator(`[data-testid="card"][data-number="${num}"][aria-busy]`).waitFor({ state: 'detached' });
}

async function openBoard(which = 'dev', query = '') {
	await page.goto(`${e.base}/boards/${which}${query}`);
	await page.getByRole('heading', { name: which === 'dev' ? 'Development board' : 'Product board' }).waitFor();
	await col(which === 'dev' ? 'todo' : 'no_status').locator('.board-col-name').waitFor();
}

async function logout() {
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/\/login/);
}

describe('Planning: boards, milestones, tree', { timeout: 240000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-plan-');
		page = e.page;
		for (const [login, role] of [['erin', 'engineer'], ['pat', 'pm']]) {
			await ok('POST', '/users', { login, name: login === 'erin' ? 'Erin Engineer' : 'Pat PM', role, password: PW }, 201);
		}
		// A small Todo limit so one more story goes over it.
		await ok('PATCH', '/settings', { todo_limit: 10 });

		// Strategy: pillar › area › epic › stories › tasks.
		const pillar = await ok('POST', '/pillars', { name: 'Revenue', description: 'Make money' }, 201);
		const area = await ok('POST', '/areas', { pillar: pillar.id, name: 'Billing', description: 'Invoices and plans' }, 201);
		n.pillar = pillar.id; n.area = area.id;
		const make = async (fields) => (await ok('POST', '/issues', fields, 201)).number;
		n.epic = await make({ title: 'Self-serve billing', type: 'epic' });
		await ok('PATCH', `/issues/${n.epic}`, { area: area.id });

		// The milestone started six days ago; everything joins it now (added).
		ms = await ok('POST', '/milestones', { title: '2.31', start: ymd(-6), due: ymd(21), capacity: 20 }, 201);

		n.csv = await make({ title: 'Export invoices to CSV', type: 'story', pm_size: 'M', parent: n.epic, priority: 'high' });
		n.csvTask = await make({ title: 'CSV <b>writer</b> with RFC 4180 quoting', type: 'task', size: 'S', parent: n.csv });
		n.sso = await make({ title: 'Single sign-on with Okta', type: 'story', pm_size: 'L', parent: n.epic });
		n.ssoTask = await make({ title: 'SAML metadata endpoint', type: 'task', parent: n.sso });
		n.dark = await make({ title: 'Dark mode for invoices', type: 'story', pm_size: 'S' });
		n.audit = await make({ title: 'Audit log retention', type: 'story', pm_size: 'XL' });
		n.bulk = await make({ title: 'Bulk edit labels', type: 'story', pm_size: 'L' });
		n.login = await make({ title: 'Fix the login redirect loop', type: 'bug', pm_size: 'S' });

		for (const num of [n.csv, n.sso, n.dark, n.login]) await ok('PATCH', `/issues/${num}`, { milestone: ms.id });
		await ok('PATCH', `/issues/${n.csv}`, { dev_status: 'up_next', assignee: 'erin' });
		await ok('PATCH', `/issues/${n.sso}`, { dev_status: 'up_next' });
		await ok('PATCH', `/issues/${n.dark}`, { dev_status: 'in_design' });
		await ok('PATCH', `/issues/${n.audit}`, { dev_status: 'todo' });   // 8 of the 10 points
		await ok('PATCH', `/issues/${n.bulk}`, { dev_status: 'up_next' });
		await ok('PATCH', `/issues/${n.login}`, { dev_status: 'done' });  // done today: the burn-up's done line
		// Horizons on the product board.
		for (const [num, board] of [[n.epic, 'next'], [n.dark, 'next'], [n.audit, 'short'], [n.bulk, 'medium'], [n.ssoTask, 'under_review']]) {
			await ok('PATCH', `/issues/${num}`, { board });
		}
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) drags a card from Up Next to In Progress with the mouse; it stays there after a reload', async () => {
		await loginWithKeyboard(e, 'erin', PW, '/boards/dev');
		await cardIn('up_next', n.csv).waitFor();
		const head = await col('todo').getByTestId('col-points').innerText();
		assert.match(head, /8\s*\/\s*10 pts/, 'Todo shows its load against the limit');
		assert.equal(await col('todo').getByTestId('col-points').evaluate((el) => el.classList.contains('over')), false);
		assert.equal((await col('up_next').getByTestId('col-count').innerText()).trim(), '3');
		// The card: number, title, size letter, assignee, definition of done.
		const c = await cardIn('up_next', n.csv).innerText();
		assert.match(c, new RegExp(`#${n.csv}`));
		assert.match(c, /Export invoices to CSV/);
		assert.match(c, /\bM\b/);
		assert.match(c, /0\/5/);
		assert.equal(await cardIn('up_next', n.csv).locator('.avatar').count(), 1);

		// A real mouse drag (HTML5 drag and drop) to the top of In Progress.
		await cardIn('up_next', n.csv).dragTo(col('in_progress').locator('.board-list'), { targetPosition: { x: 120, y: 12 } });
		await moved(n.csv, 'in_progress');
		assert.equal((await col('in_progress').getByTestId('col-count').innerText()).trim(), '1');
		assert.equal((await col('up_next').getByTestId('col-count').innerText()).trim(), '2');

		await page.reload();
		await cardIn('in_progress', n.csv).waitFor();
		assert.equal(await cardIn('up_next', n.csv).count(), 0);
		const i = await issue(n.csv);
		assert.equal(i.dev_status, 'in_progress');
		assert.match(i.started_at ?? '', ISO_RE, 'started_at set on entering In Progress');
		assert.match(i.expected_at ?? '', YMD_RE, 'expected date derived from the size');
		assert.equal(i.board, 'started', 'the product board follows');
	});

	it('(b) moves cards with the keyboard: m, arrows, Enter; Esc cancels', async () => {
		await cardIn('up_next', n.sso).waitFor();
		await cardIn('up_next', n.sso).focus();
		await page.keyboard.press('m');
		await page.getByTestId('board-live').filter({ hasText: `Picked up #${n.sso}` }).waitFor();
		await page.keyboard.press('ArrowRight'); // In Design, above "Dark mode"
		await cardIn('in_design', n.sso).waitFor();
		await page.getByTestId('board-live').filter({ hasText: 'In Design, position 1' }).waitFor();
		await page.keyboard.press('ArrowDown'); // below it
		await page.getByTestId('board-live').filter({ hasText: 'In Design, position 2' }).waitFor();
		await page.keyboard.press('Enter');
		await moved(n.sso, 'in_design');
		assert.deepEqual(await numbersIn('in_design'), [n.dark, n.sso]);
		assert.equal((await issue(n.sso)).dev_status, 'in_design');

		// Within the column: up to the top (after = 0).
		assert.ok(await cardIn('in_design', n.sso).evaluate((el) => el === document.activeElement), 'focus stays on the card');
		await page.keyboard.press('m');
		await page.keyboard.press('ArrowUp');
		await page.keyboard.press('Enter');
		await page.getByTestId('board-live').filter({ hasText: `Moved #${n.sso} to In Design, position 1` }).waitFor();

		// Escape puts a card back where it was, and nothing is sent.
		const before = (await issue(n.dark)).version;
		await cardIn('in_design', n.dark).focus();
		await page.keyboard.press(' ');
		await page.keyboard.press('ArrowLeft');
		await cardIn('up_next', n.dark).waitFor();
		await page.keyboard.press('Escape');
		await cardIn('in_design', n.dark).waitFor();
		await page.getByTestId('board-live').filter({ hasText: 'cancelled' }).waitFor();

		await page.reload();
		await cardIn('in_design', n.sso).waitFor();
		assert.deepEqual(await numbersIn('in_design'), [n.sso, n.dark], 'the order survives a reload');
		const dark = await issue(n.dark);
		assert.equal(dark.dev_status, 'in_design');
		assert.equal(dark.version, before, 'a cancelled move changes nothing');
	});

	it('(c) refuses a move past the Todo limit with the server message; a PM forces it', async () => {
		await cardIn('up_next', n.bulk).waitFor();
		await cardIn('up_next', n.bulk).dragTo(col('todo').locator('.board-list'), { targetPosition: { x: 120, y: 12 } });
		const err = page.getByTestId('board-error');
		await err.waitFor();
		const text = await err.innerText();
		assert.match(text, /Todo holds 8 of 10 points/, 'the server’s own message');
		assert.match(text, new RegExp(`#${n.bulk}`));
		assert.equal(await err.getByTestId('force-move').count(), 0, 'an engineer cannot force');
		await cardIn('up_next', n.bulk).waitFor(); // back where it was
		assert.equal(await cardIn('todo', n.bulk).count(), 0);
		assert.equal((await issue(n.bulk)).dev_status, 'up_next', 'nothing changed');

		await logout();
		await loginWithKeyboard(e, 'pat', PW, '/boards/dev');
		await cardIn('up_next', n.bulk).waitFor();
		await cardIn('up_next', n.bulk).dragTo(col('todo').locator('.board-list'), { targetPosition: { x: 120, y: 12 } });
		await err.waitFor();
		assert.match(await err.innerText(), /Todo holds 8 of 10 points/);
		const force = err.getByTestId('force-move');
		await force.waitFor();
		await force.click();
		await moved(n.bulk, 'todo');
		await err.waitFor({ state: 'detached' });
		const i = await issue(n.bulk);
		assert.equal(i.dev_status, 'todo');
		const points = col('todo').getByTestId('col-points');
		assert.match(await points.innerText(), /13\s*\/\s*10 pts/);
		assert.ok(await points.evaluate((el) => el.classList.contains('over')), 'the Todo header turns to the warning colour');
		const hist = await ok('GET', `/issues/${n.bulk}/history`);
		assert.ok(JSON.stringify(hist.items).includes('forced'), 'the history records the forced move');

		// The milestone filter narrows the board to the milestone's items.
		await openBoard('dev', `?milestone=${ms.id}`);
		await cardIn('in_progress', n.csv).waitFor();
		assert.equal(await page.getByTestId('milestone-select').inputValue(), String(ms.id));
		assert.equal(await card(n.bulk).count(), 0, 'not in the milestone');
		// The Todo limit counts the whole column, also on a filtered board.
		await col('todo').getByTestId('col-sub').waitFor();
		assert.match(await col('todo').getByTestId('col-points').innerText(), /13\s*\/\s*10 pts/);
		assert.match(await col('todo').getByTestId('col-sub').innerText(), /0 pts from this milestone/);
		await page.waitForTimeout(3200); // let the toasts fade
		await page.screenshot({ path: path.join(SHOTS, 'board-dev.png') });

		await openBoard('product');
		await cardIn('started', n.csv).waitFor();
		await page.screenshot({ path: path.join(SHOTS, 'board-product.png') });
	});

	it('(d) a PM creates and plans milestones; the milestone page shows load, burn-up, forecast and report', async () => {
		await page.getByTestId('nav-milestones').click();
		await page.getByRole('heading', { name: 'Milestones', exact: true }).waitFor();
		const row = page.locator(`tr.ms-row[data-id="${ms.id}"]`);
		await row.waitFor();
		assert.match(await row.innerText(), /2\.31/);
		assert.match(await row.innerText(), /Active/);

		// New milestone through the form.
		const nf = page.getByTestId('ms-new');
		await nf.getByLabel('Title').fill('Hotfix 1');
		await nf.getByLabel('Start').fill(ymd(22));
		await nf.getByLabel('Due').fill(ymd(30));
		await nf.getByLabel('Capacity (pts)').fill('12');
		await nf.getByRole('button', { name: 'Create milestone' }).click();
		await page.locator('tr.ms-row', { hasText: 'Hotfix 1' }).waitFor();
		// A bad range is refused with the server's message, nothing created.
		await nf.getByLabel('Title').fill('Backwards');
		await nf.getByLabel('Start').fill(ymd(40));
		await nf.getByLabel('Due').fill(ymd(35));
		await nf.getByRole('button', { name: 'Create milestone' }).click();
		await nf.getByRole('alert').waitFor();
		assert.equal(await page.locator('tr.ms-row', { hasText: 'Backwards' }).count(), 0);

		// Plan the next two on the cadence.
		const pf = page.getByTestId('ms-plan');
		await pf.getByLabel('How many').fill('2');
		await pf.getByRole('button', { name: 'Plan milestones' }).click();
		await page.waitForFunction((k) => document.querySelectorAll('tr.ms-row').length >= k, 4);
		const list = await ok('GET', '/milestones');
		assert.equal(list.items.length, 4);

		await row.getByRole('link', { name: '2.31' }).click();
		await page.waitForURL(`${e.base}/milestones/${ms.id}`);
		await page.getByTestId('ms-title').filter({ hasText: '2.31' }).waitFor();
		const m = await ok('GET', `/milestones/${ms.id}`);
		// Capacity vs load: "13 / 20 pts" (M 3 + L 5 + S 2 + S 2 + … as the server counts).
		const cap = page.locator('.ms-facts').getByTestId('capacity');
		assert.match(await cap.innerText(), new RegExp(`${m.load}\\s*/\\s*20 pts`));

		// The burn-up: an SVG with the scope and done lines, one point per day.
		const chart = page.getByTestId('burnup-svg');
		await chart.waitFor();
		const scopePts = await chart.locator('polyline[data-testid="line-scope"]').getAttribute('points');
		const donePts = await chart.locator('polyline[data-testid="line-done"]').getAttribute('points');
		const burn = await ok('GET', `/milestones/${ms.id}/burnup`);
		assert.ok(burn.days.length >= 2, 'a few days since the start');
		for (const pts of [scopePts, donePts]) {
			const pairs = pts.trim().split(/\s+/);
			assert.equal(pairs.length, burn.days.length + 1, 'one point per day (and the start)');
			for (const p of pairs) assert.match(p, /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);
		}
		assert.ok(await chart.locator('path.ar-done').count() === 1);

		// The forecast (seed 1) with its probability and the 50/85/95 % dates.
		const fc = await ok('GET', `/milestones/${ms.id}/forecast?seed=1`);
		const forecast = page.getByTestId('forecast');
		await forecast.waitFor();
		const ftext = await forecast.innerText();
		if (fc.probability !== null && fc.remaining > 0) {
			assert.match(ftext, new RegExp(`${Math.round(fc.probability * 100)} %`));
		}
		for (const p of ['50', '85', '95']) {
			if (fc[`p${p}`]) await page.getByTestId(`fc-${p}`).waitFor();
		}

		// Scope: every item with its marks; the report: committed / shipped / slipped.
		const scope = page.getByTestId('scope');
		await scope.locator(`tr[data-number="${n.csv}"]`).waitFor();
		assert.match(await scope.locator(`tr[data-number="${n.csv}"]`).innerText(), /Added/);
		assert.match(await scope.locator(`tr[data-number="${n.login}"]`).innerText(), /Done/);
		const rep = await ok('GET', `/milestones/${ms.id}/report`);
		const report = page.getByTestId('report');
		for (const k of ['committed', 'shipped', 'slipped', 'added', 'removed']) {
			const box = report.getByTestId(`rep-${k}`);
			assert.match(await box.innerText(), new RegExp(`^${rep[k].count}\\b`), `${k} count`);
		}
		// Nothing has ended yet, so nothing has slipped, let alone twice.
		assert.equal(rep.slipped.count, 0);
		assert.deepEqual(rep.repeat_slippers, []);
		assert.match(await report.innerText(), /Nothing has slipped \(yet\)/);
		assert.match(await report.innerText(), /No item has slipped more than once/);
		await page.waitForTimeout(3200); // let the toasts fade
		await page.screenshot({ path: path.join(SHOTS, 'milestone.png'), fullPage: true });
	});

	it('(e) the issue page shows planning fields, toggles the definition of done, and links the tree', async () => {
		await page.goto(`${e.base}/issues/${n.csv}`);
		const side = page.getByRole('complementary', { name: 'Properties' });
		await side.getByTestId('issue-dev-status').filter({ hasText: 'In Progress' }).waitFor();
		await side.getByTestId('issue-milestone').filter({ hasText: '2.31' }).waitFor();
		await side.getByTestId('issue-started').waitFor();
		await side.getByTestId('issue-expected').waitFor();

		const dod = page.getByTestId('dod');
		await dod.getByLabel('Tests').check();
		await dod.getByText('1/5').waitFor();
		const i = await issue(n.csv);
		assert.equal(i.dod.tests, true);
		assert.equal(i.dod_done, 1);
		await dod.getByLabel('Tests').uncheck();
		await dod.getByText('0/5').waitFor();
		assert.equal((await issue(n.csv)).dod.tests, false);

		// The hierarchy on the issue page: the crumbs and a double-booked story.
		const tree = page.getByTestId('issue-tree');
		await tree.getByTestId('tree-crumbs').filter({ hasText: 'Revenue' }).waitFor();
		assert.match(await tree.getByTestId('tree-crumbs').innerText(), /Revenue\s*›\s*.*Billing\s*›\s*#\d+ Self-serve billing/);
		await tree.getByTestId('double-booked').first().waitFor();
		await tree.getByTestId('tree-link').click();
		await page.waitForURL(`${e.base}/issues/${n.csv}/tree`);
	});

	it('(e) the tree page: pillar › area › ancestors, nested children, roll-ups, double booking', async () => {
		await page.goto(`${e.base}/issues/${n.epic}/tree`);
		const crumbs = page.getByTestId('tree-crumbs');
		await crumbs.waitFor();
		assert.match(await crumbs.innerText(), /Revenue\s*›\s*.*Billing/);
		const t = await ok('GET', `/issues/${n.epic}/tree`);
		const node = (num) => page.locator(`[data-testid="tree-node"][data-number="${num}"]`);
		await node(n.csv).waitFor();
		await node(n.sso).waitFor();
		// The epic's roll-up: its children's roll-ups (the sized story counts its own size).
		const rollup = await node(n.epic).locator(':scope > .tree-row [data-testid="rollup"]').innerText();
		assert.match(rollup, new RegExp(`Σ ${t.root.rollup_size} pts?`));
		// The sized story with a sized task under it is double booked.
		await node(n.csv).locator(':scope > .tree-row [data-testid="double-booked"]').waitFor();
		assert.equal(await node(n.sso).locator(':scope > .tree-row [data-testid="double-booked"]').count(), 0);
		// Titles are text, never markup.
		await node(n.csvTask).waitFor();
		assert.equal(await node(n.csvTask).locator('b').count(), 0);
		assert.match(await node(n.csvTask).innerText(), /<b>writer<\/b>/);
		// Collapse and expand a node.
		const toggle = node(n.csv).locator(':scope > .tree-row .tree-toggle');
		await toggle.click();
		await node(n.csvTask).waitFor({ state: 'detached' });
		await toggle.click();
		await node(n.csvTask).waitFor();
		await page.screenshot({ path: path.join(SHOTS, 'tree.png') });
	});

	it('had no script errors in the page', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
