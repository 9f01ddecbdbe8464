// app.js — boot, session, top bar and the client-side router.
//
// Routes (the server answers every non-API, non-asset GET with index.html):
//   /                 issue list  (?q=…&page=…)
//   /home             my home page: assigned, mentions, reviews, security,
//                     the milestone in progress (the logo links here)
//   /issues/new       new issue form
//   /issues/{n}       one issue
//   /triage           the triage inbox
//   /insights         the insights inbox (new insights, linked with the keyboard)
//   /backlog          the ranked backlog (?rank=demand|rice, ?view=movers&since=)
//   /tiers            pricing tiers: the tier matrix (?milestone=ID, ?show=disagree),
//                     upsell and mismatch signals, the tier list (admins, PMs)
//   /customers        customers;  /customers/{id}  one customer
//   /boards/product   the product board;  /boards/dev  the development board (?milestone=ID)
//   /milestones       milestones;  /milestones/{id}  one milestone (burn-up, forecast, report)
//   /issues/{n}/tree  an issue's place in the hierarchy
//   /releases         changelog entries by state (?state=…&milestone=…&page=…)
//   /releases/new     a new changelog entry;  /releases/{id}  one entry
//   /releases/settings  the public changelog and outgoing hooks (admin)
//   /strategy         the strategy: document (versions, diff), review, objectives
//                     and key results, pillars, initiatives, history
//   /strategy/initiatives/{id}  one initiative (also /initiatives/{id})
//   /strategy/roadmap  Now / Next / Later (?view=timeline: the timeline); the
//                     app cannot use /roadmap: that is the server's public page
//   /strategy/allocation  investment allocation (?by=milestone|quarter&last=N)
//   /estimation       estimation calibration: cycle time per size (?days=90|180|365)
//   /estimation/sessions  planning poker: the sessions (?new=1: the form open)
//   /estimation/sessions/{n}  one session, live over server-sent events
//   /decisions        the decision log (?q=…&status=…&involving=1)
//   /decisions/new    a new decision (?supersedes=ID);  /decisions/{id}  one decision
//   /account          your account: profile, password, API tokens, log out
//                     everywhere (?new=token: the token form open); the user
//                     chip in the top bar links here
//   /admin/users      users: roles, disable/enable, passwords, sessions (admins;
//                     ?new=1: the add-user form open)
//   /admin/audit      the audit log (admins)
//   /admin/github     GitHub repositories, logins, deliveries, calls (admins)
//   /security         open security issues past or near their fix-by date
//                     (admins, PMs, CTOs: the inbox's SLA-breach count links here)
//   /inbox            your notifications (?unread=1, ?page=N); the count sits on
//                     your avatar in the top bar and links here
//   /login            sign in     (?next=/path)

import * as api from './api.js?v={{v}}';
import { h, replace, svg } from './dom.js?v={{v}}';
import { roleLabel } from './fmt.js?v={{v}}';
import { avatar, can, canWriteIssues } from './ui.js?v={{v}}';
import { renderLogin } from './login.js?v={{v}}';
import { renderList } from './list.js?v={{v}}';
import { renderIssue } from './issue.js?v={{v}}';
import { renderNewIssue } from './new.js?v={{v}}';
import { renderInbox } from './inbox.js?v={{v}}';
import { renderInsights } from './insights.js?v={{v}}';
import { renderBacklog } from './backlog.js?v={{v}}';
import { renderTiers } from './tiers.js?v={{v}}';
import { renderCustomers, renderCustomer } from './customer.js?v={{v}}';
import { renderCustomerForm, renderPersonas } from './customer_form.js?v={{v}}';
import { renderNewInsight, renderImport } from './insight_form.js?v={{v}}';
import { renderBoard } from './board.js?v={{v}}';
import { renderMilestones, renderMilestone } from './milestone.js?v={{v}}';
import { renderTreePage } from './tree.js?v={{v}}';
import { renderReleases, renderRelease, renderNewRelease, renderReleaseSettings } from './releases.js?v={{v}}';
import { renderStrategy, renderInitiative, renderAllocation } from './strategy.js?v={{v}}';
import { renderRoadmap } from './roadmap.js?v={{v}}';
import { renderDecisions, renderDecision, renderNewDecision } from './decisions.js?v={{v}}';
import { renderEstimation } from './estimation.js?v={{v}}';
import { renderSessions, renderSession } from './poker.js?v={{v}}';
import { renderAccount } from './account.js?v={{v}}';
import { renderUsers, renderAudit } from './admin.js?v={{v}}';
import { renderGithub } from './github.js?v={{v}}';
import { renderSecurity } from './security.js?v={{v}}';
import { initPalette, openPalette } from './palette.js?v={{v}}';
import { renderInboxPage } from './notifications.js?v={{v}}';
import { renderHome } from './home.js?v={{v}}';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');

