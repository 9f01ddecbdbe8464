// A bulk load killed half-way (issue #17): `cairn demo` loads its issues in
// one transaction (on PostgreSQL through COPY, with indexes and foreign keys
// dropped and made again inside it), so `kill -9` in the middle leaves the
// database as it was before the load: no issue, no lost index, and a new
// demo runs on it.  On SQLite, or PostgreSQL when CAIRN_TEST_DB is set.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
const dir = mkdtempSync(join(tmpdir(), 'cairn-kill-'));
const dbs = [];
after(() => {
  for (const d of dbs) d.drop();
  rmSync(dir, { recursive: true, force: true });
});
const env = { ...process.env, CAIRN_DB: '', CAIRN_USER: '', CAIRN_NOW: '2026-12-07T12:00:00Z' };

function cairn(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 256 << 20, env });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
  assert.equal(r.status, 0, `cairn ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// Run a demo of total issues and kill -9 it once it says it has handed
// over the first 100,000 (the load commits only at its end).
function killMidLoad(url, total) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['demo', '--db', url, '--issues', String(total)], { env });
    let err = '', killed = false;
    p.stderr.on('data', (d) => {
      err += d;
      if (!killed && /100000 of/.test(err)) {
        killed = true;
        p.kill('SIGKILL');
      }
    });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ killed, signal, err }));
  });
}

test('a bulk load killed half-way leaves the database as it was', async () => {
  const db = freshDb(dir, { name: 'killed' });
  dbs.push(db);
  const r = await killMidLoad(db.url, 400000);
  assert.ok(r.killed, `the load was killed in the middle: ${r.err}`);
  assert.equal(r.signal, 'SIGKILL');
  const dump = cairn(['backup', '--db', db.url]);
  assert.equal(dump.split('\n').filter((l) => l.includes('"table":"issues"')).length, 0,
    'no issue of the killed load is left');
  assert.ok(dump.includes('"table":"users"'), 'what was there before the load is');
  // the database is usable as before: the issue counter is where it was,
  // and the next issue is found by its words
  assert.match(cairn(['issue', 'new', 'Quokka census after the kill', '--db', db.url, '--as', 'admin']),
    /#1\b/);
  assert.match(cairn(['issue', 'list', 'quokka', '--db', db.url, '--as', 'admin']), /^1 issue, page 1/m);
});
