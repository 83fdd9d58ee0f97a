/*
 * test_chunk.c - a layout pass cut into chunks, laid out on one or two
 * threads and merged (layout/chunk.h), gives exactly the layout of the
 * single-threaded pass: same pages, anchors, outline, imported pages,
 * images, every op of every page, the same problems reported in the same
 * order, and the same glyphs marked for the font subsets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/chunk.h"
#include "layout/doc.h"
#include "layout/flow_int.h"
#include "layout/fonts.h"
#include "layout/layout.h"
#include "util/xalloc.h"

#define PNG "fixtures/amen-2005/exhibits/capture-erreur-503-2005-04-12.png"

static const char *words[] = {
	"disponibilité", "hébergement", "interruption", "supervision",
	"contractuelle", "infrastructure", "prestataire", "maintenance",
	"dégradation", "journaux", "serveur", "mesurée", "période", "objectif",
};

/* A sentence of n words (varied by seed), kept by the caller. */
static char *sentence(unsigned seed, int n)
{
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf_adds(&b, words[(seed >> 16) % (sizeof words / sizeof *words)]);
		buf_adds(&b, i + 1 < n ? (i % 9 == 8 ? ", " : " ") : ".");
	}
	return buf_take(&b);
}

/*
 * Every kind of block, with what a chunk numbers on its own: links and
 * page references forward and backward, tables next to each other and
 * to headings, images, imported PDF pages with outline entries, index
 * terms of both kinds and the index (terms 1: at the end, 2: first; 0:
 * none), a character no font has and a link to an anchor nobody defines
 * (both reported).
 */
