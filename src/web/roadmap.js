// roadmap.js — the roadmap (docs/API.md, "Strategy and roadmap: Roadmap").
//
//   /strategy/roadmap                Now / Next / Later: initiatives by their
//                                    horizon and the epics not in an
//                                    initiative by their product-board column
//   /strategy/roadmap?view=timeline  the timeline: milestones as columns,
//                                    initiatives as bars from start to
//                                    target, their forecast range (50..95 %)
//                                    drawn beside, a "today" line; the same
//                                    dates as a table where PMs re-date them
//
// (The app cannot live at /roadmap: that address is the server's public
// roadmap page, which the app links to.)
//
// Moving an initiative between Now, Next and Later is a PATCH of its
// horizon (If-Match its version).  Mouse: HTML5 drag and drop (dropping
// inside a lane also re-orders it: a PATCH of `position`).  Keyboard: Tab
// reaches the cards; ↑/↓ (j/k) and ←/→ move the focus; "<" and ">" move
// the focused initiative to the previous / next horizon; Alt+↑/↓ move it up
// or down in its lane; Enter opens it.  Touch: the ‹ › buttons on a card.
// Every move is announced in an aria-live region.  PMs and admins move
// initiatives; everyone else reads.  Admins switch the public roadmap on.

import * as api from './api.js?v={{v}}';
import { h, replace, svg, uid } from './dom.js?v={{v}}';
import { dateText, num } from './fmt.js?v={{v}}';
import { notice, spinner, toast, boardChip, can } from './ui.js?v={{v}}';
import { shortDay } from './board.js?v={{v}}';
import { copyButton } from './releases.js?v={{v}}';
import {
	LANES, canEditStrategy, initiativeHref, healthChip, healthLabel, horizonLabel, statusLabel, strategyTabs,
} from './strategy.js?v={{v}}';

const MAX_POSITION = 1e12; // PATCH accepts 0..10^12
const STEP = 1024;

function token(s) { return String(s || 'none').toLowerCase().replace(/[^a-z0-9_-]/g, ''); }

/* ---------- /strategy/roadmap ---------- */

