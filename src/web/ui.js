// ui.js — small shared widgets: type/priority/state badges, labels, size chip,
// form fields, notices.  All built with h(), never with markup strings.

import { h, svg, uid } from './dom.js?v={{v}}';
import {
	typeLabel, priorityLabel, sizeLetter, cap, boardLabel, bugSeverityLabel, severityLabel, scoreText, countdown, dateText,
} from './fmt.js?v={{v}}';

export function typeBadge(type) {
	return h('span', { class: `type type-${safeToken(type)}`, title: typeLabel(type) },
		h('span', { class: 'type-dot', 'aria-hidden': 'true' }), typeLabel(type));
}

/* Three bars, filled by priority; text for screen readers and on hover. */
export function priorityIcon(p) {
	const level = p === 'high' ? 3 : p === 'medium' ? 2 : p === 'low' ? 1 : 0;
	const icon = svg('svg', { viewBox: '0 0 12 12', width: 12, height: 12, 'aria-hidden': 'true', class: 'prio-bars' },
		...[0, 1, 2].map(i => svg('rect', {
			x: 1 + i * 4, y: 8 - i * 3, width: 2.4, height: 3 + i * 3, rx: 0.6,
			class: i < level ? 'on' : 'off',
		})));
	return h('span', { class: `prio prio-${level}`, title: priorityLabel(p) },
		icon, h('span', { class: 'prio-text' }, p ? cap(p) : '—'));
}

export function stateBadge(state) {
	return h('span', { class: `state state-${safeToken(state)}` },
		h('span', { class: 'state-ring', 'aria-hidden': 'true' }), cap(state || '—'));
}

export function sizeChip(issue) {
	const pts = issue.effective_size;
	const letter = issue.size_letter || sizeLetter(pts);
	if (pts === null || pts === undefined) return h('span', { class: 'muted' }, '—');
	const src = issue.size !== null && issue.size !== undefined ? 'EM size' : 'PM size';
	return h('span', { class: 'size', title: `${src}: ${pts} point${pts === 1 ? '' : 's'}` }, letter || String(pts));
}

/* Stable pastel hue per label name, so a label looks the same everywhere. */
function hue(s) {
	let x = 0;
	for (let i = 0; i < s.length; i++) x = (x * 31 + s.charCodeAt(i)) >>> 0;
	return x % 360;
}

export function labelChip(name) {
	const el = h('span', { class: 'label' }, h('span', { class: 'label-dot', 'aria-hidden': 'true' }), name);
	el.style.setProperty('--label-hue', String(hue(name)));
	return el;
}

export function labelList(labels) {
	if (!labels || !labels.length) return h('span', { class: 'muted' }, '—');
	return h('span', { class: 'labels' }, labels.map(labelChip));
}

export function person(login) {
	if (!login) return h('span', { class: 'muted' }, 'Unassigned');
	return h('span', { class: 'person' }, avatar(login), h('span', null, login));
}

export function avatar(login) {
	const el = h('span', { class: 'avatar', 'aria-hidden': 'true' }, (login || '?').slice(0, 1).toUpperCase());
	el.style.setProperty('--avatar-hue', String(hue(login || '?')));
	return el;
}

function safeToken(s) {
	return String(s || 'none').toLowerCase().replace(/[^a-z0-9-]/g, '');
}

/* A labelled form row: returns { row, control }. */
export function field(labelText, control, { hint, wide, span } = {}) {
	if (!control.id) control.id = uid('f');
	const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
	if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
	const row = h('div', { class: `field${wide ? ' field-wide' : ''}${span ? ' field-span' : ''}` },
		h('label', { for: control.id }, labelText), control, hintEl);
	return row;
}

/* A <select> from [value, text] pairs. */
export function select(name, options, value) {
	const el = h('select', { name },
		options.map(([v, t]) => h('option', { value: v }, t)));
	el.value = value === null || value === undefined ? '' : String(value);
	return el;
}

/* A notice box; kind is 'error' | 'warn' | 'info'.  Errors are alerts. */
export function notice(kind, message, ...extra) {
	return h('div', { class: `notice notice-${kind}`, role: kind === 'error' || kind === 'warn' ? 'alert' : 'status' },
		h('span', { class: 'notice-text' }, message), ...extra);
}

export function spinner(text = 'Loading…') {
	return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spin', 'aria-hidden': 'true' }), text);
}

/* Mark the control named by an API error's field as invalid. */
export function markInvalid(form, fieldName) {
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	if (!fieldName) return null;
	const el = form.querySelector(`[name="${CSS.escape(fieldName)}"]`);
	if (el) {
		el.setAttribute('aria-invalid', 'true');
		return el;
	}
	return null;
}

/* Announce a short message to screen readers and show it as a toast. */
export function toast(message) {
	const region = document.getElementById('toast');
	if (!region) return;
	const t = h('div', { class: 'toast' }, message);
	region.appendChild(t);
	setTimeout(() => { t.classList.add('toast-out'); }, 2600);
	setTimeout(() => { t.remove(); }, 3000);
}

