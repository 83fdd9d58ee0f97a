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
 * THE TABLES
 *
 * HPDF_Type0Font_New, through CIDFontType2_New (hpdf_font_cid.c), asks
 * for every code point from 0 to 0xFFFF in turn, once per face and per
 * document: 65,536 searches, about 20 M instructions a customer pack
 * even with the guess below. Since the libharu handle, and with it the
 * faces, is kept from document to document (render.c), each face's
 * 65,536 answers are kept too, in a table (128 KB) made by the first
 * such run and read by the next ones:
 *
 *   - a run starts with a call for code point 0 on a format-4 cmap: the
 *     face's cmap (format, segment count, and the contents of its five
 *     arrays, compared in full: not their addresses) is looked for among
 *     the tables kept (the last TABLE_MAX faces met); if none matches,
 *     a table is made from this file's own search for every code point
 *     and kept;
 *   - the run goes on while each call asks for the next code point, of
 *     the same definition, whose attributes and segment array are still
 *     the ones the run started with (same addresses): answered from the
 *     table;
 *   - any other call ends the run and is answered by the search.
 *
 * So a table answer is the search's answer for the same cmap contents:
 * the contents were compared when the run began, and nothing can free or
 * change a definition between two consecutive calls of one run (a face
 * is loaded once and never changed; freeing one and loading another at
 * the very same addresses between two calls for consecutive code points
 * is all it would take). tests/test_glyphid.c compares the runs' answers
 * with the library's for every face. Tables are per thread, as the other
 * caches here.
 *
 * QUICK FONTS
 *
 * Even answered from a table, CIDFontType2_New's run costs three calls
 * per code point (the glyph id, its width for /W, two bytes of the map
 * copied with HPDF_MemCpy): 74 instructions a code point, 29 M a
 * customer pack, for a /W and a map that fontembed.c throws away and
 * rebuilds for the code points the document uses. HPDF_Type0Font_New is
 * called through libharu's PLT too (from HPDF_GetFont), so it is
 * interposed here: while glyphid_quick_fonts is on (render.c, while it
 * draws; fontembed_prepare then gets every font), a font for an embedded
 * TrueType face with an encoder that is not a plain CMap one (UTF-8: the
 * CID is the code point) is made by libharu's own function with the
 * encoder lent, for that one call, the shape of a CMap encoder with a
 * single code (to_unicode_fn = HPDF_CMapEncoder_ToUnicode, cid_map[0][1]
 * = 1 for code point 0, both put back right after): CIDFontType2_New
 * then walks its 256 x 256 codes doing nothing for all but one, and
 * writes a /W without entries and a map of one CID. Every object, key
 * and value of the font is otherwise what libharu makes; fontembed.c's
 * trim() takes each CID's glyph from glyphid_table (the answers libharu's
 * walk would have got from this file) and rebuilds /W and the map, as it
 * did from libharu's. Only done when the face has a table.
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
#include "render/glyphid.h"

#include <dlfcn.h>
#include <hpdf.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Field offsets in Debian 12's libhpdf-2.3.0.so on x86-64, read from
 * its HPDF_TTFontDef_GetGlyphid. Other architectures: no check. */
#if defined(__x86_64__)
/* Quick fonts: the encoder's to_unicode_fn (0xa8, compared by
 * CIDFontType2_New with HPDF_CMapEncoder_ToUnicode's address) and the
 * CMap attributes' maps (cid_map at 0x20000, read there too). */
_Static_assert(offsetof(HPDF_Encoder_Rec, type) == 0x98 &&
    offsetof(HPDF_Encoder_Rec, to_unicode_fn) == 0xa8 &&
    offsetof(HPDF_Encoder_Rec, attr) == 0xd0 &&
    offsetof(HPDF_CMapEncoderAttr_Rec, unicode_map) == 0 &&
    offsetof(HPDF_CMapEncoderAttr_Rec, cid_map) == 0x20000,
    "libharu HPDF_Encoder_Rec layout differs from Debian 12's 2.3.0");
