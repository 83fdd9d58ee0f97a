/*
 * interval.c - interval algebra on UTC seconds (see interval.h).
 *
 * The binary operations are linear merges of two sorted, normalized
 * sets; only ivset_normalize() sorts.
 */
#include "analyze/interval.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const struct provenance PROV_NONE = { -1, 0 };

void
ivset_init(struct ivset *s)
{
	s->v = NULL;
	s->n = s->cap = 0;
}

void
ivset_free(struct ivset *s)
{
	free(s->v);
	ivset_init(s);
}

void
ivset_clear(struct ivset *s)
{
	s->n = 0;
}

void
ivset_swap(struct ivset *a, struct ivset *b)
{
	struct ivset t = *a;
	*a = *b;
	*b = t;
}

static void
reserve(struct ivset *s, size_t n)
{
	if (n <= s->cap)
		return;
	size_t cap = s->cap ? s->cap : 8;
	while (cap < n)
		cap *= 2;
	s->v = xreallocarray(s->v, cap, sizeof(*s->v));
	s->cap = cap;
}

void
ivset_copy(struct ivset *dst, const struct ivset *src)
{
	dst->n = 0;
	reserve(dst, src->n);
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
}

/* Append one interval without any check. */
static void
push(struct ivset *s, const struct ival *iv)
{
	if (s->n == s->cap)
		reserve(s, s->n + 1);
	s->v[s->n++] = *iv;
}

void
ivset_add(struct ivset *s, int64_t start, int64_t end, struct provenance from,
    struct provenance to)
{
	if (end <= start)
		return;
	struct ival iv = { start, end, from, to };
	push(s, &iv);
}

void
ivset_add_plain(struct ivset *s, int64_t start, int64_t end)
{
	ivset_add(s, start, end, PROV_NONE, PROV_NONE);
}

static int
cmp_ival(const void *pa, const void *pb)
{
	const struct ival *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return 0;
}

int
ivset_is_normalized(const struct ivset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].end <= s->v[i].start)
			return 0;
		if (i > 0 && s->v[i].start <= s->v[i - 1].end)
			return 0;
	}
	return 1;
}

void
ivset_normalize(struct ivset *s)
{
	if (ivset_is_normalized(s))
		return;	/* the common case: built in time order */
	qsort(s->v, s->n, sizeof(*s->v), cmp_ival);
	size_t out = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct ival *iv = &s->v[i];
		if (iv->end <= iv->start)
			continue;
		if (out > 0 && iv->start <= s->v[out - 1].end) {
			/* Overlapping, touching or duplicate: merge. */
			if (iv->end > s->v[out - 1].end) {
				s->v[out - 1].end = iv->end;
				s->v[out - 1].to = iv->to;
			}
			continue;
		}
		s->v[out++] = *iv;
	}
	s->n = out;
}

void
ivset_clip(struct ivset *s, int64_t lo, int64_t hi)
{
	size_t out = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct ival iv = s->v[i];
		if (iv.start < lo)
			iv.start = lo;
		if (iv.end > hi)
			iv.end = hi;
		if (iv.end > iv.start)
			s->v[out++] = iv;
	}
	s->n = out;
}

void
ivset_union(struct ivset *dst, const struct ivset *a, const struct ivset *b)
{
	size_t i = 0, j = 0;

	dst->n = 0;
	reserve(dst, a->n + b->n);
	while (i < a->n || j < b->n) {
		const struct ival *next;
		if (j >= b->n || (i < a->n && a->v[i].start <= b->v[j].start))
			next = &a->v[i++];
		else
			next = &b->v[j++];
		if (dst->n > 0 && next->start <= dst->v[dst->n - 1].end) {
			struct ival *last = &dst->v[dst->n - 1];
			if (next->end > last->end) {
				last->end = next->end;
				last->to = next->to;
			}
		} else
			dst->v[dst->n++] = *next;
	}
}

