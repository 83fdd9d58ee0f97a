/*
 * section_exhibit_list.c - the bordereau de communication de pièces /
 * list of exhibits: number, title, date, source, dossier page, SHA-256,
 * each row linked to its exhibit.
 */
#include "compose/compose_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The digest in four groups of 16, so a narrow column can wrap it. */
static char *
grouped_hash(const char *hex)
{
	return xasprintf("%.16s %.16s %.16s %.16s", hex, hex + 16, hex + 32,
	    hex + 48);
}

void
section_exhibit_list(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const struct labels *L = c->L;

	doc_origin(c->d, "exhibits");
	doc_heading(c->d, 1, L->exhibit_list, "exhibit-list");
	doc_text(c->d, L->exhibit_list_intro);
	struct table *t = doc_table(c->d, 6, 1, NULL, NULL);
	const char *head[6] = { L->col_number, L->col_title, L->col_date,
		L->col_source, L->col_pages, L->col_sha256 };
	table_row(c->d, t, head);
	table_align(t, 0, ALIGN_RIGHT);
	table_align(t, 4, ALIGN_RIGHT);
	for (size_t i = 0; i < m->nexhibits; i++) {
		const struct exhibit *e = &m->exhibits[i];
		if (!c->exhibit_in[i])
			continue;
		doc_origin(c->d, "%s", e->path);
		char *num = xasprintf("%d", e->number);
		char *date = e->date ? ctx_date(c, e->date) : xstrdup("");
		char *hash = grouped_hash(m->files[e->file].sha256);
		const char *cells[6] = { num, NULL, date,
			ctx_redact(c, e->source), NULL, hash };
		table_row(c->d, t, cells);
		char *anchor = anchor_exhibit(e->number);
		size_t row = t->nrows - 1;
		para_link(c->d, table_cell(t, row, 1), ctx_redact(c, e->title),
		    anchor);
		para_pageref(c->d, table_cell(t, row, 4), anchor);
		if (e->type == EXHIBIT_PDF && e->pages > 1) {
			/* A PDF exhibit: its first and last dossier pages
			 * (layout defines "<anchor>-last", doc_pdf_pages). */
			char *last = xasprintf("%s-last", anchor);
			para_text(c->d, table_cell(t, row, 4), STYLE_REGULAR,
			    " \xE2\x80\x93 ");
			para_pageref(c->d, table_cell(t, row, 4), last);
			free(last);
		}
		free(anchor);
		free(num);
		free(date);
		free(hash);
	}
	doc_page_break(c->d);
}
