/*
 * test_render.c - the specimen as poppler and qpdf see it: exact text
 * (accents, no-break spaces), embedded subset fonts with ToUnicode, a
 * clean qpdf --check, no poppler warning, exact page references, and
 * byte-identical output for identical input. Also the image decoder on
 * bad and 16-bit PNG files, and text written as literal strings (the
 * exact bytes of the escapes, and the text readers get back).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <jpeglib.h>	/* after stdio.h: it uses FILE */
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose/specimen.h"
#include "finish/finish.h"
#include "layout/doc.h"
#include "layout/fonts.h"
#include "layout/typo.h"
#include "render/image.h"
#include "render/render.h"
#include "render/textout.h"
#include "util/xalloc.h"

static char dir[] = "/tmp/dossier-test-render-XXXXXX";

/* Run a shell command; stdout returned, stderr into *err (may be NULL). */
static char *run(const char *cmd, char **err, int *status)
{
	char *errfile = xasprintf("%s/stderr.txt", dir);
	char *full = xasprintf("%s 2>%s", cmd, errfile);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	struct buf b;
	buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&b, chunk, n);
	int st = pclose(p);
	if (status)
		*status = st;
	if (err) {
		struct buf e;
		buf_init(&e);
		FILE *f = fopen(errfile, "r");
		if (f) {
			while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
				buf_add(&e, chunk, n);
			fclose(f);
		}
		*err = buf_take(&e);
	}
	free(full);
	free(errfile);
	return buf_take(&b);
}

/* Run and require an empty stderr (poppler prints its warnings there). */
static char *run_quiet(const char *cmd)
{
	char *err;
	int st;
	char *out = run(cmd, &err, &st);
	if (err[0])
		fprintf(stderr, "%s: stderr: %s\n", cmd, err);
	assert_string_equal(err, "");
	assert_int_equal(st, 0);
	free(err);
	return out;
}

static char *pdf_path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* The number a counting command prints (grep -c, ...): fmt holds one %s,
 * the file. */
static int count_in(const char *fmt, const char *file)
{
	char *cmd = xasprintf(fmt, file);
	char *out = run_quiet(cmd);
	int n = atoi(out);
	free(out);
	free(cmd);
	return n;
}

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	setenv("SOURCE_DATE_EPOCH", "1113300000", 1);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf %s", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int page_count(const char *pdf)
{
	char *cmd = xasprintf("pdfinfo %s", pdf);
	char *out = run_quiet(cmd);
	char *p = strstr(out, "Pages:");
	assert_non_null(p);
	int n = atoi(p + 6);
	free(out);
	free(cmd);
	return n;
}

static char *page_text(const char *pdf, int page)
{
	char *cmd = xasprintf("pdftotext -f %d -l %d %s -", page, page, pdf);
	char *out = run_quiet(cmd);
	free(cmd);
	return out;
}

/* First page whose text contains needle, or 0. */
static int find_page(const char *pdf, const char *needle, int from)
{
	int n = page_count(pdf);
	for (int pg = from; pg <= n; pg++) {
		char *t = page_text(pdf, pg);
		int hit = strstr(t, needle) != NULL;
		free(t);
		if (hit)
			return pg;
	}
	return 0;
}

static void check_common(const char *pdf, int min_fonts)
{
	/* qpdf: clean */
	char *cmd = xasprintf("qpdf --check %s", pdf);
	int st;
	char *err;
	char *out = run(cmd, &err, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "No syntax or stream encoding errors"));
	assert_string_equal(err, "");
	free(out);
	free(err);
	free(cmd);
	/* every font embedded, subset, with a ToUnicode map */
	cmd = xasprintf("pdffonts %s", pdf);
	out = run_quiet(cmd);
	int fonts = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "name", 4) == 0 || line[0] == '-')
			continue;
		fonts++;
		assert_non_null(strstr(line, "Liberation"));
		assert_non_null(strstr(line, " yes yes yes "));
		assert_non_null(strchr(line, '+'));	/* subset tag */
	}
	assert_true(fonts >= min_fonts);
	free(out);
	free(cmd);
	/* whole-document text extraction without any warning */
	cmd = xasprintf("pdftotext %s /dev/null", pdf);
	free(run_quiet(cmd));
	free(cmd);
}

