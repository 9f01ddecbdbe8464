/*
 * harness.mjs — start a real `cairn serve` on a fresh database and talk to it
 * over real HTTP.  Used by every tests/api/*.test.mjs file.
 *
 *   const srv = await startServer();          // admin + one user per role
 *   after(() => srv.kill());                  // safety net
 *   const r = await srv.api('POST', '/api/v1/issues', {token: srv.tokens.admin, body: {...}});
 *   const before = await srv.snapshot([n]);   // ... refused request ...
 *   await srv.assertUnchanged(before, [n]);
 *   test('server shuts down cleanly', () => srv.stop());   // last test of a file
 *
 *   const b = await startServer({shareWith: srv});  // a second server, same database
 *
 * Environment:
 *   CAIRN_BIN      the binary to test (default build/cairn; build/asan/cairn for
 *                  the sanitizer build).  Tests run from the repository root.
 *   CAIRN_TEST_DB  unset: a fresh SQLite file <tmp>/t.db per server.
 *                  set:   a postgres:// URL template containing `{db}`; each server
 *                  gets a fresh database whose name replaces `{db}` (created and
 *                  dropped with psql, connecting to the same URL with `postgres`).
 *                  See tests/lib/testdb.mjs.
 *
 * Every response srv.api / srv.as(...) / srv.raw receive is checked against
 * docs/openapi.json (tests/lib/openapi.mjs): one that does not conform
 * throws, failing the test that received it.  srv.rawUnchecked skips that.
 *
 * Needs Node 20 (fetch, node:test, node:child_process) and `npm ci` (Ajv).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { assertConforms } from '../lib/openapi.mjs';
import { freshDb } from '../lib/testdb.mjs';
import { nowMs } from '../lib/clock.mjs';

export const BIN = path.resolve(process.env.CAIRN_BIN || 'build/cairn');
export const ROLES = ['admin', 'pm', 'cto', 'em', 'engineer', 'viewer'];
export const SIZE_ALLOWED = 'XS,S,M,L,XL,XXL or 1,2,3,5,8,13';
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/* The default cast: login -> role.  `admin` is created by `cairn init`. */
export const DEFAULT_USERS = {
	pm1: 'pm',
	cto1: 'cto',
	em1: 'em',
	eng1: 'engineer',
	eng2: 'engineer',
	viewer1: 'viewer',
};

const SANITIZER_RE = /AddressSanitizer|LeakSanitizer|runtime error:/;
const START_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 20000;

let seq = 0;

/* A short unique string, handy for titles and labels. */
export function uniq(prefix = 'u') {
	return `${prefix}${process.pid.toString(36)}${(++seq).toString(36)}${randomBytes(3).toString('hex')}`;
}

function childEnv(extra = {}) {
	const env = { ...process.env, ...extra };
	if (!env.UBSAN_OPTIONS)
		env.UBSAN_OPTIONS = 'print_stacktrace=1';
	delete env.CAIRN_DB;
	delete env.CAIRN_LISTEN;
	return env;
}

function checkSanitizer(what, stderr) {
	const m = SANITIZER_RE.exec(stderr);
	if (m)
		throw new Error(`${what}: sanitizer report on stderr (${m[0]}):\n${stderr.slice(0, 8000)}`);
}

/* Run `cairn ARGS` synchronously; fail on a sanitizer report. */
export function runCli(args, { input, env, expectStatus = 0 } = {}) {
	const r = spawnSync(BIN, args, {
		input: input ?? '',
		env: childEnv(env),
		encoding: 'utf8',
		timeout: 300000, // a hang guard, not a speed limit: a PostgreSQL demo beside other suites can take minutes
	});
	if (r.error)
		throw new Error(`cairn ${args.join(' ')}: ${r.error.message} (binary ${BIN})`);
	checkSanitizer(`cairn ${args.join(' ')}`, r.stderr);
	if (expectStatus !== null && r.status !== expectStatus)
		throw new Error(`cairn ${args.join(' ')}: exit ${r.status} (signal ${r.signal}), expected ${expectStatus}\n` +
			`stdout: ${r.stdout}\nstderr: ${r.stderr}`);
	return r;
}

/* Describe a request/response pair for assertion messages. */
export function show(res) {
	const rq = res.request || {};
	let body = rq.body === undefined ? '' : ` ${String(rq.body).slice(0, 300)}`;
	const err = res.error ? ` [socket: ${res.error}]` : '';
	return `${rq.method} ${rq.path}${body} -> ${res.status} ${String(res.text ?? '').slice(0, 600)}${err}`;
}

