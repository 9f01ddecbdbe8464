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
	if (field === 'board') return boardLabel(v);
	if (field === 'severity') return severityLabel(v);
	if (field === 'duplicate_of' && /^\d+$/.test(String(v))) return `#${v}`;
	if (field === 'close_reason') return closeReasonLabel(v);
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

const FIELD_LABEL = {
	pm_size: 'PM size', size: 'size', type: 'type', title: 'title', body: 'description',
	state: 'state', priority: 'priority', labels: 'labels', parent: 'parent', assignee: 'assignee',
	board: 'board', bug_severity: 'bug severity', cvss: 'CVSS vector', cvss_score: 'CVSS score',
	severity: 'severity', fix_by: 'fix-by date', triaged_at: 'triaged', duplicate_of: 'duplicate of',
	close_reason: 'close reason',
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

/* ---------- triage: product board, bug severity, security ---------- */

/* The product board's columns in board order (docs/API.md, "Triage"). */
export const BOARDS = [
	['no_status', 'No Status'], ['under_review', 'Support & Under Review'],
	['next', 'Next'], ['short', 'Short'], ['medium', 'Medium'], ['long', 'Long'],
	['icebox', 'Icebox'], ['started', 'Started'], ['closed', 'Closed'],
];
/* The horizons a triage decision may choose, with their planning range. */
export const HORIZONS = [
	['next', 'Next', '2–3 months'], ['short', 'Short', '3–6 months'],
	['medium', 'Medium', '6–12 months'], ['long', 'Long', '12+ months'],
];
export function boardLabel(b) {
	const hit = BOARDS.find(([v]) => v === b);
	return hit ? hit[1] : (b ? String(b) : '—');
}

export const BUG_SEVERITIES = [
	['S1', 'S1 · Critical'], ['S2', 'S2 · Major'], ['S3', 'S3 · Moderate'], ['S4', 'S4 · Minor'],
];
export function bugSeverityLabel(s) {
	const hit = BUG_SEVERITIES.find(([v]) => v === s);
	return hit ? hit[1] : (s ? String(s) : '—');
}

/* CVSS severity (none, low, medium, high, critical). */
export function severityLabel(s) { return s ? cap(String(s)) : '—'; }

/* A score with one decimal, as FIRST prints it: 9.8, 10.0, 0.0. */
export function scoreText(n) {
	if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '—';
	return Number(n).toFixed(1);
}

/* close_reason is text written by triage ("won't do: out of scope",
 * "duplicate of #12"); a bare code is shown in words. */
const CLOSE_REASON = { wont_do: "Won't do", duplicate: 'Duplicate' };
export function closeReasonLabel(r) {
	if (!r) return '—';
	const s = String(r);
	return CLOSE_REASON[s] || cap(s);
}

/* Whole days from today to a YYYY-MM-DD date, both taken as UTC calendar
 * days (the server computes fix-by dates and days_left in UTC); null when
 * the date is missing or malformed. */
export function daysUntil(ymd, now = new Date()) {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(ymd || ''));
	if (!m) return null;
	const due = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	return Math.round((due - today) / 86400000);
}

/* The fix-by countdown: {days, text, level} with level 'overdue' (past the
 * date), 'today', 'soon' (within 7 days) or 'ok'; null without a date. */
export function countdown(ymd, now = new Date()) {
	const d = daysUntil(ymd, now);
	if (d === null) return null;
	const plural = (n) => `${n} day${n === 1 ? '' : 's'}`;
	if (d < 0) return { days: d, text: `${plural(-d)} overdue`, level: 'overdue' };
	if (d === 0) return { days: d, text: 'due today', level: 'today' };
	return { days: d, text: `${plural(d)} left`, level: d <= 7 ? 'soon' : 'ok' };
}

/* A calendar date "2026-12-06" as "Dec 6, 2026" (no time zone shift). */
export function dateText(ymd) {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(ymd || ''));
	if (!m) return '—';
	return dayYearUtc.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}
const dayYearUtc = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/* An issue's age in days as "today", "1 day", "12 days". */
export function ageText(days) {
	const n = Number(days);
	if (!Number.isFinite(n) || n < 0) return '—';
	if (n < 1) return 'today';
	const d = Math.floor(n);
	return `${d} day${d === 1 ? '' : 's'}`;
}

/* Hours as a short duration: "45 min", "5.2 h", "3.4 d"; "—" for null. */
export function hoursText(hours) {
	if (hours === null || hours === undefined || Number.isNaN(Number(hours))) return '—';
	const x = Number(hours);
	if (x < 1) return `${Math.max(0, Math.round(x * 60))} min`;
	if (x < 48) return `${x < 10 ? x.toFixed(1).replace(/\.0$/, '') : Math.round(x)} h`;
	const d = x / 24;
	return `${d < 10 ? d.toFixed(1).replace(/\.0$/, '') : Math.round(d)} d`;
}

