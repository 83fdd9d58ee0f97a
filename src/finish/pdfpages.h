/*
 * pdfpages.h - put the pages of PDF exhibits into the dossier (libqpdf).
 *
 * Layout reserves one dossier page per imported page (doc_pdf_pages),
 * render draws the stamp and footer on it and lists the pages here;
 * pdfpages_apply then draws each original page under them as a form
 * XObject: vector content and text kept, /Rotate applied, clipped to the
 * visible box, scaled into the rectangle between the stamp and footer
 * bands. Link annotations come along (URIs as they are, links inside
 * the exhibit to the dossier page that now holds their target) and the
 * exhibit's own outline goes beneath its bookmark.
 *
 * Implemented in C++ (pdfpages.cc): libqpdf's page helpers
 * (getFormXObjectForPage, placeFormXObject, copyForeignObject), which
 * its C API and JSON jobs do not expose at this granularity.
 */
#ifndef DOSSIER_FINISH_PDFPAGES_H
#define DOSSIER_FINISH_PDFPAGES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct pdfpages_item {
	int page;		/* 0-based dossier page that receives it */
	const char *path;	/* the exhibit file */
	int src_page;		/* 0-based page of that file */
	double box[4];		/* visible box x0 y0 x1 y1 (source space) */
	int rotate;		/* the source page's /Rotate */
	double rect[4];		/* where it goes on the dossier page */
	int outline;		/* preorder index of the bookmark that gets
				 * the exhibit's own outline, or -1 */
};

/*
 * Read the dossier at in, place the items, write the result to out.
 * 0, or -1 with a message in err.
 */
int pdfpages_apply(const char *in, const char *out,
    const struct pdfpages_item *items, size_t n, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
