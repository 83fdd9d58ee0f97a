/*
 * flate.h - streams handed to libharu already compressed.
 *
 * libharu deflates a stream while saving, on the one thread that saves;
 * data compressed beforehand (on another core, see pagezip.h and
 * attach.h) must be copied as it is yet still be declared /FlateDecode.
 * Its writer removes /Filter from a stream whose filter is "none", so
 * the key is written by the dictionary's write hook instead (write_fn in
 * libharu's internal <hpdf_objects.h>, the hook its fonts use).
 */
#ifndef DOSSIER_RENDER_FLATE_H
#define DOSSIER_RENDER_FLATE_H

#include <hpdf.h>
#include <hpdf_objects.h>

/* Mark the stream dict as holding zlib data written by us. */
void flate_mark_precompressed(HPDF_Dict stream_dict);

#endif
