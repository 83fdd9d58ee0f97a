/*
 * layout.c - lay out every block of a doc into units, then paginate.
 *
 * Headings, titles, key-value blocks, log excerpts, images and the table
 * of contents are laid out here; paragraphs, tables and charts have their
 * own files.
 */
#include "layout/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/chunk.h"
#include "layout/hyph.h"
#include "layout/memo.h"
#include "render/image.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MM (72.0 / 25.4)

/* Vertical rhythm, in points. */
#define PARA_SPACE 6.0
#define CAPTION_SIZE 9.0
#define LOG_SIZE 7.8

static const double heading_size[4] = { 16, 13, 11.5, 10.5 };
static const double heading_space[4] = { 22, 14, 10, 6 };

const char *layout_keep(struct layout *l, char *s)
{
	if (l->nstrings == l->capstrings) {
		l->capstrings = l->capstrings ? l->capstrings * 2 : 32;
		l->strings = xreallocarray(l->strings, l->capstrings,
		    sizeof *l->strings);
	}
	l->strings[l->nstrings++] = s;
	return s;
}

double layout_body_width(const struct layout *l)
{
	return l->page_w - 2 * l->margin;
}

double layout_body_height(const struct layout *l)
{
	return l->body_top - l->body_bottom;
}

/* Report a missing character once per block origin, not once per use. */
static int already_reported(struct layout *l, uint32_t cp)
{
	if (l->reported_origin != l->origin) {
		l->reported_origin = l->origin;
		l->nreported = 0;
	}
	for (int i = 0; i < l->nreported; i++)
		if (l->reported[i] == cp)
			return 1;
	if (l->nreported < 32)
		l->reported[l->nreported++] = cp;
	return 0;
}

double layout_measure(struct layout *l, enum face face, double size,
    const char **s, size_t *n)
{
	uint32_t missing = 0;
	double w = fonts_text_width(l->fonts, face, size, *s, *n, &missing);
	if (!missing)
		return w;
	/* Report each missing character, then draw '?' in its place. */
	struct buf b;
	buf_init(&b);
	size_t i = 0;
	while (i < *n) {
		uint32_t cp;
		size_t len = utf8_decode(*s + i, *n - i, &cp);
		if (!len) {
			len = 1;
			cp = '?';
		}
		if (fonts_width(l->fonts, face, cp) < 0) {
			if (!already_reported(l, cp)) {
				char shown[8] = "";
				if (cp >= 0x20)
					shown[utf8_encode(cp, shown)] = '\0';
				diag_error(l->doc->diags, l->origin, 0, NULL,
				    "character U+%04X \"%s\" is not in the "
				    "font (face %d); printed as '?'",
				    (unsigned)cp, shown, (int)face);
			}
			buf_addc(&b, '?');
		} else
			buf_add(&b, *s + i, len);
		i += len;
	}
	*n = b.len;
	*s = layout_keep(l, buf_take(&b));
	return fonts_text_width(l->fonts, face, size, *s, *n, NULL);
}

double unit_text(struct layout *l, double x, double y, enum face face,
    double size, uint32_t color, const char *s, size_t n)
{
	if (n > OP_LEN_MAX)
		n = OP_LEN_MAX;	/* never in practice: see struct op */
	double w = layout_measure(l, face, size, &s, &n);
	struct op *o = unit_op(l, OP_TEXT, x, y);
	o->face = (unsigned char)face;
	o->size = (float)size;
	o->color = color;
	o->text = s;
	o->len = (uint32_t)n;
	o->w = (float)w;
	return w;
}

static void add_dest(struct layout *l, const char *anchor)
{
	struct op *o = unit_op(l, OP_DEST, l->margin, 0);
	o->ref = layout_anchor_doc(l, anchor);
}

/* A one-span paragraph over a string (not copied). */
static struct para para_of(const char *text, int align, struct span *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->kind = SPAN_TEXT;
	sp->text = (char *)text;
	return (struct para){ .spans = sp, .n = 1, .cap = 1, .align = align };
}

/* Lines of a paragraph as units, all kept with the next (headings,
 * captions above a figure). The first unit gets the anchor. */
