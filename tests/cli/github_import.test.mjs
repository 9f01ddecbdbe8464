/*
 * github_import.test.mjs — issue #16, `cairn import github FILE|-` on a real
 * database (SQLite, or PostgreSQL with CAIRN_TEST_DB): a realistic export
 * (tests/lib/github_export.mjs: several hundred issues with labels,
 * milestones, assignees, comments, closed ones with both state reasons, pull
 * requests mixed in) gives the expected issues; a second import changes
 * nothing (the whole backup is byte for byte the same); bad items are reported
 * by GitHub number and nothing is half-written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { runCli } from '../api/harness.mjs';
import { githubExport } from '../lib/github_export.mjs';
import { freshDb } from '../lib/testdb.mjs';

const dir = mkdtempSync(join(tmpdir(), 'cairn-ghimport-'));
let db;
const cairn = (args, opts = {}) => runCli([...args, '--db', db.url], { expectStatus: null, ...opts });
const exp = githubExport({ count: 300, pulls: 40, seed: 7 });

before(() => {
	db = freshDb(dir);
	runCli(['init', '--db', db.url, '--admin', 'admin'], { env: { CAIRN_ADMIN_PASSWORD: 'correct-horse-battery' } });
	const u = cairn(['user', 'add', 'dev1', '--role', 'engineer', '--password-stdin'], { input: 'a-long-password-1\n' });
	assert.equal(u.status, 0, u.stderr);
	assert.equal(cairn(['github', 'login', 'octo-dev', 'dev1']).status, 0);
});
after(() => { db?.drop(); rmSync(dir, { recursive: true, force: true }); });

/* Every issue Cairn holds, by its GitHub title. */
function issues() {
	const out = new Map();
	for (let page = 1; ; page++) {
		const r = cairn(['issue', 'list', '--json', '--per-page', '100', '--page', String(page)]);
		assert.equal(r.status, 0, r.stderr);
		const j = JSON.parse(r.stdout);
		const items = Array.isArray(j) ? j : j.items;
		for (const i of items)
			out.set(i.title, i);
		if (items.length < 100)
			return out;
	}
}

const backup = () => {
	const r = cairn(['backup']);
	assert.equal(r.status, 0, r.stderr);
	return r.stdout;
};

