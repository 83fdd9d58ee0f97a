/*
 * memo.h - paragraph layouts kept from one pass of layout_run to the next.
 *
 * layout_run lays the whole document out two or three times (page
 * references need the page numbers of the previous pass), but a paragraph
 * without page references comes out the same every time: same items, same
 * breaks, same ops. The memo keeps each such result (its lines, or its
 * min/max widths for table columns) so the later passes copy it instead of
 * measuring, hyphenating and breaking the text again.
 *
 * A result is found again by what it was computed from: the spans (their
 * kind and style and the addresses of their text and anchor, which belong
 * to the doc and do not change while layout_run runs), the alignment, and
 * the geometry (x, width, face, size, leading). It is only kept when it
 * depends on nothing else: no page reference (its width comes from the
 * previous pass) and no missing character (reported, and replaced by a
 * string that lives with one pass only). Links carry anchor ids; those are
 * checked on every use, see memo_links_match().
 */
#ifndef DOSSIER_LAYOUT_MEMO_H
#define DOSSIER_LAYOUT_MEMO_H

#include "layout/layout.h"

/* What a memo entry holds: lines of a paragraph or its widths. */
enum memo_kind { MEMO_LINES, MEMO_WIDTHS };

/* What a result is computed from. */
struct memo_key {
	enum memo_kind kind;
	const struct para *p;	/* spans are compared, not the pointer */
	double x, width;	/* MEMO_LINES only; 0 for widths */
	double size, leading;
	enum face base;
	/* Set by the memo: the hash, computed once for a lookup and the
	 * insert that follows a miss. Leave zero. */
	int hashed;
	uint64_t hash;
};

struct para_memo;

struct para_memo *memo_new(void);
void memo_free(struct para_memo *m);

/* 1 if p may be memoised: it has no page reference. */
int memo_cacheable(const struct para *p);

/*
 * The lines stored for key in out (borrowed: read only, valid until
 * memo_free; line_ops_free leaves the arrays), or 0 when there are none. The link spans' anchors are looked up again (so
 * anchors are created in the same order as by a real layout) and must
 * have the ids stored; otherwise this is a miss.
 */
int memo_get_lines(struct layout *l, struct para_memo *m,
    struct memo_key *key, struct line_ops *out);
/* Keep a copy of lines for key; *out becomes that copy, borrowed from
 * the memo like memo_get_lines' answer. */
void memo_put_lines(struct layout *l, struct para_memo *m,
    struct memo_key *key, const struct line_ops *lines,
    struct line_ops *out);

/* Same for layout_para_widths. */
int memo_get_widths(struct layout *l, struct para_memo *m,
    struct memo_key *key, double *minw, double *maxw);
void memo_put_widths(struct layout *l, struct para_memo *m,
    struct memo_key *key, double minw, double maxw);

/*
 * The doc's block i is laid out next: the entries made from now on are
 * its. With release (the last pass of layout_run), the entries made for
 * the blocks before i are freed: a pass lays the blocks out in order, so
 * it has had them already. On a large dossier the memo is the largest
 * thing the layout holds (460 MB on the large bench case, beside the
 * pass's own 320 MB of ops): it goes as the ops that copy it are made.
 * An entry freed is a miss, its paragraph laid out again (a pass after
 * the last one expected, rare). Call it only when no answer of the memo
 * is borrowed (between blocks).
 */
void memo_doc_block(struct para_memo *m, size_t i, int release);

/* The index's sorted terms (index.c), or NULL before the first pass
 * keeps them; the memo frees them. */
struct index_terms *memo_index_terms(struct para_memo *m);
void memo_keep_index_terms(struct para_memo *m, struct index_terms *t);

#endif
