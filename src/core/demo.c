/*
 * demo.c — the demo product generator (see demo.h).  "Beacon", a fleet
 * management SaaS for connected devices: eight product areas, each with
 * epics that hold stories and tasks, plus a steady stream of bugs,
 * customer feature requests and the occasional security report.
 */
#include "core/demo.h"
#include "core/demo_text.h"
#include "core/issue.h"
#include "core/plan.h"

#include <stdio.h>
#include <string.h>

const struct demo_user demo_users[] = {
	{"admin", "Alex Admin", "admin"},   {"ada", "Ada Ops", "admin"},
	{"pia", "Pia Product", "pm"},       {"pete", "Pete Planner", "pm"},
	{"cora", "Cora CTO", "cto"},        {"chen", "Chen Architect", "cto"},
	{"emil", "Emil Manager", "em"},     {"erin", "Erin Lead", "em"},
	{"eli", "Eli Backend", "engineer"}, {"noor", "Noor Frontend", "engineer"},
	{"sam", "Sam Platform", "engineer"}, {"tao", "Tao Mobile", "engineer"},
	{"uma", "Uma QA", "engineer"},      {"vic", "Vic Sales", "viewer"},
	{"val", "Val Support", "viewer"},   {NULL, NULL, NULL},
};

static const char *const engineers[] = {"eli", "noor", "sam", "tao", "uma", "emil", "erin"};
static const char *const reporters[] = {"pia", "pete", "eli", "noor", "sam", "erin", "uma", "cora"};

/* Qualifiers a large demo appends once it has used every hand-written
 * title of an area (see qualify()): where the same thing shows up again. */
static const char *const contexts[] = {"Android app", "iOS app", "EU region", "public API",
				       "sub-accounts", "Safari", "offline gateways",
				       "fleets over 50k devices", "read-only users",
				       "MSP partner console", "SSO accounts", "US region"};
#define NCONTEXTS ((int)(sizeof contexts / sizeof contexts[0]))
/* The parts a story is built in: its tasks are "<story>: <part>". */
static const char *const task_parts[] = {"data model and migration", "API endpoint", "web UI",
					 "end-to-end test", "docs and help article",
					 "metrics and alerting", "feature flag and rollout",
					 "load test at 50k devices"};
#define NPARTS ((int)(sizeof task_parts / sizeof task_parts[0]))
static const char *const sizes[] = {"XS", "S", "M", "L", "XL"};
static const char *const prios[] = {"", "high", "medium", "medium", "low", "low"};

