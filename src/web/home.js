// home.js — /home: what waits for me (GET /api/v1/home, one request).
// Cards: the open issues assigned to me, the comments that mention me, the
// changes to issues I watch (closed, reopened, a new assignee, milestone,
// board column or priority: my change notifications, read or not), what
// waits for my review or vote (changelog entries in review, decisions due,
// the strategy review, estimation sessions), the security issues overdue
// and due soon (only for those who may see private issues) and the
// milestone in progress.  A card whose permission the role lacks is not
// drawn; an empty one says what to do.  The Cairn logo in the top bar
// links here (the bar has no room for another link; / stays the issues).

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { dateText, timeEl } from './fmt.js?v={{v}}';
import { can, notice, priorityIcon, spinner, typeBadge } from './ui.js?v={{v}}';

function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }

/* A card: heading (with a count), a list or the empty text, a footer link. */
function card(key, title, count, body, empty, more) {
	const hid = `home-${key}-h`;
	return h('section', { class: 'card home-card', 'aria-labelledby': hid, 'data-testid': `home-${key}` },
		h('div', { class: 'home-card-head' },
			h('h2', { id: hid }, title),
			count === null ? null : h('span', { class: 'count', 'data-testid': `home-${key}-count` }, String(count))),
		body || h('p', { class: 'muted home-empty', 'data-testid': 'home-empty' }, ...[].concat(empty)),
		more ? h('p', { class: 'home-more' }, more) : null);
}

/* The server's days to the fix-by date (its clock, not the browser's). */
function daysLeft(d, fixBy) {
	const text = d < 0 ? `${plural(-d, 'day')} overdue` : d === 0 ? 'due today' : `${plural(d, 'day')} left`;
	return h('span', { class: `countdown countdown-${d < 0 ? 'over' : d <= 3 ? 'soon' : 'ok'}`, title: `Fix by ${dateText(fixBy)}`, 'data-testid': 'countdown' }, text);
}

const list = (items, row) => (items.length ? h('ul', { class: 'home-list' }, items.map(row)) : null);
const num = (n) => h('span', { class: 'home-num' }, `#${n}`);

function issueRow(it) {
	return h('li', { class: 'home-item', 'data-testid': 'home-item', dataset: { number: String(it.number) } },
		h('a', { href: `/issues/${it.number}`, class: 'home-link' }, num(it.number), h('span', { class: 'home-title' }, it.title)),
		h('span', { class: 'home-meta' }, typeBadge(it.type), it.priority ? priorityIcon(it.priority) : null,
			it.days_left === undefined ? null : daysLeft(Number(it.days_left), it.fix_by)));
}

function assignedCard(a) {
	const items = a.items || [];
	return card('assigned', 'Assigned to me', a.total, list(items, issueRow),
		['Nothing is assigned to you. Pick an issue on the ', h('a', { href: '/boards/dev' }, 'development board'),
			' or in the ', h('a', { href: '/' }, 'issue list'), ' and set yourself as its assignee.'],
		a.total > items.length ? `The ${items.length} with the newest activity of ${a.total}.` : null);
}

function mentionsCard(m) {
	const items = m.items || [];
	return card('mentions', 'Mentions', null, list(items, (x) => h('li', { class: 'home-item', 'data-testid': 'home-item', dataset: { number: String(x.number), comment: String(x.comment_id) } },
		h('a', { href: `/issues/${x.number}`, class: 'home-link' }, num(x.number), h('span', { class: 'home-title' }, x.title)),
		h('span', { class: 'home-meta muted' }, x.author ? `@${x.author}` : 'a former user', ' · ', timeEl(h, x.at, 'rel')))),
	'Nobody has mentioned you yet. When someone writes @ and your login in a comment, it shows up here.');
}

const FIELD_TEXT = { state: 'state', assignee: 'assignee', milestone: 'milestone', board: 'board column', priority: 'priority' };

