/*
 * estimation_json.c — the JSON shape of estimation sessions (see
 * estimation_json.h).
 */
#include "service/estimation_json.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "service/issue_json.h"

static json_t *size_or_null(int points)
{
	return points > 0 ? json_string(size_letter(points)) : json_null();
}

static json_t *stats_json(const struct vote_stats *s, const struct est_vote *votes,
			  const int *outlier, size_t n)
{
	json_t *out = json_array();
	for (size_t k = 0; k < n; k++)
		if (outlier[k])
			json_array_append_new(out, json_string(votes[k].login));
	return json_pack("{s:i, s:i, s:o, s:o, s:i, s:o, s:b, s:o}", "count", s->count, "unsure",
			 s->unsure, "min", size_or_null(s->min), "max", size_or_null(s->max),
			 "spread", s->spread, "median", size_or_null(s->median), "consensus",
			 s->consensus, "outliers", out);
}

/* One revealed round: {round, votes, stats}.  votes/n: that round's votes. */
static json_t *round_json(int round, const struct est_vote *votes, size_t n)
{
	json_t *list = json_array();
	int *sizes = calloc(n ? n : 1, sizeof *sizes), *outlier = calloc(n ? n : 1, sizeof *outlier);
	struct vote_stats s;
	if (!sizes || !outlier) {
		free(sizes);
		free(outlier);
		json_decref(list);
		return NULL;
	}
	for (size_t k = 0; k < n; k++) {
		sizes[k] = votes[k].size;
		json_array_append_new(list, json_pack("{s:s, s:s}", "voter", votes[k].login, "size",
						      vote_text(votes[k].size)));
	}
	vote_stats(sizes, n, &s, outlier);
	json_t *j = json_pack("{s:i, s:o, s:o}", "round", round, "votes", list, "stats",
			      stats_json(&s, votes, outlier, n));
	free(sizes);
	free(outlier);
	return j;
}

static json_t *item_json(const struct est_view *v, const struct est_item *it)
{
	json_t *voters = json_array(), *rounds = json_array(), *current = NULL;
	json_t *my_vote = json_null();
	size_t k = 0;
	/* the view's votes are ordered by issue, round, login */
	while (k < v->nvotes) {
		if (v->votes[k].issue_id != it->issue_id) {
			k++;
			continue;
		}
		int round = v->votes[k].round;
		size_t j = k;
		while (j < v->nvotes && v->votes[j].issue_id == it->issue_id &&
		       v->votes[j].round == round)
			j++;
		if (round == it->round) {
			for (size_t x = k; x < j; x++) {
				json_array_append_new(voters, json_string(v->votes[x].login));
				if (v->votes[x].user_id == v->reader_id &&
				    v->votes[x].size != VOTE_HIDDEN) {
					json_decref(my_vote);
					my_vote = json_string(vote_text(v->votes[x].size));
				}
			}
		}
		if (est_round_revealed(v, it, round)) {
			json_t *r = round_json(round, v->votes + k, j - k);
			if (round == it->round)
				current = r;
			else if (r)
				json_array_append_new(rounds, r);
		}
		k = j;
	}
	json_t *votes = json_array(), *stats = json_null();
	if (current) {
		json_array_extend(votes, json_object_get(current, "votes"));
		stats = json_incref(json_object_get(current, "stats"));
		json_decref(current);
	}
	json_t *final = json_null();
	if (it->final_size)
		final = json_pack("{s:s, s:s, s:o, s:b}", "size", size_letter(it->final_size), "by",
				  it->final_by, "at", json_time(it->final_at), "cto", it->final_cto);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:i, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "issue", (json_int_t)it->number, "title", it->title, "type",
			 issue_type_name((enum issue_type)it->type), "state",
			 issue_state_name((enum issue_state)it->state), "size", size_or_null(it->size),
			 "pm_size", size_or_null(it->pm_size), "round", it->round, "revealed",
			 est_round_revealed(v, it, it->round), "voters", voters, "my_vote", my_vote,
			 "votes", votes, "stats", stats, "rounds", rounds, "final", final);
}

static json_t *base_json(const struct est_session *x)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)x->id,
			 "title", x->title, "mode", est_mode_name(x->mode), "stage",
			 est_stage_name(x->stage), "status", est_status_name(x->status), "facilitator",
			 x->facilitator, "closes_at", json_time(x->closes_at), "created_at",
			 json_time(x->created_at), "updated_at", json_time(x->updated_at));
}

json_t *est_summary_to_json(const struct est_session *x, int64_t now)
{
	json_t *j = base_json(x);
	int open = x->status == EST_OPEN && !(x->mode == EST_ASYNC && x->closes_at &&
					      now >= x->closes_at);
	json_object_set_new(j, "voting_open", json_boolean(open));
	json_object_set_new(j, "items", json_integer(x->items));
	json_object_set_new(j, "estimated", json_integer(x->estimated));
	return j;
}

json_t *est_view_to_json(const struct est_view *v)
{
	json_t *j = base_json(&v->s), *people = json_array(), *items = json_array();
	for (size_t k = 0; k < v->npeople; k++)
		json_array_append_new(people, json_string(v->people[k].login));
	for (size_t k = 0; k < v->nitems; k++)
		json_array_append_new(items, item_json(v, &v->items[k]));
	/* the current item only when the reader sees it */
	json_t *current = json_null();
	for (size_t k = 0; k < v->nitems; k++)
		if (v->items[k].number == v->s.current_issue)
			current = json_integer(v->s.current_issue);
	json_object_set_new(j, "participants", people);
	json_object_set_new(j, "voting_open", json_boolean(v->voting_open));
	json_object_set_new(j, "current", current);
	json_object_set_new(j, "version", json_integer(v->s.version));
	json_object_set_new(j, "can_facilitate", json_boolean(v->can_facilitate));
	json_object_set_new(j, "can_vote", json_boolean(v->can_vote));
	json_object_set_new(j, "items", items);
	return j;
}
