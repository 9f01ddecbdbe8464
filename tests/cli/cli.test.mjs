// CLI tests: run the real cairn binary on a fresh database, the way a user
// would in a terminal, and check output, --json and exit codes
// (0 ok, 1 usage, 2 not found/refused, 3 conflict, 4 server error).
//
// CAIRN_TEST_DB unset: fresh SQLite files; set: a PostgreSQL URL template
// with {db}, and every database here is a fresh PostgreSQL database
// (tests/lib/testdb.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freshDb, pgTemplate } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
let dir, main, db;

function cairn(args, { input, env } = {}) {
  const r = spawnSync(BIN, args, {
    input, encoding: 'utf8',
    env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '', ...env },
  });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
  return r;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
  main = freshDb(dir, { name: 'cli' });
  db = main.url;
  const r = cairn(['init', '--db', db, '--admin', 'root'], { env: { CAIRN_ADMIN_PASSWORD: 'correct-horse' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created admin 'root'/);
});
after(() => {
  main?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('every command has --help, and unknown commands are usage errors', () => {
  for (const c of ['init', 'serve', 'demo', 'user', 'token', 'issue']) {
    const r = cairn([c, '--help']);
    assert.equal(r.status, 0, c);
    assert.match(r.stdout, new RegExp(`usage: cairn ${c}`));
  }
  const top = cairn(['--help']);
  assert.equal(top.status, 0);
  assert.match(top.stdout, /cairn issue new TITLE/);
  assert.equal(cairn(['frobnicate']).status, 1);
  assert.equal(cairn(['issue']).status, 1);
});

test('init without CAIRN_ADMIN_PASSWORD prints a generated password once', () => {
  const other = freshDb(dir, { name: 'gen' });
  try {
    const r = cairn(['init', '--db', other.url, '--admin', 'boss']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /with password: [A-Za-z0-9]{20}/);
  } finally {
    other.drop();
  }
});

test('issue new, list, show, edit, close round trip with history', () => {
  let r = cairn(['issue', 'new', 'Export fleet report', '--db', db, '--type', 'feature', '--size', 'M',
    '--priority', 'high', '--label', 'area:api', '--label', 'headline', '--body', '**Why:** customers ask', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const created = JSON.parse(r.stdout);
  assert.equal(created.title, 'Export fleet report');
  assert.equal(created.size, 3);
  assert.equal(created.type, 'feature');
  assert.deepEqual(created.labels, ['area:api', 'headline']);
  assert.match(created.body_html, /<strong>Why:<\/strong>/);
  const n = String(created.number);

  r = cairn(['issue', 'list', 'type:feature', 'export', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Export fleet report/);
  assert.match(r.stdout, /1 issue, page 1 of 1/);

  r = cairn(['issue', 'edit', n, '--db', db, '--size', 'xl', '--pm-size', '5', '--priority', '']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Updated #\d+ Export fleet report \(open, version 2\)/);

  r = cairn(['issue', 'close', n, '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Closed #/);

  r = cairn(['issue', 'show', n, '--db', db, '--json']);
  const shown = JSON.parse(r.stdout);
  assert.equal(shown.state, 'closed');
  assert.ok(shown.closed_at);
  assert.equal(shown.size, 8);
  assert.equal(shown.pm_size, 5);
  assert.equal(shown.priority, null);
  const fields = shown.history.map((h) => `${h.actor}:${h.field}:${h.old}->${h.new}`);
  assert.ok(fields.includes('root:size:M->XL'), fields.join('\n'));
  assert.ok(fields.includes('root:priority:high->null'), fields.join('\n'));
  assert.ok(fields.includes('root:state:open->closed'), fields.join('\n'));

  r = cairn(['issue', 'show', n, '--db', db]);
  assert.match(r.stdout, /\[closed\]/);
  assert.match(r.stdout, /History/);
});

test('body from stdin', () => {
  const r = cairn(['issue', 'new', 'From stdin', '--db', db, '--body', '-', '--json'], { input: '# Heading\n\ntext\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(JSON.parse(r.stdout).body_html, /<h1>Heading<\/h1>/);
});

test('invalid input is refused with exit 1 and a clear message, changing nothing', () => {
  const before = cairn(['issue', 'list', '--db', db, '--json']).stdout;
  let r = cairn(['issue', 'new', 'Bad size', '--db', db, '--size', '7']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /size must be one of XS,S,M,L,XL,XXL or 1,2,3,5,8,13/);
  r = cairn(['issue', 'new', 'Bad type', '--db', db, '--type', 'saga']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /type must be one of/);
  r = cairn(['issue', 'list', 'colour:red', '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown filter 'colour:'/);
  r = cairn(['issue', 'edit', '1', '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nothing to change/);
  assert.equal(cairn(['issue', 'list', '--db', db, '--json']).stdout, before);
});

test('not found is exit 2, a taken login is exit 3', () => {
  let r = cairn(['issue', 'show', '9999', '--db', db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /issue #9999 not found/);
  r = cairn(['user', 'add', 'eve', '--role', 'engineer', '--password-stdin', '--db', db], { input: 'longpassword\n' });
  assert.equal(r.status, 0, r.stderr);
  r = cairn(['user', 'add', 'eve', '--role', 'engineer', '--password-stdin', '--db', db], { input: 'longpassword\n' });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /login 'eve' is taken/);
  r = cairn(['user', 'add', 'bob', '--role', 'overlord', '--password-stdin', '--db', db], { input: 'longpassword\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /role must be one of/);
  r = cairn(['token', 'new', 'nobody', '--db', db]);
  assert.equal(r.status, 2);
});

test('a viewer acting through --as is refused (exit 2) and nothing is created', () => {
  let r = cairn(['user', 'add', 'vera', '--role', 'viewer', '--password-stdin', '--db', db], { input: 'longpassword\n' });
  assert.equal(r.status, 0, r.stderr);
  const before = JSON.parse(cairn(['issue', 'list', '--db', db, '--json']).stdout).total;
  r = cairn(['issue', 'new', 'Sneaky', '--db', db, '--as', 'vera']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /only admins, PMs, CTOs, EMs and engineers may create and change issues \(you are viewer\)/);
  assert.equal(JSON.parse(cairn(['issue', 'list', '--db', db, '--json']).stdout).total, before);
});

test('token new prints a token that is not stored in plain text', () => {
  const r = cairn(['token', 'new', 'root', '--db', db, '--name', 'ci']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.trim(), /^cairn_[0-9a-f]{64}$/);
});

// About the CLI's error path, not the backend: a SQLite path in a missing
// directory on both runs.
test('serve reports a database it cannot open, with a non-zero exit', () => {
  const r = cairn(['serve', '--db', join(dir, 'missing-dir', 'x.db'), '--listen', '127.0.0.1:0']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cannot open/);
});

test('a PostgreSQL database that does not exist is reported, with exit 4', { skip: pgTemplate() ? false : 'PostgreSQL only (CAIRN_TEST_DB unset)' }, () => {
  const url = pgTemplate().split('{db}').join('cairn_no_such_database');
  for (const args of [['serve', '--listen', '127.0.0.1:0'], ['issue', 'list']]) {
    const r = cairn([...args, '--db', url]);
    assert.equal(r.status, 4, `cairn ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /cannot connect to PostgreSQL: .*database "cairn_no_such_database" does not exist/);
  }
});
