/*
 * interval.h - interval algebra on UTC seconds.
 *
 * An interval is half-open, [start, end). Every interval carries the
 * provenance of the record that starts it and of the record that ends it
 * (a Nagios log line, an outage CSV row), so an outage found by the
 * analysis can be traced back to the lines that prove it. A provenance
 * with file -1 means "none" (cut at the period bound, still open at the
 * end of the logs).
 *
 * A set is "normalized" when its intervals are sorted by start, none is
 * empty, and none overlaps or touches another. ivset_normalize() makes a
 * set normalized; every other operation expects normalized input and
 * gives normalized output. The result set must not be one of the inputs.
 */
#ifndef DOSSIER_INTERVAL_H
#define DOSSIER_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct ival {
	int64_t start, end;	/* [start, end) UTC seconds */
	struct provenance from;	/* record that starts it; file -1 = none */
	struct provenance to;	/* record that ends it; file -1 = none */
};

struct ivset {
	struct ival *v;
	size_t n, cap;
};

/* The "no record" provenance. */
extern const struct provenance PROV_NONE;

void ivset_init(struct ivset *s);
void ivset_free(struct ivset *s);
void ivset_clear(struct ivset *s);
/* Exchange the contents of two sets (cheap; used to replace a set). */
void ivset_swap(struct ivset *a, struct ivset *b);
/* dst = a copy of src. */
void ivset_copy(struct ivset *dst, const struct ivset *src);

/* Append [start, end) as is; empty or reversed intervals are ignored. */
void ivset_add(struct ivset *s, int64_t start, int64_t end,
    struct provenance from, struct provenance to);
void ivset_add_plain(struct ivset *s, int64_t start, int64_t end);

/*
 * Sort and merge overlapping, touching and duplicate intervals. A merged
 * interval keeps the `from` of its earliest start and the `to` of its
 * latest end. Normalizing a normalized set changes nothing.
 */
void ivset_normalize(struct ivset *s);

/* Cut every interval to [lo, hi) (in place; provenance kept). */
void ivset_clip(struct ivset *s, int64_t lo, int64_t hi);

/* dst = a ∪ b. */
void ivset_union(struct ivset *dst, const struct ivset *a,
    const struct ivset *b);
/* dst = a ∖ b; the pieces keep a's provenance. */
void ivset_subtract(struct ivset *dst, const struct ivset *a,
    const struct ivset *b);
/* dst = a ∩ b; the pieces keep a's provenance. */
void ivset_intersect(struct ivset *dst, const struct ivset *a,
    const struct ivset *b);
/* dst = [lo, hi) ∖ s. */
void ivset_complement(struct ivset *dst, const struct ivset *s, int64_t lo,
    int64_t hi);

/* In place: s = s ∪ b, s = s ∖ b (using a scratch set internally). */
void ivset_union_into(struct ivset *s, const struct ivset *b);
void ivset_subtract_into(struct ivset *s, const struct ivset *b);

/* Total length in seconds. */
int64_t ivset_total(const struct ivset *s);
/* Length of a ∩ b, without building it. */
int64_t ivset_inter_total(const struct ivset *a, const struct ivset *b);
/* Length of s ∩ [lo, hi) (binary search, then a scan). */
int64_t ivset_overlap(const struct ivset *s, int64_t lo, int64_t hi);
/* Length of the longest interval, 0 for an empty set. */
int64_t ivset_longest(const struct ivset *s);
/* 1 when the set is normalized (for tests and assertions). */
int ivset_is_normalized(const struct ivset *s);

#endif
