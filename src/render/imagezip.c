/*
 * imagezip.c - PNG pixels compressed on the second core (imagezip.h).
 *
 * libharu 2.3.0 compresses an image stream in HPDF_Stream_WriteToStream
 * with deflateInit(Z_DEFAULT_COMPRESSION) and deflate(Z_NO_FLUSH) over
 * 4 KB reads, then Z_FINISH; compress2 at Z_DEFAULT_COMPRESSION has the
 * same parameters (window 15, memory level 8, default strategy) and
 * zlib's output does not depend on how the input is fed without
 * flushes, so the bytes are the same (tests/test_savestream.c compares).
 */
#include "render/imagezip.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <stdlib.h>
#include <zlib.h>

#include "render/flate.h"
#include "render/image.h"
#include "util/xalloc.h"

struct zipped {
	unsigned char *data;	/* NULL: left to libharu */
	size_t len;
};

struct imagezip {
	struct image *const *images;
	size_t n;
	struct zipped *pixels, *alpha;
	pthread_t thread;
	int running;
};

static void zip(const unsigned char *raw, size_t len, struct zipped *out)
{
	uLongf cap = compressBound((uLong)len);
	out->data = xmalloc(cap);
	if (compress2(out->data, &cap, raw, (uLong)len,
	    Z_DEFAULT_COMPRESSION) == Z_OK) {
		out->len = cap;
	} else {		/* cannot happen with a bound-sized buffer */
		free(out->data);
		out->data = NULL;
	}
}

static void *work(void *arg)
{
	struct imagezip *z = arg;
	for (size_t i = 0; i < z->n; i++) {
		const struct image *img = z->images[i];
		if (!img || img->kind != IMAGE_PNG || !img->pixels)
			continue;
		size_t px = (size_t)img->width * img->height;
		zip(img->pixels, px * (size_t)img->channels, &z->pixels[i]);
		if (img->alpha)
			zip(img->alpha, px, &z->alpha[i]);
	}
	return NULL;
}

struct imagezip *
imagezip_start(struct image *const *images, size_t n)
{
	size_t png = 0;
	for (size_t i = 0; i < n; i++)
		png += images[i] && images[i]->kind == IMAGE_PNG;
	if (png == 0)
		return NULL;
	struct imagezip *z = xcalloc(1, sizeof *z);
	z->images = images;
	z->n = n;
	z->pixels = xcalloc(n, sizeof *z->pixels);
	z->alpha = xcalloc(n, sizeof *z->alpha);
	if (pthread_create(&z->thread, NULL, work, z) != 0) {
		imagezip_free(z);
		return NULL;	/* libharu compresses them, as ever */
	}
	z->running = 1;
	return z;
}

static void stop(struct imagezip *z)
{
	if (z->running) {
		pthread_join(z->thread, NULL);
		z->running = 0;
	}
}

/* The image's stream holds data instead of the raw bytes, and libharu
 * writes it as it is under the /Filter it would have written. */
static int put(HPDF_Dict im, struct zipped *data)
{
	if (!data->data || !im || !im->stream ||
	    im->stream->type != HPDF_STREAM_MEMORY ||
	    im->filter != HPDF_STREAM_FILTER_FLATE_DECODE || im->write_fn)
		return 0;	/* not as expected: libharu compresses it */
	HPDF_MemStream_FreeData(im->stream);
	if (HPDF_Stream_Write(im->stream, data->data, (HPDF_UINT)data->len) !=
	    HPDF_OK)
		return -1;
	flate_mark_precompressed_array(im);
	return 0;
}

int
imagezip_finish(struct imagezip *z, HPDF_Image *handles)
{
	if (!z)
		return 0;
	stop(z);
	for (size_t i = 0; i < z->n; i++) {
		HPDF_Image im = handles[i];
		if (!im)
			continue;	/* never drawn */
		if (put(im, &z->pixels[i]) != 0)
			return -1;
		if (z->alpha[i].data && put(HPDF_Dict_GetItem(im, "SMask",
		    HPDF_OCLASS_DICT), &z->alpha[i]) != 0)
			return -1;
	}
	return 0;
}

void
imagezip_free(struct imagezip *z)
{
	if (!z)
		return;
	stop(z);
	for (size_t i = 0; i < z->n; i++) {
		free(z->pixels[i].data);
		free(z->alpha[i].data);
	}
	free(z->pixels);
	free(z->alpha);
	free(z);
}
