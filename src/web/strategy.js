// strategy.js — strategy, initiatives and investment allocation
// (docs/API.md, "Strategy and roadmap", issue #12).
//
//   /strategy                   the strategy document (rendered, its version,
//                               author and time; Edit for PMs and admins —
//                               every save is a version), the review state
//                               (overdue banner, "Mark reviewed"), the
//                               versions with a diff of any two, objectives
//                               and key results (KR current values updated
//                               inline), pillars with their intended share
//                               and progress, initiatives as cards grouped
//                               by pillar (stated health beside the
//                               suggested one, progress, forecast, top
//                               customers), and the strategy history
//   /strategy/initiatives/{id}  one initiative (also /initiatives/{id}): all
//                               of the above in detail, its epics (add by
//                               number, remove), the health updates and
//                               "Post update" (its owner, PMs, admins), the
//                               edit form (PMs, admins)
//   /strategy/allocation        investment allocation: the points shipped
//                               per milestone or quarter as stacked bars by
//                               pillar (initiatives inside), unplanned work,
//                               bugs and security, beside the pillars'
//                               intended shares; the same numbers as tables
//
// The roadmap (/strategy/roadmap) is roadmap.js; it uses the widgets
// exported here.  The server-rendered document (body_html: cmark-gfm in safe
// mode, sanitized by the server) is the only HTML put into the page, as
// issue.js does with issue bodies.  Dates of initiatives are calendar days
// (YYYY-MM-DD) shown without a time-zone shift; instants in local time.

import * as api from './api.js?v={{v}}';
import { h, replace, svg, uid } from './dom.js?v={{v}}';
import { dateText, fullTime, moneyShort, moneyText, num, timeEl, daysUntil } from './fmt.js?v={{v}}';
import { person, avatar, field, select, notice, spinner, markInvalid, toast, stateBadge, boardChip, can } from './ui.js?v={{v}}';
import { tierBadge, strategicBadge } from './customer.js?v={{v}}';
import { shortDay } from './board.js?v={{v}}';

/* ---------- shared vocabulary and widgets (roadmap.js uses them too) ---------- */

export const HEALTHS = [['on_track', 'On track'], ['at_risk', 'At risk'], ['off_track', 'Off track']];
export const LANES = [['now', 'Now'], ['next', 'Next'], ['later', 'Later']];
export const STATUSES = [['planned', 'Planned'], ['active', 'Active'], ['done', 'Done'], ['dropped', 'Dropped']];

function labelOf(list, v, none = '—') {
	const hit = list.find(([k]) => k === v);
	return hit ? hit[1] : (v ? String(v) : none);
}
export function healthLabel(v) { return labelOf(HEALTHS, v, 'Not stated'); }
export function horizonLabel(v) { return labelOf(LANES, v, 'No horizon'); }
export function statusLabel(v) { return labelOf(STATUSES, v); }

function token(s) { return String(s || 'none').toLowerCase().replace(/[^a-z0-9_-]/g, ''); }

/* PMs and admins own the strategy. */
export function canEditStrategy(user) {
	return can(user, 'strategy.write');
}

/* An initiative's owner, PMs and admins post its health updates. */
export function canPostUpdate(user, init) {
	return canEditStrategy(user) || (can(user, 'initiative.health') && !!init && user.login === init.owner);
}

/* PMs, CTOs and admins put epics into initiatives and take them out. */
export function canManageEpics(user) {
	return can(user, 'initiative.epics');
}

export function initiativeHref(id) { return `/strategy/initiatives/${id}`; }

export function healthChip(health, { suggested = false, testid } = {}) {
	const t = health ? token(health) : 'none';
	return h('span', {
		class: `health health-${t}${suggested ? ' health-suggested' : ''}`, 'data-testid': testid || null,
		title: suggested ? `Suggested from the forecast: ${healthLabel(health)}` : `Stated health: ${healthLabel(health)}`,
	}, h('span', { class: 'health-dot', 'aria-hidden': 'true' }), health ? healthLabel(health) : (suggested ? 'No suggestion' : 'Not stated'));
}

export function statusChip(status) {
	return h('span', { class: `init-status init-status-${token(status)}`, 'data-testid': 'init-status' }, statusLabel(status));
}

export function horizonChip(horizon) {
	return h('span', { class: `hz hz-${token(horizon)}`, title: 'Roadmap horizon', 'data-testid': 'init-horizon' }, horizonLabel(horizon));
}

/* The stated health differs from the suggestion: a visible warning. */
export function healthGap(init, { compact = false } = {}) {
	if (!init || !init.health || !init.suggested_health || init.health === init.suggested_health) return null;
	return h('p', { class: `health-gap${compact ? ' health-gap-compact' : ''}`, 'data-testid': 'health-gap', role: compact ? null : 'note' },
		h('span', { class: 'health-gap-mark', 'aria-hidden': 'true' }, '⚠'),
		h('span', null, `Stated ${healthLabel(init.health).toLowerCase()}, but the forecast suggests ${healthLabel(init.suggested_health).toLowerCase()}.`));
}

function ptsText(n) {
	if (n === null || n === undefined || !Number.isFinite(Number(n))) return '—';
	return `${num(n, 1)} pt${Number(n) === 1 ? '' : 's'}`;
}

/* Work done of the total: a bar and "16 / 28 pts · 3 unsized". */
export function progressBar(p, { large = false, label = '' } = {}) {
	const pr = p || {};
	const total = Number(pr.points) || 0;
	const done = Number(pr.done_points) || 0;
	const unsized = Number(pr.unsized) || 0;
	const ratio = total > 0 ? Math.min(1, done / total) : 0;
	const fill = h('span', { class: 'prog-fill' });
	fill.style.width = `${ratio * 100}%`;
	const pct = total > 0 ? Math.round(ratio * 100) : null;
	return h('span', {
		class: `prog${large ? ' prog-lg' : ''}`, 'data-testid': 'progress',
		title: `${label ? `${label}: ` : ''}${num(done, 1)} of ${num(total, 1)} points done${pr.items !== undefined ? ` · ${pr.done_items ?? 0} of ${pr.items} items` : ''}${unsized ? ` · ${unsized} item${unsized === 1 ? '' : 's'} not sized` : ''}`,
	},
	h('span', { class: 'prog-track', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct ?? 0), 'aria-label': label || 'Progress' }, fill),
	h('span', { class: 'prog-text' },
		h('span', { 'data-testid': 'progress-points' }, `${num(done, 1)} / ${ptsText(total)}`),
		pct === null ? null : h('span', { class: 'muted' }, ` · ${pct} %`),
		unsized ? h('span', { class: 'prog-unsized', 'data-testid': 'unsized' }, ` · ${unsized} unsized`) : null));
}

/* A ratio 0..1 as a bar (key results). */
function ratioBar(ratio, label) {
	const r = ratio === null || ratio === undefined || !Number.isFinite(Number(ratio)) ? null : Math.max(0, Math.min(1, Number(ratio)));
	const fill = h('span', { class: 'prog-fill' });
	fill.style.width = `${(r || 0) * 100}%`;
	return h('span', { class: 'prog prog-kr', title: r === null ? 'Not measured yet' : `${Math.round(r * 100)} % of the way from the baseline to the target` },
		h('span', { class: 'prog-track', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(r === null ? 0 : Math.round(r * 100)), 'aria-label': label }, fill),
		h('span', { class: 'prog-text', 'data-testid': 'kr-progress' }, r === null ? h('span', { class: 'muted' }, 'not measured') : `${Math.round(r * 100)} %`));
}

/* "Nov 1, 2026 → Feb 25, 2027" (calendar days). */
export function datesText(start, target) {
	if (!start && !target) return h('span', { class: 'muted' }, 'No dates');
	return h('span', { class: 'init-dates', 'data-testid': 'init-dates' },
		start ? dateText(start) : h('span', { class: 'muted' }, 'no start'),
		h('span', { class: 'muted', 'aria-label': 'to' }, ' → '),
		target ? dateText(target) : h('span', { class: 'muted' }, 'no target'));
}

/* A forecast date: "Dec 29", with the year when it is not this year's. */
function fcDay(ymd) {
	if (!ymd) return 'not within five years';
	return String(ymd).slice(0, 4) === String(new Date().getUTCFullYear()) ? shortDay(ymd) : dateText(ymd);
}

/* The Monte Carlo forecast in words: the 50/85/95 % dates and the chance to
 * make the target. */
export function forecastLine(init, { long = false } = {}) {
	const f = init.forecast || {};
	const p = init.progress || {};
	const remaining = Number(f.remaining);
	if (!Number(p.points) && !Number(p.items)) {
		return h('p', { class: 'init-fc muted', 'data-testid': 'forecast' }, 'No work under it yet: no forecast.');
	}
	if (remaining === 0) {
		return h('p', { class: 'init-fc', 'data-testid': 'forecast' }, h('strong', null, 'Nothing left to do'), Number(p.unsized) ? ' (but some items are not sized)' : '', '.');
	}
	const prob = f.probability === null || f.probability === undefined ? null : Math.round(Number(f.probability) * 100);
	const level = prob === null ? '' : prob >= 85 ? 'good' : prob >= 50 ? 'fair' : 'poor';
	const when = (label, ymd) => h('span', { class: 'fc-date', 'data-testid': `fc-${label}` },
		h('strong', null, fcDay(ymd)), ' ', h('span', { class: 'fc-label' }, `(${label} %)`));
	return h('div', { class: 'init-fc', 'data-testid': 'forecast' },
		f.p50 || f.p85 || f.p95
			? h('p', null, long ? 'Likely done by ' : 'Done by ', when('50', f.p50), ', ', when('85', f.p85), ', ', when('95', f.p95))
			: h('p', null, 'At the recent throughput the remaining work is not finished within five years.'),
		prob !== null && init.target ? h('p', null, h('span', { class: `fc-prob-sm fc-${level}`, 'data-testid': 'fc-probability' }, `${prob} %`),
			` chance to finish by the target (${dateText(init.target)})`) : null,
		long ? h('p', { class: 'muted fc-basis' },
			`${ptsText(remaining)} left; Monte Carlo over the team's daily done points of the last 28 days (mean ${num(f.mean_daily, 1)} pts/day).`) : null);
}

/* The strategy area's tabs: Strategy · Roadmap · Allocation. */
export function strategyTabs(current) {
	const tab = (key, href, text) => h('a', {
		href, class: `seg-btn${current === key ? ' on' : ''}`, 'aria-current': current === key ? 'page' : null, 'data-testid': `st-tab-${key}`,
	}, text);
	return h('nav', { class: 'seg tabs st-tabs', 'aria-label': 'Strategy', 'data-testid': 'strategy-tabs' },
		tab('strategy', '/strategy', 'Strategy'), tab('roadmap', '/strategy/roadmap', 'Roadmap'), tab('allocation', '/strategy/allocation', 'Allocation'));
}

