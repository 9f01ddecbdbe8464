// inbox.js — the triage inbox (/triage): every issue in No Status (or
// labelled needs-triage), oldest first, triaged with the keyboard alone.
//
// Keys (also on screen, and in the ? dialog):
//   j / k  (↓ / ↑)     next / previous item
//   e s t b f x        type: epic, story, task, bug, feature, security
//   h m l n            priority: high, medium, low, none
//   1 2 3 4 5 6        PM size: XS S M L XL XXL
//   Shift+N S M L      horizon: Next, Short, Medium, Long
//   r then 1–4 (0)     bug severity S1–S4 (0 clears) — bugs only
//   v                  edit the CVSS vector — security issues only
//   Enter              triage: apply type, priority, size and horizon
//   u / i              route to Support & Under Review / Icebox
//   d                  duplicate of … (asks the number)
//   w                  won't do (asks the reason)
//   o                  open the issue page
//   Esc                cancel a question, or reset the choices
//   ?                  the key map
//
// After an action the next item is shown at once; the list, the count in
// the top bar and the stats refresh in the background.

import * as api from './api.js?v={{v}}';
import { h, replace, svg, uid } from './dom.js?v={{v}}';
import {
	TYPES, SIZES, HORIZONS, BUG_SEVERITIES, typeLabel, sizeLetter, boardLabel, ageText, hoursText, dateText,
	fullTime, scoreText, severityLabel,
} from './fmt.js?v={{v}}';
import {
	typeBadge, labelList, person, notice, spinner, toast, boardChip, bugSeverityChip, countdownChip, severityMark,
	canTriage, canSeeSecurity,
} from './ui.js?v={{v}}';

const PER_PAGE = 100;

const TYPE_KEYS = { e: 'epic', s: 'story', t: 'task', b: 'bug', f: 'feature', x: 'security' };
const PRIORITY_KEYS = { h: 'high', m: 'medium', l: 'low', n: null };
const SIZE_KEYS = { 1: 'XS', 2: 'S', 3: 'M', 4: 'L', 5: 'XL', 6: 'XXL' };
const HORIZON_KEYS = { N: 'next', S: 'short', M: 'medium', L: 'long' };
const keyOf = (map, value) => Object.keys(map).find(k => map[k] === value);

/* The key map, shown in the ? dialog: [keys, what]. */
const KEYMAP = [
	['Move', [['j', '↓'], 'next item'], [['k', '↑'], 'previous item'], [['o'], 'open the issue page']],
	['Decide', [['e', 's', 't', 'b', 'f', 'x'], 'type: epic, story, task, bug, feature, security'],
		[['h', 'm', 'l', 'n'], 'priority: high, medium, low, none'],
		[['1', '2', '3', '4', '5', '6'], 'PM size: XS, S, M, L, XL, XXL'],
		[['⇧N', '⇧S', '⇧M', '⇧L'], 'horizon: Next, Short, Medium, Long (Shift + letter)'],
		[['r', '1–4'], 'bug severity S1–S4 (r then 0 clears) · bugs'],
		[['v'], 'CVSS vector · security issues'],
		[['Enter'], 'triage with these choices, show the next item']],
	['Route', [['u'], 'Support & Under Review'], [['i'], 'Icebox'],
		[['d'], 'duplicate of … (type the number, Enter)'], [['w'], "won't do (type the reason, Enter)"]],
	['Other', [['Esc'], 'cancel a question, or reset the choices'], [['?'], 'show or hide this key map']],
];

function lockIcon() {
	return svg('svg', { viewBox: '0 0 12 12', width: 11, height: 11, 'aria-hidden': 'true', class: 'lock-icon' },
		svg('rect', { x: 2, y: 5.2, width: 8, height: 5.8, rx: 1.2 }),
		svg('path', { d: 'M4 5.2V3.8a2 2 0 0 1 4 0v1.4', fill: 'none', 'stroke-width': 1.3 }));
}

