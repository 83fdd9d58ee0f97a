/* linkannot.c - internal link annotations and named destinations,
 * lighter than libharu's (linkannot.h). */
#include "render/linkannot.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmtnum.h"
#include "util/xalloc.h"

/* The dictionary's body, kept in its attr. */
static HPDF_STATUS
write_body(HPDF_Dict dict, HPDF_Stream stream)
{
	return HPDF_Stream_WriteStr(stream, (const char *)dict->attr);
}

static void
free_body(HPDF_Dict dict)
{
	free(dict->attr);
	dict->attr = NULL;
}

/* The object number of an indirect libharu object. */
static unsigned
obj_number(const void *obj)
{
	return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

static int
is_indirect(const void *obj)
{
	return (((const HPDF_Obj_Header *)obj)->obj_id &
	    HPDF_OTYPE_INDIRECT) != 0;
}

static size_t
add_str(char *b, size_t n, const char *s)
{
	size_t k = strlen(s);
	memcpy(b + n, s, k);
	return n + k;
}

static size_t
add_uint(char *b, size_t n, unsigned v)
{
	char tmp[12];
	size_t k = 0;
	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k)
		b[n++] = tmp[--k];
	return n;
}

size_t
linkannot_fith(char *b, unsigned page, double top)
{
	size_t n = 0;
	b[n++] = '[';
	n = add_uint(b, n, page);
	n = add_str(b, n, " 0 R /FitH ");
	n += fmt_fixed2(b + n, top);
	b[n++] = ']';
	b[n] = '\0';
	return n;
}

/*
 * The body of a link annotation: what xasprintf("/Type /Annot\n/Subtype
 * /Link\n/Rect [%.2f %.2f %.2f %.2f]\n/Dest [%u 0 R /FitH %.2f]\n/P %u
 * 0 R\n/Border [0 0 0]\n") gives, without printf's float conversion (a
 * large dossier has hundreds of thousands of links; see util/fmtnum.h).
 */
static char *
annot_body(double x0, double y0, double x1, double y1, unsigned target,
    double top, unsigned page)
{
	static const char head[] = "/Type /Annot\012/Subtype /Link\012/Rect [";
	char b[sizeof(head) + 5 * FMT_FIXED2_MAX + LINKANNOT_FITH_MAX + 80];
	size_t n = sizeof(head) - 1;
	memcpy(b, head, n);
	const double rect[4] = { x0, y0, x1, y1 };
	for (int i = 0; i < 4; i++) {
		if (i)
			b[n++] = ' ';
		n += fmt_fixed2(b + n, rect[i]);
	}
	n = add_str(b, n, "]\012/Dest ");
	n += linkannot_fith(b + n, target, top);
	n = add_str(b, n, "\012/P ");
	n = add_uint(b, n, page);
	n = add_str(b, n, " 0 R\012/Border [0 0 0]\012");
	b[n] = '\0';
	return xstrdup(b);
}

HPDF_STATUS
linkannot_add(HPDF_Doc pdf, HPDF_Page page, double x0, double y0,
    double x1, double y1, HPDF_Page target, double top)
{
	if (!is_indirect(target) || !is_indirect(page))
		return HPDF_INVALID_OBJECT;
	HPDF_Dict annot = HPDF_Dict_New(pdf->mmgr);
	if (!annot)
		return HPDF_GetError(pdf);
	/* What HPDF_Page_CreateLinkAnnot and a zero border style write,
	 * in the same order, the destination written in place. */
	annot->attr = annot_body(x0, y0, x1, y1, obj_number(target), top,
	    obj_number(page));
	annot->write_fn = write_body;
	annot->free_fn = free_body;
	/* On failure libharu frees the object (free_body included). */
	HPDF_STATUS st = HPDF_Xref_Add(pdf->xref, annot);
	if (st != HPDF_OK)
		return st;
	HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots",
	    HPDF_OCLASS_ARRAY);
	if (!annots) {
		annots = HPDF_Array_New(pdf->mmgr);
		if (!annots)
			return HPDF_GetError(pdf);
		if ((st = HPDF_Dict_Add(page, "Annots", annots)) != HPDF_OK)
			return st;
	}
	return HPDF_Array_Add(annots, annot);
}

HPDF_STATUS
linkannot_dests(HPDF_Doc pdf, char *body)
{
	HPDF_Dict dests = HPDF_Dict_New(pdf->mmgr);
	if (!dests) {
		free(body);
		return HPDF_GetError(pdf);
	}
	dests->attr = body;
	dests->write_fn = write_body;
	dests->free_fn = free_body;
	HPDF_STATUS st = HPDF_Xref_Add(pdf->xref, dests);
	if (st != HPDF_OK)
		return st;
	return HPDF_Dict_Add(pdf->catalog, "Dests", dests);
}

unsigned
linkannot_obj_number(const void *obj)
{
	return is_indirect(obj) ? obj_number(obj) : 0;
}
