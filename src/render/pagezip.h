/*
 * pagezip.h - page contents compressed on the second core as pages end.
 *
 * libharu keeps every page's content stream uncompressed until it saves,
 * then deflates them all on the saving thread: for a 15,000-page dossier
 * that is 400 MB held in memory and a long single-threaded tail. Here
 * each page's content, once drawn, is taken out of libharu, compressed
 * by a worker thread while the next pages are drawn, and put back as
 * zlib data (flate.h) just before saving. A page whose drawing state is
 * not closed (an open text or path object, which libharu would close by
 * appending to the stream at save time) is left to libharu.
 */
#ifndef DOSSIER_RENDER_PAGEZIP_H
#define DOSSIER_RENDER_PAGEZIP_H

#include <hpdf.h>
#include <stddef.h>

struct pagezip;

/* A compressor for a document of npages pages; starts its thread. */
struct pagezip *pagezip_start(size_t npages);

/*
 * Who compresses: PAGEZIP_BOTH (pagezip_start: the worker while pages
 * are drawn, then the worker and the thread calling pagezip_finish on
 * what is left), PAGEZIP_WORKER_ONLY (pagezip_finish only waits),
 * PAGEZIP_CALLER_ONLY (no thread: pagezip_finish compresses every page)
 * or PAGEZIP_INLINE (no thread: each page is compressed as it is
 * submitted, for a process that has no core to spare, such as a packs
 * worker when there are as many workers as cores). The output is the
 * same bytes in every mode (tests/test_finish.c).
 */
enum pagezip_mode { PAGEZIP_BOTH, PAGEZIP_WORKER_ONLY, PAGEZIP_CALLER_ONLY,
	PAGEZIP_INLINE };
struct pagezip *pagezip_start_mode(size_t npages, enum pagezip_mode mode);

/* Page i is drawn: hand its content over to be compressed. */
void pagezip_submit(struct pagezip *z, size_t i, HPDF_Page page);

/*
 * Compress the pages still queued, on this thread and the worker, wait
 * for the worker and put every compressed content back into its page.
 * 0, or -1 when libharu refused a write (its error is set).
 */
int pagezip_finish(struct pagezip *z, HPDF_Page *pages);

/* How many pages pagezip_finish compressed on the calling thread. */
size_t pagezip_caller_pages(const struct pagezip *z);

/* Stop the worker if it still runs and free everything. */
void pagezip_free(struct pagezip *z);

#endif
