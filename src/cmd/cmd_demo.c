/*
 * cmd_demo.c — `cairn demo`: fill an empty database with the demo product
 * (core/demo.c) through the service layer, in batches of one transaction
 * each so that a million issues take minutes, not hours.
 */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/plan.h"
#include "core/demo.h"
#include "core/timeutil.h"

#define BATCH 5000
#define DEMO_PASSWORD "cairn-demo"

static int add_users(struct store *st)
{
	struct err e;
	for (const struct demo_user *u = demo_users; u->login; u++) {
		err_clear(&e);
		int rc = svc_user_add(OP(st, NULL), u->login, u->name, u->role, DEMO_PASSWORD, NULL, &e);
		if (rc == CAIRN_ECONFLICT)
			continue; /* already there (e.g. the admin from cairn init) */
		if (rc)
			return cli_fail(&e);
	}
	return 0;
}

/* Ids of the demo's areas and milestones, by the generator's indexes. */
struct demo_ids {
	char area[32][24];
	int64_t milestone[DEMO_MILESTONES];
	char milestone_text[DEMO_MILESTONES][24];
};

/* Pillars with their areas, and the milestone calendar (past, current,
 * next), before the issues that refer to them. */
static int add_planning(struct store *st, const struct user *actor, const struct demo_gen *g,
			struct demo_ids *ids)
{
	struct err e;
	int64_t pillar_ids[8] = {0};
	err_clear(&e);
	for (int k = 0; demo_pillars[k] && k < 8; k++) {
		struct pillar p;
		if (svc_pillar_add(OP(st, actor), demo_pillars[k], NULL, &p, &e))
			return cli_fail(&e);
		pillar_ids[k] = p.id;
	}
	for (int k = 0; k < demo_area_count() && k < 32; k++) {
		struct area a;
		if (svc_area_add(OP(st, actor), pillar_ids[demo_area_pillar(k)], demo_area_name(k), NULL, &a,
				 &e))
			return cli_fail(&e);
		snprintf(ids->area[k], sizeof ids->area[k], "%lld", (long long)a.id);
	}
	for (int k = 0; k < DEMO_MILESTONES; k++) {
		char title[16], start[16], due[16], cap[16];
		struct milestone m;
		demo_milestone_title(k, title, sizeof title);
		day_format(g->ms_start[k], start, sizeof start);
		day_format(g->ms_due[k], due, sizeof due);
		snprintf(cap, sizeof cap, "%d", g->ms_capacity[k]);
		struct milestone_input in = {title, start, due, cap};
		if (svc_milestone_create(OP(st, actor), &in, &m, &e))
			return cli_fail(&e);
		ids->milestone[k] = m.id;
		snprintf(ids->milestone_text[k], sizeof ids->milestone_text[k], "%lld", (long long)m.id);
	}
	return 0;
}

/* Point an import record at a generated issue's strings. */
static void to_import(struct demo_issue *d, struct issue_import *r, const char **labels,
		      char *parent, const struct demo_ids *ids, struct scope_import *scope)
{
	memset(r, 0, sizeof *r);
	struct issue_input *in = &r->in;
	in->set = IN_TYPE | IN_TITLE | IN_BODY | IN_PRIORITY | IN_PM_SIZE | IN_SIZE | IN_LABELS |
		  IN_ASSIGNEE | IN_STATE;
	in->type = d->type;
	in->title = d->title;
	in->body = d->body;
	in->priority = d->priority;
	in->pm_size = d->pm_size;
	in->size = d->size;
	in->assignee = d->assignee;
	in->state = d->closed ? "closed" : "open";
	in->set |= IN_BOARD | IN_BUG_SEVERITY | IN_CVSS;
	in->board = d->board;
	in->bug_severity = d->bug_severity;
	in->cvss = d->cvss;
	for (size_t k = 0; k < d->nlabels; k++)
		labels[k] = d->labels[k];
	in->labels = labels;
	in->nlabels = d->nlabels;
	if (d->parent) {
		in->set |= IN_PARENT;
		snprintf(parent, 24, "%lld", (long long)d->parent);
		in->parent = parent;
	}
	r->reporter = d->reporter;
	r->created_at = d->created_at;
	r->closed_at = d->closed ? d->created_at + (int64_t)(2 + d->number % 12) * 86400000LL : 0;
	r->triaged_at = d->triaged_at;
	/* planning */
	if (d->area >= 0 && d->area < 32) {
		in->set |= IN_AREA;
		in->area = ids->area[d->area];
	}
	if (d->dev_status && *d->dev_status) {
		in->set |= IN_DEV_STATUS;
		in->dev_status = d->dev_status;
	}
	if (d->dod) {
		in->set |= IN_DOD;
		in->dod_mask = (1 << DOD_ITEMS) - 1;
		in->dod_bits = d->dod;
	}
	r->started_at = d->started_at;
	r->done_at = d->done_at;
	if (d->done_at)
		r->closed_at = d->done_at;
	for (int k = 0; k < d->nscope; k++) {
		scope[k].milestone_id = ids->milestone[d->scope[k].milestone];
		scope[k].added_at = d->scope[k].added_at;
		scope[k].removed_at = d->scope[k].removed_at;
		scope[k].slip_reason = d->scope[k].slip_reason;
		scope[k].done_at = d->scope[k].removed_at ? 0 : d->done_at; /* slipped rows: not done */
		scope[k].points = d->points;
		if (!d->scope[k].removed_at) {
			in->set |= IN_MILESTONE;
			in->milestone = ids->milestone_text[d->scope[k].milestone];
		}
	}
	r->scope = scope;
	r->nscope = (size_t)d->nscope;
}

/* Give some issues a life after creation so their history shows real
 * team work: the PM re-prioritizes, the EM sizes, an engineer picks it up.
 * Only the first few hundred issues, so large demos stay fast. */
static int add_history(struct store *st, long long total)
{
	static const struct {
		const char *login;
		unsigned set;
		const char *priority, *size, *assignee;
	} steps[] = {
		{"pia", IN_PRIORITY, "high", NULL, NULL},
		{"emil", IN_SIZE, NULL, "L", NULL},
		{"noor", IN_ASSIGNEE, NULL, NULL, "noor"},
		{"cora", IN_SIZE, NULL, "XL", NULL},
	};
	struct err e;
	for (long long n = 3; n <= total && n <= 1500; n += 5) {
		for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
			if ((n + (long long)k) % 3 == 0)
				continue;
			struct user who;
			struct issue out;
			struct issue_input in = {.set = steps[k].set, .priority = steps[k].priority,
						 .size = steps[k].size, .assignee = steps[k].assignee};
			err_clear(&e);
			if (svc_user_get(OP(st, NULL), steps[k].login, &who, &e))
				return cli_fail(&e);
			int rc = svc_issue_update(OP(st, &who), n, &in, -1, &out, &e);
			if (rc == CAIRN_ENOTFOUND)
				continue; /* a private issue this user cannot see */
			if (rc)
				return cli_fail(&e);
			issue_release(&out);
		}
	}
	return 0;
}

