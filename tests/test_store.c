/* test_store.c - the evidence store keeps every record and its provenance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "store/store.h"
#include "util/xalloc.h"

static char **
strv(const char *a, const char *b)
{
	char **v = xcalloc(2, sizeof(char *));
	v[0] = xstrdup(a);
	v[1] = b ? xstrdup(b) : NULL;
	return v;
}

/* A small case with one record of every kind. */
static void
build_model(struct case_model *m)
{
	model_init(m);
	m->root = xstrdup("/cases/x");
	struct case_info *ci = &m->info;
	ci->title = xstrdup("Collectif c. Hébergeur");
	ci->reference = xstrdup("RG 05/1");
	ci->court = xstrdup("Tribunal de commerce");
	ci->language = xstrdup("fr");
	ci->timezone = xstrdup("Europe/Paris");
	ci->period_start = 1112306400;
	ci->period_end = 1117576800;
	ci->paper = xstrdup("a4");
	ci->sla_percent = 99.9;
	ci->credits = xcalloc(1, sizeof(*ci->credits));
	ci->credits[0].below = 99.9;
	ci->credits[0].credit = 10;
	ci->ncredits = 1;
	ci->claimant = xstrdup("Collectif");
	ci->defendant = xstrdup("Hébergeur SA");
	ci->counsel = xstrdup("");

	int f0 = model_file(m, "case.ini", FILE_CASE_INI);
	int f1 = model_file(m, "complaints.csv", FILE_COMPLAINTS);
	int f2 = model_file(m, "outages/nagios.log", FILE_NAGIOS_LOG);
	int f3 = model_file(m, "exhibits/a.png", FILE_EXHIBIT);
	strcpy(m->files[f1].sha256, "00ff");
	m->files[f1].size = 1234;
	m->files[f1].lines = 12;
	m->files[f1].read = 3;
	m->files[f1].accepted = 2;
	m->files[f1].rejected = 1;
	(void)f0;

	m->services = xcalloc(2, sizeof(*m->services));
	m->services[0].id = xstrdup("web");
	m->services[0].label = xstrdup("Hébergement web");
	m->services[1].id = xstrdup("mail");
	m->services[1].label = xstrdup("Messagerie");
	m->nservices = 2;
	m->monitors = xcalloc(2, sizeof(*m->monitors));
	m->monitors[0].service_id = xstrdup("web");
	m->monitors[0].host = xstrdup("web1");
	m->monitors[0].check = xstrdup("HTTP");
	m->monitors[1].service_id = xstrdup("mail");
	m->monitors[1].host = xstrdup("mx1");
	m->nmonitors = 2;

	m->exhibits = xcalloc(1, sizeof(*m->exhibits));
	m->exhibits[0].number = 1;
	m->exhibits[0].path = xstrdup("exhibits/a.png");
	m->exhibits[0].type = EXHIBIT_PNG;
	m->exhibits[0].title = xstrdup("Page d’erreur");
	m->exhibits[0].source = xstrdup("");
	m->exhibits[0].file = f3;
	m->exhibits[0].width = 640;
	m->exhibits[0].height = 480;
	m->exhibits[0].prov.file = f3;
	m->nexhibits = 1;

	m->complaints = xcalloc(1, sizeof(*m->complaints));
	struct complaint *c = &m->complaints[0];
	c->id = xstrdup("R-1");
	c->received = 1115330400;
	c->customer_id = xstrdup("C-7");
	c->customer_name = xstrdup("Émile Dupré");
	c->email = xstrdup("emile@example.org");
	c->services = strv("web", "mail");
	c->nservices = 2;
	c->contract = xstrdup("Pack Pro");
	c->prepaid_cents = 125000;
	c->prepaid_until = 1167606000;
	c->summary = xstrdup("Site coupé");
	c->statement = xstrdup("Premier paragraphe.\n\nSecond « paragraphe ».");
	c->exhibits = xcalloc(1, sizeof(int));
	c->exhibits[0] = 0;
	c->nexhibits = 1;
	c->prov.file = f1;
	c->prov.line = 2;
	m->ncomplaints = 1;

	m->outages = xcalloc(1, sizeof(*m->outages));
	m->outages[0].service_id = xstrdup("web");
	m->outages[0].start = 1113300000;
	m->outages[0].end = 1113310000;
	m->outages[0].cause = xstrdup("routeur");
	m->outages[0].prov.file = f1;
	m->outages[0].prov.line = 5;
	m->noutages = 1;

	int h = model_intern(m, "web1");
	int s = model_intern(m, "HTTP");
	assert_int_equal(model_intern(m, "web1"), h);
	m->events = xcalloc(2, sizeof(*m->events));
	m->events[0] = (struct nagios_event){ 1113300000, NAGIOS_SERVICE_ALERT,
		h, s, STATE_CRITICAL, 1, 3, DOWNTIME_NONE,
		xstrdup("CRITICAL - timeout; retry"), { f2, 10 } };
	m->events[1] = (struct nagios_event){ 1113300100, NAGIOS_HOST_DOWNTIME,
		h, -1, STATE_NONE, 0, 0, DOWNTIME_STARTED, xstrdup("maint"),
		{ f2, 11 } };
	m->nevents = 2;
}

