/*
 * metrics.c — request counters and latency histograms per route, exposed in
 * the Prometheus text format at /metrics.  Lock-free: relaxed atomics on
 * fixed arrays (routes are a static table).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/cache.h"
#include "http/http.h"
#include "service/service.h"

#define MAX_ROUTES 192
#define SLOTS (MAX_ROUTES + 2) /* + static + none */

static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405,
			       409, 412, 413, 414, 417, 422, 428, 429, 431, 500, 503};
#define NSTATUS ((int)(sizeof statuses / sizeof statuses[0]) + 1) /* + other */
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				 0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
#define NBUCKET ((int)(sizeof buckets / sizeof buckets[0]))

static uint64_t counts[SLOTS][NSTATUS];
static uint64_t hist[SLOTS][NBUCKET + 1];
static uint64_t sum_us[SLOTS];

static int slot_of(int route)
{
	/* routes past MAX_ROUTES would share the "none" slot: keep the table small */
	if (route == ROUTE_STATIC)
		return MAX_ROUTES;
	if (route < 0 || route >= MAX_ROUTES)
		return MAX_ROUTES + 1;
	return route;
}

void metrics_record(int route, int status, double seconds)
{
	int s = slot_of(route), k;
	for (k = 0; k < NSTATUS - 1 && statuses[k] != status; k++)
		;
	__atomic_fetch_add(&counts[s][k], 1, __ATOMIC_RELAXED);
	int b;
	for (b = 0; b < NBUCKET && seconds > buckets[b]; b++)
		;
	__atomic_fetch_add(&hist[s][b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sum_us[s], (uint64_t)(seconds * 1e6), __ATOMIC_RELAXED);
}

static const char *slot_method(int s)
{
	if (s == MAX_ROUTES)
		return "GET";
	if (s == MAX_ROUTES + 1)
		return "any";
	return s < routes_count ? routes[s].method : "any";
}

static const char *slot_name(int s)
{
	if (s == MAX_ROUTES)
		return "static";
	if (s == MAX_ROUTES + 1)
		return "none";
	return s < routes_count ? routes[s].name : "unknown";
}

char *metrics_render(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs("# HELP cairn_http_requests_total HTTP requests by route and status.\n"
	      "# TYPE cairn_http_requests_total counter\n",
	      f);
	for (int s = 0; s < SLOTS; s++)
		for (int k = 0; k < NSTATUS; k++) {
			uint64_t n = __atomic_load_n(&counts[s][k], __ATOMIC_RELAXED);
			if (!n)
				continue;
			char status[8];
			if (k < NSTATUS - 1)
				snprintf(status, sizeof status, "%d", statuses[k]);
			else
				snprintf(status, sizeof status, "other");
			fprintf(f,
				"cairn_http_requests_total{route=\"%s\",method=\"%s\",status=\"%s\"} %llu\n",
				slot_name(s), slot_method(s), status, (unsigned long long)n);
		}
	fputs("# HELP cairn_http_request_duration_seconds Time to answer, by route.\n"
	      "# TYPE cairn_http_request_duration_seconds histogram\n",
	      f);
	for (int s = 0; s < SLOTS; s++) {
		uint64_t total = 0;
		for (int b = 0; b <= NBUCKET; b++)
			total += __atomic_load_n(&hist[s][b], __ATOMIC_RELAXED);
		if (!total)
			continue;
		uint64_t cum = 0;
		for (int b = 0; b <= NBUCKET; b++) {
			cum += __atomic_load_n(&hist[s][b], __ATOMIC_RELAXED);
			if (b < NBUCKET)
				fprintf(f,
					"cairn_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
					slot_name(s), buckets[b], (unsigned long long)cum);
			else
				fprintf(f,
					"cairn_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
					slot_name(s), (unsigned long long)cum);
		}
		fprintf(f, "cairn_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
			slot_name(s),
			(double)__atomic_load_n(&sum_us[s], __ATOMIC_RELAXED) / 1e6);
		fprintf(f, "cairn_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
			slot_name(s), (unsigned long long)cum);
	}
	struct rcache_stats c;
	rcache_stats(&c);
	fputs("# HELP cairn_reply_cache_hits_total Reads answered from the reply cache.\n"
	      "# TYPE cairn_reply_cache_hits_total counter\n", f);
	fprintf(f, "cairn_reply_cache_hits_total %llu\n", (unsigned long long)c.hits);
	fputs("# HELP cairn_reply_cache_bytes Bytes the reply cache holds.\n"
	      "# TYPE cairn_reply_cache_bytes gauge\n", f);
	fprintf(f, "cairn_reply_cache_bytes %llu\n", (unsigned long long)c.bytes);
	unsigned long long groups, writes;
	svc_group_stats(&groups, &writes);
	fputs("# HELP cairn_write_groups_total Group commits (SQLite): transactions run.\n"
	      "# TYPE cairn_write_groups_total counter\n", f);
	fprintf(f, "cairn_write_groups_total %llu\n", groups);
	fputs("# HELP cairn_write_group_writes_total Writes run in group commits.\n"
	      "# TYPE cairn_write_group_writes_total counter\n", f);
	fprintf(f, "cairn_write_group_writes_total %llu\n", writes);
	fclose(f);
	return buf;
}
