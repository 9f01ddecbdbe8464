/*
 * svc_tiers.c — pricing tiers: the ordered tier list, a feature's tier and
 * rationale (PMs and admins decide; every change is in the issue's
 * history), the buyer-based open-core suggestion beside it, the tier
 * matrix of a release, and the upsell and mismatch signals.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "service/svc_int.h"


static int tiers_read(struct store *st, struct tier_list *out, struct err *e)
{
	char buf[512], why[128];
	int found, rc = store_setting_get(st, "tiers", buf, sizeof buf, &found, e);
	if (rc)
		return rc;
	out->n = tiers_parse(found ? buf : "Starter,Premium,Enterprise", out->names, why, sizeof why);
	if (out->n < 0)
		out->n = tiers_parse("Starter,Premium,Enterprise", out->names, why, sizeof why);
	return 0;
}

static int tier_index(const struct tier_list *t, const char *name)
{
	for (int k = 0; k < t->n; k++)
		if (!strcmp(t->names[k], name))
			return k;
	return -1;
}

int svc_tiers(const struct op *op, struct tier_list *out, struct err *e)
{
	struct store *st = op->st;
	int rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = tiers_read(st, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_tiers_set(const struct op *op, const char *const *names, size_t n,
		  struct tier_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	char text[TIERS_MAX * (TIER_NAME_MAX + 2) + 1] = "", why[128];
	struct tier_list cur;
	size_t len = 0;
	int rc;
	if ((rc = svc_allow(actor, P_TIERS_WRITE, e)))
		return rc;
	if (n > TIERS_MAX)
		return err_set(e, CAIRN_EINVALID, "tiers", "at most %d tiers", TIERS_MAX);
	for (size_t k = 0; k < n; k++) {
		if (!names[k] || strchr(names[k], ',') || strchr(names[k], '\n'))
			return err_set(e, CAIRN_EINVALID, "tiers", "a tier name has no comma or newline");
		len += (size_t)snprintf(text + len, sizeof text - len, "%s%.*s", k ? "," : "",
					TIER_NAME_MAX + 1, names[k]);
	}
	memset(out, 0, sizeof *out);
	int parsed = tiers_parse(text, out->names, why, sizeof why);
	if (parsed < 0)
		return err_set(e, CAIRN_EINVALID, "tiers", "%s", why);
	if (parsed != (int)n) /* an empty name at the end vanishes in the join */
		return err_set(e, CAIRN_EINVALID, "tiers", "a tier name is 1..%d bytes", TIER_NAME_MAX);
	out->n = parsed;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_lock_settings(st, e)) || (rc = tiers_read(st, &cur, e)))
		goto fail;
	for (int k = 0; k < cur.n; k++) {
		int64_t used;
		if (tier_index(out, cur.names[k]) >= 0)
			continue;
		if ((rc = store_tier_used(st, cur.names[k], &used, e)))
			goto fail;
		if (used) {
			rc = err_set(e, CAIRN_ECONFLICT, "tiers",
				     "%" PRId64 " features are in the tier '%s': move them before it goes",
				     used, cur.names[k]);
			goto fail;
		}
	}
	if ((rc = store_setting_set(st, "tiers", text, e)) || (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

void feature_tier_view_release(struct feature_tier_view *v)
{
	issue_release(&v->issue);
	memset(v, 0, sizeof *v);
}

/* The evidence of asks (already of one issue) into ev. */
static void evidence_of(const struct tier_list *t, const struct tier_ask *a, size_t n,
			struct tier_evidence *ev, int *customers)
{
	int64_t seen[256];
	int nseen = 0;
	memset(ev, 0, sizeof *ev);
	*customers = 0;
	for (size_t k = 0; k < n; k++) {
		if (a[k].buyer_level >= 1 && a[k].buyer_level <= 3)
			ev->by_level[a[k].buyer_level - 1]++;
		int ti = a[k].tier[0] ? tier_index(t, a[k].tier) : -1;
		if (ti >= 0)
			ev->by_tier[ti]++;
		if (a[k].customer_id) {
			int dup = 0;
			for (int j = 0; j < nseen && !dup; j++)
				dup = seen[j] == a[k].customer_id;
			if (!dup && nseen < 256)
				seen[nseen++] = a[k].customer_id;
		}
	}
	*customers = nseen;
}

static int allowed_type(int type)
{
	return type == ISSUE_EPIC || type == ISSUE_STORY || type == ISSUE_FEATURE;
}

static int view_fill(const struct op *op, int64_t number,
		     struct feature_tier_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct tier_ask *asks = NULL;
	size_t n = 0;
	int rc;
	if ((rc = store_issue_get(st, number, &v, &out->issue, e)) ||
	    (rc = tiers_read(st, &out->tiers, e)) ||
	    (rc = store_feature_tier(st, out->issue.id, &out->tier, &out->has_tier, e)) ||
	    (rc = store_tier_asks(st, &v, out->issue.id, &asks, &n, e)))
		return rc;
	evidence_of(&out->tiers, asks, n, &out->evidence, &out->customers);
	out->asks = (int)n;
	const char *names[TIERS_MAX];
	for (int k = 0; k < out->tiers.n; k++)
		names[k] = out->tiers.names[k];
	out->suggested = tier_suggest(&out->evidence, names, out->tiers.n, out->reason,
				      sizeof out->reason);
	out->disagrees = out->has_tier && out->suggested >= 0 &&
			 tier_index(&out->tiers, out->tier.tier) != out->suggested;
	free(asks);
	return 0;
}

int svc_feature_tier(const struct op *op, int64_t number,
		     struct feature_tier_view *out, struct err *e)
{
	struct store *st = op->st;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = view_fill(op, number, out, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		feature_tier_view_release(out);
	}
	return rc;
}

int svc_feature_tier_set(const struct op *op, int64_t number,
			 const char *tier, const char *rationale, struct feature_tier_view *out,
			 struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int64_t now = op->now;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_TIERS_WRITE, e)))
		return rc;
	if (tier && (!rationale || !*rationale))
		return err_set(e, CAIRN_EINVALID, "rationale", "say why: a rationale is required");
	if (rationale && strlen(rationale) > 1000)
		return err_set(e, CAIRN_EINVALID, "rationale", "rationale is at most 1000 bytes");
	for (const char *p = rationale; p && *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			return err_set(e, CAIRN_EINVALID, "rationale", "rationale is text");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	/* the tier list too: a tier removed meanwhile must not be set */
	if ((rc = store_lock_settings(st, e)) || (rc = store_lock_row(st, ROW_ISSUE, number, e)) ||
	    (rc = view_fill(op, number, out, e)))
		goto fail;
	if (!allowed_type(out->issue.type)) {
		rc = err_set(e, CAIRN_EINVALID, "tier",
			     "#%" PRId64 " is a %s: tiers are for epics, stories and feature requests",
			     number, issue_type_name(out->issue.type));
		goto fail;
	}
	if (tier && tier_index(&out->tiers, tier) < 0) {
		char list[TIERS_MAX * (TIER_NAME_MAX + 2)] = "";
		size_t len = 0;
		for (int k = 0; k < out->tiers.n; k++)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "",
						out->tiers.names[k]);
		rc = err_set(e, CAIRN_EINVALID, "tier", "tier must be one of %s", list);
		goto fail;
	}
	const char *was = out->has_tier ? out->tier.tier : NULL;
	if ((was || tier) && (!was || !tier || strcmp(was, tier)) &&
	    (rc = store_history_add(st, out->issue.id, actor->id, now, "tier", was, tier, e)))
		goto fail;
	if (rationale && *rationale && (!out->has_tier || strcmp(out->tier.rationale, rationale)) &&
	    (rc = store_history_add(st, out->issue.id, actor->id, now, "tier_rationale",
				    out->has_tier && out->tier.rationale[0] ? out->tier.rationale : NULL,
				    rationale, e)))
		goto fail;
	if ((rc = store_feature_tier_set(st, out->issue.id, tier, rationale, actor->id, now, e)))
		goto fail;
	feature_tier_view_release(out);
	if ((rc = view_fill(op, number, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	feature_tier_view_release(out);
	return rc;
}

void tier_matrix_release(struct tier_matrix *m)
{
	free(m->features);
	free(m->suggested);
	free(m->moves);
	memset(m, 0, sizeof *m);
}

int svc_tier_matrix(const struct op *op, int64_t milestone,
		    struct tier_matrix *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct tier_ask *asks = NULL;
	size_t nasks = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = tiers_read(st, &out->tiers, e)) ||
	    (milestone && (rc = store_milestone_get(st, milestone, &out->m, e))) ||
	    (rc = store_feature_tiers(st, &v, milestone, &out->features, &out->n, e)) ||
	    (rc = store_tier_asks(st, &v, 0, &asks, &nasks, e)) ||
	    (milestone && (rc = store_tier_moves(st, &v, out->m.start_day * 86400000LL,
						 (out->m.due_day + 1) * 86400000LL, &out->moves,
						 &out->nmoves, e))) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		goto out;
	}
	out->has_milestone = milestone != 0;
	if (!(out->suggested = calloc(out->n + 1, sizeof *out->suggested))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	const char *names[TIERS_MAX];
	for (int k = 0; k < out->tiers.n; k++)
		names[k] = out->tiers.names[k];
	size_t a = 0;
	for (size_t k = 0; k < out->n; k++) {
		/* asks come ordered by issue id; features by number: search */
		size_t from = 0, cnt = 0;
		for (a = 0; a < nasks; a++)
			if (asks[a].issue_id == out->features[k].issue_id) {
				if (!cnt)
					from = a;
				cnt++;
			}
		struct tier_evidence ev;
		int customers;
		char why[200];
		evidence_of(&out->tiers, asks + from, cnt, &ev, &customers);
		out->suggested[k] = tier_suggest(&ev, names, out->tiers.n, why, sizeof why);
	}
out:
	free(asks);
	if (rc)
		tier_matrix_release(out);
	return rc;
}

/* A feature is in its tier and every tier above it. */
static int included(const struct tier_matrix *m, const struct feature_tier *f, int tier)
{
	int t = tier_index(&m->tiers, f->tier);
	return t >= 0 && tier >= t;
}

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\|*_[]<>`#", *s))
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

char *tier_matrix_markdown(const struct tier_matrix *m)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fprintf(f, "# Features by tier%s", m->has_milestone ? " in " : "");
	if (m->has_milestone)
		md_cell(f, m->m.title);
	fputs("\n\n| Feature |", f);
	for (int t = 0; t < m->tiers.n; t++) {
		fputc(' ', f);
		md_cell(f, m->tiers.names[t]);
		fputs(" |", f);
	}
	fputs("\n|---|", f);
	for (int t = 0; t < m->tiers.n; t++)
		fputs(":---:|", f);
	fputc('\n', f);
	for (size_t k = 0; k < m->n; k++) {
		fputs("| ", f);
		md_cell(f, m->features[k].title);
		fprintf(f, " (#%" PRId64 ") |", m->features[k].number);
		for (int t = 0; t < m->tiers.n; t++)
			fputs(included(m, &m->features[k], t) ? " ✓ |" : "  |", f);
		fputc('\n', f);
	}
	if (m->nmoves) {
		fputs("\n## Moved tiers this release\n\n", f);
		for (size_t k = 0; k < m->nmoves; k++) {
			fprintf(f, "- #%" PRId64 ": ", m->moves[k].number);
			md_cell(f, m->moves[k].from);
			fputs(" → ", f);
			md_cell(f, m->moves[k].to);
			fputc('\n', f);
		}
	}
	fclose(f);
	return out;
}

/* A CSV field, quoted when it must be (RFC 4180); a field a spreadsheet
 * would run as a formula (= + - @ first) is led by a quote, so it is text. */
static void csv_field(FILE *f, const char *s)
{
	int formula = *s && strchr("=+-@\t\r", *s);
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

char *tier_matrix_csv(const struct tier_matrix *m)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputs("number,feature", f);
	for (int t = 0; t < m->tiers.n; t++) {
		fputc(',', f);
		csv_field(f, m->tiers.names[t]);
	}
	fputs("\r\n", f);
	for (size_t k = 0; k < m->n; k++) {
		fprintf(f, "%" PRId64 ",", m->features[k].number);
		csv_field(f, m->features[k].title);
		for (int t = 0; t < m->tiers.n; t++)
			fputs(included(m, &m->features[k], t) ? ",yes" : ",no", f);
		fputs("\r\n", f);
	}
	fclose(f);
	return out;
}

void tier_signals_release(struct tier_signals *s)
{
	free(s->upsell);
	free(s->mismatch);
	memset(s, 0, sizeof *s);
}

int svc_tier_signals(const struct op *op, struct tier_signals *out,
		     struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct tier_list t;
	struct feature_tier *features = NULL;
	struct tier_ask *asks = NULL;
	size_t nf = 0, na = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = tiers_read(st, &t, e)) ||
	    (rc = store_feature_tiers(st, &v, 0, &features, &nf, e)) ||
	    (rc = store_tier_asks(st, &v, 0, &asks, &na, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		goto out;
	}
	out->upsell = calloc(na + 1, sizeof *out->upsell);
	out->mismatch = calloc(nf + 1, sizeof *out->mismatch);
	if (!out->upsell || !out->mismatch) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < nf; k++) {
		const struct feature_tier *f = &features[k];
		int ft = tier_index(&t, f->tier), asked = 0, below = 0;
		for (size_t a = 0; a < na; a++) {
			if (asks[a].issue_id != f->issue_id || !asks[a].customer_id)
				continue;
			int ct = tier_index(&t, asks[a].tier);
			asked++;
			if (ct >= 0 && ct < ft) {
				below++;
				/* upsell: this customer asks for a feature above their tier */
				struct upsell *u = NULL;
				for (size_t x = 0; x < out->nupsell && !u; x++)
					if (out->upsell[x].customer_id == asks[a].customer_id)
						u = &out->upsell[x];
				if (!u) {
					u = &out->upsell[out->nupsell++];
					u->customer_id = asks[a].customer_id;
					u->arr = asks[a].arr;
					snprintf(u->customer, sizeof u->customer, "%s", asks[a].customer);
					snprintf(u->tier, sizeof u->tier, "%s", asks[a].tier);
				}
				int dup = 0;
				for (int x = 0; x < u->nfeatures && !dup; x++)
					dup = u->numbers[x] == f->number;
				if (!dup && u->nfeatures < 16) {
					u->numbers[u->nfeatures] = f->number;
					snprintf(u->feature_tiers[u->nfeatures++], 33, "%s", f->tier);
				}
			}
		}
		if (asked && 2 * below > asked) {
			struct mismatch *m = &out->mismatch[out->nmismatch++];
			m->number = f->number;
			snprintf(m->title, sizeof m->title, "%s", f->title);
			snprintf(m->tier, sizeof m->tier, "%s", f->tier);
			m->asks = asked;
			m->below = below;
		}
	}
	/* the biggest accounts first */
	for (size_t x = 1; x < out->nupsell; x++)
		for (size_t y = x; y > 0 && out->upsell[y].arr > out->upsell[y - 1].arr; y--) {
			struct upsell tmp = out->upsell[y];
			out->upsell[y] = out->upsell[y - 1];
			out->upsell[y - 1] = tmp;
		}
out:
	free(features);
	free(asks);
	if (rc)
		tier_signals_release(out);
	return rc;
}

int svc_calibration(const struct op *op, int64_t days,
		    struct cal_size out[6], size_t *items, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct cal_item *rows = NULL;
	int rc;
	*items = 0;
	if (days < 1 || days > 730)
		return err_set(e, CAIRN_EINVALID, "days", "days must be 1..730");
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_cycle_items(st, &v, op->now - days * 86400000LL, &rows, items, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		return rc;
	}
	calibration_compute(rows, *items, out);
	free(rows);
	return 0;
}

