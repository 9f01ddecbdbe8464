// Browser test of planning on the realistic demo product (`cairn demo`):
// what a PM sees on the boards and milestone pages when the data is not a
// hand-made story but a year of milestone history — a real server on a fresh
// database, Debian's Chromium through playwright-core (tests/e2e/lib.mjs).
//
//   (1) the development board filtered to the active milestone: every column
//       shows its count and points as the API counts them, Todo shows its
//       load against the limit, work is in flight
//   (2) the product board: the nine columns, counts as the API counts them
//   (3) the active milestone: capacity vs load, a burn-up with one point per
//       day from the start to today, the forecast's probability and dates
//   (4) a closed milestone that slipped: the report's numbers, every slipped
//       item with its reason, the repeat slippers
//   (5) the milestone list: the demo calendar (13 closed, running, next), states, velocity
//   (6) the investment allocation by quarter over the demo's year
//   Screenshots: tests/e2e/screenshots/demo-board-dev.png, demo-board-product.png,
//   demo-milestone-active.png, demo-milestone-closed.png, demo-milestones.png,
//   demo-allocation.png.
//
//   node --test tests/e2e/planning_demo.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, cli, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { todayYmd } from '../lib/clock.mjs';

const DEV_COLUMNS = ['todo', 'up_next', 'in_design', 'in_progress', 'review', 'verify', 'done'];
const PRODUCT_COLUMNS = [
	['no_status', 'No Status'], ['under_review', 'Support & Under Review'], ['next', 'Next'], ['short', 'Short'],
	['medium', 'Medium'], ['long', 'Long'], ['icebox', 'Icebox'], ['started', 'Started'], ['closed', 'Closed'],
];

let e;
let page;
let milestones;   // GET /milestones
let active;       // the active milestone
let closed;       // the closed milestone under test (4)
let nms, nclosed; // the demo's calendar, as `cairn demo` reports it

/* YYYY-MM-DD today (UTC, the server's calendar). */
const todayUtc = todayYmd;

/* The page's date format (fmt.js dateText: en-US, UTC day, with the year). */
const dayYear = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
function dateText(ymd) {
	const [y, m, d] = ymd.split('-').map(Number);
	return dayYear.format(new Date(Date.UTC(y, m - 1, d)));
}

/* board.js shortDay: "Dec 10" (en-US, UTC day). */
const dayShort = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
function shortDay(ymd) {
	const [y, m, d] = ymd.split('-').map(Number);
	return dayShort.format(new Date(Date.UTC(y, m - 1, d)));
}

/* fmt.js num(n, 1): "25.7", "32". */
const num1 = (n) => String(Number(Number(n).toFixed(1)));
/* milestone.js ptsText: "1 pt", "25 pts". */
const ptsText = (n) => `${num1(n)} pt${Number(n) === 1 ? '' : 's'}`;

