/*
 * test_availability.c - the availability rules, each with a hand-computed
 * expectation, then property tests over random event streams.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/availability.h"
#include "analyze/avail_format.h"
#include "avail_fixture.h"
#include "util/timeutil.h"

#define T0 ((int64_t)1104537600)	/* 2005-01-01T00:00:00Z */
#define DAY ((int64_t)86400)
#define PERIOD (10 * DAY)

static struct case_model M;

/* A case over [T0, T0 + 10 days), UTC, service "web" = host h, check http. */
static void
basic_case(void)
{
	fx_init(&M, T0, T0 + PERIOD, "UTC");
	fx_service(&M, "web", "Web hosting");
	fx_monitor(&M, "web", "h", "http");
}

static struct avail_report *
run(int soft)
{
	struct avail_options o;
	char *err = NULL;
	avail_options_init(&o);
	o.include_soft = soft;
	struct avail_report *r = avail_build(&M, &o, &err);
	assert_non_null(r);
	assert_null(err);
	return r;
}

static const struct avail_result *
svc(const struct avail_report *r, const char *id)
{
	for (size_t i = 0; i < r->nservices; i++)
		if (strcmp(r->services[i].id, id) == 0)
			return &r->services[i];
	fail_msg("no service %s", id);
	return NULL;
}

static const struct avail_result *
host(const struct avail_report *r, const char *id)
{
	for (size_t i = 0; i < r->nhosts; i++)
		if (strcmp(r->hosts[i].id, id) == 0)
			return &r->hosts[i];
	fail_msg("no host %s", id);
	return NULL;
}

/* Buckets partition the period; days sum to it; nothing above 100 %. */
static void
check_invariants(const struct avail_result *x, int64_t period)
{
	const struct avail_stats *s[] = { &x->real, &x->excl };
	for (int i = 0; i < 2; i++) {
		assert_true(s[i]->available >= 0 && s[i]->unavailable >= 0 &&
		    s[i]->unknown >= 0 && s[i]->nodata >= 0 &&
		    s[i]->warning >= 0 && s[i]->warning <= s[i]->available);
		assert_int_equal(s[i]->available + s[i]->unavailable +
		    s[i]->unknown + s[i]->nodata, s[i]->period);
		assert_true(s[i]->pct_period <= 100.0);
		assert_true(s[i]->pct_known <= 100.0);
		assert_true(s[i]->pct_proven <= 100.0);
	}
	assert_int_equal(x->real.period, period);
	assert_int_equal(x->excl.period, period - x->sched_downtime);
	int64_t days = 0, u = 0, us = 0, dt = 0;
	for (size_t i = 0; i < x->ndays; i++) {
		days += x->days[i].end - x->days[i].start;
		u += x->days[i].unavailable;
		us += x->days[i].unscheduled;
		dt += x->days[i].downtime;
		if (i > 0)
			assert_int_equal(x->days[i].start, x->days[i - 1].end);
	}
	assert_int_equal(days, period);
	assert_int_equal(u, x->downtime_total);
	assert_int_equal(us, x->downtime_unscheduled);
	assert_int_equal(dt, x->sched_downtime);
	int64_t o = 0;
	for (size_t i = 0; i < x->noutages; i++)
		o += x->outages[i].end - x->outages[i].start;
	assert_int_equal(o, x->downtime_total);
}

static int
teardown(void **state)
{
	model_free(&M);
	return 0;
}

static void
test_basic_outage(void **state)
{
	basic_case();
	fx_host(&M, T0, "h", STATE_OK, 1, 1);
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 2);
	fx_svc(&M, T0 + 1000, "h", "http", STATE_CRITICAL, 1, 3);
	fx_svc(&M, T0 + 1600, "h", "http", STATE_OK, 1, 4);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->downtime_total, 600);
	assert_int_equal(w->real.nodata, 0);
	assert_int_equal(w->noutages, 1);
	assert_int_equal(w->longest, 600);
	assert_true(w->mttr == 600.0);
	assert_int_equal(w->outages[0].start, T0 + 1000);
	assert_int_equal(w->outages[0].from.file, 0);
	assert_int_equal(w->outages[0].from.line, 3);
	assert_int_equal(w->outages[0].to.line, 4);
	assert_true(w->real.pct_period == 100.0 * (PERIOD - 600) / PERIOD);
	assert_int_equal(w->days[0].unavailable, 600);
	assert_int_equal(w->ndays, 10);
	avail_free(r);
}

