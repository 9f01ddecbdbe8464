// decisions.js — the product decision log (docs/API.md, "Product decisions",
// issue #13).
//
//   /decisions          the log, newest first: full-text search (title,
//                       context, decision, consequences), a status filter
//                       (counts on the tabs), "involving me" (the RACI);
//                       each row with its status, decided date, review date
//                       (an overdue review highlighted) and superseded-by
//                       link; "New decision" for PMs and admins
//   /decisions/new      record a decision (?supersedes=ID: one that
//                       supersedes ID, its links carried over)
//   /decisions/{id}     one decision: context, the options as cards (pros,
//                       cons), the decision, consequences, RACI, linked
//                       issues, initiatives and insights; while proposed the
//                       edit form and Accept / Reject (PMs, admins); once
//                       decided, "Then vs today": the evidence frozen at the
//                       decision beside today's numbers, differences marked,
//                       the server's signals as a callout; "Record a decision
//                       that supersedes this"; the history
//
// The issue page lists the decisions that link an issue (issueDecisions).
// Server-rendered Markdown (*_html: cmark-gfm in safe mode, sanitized by the
// server) is the only HTML put into the page, as issue.js does; pros and
// cons are plain text.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { cap, dateText, timeEl, num, sizeText, daysUntil } from './fmt.js?v={{v}}';
import { stateBadge, person, avatar, field, notice, spinner, markInvalid, toast, rowKeys, can } from './ui.js?v={{v}}';
import { tierBadge } from './customer.js?v={{v}}';

/* ---------- shared ---------- */

export const DECISION_STATUSES = [
	['proposed', 'Proposed'], ['accepted', 'Accepted'], ['rejected', 'Rejected'], ['superseded', 'Superseded'],
];

export function decisionStatusLabel(s) {
	const hit = DECISION_STATUSES.find(([v]) => v === s);
	return hit ? hit[1] : (s ? cap(String(s)) : '—');
}

export function decisionStatusChip(status) {
	const s = String(status || 'proposed').replace(/[^a-z]/g, '');
	return h('span', { class: `ds ds-${s}`, 'data-testid': 'decision-status' },
		h('span', { class: 'ds-dot', 'aria-hidden': 'true' }), decisionStatusLabel(s));
}

/* PMs and admins write decisions; everyone reads them. */
export function canWriteDecisions(user) {
	return can(user, 'decision.write');
}

const RACI = [
	['responsible', 'Responsible', 'Does the work'],
	['accountable', 'Accountable', 'Owns the outcome; reminded on the review date'],
	['consulted', 'Consulted', 'Asked before deciding'],
	['informed', 'Informed', 'Told once decided'],
];

function plural(n, one, many = `${one}s`) {
	return `${n} ${n === 1 ? one : many}`;
}

function decisionHref(id) { return `/decisions/${id}`; }
function initiativeHref(id) { return `/strategy/initiatives/${id}`; }

/* The review date; overdue (highlighted) when an accepted decision is past it. */
export function reviewChip(d, { long = false } = {}) {
	if (!d || !d.review_date) return h('span', { class: 'muted' }, '—');
	const days = daysUntil(d.review_date);
	const live = d.status === 'accepted';
	const overdue = live && days !== null && days < 0;
	const soon = live && days !== null && days >= 0 && days <= 14;
	const note = overdue ? `overdue by ${plural(-days, 'day')}`
		: soon ? (days === 0 ? 'due today' : `in ${plural(days, 'day')}`) : null;
	return h('span', {
		class: `dec-review${overdue ? ' overdue' : ''}${soon ? ' soon' : ''}`, 'data-testid': 'review-date',
		title: overdue ? `Review ${note}: time to look at this decision again` : `Review on ${dateText(d.review_date)}`,
	},
	h('time', { datetime: d.review_date }, dateText(d.review_date)),
	note && (overdue || long) ? h('span', { class: 'dec-review-note', 'data-testid': overdue ? 'review-overdue' : null }, overdue ? (long ? note : 'overdue') : note) : null);
}

/* Text with "#12" turned into links to the issue (built with h(), never markup). */
function linkIssues(text) {
	const out = [];
	const s = String(text || '');
	const re = /#(\d+)/g;
	let at = 0;
	let m;
	while ((m = re.exec(s))) {
		if (m.index > at) out.push(s.slice(at, m.index));
		out.push(h('a', { href: `/issues/${m[1]}` }, m[0]));
		at = m.index + m[0].length;
	}
	if (at < s.length) out.push(s.slice(at));
	return out;
}

/* Server-rendered, sanitized Markdown (cmark-gfm, safe mode). */
function markdown(html, empty, testid) {
	const el = h('div', { class: 'markdown', 'data-testid': testid || null });
	if (html && String(html).trim()) el.innerHTML = html;
	else el.appendChild(h('p', { class: 'muted' }, empty));
	return el;
}

/* ---------- /decisions ---------- */

