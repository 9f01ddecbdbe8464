/*
 * decision.h — what moved between a decision's frozen evidence and today,
 * no I/O: for one linked issue, its state, demand, size and milestone then
 * and now, as sentences a reader of the decision sees ("demand for #12 has
 * tripled since this decision") — the signal to revisit it.
 */
#ifndef CAIRN_DECISION_H
#define CAIRN_DECISION_H

#include <stddef.h>
#include <stdint.h>

struct evidence_item {
	int64_t number;
	const char *state;     /* "open" / "closed" (NULL: unknown) */
	double demand;         /* the backlog's demand score */
	int size;              /* points, 0 = unsized */
	const char *milestone; /* its title, NULL = none */
};

#define EVIDENCE_SENTENCE 256

/* The sentences for one issue (then: at the decision; now: today), at most
 * max into out; returns how many.  Demand: tripled (or "more than tripled"
 * from 4x), else doubled (2x), else halved (<= 1/2), or "has demand now"
 * from none. */
int evidence_changes(const struct evidence_item *then, const struct evidence_item *now,
		     char (*out)[EVIDENCE_SENTENCE], int max);

#endif
