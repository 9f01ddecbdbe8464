// releases.js — the changelog (docs/API.md, "Releases", issue #11).
//
//   /releases           entries by state (Draft, In review, Approved,
//                       Published; counts on the tabs), by milestone; "New
//                       entry" for every role but viewer; admins get Settings
//   /releases/new       a new entry (?milestone=ID preselects the milestone)
//   /releases/{id}      one entry: description and rendered body, authors,
//                       tags, linked issues, milestone, date, slug, file name;
//                       the edit form; the review workflow (submit, approve —
//                       never by an author —, publish — PMs and admins);
//                       threaded review comments, each resolvable; the
//                       history; "Download .md"; once published, "Who to
//                       tell" (closing the loop with the customers who asked)
//   /releases/settings  admins: the public changelog (on/off, public URL),
//                       outgoing hooks and their recent deliveries
//
// The shared widgets (state chip, copy button, role checks) are used by the
// milestone page's changelog checklist too.  Server-rendered bodies
// (body_html: cmark-gfm in safe mode, sanitized by the server) are the only
// HTML put into the page, exactly as issue.js does with issue bodies.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { cap, dateText, timeEl, parseLabels, moneyText } from './fmt.js?v={{v}}';
import { stateBadge, labelChip, person, avatar, field, select, notice, spinner, markInvalid, toast, rowKeys, can } from './ui.js?v={{v}}';
import { customerChip, insightStateChip } from './customer.js?v={{v}}';

/* ---------- shared ---------- */

export const ENTRY_STATES = [
	['draft', 'Draft'], ['in_review', 'In review'], ['approved', 'Approved'], ['published', 'Published'],
];

export function entryStateLabel(s) {
	const hit = ENTRY_STATES.find(([v]) => v === s);
	return hit ? hit[1] : (s ? cap(String(s)) : '—');
}

export function entryStateChip(state) {
	const s = String(state || 'draft').replace(/[^a-z_]/g, '');
	return h('span', { class: `es es-${s.replace(/_/g, '-')}`, 'data-testid': 'entry-state' },
		h('span', { class: 'es-dot', 'aria-hidden': 'true' }), entryStateLabel(s));
}

/* Every role but viewer writes entries, moves them between draft and
 * review, comments; approving also needs not being an author. */
export function canWriteEntries(user) {
	return can(user, 'changelog.write');
}

export function canPublish(user) {
	return can(user, 'changelog.publish');
}

/* "Draft entries for milestone M": admins, PMs, CTOs, EMs. */
export function canDraftMilestone(user) {
	return can(user, 'changelog.draft');
}

function isAuthor(entry, user) {
	return !!user && Array.isArray(entry.authors) && entry.authors.includes(user.login);
}

/* Copy text to the clipboard; true when it worked.  Falls back to a
 * selected, off-screen textarea and execCommand for insecure origins. */
export async function copyText(text) {
	try {
		if (navigator.clipboard && window.isSecureContext) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch (_) { /* fall back below */ }
	const back = document.activeElement;
	const ta = h('textarea', { class: 'sr-only', readonly: true, 'aria-hidden': 'true', tabindex: '-1' });
	ta.value = text;
	document.body.appendChild(ta);
	ta.select();
	let ok = false;
	try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
	ta.remove();
	if (back && back.focus) back.focus();
	return ok;
}

/* A "Copy" button for the text getText() returns (a string or a promise). */
export function copyButton(getText, { label = 'Copy', testid = 'copy', what = 'Text' } = {}) {
	const btn = h('button', { type: 'button', class: 'btn btn-sm copy-btn', 'data-testid': testid }, label);
	let timer = null;
	btn.addEventListener('click', async () => {
		const text = await getText();
		const ok = await copyText(String(text || ''));
		toast(ok ? `${what} copied` : 'Could not copy — select the text and press Ctrl+C');
		if (ok) {
			btn.textContent = 'Copied ✓';
			clearTimeout(timer);
			timer = setTimeout(() => { btn.textContent = label; }, 1800);
		}
	});
	return btn;
}

function plural(n, one, many = `${one}s`) {
	return `${n} ${n === 1 ? one : many}`;
}

/* An entry's post date (an instant) as a calendar date. */
function entryDate(e) {
	return e && e.date ? dateText(e.date) : '—';
}

function authorsList(authors) {
	if (!authors || !authors.length) return h('span', { class: 'muted' }, '—');
	return h('span', { class: 'rel-authors' }, authors.map(a => person(a)));
}

function commentsChip(n) {
	const k = Number(n) || 0;
	if (!k) return h('span', { class: 'muted', title: 'No open review comments' }, '0');
	return h('span', { class: 'open-cmts', title: `${plural(k, 'open review comment')}`, 'data-testid': 'open-comments' }, `${k} open`);
}

/* ---------- /releases ---------- */

const PER_PAGE = 50;

export async function renderReleases(ctx) {
	ctx.setTitle('Releases');
	const state = ENTRY_STATES.some(([v]) => v === ctx.query.get('state')) ? ctx.query.get('state') : '';
	const milestone = /^\d+$/.test(ctx.query.get('milestone') || '') ? ctx.query.get('milestone') : '';
	const page = Math.max(1, Number(ctx.query.get('page')) || 1);
	const mayWrite = canWriteEntries(ctx.user);
	const isAdmin = can(ctx.user, 'admin');

	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'releases-count' });
	const tabs = h('nav', { class: 'seg tabs rel-tabs', 'aria-label': 'Entries by state', 'data-testid': 'release-tabs' });
	const msSel = h('select', { name: 'milestone', id: uid('ms'), 'data-testid': 'release-milestone' },
		h('option', { value: '' }, 'All milestones'));
	const msg = h('div', { class: 'list-msg' });
	const results = h('div', { class: 'results rel-results' }, spinner());
	const pager = h('div', { class: 'pager' });

	replace(ctx.root, h('section', { class: 'page page-wide releases-page' },
		h('div', { class: 'page-head rel-head' },
			h('h1', null, 'Releases'), count,
			h('div', { class: 'page-head-spacer' }),
			h('a', { href: '/changelog', class: 'btn btn-sm btn-ghost', 'data-testid': 'public-link', title: 'The public changelog page' }, 'Public page'),
			isAdmin ? h('a', { href: '/releases/settings', class: 'btn btn-sm', 'data-testid': 'release-settings-link' }, 'Settings') : null,
			mayWrite ? h('a', { href: `/releases/new${milestone ? `?milestone=${milestone}` : ''}`, class: 'btn btn-primary btn-sm', 'data-testid': 'new-entry' }, 'New entry') : null),
		h('div', { class: 'toolbar rel-toolbar' }, tabs,
			h('label', { class: 'ms-pick', for: msSel.id }, 'Milestone', msSel),
			h('span', { class: 'kbd-hint muted' }, h('kbd', null, 'j'), h('kbd', null, 'k'), ' move · ', h('kbd', null, 'Enter'), ' open')),
		msg, results, pager));

	const href = (s, m, p = 1) => {
		const q = new URLSearchParams();
		if (s) q.set('state', s);
		if (m) q.set('milestone', m);
		if (p > 1) q.set('page', String(p));
		const t = q.toString();
		return `/releases${t ? `?${t}` : ''}`;
	};

	function paintTabs(counts) {
		const tab = (v, text) => {
			const on = state === v;
			const n = counts ? counts[v || 'all'] : null;
			return h('a', {
				href: href(v, milestone), class: `seg-btn${on ? ' on' : ''}`, 'aria-current': on ? 'page' : null,
				'data-testid': `tab-${v || 'all'}`,
			}, text, n === null || n === undefined ? null : h('span', { class: 'tab-count', 'aria-label': `(${n})` }, String(n)));
		};
		replace(tabs, tab('', 'All'), ENTRY_STATES.map(([v, t]) => tab(v, t)));
	}
	paintTabs(null);

	msSel.addEventListener('change', () => ctx.navigate(href(state, msSel.value)));

	async function loadMilestones() {
		try {
			const data = await api.listMilestones();
			if (!ctx.alive()) return;
			const items = (data && data.items) || [];
			// Newest first: the milestone being shipped is near the top.
			for (const m of [...items].reverse()) msSel.appendChild(h('option', { value: String(m.id) }, `${m.title} · ${m.state}`));
			msSel.value = milestone;
		} catch (_) { /* the filter stays "All" */ }
	}

	async function loadCounts() {
		const keys = ['', ...ENTRY_STATES.map(([v]) => v)];
		try {
			const all = await Promise.all(keys.map(s => api.listChangelog({ state: s, milestone, page: 1, perPage: 1 })));
			if (!ctx.alive()) return;
			const counts = {};
			keys.forEach((k, i) => { counts[k || 'all'] = Number(all[i] && all[i].total) || 0; });
			paintTabs(counts);
		} catch (_) { /* tabs without counts */ }
	}

	async function load() {
		let data;
		try {
			data = await api.listChangelog({ state, milestone, page, perPage: PER_PAGE });
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(msg, notice('error', `The changelog could not be loaded: ${err.message}`));
			replace(results);
			return;
		}
		if (!ctx.alive()) return;
		const items = (data && data.items) || [];
		const total = Number(data && data.total) || 0;
		replace(count, plural(total, 'entry', 'entries'));
		if (!items.length) {
			replace(results, h('div', { class: 'empty' },
				h('p', { class: 'empty-title' }, state ? `No ${entryStateLabel(state).toLowerCase()} entries` : 'No changelog entries yet'),
				h('p', { class: 'muted' }, mayWrite
					? ['Write one with ', h('strong', null, 'New entry'), ', or draft them from a milestone’s headline items on its page.']
					: 'PMs and engineers write entries here; published ones appear on the public changelog.')));
			replace(pager);
			return;
		}
		replace(results, h('table', { class: 'issues rel-table', 'data-testid': 'releases' },
			h('caption', { class: 'sr-only' }, `Changelog entries${state ? `, ${entryStateLabel(state)}` : ''}, newest first`),
			h('colgroup', null, h('col', { class: 'c-rel-title' }), h('col', { class: 'c-rel-state' }), h('col', { class: 'c-rel-ms' }),
				h('col', { class: 'c-rel-authors' }), h('col', { class: 'c-rel-date' }), h('col', { class: 'c-rel-cmts' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, 'Entry'),
				h('th', { scope: 'col' }, 'State'),
				h('th', { scope: 'col' }, 'Milestone'),
				h('th', { scope: 'col' }, 'Authors'),
				h('th', { scope: 'col' }, 'Date'),
				h('th', { scope: 'col', class: 'right', title: 'Open review comments' }, 'Comments'))),
			h('tbody', null, items.map((e) => {
				const to = `/releases/${e.id}`;
				const tr = h('tr', { class: `rel-row rel-row-${String(e.state || '').replace(/[^a-z]/g, '')}`, dataset: { id: String(e.id) }, 'data-testid': 'release-row' },
					h('td', { class: 'title rel-title-cell' },
						h('a', { href: to, class: 'row-link', 'data-testid': 'release-link' }, e.title),
						e.description ? h('span', { class: 'rel-desc muted' }, e.description) : null),
					h('td', { 'data-label': 'State' }, entryStateChip(e.state)),
					h('td', { 'data-label': 'Milestone' }, e.milestone
						? h('a', { href: `/milestones/${e.milestone.id}`, class: 'rel-ms' }, e.milestone.title)
						: h('span', { class: 'muted' }, '—')),
					h('td', { 'data-label': 'Authors', class: 'rel-authors-cell' }, authorsList(e.authors)),
					h('td', { 'data-label': 'Date', class: 'mono-num' },
						e.date ? h('time', { datetime: e.date, title: e.state === 'published' ? 'Published' : 'The post’s date' }, entryDate(e)) : '—'),
					h('td', { 'data-label': 'Comments', class: 'right' }, commentsChip(e.open_comments)));
				tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(to); });
				return tr;
			}))));
		const pages = Math.max(1, Math.ceil(total / PER_PAGE));
		replace(pager, pages > 1 ? [
			h('span', { class: 'pager-info' }, `${(page - 1) * PER_PAGE + 1}–${Math.min(total, page * PER_PAGE)} of ${total}`),
			page > 1 ? h('a', { class: 'btn btn-sm', href: href(state, milestone, page - 1) }, 'Newer') : null,
			h('span', { class: 'pager-page' }, `Page ${page} of ${pages}`),
			page < pages ? h('a', { class: 'btn btn-sm', href: href(state, milestone, page + 1) }, 'Older') : null,
		] : []);
	}

	rowKeys(ctx, results);

	await Promise.all([load(), loadCounts(), loadMilestones()]);
}

