// poker.js — planning poker: estimation sessions (docs/API.md, "Estimation
// sessions: planning poker", issue #13).
//
//   /estimation/sessions      the sessions, open ones first, then closed:
//                             title, facilitator, mode (async: when voting
//                             closes), items estimated of total; "New
//                             session" (EMs, CTOs, PMs, admins) opens the
//                             form: title, issue numbers, live/async (+ when
//                             voting closes), dev/PM stage, participants. A
//                             422 is shown under the field it names.
//   /estimation/sessions/{n}  one session: per issue its sizes and round; the
//                             cards XS … XXL ? for voters (aria-pressed: my
//                             vote); who voted so far (never what); once
//                             revealed the votes, the stats (median, spread,
//                             outliers, consensus) and the earlier rounds
//                             (collapsed); for the facilitator Make current
//                             (live), Reveal, New round, the final size; for
//                             a CTO the same picker as "Override"; the final
//                             size with who set it (a CTO badge). Closed
//                             sessions are read-only, and so is voting after
//                             an async session's deadline.
//
// Live: the session page listens to GET /api/v1/events?topic=estimation/{n}
// (server-sent events); on any estimation.* event, and on `reset`, it reloads
// the session and paints it again, keeping the focused control, the open
// <details> and the scroll position.  The stream is closed when the page is
// left (ctx.onCleanup).  A small indicator says Live / Reconnecting….
//
// The calls live here rather than in api.js (kept to this file while the
// feature was built); they follow api.js's request(): same-origin cookie,
// the CSRF header on writes, ApiError with status, code, message and field.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { SIZES, roleLabel, timeEl, fullTime, sizeLetter } from './fmt.js?v={{v}}';
import { typeBadge, person, avatar, notice, spinner, toast, can } from './ui.js?v={{v}}';
import { estimationTabs } from './estimation.js?v={{v}}';

/* ---------- API ---------- */

const BASE = '/api/v1';
let csrfToken = null;

async function csrf() {
	try {
		const t = sessionStorage.getItem('cairn.csrf');
		if (t) return t;
	} catch (_) { /* storage may be disabled */ }
	if (csrfToken) return csrfToken;
	try {
		const res = await fetch(`${BASE}/session`, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
		if (res.ok) {
			const data = await res.json();
			csrfToken = data && data.csrf ? data.csrf : null;
		}
	} catch (_) { /* the write will say what went wrong */ }
	return csrfToken;
}

async function call(method, path, body) {
	const headers = { Accept: 'application/json' };
	const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	if (method !== 'GET') {
		const t = await csrf();
		if (t) headers['X-CSRF-Token'] = t;
	}
	let res;
	try {
		res = await fetch(BASE + path, init);
	} catch (_) {
		throw new api.ApiError(0, 'network', 'Cannot reach the Cairn server. Check your connection and try again.');
	}
	let data = null;
	if (res.status !== 204) {
		const text = await res.text();
		if (text) {
			try { data = JSON.parse(text); } catch (_) { data = null; }
		}
	}
	if (!res.ok) {
		const e = (data && data.error) || {};
		const msg = e.message || (res.status === 403 ? 'You are not allowed to do this.'
			: res.status === 404 ? 'Not found.' : res.status >= 500 ? `The server failed (HTTP ${res.status}).` : `Request failed (HTTP ${res.status}).`);
		const err = new api.ApiError(res.status, e.code, msg, e.field, res.headers);
		// Signed out: any api.js call reports the 401 to the app, which shows
		// the login page (and comes back here afterwards).
		if (res.status === 401) api.listUsers().catch(() => {});
		throw err;
	}
	return data;
}

const sessionPath = (n) => `/estimation/sessions/${encodeURIComponent(n)}`;

async function listSessions(status) {
	const data = await call('GET', `/estimation/sessions?status=${encodeURIComponent(status)}`);
	return (data && data.sessions) || [];
}
const getSession = (n) => call('GET', sessionPath(n));
const createSession = (fields) => call('POST', '/estimation/sessions', fields);
const setCurrent = (n, issue) => call('PATCH', sessionPath(n), { current: issue });
const closeSession = (n) => call('POST', `${sessionPath(n)}/close`, {});
const itemPath = (n, m) => `${sessionPath(n)}/items/${encodeURIComponent(m)}`;
const vote = (n, m, size) => call('POST', `${itemPath(n, m)}/vote`, { size });
const reveal = (n, m) => call('POST', `${itemPath(n, m)}/reveal`, {});
const revote = (n, m) => call('POST', `${itemPath(n, m)}/revote`, {});
const setFinal = (n, m, size) => call('POST', `${itemPath(n, m)}/final`, { size });

/* ---------- shared ---------- */

const LETTERS = SIZES.map(([l]) => l);          // XS S M L XL XXL
const CARDS = [...LETTERS, '?'];
const SIZE_INFO = Object.fromEntries(SIZES.map(([l, n, days]) => [l, `${l}: ${n} point${n === 1 ? '' : 's'}, ${days}`]));

/* EMs, CTOs, PMs and admins run sessions. */
export function canFacilitate(user) {
	return can(user, 'estimation.facilitate');
}

function plural(n, one, many = `${one}s`) {
	return `${n} ${n === 1 ? one : many}`;
}

function sessionHref(id) { return `/estimation/sessions/${id}`; }

/* A size from the wire: a letter, or points (the issue API's numbers). */
function sizeName(v) {
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'number' || /^\d+$/.test(String(v))) return sizeLetter(Number(v)) || `${v} pt`;
	return String(v);
}

