/*
 * linebreak.c - Knuth-Plass total-fit and first-fit line breaking.
 *
 * The total-fit algorithm follows Knuth & Plass, "Breaking Paragraphs
 * into Lines" (1981): one pass over the items keeps a list of "active"
 * breakpoints from which a line could still reach the current position;
 * at each legal break the best predecessor per fitness class becomes a
 * new active node. Nodes live in one growing array (freed at the end), so
 * the back-pointers stay valid.
 */
#include "layout/linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Tuning, in TeX's terms. */
#define LINE_PENALTY 10.0
#define FLAGGED_DEMERITS 3000.0	/* two hyphenated lines in a row */
#define FITNESS_DEMERITS 3000.0	/* a tight line next to a loose one */
#define FINAL_HYPHEN_DEMERITS 5000.0	/* hyphen on the next-to-last line */

struct node {
	size_t pos;		/* item index of the break */
	size_t line;		/* lines before and including this break */
	int fitness;
	double width, stretch, shrink;	/* sums after the break */
	double demerits;
	double ratio;		/* of the line ending here */
	long prev;		/* index in nodes, -1 for the start */
	int active;
	int flagged;
};

struct sums {
	double width, stretch, shrink;
};

static int fitness_class(double r)
{
	if (r < -0.5)
		return 0;	/* tight */
	if (r <= 0.5)
		return 1;	/* decent */
	if (r <= 1.0)
		return 2;	/* loose */
	return 3;		/* very loose */
}

/* Sums after a break at b: skip the glue and penalties that vanish at
 * the start of the next line. */
static struct sums after_break(const struct lb_item *it, size_t n, size_t b,
    struct sums s)
{
	for (size_t i = b; i < n; i++) {
		if (it[i].type == LB_BOX)
			break;
		if (it[i].type == LB_PENALTY && it[i].penalty <= -LB_INFINITY &&
		    i > b)
			break;
		if (it[i].type == LB_GLUE) {
			s.width += it[i].width;
			s.stretch += it[i].stretch;
			s.shrink += it[i].shrink;
		}
	}
	return s;
}

/*
 * The active list is in break order, and so is what a line from each
 * node to the current break would hold: the sums of a node are running
 * sums (non-negative widths added in item order, so each is >= the one
 * before, in floating point too), hence a later node's line is no longer
 * and has no more stretch. When a node's line is short (L < lw), its
 * ratio (lw - L) / stretch is therefore <= that of every later node, each
 * rounding step being monotonic. So once a node is too loose (r >
 * tolerance), every node after it is too: none of them can be a
 * candidate, and none is deactivated (that needs r < -1 or a forced
 * break); outside the emergency pass try_breaks leaves them unread. Most
 * active nodes are such recent ones, so this skips most of the work and
 * changes no break.
 */
/*
 * The emergency pass accepts every line, so the loose nodes must be read
 * too; but those whose line is hopelessly loose (r > 10, a suffix of the
 * active list as above) all cost the same badness, 1e5, and all fall in
 * fitness class 3: their demerits are d0 (that badness and the break's
 * penalty) plus some flag and fitness demerits (>= 0) plus their own
 * demerits. Rounding being monotonic, none is below d0 + the least own
 * demerits among them; when that bound is no better than the best class
 * 3 candidate already found (earlier in the list, so it wins a tie),
 * none of them can be chosen, and they are kept unread. n nodes from
 * act, at break x.
 */
static int hopeless_cannot_win(const struct node *nodes, const size_t *act,
    size_t n, const struct lb_item *x, double best3)
{
	if (best3 == INFINITY)
		return 0;
	double least = INFINITY;
	for (size_t k = 0; k < n; k++)
		if (nodes[act[k]].demerits < least)
			least = nodes[act[k]].demerits;
	/* d0 as computed for such a line below */
	double p = x->type == LB_PENALTY ? x->penalty : 0;
	double d0 = LINE_PENALTY + 1e5;
	d0 *= d0;
	if (p > 0)
		d0 += p * p;
	else if (p > -LB_INFINITY)
		d0 -= p * p;
	return d0 + least >= best3;
}

/*
 * The nodes made at one break differ only in their fitness class and
 * their demerits: the same position, sums and flag, so the same ratio,
 * badness, penalty and flag demerits for every line from them, and the
 * same fitness class for that line. A line's demerits from either node
 * are that same sum, plus FITNESS_DEMERITS or not, plus the node's own
 * demerits, each addition rounded. So when one node's demerits exceed
 * another's by more than FITNESS_DEMERITS and a margin far above any
 * rounding (1 + 1e-12 of their size; a rounding is within 1.2e-16 of the
 * value, and a line's own demerits are below 1e15), the costlier node is
 * beaten by the other, strictly, on every line to come and can never be
 * chosen: it is not made. On paragraphs that need the looser passes that
 * is a third to a half of the nodes.
 */
