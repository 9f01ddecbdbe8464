/*
 * svc_changelog.c — the PM's third responsibility: changelog entries from
 * draft to published post, their review (comments, an approver who is not
 * an author), the handbook's front-matter files in and out, release notes
 * of a milestone, the public changelog, and closing the loop with the
 * customers who asked.  Validation, role checks, one transaction per
 * operation and the entry's history live here, as for issues.
 *
 * Who may do what (docs/API.md): viewers read; every other role writes
 * entries, moves them between draft and in_review, comments; any
 * non-viewer who is not an author approves; PMs and admins publish, edit
 * published entries, import files and close the loop.
 */
#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/markdown.h"
#include "core/timeutil.h"
#include "service/changelog_json.h"
#include "service/svc_int.h"

static const char *const state_names[] = {"draft", "in_review", "approved", "published"};

const char *cl_state_name(int state)
{
	return state >= 0 && state <= CL_PUBLISHED ? state_names[state] : "";
}

int cl_state_parse(const char *s, int *out)
{
	for (int k = 0; s && k <= CL_PUBLISHED; k++)
		if (strcmp(s, state_names[k]) == 0) {
			*out = k;
			return 0;
		}
	return -1;
}

static int may_publish(const struct user *a)
{
	return svc_may(a, P_CHANGELOG_PUBLISH);
}

static int is_author(const struct changelog_row *r, const struct user *a)
{
	for (size_t k = 0; k < r->nauthors; k++)
		if (r->authors[k].user_id == a->id || strcmp(r->authors[k].handle, a->login) == 0)
			return 1;
	return 0;
}

/* A read-everything visibility for rows that will be written back. */
static const struct visibility raw_vis = {0, 1, 1};

/* ---- validation ------------------------------------------------------------------ */

static int has_control(const char *s, int allow_newlines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) ||
		    c == 0x7f)
			return 1;
	}
	return 0;
}

static int check_text(const char *field, const char *s, size_t max, int required, int multiline,
		      struct err *e)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (required && len == 0)
		return err_set(e, CAIRN_EINVALID, field, "%s must not be empty", field);
	if (len > max)
		return err_set(e, CAIRN_EINVALID, field, "%s is longer than %zu bytes", field, max);
	if (has_control(s, multiline))
		return err_set(e, CAIRN_EINVALID, field, "%s must not contain control characters",
			       field);
	return 0;
}

static int valid_slug(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > CL_SLUG_MAX || s[0] == '-' || s[len - 1] == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* "#12" or "12" -> 12; 0 when it is not an issue reference. */
static int64_t issue_ref_number(const char *ref)
{
	const char *p = ref[0] == '#' ? ref + 1 : ref;
	if (!*p || strlen(p) > 15)
		return 0;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return 0;
	return strtoll(p, NULL, 10);
}

static int is_url(const char *s)
{
	return (strncmp(s, "https://", 8) == 0 && s[8]) || (strncmp(s, "http://", 7) == 0 && s[7]);
}

static char *join_lines(const char *const *v, size_t n)
{
	size_t len = 1;
	for (size_t k = 0; k < n; k++)
		len += strlen(v[k]) + 1;
	char *out = malloc(len), *p = out;
	if (!out)
		return NULL;
	*p = '\0';
	for (size_t k = 0; k < n; k++)
		p += snprintf(p, len - (size_t)(p - out), "%s%s", k ? "\n" : "", v[k]);
	return out;
}

/* The tags text into an array of borrowed pieces of a copy (*buf owned). */
static size_t split_lines(const char *text, char **buf, const char **out, size_t cap)
{
	size_t n = 0;
	*buf = strdup(text ? text : "");
	if (!*buf)
		return 0;
	for (char *p = *buf; *p && n < cap;) {
		out[n++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

static void free_authors(struct cl_author *a, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(a[k].handle);
	free(a);
}

static void free_links(struct cl_link *l, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(l[k].ref);
		free(l[k].title);
	}
	free(l);
}

/* Authors by login (each a user), into a new array. */
static int resolve_authors(struct store *st, const char *const *logins, size_t n,
			   struct cl_author **out, struct err *e)
{
	*out = NULL;
	if (n > CL_LIST_MAX)
		return err_set(e, CAIRN_EINVALID, "authors", "at most %d authors", CL_LIST_MAX);
	if (n == 0)
		return 0;
	struct cl_author *a = calloc(n, sizeof *a);
	if (!a)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < n; k++) {
		struct user u = {0};
		if (!logins[k] || !*logins[k]) {
			free_authors(a, n);
			return err_set(e, CAIRN_EINVALID, "authors", "an author must be a login");
		}
		for (size_t j = 0; j < k; j++)
			if (strcmp(a[j].handle, logins[k]) == 0) {
				free_authors(a, n);
				return err_set(e, CAIRN_EINVALID, "authors", "'%s' is named twice",
					       logins[k]);
			}
		int rc = store_user_by_login(st, logins[k], &u, NULL, 0, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			free_authors(a, n);
			return err_set(e, CAIRN_EINVALID, "authors", "no user '%.64s'", logins[k]);
		}
		if (rc) {
			free_authors(a, n);
			return rc;
		}
		a[k].handle = strdup(u.login);
		a[k].user_id = u.id;
		if (!a[k].handle) {
			free_authors(a, n);
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
	}
	*out = a;
	return 0;
}

/* Issue references into links: #N must be an issue the actor sees. */
static int resolve_links(const struct op *op, const char *const *refs,
			 size_t n, struct cl_link **out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	*out = NULL;
	if (n > CL_ISSUES_MAX)
		return err_set(e, CAIRN_EINVALID, "issues", "at most %d issues", CL_ISSUES_MAX);
	if (n == 0)
		return 0;
	struct cl_link *l = calloc(n, sizeof *l);
	if (!l)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < n; k++) {
		const char *ref = refs[k] ? refs[k] : "";
		int64_t number = issue_ref_number(ref);
		char buf[32];
		if (number > 0) {
			struct issue i = {0};
			int rc = store_issue_get(st, number, &v, &i, e);
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				free_links(l, n);
				return err_set(e, CAIRN_EINVALID, "issues", "no issue #%" PRId64, number);
			}
			if (rc) {
				free_links(l, n);
				return rc;
			}
			l[k].issue_id = i.id;
			l[k].number = number;
			l[k].type = i.type;
			issue_release(&i);
			snprintf(buf, sizeof buf, "#%" PRId64, number);
			ref = buf;
		} else if (!is_url(ref) || strlen(ref) > CL_REF_MAX || has_control(ref, 0) ||
			   strchr(ref, ' ')) {
			free_links(l, n);
			return err_set(e, CAIRN_EINVALID, "issues",
				       "an issue is #N, N or an http(s) URL, not '%.64s'", ref);
		}
		for (size_t j = 0; j < k; j++)
			if (strcmp(l[j].ref, ref) == 0) {
				free_links(l, n);
				return err_set(e, CAIRN_EINVALID, "issues", "'%.64s' is linked twice", ref);
			}
		if (!(l[k].ref = strdup(ref))) {
			free_links(l, n);
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
	}
	*out = l;
	return 0;
}

static int check_tags(const char *const *tags, size_t n, struct err *e)
{
	if (n > CL_LIST_MAX)
		return err_set(e, CAIRN_EINVALID, "tags", "at most %d tags", CL_LIST_MAX);
	for (size_t k = 0; k < n; k++) {
		if (!tags[k] || !*tags[k] || strlen(tags[k]) > 64 || has_control(tags[k], 0))
			return err_set(e, CAIRN_EINVALID, "tags", "a tag is 1..64 bytes of text");
		for (size_t j = 0; j < k; j++)
			if (strcmp(tags[j], tags[k]) == 0)
				return err_set(e, CAIRN_EINVALID, "tags", "'%.64s' is there twice",
					       tags[k]);
	}
	return 0;
}

static int parse_milestone(struct store *st, const char *text, int64_t *id, struct err *e)
{
	*id = 0;
	if (!text || !*text)
		return 0;
	char *end;
	long long v = strtoll(text, &end, 10);
	if (*end || v <= 0)
		return err_set(e, CAIRN_EINVALID, "milestone", "milestone must be a milestone id");
	struct milestone m;
	int rc = store_milestone_get(st, v, &m, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_EINVALID, "milestone", "no milestone #%lld", v);
	}
	*id = v;
	return rc;
}

static int parse_milestone_id(struct store *st, int64_t id, struct err *e)
{
	struct milestone m;
	int rc = store_milestone_get(st, id, &m, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_EINVALID, "milestone", "no milestone #%lld", (long long)id);
	}
	return rc;
}

