// Saved views and the query language v2 from the terminal: `cairn view
// list|save|delete`, `cairn issue list --view NAME`, and a parse error
// printed with its position — the real binary on a fresh database (SQLite,
// or PostgreSQL when CAIRN_TEST_DB is set).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { cliDb } from '../lib/cli.mjs';

const { cairn, ok, json, drop } = cliDb('views', { pia: 'pm', eli: 'engineer', vic: 'viewer' });
after(drop);

test('save, list with counts, run with --view, change, delete', () => {
	const a = json(['issue', 'new', 'Crash on save', '--type', 'bug', '--assignee', 'eli'], { as: 'pia' });
	const b = json(['issue', 'new', 'Dark mode', '--type', 'feature'], { as: 'pia' });
	json(['issue', 'new', 'Old crash', '--type', 'bug'], { as: 'pia' });
	let r = ok(['view', 'save', 'My bugs', 'type:bug assignee:@me', '--sort', 'updated-desc', '--columns', 'title,number'], { as: 'eli' });
	assert.equal(r.stdout, "Saved view 'My bugs'\n");
	const list = json(['issue', 'list', '--view', 'My bugs'], { as: 'eli' });
	assert.deepEqual(list.items.map((i) => i.number), [a.number]);
	assert.deepEqual(json(['issue', 'list', '--view', 'My bugs', 'crash'], { as: 'eli' }).items.map((i) => i.number), [a.number], 'words narrow the view');
	ok(['view', 'save', 'Features', 'type:feature', '--shared'], { as: 'pia' });
	const views = json(['view', 'list', '--counts'], { as: 'eli' });
	assert.deepEqual(views.items.map((v) => [v.name, v.count, v.shared]), [['My bugs', 1, false], ['Features', 1, true]]);
	assert.deepEqual(views.items[0].columns, ['number', 'title']);
	r = ok(['view', 'list', '--counts'], { as: 'vic' });
	assert.match(r.stdout, /^Features +pia +type:feature +1\n$/, 'a viewer sees the shared view, not the personal one');
	assert.deepEqual(json(['issue', 'list', '--view', 'Features'], { as: 'vic' }).items.map((i) => i.number), [b.number]);
	r = ok(['view', 'save', 'My bugs', 'type:bug'], { as: 'eli' });
	assert.equal(r.stdout, "Changed view 'My bugs'\n");
	assert.equal(json(['issue', 'list', '--view', 'My bugs'], { as: 'eli' }).items.length, 2);
	r = cairn(['view', 'save', 'Mine', 'is:open', '--shared'], { as: 'eli' });
	assert.equal(r.status, 2, 'an engineer may not share');
	assert.match(r.stderr, /only admins, PMs, CTOs and EMs may share views/);
	r = cairn(['view', 'delete', 'Features'], { as: 'eli' });
	assert.equal(r.status, 2, "another's shared view");
	ok(['view', 'delete', 'My bugs'], { as: 'eli' });
	r = cairn(['issue', 'list', '--view', 'My bugs'], { as: 'eli' });
	assert.equal(r.status, 2);
	assert.match(r.stderr, /no view named 'My bugs'/);
	assert.equal(cairn(['view', 'frob'], { as: 'eli' }).status, 1, 'usage');
});

test('a query that does not parse: the CLI prints where and what was expected', () => {
	let r = cairn(['issue', 'list', 'is:open', 'size:big'], { as: 'eli' });
	assert.equal(r.status, 1);
	assert.match(r.stderr, /at 14: size: expected a number of points/);
	r = cairn(['view', 'save', 'bad', 'label:a,,b'], { as: 'eli' });
	assert.equal(r.status, 1);
	assert.match(r.stderr, /at 9: label: expected a value after ','/);
	assert.equal(json(['view', 'list'], { as: 'eli' }).items.filter((v) => v.name === 'bad').length, 0);
});
