/*
 * fonts_copy.c - measuring text on a thread other than the one that owns
 * the fonts (chunks of a layout pass, chunk.h).
 *
 * fonts_width fills a lazy width cache and asks libharu's
 * HPDF_TTFontDef_GetCharWidth, which also marks the glyph as used, so
 * that it goes into the embedded subset: libharu state, written without
 * a lock. A copy has its own cache and asks for the width without
 * marking anything: HPDF_TTFontDef_GetGlyphid then
 * HPDF_TTFontDef_GetGidWidth. In libharu 2.3.0 (hpdf_fontdef_tt.c, and
 * the machine code of Debian 12's libhpdf-2.3.0.so) GetCharWidth is
 * exactly GetGidWidth of GetGlyphid's answer plus the marking: both
 * return the font's missing_width for a glyph id at or past num_glyphs,
 * else the glyph's advance width * 1000 / units per em. The missing-glyph
 * test of fonts_width (glyph 0 for anything but the space) is repeated
 * as it is. GetGlyphid only reads the font's cmap (render/glyphid.c, the
 * definition dossier uses, keeps its guesses in thread-local variables).
 *
 * The copy lists each code point the first time it measures it. After
 * the threads are done, fonts_copy_replay measures them again on the
 * real fonts, chunk after chunk, so they are marked there. The order
 * matters: when a glyph is first marked, libharu also marks the
 * components of a composite glyph (CheckCompositGryph), but a glyph that
 * was first marked as a component is never looked at again, so its own
 * components would be missed. Replaying each chunk's first measurements,
 * chunks in document order, pass after pass, gives the order of first
 * measurement of a single-threaded layout: a code point new to the whole
 * layout is new to its chunk, and where a chunk measures a paragraph that
 * a single thread would have found in its memo, every code point of it
 * was measured before. So the subsets, and the PDF, are the same bytes.
 */
#include "layout/fonts.h"

#include <hpdf_fontdef.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void fonts_copy_open(struct fonts *copy, const struct fonts *f)
{
	memset(copy, 0, sizeof *copy);	/* no pdf: a copy never draws */
	for (int i = 0; i < FACE_COUNT; i++)
		copy->def[i] = f->def[i];
	copy->copy = 1;
}

int fonts_copy_width(struct fonts *copy, enum face face, uint32_t cp)
{
	HPDF_FontDef def = copy->def[face];
	HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
	int w = cp != 0x20 && gid == 0 ? -1 :
	    HPDF_TTFontDef_GetGidWidth(def, gid);
	if (copy->nmeasured == copy->capmeasured) {
		copy->capmeasured = copy->capmeasured ? 2 * copy->capmeasured :
		    256;
		copy->measured = xreallocarray(copy->measured,
		    copy->capmeasured, sizeof *copy->measured);
	}
	copy->measured[copy->nmeasured++] = (uint32_t)face << 16 | cp;
	return w;
}

void fonts_copy_replay(struct fonts *f, struct fonts *copy)
{
	for (size_t i = 0; i < copy->nmeasured; i++) {
		uint32_t m = copy->measured[i];
		fonts_width(f, (enum face)(m >> 16), m & 0xFFFF);
	}
	copy->nmeasured = 0;
}

void fonts_copy_close(struct fonts *copy)
{
	free(copy->measured);
	copy->dir = NULL;
	fonts_close(copy);	/* the widths; the font data is f's */
}
