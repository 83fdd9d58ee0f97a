/*
 * section_index.c - the alphabetical index: customers, services and key
 * terms, each with the pages where they appear, each page a link.
 */
#include "compose/compose_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct index_entry *a = pa, *b = pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	int r = compose_collate(a->term, b->term);
	if (r)
		return r;
	/* Anchors are "ix-N": keep them in document order. */
	return atoi(a->anchor + 3) - atoi(b->anchor + 3);
}

void
section_index(struct compose_ctx *c)
{
	const struct labels *L = c->L;
	const char *titles[3] = { L->index_customers, L->index_services,
		L->index_terms };

	qsort(c->index, c->nindex, sizeof(*c->index), entry_cmp);
	doc_origin(c->d, "index");
	doc_heading(c->d, 1, L->index, "index");
	doc_text(c->d, L->index_intro);
	for (int kind = INDEX_CUSTOMER; kind <= INDEX_TERM; kind++) {
		size_t i = 0;
		while (i < c->nindex && (int)c->index[i].kind != kind)
			i++;
		if (i == c->nindex)
			continue;
		doc_heading(c->d, 2, titles[kind], NULL);
		while (i < c->nindex && (int)c->index[i].kind == kind) {
			const char *term = c->index[i].term;
			struct para *p = doc_paragraph(c->d);
			p->align = ALIGN_LEFT;
			para_text(c->d, p, STYLE_REGULAR, term);
			para_text(c->d, p, STYLE_REGULAR, " ");
			int first = 1;
			for (; i < c->nindex && (int)c->index[i].kind == kind &&
			    strcmp(c->index[i].term, term) == 0; i++) {
				if (!first)
					para_text(c->d, p, STYLE_REGULAR, ", ");
				para_pageref(c->d, p, c->index[i].anchor);
				first = 0;
			}
		}
	}
	doc_page_break(c->d);
}