static void kept_lines(struct layout *l, const struct para *p, enum face face,
    double size, double leading, double space_before, const char *anchor,
    int keep_last)
{
	struct line_ops lo;
	layout_para_lines(l, p, l->margin, layout_body_width(l), face, size,
	    leading, &lo);
	for (size_t k = 0; k < lo.nlines; k++) {
		unit_begin(l, k == 0 ? space_before : 0);
		if (k == 0 && anchor)
			add_dest(l, anchor);
		size_t first = lo.line_first[k], n = lo.line_first[k + 1] - first;
		struct op *o = unit_ops(l, lo.ops + first, n);
		for (size_t i = 0; i < n; i++)
			o[i].y -= (float)(k * leading);
		unit_end(l, leading, k + 1 < lo.nlines || keep_last);
	}
	line_ops_free(&lo);
}

static void add_outline(struct layout *l, int level, const char *title,
    const char *anchor)
{
	if (l->noutline == l->capoutline) {
		l->capoutline = l->capoutline ? l->capoutline * 2 : 32;
		l->outline = xreallocarray(l->outline, l->capoutline,
		    sizeof *l->outline);
	}
	l->outline[l->noutline++] = (struct outline_entry){ level, title,
	    layout_anchor_doc(l, anchor) };
}

static void layout_heading(struct layout *l, const struct block *b)
{
	int lv = b->level - 1;
	double size = heading_size[lv];
	struct span sp;
	struct para p = para_of(b->text, ALIGN_LEFT, &sp);
	kept_lines(l, &p, FACE_SANS_BOLD, size, size * 1.3, heading_space[lv],
	    b->anchor, 1);
	/* A small gap (with a rule under a chapter) before the text. */
	unit_begin(l, 0);
	if (b->level == 1) {
		struct op *o = unit_op(l, OP_LINE, l->margin, 1);
		o->w = (float)layout_body_width(l);
		o->size = 0.6f;
		o->color = COLOR_RULE;
	}
	unit_end(l, b->level == 1 ? 8 : b->level == 4 ? 2 : 4, 1);
	if (b->level == 4)
		return;	/* a run-in heading: no outline entry */
	if (l->noutline == l->capoutline) {
		l->capoutline = l->capoutline ? l->capoutline * 2 : 32;
		l->outline = xreallocarray(l->outline, l->capoutline,
		    sizeof *l->outline);
	}
	add_outline(l, b->level, b->text, b->anchor);
}

static void layout_title(struct layout *l, const struct block *b)
{
	struct span sp;
	struct para p = para_of(b->text, ALIGN_CENTER, &sp);
	unit_begin(l, 0);
	unit_end(l, layout_body_height(l) * 0.28, 1);
	kept_lines(l, &p, FACE_SANS_BOLD, 24, 32, 0, NULL, 1);
	if (b->para.n) {
		struct span sp2;
		struct para p2 = para_of(b->para.spans[0].text, ALIGN_CENTER, &sp2);
		kept_lines(l, &p2, FACE_SANS, 14, 20, 14, NULL, 0);
	}
}

static void layout_caption(struct layout *l, const char *text, double space,
    int keep)
{
	struct span sp;
	struct para p = para_of(text, ALIGN_LEFT, &sp);
	sp.style = STYLE_ITALIC;
	kept_lines(l, &p, FACE_SERIF, CAPTION_SIZE, CAPTION_SIZE * 1.3, space,
	    NULL, keep);
}

