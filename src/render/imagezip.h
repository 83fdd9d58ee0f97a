/*
 * imagezip.h - PNG pixels compressed on the second core, not while saving.
 *
 * libharu deflates an image (HPDF_LoadRawImageFromMem keeps the raw
 * pixels) while it saves, on the saving thread: for the large bench
 * dossier's 50 captures about 0.2 s of a save during which the second
 * core has nothing to do. The pixels are known once the layout is done
 * (layout.h, images): a thread compresses them once the pages are
 * drawn (render.c says why not during), while links and the outline are
 * added, exactly as libharu would (zlib's default level and parameters,
 * hence the same bytes), and imagezip_finish puts the result in place of
 * the raw copy of each image libharu was given, declared as libharu
 * declares it (flate.h).
 */
#ifndef DOSSIER_RENDER_IMAGEZIP_H
#define DOSSIER_RENDER_IMAGEZIP_H

#include <hpdf.h>
#include <stddef.h>

struct image;
struct imagezip;

/* Start compressing the pixels (and alpha) of the PNG images among
 * images[0..n), which must stay unchanged until imagezip_finish. NULL
 * when there is nothing to compress or no thread to do it. */
struct imagezip *imagezip_start(struct image *const *images, size_t n);

/*
 * Wait for the thread, then for every handles[i] made from images[i]
 * (HPDF_LoadRawImageFromMem, and its /SMask from the alpha) replace
 * the raw data by the compressed one. 0, or -1 when libharu refused a
 * write (its error is set). Harmless with z NULL.
 */
int imagezip_finish(struct imagezip *z, HPDF_Image *handles);

/* Stop the thread if it still runs and free everything; z may be NULL. */
void imagezip_free(struct imagezip *z);

#endif
