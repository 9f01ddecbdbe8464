// Browser test of an issue's conversation (issue #14): comments with
// @mentions picked from the autocomplete, an edit, "mentioned in" on the
// referenced issue, and a viewer who gets no composer — a real server on a
// fresh database, Debian's Chromium through playwright-core (lib.mjs).
//
//   set-up (API): an engineer, a PM and a viewer; issue A "Export times out"
//       and issue B "CSV export is slow"; a first comment by the PM on B
//   (a) the engineer opens B, types "Same root cause as #A, @pi" in the
//       composer, picks "pia" from the autocomplete with the keyboard, sends
//       with Ctrl+Enter: the comment shows with the mention, #A is a link
//   (b) edits it (only their own comment offers Edit; the PM's offers none):
//       the text changes, "edited" shows; the history keeps the old text
//   (c) issue A lists "Mentioned in #B … comment by eli"
//   (d) a viewer sees the conversation but no composer, no Edit, no Delete
//   Screenshots: tests/e2e/screenshots/comments.png (B's conversation),
//   comments-autocomplete.png (the @ list open in the composer),
//   comments-mentioned-in.png (A's conversation: "Mentioned in").
//
//   node --test tests/e2e/comments.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, setUp, tearDown } from './lib.mjs';

const PW = 'comments-e2e-password-1';
let e, page, a, b;

async function ok(method, p, body, status = 200, token) {
	const r = await api(token ? { base: e.base, token } : e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

async function signIn(login, next) {
	await page.goto(`${e.base}/login?next=${encodeURIComponent(next)}`);
	await page.getByLabel('Login').fill(login);
	await page.getByLabel('Password').fill(PW);
	await page.getByLabel('Password').press('Enter');
	await page.waitForURL(`${e.base}${next}`);
}

async function signOut() {
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/\/login/);
}

const conv = () => page.getByTestId('conversation');

describe('An issue\'s conversation: comment, mention, edit, mentioned in', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-comments-');
		page = e.page;
		for (const [login, name, role] of [['eli', 'Eli Engineer', 'engineer'], ['pia', 'Pia PM', 'pm'], ['vera', 'Vera Viewer', 'viewer']])
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
		a = await ok('POST', '/issues', { title: 'Export times out', type: 'bug' }, 201);
		b = await ok('POST', '/issues', { title: 'CSV export is slow', type: 'bug', body: 'Exports of 50k rows take a minute.' }, 201);
	});
	after(() => tearDown(e));

	it('(a) comments with an @mention picked from the autocomplete', async () => {
		// The PM's comment first, written through the API as pia.
		await signIn('pia', `/issues/${b.number}`);
		const box = page.getByTestId('comment-body');
		await box.fill('Profiling shows the **query** dominates.');
		await page.keyboard.press('Control+Enter');
		await conv().getByTestId('comment').first().waitFor();
		await signOut();

		await signIn('eli', `/issues/${b.number}`);
		await conv().getByTestId('comment').first().waitFor();
		const ta = page.locator('[data-testid="comment-body"]');
		await ta.click();
		await page.keyboard.type(`Same root cause as #${a.number}, @pi`);
		const opt = page.getByTestId('mention-option');
		await opt.first().waitFor();
		assert.deepEqual(await opt.locator('.mention-login').allTextContents(), ['pia'], 'only logins starting with "pi"');
		await conv().screenshot({ path: path.join(SHOTS, 'comments-autocomplete.png') });
		await page.keyboard.press('Enter');
		assert.equal(await ta.inputValue(), `Same root cause as #${a.number}, @pia `);
		await page.keyboard.type('can you check the index?');
		await page.keyboard.press('Control+Enter');
		const mine = conv().getByTestId('comment').nth(1);
		await mine.getByText('can you check the index?').waitFor();
		const link = mine.getByTestId('comment-ref');
		assert.equal(await link.getAttribute('href'), `/issues/${a.number}`);
		assert.equal(await link.getAttribute('title'), 'Export times out');
		assert.equal(await mine.getByTestId('comment-mention').textContent(), '@pia');
		const stored = await ok('GET', `/issues/${b.number}/comments`);
		assert.deepEqual(stored.items[1].mentions, ['pia']);
	});

	it('(b) edits their own comment only; "edited" shows and the history keeps the old text', async () => {
		const [theirs, mine] = [conv().getByTestId('comment').nth(0), conv().getByTestId('comment').nth(1)];
		assert.equal(await theirs.getByTestId('comment-edit').count(), 0, 'no Edit on the PM\'s comment');
		assert.equal(await theirs.getByTestId('comment-delete').count(), 0, 'no Delete on the PM\'s comment');
		await mine.getByTestId('comment-edit').click();
		const ta = mine.getByTestId('edit-body');
		await ta.fill(`Same root cause as #${a.number}, @pia: the missing index on exports.created_at.`);
		await mine.getByTestId('edit-submit').click();
		await conv().getByText('the missing index on exports.created_at.').waitFor();
		await conv().getByTestId('comment').nth(1).getByTestId('comment-edited').waitFor();
		const id = (await ok('GET', `/issues/${b.number}/comments`)).items[1].id;
		const h = await ok('GET', `/comments/${id}/history`);
		assert.equal(h.items.length, 1);
		assert.match(h.items[0].old, /can you check the index\?/);
		await page.getByTestId('comment-body').waitFor();
		await conv().scrollIntoViewIfNeeded();
		await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
		await conv().screenshot({ path: path.join(SHOTS, 'comments.png') });
	});

	it('(c) the referenced issue lists "mentioned in"', async () => {
		await page.goto(`${e.base}/issues/${a.number}`);
		const item = page.getByTestId('mentioned-in-item');
		await item.waitFor();
		assert.match(await item.textContent(), new RegExp(`#${b.number} CSV export is slow — comment by eli`));
		assert.equal(await item.locator('a').getAttribute('href'), `/issues/${b.number}`);
		await conv().screenshot({ path: path.join(SHOTS, 'comments-mentioned-in.png') });
	});

	it('(d) a viewer reads the conversation but gets no composer, Edit or Delete', async () => {
		await signOut();
		await signIn('vera', `/issues/${b.number}`);
		await conv().getByTestId('comment').nth(1).waitFor();
		assert.equal(await page.getByTestId('comment-body').count(), 0, 'no composer');
		assert.equal(await conv().getByTestId('comment-edit').count(), 0);
		assert.equal(await conv().getByTestId('comment-delete').count(), 0);
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