/* ---------- the entry form (new and edit) ---------- */

/* "#12", "12" or a URL per line -> ["#12", "https://…"]. */
function parseIssueRefs(text) {
	const out = [];
	for (const raw of String(text || '').split(/[\n,]+/)) {
		let r = raw.trim();
		if (!r) continue;
		if (/^\d+$/.test(r)) r = `#${r}`;
		if (!out.includes(r)) out.push(r);
	}
	return out;
}

function ymdOf(iso) {
	const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(iso || ''));
	return m ? m[1] : '';
}

/* The form for a new entry (entry null) or an edit.  onSaved(entry) after
 * the server accepted it; onCancel() for Cancel / Esc. */
function entryForm(ctx, entry, { milestones, users, onSaved, onCancel, presetMilestone = '' }) {
	const e = entry || {};
	const published = e.state === 'published';
	const title = h('input', { name: 'title', type: 'text', required: true, maxlength: 200, value: e.title || '', autocomplete: 'off' });
	const description = h('textarea', { name: 'description', rows: 3, class: 'rel-desc-input' });
	description.value = e.description || '';
	const body = h('textarea', { name: 'body', rows: 12 });
	body.value = e.body || '';
	const date = h('input', { name: 'date', type: 'date', value: ymdOf(e.date) });
	const listId = uid('logins');
	const authors = h('input', {
		name: 'authors', type: 'text', value: (e.authors || []).join(', '), autocomplete: 'off', spellcheck: 'false',
		placeholder: entry ? '' : (ctx.user ? ctx.user.login : ''),
	});
	const tags = h('input', { name: 'tags', type: 'text', value: (e.tags || (entry ? [] : ['changelog'])).join(', '), autocomplete: 'off', spellcheck: 'false' });
	const issues = h('textarea', { name: 'issues', rows: 3, class: 'rel-issues-input', spellcheck: 'false', placeholder: '#12\nhttps://github.com/org/repo/issues/185' });
	issues.value = (e.issues || []).map(i => i.ref).join('\n');
	const ms = milestones || [];
	const msOpts = [['', 'None'], ...[...ms].reverse().map(m => [String(m.id), `${m.title} · ${m.state}`])];
	if (e.milestone && !ms.some(m => m.id === e.milestone.id)) msOpts.push([String(e.milestone.id), e.milestone.title]);
	const milestone = select('milestone', msOpts, e.milestone ? String(e.milestone.id) : presetMilestone);
	const slug = entry ? h('input', {
		name: 'slug', type: 'text', value: e.slug || '', autocomplete: 'off', spellcheck: 'false', class: 'mono',
		readonly: published, 'aria-readonly': published ? 'true' : null,
	}) : null;
	const fmsg = h('div', { class: 'form-msg' });
	const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'entry-save' }, entry ? 'Save changes' : 'Create entry');
	const datalist = users && users.length
		? h('datalist', { id: listId }, users.map(u => h('option', { value: u.login }, u.name && u.name !== u.login ? u.name : null)))
		: null;
	if (datalist) authors.setAttribute('list', listId);

	const form = h('form', { class: 'issue-form edit-form rel-form', novalidate: true, 'aria-label': entry ? 'Edit entry' : 'New entry', 'data-testid': 'entry-form' },
		field('Title', title, { wide: true }),
		field('Description', description, { wide: true, hint: 'One or two sentences: the summary on the changelog, in the feed and in the message to customers' }),
		field('Body', body, { wide: true, hint: 'Markdown · Ctrl+Enter to save · Esc to cancel' }),
		h('div', { class: 'field-grid rel-grid' },
			field('Date', date, { hint: published ? 'The post’s date' : 'Empty: the day it is published' }),
			field('Milestone', milestone),
			field('Authors', authors, { hint: entry ? 'Logins, comma separated' : 'Logins, comma separated · empty: you' }),
			field('Tags', tags, { hint: 'Comma separated' }),
			slug ? field('Slug', slug, { hint: published ? 'Fixed once published: links to it must not break' : 'From the title; the public link and file name', span: true }) : null,
			field('Linked issues', issues, { hint: '“#12” or a URL, one per line', span: true })),
		datalist,
		fmsg,
		h('div', { class: 'form-actions' },
			save,
			h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => onCancel() }, 'Cancel')));

	form.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') { ev.preventDefault(); onCancel(); }
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
	});

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		replace(fmsg);
		markInvalid(form, null);
		const t = title.value.trim();
		if (!t) {
			markInvalid(form, 'title');
			replace(fmsg, notice('error', 'A title is required.'));
			title.focus();
			return;
		}
		const changes = {};
		const authorList = parseLabels(authors.value);
		const tagList = parseLabels(tags.value);
		const refs = parseIssueRefs(issues.value);
		const msVal = milestone.value ? Number(milestone.value) : null;
		if (!entry) {
			changes.title = t;
			if (description.value.trim()) changes.description = description.value.trim();
			if (body.value.trim()) changes.body = body.value;
			if (date.value) changes.date = date.value;
			if (authorList.length) changes.authors = authorList;
			changes.tags = tagList;
			if (refs.length) changes.issues = refs;
			if (msVal) changes.milestone = msVal;
		} else {
			if (t !== e.title) changes.title = t;
			if (description.value.trim() !== (e.description || '')) changes.description = description.value.trim();
			if (body.value !== (e.body || '')) changes.body = body.value;
			if (date.value !== ymdOf(e.date)) changes.date = date.value || null;
			if (JSON.stringify(authorList) !== JSON.stringify(e.authors || [])) changes.authors = authorList;
			if (JSON.stringify(tagList) !== JSON.stringify(e.tags || [])) changes.tags = tagList;
			if (JSON.stringify(refs) !== JSON.stringify((e.issues || []).map(i => i.ref))) changes.issues = refs;
			if (msVal !== (e.milestone ? e.milestone.id : null)) changes.milestone = msVal;
			if (slug && !published && slug.value.trim() !== e.slug) changes.slug = slug.value.trim();
			if (!Object.keys(changes).length) { onCancel(); toast('Nothing changed'); return; }
		}
		save.disabled = true;
		save.textContent = 'Saving…';
		try {
			const saved = entry ? await api.updateEntry(e.id, e.version, changes) : await api.createEntry(changes);
			if (!ctx.alive()) return;
			onSaved(saved);
		} catch (err) {
			if (!ctx.alive()) return;
			save.disabled = false;
			save.textContent = entry ? 'Save changes' : 'Create entry';
			if (err.status === 401) return;
			if (err.status === 412) {
				replace(fmsg, notice('warn', 'This entry was changed by someone else since you opened it — reload to see the latest version, then make your edit again.',
					h('button', { type: 'button', class: 'btn btn-sm', onclick: () => location.reload() }, 'Reload')));
				return;
			}
			const bad = markInvalid(form, err.field);
			replace(fmsg, notice('error', err.message));
			if (bad) bad.focus();
		}
	});
	setTimeout(() => title.focus(), 0);
	return form;
}