const app = {
	user: null,
	renderSeq: 0,
	cleanups: [],
	inboxCount: null, // the inbox size shown in the top bar (null: unknown)
	inboxSeq: 0,
	insightCount: null, // new insights, shown next to "Insights"
	insightSeq: 0,
};

/* ---------- routing ---------- */

function match(pathname) {
	if (pathname === '/' || pathname === '') return { view: 'list' };
	if (pathname === '/login') return { view: 'login' };
	if (pathname === '/home' || pathname === '/home/') return { view: 'home' };
	if (pathname === '/issues/new') return { view: 'new' };
	if (pathname === '/triage' || pathname === '/triage/') return { view: 'inbox' };
	if (pathname === '/security' || pathname === '/security/') return { view: 'security' };
	if (pathname === '/inbox' || pathname === '/inbox/') return { view: 'notifications' };
	if (pathname === '/insights' || pathname === '/insights/') return { view: 'insights' };
	if (pathname === '/insights/new') return { view: 'insight-new' };
	if (pathname === '/insights/import') return { view: 'insight-import' };
	if (pathname === '/customers/new') return { view: 'customer-new' };
	if (pathname === '/personas' || pathname === '/personas/') return { view: 'personas' };
	const ce = /^\/customers\/(\d+)\/edit\/?$/.exec(pathname);
	if (ce) return { view: 'customer-edit', id: Number(ce[1]) };
	if (pathname === '/backlog' || pathname === '/backlog/') return { view: 'backlog' };
	if (pathname === '/tiers' || pathname === '/tiers/') return { view: 'tiers' };
	if (pathname === '/customers' || pathname === '/customers/') return { view: 'customers' };
	const c = /^\/customers\/(\d+)\/?$/.exec(pathname);
	if (c) return { view: 'customer', id: Number(c[1]) };
	const m = /^\/issues\/(\d+)\/?$/.exec(pathname);
	if (m) return { view: 'issue', number: Number(m[1]) };
	const t = /^\/issues\/(\d+)\/tree\/?$/.exec(pathname);
	if (t) return { view: 'tree', number: Number(t[1]) };
	if (pathname === '/boards' || pathname === '/boards/') return { view: 'board', board: 'dev' };
	const b = /^\/boards\/(product|dev)\/?$/.exec(pathname);
	if (b) return { view: 'board', board: b[1] };
	if (pathname === '/milestones' || pathname === '/milestones/') return { view: 'milestones' };
	const ms = /^\/milestones\/(\d+)\/?$/.exec(pathname);
	if (ms) return { view: 'milestone', id: Number(ms[1]) };
	if (pathname === '/releases' || pathname === '/releases/') return { view: 'releases' };
	if (pathname === '/releases/new') return { view: 'release-new' };
	if (pathname === '/releases/settings') return { view: 'release-settings' };
	const rel = /^\/releases\/(\d+)\/?$/.exec(pathname);
	if (rel) return { view: 'release', id: Number(rel[1]) };
	if (pathname === '/strategy' || pathname === '/strategy/') return { view: 'strategy' };
	if (pathname === '/strategy/roadmap' || pathname === '/strategy/roadmap/') return { view: 'roadmap' };
	if (pathname === '/strategy/allocation' || pathname === '/strategy/allocation/') return { view: 'allocation' };
	const ini = /^\/(?:strategy\/)?initiatives\/(\d+)\/?$/.exec(pathname);
	if (ini) return { view: 'initiative', id: Number(ini[1]) };
	if (pathname === '/estimation' || pathname === '/estimation/') return { view: 'estimation' };
	if (pathname === '/estimation/sessions' || pathname === '/estimation/sessions/') return { view: 'poker-sessions' };
	const pk = /^\/estimation\/sessions\/(\d+)\/?$/.exec(pathname);
	if (pk) return { view: 'poker-session', id: Number(pk[1]) };
	if (pathname === '/decisions' || pathname === '/decisions/') return { view: 'decisions' };
	if (pathname === '/decisions/new') return { view: 'decision-new' };
	const dec = /^\/decisions\/(\d+)\/?$/.exec(pathname);
	if (dec) return { view: 'decision', id: Number(dec[1]) };
	if (pathname === '/issues' || pathname === '/issues/') return { view: 'list' };
	if (pathname === '/account' || pathname === '/account/') return { view: 'account' };
	if (pathname === '/admin' || pathname === '/admin/' || pathname === '/admin/users' || pathname === '/admin/users/') return { view: 'admin-users' };
	if (pathname === '/admin/audit' || pathname === '/admin/audit/') return { view: 'admin-audit' };
	if (pathname === '/admin/github' || pathname === '/admin/github/') return { view: 'admin-github' };
	return { view: 'notfound' };
}

