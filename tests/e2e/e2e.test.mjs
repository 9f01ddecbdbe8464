// Browser test of the Cairn web UI: a real server (build/cairn) on a fresh
// database, driven by Debian's Chromium through playwright-core.
//
//   node --test tests/e2e/          (from the repo root)
//
// Environment:
//   CAIRN_BIN      server binary            (default build/cairn)
//   CHROMIUM       browser executable       (default /usr/bin/chromium)
//   CAIRN_TEST_DB  unset: a fresh SQLite file; set: a PostgreSQL URL template
//                  with {db}, e.g. postgresql://cairn@/{db}?host=/tmp/pgt&port=54329,
//                  and the test runs on a fresh database created from it
//                  (tests/lib/testdb.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, setUp, tearDown } from './lib.mjs';

let e; // server, browser and page (lib.mjs)
let base;
let context;
let page;
let PASSWORD;

/* ---------- API helpers (same browser context, so same session cookie) ---------- */

async function csrf() {
	const r = await context.request.get(`${base}/api/v1/session`);
	assert.equal(r.status(), 200, 'GET /api/v1/session after login');
	return (await r.json()).csrf;
}

async function apiCreate(token, fields) {
	const r = await context.request.post(`${base}/api/v1/issues`, {
		headers: { 'X-CSRF-Token': token }, data: fields,
	});
	assert.equal(r.status(), 201, `POST /api/v1/issues: ${await r.text()}`);
	return r.json();
}

/* ---------- suite ---------- */

