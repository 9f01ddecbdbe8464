/*
 * events.test.mjs — the server-sent-events stream of issue #13 over real
 * HTTP (docs/API.md "The event stream"): 401 as JSON without credentials,
 * 200 text/event-stream with a Bearer token or the session cookie, the
 * estimation events in order with their documented data (a vote never
 * carries its value, for anyone), `?topic=estimation/N` keeping one session,
 * events about a security issue delivered only to those who may see it,
 * and a reconnect with `Last-Event-ID` replaying what was missed, in order.
 *
 * Streams are read with node:http and parsed into id/event/data blocks;
 * every stream is destroyed when its test ends so the process exits.  A
 * negative ("eng1 never got X") is proven by a later public event that
 * eng1 did get: events arrive in order, so X would have come before it.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, afterEach, test } from 'node:test';

import { assertError, assertStatus, sessionCookie, startServer, uniq } from './harness.mjs';

const srv = await startServer();
const open = new Set();
function closeAll() {
	for (const st of open)
		st.close();
}
afterEach(closeAll);
after(async () => {
	closeAll();
	await srv.kill();
});

const S = '/api/v1/estimation/sessions';
const as = (login) => srv.as(login);
const WAIT_MS = 8000;

/* ---------- helpers ---------- */

async function issue(fields = {}, login = 'admin') {
	return srv.createIssue({ title: uniq('ev issue '), ...fields }, login);
}

async function create(body, login = 'em1') {
	const r = await as(login).post(S, body);
	assertStatus(r, 201);
	return r.json;
}

async function post(login, path, body = {}) {
	const r = await as(login).post(path, body);
	assertStatus(r, 200);
	return r.json;
}
const vote = (id, n, login, size) => post(login, `${S}/${id}/items/${n}/vote`, { size });
const reveal = (id, n, login = 'em1') => post(login, `${S}/${id}/items/${n}/reveal`);
const revote = (id, n, login = 'em1') => post(login, `${S}/${id}/items/${n}/revote`);
const final = (id, n, size, login = 'em1') => post(login, `${S}/${id}/items/${n}/final`, { size });

/* Open GET /api/v1/events as `login` (Bearer) or with `cookie`; resolves
 * once the response head arrived (and the first bytes, or a moment), with
 * a stream object: status, headers, events [{id, event, data, text}],
 * retry, pings, raw, waitFor(pred), close(). */
