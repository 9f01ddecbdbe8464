/*
 * test_tiers.c — the buyer-based open-core suggestion and tier lists, on
 * hand-computed cases.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/tiers.h"

TestSuite(tiers, .fini = fail_on_leaks);

static const char *const three[] = {"Starter", "Premium", "Enterprise"};

Test(tiers, mostly_managers_is_the_middle_tier_with_the_numbers)
{
	struct tier_evidence ev = {{1, 7, 1}, {0}};
	char why[160];
	cr_expect(eq(int, tier_suggest(&ev, three, 3, why, sizeof why), 1));
	cr_expect(eq(str, why, "7 of 9 asks come from managers → Premium"));
}

Test(tiers, individuals_lowest_executives_highest_and_ties_go_down)
{
	char why[160];
	struct tier_evidence a = {{4, 1, 0}, {0}}, b = {{0, 2, 5}, {0}}, tie = {{3, 3, 0}, {0}};
	cr_expect(eq(int, tier_suggest(&a, three, 3, why, sizeof why), 0));
	cr_expect(eq(str, why, "4 of 5 asks come from individual contributors → Starter"));
	cr_expect(eq(int, tier_suggest(&b, three, 3, why, sizeof why), 2));
	cr_expect(eq(int, tier_suggest(&tie, three, 3, why, sizeof why), 0), "a tie keeps the cheaper plan");
	cr_expect(eq(str, why, "the asks are split (3 individual, 3 manager, 0 executive): the lower tier → Starter"));
}

Test(tiers, levels_spread_over_two_and_four_tiers)
{
	static const char *const two[] = {"Free", "Pro"}, *const four[] = {"A", "B", "C", "D"};
	char why[160];
	struct tier_evidence m = {{0, 1, 0}, {0}}, x = {{0, 0, 1}, {0}};
	cr_expect(eq(int, tier_suggest(&m, two, 2, why, sizeof why), 0));
	cr_expect(eq(int, tier_suggest(&x, two, 2, why, sizeof why), 1));
	cr_expect(eq(int, tier_suggest(&m, four, 4, why, sizeof why), 1));
	cr_expect(eq(int, tier_suggest(&x, four, 4, why, sizeof why), 3));
}

Test(tiers, without_buyers_the_customers_tiers_decide_and_without_either_none)
{
	char why[160];
	struct tier_evidence c = {{0, 0, 0}, {1, 0, 3}}, none = {{0, 0, 0}, {0}};
	cr_expect(eq(int, tier_suggest(&c, three, 3, why, sizeof why), 2));
	cr_expect(eq(str, why, "no ask names a buyer; 3 of 4 asking customers are on Enterprise → Enterprise"));
	cr_expect(eq(int, tier_suggest(&none, three, 3, why, sizeof why), -1));
	cr_expect(eq(str, why, "no evidence: no ask from a known buyer or a customer on a tier"));
}

Test(tiers, lists_parse_and_refuse)
{
	char names[TIERS_MAX][TIER_NAME_MAX + 1], why[128];
	cr_expect(eq(int, tiers_parse(" Starter, Premium ,Enterprise", names, why, sizeof why), 3));
	cr_expect(eq(str, names[1], "Premium"));
	cr_expect(eq(int, tiers_parse("Free\nPro\n", names, why, sizeof why), 2));
	cr_expect(eq(int, tiers_parse("A,,B", names, why, sizeof why), -1));
	cr_expect(eq(int, tiers_parse("A,A", names, why, sizeof why), -1));
	cr_expect(eq(str, why, "the tier 'A' is named twice"));
	cr_expect(eq(int, tiers_parse("", names, why, sizeof why), -1));
	cr_expect(eq(int, tiers_parse("1,2,3,4,5,6,7,8,9", names, why, sizeof why), -1));
}
