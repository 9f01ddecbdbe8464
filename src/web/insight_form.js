// insight_form.js — recording insights from the web UI: one at a time
// (/insights/new) or a CSV file (/insights/import: pick the file, map its
// columns to insight fields, preview the first rows and the refused ones
// with a dry run, optionally add the customers nobody added yet, import).
// Only for roles holding insight.write; "add unknown customers" only for
// those holding customer.write too.  File contents are shown as text.

import * as api from './api.js?v={{v}}';
import { h, replace, uid } from './dom.js?v={{v}}';
import { SOURCES, CATEGORIES, IMPORTANCES, sourceLabel, categoryLabel } from './fmt.js?v={{v}}';
import { field, select, notice, markInvalid, spinner, toast, can } from './ui.js?v={{v}}';
import { loadDirectory } from './customer.js?v={{v}}';
import { onSubmit } from './customer_form.js?v={{v}}';

/* The insight fields a CSV column may feed (docs/API.md). */
const FIELDS = ['title', 'body', 'source', 'category', 'customer', 'persona', 'url', 'captured_at', 'state'];
const FIELD_LABEL = {
	title: 'Title', body: 'Text', source: 'Source', category: 'Category', customer: 'Customer', persona: 'Persona',
	url: 'Link', captured_at: 'Captured on', state: 'State',
};
const PREVIEW_ROWS = 5;

function invalid(fieldName, message) {
	const err = new Error(message);
	err.field = fieldName;
	return err;
}

/* /insights/new */
export async function renderNewInsight(ctx) {
	ctx.setTitle('New insight');
	replace(ctx.root, h('section', { class: 'page page-narrow' }, spinner()));
	const dir = await loadDirectory({ fresh: true });
	if (!ctx.alive()) return;
	const listId = uid('customers');
	const title = h('input', { name: 'title', type: 'text', required: true, maxlength: 256, autocomplete: 'off', placeholder: 'What they asked for, in their words' });
	const body = h('textarea', { name: 'body', rows: 6, placeholder: 'Notes, quotes, context' });
	const source = select('source', SOURCES.map(s => [s, sourceLabel(s)]), 'call');
	const category = select('category', [['', 'None'], ...CATEGORIES.map(c => [c, categoryLabel(c)])], '');
	const customer = h('input', { name: 'customer', type: 'text', list: listId, autocomplete: 'off', placeholder: 'Customer name', value: ctx.query.get('customer') || '' });
	const persona = select('persona', [['', 'None'], ...[...dir.personaByName.keys()].map(n => [n, n])], '');
	const url = h('input', { name: 'url', type: 'url', autocomplete: 'off', placeholder: 'https://…' });
	const captured = h('input', { name: 'captured_at', type: 'date' });
	const issue = h('input', { name: 'issue', type: 'number', min: 1, step: 1, inputmode: 'numeric', placeholder: '#' });
	const importance = select('importance', IMPORTANCES.map(([v, label]) => [v, label]), 'important');
	const msg = h('div', { class: 'form-msg' });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'insight-save' }, 'Add insight');
	const form = h('form', { class: 'issue-form insight-form', novalidate: true, 'data-testid': 'insight-form' },
		field('Title', title, { wide: true }),
		field('Text', body, { wide: true }),
		h('div', { class: 'field-grid' },
			field('Customer', customer, { hint: dir.customers.length ? 'An existing customer' : 'Add customers first (Customers page)' }),
			field('Persona', persona),
			field('Source', source),
			field('Category', category),
			field('Captured on', captured, { hint: 'Empty: today' }),
			field('Link', url)),
		h('fieldset', { class: 'field-grid insight-link-set' },
			h('legend', null, 'Link to an issue (optional)'),
			field('Issue number', issue),
			field('Importance', importance)),
		h('datalist', { id: listId }, dir.customers.map(c => h('option', { value: c.name }))),
		msg,
		h('div', { class: 'form-actions' }, submit, h('a', { href: '/insights', class: 'btn btn-ghost' }, 'Cancel')));

	onSubmit(ctx, form, submit, msg, 'Adding…', async () => {
		const t = title.value.trim();
		if (!t) throw invalid('title', 'A title is required.');
		const n = issue.value.trim();
		if (n && !/^\d+$/.test(n)) throw invalid('issue', 'The issue is a number, like 42.');
		if (n) {
			// checked first, so a missing issue does not leave an unlinked insight behind
			try {
				await api.getIssue(Number(n));
			} catch (err) {
				if (err.status === 404) throw invalid('issue', `Issue #${n} does not exist.`);
				throw err;
			}
		}
		const fields = { title: t, body: body.value, source: source.value };
		for (const [k, el] of [['category', category], ['customer', customer], ['persona', persona], ['url', url], ['captured_at', captured]])
			if (el.value.trim()) fields[k] = el.value.trim();
		const ins = await api.createInsight(fields);
		if (n) await api.linkInsight(ins.id, Number(n), importance.value);
		toast(n ? `Added the insight, linked to #${n}` : 'Added the insight');
		const c = fields.customer && dir.customerByName.get(fields.customer);
		await ctx.navigate(c ? `/customers/${c.id}` : '/insights');
	});

	replace(ctx.root, h('section', { class: 'page page-narrow' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/insights' }, 'Insights'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'New')),
		h('h1', null, 'New insight'),
		form));
	title.focus();
}

