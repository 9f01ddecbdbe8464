// Browser test of planning poker, the estimation sessions (issue #13), at
// /estimation/sessions — a real server on a fresh database, Debian's Chromium
// through playwright-core (tests/e2e/lib.mjs).
//
//   set-up (API): an EM (em1), an engineer (eng1), the CTO (cto1) and a
//       viewer (view1); two stories; em1 starts a live session over both with
//       eng1 and cto1 as participants and one that is closed; cto1 an async
//       one with PM sizes (voting open three days)
//   (a) em1 opens /estimation, the Sessions tab: open sessions first (title,
//       facilitator, mode, closes-at for the async one, estimated/total),
//       then the closed one; "New session"; the sessions link back
//   (b) the form: an unknown issue number is refused (422) and the server's
//       words show under the Issues field, nothing is created; (b2) then an
//       async session (an EM's: dev sizes, no choice) with one participant,
//       made in the form
//   (c) live, two browsers (eng1 and cto1 on the session page, the Live
//       indicator on): eng1 picks a card (aria-pressed) → cto1's page shows
//       eng1 as "voted", without the value and without a reload; cto1 votes
//       with the keyboard → eng1's page shows it; em1 (a third browser)
//       reveals → both pages show both values and the stats (median, spread,
//       the outlier marked, no consensus) without a reload; em1 sets the final
//       size in the page → the others see it; the issue page shows the size
//   (d) em1 makes the second issue current: the others' pages follow; a
//       round revealed through the API, a new round: the earlier round is
//       collapsed; the CTO overrides a final size ("CTO" badge), and then
//       em1 may no longer change it
//   (e) a viewer sees no cards and no "New session" button
//   (f) leaving the page closes the event stream
//   (g) at 390 px the session page and the list fit the width
//   Screenshots: tests/e2e/screenshots/poker-list.png, poker-voting.png,
//   poker-revealed.png, poker-390.png.
//
//   node --test tests/e2e/poker.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, TZ, api, cli, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { nowMs } from '../lib/clock.mjs';

const PW = 'poker-e2e-password-1';

let e;
let page;          // em1, the facilitator
let engPage;       // eng1
let ctoPage;       // cto1
const tokens = {};
const n = {};      // issue numbers: a, b
let sid;           // the live session
let asyncSid;
let closedSid;

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*' } : {});
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

