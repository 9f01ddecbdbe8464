// account.js — your account (docs/API.md, "Credentials: tokens, users,
// passwords, sessions, the audit log", issue #15).
//
//   /account   for everyone: the profile (login, name, role); change the
//              password (old, new, confirm: the server's 403 on the old one
//              and 422 on the new one are shown under the field; on success
//              the other sessions have ended); the API tokens (name, scope,
//              created, expires, last used, an "Expired" badge) with Revoke,
//              and "New token" (name, scope read/write/admin, an optional
//              expiry date) which shows the secret ONCE, in a copyable field;
//              "Log out everywhere": every session of mine ends, this one too,
//              and the login page follows.
//
// Admins get tabs to the administration pages (admin.js): Users, Audit log.
// The top bar's user chip links here.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { roleLabel, timeEl, dateText } from './fmt.js?v={{v}}';
import { avatar, notice, spinner, toast, can } from './ui.js?v={{v}}';
import { copyButton } from './releases.js?v={{v}}';

/* ---------- shared with admin.js ---------- */

export function isAdmin(user) {
	return can(user, 'admin');
}

/* My account · Users · Audit log — only admins see the tabs (and the pages). */
export function accountTabs(user, current) {
	if (!isAdmin(user)) return null;
	const tab = (key, href, text) => h('a', {
		href, class: `seg-btn${current === key ? ' on' : ''}`, 'aria-current': current === key ? 'page' : null, 'data-testid': `acct-tab-${key}`,
	}, text);
	return h('nav', { class: 'seg tabs acct-tabs', 'aria-label': 'Account and administration', 'data-testid': 'account-tabs' },
		tab('account', '/account', 'My account'), tab('users', '/admin/users', 'Users'), tab('audit', '/admin/audit', 'Audit log'),
		tab('github', '/admin/github', 'GitHub'));
}

export function plural(n, one, many = `${one}s`) {
	return `${n} ${n === 1 ? one : many}`;
}

/* A labelled field with room for its error right under the control
 * (data-field names it, for the API's "field"). */
export function errField(labelText, control, { hint, name } = {}) {
	if (!control.id) control.id = uid('f');
	const key = name || control.name;
	const err = h('span', { class: 'field-error', id: `${control.id}-err`, 'data-testid': `error-${key}` });
	const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
	control.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, err.id].filter(Boolean).join(' '));
	return h('div', { class: 'field', dataset: { field: key } }, h('label', { for: control.id }, labelText), control, err, hintEl);
}

/* Errors shown in a form: under the field named, else in msg. */
export function formErrors(form, msg) {
	return {
		clear() {
			replace(msg);
			for (const el of form.querySelectorAll('.field-error')) replace(el);
			for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
		},
		show(fieldName, message) {
			const box = fieldName ? form.querySelector(`[data-field="${CSS.escape(fieldName)}"]`) : null;
			const err = box && box.querySelector('.field-error');
			if (!box || !err || box.hidden) {
				replace(msg, notice('error', message));
				return;
			}
			replace(err, message);
			const control = box.querySelector('input:not([type=radio]), select, textarea') || box.querySelector('input');
			if (control) {
				if (control.type !== 'radio') control.setAttribute('aria-invalid', 'true');
				control.focus();
			}
		},
	};
}

/* A secret shown once: a read-only field, selected, with a Copy button. */
export function secretBox({ title, secret, warning, testid, onDone, what = 'Token' }) {
	const input = h('input', {
		type: 'text', readonly: true, value: secret, class: 'mono acct-secret-input', id: uid('secret'),
		spellcheck: 'false', autocomplete: 'off', 'data-testid': `${testid}-value`, 'aria-label': title,
	});
	input.addEventListener('focus', () => input.select());
	const done = onDone ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': `${testid}-done`, onclick: onDone }, 'Done') : null;
	const box = h('div', { class: 'acct-secret', role: 'group', 'aria-label': title, 'data-testid': testid },
		h('p', { class: 'acct-secret-title' }, title),
		h('div', { class: 'acct-secret-row' }, input,
			copyButton(() => secret, { testid: `${testid}-copy`, what }), done),
		h('p', { class: 'acct-secret-warn', role: 'alert' }, h('strong', null, 'Copy it now: '), warning));
	return { box, input };
}