static void
test_soft_then_hard(void **state)
{
	basic_case();
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 + 1000, "h", "http", STATE_CRITICAL, 0, 2);
	fx_svc(&M, T0 + 1060, "h", "http", STATE_CRITICAL, 0, 3);
	fx_svc(&M, T0 + 1120, "h", "http", STATE_CRITICAL, 1, 4);
	fx_svc(&M, T0 + 1720, "h", "http", STATE_OK, 1, 5);
	/* A SOFT problem that recovers never counts by default. */
	fx_svc(&M, T0 + 5000, "h", "http", STATE_WARNING, 0, 6);
	fx_svc(&M, T0 + 5100, "h", "http", STATE_OK, 0, 7);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->downtime_total, 600);
	assert_int_equal(w->outages[0].from.line, 4);
	assert_int_equal(w->real.warning, 0);
	assert_int_equal(r->soft_ignored, 3);
	avail_free(r);
	r = run(1);
	w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->downtime_total, 720);
	assert_int_equal(w->outages[0].from.line, 2);
	assert_int_equal(w->real.warning, 100);
	avail_free(r);
}

static void
test_soft_recovery_taken(void **state)
{
	/* A SOFT OK after a HARD problem ends it (Thruk's rule). */
	basic_case();
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 + 100, "h", "http", STATE_CRITICAL, 1, 2);
	fx_svc(&M, T0 + 400, "h", "http", STATE_OK, 0, 3);
	struct avail_report *r = run(0);
	assert_int_equal(svc(r, "web")->downtime_total, 300);
	avail_free(r);
}

static void
test_out_of_order(void **state)
{
	basic_case();
	/* File order 1..5, times out of order. */
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 + 2000, "h", "http", STATE_OK, 1, 2);
	fx_svc(&M, T0 + 1000, "h", "http", STATE_CRITICAL, 1, 3);
	/* Same second: file order decides; the later line wins. */
	fx_svc(&M, T0 + 3000, "h", "http", STATE_CRITICAL, 1, 5);
	fx_svc(&M, T0 + 3000, "h", "http", STATE_OK, 1, 6);
	/* Stored out of file order too: line 4 sorts before line 5. */
	fx_svc(&M, T0 + 3000, "h", "http", STATE_UNKNOWN, 1, 4);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->downtime_total, 1000);
	assert_int_equal(w->real.unknown, 0);
	assert_int_equal(w->noutages, 1);
	assert_int_equal(w->outages[0].from.line, 3);
	assert_int_equal(w->outages[0].to.line, 2);
	assert_true(r->events_out_of_order > 0);
	avail_free(r);
}

static void
test_downtime(void **state)
{
	basic_case();
	fx_service(&M, "mail", "Mail");
	fx_monitor(&M, "mail", "h", "smtp");
	fx_host(&M, T0, "h", STATE_OK, 1, 1);
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 2);
	fx_svc(&M, T0, "h", "smtp", STATE_OK, 1, 3);
	/* Host downtime 1000..4600 covers both services. */
	fx_hdt(&M, T0 + 1000, "h", DOWNTIME_STARTED, 4);
	fx_svc(&M, T0 + 2000, "h", "http", STATE_CRITICAL, 1, 5);
	fx_svc(&M, T0 + 3000, "h", "http", STATE_OK, 1, 6);
	fx_hdt(&M, T0 + 4600, "h", DOWNTIME_STOPPED, 7);
	/* Service downtime on smtp, cancelled; nested twice. */
	fx_sdt(&M, T0 + 10000, "h", "smtp", DOWNTIME_STARTED, 8);
	fx_sdt(&M, T0 + 10500, "h", "smtp", DOWNTIME_STARTED, 9);
	fx_svc(&M, T0 + 10600, "h", "smtp", STATE_CRITICAL, 1, 10);
	fx_sdt(&M, T0 + 11000, "h", "smtp", DOWNTIME_CANCELLED, 11);
	fx_sdt(&M, T0 + 12000, "h", "smtp", DOWNTIME_STOPPED, 12);
	fx_svc(&M, T0 + 12600, "h", "smtp", STATE_OK, 1, 13);
	/* An end with no start is counted, not guessed. */
	fx_sdt(&M, T0 + 20000, "h", "smtp", DOWNTIME_STOPPED, 14);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->sched_downtime, 3600);
	assert_int_equal(w->downtime_total, 1000);
	assert_int_equal(w->downtime_unscheduled, 0);
	assert_int_equal(w->excl.period, PERIOD - 3600);
	assert_int_equal(w->excl.unavailable, 0);
	assert_true(w->excl.pct_period == 100.0);
	assert_int_equal(w->real.unavailable, 1000);	/* real state counts */
	assert_int_equal(w->noutages_unsched, 0);
	const struct avail_result *ml = svc(r, "mail");
	check_invariants(ml, PERIOD);
	assert_int_equal(ml->sched_downtime, 3600 + 2000);
	assert_int_equal(ml->downtime_total, 2000);
	assert_int_equal(ml->downtime_unscheduled, 600);
	assert_int_equal(ml->noutages_unsched, 1);
	assert_int_equal(r->unmatched_downtime_end, 1);
	/* The host summary shows the host's own downtime. */
	assert_int_equal(host(r, "h")->sched_downtime, 3600);
	avail_free(r);
}

