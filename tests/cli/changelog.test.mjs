// Releases from the terminal: an entry from draft to published with the
// review rule, drafts from a milestone's headline issues, release notes,
// front-matter files out and back in (byte for byte, bad files reported by
// file and line), who to tell — the real binary on a fresh database (SQLite,
// or PostgreSQL when CAIRN_TEST_DB is set), as a user would run it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { addDays, todayYmd } from '../lib/clock.mjs';
import { freshDb } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
let dir, main, db;

function cairn(args, { input, as, on = db } = {}) {
	const r = spawnSync(BIN, [...args, '--db', on, ...(as ? ['--as', as] : [])], {
		input, encoding: 'utf8',
		env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '' },
	});
	assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
	return r;
}

function ok(args, opts) {
	const r = cairn(args, opts);
	assert.equal(r.status, 0, `cairn ${args.join(' ')}: ${r.stderr}`);
	return r;
}

const json = (args, opts) => JSON.parse(ok([...args, '--json'], opts).stdout);

function init(on) {
	const r = spawnSync(BIN, ['init', '--db', on, '--admin', 'root'],
		{ encoding: 'utf8', env: { ...process.env, CAIRN_ADMIN_PASSWORD: 'correct-horse' } });
	assert.equal(r.status, 0, r.stderr);
}

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'cairn-cl-'));
	main = freshDb(dir, { name: 'cl' });
	db = main.url;
	init(db);
	for (const [login, role] of [['pia', 'pm'], ['eli', 'engineer'], ['vic', 'viewer']])
		ok(['user', 'add', login, '--role', role, '--password-stdin'], { input: 'password-123\n' });
});
after(() => {
	main?.drop();
	rmSync(dir, { recursive: true, force: true });
});

test('an entry from draft to published: authors may not approve, engineers may not publish, exit codes say why', () => {
	const e = json(['changelog', 'new', 'Faster boards', '--description', 'Boards load in 20 ms',
		'--body', 'We rewrote *the* query.', '--issue', 'https://github.com/o/r/issues/7'], { as: 'pia' });
	assert.equal(e.state, 'draft');
	assert.deepEqual(e.authors, ['pia']);
	assert.equal(e.slug, 'faster-boards');
	const id = String(e.id);
	let r = cairn(['changelog', 'approve', id], { as: 'eli' });
	assert.equal(r.status, 3, 'a draft is not in review: conflict');
	ok(['changelog', 'submit', id], { as: 'pia' });
	r = cairn(['changelog', 'approve', id], { as: 'pia' });
	assert.equal(r.status, 2, 'refused');
	assert.match(r.stderr, /reviewer must not be an author/);
	r = cairn(['changelog', 'submit', id], { as: 'vic' });
	assert.equal(r.status, 2);
	assert.equal(json(['changelog', 'show', id]).state, 'in_review', 'refusals changed nothing');
	ok(['changelog', 'approve', id], { as: 'eli' });
	r = cairn(['changelog', 'publish', id], { as: 'eli' });
	assert.equal(r.status, 2);
	assert.match(r.stderr, /only admins and PMs may publish/);
	assert.match(ok(['changelog', 'publish', id], { as: 'pia' }).stdout, /is published/);
	const h = json(['changelog', 'history', id]);
	assert.deepEqual(h.filter((x) => x.field === 'state').map((x) => [x.actor, x.new]),
		[['pia', 'in_review'], ['eli', 'approved'], ['pia', 'published']]);
	r = cairn(['changelog', 'edit', id, '--slug', 'other'], { as: 'pia' });
	assert.equal(r.status, 3, 'a published slug stays');
});

