// admin.js — administration of users and the audit log (docs/API.md,
// "Credentials: tokens, users, passwords, sessions, the audit log", issue #15).
//
//   /admin/users   admins: every user with the role (a select: the change is
//                  saved at once), the status (Active / Disabled) with
//                  Disable / Enable, Reset password (a password the admin types
//                  or a generated one, shown once), End sessions.  The API's
//                  refusals (409: the last admin, yourself; 403) show in the
//                  user's row.  "Add user": login, name, role, password.
//   /admin/audit   admins: the audit log, newest first, 50 at a time with
//                  "Load more" (before=the oldest id shown).
// Anyone else gets "admins only" (and the app shows them no link here).

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { roleLabel, timeEl } from './fmt.js?v={{v}}';
import { avatar, notice, spinner, toast } from './ui.js?v={{v}}';
import { accountTabs, errField, formErrors, isAdmin, plural, secretBox } from './account.js?v={{v}}';

const ROLES = ['admin', 'pm', 'cto', 'em', 'engineer', 'viewer'];

function adminsOnly(ctx, title) {
	ctx.setTitle(title);
	replace(ctx.root, h('section', { class: 'page page-narrow acct-page', 'data-testid': 'admins-only' },
		h('div', { class: 'page-head' }, h('h1', null, title)),
		notice('info', 'Admins only: ask an admin to change users or to read the audit log.'),
		h('p', null, h('a', { href: '/account', class: 'btn' }, 'Your account'))));
}

/* A password nobody has to type twice: 16 characters from an unambiguous set. */
function generatePassword() {
	const set = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	return Array.from(bytes, b => set[b % set.length]).join('');
}

/* A password input with a Generate button; generated() says whether the
 * value is still the generated one (then it is shown once, afterwards). */
function passwordInput({ testid, label }) {
	const input = h('input', {
		name: 'password', type: 'text', autocomplete: 'new-password', spellcheck: 'false', maxlength: 1024,
		class: 'mono', placeholder: '8 characters or more', 'data-testid': testid, 'aria-label': label || null,
	});
	let gen = null;
	const btn = h('button', {
		type: 'button', class: 'btn btn-sm', 'data-testid': `${testid}-generate`,
		onclick: () => { gen = generatePassword(); input.value = gen; input.focus(); input.select(); },
	}, 'Generate');
	return { input, btn, generated: () => gen !== null && input.value === gen };
}

/* ---------- /admin/users ---------- */