static void
test_host_down_covers_services(void **state)
{
	basic_case();
	fx_host(&M, T0, "h", STATE_OK, 1, 1);
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 2);
	fx_host(&M, T0 + 5000, "h", STATE_CRITICAL, 1, 3);	/* DOWN */
	fx_host(&M, T0 + 5600, "h", STATE_OK, 1, 4);
	fx_host(&M, T0 + 9000, "h", STATE_UNREACHABLE, 1, 5);
	fx_host(&M, T0 + 9300, "h", STATE_OK, 1, 6);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->downtime_total, 900);
	assert_int_equal(w->noutages, 2);
	assert_int_equal(w->outages[0].from.line, 3);
	assert_int_equal(w->outages[0].to.line, 4);
	const struct avail_result *h = host(r, "h");
	check_invariants(h, PERIOD);
	assert_int_equal(h->host_down, 600);
	assert_int_equal(h->host_unreachable, 300);
	assert_int_equal(h->downtime_total, 900);
	avail_free(r);
}

static void
test_no_data_before_first_state(void **state)
{
	basic_case();
	fx_service(&M, "dns", "DNS");	/* monitored by nothing */
	fx_svc(&M, T0 + 3600, "h", "http", STATE_OK, 1, 1);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->real.nodata, 3600);
	assert_int_equal(w->real.available, PERIOD - 3600);
	assert_true(w->real.pct_known == 100.0);
	assert_true(w->real.pct_period < 100.0);
	assert_int_equal(w->downtime_total, 0);
	const struct avail_result *d = svc(r, "dns");
	check_invariants(d, PERIOD);
	assert_int_equal(d->real.nodata, PERIOD);
	assert_true(d->real.pct_known < 0);	/* undefined */
	avail_free(r);
}

static void
test_clipping(void **state)
{
	basic_case();
	fx_svc(&M, T0 - 5000, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 - 1000, "h", "http", STATE_CRITICAL, 1, 2);
	fx_svc(&M, T0 + 500, "h", "http", STATE_OK, 1, 3);
	fx_svc(&M, T0 + PERIOD - 100, "h", "http", STATE_CRITICAL, 1, 4);
	fx_svc(&M, T0 + PERIOD + 50, "h", "http", STATE_OK, 1, 5);
	fx_outage(&M, "web", T0 - 10000, T0 - 9000, 2);	/* outside */
	fx_outage(&M, "web", T0 + PERIOD - 300, T0 + PERIOD + 900, 3);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->real.nodata, 0);	/* state known from before */
	assert_int_equal(w->downtime_total, 500 + 300);
	assert_int_equal(w->noutages, 2);
	assert_int_equal(w->outages[0].start, T0);
	assert_int_equal(w->outages[0].from.line, 2);
	assert_int_equal(w->outages[1].end, T0 + PERIOD);
	assert_int_equal(w->outages[1].from.file, 1);	/* the CSV row */
	assert_int_equal(w->outages[1].from.line, 3);
	assert_int_equal(w->ncsv, 2);
	avail_free(r);
}