_Static_assert(offsetof(HPDF_FontDef_Rec, attr) == 0xf8,
    "libharu HPDF_FontDef_Rec layout differs from Debian 12's 2.3.0");
_Static_assert(offsetof(HPDF_TTFontDefAttr_Rec, cmap.format) == 0x138 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.seg_count_x2) == 0x13e &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.end_count) == 0x148 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.start_count) == 0x158 &&
    offsetof(HPDF_TTFontDefAttr_Rec, cmap.id_delta) == 0x160 &&
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

/* The search: the library's answer, as described on top. */
static HPDF_UINT16
search(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
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

/* ---- the tables (see "The tables" on top) ---- */

#define TABLE_MAX 16

struct table {
	/* the cmap it was made from: the key */
	HPDF_UINT16 format, seg_count_x2;
	HPDF_UINT glyph_id_array_count;
	HPDF_UINT16 *words;	/* end, start, delta, range offset, glyph ids */
	size_t nwords;
	unsigned long used;
	HPDF_UINT16 gid[0x10000];	/* the answer for each code point */
};

static _Thread_local struct table *tables[TABLE_MAX];
static _Thread_local unsigned long table_clock;

/* The run going on: its definition, the cmap arrays it started with,
 * the next code point it may ask for (0x10000: no run), its table. */
static _Thread_local struct {
	unsigned next;
	HPDF_FontDef def;
	const void *attr;
	const HPDF_UINT16 *end;
	const struct table *t;
} run = { .next = 0x10000 };

/* The cmap's format, counts and the contents of its arrays, as one array
 * of words (malloc'd, *n words), or NULL when it has no segments. */
static HPDF_UINT16 *
cmap_words(const HPDF_TTF_CmapRange *c, size_t *n)
{
	size_t seg = c->seg_count_x2 / 2;
	if (seg == 0 || !c->end_count || !c->start_count || !c->id_delta ||
	    !c->id_range_offset ||
	    (c->glyph_id_array_count && !c->glyph_id_array))
		return NULL;
	*n = 4 * seg + c->glyph_id_array_count;
	HPDF_UINT16 *w = malloc(*n * sizeof *w);
	if (!w)
		return NULL;
	memcpy(w, c->end_count, seg * sizeof *w);
	memcpy(w + seg, c->start_count, seg * sizeof *w);
	memcpy(w + 2 * seg, c->id_delta, seg * sizeof *w);
	memcpy(w + 3 * seg, c->id_range_offset, seg * sizeof *w);
	if (c->glyph_id_array_count)
		memcpy(w + 4 * seg, c->glyph_id_array,
		    c->glyph_id_array_count * sizeof *w);
	return w;
}

/* The table for fontdef's cmap, kept or made now; NULL if none can be
 * (no memory, or a cmap the table does not serve). */
static const struct table *
table_for(HPDF_FontDef fontdef)
{
	const HPDF_TTF_CmapRange *c =
	    &((HPDF_TTFontDefAttr)fontdef->attr)->cmap;
	size_t n;
	HPDF_UINT16 *w = cmap_words(c, &n);
	if (!w)
		return NULL;
	int slot = 0;
	for (int i = 0; i < TABLE_MAX; i++) {
		struct table *t = tables[i];
		if (t && t->format == c->format &&
		    t->seg_count_x2 == c->seg_count_x2 &&
		    t->glyph_id_array_count == c->glyph_id_array_count &&
		    t->nwords == n && memcmp(t->words, w, n * sizeof *w) == 0) {
			free(w);
			t->used = ++table_clock;
			return t;
		}
		if (!t || (tables[slot] && t->used < tables[slot]->used))
			slot = i;	/* empty, or used longest ago */
	}
	struct table *t = malloc(sizeof *t);
	if (!t) {
		free(w);
		return NULL;
	}
	t->format = c->format;
	t->seg_count_x2 = c->seg_count_x2;
	t->glyph_id_array_count = c->glyph_id_array_count;
	t->words = w;
	t->nwords = n;
	for (unsigned u = 0; u < 0x10000; u++)
		t->gid[u] = search(fontdef, (HPDF_UINT16)u);
	t->used = ++table_clock;
	if (tables[slot]) {
		free(tables[slot]->words);
		free(tables[slot]);
	}
	tables[slot] = t;
	return t;
}

/* Any call but the next of a run. */
static __attribute__((noinline)) HPDF_UINT16
not_in_run(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
	const HPDF_TTF_CmapRange *c = &attr->cmap;

	run.next = 0x10000;
	if (unicode == 0 && c->format == 4 && c->seg_count_x2 != 0) {
		const struct table *t = table_for(fontdef);
		if (t) {
			run.def = fontdef;
			run.attr = attr;
			run.end = c->end_count;
			run.t = t;
			run.next = 1;
			return t->gid[0];
		}
	}
	return search(fontdef, unicode);
}

HPDF_UINT16
HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
	/* The next call of a run: the same definition, with the same
	 * attributes and segment array (a run ends after 0xFFFF: next is
	 * then 0x10000). */
	if (unicode == run.next && fontdef == run.def &&
	    fontdef->attr == run.attr &&
	    ((HPDF_TTFontDefAttr)fontdef->attr)->cmap.end_count == run.end) {
		run.next = unicode + 1u;
		return run.t->gid[unicode];
	}
	return not_in_run(fontdef, unicode);
}

