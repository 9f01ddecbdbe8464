// milestone.js — milestones (docs/API.md, "Planning: Milestones").
//
//   /milestones        every milestone by start date: dates, state, capacity
//                      vs load (closed: shipped vs the points in scope), done
//                      and slipped points; velocity; PMs and admins create
//                      one, or plan the next few on a cadence
//   /milestones/{id}   one milestone: capacity vs load, velocity, the burn-up
//                      (scope and done per day) with the Monte Carlo forecast
//                      (probability, 50/85/95 % dates; once closed, the
//                      outcome instead), the scope with its committed/added/
//                      removed/done/slipped marks, and the ship/slip report;
//                      its changelog checklist (headline items shipped
//                      without an entry, entries by state), "Draft entries
//                      from headline items" and the release notes (Markdown)
//
// Milestone dates are calendar days (YYYY-MM-DD, UTC days on the server);
// they are shown as dates with Intl, never shifted by the time zone.

import * as api from './api.js?v={{v}}';
import { h, replace, svg, uid } from './dom.js?v={{v}}';
import { dateText, num } from './fmt.js?v={{v}}';
import { typeBadge, stateBadge, field, select, notice, spinner, markInvalid, toast, can } from './ui.js?v={{v}}';
import { devStatusChip, shortDay } from './board.js?v={{v}}';
import { canDraftMilestone, canWriteEntries, copyButton } from './releases.js?v={{v}}';

export const WEEKDAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

export function canPlanMilestones(user) {
	return can(user, 'plan.write');
}

export function milestoneStateChip(state) {
	const s = String(state || 'planned').replace(/[^a-z]/g, '');
	const text = { planned: 'Planned', active: 'Active', closed: 'Closed' }[s] || s;
	return h('span', { class: `ms-state ms-state-${s}`, 'data-testid': 'ms-state' }, text);
}

function ptsText(n) {
	if (n === null || n === undefined || !Number.isFinite(Number(n))) return '—';
	return `${num(n, 1)} pt${Number(n) === 1 ? '' : 's'}`;
}

/* Load against capacity: a bar (the part over capacity in the warning
 * colour) and "34 / 40 pts". */
export function capacityBar(load, capacity, { large = false } = {}) {
	const l = Number(load) || 0;
	const c = Number(capacity) || 0;
	const over = c > 0 && l > c;
	const fill = h('span', { class: 'cap-fill' });
	const overEl = h('span', { class: 'cap-over' });
	if (c > 0) {
		const scale = Math.max(l, c);
		fill.style.width = `${(Math.min(l, c) / scale) * 100}%`;
		overEl.style.width = `${(Math.max(0, l - c) / scale) * 100}%`;
	} else {
		fill.style.width = l > 0 ? '100%' : '0%';
	}
	const text = c > 0 ? `${num(l, 1)} / ${num(c, 1)} pts` : `${num(l, 1)} pts · no capacity set`;
	return h('span', {
		class: `cap${over ? ' cap-is-over' : ''}${large ? ' cap-lg' : ''}`, 'data-testid': 'capacity',
		title: c > 0 ? `Load ${num(l, 1)} of ${num(c, 1)} points capacity${over ? ` — ${num(l - c, 1)} over` : ''}` : 'No capacity set',
	},
	h('span', { class: 'cap-track', 'aria-hidden': 'true' }, fill, overEl),
	h('span', { class: 'cap-text' }, over ? h('span', { class: 'cap-warn', 'aria-hidden': 'true' }, '⚠ ') : null, text,
		over ? h('span', { class: 'sr-only' }, ` (${num(l - c, 1)} points over capacity)`) : null));
}

function numOr(v, fallback) {
	return v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? fallback : Number(v);
}

/* What a milestone shipped and slipped of the points in its scope (every
 * stint counted in it: committed + added, removed ones too).  The API's
 * scope_points / shipped_points / slipped_points; else the report's
 * numbers; else load and done. */
export function outcomeOf(m, report) {
	const r = report || {};
	const pts = (k) => (r[k] ? Number(r[k].points) || 0 : null);
	const repScope = r.committed || r.added ? (pts('committed') || 0) + (pts('added') || 0) : null;
	const shipped = numOr(m.shipped_points, pts('shipped') ?? numOr(m.done_points, 0));
	const scope = numOr(m.scope_points, repScope ?? Math.max(numOr(m.load, 0), shipped));
	const slipped = numOr(m.slipped_points, pts('slipped') ?? (m.state === 'closed' ? Math.max(0, scope - shipped) : 0));
	return { shipped, scope, slipped };
}

/* Shipped (and slipped) against the points in scope: a bar and "20 / 30 pts". */
export function shipBar(shipped, scope, slipped, { large = false, suffix = '' } = {}) {
	const sh = Number(shipped) || 0;
	const sc = Number(scope) || 0;
	const sl = Number(slipped) || 0;
	const total = Math.max(sc, sh + sl);
	const fill = h('span', { class: 'ship-fill' });
	const slipEl = h('span', { class: 'ship-slip' });
	if (total > 0) {
		fill.style.width = `${(sh / total) * 100}%`;
		slipEl.style.width = `${(sl / total) * 100}%`;
	}
	const title = sc > 0 ? `${num(sh, 1)} of ${num(sc, 1)} points in scope shipped${sl > 0 ? ` · ${num(sl, 1)} slipped` : ''}` : 'Nothing was in scope';
	return h('span', { class: `cap ship${large ? ' cap-lg' : ''}`, 'data-testid': 'shipped', title },
		h('span', { class: 'cap-track', 'aria-hidden': 'true' }, fill, slipEl),
		h('span', { class: 'cap-text' }, `${num(sh, 1)} / ${num(sc, 1)} pts`, suffix ? h('span', { class: 'muted cap-suffix' }, suffix) : null));
}

function dateRange(m) {
	return h('span', { class: 'ms-dates' }, dateText(m.start), h('span', { class: 'muted', 'aria-label': 'to' }, ' → '), dateText(m.due));
}

/* Whole UTC days from today to YYYY-MM-DD. */
function daysTo(ymd) {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(ymd || ''));
	if (!m) return null;
	const now = new Date();
	return Math.round((Date.UTC(+m[1], +m[2] - 1, +m[3]) - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) / 86400000);
}

function whenText(m) {
	if (m.state === 'closed') return 'ended';
	if (m.state === 'planned') {
		const d = daysTo(m.start);
		return d === null ? '' : d <= 0 ? 'starts today' : `starts in ${d} day${d === 1 ? '' : 's'}`;
	}
	const d = daysTo(m.due);
	return d === null ? '' : d < 0 ? 'past due' : d === 0 ? 'due today' : `${d} day${d === 1 ? '' : 's'} left`;
}

