/*
 * section_exhibits.c - every exhibit on pages of its own, stamped with
 * its number and title: images scaled to fit, text set in monospace
 * with its line numbers.
 */
#include "compose/compose_int.h"
#include "util/path.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdlib.h>

static void
text_exhibit(struct compose_ctx *c, const struct exhibit *e)
{
	char **lines;
	long *numbers;
	long n = ctx_file_lines(c, e->file, 1, LONG_MAX, &lines, &numbers);
	if (n < 0)
		return;
	ctx_redact_lines(c, lines, n);
	doc_log(c->d, NULL, (const char *const *)lines, numbers, (size_t)n);
	for (long i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(numbers);
}

void
section_exhibits(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const struct labels *L = c->L;
	int first = 1;

	for (size_t i = 0; i < m->nexhibits; i++) {
		const struct exhibit *e = &m->exhibits[i];
		if (!c->exhibit_in[i])
			continue;
		if (first) {
			doc_origin(c->d, "exhibits");
			doc_heading(c->d, 1, L->exhibits, "exhibits");
			first = 0;
		} else
			doc_page_break(c->d);
		doc_origin(c->d, "%s", e->path);
		char *stamp = xasprintf(L->exhibit_stamp, e->number,
		    ctx_redact(c, e->title));
		char *anchor = anchor_exhibit(e->number);
		doc_stamp(c->d, stamp);
		doc_heading(c->d, 2, stamp, anchor);
		free(anchor);
		free(stamp);
		char *full = path_join(m->root, e->path);
		switch (e->type) {
		case EXHIBIT_PNG:
			doc_image_png(c->d, full, NULL);
			break;
		case EXHIBIT_JPEG:
			doc_image_jpeg(c->d, full, NULL);
			break;
		default:
			text_exhibit(c, e);
			break;
		}
		free(full);
	}
	if (!first) {
		doc_page_break(c->d);
		doc_stamp(c->d, NULL);
	}
}
