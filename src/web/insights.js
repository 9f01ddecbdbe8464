// insights.js — the insights inbox (/insights): every insight still `new`,
// newest first, processed with the keyboard alone.
//
// Keys (also on screen, and in the ? dialog):
//   j / k  (↓ / ↑)   next / previous insight
//   / or l           the link box: type words of an issue title (or #number)
//   ↓ ↑ in the box   choose an issue; then 1 2 3 set the importance
//   1 2 3            importance: nice, important (the default), critical
//   Enter            link the insight to the chosen issue (it becomes processed)
//   x                mark processed without a link
//   Esc              leave the link box, or reset the importance
//   ?                the key map
//
// After an action the next insight is shown at once; the list and the count
// in the top bar refresh in the background.  Insight bodies are text: they
// are shown with textContent, never parsed as HTML.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import {
	IMPORTANCES, importanceLabel, buyerLevelLabel, dateText, fullTime, daysAgoText,
	ageDaysOf, moneyText,
} from './fmt.js?v={{v}}';
import { typeBadge, stateBadge, boardChip, notice, spinner, toast, can } from './ui.js?v={{v}}';
import {
	loadDirectory, tierBadge, strategicBadge, sourceChip, importanceChip, insightBody,
} from './customer.js?v={{v}}';

const PER_PAGE = 100;
const SEARCH_PER_PAGE = 8;
const IMPORTANCE_KEYS = { 1: 'nice', 2: 'important', 3: 'critical' };
const DEFAULT_IMPORTANCE = 'important';

const KEYMAP = [
	['Move', [['j', '↓'], 'next insight'], [['k', '↑'], 'previous insight']],
	['Link', [['/', 'l'], 'open the link box: type words of the issue title, or #number'],
		[['↓', '↑'], 'in the box: choose an issue'],
		[['1', '2', '3'], 'importance: nice, important (default), critical — in the box once an issue is chosen with ↓ ↑'],
		[['Enter'], 'link to the chosen issue; the next insight shows (with none chosen yet, Enter highlights the first)']],
	['Other', [['x'], 'mark processed without a link'], [['Esc'], 'leave the link box, or reset the importance'],
		[['?'], 'show or hide this key map']],
];