static int dominated(const double *best_d, const long *best_n, int fc)
{
	for (int g = 0; g < 4; g++)
		if (g != fc && best_n[g] >= 0 && best_d[g] +
		    FITNESS_DEMERITS + 1 +
		    1e-12 * (fabs(best_d[g]) + fabs(best_d[fc])) < best_d[fc])
			return 1;
	return 0;
}

static size_t try_breaks(const struct lb_item *it, size_t n, double lw,
    double tolerance, int emergency, size_t *breaks, double *ratios)
{
	/* About one node per four items: room for that from the start
	 * rather than doubling (and copying) up to it. */
	size_t cap = 64 + n / 4, nn = 0;
	struct node *nodes = xmalloc(cap * sizeof *nodes);
	nodes[nn++] = (struct node){ .pos = 0, .fitness = 1, .prev = -1,
	    .active = 1 };
	size_t nactive = 1;
	/* Start-of-paragraph node: sums are zero. We keep "active" as a
	 * flag and walk all nodes flagged active (a small set). */
	size_t *act = xmalloc(cap * sizeof *act);
	size_t nact = 1;
	act[0] = 0;
	struct sums sum = { 0, 0, 0 };

	for (size_t b = 0; b < n; b++) {
		const struct lb_item *x = &it[b];
		int legal = 0;
		if (x->type == LB_PENALTY && x->penalty < LB_INFINITY)
			legal = 1;
		else if (x->type == LB_GLUE && b > 0 && it[b - 1].type == LB_BOX)
			legal = 1;
		if (legal) {
			/* Best candidate per fitness class. */
			double best_d[4] = { INFINITY, INFINITY, INFINITY, INFINITY };
			long best_n[4] = { -1, -1, -1, -1 };
			double best_r[4] = { 0, 0, 0, 0 };
			size_t keep = 0;
			int tried_hopeless = 0;
			int forced = x->type == LB_PENALTY &&
			    x->penalty <= -LB_INFINITY;
			for (size_t k = 0; k < nact; k++) {
				struct node *a = &nodes[act[k]];
				double L = sum.width - a->width;
				if (x->type == LB_PENALTY)
					L += x->width;
				double r;
				if (L < lw) {
					double st = sum.stretch - a->stretch;
					r = st > 0 ? (lw - L) / st : INFINITY;
				} else if (L > lw) {
					double sh = sum.shrink - a->shrink;
					r = sh > 0 ? (lw - L) / sh : -INFINITY;
				} else
					r = 0;
				if (r > tolerance && !forced && (!emergency ||
				    (r > 10 && !tried_hopeless++ &&
				    hopeless_cannot_win(nodes, act + k, nact - k,
				    x, best_d[3])))) {
					/* Too loose, and so is every later
					 * node (see above): keep them all. */
					if (keep < k)
						memmove(&act[keep], &act[k],
						    (nact - k) * sizeof *act);
					keep += nact - k;
					break;
				}
				int deactivate = r < -1 || forced;
				int feasible = r >= -1 && r <= tolerance;
				double ar = fabs(r);
				double badness = feasible ? 100 * ar * ar * ar : 0;
				if (emergency && !feasible) {
					/* Accept, at a price, so a result always
					 * exists: a loose or ragged line (a URL
					 * cut in pieces) is bad, an overfull one
					 * that runs into the margin much worse. */
					feasible = 1;
					badness = r < -1 ? 1e7 :
					    ar > 10 ? 1e5 : 100 * ar * ar * ar;
				}
				if (feasible) {
					double p = x->type == LB_PENALTY ?
					    x->penalty : 0;
					double d = LINE_PENALTY + badness;
					d *= d;
					if (p > 0)
						d += p * p;
					else if (p > -LB_INFINITY)
						d -= p * p;
					int flagged = x->type == LB_PENALTY &&
					    x->flagged;
					if (flagged && a->flagged)
						d += FLAGGED_DEMERITS;
					if (forced && a->flagged)
						d += FINAL_HYPHEN_DEMERITS;
					int fc = r == INFINITY ? 3 : fitness_class(r);
					if (abs(fc - a->fitness) > 1)
						d += FITNESS_DEMERITS;
					d += a->demerits;
					if (d < best_d[fc]) {
						best_d[fc] = d;
						best_n[fc] = (long)act[k];
						best_r[fc] = r;
					}
				}
				if (!deactivate)
					act[keep++] = act[k];
				else
					nactive--;
			}
			nact = keep;
			int any = best_n[0] >= 0 || best_n[1] >= 0 ||
			    best_n[2] >= 0 || best_n[3] >= 0;
			struct sums after = any ? after_break(it, n, b, sum) : sum;
			for (int fc = 0; any && fc < 4; fc++) {
				if (best_n[fc] < 0 ||
				    dominated(best_d, best_n, fc))
					continue;
				if (nn == cap || nact == cap) {
					cap *= 2;
					nodes = xreallocarray(nodes, cap,
					    sizeof *nodes);
					act = xreallocarray(act, cap, sizeof *act);
				}
				struct node *prev = &nodes[best_n[fc]];
				nodes[nn] = (struct node){
					.pos = b, .line = prev->line + 1,
					.fitness = fc, .width = after.width,
					.stretch = after.stretch,
					.shrink = after.shrink,
					.demerits = best_d[fc],
					.ratio = best_r[fc], .prev = best_n[fc],
					.active = 1,
					.flagged = x->type == LB_PENALTY &&
					    x->flagged,
				};
				act[nact++] = nn++;
				nactive++;
			}
			if (nact == 0) {
				free(nodes);
				free(act);
				return 0;	/* nothing fits: caller retries */
			}
		}
		if (x->type == LB_BOX) {
			sum.width += x->width;
		} else if (x->type == LB_GLUE) {
			sum.width += x->width;
			sum.stretch += x->stretch;
			sum.shrink += x->shrink;
		}
	}
	/* The active nodes now all end at the final forced break. */
	long best = -1;
	for (size_t k = 0; k < nact; k++) {
		struct node *a = &nodes[act[k]];
		if (a->pos == n - 1 && (best < 0 ||
		    a->demerits < nodes[best].demerits))
			best = (long)act[k];
	}
	size_t lines = 0;
	if (best >= 0) {
		lines = nodes[best].line;
		for (long k = best; k > 0; k = nodes[k].prev) {
			size_t li = nodes[k].line - 1;
			breaks[li] = nodes[k].pos;
			if (ratios)
				ratios[li] = isfinite(nodes[k].ratio) ?
				    nodes[k].ratio : 0;
		}
	}
	free(nodes);
	free(act);
	return lines;
}

