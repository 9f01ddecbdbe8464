// The demo's bulk load (issue #17): `cairn demo` loads its issues in one
// transaction with the derived data (search rows, indexes, roll-ups, the
// board tally) built once at the end; `cairn demo --no-bulk` keeps all of it
// in step issue by issue, batch by batch.  Both must give the same database:
// the same dump (every table but the derived ones, byte for byte, the
// password hashes aside: argon2 salts them at random), the same roll-ups
// (`cairn check --rollups`) and the same search results.  On SQLite, or
// PostgreSQL when CAIRN_TEST_DB is set.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
const dir = mkdtempSync(join(tmpdir(), 'cairn-bulk-'));
const dbs = [];
after(() => {
  for (const d of dbs) d.drop();
  rmSync(dir, { recursive: true, force: true });
});

// one fixed clock for both runs: the demo dates everything from it
const NOW = '2026-12-07T12:00:00Z';

function cairn(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 256 << 20,
    env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '', CAIRN_NOW: NOW } });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
  assert.equal(r.status, 0, `cairn ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function demo(name, extra) {
  const db = freshDb(dir, { name });
  dbs.push(db);
  cairn(['demo', '--db', db.url, '--issues', '1500', '--seed', '7', ...extra]);
  return db.url;
}

const dump = (url) => cairn(['backup', '--db', url]).replace(/"password_hash":"[^"]*"/g, '"password_hash":"-"');

test('the bulk demo and the per-issue demo give the same database', () => {
  const bulk = demo('bulk', []);
  const slow = demo('slow', ['--no-bulk']);
  const a = dump(bulk), b = dump(slow);
  assert.ok(a.split('\n').filter((l) => l.includes('"table":"issues"')).length === 1500, 'every issue is dumped');
  assert.ok(a === b, 'the two dumps are identical');

  // the derived data: roll-ups and tally checked against a recount, and
  // the same numbers on both
  for (const url of [bulk, slow])
    assert.match(cairn(['check', '--rollups', '--db', url]), / 0 mismatches/);
  for (const view of [['board', 'product', '--json'], ['roadmap', '--json'], ['issue', 'tree', '1']]) {
    const read = (url) => cairn([...view, '--db', url, '--as', 'admin']);
    assert.equal(read(bulk), read(slow), view.join(' '));
  }

  // full-text search finds the demo's issues, ranked the same on both
  for (const q of ['import', 'device fleet', 'sign']) {
    const hits = (url) => cairn(['issue', 'list', q, '--db', url, '--as', 'admin']);
    const got = hits(bulk);
    assert.match(got, /^[1-9]\d* issues?, page 1/m, `"${q}" finds issues`);
    assert.equal(got, hits(slow), `"${q}" lists the same issues in the same order`);
  }
});