export async function renderInbox(ctx) {
	ctx.setTitle('Inbox');
	const mayTriage = canTriage(ctx.user);

	let items = [];       // the inbox, oldest first (the loaded pages)
	let total = 0;
	let stats = null;
	let selected = null;  // the selected issue's number
	let loadSeq = 0;
	let busy = false;     // an action is in flight
	let mode = null;      // null | 'duplicate' | 'wontdo' | 'severity' | 'cvss'
	let promptText = '';  // what is typed in the duplicate / won't do question
	let freshFocus = false; // the next paint focuses (and selects) the question's field
	let helpOpen = false;
	const decisions = new Map(); // number -> {type, priority, pm_size, board, bug_severity, cvss}
	const details = new Map();   // number -> full issue (with body_html), by version
	const errors = new Map();    // number -> {message, field}

	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'inbox-count' });
	const statsBox = h('div', { class: 'triage-stats', 'aria-label': 'Triage metrics', role: 'group' });
	const pageMsg = h('div', { class: 'page-msg' });
	const list = h('ul', { class: 'inbox-list', role: 'listbox', 'aria-label': 'Inbox, oldest first', id: 'inbox-list', tabindex: 0 });
	const listWrap = h('div', { class: 'inbox-list-wrap card' }, spinner());
	const detail = h('section', { class: 'inbox-detail card', 'aria-label': 'Selected item', 'aria-live': 'polite', 'data-testid': 'inbox-detail' });
	const panel = h('aside', { class: 'triage-panel card', 'aria-label': 'Triage decision', 'data-testid': 'triage-panel' });
	const help = h('div', { class: 'keymap-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'keymap-h', hidden: true });

	replace(ctx.root, h('section', { class: 'page page-wide inbox-page' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Inbox'), count,
			h('div', { class: 'page-head-spacer' }),
			h('span', { class: 'kbd-hint muted' },
				h('kbd', null, 'j'), h('kbd', null, 'k'), ' move · ', mayTriage ? [h('kbd', null, 'Enter'), ' triage · '] : null,
				h('button', { type: 'button', class: 'link-btn', onclick: () => toggleHelp(), 'aria-keyshortcuts': '?' }, h('kbd', null, '?'), ' all keys'))),
		statsBox, pageMsg,
		h('div', { class: 'inbox-layout' }, listWrap, detail, panel),
		help));

	/* ---------- data ---------- */

	async function load({ keepSelection = true } = {}) {
		const seq = ++loadSeq;
		let data;
		try {
			data = await api.triageInbox({ page: 1, perPage: PER_PAGE });
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive() || err.status === 401) return;
			replace(pageMsg, notice('error', `The inbox could not be loaded: ${err.message}`,
				h('button', { type: 'button', class: 'btn btn-sm', onclick: () => load() }, 'Retry')));
			if (!items.length) replace(listWrap, h('div', { class: 'empty' }, h('p', { class: 'muted' }, 'No inbox to show.')));
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		replace(pageMsg);
		const shownBefore = current();
		items = Array.isArray(data.items) ? data.items : [];
		total = Number(data.total) || 0;
		stats = data.stats || null;
		for (const it of items) {
			const d = details.get(it.number);
			if (d && d.version !== it.version) details.delete(it.number);
		}
		if (!keepSelection || !items.some(i => i.number === selected)) selected = items.length ? items[0].number : null;
		ctx.setInboxCount(stats && Number.isFinite(Number(stats.inbox_size)) ? Number(stats.inbox_size) : total);
		// A refresh that leaves the selected item as it was keeps its pane and
		// decision panel untouched (a question being typed is not disturbed).
		const now = current();
		const same = shownBefore && now && shownBefore.number === now.number && shownBefore.version === now.version;
		paintAll({ panes: !same });
	}

	function current() {
		return items.find(i => i.number === selected) || null;
	}

	function issueOf(n) {
		const it = items.find(i => i.number === n);
		const d = details.get(n);
		return d && it && d.version === it.version ? { ...it, ...d, age_days: it.age_days } : it;
	}

	/* The full issue (body_html) for the detail pane; neighbours are fetched
	 * ahead so j/k and the next item after an action show at once. */
	async function ensureDetail(n) {
		if (n === null || details.has(n)) return;
		const it = items.find(i => i.number === n);
		if (it && typeof it.body_html === 'string') { details.set(n, it); return; }
		details.set(n, null); // in flight
		try {
			const full = await api.getIssue(n);
			details.set(n, full);
		} catch (err) {
			details.delete(n);
			return;
		}
		if (ctx.alive() && selected === n) paintDetail();
	}

	function prefetch() {
		const i = items.findIndex(x => x.number === selected);
		for (const j of [i, i + 1, i - 1, i + 2]) if (j >= 0 && j < items.length) ensureDetail(items[j].number);
	}

	function decisionOf(it) {
		let d = decisions.get(it.number);
		if (!d) {
			d = {
				type: it.type || 'story',
				priority: it.priority || null,
				pm_size: sizeLetter(it.pm_size) || null,
				board: HORIZONS.some(([b]) => b === it.board) ? it.board : null,
				bug_severity: it.bug_severity || null,
				cvss: it.cvss || '',
			};
			decisions.set(it.number, d);
		}
		return d;
	}

	/* ---------- painting ---------- */

	function paintAll({ panes = true } = {}) {
		paintCount();
		paintStats();
		paintList();
		if (panes) {
			paintDetail();
			paintPanel();
		}
		prefetch();
	}

	function paintCount() {
		replace(count, total ? `${total} to triage` : 'Nothing to triage');
	}

	function stat(label, value, { testid, level, title, href, linkTestid } = {}) {
		return h(href ? 'a' : 'div', { class: `stat${level ? ` stat-${level}` : ''}${href ? ' stat-link' : ''}`, title: title || null, href: href || null, 'data-testid': linkTestid || null },
			h('span', { class: 'stat-value', 'data-testid': testid }, value),
			h('span', { class: 'stat-label' }, label));
	}

	function paintStats() {
		if (!stats) { replace(statsBox); return; }
		const breaches = Number(stats.sla_breaches) || 0;
		replace(statsBox,
			stat('in the inbox', String(stats.inbox_size ?? total), { testid: 'stat-inbox' }),
			stat('median time to triage · 30 days', hoursText(stats.median_time_to_triage_hours),
				{ testid: 'stat-median', title: stats.median_time_to_triage_hours === null ? 'Nothing triaged in the last 30 days' : null }),
			stat(breaches === 1 ? 'security SLA breach' : 'security SLA breaches', String(breaches),
				canSeeSecurity(ctx.user)
					? { testid: 'stat-breaches', level: breaches > 0 ? 'bad' : null, title: 'Open security issues past their fix-by date: see the list', href: '/security', linkTestid: 'breaches-link' }
					: { testid: 'stat-breaches', level: breaches > 0 ? 'bad' : null, title: 'Open security issues past their fix-by date' }));
	}

	function paintList() {
		if (!items.length) {
			replace(listWrap, h('div', { class: 'empty inbox-zero' },
				h('p', { class: 'empty-title' }, 'Inbox zero'),
				h('p', { class: 'muted' }, 'Every new issue has been triaged.')));
			return;
		}
		replace(list, items.map(it => {
			const on = it.number === selected;
			const li = h('li', {
				role: 'option', id: `inbox-item-${it.number}`, class: `inbox-item${on ? ' on' : ''}`,
				'aria-selected': on ? 'true' : 'false', dataset: { number: String(it.number) },
				onclick: () => select(it.number),
			},
			h('span', { class: 'inbox-num' }, `#${it.number}`),
			h('span', { class: 'inbox-title' }, it.title),
			h('span', { class: 'inbox-sub' },
				typeBadge(it.type), severityMark(it),
				h('span', { class: 'inbox-age', title: `Reported ${fullTime(it.created_at)}` }, ageText(it.age_days))));
			return li;
		}));
		list.setAttribute('aria-activedescendant', selected === null ? '' : `inbox-item-${selected}`);
		const more = total > items.length
			? h('p', { class: 'inbox-more muted' }, `Showing the oldest ${items.length} of ${total}.`) : null;
		replace(listWrap, list, more);
		const el = list.querySelector('.inbox-item.on');
		if (el) el.scrollIntoView({ block: 'nearest' });
	}

	function prop(name, value) {
		return h('div', { class: 'iprop' }, h('dt', null, name), h('dd', null, value));
	}

	function paintDetail() {
		const it = current();
		if (!it) {
			replace(detail, h('div', { class: 'empty' },
				h('p', { class: 'empty-title' }, items.length ? 'Select an item' : 'Nothing to triage'),
				h('p', { class: 'muted' }, items.length ? 'Press j to start.' : 'New issues land here.')));
			return;
		}
		const issue = issueOf(it.number);
		const body = h('div', { class: 'markdown inbox-body', 'data-testid': 'inbox-body' });
		if (typeof issue.body_html === 'string') {
			if (issue.body_html.trim()) {
				// body_html is rendered and sanitized by the server (cmark-gfm, safe mode).
				body.innerHTML = issue.body_html;
			} else {
				body.appendChild(h('p', { class: 'muted' }, 'No description.'));
			}
		} else {
			body.appendChild(spinner('Loading the description…'));
		}
		const security = issue.type === 'security' ? securityBox(issue) : null;
		replace(detail,
			h('header', { class: 'inbox-detail-head' },
				h('h2', { class: 'inbox-detail-title' },
					h('a', { href: `/issues/${issue.number}`, class: 'issue-num', title: 'Open the issue page (o)' }, `#${issue.number}`), ' ',
					h('span', { 'data-testid': 'inbox-title' }, issue.title)),
				h('dl', { class: 'inbox-props' },
					prop('Type', typeBadge(issue.type)),
					issue.type === 'bug' ? prop('Severity', bugSeverityChip(issue.bug_severity)) : null,
					prop('Reporter', person(issue.reporter)),
					prop('Reported', h('span', null, h('time', { datetime: issue.created_at, title: fullTime(issue.created_at) }, ageText(issue.age_days)),
						issue.age_days >= 1 ? ' ago' : '')),
					prop('Board', boardChip(issue.board)),
					prop('Labels', labelList(issue.labels)))),
			security,
			body);
	}

	function securityBox(issue) {
		const scored = issue.cvss_score !== null && issue.cvss_score !== undefined;
		return h('div', { class: `security-box sev-${scored ? String(issue.severity || 'none') : 'unscored'}`, 'data-testid': 'security-box' },
			h('div', { class: 'security-score' },
				h('span', { class: 'security-score-num' }, scored ? scoreText(issue.cvss_score) : '—'),
				h('span', { class: 'security-score-sev' }, scored ? severityLabel(issue.severity) : 'Not scored')),
			h('div', { class: 'security-facts' },
				h('div', null, h('span', { class: 'muted' }, 'Fix by '),
					issue.fix_by ? [h('strong', null, dateText(issue.fix_by)), ' ', countdownChip(issue.fix_by)]
						: h('span', { class: 'muted' }, scored ? '— (no SLA for this severity)' : '— (score it to get a fix-by date)')),
				h('div', { class: 'security-vector mono', title: 'CVSS vector' }, issue.cvss || h('span', { class: 'muted' }, 'No CVSS vector'))),
			h('span', { class: 'security-private', title: 'Only admin, PM, CTO and the reporter see security issues' }, lockIcon(), 'Private'));
	}

	/* A row of choices, each with its key. */
	function choiceRow(label, name, options, value, onPick, { note } = {}) {
		return h('div', { class: 'choice-row', role: 'group', 'aria-label': label, dataset: { field: name } },
			h('div', { class: 'choice-label' }, label, note ? h('span', { class: 'choice-note' }, note) : null),
			h('div', { class: 'choices' }, options.map(([v, text, key]) => {
				const on = v === value;
				return h('button', {
					type: 'button', class: `choice${on ? ' on' : ''}`, 'aria-pressed': on ? 'true' : 'false', tabindex: -1,
					disabled: !mayTriage || busy, dataset: { value: v === null ? '' : String(v) },
					onmousedown: (ev) => ev.preventDefault(), // keep the keyboard focus where it is
					onclick: () => onPick(v),
				}, h('kbd', null, key), h('span', null, text));
			})));
	}

	function paintPanel() {
		const it = current();
		if (!it) { replace(panel, h('p', { class: 'muted panel-empty' }, 'Nothing selected.')); return; }
		const d = decisionOf(it);
		const err = errors.get(it.number);
		const errFor = (f) => err && err.field === f;
		const rows = [
			choiceRow('Type', 'type', TYPES.map(t => [t, typeLabel(t), keyOf(TYPE_KEYS, t)]), d.type, v => setChoice('type', v)),
			choiceRow('Priority', 'priority', [['high', 'High', 'h'], ['medium', 'Medium', 'm'], ['low', 'Low', 'l'], [null, 'None', 'n']],
				d.priority, v => setChoice('priority', v)),
			choiceRow('Size', 'pm_size', SIZES.map(([l], i) => [l, l, String(i + 1)]), d.pm_size, v => setChoice('pm_size', v), { note: 'PM estimate' }),
			choiceRow('Horizon', 'board', HORIZONS.map(([b, text]) => [b, text, `⇧${keyOf(HORIZON_KEYS, b)}`]), d.board, v => setChoice('board', v),
				{ note: d.board ? HORIZONS.find(([b]) => b === d.board)[2] : 'required' }),
		];
		if (d.type === 'bug') {
			rows.push(choiceRow('Bug severity', 'bug_severity',
				BUG_SEVERITIES.map(([s, text], i) => [s, text.replace(/^S\d · /, `${s} `), `r${i + 1}`]), d.bug_severity,
				v => setChoice('bug_severity', d.bug_severity === v ? null : v),
				{ note: mode === 'severity' ? 'press 1–4, 0 clears' : null }));
		}
		if (d.type === 'security') rows.push(cvssRow(it, d));
		for (const r of rows) {
			if (errFor(r.dataset.field)) r.classList.add('choice-row-invalid');
		}
		const prompt = mode === 'duplicate' || mode === 'wontdo' ? promptBox(it) : null;
		const errBox = err ? notice('error', err.field ? `${fieldName(err.field)}: ${err.message}` : err.message) : null;
		if (errBox) errBox.setAttribute('data-testid', 'triage-error');

		const act = (key, text, onclick, cls = 'btn') => h('button', {
			type: 'button', class: `${cls} btn-sm act`, disabled: !mayTriage || busy, tabindex: -1,
			onmousedown: (ev) => ev.preventDefault(), onclick,
		}, h('kbd', null, key), text);

		if (!mayTriage) {
			// The triage controls are left out for a role that may not triage.
			replace(panel,
				h('h2', { class: 'panel-title' }, 'Triage ', h('span', { class: 'muted' }, `#${it.number}`)),
				notice('info', 'Only a PM, CTO or admin can triage; you can look around.'));
			return;
		}
		replace(panel,
			h('h2', { class: 'panel-title' }, 'Triage ', h('span', { class: 'muted' }, `#${it.number}`)),
			h('div', { class: 'choice-rows' }, rows),
			errBox,
			h('div', { class: 'panel-actions' },
				act('Enter', d.board ? `Triage to ${boardLabel(d.board)}` : 'Triage', () => applyDecision(), 'btn btn-primary'),
				h('div', { class: 'route-actions' },
					act('u', 'Under review', () => route('under_review')),
					act('i', 'Icebox', () => route('icebox')),
					act('d', 'Duplicate…', () => ask('duplicate')),
					act('w', "Won't do…", () => ask('wontdo')))),
			prompt,
			busy ? h('div', { class: 'panel-busy muted', role: 'status' }, h('span', { class: 'spin', 'aria-hidden': 'true' }), 'Saving…') : null);
		const input = panel.querySelector('input[data-autofocus]');
		if (input && !input.disabled) {
			input.focus();
			if (freshFocus) input.select();
			else input.setSelectionRange(input.value.length, input.value.length);
		}
		freshFocus = false;
	}

	function cvssRow(it, d) {
		const id = uid('cvss');
		const input = h('input', {
			id, type: 'text', name: 'cvss', class: 'mono', value: d.cvss || '', autocomplete: 'off', spellcheck: 'false',
			placeholder: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', disabled: !mayTriage || busy,
			'aria-keyshortcuts': 'v', 'data-autofocus': mode === 'cvss' ? '' : null,
		});
		input.addEventListener('input', () => { d.cvss = input.value.trim(); });
		input.addEventListener('keydown', (ev) => {
			if (ev.key === 'Enter') { ev.preventDefault(); d.cvss = input.value.trim(); mode = null; applyDecision(); }
			else if (ev.key === 'Escape') { ev.preventDefault(); d.cvss = it.cvss || ''; mode = null; paintPanel(); }
		});
		input.addEventListener('blur', () => { if (mode === 'cvss') mode = null; });
		return h('div', { class: 'choice-row', dataset: { field: 'cvss' } },
			h('label', { class: 'choice-label', for: id }, 'CVSS vector', h('span', { class: 'choice-note' }, h('kbd', null, 'v'), ' edit · Enter triages')),
			input);
	}

	function promptBox(it) {
		const dup = mode === 'duplicate';
		const id = uid('prompt');
		const input = h('input', {
			id, type: 'text', name: dup ? 'duplicate_of' : 'reason', autocomplete: 'off', 'data-autofocus': '',
			inputmode: dup ? 'numeric' : null, placeholder: dup ? 'Issue number, e.g. 12' : 'Why not? (kept on the issue)',
			value: promptText, disabled: busy,
			'aria-invalid': errors.get(it.number)?.field === (dup ? 'duplicate_of' : 'reason') ? 'true' : null,
		});
		input.addEventListener('input', () => { promptText = input.value; });
		input.addEventListener('keydown', (ev) => {
			if (ev.key === 'Escape') { ev.preventDefault(); mode = null; errors.delete(it.number); paintPanel(); return; }
			if (ev.key !== 'Enter') return;
			ev.preventDefault();
			const v = input.value.trim();
			if (dup) {
				const n = Number(v.replace(/^#/, ''));
				if (!/^#?\d+$/.test(v) || !Number.isInteger(n) || n <= 0) {
					errors.set(it.number, { field: 'duplicate_of', message: 'type the number of the issue this one duplicates' });
					paintPanel();
					return;
				}
				route('duplicate', { duplicate_of: n });
			} else {
				route('wont_do', v ? { reason: v } : {});
			}
		});
		return h('div', { class: 'prompt', 'data-testid': 'triage-prompt' },
			h('label', { for: id }, dup ? `#${it.number} duplicates issue` : `Won't do #${it.number}: reason`),
			h('div', { class: 'prompt-row' }, input,
				h('span', { class: 'muted prompt-hint' }, h('kbd', null, 'Enter'), dup ? ' close as duplicate · ' : " close as won't do · ", h('kbd', null, 'Esc'), ' cancel')));
	}

	function fieldName(f) {
		return { board: 'Horizon', pm_size: 'Size', bug_severity: 'Bug severity', cvss: 'CVSS vector', duplicate_of: 'Duplicate of', type: 'Type', priority: 'Priority', reason: 'Reason', route: 'Route' }[f] || f;
	}

	function paintHelp() {
		replace(help,
			h('div', { class: 'keymap' },
				h('div', { class: 'keymap-head' }, h('h2', { id: 'keymap-h' }, 'Inbox keys'),
					h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => toggleHelp(false) }, 'Close ', h('kbd', null, 'Esc'))),
				h('div', { class: 'keymap-cols' }, KEYMAP.map(([title, ...rows]) => h('section', null,
					h('h3', null, title),
					h('dl', null, rows.map(([keys, what]) => [
						h('dt', null, keys.map(k => h('kbd', null, k))),
						h('dd', null, what)]))))),
				h('p', { class: 'muted keymap-foot' }, 'The type, priority and size start from the issue’s current values; a horizon is required. Keys work anywhere on the page except while typing in a field.')));
	}

	function toggleHelp(open = !helpOpen) {
		helpOpen = open;
		if (open) paintHelp();
		help.hidden = !open;
		if (open) help.querySelector('button').focus();
	}

	/* ---------- actions ---------- */

	function select(n) {
		if (n === selected) return;
		selected = n;
		mode = null;
		paintList();
		paintDetail();
		paintPanel();
		prefetch();
	}

	function move(delta) {
		if (!items.length) return;
		const i = items.findIndex(x => x.number === selected);
		const j = i < 0 ? 0 : Math.min(items.length - 1, Math.max(0, i + delta));
		select(items[j].number);
	}

	function setChoice(name, value) {
		const it = current();
		if (!it || !mayTriage || busy) return;
		const d = decisionOf(it);
		d[name] = value;
		if (errors.get(it.number)?.field === name || (name === 'type' && errors.has(it.number))) errors.delete(it.number);
		paintPanel();
	}

	function ask(which) {
		if (!current() || !mayTriage || busy) return;
		mode = which;
		promptText = '';
		freshFocus = true;
		errors.delete(selected);
		paintPanel();
	}

	/* Everything the decision changes, with the horizon. */
	function decisionBody(it, d) {
		const body = { board: d.board, type: d.type };
		if (d.priority !== (it.priority || null)) body.priority = d.priority;
		else if (d.priority) body.priority = d.priority;
		const cur = sizeLetter(it.pm_size) || null;
		if (d.pm_size !== cur) body.pm_size = d.pm_size;
		else if (d.pm_size) body.pm_size = d.pm_size;
		if (d.type === 'bug' && (d.bug_severity || null) !== (it.bug_severity || null)) body.bug_severity = d.bug_severity;
		if (d.type === 'security' && d.cvss && d.cvss !== (it.cvss || '')) body.cvss = d.cvss;
		return body;
	}

	function applyDecision() {
		const it = current();
		if (!it || !mayTriage || busy) return;
		const d = decisionOf(it);
		if (!d.board) {
			errors.set(it.number, { field: 'board', message: 'choose a horizon first: Shift+N Next, Shift+S Short, Shift+M Medium, Shift+L Long' });
			paintPanel();
			return;
		}
		send(it, decisionBody(it, d), `#${it.number} → ${boardLabel(d.board)}`);
	}

	function route(name, extra = {}) {
		const it = current();
		if (!it || !mayTriage || busy) return;
		const done = {
			under_review: `#${it.number} → Support & Under Review`, icebox: `#${it.number} → Icebox`,
			duplicate: `#${it.number} closed as a duplicate of #${extra.duplicate_of}`, wont_do: `#${it.number} closed: won't do`,
		}[name];
		send(it, { route: name, ...extra }, done);
	}

	async function send(it, body, doneText) {
		busy = true;
		paintPanel();
		let res = null;
		let failure = null;
		try {
			res = await api.triageIssue(it.number, body, it.version);
		} catch (err) {
			failure = err;
		}
		busy = false;
		if (!ctx.alive()) return;
		if (failure) {
			if (failure.status === 401) return;
			if (failure.status === 412 || failure.status === 404) {
				errors.set(it.number, {
					field: null,
					message: failure.status === 412
						? 'Someone changed this issue meanwhile — the inbox was reloaded; check it and decide again.'
						: 'This issue is gone (deleted, or no longer visible to you).',
				});
				decisions.delete(it.number);
				details.delete(it.number);
				await load();
				return;
			}
			errors.set(it.number, { field: failure.field || null, message: failure.message });
			if (failure.field === 'cvss') mode = 'cvss'; // back into the vector field
			paintPanel();
			return;
		}
		// Done: drop it and show the next item at once (unless j/k moved on meanwhile).
		const i = items.findIndex(x => x.number === it.number);
		const stayed = selected === it.number;
		items = items.filter(x => x.number !== it.number);
		const stillInbox = res && res.state === 'open' && (res.board === 'no_status' || (res.labels || []).includes('needs-triage'));
		if (stillInbox) items.splice(i, 0, { ...it, ...res }); // should not happen; keep it visible if the server says so
		decisions.delete(it.number);
		details.delete(it.number);
		errors.delete(it.number);
		mode = null;
		total = Math.max(0, total - (stillInbox ? 0 : 1));
		if (stats && !stillInbox) stats = { ...stats, inbox_size: Math.max(0, (Number(stats.inbox_size) || 0) - 1) };
		if (stayed || !items.some(x => x.number === selected)) {
			selected = items.length ? items[Math.min(Math.max(i, 0), items.length - 1)].number : null;
		}
		ctx.setInboxCount(total);
		paintAll();
		toast(doneText);
		load(); // fresh stats and the items beyond the first page
	}

	/* ---------- keyboard ---------- */

	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
		// Letters by the Shift key, not by Caps Lock: Shift+N is a horizon, n is "no priority".
		const key = ev.key.length === 1 ? (ev.shiftKey ? ev.key.toUpperCase() : ev.key.toLowerCase()) : ev.key;
		if (helpOpen) {
			if (key === 'Escape' || key === '?') { ev.preventDefault(); toggleHelp(false); }
			return;
		}
		if (key === '?') { ev.preventDefault(); toggleHelp(true); return; }
		if (t && /^(BUTTON|A)$/.test(t.tagName) && (key === 'Enter' || key === ' ')) return; // native activation

		if (mode === 'severity') {
			if (/^[0-4]$/.test(key)) {
				ev.preventDefault();
				mode = null;
				setChoice('bug_severity', key === '0' ? null : `S${key}`);
				return;
			}
			mode = null; // any other key ends the question, then works as usual
			paintPanel();
			if (key === 'Escape') { ev.preventDefault(); return; }
		}

		let handled = true;
		if (key === 'j' || key === 'ArrowDown') move(1);
		else if (key === 'k' || key === 'ArrowUp') move(-1);
		else if (key === 'o') { if (selected !== null) ctx.navigate(`/issues/${selected}`); }
		else if (key === 'Escape') {
			const it = current();
			if (it) { decisions.delete(it.number); errors.delete(it.number); mode = null; paintPanel(); }
		} else if (!mayTriage || !current()) handled = false;
		else if (Object.prototype.hasOwnProperty.call(TYPE_KEYS, key)) setChoice('type', TYPE_KEYS[key]);
		else if (Object.prototype.hasOwnProperty.call(PRIORITY_KEYS, key)) setChoice('priority', PRIORITY_KEYS[key]);
		else if (Object.prototype.hasOwnProperty.call(SIZE_KEYS, key)) setChoice('pm_size', SIZE_KEYS[key]);
		else if (Object.prototype.hasOwnProperty.call(HORIZON_KEYS, key)) setChoice('board', HORIZON_KEYS[key]);
		else if (key === 'Enter') applyDecision();
		else if (key === 'u') route('under_review');
		else if (key === 'i') route('icebox');
		else if (key === 'd') ask('duplicate');
		else if (key === 'w') ask('wontdo');
		else if (key === 'r') {
			if (decisionOf(current()).type === 'bug') { mode = 'severity'; paintPanel(); }
			else { errors.set(selected, { field: 'bug_severity', message: 'only bugs have a bug severity (press b to make it a bug)' }); paintPanel(); }
		} else if (key === 'v') {
			if (decisionOf(current()).type === 'security') { mode = 'cvss'; freshFocus = true; paintPanel(); }
			else { errors.set(selected, { field: 'cvss', message: 'only security issues have a CVSS vector (press x to make it one)' }); paintPanel(); }
		} else handled = false;
		if (handled) ev.preventDefault();
	};
	// Capture phase: runs before the app's global keys (c = new issue).
	document.addEventListener('keydown', onKey, true);
	help.addEventListener('click', (ev) => { if (ev.target === help) toggleHelp(false); });
	ctx.onCleanup(() => document.removeEventListener('keydown', onKey, true));

	await load({ keepSelection: false });
	if (!ctx.alive()) return;
	// Keys work from the start: focus the page heading (not an input).
	const h1 = ctx.root.querySelector('h1');
	if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
}
