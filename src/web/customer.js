// customer.js — customers: the list (/customers), one customer's page
// (/customers/{id}: their insights, the issues they wait for and the
// changelog entries shipped for them), and the
// small widgets the insight views share (tier, ARR, strategic badge,
// importance, source, an insight body as plain text).
//
// Insight bodies are plain text / markdown source typed by whoever captured
// them; they are always shown as text (textContent), never as HTML.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import {
	moneyShort, moneyText, importanceLabel, sourceLabel, categoryLabel, buyerLevelLabel, insightStateLabel,
	dateText, fullTime, daysAgoText, ageDaysOf,
} from './fmt.js?v={{v}}';
import { typeBadge, stateBadge, boardChip, spinner, rowKeys, can, sortHeader, parseSort, sortText } from './ui.js?v={{v}}';

/* ---------- shared widgets ---------- */

function token(s) {
	return String(s || 'none').toLowerCase().replace(/[^a-z0-9-]/g, '');
}

export function tierBadge(tier) {
	if (!tier) return h('span', { class: 'muted' }, '—');
	return h('span', { class: `tier tier-${token(tier)}`, title: `${tier} tier` }, String(tier));
}

export function strategicBadge() {
	return h('span', { class: 'strategic', title: 'Strategic account: counts double in demand', 'data-testid': 'strategic' },
		h('span', { class: 'strategic-mark', 'aria-hidden': 'true' }, '★'), 'Strategic');
}

export function arrText(arr) {
	return h('span', { class: 'arr', title: `ARR ${moneyText(arr)}` }, moneyShort(arr));
}

export function importanceChip(imp) {
	if (!imp) return h('span', { class: 'muted' }, '—');
	return h('span', { class: `imp imp-${token(imp)}`, 'data-testid': 'importance', title: `Importance: ${importanceLabel(imp)}` },
		h('span', { class: 'imp-bars', 'aria-hidden': 'true' },
			...[1, 2, 3].map(i => h('span', { class: i <= ({ nice: 1, important: 2, critical: 3 }[imp] || 0) ? 'on' : 'off' }))),
		importanceLabel(imp));
}

export function sourceChip(source, category) {
	return h('span', { class: `source source-${token(source)}`, title: category ? `${sourceLabel(source)} · ${categoryLabel(category)}` : sourceLabel(source) },
		sourceLabel(source), category ? h('span', { class: 'source-cat' }, ` · ${categoryLabel(category)}`) : null);
}

export function insightStateChip(state) {
	return h('span', { class: `istate istate-${token(state)}` }, insightStateLabel(state));
}

/* The body as text: whitespace and line breaks kept, nothing interpreted. */
export function insightBody(text, attrs = {}) {
	const el = h('div', { class: 'insight-body', ...attrs });
	if (text && String(text).trim()) el.textContent = String(text);
	else el.appendChild(h('span', { class: 'muted' }, 'No text.'));
	return el;
}

/* A customer by name with what weighs in demand: tier, ARR, strategic.
 * `c` is a customer object ({id, name, tier, arr, strategic}) or just a name. */
export function customerChip(c, { link = true, compact = false } = {}) {
	if (!c) return h('span', { class: 'muted' }, 'No customer');
	const cust = typeof c === 'string' ? { name: c } : c;
	const name = link && cust.id
		? h('a', { href: `/customers/${cust.id}`, class: 'cust-name' }, cust.name)
		: h('span', { class: 'cust-name' }, cust.name);
	return h('span', { class: `cust${compact ? ' cust-compact' : ''}`, 'data-testid': 'customer-chip' },
		name,
		cust.tier ? tierBadge(cust.tier) : null,
		cust.arr !== undefined && cust.arr !== null ? arrText(cust.arr) : null,
		cust.strategic ? strategicBadge() : null);
}