static void test_specimen_fr(void **state)
{
	(void)state;
	char *pdf = pdf_path("fr.pdf");
	assert_int_equal(specimen_write(pdf, "fr", "a4"), 0);
	check_common(pdf, 4);
	int pages = page_count(pdf);
	assert_true(pages >= 6);
	char *cmd = xasprintf("pdftotext %s -", pdf);
	char *text = run_quiet(cmd);
	/* accents and typographic apostrophe exactly; poppler prints the
	 * no-break spaces (U+00A0, U+202F) as plain spaces, but they are
	 * there: nothing split "99,9 %" or "« 99,9 % »" across lines. */
	assert_non_null(strstr(text, "disponibilité"));
	assert_non_null(strstr(text, "« 99,9 % »"));
	assert_non_null(strstr(text, "1 250,00 €"));
	assert_non_null(strstr(text, "l’infrastructure"));
	assert_non_null(strstr(text, "incidents ; voir page"));
	assert_non_null(strstr(text, "12 avril 2005"));
	assert_non_null(strstr(text, "1er mars 2005"));
	/* log line numbers are the original ones */
	assert_non_null(strstr(text, "12847"));
	/* cover has no footer; page 2 has "page 2 / N" */
	char *p1 = page_text(pdf, 1);
	assert_null(strstr(p1, "page 1 /"));
	free(p1);
	char *foot = xasprintf("page 2 / %d", pages);
	char *p2 = page_text(pdf, 2);
	assert_non_null(strstr(p2, foot));
	free(p2);
	free(foot);
	/* "voir page N" names the page the incidents table starts on */
	int table_page = find_page(pdf, "Tableau 1 — Incidents relevés", 3);
	assert_true(table_page > 0);
	char *see = xasprintf("voir page %d.", table_page);
	assert_non_null(strstr(text, see));
	free(see);
	/* libharu's broken ToUnicode (begincidrange) is replaced by the
	 * identity bfrange map */
	char *qcmd = xasprintf("qpdf --qdf --object-streams=disable %s - | "
	    "grep -a -c begincidrange || true", pdf);
	char *counts = run_quiet(qcmd);
	assert_string_equal(counts, "0\n");
	free(counts);
	free(qcmd);
	qcmd = xasprintf("qpdf --qdf --object-streams=disable %s - | "
	    "grep -a -c '<4E00> <4EFF> <4E00>'", pdf);
	counts = run_quiet(qcmd);
	assert_true(atoi(counts) >= 4);	/* one map per font */
	free(counts);
	free(qcmd);
	/* the index lists each term's pages once, exactly */
	int summary = find_page(pdf, "Synthèse\n", 3);
	int charts = find_page(pdf, "Graphiques\n", 3);
	assert_true(summary > 0 && charts > summary);
	char *entry = xasprintf("disponibilité, %d, %d\n", summary, charts);
	char *last = page_text(pdf, pages);
	assert_non_null(strstr(last, entry));
	free(last);
	free(entry);
	/* the table continues on the next page, header repeated */
	char *next = page_text(pdf, table_page + 1);
	assert_non_null(strstr(next, "Tableau 1 — Incidents relevés (suite)"));
	assert_non_null(strstr(next, "Cause déclarée"));
	free(next);
	free(text);
	free(cmd);
	free(pdf);
}

static void test_specimen_en_letter(void **state)
{
	(void)state;
	char *pdf = pdf_path("en.pdf");
	assert_int_equal(specimen_write(pdf, "en", "letter"), 0);
	check_common(pdf, 4);
	char *cmd = xasprintf("pdfinfo %s", pdf);
	char *info = run_quiet(cmd);
	assert_non_null(strstr(info, "612 x 792 pts (letter)"));
	assert_non_null(strstr(info, "Title:           Technical dossier"));
	free(info);
	free(cmd);
	cmd = xasprintf("pdftotext %s -", pdf);
	char *text = run_quiet(cmd);
	assert_non_null(strstr(text, "“99.9%”"));
	assert_non_null(strstr(text, "€1,250.00"));
	assert_non_null(strstr(text, "April 12, 2005"));
	assert_non_null(strstr(text, "Table 1 — Recorded incidents (continued)"));
	free(text);
	free(cmd);
	free(pdf);
}