/* What a linked insight asks for: customers ask for features and for the
 * epics and stories of the team's plan, now and then report a bug, never ask for
 * a task's chores or a private security report.  From the generator's
 * random issue, the next one that fits (or one of the hot features); its
 * customer's words follow the issue it is linked to. */
struct hot {
	const struct issue *items[8]; /* borrowed from a list */
	size_t n;
};

/* The hot features: the oldest open feature of each area, up to eight. */
static void find_hot(const struct issue_list *l, struct hot *hot)
{
	hot->n = 0;
	for (size_t k = 0; k < l->n && hot->n < 8; k++) {
		const char *area = "";
		for (size_t x = 0; x < l->items[k].nlabels; x++)
			if (!strncmp(l->items[k].labels[x], "area:", 5))
				area = l->items[k].labels[x];
		int seen = 0;
		for (size_t j = 0; j < hot->n && !seen; j++)
			for (size_t x = 0; x < hot->items[j]->nlabels; x++)
				if (!strcmp(hot->items[j]->labels[x], area))
					seen = 1;
		if (!seen)
			hot->items[hot->n++] = &l->items[k];
	}
}

static int pick_target(struct store *st, const struct user *actor, const struct hot *hot,
		       long long total, struct demo_insight *d)
{
	struct err e;
	err_clear(&e);
	if (d->hot >= 0 && (size_t)d->hot < hot->n) {
		d->issue = hot->items[d->hot]->number;
		demo_insight_about(d, hot->items[d->hot]->title);
		return 0;
	}
	for (int tries = 0; tries < 60; tries++) {
		struct issue t;
		if (svc_issue_get(OP(st, actor), d->issue, &t, &e))
			return cli_fail(&e);
		int fits = t.type == ISSUE_FEATURE || t.type == ISSUE_STORY || t.type == ISSUE_EPIC ||
			   (t.type == ISSUE_BUG && d->bug_ok);
		if (fits)
			demo_insight_about(d, t.title);
		issue_release(&t);
		if (fits)
			return 0;
		d->issue = d->issue % total + 1;
	}
	d->processed = 0; /* nothing that fits nearby: it waits in the inbox */
	return 0;
}

/* Customers across tiers, personas, and feedback from every source linked
 * to the issues it asks for (~2 per issue, at most 400). */
static int add_insights(struct store *st, const struct user *actor, struct demo_gen *g,
			long long total)
{
	struct err e;
	for (const struct demo_customer *c = demo_customers; c->name; c++) {
		struct customer_input in = {.name = c->name, .tier = c->tier, .arr = c->arr, .seats = c->seats, .strategic = c->strategic};
		struct customer out;
		err_clear(&e);
		if (svc_customer_add(OP(st, actor), &in, &out, &e) && e.code != CAIRN_ECONFLICT)
			return cli_fail(&e);
	}
	for (const struct demo_persona *p = demo_personas; p->name; p++) {
		struct persona_input in = {p->name, p->description, p->buyer_level};
		struct persona out;
		err_clear(&e);
		if (svc_persona_add(OP(st, actor), &in, &out, &e) && e.code != CAIRN_ECONFLICT)
			return cli_fail(&e);
	}
	/* the few open features everybody wants: a third of the asks */
	struct issue_list feats;
	struct hot hot;
	int64_t nfeats;
	if (svc_issue_list(OP(st, actor), "is:open type:feature sort:oldest", 1, 100, &feats, &nfeats,
			   &e))
		return cli_fail(&e);
	find_hot(&feats, &hot);
	long long n = total * 2 < 400 ? total * 2 : 400;
	int rc = 0;
	for (long long k = 0; k < n && !rc; k++) {
		struct demo_insight d;
		struct insight out;
		char date[32];
		demo_insight_next(g, total, &d);
		iso_time(d.captured_at, date, sizeof date);
		if (d.processed && (rc = pick_target(st, actor, &hot, total, &d)))
			break;
		struct insight_input in = {d.source, d.category, d.customer, d.persona, d.title,
					   d.body, NULL, date, NULL};
		err_clear(&e);
		if (svc_insight_add(OP(st, actor), &in, &out, &e)) {
			rc = cli_fail(&e);
			break;
		}
		rc = d.processed ? svc_insight_link(OP(st, actor), out.id, d.issue, d.importance, &e) : 0;
		insight_release(&out);
		if (rc)
			rc = cli_fail(&e);
	}
	issue_list_release(&feats);
	return rc;
}

/* The demo's changelog: published posts for the closed milestones (as if
 * imported from the team's files, dated on each due day), entries in review
 * and in draft for the current one, a headline item still without an entry,
 * and the public changelog turned on. */