/* Customers and personas by name (insights name them), cached briefly. */
let directory = null;
let directoryAt = 0;
export function loadDirectory({ fresh = false } = {}) {
	if (!fresh && directory && Date.now() - directoryAt < 60000) return directory;
	directoryAt = Date.now();
	directory = Promise.all([
		api.listCustomers().catch((err) => { if (err.status === 401) throw err; return []; }),
		api.listPersonas().catch((err) => { if (err.status === 401) throw err; return []; }),
	]).then(([customers, personas]) => ({
		customers,
		customerByName: new Map(customers.map(c => [c.name, c])),
		personaByName: new Map(personas.map(p => [p.name, p])),
	}));
	directory.catch(() => { directory = null; });
	return directory;
}

function seatsText(n) {
	return n === null || n === undefined || !Number.isFinite(Number(n)) ? '—' : Number(n).toLocaleString('en-US');
}

/* ---------- /customers ---------- */

const TIERS = ['Enterprise', 'Premium', 'Starter'];

/* The customers table sorts in the browser (it holds the whole directory):
 * each key's comparison, ascending, and the direction of a first click. */
const byName = (a, b) => String(a.name).localeCompare(String(b.name));
const tierRank = (c) => { const k = TIERS.indexOf(c.tier); return k < 0 ? TIERS.length : k; };
const CUSTOMER_SORTS = {
	name: [byName, ''],
	tier: [(a, b) => tierRank(a) - tierRank(b), ''],
	arr: [(a, b) => (Number(a.arr) || 0) - (Number(b.arr) || 0), '-'],
	seats: [(a, b) => (Number(a.seats) || 0) - (Number(b.seats) || 0), '-'],
	account: [(a, b) => (a.strategic ? 0 : 1) - (b.strategic ? 0 : 1), ''],
};
const CUSTOMER_SORT = { key: 'arr', desc: true };

