/*
 * glyphid.h - the per-face glyph id tables of glyphid.c, for fontembed.c
 * and render.c (see glyphid.c, "The tables" and "Quick fonts").
 */
#ifndef DOSSIER_RENDER_GLYPHID_H
#define DOSSIER_RENDER_GLYPHID_H

#include <hpdf.h>

/*
 * The glyph id of every code point 0..0xFFFF in def's cmap, as
 * HPDF_TTFontDef_GetGlyphid gives them (65,536 entries), or NULL when
 * def's cmap is not one the tables serve. Valid until the next call.
 */
const HPDF_UINT16 *glyphid_table(HPDF_FontDef def);

/*
 * While on (on this thread), HPDF_Type0Font_New leaves the /W array and
 * the /CIDToGIDMap of an embedded TrueType font with a UTF-8 style
 * encoder nearly empty instead of filling them for all 65,535 code
 * points: fontembed_prepare, which rebuilds both from glyphid_table,
 * must then be given every font made meanwhile.
 */
void glyphid_quick_fonts(int on);

#endif