static void
test_dst_day(void **state)
{
	/* 2005-03-26 00:00 to 2005-03-29 00:00, Europe/Paris. */
	fx_init(&M, 1111791600, 1112047200, "Europe/Paris");
	fx_service(&M, "web", "Web");
	fx_monitor(&M, "web", "h", "http");
	fx_svc(&M, 1111791600, "h", "http", STATE_OK, 1, 1);
	/* 26th 23:30 CET to 27th 03:30 CEST: 3 h across midnight and DST. */
	fx_svc(&M, 1111876200, "h", "http", STATE_CRITICAL, 1, 2);
	fx_svc(&M, 1111887000, "h", "http", STATE_OK, 1, 3);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, 71 * 3600);
	assert_int_equal(w->ndays, 3);
	assert_int_equal(w->days[0].day, 26);
	assert_int_equal(w->days[1].day, 27);
	assert_int_equal(w->days[1].month, 3);
	assert_int_equal(w->days[0].end - w->days[0].start, 24 * 3600);
	assert_int_equal(w->days[1].end - w->days[1].start, 23 * 3600);
	assert_int_equal(w->days[2].end - w->days[2].start, 24 * 3600);
	assert_int_equal(w->days[0].unavailable, 1800);
	assert_int_equal(w->days[1].unavailable, 9000);
	assert_int_equal(w->downtime_total, 10800);
	char b[64];
	time_format_iso(w->days[1].end, b, sizeof(b));
	assert_string_equal(b, "2005-03-28T00:00:00+02:00");
	avail_free(r);
}

static void
test_dst_day_autumn(void **state)
{
	/* 2005-10-29 00:00 to 2005-10-31 00:00 Europe/Paris: 24 h + 25 h. */
	fx_init(&M, 1130536800, 1130713200, "Europe/Paris");
	fx_service(&M, "web", "Web");
	fx_monitor(&M, "web", "h", "http");
	fx_svc(&M, 1130536800, "h", "http", STATE_OK, 1, 1);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, 49 * 3600);
	assert_int_equal(w->ndays, 2);
	assert_int_equal(w->days[1].day, 30);
	assert_int_equal(w->days[1].end - w->days[1].start, 25 * 3600);
	avail_free(r);
}

static void
test_unknown_and_warning(void **state)
{
	basic_case();
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 + 1000, "h", "http", STATE_UNKNOWN, 1, 2);
	fx_svc(&M, T0 + 1300, "h", "http", STATE_OK, 1, 3);
	fx_svc(&M, T0 + 2000, "h", "http", STATE_WARNING, 1, 4);
	fx_svc(&M, T0 + 2500, "h", "http", STATE_OK, 1, 5);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->real.unknown, 300);
	assert_int_equal(w->real.warning, 500);
	assert_int_equal(w->downtime_total, 0);
	assert_int_equal(w->noutages, 0);
	assert_int_equal(w->real.available, PERIOD - 300);
	assert_true(w->real.pct_proven == 100.0);
	avail_free(r);
}

static void
test_restart_keeps_state(void **state)
{
	basic_case();
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 + 1000, "h", "http", STATE_CRITICAL, 1, 2);
	fx_event(&M, T0 + 1500, NAGIOS_PROGRAM_STOP, NULL, NULL, STATE_NONE,
	    1, DOWNTIME_NONE, 0, 3);
	fx_event(&M, T0 + 1600, NAGIOS_PROGRAM_START, NULL, NULL, STATE_NONE,
	    1, DOWNTIME_NONE, 0, 4);
	fx_event(&M, T0 + 1600, NAGIOS_LOG_ROTATION, NULL, NULL, STATE_NONE,
	    1, DOWNTIME_NONE, 0, 5);
	/* The state dump after the restart repeats CRITICAL: no new outage. */
	fx_event(&M, T0 + 1600, NAGIOS_SERVICE_STATE, "h", "http",
	    STATE_CRITICAL, 1, DOWNTIME_NONE, 0, 6);
	fx_svc(&M, T0 + 2000, "h", "http", STATE_OK, 1, 7);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	assert_int_equal(w->downtime_total, 1000);
	assert_int_equal(w->noutages, 1);
	assert_int_equal(w->outages[0].from.line, 2);
	assert_int_equal(w->outages[0].to.line, 7);
	avail_free(r);
}

static void
test_current_state_lines(void **state)
{
	basic_case();
	/* INITIAL/CURRENT STATE lines set the state, HARD or SOFT. */
	fx_event(&M, T0 + 100, NAGIOS_SERVICE_STATE, "h", "http",
	    STATE_CRITICAL, 1, DOWNTIME_NONE, 0, 1);
	fx_svc(&M, T0 + 400, "h", "http", STATE_OK, 1, 2);
	fx_event(&M, T0 + 1000, NAGIOS_SERVICE_STATE, "h", "http",
	    STATE_CRITICAL, 0, DOWNTIME_NONE, 0, 3);	/* SOFT */
	fx_svc(&M, T0 + 1100, "h", "http", STATE_OK, 1, 4);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	assert_int_equal(w->real.nodata, 100);
	assert_int_equal(w->downtime_total, 300);
	avail_free(r);
	r = run(1);
	assert_int_equal(svc(r, "web")->downtime_total, 400);
	avail_free(r);
}

