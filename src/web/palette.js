// palette.js — the command palette (Ctrl+K / Cmd+K, or the ⌘K button in the
// top bar): go to an issue by number ("#123", "123") or by words of its
// title, go to any page, or do an action this user's role may do.
//
// A modal dialog: focus stays in it (Tab cycles between the field and the
// close button), Esc or a click outside closes it and gives the focus back,
// ↑/↓ move the highlighted choice, Enter takes it.  The choices are a
// listbox the field controls (aria-activedescendant), so a screen reader
// hears the highlighted one while the focus stays in the field.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { can } from './ui.js?v={{v}}';

/* Every page of the app a person may want to jump to: [title, path, words
 * that find it too, who may see it (a permission, or null: everyone)]. */
const PAGES = [
	['Issues', '/', 'list all open closed', null],
	['Inbox (triage)', '/triage', 'triage inbox', null],
	['Security issues', '/security', 'sla cvss fix-by', 'private.read'],
	['Insights', '/insights', 'feedback customer calls', null],
	['Backlog', '/backlog', 'ranked demand rice', null],
	['Tiers', '/tiers', 'pricing plans matrix', null],
	['Customers', '/customers', 'accounts arr', null],
	['Personas', '/personas', 'roles buyers', null],
	['Strategy', '/strategy', 'objectives key results okr pillars initiatives', null],
	['Roadmap', '/strategy/roadmap', 'now next later timeline', null],
	['Investment allocation', '/strategy/allocation', 'allocation investment quarter', null],
	['Decisions', '/decisions', 'decision log', null],
	['Product board', '/boards/product', 'board horizons', null],
	['Development board', '/boards/dev', 'dev board kanban', null],
	['Milestones', '/milestones', 'sprints iterations', null],
	['Estimation calibration', '/estimation', 'cycle time sizes', null],
	['Planning poker', '/estimation/sessions', 'estimation sessions vote', null],
	['Releases', '/releases', 'changelog entries', null],
	['Release settings', '/releases/settings', 'public changelog hooks', 'admin'],
	['Your account', '/account', 'profile password tokens', null],
	['Users', '/admin/users', 'admin roles', 'admin'],
	['Audit log', '/admin/audit', 'admin history', 'admin'],
];

/* What a user may do from anywhere: [title, path, words, permission]. */
const ACTIONS = [
	['New issue', '/issues/new', 'create file bug story', 'issue.write'],
	['New insight', '/insights/new', 'record feedback customer', 'insight.write'],
	['Import insights from CSV', '/insights/import', 'upload csv', 'insight.write'],
	['New customer', '/customers/new', 'add account', 'customer.write'],
	['New decision', '/decisions/new', 'record decision', 'decision.write'],
	['New changelog entry', '/releases/new', 'release note', 'changelog.write'],
	['New planning poker session', '/estimation/sessions?new=1', 'estimate', 'estimation.facilitate'],
	['New API token', '/account?new=token', 'token key', null],
	['Add a user', '/admin/users?new=1', 'invite user', 'admin'],
];

const MAX_ISSUES = 8;

function allowed(user, perm) {
	return perm === null || can(user, perm);
}

function matches(text, words) {
	const hay = text.toLowerCase();
	return words.every(w => hay.includes(w));
}

/* Install the shortcut; getUser() is the signed-in user or null, go(path)
 * navigates inside the app. */
export function initPalette({ getUser, go }) {
	document.addEventListener('keydown', (ev) => {
		if (!(ev.ctrlKey || ev.metaKey) || ev.altKey || ev.shiftKey || String(ev.key).toLowerCase() !== 'k') return;
		if (!getUser()) return;
		ev.preventDefault();
		if (document.getElementById('palette')) closeCurrent();
		else openPalette(getUser(), go);
	}, true);
}

let closeCurrent = () => {};