/* ---------- customer insights (issue #6) ---------- */

export const IMPORTANCES = [['nice', 'Nice to have', '1'], ['important', 'Important', '2'], ['critical', 'Critical', '3']];
export function importanceLabel(i) {
	const hit = IMPORTANCES.find(([v]) => v === i);
	return hit ? hit[1] : (i ? cap(String(i)) : '—');
}
/* The number the demand formula uses: nice 1, important 2, critical 3. */
export function importanceValue(i) {
	return { nice: 1, important: 2, critical: 3 }[i] || 0;
}

const SOURCE_LABEL = { call: 'Call', support: 'Support ticket', poll: 'Poll', community: 'Community', sales: 'Sales', other: 'Other' };
export const SOURCES = Object.keys(SOURCE_LABEL);
export function sourceLabel(s) { return SOURCE_LABEL[s] || (s ? cap(String(s)) : '—'); }

const CATEGORY_LABEL = {
	product_issue: 'Product issue', billing: 'Billing', feature_request: 'Feature request', general: 'General',
	performance: 'Performance', dashboard: 'Dashboard', how_to: 'How-to',
};
export const CATEGORIES = Object.keys(CATEGORY_LABEL);
export function categoryLabel(c) { return CATEGORY_LABEL[c] || (c ? cap(String(c).replace(/_/g, ' ')) : '—'); }

const BUYER_LABEL = { individual: 'Individual', manager: 'Manager', executive: 'Executive' };
export const BUYER_LEVELS = Object.keys(BUYER_LABEL);
export function buyerLevelLabel(b) { return BUYER_LABEL[b] || (b ? cap(String(b)) : '—'); }

const INSIGHT_STATE_LABEL = { new: 'New', processed: 'Processed', answered: 'Answered' };
export function insightStateLabel(s) { return INSIGHT_STATE_LABEL[s] || (s ? cap(String(s)) : '—'); }

/* ARR in whole currency units: "$350k", "$1.2M", "$900". */
export function moneyShort(n) {
	if (n === null || n === undefined || n === '' || !Number.isFinite(Number(n))) return '—';
	const x = Number(n);
	const a = Math.abs(x);
	const trim = (v) => v.toFixed(v < 10 ? 1 : 0).replace(/\.0$/, '');
	if (a >= 1e6) return `$${trim(x / 1e6)}M`;
	if (a >= 1e3) return `$${trim(x / 1e3)}k`;
	return `$${Math.round(x)}`;
}
const moneyFull = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
export function moneyText(n) {
	if (n === null || n === undefined || n === '' || !Number.isFinite(Number(n))) return '—';
	return moneyFull.format(Number(n));
}

/* A number with up to `digits` decimals, trailing zeros dropped: 0.8249 -> "0.82", 2 -> "2". */
export function num(n, digits = 2) {
	if (n === null || n === undefined || n === '' || !Number.isFinite(Number(n))) return '—';
	return String(Number(Number(n).toFixed(digits)));
}

/* A signed delta with one decimal: "+4.2", "−1.0", "0.0". */
export function deltaText(n) {
	if (n === null || n === undefined || !Number.isFinite(Number(n))) return '—';
	const x = Number(Number(n).toFixed(1));
	if (x > 0) return `+${x.toFixed(1)}`;
	if (x < 0) return `−${Math.abs(x).toFixed(1)}`;
	return '0.0';
}

/* The demand formula's parts (src/core/scores.h), so the UI can show the
 * numbers that produced a score. */
export const DEMAND_HALF_LIFE_DAYS = 180;
export function demandDecay(ageDays) {
	return Math.pow(0.5, Math.max(0, Number(ageDays) || 0) / DEMAND_HALF_LIFE_DAYS);
}
export function customerWeight(arr, strategic) {
	return (1 + Math.log10(1 + (Number(arr) || 0) / 1000)) * (strategic ? 2 : 1);
}

/* YYYY-MM-DD of a Date in UTC (the server's calendar); `days` back from now. */
export function ymdDaysAgo(days, now = new Date()) {
	const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * 86400000);
	return d.toISOString().slice(0, 10);
}

/* "today", "1 day ago", "12 days ago" from whole days. */
export function daysAgoText(days) {
	const n = Number(days);
	if (!Number.isFinite(n) || n < 0) return '—';
	const d = Math.floor(n);
	if (d < 1) return 'today';
	return `${d} day${d === 1 ? '' : 's'} ago`;
}

/* Whole days since an ISO time (UTC calendar days are close enough for an age). */
export function ageDaysOf(iso, now = new Date()) {
	const t = Date.parse(iso || '');
	if (Number.isNaN(t)) return null;
	return Math.max(0, Math.floor((now.getTime() - t) / 86400000));
}
