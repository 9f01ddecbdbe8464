/*
 * public_changelog.c — the public changelog: `GET /changelog` (HTML, no
 * script, paged; `?entry=slug` shows one entry) and `GET /changelog.atom`
 * (Atom 1.0).  Served without a login when the admin has turned the
 * public changelog on; a signed-in user may always preview them.  Only
 * published entries appear, and only what an anonymous reader may see of
 * them (no link to a private issue).
 *
 * Both answer conditional GETs: the ETag is the public changelog's version
 * (bumped by the service on every change it shows), so a feed reader's
 * poll costs one small read and a 304.  The newest rendering of the feed
 * and of the first page is kept in memory, keyed by that version.
 */
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/changelog.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "service/service.h"
#include "web_assets.h"

#define PAGE_SIZE 20
#define FEED_SIZE 50

/* One rendering, for one version and base URL. */
struct cached {
	pthread_mutex_t lock;
	int64_t version;
	char base[300];
	char *text;
	size_t len;
};
static struct cached feed_cache = {PTHREAD_MUTEX_INITIALIZER, -1, "", NULL, 0};
static struct cached page_cache = {PTHREAD_MUTEX_INITIALIZER, -1, "", NULL, 0};

static int cache_get(struct cached *c, int64_t version, const char *base, struct req *r,
		     const char *mime)
{
	int hit = 0;
	pthread_mutex_lock(&c->lock);
	if (c->text && c->version == version && !strcmp(c->base, base)) {
		req_set_text(r, mime, c->text, c->len);
		hit = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

static void cache_put(struct cached *c, int64_t version, const char *base, const char *text,
		      size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, text, len + 1);
	pthread_mutex_lock(&c->lock);
	free(c->text);
	c->text = copy;
	c->len = len;
	c->version = version;
	snprintf(c->base, sizeof c->base, "%s", base);
	pthread_mutex_unlock(&c->lock);
}

static void http_date(int64_t ms, char *buf, size_t cap)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, cap, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Validators on the reply; 1 when the request's copy is current (304). */
static int not_modified(struct req *r, const char *etag, int64_t last_modified)
{
	char lm[64];
	req_set_header(r, "ETag", etag);
	req_set_header(r, "Cache-Control", "no-cache");
	if (last_modified) {
		http_date(last_modified, lm, sizeof lm);
		req_set_header(r, "Last-Modified", lm);
	}
	const char *inm = req_header(r, "If-None-Match");
	if (inm)
		return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
	const char *ims = req_header(r, "If-Modified-Since");
	if (ims && last_modified) {
		struct tm tm = {0};
		const char *end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		if (end && !*end)
			return (int64_t)timegm(&tm) >= last_modified / 1000;
	}
	return 0;
}

/* Where the changelog lives, from the setting or the request. */
static void base_of(struct req *r, const struct cl_config *cfg, char *buf, size_t cap)
{
	if (cfg->public_url[0]) {
		snprintf(buf, cap, "%s", cfg->public_url);
	} else {
		const char *host = req_header(r, "Host");
		const char *proto = req_header(r, "X-Forwarded-Proto");
		int ok = host && *host && !strpbrk(host, " \"<>\\'\r\n`") && strlen(host) < 200;
		snprintf(buf, cap, "%s://%s", proto && !strcmp(proto, "https") ? "https" : "http",
			 ok ? host : "localhost");
	}
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
}

/* urn:uuid: ids: the feed's from the installation id, an entry's from a
 * hash of the installation id and the entry's id (stable across edits,
 * restarts and backups; unguessable from outside). */
static void feed_uuid(const char *install_id, int64_t entry, char *out, size_t cap)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char in[64];
	snprintf(in, sizeof in, "%s:%" PRId64, install_id, entry);
	crypto_hash_sha256(h, (const unsigned char *)in, strlen(in));
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50); /* version 5 shape */
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	snprintf(out, cap,
		 "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13],
		 h[14], h[15]);
}

