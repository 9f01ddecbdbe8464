// customer_form.js — adding and editing customers (/customers/new,
// /customers/{id}/edit) and personas (/personas).  Only for roles holding
// customer.write: the pages and the buttons leading to them are not shown
// to the others (app.js, customer.js).  A 422 is shown at its field.

import * as api from './api.js?v={{v}}';
import { h, replace } from './dom.js?v={{v}}';
import { BUYER_LEVELS, buyerLevelLabel } from './fmt.js?v={{v}}';
import { field, select, notice, markInvalid, spinner, toast, can } from './ui.js?v={{v}}';
import { loadDirectory } from './customer.js?v={{v}}';

const TIERS = ['Starter', 'Premium', 'Enterprise'];

export function mayEditCustomers(user) {
	return can(user, 'customer.write');
}

/* Submit a form: the button shows busyText, a refusal is shown at its field. */
export function onSubmit(ctx, form, submit, msg, busyText, run) {
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		replace(msg);
		markInvalid(form, null);
		const label = submit.textContent;
		submit.disabled = true;
		submit.textContent = busyText;
		try {
			await run();
		} catch (err) {
			if (!ctx.alive() || err.status === 401) return;
			const bad = markInvalid(form, err.field);
			replace(msg, notice('error', err.message));
			if (bad) bad.focus();
		} finally {
			submit.disabled = false;
			submit.textContent = label;
		}
	});
}

/* /customers/new and /customers/{id}/edit. */
export async function renderCustomerForm(ctx) {
	const id = ctx.params.id || null;
	ctx.setTitle(id ? 'Edit customer' : 'New customer');
	let c = { name: '', tier: 'Starter', arr: 0, seats: 0, strategic: false };
	if (id) {
		replace(ctx.root, h('section', { class: 'page page-narrow' }, spinner()));
		c = (await api.getCustomer(id)).customer;
		if (!ctx.alive()) return;
	}
	const name = h('input', { name: 'name', type: 'text', required: true, maxlength: 128, autocomplete: 'off', value: c.name, placeholder: 'Acme Corp' });
	const tier = select('tier', TIERS.map(t => [t, t]), c.tier);
	const arr = h('input', { name: 'arr', type: 'number', min: 0, step: 1, inputmode: 'numeric', value: String(c.arr ?? 0) });
	const seats = h('input', { name: 'seats', type: 'number', min: 0, step: 1, inputmode: 'numeric', value: String(c.seats ?? 0) });
	const strategic = h('input', { name: 'strategic', type: 'checkbox', checked: !!c.strategic });
	const msg = h('div', { class: 'form-msg' });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'customer-save' }, id ? 'Save customer' : 'Add customer');
	const back = id ? `/customers/${id}` : '/customers';
	const form = h('form', { class: 'issue-form customer-form', novalidate: true, 'data-testid': 'customer-form' },
		field('Name', name, { wide: true }),
		h('div', { class: 'field-grid' },
			field('Tier', tier),
			field('ARR', arr, { hint: 'Annual recurring revenue, whole currency units' }),
			field('Seats', seats)),
		h('label', { class: 'check-row' }, strategic, ' Strategic account ', h('span', { class: 'muted' }, '(its asks count double in demand)')),
		msg,
		h('div', { class: 'form-actions' }, submit, h('a', { href: back, class: 'btn btn-ghost' }, 'Cancel')));

	const whole = (el) => {
		const v = el.value.trim();
		return v === '' ? 0 : /^-?\d+$/.test(v) ? Number(v) : NaN;
	};
	onSubmit(ctx, form, submit, msg, id ? 'Saving…' : 'Adding…', async () => {
		const fields = { name: name.value.trim(), tier: tier.value, arr: whole(arr), seats: whole(seats), strategic: strategic.checked };
		for (const k of ['arr', 'seats']) {
			if (Number.isNaN(fields[k])) {
				const err = new Error(`${k === 'arr' ? 'ARR' : 'Seats'} must be a whole number.`);
				err.field = k;
				throw err;
			}
		}
		if (!fields.name) {
			const err = new Error('A name is required.');
			err.field = 'name';
			throw err;
		}
		if (id) {
			// only what changed: another writer's edit of the rest stays
			for (const k of Object.keys(fields)) if (fields[k] === c[k]) delete fields[k];
		}
		const saved = id ? await api.updateCustomer(id, fields) : await api.createCustomer(fields);
		loadDirectory({ fresh: true });
		toast(id ? `Saved ${saved.name}` : `Added ${saved.name}`);
		await ctx.navigate(`/customers/${saved.id}`, { replace: !id });
	});

	replace(ctx.root, h('section', { class: 'page page-narrow' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/customers' }, 'Customers'), h('span', { 'aria-hidden': 'true' }, ' / '),
			id ? [h('a', { href: back }, c.name), h('span', { 'aria-hidden': 'true' }, ' / ')] : null,
			h('span', null, id ? 'Edit' : 'New')),
		h('h1', null, id ? `Edit ${c.name}` : 'New customer'),
		form));
	name.focus();
}

