/*
 * doc.h - the document tree a section composer builds: blocks in order.
 *
 * A composer creates a doc, appends blocks (headings, paragraphs, tables,
 * images, ...), then calls doc_write_pdf() (render/render.h), which lays
 * the blocks out into pages and renders them. Every text is UTF-8; it is
 * validated when added, and typography of the document language (typo.h)
 * is applied to running text, so composers pass plain strings.
 *
 * Each block records the composer's current "origin" (doc_origin), a short
 * string saying where its content came from (e.g. "incidents.csv:12");
 * problems found at build time (invalid UTF-8, a character no font has, a
 * bad image) are reported with it in the doc's diag list.
 *
 * Anchors are names; a heading, a table or doc_anchor() defines one, and
 * links and page references point to it. Page numbers are resolved after
 * pagination, so forward references are fine.
 */
#ifndef DOSSIER_LAYOUT_DOC_H
#define DOSSIER_LAYOUT_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "layout/typo.h"
#include "util/diag.h"
#include "util/xalloc.h"

enum paper { PAPER_A4, PAPER_LETTER };

/* "a4" or "letter" (anything else gives -1). */
int paper_parse(const char *s);

/* Inline span styles (bit set). */
enum span_style { STYLE_REGULAR = 0, STYLE_BOLD = 1, STYLE_ITALIC = 2 };

enum span_kind {
	SPAN_TEXT,	/* plain styled text */
	SPAN_LINK,	/* text linked to an anchor */
	SPAN_PAGEREF	/* the page number of an anchor ("voir page N") */
};

struct span {
	enum span_kind kind;
	int style;
	char *text;	/* NULL for SPAN_PAGEREF */
	char *anchor;	/* SPAN_LINK, SPAN_PAGEREF */
};

/* A run of spans: a paragraph, a table cell, a key-value value. */
struct para {
	struct span *spans;
	size_t n, cap;
	int align;	/* ALIGN_* */
};

enum align { ALIGN_JUSTIFY, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER };

struct table {
	size_t ncols;
	size_t header_rows;	/* repeated on every page */
	struct para *cells;	/* row-major, nrows * ncols */
	size_t nrows, caprows;
	int *col_align;		/* ALIGN_LEFT/RIGHT per column */
	char *caption;		/* may be NULL */
};

struct kv_item {
	char *key;
	struct para value;
	char **terms;		/* index terms marked on this pair */
	char **term_anchors;
	size_t nterms;
};

struct chart_bar {
	char *label;	/* x-axis label, e.g. "12/04" */
	double value;	/* percent */
};

struct timeline_seg {
	int64_t start, end;	/* UTC seconds */
	int state;		/* 0 up (green), 1 degraded (amber), 2 down (red) */
};

enum block_kind {
	BLOCK_HEADING, BLOCK_PARAGRAPH, BLOCK_KEYVALUE, BLOCK_TABLE,
	BLOCK_IMAGE, BLOCK_LOG, BLOCK_BAR_CHART, BLOCK_TIMELINE,
	BLOCK_PAGE_BREAK, BLOCK_ANCHOR, BLOCK_CONTENTS, BLOCK_TITLE,
	BLOCK_INDEX, BLOCK_STAMP, BLOCK_PDF
};

/* A page of an imported PDF (doc_pdf_pages): its visible box in its own
 * user space (CropBox clipped to MediaBox) and its /Rotate. */
struct doc_pdf_page {
	double x0, y0, x1, y1;
	int rotate;		/* 0, 90, 180, 270 */
};

/*
 * A block: what every kind has, then what its kind has (a union: read
 * only the members of the block's kind). The large bench case has
 * 277,000 blocks, nearly all paragraphs; with every kind's members side
 * by side a block took 272 bytes, 120 now.
 */