export async function renderCustomers(ctx) {
	ctx.setTitle('Customers');
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	const dir = await loadDirectory({ fresh: true });
	if (!ctx.alive()) return;
	let tier = TIERS.includes(ctx.query.get('tier')) ? ctx.query.get('tier') : '';
	let text = '';
	let sort = parseSort(ctx.query.get('sort'), Object.keys(CUSTOMER_SORTS), CUSTOMER_SORT);

	/* The tier and the order live in the URL (reload and Back keep them). */
	function keepUrl() {
		const p = new URLSearchParams();
		if (tier) p.set('tier', tier);
		if (sortText(sort) !== sortText(CUSTOMER_SORT)) p.set('sort', sortText(sort));
		const s = p.toString();
		ctx.setUrl(s ? `/customers?${s}` : '/customers');
	}

	function onSort(key) {
		sort = sort.key === key ? { key, desc: !sort.desc } : { key, desc: CUSTOMER_SORTS[key][1] === '-' };
		keepUrl();
		paint();
		const again = results.querySelector(`[data-testid="sort-${key}"]`);
		if (again) again.focus();
	}

	const input = h('input', {
		id: 'filter', type: 'search', name: 'q', placeholder: 'Filter by name', autocomplete: 'off', 'aria-keyshortcuts': '/',
	});
	const seg = h('div', { class: 'seg', role: 'group', 'aria-label': 'Tier' });
	const results = h('div', { class: 'results' });
	const count = h('span', { class: 'count', 'aria-live': 'polite' });

	replace(ctx.root, h('section', { class: 'page customers-page' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Customers'), count,
			h('div', { class: 'page-head-spacer' }),
			h('a', { href: '/personas', class: 'btn btn-sm', 'data-testid': 'personas-link' }, 'Personas'),
			h('a', { href: '/insights', class: 'btn btn-sm' }, 'Insights inbox'),
			h('a', { href: '/backlog', class: 'btn btn-sm' }, 'Ranked backlog'),
			// hidden, not refused: only customer.write sees it
			can(ctx.user, 'customer.write')
				? h('a', { href: '/customers/new', class: 'btn btn-sm btn-primary', 'data-testid': 'new-customer' }, 'New customer') : null),
		h('div', { class: 'toolbar' },
			h('div', { class: 'filter' }, h('label', { for: 'filter', class: 'filter-label' }, 'Filter'),
				h('div', { class: 'filter-box' }, h('span', { class: 'filter-icon', 'aria-hidden': 'true' }, '⌕'), input)),
			seg),
		results));

	function paintSeg() {
		replace(seg, [['', 'All'], ...TIERS.map(t => [t, t])].map(([v, label]) => h('button', {
			type: 'button', class: `seg-btn${tier === v ? ' on' : ''}`, 'aria-pressed': tier === v ? 'true' : 'false',
			onclick: () => { tier = v; keepUrl(); paint(); },
		}, label)));
	}

	function paint() {
		paintSeg();
		const needle = text.trim().toLowerCase();
		const rows = dir.customers
			.filter(c => (!tier || c.tier === tier) && (!needle || String(c.name).toLowerCase().includes(needle)))
			.sort((a, b) => (sort.desc ? -1 : 1) * CUSTOMER_SORTS[sort.key][0](a, b) || byName(a, b));
		replace(count, `${rows.length} customer${rows.length === 1 ? '' : 's'}`);
		if (!rows.length) {
			replace(results, h('div', { class: 'empty' },
				h('p', { class: 'empty-title' }, dir.customers.length ? 'No customer matches' : 'No customers yet'),
				h('p', { class: 'muted' }, dir.customers.length ? 'Change the filter.'
					: can(ctx.user, 'customer.write') ? 'Add the first one with New customer, or import insights from a CSV file and add their customers with them.'
						: 'Admins and PMs add customers.')));
			return;
		}
		replace(results, h('table', { class: 'issues customers' },
			h('caption', { class: 'sr-only' }, 'Customers'),
			h('thead', null, h('tr', null,
				sortHeader(sort, 'name', 'Customer', { onSort }),
				sortHeader(sort, 'tier', 'Tier', { onSort }),
				sortHeader(sort, 'arr', 'ARR', { cls: 'right', onSort }),
				sortHeader(sort, 'seats', 'Seats', { cls: 'right opt', onSort }),
				sortHeader(sort, 'account', 'Account', { cls: 'opt', onSort }))),
			h('tbody', null, rows.map((c) => {
				const href = `/customers/${c.id}`;
				const tr = h('tr', { dataset: { id: String(c.id) } },
					h('td', { class: 'title' }, h('a', { href, class: 'row-link' }, c.name)),
					h('td', null, tierBadge(c.tier)),
					h('td', { class: 'right mono-num' }, moneyText(c.arr)),
					h('td', { class: 'right mono-num opt' }, seatsText(c.seats)),
					h('td', { class: 'opt' }, c.strategic ? strategicBadge() : h('span', { class: 'muted' }, '—')));
				tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(href); });
				return tr;
			}))));
	}

	let debounce = null;
	input.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(() => { text = input.value; paint(); }, 120); });
	input.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') input.blur();
		if (ev.key === 'ArrowDown') {
			const first = results.querySelector('tbody a.row-link');
			if (first) { ev.preventDefault(); first.focus(); }
		}
	});
	rowKeys(ctx, results);
	ctx.onCleanup(() => clearTimeout(debounce));
	paint();
}

/* ---------- /customers/{id} ---------- */

