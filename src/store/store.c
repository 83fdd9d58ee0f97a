/*
 * store.c - writing a case_model into SQLite and reading it back.
 *
 * The whole import is one transaction with prepared statements, so a
 * million log lines go in within a second or two and a failure leaves
 * nothing half-written. A file store is filled under a temporary name and
 * renamed over its target only once committed.
 */
#include "store/store.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char store_schema_sql[];	/* build/gen/schema_sql.c */

static int
fail(sqlite3 *db, char **err, const char *what)
{
	*err = xasprintf("evidence store: %s: %s", what,
	    db ? sqlite3_errmsg(db) : "cannot open");
	return -1;
}

int
store_open(const char *path, int create, sqlite3 **dbp, char **err)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	    (create ? SQLITE_OPEN_CREATE : 0);

	*dbp = NULL;
	/* No memory statistics: they take a global mutex on every
	 * allocation. Only possible before SQLite starts (else ignored). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_open_v2(path ? path : ":memory:", &db, flags, NULL) !=
	    SQLITE_OK) {
		*err = xasprintf("evidence store: cannot open %s: %s",
		    path ? path : ":memory:", db ? sqlite3_errmsg(db) : "");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	/* The in-memory store of a build holds every log line; pages of
	 * 64 KiB (not 4) mean 16 times fewer pages to allocate, split and
	 * walk: 1.4% fewer instructions reading the medium case. Only
	 * possible before the first table is made. */
	if (path == NULL)
		sqlite3_exec(db, "PRAGMA page_size = 65536", NULL, NULL, NULL);
	if (!create) {
		sqlite3_stmt *st;
		int version = -1;
		if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
		    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (version != STORE_SCHEMA_VERSION) {
			*err = xasprintf("evidence store %s: schema version "
			    "%d, this dossier reads version %d (import the "
			    "case again)", path ? path : ":memory:", version,
			    STORE_SCHEMA_VERSION);
			sqlite3_close(db);
			return -1;
		}
	}
	*dbp = db;
	return 0;
}

void
store_close(sqlite3 *db)
{
	sqlite3_close(db);
}

/* Bind helpers: text NULL binds SQL NULL. */
static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int
step_reset(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);	/* every statement binds all its parameters */
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *
exhibit_type_name(enum exhibit_type t)
{
	switch (t) {
	case EXHIBIT_PNG:
		return "png";
	case EXHIBIT_JPEG:
		return "jpeg";
	case EXHIBIT_PDF:
		return "pdf";
	default:
		return "text";
	}
}

