// bench/search.mjs URL TOKEN [ROUNDS] — full-text search latency (issue #17): 2–3 word
// searches of the list API (ranked, first 50, with snippets and the count), one request at a
// time over loopback, so each time is the server's time plus a loopback round trip.
// Prints p50/p90/p99/max over every request, and per query its total and median.  Every
// request carries a unique `n` argument, so none is answered from the reply cache (a repeated
// search is; this measures the search itself).
// Used by bench/run.sh; BENCHMARKS.md records a run.
const [url, token, roundsArg] = process.argv.slice(2);
if (!url || !token) {
	console.error('usage: node bench/search.mjs URL TOKEN [ROUNDS]');
	process.exit(2);
}
const ROUNDS = Number(roundsArg || 20);
// words of the demo's vocabulary (src/core/demo_text.c), every search finding 1,500-42,000 of
// the 1M demo's issues (a search that finds nothing would flatter the percentiles); the last
// word is also a prefix
const QUERIES = [
	'csv export', 'webhook retries', 'dark mode dashboard', 'rollout pause', 'keyboard shortcuts',
	'search across logs', 'uptime chart', 'canary percent', 'audit log', 'firmware rollout',
	'field staff', 'service accounts', 'compromised admin account', 'fleet devices',
];

let seq = 0;
async function once(q) {
	const t0 = process.hrtime.bigint();
	const r = await fetch(`${url}/api/v1/issues?per_page=50&n=${++seq}&q=${encodeURIComponent(q)}`, {
		headers: { Authorization: `Bearer ${token}` },
	});
	const body = await r.json();
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	if (r.status !== 200)
		throw new Error(`${q}: ${r.status} ${JSON.stringify(body)}`);
	return { ms, total: body.total, capped: body.total_capped === true };
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const all = [];
const per = [];
for (const q of QUERIES)
	await once(q); // warm the page cache and the statement cache
for (const q of QUERIES) {
	const times = [];
	let total = 0;
	let capped = false;
	for (let k = 0; k < ROUNDS; k++) {
		const r = await once(q);
		times.push(r.ms);
		total = r.total;
		capped = r.capped;
	}
	times.sort((a, b) => a - b);
	all.push(...times);
	per.push(`  ${JSON.stringify(q).padEnd(26)} ${String(total).padStart(6)}${capped ? '+' : ' '} matches  p50 ${pct(times, 50).toFixed(1)} ms`);
}
all.sort((a, b) => a - b);
console.log(`search: ${all.length} requests, p50 ${pct(all, 50).toFixed(1)} ms, p90 ${pct(all, 90).toFixed(1)} ms,` +
	` p99 ${pct(all, 99).toFixed(1)} ms, max ${all[all.length - 1].toFixed(1)} ms`);
console.log(per.join('\n'));
