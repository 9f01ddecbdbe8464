// Browser test of the home page (issue #14) on the realistic demo product
// (`cairn demo`): what waits for a PM and for an engineer, reached through
// the Cairn logo in the top bar (the bar gains no link: at 1360 px it is
// full), and the empty states a new user reads.
//
//   set-up: the demo product; a private security issue reported by pia and
//       assigned to eli, with a comment mentioning eli (neither may reach eli)
//   (a) pia (PM) clicks the logo on the issue list: /home with her cards —
//       assigned, mentions, waiting for me, security due, the milestone in
//       progress — matching GET /api/v1/home; the nav gains no link
//   (b) eli (engineer): no security card, the private issue nowhere
//   (c) eli at 390 px: one column, nothing wider than the screen
//   (d) a new engineer: every card empty and saying what to do
//   Screenshots: tests/e2e/screenshots/home-pm.png, home-engineer.png,
//   home-phone.png, home-new-user.png.
//
//   node --test tests/e2e/home.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, cli, newPage, setUp, signIn, tearDown } from './lib.mjs';

const DEMO_PW = 'cairn-demo';
let e, page, secret;

async function ok(method, p, body, status = 200, token) {
	const r = await api(token ? { base: e.base, token } : e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

async function homeAs(login) {
	const token = cli(e.db, ['token', 'new', login]).trim();
	return ok('GET', '/home', undefined, 200, token);
}

async function signOut(p = page) {
	await p.getByRole('button', { name: 'Log out' }).click();
	await p.waitForURL(/\/login/);
}

const cardIds = (p) => p.locator('.home-grid > section').evaluateAll((els) => els.map((x) => x.dataset.testid));

describe('The home page on the demo product', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-home-');
		page = e.page;
		assert.match(cli(e.db, ['demo']), /demo product created/);
		const piaToken = cli(e.db, ['token', 'new', 'pia']).trim();
		secret = await ok('POST', '/issues', { title: 'Secret token leak in exports', type: 'security', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', assignee: 'eli' }, 201, piaToken);
		await ok('POST', `/issues/${secret.number}/comments`, { body: '@eli can you look at this one?' }, 201, piaToken);
	});
	after(() => tearDown(e));

	it('(a) a PM reaches /home through the logo and sees every card', async () => {
		const data = await homeAs('pia');
		await signIn(e, page, 'pia', DEMO_PW, '/');
		await page.getByTestId('nav-home').click();
		await page.waitForURL(`${e.base}/home`);
		await page.getByTestId('home').waitFor();
		assert.equal(await page.getByTestId('nav-home').getAttribute('aria-current'), 'page');
		assert.deepEqual(await cardIds(page), ['home-assigned', 'home-mentions', 'home-watching', 'home-reviews', 'home-security', 'home-milestone']);
		assert.equal(await page.getByTestId('home-assigned-count').textContent(), String(data.assigned.total));
		const sec = data.security;
		assert.equal(await page.getByTestId('home-security').getByTestId('home-item').count(), sec.overdue.length + sec.due_soon.length);
		assert.ok(sec.overdue.length + sec.due_soon.length > 0, 'the demo has security issues due');
		assert.equal(await page.getByTestId('home-security').getByText(secret.title).count(), 1, 'a PM sees the private issue');
		const reviews = page.getByTestId('home-reviews').getByTestId('home-review');
		assert.equal(await reviews.filter({ has: page.locator('a[href^="/releases/"]') }).count(), data.reviews.changelog.items.length);
		assert.ok(data.reviews.changelog.items.length > 0, 'the demo has entries in review');
		assert.equal(await page.getByTestId('home-milestone-link').textContent(), data.milestone.title);
		assert.equal(await page.getByTestId('home-milestone-points').evaluate((el) => el.firstChild.textContent),
			`${data.milestone.done_points} of ${data.milestone.load} points done`);
		if (data.milestone.remaining)
			assert.match(await page.getByTestId('home-milestone-forecast').textContent(),
				data.milestone.forecast_p85 ? /85 % likely done by .* % by the due date/ : /Not likely done/);
		// the top bar gained nothing: the same twelve links, the logo as wide as before
		const links = await page.getByTestId('main-nav').locator('a').count();
		assert.equal(links, 12, 'no link added to the nav');
		const brand = await page.getByTestId('nav-home').boundingBox();
		assert.ok(brand.width < 80, `the logo link is ${brand.width} px wide`);
		// on the demo the Inbox and Insights counts show, and still every link fits at 1360 px
		const badges = await page.getByTestId('main-nav').locator('.nav-badge:visible').count();
		assert.ok(badges >= 1, 'the demo shows at least one count in the nav');
		const nav = await page.getByTestId('main-nav').boundingBox();
		const rel = await page.getByTestId('nav-releases').boundingBox();
		assert.ok(rel.x + rel.width <= nav.x + nav.width + 0.5,
			`Releases (${rel.x}+${rel.width}) must fit inside the nav (${nav.x}+${nav.width}) with ${badges} counts showing`);
		await page.screenshot({ path: path.join(SHOTS, 'home-pm.png'), fullPage: true });
		// a card's item leads to the issue
		const first = page.getByTestId('home-assigned').locator('a.home-link').first();
		if (data.assigned.items.length) {
			await first.click();
			await page.waitForURL(`${e.base}/issues/${data.assigned.items[0].number}`);
		}
		await signOut();
	});

	it('(b) an engineer: no security card, the private issue nowhere', async () => {
		const data = await homeAs('eli');
		assert.equal(data.security, null);
		await signIn(e, page, 'eli', DEMO_PW, '/home');
		await page.getByTestId('home').waitFor();
		assert.deepEqual(await cardIds(page), ['home-assigned', 'home-mentions', 'home-watching', 'home-reviews', 'home-milestone']);
		const text = await page.getByTestId('home').textContent();
		assert.ok(!text.includes(secret.title), 'the private issue is not shown to an engineer');
		assert.equal(await page.locator(`a[href="/issues/${secret.number}"]`).count(), 0);
		assert.equal(await page.getByTestId('home-assigned').getByTestId('home-item').count(), data.assigned.items.length);
		assert.equal(await page.getByTestId('home-mentions').getByTestId('home-item').count(), data.mentions.items.length);
		await page.screenshot({ path: path.join(SHOTS, 'home-engineer.png'), fullPage: true });
		await signOut();
	});

	it('(c) at 390 px: one column, nothing wider than the screen', async () => {
		const p = await newPage(e, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		await signIn(e, p, 'eli', DEMO_PW, '/home');
		await p.getByTestId('home').waitFor();
		const wide = await p.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(wide <= 390, `the page is ${wide} px wide at 390`);
		const boxes = await p.locator('.home-grid > section').evaluateAll((els) => els.map((x) => x.getBoundingClientRect().left));
		assert.ok(boxes.every((x) => Math.abs(x - boxes[0]) < 1), 'the cards stack in one column');
		await p.screenshot({ path: path.join(SHOTS, 'home-phone.png'), fullPage: true });
		await p.context().close();
	});

	it('(d) a new user: the cards say what to do', async () => {
		await ok('POST', '/users', { login: 'newbie', name: 'New Engineer', role: 'engineer', password: 'home-e2e-password-1' }, 201);
		await signIn(e, page, 'newbie', 'home-e2e-password-1', '/home');
		await page.getByTestId('home').waitFor();
		assert.match(await page.getByTestId('home-assigned').textContent(), /Nothing is assigned to you/);
		assert.match(await page.getByTestId('home-mentions').textContent(), /Nobody has mentioned you yet/);
		assert.match(await page.getByTestId('home-watching').textContent(), /Nothing changed on the issues you watch/);
		assert.match(await page.getByTestId('home-reviews').textContent(), /Nothing waits for your review/);
		await page.screenshot({ path: path.join(SHOTS, 'home-new-user.png'), fullPage: true });
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
