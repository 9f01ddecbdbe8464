// Strategy from the terminal: the document's versions and diff, an
// objective with a key result, an initiative with epics whose progress is
// computed from their stories, a health update by its owner, the roadmap —
// the real binary on a fresh database (SQLite, or PostgreSQL when
// CAIRN_TEST_DB is set), as a user would run it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { addDays, todayYmd } from '../lib/clock.mjs';
import { freshDb } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
let dir, main, db;

function cairn(args, { input, as } = {}) {
	const r = spawnSync(BIN, [...args, '--db', db, ...(as ? ['--as', as] : [])], {
		input, encoding: 'utf8', env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '' },
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

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'cairn-st-'));
	main = freshDb(dir, { name: 'st' });
	db = main.url;
	const r = spawnSync(BIN, ['init', '--db', db, '--admin', 'root'],
		{ encoding: 'utf8', env: { ...process.env, CAIRN_ADMIN_PASSWORD: 'correct-horse' } });
	assert.equal(r.status, 0, r.stderr);
	for (const [login, role] of [['pia', 'pm'], ['eli', 'engineer']])
		ok(['user', 'add', login, '--role', role, '--password-stdin'], { input: 'password-123\n' });
});
after(() => {
	main?.drop();
	rmSync(dir, { recursive: true, force: true });
});

test('the strategy document: versions, an unchanged save, a diff; engineers may not edit', () => {
	const f = join(dir, 'strategy.md');
	writeFileSync(f, '# Strategy\n\nWe win on speed.\n');
	assert.match(ok(['strategy', 'edit', '--file', f, '--note', 'first'], { as: 'pia' }).stdout, /Saved version 1/);
	assert.match(ok(['strategy', 'edit', '--file', f], { as: 'pia' }).stdout, /Unchanged \(version 1\)/);
	writeFileSync(f, '# Strategy\n\nWe win on speed and trust.\n');
	ok(['strategy', 'edit', '--file', f], { as: 'pia' });
	const r = cairn(['strategy', 'edit', '--file', f], { as: 'eli' });
	assert.equal(r.status, 2);
	assert.match(r.stderr, /only admins and PMs may edit the strategy/);
	assert.equal(ok(['strategy', 'diff', '1', '2']).stdout,
		'  # Strategy\n  \n- We win on speed.\n+ We win on speed and trust.\n');
	const s = json(['strategy']);
	assert.equal(s.versions, 2);
	assert.equal(s.review_overdue, true, 'never reviewed');
	ok(['strategy', 'review', '--every', '30'], { as: 'pia' });
	assert.equal(json(['strategy']).review_overdue, false);
});

test('an initiative\'s progress comes from its epics\' stories; its owner posts its health; the roadmap lists it', () => {
	const pillar = ok(['pillar', 'add', 'Growth'], { as: 'pia' });
	assert.equal(pillar.status, 0);
	const pid = String(json(['pillar', 'list']).items[0].id);
	ok(['objective', 'new', 'Teams succeed alone', '--period', '2027', '--pillar', pid], { as: 'pia' });
	ok(['objective', 'kr', '1', 'Active in week one (%)', '--baseline', '38', '--target', '60', '--current', '44.5'], { as: 'pia' });
	const epic = JSON.parse(ok(['issue', 'new', 'Onboarding wizard', '--type', 'epic', '--json'], { as: 'pia' }).stdout);
	const mk = (title, size) => {
		const i = JSON.parse(ok(['issue', 'new', title, '--type', 'story', '--parent', String(epic.number),
			...(size ? ['--size', size] : []), '--json'], { as: 'pia' }).stdout);
		return i.number;
	};
	const a = mk('Import step', 'M');
	mk('Invite step', 'L');
	mk('Welcome tour');
	ok(['issue', 'close', String(a)], { as: 'pia' });
	ok(['initiative', 'new', 'Self-serve onboarding', '--owner', 'eli', '--pillar', pid, '--objective', '1',
		'--horizon', 'now', '--start', addDays(todayYmd(), -10), '--target', addDays(todayYmd(), 60)], { as: 'pia' });
	let r = cairn(['initiative', 'add-epic', '1', String(a)], { as: 'pia' });
	assert.equal(r.status, 1, 'a story is not an epic');
	assert.match(r.stderr, /initiatives hold epics/);
	ok(['initiative', 'add-epic', '1', String(epic.number)], { as: 'pia' });
	const ini = json(['initiative', 'show', '1']);
	assert.deepEqual([ini.progress.points, ini.progress.done_points, ini.progress.items, ini.progress.done_items, ini.progress.unsized],
		[8, 3, 3, 1, 1], 'M + L, M done, one story unsized');
	assert.equal(ini.forecast.remaining, 5);
	ok(['initiative', 'update', '1', '--health', 'at_risk', '--text', 'The import step slipped'], { as: 'eli' });
	assert.equal(json(['initiative', 'show', '1']).health, 'at_risk');
	r = cairn(['initiative', 'update', '1', '--health', 'sunny', '--text', 'x'], { as: 'eli' });
	assert.equal(r.status, 1);
	const s = json(['strategy']);
	assert.equal(s.objectives[0].progress.points, 8);
	assert.equal(s.objectives[0].key_results[0].current, 44.5);
	assert.match(ok(['roadmap']).stdout, /## Now\n\n- \*\*Self-serve onboarding\*\* \(Growth\) — 3 of 8 points done/);
	const hist = ok(['strategy', 'history']).stdout;
	assert.match(hist, /@eli +initiative 1 +health +at_risk\n/);
	assert.match(hist, /initiative 1 +epic added/);
});
