// login.js — the sign-in page.

import * as api from './api.js?v={{v}}';
import { h, replace, svg } from './dom.js?v={{v}}';
import { field, notice } from './ui.js?v={{v}}';

export async function renderLogin(ctx, onSignedIn) {
	ctx.setTitle('Sign in');
	const loginInput = h('input', {
		name: 'login', type: 'text', autocomplete: 'username', required: true,
		autocapitalize: 'none', spellcheck: 'false', autofocus: true,
	});
	const pwInput = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
	const msg = h('div', { class: 'form-msg' });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');

	const form = h('form', { class: 'login-form', novalidate: true },
		field('Login', loginInput),
		field('Password', pwInput),
		msg,
		submit);

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		replace(msg);
		const login = loginInput.value.trim();
		const password = pwInput.value;
		if (!login || !password) {
			replace(msg, notice('error', 'Enter your login and password.'));
			(login ? pwInput : loginInput).focus();
			return;
		}
		submit.disabled = true;
		submit.textContent = 'Signing in…';
		try {
			const user = await api.login(login, password);
			await onSignedIn(user);
		} catch (err) {
			submit.disabled = false;
			submit.textContent = 'Sign in';
			// a disabled account says so; any other 401 is the plain bad login
			const text = err.status === 401 && !/disabled/.test(err.message || '')
				? 'Wrong login or password.' : err.message;
			replace(msg, notice('error', text));
			pwInput.select();
			pwInput.focus();
		}
	});

	const mark = svg('svg', { viewBox: '0 0 32 32', width: 40, height: 40, 'aria-hidden': 'true', class: 'logo-mark' },
		svg('rect', { width: 32, height: 32, rx: 8, class: 'logo-bg' }),
		svg('ellipse', { cx: 16, cy: 24, rx: 9, ry: 3.6, class: 'logo-stone' }),
		svg('ellipse', { cx: 16, cy: 16.5, rx: 6.5, ry: 3, class: 'logo-stone', opacity: 0.85 }),
		svg('ellipse', { cx: 16, cy: 10, rx: 4, ry: 2.4, class: 'logo-stone', opacity: 0.7 }));

	replace(ctx.root, h('section', { class: 'login-page' },
		h('div', { class: 'login-card' },
			h('div', { class: 'login-brand' }, mark, h('span', null, 'Cairn')),
			h('h1', null, 'Sign in to Cairn'),
			h('p', { class: 'muted login-sub' }, 'From customer signal to shipped changelog.'),
			form)));
	loginInput.focus();
}