test('drafts from a milestone\'s closed headline issues, once; release notes group what shipped', () => {
	const m = JSON.parse(ok(['milestone', 'new', 'Rel 1', '--start', addDays(todayYmd(), -10),
		'--due', addDays(todayYmd(), 10), '--capacity', '20', '--json'], { as: 'pia' }).stdout);
	const make = (title, type, labels = []) => {
		const i = JSON.parse(ok(['issue', 'new', title, '--type', type, '--body', `Why ${title} matters.\n\nDetails follow.`,
			...labels.flatMap((l) => ['--label', l]), '--json'], { as: 'pia' }).stdout);
		ok(['issue', 'edit', String(i.number), '--milestone', String(m.id), '--assignee', 'eli'], { as: 'pia' });
		ok(['issue', 'close', String(i.number)], { as: 'pia' });
		return i.number;
	};
	const a = make('Dark mode', 'feature', ['headline']);
	make('Crash on empty title', 'bug');
	const d = json(['changelog', 'draft', '--milestone', String(m.id)], { as: 'pia' });
	assert.equal(d.created.length, 1);
	assert.equal(d.created[0].title, 'Dark mode');
	assert.equal(d.created[0].description, 'Why Dark mode matters.');
	assert.deepEqual(d.created[0].authors, ['eli', 'pia'], 'assignee and reporter');
	assert.equal(d.created[0].issues[0].number, a);
	const again = json(['changelog', 'draft', '--milestone', String(m.id)], { as: 'pia' });
	assert.deepEqual([again.created.length, again.existing], [0, 1], 'idempotent');
	const notes = ok(['changelog', 'notes', '--milestone', String(m.id)]).stdout;
	assert.match(notes, /^## \[Rel 1\] - \d{4}-\d{2}-\d{2}\n/);
	assert.match(notes, /### Added\n- Dark mode \(#\d+\) — @eli, @pia\n/);
	assert.match(notes, /### Fixed\n- Crash on empty title \(#\d+\) — @eli, @pia\n/);
});

test('export writes the handbook\'s files; import brings them back byte for byte; a bad file is named with its line', () => {
	const out = join(dir, 'out');
	const listed = ok(['changelog', 'export', '--out', out]).stdout.trim().split('\n');
	assert.ok(listed.length >= 2, listed.join(','));
	for (const f of readdirSync(out))
		assert.match(f, /^\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md$/);
	const text = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('faster-boards.md'))), 'utf8');
	assert.match(text, /^---\ntitle: "Faster boards"\ndescription: "Boards load in 20 ms"\ndate: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.0\nauthors: \["pia"\]\ntags:\n {2}- changelog\nissues:\n {2}- "https:\/\/github.com\/o\/r\/issues\/7"\n---\n\nWe rewrote \*the\* query\.\n$/);

	// into a second, empty database
	const other = freshDb(dir, { name: 'cl2' });
	try {
		init(other.url);
		writeFileSync(join(out, '2020-01-01-broken.md'), '---\ntitle: "Broken\ndate: 2020-01-01\n---\n');
		const r = cairn(['changelog', 'import', out], { on: other.url });
		assert.equal(r.status, 1, 'a refused file makes the exit code 1');
		assert.match(r.stderr, /2020-01-01-broken\.md: line 2: /);
		assert.match(r.stdout, /imported .*faster-boards\.md/);
		const back = join(dir, 'back');
		mkdirSync(back);
		ok(['changelog', 'export', '--out', back], { on: other.url });
		for (const f of readdirSync(back))
			assert.equal(readFileSync(join(back, f), 'utf8'), readFileSync(join(out, f), 'utf8'), f);
		const again = cairn(['changelog', 'import', join(out, readdirSync(back)[0])], { on: other.url });
		assert.equal(again.status, 0);
		assert.match(again.stdout, /skipped/);
	} finally {
		other.drop();
	}
});

test('who to tell on the demo: the customers behind a published entry, a message each; --mark records who told them', () => {
	const demo = freshDb(dir, { name: 'cldemo' });
	try {
		ok(['demo', '--issues', '200'], { on: demo.url });
		const published = json(['changelog', 'list', '--state', 'published'], { on: demo.url }).items;
		assert.ok(published.length >= 6, 'the demo has a changelog for its closed milestones');
		const lists = published.map((e) => [e, json(['changelog', 'tell', String(e.id)], { on: demo.url }).customers]);
		const [entry, customers] = lists.sort((a, b) => b[1].length - a[1].length)[0];
		assert.ok(customers.length >= 2, 'some entry answers several customers');
		for (const c of customers) {
			assert.equal(c.told, false);
			assert.ok(c.insights.length >= 1);
			assert.ok(c.message.includes(entry.title) && c.message.startsWith(`Hi ${c.name},`), c.message);
		}
		const text = ok(['changelog', 'tell', String(entry.id)], { on: demo.url }).stdout;
		assert.match(text, new RegExp(`--- to ${customers[0].name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ---`));
		const r = cairn(['changelog', 'tell', String(entry.id), '--mark', String(customers[0].id)], { on: demo.url, as: 'eli' });
		assert.equal(r.status, 2, 'engineers do not close the loop');
		const after = json(['changelog', 'tell', String(entry.id), '--mark', String(customers[0].id)], { on: demo.url, as: 'pia' }).customers;
		const first = after.find((c) => c.id === customers[0].id);
		assert.equal(first.told, true);
		assert.ok(first.insights.every((x) => x.state === 'answered' && x.answered_by === 'pia'));
		assert.ok(after.filter((c) => c.id !== customers[0].id).every((c) => !c.told), 'only that customer');
	} finally {
		demo.drop();
	}
});