struct block {
	enum block_kind kind;
	int level;		/* BLOCK_HEADING: 1..4 */
	char *origin;
	char *anchor;		/* defined at the top of the block, or NULL */
	char *text;		/* heading/title text, image/chart caption */
	struct para para;	/* BLOCK_PARAGRAPH, BLOCK_TITLE */
	union {
		struct table table;	/* BLOCK_TABLE */
		struct {		/* BLOCK_KEYVALUE */
			struct kv_item *kv;
			size_t nkv;
		};
		/* BLOCK_IMAGE: decoded at add time (render/image.h) */
		struct image *image;
		struct {		/* BLOCK_LOG */
			char **log_lines;
			long *log_numbers;	/* original line numbers */
			size_t nlog;
		};
		struct {		/* BLOCK_BAR_CHART */
			struct chart_bar *bars;
			size_t nbars;
			double sla;	/* percent; the line drawn across */
			double ymin;	/* bottom of the value axis */
		};
		struct {		/* BLOCK_TIMELINE */
			struct timeline_seg *segs;
			size_t nsegs;
			int64_t t0, t1;
		};
		/* BLOCK_PDF: text = bookmark and contents title, anchor =
		 * first page; pdf_stamp prefix of each page's stamp */
		struct {
			char *pdf_path;
			char *pdf_stamp;
			struct doc_pdf_page *pdf_pages;
			int npdf_pages;
		};
	};
};

struct doc_options {
	enum lang lang;
	enum paper paper;
	double margin_mm;	/* 0 = default 20 mm */
	const char *title;	/* PDF Info /Title */
	const char *author;
	const char *subject;
	const char *keywords;	/* PDF Info /Keywords */
	const char *header;	/* running header, e.g. the case reference */
	int first_page_plain;	/* no header/footer on page 1 (a cover) */
	int64_t date;		/* creation date when SOURCE_DATE_EPOCH unset */
	double body_size;	/* 0 = 10.5 pt */
};

/* The doc's texts and span arrays are cut from chunks of its arena
 * (doc.c) and freed together by doc_free, never one by one: a large
 * dossier has millions of them, and malloc's overhead per block and the
 * slack of texts built in growable buffers came to more than the text
 * itself. They never move, so the layout may key on their addresses. */
struct doc_chunk;

struct doc {
	struct doc_options opt;
	char *title, *author, *subject, *header, *keywords;
	struct attach_set *attachments;	/* files to embed (render/attach.h),
					 * not owned; or NULL */
	struct block *blocks;
	size_t nblocks, capblocks;
	char *origin;		/* current origin for new blocks */
	struct diag_list *diags;	/* where build-time problems go */
	struct diag_list own_diags;
	int auto_anchor;	/* counter for generated heading anchors */
	int fragment;		/* made by doc_fragment_new */
	struct doc_chunk *chunks;	/* the arena, current chunk first */
	struct buf scratch;	/* text being made (typography, logs) */
};

struct doc *doc_new(const struct doc_options *opt);
void doc_free(struct doc *d);

/* Problems found while building go to dl (default: the doc's own list). */
void doc_set_diags(struct doc *d, struct diag_list *dl);
/* Number of errors recorded so far. */
size_t doc_errors(const struct doc *d);