function sizeTag(v, { testid, cls = '' } = {}) {
	const s = sizeName(v);
	if (!s) return h('span', { class: 'muted', 'data-testid': testid || null }, '—');
	return h('span', { class: `size${cls ? ` ${cls}` : ''}`, title: SIZE_INFO[s] || null, 'data-testid': testid || null }, s);
}

function modeLabel(mode) { return mode === 'async' ? 'Async' : 'Live'; }
function stageLabel(stage) { return stage === 'pm' ? 'PM sizes' : 'Dev sizes'; }

function modeChip(s, { long = false } = {}) {
	return h('span', {
		class: `pk-mode pk-mode-${s.mode === 'async' ? 'async' : 'live'}`, 'data-testid': 'session-mode',
		title: s.mode === 'async' ? 'Everyone votes in their own time until the deadline' : 'Together, now: the facilitator leads issue by issue',
	}, modeLabel(s.mode), long ? ' session' : null);
}

function statusChip(s) {
	const closed = s.status === 'closed';
	const ended = !closed && s.voting_open === false;
	const key = closed ? 'closed' : ended ? 'ended' : 'open';
	return h('span', { class: `pk-status pk-status-${key}`, 'data-testid': 'session-status' },
		h('span', { class: 'pk-status-dot', 'aria-hidden': 'true' }), closed ? 'Closed' : ended ? 'Voting over' : 'Open');
}

/* The CTO's mark on a final size. */
function ctoBadge() {
	return h('span', { class: 'pk-cto', title: 'Set by the CTO: only the CTO may change it', 'data-testid': 'final-cto' }, 'CTO');
}

/* ---------- /estimation/sessions ---------- */

export async function renderSessions(ctx) {
	ctx.setTitle('Estimation sessions');
	const mayCreate = canFacilitate(ctx.user);
	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'sessions-count' });
	const msg = h('div', { class: 'list-msg' });
	const lists = h('div', { class: 'pk-lists' }, spinner());
	const formBox = h('div', { class: 'pk-form-box', hidden: true });
	let formOpen = false;
	const newBtn = mayCreate ? h('button', {
		type: 'button', class: 'btn btn-primary btn-sm', 'aria-expanded': 'false', 'data-testid': 'new-session',
	}, 'New session') : null;

	function openForm(open) {
		formOpen = open;
		if (newBtn) newBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
		formBox.hidden = !open;
		if (open) {
			replace(formBox, sessionForm(ctx, {
				onSaved: (s) => { toast('Session started'); ctx.navigate(sessionHref(s.id)); },
				onCancel: () => { openForm(false); if (newBtn) newBtn.focus(); },
			}));
		} else {
			replace(formBox);
		}
	}
	if (newBtn) newBtn.addEventListener('click', () => openForm(!formOpen));

	replace(ctx.root, h('section', { class: 'page page-wide pk-page pk-list-page' },
		h('div', { class: 'page-head pk-head' },
			h('h1', null, 'Estimation sessions'), estimationTabs('sessions'), count,
			h('div', { class: 'page-head-spacer' }),
			newBtn),
		h('p', { class: 'muted pk-lead' }, 'Planning poker: everyone picks a card in secret, the facilitator reveals them together, the team talks about the spread and settles the size.'),
		formBox, msg, lists));

	if (mayCreate && ctx.query.get('new') === '1') openForm(true);

	let open;
	let closed;
	try {
		[open, closed] = await Promise.all([listSessions('open'), listSessions('closed')]);
	} catch (err) {
		if (!ctx.alive() || err.status === 401) return;
		replace(msg, notice('error', `The sessions could not be loaded: ${err.message}`));
		replace(lists);
		return;
	}
	if (!ctx.alive()) return;
	replace(count, plural(open.length + closed.length, 'session'));
	if (!open.length && !closed.length) {
		replace(lists, h('div', { class: 'results empty', 'data-testid': 'sessions-empty' },
			h('p', { class: 'empty-title' }, 'No estimation sessions yet'),
			h('p', { class: 'muted' }, mayCreate
				? ['Start one with ', h('strong', null, 'New session'), ': pick the issues, invite the people, and size them together.']
				: 'An EM, the CTO or a PM starts a session and invites you to size the issues together.')));
		return;
	}
	const section = (key, title, items, empty) => h('section', { class: 'pk-section', 'aria-labelledby': `pk-${key}-h`, 'data-testid': `sessions-${key}` },
		h('div', { class: 'section-head' }, h('h2', { id: `pk-${key}-h` }, title), h('span', { class: 'muted' }, String(items.length))),
		items.length
			? h('ul', { class: 'results pk-rows', 'aria-labelledby': `pk-${key}-h` }, items.map(sessionRow))
			: h('p', { class: 'muted pk-none' }, empty));
	replace(lists,
		section('open', 'Open', open, 'No open session.'),
		closed.length ? section('closed', 'Closed', closed, '') : null);
}