export function navigate(to, { replace: rep = false, focus = true } = {}) {
	const url = new URL(to, location.origin);
	const target = url.pathname + url.search + url.hash;
	if (target !== location.pathname + location.search + location.hash) {
		if (rep) history.replaceState(null, '', target);
		else history.pushState(null, '', target);
	}
	return render({ focus });
}

/* Update the URL without re-rendering (e.g. the list's filter and page). */
export function setUrl(to) {
	history.replaceState(null, '', to);
}

/* Safe "next" target: a same-origin path only. */
function safeNext(next) {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
	return next;
}

function currentPath() {
	return location.pathname + location.search;
}

function showLogin() {
	app.user = null;
	stopNotifyStream();
	const next = location.pathname === '/login'
		? new URLSearchParams(location.search).get('next')
		: currentPath();
	const target = `/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`;
	history.replaceState(null, '', target);
	return render({ focus: true });
}

async function render({ focus = true } = {}) {
	const seq = ++app.renderSeq;
	for (const fn of app.cleanups.splice(0)) { try { fn(); } catch (_) { /* ignore */ } }
	const route = match(location.pathname);
	const query = new URLSearchParams(location.search);

	if (route.view !== 'login' && !app.user) {
		return showLogin();
	}
	if (route.view === 'login' && app.user) {
		history.replaceState(null, '', safeNext(query.get('next')));
		return render({ focus });
	}

	renderTopbar(route);
	const ctx = {
		root: main,
		user: app.user,
		query,
		params: route,
		navigate,
		setUrl,
		alive: () => seq === app.renderSeq,
		setTitle: (t) => { document.title = t ? `${t} · Cairn` : 'Cairn'; },
		onCleanup: (fn) => { app.cleanups.push(fn); }, /* every one runs when the page is left */
		setInboxCount,
		setInsightCount,
		setNotifyCount,
		signedOut, /* the session is gone (log out everywhere): to the login page */
		refreshUser, /* my role may have changed: ask the server, paint again */
	};
	main.className = `main view-${route.view}`;
	try {
		switch (route.view) {
		case 'login':
			await renderLogin(ctx, async (user) => {
				app.user = user;
				await navigate(safeNext(query.get('next')), { replace: true });
			});
			break;
		case 'list': await renderList(ctx); break;
		case 'home': await renderHome(ctx); break;
		case 'new':
			if (canWriteIssues(app.user)) await renderNewIssue(ctx);
			else renderReadOnly(ctx, 'New issue', 'Your role reads issues; ask an admin for a role that writes them.');
			break;
		case 'issue': await renderIssue(ctx); break;
		case 'inbox': await renderInbox(ctx); break;
		case 'security': await renderSecurity(ctx); break;
		case 'notifications': await renderInboxPage(ctx); break;
		case 'insights': await renderInsights(ctx); break;
		case 'backlog': await renderBacklog(ctx); break;
		case 'tiers': await renderTiers(ctx); break;
		case 'customers': await renderCustomers(ctx); break;
		case 'personas': await renderPersonas(ctx); break;
		case 'customer-new':
		case 'customer-edit':
			if (can(app.user, 'customer.write')) await renderCustomerForm(ctx);
			else renderReadOnly(ctx, 'Customers', 'Your role reads customers; admins and PMs add and edit them.');
			break;
		case 'insight-new':
		case 'insight-import':
			if (!can(app.user, 'insight.write')) renderReadOnly(ctx, 'Insights', 'Your role reads insights; ask an admin for a role that records them.');
			else if (route.view === 'insight-new') await renderNewInsight(ctx);
			else await renderImport(ctx);
			break;
		case 'customer': await renderCustomer(ctx); break;
		case 'board': await renderBoard(ctx); break;
		case 'milestones': await renderMilestones(ctx); break;
		case 'milestone': await renderMilestone(ctx); break;
		case 'tree': await renderTreePage(ctx); break;
		case 'releases': await renderReleases(ctx); break;
		case 'release-new': await renderNewRelease(ctx); break;
		case 'release': await renderRelease(ctx); break;
		case 'release-settings': await renderReleaseSettings(ctx); break;
		case 'strategy': await renderStrategy(ctx); break;
		case 'initiative': await renderInitiative(ctx); break;
		case 'roadmap': await renderRoadmap(ctx); break;
		case 'allocation': await renderAllocation(ctx); break;
		case 'estimation': await renderEstimation(ctx); break;
		case 'poker-sessions': await renderSessions(ctx); break;
		case 'poker-session': await renderSession(ctx); break;
		case 'decisions': await renderDecisions(ctx); break;
		case 'decision-new': await renderNewDecision(ctx); break;
		case 'decision': await renderDecision(ctx); break;
		case 'account': await renderAccount(ctx); break;
		case 'admin-users': await renderUsers(ctx); break;
		case 'admin-audit': await renderAudit(ctx); break;
		case 'admin-github': await renderGithub(ctx); break;
		default: renderNotFound(ctx);
		}
	} catch (err) {
		if (err && err.status === 401) return undefined; // handled by onUnauthorized
		if (!ctx.alive()) return undefined;
		renderFailure(ctx, err);
	}
	if (focus && ctx.alive()) focusHeading();
	return undefined;
}

