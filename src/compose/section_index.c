/*
 * section_index.c - the alphabetical index: customers, services and key
 * terms (marked with doc_index_term where they appear), each with the
 * pages where they appear, each page listed once and linked.
 */
#include "compose/compose_int.h"

void
section_index(struct compose_ctx *c)
{
	doc_origin(c->d, "index");
	doc_heading(c->d, 1, c->L->index, "index");
	doc_index(c->d);
	doc_page_break(c->d);
}