/* ---------- tokens ---------- */

const SCOPES = [
	['read', 'Read', 'reads only (GET): dashboards, reports, exports'],
	['write', 'Write', 'everything you may do, except administration'],
	['admin', 'Admin', 'everything you may do, administration included (users, tokens, the audit log)'],
];

function scopeChip(scope) {
	const s = SCOPES.find(([k]) => k === scope);
	return h('span', { class: `acct-scope acct-scope-${String(scope || '').replace(/[^a-z]/g, '')}`, title: s ? `${s[1]}: ${s[2]}` : null, 'data-testid': 'token-scope' },
		s ? s[1] : String(scope || '—'));
}

/* An expiry: a day the user picked (midnight UTC) as a date, else the instant. */
function expiryEl(iso) {
	if (!iso) return h('span', { class: 'muted' }, 'never');
	if (/T00:00:00(?:\.0+)?Z$/.test(iso)) return h('time', { datetime: iso, title: `Stops at the start of ${dateText(iso)} (UTC)` }, dateText(iso));
	return timeEl(h, iso, 'full');
}

function tomorrowYmd() {
	return new Date(Date.now() + 86400000).toISOString().slice(0, 10);
}

function tokenRow(t, onRevoke) {
	return h('li', { class: `acct-token${t.expired ? ' acct-token-expired' : ''}`, dataset: { id: String(t.id) }, 'data-testid': 'token-row' },
		h('div', { class: 'acct-token-name' },
			h('strong', { 'data-testid': 'token-name' }, t.name || '(no name)'),
			scopeChip(t.scope),
			t.expired ? h('span', { class: 'acct-expired', 'data-testid': 'token-expired' }, 'Expired') : null),
		h('dl', { class: 'acct-token-meta' },
			h('div', null, h('dt', null, 'Created'), h('dd', null, timeEl(h, t.created_at))),
			h('div', null, h('dt', null, t.expired ? 'Expired' : 'Expires'), h('dd', { 'data-testid': 'token-expires' }, expiryEl(t.expires_at))),
			h('div', null, h('dt', null, 'Last used'), h('dd', { 'data-testid': 'token-last-used' },
				t.last_used_at ? timeEl(h, t.last_used_at, 'rel') : h('span', { class: 'muted' }, 'never')))),
		h('button', {
			type: 'button', class: 'btn btn-sm acct-revoke', 'data-testid': 'token-revoke',
			'aria-label': `Revoke the token ${t.name || t.id}`, onclick: () => onRevoke(t),
		}, 'Revoke'));
}

function tokenForm(ctx, { onCreated, onCancel }) {
	const admin = isAdmin(ctx.user);
	const name = h('input', { name: 'name', type: 'text', required: true, maxlength: 128, autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. CI export', 'data-testid': 'token-name-input' });
	const expires = h('input', { name: 'expires_at', type: 'date', min: tomorrowYmd(), 'data-testid': 'token-expires-input' });
	const scopeErr = h('span', { class: 'field-error', id: uid('scope-err'), 'data-testid': 'error-scope' });
	const radios = SCOPES.map(([value, text, hint]) => {
		const r = h('input', { type: 'radio', name: 'scope', value, id: uid('scope'), checked: value === 'read', 'data-testid': `scope-${value}` });
		const line = value === 'admin' && !admin ? 'all your rights, like signing in (administration is for admins)' : hint;
		return h('label', { class: 'acct-radio', for: r.id }, r, h('span', null, h('strong', null, text), h('span', { class: 'muted' }, ` — ${line}`)));
	});
	const scopeSet = h('fieldset', { class: 'acct-scopes', 'data-field': 'scope', 'aria-describedby': scopeErr.id },
		h('legend', null, 'Scope'), radios, scopeErr);
	const fmsg = h('div', { class: 'form-msg' });
	const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'token-create' }, 'Create token');
	const form = h('form', { class: 'acct-form acct-token-form', novalidate: true, 'aria-label': 'New token', 'data-testid': 'token-form' },
		h('h3', null, 'New token'),
		errField('Name', name, { hint: 'Say what uses it, so you know what stops when you revoke it.' }),
		scopeSet,
		errField('Expires (optional)', expires, { hint: 'It stops working at the start of that day (UTC). Empty: it never expires.' }),
		fmsg,
		h('div', { class: 'form-actions' }, save,
			h('button', { type: 'button', class: 'btn btn-ghost', onclick: onCancel }, 'Cancel')));
	const errs = formErrors(form, fmsg);
	form.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') { ev.preventDefault(); onCancel(); }
	});
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		errs.clear();
		const n = name.value.trim();
		if (!n) { errs.show('name', 'Give the token a name.'); return; }
		const scope = (form.querySelector('input[name=scope]:checked') || {}).value || 'read';
		const fields = { name: n, scope };
		if (expires.value) fields.expires_at = expires.value;
		save.disabled = true;
		let t;
		try {
			t = await api.createToken(fields);
		} catch (err) {
			save.disabled = false;
			if (!ctx.alive() || err.status === 401) return;
			errs.show(err.field, err.message);
			return;
		}
		if (!ctx.alive()) return;
		onCreated(t);
	});
	return { form, focus: () => name.focus() };
}