static void
round_trip_keeps_everything(void **state)
{
	struct case_model m, back;
	struct diag_list dl;
	sqlite3 *db;
	char *err = NULL;

	build_model(&m);
	diag_init(&dl);
	diag_error(&dl, "complaints.csv", 3, "received", "not a date");
	assert_int_equal(store_open(NULL, 1, &db, &err), 0);
	assert_int_equal(store_write(db, &m, &dl, &err), 0);
	model_init(&back);
	assert_int_equal(store_read(db, &back, &err), 0);

	assert_string_equal(back.info.title, "Collectif c. Hébergeur");
	assert_int_equal(back.info.period_end, 1117576800);
	assert_int_equal(back.info.ncredits, 1);
	assert_int_equal(back.nfiles, 4);
	assert_string_equal(back.files[1].path, "complaints.csv");
	assert_string_equal(back.files[1].sha256, "00ff");
	assert_int_equal(back.files[1].rejected, 1);
	assert_int_equal(back.nmonitors, 2);
	assert_null(back.monitors[1].check);
	assert_int_equal(back.ncomplaints, 1);
	const struct complaint *c = &back.complaints[0];
	assert_string_equal(c->customer_name, "Émile Dupré");
	assert_int_equal(c->nservices, 2);
	assert_string_equal(c->services[1], "mail");
	assert_int_equal(c->nexhibits, 1);
	assert_int_equal(back.exhibits[c->exhibits[0]].number, 1);
	assert_int_equal(c->prepaid_cents, 125000);
	assert_int_equal(c->prov.line, 2);
	assert_string_equal(c->statement,
	    "Premier paragraphe.\n\nSecond « paragraphe ».");
	assert_int_equal(back.nevents, 2);
	assert_string_equal(back.names[back.events[0].host], "web1");
	assert_string_equal(back.names[back.events[0].check], "HTTP");
	assert_int_equal(back.events[1].check, -1);
	assert_int_equal(back.events[1].downtime, DOWNTIME_STARTED);
	assert_string_equal(back.events[0].output, "CRITICAL - timeout; retry");
	assert_int_equal(back.events[0].prov.line, 10);
	assert_int_equal(back.outages[0].end, 1113310000);

	/* The rejection is kept in the store too. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT file, line, message "
	    "FROM diagnostic", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 1), 3);
	sqlite3_finalize(st);

	store_close(db);
	model_free(&m);
	model_free(&back);
	diag_free(&dl);
}

static void
file_store_is_atomic_and_versioned(void **state)
{
	struct case_model m;
	char dir[] = "/tmp/dossier-store-XXXXXX";
	char *err = NULL;
	sqlite3 *db;

	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/case.sqlite", dir);
	build_model(&m);
	assert_int_equal(store_save_file(path, &m, NULL, &err), 0);
	assert_int_equal(store_open(path, 0, &db, &err), 0);
	store_close(db);

	/* A failed write (the model breaks a CHECK constraint) leaves the
	 * previous file intact and no temporary file. */
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	m.outages[0].end = m.outages[0].start;
	assert_int_equal(store_save_file(path, &m, NULL, &err), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
	assert_int_not_equal(access(tmp, F_OK), 0);

	/* A database of another schema version is refused. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(path, 0, &db, &err), -1);
	assert_non_null(strstr(err, "schema version 99"));
	free(err);

	unlink(path);
	rmdir(dir);
	free(path);
	free(tmp);
	model_free(&m);
}

/* Every row of table, in rowid order, as one text (for comparisons). */
static char *
dump_table(sqlite3 *db, const char *table)
{
	struct buf b;
	sqlite3_stmt *st;
	char *sql = xasprintf("SELECT * FROM %s ORDER BY rowid", table);
	buf_init(&b);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			buf_printf(&b, "%s|", t ? (const char *)t : "NULL");
		}
		buf_add(&b, "\n", 1);
	}
	sqlite3_finalize(st);
	free(sql);
	buf_add(&b, "", 1);
	return buf_take(&b);
}

