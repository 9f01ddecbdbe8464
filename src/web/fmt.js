// fmt.js — wire values to human text.  Times arrive as ISO-8601 UTC and are
// shown in the browser's local time zone.

export const TYPES = ['epic', 'story', 'task', 'bug', 'feature', 'security'];
export const PRIORITIES = ['high', 'medium', 'low'];
export const STATES = ['open', 'closed'];
export const SIZES = [
	['XS', 1, '< 1 day'], ['S', 2, '~1 day'], ['M', 3, '2–3 days'],
	['L', 5, '3–5 days'], ['XL', 8, '1–2 weeks'], ['XXL', 13, '> 2 weeks'],
];

const TYPE_LABEL = {
	epic: 'Epic', story: 'Story', task: 'Task', bug: 'Bug', feature: 'Feature', security: 'Security',
};
export function typeLabel(t) { return TYPE_LABEL[t] || (t ? String(t) : '—'); }

export function cap(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }

const ROLE_LABEL = { admin: 'Admin', pm: 'PM', cto: 'CTO', em: 'EM', engineer: 'Engineer', viewer: 'Viewer' };
export function roleLabel(r) { return ROLE_LABEL[r] || cap(String(r || '')); }

export function priorityLabel(p) { return p ? cap(String(p)) : 'No priority'; }

/* points -> letter; epics may exceed XXL, so fall back to the number. */
export function sizeLetter(points) {
	if (points === null || points === undefined) return null;
	const hit = SIZES.find(([, n]) => n === Number(points));
	return hit ? hit[0] : null;
}

export function sizeText(points) {
	if (points === null || points === undefined) return '—';
	const l = sizeLetter(points);
	return l ? `${l} · ${points} pt` : `${points} pt`;
}

const full = new Intl.DateTimeFormat(undefined, {
	year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
	timeZoneName: 'short',
});
const dayOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dayYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

function parse(iso) {
	if (!iso) return null;
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? null : d;
}

/* "Nov 29, 2026, 05:40 PM CET" in local time. */
export function fullTime(iso) {
	const d = parse(iso);
	return d ? full.format(d) : '—';
}

/* Compact: time if today, "Nov 29" this year, else with the year. */
export function shortTime(iso) {
	const d = parse(iso);
	if (!d) return '—';
	const now = new Date();
	if (d.toDateString() === now.toDateString()) return timeOnly.format(d);
	if (d.getFullYear() === now.getFullYear()) return dayOnly.format(d);
	return dayYear.format(d);
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
export function relTime(iso) {
	const d = parse(iso);
	if (!d) return '—';
	const s = Math.round((d.getTime() - Date.now()) / 1000);
	const a = Math.abs(s);
	if (a < 45) return 'just now';
	if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
	if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
	if (a < 86400 * 30) return rtf.format(Math.round(s / 86400), 'day');
	return shortTime(iso);
}

/* A <time> element: compact text, full local time on hover and for AT. */
export function timeEl(h, iso, style = 'short') {
	if (!iso || !parse(iso)) return h('span', { class: 'muted' }, '—');
	const text = style === 'full' ? fullTime(iso)
		: style === 'rel' ? relTime(iso)
			: style === 'daytime' ? dayTime.format(parse(iso))
				: shortTime(iso);
	return h('time', { datetime: iso, title: fullTime(iso) }, text);
}

/* One history value (any JSON) as short text. */
export function valueText(field, v) {
	if (v === null || v === undefined || v === '') return 'none';
	if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
	if ((field === 'pm_size' || field === 'size') && (typeof v === 'number' || /^\d+$/.test(String(v)))) {
		return sizeText(Number(v));
	}
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

const FIELD_LABEL = {
	pm_size: 'PM size', size: 'size', type: 'type', title: 'title', body: 'description',
	state: 'state', priority: 'priority', labels: 'labels', parent: 'parent', assignee: 'assignee',
};
export function fieldLabel(f) { return FIELD_LABEL[f] || String(f).replace(/_/g, ' '); }

/* "a, b , ,a" -> ["a","b"]: trimmed, no empties, no duplicates, order kept. */
export function parseLabels(text) {
	const out = [];
	for (const raw of String(text || '').split(',')) {
		const l = raw.trim();
		if (l && !out.includes(l)) out.push(l);
	}
	return out;
}
