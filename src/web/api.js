// api.js — the one place that talks to the JSON API (docs/API.md).
//
// Every call goes through request(): it sends cookies (same origin), adds the
// CSRF header to writes, parses JSON bodies and turns non-2xx answers into an
// ApiError carrying the status, the error code, the message and the field.
// A 401 from any call is reported to the listener set with onUnauthorized()
// so the app can show the login page.

const BASE = '/api/v1';

let csrf = null;
let unauthorizedHandler = null;

export class ApiError extends Error {
	constructor(status, code, message, field, headers) {
		super(message || `HTTP ${status}`);
		this.name = 'ApiError';
		this.status = status;
		this.code = code || '';
		this.field = field || null;
		this.headers = headers || null;
	}
}

export function onUnauthorized(fn) {
	unauthorizedHandler = fn;
}

export function setCsrf(token) {
	csrf = token || null;
	try {
		if (csrf) sessionStorage.setItem('cairn.csrf', csrf);
		else sessionStorage.removeItem('cairn.csrf');
	} catch (_) { /* storage may be disabled */ }
}

function currentCsrf() {
	if (csrf) return csrf;
	try { csrf = sessionStorage.getItem('cairn.csrf'); } catch (_) { /* ignore */ }
	return csrf;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function request(method, path, { body, raw, headers = {}, quiet401 = false } = {}) {
	const h = { Accept: 'application/json', ...headers };
	const init = { method, headers: h, credentials: 'same-origin', cache: 'no-store' };
	if (body !== undefined) {
		h['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	} else if (raw !== undefined) {
		init.body = raw; // the caller's Content-Type (text/csv)
	}
	if (WRITES.has(method)) {
		const t = currentCsrf();
		if (t) h['X-CSRF-Token'] = t;
	}
	let res;
	try {
		res = await fetch(BASE + path, init);
	} catch (err) {
		throw new ApiError(0, 'network', 'Cannot reach the Cairn server. Check your connection and try again.');
	}
	let data = null;
	if (res.status !== 204) {
		const text = await res.text();
		if (text) {
			try { data = JSON.parse(text); } catch (_) { data = null; }
		}
	}
	if (!res.ok) {
		const e = (data && data.error) || {};
		const err = new ApiError(res.status, e.code, e.message || defaultMessage(res.status), e.field, res.headers);
		if (Number.isInteger(e.position)) err.position = e.position; // a query's parse error: where (1-based)
		if (res.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(err);
		throw err;
	}
	return { data, headers: res.headers, status: res.status };
}

function defaultMessage(status) {
	switch (status) {
	case 400: return 'The request was malformed.';
	case 401: return 'Please sign in.';
	case 403: return 'You are not allowed to do this.';
	case 404: return 'Not found.';
	case 409: return 'This conflicts with existing data.';
	case 412: return 'This was changed by someone else.';
	case 413: return 'The request is too large.';
	case 422: return 'Some input is invalid.';
	case 428: return 'A version is required for this change.';
	default: return status >= 500 ? `The server failed (HTTP ${status}).` : `Request failed (HTTP ${status}).`;
	}
}

/* ---- session ---- */

export async function login(loginName, password) {
	const { data } = await request('POST', '/session', {
		body: { login: loginName, password }, quiet401: true,
	});
	setCsrf(data.csrf);
	return { ...data.user, permissions: data.permissions || [] };
}

/* Returns the user or null when not signed in. */
export async function currentSession() {
	try {
		const { data } = await request('GET', '/session', { quiet401: true });
		setCsrf(data.csrf);
		return { ...data.user, permissions: data.permissions || [] };
	} catch (err) {
		if (err.status === 401) { setCsrf(null); return null; }
		throw err;
	}
}

export async function logout() {
	try {
		await request('DELETE', '/session', { quiet401: true });
	} finally {
		setCsrf(null);
	}
}

/* ---- users ---- */

export async function listUsers() {
	const { data } = await request('GET', '/users');
	return (data && data.items) || [];
}

/* ---- issues ---- */

export async function listIssues({ q = '', page = 1, perPage = 50 } = {}) {
	const p = new URLSearchParams({ q, page: String(page), per_page: String(perPage) });
	const { data } = await request('GET', `/issues?${p}`);
	return data;
}

export async function getIssue(number) {
	const { data, headers } = await request('GET', `/issues/${encodeURIComponent(number)}`);
	return withEtag(data, headers);
}

export async function createIssue(fields) {
	const { data, headers } = await request('POST', '/issues', { body: fields });
	return withEtag(data, headers);
}

export async function updateIssue(number, version, fields) {
	const { data, headers } = await request('PATCH', `/issues/${encodeURIComponent(number)}`, {
		body: fields, headers: { 'If-Match': `"${version}"` },
	});
	return withEtag(data, headers);
}

export async function issueHistory(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/history`);
	return (data && data.items) || [];
}

function withEtag(issue, headers) {
	// Keep the ETag next to the issue; If-Match is built from issue.version
	// (the contract says they are the same value).
	if (issue && typeof issue === 'object') {
		Object.defineProperty(issue, 'etag', { value: headers.get('ETag'), enumerable: false });
	}
	return issue;
}

/* ---- triage (docs/API.md, "Triage") ---- */

/* The inbox: {items (oldest first, each with age_days), total, total_capped, page,
 * per_page, stats}; stats: false leaves the statistics out (the top bar's count). */
export async function triageInbox({ page = 1, perPage = 100, stats = true } = {}) {
	const p = new URLSearchParams({ page: String(page), per_page: String(perPage) });
	if (!stats) p.set('stats', '0');
	const { data } = await request('GET', `/triage?${p}`);
	return data;
}

/* One triage action: a decision {type, priority, pm_size, board, bug_severity, cvss}
 * or a route {route, duplicate_of, reason}.  Returns the issue. */
export async function triageIssue(number, body, version) {
	const headers = version === undefined || version === null ? {} : { 'If-Match': `"${version}"` };
	const { data, headers: hs } = await request('POST', `/issues/${encodeURIComponent(number)}/triage`, { body, headers });
	return withEtag(data, hs);
}

/* The caller's home page: assigned, mentions, reviews, security, milestone. */
export async function home() {
	const { data } = await request('GET', '/home');
	return data;
}

export async function securityDue(days = 14) {
	const { data } = await request('GET', `/security/due?days=${encodeURIComponent(days)}`);
	return data;
}

/* ---- customers, personas, insights, backlog (docs/API.md, issue #6) ---- */

export async function listCustomers() {
	const { data } = await request('GET', '/customers');
	return (data && data.items) || [];
}

/* {customer, insights:[… with links], issues:[{number, title, type, state, board, importance}]} */
export async function getCustomer(id) {
	const { data } = await request('GET', `/customers/${encodeURIComponent(id)}`);
	return data;
}

export async function listPersonas() {
	const { data } = await request('GET', '/personas');
	return (data && data.items) || [];
}

/* Customers and personas: customer.write (admins, PMs). */
export async function createCustomer(fields) {
	const { data } = await request('POST', '/customers', { body: fields });
	return data;
}

export async function updateCustomer(id, fields) {
	const { data } = await request('PATCH', `/customers/${encodeURIComponent(id)}`, { body: fields });
	return data;
}

export async function createPersona(fields) {
	const { data } = await request('POST', '/personas', { body: fields });
	return data;
}

export async function updatePersona(id, fields) {
	const { data } = await request('PATCH', `/personas/${encodeURIComponent(id)}`, { body: fields });
	return data;
}

/* A new insight: {source, category, customer, persona, title, body, url, captured_at}. */
export async function createInsight(fields) {
	const { data } = await request('POST', '/insights', { body: fields });
	return data;
}

/* CSV import -> {imported, errors:[{line, message}], ignored, created_customers, dry_run}.
 * map "Header:field,..."; createCustomers needs customer.write; dryRun writes nothing. */
export async function importInsights(csv, { map = '', createCustomers = false, dryRun = false } = {}) {
	const p = new URLSearchParams();
	if (map) p.set('map', map);
	if (createCustomers) p.set('create_customers', '1');
	if (dryRun) p.set('dry_run', '1');
	const qs = p.toString();
	const { data } = await request('POST', `/insights/import${qs ? `?${qs}` : ''}`,
		{ raw: csv, headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
	return data;
}

/* {items (newest first), total, page, per_page}; state: new|processed|answered. */
export async function listInsights({ state = '', customer = '', page = 1, perPage = 50 } = {}) {
	const p = new URLSearchParams({ page: String(page), per_page: String(perPage) });
	if (state) p.set('state', state);
	if (customer) p.set('customer', customer);
	const { data } = await request('GET', `/insights?${p}`);
	return data;
}

/* The insight with its links ({issue, title, type, state, importance}). */
export async function getInsight(id) {
	const { data } = await request('GET', `/insights/${encodeURIComponent(id)}`);
	return data;
}

export async function linkInsight(id, issue, importance = 'important') {
	const { data } = await request('POST', `/insights/${encodeURIComponent(id)}/links`, { body: { issue, importance } });
	return data;
}

export async function unlinkInsight(id, issue) {
	await request('DELETE', `/insights/${encodeURIComponent(id)}/links/${encodeURIComponent(issue)}`);
}

export async function setInsightState(id, state) {
	const { data } = await request('PATCH', `/insights/${encodeURIComponent(id)}`, { body: { state } });
	return data;
}

/* The insights behind an issue, each with its importance. */
export async function issueInsights(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/insights`);
	return (data && data.items) || [];
}

/* Close the loop: every insight behind the issue becomes answered -> {answered}. */
export async function answerIssue(number) {
	const { data } = await request('POST', `/issues/${encodeURIComponent(number)}/answer`);
	return data;
}

/* Issues found by the full-text search, best match first (each word quoted, so "a:b" is
 * text, not a filter).  Returns at most perPage items. */
export async function searchIssues(text, { perPage = 8 } = {}) {
	const words = String(text || '').split(/\s+/).map(w => w.replace(/"/g, '')).filter(Boolean).slice(0, 12);
	if (!words.length) return [];
	const q = words.map(w => `"${w}"`).join(' ');
	const data = await listIssues({ q, page: 1, perPage });
	return (data && data.items) || [];
}

/* {rank, items:[{number, title, type, score, demand, rice, evidence}]} */
export async function backlog(rank = 'demand', limit = 50) {
	const p = new URLSearchParams({ rank, limit: String(limit) });
	const { data } = await request('GET', `/backlog?${p}`);
	return data;
}

/* {items:[{number, title, before, now, delta}]} */
export async function backlogMovers(since) {
	const { data } = await request('GET', `/backlog/movers?since=${encodeURIComponent(since)}`);
	return data;
}

/* ---- planning: boards, milestones, trees (docs/API.md, "Planning") ---- */

function query(params) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) {
		if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
	}
	const s = p.toString();
	return s ? `?${s}` : '';
}

/* {board, todo_limit, columns:[{key, name, count, points, limit, items}]}; board: product|dev. */
export async function getBoard(board, { milestone = null, limit = 50 } = {}) {
	const { data } = await request('GET', `/boards/${encodeURIComponent(board)}${query({ limit, milestone })}`);
	return data;
}

/* One page of one column: {key, name, count, points, offset, items}. */
export async function getBoardColumn(board, column, { offset = 0, limit = 50, milestone = null } = {}) {
	const { data } = await request('GET',
		`/boards/${encodeURIComponent(board)}/${encodeURIComponent(column)}${query({ offset, limit, milestone })}`);
	return data;
}

/* {items:[milestone...], velocity} by start date. */
export async function listMilestones() {
	const { data } = await request('GET', '/milestones');
	return data || { items: [] };
}

/* The milestone with its scope and capacity_left. */
export async function getMilestone(id) {
	const { data } = await request('GET', `/milestones/${encodeURIComponent(id)}`);
	return data;
}

export async function createMilestone(fields) {
	const { data } = await request('POST', '/milestones', { body: fields });
	return data;
}

/* The cadence generator: {every, weekday, count, from, capacity} -> {items}. */
export async function planMilestones(fields) {
	const { data } = await request('POST', '/milestones/plan', { body: fields });
	return data;
}

export async function updateMilestone(id, fields) {
	const { data } = await request('PATCH', `/milestones/${encodeURIComponent(id)}`, { body: fields });
	return data;
}

export async function deleteMilestone(id) {
	await request('DELETE', `/milestones/${encodeURIComponent(id)}`);
}

/* {start, due, days:[{date, scope, done}]} */
export async function milestoneBurnup(id) {
	const { data } = await request('GET', `/milestones/${encodeURIComponent(id)}/burnup`);
	return data;
}

/* {remaining, throughput_days, mean_daily, probability, p50, p85, p95} */
export async function milestoneForecast(id, { seed = 1 } = {}) {
	const { data } = await request('GET', `/milestones/${encodeURIComponent(id)}/forecast${query({ seed })}`);
	return data;
}

/* The ship/slip report. */
export async function milestoneReport(id) {
	const { data } = await request('GET', `/milestones/${encodeURIComponent(id)}/report`);
	return data;
}

/* {items:[{id, name, description, areas:[{id, name, ...}]}]} */
export async function listPillars() {
	const { data } = await request('GET', '/pillars');
	return (data && data.items) || [];
}

/* {pillar, area, ancestors, root} */
export async function issueTree(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/tree`);
	return data;
}

/* ---- releases: changelog entries, release notes, hooks (docs/API.md, "Releases") ---- */

/* A GET answered with text (text/markdown); errors as JSON like any other call. */
async function requestText(path) {
	let res;
	try {
		res = await fetch(BASE + path, { headers: { Accept: 'text/markdown, application/json' }, credentials: 'same-origin', cache: 'no-store' });
	} catch (err) {
		throw new ApiError(0, 'network', 'Cannot reach the Cairn server. Check your connection and try again.');
	}
	const text = await res.text();
	if (!res.ok) {
		let data = null;
		try { data = JSON.parse(text); } catch (_) { data = null; }
		const e = (data && data.error) || {};
		const err = new ApiError(res.status, e.code, e.message || defaultMessage(res.status), e.field, res.headers);
		if (Number.isInteger(e.position)) err.position = e.position; // a query's parse error: where (1-based)
		if (res.status === 401 && unauthorizedHandler) unauthorizedHandler(err);
		throw err;
	}
	return text;
}

/* {items (newest first), total, page, per_page}; state: draft|in_review|approved|published. */
export async function listChangelog({ state = '', milestone = '', page = 1, perPage = 50 } = {}) {
	const { data } = await request('GET', `/changelog${query({ state, milestone, page, per_page: perPage })}`);
	return data;
}

export async function getEntry(id) {
	const { data, headers } = await request('GET', `/changelog/${encodeURIComponent(id)}`);
	return withEtag(data, headers);
}

/* {title, description, body, date, authors, tags, issues, milestone} -> the entry. */
export async function createEntry(fields) {
	const { data, headers } = await request('POST', '/changelog', { body: fields });
	return withEtag(data, headers);
}

export async function updateEntry(id, version, fields) {
	const { data, headers } = await request('PATCH', `/changelog/${encodeURIComponent(id)}`, {
		body: fields, headers: { 'If-Match': `"${version}"` },
	});
	return withEtag(data, headers);
}

export async function deleteEntry(id) {
	await request('DELETE', `/changelog/${encodeURIComponent(id)}`);
}

/* draft | in_review | approved | published -> the entry (on publish with `tell`). */
export async function setEntryState(id, state, version) {
	const headers = version === undefined || version === null ? {} : { 'If-Match': `"${version}"` };
	const { data, headers: hs } = await request('POST', `/changelog/${encodeURIComponent(id)}/state`, { body: { state }, headers });
	return withEtag(data, hs);
}

/* [{actor, at, field, old, new}] oldest first. */
export async function entryHistory(id) {
	const { data } = await request('GET', `/changelog/${encodeURIComponent(id)}/history`);
	return (data && data.items) || [];
}

/* [{id, parent, author, body, body_html, created_at, resolved, resolved_by, resolved_at}] */
export async function entryComments(id) {
	const { data } = await request('GET', `/changelog/${encodeURIComponent(id)}/comments`);
	return (data && data.items) || [];
}

export async function addEntryComment(id, body, parent = null) {
	const fields = parent ? { body, parent } : { body };
	const { data } = await request('POST', `/changelog/${encodeURIComponent(id)}/comments`, { body: fields });
	return data;
}

export async function resolveEntryComment(id, cid, resolved) {
	const { data } = await request('PATCH', `/changelog/${encodeURIComponent(id)}/comments/${encodeURIComponent(cid)}`, { body: { resolved: !!resolved } });
	return data;
}

/* The handbook's front-matter file (a download link, same-origin cookie). */
export function entryExportUrl(id) {
	return `${BASE}/changelog/${encodeURIComponent(id)}/export`;
}

/* Closing the loop: {customers:[{id, name, tier, arr, strategic, insights, told, message}]}. */
export async function entryTell(id) {
	const { data } = await request('GET', `/changelog/${encodeURIComponent(id)}/tell`);
	return (data && data.customers) || [];
}

/* Mark customers told (ids; none: all of them) -> the list again. */
export async function tellCustomers(id, customers) {
	const body = customers && customers.length ? { customers } : {};
	const { data } = await request('POST', `/changelog/${encodeURIComponent(id)}/tell`, { body });
	return (data && data.customers) || [];
}

/* {headline_without_entry, draft, in_review, approved, published} */
export async function milestoneChangelog(id) {
	const { data } = await request('GET', `/milestones/${encodeURIComponent(id)}/changelog`);
	return data;
}

/* One draft per closed headline issue without an entry -> {created, existing}. */
export async function draftMilestoneChangelog(id) {
	const { data } = await request('POST', `/milestones/${encodeURIComponent(id)}/changelog`);
	return data;
}

/* The milestone's release notes as Markdown (Keep a Changelog). */
export function releaseNotesMarkdown(id) {
	return requestText(`/milestones/${encodeURIComponent(id)}/release-notes?format=markdown`);
}

export async function getSettings() {
	const { data } = await request('GET', '/settings');
	return data || {};
}

export async function updateSettings(fields) {
	const { data } = await request('PATCH', '/settings', { body: fields });
	return data || {};
}

export async function listHooks() {
	const { data } = await request('GET', '/hooks');
	return (data && data.items) || [];
}

export async function addHook(url, secret) {
	const { data } = await request('POST', '/hooks', { body: { url, secret } });
	return data;
}

export async function deleteHook(id) {
	await request('DELETE', `/hooks/${encodeURIComponent(id)}`);
}

/* [{id, hook, url, event, entry, state, attempts, status, error, next_at, updated_at}] */
export async function hookDeliveries() {
	const { data } = await request('GET', '/hooks/deliveries');
	return (data && data.items) || [];
}

/* ---- strategy and roadmap (docs/API.md, "Strategy and roadmap", issue #12) ---- */

/* {version, versions, last_reviewed, review_every_days, review_due, review_overdue,
 *  objectives, pillars, initiatives} */
export async function getStrategy() {
	const { data } = await request('GET', '/strategy');
	return data;
}

/* Save the document: {version, created} — created false when the body was
 * unchanged (200, no new version). */
export async function saveStrategy(body, note) {
	const fields = note ? { body, note } : { body };
	const { data, status } = await request('PUT', '/strategy', { body: fields });
	return { version: data, created: status === 201 };
}

/* [{id, author, created_at, note, bytes}] newest first. */
export async function strategyVersions() {
	const { data } = await request('GET', '/strategy/versions');
	return (data && data.items) || [];
}

export async function strategyVersion(id) {
	const { data } = await request('GET', `/strategy/versions/${encodeURIComponent(id)}`);
	return data;
}

/* {from, to, lines:[{op, text, old, new}], added, removed} */
export async function strategyDiff(from, to) {
	const { data } = await request('GET', `/strategy/diff${query({ from, to })}`);
	return data;
}

export async function reviewStrategy(reviewEveryDays) {
	const body = reviewEveryDays ? { review_every_days: Number(reviewEveryDays) } : {};
	const { data } = await request('POST', '/strategy/review', { body });
	return data;
}

/* [{actor, at, object, field, old, new}] newest first. */
export async function strategyHistory() {
	const { data } = await request('GET', '/strategy/history');
	return (data && data.items) || [];
}

/* {by, buckets:[{key, points, shares:[...]}], intended:[{pillar, target_share}]} */
export async function strategyAllocation({ by = 'milestone', last = 6 } = {}) {
	const { data } = await request('GET', `/strategy/allocation${query({ by, last })}`);
	return data;
}

export async function createObjective(fields) {
	const { data } = await request('POST', '/objectives', { body: fields });
	return data;
}

export async function updateObjective(id, fields) {
	const { data } = await request('PATCH', `/objectives/${encodeURIComponent(id)}`, { body: fields });
	return data;
}

export async function addKeyResult(objectiveId, fields) {
	const { data } = await request('POST', `/objectives/${encodeURIComponent(objectiveId)}/key-results`, { body: fields });
	return data;
}

export async function updateKeyResult(id, fields) {
	const { data } = await request('PATCH', `/key-results/${encodeURIComponent(id)}`, { body: fields });
	return data;
}

/* {name?, description?, target_share?, objectives?} */
export async function updatePillar(id, fields) {
	const { data } = await request('PATCH', `/pillars/${encodeURIComponent(id)}`, { body: fields });
	return data;
}

export async function listInitiatives({ pillar = '', horizon = '', status = '' } = {}) {
	const { data } = await request('GET', `/initiatives${query({ pillar, horizon, status })}`);
	return (data && data.items) || [];
}

/* The initiative with its epics and health updates. */
export async function getInitiative(id) {
	const { data } = await request('GET', `/initiatives/${encodeURIComponent(id)}`);
	return data;
}

export async function createInitiative(fields) {
	const { data } = await request('POST', '/initiatives', { body: fields });
	return data;
}

/* Any subset of the fields (and position); with a version, If-Match (412 when stale). */
export async function updateInitiative(id, fields, version) {
	const headers = version === undefined || version === null ? {} : { 'If-Match': `"${version}"` };
	const { data } = await request('PATCH', `/initiatives/${encodeURIComponent(id)}`, { body: fields, headers });
	return data;
}

export async function postInitiativeUpdate(id, health, text) {
	const { data } = await request('POST', `/initiatives/${encodeURIComponent(id)}/updates`, { body: { health, text } });
	return data;
}

export async function addInitiativeEpic(id, number) {
	const { data } = await request('POST', `/initiatives/${encodeURIComponent(id)}/epics`, { body: { number: Number(number) } });
	return data;
}

export async function removeInitiativeEpic(id, number) {
	const { data } = await request('DELETE', `/initiatives/${encodeURIComponent(id)}/epics/${encodeURIComponent(number)}`);
	return data;
}

/* {lanes:{now, next, later}, timeline:{milestones, initiatives}} */
export async function getRoadmap() {
	const { data } = await request('GET', '/roadmap');
	return data;
}

/* The roadmap as a Markdown document. */
export function roadmapMarkdown() {
	return requestText('/roadmap?format=markdown');
}

/* ---- product decisions (docs/API.md, "Product decisions", issue #13) ---- */

/* [decision without snapshot/today] newest first; status: proposed|accepted|rejected|superseded;
 * involving: a login (RACI). */
export async function listDecisions({ q = '', status = '', issue = '', involving = '' } = {}) {
	const { data } = await request('GET', `/decisions${query({ q, status, issue, involving })}`);
	return (data && data.items) || [];
}

/* The decision with snapshot, today and signals. */
export async function getDecision(id) {
	const { data, headers } = await request('GET', `/decisions/${encodeURIComponent(id)}`);
	return withEtag(data, headers);
}

export async function createDecision(fields) {
	const { data, headers } = await request('POST', '/decisions', { body: fields });
	return withEtag(data, headers);
}

/* Any subset of the create fields while proposed; with a version, If-Match (412 when stale). */
export async function updateDecision(id, fields, version) {
	const headers = version === undefined || version === null ? {} : { 'If-Match': `"${version}"` };
	const { data, headers: hs } = await request('PATCH', `/decisions/${encodeURIComponent(id)}`, { body: fields, headers });
	return withEtag(data, hs);
}

/* accepted | rejected -> the decision (accepting freezes the snapshot). */
export async function setDecisionStatus(id, status) {
	const { data, headers } = await request('POST', `/decisions/${encodeURIComponent(id)}/status`, { body: { status } });
	return withEtag(data, headers);
}

/* [{actor, at, field, old, new}] oldest first. */
export async function decisionHistory(id) {
	const { data } = await request('GET', `/decisions/${encodeURIComponent(id)}/history`);
	return (data && data.items) || [];
}

/* The decisions that link an issue. */
export async function issueDecisions(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/decisions`);
	return (data && data.items) || [];
}

/* ---- pricing tiers (docs/API.md, "Pricing tiers", issue #13) ---- */

/* The tier list, lowest first. */
export async function getTiers() {
	const { data } = await request('GET', '/tiers');
	return (data && data.tiers) || [];
}

/* Replace the tier list (admin, pm) -> {tiers}; 409 when a dropped tier holds features. */
export async function saveTiers(tiers) {
	const { data } = await request('PUT', '/tiers', { body: { tiers } });
	return data;
}

/* {number, title, type, tier, rationale, set_by, set_at, suggestion:{tier, reason, asks,
 *  customers, by_level, by_tier}, disagrees} */
export async function issueTier(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/tier`);
	return data;
}

/* Set (tier a name) or clear (tier null) a feature's tier -> the same shape as issueTier. */
export async function setIssueTier(number, tier, rationale) {
	const body = rationale === undefined ? { tier } : { tier, rationale };
	const { data } = await request('PUT', `/issues/${encodeURIComponent(number)}/tier`, { body });
	return data;
}

/* {tiers, milestone, features:[{number, title, type, state, tier, suggested, disagrees}],
 *  by_tier:{tier:[numbers]}, moved:[{number, from, to, at}]} */
export async function tierMatrix({ milestone = '' } = {}) {
	const { data } = await request('GET', `/tiers/matrix${query({ milestone })}`);
	return data;
}

/* The matrix as a download (format: markdown | csv; same-origin cookie). */
export function tierMatrixUrl({ milestone = '', format = 'csv' } = {}) {
	return `${BASE}/tiers/matrix${query({ milestone, format })}`;
}

/* {upsell:[{id, name, tier, arr, features:[{number, tier}]}],
 *  mismatch:[{number, title, tier, asks, asks_from_lower_tiers}]} */
export async function tierSignals() {
	const { data } = await request('GET', '/tiers/signals');
	return data;
}

/* ---- estimation calibration (docs/API.md, "Estimation calibration", issue #13) ---- */

/* {days, items, sizes:[{size, points, expected_days, n, median, p25, p75, ratio, verdict}]};
 * verdict: under | over | on_target | few. */
export async function estimationCalibration({ days = 180 } = {}) {
	const { data } = await request('GET', `/estimation/calibration${query({ days })}`);
	return data;
}

/* ---- credentials: tokens, users, passwords, sessions, the audit log (issue #15) ---- */

/* Tokens: mine (no user), someone's (a login) or everyone's ('*'): the last two for admins. */
export async function listTokens(user = '') {
	const q = user ? `?user=${encodeURIComponent(user)}` : '';
	const { data } = await request('GET', `/tokens${q}`);
	return (data && data.items) || [];
}

/* {name, scope, expires_at?, login?} -> the token with its secret ("token"), shown this once. */
export async function createToken(fields) {
	const { data } = await request('POST', '/tokens', { body: fields });
	return data;
}

export async function revokeToken(id) {
	await request('DELETE', `/tokens/${encodeURIComponent(id)}`);
}

export async function createUser(fields) {
	const { data } = await request('POST', '/users', { body: fields });
	return data;
}

/* {role?, disabled?} -> the user. */
export async function updateUser(loginName, fields) {
	const { data } = await request('PATCH', `/users/${encodeURIComponent(loginName)}`, { body: fields });
	return data;
}

/* An admin sets someone's password; all their sessions end. */
export async function resetPassword(loginName, password) {
	await request('POST', `/users/${encodeURIComponent(loginName)}/password`, { body: { password } });
}

/* An admin ends someone's sessions -> {ended}. */
export async function endUserSessions(loginName) {
	const { data } = await request('DELETE', `/users/${encodeURIComponent(loginName)}/sessions`);
	return data;
}

/* Change my own password; my other sessions end, this one stays. */
export async function changePassword(oldPassword, newPassword) {
	await request('POST', '/session/password', { body: { old_password: oldPassword, new_password: newPassword } });
}

/* Log out everywhere: every session of mine ends, this one too -> {ended}. */
export async function logoutEverywhere() {
	const { data } = await request('DELETE', '/sessions', { quiet401: true });
	setCsrf(null);
	return data;
}

/* The audit log, newest first; before: an id, for the next page. */
export async function auditLog({ limit = 50, before = null } = {}) {
	const p = new URLSearchParams({ limit: String(limit) });
	if (before !== null && before !== undefined) p.set('before', String(before));
	const { data } = await request('GET', `/audit?${p}`);
	return (data && data.items) || [];
}

/* ---- comments on issues ---- */

/* [{id, issue, author, body, body_html, created_at, updated_at, edited, edits, deleted,
 *   deleted_by, deleted_at, version, mentions, references:[{number, title}]}] */
export async function issueComments(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/comments`);
	return (data && data.items) || [];
}