/* What a change notification says changed: "closed", "closed · priority",
 * "assignee, milestone". */
function changeText(x) {
	const fields = (x.changes || []).filter((f) => f !== 'state').map((f) => FIELD_TEXT[f] || f);
	const said = fields.length ? `changed ${fields.join(', ')}` : '';
	if (x.kind === 'state') return fields.length ? `${x.state}, ${said}` : x.state;
	return said || 'changed';
}

function watchingCard(w) {
	const items = w.items || [];
	return card('watching', 'Changes to issues you watch', null, list(items, (x) => h('li', {
		class: `home-item${x.read ? '' : ' home-unread'}`, 'data-testid': 'home-item', dataset: { number: String(x.issue.number), kind: x.kind },
	},
	h('a', { href: `/issues/${x.issue.number}`, class: 'home-link' }, num(x.issue.number), h('span', { class: 'home-title' }, x.issue.title)),
	h('span', { class: 'home-meta muted' }, h('span', { 'data-testid': 'home-change' }, changeText(x)),
		'·', h('span', null, x.actor ? `@${x.actor}` : 'someone'), '·', timeEl(h, x.at, 'rel')))),
	['Nothing changed on the issues you watch. You watch what you reported, are assigned or commented on, or press ',
		h('strong', null, 'Watch'), ' on an issue.']);
}

