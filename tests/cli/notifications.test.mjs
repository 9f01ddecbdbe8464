// Notifications from the terminal: `cairn notifications [--unread]
// [--read-all]` for the acting user, `cairn issue watch|unwatch N` — the
// real binary on a fresh database (SQLite, or PostgreSQL when
// CAIRN_TEST_DB is set).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { cliDb } from '../lib/cli.mjs';

const { cairn, ok, json, drop } = cliDb('notify', { pia: 'pm', eli: 'engineer', vic: 'viewer' });
after(drop);

test('a mention and a comment reach the inbox; --read-all empties the unread count', () => {
	const a = json(['issue', 'new', 'Export times out'], { as: 'pia' });
	ok(['issue', 'comment', String(a.number), 'Can you look, @eli?'], { as: 'pia' });
	ok(['issue', 'comment', String(a.number), 'On it'], { as: 'eli' });
	let r = ok(['notifications'], { as: 'eli' });
	assert.match(r.stdout, new RegExp(`^\\* #${a.number} Export times out — pia mentioned you \\(comment \\d+\\), `));
	assert.match(r.stdout, /\n1 unread\n$/);
	const inbox = json(['notifications', '--unread'], { as: 'pia' });
	assert.deepEqual(inbox.items.map((x) => [x.kind, x.actor, x.issue.number]), [['comment', 'eli', a.number]]);
	assert.equal(inbox.unread, 1);
	r = ok(['notifications', '--read-all'], { as: 'pia' });
	assert.match(r.stdout, /^All notifications marked read\.\n {2}#/);
	assert.match(r.stdout, /\n0 unread\n$/);
	assert.equal(json(['notifications', '--unread'], { as: 'pia' }).items.length, 0);
});

test('watch and unwatch: a viewer may watch, and hears of comments', () => {
	const a = json(['issue', 'new', 'Slow search'], { as: 'pia' });
	let r = ok(['issue', 'watch', String(a.number)], { as: 'vic' });
	assert.equal(r.stdout, `Watching #${a.number} (2 watching)\n`);
	ok(['issue', 'comment', String(a.number), 'Reproduced'], { as: 'eli' });
	assert.deepEqual(json(['notifications'], { as: 'vic' }).items.map((x) => x.kind), ['comment']);
	const w = json(['issue', 'unwatch', String(a.number)], { as: 'vic' });
	assert.deepEqual([w.watching, w.watchers.map((x) => x.login)], [false, ['eli', 'pia']]);
	assert.equal(cairn(['issue', 'watch', '99999'], { as: 'vic' }).status, 2);
	assert.equal(cairn(['issue', 'watch'], { as: 'vic' }).status, 1, 'usage');
	assert.equal(cairn(['notifications', 'extra'], { as: 'vic' }).status, 1, 'usage');
});