static void test_reproducible(void **state)
{
	(void)state;
	char *a = pdf_path("a.pdf"), *b = pdf_path("b.pdf");
	assert_int_equal(specimen_write(a, "fr", "a4"), 0);
	assert_int_equal(specimen_write(b, "fr", "a4"), 0);
	char *cmd = xasprintf("cmp %s %s", a, b);
	free(run_quiet(cmd));
	free(cmd);
	/* anchors are published as named destinations */
	cmd = xasprintf("qpdf --show-object=1 %s", a);
	char *cat = run_quiet(cmd);
	assert_non_null(strstr(cat, "/Dests "));
	assert_non_null(strstr(cat, "/PageLabels "));
	free(cat);
	free(cmd);
	/* (the /Dests dictionary is an object of its own) */
	cmd = xasprintf("mutool show %s trailer/Root/Dests", a);
	char *dests = run_quiet(cmd);
	assert_non_null(strstr(dests, "/incidents "));
	free(dests);
	free(cmd);
	/* the /ID is there, derived from content */
	cmd = xasprintf("qpdf --show-object=trailer %s", a);
	char *tr = run_quiet(cmd);
	assert_non_null(strstr(tr, "/ID [ <"));
	free(tr);
	free(cmd);
	cmd = xasprintf("pdfinfo %s", a);
	char *info = run_quiet(cmd);
	assert_non_null(strstr(info, "Tue Apr 12"));
	free(info);
	free(cmd);
	/* no temporary file left beside the target */
	cmd = xasprintf("ls %s | grep -c -e raw -e tmp -e png$ || true", dir);
	char *left = run_quiet(cmd);
	assert_string_equal(left, "0\n");
	free(left);
	free(cmd);
	free(a);
	free(b);
}

static void test_png_errors(void **state)
{
	(void)state;
	char err[256];
	char *bad = pdf_path("bad.png");
	FILE *f = fopen(bad, "wb");
	assert_non_null(f);
	/* a PNG signature followed by garbage: libpng errors, we survive */
	fwrite("\x89PNG\r\n\x1a\n\0\0\0\rIHDRgarbage-garbage", 1, 32, f);
	fclose(f);
	assert_null(image_load_png(bad, err, sizeof err));
	assert_non_null(strstr(err, "PNG"));
	assert_null(image_load_png("/nonexistent.png", err, sizeof err));
	assert_null(image_load_jpeg(bad, err, sizeof err));
	/* 16-bit RGBA comes out as 8-bit RGB plus an alpha plane */
	char *deep = pdf_path("deep.png");
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = 20;
	img.height = 10;
	img.format = PNG_FORMAT_LINEAR_RGB_ALPHA;
	uint16_t px[20 * 10 * 4];
	for (int i = 0; i < 200; i++) {
		px[i * 4] = 65535;
		px[i * 4 + 1] = 0;
		px[i * 4 + 2] = 0;
		px[i * 4 + 3] = i < 100 ? 65535 : 0;
	}
	assert_true(png_image_write_to_file(&img, deep, 0, px, 0, NULL));
	struct image *im = image_load_png(deep, err, sizeof err);
	assert_non_null(im);
	assert_int_equal(im->width, 20);
	assert_int_equal(im->channels, 3);
	assert_non_null(im->alpha);
	assert_int_equal(im->alpha[0], 255);
	assert_int_equal(im->alpha[199], 0);
	image_free(im);
	/* a document with a broken image reports it with its origin */
	struct doc_options opt = { .lang = LANG_EN };
	struct doc *d = doc_new(&opt);
	doc_origin(d, "exhibits.csv:7");
	assert_int_equal(doc_image_png(d, bad, "x"), -1);
	assert_int_equal(doc_errors(d), 1);
	assert_string_equal(d->diags->items[0].file, "exhibits.csv:7");
	doc_free(d);
	free(bad);
	free(deep);
}

