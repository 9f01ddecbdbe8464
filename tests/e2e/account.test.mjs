// Browser test of the credential lifecycle (issue #15): /account, /admin/users,
// /admin/audit — a real server on a fresh database, Debian's Chromium through
// playwright-core (tests/e2e/lib.mjs).
//
//   set-up (API): pat (PM), dana (engineer), nora (engineer), vic (viewer);
//       55 tokens made for vic by the admin, so the audit log has more than
//       one page
//   (a) the admin reaches /account from the user chip (the top bar still fits
//       at 1360 px); the profile; "New token" with the keyboard: scope read, an
//       expiry date → the secret shown once in a copyable field with the
//       warning; it reads (GET 200) and may not write (403); after a reload the
//       secret is gone and the row stays (scope, expiry, never used); Revoke
//       (confirm) → the row is gone and the token answers 401
//   (b) /admin/users: every user with role, status and actions; "Add user"
//       (a login taken: 409 under the field; then lee, a viewer); pat's role
//       changed with the select (saved at once); demoting the last admin is
//       refused (409) in the admin's row and the select goes back; the admin
//       may not disable themself
//   (c) dana, signed in in a second browser, is disabled (confirm): her next
//       action lands on the login page; enabled again; (d) Reset password with
//       a generated one shown once → dana signs in with it in a third browser
//   (e) /admin/audit: newest first; the actions above are there (who, what,
//       whom, detail); "Load more" brings older entries, no entry twice
//   (f) nora (engineer): no admin tabs; /admin/users and /admin/audit say
//       admins only; a wrong current password is refused under the field,
//       the right one works and ends her other session; "Log out everywhere"
//       (confirm) ends this session and another browser's too
//   (g) at 390 px /account, /admin/users and /admin/audit fit the width
//   Screenshots: tests/e2e/screenshots/account.png, admin-users.png,
//   admin-audit.png, account-390.png.
//
//   node --test tests/e2e/account.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, TZ, api, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const PW = 'account-e2e-password-1';
const NORA_PW2 = 'account-e2e-password-2';

let e;
let page;          // the admin
let danaPassword;  // set by the admin in (d)
const contexts = [];

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body);
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

/* A browser of its own (cookies apart). */
async function newPage(opts = {}) {
	const ctx = await e.browser.newContext({
		viewport: { width: 1360, height: 860 }, locale: 'en-US', timezoneId: TZ, colorScheme: 'light', ...opts,
	});
	if (process.env.CAIRN_NOW) await ctx.clock.setFixedTime(nowMs());
	contexts.push(ctx);
	return watch(await ctx.newPage());
}

