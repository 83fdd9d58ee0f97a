/*
 * fileid.h - a deterministic /ID written into the saved file, in place.
 *
 * A PDF's trailer /ID should identify the file; two builds of the same
 * case must still give the same bytes, so it cannot come from the clock.
 * libqpdf can derive one from the content, but only by parsing and
 * rewriting every object of the file: for a 1,500-page dossier that
 * second pass cost more than drawing the pages. Instead, render reserves
 * the /ID in libharu's trailer with a fixed placeholder
 * (FILEID_PLACEHOLDER, twice), and fileid_patch replaces it by the first
 * 16 bytes of the SHA-256 of the file as saved (placeholder included).
 * The file keeps its length and every xref offset stays right.
 */
#ifndef DOSSIER_FINISH_FILEID_H
#define DOSSIER_FINISH_FILEID_H

#include <stddef.h>

/* 16 bytes, written by libharu in hex: easy to find, never a real ID. */
#define FILEID_PLACEHOLDER "dossier-id-slot!"
#define FILEID_LEN 16

/*
 * Replace the two placeholder /ID strings in the trailer of the PDF at
 * path by the content digest. 0, or -1 with a message in err (no
 * placeholder, unreadable or unwritable file).
 */
int fileid_patch(const char *path, char *err, size_t errlen);

/*
 * The same with the file's SHA-256 (32 bytes) already known, computed
 * while the file was written (render/savestream.h): the file is not
 * read again, only its trailer.
 */
int fileid_patch_digest(const char *path, const unsigned char *digest,
    char *err, size_t errlen);

#endif