function tokensSection(ctx) {
	const box = h('section', { class: 'card acct-card acct-tokens', 'aria-labelledby': 'acct-tokens-h', 'data-testid': 'tokens' });
	const count = h('span', { class: 'muted', 'data-testid': 'tokens-count' });
	const shown = h('div', { class: 'acct-shown' });
	const formBox = h('div', { class: 'acct-form-box', hidden: true });
	const list = h('div', { class: 'acct-token-list' }, spinner());
	const msg = h('div', { class: 'list-msg' });
	const newBtn = h('button', { type: 'button', class: 'btn btn-sm btn-primary', 'aria-expanded': 'false', 'data-testid': 'new-token' }, 'New token');

	function openForm(open) {
		newBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
		formBox.hidden = !open;
		if (!open) { replace(formBox); return; }
		const f = tokenForm(ctx, {
			onCreated: async (t) => {
				openForm(false);
				const { box: sb, input } = secretBox({
					title: `Your new token “${t.name}” (${t.scope})`,
					secret: t.token,
					warning: 'it will not be shown again. Store it where its user can read it; if it is lost, revoke it and make a new one.',
					testid: 'new-token-secret',
					onDone: () => { replace(shown); newBtn.focus(); },
				});
				replace(shown, sb);
				toast('Token created');
				await load();
				input.focus();
			},
			onCancel: () => { openForm(false); newBtn.focus(); },
		});
		replace(formBox, f.form);
		f.focus();
	}
	newBtn.addEventListener('click', () => openForm(formBox.hidden));

	async function revoke(t) {
		if (!window.confirm(`Revoke the token “${t.name}”? Anything using it stops working at once.`)) return;
		replace(msg);
		try {
			await api.revokeToken(t.id);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(msg, notice('error', `The token could not be revoked: ${err.message}`));
			return;
		}
		if (!ctx.alive()) return;
		toast(`Token “${t.name}” revoked`);
		await load();
		newBtn.focus();
	}

	async function load() {
		let tokens;
		try {
			tokens = await api.listTokens();
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(list);
			replace(msg, notice('error', `The tokens could not be loaded: ${err.message}`));
			return;
		}
		if (!ctx.alive()) return;
		replace(count, plural(tokens.length, 'token'));
		replace(list, tokens.length
			? h('ul', { class: 'acct-token-rows', 'aria-labelledby': 'acct-tokens-h', 'data-testid': 'token-list' }, tokens.map(t => tokenRow(t, revoke)))
			: h('p', { class: 'muted acct-none', 'data-testid': 'tokens-empty' }, 'No tokens. Scripts and integrations sign in with a token instead of your password.'));
	}

	replace(box,
		h('div', { class: 'section-head acct-section-head' },
			h('h2', { id: 'acct-tokens-h' }, 'API tokens'), count, h('div', { class: 'page-head-spacer' }), newBtn),
		h('p', { class: 'muted acct-lead' }, 'For scripts and integrations: send ', h('code', null, 'Authorization: Bearer <token>'), '. A token acts as you, limited to its scope.'),
		shown, formBox, msg, list);
	return { box, load, openForm };
}

/* ---------- password ---------- */

