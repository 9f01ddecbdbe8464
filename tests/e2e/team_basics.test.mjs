// Browser test of issue #14's web-UI basics — a real server on a fresh
// database, Debian's Chromium through playwright-core (tests/e2e/lib.mjs).
//
//   set-up (API, CLI): a PM (pm1), an engineer (eng1), a viewer (view1); a
//       pillar with an area; an epic and a story (PM size M) that a strategic
//       customer asks for (so it is in the backlog); a milestone, a decision,
//       a changelog entry; security issues: two reported weeks ago through
//       the CLI with the clock set back (critical and high: both past their
//       fix-by date now), one critical reported today (due within 14 days)
//       and one unscored (no fix-by date, listed nowhere)
//   (a) the viewer sees no write control: no "New issue" in the top bar, no
//       Edit / Close issue / definition-of-done boxes on an issue, no triage
//       or linking controls in the inboxes, no "New …", "Edit", "Save",
//       "Create", "Add" buttons on any main page; /issues/new and /security
//       say the role may not, and the "c" key opens nothing
//   (b) the engineer gets Edit and Close issue, but not the triage (no board,
//       no PM size, no RICE inputs, no area in the form; no triage buttons in
//       the inbox) and no link to the security list
//   (c) pm1 sets RICE reach, impact and confidence in the edit form: the RICE
//       score on the issue page and in the backlog (ranked by RICE) change to
//       reach × impact × confidence ÷ size; a parent (the epic) and the epic's
//       area are set and shown; a parent that does not exist is refused and
//       the server's words show next to the Parent field, nothing changed
//   (d) the inbox's SLA-breach count links to /security for pm1: overdue
//       first (the longest overdue on top) with "N days overdue", severity
//       and fix-by date, then the one due soon with its days left; the
//       engineer gets neither the link nor the list
//   (e) at 390 px: no horizontal scroll on /issues and /backlog, the title
//       cell at least 150 px wide, the backlog's demand in view; the top bar's
//       menu button opens every destination, in view, and a link in it works
//   Screenshots: tests/e2e/screenshots/team-viewer.png, team-issue-edit.png,
//   team-security.png, team-issues-390.png, team-menu-390.png.
//
//   node --test tests/e2e/team_basics.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, cli, newPage as libNewPage, setUp, signIn as libSignIn, tearDown } from './lib.mjs';
import { DAY_MS, addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const PW = 'team-e2e-password-1';
const CRIT = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8 critical: 7 days
const HIGH = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N'; // 8.1 high: 30 days

let e;
const n = {};     // issue numbers
const id = {};    // other ids

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*' } : {});
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

function watch(p) {
	p.setDefaultTimeout(10000);
	p.on('pageerror', (err) => e.pageErrors.push(String(err)));
	p.on('console', (msg) => {
		if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) e.consoleErrors.push(msg.text());
	});
	return p;
}

const newPage = (opts) => libNewPage(e, opts);
const signIn = (p, login, next = '/') => libSignIn(e, p, login, PW, next);

/* A security issue reported `daysAgo` days ago (the CLI with the clock set
 * back: the API cannot backdate), scored with `vector` by the triage. */
