// comments.js — an issue's conversation: comments with rendered markdown,
// edit and delete for their author (delete for admins too), a composer with
// @login autocomplete, and "mentioned in" (comments on other issues, and
// other issues' descriptions, that reference this one).  Controls a role may not use are not shown at all.
//
// #N in a comment links only when the server lists N in the comment's
// `references`: those are the issues this reader may see, so a reference
// to a private issue stays plain text with no title.  @login is marked
// when the server lists the login in `mentions`.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { timeEl, fullTime } from './fmt.js?v={{v}}';
import { avatar, notice, spinner, can, toast } from './ui.js?v={{v}}';

let usersCache = null; // [{login, name}], loaded once for autocomplete

async function users() {
	if (!usersCache) {
		try { usersCache = (await api.listUsers()).filter(u => !u.disabled_at); } catch (_) { usersCache = []; }
	}
	return usersCache;
}

/* Replace each match of re (group 1: what precedes, kept as text) in the
 * text of root outside code and links with make(match) (null: leave it). */
function decorate(root, re, make) {
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
		acceptNode: (n) => n.parentElement.closest('code, pre, a') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
	});
	const nodes = [];
	while (walker.nextNode()) nodes.push(walker.currentNode);
	for (const node of nodes) {
		const text = node.nodeValue;
		const parts = [];
		let last = 0, m;
		re.lastIndex = 0;
		while ((m = re.exec(text))) {
			const el = make(m);
			if (!el) continue;
			const at = m.index + m[1].length;
			parts.push(text.slice(last, at), el);
			last = m.index + m[0].length;
		}
		if (!parts.length) continue;
		parts.push(text.slice(last));
		node.replaceWith(...parts.filter(p => p !== ''));
	}
}

/* #N links for the references the reader may see; @login marked for the
 * users the comment mentions. */