static void write_jpeg(const char *path)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = 40;
	c.image_height = 30;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_start_compress(&c, TRUE);
	unsigned char row[40 * 3];
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < 40; x++) {
			row[x * 3] = (unsigned char)(x * 6);
			row[x * 3 + 1] = (unsigned char)(c.next_scanline * 8);
			row[x * 3 + 2] = 128;
		}
		JSAMPROW rp = row;
		jpeg_write_scanlines(&c, &rp, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(f);
}

static void test_images_in_pdf(void **state)
{
	(void)state;
	char *png = pdf_path("pic.png"), *jpg = pdf_path("pic.jpg");
	char *pdf = pdf_path("images.pdf");
	assert_int_equal(specimen_make_png(png), 0);
	write_jpeg(jpg);
	struct doc_options opt = { .lang = LANG_EN, .date = 1113300000 };
	struct doc *d = doc_new(&opt);
	doc_heading(d, 1, "Exhibits", NULL);
	assert_int_equal(doc_image_png(d, png, "PNG with alpha"), 0);
	assert_int_equal(doc_image_jpeg(d, jpg, "JPEG"), 0);
	assert_int_equal(doc_write_pdf(d, pdf, NULL), 0);
	assert_int_equal(doc_errors(d), 0);
	doc_free(d);
	check_common(pdf, 1);
	char *cmd = xasprintf("pdfimages -list %s", pdf);
	char *out = run_quiet(cmd);
	/* the PNG, its soft mask, and the JPEG embedded as DCT */
	assert_non_null(strstr(out, "smask"));
	assert_non_null(strstr(out, "jpeg"));
	assert_non_null(strstr(out, "   96    64 "));
	assert_non_null(strstr(out, "   40    30 "));
	free(out);
	free(cmd);
	free(png);
	free(jpg);
	free(pdf);
}

/* A small document with a picture, a link and a page reference; word
 * changes its glyphs. Written with doc_write_pdf; 0 or -1, with its
 * render stats in *rs. jpg, when not NULL, is embedded as a JPEG. */
static int write_small(const char *path, const char *word, const char *jpg,
    struct render_stats *rs)
{
	struct doc_options opt = { .lang = LANG_FR, .date = 1113300000,
	    .title = "Petit", .header = "RG 05/01234" };
	struct doc *d = doc_new(&opt);
	doc_heading(d, 1, "Pièces", "pieces");
	struct para *p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "Le serveur était ");
	para_text(d, p, STYLE_BOLD, word);
	para_text(d, p, STYLE_REGULAR, " ; voir page ");
	para_pageref(d, p, "pieces");
	para_link(d, p, " (lien)", "pieces");
	if (jpg)
		assert_int_equal(doc_image_jpeg(d, jpg, "JPEG"), 0);
	memset(rs, 0, sizeof *rs);
	int rc = doc_write_pdf(d, path, rs);
	doc_free(d);
	return rc;
}

static void assert_same_file(const char *a, const char *b)
{
	char *cmd = xasprintf("cmp %s %s", a, b);
	free(run_quiet(cmd));
	free(cmd);
}

/*
 * The libharu handle kept from one document to the next (render.c):
 * a document made on it has the same bytes as on a fresh handle, whatever
 * came before (other glyphs, other objects); a document that fails in
 * libharu frees it, and the next one, on a fresh handle, is unharmed.
 */
