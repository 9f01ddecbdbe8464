// security.js — /security: the open security issues past their fix-by date
// (overdue first, the longest overdue at the top), then those due within 14
// days (soonest first): GET /api/v1/security/due?days=14.  Security issues
// are private to admins, PMs and CTOs (and their reporter): other roles get
// neither the link (the inbox's SLA-breach count) nor this page's content.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { dateText, scoreText, severityLabel } from './fmt.js?v={{v}}';
import { notice, spinner, person, stateBadge, canSeeSecurity } from './ui.js?v={{v}}';

const DAYS = 14;

function safeToken(s) {
	return String(s || 'none').toLowerCase().replace(/[^a-z0-9-]/g, '');
}

function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }

/* "3 days overdue" / "due today" / "5 days left", from the server's days_left. */
function daysText(d) {
	if (d < 0) return `${plural(-d, 'day')} overdue`;
	if (d === 0) return 'due today';
	return `${plural(d, 'day')} left`;
}

export async function renderSecurity(ctx) {
	ctx.setTitle('Security SLA');
	if (!canSeeSecurity(ctx.user)) {
		replace(ctx.root, h('section', { class: 'page page-narrow empty-page', 'data-testid': 'security-denied' },
			h('h1', null, 'Security SLA'),
			h('p', { class: 'muted' }, 'Security issues are private: only admins, PMs and CTOs see the overdue list.'),
			h('p', null, h('a', { href: '/', class: 'btn' }, 'Back to issues'))));
		return;
	}
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	const data = await api.securityDue(DAYS);
	if (!ctx.alive()) return;
	const overdue = Array.isArray(data && data.overdue) ? data.overdue : [];
	const soon = Array.isArray(data && data.due_soon) ? data.due_soon : [];
	// The server sorts soonest first; the longest overdue leads.
	overdue.sort((a, b) => (a.days_left - b.days_left) || (a.number - b.number));
	soon.sort((a, b) => (a.days_left - b.days_left) || (a.number - b.number));

	function table(items, kind, caption) {
		return h('table', { class: 'issues sec-table', 'data-testid': `sec-${kind}` },
			h('caption', { class: 'sr-only' }, caption),
			h('colgroup', null,
				h('col', { class: 'c-num' }), h('col', { class: 'c-title' }), h('col', { class: 'c-sev' }),
				h('col', { class: 'c-fixby' }), h('col', { class: 'c-left' }), h('col', { class: 'c-assignee opt' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, '#'),
				h('th', { scope: 'col' }, 'Title'),
				h('th', { scope: 'col' }, 'Severity'),
				h('th', { scope: 'col' }, 'Fix by'),
				h('th', { scope: 'col' }, kind === 'overdue' ? 'Overdue by' : 'Days left'),
				h('th', { scope: 'col', class: 'opt' }, 'Assignee'))),
			h('tbody', null, items.map(it => {
				const d = Number(it.days_left);
				const sev = it.severity || 'none';
				return h('tr', { class: `sec-row sec-${kind}`, 'data-testid': 'sec-row', dataset: { number: String(it.number), kind } },
					h('td', { class: 'num' }, String(it.number)),
					h('td', { class: 'title' }, h('a', { href: `/issues/${it.number}`, class: 'row-link' }, it.title),
						it.state === 'closed' ? [' ', stateBadge(it.state)] : null),
					h('td', { 'data-testid': 'sec-severity' },
						h('span', { class: `cvss cvss-${safeToken(sev)}`, title: `CVSS ${scoreText(it.cvss_score)}` },
							h('span', { class: 'cvss-score' }, scoreText(it.cvss_score)),
							h('span', { class: 'cvss-sev' }, severityLabel(sev)))),
					h('td', { 'data-testid': 'sec-fixby' }, it.fix_by ? h('time', { datetime: it.fix_by }, dateText(it.fix_by)) : '—'),
					h('td', { 'data-testid': 'sec-days' },
						h('span', { class: `countdown countdown-${d < 0 ? 'over' : d <= 3 ? 'soon' : 'ok'}` }, daysText(d))),
					h('td', { class: 'opt' }, person(it.assignee)));
			})));
	}

	const section = (kind, title, items, empty) => h('section', { class: 'sec-section', 'aria-labelledby': `sec-${kind}-h` },
		h('div', { class: 'section-head' },
			h('h2', { id: `sec-${kind}-h` }, title),
			h('span', { class: `count${kind === 'overdue' && items.length ? ' sec-count-bad' : ''}`, 'data-testid': `sec-${kind}-count` }, String(items.length))),
		items.length ? table(items, kind, title) : h('p', { class: 'muted sec-empty' }, empty));

	replace(ctx.root, h('section', { class: 'page page-wide security-page' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Security SLA'),
			h('span', { class: 'count muted' }, `${plural(overdue.length, 'issue')} overdue · ${soon.length} due within ${DAYS} days`),
			h('div', { class: 'page-head-spacer' }),
			h('a', { href: '/triage', class: 'btn btn-sm' }, 'Inbox')),
		h('p', { class: 'muted sec-intro' }, 'Open security issues by their fix-by date (the reported date plus the SLA days of their CVSS severity). Private: only admins, PMs and CTOs see this list.'),
		section('overdue', 'Overdue', overdue, 'Nothing is past its fix-by date.'),
		section('soon', `Due within ${DAYS} days`, soon, `Nothing is due in the next ${DAYS} days.`),
		data && data.error ? notice('error', data.error) : null));
}