function focusHeading() {
	const active = document.activeElement;
	if (active && active !== document.body && main.contains(active)) return; // a view chose focus
	const h1 = main.querySelector('h1');
	if (h1) {
		h1.setAttribute('tabindex', '-1');
		h1.focus({ preventScroll: true });
	}
}

function renderNotFound(ctx) {
	ctx.setTitle('Not found');
	replace(ctx.root, h('section', { class: 'page page-narrow empty-page' },
		h('h1', null, 'Page not found'),
		h('p', { class: 'muted' }, 'There is nothing at this address.'),
		h('p', null, h('a', { href: '/', class: 'btn' }, 'Back to issues'))));
}

/* A page this role may not use (a viewer at /issues/new): said, not offered. */
function renderReadOnly(ctx, title, text) {
	ctx.setTitle(title);
	replace(ctx.root, h('section', { class: 'page page-narrow empty-page', 'data-testid': 'read-only' },
		h('h1', null, title),
		h('p', { class: 'muted' }, text),
		h('p', null, h('a', { href: '/', class: 'btn' }, 'Back to issues'))));
}

function renderFailure(ctx, err) {
	ctx.setTitle('Error');
	replace(ctx.root, h('section', { class: 'page page-narrow empty-page' },
		h('h1', null, err && err.status === 404 ? 'Not found' : 'Something went wrong'),
		h('p', { class: 'muted' }, (err && err.message) || String(err)),
		h('p', null, h('a', { href: '/', class: 'btn' }, 'Back to issues'))));
}

/* ---------- top bar ---------- */

