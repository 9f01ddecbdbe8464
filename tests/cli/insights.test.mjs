// cairn backlog and cairn insights import/export on a real database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDb } from '../lib/testdb.mjs';

const BIN = resolve(process.env.CAIRN_BIN || 'build/cairn');
const dir = mkdtempSync(join(tmpdir(), 'cairn-insights-'));
let db;
const cairn = (args, input) => {
  const r = spawnSync(BIN, [...args, '--db', db.url], { input, encoding: 'utf8',
    env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '' } });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
  return r;
};

before(() => {
  db = freshDb(dir);
  const r = cairn(['demo']);
  assert.equal(r.status, 0, r.stderr);
});
after(() => { db?.drop(); rmSync(dir, { recursive: true, force: true }); });

test('backlog ranks by demand and by RICE, as a table and as JSON', () => {
  let r = cairn(['backlog', '--limit', '5']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /RANK\s+#\s+SCORE\s+CUST\s+ASKS\s+TITLE\s+TOP ASK/);
  assert.match(r.stdout, /issues with customer evidence, ranked by demand/);
  // the whole ranked backlog (the open issues with evidence: how many
  // depends on how much of the demo's year has shipped), then a cap below it
  const demand = JSON.parse(cairn(['backlog', '--json', '--limit', '100000']).stdout);
  assert.ok(demand.length > 20, `the demo has a backlog with evidence: ${demand.length}`);
  for (let k = 1; k < demand.length; k++)
    assert.ok(demand[k - 1].demand >= demand[k].demand, 'best first');
  const top = JSON.parse(cairn(['backlog', '--json', '--limit', '20']).stdout);
  assert.deepEqual(top, demand.slice(0, 20), '--limit keeps the best');
  const rice = JSON.parse(cairn(['backlog', '--rank', 'rice', '--json', '--limit', '50']).stdout);
  const scored = rice.filter((x) => x.rice !== null);
  for (let k = 1; k < scored.length; k++)
    assert.ok(scored[k - 1].rice >= scored[k].rice);
  for (const x of scored)
    assert.ok(Math.abs(x.rice - x.customers * 1 * 0.8 / x.effort) < 1e-9, 'reach x impact x confidence / effort');
  r = cairn(['backlog', '--rank', 'vibes']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /rank must be demand or rice/);
});

test('insights import reports bad lines (exit 2) and export round-trips', () => {
  const file = join(dir, 'in.csv');
  writeFileSync(file, 'Subject,Body\n"Hello, world","a ""quoted""\nline"\n,missing title\n');
  let r = cairn(['insights', 'import', file, '--map', 'Subject:title,Body:body']);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /imported 1 insight, 1 row refused/);
  assert.match(r.stderr, /line 4: title must not be empty/);
  r = cairn(['insights', 'export']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('"Hello, world","a ""quoted""\nline","support"'));
});
