/*
 * mail.test.mjs — notification email over real SMTP (docs/API.md,
 * "Notification email"): a local receiver (tests/lib/smtp.mjs) started by
 * the suite, a server whose worker sends what is queued.  The admin's SMTP
 * settings (the password never read back); each user's address and choice
 * per kind, with 422s that change nothing; a mail at once, a daily digest
 * with several items (due by the server's clock, CAIRN_NOW), nothing for
 * 'off', nothing about an issue that turned private before its mail left,
 * a retry after the receiver refused once, and the queue surviving the
 * server that queued it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DAY_MS, nowMs } from '../lib/clock.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { assertError, assertStatus, laterServer, startServer, uniq } from './harness.mjs';

process.env.CAIRN_MAIL_RETRY_MS = '100'; /* the first retry step; the servers inherit it */
const smtp = await startSmtp({ user: 'cairn-mailer', password: 'pw-smtp-1' });
const srv = await startServer();
after(async () => {
	await srv.kill();
	await smtp.stop();
});

const as = (login) => srv.as(login);
const addr = (login) => `${login}@team.example`;
/* The digest hour half a day from now: the next digest is due 11 to 12 hours
 * after an address set now, whatever the clock says. */
const HOUR = (new Date(nowMs()).getUTCHours() + 12) % 24;

