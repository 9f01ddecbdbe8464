// Comments from the terminal: `cairn issue comment N TEXT` (or from stdin),
// `cairn issue comments N` with the "mentioned in" list, the viewer refused,
// a security issue's comments hidden from an engineer — the real binary on
// a fresh database (SQLite, or PostgreSQL when CAIRN_TEST_DB is set).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { cliDb } from '../lib/cli.mjs';

const { cairn, ok, json, drop } = cliDb('com', { pia: 'pm', eli: 'engineer', vic: 'viewer' });
after(drop);

test('comment (argument and stdin), list with mentions and references', () => {
	const a = json(['issue', 'new', 'Export times out'], { as: 'pia' });
	const b = json(['issue', 'new', 'CSV export is slow'], { as: 'pia' });
	let r = ok(['issue', 'comment', String(b.number), `Probably the same as #${a.number}, @pia?`], { as: 'eli' });
	assert.match(r.stdout, new RegExp(`^Commented on #${b.number} \\(comment \\d+\\)`));
	const c = json(['issue', 'comment', `#${b.number}`, '-'], { as: 'pia', input: 'Yes — **same** query.\n' });
	assert.equal(c.body, 'Yes — **same** query.\n');
	assert.match(c.body_html, /<strong>same<\/strong>/);
	const list = json(['issue', 'comments', String(b.number)]);
	assert.deepEqual(list.items.map((x) => [x.author, x.mentions]), [['eli', ['pia']], ['pia', []]]);
	assert.deepEqual(list.items[0].references, [{ number: a.number, title: 'Export times out' }]);
	r = ok(['issue', 'comments', String(a.number)]);
	assert.match(r.stdout, /No comments on/);
	assert.match(r.stdout, new RegExp(`Mentioned in\\n  #${b.number} CSV export is slow \\(comment by eli, `));
	r = ok(['issue', 'comments', String(b.number)]);
	assert.match(r.stdout, /eli .*\nProbably the same as/);
});

test('refused: a viewer, an empty comment, an unknown issue, a private issue', () => {
	const i = json(['issue', 'new', 'Anything'], { as: 'pia' });
	let r = cairn(['issue', 'comment', String(i.number), 'hi'], { as: 'vic' });
	assert.equal(r.status, 2, r.stderr);
	assert.match(r.stderr, /may comment on issues/);
	r = cairn(['issue', 'comment', String(i.number), '   '], { as: 'eli' });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /body/);
	r = cairn(['issue', 'comments', '99999']);
	assert.equal(r.status, 2, r.stderr);
	const s = json(['issue', 'new', 'Token leak', '--type', 'security'], { as: 'pia' });
	ok(['issue', 'comment', String(s.number), 'rotating keys'], { as: 'pia' });
	assert.equal(cairn(['issue', 'comments', String(s.number)], { as: 'eli' }).status, 2);
	assert.equal(json(['issue', 'comments', String(s.number)]).items.length, 1);
	assert.equal(cairn(['issue', 'comment'], { as: 'eli' }).status, 1, 'usage');
});