static void test_kept_handle(void **state)
{
	(void)state;
	struct render_stats rs;
	char *s1 = pdf_path("kept-s1.pdf"), *s2 = pdf_path("kept-s2.pdf");
	char *fresh = pdf_path("kept-fresh.pdf"), *again = pdf_path("kept-2.pdf");
	char *other = pdf_path("kept-other.pdf"), *after = pdf_path("kept-3.pdf");
	char *jpg = pdf_path("kept.jpg"), *bad = pdf_path("kept-bad.pdf");

	/* The small document on a fresh handle, then on the kept one. */
	render_release();
	assert_int_equal(write_small(fresh, "injoignable", NULL, &rs), 0);
	assert_int_equal(rs.reused, 0);
	assert_int_equal(write_small(again, "injoignable", NULL, &rs), 0);
	assert_int_equal(rs.reused, 1);
	assert_same_file(fresh, again);

	/* The whole specimen (images, outline, index, tables) fresh and
	 * after other documents with other glyphs and a JPEG. */
	render_release();
	assert_int_equal(specimen_write(s1, "en", "letter"), 0);
	write_jpeg(jpg);
	assert_int_equal(write_small(other, "hors service, « perdu » : ÆŒ",
	    jpg, &rs), 0);
	assert_int_equal(rs.reused, 1);
	assert_int_equal(specimen_write(s2, "en", "letter"), 0);
	assert_same_file(s1, s2);

	/* A libharu failure: the JPEG is gone when the page is drawn
	 * (libharu reads it then). The handle goes with the document... */
	write_jpeg(jpg);
	struct doc_options opt = { .lang = LANG_FR, .date = 1113300000 };
	struct doc *d = doc_new(&opt);
	doc_heading(d, 1, "Pièces", NULL);
	assert_int_equal(doc_image_jpeg(d, jpg, "JPEG"), 0);
	assert_int_equal(unlink(jpg), 0);
	assert_int_equal(doc_write_pdf(d, bad, &rs), -1);
	assert_true(doc_errors(d) >= 1);
	assert_non_null(strstr(d->diags->items[0].message, "libharu"));
	doc_free(d);
	assert_int_equal(access(bad, F_OK), -1);
	/* ... and the next document, on a fresh handle, is as it should
	 * be; the one after it is back on a kept handle. */
	assert_int_equal(write_small(after, "injoignable", NULL, &rs), 0);
	assert_int_equal(rs.reused, 0);
	assert_same_file(fresh, after);
	assert_int_equal(write_small(after, "injoignable", NULL, &rs), 0);
	assert_int_equal(rs.reused, 1);
	assert_same_file(fresh, after);
	render_release();
	render_release();	/* harmless when none is kept */

	free(s1);
	free(s2);
	free(fresh);
	free(again);
	free(other);
	free(after);
	free(jpg);
	free(bad);
}

/*
 * render_leave_to_exit (build): the document's handle is left, not kept
 * for the next document (which starts on a fresh one, same bytes), and
 * render_release leaves it too, until the choice is turned off.
 */
static void test_leave_to_exit(void **state)
{
	(void)state;
	struct render_stats rs;
	char *first = pdf_path("left-1.pdf"), *second = pdf_path("left-2.pdf");
	char *third = pdf_path("left-3.pdf");

	render_release();
	render_leave_to_exit(1);
	assert_int_equal(write_small(first, "injoignable", NULL, &rs), 0);
	assert_int_equal(rs.reused, 0);
	/* Left, so not kept: a fresh handle, given back as usual. */
	assert_int_equal(write_small(second, "injoignable", NULL, &rs), 0);
	assert_int_equal(rs.reused, 0);
	assert_same_file(first, second);
	assert_int_equal(write_small(third, "injoignable", NULL, &rs), 0);
	assert_int_equal(rs.reused, 1);
	assert_same_file(first, third);
	render_release();	/* the left one stays */
	/* Off: the left handle goes too (ASan and valgrind see it freed). */
	render_leave_to_exit(0);
	render_release();
	render_release();

	free(first);
	free(second);
	free(third);
}

