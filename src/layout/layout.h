/*
 * layout.h - from the document tree to positioned pages.
 *
 * layout_run() turns each block into "units": vertical pieces that are
 * never split (a line of a paragraph, a table row, an image, a chart),
 * each holding drawing operations relative to its own top edge. The
 * paginator then stacks units onto pages, honouring keep-with-next links
 * (widows, orphans, headings), page breaks and repeated table headers, and
 * records where each unit goes. The operations stay where the units made
 * them (one array for the whole document); layout_page_ops() gives a
 * page's operations in PDF coordinates (points, origin at the bottom left
 * of the page) when render asks for them. A table header repeated on
 * every page is stored once, and no second, placed copy of every
 * operation is ever held (on a 15,000-page dossier that copy alone was
 * several hundred megabytes).
 *
 * Page numbers are not text yet: a page reference is an OP_PAGEREF that
 * render fills in once every anchor's page is known, and links are
 * OP_LINK rectangles turned into annotations after all pages exist.
 */
#ifndef DOSSIER_LAYOUT_LAYOUT_H
#define DOSSIER_LAYOUT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "layout/doc.h"
#include "layout/fonts.h"

enum op_kind {
	OP_TEXT,	/* text run: x,y = baseline start */
	OP_RECT,	/* filled rectangle: x,y = lower left, w,h */
	OP_LINE,	/* stroked line from (x,y) to (x+w, y+h) */
	OP_IMAGE,	/* image ref at x,y (lower left) size w,h */
	OP_LINK,	/* link rectangle to anchor ref */
	OP_PAGEREF,	/* page number of anchor ref; align right at x+w */
	OP_DEST,	/* anchor ref is here (y = top) */
	OP_STAMP,	/* from this page on, text (or none: len 0) in the
			 * top margin instead of the running header */
	OP_PDFPAGE	/* an imported PDF page (l->imports[ref]) goes in
			 * the rectangle x,y,w,h (filled in by finish) */
};

/* Imported PDF pages (BLOCK_PDF): a page of its own, as large as the
 * imported page displayed; the stamp sits in a band at the top, the
 * footer in one at the bottom, the page itself (scaled to fit) between. */
#define PDF_BAND_TOP 24.0
#define PDF_BAND_BOTTOM 20.0
#define PDF_BAND_SIDE 6.0

struct pdf_import {
	const char *path;	/* owned by the doc */
	int page;		/* 0-based page of the imported file */
	struct doc_pdf_page box;
	int outline;		/* first page: index in l->outline, else -1 */
};

/*
 * A drawing operation. A large dossier holds millions of them (and the
 * paragraph memo copies of as many), so the small fields share two words
 * and an op takes 40 bytes instead of 48.
 */
struct op {
	uint32_t color : 24;	/* 0xRRGGBB */
	uint32_t kind : 4;	/* enum op_kind */
	uint32_t align : 2;	/* OP_PAGEREF: ALIGN_LEFT or ALIGN_RIGHT */
	uint32_t dash : 1;	/* OP_LINE: dashed */
	uint32_t len : 24;	/* text bytes, at most OP_LEN_MAX */
	uint32_t face : 8;	/* enum face */
	float x, y, w, h;	/* OP_TEXT: w = advance width, measured */
	float size;		/* font size, or line width for OP_LINE */
	int32_t ref;		/* anchor id, image index */
	const char *text;	/* not NUL-terminated; len bytes */
};

/* Longest text of one op: a text op is a run of words on one line, a
 * stamp a title; longer texts are cut (unit_text, BLOCK_STAMP). */
#define OP_LEN_MAX 0xFFFFFFu

struct anchor {
	char *name;		/* the layout's names' (anchor.c) */
	int page;		/* 0-based, -1 until placed */
	float y;
	int defined;
	int num;		/* the name's number in the layout's names */
};

struct outline_entry {
	int level;
	const char *title;	/* owned by the doc */
	int anchor;
};

/* A unit put on a page: its ops l->ops.v[first .. first+n), moved so that
 * the unit's top is at PDF y `base` (own_page: the ops are already in the
 * page's coordinates and stay as they are). */
struct placement {
	size_t first;
	uint32_t n;
	uint32_t own_page;
	double base;
};

struct lpage {
	size_t first, n;	/* placed[first .. first+n) */
	double w, h;		/* page size; 0 = the document's paper */
};

struct op_list {
	struct op *v;
	size_t n, cap;
};

