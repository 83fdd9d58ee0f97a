/*
 * test_savestream.c - the save written and hashed by a second thread
 * (render/savestream.c), images compressed beforehand
 * (render/imagezip.c), and what happens when the disk is full.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose/specimen.h"
#include "finish/fileid.h"
#include "layout/doc.h"
#include "render/render.h"
#include "render/savestream.h"
#include "util/sha256.h"
#include "util/xalloc.h"

static char dir[] = "/tmp/dossier-test-savestream-XXXXXX";

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	/* A write past RLIMIT_FSIZE fails with EFBIG, without a signal. */
	signal(SIGXFSZ, SIG_IGN);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	render_release();
	char *cmd = xasprintf("rm -rf %s", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = xmalloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b[n] = '\0';
	*len = (size_t)n;
	return b;
}

static void to_hex(const unsigned char *d, char *hex)
{
	for (int i = 0; i < SAVESTREAM_DIGEST_LEN; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

/*
 * The digest computed while writing is the SHA-256 of the file, and the
 * file holds every byte in order: writes of every size, across many
 * buffers (more than the writer's queue holds), in both modes.
 */
static void test_digest_while_writing(void **state)
{
	(void)state;
	size_t total = 21u << 20;
	unsigned char *data = xmalloc(total);
	uint32_t x = 12345;
	for (size_t i = 0; i < total; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	for (int mode = 0; mode < 2; mode++) {
		char *path = path_in(mode ? "inline.bin" : "thread.bin");
		char err[256];
		struct savestream *s = savestream_open(path, mode ?
		    SAVESTREAM_INLINE : SAVESTREAM_THREAD, 1, err, sizeof err);
		assert_non_null(s);
		size_t at = 0, step = 1;
		while (at < total) {
			size_t n = step < total - at ? step : total - at;
			assert_int_equal(savestream_write(s, data + at, n), 0);
			at += n;
			step = step * 7 % 3000001 + 1;	/* 1 byte to 3 MB */
		}
		unsigned char digest[SAVESTREAM_DIGEST_LEN];
		assert_int_equal(savestream_close(s, digest, err, sizeof err),
		    0);
		char got[SHA256_HEX_LEN + 1], want[SHA256_HEX_LEN + 1];
		to_hex(digest, got);
		got[SHA256_HEX_LEN] = '\0';
		assert_int_equal(sha256_file(path, want, NULL, NULL), 0);
		assert_string_equal(got, want);
		size_t len;
		char *back = read_all(path, &len);
		assert_int_equal(len, total);
		assert_memory_equal(back, data, total);
		free(back);
		free(path);
	}
	free(data);
}

/* A write that fails (a full disk) is reported, in both modes, by
 * savestream_close naming the file and the reason. */
static void test_write_failure(void **state)
{
	(void)state;
	static unsigned char block[65536];
	for (int mode = 0; mode < 2; mode++) {
		char err[256] = "";
		struct savestream *s = savestream_open("/dev/full", mode ?
		    SAVESTREAM_INLINE : SAVESTREAM_THREAD, 1, err, sizeof err);
		assert_non_null(s);
		int failed = 0;
		for (int i = 0; i < 100; i++)	/* 6.4 MB */
			failed |= savestream_write(s, block, sizeof block) != 0;
		if (mode)	/* inline: told at the first full buffer */
			assert_true(failed);
		unsigned char digest[SAVESTREAM_DIGEST_LEN];
		assert_int_equal(savestream_close(s, digest, err, sizeof err),
		    -1);
		assert_non_null(strstr(err, "/dev/full"));
		assert_non_null(strstr(err, "No space left"));
	}
	/* Nothing written: the failure comes when closing. */
	char err[256] = "";
	struct savestream *s = savestream_open("/dev/full", SAVESTREAM_THREAD,
	    1, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(savestream_write(s, "x", 1), 0);
	assert_int_equal(savestream_close(s, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "No space left"));
	/* A file that cannot be created. */
	char *bad = path_in("no/such/dir.pdf");
	assert_null(savestream_open(bad, SAVESTREAM_THREAD, 1, err,
	    sizeof err));
	assert_non_null(strstr(err, bad));
	free(bad);
}

/* A libharu document with a picture and a reserved /ID. */
static HPDF_Doc small_pdf(void)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL), 0);
	HPDF_Page page = HPDF_AddPage(pdf);
	assert_non_null(page);
	static unsigned char px[64 * 48 * 3];
	for (size_t i = 0; i < sizeof px; i++)
		px[i] = (unsigned char)(i * 31 / 7);
	HPDF_Image im = HPDF_LoadRawImageFromMem(pdf, px, 64, 48,
	    HPDF_CS_DEVICE_RGB, 8);
	assert_non_null(im);
	assert_int_equal(HPDF_Page_DrawImage(page, im, 10, 10, 64, 48), 0);
	HPDF_Array id = HPDF_Array_New(pdf->mmgr);
	for (int i = 0; i < 2; i++)
		HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr,
		    (HPDF_BYTE *)FILEID_PLACEHOLDER, FILEID_LEN));
	assert_int_equal(HPDF_Dict_Add(pdf->trailer, "ID", id), 0);
	return pdf;
}

