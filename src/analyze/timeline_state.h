/*
 * timeline_state.h - state timelines of the monitored objects, from the
 * Nagios events of a case.
 *
 * A monitored object is a host (check -1) or a service (host;check). The
 * events are sorted once by time, ties kept in file order (provenance
 * file index, then line), and read in one pass; each object's state is
 * carried from one event to the next and turned into interval sets, one
 * per kind of state. See docs/availability.md for the rules.
 */
#ifndef DOSSIER_TIMELINE_STATE_H
#define DOSSIER_TIMELINE_STATE_H

#include "analyze/interval.h"
#include "model.h"

struct obj_timeline {
	int host, check;	/* indices into case_model.names; check -1 = host */
	/* Interval sets, normalized and clipped to the case period. */
	struct ivset bad;	/* service CRITICAL, host DOWN */
	struct ivset unreach;	/* host UNREACHABLE (a host UNKNOWN too) */
	struct ivset unknown;	/* service UNKNOWN */
	struct ivset warning;	/* service WARNING (counts as available) */
	struct ivset known;	/* any determined state; the rest is no data */
	struct ivset downtime;	/* the object's own scheduled downtime */
	long nstates;		/* state records taken */
	/* Pass state (used while building). */
	int state;		/* enum nagios_state, STATE_NONE = no data */
	int64_t since;
	struct provenance since_prov;
	int dt_depth;		/* nested downtimes (op5 counts a depth) */
	int64_t dt_since;
	struct provenance dt_prov;
};

struct timelines {
	struct obj_timeline *o;
	size_t n, cap;
	int *slots;		/* hash of (host, check) -> index + 1 */
	size_t nslots;
	long soft_ignored;	/* SOFT problem states left out */
	long unmatched_downtime_end;	/* STOPPED/CANCELLED with none open */
	long events_out_of_order;	/* events earlier than the one before */
};

/*
 * Build the timelines of every object seen in m->events, over the period
 * [start, end). include_soft: take SOFT states too. Returns 0.
 */
int timelines_build(struct timelines *tl, const struct case_model *m,
    int include_soft, int64_t start, int64_t end);
void timelines_free(struct timelines *tl);

/* The timeline of (host, check), or NULL when no event named it. */
const struct obj_timeline *timelines_find(const struct timelines *tl,
    int host, int check);

#endif