/* The top customers behind an initiative: "Contoso $350k · …". */
function demandLine(init, { max = 3 } = {}) {
	const d = init.demand || {};
	const top = Array.isArray(d.top) ? d.top : [];
	if (!top.length) return h('p', { class: 'init-demand muted', 'data-testid': 'demand' }, 'No customer has asked for it yet.');
	return h('p', { class: 'init-demand', 'data-testid': 'demand' },
		h('span', { class: 'init-k' }, 'Customers '),
		top.slice(0, max).map((c, i) => [i ? h('span', { class: 'muted' }, ' · ') : null,
			h('a', { href: `/customers/${c.id}`, class: 'init-cust', 'data-testid': 'top-customer' }, c.name),
			' ', h('span', { class: 'arr', title: `ARR ${moneyText(c.arr)}` }, moneyShort(c.arr))]),
		h('span', { class: 'muted' }, ` — ${d.customers} customer${d.customers === 1 ? '' : 's'}, ${moneyShort(d.arr)} ARR`));
}

/* An initiative as a card (the strategy page). */
export function initiativeCard(init) {
	const href = initiativeHref(init.id);
	const u = init.health_update;
	return h('article', { class: `card init-card init-health-${token(init.health || init.suggested_health)}`, 'data-testid': 'initiative-card', dataset: { id: String(init.id) } },
		h('div', { class: 'init-card-head' },
			h('h4', { class: 'init-card-title' }, h('a', { href, 'data-testid': 'initiative-link' }, init.title)),
			h('div', { class: 'init-chips' }, statusChip(init.status), horizonChip(init.horizon),
				init.public ? h('span', { class: 'pub-chip', title: 'Shown on the public roadmap' }, 'Public') : null)),
		h('p', { class: 'init-meta' }, person(init.owner), h('span', { class: 'muted' }, ' · '), datesText(init.start, init.target)),
		h('div', { class: 'init-healths' },
			h('span', { class: 'init-k' }, 'Stated'), healthChip(init.health, { testid: 'health-stated' }),
			h('span', { class: 'init-k' }, 'Suggested'), healthChip(init.suggested_health, { suggested: true, testid: 'health-suggested' })),
		healthGap(init, { compact: true }),
		progressBar(init.progress, { label: `Progress of ${init.title}` }),
		h('p', { class: 'init-items muted' }, `${init.progress?.done_items ?? 0} of ${init.progress?.items ?? 0} items done · ${init.progress?.epics ?? 0} epic${init.progress?.epics === 1 ? '' : 's'}`),
		forecastLine(init),
		demandLine(init),
		u ? h('p', { class: 'init-update' }, h('span', { class: 'init-quote' }, `“${u.text}”`), h('span', { class: 'muted' }, ` — ${u.author}, `), timeEl(h, u.at, 'short')) : null);
}

/* "2026-12-07T…" -> the local calendar date, "Dec 7, 2026". */
const localDay = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
function dayOf(iso) {
	const d = iso ? new Date(iso) : null;
	return d && !Number.isNaN(d.getTime()) ? localDay.format(d) : '—';
}

function when(iso) {
	return h('time', { datetime: iso, title: fullTime(iso) }, dayOf(iso));
}

function plural(n, one, many = `${one}s`) { return `${n} ${n === 1 ? one : many}`; }

function isYmd(s) { return /^\d{4}-\d{2}-\d{2}$/.test(String(s || '')); }

/* A number input's value as a number, '' as null, else NaN. */
function numberOf(v) {
	const s = String(v ?? '').trim();
	if (s === '') return null;
	const n = Number(s);
	return Number.isFinite(n) ? n : NaN;
}

/* A small form that reports an API error verbatim, marking the field. */
async function submitWith(form, msgEl, btn, fn) {
	replace(msgEl);
	markInvalid(form, null);
	const text = btn ? btn.textContent : '';
	if (btn) { btn.disabled = true; btn.textContent = 'Saving…'; }
	try {
		return await fn();
	} catch (err) {
		if (err.status === 401) return undefined;
		const bad = markInvalid(form, err.field);
		replace(msgEl, notice('error', err.message));
		if (bad) bad.focus();
		return undefined;
	} finally {
		if (btn && btn.isConnected) { btn.disabled = false; btn.textContent = text; }
	}
}

/* ---------- the history ---------- */

function historyValue(v) {
	if (v === null || v === undefined || v === '') return h('span', { class: 'val val-none' }, 'none');
	const t = String(v);
	return h('span', { class: 'val', title: t }, HEALTHS.some(([k]) => k === t) ? healthLabel(t) : t);
}

/* "initiative 3" -> a link with its title (when known). */
function historyObject(object, names) {
	const m = /^(initiative|objective|pillar|key result) (\d+)$/.exec(String(object || ''));
	if (!m) return h('span', null, object === 'strategy' ? 'the strategy' : String(object || ''));
	const [, kind, id] = m;
	const name = names[kind] && names[kind].get(Number(id));
	if (kind === 'initiative') {
		return h('a', { href: initiativeHref(id), class: 'hist-obj' }, name ? `${name}` : `initiative ${id}`);
	}
	return h('span', { class: 'hist-obj' }, name ? `${kind} ${name}` : `${kind} ${id}`);
}