/* Set the origin recorded with blocks added from now on (printf-style). */
void doc_origin(struct doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Title block for a cover page: big centered lines. */
void doc_title(struct doc *d, const char *title, const char *subtitle);

/* Heading of level 1-3 with an outline entry (level 4: a small heading
 * kept with what follows, in neither outline nor contents); anchor may be NULL (one is
 * generated). Returns the anchor name (owned by the doc). */
const char *doc_heading(struct doc *d, int level, const char *text,
    const char *anchor);

/* Start a paragraph; add spans with para_*(). Returns the paragraph. */
struct para *doc_paragraph(struct doc *d);
/* One-call paragraph of plain text. */
void doc_text(struct doc *d, const char *text);
void para_text(struct doc *d, struct para *p, int style, const char *text);
void para_link(struct doc *d, struct para *p, const char *text,
    const char *anchor);
void para_pageref(struct doc *d, struct para *p, const char *anchor);

/* Key-value block: call doc_kv() for each pair; consecutive pairs join
 * the same block. The value is plain text. */
void doc_kv(struct doc *d, const char *key, const char *value);

/* Table: ncols columns, the first header_rows rows repeat on each page. */
struct table *doc_table(struct doc *d, size_t ncols, size_t header_rows,
    const char *caption, const char *anchor);
void table_align(struct table *t, size_t col, int align);
/* Append a row of ncols plain-text cells (NULL = empty). */
void table_row(struct doc *d, struct table *t, const char *const *cells);
/* The paragraph of cell (row, col), to add styled spans. */
struct para *table_cell(struct table *t, size_t row, size_t col);

/* Images, decoded and checked now; errors go to the diag list. */
int doc_image_png(struct doc *d, const char *path, const char *caption);
int doc_image_jpeg(struct doc *d, const char *path, const char *caption);

/* A log excerpt: lines with their original line numbers. */
void doc_log(struct doc *d, const char *caption, const char *const *lines,
    const long *numbers, size_t n);

/* Bar chart of daily availability (percent) with the SLA line. */
void doc_bar_chart(struct doc *d, const char *caption,
    const struct chart_bar *bars, size_t n, double sla, double ymin);

/* Timeline strip of states between t0 and t1. */
void doc_timeline(struct doc *d, const char *caption, int64_t t0, int64_t t1,
    const struct timeline_seg *segs, size_t n);

void doc_page_break(struct doc *d);
/*
 * From the page where the next block lands, print text in the top margin
 * of every page instead of the running header (an exhibit's stamp,
 * "Pièce n° 12 — title"); NULL goes back to the running header.
 */
void doc_stamp(struct doc *d, const char *text);

/* Files to embed in the PDF when it is written (render/attach.h); the
 * caller keeps the set and frees it after doc_write_pdf. */
void doc_attach(struct doc *d, struct attach_set *files);
void doc_anchor(struct doc *d, const char *name);
/*
 * The pages of a PDF file, each on a dossier page of its own size (as
 * displayed, rotation applied): layout reserves the pages, render draws
 * the stamp "<stamp> — page k/n" in a narrow top band and the
 * footer, finish (finish/pdfpages.h) puts the original page, vector
 * content and text kept, in the space between, scaled down slightly.
 * title is the bookmark and contents entry (level 2), anchor the first
 * page; "<anchor>-last" is defined on the last page.
 */
void doc_pdf_pages(struct doc *d, const char *path,
    const struct doc_pdf_page *pages, int npages, const char *stamp,
    const char *title, const char *anchor);
/* Table of contents of level 1-2 headings with exact page numbers. */
void doc_contents(struct doc *d);

/* Mark the current position as a place where `term` is discussed. */
void doc_index_term(struct doc *d, const char *term);
/* Mark an index term on the last key-value pair added (the page of that
 * very line, even when the key-value block spans two pages). */
void doc_kv_index_term(struct doc *d, const char *term);
/* Index of all marked terms, sorted, each with its pages (linked); give
 * it a heading of its own first. */
void doc_index(struct doc *d);

/*
 * Fragments: a run of blocks composed apart from the document they end
 * up in (on another thread, say), then moved to its end. A fragment has
 * the document's options and an arena of its own; its problems go to
 * its own list (doc_set_diags). Its generated anchors ("heading-N",
 * "index-N") are numbered only when its blocks are appended, in their
 * final order, so the numbers are those of one document built in one
 * piece: until then doc_heading returns a placeholder, not to be linked.
 * doc_fragment_append moves blocks [from, to) of f to the end of d (what
 * they own goes with them; d's origin stays what it was), and may be
 * called for several runs of f in any order; doc_fragment_done gives
 * f's arena (the texts of the blocks moved) to d and frees f, with any
 * blocks not moved.
 */
struct doc *doc_fragment_new(const struct doc *d);
void doc_fragment_append(struct doc *d, struct doc *f, size_t from,
    size_t to);
void doc_fragment_done(struct doc *d, struct doc *f);

/* Internal: validate UTF-8 of s, reporting with the origin. 1 if valid. */
int doc_check_utf8(struct doc *d, const char *s, const char *what);

#endif
