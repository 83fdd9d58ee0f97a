/*
 * cleanup.h - temporary output files removed when the process is
 * interrupted.
 *
 * Every output is written under a temporary name beside its target and
 * renamed once complete. A failed build removes its temporary files on
 * its normal error path; cleanup_register() covers the other normal way
 * a build ends early: SIGINT, SIGTERM or SIGHUP. The first registration
 * installs a handler that unlinks every registered path, then lets the
 * signal take its default action (the exit status stays "killed by
 * SIGINT"). SIGKILL cannot be caught: the temporary files then stay, but
 * the target is still untouched.
 */
#ifndef DOSSIER_CLEANUP_H
#define DOSSIER_CLEANUP_H

/* Remove path if the process is interrupted (from now on). */
void cleanup_register(const char *path);
/* Forget path (after it was renamed or removed). */
void cleanup_unregister(const char *path);

#endif
