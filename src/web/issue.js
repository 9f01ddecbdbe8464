// issue.js — one issue: header, rendered body, properties, edit form, conversation, history.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import {
	STATES, cap, sizeLetter, parseLabels, timeEl, valueText, fieldLabel, typeLabel, BOARDS, BUG_SEVERITIES,
	dateText, closeReasonLabel, scoreText,
} from './fmt.js?v={{v}}';
import {
	typeBadge, priorityIcon, stateBadge, labelList, person, avatar, field, select, notice, spinner, markInvalid, toast,
	boardChip, bugSeverityChip, cvssBadge, countdownChip, canTriage, canWriteIssues, canSetRice, canSetPmSize, canSetSize,
	canSeeSecurity, can } from './ui.js?v={{v}}';
import { typeOptions, priorityOptions, sizeOptions } from './new.js?v={{v}}';
import { loadDirectory, customerChip, importanceChip, sourceChip, insightStateChip } from './customer.js?v={{v}}';
import { DEV_STATUSES, DOD, devStatusChip, devStatusLabel, dodChip, canForce } from './board.js?v={{v}}';
import { milestoneStateChip, canPlanMilestones } from './milestone.js?v={{v}}';
import { treeSection, doubleBookedBadge } from './tree.js?v={{v}}';
import { issueDecisions } from './decisions.js?v={{v}}';
import { tierPanel } from './tiers.js?v={{v}}';
import { issueConversation } from './comments.js?v={{v}}';

/* History names of the planning fields (fmt.js knows the older ones). */
const PLAN_FIELD = {
	dev_status: 'dev status', dod: 'definition of done', expected_at: 'expected date', slip_reason: 'slip reason',
	started_at: 'started', done_at: 'done', milestone: 'milestone', area: 'area',
};

