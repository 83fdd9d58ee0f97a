/*
 * flate.h - streams handed to libharu already compressed.
 *
 * libharu deflates a stream while saving, on the one thread that saves;
 * data compressed beforehand (on another core, see pagezip.h and
 * attach.h) must be copied as it is yet still be declared /FlateDecode.
 * Its writer removes /Filter from a stream whose filter is "none", so
 * the key is written by the dictionary's write hook instead (write_fn in
 * libharu's internal <hpdf_objects.h>, the hook its fonts use).
 */
#ifndef DOSSIER_RENDER_FLATE_H
#define DOSSIER_RENDER_FLATE_H

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stddef.h>

/*
 * What we compress ourselves (page contents, attachments, font subsets)
 * goes through libdeflate, not zlib: for the same data it is two to
 * three times faster at a size no larger. Measured on the build machine
 * (one core, whole-buffer calls), zlib level 3 (what these streams used
 * before) against libdeflate level 1:
 *
 *   data                                   zlib 3             libdeflate 1
 *   page contents of the medium bench      4.31 MB, 0.289 s   4.26 MB, 0.112 s
 *     case (1,511 streams, 19.2 MB)
 *   30 MB of the large case's Nagios log   3.11 MB, 0.247 s   3.24 MB, 0.112 s
 *   20 MB of its complaints.csv            4.23 MB, 0.465 s   4.27 MB, 0.153 s
 *   LiberationSerif-Regular.ttf (whole)    221 KB, 0.017 s    223 KB, 0.006 s
 *
 * Deflate was the largest single cost of a large build (23 % of its
 * processor time, 3.5 s of it the page contents) and of the packs (27 %).
 * libdeflate's higher levels are slower for little gain here (level 2:
 * 0.225 s for 4.12 MB of page contents). Its output depends only on the
 * input, the level and libdeflate's version, like zlib's: the same case
 * gives the same bytes. Images and the CMap use higher levels
 * (imagezip.c, fontembed.c "Levels"); zlib stays only where its own
 * options matter, the CIDToGIDMaps (run-length strategy), and in
 * libharu's own streams.
 */
#ifndef FLATE_LEVEL
#define FLATE_LEVEL 1
#endif

/* A libdeflate compressor at one level, for one thread at a time. */
struct flate;

/* A compressor at level (1 to 12); exits like xmalloc when memory runs
 * out. */
struct flate *flate_new(int level);
void flate_free(struct flate *f);

/*
 * in[0..len) as zlib data (RFC 1950, what /FlateDecode reads), in a
 * malloc'd buffer of exactly *zlen bytes; NULL if libdeflate failed
 * (it does not with the buffer it is given: the caller then keeps the
 * data as it is, or reports it).
 */
unsigned char *flate_zlib(struct flate *f, const void *in, size_t len,
    size_t *zlen);

/* Mark the stream dict as holding zlib data written by us. */
void flate_mark_precompressed(HPDF_Dict stream_dict);

/* The same, the key written "/Filter [ /FlateDecode ]" where libharu
 * writes it for a stream it compressed itself (imagezip.h: the same
 * bytes as before, to the key). */
void flate_mark_precompressed_array(HPDF_Dict stream_dict);

#endif
