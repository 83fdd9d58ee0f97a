/*
 * imagezip.h - PNG pixels compressed by us, not by libharu while saving.
 *
 * libharu deflates an image (HPDF_LoadRawImageFromMem keeps the raw
 * pixels) while it saves, on the saving thread, at zlib's default level:
 * for the large bench dossier's 50 captures about 0.2 s of a save
 * during which the second core has nothing to do, and in a medium-case
 * pack 5.6 % of its instructions. The pixels are known once the layout
 * is done (layout.h, images): they are compressed with libdeflate
 * (flate.h) once the pages are drawn (render.c says why not during),
 * by a thread while links and the outline are added where there is a
 * core to spare, else right away, and imagezip_finish puts the result
 * in place of the raw copy of each image libharu was given, declared
 * as libharu declares it (flate.h). The bytes are the same either way.
 */
#ifndef DOSSIER_RENDER_IMAGEZIP_H
#define DOSSIER_RENDER_IMAGEZIP_H

#include <hpdf.h>
#include <stddef.h>

struct image;
struct imagezip;

/* Compress the pixels (and alpha) of the PNG images among images[0..n),
 * which must stay unchanged until imagezip_finish: on a thread of its
 * own with thread (on this one when none can start), else here before
 * returning. NULL when there is nothing to compress. */
struct imagezip *imagezip_start(struct image *const *images, size_t n,
    int thread);

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
