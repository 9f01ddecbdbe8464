/*
 * reconnect.test.mjs — PostgreSQL only (skipped when CAIRN_TEST_DB is
 * unset): the database server restarts (or is down for a while) under a
 * running `cairn serve`, which must then serve again by itself, without
 * being restarted, with nothing lost.
 *
 * Which cluster is restarted:
 *   default  a private throw-away cluster made for this file with
 *            scripts/pg.sh (same layout, options and binaries as the one
 *            `make test` starts), removed at the end.  node --test runs test
 *            files in parallel, and restarting the cluster every other file
 *            is using would make them fail at random.
 *   CAIRN_TEST_PG_RESTART=shared
 *            the cluster CAIRN_TEST_DB points at; only safe when nothing
 *            else uses it (run this file alone).
 * Either way the cluster is found from its URL template: the socket
 * directory is `host=`, the data directory `<host>/data`.  It is restarted
 * with pg_ctl as the data directory's owner (runuser when we are root);
 * `pg_ctl restart` reuses the server options from postmaster.opts, and a
 * plain start passes them again with -o.  Whatever happens, the cluster is
 * running again when the tests end (and the private one is then removed).
 *
 * What a user may see: while the database is down, requests that need it
 * (healthz included) fail with 503 `busy` (JSON error body), nothing else,
 * also on a server whose pool opens new connections during the outage, and
 * the server stays up; after the database is back, at most the first request fails
 * (503 `busy`), and every later one succeeds, including bursts that touch
 * every pooled connection.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { assertError, assertStatus, show, startServer } from './harness.mjs';
import { pgTemplate, psqlAdmin } from '../lib/testdb.mjs';

const BURST = 24; // concurrent requests: more than the server's pool (4 by default)
const PG_SH = path.resolve('scripts/pg.sh');

/* The cluster behind a URL template: {host, data, pgCtl, postOpts, owner, log}. */
function clusterOf(tpl) {
	// (not new URL(): `postgresql://user@/db` has an empty host, which it refuses)
	const q = tpl.indexOf('?');
	const host = q < 0 ? null : new URLSearchParams(tpl.slice(q + 1)).get('host');
	if (!host || !host.startsWith('/'))
		throw new Error(`needs a Unix-socket cluster (host=/socket/dir in ${tpl}, data in <host>/data, as scripts/pg.sh makes)`);
	const data = path.join(host, 'data');
	if (!fs.existsSync(path.join(data, 'PG_VERSION')) || !fs.existsSync(path.join(data, 'postmaster.opts')))
		throw new Error(`no running PostgreSQL data directory (PG_VERSION, postmaster.opts) at ${data}`);
	const version = fs.readFileSync(path.join(data, 'PG_VERSION'), 'utf8').trim();
	const pgCtl = `/usr/lib/postgresql/${version}/bin/pg_ctl`;
	if (!fs.existsSync(pgCtl))
		throw new Error(`no ${pgCtl} for the cluster's version ${version}`);
	// postmaster.opts: `/path/to/postgres "-D" "/dir/data" "-c" "..." ...`;
	// what follows the binary is what `pg_ctl start -o` must pass again.
	// pg_ctl adds -D itself: drop it here so the options do not pile up.
	const opts = fs.readFileSync(path.join(data, 'postmaster.opts'), 'utf8').trim();
	const postOpts = opts.slice(opts.indexOf(' ') + 1).replace(/"-D" "[^"]*"\s*/g, '').trim();
	let owner = null;
	if (process.getuid() === 0) {
		const uid = fs.statSync(data).uid;
		const id = spawnSync('id', ['-nu', String(uid)], { encoding: 'utf8' });
		if (id.status !== 0)
			throw new Error(`cannot name the owner (uid ${uid}) of ${data}`);
		owner = id.stdout.trim();
	}
	return { host, data, pgCtl, postOpts, owner, log: path.join(host, 'server.log') };
}

/* scripts/pg.sh start|stop DIR */
function pgSh(cmd, dir) {
	const r = spawnSync('bash', [PG_SH, cmd, dir], { encoding: 'utf8', timeout: 180000, stdio: ['ignore', 'pipe', 'pipe'] });
	if (r.error || r.status !== 0)
		throw new Error(`scripts/pg.sh ${cmd} ${dir}: exit ${r.status} ${r.error?.message ?? ''}\n${r.stdout}${r.stderr}`);
	return r.stdout.trim().split('\n').at(-1);
}

