// list.js — the issue list: filter (query language), table, pagination.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { timeEl } from './fmt.js?v={{v}}';
import {
	typeBadge, priorityIcon, stateBadge, sizeChip, labelList, person, notice, spinner, boardChip, severityMark, canWriteIssues,
	sortHeader, parseSort, sortText,
} from './ui.js?v={{v}}';
import { viewsPanel } from './views.js?v={{v}}';

const PER_PAGE = 50;
const DEFAULT_Q = 'is:open';

/* The sortable columns: [sort key (the query language's sort:K), the
 * direction a first click picks ('' ascending, '-' descending)].  The
 * server sorts (docs/API.md, "Query language"), so the order holds across
 * pages; the sort is kept in the URL (?sort=title, ?sort=-updated). */
const SORTS = {
	number: '-', type: '', title: '', priority: '', state: '', updated: '-',
};
const DEFAULT_SORT = { key: 'number', desc: true };

/* On a phone the table has no header row: the same orders in a select. */
const SORT_CHOICES = [
	['-number', 'Newest'], ['number', 'Oldest'], ['title', 'Title A–Z'], ['-title', 'Title Z–A'],
	['priority', 'Priority, high first'], ['-priority', 'Priority, low first'], ['type', 'Type'],
	['state', 'Open first'], ['-state', 'Closed first'], ['-updated', 'Recently updated'], ['updated', 'Least recently updated'],
];

const QUICK = [
	['Open', 'is:open'],
	['Closed', 'is:closed'],
	['All', ''],
];

/* Replace/insert the is: term of q, keeping the rest. */
function withState(q, stateTerm) {
	const rest = q.split(/\s+/).filter(t => t && !/^is:(open|closed)$/i.test(t)).join(' ');
	return [stateTerm, rest].filter(Boolean).join(' ');
}

/* A saved view's sort (K, -K, K-asc, K-desc; rice and demand alone are
 * highest first) as the header's {key, desc}, or null when no header
 * sorts by that key. */
function viewSort(text) {
	const m = /^(-?)([a-z_]+?)(?:-(asc|desc))?$/.exec(text || '');
	if (!m || !(m[2] in SORTS)) return null;
	return { key: m[2], desc: m[1] === '-' || m[3] === 'desc' };
}

function activeQuick(q) {
	const terms = q.split(/\s+/).filter(Boolean);
	if (terms.some(t => /^is:open$/i.test(t))) return 'is:open';
	if (terms.some(t => /^is:closed$/i.test(t))) return 'is:closed';
	return '';
}