static void test_odd_anchor_and_finish_errors(void **state)
{
	(void)state;
	char *pdf = pdf_path("anchor.pdf");
	struct doc_options opt = { .lang = LANG_FR, .date = 1113300000 };
	struct doc *d = doc_new(&opt);
	const char *anchor = "pièce n° 3 (a)/b";
	doc_heading(d, 1, "Titre", anchor);
	struct para *p = doc_paragraph(d);
	para_link(d, p, "lien", anchor);
	para_text(d, p, STYLE_REGULAR, " ; voir page ");
	para_pageref(d, p, anchor);
	assert_int_equal(doc_write_pdf(d, pdf, NULL), 0);
	assert_int_equal(doc_errors(d), 0);
	doc_free(d);
	check_common(pdf, 1);
	char *cmd = xasprintf("mutool show %s trailer/Root/Dests", pdf);
	char *cat = run_quiet(cmd);
	assert_non_null(strstr(cat, "/pi_C3_A8ce_20n_C2_B0_203_20_28a_29_2Fb "));
	free(cat);
	free(cmd);
	/* finishing refuses a damaged file instead of repairing it */
	char *bad = pdf_path("damaged.pdf"), *out = pdf_path("out.pdf");
	FILE *f = fopen(bad, "w");
	assert_non_null(f);
	fputs("%PDF-1.3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << "
	    "/Root 1 0 R >>\n%%EOF\n", f);
	fclose(f);
	char err[512];
	assert_int_equal(finish_job(bad, out, "", err, sizeof err), -1);
	assert_int_equal(access(out, F_OK), -1);
	free(bad);
	free(out);
	free(pdf);
}

/* Every named anchor becomes a named destination, beyond libharu's 4,095
 * dictionary entries; two long names cut to the same 120 bytes give one
 * key, the first anchor's. */
static void test_many_named_dests(void **state)
{
	(void)state;
	char *pdf = pdf_path("dests.pdf");
	struct doc_options opt = { .lang = LANG_FR, .date = 1113300000 };
	struct doc *d = doc_new(&opt);
	char name[200];
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "n-%d", i);
		doc_anchor(d, name);
		struct para *p = doc_paragraph(d);
		para_text(d, p, STYLE_REGULAR, "x");
	}
	memset(name, 'a', 130);
	name[130] = '\0';
	doc_anchor(d, name);
	name[129] = 'b';
	doc_anchor(d, name);
	struct para *p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "y");
	assert_int_equal(doc_write_pdf(d, pdf, NULL), 0);
	assert_int_equal(doc_errors(d), 0);
	doc_free(d);
	assert_int_equal(count_in("pdfinfo -dests %s | grep -c '\"n-'", pdf),
	    5000);
	assert_int_equal(count_in("pdfinfo -dests %s | grep -c '\"aaaa'",
	    pdf), 1);
	char *cmd = xasprintf("qpdf --check %s", pdf);
	free(run_quiet(cmd));
	free(cmd);
	free(pdf);
}

/*
 * Destinations: a destination object only for each outline entry; a
 * link (a page number of the index, a "voir page N" reference) and a
 * named destination write theirs in place, "[N 0 R /FitH top]". A
 * run-in heading (level 4) is in neither the outline nor the contents,
 * and nothing links to its anchor: no destination anywhere.
 */