export async function addIssueComment(number, body) {
	const { data } = await request('POST', `/issues/${encodeURIComponent(number)}/comments`, { body: { body } });
	return data;
}

export async function editComment(id, version, body) {
	const { data } = await request('PATCH', `/comments/${encodeURIComponent(id)}`, {
		body: { body }, headers: { 'If-Match': `"${version}"` },
	});
	return data;
}

export async function deleteComment(id) {
	await request('DELETE', `/comments/${encodeURIComponent(id)}`);
}

/* "mentioned in": [{number, title, comment, author, at}] */
export async function issueReferences(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/references`);
	return (data && data.items) || [];
}

/* ---- watchers and notifications ---- */

/* The signed-in user's notifications, newest first: {items, unread, page, more}. */
export async function notifications({ unread = false, page = 1 } = {}) {
	const qs = new URLSearchParams();
	if (unread) qs.set('unread', '1');
	if (page > 1) qs.set('page', String(page));
	const { data } = await request('GET', `/notifications${qs.toString() ? `?${qs}` : ''}`);
	return data;
}

export async function notificationCount() {
	const { data } = await request('GET', '/notifications/count', { quiet401: true });
	return Number(data && data.unread) || 0;
}

/* Mark ids (or every one, when ids is 'all') read; the unread count left. */
export async function markNotificationsRead(ids) {
	const body = ids === 'all' ? { all: true } : { ids };
	const { data } = await request('POST', '/notifications/read', { body });
	return Number(data && data.unread) || 0;
}

/* {watching, count, watchers: [{login, name, since}]} */
export async function issueWatchers(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/watchers`);
	return data;
}