/* Assert an error response: status, code, field (when given), JSON body. */
export function assertError(res, status, code, field) {
	assert.equal(res.status, status, `expected ${status}: ${show(res)}`);
	assert.match(res.headers.get('content-type') || '', /^application\/json/, `error body must be JSON: ${show(res)}`);
	assert.ok(res.json && typeof res.json.error === 'object' && res.json.error,
		`error body must be {"error":{...}}: ${show(res)}`);
	if (code !== undefined)
		assert.equal(res.json.error.code, code, `error code: ${show(res)}`);
	assert.equal(typeof res.json.error.message, 'string', `error message: ${show(res)}`);
	assert.ok(res.json.error.message.length > 0, `error message must not be empty: ${show(res)}`);
	if (field !== undefined)
		assert.equal(res.json.error.field, field, `error field: ${show(res)}`);
}

export function assertStatus(res, status) {
	assert.equal(res.status, status, `expected ${status}: ${show(res)}`);
}

/* Parse an RFC 8288 Link header into {rel: url}. */
export function parseLink(header) {
	const out = {};
	if (!header)
		return out;
	const re = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
	let m;
	while ((m = re.exec(header))) {
		const rel = /rel\s*=\s*"?([^";,]+)"?/.exec(m[2]);
		if (rel)
			for (const r of rel[1].trim().split(/\s+/))
				out[r] = m[1];
	}
	return out;
}

/* Every Set-Cookie header of a response (Headers.getSetCookie is missing
 * from Node 18's fetch; there the header comes back joined, and Cairn sends
 * at most one cookie per response). */
export function setCookies(res) {
	if (typeof res.headers.getSetCookie === 'function')
		return res.headers.getSetCookie();
	const v = res.headers.get('set-cookie');
	return v ? [v] : [];
}

/* The session cookie `cairn_session=...` from a response, or null. */
export function sessionCookie(res) {
	for (const c of setCookies(res)) {
		const m = /^\s*(cairn_session=[^;]*)/.exec(c);
		if (m)
			return { pair: m[1], raw: c };
	}
	return null;
}

/* A database shared by the servers started on it; dropped when the last
 * of them stops. */
function sharedDb(db) {
	let refs = 0;
	return {
		url: db.url,
		backend: db.backend,
		acquire() { refs++; },
		release() {
			if (--refs <= 0)
				db.drop();
		},
	};
}

class Server {
	/* db: from sharedDb(); users: the {tokens, passwords, roles} of the
	 * database, shared by every server on it. */
	constructor(db, users = { tokens: {}, passwords: {}, roles: {} }) {
		this.db = db;
		db.acquire();
		this.users = users;
		this.tokens = users.tokens;
		this.passwords = users.passwords;
		this.roles = users.roles;
		this.stdout = '';
		this.stderr = '';
		this.proc = null;
		this.exited = null; // promise of {code, signal}
		this.exit = null;
	}

	cli(args, opts) {
		return runCli([...args, '--db', this.db.url], opts);
	}

	addUser(login, role) {
		const pw = `pw-${login}-${randomBytes(6).toString('hex')}`;
		this.cli(['user', 'add', login, '--role', role, '--password-stdin'], { input: pw });
		this.passwords[login] = pw;
		this.roles[login] = role;
		this.newToken(login);
	}

	newToken(login) {
		const r = this.cli(['token', 'new', login]);
		const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
		if (lines.length !== 1)
			throw new Error(`cairn token new ${login}: expected the token alone on stdout, got ${JSON.stringify(r.stdout)}`);
		this.tokens[login] = lines[0].trim();
		return this.tokens[login];
	}