export async function renderList(ctx) {
	ctx.setTitle('Issues');
	const mayWrite = canWriteIssues(ctx.user);
	let q = ctx.query.has('q') ? ctx.query.get('q') : DEFAULT_Q;
	let page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
	let sort = parseSort(ctx.query.get('sort'), Object.keys(SORTS), DEFAULT_SORT);
	let loadSeq = 0;
	let debounce = null;
	let cols = null; // a saved view's columns; null: all
	let ranked = false; // a search in the default order: best match first, no column sorted

	const input = h('input', {
		id: 'filter', name: 'q', type: 'search', value: q, autocomplete: 'off', spellcheck: 'false',
		placeholder: 'is:open type:bug label:area:api crash', 'aria-describedby': 'filter-help',
		'aria-keyshortcuts': '/',
	});
	const quick = h('div', { class: 'seg', role: 'group', 'aria-label': 'State' });
	const count = h('span', { class: 'count', 'aria-live': 'polite' });
	const msg = h('div', { class: 'list-msg' });
	const results = h('div', { class: 'results' }, spinner());
	const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });

	const sortMenu = h('select', { id: 'list-sort', 'data-testid': 'sort-select' },
		SORT_CHOICES.map(([v, t]) => h('option', { value: v }, t)));
	sortMenu.addEventListener('change', () => {
		sort = parseSort(sortMenu.value, Object.keys(SORTS), DEFAULT_SORT);
		page = 1;
		load();
	});
	const sortSelect = h('div', { class: 'sort-select' }, h('label', { for: 'list-sort', class: 'filter-label' }, 'Sort'), sortMenu);

	const help = h('details', { class: 'help', id: 'filter-help' },
		h('summary', null, 'Syntax'),
		h('div', { class: 'help-body' },
			h('p', null, 'Terms are separated by spaces; values may be double-quoted. Free words search titles, bodies and comments (all must occur; the last may be the start of a word); best matches come first unless you pick a sort.'),
			h('ul', null,
				['is:open', 'is:closed', 'type:bug', 'priority:high', 'priority:none', 'label:"Customer Request"',
					'board:next', 'severity:S1', 'severity:critical', 'assignee:@me', 'no:assignee',
					'milestone:2.31', 'size:>=5', 'updated:<7d', 'customer:"Acme"', 'tier:premium', '-label:x', 'label:a,b',
					'sort:rice-desc']
					.map(t => h('li', null, h('code', null, t)))),
			h('p', { class: 'muted' }, 'Press / to jump to the filter.')));

	function renderQuick() {
		const cur = activeQuick(q);
		replace(quick, QUICK.map(([text, term]) => h('button', {
			type: 'button', class: `seg-btn${cur === term ? ' on' : ''}`, 'aria-pressed': cur === term ? 'true' : 'false',
			onclick: () => { q = withState(q, term); input.value = q; page = 1; load(); },
		}, text)));
	}

	const form = h('form', { class: 'filter', role: 'search', onsubmit: (ev) => { ev.preventDefault(); q = input.value.trim(); page = 1; load(); } },
		h('label', { for: 'filter', class: 'filter-label' }, 'Filter'),
		h('div', { class: 'filter-box' },
			h('span', { class: 'filter-icon', 'aria-hidden': 'true' }, '⌕'),
			input),
		h('button', { type: 'submit', class: 'btn' }, 'Apply'));

	input.addEventListener('input', () => {
		clearTimeout(debounce);
		debounce = setTimeout(() => {
			const v = input.value.trim();
			if (v !== q) { q = v; page = 1; load(); }
		}, 350);
	});
	input.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') { input.blur(); }
		if (ev.key === 'ArrowDown') {
			const first = results.querySelector('tbody a.row-link');
			if (first) { ev.preventDefault(); first.focus(); }
		}
	});
	/* j/k (or arrows inside the table) move between rows; Enter opens. */
	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
		const links = [...results.querySelectorAll('tbody a.row-link')];
		if (!links.length) return;
		const i = links.indexOf(document.activeElement);
		const arrows = ev.key === 'ArrowDown' || ev.key === 'ArrowUp';
		if (ev.key !== 'j' && ev.key !== 'k' && !(arrows && i >= 0)) return;
		ev.preventDefault();
		const down = ev.key === 'j' || ev.key === 'ArrowDown';
		if (i < 0) { links[down ? 0 : links.length - 1].focus(); return; }
		const next = down ? i + 1 : i - 1;
		if (next < 0) { input.focus(); return; }
		if (next < links.length) links[next].focus();
	};
	document.addEventListener('keydown', onKey);
	ctx.onCleanup(() => { clearTimeout(debounce); document.removeEventListener('keydown', onKey); });

	const views = viewsPanel(ctx, {
		current: () => ({
			query: q,
			sort: sortText(sort) !== sortText(DEFAULT_SORT) ? sortText(sort) : '',
			columns: cols,
		}),
		onApply: (v) => {
			// a sort no header offers (rice-desc) goes into the filter text
			const vs = v.sort ? viewSort(v.sort) : DEFAULT_SORT;
			q = vs ? v.query : `${v.query} sort:${v.sort}`.trim();
			input.value = q;
			sort = vs || DEFAULT_SORT;
			cols = v.columns && v.columns.length < COLUMNS.length ? v.columns : null;
			page = 1;
			load();
		},
	});

	replace(ctx.root, h('section', { class: 'page page-wide list-with-views' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Issues'), count,
			h('div', { class: 'page-head-spacer' }),
			h('span', { class: 'kbd-hint muted' }, h('kbd', null, '/'), ' filter · ', mayWrite ? [h('kbd', null, 'c'), ' new · '] : null, h('kbd', null, 'j'), h('kbd', null, 'k'), ' move')),
		h('div', { class: 'list-layout' },
			views.el,
			h('div', { class: 'list-main' },
				h('div', { class: 'toolbar' }, form, quick, help, sortSelect),
				msg, results, pager))));
	views.refresh();

	async function load() {
		const seq = ++loadSeq;
		clearTimeout(debounce);
		renderQuick();
		const params = new URLSearchParams();
		if (q !== DEFAULT_Q) params.set('q', q);
		const order = sortText(sort);
		if (order !== sortText(DEFAULT_SORT)) params.set('sort', order);
		sortMenu.value = order;
		if (page > 1) params.set('page', String(page));
		const s = params.toString();
		ctx.setUrl(s ? `/?${s}` : '/');
		results.setAttribute('aria-busy', 'true');
		let data;
		try {
			// a header's order comes last: it wins over a sort: typed in the
			// filter, which holds while the header is at its default
			const typed = /(^|\s)sort:\S/.test(q) && order === sortText(DEFAULT_SORT);
			data = await api.listIssues({ q: typed ? q : `${q} sort:${order}`.trim(), page, perPage: PER_PAGE });
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive()) return;
			results.removeAttribute('aria-busy');
			if (err.status === 401) return;
			input.setAttribute('aria-invalid', err.status === 422 || err.status === 400 ? 'true' : 'false');
			replace(msg, queryError(err));
			replace(count);
			replace(results, emptyState('No results', 'Fix the filter to see issues.'));
			replace(pager);
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		results.removeAttribute('aria-busy');
		input.removeAttribute('aria-invalid');
		replace(msg);
		const items = data.items || [];
		const total = Number(data.total) || 0;
		const capped = data.total_capped === true; // counted up to 10,000 (a search: 1,000): "10,000+"
		const per = Number(data.per_page) || PER_PAGE;
		const cur = Number(data.page) || page;
		const totalText = capped ? `${total.toLocaleString('en-US')}+` : String(total);
		ranked = hasWords(q) && sort.key === DEFAULT_SORT.key && sort.desc === DEFAULT_SORT.desc;
		replace(count, `${totalText} issue${total === 1 && !capped ? '' : 's'}`, ranked && total > 1 ? ' · best match first' : '');
		if (!items.length) {
			const onlyState = q.split(/\s+/).filter(Boolean).every(t => /^is:(open|closed)$/i.test(t));
			const st = activeQuick(q);
			replace(results, total > 0
				? emptyState('No issues on this page', 'Go back to the first page.')
				: onlyState
					? emptyState(st === 'is:closed' ? 'No closed issues' : st === 'is:open' ? 'No open issues' : 'No issues yet',
						mayWrite ? 'Issues you create appear here.' : 'Issues appear here as the team files them.',
						mayWrite ? h('a', { href: '/issues/new', class: 'btn btn-primary' }, 'New issue') : null)
					: emptyState('No issues match this filter', `Nothing matches “${q}”.`));
		} else {
			replace(results, table(items));
		}
		renderPager(cur, per, total, items.length, capped, totalText);
	}

	/* Under the search box: the message, and for a parse error the query
	 * with the place it names marked (position counts characters of q). */
	function queryError(err) {
		const pos = err.field === 'q' && err.position ? err.position - 1 : -1;
		if (pos < 0 || pos > q.length) return notice('error', err.message);
		input.focus();
		input.setSelectionRange(pos, Math.min(q.length, pos + 1));
		return notice('error', err.message,
			h('div', { class: 'q-error', 'data-testid': 'query-error' },
				h('code', null, q.slice(0, pos), h('mark', null, q.slice(pos, pos + 1) || ' '), q.slice(pos + 1))));
	}

	function renderPager(cur, per, total, shown, capped, totalText) {
		const pages = Math.max(1, Math.ceil(total / per));
		if (total <= per && cur === 1 && !capped) { replace(pager); return; }
		const from = shown ? (cur - 1) * per + 1 : 0;
		const to = (cur - 1) * per + shown;
		replace(pager,
			h('span', { class: 'pager-info' }, shown ? `${from}–${to} of ${totalText}` : `0 of ${totalText}`),
			h('button', {
				type: 'button', class: 'btn btn-sm', disabled: cur <= 1, 'data-rel': 'prev',
				onclick: () => { page = Math.max(1, cur - 1); load().then(() => results.scrollIntoView({ block: 'start' })); },
			}, '← Previous'),
			h('span', { class: 'pager-page' }, capped ? `Page ${cur}` : `Page ${cur} of ${pages}`),
			h('button', {
				type: 'button', class: 'btn btn-sm', disabled: capped ? shown < per : cur >= pages, 'data-rel': 'next',
				onclick: () => { page = cur + 1; load().then(() => results.scrollIntoView({ block: 'start' })); },
			}, 'Next →'));
	}

	/* The columns a view shows: all, or the saved view's (title always). */
	const shown = () => COLUMNS.filter(c => !cols || c.key === 'title' || cols.includes(c.key));

	function table(items) {
		const tbody = h('tbody', null, items.map(row));
		return h('table', { class: 'issues issue-list', 'data-testid': 'issue-list' },
			h('caption', { class: 'sr-only' }, 'Issues'),
			h('colgroup', null, shown().map(c => h('col', { class: c.col }))),
			h('thead', null, h('tr', null, shown().map(c => c.head(sortable)))),
			tbody);
	}

	/* A header click: that column (its first direction), or the other way round. */
	function onSort(key) {
		sort = sort.key === key ? { key, desc: !sort.desc } : { key, desc: SORTS[key] === '-' };
		page = 1;
		load().then(() => {
			const again = results.querySelector(`[data-testid="sort-${key}"]`);
			if (again) again.focus();
		});
	}

	function sortable(key, text, cls = null, name = null) {
		return sortHeader(ranked ? { key: null, desc: false } : sort, key, text, { cls, name, onSort });
	}

	function row(it) {
		const href = `/issues/${it.number}`;
		const tr = h('tr', { class: `issue-row state-row-${it.state === 'closed' ? 'closed' : 'open'}`, dataset: { number: String(it.number) } },
			shown().map(c => c.cell(it, href)));
		tr.addEventListener('click', (ev) => {
			if (ev.target.closest('a')) return; // the link navigates itself
			if (String(window.getSelection() || '')) return; // selecting text
			if (ev.metaKey || ev.ctrlKey) { window.open(href, '_blank', 'noopener'); return; }
			ctx.navigate(href);
		});
		return tr;
	}

	await load();
}