export async function renderDecisions(ctx) {
	ctx.setTitle('Decisions');
	let q = (ctx.query.get('q') || '').trim();
	const status = DECISION_STATUSES.some(([v]) => v === ctx.query.get('status')) ? ctx.query.get('status') : '';
	let involving = ctx.query.get('involving') === '1';
	const mayWrite = canWriteDecisions(ctx.user);
	let loadSeq = 0;
	let debounce = null;

	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'decisions-count' });
	const input = h('input', {
		id: 'filter', name: 'q', type: 'search', value: q, autocomplete: 'off', spellcheck: 'false',
		placeholder: 'Words in the title, context, decision or consequences', 'aria-keyshortcuts': '/',
		'data-testid': 'decision-search',
	});
	const form = h('form', { class: 'filter dec-filter', role: 'search', 'aria-label': 'Search decisions' },
		h('label', { for: 'filter', class: 'filter-label' }, 'Search'),
		h('div', { class: 'filter-box' }, h('span', { class: 'filter-icon', 'aria-hidden': 'true' }, '⌕'), input),
		h('button', { type: 'submit', class: 'btn' }, 'Search'));
	const tabs = h('nav', { class: 'seg tabs dec-tabs', 'aria-label': 'Decisions by status', 'data-testid': 'decision-tabs' });
	const mine = h('input', { type: 'checkbox', id: uid('mine'), name: 'involving', checked: involving, 'data-testid': 'involving-me' });
	const mineLabel = h('label', { class: 'dec-mine', for: mine.id, title: 'Decisions where you are responsible, accountable, consulted or informed' }, mine, 'Involving me');
	const msg = h('div', { class: 'list-msg' });
	const results = h('div', { class: 'results dec-results' }, spinner());

	replace(ctx.root, h('section', { class: 'page page-wide decisions-page' },
		h('div', { class: 'page-head dec-head' },
			h('h1', null, 'Decisions'), count,
			h('div', { class: 'page-head-spacer' }),
			h('span', { class: 'kbd-hint muted' }, h('kbd', null, '/'), ' search · ', h('kbd', null, 'j'), h('kbd', null, 'k'), ' move · ', h('kbd', null, 'Enter'), ' open'),
			mayWrite ? h('a', { href: '/decisions/new', class: 'btn btn-primary btn-sm', 'data-testid': 'new-decision' }, 'New decision') : null),
		h('div', { class: 'toolbar dec-toolbar' }, form, tabs, mineLabel),
		msg, results));

	const href = (s) => {
		const p = new URLSearchParams();
		if (q) p.set('q', q);
		if (s) p.set('status', s);
		if (involving) p.set('involving', '1');
		const t = p.toString();
		return `/decisions${t ? `?${t}` : ''}`;
	};

	function paintTabs(counts) {
		const tab = (v, text) => {
			const on = status === v;
			const n = counts ? counts[v || 'all'] : null;
			return h('a', {
				href: href(v), class: `seg-btn${on ? ' on' : ''}`, 'aria-current': on ? 'page' : null, 'data-testid': `tab-${v || 'all'}`,
			}, text, n === null || n === undefined ? null : h('span', { class: 'tab-count', 'aria-label': `(${n})` }, String(n)));
		};
		replace(tabs, tab('', 'All'), DECISION_STATUSES.map(([v, t]) => tab(v, t)));
	}
	paintTabs(null);

	function row(d, titles) {
		const to = decisionHref(d.id);
		const by = d.superseded_by;
		const tr = h('tr', { class: `dec-row dec-row-${String(d.status || '').replace(/[^a-z]/g, '')}`, dataset: { id: String(d.id) }, 'data-testid': 'decision-row' },
			h('td', { class: 'num', 'data-label': '#' }, `#${d.id}`),
			h('td', { class: 'title dec-title-cell' },
				h('a', { href: to, class: 'row-link', 'data-testid': 'decision-link' }, d.title),
				d.supersedes ? h('span', { class: 'dec-sub muted' }, 'supersedes ', h('a', { href: decisionHref(d.supersedes) }, `#${d.supersedes}`)) : null),
			h('td', { 'data-label': 'Status' }, decisionStatusChip(d.status)),
			h('td', { 'data-label': 'Decided', class: 'mono-num' }, d.decided_at
				? h('time', { datetime: d.decided_at, title: `Decided ${dateText(d.decided_at)}` }, dateText(d.decided_at))
				: h('span', { class: 'muted' }, 'not yet')),
			h('td', { 'data-label': 'Review', class: 'dec-review-cell' }, reviewChip(d)),
			h('td', { 'data-label': 'Superseded by', class: 'dec-by-cell' }, by
				? h('a', { href: decisionHref(by), 'data-testid': 'superseded-by', title: titles.get(by) || null },
					h('span', { class: 'dec-by-num' }, `#${by}`), titles.get(by) ? ` ${titles.get(by)}` : '')
				: h('span', { class: 'muted' }, '—')));
		tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(to); });
		return tr;
	}

	async function load() {
		const seq = ++loadSeq;
		clearTimeout(debounce);
		results.setAttribute('aria-busy', 'true');
		const who = involving && ctx.user ? ctx.user.login : '';
		let items;
		let all;
		try {
			[items, all] = await Promise.all([
				api.listDecisions({ q, status, involving: who }),
				status ? api.listDecisions({ q, involving: who }) : null,
			]);
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive() || err.status === 401) return;
			results.removeAttribute('aria-busy');
			replace(msg, notice('error', `The decision log could not be loaded: ${err.message}`));
			replace(results);
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		results.removeAttribute('aria-busy');
		replace(msg);
		all = all || items;
		const counts = { all: all.length };
		for (const [v] of DECISION_STATUSES) counts[v] = all.filter(d => d.status === v).length;
		paintTabs(counts);
		const titles = new Map(all.map(d => [d.id, d.title]));
		replace(count, plural(items.length, 'decision'));
		if (!items.length) {
			const filtered = q || status || involving;
			replace(results, h('div', { class: 'empty', 'data-testid': 'decisions-empty' },
				h('p', { class: 'empty-title' }, filtered ? 'No decision matches' : 'No decisions recorded yet'),
				h('p', { class: 'muted' }, filtered
					? [q ? `Nothing with every word of “${q}”` : 'Nothing here', involving ? ' that involves you' : '', status ? ` among the ${decisionStatusLabel(status).toLowerCase()} ones` : '', '.']
					: mayWrite
						? ['Record the product’s decisions with ', h('strong', null, 'New decision'), ': the options weighed, who decided, and the evidence at the time.']
						: 'PMs record the product’s decisions here: the options weighed, who decided, and the evidence at the time.')));
			return;
		}
		replace(results, h('table', { class: 'issues dec-table', 'data-testid': 'decisions' },
			h('caption', { class: 'sr-only' }, `Decisions${status ? `, ${decisionStatusLabel(status)}` : ''}, newest first`),
			h('colgroup', null, h('col', { class: 'c-dec-num' }), h('col', { class: 'c-dec-title' }), h('col', { class: 'c-dec-status' }),
				h('col', { class: 'c-dec-date' }), h('col', { class: 'c-dec-review' }), h('col', { class: 'c-dec-by' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, '#'),
				h('th', { scope: 'col' }, 'Decision'),
				h('th', { scope: 'col' }, 'Status'),
				h('th', { scope: 'col' }, 'Decided'),
				h('th', { scope: 'col' }, 'Review'),
				h('th', { scope: 'col' }, 'Superseded by'))),
			h('tbody', null, items.map(d => row(d, titles)))));
	}

	const apply = () => {
		const v = input.value.trim();
		if (v === q) return;
		q = v;
		ctx.setUrl(href(status));
		load();
	};
	form.addEventListener('submit', (ev) => { ev.preventDefault(); q = null; apply(); });
	input.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(apply, 300); });
	input.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') input.blur();
		if (ev.key === 'ArrowDown') {
			const first = results.querySelector('tbody a.row-link');
			if (first) { ev.preventDefault(); first.focus(); }
		}
	});
	mine.addEventListener('change', () => {
		involving = mine.checked;
		ctx.setUrl(href(status));
		load();
	});

	rowKeys(ctx, results);
	ctx.onCleanup(() => clearTimeout(debounce));

	await load();
}

/* ---------- the decision form (new and edit) ---------- */

/* "12, #95 7" -> {numbers, bad}: bad is the first word that is not a number. */
function parseNumbers(text) {
	const numbers = [];
	for (const raw of String(text || '').split(/[\s,;]+/)) {
		const w = raw.trim().replace(/^#/, '');
		if (!w) continue;
		if (!/^\d+$/.test(w)) return { numbers, bad: raw.trim() };
		const n = Number(w);
		if (!numbers.includes(n)) numbers.push(n);
	}
	return { numbers, bad: null };
}

/* A RACI role: the chosen people as chips (each removable) and a select to
 * add one.  The select carries the role's name, so a 422 naming the role
 * marks it. */
function peoplePicker(role, label, hint, users, initial) {
	const chosen = [...(initial || [])];
	const chips = h('ul', { class: 'dec-people-chips', 'aria-label': `${label}: chosen` });
	const sel = h('select', { name: role, id: uid(role), 'data-testid': `raci-${role}` });
	const byLogin = new Map(users.map(u => [u.login, u]));
	function paint() {
		replace(sel, h('option', { value: '' }, chosen.length ? 'Add someone…' : 'Choose…'),
			users.filter(u => !chosen.includes(u.login)).map(u => h('option', { value: u.login },
				u.name && u.name !== u.login ? `${u.login} — ${u.name}` : u.login)));
		sel.value = '';
		replace(chips, chosen.length ? chosen.map(login => h('li', { class: 'dec-person-chip', dataset: { login }, 'data-testid': 'raci-chip' },
			avatar(login), h('span', { class: 'dec-person-login', title: byLogin.get(login) && byLogin.get(login).name ? byLogin.get(login).name : null }, login),
			h('button', {
				type: 'button', class: 'dec-chip-x', 'aria-label': `Remove ${login} (${label.toLowerCase()})`, title: `Remove ${login}`,
				onclick: () => { chosen.splice(chosen.indexOf(login), 1); paint(); sel.focus(); },
			}, '×'))) : h('li', { class: 'muted dec-people-none' }, 'Nobody'));
	}
	sel.addEventListener('change', () => {
		if (sel.value && !chosen.includes(sel.value)) chosen.push(sel.value);
		paint();
		sel.focus();
	});
	paint();
	const hintEl = h('span', { class: 'hint', id: `${sel.id}-hint` }, hint);
	sel.setAttribute('aria-describedby', hintEl.id);
	const el = h('div', { class: 'field dec-people', 'data-testid': `raci-field-${role}` },
		h('label', { for: sel.id }, label), chips, sel, hintEl);
	return { el, value: () => [...chosen] };
}

/* Below a "numbers" input: what each number names (best effort, debounced). */
function refsPreview(input, lookup, { testid } = {}) {
	const box = h('ul', { class: 'dec-refs', 'aria-live': 'polite', 'data-testid': testid || null });
	const cache = new Map();
	let seq = 0;
	let timer = null;
	async function paint() {
		const mine = ++seq;
		const { numbers } = parseNumbers(input.value);
		const shown = numbers.slice(0, 20);
		await Promise.all(shown.filter(n => !cache.has(n)).map(async (n) => {
			try { cache.set(n, await lookup(n)); } catch (err) { cache.set(n, { error: err.status === 404 ? 'not found' : err.message }); }
		}));
		if (mine !== seq) return;
		replace(box, shown.map((n) => {
			const r = cache.get(n) || {};
			return h('li', { class: r.error ? 'dec-ref-bad' : null }, r.error ? `${n}: ${r.error}` : r.node);
		}));
	}
	input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(paint, 350); });
	paint();
	return box;
}