function sessionRow(s) {
	const total = Array.isArray(s.items) ? s.items.length : Number(s.items) || 0;
	const done = Number(s.estimated) || 0;
	const bar = h('span', { class: 'pk-prog', 'aria-hidden': 'true' }, h('span', { class: 'pk-prog-fill' }));
	bar.firstChild.style.width = `${total ? Math.round((done / total) * 100) : 0}%`;
	const when = s.mode === 'async'
		? (s.status === 'closed' || s.voting_open === false
			? h('span', { class: 'muted' }, 'voting closed ', timeEl(h, s.closes_at, 'daytime'))
			: h('span', null, 'closes ', timeEl(h, s.closes_at, 'daytime')))
		: h('span', { class: 'muted' }, 'started ', timeEl(h, s.created_at, 'daytime'));
	return h('li', { class: `pk-row pk-row-${s.status === 'closed' ? 'closed' : 'open'}`, dataset: { id: String(s.id) }, 'data-testid': 'session-row' },
		h('div', { class: 'pk-row-title' },
			h('a', { href: sessionHref(s.id), class: 'row-link', 'data-testid': 'session-link' }, s.title),
			h('span', { class: 'pk-row-sub muted' }, `#${s.id} · ${stageLabel(s.stage)}`)),
		h('span', { class: 'pk-row-cell pk-row-fac' }, h('span', { class: 'pk-k' }, 'Facilitator '), person(s.facilitator)),
		h('span', { class: 'pk-row-cell pk-row-mode' }, modeChip(s), h('span', { class: 'pk-row-when', 'data-testid': 'session-when' }, when)),
		h('span', { class: 'pk-row-cell pk-row-est', title: `${done} of ${total} issues have a final size` },
			bar, h('span', { class: 'pk-row-est-text', 'data-testid': 'session-estimated' }, `${done}/${total}`), h('span', { class: 'muted' }, ' estimated')),
		h('span', { class: 'pk-row-cell pk-row-status' }, statusChip(s)));
}

/* ---------- the new-session form ---------- */

/* "12, #95 7" -> {numbers, bad}: bad is the first word that is not a number. */
function parseNumbers(text) {
	const numbers = [];
	for (const raw of String(text || '').split(/[\s,;]+/)) {
		const w = raw.trim().replace(/^#/, '');
		if (!w) continue;
		if (!/^\d+$/.test(w)) return { numbers, bad: raw.trim() };
		numbers.push(Number(w));
	}
	return { numbers, bad: null };
}

/* A datetime-local value (the browser's time) for an instant. */
function localInput(ms) {
	const d = new Date(ms);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/* A labelled field with room for its error right under the control. */
function errField(labelText, control, { hint, wide } = {}) {
	if (!control.id) control.id = uid('f');
	const err = h('span', { class: 'field-error', id: `${control.id}-err`, 'data-testid': `error-${control.name || control.dataset.name}` });
	const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
	control.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, err.id].filter(Boolean).join(' '));
	const row = h('div', { class: `field${wide ? ' field-wide' : ''}`, dataset: { field: control.name || control.dataset.name } },
		h('label', { for: control.id }, labelText), control, err, hintEl);
	return row;
}

