// cairn triage in a terminal: driven through a pipe (keys one by one), and
// through tmux (a real TTY read in raw mode, key by key, no Enter), and
// non-interactively with flags.  Each checks the result in the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDb } from '../lib/testdb.mjs';

const BIN = resolve(process.env.CAIRN_BIN || 'build/cairn');
const dir = mkdtempSync(join(tmpdir(), 'cairn-triage-'));
let db;

function cairn(args, input) {
  const r = spawnSync(BIN, [...args, '--db', db.url], { input, encoding: 'utf8',
    env: { ...process.env, CAIRN_DB: '', CAIRN_USER: '' } });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
  return r;
}
const show = (n) => JSON.parse(cairn(['issue', 'show', String(n), '--json']).stdout);
const newIssue = (title, ...flags) => JSON.parse(cairn(['issue', 'new', title, '--json', ...flags]).stdout).number;

before(() => {
  db = freshDb(dir);
  const r = spawnSync(BIN, ['init', '--db', db.url, '--admin', 'pm'], { encoding: 'utf8',
    env: { ...process.env, CAIRN_ADMIN_PASSWORD: 'long-password' } });
  assert.equal(r.status, 0, r.stderr);
  const u = spawnSync(BIN, ['user', 'add', 'eng', '--role', 'engineer', '--password-stdin', '--db', db.url],
    { input: 'long-password\n', encoding: 'utf8' });
  assert.equal(u.status, 0, u.stderr);
});
after(() => { db?.drop(); rmSync(dir, { recursive: true, force: true }); });

test('through a pipe: triage, icebox and won\'t do three inbox items', () => {
  const a = newIssue('Crash on save', '--label', 'needs-triage');
  const b = newIssue('Dark mode');
  const c = newIssue('Rewrite in Rust');
  // t: type b(ug), priority h(igh), size 2 (S), severity 2 (S2), horizon n(ext); i: icebox;
  // w: won't do, then a reason line; q quits
  const r = cairn(['triage'], 't b h 2 2 n\ni\nw\nnot our product\nq\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Triage inbox: 3 issues, oldest first/);
  assert.match(r.stdout, /Triaged 3, skipped 0\. Inbox: 0 left\./);

  const ia = show(a);
  assert.equal(ia.type, 'bug');
  assert.equal(ia.priority, 'high');
  assert.equal(ia.pm_size, 2);
  assert.equal(ia.bug_severity, 'S2');
  assert.equal(ia.board, 'next');
  assert.ok(ia.triaged_at);
  assert.deepEqual(ia.labels, [], 'needs-triage is gone');
  assert.equal(show(b).board, 'icebox');
  const ic = show(c);
  assert.equal(ic.state, 'closed');
  assert.equal(ic.board, 'closed');
  assert.equal(ic.close_reason, "won't do: not our product");
  assert.ok(ic.history.some((h) => h.field === 'board' && h.old === 'no_status' && h.new === 'closed'));
});

test('a wrong key is explained and asked again; q stops without changing anything', () => {
  const n = newIssue('Still waiting');
  const r = cairn(['triage'], 'z t q');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /'z' is not an action; \? shows the keys/);
  assert.equal(show(n).board, 'no_status');
  cairn(['triage', String(n), '--route', 'icebox']);
});

test('with flags: one issue, and invalid input refused with the metric named, nothing changed', () => {
  const n = newIssue('Token leak in logs', '--type', 'security');
  let r = cairn(['triage', String(n), '--board', 'next', '--cvss', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /AV must be one of N,A,L,P/);
  assert.equal(show(n).board, 'no_status');
  r = cairn(['triage', String(n), '--board', 'next', '--as', 'eng']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /only admins, PMs and CTOs may triage issues/);
  r = cairn(['triage', String(n), '--board', 'next', '--priority', 'high', '--json',
    '--cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N']);
  assert.equal(r.status, 0, r.stderr);
  const i = JSON.parse(r.stdout);
  assert.equal(i.cvss_score, 7.5);
  assert.equal(i.severity, 'high');
  // high: 30 days from the report
  const due = new Date(Date.parse(i.created_at) + 30 * 86400000).toISOString().slice(0, 10);
  assert.equal(i.fix_by, due);
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
test('through tmux: a real terminal, one key per answer without Enter', { skip: !hasTmux && 'tmux is not installed' }, async () => {
  const n1 = newIssue('Slow search');
  const n2 = newIssue('Typo on login page');
  const n3 = newIssue('Old request');
  const session = `cairn-triage-${process.pid}`;
  const tmux = (...args) => spawnSync('tmux', ['-L', session, ...args], { encoding: 'utf8' });
  const cmd = `${BIN} triage --db '${db.url}'; echo EXITED $?; sleep 30`;
  assert.equal(tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', cmd).status, 0);
  const screen = () => tmux('capture-pane', '-p', '-t', session, '-S', '-200').stdout;
  const waitFor = async (re) => {
    for (let i = 0; i < 100; i++) {
      if (re.test(screen())) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`screen never showed ${re}:\n${screen()}`);
  };
  const keys = async (...ks) => { for (const k of ks) { tmux('send-keys', '-t', session, '-l', k); await new Promise((r) => setTimeout(r, 60)); } };
  try {
    await waitFor(/\[1\/3\] #\d+ Slow search/);
    await keys('t', 's', 'm', '3');
    await waitFor(/horizon\?/);
    await keys('s');
    await waitFor(/\[2\/3\] #\d+ Typo on login page/);
    await keys('u');
    await waitFor(/\[3\/3\] #\d+ Old request/);
    await keys('d');
    await waitFor(/duplicate of issue number >/);
    await keys(`${n1}\r`);
    await waitFor(/Triaged 3, skipped 0/);
    await waitFor(/EXITED 0/);
  } finally {
    tmux('kill-server');
  }
  const i1 = show(n1);
  assert.equal(i1.type, 'story');
  assert.equal(i1.priority, 'medium');
  assert.equal(i1.pm_size, 3);
  assert.equal(i1.board, 'short');
  assert.equal(show(n2).board, 'under_review');
  const i3 = show(n3);
  assert.equal(i3.duplicate_of, n1);
  assert.equal(i3.state, 'closed');
  assert.ok(show(n1).history.some((h) => h.field === 'duplicate' && h.new === `#${n3}`));
});

test('issue edit --cvss rescores a security issue (issue #14), refuses a bad vector, "" clears it', () => {
  const n = newIssue('Session fixation', '--type', 'security');
  let r = cairn(['issue', 'edit', String(n), '--cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).cvss_score, 9.8);
  assert.equal(show(n).severity, 'critical');
  r = cairn(['issue', 'edit', String(n), '--cvss', 'CVSS:3.1/AV:Q']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cvss/i);
  assert.equal(show(n).cvss_score, 9.8, 'nothing changed');
  r = cairn(['issue', 'edit', String(n), '--cvss', '', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(show(n).cvss, null);
  r = cairn(['issue', 'edit', String(n), '--cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', '--as', 'eng']);
  assert.equal(r.status, 2, 'an engineer who did not report it does not see it');
  assert.equal(cairn(['triage', String(n), '--board', 'next']).status, 0, 'out of the inbox again');
});