function issueRef(i) {
	return h('span', { class: 'dec-issue-ref' },
		h('a', { href: `/issues/${i.number}` }, h('span', { class: 'issue-num' }, `#${i.number}`), ' ', i.title),
		i.state ? [' ', stateBadge(i.state)] : null);
}

async function loadFormData(ctx) {
	const soft = (p, empty) => p.catch((err) => { if (err.status === 401) throw err; return empty; });
	const [users, accepted, initiatives] = await Promise.all([
		soft(api.listUsers(), []),
		soft(api.listDecisions({ status: 'accepted' }), []),
		soft(api.listInitiatives ? api.listInitiatives() : Promise.resolve([]), []),
	]);
	return { users, accepted, initiatives, user: ctx.user };
}

/* The form for a new decision (d null, `preset` prefills it) or an edit of
 * a proposed one.  onSaved(decision) once the server took it. */
function decisionForm(ctx, d, { users, accepted, initiatives, preset = {}, onSaved, onCancel }) {
	const e = d || preset;
	const title = h('input', { name: 'title', type: 'text', required: true, maxlength: 200, value: e.title || '', autocomplete: 'off' });
	const context = h('textarea', { name: 'context', rows: 6 });
	context.value = e.context || '';
	const decision = h('textarea', { name: 'decision', rows: 4 });
	decision.value = e.decision || '';
	const consequences = h('textarea', { name: 'consequences', rows: 4 });
	consequences.value = e.consequences || '';
	const review = h('input', { name: 'review_date', type: 'date', value: e.review_date || '' });

	/* options: rows added and removed */
	const optRows = [];
	const optList = h('ol', { class: 'dec-opt-rows', 'data-testid': 'option-rows' });
	const addOpt = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'option-add' }, '+ Add option');
	function renumber() {
		optRows.forEach((r, i) => {
			r.label.textContent = `Option ${i + 1}`;
			r.prosLabel.lastChild.textContent = ` of option ${i + 1}`;
			r.consLabel.lastChild.textContent = ` of option ${i + 1}`;
			r.remove.setAttribute('aria-label', `Remove option ${i + 1}`);
		});
	}
	function addRow(o = {}, focus = false) {
		const t = h('input', { type: 'text', name: 'options', maxlength: 200, value: o.title || '', autocomplete: 'off', id: uid('opt'), 'data-testid': 'option-title' });
		const pros = h('textarea', { name: 'option-pros', rows: 3, id: uid('pros'), class: 'dec-procon-input', 'data-testid': 'option-pros' });
		pros.value = o.pros || '';
		const cons = h('textarea', { name: 'option-cons', rows: 3, id: uid('cons'), class: 'dec-procon-input', 'data-testid': 'option-cons' });
		cons.value = o.cons || '';
		const label = h('label', { for: t.id, class: 'dec-opt-label' }, 'Option');
		const prosLabel = h('label', { for: pros.id }, 'Pros', h('span', { class: 'sr-only' }, ''));
		const consLabel = h('label', { for: cons.id }, 'Cons', h('span', { class: 'sr-only' }, ''));
		const remove = h('button', { type: 'button', class: 'btn btn-sm btn-ghost dec-opt-remove', 'data-testid': 'option-remove' }, 'Remove');
		const li = h('li', { class: 'dec-opt-row', 'data-testid': 'option-row' },
			h('div', { class: 'dec-opt-row-head' }, label, remove),
			t,
			h('div', { class: 'dec-opt-procon' },
				h('div', { class: 'field' }, prosLabel, pros),
				h('div', { class: 'field' }, consLabel, cons)));
		const r = { li, title: t, pros, cons, label, prosLabel, consLabel, remove };
		remove.addEventListener('click', () => {
			const i = optRows.indexOf(r);
			optRows.splice(i, 1);
			li.remove();
			renumber();
			const next = optRows[i] || optRows[i - 1];
			(next ? next.title : addOpt).focus();
		});
		optRows.push(r);
		optList.appendChild(li);
		renumber();
		if (focus) t.focus();
	}
	for (const o of (e.options && e.options.length ? e.options : [{}, {}])) addRow(o);
	addOpt.addEventListener('click', () => addRow({}, true));

	/* RACI */
	const raci = e.raci || {};
	const pickers = RACI.map(([role, label, hint]) => [role, peoplePicker(role, label, hint, users || [], raci[role])]);

	/* links */
	const issues = h('input', {
		name: 'issues', type: 'text', autocomplete: 'off', spellcheck: 'false', inputmode: 'numeric',
		value: (e.issues || []).map(i => (typeof i === 'object' ? i.number : i)).join(', '), placeholder: 'e.g. 12, 95',
	});
	const issuesPreview = refsPreview(issues, async (n) => {
		const i = await api.getIssue(n);
		return { node: issueRef(i) };
	}, { testid: 'issues-preview' });
	const insights = h('input', {
		name: 'insights', type: 'text', autocomplete: 'off', spellcheck: 'false', inputmode: 'numeric',
		value: (e.insights || []).map(i => (typeof i === 'object' ? i.id : i)).join(', '), placeholder: 'e.g. 14, 27',
	});
	const insightsPreview = refsPreview(insights, async (n) => {
		const i = await api.getInsight(n);
		return { node: h('span', null, h('span', { class: 'muted' }, `${n} `), i.title || '(untitled)', i.customer ? h('span', { class: 'muted' }, ` · ${i.customer}`) : null) };
	});
	const chosenInits = new Set((e.initiatives || []).map(i => (typeof i === 'object' ? i.id : i)));
	const initBoxes = (initiatives || []).map((x) => {
		const box = h('input', { type: 'checkbox', name: 'initiatives', value: String(x.id), id: uid('ini'), checked: chosenInits.has(x.id) });
		return { box, el: h('li', null, box, h('label', { for: box.id }, x.title)) };
	});
	// An initiative linked but not listed (none visible): kept as it is.
	const hiddenInits = [...chosenInits].filter(id => !(initiatives || []).some(x => x.id === id));
	const supOpts = [['', 'None'], ...(accepted || []).filter(x => !d || x.id < d.id).map(x => [String(x.id), `#${x.id} ${x.title}`])];
	if (e.supersedes && !supOpts.some(([v]) => v === String(e.supersedes))) supOpts.push([String(e.supersedes), `#${e.supersedes}`]);
	const supersedes = h('select', { name: 'supersedes' }, supOpts.map(([v, t]) => h('option', { value: v }, t)));
	supersedes.value = e.supersedes ? String(e.supersedes) : '';

	const fmsg = h('div', { class: 'form-msg' });
	const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'decision-save' }, d ? 'Save changes' : 'Record decision');
	const form = h('form', { class: 'issue-form edit-form dec-form', novalidate: true, 'aria-label': d ? 'Edit decision' : 'New decision', 'data-testid': 'decision-form' },
		field('Title', title, { wide: true }),
		field('Context', context, { wide: true, hint: 'Markdown · the situation and the question being decided' }),
		h('fieldset', { class: 'dec-fieldset', 'data-testid': 'options-edit' },
			h('legend', null, 'Options considered'),
			optList,
			h('div', { class: 'dec-opt-actions' }, addOpt, h('span', { class: 'hint muted' }, 'Empty rows are left out'))),
		field('Decision', decision, { wide: true, hint: 'Markdown · what was decided, and why' }),
		field('Consequences', consequences, { wide: true, hint: 'Markdown · what follows from it' }),
		h('fieldset', { class: 'dec-fieldset' },
			h('legend', null, 'RACI'),
			h('div', { class: 'dec-raci-edit' }, pickers.map(([, p]) => p.el))),
		field('Issues', issues, { hint: 'Issue numbers, comma separated: their demand, RICE, insights, size and milestone are frozen when it is accepted', wide: true }),
		issuesPreview,
		h('div', { class: 'field-grid dec-grid' },
			field('Review date', review, { hint: 'When to look at it again; the accountable is reminded' }),
			field('Supersedes', supersedes, { hint: 'An earlier accepted decision this one replaces' })),
		initBoxes.length ? h('fieldset', { class: 'dec-fieldset' },
			h('legend', null, 'Initiatives'),
			h('ul', { class: 'dec-checks' }, initBoxes.map(x => x.el))) : null,
		field('Insights', insights, { hint: 'Insight numbers, comma separated', wide: true }),
		insightsPreview,
		fmsg,
		h('div', { class: 'form-actions' },
			save,
			h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => onCancel() }, 'Cancel')));

	form.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') { ev.preventDefault(); onCancel(); }
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
	});

	let sentRows = []; // the option rows sent, by index (a 422 names options[i])

	function fail(fieldName, message) {
		const bad = markInvalid(form, fieldName);
		replace(fmsg, notice('error', message));
		if (bad) bad.focus();
	}

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		replace(fmsg);
		markInvalid(form, null);
		const t = title.value.trim();
		if (!t) { fail('title', 'A title is required.'); return; }
		const iss = parseNumbers(issues.value);
		if (iss.bad) { fail('issues', `“${iss.bad}” is not an issue number.`); return; }
		const ins = parseNumbers(insights.value);
		if (ins.bad) { fail('insights', `“${ins.bad}” is not an insight number.`); return; }
		sentRows = optRows.filter(r => r.title.value.trim() || r.pros.value.trim() || r.cons.value.trim());
		const options = sentRows.map(r => ({ title: r.title.value.trim(), pros: r.pros.value.trim(), cons: r.cons.value.trim() }));
		const raciNow = Object.fromEntries(pickers.map(([role, p]) => [role, p.value()]));
		const inits = [...initBoxes.filter(x => x.box.checked).map(x => Number(x.box.value)), ...hiddenInits];
		const sup = supersedes.value ? Number(supersedes.value) : null;
		const all = {
			title: t, context: context.value, options, decision: decision.value, consequences: consequences.value,
			review_date: review.value || null, raci: raciNow, issues: iss.numbers, initiatives: inits, insights: ins.numbers, supersedes: sup,
		};
		let changes;
		if (!d) {
			changes = {};
			for (const [k, v] of Object.entries(all)) {
				if (v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
				changes[k] = v;
			}
			changes.raci = raciNow;
		} else {
			changes = {};
			const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
			if (t !== d.title) changes.title = t;
			for (const k of ['context', 'decision', 'consequences']) if (all[k] !== (d[k] || '')) changes[k] = all[k];
			if (!same(options, (d.options || []).map(o => ({ title: o.title || '', pros: o.pros || '', cons: o.cons || '' })))) changes.options = options;
			if ((all.review_date || '') !== (d.review_date || '')) changes.review_date = all.review_date;
			const raciWas = Object.fromEntries(RACI.map(([role]) => [role, (d.raci && d.raci[role]) || []]));
			if (!same(raciNow, raciWas)) changes.raci = raciNow;
			if (!same(iss.numbers, (d.issues || []).map(i => i.number))) changes.issues = iss.numbers;
			if (!same([...inits].sort((a, b) => a - b), (d.initiatives || []).map(i => i.id).sort((a, b) => a - b))) changes.initiatives = inits;
			if (!same(ins.numbers, (d.insights || []).map(i => i.id))) changes.insights = ins.numbers;
			if (sup !== (d.supersedes || null)) changes.supersedes = sup;
			if (!Object.keys(changes).length) { onCancel(); toast('Nothing changed'); return; }
		}
		save.disabled = true;
		save.textContent = 'Saving…';
		try {
			const saved = d ? await api.updateDecision(d.id, changes, d.version) : await api.createDecision(changes);
			if (!ctx.alive()) return;
			onSaved(saved);
		} catch (err) {
			if (!ctx.alive()) return;
			save.disabled = false;
			save.textContent = d ? 'Save changes' : 'Record decision';
			if (err.status === 401) return;
			if (err.status === 412) {
				replace(fmsg, notice('warn', 'This decision was changed by someone else since you opened it — reload to see the latest version, then make your edit again.',
					h('button', { type: 'button', class: 'btn btn-sm', onclick: () => location.reload() }, 'Reload')));
				return;
			}
			if (err.field === 'options') {
				const m = /options\[(\d+)\]/.exec(err.message || '');
				const r = m ? sentRows[Number(m[1])] : null;
				markInvalid(form, null);
				replace(fmsg, notice('error', err.message));
				if (r) { r.title.setAttribute('aria-invalid', 'true'); r.title.focus(); }
				return;
			}
			fail(err.field, err.message);
		}
	});
	setTimeout(() => { if (form.isConnected) title.focus(); }, 0);
	return form;
}