export async function renderRoadmap(ctx) {
	const view = ctx.query.get('view') === 'timeline' ? 'timeline' : 'lanes';
	ctx.setTitle(view === 'timeline' ? 'Roadmap timeline' : 'Roadmap');
	const mayMove = canEditStrategy(ctx.user);
	const isAdmin = can(ctx.user, 'settings.admin');

	const live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'rm-live' });
	const msg = h('div', { class: 'page-msg' });
	const body = h('div', { class: 'rm-body' }, spinner());
	const mdBox = h('div', { class: 'rm-md', id: uid('md'), hidden: true, 'data-testid': 'roadmap-md-box' });
	const pubBox = h('div', { class: 'rm-pub', 'data-testid': 'public-roadmap' });
	const helpId = uid('rm-help');
	const mdBtn = h('button', {
		type: 'button', class: 'btn btn-sm', 'aria-expanded': 'false', 'aria-controls': mdBox.id, 'data-testid': 'export-md', onclick: toggleMd,
	}, 'Export Markdown');
	const viewTab = (v, text) => h('a', {
		href: v === 'timeline' ? '/strategy/roadmap?view=timeline' : '/strategy/roadmap',
		class: `seg-btn${view === v ? ' on' : ''}`, 'aria-current': view === v ? 'page' : null, 'data-testid': `rm-view-${v}`,
	}, text);

	replace(ctx.root, h('section', { class: `page page-wide rm-page rm-page-${view}` },
		h('div', { class: 'page-head st-head' }, h('h1', null, 'Roadmap'), strategyTabs('roadmap'),
			h('div', { class: 'page-head-spacer' }), pubBox, mdBtn),
		h('div', { class: 'toolbar rm-toolbar' },
			h('nav', { class: 'seg tabs', 'aria-label': 'Roadmap view' }, viewTab('lanes', 'Now / Next / Later'), viewTab('timeline', 'Timeline')),
			view === 'lanes' && mayMove ? h('p', { class: 'kbd-hint muted rm-hint', id: helpId },
				'Drag an initiative to another column, or focus it and press ', h('kbd', null, '<'), ' ', h('kbd', null, '>'),
				' to move it; ', h('kbd', null, 'Alt'), '+', h('kbd', null, '↑'), h('kbd', null, '↓'), ' re-orders; ', h('kbd', null, 'Enter'), ' opens.')
				: view === 'lanes' ? h('p', { class: 'kbd-hint muted rm-hint', id: helpId }, h('kbd', null, '↑'), h('kbd', null, '↓'), h('kbd', null, '←'), h('kbd', null, '→'), ' move between cards; ', h('kbd', null, 'Enter'), ' opens.') : null),
		msg, mdBox, body, live));

	let data = null;
	let dragging = null; // {id}
	let settings = null;

	function announce(text) {
		live.textContent = '';
		setTimeout(() => { live.textContent = text; }, 30);
	}

	async function load() {
		try {
			data = await api.getRoadmap();
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return false;
			replace(msg, notice('error', `The roadmap could not be loaded: ${err.message}`));
			replace(body);
			return false;
		}
		if (!ctx.alive()) return false;
		paint();
		return true;
	}

	let width = 0;
	function paint() {
		width = body.clientWidth;
		if (view === 'timeline') replace(body, timelineView(ctx, data, { mayMove, onSaved: reloadKeep, setMsg: (n) => replace(msg, n || ''), width }));
		else replace(body, lanesView());
	}

	// The timeline is drawn at the page's width (its text at its real size): redraw on a resize.
	if (view === 'timeline' && typeof ResizeObserver === 'function') {
		let timer = null;
		const ro = new ResizeObserver(() => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				if (!ctx.alive() || !data || Math.abs(body.clientWidth - width) < 40) return;
				const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement : null;
				if (focused && /^(INPUT|BUTTON)$/.test(focused.tagName)) return; // not while someone re-dates
				paint();
			}, 120);
		});
		ro.observe(body);
		ctx.onCleanup(() => { ro.disconnect(); clearTimeout(timer); });
	}

	async function reloadKeep() {
		await load();
	}

	/* ---- Export Markdown ---- */

	let md = null;
	async function toggleMd() {
		const open = mdBox.hidden;
		mdBox.hidden = !open;
		mdBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
		mdBtn.textContent = open ? 'Hide Markdown' : 'Export Markdown';
		if (!open) return;
		replace(mdBox, spinner());
		try {
			md = await api.roadmapMarkdown();
		} catch (err) {
			if (err.status === 401 || !ctx.alive()) return;
			replace(mdBox, notice('error', `The Markdown could not be made: ${err.message}`));
			return;
		}
		if (!ctx.alive()) return;
		replace(mdBox, h('div', { class: 'card cl-notes-card rm-md-card' },
			h('div', { class: 'cl-notes-head' },
				h('h2', { class: 'cl-h' }, 'Roadmap', h('span', { class: 'muted cl-notes-sub' }, ' · Markdown, to paste into a document or a post')),
				h('div', { class: 'page-head-spacer' }),
				copyButton(() => md || '', { label: 'Copy', testid: 'roadmap-md-copy', what: 'The roadmap' })),
			h('pre', { class: 'cl-notes-md', 'data-testid': 'roadmap-md', tabindex: '0', 'aria-label': 'The roadmap as Markdown' }, md || '')));
	}

	/* ---- the public roadmap switch (admin) and link ---- */

	async function loadSettings() {
		if (!isAdmin) {
			replace(pubBox, h('a', { href: '/roadmap', class: 'btn btn-sm btn-ghost', 'data-testid': 'public-roadmap-link', title: 'The public roadmap page (when an admin has switched it on)' }, 'Public page'));
			return;
		}
		try { settings = await api.getSettings(); } catch (err) { if (err.status === 401) return; settings = null; }
		if (!ctx.alive()) return;
		paintPub();
	}

	function paintPub() {
		const on = !!(settings && settings.public_roadmap);
		const box = h('input', { type: 'checkbox', role: 'switch', checked: on, 'data-testid': 'public-roadmap-toggle', 'aria-describedby': 'rm-pub-hint' });
		box.addEventListener('change', async () => {
			box.disabled = true;
			try {
				settings = await api.updateSettings({ public_roadmap: box.checked });
			} catch (err) {
				if (!ctx.alive() || err.status === 401) return;
				box.checked = on;
				box.disabled = false;
				replace(msg, notice('error', err.message));
				return;
			}
			if (!ctx.alive()) return;
			toast(settings.public_roadmap ? 'The public roadmap is on' : 'The public roadmap is off');
			paintPub();
			const b = pubBox.querySelector('[data-testid="public-roadmap-toggle"]');
			if (b) b.focus();
		});
		replace(pubBox,
			h('label', { class: 'rm-switch', title: 'Anyone can read /roadmap: the initiatives marked public, never an issue' }, box,
				h('span', { class: 'rm-switch-track', 'aria-hidden': 'true' }),
				'Public roadmap ', h('strong', { 'data-testid': 'public-roadmap-state' }, on ? 'On' : 'Off')),
			h('span', { id: 'rm-pub-hint', class: 'sr-only' }, 'Shows the initiatives marked public at /roadmap, to anyone'),
			h('a', { href: '/roadmap', class: 'btn btn-sm btn-ghost', 'data-testid': 'public-roadmap-link' }, 'Public page'));
	}

	/* ---- Now / Next / Later ---- */

	const laneEls = new Map(); // lane key -> {section, list}

	function initiativesIn(lane) {
		return ((data.lanes && data.lanes[lane]) || []).filter(x => x.kind !== 'epic');
	}

	function lanesView() {
		laneEls.clear();
		const wrap = h('div', { class: 'rm-lanes', 'data-testid': 'lanes' });
		const hints = { now: 'being built', next: 'up next', later: 'further out' };
		for (const [key, name] of LANES) {
			const items = (data.lanes && data.lanes[key]) || [];
			const inits = items.filter(x => x.kind !== 'epic');
			const epics = items.filter(x => x.kind === 'epic');
			const list = h('ul', { class: 'rm-list', 'data-testid': 'lane-list', 'aria-label': `${name}: initiatives` });
			for (const it of inits) list.appendChild(initCard(it, key));
			if (!inits.length) list.appendChild(h('li', { class: 'rm-empty muted' }, mayMove ? 'Drop an initiative here' : 'No initiative'));
			const section = h('section', { class: `rm-lane rm-lane-${key}`, 'data-testid': `lane-${key}`, dataset: { lane: key }, 'aria-labelledby': `rm-lane-${key}-h` },
				h('div', { class: 'rm-lane-head' },
					h('h2', { id: `rm-lane-${key}-h`, class: 'rm-lane-name' }, name),
					h('span', { class: 'col-count', title: `${inits.length} initiatives, ${epics.length} epics` }, String(items.length)),
					h('span', { class: 'muted rm-lane-hint' }, hints[key])),
				list,
				epics.length ? h('div', { class: 'rm-epics' },
					h('h3', { class: 'rm-epics-h' }, 'Epics', h('span', { class: 'muted' }, ' · not in an initiative, by the product board')),
					h('ul', { class: 'rm-list rm-list-epics' }, epics.map(e => epicCard(e)))) : null);
			list.addEventListener('dragover', (ev) => onDragOver(key, ev));
			list.addEventListener('dragleave', (ev) => { if (!list.contains(ev.relatedTarget)) hideMarker(); });
			list.addEventListener('drop', (ev) => onDrop(key, ev));
			// dropping on the lane's head or its epics counts too (the end of the lane)
			section.addEventListener('dragover', (ev) => { if (!list.contains(ev.target)) onDragOver(key, ev, true); });
			section.addEventListener('drop', (ev) => { if (!list.contains(ev.target)) onDrop(key, ev, true); });
			laneEls.set(key, { section, list });
			wrap.appendChild(section);
		}
		wrap.addEventListener('keydown', onKey);
		return wrap;
	}

	function initCard(it, lane) {
		const href = initiativeHref(it.id);
		const healthKey = it.health || it.suggested_health;
		const gap = it.health && it.suggested_health && it.health !== it.suggested_health;
		const p = it.progress || {};
		const total = Number(p.points) || 0;
		const done = Number(p.done_points) || 0;
		const fill = h('span', { class: 'prog-fill' });
		fill.style.width = total > 0 ? `${Math.min(100, (done / total) * 100)}%` : '0%';
		const i = LANES.findIndex(([k]) => k === lane);
		const el = h('li', {
			class: `rm-card rm-card-init rm-st-${token(it.status)}`, tabindex: '0', draggable: mayMove ? 'true' : 'false',
			'data-testid': 'rm-card', dataset: { kind: 'initiative', id: String(it.id), lane },
			'aria-describedby': helpId, 'aria-label': `${it.title}, initiative in ${horizonLabel(lane)}`,
		},
		h('div', { class: 'rm-card-top' },
			h('span', { class: `health-dot rm-health health-${token(healthKey)}`, title: `${it.health ? `Stated ${healthLabel(it.health)}` : 'No health stated'}${it.suggested_health ? ` · suggested ${healthLabel(it.suggested_health)}` : ''}` }),
			h('a', { href, class: 'rm-card-title', draggable: 'false', tabindex: '-1', 'data-testid': 'rm-card-title' }, it.title),
			gap ? h('span', { class: 'rm-gap', 'data-testid': 'health-gap', title: `Stated ${healthLabel(it.health)}, suggested ${healthLabel(it.suggested_health)}` }, '⚠') : null),
		h('div', { class: 'rm-card-meta' },
			it.pillar ? h('span', { class: 'rm-pillar' }, it.pillar.name) : null,
			it.status && it.status !== 'active' ? h('span', { class: `init-status init-status-${token(it.status)}` }, statusLabel(it.status)) : null,
			it.target ? h('span', { class: 'rm-target', title: `Target ${dateText(it.target)}` }, `→ ${shortDay(it.target)}`) : null,
			it.public ? h('span', { class: 'pub-chip' }, 'Public') : null),
		h('div', { class: 'rm-card-prog', title: `${num(done, 1)} of ${num(total, 1)} points done${p.unsized ? ` · ${p.unsized} unsized` : ''}` },
			h('span', { class: 'prog-track', 'aria-hidden': 'true' }, fill),
			h('span', { class: 'rm-pts' }, `${num(done, 1)}/${num(total, 1)} pts`)),
		mayMove ? h('div', { class: 'rm-move' },
			i > 0 ? h('button', {
				type: 'button', class: 'rm-move-btn', tabindex: '-1', 'data-testid': 'move-left', 'aria-label': `Move ${it.title} to ${LANES[i - 1][1]}`,
				title: `Move to ${LANES[i - 1][1]} (<)`, onclick: (ev) => { ev.stopPropagation(); moveBy(it.id, -1); },
			}, `‹ ${LANES[i - 1][1]}`) : h('span'),
			i < LANES.length - 1 ? h('button', {
				type: 'button', class: 'rm-move-btn', tabindex: '-1', 'data-testid': 'move-right', 'aria-label': `Move ${it.title} to ${LANES[i + 1][1]}`,
				title: `Move to ${LANES[i + 1][1]} (>)`, onclick: (ev) => { ev.stopPropagation(); moveBy(it.id, 1); },
			}, `${LANES[i + 1][1]} ›`) : null) : null);
		el.addEventListener('dragstart', (ev) => {
			if (!mayMove) { ev.preventDefault(); return; }
			dragging = { id: it.id };
			ev.dataTransfer.effectAllowed = 'move';
			ev.dataTransfer.setData('text/plain', it.title);
			el.classList.add('dragging');
			body.classList.add('is-dragging');
		});
		el.addEventListener('dragend', () => {
			el.classList.remove('dragging');
			body.classList.remove('is-dragging');
			hideMarker();
			dragging = null;
		});
		el.addEventListener('click', (ev) => {
			if (ev.target.closest('a, button')) return;
			ctx.navigate(href);
		});
		return el;
	}

	function epicCard(e) {
		const href = `/issues/${e.number}`;
		const el = h('li', {
			class: 'rm-card rm-card-epic', tabindex: '0', draggable: 'false', 'data-testid': 'rm-epic',
			dataset: { kind: 'epic', number: String(e.number) }, 'aria-label': `Epic #${e.number} ${e.title}`,
		},
		h('div', { class: 'rm-card-top' },
			h('span', { class: 'card-num' }, `#${e.number}`),
			h('a', { href, class: 'rm-card-title', tabindex: '-1' }, e.title)),
		h('div', { class: 'rm-card-meta' }, h('span', { class: 'type type-epic' }, h('span', { class: 'type-dot', 'aria-hidden': 'true' }), 'Epic'), boardChip(e.board)));
		el.addEventListener('click', (ev) => { if (!ev.target.closest('a')) ctx.navigate(href); });
		return el;
	}

	/* ---- mouse: HTML5 drag and drop ---- */

	const marker = h('li', { class: 'drop-marker', 'aria-hidden': 'true' });

	function cardsOf(lane) {
		const l = laneEls.get(lane);
		return l ? [...l.list.querySelectorAll('.rm-card-init')] : [];
	}

	/* The index (among the lane's other initiatives) the drop point is at. */
	function dropIndex(lane, y) {
		let i = 0;
		for (const el of cardsOf(lane)) {
			if (dragging && Number(el.dataset.id) === dragging.id) continue;
			const r = el.getBoundingClientRect();
			if (y < r.top + r.height / 2) break;
			i++;
		}
		return i;
	}

	function onDragOver(lane, ev, atEnd = false) {
		if (!dragging) return;
		ev.preventDefault();
		ev.dataTransfer.dropEffect = 'move';
		const others = cardsOf(lane).filter(el => Number(el.dataset.id) !== dragging.id);
		const idx = atEnd ? others.length : dropIndex(lane, ev.clientY);
		const l = laneEls.get(lane);
		const ref = others[idx] || null;
		if (marker.parentNode !== l.list || marker.nextSibling !== ref) l.list.insertBefore(marker, ref);
		for (const [k, v] of laneEls) v.section.classList.toggle('drop-target', k === lane);
	}

	function hideMarker() {
		marker.remove();
		for (const v of laneEls.values()) v.section.classList.remove('drop-target');
	}

	function onDrop(lane, ev, atEnd = false) {
		if (!dragging) return;
		ev.preventDefault();
		const others = cardsOf(lane).filter(el => Number(el.dataset.id) !== dragging.id);
		const idx = atEnd ? others.length : dropIndex(lane, ev.clientY);
		const id = dragging.id;
		hideMarker();
		dragging = null;
		body.classList.remove('is-dragging'); // the dragged card is replaced: its dragend may never come
		move(id, lane, idx);
	}

	/* ---- keyboard ---- */

	function allCards() {
		return [...body.querySelectorAll('.rm-card')];
	}

	function laneCards(lane) {
		const l = laneEls.get(lane);
		return l ? [...l.section.querySelectorAll('.rm-card')] : [];
	}

	function onKey(ev) {
		if (ev.defaultPrevented || ev.metaKey || ev.ctrlKey) return;
		const el = ev.target.closest && ev.target.closest('.rm-card');
		if (!el || ev.target !== el) return;
		const lane = el.closest('.rm-lane').dataset.lane;
		const cards = laneCards(lane);
		const i = cards.indexOf(el);
		const isInit = el.dataset.kind === 'initiative';
		const id = Number(el.dataset.id);
		const key = ev.key;
		let handled = true;
		if (ev.altKey) {
			if ((key === 'ArrowUp' || key === 'ArrowDown') && isInit && mayMove) reorderBy(id, lane, key === 'ArrowUp' ? -1 : 1);
			else handled = false;
		} else if (key === 'ArrowDown' || key === 'j') focusCard(cards[Math.min(cards.length - 1, i + 1)]);
		else if (key === 'ArrowUp' || key === 'k') focusCard(cards[Math.max(0, i - 1)]);
		else if (key === 'ArrowLeft' || key === 'ArrowRight') {
			const li = LANES.findIndex(([k]) => k === lane) + (key === 'ArrowLeft' ? -1 : 1);
			for (let x = li; x >= 0 && x < LANES.length; x += key === 'ArrowLeft' ? -1 : 1) {
				const t = laneCards(LANES[x][0]);
				if (t.length) { focusCard(t[Math.min(i, t.length - 1)]); break; }
			}
		} else if ((key === '<' || key === ',') && isInit && mayMove) moveBy(id, -1);
		else if ((key === '>' || key === '.') && isInit && mayMove) moveBy(id, 1);
		else if (key === 'Enter' || key === 'o') ctx.navigate(isInit ? initiativeHref(id) : `/issues/${el.dataset.number}`);
		else handled = false;
		if (handled) { ev.preventDefault(); ev.stopPropagation(); }
	}

	function focusCard(el) {
		if (el) { el.focus(); el.scrollIntoView({ block: 'nearest', inline: 'nearest' }); }
	}

	function focusInit(id) {
		const el = body.querySelector(`.rm-card-init[data-id="${id}"]`);
		if (el) el.focus();
	}

	/* ---- moving ---- */

	function findInit(id) {
		for (const [k] of LANES) {
			const it = initiativesIn(k).find(x => x.id === id);
			if (it) return { it, lane: k };
		}
		return null;
	}

	async function moveBy(id, step) {
		const f = findInit(id);
		if (!f) return;
		const li = LANES.findIndex(([k]) => k === f.lane) + step;
		if (li < 0 || li >= LANES.length) {
			announce(`${f.it.title} is already in ${horizonLabel(f.lane)}, the ${step < 0 ? 'first' : 'last'} column.`);
			return;
		}
		await move(id, LANES[li][0], null);
	}

	async function reorderBy(id, lane, step) {
		const inits = initiativesIn(lane);
		const i = inits.findIndex(x => x.id === id);
		const j = i + step;
		if (i < 0 || j < 0 || j >= inits.length) {
			announce(`${inits[i] ? inits[i].title : 'It'} is at the ${step < 0 ? 'top' : 'bottom'} of ${horizonLabel(lane)}.`);
			return;
		}
		await move(id, lane, j);
	}

	/* A position strictly between the neighbours, or null (the lane needs
	 * renumbering: equal or too large positions). */
	function between(prev, next) {
		const ok = (p) => Number.isInteger(p) && p >= 0 && p <= MAX_POSITION;
		if (!prev && !next) return undefined; // alone: keep its position
		if (!prev) {
			const np = Number(next.position);
			const p = np - STEP >= 0 ? np - STEP : Math.floor(np / 2);
			return ok(p) && p < np ? p : null;
		}
		if (!next) {
			const p = Number(prev.position) + STEP;
			return ok(p) ? p : null;
		}
		const pp = Number(prev.position); const np = Number(next.position);
		const p = Math.floor((pp + np) / 2);
		return ok(p) && pp < p && p < np ? p : null;
	}

	let busy = false;

	/* Move initiative id into lane (at index among the lane's other
	 * initiatives; null: wherever its position sorts it). */
	async function move(id, lane, index) {
		if (busy) return;
		const f = findInit(id);
		if (!f) return;
		const { it } = f;
		const others = initiativesIn(lane).filter(x => x.id !== id);
		const body0 = {};
		if (f.lane !== lane) body0.horizon = lane;
		let renumber = null;
		if (index !== null && index !== undefined) {
			const idx = Math.max(0, Math.min(index, others.length));
			const sameSpot = f.lane === lane && initiativesIn(lane).findIndex(x => x.id === id) === idx;
			if (!sameSpot) {
				const p = between(others[idx - 1], others[idx]);
				if (p === null) {
					renumber = [...others.slice(0, idx), it, ...others.slice(idx)];
				} else if (p !== undefined) body0.position = p;
			}
		}
		if (!Object.keys(body0).length && !renumber) { focusInit(id); return; }
		busy = true;
		const card = body.querySelector(`.rm-card-init[data-id="${id}"]`);
		if (card) card.classList.add('saving');
		try {
			if (renumber) {
				// Equal (or out-of-range) positions: number the lane afresh, the moved one last.
				for (let k = 0; k < renumber.length; k++) {
					const x = renumber[k];
					if (x.id === id) continue;
					if (Number(x.position) !== (k + 1) * STEP) await api.updateInitiative(x.id, { position: (k + 1) * STEP });
				}
				body0.position = (renumber.findIndex(x => x.id === id) + 1) * STEP;
			}
			await api.updateInitiative(id, body0, it.version);
		} catch (err) {
			busy = false;
			if (!ctx.alive() || err.status === 401) return;
			replace(msg, notice('error', err.status === 412 ? `${it.title} was changed by someone else; the roadmap is reloaded. (${err.message})` : err.message));
			announce(`Not moved: ${err.message}`);
			await load();
			focusInit(id);
			return;
		}
		busy = false;
		if (!ctx.alive()) return;
		replace(msg);
		await load();
		const where = f.lane !== lane ? `Moved ${it.title} to ${horizonLabel(lane)}` : `Moved ${it.title} within ${horizonLabel(lane)}`;
		const pos = initiativesIn(lane).findIndex(x => x.id === id);
		announce(`${where}, position ${pos + 1} of ${initiativesIn(lane).length}.`);
		toast(where);
		focusInit(id);
	}

	await Promise.all([load(), loadSettings()]);
}