function stream(login, { topic, lastEventId, cookie, token } = {}) {
	const st = { status: 0, headers: null, events: [], retry: null, pings: 0, raw: '', ended: false, listeners: new Set() };
	const notify = () => { for (const f of st.listeners) f(); };
	const headers = { Accept: 'text/event-stream' };
	if (login)
		headers.Authorization = `Bearer ${srv.tokens[login]}`;
	if (cookie)
		headers.Cookie = cookie;
	if (token)
		headers.Authorization = `Bearer ${token}`;
	if (lastEventId !== undefined)
		headers['Last-Event-ID'] = String(lastEventId);
	const path = '/api/v1/events' + (topic ? `?topic=${encodeURIComponent(topic)}` : '');
	const req = http.request({ host: '127.0.0.1', port: srv.port, method: 'GET', path, headers, agent: false });
	st.req = req;
	st.who = `${login || 'cookie'} ${path}`;
	st.close = () => {
		if (!st.closed) {
			st.closed = true;
			req.destroy();
		}
		open.delete(st);
	};
	open.add(st);
	let buf = '';
	let pendingCr = '';
	const parseBlock = (block) => {
		let id = null;
		let event = null;
		const data = [];
		for (const line of block.split('\n')) {
			if (line === '')
				continue;
			if (line.startsWith(':')) {
				st.pings++;
				continue;
			}
			const k = line.indexOf(':');
			const field = k < 0 ? line : line.slice(0, k);
			let value = k < 0 ? '' : line.slice(k + 1);
			if (value.startsWith(' '))
				value = value.slice(1);
			if (field === 'id')
				id = value;
			else if (field === 'event')
				event = value;
			else if (field === 'data')
				data.push(value);
			else if (field === 'retry')
				st.retry = Number(value);
		}
		if (event === null && data.length === 0)
			return;
		const text = data.join('\n');
		let json = null;
		try { json = JSON.parse(text); } catch { /* not JSON */ }
		st.events.push({ id, event: event ?? 'message', data: json, text, block });
	};
	return new Promise((resolve, reject) => {
		let settled = false;
		req.on('response', (res) => {
			st.status = res.statusCode;
			st.headers = res.headers;
			res.setEncoding('utf8');
			let first = false;
			const ready = () => {
				if (!settled) {
					settled = true;
					resolve(st);
				}
			};
			res.on('data', (d) => {
				st.raw += d;
				let chunk = pendingCr + d;
				pendingCr = '';
				if (chunk.endsWith('\r')) {
					pendingCr = '\r';
					chunk = chunk.slice(0, -1);
				}
				buf += chunk.replace(/\r\n?/g, '\n');
				let i;
				while ((i = buf.indexOf('\n\n')) >= 0) {
					parseBlock(buf.slice(0, i));
					buf = buf.slice(i + 2);
				}
				notify();
				if (!first) {
					first = true;
					setTimeout(ready, 150); // let the server finish subscribing the stream
				}
			});
			res.on('end', () => { st.ended = true; notify(); ready(); });
			res.on('error', () => { st.ended = true; notify(); });
			res.on('aborted', () => { st.ended = true; notify(); });
			// a stream that sends nothing up front: give the server a moment to subscribe it
			setTimeout(ready, st.status === 200 ? 500 : 0);
		});
		req.on('error', (e) => {
			if (!settled && !st.closed) {
				settled = true;
				reject(e);
			}
		});
		req.end();
	});
}

const describe = (st) => `${st.who}: ${st.events.map((e) => `${e.id} ${e.event} ${e.text}`).join(' | ') || '(no events)'}`;

/* Resolve with the first event matching pred (a function), failing after WAIT_MS. */
function waitFor(st, pred, what) {
	return new Promise((resolve, reject) => {
		const check = () => {
			const e = st.events.find(pred);
			if (e) {
				done();
				resolve(e);
			} else if (st.ended) {
				done();
				reject(new Error(`stream ended before ${what}: ${describe(st)}`));
			}
		};
		const timer = setTimeout(() => { done(); reject(new Error(`no ${what} within ${WAIT_MS} ms: ${describe(st)}`)); }, WAIT_MS);
		const done = () => { clearTimeout(timer); st.listeners.delete(check); };
		st.listeners.add(check);
		check();
	});
}

const is = (event, data) => (e) => e.event === event && Object.entries(data).every(([k, v]) => e.data?.[k] === v);
const est = (st) => st.events.filter((e) => e.event.startsWith('estimation.'));

function assertOrdered(st) {
	const ids = st.events.filter((e) => e.id !== null).map((e) => Number(e.id));
	assert.ok(ids.every((x) => Number.isInteger(x)), `numeric ids: ${describe(st)}`);
	for (let k = 1; k < ids.length; k++)
		assert.ok(ids[k] > ids[k - 1], `ids increase: ${describe(st)}`);
}

/* ---------- tests ---------- */

test('without credentials (or with a bad token) 401 as a JSON error, not a stream', async () => {
	const r = await srv.api('GET', '/api/v1/events');
	assertError(r, 401, 'unauthorized');
	assert.doesNotMatch(r.headers.get('content-type') || '', /event-stream/);
	const b = await srv.api('GET', '/api/v1/events', { token: 'cairn_not-a-token' });
	assertError(b, 401, 'unauthorized');
});

