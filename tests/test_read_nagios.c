/* test_read_nagios.c - the Nagios / Icinga log parser, on a million lines too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "read/read_int.h"
#include "util/xalloc.h"

struct fx {
	struct case_model m;
	struct diag_list dl;
	struct read_limits lim;
	struct reader r;
	char *diags;
};

static void
parse(struct fx *fx, const char *text, size_t len)
{
	size_t dlen;
	memset(fx, 0, sizeof(*fx));
	model_init(&fx->m);
	diag_init(&fx->dl);
	read_limits_default(&fx->lim);
	fx->r.root = ".";
	fx->r.lim = &fx->lim;
	fx->r.m = &fx->m;
	fx->r.dl = &fx->dl;
	int file = model_file(&fx->m, "n.log", FILE_NAGIOS_LOG);
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	nagios_parse(&fx->r, copy, len, "n.log", file);
	free(copy);
	diag_sort(&fx->dl);
	FILE *o = open_memstream(&fx->diags, &dlen);
	diag_print(&fx->dl, o);
	fclose(o);
}

static void
fx_free(struct fx *fx)
{
	free(fx->diags);
	model_free(&fx->m);
	diag_free(&fx->dl);
}

#define PARSE(fx, s) parse((fx), (s), sizeof(s) - 1)

static void
test_kinds(void **state)
{
	struct fx fx;
	(void)state;
	PARSE(&fx,
	    "[1113300000] Nagios 2.0 starting... (PID=1234)\n"
	    "[1113300001] HOST ALERT: h1;DOWN;HARD;3;PING CRITICAL - 100%\n"
	    "[1113300002] SERVICE ALERT: h1;HTTP;WARNING;SOFT;2;a;b; c\r\n"
	    "[1113300003] CURRENT HOST STATE: h2;UNREACHABLE;HARD;1;\n"
	    "[1113300004] INITIAL SERVICE STATE: h1;HTTP;UNKNOWN;HARD;1;x\n"
	    "[1113300005] HOST DOWNTIME ALERT: h1;STARTED; Host has entered\n"
	    "[1113300006] SERVICE DOWNTIME ALERT: h1;HTTP;CANCELLED; gone\n"
	    "[1113300007] LOG ROTATION: DAILY\n"
	    "[1113300008] Caught SIGTERM, shutting down...\n"
	    "[1113300009] Bailing out due to errors in the configuration\n"
	    "\n"
	    "[1113300010] SERVICE NOTIFICATION: admin;h1;HTTP;CRITICAL;"
	    "notify;shutting down\n"
	    "[1113300011] LOG VERSION: 2.0\n"
	    "[1113300012] Auto-save of retention data completed.\n");
	struct case_model *m = &fx.m;
	assert_int_equal(fx.dl.errors, 0);
	assert_int_equal(m->nevents, 10);
	assert_int_equal(m->events[0].kind, NAGIOS_PROGRAM_START);
	assert_int_equal(m->events[0].time, 1113300000);
	assert_int_equal(m->events[1].kind, NAGIOS_HOST_ALERT);
	assert_int_equal(m->events[1].state, STATE_CRITICAL);
	assert_int_equal(m->events[1].hard, 1);
	assert_int_equal(m->events[1].attempt, 3);
	assert_int_equal(m->events[1].check, -1);
	assert_string_equal(m->names[m->events[1].host], "h1");
	assert_string_equal(m->events[1].output, "PING CRITICAL - 100%");
	assert_int_equal(m->events[2].kind, NAGIOS_SERVICE_ALERT);
	assert_int_equal(m->events[2].state, STATE_WARNING);
	assert_int_equal(m->events[2].hard, 0);
	assert_string_equal(m->names[m->events[2].check], "HTTP");
	assert_string_equal(m->events[2].output, "a;b; c");
	assert_int_equal(m->events[2].host, m->events[1].host);
	assert_int_equal(m->events[3].state, STATE_UNREACHABLE);
	assert_string_equal(m->events[3].output, "");
	assert_int_equal(m->events[4].kind, NAGIOS_SERVICE_STATE);
	assert_int_equal(m->events[5].downtime, DOWNTIME_STARTED);
	assert_string_equal(m->events[5].output, "Host has entered");
	assert_int_equal(m->events[6].downtime, DOWNTIME_CANCELLED);
	assert_int_equal(m->events[7].kind, NAGIOS_LOG_ROTATION);
	assert_int_equal(m->events[8].kind, NAGIOS_PROGRAM_STOP);
	assert_int_equal(m->events[9].kind, NAGIOS_PROGRAM_STOP);
	assert_int_equal(m->events[9].prov.line, 10);
	assert_int_equal(m->nnames, 3);	/* h1, HTTP, h2 */
	assert_int_equal(m->files[0].read, 13);
	assert_int_equal(m->files[0].accepted, 10);
	assert_int_equal(m->files[0].skipped, 3);
	assert_non_null(strstr(fx.diags, "3 lines of other kinds skipped"));
	fx_free(&fx);
}

