// Browser test of notification email on /account (issue #14): a real server,
// Debian's Chromium, and the SMTP receiver of the API tests (tests/lib/smtp.mjs).
//
//   (a) the admin sets the email server up in "Email server (admins)": the
//       password is never shown back (the field stays empty, "set — type to
//       replace"); a bad SMTP URL is refused under its field
//   (b) eli (engineer) goes from the notifications page ("Email settings") and sees "Notifications by email" and not the admin's
//       card; a bad address is refused under the field and nothing is saved;
//       an address and "Off" for comments are saved and still there after a
//       reload; an assignment then reaches the receiver as a mail to eli
//   (c) a viewer may choose too (it is their own), and at 390 px the card fits
//   Screenshots: tests/e2e/screenshots/account-mail.png, account-smtp.png,
//   account-mail-390.png.
//
//   node --test tests/e2e/mail.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, newPage, setUp, signIn, tearDown } from './lib.mjs';
import { startSmtp } from '../lib/smtp.mjs';

const PW = 'mail-e2e-password-1';
let e, smtp;

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

describe('Notification email on the account page', { timeout: 300000 }, () => {
	before(async () => {
		smtp = await startSmtp();
		e = await setUp('cairn-e2e-mail-');
		for (const [login, name, role] of [['eli', 'Eli Engineer', 'engineer'], ['vic', 'Vic Viewer', 'viewer']])
			await ok('POST', '/users', { login, name, role, password: PW }, 201);
	});
	after(async () => {
		await tearDown(e);
		await smtp?.stop();
	});

	it('(a) the admin sets up the email server; the password is write-only', async () => {
		const page = e.page;
		await signIn(e, page, 'admin', e.password, '/account');
		const card = page.getByTestId('mail-settings');
		await card.getByTestId('smtp-form').waitFor();
		await card.getByLabel('SMTP server').fill('http://wrong.example');
		await card.getByTestId('smtp-save').click();
		await assert.doesNotReject(card.getByTestId('error-smtp_url').filter({ hasText: 'smtp://' }).waitFor());
		assert.equal((await ok('GET', '/mail/settings')).smtp_url, '', 'nothing saved');
		await card.getByLabel('SMTP server').fill(smtp.url);
		await card.getByLabel('Password').fill('smtp-secret-9');
		await card.getByLabel('Sender address').fill('cairn@team.example');
		await card.getByLabel('Address of this server').fill(e.base);
		await card.getByTestId('smtp-save').click();
		await page.getByText('Email server saved').waitFor();
		const s = await ok('GET', '/mail/settings');
		assert.equal(s.smtp_url, smtp.url);
		assert.equal(s.password_set, true);
		await page.reload();
		await card.getByTestId('smtp-form').waitFor();
		assert.equal(await card.getByLabel('Password').inputValue(), '', 'the password is not sent back to the page');
		assert.equal(await card.getByLabel('Password').getAttribute('placeholder'), 'set — type to replace');
		assert.ok(!(await page.content()).includes('smtp-secret-9'));
		await card.scrollIntoViewIfNeeded();
		await card.screenshot({ path: path.join(SHOTS, 'account-smtp.png') });
	});

	it('(b) an engineer chooses: a bad address refused, the choice saved, the mail received', async () => {
		const page = await newPage(e);
		await signIn(e, page, 'eli', PW, '/inbox');
		await page.getByTestId('ntf-email-settings').click();
		await page.waitForURL(`${e.base}/account#mail`);
		const card = page.getByTestId('mail-prefs');
		await card.getByTestId('mail-form').waitFor();
		assert.equal(await page.getByTestId('mail-settings').count(), 0, 'no email server card for an engineer');
		assert.equal(await card.getByTestId('mail-mode-mention').inputValue(), 'email');
		assert.equal(await card.getByTestId('mail-mode-comment').inputValue(), 'digest');
		await card.getByLabel('Email address').fill('eli at team');
		await card.getByTestId('mail-save').click();
		await card.getByTestId('error-email').filter({ hasText: 'plain address' }).waitFor();
		await card.getByLabel('Email address').fill('eli@team.example');
		await card.getByTestId('mail-mode-comment').selectOption('off');
		await card.getByTestId('mail-save').click();
		await card.getByTestId('mail-saved').waitFor();
		await page.reload();
		await card.getByTestId('mail-form').waitFor();
		assert.equal(await card.getByLabel('Email address').inputValue(), 'eli@team.example');
		assert.equal(await card.getByTestId('mail-mode-comment').inputValue(), 'off');
		await card.scrollIntoViewIfNeeded();
		await card.screenshot({ path: path.join(SHOTS, 'account-mail.png') });
		const issue = await ok('POST', '/issues', { title: 'Export times out', type: 'bug', assignee: 'eli' }, 201);
		const [m] = await smtp.waitFor('eli@team.example');
		assert.equal(m.subject, `[Cairn] #${issue.number} Export times out (admin assigned you)`);
		assert.ok(m.body.includes(`${e.base}/issues/${issue.number}`));
		await page.context().close();
	});

	it('(c) a viewer may choose too; at 390 px the card fits', async () => {
		const page = await newPage(e, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		await signIn(e, page, 'vic', PW, '/account');
		const card = page.getByTestId('mail-prefs');
		await card.getByTestId('mail-form').waitFor();
		assert.equal(await card.getByTestId('mail-save').count(), 1);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		assert.ok(overflow <= 0, `the page overflows by ${overflow} px`);
		await card.scrollIntoViewIfNeeded();
		await page.screenshot({ path: path.join(SHOTS, 'account-mail-390.png') });
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
		await page.context().close();
	});
});