static void
test_csv_merge_and_worst_state(void **state)
{
	basic_case();
	fx_monitor(&M, "web", "db", "mysql");	/* two objects */
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0, "db", "mysql", STATE_OK, 1, 2);
	fx_svc(&M, T0 + 2400, "h", "http", STATE_CRITICAL, 1, 3);
	fx_svc(&M, T0 + 3000, "h", "http", STATE_OK, 1, 4);
	fx_svc(&M, T0 + 5000, "db", "mysql", STATE_CRITICAL, 1, 5);
	fx_svc(&M, T0 + 5200, "db", "mysql", STATE_UNKNOWN, 1, 6);
	fx_svc(&M, T0 + 5500, "db", "mysql", STATE_OK, 1, 7);
	fx_svc(&M, T0 + 5100, "h", "http", STATE_CRITICAL, 1, 8);
	fx_svc(&M, T0 + 5300, "h", "http", STATE_OK, 1, 9);
	fx_outage(&M, "web", T0 + 1000, T0 + 2000, 2);
	fx_outage(&M, "web", T0 + 1500, T0 + 2500, 3);
	fx_outage(&M, "web", T0 + 1500, T0 + 2500, 4);	/* duplicate */
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	check_invariants(w, PERIOD);
	/* [1000,3000) from CSV + log; [5000,5300) worst of both checks. */
	assert_int_equal(w->noutages, 2);
	assert_int_equal(w->outages[0].start, T0 + 1000);
	assert_int_equal(w->outages[0].end, T0 + 3000);
	assert_int_equal(w->outages[0].from.file, 1);
	assert_int_equal(w->outages[0].to.file, 0);
	assert_int_equal(w->outages[0].to.line, 4);
	assert_int_equal(w->outages[1].end - w->outages[1].start, 300);
	assert_int_equal(w->downtime_total, 2300);
	assert_int_equal(w->real.unknown, 200);	/* 5300..5500 */
	assert_int_equal(w->nobjects, 2);
	assert_int_equal(w->ncsv, 3);
	avail_free(r);
}

static void
test_customers_and_filters(void **state)
{
	basic_case();
	fx_service(&M, "mail", "Mail");
	fx_monitor(&M, "mail", "m", NULL);	/* a host check */
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_host(&M, T0, "m", STATE_OK, 1, 2);
	fx_svc(&M, T0 + 100, "h", "http", STATE_CRITICAL, 1, 3);
	fx_svc(&M, T0 + 200, "h", "http", STATE_OK, 1, 4);
	fx_host(&M, T0 + 150, "m", STATE_CRITICAL, 1, 5);
	fx_host(&M, T0 + 450, "m", STATE_OK, 1, 6);
	fx_complaint(&M, "P1", "C1", "Alice \"A\"", "web", (char *)NULL);
	fx_complaint(&M, "P2", "C2", "Bob", "web", (char *)NULL);
	fx_complaint(&M, "P3", "C1", "Alice", "mail", (char *)NULL);
	struct avail_report *r = run(0);
	assert_int_equal(r->ncustomers, 2);
	const struct avail_customer *c1 = &r->customers[0];
	assert_string_equal(c1->id, "C1");
	assert_int_equal(c1->nservices, 2);
	check_invariants(&c1->combined, PERIOD);
	assert_int_equal(c1->combined.downtime_total, 350);	/* 100..450 */
	assert_int_equal(c1->combined.noutages, 1);
	assert_int_equal(r->customers[1].nservices, 1);
	assert_int_equal(r->customers[1].combined.downtime_total, 100);
	assert_int_equal(svc(r, "mail")->downtime_total, 300);
	avail_free(r);

	struct avail_options o;
	char *err;
	avail_options_init(&o);
	o.customer = "C2";
	r = avail_build(&M, &o, &err);
	assert_non_null(r);
	assert_int_equal(r->nservices, 1);
	assert_string_equal(r->services[0].id, "web");
	assert_int_equal(r->ncustomers, 1);
	assert_int_equal(r->nhosts, 1);
	assert_string_equal(r->hosts[0].id, "h");
	avail_free(r);

	avail_options_init(&o);
	o.service = "mail";
	r = avail_build(&M, &o, &err);
	assert_non_null(r);
	assert_int_equal(r->nservices, 1);
	assert_int_equal(r->ncustomers, 0);
	avail_free(r);

	o.service = "nope";
	assert_null(avail_build(&M, &o, &err));
	assert_non_null(err);
	free(err);
	avail_options_init(&o);
	o.customer = "C9";
	assert_null(avail_build(&M, &o, &err));
	assert_non_null(strstr(err, "C9"));
	free(err);
}

