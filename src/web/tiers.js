// tiers.js — pricing tiers per feature (docs/API.md, "Pricing tiers",
// issue #13).
//
//   /tiers            the tier matrix: every feature with a tier as a row,
//                     the tiers as columns (lowest first; ✓ in its own tier
//                     and every tier above it, the comparison table of a
//                     pricing page), rows grouped by their tier, each with
//                     the suggestion from the evidence beside the decision
//                     and a flag where the two disagree; ?milestone=ID: what
//                     each tier gains in that milestone and the features that
//                     moved tiers while it ran; ?show=disagree: only the
//                     disagreements; Download Markdown / CSV (the server's
//                     format=markdown|csv); the upsell list (customers asking
//                     for features above their tier, with ARR) and the
//                     mismatch list (features mostly asked for by customers
//                     of a lower tier); for admins and PMs the tier list's
//                     editor (add, rename by replacing, reorder, remove — the
//                     server refuses to drop a tier that holds features, and
//                     its message is shown as it is)
//
// The issue page's "Pricing tier" panel (tierPanel, for epics, stories and
// feature requests): the decided tier and its rationale beside the
// suggestion with its reason and numbers (asks by buyer level, asking
// customers by tier), a disagreement flagged; PMs and admins set, change or
// clear the tier with a rationale, everyone else reads.
//
// Keys on /tiers: j / k move between the features, Enter opens one.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { buyerLevelLabel, typeLabel, timeEl, moneyText, moneyShort } from './fmt.js?v={{v}}';
import { field, notice, spinner, markInvalid, toast, rowKeys, can } from './ui.js?v={{v}}';
import { tierBadge, arrText } from './customer.js?v={{v}}';

/* ---------- shared ---------- */

/* The issue types a tier applies to. */
export const TIER_TYPES = new Set(['epic', 'story', 'feature']);

/* PMs and admins set tiers and edit the tier list; everyone reads. */
export function canSetTiers(user) {
	return can(user, 'tiers.write');
}

function plural(n, one, many = `${one}s`) {
	return `${n} ${n === 1 ? one : many}`;
}

/* The flag on a decision that differs from the evidence. */
export function disagreeFlag({ compact = false, suggested = null } = {}) {
	const title = suggested
		? `The decided tier differs from the suggestion from the evidence (${suggested})`
		: 'The decided tier differs from the suggestion from the evidence';
	return h('span', { class: 'pt-flag', title, 'data-testid': 'tier-disagrees' },
		h('span', { class: 'pt-flag-mark', 'aria-hidden': 'true' }, '⚑'),
		compact ? 'Disagrees' : 'Disagrees with the evidence');
}

const LEVEL_HINT = {
	individual: 'Asks from individual contributors point to the lowest tier',
	manager: 'Asks from managers point to the middle tier',
	executive: 'Asks from executives point to the top tier',
};

function noSuggestion() {
	return h('span', { class: 'muted pt-none', title: 'Not enough evidence to suggest a tier' }, 'no evidence');
}

/* The order of a tier in the list (unknown tiers last). */
function tierIndex(tiers, t) {
	const i = tiers.indexOf(t);
	return i < 0 ? tiers.length : i;
}

/* An upsell entry's customer: `customer` (docs/API.md); older servers said `name`. */
function customerName(c) {
	return String(c.customer ?? c.name ?? '');
}