/* /personas: the list; writers add one or edit one in the form above it. */
export async function renderPersonas(ctx) {
	ctx.setTitle('Personas');
	const mayEdit = mayEditCustomers(ctx.user);
	replace(ctx.root, h('section', { class: 'page page-narrow' }, spinner()));
	let personas = await api.listPersonas();
	if (!ctx.alive()) return;
	let editing = null; // the persona being edited, or null: adding

	const name = h('input', { name: 'name', type: 'text', required: true, maxlength: 128, autocomplete: 'off', placeholder: 'Operations lead' });
	const level = select('buyer_level', BUYER_LEVELS.map(b => [b, buyerLevelLabel(b)]), 'individual');
	const desc = h('textarea', { name: 'description', rows: 3, placeholder: 'Who they are, what they need' });
	const msg = h('div', { class: 'form-msg' });
	const formTitle = h('h2', { class: 'section-h' });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'persona-save' });
	const cancel = h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => startEdit(null) }, 'Cancel');
	const form = h('form', { class: 'issue-form card persona-form', novalidate: true, 'data-testid': 'persona-form' },
		formTitle,
		h('div', { class: 'field-grid' }, field('Name', name), field('Buyer level', level)),
		field('Description', desc, { wide: true }),
		msg,
		h('div', { class: 'form-actions' }, submit, cancel));
	const list = h('div', { class: 'results' });

	function startEdit(p) {
		editing = p;
		replace(formTitle, p ? `Edit ${p.name}` : 'Add a persona');
		replace(submit, p ? 'Save persona' : 'Add persona');
		cancel.hidden = !p;
		name.value = p ? p.name : '';
		level.value = p ? p.buyer_level : 'individual';
		desc.value = p ? p.description || '' : '';
		replace(msg);
		markInvalid(form, null);
		if (p) name.focus();
	}

	function paint() {
		if (!personas.length) {
			replace(list, h('div', { class: 'card empty' }, h('p', { class: 'muted' }, 'No personas yet.')));
			return;
		}
		replace(list, h('table', { class: 'issues personas', 'data-testid': 'personas' },
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, 'Persona'), h('th', { scope: 'col' }, 'Buyer level'),
				h('th', { scope: 'col' }, 'Description'), mayEdit ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')) : null)),
			h('tbody', null, personas.map(p => h('tr', { dataset: { id: String(p.id) } },
				h('td', { class: 'title' }, p.name),
				h('td', null, buyerLevelLabel(p.buyer_level)),
				h('td', { class: 'muted' }, p.description || ''),
				mayEdit ? h('td', null, h('button', { type: 'button', class: 'btn btn-sm', onclick: () => startEdit(p) }, 'Edit')) : null)))));
	}

	onSubmit(ctx, form, submit, msg, 'Saving…', async () => {
		const fields = { name: name.value.trim(), buyer_level: level.value, description: desc.value };
		const saved = editing ? await api.updatePersona(editing.id, fields) : await api.createPersona(fields);
		toast(editing ? `Saved ${saved.name}` : `Added ${saved.name}`);
		personas = await api.listPersonas();
		loadDirectory({ fresh: true });
		if (!ctx.alive()) return;
		startEdit(null);
		paint();
	});

	replace(ctx.root, h('section', { class: 'page page-narrow personas-page' },
		h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
			h('a', { href: '/customers' }, 'Customers'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', null, 'Personas')),
		h('h1', null, 'Personas'),
		h('p', { class: 'muted' }, 'Who an insight speaks for; the buyer level weighs in tier suggestions.'),
		mayEdit ? form : null,
		list));
	startEdit(null);
	paint();
}
