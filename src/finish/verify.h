/*
 * verify.h - checking a dossier against the evidence it was built from.
 *
 * A master dossier carries a manifest ("HASH  PATH" lines, sha256sum
 * format) as the attachment MANIFEST_NAME, the SHA-256 of that manifest
 * in its Info /Keywords, and every input file as an attachment. verify
 * recomputes every digest: of the manifest against the metadata, of each
 * attached input (or of each file of a case folder) against the manifest.
 */
#ifndef DOSSIER_FINISH_VERIFY_H
#define DOSSIER_FINISH_VERIFY_H

#include <stdio.h>

#define MANIFEST_NAME "dossier-manifest.sha256"
#define KEYWORDS_PREFIX "dossier-manifest-sha256:"

/*
 * Verify pdf; with case_dir, against that folder's files (their digests
 * and the list of inputs as `dossier check` reads it) instead of the
 * attachments. Prints "OK ..." or one line per mismatch to out.
 * Returns the number of mismatches, or -1 when the PDF cannot be read or
 * holds no manifest (a message is printed).
 */
int verify_pdf(const char *pdf, const char *case_dir, FILE *out);

#endif
