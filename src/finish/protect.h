/*
 * protect.h - embedding the raw inputs and encrypting packs, with libqpdf.
 *
 * libharu's own attachments corrupt the name tree and carry no MIME type,
 * size, dates or checksum, and its encryption is RC4 only: both are done
 * here instead, as qpdf jobs (qpdfjob_run_from_json).
 */
#ifndef DOSSIER_FINISH_PROTECT_H
#define DOSSIER_FINISH_PROTECT_H

#include <stddef.h>
#include <stdint.h>

struct attachment {
	const char *path;	/* file on disk */
	const char *name;	/* display name, relative to the case folder */
	const char *mimetype;
	const char *description;/* e.g. "SHA-256 ..." */
};

/*
 * The ", \"addAttachment\": [...]" fragment of a qpdf job attaching the
 * files (caller frees), for doc_finish_job: they are added in the
 * finishing pass that also writes the /ID. date (UTC seconds) is each
 * attachment's creation and modification date, so the output stays
 * reproducible.
 */
char *finish_attach_json(const struct attachment *a, size_t n,
    int64_t date);

/*
 * Encrypt the PDF at path in place with AES-256 (PDF 2.0 security
 * handler, R6). The same password opens and owns the file. 0 or -1.
 */
int finish_encrypt(const char *path, const char *password, char *err,
    size_t errlen);

#endif
