/*
 * store_read.c - loading a stored case back into a case_model, so that
 * the analyze and compose stages see exactly what was imported.
 */
#include "store/store.h"
#include "store/read_events.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static enum file_kind
kind_from_name(const char *s)
{
	for (int k = FILE_CASE_INI; k <= FILE_OTHER; k++)
		if (strcmp(file_kind_name((enum file_kind)k), s) == 0)
			return (enum file_kind)k;
	return FILE_OTHER;
}

static enum exhibit_type
exhibit_type_from_name(const char *s)
{
	if (strcmp(s, "png") == 0)
		return EXHIBIT_PNG;
	if (strcmp(s, "jpeg") == 0)
		return EXHIBIT_JPEG;
	if (strcmp(s, "pdf") == 0)
		return EXHIBIT_PDF;
	return EXHIBIT_TEXT;
}

/* Index of the exhibit numbered n, or -1. */
static int
exhibit_index(const struct case_model *m, int n)
{
	if (n >= 1 && (size_t)n <= m->nexhibits && m->exhibits[n - 1].number == n)
		return n - 1;
	for (size_t i = 0; i < m->nexhibits; i++)
		if (m->exhibits[i].number == n)
			return (int)i;
	return -1;
}

/* Count the rows of a table, to size an array once. */
static size_t
count_rows(sqlite3 *db, const char *table)
{
	char *sql = xasprintf("SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	size_t n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	free(sql);
	return n;
}

#define PREPARE(sql) \
	do { \
		sqlite3_finalize(st); \
		st = NULL; \
		if (sqlite3_prepare_v2(db, (sql), -1, &st, NULL) != SQLITE_OK) \
			goto fail; \
	} while (0)

int
store_read(sqlite3 *db, struct case_model *m, char **err)
{
	sqlite3_stmt *st = NULL;
	struct case_info *ci = &m->info;
	size_t n;
	/* The events first: a second connection may read them meanwhile
	 * (read_events.h). */
	struct event_reader *er = events_begin(db, m);
	if (er == NULL)
		goto fail;

	PREPARE("SELECT path, kind, sha256, size, lines, n_read, n_accepted, "
	    "n_rejected, n_skipped FROM source_file ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		int i = model_file(m, (const char *)sqlite3_column_text(st, 0),
		    kind_from_name((const char *)sqlite3_column_text(st, 1)));
		struct source_file *f = &m->files[i];
		snprintf(f->sha256, sizeof(f->sha256), "%s",
		    (const char *)sqlite3_column_text(st, 2));
		f->size = sqlite3_column_int64(st, 3);
		f->lines = (long)sqlite3_column_int64(st, 4);
		f->read = (long)sqlite3_column_int64(st, 5);
		f->accepted = (long)sqlite3_column_int64(st, 6);
		f->rejected = (long)sqlite3_column_int64(st, 7);
		f->skipped = (long)sqlite3_column_int64(st, 8);
	}

	PREPARE("SELECT root, title, reference, court, language, timezone, "
	    "period_start, period_end, paper, sla_percent, claimant, "
	    "defendant, counsel, currency FROM case_info");
	if (sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	m->root = col_text(st, 0);
	ci->title = col_text(st, 1);
	ci->reference = col_text(st, 2);
	ci->court = col_text(st, 3);
	ci->language = col_text(st, 4);
	ci->timezone = col_text(st, 5);
	ci->period_start = sqlite3_column_int64(st, 6);
	ci->period_end = sqlite3_column_int64(st, 7);
	ci->paper = col_text(st, 8);
	ci->sla_percent = sqlite3_column_double(st, 9);
	ci->claimant = col_text(st, 10);
	ci->defendant = col_text(st, 11);
	ci->counsel = col_text(st, 12);
	ci->currency = col_text(st, 13);

	n = count_rows(db, "sla_credit");
	ci->credits = xcalloc(n, sizeof(*ci->credits));
	PREPARE("SELECT below, credit FROM sla_credit ORDER BY seq");
	while (sqlite3_step(st) == SQLITE_ROW && ci->ncredits < n) {
		ci->credits[ci->ncredits].below = sqlite3_column_double(st, 0);
		ci->credits[ci->ncredits++].credit = sqlite3_column_double(st, 1);
	}

	n = count_rows(db, "service");
	m->services = xcalloc(n, sizeof(*m->services));
	PREPARE("SELECT code, label FROM service ORDER BY seq");
	while (sqlite3_step(st) == SQLITE_ROW && m->nservices < n) {
		m->services[m->nservices].id = col_text(st, 0);
		m->services[m->nservices++].label = col_text(st, 1);
	}

	n = count_rows(db, "monitor_map");
	m->monitors = xcalloc(n, sizeof(*m->monitors));
	PREPARE("SELECT service_code, host, check_name FROM monitor_map "
	    "ORDER BY seq");
	while (sqlite3_step(st) == SQLITE_ROW && m->nmonitors < n) {
		struct monitor_map *mm = &m->monitors[m->nmonitors++];
		mm->service_id = col_text(st, 0);
		mm->host = col_text(st, 1);
		mm->check = col_text(st, 2);
	}

	n = count_rows(db, "exhibit");
	m->exhibits = xcalloc(n, sizeof(*m->exhibits));
	PREPARE("SELECT number, path, type, title, date, source, file_id, "
	    "width, height, prov_file, prov_line FROM exhibit ORDER BY number");
	while (sqlite3_step(st) == SQLITE_ROW && m->nexhibits < n) {
		struct exhibit *e = &m->exhibits[m->nexhibits++];
		e->number = sqlite3_column_int(st, 0);
		e->path = col_text(st, 1);
		e->type = exhibit_type_from_name(
		    (const char *)sqlite3_column_text(st, 2));
		e->title = col_text(st, 3);
		e->date = sqlite3_column_int64(st, 4);
		e->source = col_text(st, 5);
		e->file = sqlite3_column_int(st, 6);
		e->width = sqlite3_column_int(st, 7);
		e->height = sqlite3_column_int(st, 8);
		e->prov.file = sqlite3_column_int(st, 9);
		e->prov.line = (long)sqlite3_column_int64(st, 10);
	}

	/* Pages of PDF exhibits (absent from stores written before). */
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT exhibit_number, page, x0, y0, x1, "
	    "y1, rotate FROM exhibit_page ORDER BY exhibit_number, page", -1,
	    &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			int x = exhibit_index(m, sqlite3_column_int(st, 0));
			int pg = sqlite3_column_int(st, 1);
			if (x < 0)
				continue;
			struct exhibit *e = &m->exhibits[x];
			if (pg != e->pages + 1 || pg > 1000000)
				continue;	/* pages are stored in order */
			e->boxes = xreallocarray(e->boxes, (size_t)pg,
			    sizeof(*e->boxes));
			e->boxes[pg - 1] = (struct pdf_page_box){
				sqlite3_column_double(st, 2),
				sqlite3_column_double(st, 3),
				sqlite3_column_double(st, 4),
				sqlite3_column_double(st, 5),
				sqlite3_column_int(st, 6) };
			e->pages = pg;
		}
	}

	n = count_rows(db, "complaint");
	m->complaints = xcalloc(n, sizeof(*m->complaints));
	PREPARE("SELECT id, received, customer_id, customer_name, email, "
	    "contract, prepaid_cents, prepaid_until, summary, statement, "
	    "prov_file, prov_line FROM complaint ORDER BY seq");
	while (sqlite3_step(st) == SQLITE_ROW && m->ncomplaints < n) {
		struct complaint *c = &m->complaints[m->ncomplaints++];
		c->id = col_text(st, 0);
		c->received = sqlite3_column_int64(st, 1);
		c->customer_id = col_text(st, 2);
		c->customer_name = col_text(st, 3);
		c->email = col_text(st, 4);
		c->contract = col_text(st, 5);
		c->prepaid_cents = sqlite3_column_int64(st, 6);
		c->prepaid_until = sqlite3_column_int64(st, 7);
		c->summary = col_text(st, 8);
		c->statement = col_text(st, 9);
		c->prov.file = sqlite3_column_int(st, 10);
		c->prov.line = (long)sqlite3_column_int64(st, 11);
	}
	PREPARE("SELECT complaint_seq, service_code FROM complaint_service "
	    "ORDER BY complaint_seq, position");
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t k = (size_t)sqlite3_column_int64(st, 0);
		if (k >= m->ncomplaints)
			goto fail;
		struct complaint *c = &m->complaints[k];
		c->services = xreallocarray(c->services, c->nservices + 1,
		    sizeof(char *));
		c->services[c->nservices++] = col_text(st, 1);
	}
	PREPARE("SELECT complaint_seq, exhibit_number FROM complaint_exhibit "
	    "ORDER BY complaint_seq, position");
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t k = (size_t)sqlite3_column_int64(st, 0);
		int x = exhibit_index(m, sqlite3_column_int(st, 1));
		if (k >= m->ncomplaints || x < 0)
			goto fail;
		struct complaint *c = &m->complaints[k];
		c->exhibits = xreallocarray(c->exhibits, c->nexhibits + 1,
		    sizeof(int));
		c->exhibits[c->nexhibits++] = x;
	}

	n = count_rows(db, "timeline_event");
	m->timeline = xcalloc(n, sizeof(*m->timeline));
	PREPARE("SELECT at, title, detail, source, prov_file, prov_line "
	    "FROM timeline_event ORDER BY seq");
	while (sqlite3_step(st) == SQLITE_ROW && m->ntimeline < n) {
		struct timeline_event *e = &m->timeline[m->ntimeline++];
		e->when = sqlite3_column_int64(st, 0);
		e->title = col_text(st, 1);
		e->detail = col_text(st, 2);
		e->source = col_text(st, 3);
		e->prov.file = sqlite3_column_int(st, 4);
		e->prov.line = (long)sqlite3_column_int64(st, 5);
	}
	PREPARE("SELECT event_seq, exhibit_number FROM timeline_exhibit "
	    "ORDER BY event_seq, position");
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t k = (size_t)sqlite3_column_int64(st, 0);
		int x = exhibit_index(m, sqlite3_column_int(st, 1));
		if (k >= m->ntimeline || x < 0)
			goto fail;
		struct timeline_event *e = &m->timeline[k];
		e->exhibits = xreallocarray(e->exhibits, e->nexhibits + 1,
		    sizeof(int));
		e->exhibits[e->nexhibits++] = x;
	}

	n = count_rows(db, "outage");
	m->outages = xcalloc(n, sizeof(*m->outages));
	PREPARE("SELECT service_code, start, end, cause, prov_file, prov_line "
	    "FROM outage ORDER BY seq");
	while (sqlite3_step(st) == SQLITE_ROW && m->noutages < n) {
		struct outage *o = &m->outages[m->noutages++];
		o->service_id = col_text(st, 0);
		o->start = sqlite3_column_int64(st, 1);
		o->end = sqlite3_column_int64(st, 2);
		o->cause = col_text(st, 3);
		o->prov.file = sqlite3_column_int(st, 4);
		o->prov.line = (long)sqlite3_column_int64(st, 5);
	}

	PREPARE("SELECT name FROM nagios_name ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW)
		model_intern(m, (const char *)sqlite3_column_text(st, 0));

	/* Started first: the events' second connection reads meanwhile. */
	int rc = events_end(er, db, m, 1, err);
	sqlite3_finalize(st);
	return rc;
fail:
	*err = xasprintf("evidence store: cannot read the case back: %s",
	    sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (er)
		events_end(er, db, m, 0, NULL);
	return -1;
}