/* build_model with n events instead of two. */
static void
build_model_events(struct case_model *m, size_t n)
{
	build_model(m);
	for (size_t i = 0; i < m->nevents; i++)
		free(m->events[i].output);
	m->events = xreallocarray(m->events, n, sizeof(*m->events));
	for (size_t i = 0; i < n; i++)
		m->events[i] = (struct nagios_event){ 1113300000 + 60 * (int64_t)i,
			NAGIOS_SERVICE_ALERT, 0, i % 3 ? 1 : -1,
			i % 2 ? STATE_OK : STATE_CRITICAL, 1, 1, DOWNTIME_NONE,
			xasprintf("check %zu", i), { 2, (long)i + 1 } };
	m->nevents = n;
}

static const char *const tables[] = { "source_file", "case_info", "complaint",
	"nagios_name", "nagios_event", "outage", "diagnostic" };

/*
 * The writer in steps (events in uneven runs, then the rest) makes the
 * same store as store_write; events passed out of order or missing make
 * the commit fail, with nothing kept.
 */
static void
writer_in_steps_equals_store_write(void **state)
{
	struct case_model m;
	struct diag_list dl;
	sqlite3 *one, *steps;
	struct store_writer *w;
	char *err = NULL;
	(void)state;

	build_model_events(&m, 5000);
	diag_init(&dl);
	diag_warn(&dl, "outages/nagios.log", 7, NULL, "odd line");
	assert_int_equal(store_open(NULL, 1, &one, &err), 0);
	assert_int_equal(store_write(one, &m, &dl, &err), 0);

	assert_int_equal(store_open(NULL, 1, &steps, &err), 0);
	assert_int_equal(store_begin(steps, &w, &err), 0);
	store_add_events(w, m.events, 0, 1);
	store_add_events(w, m.events + 1, 1, 0);
	store_add_events(w, m.events + 1, 1, 2999);
	/* the last 2000 are left to store_commit */
	assert_int_equal(store_commit(w, &m, &dl, &err), 0);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *a = dump_table(one, tables[i]);
		char *b = dump_table(steps, tables[i]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	struct case_model back;
	model_init(&back);
	assert_int_equal(store_read(steps, &back, &err), 0);
	assert_int_equal(back.nevents, 5000);
	assert_string_equal(back.events[4999].output, "check 4999");
	assert_int_equal(back.events[3].check, -1);
	model_free(&back);
	store_close(steps);

	/* A gap in the events: the commit fails, nothing is kept. */
	assert_int_equal(store_open(NULL, 1, &steps, &err), 0);
	assert_int_equal(store_begin(steps, &w, &err), 0);
	store_add_events(w, m.events, 0, 10);
	store_add_events(w, m.events + 20, 20, 10);
	assert_int_equal(store_commit(w, &m, &dl, &err), -1);
	assert_non_null(strstr(err, "writing the records"));
	free(err);
	err = NULL;
	sqlite3_stmt *st;
	assert_int_not_equal(sqlite3_prepare_v2(steps,
	    "SELECT count(*) FROM nagios_event", -1, &st, NULL), SQLITE_OK);
	sqlite3_finalize(st);
	store_close(steps);

	store_close(one);
	model_free(&m);
	diag_free(&dl);
}

/* A file writer aborted leaves neither the file nor its temporary. */
static void
file_writer_abort_leaves_nothing(void **state)
{
	struct case_model m;
	struct store_writer *w;
	char dir[] = "/tmp/dossier-store-XXXXXX";
	char *err = NULL;
	(void)state;

	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/case.sqlite", dir);
	char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
	build_model_events(&m, 100);
	assert_int_equal(store_begin_file(path, &w, &err), 0);
	store_add_events(w, m.events, 0, 50);
	assert_int_equal(access(tmp, F_OK), 0);	/* being filled */
	store_abort(w);
	assert_int_not_equal(access(tmp, F_OK), 0);
	assert_int_not_equal(access(path, F_OK), 0);

	/* and committed, the file is complete */
	assert_int_equal(store_begin_file(path, &w, &err), 0);
	store_add_events(w, m.events, 0, 50);
	assert_int_equal(store_commit(w, &m, NULL, &err), 0);
	assert_int_not_equal(access(tmp, F_OK), 0);
	sqlite3 *db;
	struct case_model back;
	model_init(&back);
	assert_int_equal(store_open(path, 0, &db, &err), 0);
	assert_int_equal(store_read(db, &back, &err), 0);
	assert_int_equal(back.nevents, 100);
	assert_int_equal(back.events[99].prov.line, 100);
	store_close(db);
	model_free(&back);

	/* A folder that does not exist: begin fails, nothing is made. */
	char *bad = xasprintf("%s/no/such/case.sqlite", dir);
	assert_int_equal(store_begin_file(bad, &w, &err), -1);
	assert_non_null(err);
	free(err);
	free(bad);

	unlink(path);
	rmdir(dir);
	free(path);
	free(tmp);
	model_free(&m);
}

/*
 * Outputs read back are copied into blocks of 1 MB (model_event_text):
 * 200,000 of them fill several blocks, and one of 3 MB gets a block of
 * its own; every one comes back whole.
 */
static void
outputs_read_back_across_blocks(void **state)
{
	struct case_model m, back;
	sqlite3 *db;
	char *err = NULL;
	(void)state;

	build_model_events(&m, 200000);
	size_t big = 3u << 20;
	free(m.events[1000].output);
	m.events[1000].output = xmalloc(big + 1);
	for (size_t i = 0; i < big; i++)
		m.events[1000].output[i] = (char)('a' + i % 26);
	m.events[1000].output[big] = '\0';
	assert_int_equal(store_open(NULL, 1, &db, &err), 0);
	assert_int_equal(store_write(db, &m, NULL, &err), 0);
	model_init(&back);
	assert_int_equal(store_read(db, &back, &err), 0);
	assert_int_equal(back.nevents, 200000);
	for (size_t i = 0; i < back.nevents; i++)
		assert_string_equal(back.events[i].output, m.events[i].output);
	model_free(&back);
	store_close(db);
	model_free(&m);
}

/* Every field of events a[0 .. n) and b[0 .. n) the same. */
static void
assert_events_equal(const struct nagios_event *a,
    const struct nagios_event *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].time, b[i].time);
		assert_int_equal(a[i].kind, b[i].kind);
		assert_int_equal(a[i].host, b[i].host);
		assert_int_equal(a[i].check, b[i].check);
		assert_int_equal(a[i].state, b[i].state);
		assert_int_equal(a[i].hard, b[i].hard);
		assert_int_equal(a[i].attempt, b[i].attempt);
		assert_int_equal(a[i].downtime, b[i].downtime);
		assert_string_equal(a[i].output, b[i].output);
		assert_int_equal(a[i].prov.file, b[i].prov.file);
		assert_int_equal(a[i].prov.line, b[i].prov.line);
	}
}