test('a Bearer token or the session cookie: 200 text/event-stream that stays open, retry 3000', async () => {
	const st = await stream('viewer1');
	assert.equal(st.status, 200, describe(st));
	assert.match(String(st.headers['content-type']), /^text\/event-stream/);
	assert.equal(st.ended, false, 'the stream stays open');
	assert.equal(st.retry, 3000, `retry: 3000 first: ${JSON.stringify(st.raw.slice(0, 200))}`);
	st.close();
	const login = await srv.api('POST', '/api/v1/session', { body: { login: 'eng1', password: srv.passwords.eng1 } });
	assertStatus(login, 200);
	const cookie = sessionCookie(login);
	assert.ok(cookie, 'a session cookie');
	const c = await stream(null, { cookie: cookie.pair });
	assert.equal(c.status, 200, describe(c));
	assert.match(String(c.headers['content-type']), /^text\/event-stream/);
	// and the cookie stream receives events
	const n = (await issue()).number;
	const s = await create({ title: uniq('Cookie room '), issues: [n] });
	await waitFor(c, is('estimation.created', { session: s.id }), 'estimation.created on the cookie stream');
});

test('a stream ends once its credential no longer authenticates: a session logged out everywhere, a revoked token (at the next ping, 15 s)', async () => {
	const login = await srv.api('POST', '/api/v1/session', { body: { login: 'eng2', password: srv.passwords.eng2 } });
	assertStatus(login, 200);
	const sess = { cookie: sessionCookie(login).pair, csrf: login.json.csrf };
	const made = await as('eng2').post('/api/v1/tokens', { name: uniq('stream') });
	assertStatus(made, 201);
	const byCookie = await stream(null, { cookie: sess.cookie });
	const byToken = await stream(null, { token: made.json.token });
	const bystander = await stream('eng2'); // eng2's own harness token: stays
	for (const st of [byCookie, byToken, bystander])
		assert.equal(st.status, 200, describe(st));

	// log out everywhere: the cookie's stream ends; the tokens' streams stay
	assertStatus(await srv.api('DELETE', '/api/v1/sessions', { headers: { Cookie: sess.cookie, 'X-CSRF-Token': sess.csrf } }), 200);
	const ended = (st) => new Promise((resolve, reject) => {
		if (st.ended) return resolve();
		const timer = setTimeout(() => reject(new Error(`still open 25 s later: ${describe(st)}`)), 25000);
		st.listeners.add(() => { if (st.ended) { clearTimeout(timer); resolve(); } });
	});
	await ended(byCookie);
	assert.equal(byToken.ended, false, 'the token\'s stream stays');
	// and nothing after the end: an event for eng2 now is on the open streams only
	const n = (await issue()).number;
	const room = await create({ title: uniq('After logout '), issues: [n] });
	await waitFor(byToken, is('estimation.created', { session: room.id }), 'the event on the token stream');
	assert.ok(!byCookie.events.some(is('estimation.created', { session: room.id })), 'not on the ended stream');

	// revoking the token ends its stream; the other token's stays
	assertStatus(await as('eng2').del(`/api/v1/tokens/${made.json.id}`), 204);
	await ended(byToken);
	assert.equal(bystander.ended, false, 'eng2\'s other token\'s stream stays open');
	for (const st of [byCookie, byToken, bystander])
		st.close();
}, { timeout: 90000 });