static void layout_kv(struct layout *l, const struct block *b)
{
	double size = l->doc->opt.body_size, leading = size * 1.3;
	double bw = layout_body_width(l);
	double keyw = 0;
	for (size_t i = 0; i < b->nkv; i++) {
		const char *s = b->kv[i].key;
		size_t n = strlen(s);
		double w = layout_measure(l, FACE_SERIF_BOLD, size, &s, &n);
		if (w > keyw)
			keyw = w;
	}
	keyw += 12;
	if (keyw > bw * 0.35)
		keyw = bw * 0.35;
	for (size_t i = 0; i < b->nkv; i++) {
		struct span sp;
		struct para kp = para_of(b->kv[i].key, ALIGN_LEFT, &sp);
		sp.style = STYLE_BOLD;
		struct line_ops klo, vlo;
		layout_para_lines(l, &kp, l->margin, keyw - 8, FACE_SERIF, size,
		    leading, &klo);
		layout_para_lines(l, &b->kv[i].value, l->margin + keyw,
		    bw - keyw, FACE_SERIF, size, leading, &vlo);
		unit_begin(l, i == 0 ? PARA_SPACE : 2);
		for (size_t k = 0; k < b->kv[i].nterms; k++)
			add_dest(l, b->kv[i].term_anchors[k]);
		unit_ops(l, klo.ops, klo.n);
		unit_ops(l, vlo.ops, vlo.n);
		double h = klo.height > vlo.height ? klo.height : vlo.height;
		unit_end(l, h, 0);
		line_ops_free(&klo);
		line_ops_free(&vlo);
	}
}

/* End of the visual line starting at pos: per_line characters
 * (monospaced), moved back to just after a space near the end when
 * there is one, so words stay whole; the text itself is never changed. */
static size_t log_cut(const char *s, size_t n, size_t pos, size_t per_line)
{
	size_t end = pos, chars = 0;
	while (end < n && chars < per_line) {
		uint32_t cp;
		size_t len = utf8_decode(s + end, n - end, &cp);
		end += len ? len : 1;
		chars++;
	}
	if (end < n && s[end] != ' ') {
		size_t back = end;
		while (back > pos && s[back - 1] != ' ' && end - back < per_line / 4)
			back--;
		if (back > pos && s[back - 1] == ' ')
			end = back;
	}
	return end;
}

static void layout_log(struct layout *l, const struct block *b)
{
	double size = LOG_SIZE, leading = size * 1.28;
	double cw = fonts_width(l->fonts, FACE_MONO, '0') * size / 1000.0;
	long maxno = 1;
	for (size_t i = 0; i < b->nlog; i++)
		if (b->log_numbers[i] > maxno)
			maxno = b->log_numbers[i];
	int digits = snprintf(NULL, 0, "%ld", maxno);
	double gutter = (digits + 2) * cw;
	double bw = layout_body_width(l);
	size_t per_line = (size_t)((bw - gutter - 6) / cw);
	if (per_line < 10)
		per_line = 10;
	if (b->text)
		layout_caption(l, b->text, PARA_SPACE * 1.5, 1);
	/* Count the visual lines first, for widow/orphan links. */
	size_t total = 0, done = 0;
	for (size_t i = 0; i < b->nlog; i++) {
		const char *s = b->log_lines[i];
		size_t n = strlen(s), pos = 0;
		do {
			pos = log_cut(s, n, pos, per_line);
			total++;
		} while (pos < n);
	}
	for (size_t i = 0; i < b->nlog; i++) {
		const char *s = b->log_lines[i];
		size_t n = strlen(s);
		size_t pos = 0;
		int first = 1;
		do {
			size_t end = log_cut(s, n, pos, per_line);
			unit_begin(l, done == 0 ? 4 : 0);
			struct op *bg = unit_op(l, OP_RECT, l->margin, 0);
			bg->w = (float)bw;
			bg->h = (float)leading;
			bg->color = 0xF2F2F2;
			double base = leading * 0.75;
			if (first) {
				char *num = xasprintf("%*ld", digits,
				    b->log_numbers[i]);
				unit_text(l, l->margin + cw * 0.5, base, FACE_MONO,
				    size, COLOR_GREY, layout_keep(l, num),
				    strlen(num));
			}
			if (end > pos)
				unit_text(l, l->margin + gutter, base, FACE_MONO,
				    size, COLOR_TEXT, s + pos, end - pos);
			done++;
			unit_end(l, leading, done == 1 || done + 1 == total);
			pos = end;
			first = 0;
		} while (pos < n);
	}
}