function logo() {
	return svg('svg', { viewBox: '0 0 32 32', width: 22, height: 22, 'aria-hidden': 'true', class: 'logo-mark' },
		svg('rect', { width: 32, height: 32, rx: 8, class: 'logo-bg' }),
		svg('ellipse', { cx: 16, cy: 24, rx: 9, ry: 3.6, class: 'logo-stone' }),
		svg('ellipse', { cx: 16, cy: 16.5, rx: 6.5, ry: 3, class: 'logo-stone', opacity: 0.85 }),
		svg('ellipse', { cx: 16, cy: 10, rx: 4, ry: 2.4, class: 'logo-stone', opacity: 0.7 }));
}

function renderTopbar(route) {
	if (route.view === 'login' || !app.user) {
		topbar.hidden = true;
		replace(topbar);
		return;
	}
	topbar.hidden = false;
	const u = app.user;
	if (route.view !== 'inbox') refreshInboxCount();
	if (route.view !== 'insights') refreshInsightCount();
	if (route.view !== 'notifications') refreshNotifyCount();
	liveNotifyCount();
	const issuesActive = route.view === 'list' || route.view === 'issue' || route.view === 'new' || route.view === 'tree';
	const inboxActive = route.view === 'inbox' || route.view === 'security';
	const navLink = (href, text, on, testid, ...extra) => h('a', {
		href, class: on ? 'active' : null, 'aria-current': on ? 'page' : null, 'data-testid': testid,
	}, text, ...extra);
	// On a phone the links fold into a menu (style.css "the top bar on a
	// phone"): the button opens the full list; the current page's link stays
	// in the bar.
	topbar.classList.remove('menu-open');
	const menuBtn = h('button', {
		type: 'button', class: 'menu-btn', id: 'menu-btn', 'aria-controls': 'main-nav', 'aria-expanded': 'false',
		'aria-label': 'Menu', title: 'All pages', 'data-testid': 'menu-btn', onclick: () => setMenu(!topbar.classList.contains('menu-open')),
	}, svg('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', class: 'menu-icon' },
		svg('path', { d: 'M2 4h12M2 8h12M2 12h12', fill: 'none', 'stroke-width': 1.6, 'stroke-linecap': 'round' })));
	replace(topbar,
		h('a', {
			href: '/home', class: `brand${route.view === 'home' ? ' active' : ''}`, 'aria-label': 'Cairn — home',
			'aria-current': route.view === 'home' ? 'page' : null, title: 'Home: what waits for you', 'data-testid': 'nav-home',
		}, logo(), h('span', null, 'Cairn')),
		menuBtn,
		h('nav', { class: 'nav', id: 'main-nav', 'aria-label': 'Main', 'data-testid': 'main-nav' },
			h('a', { href: '/', class: issuesActive ? 'active' : null, 'aria-current': issuesActive ? 'page' : null, 'data-testid': 'nav-issues' }, 'Issues'),
			h('a', {
				href: '/triage', class: inboxActive ? 'active' : null, 'aria-current': inboxActive ? 'page' : null,
				'data-testid': 'nav-inbox',
			}, 'Inbox', inboxBadge),
			navLink('/insights', 'Insights', /^insight/.test(route.view), 'nav-insights', insightBadge),
			navLink('/backlog', 'Backlog', route.view === 'backlog', 'nav-backlog'),
			navLink('/tiers', 'Tiers', route.view === 'tiers', 'nav-tiers'),
			navLink('/customers', 'Customers', /^customer|^personas/.test(route.view), 'nav-customers'),
			navLink('/strategy', 'Strategy', STRATEGY_VIEWS.has(route.view), 'nav-strategy'),
			navLink('/decisions', 'Decisions', /^decision/.test(route.view), 'nav-decisions'),
			navLink(route.view === 'board' && route.board === 'product' ? '/boards/product' : '/boards/dev', 'Boards', route.view === 'board', 'nav-boards'),
			navLink('/milestones', 'Milestones', route.view === 'milestones' || route.view === 'milestone', 'nav-milestones'),
			navLink('/estimation/sessions', 'Estimation', ESTIMATION_VIEWS.has(route.view), 'nav-estimation'),
			navLink('/releases', 'Releases', /^release/.test(route.view), 'nav-releases')),
		h('div', { class: 'topbar-spacer' }),
		h('button', {
			type: 'button', class: 'pal-btn', 'aria-label': 'Command palette', 'aria-keyshortcuts': 'Control+K Meta+K',
			title: 'Go to an issue, a page or an action (Ctrl+K, ⌘K)', 'data-testid': 'palette-btn',
			onclick: () => openPalette(app.user, (to) => navigate(to)),
		}, svg('svg', { viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true', class: 'pal-icon' },
			svg('circle', { cx: 7, cy: 7, r: 4.6, fill: 'none', 'stroke-width': 1.6 }),
			svg('path', { d: 'M10.4 10.4 14 14', fill: 'none', 'stroke-width': 1.6, 'stroke-linecap': 'round' })),
		h('kbd', { class: 'pal-kbd', 'aria-hidden': 'true' }, 'K')),
		// Viewers read: no "New issue" (hidden, not refused on submit).
		canWriteIssues(u)
			? h('a', { href: '/issues/new', class: 'btn btn-primary btn-sm new-issue-btn', 'data-shortcut': 'c', title: 'New issue (c)', 'data-testid': 'new-issue' },
				'New issue')
			: null,
		// The unread notifications: a badge over the avatar's corner (placed
		// absolutely, so the bar is no wider), a link of its own to /inbox.
		h('span', { class: 'me-wrap' },
		h('a', {
			href: '/account', class: `me${ACCOUNT_VIEWS.has(route.view) ? ' active' : ''}`, 'data-testid': 'me',
			'aria-current': ACCOUNT_VIEWS.has(route.view) ? 'page' : null,
			title: `${u.name ? `${u.name} (${u.login})` : u.login}: your account, tokens, password${u.role === 'admin' ? '; users and the audit log' : ''}`,
		},
			avatar(u.login),
			h('span', { class: 'me-login', 'data-testid': 'me-login' }, u.login),
			h('span', { class: `role role-${String(u.role || '').replace(/[^a-z]/g, '')}`, 'data-testid': 'me-role' }, roleLabel(u.role)),
			h('span', { class: 'sr-only' }, ' — your account')),
		notifyBadge),
		h('button', { type: 'button', class: 'link-btn', onclick: doLogout }, 'Log out'));
	notifyBadge.classList.toggle('active', route.view === 'notifications');
	revealActiveNav();
}