async function loadFormData() {
	const [ms, users] = await Promise.all([
		api.listMilestones().then(d => (d && d.items) || []).catch((err) => { if (err.status === 401) throw err; return []; }),
		api.listUsers().catch((err) => { if (err.status === 401) throw err; return []; }),
	]);
	return { milestones: ms, users };
}

/* ---------- /releases/new ---------- */

export async function renderNewRelease(ctx) {
	ctx.setTitle('New entry');
	const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
		h('a', { href: '/releases' }, 'Releases'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'New entry'));
	if (!canWriteEntries(ctx.user)) {
		replace(ctx.root, h('section', { class: 'page page-narrow' }, crumbs,
			h('h1', null, 'New entry'),
			notice('info', 'Viewers read the changelog; a PM or an engineer writes its entries.'),
			h('p', null, h('a', { href: '/releases', class: 'btn' }, 'Back to releases'))));
		return;
	}
	replace(ctx.root, h('section', { class: 'page page-narrow' }, spinner()));
	const data = await loadFormData();
	if (!ctx.alive()) return;
	const preset = /^\d+$/.test(ctx.query.get('milestone') || '') ? ctx.query.get('milestone') : '';
	const form = entryForm(ctx, null, {
		...data,
		presetMilestone: preset,
		onSaved: (entry) => { toast('Entry created'); ctx.navigate(`/releases/${entry.id}`); },
		onCancel: () => ctx.navigate(preset ? `/milestones/${preset}` : '/releases'),
	});
	replace(ctx.root, h('section', { class: 'page page-narrow rel-new-page' }, crumbs,
		h('h1', null, 'New changelog entry'),
		h('p', { class: 'muted rel-lead' }, 'It starts as a draft; submit it for review, someone who is not an author approves it, and a PM publishes it.'),
		form));
}

/* ---------- /releases/{id} ---------- */

const HISTORY_FIELD = {
	title: 'title', description: 'description', body: 'body', date: 'date', tags: 'tags', authors: 'authors',
	milestone: 'milestone', slug: 'slug', issues: 'linked issues', state: 'state',
};