export function historyItem(it, names) {
	const obj = historyObject(it.object, names);
	let what;
	if (it.field === 'created') what = ['created ', obj];
	else if (it.field === 'document') what = ['saved the strategy document: ', historyValue(it.new)];
	else if (it.field === 'reviewed' || it.field === 'review') what = ['marked the strategy reviewed'];
	else if (it.field === 'epic added') what = ['added epic ', historyValue(it.new), ' to ', obj];
	else if (it.field === 'epic removed') what = ['took epic ', historyValue(it.old ?? it.new), ' out of ', obj];
	else if (it.field === 'key result' && it.old === null) what = ['added key result ', historyValue(it.new), ' to ', obj];
	else {
		what = ['changed ', h('strong', null, String(it.field || '').replace(/_/g, ' ')), ' of ', obj, ': ',
			historyValue(it.old), h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '), historyValue(it.new)];
	}
	return h('li', { class: 'tl-item', 'data-testid': 'history-item' },
		avatar(it.actor),
		h('div', { class: 'tl-text' }, h('strong', { class: 'tl-actor' }, it.actor || 'someone'), ' ', what,
			h('span', { class: 'muted tl-time' }, ' · ', timeEl(h, it.at, 'rel'))));
}

function namesOf(s) {
	const names = { initiative: new Map(), objective: new Map(), pillar: new Map(), 'key result': new Map() };
	for (const i of (s && s.initiatives) || []) names.initiative.set(i.id, i.title);
	for (const o of (s && s.objectives) || []) {
		names.objective.set(o.id, o.title);
		for (const kr of o.key_results || []) names['key result'].set(kr.id, kr.metric);
	}
	for (const p of (s && s.pillars) || []) names.pillar.set(p.id, p.name);
	return names;
}

/* ---------- /strategy ---------- */

export async function renderStrategy(ctx) {
	ctx.setTitle('Strategy');
	const mayEdit = canEditStrategy(ctx.user);
	replace(ctx.root, h('section', { class: 'page page-wide st-page' },
		h('div', { class: 'page-head st-head' }, h('h1', null, 'Strategy'), strategyTabs('strategy')), spinner()));

	let s = await api.getStrategy();
	if (!ctx.alive()) return;
	let history = null;
	let historyErr = null;
	let historyAll = false;
	let users = null;
	let editing = false;     // the document form is open
	let versionsOpen = false;
	let versions = null;
	let versionsErr = null;
	let pick = { from: null, to: null };
	let diff = null;
	let diffErr = null;
	let diffOpen = new Set(); // indexes of collapsed runs the reader opened
	let newObjective = false;
	let newInitiative = false;
	const krEditing = new Set();   // key result ids with the inline form open
	const krAdding = new Set();    // objective ids with the "add key result" form open
	const shareEditing = new Set(); // pillar ids with the share form open

	const pageMsg = h('div', { class: 'page-msg' });
	const reviewBox = h('div', { class: 'st-review-box', 'data-testid': 'review' });
	const docBox = h('section', { class: 'card st-doc', 'aria-labelledby': 'st-doc-h', 'data-testid': 'strategy-doc' });
	const objBox = h('section', { class: 'st-objectives', 'aria-labelledby': 'st-obj-h', 'data-testid': 'objectives' });
	const pillarBox = h('section', { class: 'st-pillars', 'aria-labelledby': 'st-pil-h', 'data-testid': 'pillars' });
	const initBox = h('section', { class: 'st-inits', 'aria-labelledby': 'st-init-h', 'data-testid': 'initiatives' });
	const histBox = h('section', { class: 'st-history history', 'aria-labelledby': 'st-hist-h', 'data-testid': 'strategy-history' });

	replace(ctx.root, h('section', { class: 'page page-wide st-page' },
		h('div', { class: 'page-head st-head' }, h('h1', null, 'Strategy'), strategyTabs('strategy')),
		pageMsg, reviewBox,
		h('div', { class: 'st-top' }, docBox, objBox),
		pillarBox, initBox, histBox));

	function paint() {
		paintReview();
		paintDoc();
		paintObjectives();
		paintPillars();
		paintInitiatives();
		paintHistory();
	}

	async function reload({ withHistory = true } = {}) {
		try {
			s = await api.getStrategy();
		} catch (err) {
			if (err.status !== 401 && ctx.alive()) replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		replace(pageMsg);
		paint();
		if (withHistory) loadHistory();
	}

	async function loadHistory() {
		try {
			history = await api.strategyHistory();
			historyErr = null;
		} catch (err) {
			if (err.status === 401) return;
			historyErr = err.message;
		}
		if (ctx.alive()) paintHistory();
	}

	/* Restore focus to a control by its test id after a repaint. */
	function focusTestid(id, within = ctx.root) {
		const el = within.querySelector(`[data-testid="${id}"]`);
		if (el) el.focus();
	}

	/* ---- the review state ---- */

	function paintReview() {
		const every = Number(s.review_every_days) || 90;
		const days = h('input', {
			type: 'number', name: 'review_every_days', min: 1, max: 730, step: 1, value: String(every), inputmode: 'numeric',
			class: 'st-review-days', 'aria-label': 'Review every how many days',
		});
		const rmsg = h('span', { class: 'form-msg' });
		const btn = h('button', { type: 'submit', class: `btn btn-sm${s.review_overdue ? ' btn-primary' : ''}`, 'data-testid': 'mark-reviewed' }, 'Mark reviewed');
		const form = mayEdit ? h('form', { class: 'st-review-form', novalidate: true, 'aria-label': 'Mark the strategy reviewed' },
			h('label', { class: 'st-review-every' }, 'every ', days, ' days'), btn, rmsg) : null;
		if (form) {
			form.addEventListener('submit', async (ev) => {
				ev.preventDefault();
				const n = numberOf(days.value);
				const res = await submitWith(form, rmsg, btn, () => api.reviewStrategy(n !== null && n !== every ? n : null));
				if (!res || !ctx.alive()) return;
				s = res;
				toast('The strategy is marked reviewed');
				paint();
				loadHistory();
				focusTestid('mark-reviewed');
			});
		}
		const due = s.review_due;
		const dueIn = due ? daysUntil(due) : null;
		let text;
		if (!s.last_reviewed) {
			text = ['The strategy has never been reviewed', s.version ? '' : ' (and there is no document yet)', '. Review it every ', plural(every, 'day'), '.'];
		} else if (s.review_overdue) {
			text = ['The strategy review is overdue: last reviewed ', h('strong', { 'data-testid': 'last-reviewed' }, when(s.last_reviewed)),
				', due ', h('strong', { 'data-testid': 'review-due' }, when(due)), dueIn !== null && dueIn < 0 ? ` (${plural(-dueIn, 'day')} ago)` : '', '.'];
		} else {
			text = ['Last reviewed ', h('strong', { 'data-testid': 'last-reviewed' }, when(s.last_reviewed)),
				' · next review due ', h('strong', { 'data-testid': 'review-due' }, when(due)),
				dueIn !== null ? h('span', { class: 'muted' }, ` (in ${plural(dueIn, 'day')})`) : null];
		}
		const overdue = !!s.review_overdue;
		replace(reviewBox, h('div', {
			class: `st-review${overdue ? ' st-review-overdue' : ''}`, role: overdue ? 'alert' : 'status',
			'data-testid': overdue ? 'review-overdue' : 'review-ok',
		},
		h('span', { class: 'st-review-text', 'data-testid': 'review-text' },
			h('span', { class: 'st-review-icon', 'aria-hidden': 'true' }, overdue ? '⚠ ' : '✓ '), text),
		form));
	}

	/* ---- the document ---- */

	function paintDoc() {
		const v = s.version;
		const meta = v ? h('p', { class: 'muted st-doc-meta', 'data-testid': 'doc-meta' },
			h('span', { 'data-testid': 'doc-version' }, `Version ${v.id}`), ' · ', person(v.author), ' · ', timeEl(h, v.created_at, 'full'),
			v.note ? [' · ', h('span', { class: 'st-note', 'data-testid': 'doc-note' }, `“${v.note}”`)] : null) : null;
		const head = h('div', { class: 'section-head st-doc-head' },
			h('h2', { id: 'st-doc-h' }, 'Strategy document'),
			h('div', { class: 'page-head-spacer' }),
			s.versions ? h('button', {
				type: 'button', class: 'btn btn-sm btn-ghost', 'aria-expanded': versionsOpen ? 'true' : 'false', 'aria-controls': 'st-versions',
				'data-testid': 'doc-history', onclick: toggleVersions,
			}, versionsOpen ? 'Hide history' : `History (${s.versions})`) : null,
			mayEdit && !editing ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'doc-edit', onclick: () => { editing = true; paintDoc(); } }, v ? 'Edit' : 'Write the strategy') : null);
		let body;
		if (editing) {
			body = docForm();
		} else if (v && v.body_html && v.body_html.trim()) {
			body = h('div', { class: 'markdown st-doc-body', 'data-testid': 'doc-body' });
			// body_html is rendered and sanitized by the server (cmark-gfm, safe mode).
			body.innerHTML = v.body_html;
		} else {
			body = h('div', { class: 'empty st-doc-empty', 'data-testid': 'doc-body' },
				h('p', { class: 'empty-title' }, 'No strategy written yet'),
				h('p', { class: 'muted' }, mayEdit ? 'Write where the product is going and why; every save is kept as a version.' : 'A PM writes the product strategy here.'));
		}
		replace(docBox, head, meta, body, versionsOpen ? versionsPanel() : null);
	}

	function docForm() {
		const v = s.version;
		const text = h('textarea', { name: 'body', rows: 18, class: 'st-doc-input', spellcheck: 'true', 'data-testid': 'doc-input' });
		text.value = v ? v.body : '';
		const note = h('input', { type: 'text', name: 'note', maxlength: 200, autocomplete: 'off', placeholder: 'What changed, in a line (optional)', 'data-testid': 'doc-note-input' });
		const fmsg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'doc-save' }, 'Save version');
		const cancel = () => { editing = false; paintDoc(); focusTestid('doc-edit', docBox); };
		const form = h('form', { class: 'st-doc-form', novalidate: true, 'aria-label': 'Edit the strategy document', 'data-testid': 'doc-form' },
			field('Strategy (Markdown)', text, { wide: true, hint: 'Ctrl+Enter saves · Esc cancels · every save is a version' }),
			field('Note', note, { wide: true }),
			fmsg,
			h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'btn btn-ghost', onclick: cancel }, 'Cancel')));
		form.addEventListener('keydown', (ev) => {
			if (ev.key === 'Escape') { ev.preventDefault(); cancel(); }
			if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
		});
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const res = await submitWith(form, fmsg, save, () => api.saveStrategy(text.value, note.value.trim()));
			if (!res || !ctx.alive()) return;
			editing = false;
			toast(res.created ? `Saved as version ${res.version.id}` : 'Nothing changed: no new version');
			versions = null;
			diff = null;
			pick = { from: null, to: null };
			await reload();
			if (versionsOpen) loadVersions();
			focusTestid('doc-edit', docBox);
		});
		setTimeout(() => text.focus(), 0);
		return form;
	}

	/* ---- versions and the diff ---- */

	async function toggleVersions() {
		versionsOpen = !versionsOpen;
		paintDoc();
		focusTestid('doc-history', docBox);
		if (versionsOpen && versions === null) await loadVersions();
	}

	async function loadVersions() {
		try {
			versions = await api.strategyVersions();
			versionsErr = null;
		} catch (err) {
			if (err.status === 401) return;
			versionsErr = err.message;
		}
		if (!ctx.alive()) return;
		if (versions && versions.length >= 2 && (pick.from === null || pick.to === null)) {
			pick = { from: versions[1].id, to: versions[0].id };
		}
		paintDoc();
	}

	function versionsPanel() {
		const panel = h('div', { class: 'st-versions', id: 'st-versions', 'data-testid': 'versions' });
		if (versionsErr) return replace(panel, notice('error', `The versions could not be loaded: ${versionsErr}`));
		if (versions === null) return replace(panel, spinner());
		const name = uid('ver');
		const radio = (which, v) => {
			const r = h('input', {
				type: 'radio', name: `${name}-${which}`, value: String(v.id), checked: pick[which] === v.id,
				'aria-label': `Compare ${which === 'from' ? 'from' : 'to'} version ${v.id}`, 'data-testid': `pick-${which}`,
			});
			r.addEventListener('change', () => { pick[which] = v.id; });
			return r;
		};
		const compare = h('button', { type: 'button', class: 'btn btn-sm btn-primary', 'data-testid': 'compare', disabled: versions.length < 2, onclick: loadDiff }, 'Compare');
		replace(panel,
			h('h3', { class: 'st-h3' }, 'History', h('span', { class: 'muted' }, ` · ${plural(versions.length, 'version')}`)),
			h('div', { class: 'st-ver-scroll' }, h('table', { class: 'ev-table st-ver-table' },
				h('caption', { class: 'sr-only' }, 'Versions of the strategy, newest first; pick two to compare'),
				h('thead', null, h('tr', null,
					h('th', { scope: 'col', class: 'center' }, 'From'), h('th', { scope: 'col', class: 'center' }, 'To'),
					h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Author'), h('th', { scope: 'col' }, 'Saved'),
					h('th', { scope: 'col' }, 'Note'), h('th', { scope: 'col', class: 'right' }, 'Size'))),
				h('tbody', null, versions.map(v => h('tr', { 'data-testid': 'version-row', dataset: { id: String(v.id) } },
					h('td', { class: 'center' }, radio('from', v)), h('td', { class: 'center' }, radio('to', v)),
					h('td', { class: 'mono-num' }, `v${v.id}`),
					h('td', null, person(v.author)),
					h('td', null, timeEl(h, v.created_at, 'daytime')),
					h('td', { class: 'st-ver-note' }, v.note || h('span', { class: 'muted' }, '—')),
					h('td', { class: 'right mono-num' }, `${num(v.bytes, 0)} B`)))))),
			h('div', { class: 'form-actions st-ver-actions' }, compare,
				versions.length < 2 ? h('span', { class: 'muted' }, 'Save a second version to compare.') : null),
			diffView());
		return panel;
	}

	async function loadDiff() {
		if (pick.from === null || pick.to === null) return;
		try {
			diff = await api.strategyDiff(pick.from, pick.to);
			diffErr = null;
			diffOpen = new Set();
		} catch (err) {
			if (err.status === 401) return;
			diff = null;
			diffErr = err.message;
		}
		if (!ctx.alive()) return;
		paintDoc();
		const d = docBox.querySelector('[data-testid="diff"]') || docBox.querySelector('.notice');
		if (d) { d.setAttribute('tabindex', '-1'); d.focus(); }
	}

	function diffView() {
		if (diffErr) return notice('error', diffErr);
		if (!diff) return null;
		const lines = Array.isArray(diff.lines) ? diff.lines : [];
		// Runs of unchanged lines longer than 2×CONTEXT fold into one row.
		const CONTEXT = 3;
		const changed = lines.map(l => l.op !== 'same');
		const near = lines.map((_, i) => {
			for (let k = Math.max(0, i - CONTEXT); k <= Math.min(lines.length - 1, i + CONTEXT); k++) if (changed[k]) return true;
			return false;
		});
		const rows = [];
		let i = 0;
		let run = 0;
		while (i < lines.length) {
			if (near[i] || lines.length <= 12) { rows.push(diffRow(lines[i])); i++; continue; }
			let j = i;
			while (j < lines.length && !near[j]) j++;
			const k = run++;
			if (diffOpen.has(k) || j - i <= 2) {
				for (let x = i; x < j; x++) rows.push(diffRow(lines[x]));
			} else {
				const n = j - i;
				rows.push(h('tr', { class: 'diff-fold' }, h('td', { colspan: 4 },
					h('button', { type: 'button', class: 'link-btn', onclick: () => { diffOpen.add(k); paintDoc(); } }, `⋯ ${n} unchanged lines`))));
			}
			i = j;
		}
		const from = diff.from || {};
		const to = diff.to || {};
		return h('div', { class: 'st-diff', 'data-testid': 'diff', 'aria-label': `Changes from version ${from.id} to version ${to.id}` },
			h('p', { class: 'st-diff-sum' }, h('strong', null, `v${from.id} → v${to.id}`), ' ',
				h('span', { class: 'diff-added', 'data-testid': 'diff-added' }, `+${diff.added ?? 0}`), ' ',
				h('span', { class: 'diff-removed', 'data-testid': 'diff-removed' }, `−${diff.removed ?? 0}`),
				h('span', { class: 'muted' }, ` lines${!diff.added && !diff.removed ? ' — the same text' : ''}`)),
			h('div', { class: 'st-diff-scroll' }, h('table', { class: 'diff-table' },
				h('caption', { class: 'sr-only' }, 'Removed lines are marked minus, added lines plus, with their line numbers in the old and the new version'),
				h('thead', { class: 'sr-only' }, h('tr', null, h('th', { scope: 'col' }, 'Old line'), h('th', { scope: 'col' }, 'New line'), h('th', { scope: 'col' }, 'Change'), h('th', { scope: 'col' }, 'Text'))),
				h('tbody', null, rows))));
	}

	function diffRow(l) {
		const op = l.op === 'add' || l.op === 'del' ? l.op : 'same';
		return h('tr', { class: `diff-${op}`, 'data-testid': 'diff-line', dataset: { op } },
			h('td', { class: 'diff-ln' }, l.old === null || l.old === undefined ? '' : String(l.old)),
			h('td', { class: 'diff-ln' }, l.new === null || l.new === undefined ? '' : String(l.new)),
			h('td', { class: 'diff-sign' }, op === 'add' ? '+' : op === 'del' ? '−' : '', h('span', { class: 'sr-only' }, op === 'add' ? 'added' : op === 'del' ? 'removed' : '')),
			h('td', { class: 'diff-text' }, l.text || ' '));
	}

	/* ---- objectives and key results ---- */

	function pillarName(id) {
		const p = (s.pillars || []).find(x => x.id === id);
		return p ? p.name : `#${id}`;
	}

	function paintObjectives() {
		const objs = s.objectives || [];
		replace(objBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'st-obj-h' }, 'Objectives'), h('span', { class: 'count' }, String(objs.length)),
				h('div', { class: 'page-head-spacer' }),
				mayEdit && !newObjective ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'new-objective', onclick: () => { newObjective = true; paintObjectives(); } }, 'New objective') : null),
			newObjective ? objectiveForm() : null,
			objs.length ? h('div', { class: 'st-obj-list' }, objs.map(objectiveCard))
				: h('div', { class: 'card empty st-empty' }, h('p', { class: 'empty-title' }, 'No objectives yet'),
					h('p', { class: 'muted' }, 'The company goals the product serves, each with a key result or two.')));
	}

	function objectiveCard(o) {
		const krs = o.key_results || [];
		const adding = krAdding.has(o.id);
		return h('article', { class: 'card st-obj', 'data-testid': 'objective', dataset: { id: String(o.id) } },
			h('div', { class: 'st-obj-head' },
				h('h3', { class: 'st-obj-title' }, o.title),
				o.period ? h('span', { class: 'st-period', title: 'Period' }, o.period) : null),
			o.description ? h('p', { class: 'st-obj-desc' }, o.description) : null,
			(o.pillars || []).length ? h('p', { class: 'st-obj-pillars muted' }, 'Pillars: ', (o.pillars || []).map(pillarName).join(', ')) : null,
			h('div', { class: 'st-obj-work' }, h('span', { class: 'init-k' }, 'Work'), progressBar(o.progress, { label: `Work for ${o.title}` })),
			krs.length ? h('ul', { class: 'kr-list' }, krs.map(kr => krItem(o, kr))) : h('p', { class: 'muted st-kr-none' }, 'No key result yet.'),
			mayEdit ? (adding ? krForm(o) : h('button', {
				type: 'button', class: 'btn btn-sm btn-ghost', 'data-testid': 'add-kr',
				onclick: () => { krAdding.add(o.id); paintObjectives(); },
			}, '+ Key result')) : null);
	}

	function krItem(o, kr) {
		const editingKr = krEditing.has(kr.id);
		const v = (x) => (x === null || x === undefined ? '—' : num(x, 3));
		return h('li', { class: 'kr', 'data-testid': 'kr', dataset: { id: String(kr.id) } },
			h('div', { class: 'kr-metric' }, kr.metric),
			h('div', { class: 'kr-nums', 'data-testid': 'kr-values' },
				h('span', { class: 'kr-num', title: 'Baseline' }, h('span', { class: 'kr-k' }, 'baseline '), v(kr.baseline)),
				h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
				h('span', { class: 'kr-num kr-current', title: 'Current value', 'data-testid': 'kr-current' }, h('span', { class: 'kr-k' }, 'now '), v(kr.current)),
				h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
				h('span', { class: 'kr-num', title: 'Target' }, h('span', { class: 'kr-k' }, 'target '), v(kr.target))),
			ratioBar(kr.progress, `Progress of ${kr.metric}`),
			h('div', { class: 'kr-foot muted' },
				kr.measured_at ? ['measured ', when(kr.measured_at)] : 'not measured yet',
				mayEdit && !editingKr ? h('button', {
					type: 'button', class: 'link-btn kr-update-btn', 'data-testid': 'kr-update', 'aria-label': `Update the current value of ${kr.metric}`,
					onclick: () => { krEditing.add(kr.id); paintObjectives(); focusIn(`[data-testid="kr"][data-id="${kr.id}"] input`); },
				}, 'Update') : null),
			editingKr ? krValueForm(kr) : null);
	}

	function focusIn(sel) {
		setTimeout(() => { const el = ctx.root.querySelector(sel); if (el) el.focus(); }, 0);
	}

	function krValueForm(kr) {
		const cur = h('input', { type: 'number', name: 'current', step: 'any', value: kr.current === null || kr.current === undefined ? '' : String(kr.current), 'data-testid': 'kr-current-input', 'aria-label': `Current value of ${kr.metric}` });
		const fmsg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-sm btn-primary', 'data-testid': 'kr-save' }, 'Save');
		const close = () => { krEditing.delete(kr.id); paintObjectives(); focusIn(`[data-testid="kr"][data-id="${kr.id}"] [data-testid="kr-update"]`); };
		const form = h('form', { class: 'kr-form', novalidate: true, 'aria-label': `Update ${kr.metric}` },
			h('div', { class: 'kr-form-row' }, cur, save, h('button', { type: 'button', class: 'btn btn-sm btn-ghost', onclick: close }, 'Cancel')), fmsg);
		form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const n = numberOf(cur.value);
			if (Number.isNaN(n) || n === null) { markInvalid(form, 'current'); replace(fmsg, notice('error', 'Enter the current value as a number.')); cur.focus(); return; }
			const res = await submitWith(form, fmsg, save, () => api.updateKeyResult(kr.id, { current: n }));
			if (!res || !ctx.alive()) return;
			krEditing.delete(kr.id);
			toast(`${kr.metric}: ${num(n, 3)}`);
			await reload();
			focusIn(`[data-testid="kr"][data-id="${kr.id}"] [data-testid="kr-update"]`);
		});
		return form;
	}

	function krForm(o) {
		const metric = h('input', { type: 'text', name: 'metric', maxlength: 200, autocomplete: 'off', 'data-testid': 'kr-metric' });
		const baseline = h('input', { type: 'number', name: 'baseline', step: 'any', 'data-testid': 'kr-baseline' });
		const target = h('input', { type: 'number', name: 'target', step: 'any', 'data-testid': 'kr-target' });
		const current = h('input', { type: 'number', name: 'current', step: 'any', 'data-testid': 'kr-current-new' });
		const fmsg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-sm btn-primary', 'data-testid': 'kr-create' }, 'Add key result');
		const close = () => { krAdding.delete(o.id); paintObjectives(); };
		const form = h('form', { class: 'kr-new', novalidate: true, 'aria-label': `New key result for ${o.title}` },
			field('Metric', metric, { wide: true }),
			h('div', { class: 'field-grid kr-grid' }, field('Baseline', baseline), field('Target', target), field('Current', current, { hint: 'optional' })),
			fmsg,
			h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'btn btn-sm btn-ghost', onclick: close }, 'Cancel')));
		form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const body = { metric: metric.value.trim(), baseline: numberOf(baseline.value), target: numberOf(target.value) };
			const c = numberOf(current.value);
			if (c !== null) body.current = c;
			for (const k of ['baseline', 'target']) {
				if (body[k] === null || Number.isNaN(body[k])) { markInvalid(form, k).focus(); replace(fmsg, notice('error', `Enter the ${k} as a number.`)); return; }
			}
			if (Number.isNaN(c)) { markInvalid(form, 'current').focus(); replace(fmsg, notice('error', 'Enter the current value as a number, or leave it empty.')); return; }
			const res = await submitWith(form, fmsg, save, () => api.addKeyResult(o.id, body));
			if (!res || !ctx.alive()) return;
			krAdding.delete(o.id);
			toast(`Key result added: ${body.metric}`);
			await reload();
		});
		setTimeout(() => metric.focus(), 0);
		return form;
	}

	function objectiveForm() {
		const title = h('input', { type: 'text', name: 'title', maxlength: 200, autocomplete: 'off', 'data-testid': 'obj-title' });
		const period = h('input', { type: 'text', name: 'period', maxlength: 64, autocomplete: 'off', placeholder: 'FY2027, H1 2027…' });
		const desc = h('textarea', { name: 'description', rows: 3, class: 'st-short-text' });
		const boxes = (s.pillars || []).map(p => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'pillars', value: String(p.id) }), p.name));
		const fmsg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'obj-create' }, 'Create objective');
		const close = () => { newObjective = false; paintObjectives(); focusTestid('new-objective', objBox); };
		const form = h('form', { class: 'card edit-form st-obj-form', novalidate: true, 'aria-label': 'New objective', 'data-testid': 'objective-form' },
			h('div', { class: 'field-grid' }, field('Title', title, { span: true }), field('Period', period)),
			field('Description', desc, { wide: true }),
			boxes.length ? h('fieldset', { class: 'checks' }, h('legend', null, 'Pillars that serve it'), boxes) : null,
			fmsg,
			h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'btn btn-ghost', onclick: close }, 'Cancel')));
		form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const body = {
				title: title.value.trim(), period: period.value.trim(), description: desc.value.trim(),
				pillars: [...form.querySelectorAll('input[name=pillars]:checked')].map(b => Number(b.value)),
			};
			const res = await submitWith(form, fmsg, save, () => api.createObjective(body));
			if (!res || !ctx.alive()) return;
			newObjective = false;
			toast(`Objective created: ${res.title}`);
			await reload();
		});
		setTimeout(() => title.focus(), 0);
		return form;
	}

	/* ---- pillars ---- */

	function paintPillars() {
		const pillars = s.pillars || [];
		const total = pillars.reduce((a, p) => a + (Number(p.target_share) || 0), 0);
		const counts = new Map();
		for (const i of s.initiatives || []) if (i.pillar) counts.set(i.pillar.id, (counts.get(i.pillar.id) || 0) + 1);
		replace(pillarBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'st-pil-h' }, 'Pillars'), h('span', { class: 'count' }, String(pillars.length)),
				h('div', { class: 'page-head-spacer' }),
				h('a', { href: '/strategy/allocation', class: 'btn btn-sm btn-ghost' }, 'Where the points went')),
			pillars.length ? h('p', { class: 'muted st-share-total', 'data-testid': 'share-total' }, `The intended shares add up to ${num(total, 1)} % of the shipped points.`) : null,
			pillars.length ? h('div', { class: 'st-pillar-grid' }, pillars.map(p => pillarCard(p, counts.get(p.id) || 0)))
				: h('div', { class: 'card empty st-empty' }, h('p', { class: 'empty-title' }, 'No pillars yet'), h('p', { class: 'muted' }, 'Pillars are created in planning (POST /api/v1/pillars).')));
	}

	function pillarCard(p, n) {
		const editingShare = shareEditing.has(p.id);
		return h('article', { class: 'card st-pillar', 'data-testid': 'pillar', dataset: { id: String(p.id) } },
			h('div', { class: 'st-pillar-head' }, h('h3', null, p.name), h('span', { class: 'muted' }, plural(n, 'initiative'))),
			p.description ? h('p', { class: 'muted st-pillar-desc' }, p.description) : null,
			progressBar(p.progress, { label: `Progress of ${p.name}` }),
			h('p', { class: 'st-pillar-share' },
				h('span', { class: 'init-k' }, 'Intended share '),
				h('strong', { 'data-testid': 'pillar-share' }, p.target_share === null || p.target_share === undefined ? '—' : `${num(p.target_share, 1)} %`),
				h('span', { class: 'muted' }, ' of shipped points'),
				mayEdit && !editingShare ? h('button', {
					type: 'button', class: 'link-btn', 'data-testid': 'pillar-share-edit', 'aria-label': `Change the intended share of ${p.name}`,
					onclick: () => { shareEditing.add(p.id); paintPillars(); focusIn(`[data-testid="pillar"][data-id="${p.id}"] input`); },
				}, 'Change') : null),
			editingShare ? shareForm(p) : null);
	}

	function shareForm(p) {
		const input = h('input', { type: 'number', name: 'target_share', min: 0, max: 100, step: 'any', value: p.target_share ?? '', 'aria-label': `Intended share of ${p.name} in percent`, 'data-testid': 'pillar-share-input' });
		const fmsg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-sm btn-primary' }, 'Save');
		const close = () => { shareEditing.delete(p.id); paintPillars(); focusIn(`[data-testid="pillar"][data-id="${p.id}"] [data-testid="pillar-share-edit"]`); };
		const form = h('form', { class: 'kr-form', novalidate: true, 'aria-label': `Intended share of ${p.name}` },
			h('div', { class: 'kr-form-row' }, input, h('span', { class: 'muted' }, '%'), save, h('button', { type: 'button', class: 'btn btn-sm btn-ghost', onclick: close }, 'Cancel')), fmsg);
		form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const n = numberOf(input.value);
			if (Number.isNaN(n)) { markInvalid(form, 'target_share'); replace(fmsg, notice('error', 'Enter a percentage, or leave it empty.')); return; }
			const res = await submitWith(form, fmsg, save, () => api.updatePillar(p.id, { target_share: n }));
			if (!res || !ctx.alive()) return;
			shareEditing.delete(p.id);
			toast(`${p.name}: ${n === null ? 'no intended share' : `${num(n, 1)} % intended`}`);
			await reload();
		});
		return form;
	}

	/* ---- initiatives ---- */

	function paintInitiatives() {
		const inits = s.initiatives || [];
		const groups = [];
		for (const p of s.pillars || []) {
			const items = inits.filter(i => i.pillar && i.pillar.id === p.id);
			if (items.length) groups.push({ key: `p${p.id}`, name: p.name, share: p.target_share, items });
		}
		const loose = inits.filter(i => !i.pillar || !(s.pillars || []).some(p => p.id === i.pillar.id));
		if (loose.length) groups.push({ key: 'none', name: 'No pillar', share: null, items: loose });
		const counts = HEALTHS.map(([k, label]) => [k, label, inits.filter(i => (i.health || i.suggested_health) === k).length]);
		const gaps = inits.filter(i => i.health && i.suggested_health && i.health !== i.suggested_health).length;
		replace(initBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'st-init-h' }, 'Initiatives'), h('span', { class: 'count' }, String(inits.length)),
				h('div', { class: 'page-head-spacer' }),
				mayEdit && !newInitiative ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'new-initiative', onclick: openNewInitiative }, 'New initiative') : null),
			inits.length ? h('p', { class: 'st-health-sum', title: 'By the stated health, else the suggested one' }, counts.filter(([, , n]) => n).map(([k, label, n]) =>
				h('span', { class: `health health-${k}` }, h('span', { class: 'health-dot', 'aria-hidden': 'true' }), `${n} ${label.toLowerCase()}`)),
			gaps ? h('span', { class: 'health-gap-count', 'data-testid': 'gap-count', title: 'Initiatives whose stated health differs from the forecast' }, `⚠ ${gaps} stated ≠ suggested`) : null) : null,
			newInitiative ? (users === null ? spinner() : initiativeForm(ctx, null, {
				users, pillars: s.pillars || [], objectives: s.objectives || [],
				onSaved: async (init) => { newInitiative = false; toast(`Initiative created: ${init.title}`); await reload(); },
				onCancel: () => { newInitiative = false; paintInitiatives(); focusTestid('new-initiative', initBox); },
			})) : null,
			inits.length ? groups.map(g => h('div', { class: 'st-group', 'data-testid': 'initiative-group', dataset: { key: g.key } },
				h('h3', { class: 'st-group-h' }, g.name,
					g.share !== null && g.share !== undefined ? h('span', { class: 'muted' }, ` · intends ${num(g.share, 1)} %`) : null,
					h('span', { class: 'muted' }, ` · ${plural(g.items.length, 'initiative')}`)),
				h('div', { class: 'init-grid' }, g.items.map(initiativeCard))))
				: h('div', { class: 'card empty st-empty' }, h('p', { class: 'empty-title' }, 'No initiatives yet'),
					h('p', { class: 'muted' }, 'Initiatives sit between pillars and epics: what the team is doing for an objective, with dates and a health.')));
	}

	async function openNewInitiative() {
		newInitiative = true;
		paintInitiatives();
		if (users === null) {
			try { users = await api.listUsers(); } catch (err) { if (err.status === 401) return; users = []; }
			if (!ctx.alive()) return;
			paintInitiatives();
		}
	}

	/* ---- history ---- */

	function paintHistory() {
		const head = h('div', { class: 'section-head' }, h('h2', { id: 'st-hist-h' }, 'Strategy history'),
			history ? h('span', { class: 'count' }, String(history.length)) : null);
		if (historyErr) { replace(histBox, head, notice('error', `The history could not be loaded: ${historyErr}`)); return; }
		if (!history) { replace(histBox, head, spinner()); return; }
		if (!history.length) { replace(histBox, head, h('p', { class: 'muted' }, 'Nothing has changed yet.')); return; }
		const names = namesOf(s);
		const shown = historyAll ? history : history.slice(0, 15);
		replace(histBox, head,
			h('ol', { class: 'timeline st-timeline', 'data-testid': 'history' }, shown.map(it => historyItem(it, names))),
			history.length > shown.length ? h('button', {
				type: 'button', class: 'btn btn-sm btn-ghost', 'data-testid': 'history-more',
				onclick: () => { historyAll = true; paintHistory(); },
			}, `Show all ${history.length}`) : null);
	}

	paint();
	await loadHistory();
}

