/*
 * para.c - a run of styled spans to justified (or ragged) lines.
 *
 * The spans become items (items.c: boxes, glue, penalties). Justified
 * text goes through the total-fit breaker; ragged text (cells, values)
 * through first-fit.
 */
#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>

#include "layout/items.h"
#include "layout/linebreak.h"
#include "layout/memo.h"
#include "util/xalloc.h"

/*
 * Table cells are measured (layout_para_widths, for the column widths)
 * before they are laid out at those widths (layout_para_lines), and their
 * items are the same both times unless a piece is wider than the column
 * (build_items cuts it then, and only then). So while a table is laid out
 * (para_cells_begin/end) the items made for a cell's widths are kept, and
 * its lines are broken from them when its widest piece fits: a table's
 * text is read and measured once instead of twice. A cell with a missing
 * character (reported, replaced by a string of this pass) is not kept,
 * nor anything past CELLS_MAX_ITEMS (16 MB) in one table.
 */
#define CELLS_MAX_ITEMS (256 * 1024)

struct cell {
	const struct para *p;
	enum face base;
	double size;
	size_t first, n;	/* its items in cells.v */
	double widest;
};

struct cells {
	int on;
	struct items v;		/* the cells' items, one after another */
	struct cell *c;
	size_t n, cap;
	size_t *slots;		/* by p's address: index in c + 1 */
	size_t nslots;		/* a power of two, or 0 */
};

/*
 * The arrays of a paragraph being laid out, kept by the layout and reused
 * by the next paragraph (layout_para_lines and layout_para_widths are
 * never nested): a dossier has tens of thousands of paragraphs and cells,
 * and growing fresh arrays for each cost more than measuring the words.
 */
struct para_buffers {
	struct items v;
	size_t *breaks;		/* line k ends at item breaks[k] */
	double *ratios;		/* adjustment ratio of line k */
	size_t cap;		/* entries of breaks and ratios */
	/* The lines being made (para_lines), copied out at the exact size
	 * when done: growing a fresh array per paragraph and shrinking it
	 * after left millions of freed tails between the arrays kept. */
	struct line_ops lines;
	size_t line_cap;	/* entries of lines.line_first */
	struct cells cells;
};

static struct para_buffers *buffers(struct layout *l)
{
	if (!l->para_buf)
		l->para_buf = xcalloc(1, sizeof *l->para_buf);
	return l->para_buf;
}

static struct items *items_reset(struct layout *l)
{
	struct items *v = &buffers(l)->v;
	v->n = 0;
	v->widest = 0;
	return v;
}

static size_t cell_slot(const struct cells *cs, const struct para *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h ^ (h >> 32)) & (cs->nslots - 1);
}

void para_cells_begin(struct layout *l)
{
	buffers(l)->cells.on = 1;
}

void para_cells_end(struct layout *l)
{
	struct cells *cs = &buffers(l)->cells;
	cs->on = 0;
	cs->v.n = 0;
	if (cs->v.cap > 16 * 1024) {	/* a large table's: not kept */
		free(cs->v.it);
		free(cs->v.pc);
		memset(&cs->v, 0, sizeof cs->v);
	}
	/* Emptied for the next table at a cost in proportion to this
	 * one: a dossier has a thousand tables, a few of them large. */
	if (cs->nslots > 16 * cs->n) {
		free(cs->slots);
		cs->slots = NULL;
		cs->nslots = 0;
	} else if (cs->nslots)
		memset(cs->slots, 0, cs->nslots * sizeof *cs->slots);
	cs->n = 0;
}

static void cells_free(struct cells *cs)
{
	free(cs->v.it);
	free(cs->v.pc);
	free(cs->c);
	free(cs->slots);
}