function passwordSection(ctx) {
	const pw = (name, autocomplete, testid) => h('input', { name, type: 'password', autocomplete, required: true, maxlength: 1024, 'data-testid': testid });
	const oldPw = pw('old_password', 'current-password', 'old-password');
	const newPw = pw('new_password', 'new-password', 'new-password');
	const confirmPw = pw('confirm_password', 'new-password', 'confirm-password');
	const fmsg = h('div', { class: 'form-msg', 'data-testid': 'password-msg' });
	const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'password-save' }, 'Change password');
	const form = h('form', { class: 'acct-form', novalidate: true, 'aria-labelledby': 'acct-pw-h', 'data-testid': 'password-form' },
		h('input', { type: 'text', name: 'username', autocomplete: 'username', value: ctx.user.login, hidden: true, readonly: true, tabindex: '-1', 'aria-hidden': 'true' }),
		errField('Current password', oldPw),
		errField('New password', newPw, { hint: '8 characters or more.' }),
		errField('Confirm the new password', confirmPw),
		fmsg,
		h('div', { class: 'form-actions' }, save));
	const errs = formErrors(form, fmsg);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		errs.clear();
		if (!oldPw.value) { errs.show('old_password', 'Enter your current password.'); return; }
		if (newPw.value.length < 8) { errs.show('new_password', 'The new password must be 8 characters or more.'); return; }
		if (confirmPw.value !== newPw.value) { errs.show('confirm_password', 'The two new passwords differ.'); return; }
		save.disabled = true;
		try {
			await api.changePassword(oldPw.value, newPw.value);
		} catch (err) {
			save.disabled = false;
			if (!ctx.alive() || err.status === 401) return;
			if (err.status === 403 && err.field === 'old_password') errs.show('old_password', 'That is not your current password.');
			else errs.show(err.field === 'password' ? 'new_password' : err.field, err.message);
			return;
		}
		save.disabled = false;
		if (!ctx.alive()) return;
		form.reset();
		replace(fmsg, h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'password-done' },
			h('span', { class: 'notice-text' }, 'Password changed. Your other sessions have ended; this one stays signed in.')));
		toast('Password changed');
		save.focus();
	});
	return h('section', { class: 'card acct-card', 'aria-labelledby': 'acct-pw-h', 'data-testid': 'password' },
		h('div', { class: 'section-head' }, h('h2', { id: 'acct-pw-h' }, 'Change password')),
		h('p', { class: 'muted acct-lead' }, 'Your other sessions end when it changes; API tokens keep working.'),
		form);
}

/* ---------- profile and sessions ---------- */

function profileSection(user) {
	const role = String(user.role || '').replace(/[^a-z]/g, '');
	return h('section', { class: 'card acct-card acct-profile', 'aria-labelledby': 'acct-prof-h', 'data-testid': 'profile' },
		h('div', { class: 'section-head' }, h('h2', { id: 'acct-prof-h' }, 'Profile')),
		h('div', { class: 'acct-who' }, avatar(user.login),
			h('div', null,
				h('div', { class: 'acct-who-name', 'data-testid': 'profile-name' }, user.name || user.login),
				h('div', { class: 'muted mono', 'data-testid': 'profile-login' }, user.login),
				h('div', null, h('span', { class: `role role-${role}`, 'data-testid': 'profile-role' }, roleLabel(user.role))))),
		h('p', { class: 'muted acct-note' }, isAdmin(user) ? 'Roles are changed under Users.' : 'Ask an admin to change your role.'));
}

function sessionsSection(ctx) {
	const msg = h('div', { class: 'form-msg' });
	const btn = h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'logout-everywhere' }, 'Log out everywhere');
	btn.addEventListener('click', async () => {
		if (!window.confirm('Log out everywhere? Every session of yours ends — on every device and browser, this one too. API tokens keep working.')) return;
		replace(msg);
		btn.disabled = true;
		let r;
		try {
			r = await api.logoutEverywhere();
		} catch (err) {
			btn.disabled = false;
			if (err.status === 401) { ctx.signedOut(); return; }
			if (!ctx.alive()) return;
			replace(msg, notice('error', err.message));
			return;
		}
		const n = r && Number.isFinite(Number(r.ended)) ? Number(r.ended) : null;
		toast(n === null ? 'Logged out everywhere' : `Logged out everywhere: ${plural(n, 'session')} ended`);
		ctx.signedOut();
	});
	return h('section', { class: 'card acct-card', 'aria-labelledby': 'acct-sess-h', 'data-testid': 'sessions' },
		h('div', { class: 'section-head' }, h('h2', { id: 'acct-sess-h' }, 'Sessions')),
		h('p', { class: 'muted acct-lead' }, 'A lost laptop, a shared computer: end every session of yours at once, this one too. You sign in again afterwards.'),
		msg,
		h('div', { class: 'form-actions' }, btn));
}