/* ---------- the timeline ---------- */

const DAY = 86400000;
function dayNum(ymd) {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(ymd || ''));
	return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY : null;
}
function ymdOf(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
function text(attrs, s) { return svg('text', attrs, document.createTextNode(s)); }
const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
const monthYearFmt = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

function clip(s, n) { return s.length > n ? `${s.slice(0, n - 1)}…` : s; }

/* The timeline's SVG and, below it, the same dates as a table (PMs re-date
 * initiatives there, with the keyboard). */
export function timelineView(ctx, data, { mayMove, onSaved, setMsg, width = 1240 }) {
	const tl = data.timeline || {};
	const inits = Array.isArray(tl.initiatives) ? tl.initiatives : [];
	const milestones = Array.isArray(tl.milestones) ? tl.milestones : [];
	const now = new Date();
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / DAY;
	if (!inits.length) {
		return h('div', { class: 'card empty', 'data-testid': 'timeline' }, h('p', { class: 'empty-title' }, 'No initiatives yet'),
			h('p', { class: 'muted' }, 'Initiatives with start and target dates show here as bars.'));
	}
	// The range: every date that matters, a week of margin, at most three years.
	const days = [today];
	for (const i of inits) {
		for (const d of [i.start, i.target]) if (dayNum(d) !== null) days.push(dayNum(d));
		const f = i.forecast || {};
		if (Number(f.remaining) > 0) for (const d of [f.p50, f.p95]) if (dayNum(d) !== null && dayNum(d) <= today + 3 * 365) days.push(dayNum(d));
	}
	let x0 = Math.min(...days) - 7;
	let x1 = Math.max(...days) + 8;
	// whole milestones at the edges when they overlap the range a little
	for (const m of milestones) {
		const s = dayNum(m.start); const e = dayNum(m.due);
		if (s === null || e === null) continue;
		if (s < x0 && e + 1 > x0 && x0 - s < 21) x0 = s;
		if (e + 1 > x1 && s < x1 && e + 1 - x1 < 21) x1 = e + 1;
	}
	if (x1 - x0 > 3 * 366) x1 = x0 + 3 * 366;
	// one unit is one pixel: the card's inner width (padding 2 × 14 px), at least 720
	const W = Math.max(720, Math.round((Number(width) || 1240) - 30)); const LBL = W < 900 ? 180 : 210; const R = 16; const TOP = 46; const ROW = 38; const BOT = 10;
	const H = TOP + inits.length * ROW + BOT;
	const xs = (n) => LBL + ((n - x0) / Math.max(1, x1 - x0)) * (W - LBL - R);
	const inRange = (n) => n !== null && n >= x0 && n <= x1;
	const g = [];
	const patId = uid('hatch');
	g.push(svg('defs', {}, svg('pattern', { id: patId, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
		svg('rect', { width: 6, height: 6, class: 'tl-hatch-bg' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'tl-hatch-line' }))));
	// milestone columns
	milestones.forEach((m, k) => {
		const s = dayNum(m.start); const e = dayNum(m.due);
		if (s === null || e === null || e + 1 < x0 || s > x1) return;
		const a = xs(Math.max(x0, s)); const b = xs(Math.min(x1, e + 1));
		const col = svg('g', { 'data-testid': 'tl-milestone', 'data-id': String(m.id) },
			svg('rect', { x: a, y: 4, width: Math.max(0, b - a), height: H - 4 - BOT, class: `tl-ms tl-ms-${k % 2 ? 'b' : 'a'}${s <= today && today <= e ? ' tl-ms-now' : ''}` }));
		if (b - a > 26) col.appendChild(text({ x: (a + b) / 2, y: 17, class: 'tl-ms-label', 'text-anchor': 'middle' }, clip(String(m.title), Math.max(3, Math.floor((b - a) / 7)))));
		col.appendChild(svg('title', {}, document.createTextNode(`Milestone ${m.title}: ${dateText(m.start)} – ${dateText(m.due)}`)));
		g.push(col);
	});
	// month ticks
	{
		const d0 = new Date(x0 * DAY);
		let d = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + 1, 1) / DAY;
		let lastX = -Infinity;
		while (d < x1) {
			const x = xs(d);
			const dt = new Date(d * DAY);
			g.push(svg('line', { x1: x, x2: x, y1: 24, y2: H - BOT, class: 'tl-month' }));
			if (x - lastX > 44) {
				g.push(text({ x: x + 3, y: 40, class: 'tl-month-label' }, dt.getUTCMonth() === 0 ? monthYearFmt.format(dt) : monthFmt.format(dt)));
				lastX = x;
			}
			d = Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 1) / DAY;
		}
	}
	g.push(svg('line', { x1: LBL, x2: W - R, y1: TOP - 2, y2: TOP - 2, class: 'tl-axis' }));
	// rows
	inits.forEach((i, k) => {
		const y = TOP + k * ROW;
		const row = svg('g', { class: 'tl-row', 'data-testid': 'tl-row', 'data-id': String(i.id) });
		if (k % 2) row.appendChild(svg('rect', { x: 0, y, width: W, height: ROW, class: 'tl-row-bg' }));
		row.appendChild(text({ x: 8, y: y + 16, class: 'tl-label' }, clip(i.title, 28)));
		row.appendChild(text({ x: 8, y: y + 30, class: 'tl-sub' },
			`${i.pillar ? clip(i.pillar.name, 16) : 'No pillar'} · ${horizonLabel(i.horizon)}`));
		const s = dayNum(i.start); const t = dayNum(i.target);
		const health = token(i.health || i.suggested_health);
		const gapCls = i.health && i.suggested_health && i.health !== i.suggested_health ? ' tl-bar-gap' : '';
		if (s !== null && t !== null) {
			const a = xs(Math.max(x0, s)); const b = xs(Math.min(x1, t + 1));
			const bar = svg('rect', { x: a, y: y + 6, width: Math.max(2, b - a), height: 13, rx: 3, class: `tl-bar tl-bar-${health}${gapCls}`, 'data-testid': 'tl-bar', 'data-id': String(i.id), 'data-start': i.start, 'data-target': i.target });
			bar.appendChild(svg('title', {}, document.createTextNode(`${i.title}: ${dateText(i.start)} → ${dateText(i.target)} · ${healthLabel(i.health)}${i.suggested_health ? ` (suggested ${healthLabel(i.suggested_health)})` : ''}${gapCls ? ' — the stated health differs from the suggestion' : ''}`)));
			row.appendChild(bar);
		} else if (t !== null && inRange(t)) {
			const x = xs(t + 1);
			const dia = svg('path', { d: `M${x},${y + 5} l6,7 l-6,7 l-6,-7 Z`, class: `tl-bar tl-bar-${health}`, 'data-testid': 'tl-bar', 'data-id': String(i.id), 'data-target': i.target });
			dia.appendChild(svg('title', {}, document.createTextNode(`${i.title}: target ${dateText(i.target)} (no start)`)));
			row.appendChild(dia);
		} else {
			row.appendChild(text({ x: LBL + 6, y: y + 17, class: 'tl-nodates' }, 'no dates'));
		}
		if (t !== null && inRange(t + 1)) row.appendChild(svg('line', { x1: xs(t + 1), x2: xs(t + 1), y1: y + 3, y2: y + ROW - 3, class: 'tl-target' }));
		// the forecast: 50 % .. 95 % as a hatched band, a tick at 85 %
		const f = i.forecast || {};
		const f50 = dayNum(f.p50); const f85 = dayNum(f.p85); const f95 = dayNum(f.p95);
		if (Number(f.remaining) > 0 && f50 !== null) {
			const a = xs(Math.min(x1, Math.max(x0, f50 + 1)));
			const b = f95 === null ? xs(x1) : xs(Math.min(x1, Math.max(x0, f95 + 1)));
			const band = svg('g', { 'data-testid': 'tl-forecast', 'data-id': String(i.id), 'data-p50': f.p50 || '', 'data-p95': f.p95 || '' },
				svg('rect', { x: a, y: y + 23, width: Math.max(3, b - a), height: 9, rx: 2, fill: `url(#${patId})`, class: `tl-fc${f95 === null ? ' tl-fc-open' : ''}` }),
				svg('title', {}, document.createTextNode(`${i.title}: forecast 50 % ${dateText(f.p50)}, 85 % ${f.p85 ? dateText(f.p85) : '—'}, 95 % ${f.p95 ? dateText(f.p95) : 'not within five years'}`)));
			if (f85 !== null && inRange(f85 + 1)) band.appendChild(svg('line', { x1: xs(f85 + 1), x2: xs(f85 + 1), y1: y + 21, y2: y + 34, class: 'tl-fc-85', 'data-testid': 'tl-fc-85' }));
			row.appendChild(band);
		} else if (Number(f.remaining) > 0) {
			row.appendChild(text({ x: W - R - 4, y: y + 31, class: 'tl-sub', 'text-anchor': 'end' }, 'forecast: not within five years'));
		}
		g.push(row);
	});
	// today
	if (today >= x0 && today <= x1) {
		const x = xs(today + 0.5);
		g.push(svg('line', { x1: x, x2: x, y1: 22, y2: H - BOT, class: 'tl-today', 'data-testid': 'tl-today' }));
		g.push(text({ x: x + 3, y: 29, class: 'tl-today-label' }, 'today'));
	}
	const titleId = uid('tl');
	const chart = svg('svg', {
		viewBox: `0 0 ${W} ${H}`, class: 'tl-svg', role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMinYMin meet', 'data-testid': 'timeline-svg',
	}, svg('title', { id: titleId }, document.createTextNode(`Timeline of ${inits.length} initiatives from ${dateText(ymdOf(x0))} to ${dateText(ymdOf(x1))}: bars from start to target, hatched bands the forecast from 50 % to 95 %; the table below lists the same dates.`)), ...g);

	return h('div', { class: 'rm-timeline', 'data-testid': 'timeline' },
		h('div', { class: 'card rm-tl-card' },
			h('div', { class: 'rm-tl-scroll', tabindex: '0', 'aria-label': 'Timeline (scrolls sideways)' }, chart),
			h('div', { class: 'chart-legend rm-tl-legend', 'aria-hidden': 'true' },
				h('span', { class: 'tl-lg tl-lg-bar' }, 'Start → target (colour: health)'),
				h('span', { class: 'tl-lg tl-lg-gap' }, 'Stated ≠ suggested'),
				h('span', { class: 'tl-lg tl-lg-fc' }, 'Forecast 50 % … 95 %'),
				h('span', { class: 'tl-lg tl-lg-85' }, '85 %'),
				h('span', { class: 'tl-lg tl-lg-today' }, 'Today'),
				h('span', { class: 'tl-lg tl-lg-ms' }, 'Milestones'))),
		datesTable(ctx, inits, { mayMove, onSaved, setMsg }));
}

