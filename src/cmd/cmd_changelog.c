/*
 * cmd_changelog.c — `cairn changelog ...`: changelog entries on a local
 * database, the same operations as the API (service/svc_changelog.c):
 * write, review and publish entries, draft them from a milestone's
 * headline issues, release notes, the handbook's front-matter files in and
 * out, and closing the loop with the customers who asked.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "core/timeutil.h"
#include "service/changelog_json.h"
#include "service/issue_json.h"

#define MULTI 32

struct copts {
	const char *db, *as, *state, *title, *description, *body, *body_file, *date, *slug;
	const char *milestone, *out, *reply;
	const char *authors[MULTI], *tags[MULTI], *issues[MULTI];
	size_t nauthors, ntags, nissues;
	int json, mark, markdown;
};

enum {
	C_DB = 256, C_AS, C_JSON, C_STATE, C_TITLE, C_DESCRIPTION, C_BODY, C_BODY_FILE, C_DATE,
	C_SLUG, C_MILESTONE, C_OUT, C_AUTHOR, C_TAG, C_ISSUE, C_REPLY, C_MARK, C_MARKDOWN,
};

static const struct option copts_long[] = {
	{"db", required_argument, 0, C_DB},
	{"as", required_argument, 0, C_AS},
	{"json", no_argument, 0, C_JSON},
	{"state", required_argument, 0, C_STATE},
	{"title", required_argument, 0, C_TITLE},
	{"description", required_argument, 0, C_DESCRIPTION},
	{"body", required_argument, 0, C_BODY},
	{"body-file", required_argument, 0, C_BODY_FILE},
	{"date", required_argument, 0, C_DATE},
	{"slug", required_argument, 0, C_SLUG},
	{"milestone", required_argument, 0, C_MILESTONE},
	{"out", required_argument, 0, C_OUT},
	{"author", required_argument, 0, C_AUTHOR},
	{"tag", required_argument, 0, C_TAG},
	{"issue", required_argument, 0, C_ISSUE},
	{"reply", required_argument, 0, C_REPLY},
	{"mark", no_argument, 0, C_MARK},
	{"markdown", no_argument, 0, C_MARKDOWN},
	{0, 0, 0, 0},
};

static int push(const char **v, size_t *n, const char *s)
{
	if (*n >= MULTI)
		return 1;
	v[(*n)++] = s;
	return 0;
}

static int parse(int argc, char **argv, struct copts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", copts_long, NULL)) != -1) {
		switch (c) {
		case C_DB: o->db = optarg; break;
		case C_AS: o->as = optarg; break;
		case C_JSON: o->json = 1; break;
		case C_STATE: o->state = optarg; break;
		case C_TITLE: o->title = optarg; break;
		case C_DESCRIPTION: o->description = optarg; break;
		case C_BODY: o->body = optarg; break;
		case C_BODY_FILE: o->body_file = optarg; break;
		case C_DATE: o->date = optarg; break;
		case C_SLUG: o->slug = optarg; break;
		case C_MILESTONE: o->milestone = optarg; break;
		case C_OUT: o->out = optarg; break;
		case C_REPLY: o->reply = optarg; break;
		case C_MARK: o->mark = 1; break;
		case C_MARKDOWN: o->markdown = 1; break;
		case C_AUTHOR:
			if (push(o->authors, &o->nauthors, optarg))
				return 1;
			break;
		case C_TAG:
			if (push(o->tags, &o->ntags, optarg))
				return 1;
			break;
		case C_ISSUE:
			if (push(o->issues, &o->nissues, optarg))
				return 1;
			break;
		default: return 1;
		}
	}
	return 0;
}

/* A whole file into a new string (at most max bytes); NULL with errno. */
static char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n + 4096 + 1 > cap) {
			char *nb = cap * 2 > max + 1 ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				errno = EFBIG;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

static void print_row(const struct changelog_row *r)
{
	char date[32];
	iso_time(r->date_at, date, sizeof date);
	date[10] = '\0';
	printf("%5" PRId64 "  %-10s %s  %-40.40s  ", r->id, cl_state_name(r->state), date, r->title);
	for (size_t k = 0; k < r->nauthors; k++)
		printf("%s@%s", k ? ", " : "", r->authors[k].handle);
	if (r->milestone)
		printf("  [%s]", r->milestone);
	printf("\n");
}

static void print_entry(const struct changelog_row *r)
{
	char date[32], name[128];
	iso_time(r->date_at, date, sizeof date);
	cl_filename(r->date_at, r->slug, name, sizeof name);
	printf("#%" PRId64 " %s\n", r->id, r->title);
	printf("  state     %s%s%s\n", cl_state_name(r->state),
	       r->approved_by_login ? ", approved by " : "",
	       r->approved_by_login ? r->approved_by_login : "");
	printf("  date      %s\n  slug      %s\n  file      %s\n", date, r->slug, name);
	printf("  authors  ");
	for (size_t k = 0; k < r->nauthors; k++)
		printf(" @%s", r->authors[k].handle);
	printf("\n  tags      %s\n", r->tags);
	for (size_t k = 0; k < r->nlinks; k++)
		printf("  issue     %s%s%s\n", r->links[k].ref, r->links[k].title ? "  " : "",
		       r->links[k].title ? r->links[k].title : "");
	if (r->milestone)
		printf("  milestone %s (#%" PRId64 ")\n", r->milestone, r->milestone_id);
	if (r->open_comments)
		printf("  comments  %" PRId64 " open\n", r->open_comments);
	if (r->description[0])
		printf("\n%s\n", r->description);
	if (r->body[0])
		printf("\n%s%s", r->body, r->body[strlen(r->body) - 1] == '\n' ? "" : "\n");
}

static void show(const struct changelog_row *r, int json)
{
	if (json)
		cli_print_json(cl_row_to_json(r, 1));
	else
		print_entry(r);
}

/* Write one exported file into the directory ctx. */
static int write_file(void *ctx, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", (const char *)ctx, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fputs(text, f) >= 0;
	ok = (fclose(f) == 0) && ok;
	if (ok)
		printf("%s\n", path);
	return ok ? 0 : -1;
}

/* Every *.md under path (a file, or a directory, not recursive), sorted. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect_paths(const char *path, char ***out, size_t *n)
{
	struct stat sb;
	*out = NULL;
	*n = 0;
	if (stat(path, &sb))
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		*out = malloc(sizeof **out);
		if (!*out || !((*out)[0] = strdup(path)))
			return -1;
		*n = 1;
		return 0;
	}
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *de;
	size_t cap = 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".md") || de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			char **np = realloc(*out, cap * sizeof *np);
			if (!np)
				break;
			*out = np;
		}
		size_t plen = strlen(path) + len + 2;
		char *p = malloc(plen);
		if (!p)
			break;
		snprintf(p, plen, "%s/%s", path, de->d_name);
		(*out)[(*n)++] = p;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_str);
	return 0;
}

static int import_paths(struct store *st, const struct user *actor, char **argv, int argc, int json)
{
	char **paths = NULL;
	size_t npaths = 0;
	struct cl_file *files = NULL;
	char **texts = NULL;
	struct cl_import_result res = {0};
	struct err e;
	int rc = 0, refused = 0;
	for (int a = 0; a < argc; a++) {
		char **more;
		size_t nmore;
		if (collect_paths(argv[a], &more, &nmore)) {
			fprintf(stderr, "cairn: cannot read %s: %s\n", argv[a], strerror(errno));
			rc = 1;
			goto out;
		}
		char **np = realloc(paths, (npaths + nmore + 1) * sizeof *np);
		if (!np) {
			free(more);
			rc = 4;
			goto out;
		}
		paths = np;
		memcpy(paths + npaths, more, nmore * sizeof *more);
		npaths += nmore;
		free(more);
	}
	if (!npaths) {
		fprintf(stderr, "cairn: no .md files to import\n");
		rc = 1;
		goto out;
	}
	files = calloc(npaths, sizeof *files);
	texts = calloc(npaths, sizeof *texts);
	if (!files || !texts) {
		rc = 4;
		goto out;
	}
	for (size_t k = 0; k < npaths; k++) {
		size_t len = 0;
		if (!(texts[k] = read_file(paths[k], CL_MAX_INPUT + 1, &len))) {
			fprintf(stderr, "cairn: cannot read %s: %s\n", paths[k], strerror(errno));
			rc = 1;
			goto out;
		}
		files[k] = (struct cl_file){paths[k], texts[k], len, 0};
	}
	err_clear(&e);
	if (svc_cl_import(OP(st, actor), files, npaths, &res, &e)) {
		rc = cli_fail(&e);
		goto out;
	}
	json_t *a = json ? json_array() : NULL;
	for (size_t k = 0; k < res.n; k++) {
		const struct cl_import_item *it = &res.items[k];
		if (!it->id && !it->slug[0])
			refused = 1;
		if (a)
			json_array_append_new(a, json_pack("{s:s,s:I,s:s,s:i,s:s}", "file", it->file, "id",
							   (json_int_t)it->id, "slug", it->slug, "line",
							   it->line, "message", it->message));
		else if (it->id)
			printf("imported %s → #%" PRId64 " %s\n", it->file, it->id, it->slug);
		else if (it->slug[0])
			printf("skipped  %s: %s\n", it->file, it->message);
		else
			fprintf(stderr, "cairn: %s: %s\n", it->file, it->message);
	}
	if (a)
		cli_print_json(a);
	rc = refused ? 1 : 0;
out:
	cl_import_result_free(&res);
	for (size_t k = 0; k < npaths; k++) {
		free(paths[k]);
		if (texts)
			free(texts[k]);
	}
	free(paths);
	free(texts);
	free(files);
	return rc;
}

static void print_tell(const struct cl_tell_list *t, const struct changelog_row *r, int json)
{
	if (json) {
		cli_print_json(cl_tell_to_json(t, r, ""));
		return;
	}
	if (!t->n)
		printf("No customer asked for what this entry ships.\n");
	for (size_t k = 0; k < t->n; k++) {
		const struct cl_tell_customer *c = &t->customers[k];
		printf("%s%s (%s, ARR %" PRId64 ")%s\n", c->name, c->strategic ? " ★" : "", c->tier,
		       c->arr, c->told ? "  — told" : "");
		for (size_t j = 0; j < c->nasks; j++)
			printf("    insight %" PRId64 ": %s%s%s%s\n", c->asks[j].insight_id,
			       c->asks[j].insight_title, c->asks[j].answered_by ? "  (told by @" : "",
			       c->asks[j].answered_by ? c->asks[j].answered_by : "",
			       c->asks[j].answered_by ? ")" : "");
	}
	if (t->n) {
		/* the ready-to-send messages, as the API gives them */
		json_t *j = cl_tell_to_json(t, r, "");
		json_t *cs = json_object_get(j, "customers"), *c;
		size_t k;
		json_array_foreach(cs, k, c)
			printf("\n--- to %s ---\n%s", json_string_value(json_object_get(c, "name")),
			       json_string_value(json_object_get(c, "message")));
		json_decref(j);
	}
}