export async function renderUsers(ctx) {
	if (!isAdmin(ctx.user)) { adminsOnly(ctx, 'Users'); return; }
	ctx.setTitle('Users');
	const me = ctx.user.login;
	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'users-count' });
	const msg = h('div', { class: 'list-msg' });
	const shown = h('div', { class: 'acct-shown' });
	const list = h('div', { class: 'acct-users' }, spinner());
	const formBox = h('div', { class: 'acct-form-box', hidden: true });
	const addBtn = h('button', { type: 'button', class: 'btn btn-primary btn-sm', 'aria-expanded': 'false', 'data-testid': 'add-user' }, 'Add user');
	let users = [];

	replace(ctx.root, h('section', { class: 'page acct-page acct-users-page', 'data-testid': 'users-page' },
		h('div', { class: 'page-head acct-head' }, h('h1', null, 'Users'), accountTabs(ctx.user, 'users'), count,
			h('div', { class: 'page-head-spacer' }), addBtn),
		h('p', { class: 'muted acct-lead' }, 'Roles decide what each person may do. Disabling someone ends their sessions and stops their tokens at once; enabling them again restores the tokens.'),
		shown, formBox, msg, list));

	/* ---- add a user ---- */

	function openForm(open) {
		addBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
		formBox.hidden = !open;
		if (!open) { replace(formBox); return; }
		const loginIn = h('input', { name: 'login', type: 'text', required: true, maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', class: 'mono', 'data-testid': 'user-login-input' });
		const nameIn = h('input', { name: 'name', type: 'text', maxlength: 200, autocomplete: 'off', 'data-testid': 'user-name-input' });
		const roleIn = h('select', { name: 'role', 'data-testid': 'user-role-input' }, ROLES.map(r => h('option', { value: r }, roleLabel(r))));
		roleIn.value = 'engineer';
		const pw = passwordInput({ testid: 'user-password-input' });
		pw.input.id = uid('pw');
		const pwErr = h('span', { class: 'field-error', id: `${pw.input.id}-err`, 'data-testid': 'error-password' });
		pw.input.setAttribute('aria-describedby', pwErr.id);
		const fmsg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'user-create' }, 'Add user');
		const cancel = () => { openForm(false); addBtn.focus(); };
		const form = h('form', { class: 'card acct-form acct-user-form', novalidate: true, 'aria-label': 'Add a user', 'data-testid': 'user-form' },
			h('h2', null, 'Add a user'),
			h('div', { class: 'acct-form-grid' },
				errField('Login', loginIn, { hint: 'a-z, 0-9, - _ and .' }),
				errField('Name', nameIn),
				errField('Role', roleIn),
				h('div', { class: 'field', dataset: { field: 'password' } },
					h('label', { for: pw.input.id }, 'Password'),
					h('div', { class: 'acct-pw-row' }, pw.input, pw.btn), pwErr)),
			fmsg,
			h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'btn btn-ghost', onclick: cancel }, 'Cancel')));
		const errs = formErrors(form, fmsg);
		form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); cancel(); } });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			errs.clear();
			const login = loginIn.value.trim();
			if (!login) { errs.show('login', 'A login is required.'); return; }
			if (pw.input.value.length < 8) { errs.show('password', 'The password must be 8 characters or more (or Generate one).'); return; }
			const fields = { login, name: nameIn.value.trim() || login, role: roleIn.value, password: pw.input.value };
			const generated = pw.generated();
			save.disabled = true;
			let u;
			try {
				u = await api.createUser(fields);
			} catch (err) {
				save.disabled = false;
				if (!ctx.alive() || err.status === 401) return;
				errs.show(err.field === 'new_password' ? 'password' : err.field, err.message);
				return;
			}
			if (!ctx.alive()) return;
			openForm(false);
			toast(`${login} added`);
			if (generated) showSecret(`The password of ${login}`, fields.password);
			await load();
			if (!generated) focusRow((u && u.login) || login, '[data-testid="user-role"]');
		});
		replace(formBox, form);
		loginIn.focus();
	}
	addBtn.addEventListener('click', () => openForm(formBox.hidden));

	function showSecret(title, secret) {
		const { box, input } = secretBox({
			title, secret, what: 'Password', testid: 'password-secret',
			warning: 'it will not be shown again. Give it to them in person or over a channel you trust; they can change it under Your account.',
			onDone: () => { replace(shown); addBtn.focus(); },
		});
		replace(shown, box);
		input.focus();
	}

	/* ---- the list ---- */

	const rowOf = (login) => list.querySelector(`[data-testid="user-row"][data-login="${CSS.escape(login)}"]`);

	function focusRow(login, selector) {
		const row = rowOf(login);
		const el = row && (row.querySelector(selector) || row.querySelector('select, button'));
		if (el) el.focus();
	}

	function rowError(row, message) {
		const box = row.querySelector('[data-testid="user-error"]');
		if (box) replace(box, message || '');
	}

	/* The API call for a row; a refusal shows in the row and returns null. */
	async function act(login, fn) {
		const row = rowOf(login);
		if (row) rowError(row, '');
		try {
			return (await fn()) || true;
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return null;
			const r = rowOf(login);
			if (r) rowError(r, err.message);
			else replace(msg, notice('error', err.message));
			return null;
		}
	}

	function repaint(u, focusSel) {
		const i = users.findIndex(x => x.login === u.login);
		if (i >= 0) users[i] = { ...users[i], ...u };
		const old = rowOf(u.login);
		if (old && i >= 0) old.replaceWith(userRow(users[i]));
		paintCount();
		if (focusSel) focusRow(u.login, focusSel);
	}

	async function changeRole(u, select) {
		const role = select.value;
		if (role === u.role) return;
		select.disabled = true;
		const r = await act(u.login, () => api.updateUser(u.login, { role }));
		select.disabled = false;
		if (!ctx.alive()) return;
		if (!r) { select.value = u.role; select.setAttribute('aria-invalid', 'true'); select.focus(); return; }
		toast(`${u.login} is now ${roleLabel(role)}`);
		if (u.login === me) { await ctx.refreshUser(); return; } // no longer an admin, perhaps
		repaint(typeof r === 'object' ? r : { ...u, role }, '[data-testid="user-role"]');
	}

	async function setDisabled(u, disabled) {
		if (disabled && !window.confirm(`Disable ${u.login}? Their sessions end and their tokens stop at once; they cannot sign in until you enable them again.`)) return;
		const r = await act(u.login, () => api.updateUser(u.login, { disabled }));
		if (!r || !ctx.alive()) return;
		toast(disabled ? `${u.login} disabled` : `${u.login} enabled`);
		repaint(typeof r === 'object' ? r : { ...u, disabled }, disabled ? '[data-testid="user-enable"]' : '[data-testid="user-disable"]');
	}

	async function endSessions(u) {
		const self = u.login === me;
		if (!window.confirm(self
			? 'End all your sessions? This one ends too: you sign in again afterwards.'
			: `End every session of ${u.login}? They are signed out everywhere at once (their tokens keep working).`)) return;
		const r = await act(u.login, () => api.endUserSessions(u.login));
		if (!r) return;
		if (self) { ctx.signedOut(); return; }
		if (!ctx.alive()) return;
		const n = r && Number.isFinite(Number(r.ended)) ? Number(r.ended) : null;
		const text = n === null ? `Sessions of ${u.login} ended` : `${plural(n, 'session')} of ${u.login} ended`;
		toast(text);
		const row = rowOf(u.login);
		const note = row && row.querySelector('[data-testid="user-note"]');
		if (note) replace(note, text);
	}

	function resetPanel(u, row) {
		const slot = row.querySelector('.acct-reset-slot');
		const toggle = row.querySelector('[data-testid="user-reset"]');
		if (slot.firstChild) { replace(slot); toggle.setAttribute('aria-expanded', 'false'); toggle.focus(); return; }
		toggle.setAttribute('aria-expanded', 'true');
		const pw = passwordInput({ testid: 'reset-password', label: `New password for ${u.login}` });
		const err = h('span', { class: 'field-error', 'data-testid': 'reset-error' });
		const save = h('button', { type: 'submit', class: 'btn btn-sm btn-primary', 'data-testid': 'reset-save' }, 'Set password');
		const close = () => { replace(slot); toggle.setAttribute('aria-expanded', 'false'); toggle.focus(); };
		const self = u.login === me;
		const form = h('form', { class: 'acct-reset', novalidate: true, 'aria-label': `Reset the password of ${u.login}`, 'data-testid': 'reset-form' },
			h('div', { class: 'acct-pw-row' }, pw.input, pw.btn, save,
				h('button', { type: 'button', class: 'btn btn-sm btn-ghost', onclick: close }, 'Cancel')),
			err,
			h('span', { class: 'hint' }, self
				? 'Type a password or generate one. Your sessions end, this one too.'
				: `Type a password or generate one (shown to you once). Every session of ${u.login} ends.`));
		form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(err);
			pw.input.removeAttribute('aria-invalid');
			const value = pw.input.value;
			if (value.length < 8) { replace(err, 'The password must be 8 characters or more (or Generate one).'); pw.input.setAttribute('aria-invalid', 'true'); pw.input.focus(); return; }
			const generated = pw.generated();
			save.disabled = true;
			try {
				await api.resetPassword(u.login, value);
			} catch (e) {
				save.disabled = false;
				if (!ctx.alive() || e.status === 401) return;
				replace(err, e.message);
				pw.input.setAttribute('aria-invalid', 'true');
				pw.input.focus();
				return;
			}
			if (self) { ctx.signedOut(); return; }
			if (!ctx.alive()) return;
			close();
			toast(`Password of ${u.login} set`);
			const note = row.querySelector('[data-testid="user-note"]');
			if (note) replace(note, 'Password reset: their sessions ended.');
			if (generated) showSecret(`The new password of ${u.login}`, value);
		});
		replace(slot, form);
		pw.input.focus();
	}

	function userRow(u) {
		const self = u.login === me;
		const roleSel = h('select', {
			name: 'role', class: 'acct-role-select', 'aria-label': `Role of ${u.login}`, 'data-testid': 'user-role',
			onchange: (ev) => changeRole(u, ev.target),
		}, ROLES.map(r => h('option', { value: r }, roleLabel(r))));
		roleSel.value = u.role;
		const row = h('li', { class: `acct-user${u.disabled ? ' acct-user-disabled' : ''}`, dataset: { login: u.login }, 'data-testid': 'user-row' },
			h('div', { class: 'acct-user-who' }, avatar(u.login),
				h('div', { class: 'acct-user-names' },
					h('span', { class: 'acct-user-name', 'data-testid': 'user-name' }, u.name || u.login, self ? h('span', { class: 'acct-you' }, 'you') : null),
					h('span', { class: 'muted mono acct-user-login', 'data-testid': 'user-login' }, u.login))),
			h('div', { class: 'acct-user-role' }, roleSel),
			h('div', { class: 'acct-user-status' },
				h('span', { class: `acct-status acct-status-${u.disabled ? 'disabled' : 'active'}`, 'data-testid': 'user-status' },
					h('span', { class: 'acct-status-dot', 'aria-hidden': 'true' }), u.disabled ? 'Disabled' : 'Active')),
			h('div', { class: 'acct-user-actions' },
				u.disabled
					? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'user-enable', 'aria-label': `Enable ${u.login}`, onclick: () => setDisabled(u, false) }, 'Enable')
					: h('button', {
						type: 'button', class: 'btn btn-sm', 'data-testid': 'user-disable', 'aria-label': `Disable ${u.login}`,
						disabled: self, title: self ? 'You cannot disable yourself' : null, onclick: () => setDisabled(u, true),
					}, 'Disable'),
				h('button', {
					type: 'button', class: 'btn btn-sm', 'aria-expanded': 'false', 'data-testid': 'user-reset', 'aria-label': `Reset the password of ${u.login}`,
					onclick: () => resetPanel(u, row),
				}, 'Reset password'),
				h('button', {
					type: 'button', class: 'btn btn-sm btn-ghost', 'data-testid': 'user-end-sessions', 'aria-label': `End the sessions of ${u.login}`,
					onclick: () => endSessions(u),
				}, 'End sessions')),
			h('div', { class: 'acct-user-foot' },
				h('div', { class: 'field-error', role: 'alert', 'data-testid': 'user-error' }),
				h('div', { class: 'muted acct-user-note', role: 'status', 'data-testid': 'user-note' }),
				h('div', { class: 'acct-reset-slot' })));
		return row;
	}

	function paintCount() {
		const active = users.filter(u => !u.disabled).length;
		replace(count, `${plural(users.length, 'user')}${active !== users.length ? `, ${active} active` : ''}`);
	}

	async function load() {
		try {
			users = await api.listUsers();
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(list);
			replace(msg, notice('error', `The users could not be loaded: ${err.message}`));
			return;
		}
		if (!ctx.alive()) return;
		paintCount();
		replace(list, h('ul', { class: 'results acct-user-rows', 'aria-label': 'Users', 'data-testid': 'user-list' }, users.map(userRow)));
	}

	if (ctx.query.get('new') === '1') openForm(true);
	await load();
}