export async function renderInsights(ctx) {
	ctx.setTitle('Insights');
	const mayWrite = can(ctx.user, 'insight.write');

	let items = [];         // new insights, newest first
	let total = 0;
	let selected = null;    // the selected insight's id
	let loadSeq = 0;
	let busy = false;
	let helpOpen = false;
	let dir = { customerByName: new Map(), personaByName: new Map(), customers: [] };
	const details = new Map();     // id -> the insight with its links (GET /insights/{id})
	const importances = new Map(); // id -> chosen importance
	const errors = new Map();      // id -> message

	// The link box (one input for the page; its results follow what is typed).
	let query = '';
	let results = [];       // issues matching `resultsFor`
	let resultsFor = null;  // the query the results answer
	let active = -1;        // the chosen result (-1: none yet; ↓ ↑ choose, then 1 2 3 set the importance)
	let searching = false;
	let searchErr = null;
	let searchSeq = 0;
	let debounce = null;

	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'insights-count' });
	const pageMsg = h('div', { class: 'page-msg' });
	const list = h('ul', { class: 'inbox-list', role: 'listbox', 'aria-label': 'New insights, newest first', id: 'insight-list', tabindex: 0 });
	const listWrap = h('div', { class: 'inbox-list-wrap card' }, spinner());
	const detail = h('section', { class: 'inbox-detail card insight-detail', 'aria-label': 'Selected insight', 'aria-live': 'polite', 'data-testid': 'insight-detail' });
	const panel = h('aside', { class: 'triage-panel card link-panel', 'aria-label': 'Link to an issue', 'data-testid': 'link-panel' });
	const help = h('div', { class: 'keymap-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ikeymap-h', hidden: true });

	// Panel parts, built once so the input keeps its focus and caret.
	const panelTitle = h('h2', { class: 'panel-title' });
	const impRow = h('div', { class: 'choice-row', role: 'group', 'aria-label': 'Importance', dataset: { field: 'importance' } });
	const inputId = uid('linkq');
	const resultsId = uid('linkres');
	const input = h('input', {
		id: inputId, type: 'text', name: 'link', autocomplete: 'off', spellcheck: 'false',
		role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': resultsId,
		'aria-keyshortcuts': '/ l', placeholder: 'Words of an issue title, or #number', 'data-testid': 'link-input',
	});
	const resultsList = h('ul', { class: 'link-results', id: resultsId, role: 'listbox', 'aria-label': 'Matching issues', 'data-testid': 'link-results' });
	const resultsMsg = h('div', { class: 'link-results-msg muted', role: 'status' });
	const linksBox = h('div', { class: 'existing-links' });
	const errBox = h('div', { class: 'link-error' });
	const busyBox = h('div', { class: 'panel-busy muted', role: 'status', hidden: true },
		h('span', { class: 'spin', 'aria-hidden': 'true' }), 'Saving…');
	const xBtn = h('button', {
		type: 'button', class: 'btn btn-sm act', tabindex: -1, 'data-testid': 'mark-processed',
		onmousedown: (ev) => ev.preventDefault(), onclick: () => markProcessed(),
	}, h('kbd', null, 'x'), 'Mark processed without a link');

	replace(panel,
		panelTitle,
		mayWrite ? null : notice('info', 'Viewers can look around; linking needs a role that writes issues.'),
		// A viewer may not link: the controls are left out, not just disabled.
		!mayWrite ? null : h('div', { class: 'choice-rows' },
			impRow,
			h('div', { class: 'choice-row link-box' },
				h('label', { class: 'choice-label', for: inputId }, 'Link to issue',
					h('span', { class: 'choice-note' }, h('kbd', null, '/'), ' or ', h('kbd', null, 'l'))),
				input, resultsMsg, resultsList,
				h('p', { class: 'link-hint muted' },
					h('kbd', null, '↓'), h('kbd', null, '↑'), ' choose · ', h('kbd', null, '1'), h('kbd', null, '2'), h('kbd', null, '3'),
					' importance · ', h('kbd', null, 'Enter'), ' link'))),
		errBox,
		linksBox,
		mayWrite ? h('div', { class: 'panel-actions' }, xBtn) : null,
		busyBox);

	replace(ctx.root, h('section', { class: 'page page-wide inbox-page insights-page' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Insights'), count,
			h('div', { class: 'page-head-spacer' }),
			h('span', { class: 'kbd-hint muted' },
				h('kbd', null, 'j'), h('kbd', null, 'k'), ' move · ', h('kbd', null, '/'), ' link · ',
				h('kbd', null, '1'), h('kbd', null, '2'), h('kbd', null, '3'), ' importance · ', h('kbd', null, 'x'), ' processed · ',
				h('button', { type: 'button', class: 'link-btn', onclick: () => toggleHelp(), 'aria-keyshortcuts': '?' }, h('kbd', null, '?'), ' all keys')),
			h('a', { href: '/api/v1/insights/export', class: 'btn btn-sm', download: 'insights.csv', title: 'All insights as CSV' }, 'Export CSV'),
			// hidden, not refused: only insight.write records insights
			mayWrite ? h('a', { href: '/insights/import', class: 'btn btn-sm', 'data-testid': 'import-insights' }, 'Import CSV') : null,
			mayWrite ? h('a', { href: '/insights/new', class: 'btn btn-sm btn-primary', 'data-testid': 'new-insight' }, 'New insight') : null),
		pageMsg,
		h('div', { class: 'inbox-layout' }, listWrap, detail, panel),
		help));

	/* ---------- data ---------- */

	async function load({ keepSelection = true } = {}) {
		const seq = ++loadSeq;
		let data;
		try {
			[data, dir] = await Promise.all([api.listInsights({ state: 'new', page: 1, perPage: PER_PAGE }), loadDirectory()]);
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive() || err.status === 401) return;
			replace(pageMsg, notice('error', `The insights could not be loaded: ${err.message}`,
				h('button', { type: 'button', class: 'btn btn-sm', onclick: () => load() }, 'Retry')));
			if (!items.length) replace(listWrap, h('div', { class: 'empty' }, h('p', { class: 'muted' }, 'No insights to show.')));
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		replace(pageMsg);
		const before = selected;
		items = Array.isArray(data.items) ? data.items : [];
		total = Number(data.total) || 0;
		if (!keepSelection || !items.some(i => i.id === selected)) selected = items.length ? items[0].id : null;
		ctx.setInsightCount(total);
		paintCount();
		paintList();
		if (before !== selected || !keepSelection) {
			resetBox();
			paintDetail();
			paintPanel();
		}
		ensureDetail(selected);
	}

	function current() {
		return items.find(i => i.id === selected) || null;
	}

	function importanceOf(id) {
		return importances.get(id) || DEFAULT_IMPORTANCE;
	}

	async function ensureDetail(id) {
		if (id === null || details.has(id)) return;
		details.set(id, null);
		try {
			details.set(id, await api.getInsight(id));
		} catch (_) {
			details.delete(id);
			return;
		}
		if (ctx.alive() && selected === id) paintLinks();
	}

	/* ---------- painting ---------- */

	function paintCount() {
		replace(count, total ? `${total} new` : 'Nothing new');
	}

	function customerOf(it) {
		if (!it.customer) return null;
		return dir.customerByName.get(it.customer) || { name: it.customer };
	}

	function paintList() {
		if (!items.length) {
			replace(listWrap, h('div', { class: 'empty inbox-zero' },
				h('p', { class: 'empty-title' }, 'All caught up'),
				h('p', { class: 'muted' }, 'Every insight is processed.')));
			return;
		}
		replace(list, items.map((it) => {
			const on = it.id === selected;
			const c = customerOf(it);
			return h('li', {
				role: 'option', id: `insight-item-${it.id}`, class: `inbox-item insight-item${on ? ' on' : ''}`,
				'aria-selected': on ? 'true' : 'false', dataset: { id: String(it.id) },
				onclick: () => select(it.id),
			},
			h('span', { class: 'inbox-title' }, it.title || '(untitled)'),
			h('span', { class: 'inbox-sub' },
				h('span', { class: 'insight-item-who' }, c ? c.name : (it.persona || 'Anonymous')),
				c && c.strategic ? h('span', { class: 'strategic-dot', title: 'Strategic customer', 'aria-label': 'strategic' }, '★') : null,
				h('span', { class: 'inbox-age', title: `Captured ${fullTime(it.captured_at)}` }, daysAgoText(ageDaysOf(it.captured_at)))));
		}));
		list.setAttribute('aria-activedescendant', selected === null ? '' : `insight-item-${selected}`);
		const more = total > items.length ? h('p', { class: 'inbox-more muted' }, `Showing the newest ${items.length} of ${total}.`) : null;
		replace(listWrap, list, more);
		const el = list.querySelector('.inbox-item.on');
		if (el) el.scrollIntoView({ block: 'nearest' });
	}

	function prop(name, value, testid) {
		return h('div', { class: 'iprop' }, h('dt', null, name), h('dd', { 'data-testid': testid }, value));
	}

	function paintDetail() {
		const it = current();
		if (!it) {
			replace(detail, h('div', { class: 'empty' },
				h('p', { class: 'empty-title' }, items.length ? 'Select an insight' : 'Nothing to process'),
				h('p', { class: 'muted' }, items.length ? 'Press j to start.' : 'New insights from calls, tickets, polls and sales land here.')));
			return;
		}
		const c = customerOf(it);
		const persona = it.persona ? dir.personaByName.get(it.persona) : null;
		const url = it.url && /^https?:\/\//i.test(it.url) ? it.url : null;
		replace(detail,
			h('header', { class: 'inbox-detail-head' },
				h('h2', { class: 'inbox-detail-title', 'data-testid': 'insight-title' }, it.title || '(untitled)'),
				h('dl', { class: 'inbox-props' },
					prop('Customer', c
						? h('span', { class: 'cust' }, c.id ? h('a', { href: `/customers/${c.id}`, class: 'cust-name' }, c.name) : h('span', { class: 'cust-name' }, c.name))
						: h('span', { class: 'muted' }, 'No customer'), 'insight-customer'),
					c ? prop('Tier · ARR', h('span', { class: 'cust' }, tierBadge(c.tier),
						h('span', { class: 'arr', title: `ARR ${moneyText(c.arr)}` }, moneyText(c.arr))), 'insight-tier') : null,
					c && c.strategic ? prop('Account', strategicBadge(), 'insight-strategic') : null,
					prop('Persona', it.persona
						? h('span', null, it.persona, persona ? h('span', { class: 'muted' }, ` · ${buyerLevelLabel(persona.buyer_level)}`) : null)
						: h('span', { class: 'muted' }, '—'), 'insight-persona'),
					prop('Source', sourceChip(it.source, it.category), 'insight-source'),
					prop('Captured', h('time', { datetime: it.captured_at || '', title: fullTime(it.captured_at) },
						dateText(it.captured_at), h('span', { class: 'muted' }, ` · ${daysAgoText(ageDaysOf(it.captured_at))}`)), 'insight-captured'),
					url ? prop('Link', h('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'insight-url' }, url)) : null)),
			insightBody(it.body, { 'data-testid': 'insight-body' }));
	}

	function paintImportance() {
		const it = current();
		const value = it ? importanceOf(it.id) : DEFAULT_IMPORTANCE;
		replace(impRow,
			h('div', { class: 'choice-label' }, 'Importance', h('span', { class: 'choice-note' }, 'for this customer')),
			h('div', { class: 'choices' }, IMPORTANCES.map(([v, text, key]) => {
				const on = v === value;
				return h('button', {
					type: 'button', class: `choice${on ? ' on' : ''}`, 'aria-pressed': on ? 'true' : 'false', tabindex: -1,
					disabled: !mayWrite || busy || !it, dataset: { value: v },
					onmousedown: (ev) => ev.preventDefault(),
					onclick: () => setImportance(v),
				}, h('kbd', null, key), h('span', null, text));
			})));
	}

	function paintResults() {
		const open = document.activeElement === input || !!query.trim();
		const fresh = resultsFor === query.trim();
		input.setAttribute('aria-expanded', open && results.length ? 'true' : 'false');
		if (!query.trim()) {
			replace(resultsMsg, document.activeElement === input ? 'Type words of the issue title.' : '');
			replace(resultsList);
			input.removeAttribute('aria-activedescendant');
			return;
		}
		if (searchErr) replace(resultsMsg, h('span', { class: 'error-text' }, searchErr));
		else if (searching && !results.length) replace(resultsMsg, 'Searching…');
		else if (fresh && !results.length) replace(resultsMsg, 'No issue title has all these words.');
		else replace(resultsMsg);
		const imp = current() ? importanceOf(current().id) : DEFAULT_IMPORTANCE;
		replace(resultsList, results.map((iss, k) => {
			const on = k === active;
			return h('li', {
				role: 'option', id: `link-opt-${iss.number}`, class: `link-opt${on ? ' on' : ''}${iss.state === 'closed' ? ' closed' : ''}`,
				'aria-selected': on ? 'true' : 'false', dataset: { number: String(iss.number) },
				onmousedown: (ev) => ev.preventDefault(),
				onclick: () => { active = k; link(iss); },
			},
			h('span', { class: 'link-opt-main' },
				h('span', { class: 'issue-num' }, `#${iss.number}`), ' ',
				h('span', { class: 'link-opt-title' }, iss.title)),
			h('span', { class: 'link-opt-sub' }, typeBadge(iss.type), boardChip(iss.board), iss.state === 'closed' ? stateBadge('closed') : null,
				on ? h('span', { class: 'link-opt-enter' }, h('kbd', null, 'Enter'), ` link as ${importanceLabel(imp).toLowerCase()}`) : null));
		}));
		if (results[active]) {
			input.setAttribute('aria-activedescendant', `link-opt-${results[active].number}`);
			const el = resultsList.querySelector('.link-opt.on');
			if (el) el.scrollIntoView({ block: 'nearest' });
		} else {
			input.removeAttribute('aria-activedescendant');
		}
	}

	function paintLinks() {
		const it = current();
		const d = it ? details.get(it.id) : null;
		const links = d && Array.isArray(d.links) ? d.links : [];
		if (!links.length) { replace(linksBox); return; }
		replace(linksBox,
			h('div', { class: 'choice-label' }, 'Already linked'),
			h('ul', { class: 'insight-links' }, links.map(l => h('li', null,
				h('a', { href: `/issues/${l.issue}` }, h('span', { class: 'issue-num' }, `#${l.issue}`), ' ', l.title), ' ',
				importanceChip(l.importance)))));
	}

	function paintErr() {
		const it = current();
		const msg = it ? errors.get(it.id) : null;
		if (!msg) { replace(errBox); return; }
		const n = notice('error', msg);
		n.setAttribute('data-testid', 'link-error');
		replace(errBox, n);
	}

	function paintPanel() {
		const it = current();
		replace(panelTitle, it ? 'Process this insight' : 'Nothing selected');
		input.disabled = !mayWrite || busy || !it;
		xBtn.disabled = !mayWrite || busy || !it;
		busyBox.hidden = !busy;
		paintImportance();
		paintResults();
		paintErr();
		paintLinks();
	}

	function paintHelp() {
		replace(help,
			h('div', { class: 'keymap' },
				h('div', { class: 'keymap-head' }, h('h2', { id: 'ikeymap-h' }, 'Insights keys'),
					h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => toggleHelp(false) }, 'Close ', h('kbd', null, 'Esc'))),
				h('div', { class: 'keymap-cols' }, KEYMAP.map(([title, ...rows]) => h('section', null,
					h('h3', null, title),
					h('dl', null, rows.map(([keys, what]) => [
						h('dt', null, keys.map(k => h('kbd', null, k))),
						h('dd', null, what)]))))),
				h('p', { class: 'muted keymap-foot' },
					'Linking makes the insight processed and adds its customer to the issue’s demand: importance 1–3 × freshness × the customer’s weight (ARR, strategic).')));
	}

	function toggleHelp(open = !helpOpen) {
		helpOpen = open;
		if (open) paintHelp();
		help.hidden = !open;
		if (open) help.querySelector('button').focus();
		else focusPage();
	}

	function focusPage() {
		const h1 = ctx.root.querySelector('h1');
		if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
	}

	/* ---------- search ---------- */

	function resetBox() {
		clearTimeout(debounce);
		searchSeq++;
		query = '';
		input.value = '';
		results = [];
		resultsFor = null;
		active = -1;
		searching = false;
		searchErr = null;
	}

	function scheduleSearch() {
		clearTimeout(debounce);
		const q = query.trim();
		if (!q) { searchSeq++; results = []; resultsFor = null; searching = false; searchErr = null; paintResults(); return; }
		searching = true;
		paintResults();
		debounce = setTimeout(() => runSearch(q), 140);
	}

	async function runSearch(q) {
		clearTimeout(debounce);
		const seq = ++searchSeq;
		searching = true;
		let found = [];
		let failure = null;
		try {
			const m = /^#?(\d+)$/.exec(q);
			if (m) {
				// A number: that issue first, then titles containing the number.
				const [one, more] = await Promise.all([
					api.getIssue(Number(m[1])).catch((err) => { if (err.status === 401) throw err; return null; }),
					api.searchIssues(m[1], { perPage: SEARCH_PER_PAGE }).catch(() => []),
				]);
				found = [...(one ? [one] : []), ...more.filter(x => !one || x.number !== one.number)].slice(0, SEARCH_PER_PAGE);
			} else {
				found = await api.searchIssues(q, { perPage: SEARCH_PER_PAGE });
			}
		} catch (err) {
			failure = err;
		}
		if (seq !== searchSeq || !ctx.alive()) return;
		searching = false;
		if (failure) {
			if (failure.status === 401) return;
			searchErr = `The search failed: ${failure.message}`;
			results = [];
		} else {
			searchErr = null;
			results = found;
		}
		resultsFor = q;
		if (active >= results.length) active = -1;
		paintResults();
	}

	/* ---------- actions ---------- */

	function select(id) {
		if (id === selected) return;
		selected = id;
		resetBox();
		paintList();
		paintDetail();
		paintPanel();
		ensureDetail(id);
	}

	function move(delta) {
		if (!items.length) return;
		const i = items.findIndex(x => x.id === selected);
		const j = i < 0 ? 0 : Math.min(items.length - 1, Math.max(0, i + delta));
		select(items[j].id);
	}

	function setImportance(v) {
		const it = current();
		if (!it || !mayWrite || busy) return;
		importances.set(it.id, v);
		paintImportance();
		paintResults();
	}

	function openBox() {
		if (!current() || !mayWrite || busy) return;
		input.focus();
		input.select();
		paintResults();
	}

	async function link(issue) {
		const it = current();
		if (!it || !mayWrite || busy || !issue) return;
		const imp = importanceOf(it.id);
		errors.delete(it.id);
		busy = true;
		paintPanel();
		let failure = null;
		try {
			await api.linkInsight(it.id, issue.number, imp);
		} catch (err) {
			failure = err;
		}
		busy = false;
		if (!ctx.alive()) return;
		if (failure) return failed(it, failure);
		done(it, `Linked to #${issue.number} as ${importanceLabel(imp).toLowerCase()}`);
	}

	async function markProcessed() {
		const it = current();
		if (!it || !mayWrite || busy) return;
		errors.delete(it.id);
		busy = true;
		paintPanel();
		let failure = null;
		try {
			await api.setInsightState(it.id, 'processed');
		} catch (err) {
			failure = err;
		}
		busy = false;
		if (!ctx.alive()) return;
		if (failure) return failed(it, failure);
		done(it, 'Marked processed');
	}

	async function failed(it, err) {
		if (err.status === 401) return;
		const inBox = document.activeElement === input;
		if (err.status === 404 && !err.field) {
			errors.set(it.id, 'This insight is gone (deleted, or already processed by someone else) — the inbox was reloaded.');
			details.delete(it.id);
			await load();
			paintPanel();
			return;
		}
		errors.set(it.id, err.message);
		paintPanel();
		if (inBox) input.focus();
	}

	/* Drop the insight and show the next one at once. */
	function done(it, text) {
		const i = items.findIndex(x => x.id === it.id);
		const stayed = selected === it.id;
		items = items.filter(x => x.id !== it.id);
		importances.delete(it.id);
		errors.delete(it.id);
		details.delete(it.id);
		total = Math.max(0, total - 1);
		if (stayed || !items.some(x => x.id === selected)) {
			selected = items.length ? items[Math.min(Math.max(i, 0), items.length - 1)].id : null;
		}
		resetBox();
		ctx.setInsightCount(total);
		focusPage();
		paintCount();
		paintList();
		paintDetail();
		paintPanel();
		ensureDetail(selected);
		toast(text);
		load(); // the items beyond the first page, and anything new
	}

	/* ---------- keyboard ---------- */

	input.addEventListener('input', () => {
		query = input.value;
		active = -1;
		scheduleSearch();
	});
	input.addEventListener('focus', () => paintResults());
	input.addEventListener('blur', () => { setTimeout(() => { if (ctx.alive()) paintResults(); }, 0); });
	input.addEventListener('keydown', (ev) => {
		if (ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const fresh = resultsFor === query.trim();
		if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
			ev.preventDefault();
			if (!results.length) return;
			const down = ev.key === 'ArrowDown';
			if (active < 0) active = down ? 0 : results.length - 1;
			else active = (active + (down ? 1 : -1) + results.length) % results.length;
			paintResults();
		} else if (active >= 0 && Object.prototype.hasOwnProperty.call(IMPORTANCE_KEYS, ev.key)) {
			// An issue is chosen: the digits are the importance, not text.
			ev.preventDefault();
			setImportance(IMPORTANCE_KEYS[ev.key]);
		} else if (ev.key === 'Enter') {
			ev.preventDefault();
			if (!fresh) { if (query.trim()) runSearch(query.trim()); return; } // not searched yet: search now
			if (results[active]) link(results[active]);
			else if (results.length) { active = 0; paintResults(); } // show what Enter would link first
		} else if (ev.key === 'Escape') {
			ev.preventDefault();
			ev.stopPropagation();
			resetBox();
			focusPage();
			paintResults();
		}
	});

	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
		const key = ev.key;
		if (helpOpen) {
			if (key === 'Escape' || key === '?') { ev.preventDefault(); toggleHelp(false); }
			return;
		}
		if (key === '?') { ev.preventDefault(); toggleHelp(true); return; }
		if (t && /^(BUTTON|A)$/.test(t.tagName) && (key === 'Enter' || key === ' ')) return; // native activation
		let handled = true;
		if (key === 'j' || key === 'ArrowDown') move(1);
		else if (key === 'k' || key === 'ArrowUp') move(-1);
		else if (key === '/' || key === 'l') openBox();
		else if (Object.prototype.hasOwnProperty.call(IMPORTANCE_KEYS, key)) setImportance(IMPORTANCE_KEYS[key]);
		else if (key === 'x') markProcessed();
		else if (key === 'Enter') {
			if (resultsFor === query.trim() && active >= 0 && results[active]) link(results[active]);
			else openBox();
		} else if (key === 'Escape') {
			const it = current();
			if (it) { importances.delete(it.id); errors.delete(it.id); resetBox(); paintPanel(); }
		} else handled = false;
		if (handled) ev.preventDefault();
	};
	// Capture phase: before the app's global keys ("/" filter, "c" new issue).
	document.addEventListener('keydown', onKey, true);
	help.addEventListener('click', (ev) => { if (ev.target === help) toggleHelp(false); });
	ctx.onCleanup(() => { clearTimeout(debounce); document.removeEventListener('keydown', onKey, true); });

	paintPanel();
	await load({ keepSelection: false });
	if (!ctx.alive()) return;
	focusPage();
}