/* ---------- the initiative form (new and edit) ---------- */

function initiativeForm(ctx, init, { users, pillars, objectives, onSaved, onCancel }) {
	const i = init || {};
	const title = h('input', { type: 'text', name: 'title', maxlength: 200, value: i.title || '', autocomplete: 'off', 'data-testid': 'init-title-input' });
	const desc = h('textarea', { name: 'description', rows: 3, class: 'st-short-text' });
	desc.value = i.description || '';
	const userOpts = [['', 'Nobody'], ...users.filter(u => u.role !== 'viewer' || u.login === i.owner).map(u => [u.login, u.name && u.name !== u.login ? `${u.login} — ${u.name}` : u.login])];
	if (i.owner && !userOpts.some(([v]) => v === i.owner)) userOpts.push([i.owner, i.owner]);
	const owner = select('owner', userOpts, i.owner || (init ? '' : (ctx.user && ctx.user.login) || ''));
	const pillar = select('pillar', [['', 'No pillar'], ...pillars.map(p => [String(p.id), p.name])], i.pillar ? String(i.pillar.id) : '');
	const horizon = select('horizon', [['', 'No horizon'], ...LANES], i.horizon || '');
	const status = select('status', STATUSES, i.status || 'planned');
	const start = h('input', { type: 'date', name: 'start', value: i.start || '' });
	const target = h('input', { type: 'date', name: 'target', value: i.target || '' });
	const pub = h('input', { type: 'checkbox', name: 'public', checked: !!i.public, 'data-testid': 'init-public' });
	const objBoxes = objectives.map(o => h('label', { class: 'check' },
		h('input', { type: 'checkbox', name: 'objectives', value: String(o.id), checked: (i.objectives || []).includes(o.id) }), o.title));
	const fmsg = h('div', { class: 'form-msg' });
	const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'init-save' }, init ? 'Save changes' : 'Create initiative');
	const form = h('form', { class: 'card edit-form st-init-form', novalidate: true, 'aria-label': init ? 'Edit initiative' : 'New initiative', 'data-testid': 'initiative-form' },
		field('Title', title, { wide: true }),
		field('Description', desc, { wide: true, hint: 'Plain text: what it is and why (shown on the public roadmap when public)' }),
		h('div', { class: 'field-grid' },
			field('Owner', owner, { hint: 'Posts its health updates' }), field('Pillar', pillar), field('Horizon', horizon), field('Status', status),
			field('Start', start), field('Target', target)),
		objBoxes.length ? h('fieldset', { class: 'checks' }, h('legend', null, 'Objectives it serves'), objBoxes) : null,
		h('label', { class: 'check check-public' }, pub, 'Public — show it on the public roadmap (title, description, horizon, status)'),
		fmsg,
		h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => onCancel() }, 'Cancel')));
	form.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') { ev.preventDefault(); onCancel(); }
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
	});
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const objs = [...form.querySelectorAll('input[name=objectives]:checked')].map(b => Number(b.value));
		const all = {
			title: title.value.trim(), description: desc.value.trim(), owner: owner.value || null,
			pillar: pillar.value ? Number(pillar.value) : null, objectives: objs, horizon: horizon.value || null,
			start: start.value || null, target: target.value || null, status: status.value, public: pub.checked,
		};
		if (!all.title) { markInvalid(form, 'title'); replace(fmsg, notice('error', 'A title is required.')); title.focus(); return; }
		for (const k of ['start', 'target']) {
			if (all[k] !== null && !isYmd(all[k])) { markInvalid(form, k).focus(); replace(fmsg, notice('error', `Choose the ${k} date.`)); return; }
		}
		let body = all;
		if (init) {
			body = {};
			const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
			if (!same(all.title, i.title)) body.title = all.title;
			if (!same(all.description, i.description || '')) body.description = all.description;
			if (!same(all.owner, i.owner || null)) body.owner = all.owner;
			if (!same(all.pillar, i.pillar ? i.pillar.id : null)) body.pillar = all.pillar;
			if (!same([...all.objectives].sort(), [...(i.objectives || [])].sort())) body.objectives = all.objectives;
			for (const k of ['horizon', 'start', 'target', 'status']) if (!same(all[k], i[k] ?? null)) body[k] = all[k];
			if (all.public !== !!i.public) body.public = all.public;
			if (!Object.keys(body).length) { toast('Nothing changed'); onCancel(); return; }
		}
		const res = await submitWith(form, fmsg, save, () => (init ? api.updateInitiative(i.id, body, i.version) : api.createInitiative(body)));
		if (!res || !ctx.alive()) return;
		onSaved(res);
	});
	setTimeout(() => title.focus(), 0);
	return form;
}

