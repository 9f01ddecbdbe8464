/*
 * group_commit.test.mjs — issue #17: concurrent creates and updates share
 * one transaction on SQLite (svc_group.c), yet every write that was
 * acknowledged is durable.  Many clients write at once, the server is
 * killed with SIGKILL at a random moment, and a new server on the same
 * database must show every acknowledged create and update, nothing half
 * applied: issue numbers 1..N with none missing, each issue's history in
 * step with its version, roll-ups consistent (`cairn check --rollups`).
 * Also: a failing write in a group fails alone.  Runs on SQLite, and on
 * PostgreSQL with CAIRN_TEST_DB (one transaction a write there).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';

const USERS = { eng1: 'engineer', eng2: 'engineer', pm1: 'pm' };
const LOGINS = ['admin', 'eng1', 'eng2', 'pm1'];
const servers = [];
after(async () => {
	for (const s of servers.reverse())
		await s.kill();
});

/* One writer: creates, and updates of its own issues with If-Match, until
 * the server goes away.  acked gets what was answered 2xx. */
async function writer(srv, w, acked, stop) {
	const u = srv.as(LOGINS[w % LOGINS.length]);
	const mine = [];
	for (let k = 0; !stop.now; k++) {
		try {
			if (mine.length && k % 3 === 2) {
				const it = mine[k % mine.length];
				const title = `w${w} k${k} edited`;
				const r = await u.patch(`/api/v1/issues/${it.number}`, { title },
					{ headers: { 'If-Match': `"${it.version}"` } });
				if (r.status === 200) {
					it.version = r.json.version;
					it.title = title;
					acked.updates++;
				} else if (r.status !== 412 && r.status !== 503) {
					acked.unexpected.push(show(r));
				}
			} else {
				const title = `w${w} k${k}`;
				const r = await u.post('/api/v1/issues', { title, size: 'S', labels: ['gc'] });
				if (r.status === 201) {
					const it = { number: r.json.number, version: r.json.version, title };
					mine.push(it);
					acked.issues.push(it);
				} else if (r.status !== 503) {
					acked.unexpected.push(show(r));
				}
			}
		} catch {
			return; /* the connection died with the server */
		}
	}
}

/* The group-commit counters of /metrics. */
async function groupCounters(u) {
	const r = await u.get('/metrics');
	assertStatus(r, 200);
	const value = (name) => {
		const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(r.text);
		assert.ok(m, `${name} in /metrics`);
		return Number(m[1]);
	};
	return { groups: value('cairn_write_groups_total'), writes: value('cairn_write_group_writes_total') };
}

async function crashRound(round) {
	const srv = await startServer({ users: USERS });
	servers.push(srv);
	const acked = { issues: [], updates: 0, unexpected: [] };
	const stop = { now: false };
	const load = Promise.all(Array.from({ length: 16 }, (_, w) => writer(srv, w, acked, stop)));
	/* kill -9 at a random moment once writes are flowing */
	const t0 = Date.now();
	while (acked.issues.length < 20 && Date.now() - t0 < 30000)
		await new Promise((r) => setTimeout(r, 10));
	await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 400)));
	srv.proc.kill('SIGKILL');
	const exit = await srv.exited;
	stop.now = true;
	await load;
	assert.equal(exit.signal, 'SIGKILL');
	assert.deepEqual(acked.unexpected, [], `round ${round}: only 2xx before the kill`);
	assert.ok(acked.issues.length >= 20, `round ${round}: writes were acknowledged before the kill`);

	const again = await startServer({ shareWith: srv });
	servers.push(again);
	srv.proc = null; /* killed on purpose: again.stop() releases the database */
	srv.db.release();
	const { total, items } = await again.listAll();
	const stored = new Map(items.map((i) => [i.number, i]));
	assert.deepEqual(items.map((i) => i.number).sort((a, b) => a - b),
		Array.from({ length: total }, (_, i) => i + 1), `round ${round}: numbers 1..${total}, none lost`);
	for (const it of acked.issues) {
		const s = stored.get(it.number);
		assert.ok(s, `round ${round}: acknowledged #${it.number} is there after the crash`);
		assert.ok(s.version >= it.version,
			`round ${round}: #${it.number} at version ${s.version}, acknowledged ${it.version}`);
		if (s.version === it.version)
			assert.equal(s.title, it.title, `round ${round}: #${it.number}'s acknowledged title`);
	}
	/* nothing half applied: one "created" row and one title change per version */
	for (const s of items) {
		const h = await again.as('admin').get(`/api/v1/issues/${s.number}/history`);
		assertStatus(h, 200);
		const created = h.json.items.filter((e) => e.field === 'created');
		const titles = h.json.items.filter((e) => e.field === 'title');
		assert.equal(created.length, 1, `#${s.number}: ${show(h)}`);
		assert.equal(titles.length, s.version - 1, `#${s.number} at version ${s.version}: ${show(h)}`);
		if (titles.length)
			assert.equal(titles[titles.length - 1].new, s.title, `#${s.number}: ${show(h)}`);
	}
	const c = again.cli(['check', '--rollups', '--json', '--as', 'admin']);
	assert.equal(JSON.parse(c.stdout).mismatches, 0, c.stdout);
	/* and the database takes writes again */
	const n = await again.createIssue({ title: 'after the crash' });
	assert.equal(n.number, total + 1);
	await again.stop();
	return { creates: acked.issues.length, updates: acked.updates, total };
}

