/*
 * changelog.h — the formatting rules of changelog entries, with no I/O:
 * the front-matter file format (write and read back), the slug and file
 * name of an entry, the Atom 1.0 feed (RFC 4287) of published entries,
 * and the Keep-a-Changelog release notes of a milestone.
 *
 * An entry file is YAML front matter in exactly this shape, then markdown:
 *
 *     ---
 *     title: "Feature Title"
 *     description: "Brief description of the feature or change"
 *     date: 2025-06-11 12:00:00.0
 *     authors: ["author-handle", "second"]
 *     tags:
 *       - changelog
 *     issues:
 *       - "https://github.com/Owner/repo/issues/185"
 *       - "#1234"
 *     ---
 *
 *     Markdown body here.
 *
 * cl_format writes that shape; cl_parse reads it and the looser YAML that
 * hand-written files use.  For anything cl_format wrote, formatting what
 * cl_parse read gives the same bytes again.
 */
#ifndef CAIRN_CHANGELOG_H
#define CAIRN_CHANGELOG_H

#include <stddef.h>
#include <stdint.h>

#define CL_MAX_INPUT (1024 * 1024) /* bytes of one entry file */
#define CL_MAX_ITEMS 100           /* items in authors, tags or issues */
#define CL_MAX_STRING 65536        /* bytes of one front-matter string */
#define CL_SLUG_MAX 60             /* bytes of a slug, without the NUL */

struct cl_entry {
	char *title;       /* owned; never blank after cl_parse */
	char *description; /* owned; "" when absent */
	char *body;        /* owned markdown; "" when none */
	int64_t date_ms;   /* unix ms, UTC; cl_parse gives whole seconds */
	char **authors;    /* owned array of owned strings (handles) */
	size_t nauthors;
	char **tags;       /* owned; ["changelog"] when the file has no tags key */
	size_t ntags;
	char **issues;     /* owned: "https://github.com/o/r/issues/185" or "#1234" */
	size_t nissues;
};

/* Free everything e owns and leave it empty (all NULL and 0).  Safe on an
 * empty or zeroed entry, and twice. */
void cl_entry_release(struct cl_entry *e);

/* The entry as a file in the canonical shape above (NULL strings count as
 * ""): strings YAML double-quoted (\\ \" \n \t, other bytes below 0x20 and
 * 0x7f as \u00XX, UTF-8 as is); date "YYYY-MM-DD HH:MM:SS.0" in UTC;
 * authors a flow list, tags and issues block lists ("[]" when empty), tags
 * quoted only when they need it; "---", an empty line, then the body with
 * a final "\n" added if missing (an empty body: the file ends at "---\n").
 * Returns a NUL-terminated string the caller frees; NULL on out of memory.
 * Dates outside the years 1970-9999 are written but cl_parse refuses them. */
char *cl_format(const struct cl_entry *e);

struct cl_parse_error {
	int line;      /* 1-based line at fault; 0 when no single line is */
	char msg[256]; /* complete, e.g. "line 4: expected 'date: YYYY-MM-DD HH:MM:SS[.f]'"
			  or "missing 'title'"; printable ASCII */
};

/*
 * Read an entry file of len bytes (need not be NUL-terminated) into *out.
 * Accepts the canonical shape and: keys in any order, blank lines and
 * "# comment" lines in the front matter, title and description double-
 * or single-quoted or plain, authors/tags/issues as flow or block lists
 * of quoted or plain items (or one plain or quoted string: a list of one),
 * dates "YYYY-MM-DD", or with " " or "T" and "HH:MM:SS", an optional
 * fraction (dropped: whole seconds), and "Z" or "+HH:MM"/"-HH:MM", CRLF
 * or CR line endings (read as LF, body too) and a UTF-8 byte order mark.
 * title and date are required; a missing description is "", missing tags
 * ["changelog"], missing authors or issues empty.  The body is what
 * follows the closing "---" line, less one leading empty line.
 * Refused, with the line and what was expected in *pe (pe may be NULL):
 * unknown or repeated keys, a blank title, an empty list item, NUL bytes,
 * nested lists or mappings, block scalars (| >), multi-line strings, input
 * over CL_MAX_INPUT, over CL_MAX_ITEMS items in a list, a string over
 * CL_MAX_STRING bytes.  Returns 0, and the caller releases *out with
 * cl_entry_release; or -1 with *out empty (also on out of memory).
 */