function sessionForm(ctx, { onSaved, onCancel }) {
	const title = h('input', { name: 'title', type: 'text', required: true, maxlength: 256, autocomplete: 'off', placeholder: 'e.g. Sizing for 2.32', 'data-testid': 'session-title' });
	const issues = h('input', {
		name: 'issues', type: 'text', autocomplete: 'off', spellcheck: 'false', inputmode: 'numeric',
		placeholder: 'e.g. 12, 14, 31', 'data-testid': 'session-issues',
	});
	const radio = (value, text, hint) => {
		const r = h('input', { type: 'radio', name: 'mode', value, id: uid('mode'), checked: value === 'live', 'data-testid': `mode-${value}` });
		return h('label', { class: 'pk-radio', for: r.id }, r, h('span', null, h('strong', null, text), h('span', { class: 'muted' }, ` — ${hint}`)));
	};
	const modeErr = h('span', { class: 'field-error', id: uid('mode-err'), 'data-testid': 'error-mode' });
	const modeSet = h('fieldset', { class: 'pk-modes', 'data-field': 'mode', 'aria-describedby': modeErr.id },
		h('legend', null, 'Mode'),
		radio('live', 'Live', 'together, now: the facilitator leads issue by issue'),
		radio('async', 'Async', 'everyone votes in their own time until a deadline'),
		modeErr);
	const closes = h('input', { name: 'closes_at', type: 'datetime-local', value: localInput(Date.now() + 86400000), 'data-testid': 'session-closes' });
	const closesRow = errField('Voting closes', closes, { hint: 'Your local time; within 30 days' });
	closesRow.hidden = true;
	// The final size is written with the facilitator's own rights: a PM's
	// session sets the PM size, an EM's the (dev) size; a CTO or an admin
	// chooses (docs/API.md).
	const stages = ['dev', 'pm'].filter(s => can(ctx.user, s === 'dev' ? 'issue.size' : 'issue.pm_size'));
	const STAGE_TEXT = { dev: 'Dev — sets the size (EM estimate)', pm: 'PM — sets the PM size' };
	const stage = h('select', { name: 'stage', 'data-testid': 'session-stage', disabled: stages.length === 1 },
		stages.map(v => h('option', { value: v }, STAGE_TEXT[v])));

	/* participants: chips and a select to add one (everyone but viewers) */
	const chosen = [];
	let users = [];
	const chips = h('ul', { class: 'pk-people-chips', 'aria-label': 'Participants chosen', 'data-testid': 'participants-chosen' });
	const pick = h('select', { name: 'participants', 'data-testid': 'session-participants' });
	function paintPeople() {
		replace(pick, h('option', { value: '' }, chosen.length ? 'Add someone…' : 'Everyone may vote — or choose…'),
			users.filter(u => u.role !== 'viewer' && !chosen.includes(u.login)).map(u => h('option', { value: u.login },
				`${u.login}${u.name && u.name !== u.login ? ` — ${u.name}` : ''} (${roleLabel(u.role)})`)));
		pick.value = '';
		replace(chips, chosen.length ? chosen.map(login => h('li', { class: 'pk-person-chip', dataset: { login }, 'data-testid': 'participant-chip' },
			avatar(login), h('span', null, login),
			h('button', {
				type: 'button', class: 'pk-chip-x', 'aria-label': `Remove ${login}`, title: `Remove ${login}`,
				onclick: () => { chosen.splice(chosen.indexOf(login), 1); paintPeople(); pick.focus(); },
			}, '×'))) : h('li', { class: 'muted pk-people-none' }, 'Everyone but viewers'));
	}
	pick.addEventListener('change', () => {
		if (pick.value && !chosen.includes(pick.value)) chosen.push(pick.value);
		paintPeople();
		pick.focus();
	});
	paintPeople();
	api.listUsers().then((list) => { users = list || []; paintPeople(); }).catch(() => {});

	const fmsg = h('div', { class: 'form-msg' });
	const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'session-save' }, 'Start session');
	const titleRow = errField('Title', title, { wide: true });
	const issuesRow = errField('Issues', issues, { wide: true, hint: 'Issue numbers, comma separated (up to 50)' });
	const stageRow = errField('Stage', stage, {
		hint: stages.length > 1 ? 'Which size the final estimate writes'
			: stages[0] === 'pm' ? 'A PM’s session sets the PM size' : 'An EM’s session sets the size; a PM size comes from a PM',
	});
	const peopleRow = errField('Participants', pick, { hint: 'Optional: only they vote (and you, the facilitator)' });
	peopleRow.insertBefore(chips, pick);
	const form = h('form', { class: 'issue-form edit-form pk-form', novalidate: true, 'aria-label': 'New estimation session', 'data-testid': 'session-form' },
		h('h2', null, 'New estimation session'),
		titleRow, issuesRow,
		h('div', { class: 'pk-form-grid' }, modeSet, h('div', { class: 'pk-form-col' }, closesRow, stageRow)),
		peopleRow,
		fmsg,
		h('div', { class: 'form-actions' }, save,
			h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => onCancel() }, 'Cancel')));

	const mode = () => (form.querySelector('input[name=mode]:checked') || {}).value || 'live';
	form.addEventListener('change', (ev) => {
		if (ev.target && ev.target.name === 'mode') closesRow.hidden = mode() !== 'async';
	});
	form.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') { ev.preventDefault(); onCancel(); }
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
	});

	function clearErrors() {
		replace(fmsg);
		for (const el of form.querySelectorAll('.field-error')) replace(el);
		for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	}
	/* The message under the field the server named (issues[2] -> issues);
	 * a field without a place here: above the buttons. */
	function fail(fieldName, message) {
		const name = String(fieldName || '').replace(/[[.].*$/, '');
		const box = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
		const err = box && box.querySelector('.field-error');
		if (!box || !err || box.hidden) {
			replace(fmsg, notice('error', message));
			return;
		}
		replace(err, message);
		const control = box.matches('fieldset') ? box.querySelector('input:checked') || box.querySelector('input') : box.querySelector('input, select, textarea');
		if (control) {
			if (!box.matches('fieldset')) control.setAttribute('aria-invalid', 'true');
			control.focus();
		}
	}

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors();
		const t = title.value.trim();
		if (!t) { fail('title', 'A title is required.'); return; }
		const iss = parseNumbers(issues.value);
		if (iss.bad) { fail('issues', `“${iss.bad}” is not an issue number.`); return; }
		if (!iss.numbers.length) { fail('issues', 'Name at least one issue by its number.'); return; }
		const fields = { title: t, issues: iss.numbers, mode: mode(), stage: stage.value };
		if (chosen.length) fields.participants = [...chosen];
		if (fields.mode === 'async' && closes.value) {
			const at = new Date(closes.value);
			if (Number.isNaN(at.getTime())) { fail('closes_at', 'Choose a date and time.'); return; }
			fields.closes_at = at.toISOString().replace(/\.\d+Z$/, 'Z');
		}
		save.disabled = true;
		save.textContent = 'Starting…';
		try {
			const s = await createSession(fields);
			if (!ctx.alive()) return;
			onSaved(s);
		} catch (err) {
			if (!ctx.alive()) return;
			save.disabled = false;
			save.textContent = 'Start session';
			if (err.status === 401) return;
			fail(err.field, err.message);
		}
	});
	setTimeout(() => { if (form.isConnected) title.focus(); }, 0);
	return form;
}

/* ---------- /estimation/sessions/{n} ---------- */

const EVENTS = ['estimation.created', 'estimation.vote', 'estimation.reveal', 'estimation.revote',
	'estimation.final', 'estimation.current', 'estimation.closed', 'reset'];