struct layout {
	struct doc *doc;
	struct fonts *fonts;
	double page_w, page_h, margin;
	double body_top, body_bottom;	/* y of body area, PDF coords */
	struct op_list ops;		/* ops of all units, unit-relative */
	struct placement *placed;	/* units on pages, page by page */
	size_t nplaced, capplaced;
	struct lpage *pages;
	size_t npages, cappages;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	/* The anchors' names, numbered for all the passes of layout_run
	 * (anchor.c), and the anchor of each number in this pass (-1:
	 * none yet). */
	struct anchor_names *names;
	int names_owned;
	int *anchor_by_name;
	size_t anchor_by_name_cap;
	/* anchors this pass will make, about (the previous pass's) */
	size_t anchors_hint;
	/* A chunk's names (chunk.h) mapped to prev's numbers, -1 = not
	 * known (layout_prev_page); NULL: the names are prev's. */
	const int *prev_num;
	size_t nprev_num;
	struct outline_entry *outline;
	size_t noutline, capoutline;
	struct image **images;		/* owned by the doc's blocks */
	size_t nimages;
	struct pdf_import *imports;	/* OP_PDFPAGE refs */
	size_t nimports;
	char **strings;			/* text made during layout */
	size_t nstrings, capstrings;
	void *hyph[2];			/* hyphenators per language */
	/* Inline page references ("voir page N") are set at the width of
	 * the number found by the previous pass (layout_run repeats the
	 * layout until page numbers are stable). */
	const struct layout *prev;
	int has_pagerefs;
	/* Paragraph layouts shared by the passes (memo.h); owned by
	 * layout_run, NULL when a layout is made without it. */
	struct para_memo *memo;
	/* Arrays reused from paragraph to paragraph (para.c). */
	struct para_buffers *para_buf;
	/* Words already cut into pieces in this pass (items.c). */
	struct word_cache *words;
	/* building state, see flow.c */
	struct flow *flow;
	/* arrays of the previous pass for this one to reuse (flow.c) */
	struct flow_spare *spare;
	/* units, unit ops and placements this pass made: the next pass,
	 * which makes about as many, allocates its arrays once (flow.c) */
	size_t flow_units, flow_ops, flow_placed;
	/* A pass that another one follows in layout_run once the text
	 * has a page reference (has_pagerefs): the next pass reads only
	 * this one's anchors, so a unit keeps no op but its OP_DESTs, and
	 * no placement is kept (flow.c); draft_dropped counts what was
	 * not kept. */
	int draft;
	size_t draft_dropped;
	const char *origin;		/* origin of the block being laid out */
	/* missing characters already reported for this origin */
	const char *reported_origin;
	uint32_t reported[32];
	int nreported;
};

/* Lay out the doc with fonts. Problems go to the doc's diag list. A
 * large doc is laid out on several threads (chunk.h), the same layout. */
struct layout *layout_run(struct doc *d, struct fonts *fonts);
/* Which passes of layout_run are drafts (struct layout): the first one
 * when layout_drafts is set (the default), the second one too when the
 * first made at least layout_draft_second_ops ops. The result is the
 * same either way (tests compare). */
extern int layout_drafts;
extern size_t layout_draft_second_ops;
/* Threads layout_run may use (0: as many as cores, at most 4; the
 * environment's DOSSIER_LAYOUT_THREADS comes first). */
void layout_set_threads(int n);
void layout_free(struct layout *l);

/* Anchor id for a name, created (undefined) on first use. */
int layout_anchor(struct layout *l, const char *name);
/* The same for a name that stays at its address, unchanged, until
 * layout_run returns (the doc's strings, literals): looked up again by
 * that address, without reading the string (anchor.c). */
int layout_anchor_doc(struct layout *l, const char *name);
/* The names shared by the passes of layout_run (anchor.c); it forgets
 * the addresses before returning, as the doc may be freed first. */
struct anchor_names *anchor_names_new(void);
void anchor_names_forget_ptrs(struct anchor_names *a);
void anchor_names_free(struct anchor_names *a);
/* The number of name in a, by content, added if new (merge.c). */
int anchor_names_num(struct anchor_names *a, const char *name);
size_t anchor_names_count(const struct anchor_names *a);
/* The anchor id of name number num of l->names, created (undefined) on
 * first use. */
int layout_anchor_num(struct layout *l, int num);
/* Free l's anchors (and the names, when l owns them). */
void layout_anchors_free(struct layout *l);

/* Page number (1-based) of anchor `name` in the previous pass, or 0. */
int layout_prev_page(const struct layout *l, const char *name);

/* Keep a string made during layout alive until layout_free. */
const char *layout_keep(struct layout *l, char *s);

/* Width of the body column in points. */
double layout_body_width(const struct layout *l);
double layout_body_height(const struct layout *l);

/* --- building units (flow.c), used by the block layouters --- */

/* Start a unit: space above it (dropped at the top of a page). */
void unit_begin(struct layout *l, double space_before);
/* Append an op to the current unit; y is measured DOWN from the unit top
 * (for text: the baseline), x from the page's left edge. */