/* The list's columns: key (a saved view's columns name them), its <col>
 * class, its header (sortable: the header helper) and its cell. */
const COLUMNS = [
	{ key: 'number', col: 'c-num', head: (s) => s('number', '#', 'num', 'Number'), cell: (it) => h('td', { class: 'num' }, String(it.number)) },
	{ key: 'type', col: 'c-type', head: (s) => s('type', 'Type'), cell: (it) => h('td', { class: 'type-cell' }, typeBadge(it.type), severityMark(it)) },
	{ key: 'title', col: 'c-title', head: (s) => s('title', 'Title'), cell: (it, href) => h('td', { class: 'title', 'data-testid': 'title-cell' }, h('a', { href, class: 'row-link' }, it.title), it.snippet ? snippetEl(it.snippet) : null) },
	{ key: 'priority', col: 'c-prio', head: (s) => s('priority', 'Priority'), cell: (it) => h('td', null, priorityIcon(it.priority)) },
	{ key: 'size', col: 'c-size', head: () => h('th', { scope: 'col', class: 'center' }, 'Size'), cell: (it) => h('td', { class: 'center' }, sizeChip(it)) },
	{ key: 'board', col: 'c-board opt', head: () => h('th', { scope: 'col', class: 'opt' }, 'Board'), cell: (it) => h('td', { class: 'opt' }, boardChip(it.board)) },
	{ key: 'labels', col: 'c-labels opt', head: () => h('th', { scope: 'col', class: 'opt' }, 'Labels'), cell: (it) => h('td', { class: 'labels-cell opt' }, labelList(it.labels)) },
	{ key: 'assignee', col: 'c-assignee opt', head: () => h('th', { scope: 'col', class: 'opt' }, 'Assignee'), cell: (it) => h('td', { class: 'opt' }, it.assignee ? person(it.assignee) : h('span', { class: 'muted' }, '—')) },
	{ key: 'state', col: 'c-state', head: (s) => s('state', 'State'), cell: (it) => h('td', null, stateBadge(it.state)) },
	{ key: 'updated', col: 'c-updated opt', head: (s) => s('updated', 'Updated', 'right opt'), cell: (it) => h('td', { class: 'right muted opt' }, timeEl(h, it.updated_at)) },
];
/* Whether q has free words (a full-text search): a term that is no
 * qualifier. */
function hasWords(q) {
	return (q.match(/"[^"]*"|\S+/g) || []).some(t => !/^-?[a-z_]+:/i.test(t));
}

/* A search snippet: the server sends it HTML-escaped with <mark> around the
 * matched words and nothing else (docs/API.md); it is rebuilt here from
 * text nodes and <mark> elements, so no markup of the text can take effect. */
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
function snippetEl(html) {
	const el = h('div', { class: 'snippet', 'data-testid': 'snippet' });
	let marked = false;
	for (const part of String(html).split(/(<\/?mark>)/)) {
		if (part === '<mark>') { marked = true; continue; }
		if (part === '</mark>') { marked = false; continue; }
		const text = part.replace(/&(amp|lt|gt|quot|#39);/g, m => ENTITIES[m]);
		if (text) el.append(marked ? h('mark', null, text) : text);
	}
	return el;
}

function emptyState(title, text, action) {
	return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), h('p', { class: 'muted' }, text),
		action ? h('p', { class: 'empty-action' }, action) : null);
}