/* ---------- /strategy/initiatives/{id} ---------- */

export async function renderInitiative(ctx) {
	const id = ctx.params.id;
	ctx.setTitle('Initiative');
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	const [initRes, stratRes] = await Promise.allSettled([api.getInitiative(id), api.getStrategy()]);
	if (initRes.status === 'rejected') throw initRes.reason;
	if (!ctx.alive()) return;
	let init = initRes.value;
	let s = stratRes.status === 'fulfilled' ? stratRes.value : { pillars: [], objectives: [], initiatives: [] };
	let history = null;
	let users = null;
	let editing = false;
	const mayEdit = canEditStrategy(ctx.user);
	const mayEpics = canManageEpics(ctx.user);

	const head = h('div', { class: 'init-head' });
	const pageMsg = h('div', { class: 'page-msg' });
	const facts = h('div', { class: 'init-facts' });
	const epicsBox = h('section', { class: 'card init-section', 'aria-labelledby': 'init-epics-h', 'data-testid': 'epics' });
	const updatesBox = h('section', { class: 'card init-section', 'aria-labelledby': 'init-upd-h', 'data-testid': 'updates' });
	const demandBox = h('section', { class: 'card init-section', 'aria-labelledby': 'init-dem-h', 'data-testid': 'demand-box' });
	const objBox = h('section', { class: 'card init-section', 'aria-labelledby': 'init-obj-h', 'data-testid': 'init-objectives' });
	const histBox = h('section', { class: 'init-section history', 'aria-labelledby': 'init-hist-h', 'data-testid': 'init-history' });

	replace(ctx.root, h('article', { class: 'page page-wide init-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/strategy' }, 'Strategy'), h('span', { 'aria-hidden': 'true' }, ' / '),
			h('a', { href: '/strategy/roadmap' }, 'Roadmap'), h('span', { 'aria-hidden': 'true' }, ' / '),
			h('span', { 'data-testid': 'crumb-title' }, init.title)),
		head, pageMsg, facts,
		h('div', { class: 'init-layout' },
			h('div', { class: 'init-col' }, epicsBox, updatesBox),
			h('div', { class: 'init-col' }, demandBox, objBox, histBox))));

	function paint() {
		ctx.setTitle(init.title);
		const crumb = ctx.root.querySelector('[data-testid="crumb-title"]');
		if (crumb) crumb.textContent = init.title;
		paintHead();
		paintFacts();
		paintEpics();
		paintUpdates();
		paintDemand();
		paintObjectives();
		paintHistory();
	}

	async function reload() {
		try {
			init = await api.getInitiative(id);
		} catch (err) {
			if (err.status !== 401 && ctx.alive()) replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		replace(pageMsg);
		paint();
		loadHistory();
	}

	async function loadHistory() {
		try {
			const all = await api.strategyHistory();
			history = all.filter(x => x.object === `initiative ${init.id}`);
		} catch (err) {
			if (err.status === 401) return;
			history = [];
		}
		if (ctx.alive()) paintHistory();
	}

	function paintHead() {
		replace(head,
			h('div', { class: 'issue-title-row' },
				h('h1', { class: 'issue-title', 'data-testid': 'initiative-title' }, init.title),
				mayEdit && !editing ? h('div', { class: 'issue-actions' },
					h('button', { type: 'button', class: 'btn', 'data-testid': 'initiative-edit', onclick: openEdit }, 'Edit')) : null),
			h('p', { class: 'issue-meta' },
				statusChip(init.status), horizonChip(init.horizon),
				init.public ? h('span', { class: 'pub-chip', title: 'Shown on the public roadmap' }, 'Public') : h('span', { class: 'muted' }, 'Not public'),
				h('span', null, h('span', { class: 'init-k' }, 'Pillar '), init.pillar ? h('strong', null, init.pillar.name) : h('span', { class: 'muted' }, 'none')),
				h('span', { class: 'init-owner' }, h('span', { class: 'init-k' }, 'Owner '), person(init.owner)),
				datesText(init.start, init.target)),
			init.description ? h('p', { class: 'init-desc', 'data-testid': 'initiative-description' }, init.description) : null,
			editing ? (users === null ? spinner() : initiativeForm(ctx, init, {
				users, pillars: s.pillars || [], objectives: s.objectives || [],
				onSaved: async (res) => { editing = false; init = { ...init, ...res }; toast('Initiative saved'); await reload(); focusEdit(); },
				onCancel: () => { editing = false; paintHead(); focusEdit(); },
			})) : null);
	}

	function focusEdit() {
		const b = head.querySelector('[data-testid="initiative-edit"]');
		if (b) b.focus();
	}

	async function openEdit() {
		editing = true;
		paintHead();
		if (users === null) {
			try { users = await api.listUsers(); } catch (err) { if (err.status === 401) return; users = []; }
			if (ctx.alive()) paintHead();
		}
	}

	function paintFacts() {
		const p = init.progress || {};
		replace(facts,
			h('div', { class: 'stat stat-col init-fact' },
				progressBar(p, { large: true, label: 'Progress' }),
				h('span', { class: 'stat-label' }, `${p.done_items ?? 0} of ${plural(p.items ?? 0, 'item')} done · ${plural(p.epics ?? 0, 'epic')}${p.unsized ? ` · ${p.unsized} not sized (not in the points)` : ''}`)),
			h('div', { class: `stat stat-col init-fact${healthGap(init) ? ' stat-warn' : ''}`, 'data-testid': 'health' },
				h('div', { class: 'init-healths' },
					h('span', { class: 'init-k' }, 'Stated'), healthChip(init.health, { testid: 'health-stated' }),
					h('span', { class: 'init-k' }, 'Suggested'), healthChip(init.suggested_health, { suggested: true, testid: 'health-suggested' })),
				healthGap(init) || h('span', { class: 'stat-label' }, init.health ? 'The stated health agrees with the forecast.' : 'No health stated yet.'),
				init.health_update ? h('span', { class: 'stat-label' }, `Last update ${dayOf(init.health_update.at)} by ${init.health_update.author}`) : null),
			h('div', { class: 'stat stat-col init-fact init-fact-fc' }, forecastLine(init, { long: true })));
	}

	/* ---- epics ---- */

	function paintEpics() {
		const epics = Array.isArray(init.epics) ? init.epics : [];
		const hasPts = epics.some(e => e.points !== undefined && e.points !== null);
		const numIn = h('input', { type: 'text', name: 'number', inputmode: 'numeric', autocomplete: 'off', placeholder: '#123', 'aria-label': 'Epic number', 'data-testid': 'add-epic-number', class: 'init-epic-num' });
		const fmsg = h('div', { class: 'form-msg' });
		const add = h('button', { type: 'submit', class: 'btn btn-sm', 'data-testid': 'add-epic' }, 'Add epic');
		const form = mayEpics ? h('form', { class: 'init-epic-form', novalidate: true, 'aria-label': 'Add an epic to this initiative' },
			h('div', { class: 'kr-form-row' }, numIn, add), fmsg) : null;
		if (form) {
			form.addEventListener('submit', async (ev) => {
				ev.preventDefault();
				const n = Number(String(numIn.value).replace(/^#/, '').trim());
				if (!Number.isInteger(n) || n <= 0) { markInvalid(form, 'number'); replace(fmsg, notice('error', 'Enter an epic’s number, like 123.')); numIn.focus(); return; }
				const res = await submitWith(form, fmsg, add, () => api.addInitiativeEpic(init.id, n));
				if (res === undefined || !ctx.alive()) return;
				toast(`Epic #${n} added`);
				await reload();
				const inp = epicsBox.querySelector('[data-testid="add-epic-number"]');
				if (inp) inp.focus();
			});
		}
		replace(epicsBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'init-epics-h' }, 'Epics'), h('span', { class: 'count' }, String(epics.length))),
			epics.length ? h('div', { class: 'init-table-wrap' }, h('table', { class: 'ev-table init-epics' },
				h('caption', { class: 'sr-only' }, `Epics of ${init.title}`),
				h('thead', null, h('tr', null,
					h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Epic'), h('th', { scope: 'col' }, 'State'),
					h('th', { scope: 'col' }, 'Board'), hasPts ? h('th', { scope: 'col', class: 'right' }, 'Done / points') : null,
					mayEpics ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Remove')) : null)),
				h('tbody', null, epics.map(e => h('tr', { 'data-testid': 'epic-row', dataset: { number: String(e.number) } },
					h('td', { class: 'mono-num muted' }, String(e.number)),
					h('td', { class: 'ev-title' }, h('a', { href: `/issues/${e.number}`, 'data-testid': 'epic-link' }, e.title)),
					h('td', null, stateBadge(e.state)),
					h('td', null, boardChip(e.board)),
					hasPts ? h('td', { class: 'right mono-num' }, `${num(e.done_points ?? 0, 1)} / ${num(e.points ?? 0, 1)}`) : null,
					mayEpics ? h('td', { class: 'right' }, h('button', {
						type: 'button', class: 'btn btn-sm btn-ghost', 'data-testid': 'remove-epic', 'aria-label': `Remove epic #${e.number} from this initiative`,
						onclick: () => removeEpic(e),
					}, 'Remove')) : null)))))
				: h('p', { class: 'muted' }, mayEpics ? 'No epics yet: add one by its number.' : 'No epics yet.'),
			form);
	}

	async function removeEpic(e) {
		try {
			await api.removeInitiativeEpic(init.id, e.number);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		toast(`Epic #${e.number} taken out`);
		await reload();
		const inp = epicsBox.querySelector('[data-testid="add-epic-number"]');
		if (inp) inp.focus();
	}

	/* ---- health updates ---- */

	function paintUpdates() {
		const ups = Array.isArray(init.updates) ? [...init.updates] : [];
		ups.sort((a, b) => String(b.at).localeCompare(String(a.at)) || (Number(b.id) || 0) - (Number(a.id) || 0));
		replace(updatesBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'init-upd-h' }, 'Health updates'), h('span', { class: 'count' }, String(ups.length))),
			canPostUpdate(ctx.user, init) ? updateForm() : null,
			ups.length ? h('ol', { class: 'init-updates', 'data-testid': 'update-list' }, ups.map(u => h('li', { class: 'init-upd', 'data-testid': 'update' },
				h('div', { class: 'init-upd-head' }, healthChip(u.health), h('span', { class: 'muted' }, ' · ', person(u.author), ' · ', timeEl(h, u.at, 'full'))),
				h('p', { class: 'init-upd-text' }, u.text))))
				: h('p', { class: 'muted' }, 'No update posted yet.'));
	}

	function updateForm() {
		const name = uid('health');
		const initial = init.health || init.suggested_health || 'on_track';
		const radios = HEALTHS.map(([k, label]) => h('label', { class: `health-pick health-${k}` },
			h('input', { type: 'radio', name: 'health', value: k, checked: k === initial, id: `${name}-${k}`, 'data-testid': `update-health-${k}` }),
			h('span', { class: 'health-dot', 'aria-hidden': 'true' }), label));
		const text = h('textarea', { name: 'text', rows: 3, maxlength: 2000, class: 'st-short-text', 'data-testid': 'update-text', placeholder: 'What changed, what is in the way, what comes next' });
		const fmsg = h('div', { class: 'form-msg' });
		const post = h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'post-update' }, 'Post update');
		const form = h('form', { class: 'init-upd-form', novalidate: true, 'aria-label': 'Post a health update', 'data-testid': 'update-form' },
			h('fieldset', { class: 'health-picks' }, h('legend', null, 'Health'), radios),
			field('Update', text, { wide: true, hint: 'Ctrl+Enter posts' }),
			fmsg,
			h('div', { class: 'form-actions' }, post));
		form.addEventListener('keydown', (ev) => {
			if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
		});
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const health = (form.querySelector('input[name=health]:checked') || {}).value;
			if (!text.value.trim()) { markInvalid(form, 'text'); replace(fmsg, notice('error', 'Write a short update.')); text.focus(); return; }
			const res = await submitWith(form, fmsg, post, () => api.postInitiativeUpdate(init.id, health, text.value.trim()));
			if (!res || !ctx.alive()) return;
			toast(`Update posted: ${healthLabel(health)}`);
			await reload();
			const t = updatesBox.querySelector('[data-testid="update-text"]');
			if (t) t.focus();
		});
		return form;
	}

	/* ---- demand, objectives, history ---- */

	function paintDemand() {
		const d = init.demand || {};
		const top = Array.isArray(d.top) ? d.top : [];
		replace(demandBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'init-dem-h' }, 'Demand')),
			h('p', { class: 'init-dem-sum', 'data-testid': 'demand-summary' },
				h('strong', null, plural(d.customers || 0, 'customer')), ' · ', plural(d.insights || 0, 'insight'), ' · ',
				h('strong', { title: moneyText(d.arr) }, moneyShort(d.arr || 0)), ' ARR',
				h('span', { class: 'muted' }, ' — through its epics’ issues')),
			top.length ? h('table', { class: 'ev-table init-cust-table', 'data-testid': 'top-customers' },
				h('caption', { class: 'sr-only' }, 'Top customers by ARR'),
				h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Customer'), h('th', { scope: 'col' }, 'Tier'),
					h('th', { scope: 'col', class: 'right' }, 'ARR'), h('th', { scope: 'col', class: 'right' }, 'Insights'))),
				h('tbody', null, top.map(c => h('tr', { 'data-testid': 'top-customer-row' },
					h('td', { class: 'ev-title' }, h('a', { href: `/customers/${c.id}` }, c.name), c.strategic ? [' ', strategicBadge()] : null),
					h('td', null, tierBadge(c.tier)),
					h('td', { class: 'right mono-num' }, moneyShort(c.arr)),
					h('td', { class: 'right mono-num' }, String(c.insights ?? '—'))))))
				: h('p', { class: 'muted' }, 'No customer insight is linked to its work yet.'));
	}

	function paintObjectives() {
		const ids = init.objectives || [];
		const objs = (s.objectives || []).filter(o => ids.includes(o.id));
		replace(objBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'init-obj-h' }, 'Objectives'), h('span', { class: 'count' }, String(ids.length))),
			objs.length ? h('ul', { class: 'init-objs' }, objs.map(o => h('li', { class: 'init-obj' },
				h('strong', null, o.title), o.period ? h('span', { class: 'st-period' }, o.period) : null,
				h('ul', { class: 'kr-list kr-list-compact' }, (o.key_results || []).map(kr => h('li', { class: 'kr' },
					h('div', { class: 'kr-metric' }, kr.metric,
						h('span', { class: 'muted' }, ` · now ${kr.current === null || kr.current === undefined ? '—' : num(kr.current, 3)}, target ${num(kr.target, 3)}`)),
					ratioBar(kr.progress, `Progress of ${kr.metric}`)))))))
				: h('p', { class: 'muted' }, 'It serves no objective yet.'));
	}

	function paintHistory() {
		const head = h('div', { class: 'section-head' }, h('h2', { id: 'init-hist-h' }, 'History'));
		if (history === null) { replace(histBox, head, spinner()); return; }
		if (!history.length) { replace(histBox, head, h('p', { class: 'muted' }, 'No change recorded yet.')); return; }
		const names = namesOf(s);
		names.initiative.set(init.id, init.title);
		replace(histBox, head, h('ol', { class: 'timeline', 'data-testid': 'history' }, history.slice(0, 50).map(it => historyItem(it, names))));
	}

	paint();
	await loadHistory();
}

