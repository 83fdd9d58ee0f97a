/*
 * tounicode.h - replace libharu's broken /ToUnicode CMap.
 *
 * For UTF-8 fonts libharu 2.3.0 writes its encoding CMap (begincidrange)
 * as /ToUnicode; poppler warns on every page and copy-paste can give
 * garbage. With the UTF-8 encoder the CID of a character is its BMP code
 * point, so the right map is the identity: one bfrange per high byte.
 */
#ifndef DOSSIER_RENDER_TOUNICODE_H
#define DOSSIER_RENDER_TOUNICODE_H

#include <hpdf.h>

/* The CMap text (static, NUL-terminated). */
const char *tounicode_identity_cmap(void);

/* Rewrite the font's ToUnicode stream. Returns 0 or -1. */
int tounicode_fix(HPDF_Font font);

#endif
