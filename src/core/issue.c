/*
 * issue.c — pure rules of the issue entity: enum names, sizes, limits,
 * label normalization, role capabilities (see issue.h).
 */
#include "core/issue.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct name {
	int value;
	const char *name;
};

static const struct name types[] = {
	{ISSUE_EPIC, "epic"}, {ISSUE_STORY, "story"}, {ISSUE_TASK, "task"},
	{ISSUE_BUG, "bug"}, {ISSUE_FEATURE, "feature"}, {ISSUE_SECURITY, "security"},
};
static const struct name states[] = {{ISSUE_OPEN, "open"}, {ISSUE_CLOSED, "closed"}};
static const struct name prios[] = {
	{PRIO_HIGH, "high"}, {PRIO_MEDIUM, "medium"}, {PRIO_LOW, "low"},
};
static const struct name roles[] = {
	{ROLE_ADMIN, "admin"}, {ROLE_PM, "pm"}, {ROLE_CTO, "cto"},
	{ROLE_EM, "em"}, {ROLE_ENGINEER, "engineer"}, {ROLE_VIEWER, "viewer"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *lookup_name(const struct name *t, size_t n, int v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return "";
}

static int lookup_value(const struct name *t, size_t n, const char *s, int *out)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(t[i].name, s) == 0) {
			*out = t[i].value;
			return 0;
		}
	return -1;
}

const char *issue_type_name(enum issue_type t) { return lookup_name(types, N(types), t); }
const char *issue_state_name(enum issue_state s) { return lookup_name(states, N(states), s); }
const char *priority_name(enum priority p) { return lookup_name(prios, N(prios), p); }
const char *role_name(enum role r) { return lookup_name(roles, N(roles), r); }

int issue_type_parse(const char *s, enum issue_type *out)
{
	int v;
	if (lookup_value(types, N(types), s, &v))
		return -1;
	*out = (enum issue_type)v;
	return 0;
}

int issue_state_parse(const char *s, enum issue_state *out)
{
	int v;
	if (lookup_value(states, N(states), s, &v))
		return -1;
	*out = (enum issue_state)v;
	return 0;
}

int priority_parse(const char *s, enum priority *out)
{
	int v;
	if (s && (*s == '\0' || strcasecmp(s, "none") == 0)) {
		*out = PRIO_NONE;
		return 0;
	}
	if (lookup_value(prios, N(prios), s, &v))
		return -1;
	*out = (enum priority)v;
	return 0;
}

int role_parse(const char *s, enum role *out)
{
	int v;
	if (lookup_value(roles, N(roles), s, &v))
		return -1;
	*out = (enum role)v;
	return 0;
}

static const struct {
	int points;
	const char *letter;
	const char *number;
} sizes[] = {
	{1, "XS", "1"}, {2, "S", "2"}, {3, "M", "3"},
	{5, "L", "5"}, {8, "XL", "8"}, {13, "XXL", "13"},
};

int size_parse(const char *s, int *points)
{
	if (!s)
		return -1;
	if (*s == '\0') {
		*points = 0;
		return 0;
	}
	for (size_t i = 0; i < N(sizes); i++)
		if (strcasecmp(s, sizes[i].letter) == 0 || strcmp(s, sizes[i].number) == 0) {
			*points = sizes[i].points;
			return 0;
		}
	return -1;
}

const char *size_letter(int points)
{
	for (size_t i = 0; i < N(sizes); i++)
		if (sizes[i].points == points)
			return sizes[i].letter;
	return "";
}

int issue_effective_size(const struct issue *i)
{
	return i->size ? i->size : i->pm_size;
}

/* Bytes that must never appear in a one-line field: C0 controls and DEL. */
static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