async function signIn(p, login, password, next = '/') {
	await p.goto(`${e.base}/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
	await p.getByLabel('Login').fill(login);
	await p.getByLabel('Password').fill(password);
	await p.getByLabel('Password').press('Enter');
	await p.waitForURL(`${e.base}${next}`);
}

const userRow = (p, login) => p.locator(`[data-testid="user-row"][data-login="${login}"]`);

async function settle(p) {
	await p.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

async function overflow(p) {
	return p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/* The top bar fits the window: the user chip (now a link to /account) and Log
 * out inside it, nothing wider than the page.  (The nav links scroll sideways
 * when they do not all fit: style.css, "the decision log".) */
async function topbarFits(p) {
	const out = await p.locator('#topbar').getByRole('button', { name: 'Log out' }).boundingBox();
	const width = p.viewportSize().width;
	assert.ok(out.x + out.width <= width, `Log out (${out.x}+${out.width}) inside the window (${width})`);
	const me = await p.getByTestId('me').boundingBox();
	assert.ok(me.x + me.width <= out.x, 'the user chip before Log out');
	assert.ok(await overflow(p) <= 0, 'no horizontal overflow');
}

describe('Credentials: account, users, audit log', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-account-');
		page = e.page;
		for (const [login, name, role] of [['pat', 'Pat PM', 'pm'], ['dana', 'Dana Dev', 'engineer'],
			['nora', 'Nora Engineer', 'engineer'], ['vic', 'Vic Viewer', 'viewer']]) {
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		}
		for (let i = 1; i <= 55; i++) {
			await ok('POST', '/tokens', { name: `vic dashboard ${i}`, login: 'vic', scope: 'read' }, 201);
		}
	});

	after(async () => {
		for (const c of contexts) await c.close().catch(() => {});
		await tearDown(e);
	});

	let tokenId;
	let secret;

	it('(a) /account from the user chip: a read token made with the keyboard, shown once, then revoked', async () => {
		await loginWithKeyboard(e, 'admin', e.password, '/');
		await page.getByRole('heading', { name: 'Issues' }).waitFor();
		await page.getByTestId('inbox-badge').waitFor();
		await topbarFits(page);
		await page.getByTestId('me').click();
		await page.waitForURL(`${e.base}/account`);
		await page.getByRole('heading', { name: 'Your account' }).waitFor();
		assert.equal(await page.getByTestId('me').getAttribute('aria-current'), 'page');
		assert.equal((await page.getByTestId('profile-login').innerText()).trim(), 'admin');
		assert.equal((await page.getByTestId('profile-role').innerText()).trim(), 'Admin');
		await page.getByTestId('account-tabs').waitFor();
		await page.getByTestId('token-row').first().waitFor();   // the CLI's admin token
		const before = await page.getByTestId('token-row').count();

		// the form, with the keyboard
		await page.getByTestId('new-token').focus();
		await page.keyboard.press('Enter');
		const form = page.getByTestId('token-form');
		await form.waitFor();
		assert.equal(await page.getByTestId('new-token').getAttribute('aria-expanded'), 'true');
		assert.equal(await page.evaluate(() => document.activeElement.name), 'name', 'the focus is in the name field');
		await page.keyboard.type('CI export');
		await page.keyboard.press('Tab');              // to the scope radios: read is checked
		assert.equal(await page.evaluate(() => document.activeElement.value), 'read');
		assert.equal(await form.getByTestId('scope-read').isChecked(), true);
		for (const s of ['read', 'write', 'admin']) {
			assert.ok((await form.locator(`label:has([data-testid="scope-${s}"])`).innerText()).length > 20, `scope ${s} explained`);
		}
		const expires = addDays(todayYmd(), 30);
		await form.getByLabel('Expires (optional)').fill(expires);
		await form.getByLabel('Expires (optional)').press('Enter');
		const box = page.getByTestId('new-token-secret');
		await box.waitFor();
		secret = await box.getByTestId('new-token-secret-value').inputValue();
		assert.match(secret, /^cairn_[0-9a-f]{20,}$/);
		assert.match(await box.innerText(), /not be shown again/);
		await box.getByTestId('new-token-secret-copy').waitFor();
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid), 'new-token-secret-value', 'the secret is focused');
		assert.equal(await page.getByTestId('token-form').count(), 0, 'the form closed');

		// the new token reads and may not write
		assert.equal((await api({ base: e.base, token: secret }, 'GET', '/issues')).status, 200);
		const w = await api({ base: e.base, token: secret }, 'POST', '/issues', { title: 'nope' });
		assert.equal(w.status, 403, w.text);

		await page.getByTestId('token-row').nth(before).waitFor();
		const row = page.locator('[data-testid="token-row"]', { hasText: 'CI export' });
		tokenId = Number(await row.getAttribute('data-id'));
		assert.equal((await row.getByTestId('token-scope').innerText()).trim(), 'Read');
		assert.match(await row.getByTestId('token-expires').innerText(), new RegExp(String(Number(expires.slice(8, 10)))));
		assert.equal(await row.getByTestId('token-expired').count(), 0);
		await settle(page);
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: path.join(SHOTS, 'account.png'), fullPage: true });

		// shown once: gone after a reload, the row stays
		await page.reload();
		await row.waitFor();
		assert.equal(await page.getByTestId('new-token-secret').count(), 0);
		assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(secret));
		assert.doesNotMatch(await row.getByTestId('token-last-used').innerText(), /never/, 'used once, above');

		// revoke (confirm)
		let asked = '';
		page.once('dialog', d => { asked = d.message(); d.accept(); });
		await row.getByTestId('token-revoke').click();
		await row.waitFor({ state: 'detached' });
		assert.match(asked, /CI export/);
		assert.equal((await api({ base: e.base, token: secret }, 'GET', '/issues')).status, 401, 'the token stops at once');
		assert.equal(await page.getByTestId('token-row').count(), before);
	});

	it('(b) /admin/users: a role changed with the select; the last admin is kept', async () => {
		await page.getByTestId('acct-tab-users').click();
		await page.waitForURL(`${e.base}/admin/users`);
		await page.getByRole('heading', { name: 'Users' }).waitFor();
		await userRow(page, 'pat').waitFor();
		const logins = await page.getByTestId('user-row').evaluateAll(els => els.map(el => el.dataset.login));
		assert.deepEqual([...logins].sort(), ['admin', 'dana', 'nora', 'pat', 'vic']);

		// Add user: a login taken is refused under the field (409), then lee is added
		await page.getByTestId('add-user').click();
		const form = page.getByTestId('user-form');
		await form.waitFor();
		assert.equal(await page.evaluate(() => document.activeElement.name), 'login');
		await form.getByLabel('Login').fill('pat');
		await form.getByLabel('Name').fill('Lee Viewer');
		await form.getByLabel('Role').selectOption('viewer');
		await form.getByLabel('Password').fill('lee-password-123');
		await form.getByTestId('user-create').click();
		await page.locator('[data-testid="user-form"] [data-testid="error-login"]:not(:empty)').waitFor();
		assert.match(await form.getByTestId('error-login').innerText(), /taken/);
		assert.equal(await form.getByLabel('Login').getAttribute('aria-invalid'), 'true');
		await form.getByLabel('Login').fill('lee');
		await form.getByLabel('Login').press('Enter');
		await userRow(page, 'lee').waitFor();
		await form.waitFor({ state: 'detached' });
		assert.equal(await userRow(page, 'lee').getByTestId('user-role').inputValue(), 'viewer');
		assert.equal((await userRow(page, 'lee').getByTestId('user-name').innerText()).trim(), 'Lee Viewer');
		assert.equal(await page.getByTestId('password-secret').count(), 0, 'a typed password is not shown back');
		assert.match(await page.getByTestId('users-count').innerText(), /6 users/);
		assert.equal(await userRow(page, 'pat').getByTestId('user-role').inputValue(), 'pm');
		assert.equal((await userRow(page, 'pat').getByTestId('user-status').innerText()).trim(), 'Active');

		await userRow(page, 'pat').getByTestId('user-role').selectOption('cto');
		await page.locator('.toast', { hasText: 'pat is now CTO' }).waitFor();
		const users = await ok('GET', '/users');
		assert.equal(users.items.find(u => u.login === 'pat').role, 'cto');
		assert.equal(await userRow(page, 'pat').getByTestId('user-role').inputValue(), 'cto');
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid), 'user-role', 'the focus stays on the select');

		// the last admin cannot be demoted: the 409 in the row, the select goes back
		const me = userRow(page, 'admin');
		await me.getByTestId('user-role').selectOption('pm');
		const err = me.getByTestId('user-error');
		await page.locator('[data-testid="user-row"][data-login="admin"] [data-testid="user-error"]:not(:empty)').waitFor();
		assert.match(await err.innerText(), /last active admin/);
		assert.equal(await me.getByTestId('user-role').inputValue(), 'admin');
		assert.equal(await me.getByTestId('user-disable').isDisabled(), true, 'no disabling yourself');
		assert.equal((await ok('GET', '/users')).items.find(u => u.login === 'admin').role, 'admin');
	});

	it('(c) disabling dana ends her session at once; enabled again', async () => {
		const dana = await newPage();
		await signIn(dana, 'dana', PW, '/');
		await dana.getByRole('heading', { name: 'Issues' }).waitFor();

		page.once('dialog', d => d.accept());
		await userRow(page, 'dana').getByTestId('user-disable').click();
		await userRow(page, 'dana').locator('[data-testid="user-status"]:has-text("Disabled")').waitFor();
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid), 'user-enable');
		assert.equal((await ok('GET', '/users')).items.find(u => u.login === 'dana').disabled, true);
		await settle(page);
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: path.join(SHOTS, 'admin-users.png'), fullPage: true });

		// her next action: the login page
		await dana.getByTestId('nav-backlog').click();
		await dana.waitForURL(/\/login\?next=%2Fbacklog$/);
		await dana.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();

		await userRow(page, 'dana').getByTestId('user-enable').click();
		await userRow(page, 'dana').locator('[data-testid="user-status"]:has-text("Active")').waitFor();
		assert.equal((await ok('GET', '/users')).items.find(u => u.login === 'dana').disabled, false);
	});

	it('(d) Reset password: a generated one, shown once; dana signs in with it', async () => {
		const row = userRow(page, 'dana');
		await row.getByTestId('user-reset').click();
		const form = row.getByTestId('reset-form');
		await form.waitFor();
		assert.equal(await row.getByTestId('user-reset').getAttribute('aria-expanded'), 'true');
		// too short: refused in the page, nothing sent
		await form.getByTestId('reset-password').fill('short');
		await form.getByTestId('reset-save').click();
		assert.match(await form.getByTestId('reset-error').innerText(), /8 characters/);
		await form.getByTestId('reset-password-generate').click();
		const typed = await form.getByTestId('reset-password').inputValue();
		assert.ok(typed.length >= 12, typed);
		await form.getByTestId('reset-save').click();
		const box = page.getByTestId('password-secret');
		await box.waitFor();
		danaPassword = await box.getByTestId('password-secret-value').inputValue();
		assert.equal(danaPassword, typed);
		assert.match(await box.innerText(), /not be shown again/);
		assert.match(await row.getByTestId('user-note').innerText(), /sessions ended/);
		await box.getByTestId('password-secret-done').click();
		await box.waitFor({ state: 'detached' });

		const dana = await newPage();
		await signIn(dana, 'dana', danaPassword, '/');
		await dana.getByRole('heading', { name: 'Issues' }).waitFor();
		assert.equal(await dana.getByTestId('me-login').innerText(), 'dana');
	});

	it('(e) /admin/audit: newest first, the actions above, "Load more"', async () => {
		await page.getByTestId('acct-tab-audit').click();
		await page.waitForURL(`${e.base}/admin/audit`);
		await page.getByRole('heading', { name: 'Audit log' }).waitFor();
		await page.getByTestId('audit-row').first().waitFor();
		const rows = async () => page.getByTestId('audit-row').evaluateAll(els => els.map(el => ({
			id: Number(el.dataset.id),
			action: el.querySelector('[data-testid="audit-action"]').dataset.action,
			actor: el.querySelector('[data-testid="audit-actor"]').textContent.trim(),
			target: el.querySelector('[data-testid="audit-target"]').textContent.trim(),
			detail: el.querySelector('[data-testid="audit-detail"]').textContent.trim(),
		})));
		let list = await rows();
		assert.equal(list.length, 50, 'the first page');
		for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].id > list[i].id, 'newest first');
		const find = (action, target) => list.find(r => r.action === action && r.target === target);
		// newest first: the reset, enable, disable, role, revoke, create
		const order = ['user.password_reset', 'user.enabled', 'user.disabled', 'user.role', 'token.revoked', 'token.created'];
		const targets = ['dana', 'dana', 'dana', 'pat', 'admin', 'admin'];
		const hits = order.map((a, i) => find(a, targets[i]));
		for (const [i, hit] of hits.entries()) assert.ok(hit, `${order[i]} ${targets[i]} in ${JSON.stringify(list.slice(0, 8))}`);
		for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].id > hits[i].id, `${order[i - 1]} after ${order[i]}`);
		for (const hit of hits) assert.match(hit.actor, /admin/);
		assert.match(find('user.role', 'pat').detail, /pm.*cto/);
		assert.ok(find('user.created', 'lee').id < find('user.role', 'pat').id, 'lee added before pat’s role changed');
		assert.match(find('token.created', 'admin').detail, /CI export/);
		assert.match(find('token.revoked', 'admin').detail, /CI export/);
		assert.match(await page.locator(`[data-testid="audit-row"][data-id="${hits[0].id}"]`).innerText(), /Reset password/);
		await settle(page);
		await page.screenshot({ path: path.join(SHOTS, 'admin-audit.png') });

		// older entries: 55 tokens for vic, four users created, the CLI's first ones
		const more = page.getByTestId('audit-more');
		await more.focus();
		await page.keyboard.press('Enter');
		await page.getByTestId('audit-row').nth(50).waitFor();
		list = await rows();
		assert.ok(list.length > 50);
		assert.equal(new Set(list.map(r => r.id)).size, list.length, 'no entry twice');
		for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].id > list[i].id, 'still newest first');
		assert.ok(list.some(r => r.action === 'user.created' && r.target === 'nora'));
		// 68 entries in all: the second page was the last, the button is gone
		assert.equal(list.length, 68, `${list.length} entries`);
		assert.equal(await more.isVisible(), false, 'nothing more to load');
		assert.equal(list[list.length - 1].action, 'user.created', 'the oldest: the admin, created by cairn init');
		assert.equal(list[list.length - 1].target, 'admin');
	});

	it('(f) nora: admins only; her password; log out everywhere', async () => {
		const nora = await newPage();
		await signIn(nora, 'nora', PW, '/admin/users');
		await nora.getByTestId('admins-only').waitFor();
		assert.match(await nora.locator('main').innerText(), /Admins only/);
		assert.equal(await nora.getByTestId('user-row').count(), 0);
		await nora.goto(`${e.base}/admin/audit`);
		await nora.getByTestId('admins-only').waitFor();
		assert.equal(await nora.getByTestId('audit-row').count(), 0);

		await nora.getByTestId('me').click();
		await nora.waitForURL(`${e.base}/account`);
		await nora.getByTestId('profile').waitFor();
		assert.equal(await nora.getByTestId('account-tabs').count(), 0, 'no links to the admin pages');
		assert.equal(await nora.locator('a[href^="/admin"]').count(), 0);
		assert.equal((await nora.getByTestId('profile-role').innerText()).trim(), 'Engineer');
		await nora.getByTestId('tokens-empty').waitFor();
		await topbarFits(nora);

		// a second browser of nora's, to see the sessions end
		const other = await newPage();
		await signIn(other, 'nora', PW, '/');
		await other.getByRole('heading', { name: 'Issues' }).waitFor();

		// a wrong current password: under the field
		const form = nora.getByTestId('password-form');
		await form.getByLabel('Current password').fill('not-my-password');
		await form.getByLabel('New password', { exact: true }).fill(NORA_PW2);
		await form.getByLabel('Confirm the new password').fill(NORA_PW2);
		await form.getByTestId('password-save').click();
		const oldErr = form.getByTestId('error-old_password');
		await nora.locator('[data-testid="error-old_password"]:not(:empty)').waitFor();
		assert.match(await oldErr.innerText(), /not your current password/);
		assert.equal(await form.getByLabel('Current password').getAttribute('aria-invalid'), 'true');
		assert.equal(await nora.evaluate(() => document.activeElement.name), 'old_password');
		// the two new ones differ: said in the page, nothing sent
		await form.getByLabel('Current password').fill(PW);
		await form.getByLabel('Confirm the new password').fill(`${NORA_PW2}x`);
		await form.getByTestId('password-save').click();
		assert.match(await form.getByTestId('error-confirm_password').innerText(), /differ/);
		assert.equal(await oldErr.innerText(), '');
		// right
		await form.getByLabel('Confirm the new password').fill(NORA_PW2);
		await form.getByTestId('password-save').click();
		await nora.getByTestId('password-done').waitFor();
		assert.match(await nora.getByTestId('password-done').innerText(), /other sessions have ended/);
		assert.equal(await form.getByLabel('Current password').inputValue(), '', 'the fields are cleared');
		// this session stays, the other one ended
		await nora.reload();
		await nora.getByTestId('profile').waitFor();
		await other.getByTestId('nav-backlog').click();
		await other.waitForURL(/\/login\?next=%2Fbacklog$/);
		// the new password works
		await signIn(other, 'nora', NORA_PW2, '/backlog');

		// log out everywhere: this page and the other browser
		let asked = '';
		nora.once('dialog', d => { asked = d.message(); d.accept(); });
		await nora.getByTestId('logout-everywhere').click();
		await nora.waitForURL(/\/login$/);
		await nora.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
		assert.match(asked, /this one too/);
		await nora.locator('.toast', { hasText: /Logged out everywhere: 2 sessions ended/ }).waitFor();
		// the other browser's session is over: its next page asks for a sign-in (a
		// background call of its may have noticed first and sent it to the sign-in
		// page already, so go to the page rather than click a link that may be gone)
		await other.goto(`${e.base}/insights`);
		await other.waitForURL(/\/login\?next=%2Finsights$/);
		// and nora's cookie is gone: a new visit asks her to sign in
		await nora.goto(`${e.base}/account`);
		await nora.waitForURL(/\/login\?next=%2Faccount$/);
	});

	it('(g) at 390 px the account and admin pages fit the width', async () => {
		const p = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		await signIn(p, 'admin', e.password, '/account');
		await p.getByTestId('token-row').first().waitFor();
		await p.getByTestId('new-token').click();
		await p.getByTestId('token-form').waitFor();
		let over = await overflow(p);
		assert.ok(over <= 0, `/account: horizontal overflow ${over}px`);
		await p.evaluate(() => window.scrollTo(0, 0));
		await p.screenshot({ path: path.join(SHOTS, 'account-390.png'), fullPage: true });

		await p.goto(`${e.base}/admin/users`);
		await userRow(p, 'dana').waitFor();
		await userRow(p, 'dana').getByTestId('user-reset').click();
		await userRow(p, 'dana').getByTestId('reset-form').waitFor();
		over = await overflow(p);
		assert.ok(over <= 0, `/admin/users: horizontal overflow ${over}px`);
		await p.evaluate(() => window.scrollTo(0, 0));
		await p.screenshot({ path: path.join(SHOTS, 'admin-users-390.png'), fullPage: true });

		await p.goto(`${e.base}/admin/audit`);
		await p.getByTestId('audit-row').first().waitFor();
		over = await overflow(p);
		assert.ok(over <= 0, `/admin/audit: horizontal overflow ${over}px`);
		await p.screenshot({ path: path.join(SHOTS, 'admin-audit-390.png') });

		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
