/*
 * availability.c - the availability report (see availability.h and
 * docs/availability.md).
 *
 * The work is done on interval sets. Each monitored object gives five
 * disjoint-by-construction sets over the period P: U (unavailable),
 * K (unknown), N (no data), W (warning, part of available) and D
 * (scheduled downtime, which overlaps the others). A service, a customer
 * or a host is a "combo" of such sets, combined by worst state: any
 * member unavailable makes the whole unavailable, then unknown, then no
 * data; only the rest is available.
 */
#include "util/hash.h"
#include "analyze/availability.h"
#include "analyze/timeline_state.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct combo {
	struct ivset U, K, N, W, D;
	size_t nobjects, ncsv;
};

static void
combo_init(struct combo *c)
{
	memset(c, 0, sizeof(*c));
	ivset_init(&c->U);
	ivset_init(&c->K);
	ivset_init(&c->N);
	ivset_init(&c->W);
	ivset_init(&c->D);
}

static void
combo_free(struct combo *c)
{
	ivset_free(&c->U);
	ivset_free(&c->K);
	ivset_free(&c->N);
	ivset_free(&c->W);
	ivset_free(&c->D);
}

/* Make the buckets disjoint by worst state: U, then K, then N, then W. */
static void
combo_settle(struct combo *c)
{
	ivset_subtract_into(&c->K, &c->U);
	ivset_subtract_into(&c->N, &c->U);
	ivset_subtract_into(&c->N, &c->K);
	ivset_subtract_into(&c->W, &c->U);
	ivset_subtract_into(&c->W, &c->K);
	ivset_subtract_into(&c->W, &c->N);
}

/*
 * The sets of one monitored object. A host's DOWN or UNREACHABLE time
 * makes its services unavailable, and its scheduled downtime covers
 * them, as avail.cgi does.
 */
static void
combo_object(struct combo *c, const struct timelines *tl, int host,
    int check, int64_t start, int64_t end)
{
	const struct obj_timeline *ho = host >= 0 ?
	    timelines_find(tl, host, -1) : NULL;
	const struct obj_timeline *so = host >= 0 && check >= 0 ?
	    timelines_find(tl, host, check) : NULL;
	struct ivset hu, known;

	ivset_init(&hu);
	ivset_init(&known);
	combo_init(c);
	c->nobjects = 1;
	if (ho) {
		ivset_union(&hu, &ho->bad, &ho->unreach);
		ivset_copy(&c->D, &ho->downtime);
	}
	if (check < 0) {
		ivset_copy(&c->U, &hu);
		if (ho)
			ivset_union(&known, &ho->known, &hu);
	} else {
		if (so) {
			ivset_union(&c->U, &so->bad, &hu);
			ivset_subtract(&c->K, &so->unknown, &c->U);
			ivset_subtract(&c->W, &so->warning, &c->U);
			ivset_union(&known, &so->known, &hu);
			ivset_union_into(&c->D, &so->downtime);
		} else {
			ivset_copy(&c->U, &hu);
			ivset_copy(&known, &hu);
		}
	}
	ivset_complement(&c->N, &known, start, end);
	ivset_free(&hu);
	ivset_free(&known);
}

/* dst = worst-state combination of dst and src (dst starts empty). */
static void
combo_add(struct combo *dst, const struct combo *src)
{
	ivset_union_into(&dst->U, &src->U);
	ivset_union_into(&dst->K, &src->K);
	ivset_union_into(&dst->N, &src->N);
	ivset_union_into(&dst->W, &src->W);
	ivset_union_into(&dst->D, &src->D);
	dst->nobjects += src->nobjects;
	dst->ncsv += src->ncsv;
}

static double
pct(int64_t num, int64_t den)
{
	return den > 0 ? 100.0 * (double)num / (double)den : -1.0;
}