/* "a, b and c", capitalized. */
function waitText(parts) {
	const p = parts.filter(Boolean);
	const text = p.length > 1 ? `${p.slice(0, -1).join(', ')} and ${p[p.length - 1]}` : p[0];
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function reviewsCard(user, r) {
	const rows = [];
	const cl = can(user, 'changelog.publish') && r.changelog;
	const dec = can(user, 'decision.write') && r.decisions;
	const st = can(user, 'strategy.write') && r.strategy;
	const est = can(user, 'estimation.vote') && r.estimations;
	if (!cl && !dec && !st && !est) return null;
	for (const e of cl ? cl.items : [])
		rows.push(h('li', { class: 'home-item', 'data-testid': 'home-review', dataset: { kind: 'changelog' } },
			h('a', { href: `/releases/${e.id}`, class: 'home-link' }, h('span', { class: 'home-kind' }, 'Changelog'), h('span', { class: 'home-title' }, e.title)),
			h('span', { class: 'home-meta muted' }, 'in review')));
	for (const d of dec ? dec.items : [])
		rows.push(h('li', { class: 'home-item', 'data-testid': 'home-review', dataset: { kind: 'decision' } },
			h('a', { href: `/decisions/${d.id}`, class: 'home-link' }, h('span', { class: 'home-kind' }, 'Decision'), h('span', { class: 'home-title' }, d.title)),
			h('span', { class: 'home-meta muted' }, `review due ${dateText(d.review_date)}`)));
	if (st && st.overdue)
		rows.push(h('li', { class: 'home-item', 'data-testid': 'home-review', dataset: { kind: 'strategy' } },
			h('a', { href: '/strategy', class: 'home-link' }, h('span', { class: 'home-kind' }, 'Strategy'), h('span', { class: 'home-title' }, 'The strategy is due for a review')),
			h('span', { class: 'home-meta muted' }, st.last_reviewed ? ['last reviewed ', timeEl(h, st.last_reviewed, 'rel')] : 'never reviewed')));
	for (const s of est ? est.items : [])
		rows.push(h('li', { class: 'home-item', 'data-testid': 'home-review', dataset: { kind: 'estimation' } },
			h('a', { href: `/estimation/sessions/${s.id}`, class: 'home-link' }, h('span', { class: 'home-kind' }, 'Estimate'), h('span', { class: 'home-title' }, s.title)),
			h('span', { class: 'home-meta muted' }, `${plural(s.waiting, 'item')} to vote on`)));
	const total = (cl ? cl.total : 0) + (dec ? dec.total : 0) + (st && st.overdue ? 1 : 0) + (est ? est.items.length : 0);
	return card('reviews', 'Waiting for me', total, list(rows, (x) => x),
		`Nothing waits for your review or vote. ${waitText([cl && 'changelog entries in review', dec && 'decisions due for a second look',
			st && 'the strategy review', est && 'estimation sessions you take part in'])} show up here.`,
		cl && cl.total > cl.items.length ? h('a', { href: '/releases?state=in_review' }, `All ${cl.total} entries in review`) : null);
}

function securityCard(s, days) {
	const items = [...(s.overdue || []), ...(s.due_soon || [])];
	return card('security', 'Security due', s.overdue_count + s.due_soon_count, list(items, issueRow),
		`No security issue is overdue or due in the next ${days} days.`,
		[h('span', { class: s.overdue_count ? 'home-bad' : 'muted', 'data-testid': 'home-security-overdue' }, `${s.overdue_count} overdue`),
			` · ${s.due_soon_count} due within ${days} days · `, h('a', { href: '/security' }, 'Security SLA')]);
}

function milestoneCard(user, m) {
	if (!m)
		return card('milestone', 'Milestone in progress', null, null,
			can(user, 'plan.write')
				? ['No milestone is running. Plan one on the ', h('a', { href: '/milestones' }, 'Milestones'), ' page.']
				: ['No milestone is running. ', h('a', { href: '/milestones' }, 'See the milestones'), '.']);
	const load = Number(m.load) || 0;
	const done = Number(m.done_points) || 0;
	const pct = load ? Math.min(100, Math.round((100 * done) / load)) : 0;
	const fill = h('span', { class: 'home-bar-fill' });
	fill.style.width = `${pct}%`; // CSSOM: the CSP allows no style attributes
	return card('milestone', 'Milestone in progress', null,
		h('div', { class: 'home-ms' },
			h('a', { href: `/milestones/${m.id}`, class: 'home-ms-title', 'data-testid': 'home-milestone-link' }, m.title),
			h('p', { class: 'muted' }, `${dateText(m.start)} – ${dateText(m.due)} · ${plural(m.items, 'item')}`),
			h('div', {
				class: 'home-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(load), 'aria-valuenow': String(done),
				'aria-label': `${done} of ${load} points done`,
			}, fill),
			h('p', { class: 'home-ms-points', 'data-testid': 'home-milestone-points' }, `${done} of ${plural(load, 'point')} done`,
				m.remaining ? h('span', { class: 'muted' }, ` · ${m.remaining} to go`) : null),
			m.remaining ? h('p', { class: 'muted', 'data-testid': 'home-milestone-forecast' },
				m.forecast_p85 ? `85 % likely done by ${dateText(m.forecast_p85)}` : 'Not likely done within the forecast\'s horizon',
				` · ${Math.round(100 * (Number(m.forecast_probability) || 0))} % by the due date`) : null),
		null);
}

export async function renderHome(ctx) {
	ctx.setTitle('Home');
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	const data = await api.home();
	if (!ctx.alive()) return;
	const u = ctx.user;
	const cards = [
		assignedCard(data.assigned || { total: 0, items: [] }),
		mentionsCard(data.mentions || { items: [] }),
		watchingCard(data.watching || { items: [] }),
		reviewsCard(u, data.reviews || {}),
		can(u, 'private.read') && data.security ? securityCard(data.security, data.due_soon_days || 14) : null,
		milestoneCard(u, data.milestone),
	];
	replace(ctx.root, h('section', { class: 'page home-page', 'data-testid': 'home' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Home'),
			h('span', { class: 'count muted' }, `${u.name || u.login}: what waits for you`),
			h('div', { class: 'page-head-spacer' }),
			h('a', { href: '/', class: 'btn btn-sm' }, 'All issues')),
		data.error ? notice('error', data.error) : null,
		h('div', { class: 'home-grid' }, cards)));
}
