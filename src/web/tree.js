// tree.js — an issue's place in the hierarchy (docs/API.md, GET
// /api/v1/issues/{n}/tree): pillar › area › ancestors, then the issue's
// children nested, each with its size, its roll-up and a "double booked"
// badge when it has a size of its own and sized children too.
//
//   /issues/{n}/tree   the page;  treeSection() is the same view, compact,
//                      on the issue page.
//
// Big trees stay light: a node's children are built only when it is opened
// (the first two levels and the way to the current issue start open).

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { sizeLetter } from './fmt.js?v={{v}}';
import { typeBadge, stateBadge, notice, spinner, person } from './ui.js?v={{v}}';
import { devStatusChip } from './board.js?v={{v}}';

const OPEN_DEPTH = 2;

function pts(n) {
	if (n === null || n === undefined || !Number.isFinite(Number(n))) return null;
	const x = Number(n);
	return `${Number.isInteger(x) ? x : x.toFixed(1)} pt${x === 1 ? '' : 's'}`;
}

function sizeEl(node) {
	const eff = node.effective_size;
	if (eff === null || eff === undefined) return h('span', { class: 'size size-none', title: 'Not sized' }, '–');
	const src = node.size !== null && node.size !== undefined ? 'EM size' : 'PM size';
	return h('span', { class: 'size', title: `${src}: ${pts(eff)}` }, sizeLetter(eff) || String(eff));
}

export function doubleBookedBadge() {
	return h('span', {
		class: 'dbl', 'data-testid': 'double-booked',
		title: 'Double booked: this item has a size and so do some of its children. Their points do not add to its roll-up; size one or the other.',
	}, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Double booked');
}

/* pillar › area › ancestors › this issue */
export function treeCrumbs(data, current) {
	const parts = [];
	const sep = () => h('span', { class: 'tree-sep', 'aria-hidden': 'true' }, '›');
	if (data.pillar) parts.push(h('span', { class: 'tree-pillar', title: 'Pillar' }, h('span', { class: 'tree-kind' }, 'Pillar'), ' ', data.pillar.name));
	if (data.area) parts.push(h('span', { class: 'tree-area', title: 'Area' }, h('span', { class: 'tree-kind' }, 'Area'), ' ', data.area.name));
	for (const a of data.ancestors || []) {
		if (a.number === current) continue;
		parts.push(h('a', { href: `/issues/${a.number}`, class: 'tree-anc' }, h('span', { class: 'tree-num' }, `#${a.number}`), ' ', a.title));
	}
	const root = data.root;
	const self = findNode(root, current) || root;
	if (self) parts.push(h('span', { class: 'tree-self', 'aria-current': 'page' }, h('span', { class: 'tree-num' }, `#${self.number}`), ' ', self.title));
	if (!data.pillar && !data.area && !(data.ancestors || []).length) {
		parts.unshift(h('span', { class: 'muted tree-loose', title: 'No pillar, area or parent' }, 'Not under an area'));
	}
	const out = [];
	parts.forEach((p, i) => { if (i) out.push(sep()); out.push(p); });
	return h('nav', { class: 'tree-crumbs', 'aria-label': 'Hierarchy', 'data-testid': 'tree-crumbs' }, out);
}

function findNode(node, number) {
	if (!node) return null;
	if (node.number === number) return node;
	for (const c of node.children || []) {
		const hit = findNode(c, number);
		if (hit) return hit;
	}
	return null;
}

function pathTo(node, number, acc = []) {
	if (!node) return null;
	if (node.number === number) return [...acc, node.number];
	for (const c of node.children || []) {
		const hit = pathTo(c, number, [...acc, node.number]);
		if (hit) return hit;
	}
	return null;
}

function countTree(node) {
	let n = 0; let dbl = 0;
	const walk = (x) => { n++; if (x.double_booked) dbl++; for (const c of x.children || []) walk(c); };
	if (node) walk(node);
	return { n, dbl };
}

/* The nested tree under data.root; `current` is highlighted. */
export function treeView(data, current, { compact = false } = {}) {
	const root = data.root;
	if (!root) return h('p', { class: 'muted' }, 'No tree.');
	const onPath = new Set(pathTo(root, current) || []);

	function nodeEl(node, depth) {
		const kids = Array.isArray(node.children) ? node.children : [];
		let open = depth < (compact ? 1 : OPEN_DEPTH) || onPath.has(node.number);
		const childList = h('ul', { class: 'tree-children', role: 'group' });
		const toggle = kids.length ? h('button', {
			type: 'button', class: 'tree-toggle', 'aria-expanded': open ? 'true' : 'false',
			'aria-label': `${open ? 'Collapse' : 'Expand'} #${node.number} (${kids.length} child${kids.length === 1 ? '' : 'ren'})`,
		}, open ? '▾' : '▸') : h('span', { class: 'tree-toggle tree-leaf', 'aria-hidden': 'true' }, '·');
		const showKids = () => {
			if (open) replace(childList, kids.map(k => nodeEl(k, depth + 1)));
			else replace(childList);
			childList.hidden = !open;
			if (kids.length) {
				toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
				toggle.textContent = open ? '▾' : '▸';
				toggle.setAttribute('aria-label', `${open ? 'Collapse' : 'Expand'} #${node.number} (${kids.length} child${kids.length === 1 ? '' : 'ren'})`);
			}
		};
		if (kids.length) toggle.addEventListener('click', () => { open = !open; showKids(); });
		const rollup = node.rollup_size;
		const showRollup = kids.length > 0;
		const isSelf = node.number === current;
		const row = h('div', { class: `tree-row${isSelf ? ' tree-current' : ''}${node.state === 'closed' ? ' tree-closed' : ''}` },
			toggle,
			typeBadge(node.type),
			h('a', { href: `/issues/${node.number}`, class: 'tree-link', 'aria-current': isSelf ? 'true' : null },
				h('span', { class: 'tree-num' }, `#${node.number}`), ' ', h('span', { class: 'tree-title' }, node.title)),
			h('span', { class: 'tree-facts' },
				node.double_booked ? doubleBookedBadge() : null,
				h('span', { class: 'tf-status' }, node.dev_status ? devStatusChip(node.dev_status) : (node.state === 'closed' ? stateBadge('closed') : null)),
				compact ? null : h('span', { class: 'tf-who' }, node.assignee ? person(node.assignee) : null),
				h('span', { class: 'tf-size' }, sizeEl(node)),
				showRollup ? h('span', {
					class: 'rollup', 'data-testid': 'rollup',
					title: node.double_booked ? 'Roll-up: its own size (the sized children are double booked and do not add)' : 'Roll-up: the sum of its children',
				}, 'Σ ', pts(rollup) || '0 pts') : h('span', { class: 'rollup', 'aria-hidden': 'true' })));
		const li = h('li', { class: 'tree-node', dataset: { number: String(node.number) }, 'data-testid': 'tree-node' }, row, childList);
		showKids();
		return li;
	}

	const { n, dbl } = countTree(root);
	return h('div', { class: `tree${compact ? ' tree-compact' : ''}`, 'data-testid': 'tree' },
		h('p', { class: 'tree-summary muted' },
			`${n} item${n === 1 ? '' : 's'}`,
			root.rollup_size !== null && root.rollup_size !== undefined ? ` · Σ ${pts(root.rollup_size)}` : '',
			dbl ? [' · ', h('span', { class: 'dbl-count' }, `${dbl} double booked`)] : ''),
		h('ul', { class: 'tree-root' }, nodeEl(root, 0)));
}

/* /issues/{n}/tree */
export async function renderTreePage(ctx) {
	const number = ctx.params.number;
	ctx.setTitle(`#${number} tree`);
	replace(ctx.root, h('section', { class: 'page' }, spinner()));
	const data = await api.issueTree(number);
	if (!ctx.alive()) return;
	const self = findNode(data.root, number) || data.root || { number, title: '' };
	ctx.setTitle(`#${number} ${self.title} · tree`);
	replace(ctx.root, h('article', { class: 'page tree-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/' }, 'Issues'), h('span', { 'aria-hidden': 'true' }, ' / '),
			h('a', { href: `/issues/${number}` }, `#${number}`), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'Tree')),
		h('div', { class: 'page-head' }, h('h1', null, h('span', { class: 'issue-num' }, `#${self.number}`), ' ', self.title)),
		treeCrumbs(data, number),
		h('div', { class: 'card tree-card' }, treeView(data, number)),
		h('p', { class: 'muted tree-note' },
			'Roll-up: an epic sums its children; a sized story counts its own size (sized tasks under it are double booked and do not add); an unsized story sums its tasks.')));
}

