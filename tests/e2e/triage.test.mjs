// Browser test of the triage inbox (/triage, issue #5): a real server on a
// fresh database, Debian's Chromium through playwright-core (tests/e2e/lib.mjs).
//
// After signing in, everything is done with the keyboard alone — no clicks:
// three items are triaged (a decision to a horizon with type, priority,
// size and bug severity; icebox; won't do with a reason), one more is closed
// as a duplicate, and an invalid CVSS vector shows the API's 422 inline.
// Each effect is checked through the API.  Screenshot:
// tests/e2e/screenshots/inbox.png — the inbox with a security issue selected
// (CVSS score, severity, fix-by countdown).
//
//   node --test tests/e2e/          (from the repo root; CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { daysFromToday } from '../lib/clock.mjs';

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8 critical

let e;
let page;
const n = {}; // issue numbers by role in the story

async function issue(num) {
	const r = await api(e, 'GET', `/issues/${num}`);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

async function inbox() {
	const r = await api(e, 'GET', '/triage?per_page=100');
	assert.equal(r.status, 200, r.text);
	return r.json;
}

const detail = () => page.getByTestId('inbox-detail');
const panel = () => page.getByTestId('triage-panel');
const item = (num) => page.locator(`#inbox-item-${num}`);

/* The selected item is `num`: highlighted in the list, shown beside it. */
async function selected(num) {
	await page.locator(`#inbox-item-${num}[aria-selected="true"]`).waitFor();
	await panel().getByRole('heading', { name: `Triage #${num}` }).waitFor();
	await detail().locator('.issue-num', { hasText: `#${num}` }).waitFor();
}

/* Press keys one after the other (no modifiers unless written "Shift+N"). */
async function keys(...ks) {
	for (const k of ks) await page.keyboard.press(k);
}

describe('Triage inbox', { timeout: 180000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-triage-');
		page = e.page;
		// The inbox, oldest first.
		const make = async (fields) => {
			const r = await api(e, 'POST', '/issues', fields);
			assert.equal(r.status, 201, r.text);
			return r.json.number;
		};
		n.crash = await make({ title: 'Checkout crashes when the cart is empty', type: 'story',
			body: 'Steps:\n\n1. empty the cart\n2. press **Checkout**\n\nThe page shows a 500.' });
		n.secret = await make({ title: 'Stored XSS in comment previews', type: 'security', labels: ['area:web'],
			body: 'A comment containing `<img src=x onerror=alert(1)>` runs script in the **preview** pane.' });
		const scored = await api(e, 'PATCH', `/issues/${n.secret}`, { cvss: VECTOR }, { 'If-Match': '*' });
		assert.equal(scored.status, 200, scored.text);
		n.dark = await make({ title: 'Dark mode for the dashboard', type: 'feature', labels: ['Customer Request'] });
		n.ie11 = await make({ title: 'Support Internet Explorer 11', type: 'feature' });
		n.again = await make({ title: 'Cart checkout 500 (again)', type: 'bug', labels: ['needs-triage'] });
		n.sso = await make({ title: 'SSO login with Okta <b>SAML</b>', type: 'feature', labels: ['needs-triage', 'area:auth'] });
		const s = await issue(n.secret);
		assert.equal(s.cvss_score, 9.8);
		assert.equal(s.severity, 'critical');
	});

	after(async () => {
		await tearDown(e);
	});

	it('opens the inbox oldest first with stats and the count in the top bar', async () => {
		await loginWithKeyboard(e, 'admin', e.password, '/triage');
		// From here on: keyboard only.
		await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
		const order = [n.crash, n.secret, n.dark, n.ie11, n.again, n.sso];
		await item(n.sso).waitFor();
		const shown = await page.locator('.inbox-item').evaluateAll((els) => els.map((el) => Number(el.dataset.number)));
		assert.deepEqual(shown, order, 'oldest first');
		await selected(n.crash);
		assert.equal(await page.getByTestId('stat-inbox').innerText(), '6');
		assert.equal(await page.getByTestId('stat-breaches').innerText(), '0');
		assert.equal((await page.getByTestId('inbox-badge').innerText()).trim(), '6');
		assert.match(await item(n.crash).innerText(), /today/, 'age shown');
		// Titles are text, never markup.
		assert.equal(await item(n.sso).locator('b').count(), 0);
		assert.match(await item(n.sso).innerText(), /<b>SAML<\/b>/);
		// The body is the server's sanitized HTML.
		assert.equal(await detail().getByTestId('inbox-body').locator('strong').innerText(), 'Checkout');
	});

	it('shows the key map with ?', async () => {
		await keys('?');
		const dialog = page.getByRole('dialog', { name: 'Inbox keys' });
		await dialog.waitFor();
		const text = await dialog.innerText();
		for (const want of [/next item/, /type: epic, story, task, bug, feature, security/, /priority: high, medium, low, none/,
			/PM size: XS, S, M, L, XL, XXL/, /horizon: Next, Short, Medium, Long/, /Icebox/, /duplicate/, /won't do/])
			assert.match(text, want);
		await keys('Escape');
		await dialog.waitFor({ state: 'hidden' });
	});

	it('refuses Enter without a horizon, then triages the first item to Next as a high S2 bug sized M', async () => {
		await selected(n.crash);
		await keys('Enter');
		const err = panel().getByTestId('triage-error');
		await err.waitFor();
		assert.match(await err.innerText(), /horizon/i);
		await keys('b', 'h', '3', 'Shift+N', 'r', '2');
		for (const [field, value] of [['type', 'bug'], ['priority', 'high'], ['pm_size', 'M'], ['board', 'next'], ['bug_severity', 'S2']])
			await panel().locator(`[data-field="${field}"] .choice.on[data-value="${value}"]`).waitFor();
		await keys('Enter');
		await item(n.crash).waitFor({ state: 'detached' });
		await selected(n.secret); // the next item, at once

		const i = await issue(n.crash);
		assert.equal(i.board, 'next');
		assert.equal(i.type, 'bug');
		assert.equal(i.priority, 'high');
		assert.equal(i.pm_size, 3);
		assert.equal(i.bug_severity, 'S2');
		assert.equal(i.state, 'open');
		assert.match(i.triaged_at ?? '', ISO_RE);
		assert.equal((await page.getByTestId('inbox-badge').innerText()).trim(), '5');
	});

	it('shows the security issue with score, severity and countdown; a bad vector gets the API error inline', async () => {
		const box = detail().getByTestId('security-box');
		await box.waitFor();
		const s = await issue(n.secret);
		const left = daysFromToday(s.fix_by);
		assert.equal(left, 7, `critical: fix-by 7 days after it was reported (${s.fix_by})`);
		const text = await box.innerText();
		assert.match(text, /9\.8/);
		assert.match(text, /critical/i);
		assert.match(text, /7 days left/);
		assert.match(text, new RegExp(VECTOR.replace(/[/.]/g, '\\$&')));
		assert.match(await item(n.secret).innerText(), /9\.8/, 'score in the list');

		// v edits the vector; Enter sends the decision; the API's 422 shows inline.
		await keys('Shift+S', 'v');
		const input = panel().locator('input[name="cvss"]');
		await input.waitFor();
		assert.ok(await input.evaluate((el) => el === document.activeElement), 'v focuses the vector');
		await page.keyboard.press('Control+a');
		await page.keyboard.type('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
		await keys('Enter');
		const err = panel().getByTestId('triage-error');
		await err.waitFor();
		assert.match(await err.innerText(), /CVSS vector/);
		assert.match(await err.innerText(), /\bAV\b/, 'the message names the metric');
		const still = await issue(n.secret);
		assert.equal(still.board, 'no_status', 'nothing changed');
		assert.equal(still.cvss, VECTOR);
		// Esc puts the vector back and leaves the field; Esc again resets the choices.
		await keys('Escape');
		assert.equal(await input.inputValue(), VECTOR);
		await keys('Escape');
		await panel().locator('[data-field="board"] .choice.on').waitFor({ state: 'detached' });
		await selected(n.secret);
	});

	it('sends the next one to the icebox with i', async () => {
		await keys('j');
		await selected(n.dark);
		await keys('i');
		await item(n.dark).waitFor({ state: 'detached' });
		await selected(n.ie11);
		const i = await issue(n.dark);
		assert.equal(i.board, 'icebox');
		assert.equal(i.state, 'open');
		assert.equal(i.type, 'feature');
		assert.match(i.triaged_at ?? '', ISO_RE);
	});

	it("closes one as won't do with a reason typed inline", async () => {
		await keys('w');
		const prompt = panel().getByTestId('triage-prompt');
		await prompt.waitFor();
		await page.keyboard.type('IE11 is out of support since 2022');
		await keys('Enter');
		await item(n.ie11).waitFor({ state: 'detached' });
		await selected(n.again);
		const i = await issue(n.ie11);
		assert.equal(i.state, 'closed');
		assert.equal(i.board, 'closed');
		assert.match(i.close_reason ?? '', /IE11 is out of support since 2022/);
		assert.match(i.triaged_at ?? '', ISO_RE);
	});

	it('closes one as a duplicate: a wrong number is refused inline, the right one works', async () => {
		await keys('d');
		await panel().getByTestId('triage-prompt').waitFor();
		await page.keyboard.type('999999');
		await keys('Enter');
		const err = panel().getByTestId('triage-error');
		await err.waitFor();
		assert.match(await err.innerText(), /Duplicate of/);
		assert.equal((await issue(n.again)).state, 'open', 'nothing changed');
		await page.keyboard.press('Control+a');
		await page.keyboard.type(String(n.crash));
		await keys('Enter');
		await item(n.again).waitFor({ state: 'detached' });
		const i = await issue(n.again);
		assert.equal(i.state, 'closed');
		assert.equal(i.duplicate_of, n.crash);
		assert.ok(!i.labels.includes('needs-triage'));
	});

	it('the inbox shrank, on the page and in the API; screenshot with the security issue', async () => {
		const ib = await inbox();
		assert.deepEqual(ib.items.map((x) => x.number), [n.secret, n.sso]);
		assert.equal(ib.total, 2);
		assert.equal(ib.stats.inbox_size, 2);
		assert.equal(typeof ib.stats.median_time_to_triage_hours, 'number');
		await page.locator('.inbox-item').nth(1).waitFor();
		assert.equal(await page.locator('.inbox-item').count(), 2);
		await page.getByTestId('stat-inbox').filter({ hasText: /^2$/ }).waitFor();
		assert.equal((await page.getByTestId('inbox-badge').innerText()).trim(), '2');
		assert.notEqual(await page.getByTestId('stat-median').innerText(), '—', 'a median once something was triaged');

		await keys('k');
		await selected(n.secret);
		// Start a decision so the screenshot shows the key map in use.
		await keys('h', '2', 'Shift+N');
		await panel().locator('[data-field="board"] .choice.on[data-value="next"]').waitFor();
		await page.waitForTimeout(3200); // let the toasts fade
		await page.screenshot({ path: path.join(SHOTS, 'inbox.png') });
		const text = await detail().innerText();
		assert.match(text, /9\.8/);
		assert.match(text, /Critical/i);
		assert.match(text, /\d+ days? left|due today|\d+ days? overdue/);
	});

	it('o opens the issue page with the triage fields', async () => {
		await keys('o');
		await page.waitForURL(`${e.base}/issues/${n.secret}`);
		const side = page.getByRole('complementary', { name: 'Properties' });
		await side.waitFor();
		const t = await side.innerText();
		assert.match(t, /No Status/);
		assert.match(t, /9\.8/);
		assert.match(t, /Critical/);
		assert.match(t, /7 days left/);
		assert.match(t, /CVSS:3\.1\/AV:N/);
		// The edit form offers the vector for a security issue (e = edit).
		await keys('e');
		const form = page.getByRole('form', { name: 'Edit issue' });
		await form.waitFor();
		assert.equal(await form.getByLabel('CVSS vector').inputValue(), VECTOR);
		assert.equal(await form.getByLabel('Bug severity').isVisible(), false, 'no bug severity for a security issue');
		await keys('Escape');
		await form.waitFor({ state: 'detached' });
	});

	it('had no script errors in the page', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