static void
stats_fill(struct avail_stats *s)
{
	s->available = s->period - s->unavailable - s->unknown - s->nodata;
	s->pct_period = pct(s->available, s->period);
	s->pct_known = pct(s->available, s->period - s->nodata);
	s->pct_proven = pct(s->period - s->unavailable, s->period);
}

void
avail_sla_compute(struct avail_sla *s, double promised, int64_t period,
    int64_t actual, const struct sla_credit *credits, size_t ncredits)
{
	memset(s, 0, sizeof(*s));
	if (!(promised > 0) || period <= 0)
		return;
	s->present = 1;
	s->promised = promised;
	s->allowed = llround((100.0 - promised) / 100.0 * (double)period);
	s->actual = actual;
	s->excess = actual - s->allowed;
	s->ratio = s->allowed > 0 ? (double)actual / (double)s->allowed : -1;
	s->breached = actual > s->allowed;
	s->availability = 100.0 * (double)(period - actual) / (double)period;
	for (size_t i = 0; i < ncredits; i++) {
		if (s->availability < credits[i].below &&
		    (!s->has_credit || credits[i].credit > s->credit)) {
			s->has_credit = 1;
			s->credit = credits[i].credit;
		}
	}
}

/* Midnight (local) of the day holding t, or the first instant of it. */
static int64_t
local_midnight(int64_t t)
{
	struct tm tm;
	time_local(t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	int64_t m = (int64_t)mktime(&tm);
	return m > t ? t : m;
}

static int64_t
next_local_midnight(int64_t day)
{
	struct tm tm;
	time_local(day, &tm);
	tm.tm_mday += 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	int64_t m = (int64_t)mktime(&tm);
	return m > day ? m : day + 86400;	/* never stall */
}

/* The local days of [start, end), clipped to it (computed once). */
struct daylist {
	struct avail_day *v;
	size_t n;
};

static void
days_make(struct daylist *dl, int64_t start, int64_t end)
{
	size_t cap = 0;
	dl->v = NULL;
	dl->n = 0;
	for (int64_t day = local_midnight(start); day < end;) {
		int64_t next = next_local_midnight(day);
		if (dl->n == cap) {
			cap = cap ? cap * 2 : 32;
			dl->v = xreallocarray(dl->v, cap, sizeof(*dl->v));
		}
		struct avail_day *d = &dl->v[dl->n++];
		struct tm tm;
		memset(d, 0, sizeof(*d));
		d->start = day < start ? start : day;
		d->end = next > end ? end : next;
		time_local(d->start, &tm);
		d->year = tm.tm_year + 1900;
		d->month = tm.tm_mon + 1;
		d->day = tm.tm_mday;
		day = next;
	}
}

/* Per local day: unavailable, unscheduled and downtime seconds. */
static void
fill_days(struct avail_result *r, const struct daylist *dl,
    const struct ivset *U, const struct ivset *unsched, const struct ivset *D)
{
	r->ndays = dl->n;
	r->days = xmalloc((dl->n ? dl->n : 1) * sizeof(*r->days));
	for (size_t i = 0; i < dl->n; i++) {
		struct avail_day *d = &r->days[i];
		*d = dl->v[i];
		d->unavailable = ivset_overlap(U, d->start, d->end);
		d->unscheduled = ivset_overlap(unsched, d->start, d->end);
		d->downtime = ivset_overlap(D, d->start, d->end);
	}
}

/* All the figures of one combo. */
static void
result_fill(struct avail_result *r, struct combo *c,
    const struct case_model *m, const struct daylist *dl, int64_t start,
    int64_t end, int with_sla)
{
	combo_settle(c);
	int64_t P = end - start;
	int64_t dlen = ivset_total(&c->D);

	r->real.period = P;
	r->real.unavailable = ivset_total(&c->U);
	r->real.unknown = ivset_total(&c->K);
	r->real.nodata = ivset_total(&c->N);
	r->real.warning = ivset_total(&c->W);
	stats_fill(&r->real);

	r->excl.period = P - dlen;
	r->excl.unavailable = r->real.unavailable -
	    ivset_inter_total(&c->U, &c->D);
	r->excl.unknown = r->real.unknown - ivset_inter_total(&c->K, &c->D);
	r->excl.nodata = r->real.nodata - ivset_inter_total(&c->N, &c->D);
	r->excl.warning = r->real.warning - ivset_inter_total(&c->W, &c->D);
	stats_fill(&r->excl);

	r->sched_downtime = dlen;
	r->downtime_total = r->real.unavailable;
	r->downtime_unscheduled = r->excl.unavailable;
	r->noutages = c->U.n;
	r->longest = ivset_longest(&c->U);
	r->mttr = c->U.n ? (double)r->real.unavailable / (double)c->U.n : 0;
	r->outages = xmalloc((c->U.n ? c->U.n : 1) * sizeof(*r->outages));
	if (c->U.n)
		memcpy(r->outages, c->U.v, c->U.n * sizeof(*r->outages));
	ivset_init(&r->downtimes);
	ivset_copy(&r->downtimes, &c->D);

	struct ivset unsched;
	ivset_init(&unsched);
	ivset_subtract(&unsched, &c->U, &c->D);
	r->noutages_unsched = unsched.n;
	r->longest_unsched = ivset_longest(&unsched);
	r->mttr_unsched = unsched.n ?
	    (double)r->downtime_unscheduled / (double)unsched.n : 0;
	fill_days(r, dl, &c->U, &unsched, &c->D);
	ivset_free(&unsched);

	if (with_sla)
		avail_sla_compute(&r->sla, m->info.sla_percent, P,
		    r->downtime_unscheduled, m->info.credits,
		    m->info.ncredits);
	r->nobjects = c->nobjects;
	r->ncsv = c->ncsv;
}

static void
result_free(struct avail_result *r)
{
	free(r->id);
	free(r->label);
	free(r->outages);
	ivset_free(&r->downtimes);
	free(r->days);
}

/* Index of an interned name without adding it, or -1. */
static int
find_name(const struct case_model *m, const char *s)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < m->nnames; i++)
		if (strcmp(m->names[i], s) == 0)
			return (int)i;
	return -1;
}