test('a session\'s life on the stream: created, vote (no value, for anyone), reveal, revote, final, current, closed — in order', async () => {
	const a = (await issue()).number;
	const b = (await issue()).number;
	const watchers = {};
	for (const login of ['eng1', 'em1', 'admin'])
		watchers[login] = await stream(login);
	const s = await create({ title: uniq('Streamed '), issues: [a, b] });
	for (const st of Object.values(watchers)) {
		const e = await waitFor(st, is('estimation.created', { session: s.id }), 'estimation.created');
		assert.deepEqual(e.data, { session: s.id });
		assert.match(String(e.id), /^\d+$/, 'every event has an id');
	}
	await vote(s.id, a, 'eng2', 'XXL');
	for (const [login, st] of Object.entries(watchers)) {
		const e = await waitFor(st, is('estimation.vote', { session: s.id, voter: 'eng2' }), `estimation.vote for ${login}`);
		assert.deepEqual(e.data, { session: s.id, issue: a, round: 1, voter: 'eng2' }, `the vote event as ${login}`);
		assert.doesNotMatch(e.block, /XXL|size/, `no size value in the vote event for ${login}: ${e.block}`);
		assert.doesNotMatch(st.raw, /XXL/, `the value appears nowhere in ${login}'s stream`);
	}
	await vote(s.id, a, 'cto1', 'S');
	await reveal(s.id, a);
	await revote(s.id, a);
	await vote(s.id, a, 'eng2', 'M');
	await reveal(s.id, a);
	await final(s.id, a, 'L');
	const p = await as('em1').patch(`${S}/${s.id}`, { current: b },
		{ headers: { 'If-Match': (await as('em1').get(`${S}/${s.id}`)).headers.get('etag') } });
	assertStatus(p, 200);
	await post('em1', `${S}/${s.id}/close`);
	const expected = [
		['estimation.created', { session: s.id }],
		['estimation.vote', { session: s.id, issue: a, round: 1, voter: 'eng2' }],
		['estimation.vote', { session: s.id, issue: a, round: 1, voter: 'cto1' }],
		['estimation.reveal', { session: s.id, issue: a, round: 1 }],
		['estimation.revote', { session: s.id, issue: a, round: 2 }],
		['estimation.vote', { session: s.id, issue: a, round: 2, voter: 'eng2' }],
		['estimation.reveal', { session: s.id, issue: a, round: 2 }],
		['estimation.final', { session: s.id, issue: a, size: 'L', by: 'em1' }],
		['estimation.current', { session: s.id, issue: b }],
		['estimation.closed', { session: s.id }],
	];
	for (const [login, st] of Object.entries(watchers)) {
		await waitFor(st, is('estimation.closed', { session: s.id }), `estimation.closed for ${login}`);
		const got = est(st).filter((e) => e.data?.session === s.id).map((e) => [e.event, e.data]);
		assert.deepEqual(got, expected, `${login}'s stream: ${describe(st)}`);
		assertOrdered(st);
		const votes = est(st).filter((e) => e.event === 'estimation.vote');
		for (const e of votes)
			assert.doesNotMatch(e.block, /size|"(XS|S|M|L|XL|XXL|\?)"/, `vote events never carry a value: ${e.block}`);
	}
});

test('?topic=estimation/N keeps one session\'s events and filters the others out', async () => {
	const n = (await issue()).number;
	const A = await create({ title: uniq('Topic A '), issues: [n] });
	const B = await create({ title: uniq('Topic B '), issues: [n] });
	const only = await stream('eng1', { topic: `estimation/${A.id}` });
	const all = await stream('eng1');
	assert.equal(only.status, 200);
	await vote(B.id, n, 'eng2', 'M');
	const C = await create({ title: uniq('Topic C '), issues: [n] });
	await reveal(B.id, n);
	await vote(A.id, n, 'eng2', 'S');
	await waitFor(only, is('estimation.vote', { session: A.id, voter: 'eng2' }), 'A\'s vote on the topic stream');
	await waitFor(all, is('estimation.vote', { session: A.id, voter: 'eng2' }), 'A\'s vote on the unfiltered stream');
	assert.ok(all.events.some(is('estimation.vote', { session: B.id })), `the unfiltered stream has B's vote: ${describe(all)}`);
	assert.ok(all.events.some(is('estimation.created', { session: C.id })), `the unfiltered stream has C's creation: ${describe(all)}`);
	assert.deepEqual(est(only).map((e) => e.data?.session), [A.id], `only session ${A.id} on the topic stream: ${describe(only)}`);
});