/* The issue page's section: crumbs and a compact tree, loaded on its own. */
export function treeSection(number) {
	const box = h('section', { class: 'issue-tree', 'aria-labelledby': 'tree-h', 'data-testid': 'issue-tree' },
		h('div', { class: 'section-head' }, h('h2', { id: 'tree-h' }, 'Hierarchy')), spinner('Loading the tree…'));
	(async () => {
		let data;
		try {
			data = await api.issueTree(number);
		} catch (err) {
			if (err.status === 401) return;
			replace(box, h('div', { class: 'section-head' }, h('h2', { id: 'tree-h' }, 'Hierarchy')),
				notice('error', `The tree could not be loaded: ${err.message}`));
			return;
		}
		const kids = (data.root && data.root.children) || [];
		const self = findNode(data.root, number);
		const selfKids = self ? (self.children || []) : kids;
		const lonely = !data.pillar && !data.area && !(data.ancestors || []).some(a => a.number !== number)
			&& !selfKids.length && (!data.root || data.root.number === number);
		if (lonely) {
			replace(box, h('div', { class: 'section-head' }, h('h2', { id: 'tree-h' }, 'Hierarchy')),
				h('p', { class: 'muted tree-none' }, 'Not under an epic or an area, and no children.'));
			return;
		}
		replace(box,
			h('div', { class: 'section-head' }, h('h2', { id: 'tree-h' }, 'Hierarchy'),
				h('div', { class: 'page-head-spacer' }),
				h('a', { href: `/issues/${number}/tree`, class: 'btn btn-sm', 'data-testid': 'tree-link' }, 'Open the tree')),
			treeCrumbs(data, number),
			selfKids.length || (data.root && data.root.number !== number)
				? h('div', { class: 'card tree-card' }, treeView(data, number, { compact: true }))
				: h('p', { class: 'muted tree-none' }, 'No children.'));
	})();
	return box;
}
