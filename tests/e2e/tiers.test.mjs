// Browser test of pricing tiers (issue #13): the "Pricing tier" panel on a
// feature's page and the tier matrix at /tiers — a real server on a fresh
// database, Debian's Chromium through playwright-core (tests/e2e/lib.mjs).
//
// Set up through the API: a PM and a viewer; three personas (two managers,
// one individual contributor); three customers of known tiers (Tiny Co on
// Starter, Midway on Premium, Acme on Enterprise); an active milestone; a
// feature request "Audit log export" in it with three asks — two from
// managers (Tiny Co, Midway), one from an individual contributor (Acme) — so
// the suggestion is "2 of 3 asks come from managers → Premium"; a story
// "Saved views" in the milestone, without evidence, set to Starter and moved
// to Premium by the PM (a tier move while the milestone runs).
//
//   (a) the PM opens the feature: the panel shows no decision and the
//       suggestion "… → Premium" with its numbers (asks by buyer level, by
//       customer tier); saving without a rationale shows the server's words
//       and marks the field; with the keyboard the PM sets Enterprise with a
//       rationale (Ctrl+Enter): decision and suggestion side by side, the
//       disagreement flagged, the change in the history
//   (b) on /tiers (through the top bar) the feature is a row of the
//       Enterprise group with its ✓ in the Enterprise column only, beside the
//       suggestion Premium and the flag; "Saved views" has no flag; the
//       Disagreements tab shows only the feature; the milestone filter shows
//       what each tier gains and the move of "Saved views"; Download CSV is
//       the server's CSV; the upsell list names Tiny Co (Starter) and Midway
//       with their ARR, biggest first; the mismatch list names the feature
//   (c) the PM edits the tier list: removing Enterprise (in use) is refused
//       with the server's message, verbatim; a new tier "Business" is added,
//       moved between Premium and Enterprise and saved (the matrix gets the
//       column); removed again
//   (d) the PM clears the tier of "Saved views" and sets it again
//   (e) a viewer sees the matrix and the panel and no write control
//   (f) at 390 px the tier matrix and the issue panel fit the width
//   Screenshots: tests/e2e/screenshots/tiers.png, issue-tier.png, tiers-390.png.
//
//   node --test tests/e2e/tiers.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { SHOTS, TZ, api, cli, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const PW = 'tiers-e2e-password-1';
const WHY = 'Audit trails are what compliance buyers pay the top tier for.';

let e;
let page;
const n = {};     // issue numbers
let ms;           // the active milestone
let pmToken;

function ymd(days) {
	return addDays(todayYmd(), days);
}

