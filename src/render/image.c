/*
 * image.c - PNG decoding with libpng, JPEG validation with libjpeg.
 */
#include "render/image.h"

#include <png.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void image_free(struct image *img)
{
	if (!img)
		return;
	free(img->pixels);
	free(img->alpha);
	free(img->path);
	free(img);
}

/* libpng reports through these; the message is kept for the caller. */
struct png_err {
	char *msg;
	size_t len;
};

static void png_error_fn(png_structp png, png_const_charp msg)
{
	struct png_err *e = png_get_error_ptr(png);
	snprintf(e->msg, e->len, "PNG: %s", msg);
	png_longjmp(png, 1);
}

static void png_warning_fn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;	/* warnings (e.g. bad sRGB chunk) do not stop us */
}

struct image *image_load_png(const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "cannot open");
		return NULL;
	}
	unsigned char sig[8];
	if (fread(sig, 1, 8, fp) != 8 || png_sig_cmp(sig, 0, 8) != 0) {
		snprintf(err, errlen, "not a PNG file");
		fclose(fp);
		return NULL;
	}
	struct png_err pe = { err, errlen };
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &pe,
	    png_error_fn, png_warning_fn);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		snprintf(err, errlen, "out of memory");
		png_destroy_read_struct(&png, NULL, NULL);
		fclose(fp);
		return NULL;
	}
	/* Everything allocated after setjmp is reachable from here, so the
	 * error path can free it (volatile: changed between setjmp and a
	 * possible longjmp). */
	unsigned char *volatile data = NULL;
	png_bytep *volatile rows = NULL;
	if (setjmp(png_jmpbuf(png))) {
		free(data);
		free(rows);
		png_destroy_read_struct(&png, &info, NULL);
		fclose(fp);
		return NULL;
	}
	png_init_io(png, fp);
	png_set_sig_bytes(png, 8);
	png_set_user_limits(png, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE);
	png_read_info(png, info);
	png_uint_32 w = png_get_image_width(png, info);
	png_uint_32 h = png_get_image_height(png, info);
	if ((unsigned long)w * h > IMAGE_MAX_PIXELS)
		png_error(png, "image too large");
	png_set_expand(png);		/* palette, low-depth gray, tRNS */
	png_set_strip_16(png);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	int ch = png_get_channels(png, info);
	size_t rowbytes = png_get_rowbytes(png, info);
	if (ch < 1 || ch > 4 || rowbytes != (size_t)w * ch)
		png_error(png, "unexpected pixel layout");
	data = xmalloc(rowbytes * h);
	rows = xmalloc(h * sizeof *rows);
	for (png_uint_32 y = 0; y < h; y++)
		rows[y] = data + y * rowbytes;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	fclose(fp);
	free(rows);

	struct image *img = xcalloc(1, sizeof *img);
	img->kind = IMAGE_PNG;
	img->width = w;
	img->height = h;
	int has_alpha = ch == 2 || ch == 4;
	img->channels = has_alpha ? ch - 1 : ch;
	if (!has_alpha) {
		img->pixels = data;
		return img;
	}
	/* Split colour and alpha; an alpha plane that is all opaque is
	 * dropped so no soft mask is written. */
	size_t npix = (size_t)w * h;
	img->pixels = xmalloc(npix * img->channels);
	img->alpha = xmalloc(npix);
	int opaque = 1;
	for (size_t i = 0; i < npix; i++) {
		memcpy(img->pixels + i * img->channels, data + i * ch,
		    img->channels);
		img->alpha[i] = data[i * ch + ch - 1];
		if (img->alpha[i] != 255)
			opaque = 0;
	}
	free(data);
	if (opaque) {
		free(img->alpha);
		img->alpha = NULL;
	}
	return img;
}

struct jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jmp;
	char msg[JMSG_LENGTH_MAX];
};

static void jpeg_error_exit(j_common_ptr cinfo)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
	cinfo->err->format_message(cinfo, e->msg);
	longjmp(e->jmp, 1);
}

struct image *image_load_jpeg(const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "cannot open");
		return NULL;
	}
	struct jpeg_decompress_struct cinfo;
	struct jpeg_err je;
	cinfo.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jpeg_error_exit;
	if (setjmp(je.jmp)) {
		snprintf(err, errlen, "JPEG: %s", je.msg);
		jpeg_destroy_decompress(&cinfo);
		fclose(fp);
		return NULL;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_stdio_src(&cinfo, fp);
	jpeg_read_header(&cinfo, TRUE);
	unsigned w = cinfo.image_width, h = cinfo.image_height;
	int comps = cinfo.num_components;
	/* libharu embeds only gray and RGB baseline-style JPEGs correctly. */
	int ok = w > 0 && h > 0 && w <= IMAGE_MAX_SIDE && h <= IMAGE_MAX_SIDE &&
	    (comps == 1 || comps == 3);
	jpeg_destroy_decompress(&cinfo);
	fclose(fp);
	if (!ok) {
		snprintf(err, errlen, "JPEG: unsupported size or colour space "
		    "(%ux%u, %d components)", w, h, comps);
		return NULL;
	}
	struct image *img = xcalloc(1, sizeof *img);
	img->kind = IMAGE_JPEG;
	img->width = w;
	img->height = h;
	img->channels = comps;
	img->path = xstrdup(path);
	return img;
}