/* ---------- /admin/audit ---------- */

const ACTIONS = {
	'user.created': 'Created user',
	'user.role': 'Changed role',
	'user.disabled': 'Disabled user',
	'user.enabled': 'Enabled user',
	'user.password_changed': 'Changed password',
	'user.password_reset': 'Reset password',
	'user.sessions_ended': 'Ended sessions',
	'token.created': 'Created token',
	'token.revoked': 'Revoked token',
	'mail.settings': 'Changed email server',
};

function actionChip(action) {
	const kind = String(action || '').split('.')[0].replace(/[^a-z]/g, '');
	const tone = /disabled|revoked|sessions_ended|password_reset/.test(action) ? ' acct-act-warn' : '';
	return h('span', { class: `acct-act acct-act-${kind}${tone}`, title: action, 'data-testid': 'audit-action', dataset: { action } },
		ACTIONS[action] || action);
}

const PAGE = 50;

export async function renderAudit(ctx) {
	if (!isAdmin(ctx.user)) { adminsOnly(ctx, 'Audit log'); return; }
	ctx.setTitle('Audit log');
	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'audit-count' });
	const msg = h('div', { class: 'list-msg' });
	const body = h('tbody');
	const table = h('table', { class: 'acct-audit', 'data-testid': 'audit-table' },
		h('caption', { class: 'sr-only' }, 'The audit log, newest first'),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'c-at' }, 'When'),
			h('th', { scope: 'col', class: 'c-actor' }, 'Who'),
			h('th', { scope: 'col', class: 'c-action' }, 'Action'),
			h('th', { scope: 'col', class: 'c-target' }, 'Whom'),
			h('th', { scope: 'col', class: 'c-detail' }, 'Detail'))),
		body);
	const wrap = h('div', { class: 'results acct-audit-wrap' }, spinner());
	const more = h('button', { type: 'button', class: 'btn', 'data-testid': 'audit-more', hidden: true }, 'Load more');
	const moreBox = h('div', { class: 'acct-more' }, more);
	let shownN = 0;
	let oldest = null;

	replace(ctx.root, h('section', { class: 'page acct-page acct-audit-page', 'data-testid': 'audit-page' },
		h('div', { class: 'page-head acct-head' }, h('h1', null, 'Audit log'), accountTabs(ctx.user, 'audit'), count),
		h('p', { class: 'muted acct-lead' }, 'Every change to users, passwords, sessions and tokens, newest first: who did it, to whom, when.'),
		msg, wrap, moreBox));

	function row(a) {
		return h('tr', { dataset: { id: String(a.id) }, 'data-testid': 'audit-row' },
			h('td', { class: 'c-at' }, timeEl(h, a.at, 'daytime')),
			h('td', { class: 'c-actor', 'data-testid': 'audit-actor' }, a.actor
				? h('span', { class: 'person' }, avatar(a.actor), h('span', null, a.actor))
				: h('span', { class: 'muted', title: 'From the command line (cairn …) on the server' }, 'cairn CLI')),
			h('td', { class: 'c-action' }, actionChip(a.action)),
			h('td', { class: 'c-target mono', 'data-testid': 'audit-target' }, a.target || h('span', { class: 'muted' }, '—')),
			h('td', { class: 'c-detail', 'data-testid': 'audit-detail' }, a.detail || h('span', { class: 'muted' }, '—')));
	}

	async function loadPage() {
		more.disabled = true;
		let items;
		try {
			items = await api.auditLog({ limit: PAGE, before: oldest });
		} catch (err) {
			more.disabled = false;
			if (!ctx.alive() || err.status === 401) return;
			if (!shownN) replace(wrap);
			replace(msg, notice('error', `The audit log could not be loaded: ${err.message}`));
			return;
		}
		if (!ctx.alive()) return;
		replace(msg);
		const first = shownN === 0;
		for (const a of items) body.appendChild(row(a));
		shownN += items.length;
		if (items.length) oldest = items[items.length - 1].id;
		if (first) {
			replace(wrap, shownN ? table : h('div', { class: 'empty', 'data-testid': 'audit-empty' },
				h('p', { class: 'empty-title' }, 'Nothing yet'), h('p', { class: 'muted' }, 'Changes to users and tokens will show here.')));
		}
		more.hidden = items.length < PAGE;
		more.disabled = false;
		replace(count, `${shownN}${more.hidden ? '' : '+'} ${shownN === 1 ? 'entry' : 'entries'}`);
		if (!first && items.length) {
			const firstNew = body.querySelector(`tr[data-id="${CSS.escape(String(items[0].id))}"] td`);
			if (firstNew && more.hidden) { firstNew.setAttribute('tabindex', '-1'); firstNew.focus(); }
		}
	}
	more.addEventListener('click', loadPage);
	await loadPage();
}
