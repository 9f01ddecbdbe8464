// backlog.js — the ranked backlog (/backlog?rank=demand|rice): open issues
// with customer evidence, best first.  Each row expands (click, Enter or
// Space) to the numbers behind its score: the linked insights with their
// importance, age and weight, the customers with tier, ARR and strategic
// flag, the demand formula's parts and the RICE inputs.
//
// /backlog?view=movers&since=YYYY-MM-DD — the reprioritization view: the
// issues whose demand moved most since a date (30 days ago by default).
//
// Keys: j / k move between rows, Enter or Space expands, o opens the issue.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import {
	scoreText, num, deltaText, importanceValue, demandDecay, customerWeight, ymdDaysAgo, dateText, moneyText,
	DEMAND_HALF_LIFE_DAYS,
} from './fmt.js?v={{v}}';
import { typeBadge, labelChip, notice, spinner } from './ui.js?v={{v}}';
import { loadDirectory, tierBadge, strategicBadge, importanceChip } from './customer.js?v={{v}}';

const LIMIT = 50;
const RANKS = [['demand', 'By demand'], ['rice', 'By RICE']];

function isYmd(s) {
	return /^\d{4}-\d{2}-\d{2}$/.test(String(s || '')) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

/* Derived like the server's label: a critical ask from a strategic customer. */
function customerRequest(item) {
	return (item.evidence || []).some(e => e.importance === 'critical' && e.customer && e.customer.strategic);
}

export async function renderBacklog(ctx) {
	const view = ctx.query.get('view') === 'movers' ? 'movers' : 'ranked';
	let rank = ctx.query.get('rank') === 'rice' ? 'rice' : 'demand';
	let since = isYmd(ctx.query.get('since')) ? ctx.query.get('since') : ymdDaysAgo(30);
	ctx.setTitle(view === 'movers' ? 'Movers' : 'Backlog');

	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'backlog-count' });
	const tabs = h('nav', { class: 'seg tabs', 'aria-label': 'Backlog views' });
	const controls = h('div', { class: 'backlog-controls' });
	const msg = h('div', { class: 'list-msg' });
	const results = h('div', { class: 'results backlog-results' }, spinner());
	const expanded = new Set(); // issue numbers whose evidence is open
	let items = [];
	let dir = { customerByName: new Map() };
	let loadSeq = 0;

	replace(ctx.root, h('section', { class: 'page page-wide backlog-page' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Backlog'), count,
			h('div', { class: 'page-head-spacer' }),
			h('span', { class: 'kbd-hint muted' },
				h('kbd', null, 'j'), h('kbd', null, 'k'), ' move · ',
				view === 'movers' ? null : [h('kbd', null, 'Enter'), ' evidence · '], h('kbd', null, 'o'), ' open')),
		h('div', { class: 'toolbar backlog-toolbar' }, tabs, controls),
		msg, results));

	function paintTabs() {
		const tab = (href, text, on, testid) => h('a', {
			href, class: `seg-btn${on ? ' on' : ''}`, 'aria-current': on ? 'page' : null, 'data-testid': testid,
		}, text);
		replace(tabs,
			...RANKS.map(([r, text]) => tab(`/backlog?rank=${r}`, text, view === 'ranked' && rank === r, `tab-${r}`)),
			tab(`/backlog?view=movers&since=${since}`, 'Movers', view === 'movers', 'tab-movers'));
	}

	/* ---------- ranked ---------- */

	async function loadRanked() {
		const seq = ++loadSeq;
		results.setAttribute('aria-busy', 'true');
		let data;
		try {
			[data, dir] = await Promise.all([api.backlog(rank, LIMIT), loadDirectory()]);
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive()) return;
			results.removeAttribute('aria-busy');
			if (err.status === 401) return;
			replace(msg, notice('error', `The backlog could not be loaded: ${err.message}`));
			replace(results);
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		results.removeAttribute('aria-busy');
		replace(msg);
		items = Array.isArray(data.items) ? data.items : [];
		replace(count, items.length >= LIMIT
			? `the top ${items.length} open issues with customer evidence`
			: `${items.length} open issue${items.length === 1 ? '' : 's'} with customer evidence`);
		replace(controls, h('p', { class: 'formula muted', 'data-testid': 'formula' }, rank === 'demand'
			? ['Demand = Σ per customer ', h('i', null, 'w'), ' × their loudest ask (importance 1–3 × 0.5', h('sup', null, 'age/180 d'), ') + 0.5 × each ask without a customer; ',
				h('i', null, 'w'), ' = 1 + log', h('sub', null, '10'), '(1 + ARR/1000), ×2 if strategic.']
			: ['RICE = reach (customers) × impact × confidence ÷ effort (size in points); unsized issues rank last.']));
		if (!items.length) {
			replace(results, h('div', { class: 'empty' },
				h('p', { class: 'empty-title' }, 'No customer evidence yet'),
				h('p', { class: 'muted' }, 'Link insights to issues in the insights inbox to rank the backlog.'),
				h('p', { class: 'empty-action' }, h('a', { href: '/insights', class: 'btn btn-primary' }, 'Open the insights inbox'))));
			return;
		}
		replace(results, rankedTable());
	}

	function rankedTable() {
		const other = rank === 'demand' ? 'RICE' : 'Demand';
		return h('table', { class: 'issues backlog', 'data-testid': 'backlog' },
			h('caption', { class: 'sr-only' }, `Open issues ranked by ${rank === 'demand' ? 'demand' : 'RICE'}; each row expands to its evidence`),
			h('colgroup', null,
				h('col', { class: 'c-rank' }), h('col', { class: 'c-num' }), h('col', { class: 'c-title' }), h('col', { class: 'c-type' }),
				h('col', { class: 'c-score' }), h('col', { class: 'c-cust' }), h('col', { class: 'c-ins' }), h('col', { class: 'c-other' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, 'Rank'),
				h('th', { scope: 'col', class: 'num' }, '#'),
				h('th', { scope: 'col' }, 'Title'),
				h('th', { scope: 'col' }, 'Type'),
				h('th', { scope: 'col', class: 'right' }, rank === 'demand' ? 'Demand' : 'RICE'),
				h('th', { scope: 'col', class: 'right' }, 'Customers'),
				h('th', { scope: 'col', class: 'right' }, 'Insights'),
				h('th', { scope: 'col', class: 'right' }, other))),
			items.map((it, k) => rowGroup(it, k + 1)));
	}

	function rowGroup(it, position) {
		const open = expanded.has(it.number);
		const evId = `evidence-${it.number}`;
		const d = it.demand || {};
		const r = it.rice || {};
		const otherScore = rank === 'demand' ? r.score : d.score;
		const tr = h('tr', {
			class: `issue-row bl-row${open ? ' open' : ''}`, tabindex: 0, dataset: { number: String(it.number), rank: String(position) },
			title: open ? 'Hide the evidence (Enter)' : 'Show the evidence (Enter)',
		},
		h('td', { class: 'bl-rank' },
			// the row toggles (click, Enter); the state is said on this button, as a
			// table row may not carry aria-expanded (axe: aria-conditional-attr)
			h('button', {
				type: 'button', class: 'disclosure', tabindex: -1, 'aria-expanded': open ? 'true' : 'false', 'aria-controls': evId,
				'aria-label': `Evidence for #${it.number}`, 'data-testid': 'evidence-toggle',
			}, open ? '▾' : '▸'), h('span', { 'data-testid': 'rank' }, String(position))),
		h('td', { class: 'num' }, String(it.number)),
		h('td', { class: 'title' },
			h('a', { href: `/issues/${it.number}`, class: 'row-link', tabindex: -1 }, it.title),
			customerRequest(it) ? [' ', labelChip('Customer Request')] : null),
		h('td', null, typeBadge(it.type)),
		// data-label names each number when the row is a card (phones)
		h('td', { class: 'right bl-score', 'data-testid': 'score', 'data-label': rank === 'demand' ? 'Demand' : 'RICE' }, scoreOrDash(it.score)),
		h('td', { class: 'right mono-num', 'data-label': 'Customers' }, d.customers === undefined ? '—' : String(d.customers)),
		h('td', { class: 'right mono-num', 'data-label': 'Insights' }, d.insights === undefined ? '—' : String(d.insights)),
		h('td', { class: 'right mono-num muted', 'data-testid': 'other-score', 'data-label': rank === 'demand' ? 'RICE' : 'Demand' }, scoreOrDash(otherScore)));
		tr.addEventListener('click', (ev) => {
			if (ev.target.closest('a')) return;
			if (String(window.getSelection() || '')) return;
			toggle(it.number);
		});
		const rows = [tr];
		if (open) {
			rows.push(h('tr', { class: 'bl-evidence', id: evId, 'data-testid': 'evidence' },
				h('td', { colspan: 8 }, evidence(it))));
		}
		return h('tbody', { class: `bl-group${open ? ' open' : ''}`, dataset: { number: String(it.number) } }, rows);
	}

	function scoreOrDash(s) {
		return s === null || s === undefined ? h('span', { class: 'muted', title: 'No score (unsized)' }, '—') : scoreText(s);
	}

	function toggle(number) {
		if (expanded.has(number)) expanded.delete(number);
		else expanded.add(number);
		const k = items.findIndex(x => x.number === number);
		const old = results.querySelector(`tbody.bl-group[data-number="${number}"]`);
		if (k < 0 || !old) return;
		const had = document.activeElement && old.contains(document.activeElement);
		const fresh = rowGroup(items[k], k + 1);
		old.replaceWith(fresh);
		if (had) fresh.querySelector('tr.bl-row').focus();
	}

	/* The numbers behind one row. */
	function evidence(it) {
		const ev = Array.isArray(it.evidence) ? it.evidence : [];
		// A customer counts once, with their loudest ask (the highest weight).
		const best = new Map();
		for (const e of ev) {
			if (!e.customer) continue;
			const cur = best.get(e.customer.name);
			if (!cur || Number(e.weight) > Number(cur.weight)) best.set(e.customer.name, e);
		}
		const counted = (e) => !e.customer || best.get(e.customer.name) === e;
		const sum = ev.reduce((acc, e) => acc + (counted(e) ? Number(e.weight) || 0 : 0), 0);
		const d = it.demand || {};
		const r = it.rice || {};
		const sorted = [...ev].sort((a, b) => (Number(b.weight) || 0) - (Number(a.weight) || 0));

		const custCell = (c) => {
			if (!c) return h('span', { class: 'muted' }, 'No customer');
			const known = dir.customerByName.get(c.name);
			return h('span', { class: 'cust' },
				known ? h('a', { href: `/customers/${known.id}`, class: 'cust-name' }, c.name) : h('span', { class: 'cust-name' }, c.name),
				tierBadge(c.tier), c.strategic ? strategicBadge() : null);
		};
		const wCell = (c) => {
			if (!c) return h('span', { class: 'mono-num', title: 'An ask without a customer counts half' }, '0.5');
			const w = customerWeight(c.arr, c.strategic);
			return h('span', { class: 'mono-num', title: `1 + log10(1 + ${c.arr}/1000)${c.strategic ? ' × 2 (strategic)' : ''}` }, num(w, 2));
		};

		const demandBox = h('div', { class: 'ev-box', 'data-testid': 'demand-inputs' },
			h('h3', null, 'Demand ', h('span', { class: 'ev-score' }, scoreText(d.score))),
			h('p', { class: 'ev-eq' },
				`${d.customers ?? 0} customer${d.customers === 1 ? '' : 's'} (each counted once, with their loudest ask) · ${d.insights ?? ev.length} insight${(d.insights ?? ev.length) === 1 ? '' : 's'} · `,
				'Σ counted weights = ', h('strong', null, num(sum, 2))),
			h('p', { class: 'ev-note muted' }, `weight = importance (1 nice, 2 important, 3 critical) × 0.5^(age/${DEMAND_HALF_LIFE_DAYS} days) × w, where w = 1 + log10(1 + ARR/1000), doubled for a strategic customer (0.5 without a customer).`));

		const riceBox = h('div', { class: 'ev-box', 'data-testid': 'rice-inputs' },
			h('h3', null, 'RICE ', h('span', { class: 'ev-score' }, scoreOrDash(r.score))),
			h('dl', { class: 'rice' },
				h('div', null, h('dt', null, 'Reach'), h('dd', { 'data-testid': 'rice-reach' }, r.reach ?? '—'), h('span', { class: 'rice-note' }, 'customers')),
				h('span', { class: 'rice-op', 'aria-hidden': 'true' }, '×'),
				h('div', null, h('dt', null, 'Impact'), h('dd', { 'data-testid': 'rice-impact' }, r.impact === undefined || r.impact === null ? '—' : num(r.impact, 2)), h('span', { class: 'rice-note' }, '1 = medium')),
				h('span', { class: 'rice-op', 'aria-hidden': 'true' }, '×'),
				h('div', null, h('dt', null, 'Confidence'), h('dd', { 'data-testid': 'rice-confidence' }, r.confidence === undefined || r.confidence === null ? '—' : `${r.confidence} %`)),
				h('span', { class: 'rice-op', 'aria-hidden': 'true' }, '÷'),
				h('div', null, h('dt', null, 'Effort'), h('dd', { 'data-testid': 'rice-effort' }, r.effort ? `${r.effort} pt` : h('span', { class: 'muted' }, 'unsized')),
					h('span', { class: 'rice-note' }, 'size in points'))),
			r.effort ? null : h('p', { class: 'ev-note muted' }, 'Size the issue to give it a RICE score; until then it ranks last by RICE.'));

		const table = h('table', { class: 'ev-table', 'data-testid': 'evidence-table' },
			h('caption', { class: 'sr-only' }, `Insights behind #${it.number}`),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, 'Insight'),
				h('th', { scope: 'col' }, 'Customer'),
				h('th', { scope: 'col', class: 'right' }, 'ARR'),
				h('th', { scope: 'col' }, 'Importance'),
				h('th', { scope: 'col', class: 'right' }, 'Age'),
				h('th', { scope: 'col', class: 'right', title: 'importance (1–3) × 0.5^(age/180 days)' }, 'Imp × decay'),
				h('th', { scope: 'col', class: 'right', title: 'w = 1 + log10(1 + ARR/1000), ×2 strategic; 0.5 without a customer' }, 'Customer w'),
				h('th', { scope: 'col', class: 'right' }, 'Weight'))),
			h('tbody', null, sorted.map((e) => {
				const ok = counted(e);
				const ask = importanceValue(e.importance) * demandDecay(e.age_days);
				return h('tr', { class: ok ? 'counted' : 'not-counted', dataset: { insight: String(e.insight) }, 'data-testid': 'evidence-row' },
					h('td', { class: 'ev-title' }, e.title || h('span', { class: 'muted' }, 'Untitled')),
					h('td', null, custCell(e.customer)),
					h('td', { class: 'right mono-num', title: e.customer ? moneyText(e.customer.arr) : '' }, e.customer ? moneyText(e.customer.arr) : '—'),
					h('td', null, importanceChip(e.importance)),
					h('td', { class: 'right mono-num' }, `${e.age_days ?? '—'} d`),
					h('td', { class: 'right mono-num', title: `${importanceValue(e.importance)} × ${num(demandDecay(e.age_days), 3)}` }, num(ask, 2)),
					h('td', { class: 'right' }, wCell(e.customer)),
					h('td', { class: 'right mono-num ev-weight' }, num(e.weight, 2),
						ok ? null : h('span', { class: 'ev-dropped', title: 'This customer counts once, with a louder ask' }, ' not counted')));
			})));

		return h('div', { class: 'evidence' },
			h('div', { class: 'ev-boxes' }, demandBox, riceBox),
			ev.length ? h('div', { class: 'ev-scroll' }, table) : h('p', { class: 'muted' }, 'No insights.'));
	}

	/* ---------- movers ---------- */

	async function loadMovers() {
		const seq = ++loadSeq;
		const dateInput = h('input', { type: 'date', id: uid('since'), name: 'since', value: since, max: ymdDaysAgo(0), 'data-testid': 'since' });
		const form = h('form', {
			class: 'movers-form',
			onsubmit: (ev) => {
				ev.preventDefault();
				if (!isYmd(dateInput.value)) { dateInput.setAttribute('aria-invalid', 'true'); return; }
				since = dateInput.value;
				ctx.setUrl(`/backlog?view=movers&since=${since}`);
				paintTabs();
				loadMovers();
			},
		}, h('label', { for: dateInput.id }, 'Demand moved since'), dateInput, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Show'));
		dateInput.addEventListener('change', () => { if (isYmd(dateInput.value) && dateInput.value !== since) form.requestSubmit(); });
		replace(controls, form);
		results.setAttribute('aria-busy', 'true');
		let data;
		try {
			data = await api.backlogMovers(since);
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive()) return;
			results.removeAttribute('aria-busy');
			if (err.status === 401) return;
			replace(msg, notice('error', `The movers could not be loaded: ${err.message}`));
			replace(results);
			replace(count);
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		results.removeAttribute('aria-busy');
		replace(msg);
		const rows = Array.isArray(data && data.items) ? data.items : [];
		replace(count, `${rows.length} issue${rows.length === 1 ? '' : 's'} moved since ${dateText(since)}`);
		if (!rows.length) {
			replace(results, h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, 'Nothing moved'),
				h('p', { class: 'muted' }, `No open issue’s demand changed since ${dateText(since)}.`)));
			return;
		}
		const maxAbs = Math.max(...rows.map(x => Math.abs(Number(x.delta) || 0)), 0.0001);
		replace(results, h('table', { class: 'issues movers', 'data-testid': 'movers' },
			h('caption', { class: 'sr-only' }, `Issues whose demand moved most since ${since}`),
			h('colgroup', null, h('col', { class: 'c-num' }), h('col', { class: 'c-title' }), h('col', { class: 'c-score' }),
				h('col', { class: 'c-score' }), h('col', { class: 'c-delta' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, '#'),
				h('th', { scope: 'col' }, 'Title'),
				h('th', { scope: 'col', class: 'right' }, 'Before'),
				h('th', { scope: 'col', class: 'right' }, 'Now'),
				h('th', { scope: 'col' }, 'Change'))),
			h('tbody', null, rows.map((m) => {
				const delta = Number(m.delta) || 0;
				const way = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
				const bar = h('span', { class: `delta-bar delta-${way}`, 'aria-hidden': 'true' });
				bar.style.width = `${Math.max(2, Math.round(Math.abs(delta) / maxAbs * 100))}%`;
				const href = `/issues/${m.number}`;
				const tr = h('tr', { class: 'issue-row', dataset: { number: String(m.number) } },
					h('td', { class: 'num' }, String(m.number)),
					h('td', { class: 'title' }, h('a', { href, class: 'row-link' }, m.title)),
					h('td', { class: 'right mono-num' }, scoreText(m.before)),
					h('td', { class: 'right mono-num' }, scoreText(m.now)),
					h('td', { class: 'delta-cell' },
						h('span', { class: `delta delta-${way}`, 'data-testid': 'delta' }, way === 'up' ? '▲ ' : way === 'down' ? '▼ ' : '', deltaText(delta)),
						h('span', { class: 'delta-track' }, bar)));
				tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(href); });
				return tr;
			}))));
	}

	/* ---------- keyboard ---------- */

	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
		const rows = [...results.querySelectorAll(view === 'movers' ? 'tbody tr.issue-row' : 'tr.bl-row')];
		if (!rows.length) return;
		const cur = t && t.closest ? t.closest('tr.bl-row, tr.issue-row') : null;
		const i = cur ? rows.indexOf(cur) : -1;
		if (ev.key === 'j' || ev.key === 'k' || ((ev.key === 'ArrowDown' || ev.key === 'ArrowUp') && i >= 0)) {
			ev.preventDefault();
			const down = ev.key === 'j' || ev.key === 'ArrowDown';
			const j = i < 0 ? (down ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, i + (down ? 1 : -1)));
			const target = view === 'movers' ? rows[j].querySelector('a.row-link') : rows[j];
			target.focus();
			return;
		}
		if (view !== 'movers' && cur && cur.classList.contains('bl-row') && (ev.key === 'Enter' || ev.key === ' ')) {
			if (t.tagName === 'A') return;
			ev.preventDefault();
			toggle(Number(cur.dataset.number));
			return;
		}
		if (ev.key === 'o' && cur && cur.dataset.number) {
			ev.preventDefault();
			ctx.navigate(`/issues/${cur.dataset.number}`);
		}
	};
	document.addEventListener('keydown', onKey);
	ctx.onCleanup(() => document.removeEventListener('keydown', onKey));

	paintTabs();
	if (view === 'movers') await loadMovers();
	else await loadRanked();
}