export async function renderCustomer(ctx) {
	const id = ctx.params.id;
	ctx.setTitle('Customer');
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	const [data, dir] = await Promise.all([api.getCustomer(id), loadDirectory()]);
	if (!ctx.alive()) return;
	const c = (data && data.customer) || {};
	// Newest first by the date they were captured (entry order is not capture order for imports).
	const insights = (Array.isArray(data && data.insights) ? data.insights : [])
		.map((x, k) => [x, k])
		.sort(([a, ka], [b, kb]) => String(b.captured_at || '').localeCompare(String(a.captured_at || '')) || ka - kb)
		.map(([x]) => x);
	const issues = Array.isArray(data && data.issues) ? data.issues : [];
	// Published changelog entries behind their asks, newest first.
	const shipped = (Array.isArray(data && data.shipped) ? data.shipped : [])
		.slice().sort((a, b) => String(b.date || '').localeCompare(String(a.date || '')));
	ctx.setTitle(c.name || `Customer ${id}`);

	const open = issues.filter(i => i.state !== 'closed');
	const byState = { new: 0, processed: 0, answered: 0 };
	for (const i of insights) if (Object.prototype.hasOwnProperty.call(byState, i.state)) byState[i.state]++;

	const fact = (label, value, testid) => h('div', { class: 'stat' },
		h('span', { class: 'stat-value', 'data-testid': testid }, value), h('span', { class: 'stat-label' }, label));

	replace(ctx.root, h('article', { class: 'page customer-page', 'data-testid': 'customer-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/customers' }, 'Customers'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, c.name || String(id))),
		h('header', { class: 'customer-head' },
			h('h1', { class: 'customer-name', 'data-testid': 'customer-name' }, c.name || `Customer ${id}`),
			tierBadge(c.tier),
			c.strategic ? strategicBadge() : null,
			can(ctx.user, 'customer.write')
				? h('a', { href: `/customers/${id}/edit`, class: 'btn btn-sm customer-edit', 'data-testid': 'edit-customer' }, 'Edit') : null,
			can(ctx.user, 'insight.write')
				? h('a', { href: `/insights/new?customer=${encodeURIComponent(c.name || '')}`, class: 'btn btn-sm', 'data-testid': 'new-insight' }, 'New insight') : null),
		h('div', { class: 'triage-stats customer-facts', role: 'group', 'aria-label': 'Account' },
			fact('ARR', moneyText(c.arr), 'customer-arr'),
			fact('seats', seatsText(c.seats), 'customer-seats'),
			fact(open.length === 1 ? 'open issue waited for' : 'open issues waited for', String(open.length), 'customer-waiting'),
			fact(insights.length === 1 ? 'insight' : 'insights', String(insights.length), 'customer-insights'),
			byState.new ? fact('not yet processed', String(byState.new)) : null),
		h('div', { class: 'customer-layout' },
			h('section', { class: 'customer-issues', 'aria-labelledby': 'waiting-h' },
				h('h2', { id: 'waiting-h', class: 'section-h' }, 'Issues they wait for'),
				issues.length ? issueTable(issues) : h('div', { class: 'card empty' },
					h('p', { class: 'muted' }, 'None of their insights is linked to an issue yet.'))),
			Array.isArray(data && data.shipped) ? h('section', { class: 'customer-shipped', 'aria-labelledby': 'shipped-h', 'data-testid': 'shipped' },
				h('h2', { id: 'shipped-h', class: 'section-h' }, 'Shipped for them ', h('span', { class: 'muted' }, 'published changelog entries behind their asks')),
				shipped.length
					? h('ul', { class: 'card shipped-list' }, shipped.map(s => h('li', { class: 'shipped-item', dataset: { id: String(s.entry) }, 'data-testid': 'shipped-entry' },
						h('a', { href: `/releases/${s.entry}`, class: 'shipped-title' }, s.title),
						h('time', { datetime: s.date || '', title: s.published_at ? `Published ${fullTime(s.published_at)}` : fullTime(s.date), class: 'shipped-date muted' },
							dateText(s.date)))))
					: h('div', { class: 'card empty shipped-empty' }, h('p', { class: 'muted' }, 'Nothing published for them yet: entries appear here once an issue they asked for ships in a published changelog entry.'))) : null,
			h('section', { class: 'customer-insights', 'aria-labelledby': 'insights-h' },
				h('h2', { id: 'insights-h', class: 'section-h' }, 'Their insights ', h('span', { class: 'muted' }, 'newest first, by the date captured')),
				insights.length
					? h('ol', { class: 'insight-cards' }, insights.map(i => insightCard(i, dir)))
					: h('div', { class: 'card empty' }, h('p', { class: 'muted' }, 'No insights from this customer yet.'))))));

	function issueTable(rows) {
		// Open first (what they still wait for), then closed (done: tell them).
		const sorted = [...rows].sort((a, b) => (a.state === 'closed') - (b.state === 'closed'));
		return h('div', { class: 'results' }, h('table', { class: 'issues waiting', 'data-testid': 'waiting' },
			h('caption', { class: 'sr-only' }, 'Issues this customer waits for'),
			h('colgroup', null, h('col', { class: 'c-num' }), h('col', { class: 'c-title' }), h('col', { class: 'c-type' }),
				h('col', { class: 'c-board' }), h('col', { class: 'c-imp' }), h('col', { class: 'c-state' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, '#'),
				h('th', { scope: 'col' }, 'Title'),
				h('th', { scope: 'col' }, 'Type'),
				h('th', { scope: 'col' }, 'Board'),
				h('th', { scope: 'col' }, 'Their ask'),
				h('th', { scope: 'col' }, 'Status'))),
			h('tbody', null, sorted.map((i) => {
				const href = `/issues/${i.number}`;
				const tr = h('tr', { class: `state-row-${i.state === 'closed' ? 'closed' : 'open'}`, dataset: { number: String(i.number) } },
					h('td', { class: 'num' }, String(i.number)),
					h('td', { class: 'title' }, h('a', { href, class: 'row-link' }, i.title)),
					h('td', null, typeBadge(i.type)),
					h('td', null, boardChip(i.board)),
					h('td', null, importanceChip(i.importance)),
					h('td', null, stateBadge(i.state)));
				tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(href); });
				return tr;
			}))));
	}
}

