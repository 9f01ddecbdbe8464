// backup / restore on the demo product: the move from SQLite to the run's
// backend (PostgreSQL when CAIRN_TEST_DB is set) and back gives byte-identical
// dumps, the restored database serves the same data, and bad restores change
// nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, backend } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
const dir = mkdtempSync(join(tmpdir(), 'cairn-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cairn(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', maxBuffer: 256 << 20,
    env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '' } });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
  return r;
}

// the schema this binary writes (`cairn --version` says "cairn X (schema N)")
const SCHEMA = () => Number(/schema (\d+)/.exec(cairn(['--version']).stdout)[1]);

test(`demo: SQLite -> dump -> ${backend()} -> dump -> SQLite -> dump are identical`, () => {
  const sqlite = join(dir, 'demo.db');
  let r = cairn(['demo', '--db', sqlite]);
  assert.equal(r.status, 0, r.stderr);
  r = cairn(['settings', '--db', sqlite, '--sla-days', 'critical=5', '--todo-limit', '33']);
  assert.equal(r.status, 0, r.stderr);
  const dump1 = join(dir, 'one.jsonl');
  r = cairn(['backup', '--db', sqlite, '--out', dump1]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(statSync(dump1).mode & 0o777, 0o600, 'the dump holds hashes: owner-only');
  const first = readFileSync(dump1, 'utf8');
  const lines = first.trim().split('\n');
  assert.deepEqual(JSON.parse(lines[0]), { cairn_dump: 1, schema: SCHEMA() });
  const tables = new Set(lines.slice(1).map((l) => JSON.parse(l).table));
  for (const t of ['users', 'api_tokens', 'sessions', 'counters', 'settings', 'issues', 'issue_labels', 'history',
    'pillars', 'areas', 'milestones', 'milestone_scope'])
    assert.ok(tables.has(t) || t === 'api_tokens' || t === 'sessions', `dump has ${t}`);
  assert.ok(lines.length > 200 + 15, 'every issue and user is in the dump');

  const target = freshDb(dir, { name: 'target' });
  r = cairn(['restore', '--db', target.url, '--in', dump1]);
  assert.equal(r.status, 0, r.stderr);
  r = cairn(['backup', '--db', target.url]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, first, 'the restored database dumps byte-identically');

  // piped straight back into a new SQLite file
  const back = join(dir, 'back.db');
  r = cairn(['restore', '--db', back], r.stdout);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(cairn(['backup', '--db', back]).stdout, first);

  // the restored database answers like the original, settings included
  assert.match(cairn(['settings', '--db', target.url]).stdout, /sla-days critical=5,.*\ntodo-limit 33/);
  const show = (db) => JSON.parse(cairn(['issue', 'show', '7', '--db', db, '--json']).stdout);
  assert.deepEqual(show(target.url), show(sqlite));
  const list = (db) => cairn(['issue', 'list', 'is:open', 'label:area:api', '--db', db, '--json']).stdout;
  assert.equal(list(target.url), list(sqlite));
  // and keeps going: the next issue gets the next number
  r = cairn(['issue', 'new', 'after the move', '--db', target.url, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).number, 201);
  target.drop();
});

test('restore refuses a non-empty database and a broken dump, leaving both as they were', () => {
  const db = freshDb(dir, { name: 'busy' });
  let r = cairn(['init', '--db', db.url, '--admin', 'root'], undefined);
  assert.equal(r.status, 0, r.stderr);
  const good = `{"cairn_dump":1,"schema":${SCHEMA()}}\n`;
  r = cairn(['restore', '--db', db.url], good);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /already has users or issues/);

  const empty = freshDb(dir, { name: 'empty' });
  const broken = good + '{"table":"users","row":{"id":1,"login":"a","name":"a","role":1,"password_hash":"x","created_at":1,"disabled_at":null}}\n' +
    '{"table":"issues","row":{"id":1}}\n';
  writeFileSync(join(dir, 'broken.jsonl'), broken);
  r = cairn(['restore', '--db', empty.url, '--in', join(dir, 'broken.jsonl')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 3: issues row must have the columns/);
  // nothing of line 2 stayed behind: a good restore still finds it empty
  r = cairn(['restore', '--db', empty.url], good);
  assert.equal(r.status, 0, r.stderr);
  db.drop();
  empty.drop();
});