/* Keep the items v made for the widths of cell p. */
static void cells_put(struct cells *cs, const struct para *p, enum face base,
    double size, const struct items *v)
{
	if (!cs->on || cs->v.n + v->n > CELLS_MAX_ITEMS)
		return;
	if (cs->v.n + v->n > cs->v.cap) {
		while (cs->v.n + v->n > cs->v.cap)
			cs->v.cap = cs->v.cap ? 2 * cs->v.cap : 4096;
		cs->v.it = xreallocarray(cs->v.it, cs->v.cap, sizeof *cs->v.it);
		cs->v.pc = xreallocarray(cs->v.pc, cs->v.cap, sizeof *cs->v.pc);
	}
	memcpy(cs->v.it + cs->v.n, v->it, v->n * sizeof *v->it);
	memcpy(cs->v.pc + cs->v.n, v->pc, v->n * sizeof *v->pc);
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? 2 * cs->cap : 256;
		cs->c = xreallocarray(cs->c, cs->cap, sizeof *cs->c);
	}
	cs->c[cs->n++] = (struct cell){ p, base, size, cs->v.n, v->n,
	    v->widest };
	cs->v.n += v->n;
	if (2 * cs->n > cs->nslots) {
		free(cs->slots);
		cs->nslots = cs->nslots ? 2 * cs->nslots : 64;
		cs->slots = xcalloc(cs->nslots, sizeof *cs->slots);
		for (size_t k = 0; k < cs->n; k++) {
			size_t i = cell_slot(cs, cs->c[k].p);
			while (cs->slots[i])
				i = (i + 1) & (cs->nslots - 1);
			cs->slots[i] = k + 1;
		}
		return;
	}
	size_t i = cell_slot(cs, p);
	while (cs->slots[i])
		i = (i + 1) & (cs->nslots - 1);
	cs->slots[i] = cs->n;
}

/* The items kept for cell p, when they are its items at width too. */
static int cells_get(const struct cells *cs, const struct para *p,
    enum face base, double size, double width, struct items *out)
{
	if (!cs->on || cs->nslots == 0)
		return 0;
	for (size_t i = cell_slot(cs, p); cs->slots[i];
	    i = (i + 1) & (cs->nslots - 1)) {
		const struct cell *c = &cs->c[cs->slots[i] - 1];
		if (c->p != p || c->base != base || c->size != size)
			continue;
		if (c->widest > width)
			return 0;	/* cut at this width: made again */
		*out = (struct items){ cs->v.it + c->first, cs->v.pc + c->first,
		    c->n, c->n, c->widest };
		return 1;
	}
	return 0;
}

void para_buffers_free(struct layout *l)
{
	items_words_free(l);
	struct para_buffers *b = l->para_buf;
	if (!b)
		return;
	free(b->v.it);
	free(b->v.pc);
	free(b->breaks);
	free(b->ratios);
	free(b->lines.ops);
	free(b->lines.line_first);
	cells_free(&b->cells);
	free(b);
	l->para_buf = NULL;
}


static struct op *lo_push(struct line_ops *lo)
{
	if (lo->n == lo->cap) {
		lo->cap = lo->cap ? lo->cap * 2 : 64;
		lo->ops = xreallocarray(lo->ops, lo->cap, sizeof *lo->ops);
	}
	struct op *o = &lo->ops[lo->n++];
	memset(o, 0, sizeof *o);
	return o;
}

void line_ops_free(struct line_ops *lo)
{
	if (!lo->borrowed) {
		free(lo->ops);
		free(lo->line_first);
	}
	memset(lo, 0, sizeof *lo);
}

/* Copy the lines in into *out at their exact size (out owns them). */
static void line_ops_copy(const struct line_ops *in, struct line_ops *out)
{
	*out = *in;
	out->borrowed = 0;
	out->cap = in->n;
	out->ops = xreallocarray(NULL, in->n, sizeof *out->ops);
	if (in->n)
		memcpy(out->ops, in->ops, in->n * sizeof *out->ops);
	size_t nfirst = in->nlines + 1;
	out->line_first = xreallocarray(NULL, nfirst, sizeof *out->line_first);
	memcpy(out->line_first, in->line_first, nfirst * sizeof *out->line_first);
}

/* The lines of p, in the layout's scratch arrays (valid until the next
 * call; the caller copies them). */
