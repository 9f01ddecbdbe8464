// Browser test of the notification inbox (issue #14): a PM mentions an
// engineer in a comment; the engineer sees the unread count on their avatar
// in the top bar (which stays as wide as before), opens /inbox (the unread
// one in bold), follows it to the issue (marked read, the count drops),
// watches and unwatches the issue with the toggle — a real server on a
// fresh database, Debian's Chromium through playwright-core (lib.mjs).
//
//   Screenshots: tests/e2e/screenshots/inbox.png (the inbox, one unread),
//   inbox-badge.png (the top bar with the count on the avatar),
//   inbox-watch.png (the head with the Watch toggle and its count).
//
//   node --test tests/e2e/inbox.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, setUp, signIn, tearDown } from './lib.mjs';

const PW = 'inbox-e2e-password-1';
let e, page, a;

async function ok(method, p, body, status = 200, token) {
	const r = await api(token ? { base: e.base, token } : e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

const badge = () => page.getByTestId('notify-badge');

describe('The notification inbox: a mention, the badge, the inbox, the issue', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-inbox-');
		page = e.page;
		for (const [login, name, role] of [['eli', 'Eli Engineer', 'engineer'], ['pia', 'Pia PM', 'pm']])
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		a = await ok('POST', '/issues', { title: 'Export times out', type: 'bug' }, 201);
	});
	after(() => tearDown(e));

	it('(a) the top bar: a bell on the avatar, no wider than the bar allows', async () => {
		await signIn(e, page, 'eli', PW, '/');
		await badge().waitFor();
		assert.equal(await badge().getAttribute('href'), '/inbox');
		const bar = await page.locator('#topbar').evaluate((t) => ({ sw: t.scrollWidth, cw: t.clientWidth }));
		assert.ok(bar.sw <= bar.cw, `the top bar overflows: ${bar.sw} > ${bar.cw}`);
	});

	it('(b) a mention by the PM shows as an unread count on the avatar', async () => {
		// pia comments as herself, through a session of her own (the API's login)
		const login = await fetch(`${e.base}/api/v1/session`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'pia', password: PW }),
		});
		assert.equal(login.status, 200);
		// not Headers.getSetCookie: Node 18 (Debian 12's) lacks it
		const cookie = /cairn_session=[^;]*/.exec(login.headers.get('set-cookie') || '')?.[0] ?? '';
		const { csrf } = await login.json();
		const post = await fetch(`${e.base}/api/v1/issues/${a.number}/comments`, {
			method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
			body: JSON.stringify({ body: '@eli can you look at the export timeout?' }),
		});
		assert.equal(post.status, 201, await post.text());
		await page.goto(`${e.base}/`);
		await page.getByTestId('notify-count').filter({ hasText: '1' }).waitFor();
		assert.match(await badge().getAttribute('aria-label'), /1 unread/);
		await page.locator('#topbar').screenshot({ path: path.join(SHOTS, 'inbox-badge.png') });
	});

	it('(c) the inbox lists it in bold; opening it goes to the issue and the count drops', async () => {
		await badge().click();
		await page.waitForURL(`${e.base}/inbox`);
		const items = page.getByTestId('ntf');
		await items.first().waitFor();
		assert.equal(await items.count(), 1, 'only the mention');
		const first = items.first();
		assert.match(await first.textContent(), new RegExp(`pia mentioned you in a comment on #${a.number} Export times out`));
		assert.equal(await first.evaluate((li) => li.classList.contains('unread')), true);
		const weight = await first.locator('.ntf-issue').evaluate((el) => Number(getComputedStyle(el).fontWeight));
		assert.ok(weight >= 600, `unread is bold (${weight})`);
		assert.equal(await page.getByTestId('ntf-unread').textContent(), '1 unread');
		await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
		await page.screenshot({ path: path.join(SHOTS, 'inbox.png') });
		await first.locator('a').click();
		await page.waitForURL(`${e.base}/issues/${a.number}`);
		await page.getByTestId('issue-title').waitFor();
		await page.waitForFunction(() => !document.querySelector('[data-testid="notify-badge"]').classList.contains('has-unread'));
		assert.equal(await page.getByTestId('notify-count').textContent(), '');
	});

	it('(d) the Watch toggle on the issue: watching (mentioned), unwatch, watch', async () => {
		const btn = page.getByTestId('issue-watch');
		await btn.waitFor();
		assert.equal((await btn.textContent()).replace(/\d+$/, ''), 'Unwatch', 'a mention made eli a watcher');
		assert.equal(await page.getByTestId('issue-watch-count').textContent(), '3', 'admin (reporter), pia, eli');
		await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
		await page.locator('.issue-head').screenshot({ path: path.join(SHOTS, 'inbox-watch.png') });
		await btn.click();
		await page.getByTestId('issue-watch').filter({ hasText: /^Watch/ }).waitFor();
		assert.equal(await page.getByTestId('issue-watch-count').textContent(), '2');
		const w = await ok('GET', `/issues/${a.number}/watchers`);
		assert.deepEqual(w.watchers.map((x) => x.login), ['admin', 'pia']);
		await page.getByTestId('issue-watch').click();
		await page.getByTestId('issue-watch').filter({ hasText: /^Unwatch/ }).waitFor();
		await page.goto(`${e.base}/inbox`);
		await page.getByTestId('ntf').first().waitFor();
		assert.equal(await page.getByTestId('ntf-read-all').isDisabled(), true, 'nothing unread');
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