/* ---------- /strategy/allocation ---------- */

const KIND_LABEL = { unplanned: 'Unplanned', bugs: 'Bugs', security: 'Security' };

export async function renderAllocation(ctx) {
	ctx.setTitle('Investment allocation');
	const by = ctx.query.get('by') === 'quarter' ? 'quarter' : 'milestone';
	const last = [4, 6, 8, 12].includes(Number(ctx.query.get('last'))) ? Number(ctx.query.get('last')) : 6;
	const href = (b, l) => `/strategy/allocation?by=${b}${l !== 6 ? `&last=${l}` : ''}`;
	const seg = (v, text) => h('a', {
		href: href(v, last), class: `seg-btn${by === v ? ' on' : ''}`, 'aria-current': by === v ? 'page' : null, 'data-testid': `alloc-by-${v}`,
	}, text);
	const lastSel = select('last', [4, 6, 8, 12].map(n => [String(n), `last ${n}`]), String(last));
	lastSel.id = uid('last');
	lastSel.setAttribute('data-testid', 'alloc-last');
	lastSel.addEventListener('change', () => ctx.navigate(href(by, Number(lastSel.value))));
	const body = h('div', { class: 'alloc-body' }, spinner());
	replace(ctx.root, h('section', { class: 'page page-wide alloc-page' },
		h('div', { class: 'page-head st-head' }, h('h1', null, 'Investment allocation'), strategyTabs('allocation')),
		h('p', { class: 'muted alloc-intro' }, 'Of the points shipped, the share that went to each pillar and initiative, to unplanned work (no initiative), to bugs and to security fixes — beside the share the strategy intends for each pillar.'),
		h('div', { class: 'toolbar alloc-toolbar' },
			h('nav', { class: 'seg tabs', 'aria-label': 'Buckets' }, seg('milestone', 'Per milestone'), seg('quarter', 'Per quarter')),
			h('label', { class: 'ms-pick', for: lastSel.id }, 'Show', lastSel)),
		body));

	let data;
	try {
		data = await api.strategyAllocation({ by, last });
	} catch (err) {
		if (!ctx.alive() || err.status === 401) return;
		replace(body, notice('error', `The allocation could not be loaded: ${err.message}`));
		return;
	}
	if (!ctx.alive()) return;
	let width = body.clientWidth;
	replace(body, allocationView(data, by, { width }));
	// The chart is drawn at the page's width (its text at its real size): redraw on a resize.
	if (typeof ResizeObserver === 'function') {
		let timer = null;
		const ro = new ResizeObserver(() => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				if (!ctx.alive() || Math.abs(body.clientWidth - width) < 40) return;
				width = body.clientWidth;
				replace(body, allocationView(data, by, { width }));
			}, 120);
		});
		ro.observe(body);
		ctx.onCleanup(() => { ro.disconnect(); clearTimeout(timer); });
	}
}

