/*
 * finish.h - libqpdf jobs run on a PDF already written (encryption).
 *
 * A job runs through qpdfjob_run_from_json (<qpdf/qpdfjob-c.h>), with the
 * same options as the qpdf command line. The dossier itself needs no
 * such pass: its /ID is filled in place (fileid.h) and its attachments
 * are written with it (render/attach.h).
 */
#ifndef DOSSIER_FINISH_FINISH_H
#define DOSSIER_FINISH_FINISH_H

#include <stddef.h>

/*
 * Run one qpdf job from in_path to path, through a temporary file beside
 * path renamed on success (path may be in_path). options: the job's other
 * keys, each preceded by ", ". A file qpdf had to repair is refused.
 * 0, or -1 with a message.
 */
int finish_job(const char *in_path, const char *path, const char *options,
    char *err, size_t errlen);

/* JSON string literal of s (quotes included), for job descriptions. */
char *finish_json_string(const char *s);

#endif
