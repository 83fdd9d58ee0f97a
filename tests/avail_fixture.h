/*
 * avail_fixture.h - build case models by hand for the availability tests
 * and the benchmark (the readers are not needed).
 */
#ifndef AVAIL_FIXTURE_H
#define AVAIL_FIXTURE_H

#include <stdarg.h>
#include <string.h>

#include "model.h"
#include "util/xalloc.h"

/* A case over [start, end) in zone tz, with one Nagios log file (index 0)
 * and one outage CSV file (index 1). */
static void
fx_init(struct case_model *m, int64_t start, int64_t end, const char *tz)
{
	model_init(m);
	m->info.period_start = start;
	m->info.period_end = end;
	m->info.timezone = xstrdup(tz);
	m->info.language = xstrdup("en");
	model_file(m, "logs/nagios.log", FILE_NAGIOS_LOG);
	model_file(m, "outages/web.csv", FILE_OUTAGE_CSV);
}

static void
fx_service(struct case_model *m, const char *id, const char *label)
{
	m->services = xreallocarray(m->services, m->nservices + 1,
	    sizeof(*m->services));
	m->services[m->nservices].id = xstrdup(id);
	m->services[m->nservices].label = xstrdup(label);
	m->nservices++;
}

/* check NULL = host check. Names are interned here, as the reader does. */
static void
fx_monitor(struct case_model *m, const char *sid, const char *host,
    const char *check)
{
	m->monitors = xreallocarray(m->monitors, m->nmonitors + 1,
	    sizeof(*m->monitors));
	struct monitor_map *mm = &m->monitors[m->nmonitors++];
	mm->service_id = xstrdup(sid);
	mm->host = xstrdup(host);
	mm->check = check ? xstrdup(check) : NULL;
	model_intern(m, host);
	if (check)
		model_intern(m, check);
}

static void
fx_event(struct case_model *m, int64_t t, enum nagios_kind kind,
    const char *host, const char *check, int state, int hard,
    enum downtime_action dt, int file, long line)
{
	if (m->nevents % 1024 == 0)
		m->events = xreallocarray(m->events, m->nevents + 1024,
		    sizeof(*m->events));
	struct nagios_event *e = &m->events[m->nevents++];
	memset(e, 0, sizeof(*e));
	e->time = t;
	e->kind = kind;
	e->host = host ? model_intern(m, host) : -1;
	e->check = check ? model_intern(m, check) : -1;
	e->state = (enum nagios_state)state;
	e->hard = hard;
	e->attempt = 1;
	e->downtime = dt;
	e->output = NULL;
	e->prov.file = file;
	e->prov.line = line;
}

/* A host alert (HARD or SOFT), in log file 0 at `line`. */
static void
fx_host(struct case_model *m, int64_t t, const char *host, int state,
    int hard, long line)
{
	fx_event(m, t, NAGIOS_HOST_ALERT, host, NULL, state, hard,
	    DOWNTIME_NONE, 0, line);
}

static void
fx_svc(struct case_model *m, int64_t t, const char *host, const char *check,
    int state, int hard, long line)
{
	fx_event(m, t, NAGIOS_SERVICE_ALERT, host, check, state, hard,
	    DOWNTIME_NONE, 0, line);
}

static void
fx_hdt(struct case_model *m, int64_t t, const char *host,
    enum downtime_action a, long line)
{
	fx_event(m, t, NAGIOS_HOST_DOWNTIME, host, NULL, STATE_NONE, 1, a, 0,
	    line);
}

static void
fx_sdt(struct case_model *m, int64_t t, const char *host, const char *check,
    enum downtime_action a, long line)
{
	fx_event(m, t, NAGIOS_SERVICE_DOWNTIME, host, check, STATE_NONE, 1, a,
	    0, line);
}

static void
fx_outage(struct case_model *m, const char *sid, int64_t start, int64_t end,
    long line)
{
	m->outages = xreallocarray(m->outages, m->noutages + 1,
	    sizeof(*m->outages));
	struct outage *o = &m->outages[m->noutages++];
	memset(o, 0, sizeof(*o));
	o->service_id = xstrdup(sid);
	o->start = start;
	o->end = end;
	o->cause = xstrdup("");
	o->prov.file = 1;
	o->prov.line = line;
}

/* A complaint holding the services given, NULL-terminated. */
static void
fx_complaint(struct case_model *m, const char *id, const char *customer,
    const char *name, ...)
{
	m->complaints = xreallocarray(m->complaints, m->ncomplaints + 1,
	    sizeof(*m->complaints));
	struct complaint *c = &m->complaints[m->ncomplaints++];
	memset(c, 0, sizeof(*c));
	c->id = xstrdup(id);
	c->customer_id = xstrdup(customer);
	c->customer_name = xstrdup(name);
	c->prepaid_cents = -1;
	va_list ap;
	va_start(ap, name);
	const char *s;
	while ((s = va_arg(ap, const char *)) != NULL) {
		c->services = xreallocarray(c->services, c->nservices + 1,
		    sizeof(char *));
		c->services[c->nservices++] = xstrdup(s);
	}
	va_end(ap);
}

#endif