/* A scope item's points (the API names them `points`; an issue has `effective_size`). */
function pointsOf(s) {
	const v = s.points !== undefined ? s.points : s.effective_size;
	return v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v);
}

/* The milestones an item slipped from: an array of titles (or already joined text). */
function slipMilestones(v) {
	if (Array.isArray(v)) return v.filter(Boolean).join(', ');
	return typeof v === 'string' ? v : '';
}

function isYmd(s) { return /^\d{4}-\d{2}-\d{2}$/.test(String(s || '')); }

/* ---------- /milestones ---------- */

export async function renderMilestones(ctx) {
	ctx.setTitle('Milestones');
	const mayPlan = canPlanMilestones(ctx.user);
	const count = h('span', { class: 'count' });
	const stats = h('div', { class: 'triage-stats' });
	const msg = h('div', { class: 'page-msg' });
	const results = h('div', { class: 'results' }, spinner());
	const forms = mayPlan ? h('div', { class: 'ms-forms' }, newForm(), planForm()) : null;

	replace(ctx.root, h('section', { class: 'page page-wide ms-page' },
		h('div', { class: 'page-head' }, h('h1', null, 'Milestones'), count,
			h('div', { class: 'page-head-spacer' }),
			h('a', { href: '/estimation', class: 'btn btn-sm btn-ghost', 'data-testid': 'calibration-link', title: 'Estimation calibration: cycle time per size' }, 'Calibration'),
			h('a', { href: '/boards/dev', class: 'btn btn-sm' }, 'Development board')),
		stats, msg, results, forms));

	async function load() {
		let data;
		try {
			data = await api.listMilestones();
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(msg, notice('error', `The milestones could not be loaded: ${err.message}`));
			replace(results);
			return;
		}
		if (!ctx.alive()) return;
		replace(msg);
		const items = (data && data.items) || [];
		replace(count, `${items.length} milestone${items.length === 1 ? '' : 's'}`);
		const active = items.find(m => m.state === 'active');
		replace(stats,
			h('div', { class: 'stat', title: 'Mean points done over the last 3 closed milestones' },
				h('span', { class: 'stat-value', 'data-testid': 'velocity' }, data.velocity === null || data.velocity === undefined ? '—' : num(data.velocity, 1)),
				h('span', { class: 'stat-label' }, data.velocity === null || data.velocity === undefined ? 'velocity · no closed milestone yet' : 'velocity · pts per milestone (last 3)')),
			active ? h('div', { class: 'stat' },
				h('span', { class: 'stat-value' }, h('a', { href: `/milestones/${active.id}` }, active.title)),
				h('span', { class: 'stat-label' }, `active · ${whenText(active)}`)) : null);
		if (!items.length) {
			replace(results, h('div', { class: 'empty' },
				h('p', { class: 'empty-title' }, 'No milestones yet'),
				h('p', { class: 'muted' }, mayPlan ? 'Create one below, or plan the next few on a cadence.' : 'A PM plans milestones here.')));
			return;
		}
		replace(results, h('table', { class: 'issues ms-table', 'data-testid': 'milestones' },
			h('caption', { class: 'sr-only' }, 'Milestones by start date'),
			h('colgroup', null, h('col', { class: 'c-ms-title' }), h('col', { class: 'c-ms-dates' }), h('col', { class: 'c-ms-state' }),
				h('col', { class: 'c-ms-cap' }), h('col', { class: 'c-ms-num' }), h('col', { class: 'c-ms-num' }), h('col', { class: 'c-ms-num' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, 'Milestone'),
				h('th', { scope: 'col' }, 'Dates'),
				h('th', { scope: 'col' }, 'State'),
				h('th', { scope: 'col' }, 'Load / capacity', h('span', { class: 'th-sub' }, ' · closed: shipped / in scope')),
				h('th', { scope: 'col', class: 'right' }, 'Done'),
				h('th', { scope: 'col', class: 'right', title: 'Points in scope not done by the due date' }, 'Slipped'),
				h('th', { scope: 'col', class: 'right' }, 'Items'))),
			h('tbody', null, items.map((m) => {
				const href = `/milestones/${m.id}`;
				const ended = m.state === 'closed';
				const o = outcomeOf(m);
				const tr = h('tr', { class: `issue-row ms-row ms-row-${String(m.state || '').replace(/[^a-z]/g, '')}`, dataset: { id: String(m.id) } },
					h('td', { class: 'title' }, h('a', { href, class: 'row-link' }, m.title)),
					h('td', null, dateRange(m), h('span', { class: 'muted ms-when' }, ` · ${whenText(m)}`)),
					h('td', null, milestoneStateChip(m.state)),
					h('td', null, ended ? shipBar(o.shipped, o.scope, o.slipped, { suffix: ' shipped' }) : capacityBar(m.load, m.capacity)),
					h('td', { class: 'right mono-num' }, ptsText(m.done_points)),
					h('td', { class: `right mono-num${ended && o.slipped > 0 ? ' slip-pts' : ''}`, 'data-testid': 'ms-slipped' },
						ended ? ptsText(o.slipped) : h('span', { class: 'muted', title: 'Known once the milestone has ended' }, '—')),
					h('td', { class: 'right mono-num' }, m.items === undefined ? '—' : String(m.items)));
				tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(href); });
				return tr;
			}))));
	}

	function newForm() {
		const title = h('input', { name: 'title', type: 'text', required: true, autocomplete: 'off', placeholder: '2.31' });
		const start = h('input', { name: 'start', type: 'date', required: true });
		const due = h('input', { name: 'due', type: 'date', required: true });
		const capacity = h('input', { name: 'capacity', type: 'number', min: 0, step: 1, inputmode: 'numeric', value: '40' });
		const fmsg = h('div', { class: 'form-msg' });
		const form = h('form', { class: 'card ms-form', novalidate: true, 'aria-labelledby': 'ms-new-h', 'data-testid': 'ms-new' },
			h('h2', { id: 'ms-new-h' }, 'New milestone'),
			h('div', { class: 'field-grid' },
				field('Title', title), field('Start', start), field('Due', due), field('Capacity (pts)', capacity)),
			fmsg,
			h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create milestone')));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(fmsg);
			markInvalid(form, null);
			const body = { title: title.value.trim(), start: start.value, due: due.value };
			if (capacity.value !== '') body.capacity = Number(capacity.value);
			for (const [k, ok] of [['title', !!body.title], ['start', isYmd(body.start)], ['due', isYmd(body.due)]]) {
				if (!ok) { markInvalid(form, k).focus(); replace(fmsg, notice('error', k === 'title' ? 'A title is required.' : `Choose the ${k} date.`)); return; }
			}
			try {
				const m = await api.createMilestone(body);
				if (!ctx.alive()) return;
				toast(`Milestone ${m && m.title ? m.title : body.title} created`);
				title.value = '';
				await load();
			} catch (err) {
				if (!ctx.alive() || err.status === 401) return;
				const bad = markInvalid(form, err.field);
				replace(fmsg, notice('error', err.message));
				if (bad) bad.focus();
			}
		});
		return form;
	}

	function planForm() {
		const every = select('every', [['1w', 'every week'], ['2w', 'every 2 weeks'], ['3w', 'every 3 weeks'], ['4w', 'every 4 weeks'], ['6w', 'every 6 weeks'], ['8w', 'every 8 weeks']], '4w');
		const weekday = select('weekday', WEEKDAYS, 'thu');
		const countIn = h('input', { name: 'count', type: 'number', min: 1, max: 26, step: 1, value: '3', inputmode: 'numeric' });
		const from = h('input', { name: 'from', type: 'date' });
		const capacity = h('input', { name: 'capacity', type: 'number', min: 0, step: 1, inputmode: 'numeric', placeholder: 'velocity' });
		const fmsg = h('div', { class: 'form-msg' });
		const form = h('form', { class: 'card ms-form', novalidate: true, 'aria-labelledby': 'ms-plan-h', 'data-testid': 'ms-plan' },
			h('h2', { id: 'ms-plan-h' }, 'Plan next'),
			h('div', { class: 'field-grid' },
				field('Cadence', every), field('Due on', weekday), field('How many', countIn),
				field('From', from, { hint: 'Default: the day after the last due date' }),
				field('Capacity (pts)', capacity, { hint: 'Default: the velocity' })),
			fmsg,
			h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Plan milestones')));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(fmsg);
			markInvalid(form, null);
			const body = { every: every.value, weekday: weekday.value, count: Number(countIn.value) || 1 };
			if (from.value) body.from = from.value;
			if (capacity.value !== '') body.capacity = Number(capacity.value);
			try {
				const res = await api.planMilestones(body);
				if (!ctx.alive()) return;
				const made = (res && res.items) || [];
				toast(`Planned ${made.length} milestone${made.length === 1 ? '' : 's'}${made.length ? `: ${made.map(m => m.title).join(', ')}` : ''}`);
				await load();
			} catch (err) {
				if (!ctx.alive() || err.status === 401) return;
				const bad = markInvalid(form, err.field);
				replace(fmsg, notice('error', err.message));
				if (bad) bad.focus();
			}
		});
		return form;
	}

	await load();
}