let cluster = null;
let privateDir = null;
const skip = pgTemplate() ? false
	: 'PostgreSQL only: CAIRN_TEST_DB is unset (set it to a postgres URL template with {db} to run this)';

function pgCtl(args, timeoutMs = 90000) {
	const argv = [cluster.pgCtl, '-D', cluster.data, ...args];
	const [cmd, full] = cluster.owner ? ['runuser', ['-u', cluster.owner, '--', ...argv]] : [argv[0], argv.slice(1)];
	// stdin from /dev/null, and -l for the postmaster: it must not hold our pipes open
	const r = spawnSync(cmd, full, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
	return { ok: !r.error && r.status === 0, text: `${cmd} ${full.join(' ')} -> exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout}${r.stderr}` };
}

function clusterRunning() {
	return pgCtl(['status'], 20000).ok;
}

/* pg_ctl start with the options the cluster was started with. */
function startCluster() {
	return pgCtl(['-l', cluster.log, '-w', '-t', '60', '-o', cluster.postOpts, 'start']);
}

function restartCluster() {
	return pgCtl(['-l', cluster.log, '-m', 'fast', '-w', '-t', '60', 'restart']);
}

function stopCluster() {
	return pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']);
}

/* Leave the cluster running, whatever happened. */
function ensureClusterUp() {
	if (!cluster || clusterRunning())
		return;
	const r = startCluster();
	if (!r.ok || !clusterRunning())
		throw new Error(`could not bring the PostgreSQL cluster back up:\n${r.text}`);
}

if (skip) {
	test('cairn serve reconnects after a PostgreSQL restart', { skip }, () => {});
} else {
	let srv = null;
	let twin = null; // a second server on the same database, started later
	/* Cluster up again, servers stopped, the private cluster removed. */
	const cleanup = async () => {
		let err = null;
		try {
			ensureClusterUp();
		} catch (e) {
			err = e;
		}
		if (twin)
			await twin.kill();
		if (srv)
			await srv.kill();
		if (privateDir) {
			try {
				pgSh('stop', privateDir);
			} catch (e) {
				err ??= e;
			}
			fs.rmSync(privateDir, { recursive: true, force: true });
			privateDir = null;
		}
		if (err)
			throw err;
	};
	after(cleanup);

	try {
		if (process.env.CAIRN_TEST_PG_RESTART === 'shared') {
			cluster = clusterOf(pgTemplate());
		} else {
			privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-pgr-'));
			const tpl = pgSh('start', privateDir);
			// every database of this file (harness.mjs, testdb.mjs) lives in it
			process.env.CAIRN_TEST_DB = tpl;
			cluster = clusterOf(pgTemplate());
		}
		assert.ok(clusterRunning(), `the PostgreSQL cluster at ${cluster.data} must be running`);
		srv = await startServer({ users: { eng1: 'engineer', pm1: 'pm' } });
	} catch (e) {
		await cleanup().catch((c) => process.stderr.write(`reconnect.test: cleanup: ${c.message}\n`));
		throw e;
	}

	const work = []; // issues created so far: {number, title}

	/* A mix of what users do, each needing the database; all concurrent. */
	function burst(server, tag) {
		const reqs = [];
		for (let i = 0; i < BURST; i++) {
			switch (i % 4) {
			case 0:
				reqs.push(server.as('pm1').post('/api/v1/issues', { title: `${tag} ${i}` }));
				break;
			case 1:
				reqs.push(server.as('eng1').get('/api/v1/issues', { query: { per_page: '5' } }));
				break;
			case 2:
				reqs.push(server.as('admin').get(`/api/v1/issues/${work[0].number}`));
				break;
			default:
				reqs.push(server.api('GET', '/healthz'));
			}
		}
		return Promise.all(reqs);
	}

	function assertAllOk(results, what) {
		const bad = results.filter((r) => r.status !== 200 && r.status !== 201).map(show);
		assert.deepEqual(bad, [], `${what}: every request succeeds`);
		for (const r of results)
			if (r.status === 201)
				work.push({ number: r.json.number, title: r.json.title });
	}

	/* Distinct responses that are not 503 busy. */
	function notBusy(results) {
		return results.filter((r) => r.status !== 503 || r.json?.error?.code !== 'busy')
			.map(show).filter((x, i, all) => all.indexOf(x) === i);
	}

	/* After the database came back: the first request may get 503 busy,
	 * then everything must work, sequentially and in bursts. */
	async function assertServesAgain(server, tag) {
		const first = await server.as('admin').get('/api/v1/issues', { query: { per_page: '100' } });
		if (first.status !== 200)
			assertError(first, 503, 'busy');
		const again = await server.as('admin').get('/api/v1/issues', { query: { per_page: '100' } });
		assertStatus(again, 200);
		assert.equal(again.json.total, work.length, `${tag}: every issue created before is still there: ${show(again)}`);

		// one of each kind of request, one after the other
		const old = work[work.length - 1];
		const g = await server.as('eng1').get(`/api/v1/issues/${old.number}`);
		assertStatus(g, 200);
		assert.equal(g.json.title, old.title);
		const p = await server.as('eng1').patch(`/api/v1/issues/${old.number}`, { title: `${old.title} (${tag})` },
			{ headers: { 'If-Match': g.headers.get('etag') } });
		assertStatus(p, 200);
		old.title = p.json.title;
		const h = await server.as('admin').get(`/api/v1/issues/${old.number}/history`);
		assertStatus(h, 200);
		assert.equal(h.json.items.at(-1).new, old.title, show(h));
		const c = await server.as('pm1').post('/api/v1/issues', { title: `${tag} sequential` });
		assertStatus(c, 201);
		assert.equal(c.json.number, work.length + 1, `${tag}: numbering continues without a gap`);
		work.push({ number: c.json.number, title: c.json.title });
		const login = await server.api('POST', '/api/v1/session', { body: { login: 'pm1', password: server.passwords.pm1 } });
		assertStatus(login, 200);
		assertStatus(await server.api('GET', '/healthz'), 200);

		// every pooled connection, not just the one that served the above
		for (let k = 0; k < 3; k++)
			assertAllOk(await burst(server, `${tag} burst${k}`), `${tag}, burst ${k}`);
		server.assertAlive();
		return first.status;
	}

	test('before: the server works and has used several pooled connections', async () => {
		work.push({ number: (await srv.createIssue({ title: 'before restart' })).number, title: 'before restart' });
		for (let k = 0; k < 3; k++)
			assertAllOk(await burst(srv, `before${k}`), `before, burst ${k}`);
	});

	test('after a PostgreSQL restart the server serves again by itself (twice)', { timeout: 240000 }, async (t) => {
		for (const round of [1, 2]) {
			const r = restartCluster();
			assert.ok(r.ok, `pg_ctl restart failed:\n${r.text}`);
			t.diagnostic(`restart ${round}: first request got ${await assertServesAgain(srv, `restart ${round}`)}`);
		}
	});

	test('while PostgreSQL is down: 503 busy from every request that needs it, the server stays up, then serves again', { timeout: 240000 }, async () => {
		// A second server that has served nothing yet: its pool opens its
		// connections during the outage (as a pool growing under load would).
		twin = await startServer({ shareWith: srv });
		const n = work.length;
		const failures = [];
		try {
			const s = stopCluster();
			assert.ok(s.ok, `pg_ctl stop failed:\n${s.text}`);
			for (const [name, server] of [['used pool', srv], ['fresh pool', twin]]) {
				const down = [
					await server.api('GET', '/healthz'),
					await server.as('admin').get('/api/v1/issues'),
					await server.as('eng1').patch(`/api/v1/issues/${work[0].number}`, { title: 'lost?' }, { headers: { 'If-Match': '"1"' } }),
					await server.api('POST', '/api/v1/session', { body: { login: 'pm1', password: server.passwords.pm1 } }),
					...await burst(server, 'down'),
				];
				for (const x of notBusy(down))
					failures.push(`${name}: ${x}`);
				server.assertAlive();
			}
		} finally {
			ensureClusterUp();
		}
		// serving again comes first: it matters even when the outage answers were wrong
		await assertServesAgain(srv, 'outage');
		await assertServesAgain(twin, 'outage, second server');
		const all = await srv.listAll();
		assert.equal(all.total, n + 2 * (1 + 3 * (BURST / 4)), 'nothing written during the outage, nothing lost');
		assert.ok(!all.items.some((i) => i.title === 'lost?' || /^down /.test(i.title)), 'no write from the outage landed');
		assert.deepEqual(failures, [], 'with the database down, every request that needs it gets 503 busy');
	});

	test('servers shut down cleanly', async () => {
		srv.assertAlive();
		// the test database must be reachable again for the harness to drop it
		assert.equal(psqlAdmin('SELECT 1').status, 0, 'cluster reachable');
		if (twin)
			await twin.stop();
		await srv.stop();
	});
}
