// estimation.js — the estimation calibration report (docs/API.md,
// "Estimation calibration", issue #13).
//
//   /estimation       ?days=90|180|365 (default 180): for the items finished
//                     in the window, per size: the working days the size
//                     stands for, how many items, the median cycle time, the
//                     p25..p75 range drawn against the expected days, and the
//                     verdict (under-estimated, over-estimated, on target,
//                     too few to tell).  Everyone reads it.
//
// Its tabs (estimationTabs) lead to the planning-poker sessions, poker.js.
//
// The range bar is plain divs whose widths are set from JS (element.style,
// which the CSP allows), as milestone.js draws its bars.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { notice, spinner } from './ui.js?v={{v}}';

const WINDOWS = [90, 180, 365];

const VERDICTS = {
	under: ['Under-estimated', 'The median took over 1.5× the expected days'],
	over: ['Over-estimated', 'The median took under 0.67× the expected days'],
	on_target: ['On target', 'The median is within 0.67×–1.5× of the expected days'],
	few: ['Too few to tell', 'Fewer than 3 finished items of this size'],
};

function num(v, digits = 1) {
	if (v === null || v === undefined || !Number.isFinite(Number(v))) return '—';
	const n = Number(v);
	return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

function daysText(v) {
	if (v === null || v === undefined) return '—';
	return `${num(v)} d`;
}

export function verdictBadge(verdict) {
	const v = VERDICTS[verdict] ? verdict : 'few';
	const [label, why] = VERDICTS[v];
	return h('span', { class: `est-verdict est-v-${v.replace(/_/g, '-')}`, title: why, 'data-testid': 'est-verdict', dataset: { verdict: v } }, label);
}

/* The p25..p75 range as a bar, the median as a tick, the expected days as a
 * marker; scale: the widest value on the page. */
function rangeBar(s, scale) {
	const pct = (v) => `${Math.max(0, Math.min(100, (Number(v) / scale) * 100))}%`;
	const bar = h('div', { class: 'est-bar', role: 'img', 'data-testid': 'est-bar' });
	const track = h('div', { class: 'est-track' });
	bar.appendChild(track);
	const hasRange = s.n > 0 && s.p25 !== null && s.p25 !== undefined && s.p75 !== null && s.p75 !== undefined;
	if (hasRange) {
		const range = h('div', { class: 'est-range' });
		range.style.left = pct(s.p25);
		range.style.width = `calc(${pct(Number(s.p75) - Number(s.p25))} + 2px)`;
		bar.appendChild(range);
	}
	if (s.n > 0 && s.median !== null && s.median !== undefined) {
		const med = h('div', { class: 'est-median' });
		med.style.left = pct(s.median);
		bar.appendChild(med);
	}
	const exp = h('div', { class: 'est-expected', title: `Expected: ${num(s.expected_days)} working days` });
	exp.style.left = pct(s.expected_days);
	bar.appendChild(exp);
	bar.setAttribute('aria-label', hasRange
		? `Middle half ${num(s.p25)} to ${num(s.p75)} working days, median ${num(s.median)}, expected ${num(s.expected_days)}`
		: `No finished items; expected ${num(s.expected_days)} working days`);
	return bar;
}

/* The estimation area's tabs: Calibration · Sessions (planning poker, poker.js). */
export function estimationTabs(current) {
	const tab = (key, href, text) => h('a', {
		href, class: `seg-btn${current === key ? ' on' : ''}`, 'aria-current': current === key ? 'page' : null, 'data-testid': `est-tab-${key}`,
	}, text);
	return h('nav', { class: 'seg tabs est-tabs', 'aria-label': 'Estimation', 'data-testid': 'estimation-tabs' },
		tab('calibration', '/estimation', 'Calibration'), tab('sessions', '/estimation/sessions', 'Sessions'));
}

export async function renderEstimation(ctx) {
	ctx.setTitle('Estimation calibration');
	const raw = Number(ctx.query.get('days'));
	const days = WINDOWS.includes(raw) ? raw : 180;

	const count = h('span', { class: 'count', 'aria-live': 'polite', 'data-testid': 'est-items' });
	const tabs = h('nav', { class: 'seg est-days', 'aria-label': 'Window', 'data-testid': 'est-days' },
		WINDOWS.map(d => h('a', {
			href: `/estimation?days=${d}`, class: `seg-btn${d === days ? ' on' : ''}`,
			'aria-current': d === days ? 'page' : null, 'data-testid': `est-days-${d}`,
		}, `${d} days`)));
	const msg = h('div', { class: 'page-msg' });
	const results = h('div', { class: 'results est-results' }, spinner());

	replace(ctx.root, h('section', { class: 'page page-wide est-page' },
		h('div', { class: 'page-head' },
			h('h1', null, 'Estimation calibration'), estimationTabs('calibration'), count,
			h('div', { class: 'page-head-spacer' }),
			h('a', { href: '/milestones', class: 'btn btn-sm' }, 'Milestones')),
		h('div', { class: 'toolbar' }, tabs),
		h('p', { class: 'muted est-rule', 'data-testid': 'est-rule' },
			`Cycle time, in working days from start to done, of the items finished in the last ${days} days, per size. `
			+ 'A size is under-estimated when its median is over 1.5× the days it stands for, over-estimated under 0.67×; '
			+ 'fewer than 3 items are too few to tell.'),
		msg, results));

	let data;
	try {
		data = await api.estimationCalibration({ days });
	} catch (err) {
		if (!ctx.alive() || err.status === 401) return;
		replace(msg, notice('error', `The calibration report could not be loaded: ${err.message}`));
		replace(results);
		return;
	}
	if (!ctx.alive()) return;
	const items = Number(data && data.items) || 0;
	replace(count, `${items} finished item${items === 1 ? '' : 's'}`);
	const sizes = (data && data.sizes) || [];
	if (!sizes.length) {
		replace(results, h('p', { class: 'empty muted' }, 'No sizes to show.'));
		return;
	}
	let scale = 1;
	for (const s of sizes) {
		for (const v of [s.expected_days, s.p75, s.median]) {
			if (Number.isFinite(Number(v)) && v !== null) scale = Math.max(scale, Number(v));
		}
	}
	scale *= 1.1;

	const head = h('div', { class: 'est-row est-row-head', 'aria-hidden': 'true' },
		h('span', null, 'Size'), h('span', null, 'Expected'), h('span', null, 'n'),
		h('span', null, 'Median'), h('span', { class: 'est-col-bar' }, 'Middle half (p25–p75) vs expected'), h('span', null, 'Verdict'));
	const rows = sizes.map(s => h('li', { class: 'est-row', 'data-testid': 'est-row', dataset: { size: s.size } },
		h('span', { class: 'est-size' }, h('strong', { 'data-testid': 'est-size' }, s.size),
			h('span', { class: 'muted' }, ` ${num(s.points, 0)} pt${Number(s.points) === 1 ? '' : 's'}`)),
		h('span', { class: 'est-cell' }, h('span', { class: 'est-k' }, 'Expected '), h('span', { 'data-testid': 'est-expected' }, daysText(s.expected_days))),
		h('span', { class: 'est-cell' }, h('span', { class: 'est-k' }, 'n '), h('span', { 'data-testid': 'est-n' }, String(Number(s.n) || 0))),
		h('span', { class: 'est-cell' }, h('span', { class: 'est-k' }, 'Median '), h('span', { 'data-testid': 'est-median' }, s.n ? daysText(s.median) : '—')),
		h('span', { class: 'est-col-bar' }, rangeBar(s, scale),
			h('span', { class: 'est-range-text muted', 'data-testid': 'est-range' }, s.n ? `${num(s.p25)}–${num(s.p75)} d` : '')),
		h('span', { class: 'est-cell' }, verdictBadge(s.verdict))));
	replace(results,
		h('div', { class: 'est-table' }, head, h('ul', { class: 'est-list', 'aria-label': 'Sizes' }, rows)),
		h('p', { class: 'est-legend muted' },
			h('span', { class: 'est-key est-key-range', 'aria-hidden': 'true' }), ' middle half of the cycle times  ',
			h('span', { class: 'est-key est-key-median', 'aria-hidden': 'true' }), ' median  ',
			h('span', { class: 'est-key est-key-expected', 'aria-hidden': 'true' }), ' expected days for the size'));
}
