// cairn customer add, cairn persona add and cairn insights import
// --create-customers / --dry-run on a fresh database (issue #14).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDb } from '../lib/testdb.mjs';

const BIN = resolve(process.env.CAIRN_BIN || 'build/cairn');
const dir = mkdtempSync(join(tmpdir(), 'cairn-customer-'));
let db;
const cairn = (args, { as, input } = {}) => {
	const r = spawnSync(BIN, [...args, '--db', db.url, ...(as ? ['--as', as] : [])], { input, encoding: 'utf8',
		env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '', CAIRN_ADMIN_PASSWORD: 'correct-horse' } });
	assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
	return r;
};
const ok = (args, opts) => {
	const r = cairn(args, opts);
	assert.equal(r.status, 0, `cairn ${args.join(' ')}: ${r.stderr}`);
	return r;
};

before(() => {
	db = freshDb(dir, { name: 'customer' });
	ok(['init', '--admin', 'root']);
	for (const [login, role] of [['pia', 'pm'], ['eli', 'engineer']])
		ok(['user', 'add', login, '--role', role, '--password-stdin'], { input: 'password-123\n' });
});
after(() => { db?.drop(); rmSync(dir, { recursive: true, force: true }); });

test('customer add and persona add; engineers may not; bad input exits 1 naming the field', () => {
	let r = ok(['customer', 'add', 'Acme Corp', '--tier', 'enterprise', '--arr', '250000', '--seats', '40', '--strategic'], { as: 'pia' });
	assert.match(r.stdout, /^customer \d+: Acme Corp \(Enterprise, ARR 250000, strategic\)\n$/);
	r = ok(['customer', 'add', 'Bolt']);
	assert.match(r.stdout, /Bolt \(Starter, ARR 0\)/);
	r = cairn(['customer', 'add', 'Acme Corp']);
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /a customer named 'Acme Corp' exists/);
	r = cairn(['customer', 'add', 'Gold Co', '--tier', 'Gold']);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /tier must be Starter, Premium or Enterprise/);
	r = cairn(['customer', 'add', 'Nope', '--arr', 'lots']);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /usage: cairn customer add/);
	r = cairn(['customer', 'add', 'Sneaky'], { as: 'eli' });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /admins and PMs/i);
	r = ok(['persona', 'add', 'Ops lead', '--buyer-level', 'manager', '--description', 'Runs the night shift'], { as: 'pia' });
	assert.match(r.stdout, /^persona \d+: Ops lead\n$/);
	r = cairn(['persona', 'add', 'Boss', '--buyer-level', 'king']);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /buyer_level must be individual, manager or executive/);
	assert.equal(cairn(['persona', 'list']).status, 1, 'only add');
});

test('insights import --create-customers adds the unknown customers; --dry-run writes nothing', () => {
	const file = join(dir, 'new.csv');
	writeFileSync(file, 'title,customer,persona\nWants SSO,Brand New Corp,Ops lead\nWants SAML,Brand New Corp,\nFrom Bolt,Bolt,\n');
	let r = cairn(['insights', 'import', file]);
	assert.equal(r.status, 2, 'refused rows exit 2');
	assert.match(r.stderr, /line 2: no customer 'Brand New Corp' \(add it first\)/);
	assert.match(r.stdout, /imported 1 insight, 2 rows refused/);
	r = ok(['insights', 'import', file, '--create-customers', '--dry-run']);
	assert.match(r.stdout, /would add customer: Brand New Corp\nwould import 3 insights, 0 rows refused/);
	r = cairn(['insights', 'import', file, '--create-customers'], { as: 'eli' });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /admins and PMs/i);
	r = ok(['insights', 'import', file, '--create-customers']);
	assert.match(r.stdout, /^added customer: Brand New Corp\nimported 3 insights, 0 rows refused\n$/);
	const csv = ok(['insights', 'export']).stdout;
	assert.equal(csv.split('\n').filter((l) => l.includes('Brand New Corp')).length, 2);
	assert.equal(csv.split('\n').filter((l) => l.includes('From Bolt')).length, 2, 'the first import and this one');
	assert.equal(cairn(['insights', 'export', '--dry-run']).status, 1);
});
