/*
 * table.c - tables: column widths from content, wrapped cells, header
 * rows repeated after page breaks, rows split only when taller than a
 * page.
 *
 * Column widths come from content: see col_widths().
 */
#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define CELL_PAD 4.0

static void col_widths(struct layout *l, const struct table *t, double avail,
    double size, double *w)
{
	size_t nc = t->ncols;
	double *mn = xcalloc(nc, sizeof *mn), *mx = xcalloc(nc, sizeof *mx);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < nc; c++) {
			double a, b;
			layout_para_widths(l, &t->cells[r * nc + c],
			    r < t->header_rows ? FACE_SERIF_BOLD : FACE_SERIF,
			    size, &a, &b);
			a += 2 * CELL_PAD + 0.5;
			b += 2 * CELL_PAD + 0.5;
			if (a > mn[c])
				mn[c] = a;
			if (b > mx[c])
				mx[c] = b;
		}
	/* Narrow columns first: a column whose one-line width is within a
	 * fair share of what is left gets it in full, so a single long
	 * text column does not squeeze numbers and dates into hyphenated
	 * fragments. The wide columns share the rest in proportion to
	 * their (capped) natural width, never below their minimum. */
	int *done = xcalloc(nc, sizeof *done);
	double left = avail;
	size_t nleft = nc;
	for (int changed = 1; changed && nleft;) {
		changed = 0;
		for (size_t c = 0; c < nc; c++)
			if (!done[c] && mx[c] <= left / nleft) {
				w[c] = mx[c];
				left -= mx[c];
				nleft--;
				done[c] = changed = 1;
			}
	}
	double swide = 0, smin = 0;
	for (size_t c = 0; c < nc; c++)
		if (!done[c]) {
			swide += mx[c] < avail ? mx[c] : avail;
			smin += mn[c];
		}
	for (size_t c = 0; c < nc; c++)
		if (!done[c])
			w[c] = left * (mx[c] < avail ? mx[c] : avail) / swide;
	/* Raise columns below their minimum, taking from the others. */
	if (smin <= left) {
		for (size_t c = 0; c < nc; c++)
			if (!done[c] && w[c] < mn[c]) {
				double need = mn[c] - w[c];
				w[c] = mn[c];
				for (size_t k = 0; k < nc && need > 0; k++) {
					if (done[k] || k == c || w[k] <= mn[k])
						continue;
					double give = w[k] - mn[k] < need ?
					    w[k] - mn[k] : need;
					w[k] -= give;
					need -= give;
				}
			}
	}
	double total = 0;
	for (size_t c = 0; c < nc; c++)
		total += w[c];
	if (total < avail) {
		/* all columns satisfied: spread the spare width */
		for (size_t c = 0; c < nc; c++)
			w[c] += (avail - total) / nc;
	} else if (total > avail) {
		for (size_t c = 0; c < nc; c++)
			w[c] *= avail / total;	/* words get cut */
	}
	free(done);
	free(mn);
	free(mx);
}

/* Lay out one row into units; may split into several when the row is
 * taller than max_h. */
static void table_row_units(struct layout *l, const struct table *t,
    size_t r, const double *x, const double *w, double size, double leading,
    double max_h, int header, int keep)
{
	size_t nc = t->ncols;
	/* a row of most tables fits here: no allocation per row */
	struct line_ops few[8];
	struct line_ops *lo = nc <= 8 ? few : xcalloc(nc, sizeof *lo);
	if (lo == few)
		memset(few, 0, nc * sizeof *few);
	size_t maxlines = 1;
	for (size_t c = 0; c < nc; c++) {
		layout_para_lines(l, &t->cells[r * nc + c], x[c] + CELL_PAD,
		    w[c] - 2 * CELL_PAD, header ? FACE_SERIF_BOLD : FACE_SERIF,
		    size, leading, &lo[c]);
		if (lo[c].nlines > maxlines)
			maxlines = lo[c].nlines;
	}
	/* Lines per piece: all of them unless the row is taller than a
	 * page; then pieces of what a page holds, the later ones marked. */
	size_t per = maxlines;
	if (maxlines * leading + 2 * CELL_PAD > max_h) {
		per = (size_t)((max_h - 2 * CELL_PAD) / leading) - 1;
		if (per < 1)
			per = 1;
	}
	const char *mark = l->doc->opt.lang == LANG_FR ? "(suite)" :
	    "(continued)";
	double total_w = x[nc - 1] + w[nc - 1] - x[0];
	for (size_t from = 0; from < maxlines; from += per) {
		size_t to = from + per < maxlines ? from + per : maxlines;
		int cont = from > 0;
		double shift = cont ? leading : 0;	/* room for the mark */
		double h = (to - from) * leading + shift + 2 * CELL_PAD;
		unit_begin(l, 0);
		if (header) {
			struct op *bg = unit_op(l, OP_RECT, x[0], 0);
			bg->w = (float)total_w;
			bg->h = (float)h;
			bg->color = 0xE6E6E6;
		}
		if (cont)
			unit_text(l, x[0] + CELL_PAD, CELL_PAD + leading * 0.78,
			    FACE_SERIF_ITALIC, size * 0.9, COLOR_GREY, mark,
			    strlen(mark));
		for (size_t c = 0; c < nc; c++) {
			size_t last = to < lo[c].nlines ? to : lo[c].nlines;
			if (from >= last)
				continue;
			/* lines from..last of the cell, moved into the piece */
			size_t first = lo[c].line_first[from];
			size_t n = lo[c].line_first[last] - first;
			struct op *o = unit_ops(l, lo[c].ops + first, n);
			for (size_t i = 0; i < n; i++)
				o[i].y += (float)(CELL_PAD + shift -
				    from * leading);
		}
		struct op *rule = unit_op(l, OP_LINE, x[0], h);
		rule->w = (float)total_w;
		rule->size = header ? 0.8f : 0.3f;
		rule->color = header ? 0x555555 : 0xAAAAAA;
		unit_end(l, h, keep);
	}
	for (size_t c = 0; c < nc; c++)
		line_ops_free(&lo[c]);
	if (lo != few)
		free(lo);
}

