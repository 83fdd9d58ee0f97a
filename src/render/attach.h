/*
 * attach.h - the raw inputs embedded in the dossier as attachments.
 *
 * Each input file goes in as an /EmbeddedFile stream with its MIME type,
 * size, dates and MD5 /CheckSum, under a /Filespec with the file's name
 * and its SHA-256 as description, listed in the catalog's /EmbeddedFiles
 * name tree in key order.
 *
 * Why not libharu's HPDF_AttachFile: it corrupts the name tree unless
 * files come in sorted order and writes no MIME type, size, dates or
 * checksum (see the libharu notes). Why not libqpdf any more: adding the
 * files there means parsing and rewriting the whole dossier once more,
 * which took longer than drawing its 1,500 pages. The objects are built
 * here with libharu's object layer instead, the structure libqpdf wrote.
 *
 * The expensive part (reading the files, checking they still have the
 * SHA-256 the case was read with, MD5, deflate) runs in a thread started
 * by attach_start, on the second core, while the dossier is composed,
 * laid out and drawn; attach_embed waits for it and adds the objects.
 */
#ifndef DOSSIER_RENDER_ATTACH_H
#define DOSSIER_RENDER_ATTACH_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

struct attachment {
	const char *path;	/* file on disk, or NULL: data below */
	const char *name;	/* name in the PDF, relative to the case */
	const char *mimetype;
	const char *description;/* e.g. "SHA-256 ..." */
	const char *sha256;	/* hex digest the file must still have, or
				 * NULL */
	const char *data;	/* content when path is NULL */
	size_t len;
};

struct attach_set;

/*
 * Copy the list and start preparing the files in a thread. date (UTC
 * seconds) is every attachment's creation and modification date, so the
 * output stays reproducible.
 */
struct attach_set *attach_start(const struct attachment *a, size_t n,
    int64_t date);

/* Change the date given to attach_start (the thread does not read it:
 * only attach_embed does). */
void attach_set_date(struct attach_set *s, int64_t date);

/*
 * Wait for the preparation and add the attachments to pdf. 0, or -1
 * with a message naming the file in err (a file changed since the case
 * was read, or cannot be read; a libharu failure).
 */
int attach_embed(struct attach_set *s, HPDF_Doc pdf, char *err,
    size_t errlen);

/* Wait for the thread if it still runs, and free everything. */
void attach_free(struct attach_set *s);

#endif
