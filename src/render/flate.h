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
 * machine's cores) for a file 7 % smaller (15.6 MB against 16.7 MB).
 * Measured again with text as literal strings (textout.c; page contents
 * 19.1 MB before compression) and pagezip_finish compressing the backlog
 * on both cores (user-space instructions from perf stat, whole run;
 * page contents alone, compressed page by page; packs of the first 60
 * customers):
 *
 *   level  medium build  instructions  page contents     60 packs (-j 1)
 *   1      15.88 MB      9.23 G        4.53 MB, 0.86 G   26.78 MB, 27.68 G
 *   2      15.68 MB      9.25 G        4.39 MB, 0.87 G   26.60 MB, 27.69 G
 *   3      15.43 MB      9.34 G        4.31 MB, 0.92 G   26.50 MB, 27.73 G
 *
 * Level 1 saves 1.2 % of the build's instructions (0.06 G of them in
 * the page contents, about 0.03 s of CPU, half of it on the critical
 * path now that both cores share the backlog) for a file 2.9 % larger;
 * CPU time differences between the three were within the noise of the
 * shared machine. Level 3 stays. To measure again:
 * make BUILD=build-lN CFLAGS=-DFLATE_LEVEL=N.
 */
#ifndef FLATE_LEVEL
#define FLATE_LEVEL 3
#endif

/* Mark the stream dict as holding zlib data written by us. */
void flate_mark_precompressed(HPDF_Dict stream_dict);

/* The same, the key written "/Filter [ /FlateDecode ]" where libharu
 * writes it for a stream it compressed itself (imagezip.h: the same
 * bytes as before, to the key). */
void flate_mark_precompressed_array(HPDF_Dict stream_dict);

#endif