test('events about a security issue reach pm1 (who may see it) but never eng1, live or replayed', async () => {
	const p = (await issue()).number;
	const x = (await issue({ type: 'security', title: uniq('ev secret ') }, 'admin')).number;
	const eng = await stream('eng1');
	const pm = await stream('pm1');
	const s = await create({ title: uniq('Mixed stream '), issues: [p, x] }, 'pm1');
	const created = await waitFor(eng, is('estimation.created', { session: s.id }), 'eng1 sees the session created');
	await waitFor(pm, is('estimation.created', { session: s.id }), 'pm1 sees the session created');
	// private: votes, reveal, final on the security issue
	await vote(s.id, x, 'cto1', 'L');
	await vote(s.id, x, 'pm1', 'M');
	await reveal(s.id, x, 'pm1');
	await final(s.id, x, 'L', 'cto1'); // dev stage: the CTO (a PM may not write size)
	await waitFor(pm, is('estimation.final', { session: s.id, issue: x }), 'pm1 gets the final on the security issue');
	// then public: a vote on the public item
	await vote(s.id, p, 'cto1', 'S');
	await waitFor(eng, is('estimation.vote', { session: s.id, issue: p, voter: 'cto1' }), 'eng1 gets the public vote');
	await waitFor(pm, is('estimation.vote', { session: s.id, issue: p, voter: 'cto1' }), 'pm1 gets the public vote');
	const priv = (e) => e.data?.session === s.id && e.data?.issue === x;
	assert.deepEqual(eng.events.filter(priv), [], `eng1 got no event about #${x}: ${describe(eng)}`);
	assert.deepEqual(est(pm).filter(priv).map((e) => e.event),
		['estimation.vote', 'estimation.vote', 'estimation.reveal', 'estimation.final'], describe(pm));
	assert.doesNotMatch(eng.raw, new RegExp(`"issue":\\s*${x}\\b`), 'the issue number appears nowhere in eng1\'s stream');
	eng.close();
	// a reconnect from before the private events replays only the public one
	const again = await stream('eng1', { lastEventId: created.id });
	await waitFor(again, is('estimation.vote', { session: s.id, issue: p, voter: 'cto1' }), 'eng1 replays the public vote');
	assert.deepEqual(again.events.filter(priv), [], `no replayed event about #${x}: ${describe(again)}`);
	const pmAgain = await stream('pm1', { lastEventId: created.id });
	await waitFor(pmAgain, is('estimation.vote', { session: s.id, issue: p, voter: 'cto1' }), 'pm1 replays the public vote');
	assert.equal(est(pmAgain).filter(priv).length, 4, `pm1's replay has the private events: ${describe(pmAgain)}`);
});

test('reconnecting with Last-Event-ID replays the missed events in order, none twice', async () => {
	const n = (await issue()).number;
	const s = await create({ title: uniq('Reconnect '), issues: [n] });
	const topic = `estimation/${s.id}`;
	const first = await stream('eng1', { topic });
	await vote(s.id, n, 'eng2', 'M');
	const seen = await waitFor(first, is('estimation.vote', { session: s.id, voter: 'eng2' }), 'the first vote');
	first.close();
	// missed while away
	await vote(s.id, n, 'cto1', 'L');
	await vote(s.id, n, 'pm1', 'S');
	await reveal(s.id, n);
	const back = await stream('eng1', { topic, lastEventId: seen.id });
	assert.equal(back.status, 200);
	await waitFor(back, is('estimation.reveal', { session: s.id, issue: n }), 'the replayed reveal');
	assert.deepEqual(est(back).map((e) => [e.event, e.data]), [
		['estimation.vote', { session: s.id, issue: n, round: 1, voter: 'cto1' }],
		['estimation.vote', { session: s.id, issue: n, round: 1, voter: 'pm1' }],
		['estimation.reveal', { session: s.id, issue: n, round: 1 }],
	], `exactly the missed events, in order: ${describe(back)}`);
	assert.ok(est(back).every((e) => Number(e.id) > Number(seen.id)), 'none at or before Last-Event-ID');
	assertOrdered(back);
	// live events keep coming after the replay
	await revote(s.id, n);
	await waitFor(back, is('estimation.revote', { session: s.id, round: 2 }), 'a live event after the replay');
	assertOrdered(back);
});