static void test_dests_only_for_targets(void **state)
{
	(void)state;
	char *pdf = pdf_path("targets.pdf");
	struct doc_options opt = { .lang = LANG_FR, .date = 1113300000 };
	struct doc *d = doc_new(&opt);
	doc_heading(d, 1, "Titre", NULL);
	struct para *p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "Le serveur tombe.");
	doc_index_term(d, "serveur");
	doc_heading(d, 3, "Détail", NULL);
	doc_heading(d, 4, "Précisions", NULL);
	p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "Voir ");
	para_link(d, p, "la pièce", "piece-1");
	para_text(d, p, STYLE_REGULAR, ", page ");
	para_pageref(d, p, "piece-2");
	doc_anchor(d, "piece-1");
	p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "Pièce.");
	doc_anchor(d, "piece-2");
	p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "Autre pièce.");
	doc_anchor(d, "piece-3");
	p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "Pièce que rien ne cite.");
	doc_heading(d, 1, "Index", NULL);
	doc_index(d);
	assert_int_equal(doc_write_pdf(d, pdf, NULL), 0);
	assert_int_equal(doc_errors(d), 0);
	doc_free(d);
	/* Counted in the file as written, where libharu writes a
	 * destination object's array on a line of its own: a rewrite by
	 * qpdf would drop an object that nothing refers to. Objects for
	 * the outline's Titre, Détail and Index; links to "serveur" (the
	 * index's page number), piece-1 and piece-2 (the page reference);
	 * named piece-1, piece-2 and piece-3; none for "Précisions". */
	assert_int_equal(count_in("grep -a -c '^\\[ *[0-9]* 0 R /FitH' %s",
	    pdf), 3);
	assert_int_equal(count_in("grep -a -c '^/Dest \\[[0-9]* 0 R /FitH "
	    "[0-9.]*\\]$' %s", pdf), 3);
	assert_int_equal(count_in("grep -a -c '^/piece-[123] \\[[0-9]* 0 R "
	    "/FitH [0-9.]*\\]$' %s", pdf), 3);
	assert_int_equal(count_in("grep -a -c /FitH %s", pdf), 9);
	assert_int_equal(count_in("pdfinfo -dests %s | grep -c '\"piece-'",
	    pdf), 3);
	/* every link and bookmark goes to a destination that exists */
	char *cmd = xasprintf("qpdf --check %s", pdf);
	free(run_quiet(cmd));
	free(cmd);
	cmd = xasprintf("mutool show %s outline", pdf);
	char *out = run_quiet(cmd);
	assert_non_null(strstr(out, "Détail"));
	assert_null(strstr(out, "Précisions"));
	free(out);
	free(cmd);
	free(pdf);
}

/*
 * Text goes into the content stream as literal strings, two bytes per
 * character: exactly these bytes, including where a character's high or
 * low byte is a delimiter, a backslash or an end-of-line byte.
 */
static void test_literal_bytes(void **state)
{
	(void)state;
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	assert_int_equal(HPDF_UseUTFEncodings(pdf), HPDF_OK);
	assert_int_equal(HPDF_SetCurrentEncoder(pdf, "UTF-8"), HPDF_OK);
	struct fonts f;
	char err[256];
	assert_int_equal(fonts_open(&f, pdf, err, sizeof err), 0);
	HPDF_Page page = HPDF_AddPage(pdf);
	assert_int_equal(HPDF_Page_BeginText(page), HPDF_OK);
	struct textout t = { 0 };
	textout_begin(&t, page, &f);
	static const char s[] =
	    "a(b)c\\d\r\n"		/* ASCII that needs escaping */
	    "\xC4\xA8\xC4\xA9\xC5\x9C"	/* U+0128 U+0129 U+015C */
	    "\xC4\x8A\xC4\x8D"		/* U+010A U+010D */
	    "\xE5\xB0\xA8\xE2\xA0\xA9"	/* U+5C28 U+2829 */
	    "\xE0\xA8\x8D\xC3\xA4"	/* U+0A0D U+00E4 */
	    "\xFF\xF0\x9F\x98\x80";	/* invalid, outside the BMP */
	static const char want[] = "[("
	    "\0a\0\\(\0b\0\\)\0c\0\\\\\0d\0\\r\0\\n"
	    "\1\\(\1\\)\1\\\\"
	    "\1\\n\1\\r"
	    "\\\\\\(\\(\\)"
	    "\\n\\r\0\xE4"
	    "\0?\0?"
	    ")] TJ\n";
	textout_add(&t, FACE_SANS, 10, 0, 50, 700, s, sizeof s - 1, 100);
	assert_int_equal(textout_end(&t), 0);
	textout_free(&t);
	/* the page's content so far, out of libharu's buffers */
	HPDF_Stream st = ((HPDF_PageAttr)page->attr)->stream;
	struct buf b;
	buf_init(&b);
	for (HPDF_UINT k = 0; k < HPDF_MemStream_GetBufCount(st); k++) {
		HPDF_UINT len = 0;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, k, &len);
		assert_non_null(p);
		buf_add(&b, p, len);
	}
	assert_int_equal(b.len, HPDF_Stream_Size(st));
	const char *tj = memchr(b.data, '[', b.len);
	assert_non_null(tj);
	assert_int_equal(b.len - (size_t)(tj - b.data), sizeof want - 1);
	assert_memory_equal(tj, want, sizeof want - 1);
	buf_free(&b);
	fonts_close(&f);
	HPDF_Free(pdf);
}

