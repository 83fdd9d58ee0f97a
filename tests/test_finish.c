/*
 * test_finish.c - what replaced the libqpdf rewrite of the dossier: the
 * /ID filled in place (finish/fileid.c), the inputs embedded through
 * libharu's objects by a thread (render/attach.c), and page contents
 * compressed on another thread (render/pagezip.c; the same bytes
 * whichever thread compresses a page); also the light link
 * annotations (render/linkannot.c). Every PDF made here
 * is checked by qpdf, which reads back what libharu and we wrote.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "finish/fileid.h"
#include "render/attach.h"
#include "render/flate.h"
#include "render/linkannot.h"
#include "render/pagezip.h"
#include "util/sha256.h"
#include "util/xalloc.h"

static char dir[] = "/tmp/dossier-test-finish-XXXXXX";

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Everything f gives, NUL-terminated; its length in *len if wanted. */
static char *slurp(FILE *f, size_t *len)
{
	struct buf b;
	buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (len)
		*len = b.len;
	buf_addc(&b, '\0');
	return buf_take(&b);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *s = slurp(f, len);
	fclose(f);
	return s;
}

/* stdout of a shell command, with its exit status. */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *s = slurp(p, NULL);
	int st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return s;
}

static void hex_of(const char *bytes, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", (unsigned char)bytes[i]);
}

static void test_fileid_patch(void **state)
{
	(void)state;
	char slot[2 * FILEID_LEN + 1];
	hex_of(FILEID_PLACEHOLDER, FILEID_LEN, slot);
	/* The placeholder also in the body: only the trailer's changes. */
	char *text = xasprintf("%%PDF-1.3\n%% <%s>\nbody\ntrailer\n"
	    "<< /ID [<%s> <%s>] >>\n%%%%EOF\n", slot, slot, slot);
	size_t len = strlen(text);
	char *pdf = path_in("id.pdf");
	write_file(pdf, text, len);

	char err[256];
	assert_int_equal(fileid_patch(pdf, err, sizeof err), 0);
	size_t got_len;
	char *got = read_all(pdf, &got_len);
	assert_int_equal(got_len, len);
	char digest[SHA256_HEX_LEN + 1];
	sha256_hex(text, len, digest);
	char want[2 * FILEID_LEN + 1];
	for (int i = 0; i < 2 * FILEID_LEN; i++)
		want[i] = (char)(digest[i] >= 'a' ? digest[i] - 32 : digest[i]);
	want[2 * FILEID_LEN] = '\0';
	char *expect = xasprintf("%%PDF-1.3\n%% <%s>\nbody\ntrailer\n"
	    "<< /ID [<%s> <%s>] >>\n%%%%EOF\n", slot, want, want);
	assert_string_equal(got, expect);
	free(expect);
	free(got);

	/* Patched already: no placeholder left, an error naming it. */
	assert_int_equal(fileid_patch(pdf, err, sizeof err), -1);
	assert_non_null(strstr(err, "no /ID"));
	assert_non_null(strstr(err, "id.pdf"));
	char *missing = path_in("missing.pdf");
	assert_int_equal(fileid_patch(missing, err, sizeof err), -1);
	assert_non_null(strstr(err, "missing.pdf"));
	free(missing);
	free(pdf);
	free(text);
}

/* A one-page PDF with a reserved /ID, through libharu. */
static HPDF_Doc new_pdf(void)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL), 0);
	HPDF_Page page = HPDF_AddPage(pdf);
	assert_non_null(page);
	return pdf;
}

static void save_with_id(HPDF_Doc pdf, const char *path)
{
	char err[256];
	HPDF_Array id = HPDF_Array_New(pdf->mmgr);
	for (int i = 0; i < 2; i++)
		HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr,
		    (HPDF_BYTE *)FILEID_PLACEHOLDER, FILEID_LEN));
	assert_int_equal(HPDF_Dict_Add(pdf->trailer, "ID", id), 0);
	assert_int_equal(HPDF_SaveToFile(pdf, path), 0);
	assert_int_equal(fileid_patch(path, err, sizeof err), 0);
}

