/*
 * github_export.mjs — a realistic export of a GitHub repository's issues, as
 * `gh api --paginate repos/OWNER/REPO/issues?state=all` writes it: pages of
 * 100 (arrays back to back), newest first, pull requests mixed in, labels of
 * DESIGN.md §2's conventions and others, milestones, assignees (some logins
 * Cairn will not know), closed issues with both state reasons, and (with
 * comments) each issue's "comments" as the array of its comments.
 * Deterministic for a seed.  Used by tests/cli/github_import.test.mjs and
 * bench/github_import.sh.
 */

import { rng } from './rng.mjs';

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const user = (login, id) => ({ login, id, node_id: `U_${id}`, avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, html_url: `https://github.com/${login}`, type: 'User', site_admin: false });

export const LOGINS = ['octo-pm', 'octo-dev', 'octo-qa', 'drive-by-1', 'drive-by-2'];
export const MILESTONES = ['2.29', '2.30', '2.31', '2.32'];
const TYPES = ['bug', 'story', 'task', 'epic', 'enhancement', null];
const OTHER = ['headline', 'Customer Request', 'needs-triage', 'blocked', 'good first issue', 'upstream', 'area:search', 'area:billing', 'scope:api', 'docs', 'help wanted'];

/* {pages, issues, pulls}: pages is the text to import; issues the plain
 * issues written (what Cairn should hold), newest first. */
export function githubExport({ count = 300, pulls = 40, seed = 1, repo = 'acme/widgets', comments = true, start = Date.UTC(2025, 0, 1) } = {}) {
	const r = rng(seed);
	const pick = (a) => a[Math.floor(r() * a.length)];
	const items = [];
	const total = count + pulls;
	const isPull = new Set();
	while (isPull.size < pulls)
		isPull.add(1 + Math.floor(r() * total));
	let issues = 0;
	for (let n = 1; n <= total; n++) {
		const created = start + n * 3600_000 * 7;
		const html = `https://github.com/${repo}/${isPull.has(n) ? 'pull' : 'issues'}/${n}`;
		const base = {
			url: `https://api.github.com/repos/${repo}/issues/${n}`,
			repository_url: `https://api.github.com/repos/${repo}`,
			labels_url: `https://api.github.com/repos/${repo}/issues/${n}/labels{/name}`,
			comments_url: `https://api.github.com/repos/${repo}/issues/${n}/comments`,
			html_url: html,
			id: 900000 + n,
			node_id: `I_${n}`,
			number: n,
			user: user(pick(LOGINS), 10 + n % 5),
			locked: false,
			author_association: 'MEMBER',
			reactions: { url: '', total_count: 0, '+1': 0, '-1': 0 },
			timeline_url: `https://api.github.com/repos/${repo}/issues/${n}/timeline`,
			performed_via_github_app: null,
		};
		if (isPull.has(n)) {
			items.push({ ...base, title: `PR ${n}: refactor`, labels: [], state: 'closed', assignee: null, assignees: [], milestone: null, comments: 0,
				created_at: iso(created), updated_at: iso(created + 1000), closed_at: iso(created + 1000), body: `Fixes #${n - 1}`, state_reason: null,
				draft: false, pull_request: { url: '', html_url: html, diff_url: '', patch_url: '', merged_at: iso(created + 1000) } });
			continue;
		}
		issues++;
		const labels = [];
		const t = pick(TYPES);
		if (t) labels.push(t);
		if (r() < 0.5) labels.push(pick(['1', '2', '3', '5', '8', '13']));
		if (r() < 0.4) labels.push(`priority:${pick(['high', 'medium', 'low'])}`);
		for (const o of OTHER)
			if (r() < 0.12) labels.push(o);
		const closedRoll = r();
		const state = closedRoll < 0.45 ? 'closed' : 'open';
		const reason = state === 'open' ? (r() < 0.1 ? 'reopened' : null) : closedRoll < 0.3 ? 'completed' : 'not_planned';
		const assignees = r() < 0.6 ? [user(pick(LOGINS), 77)] : [];
		if (r() < 0.15) assignees.push(user(pick(LOGINS), 78));
		const ms = r() < 0.5 ? pick(MILESTONES) : null;
		const msIndex = MILESTONES.indexOf(ms);
		const ncom = comments ? Math.floor(r() * 3) : 0;
		const cs = [];
		for (let k = 0; k < ncom; k++)
			cs.push({ url: '', html_url: `${html}#issuecomment-${n * 10 + k}`, issue_url: base.url, id: n * 10 + k, node_id: `C_${n}_${k}`,
				user: user(pick(LOGINS), 90 + k), created_at: iso(created + (k + 1) * 60000), updated_at: iso(created + (k + 1) * 60000),
				author_association: 'MEMBER', body: `Comment ${k + 1} on #${n}: ${pick(['+1', 'Seen on prod.', 'Needs a design.', 'Fixed in main?'])}`, reactions: {}, performed_via_github_app: null });
		items.push({
			...base,
			title: `${pick(['Search', 'Billing', 'Login', 'Export', 'Sync'])} ${pick(['fails', 'is slow', 'needs filters', 'breaks on Safari', 'should support SSO'])} (${n})`,
			labels: labels.map((name, k) => ({ id: 5000 + k, node_id: `L_${k}`, url: '', name, color: 'ededed', default: false, description: null })),
			state,
			assignee: assignees[0] || null,
			assignees,
			milestone: ms ? { url: '', html_url: `https://github.com/${repo}/milestone/${msIndex + 1}`, labels_url: '', id: 7000 + msIndex, node_id: `M_${msIndex}`, number: msIndex + 1,
				title: ms, description: null, creator: user('octo-pm', 1), open_issues: 1, closed_issues: 0, state: 'open',
				created_at: iso(start), updated_at: iso(start), due_on: iso(start + (msIndex + 1) * 28 * 86400_000), closed_at: null } : null,
			comments: comments ? cs : 0,
			created_at: iso(created),
			updated_at: iso(created + 5000),
			closed_at: state === 'closed' ? iso(created + 86400_000) : null,
			body: r() < 0.1 ? null : `Steps to reproduce for #${n}.\n\n- [ ] one\n- [ ] two\n\nSee also #${Math.max(1, n - 3)}.`,
			state_reason: reason,
			active_lock_reason: null,
		});
	}
	items.reverse(); // the API answers newest first
	const pages = [];
	for (let k = 0; k < items.length; k += 100)
		pages.push(JSON.stringify(items.slice(k, k + 100), null, 2));
	return { text: pages.join('\n'), items, issues: items.filter((i) => !i.pull_request) };
}