static int conditional(struct req *r, const char *kind, int64_t page, int64_t *version,
		       char *etag, size_t cap, json_t **out)
{
	struct err e;
	int64_t lm;
	int authed = req_try_auth(r);
	err_clear(&e);
	if (svc_cl_public_stamp(&(struct op){.st = req_store(r), .actor = authed ? req_user(r) : NULL, .now = req_now(r)}, version, &lm, &e))
		return http_error(&e, out);
	snprintf(etag, cap, "\"%s-%" PRId64 "-%" PRId64 "\"", kind, *version, page);
	if (not_modified(r, etag, lm)) {
		*out = NULL;
		return 304;
	}
	return 0;
}

int api_public_feed(struct req *r, json_t **out)
{
	struct err e;
	struct changelog_list l;
	struct cl_config cfg;
	int64_t version, lm, total;
	char etag[64], base[300];
	int rc;
	err_clear(&e);
	if ((rc = conditional(r, "feed", 0, &version, etag, sizeof etag, out)))
		return rc;
	int authed = req_try_auth(r);
	if (svc_cl_public(&(struct op){.st = req_store(r), .actor = authed ? req_user(r) : NULL, .now = req_now(r)}, 1, FEED_SIZE, &l, &total, &cfg,
			  &version, &lm, &e))
		return http_error(&e, out);
	base_of(r, &cfg, base, sizeof base);
	*out = NULL;
	if (cache_get(&feed_cache, version, base, r, "application/atom+xml; charset=utf-8")) {
		changelog_list_release(&l);
		return 200;
	}
	struct cl_feed_entry *fe = calloc(l.n ? l.n : 1, sizeof *fe);
	const char **authors = calloc(l.n * CL_LIST_MAX + 1, sizeof *authors);
	char (*ids)[64] = calloc(l.n ? l.n : 1, sizeof *ids), (*urls)[400] = calloc(l.n ? l.n : 1, sizeof *urls);
	char feed_id[64], self[400], alt[400];
	char *xml = NULL;
	if (!fe || !authors || !ids || !urls)
		goto out;
	for (size_t k = 0; k < l.n; k++) {
		const struct changelog_row *row = &l.items[k];
		struct cl_feed_entry *x = &fe[k];
		feed_uuid(cfg.install_id, row->id, ids[k], sizeof ids[k]);
		snprintf(urls[k], sizeof urls[k], "%s/changelog?entry=%s", base, row->slug);
		x->id = ids[k];
		x->title = row->title;
		x->summary = row->description;
		x->url = urls[k];
		x->html = row->body_html;
		x->published_ms = row->date_at; /* the post's date, as the files give it */
		x->updated_ms = row->updated_at > x->published_ms ? row->updated_at : x->published_ms;
		x->authors = &authors[k * CL_LIST_MAX];
		for (size_t j = 0; j < row->nauthors && j < CL_LIST_MAX; j++)
			authors[k * CL_LIST_MAX + x->nauthors++] = row->authors[j].handle;
	}
	feed_uuid(cfg.install_id, 0, feed_id, sizeof feed_id);
	snprintf(self, sizeof self, "%s/changelog.atom", base);
	snprintf(alt, sizeof alt, "%s/changelog", base);
	struct cl_feed f = {feed_id, "Changelog", "What we shipped", self, alt, lm ? lm : 0, fe, l.n};
	if (!f.updated_ms)
		f.updated_ms = 86400000; /* no entries yet: a fixed instant, not "now" */
	xml = cl_atom(&f);
	if (xml) {
		cache_put(&feed_cache, version, base, xml, strlen(xml));
		req_set_text(r, "application/atom+xml; charset=utf-8", xml, strlen(xml));
	}
out:
	free(xml);
	free(fe);
	free(authors);
	free(ids);
	free(urls);
	changelog_list_release(&l);
	return xml ? 200 : 500;
}

static void put_escaped(FILE *f, const char *s)
{
	char *x = cl_xml_escape(s);
	if (x)
		fputs(x, f);
	free(x);
}