static const struct line_ops *para_lines(struct layout *l,
    const struct para *p, double x, double width, enum face base,
    double size, double leading)
{
	struct items *items = items_reset(l);
	struct para_buffers *pb = l->para_buf;
	struct items v;
	if (!cells_get(&pb->cells, p, base, size, width, &v)) {
		build_items(l, p, base, size, width, items);
		v = *items;
	}
	struct line_ops *out = &pb->lines;
	out->n = 0;
	out->leading = leading;
	out->borrowed = 1;	/* the scratch arrays stay with pb */
	if (pb->cap < v.n) {
		pb->cap = v.cap;
		pb->breaks = xreallocarray(pb->breaks, pb->cap, sizeof *pb->breaks);
		pb->ratios = xreallocarray(pb->ratios, pb->cap, sizeof *pb->ratios);
	}
	size_t *breaks = pb->breaks;
	double *ratios = pb->ratios;
	size_t nlines = p->align == ALIGN_JUSTIFY ?
	    linebreak_total_fit(v.it, v.n, width, breaks, ratios) :
	    linebreak_first_fit(v.it, v.n, width, breaks, ratios);
	if (pb->line_cap < nlines + 1) {
		pb->line_cap = nlines + 1 > 64 ? nlines + 1 : 64;
		out->line_first = xreallocarray(out->line_first, pb->line_cap,
		    sizeof *out->line_first);
	}
	out->nlines = nlines;
	double baseline = leading * 0.78;
	size_t start = 0;
	for (size_t k = 0; k < nlines; k++) {
		out->line_first[k] = out->n;
		size_t b = breaks[k];
		double r = p->align == ALIGN_JUSTIFY ? ratios[k] : 0;
		/* Skip discardable items at the line start. */
		while (start < b && v.it[start].type != LB_BOX)
			start++;
		/* Natural width, for ragged alignment. */
		double natural = 0;
		for (size_t i = start; i < b; i++)
			if (v.it[i].type != LB_PENALTY)
				natural += v.it[i].width;
		int hyphen = v.it[b].type == LB_PENALTY && v.it[b].flagged &&
		    v.it[b].width > 0;
		if (hyphen)
			natural += v.it[b].width;
		double cx = x;
		if (p->align == ALIGN_RIGHT)
			cx = x + width - natural;
		else if (p->align == ALIGN_CENTER)
			cx = x + (width - natural) / 2;
		double y = k * leading + baseline;
		/* indices, not pointers: lo_push may move the array */
		long last_text = -1, last_link = -1;
		for (size_t i = start; i < b; i++) {
			const struct lb_item *it = &v.it[i];
			const struct piece *pc = &v.pc[i];
			if (it->type == LB_GLUE) {
				cx += it->width + (r > 0 ? r * it->stretch :
				    r * it->shrink);
				last_text = -1;
				continue;
			}
			if (it->type != LB_BOX)
				continue;
			uint32_t color = pc->link >= 0 ? COLOR_LINK : COLOR_TEXT;
			if (pc->kind == PIECE_PAGEREF) {
				struct op *o = lo_push(out);
				o->kind = OP_PAGEREF;
				o->x = (float)cx;
				o->y = (float)y;
				o->w = (float)it->width;
				o->face = pc->face;
				o->size = (float)size;
				o->ref = pc->link;
				o->align = ALIGN_LEFT;
				last_text = -1;
				/* A page number links to its page. */
				struct op *lk = lo_push(out);
				lk->kind = OP_LINK;
				lk->x = (float)cx;
				lk->y = (float)(y - size);
				lk->w = (float)it->width;
				lk->h = (float)(size * 1.25);
				lk->ref = pc->link;
				cx += it->width;
				continue;
			}
			struct op *lt = last_text >= 0 ? &out->ops[last_text] : NULL;
			if (lt && lt->face == pc->face &&
			    lt->text + lt->len == pc->text && lt->color == color) {
				lt->len += pc->len;	/* word pieces */
				lt->w += (float)it->width;
			} else {
				struct op *o = lo_push(out);
				o->kind = OP_TEXT;
				o->x = (float)cx;
				o->y = (float)y;
				o->face = pc->face;
				o->size = (float)size;
				o->color = color;
				o->text = pc->text;
				o->len = pc->len;
				o->w = (float)it->width;
				last_text = (long)(out->n - 1);
			}
			if (pc->link >= 0) {
				struct op *ll = last_link >= 0 ?
				    &out->ops[last_link] : NULL;
				if (ll && ll->ref == pc->link) {
					ll->w = (float)(cx + it->width - ll->x);
				} else {
					struct op *lk = lo_push(out);
					lk->kind = OP_LINK;
					lk->x = (float)cx;
					lk->y = (float)(y - size);
					lk->w = (float)it->width;
					lk->h = (float)(size * 1.25);
					lk->ref = pc->link;
					last_link = (long)(out->n - 1);
					/* text after the link op cannot merge
					 * into an op before it */
					last_text = -1;
				}
			}
			cx += it->width;
		}
		if (hyphen) {
			struct op *o = lo_push(out);
			o->kind = OP_TEXT;
			o->x = (float)cx;
			o->y = (float)y;
			o->face = v.pc[b].face;
			o->size = (float)size;
			o->text = "-";
			o->len = 1;
			o->w = (float)v.it[b].width;
		}
		start = b + 1;
	}
	out->line_first[nlines] = out->n;
	out->height = nlines * leading;
	return out;
}