export async function setWatching(number, on) {
	const { data } = await request(on ? 'PUT' : 'DELETE', `/issues/${encodeURIComponent(number)}/watch`);
	return data;
}

/* ---- notification email ---- */

/* The signed-in user's address and choice per kind: {email, mail_enabled, modes, kinds}. */
export async function mailPrefs() {
	const { data } = await request('GET', '/notifications/preferences');
	return data;
}

/* body: {email?, kinds?: {kind: mode}}; the new choices. */
export async function setMailPrefs(body) {
	const { data } = await request('PATCH', '/notifications/preferences', { body });
	return data;
}

/* The SMTP settings (admins): never the password, only password_set. */
export async function mailSettings() {
	const { data } = await request('GET', '/mail/settings');
	return data;
}

export async function setMailSettings(body) {
	const { data } = await request('PATCH', '/mail/settings', { body });
	return data;
}

/* ---- saved views (docs/API.md, "Saved views") ---- */

/* The reader's own views, then the shared ones; with counts, each one's
 * capped count ({count, count_capped}) in the same answer. */
export async function listViews({ counts = false } = {}) {
	const { data } = await request('GET', `/views${counts ? '?counts=1' : ''}`);
	return (data && data.items) || [];
}

export async function createView(fields) {
	const { data } = await request('POST', '/views', { body: fields });
	return data;
}