/* The categories in stacking order, each with a colour class: pillars
 * (intended ones first, by the order the server lists them), then a pillar
 * the strategy does not intend, then unplanned, bugs, security. */
function allocationCategories(data) {
	const cats = [];
	const seen = new Map();
	const add = (key, label, kind, pillarId) => {
		if (seen.has(key)) return seen.get(key);
		const c = { key, label, kind, pillarId, color: null, initiatives: new Map() };
		seen.set(key, c);
		cats.push(c);
		return c;
	};
	for (const it of data.intended || []) if (it.pillar) add(`p${it.pillar.id}`, it.pillar.name, 'pillar', it.pillar.id);
	for (const b of data.buckets || []) {
		for (const sh of b.shares || []) {
			if (sh.kind === 'initiative') {
				const c = sh.pillar ? add(`p${sh.pillar.id}`, sh.pillar.name, 'pillar', sh.pillar.id) : add('p0', 'No pillar', 'pillar', null);
				if (sh.initiative) c.initiatives.set(sh.initiative.id, sh.initiative.title);
			}
		}
	}
	let i = 0;
	for (const c of cats) c.color = `al-c${i++ % 8}`;
	for (const k of ['unplanned', 'bugs', 'security']) {
		const c = add(k, KIND_LABEL[k], k, null);
		c.color = `al-${k}`;
	}
	return cats;
}

function catOf(sh) {
	if (sh.kind === 'initiative') return sh.pillar ? `p${sh.pillar.id}` : 'p0';
	return sh.kind;
}

function pct(x) { return `${num((Number(x) || 0) * 100, 1)} %`; }