	async listen() {
		/* wrap: a command to run the server under (e.g. prlimit) */
		const argv = [...(this.wrap || []), BIN, 'serve', '--db', this.db.url, '--listen', '127.0.0.1:0'];
		const proc = spawn(argv[0], argv.slice(1), {
			env: childEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.proc = proc;
		this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => {
			this.exit = { code, signal };
			resolve(this.exit);
		}));
		proc.stderr.setEncoding('utf8');
		proc.stderr.on('data', (d) => { this.stderr += d; });
		proc.stdout.setEncoding('utf8');
		const port = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(
				`cairn serve printed no "cairn: listening on http://127.0.0.1:PORT" within ${START_TIMEOUT_MS} ms ` +
				`(is stdout flushed?)\nstdout: ${this.stdout}\nstderr: ${this.stderr}`)), START_TIMEOUT_MS);
			proc.stdout.on('data', (d) => {
				this.stdout += d;
				const m = /cairn: listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.stdout);
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			});
			proc.on('error', (e) => { clearTimeout(timer); reject(new Error(`spawn ${BIN}: ${e.message}`)); });
			proc.on('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`cairn serve exited before listening: code ${code} signal ${signal}\n` +
					`stdout: ${this.stdout}\nstderr: ${this.stderr}`));
			});
		});
		this.port = port;
		this.base = `http://127.0.0.1:${port}`;
	}

	/* One HTTP request with fetch.  opts: token (Bearer), body (JSON-encoded),
	 * raw (string/Buffer sent as is), headers, query (object -> ?a=b). */
	async api(method, p, { token, body, raw, headers = {}, query } = {}) {
		const h = { ...headers };
		let payload;
		if (raw !== undefined) {
			payload = raw;
			if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type'))
				h['Content-Type'] = 'application/json';
		} else if (body !== undefined) {
			payload = JSON.stringify(body);
			h['Content-Type'] = 'application/json';
		}
		if (token)
			h.Authorization = `Bearer ${token}`;
		if (query)
			p += (p.includes('?') ? '&' : '?') + new URLSearchParams(query).toString();
		const url = /^https?:/.test(p) ? p : this.base + p;
		const res = await fetch(url, { method, headers: h, body: payload, redirect: 'manual' });
		const text = await res.text();
		let json = null;
		try {
			json = text === '' ? null : JSON.parse(text);
		} catch {
			json = null;
		}
		const shown = typeof payload === 'string' && payload.length > 300 ? payload.slice(0, 300) + '…' : payload;
		assertConforms(method, url, res.status, res.headers, text);
		return { status: res.status, headers: res.headers, json, text,
			request: { method, path: p, body: shown } };
	}

	/* Shorthands as a given user (Bearer token). */
	as(login) {
		const token = this.tokens[login];
		if (!token)
			throw new Error(`no token for ${login}`);
		const call = (m, p, o = {}) => this.api(m, p, { ...o, token });
		return {
			get: (p, o) => call('GET', p, o),
			post: (p, body, o = {}) => call('POST', p, { ...o, body }),
			patch: (p, body, o = {}) => call('PATCH', p, { ...o, body }),
			del: (p, o) => call('DELETE', p, o),
			call,
		};
	}

	/* Create an issue as `login` (default admin); returns the issue JSON. */
	async createIssue(fields, login = 'admin') {
		const r = await this.as(login).post('/api/v1/issues', fields);
		assert.equal(r.status, 201, `create issue: ${show(r)}`);
		return r.json;
	}

	/* GET then PATCH with the current ETag; returns the response. */
	async patchIssue(number, fields, login = 'admin') {
		const u = this.as(login);
		const g = await this.as('admin').get(`/api/v1/issues/${number}`);
		assert.equal(g.status, 200, `get before patch: ${show(g)}`);
		return u.patch(`/api/v1/issues/${number}`, fields, { headers: { 'If-Match': g.headers.get('etag') } });
	}

	/* All issues the admin sees (every page), sorted by number, plus total. */
	async listAll(q, login = 'admin') {
		const items = [];
		let total = null;
		for (let page = 1; page < 1000; page++) {
			const query = { per_page: '100', page: String(page) };
			if (q !== undefined)
				query.q = q;
			const r = await this.as(login).get('/api/v1/issues', { query });
			assert.equal(r.status, 200, `list: ${show(r)}`);
			total = r.json.total;
			items.push(...r.json.items);
			if (r.json.items.length === 0 || items.length >= total)
				break;
		}
		items.sort((a, b) => a.number - b.number);
		return { total, items };
	}

	/* Observable state through the API, as admin: the whole issue list with
	 * total, and for each touched issue its GET status/body/ETag and its
	 * history; the user list where the server has one. */
	async snapshot(touched = []) {
		const { total, items } = await this.listAll();
		const issues = {};
		for (const n of touched) {
			const g = await this.as('admin').get(`/api/v1/issues/${n}`);
			const h = await this.as('admin').get(`/api/v1/issues/${n}/history`);
			issues[n] = {
				status: g.status,
				etag: g.headers.get('etag'),
				issue: g.json,
				version: g.json?.version,
				historyStatus: h.status,
				historyLength: h.json?.items?.length,
				history: h.json?.items,
			};
		}
		const u = await this.as('admin').get('/api/v1/users');
		const users = u.status === 200 ? u.json : { status: u.status };
		return { total, items, issues, users };
	}

	async assertUnchanged(before, touched = [], why = 'a refused request must change nothing') {
		const after = await this.snapshot(touched);
		assert.deepStrictEqual(after, before, why);
	}

	/* Raw HTTP with node:http, for bodies the server may refuse before
	 * reading them.  Resolves with {status, headers, text, json, error};
	 * a socket error after the response arrived is kept in `error` only. */
	async raw(opts) {
		const res = await this.rawUnchecked(opts);
		if (res.status)
			assertConforms(res.request.method, res.request.path, res.status, res.headers, res.text);
		return res;
	}

	rawUnchecked({ method = 'POST', path: p, headers = {}, body, chunked = false }) {
		return new Promise((resolve) => {
			let done = false;
			let response = null;
			let text = '';
			const finish = (error) => {
				if (done)
					return;
				done = true;
				let json = null;
				try { json = JSON.parse(text); } catch { /* not JSON */ }
				const hdrs = new Headers();
				if (response)
					for (const [k, v] of Object.entries(response.headers))
						hdrs.set(k, Array.isArray(v) ? v.join(', ') : String(v));
				resolve({ status: response ? response.statusCode : 0, headers: hdrs, text, json,
					error: error ? error.message : undefined,
					request: { method, path: p, body: `<${body ? body.length : 0} bytes${chunked ? ', chunked' : ''}>` } });
			};
			const h = { ...headers };
			if (!chunked && body)
				h['Content-Length'] = String(body.length);
			const req = http.request({ host: '127.0.0.1', port: this.port, method, path: p, headers: h, agent: false });
			req.on('response', (res) => {
				response = res;
				res.setEncoding('utf8');
				res.on('data', (d) => { text += d; });
				res.on('end', () => finish());
				res.on('error', (e) => finish(e));
				res.on('aborted', () => finish(new Error('response aborted')));
			});
			req.on('error', (e) => {
				// A reset while we were still writing: wait a moment in case
				// the response is still being parsed, then settle.
				setTimeout(() => finish(e), response ? 500 : 50);
			});
			req.setTimeout(30000, () => { req.destroy(new Error('timeout')); });
			if (body) {
				// Headers first, like curl: a server that refuses on
				// Content-Length alone can answer before the body arrives.
				req.flushHeaders();
				const CH = 64 * 1024;
				let off = 0;
				const pump = () => {
					while (off < body.length) {
						const ok = req.write(body.subarray(off, off + CH));
						off += CH;
						if (!ok) {
							req.once('drain', pump);
							return;
						}
					}
					req.end();
				};
				setTimeout(pump, 50);
			} else {
				req.end();
			}
		});
	}

	/* SIGTERM, wait, and require exit code 0 and no sanitizer report. */
	async stop() {
		if (!this.proc)
			return;
		if (this.exit === null)
			this.proc.kill('SIGTERM');
		const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
		const { code, signal } = await this.exited;
		clearTimeout(timer);
		this.proc = null;
		this.db.release();
		checkSanitizer('cairn serve', this.stderr);
		assert.equal(signal, null, `cairn serve was killed by ${signal} (did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM?)\nstderr: ${this.stderr}`);
		assert.equal(code, 0, `cairn serve exit code after SIGTERM\nstderr: ${this.stderr}`);
	}

	/* For after(): stop quietly if a test file ended early. */
	async kill() {
		if (!this.proc)
			return;
		try {
			await this.stop();
		} catch (e) {
			process.stderr.write(`harness: ${e.message}\n`);
			process.exitCode = 1;
		}
	}

	/* Fail if the server died while tests ran. */
	assertAlive() {
		assert.equal(this.exit, null, `cairn serve died: ${JSON.stringify(this.exit)}\nstderr: ${this.stderr}`);
	}
}

