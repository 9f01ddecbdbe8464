// Browser test of customer insights in the web UI (issue #6): a real server
// on a fresh database, Debian's Chromium through playwright-core
// (tests/e2e/lib.mjs).
//
// The story: a strategic customer, a small one, two issues and insights are
// created through the API; issue B is asked for by the small customer and
// leads the demand-ranked backlog, issue A only has a customerless "nice"
// ask and ranks second.  In the insights inbox (keyboard only) the strategic
// customer's insight is linked to A as critical by searching A's title;
// the next insight shows at once and is marked processed with x.  On
// /backlog, A has moved to the top with a higher score; its evidence row
// shows the customer, importance, weight and the RICE inputs.  Then the
// RICE ranking, the movers view, the customer page and closing the loop on
// the issue page.
//
// Screenshots: tests/e2e/screenshots/backlog.png (A's evidence expanded)
// and tests/e2e/screenshots/customer.png (the strategic customer's page).
//
//   node --test tests/e2e/          (from the repo root; CAIRN_BIN, CHROMIUM, CAIRN_TEST_DB as in lib.mjs)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SHOTS, api, loginWithKeyboard, setUp, tearDown } from './lib.mjs';
import { addDays, nowMs, todayYmd } from '../lib/clock.mjs';

let e;
let page;
const n = {};   // issue numbers: a (the one the inbox links), b (the leader before)
const ins = {}; // insight ids
const cust = {}; // customers as created

const BIG = { name: 'Northwind Traders', tier: 'Enterprise', arr: 480000, seats: 1200, strategic: true };
const SMALL = { name: 'Bluth & Sons <Ltd>', tier: 'Starter', arr: 6000, seats: 12, strategic: false };
const PERSONA = { name: 'Field engineer', description: 'Fixes devices on site.', buyer_level: 'individual' };
const BODY = 'Our crews lose signal in basements.\n\n<img src=x onerror="window.__xss=1"> **please** make the app work offline';

/* The demand formula (src/core/scores.h), for asks captured today (decay 1):
 *   w(c) = (1 + log10(1 + ARR/1000)) × (2 if strategic)
 *   w(Bluth)     = 1 + log10(7)   = 1.8451
 *   w(Northwind) = (1 + log10(481)) × 2 = (1 + 2.6821) × 2 = 7.3642
 * Before: B = w(Bluth) × 2 (important) = 3.690;  A = 0.5 × 1 (nice, no customer) = 0.5
 * After:  A = 0.5 + w(Northwind) × 3 (critical) = 0.5 + 22.093 = 22.593  -> A leads. */
const W_SMALL = 1 + Math.log10(1 + SMALL.arr / 1000);
const W_BIG = (1 + Math.log10(1 + BIG.arr / 1000)) * 2;
const B_DEMAND = W_SMALL * 2;
const A_BEFORE = 0.5 * 1;
const A_AFTER = 0.5 + W_BIG * 3;

async function ok(method, p, body, status = 200, headers = {}) {
	const r = await api(e, method, p, body, headers);
	assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
	return r.json;
}

const rowOf = (num) => page.locator(`tr.bl-row[data-number="${num}"]`);
const detail = () => page.getByTestId('insight-detail');
const panel = () => page.getByTestId('link-panel');

async function keys(...ks) {
	for (const k of ks) await page.keyboard.press(k);
}

/* The ranked rows on the page: [{number, rank, score}] top to bottom. */
async function shownRanking() {
	return page.locator('tr.bl-row').evaluateAll((trs) => trs.map((tr) => ({
		number: Number(tr.dataset.number),
		rank: Number(tr.dataset.rank),
		score: tr.querySelector('[data-testid="score"]').textContent.trim(),
	})));
}

