/*
 * linkannot.h - internal link annotations and named destinations,
 * lighter than libharu's.
 *
 * HPDF_Page_CreateLinkAnnot builds each link as a dictionary of six
 * entries whose keys are fixed 128-byte arrays, with name, number and
 * array objects inside: about 1.5 KB of memory per link, held until the
 * file is saved. The large bench case has 361,272 links, so that was
 * over half a gigabyte at the peak. Here a link is one indirect object
 * whose dictionary body is written from a short string (libharu's write
 * hook, as for precompressed streams in flate.h): the same keys and
 * values a reader sees, about a tenth of the memory.
 */
#ifndef DOSSIER_RENDER_LINKANNOT_H
#define DOSSIER_RENDER_LINKANNOT_H

#include <hpdf.h>
#include <stddef.h>

#include "util/fmtnum.h"

/*
 * Add to page a borderless link over x0 y0 x1 y1 (PDF units) going to
 * the top `top` of page target, its destination written in the link
 * ("/Dest [N 0 R /FitH top]"): a destination object per target would be
 * one more object for libharu to make and write (123,000 on the large
 * bench case). Both pages must be indirect objects, which libharu's
 * pages are. HPDF_OK, or libharu's error code.
 */
HPDF_STATUS linkannot_add(HPDF_Doc pdf, HPDF_Page page, double x0,
    double y0, double x1, double y1, HPDF_Page target, double top);

/* The longest destination linkannot_fith writes, its NUL excluded. */
#define LINKANNOT_FITH_MAX (1 + 10 + 11 + FMT_FIXED2_MAX + 1)

/*
 * Write at b the destination array "[N 0 R /FitH top]" to the top `top`
 * of the page of object number N, NUL-terminated (b has room for
 * LINKANNOT_FITH_MAX + 1 bytes); returns its length.
 */
size_t linkannot_fith(char *b, unsigned page, double top);

/*
 * The catalog's /Dests dictionary, its body given whole: "/name [N 0 R
 * /FitH top]" lines (linkannot_fith). libharu's own dictionaries are lists searched
 * on every insertion (so thousands of names took quadratic time) and
 * hold at most 4,095 entries. body is malloc'd and taken over, even on
 * failure. HPDF_OK, or libharu's error code.
 */
HPDF_STATUS linkannot_dests(HPDF_Doc pdf, char *body);

/* The object number of an indirect libharu object, else 0. */
unsigned linkannot_obj_number(const void *obj);

#endif