/* splitmix64: small, fast, good enough for demo data. */
static uint64_t rnd(struct demo_gen *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int pick(struct demo_gen *g, int n)
{
	return (int)(rnd(g) % (uint64_t)n);
}

#define PICK(g, arr) (arr[pick(g, (int)(sizeof(arr) / sizeof(arr[0])))])

void demo_init(struct demo_gen *g, uint64_t seed, int64_t total, int64_t now)
{
	memset(g, 0, sizeof *g);
	g->state = seed ? seed : 42;
	g->seed = g->state;
	g->plan_state = g->state ^ 0x5deece66dULL;
	g->next_number = 1;
	g->total = total;
	g->now_ms = now;
	/* 4-week milestones due on Thursdays; the one at DEMO_CURRENT holds today */
	int64_t today = day_of_ms(now);
	cadence_plan(today - DEMO_CURRENT * 28 - 10, 28, 3, DEMO_MILESTONES, g->ms_start, g->ms_due);
	g->ms_start[0] = g->ms_due[0] - 27; /* the first one is four weeks too */
	for (int k = 0; k < DEMO_MILESTONES; k++)
		g->ms_capacity[k] = 36 + 2 * (int)(k % 4);
}

const char *const demo_pillars[] = {"Trust & security", "Growth", "Developer platform", NULL};

int demo_area_count(void)
{
	return dt_nareas < DEMO_AREAS_MAX ? dt_nareas : DEMO_AREAS_MAX;
}

const char *demo_area_name(int k)
{
	return k >= 0 && k < demo_area_count() ? dt_areas[k].name : "";
}

int demo_area_pillar(int k)
{
	const char *n = demo_area_name(k);
	if (!strcmp(n, "auth"))
		return 0;
	if (!strcmp(n, "billing") || !strcmp(n, "dashboard"))
		return 1;
	return 2;
}

void demo_milestone_title(int k, char *buf, size_t cap)
{
	snprintf(buf, cap, "2.%d", 31 - DEMO_CURRENT + k);
}

static int plan_pick(struct demo_gen *g, int n)
{
	uint64_t z = (g->plan_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (int)((z ^ (z >> 31)) % (uint64_t)n);
}

static int points_of(const char *size)
{
	int p = 0;
	return size && *size && size_parse(size, &p) == 0 ? p : 0;
}

/* A time inside [lo, hi) on a working hour, as an item is finished. */
static int64_t plan_time(struct demo_gen *g, int64_t lo, int64_t hi)
{
	if (hi <= lo + 3600000)
		return lo;
	return lo + (int64_t)((uint64_t)plan_pick(g, 1 << 30) % (uint64_t)(hi - lo - 3600000));
}

/* Give a sized story, task or bug a place in the milestone history: it is
 * planned into the milestone after the one running when it was filed (or,
 * one time in five, added to the running one), most are done in time, some
 * slip into the next milestone (with a reason), now and then twice. */
static void plan_history(struct demo_gen *g, struct demo_issue *d)
{
	static const char *const reasons[] = {
		"underestimated: the migration needed a second pass",
		"blocked by an upstream API change",
		"reviewer out; picked up next milestone",
		"scope grew after customer feedback",
		"waiting on the security review",
	};
	static const char *const active[] = {"in_progress", "todo",	"review",  "in_design",
					     "verify",	    "in_progress", "todo", "up_next"};
	int64_t c = d->created_at, day = DAY_MS;
	d->area = -1;
	d->dev_status = "";
	if (!strcmp(d->type, "security")) {
		/* sized as it is reported and fixed within days, outside the
		 * milestones (a private issue, shipped as a patch release), up to
		 * a few points in each milestone's weeks; the last few reports,
		 * and those beyond that, keep the fate of any other issue */
		d->size = plan_pick(g, 3) ? "S" : "M";
		d->points = points_of(d->size);
		int64_t done = c + (int64_t)(1 + plan_pick(g, 6)) * day;
		int w = 0;
		for (int m = 0; m < DEMO_MILESTONES; m++)
			if (c >= g->ms_start[m] * day)
				w = m;
		if (done < g->now_ms && g->ms_security[w] + d->points <= 6) {
			g->ms_security[w] += d->points;
			d->closed = 1;
			d->board = "started";
			d->dev_status = "done";
			d->started_at = c + 3600000;
			d->done_at = done;
			d->dod = DOD_MERGED | DOD_TESTS | DOD_DOCS | DOD_ACCEPTANCE | DOD_DEMO;
		}
		return;
	}
	int pts = points_of(d->size[0] ? d->size : d->pm_size);
	d->points = pts;
	if (!pts || !strcmp(d->type, "feature"))
		return;
	int k = -1;
	for (int m = 0; m < DEMO_MILESTONES; m++)
		if (c >= g->ms_start[m] * day)
			k = m;
	/* the first milestone had no planning before it: its work was added */
	int t = k <= 0 || plan_pick(g, 5) == 0 ? (k < 0 ? 0 : k) : k + 1;
	if (t < 0)
		t = 0;
	/* plan to ~85% of capacity: slipped work carried in takes the rest */
	while (t < DEMO_MILESTONES && g->ms_load[t] + pts > g->ms_capacity[t] * 85 / 100)
		t++;
	if (t >= DEMO_MILESTONES)
		return;
	int64_t added = t == k ? c + 3600000 : g->ms_start[t] * day - 2 * day;
	if (added < c)
		added = c + 3600000;
	d->closed = 0;
	d->board = "started";
	for (int m = t; m < DEMO_MILESTONES; m++) {
		int64_t start = g->ms_start[m] * day, due_end = (g->ms_due[m] + 1) * day;
		/* the running milestone was planned to its capacity: what slipped
		 * into a full one waits for the next */
		if (m == DEMO_CURRENT && g->ms_load[m] + pts > g->ms_capacity[m])
			continue;
		struct demo_scope *sc = &d->scope[d->nscope++];
		sc->milestone = m;
		sc->added_at = added;
		g->ms_load[m] += pts;
		if (m == DEMO_MILESTONES - 1) { /* next: planned, barely started */
			d->board = "next";
			d->dev_status = plan_pick(g, 3) == 0 ? "up_next" : "";
			return;
		}
		int64_t lo = added > start ? added : start;
		if (m == DEMO_CURRENT) {
			/* done so far: the share of its days gone by and a little more
			 * (work planned before the start begins on day one) */
			int pct = (int)(15 + 100 * (g->now_ms - start) / (due_end - start));
			/* every third item is still in flight, whatever the dice say:
			 * a small demo's running milestone always has work left */
			int in_flight = g->current_n++ % 3 == 0;
			if (plan_pick(g, 100) < (pct < 90 ? pct : 90) && g->now_ms > lo + 3600000 &&
			    !in_flight) {
				d->done_at = plan_time(g, lo, g->now_ms);
				d->dev_status = "done";
				d->closed = 1;
			} else {
				d->dev_status = active[g->current_k++ % (int)(sizeof active / sizeof *active)];
			}
			break;
		}
		if (plan_pick(g, 100) < (m > t ? 70 : 82)) { /* shipped in time */
			int64_t span = due_end - lo;
			d->done_at = plan_time(g, lo + span / 6, due_end - 3600000);
			d->dev_status = "done";
			d->closed = 1;
			break;
		}
		/* slipped: carried into the next milestone as it starts */
		sc->removed_at = due_end;
		sc->slip_reason = reasons[plan_pick(g, (int)(sizeof reasons / sizeof *reasons))];
		added = due_end;
	}
	/* the definition of done fills up as work moves right */
	if (d->done_at)
		d->dod = DOD_MERGED | DOD_TESTS | DOD_DOCS | DOD_ACCEPTANCE | DOD_DEMO;
	else if (!strcmp(d->dev_status, "verify"))
		d->dod = DOD_MERGED | DOD_TESTS | DOD_DOCS | DOD_ACCEPTANCE;
	else if (!strcmp(d->dev_status, "review"))
		d->dod = DOD_TESTS | DOD_DOCS;
	else if (!strcmp(d->dev_status, "in_progress"))
		d->dod = plan_pick(g, 2) ? DOD_TESTS : 0;
	if (d->done_at || !strcmp(d->dev_status, "in_progress") || !strcmp(d->dev_status, "review") ||
	    !strcmp(d->dev_status, "verify")) {
		int64_t end = d->done_at ? d->done_at : g->now_ms;
		int64_t s0 = end - (int64_t)(1 + size_working_days(pts)) * day;
		d->started_at = s0 > added ? s0 : added;
	}
}

static void add_label(struct demo_issue *d, const char *l)
{
	if (d->nlabels < 4)
		snprintf(d->labels[d->nlabels++], sizeof d->labels[0], "%s", l);
}

static const char *const vectors[] = {
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", /* 6.1 stored XSS */
	"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", /* 8.1 broken authorization */
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", /* 9.8 */
	"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N", /* 3.7 timing leak */
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N", /* 4.3 open redirect */
};

/* Everything but the newest issues has been triaged: a horizon by type, a
 * severity for bugs, a CVSS vector for security reports.  The newest ~15 %
 * wait in the inbox (board no_status), as in a real team's week. */
static void triage(struct demo_gen *g, struct demo_issue *d)
{
	static const char *const horizons[] = {"next", "next", "short", "medium", "long"};
	static const char *const feature_boards[] = {"under_review", "short", "medium", "long",
						     "icebox"};
	static const char *const sevs[] = {"S1", "S2", "S2", "S3", "S3", "S4"};
	int recent = d->number > g->total * 85 / 100;
	d->board = "no_status";
	d->bug_severity = "";
	d->cvss = "";
	if (!strcmp(d->type, "bug") && !recent)
		d->bug_severity = PICK(g, sevs);
	if (!strcmp(d->type, "security"))
		d->cvss = PICK(g, vectors); /* scored at once, even before triage */
	if (recent || d->closed)
		return; /* closed issues are placed on the closed column by the import */
	d->board = !strcmp(d->type, "feature") ? PICK(g, feature_boards) : PICK(g, horizons);
	d->triaged_at = d->created_at + (int64_t)(1 + pick(g, 72)) * 3600000;
	if (d->triaged_at > g->now_ms)
		d->triaged_at = g->now_ms;
}

const struct demo_customer demo_customers[] = {
	{"Nordhavn Freight", "Enterprise", 480000, 1200, 1},      {"Keystone Energy Services", "Enterprise", 350000, 900, 1},
	{"Brightwater Utilities", "Enterprise", 260000, 640, 1}, {"Meridian Cold Storage", "Enterprise", 210000, 520, 0},
	{"Alpenwerk Maschinenbau", "Enterprise", 180000, 400, 1}, {"Castellan Charging", "Enterprise", 150000, 380, 0},
	{"Tidewater Ports Authority", "Enterprise", 140000, 350, 0}, {"Halvorsen Agritech", "Enterprise", 120000, 300, 1},
	{"Fernhill Facilities", "Premium", 64000, 160, 0},       {"Larkspur Pharmacies", "Premium", 58000, 150, 0},
	{"Quayside Breweries", "Premium", 52000, 140, 0},        {"Redfern Rail Services", "Premium", 48000, 120, 0},
	{"Sunfield Solar Parks", "Premium", 41000, 110, 0},      {"Oakridge Senior Living", "Premium", 38000, 95, 0},
	{"Vireo Water Systems", "Premium", 36000, 90, 0},        {"Coldline Logistics", "Premium", 33000, 85, 0},
	{"Hestia Building Controls", "Premium", 30000, 80, 0},   {"Pinecrest Hotels", "Premium", 27000, 70, 0},
	{"Arden Greenhouses", "Premium", 25000, 64, 0},          {"Marlow Vending", "Premium", 22000, 60, 0},
	{"Birchwood Dairy", "Starter", 6000, 20, 0},             {"Copperline Elevators", "Starter", 5400, 18, 0},
	{"Driftwood Marinas", "Starter", 4800, 15, 0},           {"Elmstead Schools", "Starter", 4200, 14, 0},
	{"Foxglove Clinics", "Starter", 3900, 12, 0},            {"Granite Peak Ski Lifts", "Starter", 3600, 12, 0},
	{"Harbourlight Fisheries", "Starter", 3300, 10, 0},      {"Ironbridge Parking", "Starter", 3000, 10, 0},
	{"Juniper Laundry Co.", "Starter", 2700, 9, 0},          {"Kestrel Bike Share", "Starter", 2400, 8, 0},
	{"Lindenhof Bakeries", "Starter", 2100, 7, 0},           {"Moorgate Self Storage", "Starter", 1800, 6, 0},
	{"Northgate Car Wash", "Starter", 1500, 5, 0},           {"Orchard Lane Vets", "Starter", 1200, 5, 0},
	{"Pebble Bay Aquarium", "Starter", 1200, 4, 0},          {"Quarry Hill Gyms", "Starter", 900, 4, 0},
	{"Ravensworth Hospitals", "Enterprise", 300000, 700, 1}, {"Saltmarsh Aquaculture", "Premium", 45000, 100, 0},
	{"Thornbury Print Works", "Starter", 2500, 8, 0},        {"Upland Cider Mill", "Starter", 1900, 6, 0},
	{NULL, NULL, 0, 0, 0},
};

const struct demo_persona demo_personas[] = {
	{"Field engineer", "Installs and fixes devices on site; lives in the mobile app.", "individual"},
	{"Flow developer", "Builds automations in the flow editor every day.", "individual"},
	{"Operations lead", "Runs a fleet of thousands of devices; owns uptime.", "manager"},
	{"Team manager", "Plans the work of a team of developers and approves spend.", "manager"},
	{"CTO / VP Engineering", "Signs the contract; cares about security and scale.", "executive"},
	{"Compliance officer", "Needs audit trails and data residency.", "executive"},
	{NULL, NULL, NULL},
};


enum { K_EPIC, K_STORY, K_FEATURE, K_BUG, K_SECURITY };

/* The n-th use of one of len hand-written texts of area a and kind k:
 * which text, in an order that depends on the seed, and in *round how
 * many times every one of them was used before. */
static int take(struct demo_gen *g, int a, int k, int len, int64_t *round)
{
	int64_t n = g->used[a][k]++;
	uint64_t rot = (g->seed * 0x9e3779b97f4a7c15ULL + (uint64_t)(a * 7 + k)) >> 33;
	*round = n / len;
	return (int)(((uint64_t)n + rot) % (uint64_t)len);
}

/* Append to title what tells the round-th reuse of a text apart: nothing
 * the first time, then a context ("(EU region)"), then two, then two and a
 * count — distinct for every round, so titles stay unique at any size. */
static void qualify(char *title, size_t cap, int64_t round)
{
	size_t n = strlen(title);
	if (round <= 0 || n >= cap)
		return;
	if (round <= NCONTEXTS) {
		snprintf(title + n, cap - n, " (%s)", contexts[round - 1]);
		return;
	}
	int64_t m = round - NCONTEXTS - 1;
	int i = (int)(m % NCONTEXTS), j = (int)(m / NCONTEXTS % (NCONTEXTS - 1));
	int64_t more = m / (NCONTEXTS * (NCONTEXTS - 1));
	if (j >= i)
		j++;
	if (more)
		snprintf(title + n, cap - n, " (%s, %s, %lld)", contexts[i], contexts[j],
			 (long long)more + 1);
	else
		snprintf(title + n, cap - n, " (%s, %s)", contexts[i], contexts[j]);
}

/* A hand-written title, qualified for its round (see take). */
static void set_title(struct demo_issue *d, const char *type, const char *title, int64_t round)
{
	d->type = type;
	snprintf(d->title, sizeof d->title, "%s", title);
	qualify(d->title, sizeof d->title, round);
}

static int ncustomers(void)
{
	int n = 0;
	while (demo_customers[n].name)
		n++;
	return n;
}

static int npersonas(void)
{
	int n = 0;
	while (demo_personas[n].name)
		n++;
	return n;
}

/* How a source's feedback is titled ("QBR ask: ...") and where it was
 * heard, for the line under the customer's words. */
static const struct heard {
	const char *source, *where, *openers[4];
} heard[] = {
	{"call", "on a call", {"QBR ask", "Customer asks", "Renewal risk", "Blocks their expansion"}},
	{"sales", "to our sales team", {"Sales call", "Renewal risk", "Blocks their expansion", NULL}},
	{"support", "in a support ticket", {"Support ticket", "Customer asks", NULL, NULL}},
	{"poll", "in the in-app poll", {"Poll answer", NULL, NULL, NULL}},
	{"community", "on the community forum", {"Forum thread", NULL, NULL, NULL}},
	{"other", "to the account team", {"Customer asks", "Account team note", NULL, NULL}},
};

static const struct heard *heard_of(const char *source)
{
	for (size_t k = 0; k < sizeof heard / sizeof heard[0]; k++)
		if (!strcmp(source, heard[k].source))
			return &heard[k];
	return &heard[sizeof heard / sizeof heard[0] - 1];
}

/* Title d after what it is about and put the customer's words in its body
 * (plain text: insights are not markdown), then who said them, where. */
static void word(struct demo_insight *d, const char *about, const char *said, const char *then)
{
	char who[160];
	if (d->persona[0] && d->customer[0])
		snprintf(who, sizeof who, "%s at %s", d->persona, d->customer);
	else if (d->customer[0])
		snprintf(who, sizeof who, "The admin at %s", d->customer);
	else if (d->persona[0])
		snprintf(who, sizeof who, "%s (account not named)", d->persona);
	else
		snprintf(who, sizeof who, "Anonymous");
	snprintf(d->title, sizeof d->title, "%s: %.140s", d->opener, about);
	snprintf(d->body, sizeof d->body, "\u201c%s%s\u201d\n\n\u2014 %s, %s.", said, then, who,
		 heard_of(d->source)->where);
}

void demo_insight_next(struct demo_gen *g, int64_t total_issues, struct demo_insight *d)
{
	static const char *const sources[] = {"call", "support", "support", "support", "poll",
					      "community", "sales", "other"};
	static const char *const importances[] = {"nice", "important", "important", "critical"};
	memset(d, 0, sizeof *d);
	d->source = PICK(g, sources);
	d->category = !strcmp(d->source, "support") ? "feature_request" : "";
	const struct heard *h = heard_of(d->source);
	int nop = 0;
	while (nop < 4 && h->openers[nop])
		nop++;
	d->opener = h->openers[pick(g, nop)];
	/* most feedback comes with its customer; the bigger ones talk more */
	int nc = ncustomers(), c = pick(g, nc);
	if (pick(g, 2))
		c = c < pick(g, nc) ? c : pick(g, nc);
	d->customer = pick(g, 8) ? demo_customers[c].name : "";
	d->persona = pick(g, 3) ? demo_personas[pick(g, npersonas())].name : "";
	d->importance = PICK(g, importances);
	d->issue = total_issues ? 1 + (int64_t)(rnd(g) % (uint64_t)total_issues) : 0;
	/* a fifth asks for one of the few things everybody wants, the most
	 * wanted most often */
	d->hot = pick(g, 5) == 0 ? pick(g, 2 + pick(g, 7)) : -1;
	d->bug_ok = pick(g, 4) == 0;
	/* what it says until someone links it: an ask from any area */
	const struct dt_area *a = &dt_areas[pick(g, demo_area_count())];
	const struct dt_feature *f = &a->features[pick(g, DT_FEATURES)];
	word(d, f->title, f->ask, "");
	d->captured_at = g->now_ms - (int64_t)pick(g, 300) * 86400000LL;
	d->processed = pick(g, 5) != 0; /* a fifth still waits in the insights inbox */
}

/* Is title base, possibly followed by a qualifier? */
static int is_of(const char *title, const char *base)
{
	size_t n = strlen(base);
	return !strncmp(title, base, n) && (!title[n] || title[n] == ' ');
}

int demo_insight_about(struct demo_insight *d, const char *title)
{
	const char *said = NULL, *then = "";
	for (int a = 0; a < demo_area_count() && !said; a++) {
		const struct dt_area *x = &dt_areas[a];
		for (int k = 0; k < DT_FEATURES && !said; k++)
			if (is_of(title, x->features[k].title))
				said = x->features[k].ask;
		for (int k = 0; k < DT_STORIES && !said; k++)
			if (is_of(title, x->stories[k].title))
				said = x->stories[k].ask;
		for (int k = 0; k < DT_EPICS && !said; k++)
			if (is_of(title, x->epics[k].title)) {
				said = x->epics[k].goal;
				then = " That is what we need before we add more sites.";
			}
		for (int k = 0; k < DT_BUGS && !said; k++)
			if (is_of(title, x->bugs[k].title)) {
				said = x->bugs[k].actual;
				if (*d->category)
					d->category = "product_issue";
				if (!strcmp(d->importance, "critical"))
					d->importance = "important"; /* a workaround exists */
				then = " It happened to us again this week.";
			}
	}
	if (!said)
		return 0;
	word(d, title, said, then);
	return 1;
}

/* The next area for a block: every area once, in a shuffled order, then
 * again in another order. */
static int next_area(struct demo_gen *g)
{
	int n = demo_area_count();
	if (g->order_left <= 0) {
		for (int k = 0; k < n; k++)
			g->order[k] = k;
		for (int k = n - 1; k > 0; k--) {
			int j = pick(g, k + 1), t = g->order[k];
			g->order[k] = g->order[j];
			g->order[j] = t;
		}
		g->order_left = n;
	}
	return g->order[n - g->order_left--];
}

/* The kinds of a block's items, dealt like cards: a story first (tasks
 * need one), then, shuffled, at most five stories, four bugs, three
 * features and one security report in all, and tasks for the rest.  Two
 * blocks of an area use its hand-written texts exactly once. */
static void deal(struct demo_gen *g)
{
	static const char deck[] = "SSSSBBBBFFFXTTTTT";
	int n = g->block_left;
	g->deck[0] = 'S';
	for (int k = 1; k < n; k++)
		g->deck[k] = k - 1 < (int)sizeof deck - 1 ? deck[k - 1] : 'T';
	for (int k = n - 1; k > 1; k--) {
		int j = 1 + pick(g, k), t = g->deck[k];
		g->deck[k] = g->deck[j];
		g->deck[j] = (char)t;
	}
	g->dealt = 0;
}

static void new_epic(struct demo_gen *g, struct demo_issue *d, int old)
{
	g->area = next_area(g);
	const struct dt_area *a = &dt_areas[g->area];
	char label[40];
	int64_t round;
	const struct dt_epic *ep = &a->epics[take(g, g->area, K_EPIC, DT_EPICS, &round)];
	g->epic = d->number;
	g->story = 0;
	g->block_left = 14 + pick(g, 12);
	deal(g);
	set_title(d, "epic", ep->title, round);
	snprintf(d->body, sizeof d->body,
		 "## Goal\n\n%s\n\n## Why now\n\n%d customers asked for it in the last two quarters; "
		 "it is the most requested capability in the **%s** area.\n\n"
		 "| Milestone | Scope |\n|---|---|\n| MVP | the core flow, behind a flag |\n"
		 "| GA | docs, limits, pricing |\n",
		 ep->goal, 3 + pick(g, 20), a->name);
	snprintf(label, sizeof label, "area:%s", a->name);
	add_label(d, label);
	if (pick(g, 3) == 0)
		add_label(d, "headline");
	d->closed = old && pick(g, 4) == 0;
	triage(g, d);
	d->dev_status = "";
	d->area = g->area;
}

static void new_story(struct demo_gen *g, struct demo_issue *d, const struct dt_area *a)
{
	int64_t round;
	const struct dt_story *s = &a->stories[take(g, g->area, K_STORY, DT_STORIES, &round)];
	set_title(d, "story", s->title, round);
	snprintf(d->body, sizeof d->body,
		 "## Problem\n\n%s\n\n## What customers say\n\n> %s\n\n## Acceptance criteria\n\n"
		 "- [ ] Works for fleets of 10,000 devices\n- [ ] In the user guide and the API "
		 "reference\n- [ ] Covered by an end-to-end test\n",
		 s->problem, s->ask);
	d->pm_size = PICK(g, sizes);
	if (pick(g, 2))
		d->size = PICK(g, sizes);
	/* most stories slice the block's epic; some are small improvements of
	 * their own (unplanned work, outside any initiative) */
	d->parent = pick(g, 4) ? g->epic : 0;
	g->story = d->number;
	snprintf(g->story_title, sizeof g->story_title, "%s", d->title);
	g->story_parts = 0;
	if (pick(g, 8) == 0)
		add_label(d, "Customer Request");
	if (pick(g, 10) == 0)
		add_label(d, "headline");
}

static void new_task(struct demo_gen *g, struct demo_issue *d)
{
	int k = g->story_parts++;
	d->type = "task";
	if (k < NPARTS)
		snprintf(d->title, sizeof d->title, "%.120s: %s", g->story_title, task_parts[k]);
	else
		snprintf(d->title, sizeof d->title, "%.120s: %s, part %d", g->story_title,
			 task_parts[k % NPARTS], k / NPARTS + 1);
	snprintf(d->body, sizeof d->body,
		 "Part of #%lld.\n\n- [ ] Implementation\n- [ ] Tests\n- [ ] Reviewed\n",
		 (long long)g->story);
	/* An occasional double booking: a sized task under a sized story. */
	d->size = pick(g, 3) ? PICK(g, sizes) : "";
	d->parent = g->story;
	if (pick(g, 6) == 0)
		add_label(d, "good first issue");
}

static void new_bug(struct demo_gen *g, struct demo_issue *d, const struct dt_area *a, int old)
{
	int64_t round;
	const struct dt_bug *b = &a->bugs[take(g, g->area, K_BUG, DT_BUGS, &round)];
	set_title(d, "bug", b->title, round);
	snprintf(d->body, sizeof d->body,
		 "### Steps to reproduce\n\n%s\n\n### Expected\n\n%s\n\n### Actual\n\n%s\n\n"
		 "Reported by a customer on the *%s* plan; seen on 2.%d.\n",
		 b->steps, b->expected, b->actual, pick(g, 2) ? "Enterprise" : "Premium",
		 18 + pick(g, 13));
	d->pm_size = pick(g, 2) ? PICK(g, sizes) : "";
	if (!old && pick(g, 3) == 0)
		add_label(d, "needs-triage");
}

static void new_feature(struct demo_gen *g, struct demo_issue *d, const struct dt_area *a)
{
	int64_t round;
	const struct dt_feature *f = &a->features[take(g, g->area, K_FEATURE, DT_FEATURES, &round)];
	const struct demo_customer *c = &demo_customers[pick(g, ncustomers())];
	int devices = c->seats * (5 + pick(g, 40));
	char count[16]; /* 10,200 */
	if (devices >= 1000)
		snprintf(count, sizeof count, "%d,%03d", devices / 1000, devices % 1000);
	else
		snprintf(count, sizeof count, "%d", devices);
	set_title(d, "feature", f->title, round);
	snprintf(d->body, sizeof d->body,
		 "## The customer problem\n\n%s\n\n> %s\n>\n> — %s, %s (%s, %s devices)\n\n"
		 "See the [support ticket](https://support.example.com/t/%d).\n",
		 f->problem, f->ask, demo_personas[pick(g, npersonas())].name, c->name, c->tier,
		 count, 10000 + pick(g, 90000));
	add_label(d, pick(g, 4) ? "needs-triage" : "Customer Request");
}

static void new_security(struct demo_gen *g, struct demo_issue *d, const struct dt_area *a)
{
	int64_t round;
	const struct dt_security *s = &a->security[take(g, g->area, K_SECURITY, DT_SECURITY, &round)];
	set_title(d, "security", s->title, round);
	snprintf(d->body, sizeof d->body,
		 "Reported through the disclosure program.\n\n**Impact:** %s\n\n"
		 "Do not discuss in public channels.\n",
		 s->impact);
	d->priority = "high";
}

int demo_next(struct demo_gen *g, struct demo_issue *d)
{
	if (g->next_number > g->total)
		return 0;
	memset(d, 0, sizeof *d);
	d->number = g->next_number++;
	d->reporter = PICK(g, reporters);
	d->priority = PICK(g, prios);
	d->pm_size = "";
	d->size = "";
	/* Spread creation over the last DEMO_SPAN_DAYS, oldest first. */
	int64_t span = DEMO_SPAN_DAYS * DAY_MS;
	d->created_at = g->now_ms - span + span * (d->number - 1) / (g->total ? g->total : 1) +
			(int64_t)(rnd(g) % 3600000);
	if (d->created_at > g->now_ms)
		d->created_at = g->now_ms;
	int old = d->number < g->total * 6 / 10;
	if (g->block_left <= 0) {
		/* New epic block: an epic followed by ~20 related items. */
		new_epic(g, d, old);
		return 1;
	}
	g->block_left--;
	const struct dt_area *a = &dt_areas[g->area];
	char label[40];
	snprintf(label, sizeof label, "area:%s", a->name);
	add_label(d, label);
	char kind = g->deck[g->dealt++];
	if (kind == 'S')
		new_story(g, d, a);
	else if (kind == 'T')
		new_task(g, d);
	else if (kind == 'B')
		new_bug(g, d, a, old);
	else if (kind == 'F')
		new_feature(g, d, a);
	else
		new_security(g, d, a);
	if (pick(g, 3))
		d->assignee = PICK(g, engineers);
	d->closed = old && pick(g, 10) < 6;
	triage(g, d);
	plan_history(g, d);
	return 1;
}
