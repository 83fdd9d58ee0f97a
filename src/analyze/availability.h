/*
 * availability.h - availability of the services, customers and hosts of
 * a case, computed the way monitoring tools compute it (Nagios avail.cgi,
 * Thruk, Icinga, Centreon): see docs/availability.md for every rule and
 * the reasons for it.
 *
 *	struct avail_options o;
 *	avail_options_init(&o);
 *	o.service = "web";			// optional filters
 *	char *err;
 *	struct avail_report *r = avail_build(model, &o, &err);
 *	if (r == NULL) { fprintf(stderr, "%s\n", err); free(err); }
 *	avail_print(stdout, r, model, AVAIL_TEXT, "fr");
 *	avail_free(r);
 */
#ifndef DOSSIER_AVAILABILITY_H
#define DOSSIER_AVAILABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/interval.h"
#include "model.h"

struct avail_options {
	int include_soft;	/* count SOFT states too (default 0: HARD only) */
	const char *service;	/* only this service id (NULL = all) */
	const char *customer;	/* only this customer id (NULL = all) */
	int hosts;		/* include the per-host summary (default 1) */
};

void avail_options_init(struct avail_options *o);

/*
 * Time buckets over a base period. available + unavailable + unknown +
 * nodata == period; warning is part of available. A state is put in the
 * worst bucket that applies: unavailable, then unknown, then no data,
 * then available.
 */
struct avail_stats {
	int64_t period;		/* seconds in the base period */
	int64_t available;	/* OK, UP, WARNING */
	int64_t warning;	/* part of available */
	int64_t unavailable;	/* CRITICAL, DOWN, UNREACHABLE, outage CSV */
	int64_t unknown;	/* UNKNOWN */
	int64_t nodata;		/* no state known (before the first one) */
	/* Percentages; -1 when the denominator is 0. */
	double pct_period;	/* 100 * available / period */
	double pct_known;	/* 100 * available / (period - nodata) */
	double pct_proven;	/* 100 * (period - unavailable) / period */
};

/* One local day (case time zone) of the period: 23, 24 or 25 hours. */
struct avail_day {
	int year, month, day;
	int64_t start, end;	/* UTC, clipped to the period */
	int64_t unavailable;	/* seconds unavailable this day */
	int64_t unscheduled;	/* of which outside scheduled downtime */
	int64_t downtime;	/* scheduled downtime this day */
};

struct avail_sla {
	int present;		/* 0 when the case promises no figure */
	double promised;	/* percent, e.g. 99.9 */
	int64_t allowed;	/* seconds of downtime the promise allows */
	int64_t actual;		/* proven unscheduled unavailability */
	int64_t excess;		/* actual - allowed (<= 0: no breach) */
	double ratio;		/* actual / allowed; -1 when allowed == 0 */
	int breached;
	double availability;	/* 100 * (period - actual) / period */
	int has_credit;
	double credit;		/* percent, from the schedule */
};

/* The figures of one service, one customer (combined) or one host. */
struct avail_result {
	char *id;		/* service id, customer id or host name */
	char *label;		/* display name */
	struct avail_stats real;	/* downtime counted: the real state */
	struct avail_stats excl;	/* scheduled downtime left out */
	int64_t sched_downtime;	/* scheduled downtime in the period */
	int64_t downtime_total;	/* = real.unavailable */
	int64_t downtime_unscheduled;	/* unavailable outside downtime */
	int64_t host_down, host_unreachable;	/* host summary only */
	size_t noutages;	/* merged unavailable intervals */
	int64_t longest;	/* seconds */
	double mttr;		/* mean outage length, seconds; 0 if none */
	size_t noutages_unsched;	/* the same outside scheduled downtime */
	int64_t longest_unsched;
	double mttr_unsched;
	struct ival *outages;	/* with the provenance of start and end */
	struct ivset downtimes;	/* the scheduled downtime intervals */
	struct avail_day *days;
	size_t ndays;
	struct avail_sla sla;
	size_t nobjects;	/* monitored objects behind it */
	size_t ncsv;		/* outage CSV rows behind it */
};

struct avail_customer {
	char *id;
	char *name;
	size_t *services;	/* indices into avail_report.services */
	size_t nservices;
	struct avail_result combined;	/* worst state over the services */
};

struct avail_report {
	int64_t start, end;	/* the case period */
	int include_soft;
	struct avail_result *services;
	size_t nservices;
	struct avail_customer *customers;
	size_t ncustomers;
	struct avail_result *hosts;
	size_t nhosts;
	/* What the pass found, for the method notes. */
	size_t nevents;
	long soft_ignored;
	long unmatched_downtime_end;
	long events_out_of_order;
};

/*
 * Compute the report. The case time zone (m->info.timezone, when set) is
 * installed with tz_use() for the per-day figures. Returns NULL and a
 * message in *err (caller frees) when a filter names no service or
 * customer of the case, the period is empty or the zone is unknown.
 */
struct avail_report *avail_build(const struct case_model *m,
    const struct avail_options *o, char **err);
void avail_free(struct avail_report *r);

/* From this many customers on (512), avail_build computes the second
 * half of them on another thread when there is a second core; the
 * figures are the same either way. Tests set it to take either path. */
extern size_t avail_parallel_customers;

/* SLA figures for a period, unscheduled downtime and credit schedule. */
void avail_sla_compute(struct avail_sla *s, double promised, int64_t period,
    int64_t actual, const struct sla_credit *credits, size_t ncredits);

#endif
