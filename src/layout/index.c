/*
 * index.c - the alphabetical index (BLOCK_INDEX): one entry per term,
 * its pages in order, each linked.
 *
 * The terms and their order depend on the doc only, not on the pass: the
 * first pass collects and sorts them (a sort key per term, then qsort:
 * about a fifth of a later pass's work on a large dossier) and the memo
 * keeps them for the later passes, which only look their pages up.
 */
#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>

#include "layout/memo.h"
#include "util/strpool.h"
#include "util/xalloc.h"

/* An index term, sorted on its text_sort_key (layout/typo.h). */
struct index_mark {
	uint64_t head;		/* the key's first 8 bytes, big-endian */
	char *key;
	const char *term, *anchor;	/* owned by the doc */
	size_t order;
};

/*
 * The marks and, in a pool, their keys: a large dossier has 200,000
 * terms, whose keys, malloc'd one by one, took a tenth of a second to
 * free at the end of the layout, with the second core idle.
 */
struct index_terms {
	struct index_mark *m;
	size_t n;
	struct strpool keys;
};

/* The first 8 bytes of s (zeros after its end) as a number that
 * compares as strcmp compares them. */
static uint64_t key_head(const char *s)
{
	uint64_t h = 0;
	int k = 0;
	for (; k < 8 && s[k]; k++)
		h = h << 8 | (unsigned char)s[k];
	return h << (8 * (8 - k));
}

/* strcmp on the keys, then on the terms, then the order of the marks:
 * the heads decide most comparisons without reading the keys (a sort of
 * 200,000 terms reads keys all over the memory otherwise). */
static int mark_cmp(const void *a, const void *b)
{
	const struct index_mark *x = a, *y = b;
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	int c = strcmp(x->key, y->key);
	if (!c)
		c = strcmp(x->term, y->term);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void add_mark(struct index_terms *t, size_t *cap, const char *term,
    const char *anchor)
{
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		t->m = xreallocarray(t->m, *cap, sizeof *t->m);
	}
	char *made = text_sort_key(term);
	char *key = strpool_dup(&t->keys, made);
	free(made);
	t->m[t->n] = (struct index_mark){ key_head(key), key, term, anchor,
	    t->n };
	t->n++;
}

/* Every index term of the doc (key-value terms, index anchors), sorted. */
static struct index_terms *collect_terms(const struct doc *d)
{
	struct index_terms *t = xcalloc(1, sizeof *t);
	size_t cap = 0;
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct block *b = &d->blocks[i];
		for (size_t k = 0; b->kind == BLOCK_KEYVALUE && k < b->nkv; k++)
			for (size_t j = 0; j < b->kv[k].nterms; j++)
				add_mark(t, &cap, b->kv[k].terms[j],
				    b->kv[k].term_anchors[j]);
		if (b->kind == BLOCK_ANCHOR && b->text)
			add_mark(t, &cap, b->text, b->anchor);
	}
	if (t->n)
		qsort(t->m, t->n, sizeof *t->m, mark_cmp);
	return t;
}

void index_terms_free(struct index_terms *t)
{
	if (!t)
		return;
	strpool_free(&t->keys);
	free(t->m);
	free(t);
}

/* The index. Page numbers come from the previous pass
 * (layout_prev_page), which is how a page that holds the term twice is
 * listed once. */
void layout_index(struct layout *l)
{
	struct doc *d = l->doc;
	double size = d->opt.body_size;
	struct index_terms *t = l->memo ? memo_index_terms(l->memo) : NULL;
	if (!t) {
		t = collect_terms(d);
		if (l->memo)
			memo_keep_index_terms(l->memo, t);
	}
	const struct index_mark *m = t->m;
	size_t n = t->n;
	/* The title is the composer's heading (with its outline entry). */
	unit_begin(l, 0);
	unit_end(l, 8, 1);
	/* Entries need the final pages. Or-ed, not set: with no term the
	 * index must not take back the page references before it (they
	 * would keep the first pass's three-digit widths). */
	if (n > 0)
		l->has_pagerefs = 1;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(m[j].term, m[i].term) == 0)
			j++;
		struct span *sp = xcalloc(2 * (j - i) + 1, sizeof *sp);
		size_t ns = 0;
		sp[ns++] = (struct span){ .kind = SPAN_TEXT, .text = (char *)m[i].term };
		int last_page = -1;
		for (size_t k = i; k < j; k++) {
			int pg = layout_prev_page(l, m[k].anchor);
			if (pg > 0 && pg == last_page)
				continue;	/* same page already listed */
			last_page = pg;
			/* "term, 3, 6": the usual index form */
			sp[ns++] = (struct span){ .kind = SPAN_TEXT,
			    .text = (char *)", " };
			sp[ns++] = (struct span){ .kind = SPAN_PAGEREF,
			    .anchor = (char *)m[k].anchor };
		}
		struct para p = { .spans = sp, .n = ns, .cap = ns,
		    .align = ALIGN_LEFT };
		layout_paragraph(l, &p, l->margin, layout_body_width(l) / 2,
		    FACE_SERIF, size, size * 1.35, 0);
		free(sp);
		i = j;
	}
	if (!l->memo)
		index_terms_free(t);
}