function safeFilePart(s) {
	return String(s || '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

/* ---------- /tiers ---------- */

export async function renderTiers(ctx) {
	ctx.setTitle('Pricing tiers');
	const milestone = /^\d+$/.test(ctx.query.get('milestone') || '') ? ctx.query.get('milestone') : '';
	const onlyDisagree = ctx.query.get('show') === 'disagree';
	const mayEdit = canSetTiers(ctx.user);

	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'tiers-count' });
	const downloads = h('div', { class: 'pt-downloads' });
	const msSel = h('select', { name: 'milestone', id: uid('ms'), 'data-testid': 'tiers-milestone' },
		h('option', { value: '' }, 'All features'));
	const show = h('nav', { class: 'seg tabs pt-show', 'aria-label': 'Which features' });
	const msg = h('div', { class: 'list-msg' });
	const matrixHead = h('div', { class: 'section-head pt-matrix-head' });
	const results = h('div', { class: 'results pt-matrix-wrap' }, spinner());
	const movedBox = h('section', { class: 'pt-moved', 'aria-labelledby': 'pt-moved-h', 'data-testid': 'tiers-moved' });
	const upsellBox = h('section', { class: 'pt-signal', 'aria-labelledby': 'pt-upsell-h', 'data-testid': 'tiers-upsell' });
	const mismatchBox = h('section', { class: 'pt-signal', 'aria-labelledby': 'pt-mismatch-h', 'data-testid': 'tiers-mismatch' });
	const editorBox = mayEdit ? h('section', { class: 'card pt-editor', 'aria-labelledby': 'pt-editor-h', 'data-testid': 'tier-editor' }) : null;

	replace(ctx.root, h('section', { class: 'page page-wide tiers-page' },
		h('div', { class: 'page-head pt-head' },
			h('h1', null, 'Pricing tiers'), count,
			h('div', { class: 'page-head-spacer' }),
			downloads),
		h('p', { class: 'muted pt-lead' },
			'A feature is in its tier and every tier above it. The suggestion follows the buyers behind the asks: individual contributors → the lowest tier, managers → the middle, executives → the top.'),
		h('div', { class: 'toolbar pt-toolbar' },
			h('label', { class: 'ms-pick', for: msSel.id }, 'Milestone', msSel),
			show,
			h('span', { class: 'kbd-hint muted' }, h('kbd', null, 'j'), h('kbd', null, 'k'), ' move · ', h('kbd', null, 'Enter'), ' open')),
		msg,
		h('section', { class: 'pt-matrix-sec', 'aria-labelledby': 'pt-matrix-h' }, matrixHead, results),
		movedBox,
		h('div', { class: 'pt-signals' }, upsellBox, mismatchBox),
		editorBox));

	const href = (m, s) => {
		const q = new URLSearchParams();
		if (m) q.set('milestone', m);
		if (s) q.set('show', s);
		const t = q.toString();
		return `/tiers${t ? `?${t}` : ''}`;
	};
	msSel.addEventListener('change', () => ctx.navigate(href(msSel.value, onlyDisagree ? 'disagree' : '')));

	let tiers = [];
	let matrix = null;     // the matrix shown (of the milestone, when one is picked)
	let all = null;        // every feature with a tier: titles and counts for the other sections
	let milestones = [];
	let msTitle = '';

	function titleOf(number) {
		const f = all && all.features.find(x => x.number === number);
		return f ? f.title : '';
	}

	function issueRef(number, title) {
		const t = title === undefined ? titleOf(number) : title;
		return h('a', { href: `/issues/${number}`, class: 'pt-issue' }, h('span', { class: 'issue-num' }, `#${number}`), t ? ` ${t}` : '');
	}

	async function load() {
		const [m, a, ms, sig] = await Promise.all([
			api.tierMatrix({ milestone }),
			milestone ? api.tierMatrix({}) : null,
			api.listMilestones().then(d => (d && d.items) || []).catch((err) => { if (err.status === 401) throw err; return []; }),
			api.tierSignals().catch((err) => { if (err.status === 401) throw err; return err; }),
		]);
		if (!ctx.alive()) return;
		matrix = m;
		all = a || m;
		tiers = Array.isArray(m.tiers) ? m.tiers : [];
		milestones = ms;
		msTitle = m.milestone ? m.milestone.title : '';
		if (milestone && !m.milestone) {
			const hit = ms.find(x => String(x.id) === milestone);
			msTitle = hit ? hit.title : `Milestone ${milestone}`;
		}
		paintMilestones();
		paintDownloads();
		paintMatrix();
		paintMoved();
		paintSignals(sig);
		if (editorBox) paintEditor();
	}

	function paintMilestones() {
		replace(msSel, h('option', { value: '' }, 'All features'),
			// Newest first: the milestone being shipped is near the top.
			[...milestones].reverse().map(m => h('option', { value: String(m.id) }, `${m.title} · ${m.state}`)));
		if (milestone && !milestones.some(m => String(m.id) === milestone)) {
			msSel.appendChild(h('option', { value: milestone }, msTitle));
		}
		msSel.value = milestone;
	}

	function paintDownloads() {
		const base = `tiers${msTitle ? `-${safeFilePart(msTitle)}` : ''}`;
		replace(downloads,
			h('a', {
				href: api.tierMatrixUrl({ milestone, format: 'markdown' }), class: 'btn btn-sm', download: `${base}.md`,
				'data-testid': 'tiers-download-md', title: 'The matrix as a Markdown table: a pricing page’s comparison table',
			}, 'Download Markdown'),
			h('a', {
				href: api.tierMatrixUrl({ milestone, format: 'csv' }), class: 'btn btn-sm', download: `${base}.csv`,
				'data-testid': 'tiers-download-csv', title: 'The matrix as CSV',
			}, 'Download CSV'));
	}

	function paintMatrix() {
		const features = Array.isArray(matrix.features) ? matrix.features : [];
		const disagreeing = features.filter(f => f.disagrees);
		replace(count, milestone
			? `${plural(features.length, 'feature')} in ${msTitle}`
			: plural(features.length, 'feature'));
		const tab = (s, text, n, testid) => {
			const on = (s === 'disagree') === onlyDisagree;
			return h('a', {
				href: href(milestone, s), class: `seg-btn${on ? ' on' : ''}`, 'aria-current': on ? 'page' : null, 'data-testid': testid,
			}, text, h('span', { class: 'tab-count', 'aria-label': `(${n})` }, String(n)));
		};
		replace(show, tab('', 'All', features.length, 'tiers-show-all'),
			tab('disagree', 'Disagreements', disagreeing.length, 'tiers-show-disagree'));

		replace(matrixHead,
			h('h2', { id: 'pt-matrix-h' }, milestone ? `What each tier gains in ${msTitle}` : 'Every feature by tier'),
			onlyDisagree ? h('span', { class: 'muted' }, 'only the decisions that differ from the evidence') : null);

		const rows = onlyDisagree ? disagreeing : features;
		if (!rows.length) {
			replace(results, h('div', { class: 'empty', 'data-testid': 'tiers-empty' },
				h('p', { class: 'empty-title' }, onlyDisagree
					? 'Every decision follows the evidence'
					: milestone ? `No feature of ${msTitle} has a tier yet` : 'No feature has a tier yet'),
				h('p', { class: 'muted' }, onlyDisagree
					? 'No decided tier differs from the suggestion.'
					: 'A PM sets the tier of an epic, a story or a feature request on its page, beside the suggestion from the evidence.')));
			return;
		}
		const byTier = matrix.by_tier || {};
		const sorted = [...rows].sort((a, b) => tierIndex(tiers, a.tier) - tierIndex(tiers, b.tier) || a.number - b.number);
		// The header counts: a tier holds its own features and those of every tier below.
		let cum = 0;
		const heads = tiers.map((t) => {
			cum += Array.isArray(byTier[t]) ? byTier[t].length : 0;
			const n = cum;
			return h('th', {
				scope: 'col', class: 'pt-tier-col', dataset: { tier: t },
				title: milestone ? `${t} gains ${plural(n, 'feature')} in ${msTitle}` : `${t} includes ${plural(n, 'feature')}`,
			}, h('span', { class: 'pt-th-name' }, t), h('span', { class: 'pt-th-n', 'data-testid': 'tier-gain' }, milestone ? `+${n}` : String(n)));
		});
		const groups = [];
		for (const t of [...tiers, null]) {
			const inTier = sorted.filter(f => (t === null ? !tiers.includes(f.tier) : f.tier === t));
			if (!inTier.length) continue;
			groups.push(h('tbody', { class: 'pt-group', dataset: { tier: t || '' } },
				h('tr', { class: 'pt-group-row' },
					h('th', { scope: 'rowgroup', colspan: String(tiers.length + 2) },
						t ? tierBadge(t) : 'Other', h('span', { class: 'muted' }, ` ${plural(inTier.length, 'feature')}${milestone ? ` in ${msTitle}` : ''}`))),
				inTier.map(row)));
		}
		replace(results, h('table', { class: 'issues pt-matrix', 'data-testid': 'tier-matrix' },
			h('caption', { class: 'sr-only' }, `Features by pricing tier, lowest tier first${milestone ? `, in ${msTitle}` : ''}: a feature is included in its tier and every tier above it`),
			h('colgroup', null, h('col', { class: 'c-pt-feature' }), tiers.map(() => h('col', { class: 'c-pt-tier' })), h('col', { class: 'c-pt-sugg' })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'pt-feature-col' }, 'Feature'),
				heads,
				h('th', { scope: 'col', class: 'pt-sugg-col' }, 'Decided · suggested'))),
			groups));
	}

	function row(f) {
		const own = tierIndex(tiers, f.tier);
		const to = `/issues/${f.number}`;
		const tr = h('tr', {
			class: `pt-row${f.disagrees ? ' pt-row-disagrees' : ''}${f.state === 'closed' ? ' state-row-closed' : ''}`,
			dataset: { number: String(f.number), tier: f.tier || '' }, 'data-testid': 'tier-row',
		},
		h('th', { scope: 'row', class: 'title pt-feature' }, h('span', { class: 'pt-feature-inner' },
			h('a', { href: to, class: 'row-link', title: `${typeLabel(f.type)} #${f.number}: ${f.title}` },
				h('span', { class: 'issue-num' }, `#${f.number}`), ' ', f.title),
			h('span', { class: 'pt-type muted' }, typeLabel(f.type), f.state === 'closed' ? ' · closed' : ''),
			// On a phone the flag column is off to the side: a mark by the title.
			f.disagrees ? h('span', { class: 'pt-flag-mini', 'aria-hidden': 'true', title: 'Disagrees with the evidence' }, '⚑') : null)),
		tiers.map((t, i) => {
			const kind = i === own ? 'own' : i > own ? 'on' : 'off';
			return h('td', { class: `pt-cell pt-cell-${kind}`, dataset: { tier: t } },
				kind === 'off'
					? [h('span', { class: 'pt-dash', 'aria-hidden': 'true' }, '–'), h('span', { class: 'sr-only' }, `Not in ${t}`)]
					: [h('span', { class: 'pt-check', 'aria-hidden': 'true' }, '✓'),
						h('span', { class: 'sr-only' }, kind === 'own' ? `In ${t}: its tier` : `In ${t}`)]);
		}),
		h('td', { class: 'pt-sugg', 'data-testid': 'tier-suggested' },
			h('span', { class: 'pt-sugg-inner' },
				tierBadge(f.tier),
				h('span', { class: 'pt-vs muted', 'aria-hidden': 'true' }, !f.suggested ? '·' : f.disagrees ? '≠' : '='),
				h('span', { class: 'sr-only' }, f.suggested ? ', suggested ' : ', '),
				f.suggested ? tierBadge(f.suggested) : noSuggestion(),
				f.disagrees ? disagreeFlag({ compact: true, suggested: f.suggested }) : null)));
		tr.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(to); });
		return tr;
	}

	function paintMoved() {
		const head = (text, extra) => h('div', { class: 'section-head' }, h('h2', { id: 'pt-moved-h' }, text), extra);
		if (!milestone) {
			const active = milestones.find(m => m.state === 'active');
			replace(movedBox, head('Moved tiers this release'),
				h('p', { class: 'muted pt-moved-hint' }, 'Pick a milestone to see which features changed tiers while it ran.',
					active ? [' ', h('a', { href: href(String(active.id), ''), 'data-testid': 'tiers-active-ms' }, `Show ${active.title} (active)`)] : null));
			return;
		}
		const moved = Array.isArray(matrix.moved) ? matrix.moved : [];
		if (!moved.length) {
			replace(movedBox, head(`Moved tiers in ${msTitle}`),
				h('p', { class: 'muted pt-moved-hint' }, `No feature changed tiers while ${msTitle} ran.`));
			return;
		}
		replace(movedBox, head(`Moved tiers in ${msTitle}`, h('span', { class: 'muted' }, plural(moved.length, 'change'))),
			h('ul', { class: 'card pt-list' }, moved.map(x => h('li', { class: 'pt-item pt-moved-item', dataset: { number: String(x.number) }, 'data-testid': 'tier-moved' },
				issueRef(x.number),
				h('span', { class: 'pt-move' },
					x.from ? tierBadge(x.from) : h('span', { class: 'muted' }, 'no tier'),
					h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '),
					x.to ? tierBadge(x.to) : h('span', { class: 'muted' }, 'no tier'),
					x.at ? h('span', { class: 'muted pt-when' }, timeEl(h, x.at)) : null)))));
	}

	function paintSignals(sig) {
		const upHead = (extra) => h('div', { class: 'section-head' }, h('h2', { id: 'pt-upsell-h' }, 'Upsell: asking above their tier'), extra);
		const mmHead = (extra) => h('div', { class: 'section-head' }, h('h2', { id: 'pt-mismatch-h' }, 'Mismatch: asked for from a lower tier'), extra);
		if (sig instanceof Error) {
			replace(upsellBox, upHead(), notice('error', `The signals could not be loaded: ${sig.message}`));
			replace(mismatchBox, mmHead());
			return;
		}
		const upsell = Array.isArray(sig && sig.upsell) ? sig.upsell : [];
		const mismatch = Array.isArray(sig && sig.mismatch) ? sig.mismatch : [];
		const arr = upsell.reduce((s, c) => s + (Number(c.arr) || 0), 0);
		replace(upsellBox,
			upHead(upsell.length ? h('span', { class: 'muted', title: `ARR ${moneyText(arr)}` }, `${plural(upsell.length, 'customer')} · ${moneyShort(arr)} ARR`) : null),
			h('p', { class: 'muted pt-sig-hint' }, 'Customers asking for features priced above their tier, biggest ARR first.'),
			upsell.length
				? h('ul', { class: 'card pt-list' }, upsell.map(c => h('li', { class: 'pt-item pt-upsell-item', dataset: { id: String(c.id ?? '') }, 'data-testid': 'upsell-item' },
					h('span', { class: 'cust' },
						c.id ? h('a', { href: `/customers/${c.id}`, class: 'cust-name' }, customerName(c)) : h('span', { class: 'cust-name' }, customerName(c)),
						tierBadge(c.tier), arrText(c.arr)),
					h('ul', { class: 'pt-sub' }, (c.features || []).map(f => h('li', null,
						issueRef(f.number), ' ', tierBadge(f.tier)))))))
				: h('p', { class: 'card pt-empty muted' }, 'No customer asks for a feature above their tier.'));
		replace(mismatchBox,
			mmHead(mismatch.length ? h('span', { class: 'muted' }, plural(mismatch.length, 'feature')) : null),
			h('p', { class: 'muted pt-sig-hint' }, 'Features in a tier mostly asked for by customers of a lower one: a churn risk, or a tier set too high.'),
			mismatch.length
				? h('ul', { class: 'card pt-list' }, mismatch.map(f => h('li', { class: 'pt-item pt-mismatch-item', dataset: { number: String(f.number) }, 'data-testid': 'mismatch-item' },
					h('span', null, issueRef(f.number, f.title), ' ', tierBadge(f.tier)),
					h('span', { class: 'muted pt-asks' }, `${f.asks_from_lower_tiers} of ${plural(f.asks, 'ask')} from lower tiers`))))
				: h('p', { class: 'card pt-empty muted' }, 'No feature is mostly asked for by customers of a lower tier.'));
	}

	/* ---- the tier list (admins, PMs) ---- */

	let draft = null;     // [{name, was}] the list being edited (was: the saved name, null for a new one)
	let saving = false;
	let editorMsg = null;

	function paintEditor(focusSel) {
		if (!draft) draft = tiers.map(t => ({ name: t, was: t }));
		const holding = (t) => (all && all.by_tier && Array.isArray(all.by_tier[t]) ? all.by_tier[t].length : 0);
		const changed = JSON.stringify(draft.map(d => d.name.trim())) !== JSON.stringify(tiers);
		const addInput = h('input', {
			type: 'text', name: 'new_tier', maxlength: 32, autocomplete: 'off', placeholder: 'New tier, e.g. Business',
			'aria-label': 'New tier name', 'data-testid': 'tier-new-name',
		});
		const add = () => {
			const v = addInput.value.trim();
			if (!v) { addInput.focus(); return; }
			draft.push({ name: v, was: null });
			editorMsg = null;
			paintEditor('[data-testid="tier-new-name"]');
		};
		addInput.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); add(); } });
		const list = h('ol', { class: 'pt-edit-list', 'data-testid': 'tier-edit-list' }, draft.map((d, i) => {
			const input = h('input', {
				type: 'text', name: `tier-${i}`, value: d.name, maxlength: 32, autocomplete: 'off',
				'aria-label': `Tier ${i + 1} name`, 'data-testid': 'tier-name',
			});
			input.addEventListener('input', () => {
				d.name = input.value;
				const save = editorBox.querySelector('[data-testid="tiers-save"]');
				if (save) save.disabled = saving || JSON.stringify(draft.map(x => x.name.trim())) === JSON.stringify(tiers);
			});
			const n = d.was ? holding(d.was) : 0;
			const label = d.name.trim() || `tier ${i + 1}`;
			const move = (delta) => {
				const j = i + delta;
				if (j < 0 || j >= draft.length) return;
				[draft[i], draft[j]] = [draft[j], draft[i]];
				editorMsg = null;
				paintEditor(`[data-testid="tier-${delta < 0 ? 'up' : 'down'}"][data-index="${j}"]`);
				// At the top or bottom the button is disabled: keep focus on the row.
				if (document.activeElement === document.body || !editorBox.contains(document.activeElement)) {
					const other = editorBox.querySelector(`[data-index="${j}"]:not(:disabled)`);
					if (other) other.focus();
				}
			};
			return h('li', { class: `pt-edit-row${d.was === null ? ' pt-edit-new' : ''}`, dataset: { name: d.was || '' } },
				h('span', { class: 'pt-pos', 'aria-hidden': 'true' }, String(i + 1)),
				input,
				h('span', { class: 'pt-holds muted', title: d.was && d.name.trim() !== d.was ? `Saved as ${d.was}` : null },
					d.was === null ? 'new' : plural(n, 'feature'), d.was && d.name.trim() !== d.was ? ` · was ${d.was}` : ''),
				h('span', { class: 'pt-edit-btns' },
					h('button', {
						type: 'button', class: 'btn btn-sm btn-ghost pt-icon', 'aria-label': `Move ${label} up: a lower tier`, title: 'Move up: a lower tier',
						disabled: i === 0 || saving, 'data-testid': 'tier-up', dataset: { index: String(i) }, onclick: () => move(-1),
					}, '↑'),
					h('button', {
						type: 'button', class: 'btn btn-sm btn-ghost pt-icon', 'aria-label': `Move ${label} down: a higher tier`, title: 'Move down: a higher tier',
						disabled: i === draft.length - 1 || saving, 'data-testid': 'tier-down', dataset: { index: String(i) }, onclick: () => move(1),
					}, '↓'),
					h('button', {
						type: 'button', class: 'btn btn-sm btn-ghost', 'aria-label': `Remove ${label}`, disabled: saving || draft.length <= 1,
						'data-testid': 'tier-remove', dataset: { index: String(i) },
						onclick: () => {
							draft.splice(i, 1);
							editorMsg = null;
							paintEditor(`[data-testid="tier-remove"][data-index="${Math.min(i, draft.length - 1)}"]`);
						},
					}, 'Remove')));
		}));
		replace(editorBox,
			h('div', { class: 'section-head' },
				h('h2', { id: 'pt-editor-h', tabindex: '-1' }, 'Tier list'),
				changed ? h('span', { class: 'pt-unsaved', 'data-testid': 'tiers-unsaved' }, 'Unsaved changes') : null),
			h('p', { class: 'muted pt-editor-hint' },
				'Lowest tier first: the order is the price ladder. Renaming replaces a tier, so a tier that still holds features can be neither renamed nor removed — move its features first.'),
			list,
			h('div', { class: 'pt-add' }, addInput,
				h('button', { type: 'button', class: 'btn btn-sm', onclick: add, disabled: saving, 'data-testid': 'tier-add' }, 'Add tier')),
			h('div', { class: 'form-msg', 'data-testid': 'tiers-msg' }, editorMsg),
			h('div', { class: 'form-actions' },
				h('button', { type: 'button', class: 'btn btn-primary', disabled: saving || !changed, onclick: save, 'data-testid': 'tiers-save' }, saving ? 'Saving…' : 'Save tiers'),
				h('button', {
					type: 'button', class: 'btn btn-ghost', disabled: saving || !changed, 'data-testid': 'tiers-reset',
					onclick: () => { draft = null; editorMsg = null; paintEditor('[data-testid="tier-new-name"]'); },
				}, 'Undo changes')));
		if (focusSel) {
			const el = editorBox.querySelector(focusSel);
			if (el && !el.disabled) el.focus();
		}
	}

	async function save() {
		if (saving) return;
		saving = true;
		editorMsg = null;
		paintEditor();
		let res;
		try {
			res = await api.saveTiers(draft.map(d => d.name.trim()));
		} catch (err) {
			saving = false;
			if (!ctx.alive() || err.status === 401) return;
			editorMsg = notice('error', err.message);
			paintEditor();
			const bad = editorBox.querySelector('[data-testid="tiers-msg"]');
			if (bad) bad.scrollIntoView({ block: 'nearest' });
			const save = editorBox.querySelector('[data-testid="tiers-save"]');
			if (save) save.focus();
			return;
		}
		saving = false;
		if (!ctx.alive()) return;
		draft = null;
		toast(`Tiers saved: ${(res && res.tiers ? res.tiers : []).join(' < ')}`);
		try {
			await load();
		} catch (err) {
			if (err.status !== 401) replace(msg, notice('error', err.message));
			return;
		}
		const hd = document.getElementById('pt-editor-h');
		if (hd) hd.focus();
	}

	rowKeys(ctx, results);

	await load();
}