static const char *
severity_name(enum diag_severity s)
{
	return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

/* One prepared statement per table, in the order they are written. */
enum {
	S_FILE, S_INFO, S_CREDIT, S_SERVICE, S_MONITOR, S_EXHIBIT, S_COMPLAINT,
	S_CSERVICE, S_CEXHIBIT, S_EVENT, S_EEXHIBIT, S_OUTAGE, S_NAME,
	S_NAGIOS, S_DIAG, S_EPAGE, S_COUNT
};

static const char *const insert_sql[S_COUNT] = {
	"INSERT INTO source_file VALUES (?,?,?,?,?,?,?,?,?,?)",
	"INSERT INTO case_info VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	"INSERT INTO sla_credit (below, credit) VALUES (?,?)",
	"INSERT INTO service (code, label) VALUES (?,?)",
	"INSERT INTO monitor_map (service_code, host, check_name) VALUES (?,?,?)",
	"INSERT INTO exhibit VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	"INSERT INTO complaint VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
	"INSERT INTO complaint_service VALUES (?,?,?)",
	"INSERT INTO complaint_exhibit VALUES (?,?,?)",
	"INSERT INTO timeline_event VALUES (?,?,?,?,?,?,?)",
	"INSERT INTO timeline_exhibit VALUES (?,?,?)",
	"INSERT INTO outage VALUES (?,?,?,?,?,?,?)",
	"INSERT INTO nagios_name VALUES (?,?)",
	"INSERT INTO nagios_event VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
	"INSERT INTO diagnostic (severity, file, line, field, message) "
	    "VALUES (?,?,?,?,?)",
	"INSERT INTO exhibit_page VALUES (?,?,?,?,?,?,?)",
};

/*
 * Insert the events ev[0..n), whose seq numbers are first .. first + n.
 * seq is the event's index. After the first row SQLite is left to number
 * the rows itself (largest rowid + 1, the same value), which spares it a
 * b-tree search per row, a tenth of the store's time on a million lines;
 * checked for every row.
 */
static int
write_events(sqlite3_stmt *st, const struct nagios_event *ev, size_t first,
    size_t n)
{
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		const struct nagios_event *e = &ev[k];
		size_t i = first + k;
		if (i == 0)
			sqlite3_bind_int64(st, 1, 0);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_int64(st, 2, e->time);
		sqlite3_bind_int(st, 3, e->kind);
		if (e->host >= 0)
			sqlite3_bind_int(st, 4, e->host);
		else
			sqlite3_bind_null(st, 4);
		if (e->check >= 0)
			sqlite3_bind_int(st, 5, e->check);
		else
			sqlite3_bind_null(st, 5);
		sqlite3_bind_int(st, 6, e->state);
		sqlite3_bind_int(st, 7, e->hard);
		sqlite3_bind_int(st, 8, e->attempt);
		sqlite3_bind_int(st, 9, e->downtime);
		bind_text(st, 10, e->output ? e->output : "");
		sqlite3_bind_int(st, 11, e->prov.file);
		sqlite3_bind_int64(st, 12, e->prov.line);
		rc |= step_reset(st);
		if (sqlite3_last_insert_rowid(sqlite3_db_handle(st)) !=
		    (sqlite3_int64)i)
			rc = -1;
	}
	return rc;
}