/* A second `cairn serve` on srv's database with its clock ms after the
 * tests' (CAIRN_NOW); the caller kills it. */
export async function laterServer(srv, ms) {
	const saved = process.env.CAIRN_NOW;
	process.env.CAIRN_NOW = new Date(nowMs() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
	try {
		return await startServer({ shareWith: srv });
	} finally {
		if (saved === undefined)
			delete process.env.CAIRN_NOW;
		else
			process.env.CAIRN_NOW = saved;
	}
}

/* Start a server on a fresh database with the admin and `users`
 * ({login: role}); every user has a password and an API token.
 * shareWith: another Server; start a second `cairn serve` on that server's
 * database instead (no init, no new users; tokens and passwords are shared,
 * and the database is dropped when the last server on it stops). */
export async function startServer({ users = DEFAULT_USERS, shareWith, wrap } = {}) {
	if (!fs.existsSync(BIN))
		throw new Error(`no binary at ${BIN} (build it with make build/cairn, or set CAIRN_BIN)`);
	if (shareWith) {
		if (!shareWith.proc)
			throw new Error('startServer({shareWith}): that server is not running');
		const twin = new Server(shareWith.db, shareWith.users);
		try {
			await twin.listen();
		} catch (e) {
			if (twin.exit === null)
				twin.proc?.kill('SIGKILL');
			twin.db.release();
			throw e;
		}
		return twin;
	}
	const db = sharedDb(freshDb());
	const srv = new Server(db);
	srv.wrap = wrap;
	const adminPw = `pw-admin-${randomBytes(6).toString('hex')}`;
	runCli(['init', '--db', db.url, '--admin', 'admin'], { env: { CAIRN_ADMIN_PASSWORD: adminPw } });
	srv.passwords.admin = adminPw;
	srv.roles.admin = 'admin';
	srv.newToken('admin');
	for (const [login, role] of Object.entries(users))
		srv.addUser(login, role);
	await srv.listen();
	return srv;
}
