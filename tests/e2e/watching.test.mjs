// Browser test of watching (issue #14): the unread count on the avatar
// updates live over the event stream, without a reload, and a mention on a
// private issue the user may not see never moves it; the home page lists
// the changes to the issues the user watches — a real server on a fresh
// database, Debian's Chromium through playwright-core (lib.mjs).
//
//   (a) eli (engineer) sits on /home; the admin mentions eli on a public
//       issue: the count on the avatar goes 0 → 1 on the same page (no
//       navigation, no reload); a mention on a security issue eli may not
//       see changes nothing, the next public one makes it 2
//   (b) marking everything read in another tab of eli's empties the count
//       here too
//   (c) eli watches an issue the admin then closes and reprioritises, and
//       one whose assignee changes: the home card "Changes to issues you
//       watch" lists both, newest first, in words; a viewer who watches
//       nothing reads the empty text
//   (e) closing an issue as a duplicate: the kept issue's history says what
//       it brought (a watcher, a reference), the duplicate's what it moved,
//       and the kept issue is "mentioned in" where the duplicate was
//   (d) the card at 390 px: nothing wider than the screen
//   Screenshots: tests/e2e/screenshots/watching-badge-live.png,
//   watching-home.png, watching-merge-history.png, watching-home-phone.png.
//
//   node --test tests/e2e/watching.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, cli, newPage, setUp, signIn, tearDown } from './lib.mjs';

const PW = 'watching-e2e-password-1';
let e, page, pub, sec, eliToken;

