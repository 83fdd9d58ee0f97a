/* linkannot.c - internal link annotations and named destinations,
 * lighter than libharu's (linkannot.h). */
#include "render/linkannot.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>

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

HPDF_STATUS
linkannot_add(HPDF_Doc pdf, HPDF_Page page, double x0, double y0,
    double x1, double y1, HPDF_Destination dst)
{
	if (!is_indirect(dst) || !is_indirect(page))
		return HPDF_INVALID_OBJECT;
	HPDF_Dict annot = HPDF_Dict_New(pdf->mmgr);
	if (!annot)
		return HPDF_GetError(pdf);
	/* What HPDF_Page_CreateLinkAnnot and a zero border style write,
	 * in the same order. */
	annot->attr = xasprintf("/Type /Annot\012/Subtype /Link\012"
	    "/Rect [%.2f %.2f %.2f %.2f]\012/Dest %u 0 R\012/P %u 0 R\012"
	    "/Border [0 0 0]\012", x0, y0, x1, y1, obj_number(dst),
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
