/*
 * clock.mjs — the tests' idea of "now", the same as the server's.
 *
 * scripts/test.sh stops the clock with CAIRN_NOW (an ISO instant); every
 * cairn process the tests start inherits it, and every date a test computes
 * comes from here, so a test holds on any day the suites run, in any time
 * zone.  Without CAIRN_NOW both sides read the wall clock.
 */
const fixed = process.env.CAIRN_NOW ? Date.parse(process.env.CAIRN_NOW) : NaN;
if (process.env.CAIRN_NOW && Number.isNaN(fixed)) throw new Error(`CAIRN_NOW is not an instant: ${process.env.CAIRN_NOW}`);

export const DAY_MS = 86400000;

/* Now in unix milliseconds. */
export function nowMs() {
	return Number.isNaN(fixed) ? Date.now() : fixed;
}

/* Today as YYYY-MM-DD (UTC, like the server's milestone days). */
export function todayYmd() {
	return new Date(nowMs()).toISOString().slice(0, 10);
}

/* ymd + n days, as YYYY-MM-DD. */
export function addDays(ymd, n) {
	const [y, m, d] = ymd.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/* Whole days from a to b (YYYY-MM-DD each). */
export function daysBetween(a, b) {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/* Days from today to ymd (negative: in the past). */
export function daysFromToday(ymd) {
	return daysBetween(todayYmd(), ymd);
}

/* The day of the week of ymd, 0 = Sunday. */
export function weekday(ymd) {
	return new Date(`${ymd}T00:00:00Z`).getUTCDay();
}