/* ---------- notification email ---------- */

const MODE_TEXT = { inapp: 'In the app only', email: 'Email at once', digest: 'Daily digest', off: 'Off' };

/* Your address and, per kind of notification, how you hear of it. */
function emailSection(ctx) {
	const box = h('section', { id: 'mail', class: 'card acct-card acct-mail', 'aria-labelledby': 'acct-mail-h', 'data-testid': 'mail-prefs' },
		h('div', { class: 'section-head' }, h('h2', { id: 'acct-mail-h' }, 'Notifications by email')), spinner());
	async function load() {
		let p;
		try {
			p = await api.mailPrefs();
		} catch (err) {
			if (ctx.alive() && err.status !== 401) replace(box, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		const may = can(ctx.user, 'notify.prefs');
		const email = h('input', { name: 'email', type: 'text', inputmode: 'email', spellcheck: 'false', value: p.email || '', maxlength: 254, autocomplete: 'email', placeholder: 'you@example.com', disabled: !may, 'data-testid': 'mail-email' });
		const rows = p.kinds.map((k) => {
			const sel = h('select', { name: `kinds.${k.kind}`, id: uid('mode'), disabled: !may, 'data-testid': `mail-mode-${k.kind}`, 'aria-label': k.label },
				p.modes.map((m) => h('option', { value: m, selected: m === k.mode }, `${MODE_TEXT[m] || m}${m === k.default ? ' (default)' : ''}`)));
			const err = h('span', { class: 'field-error', 'data-testid': `error-kinds.${k.kind}` });
			return h('div', { class: 'field acct-mail-row', dataset: { field: `kinds.${k.kind}` } },
				h('label', { for: sel.id }, k.label), sel, err);
		});
		const fmsg = h('div', { class: 'form-msg', 'data-testid': 'mail-msg' });
		const save = may ? h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'mail-save' }, 'Save email settings') : null;
		const form = h('form', { class: 'acct-form', novalidate: true, 'aria-labelledby': 'acct-mail-h', 'data-testid': 'mail-form' },
			p.mail_enabled ? null : h('p', { class: 'notice notice-warn', 'data-testid': 'mail-disabled' },
				'An admin has not set up email yet: your choices apply once they do.'),
			errField('Email address', email, { hint: 'Leave it empty to get no email at all.' }),
			h('fieldset', { class: 'acct-mail-kinds' }, h('legend', null, 'How you hear of…'), rows),
			fmsg, save ? h('div', { class: 'form-actions' }, save) : null);
		const errs = formErrors(form, fmsg);
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			errs.clear();
			const kinds = {};
			for (const sel of form.querySelectorAll('select')) kinds[sel.name.slice(6)] = sel.value;
			save.disabled = true;
			try {
				await api.setMailPrefs({ email: email.value.trim() || null, kinds });
			} catch (err) {
				save.disabled = false;
				if (ctx.alive() && err.status !== 401) errs.show(err.field, err.message);
				return;
			}
			save.disabled = false;
			if (!ctx.alive()) return;
			replace(fmsg, h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'mail-saved' },
				h('span', { class: 'notice-text' }, 'Saved.')));
			toast('Email settings saved');
		});
		replace(box, h('div', { class: 'section-head' }, h('h2', { id: 'acct-mail-h' }, 'Notifications by email')),
			h('p', { class: 'muted acct-lead' }, 'Everything reaches your inbox in Cairn; choose what also comes by email, at once or in one mail a day. Off: not even the inbox.'),
			form);
	}
	return { box, load };
}

