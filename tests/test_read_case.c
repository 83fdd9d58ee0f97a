/* test_read_case.c - read_case on the minimal case and on variations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "read_helpers.h"
#include "util/sha256.h"

static void
print_diags(const char *text)
{
	if (text && *text)
		fprintf(stderr, "%s", text);
}

static void
test_minimal_is_clean(void **state)
{
	struct case_model m;
	struct diag_list dl;
	char *out;
	(void)state;

	int rc = th_read(GOOD_MINIMAL, &m, &dl, &out);
	print_diags(out);
	assert_int_equal(rc, 0);
	assert_int_equal(dl.errors, 0);
	assert_int_equal(dl.warnings, 0);
	assert_string_equal(m.info.language, "fr");
	assert_string_equal(m.info.timezone, "Europe/Paris");
	assert_int_equal(m.info.period_start, 1113256800);
	assert_int_equal(m.info.ncredits, 2);
	assert_int_equal(m.nservices, 3);
	assert_int_equal(m.nmonitors, 4);
	assert_null(m.monitors[3].check);
	assert_int_equal(m.ncomplaints, 3);
	assert_int_equal(m.ntimeline, 2);
	assert_int_equal(m.noutages, 2);
	assert_int_equal(m.nexhibits, 2);

	/* exhibits.csv rows first, then the other files in byte order */
	assert_string_equal(m.exhibits[0].path, "exhibits/mail-0001.txt");
	assert_string_equal(m.exhibits[0].title, "Courriel du support");
	assert_int_equal(m.exhibits[0].type, EXHIBIT_TEXT);
	assert_int_equal(m.exhibits[0].number, 1);
	assert_string_equal(m.exhibits[1].path, "exhibits/capture.png");
	assert_int_equal(m.exhibits[1].type, EXHIBIT_PNG);
	assert_int_equal(m.exhibits[1].width, 4);
	assert_int_equal(m.exhibits[1].height, 3);
	assert_string_equal(m.exhibits[1].title, "capture.png");

	/* complaints: quoted newline, doubled quotes, money, exhibits */
	struct complaint *c = &m.complaints[0];
	assert_string_equal(c->id, "R-2005-0001");
	assert_int_equal(c->prov.line, 2);
	assert_int_equal(c->nservices, 2);
	assert_int_equal(c->prepaid_cents, 125000);
	assert_int_equal(c->nexhibits, 1);
	assert_int_equal(c->exhibits[0], 1);
	assert_non_null(strstr(c->statement, "\n\nDeux jours"));
	assert_int_equal(m.complaints[1].prov.line, 5);
	assert_string_equal(m.complaints[1].statement,
	    "Plus de courriel, \"rien\" ne passe.");
	assert_int_equal(m.complaints[1].prepaid_cents, -1);
	assert_int_equal(m.complaints[2].prov.line, 6);

	/* Nagios: 14 lines, 1 skipped (LOG VERSION) + 1 notification */
	assert_int_equal(m.nevents, 12);
	assert_int_equal(m.events[0].kind, NAGIOS_PROGRAM_START);
	assert_int_equal(m.events[11].kind, NAGIOS_PROGRAM_STOP);
	assert_string_equal(m.events[3].output,
	    "Connection refused; retrying");

	/* Every input file is hashed; counters are filled. */
	int seen_log = 0;
	for (size_t i = 0; i < m.nfiles; i++) {
		assert_int_equal(strlen(m.files[i].sha256), 64);
		if (strcmp(m.files[i].path, "outages/nagios.log") == 0) {
			seen_log = 1;
			assert_int_equal(m.files[i].read, 14);
			assert_int_equal(m.files[i].accepted, 12);
			assert_int_equal(m.files[i].skipped, 2);
			assert_int_equal(m.files[i].lines, 14);
		}
		if (strcmp(m.files[i].path, "complaints.csv") == 0) {
			assert_int_equal(m.files[i].read, 3);
			assert_int_equal(m.files[i].accepted, 3);
		}
	}
	assert_true(seen_log);
	struct diag_count *dc = diag_count(&dl, "complaints.csv");
	assert_int_equal(dc->accepted, 3);
	free(out);
	model_free(&m);
	diag_free(&dl);
}

static void
test_missing_folder(void **state)
{
	struct case_model m;
	struct diag_list dl;
	char *out;
	(void)state;
	assert_int_equal(th_read("/nonexistent/case", &m, &dl, &out), -1);
	assert_true(dl.errors > 0);
	free(out);
	model_free(&m);
	diag_free(&dl);
}