export async function deleteView(id) {
	await request('DELETE', `/views/${encodeURIComponent(id)}`);
}

/* ---- GitHub (docs/github.md; admins, but issueGithub) ---- */

export async function githubRepos() {
	const { data } = await request('GET', '/github/repos');
	return (data && data.items) || [];
}
export async function githubAddRepo(fields) {
	const { data } = await request('POST', '/github/repos', { body: fields });
	return data;
}
export async function githubUpdateRepo(id, fields) {
	const { data } = await request('PATCH', `/github/repos/${encodeURIComponent(id)}`, { body: fields });
	return data;
}
export async function githubDeleteRepo(id) {
	await request('DELETE', `/github/repos/${encodeURIComponent(id)}`);
}
export async function githubLogins() {
	const { data } = await request('GET', '/github/logins');
	return (data && data.items) || [];
}
/* user null removes the mapping; -> the mappings. */
export async function githubSetLogin(github, user) {
	const { data } = await request('POST', '/github/logins', { body: { github, user } });
	return (data && data.items) || [];
}
export async function githubDeliveries(limit = 50) {
	const { data } = await request('GET', `/github/deliveries?limit=${limit}`);
	return (data && data.items) || [];
}
export async function githubReprocess(id) {
	const { data } = await request('POST', `/github/deliveries/${encodeURIComponent(id)}/reprocess`);
	return data;
}
export async function githubOutbox(limit = 50) {
	const { data } = await request('GET', `/github/outbox?limit=${limit}`);
	return (data && data.items) || [];
}
/* {link: {repository, number, url, deleted} | null, sync, pending, failed} */
export async function issueGithub(number) {
	const { data } = await request('GET', `/issues/${encodeURIComponent(number)}/github`);
	return data;
}