/* On a narrow screen the links scroll sideways: bring the current one into
 * view (again when a badge before it changes the widths). */
function revealActiveNav() {
	const nav = topbar.querySelector('.nav');
	const on = nav && nav.querySelector('a.active');
	if (!on || nav.scrollWidth <= nav.clientWidth) return;
	const left = on.getBoundingClientRect().left - nav.getBoundingClientRect().left + nav.scrollLeft;
	nav.scrollLeft = Math.max(0, left - (nav.clientWidth - on.offsetWidth) / 2);
}

/* Open or close the phone menu (the nav as a drop-down list). */
function setMenu(open, { focus = true } = {}) {
	const btn = document.getElementById('menu-btn');
	if (!btn) return;
	topbar.classList.toggle('menu-open', open);
	btn.setAttribute('aria-expanded', open ? 'true' : 'false');
	if (open && focus) {
		const first = topbar.querySelector('.nav a.active') || topbar.querySelector('.nav a');
		if (first) first.focus();
	} else if (!open && focus && topbar.contains(document.activeElement)) {
		btn.focus();
	}
}

document.addEventListener('keydown', (ev) => {
	if (ev.key === 'Escape' && topbar.classList.contains('menu-open')) { ev.preventDefault(); setMenu(false); }
}, true);
document.addEventListener('click', (ev) => {
	if (topbar.classList.contains('menu-open') && !(ev.target.closest && ev.target.closest('#main-nav, #menu-btn'))) setMenu(false, { focus: false });
}, true);

const STRATEGY_VIEWS = new Set(['strategy', 'initiative', 'roadmap', 'allocation']);
const ESTIMATION_VIEWS = new Set(['estimation', 'poker-sessions', 'poker-session']);
const ACCOUNT_VIEWS = new Set(['account', 'admin-users', 'admin-audit', 'admin-github']);

/* The inbox size next to "Inbox" in the top bar.  The inbox page sets it
 * from what it shows; other pages ask the server (GET /triage, one item). */