static void
test_missing_ini(void **state)
{
	struct case_model m;
	struct diag_list dl;
	char *out;
	(void)state;
	char *dir = th_case_copy();
	char *p = xasprintf("%s/case.ini", dir);
	unlink(p);
	free(p);
	assert_int_equal(th_read(dir, &m, &dl, &out), -1);
	assert_non_null(strstr(out, "case.ini: error: case.ini is missing"));
	free(out);
	model_free(&m);
	diag_free(&dl);
	th_case_remove(dir);
}

static void
test_unmapped_and_uncited(void **state)
{
	struct case_model m;
	struct diag_list dl;
	char *out;
	(void)state;
	char *dir = th_case_copy();
	th_write_str(dir, "outages/extra.log",
	    "[1113270000] SERVICE ALERT: web9.example.fr;HTTP;CRITICAL;"
	    "HARD;1;down\n");
	th_write_str(dir, "exhibits/zz-unused.txt", "nobody cites me\n");
	th_write_str(dir, "notes.txt", "stray\n");
	assert_int_equal(th_read(dir, &m, &dl, &out), 0);
	print_diags(out);
	assert_int_equal(dl.errors, 0);
	assert_non_null(strstr(out, "outages/extra.log:1: warning: monitored "
	    "service \"web9.example.fr;HTTP\" is not mapped"));
	assert_non_null(strstr(out, "exhibits/zz-unused.txt: warning: exhibit "
	    "3 is not cited"));
	assert_non_null(strstr(out, "notes.txt: warning: not part of a case"));
	free(out);
	model_free(&m);
	diag_free(&dl);
	th_case_remove(dir);
}

static void
test_deterministic(void **state)
{
	struct case_model a, b;
	struct diag_list da, db;
	char *oa, *ob;
	(void)state;
	th_read(GOOD_MINIMAL, &a, &da, &oa);
	th_read(GOOD_MINIMAL, &b, &db, &ob);
	assert_int_equal(a.nfiles, b.nfiles);
	for (size_t i = 0; i < a.nfiles; i++) {
		assert_string_equal(a.files[i].path, b.files[i].path);
		assert_string_equal(a.files[i].sha256, b.files[i].sha256);
	}
	assert_string_equal(oa, ob);
	free(oa);
	free(ob);
	model_free(&a);
	model_free(&b);
	diag_free(&da);
	diag_free(&db);
}

/* Limits come from the caller: a tiny total or image limit is enforced. */
static void
test_custom_limits(void **state)
{
	struct case_model m;
	struct diag_list dl;
	struct read_limits lim;
	char *text = NULL;
	size_t len = 0;
	(void)state;

	read_limits_default(&lim);
	lim.max_total = 1000;
	model_init(&m);
	diag_init(&dl);
	assert_int_equal(read_case(GOOD_MINIMAL, &lim, &m, &dl), -1);
	FILE *f = open_memstream(&text, &len);
	diag_print(&dl, f);
	fclose(f);
	assert_non_null(strstr(text, "the limit is 1000 bytes; nothing is "
	    "read"));
	free(text);
	model_free(&m);
	diag_free(&dl);

	read_limits_default(&lim);
	lim.max_side = 3;
	model_init(&m);
	diag_init(&dl);
	assert_int_equal(read_case(GOOD_MINIMAL, &lim, &m, &dl), 0);
	f = open_memstream(&text, &len);
	diag_print(&dl, f);
	fclose(f);
	assert_non_null(strstr(text, "exhibits/capture.png: error: image is "
	    "4 x 3 pixels; the limit is 3 pixels on a side"));
	assert_int_equal(m.nexhibits, 1);
	free(text);
	model_free(&m);
	diag_free(&dl);

	/* Records per file: each file over the limit is named, the records
	 * before the limit are kept, the message says the rest is unread. */
	read_limits_default(&lim);
	lim.max_records = 1;
	model_init(&m);
	diag_init(&dl);
	assert_int_equal(read_case(GOOD_MINIMAL, &lim, &m, &dl), 0);
	f = open_memstream(&text, &len);
	diag_print(&dl, f);
	fclose(f);
	assert_non_null(strstr(text, "complaints.csv:5: error: more than 1 "
	    "records in this file (the limit); the rest of the file is not "
	    "read"));
	assert_non_null(strstr(text, "outages/nagios.log:2: error: more than "
	    "1 lines in this file (the limit)"));
	assert_int_equal(m.ncomplaints, 1);
	free(text);
	model_free(&m);
	diag_free(&dl);
}