static void test_attachments(void **state)
{
	(void)state;
	char *a_path = path_in("zeta.csv"), *b_path = path_in("b.txt");
	const char *a_text = "id,text\n1,\"une ligne\"\n";
	char b_text[20000];	/* large enough to show compression */
	for (size_t i = 0; i < sizeof b_text; i++)
		b_text[i] = "pièce "[i % 6];
	write_file(a_path, a_text, strlen(a_text));
	write_file(b_path, b_text, sizeof b_text);
	char a_sha[SHA256_HEX_LEN + 1];
	sha256_hex(a_text, strlen(a_text), a_sha);
	const char *memo = "manifest\n";
	struct attachment list[] = {
		{ .path = a_path, .name = "zeta.csv", .mimetype = "text/csv",
		  .description = "SHA-256 of zeta", .sha256 = a_sha },
		{ .path = b_path, .name = "pièces/b é.txt",
		  .mimetype = "text/plain", .description = "accents" },
		{ .name = "alpha.sha256", .mimetype = "text/plain",
		  .description = "in memory", .data = memo,
		  .len = strlen(memo) },
	};
	struct attach_set *set = attach_start(list, 3, 1113300000);
	HPDF_Doc pdf = new_pdf();
	char err[600];
	assert_int_equal(attach_embed(set, pdf, err, sizeof err), 0);
	char *out = path_in("attached.pdf");
	save_with_id(pdf, out);
	HPDF_Free(pdf);
	attach_free(set);

	int st;
	char *cmd = xasprintf("qpdf --check %s", out);
	char *res = run(cmd, &st);
	assert_int_equal(st, 0);
	free(res);
	free(cmd);
	/* In key order: ASCII names first, the UTF-16 one last. */
	cmd = xasprintf("mutool show %s trailer/Root/Names/EmbeddedFiles/Names"
	    " | tr -s ' \\n' ' ' | sed 's/ [0-9]* 0 R//g'", out);
	res = run(cmd, &st);
	assert_string_equal(res, "[ (alpha.sha256) (zeta.csv) <FEFF0070006900E8"
	    "006300650073002F0062002000E9002E007400780074> ] ");
	free(res);
	free(cmd);
	/* Content, MIME type, size, date and MD5 as a reader sees them. */
	cmd = xasprintf("qpdf --show-attachment='pièces/b é.txt' %s | "
	    "cmp - %s && qpdf --list-attachments --verbose %s", out, b_path,
	    out);
	res = run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(res, "text/csv"));
	assert_non_null(strstr(res, "D:20050412100000Z"));
	assert_non_null(strstr(res, "SHA-256 of zeta"));
	char *md5 = run("printf 'manifest\\n' | md5sum | cut -c1-32", NULL);
	md5[32] = '\0';
	assert_non_null(strstr(res, md5));
	free(md5);
	free(res);
	free(cmd);
	struct stat sb;
	assert_int_equal(stat(out, &sb), 0);
	assert_true(sb.st_size < (off_t)sizeof b_text);	/* compressed */
	free(out);

	/* A file changed since it was read: refused, named. */
	write_file(a_path, "id,text\n", 8);
	set = attach_start(list, 3, 1113300000);
	pdf = new_pdf();
	assert_int_equal(attach_embed(set, pdf, err, sizeof err), -1);
	assert_non_null(strstr(err, "zeta.csv"));
	assert_non_null(strstr(err, "changed"));
	HPDF_Free(pdf);
	attach_free(set);
	/* A file gone: refused, named. */
	unlink(a_path);
	set = attach_start(list, 3, 1113300000);
	pdf = new_pdf();
	assert_int_equal(attach_embed(set, pdf, err, sizeof err), -1);
	assert_non_null(strstr(err, "zeta.csv"));
	HPDF_Free(pdf);
	attach_free(set);
	unlink(b_path);
	free(a_path);
	free(b_path);
}

/*
 * flate_zlib (libdeflate) gives zlib data that zlib reads back whole,
 * for empty, tiny, text-like and incompressible inputs, and the same
 * bytes from any compressor at the same level (a page's bytes must not
 * depend on the thread that compressed it).
 */
static void test_flate_round_trip(void **state)
{
	(void)state;
	const size_t sizes[] = { 0, 1, 1000, 3u << 20 };
	struct flate *a = flate_new(FLATE_LEVEL), *b = flate_new(FLATE_LEVEL);
	unsigned seed = 7;
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		for (int random = 0; random < 2; random++) {
			size_t n = sizes[k];
			unsigned char *in = xmalloc(n ? n : 1);
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				in[i] = random ? (unsigned char)(seed >> 16) :
				    (unsigned char)("BT (Mesure) Tj ET\n"
				    [(seed >> 16) % 18]);
			}
			size_t zlen = 0, zlen2 = 0;
			unsigned char *z = flate_zlib(a, in, n, &zlen);
			unsigned char *z2 = flate_zlib(b, in, n, &zlen2);
			assert_non_null(z);
			assert_non_null(z2);
			assert_int_equal(zlen, zlen2);
			assert_memory_equal(z, z2, zlen);
			if (!random && n >= 1000) /* 18 symbols: 4.2 bits */
				assert_true(zlen < n * 6 / 10);
			uLongf back_len = (uLongf)n;
			unsigned char *back = xmalloc(n ? n : 1);
			assert_int_equal(uncompress(back, &back_len, z,
			    (uLong)zlen), Z_OK);
			assert_int_equal(back_len, n);
			if (n)
				assert_memory_equal(back, in, n);
			free(back);
			free(z);
			free(z2);
			free(in);
		}
	}
	flate_free(a);
	flate_free(b);
	flate_free(NULL);
}

