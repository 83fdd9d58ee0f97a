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

/*
 * The zlib level for what we compress ourselves (page contents and
 * attachments). Measured on the medium bench case (1,505 pages, 10 MB
 * of inputs attached): level 6, zlib's default and libharu's, costs 2.2
 * billion more instructions than level 3 (about a second on this
 * machine's cores) for a file 7 % smaller (15.6 MB against 16.7 MB);
 * levels 1 and 2 cost the same as 3 and give larger files.
 */
#define FLATE_LEVEL 3

/* Mark the stream dict as holding zlib data written by us. */
void flate_mark_precompressed(HPDF_Dict stream_dict);

#endif
