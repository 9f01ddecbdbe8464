/*
 * lib.mjs — what the browser tests share: a real `cairn serve` on a fresh
 * database (SQLite, or PostgreSQL with CAIRN_TEST_DB; tests/lib/testdb.mjs),
 * Debian's Chromium through playwright-core, and the checks every file ends
 * with (no page errors, a clean server exit, no sanitizer report).
 *
 *   const e = await setUp('cairn-e2e-');        // server + browser + page
 *   ... e.base, e.page, e.context, e.password, e.token (admin API token) ...
 *   await tearDown(e);                          // in after()
 *
 * Environment:
 *   CAIRN_BIN      server binary            (default build/cairn)
 *   CHROMIUM       browser executable       (default /usr/bin/chromium)
 *   CAIRN_TEST_DB  unset: a fresh SQLite file; set: a PostgreSQL URL template
 *                  with {db} (see tests/lib/testdb.mjs)
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { nowMs } from '../lib/clock.mjs';
import { freshDb } from '../lib/testdb.mjs';

export const BIN = path.resolve(process.env.CAIRN_BIN || 'build/cairn');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.resolve('tests/e2e/screenshots');
/* For describe() options: a suite about layout only (widths, accessibility,
 * the palette) runs on SQLite; the backend behind the page changes nothing in
 * it, and the PostgreSQL pass of the browser tests is the longest suite. */
export const LAYOUT_ONLY = process.env.CAIRN_TEST_DB ? 'layout only: runs on SQLite' : false;
export const TZ = 'Asia/Kolkata'; // fixed +05:30, no DST: proves times are shown in local time