/*
 * The lines of p: the memo's copy when an earlier pass (or call) laid out
 * the same paragraph at the same place, else laid out now and remembered
 * when nothing in it depends on the pass (see memo.h).
 */
void layout_para_lines(struct layout *l, const struct para *p, double x,
    double width, enum face base, double size, double leading,
    struct line_ops *out)
{
	struct memo_key key = { MEMO_LINES, p, x, width, size, leading, base,
	    0, 0 };
	int cacheable = l->memo && memo_cacheable(p);
	if (cacheable && memo_get_lines(l, l->memo, &key, out))
		return;
	size_t nstrings = l->nstrings;	/* grows on a missing character */
	const struct line_ops *lines = para_lines(l, p, x, width, base, size,
	    leading);
	if (cacheable && l->nstrings == nstrings)
		memo_put_lines(l, l->memo, &key, lines, out);
	else
		line_ops_copy(lines, out);
}

static void para_widths(struct layout *l, const struct para *p,
    enum face base, double size, double *minw, double *maxw)
{
	struct items *items = items_reset(l);
	size_t nstrings = l->nstrings;	/* grows on a missing character */
	build_items(l, p, base, size, 1e9, items);
	const struct items v = *items;
	if (l->nstrings == nstrings)
		cells_put(&l->para_buf->cells, p, base, size, &v);
	double run = 0, mn = 0, total = 0;
	for (size_t i = 0; i < v.n; i++) {
		const struct lb_item *it = &v.it[i];
		if (it->type == LB_BOX) {
			run += it->width;
			total += it->width;
		} else {
			if (it->type == LB_GLUE && it->stretch < 1e4)
				total += it->width;
			if (run + (it->type == LB_PENALTY ? it->width : 0) > mn)
				mn = run + (it->type == LB_PENALTY ? it->width : 0);
			run = 0;
		}
	}
	if (run > mn)
		mn = run;
	*minw = mn;
	*maxw = total;
}

/* Widths of p, remembered like its lines. */
void layout_para_widths(struct layout *l, const struct para *p,
    enum face base, double size, double *minw, double *maxw)
{
	struct memo_key key = { MEMO_WIDTHS, p, 0, 0, size, 0, base, 0, 0 };
	int cacheable = l->memo && memo_cacheable(p);
	if (cacheable && memo_get_widths(l, l->memo, &key, minw, maxw))
		return;
	size_t nstrings = l->nstrings;
	para_widths(l, p, base, size, minw, maxw);
	if (cacheable && l->nstrings == nstrings)
		memo_put_widths(l, l->memo, &key, *minw, *maxw);
}

void layout_paragraph(struct layout *l, const struct para *p, double x,
    double width, enum face base, double size, double leading,
    double space_before)
{
	struct line_ops lo;
	layout_para_lines(l, p, x, width, base, size, leading, &lo);
	for (size_t k = 0; k < lo.nlines; k++) {
		unit_begin(l, k == 0 ? space_before : 0);
		size_t first = lo.line_first[k], n = lo.line_first[k + 1] - first;
		struct op *o = unit_ops(l, lo.ops + first, n);
		for (size_t i = 0; i < n; i++)
			o[i].y -= (float)(k * leading);
		/* Orphans: the first two lines stay together; widows: so
		 * do the last two. */
		int keep = (k == 0 && lo.nlines > 1) ||
		    (k + 2 == lo.nlines && lo.nlines > 1);
		unit_end(l, leading, keep);
	}
	line_ops_free(&lo);
}