async function ok(method, p, body, status = 200, token) {
	const r = await api(token ? { base: e.base, token } : e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

/* PATCH an issue as the admin at its current version (If-Match). */
async function patch(number, fields) {
	const cur = await api(e, 'GET', `/issues/${number}`);
	const r = await api(e, 'PATCH', `/issues/${number}`, fields, { 'If-Match': cur.headers.get('etag') });
	assert.equal(r.status, 200, r.text);
}

const count = () => page.getByTestId('notify-count');

describe('Watching: the live unread count and the home page\'s changes', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-watching-');
		page = e.page;
		for (const [login, name, role] of [['eli', 'Eli Engineer', 'engineer'], ['vic', 'Vic Viewer', 'viewer']])
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		eliToken = cli(e.db, ['token', 'new', 'eli']).trim();
		pub = await ok('POST', '/issues', { title: 'Export times out on large workspaces', type: 'bug' }, 201);
		sec = await ok('POST', '/issues', { title: 'Session fixation on the login form', type: 'security' }, 201);
	});
	after(() => tearDown(e));

	it('(a) a mention updates the count on the avatar live; a private issue never does', async () => {
		await signIn(e, page, 'eli', PW, '/home');
		await page.getByTestId('home').waitFor();
		assert.equal(await count().textContent(), '', 'nothing unread yet');
		await page.evaluate(() => { window.__samePage = true; });
		await ok('POST', `/issues/${pub.number}/comments`, { body: '@eli can you look at the export timeout?' }, 201);
		await count().filter({ hasText: /^1$/ }).waitFor();
		assert.match(await page.getByTestId('notify-badge').getAttribute('aria-label'), /1 unread/);
		await page.locator('#topbar').screenshot({ path: path.join(SHOTS, 'watching-badge-live.png') });
		// private first, then public: the stream keeps order, so a count for
		// the private mention would have shown before the 2
		await ok('POST', `/issues/${sec.number}/comments`, { body: 'exploit details, @eli' }, 201);
		await ok('POST', `/issues/${pub.number}/comments`, { body: 'and @eli, the logs are attached' }, 201);
		await count().filter({ hasText: /^2$/ }).waitFor();
		assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload, no navigation');
		assert.equal(page.url(), `${e.base}/home`);
		assert.equal((await ok('GET', '/notifications/count', undefined, 200, eliToken)).unread, 2);
	});

	it('(b) marking everything read elsewhere empties the count here', async () => {
		await ok('POST', '/notifications/read', { all: true }, 200, eliToken);
		await page.waitForFunction(() => /none unread/.test(document.querySelector('[data-testid=notify-badge]').getAttribute('aria-label')));
		assert.equal(await count().textContent(), '');
		assert.equal(page.url(), `${e.base}/home`, 'still on the same page');
	});

	it('(c) home: the changes to the issues I watch, newest first, in words', async () => {
		const other = await ok('POST', '/issues', { title: 'Webhooks retry forever', type: 'bug' }, 201);
		await ok('PUT', `/issues/${pub.number}/watch`, undefined, 200, eliToken);
		await ok('PUT', `/issues/${other.number}/watch`, undefined, 200, eliToken);
		await patch(other.number, { assignee: 'admin', priority: 'high' });
		await patch(pub.number, { state: 'closed', priority: 'low' });
		await count().filter({ hasText: /^2$/ }).waitFor(); // live again
		await page.reload();
		const card = page.getByTestId('home-watching');
		await card.getByTestId('home-item').first().waitFor();
		const rows = await card.getByTestId('home-item').evaluateAll((lis) => lis.map((li) => li.innerText.replace(/\s+/g, ' ').trim()));
		assert.equal(rows.length, 2, rows.join(' | '));
		assert.match(rows[0], new RegExp(`^#${pub.number} Export times out on large workspaces closed, changed priority · @admin · `));
		assert.match(rows[1], new RegExp(`^#${other.number} Webhooks retry forever changed assignee, priority · @admin · `));
		const weight = await card.locator('.home-title').first().evaluate((el) => Number(getComputedStyle(el).fontWeight));
		assert.ok(weight >= 600, `unread in bold (${weight})`);
		assert.ok(!(await card.textContent()).includes('Session fixation'), 'the private issue is nowhere');
		await card.screenshot({ path: path.join(SHOTS, 'watching-home.png') });
		await card.getByRole('link', { name: /Webhooks retry forever/ }).click();
		await page.waitForURL(`${e.base}/issues/${other.number}`);
		// a viewer who watches nothing reads what to do
		const p2 = await newPage(e);
		await signIn(e, p2, 'vic', PW, '/home');
		const empty = p2.getByTestId('home-watching');
		await empty.waitFor();
		assert.match(await empty.textContent(), /Nothing changed on the issues you watch/);
		await p2.context().close();
	});

	it('(e) a duplicate merge reads in words in both issues\' history', async () => {
		const kept = await ok('POST', '/issues', { title: 'CSV export for finance', type: 'feature' }, 201);
		const dup = await ok('POST', '/issues', { title: 'Export to CSV please', type: 'feature' }, 201);
		await ok('PUT', `/issues/${dup.number}/watch`, undefined, 200, eliToken);
		await ok('POST', `/issues/${pub.number}/comments`, { body: `same ask as #${dup.number}` }, 201);
		await ok('POST', `/issues/${dup.number}/triage`, { route: 'duplicate', duplicate_of: kept.number });
		await page.goto(`${e.base}/issues/${kept.number}`);
		const hist = page.locator('.history');
		await hist.getByText('brought').first().waitFor();
		const text = (await hist.innerText()).replace(/\s+/g, ' ');
		assert.match(text, new RegExp(`brought 1 watcher from its duplicate #${dup.number}`));
		assert.match(text, new RegExp(`brought 1 reference from its duplicate #${dup.number}`));
		await hist.screenshot({ path: path.join(SHOTS, 'watching-merge-history.png') });
		await page.goto(`${e.base}/issues/${dup.number}`);
		await page.locator('.history').getByText('to the issue kept').first().waitFor();
		const d = (await page.locator('.history').innerText()).replace(/\s+/g, ' ');
		assert.match(d, /moved 1 watcher to the issue kept/);
		assert.match(d, /moved 1 reference to the issue kept/);
		// the kept issue lists the comment that named the duplicate
		await page.goto(`${e.base}/issues/${kept.number}`);
		await page.getByTestId('mentioned-in-item').first().waitFor();
		assert.match(await page.getByTestId('mentioned-in').innerText(), new RegExp(`#${pub.number}`));
	});

	it('(d) at 390 px the card fits the screen', async () => {
		const p3 = await newPage(e, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		await signIn(e, p3, 'eli', PW, '/home');
		const card = p3.getByTestId('home-watching');
		await card.getByTestId('home-item').first().waitFor();
		const box = await card.boundingBox();
		assert.ok(box.x >= 0 && box.x + box.width <= 390, `the card fits: ${JSON.stringify(box)}`);
		const wide = await p3.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(wide <= 390, `nothing wider than the screen: ${wide}`);
		await card.screenshot({ path: path.join(SHOTS, 'watching-home-phone.png') });
		await p3.context().close();
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
