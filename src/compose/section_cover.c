/*
 * section_cover.c - the cover: court, reference, parties, title, date,
 * what the dossier holds, and the digest of its inputs.
 */
#include "compose/compose_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Count the customers and monitoring log lines this document covers. */
static long
log_lines(const struct case_model *m)
{
	long n = 0;
	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].kind == FILE_NAGIOS_LOG)
			n += m->files[i].lines;
	return n;
}

static void
kv_int(struct compose_ctx *c, const char *key, long long n)
{
	char *v = format_int(c->lang, n);
	doc_kv(c->d, key, v);
	free(v);
}

void
section_cover(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const struct case_info *ci = &m->info;
	const struct labels *L = c->L;

	doc_origin(c->d, "case.ini");
	char *sub = c->in->customer ? xasprintf(L->pack_for, c->ngroups ?
	    c->groups[0].name : c->in->customer) : xstrdup(L->dossier);
	doc_title(c->d, ci->title, sub);
	free(sub);

	/* The court and the parties, centred under the title. */
	struct para *p = doc_paragraph(c->d);
	p->align = ALIGN_CENTER;
	para_text(c->d, p, STYLE_BOLD, ci->court);
	para_text(c->d, p, STYLE_REGULAR, " — ");
	para_text(c->d, p, STYLE_REGULAR, ci->reference);
	p = doc_paragraph(c->d);
	p->align = ALIGN_CENTER;
	para_text(c->d, p, STYLE_REGULAR, ci->claimant);
	para_text(c->d, p, STYLE_ITALIC, c->fr ? " (demandeur) contre " :
	    " (claimant) v. ");
	para_text(c->d, p, STYLE_REGULAR, ci->defendant);
	para_text(c->d, p, STYLE_ITALIC, c->fr ? " (défendeur)" :
	    " (defendant)");

	doc_kv(c->d, L->court, ci->court);
	doc_kv(c->d, L->reference, ci->reference);
	doc_kv(c->d, L->claimant, ci->claimant);
	doc_kv(c->d, L->defendant, ci->defendant);
	if (ci->counsel && *ci->counsel)
		doc_kv(c->d, L->counsel, ci->counsel);
	char *date = ctx_date(c, c->in->date);
	doc_kv(c->d, L->date, date);
	free(date);
	char *a = ctx_date(c, ci->period_start);
	char *b = ctx_date(c, ci->period_end - 1);
	char *period = xasprintf(c->fr ? "du %s au %s" : "%s to %s", a, b);
	doc_kv(c->d, L->period, period);
	free(a);
	free(b);
	free(period);
	char *sla = ctx_percent(c, ci->sla_percent, ci->sla_percent ==
	    (long)ci->sla_percent ? 0 : ci->sla_percent * 10 ==
	    (long)(ci->sla_percent * 10) ? 1 : 2);
	doc_kv(c->d, L->sla, sla);
	free(sla);

	long ncomplaints = 0, nexhibits = 0;
	for (size_t i = 0; i < m->ncomplaints; i++)
		ncomplaints += c->complaint_in[i];
	for (size_t i = 0; i < m->nexhibits; i++)
		nexhibits += c->exhibit_in[i];
	kv_int(c, L->count_complaints, ncomplaints);
	kv_int(c, L->count_customers, (long long)c->ngroups);
	kv_int(c, L->count_exhibits, nexhibits);
	kv_int(c, L->count_log_lines, log_lines(m));
	/* In groups of eight, so the digest wraps between groups. */
	char grouped[SHA256_HEX_LEN + 8];
	for (int i = 0, k = 0; i < SHA256_HEX_LEN; i++) {
		if (i && i % 8 == 0)
			grouped[k++] = ' ';
		grouped[k++] = c->manifest_sha256[i];
		grouped[k] = '\0';
	}
	doc_kv(c->d, L->manifest_hash, grouped);
	if (c->in->customer) {
		doc_text(c->d, L->pack_intro);
	}
	doc_page_break(c->d);
}

void
section_contents(struct compose_ctx *c)
{
	doc_origin(c->d, "contents");
	doc_anchor(c->d, "contents");
	doc_contents(c->d);	/* draws its own title */
	doc_page_break(c->d);
}
