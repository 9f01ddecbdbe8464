/*
 * degraded.test.mjs — a database that cannot be written (issue #15, point
 * 5): writes answer 503 `unavailable` naming the reason, reads still work,
 * and /healthz says `degraded` with that reason (503), so a load balancer
 * or an operator sees it.  The server runs under a file-size limit
 * (prlimit --fsize): once its write-ahead log reaches the limit, every
 * write fails with an I/O error, as on a full or failing disk.  SQLite only
 * (PostgreSQL's full disk is its server's; the driver maps its SQLSTATEs
 * 53100, 25006 and 58xxx the same way).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';

import { assertError, assertStatus, startServer } from './harness.mjs';

const pg = !!process.env.CAIRN_TEST_DB;
const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;
const srv = pg || !hasPrlimit ? null : await startServer({ wrap: ['prlimit', '--fsize=600000', '--'] });
after(() => srv?.kill());

test('writes past the disk limit: 503 unavailable with the reason; reads work; /healthz degraded', { skip: pg ? 'SQLite only' : !hasPrlimit && 'no prlimit' }, async () => {
	assertStatus(await srv.api('GET', '/healthz'), 200);
	const body = 'x'.repeat(3000);
	let refused = null, made = 0;
	for (let k = 0; k < 400 && !refused; k++) {
		const r = await srv.as('admin').post('/api/v1/issues', { title: `filler ${k}`, body });
		if (r.status === 201)
			made++;
		else
			refused = r;
	}
	assert.ok(refused, `every write went through (${made}): the limit was never reached`);
	assertError(refused, 503, 'unavailable');
	assert.match(refused.json.error.message, /database cannot be written|disk .* full|read-only/);
	const list = await srv.as('admin').get('/api/v1/issues', { query: { per_page: '1' } });
	assertStatus(list, 200);
	assert.equal(list.json.total, made, 'what was acknowledged is there, nothing else');
	const h = await srv.api('GET', '/healthz');
	assert.equal(h.status, 503);
	assert.equal(h.json.status, 'degraded');
	assert.match(h.json.reason, /database cannot be written|disk .* full|read-only/);
	srv.assertAlive();
});