test('a client away for more than the last 1,024 events gets `event: reset`', async () => {
	const n = (await issue()).number;
	const s = await create({ title: uniq('Busy room '), issues: [n] });
	const topic = `estimation/${s.id}`;
	const first = await stream('eng1', { topic });
	await vote(s.id, n, 'eng2', 'M');
	const seen = await waitFor(first, is('estimation.vote', { session: s.id, voter: 'eng2' }), 'the first vote');
	first.close();
	// 1,030 more events (a replaced vote is an event each time)
	const sizes = ['S', 'M', 'L'];
	for (let k = 0; k < 1030; k++)
		await vote(s.id, n, k % 2 ? 'cto1' : 'pm1', sizes[k % 3]);
	await vote(s.id, n, 'eng1', 'XL');
	const back = await stream('eng1', { topic, lastEventId: seen.id });
	assert.equal(back.status, 200);
	const reset = await waitFor(back, (e) => e.event === 'reset', 'event: reset');
	assert.equal(back.events.indexOf(reset), 0, `reset comes first, not a partial replay: ${describe(back).slice(0, 600)}`);
	// a recent Last-Event-ID still replays without a reset
	const recent = await stream('eng1', { topic, lastEventId: Number(seen.id) + 1000 });
	await waitFor(recent, is('estimation.vote', { session: s.id, voter: 'eng1' }), 'the last vote, replayed');
	assert.ok(!recent.events.some((e) => e.event === 'reset'), 'no reset within the last 1,024');
});

/* Issue #14: notifications pushed live.  Each notification (and a
 * mark-read) sends `event: notifications` with the user's unread count,
 * to that user alone, and never for a private issue they may not see. */
test('notifications: the unread count on its user\'s stream alone, never for a private issue they may not see', async () => {
	const isCount = (e) => e.event === 'notifications';
	const count = async (login) => (await as(login).get('/api/v1/notifications/count')).json.unread;
	const eng1 = await stream('eng1'); // every topic
	const eng2 = await stream('eng2', { topic: 'notifications' });
	const admin = await stream('admin'); // may read private issues, still not others' counts
	const pub = (await issue({}, 'pm1')).number;
	const sec = (await issue({ type: 'security', title: uniq('ev private ') }, 'pm1')).number;
	// private first: eng1 may not see it, eng2 may not either
	assertStatus(await as('pm1').post(`/api/v1/issues/${sec}/comments`, { body: 'exploit, @eng1 @eng2 @cto1' }), 201);
	// then public
	assertStatus(await as('pm1').post(`/api/v1/issues/${pub}/comments`, { body: 'have a look @eng1 @eng2' }), 201);
	const n2 = await count('eng2');
	const n1 = await count('eng1');
	await waitFor(eng2, (e) => isCount(e) && e.data?.unread === n2, `eng2's count ${n2}`);
	await waitFor(eng1, (e) => isCount(e) && e.data?.unread === n1, `eng1's count ${n1}`);
	// events arrive in order: a count for the private mention would have come first
	assert.equal(eng1.events.filter(isCount).length, 1, `one count event for eng1: ${describe(eng1)}`);
	assert.equal(eng2.events.filter(isCount).length, 1, `one count event for eng2: ${describe(eng2)}`);
	assert.deepEqual(Object.keys(eng1.events.find(isCount).data), ['unread'], 'the event carries the count alone');
	assert.doesNotMatch(eng1.raw, new RegExp(`\\b${sec}\\b`), 'the private issue appears nowhere in eng1\'s stream');
	// marking read updates the other tabs
	assertStatus(await as('eng2').post('/api/v1/notifications/read', { all: true }), 200);
	await waitFor(eng2, (e) => isCount(e) && e.data?.unread === 0, 'eng2 read everything');
	// admin was told of nothing: none of the others' counts reached it
	const other = (await issue({}, 'pm1')).number;
	assertStatus(await as('pm1').post(`/api/v1/issues/${other}/comments`, { body: 'and @admin' }), 201);
	await waitFor(admin, isCount, 'admin\'s own count');
	assert.equal(admin.events.filter(isCount).length, 1, `only admin's own count: ${describe(admin)}`);
	// a reconnect replays only one's own counts
	const again = await stream('eng1', { lastEventId: 0 });
	await waitFor(again, (e) => isCount(e) && e.data?.unread === n1, 'eng1 replays its count');
	assert.equal(again.events.filter(isCount).length, 1, describe(again));
});

test('server shuts down cleanly', async () => {
	closeAll();
	srv.assertAlive();
	await srv.stop();
});
