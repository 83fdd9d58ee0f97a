/*
 * section_exhibits.c - every exhibit on pages of its own, stamped with
 * its number and title: images scaled to fit, text set in monospace
 * with its line numbers.
 */
#include "compose/compose_int.h"
#include "util/path.h"
#include "util/xalloc.h"

#include "util/sha256.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void
text_exhibit(struct compose_ctx *c, const struct exhibit *e)
{
	char **lines;
	long *numbers;
	long n = ctx_file_lines(c, e->file, 1, LONG_MAX, &lines, &numbers);
	if (n < 0)
		return;
	ctx_redact_lines(c, lines, n);
	doc_log(c->d, NULL, (const char *const *)lines, numbers, (size_t)n);
	for (long i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(numbers);
}

/*
 * A PDF exhibit: its pages as they are (doc_pdf_pages), each stamped
 * "Pièce n° N — page k/n". The file's digest is checked first:
 * what goes into the dossier is what the manifest lists.
 */
static void
pdf_exhibit(struct compose_ctx *c, const struct exhibit *e)
{
	const struct case_model *m = c->m;
	if (e->pages <= 0 || e->boxes == NULL) {
		diag_error(c->dl, e->path, 0, NULL, "no page data for this PDF "
		    "exhibit (a store written before PDF exhibits were read); "
		    "import the case again");
		return;
	}
	char *full = path_join(m->root, e->path);
	char hex[SHA256_HEX_LEN + 1];
	if (sha256_file(full, hex, NULL, NULL) != 0 ||
	    strcmp(hex, m->files[e->file].sha256) != 0) {
		diag_error(c->dl, e->path, 0, NULL, "the file changed or "
		    "disappeared since the case was read (SHA-256 differs); "
		    "import the case again");
		free(full);
		return;
	}
	struct doc_pdf_page *pg = xcalloc((size_t)(e->pages > 0 ? e->pages : 1),
	    sizeof(*pg));
	for (int k = 0; k < e->pages; k++)
		pg[k] = (struct doc_pdf_page){ e->boxes[k].x0, e->boxes[k].y0,
			e->boxes[k].x1, e->boxes[k].y1, e->boxes[k].rotate };
	/* "Pièce n° 12" alone: the stamp format's number part. */
	char *num = xasprintf(c->L->exhibit_n, e->number);
	char *title = xasprintf(c->L->exhibit_stamp, e->number,
	    ctx_redact(c, e->title));
	char *anchor = anchor_exhibit(e->number);
	/* Bookmark and contents entry as for the other exhibits. */
	doc_pdf_pages(c->d, full, pg, e->pages, num, title, anchor);
	free(anchor);
	free(title);
	free(num);
	free(pg);
	free(full);
}

void
section_exhibits(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const struct labels *L = c->L;
	int first = 1;

	for (size_t i = 0; i < m->nexhibits; i++) {
		const struct exhibit *e = &m->exhibits[i];
		if (!c->exhibit_in[i])
			continue;
		if (first) {
			doc_origin(c->d, "exhibits");
			doc_heading(c->d, 1, L->exhibits, "exhibits");
			first = 0;
		} else
			doc_page_break(c->d);
		doc_origin(c->d, "%s", e->path);
		if (e->type == EXHIBIT_PDF) {
			pdf_exhibit(c, e);
			continue;
		}
		char *stamp = xasprintf(L->exhibit_stamp, e->number,
		    ctx_redact(c, e->title));
		char *anchor = anchor_exhibit(e->number);
		doc_stamp(c->d, stamp);
		doc_heading(c->d, 2, stamp, anchor);
		free(anchor);
		free(stamp);
		char *full = path_join(m->root, e->path);
		switch (e->type) {
		case EXHIBIT_PNG:
			doc_image_png(c->d, full, NULL);
			break;
		case EXHIBIT_JPEG:
			doc_image_jpeg(c->d, full, NULL);
			break;
		default:
			text_exhibit(c, e);
			break;
		}
		free(full);
	}
	if (!first) {
		doc_page_break(c->d);
		doc_stamp(c->d, NULL);
	}
}
