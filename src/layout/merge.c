/*
 * merge.c - the chunks of a pass joined into one layout (chunk.h).
 *
 * Each chunk was laid out into a layout of its own, numbering what it
 * made from zero: anchors (ids in order of first use), images, imported
 * pages, outline entries, tables, units and ops. One thread laying the
 * blocks out in order would have made the same things, numbered on from
 * the chunks before. So, chunk after chunk:
 *
 *   - anchors: by name. One thread gives a name the next id when it first
 *     meets it, so the merged ids are the first chunk's, then each next
 *     chunk's new names in its own order; layout_anchor_num on the merged
 *     layout does exactly that, and the chunk's ids map to its answers
 *     (map_anchors);
 *   - ops: the anchor refs (OP_LINK, OP_PAGEREF, OP_DEST) mapped, image
 *     refs (OP_IMAGE) and imported page refs (OP_PDFPAGE) moved on by the
 *     images and imported pages of the chunks before;
 *   - outline entries: their anchor mapped; imported pages: their outline
 *     entry moved on;
 *   - units: their ops and table moved on; tables: their continuation
 *     caption and header units moved on;
 *   - strings made during layout: the merged layout takes them over;
 *   - has_pagerefs: or-ed.
 *
 * Numbers first, on one thread; then units and ops are copied into the
 * merged arrays by all threads, a chunk's arrays freed as soon as they
 * are copied, so the pass holds its ops about once, not twice. Usually
 * they are not copied but renumbered where they are: the chunks made
 * them in windows of the merged arrays (chunk_flow_start).
 */
#include "layout/chunk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "layout/flow_int.h"
#include "util/xalloc.h"

/*
 * The chunks' flows, as flow_get would make them, at the sizes the last
 * pass needed (flow_get sizes from l->prev, the whole document's layout).
 * When chunked_pass made the merged arrays ahead (p->win_u, p->win_ops),
 * a chunk's arrays are the windows of them where the last pass's counts
 * place its units and ops: a chunk that makes as many as the last pass
 * did, after chunks that all did, writes them where the merge puts them,
 * and chunk_merge renumbers them there instead of copying them into
 * fresh arrays. That is the usual case: the large bench case's full
 * pass is made from the same page numbers as the draft before it
 * (layout_run_with). There, the copy faulted in 91,000 fresh pages
 * (356 MB of units and ops) and gave as many back, about 0.4 s of
 * system time. A chunk that makes more outgrows its window into an array
 * of its own (flow.c), one that makes fewer leaves a gap: then the merge
 * copies as before.
 */
void chunk_flow_start(struct chunk_plan *p)
{
	size_t units = 0, ops = 0;
	for (size_t k = 0; k < p->n; k++) {
		struct chunk *c = &p->c[k];
		struct flow *f = xcalloc(1, sizeof *f);
		f->cur_table = -1;
		if (c->nunits && p->win_u) {
			f->u = p->win_u + units;
			f->cap = c->nunits;
			f->u_lent = 1;
		} else if (c->nunits) {
			f->cap = c->nunits;
			f->u = xreallocarray(NULL, f->cap, sizeof *f->u);
		}
		if (c->nops && p->win_ops) {
			f->ops.v = p->win_ops + ops;
			f->ops.cap = c->nops;
			f->ops_lent = 1;
		} else if (c->nops) {
			f->ops.cap = c->nops;
			f->ops.v = xreallocarray(NULL, f->ops.cap,
			    sizeof *f->ops.v);
		}
		units += c->nunits;
		ops += c->nops;
		c->l->flow = f;
	}
}

/* Room for n more entries in *v (of *len used); returns where they go. */
static void *append(void *v, size_t len, size_t n, size_t size, void **out)
{
	v = xreallocarray(v, len + n ? len + n : 1, size);
	*out = (char *)v + len * size;
	return v;
}

/*
 * Chunk c's anchor ids to l's. The chunk's names are numbered for all
 * passes, as are l's (p->names), so a name's number in l is looked up
 * once, the first pass that meets it (num_map); after that, an anchor is
 * two array reads and layout_anchor_num, which creates l's anchors in the
 * order one thread would have: chunk after chunk, each chunk's in order
 * of first use. The map is also how the chunk's next pass finds pages in
 * this one (layout_prev_page).
 */