static struct doc *rich_doc(enum lang lang, enum paper paper, int sections,
    int terms)
{
	struct doc_options opt = { .lang = lang, .paper = paper,
		.header = "RG 05/01234", .first_page_plain = 1 };
	struct doc *d = doc_new(&opt);
	doc_title(d, "Dossier technique", "Amen c/ Hébergeur");
	doc_page_break(d);
	doc_contents(d);
	doc_page_break(d);
	if (terms == 2) {
		/* The index first: it names the anchors of the terms before
		 * their blocks do, and lists fewer of them once their pages
		 * are known (one per page), so the ids of every later chunk
		 * change from pass to pass (merge.c's map_anchors). */
		doc_heading(d, 1, "Index", "index");
		doc_index(d);
		doc_page_break(d);
	}
	for (int s = 0; s < sections; s++) {
		char a[32], next[32], prevs[32], tab[32], pdfa[32], h[64];
		snprintf(a, sizeof a, "sec-%d", s);
		snprintf(next, sizeof next, "sec-%d", s + 1 < sections ? s + 1 : 0);
		snprintf(prevs, sizeof prevs, "sec-%d", s ? s - 1 : 0);
		snprintf(tab, sizeof tab, "tab-%d", s);
		snprintf(pdfa, sizeof pdfa, "pdf-%d", s);
		snprintf(h, sizeof h, "Section %d", s + 1);
		doc_origin(d, "section-%d.csv", s);
		doc_stamp(d, s % 2 ? h : NULL);
		doc_heading(d, 1, h, a);
		struct para *p = doc_paragraph(d);
		char *t = sentence((unsigned)s, 40);
		para_text(d, p, STYLE_REGULAR, t);
		free(t);
		para_link(d, p, "la section suivante", next);
		para_text(d, p, STYLE_ITALIC, " (voir page ");
		para_pageref(d, p, next);
		para_text(d, p, STYLE_REGULAR, ", et la précédente page ");
		para_pageref(d, p, prevs);
		para_text(d, p, STYLE_BOLD, " ; le tableau page ");
		para_pageref(d, p, tab);
		para_text(d, p, STYLE_REGULAR, ").");
		for (int k = 0; terms && k < 1 + (terms == 2) * 3; k++)
			doc_index_term(d, s % 3 ? "disponibilité" :
			    "Hébergement");
		doc_heading(d, 2, "Faits", NULL);
		for (int k = 0; k < 3 + s % 4; k++) {
			char *u = sentence((unsigned)(s * 31 + k), 25 + 17 * k);
			doc_text(d, u);
			free(u);
		}
		doc_kv(d, "Client", "Boutique du Marais");
		if (terms)
			doc_kv_index_term(d, "client");
		doc_kv(d, "Contrat", "Hébergement mutualisé « Pro » à 99,9 %");
		if (terms)
			doc_kv_index_term(d, s % 2 ? "contrat" : "Contrat");
		/* two tables in a row, the first long enough to span pages */
		struct table *tb = doc_table(d, 3, 1, "Interruptions", tab);
		const char *hdr[3] = { "Numéro", "Date", "Cause" };
		table_row(d, tb, hdr);
		for (int r = 0; r < 30 + 11 * s; r++) {
			char no[32];
			snprintf(no, sizeof no, "R%d-%d", s, r);
			char *cause = sentence((unsigned)(r + s), 2 + r % 9);
			const char *row[3] = { no, "2005-04-12", cause };
			table_row(d, tb, row);
			free(cause);
		}
		table_align(tb, 0, ALIGN_RIGHT);
		struct table *tc = doc_table(d, 2, 0, NULL, NULL);
		const char *row2[2] = { "Total", "42" };
		table_row(d, tc, row2);
		if (s % 2 == 0)
			assert_int_equal(doc_image_png(d, PNG, "Capture"), 0);
		const char *lines[3] = { "[1113300000] SERVICE ALERT: www;HTTP;"
		    "CRITICAL;HARD;3;HTTP/1.1 503 Service Unavailable",
		    "[1113300060] HOST ALERT: web1;DOWN;HARD;1;PING CRITICAL",
		    "[1113300120] SERVICE ALERT: www;HTTP;OK;HARD;1;HTTP OK" };
		const long nums[3] = { 10 + s, 11 + s, 1000 + s };
		doc_log(d, "Journal de supervision", lines, nums, 3);
		struct chart_bar bars[5] = { { "11/04", 99.9 }, { "12/04", 97.1 },
			{ "13/04", 100 }, { "14/04", 98.5 }, { "15/04", 99.95 } };
		doc_bar_chart(d, "Disponibilité quotidienne", bars, 5, 99.9, 95);
		struct timeline_seg segs[2] = { { 1113300000, 1113303600, 2 },
			{ 1113310000, 1113320000, 1 } };
		doc_timeline(d, "Chronologie", 1113290000, 1113390000, segs, 2);
		if (s == 0) {	/* U+65E5, reported before U+4E2D */
			doc_text(d, "Un autre \xE6\x97\xA5 absent.");
			/* reported again: once per block (each has its
			 * origin string), whichever chunk it falls in */
			doc_text(d, "Encore \xE6\x97\xA5, d\xC3\xA9j\xC3\xA0 signal\xC3\xA9.");
		}
		if (s == 2) {
			/* U+4E2D: in no font; reported, printed '?' */
			doc_text(d, "Un caractère \xE4\xB8\xAD absent.");
			struct para *q = doc_paragraph(d);
			para_link(d, q, "lien perdu", "nulle-part");
		}
		if (s % 3 == 1) {
			struct doc_pdf_page pg[2] = { { 0, 0, 595, 842, 0 },
				{ 0, 0, 842, 595, 90 } };
			doc_pdf_pages(d, "exhibit.pdf", pg, 2, "Pièce n° 3", h,
			    pdfa);
		}
		doc_anchor(d, "fin");
		doc_page_break(d);
	}
	if (terms == 1) {
		doc_heading(d, 1, "Index", "index");
		doc_index(d);
	}
	return d;
}