/* A service as a combo: its monitored objects and its outage CSV rows. */
static void
combo_service(struct combo *c, const char *sid, const struct case_model *m,
    const struct timelines *tl, int64_t start, int64_t end)
{
	combo_init(c);
	int any = 0;
	for (size_t i = 0; i < m->nmonitors; i++) {
		const struct monitor_map *mm = &m->monitors[i];
		if (strcmp(mm->service_id, sid) != 0)
			continue;
		int host = find_name(m, mm->host);
		int check = mm->check ? find_name(m, mm->check) : -1;
		if (mm->check && check < 0)
			host = -1;	/* a check never seen: no data */
		struct combo o;
		combo_object(&o, tl, host, check, start, end);
		combo_add(c, &o);
		combo_free(&o);
		any = 1;
	}
	if (!any)	/* nothing monitors it: no data but the CSV rows */
		ivset_add_plain(&c->N, start, end);
	struct ivset csv;
	ivset_init(&csv);
	for (size_t i = 0; i < m->noutages; i++) {
		const struct outage *ou = &m->outages[i];
		if (strcmp(ou->service_id, sid) != 0)
			continue;
		ivset_add(&csv, ou->start, ou->end, ou->prov, ou->prov);
		c->ncsv++;
	}
	ivset_normalize(&csv);
	ivset_clip(&csv, start, end);
	ivset_union_into(&c->U, &csv);
	ivset_free(&csv);
	combo_settle(c);
}

/* A list of strings without repeats, in the order added, with a hash
 * index (thousands of customers must not cost customers squared). */
struct strlist {
	const char **v;
	size_t n, cap;
	size_t *slots;		/* open addressing: index + 1, 0 when empty */
	size_t nslots;		/* 0 or a power of two above 2 n */
};