static void map_anchors(struct chunk *c, struct layout *l)
{
	const struct layout *cl = c->l;
	size_t nn = anchor_names_count(c->names);
	if (c->nnum < nn) {
		c->num_map = xreallocarray(c->num_map, nn, sizeof *c->num_map);
		for (size_t i = c->nnum; i < nn; i++)
			c->num_map[i] = -1;
		c->nnum = nn;
	}
	c->anchor_map = xreallocarray(c->anchor_map, cl->nanchors ?
	    cl->nanchors : 1, sizeof *c->anchor_map);
	for (size_t i = 0; i < cl->nanchors; i++) {
		int own = cl->anchors[i].num;
		if (c->num_map[own] < 0)
			c->num_map[own] = anchor_names_num(l->names,
			    cl->anchors[i].name);
		c->anchor_map[i] = layout_anchor_num(l, c->num_map[own]);
	}
	c->nanchors = cl->nanchors;
}

/* The numbers: anchors, outline, images, imported pages, strings. */
static void merge_tables(struct chunk *c, struct layout *l)
{
	struct layout *cl = c->l;
	map_anchors(c, l);

	size_t outline_off = l->noutline;
	struct outline_entry *oe;
	l->outline = append(l->outline, l->noutline, cl->noutline,
	    sizeof *l->outline, (void **)&oe);
	for (size_t i = 0; i < cl->noutline; i++) {
		oe[i] = cl->outline[i];
		oe[i].anchor = c->anchor_map[cl->outline[i].anchor];
	}
	l->noutline = l->capoutline = l->noutline + cl->noutline;

	c->import_off = l->nimports;
	struct pdf_import *im;
	l->imports = append(l->imports, l->nimports, cl->nimports,
	    sizeof *l->imports, (void **)&im);
	for (size_t i = 0; i < cl->nimports; i++) {
		im[i] = cl->imports[i];
		if (im[i].outline >= 0)
			im[i].outline += (int)outline_off;
	}
	l->nimports += cl->nimports;

	c->image_off = l->nimages;
	struct image **img;
	l->images = append(l->images, l->nimages, cl->nimages,
	    sizeof *l->images, (void **)&img);
	if (cl->nimages)
		memcpy(img, cl->images, cl->nimages * sizeof *img);
	l->nimages += cl->nimages;

	char **s;
	l->strings = append(l->strings, l->nstrings, cl->nstrings,
	    sizeof *l->strings, (void **)&s);
	if (cl->nstrings)
		memcpy(s, cl->strings, cl->nstrings * sizeof *s);
	l->nstrings = l->capstrings = l->nstrings + cl->nstrings;
	cl->nstrings = 0;	/* l's now */

	l->has_pagerefs |= cl->has_pagerefs;
}

/*
 * Give the pages of a large array back to the system before freeing it.
 * free() keeps a block of the heap for reuse, so without this every
 * chunk's ops would stay resident while the merged copy is made: the
 * pass would hold its ops twice (300 MB more on the large bench case).
 * Only whole pages strictly inside the block go, away from its ends,
 * where malloc keeps its own bookkeeping; they read as zeros if the heap
 * hands them out again.
 */
static void drop_pages(void *p, size_t bytes)
{
	if (!p || bytes < (256u << 10))
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)p + 64 + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)p + bytes - 64) & ~(page - 1);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_DONTNEED);
}

/* Units, tables and ops of chunk k into l's flow, renumbered; then the
 * chunk's flow goes. Chunks write disjoint parts of l's arrays. */
