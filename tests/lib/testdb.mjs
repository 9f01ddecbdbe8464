/*
 * testdb.mjs — a fresh, empty database for one test consumer (a server, a
 * CLI run, a browser test), on whichever backend the run is for.
 *
 *   import { freshDb } from '../lib/testdb.mjs';
 *   const db = freshDb(tmpDir);          // {url, backend, drop()}
 *   runCli(['init', '--db', db.url, ...]);
 *   ...
 *   db.drop();                           // idempotent
 *
 * Environment:
 *   CAIRN_TEST_DB  unset: a new SQLite file in tmpDir (or in a new temp dir
 *                  when tmpDir is omitted; that dir is removed by drop()).
 *                  set:   a postgres:// or postgresql:// URL *template*
 *                  containing `{db}`, e.g.
 *                    postgresql://cairn@/{db}?host=/tmp/pgt&port=54329
 *                  Each freshDb() creates a new database whose name replaces
 *                  `{db}`; psql creates and drops it, connected to the same
 *                  URL with `postgres` in place of `{db}`.
 *
 * Databases still alive when the process exits (a test file that crashed
 * before its cleanup) are dropped from an exit hook, so a failed run leaves
 * nothing behind in the cluster.
 *
 * Needs node and, for PostgreSQL, psql on PATH.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PSQL_TIMEOUT_MS = 60000;
let seq = 0;
const live = new Set(); // drop() functions of databases not yet dropped

/* The PostgreSQL URL template, or null when the run is on SQLite.
 * Throws on a malformed template so a typo does not silently test SQLite. */
export function pgTemplate() {
	const tpl = process.env.CAIRN_TEST_DB;
	if (!tpl)
		return null;
	if (!/^postgres(ql)?:\/\//.test(tpl) || !tpl.includes('{db}'))
		throw new Error(`CAIRN_TEST_DB must be a postgres:// or postgresql:// URL template containing {db}, got ${JSON.stringify(tpl)}`);
	return tpl;
}

/* 'postgres' or 'sqlite': which backend this run tests. */
export function backend() {
	return pgTemplate() ? 'postgres' : 'sqlite';
}

/* The URL psql uses for administrative statements (the `postgres` database). */
export function pgAdminUrl(tpl = pgTemplate()) {
	return tpl.split('{db}').join('postgres');
}

/* Run one SQL statement as the cluster superuser; returns spawnSync's result. */
export function psqlAdmin(sql, tpl = pgTemplate()) {
	return spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pgAdminUrl(tpl), '-c', sql], {
		encoding: 'utf8',
		timeout: PSQL_TIMEOUT_MS,
		env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
	});
}

function sqliteRemover(file) {
	return () => {
		for (const suffix of ['', '-wal', '-shm', '-journal'])
			fs.rmSync(file + suffix, { force: true });
	};
}

/* A new empty database.  tmpDir: where a SQLite file goes (optional);
 * name: a hint used in the SQLite file name.  Returns
 * {url, backend, drop()}: pass url to --db; drop() removes the database
 * (and the temp dir freshDb made itself) and may be called more than once. */
export function freshDb(tmpDir, { name = 't' } = {}) {
	const tpl = pgTemplate();
	const ownDir = tmpDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-db-'));
	const dir = tmpDir || ownDir;
	const removeDir = () => { if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true }); };
	const id = `${process.pid}_${++seq}_${randomBytes(3).toString('hex')}`;
	let dropped = false;
	let dropDb;
	let url;

	if (!tpl) {
		const safe = String(name).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 't';
		url = path.join(dir, ownDir ? `${safe}.db` : `${safe}-${id}.db`);
		dropDb = sqliteRemover(url);
	} else {
		// Unquoted identifier: lower case letters, digits and '_' only, <= 63 bytes.
		const db = `cairn_t_${id}`;
		const r = psqlAdmin(`CREATE DATABASE ${db}`, tpl);
		if (r.error || r.status !== 0) {
			removeDir();
			throw new Error(`psql CREATE DATABASE ${db} on ${pgAdminUrl(tpl)} failed: ` +
				`${r.error?.message ?? ''}${r.stderr ?? ''} (is the cluster running?)`);
		}
		url = tpl.split('{db}').join(db);
		dropDb = () => {
			const d = psqlAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`, tpl);
			if (d.error || d.status !== 0)
				process.stderr.write(`testdb: DROP DATABASE ${db} failed: ${d.error?.message ?? ''}${d.stderr ?? ''}\n`);
		};
	}

	const drop = () => {
		if (dropped)
			return;
		dropped = true;
		live.delete(drop);
		try {
			dropDb();
		} finally {
			removeDir();
		}
	};
	live.add(drop);
	return { url, backend: tpl ? 'postgres' : 'sqlite', drop };
}

process.on('exit', () => {
	for (const drop of [...live]) {
		try {
			drop();
		} catch (e) {
			process.stderr.write(`testdb: cleanup at exit: ${e.message}\n`);
		}
	}
});
