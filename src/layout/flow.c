/*
 * flow.c - units and the paginator (see layout.h).
 *
 * A unit is the smallest piece of a page: it is never split. Widow and
 * orphan control, headings kept with what follows and captions kept with
 * their figure are all expressed as keep-with-next links between units,
 * so the paginator has one rule: a chain of linked units moves to the next
 * page as a whole when it does not fit (unless the chain is taller than a
 * page, in which case only the first unit must fit).
 */
#include "layout/layout.h"
#include "layout/flow_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static struct flow_spare *spare_get(struct layout *l)
{
	if (!l->spare)
		l->spare = xcalloc(1, sizeof *l->spare);
	return l->spare;
}

void flow_spare_free(struct layout *l)
{
	struct flow_spare *sp = l->spare;
	if (!sp)
		return;
	free(sp->u);
	free(sp->ops.v);
	free(sp->placed);
	free(sp);
	l->spare = NULL;
}

void flow_keep_arrays(struct layout *l)
{
	struct flow_spare *sp = spare_get(l);
	free(sp->ops.v);
	sp->ops = l->ops;
	sp->ops.n = 0;
	memset(&l->ops, 0, sizeof l->ops);
	free(sp->placed);
	sp->placed = l->placed;
	sp->placed_cap = l->capplaced;
	l->placed = NULL;
	l->nplaced = l->capplaced = 0;
	layout_drop_ops(l);	/* what is left: the pages' placements */
}

static struct flow *flow_get(struct layout *l)
{
	if (!l->flow) {
		struct flow *f = xcalloc(1, sizeof *f);
		f->cur_table = -1;
		l->flow = f;
		struct flow_spare *sp = l->spare;
		if (sp && sp->u && sp->ops.v) {
			f->u = sp->u;
			f->cap = sp->ucap;
			f->ops = sp->ops;
			sp->u = NULL;
			memset(&sp->ops, 0, sizeof sp->ops);
			/* A draft's array (layout.h) holds few ops. */
			const struct layout *p = l->prev;
			if (p && f->ops.cap < p->flow_ops) {
				f->ops.cap = p->flow_ops;
				f->ops.v = xreallocarray(f->ops.v, f->ops.cap,
				    sizeof *f->ops.v);
			}
			return f;
		}
		/* A later pass makes about as many units and ops as the
		 * one before: start at that size rather than grow (and
		 * copy) tens of megabytes on the way. */
		const struct layout *p = l->prev;
		if (p && p->flow_units && p->flow_ops) {
			f->cap = p->flow_units;
			f->u = xreallocarray(NULL, f->cap, sizeof *f->u);
			f->ops.cap = p->flow_ops;
			f->ops.v = xreallocarray(NULL, f->ops.cap,
			    sizeof *f->ops.v);
		}
	}
	return l->flow;
}

/* Room for n more ops at the end of ol; returns the first, uninitialised. */
static struct op *op_reserve(struct op_list *ol, size_t n)
{
	if (ol->n + n > ol->cap) {
		size_t cap = ol->cap ? ol->cap * 2 : 1024;
		while (cap < ol->n + n)
			cap *= 2;
		ol->cap = cap;
		ol->v = xreallocarray(ol->v, ol->cap, sizeof *ol->v);
	}
	struct op *o = &ol->v[ol->n];
	ol->n += n;
	return o;
}

/* A copy of the n elements of size `size` at v in an array of their own
 * with room for cap: a window lent by the merge (merge.c) is outgrown. */
static void *unlend(const void *v, size_t n, size_t cap, size_t size)
{
	void *own = xreallocarray(NULL, cap ? cap : 1, size);
	if (n)
		memcpy(own, v, n * size);
	return own;
}

/* op_reserve on a flow's ops. */
static struct op *flow_op_reserve(struct flow *f, size_t n)
{
	if (f->ops_lent && f->ops.n + n > f->ops.cap) {
		f->ops.v = unlend(f->ops.v, f->ops.n, f->ops.cap,
		    sizeof *f->ops.v);
		f->ops_lent = 0;
	}
	return op_reserve(&f->ops, n);
}

