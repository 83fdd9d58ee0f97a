/*
 * fontembed.h - the font streams handed to libharu already compressed.
 *
 * Each embedded TrueType face costs three streams that libharu deflates
 * (zlib level 6) on the saving thread: the subset font (/FontFile2, built
 * at save time from the glyphs used), the /CIDToGIDMap (about 128 KB,
 * which depends only on the face and the UTF-8 encoder) and the
 * /ToUnicode CMap (tounicode.h; the same text for every face). For a
 * customer pack that was a third of its CPU time.
 *
 * fontembed_prepare(), called just before HPDF_SaveToFile once no more
 * text is drawn, compresses all three itself and marks them /FlateDecode
 * (flate.h), so libharu copies them as they are. The compressed bytes
 * are kept per process, keyed on the exact uncompressed bytes: a `packs`
 * process writes hundreds of documents whose maps and CMaps are the
 * same, and many of whose subsets are too (the faces of the running
 * header, footer and headings), so these are compressed once per
 * process. The output is the same PDF as libharu's, object for object;
 * only the zlib data (and the /Filter written as a name, not a
 * one-element array) differ.
 */
#ifndef DOSSIER_RENDER_FONTEMBED_H
#define DOSSIER_RENDER_FONTEMBED_H

#include <hpdf.h>
#include <stddef.h>

/*
 * For each of the n fonts (NULL entries skipped; fonts that are not
 * libharu's embedded TrueType Type0 fonts, or whose document does not
 * compress, are left to libharu): write the font descriptor with a
 * precompressed /FontFile2, and precompress the /CIDToGIDMap and
 * /ToUnicode streams. Call it once, after the last text is drawn and
 * just before saving (a second call changes nothing). Returns HPDF_OK,
 * or the libharu error code, which is then also set on the document.
 */
HPDF_STATUS fontembed_prepare(HPDF_Font *fonts, size_t n);

/* The process-wide cache of compressed font streams, for tests. */
struct fontembed_stats {
	unsigned long hits;	/* streams served from the cache */
	unsigned long misses;	/* streams compressed */
	size_t entries;		/* entries held now */
};
void fontembed_cache_stats(struct fontembed_stats *st);

/* Empty the cache and free its memory (the counters restart at 0). */
void fontembed_cache_clear(void);

#endif
