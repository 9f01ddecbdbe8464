// Browser test of strategy and the roadmap (issue #12): the strategy page,
// an initiative, the roadmap (Now / Next / Later and the timeline) and the
// investment allocation — a real server on a fresh database, Debian's
// Chromium through playwright-core (tests/e2e/lib.mjs).
//
// Set up through the API: a PM, a viewer, an engineer who owns an
// initiative; two pillars with intended shares, an objective with a key
// result, a milestone; two epics with sized stories, some of them done in the
// past days (throughput for the forecast, through the CLI with an earlier
// CAIRN_NOW), a bug and an unplanned story done too; two initiatives: one with
// a far target ("Self-serve onboarding", public), one with a near target
// ("Enterprise SSO": its forecast is past the target, so the suggested health
// is off track / at risk); a customer insight behind a story.
//
//   (a) the PM writes the strategy document, edits it again, compares the
//       two versions (the diff shows the changed line, removed and added,
//       with line numbers), marks the strategy reviewed (the overdue banner
//       goes), updates a key result's current value inline
//   (b) the PM posts an "on track" update on Enterprise SSO: the stated
//       health differs from the suggestion and the warning shows (on the
//       initiative and on its card on /strategy); adds an epic by number and
//       takes it out again; edits the description
//   (c) on the roadmap the PM drags Self-serve onboarding from Now to Later
//       with a real mouse drag; after a reload it is still in Later; with the
//       keyboard ("<" twice) it goes back to Now; Export Markdown shows the
//       server's Markdown
//   (d) the timeline: milestones as columns, a bar per dated initiative, the
//       forecast range (50..95 %) of each drawn where the dates say (SSO's
//       after its target), the today line; re-dating by keyboard moves a bar
//   (e) the allocation: a stacked bar for the milestone, the shares as text
//       (Growth 61.5 %, bugs, unplanned) beside the intended shares
//   (f) the admin switches the public roadmap on: anonymous readers see the
//       public initiative, not the other one, never an issue
//   (g) a viewer sees everything and no write control
//   (h) at 390 px the strategy page and the roadmap fit the width
//   Screenshots: tests/e2e/screenshots/strategy.png, initiative.png,
//   roadmap.png, roadmap-timeline.png, allocation.png, strategy-390.png.
//
//   node --test tests/e2e/strategy.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, TZ, api, cli, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { DAY_MS, addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const PW = 'strategy-e2e-password-1';
const V1 = '# Strategy\n\nWe help operations teams fix problems before their customers notice.\n\n## Bets\n\n- Self-serve onboarding\n- Enterprise single sign-on\n';
const V2 = '# Strategy\n\nWe help operations teams fix problems before their customers notice.\n\n## Bets\n\n- Self-serve onboarding\n- Enterprise single sign-on and SCIM\n- A public roadmap\n';

let e;
let page;
const n = {};    // issue numbers
const id = {};   // pillar, objective, kr, initiative ids
let pmToken;

function ymd(days) {
	return addDays(todayYmd(), days);
}

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*' } : {});
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

async function asPm(method, p, body, status = 200) {
	const r = await api({ base: e.base, token: pmToken }, method, p, body);
	assert.equal(r.status, status, `${method} ${p} (as the PM): ${r.text}`);
	return r.json;
}