/* The same characters as a reader sees them: pdftotext, mutool and qpdf
 * give back the text (running text and a verbatim log excerpt) unchanged. */
static void test_literal_text(void **state)
{
	(void)state;
	char *pdf = pdf_path("literal.pdf");
	struct doc_options opt = { .lang = LANG_EN, .date = 1113300000 };
	struct doc *d = doc_new(&opt);
	doc_heading(d, 1, "Escapes (all of them)", NULL);
	doc_text(d, "f(x) = a\\b (c) ((d)) e) (f \\\\ g");
	doc_text(d, "\xC4\xA8 \xC4\xA9 \xC5\x9C \xC4\x8A \xC4\x8D "
	    "\xD0\x8A \xD0\x8D \xC4\xA8\xC4\xA9\xC5\x9C\xC4\x8A\xC4\x8D");
	static const char *const lines[] = {
		"C:\\temp\\(x)) ((y) \\",
		"\xC4\xA8(\xC4\xA9)\\\xC5\x9C\xC4\x8A\xC4\x8D",
	};
	static const long numbers[] = { 7, 8 };
	doc_log(d, "Log", lines, numbers, 2);
	assert_int_equal(doc_write_pdf(d, pdf, NULL), 0);
	assert_int_equal(doc_errors(d), 0);
	doc_free(d);
	check_common(pdf, 1);
	static const char *const want[] = {
		"Escapes (all of them)",
		"f(x) = a\\b (c) ((d)) e) (f \\\\ g",
		"\xC4\xA8 \xC4\xA9 \xC5\x9C \xC4\x8A \xC4\x8D \xD0\x8A \xD0\x8D "
		    "\xC4\xA8\xC4\xA9\xC5\x9C\xC4\x8A\xC4\x8D",
		"C:\\temp\\(x)) ((y) \\",
		"\xC4\xA8(\xC4\xA9)\\\xC5\x9C\xC4\x8A\xC4\x8D",
	};
	/* qpdf --qdf parses every content stream and writes its strings
	 * again (in hex): poppler then reads what qpdf understood. */
	const char *readers[] = { "pdftotext %1$s -",
	    "mutool draw -q -F txt -o - %1$s",
	    "qpdf --qdf --object-streams=disable %1$s %1$s.qdf && "
	    "pdftotext %1$s.qdf -" };
	for (size_t r = 0; r < 3; r++) {
		char *cmd = xasprintf(readers[r], pdf);
		/* poppler must be silent; mutool may warn about its own
		 * build ("ICC support is not available") */
		char *err = NULL;
		int st;
		char *text = r != 1 ? run_quiet(cmd) : run(cmd, &err, &st);
		if (r == 1) {
			assert_int_equal(st, 0);
			assert_null(strstr(err, "error"));
			free(err);
		}
		for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
			if (!strstr(text, want[k]))
				fprintf(stderr, "%s: no \"%s\" in:\n%s\n", cmd,
				    want[k], text);
			assert_non_null(strstr(text, want[k]));
		}
		free(text);
		free(cmd);
	}
	free(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_specimen_fr),
		cmocka_unit_test(test_specimen_en_letter),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_png_errors),
		cmocka_unit_test(test_images_in_pdf),
		cmocka_unit_test(test_odd_anchor_and_finish_errors),
		cmocka_unit_test(test_dests_only_for_targets),
		cmocka_unit_test(test_many_named_dests),
		cmocka_unit_test(test_literal_bytes),
		cmocka_unit_test(test_literal_text),
		cmocka_unit_test(test_kept_handle),
		cmocka_unit_test(test_leave_to_exit),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