/* RFC 4180 CSV: rows of fields, each row with the file line it starts on. */
export function parseCsv(text) {
	const rows = [];
	let row = [], cur = '', quoted = false, line = 1, start = 1, k = 0;
	if (text.charCodeAt(0) === 0xfeff) k = 1;
	const endRow = () => { row.push(cur); rows.push({ line: start, fields: row }); row = []; cur = ''; };
	for (; k < text.length; k++) {
		const ch = text[k];
		if (quoted) {
			if (ch === '"' && text[k + 1] === '"') { cur += '"'; k++; } else if (ch === '"') quoted = false;
			else { if (ch === '\n') line++; cur += ch; }
		} else if (ch === '"' && cur === '') quoted = true;
		else if (ch === ',') { row.push(cur); cur = ''; } else if (ch === '\r' && text[k + 1] === '\n') { /* CRLF: the \n ends it */ } else if (ch === '\n' || ch === '\r') {
			endRow(); line++; start = line;
		} else cur += ch;
	}
	if (cur !== '' || row.length) endRow();
	return rows;
}

/* The field a header feeds by default: its own name when it is one. */
function guess(header) {
	const x = header.trim().toLowerCase().replace(/[\s-]+/g, '_');
	if (FIELDS.includes(x)) return x;
	const alias = { subject: 'title', summary: 'title', description: 'body', text: 'body', company: 'customer', account: 'customer', channel: 'source', date: 'captured_at', link: 'url' };
	return alias[x] || '';
}

