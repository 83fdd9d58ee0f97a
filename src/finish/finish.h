/*
 * finish.h - post-processing of the PDF libharu wrote, with libqpdf.
 *
 * libharu writes no /ID; qpdf's deterministic ID is a hash of the file's
 * content, so identical input gives identical bytes. The job runs through
 * qpdfjob_run_from_json (<qpdf/qpdfjob-c.h>), the same options as the
 * qpdf command line.
 */
#ifndef DOSSIER_FINISH_FINISH_H
#define DOSSIER_FINISH_FINISH_H

#include <stddef.h>

/*
 * Rewrite in_path into path with a deterministic /ID: through a temporary
 * file beside path, renamed into place. Returns 0, or -1 with a message.
 */
int finish_pdf(const char *in_path, const char *path, char *err,
    size_t errlen);

/* The same, with more of a qpdf job (", \"addAttachment\": [...]") done
 * in the same pass; extra may be NULL. */
int finish_pdf_with(const char *in_path, const char *path,
    const char *extra, char *err, size_t errlen);

/*
 * Run one qpdf job from in_path to path, through a temporary file beside
 * path renamed on success (path may be in_path). options: the job's other
 * keys, each preceded by ", ". 0, or -1 with a message.
 */
int finish_job(const char *in_path, const char *path, const char *options,
    char *err, size_t errlen);

/* JSON string literal of s (quotes included), for job descriptions. */
char *finish_json_string(const char *s);

#endif
