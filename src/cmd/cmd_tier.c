/*
 * cmd_tier.c — `cairn tier ...`: pricing tiers on a local database, the
 * same operations as the API (service/svc_tiers.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "service/plan_json.h"

int cmd_tier(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"rationale", required_argument, 0, 'r'},
					     {"milestone", required_argument, 0, 'm'},
					     {"csv", no_argument, 0, 'c'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL, *rationale = NULL;
	int64_t milestone = 0, number = 0;
	int c, csv = 0, rc;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	if (argc < 2)
		return cli_usage("tier");
	const char *sub = argv[1];
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			as = optarg;
		else if (c == 'r')
			rationale = optarg;
		else if (c == 'c')
			csv = 1;
		else if (c == 'm' && !cli_parse_int(optarg, &milestone))
			;
		else
			return cli_usage("tier");
	}
	char **pos = argv + 1 + optind;
	int npos = argc - 1 - optind;
	if (((!strcmp(sub, "show") || !strcmp(sub, "clear")) &&
	     (npos != 1 || cli_parse_int(pos[0], &number))) ||
	    (!strcmp(sub, "set") && (npos != 2 || cli_parse_int(pos[0], &number))) ||
	    (!strcmp(sub, "define") && npos < 1))
		return cli_usage("tier");
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if (!strcmp(sub, "list") || !strcmp(sub, "define")) {
		struct tier_list t;
		if (!strcmp(sub, "define") ? !(rc = svc_tiers_set(OP(st, &actor), (const char *const *)pos,
								  (size_t)npos, &t, &e))
					   : !(rc = svc_tiers(OP(st, NULL), &t, &e)))
			for (int k = 0; k < t.n; k++)
				printf("%d %s\n", k + 1, t.names[k]);
	} else if (!strcmp(sub, "show") || !strcmp(sub, "set") || !strcmp(sub, "clear")) {
		struct feature_tier_view v;
		rc = !strcmp(sub, "show") ? svc_feature_tier(OP(st, &actor), number, &v, &e)
					  : svc_feature_tier_set(OP(st, &actor), number,
								 !strcmp(sub, "set") ? pos[1] : NULL,
								 rationale, &v, &e);
		if (!rc) {
			printf("#%" PRId64 " %s\n  tier       %s%s%s\n", v.issue.number, v.issue.title,
			       v.has_tier ? v.tier.tier : "-", v.has_tier ? " — " : "",
			       v.has_tier ? v.tier.rationale : "");
			printf("  suggested  %s (%s)%s\n",
			       v.suggested >= 0 ? v.tiers.names[v.suggested] : "-", v.reason,
			       v.disagrees ? "  ! the decision differs" : "");
			feature_tier_view_release(&v);
		}
	} else if (!strcmp(sub, "matrix")) {
		struct tier_matrix m;
		if (!(rc = svc_tier_matrix(OP(st, &actor), milestone, &m, &e))) {
			char *text = csv ? tier_matrix_csv(&m) : tier_matrix_markdown(&m);
			fputs(text ? text : "", stdout);
			free(text);
			tier_matrix_release(&m);
		}
	} else if (!strcmp(sub, "signals")) {
		struct tier_signals s;
		if (!(rc = svc_tier_signals(OP(st, &actor), &s, &e))) {
			printf("Upsell (customers asking for features above their tier):\n");
			for (size_t k = 0; k < s.nupsell; k++) {
				printf("  %-28s %-10s ARR %8" PRId64 "  wants", s.upsell[k].customer,
				       s.upsell[k].tier, s.upsell[k].arr);
				for (int x = 0; x < s.upsell[k].nfeatures; x++)
					printf(" #%" PRId64 " (%s)", s.upsell[k].numbers[x],
					       s.upsell[k].feature_tiers[x]);
				printf("\n");
			}
			printf("Mismatch (features mostly asked for from lower tiers):\n");
			for (size_t k = 0; k < s.nmismatch; k++)
				printf("  #%" PRId64 " %s [%s]: %d of %d asks from lower tiers\n",
				       s.mismatch[k].number, s.mismatch[k].title, s.mismatch[k].tier,
				       s.mismatch[k].below, s.mismatch[k].asks);
			tier_signals_release(&s);
		}
	} else {
		rc = cli_usage("tier");
		goto out;
	}
	if (rc)
		rc = cli_fail(&e);
out:
	svc_close(st);
	return rc;
}

int cmd_calibration(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'a'},
					     {"days", required_argument, 0, 'n'},
					     {"json", no_argument, 0, 'j'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *as = NULL;
	int64_t days = 180;
	int c, json = 0, rc;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	struct cal_size cs[6];
	size_t items;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'a')
			as = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'n' && !cli_parse_int(optarg, &days))
			;
		else
			return cli_usage("calibration");
	}
	if (optind != argc)
		return cli_usage("calibration");
	if ((rc = cli_open(cli_db(db), 0, &st)) || (rc = cli_actor(st, as, &actor)))
		goto out;
	err_clear(&e);
	if ((rc = svc_calibration(OP(st, &actor), days, cs, &items, &e))) {
		rc = cli_fail(&e);
		goto out;
	}
	if (json) {
		cli_print_json(calibration_to_json(days, items, cs));
	} else {
		printf("%zu items finished in the last %" PRId64 " days (cycle time, working days)\n",
		       items, days);
		printf("%-4s %8s %4s %7s %11s  %s\n", "SIZE", "EXPECTED", "N", "MEDIAN", "P25..P75",
		       "VERDICT");
		for (int k = 0; k < 6; k++) {
			char med[16] = "-", range[32] = "-";
			if (cs[k].n) {
				snprintf(med, sizeof med, "%.1f", cs[k].median);
				snprintf(range, sizeof range, "%.1f..%.1f", cs[k].p25, cs[k].p75);
			}
			printf("%-4s %8d %4d %7s %11s  %s\n", size_letter(cs[k].points),
			       cs[k].expected_days, cs[k].n, med, range,
			       cs[k].verdict == CAL_UNDER  ? "under-estimated"
			       : cs[k].verdict == CAL_OVER ? "over-estimated"
			       : cs[k].verdict == CAL_FEW  ? "too few to tell"
							   : "on target");
		}
	}
out:
	svc_close(st);
	return rc;
}