size_t linebreak_total_fit(const struct lb_item *items, size_t n,
    double line_width, size_t *breaks, double *ratios)
{
	if (n == 0)
		return 0;
	size_t lines = try_breaks(items, n, line_width, 1.5, 0, breaks, ratios);
	if (!lines)
		lines = try_breaks(items, n, line_width, 4.0, 0, breaks, ratios);
	if (!lines)
		lines = try_breaks(items, n, line_width, 4.0, 1, breaks, ratios);
	return lines;
}

size_t linebreak_first_fit(const struct lb_item *items, size_t n,
    double line_width, size_t *breaks, double *ratios)
{
	size_t lines = 0;
	double w = 0;		/* width since the line start */
	size_t last_break = (size_t)-1;	/* best legal break seen on line */
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const struct lb_item *x = &items[i];
		int forced = x->type == LB_PENALTY && x->penalty <= -LB_INFINITY;
		int legal = forced || (x->type == LB_PENALTY &&
		    x->penalty < LB_INFINITY) || (x->type == LB_GLUE && i > 0 &&
		    items[i - 1].type == LB_BOX);
		if (x->type == LB_BOX && w + x->width > line_width &&
		    last_break != (size_t)-1) {
			/* Break at the last legal point and re-scan. */
			breaks[lines] = last_break;
			if (ratios)
				ratios[lines] = 0;
			lines++;
			i = last_break;
			/* skip discardable items after the break */
			while (i + 1 < n && items[i + 1].type != LB_BOX &&
			    !(items[i + 1].type == LB_PENALTY &&
			    items[i + 1].penalty <= -LB_INFINITY))
				i++;
			start = i + 1;
			w = 0;
			last_break = (size_t)-1;
			continue;
		}
		if (forced) {
			breaks[lines] = i;
			if (ratios)
				ratios[lines] = 0;
			lines++;
			w = 0;
			last_break = (size_t)-1;
			start = i + 1;
			continue;
		}
		if (legal) {
			double pw = x->type == LB_PENALTY ? x->width : 0;
			if (w + pw <= line_width || last_break == (size_t)-1)
				last_break = i;
		}
		if (x->type != LB_PENALTY && (i > start || x->type == LB_BOX))
			w += x->width;
	}
	return lines;
}
