// Browser test of the decision log (issue #13): decisions recorded, accepted
// and looked at again in the web UI — a real server on a fresh database,
// Debian's Chromium through playwright-core (tests/e2e/lib.mjs).
//
//   set-up (API): a PM, a CTO, an EM, an engineer and a viewer; three
//       customers with tiers; the issue "SAML single sign-on" asked for by two
//       of them; an accepted decision the new one will supersede, and one
//       whose review date has passed
//   (a) the PM records a decision in the browser: two options with pros and
//       cons, RACI from the pickers, the issue by number (an unknown issue
//       is refused with the server's words, nothing saved), supersedes the
//       old one; edits its title with the keyboard (e, Ctrl+Enter); accepts
//       it (confirmed): the evidence is frozen, Edit is gone, "Record a
//       decision that supersedes this" appears, the old decision is
//       superseded
//   (b) more customers ask for the issue (API): demand more than doubles; the
//       PM reloads the decision: "Then vs today" shows the frozen numbers
//       beside today's, the changed rows marked, and the server's signal as a
//       callout; "Record a decision that supersedes this" prefills supersedes
//   (c) the issue page lists the decision
//   (d) the log: search finds it by a word of its context; status tabs with
//       counts; superseded-by link; the overdue review highlighted;
//       "involving me"; j/k and Enter
//   (e) a viewer and an engineer read everything and get no write control
//   (f) at 390 px the log and the decision fit the width
//   Screenshots: tests/e2e/screenshots/decisions.png, decision.png (with the
//   snapshot-versus-today panel), decision-390.png.
//
//   node --test tests/e2e/decisions.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, TZ, api, cli, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const PW = 'decisions-e2e-password-1';
const CONTEXT_WORD = 'procurement';
const CONTEXT = `Enterprise buyers fail **${CONTEXT_WORD}** reviews without SAML.\n\nTwo accounts asked this quarter.`;

let e;
let page;
let pmToken;
let issueNo;
let otherNo;
const ids = {};   // decisions: old (superseded by ours), stale (review overdue), ours, draft (stays proposed)

function ymd(days) {
	return addDays(todayYmd(), days);
}

function nowIso() {
	return new Date(nowMs()).toISOString().replace(/\.\d+Z$/, 'Z');
}

