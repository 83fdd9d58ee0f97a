/*
 * textout.h - text written straight into a page's content stream.
 *
 * libharu's HPDF_Page_TextOut measures every string again with its
 * linear glyph lookup and emits one positioning operator per call; a
 * justified line is many words, so that doubled the cost of a page. Here
 * the words of one line (same font, size, colour, baseline) become one
 * TJ array whose numbers are the gaps between words, measured with the
 * layout's cached widths. Fonts and colours still go through libharu
 * (HPDF_Page_SetFontAndSize registers the font in the page resources).
 *
 * With libharu's UTF-8 encoder a character's code in the content stream
 * is its BMP code point (two bytes), written here as a literal string:
 * the two bytes big-endian as they are, except \ ( ) CR and LF, which
 * are escaped (\\ \( \) \r \n). Hex (four digits per character) made
 * page contents 1.9 times larger before compression and costlier to
 * deflate.
 */
#ifndef DOSSIER_RENDER_TEXTOUT_H
#define DOSSIER_RENDER_TEXTOUT_H

#include <hpdf.h>
#include <stdint.h>

#include "layout/fonts.h"
#include "util/xalloc.h"

struct textout {
	HPDF_Page page;
	struct fonts *fonts;
	int face;		/* current font, -1 none */
	float size;
	uint32_t color;
	/* the pending run */
	int open;
	float x0, y, xend;
	struct buf tj;
	struct buf line;
	int failed;
};

/* Start writing text on page (inside BT ... ET). */
void textout_begin(struct textout *t, HPDF_Page page, struct fonts *fonts);
/* Add s[0..n) at (x, y); joins the pending run when it can. width is
 * the advance width from the layout, or < 0 to measure here (measuring
 * marks the glyphs for the font subset; layout has measured the rest). */
void textout_add(struct textout *t, int face, float size, uint32_t color,
    float x, float y, const char *s, size_t n, double width);
/* Write the pending run. Returns 0, or -1 if libharu failed. */
int textout_end(struct textout *t);
void textout_free(struct textout *t);

#endif
