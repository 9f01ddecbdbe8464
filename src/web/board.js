// board.js — the product and development boards (/boards/product,
// /boards/dev?milestone=ID), docs/API.md "Planning: Boards".
//
// Columns sit side by side (the board scrolls sideways); each column scrolls
// on its own and shows only its first page (50 cards).  The next page of a
// column is fetched when its end scrolls into view (an IntersectionObserver
// on a sentinel after the last card), so a column of 5,000 items never puts
// thousands of nodes in the page at once.
//
// Moving a card is a PATCH of the issue with If-Match and
// {dev_status|board, after}: `after` is the card above the drop point (0 for
// the top).  The card moves at once and goes back if the server refuses;
// the server's message shows in a banner (a PM, CTO or admin may force a
// move past the Todo limit).
//
// Mouse: HTML5 drag and drop.  Keyboard: Tab reaches a column, ↑/↓/←/→
// move the focus between cards; m or Space picks the focused card up,
// ←/→ choose the column, ↑/↓ the position, Enter (or Space) drops it,
// Esc puts it back.  Every step is announced in an aria-live region.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { BOARDS, dateText, sizeLetter } from './fmt.js?v={{v}}';
import { priorityIcon, avatar, notice, spinner, toast, canTriage, can } from './ui.js?v={{v}}';

const PAGE = 50;

/* ---------- shared planning vocabulary (the issue page uses it too) ---------- */

export const DEV_STATUSES = [
	['todo', 'Todo'], ['up_next', 'Up Next'], ['in_design', 'In Design'], ['in_progress', 'In Progress'],
	['review', 'Review'], ['verify', 'Verify'], ['done', 'Done'],
];

export function devStatusLabel(s) {
	const hit = DEV_STATUSES.find(([v]) => v === s);
	return hit ? hit[1] : (s ? String(s) : 'Not on the board');
}

export function devStatusChip(s) {
	if (!s) return h('span', { class: 'muted' }, 'Not on the board');
	return h('span', { class: `devst devst-${String(s).replace(/[^a-z_]/g, '')}`, title: `Development board: ${devStatusLabel(s)}` },
		h('span', { class: 'devst-dot', 'aria-hidden': 'true' }), devStatusLabel(s));
}

/* The definition of done, in the order the team checks it. */
export const DOD = [
	['merged', 'Code merged'], ['tests', 'Tests'], ['docs', 'Docs'], ['acceptance', 'Acceptance criteria'], ['demo', 'Demo'],
];

/* "3/5" with a small ring; full when all five are done. */
export function dodChip(done) {
	const n = Math.max(0, Math.min(5, Number(done) || 0));
	return h('span', { class: `dod-chip${n === 5 ? ' dod-full' : n === 0 ? ' dod-none' : ''}`, title: `Definition of done: ${n} of 5` },
		h('span', { class: 'dod-pips', 'aria-hidden': 'true' }, [0, 1, 2, 3, 4].map(i => h('span', { class: i < n ? 'on' : null }))),
		`${n}/5`);
}

/* PM, CTO and admin may force a move past the Todo limit. */
export function canForce(user) {
	return can(user, 'issue.force');
}

function pts(n) {
	const x = Number(n) || 0;
	return `${Number.isInteger(x) ? x : x.toFixed(1)} pt${x === 1 ? '' : 's'}`;
}

/* ---------- the board page ---------- */