void layout_table(struct layout *l, const struct block *b)
{
	const struct table *t = &b->table;
	double size = l->doc->opt.body_size - 1, leading = size * 1.25;
	double avail = layout_body_width(l);
	double *w = xcalloc(t->ncols, sizeof *w);
	double *x = xcalloc(t->ncols, sizeof *x);
	para_cells_begin(l);	/* each cell's items, for its lines */
	col_widths(l, t, avail, size, w);
	for (size_t c = 0; c < t->ncols; c++)
		x[c] = (c ? x[c - 1] + w[c - 1] : l->margin);
	flow_table_begin(l);
	const char *cont_word = l->doc->opt.lang == LANG_FR ? " (suite)" :
	    " (continued)";
	double cap_size = 9.5, cap_lead = cap_size * 1.3;
	/* Caption above the table, kept with the header. */
	unit_begin(l, 10);
	if (b->anchor) {
		struct op *o = unit_op(l, OP_DEST, l->margin, 0);
		o->ref = layout_anchor_doc(l, b->anchor);
	}
	if (t->caption)
		unit_text(l, l->margin, cap_lead * 0.78, FACE_SANS_BOLD, cap_size,
		    COLOR_TEXT, t->caption, strlen(t->caption));
	unit_end(l, t->caption ? cap_lead + 2 : 0, 1);
	/* The caption shown again after a page break. */
	flow_table_cont_begin(l);
	unit_begin(l, 0);
	char *cont = xasprintf("%s%s", t->caption ? t->caption : "",
	    t->caption ? cont_word : cont_word + 1);
	unit_text(l, l->margin, cap_lead * 0.78, FACE_SANS_BOLD, cap_size,
	    COLOR_TEXT, layout_keep(l, cont), strlen(cont));
	unit_end(l, cap_lead + 2, 1);
	/* Header rows (a header taller than half a page is split). */
	flow_table_header_begin(l);
	for (size_t r = 0; r < t->header_rows && r < t->nrows; r++)
		table_row_units(l, t, r, x, w, size, leading,
		    layout_body_height(l) / 2, 1, 1);
	flow_table_header_end(l);
	/* A body row may be as tall as the page minus the repeated
	 * caption and header; only a taller one is split. */
	double max_row = layout_body_height(l) - cap_lead - 2;
	/* Measure the header for real: lines of its tallest cell. */
	double hh = 0;
	for (size_t r = 0; r < t->header_rows && r < t->nrows; r++) {
		size_t maxl = 1;
		for (size_t c = 0; c < t->ncols; c++) {
			struct line_ops lo;
			layout_para_lines(l, &t->cells[r * t->ncols + c], 0,
			    w[c] - 2 * CELL_PAD, FACE_SERIF_BOLD, size, leading,
			    &lo);
			if (lo.nlines > maxl)
				maxl = lo.nlines;
			line_ops_free(&lo);
		}
		hh += maxl * leading + 2 * CELL_PAD;
	}
	max_row -= hh;
	for (size_t r = t->header_rows; r < t->nrows; r++)
		table_row_units(l, t, r, x, w, size, leading, max_row, 0, 0);
	flow_table_end(l);
	para_cells_end(l);
	free(w);
	free(x);
}
