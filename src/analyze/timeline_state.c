/*
 * timeline_state.c - one pass over the sorted Nagios events, carrying
 * each object's state (see timeline_state.h and docs/availability.md).
 */
#include "analyze/timeline_state.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Sort key: time, then file order. idx breaks the last ties. */
struct ev_key {
	int64_t time;
	long line;
	int file;
	uint32_t idx;
};

static inline int
key_less(const struct ev_key *a, const struct ev_key *b)
{
	if (a->time != b->time)
		return a->time < b->time;
	if (a->file != b->file)
		return a->file < b->file;
	if (a->line != b->line)
		return a->line < b->line;
	return a->idx < b->idx;
}

/*
 * Stable sort of the keys: insertion sort of runs of 32, then bottom-up
 * merges, skipping merges of runs already in order (logs are mostly in
 * order). Faster than qsort() here because the comparison is inlined.
 */
static void
sort_keys(struct ev_key *a, size_t n)
{
	enum { RUN = 32 };
	for (size_t lo = 0; lo < n; lo += RUN) {
		size_t hi = lo + RUN < n ? lo + RUN : n;
		for (size_t i = lo + 1; i < hi; i++) {
			struct ev_key k = a[i];
			size_t j = i;
			while (j > lo && key_less(&k, &a[j - 1])) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = k;
		}
	}
	if (n <= RUN)
		return;
	struct ev_key *buf = xmalloc(n * sizeof(*buf)), *src = a, *dst = buf;
	for (size_t w = RUN; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			if (mid >= hi || !key_less(&src[mid], &src[mid - 1])) {
				memcpy(dst + lo, src + lo,
				    (hi - lo) * sizeof(*src));
				continue;
			}
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = key_less(&src[j], &src[i]) ?
				    src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		struct ev_key *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(buf);
}

static size_t
hash_obj(int host, int check, size_t mask)
{
	uint64_t k = ((uint64_t)(uint32_t)host << 32) | (uint32_t)(check + 1);
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & mask;
}

static void
rehash(struct timelines *tl, size_t nslots)
{
	free(tl->slots);
	tl->nslots = nslots;
	tl->slots = xcalloc(nslots, sizeof(int));
	for (size_t i = 0; i < tl->n; i++) {
		size_t h = hash_obj(tl->o[i].host, tl->o[i].check, nslots - 1);
		while (tl->slots[h])
			h = (h + 1) & (nslots - 1);
		tl->slots[h] = (int)i + 1;
	}
}

const struct obj_timeline *
timelines_find(const struct timelines *tl, int host, int check)
{
	if (tl->nslots == 0)
		return NULL;
	size_t h = hash_obj(host, check, tl->nslots - 1);
	while (tl->slots[h]) {
		const struct obj_timeline *o = &tl->o[tl->slots[h] - 1];
		if (o->host == host && o->check == check)
			return o;
		h = (h + 1) & (tl->nslots - 1);
	}
	return NULL;
}

static struct obj_timeline *
get_obj(struct timelines *tl, int host, int check)
{
	struct obj_timeline *o = (struct obj_timeline *)
	    timelines_find(tl, host, check);
	if (o)
		return o;
	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? tl->cap * 2 : 16;
		tl->o = xreallocarray(tl->o, tl->cap, sizeof(*tl->o));
	}
	o = &tl->o[tl->n++];
	memset(o, 0, sizeof(*o));
	o->host = host;
	o->check = check;
	o->state = STATE_NONE;
	ivset_init(&o->bad);
	ivset_init(&o->unreach);
	ivset_init(&o->unknown);
	ivset_init(&o->warning);
	ivset_init(&o->known);
	ivset_init(&o->downtime);
	if (tl->n * 2 > tl->nslots)
		rehash(tl, tl->nslots ? tl->nslots * 2 : 64);
	else {
		size_t h = hash_obj(host, check, tl->nslots - 1);
		while (tl->slots[h])
			h = (h + 1) & (tl->nslots - 1);
		tl->slots[h] = (int)tl->n;
	}
	return o;
}

/* The set a state's time goes to, or NULL (OK / UP: nothing to record). */
static struct ivset *
bucket(struct obj_timeline *o, int state)
{
	int is_host = o->check < 0;
	switch (state) {
	case STATE_CRITICAL:
		return &o->bad;
	case STATE_WARNING:
		/* Nagios hosts have no WARNING; a host WARNING is UP. */
		return is_host ? NULL : &o->warning;
	case STATE_UNKNOWN:
		return is_host ? &o->unreach : &o->unknown;
	case STATE_UNREACHABLE:
		return is_host ? &o->unreach : &o->unknown;
	default:
		return NULL;
	}
}

/* Record [o->since, t) in the bucket of the current state. */
static void
close_state(struct obj_timeline *o, int64_t t, struct provenance p,
    int64_t start, int64_t end)
{
	if (o->state == STATE_NONE)
		return;
	int64_t a = o->since < start ? start : o->since;
	int64_t b = t > end ? end : t;
	if (b <= a)
		return;
	struct ivset *s = bucket(o, o->state);
	if (s)
		ivset_add(s, a, b, o->since_prov, p);
}

