/*
 * section_manifest.c - every input file with its size, line count and
 * SHA-256; the records read, accepted and rejected; the tool version and
 * build options. With it, anyone can check the dossier against the
 * evidence it was made from.
 */
#include "compose/compose_int.h"
#include "util/xalloc.h"

#include <stdlib.h>

void
section_manifest(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const struct labels *L = c->L;
	long read = 0, accepted = 0, rejected = 0, skipped = 0;

	doc_origin(c->d, "manifest");
	doc_heading(c->d, 1, L->manifest, "manifest");
	doc_text(c->d, L->manifest_intro);
	struct table *t = doc_table(c->d, 7, 1, NULL, NULL);
	const char *head[7] = { L->col_file, L->col_size, L->col_lines,
		L->col_read, L->col_accepted, L->col_rejected, L->col_sha256 };
	table_row(c->d, t, head);
	for (size_t col = 1; col <= 5; col++)
		table_align(t, col, ALIGN_RIGHT);
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct source_file *f = &m->files[i];
		char *size = format_int(c->lang, f->size);
		char *lines = format_int(c->lang, f->lines);
		char *r = xasprintf("%ld", f->read);
		char *a = xasprintf("%ld", f->accepted);
		char *j = xasprintf("%ld", f->rejected);
		char *h = xasprintf("%.32s %.32s", f->sha256, f->sha256 + 32);
		const char *cells[7] = { f->path, size, lines, r, a, j, h };
		table_row(c->d, t, cells);
		read += f->read;
		accepted += f->accepted;
		rejected += f->rejected;
		skipped += f->skipped;
		free(size);
		free(lines);
		free(r);
		free(a);
		free(j);
		free(h);
	}
	char *r = xasprintf("%ld", read);
	char *a = xasprintf("%ld", accepted);
	char *j = xasprintf("%ld", rejected);
	const char *total[7] = { L->totals, NULL, NULL, r, a, j, NULL };
	table_row(c->d, t, total);
	free(r);
	free(a);
	free(j);

	doc_kv(c->d, L->manifest_hash, c->manifest_sha256);
	char *tool = xasprintf("dossier %s", DOSSIER_VERSION);
	doc_kv(c->d, L->tool_version, tool);
	free(tool);
	doc_kv(c->d, L->build_options, c->in->build_options ?
	    c->in->build_options : "");
	char *sk = xasprintf("%ld", skipped);
	doc_kv(c->d, c->fr ? "Lignes de journaux ignorées (autres types)" :
	    "Log lines skipped (other kinds)", sk);
	free(sk);
}
