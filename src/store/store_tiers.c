/*
 * store_tiers.c — features' pricing tiers, the asks behind them (buyers and
 * customers' tiers) and the tier changes of a period (store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calibration.h"
#include "store/store_int.h"

static void copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void rule_on(const struct visibility *v, const char *alias, char *buf, size_t cap)
{
	if (v->all_private)
		snprintf(buf, cap, "1 = 1");
	else
		snprintf(buf, cap, "(%s.type <> " SECURITY_TYPE " OR %s.reporter_id = %lld)", alias,
			 alias, (long long)v->user_id);
}

#define TIER_COLS                                                                           \
	"SELECT ft.issue_id, i.number, ft.set_at, COALESCE(i.milestone_id, 0), i.type, i.state," \
	" ft.tier, i.title, ft.rationale, u.login FROM feature_tiers ft"                       \
	" JOIN issues i ON i.id = ft.issue_id LEFT JOIN users u ON u.id = ft.set_by"

static int read_tier(struct store *s, struct db_rows *r, void *item)
{
	struct feature_tier *f = item;
	f->issue_id = s->drv->get_int(r, 0);
	f->number = s->drv->get_int(r, 1);
	f->set_at = s->drv->get_int(r, 2);
	f->milestone_id = s->drv->get_int(r, 3);
	f->type = (int)s->drv->get_int(r, 4);
	f->state = (int)s->drv->get_int(r, 5);
	copy_text(f->tier, sizeof f->tier, s->drv->get_text(r, 6));
	copy_text(f->title, sizeof f->title, s->drv->get_text(r, 7));
	copy_text(f->rationale, sizeof f->rationale, s->drv->get_text(r, 8));
	copy_text(f->set_by, sizeof f->set_by, s->drv->get_text(r, 9));
	return 0;
}

int store_feature_tier(struct store *s, int64_t issue_id, struct feature_tier *out, int *found,
		       struct err *e)
{
	struct feature_tier *rows = NULL;
	size_t n = 0;
	struct db_param p[] = {P_INT(issue_id)};
	int rc = store_collect(s, TIER_COLS " WHERE ft.issue_id = $1", p, 1, sizeof *rows, read_tier,
			       store_free_items, (void **)&rows, &n, e);
	memset(out, 0, sizeof *out);
	*found = !rc && n == 1;
	if (*found)
		*out = rows[0];
	free(rows);
	return rc;
}

int store_feature_tier_set(struct store *s, int64_t issue_id, const char *tier,
			   const char *rationale, int64_t by, int64_t at, struct err *e)
{
	struct db_param d[] = {P_INT(issue_id)};
	int rc = store_run(s, "DELETE FROM feature_tiers WHERE issue_id = $1", d, 1, NULL, e);
	if (!rc && tier) {
		struct db_param p[] = {P_INT(issue_id), P_TEXT(tier), P_TEXT(rationale ? rationale : ""),
				       P_INT0(by), P_INT(at)};
		rc = store_run(s,
			       "INSERT INTO feature_tiers (issue_id, tier, rationale, set_by, set_at)"
			       " VALUES ($1, $2, $3, $4, $5)",
			       p, 5, NULL, e);
	}
	return rc;
}

int store_feature_tiers(struct store *s, const struct visibility *v, int64_t milestone,
			struct feature_tier **out, size_t *n, struct err *e)
{
	char sql[1024], rule[160];
	struct db_param p[] = {P_INT(milestone)};
	rule_on(v, "i", rule, sizeof rule);
	snprintf(sql, sizeof sql, TIER_COLS " WHERE %s AND ($1 = 0 OR i.milestone_id = $1)"
		 " ORDER BY i.number", rule);
	return store_collect(s, sql, p, 1, sizeof **out, read_tier, store_free_items, (void **)out, n,
			     e);
}

int store_tier_used(struct store *s, const char *tier, int64_t *n, struct err *e)
{
	struct db_param p[] = {P_TEXT(tier)};
	return store_one_int(s, "SELECT COUNT(*) FROM feature_tiers WHERE tier = $1", p, 1, n, e);
}

static int read_ask(struct store *s, struct db_rows *r, void *item)
{
	struct tier_ask *a = item;
	a->issue_id = s->drv->get_int(r, 0);
	a->number = s->drv->get_int(r, 1);
	a->buyer_level = (int)s->drv->get_int(r, 2);
	a->customer_id = s->drv->get_int(r, 3);
	a->arr = s->drv->get_int(r, 4);
	copy_text(a->customer, sizeof a->customer, s->drv->get_text(r, 5));
	copy_text(a->tier, sizeof a->tier, s->drv->get_text(r, 6));
	return 0;
}

int store_tier_asks(struct store *s, const struct visibility *v, int64_t issue_id,
		    struct tier_ask **out, size_t *n, struct err *e)
{
	char sql[1536], rule[160];
	struct db_param p[] = {P_INT(issue_id)};
	rule_on(v, "i", rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 "SELECT l.issue_id, i.number, COALESCE(pe.buyer_level, 0), COALESCE(c.id, 0),"
		 " COALESCE(c.arr, 0), c.name, c.tier FROM insight_links l"
		 " JOIN issues i ON i.id = l.issue_id JOIN insights n ON n.id = l.insight_id"
		 " LEFT JOIN personas pe ON pe.id = n.persona_id"
		 " LEFT JOIN customers c ON c.id = n.customer_id WHERE %s AND"
		 " (($1 > 0 AND l.issue_id = $1) OR ($1 = 0 AND l.issue_id IN"
		 " (SELECT issue_id FROM feature_tiers))) ORDER BY l.issue_id, n.id",
		 rule);
	return store_collect(s, sql, p, 1, sizeof **out, read_ask, store_free_items, (void **)out, n,
			     e);
}

static int read_move(struct store *s, struct db_rows *r, void *item)
{
	struct tier_move *m = item;
	m->number = s->drv->get_int(r, 0);
	m->at = s->drv->get_int(r, 1);
	copy_text(m->from, sizeof m->from, s->drv->get_text(r, 2));
	copy_text(m->to, sizeof m->to, s->drv->get_text(r, 3));
	copy_text(m->title, sizeof m->title, s->drv->get_text(r, 4));
	return 0;
}

int store_tier_moves(struct store *s, const struct visibility *v, int64_t from_ms, int64_t to_ms,
		     struct tier_move **out, size_t *n, struct err *e)
{
	char sql[1024], rule[160];
	struct db_param p[] = {P_INT(from_ms), P_INT(to_ms)};
	rule_on(v, "i", rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 /* from the features with a tier: the history index per issue */
		 "SELECT i.number, h.at, h.old_value, h.new_value, i.title FROM feature_tiers ft"
		 " JOIN history h ON h.issue_id = ft.issue_id JOIN issues i ON i.id = ft.issue_id"
		 " WHERE h.field = 'tier' AND h.old_value IS NOT NULL AND h.new_value IS NOT NULL"
		 " AND h.at >= $1 AND h.at < $2 AND %s ORDER BY h.id",
		 rule);
	return store_collect(s, sql, p, 2, sizeof **out, read_move, store_free_items, (void **)out, n,
			     e);
}

static int read_cycle(struct store *s, struct db_rows *r, void *item)
{
	struct cal_item *c = item;
	c->points = (int)s->drv->get_int(r, 0);
	c->started_day = s->drv->get_int(r, 1) / 86400000LL;
	c->done_day = s->drv->get_int(r, 2) / 86400000LL;
	return 0;
}

int store_cycle_items(struct store *s, const struct visibility *v, int64_t since_ms,
		      struct cal_item **out, size_t *n, struct err *e)
{
	char sql[768], rule[160];
	struct db_param p[] = {P_INT(since_ms)};
	rule_on(v, "i", rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 "SELECT CASE WHEN i.size > 0 THEN i.size ELSE i.pm_size END, i.started_at, i.done_at"
		 " FROM issues i WHERE i.done_at IS NOT NULL AND i.done_at >= $1 AND"
		 " i.started_at IS NOT NULL AND i.type <> 1 AND (i.size > 0 OR i.pm_size > 0) AND %s",
		 rule);
	return store_collect(s, sql, p, 1, sizeof **out, read_cycle, store_free_items, (void **)out,
			     n, e);
}

