/*
 * linebreak.h - Knuth-Plass total-fit line breaking.
 *
 * A paragraph is a list of boxes (fixed width: words, word pieces), glue
 * (breakable space that stretches and shrinks) and penalties (possible
 * breaks with a cost, e.g. after a hyphenation point, "flagged"). The
 * breaker chooses the breaks that minimise the total demerits over the
 * whole paragraph, so one very loose line is traded for several slightly
 * adjusted ones: fewer rivers, no lonely short word lines.
 */
#ifndef DOSSIER_LAYOUT_LINEBREAK_H
#define DOSSIER_LAYOUT_LINEBREAK_H

#include <stddef.h>

enum lb_type { LB_BOX, LB_GLUE, LB_PENALTY };

#define LB_INFINITY 10000	/* penalty >= this forbids a break */

struct lb_item {
	enum lb_type type;
	int flagged;		/* penalty: a hyphen break */
	double width;		/* penalty: width added when broken here */
	double stretch, shrink;	/* glue */
	double penalty;		/* penalty: cost, +-LB_INFINITY */
};

/*
 * Choose breaks for lines of width line_width. The items must end with a
 * forced break (penalty -LB_INFINITY). On success returns the number of
 * lines and stores in breaks[] (caller allocates n entries) the index of
 * the item each line ends at; ratios[] (may be NULL) gets each line's
 * adjustment ratio (glue stretch if > 0, shrink if < 0).
 * Never fails: when no break sequence fits, tolerance is raised, and as
 * a last resort overfull lines are accepted.
 */
size_t linebreak_total_fit(const struct lb_item *items, size_t n,
    double line_width, size_t *breaks, double *ratios);

/* First-fit breaking for ragged text (cells, values). Same contract. */
size_t linebreak_first_fit(const struct lb_item *items, size_t n,
    double line_width, size_t *breaks, double *ratios);

#endif