static size_t
strlist_find(const struct strlist *l, const char *s)
{
	if (l->nslots == 0)
		return (size_t)-1;
	size_t i = hash_string(s) & (l->nslots - 1);
	while (l->slots[i]) {
		size_t k = l->slots[i] - 1;
		if (strcmp(l->v[k], s) == 0)
			return k;
		i = (i + 1) & (l->nslots - 1);
	}
	return (size_t)-1;
}

static void
strlist_index(struct strlist *l, size_t k)
{
	size_t i = hash_string(l->v[k]) & (l->nslots - 1);
	while (l->slots[i])
		i = (i + 1) & (l->nslots - 1);
	l->slots[i] = k + 1;
}

static void
strlist_add(struct strlist *l, const char *s)
{
	if (s == NULL || strlist_find(l, s) != (size_t)-1)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = s;
	if (2 * l->n > l->nslots) {
		free(l->slots);
		l->nslots = l->nslots ? l->nslots * 2 : 32;
		l->slots = xcalloc(l->nslots, sizeof(*l->slots));
		for (size_t k = 0; k < l->n; k++)
			strlist_index(l, k);
	} else
		strlist_index(l, l->n - 1);
}

static void
strlist_clear(struct strlist *l)
{
	l->n = 0;
	if (l->slots)
		memset(l->slots, 0, l->nslots * sizeof(*l->slots));
}

static void
strlist_free(struct strlist *l)
{
	free(l->v);
	free(l->slots);
}

void
avail_options_init(struct avail_options *o)
{
	memset(o, 0, sizeof(*o));
	o->hosts = 1;
}

static const char *
service_label(const struct case_model *m, const char *sid)
{
	int i = model_service(m, sid);
	if (i >= 0 && m->services[i].label && *m->services[i].label)
		return m->services[i].label;
	return sid;
}

/* Does the customer hold the service? */
static int
customer_holds(const struct case_model *m, const char *cid, const char *sid)
{
	for (size_t i = 0; i < m->ncomplaints; i++) {
		const struct complaint *c = &m->complaints[i];
		if (c->customer_id == NULL || strcmp(c->customer_id, cid) != 0)
			continue;
		for (size_t j = 0; j < c->nservices; j++)
			if (strcmp(c->services[j], sid) == 0)
				return 1;
	}
	return 0;
}

/*
 * The customers' figures, customers [from, to) of the report: each one
 * the union of the combos of the services it holds (sc), its own
 * result, written to its own slot. Nothing else is written, so two
 * threads can take two ranges.
 */
struct customers_job {
	struct avail_report *r;
	const struct strlist *cust;
	size_t nsel;
	const unsigned char *holds;	/* [k * nsel + i]: customer k holds i */
	const char **cname;
	const struct combo *sc;		/* the selected services' combos */
	const struct case_model *m;
	const struct daylist *dl;
	int64_t start, end;
	size_t from, to;
};

static void
fill_customers(struct customers_job *j)
{
	for (size_t k = j->from; k < j->to; k++) {
		struct avail_customer *c = &j->r->customers[k];
		struct combo work;
		combo_init(&work);
		c->id = xstrdup(j->cust->v[k]);
		c->services = xcalloc(j->nsel ? j->nsel : 1, sizeof(size_t));
		for (size_t i = 0; i < j->nsel; i++) {
			if (!j->holds[k * j->nsel + i])
				continue;
			c->services[c->nservices++] = i;
			combo_add(&work, &j->sc[i]);
		}
		if (c->nservices == 0)
			ivset_add_plain(&work.N, j->start, j->end);
		if (j->cname[k])
			c->name = xstrdup(j->cname[k]);
		c->combined.id = xstrdup(c->id);
		c->combined.label = xstrdup(c->name ? c->name : c->id);
		result_fill(&c->combined, &work, j->m, j->dl, j->start, j->end,
		    1);
		combo_free(&work);
	}
}

static void *
fill_customers_thread(void *arg)
{
	fill_customers(arg);
	return NULL;
}