static int
write_rows(sqlite3_stmt **s, const struct case_model *m,
    const struct diag_list *dl)
{
	const struct case_info *ci = &m->info;
	int rc = 0;

	for (size_t i = 0; i < m->nfiles; i++) {
		const struct source_file *f = &m->files[i];
		sqlite3_bind_int64(s[S_FILE], 1, (sqlite3_int64)i);
		bind_text(s[S_FILE], 2, f->path);
		bind_text(s[S_FILE], 3, file_kind_name(f->kind));
		bind_text(s[S_FILE], 4, f->sha256);
		sqlite3_bind_int64(s[S_FILE], 5, f->size);
		sqlite3_bind_int64(s[S_FILE], 6, f->lines);
		sqlite3_bind_int64(s[S_FILE], 7, f->read);
		sqlite3_bind_int64(s[S_FILE], 8, f->accepted);
		sqlite3_bind_int64(s[S_FILE], 9, f->rejected);
		sqlite3_bind_int64(s[S_FILE], 10, f->skipped);
		rc |= step_reset(s[S_FILE]);
	}
	const char *texts[] = { m->root, ci->title, ci->reference, ci->court,
		ci->language, ci->timezone };
	for (int i = 0; i < 6; i++)
		bind_text(s[S_INFO], i + 1, texts[i] ? texts[i] : "");
	sqlite3_bind_int64(s[S_INFO], 7, ci->period_start);
	sqlite3_bind_int64(s[S_INFO], 8, ci->period_end);
	bind_text(s[S_INFO], 9, ci->paper ? ci->paper : "a4");
	sqlite3_bind_double(s[S_INFO], 10, ci->sla_percent);
	bind_text(s[S_INFO], 11, ci->claimant ? ci->claimant : "");
	bind_text(s[S_INFO], 12, ci->defendant ? ci->defendant : "");
	bind_text(s[S_INFO], 13, ci->counsel ? ci->counsel : "");
	bind_text(s[S_INFO], 14, ci->currency ? ci->currency : "EUR");
	rc |= step_reset(s[S_INFO]);
	for (size_t i = 0; i < ci->ncredits; i++) {
		sqlite3_bind_double(s[S_CREDIT], 1, ci->credits[i].below);
		sqlite3_bind_double(s[S_CREDIT], 2, ci->credits[i].credit);
		rc |= step_reset(s[S_CREDIT]);
	}
	for (size_t i = 0; i < m->nservices; i++) {
		bind_text(s[S_SERVICE], 1, m->services[i].id);
		bind_text(s[S_SERVICE], 2, m->services[i].label);
		rc |= step_reset(s[S_SERVICE]);
	}
	for (size_t i = 0; i < m->nmonitors; i++) {
		bind_text(s[S_MONITOR], 1, m->monitors[i].service_id);
		bind_text(s[S_MONITOR], 2, m->monitors[i].host);
		bind_text(s[S_MONITOR], 3, m->monitors[i].check);
		rc |= step_reset(s[S_MONITOR]);
	}
	for (size_t i = 0; i < m->nexhibits; i++) {
		const struct exhibit *e = &m->exhibits[i];
		sqlite3_stmt *st = s[S_EXHIBIT];
		sqlite3_bind_int(st, 1, e->number);
		bind_text(st, 2, e->path);
		bind_text(st, 3, exhibit_type_name(e->type));
		bind_text(st, 4, e->title ? e->title : "");
		sqlite3_bind_int64(st, 5, e->date);
		bind_text(st, 6, e->source ? e->source : "");
		sqlite3_bind_int(st, 7, e->file);
		sqlite3_bind_int(st, 8, e->width);
		sqlite3_bind_int(st, 9, e->height);
		sqlite3_bind_int(st, 10, e->prov.file);
		sqlite3_bind_int64(st, 11, e->prov.line);
		rc |= step_reset(st);
		for (int k = 0; k < e->pages && e->boxes; k++) {
			sqlite3_stmt *ps = s[S_EPAGE];
			sqlite3_bind_int(ps, 1, e->number);
			sqlite3_bind_int(ps, 2, k + 1);
			sqlite3_bind_double(ps, 3, e->boxes[k].x0);
			sqlite3_bind_double(ps, 4, e->boxes[k].y0);
			sqlite3_bind_double(ps, 5, e->boxes[k].x1);
			sqlite3_bind_double(ps, 6, e->boxes[k].y1);
			sqlite3_bind_int(ps, 7, e->boxes[k].rotate);
			rc |= step_reset(ps);
		}
	}
	for (size_t i = 0; i < m->ncomplaints; i++) {
		const struct complaint *c = &m->complaints[i];
		sqlite3_stmt *st = s[S_COMPLAINT];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		bind_text(st, 2, c->id);
		sqlite3_bind_int64(st, 3, c->received);
		bind_text(st, 4, c->customer_id);
		bind_text(st, 5, c->customer_name);
		bind_text(st, 6, c->email);
		bind_text(st, 7, c->contract ? c->contract : "");
		sqlite3_bind_int64(st, 8, c->prepaid_cents);
		sqlite3_bind_int64(st, 9, c->prepaid_until);
		bind_text(st, 10, c->summary ? c->summary : "");
		bind_text(st, 11, c->statement ? c->statement : "");
		sqlite3_bind_int(st, 12, c->prov.file);
		sqlite3_bind_int64(st, 13, c->prov.line);
		rc |= step_reset(st);
		for (size_t k = 0; k < c->nservices; k++) {
			sqlite3_bind_int64(s[S_CSERVICE], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(s[S_CSERVICE], 2, (sqlite3_int64)k);
			bind_text(s[S_CSERVICE], 3, c->services[k]);
			rc |= step_reset(s[S_CSERVICE]);
		}
		for (size_t k = 0; k < c->nexhibits; k++) {
			sqlite3_bind_int64(s[S_CEXHIBIT], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(s[S_CEXHIBIT], 2, (sqlite3_int64)k);
			sqlite3_bind_int(s[S_CEXHIBIT], 3,
			    m->exhibits[c->exhibits[k]].number);
			rc |= step_reset(s[S_CEXHIBIT]);
		}
	}
	for (size_t i = 0; i < m->ntimeline; i++) {
		const struct timeline_event *e = &m->timeline[i];
		sqlite3_stmt *st = s[S_EVENT];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 2, e->when);
		bind_text(st, 3, e->title ? e->title : "");
		bind_text(st, 4, e->detail ? e->detail : "");
		bind_text(st, 5, e->source ? e->source : "");
		sqlite3_bind_int(st, 6, e->prov.file);
		sqlite3_bind_int64(st, 7, e->prov.line);
		rc |= step_reset(st);
		for (size_t k = 0; k < e->nexhibits; k++) {
			sqlite3_bind_int64(s[S_EEXHIBIT], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(s[S_EEXHIBIT], 2, (sqlite3_int64)k);
			sqlite3_bind_int(s[S_EEXHIBIT], 3,
			    m->exhibits[e->exhibits[k]].number);
			rc |= step_reset(s[S_EEXHIBIT]);
		}
	}
	for (size_t i = 0; i < m->noutages; i++) {
		const struct outage *o = &m->outages[i];
		sqlite3_stmt *st = s[S_OUTAGE];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		bind_text(st, 2, o->service_id);
		sqlite3_bind_int64(st, 3, o->start);
		sqlite3_bind_int64(st, 4, o->end);
		bind_text(st, 5, o->cause ? o->cause : "");
		sqlite3_bind_int(st, 6, o->prov.file);
		sqlite3_bind_int64(st, 7, o->prov.line);
		rc |= step_reset(st);
	}
	for (size_t i = 0; i < m->nnames; i++) {
		sqlite3_bind_int64(s[S_NAME], 1, (sqlite3_int64)i);
		bind_text(s[S_NAME], 2, m->names[i]);
		rc |= step_reset(s[S_NAME]);
	}
	for (size_t i = 0; dl && i < dl->len; i++) {
		const struct diag *d = &dl->items[i];
		sqlite3_stmt *st = s[S_DIAG];
		bind_text(st, 1, severity_name(d->severity));
		bind_text(st, 2, d->file);
		sqlite3_bind_int64(st, 3, d->line);
		bind_text(st, 4, d->field);
		bind_text(st, 5, d->message);
		rc |= step_reset(st);
	}
	return rc;
}

/*
 * An import in progress: one transaction, its prepared statements, and
 * how many events are in. Events go first (store_add_events, also while
 * the case is still being read: read_case_sink), then everything else
 * (store_commit), so the tables are always written in the same order.
 */
struct store_writer {
	sqlite3 *db;
	sqlite3_stmt *s[S_COUNT];
	size_t nevents;		/* events written: seq 0 .. nevents */
	int failed;		/* a write failed: commit reports it */
	char *path;		/* store_begin_file: the target ... */
	char *tmp;		/* ... and the file being filled */
};

/* Finalize the statements and close a file store: 0, or -1 when the
 * file cannot be closed. */
static int
writer_end(struct store_writer *w)
{
	for (int i = 0; i < S_COUNT; i++) {
		sqlite3_finalize(w->s[i]);
		w->s[i] = NULL;
	}
	return w->path && sqlite3_close(w->db) != SQLITE_OK ? -1 : 0;
}

static void
writer_free(struct store_writer *w)
{
	free(w->path);
	if (w->tmp) {
		cleanup_unregister(w->tmp);
		free(w->tmp);
	}
	free(w);
}

/* Begin the transaction, make the schema, prepare the statements: 0, or
 * -1 with *err set and the transaction rolled back. */
static int
writer_begin(struct store_writer *w, char **err)
{
	char pragma[64];

	if (sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(w->db, err, "begin");
	if (sqlite3_exec(w->db, store_schema_sql, NULL, NULL, NULL) !=
	    SQLITE_OK) {
		fail(w->db, err, "creating the schema");
		goto rollback;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION);
	if (sqlite3_exec(w->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		fail(w->db, err, "setting the schema version");
		goto rollback;
	}
	for (int i = 0; i < S_COUNT; i++)
		if (sqlite3_prepare_v2(w->db, insert_sql[i], -1, &w->s[i],
		    NULL) != SQLITE_OK) {
			fail(w->db, err, insert_sql[i]);
			goto rollback;
		}
	return 0;
rollback:
	sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
store_begin(sqlite3 *db, struct store_writer **wp, char **err)
{
	struct store_writer *w = xcalloc(1, sizeof(*w));
	w->db = db;
	*wp = NULL;
	if (writer_begin(w, err) != 0) {
		store_abort(w);
		return -1;
	}
	*wp = w;
	return 0;
}

int
store_begin_file(const char *path, struct store_writer **wp, char **err)
{
	struct store_writer *w = xcalloc(1, sizeof(*w));
	w->tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
	cleanup_register(w->tmp);
	*wp = NULL;
	unlink(w->tmp);
	if (store_open(w->tmp, 1, &w->db, err) != 0) {
		unlink(w->tmp);
		writer_free(w);	/* store_open closed what it opened */
		return -1;
	}
	w->path = xstrdup(path);
	/* The temporary file is ours alone and renamed only once complete:
	 * no journal is needed for it to be crash-safe. */
	sqlite3_exec(w->db, "PRAGMA journal_mode = OFF; "
	    "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	if (writer_begin(w, err) != 0) {
		store_abort(w);
		return -1;
	}
	*wp = w;
	return 0;
}

void
store_add_events(struct store_writer *w, const struct nagios_event *ev,
    size_t first, size_t n)
{
	if (w->failed || n == 0)
		return;
	if (first != w->nevents ||
	    write_events(w->s[S_NAGIOS], ev, first, n) != 0)
		w->failed = 1;
	else
		w->nevents += n;
}

void
store_abort(struct store_writer *w)
{
	if (w == NULL)
		return;
	sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	writer_end(w);
	if (w->tmp)
		unlink(w->tmp);
	writer_free(w);
}

int
store_commit(struct store_writer *w, const struct case_model *m,
    const struct diag_list *dl, char **err)
{
	/* Events not passed yet (all of them without read_case_sink). */
	if (m->nevents > w->nevents)
		store_add_events(w, m->events + w->nevents, w->nevents,
		    m->nevents - w->nevents);
	if (w->failed || w->nevents != m->nevents ||
	    write_rows(w->s, m, dl) != 0) {
		fail(w->db, err, "writing the records");
		store_abort(w);
		return -1;
	}
	if (sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(w->db, err, "commit");
		store_abort(w);
		return -1;
	}
	int rc = 0;
	if (writer_end(w) != 0) {
		*err = xasprintf("evidence store: cannot close %s", w->tmp);
		rc = -1;
	} else if (w->path && rename(w->tmp, w->path) != 0) {
		*err = xasprintf("evidence store: cannot rename %s to %s",
		    w->tmp, w->path);
		rc = -1;
	}
	if (rc != 0)
		unlink(w->tmp);
	writer_free(w);
	return rc;
}

int
store_write(sqlite3 *db, const struct case_model *m,
    const struct diag_list *dl, char **err)
{
	struct store_writer *w;
	if (store_begin(db, &w, err) != 0)
		return -1;
	return store_commit(w, m, dl, err);
}

int
store_save_file(const char *path, const struct case_model *m,
    const struct diag_list *dl, char **err)
{
	struct store_writer *w;
	if (store_begin_file(path, &w, err) != 0)
		return -1;
	return store_commit(w, m, dl, err);
}