int cl_parse(const char *text, size_t len, struct cl_entry *out, struct cl_parse_error *pe);

/* The URL slug of a title into out (n bytes): ASCII letters lower-cased
 * and digits kept, Latin-1 and Latin Extended-A letters transliterated
 * (é e, ß ss, æ ae, ø o, Ł l, œ oe...), every other run of bytes one '-',
 * none at either end; at most CL_SLUG_MAX bytes, cut after a whole word
 * when there is one; "entry" when nothing is left.  Returns the slug's
 * length, or -1 (out "") when it does not fit in n; n > CL_SLUG_MAX
 * always fits. */
int cl_slug(const char *title, char *out, size_t n);

/* "YYYY-MM-DD-<slug>.md" (the UTC date of date_ms) into out (n bytes),
 * truncated to fit; 11 + CL_SLUG_MAX + 4 bytes always fit. */
void cl_filename(int64_t date_ms, const char *slug, char *out, size_t n);

/* s as XML 1.0 character data or attribute value: & < > " ' as entities,
 * tab, LF and CR kept, other C0 controls and U+FFFE/U+FFFF dropped, each
 * byte of invalid UTF-8 replaced by U+FFFD.  NULL counts as "".  Returns a
 * string the caller frees; NULL on out of memory. */
char *cl_xml_escape(const char *s);

/* All borrowed: cl_atom copies what it writes. */
struct cl_feed_entry {
	const char *id, *title, *summary, *url, *html;
	int64_t published_ms, updated_ms; /* updated 0: the published time */
	const char *const *authors;
	size_t nauthors;
};

struct cl_feed {
	const char *id, *title, *subtitle, *self_url, *alt_url;
	int64_t updated_ms;
	const struct cl_feed_entry *entries;
	size_t n;
};

/* An Atom 1.0 feed: <feed> with id, title, subtitle (if non-empty),
 * updated, the self and alternate links (each if non-empty), generator
 * "Cairn"; each entry with id, title, alternate link (if url is
 * non-empty), published, updated, one author per name ("Cairn" when it
 * has none), summary (if non-empty) and the HTML as escaped text in
 * <content type="html">.
 * Times are RFC 3339 UTC ("2026-12-07T12:00:00Z"); every value goes
 * through cl_xml_escape; NULL strings count as "".  Returns a string the
 * caller frees; NULL on out of memory. */
char *cl_atom(const struct cl_feed *f);

/* All borrowed. */
struct cl_release_item {
	int64_t number;       /* the issue number; <= 0: none shown */
	const char *type;     /* epic story task bug feature security */
	const char *title;
	const char *const *authors; /* handles, shown as @handle */
	size_t nauthors;
	int redacted;         /* a security fix the reader may not see */
	const char *severity; /* "critical", "high"...; may be NULL */
};

struct cl_release {
	const char *title;    /* e.g. the milestone "2.31" */
	const char *date_ymd; /* "2026-12-24"; NULL: "Unreleased" */
	const struct cl_release_item *items;
	size_t n;
};

/* Release notes in the Keep a Changelog style:
 *
 *     ## [2.31] - 2026-12-24
 *
 *     ### Added
 *     - Export to CSV (#12) — @alice, @bob
 *
 *     ### Security
 *     - Security fix (severity: high)
 *
 * Groups Added (feature, epic, story), Changed (task, and any other
 * type), Fixed (bug), Security (security, and every redacted item), in
 * that order, empty ones left out; items keep their order.  A redacted
 * item shows only "Security fix" and its severity.  Titles, handles and
 * severities have \ * _ [ ] < > # ` backslash-escaped (and the marker of
 * a title that would start a nested list: "- " "+ " "1. "), control
 * characters made spaces.  No items: "No changes.".  Ends with one "\n".
 * Returns a string the caller frees; NULL on out of memory. */
char *cl_release_notes_md(const struct cl_release *r);

#endif