static struct op *op_push(struct flow *f)
{
	struct op *o = flow_op_reserve(f, 1);
	memset(o, 0, sizeof *o);
	return o;
}

void unit_begin(struct layout *l, double space_before)
{
	struct flow *f = flow_get(l);
	f->open = 1;
	f->open_first = f->ops.n;
	f->open_has_dest = 0;
	f->open_space = space_before;
}

struct op *unit_op(struct layout *l, enum op_kind kind, double x, double y)
{
	struct flow *f = flow_get(l);
	struct op *o = op_push(f);
	if (kind == OP_DEST)
		f->open_has_dest = 1;
	o->kind = (unsigned char)kind;
	o->x = (float)x;
	o->y = (float)y;
	o->color = COLOR_TEXT;
	return o;
}

struct op *unit_ops(struct layout *l, const struct op *ops, size_t n)
{
	struct flow *f = flow_get(l);
	struct op *o = flow_op_reserve(f, n);
	if (n)
		memcpy(o, ops, n * sizeof *o);
	return o;
}

static struct unit *unit_push(struct flow *f)
{
	if (f->n == f->cap) {
		if (f->u_lent) {
			f->u = unlend(f->u, f->n, f->cap, sizeof *f->u);
			f->u_lent = 0;
		}
		f->cap = f->cap ? f->cap * 2 : 256;
		f->u = xreallocarray(f->u, f->cap, sizeof *f->u);
	}
	struct unit *u = &f->u[f->n++];
	memset(u, 0, sizeof *u);
	u->table = -1;
	return u;
}

void unit_end(struct layout *l, double height, int keep_with_next)
{
	struct flow *f = flow_get(l);
	if (l->draft && l->has_pagerefs) {
		/* Laid out again by the next pass, which reads this one's
		 * anchors only: the other ops go (on the large bench case
		 * 8 million, 320 MB, that the paragraph memo also holds). */
		size_t k = f->open_first;
		for (size_t i = f->open_first; i < f->ops.n; i++)
			if (f->ops.v[i].kind == OP_DEST)
				f->ops.v[k++] = f->ops.v[i];
		l->draft_dropped += f->ops.n - k;
		f->ops.n = k;
	}
	struct unit *u = unit_push(f);
	u->height = height;
	u->space_before = f->open_space;
	u->first = f->open_first;
	u->n = f->ops.n - f->open_first;
	u->has_dest = f->open_has_dest;
	f->open_has_dest = 0;
	u->keep = keep_with_next;
	u->table = f->cur_table;
	u->is_header = f->in_header;
	if (f->next_cont) {
		u->is_cont = 1;
		f->tables[f->cur_table].cont = (long)(f->n - 1);
		f->next_cont = 0;
	}
	if (f->in_header) {
		struct table_info *t = &f->tables[f->cur_table];
		if (t->hdr_n == 0)
			t->hdr_first = f->n - 1;
		t->hdr_n++;
	}
	f->open = 0;
}

void unit_keep_last(struct layout *l, int keep)
{
	struct flow *f = flow_get(l);
	for (size_t i = f->n; i-- > 0;)
		if (!f->u[i].is_cont) {
			f->u[i].keep = keep;
			return;
		}
}

void unit_end_page(struct layout *l, double w, double h)
{
	unit_end(l, layout_body_height(l), 0);
	struct unit *u = &l->flow->u[l->flow->n - 1];
	u->own_page = 1;
	u->pw = w;
	u->ph = h;
}

void unit_page_break(struct layout *l)
{
	struct flow *f = flow_get(l);
	struct unit *u = unit_push(f);
	u->page_break = 1;
}

void flow_table_begin(struct layout *l)
{
	struct flow *f = flow_get(l);
	f->tables = xreallocarray(f->tables, f->ntables + 1, sizeof *f->tables);
	f->tables[f->ntables] = (struct table_info){ .cont = -1 };
	f->cur_table = (int)f->ntables++;
}

void flow_table_header_begin(struct layout *l) { flow_get(l)->in_header = 1; }
void flow_table_header_end(struct layout *l) { flow_get(l)->in_header = 0; }
void flow_table_cont_begin(struct layout *l) { flow_get(l)->next_cont = 1; }
void flow_table_end(struct layout *l) { flow_get(l)->cur_table = -1; }

