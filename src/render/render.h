/*
 * render.h - pages to PDF with libharu, then the finishing pass.
 *
 *   struct doc *d = doc_new(&opt);
 *   ... doc_heading(d, 1, "Synthèse", NULL); doc_text(d, "...");
 *   if (doc_write_pdf(d, "out.pdf") != 0) -> problems are in d's diags
 *
 * doc_write_pdf lays the doc out (two passes: pages are fixed before any
 * page number is printed), creates every page, draws them, then adds the
 * page references, link annotations and outline (libharu needs the
 * target pages to exist), writes to a temporary file beside the target,
 * gives it a content-derived /ID with libqpdf (finish.h) and renames it
 * into place. Same input, same bytes.
 */
#ifndef DOSSIER_RENDER_RENDER_H
#define DOSSIER_RENDER_RENDER_H

#include "layout/doc.h"

struct render_stats {
	size_t pages;
	double layout_seconds, render_seconds, finish_seconds;
	int reused;	/* 1: made on the libharu handle kept from the
			 * previous document (render.c), 0: a fresh one */
};

/* Returns 0, or -1 with the reason added to the doc's diag list. stats
 * may be NULL. */
int doc_write_pdf(struct doc *d, const char *path, struct render_stats *stats);

/*
 * Whether page contents and images are compressed on threads of their
 * own while the next pages are drawn, and the file hashed and written by
 * another while libharu saves (1, the default), or all by the drawing
 * thread (0): `packs` runs as many processes as cores, which leave no
 * core to those threads. Same bytes either way. Set before the first
 * document.
 */
void render_set_compress_thread(int on);

/* Free the libharu handle (and its loaded faces) that doc_write_pdf
 * keeps for the next document of the process; harmless when none. */
void render_release(void);

/*
 * For a process that exits once its one document is written (`build`):
 * when on, doc_write_pdf leaves that document's libharu objects to the
 * exit instead of freeing them, and render_release too. Freeing them is
 * walking a million small blocks back into malloc's lists, 0.5 s on the
 * large bench case, for memory the system takes back at once anyway (as
 * compilers do, e.g. clang's -disable-free). They stay reachable (from
 * a static pointer), so leak checkers count no leak; DOSSIER_FREE_AT_EXIT
 * turns this off for them (check-valgrind). Off by default.
 */
void render_leave_to_exit(int on);

/* The creation date used: SOURCE_DATE_EPOCH when set and valid, else
 * the doc's date option; -1 when neither (no date is written). */
int64_t render_source_date(const struct doc *d);

#endif