/* ---------- /milestones/{id} ---------- */

export async function renderMilestone(ctx) {
	const id = ctx.params.id;
	ctx.setTitle('Milestone');
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	const mayPlan = canPlanMilestones(ctx.user);

	let m = await api.getMilestone(id);
	if (!ctx.alive()) return;
	let burnup = null; let forecast = null; let report = null;
	let burnErr = null; let foreErr = null; let repErr = null;
	let editing = false;

	const head = h('div', { class: 'ms-head' });
	const pageMsg = h('div', { class: 'page-msg' });
	const facts = h('div', { class: 'triage-stats ms-facts' });
	const chartBox = h('section', { class: 'card ms-chart', 'aria-labelledby': 'burnup-h', 'data-testid': 'burnup' },
		h('h2', { id: 'burnup-h' }, 'Burn-up'), spinner());
	const reportBox = h('section', { class: 'card ms-report', 'aria-labelledby': 'report-h', 'data-testid': 'report' },
		h('h2', { id: 'report-h' }, 'Ship / slip'), spinner());
	const scopeBox = h('section', { class: 'ms-scope', 'aria-labelledby': 'scope-h', 'data-testid': 'scope' });
	const changelogBox = h('section', { class: 'ms-changelog', 'aria-labelledby': 'changelog-h', 'data-testid': 'ms-changelog' },
		h('div', { class: 'section-head' }, h('h2', { id: 'changelog-h' }, 'Changelog')), spinner());

	replace(ctx.root, h('article', { class: 'page page-wide ms-detail' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/milestones' }, 'Milestones'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, m.title)),
		head, pageMsg, facts,
		h('div', { class: 'ms-grid' }, chartBox, reportBox),
		changelogBox,
		scopeBox));

	function paint() {
		ctx.setTitle(`Milestone ${m.title}`);
		paintHead();
		paintFacts();
		paintScope();
	}

	function paintHead() {
		replace(head,
			h('div', { class: 'issue-title-row' },
				h('h1', { class: 'issue-title' }, h('span', { class: 'issue-num' }, 'Milestone '), h('span', { 'data-testid': 'ms-title' }, m.title)),
				mayPlan && !editing ? h('div', { class: 'issue-actions' },
					h('button', { type: 'button', class: 'btn', onclick: () => { editing = true; paintHead(); } }, 'Edit'),
					h('button', { type: 'button', class: 'btn btn-ghost', onclick: remove }, 'Delete')) : null),
			h('p', { class: 'issue-meta muted' }, milestoneStateChip(m.state), ' ', dateRange(m), h('span', null, whenText(m))),
			editing ? editForm() : null);
	}

	function fact(label, value, { testid, level, title } = {}) {
		return h('div', { class: `stat${level ? ` stat-${level}` : ''}`, title: title || null },
			h('span', { class: 'stat-value', 'data-testid': testid }, value), h('span', { class: 'stat-label' }, label));
	}

	function paintFacts() {
		const velocity = fact(m.velocity === null || m.velocity === undefined ? 'velocity · no closed milestone yet' : 'velocity · pts per milestone',
			m.velocity === null || m.velocity === undefined ? '—' : num(m.velocity, 1),
			{ testid: 'ms-velocity', title: 'Mean points done over the last 3 closed milestones' });
		const itemsFact = fact('items', String(m.items ?? (m.scope || []).length));
		if (m.state === 'closed') {
			// Ended: what shipped of the points in scope, what slipped; load = done now.
			const o = outcomeOf(m, report);
			replace(facts,
				h('div', { class: 'stat stat-cap' },
					shipBar(o.shipped, o.scope, o.slipped, { large: true }),
					h('span', { class: 'stat-label' }, 'shipped / in scope')),
				fact('slipped', ptsText(o.slipped), { testid: 'ms-slipped', level: o.slipped > 0 ? 'bad' : null }),
				fact('capacity', ptsText(m.capacity), { title: 'The capacity planned for this milestone' }),
				velocity, itemsFact);
			return;
		}
		const over = Number(m.capacity) > 0 && Number(m.load) > Number(m.capacity);
		const left = numOr(m.remaining, Math.max(0, numOr(m.load, 0) - numOr(m.done_points, 0)));
		replace(facts,
			h('div', { class: `stat stat-cap${over ? ' stat-warn' : ''}` },
				capacityBar(m.load, m.capacity, { large: true }),
				h('span', { class: 'stat-label' }, over ? 'load over capacity' : 'load / capacity')),
			fact('done', ptsText(m.done_points), { testid: 'ms-done' }),
			fact('left to do', ptsText(left), { testid: 'ms-remaining', title: 'Load minus done points' }),
			fact(m.capacity_left !== undefined && Number(m.capacity_left) < 0 ? 'over capacity' : 'capacity left',
				m.capacity_left === undefined || m.capacity_left === null ? '—' : ptsText(Math.abs(Number(m.capacity_left))),
				{ level: Number(m.capacity_left) < 0 ? 'bad' : null }),
			velocity, itemsFact);
	}

	/* ---- burn-up chart with the forecast ---- */

	function paintChart() {
		const parts = [h('h2', { id: 'burnup-h' }, 'Burn-up')];
		if (burnErr) { replace(chartBox, ...parts, notice('error', `The burn-up could not be loaded: ${burnErr}`)); return; }
		if (!burnup) { replace(chartBox, ...parts, spinner()); return; }
		const days = Array.isArray(burnup.days) ? burnup.days : [];
		const ended = m.state === 'closed';
		const chart = burnupChart(burnup, ended ? null : forecast, m);
		parts.push(chart);
		// Only the forecast markers the chart could draw go into the legend.
		const drawn = ['50', '85', '95'].filter(p => chart.querySelector(`[data-testid="fc-marker-${p}"]`));
		parts.push(h('div', { class: 'chart-legend', 'aria-hidden': 'true' },
			h('span', { class: 'lg lg-scope' }, 'Scope'), h('span', { class: 'lg lg-done' }, 'Done'),
			Number(m.capacity) > 0 ? h('span', { class: 'lg lg-cap' }, 'Capacity') : null,
			drawn.length ? h('span', { class: 'lg lg-fc', 'data-testid': 'lg-forecast' }, `Forecast ${drawn.join(' / ')} %`) : null));
		parts.push(ended ? outcomeText() : forecastText());
		if (days.length) {
			parts.push(h('details', { class: 'chart-data' }, h('summary', null, 'Data'),
				h('table', { class: 'ev-table' },
					h('caption', { class: 'sr-only' }, 'Scope and done points per day'),
					h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col', class: 'right' }, 'Scope'), h('th', { scope: 'col', class: 'right' }, 'Done'))),
					h('tbody', null, days.map(d => h('tr', null, h('td', null, dateText(d.date)),
						h('td', { class: 'right mono-num' }, num(d.scope, 1)), h('td', { class: 'right mono-num' }, num(d.done, 1))))))));
		}
		replace(chartBox, ...parts);
	}

	/* A closed milestone: no forecast, the outcome. */
	function outcomeText() {
		const o = outcomeOf(m, report);
		return h('div', { class: 'forecast outcome', 'data-testid': 'outcome' },
			h('p', { class: 'fc-main' }, h('strong', null, 'Ended: '),
				o.slipped > 0
					? [`${num(o.shipped, 1)} of ${ptsText(o.scope)} shipped · `, h('span', { class: 'slip-pts' }, `${ptsText(o.slipped)} slipped`)]
					: o.scope > 0 ? `all ${ptsText(o.scope)} in scope shipped` : 'nothing was in scope',
				'.'));
	}

	/* A forecast date: "Dec 10", with the year when it is not the due date's. */
	function fcDay(ymd) {
		if (!ymd) return 'not within five years';
		return String(ymd).slice(0, 4) === String(m.due || '').slice(0, 4) ? shortDay(ymd) : dateText(ymd);
	}

	function forecastText() {
		if (foreErr) return notice('warn', `No forecast: ${foreErr}`);
		if (!forecast) return h('p', { class: 'muted forecast' }, 'Forecasting…');
		const f = forecast;
		const prob = f.probability === null || f.probability === undefined ? null : Math.round(Number(f.probability) * 100);
		const level = prob === null ? '' : prob >= 85 ? 'good' : prob >= 50 ? 'fair' : 'poor';
		const ahead = numOr(f.ahead, 0);
		const when = (label, ymd) => h('span', { class: 'fc-date', 'data-testid': `fc-${label}` },
			h('strong', null, fcDay(ymd)), ' ', h('span', { class: 'fc-label' }, `(${label} %)`));
		if (Number(f.remaining) === 0) {
			return h('div', { class: 'forecast', 'data-testid': 'forecast' },
				Number(m.load) > 0
					? h('p', { class: 'fc-main' }, h('strong', null, 'Nothing left to do'), ' — every point in scope is done.')
					: h('p', { class: 'fc-main' }, h('strong', null, 'Nothing in scope yet'), ' — nothing to forecast.'));
		}
		return h('div', { class: 'forecast', 'data-testid': 'forecast' },
			h('p', { class: 'fc-main' },
				prob === null ? null : h('span', { class: `fc-prob fc-${level}`, 'data-testid': 'fc-probability' }, `${prob} %`),
				prob === null ? 'No forecast' : ' chance to finish the remaining ',
				h('strong', null, ptsText(f.remaining)), ` by the due date (${dateText(m.due)})`,
				ahead > 0 ? [', after ', h('strong', { 'data-testid': 'fc-ahead' }, ptsText(ahead)), ' still open in earlier milestones'] : null,
				'.'),
			f.p50 || f.p85 || f.p95
				? h('p', { class: 'fc-dates' }, 'Likely done by ', when('50', f.p50), ', ', when('85', f.p85), ', ', when('95', f.p95), '.')
				: h('p', { class: 'fc-dates' }, 'At the recent throughput the remaining work is not finished within five years.'),
			h('p', { class: 'muted fc-basis' },
				`Monte Carlo over the team's daily done points of the last ${f.throughput_days ?? 28} days (mean ${num(f.mean_daily, 1)} pts/day)${
					ahead > 0 ? '; the open work of earlier milestones comes first' : ''}.`));
	}

	/* ---- scope ---- */

	function mark(on, text, cls) {
		return on ? h('span', { class: `scope-mark mark-${cls}`, 'data-testid': `mark-${cls}` }, text) : null;
	}

	function paintScope() {
		const scope = Array.isArray(m.scope) ? m.scope : [];
		const head2 = h('div', { class: 'section-head' }, h('h2', { id: 'scope-h' }, 'Scope'),
			h('span', { class: 'muted' }, `${scope.filter(s => !s.removed).length} item${scope.filter(s => !s.removed).length === 1 ? '' : 's'}${scope.some(s => s.removed) ? ` · ${scope.filter(s => s.removed).length} removed` : ''}`),
			h('div', { class: 'page-head-spacer' }),
			h('a', { href: `/boards/dev?milestone=${m.id}`, class: 'btn btn-sm' }, 'Open on the development board'));
		if (!scope.length) {
			replace(scopeBox, head2, h('div', { class: 'card empty' }, h('p', { class: 'empty-title' }, 'Nothing in this milestone yet'),
				h('p', { class: 'muted' }, 'A PM sets the milestone on an issue (its page, or the issue edit form).')));
			return;
		}
		replace(scopeBox, head2, h('div', { class: 'results' }, h('table', { class: 'issues scope-table' },
			h('caption', { class: 'sr-only' }, `Scope of milestone ${m.title}`),
			h('colgroup', null, h('col', { class: 'c-num' }), h('col', { class: 'c-title' }), h('col', { class: 'c-type' }),
				h('col', { class: 'c-dev' }), h('col', { class: 'c-size' }), h('col', { class: 'c-marks' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, '#'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Type'),
				h('th', { scope: 'col', title: 'The item’s development status today' }, 'Status now'), h('th', { scope: 'col', class: 'right' }, 'Points'), h('th', { scope: 'col' }, 'Scope'))),
			h('tbody', null, scope.map((s) => {
				const href = `/issues/${s.number}`;
				const tr = h('tr', { class: `issue-row${s.removed ? ' scope-removed' : ''}${s.done ? ' scope-done' : ''}${s.slipped ? ' scope-slipped' : ''}`, dataset: { number: String(s.number) }, 'data-testid': 'scope-row' },
					h('td', { class: 'num' }, String(s.number)),
					h('td', { class: 'title' }, h('a', { href, class: 'row-link' }, s.title)),
					h('td', null, s.type ? typeBadge(s.type) : '—'),
					h('td', null, s.dev_status ? devStatusChip(s.dev_status) : (s.state ? stateBadge(s.state) : '—')),
					h('td', { class: 'right mono-num' }, pointsOf(s) === null ? h('span', { class: 'muted', title: 'Not sized' }, '—') : num(pointsOf(s), 1)),
					h('td', { class: 'marks' },
						mark(s.committed, 'Committed', 'committed'), mark(s.added, 'Added', 'added'),
						mark(s.removed, 'Removed', 'removed'), mark(s.done, 'Done', 'done'),
						s.slipped ? h('span', { class: 'scope-mark mark-slipped', 'data-testid': 'mark-slipped', title: s.slip_reason ? `Slipped: ${s.slip_reason}` : 'Slipped: not done by the due date' }, 'Slipped') : null));
				tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(href); });
				return tr;
			})))));
	}

	/* ---- ship / slip report ---- */

	function paintReport() {
		const title = h('h2', { id: 'report-h' }, 'Ship / slip');
		if (repErr) { replace(reportBox, title, notice('error', `The report could not be loaded: ${repErr}`)); return; }
		if (!report) { replace(reportBox, title, spinner()); return; }
		const r = report;
		const box = (key, label, cls) => {
			const v = r[key] || {};
			return h('div', { class: `rep-box rep-${cls}`, 'data-testid': `rep-${key}` },
				h('span', { class: 'rep-count' }, String(v.count ?? 0)),
				h('span', { class: 'rep-label' }, label),
				h('span', { class: 'rep-pts muted' }, ptsText(v.points ?? 0)));
		};
		const pts = (k) => Number((r[k] || {}).points) || 0;
		const shippedPts = pts('shipped');
		const slippedPts = pts('slipped');
		// The points in scope: committed + added (the removed ones included).
		const scopePts = r.committed || r.added ? pts('committed') + pts('added') : numOr(m.scope_points, 0);
		const total = Math.max(scopePts, shippedPts + slippedPts);
		const openPts = Math.max(0, total - shippedPts - slippedPts);
		const ended = m.state === 'closed';
		const planned = m.state === 'planned' && shippedPts === 0;
		const bar = h('div', { class: 'rep-bar', 'aria-hidden': 'true', 'data-testid': 'rep-bar' },
			h('span', { class: 'rep-bar-shipped' }), h('span', { class: 'rep-bar-slipped' }), h('span', { class: 'rep-bar-open' }));
		if (total > 0) {
			bar.children[0].style.width = `${(shippedPts / total) * 100}%`;
			bar.children[1].style.width = `${(slippedPts / total) * 100}%`;
			bar.children[2].style.width = `${(openPts / total) * 100}%`;
		}
		const key = (cls, text) => h('span', { class: `rep-key rep-key-${cls}` }, text);
		const items = Array.isArray(r.items) ? r.items : [];
		const slipped = items.filter(i => i.slipped);
		const repeat = Array.isArray(r.repeat_slippers) ? r.repeat_slippers : [];
		replace(reportBox, title,
			h('p', { class: 'muted rep-note' }, ended
				? `Committed at the start (${dateText(m.start)}) against what was done by the end of ${dateText(m.due)}.`
				: planned ? `Not started — committed = in scope on the start date (${dateText(m.start)}); the report is final after ${dateText(m.due)}.`
					: `So far — the report is final after ${dateText(m.due)}. Committed = in scope when the milestone started.`),
			h('div', { class: 'rep-boxes' },
				box('committed', 'committed', 'committed'), box('shipped', 'shipped', 'shipped'), box('slipped', 'slipped', 'slipped'),
				box('added', 'added', 'added'), box('removed', 'removed', 'removed')),
			total > 0 && !planned ? bar : null,
			total > 0 && !planned ? h('p', { class: 'rep-keys muted' },
				key('shipped', `${ptsText(shippedPts)} shipped`), ended || slippedPts > 0 ? key('slipped', `${ptsText(slippedPts)} slipped`) : null,
				openPts > 0 ? key('open', `${ptsText(openPts)} not done yet`) : null) : null,
			scopePts > 0 && !planned ? h('p', { class: 'rep-ratio muted', 'data-testid': 'rep-ratio' },
				`${Math.round((shippedPts / scopePts) * 100)} % of the points in scope shipped${ended ? '' : ' so far'} (${num(shippedPts, 1)} of ${ptsText(scopePts)}).`) : null,
			h('h3', { class: 'rep-h' }, 'Slipped', h('span', { class: 'muted' }, ` · ${slipped.length}`)),
			slipped.length
				? h('ul', { class: 'rep-list', 'data-testid': 'slipped' }, slipped.map(i => h('li', { class: 'rep-item' },
					h('a', { href: `/issues/${i.number}`, class: 'rep-num' }, `#${i.number}`),
					h('span', { class: 'rep-title' }, i.title),
					h('span', { class: 'rep-side muted' }, i.added ? h('span', { class: 'scope-mark mark-added' }, 'added') : null, ptsText(i.points)),
					h('div', { class: i.slip_reason ? 'rep-reason' : 'rep-reason muted' }, i.slip_reason ? `Reason: ${i.slip_reason}` : 'No slip reason given'))))
				: h('p', { class: 'muted rep-none' }, ended ? 'Nothing slipped.' : 'Nothing has slipped (yet).'),
			h('h3', { class: 'rep-h' }, 'Repeat slippers', h('span', { class: 'muted' }, ` · ${repeat.length}`)),
			repeat.length
				? h('ul', { class: 'rep-list', 'data-testid': 'repeat-slippers' }, repeat.map(i => h('li', { class: 'rep-item' },
					h('a', { href: `/issues/${i.number}`, class: 'rep-num' }, `#${i.number}`),
					h('span', { class: 'rep-title' }, i.title),
					h('span', { class: 'rep-side rep-slips' }, `slipped ${i.slips}×`),
					slipMilestones(i.milestones) ? h('div', { class: 'rep-reason muted' }, `in ${slipMilestones(i.milestones)}`) : null)))
				: h('p', { class: 'muted rep-none' }, 'No item has slipped more than once.'));
	}

	/* ---- edit / delete (PM, admin) ---- */

	function editForm() {
		const title = h('input', { name: 'title', type: 'text', value: m.title, required: true, autocomplete: 'off' });
		const start = h('input', { name: 'start', type: 'date', value: m.start || '' });
		const due = h('input', { name: 'due', type: 'date', value: m.due || '' });
		const capacity = h('input', { name: 'capacity', type: 'number', min: 0, step: 1, value: String(m.capacity ?? 0) });
		const fmsg = h('div', { class: 'form-msg' });
		const form = h('form', { class: 'edit-form ms-edit', novalidate: true, 'aria-label': 'Edit milestone' },
			h('div', { class: 'field-grid' }, field('Title', title), field('Start', start), field('Due', due), field('Capacity (pts)', capacity)),
			fmsg,
			h('div', { class: 'form-actions' },
				h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save'),
				h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { editing = false; paintHead(); } }, 'Cancel')));
		form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); editing = false; paintHead(); } });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			markInvalid(form, null);
			const body = {};
			if (title.value.trim() !== m.title) body.title = title.value.trim();
			if (start.value !== m.start) body.start = start.value;
			if (due.value !== m.due) body.due = due.value;
			if (Number(capacity.value) !== Number(m.capacity)) body.capacity = Number(capacity.value);
			if (!Object.keys(body).length) { editing = false; paintHead(); return; }
			try {
				await api.updateMilestone(m.id, body);
				if (!ctx.alive()) return;
				editing = false;
				toast('Milestone saved');
				await reload();
			} catch (err) {
				if (!ctx.alive() || err.status === 401) return;
				const bad = markInvalid(form, err.field);
				replace(fmsg, notice('error', err.message));
				if (bad) bad.focus();
			}
		});
		setTimeout(() => title.focus(), 0);
		return form;
	}

	async function remove() {
		if (!window.confirm(`Delete milestone ${m.title}?`)) return;
		try {
			await api.deleteMilestone(m.id);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		toast(`Milestone ${m.title} deleted`);
		ctx.navigate('/milestones');
	}

	async function reload() {
		try { m = await api.getMilestone(id); } catch (err) { if (err.status !== 401) replace(pageMsg, notice('error', err.message)); return; }
		if (!ctx.alive()) return;
		paint();
		loadCharts();
	}

	async function loadCharts() {
		// A closed milestone has nothing left to forecast.
		const ended = m.state === 'closed';
		const [b, f, r] = await Promise.allSettled([api.milestoneBurnup(id),
			ended ? Promise.resolve(null) : api.milestoneForecast(id, { seed: 1 }), api.milestoneReport(id)]);
		if (!ctx.alive()) return;
		burnup = b.status === 'fulfilled' ? b.value : null; burnErr = b.status === 'rejected' ? b.reason.message : null;
		forecast = f.status === 'fulfilled' ? f.value : null; foreErr = f.status === 'rejected' ? f.reason.message : null;
		report = r.status === 'fulfilled' ? r.value : null; repErr = r.status === 'rejected' ? r.reason.message : null;
		if (ended) paintFacts(); // the report fills in when the milestone lacks the outcome fields
		paintChart();
		paintReport();
	}

	/* ---- changelog: the checklist, drafting entries, release notes ---- */

	let checklist = null;
	let checklistErr = null;
	let draftMsg = null;
	let drafting = false;
	let notesOpen = false;
	let notes = null;       // the release notes as Markdown (null: not loaded)
	let notesErr = null;
	const notesBox = h('div', { class: 'cl-notes', id: uid('notes'), 'data-testid': 'release-notes-box', hidden: true });

	async function loadChangelog() {
		try {
			checklist = await api.milestoneChangelog(id);
			checklistErr = null;
		} catch (err) {
			if (err.status === 401) return;
			checklistErr = err.message;
		}
		if (ctx.alive()) paintChangelog();
	}

	function paintChangelog() {
		const title = h('h2', { id: 'changelog-h' }, 'Changelog');
		if (checklistErr) {
			replace(changelogBox, h('div', { class: 'section-head' }, title), notice('error', `The changelog checklist could not be loaded: ${checklistErr}`));
			return;
		}
		if (!checklist) { replace(changelogBox, h('div', { class: 'section-head' }, title), spinner()); return; }
		const c = checklist;
		const list = (k) => (Array.isArray(c[k]) ? c[k] : []);
		const missing = list('headline_without_entry');
		const pending = list('draft').length + list('in_review').length + list('approved').length;
		const published = list('published').length;
		const all = missing.length + pending + published;
		const mayDraft = canDraftMilestone(ctx.user);
		const summary = !all
			? 'No headline item has shipped and no entry is linked to this milestone yet.'
			: !missing.length && !pending
				? `✓ Every headline item has a published entry (${published}).`
				: [missing.length ? `${missing.length} headline item${missing.length === 1 ? '' : 's'} shipped without an entry` : null,
					pending ? `${pending} entr${pending === 1 ? 'y' : 'ies'} not published yet` : null,
					published ? `${published} published` : null].filter(Boolean).join(' · ');
		const entryItem = (e) => h('li', { class: 'cl-item', dataset: { id: String(e.id) }, 'data-testid': 'cl-entry' },
			h('a', { href: `/releases/${e.id}`, class: 'cl-link' }, e.title),
			h('span', { class: 'cl-meta muted' },
				(e.authors || []).length ? e.authors.join(', ') : null,
				Number(e.open_comments) ? h('span', { class: 'open-cmts' }, `${e.open_comments} open`) : null));
		const group = (key, label, items, render, cls = '') => h('div', { class: `cl-group ${cls}`, 'data-testid': `cl-${key}` },
			h('h3', { class: 'cl-h' }, label, h('span', { class: 'cl-count', 'data-testid': `cl-${key}-count` }, String(items.length))),
			items.length ? h('ul', { class: 'cl-list' }, items.map(render)) : h('p', { class: 'cl-none muted' }, 'None'));
		const notesBtn = h('button', {
			type: 'button', class: 'btn btn-sm', 'aria-expanded': notesOpen ? 'true' : 'false', 'aria-controls': notesBox.id,
			'data-testid': 'release-notes-toggle', onclick: toggleNotes,
		}, notesOpen ? 'Hide release notes' : 'Release notes');
		replace(changelogBox,
			h('div', { class: 'section-head' }, title,
				h('span', { class: 'muted cl-summary', 'data-testid': 'cl-summary' }, summary),
				h('div', { class: 'page-head-spacer' }),
				h('a', { href: `/releases?milestone=${m.id}`, class: 'btn btn-sm btn-ghost' }, 'All entries'),
				canWriteEntries(ctx.user) ? h('a', { href: `/releases/new?milestone=${m.id}`, class: 'btn btn-sm btn-ghost' }, 'New entry') : null,
				notesBtn,
				mayDraft ? h('button', {
					type: 'button', class: `btn btn-sm${missing.length ? ' btn-primary' : ''}`, disabled: drafting, 'data-testid': 'draft-entries', onclick: draftEntries,
					title: 'One draft per closed headline item that has no entry yet',
				}, drafting ? 'Drafting…' : 'Draft entries from headline items') : null),
			draftMsg,
			!all ? h('div', { class: 'card cl-empty', 'data-testid': 'cl-empty' },
				h('p', { class: 'muted' }, 'Label the items worth announcing ', h('code', null, 'headline'),
					': once they are closed, draft their entries here; or write one with New entry.')) : null,
			!all ? null : h('div', { class: 'card cl-board' },
				group('missing', 'Shipped without an entry', missing, i => h('li', { class: 'cl-item', 'data-testid': 'cl-missing-item' },
					h('a', { href: `/issues/${i.number}`, class: 'cl-link' }, h('span', { class: 'issue-num' }, `#${i.number}`), ' ', i.title)), missing.length ? 'cl-warn' : ''),
				group('draft', 'Draft', list('draft'), entryItem),
				group('in_review', 'In review', list('in_review'), entryItem),
				group('approved', 'Approved, not published', list('approved'), entryItem, list('approved').length ? 'cl-ready' : ''),
				group('published', 'Published', list('published'), entryItem, 'cl-done')),
			notesBox);
	}

	async function draftEntries() {
		if (drafting) return;
		drafting = true;
		draftMsg = null;
		paintChangelog();
		let res;
		try {
			res = await api.draftMilestoneChangelog(id);
		} catch (err) {
			drafting = false;
			if (!ctx.alive() || err.status === 401) return;
			draftMsg = notice('error', err.message);
			draftMsg.setAttribute('data-testid', 'draft-result');
			paintChangelog();
			return;
		}
		drafting = false;
		if (!ctx.alive()) return;
		const made = (res && Array.isArray(res.created)) ? res.created.length : 0;
		const existing = Number(res && res.existing) || 0;
		draftMsg = notice('info', `${made} drafted, ${existing} already had one.`);
		draftMsg.setAttribute('data-testid', 'draft-result');
		toast(`${made} drafted`);
		await loadChangelog();
		const b = changelogBox.querySelector('[data-testid="draft-entries"]');
		if (b) b.focus();
	}

	async function toggleNotes() {
		notesOpen = !notesOpen;
		notesBox.hidden = !notesOpen;
		const btn = changelogBox.querySelector('[data-testid="release-notes-toggle"]');
		if (btn) {
			btn.setAttribute('aria-expanded', notesOpen ? 'true' : 'false');
			btn.textContent = notesOpen ? 'Hide release notes' : 'Release notes';
		}
		if (!notesOpen) return;
		if (notes === null) {
			replace(notesBox, spinner());
			try {
				notes = await api.releaseNotesMarkdown(id);
				notesErr = null;
			} catch (err) {
				if (err.status === 401) return;
				notesErr = err.message;
			}
			if (!ctx.alive()) return;
		}
		paintNotes();
	}

	function paintNotes() {
		if (notesErr) { replace(notesBox, notice('error', `The release notes could not be loaded: ${notesErr}`)); return; }
		replace(notesBox, h('div', { class: 'card cl-notes-card' },
			h('div', { class: 'cl-notes-head' },
				h('h3', { class: 'cl-h' }, 'Release notes', h('span', { class: 'muted cl-notes-sub' }, ' · Markdown, Keep a Changelog style; every closed item')),
				h('div', { class: 'page-head-spacer' }),
				copyButton(() => notes || '', { label: 'Copy', testid: 'release-notes-copy', what: 'Release notes' })),
			h('pre', { class: 'cl-notes-md', 'data-testid': 'release-notes', tabindex: '0', 'aria-label': `Release notes of ${m.title}` }, notes || '')));
	}

	paint();
	await Promise.all([loadCharts(), loadChangelog()]);
}

