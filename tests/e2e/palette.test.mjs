// Browser test of the command palette (issue #14): Ctrl+K / Cmd+K anywhere
// opens a dialog to go to an issue (by number or title words), to a page,
// or to an action the user's role may do — all with the keyboard.
//
//   (a) Ctrl+K opens it (a modal dialog, the focus in its field, trapped on
//       Tab); "#N" + Enter opens issue N; focus returns on Esc
//   (b) title words find an issue (GET /issues?q=…); ↓ and Enter open it
//   (c) a page by name ("roadmap"), Meta+K works too
//   (d) an action: "new issue" opens the form
//   (e) a viewer is not offered "New issue" (nor other write actions)
//   (f) the top-bar button opens it; at 390 px it fits
//   Screenshots: tests/e2e/screenshots/palette.png, palette-390.png.
//
//   node --test tests/e2e/palette.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, setUp, tearDown, LAYOUT_ONLY } from './lib.mjs';

let e;
let page;
const PW = 'viewer-password-123';
const made = {};

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

const dialog = () => page.getByRole('dialog', { name: 'Command palette' });
const options = () => page.getByTestId('palette-option');

async function openWithKeys(combo = 'Control+k') {
	await page.keyboard.press(combo);
	await dialog().waitFor();
	assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'palette-input');
}

async function optionTexts() {
	return options().evaluateAll(els => els.map(el => `${el.dataset.kind}: ${el.querySelector('.pal-text').textContent}`));
}