async function ok(method, p, body, status = 200) {
	const r = await api(e, method, p, body);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

const col = (key) => page.getByTestId(`col-${key}`);
const cardsIn = (key) => col(key).locator('[data-testid="card"]');
const textOf = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ').trim();
/* The text as written (headings are upper-cased by the style sheet). */
const rawText = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

/* Let the toasts fade before a screenshot. */
const settle = () => page.waitForTimeout(3200);

/* "x,y x,y ..." → [[x, y], ...] */
function pairs(points) {
	return points.trim().split(/\s+/).map((p) => {
		assert.match(p, /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);
		return p.split(',').map(Number);
	});
}

describe('Planning on the demo product, as a PM sees it', { timeout: 300000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-plan-demo-');
		page = e.page;
		// The demo product in the database the server already runs on; the
		// admin from setUp keeps its password (the demo skips existing users).
		const out = cli(e.db, ['demo']);
		assert.match(out, /demo product created/);
		// the calendar the demo says it made: a year of closed milestones, the running one, the next
		const said = out.match(/(\d+) milestones \((\d+) closed, 1 running, (\d+) next\)/);
		assert.ok(said, out);
		[nms, nclosed] = said.slice(1, 3).map(Number);
		assert.ok(nclosed >= 13, `a year of 4-week milestones: ${out}`);

		milestones = await ok('GET', '/milestones');
		const states = milestones.items.map((m) => m.state);
		assert.equal(milestones.items.length, nms, 'the demo calendar');
		assert.equal(states.filter((s) => s === 'closed').length, nclosed);
		assert.equal(states.filter((s) => s === 'active').length, 1);
		assert.equal(states.filter((s) => s === 'planned').length, nms - nclosed - 1);
		// titles count up to the running 2.31 and the next 2.32
		assert.deepEqual(milestones.items.map((m) => m.title), milestones.items.map((m, k) => `2.${32 - nms + 1 + k}`));
		assert.equal(milestones.items[nclosed].title, '2.31');
		active = milestones.items.find((m) => m.state === 'active');

		// A closed milestone that slipped (the one with the most repeat
		// slippers, then the most items); else the closed one with most items.
		const cands = [];
		for (const m of milestones.items.filter((x) => x.state === 'closed')) {
			cands.push({ m, rep: await ok('GET', `/milestones/${m.id}/report`) });
		}
		const slipped = cands.filter((c) => c.rep.slipped.count > 0);
		const pool = slipped.length ? slipped : cands;
		pool.sort((a, b) => (b.rep.repeat_slippers.length - a.rep.repeat_slippers.length) || (b.m.items - a.m.items));
		closed = pool[0].m;

		await loginWithKeyboard(e, 'admin', e.password);
	});

	after(async () => {
		await tearDown(e);
	});

	it('(1) the development board on the active milestone: counts, points, the Todo limit, work in flight', async () => {
		const board = await ok('GET', `/boards/dev?milestone=${active.id}`);
		const whole = await ok('GET', '/boards/dev');
		await page.goto(`${e.base}/boards/dev?milestone=${active.id}`);
		await page.getByRole('heading', { name: 'Development board' }).waitFor();
		await col('todo').locator('.board-col-name').waitFor();
		assert.equal(await page.getByTestId('milestone-select').inputValue(), String(active.id));
		// The picker names the milestone (after the list arrives), not "Milestone 7".
		await page.waitForFunction(() => /·/.test(document.querySelector('[data-testid="milestone-select"]').selectedOptions[0]?.textContent || ''));
		const picked = await page.getByTestId('milestone-select').evaluate((s) => s.selectedOptions[0].textContent);
		assert.match(picked, new RegExp(`^${active.title.replace('.', '\\.')} · .* · active$`));

		assert.deepEqual(await page.locator('[data-testid^="col-"].board-col').evaluateAll((els) => els.map((el) => el.dataset.column)), DEV_COLUMNS);
		for (const c of board.columns) {
			const count = await textOf(col(c.key).getByTestId('col-count'));
			assert.equal(count, String(c.count), `${c.key}: the count as the API counts it`);
			const shown = Math.min(c.count, 50);
			assert.equal(await cardsIn(c.key).count(), shown, `${c.key}: one card per item`);
			if (c.key !== 'todo') {
				assert.equal(await textOf(col(c.key).getByTestId('col-points')), `${c.points} pt${c.points === 1 ? '' : 's'}`, `${c.key}: points`);
			}
		}
		// Only the milestone's items are on the board.
		const scope = new Set((await ok('GET', `/milestones/${active.id}`)).scope.filter((s) => !s.removed).map((s) => s.number));
		const onBoard = await page.locator('[data-testid="card"]').evaluateAll((els) => els.map((el) => Number(el.dataset.number)));
		assert.ok(onBoard.length > 0, 'the active milestone has cards');
		for (const num of onBoard) assert.ok(scope.has(num), `#${num} is in milestone ${active.title}`);

		// Todo: the whole column's load against the limit, and this milestone's share.
		const wholeTodo = whole.columns.find((c) => c.key === 'todo');
		const limit = board.todo_limit;
		assert.ok(Number.isFinite(limit) && limit > 0, 'the demo has a Todo limit');
		await col('todo').getByTestId('col-sub').waitFor();
		assert.equal(await textOf(col('todo').getByTestId('col-points')), `${wholeTodo.points} / ${limit} pts`);
		const todoMs = board.columns.find((c) => c.key === 'todo').points;
		assert.equal(await textOf(col('todo').getByTestId('col-sub')), `${todoMs} pt${todoMs === 1 ? '' : 's'} from this milestone`);
		assert.equal(await col('todo').evaluate((el) => el.classList.contains('col-over')), wholeTodo.points > limit);

		// Work in flight: at least one card in an in-progress-like column.
		let inFlight = 0;
		for (const key of ['in_design', 'in_progress', 'review', 'verify']) inFlight += await cardsIn(key).count();
		assert.ok(inFlight >= 1, 'something is being worked on in the active milestone');
		// The cards carry their number, title and size.
		const first = board.columns.find((c) => ['in_progress', 'review', 'verify', 'in_design'].includes(c.key) && c.items.length).items[0];
		const cardText = await textOf(page.locator(`[data-testid="card"][data-number="${first.number}"]`));
		assert.ok(cardText.includes(`#${first.number}`) && cardText.includes(first.title), cardText);
		if (first.size_letter) assert.match(cardText, new RegExp(`\\b${first.size_letter}\\b`));
		// An expected date reads "exp. Nov 30".
		const exp = page.locator('[data-testid="card"] .card-expected').first();
		if (await exp.count()) assert.match(await textOf(exp), /^exp\. [A-Z][a-z]{2} \d{1,2}$/);
		// At 1360 px the seven columns fit side by side: no sideways scrolling, no edge fade.
		const fits = await page.getByTestId('board').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
		assert.ok(fits, 'the development board fits seven columns at 1360 px');
		assert.equal(await page.locator('.board-wrap.more-right').count(), 0);

		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'demo-board-dev.png') });
	});

	it('(2) the product board: nine columns with the API’s counts', async () => {
		const board = await ok('GET', '/boards/product');
		await page.goto(`${e.base}/boards/product`);
		await page.getByRole('heading', { name: 'Product board' }).waitFor();
		await col('no_status').locator('.board-col-name').waitFor();
		const names = await page.locator('.board-col-name').allInnerTexts();
		assert.deepEqual(names.map((s) => s.trim()), PRODUCT_COLUMNS.map(([, n]) => n));
		assert.ok(names.map((s) => s.trim()).includes('Support & Under Review'));
		assert.deepEqual(board.columns.map((c) => c.key), PRODUCT_COLUMNS.map(([k]) => k));
		let total = 0;
		for (const c of board.columns) {
			assert.equal(await textOf(col(c.key).getByTestId('col-count')), String(c.count), `${c.key}: count`);
			assert.equal(await textOf(col(c.key).getByTestId('col-points')), `${c.points} pt${c.points === 1 ? '' : 's'}`, `${c.key}: points`);
			assert.equal(await cardsIn(c.key).count(), Math.min(c.count, 50), `${c.key}: first page of cards`);
			total += c.count;
		}
		assert.ok(total >= 150, `the demo's issues are on the product board (${total})`);
		// Nine columns do not fit at 1360 px: the board scrolls sideways and its right edge says so.
		assert.ok(await page.getByTestId('board').evaluate((el) => el.scrollWidth > el.clientWidth));
		await page.locator('.board-wrap.more-right').waitFor();
		assert.equal(await page.locator('.board-wrap.more-left').count(), 0);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'demo-board-product.png') });
	});

	it('(3) the active milestone: load, a burn-up from the start to today, the forecast', async () => {
		const m = await ok('GET', `/milestones/${active.id}`);
		const burn = await ok('GET', `/milestones/${active.id}/burnup`);
		const fc = await ok('GET', `/milestones/${active.id}/forecast?seed=1`);
		await page.goto(`${e.base}/milestones/${active.id}`);
		await page.getByTestId('ms-title').filter({ hasText: active.title }).waitFor();
		assert.match(await textOf(page.locator('.issue-meta')), /Active/);
		assert.match(await textOf(page.locator('.issue-meta')), new RegExp(`${dateText(m.start)} → ${dateText(m.due)}`));
		// over capacity the figure carries a warning and says by how much
		const over = m.load > m.capacity ? m.load - m.capacity : 0;
		assert.equal(await textOf(page.locator('.ms-facts').getByTestId('capacity')),
			over ? `⚠ ${m.load} / ${m.capacity} pts (${over} points over capacity)` : `${m.load} / ${m.capacity} pts`);
		assert.equal(await textOf(page.getByTestId('ms-done')), ptsText(m.done_points));
		assert.equal(await textOf(page.getByTestId('ms-velocity')), num1(m.velocity));

		// The burn-up: one entry per day from the start to today.
		assert.equal(burn.days[0].date, m.start);
		assert.equal(burn.days[burn.days.length - 1].date, todayUtc() <= m.due ? todayUtc() : m.due);
		const expectDays = Math.round((Date.parse(burn.days[burn.days.length - 1].date) - Date.parse(m.start)) / 86400000) + 1;
		assert.equal(burn.days.length, expectDays, 'no day missing');
		const chart = page.getByTestId('burnup-svg');
		await chart.waitFor();
		const scope = pairs(await chart.locator('polyline[data-testid="line-scope"]').getAttribute('points'));
		const done = pairs(await chart.locator('polyline[data-testid="line-done"]').getAttribute('points'));
		for (const line of [scope, done]) {
			assert.equal(line.length, burn.days.length + 1, 'the start, then one point per day');
			for (let i = 1; i < line.length; i++) assert.ok(line[i][0] > line[i - 1][0], 'days go left to right');
		}
		for (let i = 0; i < scope.length; i++) {
			assert.equal(scope[i][0], done[i][0]);
			assert.ok(done[i][1] >= scope[i][1] - 0.05, 'done never above scope');
		}
		// The last day's done is drawn at its height: done/scope as a share of the plot.
		const last = burn.days[burn.days.length - 1];
		const base = Number(await chart.locator('line.ax-base').getAttribute('y1'));
		const topY = Math.min(...scope.map(([, y]) => y));
		if (last.scope > 0 && last.done > 0) {
			const ratio = (base - done[done.length - 1][1]) / (base - scope[scope.length - 1][1]);
			assert.ok(Math.abs(ratio - last.done / last.scope) < 0.02, `done/scope drawn ${ratio} vs ${last.done / last.scope}`);
		}
		assert.ok(topY < base);
		// The today line sits after the last point's day start, the due line at the end.
		assert.equal(await chart.locator('line.mk-today').count(), 1);
		assert.equal(await chart.locator('line.mk-due').count(), 1);
		assert.match(await chart.locator('text.ax-due').textContent(), /^Due /);

		// The forecast: a probability in % and the 50/85/95 % dates.
		const forecast = page.getByTestId('forecast');
		await forecast.waitFor();
		assert.ok(fc.remaining > 0, 'the active milestone has work left');
		assert.equal(await textOf(page.getByTestId('fc-probability')), `${Math.round(fc.probability * 100)} %`);
		assert.match(await textOf(forecast), new RegExp(`chance to finish the remaining ${ptsText(fc.remaining)} by the due date \\(${dateText(m.due)}\\)`));
		// Earlier milestones' open work comes first: named when there is any.
		if (fc.ahead > 0) assert.match(await textOf(forecast), new RegExp(`after ${ptsText(fc.ahead)} still open in earlier milestones`));
		else assert.doesNotMatch(await textOf(forecast), /earlier milestones/);
		// "Likely done by Dec 10 (50 %), Dec 17 (85 %), Dec 23 (95 %)." (the year when not the due date's)
		const fcDay = (d) => (!d ? 'not within five years' : d.slice(0, 4) === m.due.slice(0, 4) ? shortDay(d) : dateText(d));
		assert.match(await textOf(forecast), new RegExp(`Likely done by ${fcDay(fc.p50)} \\(50 %\\), ${fcDay(fc.p85)} \\(85 %\\), ${fcDay(fc.p95)} \\(95 %\\)\\.`));
		for (const p of ['50', '85', '95']) {
			assert.equal(await textOf(page.getByTestId(`fc-${p}`)), `${fcDay(fc[`p${p}`])} (${p} %)`);
		}
		// The legend names the forecast markers the chart draws, and only those.
		const markers = [];
		for (const p of ['50', '85', '95']) if (await chart.locator(`[data-testid="fc-marker-${p}"]`).count()) markers.push(p);
		if (markers.length) assert.equal(await textOf(page.getByTestId('lg-forecast')), `Forecast ${markers.join(' / ')} %`);
		else assert.equal(await page.getByTestId('lg-forecast').count(), 0);
		assert.equal(await chart.locator('text.ax-today').textContent(), 'today (UTC)');
		// The y axis ends at the first nice tick at or above the highest value (40 → 40, not 60).
		const yLabels = (await chart.locator('text.ax-label[text-anchor="end"]').allTextContents()).filter((t) => /^\d/.test(t)).map(Number);
		const maxY = Math.max(...burn.days.map((d) => Math.max(d.scope, d.done)), m.capacity);
		const yTop = Math.max(...yLabels);
		assert.ok(yTop >= maxY && yLabels.length <= 6 && yTop - maxY < yTop / (yLabels.length - 1), `y axis ${yLabels} for a max of ${maxY}`);
		// No x tick label runs into the due label.
		const boxes = await chart.locator('text.ax-label').evaluateAll((els) => els.map((el) => {
			const bb = el.getBBox();
			return { cls: el.getAttribute('class'), line: el.getAttribute('y'), t: el.textContent, x: bb.x, width: bb.width };
		}));
		const dueBox = boxes.find((b) => /ax-due/.test(b.cls));
		for (const b of boxes.filter((x) => x.line === dueBox.line && !/ax-due/.test(x.cls))) {
			assert.ok(b.x + b.width <= dueBox.x - 4 || b.x >= dueBox.x + dueBox.width + 4, `x tick "${b.t}" clear of "${dueBox.t}"`);
		}
		// The chart's data table agrees with the API.
		const rows = await page.locator('.chart-data tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
		assert.deepEqual(rows, burn.days.map((d) => [dateText(d.date), num1(d.scope), num1(d.done)]));

		// The scope table lists every stint.
		assert.equal(await page.getByTestId('scope-row').count(), m.scope.length);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'demo-milestone-active.png'), fullPage: true });
	});

	it('(4) a closed milestone: the report as the API counts it, slip reasons, repeat slippers', async () => {
		const m = await ok('GET', `/milestones/${closed.id}`);
		const rep = await ok('GET', `/milestones/${closed.id}/report`);
		await page.goto(`${e.base}/milestones/${closed.id}`);
		await page.getByTestId('ms-title').filter({ hasText: closed.title }).waitFor();
		assert.match(await textOf(page.locator('.issue-meta')), /Closed.*ended/);
		const report = page.getByTestId('report');
		await report.getByTestId('rep-committed').waitFor();
		for (const k of ['committed', 'shipped', 'slipped', 'added', 'removed']) {
			const box = await textOf(report.getByTestId(`rep-${k}`));
			assert.equal(box, `${rep[k].count} ${k} ${ptsText(rep[k].points)}`, `${k} box`);
		}
		assert.match(await textOf(report), new RegExp(`Committed at the start \\(${dateText(m.start)}\\) against what was done by the end of ${dateText(m.due)}`));
		const inScope = rep.committed.points + rep.added.points;
		if (inScope > 0) {
			assert.match(await textOf(report), new RegExp(`${Math.round((rep.shipped.points / inScope) * 100)} % of the points in scope shipped`));
		}
		// The milestone's outcome agrees with the report: scope = committed + added.
		assert.equal(m.scope_points, inScope);
		assert.equal(m.shipped_points, rep.shipped.points);
		assert.equal(m.slipped_points, rep.slipped.points);
		assert.equal(m.remaining, 0);
		assert.equal(await textOf(page.locator('.ms-facts').getByTestId('shipped')), `${num1(m.shipped_points)} / ${ptsText(m.scope_points)}`);
		assert.equal(await textOf(page.locator('.ms-facts').getByTestId('ms-slipped')), ptsText(m.slipped_points));
		assert.doesNotMatch(await textOf(page.locator('.ms-facts')), /capacity left/);

		const slippedItems = rep.items.filter((i) => i.slipped);
		assert.equal(slippedItems.length, rep.slipped.count, 'the API lists every slipped item');
		assert.match(await rawText(report.locator('h3.rep-h').first()), new RegExp(`^Slipped · ${rep.slipped.count}$`));
		if (rep.slipped.count > 0) {
			const lis = report.getByTestId('slipped').locator('li');
			assert.equal(await lis.count(), slippedItems.length);
			for (let k = 0; k < slippedItems.length; k++) {
				const it = slippedItems[k];
				const t = await textOf(lis.nth(k));
				assert.ok(t.startsWith(`#${it.number} ${it.title}`), t);
				assert.ok(t.includes(it.slip_reason ? `Reason: ${it.slip_reason}` : 'No slip reason given'), t);
			}
			assert.ok(slippedItems.some((i) => i.slip_reason), 'the demo gives slip reasons');
		}
		assert.match(await rawText(report.locator('h3.rep-h').nth(1)), new RegExp(`^Repeat slippers · ${rep.repeat_slippers.length}$`));
		if (rep.repeat_slippers.length) {
			const lis = report.getByTestId('repeat-slippers').locator('li');
			assert.equal(await lis.count(), rep.repeat_slippers.length);
			for (let k = 0; k < rep.repeat_slippers.length; k++) {
				const r = rep.repeat_slippers[k];
				const t = await textOf(lis.nth(k));
				assert.ok(t.includes(`#${r.number} ${r.title}`) && t.includes(`slipped ${r.slips}×`), t);
				for (const title of r.milestones || []) assert.ok(t.includes(title), `${t} names ${title}`);
			}
		} else {
			assert.match(await textOf(report), /No item has slipped more than once/);
		}
		// Slipped items are marked in the scope table too.
		for (const it of slippedItems) {
			const rowEl = page.locator(`[data-testid="scope-row"][data-number="${it.number}"]`);
			assert.ok(await rowEl.count() >= 1, `#${it.number} in the scope`);
			assert.equal(await rowEl.first().getByTestId('mark-slipped').count(), 1, `#${it.number} marked slipped`);
		}
		assert.equal(await page.getByTestId('scope').getByTestId('mark-slipped').count(), m.scope.filter((s) => s.slipped).length);
		assert.match(await rawText(page.getByTestId('scope').locator('thead')), /Status now/);
		// A closed milestone: no forecast left to make (the outcome instead), no "today" line.
		const chart = page.getByTestId('burnup-svg');
		await chart.waitFor();
		assert.equal(await chart.locator('line.mk-today').count(), 0);
		assert.equal(await chart.locator('line.mk-fc').count(), 0);
		assert.equal(await page.getByTestId('lg-forecast').count(), 0);
		assert.equal(await page.getByTestId('forecast').count(), 0);
		assert.equal(await textOf(page.getByTestId('outcome')), m.slipped_points > 0
			? `Ended: ${num1(m.shipped_points)} of ${ptsText(m.scope_points)} shipped · ${ptsText(m.slipped_points)} slipped.`
			: `Ended: all ${ptsText(m.scope_points)} in scope shipped.`);
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'demo-milestone-closed.png'), fullPage: true });
	});

	it('(5) the milestone list: every milestone of the calendar, their states and the velocity', async () => {
		const list = await ok('GET', '/milestones');
		await page.getByTestId('nav-milestones').click();
		await page.getByRole('heading', { name: 'Milestones', exact: true }).waitFor();
		await page.locator('tr.ms-row').first().waitFor();
		assert.equal(await page.locator('tr.ms-row').count(), nms);
		assert.equal(await textOf(page.locator('.page-head .count')), `${nms} milestones`);
		assert.ok(list.velocity !== null, 'closed milestones give a velocity');
		assert.equal(await textOf(page.getByTestId('velocity')), num1(list.velocity));
		assert.match(await textOf(page.locator('.triage-stats')), /velocity · pts per milestone \(last 3\)/);
		// The velocity is the mean done points of the last three closed milestones.
		const last3 = list.items.filter((m) => m.state === 'closed').slice(-3);
		assert.ok(Math.abs(list.velocity - last3.reduce((s, m) => s + m.done_points, 0) / 3) < 0.051);
		assert.match(await textOf(page.locator('.triage-stats')), new RegExp(`${active.title.replace('.', '\\.')} active ·`));

		for (const m of list.items) {
			const row = page.locator(`tr.ms-row[data-id="${m.id}"]`);
			const cells = await row.locator('td').allInnerTexts();
			assert.equal(cells[0].trim(), m.title);
			assert.ok(cells[1].includes(dateText(m.start)) && cells[1].includes(dateText(m.due)), cells[1]);
			assert.equal(cells[2].trim(), { closed: 'Closed', active: 'Active', planned: 'Planned' }[m.state]);
			if (m.state === 'closed') {
				// Closed: shipped of the points in scope, and what slipped.
				assert.ok(cells[3].includes(`${num1(m.shipped_points)} / ${num1(m.scope_points)} pts`), cells[3]);
				assert.equal(cells[5].trim(), ptsText(m.slipped_points));
			} else {
				assert.ok(cells[3].includes(`${num1(m.load)} / ${num1(m.capacity)} pts`), cells[3]);
				assert.equal(cells[5].trim(), '—');
			}
			assert.equal(cells[4].trim(), ptsText(m.done_points));
			assert.equal(cells[6].trim(), String(m.items));
		}
		await settle();
		await page.screenshot({ path: path.join(SHOTS, 'demo-milestones.png'), fullPage: true });
	});

	it('(6) the investment allocation of the demo: a year by quarter, every whole quarter with pillars, unplanned work and bugs', async () => {
		await page.goto(`${e.base}/strategy/allocation?by=quarter&last=4`);
		await page.getByTestId('alloc-chart').waitFor();
		const q = await ok('GET', '/strategy/allocation?by=quarter&last=4');
		assert.equal(await page.getByTestId('alloc-row').count(), 4);
		assert.deepEqual(await page.getByTestId('alloc-row').evaluateAll((rows) => rows.map((r) => r.dataset.bucket)),
			q.buckets.map((b) => b.key));
		for (const b of q.buckets.slice(0, 3)) {
			assert.ok(b.points > 0, `${b.key} shipped work`);
			for (const kind of ['initiative', 'unplanned', 'bugs'])
				assert.ok(b.shares.some((s) => s.kind === kind && s.points > 0), `${b.key} ${kind}: ${JSON.stringify(b.shares)}`);
			// one segment per share in the bar
			assert.equal(await page.locator(`[data-testid="alloc-bar"][data-bucket="${b.key}"] rect`).count(), b.shares.length);
		}
		await settle();
		await page.getByTestId('allocation').screenshot({ path: path.join(SHOTS, 'demo-allocation.png') });
	});

	it('had no script errors in the page', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