/* A layout of d with its own fonts (and libharu doc) and diag list. */
struct run {
	HPDF_Doc pdf;
	struct fonts fonts;
	struct diag_list diags;
	struct layout *l;
};

static void run_layout(struct run *r, struct doc *d, int threads,
    size_t chunks)
{
	r->pdf = HPDF_New(NULL, NULL);
	assert_non_null(r->pdf);
	assert_int_equal(HPDF_UseUTFEncodings(r->pdf), HPDF_OK);
	char err[256];
	assert_int_equal(fonts_open(&r->fonts, r->pdf, err, sizeof err), 0);
	diag_init(&r->diags);
	doc_set_diags(d, &r->diags);
	r->l = layout_run_with(d, &r->fonts, threads, chunks);
	doc_set_diags(d, NULL);
}

static void run_free(struct run *r)
{
	layout_free(r->l);
	fonts_close(&r->fonts);
	HPDF_Free(r->pdf);
	diag_free(&r->diags);
}

static void same_op(const struct op *a, const struct op *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->color, b->color);
	assert_int_equal(a->align, b->align);
	assert_int_equal(a->dash, b->dash);
	assert_int_equal(a->face, b->face);
	assert_true(a->x == b->x && a->y == b->y && a->w == b->w &&
	    a->h == b->h && a->size == b->size);
	assert_int_equal(a->ref, b->ref);
	assert_int_equal(a->len, b->len);
	if (a->len)
		assert_memory_equal(a->text, b->text, a->len);
}

/* Everything render and finish read from a layout, and the fonts. */
static void same_layout(const struct run *x, const struct run *y)
{
	const struct layout *a = x->l, *b = y->l;
	assert_int_equal(a->npages, b->npages);
	assert_int_equal(a->has_pagerefs, b->has_pagerefs);
	struct op_list pa = { 0 }, pb = { 0 };
	for (size_t pg = 0; pg < a->npages; pg++) {
		assert_true(a->pages[pg].w == b->pages[pg].w &&
		    a->pages[pg].h == b->pages[pg].h);
		layout_page_ops(a, pg, &pa);
		layout_page_ops(b, pg, &pb);
		assert_int_equal(pa.n, pb.n);
		for (size_t i = 0; i < pa.n; i++)
			same_op(&pa.v[i], &pb.v[i]);
	}
	free(pa.v);
	free(pb.v);
	assert_int_equal(a->nanchors, b->nanchors);
	for (size_t i = 0; i < a->nanchors; i++) {
		assert_string_equal(a->anchors[i].name, b->anchors[i].name);
		assert_int_equal(a->anchors[i].page, b->anchors[i].page);
		assert_true(a->anchors[i].y == b->anchors[i].y);
		assert_int_equal(a->anchors[i].defined, b->anchors[i].defined);
	}
	assert_int_equal(a->noutline, b->noutline);
	for (size_t i = 0; i < a->noutline; i++) {
		assert_int_equal(a->outline[i].level, b->outline[i].level);
		assert_ptr_equal(a->outline[i].title, b->outline[i].title);
		assert_int_equal(a->outline[i].anchor, b->outline[i].anchor);
	}
	assert_int_equal(a->nimages, b->nimages);
	for (size_t i = 0; i < a->nimages; i++)
		assert_ptr_equal(a->images[i], b->images[i]);
	assert_int_equal(a->nimports, b->nimports);
	for (size_t i = 0; i < a->nimports; i++) {
		assert_ptr_equal(a->imports[i].path, b->imports[i].path);
		assert_int_equal(a->imports[i].page, b->imports[i].page);
		assert_int_equal(a->imports[i].outline, b->imports[i].outline);
		const struct doc_pdf_page *ba = &a->imports[i].box;
		const struct doc_pdf_page *bb = &b->imports[i].box;
		assert_true(ba->x0 == bb->x0 && ba->y0 == bb->y0 &&
		    ba->x1 == bb->x1 && ba->y1 == bb->y1);
		assert_int_equal(ba->rotate, bb->rotate);
	}
	/* the same problems, in the same order */
	assert_int_equal(x->diags.len, y->diags.len);
	for (size_t i = 0; i < x->diags.len; i++) {
		const struct diag *g = &x->diags.items[i], *h = &y->diags.items[i];
		assert_int_equal(g->severity, h->severity);
		assert_string_equal(g->file, h->file);
		assert_int_equal(g->line, h->line);
		assert_string_equal(g->message, h->message);
	}
	/* the same widths measured, the same glyphs marked for the subsets */
	for (int f = 0; f < FACE_COUNT; f++) {
		for (int r = 0; r < 256; r++) {
			const int16_t *ra = x->fonts.widths[f][r];
			const int16_t *rb = y->fonts.widths[f][r];
			assert_true(!ra == !rb);
			if (ra)
				assert_memory_equal(ra, rb, 256 * sizeof *ra);
		}
		HPDF_TTFontDefAttr ta = x->fonts.def[f]->attr;
		HPDF_TTFontDefAttr tb = y->fonts.def[f]->attr;
		assert_int_equal(ta->num_glyphs, tb->num_glyphs);
		assert_memory_equal(ta->glyph_tbl.flgs, tb->glyph_tbl.flgs,
		    ta->num_glyphs);
	}
}

