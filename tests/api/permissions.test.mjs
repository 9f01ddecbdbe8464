/*
 * permissions.test.mjs — the permission table walked: every operation of
 * the route table (GET /api/v1/permissions lists them with the permission
 * each needs) × every role, and the field rules of an issue change.  A
 * role outside the row gets 403 with the table's own words before anything
 * is read or validated (the check is the operation's first statement); a
 * role inside it never gets that refusal.  Credentials too: a read token
 * writes nothing, an admin's write token administers nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { show, startServer } from './harness.mjs';

const LOGINS = { admin: 'admin', pm: 'pm1', cto: 'cto1', em: 'em1', engineer: 'eng1', viewer: 'viewer1' };
const PLURAL = { admin: 'admins', pm: 'PMs', cto: 'CTOs', em: 'EMs', engineer: 'engineers', viewer: 'viewers' };
const MISSING = 999999; /* no such row: an allowed role's call changes nothing */

let srv, table, byName;
before(async () => {
	srv = await startServer();
	const r = await srv.as('admin').get('/api/v1/permissions');
	assert.equal(r.status, 200, show(r));
	table = r.json;
	byName = new Map(table.permissions.map((p) => [p.name, p]));
});
after(() => srv?.kill());

function holders(p) {
	const names = p.roles.map((r) => PLURAL[r]);
	return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
function refusal(p, role) {
	return `only ${holders(p)} may ${p.what} (you are ${role})`;
}
function fill(path) {
	return path.replaceAll('{n}', String(MISSING)).replaceAll('{s}', 'nobody');
}
async function call(token, op) {
	if (op.path === '/api/v1/events') /* a stream that never ends: read its status only */
		return stream(token);
	const csv = op.path === '/api/v1/insights/import';
	return srv.api(op.method, fill(op.path), {
		token,
		...(op.method === 'GET' || op.method === 'DELETE'
			? {}
			: csv ? { raw: '', headers: { 'Content-Type': 'text/csv' } } : { body: {} }),
	});
}

async function stream(token) {
	const ac = new AbortController();
	const res = await fetch(`${srv.base}/api/v1/events`, { headers: { Authorization: `Bearer ${token}` }, signal: ac.signal });
	ac.abort();
	return { status: res.status, json: null, text: '' };
}

test('the table is served whole, readable by every role, and names what each role holds', async () => {
	assert.deepEqual(table.roles, ['admin', 'pm', 'cto', 'em', 'engineer', 'viewer']);
	assert.ok(table.permissions.length >= 20);
	for (const p of table.permissions) {
		assert.match(p.name, /^[a-z]+(\.[a-z_]+)?$/);
		assert.ok(['read', 'write', 'admin'].includes(p.credential), p.name);
		assert.ok(p.what.length > 3);
	}
	for (const [role, login] of Object.entries(LOGINS)) {
		const r = await srv.as(login).get('/api/v1/permissions');
		assert.equal(r.status, 200);
		const want = table.permissions.filter((p) => p.roles.includes(role)).map((p) => p.name);
		assert.deepEqual(r.json.you, want, role);
		const s = await srv.as(login).get('/api/v1/session');
		assert.deepEqual(s.json.permissions, want, `${role}: GET /session carries the same`);
	}
	assert.deepEqual(byName.get('read').roles, table.roles);
	assert.deepEqual(byName.get('admin').roles, ['admin']);
	const r = await srv.api('GET', '/api/v1/permissions');
	assert.equal(r.status, 401, 'not without credentials');
});

test('every operation × every role: refused exactly where the table says, in its words', async () => {
	const ops = table.operations;
	assert.ok(ops.length > 100, `${ops.length} operations`);
	const problems = [];
	let refusedSeen = 0;
	for (const op of ops) {
		const p = byName.get(op.permission);
		assert.ok(p, `${op.method} ${op.path}: unknown permission ${op.permission}`);
		for (const [role, login] of Object.entries(LOGINS)) {
			const r = await call(srv.tokens[login], op);
			const where = `${role} ${op.method} ${op.path} (${op.permission}): ${r.status} ${r.text.slice(0, 160)}`;
			if (r.status >= 500)
				problems.push(`5xx: ${where}`);
			if (p.roles.includes(role)) {
				if (r.status === 403 && r.json?.error?.message?.startsWith(`only ${holders(p)} may ${p.what}`))
					problems.push(`refused though allowed: ${where}`);
			} else {
				refusedSeen++;
				if (r.status !== 403 || r.json?.error?.code !== 'forbidden' ||
				    r.json.error.message !== refusal(p, role))
					problems.push(`not refused as the table says: ${where}`);
			}
		}
	}
	assert.deepEqual(problems, []);
	assert.ok(refusedSeen > 100, `${refusedSeen} refusals checked`);
});

test('credentials: a read token writes nothing, an admin write token administers nothing', async () => {
	const tok = async (scope) => {
		const r = await srv.as('admin').post('/api/v1/tokens', { name: `walk ${scope}`, scope });
		assert.equal(r.status, 201, show(r));
		return r.json.token;
	};
	const read = await tok('read'), write = await tok('write');
	const problems = [];
	for (const op of table.operations) {
		const p = byName.get(op.permission);
		if (p.credential === 'admin') {
			const r = await call(write, op);
			if (r.status !== 403 || !/scope admin/.test(r.json?.error?.message ?? ''))
				problems.push(`write token: ${op.method} ${op.path}: ${r.status} ${r.text.slice(0, 120)}`);
		}
		if (p.credential !== 'read' || op.method !== 'GET') {
			const r = await call(read, op);
			if (r.status !== 403)
				problems.push(`read token: ${op.method} ${op.path}: ${r.status} ${r.text.slice(0, 120)}`);
		}
	}
	assert.deepEqual(problems, []);
});

test('issue fields: each rule of the table, for every role, and the refusal names the field', async () => {
	const fields = [
		['pm_size', 'issue.pm_size', () => ({ pm_size: 'XL' }), 'pm_size'],
		['size', 'issue.size', () => ({ size: 'XL' }), 'size'],
		['rice', 'issue.rice', () => ({ rice_reach: '500' }), 'rice'],
		['milestone', 'issue.milestone', () => ({ milestone: null }), 'milestone'],
		['expected_at', 'issue.expected', () => ({ expected_at: null }), 'expected_at'],
		['board', 'board.product', () => ({ board: 'next' }), 'board'],
	];
	const problems = [];
	for (const [name, perm, body, field] of fields) {
		const p = byName.get(perm);
		for (const [role, login] of Object.entries(LOGINS)) {
			const issue = await srv.createIssue({ type: 'feature', title: `${name} by ${role}` });
			const r = await srv.as(login).patch(`/api/v1/issues/${issue.number}`, body(),
				{ headers: { 'If-Match': '*' } });
			const where = `${role} sets ${name}: ${r.status} ${r.text.slice(0, 160)}`;
			if (role === 'viewer') {
				if (r.status !== 403 || r.json.error.message !== refusal(byName.get('issue.write'), role))
					problems.push(where);
			} else if (p.roles.includes(role)) {
				if (r.status !== 200)
					problems.push(where);
			} else if (r.status !== 403 || r.json.error.field !== field ||
				   r.json.error.message !== refusal(p, role)) {
				problems.push(where);
			}
		}
	}
	assert.deepEqual(problems, []);
});

test('server shuts down cleanly', () => srv.stop());