static void copy_flow(struct chunk_plan *p, size_t k, struct chunk_thread *t,
    void *arg)
{
	(void)t;
	struct layout *l = arg;
	struct chunk *c = &p->c[k];
	const struct flow *f = c->l->flow;
	struct flow *m = l->flow;
	/* One pass over each array: read, renumber, write (a copy, then a
	 * pass to renumber, would stream the ops through memory twice). */
	struct unit *u = m->u + c->unit_off;
	for (size_t i = 0; i < f->n; i++) {
		struct unit x = f->u[i];
		x.first += c->op_off;
		if (x.table >= 0)
			x.table += (int)c->table_off;
		u[i] = x;
	}
	struct table_info *ti = m->tables + c->table_off;
	for (size_t i = 0; i < f->ntables; i++) {
		ti[i] = f->tables[i];
		if (ti[i].cont >= 0)
			ti[i].cont += (long)c->unit_off;
		if (ti[i].hdr_n)
			ti[i].hdr_first += c->unit_off;
	}
	struct op *o = m->ops.v + c->op_off;
	const int *map = c->anchor_map;
	int32_t nanchors = (int32_t)c->l->nanchors;
	for (size_t i = 0; i < f->ops.n; i++) {
		struct op x = f->ops.v[i];
		switch (x.kind) {
		case OP_LINK:
		case OP_PAGEREF:
		case OP_DEST:
			if (x.ref >= 0 && x.ref < nanchors)
				x.ref = map[x.ref];
			break;
		case OP_IMAGE:
			x.ref += (int32_t)c->image_off;
			break;
		case OP_PDFPAGE:
			x.ref += (int32_t)c->import_off;
			break;
		default:
			break;
		}
		o[i] = x;
	}
	/* In place (chunk_flow_start), the arrays are the merged ones. */
	if (m->u != p->win_u)
		drop_pages(f->u, f->cap * sizeof *f->u);
	if (m->ops.v != p->win_ops)
		drop_pages(f->ops.v, f->ops.cap * sizeof *f->ops.v);
	flow_free(c->l);	/* not what was lent (flow.c) */
	flow_spare_free(c->l);	/* where flow_free keeps the units */
}

size_t chunk_merges_in_place, chunk_merges_copied;

void chunk_merge(struct chunk_plan *p, struct layout *l)
{
	size_t units = 0, ops = 0, tables = 0;
	for (size_t k = 0; k < p->n; k++) {
		struct chunk *c = &p->c[k];
		merge_tables(c, l);
		/* a chunk that made nothing still has the flow it was
		 * given (chunk_flow_start) */
		const struct flow *f = c->l->flow;
		c->unit_off = units;
		c->op_off = ops;
		c->table_off = tables;
		c->nunits = f->n;
		/* a draft's (layout.h): as many as it would have kept */
		c->nops = f->ops.n + c->l->draft_dropped;
		l->draft_dropped += c->l->draft_dropped;
		units += f->n;
		ops += f->ops.n;
		tables += f->ntables;
	}
	/* The merged flow, as flow_get and the unit calls would have left
	 * it after the last block: nothing open. Its arrays are the ones
	 * lent to the chunks when every chunk's units (ops) are in its
	 * window where the merge puts them (chunk_flow_start); else new
	 * ones, exactly full. */
	int u_in_place = p->win_u != NULL, ops_in_place = p->win_ops != NULL;
	for (size_t k = 0; k < p->n; k++) {
		const struct chunk *c = &p->c[k];
		const struct flow *f = c->l->flow;
		if (f->n && !(f->u_lent && f->u == p->win_u + c->unit_off))
			u_in_place = 0;
		if (f->ops.n && !(f->ops_lent &&
		    f->ops.v == p->win_ops + c->op_off))
			ops_in_place = 0;
	}
	if (p->win_ops) {
		if (u_in_place && ops_in_place)
			chunk_merges_in_place++;
		else
			chunk_merges_copied++;
	}
	struct flow *m = xcalloc(1, sizeof *m);
	m->cur_table = -1;
	m->n = m->cap = units;
	if (u_in_place)
		m->cap = p->win_nunits;
	m->u = u_in_place ? p->win_u : units ?
	    xreallocarray(NULL, units, sizeof *m->u) : NULL;
	m->ops.n = m->ops.cap = ops;
	if (ops_in_place)
		m->ops.cap = p->win_nops;
	m->ops.v = ops_in_place ? p->win_ops : ops ?
	    xreallocarray(NULL, ops, sizeof *m->ops.v) : NULL;
	m->ntables = tables;
	m->tables = tables ? xreallocarray(NULL, tables, sizeof *m->tables) :
	    NULL;
	l->flow = m;
	chunk_parallel(p, copy_flow, l);
	/* The windows, now the merged arrays or copied from. */
	if (!u_in_place)
		free(p->win_u);
	if (!ops_in_place)
		free(p->win_ops);
	p->win_u = NULL;
	p->win_ops = NULL;
	p->win_nunits = p->win_nops = 0;
	for (size_t k = 0; k < p->n; k++) {
		layout_free(p->c[k].l);	/* strings moved; flow gone */
		p->c[k].l = NULL;
	}
}