/* A slug free for entry `self` (0 = new): base, base-2, base-3 ... */
static int free_slug(struct store *st, const char *base, int64_t self, char *out, size_t cap,
		     struct err *e)
{
	/* two writers must not pick the same free slug */
	int lrc = store_changelog_lock_slugs(st, e);
	if (lrc)
		return lrc;
	for (int k = 1; k < 1000; k++) {
		char suffix[8] = "";
		if (k > 1)
			snprintf(suffix, sizeof suffix, "-%d", k);
		size_t room = CL_SLUG_MAX - strlen(suffix);
		snprintf(out, cap, "%.*s%s", (int)room, base, suffix);
		size_t len = strlen(out) - strlen(suffix);
		while (len > 0 && out[len - 1] == '-') /* a cut may end in '-' */
			memmove(out + len - 1, out + len, strlen(out + len) + 1), len--;
		int64_t id;
		int rc = store_changelog_by_slug(st, out, &id, e);
		if (rc)
			return rc;
		if (id == 0 || id == self)
			return 0;
	}
	return err_set(e, CAIRN_ECONFLICT, "slug", "no free slug for '%s'", base);
}

static int history(const struct op *op, int64_t id, int64_t now,
		   const char *field, const char *old_value, const char *new_value, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	return store_changelog_history_add(st, id, actor ? actor->id : 0, now, field, old_value,
					   new_value, e);
}

static int render(struct changelog_row *r, struct err *e)
{
	free(r->body_html);
	if (!(r->body_html = markdown_to_html(r->body, strlen(r->body))))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	return 0;
}

static int replace(char **field, const char *value, struct err *e)
{
	char *c = strdup(value ? value : "");
	if (!c)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	free(*field);
	*field = c;
	return 0;
}

static char *authors_text(const struct cl_author *a, size_t n)
{
	const char *v[CL_LIST_MAX + 1] = {0};
	size_t m = 0;
	for (size_t k = 0; k < n && m < CL_LIST_MAX; k++)
		v[m++] = a[k].handle;
	return join_lines(v, m);
}

/* The refs one per line; a security issue's as "(a private issue)", since
 * the history is read by people who may not see it. */
static char *links_text(const struct cl_link *l, size_t n)
{
	const char *v[CL_ISSUES_MAX + 1] = {0};
	size_t m = 0;
	for (size_t k = 0; k < n && m < CL_ISSUES_MAX; k++)
		v[m++] = l[k].type == ISSUE_SECURITY ? "(a private issue)" : l[k].ref;
	return join_lines(v, m);
}

/* ---- create, read, update -------------------------------------------------------- */