describe('Customer insights in the web UI', { timeout: 180000 }, () => {
	before(async () => {
		e = await setUp('cairn-e2e-insights-');
		page = e.page;
		cust.big = await ok('POST', '/customers', BIG, 201);
		cust.small = await ok('POST', '/customers', SMALL, 201);
		await ok('POST', '/personas', PERSONA, 201);
		n.a = (await ok('POST', '/issues', { title: 'Offline mode for the field app', type: 'feature', pm_size: 'M' }, 201)).number;
		n.b = (await ok('POST', '/issues', { title: 'Bulk export of audit logs', type: 'feature', pm_size: 'S' }, 201)).number;
		// Now: age 0, decay 1 to the test's precision.  (Whole seconds: the server
		// refuses toISOString()'s milliseconds, see the report.)
		const today = new Date(nowMs()).toISOString().replace(/\.\d+Z$/, 'Z');
		const make = (fields) => ok('POST', '/insights', fields, 201);
		// Linked through the API: B's ask from the small customer, A's customerless nice-to-have.
		ins.b = (await make({ source: 'support', category: 'feature_request', customer: SMALL.name, title: 'Audit log export for the auditors', body: 'CSV is fine.', captured_at: today })).id;
		ins.anon = (await make({ source: 'poll', persona: PERSONA.name, title: 'Poll: would like offline maps', captured_at: today })).id;
		await ok('POST', `/insights/${ins.b}/links`, { issue: n.b, importance: 'important' });
		await ok('POST', `/insights/${ins.anon}/links`, { issue: n.a, importance: 'nice' });
		// The inbox: an older one from the small customer, then the strategic customer's (newest).
		ins.old = (await make({ source: 'community', customer: SMALL.name, title: 'Forum: dark mode please', body: 'Seen on the forum.', captured_at: '2026-01-15' })).id;
		ins.big = (await make({
			source: 'call', customer: BIG.name, persona: PERSONA.name, title: 'Field crews need offline mode',
			body: BODY, url: 'https://crm.example.com/calls/42', captured_at: today,
		})).id;
	});

	after(async () => {
		await tearDown(e);
	});

	it('ranks B first and A second before the inbox is processed', async () => {
		const bl = await ok('GET', '/backlog?rank=demand');
		assert.deepEqual(bl.items.map((x) => x.number), [n.b, n.a]);
		assert.ok(Math.abs(bl.items[0].score - B_DEMAND) < 0.01, `B demand ${bl.items[0].score} ≈ ${B_DEMAND}`);
		assert.ok(Math.abs(bl.items[1].score - A_BEFORE) < 0.01, `A demand ${bl.items[1].score} ≈ ${A_BEFORE}`);

		await loginWithKeyboard(e, 'admin', e.password, '/backlog');
		await page.getByRole('heading', { name: 'Backlog', exact: true }).waitFor();
		await rowOf(n.a).waitFor();
		const shown = await shownRanking();
		assert.deepEqual(shown.map((r) => [r.number, r.rank]), [[n.b, 1], [n.a, 2]]);
		assert.equal(shown[0].score, B_DEMAND.toFixed(1));
		assert.equal(shown[1].score, A_BEFORE.toFixed(1));
		e.before = shown;
		// The top bar counts the new insights.
		assert.equal((await page.getByTestId('insights-badge').innerText()).trim(), '2');
	});

	it('shows the newest insight with its customer, persona, source and text (not HTML)', async () => {
		await page.getByTestId('nav-insights').click();
		await page.waitForURL(`${e.base}/insights`);
		await page.getByRole('heading', { name: 'Insights', exact: true }).waitFor();
		await page.locator(`#insight-item-${ins.old}`).waitFor();
		const order = await page.locator('.insight-item').evaluateAll((els) => els.map((el) => Number(el.dataset.id)));
		assert.deepEqual(order, [ins.big, ins.old], 'new insights, newest first');
		await page.locator(`#insight-item-${ins.big}[aria-selected="true"]`).waitFor();
		assert.equal(await page.getByTestId('insights-count').innerText(), '2 new');

		const d = detail();
		assert.equal(await d.getByTestId('insight-title').innerText(), 'Field crews need offline mode');
		assert.equal(await d.getByTestId('insight-customer').innerText(), BIG.name);
		assert.match(await d.getByTestId('insight-tier').innerText(), /Enterprise\s*\$480,000/);
		assert.match(await d.getByTestId('insight-strategic').innerText(), /Strategic/);
		assert.match(await d.getByTestId('insight-persona').innerText(), /Field engineer · Individual/);
		assert.equal(await d.getByTestId('insight-source').innerText(), 'Call');
		assert.match(await d.getByTestId('insight-captured').innerText(), /today/);
		// The body is text: the markup shows as typed, nothing is rendered or run.
		const body = d.getByTestId('insight-body');
		assert.equal(await body.innerText(), BODY);
		assert.equal(await body.locator('img, strong').count(), 0);
		assert.equal(await page.evaluate(() => window.__xss), undefined);
		assert.equal(await d.locator('a[href="https://crm.example.com/calls/42"]').count(), 1);
		// The default importance is "important".
		await panel().locator('[data-field="importance"] .choice.on[data-value="important"]').waitFor();
	});

	it('links it to A with the keyboard: search the title, choose, critical, Enter; the next one shows at once', async () => {
		await keys('/');
		const input = panel().getByTestId('link-input');
		assert.ok(await input.evaluate((el) => el === document.activeElement), '/ focuses the link box');
		await page.keyboard.type('offline mode');
		const opt = panel().locator(`#link-opt-${n.a}`);
		await opt.waitFor();
		assert.equal(await panel().locator(`#link-opt-${n.b}`).count(), 0, 'only titles with the words');
		// 3 typed before choosing is text; after ↓ it is the importance.
		await keys('ArrowDown');
		await page.locator(`#link-opt-${n.a}[aria-selected="true"]`).waitFor();
		await keys('3');
		assert.equal(await input.inputValue(), 'offline mode', 'the digit did not go into the search');
		await panel().locator('[data-field="importance"] .choice.on[data-value="critical"]').waitFor();
		assert.match(await opt.innerText(), /link as critical/);
		await keys('Enter');

		await page.locator(`#insight-item-${ins.big}`).waitFor({ state: 'detached' });
		await page.locator(`#insight-item-${ins.old}[aria-selected="true"]`).waitFor();
		assert.equal(await detail().getByTestId('insight-title').innerText(), 'Forum: dark mode please');
		assert.equal(await detail().getByTestId('insight-customer').innerText(), SMALL.name, 'a name with & and <> shows as text');
		assert.equal(await page.getByTestId('insights-count').innerText(), '1 new');
		assert.equal((await page.getByTestId('insights-badge').innerText()).trim(), '1');
		assert.equal(await input.inputValue(), '', 'the link box is empty for the next insight');
		await panel().locator('[data-field="importance"] .choice.on[data-value="important"]').waitFor();

		const got = await ok('GET', `/insights/${ins.big}`);
		assert.equal(got.state, 'processed');
		assert.deepEqual(got.links.map((l) => [l.issue, l.importance]), [[n.a, 'critical']]);
	});

	it('marks the next one processed without a link with x', async () => {
		await keys('x');
		await page.locator(`#insight-item-${ins.old}`).waitFor({ state: 'detached' });
		await page.getByText('All caught up').waitFor();
		assert.equal(await page.getByTestId('insights-count').innerText(), 'Nothing new');
		assert.equal((await page.getByTestId('insights-badge').innerText()).trim(), '0');
		const got = await ok('GET', `/insights/${ins.old}`);
		assert.equal(got.state, 'processed');
		assert.deepEqual(got.links, []);
		const left = await ok('GET', '/insights?state=new');
		assert.equal(left.total, 0);
	});

	it('moves A to the top of the ranked backlog with a higher score; its evidence row shows why', async () => {
		const bl = await ok('GET', '/backlog?rank=demand');
		assert.deepEqual(bl.items.map((x) => x.number), [n.a, n.b]);
		const a = bl.items[0];
		assert.ok(Math.abs(a.score - A_AFTER) < 0.01, `A demand ${a.score} ≈ ${A_AFTER}`);
		// The derived label: a critical ask from a strategic customer.
		const issueA = await ok('GET', `/issues/${n.a}`);
		assert.ok(issueA.labels.includes('Customer Request'), `labels of A: ${JSON.stringify(issueA.labels)}`);

		await page.getByTestId('nav-backlog').click();
		await page.waitForURL(`${e.base}/backlog`);
		await rowOf(n.b).waitFor();
		const shown = await shownRanking();
		assert.deepEqual(shown.map((r) => [r.number, r.rank]), [[n.a, 1], [n.b, 2]], 'A moved from 2 to 1');
		assert.equal(shown[0].score, A_AFTER.toFixed(1));
		assert.ok(Number(shown[0].score) > Number(e.before.find((r) => r.number === n.a).score), 'A scores higher than before');
		assert.match(await rowOf(n.a).innerText(), /Customer Request/);
		assert.doesNotMatch(await rowOf(n.b).innerText(), /Customer Request/);

		// Keyboard: j focuses the first row, Enter expands it.
		await keys('j');
		assert.ok(await rowOf(n.a).evaluate((el) => el === document.activeElement));
		await keys('Enter');
		const ev = page.locator(`#evidence-${n.a}`);
		await ev.waitFor();
		assert.equal(await rowOf(n.a).getByTestId('evidence-toggle').getAttribute('aria-expanded'), 'true');
		const rows = ev.getByTestId('evidence-row');
		assert.equal(await rows.count(), 2);
		const top = rows.nth(0); // heaviest first
		const topText = await top.innerText();
		assert.match(topText, /Field crews need offline mode/);
		assert.match(topText, /Northwind Traders/);
		assert.match(topText, /Enterprise/);
		assert.match(topText, /Strategic/);
		assert.match(topText, /\$480,000/);
		assert.match(topText, /Critical/);
		assert.match(topText, /0 d/);
		assert.match(topText, new RegExp((W_BIG * 3).toFixed(2).replace('.', '\\.')), 'weight = w × 3');
		assert.match(topText, new RegExp(W_BIG.toFixed(2).replace('.', '\\.')), 'customer weight w');
		const anon = await rows.nth(1).innerText();
		assert.match(anon, /Poll: would like offline maps/);
		assert.match(anon, /No customer/);
		assert.match(anon, /Nice to have/);
		assert.match(anon, /0\.5/);
		// The formula's inputs.
		const demand = await ev.getByTestId('demand-inputs').innerText();
		assert.match(demand, new RegExp(`Demand\\s*${A_AFTER.toFixed(1).replace('.', '\\.')}`, 'i')); // the heading is upper-cased by CSS
		assert.match(demand, /1 customer .* 2 insights/);
		assert.match(demand, new RegExp(`Σ counted weights = ${A_AFTER.toFixed(2).replace('.', '\\.')}`));
		assert.equal(await ev.getByTestId('rice-reach').innerText(), '1');
		assert.equal(await ev.getByTestId('rice-impact').innerText(), '1');
		assert.equal(await ev.getByTestId('rice-confidence').innerText(), '80 %');
		assert.equal(await ev.getByTestId('rice-effort').innerText(), '3 pt');
		// RICE = 1 × 1 × 0.8 ÷ 3 = 0.27 -> 0.3
		assert.match(await ev.getByTestId('rice-inputs').innerText(), /RICE\s*0\.3/i);

		await page.waitForTimeout(3200); // let the toasts fade
		await page.mouse.move(0, 0);
		await page.screenshot({ path: path.join(SHOTS, 'backlog.png') });

		// Enter again folds it.
		await keys('Enter');
		await ev.waitFor({ state: 'detached' });
		assert.equal(await rowOf(n.a).getByTestId('evidence-toggle').getAttribute('aria-expanded'), 'false');
	});

	it('ranks by RICE on the second tab: B (0.8 ÷ 2 = 0.4) before A (0.8 ÷ 3 = 0.27)', async () => {
		await page.getByTestId('tab-rice').click();
		await page.waitForURL(`${e.base}/backlog?rank=rice`);
		await page.locator('tr.bl-row').nth(1).waitFor();
		await page.getByTestId('tab-rice').and(page.locator('.on')).waitFor();
		const shown = await shownRanking();
		assert.deepEqual(shown.map((r) => [r.number, r.score]), [[n.b, '0.4'], [n.a, '0.3']]);
	});

	it('lists the movers since 30 days ago', async () => {
		await page.getByTestId('tab-movers').click();
		await page.waitForURL(/\/backlog\?view=movers&since=\d{4}-\d{2}-\d{2}$/);
		const since = new URL(page.url()).searchParams.get('since');
		const want = addDays(todayYmd(), -30);
		assert.equal(since, want);
		assert.equal(await page.getByTestId('since').inputValue(), want);
		const movers = await ok('GET', `/backlog/movers?since=${since}`);
		const m = movers.items.find((x) => x.number === n.a);
		assert.ok(m, `A among the movers: ${JSON.stringify(movers)}`);
		const row = page.locator(`table.movers tr[data-number="${n.a}"]`);
		await row.waitFor();
		const text = await row.innerText();
		assert.match(text, /Offline mode for the field app/);
		assert.match(text, new RegExp(`\\+${Number(m.delta).toFixed(1).replace('.', '\\.')}`));
		assert.equal(m.before, 0);
		assert.ok(Math.abs(m.now - A_AFTER) < 0.01);
	});

	it('shows the customer page: account, the issues they wait for, their insights', async () => {
		await page.goto(`${e.base}/backlog`);
		await rowOf(n.a).click();
		await page.locator(`#evidence-${n.a}`).getByRole('link', { name: BIG.name }).click();
		await page.waitForURL(`${e.base}/customers/${cust.big.id}`);
		const cp = page.getByTestId('customer-page');
		await cp.waitFor();
		assert.equal(await cp.getByTestId('customer-name').innerText(), BIG.name);
		assert.equal(await cp.getByTestId('customer-arr').innerText(), '$480,000');
		assert.equal(await cp.getByTestId('customer-seats').innerText(), '1,200');
		assert.equal(await cp.getByTestId('customer-waiting').innerText(), '1');
		assert.match(await cp.locator('.customer-head').innerText(), /Enterprise[\s\S]*Strategic/);
		const waiting = cp.getByTestId('waiting');
		const row = waiting.locator(`tr[data-number="${n.a}"]`);
		await row.waitFor();
		const t = await row.innerText();
		assert.match(t, /Offline mode for the field app/);
		assert.match(t, /No Status/);
		assert.match(t, /Critical/);
		assert.match(t, /Open/);
		const card = cp.locator(`[data-testid="insight-card"][data-id="${ins.big}"]`);
		assert.equal(await card.locator('.insight-body').innerText(), BODY);
		assert.equal(await card.locator('img').count(), 0);
		await page.mouse.move(0, 0);
		await page.screenshot({ path: path.join(SHOTS, 'customer.png'), fullPage: true });

		// The customers list links here.
		await page.getByTestId('nav-customers').click();
		await page.waitForURL(`${e.base}/customers`);
		// the list renders after its request: wait for it (allInnerTexts does not)
		await page.locator('table.customers a.row-link').nth(1).waitFor();
		const names = await page.locator('table.customers a.row-link').allInnerTexts();
		assert.deepEqual(names, [BIG.name, SMALL.name], 'by ARR');
	});

	it('closes the loop on the issue page: the insights behind a closed issue, "Tell 1 customer"', async () => {
		await ok('PATCH', `/issues/${n.a}`, { state: 'closed' }, 200, { 'If-Match': '*' });
		await page.goto(`${e.base}/issues/${n.a}`);
		const box = page.getByTestId('issue-insights');
		await box.getByTestId('issue-insight').nth(1).waitFor();
		assert.match(await box.getByTestId('insights-summary').innerText(), /2 insights · 1 customer/);
		const first = await box.getByTestId('issue-insight').nth(0).innerText();
		assert.match(first, /Northwind Traders/);
		assert.match(first, /Critical/);
		const btn = box.getByTestId('answer-btn');
		assert.equal(await btn.innerText(), 'Tell 1 customer');
		await btn.click();
		const res = box.getByTestId('answer-result');
		await res.waitFor();
		assert.match(await res.innerText(), /Marked 2 insights answered — Northwind Traders can be told/);
		await box.getByTestId('loop-done').waitFor();
		for (const id of [ins.big, ins.anon]) assert.equal((await ok('GET', `/insights/${id}`)).state, 'answered');
		assert.equal((await ok('GET', `/insights/${ins.b}`)).state, 'processed', 'B’s ask is untouched');
	});

	it('had no script errors in the page', () => {
		assert.deepEqual(e.pageErrors, []);
		assert.deepEqual(e.consoleErrors, []);
	});
});
