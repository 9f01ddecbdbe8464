/*
 * fuzz_changelog.c — libFuzzer target for changelog entry files
 * (core/changelog.h): cl_parse and cl_format, and on the raw input cl_slug
 * and cl_xml_escape.
 *
 * Invariants:
 *   - on error: -1, the entry left empty, a message in printable ASCII
 *     that starts with "line N: " exactly when pe.line is N > 0, and N
 *     within the input's lines;
 *   - on success: a title that is not blank, description and body not
 *     NULL, lists of at most CL_MAX_ITEMS non-empty strings (the array
 *     NULL exactly when empty), strings within CL_MAX_STRING, the date in
 *     whole seconds of the years 1970-9999;
 *   - round trip: what cl_format writes parses again to the same values
 *     (the body gains a final "\n" if it had none), and formatting those
 *     gives the same bytes again (canonical text is a fixed point);
 *   - cl_slug: 1..CL_SLUG_MAX bytes of [a-z0-9-], no '-' first, last or
 *     twice in a row;
 *   - cl_xml_escape: valid UTF-8 with no C0 control but tab, LF and CR,
 *     no raw < > " ', and every & starts one of the five entities.
 */
#include "core/changelog.h"

#include "fuzz_util.h"

static int is_empty(const struct cl_entry *e)
{
	return !e->title && !e->description && !e->body && !e->authors && !e->nauthors &&
	       !e->tags && !e->ntags && !e->issues && !e->nissues && !e->date_ms;
}

static void check_error(const struct cl_entry *e, const struct cl_parse_error *pe,
			const char *in, size_t size)
{
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += in[i] == '\n' || in[i] == '\r';
	FUZZ_ASSERT(is_empty(e), in, "entry not empty after an error");
	FUZZ_ASSERT(pe->msg[0] != '\0', in, "no message");
	for (const char *c = pe->msg; *c; c++)
		FUZZ_ASSERT(*c >= 0x20 && *c < 0x7f, in, "message byte 0x%02x: %s",
			    (unsigned char)*c, pe->msg);
	FUZZ_ASSERT(pe->line >= 0 && pe->line <= lines, in, "line %d of %d", pe->line, lines);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "line %d: ", pe->line);
	FUZZ_ASSERT((pe->line > 0) == !strncmp(pe->msg, prefix, strlen(prefix)), in,
		    "line %d, message '%s'", pe->line, pe->msg);
}

static void check_list(char *const *v, size_t n, const char *in)
{
	FUZZ_ASSERT(n <= CL_MAX_ITEMS, in, "%zu items", n);
	FUZZ_ASSERT((v == NULL) == (n == 0), in, "array %p with %zu items", (void *)v, n);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(v[i] && *v[i] && strlen(v[i]) <= CL_MAX_STRING, in, "item %zu", i);
}

static void check_entry(const struct cl_entry *e, const char *in)
{
	FUZZ_ASSERT(e->title && e->title[strspn(e->title, " \t\n")], in, "blank title");
	FUZZ_ASSERT(strlen(e->title) <= CL_MAX_STRING, in, "title too long");
	FUZZ_ASSERT(e->description && strlen(e->description) <= CL_MAX_STRING, in, "description");
	FUZZ_ASSERT(e->body != NULL, in, "body NULL");
	FUZZ_ASSERT(e->date_ms % 1000 == 0 && e->date_ms >= 0 &&
			    e->date_ms <= INT64_C(253402300799000),
		    in, "date_ms %lld", (long long)e->date_ms);
	check_list(e->authors, e->nauthors, in);
	check_list(e->tags, e->ntags, in);
	check_list(e->issues, e->nissues, in);
}

static void same_list(char *const *a, size_t na, char *const *b, size_t nb, const char *what,
		      const char *in)
{
	FUZZ_ASSERT(na == nb, in, "%s: %zu items, then %zu", what, na, nb);
	for (size_t i = 0; i < na; i++)
		FUZZ_ASSERT(!strcmp(a[i], b[i]), in, "%s[%zu]: '%s' then '%s'", what, i, a[i], b[i]);
}

static void check_round_trip(const struct cl_entry *e, const char *in)
{
	char *text = cl_format(e);
	FUZZ_ASSERT(text != NULL, in, "cl_format failed");
	struct cl_entry back;
	struct cl_parse_error pe;
	FUZZ_ASSERT(cl_parse(text, strlen(text), &back, &pe) == 0, in, "formatted text refused: %s",
		    pe.msg);
	FUZZ_ASSERT(!strcmp(back.title, e->title), in, "title changed");
	FUZZ_ASSERT(!strcmp(back.description, e->description), in, "description changed");
	FUZZ_ASSERT(back.date_ms == e->date_ms, in, "date %lld then %lld", (long long)e->date_ms,
		    (long long)back.date_ms);
	same_list(e->authors, e->nauthors, back.authors, back.nauthors, "authors", in);
	same_list(e->tags, e->ntags, back.tags, back.ntags, "tags", in);
	same_list(e->issues, e->nissues, back.issues, back.nissues, "issues", in);
	size_t blen = strlen(e->body);
	int newline_added = blen && e->body[blen - 1] != '\n';
	FUZZ_ASSERT(strlen(back.body) == blen + (size_t)newline_added &&
			    !strncmp(back.body, e->body, blen),
		    in, "body changed");

	char *again = cl_format(&back);
	FUZZ_ASSERT(again && !strcmp(again, text), in, "formatting is not a fixed point");
	free(again);
	free(text);
	cl_entry_release(&back);
}

static void check_slug(const char *in)
{
	char slug[CL_SLUG_MAX + 1];
	int n = cl_slug(in, slug, sizeof slug);
	FUZZ_ASSERT(n >= 1 && n <= CL_SLUG_MAX && (size_t)n == strlen(slug), in, "slug length %d",
		    n);
	FUZZ_ASSERT(strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") == (size_t)n, in,
		    "slug '%s'", slug);
	FUZZ_ASSERT(slug[0] != '-' && slug[n - 1] != '-' && !strstr(slug, "--"), in, "slug '%s'",
		    slug);
}

static void check_xml(const char *in)
{
	static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
	char *x = cl_xml_escape(in);
	FUZZ_ASSERT(x != NULL, in, "cl_xml_escape failed");
	FUZZ_ASSERT(fuzz_utf8_valid(x), in, "escaped text is not UTF-8");
	for (const char *c = x; *c; c++) {
		unsigned char b = (unsigned char)*c;
		FUZZ_ASSERT(b >= 0x20 || b == '\t' || b == '\n' || b == '\r', in, "control 0x%02x",
			    b);
		FUZZ_ASSERT(!strchr("<>\"'", b), in, "raw '%c'", b);
		if (b != '&')
			continue;
		size_t k = 0;
		while (k < 5 && strncmp(c, entities[k], strlen(entities[k])))
			k++;
		FUZZ_ASSERT(k < 5, in, "a bare '&'");
	}
	free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	struct cl_entry e;
	struct cl_parse_error pe;

	memset(&e, 0x5a, sizeof e);
	if (cl_parse(in, size, &e, &pe) == 0) {
		check_entry(&e, in);
		check_round_trip(&e, in);
	} else {
		check_error(&e, &pe, in, size);
	}
	cl_entry_release(&e);
	check_slug(in);
	check_xml(in);
	free(in);
	return 0;
}