/* Run `cairn ARGS --db DB`; returns stdout, fails the test on a non-zero exit. */
export function cli(db, args, { input = '', env = {} } = {}) {
	const r = spawnSync(BIN, [...args, '--db', db], { input, encoding: 'utf8', env: { ...process.env, ...env } });
	assert.equal(r.status, 0, `cairn ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
	return r.stdout;
}

/* Start `cairn serve` on db; resolves with {proc, base, out(), err(), stop()}. */
export function startServer(db) {
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		let base = null;
		const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env },
		});
		const server = {
			proc,
			get base() { return base; },
			out: () => out,
			err: () => err,
			stop: () => stopServer(proc),
		};
		const timer = setTimeout(() => {
			reject(new Error(`server did not report its address in 20s\nstdout: ${out}\nstderr: ${err}`));
		}, 20000);
		proc.stderr.setEncoding('utf8');
		proc.stderr.on('data', (d) => { err += d; });
		proc.stdout.setEncoding('utf8');
		proc.stdout.on('data', (d) => {
			out += d;
			const m = /cairn: listening on (https?:\/\/\S+)/.exec(out);
			if (m && !base) {
				clearTimeout(timer);
				base = m[1].replace(/\/+$/, '');
				resolve(server);
			}
		});
		proc.on('error', (e) => { clearTimeout(timer); reject(e); });
		proc.on('exit', (code, signal) => {
			if (!base) {
				clearTimeout(timer);
				reject(new Error(`server exited early (code ${code}, signal ${signal})\nstderr: ${err}`));
			}
		});
	});
}

function stopServer(proc) {
	return new Promise((resolve) => {
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
			resolve(proc ? { code: proc.exitCode, signal: proc.signalCode } : null);
			return;
		}
		const kill = setTimeout(() => proc.kill('SIGKILL'), 15000);
		proc.once('exit', (code, signal) => { clearTimeout(kill); resolve({ code, signal }); });
		proc.kill('SIGTERM');
	});
}

/* A fresh database with the admin (password returned), a running server,
 * an admin API token, and a browser page at 1360×860 in TZ. */
export async function setUp(prefix = 'cairn-e2e-') {
	assert.ok(fs.existsSync(BIN), `server binary ${BIN} not found: run make build/cairn`);
	fs.mkdirSync(SHOTS, { recursive: true });
	const e = { pageErrors: [], consoleErrors: [] };
	e.tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	e.testDb = freshDb(e.tmp);
	e.db = e.testDb.url;
	e.password = `e2e-${randomBytes(12).toString('base64url')}`;
	cli(e.db, ['init', '--admin', 'admin'], { env: { CAIRN_ADMIN_PASSWORD: e.password } });
	e.token = cli(e.db, ['token', 'new', 'admin']).trim();

	e.server = await startServer(e.db);
	e.base = e.server.base;

	e.browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	e.context = await e.browser.newContext({
		viewport: { width: 1360, height: 860 }, locale: 'en-US', timezoneId: TZ, colorScheme: 'light',
	});
	// The browser's calendar is the server's: with CAIRN_NOW both stand still
	// at the same instant (timers keep running), so "today", countdowns and
	// "late" marks in the UI agree with the dates the server computed.
	if (process.env.CAIRN_NOW) await e.context.clock.setFixedTime(nowMs());
	e.page = await e.context.newPage();
	e.page.setDefaultTimeout(10000);
	e.page.on('pageerror', (err) => e.pageErrors.push(String(err)));
	e.page.on('console', (msg) => {
		// Expected 4xx answers (401 before login, 412, 422) are logged as
		// "Failed to load resource"; anything else is a real problem.
		if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) e.consoleErrors.push(msg.text());
	});
	return e;
}

/* Close the browser, stop the server (exit 0 after SIGTERM, no sanitizer
 * report), drop the database. */
export async function tearDown(e) {
	if (!e) return;
	if (e.browser) await e.browser.close();
	const exit = e.server ? await e.server.stop() : null;
	e.testDb?.drop();
	if (e.tmp) fs.rmSync(e.tmp, { recursive: true, force: true });
	const serverErr = e.server ? e.server.err() : '';
	// Show the server's stderr when it says more than its shutdown notice.
	if (serverErr.replace(/^cairn: SIGTERM received, shutting down\n?/m, '').trim()) {
		process.stderr.write(`--- cairn serve stderr ---\n${serverErr}\n`);
	}
	assert.doesNotMatch(serverErr, /AddressSanitizer|LeakSanitizer|runtime error:/, 'sanitizer report in server stderr');
	if (exit) {
		assert.ok(exit.code === 0 || exit.signal === 'SIGTERM', `server exit after SIGTERM: ${JSON.stringify(exit)}`);
	}
}

/* JSON API as the admin, with the Bearer token (outside the browser). */
export async function api(e, method, p, body, extraHeaders = {}) {
	const headers = { Authorization: `Bearer ${e.token}`, ...extraHeaders };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	const res = await fetch(`${e.base}/api/v1${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	let json = null;
	try { json = text ? JSON.parse(text) : null; } catch { json = null; }
	return { status: res.status, json, text, headers: res.headers };
}

/* Sign in through the login form with the keyboard only. */
export async function loginWithKeyboard(e, login, password, next = '/') {
	const { page } = e;
	await page.goto(`${e.base}/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
	await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
	await page.getByLabel('Login').focus();
	await page.keyboard.type(login);
	await page.keyboard.press('Tab');
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	await page.waitForURL(`${e.base}${next}`);
}

/* Another browser context (its own cookies) with setUp's settings and opts
 * (a viewport, isMobile…); its page's errors go to e.pageErrors and
 * e.consoleErrors like the first page's. */
export async function newPage(e, opts = {}) {
	const ctx = await e.browser.newContext({
		viewport: { width: 1360, height: 860 }, locale: 'en-US', timezoneId: TZ, colorScheme: 'light', ...opts,
	});
	if (process.env.CAIRN_NOW) await ctx.clock.setFixedTime(nowMs());
	const p = await ctx.newPage();
	p.setDefaultTimeout(10000);
	p.on('pageerror', (err) => e.pageErrors.push(String(err)));
	p.on('console', (msg) => {
		if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) e.consoleErrors.push(msg.text());
	});
	return p;
}

/* Sign in on page p through the login form; waits for next. */
export async function signIn(e, p, login, password, next = '/') {
	await p.goto(`${e.base}/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
	await p.getByLabel('Login').fill(login);
	await p.getByLabel('Password').fill(password);
	await p.getByLabel('Password').press('Enter');
	await p.waitForURL(`${e.base}${next}`);
}

/* Like page.waitForLoadState('networkidle'), which never comes now that a
 * signed-in page keeps the live event stream open (an EventSource for the
 * unread count): resolves once no other request of page p has been in
 * flight for ms. */
export async function networkQuiet(p, ms = 500, timeout = 10000) {
	const pending = new Set();
	let last = Date.now();
	const on = (r) => { if (!r.url().includes('/api/v1/events')) pending.add(r); last = Date.now(); };
	const off = (r) => { pending.delete(r); last = Date.now(); };
	p.on('request', on);
	p.on('requestfinished', off);
	p.on('requestfailed', off);
	try {
		for (const end = Date.now() + timeout; Date.now() < end;) {
			if (!pending.size && Date.now() - last >= ms) return;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`requests still in flight after ${timeout} ms: ${[...pending].map((r) => r.url()).join(', ')}`);
	} finally {
		p.off('request', on);
		p.off('requestfinished', off);
		p.off('requestfailed', off);
	}
}