/* /insights/import */
export async function renderImport(ctx) {
	ctx.setTitle('Import insights');
	const mayCreate = can(ctx.user, 'customer.write');
	let csv = null;      // the file's text
	let rows = [];       // parsed: [{line, fields}]
	let mapping = [];    // per column: an insight field or '' (ignored)
	let preview = null;  // the dry run's answer
	let seq = 0;

	const fileInput = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', 'data-testid': 'import-file' });
	const fileMsg = h('div', { class: 'form-msg' });
	const mapBox = h('section', { class: 'card import-step', 'aria-labelledby': 'map-h', hidden: true, 'data-testid': 'import-mapping' });
	const previewBox = h('section', { class: 'card import-step', 'aria-labelledby': 'preview-h', hidden: true, 'data-testid': 'import-preview' });
	const resultBox = h('section', { class: 'import-result', 'aria-live': 'polite', 'data-testid': 'import-result' });
	const create = h('input', { type: 'checkbox', name: 'create_customers', 'data-testid': 'create-customers' });
	const importBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'import-go', onclick: () => run(false) }, 'Import');
	create.addEventListener('change', () => run(true));

	fileInput.addEventListener('change', async () => {
		replace(fileMsg);
		replace(resultBox);
		const f = fileInput.files && fileInput.files[0];
		if (!f) return;
		csv = await f.text();
		if (!ctx.alive()) return;
		rows = parseCsv(csv);
		if (!rows.length) {
			replace(fileMsg, notice('error', 'The file is empty: a header row is needed.'));
			mapBox.hidden = previewBox.hidden = true;
			return;
		}
		mapping = rows[0].fields.map(guess);
		paintMapping();
		run(true);
	});

	function paintMapping() {
		const headers = rows[0].fields;
		const used = new Set(mapping.filter(Boolean));
		replace(mapBox,
			h('h2', { id: 'map-h', class: 'section-h' }, '2 · Columns'),
			h('p', { class: 'muted' }, `${rows.length - 1} row${rows.length === 2 ? '' : 's'} after the header. Choose the insight field each column feeds; a title column is needed.`),
			used.has('title') ? null : notice('warn', 'No column feeds the title yet.'),
			h('table', { class: 'issues import-map' },
				h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col', class: 'col-first' }, 'First value'), h('th', { scope: 'col' }, 'Feeds'))),
				h('tbody', null, headers.map((head, k) => {
					const sel = select(`map-${k}`, [['', 'Ignore'], ...FIELDS.map(f => [f, FIELD_LABEL[f]])], mapping[k]);
					sel.setAttribute('aria-label', `Column ${head}`);
					sel.dataset.column = head;
					sel.addEventListener('change', () => { mapping[k] = sel.value; paintMapping(); run(true); });
					const first = rows[1] ? rows[1].fields[k] || '' : '';
					return h('tr', null, h('td', { class: 'title' }, head), h('td', { class: 'muted cell-clip col-first' }, first), h('td', null, sel));
				}))));
		mapBox.hidden = false;
	}

	/* "Header:field,..." for the server; a column named like a field but
	 * ignored here is mapped to nothing ("-") so the server ignores it too. */
	function mapParam() {
		const headers = rows[0].fields;
		const parts = [];
		headers.forEach((head, k) => {
			if (mapping[k]) parts.push(`${head}:${mapping[k]}`);
			else if (FIELDS.includes(head.trim().toLowerCase())) parts.push(`${head}:-`);
		});
		return parts.join(',');
	}

	async function run(dryRun) {
		if (!csv) return;
		const my = ++seq;
		const opts = { map: mapParam(), createCustomers: mayCreate && create.checked, dryRun };
		if (dryRun) replace(previewBox, h('h2', { id: 'preview-h', class: 'section-h' }, '3 · Preview'), spinner('Checking every row…'));
		else { importBtn.disabled = true; importBtn.textContent = 'Importing…'; }
		previewBox.hidden = false;
		try {
			const res = await api.importInsights(csv, opts);
			if (!ctx.alive() || my !== seq) return;
			if (dryRun) { preview = res; paintPreview(); } else showResult(res);
		} catch (err) {
			if (!ctx.alive() || err.status === 401 || my !== seq) return;
			if (dryRun) {
				preview = null;
				replace(previewBox, h('h2', { id: 'preview-h', class: 'section-h' }, '3 · Preview'),
					notice('error', err.message));
			} else replace(resultBox, notice('error', err.message));
		} finally {
			if (!dryRun) { importBtn.disabled = false; importBtn.textContent = 'Import'; }
		}
	}

	function paintPreview() {
		const byLine = new Map(preview.errors.map(e => [e.line, e.message]));
		const cols = FIELDS.filter(f => mapping.includes(f));
		const first = rows.slice(1, 1 + PREVIEW_ROWS);
		const refused = preview.errors.length;
		replace(previewBox,
			h('h2', { id: 'preview-h', class: 'section-h' }, '3 · Preview'),
			h('p', { 'data-testid': 'preview-summary' },
				h('strong', null, `${preview.imported} insight${preview.imported === 1 ? '' : 's'} will be imported`),
				refused ? `, ${refused} row${refused === 1 ? '' : 's'} refused` : ', no row refused',
				preview.created_customers.length ? `, ${preview.created_customers.length} new customer${preview.created_customers.length === 1 ? '' : 's'} will be added: ${preview.created_customers.join(', ')}` : '',
				'.'),
			h('div', { class: 'table-scroll' }, h('table', { class: 'issues import-rows' },
				h('caption', { class: 'sr-only' }, `The first ${first.length} rows`),
				h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, 'Line'),
					cols.map(f => h('th', { scope: 'col' }, FIELD_LABEL[f])), h('th', { scope: 'col' }, 'Check'))),
				h('tbody', null, first.map(r => h('tr', { class: byLine.has(r.line) ? 'row-refused' : null, dataset: { line: String(r.line) } },
					h('td', { class: 'num' }, String(r.line)),
					cols.map(f => h('td', { class: 'cell-clip' }, r.fields[mapping.indexOf(f)] || '')),
					h('td', null, byLine.has(r.line)
						? h('span', { class: 'import-bad' }, byLine.get(r.line))
						: h('span', { class: 'import-ok' }, 'OK'))))))),
			refused ? h('div', { class: 'import-errors', 'data-testid': 'preview-errors' },
				h('h3', null, `Refused rows (${refused})`),
				h('ul', null, preview.errors.slice(0, 50).map(e => h('li', null, h('span', { class: 'mono-num' }, `line ${e.line}: `), e.message))),
				refused > 50 ? h('p', { class: 'muted' }, `and ${refused - 50} more`) : null) : null,
			preview.ignored.length ? h('details', { class: 'import-ignored' }, h('summary', null, `Not used (${preview.ignored.length})`),
				h('ul', null, preview.ignored.map(x => h('li', { class: 'muted' }, x)))) : null,
			mayCreate ? h('label', { class: 'check-row' }, create, ' Add the customers nobody added yet ',
				h('span', { class: 'muted' }, '(Starter tier, no ARR: edit them afterwards)')) : null,
			h('div', { class: 'form-actions' }, importBtn));
		importBtn.disabled = preview.imported === 0;
	}

	function showResult(res) {
		loadDirectory({ fresh: true });
		toast(`Imported ${res.imported} insight${res.imported === 1 ? '' : 's'}`);
		csv = null;
		mapBox.hidden = previewBox.hidden = true;
		fileInput.value = '';
		replace(resultBox, h('div', { class: 'card', 'data-testid': 'import-done' },
			h('h2', { class: 'section-h' }, 'Imported'),
			h('p', null, `${res.imported} insight${res.imported === 1 ? '' : 's'} imported, ${res.errors.length} row${res.errors.length === 1 ? '' : 's'} refused.`),
			res.created_customers.length ? h('p', null, `New customers: ${res.created_customers.join(', ')}.`) : null,
			res.errors.length ? h('ul', null, res.errors.slice(0, 50).map(e => h('li', null, `line ${e.line}: ${e.message}`))) : null,
			h('p', { class: 'form-actions' }, h('a', { href: '/insights', class: 'btn btn-primary' }, 'Process the new insights'),
				h('a', { href: '/customers', class: 'btn' }, 'Customers'))));
	}

	replace(ctx.root, h('section', { class: 'page import-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/insights' }, 'Insights'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'Import')),
		h('h1', null, 'Import insights from CSV'),
		h('section', { class: 'card import-step', 'aria-labelledby': 'file-h' },
			h('h2', { id: 'file-h', class: 'section-h' }, '1 · File'),
			field('CSV file', fileInput, { hint: 'UTF-8, a header row; a support tool or spreadsheet export' }),
			fileMsg),
		mapBox, previewBox, resultBox));
}
