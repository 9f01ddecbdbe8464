/*
 * github.h — the pure rules of the GitHub integration: how GitHub labels
 * map onto Cairn's fields (DESIGN.md §2 conventions), the closing keywords
 * of a pull request's body ("fixes #N"), GitHub's times, and the webhook
 * signature (X-Hub-Signature-256: HMAC-SHA256 of the raw body).  No I/O.
 */
#ifndef CAIRN_GITHUB_H
#define CAIRN_GITHUB_H

#include <stddef.h>
#include <stdint.h>

#include "core/issue.h"

/* What a set of GitHub label names says.  Borrowed pointers into the names
 * given (kept) or static strings (type, priority). */
struct gh_label_map {
	const char *type;     /* "epic", "story", "task", "bug", "feature"; NULL: none */
	const char *priority; /* "high", "medium", "low"; NULL: none */
	int pm_size;          /* 1 2 3 5 8 13; 0: none */
	const char *kept[LABELS_MAX]; /* every other label, as Cairn labels */
	size_t nkept;
	size_t dropped; /* labels Cairn cannot hold (too long, commas, past LABELS_MAX) */
};

/* Map n label names: type labels (epic story task bug; feature, enhancement
 * -> feature), size labels 1 2 3 5 8 13 (-> pm_size), priority:high|medium|low
 * (any case, a space after the colon allowed); everything else (area:*,
 * scope:*, headline, Customer Request, needs-triage, blocked, ...) is kept
 * as a label, but horizon:* (what Cairn's sync writes) is dropped.  When two labels say different things the first wins and the
 * other is kept as a label. */
void gh_labels_map(const char *const *names, size_t n, struct gh_label_map *out);

/* The GitHub issue numbers a pull request's body closes: close, closes,
 * closed, fix, fixes, fixed, resolve, resolves, resolved (any case),
 * optionally followed by ':', then "#N".  Up to cap numbers in *nums, in
 * order, without repeats; returns how many. */
size_t gh_closing_refs(const char *body, int64_t *nums, size_t cap);

/* text with every issue reference "#N" written as "OWNER/REPO#N" (GitHub's
 * own cross-repository form, so it means the same there), so that Cairn
 * does not take GitHub's numbers for its own.  Malloc'd; NULL when out of
 * memory. */
char *gh_qualify_refs(const char *text, const char *repo);

/* GitHub's "2019-05-15T15:20:18Z" into unix ms; -1 when not such a time. */
int gh_time(const char *s, int64_t *out);

/* 1 when header is "sha256=<64 hex>" and equals HMAC-SHA256(secret, body),
 * compared in constant time; 0 otherwise (NULL header included). */
int gh_signature_ok(const char *secret, const char *body, size_t len, const char *header);

#endif