static char *
read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t k;
	buf_init(&b);
	if (f) {
		while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&b, chunk, k);
		fclose(f);
	}
	*n = b.len;
	return b.data ? buf_take(&b) : xstrdup("");
}

/* Random damage to any input file never crashes or leaks. */
static void
test_mutations_never_crash(void **state)
{
	static const char *const files[] = { "case.ini", "complaints.csv",
		"timeline.csv", "exhibits.csv", "outages/manual.csv",
		"outages/nagios.log", "exhibits/capture.png",
		"exhibits/mail-0001.txt" };
	static const char junk[] = "\";,\n\r[]:=\xff\xc3\x00 ";
	char *dir = th_case_copy();
	(void)state;
	srand(1234);
	for (int round = 0; round < 400; round++) {
		const char *rel = files[rand() % 8];
		char *path = xasprintf("%s/%s", dir, rel);
		size_t n;
		char *orig = read_all(path, &n);
		char *mut = xmalloc(n + 16);
		memcpy(mut, orig, n);
		size_t mn = n;
		for (int k = 0; k < 1 + rand() % 4; k++) {
			size_t at = mn ? (size_t)rand() % mn : 0;
			switch (rand() % 3) {
			case 0:	/* overwrite */
				if (mn)
					mut[at] = junk[rand() % (int)(sizeof(junk) - 1)];
				break;
			case 1:	/* truncate */
				mn = at;
				break;
			default:	/* insert */
				if (mn < n + 15) {
					memmove(mut + at + 1, mut + at, mn - at);
					mut[at] = junk[rand() % (int)(sizeof(junk) - 1)];
					mn++;
				}
			}
		}
		th_write(dir, rel, mut, mn);
		struct case_model m;
		struct diag_list dl;
		char *out;
		th_read(dir, &m, &dl, &out);
		free(out);
		model_free(&m);
		diag_free(&dl);
		th_write(dir, rel, orig, n);
		free(orig);
		free(mut);
		free(path);
	}
	th_case_remove(dir);
}

/* What a sink was given: the calls, a copy of every event, and what the
 * files callback saw. */
struct sink_log {
	size_t calls, next;	/* next: the first expected */
	int out_of_order;
	struct nagios_event *ev;
	size_t nev, cap;
	int files_calls;
	int files_unhashed;	/* files without a digest at that call */
	size_t events_at_files;	/* events passed before it */
};

static void
log_events(const struct nagios_event *ev, size_t first, size_t n, void *arg)
{
	struct sink_log *sl = arg;
	sl->calls++;
	if (first != sl->next)
		sl->out_of_order = 1;
	sl->next = first + n;
	for (size_t i = 0; i < n; i++) {
		if (sl->nev == sl->cap) {
			sl->cap = sl->cap ? 2 * sl->cap : 1024;
			sl->ev = xreallocarray(sl->ev, sl->cap, sizeof(*sl->ev));
		}
		sl->ev[sl->nev] = ev[i];
		/* ev is valid only during the call: keep a copy */
		sl->ev[sl->nev++].output = ev[i].output ?
		    xstrdup(ev[i].output) : NULL;
	}
}

static void
log_files(const struct case_model *m, void *arg)
{
	struct sink_log *sl = arg;
	sl->files_calls++;
	sl->events_at_files = sl->nev;
	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].sha256[0] == '\0')
			sl->files_unhashed++;
}

/*
 * read_case_sink passes every event of the model exactly once, in order,
 * with its final content and name indices, while the logs are parsed:
 * three logs (so the thread's array moves between them), one long enough
 * to be passed in many runs. The files callback comes once, with every
 * file hashed, and the model read is the one read_case gives, digests
 * and line counts included.
 */
