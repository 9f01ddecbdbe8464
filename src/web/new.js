// new.js — the "New issue" form.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { TYPES, PRIORITIES, SIZES, typeLabel, cap, parseLabels } from './fmt.js?v={{v}}';
import { field, select, notice, markInvalid } from './ui.js?v={{v}}';

export function typeOptions() {
	return TYPES.map(t => [t, typeLabel(t)]);
}
export function priorityOptions() {
	return [['', 'No priority'], ...PRIORITIES.map(p => [p, cap(p)])];
}
export function sizeOptions() {
	return [['', 'Not sized'], ...SIZES.map(([l, n]) => [l, `${l} · ${n} pt`])];
}

export async function renderNewIssue(ctx) {
	ctx.setTitle('New issue');
	const title = h('input', { name: 'title', type: 'text', required: true, maxlength: 256, autocomplete: 'off', placeholder: 'Short, specific summary' });
	const type = select('type', typeOptions(), 'story');
	const priority = select('priority', priorityOptions(), '');
	const size = select('pm_size', sizeOptions(), '');
	const labels = h('input', { name: 'labels', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'area:api, headline' });
	const body = h('textarea', { name: 'body', rows: 12, placeholder: 'Describe the problem or the request. Markdown is supported.' });
	const msg = h('div', { class: 'form-msg' });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create issue');

	const form = h('form', { class: 'issue-form', novalidate: true },
		field('Title', title, { wide: true }),
		h('div', { class: 'field-grid' },
			field('Type', type),
			field('Priority', priority),
			field('Size', size, { hint: 'PM estimate' }),
			field('Labels', labels, { hint: 'Comma separated' })),
		field('Description', body, { wide: true, hint: 'Markdown · Ctrl+Enter to create' }),
		msg,
		h('div', { class: 'form-actions' },
			submit,
			h('a', { href: '/', class: 'btn btn-ghost' }, 'Cancel')));

	body.addEventListener('keydown', (ev) => {
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
	});

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		replace(msg);
		markInvalid(form, null);
		const t = title.value.trim();
		if (!t) {
			markInvalid(form, 'title');
			replace(msg, notice('error', 'A title is required.'));
			title.focus();
			return;
		}
		const fields = { title: t, type: type.value, body: body.value };
		if (priority.value) fields.priority = priority.value;
		if (size.value) fields.pm_size = size.value;
		const ls = parseLabels(labels.value);
		if (ls.length) fields.labels = ls;
		submit.disabled = true;
		submit.textContent = 'Creating…';
		try {
			const issue = await api.createIssue(fields);
			await ctx.navigate(`/issues/${issue.number}`, { replace: true });
		} catch (err) {
			if (!ctx.alive()) return;
			submit.disabled = false;
			submit.textContent = 'Create issue';
			if (err.status === 401) return;
			const bad = markInvalid(form, err.field);
			replace(msg, notice('error', err.message));
			if (bad) bad.focus();
		}
	});

	replace(ctx.root, h('section', { class: 'page page-narrow' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/' }, 'Issues'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'New')),
		h('h1', null, 'New issue'),
		form));
	title.focus();
}