/* The SMTP server (admins): the password is write-only. */
function smtpSection(ctx) {
	const box = h('section', { class: 'card acct-card acct-smtp', 'aria-labelledby': 'acct-smtp-h', 'data-testid': 'mail-settings' },
		h('div', { class: 'section-head' }, h('h2', { id: 'acct-smtp-h' }, 'Email server (admins)')), spinner());
	async function load() {
		let s;
		try {
			s = await api.mailSettings();
		} catch (err) {
			if (ctx.alive() && err.status !== 401) replace(box, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		const text = (name, value, attrs = {}) => h('input', { name, type: 'text', value, spellcheck: 'false', autocomplete: 'off', 'data-testid': `smtp-${name}`, ...attrs });
		const url = text('smtp_url', s.smtp_url, { placeholder: 'smtp://mail.example.com:587', maxlength: 511 });
		const user = text('username', s.username, { maxlength: 255 });
		const pw = h('input', { name: 'password', type: 'password', value: '', autocomplete: 'new-password', maxlength: 255, placeholder: s.password_set ? 'set — type to replace' : 'none', 'data-testid': 'smtp-password' });
		const from = text('from', s.from, { placeholder: 'cairn@example.com', maxlength: 254 });
		const base = text('base_url', s.base_url, { placeholder: 'https://cairn.example.com', maxlength: 511 });
		const hour = h('input', { name: 'digest_hour', type: 'number', min: 0, max: 23, value: String(s.digest_hour), 'data-testid': 'smtp-digest_hour' });
		const fmsg = h('div', { class: 'form-msg', 'data-testid': 'smtp-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'smtp-save' }, 'Save email server');
		const q = s.queue;
		const form = h('form', { class: 'acct-form', novalidate: true, 'aria-labelledby': 'acct-smtp-h', 'data-testid': 'smtp-form' },
			errField('SMTP server', url, { hint: 'smtp:// (STARTTLS when offered) or smtps://; empty: no email.' }),
			errField('User name', user, { hint: 'Empty: no authentication.' }),
			errField('Password', pw, { hint: 'Never shown again; leave it empty to keep it.' }),
			errField('Sender address', from),
			errField('Address of this server', base, { hint: 'For the links in mails.' }),
			errField('Daily digest hour (UTC)', hour),
			h('p', { class: 'muted', 'data-testid': 'smtp-queue' }, `Queue: ${q.pending} pending, ${q.sent} sent, ${q.failed} failed, ${q.dropped} dropped.`),
			fmsg, h('div', { class: 'form-actions' }, save));
		const errs = formErrors(form, fmsg);
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			errs.clear();
			const body = { smtp_url: url.value.trim(), username: user.value, from: from.value.trim(), base_url: base.value.trim(), digest_hour: Number(hour.value) };
			if (pw.value) body.password = pw.value;
			save.disabled = true;
			try {
				await api.setMailSettings(body);
			} catch (err) {
				save.disabled = false;
				if (ctx.alive() && err.status !== 401) errs.show(err.field, err.message);
				return;
			}
			if (!ctx.alive()) return;
			toast('Email server saved');
			await load();
		});
		replace(box, h('div', { class: 'section-head' }, h('h2', { id: 'acct-smtp-h' }, 'Email server (admins)')), form);
	}
	return { box, load };
}

/* ---------- /account ---------- */

export async function renderAccount(ctx) {
	ctx.setTitle('Your account');
	const user = ctx.user;
	const tokens = tokensSection(ctx);
	const mail = emailSection(ctx);
	const smtp = isAdmin(user) ? smtpSection(ctx) : null;
	replace(ctx.root, h('section', { class: 'page acct-page', 'data-testid': 'account-page' },
		h('div', { class: 'page-head acct-head' }, h('h1', null, 'Your account'), accountTabs(user, 'account')),
		h('div', { class: 'acct-grid' },
			h('div', { class: 'acct-col' }, profileSection(user), sessionsSection(ctx)),
			h('div', { class: 'acct-col' }, passwordSection(ctx))),
		tokens.box,
		h('div', { class: 'acct-grid' },
			h('div', { class: 'acct-col' }, mail.box),
			smtp ? h('div', { class: 'acct-col' }, smtp.box) : null)));
	if (ctx.query.get('new') === 'token') tokens.openForm(true);
	await Promise.all([tokens.load(), mail.load(), smtp ? smtp.load() : null]);
	if (location.hash === '#mail' && ctx.alive()) mail.box.scrollIntoView({ block: 'start' });
}