static void put_entry(FILE *f, const struct changelog_row *row, const char *base)
{
	char date[32];
	iso_time(row->date_at, date, sizeof date);
	date[10] = '\0';
	fputs("<article class=\"entry\" id=\"", f);
	put_escaped(f, row->slug);
	fputs("\">\n<h2><a href=\"", f);
	put_escaped(f, base);
	fputs("/changelog?entry=", f);
	put_escaped(f, row->slug);
	fputs("\">", f);
	put_escaped(f, row->title);
	fprintf(f, "</a></h2>\n<p class=\"meta\"><time datetime=\"%s\">%s</time>", date, date);
	for (size_t k = 0; k < row->nauthors; k++) {
		fputs(k ? ", @" : " · @", f);
		put_escaped(f, row->authors[k].handle);
	}
	fputs("</p>\n", f);
	if (row->description[0]) {
		fputs("<p class=\"description\">", f);
		put_escaped(f, row->description);
		fputs("</p>\n", f);
	}
	/* body_html is cmark-gfm's safe rendering (raw HTML omitted) */
	fprintf(f, "<div class=\"body\">%s</div>\n</article>\n", row->body_html);
}

int api_public_changelog(struct req *r, json_t **out)
{
	struct err e;
	struct changelog_list l;
	struct cl_config cfg;
	int64_t version, lm, total = 0, page;
	char etag[96], base[300];
	const char *only = req_arg(r, "entry");
	int rc;
	err_clear(&e);
	if (http_int_arg(r, "page", 1, &page, &e))
		return http_error(&e, out);
	if (only && (strlen(only) > CL_SLUG_MAX || !*only)) {
		err_set(&e, CAIRN_ENOTFOUND, "entry", "no such entry");
		return http_error(&e, out);
	}
	if ((rc = conditional(r, only ? "entry" : "page", only ? 0 : page, &version, etag,
			      sizeof etag, out)))
		return rc;
	int authed = req_try_auth(r);
	const struct user *who = authed ? req_user(r) : NULL;
	if (only ? svc_cl_public_entry(&(struct op){.st = req_store(r), .actor = who, .now = req_now(r)}, only, &l, &cfg, &e)
		 : svc_cl_public(&(struct op){.st = req_store(r), .actor = who, .now = req_now(r)}, page, PAGE_SIZE, &l, &total, &cfg, &version, &lm,
				 &e))
		return http_error(&e, out);
	base_of(r, &cfg, base, sizeof base);
	*out = NULL;
	if (!only && page == 1 && cache_get(&page_cache, version, base, r, "text/html; charset=utf-8")) {
		changelog_list_release(&l);
		return 200;
	}
	char *html = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&html, &len);
	if (!f) {
		changelog_list_release(&l);
		return 500;
	}
	fputs("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>Changelog</title>\n<link rel=\"alternate\" type=\"application/atom+xml\" "
	      "title=\"Changelog\" href=\"",
	      f);
	put_escaped(f, base);
	fputs("/changelog.atom\">\n<link rel=\"stylesheet\" href=\"/assets/public.css?v=", f);
	fputs(web_assets_version, f);
	fputs("\">\n</head>\n<body><main>\n"
	      "<header><h1>Changelog</h1><p>What we shipped, newest first · <a href=\"",
	      f);
	put_escaped(f, base);
	fputs("/changelog.atom\">Atom feed</a></p></header>\n", f);
	for (size_t k = 0; k < l.n; k++)
		put_entry(f, &l.items[k], base);
	if (!l.n)
		fputs("<p class=\"empty\">Nothing published yet.</p>\n", f);
	if (!only) {
		fputs("<nav class=\"pages\">", f);
		if (page > 1)
			fprintf(f, "<a rel=\"prev\" href=\"?page=%" PRId64 "\">&larr; Newer</a>", page - 1);
		else
			fputs("<span></span>", f);
		if (page * PAGE_SIZE < total)
			fprintf(f, "<a rel=\"next\" href=\"?page=%" PRId64 "\">Older &rarr;</a>", page + 1);
		fputs("</nav>\n", f);
	} else {
		fputs("<nav class=\"pages\"><a href=\"", f);
		put_escaped(f, base);
		fputs("/changelog\">&larr; All entries</a></nav>\n", f);
	}
	fputs("</main></body></html>\n", f);
	fclose(f);
	changelog_list_release(&l);
	if (!html)
		return 500;
	if (!only && page == 1)
		cache_put(&page_cache, version, base, html, len);
	req_set_text(r, "text/html; charset=utf-8", html, len);
	free(html);
	return 200;
}
