/*
 * calibration.test.mjs — the estimation calibration report of issue #13
 * (docs/API.md "Estimation calibration (issue #13)") over real HTTP and
 * through the CLI on the same database: items finished after work started
 * on them, grouped by effective size, with count, median, quartiles, the
 * ratio to the working days the size stands for and a verdict; epics and
 * items never started left out; a private security issue counted only for
 * readers who may see it; bad `days` refused.
 *
 * A fresh server of its own, so the counts are exactly what this file
 * made.  The server runs on the fixed test clock, so every item here is
 * started and finished on the same day: one working day of cycle time.
 * Working-day arithmetic across weekends is covered by the unit tests
 * (tests/unit/test_calibration.c).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { assertError, assertStatus, runCli, show, startServer, uniq } from './harness.mjs';

const srv = await startServer();
after(() => srv.kill());

const SIZES = [['XS', 1], ['S', 1], ['M', 3], ['L', 5], ['XL', 10], ['XXL', 15]];

async function report(login = 'admin', query = {}) {
	const r = await srv.as(login).get('/api/v1/estimation/calibration', { query });
	assertStatus(r, 200);
	return r.json;
}

const bySize = (rep) => Object.fromEntries(rep.sizes.map((s) => [s.size, s]));

/* An issue of `size` taken up_next -> in_progress -> done (or only
 * started when finish is false). */
async function finished(size, { finish = true, login = 'admin', ...fields } = {}) {
	let i = await srv.createIssue({ title: uniq(`cal ${size} `), size, dev_status: 'up_next', ...fields }, login);
	for (const dev of finish ? ['in_progress', 'done'] : ['in_progress']) {
		const r = await srv.patchIssue(i.number, { dev_status: dev }, login);
		assertStatus(r, 200);
		i = r.json;
	}
	return i;
}

test('an empty team: every size listed, none measured, verdict few', async () => {
	const rep = await report('viewer1');
	assert.equal(rep.days, 180, 'the default window');
	assert.equal(rep.items, 0);
	assert.deepEqual(rep.sizes.map((s) => [s.size, s.points, s.expected_days, s.n, s.verdict]),
		SIZES.map(([size, exp], k) => [size, [1, 2, 3, 5, 8, 13][k], exp, 0, 'few']));
});

test('items per size: median and quartiles of cycle time, ratio and verdict', async () => {
	for (let k = 0; k < 3; k++)
		await finished('M');
	for (let k = 0; k < 3; k++)
		await finished('XS');
	await finished('L');
	await finished('M', { finish: false }); // started, not finished: not counted
	await srv.createIssue({ title: uniq('cal never started '), size: 'M', dev_status: 'up_next' });
	const rep = await report('eng1');
	assert.equal(rep.items, 7, show({ json: rep }));
	const s = bySize(rep);
	// Same-day work is one working day.
	assert.deepEqual([s.M.n, s.M.median, s.M.p25, s.M.p75, s.M.ratio, s.M.verdict], [3, 1, 1, 1, 0.33, 'over'],
		'M stands for 3 working days; done in 1, the team over-estimates it');
	assert.deepEqual([s.XS.n, s.XS.median, s.XS.ratio, s.XS.verdict], [3, 1, 1, 'on_target']);
	assert.deepEqual([s.L.n, s.L.median, s.L.verdict], [1, 1, 'few'], 'fewer than 3 items: no verdict');
	assert.deepEqual([s.S.n, s.XL.n, s.XXL.n], [0, 0, 0]);
});

test('a private security issue counts only for readers who may see it', async () => {
	const before = (await report('eng1')).items;
	const sec = await finished('S', { type: 'security', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, 'admin');
	assert.equal(sec.type, 'security');
	const eng = await report('eng1');
	assert.equal(eng.items, before, 'an engineer does not see the private issue counted');
	assert.equal(bySize(eng).S.n, 0);
	const pm = await report('pm1');
	assert.equal(pm.items, before + 1, 'a PM does');
	assert.equal(bySize(pm).S.n, 1);
});

test('bad days: 422 naming the field; no token: 401', async () => {
	for (const days of ['0', '731', '-5', 'abc', '1.5', ''])
		assertError(await srv.as('pm1').get('/api/v1/estimation/calibration', { query: { days } }), 422, 'invalid_field', 'days');
	const ok = await report('pm1', { days: '730' });
	assert.equal(ok.days, 730);
	const anon = await fetch(`${srv.base}/api/v1/estimation/calibration`);
	assert.equal(anon.status, 401);
});

test('the CLI prints the same report, as a table and as JSON', async () => {
	const api = await report('admin');
	const json = JSON.parse(runCli(['calibration', '--db', srv.db.url, '--json']).stdout);
	assert.deepEqual(json, api, 'the CLI (as the local admin) and the API agree');
	const text = runCli(['calibration', '--db', srv.db.url]).stdout;
	assert.match(text, new RegExp(`^${api.items} items finished in the last 180 days`, 'm'), text);
	assert.match(text, /^M +3 +3 +1\.0 +1\.0\.\.1\.0 +over-estimated$/m, text);
	assert.match(text, /^XS +1 +3 +1\.0 +1\.0\.\.1\.0 +on target$/m, text);
	assert.match(text, /^XXL +15 +0 +- +- +too few to tell$/m, 'nothing measured prints a dash, not 0.0');
	const bad = runCli(['calibration', '--db', srv.db.url, '--days', 'x'], { expectStatus: null });
	assert.notEqual(bad.status, 0, 'a bad --days fails');
	assert.match(bad.stderr, /days/, bad.stderr);
});