async function as(login, method, p, body, status = 200) {
	const r = await api({ base: e.base, token: tokens[login] }, method, p, body);
	assert.equal(r.status, status, `${method} ${p} as ${login}: ${r.text}`);
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

/* A browser of its own (cookies apart); its EventSources are counted in
 * window.__es so a test can see them closed. */
async function newContext(opts = {}) {
	const ctx = await e.browser.newContext({
		viewport: { width: 1360, height: 860 }, locale: 'en-US', timezoneId: TZ, colorScheme: 'light', ...opts,
	});
	if (process.env.CAIRN_NOW) await ctx.clock.setFixedTime(nowMs());
	await ctx.addInitScript(() => {
		const ES = window.EventSource;
		window.__es = [];
		window.EventSource = class extends ES {
			constructor(...args) { super(...args); window.__es.push(this); }
		};
	});
	return ctx;
}

async function signIn(p, login, next) {
	await p.goto(`${e.base}/login?next=${encodeURIComponent(next)}`);
	await p.getByLabel('Login').fill(login);
	await p.getByLabel('Password').fill(PW);
	await p.getByLabel('Password').press('Enter');
	await p.waitForURL(`${e.base}${next}`);
}

const item = (p, num) => p.locator(`[data-testid="item"][data-issue="${num}"]`);
const card = (p, num, size) => item(p, num).locator(`[data-testid="card"][data-size="${size}"]`);
const live = (p) => p.locator('[data-testid="conn"][data-state="live"]').waitFor();

/* Mark the page; a reload would lose the mark. */
async function mark(p) { await p.evaluate(() => { window.__noReload = 'still here'; }); }
async function notReloaded(p) { assert.equal(await p.evaluate(() => window.__noReload), 'still here', 'the page was reloaded'); }

async function settle(p) {
	await p.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

describe('Planning poker: estimation sessions', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-poker-');
		page = e.page;
		for (const [login, name, role] of [['em1', 'Emma EM', 'em'], ['eng1', 'Eli Engineer', 'engineer'],
			['cto1', 'Cora CTO', 'cto'], ['view1', 'Vera Viewer', 'viewer']]) {
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
			tokens[login] = cli(e.db, ['token', 'new', login]).trim();
		}
		n.a = (await ok('POST', '/issues', { title: 'Export the backlog to CSV', type: 'story' }, 201)).number;
		n.b = (await ok('POST', '/issues', { title: 'Sign in with SAML', type: 'story' }, 201)).number;
		n.c = (await ok('POST', '/issues', { title: 'Audit log retention settings', type: 'task' }, 201)).number;

		const closed = await as('em1', 'POST', '/estimation/sessions', { title: 'Sizing for 2.30', issues: [n.c], mode: 'live' }, 201);
		closedSid = closed.id;
		await as('em1', 'POST', `/estimation/sessions/${closedSid}/close`, {});
		const closesAt = new Date(nowMs() + 3 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
		const asy = await as('cto1', 'POST', '/estimation/sessions', {
			title: 'Async sizing: audit log', issues: [n.c], mode: 'async', stage: 'pm', closes_at: closesAt,
		}, 201);
		asyncSid = asy.id;
		const s = await as('em1', 'POST', '/estimation/sessions', {
			title: 'Sizing for 2.32', issues: [n.a, n.b], mode: 'live', stage: 'dev', participants: ['eng1', 'cto1'],
		}, 201);
		sid = s.id;
		assert.equal(s.facilitator, 'em1', JSON.stringify(s));
		assert.equal(s.items.length, 2, JSON.stringify(s));
		// The live session is on its first issue (make sure of it).
		await as('em1', 'PATCH', `/estimation/sessions/${sid}`, { current: n.a });
	});

	after(async () => {
		await tearDown(e);
	});

	it('(a) the sessions list: open first, then closed; links both ways', async () => {
		await loginWithKeyboard(e, 'em1', PW, '/estimation');
		await page.getByTestId('est-tab-sessions').click();
		await page.waitForURL(`${e.base}/estimation/sessions`);
		await page.getByRole('heading', { name: 'Estimation sessions' }).waitFor();
		const rows = page.getByTestId('session-row');
		await rows.first().waitFor();
		const ids = await rows.evaluateAll(els => els.map(el => Number(el.dataset.id)));
		assert.deepEqual(ids, [sid, asyncSid, closedSid], 'open sessions (newest first), then the closed one');
		const row = (id) => page.locator(`[data-testid="session-row"][data-id="${id}"]`);
		assert.match(await row(sid).innerText(), /Sizing for 2\.32/);
		assert.match(await row(sid).innerText(), /em1/);
		assert.match(await row(sid).getByTestId('session-mode').innerText(), /Live/);
		assert.equal((await row(sid).getByTestId('session-estimated').innerText()).trim(), '0/2');
		assert.match(await row(asyncSid).getByTestId('session-mode').innerText(), /Async/);
		assert.match(await row(asyncSid).innerText(), /cto1/);
		assert.match(await row(asyncSid).innerText(), /PM sizes/);
		assert.match(await row(asyncSid).getByTestId('session-when').innerText(), /closes/);
		assert.match(await row(closedSid).getByTestId('session-status').innerText(), /Closed/);
		assert.equal(await page.getByTestId('sessions-closed').getByTestId('session-row').count(), 1);
		await page.getByTestId('new-session').waitFor();
		// and back to the calibration
		assert.equal(await page.getByTestId('est-tab-calibration').getAttribute('href'), '/estimation');
		await page.screenshot({ path: path.join(SHOTS, 'poker-list.png'), fullPage: true });
	});

	it('(b) the form shows a 422 under the field it names; nothing is created', async () => {
		const before = (await as('em1', 'GET', '/estimation/sessions?status=open')).sessions.length;
		await page.getByTestId('new-session').click();
		const form = page.getByTestId('session-form');
		await form.waitFor();
		assert.equal(await page.getByTestId('new-session').getAttribute('aria-expanded'), 'true');
		await form.getByLabel('Title').fill('Sizing for 2.33');
		await form.getByLabel('Issues').fill(`${n.a}, 99999`);
		await form.getByTestId('session-save').click();
		const err = form.locator('[data-field="issues"] .field-error');
		await err.waitFor();
		assert.ok((await err.innerText()).trim().length > 3, 'the server says what is wrong');
		assert.equal(await form.getByLabel('Issues').getAttribute('aria-invalid'), 'true');
		assert.equal(await form.locator('[data-field="title"] .field-error').innerText(), '');
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.name), 'issues');
		assert.equal((await as('em1', 'GET', '/estimation/sessions?status=open')).sessions.length, before, 'nothing created');
		await page.screenshot({ path: path.join(SHOTS, 'poker-form-error.png'), fullPage: true });
		await form.getByRole('button', { name: 'Cancel' }).click();
		await form.waitFor({ state: 'detached' });
	});

	it('(b2) the form starts an async session (an EM’s: dev sizes; voting closes tomorrow)', async () => {
		await page.getByTestId('new-session').click();
		const form = page.getByTestId('session-form');
		await form.getByLabel('Title').fill('Async PM sizing');
		await form.getByLabel('Issues').fill(`#${n.b}`);
		await form.getByTestId('mode-async').check();
		await form.getByLabel('Voting closes').waitFor();   // shown for async only
		// an EM's session sets the (dev) size: no choice
		assert.equal(await form.getByLabel('Stage').isDisabled(), true);
		assert.equal(await form.getByLabel('Stage').inputValue(), 'dev');
		await form.getByTestId('session-participants').selectOption('eng1');
		await form.getByTestId('participant-chip').waitFor();
		await form.getByTestId('session-save').click();
		await page.waitForURL(/\/estimation\/sessions\/\d+$/);
		const made = Number(new URL(page.url()).pathname.split('/').pop());
		await item(page, n.b).waitFor();
		assert.match(await page.getByTestId('session-mode').innerText(), /Async/);
		assert.match(await page.getByTestId('session-stage').innerText(), /Dev sizes/);
		await page.getByTestId('closes-at').waitFor();
		const s = await as('em1', 'GET', `/estimation/sessions/${made}`);
		assert.equal(s.mode, 'async');
		assert.equal(s.stage, 'dev');
		assert.deepEqual(s.participants, ['eng1']);
		assert.equal(Date.parse(s.closes_at), nowMs() + 86400000, `closes_at ${s.closes_at}: the default, 24 hours on`);
		// no "current" issue and no "Make current" in an async session
		assert.equal(await page.getByTestId('make-current').count(), 0);
		assert.equal(await page.getByTestId('current-mark').count(), 0);
		await as('em1', 'POST', `/estimation/sessions/${made}/close`, {});
	});

	it('(c) two browsers: a vote shows as "voted", the reveal shows the values, the final size reaches the issue', async () => {
		const engCtx = await newContext();
		const ctoCtx = await newContext();
		engPage = watch(await engCtx.newPage());
		ctoPage = watch(await ctoCtx.newPage());
		await signIn(engPage, 'eng1', `/estimation/sessions/${sid}`);
		await signIn(ctoPage, 'cto1', `/estimation/sessions/${sid}`);
		for (const p of [engPage, ctoPage]) {
			await item(p, n.a).waitFor();
			await live(p);
			await mark(p);
		}
		// "Estimation" in the top bar is current; every link still fits at 1360 px
		// beside the widest role chip (Engineer) and the inbox badges.
		assert.equal(await engPage.getByTestId('nav-estimation').getAttribute('aria-current'), 'page');
		await engPage.getByTestId('inbox-badge').waitFor();
		const nav = await engPage.locator('nav.nav').boundingBox();
		const rel = await engPage.getByTestId('nav-releases').boundingBox();
		assert.ok(rel.x + rel.width <= nav.x + nav.width + 0.5,
			`Releases (${rel.x}+${rel.width}) must fit inside the nav (${nav.x}+${nav.width}) at 1360 px`);
		assert.equal(await item(ctoPage, n.a).getAttribute('aria-current'), 'step', 'the current issue is highlighted');
		await item(ctoPage, n.a).getByTestId('current-mark').waitFor();
		assert.match(await item(ctoPage, n.a).getByTestId('item-link').innerText(), /Export the backlog to CSV/);
		assert.equal(await item(ctoPage, n.a).getByTestId('item-link').getAttribute('href'), `/issues/${n.a}`);
		assert.equal(await card(engPage, n.a, 'S').getAttribute('aria-pressed'), 'false');

		// eng1 votes S
		await card(engPage, n.a, 'S').click();
		await item(engPage, n.a).locator('[data-testid="card"][data-size="S"][aria-pressed="true"]').waitFor();
		assert.match(await item(engPage, n.a).getByTestId('my-vote').innerText(), /Your vote: S/);

		// cto1 sees eng1 as "voted", without the value, without a reload
		const chip = item(ctoPage, n.a).locator('[data-testid="voter"][data-login="eng1"]');
		await chip.waitFor();
		assert.match(await chip.innerText(), /eng1/);
		assert.match(await chip.innerText(), /voted/);
		assert.doesNotMatch(await chip.innerText(), /\bS\b/);
		assert.equal(await item(ctoPage, n.a).getByTestId('vote').count(), 0, 'no values before the reveal');
		assert.equal(await item(ctoPage, n.a).locator('[data-testid="card"][aria-pressed="true"]').count(), 0, 'cto1 has not voted');
		await item(ctoPage, n.a).locator('[data-testid="waiting"][data-login="cto1"]').waitFor();
		await notReloaded(ctoPage);

		// cto1 votes L with the keyboard
		await card(ctoPage, n.a, 'L').focus();
		await ctoPage.keyboard.press('Enter');
		await item(ctoPage, n.a).locator('[data-testid="card"][data-size="L"][aria-pressed="true"]').waitFor();
		assert.equal(await ctoPage.evaluate(() => document.activeElement && document.activeElement.dataset.size), 'L', 'the focus stays on the card');
		await item(engPage, n.a).locator('[data-testid="voter"][data-login="cto1"]').waitFor();
		assert.match(await item(engPage, n.a).getByTestId('voted-count').innerText(), /2 of 2 voted/);
		await notReloaded(engPage);
		await ctoPage.evaluate(() => window.scrollTo(0, 0));
		await settle(ctoPage);
		await ctoPage.screenshot({ path: path.join(SHOTS, 'poker-voting.png'), fullPage: true });

		// em1 reveals in a third browser
		await page.goto(`${e.base}/estimation/sessions/${sid}`);
		await item(page, n.a).waitFor();
		await live(page);
		assert.equal(await item(page, n.a).getByTestId('vote').count(), 0, 'the facilitator does not see the values either');
		await item(page, n.a).getByTestId('reveal').click();
		for (const p of [page, engPage, ctoPage]) {
			const it = item(p, n.a);
			await it.getByTestId('revealed').waitFor();
			const votes = await it.getByTestId('vote').evaluateAll(els => els.map(el => [el.dataset.login, el.querySelector('[data-testid="vote-size"]').textContent]));
			assert.deepEqual(votes.sort(), [['cto1', 'L'], ['eng1', 'S']]);
			assert.equal((await it.getByTestId('stat-median').innerText()).trim(), 'L');
			assert.match(await it.getByTestId('stat-spread').innerText(), /2 steps/);
			assert.match(await it.getByTestId('consensus').innerText(), /No consensus/);
			await it.locator('[data-testid="vote"][data-login="eng1"].outlier').waitFor();
			assert.equal(await it.getByTestId('card').count(), 0, 'no cards after the reveal');
		}
		await notReloaded(engPage);
		await notReloaded(ctoPage);
		// the facilitator's final size picker, the median marked; the CTO's override
		await item(page, n.a).getByTestId('final-picker').waitFor();
		assert.match(await item(page, n.a).locator('[data-testid="final-size-btn"][data-size="L"]').getAttribute('aria-label'), /median/);
		await item(ctoPage, n.a).getByTestId('override').waitFor();
		assert.equal(await item(engPage, n.a).getByTestId('final-size-btn').count(), 0, 'an engineer sets no size');
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: path.join(SHOTS, 'poker-revealed.png'), fullPage: true });

		// em1 sets the final size L in the page
		await item(page, n.a).locator('[data-testid="final-size-btn"][data-size="L"]').click();
		await item(page, n.a).locator('[data-testid="final-size-btn"][data-size="L"][aria-pressed="true"]').waitFor();
		for (const p of [page, engPage, ctoPage]) {
			const f = item(p, n.a).getByTestId('final');
			await f.waitFor();
			assert.equal((await f.getByTestId('final-size').innerText()).trim(), 'L');
			assert.match(await f.innerText(), /set by\s+(?:E\s+)?em1\b/);
			assert.equal(await f.getByTestId('final-cto').count(), 0);
		}
		assert.match(await page.getByTestId('session-progress').innerText(), /1 of 2 issues estimated/);
		// the issue page shows the size
		await item(page, n.a).getByTestId('item-link').click();
		await page.waitForURL(`${e.base}/issues/${n.a}`);
		await page.locator('.size-detail').waitFor();
		assert.match(await page.locator('.size-detail').innerText(), /EM L/);
		const issue = await ok('GET', `/issues/${n.a}`);
		assert.equal(issue.size_letter || issue.size, issue.size_letter ? 'L' : 5, JSON.stringify(issue));
		await page.goBack();
		await item(page, n.a).waitFor();
	});

	it('(d) the current issue follows the facilitator; a new round; the CTO overrides', async () => {
		// em1 moves the room to the second issue
		await live(page);
		await item(page, n.b).getByTestId('make-current').click();
		for (const p of [page, engPage, ctoPage]) {
			await item(p, n.b).locator('[data-testid="current-mark"]').waitFor();
			assert.equal(await item(p, n.a).getByTestId('current-mark').count(), 0);
		}
		// both vote (API), em1 reveals (API): the pages follow
		await as('eng1', 'POST', `/estimation/sessions/${sid}/items/${n.b}/vote`, { size: 'M' });
		await as('cto1', 'POST', `/estimation/sessions/${sid}/items/${n.b}/vote`, { size: '?' });
		await item(engPage, n.b).locator('[data-testid="card"][data-size="M"][aria-pressed="true"]').waitFor();
		await as('em1', 'POST', `/estimation/sessions/${sid}/items/${n.b}/reveal`, {});
		await item(ctoPage, n.b).getByTestId('revealed').waitFor();
		assert.match(await item(ctoPage, n.b).getByTestId('stat-count').innerText(), /1\s*\+ 1 unsure/);
		// em1 starts a new round in the page: round 2, the first one collapsed
		await item(page, n.b).getByTestId('revote').click();
		for (const p of [page, engPage]) {
			await item(p, n.b).locator('[data-testid="round-no"]:has-text("Round 2")').waitFor();
			const rounds = item(p, n.b).getByTestId('earlier-rounds');
			await rounds.waitFor();
			assert.equal(await rounds.evaluate(d => d.open), false, 'earlier rounds start collapsed');
		}
		await item(engPage, n.b).getByTestId('earlier-rounds').locator('summary').click();
		await item(engPage, n.b).locator('[data-testid="round"][data-round="1"] [data-testid="vote"][data-login="eng1"]').waitFor();
		// a vote in round 2 keeps the details open and the focus on the card
		await card(engPage, n.b, 'L').click();
		await item(engPage, n.b).locator('[data-testid="card"][data-size="L"][aria-pressed="true"]').waitFor();
		assert.equal(await item(engPage, n.b).getByTestId('earlier-rounds').evaluate(d => d.open), true);
		assert.equal(await engPage.evaluate(() => document.activeElement && document.activeElement.dataset.size), 'L');

		// the CTO overrides the final size of the first issue
		await item(ctoPage, n.a).locator('[data-testid="override"] [data-testid="final-size-btn"][data-size="XL"]').click();
		for (const p of [page, engPage, ctoPage]) {
			const f = item(p, n.a).getByTestId('final');
			await f.locator('[data-testid="final-size"]:has-text("XL")').waitFor();
			await f.getByTestId('final-cto').waitFor();
		}
		await item(page, n.a).getByTestId('final-locked').waitFor();
		assert.equal(await item(page, n.a).getByTestId('final-size-btn').count(), 0, 'the CTO’s word stands');
	});

	it('(e) a viewer sees no cards and no "New session"', async () => {
		const ctx = await newContext();
		const p = watch(await ctx.newPage());
		await signIn(p, 'view1', `/estimation/sessions/${sid}`);
		await item(p, n.b).waitFor();
		assert.equal(await p.getByTestId('card').count(), 0);
		assert.equal(await p.getByTestId('reveal').count(), 0);
		assert.equal(await p.getByTestId('final-size-btn').count(), 0);
		assert.equal(await p.getByTestId('close-session').count(), 0);
		await p.getByTestId('back-to-sessions').click();
		await p.waitForURL(`${e.base}/estimation/sessions`);
		await p.getByTestId('session-row').first().waitFor();
		assert.equal(await p.getByTestId('new-session').count(), 0);
		await ctx.close();
	});

	it('(f) leaving the session page closes its event stream', async () => {
		// the top bar's stream (the unread count, topic notifications) stays open on every page
		const before = await engPage.evaluate(() => window.__es.filter(s => s.url.includes('topic=estimation')).map(s => s.readyState));
		assert.ok(before.some(s => s !== 2), `an open stream on the session page: ${before}`);
		await engPage.getByTestId('back-to-sessions').click();
		await engPage.waitForURL(`${e.base}/estimation/sessions`);
		await engPage.getByTestId('session-row').first().waitFor();
		const states = await engPage.evaluate(() => window.__es.filter(s => s.url.includes('topic=estimation')).map(s => s.readyState));
		assert.ok(states.every(s => s === 2), `every stream closed: ${states}`);
	});

	it('(g) at 390 px the session page and the list fit the width; closing is read-only', async () => {
		const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		const p = watch(await ctx.newPage());
		await signIn(p, 'eng1', `/estimation/sessions/${sid}`);
		await item(p, n.b).waitFor();
		await live(p);
		let over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		assert.ok(over <= 0, `session page: horizontal overflow ${over}px`);
		await p.screenshot({ path: path.join(SHOTS, 'poker-390.png'), fullPage: true });
		await p.goto(`${e.base}/estimation/sessions`);
		await p.getByTestId('session-row').first().waitFor();
		over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		assert.ok(over <= 0, `sessions list: horizontal overflow ${over}px`);
		await p.screenshot({ path: path.join(SHOTS, 'poker-list-390.png'), fullPage: true });

		// em1 closes the session; the others' pages turn read-only
		await page.goto(`${e.base}/estimation/sessions/${sid}`);
		await item(page, n.b).waitFor();
		await live(page);
		page.once('dialog', d => d.accept());
		await page.getByTestId('close-session').click();
		await page.locator('[data-testid="session-status"]:has-text("Closed")').waitFor();
		await ctoPage.locator('[data-testid="session-status"]:has-text("Closed")').waitFor();
		assert.equal(await ctoPage.getByTestId('card').count(), 0);
		assert.equal(await ctoPage.getByTestId('final-size-btn').count(), 0);
		assert.equal(await page.getByTestId('close-session').count(), 0);
		await ctx.close();
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