function datesTable(ctx, inits, { mayMove, onSaved, setMsg }) {
	const rows = inits.map((i) => {
		const f = i.forecast || {};
		const fc = Number(f.remaining) > 0
			? (f.p50 ? `${shortDay(f.p50)} · ${f.p85 ? shortDay(f.p85) : '—'} · ${f.p95 ? shortDay(f.p95) : 'later'}` : 'not within five years')
			: ((i.progress && Number(i.progress.points)) ? 'done' : '—');
		let dateCells;
		if (mayMove) {
			const start = h('input', { type: 'date', name: 'start', value: i.start || '', 'aria-label': `Start of ${i.title}`, 'data-testid': 'redate-start' });
			const target = h('input', { type: 'date', name: 'target', value: i.target || '', 'aria-label': `Target of ${i.title}`, 'data-testid': 'redate-target' });
			const save = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'redate-save', 'aria-label': `Save the dates of ${i.title}` }, 'Save');
			const doSave = async () => {
				const body = {};
				if ((start.value || null) !== (i.start || null)) body.start = start.value || null;
				if ((target.value || null) !== (i.target || null)) body.target = target.value || null;
				if (!Object.keys(body).length) { toast('Nothing changed'); return; }
				save.disabled = true;
				save.textContent = 'Saving…';
				try {
					await api.updateInitiative(i.id, body, i.version);
				} catch (err) {
					save.disabled = false;
					save.textContent = 'Save';
					if (!ctx.alive() || err.status === 401) return;
					const bad = err.field === 'start' ? start : err.field === 'target' ? target : null;
					if (bad) { bad.setAttribute('aria-invalid', 'true'); bad.focus(); }
					setMsg(notice('error', err.message));
					return;
				}
				if (!ctx.alive()) return;
				setMsg(null);
				toast(`${i.title}: ${dateText(body.start !== undefined ? body.start : i.start)} → ${dateText(body.target !== undefined ? body.target : i.target)}`);
				await onSaved();
				const again = document.querySelector(`[data-testid="redate-row"][data-id="${i.id}"] [data-testid="redate-save"]`);
				if (again) again.focus();
			};
			save.addEventListener('click', doSave);
			for (const inp of [start, target]) inp.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); doSave(); } });
			dateCells = [h('td', { 'data-label': 'Start' }, start), h('td', { 'data-label': 'Target' }, target), h('td', { class: 'right' }, save)];
		} else {
			dateCells = [h('td', { 'data-label': 'Start', class: 'mono-num' }, i.start ? dateText(i.start) : '—'), h('td', { 'data-label': 'Target', class: 'mono-num' }, i.target ? dateText(i.target) : '—')];
		}
		return h('tr', { 'data-testid': 'redate-row', dataset: { id: String(i.id) } },
			h('th', { scope: 'row', class: 'ev-title' }, h('a', { href: initiativeHref(i.id) }, i.title)),
			h('td', { 'data-label': 'Horizon' }, horizonLabel(i.horizon)),
			h('td', { 'data-label': 'Health' }, healthChip(i.health || null), i.suggested_health && i.suggested_health !== i.health
				? [h('span', { class: 'muted rm-sugg' }, ' · suggested '), healthChip(i.suggested_health, { suggested: true })] : null),
			h('td', { 'data-label': 'Forecast', class: 'mono-num', title: '50 % · 85 % · 95 %' }, fc),
			...dateCells);
	});
	return h('div', { class: 'rm-dates' },
		h('h2', { class: 'section-h' }, mayMove ? 'Dates — re-date an initiative here' : 'Dates'),
		h('div', { class: 'rm-dates-wrap' }, h('table', { class: 'ev-table rm-dates-table', 'data-testid': 'timeline-table' },
			h('caption', { class: 'sr-only' }, 'Initiatives with their horizon, health, forecast (50 %, 85 %, 95 %) and dates'),
			h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Initiative'), h('th', { scope: 'col' }, 'Horizon'), h('th', { scope: 'col' }, 'Health'),
				h('th', { scope: 'col' }, 'Forecast 50 · 85 · 95 %'), h('th', { scope: 'col' }, 'Start'), h('th', { scope: 'col' }, 'Target'),
				mayMove ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Save')) : null)),
			h('tbody', null, rows))));
}