function oldSecurity(title, vector, daysAgo) {
	const then = new Date(nowMs() - daysAgo * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z');
	const env = { CAIRN_NOW: then };
	const made = JSON.parse(cli(e.db, ['issue', 'new', title, '--type', 'security', '--json'], { env }));
	cli(e.db, ['triage', String(made.number), '--board', 'next', '--cvss', vector], { env });
	return made.number;
}

const overflow = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function settled(p) {
	await p.locator('.loading').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
	await p.waitForTimeout(150);
}

/* Every visible button and button-like link in the page and the top bar,
 * as text (the write ones are looked for by name). */
function controls(p) {
	return p.evaluate(() => [...document.querySelectorAll('#main button, #main a.btn, #topbar a.btn, #topbar button')]
		.filter(el => el.offsetParent !== null || el.getClientRects().length)
		.map(el => (el.getAttribute('aria-label') || el.innerText || '').trim().replace(/\s+/g, ' ')));
}

const WRITE = /^(\+ ?)?(New\b|Edit\b|Delete\b|Close issue|Reopen|Save\b|Create\b|Add\b|Plan milestones|Triage|Under review|Icebox|Duplicate|Won't do|Mark |Record decision|Accept|Reject|Submit for review|Comment|Publish|Post update|Write the strategy|Set tier|Change tier|Tell )/;

describe('Team basics: roles, RICE and hierarchy, the security list, a phone', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-team-');
		watch(e.page);
		for (const [login, name, role] of [['pm1', 'Pia PM', 'pm'], ['eng1', 'Eli Engineer', 'engineer'], ['view1', 'Vera Viewer', 'viewer']]) {
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		}
		const pillar = await ok('POST', '/pillars', { name: 'Revenue', description: 'Make money' }, 201);
		id.area = (await ok('POST', '/areas', { pillar: pillar.id, name: 'Billing', description: 'Invoices and plans' }, 201)).id;
		n.epic = (await ok('POST', '/issues', { title: 'Invoicing for enterprise accounts', type: 'epic' }, 201)).number;
		n.story = (await ok('POST', '/issues', { title: 'Export invoices to CSV for the finance team every month', type: 'story', pm_size: 'M' }, 201)).number;
		n.task = (await ok('POST', '/issues', { title: 'Wire the CSV writer', type: 'task' }, 201)).number;
		await ok('POST', '/customers', { name: 'Acme Corp', tier: 'Enterprise', arr: 120000, seats: 300, strategic: true }, 201);
		const ins = await ok('POST', '/insights', { source: 'call', customer: 'Acme Corp', title: 'Finance wants monthly CSV exports' }, 201);
		await ok('POST', `/insights/${ins.id}/links`, { issue: n.story, importance: 'critical' });
		await ok('POST', '/insights', { source: 'support', category: 'feature_request', customer: 'Acme Corp', title: 'PDF invoices with our logo' }, 201);
		id.customer = (await ok('GET', '/customers')).items.find(c => c.name === 'Acme Corp').id;
		id.milestone = (await ok('POST', '/milestones', { title: '2.40', start: todayYmd(), due: addDays(todayYmd(), 13), capacity: 20 }, 201)).id;
		await ok('PATCH', `/issues/${n.story}`, { milestone: id.milestone, dev_status: 'todo' });
		id.decision = (await ok('POST', '/decisions', { title: 'Keep invoices in UTC', context: 'Customers in many zones', decision: 'Store UTC' }, 201)).id;
		id.entry = (await ok('POST', '/changelog', { title: 'CSV invoice export', body: 'Monthly exports.' }, 201)).id;

		n.secOld = oldSecurity('Session fixation on the login form', CRIT, 20);   // fix-by 13 days ago
		n.secHigh = oldSecurity('Invoice IDs are guessable', HIGH, 33);           // fix-by 3 days ago
		n.secNew = (await ok('POST', '/issues', { title: 'Open redirect after sign-in', type: 'security' }, 201)).number;
		await ok('PATCH', `/issues/${n.secNew}`, { cvss: CRIT });                    // fix-by in 7 days
		n.secBare = (await ok('POST', '/issues', { title: 'Unscored report from a researcher', type: 'security' }, 201)).number;
		const due = await ok('GET', '/security/due?days=14');
		assert.deepEqual(due.overdue.map(i => i.number).sort(), [n.secOld, n.secHigh].sort(), JSON.stringify(due));
		assert.deepEqual(due.due_soon.map(i => i.number), [n.secNew], JSON.stringify(due));
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) a viewer is offered no write control anywhere', async () => {
		const p = await newPage();
		await signIn(p, 'view1');
		await p.getByTestId('issue-list').waitFor();
		assert.equal(await p.locator('#topbar').getByTestId('new-issue').count(), 0, 'no New issue in the top bar');
		assert.equal(await p.locator('#topbar').getByRole('link', { name: /New issue/ }).count(), 0);

		const pages = ['/', `/issues/${n.story}`, `/issues/${n.epic}`, '/triage', '/insights', '/backlog', '/tiers',
			'/customers', `/customers/${id.customer}`, '/boards/product', '/boards/dev', '/milestones',
			`/milestones/${id.milestone}`, '/releases', `/releases/${id.entry}`, '/decisions', `/decisions/${id.decision}`,
			'/strategy', '/strategy/roadmap', '/estimation/sessions', `/issues/${n.story}/tree`];
		for (const where of pages) {
			await p.goto(`${e.base}${where}`);
			await p.locator('#main h1').first().waitFor();
			await settled(p);
			// a viewer's own saved views are their own state, like watching
			// (view.write, docs/API.md "Saved views"): not the team's data
			const writes = (await controls(p)).filter(t => WRITE.test(t) && t !== 'Save this query as a view');
			assert.deepEqual(writes, [], `${where}: write controls offered to a viewer`);
			assert.equal(await p.locator('#main input[type=checkbox][name=merged]').count(), 0, `${where}: DoD checkboxes`);
			assert.equal(await p.locator('#main .triage-panel .choice, #main .triage-panel .act').count(), 0, `${where}: triage buttons`);
			assert.equal(await p.locator('#main [data-testid=link-input]:visible').count(), 0, `${where}: the link box`);
			assert.equal(await p.locator('#main [draggable=true]').count(), 0, `${where}: draggable cards`);
			assert.equal(await p.getByTestId('breaches-link').count(), 0, `${where}: the security list link`);
		}
		// the issue page: read, not write
		await p.goto(`${e.base}/issues/${n.story}`);
		await p.getByTestId('issue-title').waitFor();
		await p.getByTestId('dod-read-merged').waitFor();
		assert.equal(await p.getByTestId('issue-edit').count(), 0);
		assert.equal(await p.getByRole('button', { name: /Close issue|Reopen/ }).count(), 0);
		await p.keyboard.press('e');
		assert.equal(await p.locator('form[aria-label="Edit issue"]').count(), 0, 'e opens no form');
		await p.screenshot({ path: path.join(SHOTS, 'team-viewer.png'), fullPage: true });
		// the "c" key and /issues/new
		await p.keyboard.press('c');
		await p.waitForTimeout(200);
		assert.equal(new URL(p.url()).pathname, `/issues/${n.story}`, 'c goes nowhere for a viewer');
		await p.goto(`${e.base}/issues/new`);
		await p.getByTestId('read-only').waitFor();
		assert.equal(await p.locator('#main form').count(), 0);
		await p.goto(`${e.base}/security`);
		await p.getByTestId('security-denied').waitFor();
		assert.equal(await p.getByTestId('sec-row').count(), 0);
		await p.context().close();
	});

	it('(b) an engineer edits issues but does not triage', async () => {
		const p = await newPage();
		await signIn(p, 'eng1', `/issues/${n.story}`);
		await p.getByTestId('issue-edit').waitFor();
		await p.getByRole('button', { name: 'Close issue' }).waitFor();
		assert.equal(await p.locator('#topbar').getByTestId('new-issue').count(), 1, 'engineers create issues');
		await p.getByTestId('issue-edit').click();
		const form = p.locator('form[aria-label="Edit issue"]');
		await form.waitFor();
		await form.locator('[name=dev_status]').waitFor();    // engineers move dev-board items
		await form.locator('[name=parent]').waitFor();        // and place issues in the hierarchy
		for (const name of ['board', 'pm_size', 'milestone', 'area', 'rice_reach', 'rice_impact', 'rice_confidence']) {
			assert.equal(await form.locator(`[name=${name}]`).count(), 0, `no ${name} for an engineer`);
		}
		assert.equal(await form.locator('[name=type] option[value=security]').count(), 0, 'an engineer makes no issue private');
		await form.getByRole('button', { name: 'Cancel' }).click();
		await p.goto(`${e.base}/triage`);
		await p.getByTestId('triage-panel').waitFor();
		await p.getByTestId('stat-breaches').waitFor();
		assert.equal(await p.locator('.triage-panel .choice, .triage-panel .act').count(), 0, 'no triage buttons');
		assert.equal(await p.getByTestId('breaches-link').count(), 0, 'no link to the security list');
		await p.goto(`${e.base}/security`);
		await p.getByTestId('security-denied').waitFor();
		await p.context().close();
	});

	it('(c) pm1 sets RICE inputs, a parent and an area; a bad parent is explained next to the field', async () => {
		const p = await newPage();
		await signIn(p, 'pm1', `/issues/${n.story}`);
		await p.getByTestId('issue-edit').waitFor();
		// defaults: reach 1 (Acme Corp), impact 1, confidence 80 %, size M = 3 points
		await p.locator('[data-testid="rice-inputs"]:has-text("R 1*")').waitFor();
		assert.equal((await p.getByTestId('rice-score').innerText()).trim(), (1 * 1 * 0.8 / 3).toFixed(1));
		const before = (await ok('GET', '/backlog?rank=rice')).items.find(i => i.number === n.story);
		assert.equal(before.rice.score.toFixed(1), (0.8 / 3).toFixed(1), JSON.stringify(before.rice));

		await p.getByTestId('issue-edit').click();
		const form = p.locator('form[aria-label="Edit issue"]');
		await form.getByLabel('RICE reach').fill('40');
		await form.getByLabel('RICE impact').selectOption('2');
		await form.getByLabel('RICE confidence').selectOption('100');
		await form.getByLabel('Parent').fill(`#${n.epic}`);
		await form.getByRole('button', { name: 'Save changes' }).click();
		await form.waitFor({ state: 'detached' });
		const want = (40 * 2 * 1 / 3).toFixed(1);
		await p.locator(`[data-testid="rice-score"]:has-text("${want}")`).waitFor();
		assert.match(await p.getByTestId('rice-inputs').innerText(), /R 40 · I 2 · C 100% · E 3 pt/);
		assert.equal((await p.getByTestId('issue-parent').innerText()).trim(), `#${n.epic}`);
		const i = await ok('GET', `/issues/${n.story}`);
		assert.deepEqual([i.rice_reach, Number(i.rice_impact), i.rice_confidence, i.parent], [40, 2, 100, n.epic]);
		// the backlog ranked by RICE shows the same score
		await p.goto(`${e.base}/backlog?rank=rice`);
		const row = p.locator(`tr.bl-row[data-number="${n.story}"]`);
		await row.waitFor();
		assert.equal((await row.getByTestId('score').innerText()).trim(), want);

		// a parent that does not exist: the server's words next to the field
		await p.goto(`${e.base}/issues/${n.task}`);
		await p.getByTestId('issue-edit').click();
		await form.getByLabel('Parent').fill('99999');
		await form.getByRole('button', { name: 'Save changes' }).click();
		const err = form.locator('[data-field="parent"] .field-error');
		await p.locator('[data-field="parent"] .field-error:not(:empty)').waitFor();
		const text = (await err.innerText()).trim();
		assert.ok(text.length > 5 && /99999|parent|exist/i.test(text), `the server's message: ${text}`);
		assert.equal(await form.getByLabel('Parent').getAttribute('aria-invalid'), 'true');
		assert.equal(await p.evaluate(() => document.activeElement && document.activeElement.name), 'parent');
		assert.equal((await ok('GET', `/issues/${n.task}`)).parent, null, 'nothing changed');
		await p.evaluate(() => window.scrollTo(0, 0));
		await p.screenshot({ path: path.join(SHOTS, 'team-issue-edit.png'), fullPage: true });
		await form.getByRole('button', { name: 'Cancel' }).click();

		// the epic's area
		await p.goto(`${e.base}/issues/${n.epic}`);
		await p.locator('[data-testid="issue-area"]:has-text("None")').waitFor();
		await p.getByTestId('issue-edit').click();
		await form.getByLabel('Area').selectOption(String(id.area));
		await form.getByRole('button', { name: 'Save changes' }).click();
		await form.waitFor({ state: 'detached' });
		await p.locator('[data-testid="issue-area"]:has-text("Billing")').waitFor();
		assert.match(await p.getByTestId('issue-area').innerText(), /Revenue › Billing/);
		assert.equal((await ok('GET', `/issues/${n.epic}`)).area, id.area);
		await p.context().close();
	});

	it('(d) the SLA-breach count links to the overdue security list (admin, PM, CTO only)', async () => {
		const p = await newPage();
		await signIn(p, 'pm1', '/triage');
		const link = p.getByTestId('breaches-link');
		await link.waitFor();
		assert.equal((await p.getByTestId('stat-breaches').innerText()).trim(), '2');
		assert.equal(await link.getAttribute('href'), '/security');
		await link.click();
		await p.waitForURL(`${e.base}/security`);
		await p.getByRole('heading', { name: 'Security SLA' }).waitFor();
		const rows = p.getByTestId('sec-row');
		await rows.first().waitFor();
		const shown = await rows.evaluateAll(els => els.map(el => [Number(el.dataset.number), el.dataset.kind]));
		assert.deepEqual(shown, [[n.secOld, 'overdue'], [n.secHigh, 'overdue'], [n.secNew, 'soon']],
			'overdue first (the longest overdue on top), then due soon; the unscored one is not listed');
		const r = (num) => p.locator(`[data-testid="sec-row"][data-number="${num}"]`);
		assert.match(await r(n.secOld).getByTestId('sec-days').innerText(), /13 days overdue/);
		assert.match(await r(n.secOld).getByTestId('sec-severity').innerText(), /9\.8\s*Critical/);
		assert.match(await r(n.secHigh).getByTestId('sec-days').innerText(), /3 days overdue/);
		assert.match(await r(n.secHigh).getByTestId('sec-severity').innerText(), /8\.1\s*High/);
		assert.match(await r(n.secNew).getByTestId('sec-days').innerText(), /7 days left/);
		const fixBy = (await ok('GET', `/issues/${n.secOld}`)).fix_by;
		assert.equal(await r(n.secOld).locator('[data-testid="sec-fixby"] time').getAttribute('datetime'), fixBy);
		assert.equal(fixBy, addDays(todayYmd(), -13));
		assert.equal((await p.getByTestId('sec-overdue-count').innerText()).trim(), '2');
		await p.screenshot({ path: path.join(SHOTS, 'team-security.png'), fullPage: true });
		await r(n.secHigh).getByRole('link').click();
		await p.waitForURL(`${e.base}/issues/${n.secHigh}`);
		await p.getByTestId('issue-title').waitFor();
		await p.context().close();
	});

	it('(e) at 390 px: the list and the backlog fit, the title is readable, the menu reaches every page', async () => {
		const p = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		await signIn(p, 'pm1', '/issues');
		const title = p.locator(`[data-testid="issue-list"] tr[data-number="${n.story}"] [data-testid="title-cell"]`);
		await title.waitFor();
		assert.ok(await overflow(p) <= 0, `/issues: horizontal overflow ${await overflow(p)}px`);
		const tb = await title.boundingBox();
		assert.ok(tb.width >= 150, `the title cell is ${tb.width}px wide`);
		assert.ok(tb.x >= 0 && tb.x + tb.width <= 390, 'the title cell is in view');
		await p.screenshot({ path: path.join(SHOTS, 'team-issues-390.png'), fullPage: true });

		await p.goto(`${e.base}/backlog`);
		const row = p.locator(`tr.bl-row[data-number="${n.story}"]`);
		await row.waitFor();
		assert.ok(await overflow(p) <= 0, `/backlog: horizontal overflow ${await overflow(p)}px`);
		const score = await row.getByTestId('score').boundingBox();
		assert.ok(score && score.width > 0 && score.x >= 0 && score.x + score.width <= 390, `the demand is in view: ${JSON.stringify(score)}`);
		assert.ok((await row.locator('td.title').boundingBox()).width >= 150);
		await p.screenshot({ path: path.join(SHOTS, 'team-backlog-390.png'), fullPage: true });

		// the top bar: a menu button, the current page's link, New issue, the account, Log out
		const nav = p.getByTestId('main-nav');
		const menu = p.getByTestId('menu-btn');
		assert.ok(await menu.isVisible());
		assert.equal(await menu.getAttribute('aria-expanded'), 'false');
		assert.ok(await p.getByTestId('nav-backlog').isVisible(), 'the current page stays in the bar');
		assert.equal(await p.getByTestId('nav-milestones').isVisible(), false, 'the others are folded');
		for (const el of [p.locator('#topbar').getByTestId('new-issue'), p.getByTestId('me'), p.locator('#topbar').getByRole('button', { name: 'Log out' })]) {
			const b = await el.boundingBox();
			assert.ok(b && b.x >= 0 && b.x + b.width <= 390, `in the bar: ${JSON.stringify(b)}`);
		}
		await menu.click();
		assert.equal(await menu.getAttribute('aria-expanded'), 'true');
		const links = nav.locator('a');
		const count = await links.count();
		assert.ok(count >= 12, `${count} links`);
		for (let k = 0; k < count; k++) {
			const b = await links.nth(k).boundingBox();
			assert.ok(b && b.x >= 0 && b.x + b.width <= 390 && b.y >= 0 && b.y + b.height <= 844,
				`${await links.nth(k).innerText()} in view: ${JSON.stringify(b)}`);
		}
		assert.ok(await overflow(p) <= 0, 'the open menu fits');
		await p.screenshot({ path: path.join(SHOTS, 'team-menu-390.png') });
		// Escape closes it (focus back on the button); a link in it navigates and closes it
		await p.keyboard.press('Escape');
		assert.equal(await menu.getAttribute('aria-expanded'), 'false');
		assert.equal(await p.evaluate(() => document.activeElement && document.activeElement.id), 'menu-btn');
		await menu.click();
		await p.getByTestId('nav-milestones').click();
		await p.waitForURL(`${e.base}/milestones`);
		await p.getByRole('heading', { name: 'Milestones' }).first().waitFor();
		assert.equal(await p.getByTestId('menu-btn').getAttribute('aria-expanded'), 'false');
		assert.ok(await p.getByTestId('nav-milestones').isVisible());
		assert.equal(await p.getByTestId('nav-backlog').isVisible(), false);
		await p.context().close();
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