/* --- pagination --- */

static void new_page(struct layout *l)
{
	if (l->npages == l->cappages) {
		l->cappages = l->cappages ? l->cappages * 2 : 64;
		l->pages = xreallocarray(l->pages, l->cappages, sizeof *l->pages);
	}
	l->pages[l->npages].first = l->nplaced;
	l->pages[l->npages].n = 0;
	l->pages[l->npages].w = 0;
	l->pages[l->npages].h = 0;
	l->npages++;
}

/* Record that a unit goes on the current page (its ops are not copied:
 * layout_page_ops moves them when render asks for the page). */
static void add_placement(struct layout *l, const struct unit *u,
    double base, int own_page)
{
	if (l->draft && l->has_pagerefs) {
		/* Another pass follows (layout.h): counted, for its array,
		 * not kept (33 MB on the large bench case). */
		l->nplaced++;
		l->pages[l->npages - 1].n++;
		l->draft_dropped++;
		return;
	}
	if (l->nplaced == l->capplaced) {
		l->capplaced = l->capplaced ? l->capplaced * 2 : 1024;
		l->placed = xreallocarray(l->placed, l->capplaced,
		    sizeof *l->placed);
	}
	l->placed[l->nplaced++] = (struct placement){ u->first,
	    (uint32_t)u->n, (uint32_t)own_page, base };
	l->pages[l->npages - 1].n++;
}

/* Where op src of a unit placed with its top at PDF y `base` goes: *dst
 * is src in page coordinates. */
static void move_op(struct op *dst, const struct op *src, double base)
{
	*dst = *src;
	switch (src->kind) {
	case OP_RECT:
	case OP_IMAGE:
	case OP_LINK:
		dst->y = (float)(base - src->y - src->h);
		break;
	case OP_LINE:
		dst->y = (float)(base - src->y);
		dst->h = -src->h;
		break;
	default:
		dst->y = (float)(base - src->y);
		break;
	}
}

/* The anchors a unit defines are on the current page. */
static void define_anchors(struct layout *l, const struct unit *u,
    double base, int own_page)
{
	if (!u->has_dest)
		return;
	const struct op *src = &l->flow->ops.v[u->first];
	for (size_t i = 0; i < u->n; i++, src++) {
		if (src->kind != OP_DEST || src->ref < 0 ||
		    (size_t)src->ref >= l->nanchors)
			continue;
		struct anchor *a = &l->anchors[src->ref];
		a->page = (int)l->npages - 1;
		a->y = own_page ? src->y : (float)(base - src->y);
		a->defined = 1;
	}
}

/* Put a unit on the current page with its top `top` points below the top
 * of the body area. */
static void place(struct layout *l, const struct unit *u, double top)
{
	double base = l->body_top - top;
	define_anchors(l, u, base, 0);
	add_placement(l, u, base, 0);
}

void layout_page_ops(const struct layout *l, size_t pg, struct op_list *out)
{
	out->n = 0;
	if (pg >= l->npages || !l->placed)
		return;
	const struct lpage *p = &l->pages[pg];
	for (size_t k = 0; k < p->n; k++) {
		const struct placement *pl = &l->placed[p->first + k];
		if (out->n + pl->n > out->cap) {
			out->cap = out->cap ? out->cap : 256;
			while (out->cap < out->n + pl->n)
				out->cap *= 2;
			out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
		}
		const struct op *src = &l->ops.v[pl->first];
		struct op *dst = &out->v[out->n];
		if (pl->own_page)
			memcpy(dst, src, pl->n * sizeof *dst);
		else
			for (uint32_t i = 0; i < pl->n; i++)
				move_op(&dst[i], &src[i], pl->base);
		out->n += pl->n;
	}
}

void layout_drop_ops(struct layout *l)
{
	free(l->ops.v);
	memset(&l->ops, 0, sizeof l->ops);
	free(l->placed);
	l->placed = NULL;
	l->nplaced = l->capplaced = 0;
	for (size_t i = 0; i < l->npages; i++)
		l->pages[i].first = l->pages[i].n = 0;
}

