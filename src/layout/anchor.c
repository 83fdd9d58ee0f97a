/*
 * anchor.c - anchors by name (layout.h: layout_anchor, layout_prev_page).
 *
 * Anchors are looked up by name for every link, page reference, index
 * entry and destination: a dossier of 10,000 complaints has tens of
 * thousands, looked up hundreds of thousands of times per pass. An id is
 * the anchor's rank of creation in its pass, so lookups must create them
 * in the same order as ever.
 *
 * The names are numbered once for the whole layout_run (struct
 * anchor_names, shared by its passes): a hash table by content, and one
 * by the address of the doc's strings. Each pass maps a name's number to
 * its own anchor id (anchor_by_name), creating the anchor on first use.
 * Nearly every lookup passes a string the doc owns (a span's, a block's;
 * layout_anchor_doc): after the first pass, that is one probe by address
 * and one array read, instead of hashing the name, comparing strings and
 * missing the cache three or four times on a large dossier. An address is
 * remembered only for a string that stays, unchanged, at that address
 * while the doc is laid out, so no other string can be found there: a
 * match by address is a match by content.
 *
 * A layout in chunks on several threads (chunk.h) gives every chunk names
 * of its own, and the merged layouts theirs, numbered by content only:
 * merge.c maps a chunk's numbers to the merged ones (anchor_names_num,
 * layout_anchor_num), and a chunk finds last pass's pages through that
 * map (layout.h: prev_num) with its own names' addresses.
 */
#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/strpool.h"
#include "util/xalloc.h"

struct name_ptr {
	const char *p;		/* NULL = empty */
	int num;
};

/*
 * A slot of the table by content keeps its name's hash beside the
 * number: a probe that meets another name, and the rehash when the
 * table grows, read no string. On the large bench case the merge numbers
 * 231,000 names on one thread, most of them new: a probe per slot met
 * cost a string compare and two cache misses (the names array, the
 * string), 0.2 s of the merge with the second core idle.
 */
struct name_slot {
	uint32_t hash;
	int num;		/* number + 1, 0 = empty */
};

struct anchor_names {
	char **names;		/* by number, in pool */
	struct strpool pool;
	size_t n, cap;
	struct name_slot *slots;	/* by content */
	size_t nslots;		/* a power of two */
	struct name_ptr *ptrs;	/* by address: the doc's strings only */
	size_t nptrs, ptrs_used;
};

struct anchor_names *anchor_names_new(void)
{
	return xcalloc(1, sizeof(struct anchor_names));
}

void anchor_names_forget_ptrs(struct anchor_names *a)
{
	if (!a)
		return;
	free(a->ptrs);
	a->ptrs = NULL;
	a->nptrs = a->ptrs_used = 0;
}

void anchor_names_free(struct anchor_names *a)
{
	if (!a)
		return;
	strpool_free(&a->pool);
	free(a->names);
	free(a->slots);
	anchor_names_forget_ptrs(a);
	free(a);
}

static void slot_put(struct anchor_names *a, uint32_t h, int num)
{
	size_t mask = a->nslots - 1;
	size_t i = h & mask;
	while (a->slots[i].num)
		i = (i + 1) & mask;
	a->slots[i] = (struct name_slot){ h, num + 1 };
}

/* The number of the name s, of hash h, by content, or -1. */
static int find_name(const struct anchor_names *a, const char *s, uint32_t h)
{
	if (a->nslots == 0)
		return -1;
	size_t mask = a->nslots - 1;
	for (size_t i = h & mask; a->slots[i].num; i = (i + 1) & mask)
		if (a->slots[i].hash == h &&
		    strcmp(a->names[a->slots[i].num - 1], s) == 0)
			return a->slots[i].num - 1;
	return -1;
}

static int by_content(const struct anchor_names *a, const char *s)
{
	return a->nslots ? find_name(a, s, hash_string(s)) : -1;
}

static int add_name(struct anchor_names *a, const char *s, uint32_t h)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->names = xreallocarray(a->names, a->cap, sizeof *a->names);
	}
	int num = (int)a->n++;
	a->names[num] = strpool_dup(&a->pool, s);
	if (2 * a->n > a->nslots) {
		struct name_slot *old = a->slots;
		size_t nold = a->nslots;
		a->nslots = a->nslots ? 2 * a->nslots : 512;
		a->slots = xcalloc(a->nslots, sizeof *a->slots);
		for (size_t i = 0; i < nold; i++)
			if (old[i].num)
				slot_put(a, old[i].hash, old[i].num - 1);
		free(old);
	}
	slot_put(a, h, num);
	return num;
}

/* The number of s, added if new. */
static int name_num(struct anchor_names *a, const char *s)
{
	uint32_t h = hash_string(s);
	int num = find_name(a, s, h);
	return num >= 0 ? num : add_name(a, s, h);
}

static size_t ptr_hash(const char *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h ^ (h >> 32));
}