static void
take_state(struct timelines *tl, struct obj_timeline *o,
    const struct nagios_event *e, int include_soft, int64_t start,
    int64_t end)
{
	int st = e->state;
	if (st < STATE_OK || st > STATE_UNREACHABLE)
		return;
	/*
	 * SOFT states are left out by default (avail.cgi, Icinga, Centreon),
	 * except a SOFT return to OK/UP while a problem is recorded, which
	 * Monitoring::Availability (Thruk) takes: it only shortens an outage.
	 */
	if (!e->hard && !include_soft &&
	    !(st == STATE_OK && o->state != STATE_NONE && o->state != STATE_OK)) {
		if (st != STATE_OK)
			tl->soft_ignored++;
		return;
	}
	o->nstates++;
	if (o->state == STATE_NONE) {
		/* The first known state: the time before it stays "no data". */
		o->state = st;
		o->since = e->time;
		o->since_prov = e->prov;
		if (e->time < end)
			ivset_add(&o->known, e->time < start ? start : e->time,
			    end, e->prov, PROV_NONE);
		return;
	}
	if (st == o->state)
		return;	/* a repeat (e.g. CURRENT STATE after rotation) */
	close_state(o, e->time, e->prov, start, end);
	o->state = st;
	o->since = e->time;
	o->since_prov = e->prov;
}

static void
take_downtime(struct timelines *tl, struct obj_timeline *o,
    const struct nagios_event *e, int64_t start, int64_t end)
{
	if (e->downtime == DOWNTIME_STARTED) {
		if (o->dt_depth++ == 0) {
			o->dt_since = e->time;
			o->dt_prov = e->prov;
		}
	} else if (e->downtime == DOWNTIME_STOPPED ||
	    e->downtime == DOWNTIME_CANCELLED) {
		if (o->dt_depth == 0) {
			tl->unmatched_downtime_end++;
			return;
		}
		if (--o->dt_depth == 0) {
			int64_t a = o->dt_since < start ? start : o->dt_since;
			int64_t b = e->time > end ? end : e->time;
			ivset_add(&o->downtime, a, b, o->dt_prov, e->prov);
		}
	}
}

int
timelines_build(struct timelines *tl, const struct case_model *m,
    int include_soft, int64_t start, int64_t end)
{
	memset(tl, 0, sizeof(*tl));
	size_t n = m->nevents;
	struct ev_key *keys = xmalloc((n ? n : 1) * sizeof(*keys));

	for (size_t i = 0; i < n; i++) {
		keys[i].time = m->events[i].time;
		keys[i].file = m->events[i].prov.file;
		keys[i].line = m->events[i].prov.line;
		keys[i].idx = (uint32_t)i;
		if (i > 0 && m->events[i].time < m->events[i - 1].time)
			tl->events_out_of_order++;
	}
	sort_keys(keys, n);

	/* The one pass. */
	size_t last = (size_t)-1;	/* index of the previous event's object */
	for (size_t k = 0; k < n; k++) {
		const struct nagios_event *e = &m->events[keys[k].idx];
		int check;
		switch (e->kind) {
		case NAGIOS_HOST_ALERT:
		case NAGIOS_HOST_STATE:
		case NAGIOS_HOST_DOWNTIME:
			check = -1;
			break;
		case NAGIOS_SERVICE_ALERT:
		case NAGIOS_SERVICE_STATE:
		case NAGIOS_SERVICE_DOWNTIME:
			check = e->check;
			if (check < 0)
				continue;
			break;
		default:
			/*
			 * Program start and stop, log rotation: the state is
			 * carried on, as avail.cgi assumes it continues while
			 * the monitoring is restarting.
			 */
			continue;
		}
		if (e->host < 0)
			continue;
		struct obj_timeline *o;
		if (last < tl->n && tl->o[last].host == e->host &&
		    tl->o[last].check == check)
			o = &tl->o[last];
		else {
			o = get_obj(tl, e->host, check);
			last = (size_t)(o - tl->o);
		}
		if (e->kind == NAGIOS_HOST_DOWNTIME ||
		    e->kind == NAGIOS_SERVICE_DOWNTIME)
			take_downtime(tl, o, e, start, end);
		else
			take_state(tl, o, e, include_soft, start, end);
	}
	free(keys);

	/* Close what is still open at the end of the period. */
	for (size_t i = 0; i < tl->n; i++) {
		struct obj_timeline *o = &tl->o[i];
		close_state(o, end, PROV_NONE, start, end);
		if (o->dt_depth > 0) {
			int64_t a = o->dt_since < start ? start : o->dt_since;
			ivset_add(&o->downtime, a, end, o->dt_prov, PROV_NONE);
		}
		struct ivset *sets[] = { &o->bad, &o->unreach, &o->unknown,
		    &o->warning, &o->known, &o->downtime };
		for (size_t j = 0; j < sizeof(sets) / sizeof(sets[0]); j++) {
			ivset_normalize(sets[j]);
			ivset_clip(sets[j], start, end);
		}
	}
	return 0;
}

void
timelines_free(struct timelines *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		struct obj_timeline *o = &tl->o[i];
		ivset_free(&o->bad);
		ivset_free(&o->unreach);
		ivset_free(&o->unknown);
		ivset_free(&o->warning);
		ivset_free(&o->known);
		ivset_free(&o->downtime);
	}
	free(tl->o);
	free(tl->slots);
	memset(tl, 0, sizeof(*tl));
}