static void test_pagezip(void **state)
{
	(void)state;
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL), 0);
	HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
	HPDF_Page pages[3];
	struct pagezip *z = pagezip_start(3);
	for (int i = 0; i < 3; i++) {
		pages[i] = HPDF_AddPage(pdf);
		HPDF_Page_SetFontAndSize(pages[i], font, 12);
		HPDF_Page_BeginText(pages[i]);
		char line[32];
		snprintf(line, sizeof line, "page number %d", i + 1);
		HPDF_Page_TextOut(pages[i], 50, 700, line);
		/* Page 2 is left in a text object: libharu closes it
		 * when saving, so it must not be taken. */
		if (i != 1)
			HPDF_Page_EndText(pages[i]);
		pagezip_submit(z, (size_t)i, pages[i]);
	}
	assert_int_equal(pagezip_finish(z, pages), 0);
	pagezip_free(z);
	char *out = path_in("zipped.pdf");
	assert_int_equal(HPDF_SaveToFile(pdf, out), 0);
	HPDF_Free(pdf);
	int st;
	char *cmd = xasprintf("qpdf --check %s >/dev/null && pdftotext %s -",
	    out, out);
	char *res = run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(res, "page number 1"));
	assert_non_null(strstr(res, "page number 2"));
	assert_non_null(strstr(res, "page number 3"));
	free(res);
	free(cmd);
	/* Pages 1 and 3 went through pagezip (a /Filter name, not
	 * libharu's one-element array); page 2 was left to libharu. */
	cmd = xasprintf("qpdf --json=2 --json-key=qpdf %s | "
	    "grep -c '\"/Filter\": \"/FlateDecode\"'", out);
	res = run(cmd, NULL);
	assert_int_equal(atoi(res), 2);
	free(res);
	free(cmd);
	free(out);
}

/*
 * One document of many text pages written with the given pagezip mode;
 * returns the saved file's bytes and how many pages pagezip_finish
 * compressed on this thread.
 */
static char *zipped_doc(enum pagezip_mode mode, const char *name,
    size_t *len, size_t *by_caller)
{
	enum { NPAGES = 48 };
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL), 0);
	HPDF_Font font = HPDF_GetFont(pdf, "Courier", NULL);
	HPDF_Page pages[NPAGES];
	struct pagezip *z = pagezip_start_mode(NPAGES, mode);
	unsigned seed = 12345;
	for (int i = 0; i < NPAGES; i++) {
		pages[i] = HPDF_AddPage(pdf);
		HPDF_Page_SetFontAndSize(pages[i], font, 7);
		HPDF_Page_BeginText(pages[i]);
		/* enough text that the worker lags behind the drawing */
		for (int l = 0; l < 100; l++) {
			char line[96];
			for (int k = 0; k < 80; k++) {
				seed = seed * 1103515245u + 12345u;
				line[k] = (char)('a' + (seed >> 16) % 27);
				if (line[k] > 'z')
					line[k] = ' ';
			}
			line[80] = '\0';
			HPDF_Page_TextOut(pages[i], 20, 800 - 7.5f * l, line);
		}
		HPDF_Page_EndText(pages[i]);
		pagezip_submit(z, (size_t)i, pages[i]);
	}
	assert_int_equal(pagezip_finish(z, pages), 0);
	*by_caller = pagezip_caller_pages(z);
	pagezip_free(z);
	char *out = path_in(name);
	assert_int_equal(HPDF_SaveToFile(pdf, out), 0);
	HPDF_Free(pdf);
	char *cmd = xasprintf("qpdf --check %s >/dev/null", out);
	int st;
	free(run(cmd, &st));
	assert_int_equal(st, 0);
	free(cmd);
	char *bytes = read_all(out, len);
	free(out);
	return bytes;
}