static void
test_sla(void **state)
{
	struct avail_sla s;
	struct sla_credit cr[] = { { 99.9, 10 }, { 99.0, 25 }, { 95.0, 50 } };
	char b[128];
	int64_t p30 = 30 * DAY;

	avail_sla_compute(&s, 99.9, p30, 0, cr, 3);
	assert_int_equal(s.allowed, 2592);	/* 43 min 12 s */
	assert_false(s.breached);
	assert_false(s.has_credit);
	avail_fmt_sla_sentence(b, sizeof(b), &s, p30, 1);
	assert_string_equal(b, "99,9 % sur 30 jours autorise 43 min 12 s");
	avail_fmt_sla_sentence(b, sizeof(b), &s, p30, 0);
	assert_string_equal(b, "99.9% over 30 days allows 43 min 12 s");

	/* 98.5 %: below 99.9 and 99.0, not 95: the highest such credit. */
	int64_t down = (int64_t)(0.015 * (double)p30);
	avail_sla_compute(&s, 99.9, p30, down, cr, 3);
	assert_true(s.breached);
	assert_int_equal(s.excess, down - 2592);
	assert_true(s.ratio > 14.99 && s.ratio < 15.01);
	assert_true(s.has_credit);
	assert_true(s.credit == 25);

	/* Through the report: unscheduled downtime only. */
	basic_case();
	M.info.sla_percent = 99.9;
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 + 100, "h", "http", STATE_CRITICAL, 1, 2);
	fx_svc(&M, T0 + 1100, "h", "http", STATE_OK, 1, 3);
	fx_hdt(&M, T0 + 500, "h", DOWNTIME_STARTED, 4);
	fx_hdt(&M, T0 + 700, "h", DOWNTIME_STOPPED, 5);
	struct avail_report *r = run(0);
	const struct avail_result *w = svc(r, "web");
	assert_true(w->sla.present);
	assert_int_equal(w->sla.allowed, 864);	/* 0.1 % of 10 days */
	assert_int_equal(w->sla.actual, 800);
	assert_false(w->sla.breached);
	avail_free(r);
}

static void
test_formatting(void **state)
{
	char b[64];
	avail_fmt_duration(b, sizeof(b), 8040, 1);
	assert_string_equal(b, "2 h 14 min");
	avail_fmt_duration(b, sizeof(b), 2592, 0);
	assert_string_equal(b, "43 min 12 s");
	avail_fmt_duration(b, sizeof(b), 90061, 1);
	assert_string_equal(b, "1 j 1 h 1 min 1 s");
	avail_fmt_duration(b, sizeof(b), 0, 0);
	assert_string_equal(b, "0 s");
	avail_fmt_percent(b, sizeof(b), 99.8734, 3, 1);
	assert_string_equal(b, "99,873 %");
	avail_fmt_percent(b, sizeof(b), 99.8734, 3, 0);
	assert_string_equal(b, "99.873%");
	avail_fmt_percent(b, sizeof(b), -1, 3, 0);
	assert_string_equal(b, "n/a");
}