static void layout_image(struct layout *l, const struct block *b)
{
	const struct image *img = b->image;
	double bw = layout_body_width(l), maxh = layout_body_height(l) * 0.6;
	/* Fit the body width and 60 % of its height; small images are
	 * enlarged at most 3 points per pixel so they do not blur. */
	double scale = bw / img->width;
	if (img->height * scale > maxh)
		scale = maxh / img->height;
	if (scale > 3)
		scale = 3;
	double w = img->width * scale, h = img->height * scale;
	l->images = xreallocarray(l->images, l->nimages + 1, sizeof *l->images);
	l->images[l->nimages] = (struct image *)img;
	unit_begin(l, PARA_SPACE * 2);
	struct op *o = unit_op(l, OP_IMAGE, l->margin + (bw - w) / 2, 0);
	o->w = (float)w;
	o->h = (float)h;
	o->ref = (int32_t)l->nimages++;
	unit_end(l, h, b->text != NULL);
	if (b->text)
		layout_caption(l, b->text, 4, 0);
}

static void layout_contents(struct layout *l)
{
	struct doc *d = l->doc;
	double size = d->opt.body_size, leading = size * 1.45;
	double bw = layout_body_width(l);
	const char *title = d->opt.lang == LANG_FR ? "Sommaire" : "Contents";
	struct span sp;
	struct para p = para_of(title, ALIGN_LEFT, &sp);
	kept_lines(l, &p, FACE_SANS_BOLD, heading_size[0], heading_size[0] * 1.3,
	    0, NULL, 1);
	unit_begin(l, 0);
	unit_end(l, 8, 1);
	double numw = fonts_text_width(l->fonts, FACE_SERIF, size, "0000", 4,
	    NULL);
	double dotw = fonts_text_width(l->fonts, FACE_SERIF, size, ". ", 2, NULL);
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct block *b = &d->blocks[i];
		int level = b->kind == BLOCK_PDF ? 2 : b->level;
		if (b->kind == BLOCK_PDF ? !b->text || !b->anchor :
		    b->kind != BLOCK_HEADING || b->level > 2)
			continue;
		double indent = (level - 1) * 16;
		struct span esp;
		struct para ep = para_of(b->text, ALIGN_LEFT, &esp);
		esp.kind = SPAN_LINK;
		esp.anchor = b->anchor;
		esp.style = level == 1 ? STYLE_BOLD : STYLE_REGULAR;
		struct line_ops lo;
		double x = l->margin + indent;
		layout_para_lines(l, &ep, x, bw - indent - numw - 12, FACE_SERIF,
		    size, leading, &lo);
		unit_begin(l, level == 1 ? 4 : 0);
		double endx = x;
		for (size_t k = 0; k < lo.n; k++) {
			struct op *o = unit_op(l, OP_TEXT, 0, 0);
			*o = lo.ops[k];
			if (o->kind == OP_TEXT) {
				o->color = COLOR_TEXT;
				if (k >= lo.line_first[lo.nlines - 1]) {
					const char *s = o->text;
					size_t n = o->len;
					double e = o->x + fonts_text_width(l->fonts,
					    o->face, o->size, s, n, NULL);
					if (e > endx)
						endx = e;
				}
			}
		}
		/* Dot leaders from the title to the page number. */
		double last_y = (lo.nlines - 1) * leading + leading * 0.78;
		double right = l->margin + bw;
		double from = endx + dotw * 0.6, to = right - numw - 4;
		if (to > from) {
			size_t ndots = (size_t)((to - from) / dotw);
			struct buf db;
			buf_init(&db);
			for (size_t k = 0; k < ndots; k++)
				buf_adds(&db, ". ");
			const char *s = layout_keep(l, buf_take(&db));
			unit_text(l, to - ndots * dotw, last_y, FACE_SERIF, size,
			    COLOR_GREY, s, strlen(s));
		}
		struct op *pr = unit_op(l, OP_PAGEREF, right - numw, last_y);
		pr->w = (float)numw;
		pr->face = level == 1 ? FACE_SERIF_BOLD : FACE_SERIF;
		pr->size = (float)size;
		pr->align = ALIGN_RIGHT;
		int ref = pr->ref = layout_anchor_doc(l, b->anchor);
		/* the number is a link too (the title already is); not
		 * pr->ref below: the next op may move the ops (realloc) */
		struct op *lk = unit_op(l, OP_LINK, right - numw, last_y - size);
		lk->w = (float)numw;
		lk->h = (float)(size * 1.25);
		lk->ref = ref;
		unit_end(l, lo.height, 0);
		line_ops_free(&lo);
	}
}