/* A page's compressed bytes do not depend on the thread that made them:
 * the worker alone, the calling thread alone, both sharing the backlog
 * in pagezip_finish, or each page compressed as it is submitted give the
 * same file. */
static void test_pagezip_threads(void **state)
{
	(void)state;
	size_t len_w, len_c, len_b, len_i, by_w, by_c, by_b, by_i;
	char *w = zipped_doc(PAGEZIP_WORKER_ONLY, "worker.pdf", &len_w, &by_w);
	char *c = zipped_doc(PAGEZIP_CALLER_ONLY, "caller.pdf", &len_c, &by_c);
	char *b = zipped_doc(PAGEZIP_BOTH, "both.pdf", &len_b, &by_b);
	char *i = zipped_doc(PAGEZIP_INLINE, "inline.pdf", &len_i, &by_i);
	assert_int_equal(by_w, 0);
	assert_int_equal(by_c, 48);
	assert_true(by_b <= 48);
	assert_int_equal(by_i, 0);	/* all done at submission */
	assert_int_equal(len_w, len_c);
	assert_int_equal(len_w, len_b);
	assert_int_equal(len_w, len_i);
	assert_memory_equal(w, c, len_w);
	assert_memory_equal(w, b, len_w);
	assert_memory_equal(w, i, len_w);
	free(w);
	free(c);
	free(b);
	free(i);
}

static void test_linkannot(void **state)
{
	(void)state;
	/* The destination as written in a link or a named destination. */
	char fith[LINKANNOT_FITH_MAX + 1];
	assert_int_equal(linkannot_fith(fith, 12, 789.196), 21);
	assert_string_equal(fith, "[12 0 R /FitH 789.20]");
	/* the longest: the largest object number, -DBL_MAX */
	size_t n = linkannot_fith(fith, 4294967295u, -1.7976931348623157e308);
	assert_int_equal(n, strlen(fith));
	assert_true(n <= LINKANNOT_FITH_MAX);
	assert_int_equal(strncmp(fith, "[4294967295 0 R /FitH -17976931", 31),
	    0);

	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	HPDF_Page one = HPDF_AddPage(pdf), two = HPDF_AddPage(pdf);
	assert_int_equal(linkannot_add(pdf, one, 10, 20, 110.5, 32.25, two,
	    500), HPDF_OK);
	assert_int_equal(linkannot_add(pdf, one, 10, 40, 50, 52, two, 400.5),
	    HPDF_OK);
	/* A direct object cannot be referred to: refused. */
	HPDF_Array direct = HPDF_Array_New(pdf->mmgr);
	assert_int_not_equal(linkannot_add(pdf, one, 0, 0, 1, 1,
	    (HPDF_Page)direct, 500), HPDF_OK);
	HPDF_Array_Free(direct);
	char *out = path_in("links.pdf");
	assert_int_equal(HPDF_SaveToFile(pdf, out), 0);
	HPDF_Free(pdf);
	int st;
	/* qpdf reads both links; each goes to page 2 with no border, at
	 * the top given. */
	char *cmd = xasprintf("qpdf --check %s >/dev/null && "
	    "mutool show %s 'trailer/Root/Pages/Kids/2' | head -1 && "
	    "mutool show %s 'trailer/Root/Pages/Kids/1/Annots/1' && "
	    "mutool show %s 'trailer/Root/Pages/Kids/1/Annots/2/Dest'",
	    out, out, out, out);
	char *res = run(cmd, &st);
	assert_int_equal(st, 0);
	/* "N 0 obj" of page 2, then the first link, then the second's
	 * destination. */
	unsigned page2 = 0;
	assert_int_equal(sscanf(res, "%u 0 obj", &page2), 1);
	assert_non_null(strstr(res, "/Subtype /Link"));
	assert_non_null(strstr(res, "/Rect [ 10 20 110.5 32.25 ]"));
	assert_non_null(strstr(res, "/Border [ 0 0 0 ]"));
	char *target = xasprintf("/Dest [ %u 0 R /FitH 500 ]", page2);
	assert_non_null(strstr(res, target));
	free(target);
	target = xasprintf("[ %u 0 R /FitH 400.5 ]", page2);
	assert_non_null(strstr(res, target));
	free(target);
	free(res);
	free(cmd);
	free(out);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("%s %s", getenv("KEEP") ? "echo" : "rm -rf", dir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fileid_patch),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_flate_round_trip),
		cmocka_unit_test(test_pagezip),
		cmocka_unit_test(test_pagezip_threads),
		cmocka_unit_test(test_linkannot),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