/* d laid out on one thread, then in 2 to 16 chunks on one, two or three
 * threads, in chunks of a block each, and in 32 chunks on four. */
static void check_doc(struct doc *d)
{
	struct run ref;
	run_layout(&ref, d, 1, 1);
	assert_true(ref.l->npages > 10);
	assert_true(ref.diags.errors >= 3);	/* two characters, one anchor */
	for (size_t chunks = 2; chunks <= 16; chunks++)
		for (int threads = 1; threads <= 3; threads++) {
			struct run r;
			run_layout(&r, d, threads, chunks);
			same_layout(&ref, &r);
			run_free(&r);
		}
	const struct { int threads; size_t chunks; } how[] = {
		{ 1, 1000000 }, { 2, 1000000 }, { 4, 32 },
	};
	for (size_t i = 0; i < sizeof how / sizeof *how; i++) {
		struct run r;
		run_layout(&r, d, how[i].threads, how[i].chunks);
		same_layout(&ref, &r);
		run_free(&r);
	}
	run_free(&ref);
}

static void test_chunks_fr(void **state)
{
	(void)state;
	struct doc *d = rich_doc(LANG_FR, PAPER_A4, 6, 1);
	check_doc(d);
	doc_free(d);
}

static void test_chunks_en_letter(void **state)
{
	(void)state;
	struct doc *d = rich_doc(LANG_EN, PAPER_LETTER, 4, 1);
	check_doc(d);
	doc_free(d);
}

static void test_chunks_index_first(void **state)
{
	(void)state;
	struct doc *d = rich_doc(LANG_FR, PAPER_A4, 5, 2);
	/* Both ways of merging (merge.c) are among those checked here: the
	 * chunks' units and ops renumbered where they were made, in the
	 * merged arrays (a pass that makes as many as the one before), and
	 * copied out of the windows lent to them (a pass whose page numbers
	 * moved its lines). */
	size_t in_place = chunk_merges_in_place;
	size_t copied = chunk_merges_copied;
	check_doc(d);
	assert_true(chunk_merges_in_place > in_place);
	assert_true(chunk_merges_copied > copied);
	doc_free(d);
}

/* An index with no term after page references: layout_index sets
 * has_pagerefs to 0, and a single thread does one pass (merge.c must
 * not just or the chunks' flags). */
