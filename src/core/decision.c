/*
 * decision.c — evidence then and now (decision.h).
 */
#include "core/decision.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The next free sentence, or -1 when max are written. */
static int add(int *n, int max)
{
	return *n < max ? (*n)++ : -1;
}

int evidence_changes(const struct evidence_item *then, const struct evidence_item *now,
		     char (*out)[EVIDENCE_SENTENCE], int max)
{
	int n = 0, k;
	int64_t num = then->number;
	double was = then->demand, is = now->demand;
	if (then->state && now->state && strcmp(then->state, now->state) &&
	    (k = add(&n, max)) >= 0)
		snprintf(out[k], EVIDENCE_SENTENCE, "#%" PRId64 " was %s since this decision", num,
			 !strcmp(now->state, "closed") ? "closed" : "reopened");
	const char *demand = NULL;
	if (was > 0 && is >= 3 * was)
		demand = is >= 4 * was ? "more than tripled" : "tripled";
	else if (was > 0 && is >= 2 * was)
		demand = "doubled";
	else if (was > 0 && is <= was / 2)
		demand = "halved";
	if (demand && (k = add(&n, max)) >= 0)
		snprintf(out[k], EVIDENCE_SENTENCE, "demand for #%" PRId64 " has %s since this decision",
			 num, demand);
	else if (!demand && was == 0 && is > 0 && (k = add(&n, max)) >= 0)
		snprintf(out[k], EVIDENCE_SENTENCE, "#%" PRId64 " has demand now; it had none", num);
	if (then->size != now->size && (k = add(&n, max)) >= 0) {
		char a[16] = "unsized", b[16] = "unsized";
		if (then->size)
			snprintf(a, sizeof a, "%d", then->size);
		if (now->size)
			snprintf(b, sizeof b, "%d", now->size);
		snprintf(out[k], EVIDENCE_SENTENCE, "#%" PRId64 " changed size %s → %s", num, a, b);
	}
	const char *m0 = then->milestone, *m1 = now->milestone;
	if ((m0 || m1) && (!m0 || !m1 || strcmp(m0, m1)) && (k = add(&n, max)) >= 0)
		snprintf(out[k], EVIDENCE_SENTENCE, "#%" PRId64 " moved from %.64s to %.64s", num,
			 m0 ? m0 : "no milestone", m1 ? m1 : "no milestone");
	return n;
}