export function allocationView(data, by = 'milestone', { width = 760 } = {}) {
	const buckets = Array.isArray(data.buckets) ? data.buckets : [];
	const cats = allocationCategories(data);
	const intended = new Map((data.intended || []).filter(x => x.pillar).map(x => [`p${x.pillar.id}`, Number(x.target_share) || 0]));
	if (!buckets.length) {
		return h('div', { class: 'card empty', 'data-testid': 'allocation' }, h('p', { class: 'empty-title' }, 'Nothing shipped yet'),
			h('p', { class: 'muted' }, by === 'milestone' ? 'Once milestones have done work, their points show here.' : 'Once work is done, each quarter’s points show here.'));
	}
	// Per bucket and category: points (and per initiative).
	const rows = buckets.map(b => {
		const per = new Map();
		const inits = [];
		for (const sh of b.shares || []) {
			const k = catOf(sh);
			per.set(k, (per.get(k) || 0) + (Number(sh.points) || 0));
			if (sh.kind === 'initiative') inits.push(sh);
		}
		return { key: b.key, points: Number(b.points) || 0, per, inits };
	});
	const used = cats.filter(c => c.kind === 'pillar' || rows.some(r => r.per.get(c.key)));
	const totalPts = rows.reduce((a, r) => a + r.points, 0);
	const sumOf = (k) => rows.reduce((a, r) => a + (r.per.get(k) || 0), 0);

	/* ---- the chart: one 100 % bar per bucket, then the intended shares ---- */
	// One unit is one pixel: the card's inner width (its padding is 2 × 18 px),
	// narrower with a few buckets (the bars stay close to the intended one).
	const H = 300; const L = 40; const R = 12; const T = 16; const B = 44;
	const n = rows.length + 1; // + the intended bar
	const W = Math.max(320, Math.round(Math.min((Number(width) || 760) - 38, L + R + (n + 0.6) * 150)));
	const slot = (W - L - R) / (n + 0.6);
	const bw = Math.min(72, slot * 0.62);
	const ys = (v) => T + (1 - v) * (H - T - B);
	const g = [];
	for (let v = 0; v <= 1.0001; v += 0.25) {
		g.push(svg('line', { x1: L, x2: W - R, y1: ys(v), y2: ys(v), class: v === 0 ? 'ax-base' : 'ax-grid' }));
		g.push(svg('text', { x: L - 6, y: ys(v) + 4, class: 'ax-label', 'text-anchor': 'end' }, document.createTextNode(`${Math.round(v * 100)}%`)));
	}
	const barX = (i) => L + slot * (i + 0.5) + (i >= rows.length ? slot * 0.6 : 0) - bw / 2 + slot * 0.1;
	rows.forEach((r, i) => {
		const x = barX(i);
		let acc = 0;
		if (!r.points) {
			g.push(svg('rect', { x, y: ys(1), width: bw, height: ys(0) - ys(1), class: 'al-empty', 'data-testid': 'alloc-bar', 'data-bucket': r.key }));
		} else {
			const bar = svg('g', { 'data-testid': 'alloc-bar', 'data-bucket': r.key });
			for (const c of used) {
				const pts = r.per.get(c.key) || 0;
				if (!pts) continue;
				// a pillar's part is split by its initiatives (thin lines between them)
				const parts = c.kind === 'pillar'
					? r.inits.filter(sh => catOf(sh) === c.key).map(sh => [Number(sh.points) || 0, `${c.label} · ${sh.initiative ? sh.initiative.title : 'initiative'}`])
					: [[pts, c.label]];
				for (const [p, label] of parts) {
					if (!p) continue;
					const share = p / r.points;
					const y0 = ys(acc + share); const y1 = ys(acc);
					const seg = svg('rect', { x, y: y0, width: bw, height: Math.max(0, y1 - y0), class: `al-seg ${c.color}`, 'data-cat': c.key });
					seg.appendChild(svg('title', {}, document.createTextNode(`${r.key} · ${label}: ${num(p, 1)} pts (${pct(share)})`)));
					bar.appendChild(seg);
					acc += share;
				}
			}
			g.push(bar);
		}
		g.push(svg('text', { x: x + bw / 2, y: H - B + 16, class: 'ax-label al-key', 'text-anchor': 'middle' }, document.createTextNode(String(r.key))));
		g.push(svg('text', { x: x + bw / 2, y: H - B + 30, class: 'ax-label al-pts', 'text-anchor': 'middle' }, document.createTextNode(slot < 56 ? num(r.points, 1) : `${num(r.points, 1)} pts`)));
	});
	// the intended bar: the pillars' shares, the rest unassigned
	{
		const x = barX(rows.length);
		let acc = 0;
		const bar = svg('g', { 'data-testid': 'alloc-intended-bar' });
		for (const c of used) {
			const share = (intended.get(c.key) || 0) / 100;
			if (!share) continue;
			const y0 = ys(Math.min(1, acc + share)); const y1 = ys(acc);
			const seg = svg('rect', { x, y: y0, width: bw, height: Math.max(0, y1 - y0), class: `al-seg al-intended ${c.color}` });
			seg.appendChild(svg('title', {}, document.createTextNode(`Intended · ${c.label}: ${num(share * 100, 1)} %`)));
			bar.appendChild(seg);
			acc += share;
		}
		if (acc < 1) bar.appendChild(svg('rect', { x, y: ys(1), width: bw, height: ys(acc) - ys(1), class: 'al-rest' }));
		g.push(bar);
		g.push(svg('line', { x1: x - slot * 0.35, x2: x - slot * 0.35, y1: T, y2: H - B + 34, class: 'al-sep' }));
		// near the right edge the labels end at the edge instead of centring on the bar
		const lx = x + bw / 2 + 34 > W ? W - 2 : x + bw / 2;
		const anchor = lx === W - 2 ? 'end' : 'middle';
		g.push(svg('text', { x: lx, y: H - B + 16, class: 'ax-label al-key al-key-intended', 'text-anchor': anchor }, document.createTextNode('Intended')));
		g.push(svg('text', { x: lx, y: H - B + 30, class: 'ax-label al-pts', 'text-anchor': anchor }, document.createTextNode(slot < 56 ? 'strategy' : 'by strategy')));
	}
	const titleId = uid('alloc');
	const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'alloc-svg', role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMidYMid meet', 'data-testid': 'alloc-chart' },
		svg('title', { id: titleId }, document.createTextNode(`Share of the shipped points per ${by}, by pillar, unplanned work, bugs and security; the last bar is the intended split. The tables below have the numbers.`)),
		...g);
	chart.style.maxWidth = `${W}px`; // drawn at its size, never stretched

	const legend = h('ul', { class: 'alloc-legend', 'data-testid': 'alloc-legend' }, used.map(c => h('li', { class: 'alloc-lg' },
		h('span', { class: `alloc-sw ${c.color}`, 'aria-hidden': 'true' }), c.label,
		intended.has(c.key) ? h('span', { class: 'muted' }, ` · intends ${num(intended.get(c.key), 1)} %`) : null)),
	h('li', { class: 'alloc-lg' }, h('span', { class: 'alloc-sw al-rest-sw', 'aria-hidden': 'true' }), h('span', { class: 'muted' }, 'Not assigned by the strategy')));

	/* ---- intended vs actual over the whole range ---- */
	const cmp = h('table', { class: 'ev-table alloc-cmp', 'data-testid': 'alloc-compare' },
		h('caption', null, `Intended vs shipped, over ${rows.length} ${by === 'quarter' ? 'quarter' : 'milestone'}${rows.length === 1 ? '' : 's'} (${num(totalPts, 1)} pts)`),
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Where'), h('th', { scope: 'col', class: 'right' }, 'Intended'),
			h('th', { scope: 'col', class: 'right' }, 'Shipped'), h('th', { scope: 'col', class: 'right' }, 'Points'), h('th', { scope: 'col', class: 'right' }, 'Gap'))),
		h('tbody', null, used.map(c => {
			const pts = sumOf(c.key);
			const actual = totalPts ? pts / totalPts : 0;
			const want = intended.has(c.key) ? intended.get(c.key) / 100 : null;
			const gap = want === null ? null : actual - want;
			return h('tr', { 'data-testid': 'alloc-compare-row', dataset: { cat: c.key } },
				h('th', { scope: 'row' }, h('span', { class: `alloc-sw ${c.color}`, 'aria-hidden': 'true' }), c.label),
				h('td', { class: 'right mono-num' }, want === null ? h('span', { class: 'muted' }, '—') : pct(want)),
				h('td', { class: 'right mono-num', 'data-testid': 'alloc-actual' }, pct(actual)),
				h('td', { class: 'right mono-num' }, num(pts, 1)),
				h('td', { class: `right mono-num${gap !== null && Math.abs(gap) >= 0.1 ? ' alloc-gap-big' : ''}` },
					gap === null ? h('span', { class: 'muted' }, '—') : `${gap >= 0 ? '+' : '−'}${num(Math.abs(gap) * 100, 1)} pt`));
		})));

	/* ---- per bucket: the numbers of the chart ---- */
	const table = h('div', { class: 'alloc-table-wrap' }, h('table', { class: 'ev-table alloc-table', 'data-testid': 'alloc-table' },
		h('caption', null, `Shares per ${by}`),
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, by === 'quarter' ? 'Quarter' : 'Milestone'),
			used.map(c => h('th', { scope: 'col', class: 'right' }, c.label)), h('th', { scope: 'col', class: 'right' }, 'Points'))),
		h('tbody', null,
			rows.map(r => h('tr', { 'data-testid': 'alloc-row', dataset: { bucket: r.key } },
				h('th', { scope: 'row' }, r.key),
				used.map(c => {
					const pts = r.per.get(c.key) || 0;
					return h('td', { class: 'right mono-num', title: `${num(pts, 1)} pts` }, r.points && pts ? pct(pts / r.points) : h('span', { class: 'muted' }, '—'));
				}),
				h('td', { class: 'right mono-num' }, num(r.points, 1)))),
			h('tr', { class: 'alloc-intended-row' }, h('th', { scope: 'row' }, 'Intended'),
				used.map(c => h('td', { class: 'right mono-num' }, intended.has(c.key) ? `${num(intended.get(c.key), 1)} %` : h('span', { class: 'muted' }, '—'))),
				h('td', null)))));

	/* ---- initiatives within the pillars ---- */
	const initRows = [];
	const initPts = new Map();
	for (const r of rows) {
		for (const sh of r.inits) {
			const k = sh.initiative ? sh.initiative.id : 0;
			const e = initPts.get(k) || { title: sh.initiative ? sh.initiative.title : 'Unknown', pillar: sh.pillar ? sh.pillar.name : 'No pillar', id: k, points: 0 };
			e.points += Number(sh.points) || 0;
			initPts.set(k, e);
		}
	}
	for (const e of [...initPts.values()].sort((a, b) => b.points - a.points)) initRows.push(e);
	const initTable = initRows.length ? h('table', { class: 'ev-table alloc-inits', 'data-testid': 'alloc-initiatives' },
		h('caption', null, 'By initiative'),
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Initiative'), h('th', { scope: 'col' }, 'Pillar'),
			h('th', { scope: 'col', class: 'right' }, 'Points'), h('th', { scope: 'col', class: 'right' }, 'Share'))),
		h('tbody', null, initRows.map(e => h('tr', null,
			h('th', { scope: 'row' }, e.id ? h('a', { href: initiativeHref(e.id) }, e.title) : e.title),
			h('td', null, e.pillar),
			h('td', { class: 'right mono-num' }, num(e.points, 1)),
			h('td', { class: 'right mono-num' }, totalPts ? pct(e.points / totalPts) : '—'))))) : null;

	return h('div', { class: 'alloc', 'data-testid': 'allocation' },
		h('div', { class: 'card alloc-chart-card' }, chart, legend),
		h('div', { class: 'alloc-tables' }, h('div', { class: 'alloc-table-wrap' }, cmp), initTable ? h('div', { class: 'alloc-table-wrap' }, initTable) : null),
		table);
}
