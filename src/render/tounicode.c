/*
 * tounicode.c - identity ToUnicode CMap for libharu's UTF-8 fonts.
 *
 * Uses libharu's internal headers (hpdf_font.h, hpdf_objects.h), which
 * Debian's libhpdf-dev ships: HPDF_FontAttr.cmap_stream is the dictionary
 * stream written as /ToUnicode. Its memory stream is emptied and refilled.
 */
#include "render/tounicode.h"

#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <string.h>

#include "util/xalloc.h"

static char cmap_text[16384];

const char *tounicode_identity_cmap(void)
{
	if (cmap_text[0])
		return cmap_text;
	struct buf b;
	buf_init(&b);
	buf_adds(&b,
	    "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* High bytes 00..FF except the surrogates D8..DF: 248 ranges, in
	 * blocks of at most 100 as the CMap format requires. */
	int highs[256], n = 0;
	for (int h = 0; h < 256; h++)
		if (h < 0xD8 || h > 0xDF)
			highs[n++] = h;
	for (int i = 0; i < n; i += 100) {
		int m = n - i < 100 ? n - i : 100;
		buf_printf(&b, "%d beginbfrange\n", m);
		for (int k = 0; k < m; k++) {
			int h = highs[i + k];
			buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", h, h, h);
		}
		buf_adds(&b, "endbfrange\n");
	}
	buf_adds(&b, "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	if (b.len < sizeof cmap_text)
		memcpy(cmap_text, b.data, b.len + 1);
	buf_free(&b);
	return cmap_text;
}

int tounicode_fix(HPDF_Font font)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	if (!attr || !attr->cmap_stream || !attr->cmap_stream->stream)
		return -1;
	HPDF_Stream s = attr->cmap_stream->stream;
	HPDF_MemStream_FreeData(s);
	const char *text = tounicode_identity_cmap();
	if (!text[0])
		return -1;
	if (HPDF_Stream_Write(s, (const HPDF_BYTE *)text,
	    (HPDF_UINT)strlen(text)) != HPDF_OK)
		return -1;
	return 0;
}