/* Run every output format into memory; check a few landmarks. */
static void
test_outputs(void **state)
{
	basic_case();
	M.info.sla_percent = 99.9;
	free(M.services[0].label);
	M.services[0].label = xstrdup("Hébergement \"web\", pro");
	fx_svc(&M, T0, "h", "http", STATE_OK, 1, 1);
	fx_svc(&M, T0 + 100, "h", "http", STATE_CRITICAL, 1, 2);
	fx_svc(&M, T0 + 8140, "h", "http", STATE_OK, 1, 3);
	fx_complaint(&M, "P1", "C1", "Alice", "web", (char *)NULL);
	struct avail_report *r = run(0);
	const char *langs[] = { "fr", "en" };
	for (int f = AVAIL_TEXT; f <= AVAIL_JSON; f++)
		for (int l = 0; l < 2; l++) {
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);
			assert_int_equal(avail_print(out, r, &M,
			    (enum avail_format)f, langs[l]), 0);
			fclose(out);
			if (f == AVAIL_TEXT && l == 0) {
				assert_non_null(strstr(buf, "2 h 14 min"));
				assert_non_null(strstr(buf, "99,069 %"));
				assert_non_null(strstr(buf, "Méthode."));
				assert_non_null(strstr(buf,
				    "logs/nagios.log:2"));
			}
			if (f == AVAIL_TEXT && l == 1)
				assert_non_null(strstr(buf, "99.069%"));
			if (f == AVAIL_CSV) {
				assert_non_null(strstr(buf,
				    "service,web,\"Hébergement \"\"web\"\", "
				    "pro\",864000,"));
				assert_non_null(strstr(buf, ",0.99069444,"));
			}
			if (f == AVAIL_JSON) {
				assert_non_null(strstr(buf,
				    "\"Hébergement \\\"web\\\", pro\""));
				assert_non_null(strstr(buf,
				    "\"from\":{\"file_index\":0,"
				    "\"file\":\"logs/nagios.log\",\"line\":2}"));
				assert_int_equal(buf[len - 2], '}');
			}
			free(buf);
		}
	enum avail_format fm;
	assert_int_equal(avail_format_parse("json", &fm), 0);
	assert_int_equal(fm, AVAIL_JSON);
	assert_int_equal(avail_format_parse("pdf", &fm), -1);
	avail_free(r);
}

/* ---- properties over random event streams ------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
test_random_streams(void **state)
{
	static const char *hosts[] = { "h1", "h2", "h3" };
	static const char *checks[] = { "http", "smtp" };
	tz_use("Europe/Paris");
	for (int round = 0; round < 60; round++) {
		/* A period over the March 2005 DST change, odd bounds. */
		int64_t start = 1111791600 - (int64_t)(rnd() % 200000);
		int64_t end = 1112047200 + (int64_t)(rnd() % 200000);
		fx_init(&M, start, end, "Europe/Paris");
		M.info.sla_percent = 99.5;
		fx_service(&M, "a", "A");
		fx_service(&M, "b", "B");
		fx_monitor(&M, "a", "h1", "http");
		fx_monitor(&M, "a", "h2", NULL);
		fx_monitor(&M, "b", "h2", "smtp");
		fx_monitor(&M, "b", "h3", "http");
		fx_complaint(&M, "P1", "C1", "X", "a", (char *)NULL);
		fx_complaint(&M, "P2", "C1", "X", "b", (char *)NULL);
		int n = 50 + (int)(rnd() % 400);
		for (int i = 0; i < n; i++) {
			int64_t t = start - 50000 +
			    (int64_t)(rnd() % (uint64_t)(end - start + 100000));
			const char *h = hosts[rnd() % 3];
			int st = (int)(rnd() % 5), hard = (int)(rnd() % 3 != 0);
			switch (rnd() % 6) {
			case 0:
				fx_host(&M, t, h, st == 1 ? 0 : st, hard, i + 1);
				break;
			case 1:
				fx_hdt(&M, t, h, (enum downtime_action)
				    (1 + rnd() % 3), i + 1);
				break;
			case 2:
				fx_sdt(&M, t, h, checks[rnd() % 2],
				    (enum downtime_action)(1 + rnd() % 3),
				    i + 1);
				break;
			default:
				fx_svc(&M, t, h, checks[rnd() % 2],
				    st > 3 ? 3 : st, hard, i + 1);
			}
		}
		for (int i = 0; i < 3; i++) {
			int64_t t = start + (int64_t)(rnd() %
			    (uint64_t)(end - start));
			fx_outage(&M, rnd() % 2 ? "a" : "b", t,
			    t + (int64_t)(rnd() % 20000), i + 1);
		}
		for (int soft = 0; soft < 2; soft++) {
			struct avail_report *r = run(soft);
			for (size_t i = 0; i < r->nservices; i++)
				check_invariants(&r->services[i], end - start);
			for (size_t i = 0; i < r->nhosts; i++)
				check_invariants(&r->hosts[i], end - start);
			const struct avail_result *c =
			    &r->customers[0].combined;
			check_invariants(c, end - start);
			/* The combination is at least as bad as each part. */
			for (size_t i = 0; i < r->nservices; i++) {
				assert_true(c->downtime_total >=
				    r->services[i].downtime_total);
				assert_true(c->real.available <=
				    r->services[i].real.available);
			}
			avail_free(r);
		}
		model_free(&M);
	}
}