int cmd_changelog(int argc, char **argv)
{
	struct copts o;
	struct store *st = NULL;
	struct user actor;
	struct err e;
	struct changelog_row row;
	int64_t id = 0, mid = 0;
	char *body = NULL;
	int rc;
	memset(&row, 0, sizeof row);
	if (argc < 2 || parse(argc - 1, argv + 1, &o))
		return cli_usage("changelog");
	const char *sub = argv[1];
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int one_id = !strcmp(sub, "show") || !strcmp(sub, "edit") || !strcmp(sub, "submit") ||
		     !strcmp(sub, "approve") || !strcmp(sub, "publish") || !strcmp(sub, "reopen") ||
		     !strcmp(sub, "history") || !strcmp(sub, "tell") || !strcmp(sub, "delete");
	if (one_id && (npos < 1 || cli_parse_int(pos[0], &id)))
		return cli_usage("changelog");
	if (o.milestone && cli_parse_int(o.milestone, &mid))
		return cli_usage("changelog");
	if ((rc = cli_open(cli_db(o.db), 0, &st)) || (rc = cli_actor(st, o.as, &actor)))
		goto out;
	err_clear(&e);
	if (o.body_file) {
		size_t len;
		if (!(body = read_file(o.body_file, 65536, &len))) {
			fprintf(stderr, "cairn: cannot read %s: %s\n", o.body_file, strerror(errno));
			rc = 1;
			goto out;
		}
		o.body = body;
	}
	if (!strcmp(sub, "list")) {
		struct changelog_list l;
		int64_t total;
		if (npos) {
			rc = cli_usage("changelog");
			goto out;
		}
		if ((rc = svc_cl_list(OP(st, &actor), o.state, mid, 1, 100, &l, &total, &e)))
			goto fail;
		if (o.json) {
			cli_print_json(json_pack("{s:o,s:I}", "items", cl_list_to_json(&l), "total",
						 (json_int_t)total));
		} else {
			printf("%5s  %-10s %-10s  %-40s  %s\n", "ID", "STATE", "DATE", "TITLE", "AUTHORS");
			for (size_t k = 0; k < l.n; k++)
				print_row(&l.items[k]);
			if (total > (int64_t)l.n)
				printf("(%zu of %" PRId64 ")\n", l.n, total);
		}
		changelog_list_release(&l);
	} else if (!strcmp(sub, "new") || !strcmp(sub, "edit")) {
		int creating = !strcmp(sub, "new");
		if (npos != 1) {
			rc = cli_usage("changelog");
			goto out;
		}
		struct cl_input in = {0};
		in.title = creating ? pos[0] : o.title;
		in.set |= in.title ? CL_IN_TITLE : 0;
		if (o.description)
			in.set |= CL_IN_DESCRIPTION, in.description = o.description;
		if (o.body)
			in.set |= CL_IN_BODY, in.body = o.body;
		if (o.date)
			in.set |= CL_IN_DATE, in.date = o.date;
		if (o.slug)
			in.set |= CL_IN_SLUG, in.slug = o.slug;
		if (o.milestone)
			in.set |= CL_IN_MILESTONE, in.milestone = strcmp(o.milestone, "0") ? o.milestone : NULL;
		if (o.nauthors)
			in.set |= CL_IN_AUTHORS, in.authors = o.authors, in.nauthors = o.nauthors;
		if (o.ntags)
			in.set |= CL_IN_TAGS, in.tags = o.tags, in.ntags = o.ntags;
		if (o.nissues)
			in.set |= CL_IN_ISSUES, in.issues = o.issues, in.nissues = o.nissues;
		if ((rc = creating ? svc_cl_create(OP(st, &actor), &in, &row, &e)
				   : svc_cl_update(OP(st, &actor), id, &in, -1, &row, &e)))
			goto fail;
		if (o.json)
			show(&row, 1);
		else
			printf("%s entry #%" PRId64 " %s (%s)\n", creating ? "Created" : "Updated", row.id,
			       row.slug, cl_state_name(row.state));
	} else if (!strcmp(sub, "show")) {
		if ((rc = svc_cl_get(OP(st, &actor), id, &row, &e)))
			goto fail;
		show(&row, o.json);
	} else if (!strcmp(sub, "delete")) {
		if ((rc = svc_cl_delete(OP(st, &actor), id, &e)))
			goto fail;
		printf("Deleted entry #%" PRId64 "\n", id);
	} else if (!strcmp(sub, "submit") || !strcmp(sub, "approve") || !strcmp(sub, "publish") ||
		   !strcmp(sub, "reopen")) {
		const char *to = !strcmp(sub, "submit")	   ? "in_review"
				 : !strcmp(sub, "approve") ? "approved"
				 : !strcmp(sub, "publish") ? "published"
							   : "draft";
		if ((rc = svc_cl_transition(OP(st, &actor), id, to, -1, &row, &e)))
			goto fail;
		if (o.json) {
			show(&row, 1);
		} else {
			printf("Entry #%" PRId64 " is %s\n", id, cl_state_name(row.state));
			if (row.state == CL_PUBLISHED) {
				struct cl_tell_list t;
				if (!svc_cl_tell_list(OP(st, &actor), id, &t, &e) && t.n) {
					printf("\nWho to tell (cairn changelog tell %" PRId64 " --mark):\n", id);
					print_tell(&t, &row, 0);
				}
				cl_tell_release(&t);
			}
		}
	} else if (!strcmp(sub, "history")) {
		struct history_list h;
		if ((rc = svc_cl_history(OP(st, &actor), id, &h, &e)))
			goto fail;
		json_t *a = o.json ? json_array() : NULL;
		for (size_t k = 0; k < h.n; k++) {
			char at[32];
			iso_time(h.items[k].at, at, sizeof at);
			if (a)
				json_array_append_new(a, history_entry_to_json(&h.items[k]));
			else
				printf("%s  @%-12s %-16s %s%s%s\n", at, h.items[k].actor ? h.items[k].actor : "?",
				       h.items[k].field, h.items[k].old_value ? h.items[k].old_value : "",
				       h.items[k].old_value ? " → " : "",
				       h.items[k].new_value ? h.items[k].new_value : "");
		}
		if (a)
			cli_print_json(a);
		history_list_release(&h);
	} else if (!strcmp(sub, "comment") || !strcmp(sub, "resolve")) {
		int64_t cid = 0, parent = 0;
		if (npos != 2 || cli_parse_int(pos[0], &id) ||
		    (!strcmp(sub, "resolve") && cli_parse_int(pos[1], &cid)) ||
		    (o.reply && cli_parse_int(o.reply, &parent))) {
			rc = cli_usage("changelog");
			goto out;
		}
		if (!strcmp(sub, "comment")) {
			if ((rc = svc_cl_comment_add(OP(st, &actor), id, pos[1], parent, &cid, &e)))
				goto fail;
			printf("Comment #%" PRId64 " on entry #%" PRId64 "\n", cid, id);
		} else {
			if ((rc = svc_cl_comment_resolve(OP(st, &actor), id, cid, 1, &e)))
				goto fail;
			printf("Resolved comment #%" PRId64 "\n", cid);
		}
	} else if (!strcmp(sub, "draft")) {
		struct changelog_list created;
		int64_t existing;
		if (!mid || npos) {
			rc = cli_usage("changelog");
			goto out;
		}
		if ((rc = svc_cl_milestone_draft(OP(st, &actor), mid, &created, &existing, &e)))
			goto fail;
		if (o.json)
			cli_print_json(json_pack("{s:o,s:I}", "created", cl_list_to_json(&created),
						 "existing", (json_int_t)existing));
		else {
			for (size_t k = 0; k < created.n; k++)
				print_row(&created.items[k]);
			printf("%zu drafted, %" PRId64 " already had an entry\n", created.n, existing);
		}
		changelog_list_release(&created);
	} else if (!strcmp(sub, "notes")) {
		struct cl_notes n;
		if (!mid || npos) {
			rc = cli_usage("changelog");
			goto out;
		}
		if ((rc = svc_cl_notes(OP(st, &actor), mid, &n, &e)))
			goto fail;
		if (o.json) {
			cli_print_json(cl_notes_to_json(&n));
		} else {
			char *md = cl_notes_markdown(&n);
			fputs(md ? md : "", stdout);
			free(md);
		}
		cl_notes_release(&n);
	} else if (!strcmp(sub, "export")) {
		if (npos == 1 && !o.out) {
			char *text, name[128];
			if (cli_parse_int(pos[0], &id)) {
				rc = cli_usage("changelog");
				goto out;
			}
			if ((rc = svc_cl_export(OP(st, &actor), id, &text, name, sizeof name, &e)))
				goto fail;
			fputs(text, stdout);
			free(text);
		} else if (npos == 0 && o.out) {
			if (mkdir(o.out, 0755) && errno != EEXIST) {
				fprintf(stderr, "cairn: cannot create %s: %s\n", o.out, strerror(errno));
				rc = 1;
				goto out;
			}
			if ((rc = svc_cl_export_all(OP(st, &actor), mid, write_file, (void *)o.out, &e)))
				goto fail;
		} else {
			rc = cli_usage("changelog");
			goto out;
		}
	} else if (!strcmp(sub, "import")) {
		if (npos < 1) {
			rc = cli_usage("changelog");
			goto out;
		}
		rc = import_paths(st, &actor, pos, npos, o.json);
	} else if (!strcmp(sub, "tell")) {
		struct cl_tell_list t;
		int64_t ids[MULTI];
		size_t n = 0;
		for (int k = 1; k < npos; k++)
			if (n >= MULTI || cli_parse_int(pos[k], &ids[n++])) {
				rc = cli_usage("changelog");
				goto out;
			}
		if ((rc = svc_cl_get(OP(st, &actor), id, &row, &e)) ||
		    (rc = o.mark ? svc_cl_tell(OP(st, &actor), id, ids, n, &t, &e)
				 : svc_cl_tell_list(OP(st, &actor), id, &t, &e)))
			goto fail;
		print_tell(&t, &row, o.json);
		cl_tell_release(&t);
	} else {
		rc = cli_usage("changelog");
		goto out;
	}
	goto out;
fail:
	rc = cli_fail(&e);
out:
	changelog_row_release(&row);
	free(body);
	svc_close(st);
	return rc;
}