export async function renderBoard(ctx) {
	const kind = ctx.params.board === 'product' ? 'product' : 'dev';
	const dev = kind === 'dev';
	const field = dev ? 'dev_status' : 'board';
	const title = dev ? 'Development board' : 'Product board';
	ctx.setTitle(title);
	const mayMove = can(ctx.user, dev ? 'issue.write' : 'board.product');
	let milestone = dev && /^\d+$/.test(ctx.query.get('milestone') || '') ? Number(ctx.query.get('milestone')) : null;

	let cols = [];          // [{key, name, count, points, limit, items, more, loading, el…}]
	let todoLimit = null;
	let loadSeq = 0;
	let carrying = null;    // keyboard move in progress
	let dragging = null;    // mouse drag in progress: {number}
	const cards = new Map(); // number -> {item, el}
	const observers = [];

	const helpId = uid('board-help');
	const live = h('div', { class: 'sr-only', 'aria-live': 'assertive', 'aria-atomic': 'true', 'data-testid': 'board-live' });
	const banner = h('div', { class: 'board-msg', 'data-testid': 'board-msg' });
	const colsBox = h('div', { class: 'board-cols', 'data-testid': 'board', role: 'group', 'aria-label': title }, spinner());
	// The columns scroll sideways when they do not fit: a fade at the edge
	// that has more (and the scrollbar) says so.
	const edgeBtn = (side) => h('button', {
		type: 'button', class: `board-edge board-edge-${side}`, tabindex: -1, 'aria-hidden': 'true',
		title: side === 'right' ? 'More columns to the right' : 'More columns to the left',
		onclick: () => colsBox.scrollBy({ left: (side === 'right' ? 1 : -1) * Math.max(200, colsBox.clientWidth * 0.8), behavior: 'smooth' }),
	}, side === 'right' ? '›' : '‹');
	const colsWrap = h('div', { class: 'board-wrap' }, colsBox, edgeBtn('left'), edgeBtn('right'));
	const msSelect = dev ? h('select', { id: uid('ms'), name: 'milestone', class: 'ms-select', 'data-testid': 'milestone-select' },
		h('option', { value: '' }, 'All milestones')) : null;
	if (msSelect && milestone) msSelect.appendChild(h('option', { value: String(milestone) }, `Milestone ${milestone}`));
	if (msSelect) msSelect.value = milestone ? String(milestone) : '';

	const tabs = h('nav', { class: 'seg tabs', 'aria-label': 'Boards' },
		h('a', { href: '/boards/product', class: `seg-btn${dev ? '' : ' on'}`, 'aria-current': dev ? null : 'page' }, 'Product'),
		h('a', { href: '/boards/dev', class: `seg-btn${dev ? ' on' : ''}`, 'aria-current': dev ? 'page' : null }, 'Development'));

	replace(ctx.root, h('section', { class: `page page-board board-${kind}` },
		h('div', { class: 'page-head' },
			h('h1', null, title), tabs,
			msSelect ? h('label', { class: 'ms-pick', for: msSelect.id }, h('span', null, 'Milestone'), msSelect) : null,
			h('div', { class: 'page-head-spacer' }),
			mayMove ? h('span', { class: 'kbd-hint muted', id: helpId },
				'Drag cards, or focus one and press ', h('kbd', null, 'm'), ' to move: ', h('kbd', null, '←'), h('kbd', null, '→'), ' column · ',
				h('kbd', null, '↑'), h('kbd', null, '↓'), ' position · ', h('kbd', null, 'Enter'), ' drop · ', h('kbd', null, 'Esc'), ' cancel')
				: h('span', { class: 'kbd-hint muted', id: helpId }, dev ? 'Viewers cannot move cards.' : 'Only a PM, CTO or admin moves cards on the product board.')),
		banner, colsWrap, live));

	if (msSelect) {
		msSelect.addEventListener('change', () => {
			milestone = msSelect.value ? Number(msSelect.value) : null;
			ctx.setUrl(milestone ? `/boards/dev?milestone=${milestone}` : '/boards/dev');
			load();
		});
		loadMilestones();
	}

	async function loadMilestones() {
		let data;
		try { data = await api.listMilestones(); } catch (_) { return; }
		if (!ctx.alive()) return;
		const items = (data && data.items) || [];
		replace(msSelect, h('option', { value: '' }, 'All milestones'),
			items.map(m => h('option', { value: String(m.id) },
				`${m.title} · ${shortDay(m.start)} – ${shortDay(m.due)}${m.state === 'active' ? ' · active' : m.state === 'closed' ? ' · closed' : ''}`)));
		if (milestone && !items.some(m => m.id === milestone)) msSelect.appendChild(h('option', { value: String(milestone) }, `Milestone ${milestone}`));
		msSelect.value = milestone ? String(milestone) : '';
	}

	/* ---------- announcements and the banner ---------- */

	let liveTimer = null;
	function announce(text) {
		clearTimeout(liveTimer);
		live.textContent = '';
		liveTimer = setTimeout(() => { live.textContent = text; }, 30);
	}

	function showError(message, ...extra) {
		const n = notice('error', message, ...extra,
			h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => replace(banner), 'aria-label': 'Dismiss' }, 'Dismiss'));
		n.setAttribute('data-testid', 'board-error');
		replace(banner, n);
	}

	/* ---------- data ---------- */

	async function load() {
		const seq = ++loadSeq;
		cancelCarry(false);
		colsBox.setAttribute('aria-busy', 'true');
		let data;
		try {
			data = await api.getBoard(kind, { milestone, limit: PAGE });
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive() || err.status === 401) return;
			colsBox.removeAttribute('aria-busy');
			replace(colsBox, h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, 'The board could not be loaded'),
				h('p', { class: 'muted' }, err.message),
				h('p', { class: 'empty-action' }, h('button', { type: 'button', class: 'btn', onclick: () => load() }, 'Retry'))));
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		colsBox.removeAttribute('aria-busy');
		todoLimit = data.todo_limit ?? null;
		for (const o of observers.splice(0)) o.disconnect();
		cards.clear();
		cols = (data.columns || []).map(c => ({
			key: c.key, name: c.name || columnName(c.key), count: Number(c.count) || 0, points: Number(c.points) || 0,
			limit: c.limit ?? (dev && c.key === 'todo' ? todoLimit : null),
			items: Array.isArray(c.items) ? c.items.slice() : [], loading: false, error: null,
		}));
		replace(colsBox, cols.map(buildColumn));
		for (const c of cols) paintColumn(c);
		edges();
		rove();
		if (milestone) loadTodoTotal(seq);
	}

	/* The Todo limit holds for the whole column: with a milestone filter,
	 * ask for the unfiltered column's points (one item) to show the load. */
	async function loadTodoTotal(seq) {
		const todo = colOf('todo');
		if (!todo) return;
		let page;
		try { page = await api.getBoardColumn(kind, 'todo', { offset: 0, limit: 1 }); } catch (_) { return; }
		if (seq !== loadSeq || !ctx.alive()) return;
		todo.total = { count: Number(page.count) || 0, points: Number(page.points) || 0 };
		paintHead(todo);
	}

	function columnName(key) {
		const list = dev ? DEV_STATUSES : BOARDS;
		const hit = list.find(([v]) => v === key);
		return hit ? hit[1] : key;
	}

	function colOf(key) { return cols.find(c => c.key === key) || null; }

	function more(col) { return col.items.length < col.count; }

	async function loadMore(col) {
		if (col.loading || !more(col)) return;
		col.loading = true;
		col.error = null;
		paintSentinel(col);
		const seq = loadSeq;
		let page;
		try {
			page = await api.getBoardColumn(kind, col.key, { offset: col.items.length, limit: PAGE, milestone });
		} catch (err) {
			if (seq !== loadSeq || !ctx.alive()) return;
			col.loading = false;
			col.error = err.status === 401 ? null : err.message;
			paintSentinel(col);
			return;
		}
		if (seq !== loadSeq || !ctx.alive()) return;
		col.loading = false;
		const fresh = (page.items || []).filter(it => !cards.has(it.number));
		if (Number.isFinite(Number(page.count))) col.count = Number(page.count);
		if (Number.isFinite(Number(page.points))) col.points = Number(page.points);
		if (!fresh.length && (page.items || []).length === 0) col.count = col.items.length; // the server has no more
		const at = col.els.sentinel;
		for (const it of fresh) {
			col.items.push(it);
			col.els.list.insertBefore(cardEl(col, it), at);
		}
		paintHead(col);
		paintSentinel(col);
		// Observe again: if the end is still in view (a short page), this fires at once.
		if (more(col)) { col.observer.unobserve(col.els.sentinel); col.observer.observe(col.els.sentinel); }
	}

	/* ---------- building the columns ---------- */

	function buildColumn(col) {
		const headId = uid('col');
		const head = h('header', { class: 'board-col-head' });
		const list = h('ul', { class: 'board-list', 'aria-labelledby': headId, dataset: { column: col.key } });
		const sentinel = h('li', { class: 'board-sentinel', 'aria-hidden': 'true' });
		const section = h('section', { class: `board-col col-${col.key}`, dataset: { column: col.key }, 'data-testid': `col-${col.key}` }, head, list);
		col.els = { section, head, list, sentinel, headId };
		list.addEventListener('dragover', (ev) => onDragOver(col, ev));
		list.addEventListener('dragleave', (ev) => { if (!list.contains(ev.relatedTarget)) hideMarker(); });
		list.addEventListener('drop', (ev) => onDrop(col, ev));
		col.observer = new IntersectionObserver((entries) => {
			if (entries.some(e => e.isIntersecting)) loadMore(col);
		}, { root: list, rootMargin: '0px 0px 240px 0px' });
		observers.push(col.observer);
		return section;
	}

	function paintColumn(col) {
		paintHead(col);
		replace(col.els.list, col.items.map(it => cardEl(col, it)), col.els.sentinel);
		paintSentinel(col);
		col.observer.observe(col.els.sentinel);
	}

	function paintHead(col) {
		const limit = col.limit;
		const hasLimit = limit !== null && limit !== undefined;
		// The limit counts the whole column, also when the board shows one milestone.
		const load = hasLimit && milestone ? (col.total ? col.total.points : null) : col.points;
		const over = hasLimit && load !== null && load > Number(limit);
		const pointsText = hasLimit
			? (load === null ? `${fmtPts(col.points)} pts` : `${fmtPts(load)} / ${limit} pts`)
			: pts(col.points);
		const title = hasLimit
			? `${load === null ? '' : `Todo holds ${fmtPts(load)} of its ${limit}-point limit${over ? ' — over the limit' : ''}`}${milestone ? `${load === null ? '' : '; '}${pts(col.points)} of this milestone` : ''}`
			: `${pts(col.points)} in this column`;
		col.els.section.classList.toggle('col-over', over);
		replace(col.els.head,
			h('h2', { id: col.els.headId, class: 'board-col-name', title: col.name }, col.name),
			h('span', { class: 'col-count', 'data-testid': 'col-count', title: `${col.count} item${col.count === 1 ? '' : 's'}${milestone ? ' in this milestone' : ''}` }, String(col.count)),
			h('span', { class: `col-points${over ? ' over' : ''}`, 'data-testid': 'col-points', title },
				over ? h('span', { class: 'over-mark', 'aria-hidden': 'true' }, '⚠ ') : null, pointsText,
				over ? h('span', { class: 'sr-only' }, ' (over the limit)') : null),
			hasLimit && milestone && load !== null
				? h('span', { class: 'col-sub', 'data-testid': 'col-sub' }, `${pts(col.points)} from this milestone`) : null);
		col.els.list.setAttribute('aria-label', `${col.name}: ${col.count} item${col.count === 1 ? '' : 's'}, ${pointsText}`);
	}

	function fmtPts(n) { const x = Number(n) || 0; return Number.isInteger(x) ? String(x) : x.toFixed(1); }

	function paintSentinel(col) {
		const s = col.els.sentinel;
		if (col.error) {
			replace(s, h('span', { class: 'error-text' }, col.error), ' ',
				h('button', { type: 'button', class: 'btn btn-sm', onclick: () => loadMore(col) }, 'Retry'));
			s.removeAttribute('aria-hidden');
		} else if (more(col)) {
			replace(s, col.loading ? h('span', { class: 'spin', 'aria-hidden': 'true' }) : null,
				h('span', { class: 'muted' }, `${col.count - col.items.length} more`));
			s.setAttribute('aria-hidden', 'true');
		} else {
			replace(s);
			if (!col.items.length) s.appendChild(h('span', { class: 'muted col-empty' }, mayMove ? 'Drop cards here' : 'Empty'));
		}
		s.classList.toggle('board-sentinel-more', more(col));
	}

	function cardEl(col, it) {
		const href = `/issues/${it.number}`;
		const size = it.effective_size;
		const letter = it.size_letter || sizeLetter(size) || (size === null || size === undefined ? null : String(size));
		const el = h('li', {
			class: `board-card type-card-${String(it.type || 'story').replace(/[^a-z]/g, '')}`,
			tabindex: -1, draggable: mayMove ? 'true' : 'false',
			dataset: { number: String(it.number) }, 'data-testid': 'card',
			'aria-describedby': helpId,
		},
		h('div', { class: 'card-top' },
			h('span', { class: 'card-num' }, `#${it.number}`),
			h('a', { href, class: 'card-title', draggable: 'false', tabindex: -1 }, it.title)),
		h('div', { class: 'card-meta' },
			priorityIcon(it.priority),
			letter ? h('span', { class: 'size', title: `${size} point${size === 1 ? '' : 's'}` }, letter)
				: it.type === 'epic' && it.rollup_size ? null
					: h('span', { class: 'size size-none', title: 'Not sized' }, '–'),
			it.type === 'epic' && it.rollup_size ? h('span', { class: 'card-rollup', title: 'Roll-up of its children' }, `Σ ${pts(it.rollup_size)}`) : null,
			dev ? dodChip(it.dod_done) : null,
			it.expected_at && dev && it.dev_status !== 'done' ? expectedChip(it.expected_at) : null,
			h('span', { class: 'card-spacer' }),
			it.assignee ? h('span', { class: 'card-who', title: `Assigned to ${it.assignee}` }, avatar(it.assignee), h('span', { class: 'sr-only' }, `assigned to ${it.assignee}`)) : null));
		el.addEventListener('dragstart', (ev) => onDragStart(it, el, ev));
		el.addEventListener('dragend', () => onDragEnd(el));
		el.addEventListener('focus', () => { if (!carrying) rove(el); });
		el.addEventListener('click', (ev) => {
			if (ev.target.closest('a')) return; // the title link navigates itself
			if (carrying) return;
			ctx.navigate(href);
		});
		cards.set(it.number, { item: it, el });
		return el;
	}

	function expectedChip(ymd) {
		const late = ymd < new Date().toISOString().slice(0, 10);
		return h('span', { class: `card-expected${late ? ' late' : ''}`, title: `Expected ${dateText(ymd)}${late ? ' — late' : ''}` }, `exp. ${shortDay(ymd)}`);
	}

	/* ---------- roving focus: one tab stop per column ---------- */

	function rove(focused) {
		for (const c of cols) {
			const els = [...c.els.list.querySelectorAll('.board-card')];
			const keep = focused && els.includes(focused) ? focused
				: els.find(e => e.tabIndex === 0) || els[0];
			for (const e of els) e.tabIndex = e === keep ? 0 : -1;
		}
	}

	function cardsIn(col) { return [...col.els.list.querySelectorAll('.board-card')]; }

	function focusCard(el) {
		if (!el) return;
		rove(el);
		el.focus();
		el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
	}

	/* ---------- moving (shared by mouse and keyboard) ---------- */

	/* Move card `number` to column `toKey` right after card `after` (0: top). */
	async function move(number, toKey, after, { force = false } = {}) {
		const entry = cards.get(number);
		const to = colOf(toKey);
		if (!entry || !to) return;
		const from = cols.find(c => c.items.includes(entry.item));
		if (!from) return;
		const item = entry.item;
		const fromIndex = from.items.indexOf(item);
		const prevBefore = fromIndex > 0 ? from.items[fromIndex - 1].number : 0;
		if (from === to && prevBefore === after && !force) { placeEl(from, item); announce(`#${number} stays in ${to.name}.`); return; }

		// Optimistic: move it now; put it back if the server refuses.
		const snapshot = { from, fromIndex, fromCount: from.count, fromPoints: from.points, toCount: to.count, toPoints: to.points };
		removeItem(from, item);
		insertAfter(to, item, after);
		if (from !== to) {
			const p = Number(item.effective_size) || 0;
			from.count = Math.max(0, from.count - 1); from.points = Math.max(0, from.points - p);
			to.count += 1; to.points += p;
			if (from.total) from.total = { count: from.total.count - 1, points: from.total.points - p };
			if (to.total) to.total = { count: to.total.count + 1, points: to.total.points + p };
		}
		placeEl(to, item);
		paintHead(from); if (to !== from) paintHead(to);
		paintSentinel(from); if (to !== from) paintSentinel(to);
		entry.el.classList.add('saving');
		entry.el.setAttribute('aria-busy', 'true');
		replace(banner);

		const body = { [field]: toKey, after };
		if (force) body.force = true;
		let res = null;
		let failure = null;
		try {
			res = await patchWithVersion(item, body);
		} catch (err) {
			failure = err;
		}
		if (!ctx.alive()) return;
		entry.el.classList.remove('saving');
		entry.el.removeAttribute('aria-busy');
		if (failure) {
			// Put it back where it was.
			removeItem(to, item);
			snapshot.from.items.splice(Math.min(snapshot.fromIndex, snapshot.from.items.length), 0, item);
			from.count = snapshot.fromCount; from.points = snapshot.fromPoints;
			if (to !== from) {
				to.count = snapshot.toCount; to.points = snapshot.toPoints;
				const p = Number(item.effective_size) || 0;
				if (from.total) from.total = { count: from.total.count + 1, points: from.total.points + p };
				if (to.total) to.total = { count: to.total.count - 1, points: to.total.points - p };
			}
			placeEl(from, item);
			paintHead(from); if (to !== from) paintHead(to);
			paintSentinel(from); if (to !== from) paintSentinel(to);
			if (failure.status === 401) return;
			announce(`Not moved: ${failure.message}`);
			if (failure.status === 404) {
				showError(`#${number} is gone (deleted, or no longer visible to you).`);
				return;
			}
			const forceable = failure.status === 409 && toKey === 'todo' && dev && !force;
			showError(failure.message,
				forceable && canForce(ctx.user)
					? h('button', {
						type: 'button', class: 'btn btn-sm btn-danger', 'data-testid': 'force-move',
						title: 'Move it past the Todo limit (recorded as forced in the history)',
						onclick: () => move(number, toKey, after, { force: true }),
					}, 'Force') : null);
			const b = banner.querySelector('[data-testid="force-move"]');
			if (b) b.focus(); else if (document.activeElement === document.body) entry.el.focus();
			return;
		}
		// The server's word: fresh fields on the card, and its place in closed columns.
		Object.assign(item, pickCard(res));
		if (res && res[field] && res[field] !== toKey) {
			// The server put it elsewhere (e.g. the product board follows dev moves): reload.
			toast(`#${number} moved`);
			load();
			return;
		}
		if ((to.key === 'done' || to.key === 'closed') && to.items[0] !== item) {
			removeItem(to, item);
			to.items.unshift(item);
			placeEl(to, item);
		}
		const fresh = cardEl(to, item);
		const wasFocused = document.activeElement === entry.el;
		entry.el.replaceWith(fresh);
		if (wasFocused) focusCard(fresh);
		rove(wasFocused ? fresh : undefined);
		const pos = to.items.indexOf(item) + 1;
		announce(`Moved #${number} to ${to.name}, position ${pos} of ${to.count}.${force ? ' Forced past the Todo limit.' : ''}`);
		toast(`#${number} → ${to.name}${force ? ' (forced)' : ''}`);
	}

	/* The board items carry `version` if the server sends it; otherwise ask
	 * for the issue (its ETag) just before the PATCH.  A stale version is
	 * fetched again once: the move names only the column and the place. */
	async function patchWithVersion(item, body) {
		let version = item.version;
		if (version === undefined || version === null) version = (await api.getIssue(item.number)).version;
		try {
			return await api.updateIssue(item.number, version, body);
		} catch (err) {
			if (err.status !== 412) throw err;
			const fresh = await api.getIssue(item.number);
			return api.updateIssue(item.number, fresh.version, body);
		}
	}

	function pickCard(issue) {
		if (!issue) return {};
		const keys = ['title', 'type', 'priority', 'effective_size', 'size_letter', 'assignee', 'labels', 'dev_status', 'board',
			'milestone', 'started_at', 'expected_at', 'done_at', 'dod_done', 'rollup_size', 'position', 'dev_position', 'version', 'state'];
		const out = {};
		for (const k of keys) if (k in issue) out[k] = issue[k];
		return out;
	}

	function removeItem(col, item) {
		const i = col.items.indexOf(item);
		if (i >= 0) col.items.splice(i, 1);
	}

	function insertAfter(col, item, after) {
		if (!after) { col.items.unshift(item); return; }
		const i = col.items.findIndex(x => x.number === after);
		col.items.splice(i < 0 ? col.items.length : i + 1, 0, item);
	}

	/* Put the card's element where the item is in col.items. */
	function placeEl(col, item) {
		const entry = cards.get(item.number);
		if (!entry) return;
		const i = col.items.indexOf(item);
		const next = col.items[i + 1];
		const nextEl = next && cards.get(next.number) ? cards.get(next.number).el : col.els.sentinel;
		const hadFocus = document.activeElement === entry.el;
		if (entry.el.nextSibling !== nextEl || entry.el.parentNode !== col.els.list) col.els.list.insertBefore(entry.el, nextEl);
		if (hadFocus && document.activeElement !== entry.el) entry.el.focus({ preventScroll: true });
	}

	/* ---------- mouse: HTML5 drag and drop ---------- */

	const marker = h('li', { class: 'drop-marker', 'aria-hidden': 'true' });

	function onDragStart(it, el, ev) {
		if (!mayMove || carrying) { ev.preventDefault(); return; }
		dragging = { number: it.number };
		ev.dataTransfer.effectAllowed = 'move';
		ev.dataTransfer.setData('text/plain', `#${it.number}`);
		el.classList.add('dragging');
		colsBox.classList.add('is-dragging');
	}

	function onDragEnd(el) {
		el.classList.remove('dragging');
		colsBox.classList.remove('is-dragging');
		hideMarker();
		dragging = null;
	}

	/* The card the drop point is below (null: the top), by the cards' midlines. */
	function cardAbove(col, y) {
		let above = null;
		for (const el of cardsIn(col)) {
			if (dragging && Number(el.dataset.number) === dragging.number) continue;
			const r = el.getBoundingClientRect();
			if (y < r.top + r.height / 2) break;
			above = el;
		}
		return above;
	}

	function onDragOver(col, ev) {
		if (!dragging) return;
		ev.preventDefault();
		ev.dataTransfer.dropEffect = 'move';
		const above = cardAbove(col, ev.clientY);
		const others = cardsIn(col).filter(e => Number(e.dataset.number) !== dragging.number);
		const ref = others[above ? others.indexOf(above) + 1 : 0] || col.els.sentinel;
		if (marker.parentNode !== col.els.list || marker.nextSibling !== ref) col.els.list.insertBefore(marker, ref);
		for (const c of cols) c.els.section.classList.toggle('drop-target', c === col);
	}

	function hideMarker() {
		marker.remove();
		for (const c of cols) c.els.section.classList.remove('drop-target');
	}

	function onDrop(col, ev) {
		if (!dragging) return;
		ev.preventDefault();
		const above = cardAbove(col, ev.clientY);
		const number = dragging.number;
		hideMarker();
		dragging = null;
		move(number, col.key, above ? Number(above.dataset.number) : 0);
	}

	/* ---------- keyboard ---------- */

	function pickUp(el) {
		const number = Number(el.dataset.number);
		const col = cols.find(c => c.els.list.contains(el));
		if (!col || !mayMove) return;
		carrying = { number, el, origCol: col, origNext: el.nextSibling };
		el.classList.add('lifted');
		colsBox.classList.add('is-carrying');
		markTarget(col);
		const { item } = cards.get(number);
		announce(`Picked up #${number} ${item.title}. ${whereText(col, el)} Left and right arrows choose the column, up and down the position, Enter drops, Escape cancels.`);
	}

	function whereText(col, el) {
		const i = cardsIn(col).indexOf(el);
		const total = col.count + (carrying && col !== carrying.origCol ? 1 : 0);
		return `${col.name}, position ${i + 1} of ${Math.max(total, i + 1)}.`;
	}

	function markTarget(col) {
		for (const c of cols) c.els.section.classList.toggle('drop-target', c === col);
	}

	function carryTo(col, index) {
		const el = carrying.el;
		const others = cardsIn(col).filter(e => e !== el);
		const i = Math.max(0, Math.min(index, others.length));
		col.els.list.insertBefore(el, others[i] || col.els.sentinel);
		el.focus({ preventScroll: true });
		el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
		markTarget(col);
		announce(whereText(col, el));
	}

	function dropCarried() {
		const { el, number } = carrying;
		const col = cols.find(c => c.els.list.contains(el));
		const els = cardsIn(col);
		const i = els.indexOf(el);
		const after = i > 0 ? Number(els[i - 1].dataset.number) : 0;
		endCarry();
		move(number, col.key, after);
	}

	function cancelCarry(speak = true) {
		if (!carrying) return;
		const { el, origCol, origNext, number } = carrying;
		origCol.els.list.insertBefore(el, origNext && origNext.parentNode === origCol.els.list ? origNext : origCol.els.sentinel);
		endCarry();
		if (ctx.alive() && speak) { el.focus({ preventScroll: true }); announce(`Move of #${number} cancelled; it is back in ${origCol.name}.`); }
	}

	function endCarry() {
		if (!carrying) return;
		carrying.el.classList.remove('lifted');
		carrying = null;
		colsBox.classList.remove('is-carrying');
		markTarget(null);
	}

	function neighbourCol(col, step, { nonEmpty }) {
		let i = cols.indexOf(col) + step;
		while (i >= 0 && i < cols.length) {
			if (!nonEmpty || cardsIn(cols[i]).length) return cols[i];
			i += step;
		}
		return null;
	}

	colsBox.addEventListener('keydown', (ev) => {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) return;
		const el = ev.target.closest && ev.target.closest('.board-card');
		if (!el || ev.target !== el) return;
		const col = cols.find(c => c.els.list.contains(el));
		if (!col) return;
		const key = ev.key;
		if (carrying) {
			const i = cardsIn(col).indexOf(el);
			let handled = true;
			if (key === 'ArrowLeft' || key === 'ArrowRight') {
				const next = neighbourCol(col, key === 'ArrowLeft' ? -1 : 1, { nonEmpty: false });
				if (next) carryTo(next, i);
				else announce(`${col.name} is the ${key === 'ArrowLeft' ? 'first' : 'last'} column.`);
			} else if (key === 'ArrowUp' || key === 'ArrowDown') {
				const j = i + (key === 'ArrowUp' ? -1 : 1);
				if (j < 0 || j >= cardsIn(col).length) announce(`${j < 0 ? 'Top' : 'Bottom'} of ${col.name}.`);
				else carryTo(col, j);
			} else if (key === 'Home') carryTo(col, 0);
			else if (key === 'End') carryTo(col, cardsIn(col).length);
			else if (key === 'Enter' || key === ' ' || key === 'm') dropCarried();
			else if (key === 'Escape') cancelCarry();
			else if (key === 'Tab') { cancelCarry(); handled = false; }
			else handled = false;
			if (handled) { ev.preventDefault(); ev.stopPropagation(); }
			return;
		}
		const els = cardsIn(col);
		const i = els.indexOf(el);
		let handled = true;
		if (key === 'ArrowDown' || key === 'j') focusCard(els[Math.min(els.length - 1, i + 1)]);
		else if (key === 'ArrowUp' || key === 'k') focusCard(els[Math.max(0, i - 1)]);
		else if (key === 'Home') focusCard(els[0]);
		else if (key === 'End') focusCard(els[els.length - 1]);
		else if (key === 'ArrowLeft' || key === 'ArrowRight') {
			const next = neighbourCol(col, key === 'ArrowLeft' ? -1 : 1, { nonEmpty: true });
			if (next) { const t = cardsIn(next); focusCard(t[Math.min(i, t.length - 1)]); }
		} else if ((key === 'm' || key === ' ') && mayMove) pickUp(el);
		else if (key === 'Enter' || key === 'o') ctx.navigate(`/issues/${el.dataset.number}`);
		else handled = false;
		if (handled) { ev.preventDefault(); ev.stopPropagation(); }
	});
	colsBox.addEventListener('focusout', (ev) => {
		if (!carrying) return;
		const to = ev.relatedTarget;
		if (to && colsBox.contains(to)) return;
		// Focus moved on while the card was moving (in the DOM) — that blur is ours.
		setTimeout(() => { if (carrying && !colsBox.contains(document.activeElement)) cancelCarry(false); }, 0);
	});

	/* Mark the edges that have more columns beyond them. */
	function edges() {
		const max = colsBox.scrollWidth - colsBox.clientWidth;
		colsWrap.classList.toggle('more-left', max > 1 && colsBox.scrollLeft > 1);
		colsWrap.classList.toggle('more-right', max > 1 && colsBox.scrollLeft < max - 1);
	}
	colsBox.addEventListener('scroll', edges, { passive: true });
	const resized = typeof ResizeObserver === 'function' ? new ResizeObserver(edges) : null;
	if (resized) resized.observe(colsBox);

	ctx.onCleanup(() => {
		for (const o of observers.splice(0)) o.disconnect();
		if (resized) resized.disconnect();
		clearTimeout(liveTimer);
	});

	await load();
}

/* "Dec 6" for a YYYY-MM-DD date, without a time zone shift. */
const shortDayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
export function shortDay(ymd) {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(ymd || ''));
	if (!m) return '—';
	return shortDayFmt.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}