/* The report as JSON, for comparing two reports whole. Caller frees. */
static char *
report_json(const struct avail_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(avail_print(out, r, &M, AVAIL_JSON, "fr"), 0);
	fclose(out);
	return buf;
}

/*
 * Customers computed on two threads (avail_parallel_customers) give the
 * report one thread gives, byte for byte in JSON (every customer's
 * figures and day table): a collective of 101 customers, each holding
 * one, both or neither service, over a busy random log.
 */
static void
test_customers_on_two_threads(void **state)
{
	(void)state;
	tz_use("Europe/Paris");
	fx_init(&M, 1111791600, 1112047200 + 3 * DAY, "Europe/Paris");
	M.info.sla_percent = 99.5;
	fx_service(&M, "a", "A");
	fx_service(&M, "b", "B");
	fx_monitor(&M, "a", "h1", "http");
	fx_monitor(&M, "b", "h2", "smtp");
	for (int i = 0; i < 400; i++) {
		int64_t t = 1111791600 + (int64_t)(rnd() % (4 * DAY));
		fx_svc(&M, t, i % 2 ? "h1" : "h2", i % 2 ? "http" : "smtp",
		    (int)(rnd() % 4), 1, i + 1);
	}
	for (int k = 0; k < 101; k++) {
		char id[32], cid[32], name[32];
		snprintf(id, sizeof id, "P%d", k);
		snprintf(cid, sizeof cid, "C%03d", k);
		snprintf(name, sizeof name, "Client %d", k);
		switch (k % 4) {
		case 0: fx_complaint(&M, id, cid, name, "a", (char *)NULL); break;
		case 1: fx_complaint(&M, id, cid, name, "b", (char *)NULL); break;
		case 2: fx_complaint(&M, id, cid, name, "a", "b", (char *)NULL); break;
		default: fx_complaint(&M, id, cid, name, (char *)NULL); break;
		}
	}
	size_t saved = avail_parallel_customers;
	avail_parallel_customers = (size_t)-1;	/* one thread */
	struct avail_report *one = run(0);
	avail_parallel_customers = 2;		/* two, from 2 customers */
	struct avail_report *two = run(0);
	avail_parallel_customers = saved;
	assert_int_equal(one->ncustomers, 101);
	assert_int_equal(two->ncustomers, 101);
	char *a = report_json(one), *b = report_json(two);
	assert_string_equal(a, b);
	/* Not the same figures for everyone: the comparison means something. */
	assert_true(one->customers[0].combined.real.unavailable !=
	    one->customers[1].combined.real.unavailable);
	free(a);
	free(b);
	avail_free(one);
	avail_free(two);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_basic_outage, teardown),
		cmocka_unit_test_teardown(test_soft_then_hard, teardown),
		cmocka_unit_test_teardown(test_soft_recovery_taken, teardown),
		cmocka_unit_test_teardown(test_out_of_order, teardown),
		cmocka_unit_test_teardown(test_downtime, teardown),
		cmocka_unit_test_teardown(test_host_down_covers_services,
		    teardown),
		cmocka_unit_test_teardown(test_no_data_before_first_state,
		    teardown),
		cmocka_unit_test_teardown(test_clipping, teardown),
		cmocka_unit_test_teardown(test_dst_day, teardown),
		cmocka_unit_test_teardown(test_dst_day_autumn, teardown),
		cmocka_unit_test_teardown(test_unknown_and_warning, teardown),
		cmocka_unit_test_teardown(test_restart_keeps_state, teardown),
		cmocka_unit_test_teardown(test_current_state_lines, teardown),
		cmocka_unit_test_teardown(test_csv_merge_and_worst_state,
		    teardown),
		cmocka_unit_test_teardown(test_customers_and_filters,
		    teardown),
		cmocka_unit_test_teardown(test_sla, teardown),
		cmocka_unit_test(test_formatting),
		cmocka_unit_test_teardown(test_outputs, teardown),
		cmocka_unit_test_teardown(test_random_streams, teardown),
		cmocka_unit_test_teardown(test_customers_on_two_threads, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