static void
test_bad_lines(void **state)
{
	struct fx fx;
	static const char text[] =
	    "[1113300001] HOST ALERT: h1;DOWN;HARD\n"		/* 1 */
	    "[1113300002] SERVICE ALERT: h1;HTTP;BROKEN;HARD;1;x\n"
	    "[1113300003] HOST ALERT: h1;OK;HARD;1;x\n"		/* host: OK */
	    "[-5] HOST ALERT: h1;UP;HARD;1;x\n"
	    "[99999999999] HOST ALERT: h1;UP;HARD;1;x\n"	/* 5: > 2100 */
	    "1113300006 HOST ALERT: h1;UP;HARD;1;x\n"
	    "[1113300007] HOST ALERT: ;UP;HARD;1;x\n"
	    "[1113300008] SERVICE ALERT: h1;HTTP;OK;HARD;x1;x\n"
	    "[1113300009] HOST DOWNTIME ALERT: h1;PAUSED; x\n"
	    "[1113300010] SERVICE ALERT: h1;HTTP;OK;HARD;1;caf\xe9\n"	/* 10 */
	    "[1113300011] HOST ALERT: h1;UP;HARD;1;fine\n"
	    "[1113300012\n"
	    "garbage without a kind\n"
	    "[1113300014] HOST ALERT:\n";
	(void)state;
	PARSE(&fx, text);
	const char *want[] = {
		"n.log:1: error: HOST ALERT line with missing fields",
		"n.log:2: error: unknown state \"BROKEN\"",
		"n.log:3: error: unknown state \"OK\" (expected UP, DOWN or",
		"n.log:4: error: HOST ALERT line without a valid [timestamp]",
		"n.log:5: error: HOST ALERT line without a valid [timestamp]",
		"n.log:6: error: HOST ALERT line without a valid [timestamp]",
		"n.log:7: error: HOST ALERT line without a host name",
		"n.log:8: error: bad attempt number",
		"n.log:9: error: unknown downtime action \"PAUSED\"",
		"n.log:10: error: invalid UTF-8 text",
		"n.log:14: error: HOST ALERT line with missing fields",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(fx.diags, want[i]) == NULL)
			fail_msg("missing \"%s\" in:\n%s", want[i], fx.diags);
	assert_int_equal(fx.dl.errors, 11);
	assert_int_equal(fx.m.nevents, 1);
	assert_int_equal(fx.m.events[0].prov.line, 11);
	assert_int_equal(fx.m.files[0].rejected, 11);
	assert_int_equal(fx.m.files[0].skipped, 2);
	fx_free(&fx);
}

/* Random bytes must never crash the parser. */
static void
test_garbage(void **state)
{
	static const char *const bits[] = { "[", "]", "1113300000", " ",
		"HOST ALERT: ", "SERVICE ALERT: ", ";", "UP", "OK", "HARD",
		"1", "\n", "\r", "\xff", "starting...", "x", ":" };
	char buf[400];
	(void)state;
	srand(7);
	for (int round = 0; round < 3000; round++) {
		size_t n = 0;
		while (n < sizeof(buf) - 16) {
			const char *b = bits[rand() % 17];
			size_t l = strlen(b);
			memcpy(buf + n, b, l);
			n += l;
			if (rand() % 40 == 0)
				break;
		}
		struct fx fx;
		parse(&fx, buf, n);
		fx_free(&fx);
	}
}

/*
 * 1,000,000 lines of a realistic mix must parse well under a second at
 * -O2. DOSSIER_BENCH_LINES changes the count (e.g. under valgrind).
 */
static void
test_speed(void **state)
{
	const char *env = getenv("DOSSIER_BENCH_LINES");
	long lines = env ? atol(env) : 1000000;
	struct buf b;
	(void)state;
	buf_init(&b);
	for (long i = 0; i < lines; i++) {
		long t = 1113300000 + i;
		switch (i % 5) {
		case 0:
			buf_printf(&b, "[%ld] SERVICE ALERT: web%ld.example.fr;"
			    "HTTP;CRITICAL;HARD;3;HTTP CRITICAL - Connection "
			    "refused; retry 2\n", t, i % 20);
			break;
		case 1:
			buf_printf(&b, "[%ld] SERVICE ALERT: web%ld.example.fr;"
			    "HTTP;OK;HARD;1;HTTP OK HTTP/1.1 200 OK - 1234 "
			    "bytes in 0.01 s\n", t, i % 20);
			break;
		case 2:
			buf_printf(&b, "[%ld] HOST ALERT: db%ld.example.fr;DOWN;"
			    "SOFT;1;PING CRITICAL - Packet loss = 100%%\n", t,
			    i % 7);
			break;
		case 3:
			buf_printf(&b, "[%ld] SERVICE NOTIFICATION: admin;web1."
			    "example.fr;HTTP;CRITICAL;notify-by-email;down\n", t);
			break;
		default:
			buf_printf(&b, "[%ld] CURRENT SERVICE STATE: mx1.example"
			    ".fr;SMTP;OK;HARD;1;SMTP OK - 0.1 sec\n", t);
			break;
		}
	}
	struct fx fx;
	memset(&fx, 0, sizeof(fx));
	model_init(&fx.m);
	diag_init(&fx.dl);
	read_limits_default(&fx.lim);
	fx.r.root = ".";
	fx.r.lim = &fx.lim;
	fx.r.m = &fx.m;
	fx.r.dl = &fx.dl;
	int file = model_file(&fx.m, "big.log", FILE_NAGIOS_LOG);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nagios_parse(&fx.r, b.data, b.len, "big.log", file);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "nagios: %ld lines (%.1f MB) parsed in %.3f s "
	    "(%.2f M lines/s)\n", lines, (double)b.len / 1e6, secs,
	    (double)lines / secs / 1e6);
	assert_int_equal(fx.m.nevents, (size_t)(lines - lines / 5));
	assert_int_equal(fx.dl.errors, 0);
	/* No time limit here: a timed test fails on a busy machine for
	 * nothing. Speed is checked by `make bench`. */
	buf_free(&b);
	fx.diags = NULL;
	fx_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
