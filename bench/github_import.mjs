/*
 * github_import.mjs — time `cairn import github` of a 10,000-issue export
 * (tests/lib/github_export.mjs: labels, milestones, assignees, comments,
 * pull requests mixed in) into a fresh SQLite database, then the second,
 * unchanged import.  Usage: node bench/github_import.mjs [ISSUES] (build/cairn).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { githubExport } from '../tests/lib/github_export.mjs';

const BIN = resolve(process.env.CAIRN_BIN || 'build/cairn');
const n = Number(process.argv[2] || 10000);
const dir = mkdtempSync(join(tmpdir(), 'cairn-ghbench-'));
const db = join(dir, 'b.db');
const file = join(dir, 'issues.json');
const exp = githubExport({ count: n, pulls: Math.round(n / 10), seed: 3 });
writeFileSync(file, exp.text);
const run = (args) => {
	const t0 = process.hrtime.bigint();
	const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', env: { ...process.env, CAIRN_ADMIN_PASSWORD: 'bench-password-1' } });
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	if (r.status !== 0)
		throw new Error(`${args.join(' ')}: ${r.status}\n${r.stderr}`);
	return { ms, out: r.stdout.trim() };
};
run(['init', '--admin', 'admin']);
console.log(`export: ${n} issues + ${Math.round(n / 10)} pull requests, ${(exp.text.length / 1e6).toFixed(1)} MB`);
for (const what of ['first import', 'second import (unchanged)']) {
	const { ms, out } = run(['import', 'github', file]);
	console.log(`${what}: ${(ms / 1000).toFixed(2)} s — ${out}`);
}
rmSync(dir, { recursive: true, force: true });
