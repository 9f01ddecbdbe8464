// Browser test of releases (issue #11): changelog entries drafted from a
// milestone's headline items, reviewed and published in the web UI, "who to
// tell", the public changelog and its Atom feed — a real server on a fresh
// database, Debian's Chromium through playwright-core (tests/e2e/lib.mjs).
//
//   (a) the PM opens the milestone page: the Changelog checklist names the
//       two shipped headline items without an entry; "Draft entries from
//       headline items" drafts two (and, again, none: "0 drafted, 2 already
//       had one"); the release notes show as Markdown with a Copy button
//   (b) the PM opens a draft, edits its description with the keyboard (e,
//       Ctrl+Enter; an unknown author is refused with the server's words),
//       submits it for review; being an author, their Approve is disabled
//       with the reason (and the server refuses it too)
//   (c) an engineer who is not an author finds it in /releases (tabs with
//       counts), comments and approves; they get no Publish button
//   (d) the PM replies to the comment and resolves it, publishes; "Who to
//       tell" names the customer behind the entry's issue (not the one
//       behind the other draft) with the ready-to-send message; Copy puts
//       it on the clipboard; Mark told marks it (told, by whom); the
//       customer page lists it under "Shipped for them"
//   (e) a viewer sees the entries and no write control at all
//   (f) the admin turns the public changelog on (Settings), adds and deletes
//       a hook, sees the delivery of the publish event; an anonymous reader
//       gets /changelog and /changelog.atom with the published entry and
//       without the draft
//   (g) phone-sized (390 px): the list, the entry and the milestone's
//       checklist fit the width
//   Screenshots: tests/e2e/screenshots/milestone-changelog.png, release-entry.png,
//   releases-list.png, release-tell.png, release-settings.png, public-changelog.png,
//   release-entry-390.png, releases-list-390.png.
//
//   node --test tests/e2e/releases.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';

