// Automated accessibility check of the web UI (issue #14): axe-core (npm,
// pinned in package.json) is injected into every main page of the demo
// product (`cairn demo`) and run there; no violation of impact "serious" or
// "critical" may remain.  Moderate and minor ones are printed, not failed.
//
//   Pages: the issue list, an issue, triage, backlog, the product and dev
//   boards, a milestone, releases, strategy, the roadmap, decisions,
//   estimation (calibration and poker), tiers, customers, a customer,
//   insights, the account page; the forms: new issue, new insight, insights
//   import, new customer; personas.
//
//   node --test tests/e2e/a11y.test.mjs   (CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';

import { api, cli, loginWithKeyboard, networkQuiet, setUp, tearDown, LAYOUT_ONLY } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let e;
let page;

/* Run axe on the page as it is; returns the violations (all impacts). */
async function axe() {
	if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE); // through the devtools protocol: the page's CSP allows no inline script
	if (process.env.A11Y_DUMP) await page.evaluate(() => { window.A11Y_NODES = 1000; });
	return page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, Number(window.A11Y_NODES) || 5).map(n => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`),
			count: v.nodes.length,
		}));
	});
}

function report(name, violations) {
	if (process.env.A11Y_DUMP) fs.appendFileSync(process.env.A11Y_DUMP, `${JSON.stringify({ name, violations })}\n`);
	const bad = violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
	for (const v of violations) {
		if (bad.includes(v)) continue;
		process.stdout.write(`# ${name}: ${v.impact} ${v.id} (${v.count}): ${v.help}\n`);
	}
	assert.deepEqual(bad.map(v => `${v.impact} ${v.id} (${v.count}): ${v.help}\n  ${v.nodes.join('\n  ')}`), [],
		`${name}: serious or critical accessibility violations`);
}

describe('Accessibility (axe-core) on the demo product', { timeout: 600000, skip: LAYOUT_ONLY }, () => {
	let issueNumber;
	let milestoneId;
	let customerId;

	before(async () => {
		e = await setUp('cairn-e2e-a11y-');
		page = e.page;
		const out = cli(e.db, ['demo']);
		assert.match(out, /demo product created/);
		const issues = await api(e, 'GET', '/issues?q=is:open&per_page=1');
		issueNumber = issues.json.items[0].number;
		const ms = await api(e, 'GET', '/milestones');
		milestoneId = (ms.json.items.find(m => m.state === 'active') || ms.json.items[0]).id;
		const cs = await api(e, 'GET', '/customers');
		customerId = cs.json.items && cs.json.items.length ? cs.json.items[0].id : null;
		await loginWithKeyboard(e, 'admin', e.password, '/');
	});

	after(async () => {
		await tearDown(e);
	});

	const pages = [
		['issue list', '/', 'Issues'],
		['an issue', () => `/issues/${issueNumber}`, null],
		['triage', '/triage', null],
		['backlog', '/backlog', null],
		['product board', '/boards/product', null],
		['dev board', '/boards/dev', null],
		['milestones', '/milestones', null],
		['a milestone', () => `/milestones/${milestoneId}`, null],
		['releases', '/releases', null],
		['strategy', '/strategy', null],
		['roadmap', '/strategy/roadmap', null],
		['decisions', '/decisions', null],
		['estimation', '/estimation', null],
		['planning poker', '/estimation/sessions', null],
		['tiers', '/tiers', null],
		['customers', '/customers', null],
		['a customer', () => (customerId ? `/customers/${customerId}` : '/customers'), null],
		['insights', '/insights', null],
		['account', '/account', null],
		['new issue', '/issues/new', null],
		['personas', '/personas', null],
		['new insight', '/insights/new', null],
		['import insights', '/insights/import', null],
		['new customer', '/customers/new', null],
	];

	for (const [name, to] of pages) {
		it(`${name}: no serious or critical violations`, async () => {
			const p = typeof to === 'function' ? to() : to;
			await page.goto(`${e.base}${p}`);
			await page.locator('#main h1').first().waitFor();
			await networkQuiet(page);
			await page.waitForFunction(() => !document.querySelector('#main .loading, #main [aria-busy="true"]'));
			report(name, await axe());
		});
	}

	it('the command palette, open: no serious or critical violations', async () => {
		await page.goto(`${e.base}/`);
		await page.locator('#main h1').first().waitFor();
		await page.keyboard.press('Control+k');
		await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
		await page.keyboard.type('login');
		await networkQuiet(page);
		report('palette', await axe());
		await page.keyboard.press('Escape');
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
