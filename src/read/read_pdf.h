/*
 * read_pdf.h - check a PDF exhibit with libqpdf (read_pdf.cc).
 *
 * C++ because the checks need libqpdf's object model: every object of
 * the file is visited for JavaScript and launch actions, each page's
 * boxes and /Rotate are read through QPDFPageObjectHelper, and repairs
 * are collected from QPDF::getWarnings(). The C API (qpdf-c.h) has no
 * way to enumerate all objects. The interface stays C.
 */
#ifndef DOSSIER_READ_PDF_H
#define DOSSIER_READ_PDF_H

#include <stddef.h>

#include "model.h"
#include "read/read.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Open the PDF at path and check it can go into a dossier: not
 * encrypted, readable (qpdf may repair it: then 1 is returned and
 * repaired says what was repaired), no JavaScript or launch action, at
 * least one page and at most lim->max_pdf_pages. On success *pages and
 * *boxes (malloc'd, one per page) are set. Returns 0 (sound), 1
 * (repaired, see repaired) or -1 with a message for the user in why.
 */
int pdf_inspect(const char *path, const struct read_limits *lim, int *pages,
    struct pdf_page_box **boxes, char *why, size_t whylen, char *repaired,
    size_t replen);

#ifdef __cplusplus
}
#endif

#endif
