// github.js — /admin/github: the GitHub integration for admins (docs/github.md).
//
//   Repositories: each with its webhook secret and token (write-only: the
//   page says only whether they are set; "Replace" sends a new one), its
//   mapping (the whole product, or an area id), Remove.  "Add repository":
//   OWNER/REPO, secret (typed or generated, shown once), token, area.
//   Logins: GitHub login -> Cairn user, add or remove.
//   Deliveries: the latest webhook deliveries (event, action, repository,
//   result, message) with "Re-process"; Outbox: the latest calls to GitHub.
// Anyone else gets "admins only" (and the app shows them no link here).

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { timeEl } from './fmt.js?v={{v}}';
import { notice, spinner, toast } from './ui.js?v={{v}}';
import { accountTabs, errField, formErrors, isAdmin, secretBox } from './account.js?v={{v}}';

function generateSecret() {
	const set = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	return Array.from(bytes, b => set[b % set.length]).join('');
}

const RESULT_TONE = { applied: 'ok', unchanged: 'muted', ping: 'muted', ignored: 'muted', failed: 'warn', duplicate: 'muted' };

export async function renderGithub(ctx) {
	if (!isAdmin(ctx.user)) {
		ctx.setTitle('GitHub');
		replace(ctx.root, h('section', { class: 'page page-narrow acct-page', 'data-testid': 'admins-only' },
			h('div', { class: 'page-head' }, h('h1', null, 'GitHub')),
			notice('info', 'Admins only: ask an admin to connect GitHub repositories.')));
		return;
	}
	ctx.setTitle('GitHub');
	const msg = h('div', { class: 'list-msg' });
	const reposBox = h('div', { 'data-testid': 'gh-repos' }, spinner());
	const loginsBox = h('div', { 'data-testid': 'gh-logins' });
	const deliveriesBox = h('div', { 'data-testid': 'gh-deliveries' });
	const outboxBox = h('div', { 'data-testid': 'gh-outbox' });
	const secretSlot = h('div');

	/* ---- add a repository ---- */
	const fullName = h('input', { type: 'text', name: 'full_name', placeholder: 'owner/repo', class: 'mono', required: true, 'data-testid': 'gh-full-name', spellcheck: 'false' });
	const secret = h('input', { name: 'secret', type: 'password', autocomplete: 'new-password', class: 'mono', placeholder: 'empty: generate one', 'data-testid': 'gh-secret' });
	const token = h('input', { name: 'token', type: 'password', autocomplete: 'off', class: 'mono', placeholder: 'optional: writes back to GitHub', 'data-testid': 'gh-token' });
	let areas = []; // [{id, name, pillar}] for the mapping selects
	const areaSelect = (current, attrs = {}) => h('select', attrs,
		h('option', { value: '' }, 'The whole product'),
		areas.map((a) => h('option', { value: String(a.id), selected: a.id === current ? true : null }, `${a.pillar} › ${a.name}`)));
	const area = areaSelect(null, { name: 'area', 'data-testid': 'gh-area' });
	const formMsg = h('div');
	const addForm = h('form', { class: 'acct-form', 'data-testid': 'gh-add-form', novalidate: true },
		h('h2', null, 'Add a repository'),
		errField('Repository', fullName, { hint: 'as in github.com/owner/repo' }),
		errField('Webhook secret', secret, { hint: '16 characters or more; shown once when generated, never again' }),
		errField('Token', token, { hint: 'a fine-grained token with Issues: read and write; never shown again' }),
		errField('Maps to', area, { hint: 'the whole product, or one area (its issues get area:<name>, its epics go into it)' }),
		formMsg,
		h('div', { class: 'gh-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'gh-add' }, 'Add repository')));
	const errs = formErrors(addForm, formMsg);
	addForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		errs.clear();
		const generated = secret.value ? null : generateSecret();
		const body = { full_name: fullName.value.trim(), secret: secret.value || generated };
		if (token.value) body.token = token.value;
		if (area.value) body.area = Number(area.value);
		try {
			const r = await api.githubAddRepo(body);
			addForm.reset();
			replace(secretSlot, generated ? secretBox({
				title: `Webhook secret of ${r.full_name}`, secret: generated, testid: 'gh-secret-box', what: 'Secret',
				warning: 'paste it into the repository\'s webhook on GitHub (payload URL: this server + /hooks/github, content type application/json). It is not shown again.',
				onDone: () => replace(secretSlot),
			}).box : null);
			toast(`${r.full_name} connected`);
			await loadRepos();
		} catch (err) {
			if (err.status === 401) return;
			errs.show(err.field, err.message);
		}
	});

	replace(ctx.root, h('section', { class: 'page acct-page gh-page', 'data-testid': 'gh-page' },
		h('div', { class: 'page-head acct-head' }, h('h1', null, 'GitHub'), accountTabs(ctx.user, 'github')),
		h('p', { class: 'muted acct-lead' }, 'Repositories whose issues come into Cairn by signed webhooks, and where Cairn writes its decisions back.'),
		msg,
		h('section', { 'aria-labelledby': 'gh-repos-h' }, h('h2', { id: 'gh-repos-h' }, 'Repositories'), reposBox, secretSlot, addForm),
		h('section', { 'aria-labelledby': 'gh-logins-h' }, h('h2', { id: 'gh-logins-h' }, 'GitHub logins'), loginsBox),
		h('section', { 'aria-labelledby': 'gh-del-h' }, h('h2', { id: 'gh-del-h' }, 'Webhook deliveries'), deliveriesBox),
		h('section', { 'aria-labelledby': 'gh-out-h' }, h('h2', { id: 'gh-out-h' }, 'Calls to GitHub'), outboxBox)));

	async function guarded(fn) {
		try {
			await fn();
		} catch (err) {
			if (err.status === 401 || !ctx.alive()) return;
			replace(msg, notice('error', err.message));
		}
	}

	async function replaceSecret(r, field) {
		const value = window.prompt(`New ${field} for ${r.full_name} (it is not shown again)`);
		if (!value) return;
		await guarded(async () => {
			await api.githubUpdateRepo(r.id, { [field]: value });
			toast(`${field === 'secret' ? 'Secret' : 'Token'} of ${r.full_name} replaced`);
			await loadRepos();
		});
	}

	async function loadRepos() {
		const repos = await api.githubRepos();
		if (!ctx.alive()) return;
		const set = (yes) => h('span', { class: yes ? 'gh-chip gh-chip-ok' : 'gh-chip' }, yes ? 'set' : 'not set');
		replace(reposBox, repos.length ? h('table', { class: 'acct-audit gh-table' },
			h('thead', null, h('tr', null, ['Repository', 'Maps to', 'Secret', 'Token', 'Added', ''].map((t) => h('th', { scope: 'col' }, t)))),
			h('tbody', null, repos.map((r) => h('tr', { 'data-testid': 'gh-repo-row', dataset: { repo: r.full_name } },
				h('td', null, h('a', { href: `https://github.com/${r.full_name}`, rel: 'noopener noreferrer', target: '_blank', class: 'mono' }, r.full_name)),
				h('td', null, (() => {
					const sel = areaSelect(r.area ? r.area.id : null, { 'aria-label': `What ${r.full_name} maps to`, 'data-testid': 'gh-repo-area' });
					sel.addEventListener('change', () => guarded(async () => {
						await api.githubUpdateRepo(r.id, { area: sel.value ? Number(sel.value) : null });
						toast(`${r.full_name} now maps to ${sel.value ? sel.selectedOptions[0].textContent : 'the whole product'}`);
					}));
					return sel;
				})()),
				h('td', { 'data-testid': 'gh-has-secret' }, set(r.has_secret), ' ',
					h('button', { type: 'button', class: 'link-btn', onclick: () => replaceSecret(r, 'secret') }, 'Replace')),
				h('td', { 'data-testid': 'gh-has-token' }, set(r.has_token), ' ',
					h('button', { type: 'button', class: 'link-btn', onclick: () => replaceSecret(r, 'token') }, r.has_token ? 'Replace' : 'Set')),
				h('td', null, timeEl(h, r.created_at, 'rel')),
				h('td', null, h('button', {
					type: 'button', class: 'btn btn-sm btn-danger', 'data-testid': 'gh-remove',
					onclick: () => window.confirm(`Stop listening to ${r.full_name}? Its issues stay in Cairn.`) &&
						guarded(async () => { await api.githubDeleteRepo(r.id); await loadRepos(); }),
				}, 'Remove')))))) : h('p', { class: 'muted', 'data-testid': 'gh-no-repos' }, 'No repository yet.'));
	}

	async function loadLogins() {
		const logins = await api.githubLogins();
		if (!ctx.alive()) return;
		const gh = h('input', { type: 'text', placeholder: 'GitHub login', 'aria-label': 'GitHub login', 'data-testid': 'gh-login-github' });
		const user = h('input', { type: 'text', placeholder: 'Cairn user', 'aria-label': 'Cairn user', 'data-testid': 'gh-login-user' });
		const form = h('form', { class: 'gh-inline' }, gh, ' → ', user, ' ', h('button', { type: 'submit', class: 'btn btn-sm' }, 'Map'));
		form.addEventListener('submit', (ev) => {
			ev.preventDefault();
			guarded(async () => { await api.githubSetLogin(gh.value.trim(), user.value.trim()); await loadLogins(); });
		});
		replace(loginsBox,
			logins.length ? h('ul', { class: 'gh-logins' }, logins.map((l) => h('li', { 'data-testid': 'gh-login-row' },
				h('span', { class: 'mono' }, l.github), ' → ', h('strong', null, l.user), ' ',
				h('button', { type: 'button', class: 'link-btn', onclick: () => guarded(async () => { await api.githubSetLogin(l.github, null); await loadLogins(); }) }, 'Remove'))))
				: h('p', { class: 'muted' }, 'No login mapped: assignees on GitHub are kept as text.'),
			form);
	}

	async function loadDeliveries() {
		const items = await api.githubDeliveries(50);
		if (!ctx.alive()) return;
		replace(deliveriesBox, items.length ? h('table', { class: 'acct-audit gh-table' },
			h('thead', null, h('tr', null, ['When', 'Event', 'Repository', 'Result', ''].map((t) => h('th', { scope: 'col' }, t)))),
			h('tbody', null, items.map((d) => h('tr', { 'data-testid': 'gh-delivery-row' },
				h('td', null, timeEl(h, d.received_at, 'daytime')),
				h('td', { class: 'mono' }, d.action ? `${d.event}.${d.action}` : d.event),
				h('td', { class: 'mono' }, d.repository),
				h('td', null, h('span', { class: `gh-chip gh-chip-${RESULT_TONE[d.result] || 'muted'}`, 'data-testid': 'gh-delivery-result' }, d.result),
					d.message ? h('span', { class: 'muted' }, ` ${d.message}`) : null,
					d.attempts > 1 ? h('span', { class: 'muted' }, ` (${d.attempts} runs)`) : null),
				h('td', null, h('button', {
					type: 'button', class: 'btn btn-sm', 'data-testid': 'gh-reprocess',
					onclick: () => guarded(async () => { const r = await api.githubReprocess(d.id); toast(`Re-processed: ${r.result}`); await loadDeliveries(); }),
				}, 'Re-process')))))) : h('p', { class: 'muted' }, 'No delivery yet.'));
	}

	async function loadOutbox() {
		const items = await api.githubOutbox(50);
		if (!ctx.alive()) return;
		replace(outboxBox, items.length ? h('table', { class: 'acct-audit gh-table' },
			h('thead', null, h('tr', null, ['Updated', 'Call', 'State', 'Attempts', 'Last answer'].map((t) => h('th', { scope: 'col' }, t)))),
			h('tbody', null, items.map((c) => h('tr', { 'data-testid': 'gh-call-row' },
				h('td', null, timeEl(h, c.updated_at, 'daytime')),
				h('td', { class: 'mono' }, `${c.method} ${c.path}`),
				h('td', null, h('span', { class: `gh-chip gh-chip-${c.state === 'failed' ? 'warn' : c.state === 'done' ? 'ok' : 'muted'}` }, c.state)),
				h('td', null, String(c.attempts)),
				h('td', { class: 'muted' }, c.error || (c.status ? String(c.status) : '—')))))) : h('p', { class: 'muted' }, 'Nothing sent yet (a repository needs a token).'));
	}

	async function loadAreas() {
		try {
			const pillars = await api.listPillars();
			areas = [];
			for (const p of pillars) for (const a of p.areas || []) areas.push({ id: a.id, name: a.name, pillar: p.name });
		} catch (_) {
			areas = [];
		}
		replace(area, h('option', { value: '' }, 'The whole product'),
			areas.map((a) => h('option', { value: String(a.id) }, `${a.pillar} › ${a.name}`)));
	}

	await guarded(async () => {
		await loadAreas();
		await Promise.all([loadRepos(), loadLogins(), loadDeliveries(), loadOutbox()]);
	});
}