/* ---------- the issue page's panel ---------- */

/* The "Pricing tier" panel of an issue: { el, update(issue) }.  update()
 * is called whenever the issue page paints; the panel shows only for
 * epics, stories and feature requests and loads its data when the issue
 * first gets (or changes to) one of those types.  onChange() after the tier
 * was set or cleared (the page reloads its history). */
export function tierPanel(ctx, number, { onChange } = {}) {
	const el = h('section', { class: 'issue-tier', 'aria-labelledby': 'tier-h', 'data-testid': 'issue-tier', hidden: true });
	const mayEdit = canSetTiers(ctx.user);
	let type = null;
	let data = null;       // GET /issues/{n}/tier
	let tiers = null;      // the tier list
	let err = null;
	let editing = false;
	let busy = false;
	let formMsg = null;
	let seq = 0;

	const title = () => h('h2', { id: 'tier-h' }, 'Pricing tier');

	function update(issue) {
		const t = issue && issue.type;
		if (!TIER_TYPES.has(t)) {
			type = t;
			el.hidden = true;
			replace(el);
			return;
		}
		el.hidden = false;
		if (t !== type) { // first paint, or the type changed: (re)load
			type = t;
			load();
		}
	}

	async function load() {
		const my = ++seq;
		if (!data) replace(el, h('div', { class: 'section-head' }, title()), spinner('Loading the pricing tier…'));
		try {
			const [d, t] = await Promise.all([api.issueTier(number), tiers ? tiers : api.getTiers()]);
			if (my !== seq || !ctx.alive()) return;
			data = d;
			tiers = t;
			err = null;
		} catch (e) {
			if (my !== seq || !ctx.alive() || e.status === 401) return;
			err = e.message;
		}
		paint();
	}

	function paint() {
		if (err && !data) {
			replace(el, h('div', { class: 'section-head' }, title()), notice('error', `The pricing tier could not be loaded: ${err}`));
			return;
		}
		if (!data) return;
		const s = data.suggestion || {};
		const editBtn = mayEdit && !editing
			? h('button', {
				type: 'button', class: 'btn btn-sm', id: 'tier-edit-btn', 'data-testid': 'tier-edit',
				onclick: () => { editing = true; formMsg = null; paint(); focusForm(); },
			}, data.tier ? 'Change tier' : 'Set tier')
			: null;
		replace(el,
			h('div', { class: 'section-head' },
				title(),
				data.disagrees ? disagreeFlag({ suggested: s.tier }) : null,
				h('div', { class: 'page-head-spacer' }),
				editBtn),
			h('div', { class: 'pt-sbs' }, decisionCard(), suggestionCard()),
			editing ? form() : null);
	}

	function decisionCard() {
		const s = data.suggestion || {};
		return h('div', { class: `card pt-card pt-decision${data.disagrees ? ' pt-card-disagrees' : ''}`, 'data-testid': 'tier-decision' },
			h('h3', { class: 'pt-card-h' }, 'Decision'),
			h('div', { class: 'pt-big', 'data-testid': 'tier-decided' },
				data.tier ? tierBadge(data.tier) : h('span', { class: 'muted' }, 'Not decided yet')),
			data.tier
				? h('p', { class: 'pt-rationale', 'data-testid': 'tier-rationale' }, data.rationale || h('span', { class: 'muted' }, 'No rationale.'))
				: h('p', { class: 'muted pt-rationale' }, mayEdit
					? 'Set a tier with the reason for it; the suggestion beside it is what the evidence says.'
					: 'A PM decides the tier of this feature.'),
			data.disagrees
				? h('p', { class: 'pt-disagree-note', 'data-testid': 'tier-disagree-note' },
					h('span', { 'aria-hidden': 'true' }, '⚑ '),
					`The evidence points to ${s.tier}; the decision is ${data.tier}.`)
				: null,
			data.set_by ? h('p', { class: 'muted pt-meta' }, 'Set by ', h('strong', null, data.set_by), data.set_at ? [' · ', timeEl(h, data.set_at, 'full')] : null) : null);
	}

	function suggestionCard() {
		const s = data.suggestion || {};
		const lv = s.by_level || {};
		const bt = s.by_tier || {};
		const levels = ['individual', 'manager', 'executive'];
		const lvTotal = levels.reduce((a, k) => a + (Number(lv[k]) || 0), 0);
		const tierKeys = [...(tiers || []), ...Object.keys(bt).filter(k => !(tiers || []).includes(k))];
		const btTotal = tierKeys.reduce((a, k) => a + (Number(bt[k]) || 0), 0);
		const bar = (n, total) => {
			const b = h('span', { class: 'pt-bar', 'aria-hidden': 'true' }, h('span', { class: 'pt-bar-fill' }));
			b.firstChild.style.width = `${total ? Math.round((100 * n) / total) : 0}%`;
			return b;
		};
		const numbers = (caption, testid, rows, total) => h('table', { class: 'pt-nums', 'data-testid': testid },
			h('caption', null, caption),
			h('tbody', null, rows.map(([label, n, hint]) => h('tr', { class: n ? null : 'pt-zero' },
				h('th', { scope: 'row', title: hint || null }, label),
				h('td', { class: 'pt-n' }, String(n)),
				h('td', { class: 'pt-bar-cell' }, bar(n, total))))));
		return h('div', { class: 'card pt-card pt-suggestion', 'data-testid': 'tier-suggestion' },
			h('h3', { class: 'pt-card-h' }, 'Suggestion from the evidence'),
			h('div', { class: 'pt-big', 'data-testid': 'tier-suggested-tier' }, s.tier ? tierBadge(s.tier) : h('span', { class: 'muted' }, 'No suggestion')),
			h('p', { class: 'pt-reason', 'data-testid': 'tier-reason' }, s.reason || 'No evidence yet.'),
			h('div', { class: 'pt-num-grid' },
				numbers('Asks by buyer level', 'tier-by-level',
					levels.map(k => [buyerLevelLabel(k), Number(lv[k]) || 0, LEVEL_HINT[k]]), lvTotal),
				numbers('Asking customers by tier', 'tier-by-tier', tierKeys.map(k => [k, Number(bt[k]) || 0]), btTotal)),
			h('p', { class: 'muted pt-meta' }, `${plural(Number(s.asks) || 0, 'ask')} · ${plural(Number(s.customers) || 0, 'customer')}`,
				lvTotal < (Number(s.asks) || 0) ? ` · ${Number(s.asks) - lvTotal} without a known buyer` : ''));
	}

	function form() {
		const s = data.suggestion || {};
		const list = [...(tiers || [])];
		if (data.tier && !list.includes(data.tier)) list.push(data.tier);
		const sel = h('select', { name: 'tier', 'data-testid': 'tier-select' },
			list.map(t => h('option', { value: t }, t === s.tier ? `${t} (suggested)` : t)));
		sel.value = data.tier || s.tier || list[0] || '';
		const why = h('textarea', {
			name: 'rationale', rows: 3, required: true, maxlength: 2000, class: 'pt-why', 'data-testid': 'tier-rationale-input',
			placeholder: 'Why this tier: who buys it, what it is worth to them',
		});
		const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', disabled: busy, 'data-testid': 'tier-save' }, busy ? 'Saving…' : (data.tier ? 'Change tier' : 'Set tier'));
		const f = h('form', { class: 'card pt-form', novalidate: true, 'aria-label': 'Set the pricing tier', 'data-testid': 'tier-form' },
			h('div', { class: 'pt-form-grid' },
				field('Tier', sel, { hint: s.tier ? `The evidence suggests ${s.tier}` : 'No suggestion from the evidence' }),
				field('Rationale', why, { hint: 'Required · kept in the history · Ctrl+Enter to save · Esc to cancel' })),
			h('div', { class: 'form-msg', 'data-testid': 'tier-form-msg' }, formMsg),
			h('div', { class: 'form-actions' },
				saveBtn,
				h('button', { type: 'button', class: 'btn btn-ghost', disabled: busy, onclick: cancel }, 'Cancel'),
				data.tier ? h('div', { class: 'page-head-spacer' }) : null,
				data.tier ? h('button', {
					type: 'button', class: 'btn btn-ghost pt-clear', disabled: busy, 'data-testid': 'tier-clear',
					title: 'Take the tier off this feature (the reason, if given, goes with it)',
					onclick: () => submit(null, why.value.trim(), f),
				}, 'Clear tier') : null));
		f.addEventListener('keydown', (ev) => {
			if (ev.key === 'Escape') { ev.preventDefault(); cancel(); }
			if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); f.requestSubmit(); }
		});
		f.addEventListener('submit', (ev) => {
			ev.preventDefault();
			submit(sel.value, why.value.trim(), f);
		});
		return f;
	}

	function focusForm() {
		const t = el.querySelector('textarea[name="rationale"]');
		if (t) t.focus();
	}

	function cancel() {
		editing = false;
		formMsg = null;
		paint();
		const b = document.getElementById('tier-edit-btn');
		if (b) b.focus();
	}

	async function submit(tier, rationale, f) {
		if (busy) return;
		busy = true;
		const kept = { tier: f.querySelector('[name="tier"]').value, why: f.querySelector('[name="rationale"]').value };
		formMsg = null;
		paint();
		restore(kept);
		let res;
		try {
			// The server asks for a reason; a clear sends one only when given.
			res = await api.setIssueTier(number, tier, tier === null && !rationale ? undefined : rationale);
		} catch (e) {
			busy = false;
			if (!ctx.alive() || e.status === 401) return;
			formMsg = notice('error', e.message);
			paint();
			restore(kept);
			const form = el.querySelector('form');
			const bad = form ? markInvalid(form, e.field) : null;
			if (bad) bad.focus();
			return;
		}
		busy = false;
		if (!ctx.alive()) return;
		data = res;
		editing = false;
		paint();
		toast(tier === null ? 'Tier cleared' : `Tier set: ${tier}`);
		const b = document.getElementById('tier-edit-btn');
		if (b) b.focus();
		if (onChange) onChange(res);
	}

	/* Keep what was typed across a repaint. */
	function restore(kept) {
		const form = el.querySelector('form');
		if (!form) return;
		form.querySelector('[name="tier"]').value = kept.tier;
		form.querySelector('[name="rationale"]').value = kept.why;
	}

	return { el, update };
}