export async function renderIssue(ctx) {
	const number = ctx.params.number;
	ctx.setTitle(`#${number}`);
	replace(ctx.root, h('section', { class: 'page' }, spinner()));

	let issue = await api.getIssue(number);
	if (!ctx.alive()) return;
	let editing = false;
	let users = null; // loaded lazily for the assignee select

	const head = h('div', { class: 'issue-head' });
	const mainCol = h('div', { class: 'issue-main' });
	const side = h('aside', { class: 'issue-side', 'aria-label': 'Properties' });
	const historyBox = h('section', { class: 'history', 'aria-labelledby': 'history-h' });
	const insightsBox = h('section', { class: 'issue-insights', 'aria-labelledby': 'insights-h', 'data-testid': 'issue-insights' });
	let insights = null;   // the insights behind this issue (null: not loaded)
	let insightsErr = null;
	let answerMsg = null;  // the result of "Tell N customers"
	let answering = false;
	let dir = null;
	const pageMsg = h('div', { class: 'page-msg' });
	const dodBox = h('section', { class: 'issue-dod', 'aria-labelledby': 'dod-h', 'data-testid': 'dod' });
	const treeBox = treeSection(number);
	const decisionsBox = issueDecisions(number); // the decisions that link this issue
	const conversationBox = issueConversation(ctx, number); // comments, mentions, "mentioned in"
	const tierBox = tierPanel(ctx, number, { onChange: () => loadHistory() }); // epics, stories, feature requests
	let milestones = null; // id -> milestone, for titles and the edit form (null: not loaded)
	let areas = null;      // id -> {id, name, pillar}, for the area's name and the edit form (null: not loaded)
	const mayWrite = canWriteIssues(ctx.user); // viewers get no write control at all
	let watch = null;      // {watching, count, watchers} (null: not loaded)
	let gh = null;         // {link, sync} from /issues/N/github (null: not loaded or none)
	let watchBusy = false;
	let dodBusy = null;    // the DoD key being saved
	let dodMsg = null;

	replace(ctx.root, h('article', { class: 'page issue-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/' }, 'Issues'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, `#${number}`)),
		head, pageMsg,
		h('div', { class: 'issue-layout' },
			h('div', { class: 'issue-col' }, mainCol, dodBox, treeBox, insightsBox, tierBox.el, decisionsBox, conversationBox, historyBox),
			side)));

	function paint() {
		ctx.setTitle(`#${issue.number} ${issue.title}`);
		paintHead();
		paintSide();
		if (!editing) paintBody();
		paintDod();
		paintInsights();
		tierBox.update(issue);
	}

	/* ---- planning: milestone titles, the definition of done ---- */

	async function loadMilestones() {
		try {
			const data = await api.listMilestones();
			milestones = new Map(((data && data.items) || []).map(m => [m.id, m]));
		} catch (_) {
			milestones = new Map(); // an older server, or no access: ids only
		}
		if (ctx.alive() && !editing) paintSide();
	}

	function milestoneLink(id) {
		if (id === null || id === undefined) return h('span', { class: 'muted' }, 'None');
		const m = milestones && milestones.get(id);
		return h('span', { class: 'ms-prop' },
			h('a', { href: `/milestones/${id}`, 'data-testid': 'issue-milestone' }, m ? m.title : (issue.milestone_title || `Milestone ${id}`)),
			m ? milestoneStateChip(m.state) : null);
	}

	function paintDod() {
		const dod = issue.dod && typeof issue.dod === 'object' ? issue.dod : null;
		if (!dod && issue.dod_done === undefined) { replace(dodBox); return; } // a server without planning
		const done = DOD.filter(([k]) => dod && dod[k]).length;
		replace(dodBox,
			h('div', { class: 'section-head' },
				h('h2', { id: 'dod-h' }, 'Definition of done'),
				dodChip(issue.dod_done ?? done),
				h('div', { class: 'page-head-spacer' }),
				h('span', { class: 'muted dod-status' }, devStatusChip(issue.dev_status))),
			dodMsg,
			h('ul', { class: 'card dod-list' }, DOD.map(([k, label]) => {
				const id = `dod-${k}`;
				if (!mayWrite) {
					// read-only: a mark, not a checkbox a viewer could not use
					const on = !!(dod && dod[k]);
					return h('li', { class: `dod-item dod-read${on ? ' on' : ''}`, 'data-testid': `dod-read-${k}` },
						h('span', { class: 'dod-mark', 'aria-hidden': 'true' }, on ? '✓' : '○'),
						h('span', null, label), h('span', { class: 'sr-only' }, on ? ' — done' : ' — not done'));
				}
				const box = h('input', {
					type: 'checkbox', id, name: k, checked: !!(dod && dod[k]), disabled: !mayWrite || !!dodBusy,
					'data-testid': `dod-${k}`,
				});
				box.addEventListener('change', () => toggleDod(k, box.checked));
				return h('li', { class: `dod-item${dod && dod[k] ? ' on' : ''}` },
					box, h('label', { for: id }, label),
					dodBusy === k ? h('span', { class: 'spin', 'aria-hidden': 'true' }) : null);
			})));
	}

	async function toggleDod(key, on) {
		if (dodBusy) return;
		dodBusy = key;
		dodMsg = null;
		paintDod();
		try {
			issue = await api.updateIssue(issue.number, issue.version, { dod: { [key]: on } });
		} catch (err) {
			dodBusy = null;
			if (!ctx.alive() || err.status === 401) return;
			dodMsg = err.status === 412
				? notice('warn', 'This issue was changed by someone else — reload to see the latest version.',
					h('button', { type: 'button', class: 'btn btn-sm', onclick: reloadIssue }, 'Reload'))
				: notice('error', err.message);
			paintDod();
			return;
		}
		dodBusy = null;
		if (!ctx.alive()) return;
		paint();
		const el = document.getElementById(`dod-${key}`);
		if (el) el.focus();
		loadHistory();
		toast(`${DOD.find(([k]) => k === key)[1]}: ${on ? 'done' : 'not done'}`);
	}

	/* ---- customer insights: who asked for this, and closing the loop ---- */

	async function loadInsights() {
		try {
			[insights, dir] = await Promise.all([api.issueInsights(number), loadDirectory()]);
			insightsErr = null;
		} catch (err) {
			if (err.status === 401) return;
			insightsErr = err.message;
		}
		if (ctx.alive()) { paintInsights(); if (!editing) paintSide(); }
	}

	function paintInsights() {
		if (insightsErr) {
			replace(insightsBox, h('h2', { id: 'insights-h' }, 'Customer insights'), notice('error', insightsErr));
			return;
		}
		if (insights === null) { replace(insightsBox); return; }
		if (!insights.length && !answerMsg) {
			replace(insightsBox,
				h('h2', { id: 'insights-h' }, 'Customer insights'),
				h('p', { class: 'muted' }, 'No customer insight is linked to this issue. Link them from the ', h('a', { href: '/insights' }, 'insights inbox'), '.'));
			return;
		}
		const customers = new Set(insights.filter(i => i.customer).map(i => i.customer));
		const pending = insights.filter(i => i.state !== 'answered');
		const pendingCustomers = [...new Set(pending.filter(i => i.customer).map(i => i.customer))];
		const closed = issue.state === 'closed';
		const mayAnswer = can(ctx.user, 'loop.close');
		let action = null;
		if (closed && pending.length && mayAnswer) {
			const n = pendingCustomers.length;
			const label = n ? `Tell ${n} customer${n === 1 ? '' : 's'}` : `Mark ${pending.length} insight${pending.length === 1 ? '' : 's'} answered`;
			action = h('button', {
				type: 'button', class: 'btn btn-primary btn-sm', 'data-testid': 'answer-btn', disabled: answering,
				title: 'Mark every insight behind this issue answered (closing the loop)', onclick: answer,
			}, answering ? 'Saving…' : label);
		} else if (closed && !pending.length && insights.length) {
			action = h('span', { class: 'loop-done', 'data-testid': 'loop-done' }, '✓ Everyone who asked was told');
		}
		const sorted = [...insights].sort((a, b) =>
			(({ critical: 3, important: 2, nice: 1 }[b.importance] || 0) - ({ critical: 3, important: 2, nice: 1 }[a.importance] || 0))
			|| String(b.captured_at || '').localeCompare(String(a.captured_at || '')));
		replace(insightsBox,
			h('div', { class: 'section-head' },
				h('h2', { id: 'insights-h' }, 'Customer insights'),
				h('span', { class: 'muted', 'data-testid': 'insights-summary' },
					`${insights.length} insight${insights.length === 1 ? '' : 's'} · ${customers.size} customer${customers.size === 1 ? '' : 's'}`),
				h('div', { class: 'page-head-spacer' }),
				action),
			closed && pendingCustomers.length && !answerMsg
				? h('p', { class: 'loop-hint muted' }, 'Done: let them know — ', pendingCustomers.join(', '), '.') : null,
			answerMsg,
			h('ul', { class: 'card issue-insight-list' }, sorted.map(i => {
				const c = i.customer ? ((dir && dir.customerByName.get(i.customer)) || { name: i.customer }) : null;
				return h('li', { class: 'issue-insight', dataset: { id: String(i.id) }, 'data-testid': 'issue-insight' },
					h('div', { class: 'issue-insight-who' },
						c ? customerChip(c, { compact: true }) : h('span', { class: 'muted' }, i.persona || 'No customer'),
						importanceChip(i.importance)),
					h('div', { class: 'issue-insight-what' },
						h('span', { class: 'issue-insight-title' }, i.title || '(untitled)'),
						h('span', { class: 'issue-insight-meta muted' }, sourceChip(i.source, i.category), ' · ', timeEl(h, i.captured_at)),
						insightStateChip(i.state)));
			})));
	}

	async function answer() {
		if (answering) return;
		answering = true;
		const before = [...new Set((insights || []).filter(i => i.state !== 'answered' && i.customer).map(i => i.customer))];
		paintInsights();
		try {
			const res = await api.answerIssue(issue.number);
			const n = Number(res && res.answered) || 0;
			answerMsg = notice('info', `Marked ${n} insight${n === 1 ? '' : 's'} answered${before.length ? ` — ${before.join(', ')} can be told it is done` : ''}.`);
			answerMsg.setAttribute('data-testid', 'answer-result');
			toast(`Closed the loop: ${n} answered`);
		} catch (err) {
			if (err.status === 401) { answering = false; return; }
			answerMsg = notice('error', err.message);
			answerMsg.setAttribute('data-testid', 'answer-result');
		}
		answering = false;
		if (!ctx.alive()) return;
		await loadInsights();
	}

	function paintHead() {
		const toggle = h('button', {
			type: 'button', class: 'btn', 'data-testid': 'issue-state-toggle', onclick: () => setState(issue.state === 'closed' ? 'open' : 'closed'),
		}, issue.state === 'closed' ? 'Reopen' : 'Close issue');
		const watchBtn = watch ? h('button', {
			type: 'button', class: 'btn watch-btn', 'data-testid': 'issue-watch', disabled: watchBusy,
			'aria-pressed': watch.watching ? 'true' : 'false',
			title: `${watch.count} watching${watch.count ? `: ${watch.watchers.map((w) => w.login).join(', ')}` : ''}`,
			onclick: toggleWatch,
		}, watch.watching ? 'Unwatch' : 'Watch',
		h('span', { class: 'watch-count', 'data-testid': 'issue-watch-count', 'aria-label': `${watch.count} watching` }, String(watch.count))) : null;
		replace(head,
			h('div', { class: 'issue-title-row' },
				h('h1', { class: 'issue-title' },
					h('span', { class: 'issue-num' }, `#${issue.number}`), ' ',
					h('span', { class: 'issue-title-text', 'data-testid': 'issue-title' }, issue.title)),
				h('div', { class: 'issue-actions' },
					editing ? null : watchBtn,
					mayWrite && !editing ? h('button', { type: 'button', class: 'btn', id: 'edit-btn', 'data-testid': 'issue-edit', onclick: startEdit, 'aria-keyshortcuts': 'e', title: 'Edit (e)' }, 'Edit') : null,
					mayWrite && !editing ? toggle : null)),
			h('p', { class: 'issue-meta muted' },
				stateBadge(issue.state), ' ',
				typeBadge(issue.type), ' ',
				issue.type === 'bug' && issue.bug_severity ? [bugSeverityChip(issue.bug_severity), ' '] : null,
				issue.type === 'security' ? [cvssBadge(issue), ' ', issue.fix_by && issue.state !== 'closed' ? [countdownChip(issue.fix_by), ' '] : null] : null,
				h('span', null, 'Opened by ', h('strong', null, issue.reporter || 'unknown'), ' ', timeEl(h, issue.created_at, 'rel'),
					issue.updated_at && issue.updated_at !== issue.created_at
						? [' · updated ', timeEl(h, issue.updated_at, 'rel')] : null)));
	}

	/* Who watches: loaded after the issue, again after a change that may
	 * add a watcher (an assignee, a comment). */
	async function loadWatch() {
		try {
			watch = await api.issueWatchers(number);
		} catch (_) {
			watch = null; // an older server: no toggle
		}
		if (ctx.alive()) paintHead();
	}

	async function toggleWatch() {
		watchBusy = true;
		paintHead();
		try {
			watch = await api.setWatching(number, !watch.watching);
		} catch (err) {
			toast(err.message);
		}
		watchBusy = false;
		if (ctx.alive()) paintHead();
	}

	function prop(name, value) {
		return [h('dt', null, name), h('dd', null, value)];
	}

	function stage(points) {
		if (points === null || points === undefined) return '—';
		return sizeLetter(points) || `${points} pt`;
	}

	function sizeDetail() {
		const eff = issue.effective_size;
		const effEl = eff === null || eff === undefined
			? h('span', { class: 'muted' }, 'Not sized')
			: h('span', { class: 'size size-lg' }, issue.size_letter || sizeLetter(eff) || String(eff));
		return h('span', { class: 'size-detail' }, effEl,
			eff === null || eff === undefined ? null : h('span', { class: 'muted' }, ` ${eff} pt`),
			h('span', { class: 'size-stages muted', title: 'PM estimate · EM estimate' },
				`PM ${stage(issue.pm_size)} · EM ${stage(issue.size)}`),
			issue.rollup_size !== null && issue.rollup_size !== undefined && issue.rollup_size !== eff
				? h('span', { class: 'size-stages rollup', title: 'Roll-up of the children' }, `Σ ${issue.rollup_size} pt roll-up`) : null,
			issue.double_booked ? doubleBookedBadge() : null);
	}

	function paintSide() {
		replace(side, h('dl', { class: 'props' },
			prop('State', stateBadge(issue.state)),
			gh && gh.link ? prop('GitHub', githubLink()) : null,
			prop('Type', typeBadge(issue.type)),
			prop('Priority', priorityIcon(issue.priority)),
			prop('Size', sizeDetail()),
			prop('Board', boardChip(issue.board)),
			'dev_status' in issue ? prop('Dev status', h('span', { 'data-testid': 'issue-dev-status' }, devStatusChip(issue.dev_status))) : null,
			'milestone' in issue ? prop('Milestone', milestoneLink(issue.milestone)) : null,
			issue.started_at ? prop('Started', h('span', { 'data-testid': 'issue-started' }, timeEl(h, issue.started_at, 'full'))) : null,
			'expected_at' in issue ? prop('Expected', issue.expected_at
				? h('span', { class: `expected${!issue.done_at && issue.expected_at < new Date().toISOString().slice(0, 10) ? ' late' : ''}`, 'data-testid': 'issue-expected' }, dateText(issue.expected_at))
				: h('span', { class: 'muted' }, '—')) : null,
			issue.done_at ? prop('Done', h('span', { 'data-testid': 'issue-done' }, timeEl(h, issue.done_at, 'full'))) : null,
			issue.type === 'bug' ? prop('Severity', bugSeverityChip(issue.bug_severity)) : null,
			issue.type === 'security' ? securityProps() : null,
			issue.duplicate_of ? prop('Duplicate of', h('a', { href: `/issues/${issue.duplicate_of}` }, `#${issue.duplicate_of}`)) : null,
			issue.close_reason ? prop('Closed as', h('span', { 'data-testid': 'close-reason' }, closeReasonLabel(issue.close_reason))) : null,
			prop('Labels', labelList(issue.labels)),
			prop('Assignee', person(issue.assignee)),
			prop('Reporter', person(issue.reporter)),
			issue.parent ? prop('Parent', h('a', { href: `/issues/${issue.parent}`, 'data-testid': 'issue-parent' }, `#${issue.parent}`)) : null,
			issue.type === 'epic' || issue.area ? prop('Area', areaText()) : null,
			'rice_reach' in issue ? prop('RICE', riceDetail()) : null,
			prop('Created', timeEl(h, issue.created_at, 'full')),
			prop('Updated', timeEl(h, issue.updated_at, 'full')),
			issue.closed_at ? prop('Closed', timeEl(h, issue.closed_at, 'full')) : null,
			issue.triaged_at ? prop('Triaged', timeEl(h, issue.triaged_at, 'full')) : null,
			prop('Version', h('span', { class: 'muted mono' }, String(issue.version)))));
	}

	/* owner/repo#N, linked, and whether Cairn's changes reached GitHub. */
	function githubLink() {
		const l = gh.link;
		const sync = { pending: 'sync pending', failed: 'sync failed', synced: 'synced' }[gh.sync];
		return h('span', { 'data-testid': 'issue-github' },
			h('a', { href: l.url, rel: 'noopener noreferrer', target: '_blank', class: 'mono' }, `${l.repository}#${l.number}`),
			l.deleted ? h('span', { class: 'muted' }, ' (deleted on GitHub)') : null,
			sync ? h('span', { class: `muted gh-sync gh-sync-${gh.sync}`, 'data-testid': 'issue-github-sync' }, ` · ${sync}`) : null);
	}

	async function loadGithub() {
		try {
			gh = await api.issueGithub(number);
		} catch (_) {
			gh = null; // an older server: no GitHub row
		}
		if (ctx.alive() && gh && gh.link) paintSide();
	}

	function areaText() {
		if (!issue.area) return h('span', { class: 'muted', 'data-testid': 'issue-area' }, 'None');
		const a = areas && areas.get(issue.area);
		return h('span', { 'data-testid': 'issue-area', title: a ? `${a.pillar} › ${a.name}` : null },
			a ? [h('span', { class: 'muted' }, `${a.pillar} › `), a.name] : `Area ${issue.area}`);
	}

	/* RICE = reach × impact × confidence ÷ effective size (src/core/scores.h):
	 * the inputs set by hand, else the defaults (reach: the distinct customers
	 * of the insights behind the issue; impact 1; confidence 80 %). */
	function riceParts() {
		const reachSet = issue.rice_reach !== null && issue.rice_reach !== undefined;
		const reach = reachSet ? Number(issue.rice_reach)
			: insights ? new Set(insights.filter(i => i.customer).map(i => i.customer)).size : null;
		const impact = issue.rice_impact !== null && issue.rice_impact !== undefined ? Number(issue.rice_impact) : 1;
		const conf = issue.rice_confidence !== null && issue.rice_confidence !== undefined ? Number(issue.rice_confidence) : 80;
		const effort = issue.effective_size;
		const score = reach === null || !effort ? null : reach * impact * (conf / 100) / effort;
		return { reach, reachSet, impact, conf, effort, score };
	}

	function riceDetail() {
		const r = riceParts();
		const dflt = (set) => (set ? '' : '*');
		const impactSet = issue.rice_impact !== null && issue.rice_impact !== undefined;
		const confSet = issue.rice_confidence !== null && issue.rice_confidence !== undefined;
		return h('span', { class: 'rice-detail' },
			h('span', { class: 'rice-score', 'data-testid': 'rice-score', title: r.score === null ? 'Unsized: no RICE score' : 'RICE score' },
				r.score === null ? '—' : scoreText(r.score)),
			h('span', { class: 'size-stages muted', 'data-testid': 'rice-inputs', title: '* the default' },
				`R ${r.reach === null ? '…' : r.reach}${dflt(r.reachSet)} · I ${r.impact}${dflt(impactSet)} · C ${r.conf}%${dflt(confSet)} · E ${r.effort ? `${r.effort} pt` : '—'}`));
	}

	async function loadAreas() {
		try {
			const pillars = await api.listPillars();
			areas = new Map();
			for (const p of pillars) for (const a of p.areas || []) areas.set(a.id, { id: a.id, name: a.name, pillar: p.name });
		} catch (_) {
			areas = new Map();
		}
		if (ctx.alive() && !editing) paintSide();
	}

	function securityProps() {
		return [
			prop('CVSS', cvssBadge(issue)),
			prop('Fix by', issue.fix_by
				? h('span', { class: 'fixby' }, h('span', null, dateText(issue.fix_by)),
					issue.state === 'closed' ? null : countdownChip(issue.fix_by))
				: h('span', { class: 'muted' }, '—')),
			issue.cvss ? prop('Vector', h('span', { class: 'mono cvss-vector', title: issue.cvss }, issue.cvss)) : null,
			issue.cvss_scores ? prop('Scores', cvssScoresText(issue.cvss_scores)) : null,
		];
	}

	/* Every score of the vector: "Base 9.8 · Temporal 8.8" (3.x, the groups
	 * given) or "CVSS-BT 8.1" (4.0 names its one score). */
	function cvssScoresText(s) {
		const parts = s.version === '4.0'
			? [`${s.nomenclature || 'CVSS'} ${scoreText(s.score)}`]
			: [['Base', s.base], ['Temporal', s.temporal], ['Environmental', s.environmental]]
				.filter(([, v]) => v !== null && v !== undefined)
				.map(([k, v]) => `${k} ${scoreText(v)}`);
		return h('span', { class: 'muted', 'data-testid': 'cvss-scores', title: `CVSS ${s.version}` },
			`CVSS ${s.version} · ${parts.join(' · ')}`);
	}

	function paintBody() {
		const body = h('div', { class: 'markdown', 'data-testid': 'issue-body' });
		if (issue.body_html && issue.body_html.trim()) {
			// body_html is rendered and sanitized by the server (cmark-gfm, safe mode).
			body.innerHTML = issue.body_html;
		} else {
			body.appendChild(h('p', { class: 'muted' }, 'No description.'));
		}
		replace(mainCol, h('div', { class: 'card body-card' }, body));
	}

	/* ---- edit ---- */

	async function startEdit() {
		if (editing) return;
		editing = true;
		replace(pageMsg);
		if (users === null) {
			try { users = await api.listUsers(); } catch (err) { if (err.status === 401) return; users = []; }
			if (!ctx.alive()) return;
		}
		if (milestones === null) {
			await loadMilestones();
			if (!ctx.alive()) return;
		}
		if (areas === null && canTriage(ctx.user)) {
			await loadAreas();
			if (!ctx.alive()) return;
		}
		paintHead();
		replace(mainCol, editForm());
		const t = mainCol.querySelector('input[name="title"]');
		if (t) t.focus();
	}

	function stopEdit() {
		editing = false;
		paint();
		const b = document.getElementById('edit-btn');
		if (b) b.focus();
	}

	function letterOf(points) {
		return points === null || points === undefined ? '' : (sizeLetter(points) || '');
	}

	function editForm() {
		const title = h('input', { name: 'title', type: 'text', required: true, maxlength: 256, value: issue.title, autocomplete: 'off' });
		// Only admin, PM, CTO or the reporter may make an issue a security issue.
		const maySecurity = canSeeSecurity(ctx.user) || issue.type === 'security' || (ctx.user && issue.reporter === ctx.user.login);
		const type = select('type', typeOptions().filter(([t]) => t !== 'security' || maySecurity), issue.type);
		const state = select('state', STATES.map(s => [s, cap(s)]), issue.state);
		const priority = select('priority', priorityOptions(), issue.priority || '');
		// Sizes by role: pm_size admin/PM/CTO, size admin/EM/CTO (docs/API.md).
		const pmSize = canSetPmSize(ctx.user) ? select('pm_size', sizeOptions(), letterOf(issue.pm_size)) : null;
		const size = canSetSize(ctx.user) ? select('size', sizeOptions(), letterOf(issue.size)) : null;
		const labels = h('input', { name: 'labels', type: 'text', value: (issue.labels || []).join(', '), autocomplete: 'off', spellcheck: 'false' });
		// Triage fields: the board for those who own horizons; bug severity
		// for bugs and the CVSS vector for security issues (shown with the type).
		const board = canTriage(ctx.user) ? select('board', BOARDS, issue.board || 'no_status') : null;
		const bugSev = select('bug_severity', [['', 'None'], ...BUG_SEVERITIES], issue.bug_severity || '');
		const cvss = h('input', {
			name: 'cvss', type: 'text', value: issue.cvss || '', autocomplete: 'off', spellcheck: 'false', class: 'mono',
			placeholder: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
		});
		const bugSevRow = field('Bug severity', bugSev);
		const cvssRow = field('CVSS vector', cvss, { hint: 'CVSS 3.1, 3.0 or 4.0 vector, temporal/threat and environmental metrics allowed; the most specific score sets the severity and fix-by date', span: true });
		// The hierarchy: the parent (any writer; an issue number) and an epic's
		// area (admin, PM, CTO; from GET /pillars).
		const parent = h('input', {
			name: 'parent', type: 'text', inputmode: 'numeric', autocomplete: 'off', value: issue.parent ? String(issue.parent) : '',
			placeholder: 'Issue number', 'data-testid': 'edit-parent',
		});
		const parentRow = errField('Parent', parent, { hint: 'An epic for a story; a story or an epic for a task; empty for none' });
		let areaSel = null;
		let areaRow = null;
		if (canTriage(ctx.user)) {
			const byPillar = new Map();
			for (const a of (areas || new Map()).values()) {
				if (!byPillar.has(a.pillar)) byPillar.set(a.pillar, []);
				byPillar.get(a.pillar).push(a);
			}
			areaSel = h('select', { name: 'area', 'data-testid': 'edit-area' },
				h('option', { value: '' }, 'None'),
				[...byPillar].map(([pillar, as]) => h('optgroup', { label: pillar },
					as.map(a => h('option', { value: String(a.id) }, a.name)))));
			if (issue.area && !(areas && areas.has(issue.area))) areaSel.appendChild(h('option', { value: String(issue.area) }, `Area ${issue.area}`));
			areaSel.value = issue.area ? String(issue.area) : '';
			areaRow = errField('Area', areaSel, { hint: 'Epics only: where it sits in the strategy' });
		}
		// RICE inputs, set by hand: admins and PMs (null returns to the default).
		let rice = null;
		if (canSetRice(ctx.user) && 'rice_reach' in issue) {
			const reach = h('input', {
				name: 'rice_reach', type: 'text', inputmode: 'numeric', autocomplete: 'off', 'data-testid': 'edit-rice-reach',
				value: issue.rice_reach === null || issue.rice_reach === undefined ? '' : String(issue.rice_reach), placeholder: 'Default: customers asking',
			});
			const impact = select('rice_impact', [['', 'Default (1)'], ['0.25', '0.25 · minimal'], ['0.5', '0.5 · low'], ['1', '1 · medium'], ['2', '2 · high'], ['3', '3 · massive']],
				issue.rice_impact === null || issue.rice_impact === undefined ? '' : String(Number(issue.rice_impact)));
			impact.setAttribute('data-testid', 'edit-rice-impact');
			const confidence = select('rice_confidence', [['', 'Default (80 %)'], ['50', '50 %'], ['80', '80 %'], ['100', '100 %']],
				issue.rice_confidence === null || issue.rice_confidence === undefined ? '' : String(issue.rice_confidence));
			confidence.setAttribute('data-testid', 'edit-rice-confidence');
			rice = {
				reach, impact, confidence,
				rows: [errField('RICE reach', reach, { hint: 'People or customers; empty: the customers asking' }),
					errField('RICE impact', impact), errField('RICE confidence', confidence)],
			};
		}
		const showTypeFields = () => {
			bugSevRow.hidden = type.value !== 'bug';
			cvssRow.hidden = type.value !== 'security';
			if (areaRow) areaRow.hidden = type.value !== 'epic' && !issue.area;
		};
		type.addEventListener('change', showTypeFields);
		showTypeFields();
		const body = h('textarea', { name: 'body', rows: 14 });
		body.value = issue.body || '';
		let assignee = null;
		if (users && users.length) {
			const opts = [['', 'Unassigned'], ...users.map(u => [u.login, u.name && u.name !== u.login ? `${u.login} — ${u.name}` : u.login])];
			if (issue.assignee && !users.some(u => u.login === issue.assignee)) opts.push([issue.assignee, issue.assignee]);
			assignee = select('assignee', opts, issue.assignee || '');
		}
		// Planning: the development board status (any writer), the milestone
		// (PM, admin), the expected date (admin, PM, CTO, EM).
		const role = ctx.user ? ctx.user.role : '';
		const devStatus = 'dev_status' in issue
			? select('dev_status', [['', 'Not on the board'], ...DEV_STATUSES], issue.dev_status || '') : null;
		let msSel = null;
		if ('milestone' in issue && canPlanMilestones(ctx.user)) {
			const ms = [...(milestones || new Map()).values()];
			const opts = [['', 'None'], ...ms.map(m => [String(m.id), `${m.title} · ${m.state}`])];
			if (issue.milestone && !ms.some(m => m.id === issue.milestone)) opts.push([String(issue.milestone), `Milestone ${issue.milestone}`]);
			msSel = select('milestone', opts, issue.milestone ? String(issue.milestone) : '');
		}
		const expected = 'expected_at' in issue && ['admin', 'pm', 'cto', 'em'].includes(role)
			? h('input', { name: 'expected_at', type: 'date', value: issue.expected_at || '' }) : null;
		const slip = h('input', { name: 'slip_reason', type: 'text', maxlength: 250, autocomplete: 'off', placeholder: 'Why it leaves the milestone' });
		const slipRow = field('Slip reason', slip, { hint: 'Kept in the milestone’s ship/slip report', span: true });
		const showSlip = () => { slipRow.hidden = !(msSel && issue.milestone && msSel.value !== String(issue.milestone)); };
		if (msSel) msSel.addEventListener('change', showSlip);
		showSlip();
		let forceNext = false;
		const msg = h('div', { class: 'form-msg' });
		const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save changes');

		const form = h('form', { class: 'issue-form edit-form', novalidate: true, 'aria-label': 'Edit issue' },
			field('Title', title, { wide: true }),
			h('div', { class: 'field-grid' },
				field('Type', type),
				field('State', state),
				field('Priority', priority),
				pmSize ? field('PM size', pmSize, { hint: 'Broad estimate' }) : null,
				size ? field('Size', size, { hint: 'EM estimate' }) : null,
				assignee ? field('Assignee', assignee) : null,
				board ? field('Board', board, { hint: 'Product board horizon' }) : null,
				bugSevRow,
				devStatus ? field('Dev status', devStatus, { hint: 'Development board column' }) : null,
				msSel ? field('Milestone', msSel) : null,
				expected ? field('Expected', expected, { hint: 'Derived from the size when it starts' }) : null,
				parentRow,
				areaRow,
				rice ? rice.rows : null,
				field('Labels', labels, { hint: 'Comma separated', span: true }),
				cvssRow,
				slipRow),
			field('Description', body, { wide: true, hint: 'Markdown · Ctrl+Enter to save · Esc to cancel' }),
			msg,
			h('div', { class: 'form-actions' },
				save,
				h('button', { type: 'button', class: 'btn btn-ghost', onclick: stopEdit }, 'Cancel')));

		form.addEventListener('keydown', (ev) => {
			if (ev.key === 'Escape') { ev.preventDefault(); stopEdit(); }
			if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
		});

		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			replace(msg);
			markInvalid(form, null);
			showFieldError(form, null);
			const changes = {};
			const t = title.value.trim();
			if (!t) {
				markInvalid(form, 'title');
				replace(msg, notice('error', 'A title is required.'));
				title.focus();
				return;
			}
			if (t !== issue.title) changes.title = t;
			if (body.value !== (issue.body || '')) changes.body = body.value;
			if (type.value !== issue.type) changes.type = type.value;
			if (state.value !== issue.state) changes.state = state.value;
			if (priority.value !== (issue.priority || '')) changes.priority = priority.value || null;
			if (pmSize && pmSize.value !== letterOf(issue.pm_size)) changes.pm_size = pmSize.value || null;
			if (size && size.value !== letterOf(issue.size)) changes.size = size.value || null;
			const par = parent.value.trim().replace(/^#/, '');
			if (par !== (issue.parent ? String(issue.parent) : '')) {
				if (par && !/^[1-9]\d*$/.test(par)) {
					showFieldError(form, 'parent', 'The parent is an issue number, like 12 (or empty for none).');
					parent.focus();
					return;
				}
				changes.parent = par ? Number(par) : null;
			}
			if (areaSel && !areaRow.hidden && areaSel.value !== (issue.area ? String(issue.area) : '')) changes.area = areaSel.value ? Number(areaSel.value) : null;
			if (rice) {
				const rv = rice.reach.value.trim();
				if (rv !== (issue.rice_reach === null || issue.rice_reach === undefined ? '' : String(issue.rice_reach))) {
					if (rv && !/^\d+$/.test(rv)) {
						showFieldError(form, 'rice_reach', 'Reach is a whole number of people or customers (or empty for the default).');
						rice.reach.focus();
						return;
					}
					changes.rice_reach = rv ? Number(rv) : null;
				}
				if (rice.impact.value !== (issue.rice_impact === null || issue.rice_impact === undefined ? '' : String(Number(issue.rice_impact)))) changes.rice_impact = rice.impact.value ? Number(rice.impact.value) : null;
				if (rice.confidence.value !== (issue.rice_confidence === null || issue.rice_confidence === undefined ? '' : String(issue.rice_confidence))) changes.rice_confidence = rice.confidence.value ? Number(rice.confidence.value) : null;
			}
			const ls = parseLabels(labels.value);
			if (JSON.stringify(ls) !== JSON.stringify(issue.labels || [])) changes.labels = ls;
			if (assignee && assignee.value !== (issue.assignee || '')) changes.assignee = assignee.value || null;
			if (board && board.value !== (issue.board || 'no_status')) changes.board = board.value;
			if (type.value === 'bug' && bugSev.value !== (issue.bug_severity || '')) changes.bug_severity = bugSev.value || null;
			const vec = cvss.value.trim();
			if (type.value === 'security' && vec !== (issue.cvss || '')) changes.cvss = vec || null;
			if (devStatus && devStatus.value !== (issue.dev_status || '')) changes.dev_status = devStatus.value || null;
			if (msSel && msSel.value !== (issue.milestone ? String(issue.milestone) : '')) changes.milestone = msSel.value ? Number(msSel.value) : null;
			if (expected && expected.value !== (issue.expected_at || '')) changes.expected_at = expected.value || null;
			if (!slipRow.hidden && slip.value.trim()) changes.slip_reason = slip.value.trim();
			if (forceNext && 'dev_status' in changes) changes.force = true;
			forceNext = false;

			if (!Object.keys(changes).length) { stopEdit(); toast('Nothing changed'); return; }

			save.disabled = true;
			save.textContent = 'Saving…';
			try {
				issue = await api.updateIssue(issue.number, issue.version, changes);
				if (!ctx.alive()) return;
				editing = false;
				paint();
				toast('Saved');
				loadHistory();
				loadWatch();
				const b = document.getElementById('edit-btn');
				if (b) b.focus();
			} catch (err) {
				if (!ctx.alive()) return;
				save.disabled = false;
				save.textContent = 'Save changes';
				if (err.status === 401) return;
				if (err.status === 412) {
					replace(msg, notice('warn',
						'This issue was changed by someone else since you opened it — reload to see the latest version, then make your edit again.',
						h('button', { type: 'button', class: 'btn btn-sm', onclick: reloadIssue }, 'Reload')));
					return;
				}
				const bad = markInvalid(form, err.field);
				const forceable = err.status === 409 && err.field === 'dev_status' && canForce(ctx.user) && !changes.force;
				// The server's words next to the field it names (when the form has it).
				if (bad && !forceable && showFieldError(form, err.field, err.message)) {
					replace(msg, notice('error', 'Not saved: see the marked field.'));
					bad.focus();
					return;
				}
				replace(msg, notice('error', err.message, forceable
					? h('button', {
						type: 'button', class: 'btn btn-sm btn-danger', 'data-testid': 'force-move',
						onclick: () => { forceNext = true; form.requestSubmit(); },
					}, 'Force') : null));
				if (bad) bad.focus();
			}
		});
		return form;
	}

	/* A form row with room for the server's error under the control. */
	function errField(label, control, opts = {}) {
		const row = field(label, control, opts);
		row.dataset.field = control.name;
		row.appendChild(h('div', { class: 'field-error', role: 'alert', 'data-testid': 'field-error' }));
		return row;
	}

	/* Put message next to the named field (or clear every one with null);
	 * true when the form has a place for it. */
	function showFieldError(form, name, message) {
		for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
		if (!name) return false;
		const row = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
		const box = row && row.querySelector('.field-error');
		if (!box) return false;
		box.textContent = message;
		const ctl = row.querySelector(`[name="${CSS.escape(name)}"]`);
		if (ctl) ctl.setAttribute('aria-invalid', 'true');
		return true;
	}

	async function reloadIssue() {
		try {
			issue = await api.getIssue(number);
		} catch (err) {
			if (err.status !== 401) replace(pageMsg, notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		editing = false;
		paint();
		loadHistory();
		toast('Reloaded the latest version');
	}

	async function setState(next) {
		replace(pageMsg);
		try {
			issue = await api.updateIssue(issue.number, issue.version, { state: next });
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			if (err.status === 412) {
				replace(pageMsg, notice('warn', 'This issue was changed by someone else — reload to see the latest version.',
					h('button', { type: 'button', class: 'btn btn-sm', onclick: reloadIssue }, 'Reload')));
			} else {
				replace(pageMsg, notice('error', err.message));
			}
			return;
		}
		if (!ctx.alive()) return;
		paint();
		loadHistory();
		loadWatch();
		toast(next === 'closed' ? 'Issue closed' : 'Issue reopened');
	}

	/* ---- history ---- */

	function entryText(e) {
		const f = e.field;
		if (!f || f === 'created' || f === 'create') return [h('span', null, 'created the issue')];
		if (f === 'body') return [h('span', null, 'edited the '), h('strong', null, 'description')];
		// a duplicate merge: what came here from the duplicate, or went to the issue kept
		const moved = /^(insights|watchers|references)_(from|moved)$/.exec(f || '');
		if (moved) {
			const noun = { insights: 'insight link', watchers: 'watcher', references: 'reference' }[moved[1]];
			const n = Number(moved[2] === 'from' ? e.old : e.new) || 0;
			const what = h('strong', null, `${n} ${noun}${n === 1 ? '' : 's'}`);
			return moved[2] === 'from'
				? [h('span', null, 'brought '), what, h('span', null, ` from its duplicate ${e.new || ''}`)]
				: [h('span', null, 'moved '), what, h('span', null, ' to the issue kept')];
		}
		const show = (v) => {
			const s = valueText(f, v);
			const text = f === 'type' ? typeLabel(v)
				: (f === 'priority' || f === 'state') && v ? cap(String(v))
					: f === 'dev_status' && v ? devStatusLabel(v)
						: f === 'expected_at' && v ? dateText(v)
							: f === 'dod' && v && typeof v === 'object' ? dodText(v) : s;
			const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
			return h('span', { class: `val${v === null || v === undefined || v === '' ? ' val-none' : ''}`, title: text }, short);
		};
		return [
			h('span', null, 'changed '), h('strong', null, PLAN_FIELD[f] || fieldLabel(f)), h('span', null, ' '),
			show(e.old), h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '), show(e.new),
		];
	}

	/* A definition-of-done value in the history: the checked items. */
	function dodText(v) {
		const on = DOD.filter(([k]) => v[k]).map(([, label]) => label);
		return on.length ? on.join(', ') : 'nothing done';
	}

	async function loadHistory() {
		let items;
		try {
			items = await api.issueHistory(number);
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			replace(historyBox, h('h2', { id: 'history-h' }, 'History'), notice('error', err.message));
			return;
		}
		if (!ctx.alive()) return;
		replace(historyBox,
			h('h2', { id: 'history-h' }, 'History'),
			items.length
				? h('ol', { class: 'timeline' }, items.map(e => h('li', { class: 'tl-item', dataset: { field: e.field || '' } },
					avatar(e.actor),
					h('div', { class: 'tl-text' },
						h('strong', { class: 'tl-actor' }, e.actor || 'system'), ' ',
						entryText(e),
						h('span', { class: 'tl-time muted' }, ' · ', timeEl(h, e.at, 'daytime'))))))
				: h('p', { class: 'muted' }, 'No changes yet.'));
	}

	const onKey = (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const t = ev.target;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
		if (ev.key === 'e' && !editing && mayWrite) { ev.preventDefault(); startEdit(); }
	};
	document.addEventListener('keydown', onKey);
	ctx.onCleanup(() => document.removeEventListener('keydown', onKey));

	const onCommented = (ev) => { if (ev.detail && ev.detail.number === number) loadWatch(); };
	document.addEventListener('cairn:commented', onCommented);
	ctx.onCleanup(() => document.removeEventListener('cairn:commented', onCommented));

	paint();
	replace(historyBox, h('h2', { id: 'history-h' }, 'History'), spinner());
	await Promise.all([loadHistory(), loadInsights(), loadMilestones(), loadAreas(), loadWatch(), loadGithub()]);
}