function decorateBody(root, c) {
	const known = new Map((c.references || []).map(r => [String(r.number), r.title]));
	const mentioned = new Set(c.mentions || []);
	if (known.size)
		decorate(root, /(^|[^\w&#])#(\d+)(?!\w)/g, (m) => known.has(m[2])
			? h('a', { href: `/issues/${m[2]}`, class: 'cmt-ref', title: known.get(m[2]), 'data-testid': 'comment-ref' }, `#${m[2]}`) : null);
	if (mentioned.size)
		decorate(root, /(^|[^\w.@/-])@([a-z0-9][a-z0-9_.-]*[a-z0-9_-]|[a-z0-9])/gi, (m) => mentioned.has(m[2].toLowerCase())
			? h('span', { class: 'mention', 'data-testid': 'comment-mention' }, `@${m[2]}`) : null);
}

/* A textarea that offers logins after '@' (arrows, Enter or Tab to pick,
 * Escape to close). Returns {wrap, ta}. */
function mentionInput(attrs) {
	const listId = uid('mentions');
	const ta = h('textarea', { ...attrs, 'aria-autocomplete': 'list', 'aria-controls': listId });
	const list = h('ul', { id: listId, class: 'mention-list', role: 'listbox', hidden: true, 'data-testid': 'mention-list' });
	let items = [], active = 0, start = -1;

	function close() { list.hidden = true; items = []; start = -1; ta.removeAttribute('aria-activedescendant'); }
	function paint() {
		replace(list, items.map((u, k) => h('li', {
			id: `${listId}-${k}`, role: 'option', class: `mention-opt${k === active ? ' active' : ''}`,
			'aria-selected': k === active ? 'true' : 'false', 'data-testid': 'mention-option',
			onmousedown: (ev) => { ev.preventDefault(); pick(k); },
		}, avatar(u.login), h('span', { class: 'mention-login' }, u.login), u.name ? h('span', { class: 'muted' }, ` ${u.name}`) : null)));
		list.hidden = !items.length;
		if (items.length) ta.setAttribute('aria-activedescendant', `${listId}-${active}`);
	}
	function pick(k) {
		const u = items[k];
		if (!u || start < 0) return;
		const caret = ta.selectionStart;
		const text = `@${u.login} `;
		ta.value = ta.value.slice(0, start) + text + ta.value.slice(caret);
		ta.selectionStart = ta.selectionEnd = start + text.length;
		close();
		ta.focus();
	}
	ta.addEventListener('input', async () => {
		const before = ta.value.slice(0, ta.selectionStart);
		const m = /(^|[^\w.@/-])@([a-z0-9._-]*)$/i.exec(before);
		if (!m) { close(); return; }
		const word = m[2].toLowerCase();
		const all = await users();
		start = before.length - word.length - 1;
		items = all.filter(u => u.login.startsWith(word) || (word && (u.name || '').toLowerCase().includes(word))).slice(0, 6);
		active = 0;
		paint();
	});
	ta.addEventListener('keydown', (ev) => {
		if (list.hidden) return;
		if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
			ev.preventDefault();
			active = (active + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
			paint();
		} else if ((ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey) || ev.key === 'Tab') {
			ev.preventDefault();
			ev.stopPropagation();
			pick(active);
		} else if (ev.key === 'Escape') {
			ev.preventDefault();
			ev.stopPropagation();
			close();
		}
	});
	ta.addEventListener('blur', () => setTimeout(close, 100));
	return { wrap: h('div', { class: 'mention-wrap' }, ta, list), ta };
}

export function issueConversation(ctx, number) {
	const box = h('section', { class: 'conversation', 'aria-labelledby': 'conv-h', 'data-testid': 'conversation' });
	const mayWrite = can(ctx.user, 'comment.write');
	const isAdmin = can(ctx.user, 'admin');
	const me = ctx.user && ctx.user.login;
	let comments = null, refs = [], err = null, editing = null;

	async function load() {
		try {
			[comments, refs] = await Promise.all([api.issueComments(number), api.issueReferences(number)]);
			err = null;
		} catch (e) {
			if (e.status === 401) return;
			err = `The conversation could not be loaded: ${e.message}`;
		}
		if (ctx.alive()) paint();
	}

	function paint() {
		const title = h('h2', { id: 'conv-h' }, 'Conversation');
		if (err) { replace(box, h('div', { class: 'section-head' }, title), notice('error', err)); return; }
		if (comments === null) { replace(box, h('div', { class: 'section-head' }, title), spinner('Loading comments…')); return; }
		const live = comments.filter(c => !c.deleted).length;
		replace(box,
			h('div', { class: 'section-head' }, title, h('span', { class: 'muted' }, `${live} comment${live === 1 ? '' : 's'}`)),
			refs.length ? mentionedIn() : null,
			comments.length ? h('ol', { class: 'cmt-thread' }, comments.map(commentEl))
				: h('p', { class: 'muted cmt-none' }, mayWrite ? 'No comments yet. Start the conversation below.' : 'No comments yet.'),
			mayWrite ? composer() : null);
	}

	function mentionedIn() {
		return h('div', { class: 'cmt-refs', 'data-testid': 'mentioned-in' },
			h('h3', null, 'Mentioned in'),
			h('ul', null, refs.map(r => h('li', { 'data-testid': 'mentioned-in-item' },
				h('a', { href: `/issues/${r.number}` }, h('span', { class: 'issue-num' }, `#${r.number}`), ' ', r.title),
				h('span', { class: 'muted' }, r.comment ? ' — comment by ' : ' — description by ', r.author || 'unknown', ', ', timeEl(h, r.at, 'daytime'))))));
	}

	function commentEl(c) {
		if (c.deleted) {
			return h('li', { class: 'cmt deleted', dataset: { id: String(c.id) }, 'data-testid': 'comment' },
				h('div', { class: 'cmt-card' }, h('span', { class: 'muted' },
					`Comment deleted${c.deleted_by ? ` by ${c.deleted_by}` : ''} `, timeEl(h, c.deleted_at, 'daytime'))));
		}
		const own = mayWrite && c.author === me;
		const mayDelete = own || (mayWrite && isAdmin);
		const bodyEl = h('div', { class: 'markdown cmt-body', 'data-testid': 'comment-text' });
		// Rendered and sanitized by the server (the issue-body renderer).
		bodyEl.innerHTML = c.body_html || '';
		decorateBody(bodyEl, c);
		return h('li', { class: 'cmt', dataset: { id: String(c.id) }, 'data-testid': 'comment' },
			h('div', { class: 'cmt-card' },
				h('div', { class: 'cmt-head' },
					avatar(c.author),
					h('strong', { class: 'cmt-author' }, c.author || 'unknown'),
					h('span', { class: 'muted cmt-time' }, timeEl(h, c.created_at, 'daytime')),
					c.edited ? h('span', { class: 'muted cmt-edited', title: `edited ${fullTime(c.updated_at)}`, 'data-testid': 'comment-edited' }, '· edited') : null),
				editing === c.id ? editForm(c) : bodyEl,
				editing !== c.id && (own || mayDelete) ? h('div', { class: 'cmt-actions' },
					own ? h('button', { type: 'button', class: 'link-btn', 'data-testid': 'comment-edit', onclick: () => { editing = c.id; paint(); focus(`[data-id="${c.id}"] textarea`); } }, 'Edit') : null,
					mayDelete ? h('button', { type: 'button', class: 'link-btn danger', 'data-testid': 'comment-delete', onclick: () => remove(c) }, 'Delete') : null) : null));
	}

	function focus(sel) {
		const t = box.querySelector(sel);
		if (t) { t.focus(); t.selectionStart = t.selectionEnd = t.value.length; }
	}

	async function remove(c) {
		if (!confirm(c.author === me ? 'Delete your comment?' : `Delete ${c.author}'s comment?`)) return;
		try {
			await api.deleteComment(c.id);
			toast('Comment deleted');
		} catch (e) {
			toast(e.message);
		}
		load();
	}

	/* A form around a mention-aware textarea; send(text) does the write. */
	function textForm({ label, value = '', submit, testid, send, cancel }) {
		const { wrap, ta } = mentionInput({ id: uid('f'), name: 'body', rows: 4, class: 'cmt-input', 'data-testid': `${testid}-body` });
		ta.value = value;
		const msg = h('div', { class: 'form-msg' });
		const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': `${testid}-submit` }, submit);
		const form = h('form', { class: 'cmt-form', novalidate: true, 'aria-label': label },
			h('div', { class: 'field field-wide' }, h('label', { for: ta.id }, label), wrap,
				h('span', { class: 'hint' }, 'Markdown · @ mentions someone · #N links an issue · Ctrl+Enter to send')),
			msg,
			h('div', { class: 'form-actions' }, btn,
				cancel ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: cancel }, 'Cancel') : null));
		form.addEventListener('keydown', (ev) => {
			if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
			if (ev.key === 'Escape' && cancel) { ev.preventDefault(); cancel(); }
		});
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(msg);
			if (!ta.value.trim()) { ta.setAttribute('aria-invalid', 'true'); replace(msg, notice('error', 'Write something first.')); ta.focus(); return; }
			btn.disabled = true;
			try {
				await send(ta.value);
			} catch (e) {
				btn.disabled = false;
				replace(msg, notice('error', e.status === 412 ? 'Someone changed this comment meanwhile: reload to see it.' : e.message));
			}
		});
		return form;
	}

	function editForm(c) {
		return textForm({
			label: 'Edit comment', value: c.body, submit: 'Save', testid: 'edit',
			cancel: () => { editing = null; paint(); },
			send: async (text) => { await api.editComment(c.id, c.version, text); editing = null; await load(); },
		});
	}

	function composer() {
		return textForm({
			label: 'Add a comment', submit: 'Comment', testid: 'comment',
			send: async (text) => {
				await api.addIssueComment(number, text);
				// the issue page refreshes what a comment changes elsewhere (the author now watches)
				document.dispatchEvent(new CustomEvent('cairn:commented', { detail: { number } }));
				await load();
				focus('.cmt-form:last-child textarea');
			},
		});
	}

	paint();
	load();
	return box;
}