test('a realistic export imports every issue, skips the pull requests, maps the fields', () => {
	const file = join(dir, 'issues.json');
	writeFileSync(file, exp.text);
	const r = cairn(['import', 'github', file, '--json']);
	assert.equal(r.status, 0, r.stderr);
	const res = JSON.parse(r.stdout);
	assert.equal(res.repository, 'acme/widgets');
	assert.equal(res.created, 300);
	assert.equal(res.pull_requests, 40);
	assert.deepEqual(res.errors, []);
	const got = issues();
	assert.equal(got.size, 300, 'one Cairn issue per GitHub issue, none for pull requests');
	let wontDo = 0, done = 0;
	for (const g of exp.issues) {
		const i = got.get(g.title);
		assert.ok(i, `#${g.number} ${g.title}`);
		assert.equal(i.state, g.state);
		const names = g.labels.map((l) => l.name);
		const size = names.find((n) => ['1', '2', '3', '5', '8', '13'].includes(n));
		if (size)
			assert.equal(i.pm_size, Number(size), `#${g.number} size`);
		const prio = names.find((n) => n.startsWith('priority:'));
		if (prio)
			assert.equal(i.priority, prio.slice(9));
		if (names.includes('bug') && !names.includes('story') && !names.includes('task') && !names.includes('epic') && !names.includes('enhancement'))
			assert.equal(i.type, 'bug');
		if (names.includes('enhancement') && names.indexOf('enhancement') === names.findIndex((n) => ['bug', 'story', 'task', 'epic', 'enhancement'].includes(n)))
			assert.equal(i.type, 'feature');
		const kept = names.filter((n) => !['bug', 'story', 'task', 'epic', 'enhancement', '1', '2', '3', '5', '8', '13'].includes(n) && !n.startsWith('priority:')).sort();
		assert.deepEqual(i.labels, kept, `#${g.number} labels`);
		assert.equal(i.milestone_title, g.milestone ? g.milestone.title : null);
		const mapped = g.assignees.find((a) => a.login === 'octo-dev');
		if (g.assignees.length && g.assignees[0].login === 'octo-dev')
			assert.equal(i.assignee, 'dev1');
		else if (!mapped)
			assert.equal(i.assignee, null, 'unknown logins are not users');
		if (g.state === 'closed' && g.state_reason === 'not_planned') {
			wontDo++;
			assert.match(i.close_reason || '', /won't do/);
		}
		if (g.state === 'closed' && g.state_reason === 'completed') {
			done++;
			assert.equal(i.close_reason, null);
		}
		if (g.state === 'open')
			assert.equal(i.board, 'no_status', 'open issues wait in the triage inbox');
	}
	assert.ok(wontDo > 10 && done > 10, `both state reasons: ${wontDo} won't do, ${done} done`);
	// comments came along, once
	const withComments = exp.issues.find((g) => g.comments.length === 2);
	const n = got.get(withComments.title).number;
	const c = cairn(['issue', 'comments', String(n), '--json']);
	assert.equal(c.status, 0, c.stderr);
	const list = JSON.parse(c.stdout).items;
	assert.equal(list.length, 2, c.stdout.slice(0, 800));
	assert.match(list[0].body, /^\*\*octo-\w+\*\* \[on GitHub\]/);
	assert.ok(list[0].body.includes(`acme/widgets#${withComments.number}`), 'GitHub\'s #N stays GitHub\'s');
});

test('a second import changes nothing', () => {
	const before1 = backup();
	const r = cairn(['import', 'github', '-', '--json'], { input: exp.text });
	assert.equal(r.status, 0, r.stderr);
	const res = JSON.parse(r.stdout);
	assert.equal(res.created, 0);
	assert.equal(res.updated, 300);
	assert.equal(backup(), before1, 'the database is byte for byte the same');
});

test('a changed export updates the issues it changes; bad items are reported by number, nothing half-written', () => {
	const items = JSON.parse(JSON.stringify(exp.items));
	const target = items.find((i) => !i.pull_request && i.state === 'open');
	target.title = 'Renamed on GitHub';
	target.updated_at = '2026-12-07T13:00:00Z';
	const bad = items.find((i) => !i.pull_request && i !== target && i.number < 50);
	bad.state = 'sideways';
	const before1 = backup();
	let r = cairn(['import', 'github', '-'], { input: JSON.stringify(items) });
	assert.equal(r.status, 2, r.stderr);
	assert.match(r.stderr, new RegExp(`GitHub #${bad.number} \\(item \\d+\\): issue.state must be "open"`));
	assert.match(r.stdout, /0 issues imported, 299 already here/);
	const got = issues();
	assert.ok(got.has('Renamed on GitHub'), 'the good items are written');
	// malformed JSON, a wrong top-level type, another repository: nothing written
	const mid = backup();
	assert.notEqual(mid, before1);
	for (const text of ['[{"number":', '{"number": 1}', '', JSON.stringify([{ ...target, html_url: 'https://github.com/other/repo/issues/1' }, ...items.slice(0, 3)])]) {
		r = cairn(['import', 'github', '-', '--repo', 'acme/widgets'], { input: text });
		assert.ok(r.status !== 0 && r.status < 4, `exit ${r.status}: ${r.stderr}`);
	}
	assert.equal(backup().replace(/"attempts".*/g, ''), mid.replace(/"attempts".*/g, ''));
	// a huge array of junk (and one issue with 200,000 labels): every item
	// refused by its number or position, nothing written
	const junk = Array.from({ length: 10000 }, (_, k) => (k % 3 ? { number: k, title: 7 } : k % 2 ? 'x' : null));
	junk.push({ ...target, labels: Array.from({ length: 200000 }, (_, k) => ({ name: `l${k}` })) });
	r = cairn(['import', 'github', '-', '--repo', 'acme/widgets'], { input: JSON.stringify(junk) });
	assert.equal(r.status, 2, r.stderr.slice(0, 500));
	assert.match(r.stdout, /0 issues imported, 0 already here .* 10001 refused/);
	assert.match(r.stderr, new RegExp(`GitHub #${target.number} \\(item 10001\\): issue.labels must be at most 128 labels`));
	assert.equal(backup().replace(/"attempts".*/g, ''), mid.replace(/"attempts".*/g, ''));
	r = cairn(['import', 'github', join(dir, 'missing.json')]);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /cannot read/);
	r = cairn(['import', 'gitlab', '-']);
	assert.equal(r.status, 1);
});