export async function renderSession(ctx) {
	const id = ctx.params.id;
	ctx.setTitle(`Estimation session #${id}`);
	const crumbs = () => h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
		h('a', { href: '/estimation' }, 'Estimation'), h('span', { 'aria-hidden': 'true' }, ' / '),
		h('a', { href: '/estimation/sessions', 'data-testid': 'back-to-sessions' }, 'Sessions'), h('span', { 'aria-hidden': 'true' }, ' / '),
		h('span', null, `#${id}`));
	replace(ctx.root, h('section', { class: 'page pk-page' }, crumbs(), spinner()));

	let s;
	try {
		s = await getSession(id);
	} catch (err) {
		if (!ctx.alive() || err.status === 401) return;
		if (err.status === 404) {
			ctx.setTitle('Not found');
			replace(ctx.root, h('section', { class: 'page page-narrow empty-page' },
				h('h1', null, 'Session not found'),
				h('p', { class: 'muted' }, `There is no estimation session #${id}, or you may not see it.`),
				h('p', null, h('a', { href: '/estimation/sessions', class: 'btn' }, 'All sessions'))));
			return;
		}
		throw err;
	}
	if (!ctx.alive()) return;

	const user = ctx.user || {};
	const isCto = can(user, 'estimation.override');
	let busy = false;      // a write of ours in flight
	let lastJson = '';
	let lastCurrent = s.current;

	/* the connection indicator: kept across paints */
	const connText = h('span', { class: 'pk-conn-text' }, 'Connecting…');
	const conn = h('span', { class: 'pk-conn', role: 'status', 'data-testid': 'conn', dataset: { state: 'connecting' }, title: 'Updates from the others arrive as they happen' },
		h('span', { class: 'pk-conn-dot', 'aria-hidden': 'true' }), connText);
	function setConn(state) {
		conn.dataset.state = state;
		connText.textContent = state === 'live' ? 'Live' : state === 'reconnecting' ? 'Reconnecting…' : state === 'offline' ? 'Offline' : 'Connecting…';
	}

	const msg = h('div', { class: 'page-msg pk-msg' });
	const page = h('section', { class: 'page pk-page pk-session-page', dataset: { id: String(id) } });
	replace(ctx.root, page);

	function say(kind, text) {
		replace(msg, notice(kind, text, h('button', { type: 'button', class: 'btn btn-sm btn-ghost', onclick: () => replace(msg) }, 'Dismiss')));
	}

	/* A write: the answer is the session; paint it. */
	async function act(fn, done) {
		if (busy) return;
		busy = true;
		page.setAttribute('aria-busy', 'true');
		try {
			const next = await fn();
			if (!ctx.alive()) return;
			replace(msg);
			if (next && typeof next === 'object' && next.items) paint(next);
			else await refresh();
			if (done) done();
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			say(err.status === 409 || err.status === 403 ? 'warn' : 'error', err.message);
			refresh();
		} finally {
			busy = false;
			page.removeAttribute('aria-busy');
		}
	}

	/* ---- one item ---- */

	function cardsRow(s, it) {
		const mine = it.my_vote || null;
		return h('div', { class: 'pk-cards', role: 'group', 'aria-label': `Your vote for #${it.issue}`, 'data-testid': 'cards' },
			CARDS.map((c) => h('button', {
				type: 'button', class: `pk-card${c === '?' ? ' pk-card-unsure' : ''}${mine === c ? ' on' : ''}`,
				'aria-pressed': mine === c ? 'true' : 'false',
				'aria-label': c === '?' ? 'Not sure (?)' : c,
				title: c === '?' ? 'Not sure: counted apart from the sizes' : SIZE_INFO[c],
				dataset: { key: `vote-${it.issue}-${c}`, item: String(it.issue), size: c },
				'data-testid': 'card',
				onclick: () => act(() => vote(s.id, it.issue, c)),
			}, c)));
	}

	function voterChips(s, it) {
		const voters = it.voters || [];
		const everyone = (s.participants && s.participants.length) ? s.participants : [];
		const waiting = everyone.filter(l => !voters.includes(l));
		const total = everyone.length ? new Set([...everyone, ...voters]).size : null;
		return h('div', { class: 'pk-voters', 'data-testid': 'voters' },
			h('span', { class: 'pk-k', 'aria-live': 'polite', 'data-testid': 'voted-count' },
				total ? `${voters.length} of ${total} voted` : voters.length ? plural(voters.length, 'vote') : 'No votes yet'),
			h('ul', { class: 'pk-chips', 'aria-label': 'Who voted' },
				voters.map(login => h('li', { class: 'pk-chip pk-chip-voted', dataset: { login }, 'data-testid': 'voter', title: `${login} voted` },
					avatar(login), h('span', { class: 'pk-chip-login' }, login),
					h('span', { class: 'pk-chip-mark' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'voted'))),
				waiting.map(login => h('li', { class: 'pk-chip pk-chip-waiting', dataset: { login }, 'data-testid': 'waiting', title: `${login} has not voted yet` },
					avatar(login), h('span', { class: 'pk-chip-login' }, login), h('span', { class: 'pk-chip-mark muted' }, 'thinking…')))));
	}

	function statsLine(st, { testid = 'stats' } = {}) {
		if (!st) return null;
		const range = st.min && st.max ? (st.min === st.max ? st.min : `${st.min}–${st.max}`) : '—';
		return h('dl', { class: 'pk-stats', 'data-testid': testid },
			h('div', null, h('dt', null, 'Median'), h('dd', null, sizeTag(st.median, { testid: 'stat-median', cls: 'size-lg' }))),
			h('div', null, h('dt', null, 'Range'), h('dd', { 'data-testid': 'stat-range' }, range)),
			h('div', null, h('dt', null, 'Spread'), h('dd', { 'data-testid': 'stat-spread', title: 'Steps between the smallest and the largest vote on XS S M L XL XXL' },
				st.spread === null || st.spread === undefined ? '—' : plural(Number(st.spread), 'step'))),
			h('div', null, h('dt', null, 'Votes'), h('dd', { 'data-testid': 'stat-count' }, String(Number(st.count) || 0),
				Number(st.unsure) ? h('span', { class: 'muted' }, ` + ${st.unsure} unsure`) : null)),
			h('div', { class: 'pk-consensus-cell' }, h('dt', { class: 'sr-only' }, 'Consensus'), h('dd', null,
				st.consensus
					? h('span', { class: 'pk-consensus on', 'data-testid': 'consensus' }, h('span', { 'aria-hidden': 'true' }, '✓'), 'Consensus')
					: h('span', { class: 'pk-consensus', 'data-testid': 'consensus' }, 'No consensus'))));
	}

	function votesList(votes, st) {
		const out = new Set((st && st.outliers) || []);
		return h('ul', { class: 'pk-votes', 'aria-label': 'Votes' },
			(votes || []).map(v => h('li', {
				class: `pk-vote${out.has(v.voter) ? ' outlier' : ''}${v.size === '?' ? ' unsure' : ''}`, dataset: { login: v.voter },
				'data-testid': 'vote', title: out.has(v.voter) ? `${v.voter}: two or more steps from the median — worth hearing why` : null,
			},
			h('span', { class: 'pk-vote-card', 'data-testid': 'vote-size' }, v.size),
			h('span', { class: 'pk-vote-who' }, avatar(v.voter), h('span', null, v.voter)),
			out.has(v.voter) ? h('span', { class: 'pk-outlier-tag', 'data-testid': 'outlier' }, 'outlier') : null)));
	}

	function earlierRounds(it) {
		const rounds = (it.rounds || []).filter(r => r.round !== it.round || !it.revealed);
		if (!rounds.length) return null;
		return h('details', { class: 'pk-rounds', dataset: { key: `rounds-${it.issue}` }, 'data-testid': 'earlier-rounds' },
			h('summary', null, `Earlier rounds (${rounds.length})`),
			h('ol', { class: 'pk-round-list' }, [...rounds].reverse().map(r => h('li', { class: 'pk-round', 'data-testid': 'round', dataset: { round: String(r.round) } },
				h('h4', null, `Round ${r.round}`),
				votesList(r.votes, r.stats),
				statsLine(r.stats, { testid: 'round-stats' })))));
	}

	function finalLine(it) {
		const f = it.final;
		if (!f) return null;
		return h('p', { class: `pk-final${f.cto ? ' by-cto' : ''}`, 'data-testid': 'final' },
			h('span', { class: 'pk-k' }, 'Final size '),
			sizeTag(f.size, { testid: 'final-size', cls: 'size-lg' }),
			h('span', { class: 'pk-final-by' }, ' set by ', person(f.by), f.cto ? ctoBadge() : null),
			f.at ? h('span', { class: 'muted' }, ' · ', timeEl(h, f.at, 'rel')) : null);
	}

	/* The facilitator's final size, or the CTO's override. */
	function finalPicker(s, it) {
		const facilitator = !!s.can_facilitate;
		if (s.status === 'closed') return null;
		if (!facilitator && !isCto) return null;
		const hadReveal = it.revealed || (it.rounds && it.rounds.length) || it.final;
		if (!hadReveal) return null;
		const f = it.final;
		if (f && f.cto && !isCto) {
			return h('p', { class: 'pk-locked muted', 'data-testid': 'final-locked' }, 'The CTO set the final size; the CTO’s word stands.');
		}
		const override = isCto && !facilitator;
		const median = it.revealed && it.stats ? it.stats.median : null;
		const label = override ? (f ? 'Override the final size' : 'Set the final size (CTO)') : (f ? 'Change the final size' : 'Final size');
		const gid = uid('final');
		return h('div', { class: `pk-final-pick${override ? ' pk-override' : ''}`, 'data-testid': override ? 'override' : 'final-picker' },
			h('span', { class: 'pk-k', id: gid }, override ? h('strong', null, 'Override') : null, override ? ' ' : null, override ? h('span', { class: 'muted' }, 'as the CTO') : label),
			h('div', { class: 'pk-final-sizes', role: 'group', 'aria-labelledby': gid },
				LETTERS.map(l => h('button', {
					type: 'button', class: `pk-size-btn${f && f.size === l ? ' on' : ''}${median === l ? ' median' : ''}`,
					'aria-pressed': f && f.size === l ? 'true' : 'false',
					'aria-label': `${override ? 'Override: ' : 'Final size '}${l}${median === l ? ' (the median)' : ''}`,
					title: `${SIZE_INFO[l]}${median === l ? ' — the median of the votes' : ''}`,
					dataset: { key: `final-${it.issue}-${l}`, item: String(it.issue), size: l },
					'data-testid': 'final-size-btn',
					onclick: () => {
						if (f && f.size === l) return;
						act(() => setFinal(s.id, it.issue, l), () => toast(`#${it.issue}: final size ${l}`));
					},
				}, l))),
			median ? h('span', { class: 'pk-median-hint muted', 'aria-hidden': 'true' }, h('span', { class: 'pk-median-dot' }), ` median ${median}`) : null);
	}

	function itemCard(s, it) {
		const live = s.mode !== 'async';
		const current = live && s.current === it.issue;
		const open = s.status !== 'closed';
		const voting = open && s.voting_open !== false && !it.revealed;
		const canVote = voting && !!s.can_vote;
		const fac = open && !!s.can_facilitate;
		const revealed = !!it.revealed;

		const state = it.final ? h('span', { class: 'pk-istate pk-istate-final' }, 'Estimated')
			: revealed ? h('span', { class: 'pk-istate pk-istate-revealed' }, 'Revealed')
				: voting ? h('span', { class: 'pk-istate pk-istate-voting' }, 'Voting')
					: h('span', { class: 'pk-istate' }, 'Not estimated');

		const actions = [];
		if (fac && live && !current) {
			actions.push(h('button', {
				type: 'button', class: 'btn btn-sm', dataset: { key: `current-${it.issue}`, item: String(it.issue) }, 'data-testid': 'make-current',
				onclick: () => act(() => setCurrent(s.id, it.issue)),
			}, 'Make current'));
		}
		if (fac && voting) {
			const none = !(it.voters && it.voters.length);
			actions.push(h('button', {
				type: 'button', class: 'btn btn-sm btn-primary', disabled: none, title: none ? 'Nobody has voted yet' : 'Show everyone’s vote',
				dataset: { key: `reveal-${it.issue}`, item: String(it.issue) }, 'data-testid': 'reveal',
				onclick: () => act(() => reveal(s.id, it.issue)),
			}, 'Reveal'));
		}
		if (fac && revealed && !it.final && s.voting_open !== false) { // the server refuses a new round once the final size is set
			actions.push(h('button', {
				type: 'button', class: 'btn btn-sm', title: 'Vote again on this issue; this round stays visible below',
				dataset: { key: `revote-${it.issue}`, item: String(it.issue) }, 'data-testid': 'revote',
				onclick: () => act(() => revote(s.id, it.issue)),
			}, 'New round'));
		}

		return h('article', {
			class: `card pk-item${current ? ' current' : ''}${revealed ? ' revealed' : ''}${it.final ? ' final' : ''}`,
			tabindex: '-1', dataset: { issue: String(it.issue), key: `item-${it.issue}` }, 'data-testid': 'item',
			'aria-current': current ? 'step' : null, 'aria-labelledby': `pk-item-${it.issue}-h`,
		},
		h('header', { class: 'pk-item-head' },
			h('div', { class: 'pk-item-title' },
				current ? h('span', { class: 'pk-now', 'data-testid': 'current-mark' }, 'Now estimating') : null,
				h('h3', { id: `pk-item-${it.issue}-h` },
					h('a', { href: `/issues/${it.issue}`, 'data-testid': 'item-link' }, h('span', { class: 'issue-num' }, `#${it.issue}`), ' ', it.title || ''))),
			h('div', { class: 'pk-item-meta' },
				it.type ? typeBadge(it.type) : null,
				h('span', { class: 'pk-sizes', title: 'The issue’s sizes now' },
					h('span', { class: `pk-size-k${s.stage === 'pm' ? '' : ' on'}` }, 'Size ', sizeTag(it.size, { testid: 'item-size' })),
					h('span', { class: `pk-size-k${s.stage === 'pm' ? ' on' : ''}` }, 'PM size ', sizeTag(it.pm_size, { testid: 'item-pm-size' }))),
				h('span', { class: 'pk-round-no', 'data-testid': 'round-no' }, `Round ${it.round || 1}`),
				state)),
		finalLine(it),
		revealed
			? h('div', { class: 'pk-reveal', 'data-testid': 'revealed' }, votesList(it.votes, it.stats), statsLine(it.stats))
			: voterChips(s, it),
		canVote ? h('div', { class: 'pk-vote-area' },
			cardsRow(s, it),
			h('p', { class: 'pk-my-vote muted', 'data-testid': 'my-vote' }, it.my_vote
				? ['Your vote: ', h('strong', null, it.my_vote), ' — only you see it until the reveal; pick another card to change it.']
				: 'Pick a card: nobody sees it until the facilitator reveals the round.')) : null,
		actions.length ? h('div', { class: 'pk-actions' }, actions) : null,
		finalPicker(s, it),
		earlierRounds(it));
	}

	/* ---- the page ---- */

	function paint(next) {
		const json = JSON.stringify(next);
		if (json === lastJson) return;
		lastJson = json;
		s = next;
		ctx.setTitle(s.title ? `${s.title} · Estimation` : `Estimation session #${id}`);

		// Keep what the reader was doing: focus, open rounds, scroll.
		const active = document.activeElement;
		const key = active && page.contains(active) ? active.dataset.key : null;
		const item = active && page.contains(active) ? (active.dataset.item || (active.closest('[data-issue]') || {}).dataset?.issue) : null;
		const openRounds = new Set([...page.querySelectorAll('details[data-key]')].filter(d => d.open).map(d => d.dataset.key));
		const x = window.scrollX;
		const y = window.scrollY;

		const closed = s.status === 'closed';
		const ended = !closed && s.voting_open === false;
		const readOnly = closed || ended;
		const items = s.items || [];
		const estimated = items.filter(i => i.final).length;
		const parts = s.participants && s.participants.length ? s.participants : null;

		const head = h('header', { class: 'pk-session-head' },
			h('div', { class: 'issue-title-row' },
				h('h1', { class: 'issue-title', 'data-testid': 'session-title' }, s.title, ' ', h('span', { class: 'issue-num' }, `#${s.id}`)),
				h('div', { class: 'issue-actions pk-head-actions' },
					conn,
					s.can_facilitate && !closed ? h('button', {
						type: 'button', class: 'btn btn-sm', dataset: { key: 'close' }, 'data-testid': 'close-session',
						onclick: () => {
							if (!window.confirm(`Close “${s.title}”? Voting ends; the final sizes already set stay.`)) return;
							act(() => closeSession(s.id), () => toast('Session closed'));
						},
					}, 'Close session') : null)),
			h('div', { class: 'issue-meta pk-meta' },
				statusChip(s), modeChip(s, { long: true }),
				h('span', { class: 'pk-stage', 'data-testid': 'session-stage' }, stageLabel(s.stage)),
				h('span', null, h('span', { class: 'muted' }, 'Facilitator '), person(s.facilitator)),
				s.mode === 'async' && s.closes_at ? h('span', { 'data-testid': 'closes-at' },
					h('span', { class: 'muted' }, ended || closed ? 'Voting closed ' : 'Voting closes '), timeEl(h, s.closes_at, 'daytime')) : null,
				h('span', { class: 'muted', 'data-testid': 'session-progress' }, `${estimated} of ${plural(items.length, 'issue')} estimated`)),
			h('div', { class: 'pk-people' },
				h('span', { class: 'muted' }, parts ? 'Participants ' : 'Everyone but viewers may vote'),
				parts ? h('ul', { class: 'pk-chips', 'aria-label': 'Participants' }, parts.map(l => h('li', { class: 'pk-chip' }, avatar(l), h('span', { class: 'pk-chip-login' }, l)))) : null));

		let banner = null;
		if (closed) banner = notice('info', 'This session is closed: it is read-only. The final sizes were written to the issues.');
		else if (ended) banner = notice('info', `Voting closed ${fullTime(s.closes_at)}: every round is revealed.${s.can_facilitate ? ' Set the final sizes, then close the session.' : ''}`);
		else if (!s.can_vote) banner = notice('info', !can(user, 'estimation.vote') ? 'Viewers follow along; they do not vote.' : 'You are not among this session’s participants: you follow along without voting.');

		replace(page,
			crumbs(), head, msg, banner,
			items.length
				? h('div', { class: 'pk-items', 'data-testid': 'items' }, items.map(it => itemCard(s, it)))
				: h('div', { class: 'results empty' }, h('p', { class: 'muted' }, 'No issue of this session is visible to you.')));
		if (readOnly) page.classList.add('pk-readonly');
		else page.classList.remove('pk-readonly');

		for (const d of page.querySelectorAll('details[data-key]')) if (openRounds.has(d.dataset.key)) d.open = true;
		if (key || item) {
			let el = key ? page.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
			if (!el || el.disabled) el = item ? page.querySelector(`[data-key="item-${CSS.escape(String(item))}"]`) : null;
			if (el) el.focus({ preventScroll: true });
		}
		if (window.scrollX !== x || window.scrollY !== y) window.scrollTo(x, y);

		// A live session's current issue changed: everyone's page follows it.
		if (s.mode !== 'async' && s.current !== lastCurrent && s.current !== null && s.current !== undefined) {
			const cur = page.querySelector(`[data-testid="item"][data-issue="${CSS.escape(String(s.current))}"]`);
			if (cur) cur.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
		}
		lastCurrent = s.current;
	}

	/* ---- refresh on events: one fetch at a time, one more if asked meanwhile ---- */
	let fetching = false;
	let again = false;
	async function refresh() {
		if (fetching) { again = true; return; }
		fetching = true;
		try {
			const next = await getSession(id);
			if (ctx.alive()) paint(next);
		} catch (err) {
			if (ctx.alive() && err.status !== 401) say('warn', `The session could not be reloaded: ${err.message}`);
		} finally {
			fetching = false;
			if (again && ctx.alive()) { again = false; refresh(); }
		}
	}

	paint(s);

	/* ---- the event stream ---- */
	let es = null;
	let retry = null;
	let everOpen = false;
	function connect() {
		if (!ctx.alive()) return;
		es = new EventSource(`${BASE}/events?topic=${encodeURIComponent(`estimation/${id}`)}`);
		es.addEventListener('open', () => {
			setConn('live');
			if (everOpen) refresh(); // back after a gap: catch up (the stream replays too)
			everOpen = true;
		});
		es.addEventListener('error', () => {
			if (!es) return;
			if (es.readyState === EventSource.CLOSED) {
				// The browser gave up (an error answer): see whether we are still
				// signed in (a 401 leads to the login page), then try again.
				setConn('offline');
				es.close();
				es = null;
				refresh();
				clearTimeout(retry);
				retry = setTimeout(connect, 5000);
			} else {
				setConn('reconnecting');
			}
		});
		for (const name of EVENTS) {
			es.addEventListener(name, (ev) => {
				if (name !== 'reset') {
					try {
						const d = JSON.parse(ev.data || '{}');
						if (d && d.session !== undefined && String(d.session) !== String(id)) return;
					} catch (_) { /* reload anyway */ }
				}
				refresh();
			});
		}
	}
	connect();
	ctx.onCleanup(() => {
		clearTimeout(retry);
		if (es) { es.close(); es = null; }
	});
}