/* One insight as a card: what, from where, when, state, the text, its links. */
export function insightCard(i, dir, { showCustomer = false } = {}) {
	const persona = i.persona ? (dir && dir.personaByName.get(i.persona)) : null;
	const cust = i.customer ? ((dir && dir.customerByName.get(i.customer)) || { name: i.customer }) : null;
	const links = Array.isArray(i.links) ? i.links : [];
	return h('li', { class: 'card insight-card', dataset: { id: String(i.id) }, 'data-testid': 'insight-card' },
		h('div', { class: 'insight-card-head' },
			h('h3', { class: 'insight-card-title' }, i.title || h('span', { class: 'muted' }, 'Untitled')),
			insightStateChip(i.state)),
		h('div', { class: 'insight-card-meta muted' },
			showCustomer ? [customerChip(cust, { compact: true }), ' '] : null,
			sourceChip(i.source, i.category),
			persona || i.persona ? h('span', { class: 'persona' }, i.persona, persona ? ` · ${buyerLevelLabel(persona.buyer_level)}` : '') : null,
			h('time', { datetime: i.captured_at || '', title: fullTime(i.captured_at) },
				`${dateText(i.captured_at)} · ${daysAgoText(ageDaysOf(i.captured_at))}`),
			i.importance ? importanceChip(i.importance) : null),
		insightBody(i.body),
		i.url && /^https?:\/\//i.test(i.url)
			? h('p', { class: 'insight-url' }, h('a', { href: i.url, target: '_blank', rel: 'noopener noreferrer nofollow' }, i.url))
			: null,
		links.length ? h('ul', { class: 'insight-links', 'aria-label': 'Linked issues' }, links.map(l => h('li', null,
			h('a', { href: `/issues/${l.issue}` }, h('span', { class: 'issue-num' }, `#${l.issue}`), ' ', l.title),
			' ', l.state ? stateBadge(l.state) : null, ' ', importanceChip(l.importance)))) : null);
}