/* An imported PDF: one page of its own per imported page, at the size
 * the page is displayed (see doc_pdf_pages). */
static void layout_pdf(struct layout *l, const struct block *b)
{
	int n = b->npdf_pages;
	for (int k = 0; k < n; k++) {
		const struct doc_pdf_page *bx = &b->pdf_pages[k];
		double w = bx->x1 - bx->x0, h = bx->y1 - bx->y0;
		if (bx->rotate == 90 || bx->rotate == 270) {
			double t = w;
			w = h;
			h = t;
		}
		/* Room for the bands and a readable page. */
		if (w < 144)
			w = 144;
		if (h < 144)
			h = 144;
		unit_begin(l, 0);
		if (k == 0 && b->anchor) {
			struct op *o = unit_op(l, OP_DEST, 0, h - 4);
			o->ref = layout_anchor_doc(l, b->anchor);
		}
		if (k == n - 1 && b->anchor) {
			char *last = xasprintf("%s-last", b->anchor);
			struct op *o = unit_op(l, OP_DEST, 0, h - 4);
			o->ref = layout_anchor(l, last);
			free(last);
		}
		char *st = xasprintf("%s \xE2\x80\x94 page %d/%d",
		    b->pdf_stamp ? b->pdf_stamp : "", k + 1, n);
		struct op *so = unit_op(l, OP_STAMP, PDF_BAND_SIDE, 0);
		so->text = layout_keep(l, st);
		so->len = (uint32_t)strlen(st);
		l->imports = xreallocarray(l->imports, l->nimports + 1,
		    sizeof *l->imports);
		l->imports[l->nimports] = (struct pdf_import){ b->pdf_path, k,
		    *bx, -1 };
		if (k == 0 && b->text && b->anchor) {
			l->imports[l->nimports].outline = (int)l->noutline;
			add_outline(l, 2, b->text, b->anchor);
		}
		struct op *po = unit_op(l, OP_PDFPAGE, PDF_BAND_SIDE,
		    PDF_BAND_BOTTOM);
		po->w = (float)(w - 2 * PDF_BAND_SIDE);
		po->h = (float)(h - PDF_BAND_TOP - PDF_BAND_BOTTOM);
		po->ref = (int32_t)l->nimports++;
		unit_end_page(l, w, h);
	}
}

void layout_block(struct layout *l, const struct block *b)
{
	double size = l->doc->opt.body_size;
	l->origin = b->origin;
	if (b->anchor && b->kind != BLOCK_HEADING && b->kind != BLOCK_ANCHOR &&
	    b->kind != BLOCK_TABLE && b->kind != BLOCK_PDF) {
		unit_begin(l, 0);
		add_dest(l, b->anchor);
		unit_end(l, 0, 1);
	}
	switch (b->kind) {
	case BLOCK_HEADING:
		layout_heading(l, b);
		break;
	case BLOCK_TITLE:
		layout_title(l, b);
		break;
	case BLOCK_PARAGRAPH:
		layout_paragraph(l, &b->para, l->margin, layout_body_width(l),
		    FACE_SERIF, size, size * 1.3, PARA_SPACE);
		break;
	case BLOCK_KEYVALUE:
		layout_kv(l, b);
		break;
	case BLOCK_TABLE:
		layout_table(l, b);
		break;
	case BLOCK_IMAGE:
		layout_image(l, b);
		break;
	case BLOCK_LOG:
		layout_log(l, b);
		break;
	case BLOCK_BAR_CHART:
		layout_bar_chart(l, b);
		break;
	case BLOCK_TIMELINE:
		layout_timeline(l, b);
		break;
	case BLOCK_PAGE_BREAK:
		unit_page_break(l);
		break;
	case BLOCK_ANCHOR:
		unit_begin(l, 0);
		add_dest(l, b->anchor);
		unit_end(l, 0, 1);
		break;
	case BLOCK_STAMP: {
		unit_begin(l, 0);
		struct op *o = unit_op(l, OP_STAMP, l->margin, 0);
		o->text = b->text;
		size_t len = b->text ? strlen(b->text) : 0;
		o->len = (uint32_t)(len < OP_LEN_MAX ? len : OP_LEN_MAX);
		unit_end(l, 0, 1);
		break;
	}
	case BLOCK_CONTENTS:
		layout_contents(l);
		break;
	case BLOCK_INDEX:
		layout_index(l);
		break;
	case BLOCK_PDF:
		layout_pdf(l, b);
		break;
	}
}

