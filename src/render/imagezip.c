/*
 * imagezip.c - PNG pixels compressed apart from the save (imagezip.h).
 */
#include "render/imagezip.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <stdlib.h>

#include "render/flate.h"
#include "render/image.h"
#include "util/xalloc.h"

/*
 * Compressed by libdeflate (flate.h): libharu deflated them at zlib's
 * default level while saving (hpdf_streams.c:
 * deflateInit(Z_DEFAULT_COMPRESSION), 4 KB reads), 5.6 % of a medium-case
 * pack's instructions. Measured on the 666 medium packs (-j 2) and the
 * default dossier, against libharu's zlib (54.93 G instructions,
 * 245,455,072 bytes; amen-2005 1,562,106 bytes):
 *
 *   libdeflate level   packs instructions   packs bytes    amen-2005
 *   1                  52.46 G              245,925,682    1,606,426
 *   4                  53.30 G              245,987,651    1,575,987
 *   6                  53.80 G              245,910,656    1,562,046
 *   9                  53.72 G              245,419,079    1,554,350
 *
 * Level 9: no file larger than before, for 2.2 % fewer instructions;
 * level 1 would save 2.3 % more but make the default dossier's
 * screenshots 2.8 % larger.
 */
#define IMAGE_LEVEL 9

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

static void zip(struct flate *f, const unsigned char *raw, size_t len,
    struct zipped *out)
{
	/* NULL (libdeflate failed, which it does not with the buffer it
	 * is given): libharu compresses this one. */
	out->data = flate_zlib(f, raw, len, &out->len);
}

static void *work(void *arg)
{
	struct imagezip *z = arg;
	struct flate *f = flate_new(IMAGE_LEVEL);
	for (size_t i = 0; i < z->n; i++) {
		const struct image *img = z->images[i];
		if (!img || img->kind != IMAGE_PNG || !img->pixels)
			continue;
		size_t px = (size_t)img->width * img->height;
		zip(f, img->pixels, px * (size_t)img->channels,
		    &z->pixels[i]);
		if (img->alpha)
			zip(f, img->alpha, px, &z->alpha[i]);
	}
	flate_free(f);
	return NULL;
}

struct imagezip *
imagezip_start(struct image *const *images, size_t n, int thread)
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
	if (thread && pthread_create(&z->thread, NULL, work, z) == 0)
		z->running = 1;
	else
		work(z);	/* here and now: same bytes */
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
