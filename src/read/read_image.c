/*
 * read_image.c - decode PNG and JPEG exhibits completely, to prove they
 * are sound before they go into a court dossier.
 *
 * Both libraries report fatal errors through a callback that must not
 * return; ours records the message and longjmps back. The image size is
 * checked against the limits as soon as the header is read, before any
 * pixel memory is allocated, and rows are decoded one at a time into a
 * single row buffer, so memory stays small whatever the image.
 */
#include "read/read_image.h"
#include "util/xalloc.h"

#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
size_ok(long w, long h, const struct read_limits *lim, char *why,
    size_t whylen)
{
	if (w <= 0 || h <= 0) {
		snprintf(why, whylen, "image has no pixels (%ld x %ld)", w, h);
		return 0;
	}
	if (w > lim->max_side || h > lim->max_side) {
		snprintf(why, whylen, "image is %ld x %ld pixels; the limit is "
		    "%ld pixels on a side", w, h, lim->max_side);
		return 0;
	}
	if ((long long)w * h > lim->max_pixels) {
		snprintf(why, whylen, "image is %ld x %ld pixels; the limit is "
		    "%lld megapixels", w, h, lim->max_pixels / 1000000);
		return 0;
	}
	return 1;
}

/* ---- PNG ---- */

struct png_src {
	const unsigned char *data;
	size_t n, pos;
	char msg[200];
};

static void
png_err(png_structp png, png_const_charp msg)
{
	struct png_src *src = png_get_error_ptr(png);
	snprintf(src->msg, sizeof(src->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void
png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;	/* warnings do not make an exhibit unsound */
}

static void
png_read_mem(png_structp png, png_bytep out, png_size_t len)
{
	struct png_src *src = png_get_io_ptr(png);
	if (len > src->n - src->pos)
		png_error(png, "the file ends too early (truncated)");
	memcpy(out, src->data + src->pos, len);
	src->pos += len;
}

int
image_check_png(const unsigned char *data, size_t n,
    const struct read_limits *lim, int *w, int *h, char *why, size_t whylen)
{
	struct png_src src = { data, n, 0, "" };
	png_structp png;
	png_infop info;
	unsigned char *volatile row = NULL;
	volatile int ok = 0;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_err,
	    png_warn);
	if (png == NULL) {
		snprintf(why, whylen, "cannot start the PNG decoder");
		return -1;
	}
	info = png_create_info_struct(png);
	if (info == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		snprintf(why, whylen, "cannot start the PNG decoder");
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		snprintf(why, whylen, "damaged PNG image: %s", src.msg);
		goto done;
	}
	/* No ancillary chunk may make libpng allocate much. */
	png_set_chunk_malloc_max(png, 8u << 20);
	/* Our own limits are checked below, with a clearer message. */
	png_set_user_limits(png, 0x7fffffffU, 0x7fffffffU);
	png_set_read_fn(png, &src, png_read_mem);
	png_read_info(png, info);

	png_uint_32 pw, ph;
	int depth, color, interlace;
	png_get_IHDR(png, info, &pw, &ph, &depth, &color, &interlace, NULL,
	    NULL);
	if (!size_ok((long)pw, (long)ph, lim, why, whylen))
		goto done;
	int passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	size_t rowbytes = png_get_rowbytes(png, info);
	row = xmalloc(rowbytes);
	for (int p = 0; p < passes; p++)
		for (png_uint_32 y = 0; y < ph; y++)
			png_read_row(png, row, NULL);
	png_read_end(png, NULL);
	*w = (int)pw;
	*h = (int)ph;
	ok = 1;
done:
	free(row);
	png_destroy_read_struct(&png, &info, NULL);
	return ok ? 0 : -1;
}

/* ---- JPEG ---- */

struct jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jmp;
	char msg[JMSG_LENGTH_MAX];
	int warnings;
};

static void
jpeg_exit(j_common_ptr cinfo)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
	(*cinfo->err->format_message)(cinfo, e->msg);
	longjmp(e->jmp, 1);
}

static void
jpeg_emit(j_common_ptr cinfo, int level)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
	/* Level -1 is "corrupt data" (e.g. premature end of file). */
	if (level < 0 && e->warnings++ == 0)
		(*cinfo->err->format_message)(cinfo, e->msg);
}

static void
jpeg_quiet(j_common_ptr cinfo)
{
	(void)cinfo;
}

int
image_check_jpeg(const unsigned char *data, size_t n,
    const struct read_limits *lim, int *w, int *h, char *why, size_t whylen)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_err err;
	unsigned char *volatile row = NULL;
	volatile int ok = 0;

	memset(&err, 0, sizeof(err));
	memset(&cinfo, 0, sizeof(cinfo));
	cinfo.err = jpeg_std_error(&err.mgr);
	err.mgr.error_exit = jpeg_exit;
	err.mgr.emit_message = jpeg_emit;
	err.mgr.output_message = jpeg_quiet;
	if (setjmp(err.jmp)) {
		snprintf(why, whylen, "damaged JPEG image: %s", err.msg);
		goto done;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, (unsigned long)n);
	jpeg_read_header(&cinfo, TRUE);
	if (!size_ok((long)cinfo.image_width, (long)cinfo.image_height, lim,
	    why, whylen))
		goto done;
	jpeg_start_decompress(&cinfo);
	row = xmalloc((size_t)cinfo.output_width * cinfo.output_components);
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW rows[1] = { row };
		jpeg_read_scanlines(&cinfo, rows, 1);
	}
	jpeg_finish_decompress(&cinfo);
	if (err.warnings > 0) {
		snprintf(why, whylen, "damaged or truncated JPEG image: %s",
		    err.msg);
		goto done;
	}
	*w = (int)cinfo.image_width;
	*h = (int)cinfo.image_height;
	ok = 1;
done:
	free(row);
	jpeg_destroy_decompress(&cinfo);
	return ok ? 0 : -1;
}