test('kill -9 during 16 concurrent writers: every acknowledged create and update survives, nothing half applied', async (t) => {
	for (let round = 1; round <= 2; round++) {
		const r = await crashRound(round);
		t.diagnostic(`round ${round}: ${r.creates} creates and ${r.updates} updates acknowledged, ${r.total} issues after the restart`);
		assert.ok(r.total >= r.creates, `round ${round}: ${JSON.stringify(r)}`);
	}
});

test('a write that fails among concurrent writes fails alone; the others commit', async () => {
	const srv = await startServer({ users: USERS });
	servers.push(srv);
	const base = await srv.createIssue({ title: 'contested' });
	const admin = srv.as('admin');
	const before = await groupCounters(admin);
	/* 12 creates, 6 invalid creates and 6 updates at a stale version, all at once */
	const res = await Promise.all([
		...Array.from({ length: 12 }, (_, k) => admin.post('/api/v1/issues', { title: `ok ${k}` })),
		...Array.from({ length: 6 }, () => admin.post('/api/v1/issues', { title: 'bad', size: 'huge' })),
		...Array.from({ length: 6 }, (_, k) => admin.patch(`/api/v1/issues/${base.number}`,
			{ title: `stale ${k}` }, { headers: { 'If-Match': '"7"' } })),
	]);
	for (const r of res.slice(0, 12))
		assertStatus(r, 201);
	for (const r of res.slice(12, 18))
		assertError(r, 422, 'invalid_field', 'size');
	for (const r of res.slice(18))
		assertError(r, 412, 'stale_version', 'version');
	/* /metrics counts them: on SQLite all 24 ran in groups (at least one,
	 * at most one a write); PostgreSQL has no group commit */
	const now = await groupCounters(admin);
	const writes = now.writes - before.writes, groups = now.groups - before.groups;
	if (srv.db.backend === 'postgres') {
		assert.deepEqual({ writes, groups }, { writes: 0, groups: 0 });
	} else {
		assert.equal(writes, 24, 'every write of the burst counted');
		assert.ok(groups >= 1 && groups <= 24, `${groups} groups for 24 writes`);
	}
	const { total, items } = await srv.listAll();
	assert.equal(total, 13, 'the 12 good creates and the first issue, numbers without gaps');
	assert.deepEqual(items.map((i) => i.number).sort((a, b) => a - b),
		Array.from({ length: 13 }, (_, i) => i + 1));
	const b = await admin.get(`/api/v1/issues/${base.number}`);
	assert.equal(b.json.title, 'contested');
	assert.equal(b.json.version, 1);
	/* two updates at the same version at once: exactly one wins, in any grouping */
	const [p, q] = await Promise.all(['A', 'B'].map((t) =>
		admin.patch(`/api/v1/issues/${base.number}`, { title: t }, { headers: { 'If-Match': '"1"' } })));
	assert.deepEqual([p.status, q.status].sort(), [200, 412], `${show(p)} | ${show(q)}`);
	await srv.stop();
});
