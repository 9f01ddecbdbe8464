/*
 * demo.c — the demo product generator (see demo.h).  "Beacon", a fleet
 * management SaaS for connected devices: eight product areas, each with
 * epics that hold stories and tasks, plus a steady stream of bugs,
 * customer feature requests and the occasional security report.
 */
#include "core/demo.h"
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

static const struct area {
	const char *name;
	const char *epics[3];
	const char *objects[6];
	const char *component;
} areas[] = {
	{"auth", {"Single sign-on for teams", "Two-factor authentication", "Audit log for admin actions"},
	 {"SAML login", "SCIM user provisioning", "session timeouts", "recovery codes", "login history", "role templates"},
	 "login form"},
	{"billing", {"Usage-based billing", "Self-serve plan upgrades", "Invoices and receipts"},
	 {"metered device hours", "plan comparison page", "proration on upgrade", "VAT IDs on invoices", "spend alerts", "annual billing"},
	 "invoice PDF"},
	{"dashboard", {"Custom dashboards", "Fleet health overview", "Shareable reports"},
	 {"drag-and-drop widgets", "device status map", "uptime chart", "CSV export of charts", "dashboard templates", "dark mode"},
	 "dashboard widgets"},
	{"deploy", {"Staged rollouts", "Pipeline templates", "Rollback in one click"},
	 {"canary percentage", "rollout pause button", "deployment approvals", "pipeline variables", "deploy history", "health-check gates"},
	 "deploy pipeline"},
	{"api", {"Public REST API v2", "Webhooks for device events", "API rate limits"},
	 {"cursor pagination", "webhook retries", "API keys per project", "OpenAPI spec", "rate-limit headers", "bulk device import"},
	 "REST API"},
	{"editor", {"Collaborative flow editing", "Version history for flows", "Snippet library"},
	 {"live cursors", "flow diff view", "undo across sessions", "comment threads", "snippet search", "keyboard shortcuts"},
	 "flow editor"},
	{"notifications", {"Alert routing rules", "Slack and Teams notifications", "Quiet hours"},
	 {"alert escalation", "Slack channel picker", "digest emails", "per-device mute", "on-call schedules", "alert deduplication"},
	 "notification service"},
	{"search", {"Global search", "Saved filters", "Device tagging"},
	 {"fuzzy device search", "saved filter sharing", "tag autocomplete", "search across logs", "recent searches", "bulk tagging"},
	 "search index"},
};
#define NAREAS ((int)(sizeof areas / sizeof areas[0]))

static const char *const story_verbs[] = {"Let admins configure", "Let users manage", "Support",
					  "Show", "Add", "Make it possible to use"};
static const char *const task_verbs[] = {"Add database migration for", "Write API docs for",
					 "Add end-to-end test for", "Instrument metrics for",
					 "Refactor the model behind", "Design review of"};
static const char *const bug_fail[] = {"crashes", "shows stale data", "times out",
				       "renders off-screen on mobile", "loses changes",
				       "returns a 500"};
static const char *const bug_when[] = {"when a device has no name", "after a token refresh",
				       "with more than 1,000 devices", "in Safari 17",
				       "when the filter is empty", "right after an upgrade"};
static const char *const vulns[] = {"Stored XSS", "Missing authorization check", "Open redirect",
				    "CSRF token not verified", "Timing leak", "Verbose error page"};
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
	return NAREAS;
}