/* ---------- /decisions/new ---------- */

export async function renderNewDecision(ctx) {
	ctx.setTitle('New decision');
	const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
		h('a', { href: '/decisions' }, 'Decisions'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'New decision'));
	if (!canWriteDecisions(ctx.user)) {
		replace(ctx.root, h('section', { class: 'page page-narrow' }, crumbs,
			h('h1', null, 'New decision'),
			notice('info', 'PMs and admins record decisions; everyone can read them.'),
			h('p', null, h('a', { href: '/decisions', class: 'btn' }, 'Back to the decision log'))));
		return;
	}
	replace(ctx.root, h('section', { class: 'page page-narrow' }, spinner()));
	const supId = /^\d+$/.test(ctx.query.get('supersedes') || '') ? Number(ctx.query.get('supersedes')) : null;
	const [data, old] = await Promise.all([
		loadFormData(ctx),
		supId ? api.getDecision(supId).catch((err) => { if (err.status === 401) throw err; return null; }) : null,
	]);
	if (!ctx.alive()) return;
	// Superseding: the same people and links to start from; the words are new.
	const preset = old ? {
		supersedes: old.id, raci: old.raci, issues: old.issues, initiatives: old.initiatives, insights: old.insights,
		options: old.options,
	} : {};
	if (old && !data.accepted.some(x => x.id === old.id)) data.accepted.push({ id: old.id, title: old.title });
	const form = decisionForm(ctx, null, {
		...data,
		preset,
		onSaved: (dec) => { toast('Decision recorded'); ctx.navigate(decisionHref(dec.id)); },
		onCancel: () => ctx.navigate(old ? decisionHref(old.id) : '/decisions'),
	});
	replace(ctx.root, h('section', { class: 'page page-narrow dec-new-page' }, crumbs,
		h('h1', null, old ? 'Record a decision that supersedes another' : 'Record a decision'),
		old ? notice('info', ['This decision supersedes ', h('a', { href: decisionHref(old.id) }, `#${old.id} ${old.title}`),
			old.status === 'accepted' ? ': once it is accepted, that one is marked superseded. Its RACI, options and links are copied below.' : ` (${decisionStatusLabel(old.status).toLowerCase()}).`]) : null,
		h('p', { class: 'muted rel-lead' }, 'It starts as proposed and can be edited until a PM accepts or rejects it; then its evidence is frozen and it never changes again.'),
		form));
}

