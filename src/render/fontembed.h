/*
 * fontembed.h - the font streams handed to libharu already compressed,
 * and cut down to the characters the document uses.
 *
 * Each embedded TrueType face costs three streams that libharu deflates
 * (zlib level 6) on the saving thread: the subset font (/FontFile2, built
 * at save time from the glyphs used), the /CIDToGIDMap and the
 * /ToUnicode CMap (tounicode.h; the same text for every face). libharu
 * also writes the width (/W) and the glyph (map, 128 KB) of every code
 * point the face has, used or not.
 *
 * fontembed_prepare(), called just before HPDF_SaveToFile once no more
 * text is drawn, cuts /W and the map down to the code points whose glyph
 * is in the subset (same values, same glyphs, for every character the
 * pages show), and compresses all three streams itself, marked
 * /FlateDecode (flate.h), so libharu copies them as they are. The
 * compressed subsets and CMap are kept per process, keyed on the exact
 * uncompressed bytes: a `packs` process writes hundreds of documents
 * whose CMaps are the same, and many of whose subsets are too (the faces
 * of the running header, footer and headings), so these are compressed
 * once per process. The subsets of a face given to fontembed_adopt are
 * also kept keyed on the face and its glyph set, which determine them:
 * found there, they are not even made again. The output has the same
 * objects as libharu's; /W
 * and the map hold less, and the zlib data (and the /Filter written as a
 * name, not a one-element array) differ.
 */
#ifndef DOSSIER_RENDER_FONTEMBED_H
#define DOSSIER_RENDER_FONTEMBED_H

#include <hpdf.h>
#include <stddef.h>

/*
 * For each of the n fonts (NULL entries skipped; fonts that are not
 * libharu's embedded TrueType Type0 fonts, or whose document does not
 * compress, are left to libharu): write the font descriptor with a
 * precompressed /FontFile2, keep in /W and the /CIDToGIDMap only the
 * CIDs whose glyph is in the subset, and precompress the /CIDToGIDMap
 * and /ToUnicode streams. Call it once, after the last text is drawn and
 * just before saving (a second call changes nothing). Returns HPDF_OK,
 * or the libharu error code, which is then also set on the document.
 */
HPDF_STATUS fontembed_prepare(HPDF_Font *fonts, size_t n);

/*
 * Serve the face def (a TrueType definition libharu loaded from a file,
 * for embedding) from memory: its file is read once and the definition's
 * file stream replaced by one over those bytes, freed with it. Its
 * subsets are then also cached by glyph set (fontembed.c, "The caches").
 * Call it once, right after loading; other definitions, or one adopted
 * already, are left as they are. Returns HPDF_OK, or the libharu error
 * code (set on the definition's document) when the file cannot be read.
 */
HPDF_STATUS fontembed_adopt(HPDF_FontDef def);

/* For tests: the subset of the adopted face def with its glyph flags as
 * they are, made by fontembed.c's own subsetter (malloc'd, *len bytes:
 * what HPDF_TTFontDef_SaveFontData writes); not HPDF_OK when def is not
 * adopted or the subsetter leaves it to libharu. */
HPDF_STATUS fontembed_subset_bytes(HPDF_FontDef def, unsigned char **out,
    size_t *len);

/* The process-wide caches of compressed font streams, for tests. */
struct fontembed_stats {
	unsigned long hits;	/* streams served from the byte-keyed cache */
	unsigned long misses;	/* streams compressed */
	size_t entries;		/* entries held now */
	unsigned long subset_hits;	/* subsets from the glyph-set cache */
	unsigned long subset_misses;	/* subsets made (adopted faces) */
	size_t subsets;		/* entries held now */
};
void fontembed_cache_stats(struct fontembed_stats *st);

/* Empty the caches and free their memory (the counters restart at 0).
 * Adopted faces stay adopted. */
void fontembed_cache_clear(void);

#endif
