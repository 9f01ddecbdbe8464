// `cairn home`: what waits for the acting user, as text and as the API's
// JSON — assigned issues, mentions, the security section only for those
// who may see private issues (and no private issue for an engineer) — the
// real binary on a fresh database (SQLite, or PostgreSQL when
// CAIRN_TEST_DB is set).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { cliDb } from '../lib/cli.mjs';
import { addDays, todayYmd } from '../lib/clock.mjs';

const { ok, json, drop } = cliDb('home', { pia: 'pm', eli: 'engineer' });
after(drop);

test('home: text and --json agree; the security section for a PM only', () => {
	const a = json(['issue', 'new', 'Fix the export', '--assignee', 'eli'], { as: 'pia' });
	const sec = json(['issue', 'new', 'Token leak', '--type', 'security', '--assignee', 'eli'], { as: 'pia' });
	ok(['issue', 'comment', String(a.number), 'over to you @eli'], { as: 'pia' });
	ok(['issue', 'comment', String(sec.number), 'secret @eli'], { as: 'pia' });

	const h = json(['home'], { as: 'eli' });
	assert.equal(h.assigned.total, 1);
	assert.deepEqual(h.assigned.items.map((i) => i.number), [a.number]);
	assert.deepEqual(h.mentions.items.map((m) => [m.number, m.author]), [[a.number, 'pia']]);
	assert.equal(h.security, null);
	const t = ok(['home'], { as: 'eli' }).stdout;
	assert.match(t, new RegExp(`Assigned to me \\(1\\)\\n  #${a.number} +Fix the export`));
	assert.match(t, new RegExp(`Mentions\\n  #${a.number} +Fix the export +@pia`));
	assert.doesNotMatch(t, /Token leak|Security/);

	const p = json(['home'], { as: 'pia' });
	assert.deepEqual(p.mentions.items, []);
	assert.ok(p.security, 'a PM has the security section');
	const pt = ok(['home'], { as: 'pia' }).stdout;
	assert.match(pt, /Assigned to me \(0\)\n  nothing/);
	assert.match(pt, /Security overdue \(0\)/);
	assert.match(pt, /No milestone in progress/);

	// a running milestone with work left: its points and the forecast's 85 % day
	const today = todayYmd();
	const m = json(['milestone', 'new', 'Now', '--start', addDays(today, -2), '--due', addDays(today, 12)], { as: 'pia' });
	ok(['issue', 'edit', String(a.number), '--milestone', String(m.id), '--pm-size', 'M'], { as: 'pia' });
	const hm = json(['home'], { as: 'eli' }).milestone;
	assert.deepEqual([hm.id, hm.state, hm.items], [m.id, 'active', 1]);
	const mt = ok(['home'], { as: 'eli' }).stdout;
	assert.match(mt, new RegExp(`Milestone in progress: Now \\(${addDays(today, -2)} to ${addDays(today, 12)}\\): 0 of ${hm.load} points done`));
	assert.match(mt, /85 % likely done by (\d{4}-\d{2}-\d{2}|beyond the horizon); \d+ % by the due date/);
});
