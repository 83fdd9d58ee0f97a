/*
 * avail_bench.c - time the availability analysis on a generated log.
 *
 *	make build/libdossier.a
 *	cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -Itests -o build/avail_bench \
 *	    bench/avail_bench.c build/libdossier.a -lm
 *	./build/avail_bench [events]		(default 1000000)
 *
 * The generated case: 200 hosts with 4 checks each, over one year in
 * Europe/Paris, 100 services (each watched by 2 checks), 50 customers;
 * states change at random, HARD and SOFT mixed, 1 % of the lines out of
 * time order, downtimes now and then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analyze/availability.h"
#include "avail_fixture.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	const int64_t start = 1104534000, end = start + 365 * 86400LL;
	static const char *checks[] = { "HTTP", "SMTP", "DNS", "PING" };
	char host[32], sid[32], cid[32];
	struct case_model m;

	fx_init(&m, start, end, "Europe/Paris");
	m.info.sla_percent = 99.9;
	for (int s = 0; s < 100; s++) {
		snprintf(sid, sizeof(sid), "svc%d", s);
		fx_service(&m, sid, sid);
		snprintf(host, sizeof(host), "host%d", s * 2);
		fx_monitor(&m, sid, host, checks[s % 4]);
		snprintf(host, sizeof(host), "host%d", s * 2 + 1);
		fx_monitor(&m, sid, host, checks[(s + 1) % 4]);
	}
	for (int c = 0; c < 50; c++) {
		char s1[32], s2[32];
		snprintf(cid, sizeof(cid), "C%d", c);
		snprintf(s1, sizeof(s1), "svc%d", c * 2);
		snprintf(s2, sizeof(s2), "svc%d", c * 2 + 1);
		fx_complaint(&m, cid, cid, cid, s1, s2, (char *)NULL);
	}
	double t0 = now();
	for (long i = 0; i < n; i++) {
		int64_t t = start - 86400 + (int64_t)((double)i / (double)n *
		    (double)(end - start + 86400));
		if (rnd() % 100 == 0)
			t -= (int64_t)(rnd() % 600);	/* out of order */
		int h = (int)(rnd() % 200);
		snprintf(host, sizeof(host), "host%d", h);
		int st = rnd() % 10 < 7 ? STATE_OK : (int)(rnd() % 4);
		int hard = rnd() % 3 != 0;
		switch (rnd() % 20) {
		case 0:
			fx_host(&m, t, host, st == STATE_WARNING ? 0 : st,
			    hard, i + 1);
			break;
		case 1:
			fx_hdt(&m, t, host, (enum downtime_action)
			    (1 + rnd() % 2), i + 1);
			break;
		default:
			fx_svc(&m, t, host, checks[rnd() % 4], st, hard,
			    i + 1);
		}
	}
	double t1 = now();

	struct avail_options o;
	char *err;
	avail_options_init(&o);
	double best = 1e9;
	struct avail_report *r = NULL;
	for (int k = 0; k < 3; k++) {
		double a = now();
		r = avail_build(&m, &o, &err);
		double b = now();
		if (b - a < best)
			best = b - a;
		if (k < 2)
			avail_free(r);
	}
	printf("%ld events generated in %.3f s\n", n, t1 - t0);
	printf("avail_build: %.3f s (best of 3): %zu services, %zu customers,"
	    " %zu hosts, %ld out of order\n", best, r->nservices,
	    r->ncustomers, r->nhosts, r->events_out_of_order);
	avail_free(r);
	model_free(&m);
	return 0;
}