/* ---------- /decisions/{id} ---------- */

const HISTORY_FIELD = {
	title: 'title', context: 'context', decision: 'decision', consequences: 'consequences', options: 'options',
	raci: 'RACI', issues: 'linked issues', initiatives: 'initiatives', insights: 'insights',
	review_date: 'review date', supersedes: 'supersedes', status: 'status',
};

/* The evidence rows: [key, label, format]. */
const MEASURES = [
	['demand', 'Demand', (v) => fixed(v, 1)],
	['rice', 'RICE', (v) => num(v, 2)],
	['insights', 'Insights', (v) => num(v, 0)],
	['customers', 'Customers', (v) => num(v, 0)],
];
const TIER_ORDER = ['Enterprise', 'Premium', 'Starter'];

function isNum(v) { return v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v)); }

/* A number with exactly `digits` decimals (then and today line up): 16.1, 81.0. */
function fixed(v, digits) { return isNum(v) ? Number(v).toFixed(digits) : '—'; }

/* One measure's change: {text, dir} (dir: up, down, changed, same). */
function change(then, now, { ratio = false, digits = 1 } = {}) {
	if (!isNum(then) && !isNum(now)) return { text: '', dir: 'same' };
	if (!isNum(then) || !isNum(now)) return { text: isNum(now) ? 'new' : 'gone', dir: 'changed' };
	const a = Number(then);
	const b = Number(now);
	const dlt = Number((b - a).toFixed(digits));
	if (!dlt) return { text: '—', dir: 'same' };
	const sign = dlt > 0 ? '+' : '−';
	const text = [`${sign}${fixed(Math.abs(dlt), digits)}`];
	if (ratio && a > 0 && b / a >= 1.5) text.push(' ', h('span', { class: 'dec-ev-ratio' }, `×${num(b / a, 1)}`));
	return { text, dir: dlt > 0 ? 'up' : 'down' };
}

function tierRows(thenTiers, nowTiers) {
	const t = thenTiers || {};
	const n = nowTiers || {};
	const names = [...new Set([...Object.keys(t), ...Object.keys(n)])];
	names.sort((a, b) => {
		const ia = TIER_ORDER.indexOf(a);
		const ib = TIER_ORDER.indexOf(b);
		return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
	});
	return names.map(name => [name, t[name] || 0, n[name] || 0]);
}

/* One issue's evidence: then (snapshot; null while proposed) beside today. */
function evidenceCard(number, then, now, { frozen }) {
	const any = now || then;
	const rows = [];
	const cell = (v, cls = '') => h('td', { class: `dec-ev-v${cls}` }, v);
	const addRow = (label, thenText, nowText, ch, { sub = false, key = '' } = {}) => {
		rows.push(h('tr', { class: `dec-ev-row${ch.dir !== 'same' ? ` chg chg-${ch.dir}` : ''}${sub ? ' dec-ev-sub' : ''}`, dataset: { measure: key } },
			h('th', { scope: 'row' }, label),
			frozen ? cell(thenText) : null,
			cell(nowText, ch.dir !== 'same' && frozen ? ' dec-ev-now' : ''),
			frozen ? h('td', { class: 'dec-ev-chg' },
				ch.dir === 'up' ? h('span', { 'aria-hidden': 'true' }, '▲ ') : ch.dir === 'down' ? h('span', { 'aria-hidden': 'true' }, '▼ ') : null,
				ch.text || '') : null));
	};
	const t = then || {};
	const n = now || {};
	const gone = frozen && then && !now;
	for (const [key, label, fmtv] of MEASURES) {
		const tv = t[key];
		const nv = n[key];
		const ch = frozen && !gone ? change(tv, nv, { ratio: key === 'demand' || key === 'insights' || key === 'customers', digits: key === 'rice' ? 2 : key === 'demand' ? 1 : 0 }) : { text: '', dir: 'same' };
		addRow(label, isNum(tv) ? fmtv(tv) : '—', gone ? '—' : isNum(nv) ? fmtv(nv) : '—', ch, { key });
		if (key !== 'insights') continue;
		// The insights by their customers' tier, right under the count.
		for (const [name, tn, nn] of tierRows(t.by_tier, gone ? {} : n.by_tier)) {
			const tch = frozen && !gone ? change(tn, nn, { digits: 0 }) : { text: '', dir: 'same' };
			addRow(h('span', { class: 'dec-ev-tier' }, h('span', { class: 'sr-only' }, 'Insights from '), tierBadge(name), h('span', { class: 'sr-only' }, ' customers')),
				String(tn), gone ? '—' : String(nn), tch, { sub: true, key: `tier:${name}` });
		}
	}
	const textChange = (a, b) => {
		if (!frozen || gone) return { text: '', dir: 'same' };
		if (String(a ?? '') !== String(b ?? '')) return { text: 'changed', dir: 'changed' };
		return { text: a === null || a === undefined || a === '' ? '' : '—', dir: 'same' };
	};
	addRow('Size', isNum(t.size) ? sizeText(t.size) : '—', gone ? '—' : isNum(n.size) ? sizeText(n.size) : '—', textChange(t.size, n.size), { key: 'size' });
	addRow('Milestone', t.milestone || '—', gone ? '—' : n.milestone || '—', textChange(t.milestone, n.milestone), { key: 'milestone' });
	addRow('State', t.state ? cap(t.state) : '—', gone ? '—' : n.state ? cap(n.state) : '—', textChange(t.state, n.state), { key: 'state' });
	const changed = rows.filter(r => r.classList.contains('chg')).length;
	return h('div', { class: `dec-ev-card${changed ? ' has-chg' : ''}`, dataset: { number: String(number) }, 'data-testid': 'evidence-issue' },
		h('div', { class: 'dec-ev-head' },
			h('h3', null, h('a', { href: `/issues/${number}` }, h('span', { class: 'issue-num' }, `#${number}`), ' ', any.title || '')),
			any.state ? stateBadge(n.state || t.state) : null,
			frozen && changed ? h('span', { class: 'dec-ev-count', 'data-testid': 'evidence-changed' }, plural(changed, 'change')) : null,
			gone ? h('span', { class: 'muted' }, 'not visible today') : null),
		h('table', { class: 'dec-ev-table' },
			h('caption', { class: 'sr-only' }, frozen ? `Issue #${number}: then and today` : `Issue #${number} today`),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Measure')),
				frozen ? h('th', { scope: 'col' }, 'Then') : null,
				h('th', { scope: 'col' }, 'Today'),
				frozen ? h('th', { scope: 'col' }, 'Change') : null)),
			h('tbody', null, rows)));
}

/* The issues whose numbers moved come first (the order is stable otherwise). */
function changedFirst(cards) {
	return [...cards.filter(c => c.classList.contains('has-chg')), ...cards.filter(c => !c.classList.contains('has-chg'))];
}

