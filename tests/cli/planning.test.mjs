// Planning from the terminal: the milestone cadence generator, boards,
// moves with the Todo limit, trees and the double-booking check, and the
// demo's milestone history — the real binary on a fresh database (SQLite,
// or PostgreSQL when CAIRN_TEST_DB is set), as a user would run it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freshDb } from '../lib/testdb.mjs';

const BIN = process.env.CAIRN_BIN || 'build/cairn';
let dir, main, db;

function cairn(args, { input, env, as } = {}) {
  const r = spawnSync(BIN, [...args, '--db', db, ...(as ? ['--as', as] : [])], {
    input, encoding: 'utf8',
    env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '', ...env },
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

/* Day of the week of a YYYY-MM-DD (UTC): 0 = Sunday .. 6 = Saturday. */
const weekday = (d) => new Date(`${d}T00:00:00Z`).getUTCDay();
const daysBetween = (a, b) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-plan-'));
  main = freshDb(dir, { name: 'plan' });
  db = main.url;
  const r = spawnSync(BIN, ['init', '--db', db, '--admin', 'root'],
    { encoding: 'utf8', env: { ...process.env, CAIRN_ADMIN_PASSWORD: 'correct-horse' } });
  assert.equal(r.status, 0, r.stderr);
  for (const [login, role] of [['pia', 'pm'], ['cora', 'cto'], ['emil', 'em'], ['eli', 'engineer']])
    ok(['user', 'add', login, '--role', role, '--password-stdin'], { input: 'password-123\n' });
});
after(() => {
  main?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('cairn milestone plan --every 4w --weekday thu --count 3 from a Monday: three milestones due on Thursdays 28 days apart', () => {
  assert.equal(weekday('2026-11-30'), 1, 'the start is a Monday');
  const r = ok(['milestone', 'plan', '--every', '4w', '--weekday', 'thu', '--count', '3', '--from', '2026-11-30'], { as: 'pia' });
  assert.equal(r.stdout.trim().split('\n').length, 3, r.stdout);
  assert.match(r.stdout, /Created milestone \d+ M1: 2026-11-30 → 2026-12-24 \(Thu\)/);
  const list = json(['milestone', 'list']).items;
  assert.equal(list.length, 3);
  assert.equal(list[0].start, '2026-11-30');
  for (const m of list) assert.equal(weekday(m.due), 4, `${m.title} is due on a Thursday: ${m.due}`);
  assert.equal(daysBetween(list[0].due, list[1].due), 28);
  assert.equal(daysBetween(list[1].due, list[2].due), 28);
  assert.equal(list[1].start, '2026-12-25', 'each starts the day after the previous is due');
  // the next plan continues after the last one, and its titles go on
  const more = json(['milestone', 'plan', '--count', '1'], { as: 'pia' }).items;
  assert.equal(more[0].title, 'M4');
  assert.equal(more[0].start, '2027-02-19');
  assert.equal(weekday(more[0].due), 4);
});

test('only admins and PMs plan milestones; bad cadences are usage errors that create nothing', () => {
  const before = json(['milestone', 'list']).items.length;
  const eng = cairn(['milestone', 'plan', '--count', '2'], { as: 'eli' });
  assert.equal(eng.status, 2);
  assert.match(eng.stderr, /only admins and PMs/);
  for (const bad of [['--every', '3x'], ['--weekday', 'someday'], ['--count', '0'], ['--from', '2026-02-30']]) {
    const r = cairn(['milestone', 'plan', ...bad], { as: 'pia' });
    assert.notEqual(r.status, 0, bad.join(' '));
    assert.match(r.stderr, /every|weekday|count|from/, r.stderr);
  }
  assert.equal(json(['milestone', 'list']).items.length, before);
});

test('move: the Todo limit refuses with the numbers, --force by a PM passes and is in the history', () => {
  const sizes = ['XL', 'XL', 'L', 'L', 'S', 'S']; // 8+8+5+5+2+2 = 30 points
  for (const [k, size] of sizes.entries()) {
    const n = json(['issue', 'new', `todo filler ${k}`, '--type', 'task', '--size', size]).number;
    ok(['move', String(n), 'todo'], { as: 'eli' });
  }
  const big = json(['issue', 'new', 'thirteen points', '--type', 'story', '--size', 'XXL']).number;
  const refused = cairn(['move', String(big), 'todo'], { as: 'eli' });
  assert.equal(refused.status, 3, 'a conflict');
  assert.match(refused.stderr, /Todo holds 30 of 40 points; #\d+ \(13 points\) would make it 43/);
  assert.equal(json(['issue', 'show', String(big)]).dev_status, null, 'nothing changed');
  const engForce = cairn(['move', String(big), 'todo', '--force'], { as: 'eli' });
  assert.equal(engForce.status, 2);
  assert.match(engForce.stderr, /only admins, PMs and CTOs may force/);
  ok(['move', String(big), 'todo', '--force'], { as: 'pia' });
  const shown = json(['issue', 'show', String(big)]);
  assert.equal(shown.dev_status, 'todo');
  assert.ok(shown.history.some((h) => h.field === 'forced' && h.actor === 'pia'), JSON.stringify(shown.history));
  const board = ok(['board', 'dev'], { as: 'eli' }).stdout;
  assert.match(board, /Todo — 7 items, 43 of 40 points \(over the limit\)/);
});

test('move to in_progress stamps started_at and an expected date; done closes; unknown columns are usage errors', () => {
  const n = json(['issue', 'new', 'pick me up', '--type', 'task', '--size', 'M']).number;
  ok(['move', String(n), 'up_next'], { as: 'eli' });
  const moved = ok(['move', String(n), 'in_progress'], { as: 'eli' });
  assert.match(moved.stdout, /Moved #\d+ pick me up to In Progress/);
  let i = json(['issue', 'show', String(n)]);
  assert.match(i.started_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.match(i.expected_at, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(i.board, 'started');
  ok(['move', String(n), 'done'], { as: 'eli' });
  i = json(['issue', 'show', String(n)]);
  assert.equal(i.state, 'closed');
  assert.match(i.done_at, /^\d{4}-/);
  const bad = cairn(['move', String(n), 'doing'], { as: 'eli' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no column 'doing'/);
});

test('issue tree shows roll-ups; check reports double booking with exit 2', () => {
  const epic = json(['issue', 'new', 'Onboarding epic', '--type', 'epic']).number;
  const story = json(['issue', 'new', 'Invite flow', '--type', 'story', '--parent', String(epic), '--size', 'L']).number;
  json(['issue', 'new', 'Invite email', '--type', 'task', '--parent', String(story), '--size', 'S']);
  const story2 = json(['issue', 'new', 'Welcome tour', '--type', 'story', '--parent', String(epic)]).number;
  json(['issue', 'new', 'Tour copy', '--type', 'task', '--parent', String(story2), '--size', 'M']);
  const tree = ok(['issue', 'tree', String(epic)]).stdout;
  assert.match(tree, new RegExp(`#${epic} epic Onboarding epic \\[open\\] 8 pts`), tree); // 5 (sized story) + 3 (unsized story's task)
  assert.match(tree, /Invite flow \[open\] 5 pts {2}\(double booked/);
  const t = json(['issue', 'tree', String(epic)]);
  assert.equal(t.root.rollup_size, 8);
  assert.equal(t.root.children.length, 2);
  const check = cairn(['check']);
  assert.equal(check.status, 2);
  assert.match(check.stdout, new RegExp(`#${story} story Invite flow: 5 points, children 2 points`));
  // a story under a task is refused, and a usage error names the rule
  const wrong = cairn(['issue', 'new', 'x', '--type', 'story', '--parent', String(story)]);
  assert.equal(wrong.status, 1, 'invalid input');
  assert.match(wrong.stderr, /a story's parent must be an epic/);
});

test('the demo has pillars, a year of closed milestones with velocity, an active one with a forecast, and a next one', () => {
  const demo = freshDb(dir, { name: 'plandemo' });
  try {
    const r = spawnSync(BIN, ['demo', '--db', demo.url], { encoding: 'utf8', env: { ...process.env, CAIRN_DB: '' } });
    assert.equal(r.status, 0, r.stderr);
    // the calendar the demo says it made
    const said = r.stdout.match(/(\d+) milestones \((\d+) closed, 1 running, (\d+) next\)/);
    assert.ok(said, r.stdout);
    const [total, nclosed, nnext] = said.slice(1).map(Number);
    assert.equal(total, nclosed + 1 + nnext, r.stdout);
    const run = (args) => {
      const x = spawnSync(BIN, [...args, '--db', demo.url, '--json'], { encoding: 'utf8', env: { ...process.env, CAIRN_DB: '' } });
      assert.equal(x.status, 0, x.stderr);
      return JSON.parse(x.stdout);
    };
    const ms = run(['milestone', 'list']);
    assert.deepEqual(ms.items.map((m) => m.state),
      [...Array(nclosed).fill('closed'), 'active', ...Array(nnext).fill('planned')]);
    // a year of history: 4-week milestones back to back, the closed ones 52 weeks or more
    const closedMs = ms.items.slice(0, nclosed);
    for (const [k, m] of ms.items.entries()) {
      assert.equal(daysBetween(m.start, m.due), 27, `${m.title} ${m.start}..${m.due}`);
      if (k) assert.equal(daysBetween(ms.items[k - 1].due, m.start), 1, `${m.title} follows`);
    }
    assert.ok(nclosed * 28 >= 364, `${nclosed} closed milestones`);
    assert.ok(ms.velocity > 0, `velocity ${ms.velocity}`);
    for (const m of closedMs) assert.ok(m.done_points > 0, `${m.title} shipped something`);
    const active = ms.items[nclosed];
    const forecast = run(['milestone', 'forecast', String(active.id), '--seed', '7']);
    assert.ok(forecast.mean_daily > 0, 'the team has recent throughput');
    assert.ok(forecast.probability > 0 && forecast.probability <= 1, JSON.stringify(forecast));
    assert.deepEqual(run(['milestone', 'forecast', String(active.id), '--seed', '7']), forecast, 'a seed reproduces the forecast');
    const burn = run(['milestone', 'burnup', String(active.id)]);
    assert.ok(burn.days.length >= 1);
    assert.ok(burn.days.at(-1).done > 0 && burn.days.at(-1).scope >= burn.days.at(-1).done);
    const slips = closedMs.map((m) => run(['milestone', 'report', String(m.id)]));
    assert.ok(slips.some((rep) => rep.slipped.count > 0), 'some work slipped');
    assert.ok(slips.some((rep) => rep.items.some((i) => i.slipped && i.slip_reason)), 'slips carry reasons');
    // a closed milestone's report and the velocity do not move when a shipped item is redone later
    const closed = closedMs.at(-1);
    const before = run(['milestone', 'report', String(closed.id)]);
    const shipped = before.items.find((i) => i.shipped && i.state === 'closed');
    assert.ok(shipped, 'the last closed milestone shipped something');
    for (const col of ['verify', 'done']) {
      const x = spawnSync(BIN, ['move', String(shipped.number), col, '--db', demo.url], { encoding: 'utf8', env: { ...process.env, CAIRN_DB: '' } });
      assert.equal(x.status, 0, x.stderr);
    }
    assert.deepEqual(run(['milestone', 'report', String(closed.id)]), before, 'the report is history');
    assert.equal(run(['milestone', 'list']).velocity, ms.velocity, 'and so is the velocity');
    const pillars = run(['pillar', 'list']);
    assert.ok(pillars.items.length >= 3);
    assert.ok(pillars.items.some((p) => p.areas.some((a) => a.epics > 0 && a.points > 0)));
  } finally {
    demo.drop();
  }
});
