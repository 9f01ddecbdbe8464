/*
 * svc_backup.c — a full, portable dump of a Cairn database as JSON Lines,
 * and its restore into an empty database of either backend.
 *
 * Format: a header line {"cairn_dump":1,"schema":N}, then one line per row
 * {"table":NAME,"row":{column:value,...}} in restore order, each table in
 * key order.  Two dumps of the same data are byte-identical whatever the
 * backend, so SQLite -> dump -> PostgreSQL -> dump can be compared with cmp.
 * Dumps hold password and token hashes: keep them as private as the database.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "service/service.h"
#include "service/svc_int.h"

#define DUMP_FORMAT 1
#define LINE_MAX_BYTES (4 * 1024 * 1024)

struct writer {
	svc_write_fn write;
	void *ctx;
};

static int write_json(struct writer *w, json_t *o, struct err *e)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	int rc = w->write(w->ctx, text, strlen(text));
	free(text);
	if (rc)
		return err_set(e, CAIRN_EINTERNAL, NULL, "cannot write the dump: %s", strerror(errno));
	return 0;
}

static int dump_row(void *ctx, const struct dump_table *t, const struct store_value *row)
{
	struct writer *w = ctx;
	json_t *r = json_object();
	for (int k = 0; k < t->ncols; k++) {
		json_t *v = row[k].is_null	     ? json_null()
			    : t->types[k] == COL_INT ? json_integer(row[k].i)
						     : json_string(row[k].s ? row[k].s : "");
		json_object_set_new(r, t->cols[k], v);
	}
	return write_json(w, json_pack("{s:s,s:o}", "table", t->name, "row", r), NULL);
}

int svc_backup(const struct op *op, svc_write_fn write, void *ctx, struct err *e)
{
	struct store *st = op->st;
	struct writer w = {write, ctx};
	int version, rc;
	if ((rc = svc_health(op, &version, e)))
		return rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	rc = write_json(&w, json_pack("{s:i,s:i}", "cairn_dump", DUMP_FORMAT, "schema", version), e);
	if (!rc && (rc = store_dump(st, dump_row, &w, e)) && e && !e->msg[0])
		err_set(e, rc, NULL, "cannot write the dump");
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* Convert a JSON row into store values in the table's column order. */
static int row_values(const struct dump_table *t, json_t *row, struct store_value *vals,
		      long line, struct err *e)
{
	if (!json_is_object(row) || json_object_size(row) != (size_t)t->ncols)
		return err_set(e, CAIRN_EMALFORMED, NULL, "line %ld: %s row must have the columns %s...",
			       line, t->name, t->cols[0]);
	for (int k = 0; k < t->ncols; k++) {
		json_t *v = json_object_get(row, t->cols[k]);
		memset(&vals[k], 0, sizeof vals[k]);
		if (!v)
			return err_set(e, CAIRN_EMALFORMED, NULL, "line %ld: %s row lacks column %s",
				       line, t->name, t->cols[k]);
		if (json_is_null(v))
			vals[k].is_null = 1;
		else if (t->types[k] == COL_INT && json_is_integer(v))
			vals[k].i = json_integer_value(v);
		else if (t->types[k] == COL_TEXT && json_is_string(v))
			vals[k].s = json_string_value(v);
		else
			return err_set(e, CAIRN_EMALFORMED, NULL, "line %ld: %s.%s has the wrong type",
				       line, t->name, t->cols[k]);
	}
	return 0;
}

int svc_restore(const struct op *op, svc_read_fn read_line, void *ctx, struct err *e)
{
	struct store *st = op->st;
	int version, empty, rc;
	long line = 0;
	char *text = NULL;
	size_t len;

	if ((rc = svc_db_init(op, e)) || (rc = svc_health(op, &version, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_is_empty(st, &empty, e)))
		goto fail;
	if (!empty) {
		rc = err_set(e, CAIRN_ECONFLICT, "db",
			     "the target database already has users or issues; restore needs an empty one");
		goto fail;
	}
	while ((rc = read_line(ctx, &text, &len)) == 0 && text) {
		json_error_t je;
		line++;
		if (len > LINE_MAX_BYTES) {
			rc = err_set(e, CAIRN_ETOOLARGE, NULL, "line %ld is longer than 4 MiB", line);
			goto fail;
		}
		json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
		if (!o) {
			rc = err_set(e, CAIRN_EMALFORMED, NULL, "line %ld: %s", line, je.text);
			goto fail;
		}
		if (line == 1) {
			json_t *fmt = json_object_get(o, "cairn_dump");
			json_t *schema = json_object_get(o, "schema");
			if (!json_is_integer(fmt) || json_integer_value(fmt) != DUMP_FORMAT ||
			    !json_is_integer(schema)) {
				json_decref(o);
				rc = err_set(e, CAIRN_EMALFORMED, NULL,
					     "line 1: not a Cairn dump (format %d)", DUMP_FORMAT);
				goto fail;
			}
			if (json_integer_value(schema) != version) {
				rc = err_set(e, CAIRN_ESCHEMA, NULL,
					     "the dump has schema %lld, this cairn writes schema %d",
					     (long long)json_integer_value(schema), version);
				json_decref(o);
				goto fail;
			}
			json_decref(o);
			continue;
		}
		const struct dump_table *t =
			store_dump_table(json_string_value(json_object_get(o, "table")) ?: "");
		struct store_value vals[DUMP_MAX_COLS];
		if (!t)
			rc = err_set(e, CAIRN_EMALFORMED, NULL, "line %ld: unknown table", line);
		else if (t->ncols > DUMP_MAX_COLS)
			rc = err_set(e, CAIRN_EINTERNAL, NULL, "table %s has too many columns", t->name);
		else
			rc = row_values(t, json_object_get(o, "row"), vals, line, e);
		if (!rc && (rc = store_restore_row(st, t, vals, e)) && e) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof msg, "%s", e->msg);
			err_set(e, rc, NULL, "line %ld: %s", line, msg);
		}
		json_decref(o);
		if (rc)
			goto fail;
	}
	if (rc) {
		err_set(e, rc, NULL, "cannot read the dump");
		goto fail;
	}
	if (line == 0) {
		rc = err_set(e, CAIRN_EMALFORMED, NULL, "the dump is empty");
		goto fail;
	}
	/* the roll-up and search tables are derived, not in the dump:
	 * computed again */
	if ((rc = store_restore_finish(st, e)) || (rc = rollup_rebuild(st, e)) ||
	    (rc = store_search_rebuild(st, e)) || (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_restore_discard(st);
	store_rollback(st);
	return rc;
}
