/*
 * section_chronology.c - timeline events, long outages and complaint
 * receipts merged in time order, each with its source and links.
 *
 * In a customer's pack (see select_records in compose.c): every timeline
 * event (the case's shared facts, other customers' data withheld), the
 * outages of the services that customer's complaints name only, and the
 * receipts of that customer's complaints only. tests/suite-packs.sh
 * checks that no pack shows an outage of another service.
 */
#include "compose/compose_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum entry_kind { ENTRY_EVENT, ENTRY_OUTAGE, ENTRY_COMPLAINT };

struct entry {
	int64_t when;
	enum entry_kind kind;
	size_t index;		/* into timeline, complaints, or services */
	const struct ival *outage;
	size_t seq;		/* insertion order, for a stable sort */
};

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* "file:line" of a provenance, or "" when there is none. */
static char *
prov_text(const struct case_model *m, const struct provenance *p)
{
	if (p->file < 0 || (size_t)p->file >= m->nfiles)
		return xstrdup("");
	return xasprintf("%s:%ld", m->files[p->file].path, p->line);
}

static void
exhibit_links(struct compose_ctx *c, struct para *p, const int *ex, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct exhibit *e = &c->m->exhibits[ex[k]];
		if (!c->exhibit_in[ex[k]])
			continue;
		char *label = xasprintf(c->L->exhibit_n, e->number);
		char *anchor = anchor_exhibit(e->number);
		para_text(c->d, p, STYLE_REGULAR, k ? ", " : " ");
		para_link(c->d, p, label, anchor);
		free(label);
		free(anchor);
	}
}

void
section_chronology(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const struct labels *L = c->L;
	struct entry *v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < m->ntimeline; i++) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n] = (struct entry){ m->timeline[i].when, ENTRY_EVENT, i,
			NULL, n };
		n++;
	}
	for (size_t s = 0; c->av && s < c->av->nservices; s++) {
		const struct avail_result *r = &c->av->services[s];
		/* A declared service this document does not hold: none of
		 * its outages. (A service monitored but not declared in
		 * case.ini is kept, as the availability section keeps it:
		 * the rows link to its part of that section.) */
		int k = model_service(m, r->id);
		if (k >= 0 && !c->service_in[k])
			continue;
		for (size_t o = 0; o < r->noutages; o++) {
			const struct ival *iv = &r->outages[o];
			if (iv->end - iv->start < c->in->outage_threshold)
				continue;
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n] = (struct entry){ iv->start, ENTRY_OUTAGE, s, iv, n };
			n++;
		}
	}
	for (size_t i = 0; i < m->ncomplaints; i++) {
		if (!c->complaint_in[i])
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n] = (struct entry){ m->complaints[i].received,
			ENTRY_COMPLAINT, i, NULL, n };
		n++;
	}
	qsort(v, n, sizeof(*v), entry_cmp);

	doc_origin(c->d, "chronology");
	doc_heading(c->d, 1, L->chronology, "chronology");
	char *thr = ctx_duration(c, c->in->outage_threshold);
	char *intro = xasprintf(L->chronology_intro, thr, m->info.timezone);
	doc_text(c->d, intro);
	free(intro);
	free(thr);

	struct table *t = doc_table(c->d, 4, 1, NULL, NULL);
	const char *head[4] = { L->col_when, L->col_kind, L->col_event,
		L->col_source };
	table_row(c->d, t, head);
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &v[i];
		char *when = ctx_datetime(c, e->when);
		const char *cells[4] = { when, NULL, NULL, NULL };
		table_row(c->d, t, cells);
		size_t row = t->nrows - 1;
		struct para *kind = table_cell(t, row, 1);
		struct para *what = table_cell(t, row, 2);
		struct para *src = table_cell(t, row, 3);
		if (e->kind == ENTRY_EVENT) {
			const struct timeline_event *ev = &m->timeline[e->index];
			doc_origin(c->d, "%s:%ld", m->files[ev->prov.file].path,
			    ev->prov.line);
			para_text(c->d, kind, STYLE_REGULAR, L->kind_event);
			para_text(c->d, what, STYLE_BOLD, ctx_redact(c, ev->title));
			if (ev->detail && *ev->detail) {
				para_text(c->d, what, STYLE_REGULAR, " — ");
				para_text(c->d, what, STYLE_REGULAR,
				    ctx_redact(c, ev->detail));
			}
			para_text(c->d, src, STYLE_REGULAR,
			    ctx_redact(c, ev->source));
			exhibit_links(c, src, ev->exhibits, ev->nexhibits);
		} else if (e->kind == ENTRY_OUTAGE) {
			const struct avail_result *r = &c->av->services[e->index];
			char *dur = ctx_duration(c, e->outage->end -
			    e->outage->start);
			char *end = ctx_datetime(c, e->outage->end);
			char *text = xasprintf(c->fr ? " : indisponible %s, "
			    "jusqu'au %s" : ": unavailable for %s, until %s",
			    dur, end);
			char *anchor = anchor_service(r->id);
			para_text(c->d, kind, STYLE_REGULAR, L->kind_outage);
			para_link(c->d, what, r->label, anchor);
			para_text(c->d, what, STYLE_REGULAR, text);
			char *p1 = prov_text(m, &e->outage->from);
			char *p2 = prov_text(m, &e->outage->to);
			para_text(c->d, src, STYLE_ITALIC, p1);
			if (*p2 && strcmp(p1, p2) != 0) {
				para_text(c->d, src, STYLE_REGULAR, " – ");
				para_text(c->d, src, STYLE_ITALIC, p2);
			}
			free(p1);
			free(p2);
			free(anchor);
			free(text);
			free(end);
			free(dur);
		} else {
			const struct complaint *cp = &m->complaints[e->index];
			doc_origin(c->d, "%s:%ld", m->files[cp->prov.file].path,
			    cp->prov.line);
			char *anchor = anchor_complaint(cp->id);
			char *label = xasprintf("%s — %s", cp->id,
			    cp->customer_name);
			para_text(c->d, kind, STYLE_REGULAR, L->kind_complaint);
			para_link(c->d, what, label, anchor);
			para_text(c->d, what, STYLE_REGULAR, c->fr ? " : " : ": ");
			para_text(c->d, what, STYLE_REGULAR,
			    ctx_redact(c, cp->summary));
			para_text(c->d, src, STYLE_REGULAR,
			    m->files[cp->prov.file].path);
			exhibit_links(c, src, cp->exhibits, cp->nexhibits);
			free(label);
			free(anchor);
		}
		free(when);
	}
	free(v);
	doc_page_break(c->d);
}
