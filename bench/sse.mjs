// bench/sse.mjs [SUBSCRIBERS] — the event stream under idle load (issue #13), not part of
// make test.  A 10,000-issue SQLite demo; wrk (2 threads, 16 connections, 10 s) on
// GET /api/v1/issues/N with no stream open, then again with SUBSCRIBERS (default 1,000)
// idle GET /api/v1/events streams held open by this process; the server's threads and
// RSS with them; and the time for one vote's event to reach every subscriber.
// Results go to stdout; BENCHMARKS.md records a run.  Needs wrk (apt-get install wrk).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const N = Number(process.argv[2] || 1000);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'build/cairn');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-sse-'));
const db = path.join(dir, 'bench.db');
const cli = (...a) => execFileSync(bin, [...a, '--db', db], { encoding: 'utf8' });

execFileSync('make', ['-s', '-C', root, 'build/cairn'], { stdio: 'inherit' });
cli('demo', '--issues', '10000');
const token = (login) => cli('token', 'new', login).trim().split('\n').pop().trim();
const eli = token('eli');
const emil = token('emil');

const srv = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
	let out = '';
	srv.stdout.on('data', (d) => {
		out += d;
		const m = out.match(/listening on (http:\/\/\S+)/);
		if (m) resolve(m[1]);
	});
	srv.on('exit', () => reject(new Error('server exited')));
});
const { port } = new URL(url);

function status() {
	const s = fs.readFileSync(`/proc/${srv.pid}/status`, 'utf8');
	const get = (k) => s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm'))[1];
	return `threads ${get('Threads')}, RSS ${(Number(get('VmRSS')) / 1024).toFixed(1)} MB`;
}

function wrk(label) {
	const out = execFileSync('wrk', ['-t2', '-c16', '-d10s', '--latency', '-H', `Authorization: Bearer ${eli}`,
		`${url}/api/v1/issues/5000`], { encoding: 'utf8' });
	const pick = (re) => (out.match(re) || [])[1];
	console.log(`${label}: ${pick(/Requests\/sec:\s+([\d.]+)/)} req/s, p50 ${pick(/50%\s+(\S+)/)}, p99 ${pick(/99%\s+(\S+)/)}` +
		`${/Non-2xx/.test(out) ? ' (NON-2xx answers!)' : ''}`);
}

console.log(`# cairn event stream, ${N} idle subscribers, ${os.cpus().length} cores`);
console.log(`server at start: ${status()}`);
wrk('GET /api/v1/issues/5000, no stream open');

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const subs = [];
const t0 = performance.now();
await Promise.all(Array.from({ length: N }, () => new Promise((resolve, reject) => {
	const s = { buf: '', got: null, req: null };
	s.req = http.get({ host: '127.0.0.1', port, path: '/api/v1/events?topic=estimation/4', agent,
		headers: { Authorization: `Bearer ${eli}` } }, (res) => {
		if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
		res.setEncoding('utf8');
		res.on('data', (d) => {
			s.buf += d;
			if (s.buf.includes('retry:') && !s.ready) {
				s.ready = true;
				resolve();
			}
			if (s.got === null && s.buf.includes('event: estimation.vote')) s.got = performance.now();
		});
	});
	s.req.on('error', reject);
	subs.push(s);
})));
console.log(`${N} streams open in ${((performance.now() - t0) / 1000).toFixed(2)} s; server: ${status()}`);
await new Promise((r) => setTimeout(r, 1000));
wrk(`GET /api/v1/issues/5000, ${N} idle streams open`);

// one vote: its event to every subscriber
const sent = performance.now();
await new Promise((resolve, reject) => {
	const body = JSON.stringify({ size: 'L' });
	const req = http.request({ host: '127.0.0.1', port, method: 'POST', agent,
		path: `/api/v1/estimation/sessions/4/items/${demoItem()}/vote`,
		headers: { Authorization: `Bearer ${emil}`, 'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(body) } }, (res) => {
		res.resume();
		res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`vote: ${res.statusCode}`))));
	});
	req.end(body);
});
while (subs.some((s) => s.got === null) && performance.now() - sent < 10000)
	await new Promise((r) => setTimeout(r, 5));
const lat = subs.filter((s) => s.got !== null).map((s) => s.got - sent).sort((a, b) => a - b);
console.log(`one vote's event reached ${lat.length} of ${N} subscribers: p50 ${lat[lat.length >> 1].toFixed(1)} ms, ` +
	`last ${lat[lat.length - 1].toFixed(1)} ms after the POST was sent`);

for (const s of subs) s.req.destroy();
await new Promise((r) => setTimeout(r, 1000));
console.log(`streams closed; server: ${status()}`);
srv.kill('SIGTERM');
await new Promise((r) => srv.on('exit', r));
fs.rmSync(dir, { recursive: true, force: true });

function demoItem() {
	const s = JSON.parse(execFileSync(bin, ['estimate', 'show', '4', '--json', '--db', db, '--as', 'emil'], { encoding: 'utf8' }));
	return s.items[0].issue;
}