/* ---------- triage widgets ---------- */

/* The product-board column (horizon) of an issue. */
export function boardChip(board) {
	if (!board) return h('span', { class: 'muted' }, '—');
	return h('span', { class: `board board-${safeToken(board)}`, title: `Product board: ${boardLabel(board)}` }, boardLabel(board));
}

/* A bug's severity S1..S4. */
export function bugSeverityChip(sev) {
	if (!sev) return h('span', { class: 'muted' }, '—');
	return h('span', { class: `bugsev bugsev-${safeToken(sev)}`, title: `Bug severity ${bugSeverityLabel(sev)}` }, String(sev));
}

/* A security issue's CVSS score and severity: "9.8 Critical"; "Not scored"
 * without a vector. */
export function cvssBadge(issue, { compact = false } = {}) {
	if (issue.cvss_score === null || issue.cvss_score === undefined) {
		return h('span', { class: 'cvss cvss-unscored', title: 'No CVSS vector yet' }, compact ? 'unscored' : 'Not scored');
	}
	const sev = issue.severity || 'none';
	return h('span', { class: `cvss cvss-${safeToken(sev)}`, title: `CVSS ${scoreText(issue.cvss_score)} · ${severityLabel(sev)}` },
		h('span', { class: 'cvss-score', 'data-testid': 'cvss-score' }, scoreText(issue.cvss_score)),
		compact ? null : h('span', { class: 'cvss-sev', 'data-testid': 'cvss-severity' }, severityLabel(sev)));
}

/* The fix-by countdown: "12 days left" / "3 days overdue". */
export function countdownChip(fixBy) {
	const c = countdown(fixBy);
	if (!c) return h('span', { class: 'muted' }, '—');
	return h('span', { class: `countdown countdown-${c.level}`, title: `Fix by ${dateText(fixBy)}`, 'data-testid': 'countdown' }, c.text);
}

/* The small severity marker shown next to the type in lists: S2 for bugs,
 * the CVSS score for security issues. */
export function severityMark(issue) {
	if (issue.type === 'bug' && issue.bug_severity) return bugSeverityChip(issue.bug_severity);
	if (issue.type === 'security') return cvssBadge(issue, { compact: true });
	return null;
}

/* The user holds permission perm: the names of the server's permission
 * table (GET /api/v1/session lists the ones this user holds), so the UI
 * hides exactly what the service would refuse. */
export function can(user, perm) {
	return !!user && Array.isArray(user.permissions) && user.permissions.includes(perm);
}

export function canTriage(user) { return can(user, 'issue.triage'); }
export function canWriteIssues(user) { return can(user, 'issue.write'); }
/* Security issues are private (but to their reporter). */
export function canSeeSecurity(user) { return can(user, 'private.read'); }
export function canSetRice(user) { return can(user, 'issue.rice'); }
export function canSetPmSize(user) { return can(user, 'issue.pm_size'); }
export function canSetSize(user) { return can(user, 'issue.size'); }

/* j / k move the focus between the rows (tbody a.row-link) of a list in
 * container, outside form fields; removed when the page is left. */
export function rowKeys(ctx, container, selector = 'tbody a.row-link') {
	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
		if (ev.key !== 'j' && ev.key !== 'k') return;
		const links = [...container.querySelectorAll(selector)];
		if (!links.length) return;
		ev.preventDefault();
		const i = links.indexOf(document.activeElement);
		const j = i < 0 ? (ev.key === 'j' ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, i + (ev.key === 'j' ? 1 : -1)));
		links[j].focus();
	};
	document.addEventListener('keydown', onKey);
	ctx.onCleanup(() => document.removeEventListener('keydown', onKey));
}


/* A column header that sorts: a button in the <th> (click, Enter, Space),
 * the order said by aria-sort.  sort is {key, desc}; onSort(key) picks the
 * new order.  name: the accessible name when text is a symbol ("#"). */
export function sortHeader(sort, key, text, { cls = null, name = null, onSort }) {
	const on = sort.key === key;
	return h('th', { scope: 'col', class: cls, 'aria-sort': on ? (sort.desc ? 'descending' : 'ascending') : 'none', 'data-sort': key },
		h('button', {
			type: 'button', class: `sort-btn${on ? ' on' : ''}`, 'data-testid': `sort-${key}`,
			title: `Sort by ${(name || text).toLowerCase()}`, onclick: () => onSort(key),
		}, name ? [h('span', { 'aria-hidden': 'true' }, text), h('span', { class: 'sr-only' }, name)] : text,
		h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, on ? (sort.desc ? '▼' : '▲') : '↕')));
}

/* {key, desc} from "key" / "-key" (a URL's ?sort=), def when not one of keys. */
export function parseSort(s, keys, def) {
	const m = /^(-?)([a-z]+)$/.exec(s || '');
	if (m && keys.includes(m[2])) return { key: m[2], desc: m[1] === '-' };
	return def;
}

export function sortText(sort) {
	return `${sort.desc ? '-' : ''}${sort.key}`;
}
