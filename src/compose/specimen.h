/*
 * specimen.h - a sample dossier showing every block type, used to check
 * typography and layout by eye and in tests (`dossier specimen`).
 */
#ifndef DOSSIER_COMPOSE_SPECIMEN_H
#define DOSSIER_COMPOSE_SPECIMEN_H

/*
 * Write the specimen to path. lang: "fr" or "en"; paper: "a4" or
 * "letter" (NULL = a4). Returns 0, or -1 after printing the problems to
 * stderr.
 */
int specimen_write(const char *path, const char *lang, const char *paper);

/* Write the small RGBA test picture used by the specimen. 0 or -1. */
int specimen_make_png(const char *path);

#endif
