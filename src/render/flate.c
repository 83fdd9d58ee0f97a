/* flate.c - streams handed to libharu already compressed (flate.h). */
#include "render/flate.h"

#include <hpdf_streams.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

struct flate {
	struct libdeflate_compressor *c;
};

struct flate *
flate_new(int level)
{
	struct flate *f = xmalloc(sizeof *f);
	f->c = libdeflate_alloc_compressor(level);
	if (f->c == NULL) {
		/* Only for lack of memory: the levels we pass are valid. */
		fprintf(stderr, "dossier: out of memory (a compressor at "
		    "level %d)\n", level);
		exit(2);
	}
	return f;
}

void
flate_free(struct flate *f)
{
	if (!f)
		return;
	libdeflate_free_compressor(f->c);
	free(f);
}

unsigned char *
flate_zlib(struct flate *f, const void *in, size_t len, size_t *zlen)
{
	size_t bound = libdeflate_zlib_compress_bound(f->c, len);
	unsigned char *z = xmalloc(bound);
	/* With a buffer of the bound's size libdeflate does not fail;
	 * should it, the caller keeps the data uncompressed. */
	size_t n = libdeflate_zlib_compress(f->c, in, len, z, bound);
	if (n == 0) {
		free(z);
		return NULL;
	}
	/* The bound is larger than the input; keep what the data uses. */
	*zlen = n;
	return xreallocarray(z, n, 1);
}

static HPDF_STATUS
write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

void
flate_mark_precompressed(HPDF_Dict stream_dict)
{
	stream_dict->filter = HPDF_STREAM_FILTER_NONE;
	stream_dict->write_fn = write_flate_filter;
}

/* As libharu writes the key for a stream it compresses itself: an array,
 * added to the dictionary at its first write, so the last key, and the
 * hook writes after the keys. */
static HPDF_STATUS
write_flate_filter_array(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter [ /FlateDecode ]\012");
}

void
flate_mark_precompressed_array(HPDF_Dict stream_dict)
{
	stream_dict->filter = HPDF_STREAM_FILTER_NONE;
	stream_dict->write_fn = write_flate_filter_array;
}