/*
 * Many events are read back on two connections, blocks from either end
 * (read_events.h): from a copy of an in-memory store, and from a stored
 * file; every event comes back in its place. A store whose sequence
 * numbers have a gap is read in one scan, in their order.
 */
static void
events_read_on_two_connections(void **state)
{
	struct case_model m, back;
	sqlite3 *db;
	char *err = NULL;
	char dir[] = "/tmp/dossier-store-XXXXXX";
	(void)state;

	build_model_events(&m, 123457);	/* 15 blocks and a part */
	assert_int_equal(store_open(NULL, 1, &db, &err), 0);
	assert_int_equal(store_write(db, &m, NULL, &err), 0);
	model_init(&back);
	assert_int_equal(store_read(db, &back, &err), 0);
	assert_int_equal(back.nevents, m.nevents);
	assert_events_equal(m.events, back.events, m.nevents);
	model_free(&back);

	/* A gap: event 5 gone, the others in order. */
	assert_int_equal(sqlite3_exec(db, "DELETE FROM nagios_event WHERE "
	    "seq = 5", NULL, NULL, NULL), SQLITE_OK);
	model_init(&back);
	assert_int_equal(store_read(db, &back, &err), 0);
	assert_int_equal(back.nevents, m.nevents - 1);
	assert_events_equal(m.events, back.events, 5);
	assert_events_equal(m.events + 6, back.events + 5, m.nevents - 6);
	model_free(&back);
	store_close(db);

	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/case.sqlite", dir);
	assert_int_equal(store_save_file(path, &m, NULL, &err), 0);
	assert_int_equal(store_open(path, 0, &db, &err), 0);
	model_init(&back);
	assert_int_equal(store_read(db, &back, &err), 0);
	assert_int_equal(back.nevents, m.nevents);
	assert_events_equal(m.events, back.events, m.nevents);
	model_free(&back);
	store_close(db);
	unlink(path);
	rmdir(dir);
	free(path);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_keeps_everything),
		cmocka_unit_test(file_store_is_atomic_and_versioned),
		cmocka_unit_test(writer_in_steps_equals_store_write),
		cmocka_unit_test(file_writer_abort_leaves_nothing),
		cmocka_unit_test(outputs_read_back_across_blocks),
		cmocka_unit_test(events_read_on_two_connections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