static void
test_sink_gets_every_event(void **state)
{
	(void)state;
	char *dir = th_case_copy();
	struct buf big;
	buf_init(&big);
	for (int i = 0; i < 30000; i++)
		buf_printf(&big, "[%d] SERVICE ALERT: web1.example.fr;HTTP;%s;"
		    "HARD;1;check %d\n", 1113300000 + 60 * i,
		    i % 2 ? "OK" : "CRITICAL", i);
	th_write(dir, "outages/big.log", big.data, big.len);
	th_write_str(dir, "outages/zz.log", "[1113400000] HOST ALERT: "
	    "mx1.example.fr;DOWN;HARD;1;PING CRITICAL\n");
	buf_free(&big);

	struct read_limits lim;
	read_limits_default(&lim);
	struct case_model plain, m;
	struct diag_list dl_plain, dl;
	model_init(&plain);
	diag_init(&dl_plain);
	assert_int_equal(read_case(dir, &lim, &plain, &dl_plain), 0);

	struct sink_log sl = { 0 };
	struct read_sink sink = { log_events, log_files, &sl };
	model_init(&m);
	diag_init(&dl);
	assert_int_equal(read_case_sink(dir, &lim, &m, &dl, &sink), 0);

	assert_true(m.nevents > 30000);
	assert_int_equal(sl.nev, m.nevents);
	assert_int_equal(sl.out_of_order, 0);
	assert_true(sl.calls > 1);
	for (size_t i = 0; i < m.nevents; i++) {
		const struct nagios_event *a = &sl.ev[i], *b = &m.events[i];
		assert_int_equal(a->time, b->time);
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->host, b->host);
		assert_int_equal(a->check, b->check);
		assert_int_equal(a->state, b->state);
		assert_int_equal(a->prov.file, b->prov.file);
		assert_int_equal(a->prov.line, b->prov.line);
		assert_string_equal(a->output ? a->output : "",
		    b->output ? b->output : "");
	}
	assert_int_equal(sl.files_calls, 1);
	assert_int_equal(sl.files_unhashed, 0);

	/* The same model as without a sink. */
	assert_int_equal(m.nevents, plain.nevents);
	assert_int_equal(m.nnames, plain.nnames);
	for (size_t i = 0; i < m.nnames; i++)
		assert_string_equal(m.names[i], plain.names[i]);
	for (size_t i = 0; i < m.nevents; i++) {
		assert_int_equal(m.events[i].time, plain.events[i].time);
		assert_int_equal(m.events[i].host, plain.events[i].host);
		assert_int_equal(m.events[i].prov.line,
		    plain.events[i].prov.line);
	}
	assert_int_equal(m.nfiles, plain.nfiles);
	for (size_t i = 0; i < m.nfiles; i++) {
		assert_string_equal(m.files[i].sha256, plain.files[i].sha256);
		assert_int_equal(m.files[i].size, plain.files[i].size);
		assert_int_equal(m.files[i].lines, plain.files[i].lines);
		assert_int_equal(m.files[i].accepted, plain.files[i].accepted);
	}
	assert_int_equal(dl.len, dl_plain.len);

	/* A log's digest and line count are those of the file. */
	for (size_t i = 0; i < m.nfiles; i++)
		if (!strcmp(m.files[i].path, "outages/big.log")) {
			char *full = xasprintf("%s/%s", dir, m.files[i].path);
			char hex[SHA256_HEX_LEN + 1];
			long long size;
			long lines;
			assert_int_equal(sha256_file(full, hex, &size, &lines), 0);
			assert_string_equal(m.files[i].sha256, hex);
			assert_int_equal(m.files[i].size, size);
			assert_int_equal(m.files[i].lines, 30000);
			free(full);
		}

	for (size_t i = 0; i < sl.nev; i++)
		free(sl.ev[i].output);
	free(sl.ev);
	model_free(&m);
	model_free(&plain);
	diag_free(&dl);
	diag_free(&dl_plain);
	th_case_remove(dir);
}

/* A case without any log still gets its files callback, once. */
static void
test_sink_without_logs(void **state)
{
	(void)state;
	char *dir = th_case_copy();
	char *log = xasprintf("%s/outages/nagios.log", dir);
	unlink(log);
	free(log);
	struct read_limits lim;
	read_limits_default(&lim);
	struct sink_log sl = { 0 };
	struct read_sink sink = { log_events, log_files, &sl };
	struct case_model m;
	struct diag_list dl;
	model_init(&m);
	diag_init(&dl);
	assert_int_equal(read_case_sink(dir, &lim, &m, &dl, &sink), 0);
	assert_int_equal(m.nevents, 0);
	assert_int_equal(sl.calls, 0);
	assert_int_equal(sl.files_calls, 1);
	assert_int_equal(sl.files_unhashed, 0);
	model_free(&m);
	diag_free(&dl);
	th_case_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_is_clean),
		cmocka_unit_test(test_missing_folder),
		cmocka_unit_test(test_missing_ini),
		cmocka_unit_test(test_unmapped_and_uncited),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_custom_limits),
		cmocka_unit_test(test_mutations_never_crash),
		cmocka_unit_test(test_sink_gets_every_event),
		cmocka_unit_test(test_sink_without_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