/* Index of the next flow unit after i (skipping continuation captions),
 * or n. */
static size_t next_unit(const struct flow *f, size_t i)
{
	for (i++; i < f->n && f->u[i].is_cont; i++)
		;
	return i;
}

void flow_paginate(struct layout *l)
{
	struct flow *f = flow_get(l);
	l->flow_units = f->n;
	l->flow_ops = f->ops.n + l->draft_dropped;
	const struct layout *p = l->prev;
	if (l->spare && l->spare->placed && !l->capplaced) {
		l->placed = l->spare->placed;
		l->capplaced = l->spare->placed_cap;
		l->spare->placed = NULL;
	}
	if (p && p->flow_placed && !l->capplaced &&
	    !(l->draft && l->has_pagerefs)) {
		/* placements: as many as in the previous pass, roughly */
		l->capplaced = p->flow_placed;
		l->placed = xreallocarray(NULL, l->capplaced,
		    sizeof *l->placed);
	}
	double H = layout_body_height(l);
	double cursor = 0;
	int last_table = -1;		/* table of the last placed unit */
	new_page(l);
	for (size_t i = 0; i < f->n; i = next_unit(f, i)) {
		const struct unit *u = &f->u[i];
		if (u->is_cont)
			continue;
		if (u->page_break) {
			if (cursor > 0 || l->pages[l->npages - 1].n > 0) {
				new_page(l);
				cursor = 0;
			}
			last_table = -1;
			continue;
		}
		if (u->own_page) {
			/* Zero-height units (anchors, stamps) before it
			 * stay on its page; anything else ends the page. */
			if (cursor > 0)
				new_page(l);
			struct lpage *pg = &l->pages[l->npages - 1];
			pg->w = u->pw;
			pg->h = u->ph;
			define_anchors(l, u, 0, 1);
			add_placement(l, u, 0, 1);
			cursor = H + 1;	/* full: the next unit starts a page */
			last_table = -1;
			continue;
		}
		double sb = cursor > 0 ? u->space_before : 0;
		double need = sb + u->height;
		double chain = need;
		for (size_t j = i; f->u[j].keep && chain <= H;) {
			size_t k = next_unit(f, j);
			if (k >= f->n || f->u[k].page_break)
				break;
			chain += f->u[k].space_before + f->u[k].height;
			j = k;
		}
		if (cursor > 0 && (cursor + need > H ||
		    (chain <= H && cursor + chain > H))) {
			new_page(l);
			cursor = 0;
			/* Breaking inside a table: repeat its caption,
			 * marked "(suite)", and its header rows. */
			if (u->table >= 0 && u->table == last_table &&
			    !u->is_header) {
				const struct table_info *t = &f->tables[u->table];
				if (t->cont >= 0) {
					place(l, &f->u[t->cont], cursor);
					cursor += f->u[t->cont].height;
				}
				for (size_t h = 0; h < t->hdr_n; h++) {
					const struct unit *hu = &f->u[t->hdr_first + h];
					place(l, hu, cursor);
					cursor += hu->height;
				}
			}
			sb = cursor > 0 ? u->space_before : 0;
		}
		place(l, u, cursor + sb);
		cursor += sb + u->height;
		last_table = u->table;
	}
	l->flow_placed = l->nplaced;
	/* The units' ops become the layout's: the placements point into
	 * them. Room reserved beyond the last op goes back. */
	l->ops = f->ops;
	memset(&f->ops, 0, sizeof f->ops);
	if (l->ops.cap > l->ops.n) {
		l->ops.v = xreallocarray(l->ops.v, l->ops.n, sizeof *l->ops.v);
		l->ops.cap = l->ops.n;
	}
}

void flow_free(struct layout *l)
{
	struct flow *f = l->flow;
	if (!f)
		return;
	/* The units array is kept for a next pass (flow_spare_free). */
	struct flow_spare *sp = spare_get(l);
	if (!f->u_lent) {
		free(sp->u);
		sp->u = f->u;
		sp->ucap = f->cap;
	}
	if (!f->ops_lent)
		free(f->ops.v);
	free(f->tables);
	free(f);
	l->flow = NULL;
}