/* What every layout of d starts from, whether it lays out the whole doc
 * (layout_once) or a chunk of it on another thread (chunk.c). */
void layout_init(struct layout *l, struct doc *d, struct fonts *fonts,
    const struct layout *prev, struct para_memo *memo,
    struct anchor_names *names)
{
	l->doc = d;
	l->fonts = fonts;
	l->prev = prev;
	l->anchors_hint = prev ? prev->nanchors : 0;
	l->memo = memo;
	l->names = names;
	if (d->opt.paper == PAPER_LETTER) {
		l->page_w = 612;
		l->page_h = 792;
	} else {
		l->page_w = 210 * MM;
		l->page_h = 297 * MM;
	}
	l->margin = d->opt.margin_mm * MM;
	l->body_top = l->page_h - l->margin;
	l->body_bottom = l->margin;
}

struct layout *layout_pass_new(struct doc *d, struct fonts *fonts,
    struct layout *prev, struct para_memo *memo,
    struct anchor_names *names, int draft)
{
	struct layout *l = xcalloc(1, sizeof *l);
	layout_init(l, d, fonts, prev, memo, names);
	l->draft = draft;
	if (prev) {	/* its arrays, see flow_keep_arrays */
		l->spare = prev->spare;
		prev->spare = NULL;
	}
	return l;
}

/* Once all the blocks' units are made (chunks: merged, chunk.h). */
void layout_end(struct layout *l)
{
	l->origin = "layout";
	flow_paginate(l);
	flow_free(l);
	para_buffers_free(l);
	for (size_t i = 0; i < l->nanchors; i++)
		if (!l->anchors[i].defined)
			diag_error(l->doc->diags, "layout", 0, NULL,
			    "link or page reference to unknown anchor \"%s\"",
			    l->anchors[i].name);
	l->prev = NULL;
	l->memo = NULL;
}

int layout_drafts = 1;
/* 10 MB of ops: a dossier of about 500 pages. */
size_t layout_draft_second_ops = 256 * 1024;

struct layout *layout_once(struct doc *d, struct fonts *fonts,
    struct layout *prev, struct para_memo *memo,
    struct anchor_names *names, int report, int draft, int release)
{
	struct layout *l = layout_pass_new(d, fonts, prev, memo, names, draft);
	/* Problems are reported by the first pass only (layout_run). */
	struct diag_list quiet;
	struct diag_list *diags = d->diags;
	diag_init(&quiet);
	if (!report)
		d->diags = &quiet;
	l->hyph[d->opt.lang] = hyph_open(d->opt.lang);
	if (!l->hyph[d->opt.lang])
		diag_warn(d->diags, "layout", 0, NULL,
		    "hyphenation dictionary missing; text is not hyphenated");
	for (size_t i = 0; i < d->nblocks; i++) {
		/* The pass expected to be the last lets the memo go as it
		 * goes (layout_run). */
		memo_doc_block(memo, i, release);
		layout_block(l, &d->blocks[i]);
	}
	layout_end(l);
	d->diags = diags;
	diag_free(&quiet);
	return l;
}

void layout_free(struct layout *l)
{
	if (!l)
		return;
	free(l->ops.v);
	free(l->placed);
	free(l->pages);
	layout_anchors_free(l);
	free(l->outline);
	free(l->images);
	free(l->imports);
	for (size_t i = 0; i < l->nstrings; i++)
		free(l->strings[i]);
	free(l->strings);
	for (int i = 0; i < 2; i++)
		hyph_close(l->hyph[i]);
	flow_free(l);
	flow_spare_free(l);
	para_buffers_free(l);
	free(l);
}