static void test_chunks_empty_index(void **state)
{
	(void)state;
	struct doc *d = rich_doc(LANG_FR, PAPER_A4, 3, 0);
	doc_heading(d, 1, "Index", "index");
	doc_index(d);
	doc_text(d, "Fin.");
	struct run ref, r;
	run_layout(&ref, d, 1, 1);
	run_layout(&r, d, 2, 1000000);
	same_layout(&ref, &r);
	run_free(&r);
	run_free(&ref);
	doc_free(d);
}

/* Chunks that are nothing but anchors, page breaks and stamps (units
 * with no ops, or no unit at all). */
static void test_chunks_tiny_blocks(void **state)
{
	(void)state;
	struct doc_options opt = { .lang = LANG_EN };
	struct doc *d = doc_new(&opt);
	doc_page_break(d);
	doc_anchor(d, "a");
	doc_stamp(d, "Exhibit 1");
	doc_text(d, "See page ");
	struct para *p = doc_paragraph(d);
	para_pageref(d, p, "b");
	doc_page_break(d);
	doc_page_break(d);
	doc_anchor(d, "b");
	doc_stamp(d, NULL);
	doc_contents(d);
	struct run ref;
	run_layout(&ref, d, 1, 1);
	for (int t = 1; t <= 2; t++) {
		struct run r;
		run_layout(&r, d, t, 1000000);
		same_layout(&ref, &r);
		run_free(&r);
	}
	run_free(&ref);
	doc_free(d);
}

/* A chunk that makes more units and ops than the windows of the merged
 * arrays lent to it (merge.c) goes on in arrays of its own, with what it
 * had made, and writes nothing past its windows. */
static void test_lent_window_outgrown(void **state)
{
	(void)state;
	struct doc_options opt = { .lang = LANG_EN };
	struct doc *d = doc_new(&opt);
	struct layout l = { 0 };
	layout_init(&l, d, NULL, NULL, NULL, NULL);
	struct unit win_u[8], fill_u;
	struct op win_ops[8], fill_op;
	memset(win_u, 0x5a, sizeof win_u);
	memset(win_ops, 0x5a, sizeof win_ops);
	memset(&fill_u, 0x5a, sizeof fill_u);
	memset(&fill_op, 0x5a, sizeof fill_op);
	struct flow *f = xcalloc(1, sizeof *f);
	f->cur_table = -1;
	f->u = win_u + 2;
	f->cap = 3;
	f->u_lent = 1;
	f->ops.v = win_ops + 2;
	f->ops.cap = 3;
	f->ops_lent = 1;
	l.flow = f;
	for (int i = 0; i < 40; i++) {
		unit_begin(&l, 0);
		unit_op(&l, OP_TEXT, i, 0)->len = 0;
		unit_end(&l, 1, 0);
	}
	assert_false(f->u_lent);
	assert_false(f->ops_lent);
	assert_int_equal(f->n, 40);
	assert_int_equal(f->ops.n, 40);
	for (size_t i = 0; i < 40; i++) {
		assert_int_equal(f->u[i].first, i);
		assert_int_equal(f->u[i].n, 1);
		assert_true(f->ops.v[f->u[i].first].x == (float)i);
	}
	/* the window's first three, nothing around it */
	for (size_t i = 0; i < 8; i++) {
		if (i >= 2 && i < 5) {
			assert_int_equal(win_u[i].first, i - 2);
			assert_true(win_ops[i].x == (float)(i - 2));
		} else {
			assert_memory_equal(&win_u[i], &fill_u, sizeof fill_u);
			assert_memory_equal(&win_ops[i], &fill_op,
			    sizeof fill_op);
		}
	}
	/* its own arrays are freed, not the window (ASan, valgrind) */
	flow_free(&l);
	flow_spare_free(&l);
	doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunks_fr),
		cmocka_unit_test(test_chunks_en_letter),
		cmocka_unit_test(test_chunks_index_first),
		cmocka_unit_test(test_chunks_empty_index),
		cmocka_unit_test(test_chunks_tiny_blocks),
		cmocka_unit_test(test_lent_window_outgrown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
