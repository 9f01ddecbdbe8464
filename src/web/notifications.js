// notifications.js — /inbox: the signed-in user's notifications, newest
// first (GET /api/v1/notifications), unread ones in bold.  Opening one
// marks it read and goes to its issue; "Mark all read" empties the count.
// The count itself sits on the avatar in the top bar (app.js), which this
// page keeps in step (ctx.setNotifyCount).

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { timeEl } from './fmt.js?v={{v}}';
import { avatar, notice, spinner, toast } from './ui.js?v={{v}}';

/* What happened, in words (the actor is shown before it). */
function what(n) {
	switch (n.kind) {
	case 'mention': return 'mentioned you in a comment on';
	case 'comment': return 'commented on';
	case 'assigned': return 'assigned you';
	case 'state': return n.state === 'closed' ? 'closed' : 'reopened';
	case 'changed': return `changed the ${(n.changes || []).map((f) => (f === 'board' ? 'board column' : f)).join(', ')} of`;
	default: return 'changed';
	}
}

export async function renderInboxPage(ctx) {
	ctx.setTitle('Notifications');
	const onlyUnread = ctx.query.get('unread') === '1';
	const page = Math.max(1, Number(ctx.query.get('page')) || 1);
	replace(ctx.root, h('section', { class: 'page page-narrow' }, spinner()));
	let data;
	try {
		data = await api.notifications({ unread: onlyUnread, page });
	} catch (err) {
		if (!ctx.alive()) return;
		replace(ctx.root, h('section', { class: 'page page-narrow' }, notice('error', err.message)));
		return;
	}
	if (!ctx.alive()) return;
	const items = Array.isArray(data.items) ? data.items : [];
	let unread = Number(data.unread) || 0;
	ctx.setNotifyCount(unread);

	const countEl = h('span', { class: 'count', 'data-testid': 'ntf-unread' }, `${unread} unread`);
	const markAll = h('button', {
		type: 'button', class: 'btn btn-sm', 'data-testid': 'ntf-read-all', disabled: unread === 0,
		onclick: async () => {
			markAll.disabled = true;
			try {
				unread = await api.markNotificationsRead('all');
			} catch (err) {
				toast(err.message);
				markAll.disabled = false;
				return;
			}
			for (const li of list.querySelectorAll('.ntf.unread')) li.classList.remove('unread');
			paintCount();
		},
	}, 'Mark all read');
	function paintCount() {
		countEl.textContent = `${unread} unread`;
		markAll.disabled = unread === 0;
		ctx.setNotifyCount(unread);
	}

	async function open(ev, n, li) {
		if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
		ev.preventDefault();
		if (!n.read) {
			try {
				unread = await api.markNotificationsRead([n.id]);
				n.read = true;
				li.classList.remove('unread');
				paintCount();
			} catch (_) { /* still go: reading it matters more */ }
		}
		if (ctx.alive()) ctx.navigate(`/issues/${n.issue.number}`);
	}

	const list = h('ul', { class: 'ntf-list', 'data-testid': 'ntf-list' }, items.map((n) => {
		const li = h('li', { class: `ntf${n.read ? '' : ' unread'}`, 'data-testid': 'ntf', dataset: { id: String(n.id), kind: n.kind } });
		const link = h('a', { href: `/issues/${n.issue.number}`, class: 'ntf-link', onclick: (ev) => open(ev, n, li) },
			h('span', { class: 'ntf-dot', 'aria-hidden': 'true' }),
			n.actor ? avatar(n.actor) : null,
			h('span', { class: 'ntf-text' },
				h('span', { class: 'ntf-what' }, `${n.actor || 'Someone'} ${what(n)} `),
				h('span', { class: 'ntf-issue' }, `#${n.issue.number} ${n.issue.title}`),
				n.read ? null : h('span', { class: 'sr-only' }, ' (unread)')),
			h('span', { class: 'ntf-at muted' }, timeEl(h, n.at, 'rel')));
		li.append(link);
		return li;
	}));

	const tab = (on, href, text, testid) => h('a', { href, class: `btn btn-sm${on ? ' active' : ''}`, 'aria-current': on ? 'page' : null, 'data-testid': testid }, text);
	const nav = [];
	if (page > 1) nav.push(h('a', { href: `/inbox?${onlyUnread ? 'unread=1&' : ''}page=${page - 1}`, class: 'btn btn-sm' }, 'Newer'));
	if (data.more) nav.push(h('a', { href: `/inbox?${onlyUnread ? 'unread=1&' : ''}page=${page + 1}`, class: 'btn btn-sm', 'data-testid': 'ntf-older' }, 'Older'));

	replace(ctx.root, h('section', { class: 'page page-narrow ntf-page', 'data-testid': 'ntf-page' },
		h('div', { class: 'section-head' },
			h('h1', null, 'Notifications'), countEl,
			h('div', { class: 'ntf-tools' },
				tab(!onlyUnread, '/inbox', 'All', 'ntf-all'),
				tab(onlyUnread, '/inbox?unread=1', 'Unread', 'ntf-only-unread'),
				markAll,
				h('a', { href: '/account#mail', class: 'btn btn-sm', 'data-testid': 'ntf-email-settings', title: 'Choose what also comes by email' }, 'Email settings'))),
		items.length ? list : h('p', { class: 'muted ntf-empty', 'data-testid': 'ntf-empty' },
			onlyUnread ? 'Nothing unread.' : 'No notifications yet. You hear here of the issues you watch: those you reported, are assigned, commented on or were mentioned in.'),
		nav.length ? h('div', { class: 'pager' }, nav) : null));
}