static int add_changelog(struct store *st, const struct user *actor)
{
	struct milestone_view *ms = NULL;
	size_t nms = 0;
	double vel;
	struct err e;
	int rc = 0;
	err_clear(&e);
	if (svc_milestones(OP(st, actor), &ms, &nms, &vel, &e))
		return cli_fail(&e);
	for (size_t k = 0; k < nms && !rc; k++) {
		struct cl_notes notes;
		int active = ms[k].state == MS_ACTIVE;
		if (ms[k].state == MS_PLANNED)
			continue;
		if (svc_cl_notes(OP(st, actor), ms[k].m.id, &notes, &e)) {
			rc = cli_fail(&e);
			break;
		}
		int made = 0;
		for (size_t j = 0; j < notes.items.n && made < (active ? 4 : 3) && !rc; j++) {
			const struct issue *i = &notes.items.items[j];
			/* a task is a part of its story, not news */
			if (i->type == ISSUE_SECURITY || i->type == ISSUE_TASK ||
			    (!active && i->type == ISSUE_BUG))
				continue;
			char ref[24], desc[400], body[800];
			const char *authors[2] = {i->assignee ? i->assignee : i->reporter, i->reporter};
			size_t na = i->assignee && i->reporter && strcmp(i->assignee, i->reporter) ? 2 : 1;
			const char *issues[1] = {ref};
			snprintf(ref, sizeof ref, "#%lld", (long long)i->number);
			if (i->type == ISSUE_BUG) {
				snprintf(desc, sizeof desc, "Fixed in %s: %s.", ms[k].m.title, i->title);
				snprintf(body, sizeof body,
					 "**Fixed:** %s.\n\nThanks to the customers who reported it "
					 "with the steps to reproduce.\n",
					 i->title);
			} else {
				snprintf(desc, sizeof desc, "%s, shipped in %s.", i->title, ms[k].m.title);
				snprintf(body, sizeof body,
					 "You asked, we built it: **%s** is live for every workspace.\n\n"
					 "- Find it in Beacon today; the user guide has the details\n"
					 "- Tell us what you think: reply to this post\n",
					 i->title);
			}
			if (active && made == 3) {
				/* shipped, marked headline, still waiting for its entry */
				const char *labels[LABELS_MAX + 1];
				size_t nl = 0;
				for (size_t x = 0; x < i->nlabels && nl < LABELS_MAX; x++)
					labels[nl++] = i->labels[x];
				if (nl < LABELS_MAX)
					labels[nl++] = "headline";
				struct issue_input in = {.set = IN_LABELS, .labels = labels, .nlabels = nl};
				struct issue out;
				if (svc_issue_update(OP(st, actor), i->number, &in, -1, &out, &e))
					rc = cli_fail(&e);
				issue_release(&out);
				made++;
				continue;
			}
			if (!active) {
				/* a published post, dated on the due day, as the team wrote it */
				struct cl_entry ce = {(char *)i->title, desc, body, (ms[k].m.due_day * 86400 + 43200) * 1000LL,
						      (char **)authors, na, (char *[]){"changelog"}, 1,
						      (char **)issues, 1};
				char *text = cl_format(&ce), name[128], slug[CL_SLUG_MAX + 1];
				struct cl_import_result res;
				if (!text) {
					rc = 4;
					break;
				}
				cl_slug(i->title, slug, sizeof slug);
				cl_filename(ce.date_ms, slug, name, sizeof name);
				struct cl_file f = {name, text, strlen(text), ms[k].m.id};
				if (svc_cl_import(OP(st, actor), &f, 1, &res, &e))
					rc = cli_fail(&e);
				else
					cl_import_result_free(&res);
				free(text);
			} else {
				/* the current milestone: two in review, one draft */
				char mid[24];
				struct changelog_row row;
				snprintf(mid, sizeof mid, "%lld", (long long)ms[k].m.id);
				struct cl_input in = {
					.set = CL_IN_TITLE | CL_IN_DESCRIPTION | CL_IN_BODY |
					       CL_IN_MILESTONE | CL_IN_AUTHORS | CL_IN_ISSUES,
					.title = i->title, .description = desc, .body = body,
					.milestone = mid, .authors = authors, .nauthors = na,
					.issues = issues, .nissues = 1};
				struct user author;
				if (svc_user_get(OP(st, NULL), authors[0], &author, &e) ||
				    svc_cl_create(OP(st, &author), &in, &row, &e)) {
					rc = cli_fail(&e);
					break;
				}
				int64_t id = row.id;
				changelog_row_release(&row);
				if (made < 2 &&
				    svc_cl_transition(OP(st, &author), id, "in_review", -1, &row, &e))
					rc = cli_fail(&e);
				changelog_row_release(&row);
			}
			made++;
		}
		cl_notes_release(&notes);
	}
	free(ms);
	struct sla sla;
	if (!rc && svc_settings_set(OP(st, actor), &(struct settings_input){NULL, SVC_UNSET, 1, NULL, 1, SVC_UNSET}, &sla, &e))
		rc = cli_fail(&e);
	return rc;
}

/* The demo's strategy: a document with a few versions, objectives with key
 * results, pillars' intended shares, initiatives over the area epics in
 * every horizon, status and health, with health updates by their owners. */
static const char *const strategy_versions[] = {
	"# Product strategy\n\nWe help operations teams keep their fleets of connected devices "
	"running, and fix what breaks before their own customers notice.\n\n## Where we play\n\n"
	"Companies with 1,000 to 100,000 devices in the field: energy, logistics, buildings.\n",
	"# Product strategy\n\nWe help operations teams keep their fleets of connected devices "
	"running, and fix what breaks before their own customers notice.\n\n## Where we play\n\n"
	"Companies with 1,000 to 100,000 devices in the field: energy, logistics, buildings; and "
	"their enterprise customers' security teams.\n\n## How we win\n\n- Trust: every change "
	"audited, SSO everywhere\n- Safe rollouts: no firmware reaches a whole fleet at once\n",
	"# Product strategy\n\nWe help operations teams keep their fleets of connected devices "
	"running, and fix what breaks before their own customers notice.\n\n## Where we play\n\n"
	"Companies with 1,000 to 100,000 devices in the field: energy, logistics, buildings; and "
	"their enterprise customers' security teams.\n\n## How we win\n\n- Trust: every change "
	"audited, SSO everywhere\n- Safe rollouts: no firmware reaches a whole fleet at once\n- "
	"Self-serve: a team sees its first device online on day one without talking to us\n\n"
	"## What we will not do\n\nBuild our own hardware; on-premise installs before 2028.\n",
	NULL};

static const struct demo_initiative {
	const char *title, *description, *owner, *horizon, *status, *health, *update;
	int pillar, start, target; /* pillar index; days from today */
	int public;
} demo_initiatives[] = {
	{"Enterprise single sign-on", "SAML and SCIM for every plan above Starter.", "pia", "now",
	 "active", "on_track", "SCIM provisioning merged; SAML in review.", 0, -60, 45, 1},
	{"Audit everything", "Every change, export and login in one audit log.", "cora", "next",
	 "planned", NULL, NULL, 0, 20, 150, 0},
	{"Self-serve onboarding", "A new team sees its first device online within ten minutes.", "pia",
	 "now", "active", "at_risk", "The import wizard slipped a milestone.", 1, -40, 20, 1},
	{"Usage-based billing", "Pay for the device hours you run.", "emil", "later", "planned", NULL,
	 NULL, 1, 120, 300, 0},
	{"Public API v2", "A REST API our customers build on.", "eli", "now", "active",
	 "off_track", "Blocked on the auth rework.", 2, -90, 10, 1},
	{"Plugin platform", "Let partners ship integrations.", "cora", "later", "planned", NULL,
	 NULL, 2, 200, 400, 1},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0},
};

/* An epic the generator filed: its number and its area's pillar. */
struct demo_epic {
	int64_t number;
	int pillar; /* index into demo_pillars, -1 none */
};

