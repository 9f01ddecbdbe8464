// views.js — the saved-views panel beside the issue list: the reader's own
// views, then the shared ones, each with its live (capped) count from one
// request (GET /views?counts=1), and "Save this query as a view".  Who may
// share, change and delete is the server's rule (docs/API.md, "Saved
// views"); controls a role may not use are not shown.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { can, notice } from './ui.js?v={{v}}';

function countText(v) {
	if (v.count === null || v.count === undefined) return '—';
	return v.count_capped ? `${Number(v.count).toLocaleString('en-US')}+` : String(v.count);
}

/* The panel.  current() gives {query, sort, columns} to save; onApply(view)
 * runs a view.  Returns {el, refresh, setActive}. */
export function viewsPanel(ctx, { current, onApply }) {
	const user = ctx.user;
	const mayWrite = can(user, 'view.write');
	const mayShare = can(user, 'view.share');
	let active = null;
	let items = [];
	const list = h('div', { class: 'views-list', 'aria-live': 'polite' });
	const formBox = h('div', { class: 'views-save' });
	const el = h('aside', { class: 'views-panel', 'aria-label': 'Saved views', 'data-testid': 'views-panel' },
		h('h2', { class: 'views-title' }, 'Views'), list, formBox);

	function group(title, views) {
		if (!views.length) return null;
		return h('div', { class: 'views-group' },
			h('h3', { class: 'views-group-title' }, title),
			h('ul', { class: 'views-ul' }, views.map(item)));
	}

	function item(v) {
		const on = active === v.id;
		return h('li', { class: `views-item${on ? ' on' : ''}`, dataset: { view: String(v.id) } },
			h('button', {
				type: 'button', class: 'views-link', 'aria-current': on ? 'true' : null,
				title: [v.query, v.sort ? `sort:${v.sort}` : ''].filter(Boolean).join(' ') || 'every issue',
				onclick: () => { active = v.id; render(); onApply(v); },
			},
			h('span', { class: 'views-name' }, v.name),
			v.shared && !v.mine ? h('span', { class: 'views-owner muted' }, v.owner) : null,
			h('span', { class: 'views-count', 'data-testid': 'view-count' }, countText(v))),
			v.editable && mayWrite ? h('button', {
				type: 'button', class: 'views-del', 'aria-label': `Delete view ${v.name}`, title: 'Delete this view',
				onclick: async () => {
					if (!window.confirm(`Delete the view “${v.name}”?`)) return;
					try { await api.deleteView(v.id); } catch (err) { replace(formBox, notice('error', err.message)); return; }
					if (active === v.id) active = null;
					refresh();
				},
			}, '×') : null);
	}

	function render() {
		const mine = items.filter(v => v.mine && !v.shared);
		const shared = items.filter(v => v.shared);
		replace(list, items.length
			? [group('Mine', mine), group('Shared', shared)]
			: h('p', { class: 'muted views-empty' }, 'No saved views yet.'));
	}

	function showSaveButton() {
		replace(formBox, mayWrite ? h('button', {
			type: 'button', class: 'btn btn-sm views-save-btn', 'data-testid': 'save-view',
			onclick: showForm,
		}, 'Save this query as a view') : null);
	}

	function showForm() {
		const name = h('input', { type: 'text', name: 'view-name', maxlength: '80', required: true, placeholder: 'Name', 'aria-label': 'View name' });
		const shared = h('input', { type: 'checkbox', name: 'view-shared' });
		const msg = h('div', { class: 'form-msg' });
		const cur = current();
		const form = h('form', {
			class: 'views-form',
			onsubmit: async (ev) => {
				ev.preventDefault();
				const body = { name: name.value.trim(), query: cur.query, sort: cur.sort };
				if (cur.columns) body.columns = cur.columns;
				if (mayShare && shared.checked) body.shared = true;
				try {
					const v = await api.createView(body);
					active = v.id;
					showSaveButton();
					refresh();
				} catch (err) {
					replace(msg, notice('error', err.message));
					name.focus();
				}
			},
		},
		h('p', { class: 'views-form-query' }, h('code', null, [cur.query, cur.sort ? `sort:${cur.sort}` : ''].filter(Boolean).join(' ') || '(every issue)')),
		name,
		mayShare ? h('label', { class: 'views-share' }, shared, ' Share with the team') : null,
		msg,
		h('div', { class: 'form-actions' },
			h('button', { type: 'submit', class: 'btn btn-sm btn-primary' }, 'Save view'),
			h('button', { type: 'button', class: 'btn btn-sm', onclick: showSaveButton }, 'Cancel')));
		replace(formBox, form);
		name.focus();
	}

	async function refresh() {
		try {
			items = await api.listViews({ counts: true });
		} catch (err) {
			if (err.status === 401) return;
			replace(list, notice('error', err.message));
			return;
		}
		if (ctx.alive()) render();
	}

	showSaveButton();
	return { el, refresh, setActive: (id) => { active = id; render(); } };
}