/* Close an issue `days` ago (the CLI with an earlier clock): throughput in the past. */
function closeDaysAgo(num, days) {
	const at = new Date(nowMs() - days * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z');
	cli(e.db, ['issue', 'close', String(num), '--as', 'admin'], { env: { CAIRN_NOW: at } });
}

async function logout(p = page) {
	await p.getByRole('button', { name: 'Log out' }).click();
	await p.waitForURL(/\/login/);
}

async function settle(p = page) {
	await p.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

function watch(p) {
	p.setDefaultTimeout(10000);
	p.on('pageerror', (err) => e.pageErrors.push(String(err)));
	p.on('console', (msg) => {
		if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) e.consoleErrors.push(msg.text());
	});
	return p;
}

async function newContext(opts = {}) {
	const ctx = await e.browser.newContext({
		viewport: { width: 1360, height: 860 }, locale: 'en-US', timezoneId: TZ, colorScheme: 'light', ...opts,
	});
	if (process.env.CAIRN_NOW) await ctx.clock.setFixedTime(nowMs());
	return ctx;
}

async function signIn(p, login, next) {
	await p.goto(`${e.base}/login?next=${encodeURIComponent(next)}`);
	await p.getByLabel('Login').fill(login);
	await p.getByLabel('Password').fill(PW);
	await p.getByLabel('Password').press('Enter');
	await p.waitForURL(`${e.base}${next}`);
}

const localDay = (iso) => new Intl.DateTimeFormat('en-US', { timeZone: TZ, year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(iso));
const lane = (key, p = page) => p.getByTestId(`lane-${key}`);
const card = (initId, p = page) => p.locator(`[data-testid="rm-card"][data-id="${initId}"]`);

describe('Strategy and roadmap: the strategy page, initiatives, the roadmap, allocation', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-strategy-');
		page = e.page;
		await e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e.base });
		for (const [login, name, role] of [['pat', 'Pat PM', 'pm'], ['olga', 'Olga Owner', 'engineer'], ['vera', 'Vera Viewer', 'viewer']]) {
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		}
		pmToken = cli(e.db, ['token', 'new', 'pat']).trim();

		// Pillars with the share of shipped points the strategy intends for them.
		id.growth = (await ok('POST', '/pillars', { name: 'Growth', description: 'More teams start on their own' }, 201)).id;
		id.trust = (await ok('POST', '/pillars', { name: 'Trust', description: 'Security and compliance' }, 201)).id;
		await asPm('PATCH', `/pillars/${id.growth}`, { target_share: 60 });
		await asPm('PATCH', `/pillars/${id.trust}`, { target_share: 30 });
		const obj = await asPm('POST', '/objectives', { title: 'Grow self-serve revenue', description: 'Teams start without a sales call.', period: 'FY2027', pillars: [id.growth] }, 201);
		id.objective = obj.id;
		const withKr = await asPm('POST', `/objectives/${obj.id}/key-results`, { metric: 'Self-serve signups per month', baseline: 100, target: 300, current: 150 }, 201);
		id.kr = withKr.key_results[0].id;

		const ms = await ok('POST', '/milestones', { title: '4.1', start: ymd(-13), due: ymd(1), capacity: 40 }, 201);
		id.milestone = ms.id;
		const make = async (fields) => (await ok('POST', '/issues', fields, 201)).number;
		// Epic A (Self-serve onboarding): 5 + 3 done, 3 open, one story not sized.
		n.epicA = await make({ title: 'Guided setup', type: 'epic' });
		n.a1 = await make({ title: 'Setup wizard', type: 'story', parent: n.epicA, pm_size: 5 });
		n.a2 = await make({ title: 'Sample data', type: 'story', parent: n.epicA, pm_size: 3 });
		n.a3 = await make({ title: 'Invite teammates', type: 'story', parent: n.epicA, pm_size: 3 });
		n.a4 = await make({ title: 'Product tour', type: 'story', parent: n.epicA });
		// Epic B (Enterprise SSO): 21 points, none done.
		n.epicB = await make({ title: 'SAML login', type: 'epic' });
		n.b1 = await make({ title: 'SAML metadata', type: 'story', parent: n.epicB, pm_size: 8 });
		n.b2 = await make({ title: 'SCIM provisioning', type: 'story', parent: n.epicB, pm_size: 8 });
		n.b3 = await make({ title: 'Okta app', type: 'story', parent: n.epicB, pm_size: 5 });
		// An epic in no initiative (added and taken out in the UI), a bug and unplanned work.
		n.epicC = await make({ title: 'Audit log export', type: 'epic' });
		n.bug = await make({ title: 'Fix the invite e-mail', type: 'bug', pm_size: 2 });
		n.misc = await make({ title: 'Faster search', type: 'story', pm_size: 3 });
		for (const num of [n.a1, n.a2, n.a3, n.b1, n.b2, n.b3, n.bug, n.misc]) await ok('PATCH', `/issues/${num}`, { milestone: ms.id });
		// Done in the past days: 13 points in the last 28 days (≈ 0.46 a day).
		closeDaysAgo(n.a1, 9);
		closeDaysAgo(n.a2, 4);
		closeDaysAgo(n.bug, 6);
		closeDaysAgo(n.misc, 2);

		// Initiatives: a far target (public) and a near one.
		const self = await asPm('POST', '/initiatives', {
			title: 'Self-serve onboarding', description: 'Sign up, invite the team, go.', owner: 'pat', pillar: id.growth,
			objectives: [obj.id], horizon: 'now', start: ymd(-30), target: ymd(120), status: 'active', public: true,
		}, 201);
		const sso = await asPm('POST', '/initiatives', {
			title: 'Enterprise SSO', description: 'SAML and SCIM for the big accounts.', owner: 'olga', pillar: id.trust,
			objectives: [], horizon: 'now', start: ymd(-20), target: ymd(10), status: 'active', public: false,
		}, 201);
		id.self = self.id;
		id.sso = sso.id;
		await asPm('POST', `/initiatives/${id.self}/epics`, { number: n.epicA });
		await asPm('POST', `/initiatives/${id.sso}/epics`, { number: n.epicB });

		// A customer asked for the setup wizard.
		await ok('POST', '/customers', { name: 'Acme Corp', tier: 'Enterprise', arr: 250000, seats: 400, strategic: true }, 201);
		const today = new Date(nowMs()).toISOString().replace(/\.\d+Z$/, 'Z');
		const ask = await ok('POST', '/insights', { source: 'call', customer: 'Acme Corp', title: 'New teams get lost in setup', captured_at: today }, 201);
		await ok('POST', `/insights/${ask.id}/links`, { issue: n.a3, importance: 'critical' });

		// The computed side, as the server sees it.
		const s = await asPm('GET', `/initiatives/${id.sso}`);
		assert.ok(['off_track', 'at_risk'].includes(s.suggested_health), `SSO's suggestion: ${JSON.stringify(s)}`);
		assert.equal(s.progress.points, 21);
		assert.ok(s.forecast.p50 > s.target, `the 50 % date is past the target: ${JSON.stringify(s.forecast)}`);
		const a = await asPm('GET', `/initiatives/${id.self}`);
		assert.equal(a.progress.done_points, 8);
		assert.equal(a.progress.unsized, 1);
		assert.equal(a.suggested_health, 'on_track');
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) the PM writes the strategy twice, compares the versions, marks it reviewed, updates a key result', async () => {
		await loginWithKeyboard(e, 'pat', PW, '/strategy');
		await page.getByRole('heading', { name: 'Strategy', level: 1 }).waitFor();
		// Never reviewed: the overdue banner.
		const overdue = page.getByTestId('review-overdue');
		await overdue.waitFor();
		assert.match(await overdue.innerText(), /never been reviewed/);
		assert.equal(await overdue.getAttribute('role'), 'alert');
		await page.getByTestId('strategy-doc').getByText('No strategy written yet').waitFor();

		// Version 1.
		await page.getByTestId('doc-edit').click();
		const input = page.getByTestId('doc-input');
		await input.waitFor();
		assert.ok(await input.evaluate((el) => el === document.activeElement), 'the text area has focus');
		await input.fill(V1);
		await page.getByTestId('doc-note-input').fill('First cut');
		await page.getByTestId('doc-save').click();
		const doc = page.getByTestId('strategy-doc');
		await doc.getByTestId('doc-body').locator('h1', { hasText: 'Strategy' }).waitFor();
		await doc.getByTestId('doc-note').filter({ hasText: 'First cut' }).waitFor();
		const v1 = (await ok('GET', '/strategy')).version;
		assert.equal(v1.body, V1);
		assert.equal(v1.author, 'pat');
		assert.match(await doc.getByTestId('doc-version').innerText(), new RegExp(`Version ${v1.id}`));

		// Version 2, saved with Ctrl+Enter.
		await doc.getByTestId('doc-edit').click();
		await input.waitFor();
		assert.equal(await input.inputValue(), V1, 'the form starts from the current text');
		await input.fill(V2);
		await page.getByTestId('doc-note-input').fill('SCIM and the public roadmap');
		await input.press('Control+Enter');
		await doc.getByTestId('doc-body').getByText('A public roadmap').waitFor();
		const v2 = (await ok('GET', '/strategy')).version;
		assert.notEqual(v2.id, v1.id);
		assert.match(await doc.getByTestId('doc-version').innerText(), new RegExp(`Version ${v2.id}`));
		assert.ok(await doc.getByTestId('doc-edit').evaluate((el) => el === document.activeElement), 'focus back on Edit');
		// The same text again is no new version.
		await doc.getByTestId('doc-edit').click();
		await page.getByTestId('doc-save').click();
		await page.locator('.toast', { hasText: 'Nothing changed' }).waitFor();
		assert.equal((await ok('GET', '/strategy')).versions, 2);

		// History: pick the two versions (the newest two are preselected) and compare.
		await doc.getByTestId('doc-history').click();
		await doc.getByTestId('version-row').nth(1).waitFor();
		assert.equal(await doc.getByTestId('version-row').count(), 2);
		assert.match(await doc.getByTestId('version-row').first().innerText(), /SCIM and the public roadmap/);
		await doc.locator(`[data-testid="version-row"][data-id="${v1.id}"] [data-testid="pick-from"]`).check();
		await doc.locator(`[data-testid="version-row"][data-id="${v2.id}"] [data-testid="pick-to"]`).check();
		await doc.getByTestId('compare').click();
		const diff = doc.getByTestId('diff');
		await diff.waitFor();
		const del = diff.locator('[data-testid="diff-line"][data-op="del"]');
		const add = diff.locator('[data-testid="diff-line"][data-op="add"]');
		assert.equal(await del.count(), 1);
		assert.equal(await add.count(), 2);
		assert.match(await del.first().innerText(), /^8\s+−\s*removed\s+- Enterprise single sign-on$/m);
		assert.match(await add.first().innerText(), /8\s+\+\s*added\s+- Enterprise single sign-on and SCIM/);
		assert.match(await add.nth(1).innerText(), /9\s+\+\s*added\s+- A public roadmap/);
		assert.equal((await diff.getByTestId('diff-added').innerText()).trim(), '+2');
		assert.equal((await diff.getByTestId('diff-removed').innerText()).trim(), '−1');
		const server = await ok('GET', `/strategy/diff?from=${v1.id}&to=${v2.id}`);
		assert.equal(await diff.getByTestId('diff-line').count(), server.lines.length);
		// Removed and added lines are coloured apart.
		const bg = async (loc) => loc.evaluate((el) => getComputedStyle(el).backgroundColor);
		assert.notEqual(await bg(del.first()), await bg(add.first()));
		assert.notEqual(await bg(del.first()), await bg(diff.locator('[data-op="same"]').first()));

		// Mark reviewed: the banner goes, the next review date shows.
		await page.getByTestId('mark-reviewed').click();
		const okBox = page.getByTestId('review-ok');
		await okBox.waitFor();
		assert.equal(await page.getByTestId('review-overdue').count(), 0);
		const st = await ok('GET', '/strategy');
		assert.equal(st.review_overdue, false);
		assert.ok(st.last_reviewed);
		assert.match(await okBox.innerText(), new RegExp(`Last reviewed ${localDay(st.last_reviewed)}`));
		assert.match(await okBox.innerText(), new RegExp(`next review due ${localDay(st.review_due)}`));

		// A key result's current value, updated inline.
		const kr = page.locator(`[data-testid="kr"][data-id="${id.kr}"]`);
		assert.match(await kr.getByTestId('kr-values').innerText(), /baseline 100\s*→\s*now 150\s*→\s*target 300/);
		assert.equal((await kr.getByTestId('kr-progress').innerText()).trim(), '25 %');
		await kr.getByTestId('kr-update').click();
		await kr.getByTestId('kr-current-input').fill('180');
		await kr.getByTestId('kr-current-input').press('Enter');
		await kr.getByTestId('kr-current').filter({ hasText: '180' }).waitFor();
		assert.equal((await page.locator(`[data-testid="kr"][data-id="${id.kr}"]`).getByTestId('kr-progress').innerText()).trim(), '40 %');
		const o = (await ok('GET', '/strategy')).objectives.find((x) => x.id === id.objective);
		assert.equal(o.key_results[0].current, 180);

		// Pillars with their intended share; initiatives grouped by pillar.
		assert.match(await page.locator(`[data-testid="pillar"][data-id="${id.growth}"]`).innerText(), /Intended share\s*60 %/i);
		const groups = await page.getByTestId('initiative-group').evaluateAll((els) => els.map((g) => g.querySelector('h3').textContent));
		assert.match(groups[0], /^Growth/);
		assert.match(groups[1], /^Trust/);
		const selfCard = page.locator(`[data-testid="initiative-card"][data-id="${id.self}"]`);
		const selfText = await selfCard.innerText();
		assert.match(selfText, /8 \/ 11 pts/);
		assert.match(selfText, /1 unsized/);
		assert.match(selfText, /Acme Corp/);
		assert.match(selfText, /\$250k/);
		assert.match(await selfCard.getByTestId('forecast').innerText(), /50 %[\s\S]*85 %[\s\S]*95 %/);
		// The history names the changes.
		const hist = page.getByTestId('strategy-history');
		await hist.getByTestId('history-item').first().waitFor();
		assert.match(await hist.innerText(), /pat saved the strategy document/);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'strategy.png'), fullPage: true });
	});

	it('(b) a stated health that differs from the suggestion shows a warning; epics are added and taken out', async () => {
		await page.locator(`[data-testid="initiative-card"][data-id="${id.sso}"]`).getByTestId('initiative-link').click();
		await page.waitForURL(`${e.base}/strategy/initiatives/${id.sso}`);
		await page.getByTestId('initiative-title').filter({ hasText: 'Enterprise SSO' }).waitFor();
		assert.equal(await page.getByTestId('health').getByTestId('health-gap').count(), 0, 'no stated health yet: no gap');
		assert.match(await page.getByTestId('health').getByTestId('health-stated').innerText(), /Not stated/);
		const sso = await ok('GET', `/initiatives/${id.sso}`);
		const suggested = sso.suggested_health === 'off_track' ? 'off track' : 'at risk';

		// The PM posts "on track".
		const form = page.getByTestId('update-form');
		await form.getByTestId('update-health-on_track').check();
		await form.getByTestId('update-text').fill('The vendor contract is signed.');
		await form.getByTestId('post-update').click();
		await page.getByTestId('update').first().filter({ hasText: 'The vendor contract is signed.' }).waitFor();
		const gap = page.getByTestId('health').getByTestId('health-gap');
		await gap.waitFor();
		assert.match(await gap.innerText(), new RegExp(`Stated on track, but the forecast suggests ${suggested}\\.`));
		assert.match(await page.getByTestId('health').getByTestId('health-stated').innerText(), /On track/);
		assert.match(await page.getByTestId('health').getByTestId('health-suggested').innerText(), new RegExp(suggested, 'i'));
		const after1 = await ok('GET', `/initiatives/${id.sso}`);
		assert.equal(after1.health, 'on_track');
		assert.equal(after1.health_update.author, 'pat');
		assert.equal(after1.updates.length, 1);

		// Epics: add one by number, take it out again.
		const epics = page.getByTestId('epics');
		assert.equal(await epics.getByTestId('epic-row').count(), 1);
		assert.equal(await epics.getByTestId('epic-link').first().getAttribute('href'), `/issues/${n.epicB}`);
		await epics.getByTestId('add-epic-number').fill(String(n.a1));
		await epics.getByTestId('add-epic').click();
		await epics.getByRole('alert').waitFor();
		assert.ok((await epics.getByRole('alert').innerText()).length > 0, 'a story is refused with the server’s words');
		assert.equal(await epics.getByTestId('epic-row').count(), 1);
		await epics.getByTestId('add-epic-number').fill(`#${n.epicC}`);
		await epics.getByTestId('add-epic-number').press('Enter');
		await epics.locator(`[data-testid="epic-row"][data-number="${n.epicC}"]`).waitFor();
		assert.deepEqual((await ok('GET', `/initiatives/${id.sso}`)).epics.map((x) => x.number).sort((x, y) => x - y), [n.epicB, n.epicC]);
		await epics.getByRole('button', { name: `Remove epic #${n.epicC} from this initiative` }).click();
		await epics.locator(`[data-testid="epic-row"][data-number="${n.epicC}"]`).waitFor({ state: 'detached' });
		assert.deepEqual((await ok('GET', `/initiatives/${id.sso}`)).epics.map((x) => x.number), [n.epicB]);

		// Edit: the description (the form names what it sends; If-Match the version).
		await page.getByTestId('initiative-edit').click();
		const edit = page.getByTestId('initiative-form');
		await edit.waitFor();
		await edit.getByLabel('Description', { exact: true }).fill('SAML, SCIM and audit for the big accounts.');
		await edit.getByTestId('init-save').click();
		await page.getByTestId('initiative-description').filter({ hasText: 'SAML, SCIM and audit' }).waitFor();
		assert.equal((await ok('GET', `/initiatives/${id.sso}`)).description, 'SAML, SCIM and audit for the big accounts.');
		await page.getByTestId('init-history').getByTestId('history-item').first().waitFor();
		assert.match(await page.getByTestId('init-history').innerText(), /pat changed health of Enterprise SSO/);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'initiative.png'), fullPage: true });

		// The card on /strategy shows the gap too.
		await page.getByRole('link', { name: 'Strategy', exact: true }).first().click();
		await page.waitForURL(`${e.base}/strategy`);
		const c = page.locator(`[data-testid="initiative-card"][data-id="${id.sso}"]`);
		await c.getByTestId('health-gap').waitFor();
		assert.match(await c.getByTestId('health-stated').innerText(), /On track/);
		assert.equal(await page.locator(`[data-testid="initiative-card"][data-id="${id.self}"]`).getByTestId('health-gap').count(), 0);
		assert.match(await page.getByTestId('gap-count').innerText(), /1 stated ≠ suggested/);
	});

	it('(c) the roadmap: a mouse drag from Now to Later stays after a reload; the keyboard moves it back', async () => {
		await page.getByTestId('st-tab-roadmap').click();
		await page.waitForURL(`${e.base}/strategy/roadmap`);
		await lane('now').locator(card(id.self)).waitFor();
		assert.equal(await lane('now').getByTestId('rm-card').count(), 2);
		assert.equal(await card(id.self).getAttribute('draggable'), 'true');
		assert.equal(await card(id.sso).getByTestId('health-gap').count(), 1, 'the gap shows on the roadmap card');

		// A real mouse drag (HTML5 drag and drop) into the Later column.
		const from = await card(id.self).boundingBox();
		const to = await lane('later').getByTestId('lane-list').boundingBox();
		await page.mouse.move(from.x + from.width / 2, from.y + 14);
		await page.mouse.down();
		await page.mouse.move(from.x + from.width / 2 + 20, from.y + 30, { steps: 4 });
		await page.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 12 });
		await page.mouse.up();
		await lane('later').locator(card(id.self)).waitFor();
		await page.getByTestId('rm-live').filter({ hasText: 'Moved Self-serve onboarding to Later' }).waitFor();
		assert.equal((await ok('GET', `/initiatives/${id.self}`)).horizon, 'later');
		const history = await ok('GET', '/strategy/history');
		assert.ok(history.items.some((x) => x.object === `initiative ${id.self}` && x.field === 'horizon' && x.new === 'later'), 'the move is in the history');

		await page.reload();
		await lane('later').locator(card(id.self)).waitFor();
		assert.equal(await lane('now').locator(card(id.self)).count(), 0, 'still in Later after a reload');

		// The keyboard: focus the card, "<" to Next, "<" to Now; the focus stays on it.
		await card(id.self).focus();
		await page.keyboard.press('<');
		await lane('next').locator(card(id.self)).waitFor();
		assert.ok(await card(id.self).evaluate((el) => el === document.activeElement), 'the moved card keeps the focus');
		await page.keyboard.press('<');
		await lane('now').locator(card(id.self)).waitFor();
		await page.getByTestId('rm-live').filter({ hasText: 'Moved Self-serve onboarding to Now' }).waitFor();
		assert.equal((await ok('GET', `/initiatives/${id.self}`)).horizon, 'now');
		// "<" in the first column says so and changes nothing.
		await card(id.self).focus();
		await page.keyboard.press('<');
		await page.getByTestId('rm-live').filter({ hasText: 'already in Now' }).waitFor();
		// Alt+↓ re-orders within the column.
		const order = () => lane('now').getByTestId('rm-card').evaluateAll((els) => els.map((x) => Number(x.dataset.id)));
		const before1 = await order();
		await card(before1[0]).focus();
		await page.keyboard.press('Alt+ArrowDown');
		await page.waitForFunction(([sel, first]) => Number(document.querySelector(sel).dataset.id) !== first,
			['[data-testid="lane-now"] [data-testid="rm-card"]', before1[0]]);
		assert.deepEqual(await order(), [before1[1], before1[0]]);
		const lanes = (await ok('GET', '/roadmap')).lanes.now.filter((x) => x.kind === 'initiative').map((x) => x.id);
		assert.deepEqual(lanes, [before1[1], before1[0]], 'the server keeps the new order');

		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'roadmap.png'), fullPage: true });

		// Export Markdown: the server's text, copied as it is.
		await page.getByTestId('export-md').click();
		const md = page.getByTestId('roadmap-md');
		await md.waitFor();
		const serverMd = (await api(e, 'GET', '/roadmap?format=markdown')).text;
		assert.equal((await md.innerText()).trim(), serverMd.trim());
		assert.match(serverMd, /Self-serve onboarding/);
		await page.getByTestId('roadmap-md-copy').click();
		await page.getByTestId('roadmap-md-copy').filter({ hasText: 'Copied' }).waitFor();
		assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trim(), serverMd.trim());
	});

	it('(d) the timeline: bars from start to target, the forecast ranges, today; re-dating by keyboard', async () => {
		await page.getByTestId('rm-view-timeline').click();
		await page.waitForURL(`${e.base}/strategy/roadmap?view=timeline`);
		const svgEl = page.getByTestId('timeline-svg');
		await svgEl.waitFor();
		assert.equal(await svgEl.getByTestId('tl-bar').count(), 2);
		assert.equal(await svgEl.getByTestId('tl-forecast').count(), 2, 'both have work left: two forecast ranges');
		assert.equal(await svgEl.getByTestId('tl-today').count(), 1);
		assert.ok(await svgEl.getByTestId('tl-milestone').count() >= 1, 'the milestone is a column');
		const sso = await ok('GET', `/initiatives/${id.sso}`);
		const box = async (loc) => loc.boundingBox();
		const bar = await box(svgEl.locator(`[data-testid="tl-bar"][data-id="${id.sso}"]`));
		const fc = svgEl.locator(`[data-testid="tl-forecast"][data-id="${id.sso}"]`);
		assert.equal(await fc.getAttribute('data-p50'), sso.forecast.p50);
		assert.equal(await fc.getAttribute('data-p95'), sso.forecast.p95);
		const band = await box(fc.locator('rect'));
		assert.ok(band.x >= bar.x + bar.width - 1, `SSO's forecast (from ${sso.forecast.p50}) starts after its target ${sso.target}`);
		assert.ok(band.width > 2, 'the 50..95 % range has a width');
		const today = await box(svgEl.getByTestId('tl-today'));
		assert.ok(today.x > bar.x && today.x < bar.x + bar.width, 'today lies within SSO’s dates');
		// The forecast band looks different from the bar (a hatch, not a fill colour).
		const fill = await fc.locator('rect').getAttribute('fill');
		assert.match(fill, /^url\(#/);

		// Re-date Self-serve onboarding with the keyboard in the dates table.
		const row = page.locator(`[data-testid="redate-row"][data-id="${id.self}"]`);
		const oldBar = await box(svgEl.locator(`[data-testid="tl-bar"][data-id="${id.self}"]`));
		const target = row.getByTestId('redate-target');
		await target.focus();
		await target.fill(ymd(60));
		await target.press('Enter');
		await page.locator(`[data-testid="tl-bar"][data-id="${id.self}"][data-target="${ymd(60)}"]`).waitFor();
		assert.equal((await ok('GET', `/initiatives/${id.self}`)).target, ymd(60));
		const newBar = await box(page.locator(`[data-testid="tl-bar"][data-id="${id.self}"]`));
		assert.ok(newBar.width < oldBar.width, 'the bar got shorter');
		// A target before the start is refused with the server's words.
		const target2 = page.locator(`[data-testid="redate-row"][data-id="${id.self}"]`).getByTestId('redate-target');
		await target2.fill(ymd(-60));
		await page.locator(`[data-testid="redate-row"][data-id="${id.self}"]`).getByTestId('redate-save').click();
		await page.getByRole('alert').filter({ hasText: /target must not be before start/ }).waitFor();
		assert.equal((await ok('GET', `/initiatives/${id.self}`)).target, ymd(60));
		await page.reload();
		await page.getByTestId('timeline-svg').waitFor();
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'roadmap-timeline.png'), fullPage: true });
	});

	it('(e) the investment allocation: shares per milestone beside the intended ones', async () => {
		await page.getByTestId('st-tab-allocation').click();
		await page.waitForURL(`${e.base}/strategy/allocation`);
		const chart = page.getByTestId('alloc-chart');
		await chart.waitFor();
		const server = await ok('GET', '/strategy/allocation?by=milestone&last=6');
		const bucket = server.buckets.find((b) => b.key === '4.1');
		assert.ok(bucket, JSON.stringify(server));
		assert.equal(bucket.points, 13);
		assert.equal(await chart.locator('[data-testid="alloc-bar"][data-bucket="4.1"] rect').count(), bucket.shares.length);
		const row = page.locator('[data-testid="alloc-row"][data-bucket="4.1"]');
		const text = await row.innerText();
		assert.match(text, /61\.5 %/, 'Growth: 8 of 13 points');
		assert.match(text, /15\.4 %/, 'bugs: 2 of 13');
		assert.match(text, /23\.1 %/, 'unplanned: 3 of 13');
		const growth = page.locator(`[data-testid="alloc-compare-row"][data-cat="p${id.growth}"]`);
		assert.match(await growth.innerText(), /Growth\s+60 %\s+61\.5 %\s+8/);
		assert.match(await page.getByTestId('alloc-legend').innerText(), /Growth\s*· intends 60 %/);
		await page.getByTestId('alloc-by-quarter').click();
		await page.waitForURL(`${e.base}/strategy/allocation?by=quarter`);
		await page.getByTestId('alloc-row').first().waitFor();
		const q = await ok('GET', '/strategy/allocation?by=quarter&last=6');
		assert.equal(await page.getByTestId('alloc-row').count(), q.buckets.length);
		await page.getByTestId('alloc-by-milestone').click();
		await page.waitForURL(`${e.base}/strategy/allocation?by=milestone`);
		await page.getByTestId('alloc-chart').waitFor();
		await settle();
		await page.getByTestId('allocation').screenshot({ path: path.join(SHOTS, 'allocation.png') });
	});

	it('(f) the admin switches the public roadmap on: only public initiatives, never an issue', async () => {
		assert.equal((await fetch(`${e.base}/roadmap`)).status, 404, 'off by default');
		await logout();
		await loginWithKeyboard(e, 'admin', e.password, '/strategy/roadmap');
		const pub = page.getByTestId('public-roadmap');
		await pub.getByTestId('public-roadmap-state').filter({ hasText: 'Off' }).waitFor();
		await pub.getByTestId('public-roadmap-toggle').check();
		await pub.getByTestId('public-roadmap-state').filter({ hasText: 'On' }).waitFor();
		assert.equal((await ok('GET', '/settings')).public_roadmap, true);
		const res = await fetch(`${e.base}/roadmap`);
		assert.equal(res.status, 200);
		const html = await res.text();
		assert.match(html, /Self-serve onboarding/);
		assert.doesNotMatch(html, /Enterprise SSO/, 'not marked public');
		assert.doesNotMatch(html, /Guided setup|SAML login/, 'never an issue');
		// The link goes to the server's page, not the app's router.
		await pub.getByTestId('public-roadmap-link').click();
		await page.waitForURL(`${e.base}/roadmap`);
		await page.getByRole('heading', { name: 'Roadmap' }).waitFor();
		assert.match(await page.locator('main').innerText(), /Self-serve onboarding/);
		await page.goBack();
		await page.getByTestId('lanes').waitFor();
	});

	it('(g) a viewer reads everything and gets no write control', async () => {
		const ctx = await newContext();
		const p = watch(await ctx.newPage());
		await signIn(p, 'vera', '/strategy');
		await p.getByTestId('strategy-doc').getByText('A public roadmap').waitFor();
		await p.locator(`[data-testid="initiative-card"][data-id="${id.sso}"]`).getByTestId('health-gap').waitFor();
		for (const t of ['doc-edit', 'mark-reviewed', 'new-objective', 'kr-update', 'add-kr', 'pillar-share-edit', 'new-initiative']) {
			assert.equal(await p.getByTestId(t).count(), 0, `no ${t} for a viewer`);
		}
		await p.getByTestId('doc-history').click();
		await p.getByTestId('version-row').nth(1).waitFor();
		await p.goto(`${e.base}/strategy/initiatives/${id.sso}`);
		await p.getByTestId('initiative-title').waitFor();
		await p.getByTestId('update').first().waitFor();
		for (const t of ['initiative-edit', 'update-form', 'add-epic', 'remove-epic']) {
			assert.equal(await p.getByTestId(t).count(), 0, `no ${t} for a viewer`);
		}
		await p.goto(`${e.base}/strategy/roadmap`);
		await lane('now', p).locator(card(id.self, p)).waitFor();
		assert.equal(await card(id.self, p).getAttribute('draggable'), 'false');
		assert.equal(await p.getByTestId('move-left').count() + await p.getByTestId('move-right').count(), 0);
		assert.equal(await p.getByTestId('public-roadmap-toggle').count(), 0, 'the switch is for admins');
		await card(id.self, p).focus();
		await p.keyboard.press('>');
		await p.waitForTimeout(300);
		assert.equal((await ok('GET', `/initiatives/${id.self}`)).horizon, 'now', 'a viewer’s key press moves nothing');
		await p.goto(`${e.base}/strategy/roadmap?view=timeline`);
		await p.getByTestId('timeline-svg').waitFor();
		assert.equal(await p.getByTestId('redate-save').count(), 0);
		assert.equal(await p.getByTestId('redate-target').count(), 0);
		// The server refuses a viewer too.
		const vtoken = cli(e.db, ['token', 'new', 'vera']).trim();
		const r = await api({ base: e.base, token: vtoken }, 'PATCH', `/initiatives/${id.self}`, { horizon: 'later' });
		assert.equal(r.status, 403);
		await ctx.close();
	});

	it('(h) at 390 px the strategy page and the roadmap fit the width', async () => {
		const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		const p = watch(await ctx.newPage());
		await signIn(p, 'pat', '/strategy');
		await p.locator(`[data-testid="initiative-card"][data-id="${id.sso}"]`).waitFor();
		await p.getByTestId('strategy-history').getByTestId('history-item').first().waitFor();
		const fits = () => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
		assert.ok(await fits(), 'the strategy page has no horizontal scroll');
		const nav = await p.getByTestId('nav-strategy').boundingBox();
		assert.ok(nav.x >= 0 && nav.x + nav.width <= 390, 'the Strategy link is in view in the top bar');
		assert.ok(await p.getByTestId('doc-edit').isVisible());
		await p.screenshot({ path: path.join(SHOTS, 'strategy-390.png'), fullPage: true });
		await p.goto(`${e.base}/strategy/roadmap`);
		await lane('now', p).locator(card(id.self, p)).waitFor();
		assert.ok(await fits(), 'the roadmap has no horizontal scroll');
		// Touch: the › button moves a card (no drag and drop on phones).
		await card(id.self, p).getByTestId('move-right').click();
		await lane('next', p).locator(card(id.self, p)).waitFor();
		assert.equal((await ok('GET', `/initiatives/${id.self}`)).horizon, 'next');
		await p.goto(`${e.base}/strategy/roadmap?view=timeline`);
		await p.getByTestId('timeline-svg').waitFor();
		assert.ok(await fits(), 'the timeline scrolls inside its card');
		await p.goto(`${e.base}/strategy/initiatives/${id.sso}`);
		await p.getByTestId('initiative-title').waitFor();
		assert.ok(await fits(), 'the initiative has no horizontal scroll');
		await p.goto(`${e.base}/strategy/allocation`);
		await p.getByTestId('alloc-chart').waitFor();
		assert.ok(await fits(), 'the allocation has no horizontal scroll');
		await ctx.close();
	});

	it('had no script errors in the pages', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
