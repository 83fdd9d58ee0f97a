/*
 * progress.h - one progress line on stderr for long work.
 *
 * Shown only when stderr is a terminal and the user did not ask for
 * --quiet; it rewrites itself in place ("\r") at most ten times a second
 * and is erased when done, so logs and pipes never see it.
 */
#ifndef DOSSIER_PROGRESS_H
#define DOSSIER_PROGRESS_H

/* Enable or disable for the whole process (call once, after options). */
void progress_enable(int quiet);

/* Report: stage name, units done and total (total 0 = unknown). */
void progress_update(const char *stage, long done, long total,
    const char *unit);

/* 1 when the line is shown (stderr is a terminal, not --quiet). */
int progress_active(void);

/* Erase the line. */
void progress_done(void);

/* Seconds since progress_enable (monotonic clock). */
double progress_elapsed(void);

#endif