const char *demo_area_name(int k)
{
	return k >= 0 && k < NAREAS ? areas[k].name : "";
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
			if (plan_pick(g, 100) < (pct < 90 ? pct : 90) && g->now_ms > lo + 3600000) {
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

static void body_story(struct demo_gen *g, struct demo_issue *d, const char *object)
{
	snprintf(d->body, sizeof d->body,
		 "## Problem\n\nCustomers managing large fleets told us that %s is hard to get right "
		 "today. %s\n\n## Proposal\n\nShip **%s** behind a feature flag, then roll it out to "
		 "all plans.\n\n## Acceptance criteria\n\n- [ ] Works for fleets of 10,000 devices\n"
		 "- [ ] Documented in the user guide\n- [ ] Covered by an end-to-end test\n",
		 object,
		 pick(g, 2) ? "Three enterprise accounts raised it in their last QBR."
			    : "Support sees a ticket about it every week.",
		 object);
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
	{"Northwind Logistics", "Enterprise", 480000, 1200, 1}, {"Contoso Energy", "Enterprise", 350000, 900, 1},
	{"Globex Manufacturing", "Enterprise", 260000, 640, 1}, {"Initech Utilities", "Enterprise", 210000, 520, 0},
	{"Umbrella Farms", "Enterprise", 180000, 400, 1},        {"Stark Mobility", "Enterprise", 150000, 380, 0},
	{"Wayne Water", "Enterprise", 140000, 350, 0},           {"Cyberdyne Robotics", "Enterprise", 120000, 300, 1},
	{"Soylent Foods", "Premium", 64000, 160, 0},             {"Tyrell Vertical", "Premium", 58000, 150, 0},
	{"Hooli Devices", "Premium", 52000, 140, 0},             {"Pied Piper Labs", "Premium", 48000, 120, 0},
	{"Vandelay Industries", "Premium", 41000, 110, 0},       {"Monarch Solar", "Premium", 38000, 95, 0},
	{"Aperture Sensors", "Premium", 36000, 90, 0},           {"Black Mesa Rail", "Premium", 33000, 85, 0},
	{"Oceanic Shipping", "Premium", 30000, 80, 0},           {"Dunder Paper", "Premium", 27000, 70, 0},
	{"Wonka Cold Chain", "Premium", 25000, 64, 0},           {"Gringotts Vaults", "Premium", 22000, 60, 0},
	{"Acme Greenhouses", "Starter", 6000, 20, 0},            {"Bluth Homes", "Starter", 5400, 18, 0},
	{"Krusty Kitchens", "Starter", 4800, 15, 0},             {"Los Pollos Fleet", "Starter", 4200, 14, 0},
	{"Prestige Worldwide", "Starter", 3900, 12, 0},          {"Sterling Cooper IoT", "Starter", 3600, 12, 0},
	{"Strickland Propane", "Starter", 3300, 10, 0},          {"Duff Brewing", "Starter", 3000, 10, 0},
	{"Gekko Parking", "Starter", 2700, 9, 0},                {"Nakatomi Elevators", "Starter", 2400, 8, 0},
	{"Ollivander Instruments", "Starter", 2100, 7, 0},       {"Planet Express", "Starter", 1800, 6, 0},
	{"Sirius Cybernetics", "Starter", 1500, 5, 0},           {"Spacely Sprockets", "Starter", 1200, 5, 0},
	{"Cogswell Cogs", "Starter", 1200, 4, 0},                {"Zorg Systems", "Starter", 900, 4, 0},
	{"Massive Dynamic", "Enterprise", 300000, 700, 1},       {"Yoyodyne Aero", "Premium", 45000, 100, 0},
	{"Virtucon Labs", "Starter", 2500, 8, 0},                {"Rekall Travel", "Starter", 1900, 6, 0},
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

void demo_insight_next(struct demo_gen *g, int64_t total_issues, struct demo_insight *d)
{
	static const char *const sources[] = {"call", "support", "support", "support", "poll",
					      "community", "sales", "other"};
	static const char *const categories[] = {"product_issue", "billing", "feature_request", "general",
						 "performance", "dashboard", "how_to"};
	static const char *const importances[] = {"nice", "important", "important", "critical"};
	static const char *const openers[] = {"Customer asks", "Blocking a rollout", "QBR ask",
					      "Poll answer", "Forum thread", "Renewal risk"};
	int ncust = 0, npers = 0;
	while (demo_customers[ncust].name)
		ncust++;
	while (demo_personas[npers].name)
		npers++;
	memset(d, 0, sizeof *d);
	d->source = PICK(g, sources);
	d->category = !strcmp(d->source, "support") ? PICK(g, categories) : "";
	d->customer = pick(g, 5) ? demo_customers[pick(g, ncust)].name : "";
	d->persona = pick(g, 2) ? demo_personas[pick(g, npers)].name : "";
	d->importance = PICK(g, importances);
	d->issue = total_issues ? 1 + (int64_t)(rnd(g) % (uint64_t)total_issues) : 0;
	const struct area *a = &areas[pick(g, NAREAS)];
	const char *object = a->objects[pick(g, 6)];
	d->opener = PICK(g, openers);
	snprintf(d->title, sizeof d->title, "%s: %s", d->opener, object);
	snprintf(d->body, sizeof d->body,
		 "> We run %d devices and %s is the thing our team asks about most.\n\n"
		 "Noted by the account team; follow up after the next release.",
		 50 + pick(g, 5000), object);
	d->captured_at = g->now_ms - (int64_t)pick(g, 300) * 86400000LL;
	d->processed = pick(g, 5) != 0; /* a fifth still waits in the insights inbox */
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
	const struct area *a = &areas[g->area];
	char area_label[40];
	snprintf(area_label, sizeof area_label, "area:%s", a->name);

	if (g->block_left <= 0) {
		/* New epic block: an epic followed by ~20 related items. */
		g->area = pick(g, NAREAS);
		a = &areas[g->area];
		snprintf(area_label, sizeof area_label, "area:%s", a->name);
		g->epic = d->number;
		g->story = 0;
		g->block_left = 14 + pick(g, 12);
		d->type = "epic";
		snprintf(d->title, sizeof d->title, "%s", a->epics[pick(g, 3)]);
		snprintf(d->body, sizeof d->body,
			 "## Goal\n\n%s for every Beacon customer.\n\n## Why now\n\nIt is the most "
			 "requested capability in the **%s** area this quarter.\n\n"
			 "| Milestone | Scope |\n|---|---|\n| MVP | core flow |\n| GA | docs, limits, "
			 "billing |\n",
			 d->title, a->name);
		add_label(d, area_label);
		if (pick(g, 3) == 0)
			add_label(d, "headline");
		d->closed = old && pick(g, 4) == 0;
		triage(g, d);
		d->dev_status = "";
		d->area = g->area;
		return 1;
	}
	g->block_left--;
	int kind = pick(g, 100);
	const char *object = a->objects[pick(g, 6)];
	if (kind < 30) {
		d->type = "story";
		snprintf(d->title, sizeof d->title, "%s %s", PICK(g, story_verbs), object);
		body_story(g, d, object);
		d->pm_size = PICK(g, sizes);
		if (pick(g, 2))
			d->size = PICK(g, sizes);
		d->parent = g->epic;
		g->story = d->number;
		add_label(d, area_label);
		if (pick(g, 8) == 0)
			add_label(d, "Customer Request");
		if (pick(g, 10) == 0)
			add_label(d, "headline");
	} else if (kind < 55 && g->story) {
		d->type = "task";
		snprintf(d->title, sizeof d->title, "%s %s", PICK(g, task_verbs), object);
		snprintf(d->body, sizeof d->body,
			 "Part of #%lld.\n\n- [ ] Implementation\n- [ ] Tests\n- [ ] Docs\n",
			 (long long)g->story);
		/* An occasional double booking: a sized task under a sized story. */
		d->size = pick(g, 3) ? PICK(g, sizes) : "";
		d->parent = g->story;
		add_label(d, area_label);
		if (pick(g, 6) == 0)
			add_label(d, "good first issue");
	} else if (kind < 80) {
		d->type = "bug";
		const char *fail = PICK(g, bug_fail), *when = PICK(g, bug_when);
		snprintf(d->title, sizeof d->title, "%s %s %s", a->component, fail, when);
		d->title[0] = (char)(d->title[0] >= 'a' && d->title[0] <= 'z' ? d->title[0] - 32
									      : d->title[0]);
		snprintf(d->body, sizeof d->body,
			 "### Steps to reproduce\n\n1. Open the %s %s\n2. Use it as usual\n\n"
			 "### Expected\n\nIt just works.\n\n### Actual\n\nIt %s. Reported by a "
			 "customer on the *%s* plan.\n",
			 a->component, when, fail, pick(g, 2) ? "Enterprise" : "Starter");
		d->pm_size = pick(g, 2) ? PICK(g, sizes) : "";
		add_label(d, area_label);
		if (!old && pick(g, 3) == 0)
			add_label(d, "needs-triage");
	} else if (kind < 95) {
		static const char *const asks[] = {"Request: %s %s", "Customers ask for %s %s",
						   "Need %s %s", "Please add %s %s",
						   "%s %s (from support)", "Wish: %s %s"};
		static const char *const whom[] = {"for agencies",	  "in the EU region",
						   "on mobile",		  "for MSP partners",
						   "through the API",	  "per project",
						   "for read-only users", "with SSO accounts"};
		d->type = "feature";
		const char *ask = PICK(g, asks), *who = PICK(g, whom); /* in this order */
		snprintf(d->title, sizeof d->title, ask, object, who);
		if (d->title[0] >= 'a' && d->title[0] <= 'z')
			d->title[0] = (char)(d->title[0] - 32);
		snprintf(d->body, sizeof d->body,
			 "A customer asked for %s.\n\n> We manage %d devices and need this before our "
			 "renewal.\n\nSee the [support ticket](https://support.example.com/t/%d).\n",
			 object, 500 + pick(g, 20000), 10000 + pick(g, 90000));
		add_label(d, area_label);
		add_label(d, pick(g, 4) ? "needs-triage" : "Customer Request");
	} else {
		d->type = "security";
		snprintf(d->title, sizeof d->title, "%s in %s", PICK(g, vulns), a->component);
		snprintf(d->body, sizeof d->body,
			 "Reported through the disclosure program.\n\n**Impact:** an authenticated "
			 "user could affect another tenant's %s.\n\nDo not discuss in public channels.\n",
			 a->component);
		d->priority = "high";
		add_label(d, area_label);
	}
	if (pick(g, 3))
		d->assignee = PICK(g, engineers);
	d->closed = old && pick(g, 10) < 6;
	triage(g, d);
	plan_history(g, d);
	return 1;
}