async function ok(method, p, body, status = 200, headers = {}) {
	const r = await api(e, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*', ...headers } : headers);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

/* The API as the PM (tier changes name them in the history). */
async function asPm(method, p, body, status = 200) {
	const r = await api({ base: e.base, token: pmToken }, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*' } : {});
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

async function logout() {
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/\/login/);
}

/* Let the toasts fade before a screenshot; full-page shots start at the top. */
async function settle(p = page) {
	await p.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
	await p.evaluate(() => window.scrollTo(0, 0));
}

function watch(p) {
	p.setDefaultTimeout(10000);
	p.on('pageerror', (err) => e.pageErrors.push(String(err)));
	p.on('console', (msg) => {
		if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) e.consoleErrors.push(msg.text());
	});
	return p;
}

const panel = () => page.getByTestId('issue-tier');
const row = (num, p = page) => p.locator(`[data-testid="tier-row"][data-number="${num}"]`);

describe('Pricing tiers: the issue panel, the tier matrix, the signals, the tier list', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-tiers-');
		page = e.page;
		for (const [login, name, role] of [['pat', 'Pat PM', 'pm'], ['vera', 'Vera Viewer', 'viewer']]) {
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		}
		pmToken = cli(e.db, ['token', 'new', 'pat']).trim();

		for (const [name, level] of [['Team lead', 'manager'], ['Engineering manager', 'manager'], ['Developer', 'individual']]) {
			await ok('POST', '/personas', { name, description: `${name} persona`, buyer_level: level }, 201);
		}
		await ok('POST', '/customers', { name: 'Tiny Co', tier: 'Starter', arr: 6000, seats: 8, strategic: false }, 201);
		await ok('POST', '/customers', { name: 'Midway', tier: 'Premium', arr: 42000, seats: 60, strategic: false }, 201);
		await ok('POST', '/customers', { name: 'Acme Corp', tier: 'Enterprise', arr: 250000, seats: 400, strategic: true }, 201);
		ms = await ok('POST', '/milestones', { title: '3.1', start: ymd(-6), due: ymd(8), capacity: 20 }, 201);

		n.audit = (await asPm('POST', '/issues', {
			title: 'Audit log export', type: 'feature', body: 'Export who did what, when, as CSV for the auditors.',
		}, 201)).number;
		n.views = (await asPm('POST', '/issues', { title: 'Saved views', type: 'story', body: 'Keep a filter and open it again.' }, 201)).number;
		n.bug = (await asPm('POST', '/issues', { title: 'Crash on empty export', type: 'bug', body: 'It crashed.' }, 201)).number;
		for (const num of [n.audit, n.views]) await ok('PATCH', `/issues/${num}`, { milestone: ms.id });

		const today = new Date(nowMs()).toISOString().replace(/\.\d+Z$/, 'Z');
		const asks = [
			['Tiny Co', 'Team lead', 'Our lead needs an audit trail for the SOC 2 review'],
			['Midway', 'Engineering manager', 'Managers want to export the audit log monthly'],
			['Acme Corp', 'Developer', 'A developer asked for the audit log as CSV'],
		];
		for (const [customer, persona, title] of asks) {
			const ins = await ok('POST', '/insights', { source: 'call', customer, persona, title, captured_at: today }, 201);
			await ok('POST', `/insights/${ins.id}/links`, { issue: n.audit, importance: 'important' });
		}
		// A move while the milestone runs: Starter, then Premium.
		await asPm('PUT', `/issues/${n.views}/tier`, { tier: 'Starter', rationale: 'Everyone saves views.' });
		await asPm('PUT', `/issues/${n.views}/tier`, { tier: 'Premium', rationale: 'Shared views are a team feature.' });

		const t = await ok('GET', `/issues/${n.audit}/tier`);
		assert.equal(t.suggestion.tier, 'Premium', JSON.stringify(t));
		assert.match(t.suggestion.reason, /2 of 3 asks come from managers → Premium/);
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) the PM sees the suggestion and sets Enterprise with a rationale: the disagreement is flagged', async () => {
		await loginWithKeyboard(e, 'pat', PW, `/issues/${n.audit}`);
		await panel().getByTestId('tier-suggestion').waitFor();
		assert.match(await panel().getByTestId('tier-decided').innerText(), /Not decided yet/);
		assert.match(await panel().getByTestId('tier-reason').innerText(), /2 of 3 asks come from managers → Premium/);
		assert.equal((await panel().getByTestId('tier-suggested-tier').innerText()).trim(), 'Premium');
		const byLevel = await panel().getByTestId('tier-by-level').innerText();
		assert.match(byLevel, /Individual\s+1/);
		assert.match(byLevel, /Manager\s+2/);
		assert.match(byLevel, /Executive\s+0/);
		const byTier = await panel().getByTestId('tier-by-tier').innerText();
		assert.match(byTier, /Starter\s+1/);
		assert.match(byTier, /Premium\s+1/);
		assert.match(byTier, /Enterprise\s+1/);
		assert.equal(await panel().getByTestId('tier-disagrees').count(), 0, 'nothing decided: nothing to disagree with');

		// Keyboard: focus "Set tier", Enter opens the form with the rationale focused.
		const setBtn = panel().getByTestId('tier-edit');
		assert.equal((await setBtn.innerText()).trim(), 'Set tier');
		await setBtn.focus();
		await page.keyboard.press('Enter');
		const form = panel().getByTestId('tier-form');
		await form.waitFor();
		assert.ok(await form.getByTestId('tier-rationale-input').evaluate((el) => el === document.activeElement), 'the rationale has the focus');
		assert.equal(await form.getByTestId('tier-select').inputValue(), 'Premium', 'the suggestion is preselected');
		assert.match(await form.getByTestId('tier-select').locator('option:checked').innerText(), /Premium \(suggested\)/);
		await form.getByTestId('tier-select').selectOption('Enterprise');

		// Without a rationale the server refuses: its words, the field marked, nothing changed.
		await form.getByTestId('tier-save').click();
		const refusal = await asPm('PUT', `/issues/${n.audit}/tier`, { tier: 'Enterprise', rationale: '' }, 422);
		await form.getByTestId('tier-form-msg').filter({ hasText: refusal.error.message }).waitFor();
		assert.equal(await form.getByTestId('tier-rationale-input').getAttribute('aria-invalid'), 'true');
		assert.equal(await form.getByTestId('tier-select').inputValue(), 'Enterprise', 'the choice survives the error');
		assert.equal((await ok('GET', `/issues/${n.audit}/tier`)).tier, null);

		await form.getByTestId('tier-rationale-input').focus();
		await page.keyboard.type(WHY);
		await page.keyboard.press('Control+Enter');
		await panel().getByTestId('tier-disagrees').waitFor();
		await form.waitFor({ state: 'detached' });
		assert.equal((await panel().getByTestId('tier-decided').innerText()).trim(), 'Enterprise');
		assert.equal((await panel().getByTestId('tier-rationale').innerText()).trim(), WHY);
		assert.match(await panel().getByTestId('tier-disagree-note').innerText(), /The evidence points to Premium; the decision is Enterprise/);
		assert.match(await panel().getByTestId('tier-decision').innerText(), /Set by pat/);
		assert.equal((await panel().getByTestId('tier-suggested-tier').innerText()).trim(), 'Premium', 'the suggestion stays beside the decision');
		assert.equal((await panel().getByTestId('tier-edit').innerText()).trim(), 'Change tier');
		assert.ok(await panel().getByTestId('tier-edit').evaluate((el) => el === document.activeElement), 'focus back on the button');
		const saved = await ok('GET', `/issues/${n.audit}/tier`);
		assert.equal(saved.tier, 'Enterprise');
		assert.equal(saved.rationale, WHY);
		assert.equal(saved.disagrees, true);
		// The history names the change.
		await page.locator('.history [data-field="tier"]').filter({ hasText: 'Enterprise' }).waitFor();
		assert.match(await page.locator('.history [data-field="tier"]').last().innerText(), /pat\s+changed tier\s+none\s+→\s+Enterprise/);

		// A bug has no tier panel.
		await page.goto(`${e.base}/issues/${n.bug}`);
		await page.getByTestId('issue-body').waitFor();
		await page.locator('.history .tl-item').first().waitFor();
		assert.ok(await panel().isHidden(), 'no tier panel on a bug');

		await page.goto(`${e.base}/issues/${n.audit}`);
		await panel().getByTestId('tier-disagrees').waitFor();
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'issue-tier.png'), fullPage: true });
	});

	it('(b) the matrix: the feature in the Enterprise column with the flag; the milestone; downloads; upsell and mismatch', async () => {
		await page.getByTestId('nav-tiers').click();
		await page.waitForURL(`${e.base}/tiers`);
		const r = row(n.audit);
		await r.waitFor();
		assert.equal(await page.getByTestId('nav-tiers').getAttribute('aria-current'), 'page');
		assert.equal(await r.getAttribute('data-tier'), 'Enterprise');
		assert.equal(await r.locator('td[data-tier="Enterprise"]').getAttribute('class'), 'pt-cell pt-cell-own');
		for (const t of ['Starter', 'Premium']) {
			assert.equal(await r.locator(`td[data-tier="${t}"]`).getAttribute('class'), 'pt-cell pt-cell-off', `not in ${t}`);
		}
		assert.equal(await page.locator('tbody[data-tier="Enterprise"]').locator(`[data-number="${n.audit}"]`).count(), 1, 'in the Enterprise group');
		const sugg = await r.getByTestId('tier-suggested').innerText();
		assert.match(sugg, /^Enterprise[\s\S]*≠[\s\S]*suggested[\s\S]*Premium[\s\S]*Disagrees$/);
		assert.equal(await r.getByTestId('tier-disagrees').count(), 1, 'the flag');
		// Saved views: Premium and up, no evidence, no flag.
		const v = row(n.views);
		assert.equal(await v.locator('td[data-tier="Premium"]').getAttribute('class'), 'pt-cell pt-cell-own');
		assert.equal(await v.locator('td[data-tier="Enterprise"]').getAttribute('class'), 'pt-cell pt-cell-on');
		assert.equal(await v.getByTestId('tier-disagrees').count(), 0);
		assert.match(await v.getByTestId('tier-suggested').innerText(), /no evidence/);
		assert.equal(await page.getByTestId('tier-row').count(), 2, 'the bug is no feature');
		assert.match(await page.getByTestId('tiers-count').innerText(), /2 features/);

		// Only the disagreements.
		await page.getByTestId('tiers-show-disagree').click();
		await page.waitForURL(`${e.base}/tiers?show=disagree`);
		await page.locator('[data-testid="tiers-show-disagree"][aria-current="page"]').waitFor();
		assert.equal(await page.getByTestId('tier-row').count(), 1);
		assert.equal(await row(n.audit).count(), 1);
		await page.getByTestId('tiers-show-all').click();
		await page.locator('[data-testid="tiers-show-all"][aria-current="page"]').waitFor();
		await row(n.views).waitFor();

		// The signals: Tiny Co (Starter) and Midway (Premium) ask above their tier, biggest ARR first.
		const ups = page.getByTestId('upsell-item');
		await ups.first().waitFor();
		assert.equal(await ups.count(), 2);
		const first = await ups.nth(0).innerText();
		const second = await ups.nth(1).innerText();
		assert.match(first, /Midway\s+Premium\s+\$42k/);
		assert.match(second, /Tiny Co\s+Starter\s+\$6k/);
		assert.match(second, new RegExp(`#${n.audit}\\s+Audit log export\\s+Enterprise`));
		assert.doesNotMatch(await page.getByTestId('tiers-upsell').innerText(), /Acme/, 'Acme is on Enterprise');
		const mm = page.getByTestId('mismatch-item');
		assert.equal(await mm.count(), 1);
		assert.match(await mm.innerText(), /Audit log export[\s\S]*2 of 3 asks from lower tiers/);

		// j / k: the rows by keyboard, Enter opens one.
		await page.locator('h1').click();
		await page.keyboard.press('j');
		assert.equal(await page.evaluate(() => document.activeElement.closest('tr')?.dataset.number), String(n.views), 'Premium group first');
		await page.keyboard.press('j');
		assert.equal(await page.evaluate(() => document.activeElement.closest('tr')?.dataset.number), String(n.audit));

		// Download CSV: the server's comparison table.
		const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('tiers-download-csv').click()]);
		assert.equal(dl.suggestedFilename(), 'tiers.csv');
		const csv = fs.readFileSync(await dl.path(), 'utf8');
		const apiCsv = await api(e, 'GET', '/tiers/matrix?format=csv');
		assert.equal(csv, apiCsv.text);
		assert.match(csv, new RegExp(`^${n.audit},Audit log export,no,no,yes$`, 'm'));
		assert.match(csv, new RegExp(`^${n.views},Saved views,no,yes,yes$`, 'm'));

		// The milestone: what each tier gains, the move of Saved views.
		await page.getByTestId('tiers-milestone').selectOption(String(ms.id));
		await page.waitForURL(`${e.base}/tiers?milestone=${ms.id}`);
		await page.getByRole('heading', { name: 'What each tier gains in 3.1' }).waitFor();
		assert.deepEqual(await page.getByTestId('tier-gain').allInnerTexts(), ['+0', '+1', '+2']);
		const moved = page.getByTestId('tier-moved');
		await moved.first().waitFor();
		assert.equal(await moved.count(), 1);
		assert.match(await moved.innerText(), new RegExp(`#${n.views}\\s+Saved views[\\s\\S]*Starter\\s*→\\s*Premium`));
		const md = page.getByTestId('tiers-download-md');
		assert.equal(await md.getAttribute('download'), 'tiers-3.1.md');
		const [mdl] = await Promise.all([page.waitForEvent('download'), md.click()]);
		const mdText = fs.readFileSync(await mdl.path(), 'utf8');
		assert.match(mdText, /# Features by tier in 3\.1/);
		assert.match(mdText, new RegExp(`\\| Audit log export \\(#${n.audit}\\) \\|  \\|  \\| ✓ \\|`));

		await page.getByTestId('tiers-milestone').selectOption('');
		await page.waitForURL(`${e.base}/tiers`);
		await row(n.audit).waitFor();
		await page.mouse.move(0, 0);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'tiers.png'), fullPage: true });
	});

	it('(c) the tier list: a tier in use is not removed (the server’s message), a new one is added, moved and saved', async () => {
		const ed = page.getByTestId('tier-editor');
		await ed.waitFor();
		assert.deepEqual(await ed.getByTestId('tier-name').evaluateAll((els) => els.map((x) => x.value)), ['Starter', 'Premium', 'Enterprise']);
		await ed.locator('li[data-name="Enterprise"]').getByTestId('tier-remove').click();
		await ed.getByTestId('tiers-unsaved').waitFor();
		await ed.getByTestId('tiers-save').click();
		const refusal = await asPm('PUT', '/tiers', { tiers: ['Starter', 'Premium'] }, 409);
		await ed.getByTestId('tiers-msg').filter({ hasText: refusal.error.message }).waitFor();
		assert.equal((await ed.getByTestId('tiers-msg').innerText()).trim(), refusal.error.message, 'verbatim');
		assert.deepEqual((await ok('GET', '/tiers')).tiers, ['Starter', 'Premium', 'Enterprise'], 'nothing changed');
		await ed.getByTestId('tiers-reset').click();
		assert.equal(await ed.getByTestId('tier-name').count(), 3);

		// Add "Business" (Enter in the field), move it up once: between Premium and Enterprise.
		await ed.getByTestId('tier-new-name').fill('Business');
		await ed.getByTestId('tier-new-name').press('Enter');
		assert.deepEqual(await ed.getByTestId('tier-name').evaluateAll((els) => els.map((x) => x.value)), ['Starter', 'Premium', 'Enterprise', 'Business']);
		await ed.locator('[data-testid="tier-up"][data-index="3"]').focus();
		await page.keyboard.press('Enter');
		assert.deepEqual(await ed.getByTestId('tier-name').evaluateAll((els) => els.map((x) => x.value)), ['Starter', 'Premium', 'Business', 'Enterprise']);
		assert.equal(await page.evaluate(() => document.activeElement.dataset.index), '2', 'focus follows the moved tier');
		await ed.getByTestId('tiers-save').click();
		await page.locator('thead th[data-tier="Business"]').waitFor();
		assert.deepEqual((await ok('GET', '/tiers')).tiers, ['Starter', 'Premium', 'Business', 'Enterprise']);
		assert.deepEqual(await page.locator('thead th.pt-tier-col').evaluateAll((els) => els.map((x) => x.dataset.tier)), ['Starter', 'Premium', 'Business', 'Enterprise']);
		assert.equal(await row(n.audit).locator('td[data-tier="Business"]').getAttribute('class'), 'pt-cell pt-cell-off');
		assert.equal(await row(n.views).locator('td[data-tier="Business"]').getAttribute('class'), 'pt-cell pt-cell-on');
		assert.equal(await ed.getByTestId('tiers-unsaved').count(), 0);

		// And out again (it holds no feature).
		await ed.locator('li[data-name="Business"]').getByTestId('tier-remove').click();
		await ed.getByTestId('tiers-save').click();
		await page.locator('thead th[data-tier="Business"]').waitFor({ state: 'detached' });
		assert.deepEqual((await ok('GET', '/tiers')).tiers, ['Starter', 'Premium', 'Enterprise']);
	});

	it('(d) the PM clears a tier and sets it again', async () => {
		await page.goto(`${e.base}/issues/${n.views}`);
		await panel().getByTestId('tier-edit').click();
		await panel().getByTestId('tier-clear').click();
		await panel().getByTestId('tier-decided').filter({ hasText: 'Not decided yet' }).waitFor();
		const none = await ok('GET', `/issues/${n.views}/tier`);
		assert.equal(none.tier, null);
		assert.equal(none.suggestion.tier, null);
		await page.locator('.history [data-field="tier"]').filter({ hasText: /Premium\s+→\s+none/ }).waitFor();
		assert.equal((await panel().getByTestId('tier-reason').innerText()).trim(), none.suggestion.reason, 'the server says why there is no suggestion');
		assert.equal((await panel().getByTestId('tier-suggested-tier').innerText()).trim(), 'No suggestion');
		await panel().getByTestId('tier-edit').click();
		await panel().getByTestId('tier-select').selectOption('Premium');
		await panel().getByTestId('tier-rationale-input').fill('Shared views are a team feature.');
		await panel().getByTestId('tier-save').click();
		await panel().getByTestId('tier-decided').filter({ hasText: 'Premium' }).waitFor();
		assert.equal((await ok('GET', `/issues/${n.views}/tier`)).tier, 'Premium');
		await logout();
	});

	it('(e) a viewer sees the matrix and the panel, and no write control', async () => {
		await loginWithKeyboard(e, 'vera', PW, '/tiers');
		await row(n.audit).waitFor();
		await page.getByTestId('upsell-item').first().waitFor();
		assert.equal(await page.getByTestId('tier-editor').count(), 0, 'no tier list editor');
		assert.equal(await page.locator('main input:not([type=search]), main textarea, main button').count(), 0, 'no write control on /tiers');
		assert.ok(await page.getByTestId('tiers-download-csv').isVisible(), 'reading and downloading are for everyone');

		await page.goto(`${e.base}/issues/${n.audit}`);
		await panel().getByTestId('tier-disagrees').waitFor();
		assert.equal((await panel().getByTestId('tier-decided').innerText()).trim(), 'Enterprise');
		assert.equal(await panel().getByTestId('tier-edit').count(), 0);
		assert.equal(await panel().locator('button, select, textarea, input').count(), 0, 'the panel is read only');
		await logout();
	});

	it('(f) at 390 px the matrix and the panel fit the width', async () => {
		const ctx = await e.browser.newContext({
			viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-US', timezoneId: TZ, colorScheme: 'light',
		});
		if (process.env.CAIRN_NOW) await ctx.clock.setFixedTime(nowMs());
		const p = watch(await ctx.newPage());
		await p.goto(`${e.base}/login?next=${encodeURIComponent('/tiers')}`);
		await p.getByLabel('Login').fill('pat');
		await p.getByLabel('Password').fill(PW);
		await p.getByLabel('Password').press('Enter');
		await p.waitForURL(`${e.base}/tiers`);
		await row(n.audit, p).waitFor();
		await p.getByTestId('upsell-item').first().waitFor();
		const fits = () => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
		assert.ok(await fits(), 'no horizontal scroll on /tiers');
		assert.ok(await p.getByTestId('nav-tiers').isVisible(), 'Tiers in the top bar');
		// The matrix scrolls inside its box; the feature column stays put.
		const wrap = p.locator('.pt-matrix-wrap');
		assert.ok(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth), 'the matrix scrolls sideways in its box');
		const feat = row(n.audit, p).locator('th.pt-feature');
		const x0 = (await feat.boundingBox()).x;
		await wrap.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
		assert.equal(Math.round((await feat.boundingBox()).x), Math.round(x0), 'the feature column is sticky');
		assert.ok(await row(n.audit, p).getByTestId('tier-disagrees').isVisible(), 'the flag scrolls into view');
		await wrap.evaluate((el) => { el.scrollLeft = 0; });
		const ed = p.getByTestId('tier-editor');
		assert.ok((await ed.boundingBox()).x + (await ed.boundingBox()).width <= 390, 'the editor fits');
		await settle(p);
		await p.screenshot({ path: path.join(SHOTS, 'tiers-390.png'), fullPage: true });

		await p.goto(`${e.base}/issues/${n.audit}`);
		await p.getByTestId('issue-tier').getByTestId('tier-disagrees').waitFor();
		await p.getByTestId('issue-tier').getByTestId('tier-edit').click();
		await p.getByTestId('tier-form').waitFor();
		assert.ok(await fits(), 'no horizontal scroll on the issue page');
		const box = await p.getByTestId('issue-tier').boundingBox();
		assert.ok(box.x >= 0 && box.x + box.width <= 390, `the panel fits (${box.x}+${box.width})`);
		await ctx.close();
	});

	it('had no script errors in the pages', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