async function ok(method, p, body, status = 200, headers = {}) {
	const r = await api(e, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*', ...headers } : headers);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

async function asPm(method, p, body, status = 200) {
	const r = await api({ base: e.base, token: pmToken }, method, p, body);
	assert.equal(r.status, status, `${method} ${p} as the PM: ${r.text}`);
	return r.json;
}

/* An insight from a customer, linked to the issue. */
async function ask(customer, title, importance) {
	const ins = await ok('POST', '/insights', { source: 'call', customer, title, captured_at: nowIso() }, 201);
	await ok('POST', `/insights/${ins.id}/links`, { issue: issueNo, importance });
	return ins.id;
}

async function logout() {
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/\/login/);
}

/* Let the toasts fade before a screenshot. */
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

const row = (p, id) => p.locator(`[data-testid="decision-row"][data-id="${id}"]`);

describe('The decision log: record, accept, look again', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-decisions-');
		page = e.page;
		for (const [login, name, role] of [['pat', 'Pat PM', 'pm'], ['cora', 'Cora CTO', 'cto'], ['emil', 'Emil EM', 'em'],
			['eli', 'Eli Engineer', 'engineer'], ['vera', 'Vera Viewer', 'viewer']]) {
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		}
		pmToken = cli(e.db, ['token', 'new', 'pat']).trim();
		for (const c of [
			{ name: 'Acme Corp', tier: 'Enterprise', arr: 250000, seats: 400, strategic: true },
			{ name: 'Globex', tier: 'Premium', arr: 40000, seats: 60, strategic: false },
			{ name: 'Umbrella', tier: 'Enterprise', arr: 500000, seats: 900, strategic: true },
			{ name: 'Initech', tier: 'Starter', arr: 5000, seats: 8, strategic: false },
			{ name: 'Hooli', tier: 'Premium', arr: 80000, seats: 120, strategic: false },
		]) await ok('POST', '/customers', c, 201);
		issueNo = (await ok('POST', '/issues', { title: 'SAML single sign-on', type: 'feature', body: 'Sign in with the company IdP.' }, 201)).number;
		otherNo = (await ok('POST', '/issues', { title: 'On-prem installer', type: 'feature' }, 201)).number;
		await ok('PATCH', `/issues/${issueNo}`, { pm_size: 'L' });
		await ask('Acme Corp', 'Procurement blocks us without SAML', 'critical');
		await ask('Globex', 'IT wants one login', 'important');

		// An earlier accepted decision ours supersedes, and one due for review.
		ids.old = (await asPm('POST', '/decisions', {
			title: 'Defer single sign-on to next year', context: 'Too few asks.', options: [{ title: 'Defer', pros: 'Focus', cons: 'Lost deals' }],
			decision: 'Not this year.', raci: { accountable: ['cora'] }, issues: [issueNo],
		}, 201)).id;
		await asPm('POST', `/decisions/${ids.old}/status`, { status: 'accepted' });
		ids.stale = (await asPm('POST', '/decisions', {
			title: 'Keep shipping the on-prem installer', context: 'Regulated customers run it.', review_date: ymd(-10),
			raci: { accountable: ['cora'], informed: ['eli'] }, issues: [otherNo],
		}, 201)).id;
		await asPm('POST', `/decisions/${ids.stale}/status`, { status: 'accepted' });
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) the PM records a decision with two options, RACI and the issue, and accepts it', async () => {
		await loginWithKeyboard(e, 'pat', PW, '/decisions');
		await row(page, ids.old).waitFor();
		await page.getByTestId('new-decision').click();
		await page.waitForURL(`${e.base}/decisions/new`);
		const form = page.getByTestId('decision-form');
		await form.waitFor();
		assert.ok(await form.getByLabel('Title', { exact: true }).evaluate((el) => el === document.activeElement), 'the title has focus');
		await form.getByLabel('Title', { exact: true }).fill('Build SAML single sign-on now');
		await form.getByLabel('Context', { exact: true }).fill(CONTEXT);
		// Two option rows to start with; a third is added and removed again.
		assert.equal(await form.getByTestId('option-row').count(), 2);
		await form.getByLabel('Option 1', { exact: true }).fill('Build it ourselves');
		await form.getByLabel('Pros of option 1').fill('We own the roadmap\nNo per-seat fee');
		await form.getByLabel('Cons of option 1').fill('Two sprints');
		await form.getByLabel('Option 2', { exact: true }).fill('Buy an identity broker');
		await form.getByLabel('Pros of option 2').fill('Ready next week');
		await form.getByLabel('Cons of option 2').fill('Costs per seat\nAnother vendor');
		await form.getByTestId('option-add').click();
		assert.ok(await form.getByLabel('Option 3', { exact: true }).evaluate((el) => el === document.activeElement), 'the new option has focus');
		await form.getByRole('button', { name: 'Remove option 3' }).click();
		assert.equal(await form.getByTestId('option-row').count(), 2);
		await form.getByLabel('Decision', { exact: true }).fill('We **build** it, in the next milestone.');
		await form.getByLabel('Consequences', { exact: true }).fill('- Two sprints of the platform team\n- The broker trial is cancelled');
		// RACI from the pickers (each a select; a chosen person becomes a chip).
		await form.getByLabel('Responsible', { exact: true }).selectOption('pat');
		await form.getByLabel('Accountable', { exact: true }).selectOption('cora');
		await form.getByLabel('Consulted', { exact: true }).selectOption('emil');
		await form.getByLabel('Consulted', { exact: true }).selectOption('eli');
		await form.getByRole('button', { name: 'Remove eli (consulted)' }).click();
		await form.getByLabel('Informed', { exact: true }).selectOption('vera');
		const chips = (role) => form.getByTestId(`raci-field-${role}`).getByTestId('raci-chip').evaluateAll((els) => els.map((el) => el.dataset.login));
		assert.deepEqual(await chips('consulted'), ['emil']);
		assert.deepEqual(await chips('responsible'), ['pat']);
		await form.getByLabel('Review date', { exact: true }).fill(ymd(180));
		await form.getByLabel('Supersedes', { exact: true }).selectOption(String(ids.old));
		// An unknown issue: the server's words, the field marked, nothing saved.
		await form.getByLabel('Issues', { exact: true }).fill(`${issueNo}, 99999`);
		await form.getByTestId('decision-save').click();
		const refusal = form.getByRole('alert');
		await refusal.waitFor();
		assert.equal(await refusal.innerText(), 'no issue #99999');
		assert.equal(await form.getByLabel('Issues', { exact: true }).getAttribute('aria-invalid'), 'true');
		assert.equal((await ok('GET', '/decisions')).items.length, 2, 'nothing saved');
		await form.getByTestId('issues-preview').filter({ hasText: '99999: not found' }).waitFor();
		assert.match(await form.getByTestId('issues-preview').innerText(), /SAML single sign-on[\s\S]*99999: not found/);
		await form.getByLabel('Issues', { exact: true }).fill(`#${issueNo}`);
		await form.getByLabel('Issues', { exact: true }).press('Control+Enter');

		await page.waitForURL(/\/decisions\/\d+$/);
		ids.ours = Number(new URL(page.url()).pathname.split('/').pop());
		await page.getByTestId('decision-title').filter({ hasText: 'Build SAML single sign-on now' }).waitFor();
		const saved = await ok('GET', `/decisions/${ids.ours}`);
		assert.equal(saved.status, 'proposed');
		assert.deepEqual(saved.options, [
			{ title: 'Build it ourselves', pros: 'We own the roadmap\nNo per-seat fee', cons: 'Two sprints' },
			{ title: 'Buy an identity broker', pros: 'Ready next week', cons: 'Costs per seat\nAnother vendor' },
		]);
		assert.deepEqual(saved.raci, { responsible: ['pat'], accountable: ['cora'], consulted: ['emil'], informed: ['vera'] });
		assert.deepEqual(saved.issues.map((i) => i.number), [issueNo]);
		assert.equal(saved.supersedes, ids.old);
		assert.equal(saved.review_date, ymd(180));

		// The page: options as cards, the rendered decision, RACI, the issue.
		assert.equal(await page.getByTestId('decision-status').first().innerText(), 'Proposed');
		const opts = page.getByTestId('option');
		assert.equal(await opts.count(), 2);
		assert.match(await opts.nth(0).innerText(), /Build it ourselves[\s\S]*Pros[\s\S]*We own the roadmap[\s\S]*No per-seat fee[\s\S]*Cons[\s\S]*Two sprints/i);
		assert.match(await opts.nth(1).innerText(), /Buy an identity broker[\s\S]*Another vendor/);
		assert.equal(await page.getByTestId('decision-text').locator('strong').innerText(), 'build');
		assert.equal(await page.getByTestId('decision-context').locator('strong').innerText(), CONTEXT_WORD);
		assert.equal(await page.getByTestId('decision-consequences').locator('li').count(), 2);
		const raci = page.getByTestId('raci');
		assert.match(await raci.getByTestId('raci-responsible').innerText(), /pat/);
		assert.match(await raci.getByTestId('raci-accountable').innerText(), /cora/);
		assert.match(await raci.getByTestId('raci-consulted').innerText(), /emil/);
		assert.match(await raci.getByTestId('raci-informed').innerText(), /vera/);
		assert.equal(await raci.locator('.avatar').count(), 4, 'an avatar per person');
		assert.equal(await page.getByTestId('decision-issues').getByRole('link', { name: /SAML single sign-on/ }).getAttribute('href'), `/issues/${issueNo}`);
		assert.match(await page.getByTestId('flow-supersedes').innerText(), /Defer single sign-on/);
		// While proposed: today's evidence only.
		await page.getByRole('heading', { name: 'Evidence today' }).waitFor();

		// e: edit the title; Ctrl+Enter saves; the history says so.
		await page.locator('body').press('e');
		const edit = page.getByTestId('decision-form');
		await edit.waitFor();
		assert.equal(await edit.getByTestId('option-row').count(), 2, 'the options come back into the form');
		await edit.getByLabel('Title', { exact: true }).fill('Build SAML single sign-on this quarter');
		await edit.getByLabel('Title', { exact: true }).press('Control+Enter');
		await page.getByTestId('decision-title').filter({ hasText: 'this quarter' }).waitFor();
		assert.ok(await page.locator('#edit-btn').evaluate((el) => el === document.activeElement), 'focus back on Edit');
		await page.getByTestId('history').getByTestId('history-item').filter({ hasText: /pat changed title/ }).waitFor();

		// Accept (with the keyboard, confirmed): final, the evidence frozen.
		let question = '';
		page.once('dialog', (d) => { question = d.message(); d.accept(); });
		await page.getByTestId('accept').focus();
		await page.keyboard.press('Enter');
		await page.getByTestId('decision-status').first().filter({ hasText: 'Accepted' }).waitFor();
		assert.match(question, /Accept “Build SAML single sign-on this quarter”\?/);
		assert.match(question, new RegExp(`#${ids.old} becomes superseded`));
		const ev = page.getByTestId('then-vs-today');
		await ev.getByRole('heading', { name: 'Then vs today' }).waitFor();
		assert.ok(await page.locator('#evidence-h').evaluate((el) => el === document.activeElement), 'focus on the frozen evidence');
		await ev.getByTestId('no-signals').waitFor();
		assert.match(await page.getByTestId('flow-status').innerText(), /Accepted .* by pat\. It is final/);
		for (const id of ['decision-edit', 'accept', 'reject']) assert.equal(await page.getByTestId(id).count(), 0, `no ${id} once accepted`);
		assert.equal(await page.getByTestId('supersede').getAttribute('href'), `/decisions/new?supersedes=${ids.ours}`);
		const accepted = await ok('GET', `/decisions/${ids.ours}`);
		assert.equal(accepted.status, 'accepted');
		assert.equal(accepted.snapshot.issues[0].number, issueNo);
		assert.equal((await ok('GET', `/decisions/${ids.old}`)).status, 'superseded');
		assert.equal((await ok('GET', `/decisions/${ids.old}`)).superseded_by, ids.ours);
		await page.getByTestId('history').getByTestId('history-item').filter({ hasText: /pat moved it\s*Proposed\s*→\s*Accepted/ }).waitFor();
	});

	it('(b) demand rises; the PM sees then vs today with the signal', async () => {
		const before = (await ok('GET', `/decisions/${ids.ours}`)).snapshot.issues[0];
		await ask('Umbrella', 'Auditors want SSO', 'critical');
		await ask('Initech', 'One password fewer', 'critical');
		await ask('Hooli', 'Okta please', 'critical');
		const now = await ok('GET', `/decisions/${ids.ours}`);
		const today = now.today.find((t) => t.number === issueNo);
		assert.ok(today.demand > 2 * before.demand, `demand ${before.demand} -> ${today.demand}`);
		assert.ok(now.signals.some((s) => new RegExp(`demand for #${issueNo} has`).test(s)), JSON.stringify(now.signals));

		await page.reload();
		const ev = page.getByTestId('then-vs-today');
		const signals = ev.getByTestId('signals');
		await signals.waitFor();
		const shown = await signals.getByTestId('signal').allInnerTexts();
		assert.deepEqual(shown.map((s) => s.toLowerCase()), now.signals.map((s) => s.toLowerCase()), 'the server’s signals, as they are');
		assert.equal(await signals.getByRole('link', { name: `#${issueNo}` }).first().getAttribute('href'), `/issues/${issueNo}`);
		assert.match(await page.getByTestId('flow-signal').innerText(), /signal.* to revisit/);
		const card = ev.locator(`[data-testid="evidence-issue"][data-number="${issueNo}"]`);
		const demand = card.locator('tr[data-measure="demand"]');
		assert.match(await demand.getAttribute('class'), /\bchg\b/, 'the demand row is marked');
		const cells = await demand.locator('td').allInnerTexts();
		assert.equal(cells[0], before.demand.toFixed(1), 'then: the frozen number');
		assert.equal(cells[1], today.demand.toFixed(1), 'today');
		assert.match(cells[2], /^▲ \+\d+\.\d ×\d+(\.\d)?$/, `the change: ${cells[2]}`);
		const customers = await card.locator('tr[data-measure="customers"] td').allInnerTexts();
		assert.deepEqual(customers.slice(0, 2), ['2', '5']);
		assert.deepEqual((await card.locator('tr[data-measure="tier:Starter"] td').allInnerTexts()).slice(0, 2), ['0', '1']);
		assert.deepEqual((await card.locator('tr[data-measure="tier:Enterprise"] td').allInnerTexts()).slice(0, 2), ['1', '2']);
		const size = card.locator('tr[data-measure="size"]');
		assert.doesNotMatch(await size.getAttribute('class'), /\bchg\b/, 'the size did not change');
		assert.match(await size.innerText(), /L · 5 pt\s+L · 5 pt/);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'decision.png'), fullPage: true });

		// "Record a decision that supersedes this": supersedes prefilled, the links carried over.
		await page.getByTestId('supersede').click();
		await page.waitForURL(`${e.base}/decisions/new?supersedes=${ids.ours}`);
		const form = page.getByTestId('decision-form');
		await form.waitFor();
		assert.equal(await form.getByLabel('Supersedes', { exact: true }).inputValue(), String(ids.ours));
		assert.equal(await form.getByLabel('Issues', { exact: true }).inputValue(), String(issueNo));
		assert.deepEqual(await form.getByTestId('raci-field-accountable').getByTestId('raci-chip').evaluateAll((els) => els.map((el) => el.dataset.login)), ['cora']);
		await form.getByRole('button', { name: 'Cancel' }).click();
		await page.waitForURL(`${e.base}/decisions/${ids.ours}`);
	});

	it('(c) the issue page lists the decisions that link it', async () => {
		await page.goto(`${e.base}/issues/${issueNo}`);
		const box = page.getByTestId('issue-decisions');
		await box.getByTestId('issue-decision').first().waitFor();
		assert.equal(await box.getByTestId('issue-decision').count(), 2, 'ours and the one it superseded');
		const mine = box.locator(`[data-testid="issue-decision"][data-id="${ids.ours}"]`);
		assert.equal(await mine.getByRole('link', { name: /Build SAML single sign-on this quarter/ }).getAttribute('href'), `/decisions/${ids.ours}`);
		assert.match(await mine.innerText(), /Accepted/);
		assert.match(await box.locator(`[data-testid="issue-decision"][data-id="${ids.old}"]`).innerText(), new RegExp(`Superseded[\\s\\S]*superseded by #${ids.ours}`));
		await page.goto(`${e.base}/issues/${otherNo}`);
		await page.getByTestId('issue-decisions').getByTestId('issue-decision').waitFor();
		assert.equal(await page.getByTestId('issue-decisions').getByTestId('issue-decision').count(), 1);
	});

	it('(d) the log: search, status tabs, superseded-by, an overdue review, involving me', async () => {
		// A proposed one, not involving pat.
		ids.draft = (await asPm('POST', '/decisions', { title: 'Price SSO in Premium', raci: { accountable: ['cora'] } }, 201)).id;
		await page.getByTestId('nav-decisions').click();
		await page.waitForURL(`${e.base}/decisions`);
		await row(page, ids.draft).waitFor();
		assert.equal(await page.getByTestId('decision-row').count(), 4);
		assert.match(await page.getByTestId('tab-all').innerText(), /All\s*4/);
		assert.match(await page.getByTestId('tab-accepted').innerText(), /Accepted\s*2/);
		assert.match(await page.getByTestId('tab-superseded').innerText(), /Superseded\s*1/);
		assert.match(await page.getByTestId('tab-proposed').innerText(), /Proposed\s*1/);
		const ids4 = await page.getByTestId('decision-row').evaluateAll((els) => els.map((el) => Number(el.dataset.id)));
		assert.deepEqual(ids4, [ids.draft, ids.ours, ids.stale, ids.old], 'newest first');
		// The superseded one links to the decision that replaced it.
		const by = row(page, ids.old).getByTestId('superseded-by');
		assert.equal(await by.getAttribute('href'), `/decisions/${ids.ours}`);
		assert.match(await by.innerText(), /Build SAML single sign-on this quarter/);
		// The overdue review is highlighted; a future one is not.
		assert.match(await row(page, ids.stale).getByTestId('review-date').getAttribute('class'), /\boverdue\b/);
		assert.equal(await row(page, ids.stale).getByTestId('review-overdue').innerText(), 'overdue');
		assert.doesNotMatch(await row(page, ids.ours).getByTestId('review-date').getAttribute('class'), /overdue/);
		assert.match(await row(page, ids.ours).innerText(), /Accepted/);
		assert.match(await row(page, ids.draft).innerText(), /Proposed[\s\S]*not yet/);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'decisions.png'), fullPage: true });

		// Search by a word of the context ("/" jumps to the box).
		await page.locator('body').press('/');
		assert.ok(await page.getByTestId('decision-search').evaluate((el) => el === document.activeElement));
		await page.keyboard.type(CONTEXT_WORD.toUpperCase());
		await page.waitForURL(`${e.base}/decisions?q=${CONTEXT_WORD.toUpperCase()}`);
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="decision-row"]').length === 1);
		await row(page, ids.ours).waitFor();
		assert.match(await page.getByTestId('decisions-count').innerText(), /^1 decision$/);
		assert.equal(await page.getByTestId('tab-accepted').getAttribute('href'), `/decisions?q=${CONTEXT_WORD.toUpperCase()}&status=accepted`);
		await page.getByTestId('decision-search').fill('zeppelin');
		await page.getByTestId('decisions-empty').waitFor();
		assert.match(await page.getByTestId('decisions-empty').innerText(), /No decision matches[\s\S]*zeppelin/);
		await page.getByTestId('decision-search').fill('');
		await page.getByTestId('decision-search').press('Enter');
		await page.waitForURL(`${e.base}/decisions`);
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="decision-row"]').length === 4);

		// Status tab: superseded only.
		await page.getByTestId('tab-superseded').click();
		await page.waitForURL(`${e.base}/decisions?status=superseded`);
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="decision-row"]').length === 1);
		await row(page, ids.old).waitFor();
		await page.getByTestId('tab-all').click();
		await page.waitForURL(`${e.base}/decisions`);
		await row(page, ids.draft).waitFor();

		// Involving me: pat is responsible for ours only.
		await page.getByTestId('involving-me').check();
		await page.waitForURL(`${e.base}/decisions?involving=1`);
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="decision-row"]').length === 1);
		await row(page, ids.ours).waitFor();
		await page.getByTestId('involving-me').uncheck();
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="decision-row"]').length === 4);

		// The keyboard: j j, Enter opens the second row.
		await page.evaluate(() => document.activeElement && document.activeElement.blur());
		await page.locator('body').press('j');
		await page.keyboard.press('j');
		const focused = await page.evaluate(() => document.activeElement?.closest('[data-testid="decision-row"]')?.dataset.id);
		assert.equal(Number(focused), ids.ours);
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/decisions/${ids.ours}`);
		await page.getByTestId('then-vs-today').getByTestId('signals').waitFor();
	});

	it('(e) a viewer and an engineer read the log and get no write control', async () => {
		for (const login of ['vera', 'eli']) {
			const ctx = await newContext();
			const p = watch(await ctx.newPage());
			await signIn(p, login, '/decisions');
			await row(p, ids.ours).waitFor();
			assert.equal(await p.getByTestId('new-decision').count(), 0, `${login}: no New decision`);
			// The proposed one: no Accept, Reject or Edit (nor the e key).
			await p.goto(`${e.base}/decisions/${ids.draft}`);
			await p.getByTestId('decision-title').waitFor();
			await p.locator('body').press('e');
			assert.match(await p.getByTestId('flow-status').innerText(), /A PM or an admin accepts or rejects it/);
			for (const id of ['accept', 'reject', 'decision-edit', 'decision-form', 'supersede']) {
				assert.equal(await p.getByTestId(id).count(), 0, `${login}: no ${id}`);
			}
			// The accepted one: the evidence and the signal, no "supersede".
			await p.goto(`${e.base}/decisions/${ids.ours}`);
			await p.getByTestId('then-vs-today').getByTestId('signals').waitFor();
			assert.equal(await p.getByTestId('supersede').count(), 0, `${login}: no supersede`);
			await p.goto(`${e.base}/decisions/new`);
			await p.getByText('PMs and admins record decisions').waitFor();
			assert.equal(await p.getByTestId('decision-form').count(), 0);
			// and the server agrees
			const token = cli(e.db, ['token', 'new', login]).trim();
			const r = await api({ base: e.base, token }, 'POST', `/decisions/${ids.draft}/status`, { status: 'accepted' });
			assert.equal(r.status, 403, r.text);
			await ctx.close();
		}
		assert.equal((await ok('GET', `/decisions/${ids.draft}`)).status, 'proposed');
	});

	it('(f) at 390 px the log and the decision fit the width', async () => {
		const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		const p = watch(await ctx.newPage());
		await signIn(p, 'pat', '/decisions');
		await row(p, ids.ours).waitFor();
		const fits = () => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
		assert.ok(await fits(), 'the log has no horizontal scroll');
		assert.ok(await p.getByTestId('new-decision').isVisible());
		await p.goto(`${e.base}/decisions/${ids.ours}`);
		const ev = p.getByTestId('then-vs-today');
		await ev.getByTestId('signals').waitFor();
		assert.ok(await fits(), 'the decision has no horizontal scroll');
		const right = await ev.evaluate((el) => Math.max(...[...el.querySelectorAll('*')].map((x) => x.getBoundingClientRect().right)));
		assert.ok(right <= 390, `then vs today fits (right edge ${right})`);
		await settle(p);
		await p.screenshot({ path: path.join(SHOTS, 'decision-390.png'), fullPage: true });
		await p.goto(`${e.base}/decisions/new`);
		await p.getByTestId('decision-form').waitFor();
		assert.ok(await fits(), 'the form has no horizontal scroll');
		await ctx.close();
	});

	it('had no script errors in the pages', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
