/*
 * glyphid.c - a faster HPDF_TTFontDef_GetGlyphid for libharu 2.3.0.
 *
 * WHY
 *
 * libharu maps a Unicode code point to a glyph id with
 * HPDF_TTFontDef_GetGlyphid, which walks the segments of the font's
 * format-4 cmap one by one (about 200 segments in a Liberation face).
 * HPDF_Type0Font_New, run by HPDF_GetFont(pdf, name, "UTF-8") once per
 * face and per document, calls it for every BMP code point to build the
 * CID-to-glyph map: about 74 million instructions per face, per
 * document. A customer pack is a small document, so this was a large
 * share of its cost.
 *
 * HOW
 *
 * libhpdf.so calls the function through its PLT (objdump -d shows
 * "call HPDF_TTFontDef_GetGlyphid@plt"), so under the ordinary ELF
 * symbol resolution a definition in the executable interposes it: the
 * library's own calls, and ours in layout/fonts.c, come here. This file
 * defines the same function with a binary search over the segments. The
 * results are identical to the library's for every input the library
 * handles soundly (tests/test_glyphid.c compares the two for every code
 * point 0..0xFFFF of every face in fonts/, and the output PDFs are
 * byte-identical):
 *
 *   - format 0 cmap: glyph_id_array[code & 0xFF], as the library does;
 *   - no segment (seg_count_x2 == 0): error HPDF_TTF_INVALID_CMAP set on
 *     the font's error object and 0 returned, as the library does;
 *   - format 4: the first segment whose end code is >= the code point
 *     (what the library's linear walk finds), then the same id_delta /
 *     id_range_offset arithmetic in the same unsigned int width.
 *
 * Three differences, all on malformed fonts only, where the library
 * reads past its own arrays and we return 0 (no glyph) instead: no
 * segment ends at or after the code point (a valid cmap's last segment
 * ends at 0xFFFF); an index into glyph_id_array equal to its length (the
 * library tests "idx > count", one too far). And the binary search needs
 * the end codes in ascending order, which the TrueType specification
 * requires; the order is checked once per font (see sorted_ends) and an
 * unsorted table falls back to the library's linear walk.
 *
 * WHAT IT RELIES ON
 *
 * The internal structures of Debian 12's libhpdf 2.3.0
 * (2.3.0+dfsg-1+b1), declared in its installed internal header
 * <hpdf_fontdef.h>: HPDF_FontDef_Rec (attr, error) and
 * HPDF_TTFontDefAttr_Rec (cmap). The _Static_asserts below pin the field
 * offsets read from that library's own machine code
 * (objdump -d of HPDF_TTFontDef_GetGlyphid): if a different libharu
 * changes the layout, the build fails here instead of reading garbage.
 * With another libharu version, check its hpdf_fontdef_tt.c and the
 * offsets again, or drop this file (everything works without it, only
 * slower).
 */
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <stddef.h>

/* Field offsets in Debian 12's libhpdf-2.3.0.so on x86-64, read from
 * its HPDF_TTFontDef_GetGlyphid. Other architectures: no check. */
#if defined(__x86_64__)
_Static_assert(offsetof(HPDF_FontDef_Rec, attr) == 0xf8,
    "libharu HPDF_FontDef_Rec layout differs from Debian 12's 2.3.0");
_Static_assert(offsetof(HPDF_TTFontDefAttr_Rec, cmap.format) == 0x138 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.seg_count_x2) == 0x13e &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.end_count) == 0x148 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.start_count) == 0x158 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.id_range_offset) == 0x168 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.glyph_id_array) == 0x170 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.glyph_id_array_count) == 0x178,
    "libharu HPDF_TTFontDefAttr_Rec layout differs from Debian 12's 2.3.0");
#endif

/*
 * 1 if the n end codes are in ascending order. The answer for the last
 * table checked is remembered (by address and length): the function is
 * called 65,536 times in a row for one face when a font is created.
 * dossier renders on one thread; the cache is per thread to stay correct
 * anyway.
 */
static int
sorted_ends(const HPDF_UINT16 *end, HPDF_UINT n)
{
	static _Thread_local const HPDF_UINT16 *last_end;
	static _Thread_local HPDF_UINT last_n;
	static _Thread_local int last_sorted;

	if (end == last_end && n == last_n)
		return last_sorted;
	int sorted = 1;
	for (HPDF_UINT i = 1; i < n && sorted; i++)
		sorted = end[i - 1] <= end[i];
	last_end = end;
	last_n = n;
	last_sorted = sorted;
	return sorted;
}

/*
 * The first of the n sorted end codes that is >= code (n when none).
 * HPDF_Type0Font_New asks for every code point in increasing order, so
 * the answer is nearly always the previous one or the next: that guess
 * is tried first and checked against the table itself (the answer is the
 * i with end[i-1] < code <= end[i]), so a stale guess, even from another
 * font at the same address, can only cost the binary search.
 */
static HPDF_UINT
first_end_at_least(const HPDF_UINT16 *end, HPDF_UINT n, HPDF_UINT16 code)
{
	static _Thread_local HPDF_UINT guess;

	for (HPDF_UINT g = guess; g < n && g <= guess + 1; g++)
		if (code <= end[g] && (g == 0 || end[g - 1] < code))
			return guess = g;
	HPDF_UINT lo = 0, hi = n;	/* answer in [lo, hi] */
	while (lo < hi) {
		HPDF_UINT mid = lo + (hi - lo) / 2;
		if (end[mid] < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n)
		guess = lo;
	return lo;
}

HPDF_UINT16
HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
	const HPDF_TTF_CmapRange *cmap = &attr->cmap;
	HPDF_UINT seg_count = cmap->seg_count_x2 / 2;
	HPDF_UINT i;

	/* Format 0: one byte per code, as in the library. */
	if (cmap->format == 0) {
		unicode &= 0xFF;
		return cmap->glyph_id_array[unicode];
	}

	/* Format 4 without segments: the library's error. */
	if (cmap->seg_count_x2 == 0) {
		HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
		return 0;
	}

	/* i = the first segment whose end code is >= unicode. */
	if (sorted_ends(cmap->end_count, seg_count)) {
		i = first_end_at_least(cmap->end_count, seg_count, unicode);
	} else {
		for (i = 0; i < seg_count; i++)
			if (unicode <= cmap->end_count[i])
				break;
	}
	if (i == seg_count)
		return 0;	/* malformed cmap, see the comment on top */

	if (cmap->start_count[i] > unicode)
		return 0;	/* in no segment: no glyph */

	if (cmap->id_range_offset[i] == 0)
		return (HPDF_UINT16)(unicode + cmap->id_delta[i]);

	/* The library's arithmetic, in its unsigned int width (a wrap
	 * below zero gives a huge index, refused like the library does). */
	HPDF_UINT idx = cmap->id_range_offset[i] / 2 +
	    (unicode - cmap->start_count[i]) - (seg_count - i);
	if (idx >= cmap->glyph_id_array_count)
		return 0;	/* the library: idx > count, see on top */
	return (HPDF_UINT16)(cmap->glyph_id_array[idx] + cmap->id_delta[i]);
}