void
ivset_subtract(struct ivset *dst, const struct ivset *a, const struct ivset *b)
{
	size_t j = 0;

	dst->n = 0;
	for (size_t i = 0; i < a->n; i++) {
		struct ival cur = a->v[i];
		/* Skip the b intervals that end before this one starts. */
		while (j < b->n && b->v[j].end <= cur.start)
			j++;
		size_t k = j;
		while (k < b->n && b->v[k].start < cur.end) {
			if (b->v[k].start > cur.start) {
				struct ival piece = cur;
				piece.end = b->v[k].start;
				push(dst, &piece);
			}
			if (b->v[k].end >= cur.end) {
				cur.start = cur.end;	/* nothing left */
				break;
			}
			cur.start = b->v[k].end;
			k++;
		}
		if (cur.end > cur.start)
			push(dst, &cur);
	}
}

void
ivset_intersect(struct ivset *dst, const struct ivset *a, const struct ivset *b)
{
	size_t i = 0, j = 0;

	dst->n = 0;
	while (i < a->n && j < b->n) {
		int64_t lo = a->v[i].start > b->v[j].start ? a->v[i].start :
		    b->v[j].start;
		int64_t hi = a->v[i].end < b->v[j].end ? a->v[i].end :
		    b->v[j].end;
		if (lo < hi) {
			struct ival piece = a->v[i];
			piece.start = lo;
			piece.end = hi;
			push(dst, &piece);
		}
		if (a->v[i].end < b->v[j].end)
			i++;
		else
			j++;
	}
}

void
ivset_complement(struct ivset *dst, const struct ivset *s, int64_t lo,
    int64_t hi)
{
	struct ivset whole;
	struct ival iv = { lo, hi, PROV_NONE, PROV_NONE };

	whole.v = &iv;
	whole.n = whole.cap = lo < hi ? 1 : 0;
	ivset_subtract(dst, &whole, s);
}

void
ivset_union_into(struct ivset *s, const struct ivset *b)
{
	struct ivset t;
	ivset_init(&t);
	ivset_union(&t, s, b);
	ivset_swap(s, &t);
	ivset_free(&t);
}

void
ivset_subtract_into(struct ivset *s, const struct ivset *b)
{
	struct ivset t;
	ivset_init(&t);
	ivset_subtract(&t, s, b);
	ivset_swap(s, &t);
	ivset_free(&t);
}

int64_t
ivset_total(const struct ivset *s)
{
	int64_t t = 0;
	for (size_t i = 0; i < s->n; i++)
		t += s->v[i].end - s->v[i].start;
	return t;
}

int64_t
ivset_inter_total(const struct ivset *a, const struct ivset *b)
{
	size_t i = 0, j = 0;
	int64_t t = 0;

	while (i < a->n && j < b->n) {
		int64_t lo = a->v[i].start > b->v[j].start ? a->v[i].start :
		    b->v[j].start;
		int64_t hi = a->v[i].end < b->v[j].end ? a->v[i].end :
		    b->v[j].end;
		if (lo < hi)
			t += hi - lo;
		if (a->v[i].end < b->v[j].end)
			i++;
		else
			j++;
	}
	return t;
}

int64_t
ivset_overlap(const struct ivset *s, int64_t lo, int64_t hi)
{
	/* First interval whose end is after lo. */
	size_t a = 0, b = s->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (s->v[mid].end <= lo)
			a = mid + 1;
		else
			b = mid;
	}
	int64_t t = 0;
	for (size_t i = a; i < s->n && s->v[i].start < hi; i++) {
		int64_t x = s->v[i].start > lo ? s->v[i].start : lo;
		int64_t y = s->v[i].end < hi ? s->v[i].end : hi;
		if (y > x)
			t += y - x;
	}
	return t;
}

int64_t
ivset_longest(const struct ivset *s)
{
	int64_t m = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].end - s->v[i].start > m)
			m = s->v[i].end - s->v[i].start;
	return m;
}