export async function renderDecision(ctx) {
	const id = ctx.params.id;
	ctx.setTitle(`Decision #${id}`);
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	let d = await api.getDecision(id);
	if (!ctx.alive()) return;
	const mayWrite = canWriteDecisions(ctx.user);
	let editing = false;
	let formData = null;
	let busy = false;
	let history = null;
	let historyErr = null;
	const related = new Map(); // decision id -> title (supersedes / superseded_by)

	const crumbCurrent = h('span', { class: 'crumb-current' });
	const head = h('div', { class: 'issue-head dec-page-head' });
	const pageMsg = h('div', { class: 'page-msg' });
	const flow = h('section', { class: 'card dec-flow', 'aria-labelledby': 'dec-flow-h', 'data-testid': 'decision-flow' });
	const mainCol = h('div', { class: 'issue-main dec-main' });
	const raciBox = h('section', { class: 'dec-raci-sec', 'aria-labelledby': 'raci-h', 'data-testid': 'raci' });
	const evidenceBox = h('section', { class: 'dec-evidence', id: 'evidence', 'aria-labelledby': 'evidence-h', 'data-testid': 'then-vs-today' });
	const historyBox = h('section', { class: 'history', 'aria-labelledby': 'history-h', 'data-testid': 'history' });
	const side = h('aside', { class: 'issue-side dec-side', 'aria-label': 'Properties' });

	replace(ctx.root, h('article', { class: 'page dec-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/decisions' }, 'Decisions'), h('span', { 'aria-hidden': 'true' }, ' / '), crumbCurrent),
		head, pageMsg,
		h('div', { class: 'issue-layout' },
			h('div', { class: 'issue-col' }, flow, mainCol, raciBox, evidenceBox, historyBox),
			side)));

	const proposed = () => d.status === 'proposed';
	const mayEdit = () => mayWrite && proposed();

	function paint() {
		ctx.setTitle(`#${d.id} ${d.title}`);
		replace(crumbCurrent, `#${d.id}`);
		paintHead();
		paintFlow();
		paintSide();
		if (!editing) { paintBody(); paintRaci(); }
		paintEvidence();
		paintHistory();
	}

	/* ---- head ---- */

	function paintHead() {
		replace(head,
			h('div', { class: 'issue-title-row' },
				h('h1', { class: 'issue-title' },
					h('span', { class: 'issue-num' }, `#${d.id}`), ' ',
					h('span', { 'data-testid': 'decision-title' }, d.title)),
				h('div', { class: 'issue-actions dec-actions' },
					mayEdit() && !editing ? h('button', {
						type: 'button', class: 'btn', id: 'edit-btn', onclick: startEdit, 'aria-keyshortcuts': 'e', title: 'Edit (e)', 'data-testid': 'decision-edit',
					}, 'Edit') : null,
					mayWrite && d.status === 'accepted' ? h('a', {
						href: `/decisions/new?supersedes=${d.id}`, class: 'btn', 'data-testid': 'supersede',
					}, 'Record a decision that supersedes this') : null)),
			h('p', { class: 'issue-meta muted' },
				decisionStatusChip(d.status),
				d.decided_at
					? h('span', null, `${d.status === 'rejected' ? 'Rejected' : 'Decided'} `, h('strong', null, dateText(d.decided_at)))
					: h('span', null, 'Proposed by ', h('strong', null, d.created_by || 'unknown'), ' ', timeEl(h, d.created_at, 'rel')),
				d.review_date ? h('span', { class: 'dec-meta-review' }, 'Review ', reviewChip(d, { long: true })) : null));
	}

	/* ---- status: Accept / Reject while proposed; what happened since ---- */

	function statusActor(st) {
		if (!history) return null;
		const hit = [...history].reverse().find(x => x.field === 'status' && String(x.new || '').startsWith(st));
		return hit ? hit.actor : null;
	}

	function paintFlow() {
		const actions = [];
		let text;
		const signals = Array.isArray(d.signals) ? d.signals : [];
		if (d.status === 'proposed') {
			text = ['Proposed. ', mayWrite
				? 'Accepting it freezes the evidence of its issues and makes it final; a later change is a new decision that supersedes it.'
				: 'A PM or an admin accepts or rejects it.'];
			if (mayWrite) {
				actions.push(h('button', { type: 'button', class: 'btn btn-primary', disabled: busy, 'data-testid': 'accept', onclick: () => setStatus('accepted') }, 'Accept'));
				actions.push(h('button', { type: 'button', class: 'btn', disabled: busy, 'data-testid': 'reject', onclick: () => setStatus('rejected') }, 'Reject'));
			}
		} else if (d.status === 'accepted') {
			const who = statusActor('accepted');
			text = ['Accepted ', h('strong', null, dateText(d.decided_at)), who ? [' by ', h('strong', null, who)] : null, '. It is final: ',
				mayWrite ? 'to change it, record a decision that supersedes it.' : 'a change would be a new decision that supersedes it.'];
		} else if (d.status === 'rejected') {
			const who = statusActor('rejected');
			text = ['Rejected ', h('strong', null, dateText(d.decided_at)), who ? [' by ', h('strong', null, who)] : null, '.'];
		} else {
			const by = d.superseded_by;
			text = ['Superseded', by ? [' by ', h('a', { href: decisionHref(by), 'data-testid': 'flow-superseded-by' }, `#${by}${related.get(by) ? ` ${related.get(by)}` : ''}`)] : null,
				d.decided_at ? [' · accepted ', h('strong', null, dateText(d.decided_at))] : null, '. It no longer holds; read the newer decision.'];
		}
		replace(flow,
			h('h2', { id: 'dec-flow-h', class: 'sr-only' }, 'Status'),
			h('div', { class: 'rel-flow-row' },
				h('p', { class: 'rel-flow-status', 'data-testid': 'flow-status' }, text),
				actions.length ? h('div', { class: 'rel-flow-actions' }, actions) : null),
			d.supersedes ? h('p', { class: 'dec-flow-note' }, 'Supersedes ', h('a', { href: decisionHref(d.supersedes), 'data-testid': 'flow-supersedes' },
				`#${d.supersedes}${related.get(d.supersedes) ? ` ${related.get(d.supersedes)}` : ''}`),
			d.status === 'proposed' ? ': accepting this marks that one superseded.' : '.') : null,
			d.snapshot && signals.length ? h('p', { class: 'dec-flow-signal', 'data-testid': 'flow-signal' },
				h('span', { class: 'dec-signal-mark', 'aria-hidden': 'true' }, '⚑'),
				`${plural(signals.length, 'signal')} to revisit since this decision — `, h('a', { href: '#evidence', onclick: jumpToEvidence }, 'then vs today')) : null,
			h('div', { class: 'form-msg', 'data-testid': 'flow-msg' }));
	}

	function jumpToEvidence(ev) {
		ev.preventDefault();
		ev.stopPropagation();
		const hd = document.getElementById('evidence-h');
		if (hd) { hd.setAttribute('tabindex', '-1'); hd.focus(); hd.scrollIntoView({ block: 'start' }); }
	}

	async function setStatus(to) {
		if (busy) return;
		const what = to === 'accepted'
			? `Accept “${d.title}”?\n\nThe evidence of its issues is frozen now, and the decision can no longer be edited: a change will be a new decision that supersedes it.${d.supersedes ? `\n\n#${d.supersedes} becomes superseded.` : ''}`
			: `Reject “${d.title}”?\n\nIt can no longer be edited afterwards.`;
		if (!window.confirm(what)) return;
		busy = true;
		paintFlow();
		let res;
		try {
			res = await api.setDecisionStatus(d.id, to);
		} catch (err) {
			busy = false;
			if (!ctx.alive() || err.status === 401) return;
			paintFlow();
			replace(flow.querySelector('[data-testid="flow-msg"]'), notice('error', err.message));
			return;
		}
		busy = false;
		if (!ctx.alive()) return;
		d = res;
		editing = false;
		await loadHistory();
		if (!ctx.alive()) return;
		paint();
		toast(to === 'accepted' ? 'Accepted: the evidence is frozen' : 'Rejected');
		const target = to === 'accepted' ? document.getElementById('evidence-h') : null;
		if (target) { target.setAttribute('tabindex', '-1'); target.focus(); } else {
			const hd = head.querySelector('h1');
			if (hd) { hd.setAttribute('tabindex', '-1'); hd.focus(); }
		}
	}

	/* ---- the record ---- */

	function optionCard(o, i) {
		const list = (text, kind) => {
			const lines = String(text || '').split('\n').map(s => s.replace(/^\s*[-*•]\s*/, '').trim()).filter(Boolean);
			return h('div', { class: `dec-procon dec-${kind}` },
				h('h4', null, h('span', { class: 'dec-procon-mark', 'aria-hidden': 'true' }, kind === 'pros' ? '+' : '−'), kind === 'pros' ? 'Pros' : 'Cons'),
				lines.length ? h('ul', null, lines.map(l => h('li', null, l))) : h('p', { class: 'muted' }, 'None given'));
		};
		return h('li', { class: 'card dec-option', 'data-testid': 'option' },
			h('h3', { class: 'dec-option-title' }, h('span', { class: 'dec-option-n', 'aria-hidden': 'true' }, String(i + 1)), o.title || '(untitled)'),
			h('div', { class: 'dec-option-body' }, list(o.pros, 'pros'), list(o.cons, 'cons')));
	}

	function paintBody() {
		const opts = Array.isArray(d.options) ? d.options : [];
		replace(mainCol,
			h('section', { class: 'card body-card dec-block', 'aria-labelledby': 'ctx-h' },
				h('h2', { id: 'ctx-h', class: 'dec-block-h' }, 'Context'),
				markdown(d.context_html, 'No context given.', 'decision-context')),
			h('section', { class: 'dec-options-sec', 'aria-labelledby': 'opts-h' },
				h('div', { class: 'section-head' }, h('h2', { id: 'opts-h' }, 'Options considered'), h('span', { class: 'muted' }, opts.length ? String(opts.length) : '')),
				opts.length
					? h('ol', { class: `dec-options${opts.length === 1 ? ' one' : ''}`, 'data-testid': 'options' }, opts.map(optionCard))
					: h('p', { class: 'muted' }, 'No options recorded.')),
			h('section', { class: `card body-card dec-block dec-the-decision dec-the-${d.status}`, 'aria-labelledby': 'dec-h' },
				h('h2', { id: 'dec-h', class: 'dec-block-h' }, 'Decision'),
				markdown(d.decision_html, d.status === 'proposed' ? 'Not written yet.' : 'No text.', 'decision-text')),
			h('section', { class: 'card body-card dec-block', 'aria-labelledby': 'cons-h' },
				h('h2', { id: 'cons-h', class: 'dec-block-h' }, 'Consequences'),
				markdown(d.consequences_html, 'None written.', 'decision-consequences')));
	}

	function paintRaci() {
		const r = d.raci || {};
		replace(raciBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'raci-h' }, 'RACI')),
			h('dl', { class: 'card dec-raci' }, RACI.map(([role, label, hint]) => h('div', { class: 'dec-raci-cell', 'data-testid': `raci-${role}` },
				h('dt', { title: hint }, h('span', { class: 'dec-raci-letter', 'aria-hidden': 'true' }, label[0]), label),
				(r[role] || []).length
					? (r[role]).map(login => h('dd', { class: 'dec-raci-person' }, person(login)))
					: h('dd', { class: 'muted' }, 'Nobody')))));
	}

	function paintEvidence() {
		const today = Array.isArray(d.today) ? d.today : [];
		const snap = d.snapshot && Array.isArray(d.snapshot.issues) ? d.snapshot : null;
		if (!snap && !today.length) {
			replace(evidenceBox, d.status === 'proposed' ? [
				h('div', { class: 'section-head' }, h('h2', { id: 'evidence-h' }, 'Evidence')),
				h('p', { class: 'muted dec-none' }, 'No issue is linked yet. Link the issues this decision is about: when it is accepted, their demand, RICE, insights, sizes and milestones are frozen, to compare with later.'),
			] : []);
			return;
		}
		if (!snap) {
			replace(evidenceBox,
				h('div', { class: 'section-head' }, h('h2', { id: 'evidence-h' }, 'Evidence today'),
					h('span', { class: 'muted' }, d.status === 'proposed' ? 'frozen into a snapshot when the decision is accepted' : '')),
				h('div', { class: 'dec-ev-grid' }, today.map(t => evidenceCard(t.number, null, t, { frozen: false }))));
			return;
		}
		const signals = Array.isArray(d.signals) ? d.signals : [];
		const byNum = new Map(today.map(t => [t.number, t]));
		const numbers = [...snap.issues.map(i => i.number), ...today.map(t => t.number).filter(n => !snap.issues.some(i => i.number === n))];
		const thenBy = new Map(snap.issues.map(i => [i.number, i]));
		replace(evidenceBox,
			h('div', { class: 'section-head' },
				h('h2', { id: 'evidence-h' }, 'Then vs today'),
				h('span', { class: 'muted', 'data-testid': 'snapshot-at' }, 'Evidence frozen ', h('strong', null, dateText(snap.taken_at || d.decided_at)), ' · today’s numbers beside it')),
			signals.length
				? h('div', { class: 'dec-signals', role: 'note', 'aria-label': 'Signals to revisit', 'data-testid': 'signals' },
					h('span', { class: 'dec-signal-icon', 'aria-hidden': 'true' }, '⚑'),
					h('div', { class: 'dec-signals-text' },
						h('p', { class: 'dec-signals-h' }, signals.length === 1 ? 'Worth a second look' : `${signals.length} things worth a second look`),
						h('ul', null, signals.map(s => h('li', { 'data-testid': 'signal' }, linkIssues(cap(String(s))))))))
				: h('p', { class: 'dec-no-signal muted', 'data-testid': 'no-signals' }, '✓ Nothing has moved enough to revisit this decision.'),
			h('div', { class: 'dec-ev-grid' }, changedFirst(numbers.map(n => evidenceCard(n, thenBy.get(n) || null, byNum.get(n) || null, { frozen: true })))));
	}

	/* ---- properties ---- */

	function prop(name, value, testid) {
		return [h('dt', null, name), h('dd', { 'data-testid': testid || null }, value)];
	}

	function paintSide() {
		const issues = Array.isArray(d.issues) ? d.issues : [];
		const inits = Array.isArray(d.initiatives) ? d.initiatives : [];
		const insights = Array.isArray(d.insights) ? d.insights : [];
		const relLink = (rid, testid) => h('a', { href: decisionHref(rid), 'data-testid': testid }, `#${rid}`, related.get(rid) ? ` ${related.get(rid)}` : '');
		replace(side, h('dl', { class: 'props dec-props' },
			prop('Status', decisionStatusChip(d.status)),
			prop('Decided', d.decided_at ? timeEl(h, d.decided_at, 'full') : h('span', { class: 'muted' }, 'Not yet')),
			prop('Review', reviewChip(d, { long: true })),
			d.supersedes ? prop('Supersedes', relLink(d.supersedes, 'supersedes')) : null,
			d.superseded_by ? prop('Superseded by', relLink(d.superseded_by, 'superseded-by')) : null,
			prop('Issues', issues.length ? h('ul', { class: 'rel-issues' }, issues.map(i => h('li', { class: 'rel-issue' }, issueRef(i)))) : h('span', { class: 'muted' }, 'None'), 'decision-issues'),
			prop('Initiatives', inits.length ? h('ul', { class: 'rel-issues' }, inits.map(x => h('li', { class: 'rel-issue' }, h('a', { href: initiativeHref(x.id) }, x.title)))) : h('span', { class: 'muted' }, 'None'), 'decision-initiatives'),
			prop('Insights', insights.length ? h('ul', { class: 'rel-issues' }, insights.map(x => h('li', { class: 'rel-issue' }, h('span', { class: 'muted' }, `${x.id} `), x.title || '(untitled)'))) : h('span', { class: 'muted' }, 'None'), 'decision-insights'),
			prop('Recorded by', person(d.created_by)),
			prop('Created', timeEl(h, d.created_at, 'full')),
			prop('Updated', timeEl(h, d.updated_at, 'full')),
			prop('Version', h('span', { class: 'muted mono' }, String(d.version)))));
	}

	/* ---- edit (proposed only) ---- */

	async function startEdit() {
		if (editing || !mayEdit()) return;
		editing = true;
		replace(pageMsg);
		if (!formData) {
			try { formData = await loadFormData(ctx); } catch (err) { editing = false; if (err.status !== 401) replace(pageMsg, notice('error', err.message)); return; }
			if (!ctx.alive()) return;
		}
		paintHead();
		replace(raciBox);
		replace(mainCol, decisionForm(ctx, d, {
			...formData,
			onSaved: async (saved) => {
				d = saved;
				editing = false;
				await loadRelated();
				await loadHistory();
				if (!ctx.alive()) return;
				paint();
				toast('Saved');
				const b = document.getElementById('edit-btn');
				if (b) b.focus();
			},
			onCancel: stopEdit,
		}));
	}

	function stopEdit() {
		editing = false;
		paint();
		const b = document.getElementById('edit-btn');
		if (b) b.focus();
	}

	/* ---- history ---- */

	function histValue(f, v) {
		let text = v === null || v === undefined || v === '' ? 'none' : String(v);
		if (f === 'status' && v) text = decisionStatusLabel(String(v));
		if (f === 'review_date' && v) text = dateText(v);
		if (f === 'supersedes' && /^\d+$/.test(String(v))) text = `#${v}`;
		const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
		return h('span', { class: `val${v === null || v === undefined || v === '' ? ' val-none' : ''}`, title: text }, short);
	}

	function historyText(x) {
		const f = x.field;
		if (f === 'created') {
			const names = (x.with || []).map(w => HISTORY_FIELD[w] || String(w).replace(/_/g, ' '));
			const extra = names.length ? ` with its ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]}` : '';
			return [h('span', null, `recorded the decision${extra}`)];
		}
		if (f === 'status') {
			const m = /^superseded by #(\d+)/.exec(String(x.new || ''));
			if (m) return [h('span', null, 'marked it superseded by '), h('a', { href: decisionHref(m[1]) }, `#${m[1]}`)];
			return [h('span', null, 'moved it '), histValue(f, x.old), h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '), histValue(f, x.new)];
		}
		if ((x.old === null || x.old === undefined) && (x.new === null || x.new === undefined)) {
			return [h('span', null, 'changed the '), h('strong', null, HISTORY_FIELD[f] || String(f || '').replace(/_/g, ' '))];
		}
		return [h('span', null, 'changed '), h('strong', null, HISTORY_FIELD[f] || String(f || '').replace(/_/g, ' ')), h('span', null, ' '),
			histValue(f, x.old), h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '), histValue(f, x.new)];
	}

	/* What was set with the decision comes as rows of its own at the same
	 * instant: fold them into "recorded the decision with its …". */
	function folded(items) {
		const out = [];
		for (const x of items) {
			const prev = out[out.length - 1];
			if (prev && prev.field === 'created' && x.at === prev.at && x.actor === prev.actor
				&& x.field !== 'status' && x.field !== 'created' && x.old == null && x.new == null && !(prev.with || []).includes(x.field)) {
				prev.with = [...(prev.with || []), x.field];
				continue;
			}
			out.push({ ...x });
		}
		return out;
	}

	async function loadHistory() {
		try {
			history = await api.decisionHistory(d.id);
			historyErr = null;
		} catch (err) {
			if (err.status === 401) return;
			historyErr = err.message;
		}
	}

	function paintHistory() {
		const title = h('h2', { id: 'history-h' }, 'History');
		if (historyErr) { replace(historyBox, title, notice('error', historyErr)); return; }
		if (history === null) { replace(historyBox, title, spinner()); return; }
		const items = folded(history);
		replace(historyBox, title,
			items.length
				? h('ol', { class: 'timeline' }, items.map(x => h('li', { class: 'tl-item', dataset: { field: x.field || '' }, 'data-testid': 'history-item' },
					avatar(x.actor),
					h('div', { class: 'tl-text' },
						h('strong', { class: 'tl-actor' }, x.actor || 'system'), ' ',
						historyText(x),
						h('span', { class: 'tl-time muted' }, ' · ', timeEl(h, x.at, 'daytime'))))))
				: h('p', { class: 'muted' }, 'No changes yet.'));
	}

	/* The titles of the decisions this one supersedes / is superseded by. */
	async function loadRelated() {
		const want = [d.supersedes, d.superseded_by].filter(x => x && !related.has(x));
		await Promise.all(want.map(async (rid) => {
			try { related.set(rid, (await api.getDecision(rid)).title); } catch (err) { if (err.status === 401) throw err; }
		}));
	}

	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
		if (ev.key === 'e' && !editing && mayEdit()) { ev.preventDefault(); startEdit(); }
	};
	document.addEventListener('keydown', onKey);
	ctx.onCleanup(() => document.removeEventListener('keydown', onKey));

	paint();
	await Promise.all([loadHistory(), loadRelated().catch(() => {})]);
	if (!ctx.alive() || editing) return;
	paint();
}

