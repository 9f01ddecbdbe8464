// The decision log from the terminal: record, edit while proposed, accept,
// refuse edits after, supersede, search; and the demo's decisions with the
// evidence that moved since — the real binary on a fresh database (SQLite,
// or PostgreSQL when CAIRN_TEST_DB is set).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freshDb } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
let dir, main, db;

function cairn(args, { input, as, on = db } = {}) {
	const r = spawnSync(BIN, [...args, '--db', on, ...(as ? ['--as', as] : [])], {
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
	dir = mkdtempSync(join(tmpdir(), 'cairn-dec-'));
	main = freshDb(dir, { name: 'dec' });
	db = main.url;
	const r = spawnSync(BIN, ['init', '--db', db, '--admin', 'root'],
		{ encoding: 'utf8', env: { ...process.env, CAIRN_ADMIN_PASSWORD: 'correct-horse' } });
	assert.equal(r.status, 0, r.stderr);
	for (const [login, role] of [['pia', 'pm'], ['cora', 'cto'], ['eli', 'engineer']])
		ok(['user', 'add', login, '--role', role, '--password-stdin'], { input: 'password-123\n' });
});
after(() => {
	main?.drop();
	rmSync(dir, { recursive: true, force: true });
});

test('record, edit while proposed, accept, then immutable; supersede; search', () => {
	const i = JSON.parse(ok(['issue', 'new', 'SAML login', '--type', 'feature', '--json'], { as: 'pia' }).stdout);
	let r = cairn(['decision', 'new', 'Price SSO'], { as: 'eli' });
	assert.equal(r.status, 2, 'engineers do not record decisions');
	const d = json(['decision', 'new', 'Price SSO', '--context', 'Managers ask for SAML',
		'--option', 'Premium|follows the buyers|less upsell', '--option', 'Enterprise',
		'--responsible', 'pia', '--accountable', 'cora', '--informed', 'eli', '--issue', String(i.number)], { as: 'pia' });
	assert.equal(d.status, 'proposed');
	assert.deepEqual(d.options, [{ title: 'Premium', pros: 'follows the buyers', cons: 'less upsell' },
		{ title: 'Enterprise', pros: '', cons: '' }]);
	assert.deepEqual(d.raci, { responsible: ['pia'], accountable: ['cora'], consulted: [], informed: ['eli'] });
	r = cairn(['decision', 'new', 'Bad', '--accountable', 'nobody'], { as: 'pia' });
	assert.equal(r.status, 1);
	assert.match(r.stderr, /no user 'nobody'/);
	ok(['decision', 'edit', String(d.id), '--decision', 'Premium it is'], { as: 'pia' });
	assert.match(ok(['decision', 'accept', String(d.id)], { as: 'pia' }).stdout, /is accepted/);
	r = cairn(['decision', 'edit', String(d.id), '--title', 'Changed'], { as: 'pia' });
	assert.equal(r.status, 3, 'an accepted decision is immutable: conflict');
	assert.match(r.stderr, /record a new decision that supersedes it/);
	const shown = json(['decision', 'show', String(d.id)]);
	assert.equal(shown.snapshot.issues[0].number, i.number);
	assert.equal(shown.title, 'Price SSO');
	const d2 = json(['decision', 'new', 'SSO everywhere', '--supersedes', String(d.id)], { as: 'pia' });
	ok(['decision', 'accept', String(d2.id)], { as: 'pia' });
	const old = json(['decision', 'show', String(d.id)]);
	assert.deepEqual([old.status, old.superseded_by], ['superseded', d2.id]);
	assert.deepEqual(json(['decision', 'list', '--q', 'managers SAML']).map((x) => x.id), [d.id]);
	assert.deepEqual(json(['decision', 'list', '--involving', 'cora']).map((x) => x.id), [d.id]);
	assert.deepEqual(json(['decision', 'list', '--issue', String(i.number)]).map((x) => x.id), [d.id]);
	const hist = ok(['decision', 'history', String(d.id)]).stdout;
	assert.match(hist, /status +proposed → accepted/);
	assert.match(hist, /status +accepted → superseded by #\d+/);
});

test('the demo\'s decision log: a dozen decisions, superseded ones, and evidence that moved since', () => {
	const demo = freshDb(dir, { name: 'decdemo' });
	try {
		ok(['demo', '--issues', '200'], { on: demo.url });
		const all = json(['decision', 'list'], { on: demo.url });
		assert.ok(all.length >= 12);
		assert.ok(all.filter((x) => x.status === 'superseded').length >= 2);
		const first = json(['decision', 'show', String(all.at(-1).id)], { on: demo.url });
		assert.ok(first.signals.some((s) => /demand for #\d+ has/.test(s)), JSON.stringify(first.signals));
		assert.ok(first.today[0].demand > first.snapshot.issues[0].demand);
	} finally {
		demo.drop();
	}
});