/* ---------- the burn-up chart (inline SVG) ---------- */

const DAY = 86400000;
function dayNum(ymd) {
	const mm = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(ymd || ''));
	return mm ? Date.UTC(+mm[1], +mm[2] - 1, +mm[3]) / DAY : null;
}
function ymdOf(n) { return new Date(n * DAY).toISOString().slice(0, 10); }

function text(attrs, s) {
	return svg('text', attrs, document.createTextNode(s));
}

/* A "nice" y axis for values up to max: about five intervals (3 to 5) of a
 * step out of 1, 2, 2.5, 5, 10, 12.5, 20, 25, 50, … with the lowest top
 * (whole-number steps preferred);
 * max 40 → 0–40 by 10, max 42 → 0–50 by 10, max 7 → 0–8 by 2. */
export function niceScale(max) {
	const m = Math.max(1, Number(max) || 0);
	const steps = [];
	for (let pow = 1; pow <= 1e7; pow *= 10) {
		for (const x of pow >= 10 ? [1, 1.25, 2, 2.5, 5] : [1, 2, 2.5, 5]) steps.push(x * pow);
	}
	const cands = steps.map(step => ({ step, n: Math.max(1, Math.ceil(m / step - 1e-9)) })).filter(c => c.n <= 5)
		.map(c => ({ ...c, top: c.n * c.step }));
	const pool = cands.some(c => c.n >= 3) ? cands.filter(c => c.n >= 3) : cands;
	// whole-number steps first (12.5 and 2.5 only when nothing else fits), then the lowest top
	pool.sort((a, b) => (Number.isInteger(b.step) - Number.isInteger(a.step)) || (a.top - b.top) || (b.n - a.n));
	const best = pool[0] || { top: m, step: m };
	return { top: best.top, step: best.step };
}