async function prefs(login) {
	const r = await as(login).get('/api/v1/notifications/preferences');
	assertStatus(r, 200);
	return r.json;
}
async function setPrefs(login, body) {
	const r = await as(login).patch('/api/v1/notifications/preferences', body);
	assertStatus(r, 200);
	return r.json;
}
async function settings() {
	const r = await as('admin').get('/api/v1/mail/settings');
	assertStatus(r, 200);
	return r.json;
}
async function comment(n, body, login) {
	assertStatus(await as(login).post(`/api/v1/issues/${n}/comments`, { body }), 201);
}
/* Once the queue has none pending (the worker has tried them all). */
async function settled() {
	for (let k = 0; k < 300; k++) {
		if ((await settings()).queue.pending === 0) return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('mails still pending after 15 s');
}

before(async () => {
	const r = await as('admin').patch('/api/v1/mail/settings', {
		smtp_url: smtp.url, username: 'cairn-mailer', password: 'pw-smtp-1', from: 'cairn@team.example',
		base_url: 'https://cairn.team.example', digest_hour: HOUR,
	});
	assertStatus(r, 200);
	for (const login of ['eng1', 'eng2', 'em1'])
		await setPrefs(login, { email: addr(login) });
});

test('SMTP settings: admins only, the password write-only, bad values refused whole', async () => {
	const s = await settings();
	assert.deepEqual({ ...s, queue: null, smtp_url: s.smtp_url.replace(/\d+$/, 'PORT') }, {
		smtp_url: 'smtp://127.0.0.1:PORT', username: 'cairn-mailer', password_set: true, from: 'cairn@team.example',
		base_url: 'https://cairn.team.example', digest_hour: HOUR, queue: null,
	});
	assert.ok(!JSON.stringify(s).includes('pw-smtp-1'), 'the password is never read back');
	for (const login of ['pm1', 'eng1', 'viewer1']) {
		assertError(await as(login).get('/api/v1/mail/settings'), 403, 'forbidden');
		assertError(await as(login).patch('/api/v1/mail/settings', { smtp_url: 'smtp://evil.example' }), 403, 'forbidden');
	}
	const bad = [
		[{ smtp_url: 'http://mail.example' }, 'smtp_url'],
		[{ smtp_url: 'smtp://a b' }, 'smtp_url'],
		[{ smtp_url: 'smtp://ok.example', from: 'not an address' }, 'from'],
		[{ from: 'x@y.example\r\nBcc: victim@z.example' }, 'from'],
		[{ base_url: 'javascript:alert(1)' }, 'base_url'],
		[{ digest_hour: 24 }, 'digest_hour'],
		[{ digest_hour: '7' }, 'digest_hour'],
		[{ password: 'a\r\nb' }, 'password'],
		[{ smtp: 'smtp://x' }, 'smtp'],
	];
	for (const [body, field] of bad)
		assertError(await as('admin').patch('/api/v1/mail/settings', body), 422, 'invalid_field', field);
	assert.deepEqual(await settings(), s, 'nothing changed');
	const audit = (await as('admin').get('/api/v1/audit')).json.items.filter((x) => x.action === 'mail.settings');
	assert.equal(audit.length, 1, 'the one change audited, the refused ones not');
	assert.equal(audit[0].detail, 'smtp_url, smtp_user, smtp_password, smtp_from, mail_base_url, mail_digest_hour');
	assert.equal(audit[0].actor, 'admin');
});

test('preferences: the defaults, a change, and bad input refused whole with 422', async () => {
	const p = await prefs('viewer1');
	assert.equal(p.email, null);
	assert.equal(p.mail_enabled, true);
	assert.deepEqual(p.modes, ['inapp', 'email', 'digest', 'off']);
	assert.deepEqual(p.kinds.map((k) => [k.kind, k.mode, k.default]), [
		['mention', 'email', 'email'], ['assigned', 'email', 'email'], ['comment', 'digest', 'digest'], ['state', 'digest', 'digest'],
		['changed', 'digest', 'digest'],
	]);
	assert.ok(p.kinds.every((k) => k.label.length > 5));
	const bad = [
		[{ email: 'viewer1@team.example', kinds: { nope: 'email' } }, 'kinds.nope'],
		[{ email: 'viewer1@team.example', kinds: { mention: 'loud' } }, 'kinds.mention'],
		[{ kinds: { mention: 1 } }, 'kinds.mention'],
		[{ kinds: ['mention'] }, 'kinds'],
		[{ email: 'no-at-sign', kinds: { mention: 'off' } }, 'email'],
		[{ email: 'a@b.example\r\nBcc: c@d.example' }, 'email'],
		[{ email: '<a@b.example>' }, 'email'],
		[{ email: 42 }, 'email'],
		[{ address: 'a@b.example' }, 'address'],
	];
	for (const [body, field] of bad)
		assertError(await as('viewer1').patch('/api/v1/notifications/preferences', body), 422, 'invalid_field', field);
	assert.deepEqual(await prefs('viewer1'), p, 'nothing changed');
	const q = await setPrefs('viewer1', { email: 'viewer1@team.example', kinds: { comment: 'off', state: 'email' } });
	assert.equal(q.email, 'viewer1@team.example');
	assert.deepEqual(q.kinds.map((k) => k.mode), ['email', 'email', 'off', 'email', 'digest']);
	assert.deepEqual((await setPrefs('viewer1', { email: null })).email, null, 'null forgets the address');
	assert.deepEqual((await prefs('viewer1')).kinds.map((k) => k.mode), ['email', 'email', 'off', 'email', 'digest'], 'the choices stay');
	assert.equal((await prefs('pm1')).email, null, 'one user\'s choices are theirs alone');
});

test('email at once: an assignment and a mention reach the receiver, header-safe and plain text', async () => {
	const issue = await srv.createIssue({ title: uniq('Crash on sävé; Bcc: x@y.example') }, 'pm1');
	assertStatus(await srv.patchIssue(issue.number, { assignee: 'eng1' }, 'pm1'), 200);
	const [m] = await smtp.waitFor(addr('eng1'));
	assert.equal(m.from, 'cairn@team.example');
	assert.equal(m.auth, 'cairn-mailer', 'authenticated with the configured user');
	assert.equal(m.subject, `[Cairn] #${issue.number} ${issue.title} (pm1 assigned you)`);
	assert.ok(!/^bcc:/im.test(m.head), 'no header injected from the title');
	assert.match(m.headers['content-type'], /^text\/plain; charset=UTF-8/);
	assert.match(m.body, new RegExp(`#${issue.number} .*\\n  pm1 assigned you, \\d{4}-`));
	assert.ok(m.body.includes(`https://cairn.team.example/issues/${issue.number}`));
	await comment(issue.number, 'have a look @eng2', 'eng1');
	const [m2] = await smtp.waitFor(addr('eng2'));
	assert.equal(m2.subject, `[Cairn] #${issue.number} ${issue.title} (eng1 mentioned you)`);
});

test('a change to an issue one watches is mailed when that kind is set to email', async () => {
	await setPrefs('eng1', { kinds: { changed: 'email' } });
	const before_ = smtp.to(addr('eng1')).length;
	const issue = await srv.createIssue({ title: uniq('Watched export') }, 'eng1'); // the reporter watches
	assertStatus(await srv.patchIssue(issue.number, { priority: 'high' }, 'pm1'), 200);
	const got = await smtp.waitFor(addr('eng1'), before_ + 1);
	assert.equal(got[before_].subject, `[Cairn] #${issue.number} ${issue.title} (pm1 changed its priority)`);
	await setPrefs('eng1', { kinds: { changed: 'digest' } });
});

test("'off' records nothing and mails nothing; 'inapp' stays in the inbox only", async () => {
	await setPrefs('eng2', { kinds: { mention: 'off', assigned: 'inapp' } });
	const before_ = smtp.to(addr('eng2')).length;
	const unread0 = (await as('eng2').get('/api/v1/notifications/count')).json.unread;
	const issue = await srv.createIssue({ title: uniq('quiet') }, 'pm1');
	await comment(issue.number, 'ping @eng2', 'eng1');
	assertStatus(await srv.patchIssue(issue.number, { assignee: 'eng2' }, 'pm1'), 200);
	const inbox = (await as('eng2').get('/api/v1/notifications')).json.items.filter((x) => x.issue.number === issue.number);
	assert.deepEqual(inbox.map((x) => x.kind), ['assigned'], 'the mention was off: not even in the inbox');
	assert.equal((await as('eng2').get('/api/v1/notifications/count')).json.unread, unread0 + 1);
	/* a mail that must come, queued after: once it is here, the others would be too */
	await setPrefs('eng2', { kinds: { assigned: 'email' } });
	const marker = await srv.createIssue({ title: uniq('marker'), assignee: 'eng2' }, 'pm1');
	const got = await smtp.waitFor(addr('eng2'), before_ + 1);
	assert.deepEqual(got.slice(before_).map((m) => m.subject), [`[Cairn] #${marker.number} ${marker.title} (pm1 assigned you)`]);
	await setPrefs('eng2', { kinds: { mention: 'email' } });
});

test('privacy: a mail about an issue that turned private before it left is dropped', async () => {
	await smtp.down();
	const issue = await srv.createIssue({ title: uniq('soon-secret') }, 'pm1');
	await comment(issue.number, 'fyi @eng1', 'pm1');
	assertStatus(await srv.patchIssue(issue.number, { type: 'security' }, 'pm1'), 200);
	const dropped0 = (await settings()).queue.dropped;
	const marker = await srv.createIssue({ title: uniq('after-secret'), assignee: 'eng1' }, 'pm1');
	const n0 = smtp.to(addr('eng1')).length;
	await smtp.up();
	await smtp.waitFor(addr('eng1'), n0 + 1);
	await settled();
	const mails = smtp.mails.filter((m) => m.raw.includes(issue.title));
	assert.deepEqual(mails, [], 'no mail names the private issue');
	assert.equal((await settings()).queue.dropped, dropped0 + 1, 'its mail was dropped at send time');
	assert.ok(smtp.to(addr('eng1')).some((m) => m.subject.includes(marker.title)));
});

test('privacy: a mention in a security issue is never mailed to one who may not see it', async () => {
	const sec = await srv.createIssue({ title: uniq('sec-mail'), type: 'security' }, 'pm1');
	const n0 = smtp.to(addr('eng1')).length;
	await comment(sec.number, 'cc @eng1', 'pm1');
	const marker = await srv.createIssue({ title: uniq('after-sec'), assignee: 'eng1' }, 'pm1');
	await smtp.waitFor(addr('eng1'), n0 + 1);
	await settled();
	assert.ok(smtp.to(addr('eng1')).some((m) => m.subject.includes(marker.title)), 'the later mail came');
	assert.deepEqual(smtp.mails.filter((m) => m.raw.includes(sec.title)), [], 'no one got the private title');
});

test('a refusal is retried: the receiver answers 451, then 554, then takes the mail', async () => {
	smtp.refuse(1, 451);
	smtp.refuse(1, 554);
	const n0 = smtp.to(addr('eng1')).length;
	const issue = await srv.createIssue({ title: uniq('retry'), assignee: 'eng1' }, 'pm1');
	const got = await smtp.waitFor(addr('eng1'), n0 + 1);
	assert.deepEqual(got.slice(n0).map((m) => m.subject), [`[Cairn] #${issue.number} ${issue.title} (pm1 assigned you)`]);
	await settled();
	assert.equal(smtp.to(addr('eng1')).filter((m) => m.subject.includes(issue.title)).length, 1, 'sent once');
});

test('the daily digest: one mail with every unread item of the digest kinds, due by the clock', async () => {
	const issue = await srv.createIssue({ title: uniq('digest-a') }, 'em1');
	const other = await srv.createIssue({ title: uniq('digest-b') }, 'em1');
	await comment(issue.number, 'first thought', 'eng1');
	await comment(issue.number, 'second thought', 'pm1');
	assertStatus(await srv.patchIssue(other.number, { state: 'closed' }, 'pm1'), 200);
	await settled();
	assert.equal(smtp.to(addr('em1')).length, 0, 'comments and closes wait for the digest');
	const r = await as('admin').post('/api/v1/mail/digests');
	assertStatus(r, 200);
	assert.equal(r.json.queued, 0, 'not due yet: the last digest slot is before the address was set');
	/* a server a day later: its worker finds the digests due */
	const later = await laterServer(srv, DAY_MS);
	try {
		const [d] = await smtp.waitFor(addr('em1'));
		assert.equal(d.subject, '[Cairn] Your daily digest: 3 notifications');
		assert.match(d.body, new RegExp(`#${issue.number} ${issue.title}\\n  eng1 commented`));
		assert.match(d.body, new RegExp(`#${issue.number} ${issue.title}\\n  pm1 commented`));
		assert.match(d.body, new RegExp(`#${other.number} ${other.title}\\n  pm1 closed it`));
		assertStatus(await later.as('admin').post('/api/v1/mail/digests'), 200);
		await settled();
		assert.equal(smtp.to(addr('em1')).length, 1, 'one digest a day');
	} finally {
		await later.stop();
	}
});

test('the queue survives the server that queued it', async () => {
	await smtp.down();
	const n0 = smtp.to(addr('eng1')).length;
	const issue = await srv.createIssue({ title: uniq('restart'), assignee: 'eng1' }, 'pm1');
	assert.equal((await settings()).queue.pending >= 1, true);
	const twin = await startServer({ shareWith: srv });
	await srv.stop();
	try {
		await smtp.up();
		const got = await smtp.waitFor(addr('eng1'), n0 + 1);
		assert.ok(got.slice(n0).some((m) => m.subject.includes(issue.title)), 'the other server sent it');
	} finally {
		await twin.stop();
	}
});