const inboxBadge = h('span', { class: 'nav-badge', 'data-testid': 'inbox-badge', hidden: true });

function setInboxCount(n) {
	app.inboxSeq++; // a number from the inbox page wins over a fetch in flight
	app.inboxCount = Number.isFinite(Number(n)) ? Number(n) : null;
	paintInboxBadge();
}

function paintInboxBadge() {
	const n = app.inboxCount;
	inboxBadge.hidden = n === null;
	inboxBadge.textContent = n === null ? '' : n > 999 ? '999+' : String(n);
	inboxBadge.setAttribute('aria-label', n === null ? '' : `${n} to triage`);
	inboxBadge.title = n === null ? '' : `${n} issue${n === 1 ? '' : 's'} to triage`;
	revealActiveNav();
}

async function refreshInboxCount() {
	const seq = ++app.inboxSeq;
	try {
		const data = await api.triageInbox({ page: 1, perPage: 1, stats: false });
		if (seq !== app.inboxSeq) return;
		const s = data && data.stats;
		app.inboxCount = s && Number.isFinite(Number(s.inbox_size)) ? Number(s.inbox_size) : Number(data.total);
	} catch (_) {
		if (seq !== app.inboxSeq) return;
		app.inboxCount = null; // an older server without triage, or signed out: no badge
	}
	paintInboxBadge();
}

/* The unread notifications on the avatar: the inbox page sets the number
 * from what it shows; other pages ask the server. */
const notifyCountEl = h('span', { class: 'notify-count', 'data-testid': 'notify-count' });
const notifyBadge = h('a', { href: '/inbox', class: 'notify-badge', 'data-testid': 'notify-badge' },
	svg('svg', { viewBox: '0 0 16 16', width: 10, height: 10, 'aria-hidden': 'true', class: 'notify-bell' },
		svg('path', { d: 'M4 11V7a4 4 0 0 1 8 0v4l1.5 1.5h-11zM6.5 14h3', fill: 'none', 'stroke-width': 1.8, 'stroke-linejoin': 'round' })),
	notifyCountEl);
app.notifyCount = null;
app.notifySeq = 0;

function setNotifyCount(n) {
	app.notifySeq++;
	app.notifyCount = Number.isFinite(Number(n)) ? Number(n) : null;
	paintNotifyBadge();
}

function paintNotifyBadge() {
	const n = app.notifyCount || 0;
	notifyCountEl.textContent = n > 99 ? '99+' : n ? String(n) : '';
	notifyBadge.classList.toggle('has-unread', n > 0);
	const label = n ? `Notifications: ${n} unread` : 'Notifications: none unread';
	notifyBadge.setAttribute('aria-label', label);
	notifyBadge.title = label;
}

async function refreshNotifyCount() {
	const seq = ++app.notifySeq;
	let n = null;
	try {
		n = await api.notificationCount();
	} catch (_) { /* an older server, or signed out: no number */ }
	if (seq !== app.notifySeq) return;
	app.notifyCount = n;
	paintNotifyBadge();
}
paintNotifyBadge();

/* The count live: the event stream's `notifications` topic carries the
 * signed-in user's unread count (theirs alone) at every new notification
 * and every mark-read, in any tab.  Back after a gap (or told to reset),
 * ask the server again. */
let notifyStream = null;
let notifyRetry = null;
function liveNotifyCount() {
	if (notifyStream || typeof EventSource === 'undefined') return;
	const es = new EventSource('/api/v1/events?topic=notifications');
	notifyStream = es;
	let opened = false;
	es.addEventListener('open', () => {
		if (opened) refreshNotifyCount();
		opened = true;
	});
	es.addEventListener('notifications', (ev) => {
		let data = null;
		try { data = JSON.parse(ev.data); } catch (_) { return; }
		if (data && Number.isFinite(Number(data.unread))) setNotifyCount(data.unread);
	});
	es.addEventListener('reset', () => refreshNotifyCount());
	es.addEventListener('error', () => {
		if (es.readyState !== EventSource.CLOSED) return; // the browser reconnects itself
		stopNotifyStream();
		clearTimeout(notifyRetry);
		notifyRetry = setTimeout(() => { if (app.user) liveNotifyCount(); }, 5000);
	});
}
function stopNotifyStream() {
	if (notifyStream) notifyStream.close();
	notifyStream = null;
}

