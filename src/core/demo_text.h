/*
 * demo_text.h — the hand-written text of the demo product (demo_text.c):
 * per area of "Beacon", its epics, the stories a team slices them into,
 * the features customers ask for (with the customer's problem and their
 * words), the bugs they hit (steps, expected, actual) and the security
 * reports.  Private to core/demo.c.
 */
#ifndef CAIRN_DEMO_TEXT_H
#define CAIRN_DEMO_TEXT_H

#define DT_EPICS 4
#define DT_STORIES 10
#define DT_FEATURES 6
#define DT_BUGS 8
#define DT_SECURITY 3

struct dt_epic {
	const char *title, *goal;
};
struct dt_story {
	const char *title, *problem, *ask; /* ask: a customer's words about it */
};
struct dt_feature {
	const char *title, *problem, *ask;
};
struct dt_bug {
	const char *title, *steps, *expected, *actual;
};
struct dt_security {
	const char *title, *impact;
};

struct dt_area {
	const char *name;
	struct dt_epic epics[DT_EPICS];
	struct dt_story stories[DT_STORIES];
	struct dt_feature features[DT_FEATURES];
	struct dt_bug bugs[DT_BUGS];
	struct dt_security security[DT_SECURITY];
};

extern const struct dt_area dt_areas[];
extern const int dt_nareas;

#endif
