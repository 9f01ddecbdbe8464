/*
 * rollup-recount.mjs — the numbers the maintained roll-ups serve (issue #12),
 * recomputed from scratch from the issues a reader sees (DESIGN.md §2,
 * written from the rules, not from the server's code).  Used by
 * rollups.test.mjs and rollup-walk.test.mjs.
 */
import assert from 'node:assert/strict';

/* The numbers of every issue in `seen` (a Map number -> issue as the list
 * gives it): an epic is the sum of its children, or its own size when they
 * add nothing; any other item its own size when sized (sized children are
 * then double booked), else its children's sum; done points likewise over
 * finished work; items, done items and unsized items (open, no size,
 * nothing sized above covers them) count the non-epics.  Items closed as
 * won't do or duplicate count for nobody above them; what the reader
 * cannot see is not there. */
export function recompute(seen) {
	const kids = new Map();
	for (const i of seen.values()) {
		if (i.parent && seen.has(i.parent) && i.close_reason === null) {
			if (!kids.has(i.parent))
				kids.set(i.parent, []);
			kids.get(i.parent).push(i);
		}
	}
	const memo = new Map();
	const calc = (i) => {
		if (memo.has(i.number))
			return memo.get(i.number);
		const k = { points: 0, done: 0, booked: 0, items: 0, doneItems: 0, unsized: 0 };
		for (const c of kids.get(i.number) || []) {
			const x = calc(c);
			k.points += x.points;
			k.done += x.done;
			k.booked += x.booked;
			k.items += x.items;
			k.doneItems += x.doneItems;
			k.unsized += x.unsized;
		}
		const epic = i.type === 'epic', pts = i.effective_size || 0, done = i.state === 'closed';
		const own = epic ? k.points === 0 : pts !== 0;
		const points = own ? pts : k.points;
		const doubleBooked = !epic && pts !== 0 && k.points !== 0;
		const r = {
			points,
			done: done ? points : own ? 0 : k.done,
			booked: k.booked + (doubleBooked ? 1 : 0),
			bookedBelow: k.booked,
			doubleBooked,
			items: k.items + (epic ? 0 : 1),
			doneItems: k.doneItems + (!epic && done ? 1 : 0),
			unsized: pts && (!epic || !k.points) ? 0 : k.unsized + (!epic && !done && !points ? 1 : 0),
		};
		memo.set(i.number, r);
		return r;
	};
	for (const i of seen.values())
		calc(i);
	return memo;
}

/* An area's numbers from scratch: its epics that still count (not closed
 * as won't do or duplicate) among those the reader sees, their points and
 * done points. */
export function areaOf(seen, want, areaId) {
	const epics = [...seen.values()].filter((i) => i.type === 'epic' && i.area === areaId && i.close_reason === null);
	return [epics.length, epics.reduce((s, i) => s + want.get(i.number).points, 0),
		epics.reduce((s, i) => s + want.get(i.number).done, 0)];
}

/* The counted part of an initiative's progress (not the derived ratio). */
export const progressOf = (ini) => {
	const { points, done_points, items, done_items, unsized, epics } = ini.progress;
	return { points, done_points, items, done_items, unsized, epics };
};

/* Every issue's served numbers (the list's rollup_size, double_booked,
 * double_booked_below) against want = recompute(seen). */
export function assertIssues(seen, want, ctx) {
	for (const i of seen.values()) {
		const w = want.get(i.number);
		const at = `${ctx.login}, #${i.number} (${i.type}) ${ctx.why}`;
		assert.equal(i.rollup_size, w.points || i.effective_size || 0, `rollup_size of ${at}`);
		assert.equal(i.double_booked, w.doubleBooked, `double_booked of ${at}`);
		assert.equal(i.double_booked_below, w.bookedBelow, `double_booked_below of ${at}`);
	}
}

/* The product board's columns (count and points, a tally kept on write,
 * #17) against the issues the reader sees. */
export function assertBoard(columns, seen, ctx) {
	for (const col of columns) {
		const inCol = [...seen.values()].filter((i) => i.board === col.key);
		assert.deepEqual([col.count, col.points],
			[inCol.length, inCol.reduce((s, i) => s + (i.effective_size || 0), 0)],
			`product board column ${col.key} for ${ctx.login} ${ctx.why}`);
	}
}

/* An initiative's progress from scratch: its epics' (GET
 * /initiatives/{id}'s epics) numbers, summed; each epic's points checked. */
export function initiativeSum(epics, want, ctx) {
	const sum = { points: 0, done_points: 0, items: 0, done_items: 0, unsized: 0, epics: 0 };
	for (const e of epics) {
		const w = want.get(e.number);
		assert.ok(w, `epic #${e.number} of the initiative is visible to ${ctx.login}`);
		assert.deepEqual([e.points, e.done_points], [w.points, w.done], `epic #${e.number} for ${ctx.login} ${ctx.why}`);
		sum.points += w.points;
		sum.done_points += w.done;
		sum.items += w.items;
		sum.done_items += w.doneItems;
		sum.unsized += w.unsized;
		sum.epics++;
	}
	return sum;
}
