/*
 * acmatch.h - finding many byte strings in a text in one pass
 * (Aho-Corasick).
 *
 * Add the patterns, build, then scan texts: every occurrence of every
 * pattern is reported, overlapping ones and ones inside others too, in
 * order of where they end. Matching is plain bytes, case and all: the
 * caller normalises patterns and text the same way first (compose.c
 * folds case and white space). Scanning costs the same whatever the
 * number of patterns, where trying each pattern at each byte cost
 * their number.
 */
#ifndef DOSSIER_ACMATCH_H
#define DOSSIER_ACMATCH_H

#include <stddef.h>

struct acmatch;

struct acmatch *acm_new(void);
/* Add a pattern of len bytes (it may hold any byte but NUL counts like
 * the others); it gets the next id, 0 for the first. An empty pattern
 * gets an id too but never matches. Only before acm_build. */
int acm_add(struct acmatch *a, const char *pat, size_t len);
/* Make the automaton; no pattern can be added after. */
void acm_build(struct acmatch *a);
/*
 * Report each occurrence in text[0..len): fn(id, end, arg) with end the
 * offset just past it (the pattern starts at end - its length). Two
 * equal patterns are both reported, the lower id first. Scanning stops
 * when fn returns nonzero; acm_scan then returns that value, else 0.
 */
int acm_scan(const struct acmatch *a, const char *text, size_t len,
    int (*fn)(int id, size_t end, void *arg), void *arg);
void acm_free(struct acmatch *a);

#endif