/* The number of new insights next to "Insights": the insights page sets it
 * from what it shows; other pages ask the server (one item, the total). */
const insightBadge = h('span', { class: 'nav-badge', 'data-testid': 'insights-badge', hidden: true });

function setInsightCount(n) {
	app.insightSeq++;
	app.insightCount = Number.isFinite(Number(n)) ? Number(n) : null;
	paintInsightBadge();
}

function paintInsightBadge() {
	const n = app.insightCount;
	insightBadge.hidden = n === null;
	insightBadge.textContent = n === null ? '' : n > 999 ? '999+' : String(n);
	insightBadge.setAttribute('aria-label', n === null ? '' : `${n} new`);
	insightBadge.title = n === null ? '' : `${n} new insight${n === 1 ? '' : 's'} to process`;
	revealActiveNav();
}

async function refreshInsightCount() {
	const seq = ++app.insightSeq;
	try {
		const data = await api.listInsights({ state: 'new', page: 1, perPage: 1 });
		if (seq !== app.insightSeq) return;
		app.insightCount = Number.isFinite(Number(data && data.total)) ? Number(data.total) : null;
	} catch (_) {
		if (seq !== app.insightSeq) return;
		app.insightCount = null;
	}
	paintInsightBadge();
}

async function doLogout() {
	try { await api.logout(); } catch (_) { /* the session is gone either way */ }
	signedOut();
}

/* The session has ended (here or everywhere): forget the user, show the login page. */
function signedOut() {
	api.setCsrf(null);
	app.user = null;
	stopNotifyStream();
	clearTimeout(notifyRetry);
	app.inboxCount = null;
	paintInboxBadge();
	app.insightCount = null;
	paintInsightBadge();
	history.replaceState(null, '', '/login');
	render();
}

/* Ask the server who I am now (my role changed) and paint the page again. */
async function refreshUser() {
	let u;
	try { u = await api.currentSession(); } catch (_) { return; }
	if (!u) { signedOut(); return; }
	app.user = u;
	await render({ focus: false });
}

/* ---------- global handlers ---------- */

api.onUnauthorized(() => {
	if (location.pathname === '/login') return;
	showLogin();
});

document.addEventListener('click', (ev) => {
	if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
	const a = ev.target.closest && ev.target.closest('a[href]');
	if (!a || a.target || a.hasAttribute('download')) return;
	if (a.closest('.markdown')) return; // links inside issue bodies are ordinary links
	const url = new URL(a.href, location.href);
	if (url.origin !== location.origin) return;
	if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return;
	// The public changelog and its feed are server pages, not views of the app.
	if (url.pathname === '/changelog' || url.pathname === '/changelog.atom') return;
	if (url.pathname === '/roadmap') return; // the public roadmap page
	ev.preventDefault();
	navigate(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', () => render());

/* Keyboard: "/" filter, "c" new issue; views add their own (e, j/k; the
 * inbox its triage keys, in the capture phase so they come first). */
document.addEventListener('keydown', (ev) => {
	if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
	const t = ev.target;
	if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
	if (!app.user) return;
	if (ev.key === '/') {
		const f = document.getElementById('filter');
		if (f) { ev.preventDefault(); f.focus(); f.select(); }
	} else if (ev.key === 'c' && location.pathname !== '/issues/new' && canWriteIssues(app.user)) {
		ev.preventDefault();
		navigate('/issues/new');
	}
});

/* Ctrl+K / Cmd+K: the command palette (palette.js). */
initPalette({ getUser: () => app.user, go: (to) => navigate(to) });

/* ---------- boot ---------- */

async function boot() {
	try {
		app.user = await api.currentSession();
	} catch (err) {
		replace(main, h('section', { class: 'page page-narrow empty-page' },
			h('h1', null, 'Cairn is unreachable'),
			h('p', { class: 'muted' }, err.message),
			h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, 'Try again'))));
		return;
	}
	await render({ focus: false });
}

boot();
