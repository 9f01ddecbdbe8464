/*
 * cli.mjs — a fresh database for CLI tests and the helpers to run the real
 * binary on it: cairn(args, {input, as}) returns the spawnSync result (no
 * sanitizer report allowed), ok() also asserts exit 0, json() parses the
 * --json output.  The database is SQLite, or PostgreSQL with CAIRN_TEST_DB.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freshDb } from './testdb.mjs';

export const BIN = process.env.CAIRN_BIN || 'build/cairn';

/* init with admin `root`, then users {login: role}; call drop() after. */
export function cliDb(name, users = {}) {
	const dir = mkdtempSync(join(tmpdir(), `cairn-${name}-`));
	const db = freshDb(dir, { name });
	const cairn = (args, { input, as } = {}) => {
		const r = spawnSync(BIN, [...args, '--db', db.url, ...(as ? ['--as', as] : [])], {
			input, encoding: 'utf8', env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '' },
		});
		assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
		return r;
	};
	const ok = (args, opts) => {
		const r = cairn(args, opts);
		assert.equal(r.status, 0, `cairn ${args.join(' ')}: ${r.stderr}`);
		return r;
	};
	const json = (args, opts) => JSON.parse(ok([...args, '--json'], opts).stdout);
	const r = spawnSync(BIN, ['init', '--db', db.url, '--admin', 'root'],
		{ encoding: 'utf8', env: { ...process.env, CAIRN_ADMIN_PASSWORD: 'correct-horse' } });
	assert.equal(r.status, 0, r.stderr);
	for (const [login, role] of Object.entries(users))
		ok(['user', 'add', login, '--role', role, '--password-stdin'], { input: 'password-123\n' });
	const drop = () => {
		db.drop();
		rmSync(dir, { recursive: true, force: true });
	};
	return { url: db.url, cairn, ok, json, drop };
}