size_t avail_parallel_customers = 512;

/*
 * With many customers (a collective of thousands) and a second core,
 * the second half of them on another thread: each customer's day table
 * is most of the analysis (large bench case: 6,666 customers, 0.21-0.34
 * of a 0.31-0.44 s stage). Same figures either way: every customer's are
 * computed alone, from data only read.
 */
static void
fill_customers_split(struct customers_job *all)
{
	size_t n = all->to - all->from;
	if (n < avail_parallel_customers || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fill_customers(all);
		return;
	}
	struct customers_job second = *all;
	second.from = all->from + n / 2;
	pthread_t t;
	if (pthread_create(&t, NULL, fill_customers_thread, &second) != 0) {
		fill_customers(all);
		return;
	}
	struct customers_job first = *all;
	first.to = second.from;
	fill_customers(&first);
	pthread_join(t, NULL);
}

struct avail_report *
avail_build(const struct case_model *m, const struct avail_options *opt,
    char **err)
{
	struct avail_options defaults;
	int64_t start = m->info.period_start, end = m->info.period_end;

	*err = NULL;
	if (opt == NULL) {
		avail_options_init(&defaults);
		opt = &defaults;
	}
	if (end <= start) {
		*err = xstrdup("the case period is empty");
		return NULL;
	}
	if (m->info.timezone && *m->info.timezone &&
	    tz_use(m->info.timezone) != 0) {
		*err = xasprintf("unknown time zone \"%s\"", m->info.timezone);
		return NULL;
	}

	/* Every service: the declared ones, then any a complaint names. */
	struct strlist all = { 0 }, sel = { 0 }, cust = { 0 };
	for (size_t i = 0; i < m->nservices; i++)
		strlist_add(&all, m->services[i].id);
	for (size_t i = 0; i < m->ncomplaints; i++) {
		for (size_t j = 0; j < m->complaints[i].nservices; j++)
			strlist_add(&all, m->complaints[i].services[j]);
		strlist_add(&cust, m->complaints[i].customer_id);
	}

	if (opt->service && strlist_find(&all, opt->service) == (size_t)-1) {
		*err = xasprintf("no service \"%s\" in this case", opt->service);
		goto fail;
	}
	if (opt->customer && strlist_find(&cust, opt->customer) == (size_t)-1) {
		*err = xasprintf("no customer \"%s\" in the complaints",
		    opt->customer);
		goto fail;
	}
	/* The selection: see avail_options. */
	for (size_t i = 0; i < all.n; i++) {
		if (opt->service && strcmp(all.v[i], opt->service) != 0)
			continue;
		if (opt->customer && !customer_holds(m, opt->customer, all.v[i]))
			continue;
		strlist_add(&sel, all.v[i]);
	}
	if (opt->customer) {
		strlist_clear(&cust);
		strlist_add(&cust, opt->customer);
	} else if (opt->service)
		strlist_clear(&cust);	/* customers hold other services too */

	struct avail_report *r = xcalloc(1, sizeof(*r));
	r->start = start;
	r->end = end;
	r->include_soft = opt->include_soft;
	r->nevents = m->nevents;

	struct daylist dl;
	days_make(&dl, start, end);
	struct timelines tl;
	timelines_build(&tl, m, opt->include_soft, start, end);
	r->soft_ignored = tl.soft_ignored;
	r->unmatched_downtime_end = tl.unmatched_downtime_end;
	r->events_out_of_order = tl.events_out_of_order;

	/* Services. */
	struct combo *sc = xcalloc(sel.n ? sel.n : 1, sizeof(*sc));
	r->services = xcalloc(sel.n ? sel.n : 1, sizeof(*r->services));
	r->nservices = sel.n;
	for (size_t i = 0; i < sel.n; i++) {
		struct combo work;
		combo_service(&sc[i], sel.v[i], m, &tl, start, end);
		combo_init(&work);
		combo_add(&work, &sc[i]);
		r->services[i].id = xstrdup(sel.v[i]);
		r->services[i].label = xstrdup(service_label(m, sel.v[i]));
		result_fill(&r->services[i], &work, m, &dl, start, end, 1);
		combo_free(&work);
	}

	/* Customers: the union of the services held over their complaints.
	 * One pass over the complaints finds, for every customer, the
	 * selected services held and the name (the first one given), so
	 * the cost stays linear in the complaints, not customers times
	 * complaints. */
	unsigned char *holds = xcalloc(cust.n * sel.n + 1, 1);
	const char **cname = xcalloc(cust.n + 1, sizeof(*cname));
	for (size_t i = 0; i < m->ncomplaints && cust.n; i++) {
		const struct complaint *cp = &m->complaints[i];
		size_t k = cp->customer_id ?
		    strlist_find(&cust, cp->customer_id) : (size_t)-1;
		if (k == (size_t)-1)
			continue;
		for (size_t j = 0; j < cp->nservices; j++) {
			size_t sv = strlist_find(&sel, cp->services[j]);
			if (sv != (size_t)-1)
				holds[k * sel.n + sv] = 1;
		}
		if (!cname[k] && cp->customer_name && *cp->customer_name)
			cname[k] = cp->customer_name;
	}
	r->customers = xcalloc(cust.n ? cust.n : 1, sizeof(*r->customers));
	r->ncustomers = cust.n;
	struct customers_job job = { r, &cust, sel.n, holds, cname, sc, m,
		&dl, start, end, 0, cust.n };
	fill_customers_split(&job);
	free(holds);
	free(cname);
	for (size_t i = 0; i < sel.n; i++)
		combo_free(&sc[i]);
	free(sc);

	/* Hosts: those monitoring the selected services, or all seen. */
	struct strlist hosts = { 0 };
	if (opt->hosts) {
		for (size_t i = 0; i < m->nmonitors; i++)
			if (strlist_find(&sel, m->monitors[i].service_id) !=
			    (size_t)-1)
				strlist_add(&hosts, m->monitors[i].host);
		if (!opt->service && !opt->customer)
			for (size_t i = 0; i < tl.n; i++)
				strlist_add(&hosts, m->names[tl.o[i].host]);
	}
	r->hosts = xcalloc(hosts.n ? hosts.n : 1, sizeof(*r->hosts));
	r->nhosts = hosts.n;
	for (size_t i = 0; i < hosts.n; i++) {
		struct combo work;
		int h = find_name(m, hosts.v[i]);
		const struct obj_timeline *ho = h >= 0 ?
		    timelines_find(&tl, h, -1) : NULL;
		combo_object(&work, &tl, h, -1, start, end);
		r->hosts[i].id = xstrdup(hosts.v[i]);
		r->hosts[i].label = xstrdup(hosts.v[i]);
		result_fill(&r->hosts[i], &work, m, &dl, start, end, 0);
		if (ho) {
			r->hosts[i].host_down = ivset_total(&ho->bad);
			r->hosts[i].host_unreachable =
			    ivset_total(&ho->unreach) -
			    ivset_inter_total(&ho->unreach, &ho->bad);
		}
		combo_free(&work);
	}
	strlist_free(&hosts);
	free(dl.v);
	timelines_free(&tl);
	strlist_free(&all);
	strlist_free(&sel);
	strlist_free(&cust);
	return r;
fail:
	strlist_free(&all);
	strlist_free(&sel);
	strlist_free(&cust);
	return NULL;
}

void
avail_free(struct avail_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nservices; i++)
		result_free(&r->services[i]);
	free(r->services);
	for (size_t i = 0; i < r->ncustomers; i++) {
		free(r->customers[i].id);
		free(r->customers[i].name);
		free(r->customers[i].services);
		result_free(&r->customers[i].combined);
	}
	free(r->customers);
	for (size_t i = 0; i < r->nhosts; i++)
		result_free(&r->hosts[i]);
	free(r->hosts);
	free(r);
}