export function openPalette(user, go) {
	if (!user || document.getElementById('palette')) return;
	const back = document.activeElement;
	const listId = uid('pal-list');
	const titleId = uid('pal-title');
	let choices = [];   // [{kind, title, path, hint}]
	let active = 0;
	let seq = 0;
	let timer = null;
	let found = [];     // issues found by title for the current text
	let foundFor = '';

	const input = h('input', {
		type: 'text', class: 'pal-input', autocomplete: 'off', spellcheck: 'false',
		role: 'combobox', 'aria-expanded': 'true', 'aria-controls': listId, 'aria-autocomplete': 'list',
		'aria-labelledby': titleId, placeholder: 'Issue #, title words, a page or an action…',
		'data-testid': 'palette-input',
	});
	const list = h('ul', { class: 'pal-list', id: listId, role: 'listbox', 'aria-label': 'Choices', 'data-testid': 'palette-list' });
	const status = h('p', { class: 'pal-status muted', role: 'status' });
	const closeBtn = h('button', { type: 'button', class: 'pal-close', 'aria-label': 'Esc: close', title: 'Close (Esc)', onclick: () => close() }, 'Esc');
	const dialog = h('div', {
		class: 'pal-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-testid': 'palette',
	},
		h('div', { class: 'pal-head' },
			h('h2', { class: 'pal-title', id: titleId }, 'Command palette'),
			closeBtn),
		input, list, status,
		h('p', { class: 'pal-foot muted', 'aria-hidden': 'true' }, '↑↓ choose · Enter go · Esc close'));
	const backdrop = h('div', { class: 'pal-backdrop', id: 'palette' }, dialog);
	backdrop.addEventListener('mousedown', (ev) => { if (ev.target === backdrop) close(); });

	function close({ restore = true } = {}) {
		clearTimeout(timer);
		seq++;
		backdrop.remove();
		document.removeEventListener('focusin', keepFocus, true);
		window.removeEventListener('keydown', onKey, true);
		closeCurrent = () => {};
		if (restore && back && back.isConnected && typeof back.focus === 'function') back.focus();
	}
	closeCurrent = close;

	function take(c) {
		if (!c) return;
		close({ restore: false });
		go(c.path);
	}

	/* The choices for the text: a number first, then issues by title, pages, actions. */
	function compute() {
		const text = input.value.trim();
		const words = text.toLowerCase().split(/\s+/).filter(Boolean);
		const out = [];
		const num = /^#?(\d{1,9})$/.exec(text);
		if (num) out.push({ kind: 'Issue', title: `Go to issue #${Number(num[1])}`, path: `/issues/${Number(num[1])}` });
		if (foundFor === text) {
			for (const it of found) {
				if (num && it.number === Number(num[1])) continue;
				out.push({ kind: 'Issue', title: `#${it.number} ${it.title}`, path: `/issues/${it.number}` });
			}
		}
		for (const [title, path, extra, perm] of PAGES) {
			if (allowed(user, perm) && matches(`${title} ${extra}`, words)) out.push({ kind: 'Page', title, path });
		}
		for (const [title, path, extra, perm] of ACTIONS) {
			if (allowed(user, perm) && matches(`${title} ${extra}`, words)) out.push({ kind: 'Action', title, path });
		}
		return out;
	}

	function paint() {
		choices = compute();
		if (active >= choices.length) active = Math.max(0, choices.length - 1);
		replace(list, choices.map((c, i) => h('li', {
			id: `${listId}-${i}`, role: 'option', class: `pal-opt${i === active ? ' on' : ''}`,
			'aria-selected': i === active ? 'true' : 'false', 'data-kind': c.kind.toLowerCase(), 'data-testid': 'palette-option',
			onmousedown: (ev) => { ev.preventDefault(); take(c); },
			onmousemove: () => { if (active !== i) { active = i; paint(); } },
		}, h('span', { class: 'pal-kind' }, c.kind), h('span', { class: 'pal-text' }, c.title))));
		if (choices.length) input.setAttribute('aria-activedescendant', `${listId}-${active}`);
		else input.removeAttribute('aria-activedescendant');
		const on = list.children[active];
		if (on && on.scrollIntoView) on.scrollIntoView({ block: 'nearest' });
		status.textContent = choices.length ? `${choices.length} choice${choices.length === 1 ? '' : 's'}` : 'Nothing matches';
	}

	/* Issues matching the words (titles, bodies, comments; best first): asked after a short pause. */
	function search() {
		clearTimeout(timer);
		const text = input.value.trim();
		if (!text || /^#?\d+$/.test(text)) { found = []; foundFor = text; return; }
		const mine = ++seq;
		timer = setTimeout(async () => {
			let items = [];
			try { items = await api.searchIssues(text, { perPage: MAX_ISSUES }); } catch (_) { items = []; }
			if (mine !== seq || !backdrop.isConnected) return;
			found = items;
			foundFor = text;
			active = 0;
			paint();
		}, 180);
	}

	input.addEventListener('input', () => { active = 0; paint(); search(); });
	/* The dialog's keys, first of all (window, capture phase): the page's
	 * own keys (j/k, the inbox's triage keys) never see what is typed here. */
	function onKey(ev) {
		if (!backdrop.contains(ev.target)) return;
		ev.stopPropagation();
		dialogKey(ev);
	}
	function dialogKey(ev) {
		if ((ev.ctrlKey || ev.metaKey) && String(ev.key).toLowerCase() === 'k') { ev.preventDefault(); close(); return; }
		if (ev.key === 'Escape') { ev.preventDefault(); close(); return; }
		if (ev.key === 'Tab') { // the focus stays in the dialog
			ev.preventDefault();
			(document.activeElement === input ? closeBtn : input).focus();
			return;
		}
		if (ev.target !== input) return;
		if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
			ev.preventDefault();
			if (!choices.length) return;
			active = (active + (ev.key === 'ArrowDown' ? 1 : -1) + choices.length) % choices.length;
			paint();
		} else if (ev.key === 'Enter') {
			ev.preventDefault();
			const text = input.value.trim();
			// a title search still on its way: Enter waits for it
			if (foundFor !== text && !/^#?\d+$/.test(text) && text) {
				const wait = setInterval(() => {
					if (!backdrop.isConnected) { clearInterval(wait); return; }
					if (foundFor === input.value.trim()) { clearInterval(wait); take(choices[active]); }
				}, 30);
				return;
			}
			take(choices[active]);
		}
	}
	window.addEventListener('keydown', onKey, true);
	function keepFocus(ev) {
		if (!dialog.contains(ev.target)) input.focus();
	}
	document.addEventListener('focusin', keepFocus, true);

	document.body.appendChild(backdrop);
	paint();
	input.focus();
}