/* The number remembered for the string at address p, or -1. */
static int by_ptr(const struct anchor_names *a, const char *p)
{
	if (a->nptrs == 0)
		return -1;
	size_t mask = a->nptrs - 1;
	for (size_t i = ptr_hash(p) & mask; a->ptrs[i].p; i = (i + 1) & mask)
		if (a->ptrs[i].p == p)
			return a->ptrs[i].num;
	return -1;
}

static void ptr_put(struct name_ptr *t, size_t n, const char *p, int num)
{
	size_t mask = n - 1;
	size_t i = ptr_hash(p) & mask;
	while (t[i].p)
		i = (i + 1) & mask;
	t[i] = (struct name_ptr){ p, num };
}

static void remember_ptr(struct anchor_names *a, const char *p, int num)
{
	if (2 * (a->ptrs_used + 1) > a->nptrs) {
		size_t n = a->nptrs ? 2 * a->nptrs : 1024;
		struct name_ptr *t = xcalloc(n, sizeof *t);
		for (size_t i = 0; i < a->nptrs; i++)
			if (a->ptrs[i].p)
				ptr_put(t, n, a->ptrs[i].p, a->ptrs[i].num);
		free(a->ptrs);
		a->ptrs = t;
		a->nptrs = n;
	}
	ptr_put(a->ptrs, a->nptrs, p, num);
	a->ptrs_used++;
}

/* The names l uses: layout_run's, else (a layout made without it) its
 * own. */
static struct anchor_names *names_of(struct layout *l)
{
	if (!l->names) {
		l->names = anchor_names_new();
		l->names_owned = 1;
	}
	return l->names;
}

/* The anchor of name number num in this pass, created if new. */
int layout_anchor_num(struct layout *l, int num)
{
	if ((size_t)num >= l->anchor_by_name_cap) {
		size_t cap = l->anchor_by_name_cap ? l->anchor_by_name_cap : 256;
		while (cap <= (size_t)num)
			cap *= 2;
		l->anchor_by_name = xreallocarray(l->anchor_by_name, cap,
		    sizeof *l->anchor_by_name);
		for (size_t i = l->anchor_by_name_cap; i < cap; i++)
			l->anchor_by_name[i] = -1;
		l->anchor_by_name_cap = cap;
	}
	if (l->anchor_by_name[num] >= 0)
		return l->anchor_by_name[num];
	if (l->nanchors == l->capanchors) {
		/* a later pass makes as many as the one before */
		size_t hint = l->anchors_hint;
		l->capanchors = l->capanchors ? l->capanchors * 2 :
		    hint > 64 ? hint : 64;
		l->anchors = xreallocarray(l->anchors, l->capanchors,
		    sizeof *l->anchors);
	}
	int k = (int)l->nanchors++;
	/* the name is the numbered one: it lives as long as the names,
	 * which the last pass's layout owns */
	l->anchors[k] = (struct anchor){ l->names->names[num], -1, 0, 0,
	    num };
	l->anchor_by_name[num] = k;
	return k;
}

int layout_anchor(struct layout *l, const char *name)
{
	struct anchor_names *a = names_of(l);
	int num = by_ptr(a, name);
	if (num < 0)
		num = name_num(a, name);
	return layout_anchor_num(l, num);
}

int layout_anchor_doc(struct layout *l, const char *name)
{
	struct anchor_names *a = names_of(l);
	int num = by_ptr(a, name);
	if (num < 0) {
		num = name_num(a, name);
		remember_ptr(a, name, num);
	}
	return layout_anchor_num(l, num);
}

int anchor_names_num(struct anchor_names *a, const char *name)
{
	return name_num(a, name);
}

size_t anchor_names_count(const struct anchor_names *a)
{
	return a ? a->n : 0;
}

void layout_anchors_free(struct layout *l)
{
	free(l->anchors);
	free(l->anchor_by_name);
	if (l->names_owned)
		anchor_names_free(l->names);
	l->anchors = NULL;
	l->anchor_by_name = NULL;
	l->names = NULL;
	l->nanchors = l->capanchors = l->anchor_by_name_cap = 0;
}

int layout_prev_page(const struct layout *l, const char *name)
{
	const struct layout *p = l->prev;
	if (!p || !p->names)
		return 0;
	int num = -1;
	if (l->prev_num && l->names) {
		/* A chunk (chunk.h): its own names hold the doc's strings
		 * it met by address, mapped to p's numbers at the merge. */
		int own = by_ptr(l->names, name);
		if (own < 0)
			own = by_content(l->names, name);
		if (own >= 0 && (size_t)own < l->nprev_num)
			num = l->prev_num[own];
	}
	if (num < 0)
		num = by_ptr(p->names, name);
	if (num < 0)
		num = by_content(p->names, name);
	if (num < 0 || (size_t)num >= p->anchor_by_name_cap ||
	    p->anchor_by_name[num] < 0)
		return 0;
	const struct anchor *a = &p->anchors[p->anchor_by_name[num]];
	return a->defined ? a->page + 1 : 0;
}