const HPDF_UINT16 *
glyphid_table(HPDF_FontDef def)
{
	if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
		return NULL;
	const HPDF_TTF_CmapRange *c = &((HPDF_TTFontDefAttr)def->attr)->cmap;
	if (c->format != 4 || c->seg_count_x2 == 0)
		return NULL;
	run.next = 0x10000;	/* (a table may be dropped below) */
	const struct table *t = table_for(def);
	return t ? t->gid : NULL;
}

/* ---- quick fonts (see "Quick fonts" on top) ---- */

static _Thread_local int quick_fonts;

void
glyphid_quick_fonts(int on)
{
	quick_fonts = on;
}

typedef HPDF_Font (*type0_new_fn)(HPDF_MMgr, HPDF_FontDef, HPDF_Encoder,
    HPDF_Xref);

HPDF_Font
HPDF_Type0Font_New(HPDF_MMgr mmgr, HPDF_FontDef fontdef, HPDF_Encoder encoder,
    HPDF_Xref xref)
{
	static type0_new_fn real;
	type0_new_fn fn = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
	if (!fn) {
		void *p = dlsym(RTLD_NEXT, "HPDF_Type0Font_New");
		if (!p) {
			if (mmgr)
				HPDF_SetError(mmgr->error, HPDF_INVALID_OBJECT, 0);
			return NULL;
		}
		memcpy(&fn, &p, sizeof fn);	/* object to function */
		__atomic_store_n(&real, fn, __ATOMIC_RELEASE);
	}
	HPDF_CMapEncoderAttr ea = encoder ?
	    (HPDF_CMapEncoderAttr)encoder->attr : NULL;
	if (!quick_fonts || !fontdef || !fontdef->attr ||
	    fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE ||
	    !((HPDF_TTFontDefAttr)fontdef->attr)->embedding || !ea ||
	    encoder->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE ||
	    encoder->to_unicode_fn == HPDF_CMapEncoder_ToUnicode ||
	    !glyphid_table(fontdef))
		return fn(mmgr, fontdef, encoder, xref);
	HPDF_Encoder_ToUnicode_Func to_unicode = encoder->to_unicode_fn;
	HPDF_UINT16 cid = ea->cid_map[0][1];
	HPDF_UNICODE code = ea->unicode_map[0][1];
	encoder->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	ea->cid_map[0][1] = 1;
	ea->unicode_map[0][1] = 0;
	HPDF_Font font = fn(mmgr, fontdef, encoder, xref);
	encoder->to_unicode_fn = to_unicode;
	ea->cid_map[0][1] = cid;
	ea->unicode_map[0][1] = code;
	return font;
}
