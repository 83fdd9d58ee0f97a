/*
 * items.h - a paragraph as Knuth-Plass items (linebreak.h), each box with
 * what it draws (a piece of text, a page number). Private to the layout:
 * para.c breaks the items into lines or measures them.
 */
#ifndef DOSSIER_LAYOUT_ITEMS_H
#define DOSSIER_LAYOUT_ITEMS_H

#include "layout/layout.h"
#include "layout/linebreak.h"

enum piece_kind { PIECE_TEXT, PIECE_PAGEREF, PIECE_NONE };

struct piece {
	const char *text;
	uint32_t len;
	unsigned char face;
	unsigned char kind;
	int link;		/* anchor id or -1 */
};

/* Parallel arrays: item k is it[k], what it draws pc[k]. */
struct items {
	struct lb_item *it;
	struct piece *pc;
	size_t n, cap;
	/* the widest box of more than one byte: a piece that build_items
	 * would cut at a line width below it, and only then (emit_word) */
	double widest;
};

/*
 * Append the items of p (base face and size) to v, for lines of
 * line_width points: spans cut into boxes at breakable spaces, words at
 * their hyphenation points, a piece wider than the line at characters;
 * then the end of the paragraph.
 */
void build_items(struct layout *l, const struct para *p, enum face base,
    double size, double line_width, struct items *v);
/* Free the words build_items keeps for the rest of the pass. */
void items_words_free(struct layout *l);

#endif
