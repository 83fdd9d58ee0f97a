/*
 * protect.h - encrypting packs with AES-256, through libqpdf.
 *
 * libharu's encryption is RC4 only: packs are encrypted here instead, as
 * a qpdf job (qpdfjob_run_from_json).
 */
#ifndef DOSSIER_FINISH_PROTECT_H
#define DOSSIER_FINISH_PROTECT_H

#include <stddef.h>

/*
 * Encrypt the PDF at path in place with AES-256 (PDF 2.0 security
 * handler, R6). The same password opens and owns the file. 0 or -1.
 */
int finish_encrypt(const char *path, const char *password, char *err,
    size_t errlen);

#endif