/* ---------- the issue page: the decisions that link the issue ---------- */

export function issueDecisions(number) {
	const title = () => h('h2', { id: 'decisions-h' }, 'Decisions');
	const box = h('section', { class: 'issue-decisions', 'aria-labelledby': 'decisions-h', 'data-testid': 'issue-decisions' },
		h('div', { class: 'section-head' }, title()), spinner('Loading decisions…'));
	(async () => {
		let items;
		try {
			items = await api.issueDecisions(number);
		} catch (err) {
			if (err.status === 401) return;
			replace(box, h('div', { class: 'section-head' }, title()), notice('error', `The decisions could not be loaded: ${err.message}`));
			return;
		}
		if (!items.length) {
			replace(box, h('div', { class: 'section-head' }, title()),
				h('p', { class: 'muted dec-none' }, 'No decision links this issue.'));
			return;
		}
		replace(box,
			h('div', { class: 'section-head' }, title(), h('span', { class: 'muted' }, plural(items.length, 'decision'))),
			h('ul', { class: 'card dec-issue-list' }, items.map(x => h('li', { class: 'dec-issue-item', dataset: { id: String(x.id) }, 'data-testid': 'issue-decision' },
				h('a', { href: decisionHref(x.id), class: 'dec-issue-title' }, h('span', { class: 'issue-num' }, `#${x.id}`), ' ', x.title),
				decisionStatusChip(x.status),
				h('span', { class: 'muted dec-issue-when' }, x.decided_at ? dateText(x.decided_at) : 'not decided'),
				x.superseded_by ? h('span', { class: 'muted' }, 'superseded by ', h('a', { href: decisionHref(x.superseded_by) }, `#${x.superseded_by}`)) : null))));
	})();
	return box;
}