describe('Command palette', { timeout: 180000, skip: LAYOUT_ONLY }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-palette-');
		page = e.page;
		made.a = await ok('POST', '/issues', { title: 'Export the invoices as CSV', type: 'story' }, 201);
		made.b = await ok('POST', '/issues', { title: 'Crash when the zebra pattern is empty', type: 'bug' }, 201);
		made.c = await ok('POST', '/issues', { title: 'Dark mode for the settings', type: 'story' }, 201);
		await ok('POST', '/users', { login: 'vic', name: 'Vic Viewer', role: 'viewer', password: PW }, 201);
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) Ctrl+K opens it; "#N" and Enter go to the issue; Tab stays inside, Esc gives the focus back', async () => {
		await loginWithKeyboard(e, 'admin', e.password, '/');
		await page.getByTestId('issue-list').waitFor();
		await page.locator('#filter').focus();
		await openWithKeys();
		assert.equal(await dialog().getAttribute('aria-modal'), 'true');
		// Tab cycles inside the dialog
		for (let i = 0; i < 3; i++) {
			await page.keyboard.press('Tab');
			assert.ok(await dialog().evaluate(d => d.contains(document.activeElement)), 'focus stays in the palette');
		}
		await page.keyboard.press('Escape');
		await dialog().waitFor({ state: 'detached' });
		assert.equal(await page.evaluate(() => document.activeElement.id), 'filter', 'the focus is back where it was');

		await page.locator('h1').first().focus();
		await openWithKeys();
		await page.keyboard.type(`#${made.c.number}`);
		const first = options().first();
		assert.equal((await optionTexts())[0], `issue: Go to issue #${made.c.number}`);
		assert.equal(await first.getAttribute('aria-selected'), 'true');
		assert.equal(await page.getByTestId('palette-input').getAttribute('aria-activedescendant'), await first.getAttribute('id'));
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/issues/${made.c.number}`);
		await page.getByRole('heading', { name: /Dark mode for the settings/ }).waitFor();
		assert.equal(await dialog().count(), 0);
		// a bare number works too
		await openWithKeys();
		await page.keyboard.type(String(made.a.number));
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/issues/${made.a.number}`);
	});

	it('(b) title words find the issue; ↓ and Enter open it', async () => {
		await openWithKeys();
		await page.keyboard.type('zebra');
		const hit = options().filter({ hasText: 'Crash when the zebra pattern is empty' });
		await hit.waitFor();
		const texts = await optionTexts();
		assert.equal(texts[0], `issue: #${made.b.number} Crash when the zebra pattern is empty`);
		await page.screenshot({ path: path.join(SHOTS, 'palette.png') });
		// ↓ then ↑ comes back to it (wraps around through the list)
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowUp');
		assert.equal(await hit.getAttribute('aria-selected'), 'true');
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/issues/${made.b.number}`);
	});

	it('(c) a page by name; Meta+K opens it too', async () => {
		await openWithKeys('Meta+k');
		await page.keyboard.type('roadmap');
		assert.deepEqual((await optionTexts()).slice(0, 1), ['page: Roadmap']);
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/strategy/roadmap`);
		// every page of the top bar is offered with an empty field
		await openWithKeys();
		const all = await optionTexts();
		for (const p of ['Issues', 'Inbox (triage)', 'Insights', 'Backlog', 'Tiers', 'Customers', 'Strategy', 'Decisions',
			'Product board', 'Development board', 'Milestones', 'Estimation calibration', 'Planning poker', 'Releases', 'Your account']) {
			assert.ok(all.includes(`page: ${p}`), `${p} offered: ${all.join(', ')}`);
		}
		// ↓ moves the highlight and the field says which one
		await page.keyboard.press('ArrowDown');
		const second = options().nth(1);
		assert.equal(await second.getAttribute('aria-selected'), 'true');
		await page.keyboard.press('Escape');
		await dialog().waitFor({ state: 'detached' });
	});

	it('(c2) on the inbox, letters typed in the palette are not the inbox\'s keys', async () => {
		await page.goto(`${e.base}/triage`);
		await page.locator('#inbox-list').waitFor();
		await page.locator('#main h1').first().focus();
		const selected = () => page.locator('#inbox-list [aria-selected="true"]').evaluateAll(els => els.map(el => el.id));
		const before = await selected();
		await openWithKeys();
		await page.keyboard.type('jjk');
		assert.equal(await page.getByTestId('palette-input').inputValue(), 'jjk');
		assert.deepEqual(await selected(), before, 'the inbox selection did not move');
		await page.keyboard.press('Tab'); // the close button: Enter closes, no triage key
		await page.keyboard.press('Enter');
		await dialog().waitFor({ state: 'detached' });
		assert.equal(new URL(page.url()).pathname, '/triage');
	});

	it('(d) an action: "new issue" opens the form', async () => {
		await openWithKeys();
		await page.keyboard.type('new issue');
		assert.deepEqual(await optionTexts(), ['action: New issue']);
		await page.keyboard.press('Control+a');
		await page.keyboard.type('new');
		const news = (await optionTexts()).filter(t => t.startsWith('action:'));
		for (const a of ['New issue', 'New insight', 'New customer', 'New decision', 'New changelog entry']) {
			assert.ok(news.includes(`action: ${a}`), `${a} offered to the admin: ${news.join(', ')}`);
		}
		await page.keyboard.press('Control+a');
		await page.keyboard.type('new issue');
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/issues/new`);
	});

	it('(e) a viewer is not offered "New issue" nor other write actions', async () => {
		await page.getByRole('button', { name: 'Log out' }).click();
		await page.waitForURL(/\/login/);
		await loginWithKeyboard(e, 'vic', PW, '/');
		await page.getByTestId('issue-list').waitFor();
		await openWithKeys();
		const all = await optionTexts();
		const actions = all.filter(t => t.startsWith('action:'));
		assert.deepEqual(actions, ['action: New API token'], all.join(', '));
		assert.ok(!all.includes('page: Users'), 'no admin pages for a viewer');
		await page.keyboard.type('new issue');
		assert.equal(await options().count(), 0);
		assert.equal(await page.getByRole('dialog').getByRole('status').innerText(), 'Nothing matches');
		// a viewer still goes to issues by number
		await page.keyboard.press('Control+a');
		await page.keyboard.type(`#${made.b.number}`);
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/issues/${made.b.number}`);
	});

	it('(f) the top-bar button opens it; at 390 px it fits', async () => {
		await page.getByTestId('palette-btn').click();
		await dialog().waitFor();
		await page.keyboard.press('Escape');
		await dialog().waitFor({ state: 'detached' });
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(`${e.base}/`);
		await page.getByTestId('issue-list').waitFor();
		assert.ok(await page.getByTestId('palette-btn').isVisible(), 'the button is there on a phone');
		await openWithKeys();
		await page.keyboard.type('dark');
		await options().filter({ hasText: 'Dark mode for the settings' }).waitFor();
		const box = await dialog().boundingBox();
		assert.ok(box.x >= 0 && box.x + box.width <= 390, `the dialog fits: ${JSON.stringify(box)}`);
		const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		assert.ok(over <= 0, `horizontal overflow ${over}px`);
		await page.screenshot({ path: path.join(SHOTS, 'palette-390.png') });
		await page.keyboard.press('Escape');
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