/* Minimal UTF-8 well-formedness check (no overlongs, no surrogates). */
static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		int n;
		unsigned min;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, min = 0x10000, c &= 0x07;
		} else
			return 0;
		p++;
		for (int k = 0; k < n; k++, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (*p & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
	}
	return 1;
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

int title_check(const char *t, struct err *e)
{
	if (!t || is_blank(t))
		return err_set(e, CAIRN_EINVALID, "title", "title must not be empty");
	if (strlen(t) > TITLE_MAX)
		return err_set(e, CAIRN_EINVALID, "title", "title must be at most %d bytes", TITLE_MAX);
	if (!utf8_valid(t) || has_control(t))
		return err_set(e, CAIRN_EINVALID, "title",
			       "title must be UTF-8 text without control characters");
	return 0;
}

int body_check(const char *b, struct err *e)
{
	if (!b)
		return 0;
	if (strlen(b) > BODY_MAX)
		return err_set(e, CAIRN_EINVALID, "body", "body must be at most %d bytes", BODY_MAX);
	if (!utf8_valid(b))
		return err_set(e, CAIRN_EINVALID, "body", "body must be UTF-8 text");
	return 0;
}

int label_check(const char *l, struct err *e)
{
	if (!l || is_blank(l))
		return err_set(e, CAIRN_EINVALID, "labels", "a label must not be empty");
	if (strlen(l) > LABEL_MAX)
		return err_set(e, CAIRN_EINVALID, "labels", "a label must be at most %d bytes", LABEL_MAX);
	if (!utf8_valid(l) || has_control(l) || strchr(l, ','))
		return err_set(e, CAIRN_EINVALID, "labels",
			       "a label must be UTF-8 text without commas or control characters");
	return 0;
}

int login_check(const char *l, struct err *e)
{
	size_t n = l ? strlen(l) : 0;
	if (n == 0 || n > LOGIN_MAX)
		return err_set(e, CAIRN_EINVALID, "login", "login must be 1 to %d characters", LOGIN_MAX);
	if (!((l[0] >= 'a' && l[0] <= 'z') || (l[0] >= '0' && l[0] <= '9')))
		return err_set(e, CAIRN_EINVALID, "login", "login must start with a-z or 0-9");
	for (size_t i = 0; i < n; i++) {
		char c = l[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return err_set(e, CAIRN_EINVALID, "login",
				       "login may contain only a-z, 0-9, '-', '_' and '.'");
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t labels_normalize(char **labels, size_t n, int owned)
{
	if (n == 0)
		return 0;
	qsort(labels, n, sizeof *labels, cmp_str);
	size_t w = 1;
	for (size_t r = 1; r < n; r++) {
		if (strcmp(labels[r], labels[w - 1]) == 0) {
			if (owned)
				free(labels[r]);
			continue;
		}
		labels[w++] = labels[r];
	}
	return w;
}


void issue_release(struct issue *i)
{
	if (!i)
		return;
	free(i->title);
	free(i->body);
	free(i->body_html);
	for (size_t k = 0; k < i->nlabels; k++)
		free(i->labels[k]);
	free(i->labels);
	free(i->assignee);
	free(i->reporter);
	free(i->cvss);
	free(i->close_reason);
	free(i->milestone);
	free(i->snippet);
	memset(i, 0, sizeof *i);
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

int issue_copy(struct issue *dst, const struct issue *src)
{
	*dst = *src;
	dst->title = dst->body = dst->body_html = dst->assignee = dst->reporter = NULL;
	dst->cvss = dst->close_reason = dst->milestone = NULL;
	dst->labels = NULL;
	dst->nlabels = 0;
	if (dup_opt(&dst->title, src->title) || dup_opt(&dst->body, src->body) ||
	    dup_opt(&dst->body_html, src->body_html) || dup_opt(&dst->cvss, src->cvss) ||
	    dup_opt(&dst->close_reason, src->close_reason) ||
	    dup_opt(&dst->milestone, src->milestone) ||
	    dup_opt(&dst->assignee, src->assignee) || dup_opt(&dst->reporter, src->reporter))
		goto fail;
	if (src->nlabels) {
		dst->labels = calloc(src->nlabels, sizeof(char *));
		if (!dst->labels)
			goto fail;
		for (size_t k = 0; k < src->nlabels; k++) {
			if (dup_opt(&dst->labels[k], src->labels[k]))
				goto fail;
			dst->nlabels = k + 1;
		}
	}
	return 0;
fail:
	issue_release(dst);
	return CAIRN_ENOMEM;
}
