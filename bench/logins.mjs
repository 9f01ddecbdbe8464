// bench/logins.mjs [CAIRN_BINARY] — do password checks slow everyone else down? (issue #15),
// not part of make test.  A small demo database; one client sends sequential authenticated
// GET /api/v1/issues/50 (Bearer token) for 5 s and records each latency, first alone, then while 8
// other connections send correct logins (argon2id each) as fast as they are answered.
// Prints p50/p90/p99 of the GETs and the logins per second.  BENCHMARKS.md records a run.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.resolve(process.argv[2] || path.join(root, 'build/cairn'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-logins-'));
const db = path.join(dir, 'bench.db');
const cli = (...a) => execFileSync(bin, [...a, '--db', db], { encoding: 'utf8' });

cli('demo', '--issues', '2000');
const token = cli('token', 'new', 'eli').trim().split('\n').pop().trim();
const srv = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => {
	let out = '';
	srv.stdout.on('data', (d) => {
		out += d;
		const m = out.match(/listening on (http:\/\/\S+)/);
		if (m) resolve(m[1]);
	});
});
const { port } = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function req(method, p, body, headers = {}) {
	return new Promise((resolve, reject) => {
		const data = body ? JSON.stringify(body) : null;
		const r = http.request({ host: '127.0.0.1', port, method, path: p, agent,
			headers: { ...headers, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) } },
		(res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		r.on('error', reject);
		r.end(data);
	});
}

async function gets(seconds) {
	const lat = [];
	const end = performance.now() + seconds * 1000;
	while (performance.now() < end) {
		const t = performance.now();
		const s = await req('GET', '/api/v1/issues/50', null, { Authorization: `Bearer ${token}` });
		if (s !== 200) throw new Error(`GET answered ${s}`);
		lat.push(performance.now() - t);
	}
	lat.sort((a, b) => a - b);
	const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1);
	return `${lat.length} GETs, p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms`;
}

console.log(`# ${bin}: ${os.cpus().length} cores`);
await gets(0.5); // warm
console.log(`GET alone, 5 s:                 ${await gets(5)}`);
let stop = false, logins = 0, statuses = {};
const t0 = performance.now();
const loops = Array.from({ length: 8 }, async () => {
	while (!stop) {
		const s = await req('POST', '/api/v1/session', { login: 'pia', password: 'cairn-demo' });
		statuses[s] = (statuses[s] || 0) + 1;
		logins++;
	}
});
await new Promise((r) => setTimeout(r, 500));
console.log(`GET beside 8 login loops, 5 s:  ${await gets(5)}`);
stop = true;
await Promise.all(loops);
console.log(`logins: ${(logins / ((performance.now() - t0) / 1000)).toFixed(1)}/s, answers ${JSON.stringify(statuses)}`);
srv.kill('SIGTERM');
await new Promise((r) => srv.on('exit', r));
agent.destroy();
fs.rmSync(dir, { recursive: true, force: true });