/* Validate the plain fields of in (what needs no database). */
static int check_input(const struct cl_input *in, int creating, int64_t *date, struct err *e)
{
	int rc;
	if ((creating || (in->set & CL_IN_TITLE)) &&
	    (rc = check_text("title", in->title, CL_TITLE_MAX, 1, 0, e)))
		return rc;
	if ((in->set & CL_IN_DESCRIPTION) &&
	    (rc = check_text("description", in->description, CL_DESCRIPTION_MAX, 0, 1, e)))
		return rc;
	if ((in->set & CL_IN_BODY) && (rc = check_text("body", in->body, BODY_MAX, 0, 1, e)))
		return rc;
	if ((in->set & CL_IN_SLUG) && (!in->slug || !valid_slug(in->slug)))
		return err_set(e, CAIRN_EINVALID, "slug",
			       "a slug is 1..%d of a-z, 0-9 and '-', not at either end", CL_SLUG_MAX);
	if ((in->set & CL_IN_TAGS) && (rc = check_tags(in->tags, in->ntags, e)))
		return rc;
	*date = 0;
	if ((in->set & CL_IN_DATE) && in->date && *in->date && parse_instant(in->date, date))
		return err_set(e, CAIRN_EINVALID, "date",
			       "date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
	return 0;
}

int svc_cl_create(const struct op *op, const struct cl_input *in,
		  struct changelog_row *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	struct visibility v = visibility_of(actor);
	int64_t date, now = op->now;
	char slug[CL_SLUG_MAX + 1];
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_CHANGELOG_WRITE, e)))
		return rc;
	if ((rc = check_input(in, 1, &date, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	const char *self = actor->login;
	if ((rc = resolve_authors(st, (in->set & CL_IN_AUTHORS) ? in->authors : &self,
				  (in->set & CL_IN_AUTHORS) ? in->nauthors : 1, &r.authors, e)))
		goto fail;
	r.nauthors = (in->set & CL_IN_AUTHORS) ? in->nauthors : 1;
	if ((in->set & CL_IN_ISSUES) &&
	    (rc = resolve_links(op, in->issues, in->nissues, &r.links, e)))
		goto fail;
	r.nlinks = (in->set & CL_IN_ISSUES) ? in->nissues : 0;
	if ((rc = parse_milestone(st, (in->set & CL_IN_MILESTONE) ? in->milestone : NULL,
				  &r.milestone_id, e)))
		goto fail;
	if (in->set & CL_IN_SLUG) {
		snprintf(slug, sizeof slug, "%s", in->slug);
	} else {
		char base[CL_SLUG_MAX + 1];
		cl_slug(in->title, base, sizeof base);
		if ((rc = free_slug(st, base, 0, slug, sizeof slug, e)))
			goto fail;
	}
	static const char *const default_tags[] = {"changelog"};
	r.tags = (in->set & CL_IN_TAGS) ? join_lines(in->tags, in->ntags) : join_lines(default_tags, 1);
	r.slug = strdup(slug);
	r.title = strdup(in->title);
	r.description = strdup((in->set & CL_IN_DESCRIPTION) && in->description ? in->description : "");
	r.body = strdup((in->set & CL_IN_BODY) && in->body ? in->body : "");
	if (!r.tags || !r.slug || !r.title || !r.description || !r.body) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if ((rc = render(&r, e)))
		goto fail;
	r.date_at = date ? date : now;
	r.date_set = date != 0;
	r.state = CL_DRAFT;
	r.created_by = actor->id;
	r.created_at = r.updated_at = now;
	if ((rc = store_changelog_insert(st, &r, e)) ||
	    (rc = history(op, r.id, now, "created", NULL, r.title, e)) ||
	    (rc = store_changelog_get(st, r.id, &v, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	changelog_row_release(&r);
	return 0;
fail:
	store_rollback(st);
	changelog_row_release(&r);
	changelog_row_release(out);
	return rc;
}

int svc_cl_get(const struct op *op, int64_t id, struct changelog_row *out,
	       struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_changelog_get(st, id, &v, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_cl_list(const struct op *op, const char *state, int64_t milestone,
		int64_t page, int64_t per_page, struct changelog_list *out, int64_t *total,
		struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int s = -1, rc;
	out->items = NULL;
	out->n = 0;
	if (state && *state && cl_state_parse(state, &s))
		return err_set(e, CAIRN_EINVALID, "state",
			       "state must be draft, in_review, approved or published");
	if (page < 1 || page > 1000000)
		return err_set(e, CAIRN_EINVALID, "page", "page must be 1..1000000");
	if (per_page < 1 || per_page > PER_PAGE_MAX)
		return err_set(e, CAIRN_EINVALID, "per_page", "per_page must be 1..%d", PER_PAGE_MAX);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_changelog_list(st, &v, s, milestone, (page - 1) * per_page, per_page, out,
				       total, e)) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* Read an entry for writing back: every link, whoever asks. */
static int read_raw(struct store *st, int64_t id, struct changelog_row *r, struct err *e)
{
	int rc = store_changelog_lock(st, id, e);
	return rc ? rc : store_changelog_get(st, id, &raw_vis, r, e);
}

/* read_raw, and the version check of If-Match (if_match < 0: none). */
static int read_current(struct store *st, int64_t id, int64_t if_match, struct changelog_row *r,
			struct err *e)
{
	int rc = read_raw(st, id, r, e);
	if (!rc && if_match >= 0 && r->version != if_match)
		rc = err_set(e, CAIRN_ESTALE, "version",
			     "entry #%lld is at version %lld, not %lld; reload it", (long long)id,
			     (long long)r->version, (long long)if_match);
	return rc;
}

/* Links the actor gave, plus the existing ones they cannot see (kept). */
static int merge_hidden(const struct op *op, const struct changelog_row *cur,
			struct cl_link **links, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	if (v.all_private)
		return 0;
	for (size_t k = 0; k < cur->nlinks; k++) {
		const struct cl_link *l = &cur->links[k];
		if (!l->issue_id || l->type != ISSUE_SECURITY)
			continue;
		struct issue i = {0};
		int rc = store_issue_get(st, l->number, &v, &i, e);
		issue_release(&i);
		if (rc == 0)
			continue; /* visible: the actor's list decides */
		if (rc != CAIRN_ENOTFOUND)
			return rc;
		err_clear(e);
		struct cl_link *nl = realloc(*links, (*n + 1) * sizeof *nl);
		if (!nl)
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		*links = nl;
		memset(&nl[*n], 0, sizeof nl[*n]);
		nl[*n].issue_id = l->issue_id;
		nl[*n].type = l->type;
		if (!(nl[*n].ref = strdup(l->ref)))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		(*n)++;
	}
	return 0;
}

/* Apply in to *r (a raw read of the entry), writing history rows; *content
 * gets 1 when the words changed (title, description, body, issues). */
static int apply_input(const struct op *op, const struct cl_input *in,
		       int64_t date, struct changelog_row *r, int64_t now, int *content,
		       struct err *e)
{
	struct store *st = op->st;
	int rc;
	*content = 0;
	struct {
		unsigned bit;
		const char *name;
		char **field;
		const char *value;
	} texts[] = {{CL_IN_TITLE, "title", &r->title, in->title},
		     {CL_IN_DESCRIPTION, "description", &r->description, in->description},
		     {CL_IN_BODY, "body", &r->body, in->body}};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		const char *value = texts[k].value ? texts[k].value : "";
		if (!(in->set & texts[k].bit) || strcmp(*texts[k].field, value) == 0)
			continue;
		if ((rc = history(op, r->id, now, texts[k].name,
				  strcmp(texts[k].name, "body") ? *texts[k].field : NULL,
				  strcmp(texts[k].name, "body") ? value : NULL, e)) ||
		    (rc = replace(texts[k].field, value, e)))
			return rc;
		*content = 1;
	}
	if ((in->set & CL_IN_BODY) && (rc = render(r, e)))
		return rc;
	if ((in->set & CL_IN_SLUG) && strcmp(r->slug, in->slug) != 0) {
		if (r->state == CL_PUBLISHED)
			return err_set(e, CAIRN_ECONFLICT, "slug",
				       "a published entry keeps its slug ('%s'): links to it must "
				       "not break",
				       r->slug);
		int64_t other;
		if ((rc = store_changelog_by_slug(st, in->slug, &other, e)))
			return rc;
		if (other && other != r->id)
			return err_set(e, CAIRN_ECONFLICT, "slug", "an entry with the slug '%s' exists",
				       in->slug);
		if ((rc = history(op, r->id, now, "slug", r->slug, in->slug, e)) ||
		    (rc = replace(&r->slug, in->slug, e)))
			return rc;
	}
	if (in->set & CL_IN_DATE) {
		char a[32], b[32];
		int64_t next = date ? date : (r->state == CL_PUBLISHED ? r->date_at : now);
		iso_time(r->date_at, a, sizeof a);
		iso_time(next, b, sizeof b);
		if (strcmp(a, b) && (rc = history(op, r->id, now, "date", a, b, e)))
			return rc;
		r->date_at = next;
		r->date_set = date != 0 || r->state == CL_PUBLISHED;
	}
	if (in->set & CL_IN_TAGS) {
		char *t = join_lines(in->tags, in->ntags);
		if (!t)
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		if (strcmp(t, r->tags) && (rc = history(op, r->id, now, "tags", r->tags, t, e))) {
			free(t);
			return rc;
		}
		free(r->tags);
		r->tags = t;
	}
	if (in->set & CL_IN_MILESTONE) {
		int64_t mid;
		char a[24], b[24];
		if ((rc = parse_milestone(st, in->milestone, &mid, e)))
			return rc;
		snprintf(a, sizeof a, "%" PRId64, r->milestone_id);
		snprintf(b, sizeof b, "%" PRId64, mid);
		if (mid != r->milestone_id &&
		    (rc = history(op, r->id, now, "milestone", r->milestone_id ? a : NULL,
				  mid ? b : NULL, e)))
			return rc;
		r->milestone_id = mid;
	}
	if (in->set & CL_IN_AUTHORS) {
		struct cl_author *a;
		if ((rc = resolve_authors(st, in->authors, in->nauthors, &a, e)))
			return rc;
		char *was = authors_text(r->authors, r->nauthors), *now_t = authors_text(a, in->nauthors);
		if (!was || !now_t) {
			free(was);
			free(now_t);
			free_authors(a, in->nauthors);
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
		rc = 0;
		if (strcmp(was, now_t)) {
			if (!(rc = history(op, r->id, now, "authors", was, now_t, e)))
				rc = store_changelog_set_authors(st, r->id, a, in->nauthors, e);
		}
		free(was);
		free(now_t);
		free_authors(r->authors, r->nauthors);
		r->authors = a;
		r->nauthors = in->nauthors;
		if (rc)
			return rc;
	}
	if (in->set & CL_IN_ISSUES) {
		struct cl_link *l;
		size_t n = in->nissues;
		if ((rc = resolve_links(op, in->issues, in->nissues, &l, e)))
			return rc;
		if ((rc = merge_hidden(op, r, &l, &n, e))) {
			free_links(l, n);
			return rc;
		}
		char *was = links_text(r->links, r->nlinks), *now_t = links_text(l, n);
		int same = r->nlinks == n;
		for (size_t k = 0; k < n && same; k++)
			same = strcmp(r->links[k].ref, l[k].ref) == 0;
		if (!was || !now_t) {
			free(was);
			free(now_t);
			free_links(l, n);
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
		rc = 0;
		if (!same) {
			*content = 1;
			if (!(rc = history(op, r->id, now, "issues", was, now_t, e)))
				rc = store_changelog_set_links(st, r->id, l, n, e);
		}
		free(was);
		free(now_t);
		free_links(l, n);
		if (rc)
			return rc;
	}
	return 0;
}

int svc_cl_update(const struct op *op, int64_t id, const struct cl_input *in,
		  int64_t if_match, struct changelog_row *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	struct visibility v = visibility_of(actor);
	int64_t date, now = op->now;
	int content, rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_CHANGELOG_WRITE, e)))
		return rc;
	if ((rc = check_input(in, 0, &date, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = read_current(st, id, if_match, &r, e)))
		goto fail;
	if (r.state == CL_PUBLISHED && !may_publish(actor)) {
		rc = err_set(e, CAIRN_EFORBIDDEN, NULL,
			     "a published entry is edited by PMs and admins only");
		goto fail;
	}
	int64_t version = r.version;
	if ((rc = apply_input(op, in, date, &r, now, &content, e)))
		goto fail;
	if (content && r.state == CL_APPROVED) {
		/* the approval covered other words */
		if ((rc = history(op, id, now, "state", "approved", "draft", e)))
			goto fail;
		r.state = CL_DRAFT;
		r.approved_by = 0;
	}
	r.updated_at = now;
	if ((rc = store_changelog_update(st, &r, version, e)) ||
	    (r.state == CL_PUBLISHED && (rc = store_changelog_bump(st, now, e))) ||
	    (rc = store_changelog_get(st, id, &v, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	changelog_row_release(&r);
	return 0;
fail:
	store_rollback(st);
	changelog_row_release(&r);
	changelog_row_release(out);
	return rc;
}

int svc_cl_delete(const struct op *op, int64_t id, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	int rc;
	if ((rc = svc_allow(actor, P_CHANGELOG_WRITE, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = read_raw(st, id, &r, e)))
		goto fail;
	if (r.state == CL_APPROVED || r.state == CL_PUBLISHED) {
		rc = err_set(e, CAIRN_ECONFLICT, "state", "an %s entry cannot be deleted",
			     cl_state_name(r.state));
		goto fail;
	}
	if (!may_publish(actor) && r.created_by != actor->id && !is_author(&r, actor)) {
		rc = err_set(e, CAIRN_EFORBIDDEN, NULL,
			     "only its authors, its creator, PMs and admins delete an entry");
		goto fail;
	}
	if ((rc = store_changelog_delete(st, id, e)) || (rc = store_commit(st, e)))
		goto fail;
	changelog_row_release(&r);
	return 0;
fail:
	store_rollback(st);
	changelog_row_release(&r);
	return rc;
}

/* ---- the review workflow ------------------------------------------------------------ */

/* The JSON event a hook receives for a published entry. */
static char *publish_event(struct store *st, const struct changelog_row *r, struct err *e)
{
	static const struct visibility anon = {0, 0, 0};
	struct changelog_row pub = {0};
	int64_t ids[CL_ISSUES_MAX];
	size_t nids = 0;
	struct cl_ask *asks = NULL;
	size_t nasks = 0;
	char *text = NULL;
	int rc;
	/* what the public may see of it */
	if ((rc = store_changelog_get(st, r->id, &anon, &pub, e)))
		return NULL;
	for (size_t k = 0; k < pub.nlinks && nids < CL_ISSUES_MAX; k++)
		if (pub.links[k].issue_id)
			ids[nids++] = pub.links[k].issue_id;
	if ((rc = store_cl_asks(st, ids, nids, &asks, &nasks, e))) {
		changelog_row_release(&pub);
		return NULL;
	}
	json_t *issues = json_array(), *customers = json_array();
	for (size_t k = 0; k < pub.nlinks; k++)
		if (pub.links[k].number)
			json_array_append_new(issues, json_pack("{s:I,s:s}", "number",
								(json_int_t)pub.links[k].number,
								"title", pub.links[k].title ? pub.links[k].title : ""));
	for (size_t k = 0; k < nasks; k++)
		if (k == 0 || asks[k].customer_id != asks[k - 1].customer_id)
			json_array_append_new(customers,
					      json_pack("{s:I,s:s}", "id", (json_int_t)asks[k].customer_id,
							"name", asks[k].customer));
	json_t *o = json_pack("{s:s,s:o,s:o,s:o}", "event", "changelog.published", "entry",
			      cl_row_to_json(&pub, 0), "issues", issues, "customers", customers);
	if (o)
		text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	cl_asks_free(asks, nasks);
	changelog_row_release(&pub);
	if (!text)
		err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	return text;
}

int svc_cl_transition(const struct op *op, int64_t id, const char *to,
		      int64_t if_match, struct changelog_row *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	struct visibility v = visibility_of(actor);
	int64_t now = op->now;
	int next, rc;
	memset(out, 0, sizeof *out);
	if (!to || cl_state_parse(to, &next))
		return err_set(e, CAIRN_EINVALID, "state",
			       "state must be draft, in_review, approved or published");
	if ((rc = svc_allow(actor, P_CHANGELOG_WRITE, e)))
		return rc;
	if (next == CL_PUBLISHED && (rc = svc_allow(actor, P_CHANGELOG_PUBLISH, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = read_current(st, id, if_match, &r, e)))
		goto fail;
	int from = r.state;
	int allowed = (from == CL_DRAFT && next == CL_IN_REVIEW) ||
		      (from == CL_IN_REVIEW && (next == CL_DRAFT || next == CL_APPROVED)) ||
		      (from == CL_APPROVED && (next == CL_PUBLISHED || next == CL_DRAFT));
	if (!allowed) {
		if (next == CL_PUBLISHED)
			rc = err_set(e, CAIRN_ECONFLICT, "state",
				     "only an approved entry can be published; this one is %s",
				     cl_state_name(from));
		else if (next == CL_APPROVED)
			rc = err_set(e, CAIRN_ECONFLICT, "state",
				     "only an entry in review can be approved; this one is %s",
				     cl_state_name(from));
		else
			rc = err_set(e, CAIRN_ECONFLICT, "state", "a %s entry cannot become %s",
				     cl_state_name(from), cl_state_name(next));
		goto fail;
	}
	if (next == CL_APPROVED && is_author(&r, actor)) {
		rc = err_set(e, CAIRN_EFORBIDDEN, NULL,
			     "the reviewer must not be an author of the entry ('%s' is one); "
			     "ask someone else to approve it",
			     actor->login);
		goto fail;
	}
	if ((rc = history(op, id, now, "state", cl_state_name(from), cl_state_name(next), e)))
		goto fail;
	r.state = next;
	r.approved_by = next == CL_APPROVED || next == CL_PUBLISHED ? (next == CL_APPROVED ? actor->id : r.approved_by) : 0;
	if (next == CL_PUBLISHED) {
		r.published_at = now;
		if (!r.date_set)
			r.date_at = now;
		r.date_set = 1;
	}
	r.updated_at = now;
	char *event = NULL;
	if ((rc = store_changelog_update(st, &r, r.version, e)))
		goto fail;
	if (next == CL_PUBLISHED) {
		if ((rc = store_changelog_bump(st, now, e)))
			goto fail;
		if (!(event = publish_event(st, &r, e))) {
			rc = e ? e->code : CAIRN_ENOMEM;
			goto fail;
		}
		rc = store_hook_enqueue(st, "changelog.published", id, event, wall_ms(), now, e);
		free(event);
		if (rc || (rc = svc_gh_entry_published(op, &r, e)))
			goto fail;
	}
	if ((rc = store_changelog_get(st, id, &v, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	changelog_row_release(&r);
	return 0;
fail:
	store_rollback(st);
	changelog_row_release(&r);
	changelog_row_release(out);
	return rc;
}

int svc_cl_history(const struct op *op, int64_t id,
		   struct history_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	int rc;
	(void)actor;
	out->items = NULL;
	out->n = 0;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_changelog_get(st, id, &raw_vis, &r, e)) ||
	    (rc = store_changelog_history(st, id, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	changelog_row_release(&r);
	return rc;
}

int svc_cl_comments(const struct op *op, int64_t id,
		    struct cl_comment **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	int rc;
	(void)actor;
	*out = NULL;
	*n = 0;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_changelog_get(st, id, &raw_vis, &r, e)) ||
	    (rc = store_cl_comments(st, id, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	changelog_row_release(&r);
	return rc;
}

int svc_cl_comment_add(const struct op *op, int64_t id, const char *body,
		       int64_t parent, int64_t *comment_id, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	int64_t now = op->now;
	char note[32];
	int rc;
	if ((rc = svc_allow(actor, P_CHANGELOG_WRITE, e)))
		return rc;
	if ((rc = check_text("body", body, CL_COMMENT_MAX, 1, 1, e)))
		return rc;
	if (parent < 0)
		return err_set(e, CAIRN_EINVALID, "parent", "parent must be a comment id");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if (!(rc = store_changelog_get(st, id, &raw_vis, &r, e)) &&
	    !(rc = store_cl_comment_insert(st, id, parent, actor->id, body, now, comment_id, e))) {
		snprintf(note, sizeof note, "#%" PRId64, *comment_id);
		if (!(rc = history(op, id, now, "comment", NULL, note, e)))
			rc = store_commit(st, e);
	}
	if (rc)
		store_rollback(st);
	changelog_row_release(&r);
	return rc;
}

int svc_cl_comment_resolve(const struct op *op, int64_t id, int64_t cid,
			   int resolved, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	int64_t now = op->now;
	char note[32];
	int rc;
	if ((rc = svc_allow(actor, P_CHANGELOG_WRITE, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	snprintf(note, sizeof note, "#%" PRId64, cid);
	if (!(rc = store_changelog_get(st, id, &raw_vis, &r, e)) &&
	    !(rc = store_cl_comment_resolve(st, id, cid, resolved ? now : 0, actor->id, e)) &&
	    !(rc = history(op, id, now, resolved ? "comment_resolved" : "comment_reopened",
			   NULL, note, e)))
		rc = store_commit(st, e);
	if (rc)
		store_rollback(st);
	changelog_row_release(&r);
	return rc;
}

/* ---- files -------------------------------------------------------------------------- */

/* The entry as a front-matter file (links as the reader sees them). */
static char *format_row(const struct changelog_row *r)
{
	const char *authors[CL_LIST_MAX], *tags[CL_LIST_MAX], *issues[CL_ISSUES_MAX];
	char *tagbuf = NULL;
	struct cl_entry ce = {0};
	for (size_t k = 0; k < r->nauthors && k < CL_LIST_MAX; k++)
		authors[ce.nauthors++] = r->authors[k].handle;
	for (size_t k = 0; k < r->nlinks && k < CL_ISSUES_MAX; k++)
		issues[ce.nissues++] = r->links[k].ref;
	ce.ntags = split_lines(r->tags, &tagbuf, tags, CL_LIST_MAX);
	if (!tagbuf)
		return NULL;
	ce.title = r->title;
	ce.description = r->description;
	ce.body = r->body;
	ce.date_ms = r->date_at;
	ce.authors = (char **)authors;
	ce.tags = (char **)tags;
	ce.issues = (char **)issues;
	char *text = cl_format(&ce);
	free(tagbuf);
	return text;
}

int svc_cl_export(const struct op *op, int64_t id, char **text,
		  char *filename, size_t cap, struct err *e)
{
	struct changelog_row r = {0};
	int rc;
	*text = NULL;
	if ((rc = svc_cl_get(op, id, &r, e)))
		return rc;
	if (!(*text = format_row(&r)))
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	cl_filename(r.date_at, r.slug, filename, cap);
	changelog_row_release(&r);
	return rc;
}

int svc_cl_export_all(const struct op *op, int64_t milestone,
		      svc_cl_file_fn fn, void *ctx, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct changelog_list l = {0};
	int64_t total = 0;
	int rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	/* newest first in pages of 100; written as read */
	for (int64_t off = 0; !rc; off += 100) {
		if ((rc = store_changelog_list(st, &v, -1, milestone, off, 100, &l, &total, e)))
			break;
		for (size_t k = 0; k < l.n && !rc; k++) {
			char name[128], *text = format_row(&l.items[k]);
			if (!text) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			cl_filename(l.items[k].date_at, l.items[k].slug, name, sizeof name);
			if (fn(ctx, name, text))
				rc = err_set(e, CAIRN_EINTERNAL, "out", "cannot write %s", name);
			free(text);
		}
		size_t got = l.n;
		changelog_list_release(&l);
		if (got < 100)
			break;
	}
	if (rc)
		store_rollback(st);
	else
		rc = store_commit(st, e);
	return rc;
}

void cl_import_result_free(struct cl_import_result *r)
{
	free(r->items);
	r->items = NULL;
	r->n = 0;
}

/* "YYYY-MM-DD-slug.md" -> slug, when the name has that shape. */
static int slug_of_filename(const char *name, char *out, size_t cap)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	size_t len = strlen(base);
	if (len < 15 || strcmp(base + len - 3, ".md") != 0)
		return -1;
	for (int k = 0; k < 10; k++)
		if (k == 4 || k == 7 ? base[k] != '-' : !isdigit((unsigned char)base[k]))
			return -1;
	if (base[10] != '-')
		return -1;
	snprintf(out, cap, "%.*s", (int)(len - 14), base + 11);
	return valid_slug(out) ? 0 : -1;
}

/* One parsed file into a published entry (in the open transaction). */
static int import_one(const struct op *op, const struct cl_entry *ce,
		      const char *slug, int64_t milestone, int64_t now, int64_t *id, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct changelog_row r = {0};
	int rc = 0;
	if (milestone && (rc = parse_milestone_id(st, milestone, e)))
		return rc;
	r.milestone_id = milestone;
	if (ce->nauthors && !(r.authors = calloc(ce->nauthors, sizeof *r.authors)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < ce->nauthors; k++) {
		struct user u = {0};
		if (!(r.authors[k].handle = strdup(ce->authors[k]))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		r.nauthors++;
		int urc = store_user_by_login(st, ce->authors[k], &u, NULL, 0, e);
		if (urc == 0)
			r.authors[k].user_id = u.id;
		else if (urc != CAIRN_ENOTFOUND) {
			rc = urc;
			goto out;
		}
		err_clear(e);
	}
	if (ce->nissues && !(r.links = calloc(ce->nissues, sizeof *r.links))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < ce->nissues; k++) {
		struct issue i = {0};
		if (!(r.links[k].ref = strdup(ce->issues[k]))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		r.nlinks++;
		int64_t number = ce->issues[k][0] == '#' ? issue_ref_number(ce->issues[k]) : 0;
		if (number > 0) {
			int irc = store_issue_get(st, number, &raw_vis, &i, e);
			if (irc == 0)
				r.links[k].issue_id = i.id;
			else if (irc != CAIRN_ENOTFOUND) {
				rc = irc;
				goto out;
			}
			err_clear(e);
			issue_release(&i);
		}
	}
	const char *tags[CL_MAX_ITEMS];
	for (size_t k = 0; k < ce->ntags && k < CL_MAX_ITEMS; k++)
		tags[k] = ce->tags[k];
	r.tags = join_lines(tags, ce->ntags < CL_MAX_ITEMS ? ce->ntags : CL_MAX_ITEMS);
	r.slug = strdup(slug);
	r.title = strdup(ce->title);
	r.description = strdup(ce->description ? ce->description : "");
	r.body = strdup(ce->body ? ce->body : "");
	if (!r.tags || !r.slug || !r.title || !r.description || !r.body) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = render(&r, e)))
		goto out;
	r.date_at = ce->date_ms;
	r.date_set = 1;
	r.state = CL_PUBLISHED;
	r.created_by = actor->id;
	r.created_at = r.updated_at = now;
	r.published_at = ce->date_ms;
	if (!(rc = store_changelog_insert(st, &r, e)) &&
	    !(rc = history(op, r.id, now, "imported", NULL, slug, e)))
		*id = r.id;
out:
	changelog_row_release(&r);
	return rc;
}

int svc_cl_import(const struct op *op, const struct cl_file *files,
		  size_t n, struct cl_import_result *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int64_t now = op->now;
	int rc = 0;
	out->items = NULL;
	out->n = 0;
	if ((rc = svc_allow(actor, P_CHANGELOG_PUBLISH, e)))
		return rc;
	if (n == 0)
		return err_set(e, CAIRN_EINVALID, "files", "no files to import");
	if (n > 1000)
		return err_set(e, CAIRN_EINVALID, "files", "at most 1000 files at once");
	if (!(out->items = calloc(n, sizeof *out->items)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	out->n = n;
	if ((rc = store_begin(st, 1, e)))
		goto fail;
	rc = store_changelog_lock_slugs(st, e);
	int imported = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		struct cl_import_item *it = &out->items[k];
		struct cl_parse_error pe = {0};
		struct cl_entry ce = {0};
		char slug[CL_SLUG_MAX + 1];
		const char *name = files[k].name && *files[k].name ? files[k].name : "(unnamed)";
		snprintf(it->file, sizeof it->file, "%s", name);
		if (cl_parse(files[k].content ? files[k].content : "", files[k].len, &ce, &pe)) {
			it->line = pe.line;
			snprintf(it->message, sizeof it->message, "%s", pe.msg);
			continue;
		}
		if (slug_of_filename(name, slug, sizeof slug))
			cl_slug(ce.title, slug, sizeof slug);
		snprintf(it->slug, sizeof it->slug, "%s", slug);
		int64_t other;
		if ((rc = store_changelog_by_slug(st, slug, &other, e))) {
			cl_entry_release(&ce);
			break;
		}
		if (other) {
			snprintf(it->message, sizeof it->message,
				 "the entry '%s' exists (#%" PRId64 ")", slug, other);
			cl_entry_release(&ce);
			continue;
		}
		rc = import_one(op, &ce, slug, files[k].milestone, now, &it->id, e);
		cl_entry_release(&ce);
		imported += !rc;
	}
	if (!rc && imported)
		rc = store_changelog_bump(st, now, e);
	if (!rc)
		rc = store_commit(st, e);
	if (rc) {
		store_rollback(st);
		goto fail;
	}
	return 0;
fail:
	cl_import_result_free(out);
	return rc;
}

/* ---- closing the loop ---------------------------------------------------------------- */

void cl_tell_release(struct cl_tell_list *t)
{
	free(t->customers);
	cl_asks_free(t->asks, t->nasks);
	memset(t, 0, sizeof *t);
}

/* The asks behind r's visible issues, grouped by customer. */
static int tell_fill(struct store *st, const struct changelog_row *r, struct cl_tell_list *out,
		     struct err *e)
{
	int64_t ids[CL_ISSUES_MAX];
	size_t nids = 0;
	int rc;
	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < r->nlinks && nids < CL_ISSUES_MAX; k++)
		if (r->links[k].issue_id)
			ids[nids++] = r->links[k].issue_id;
	if ((rc = store_cl_asks(st, ids, nids, &out->asks, &out->nasks, e)))
		return rc;
	for (size_t k = 0; k < out->nasks; k++) {
		const struct cl_ask *a = &out->asks[k];
		if (out->n == 0 || out->customers[out->n - 1].id != a->customer_id) {
			struct cl_tell_customer *nc =
				realloc(out->customers, (out->n + 1) * sizeof *nc);
			if (!nc) {
				cl_tell_release(out);
				return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			}
			out->customers = nc;
			struct cl_tell_customer *c = &nc[out->n++];
			memset(c, 0, sizeof *c);
			c->id = a->customer_id;
			c->arr = a->arr;
			c->strategic = a->strategic;
			c->told = 1;
			snprintf(c->name, sizeof c->name, "%s", a->customer);
			snprintf(c->tier, sizeof c->tier, "%s", a->tier);
			c->asks = a;
		}
		struct cl_tell_customer *c = &out->customers[out->n - 1];
		c->nasks++;
		if (!a->answered_at)
			c->told = 0;
	}
	return 0;
}

int svc_cl_tell_list(const struct op *op, int64_t id,
		     struct cl_tell_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct changelog_row r = {0};
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_changelog_get(st, id, &v, &r, e)) || (rc = tell_fill(st, &r, out, e)) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	changelog_row_release(&r);
	return rc;
}

int svc_cl_tell(const struct op *op, int64_t id, const int64_t *customers,
		size_t n, struct cl_tell_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct changelog_row r = {0};
	struct cl_tell_list cur = {0};
	int64_t ids[CL_ISSUES_MAX], now = op->now;
	size_t nids = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_LOOP_CLOSE, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_changelog_get(st, id, &v, &r, e)) || (rc = tell_fill(st, &r, &cur, e)))
		goto fail;
	if (r.state != CL_PUBLISHED) {
		rc = err_set(e, CAIRN_ECONFLICT, "state",
			     "tell customers once the entry is published (it is %s)",
			     cl_state_name(r.state));
		goto fail;
	}
	for (size_t k = 0; k < n; k++) {
		size_t j = 0;
		while (j < cur.n && cur.customers[j].id != customers[k])
			j++;
		if (j == cur.n) {
			rc = err_set(e, CAIRN_EINVALID, "customers",
				     "customer #%" PRId64 " asked for nothing in this entry", customers[k]);
			goto fail;
		}
	}
	for (size_t k = 0; k < r.nlinks && nids < CL_ISSUES_MAX; k++)
		if (r.links[k].issue_id)
			ids[nids++] = r.links[k].issue_id;
	for (size_t j = 0; j < cur.n; j++) {
		int wanted = n == 0;
		for (size_t k = 0; k < n && !wanted; k++)
			wanted = customers[k] == cur.customers[j].id;
		if (!wanted || cur.customers[j].told)
			continue;
		int64_t changed;
		char note[CUSTOMER_NAME_MAX + 32];
		if ((rc = store_cl_tell(st, cur.customers[j].id, ids, nids, now, actor->id, &changed, e)))
			goto fail;
		snprintf(note, sizeof note, "%s (%" PRId64 " insights)", cur.customers[j].name, changed);
		if ((rc = history(op, id, now, "told", NULL, note, e)))
			goto fail;
	}
	cl_tell_release(&cur);
	if ((rc = tell_fill(st, &r, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	changelog_row_release(&r);
	return 0;
fail:
	store_rollback(st);
	cl_tell_release(&cur);
	cl_tell_release(out);
	changelog_row_release(&r);
	return rc;
}

int svc_customer_shipped(const struct op *op, int64_t customer_id,
			 struct cl_shipped **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_cl_shipped(st, customer_id, &v, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* ---- milestones ------------------------------------------------------------------------ */

/* The closed issues of a milestone matching extra query text (raw view). */
static int milestone_issues(struct store *st, int64_t milestone, const char *extra,
			    struct issue_list *out, struct err *e)
{
	char q[128];
	struct issue_query query;
	int64_t total;
	int rc;
	snprintf(q, sizeof q, "is:closed %s", extra);
	if ((rc = query_parse(q, &query, e)))
		return rc;
	query.milestone = milestone; /* by id (milestone:X also matches titles) */
	query.oldest_first = 1;
	rc = store_issue_list(st, &query, &raw_vis, 0, 2000, out, &total, e);
	query_release(&query);
	return rc;
}

/* The headline issues of a milestone shipped without an entry. */
static int headline_without_entry(struct store *st, int64_t milestone, struct issue_list *out,
				  struct err *e)
{
	struct issue_list all = {0};
	int rc = milestone_issues(st, milestone, "label:headline", &all, e);
	out->items = NULL;
	out->n = 0;
	if (rc)
		return rc;
	for (size_t k = 0; k < all.n && !rc; k++) {
		int64_t *ids;
		size_t n;
		if (all.items[k].type == ISSUE_SECURITY || all.items[k].close_reason)
			continue; /* private, or closed without shipping */
		if ((rc = store_changelog_for_issue(st, all.items[k].id, &ids, &n, e)))
			break;
		free(ids);
		if (n)
			continue;
		struct issue *ni = realloc(out->items, (out->n + 1) * sizeof *ni);
		if (!ni) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		out->items = ni;
		ni[out->n++] = all.items[k]; /* moved */
		memset(&all.items[k], 0, sizeof all.items[k]);
	}
	issue_list_release(&all);
	if (rc)
		issue_list_release(out);
	return rc;
}

/* 1 when a markdown block is prose (not a heading, list, quote, table,
 * code fence or HTML), so it can be a one-line description. */
static int is_prose(const char *p, size_t len)
{
	if (!len)
		return 0;
	if (strchr("#>|<`~-*+", p[0]) || (len > 1 && isdigit((unsigned char)p[0]) && p[1] == '.'))
		return 0;
	return 1;
}

/* The first prose paragraph of markdown as one line into first, and a new
 * string (caller frees; NULL when out of memory) with the body less that
 * paragraph; headings and everything else stay in the body. */
static char *split_body(const char *body, char *first, size_t cap)
{
	const char *p = body, *found = NULL;
	size_t flen = 0;
	first[0] = '\0';
	while (*p && !found) {
		while (*p == '\n' || *p == '\r')
			p++;
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (is_prose(p, len)) {
			found = p;
			flen = len;
		}
		p += len;
	}
	if (!found)
		return strdup(body);
	size_t n = 0;
	for (size_t k = 0; k < flen && n + 1 < cap; k++)
		first[n++] = found[k] == '\n' || found[k] == '\r' || found[k] == '\t' ? ' ' : found[k];
	while (n > 0 && first[n - 1] == ' ')
		n--;
	while (n > 0 && n + 1 >= cap && ((unsigned char)first[n - 1] & 0xC0) == 0x80)
		n--; /* do not cut a UTF-8 sequence */
	first[n] = '\0';
	/* the body without it: what came before, then what comes after */
	size_t before = (size_t)(found - body);
	const char *after = found + flen;
	while (*after == '\n' || *after == '\r')
		after++;
	while (before > 0 && (body[before - 1] == '\n' || body[before - 1] == '\r'))
		before--;
	size_t alen = strlen(after);
	char *rest = malloc(before + 2 + alen + 1);
	if (!rest)
		return NULL;
	memcpy(rest, body, before);
	size_t m = before;
	if (before && alen) {
		rest[m++] = '\n';
		rest[m++] = '\n';
	}
	memcpy(rest + m, after, alen + 1);
	return rest;
}

int svc_cl_milestone_draft(const struct op *op, int64_t milestone,
			   struct changelog_list *created, int64_t *existing, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct issue_list todo = {0}, all = {0};
	struct milestone m;
	int64_t now = op->now;
	int rc;
	created->items = NULL;
	created->n = 0;
	*existing = 0;
	if ((rc = svc_allow(actor, P_CHANGELOG_DRAFT, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_milestone_get(st, milestone, &m, e)) ||
	    (rc = milestone_issues(st, milestone, "label:headline", &all, e)) ||
	    (rc = headline_without_entry(st, milestone, &todo, e)))
		goto fail;
	for (size_t k = 0; k < all.n; k++)
		if (all.items[k].type != ISSUE_SECURITY && !all.items[k].close_reason)
			(*existing)++;
	*existing -= (int64_t)todo.n;
	if (todo.n && !(created->items = calloc(todo.n, sizeof *created->items))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t k = 0; k < todo.n; k++) {
		struct issue full = {0};
		struct changelog_row r = {0};
		char first[CL_DESCRIPTION_MAX + 1], base[CL_SLUG_MAX + 1], slug[CL_SLUG_MAX + 1];
		char ref[32];
		if ((rc = store_issue_get(st, todo.items[k].number, &raw_vis, &full, e)))
			goto fail;
		char *rest = split_body(full.body ? full.body : "", first, sizeof first);
		const char *logins[2];
		size_t nl = 0;
		if (full.assignee)
			logins[nl++] = full.assignee;
		if (full.reporter && (!full.assignee || strcmp(full.reporter, full.assignee)))
			logins[nl++] = full.reporter;
		snprintf(ref, sizeof ref, "#%" PRId64, full.number);
		cl_slug(full.title, base, sizeof base);
		const char *tags[] = {"changelog"};
		r.nauthors = nl;
		r.nlinks = 1;
		r.authors = calloc(nl ? nl : 1, sizeof *r.authors);
		r.links = calloc(1, sizeof *r.links);
		if (r.authors)
			for (size_t j = 0; j < nl; j++) {
				struct user u = {0};
				if (store_user_by_login(st, logins[j], &u, NULL, 0, e))
					u.id = 0;
				err_clear(e);
				r.authors[j].handle = strdup(logins[j]);
				r.authors[j].user_id = u.id;
			}
		if (r.links) {
			r.links[0].ref = strdup(ref);
			r.links[0].issue_id = full.id;
		}
		r.tags = join_lines(tags, 1);
		r.title = strndup(full.title, CL_TITLE_MAX);
		r.description = strdup(first);
		r.body = rest;
		if ((rc = free_slug(st, base, 0, slug, sizeof slug, e))) {
			issue_release(&full);
			changelog_row_release(&r);
			goto fail;
		}
		r.slug = strdup(slug);
		int oom = !r.authors || !r.links || !r.links[0].ref || !r.tags || !r.title ||
			  !r.description || !r.body || !r.slug;
		for (size_t j = 0; j < nl && !oom; j++)
			oom = !r.authors[j].handle;
		if (oom)
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		if (!rc)
			rc = render(&r, e);
		r.date_at = now;
		r.milestone_id = milestone;
		r.state = CL_DRAFT;
		r.created_by = actor->id;
		r.created_at = r.updated_at = now;
		if (!rc)
			rc = store_changelog_insert(st, &r, e);
		if (!rc)
			rc = history(op, r.id, now, "created", NULL, ref, e);
		if (!rc)
			rc = store_changelog_get(st, r.id, &v, &created->items[created->n], e);
		if (!rc)
			created->n++;
		issue_release(&full);
		changelog_row_release(&r);
		if (rc)
			goto fail;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	issue_list_release(&todo);
	issue_list_release(&all);
	return 0;
fail:
	store_rollback(st);
	issue_list_release(&todo);
	issue_list_release(&all);
	changelog_list_release(created);
	*existing = 0;
	return rc;
}

void cl_checklist_release(struct cl_checklist *c)
{
	issue_list_release(&c->headline_without_entry);
	changelog_list_release(&c->entries);
}

int svc_cl_checklist(const struct op *op, int64_t milestone,
		     struct cl_checklist *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct milestone m;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_milestone_get(st, milestone, &m, e)) ||
	    (rc = headline_without_entry(st, milestone, &out->headline_without_entry, e)) ||
	    (rc = store_changelog_list(st, &v, -1, milestone, 0, 100, &out->entries, NULL, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		cl_checklist_release(out);
	}
	return rc;
}

void cl_notes_release(struct cl_notes *n)
{
	issue_list_release(&n->items);
	free(n->redacted);
	n->redacted = NULL;
}

int svc_cl_notes(const struct op *op, int64_t milestone,
		 struct cl_notes *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_milestone_get(st, milestone, &out->m, e)) ||
	    (rc = milestone_issues(st, milestone, "", &out->items, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		cl_notes_release(out);
		return rc;
	}
	/* won't-do and duplicates did not ship */
	size_t kept = 0;
	for (size_t k = 0; k < out->items.n; k++) {
		if (out->items.items[k].close_reason) {
			issue_release(&out->items.items[k]);
			continue;
		}
		out->items.items[kept++] = out->items.items[k];
	}
	out->items.n = kept;
	if (kept && !(out->redacted = calloc(kept, sizeof *out->redacted))) {
		cl_notes_release(out);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	for (size_t k = 0; k < kept; k++) {
		const struct issue *i = &out->items.items[k];
		out->redacted[k] = actor && i->type == ISSUE_SECURITY && !v.all_private &&
				   i->reporter_id != v.user_id;
		if (!actor)
			out->redacted[k] = i->type == ISSUE_SECURITY;
	}
	return 0;
}

char *cl_notes_markdown(const struct cl_notes *n)
{
	struct cl_release_item *items = calloc(n->items.n ? n->items.n : 1, sizeof *items);
	const char **authors = calloc(n->items.n ? 2 * n->items.n : 1, sizeof *authors);
	char due[16];
	char *md = NULL;
	if (!items || !authors)
		goto out;
	for (size_t k = 0; k < n->items.n; k++) {
		const struct issue *i = &n->items.items[k];
		struct cl_release_item *it = &items[k];
		it->number = i->number;
		it->type = issue_type_name(i->type);
		it->title = i->title;
		it->redacted = n->redacted[k];
		it->severity = i->type == ISSUE_SECURITY && i->severity ? severity_name(i->severity) : NULL;
		const char **a = &authors[2 * k];
		if (i->assignee)
			a[it->nauthors++] = i->assignee;
		if (i->reporter && (!i->assignee || strcmp(i->assignee, i->reporter)))
			a[it->nauthors++] = i->reporter;
		it->authors = a;
	}
	day_format(n->m.due_day, due, sizeof due);
	struct cl_release rel = {n->m.title, due, items, n->items.n};
	md = cl_release_notes_md(&rel);
out:
	free(items);
	free(authors);
	return md;
}

/* ---- the public changelog -------------------------------------------------------------- */

int svc_cl_config(const struct op *op, struct cl_config *out, struct err *e)
{
	struct store *st = op->st;
	char buf[256];
	int found, rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_setting_get(st, "public_changelog", buf, sizeof buf, &found, e)))
		return rc;
	out->public_on = found && strcmp(buf, "1") == 0;
	if ((rc = store_setting_get(st, "public_roadmap", buf, sizeof buf, &found, e)))
		return rc;
	out->public_roadmap = found && strcmp(buf, "1") == 0;
	if ((rc = store_setting_get(st, "public_url", buf, sizeof buf, &found, e)))
		return rc;
	if (found)
		snprintf(out->public_url, sizeof out->public_url, "%s", buf);
	if ((rc = store_setting_get(st, "install_id", buf, sizeof buf, &found, e)))
		return rc;
	if (found && strlen(buf) == 32) {
		memcpy(out->install_id, buf, 33);
		return 0;
	}
	out->install_id[0] = '\0'; /* not made yet: ensure_install_id */
	return 0;
}

/* The first time anyone asks: a random installation id, kept in the
 * settings (and so in backups); of two servers racing, the first wins. */
static int ensure_install_id(struct store *st, struct err *e)
{
	unsigned char raw[16];
	char hex[33];
	int rc;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_setting_insert_new(st, "install_id", hex, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_cl_public_stamp(const struct op *op, int64_t *version,
			int64_t *last_modified, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int public_on, rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_changelog_stamp(st, version, last_modified, &public_on, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		return rc;
	}
	if (!actor && !public_on)
		return err_set(e, CAIRN_ENOTFOUND, NULL, "no public changelog here");
	return 0;
}

int svc_cl_public_entry(const struct op *op, const char *slug,
			struct changelog_list *out, struct cl_config *cfg, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	static const struct visibility anon = {0, 0, 0};
	int64_t id = 0;
	int rc;
	out->items = NULL;
	out->n = 0;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = svc_cl_config(op, cfg, e)) || (rc = store_changelog_by_slug(st, slug, &id, e)))
		goto fail;
	if ((!actor && !cfg->public_on) || !id) {
		rc = err_set(e, CAIRN_ENOTFOUND, "entry", "no such entry");
		goto fail;
	}
	if (!(out->items = calloc(1, sizeof *out->items))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if ((rc = store_changelog_get(st, id, &anon, &out->items[0], e)))
		goto fail;
	out->n = 1;
	if (out->items[0].state != CL_PUBLISHED) {
		rc = err_set(e, CAIRN_ENOTFOUND, "entry", "no such entry");
		goto fail;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	changelog_list_release(out);
	return rc;
}

int svc_cl_public(const struct op *op, int64_t page, int64_t per_page,
		  struct changelog_list *out, int64_t *total, struct cl_config *cfg,
		  int64_t *version, int64_t *last_modified, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	/* the public sees what an anonymous reader may: no private links,
	 * whoever asks, so a signed-in preview shows what the public gets */
	static const struct visibility anon = {0, 0, 0};
	int rc;
	out->items = NULL;
	out->n = 0;
	if (page < 1 || page > 100000)
		return err_set(e, CAIRN_EINVALID, "page", "page must be 1..100000");
	for (int attempt = 0;; attempt++) {
		if ((rc = store_begin(st, 0, e)))
			return rc;
		if ((rc = svc_cl_config(op, cfg, e)))
			goto fail;
		if (cfg->install_id[0] || attempt)
			break;
		store_rollback(st);
		if ((rc = ensure_install_id(st, e)))
			return rc;
	}
	if (!actor && !cfg->public_on) {
		rc = err_set(e, CAIRN_ENOTFOUND, NULL, "no public changelog here");
		goto fail;
	}
	int on;
	if ((rc = store_changelog_stamp(st, version, last_modified, &on, e)) ||
	    (rc = store_changelog_list(st, &anon, CL_PUBLISHED, 0, (page - 1) * per_page, per_page,
				       out, total, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	changelog_list_release(out);
	return rc;
}