export function burnupChart(burnup, forecast, m) {
	const W = 760; const H = 300;
	const L = 44; const R = 18; const T = 26; const B = 34;
	const days = (Array.isArray(burnup.days) ? burnup.days : []).filter(d => dayNum(d.date) !== null);
	const start = dayNum(burnup.start || m.start) ?? (days.length ? dayNum(days[0].date) : 0);
	const due = dayNum(burnup.due || m.due) ?? start + 14;
	// Show the forecast dates when they fall in a sensible window past the due date.
	const span = Math.max(1, due - start + 1);
	const fc = forecast ? [['50', forecast.p50], ['85', forecast.p85], ['95', forecast.p95]]
		.map(([p, d]) => [p, dayNum(d), d]).filter(([, n]) => n !== null) : [];
	const lastFc = fc.length ? Math.max(...fc.map(([, n]) => n)) : null;
	let end = due + 1; // the end of the due day
	if (lastFc !== null && lastFc + 1 > end && lastFc + 1 <= due + 1 + span) end = lastFc + 1;
	const x0 = start;
	const xs = (n) => L + ((n - x0) / Math.max(1, end - x0)) * (W - L - R);
	const maxY = Math.max(1, ...days.map(d => Number(d.scope) || 0), ...days.map(d => Number(d.done) || 0), Number(m.capacity) || 0);
	const { top, step } = niceScale(maxY);
	const ys = (v) => T + (1 - v / top) * (H - T - B);
	const dueX = xs(due + 1);

	const g = [];
	// y grid and labels
	for (let v = 0; v <= top + 1e-9; v += step) {
		g.push(svg('line', { x1: L, x2: W - R, y1: ys(v), y2: ys(v), class: v === 0 ? 'ax-base' : 'ax-grid' }));
		g.push(text({ x: L - 6, y: ys(v) + 4, class: 'ax-label', 'text-anchor': 'end' }, num(v, 1)));
	}
	// x ticks: the start and about weekly after it, none under the due label
	// ("Due Dec 17" ends 4 px left of the due line) nor past the right edge
	const tickEvery = Math.max(1, Math.round((end - x0) / 6));
	for (let n = x0; n < end; n += tickEvery) {
		const x = xs(n);
		if (n !== x0 && ((x > dueX - 100 && x < dueX + 28) || x > W - R - 18)) continue;
		g.push(svg('line', { x1: x, x2: x, y1: H - B, y2: H - B + 4, class: 'ax-tick' }));
		g.push(text({ x, y: H - B + 17, class: 'ax-label', 'text-anchor': n === x0 ? 'start' : 'middle' }, shortDay(ymdOf(n))));
	}
	// the due date (the end of its day)
	g.push(svg('line', { x1: dueX, x2: dueX, y1: T - 6, y2: H - B, class: 'mk-due' }));
	g.push(text({ x: dueX - 4, y: H - B + 17, class: 'ax-label ax-due', 'text-anchor': 'end' }, `Due ${shortDay(ymdOf(due))}`));
	// today (a UTC day, as the milestone's days are)
	const now = new Date();
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / DAY;
	if (today >= x0 && today <= end) {
		const tx = xs(today + 0.5);
		const right = tx + 70 < W - R;
		g.push(svg('line', { x1: tx, x2: tx, y1: T - 12, y2: H - B, class: 'mk-today' }));
		// above the plot, under the forecast labels: clear of a capacity line at the top
		g.push(text({ x: right ? tx + 3 : tx - 3, y: T - 3, class: 'ax-label ax-today', 'text-anchor': right ? 'start' : 'end' }, 'today (UTC)'));
	}
	// capacity
	if (Number(m.capacity) > 0) {
		g.push(svg('line', { x1: L, x2: W - R, y1: ys(Number(m.capacity)), y2: ys(Number(m.capacity)), class: 'ln-cap' }));
	}
	// forecast markers: dashed, in the accent colour, labelled at the top (a
	// marker on the due date still shows as dashes over the due line)
	let lastLabelX = -Infinity;
	for (const [p, n] of fc) {
		if (n > end) continue;
		const x = xs(n + 1);
		g.push(svg('line', { x1: x, x2: x, y1: T - 8, y2: H - B, class: `mk-fc mk-fc-${p}`, 'data-testid': `fc-marker-${p}` }));
		// labels of markers close together step aside instead of overprinting
		const lx = Math.max(x, lastLabelX + 30);
		g.push(text({ x: Math.min(lx, W - 12), y: T - 12, class: 'ax-label ax-fc', 'text-anchor': 'middle' }, `${p}%`));
		lastLabelX = lx;
	}
	// scope and done: one point per day at the end of that day (today: now, so far)
	const dayEnd = (d) => Math.min(dayNum(d.date) + 1, today + 0.5);
	const pt = (d, key) => `${xs(dayEnd(d)).toFixed(1)},${ys(Number(d[key]) || 0).toFixed(1)}`;
	if (days.length) {
		const first = days[0];
		const scopePts = [`${xs(dayNum(first.date)).toFixed(1)},${ys(Number(first.scope) || 0).toFixed(1)}`, ...days.map(d => pt(d, 'scope'))];
		const donePts = [`${xs(dayNum(first.date)).toFixed(1)},${ys(0).toFixed(1)}`, ...days.map(d => pt(d, 'done'))];
		const lastX = xs(dayEnd(days[days.length - 1])).toFixed(1);
		g.push(svg('path', { d: `M${donePts.join(' L')} L${lastX},${ys(0).toFixed(1)} Z`, class: 'ar-done' }));
		g.push(svg('polyline', { points: scopePts.join(' '), class: 'ln-scope', 'data-testid': 'line-scope' }));
		g.push(svg('polyline', { points: donePts.join(' '), class: 'ln-done', 'data-testid': 'line-done' }));
		const last = days[days.length - 1];
		g.push(svg('circle', { cx: xs(dayEnd(last)), cy: ys(Number(last.scope) || 0), r: 3, class: 'pt-scope' }));
		g.push(svg('circle', { cx: xs(dayEnd(last)), cy: ys(Number(last.done) || 0), r: 3, class: 'pt-done' }));
	} else {
		g.push(text({ x: (L + W - R) / 2, y: (T + H - B) / 2, class: 'ax-label ax-empty', 'text-anchor': 'middle' },
			'The burn-up starts on the start date'));
	}
	const last = days.length ? days[days.length - 1] : null;
	const summary = last
		? `Burn-up of ${m.title}: ${num(last.done, 1)} of ${num(last.scope, 1)} points done on ${dateText(last.date)}; due ${dateText(ymdOf(due))}.`
		: `Burn-up of ${m.title}: no days yet.`;
	const titleId = uid('chart');
	return svg('svg', {
		viewBox: `0 0 ${W} ${H}`, class: 'burnup-svg', role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMidYMid meet',
		'data-testid': 'burnup-svg',
	}, svg('title', { id: titleId }, document.createTextNode(summary)), ...g);
}
