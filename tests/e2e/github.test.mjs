// Browser test of the GitHub settings page and the GitHub link
// (issue #16, docs/github.md).
//
//   (a) the admin opens /admin/github from the account tabs, adds a
//       repository with a generated secret: it is shown once, then the page
//       says only "set" (the value is nowhere after a reload)
//   (b) a signed delivery from "GitHub" shows in the delivery log; Re-process
//       runs it again; the issue it opened links to GitHub on its page
//   (c) an engineer gets "admins only" and no GitHub tab
//   Screenshots: tests/e2e/screenshots/github-settings.png, github-issue.png.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { SHOTS, api, cli, newPage, setUp, signIn, tearDown } from './lib.mjs';

let e, page, secret;

describe('GitHub settings', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-github-');
		page = e.page;
		cli(e.db, ['user', 'add', 'eng1', '--role', 'engineer', '--password-stdin'], { input: 'engineer-password-1\n' });
		const p = await api(e, 'POST', '/pillars', { name: 'Platform' });
		await api(e, 'POST', '/areas', { pillar: p.json.id, name: 'search' });
	});
	after(() => tearDown(e));

	it('(a) an admin adds a repository; the secret is shown once', async () => {
		await signIn(e, page, 'admin', e.password, '/account');
		await page.getByTestId('acct-tab-github').click();
		await page.waitForURL(/\/admin\/github$/);
		await page.getByTestId('gh-no-repos').waitFor();
		await page.getByTestId('gh-full-name').fill('Codertocat/Hello-World');
		await page.getByTestId('gh-token').fill('ghp_secret_token_value');
		await page.getByTestId('gh-add').click();
		const box = page.getByTestId('gh-secret-box');
		await box.waitFor();
		secret = await page.getByTestId('gh-secret-box-value').inputValue();
		assert.ok(secret.length >= 16);
		const row = page.getByTestId('gh-repo-row');
		await row.waitFor();
		assert.match(await row.getByTestId('gh-has-secret').innerText(), /set/);
		assert.match(await row.getByTestId('gh-has-token').innerText(), /set/);
		await page.reload();
		await page.getByTestId('gh-repo-row').waitFor();
		const html = await page.content();
		assert.ok(!html.includes(secret) && !html.includes('ghp_secret_token_value'), 'write-only after saving');
		// the mapping is changed in place
		await page.getByTestId('gh-repo-area').selectOption({ label: 'Platform › search' });
		await page.getByText('Codertocat/Hello-World now maps to Platform › search').waitFor();
		const repos = await api(e, 'GET', '/github/repos');
		assert.equal(repos.json.items[0].area.name, 'search');
		await page.reload();
		await page.getByTestId('gh-repo-row').waitFor();
		assert.equal(await page.getByTestId('gh-repo-area').evaluate((el) => el.selectedOptions[0].textContent), 'Platform › search');
		await page.getByTestId('gh-repo-area').selectOption({ label: 'The whole product' });
		await page.getByText('Codertocat/Hello-World now maps to the whole product').waitFor();
		// a duplicate is refused under its field
		await page.getByTestId('gh-full-name').fill('codertocat/hello-world');
		await page.getByTestId('gh-add').click();
		await page.getByTestId('error-full_name').filter({ hasText: /already configured/ }).waitFor();
	});

	it('(b) deliveries are logged and can be re-processed; the issue links to GitHub', async () => {
		const p = JSON.parse(fs.readFileSync('tests/fixtures/github/issues.opened.json', 'utf8'));
		const raw = JSON.stringify(p);
		const res = await fetch(`${e.base}/hooks/github`, { method: 'POST', body: raw, headers: {
			'Content-Type': 'application/json', 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': randomUUID(),
			'X-Hub-Signature-256': 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex') } });
		assert.equal(res.status, 200, await res.text());
		await page.reload();
		const d = page.getByTestId('gh-delivery-row').first();
		await d.waitFor();
		assert.match(await d.innerText(), /issues\.opened/);
		assert.match(await d.getByTestId('gh-delivery-result').innerText(), /applied/);
		await page.screenshot({ path: path.join(SHOTS, 'github-settings.png'), fullPage: true });
		await d.getByTestId('gh-reprocess').click();
		await page.getByText(/\(2 runs\)/).waitFor();
		const list = await api(e, 'GET', '/issues?q=Spelling');
		const n = list.json.items[0].number;
		await page.goto(`${e.base}/issues/${n}`);
		const link = page.getByTestId('issue-github');
		await link.waitFor();
		assert.match(await link.innerText(), /Codertocat\/Hello-World#1/);
		assert.equal(await link.locator('a').getAttribute('href'), 'https://github.com/Codertocat/Hello-World/issues/1');
		await page.screenshot({ path: path.join(SHOTS, 'github-issue.png') });
	});

	it('(c) an engineer gets "admins only" and no GitHub tab', async () => {
		const p = await newPage(e);
		await signIn(e, p, 'eng1', 'engineer-password-1', '/admin/github');
		await p.getByTestId('admins-only').waitFor();
		assert.equal(await p.getByTestId('acct-tab-github').count(), 0);
		await p.context().close();
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