describe('Cairn web UI', { timeout: 180000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-');
		({ base, context, page } = e);
		PASSWORD = e.password;
	});

	after(async () => {
		await tearDown(e);
	});

	let number; // the issue created through the UI
	const TITLE = 'Zebra export <em>quarterly</em> & report';
	const BODY = [
		'Customers need the **bold** export.',
		'',
		'<script>window.__xss = "script"</script>',
		'',
		'<img src="x" onerror="window.__xss = \'img\'">',
		'',
		'[click](javascript:window.__xss=\'link\')',
		'',
		'- [ ] CSV',
		'- [x] JSON',
	].join('\n');

	it('shows the login page and refuses a wrong password', async () => {
		await page.goto(`${base}/`);
		await page.waitForURL(/\/login$/);
		await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
		assert.equal(await page.locator('#topbar').isVisible(), false, 'no top bar before login');
		await page.screenshot({ path: path.join(SHOTS, 'login.png') });

		await page.getByLabel('Login').fill('admin');
		await page.getByLabel('Password').fill('not-the-password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('alert').filter({ hasText: 'Wrong login or password' }).waitFor();
	});

	it('logs in and shows the user in the top bar', async () => {
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(`${base}/`);
		await page.getByRole('heading', { name: 'Issues' }).waitFor();
		const bar = page.locator('#topbar');
		assert.match(await bar.innerText(), /Cairn/);
		assert.equal(await page.getByTestId('me-login').innerText(), 'admin');
		assert.match(await page.getByTestId('me-role').innerText(), /admin/i);
		await bar.getByRole('button', { name: 'Log out' }).waitFor();
		assert.equal(await page.locator('#filter').inputValue(), 'is:open', 'default filter');
	});

	it('creates an issue through the form', async () => {
		await page.locator('#topbar').getByRole('link', { name: 'New issue' }).click();
		await page.waitForURL(/\/issues\/new$/);
		await page.getByLabel('Title').fill(TITLE);
		await page.getByLabel('Type').selectOption('feature');
		await page.getByLabel('Priority').selectOption('high');
		await page.getByLabel('Size').selectOption('M');
		await page.getByLabel('Labels').fill('area:export, headline , area:export');
		await page.getByLabel('Description').fill(BODY);
		await page.getByRole('button', { name: 'Create issue' }).click();
		await page.waitForURL(/\/issues\/\d+$/);
		number = Number(/\/issues\/(\d+)$/.exec(page.url())[1]);
		assert.ok(number > 0);
	});

	it('renders the issue safely: markdown yes, injected HTML no', async () => {
		const title = page.getByTestId('issue-title');
		await title.waitFor();
		assert.equal(await title.innerText(), TITLE, 'title shown literally');
		assert.equal(await title.locator('em').count(), 0, 'no markup from the title');

		const body = page.getByTestId('issue-body');
		assert.equal(await body.locator('strong').innerText(), 'bold');
		assert.equal(await body.locator('script').count(), 0, 'no <script> in the rendered body');
		assert.equal(await body.locator('[onerror], [onload], [onclick]').count(), 0, 'no event handler attributes');
		assert.equal(await body.locator('a[href^="javascript:" i]').count(), 0, 'no javascript: links');
		await page.waitForTimeout(300); // let a broken <img> fire its error event
		assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected script ran');

		const side = page.getByRole('complementary', { name: 'Properties' });
		const props = await side.innerText();
		assert.match(props, /Feature/);
		assert.match(props, /High/);
		assert.match(props, /\bM\b/);
		assert.match(props, /area:export/);
		assert.match(props, /headline/);
		assert.match(props, /admin/, 'reporter');
		// times are shown in the browser's zone (Asia/Kolkata, GMT+5:30)
		const created = await side.locator('time').first().getAttribute('title');
		assert.match(created, /GMT\+5:30/, `local time zone in ${created}`);
		assert.equal(await side.locator('.label').count(), 2, 'duplicate label dropped');
	});

	it('finds the issue with the filter box and pages through the list', async () => {
		// Fill the list with issues made through the API so there are two pages.
		const token = await csrf();
		const kinds = ['bug', 'story', 'task', 'feature', 'epic'];
		const prios = ['high', 'medium', 'low', null];
		const sizes = ['XS', 'S', 'M', 'L', 'XL', null];
		const words = ['Onboarding checklist', 'Billing page', 'Slow dashboard', 'SSO for Okta', 'Audit log export',
			'Roadmap view', 'Webhook retries', 'Dark mode polish', 'Search by label', 'Milestone burn-up'];
		for (let i = 0; i < 52; i++) {
			const f = { title: `${words[i % words.length]} ${i + 1}`, type: kinds[i % kinds.length] };
			if (prios[i % 4]) f.priority = prios[i % 4];
			if (sizes[i % 6]) f.pm_size = sizes[i % 6];
			if (i % 3 === 0) f.labels = ['area:web'];
			if (i % 7 === 0) f.labels = ['Customer Request', 'area:api'];
			await apiCreate(token, f);
		}

		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Issues' }).click();
		await page.waitForURL(`${base}/`);
		const rows = page.locator('table.issues tbody tr');
		await page.getByRole('navigation', { name: 'Pages' }).getByText('1–50 of 53').waitFor();
		assert.equal(await rows.count(), 50);
		await page.getByRole('button', { name: 'Next →' }).click();
		await page.getByRole('navigation', { name: 'Pages' }).getByText('51–53 of 53').waitFor();
		assert.equal(await rows.count(), 3);
		assert.match(page.url(), /[?&]page=2\b/);
		await page.getByRole('button', { name: '← Previous' }).click();
		await page.getByRole('navigation', { name: 'Pages' }).getByText('1–50 of 53').waitFor();

		// An invalid query shows the API's message.
		const filter = page.getByRole('searchbox', { name: 'Filter' });
		await filter.fill('is:open type:nonsense');
		await filter.press('Enter');
		const err = page.locator('.list-msg [role=alert]');
		await err.waitFor();
		assert.ok((await err.innerText()).trim().length > 0, 'error message shown');
		assert.equal(await filter.getAttribute('aria-invalid'), 'true');

		await filter.fill('is:open zebra');
		await filter.press('Enter');
		await page.locator('.list-msg [role=alert]').waitFor({ state: 'detached' });
		await rows.filter({ hasText: 'Zebra export' }).waitFor();
		assert.equal(await rows.count(), 1);
		const row = rows.first();
		assert.equal(await row.locator('td.num').innerText(), String(number));
		const text = await row.innerText();
		assert.match(text, /Feature/);
		assert.match(text, /High/);
		assert.match(text, /\bM\b/);
		assert.match(text, /area:export/);
		assert.match(text, /Open/);
		assert.match(decodeURIComponent(page.url()), /q=is:open\+zebra|q=is:open zebra/);

		// The screenshot shows a full first page.
		await filter.fill('');
		await filter.press('Enter');
		await page.getByRole('navigation', { name: 'Pages' }).getByText('1–50 of 53').waitFor();
		await page.screenshot({ path: path.join(SHOTS, 'list.png') });

		await filter.fill('zebra');
		await filter.press('Enter');
		await rows.filter({ hasText: 'Zebra export' }).waitFor();
		await rows.count().then(n => assert.equal(n, 1));
		// Clicking the row (not the link) opens the issue.
		await rows.first().locator('td.num').click();
		await page.waitForURL(`${base}/issues/${number}`);
		await page.getByTestId('issue-body').locator('strong').waitFor();
	});

	it('edits a field and shows the change in the history', async () => {
		await page.getByRole('button', { name: 'Edit' }).click();
		const form = page.getByRole('form', { name: 'Edit issue' });
		await form.waitFor();
		assert.equal(await form.getByLabel('Title').inputValue(), TITLE);
		assert.equal(await form.getByLabel('Priority').inputValue(), 'high');
		await form.getByLabel('Priority').selectOption('low');
		await form.getByLabel('Size', { exact: true }).selectOption('L');
		await form.getByRole('button', { name: 'Save changes' }).click();
		await form.waitFor({ state: 'detached' });

		const side = page.getByRole('complementary', { name: 'Properties' });
		await side.getByText('Low', { exact: true }).waitFor();
		const prio = page.locator('.timeline li[data-field="priority"]');
		await prio.waitFor();
		const t = await prio.innerText();
		assert.match(t, /admin/);
		assert.match(t, /High\s*→\s*Low/);
		assert.match(await page.locator('.timeline li[data-field="size"]').innerText(), /none\s*→\s*L/);
		assert.match(await side.innerText(), /\bL\b/);
		await page.screenshot({ path: path.join(SHOTS, 'issue.png'), fullPage: true });
	});

	it('reports a concurrent change (412) and reloads', async () => {
		// Someone else changes the issue behind the page's back.
		const token = await csrf();
		const cur = await (await context.request.get(`${base}/api/v1/issues/${number}`)).json();
		const r = await context.request.patch(`${base}/api/v1/issues/${number}`, {
			headers: { 'X-CSRF-Token': token, 'If-Match': `"${cur.version}"` },
			data: { priority: 'medium' },
		});
		assert.equal(r.status(), 200, `PATCH by someone else: ${await r.text()}`);

		await page.getByRole('button', { name: 'Edit' }).click();
		const form = page.getByRole('form', { name: 'Edit issue' });
		await form.getByLabel('Title').fill('Zebra export, renamed');
		await form.getByRole('button', { name: 'Save changes' }).click();
		const warn = form.getByRole('alert');
		await warn.waitFor();
		assert.match(await warn.innerText(), /changed by someone else/i);
		assert.match(await warn.innerText(), /reload/i);
		assert.equal(await page.getByTestId('issue-title').innerText(), TITLE, 'nothing saved');

		await warn.getByRole('button', { name: 'Reload' }).click();
		await form.waitFor({ state: 'detached' });
		await page.getByRole('complementary', { name: 'Properties' }).getByText('Medium', { exact: true }).waitFor();
	});

	it('survives a reload on a deep link and logs out', async () => {
		await page.goto(`${base}/issues/${number}`);
		await page.getByTestId('issue-title').waitFor();
		await page.getByRole('button', { name: 'Log out' }).click();
		await page.waitForURL(/\/login$/);
		await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
		await page.goto(`${base}/issues/${number}`);
		await page.waitForURL(/\/login\?next=/);
		assert.equal(new URL(page.url()).searchParams.get('next'), `/issues/${number}`);
		const r = await context.request.get(`${base}/api/v1/session`);
		assert.equal(r.status(), 401, 'session ended on the server');
	});

	it('had no script errors in the page', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