export async function renderRelease(ctx) {
	const id = ctx.params.id;
	ctx.setTitle('Entry');
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	let entry = await api.getEntry(id);
	if (!ctx.alive()) return;
	const mayWrite = canWriteEntries(ctx.user);
	const mayPublish = canPublish(ctx.user);
	let editing = false;
	let formData = null;           // milestones and users for the edit form
	let comments = null;           // null: not loaded
	let commentsErr = null;
	let replyTo = null;            // the comment id whose reply form is open
	let tell = null;               // the "who to tell" list (published entries)
	let tellErr = null;
	let tellBusy = null;           // a customer id, or 'all'
	let busy = false;              // a state change in flight
	let milestonesById = new Map();

	const head = h('div', { class: 'issue-head rel-entry-head' });
	const pageMsg = h('div', { class: 'page-msg' });
	const flow = h('section', { class: 'card rel-flow', 'aria-labelledby': 'flow-h', 'data-testid': 'workflow' });
	const tellBox = h('section', { class: 'rel-tell', 'aria-labelledby': 'tell-h', 'data-testid': 'tell' });
	const mainCol = h('div', { class: 'issue-main' });
	const commentsBox = h('section', { class: 'rel-comments', 'aria-labelledby': 'comments-h', 'data-testid': 'comments' });
	const historyBox = h('section', { class: 'history', 'aria-labelledby': 'history-h', 'data-testid': 'history' });
	const side = h('aside', { class: 'issue-side rel-side', 'aria-label': 'Properties' });

	replace(ctx.root, h('article', { class: 'page rel-entry-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/releases' }, 'Releases'), h('span', { 'aria-hidden': 'true' }, ' / '),
			h('span', { class: 'crumb-current' }, entry.title)),
		head, pageMsg,
		h('div', { class: 'issue-layout' },
			h('div', { class: 'issue-col' }, flow, tellBox, mainCol, commentsBox, historyBox),
			side)));

	function paint() {
		ctx.setTitle(entry.title);
		paintHead();
		paintFlow();
		paintSide();
		if (!editing) paintBody();
		paintTell();
	}

	/* ---- head ---- */

	function mayEdit() {
		return mayWrite && (entry.state !== 'published' || mayPublish);
	}

	function mayDelete() {
		if (!mayWrite || (entry.state !== 'draft' && entry.state !== 'in_review')) return false;
		return mayPublish || entry.created_by === ctx.user.login || isAuthor(entry, ctx.user);
	}

	function paintHead() {
		replace(head,
			h('div', { class: 'issue-title-row' },
				h('h1', { class: 'issue-title', 'data-testid': 'entry-title' }, entry.title),
				h('div', { class: 'issue-actions rel-actions' },
					mayEdit() && !editing ? h('button', {
						type: 'button', class: 'btn', id: 'edit-btn', onclick: startEdit, 'aria-keyshortcuts': 'e', title: 'Edit (e)', 'data-testid': 'entry-edit',
					}, 'Edit') : null,
					h('a', {
						href: api.entryExportUrl(entry.id), class: 'btn', download: entry.filename || '', 'data-testid': 'entry-export',
						title: `The handbook’s front-matter file: ${entry.filename || ''}`,
					}, 'Download .md'),
					mayDelete() && !editing ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: remove, 'data-testid': 'entry-delete' }, 'Delete') : null)),
			h('p', { class: 'issue-meta muted' },
				entryStateChip(entry.state),
				entry.milestone ? h('span', null, 'Milestone ', h('a', { href: `/milestones/${entry.milestone.id}` }, entry.milestone.title)) : null,
				h('span', null, entry.state === 'published' ? 'Published ' : 'Dated ', h('strong', null, entryDate(entry))),
				h('span', null, 'Created by ', h('strong', null, entry.created_by || 'unknown'), ' ', timeEl(h, entry.created_at, 'rel'),
					entry.updated_at && entry.updated_at !== entry.created_at ? [' · updated ', timeEl(h, entry.updated_at, 'rel')] : null)));
	}

	/* ---- the review workflow ---- */

	function stepper() {
		const at = ENTRY_STATES.findIndex(([v]) => v === entry.state);
		return h('ol', { class: 'rel-steps', 'aria-label': 'Review workflow' },
			ENTRY_STATES.map(([v, label], i) => h('li', {
				class: `rel-step${i < at ? ' done' : ''}${i === at ? ' now' : ''}${i === at && v === 'published' ? ' final' : ''}`, 'aria-current': i === at ? 'step' : null,
			}, h('span', { class: 'rel-step-dot', 'aria-hidden': 'true' }, i < at || (i === at && v === 'published') ? '✓' : String(i + 1)), h('span', { class: 'rel-step-label' }, label))));
	}

	function paintFlow() {
		const s = entry.state;
		const author = isAuthor(entry, ctx.user);
		const actions = [];
		const notes = [];
		const act = (to, label, { primary = false, testid, disabled = false, reason = null } = {}) => {
			const reasonId = reason ? uid('why') : null;
			const b = h('button', {
				type: 'button', class: `btn${primary ? ' btn-primary' : ''}`, 'data-testid': testid,
				disabled: disabled || busy, 'aria-describedby': reasonId,
				onclick: () => transition(to),
			}, label);
			actions.push(b);
			if (reason) notes.push(h('p', { class: 'rel-why', id: reasonId, 'data-testid': `${testid}-reason` }, reason));
		};
		if (mayWrite) {
			if (s === 'draft') act('in_review', 'Submit for review', { primary: true, testid: 'submit-review' });
			if (s === 'in_review') {
				act('approved', 'Approve', {
					primary: true, testid: 'approve', disabled: author,
					reason: author ? 'You are an author; someone else approves.' : null,
				});
				act('draft', 'Back to draft', { testid: 'back-to-draft' });
			}
			if (s === 'approved') {
				if (mayPublish) act('published', 'Publish', { primary: true, testid: 'publish' });
				act('draft', 'Back to draft', { testid: 'back-to-draft' });
			}
		}
		let status;
		if (s === 'draft') status = 'A draft. When the words are ready, submit it for review.';
		else if (s === 'in_review') {
			const n = Number(entry.open_comments) || 0;
			status = ['In review: someone who is not an author approves it.',
				n ? h('span', { class: 'rel-open-note' }, ` ${plural(n, 'review comment is', 'review comments are')} still open.`) : null];
		} else if (s === 'approved') {
			status = ['Approved', entry.approved_by ? [' by ', h('strong', null, entry.approved_by)] : null, '. ',
				mayPublish ? 'Publishing puts it on the public changelog and the feed.' : 'A PM or an admin publishes it.'];
		} else {
			status = ['Published ', h('strong', null, entryDate(entry)),
				entry.approved_by ? [' · approved by ', h('strong', null, entry.approved_by)] : null, '.'];
		}
		replace(flow,
			h('h2', { id: 'flow-h', class: 'sr-only' }, 'Review'),
			stepper(),
			h('div', { class: 'rel-flow-row' },
				h('p', { class: 'rel-flow-status', 'data-testid': 'flow-status' }, status),
				actions.length ? h('div', { class: 'rel-flow-actions' }, actions) : null),
			notes,
			h('div', { class: 'form-msg', 'data-testid': 'flow-msg' }));
	}

	async function transition(to) {
		if (busy) return;
		busy = true;
		paintFlow();
		let res;
		try {
			res = await api.setEntryState(entry.id, to, entry.version);
		} catch (err) {
			busy = false;
			if (!ctx.alive() || err.status === 401) return;
			paintFlow();
			const box = flow.querySelector('[data-testid="flow-msg"]');
			replace(box, err.status === 412
				? notice('warn', 'This entry was changed by someone else — reload to see the latest version.',
					h('button', { type: 'button', class: 'btn btn-sm', onclick: reload }, 'Reload'))
				: notice('error', err.message));
			return;
		}
		busy = false;
		if (!ctx.alive()) return;
		entry = res;
		if (to === 'published') {
			tell = Array.isArray(res.tell) ? res.tell : null;
			tellErr = null;
		}
		editing = false;
		paint();
		loadHistory();
		toast(to === 'published' ? 'Published' : to === 'approved' ? 'Approved' : to === 'in_review' ? 'Submitted for review' : 'Back to draft');
		if (to === 'published') {
			if (!tell) await loadTell();
			const th = document.getElementById('tell-h');
			if (th) { th.setAttribute('tabindex', '-1'); th.focus(); }
		} else {
			const first = flow.querySelector('.rel-flow-actions button:not(:disabled)');
			if (first) first.focus();
		}
	}

	/* ---- properties ---- */

	function prop(name, value, testid) {
		return [h('dt', null, name), h('dd', { 'data-testid': testid || null }, value)];
	}

	function issueLink(i) {
		if (i.number) {
			return h('li', { class: 'rel-issue', 'data-testid': 'entry-issue' },
				h('a', { href: `/issues/${i.number}` }, h('span', { class: 'issue-num' }, `#${i.number}`), ' ', i.title || ''),
				' ', i.state ? stateBadge(i.state) : null);
		}
		if (i.url && /^https?:\/\//i.test(i.url)) {
			return h('li', { class: 'rel-issue rel-issue-ext', 'data-testid': 'entry-issue' },
				h('a', { href: i.url, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'rel-ext' }, i.url),
				h('span', { class: 'sr-only' }, ' (opens in a new tab)'));
		}
		return h('li', { class: 'rel-issue muted', 'data-testid': 'entry-issue' }, i.ref);
	}

	function paintSide() {
		const issues = Array.isArray(entry.issues) ? entry.issues : [];
		replace(side, h('dl', { class: 'props rel-props' },
			prop('State', entryStateChip(entry.state)),
			prop('Date', h('span', null, entryDate(entry))),
			prop('Milestone', entry.milestone
				? h('a', { href: `/milestones/${entry.milestone.id}`, 'data-testid': 'entry-milestone' }, entry.milestone.title)
				: h('span', { class: 'muted' }, 'None')),
			prop('Authors', authorsList(entry.authors), 'entry-authors'),
			prop('Tags', entry.tags && entry.tags.length ? h('span', { class: 'labels' }, entry.tags.map(labelChip)) : h('span', { class: 'muted' }, '—'), 'entry-tags'),
			prop('Issues', issues.length ? h('ul', { class: 'rel-issues' }, issues.map(issueLink)) : h('span', { class: 'muted' }, 'None'), 'entry-issues'),
			prop('Slug', h('span', { class: 'mono rel-mono', title: entry.state === 'published' ? 'Fixed: the entry is published' : null }, entry.slug), 'entry-slug'),
			prop('File', h('span', { class: 'mono rel-mono' }, entry.filename || '—'), 'entry-filename'),
			entry.approved_by ? prop('Approved by', person(entry.approved_by)) : null,
			entry.published_at ? prop('Published', timeEl(h, entry.published_at, 'full')) : null,
			prop('Created', timeEl(h, entry.created_at, 'full')),
			prop('Updated', timeEl(h, entry.updated_at, 'full')),
			prop('Version', h('span', { class: 'muted mono' }, String(entry.version)))));
	}

	function paintBody() {
		const bodyEl = h('div', { class: 'markdown', 'data-testid': 'entry-body' });
		if (entry.body_html && entry.body_html.trim()) {
			// body_html is rendered and sanitized by the server (cmark-gfm, safe mode).
			bodyEl.innerHTML = entry.body_html;
		} else {
			bodyEl.appendChild(h('p', { class: 'muted' }, 'No body yet.'));
		}
		replace(mainCol, h('div', { class: 'card body-card rel-body-card' },
			entry.description
				? h('p', { class: 'rel-lead-desc', 'data-testid': 'entry-description' }, entry.description)
				: h('p', { class: 'muted rel-lead-desc', 'data-testid': 'entry-description' }, 'No description.'),
			bodyEl));
	}

	/* ---- edit ---- */

	async function startEdit() {
		if (editing || !mayEdit()) return;
		editing = true;
		replace(pageMsg);
		if (!formData) {
			try { formData = await loadFormData(); } catch (err) { editing = false; if (err.status !== 401) replace(pageMsg, notice('error', err.message)); return; }
			if (!ctx.alive()) return;
		}
		paintHead();
		replace(mainCol, entryForm(ctx, entry, {
			...formData,
			onSaved: (saved) => {
				const wasApproved = entry.state === 'approved';
				entry = saved;
				editing = false;
				paint();
				loadHistory();
				toast(wasApproved && saved.state === 'draft' ? 'Saved — back to draft: the approval covered other words' : 'Saved');
				const b = document.getElementById('edit-btn');
				if (b) b.focus();
			},
			onCancel: stopEdit,
		}));
	}

	function stopEdit() {
		editing = false;
		paint();
		const b = document.getElementById('edit-btn');
		if (b) b.focus();
	}

	async function reload() {
		try {
			entry = await api.getEntry(id);
		} catch (err) {
			if (err.status !== 401) replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		editing = false;
		paint();
		loadHistory();
		loadComments();
		if (entry.state === 'published') loadTell();
	}

	async function remove() {
		if (!window.confirm(`Delete the entry “${entry.title}”?`)) return;
		try {
			await api.deleteEntry(entry.id);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		toast('Entry deleted');
		ctx.navigate('/releases');
	}

	/* ---- who to tell (published entries) ---- */

	async function loadTell() {
		try {
			tell = await api.entryTell(entry.id);
			tellErr = null;
		} catch (err) {
			if (err.status === 401) return;
			tellErr = err.message;
		}
		if (ctx.alive()) paintTell();
	}

	/* Who marked a customer told, and when: the latest answer among their insights. */
	function toldBy(c) {
		let best = null;
		for (const i of c.insights || []) {
			if (i.answered_at && (!best || String(i.answered_at) > String(best.answered_at))) best = i;
		}
		return best;
	}

	function paintTell() {
		if (entry.state !== 'published') { replace(tellBox); return; }
		const title = h('h2', { id: 'tell-h' }, 'Who to tell');
		if (tellErr) { replace(tellBox, h('div', { class: 'section-head' }, title), notice('error', tellErr)); return; }
		if (tell === null) { replace(tellBox, h('div', { class: 'section-head' }, title), spinner()); return; }
		if (!tell.length) {
			replace(tellBox, h('div', { class: 'section-head' }, title),
				h('div', { class: 'card empty rel-tell-empty' },
					h('p', { class: 'muted' }, 'No customer insight is linked to this entry’s issues — nobody is waiting to hear about it.')));
			return;
		}
		const untold = tell.filter(c => !c.told);
		replace(tellBox,
			h('div', { class: 'section-head' }, title,
				h('span', { class: 'muted', 'data-testid': 'tell-summary' },
					`${plural(tell.length, 'customer')} asked for this · ${untold.length ? `${untold.length} not told yet` : 'everyone told'}`),
				h('div', { class: 'page-head-spacer' }),
				mayPublish && untold.length > 1 ? h('button', {
					type: 'button', class: 'btn btn-sm', disabled: !!tellBusy, onclick: () => markTold(null), 'data-testid': 'tell-all',
				}, `Mark all ${untold.length} told`) : null),
			h('p', { class: 'muted rel-tell-lead' }, 'Send each the message below (it links to the public changelog), then mark them told: their insights become answered.'),
			h('ul', { class: 'rel-tell-list' }, tell.map(c => tellCard(c))));
	}

	function tellCard(c) {
		const by = toldBy(c);
		const message = h('pre', { class: 'rel-msg', 'data-testid': 'tell-message', tabindex: '0', 'aria-label': `Message to ${c.name}` }, c.message || '');
		const insights = Array.isArray(c.insights) ? c.insights : [];
		return h('li', { class: `card rel-tell-card${c.told ? ' told' : ''}`, dataset: { id: String(c.id) }, 'data-testid': 'tell-customer' },
			h('div', { class: 'rel-tell-who' },
				h('div', { class: 'rel-tell-head' },
					customerChip({ id: c.id, name: c.name, tier: c.tier, arr: c.arr, strategic: c.strategic }),
					h('span', { class: 'sr-only' }, ` ARR ${moneyText(c.arr)}`)),
				insights.length ? h('ul', { class: 'rel-tell-insights', 'aria-label': `What ${c.name} asked for` }, insights.map(i => h('li', null,
					h('span', { class: 'rel-tell-ins-title' }, i.title || '(untitled)'), ' ', insightStateChip(i.state)))) : null,
				c.told
					? h('span', { class: 'rel-told', 'data-testid': 'told' }, '✓ Told',
						by && by.answered_by ? [' by ', h('strong', null, by.answered_by)] : null,
						by && by.answered_at ? [' · ', timeEl(h, by.answered_at, 'daytime')] : null)
					: mayPublish
						? h('button', {
							type: 'button', class: 'btn btn-primary btn-sm', disabled: !!tellBusy, 'data-testid': 'mark-told',
							onclick: () => markTold(c.id),
						}, tellBusy === c.id ? 'Saving…' : 'Mark told')
						: h('span', { class: 'muted', 'data-testid': 'not-told' }, 'Not told yet')),
			h('div', { class: 'rel-msg-wrap' },
				message,
				h('div', { class: 'rel-msg-actions' }, copyButton(() => c.message || '', { label: 'Copy', testid: 'copy-message', what: 'Message' }))));
	}

	async function markTold(customerId) {
		if (tellBusy) return;
		tellBusy = customerId || 'all';
		paintTell();
		try {
			tell = await api.tellCustomers(entry.id, customerId ? [customerId] : null);
		} catch (err) {
			tellBusy = null;
			if (!ctx.alive() || err.status === 401) return;
			paintTell();
			tellBox.insertBefore(notice('error', err.message), tellBox.children[1] || null);
			return;
		}
		tellBusy = null;
		if (!ctx.alive()) return;
		paintTell();
		loadHistory();
		const who = customerId ? (tell.find(c => c.id === customerId) || {}).name : null;
		toast(who ? `${who}: told` : 'Everyone marked told');
		const card = customerId ? tellBox.querySelector(`[data-testid="tell-customer"][data-id="${customerId}"] [data-testid="copy-message"]`) : null;
		if (card) card.focus();
	}

	/* ---- review comments (threaded) ---- */

	async function loadComments() {
		try {
			comments = await api.entryComments(entry.id);
			commentsErr = null;
		} catch (err) {
			if (err.status === 401) return;
			commentsErr = err.message;
		}
		if (!ctx.alive()) return;
		if (comments) {
			const open = comments.filter(c => !c.resolved).length;
			if (open !== entry.open_comments) { entry.open_comments = open; paintFlow(); }
		}
		paintComments();
	}

	function paintComments() {
		const title = h('h2', { id: 'comments-h' }, 'Review comments');
		if (commentsErr) { replace(commentsBox, h('div', { class: 'section-head' }, title), notice('error', commentsErr)); return; }
		if (comments === null) { replace(commentsBox, h('div', { class: 'section-head' }, title), spinner()); return; }
		const open = comments.filter(c => !c.resolved).length;
		const ids = new Set(comments.map(c => c.id));
		const kids = new Map();
		const roots = [];
		for (const c of comments) {
			if (c.parent && ids.has(c.parent)) {
				if (!kids.has(c.parent)) kids.set(c.parent, []);
				kids.get(c.parent).push(c);
			} else {
				roots.push(c);
			}
		}
		const thread = (list, depth) => h('ol', { class: `rel-thread${depth ? ' rel-replies' : ''}` }, list.map(c => commentEl(c, depth, kids)));
		replace(commentsBox,
			h('div', { class: 'section-head' }, title,
				h('span', { class: `rel-open-count${open ? ' has-open' : ''}`, 'data-testid': 'comments-open' },
					`${open} open`, comments.length > open ? h('span', { class: 'muted' }, ` · ${comments.length - open} resolved`) : null)),
			comments.length ? thread(roots, 0) : h('p', { class: 'muted rel-no-comments' }, mayWrite
				? 'No review comments yet. Reviewers leave them here; each can be resolved.'
				: 'No review comments.'),
			mayWrite ? commentForm(null) : null);
	}

	function commentEl(c, depth, kids) {
		const bodyEl = h('div', { class: 'markdown rel-cmt-body' });
		if (c.body_html && c.body_html.trim()) {
			// Rendered and sanitized by the server (the issue-body renderer).
			bodyEl.innerHTML = c.body_html;
		} else {
			bodyEl.textContent = c.body || '';
		}
		const children = kids.get(c.id) || [];
		return h('li', { class: `rel-cmt${c.resolved ? ' resolved' : ''}`, dataset: { id: String(c.id) }, 'data-testid': 'comment' },
			h('div', { class: 'rel-cmt-card' },
				h('div', { class: 'rel-cmt-head' },
					avatar(c.author),
					h('strong', { class: 'rel-cmt-author' }, c.author || 'unknown'),
					h('span', { class: 'muted rel-cmt-time' }, timeEl(h, c.created_at, 'daytime')),
					c.resolved ? h('span', { class: 'rel-resolved', 'data-testid': 'comment-resolved' }, '✓ Resolved',
						c.resolved_by ? ` by ${c.resolved_by}` : '') : null),
				bodyEl,
				mayWrite ? h('div', { class: 'rel-cmt-actions' },
					h('button', {
						type: 'button', class: 'link-btn', 'data-testid': 'comment-reply', 'aria-expanded': replyTo === c.id ? 'true' : 'false',
						onclick: () => { replyTo = replyTo === c.id ? null : c.id; paintComments(); focusReply(); },
					}, 'Reply'),
					h('button', {
						type: 'button', class: 'link-btn', 'data-testid': c.resolved ? 'comment-reopen' : 'comment-resolve',
						onclick: () => resolve(c, !c.resolved),
					}, c.resolved ? 'Reopen' : 'Resolve')) : null,
				mayWrite && replyTo === c.id ? commentForm(c) : null),
			children.length ? h('ol', { class: `rel-thread rel-replies${depth >= 3 ? ' flat' : ''}` }, children.map(k => commentEl(k, depth + 1, kids))) : null);
	}

	function focusReply() {
		const t = commentsBox.querySelector('.rel-reply-form textarea');
		if (t) t.focus();
	}

	function commentForm(parent) {
		const ta = h('textarea', { name: 'body', rows: parent ? 3 : 4, class: 'rel-cmt-input', 'data-testid': parent ? 'reply-body' : 'comment-body' });
		const fmsg = h('div', { class: 'form-msg' });
		const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': parent ? 'reply-submit' : 'comment-submit' }, parent ? 'Reply' : 'Comment');
		const form = h('form', {
			class: `rel-cmt-form${parent ? ' rel-reply-form' : ''}`, novalidate: true,
			'aria-label': parent ? `Reply to ${parent.author}` : 'New review comment',
		},
		field(parent ? `Reply to ${parent.author}` : 'Add a review comment', ta, { wide: true, hint: 'Markdown · Ctrl+Enter to send' }),
		fmsg,
		h('div', { class: 'form-actions' }, btn,
			parent ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => { replyTo = null; paintComments(); } }, 'Cancel') : null));
		form.addEventListener('keydown', (ev) => {
			if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
			if (ev.key === 'Escape' && parent) { ev.preventDefault(); replyTo = null; paintComments(); }
		});
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(fmsg);
			const text = ta.value.trim();
			if (!text) { ta.setAttribute('aria-invalid', 'true'); replace(fmsg, notice('error', 'Write something first.')); ta.focus(); return; }
			btn.disabled = true;
			try {
				await api.addEntryComment(entry.id, text, parent ? parent.id : null);
			} catch (err) {
				btn.disabled = false;
				if (!ctx.alive() || err.status === 401) return;
				replace(fmsg, notice('error', err.message));
				return;
			}
			if (!ctx.alive()) return;
			replyTo = null;
			toast(parent ? 'Reply added' : 'Comment added');
			await loadComments();
			loadHistory();
			const last = commentsBox.querySelector('form:not(.rel-reply-form) textarea');
			if (last && !parent) last.focus();
		});
		return form;
	}

	async function resolve(c, resolved) {
		try {
			await api.resolveEntryComment(entry.id, c.id, resolved);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		toast(resolved ? 'Comment resolved' : 'Comment reopened');
		await loadComments();
		loadHistory();
		const b = commentsBox.querySelector(`[data-testid="comment"][data-id="${c.id}"] [data-testid="${resolved ? 'comment-reopen' : 'comment-resolve'}"]`);
		if (b) b.focus();
	}

	/* ---- history ---- */

	function lines(v) {
		if (v === null || v === undefined || v === '') return 'none';
		return String(v).split('\n').filter(Boolean).join(', ') || 'none';
	}

	function histValue(f, v) {
		let text;
		if (f === 'state') text = v ? entryStateLabel(v) : 'none';
		else if (f === 'date') text = v ? dateText(v) : 'none';
		else if (f === 'milestone') text = v ? ((milestonesById.get(Number(v)) || {}).title || `milestone ${v}`) : 'none';
		else text = lines(v);
		const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
		return h('span', { class: `val${v === null || v === undefined || v === '' ? ' val-none' : ''}`, title: text }, short);
	}

	function historyText(e) {
		const f = e.field;
		if (f === 'created' || f === 'create') {
			// Drafted from an issue: the history names it ("#47").
			const from = /^#\d+$/.test(String(e.new || '').trim()) ? String(e.new).trim() : null;
			return [h('span', null, 'created the entry'), from ? h('span', null, ' from ', h('a', { href: `/issues/${from.slice(1)}` }, from)) : null];
		}
		if (f === 'comment') return [h('span', null, 'commented'), e.new ? h('span', { class: 'muted' }, ` (${e.new})`) : null];
		if (f === 'comment_resolved') return [h('span', null, 'resolved comment '), h('strong', null, e.new || '')];
		if (f === 'comment_reopened') return [h('span', null, 'reopened comment '), h('strong', null, e.new || '')];
		if (f === 'told') return [h('span', null, 'marked told: '), h('strong', null, e.new || '')];
		if (f === 'body') return [h('span', null, 'edited the '), h('strong', null, 'body')];
		if (f === 'issues' && (e.old === null || e.old === undefined) && (e.new === null || e.new === undefined)) {
			return [h('span', null, 'changed the '), h('strong', null, 'linked issues')];
		}
		if (f === 'state') {
			return [h('span', null, 'moved it '), histValue(f, e.old), h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '), histValue(f, e.new)];
		}
		return [h('span', null, 'changed '), h('strong', null, HISTORY_FIELD[f] || String(f || '').replace(/_/g, ' ')), h('span', null, ' '),
			histValue(f, e.old), h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '), histValue(f, e.new)];
	}

	async function loadHistory() {
		let items;
		try {
			items = await api.entryHistory(entry.id);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(historyBox, h('h2', { id: 'history-h' }, 'History'), notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		if (items.some(e => e.field === 'milestone') && !milestonesById.size) {
			try {
				const d = await api.listMilestones();
				milestonesById = new Map(((d && d.items) || []).map(m => [m.id, m]));
			} catch (_) { /* ids only */ }
			if (!ctx.alive()) return;
		}
		replace(historyBox,
			h('h2', { id: 'history-h' }, 'History'),
			items.length
				? h('ol', { class: 'timeline' }, items.map(e => h('li', { class: 'tl-item', dataset: { field: e.field || '' }, 'data-testid': 'history-item' },
					avatar(e.actor),
					h('div', { class: 'tl-text' },
						h('strong', { class: 'tl-actor' }, e.actor || 'system'), ' ',
						historyText(e),
						h('span', { class: 'tl-time muted' }, ' · ', timeEl(h, e.at, 'daytime'))))))
				: h('p', { class: 'muted' }, 'No changes yet.'));
	}

	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
		if (ev.key === 'e' && !editing && mayEdit()) { ev.preventDefault(); startEdit(); }
	};
	document.addEventListener('keydown', onKey);
	ctx.onCleanup(() => document.removeEventListener('keydown', onKey));

	paint();
	paintComments();
	replace(historyBox, h('h2', { id: 'history-h' }, 'History'), spinner());
	await Promise.all([loadHistory(), loadComments(), entry.state === 'published' ? loadTell() : null]);
}

/* ---------- /releases/settings (admin) ---------- */

function deliveryChip(state) {
	const s = String(state || '').replace(/[^a-z]/g, '');
	const text = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' }[s] || s || '—';
	return h('span', { class: `dlv dlv-${s}`, 'data-testid': 'delivery-state' }, text);
}

function randomSecret() {
	const b = new Uint8Array(24);
	crypto.getRandomValues(b);
	return [...b].map(x => x.toString(16).padStart(2, '0')).join('');
}

export async function renderReleaseSettings(ctx) {
	ctx.setTitle('Release settings');
	const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
		h('a', { href: '/releases' }, 'Releases'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'Settings'));
	if (!can(ctx.user, 'admin')) {
		replace(ctx.root, h('section', { class: 'page page-narrow' }, crumbs,
			h('h1', null, 'Release settings'),
			notice('info', 'Only admins turn the public changelog on or off and manage outgoing hooks.'),
			h('p', null, h('a', { href: '/releases', class: 'btn' }, 'Back to releases'))));
		return;
	}
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	let settings = await api.getSettings();
	if (!ctx.alive()) return;

	const publicBox = h('section', { class: 'card rel-set-card', 'aria-labelledby': 'pub-h', 'data-testid': 'public-settings' });
	const hooksBox = h('section', { class: 'card rel-set-card', 'aria-labelledby': 'hooks-h', 'data-testid': 'hooks' });
	const deliveriesBox = h('section', { class: 'rel-set-deliveries', 'aria-labelledby': 'dlv-h', 'data-testid': 'deliveries' });

	replace(ctx.root, h('section', { class: 'page rel-settings-page' }, crumbs,
		h('div', { class: 'page-head' }, h('h1', null, 'Release settings')),
		h('div', { class: 'rel-set-grid' }, publicBox, hooksBox),
		deliveriesBox));

	/* ---- the public changelog ---- */

	function paintPublic() {
		const on = !!settings.public_changelog;
		const box = h('input', { type: 'checkbox', name: 'public_changelog', id: uid('pub'), checked: on, 'data-testid': 'public-toggle' });
		const url = h('input', {
			type: 'text', name: 'public_url', value: settings.public_url || '', autocomplete: 'off', spellcheck: 'false', inputmode: 'url',
			placeholder: 'https://cairn.example.com', class: 'mono', 'data-testid': 'public-url',
		});
		const fmsg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'public-save' }, 'Save');
		const form = h('form', { class: 'rel-set-form', novalidate: true, 'aria-labelledby': 'pub-h' },
			h('div', { class: 'rel-switch' }, box, h('label', { for: box.id }, 'Publish the changelog: anyone can read ', h('code', null, '/changelog'), ' and its Atom feed without signing in')),
			field('Public URL', url, { hint: 'The address readers use, for the absolute links in the feed and in messages to customers. Empty: the address each request came to.' }),
			fmsg,
			h('div', { class: 'form-actions' }, save));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(fmsg);
			markInvalid(form, null);
			const body = {};
			if (box.checked !== !!settings.public_changelog) body.public_changelog = box.checked;
			if (url.value.trim() !== (settings.public_url || '')) body.public_url = url.value.trim();
			if (!Object.keys(body).length) { toast('Nothing changed'); return; }
			save.disabled = true;
			try {
				settings = await api.updateSettings(body);
			} catch (err) {
				save.disabled = false;
				if (!ctx.alive() || err.status === 401) return;
				const bad = markInvalid(form, err.field);
				replace(fmsg, notice('error', err.message));
				if (bad) bad.focus();
				return;
			}
			if (!ctx.alive()) return;
			toast(settings.public_changelog ? 'The public changelog is on' : 'The public changelog is off');
			paintPublic();
			const b = publicBox.querySelector('[data-testid="public-toggle"]');
			if (b) b.focus();
		});
		replace(publicBox,
			h('div', { class: 'section-head' },
				h('h2', { id: 'pub-h' }, 'Public changelog'),
				h('span', { class: `rel-pub-state${on ? ' on' : ''}`, 'data-testid': 'public-state' }, on ? 'On' : 'Off')),
			h('p', { class: 'muted rel-set-lead' }, on
				? 'Published entries are public: the page, newest first, and the feed for readers.'
				: 'Off: the page and the feed answer “not found” to anyone not signed in. Signed-in users can always preview them.'),
			form,
			h('p', { class: 'rel-pub-links' },
				h('a', { href: '/changelog', 'data-testid': 'public-page-link' }, on ? 'Open the public page' : 'Preview the public page'),
				h('span', { class: 'muted', 'aria-hidden': 'true' }, ' · '),
				h('a', { href: '/changelog.atom', 'data-testid': 'public-feed-link', type: 'application/atom+xml' }, 'Atom feed')));
	}

	/* ---- hooks ---- */

	async function loadHooks() {
		let hooks;
		try {
			hooks = await api.listHooks();
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(hooksBox, h('h2', { id: 'hooks-h' }, 'Outgoing hooks'), notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		const url = h('input', { type: 'text', name: 'url', autocomplete: 'off', spellcheck: 'false', inputmode: 'url', placeholder: 'https://hooks.example.com/cairn', class: 'mono', 'data-testid': 'hook-url' });
		const secret = h('input', { type: 'text', name: 'secret', id: uid('secret'), autocomplete: 'off', spellcheck: 'false', class: 'mono', 'data-testid': 'hook-secret' });
		const fmsg = h('div', { class: 'form-msg' });
		const add = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'hook-add' }, 'Add hook');
		const form = h('form', { class: 'rel-set-form', novalidate: true, 'aria-label': 'Add a hook' },
			field('URL', url),
			h('div', { class: 'field' },
				h('label', { for: secret.id }, 'Secret'),
				h('div', { class: 'rel-secret-row' }, secret,
					h('button', { type: 'button', class: 'btn btn-sm', onclick: () => { secret.value = randomSecret(); secret.focus(); secret.select(); } }, 'Generate')),
				h('span', { class: 'hint', id: `${secret.id}-hint` }, '16 characters or more; it signs every delivery (X-Cairn-Signature-256). Give it to the receiver: it is never shown again.')),
			fmsg,
			h('div', { class: 'form-actions' }, add));
		secret.setAttribute('aria-describedby', `${secret.id}-hint`);
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(fmsg);
			markInvalid(form, null);
			add.disabled = true;
			try {
				await api.addHook(url.value.trim(), secret.value);
			} catch (err) {
				add.disabled = false;
				if (!ctx.alive() || err.status === 401) return;
				const bad = markInvalid(form, err.field);
				replace(fmsg, notice('error', err.message));
				if (bad) bad.focus();
				return;
			}
			if (!ctx.alive()) return;
			toast('Hook added');
			await loadHooks();
			const u = hooksBox.querySelector('[data-testid="hook-url"]');
			if (u) u.focus();
		});
		replace(hooksBox,
			h('div', { class: 'section-head' }, h('h2', { id: 'hooks-h' }, 'Outgoing hooks'),
				h('span', { class: 'muted' }, plural(hooks.length, 'hook'))),
			h('p', { class: 'muted rel-set-lead' }, 'On publish, each hook gets a signed JSON event (the entry, its issues and customers), retried with backoff. A failing receiver never blocks publishing.'),
			hooks.length
				? h('ul', { class: 'rel-hooks', 'data-testid': 'hook-list' }, hooks.map(k => h('li', { class: 'rel-hook', dataset: { id: String(k.id) }, 'data-testid': 'hook' },
					h('span', { class: 'mono rel-hook-url' }, k.url),
					h('span', { class: 'muted rel-hook-at' }, 'added ', timeEl(h, k.created_at)),
					h('button', { type: 'button', class: 'btn btn-sm btn-ghost', 'data-testid': 'hook-delete', 'aria-label': `Delete the hook ${k.url}`, onclick: () => removeHook(k) }, 'Delete'))))
				: h('p', { class: 'muted rel-none' }, 'No hooks yet.'),
			form);
	}

	async function removeHook(k) {
		if (!window.confirm(`Delete the hook ${k.url}? Deliveries still pending for it stop.`)) return;
		try {
			await api.deleteHook(k.id);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			hooksBox.appendChild(notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		toast('Hook deleted');
		await Promise.all([loadHooks(), loadDeliveries()]);
	}

	/* ---- deliveries ---- */

	async function loadDeliveries() {
		let items;
		const title = h('div', { class: 'section-head' }, h('h2', { id: 'dlv-h' }, 'Recent deliveries'),
			h('div', { class: 'page-head-spacer' }),
			h('button', { type: 'button', class: 'btn btn-sm', onclick: loadDeliveries, 'data-testid': 'deliveries-refresh' }, 'Refresh'));
		let titles = new Map();
		try {
			// The entries' titles (best effort: deliveries are for published entries).
			const [list, pub] = await Promise.all([api.hookDeliveries(),
				api.listChangelog({ state: 'published', perPage: 100 }).catch((err) => { if (err.status === 401) throw err; return null; })]);
			items = list;
			titles = new Map(((pub && pub.items) || []).map(x => [x.id, x.title]));
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(deliveriesBox, title, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		if (!items.length) {
			replace(deliveriesBox, title, h('div', { class: 'card empty' }, h('p', { class: 'muted' }, 'Nothing delivered yet: an event goes out when an entry is published.')));
			return;
		}
		replace(deliveriesBox, title, h('div', { class: 'results' }, h('table', { class: 'issues rel-dlv-table' },
			h('caption', { class: 'sr-only' }, 'Hook deliveries, newest first'),
			h('colgroup', null, h('col', { class: 'c-dlv-id' }), h('col', { class: 'c-dlv-entry' }), h('col', { class: 'c-dlv-url' }),
				h('col', { class: 'c-dlv-state' }), h('col', { class: 'c-dlv-n' }), h('col', { class: 'c-dlv-n' }), h('col', { class: 'c-dlv-err' }), h('col', { class: 'c-dlv-at' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, '#'),
				h('th', { scope: 'col' }, 'Entry'),
				h('th', { scope: 'col' }, 'Hook'),
				h('th', { scope: 'col' }, 'State'),
				h('th', { scope: 'col', class: 'right' }, 'Attempts'),
				h('th', { scope: 'col', class: 'right' }, 'Status'),
				h('th', { scope: 'col' }, 'Error'),
				h('th', { scope: 'col' }, 'When'))),
			h('tbody', null, items.map(d => h('tr', { dataset: { id: String(d.id) }, 'data-testid': 'delivery' },
				h('td', { class: 'num' }, String(d.id)),
				h('td', { 'data-label': 'Entry' }, d.entry ? h('a', { href: `/releases/${d.entry}`, title: `Entry ${d.entry}` }, titles.get(d.entry) || `Entry ${d.entry}`) : h('span', { class: 'muted' }, d.event || '—')),
				h('td', { class: 'mono rel-dlv-url', title: d.url, 'data-label': 'Hook' }, d.url),
				h('td', { 'data-label': 'State' }, deliveryChip(d.state)),
				h('td', { class: 'right mono-num', 'data-label': 'Attempts' }, String(d.attempts ?? 0)),
				h('td', { class: 'right mono-num', 'data-label': 'Status' }, d.status === null || d.status === undefined ? '—' : String(d.status)),
				h('td', { class: 'rel-dlv-err', title: d.error || '', 'data-label': 'Error' }, d.error || h('span', { class: 'muted' }, '—')),
				h('td', { 'data-label': 'When' }, d.state === 'pending' && d.next_at
					? h('span', null, 'next ', timeEl(h, d.next_at, 'daytime'))
					: timeEl(h, d.updated_at, 'daytime'))))))));
	}

	paintPublic();
	replace(hooksBox, h('h2', { id: 'hooks-h' }, 'Outgoing hooks'), spinner());
	replace(deliveriesBox, h('h2', { id: 'dlv-h' }, 'Recent deliveries'), spinner());
	await Promise.all([loadHooks(), loadDeliveries()]);
}
