// Notification email from the terminal: `cairn mail settings|prefs|digests|send`
// — the real binary on a fresh database (SQLite, or PostgreSQL when
// CAIRN_TEST_DB is set) and the tests' SMTP receiver (tests/lib/smtp.mjs).
// `mail send` runs asynchronously: the receiver lives in this process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';

import { BIN, cliDb } from '../lib/cli.mjs';
import { nowMs, DAY_MS } from '../lib/clock.mjs';
import { startSmtp } from '../lib/smtp.mjs';

const { url, cairn, ok, json, drop } = cliDb('mail', { pia: 'pm', eli: 'engineer' });
const smtp = await startSmtp();
/* half a day from now: a digest is due 11 to 12 hours after an address set now */
const HOUR = (new Date(nowMs()).getUTCHours() + 12) % 24;
after(async () => {
	drop();
	await smtp.stop();
});

/* cairn args (as root) without blocking this process; env added. */
function cairnAsync(args, env = {}) {
	return new Promise((resolve) => {
		execFile(BIN, [...args, '--db', url], { encoding: 'utf8', env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '', ...env } },
			(err, stdout, stderr) => resolve({ status: err ? err.code : 0, stdout, stderr }));
	});
}

test('settings: admins only, the password from stdin and never printed', () => {
	const r = ok(['mail', 'settings', '--smtp-url', smtp.url, '--from', 'cairn@team.example', '--password-stdin',
		'--base-url', 'https://cairn.team.example', '--digest-hour', String(HOUR)], { input: 'pw-never-shown\n' });
	assert.match(r.stdout, /^SMTP: +smtp:\/\/127\.0\.0\.1:\d+\n/);
	assert.match(r.stdout, /\nPassword: +\(set\)\n/);
	assert.match(r.stdout, new RegExp(`\\nDigest hour: ${String(HOUR).padStart(2, '0')}:00 UTC\\n`));
	assert.ok(!r.stdout.includes('pw-never-shown'));
	const s = json(['mail', 'settings']);
	assert.equal(s.password_set, true);
	assert.ok(!JSON.stringify(s).includes('pw-never-shown'));
	const refused = cairn(['mail', 'settings', '--smtp-url', 'http://x.example'], { as: 'pia' });
	assert.equal(refused.status, 2, 'only admins');
	const bad = cairn(['mail', 'settings', '--smtp-url', 'http://x.example']);
	assert.equal(bad.status, 1);
	assert.match(bad.stderr, /smtp_url/);
	assert.equal(json(['mail', 'settings']).smtp_url, smtp.url, 'nothing changed');
	assert.equal(cairn(['mail', 'settings', '--digest-hour', '24']).status, 1, 'usage');
});

test('prefs: the acting user\'s address and modes; a bad mode changes nothing', () => {
	let r = ok(['mail', 'prefs'], { as: 'eli' });
	assert.match(r.stdout, /^Email: \(none\)\n {2}mention +email +Someone mentions you in a comment \(default\)\n/);
	const bad = cairn(['mail', 'prefs', '--email', 'eli@team.example', '--set', 'comment=loud'], { as: 'eli' });
	assert.equal(bad.status, 1);
	assert.match(bad.stderr, /kinds\.comment/);
	assert.equal(json(['mail', 'prefs'], { as: 'eli' }).email, null, 'nothing changed');
	r = ok(['mail', 'prefs', '--email', 'eli@team.example', '--set', 'state=off', '--set', 'assigned=email'], { as: 'eli' });
	assert.match(r.stdout, /^Email: eli@team\.example\n/);
	assert.match(r.stdout, /\n {2}state +off +An issue you watch is closed or reopened\n/);
	assert.equal(cairn(['mail', 'prefs', '--set', 'comment'], { as: 'eli' }).status, 1, 'usage');
	assert.equal(cairn(['mail', 'nope']).status, 1, 'usage');
});

test('send: an assignment mailed at once; digests: due by the clock, then sent', async () => {
	const a = json(['issue', 'new', 'Export times out', '--assignee', 'eli'], { as: 'pia' });
	let r = await cairnAsync(['mail', 'send']);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.stdout, '1 mail attempted\n');
	const [m] = smtp.to('eli@team.example');
	assert.equal(m.subject, `[Cairn] #${a.number} Export times out (pia assigned you)`);
	ok(['issue', 'comment', String(a.number), 'Logs attached'], { as: 'pia' });
	ok(['issue', 'comment', String(a.number), 'And a trace'], { as: 'pia' });
	assert.equal(ok(['mail', 'digests']).stdout, '0 digests queued\n', 'not due on the day the address was set');
	const tomorrow = new Date(nowMs() + DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
	r = await cairnAsync(['mail', 'digests'], { CAIRN_NOW: tomorrow });
	assert.equal(r.stdout, '1 digest queued\n', r.stderr);
	r = await cairnAsync(['mail', 'digests'], { CAIRN_NOW: tomorrow });
	assert.equal(r.stdout, '0 digests queued\n', 'one a day');
	r = await cairnAsync(['mail', 'send']);
	assert.equal(r.stdout, '1 mail attempted\n', r.stderr);
	const d = smtp.to('eli@team.example')[1];
	assert.equal(d.subject, '[Cairn] Your daily digest: 2 notifications');
	assert.match(d.body, /pia commented/);
	assert.equal(cairn(['mail', 'send'], { as: 'eli' }).status, 2, 'only admins');
});
