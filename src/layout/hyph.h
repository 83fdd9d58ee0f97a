/*
 * hyph.h - hyphenation points from libhyphen, cached per word.
 *
 * Dictionaries: /usr/share/hyphen/hyph_fr.dic and hyph_en_US.dic (UTF-8).
 * French practice keeps at least 2 letters before and 3 after a break;
 * English 2 and 3 as well.
 */
#ifndef DOSSIER_LAYOUT_HYPH_H
#define DOSSIER_LAYOUT_HYPH_H

#include <stddef.h>
#include <stdint.h>

#include "layout/typo.h"

#define HYPH_MAX_WORD 64	/* bytes; longer words are not hyphenated */

struct hyph;

/* NULL when the dictionary cannot be loaded (then: no hyphenation). */
struct hyph *hyph_open(enum lang lang);
void hyph_close(struct hyph *h);

/*
 * Break points in a word of letters (UTF-8, any case): byte offsets k such
 * that the word may be broken between w[k-1] and w[k]. Returns the count
 * (at most max).
 */
size_t hyph_points(struct hyph *h, const char *w, size_t n, uint8_t *points,
    size_t max);

#endif
