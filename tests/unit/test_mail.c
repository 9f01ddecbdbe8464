/*
 * test_mail.c — unit tests of core/mail: the kinds and modes, what a
 * valid address is, when a daily digest is due, header-safe text.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "builders.h"
#include "core/mail.h"
#include "core/timeutil.h"

#define yes(x) eq(int, !!(x), 1)
#define no(x) eq(int, !!(x), 0)

TestSuite(mail, .fini = fail_on_leaks);

static int64_t at(const char *iso)
{
	int64_t ms;
	cr_assert(eq(int, parse_instant(iso, &ms), 0), "%s", iso);
	return ms;
}

Test(mail, kinds_and_defaults)
{
	size_t n;
	const struct mail_kind *k = mail_kinds(&n);
	cr_assert(eq(sz, n, 5));
	cr_expect(eq(str, (char *)k[0].kind, "mention"));
	cr_expect(eq(int, mail_kind_find("mention")->fallback, MAIL_EMAIL));
	cr_expect(eq(int, mail_kind_find("assigned")->fallback, MAIL_EMAIL));
	cr_expect(eq(int, mail_kind_find("comment")->fallback, MAIL_DIGEST));
	cr_expect(eq(int, mail_kind_find("state")->fallback, MAIL_DIGEST));
	cr_expect(eq(int, mail_kind_find("changed")->fallback, MAIL_DIGEST));
	cr_expect(eq(ptr, (void *)mail_kind_find("nope"), NULL));
	cr_expect(eq(ptr, (void *)mail_kind_find(NULL), NULL));
}

Test(mail, modes_by_name)
{
	enum mail_mode m;
	for (int k = 0; k < MAIL__MODES; k++) {
		cr_assert(eq(int, mail_mode_parse(mail_mode_name((enum mail_mode)k), &m), 0));
		cr_expect(eq(int, (int)m, k));
	}
	cr_expect(eq(int, mail_mode_parse("Email", &m), -1));
	cr_expect(eq(int, mail_mode_parse("", &m), -1));
	cr_expect(eq(ptr, (void *)mail_mode_name(MAIL__MODES), NULL));
}

Test(mail, addresses)
{
	cr_expect(yes(mail_address_ok("eli@team.example")));
	cr_expect(yes(mail_address_ok("a.b+tag@sub.example.com")));
	cr_expect(yes(mail_address_ok("root@localhost")));
	const char *bad[] = {"", "eli", "@team.example", "eli@", "a@b@c", "a b@c.example",
			     "a@b.example\r\nBcc: c@d.example", "<a@b.example>", "a,b@c.example",
			     "a@.example", "a@example.", "\"a\"@b.example", "é@b.example"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		cr_expect(no(mail_address_ok(bad[k])), "'%s' must be refused", bad[k]);
	char long_one[300];
	memset(long_one, 'a', sizeof long_one);
	memcpy(long_one + 250, "@b.ex", 6);
	cr_expect(no(mail_address_ok(long_one)), "more than 254 bytes");
}

Test(mail, digest_slot_and_due)
{
	cr_expect(eq(i64, mail_digest_slot(at("2026-12-07T12:00:00Z"), 7), at("2026-12-07T07:00:00Z")));
	cr_expect(eq(i64, mail_digest_slot(at("2026-12-07T06:59:59Z"), 7), at("2026-12-06T07:00:00Z")));
	cr_expect(eq(i64, mail_digest_slot(at("2026-12-07T07:00:00Z"), 7), at("2026-12-07T07:00:00Z")));
	cr_expect(eq(i64, mail_digest_slot(at("2028-03-01T00:30:00Z"), 23), at("2028-02-29T23:00:00Z")));
	/* set at noon: nothing until the next morning's slot */
	int64_t last = at("2026-12-07T12:00:00Z");
	cr_expect(no(mail_digest_due(at("2026-12-07T23:00:00Z"), 7, last)));
	cr_expect(no(mail_digest_due(at("2026-12-08T06:59:59Z"), 7, last)));
	cr_expect(yes(mail_digest_due(at("2026-12-08T07:00:00Z"), 7, last)));
	/* made at that slot: not due again the same day */
	cr_expect(no(mail_digest_due(at("2026-12-08T20:00:00Z"), 7, at("2026-12-08T07:00:01Z"))));
	cr_expect(yes(mail_digest_due(at("2026-12-08T20:00:00Z"), 7, 0)), "never: due");
}

Test(mail, header_text)
{
	char out[64];
	mail_header_text("Crash\r\nBcc: x@y\tz", out, sizeof out);
	cr_expect(eq(str, out, "Crash  Bcc: x@y z"));
	mail_header_text("naïve", out, sizeof out);
	cr_expect(eq(str, out, "naïve"), "UTF-8 stays");
	mail_header_text("abcdef", out, 4);
	cr_expect(eq(str, out, "abc"));
}