static int add_strategy(struct store *st, const struct user *actor,
			const struct demo_epic *epics, size_t nepics)
{
	struct err e;
	struct pillar *pillars = NULL;
	struct area_stats *areas = NULL;
	size_t np = 0, na = 0;
	int64_t today = day_of_ms(now_ms()), ids[8] = {0};
	int rc = 0;
	struct user pia;
	err_clear(&e);
	if (svc_user_get(OP(st, NULL), "pia", &pia, &e))
		return cli_fail(&e);
	for (int k = 0; strategy_versions[k]; k++) {
		int64_t v;
		int created;
		if (svc_strategy_save(OP(st, &pia), strategy_versions[k], k ? "sharper" : "first draft", &v,
				      &created, &e))
			return cli_fail(&e);
	}
	if (svc_strategy_review(OP(st, &pia), 90, &e) ||
	    svc_pillars(OP(st, actor), &pillars, &np, &areas, &na, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	/* the demo's pillars in demo_pillars order (the list comes by name) */
	int64_t pid[3] = {0, 0, 0};
	for (size_t k = 0; k < np; k++)
		for (int j = 0; j < 3 && demo_pillars[j]; j++)
			if (!strcmp(pillars[k].name, demo_pillars[j]))
				pid[j] = pillars[k].id;
	static const char *const shares[] = {"30", "45", "25"};
	for (int k = 0; k < 3; k++) {
		struct pillar p;
		if (pid[k] && svc_pillar_update(OP(st, actor), pid[k], NULL, NULL, shares[k], &p, &e)) {
			rc = cli_fail(&e);
			goto out;
		}
	}
	/* objectives with key results */
	static const struct {
		const char *title, *period, *metric, *baseline, *target, *current;
	} objectives[] = {
		{"Win the enterprise segment", "2027", "Enterprise ARR (k$)", "1200", "2500", "1650"},
		{"Teams succeed on their own", "2027 H1", "Teams active in week one (%)", "38", "60",
		 "44.5"},
		{"Become a platform", "2027", "Monthly API calls (millions)", "12", "40", "15.2"},
	};
	int64_t obj[3];
	for (int k = 0; k < 3; k++) {
		struct objective_input in = {objectives[k].title, "", objectives[k].period, &pid[k],
					     pid[k] ? 1 : 0, 1};
		struct objective o;
		struct key_result kr;
		struct kr_input kin = {objectives[k].metric, objectives[k].baseline, objectives[k].target,
				       objectives[k].current, NULL};
		if (svc_objective_save(OP(st, actor), 0, &in, &o, &e) ||
		    svc_kr_save(OP(st, actor), o.id, 0, &kin, &kr, &e)) {
			rc = cli_fail(&e);
			goto out;
		}
		obj[k] = o.id;
	}
	/* initiatives, their epics by the pillar of each epic's area */
	size_t ni = 0;
	for (const struct demo_initiative *d = demo_initiatives; d->title; d++, ni++) {
		char pillar[24], start[16], target[16];
		snprintf(pillar, sizeof pillar, "%lld", (long long)pid[d->pillar]);
		day_format(today + d->start, start, sizeof start);
		day_format(today + d->target, target, sizeof target);
		int64_t o = obj[d->pillar % 3];
		struct initiative_input in = {
			.set = INI_TITLE | INI_DESCRIPTION | INI_OWNER | INI_HORIZON | INI_START |
			       INI_TARGET | INI_STATUS | INI_PUBLIC | INI_OBJECTIVES | (pid[d->pillar] ? INI_PILLAR : 0),
			.title = d->title, .description = d->description, .owner = d->owner,
			.pillar = pillar, .horizon = d->horizon, .start = start, .target = target,
			.status = d->status, .is_public = d->public, .objectives = &o, .nobjectives = 1};
		struct initiative out;
		if (svc_initiative_save(OP(st, &pia), 0, &in, -1, &out, &e)) {
			rc = cli_fail(&e);
			goto out;
		}
		ids[ni] = out.id;
		if (d->health) {
			struct user owner;
			if (svc_user_get(OP(st, NULL), d->owner, &owner, &e) ||
			    svc_initiative_post(OP(st, &owner), out.id, d->health, d->update, &e)) {
				rc = cli_fail(&e);
				goto out;
			}
		}
	}
	/* each epic with an area goes to an initiative of its pillar, in turn:
	 * at most 500 epics, newest first, spread evenly over the whole year of
	 * the demo when there are more, so the done work of every past
	 * milestone counts towards initiatives and pillars (allocation), not
	 * only the newest */
	int turn[3] = {0, 0, 0};
	size_t pick = nepics < 500 ? nepics : 500;
	for (size_t i = 0; i < pick && !rc; i++) {
		const struct demo_epic *ep = &epics[nepics - 1 - i * nepics / pick];
		int pi = ep->pillar;
		if (pi < 0 || pi > 2 || !pid[pi] || i % 3 == 2) /* some epics stay outside any initiative */
			continue;
		/* the pillar's initiatives: two each, in table order */
		size_t cand[2], nc = 0;
		for (size_t j = 0; j < ni && nc < 2; j++)
			if (demo_initiatives[j].pillar == pi)
				cand[nc++] = j;
		if (!nc)
			continue;
		size_t j = cand[turn[pi]++ % nc];
		if (svc_initiative_epic(OP(st, &pia), ids[j], ep->number, 1, &e)) {
			rc = cli_fail(&e);
			goto out;
		}
	}
out:
	free(pillars);
	free(areas);
	return rc;
}

/* The demo's decision log: a dozen decisions on the top of the backlog,
 * most accepted, one rejected, two superseded, a few still proposed; the
 * first one's issue then gets more asks, so its "then vs today" shows. */
static const struct demo_decision {
	const char *title, *context, *options, *decision, *consequences, *accountable;
	int status;     /* 0 proposed, 1 accepted, 2 rejected */
	int supersedes; /* 1-based index of an earlier one, 0 none */
	const char *about; /* a query for the issue it is about; NULL: the backlog's top */
} demo_decisions[] = {
	{"Schedule a rising customer ask for next quarter",
	 "More customers ask for it every month; it is not on the roadmap yet.",
	 "[{\"title\":\"Next milestone\",\"pros\":\"Answers the customers now\",\"cons\":\"Delays the API work\"},"
	 "{\"title\":\"Next quarter\",\"pros\":\"Keeps the plan\",\"cons\":\"Customers wait\"}]",
	 "Next quarter: the coming milestones are full.",
	 "The PM tells the customers who asked; revisit if demand doubles.", "pia", 1, 0, NULL},
	{"Put SSO in Premium, not Enterprise", "Managers ask for it far more than executives.",
	 "[{\"title\":\"Premium\",\"pros\":\"Follows the buyers\",\"cons\":\"Less Enterprise upsell\"},"
	 "{\"title\":\"Enterprise\",\"pros\":\"Upsell lever\",\"cons\":\"Mid-size teams churn\"}]",
	 "SSO ships in Premium.", "Enterprise keeps SCIM and audit export.", "cora", 1, 0, "SAML type:story"},
	{"Drop the legacy v1 API in 2027", "Two customers still call it daily.",
	 "[{\"title\":\"Drop in Q2\",\"pros\":\"Less to maintain\",\"cons\":\"Two migrations\"},"
	 "{\"title\":\"Keep\",\"pros\":\"No churn risk\",\"cons\":\"Slows v2\"}]",
	 "Deprecate now, remove in Q2 2027.", "Support writes a migration guide.", "cora", 1, 0, "label:area:api type:epic"},
	{"Charge per monitored device", "Seats do not follow value for small teams.",
	 "[{\"title\":\"Per device\",\"pros\":\"Fair\",\"cons\":\"Harder to forecast\"}]",
	 "Not now: revisit with usage data.", "", "pia", 2, 0, "label:area:billing type:epic"},
	{"Dashboards load in under one second", "The slowest page decides how the product feels.",
	 "[]", "A 1 s budget for every dashboard, enforced in CI.", "Perf tests in the pipeline.",
	 "cora", 1, 0, "label:area:dashboard type:epic"},
	{"Remove the legacy v1 API at the end of Q1", "A big customer needs one more quarter.", "[]",
	 "Remove at the end of Q1 2027 instead.", "", "cora", 1, 3, "label:area:api type:epic"},
	{"Dark mode is a Starter feature", "Individual users ask for it.", "[]",
	 "Every plan gets dark mode.", "", "pia", 1, 0, "Dark mode type:story"},
	{"Public roadmap", "Customers ask what comes next.", "[]", "Publish initiatives marked public.",
	 "The PM reviews the public list monthly.", "pia", 1, 0, NULL},
	{"Dashboards load in under 500 ms", "Competitors got faster.", "[]",
	 "Halve the budget to 500 ms.", "", "cora", 1, 5, "label:area:dashboard type:epic"},
	{"On-call schedules in the free plan", "Trials need them to see value.", "[]", "", "", "pia", 0, 0, "On-call type:story"},
	{"Weekly releases", "Milestones are four weeks; hotfixes are not.", "[]", "", "", "emil", 0, 0, "label:area:deploy type:epic"},
	{"Retire the Slack v1 app", "Slack ends support next year.", "[]", "", "", "pia", 0, 0, "Slack type:story"},
	{"EU data residency", "Three strategic customers asked this quarter.", "[]",
	 "Offer an EU region to Enterprise.", "", "cora", 1, 0, NULL},
	{NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL},
};

static int add_decisions(struct store *st, const struct user *actor)
{
	struct backlog b;
	struct err e;
	struct user pia;
	int64_t ids[16] = {0};
	int rc = 0;
	err_clear(&e);
	if (svc_user_get(OP(st, NULL), "pia", &pia, &e) || svc_backlog(OP(st, actor), "demand", &b, &e))
		return cli_fail(&e);
	/* the first decision's issue: a feature a few places down the backlog,
	 * whose demand doubles after it */
	size_t rising_at = 0;
	for (size_t j = 4; j < b.n && !rising_at; j++)
		if (b.items[j].type == ISSUE_FEATURE)
			rising_at = j;
	int64_t rising = b.n ? b.items[rising_at].number : 0;
	for (int k = 0; demo_decisions[k].title && !rc; k++) {
		const struct demo_decision *d = &demo_decisions[k];
		const char *resp[] = {"pia"}, *acc[] = {d->accountable}, *cons[] = {"emil"},
			   *inf[] = {"eli", "vic"};
		int64_t issue = b.n ? b.items[k % b.n].number : 0;
		if (k == 0)
			issue = rising;
		struct issue_list about;
		int64_t nabout;
		if (d->about && !svc_issue_list(OP(st, actor), d->about, 1, 1, &about, &nabout, &e)) {
			/* the newest issue it is about; none in a small demo */
			issue = about.n ? about.items[0].number : 0;
			issue_list_release(&about);
		}
		struct decision_input in = {
			.set = DEC_TITLE | DEC_CONTEXT | DEC_OPTIONS | DEC_DECISION | DEC_CONSEQUENCES |
			       DEC_RACI | (issue ? DEC_ISSUES : 0) | (d->supersedes ? DEC_SUPERSEDES : 0),
			.title = d->title, .context = d->context, .options = d->options,
			.decision = d->decision, .consequences = d->consequences,
			.raci = {resp, acc, cons, inf}, .nraci = {1, 1, 1, 2},
			.issues = &issue, .nissues = issue ? 1 : 0,
			.supersedes = d->supersedes ? ids[d->supersedes - 1] : 0};
		struct decision_view v;
		if (svc_decision_save(OP(st, &pia), 0, &in, -1, &v, &e)) {
			rc = cli_fail(&e);
			break;
		}
		ids[k] = v.d.id;
		decision_view_release(&v);
		if (d->status &&
		    svc_decision_status(OP(st, &pia), ids[k], d->status == 1 ? "accepted" : "rejected", -1,
					&v, &e)) {
			rc = cli_fail(&e);
			break;
		}
		if (d->status)
			decision_view_release(&v);
	}
	/* the first decision's issue: more asks since, so its evidence moved */
	for (int k = 0; !rc && b.n && k < 6; k++) {
		static const char *const again[] = {
			"Asked again on the quarterly call", "Raised again at the renewal meeting",
			"Escalated by their account manager", "Came up again in the QBR",
			"Asked again by their CTO", "Raised again on a support call"};
		struct demo_insight d = {.source = "call", .customer = demo_customers[k].name,
					 .persona = "", .opener = again[k]};
		snprintf(d.title, sizeof d.title, "%s", d.opener);
		demo_insight_about(&d, b.items[rising_at].title);
		struct insight_input in = {"call", NULL, demo_customers[k].name, NULL, d.title, d.body,
					   NULL, NULL, NULL};
		struct insight out;
		if (svc_insight_add(OP(st, actor), &in, &out, &e) ||
		    svc_insight_link(OP(st, actor), out.id, rising, "critical", &e))
			rc = cli_fail(&e);
		insight_release(&out);
	}
	backlog_release(&b);
	return rc;
}

/* A few conversations: on three open bugs and a security issue, with
 * @mentions and #N references (one from a public bug to the private issue,
 * which only those who may see it get as a link), and one edited comment.
 * {1}..{4} in the text are the issues' numbers.  The comments notify their
 * watchers and the users they mention (svc_notify.c); the demo's admin
 * watches the bugs too, and has read the oldest two of what it was told. */
static const struct demo_comment {
	int on; /* 0..2 the bugs, 3 the security issue */
	const char *who, *text;
} demo_comments[] = {
	{0, "uma", "Reproduced on staging on the first try, exactly as in the steps above. It does "
		   "not happen on 2.28, so it came with a recent change.\n\n@eli you touched this "
		   "code last milestone, can you take it?"},
	{0, "eli", "Found it: a regression from the refactor in 2.29, and #{2} has the same cause. "
		   "The fix is small and comes with a test. @sam can you review?"},
	{0, "sam", "Reviewed and approved. Add a line to the release notes so support can tell "
		   "the customers who reported it."},
	{1, "noor", "Once #{1} lands I will add a clear error message here instead of failing "
		    "silently. cc @pia"},
	{1, "pia", "Two Enterprise customers asked about this on calls this week, so it goes into "
		   "the current milestone."},
	{3, "cora", "Impact confirmed; keep the details here. #{3} is public and touches the same "
		    "code, so do not describe the vector there. @chen please own the fix."},
	{2, "erin", "Triaged. The deeper fix is tracked as #{4}. @uma please verify once it "
		    "ships."},
	{-1, NULL, NULL},
};

/* actor has read the oldest n of their notifications. */
static int read_oldest(struct store *st, const struct user *actor, size_t n)
{
	struct notification *x;
	size_t got;
	int more;
	int64_t unread, ids[8];
	struct err e;
	err_clear(&e);
	if (svc_notify_list(OP(st, actor), 0, 1, &x, &got, &more, &unread, &e))
		return cli_fail(&e);
	size_t k = 0;
	for (; k < n && k < got && k < 8; k++)
		ids[k] = x[got - 1 - k].id;
	free(x);
	if (k && svc_notify_read(OP(st, actor), ids, k, 0, &unread, &e))
		return cli_fail(&e);
	return 0;
}

static int add_comments(struct store *st, const struct user *actor)
{
	struct issue_list bugs, sec;
	int64_t total;
	struct err e;
	int rc = 0;
	err_clear(&e);
	if (svc_issue_list(OP(st, actor), "type:bug is:open", 1, 3, &bugs, &total, &e))
		return cli_fail(&e);
	/* the security report: one of the first bug's area, if there is one */
	char q[96] = "type:security";
	for (size_t k = 0; bugs.n && k < bugs.items[0].nlabels; k++)
		if (!strncmp(bugs.items[0].labels[k], "area:", 5))
			snprintf(q, sizeof q, "type:security is:open label:%.60s", bugs.items[0].labels[k]);
	int failed = svc_issue_list(OP(st, actor), q, 1, 1, &sec, &total, &e);
	if (!failed && !sec.n) {
		issue_list_release(&sec);
		failed = svc_issue_list(OP(st, actor), "type:security", 1, 1, &sec, &total, &e);
	}
	if (failed) {
		issue_list_release(&bugs);
		return cli_fail(&e);
	}
	char num[4][24];
	int64_t on[4] = {0};
	for (size_t k = 0; k < 3 && k < bugs.n; k++)
		on[k] = bugs.items[k].number;
	on[3] = sec.n ? sec.items[0].number : 0;
	for (int k = 0; k < 4; k++)
		snprintf(num[k], sizeof num[k], "%" PRId64, on[k]);
	int64_t second = 0;
	for (int k = 0; k < 3 && on[k] && !rc; k++) {
		struct watch_state w;
		if (svc_watch(OP(st, actor), on[k], 1, &w, &e))
			rc = cli_fail(&e);
		watch_state_release(&w);
	}
	for (int k = 0; demo_comments[k].who && !rc; k++) {
		const struct demo_comment *d = &demo_comments[k];
		struct user who;
		struct comment c;
		char text[600];
		if (!on[d->on] || !on[0] || !on[1] || !on[2] || !on[3])
			continue;
		size_t n = 0;
		for (const char *p = d->text; *p && n + 24 < sizeof text; p++) {
			if (p[0] == '{' && p[1] >= '1' && p[1] <= '4' && p[2] == '}') {
				n += (size_t)snprintf(text + n, sizeof text - n, "%s", num[p[1] - '1']);
				p += 2;
			} else {
				text[n++] = *p;
			}
		}
		text[n] = 0;
		if (svc_user_get(OP(st, NULL), d->who, &who, &e) ||
		    svc_comment_add(OP(st, &who), on[d->on], text, &c, &e)) {
			rc = cli_fail(&e);
			break;
		}
		if (k == 1)
			second = c.id;
		comment_release(&c);
		if (k == 1) { /* eli adds the estimate: an edited comment */
			char more[700];
			snprintf(more, sizeof more, "%s\n\nEdit: about half a day with tests.", text);
			if (svc_comment_edit(OP(st, &who), second, more, -1, &c, &e))
				rc = cli_fail(&e);
			else
				comment_release(&c);
		}
	}
	issue_list_release(&bugs);
	issue_list_release(&sec);
	return rc ? rc : read_oldest(st, actor, 2);
}

/* The demo's estimation sessions: three closed ones from the last weeks
 * (a clear consensus, a re-vote after a wide spread, a CTO override), an
 * open live one with two hidden votes, and an async one still taking
 * votes.  Past sessions are written with the clock set back. */
struct demo_vote {
	const char *who, *size;
};

static int demo_round(struct store *st, const struct user *fac, int64_t id, int64_t n,
		      const struct demo_vote *votes, int reveal, struct err *e)
{
	struct est_view v;
	for (int k = 0; votes[k].who; k++) {
		struct user u;
		if (svc_user_get(OP(st, NULL), votes[k].who, &u, e) ||
		    svc_est_act(OP(st, &u), id, n, EST_VOTE, votes[k].size, &v, e))
			return e->code;
		est_view_release(&v);
	}
	if (reveal) {
		if (svc_est_act(OP(st, fac), id, n, EST_REVEAL, NULL, &v, e))
			return e->code;
		est_view_release(&v);
	}
	return 0;
}

static int demo_session(struct store *st, const char *title, const char *fac_login,
			const int64_t *issues, size_t n, int async, int64_t *id, struct err *e)
{
	struct user fac;
	struct est_view v;
	const char *people[] = {"eli", "noor", "sam", "uma", "cora"};
	struct est_input in = {.title = title, .mode = async ? "async" : NULL, .issues = issues,
			       .nissues = n, .participants = people, .nparticipants = 5};
	if (svc_user_get(OP(st, NULL), fac_login, &fac, e) || svc_est_create(OP(st, &fac), &in, &v, e))
		return e->code;
	*id = v.s.id;
	est_view_release(&v);
	return 0;
}

static int demo_final(struct store *st, const char *login, int64_t id, int64_t n, const char *size,
		      struct err *e)
{
	struct user u;
	struct est_view v;
	if (svc_user_get(OP(st, NULL), login, &u, e) || svc_est_act(OP(st, &u), id, n, EST_FINAL, size, &v, e))
		return e->code;
	est_view_release(&v);
	return 0;
}

static int demo_close(struct store *st, const char *login, int64_t id, struct err *e)
{
	struct user u;
	struct est_view v;
	if (svc_user_get(OP(st, NULL), login, &u, e) || svc_est_close(OP(st, &u), id, &v, e))
		return e->code;
	est_view_release(&v);
	return 0;
}

static int demo_current(struct store *st, const char *login, int64_t id, int64_t n,
			struct err *e)
{
	struct user u;
	struct est_view v;
	if (svc_user_get(OP(st, NULL), login, &u, e) || svc_est_current(OP(st, &u), id, n, -1, &v, e))
		return e->code;
	est_view_release(&v);
	return 0;
}

/* Saved views (#17): a PM's shared ones, and an engineer's own. */
static int add_views(struct store *st)
{
	static const struct {
		const char *owner, *name, *query, *sort;
		int shared;
	} views[] = {
		{"pia", "Customer asks", "is:open label:\"Customer Request\"", "demand-desc", 1},
		{"pia", "Next, nobody on it", "is:open board:next no:assignee", "", 1},
		{"pia", "Open bugs", "is:open type:bug", "updated-desc", 1},
		{"eli", "My work", "is:open assignee:@me", "updated-desc", 0},
	};
	struct err e;
	for (size_t k = 0; k < sizeof views / sizeof views[0]; k++) {
		struct user u;
		struct saved_view out;
		struct view_input in = {views[k].name, views[k].query, views[k].sort, NULL, -1,
					views[k].shared};
		err_clear(&e);
		if (svc_user_get(OP(st, NULL), views[k].owner, &u, &e) ||
		    svc_view_save(OP(st, &u), 0, &in, &out, &e))
			return cli_fail(&e);
	}
	return 0;
}

static int add_estimation(struct store *st, const struct user *actor)
{
	static const struct demo_vote agree[] = {
		{"eli", "M"}, {"noor", "M"}, {"sam", "M"}, {"uma", "S"}, {"cora", "M"}, {NULL, NULL}};
	static const struct demo_vote wide[] = {
		{"eli", "S"}, {"noor", "XL"}, {"sam", "M"}, {"uma", "?"}, {"cora", "L"}, {NULL, NULL}};
	static const struct demo_vote again[] = {
		{"eli", "L"}, {"noor", "L"}, {"sam", "M"}, {"uma", "L"}, {"cora", "L"}, {NULL, NULL}};
	static const struct demo_vote low[] = {
		{"eli", "S"}, {"noor", "S"}, {"sam", "M"}, {"uma", "S"}, {NULL, NULL}};
	static const struct demo_vote two[] = {{"eli", "M"}, {"sam", "L"}, {NULL, NULL}};
	struct issue_list l;
	struct err e;
	int64_t pick[10], id;
	size_t n = 0;
	int rc;
	err_clear(&e);
	/* open stories, the unsized first (what a team would size); a small
	 * demo has too few of those, so sized ones fill up */
	for (int sized = 0; sized < 2 && n < 10; sized++)
		for (int64_t page = 1; page <= 10 && n < 10; page++) {
			if (svc_issue_list(OP(st, actor), "is:open type:story", page, 100, &l, &id, &e))
				return cli_fail(&e);
			for (size_t k = 0; k < l.n && n < 10; k++)
				if (!l.items[k].size == !sized)
					pick[n++] = l.items[k].number;
			size_t got = l.n;
			issue_list_release(&l);
			if (got < 100)
				break;
		}
	if (n < 10)
		return 0; /* a tiny demo: no sessions */
	int64_t now = now_ms(), fixed = clock_is_fixed() ? now : 0;
	clock_fix(now - 21 * DAY_MS);
	rc = demo_session(st, "Sizing the stories at the top of the list", "emil", pick, 2, 0, &id, &e) ||
	     demo_round(st, NULL, id, pick[0], agree, 0, &e);
	if (!rc) {
		struct user emil;
		rc = svc_user_get(OP(st, NULL), "emil", &emil, &e) ||
		     demo_round(st, &emil, id, pick[0], (const struct demo_vote[]){{NULL, NULL}}, 1, &e) ||
		     demo_final(st, "emil", id, pick[0], "M", &e) ||
		     demo_round(st, &emil, id, pick[1], low, 1, &e) ||
		     demo_final(st, "emil", id, pick[1], "S", &e) || demo_close(st, "emil", id, &e);
	}
	clock_fix(now - 14 * DAY_MS);
	if (!rc) {
		struct user erin;
		struct est_view v;
		rc = demo_session(st, "A wide spread, then a second round", "erin", pick + 2, 1,
				  0, &id, &e) ||
		     svc_user_get(OP(st, NULL), "erin", &erin, &e) ||
		     demo_round(st, &erin, id, pick[2], wide, 1, &e) ||
		     svc_est_act(OP(st, &erin), id, pick[2], EST_REVOTE, NULL, &v, &e);
		if (!rc) {
			est_view_release(&v);
			rc = demo_round(st, &erin, id, pick[2], again, 1, &e) ||
			     demo_final(st, "erin", id, pick[2], "L", &e) || demo_close(st, "erin", id, &e);
		}
	}
	clock_fix(now - 7 * DAY_MS);
	if (!rc) {
		struct user emil;
		rc = demo_session(st, "Sizing with the CTO in the room", "emil", pick + 3, 2, 0, &id, &e) ||
		     svc_user_get(OP(st, NULL), "emil", &emil, &e) ||
		     demo_round(st, &emil, id, pick[3], low, 1, &e) ||
		     demo_final(st, "emil", id, pick[3], "S", &e) ||
		     /* the CTO knows the token store: it is bigger */
		     demo_final(st, "cora", id, pick[3], "L", &e) ||
		     demo_round(st, &emil, id, pick[4], agree, 1, &e) ||
		     demo_final(st, "emil", id, pick[4], "M", &e) || demo_close(st, "emil", id, &e);
	}
	clock_fix(fixed ? fixed : 0);
	if (!rc)
		rc = demo_session(st, "Next milestone: live sizing", "emil", pick + 5, 3, 0, &id, &e) ||
		     demo_current(st, "emil", id, pick[5], &e) ||
		     demo_round(st, NULL, id, pick[5], two, 0, &e) ||
		     demo_session(st, "Async: size these two by tomorrow", "pia", pick + 8,
				  2, 1, &id, &e) ||
		     demo_round(st, NULL, id, pick[8], two, 0, &e);
	return rc ? cli_fail(&e) : 0;
}

/* The demo's pricing: tiers on the features of the backlog, mostly as the
 * buyers behind them suggest, two placed higher on purpose. */
static int add_tiers(struct store *st, const struct user *actor)
{
	struct backlog b;
	struct err e;
	int rc = 0, placed = 0;
	err_clear(&e);
	if (svc_backlog(OP(st, actor), "demand", &b, &e))
		return cli_fail(&e);
	for (size_t k = 0; k < b.n && placed < 24 && !rc; k++) {
		int type = b.items[k].type;
		if (type != ISSUE_EPIC && type != ISSUE_STORY && type != ISSUE_FEATURE)
			continue;
		struct feature_tier_view v;
		if (svc_feature_tier(OP(st, actor), b.items[k].number, &v, &e)) {
			rc = cli_fail(&e);
			break;
		}
		int t = v.suggested >= 0 ? v.suggested : 1;
		const char *why = v.suggested >= 0 ? "Follows the buyers behind the asks."
						    : "No evidence yet; the middle plan until we learn more.";
		if (placed % 9 == 4 && t + 1 < v.tiers.n) {
			t++; /* a deliberate upsell lever */
			why = "Placed one tier up: an upsell lever for larger accounts.";
		}
		char tier[TIER_NAME_MAX + 1];
		snprintf(tier, sizeof tier, "%s", v.tiers.names[t]);
		feature_tier_view_release(&v);
		if (svc_feature_tier_set(OP(st, actor), b.items[k].number, tier, why, &v, &e))
			rc = cli_fail(&e);
		else
			feature_tier_view_release(&v);
		placed++;
	}
	backlog_release(&b);
	return rc;
}

/* The issue generator's state between batches of the import. */
struct demo_load {
	struct demo_gen g;
	long long total, done;
	struct demo_issue *gen;
	struct issue_import *recs;
	const char *(*labels)[4];
	char (*parents)[24];
	struct scope_import (*scopes)[DEMO_MILESTONES];
	struct demo_ids *ids;
	struct demo_epic *epics; /* for the initiatives */
	size_t nepics, cepics;
	int oom;
};

/* svc_import_next: the next BATCH generated issues as import records. */
static int next_batch(void *ctx, const struct issue_import **out, size_t *nout, struct err *e)
{
	struct demo_load *L = ctx;
	size_t n = 0;
	while (n < BATCH && demo_next(&L->g, &L->gen[n])) {
		struct demo_issue *d = &L->gen[n];
		to_import(d, &L->recs[n], L->labels[n], L->parents[n], L->ids, L->scopes[n]);
		if (!strcmp(d->type, "epic")) {
			if (L->nepics == L->cepics) {
				size_t grow = L->cepics ? L->cepics * 2 : 256;
				struct demo_epic *m = realloc(L->epics, grow * sizeof *m);
				if (!m) {
					L->oom = 1;
					return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				}
				L->epics = m, L->cepics = grow;
			}
			L->epics[L->nepics++] =
				(struct demo_epic){d->number, d->area >= 0 ? demo_area_pillar(d->area) : -1};
		}
		n++;
	}
	*out = L->recs;
	*nout = n;
	/* progress for a large demo, as batches are handed over */
	long long before = L->done;
	L->done += (long long)n;
	if (L->total >= 100000 && L->done / 100000 != before / 100000)
		fprintf(stderr, "cairn: %lld of %lld issues\n", L->done / 100000 * 100000, L->total);
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"issues", required_argument, 0, 'n'},
					     {"seed", required_argument, 0, 's'},
					     {"no-bulk", no_argument, 0, 'b'},
					     {0, 0, 0, 0}};
	const char *db = NULL;
	long long total = 200, seed = 42;
	int c, rc, bulk = 1;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		errno = 0;
		if (c == 'd')
			db = optarg;
		else if (c == 'b')
			bulk = 0;
		else if (c == 'n' && (total = strtoll(optarg, &end, 10), !*end && !errno) &&
			 total >= 0 && total <= 10000000)
			;
		else if (c == 's' && (seed = strtoll(optarg, &end, 10), !*end && !errno))
			;
		else
			return cli_usage("demo");
	}
	if (optind != argc)
		return cli_usage("demo");
	db = cli_db(db);

	struct store *st;
	struct user actor;
	struct err e;
	struct issue_list probe;
	int64_t existing;
	if ((rc = cli_open(db, 1, &st)))
		return rc;
	if ((rc = add_users(st)) || (rc = cli_actor(st, "admin", &actor)))
		goto out;
	err_clear(&e);
	if (svc_issue_list(OP(st, &actor), NULL, 1, 1, &probe, &existing, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	issue_list_release(&probe);
	if (existing) {
		fprintf(stderr, "cairn: %s already has issues; the demo needs an empty database\n", db);
		rc = 2;
		goto out;
	}

	struct demo_load L = {.total = total};
	L.gen = calloc(BATCH, sizeof *L.gen);
	L.recs = calloc(BATCH, sizeof *L.recs);
	L.labels = calloc(BATCH, sizeof *L.labels);
	L.parents = calloc(BATCH, sizeof *L.parents);
	L.scopes = calloc(BATCH, sizeof *L.scopes);
	L.ids = calloc(1, sizeof *L.ids);
	if (!L.gen || !L.recs || !L.labels || !L.parents || !L.scopes || !L.ids) {
		fprintf(stderr, "cairn: out of memory\n");
		rc = 4;
		goto free_out;
	}
	demo_init(&L.g, (uint64_t)seed, total, now_ms());
	if ((rc = add_planning(st, &actor, &L.g, L.ids)))
		goto free_out;
	err_clear(&e);
	if (bulk) { /* one transaction, derived data built once (svc_issue_import_bulk) */
		if (svc_issue_import_bulk(OP(st, &actor), next_batch, &L, &e)) {
			rc = L.oom ? 4 : cli_fail(&e);
			goto free_out;
		}
	} else { /* a transaction per batch, everything kept in step per issue */
		const struct issue_import *recs;
		size_t n;
		while (!next_batch(&L, &recs, &n, &e) && n)
			if (svc_issue_import(OP(st, &actor), recs, n, &e)) {
				rc = cli_fail(&e);
				goto free_out;
			}
		if (L.oom) {
			rc = 4;
			goto free_out;
		}
	}
	long long done = L.done;
	if ((rc = add_history(st, done)) || (rc = add_insights(st, &actor, &L.g, done)) ||
	    (rc = add_changelog(st, &actor)) || (rc = add_strategy(st, &actor, L.epics, L.nepics)) ||
	    (rc = add_decisions(st, &actor)) || (rc = add_tiers(st, &actor)) ||
	    (rc = add_estimation(st, &actor)) || (rc = add_comments(st, &actor)) ||
	    (rc = add_views(st)))
		goto free_out;
	int nusers = 0;
	while (demo_users[nusers].login)
		nusers++;
	printf("cairn: demo product created in %s: %lld issues, %d users, %d milestones "
	       "(%d closed, 1 running, %d next)\n",
	       db, done, nusers, DEMO_MILESTONES, DEMO_CURRENT, DEMO_MILESTONES - DEMO_CURRENT - 1);
	printf("cairn: log in as admin (or pia, cora, emil, eli, vic ...) with password %s\n",
	       DEMO_PASSWORD);
free_out:
	free(L.epics);
	free(L.scopes);
	free(L.ids);
	free(L.gen);
	free(L.recs);
	free(L.labels);
	free(L.parents);
out:
	svc_close(st);
	return rc;
}