struct op *unit_op(struct layout *l, enum op_kind kind, double x, double y);
/* Append copies of n ops (positioned like unit_op's) to the current
 * unit; returns the first copy, so the caller can move them. The ops
 * are lines' (text, links, page references): an OP_DEST goes through
 * unit_op, which marks its unit as one whose anchors pagination defines
 * (flow.c reads the ops of those units only). */
struct op *unit_ops(struct layout *l, const struct op *ops, size_t n);
/* Finish the unit with its height. */
void unit_end(struct layout *l, double height, int keep_with_next);
/* Set keep-with-next on the last finished unit. */
void unit_keep_last(struct layout *l, int keep);
void unit_page_break(struct layout *l);
/* End the unit as a page of its own of w x h points: its ops are in
 * that page's PDF coordinates (not unit-relative). */
void unit_end_page(struct layout *l, double w, double h);
/* Table support: units between table_begin and table_end belong to one
 * table; header units repeat after a page break, preceded by the
 * continuation unit (a caption saying "(suite)"). */
void flow_table_begin(struct layout *l);
void flow_table_header_begin(struct layout *l);
void flow_table_header_end(struct layout *l);
void flow_table_cont_begin(struct layout *l);	/* next unit: the caption */
void flow_table_end(struct layout *l);

/* Stack the units onto pages (flow.c); free the units (their array is
 * kept in l->spare). */
void flow_paginate(struct layout *l);
void flow_free(struct layout *l);
/* layout_drop_ops, keeping the arrays in l->spare for the next pass,
 * which takes them over (l->spare moved to it); flow_spare_free frees
 * them. */
void flow_keep_arrays(struct layout *l);
void flow_spare_free(struct layout *l);

/* The ops of page pg in PDF coordinates, in drawing order, into out
 * (emptied first, grown as needed; the caller frees out->v). */
void layout_page_ops(const struct layout *l, size_t pg, struct op_list *out);
/* Free the ops and placements (what layout_page_ops reads), keeping the
 * pages' count and sizes, the anchors and the outline: for render once
 * every page is drawn, and for layout_run once a pass is superseded. */
void layout_drop_ops(struct layout *l);

/* Text op helper: measure, report missing glyphs, append. Returns width. */
double unit_text(struct layout *l, double x, double y, enum face face,
    double size, uint32_t color, const char *s, size_t n);
/* Measure with missing-glyph report (returns width in points). A
 * character no font has is reported with the block's origin and replaced
 * by '?' in *s (a copy kept by the layout), never drawn as an empty box. */
double layout_measure(struct layout *l, enum face face, double size,
    const char **s, size_t *n);
/* Face for a span style on a base face. */
enum face face_styled(enum face base, int style);

/* Block layouters. */
void layout_paragraph(struct layout *l, const struct para *p, double x,
    double width, enum face base, double size, double leading,
    double space_before);
void layout_table(struct layout *l, const struct block *b);
void layout_bar_chart(struct layout *l, const struct block *b);
void layout_timeline(struct layout *l, const struct block *b);
void layout_index(struct layout *l);

/* The sorted index terms (index.c), kept by the memo for later passes. */
struct index_terms;
void index_terms_free(struct index_terms *t);

/* Paragraph lines without units, for table cells and values. The
 * span texts and anchors must belong to the doc (or be string literals):
 * results are remembered by their addresses across passes (memo.h). */
struct line_ops {
	struct op *ops;
	size_t n, cap;
	size_t *line_first;	/* ops of line k: [line_first[k], line_first[k+1]) */
	size_t nlines;
	double leading;
	double height;
	int borrowed;		/* the arrays belong to the paragraph memo
				 * (memo.h): read only, line_ops_free leaves
				 * them alone */
};
void layout_para_lines(struct layout *l, const struct para *p, double x,
    double width, enum face base, double size, double leading,
    struct line_ops *out);
void line_ops_free(struct line_ops *lo);
/* Free the arrays layout_para_lines keeps for the next paragraph. */
void para_buffers_free(struct layout *l);
/* Between these, the items made for a paragraph's widths are kept for
 * its lines (a table's cells, para.c). */
void para_cells_begin(struct layout *l);
void para_cells_end(struct layout *l);
/* Min (longest unbreakable piece) and natural one-line width of p. */
void layout_para_widths(struct layout *l, const struct para *p,
    enum face base, double size, double *minw, double *maxw);

/* Colours. */
#define COLOR_TEXT 0x000000
#define COLOR_LINK 0x1A4A8A
#define COLOR_GREY 0x666666
#define COLOR_BLACK 0x000000
#define COLOR_RULE 0x999999

#endif