/*
 * savestream_save writes the bytes HPDF_SaveToFile writes, the /ID
 * patched from the digest is the one fileid_patch computes by reading
 * the file, and the document can be saved again after it.
 */
static void test_same_bytes_as_libharu(void **state)
{
	(void)state;
	char *a = path_in("libharu.pdf"), *b = path_in("stream.pdf");
	char *c = path_in("again.pdf");
	char err[256];
	HPDF_Doc pdf = small_pdf();
	assert_int_equal(HPDF_SaveToFile(pdf, a), 0);
	struct savestream *s = savestream_open(b, SAVESTREAM_THREAD, 1, err,
	    sizeof err);
	assert_non_null(s);
	assert_int_equal(savestream_save(s, pdf), HPDF_OK);
	unsigned char digest[SAVESTREAM_DIGEST_LEN];
	assert_int_equal(savestream_close(s, digest, err, sizeof err), 0);
	assert_null(pdf->stream);
	assert_int_equal(HPDF_SaveToFile(pdf, c), 0);
	HPDF_Free(pdf);
	size_t la, lb, lc;
	char *da = read_all(a, &la), *db = read_all(b, &lb);
	char *dc = read_all(c, &lc);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	assert_int_equal(la, lc);
	assert_memory_equal(da, dc, la);
	assert_int_equal(fileid_patch(a, err, sizeof err), 0);
	assert_int_equal(fileid_patch_digest(b, digest, err, sizeof err), 0);
	free(da);
	free(db);
	da = read_all(a, &la);
	db = read_all(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	assert_null(strstr(da, "646F73736965722D69642D736C6F7421"));
	free(da);
	free(db);
	free(dc);

	/* On a full disk libharu is told: its error is set. */
	pdf = small_pdf();
	s = savestream_open("/dev/full", SAVESTREAM_INLINE, 1, err,
	    sizeof err);
	assert_non_null(s);
	(void)savestream_save(s, pdf);
	assert_int_equal(savestream_close(s, NULL, err, sizeof err), -1);
	HPDF_Free(pdf);
	free(a);
	free(b);
	free(c);
}

/*
 * The whole path, doc_write_pdf: the specimen (PNG with alpha among its
 * images) has the same bytes with images and pages compressed on the
 * second core (imagezip, pagezip) and on the drawing thread (no
 * compression thread: what a `packs` worker does).
 */
static void test_images_same_bytes(void **state)
{
	(void)state;
	char *a = path_in("spec-thread.pdf"), *b = path_in("spec-inline.pdf");
	render_set_compress_thread(1);
	assert_int_equal(specimen_write(a, "fr", "a4"), 0);
	render_set_compress_thread(0);
	assert_int_equal(specimen_write(b, "fr", "a4"), 0);
	render_set_compress_thread(1);
	size_t la, lb;
	char *da = read_all(a, &la), *db = read_all(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	assert_non_null(memmem(da, la, "/SMask", 6));
	free(da);
	free(db);
	free(a);
	free(b);
}

/*
 * A document that cannot be written whole (here the file size limit,
 * as a full disk would) fails with the reason, and leaves no file: not
 * the output, not the temporary one beside it.
 */
static void test_doc_write_fails(void **state)
{
	(void)state;
	char *sub = path_in("full");
	assert_int_equal(mkdir(sub, 0755), 0);
	char *out = xasprintf("%s/dossier.pdf", sub);
	for (int thread = 1; thread >= 0; thread--) {
		render_set_compress_thread(thread);
		struct doc_options opt = { .lang = LANG_FR,
		    .date = 1113300000 };
		struct doc *d = doc_new(&opt);
		doc_heading(d, 1, "Pièces", NULL);
		for (int i = 0; i < 200; i++)
			doc_text(d, "Le serveur était injoignable depuis "
			    "le réseau du client, à chaque essai.");
		struct rlimit old, lim;
		assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
		lim = old;
		lim.rlim_cur = 20000;
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
		int rc = doc_write_pdf(d, out, NULL);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
		assert_int_equal(rc, -1);
		assert_true(doc_errors(d) >= 1);
		assert_non_null(strstr(d->diags->items[0].message,
		    "File too large"));
		doc_free(d);
		char *cmd = xasprintf("test -z \"$(ls -A %s)\"", sub);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	render_set_compress_thread(1);
	free(out);
	free(sub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_while_writing),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_same_bytes_as_libharu),
		cmocka_unit_test(test_images_same_bytes),
		cmocka_unit_test(test_doc_write_fails),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