import { SHOTS, TZ, api, cli, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

const PW = 'releases-e2e-password-1';
const DESCRIPTION = 'Download any list as CSV: invoices, customers and issues.';

let e;
let page;
const n = {};       // issue numbers
const ids = {};     // entry ids: csv (published), dark (stays a draft)
const cust = {};
let ms;
let pmToken;
const hookHits = [];
let hookServer;

function ymd(days) {
	return addDays(todayYmd(), days);
}

async function ok(method, p, body, status = 200, headers = {}) {
	const r = await api(e, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*', ...headers } : headers);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

/* The API as the PM (their own token: the issues they file name them as reporter). */
async function asPm(method, p, body) {
	return api({ base: e.base, token: pmToken }, method, p, body, method === 'PATCH' && p.startsWith('/issues/') ? { 'If-Match': '*' } : {});
}

async function logout() {
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/\/login/);
}

/* Let the toasts fade before a screenshot. */
async function settle() {
	await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

/* Watch a page of another context for script errors too. */
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

const entryRow = (id) => page.locator(`[data-testid="release-row"][data-id="${id}"]`);
const flow = () => page.getByTestId('workflow');

describe('Releases: changelog entries, review, publishing, the public changelog', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-releases-');
		page = e.page;
		await e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e.base });
		for (const [login, name, role] of [['pat', 'Pat PM', 'pm'], ['erin', 'Erin Engineer', 'engineer'],
			['rex', 'Rex Reviewer', 'engineer'], ['vera', 'Vera Viewer', 'viewer']]) {
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		}
		pmToken = cli(e.db, ['token', 'new', 'pat']).trim();

		// A receiver for the publish event (a hook, signed; the server retries it in the background).
		hookServer = http.createServer((req, res) => {
			let body = '';
			req.on('data', (d) => { body += d; });
			req.on('end', () => { hookHits.push({ headers: req.headers, body }); res.end('ok'); });
		});
		await new Promise((r) => hookServer.listen(0, '127.0.0.1', r));
		await ok('POST', '/hooks', { url: `http://127.0.0.1:${hookServer.address().port}/cairn`, secret: 'a-very-secret-secret-0123' }, 201);

		ms = await ok('POST', '/milestones', { title: '3.4', start: ymd(-13), due: ymd(1), capacity: 20 }, 201);
		// Two shipped headline items filed by the PM, done by Erin; one plain closed item.
		const file = async (fields) => {
			const r = await asPm('POST', '/issues', fields);
			assert.equal(r.status, 201, r.text);
			return r.json.number;
		};
		n.csv = await file({
			title: 'Export lists to CSV', type: 'feature', labels: ['headline'],
			body: 'Any list can be downloaded as CSV.\n\nThe **export** button sits on every list; quoting follows RFC 4180.\n\n- invoices\n- customers',
		});
		n.dark = await file({
			title: 'Dark mode for the dashboard', type: 'feature', labels: ['headline'],
			body: 'The dashboard follows the system colour scheme.\n\nContrast checked against WCAG AA.',
		});
		n.fix = await file({ title: 'Fix the login redirect loop', type: 'bug', body: 'It looped.' });
		for (const num of [n.csv, n.dark, n.fix]) {
			await ok('PATCH', `/issues/${num}`, { milestone: ms.id, assignee: 'erin' });
			await ok('PATCH', `/issues/${num}`, { state: 'closed' });
		}
		// Acme asked for the CSV export; Globex for dark mode (which stays a draft).
		cust.acme = await ok('POST', '/customers', { name: 'Acme Corp', tier: 'Enterprise', arr: 250000, seats: 400, strategic: true }, 201);
		cust.globex = await ok('POST', '/customers', { name: 'Globex', tier: 'Premium', arr: 40000, seats: 60, strategic: false }, 201);
		const today = new Date(nowMs()).toISOString().replace(/\.\d+Z$/, 'Z');
		const acmeAsk = await ok('POST', '/insights', { source: 'call', customer: 'Acme Corp', title: 'Finance needs invoices in a spreadsheet', body: 'Every month-end.', captured_at: today }, 201);
		const globexAsk = await ok('POST', '/insights', { source: 'support', customer: 'Globex', title: 'Night shift wants a dark dashboard', captured_at: today }, 201);
		await ok('POST', `/insights/${acmeAsk.id}/links`, { issue: n.csv, importance: 'critical' });
		await ok('POST', `/insights/${globexAsk.id}/links`, { issue: n.dark, importance: 'important' });
		cust.acmeAsk = acmeAsk.id;
		// Last month's post, brought in from the handbook (import: published, no milestone).
		const imp = await asPm('POST', '/changelog/import', { files: [{
			name: `${ymd(-30)}-saved-filters.md`,
			content: '---\ntitle: "Saved filters"\ndescription: "Keep a query and find it again in one click."\n'
				+ `date: ${ymd(-30)} 12:00:00.0\nauthors: ["pat"]\ntags:\n  - changelog\nissues:\n  - "https://github.com/acme/cairn/issues/42"\n---\n\n`
				+ 'Save any search from the issue list; it shows in the **sidebar**.\n',
		}] });
		assert.equal(imp.status, 200, imp.text);
		assert.equal(imp.json.imported.length, 1, imp.text);
		ids.old = imp.json.imported[0].id;
	});

	after(async () => {
		if (hookServer) await new Promise((r) => hookServer.close(r));
		await tearDown(e);
	});

	it('(a) the PM drafts entries from the milestone’s headline items; the checklist and the release notes', async () => {
		await loginWithKeyboard(e, 'pat', PW, `/milestones/${ms.id}`);
		const box = page.getByTestId('ms-changelog');
		await box.getByTestId('cl-missing-item').first().waitFor();
		assert.equal(await box.getByTestId('cl-missing-item').count(), 2, 'two shipped headline items without an entry');
		const missing = await box.getByTestId('cl-missing').innerText();
		assert.match(missing, /Export lists to CSV/);
		assert.match(missing, /Dark mode for the dashboard/);
		assert.doesNotMatch(missing, /login redirect/, 'not a headline item');
		assert.match(await box.getByTestId('cl-summary').innerText(), /2 headline items shipped without an entry/);

		await box.getByTestId('draft-entries').click();
		await box.getByTestId('draft-result').filter({ hasText: '2 drafted, 0 already had one.' }).waitFor();
		await box.getByTestId('cl-draft').getByTestId('cl-entry').nth(1).waitFor();
		assert.equal(await box.getByTestId('cl-entry').count(), 2);
		assert.equal((await box.getByTestId('cl-draft-count').innerText()).trim(), '2');
		assert.equal(await box.getByTestId('cl-missing-item').count(), 0, 'nothing left without an entry');
		// Idempotent: nothing new the second time.
		await box.getByTestId('draft-entries').click();
		await box.getByTestId('draft-result').filter({ hasText: '0 drafted, 2 already had one.' }).waitFor();
		assert.equal(await box.getByTestId('cl-entry').count(), 2);
		const list = await ok('GET', `/changelog?milestone=${ms.id}`);
		assert.equal(list.total, 2);
		ids.csv = list.items.find((x) => x.title === 'Export lists to CSV').id;
		ids.dark = list.items.find((x) => x.title === 'Dark mode for the dashboard').id;

		// The release notes: Markdown in a <pre>, copied as it is.
		await box.getByTestId('release-notes-toggle').click();
		const md = box.getByTestId('release-notes');
		await md.waitFor();
		const notes = await md.innerText();
		const server = await api(e, 'GET', `/milestones/${ms.id}/release-notes?format=markdown`);
		assert.equal(notes.trim(), server.text.trim(), 'the server’s Markdown, unchanged');
		assert.match(notes, /### Added[\s\S]*Export lists to CSV/);
		assert.match(notes, /### Fixed[\s\S]*Fix the login redirect loop/);
		await box.getByTestId('release-notes-copy').click();
		await box.getByTestId('release-notes-copy').filter({ hasText: 'Copied' }).waitFor();
		assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trim(), server.text.trim());
		assert.equal(await box.getByTestId('release-notes-toggle').getAttribute('aria-expanded'), 'true');
		await settle();
		await box.screenshot({ path: path.join(SHOTS, 'milestone-changelog.png') });
	});

	it('(b) the PM edits a draft with the keyboard and submits it for review; an author cannot approve it', async () => {
		const box = page.getByTestId('ms-changelog');
		await box.getByRole('link', { name: 'Export lists to CSV' }).click();
		await page.waitForURL(`${e.base}/releases/${ids.csv}`);
		await page.getByTestId('entry-title').filter({ hasText: 'Export lists to CSV' }).waitFor();
		// Pre-filled from the issue: the first paragraph, the rest as body; assignee and reporter as authors.
		assert.equal(await page.getByTestId('entry-description').innerText(), 'Any list can be downloaded as CSV.');
		assert.equal(await page.getByTestId('entry-body').locator('strong').innerText(), 'export');
		const authors = await page.getByTestId('entry-authors').innerText();
		assert.match(authors, /erin/);
		assert.match(authors, /pat/);
		const issueLink = page.getByTestId('entry-issues').getByRole('link', { name: new RegExp(`#${n.csv} Export lists to CSV`) });
		assert.equal(await issueLink.getAttribute('href'), `/issues/${n.csv}`);
		assert.match(await page.getByTestId('entry-issues').innerText(), /Closed/);
		assert.match(await page.getByTestId('entry-filename').innerText(), /^\d{4}-\d{2}-\d{2}-export-lists-to-csv\.md$/);
		assert.match(await page.getByTestId('entry-export').getAttribute('href'), new RegExp(`/api/v1/changelog/${ids.csv}/export$`));
		// Download .md: the handbook's file, named as the server names it.
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('entry-export').click()]);
		const draft = await ok('GET', `/changelog/${ids.csv}`);
		assert.equal(download.suggestedFilename(), draft.filename);
		const file = await new Promise((resolve, reject) => {
			download.createReadStream().then((st) => { let t = ''; st.on('data', (d) => { t += d; }); st.on('end', () => resolve(t)); st.on('error', reject); }, reject);
		});
		assert.equal(file, (await api(e, 'GET', `/changelog/${ids.csv}/export`)).text);
		assert.match(file, /^---\ntitle: "Export lists to CSV"/);
		assert.match(await flow().getByTestId('flow-status').innerText(), /A draft/);

		// e opens the form; an unknown author is refused with the server's words, nothing saved.
		await page.locator('body').press('e');
		const form = page.getByTestId('entry-form');
		await form.waitFor();
		assert.ok(await form.getByLabel('Title').evaluate((el) => el === document.activeElement), 'the title has focus');
		await form.getByLabel('Authors').fill('erin, pat, nobody');
		await form.getByLabel('Description').fill(DESCRIPTION);
		await form.getByLabel('Description').press('Control+Enter');
		const refusal = form.getByRole('alert');
		await refusal.waitFor();
		assert.equal(await refusal.innerText(), "no user 'nobody'");
		assert.equal(await form.getByLabel('Authors').getAttribute('aria-invalid'), 'true');
		assert.equal((await ok('GET', `/changelog/${ids.csv}`)).description, 'Any list can be downloaded as CSV.');
		await form.getByLabel('Authors').fill('erin, pat');
		await form.getByLabel('Authors').press('Control+Enter');
		await page.getByTestId('entry-description').filter({ hasText: DESCRIPTION }).waitFor();
		assert.ok(await page.locator('#edit-btn').evaluate((el) => el === document.activeElement), 'focus back on Edit');
		assert.equal((await ok('GET', `/changelog/${ids.csv}`)).description, DESCRIPTION);

		await flow().getByTestId('submit-review').click();
		await page.getByTestId('entry-state').first().filter({ hasText: 'In review' }).waitFor();
		const approve = flow().getByTestId('approve');
		await approve.waitFor();
		assert.equal(await approve.isDisabled(), true, 'an author’s Approve is disabled');
		assert.equal(await flow().getByTestId('approve-reason').innerText(), 'You are an author; someone else approves.');
		assert.equal(await approve.getAttribute('aria-describedby'), await flow().getByTestId('approve-reason').getAttribute('id'));
		assert.equal(await flow().getByTestId('publish').count(), 0);
		// The server says so too, and nothing changes.
		const refused = await asPm('POST', `/changelog/${ids.csv}/state`, { state: 'approved' });
		assert.equal(refused.status, 403);
		assert.match(refused.json.error.message, /the reviewer must not be an author of the entry/);
		assert.equal((await ok('GET', `/changelog/${ids.csv}`)).state, 'in_review');
		// The history names who did what.
		const hist = page.getByTestId('history');
		await hist.getByTestId('history-item').filter({ hasText: /pat moved it\s*Draft\s*→\s*In review/ }).waitFor();
		assert.match(await hist.innerText(), /pat changed description/);
	});

	it('(c) an engineer who is not an author comments and approves it', async () => {
		await logout();
		await loginWithKeyboard(e, 'rex', PW, '/releases');
		await entryRow(ids.csv).waitFor();
		// Tabs with counts: one in review, one draft.
		await page.getByTestId('tab-in_review').filter({ hasText: /In review\s*1/ }).waitFor();
		assert.match(await page.getByTestId('tab-draft').innerText(), /Draft\s*1/);
		assert.match(await page.getByTestId('tab-published').innerText(), /Published\s*1/);
		assert.match(await page.getByTestId('tab-all').innerText(), /All\s*3/);
		assert.match(await entryRow(ids.old).innerText(), /Saved filters[\s\S]*Published/);
		const row = await entryRow(ids.csv).innerText();
		assert.match(row, /Export lists to CSV/);
		assert.match(row, /In review/);
		assert.match(row, /3\.4/);
		assert.match(row, /erin/);
		assert.match(row, /pat/);
		assert.ok(await page.getByTestId('new-entry').isVisible(), 'engineers write entries too');
		assert.equal(await page.getByTestId('release-settings-link').count(), 0, 'settings are for admins');
		// The in-review tab filters; the milestone select too.
		await page.getByTestId('tab-in_review').click();
		await page.waitForURL(`${e.base}/releases?state=in_review`);
		await entryRow(ids.csv).waitFor();
		assert.equal(await entryRow(ids.dark).count(), 0);
		await page.getByTestId('release-milestone').selectOption(String(ms.id));
		await page.waitForURL(`${e.base}/releases?state=in_review&milestone=${ms.id}`);
		await entryRow(ids.csv).waitFor();
		await page.getByTestId('tab-in_review').filter({ hasText: /In review\s*1/ }).waitFor();
		assert.match(await page.getByTestId('tab-all').innerText(), /All\s*2/, 'the counts follow the milestone');
		await page.getByTestId('release-milestone').selectOption('');
		await page.waitForURL(`${e.base}/releases?state=in_review`);
		await page.getByTestId('tab-all').click();
		await page.waitForURL(`${e.base}/releases`);
		await entryRow(ids.old).waitFor();
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'releases-list.png') });

		// The keyboard: j moves to the first row, j to the next, Enter opens it.
		await page.locator('body').press('j');
		await page.keyboard.press('j');
		const focused = await page.evaluate(() => document.activeElement?.closest('[data-testid="release-row"]')?.dataset.id);
		const second = await page.getByTestId('release-row').nth(1).getAttribute('data-id');
		assert.equal(focused, second, 'the second row has focus');
		await page.keyboard.press('Enter');
		await page.waitForURL(`${e.base}/releases/${second}`);
		await page.goto(`${e.base}/releases/${ids.csv}`);
		await flow().getByTestId('approve').waitFor();
		assert.equal(await flow().getByTestId('approve').isDisabled(), false, 'not an author: may approve');
		assert.equal(await flow().getByTestId('approve-reason').count(), 0);

		const comments = page.getByTestId('comments');
		await comments.getByTestId('comment-body').fill('Say **which** lists can be exported.');
		await comments.getByTestId('comment-submit').click();
		const c1 = comments.getByTestId('comment').first();
		await c1.waitFor();
		assert.equal(await c1.locator('.rel-cmt-body strong').innerText(), 'which');
		assert.match(await comments.getByTestId('comments-open').innerText(), /1 open/);
		await flow().getByText('1 review comment is still open').waitFor();

		await flow().getByTestId('approve').click();
		await page.getByTestId('entry-state').first().filter({ hasText: 'Approved' }).waitFor();
		assert.match(await flow().getByTestId('flow-status').innerText(), /Approved by rex\. A PM or an admin publishes it\./);
		assert.equal(await flow().getByTestId('publish').count(), 0, 'engineers do not publish');
		const entry = await ok('GET', `/changelog/${ids.csv}`);
		assert.equal(entry.state, 'approved');
		assert.equal(entry.approved_by, 'rex');
	});

	it('(d) the PM resolves the review, publishes, and tells the customer who asked', async () => {
		await logout();
		await loginWithKeyboard(e, 'pat', PW, `/releases/${ids.csv}`);
		const comments = page.getByTestId('comments');
		const c1 = comments.getByTestId('comment').first();
		await c1.waitFor();
		// Reply under rex's comment, then resolve the thread.
		await c1.getByTestId('comment-reply').click();
		const reply = comments.getByTestId('reply-body');
		await reply.waitFor();
		assert.ok(await reply.evaluate((el) => el === document.activeElement), 'the reply box has focus');
		await reply.fill('Invoices, customers and issues — in the description now.');
		await reply.press('Control+Enter');
		const replyEl = c1.locator('.rel-replies [data-testid="comment"]');
		await replyEl.waitFor();
		assert.match(await replyEl.innerText(), /pat[\s\S]*Invoices, customers and issues/);
		const all = await ok('GET', `/changelog/${ids.csv}/comments`);
		assert.equal(all.items.length, 2);
		assert.equal(all.items[1].parent, all.items[0].id, 'a reply to rex’s comment');
		await c1.getByTestId('comment-resolve').first().click();
		await c1.getByTestId('comment-resolved').first().waitFor();
		assert.match(await c1.getByTestId('comment-resolved').first().innerText(), /Resolved by pat/);
		assert.match(await comments.getByTestId('comments-open').innerText(), /1 open\s*·\s*1 resolved/);
		// and the reply: nothing open any more
		const r2 = replyEl.getByTestId('comment-resolve');
		await r2.click();
		await comments.getByTestId('comments-open').filter({ hasText: /0 open/ }).waitFor();
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'release-entry.png'), fullPage: true });

		// Publish: the PM has the button on an approved entry.
		await flow().getByTestId('publish').click();
		await page.getByTestId('entry-state').first().filter({ hasText: 'Published' }).waitFor();
		const tell = page.getByTestId('tell');
		await tell.getByTestId('tell-customer').first().waitFor();
		assert.ok(await page.locator('#tell-h').evaluate((el) => el === document.activeElement), 'focus moves to "Who to tell"');
		assert.equal(await tell.getByTestId('tell-customer').count(), 1, 'only the customer behind this entry’s issue');
		const card = tell.getByTestId('tell-customer').first();
		assert.equal(await card.getAttribute('data-id'), String(cust.acme.id));
		const text = await card.innerText();
		assert.match(text, /Acme Corp/);
		assert.match(text, /Enterprise/);
		assert.match(text, /\$250k/);
		assert.match(text, /Strategic/);
		assert.match(text, /Finance needs invoices in a spreadsheet/);
		assert.doesNotMatch(await tell.innerText(), /Globex/);
		const entry = await ok('GET', `/changelog/${ids.csv}`);
		const message = await card.getByTestId('tell-message').innerText();
		const server = (await ok('GET', `/changelog/${ids.csv}/tell`)).customers[0].message;
		assert.equal(message.trim(), server.trim(), 'the server’s ready-to-send message');
		assert.match(message, /^Hi Acme Corp,/);
		assert.match(message, /it has shipped: Export lists to CSV\./);
		assert.ok(message.includes(DESCRIPTION));
		assert.ok(message.includes(`/changelog?entry=${entry.slug}`));
		await card.getByTestId('copy-message').click();
		await card.getByTestId('copy-message').filter({ hasText: 'Copied' }).waitFor();
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), server);

		await card.getByTestId('mark-told').click();
		await card.getByTestId('told').waitFor();
		assert.match(await card.getByTestId('told').innerText(), /Told by pat/);
		assert.equal(await card.getByTestId('mark-told').count(), 0);
		assert.match(await tell.getByTestId('tell-summary').innerText(), /everyone told/);
		const ins = await ok('GET', `/insights/${cust.acmeAsk}`);
		assert.equal(ins.state, 'answered');
		await page.getByTestId('history').getByTestId('history-item').filter({ hasText: /pat marked told: Acme Corp/ }).waitFor();
		await settle();
		await tell.screenshot({ path: path.join(SHOTS, 'release-tell.png') });

		// Published: the slug is fixed in the form.
		await page.getByTestId('entry-edit').click();
		assert.equal(await page.getByTestId('entry-form').getByLabel('Slug').getAttribute('readonly'), '');
		await page.getByTestId('entry-form').getByRole('button', { name: 'Cancel' }).click();

		// The customer page: shipped for them.
		await page.goto(`${e.base}/customers/${cust.acme.id}`);
		const shipped = page.getByTestId('shipped');
		await shipped.getByTestId('shipped-entry').waitFor();
		const link = shipped.getByRole('link', { name: 'Export lists to CSV' });
		assert.equal(await link.getAttribute('href'), `/releases/${ids.csv}`);
		assert.match(await shipped.innerText(), /\w{3} \d{1,2}, \d{4}/);
		await page.goto(`${e.base}/customers/${cust.globex.id}`);
		await page.getByTestId('shipped').getByText(/Nothing published for them yet/).waitFor();

		// Back on the milestone: one published, one draft.
		await page.goto(`${e.base}/milestones/${ms.id}`);
		const box = page.getByTestId('ms-changelog');
		await box.getByTestId('cl-published').getByRole('link', { name: 'Export lists to CSV' }).waitFor();
		assert.equal((await box.getByTestId('cl-draft-count').innerText()).trim(), '1');
	});

	it('(e) a viewer reads the entries and gets no write control', async () => {
		const ctx = await newContext();
		const p = watch(await ctx.newPage());
		await signIn(p, 'vera', '/releases');
		await p.locator(`[data-testid="release-row"][data-id="${ids.csv}"]`).waitFor();
		assert.equal(await p.getByTestId('new-entry').count(), 0);
		await p.goto(`${e.base}/releases/${ids.dark}`);
		await p.getByTestId('entry-title').waitFor();
		await p.getByTestId('comments').getByText('No review comments.').waitFor();
		for (const id of ['entry-edit', 'entry-delete', 'submit-review', 'approve', 'publish', 'comment-body', 'comment-reply']) {
			assert.equal(await p.getByTestId(id).count(), 0, `no ${id} for a viewer`);
		}
		assert.equal(await p.getByTestId('entry-export').count(), 1, 'reading the file is fine');
		await p.goto(`${e.base}/releases/${ids.csv}`);
		await p.getByTestId('tell').getByTestId('tell-customer').waitFor();
		assert.equal(await p.getByTestId('mark-told').count(), 0);
		assert.equal(await p.getByTestId('comment-resolve').count() + await p.getByTestId('comment-reopen').count(), 0);
		await p.goto(`${e.base}/releases/new`);
		await p.getByText('Viewers read the changelog').waitFor();
		assert.equal(await p.getByTestId('entry-form').count(), 0);
		await ctx.close();
	});

	it('(f) the admin turns the public changelog on; anonymous readers see the published entry, never the draft', async () => {
		const anon = await newContext();
		const ap = watch(await anon.newPage());
		// Off by default: not found for anyone not signed in.
		assert.equal((await fetch(`${e.base}/changelog`)).status, 404);
		assert.equal((await fetch(`${e.base}/changelog.atom`)).status, 404);

		await logout();
		await loginWithKeyboard(e, 'admin', e.password, '/releases');
		await page.getByTestId('release-settings-link').click();
		await page.waitForURL(`${e.base}/releases/settings`);
		const pub = page.getByTestId('public-settings');
		await pub.getByTestId('public-state').filter({ hasText: 'Off' }).waitFor();
		await pub.getByTestId('public-toggle').check();
		await pub.getByTestId('public-url').fill('ftp://nope');
		await pub.getByTestId('public-save').click();
		await pub.getByRole('alert').waitFor();
		assert.match(await pub.getByRole('alert').innerText(), /public_url must be an http\(s\) URL/);
		assert.equal((await ok('GET', '/settings')).public_changelog, false, 'a refused change changes nothing');
		await pub.getByTestId('public-url').fill('');
		await pub.getByTestId('public-save').click();
		await pub.getByTestId('public-state').filter({ hasText: 'On' }).waitFor();
		assert.equal((await ok('GET', '/settings')).public_changelog, true);

		// Hooks: the one from the set-up delivered the publish event.
		const hooks = page.getByTestId('hooks');
		await hooks.getByTestId('hook').first().waitFor();
		assert.equal(await hooks.getByTestId('hook').count(), 1);
		const deadline = Date.now() + 15000;
		while (!hookHits.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		assert.ok(hookHits.length >= 1, 'the receiver got the event');
		assert.equal(JSON.parse(hookHits[0].body).entry.id, ids.csv);
		const dl = page.getByTestId('deliveries');
		for (let i = 0; i < 50; i++) {
			await dl.getByTestId('deliveries-refresh').click();
			const t = await dl.innerText();
			if (/Delivered/.test(t)) break;
			await page.waitForTimeout(200);
		}
		const drow = dl.getByTestId('delivery').first();
		assert.match(await drow.innerText(), /Delivered/);
		assert.match(await drow.innerText(), /\b200\b/);
		assert.equal(await drow.getByRole('link', { name: 'Export lists to CSV' }).getAttribute('href'), `/releases/${ids.csv}`);
		// Add a hook with the form (a generated secret), then delete it.
		await hooks.getByTestId('hook-url').fill('https://hooks.example.com/cairn');
		await hooks.getByRole('button', { name: 'Generate' }).click();
		assert.match(await hooks.getByTestId('hook-secret').inputValue(), /^[0-9a-f]{48}$/);
		await hooks.getByTestId('hook-add').click();
		await hooks.getByTestId('hook').nth(1).waitFor();
		assert.match(await hooks.innerText(), /hooks\.example\.com/);
		page.once('dialog', (d) => d.accept());
		await hooks.getByRole('button', { name: 'Delete the hook https://hooks.example.com/cairn' }).click();
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="hook"]').length === 1);
		assert.equal((await ok('GET', '/hooks')).items.length, 1);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'release-settings.png'), fullPage: true });

		// The public page, as anyone: the published entry with its rendered body, not the draft.
		const entry = await ok('GET', `/changelog/${ids.csv}`);
		await ap.goto(`${e.base}/changelog`);
		const art = ap.locator(`article#${entry.slug}`);
		await art.waitFor();
		assert.match(await art.locator('h2').innerText(), /Export lists to CSV/);
		assert.equal(await art.locator('.body strong').innerText(), 'export');
		assert.match(await art.locator('.description').innerText(), /invoices, customers and issues/);
		const order = await ap.locator('article.entry').evaluateAll((els) => els.map((a) => a.id));
		assert.deepEqual(order, [entry.slug, 'saved-filters'], 'newest first');
		const whole = await ap.locator('main').innerText();
		assert.doesNotMatch(whole, /Dark mode for the dashboard/, 'a draft is never public');
		await ap.screenshot({ path: path.join(SHOTS, 'public-changelog.png'), fullPage: true });
		const feed = await fetch(`${e.base}/changelog.atom`);
		assert.equal(feed.status, 200);
		assert.match(feed.headers.get('content-type'), /application\/atom\+xml/);
		const xml = await feed.text();
		assert.match(xml, /<title[^>]*>Export lists to CSV<\/title>/);
		assert.doesNotMatch(xml, /Dark mode for the dashboard/);
		await anon.close();

		// From the app, the links go to the server's pages (not the client router).
		await page.getByTestId('public-page-link').click();
		await page.waitForURL(`${e.base}/changelog`);
		await page.locator(`article#${entry.slug}`).waitFor();
		await page.goBack();
		await page.getByTestId('public-settings').waitFor();
	});

	it('(g) at 390 px the list, the entry and the checklist fit the width', async () => {
		const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		const p = watch(await ctx.newPage());
		await signIn(p, 'pat', '/releases');
		await p.locator(`[data-testid="release-row"][data-id="${ids.csv}"]`).waitFor();
		const fits = () => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
		assert.ok(await fits(), 'the list has no horizontal scroll');
		assert.ok(await p.getByTestId('new-entry').isVisible());
		await p.screenshot({ path: path.join(SHOTS, 'releases-list-390.png'), fullPage: true });
		await p.goto(`${e.base}/releases/${ids.csv}`);
		await p.getByTestId('tell').getByTestId('tell-customer').waitFor();
		assert.ok(await fits(), 'the entry has no horizontal scroll');
		await p.screenshot({ path: path.join(SHOTS, 'release-entry-390.png'), fullPage: true });
		await p.goto(`${e.base}/milestones/${ms.id}`);
		const box = p.getByTestId('ms-changelog');
		await box.getByTestId('cl-entry').first().waitFor();
		const w = await box.evaluate((el) => el.getBoundingClientRect().right);
		assert.ok(w <= 390, `the checklist fits (right edge ${w})`);
		await ctx.close();
	});

	it('had no script errors in the pages', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
