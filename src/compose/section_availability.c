/*
 * section_availability.c - the availability report: per-service figures
 * against the SLA, a daily chart per service, the longest outages with
 * the log lines that prove them, and the method.
 */
#include "compose/compose_int.h"
#include "analyze/avail_format.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LONGEST_SHOWN 3		/* outages quoted per service */
#define EXCERPT_CONTEXT 1	/* log lines shown around each proof line */

static int
included(const struct compose_ctx *c, const char *service_id)
{
	int k = model_service(c->m, service_id);
	return k < 0 || c->service_in[k];
}

/* Summary table: one row per service. */
static void
summary_table(struct compose_ctx *c)
{
	const struct labels *L = c->L;
	struct table *t = doc_table(c->d, 7, 1, NULL, "availability-table");
	const char *head[7] = { L->col_service, L->col_avail, L->col_downtime,
		L->col_allowed, L->col_outages, L->col_longest, L->col_verdict };
	table_row(c->d, t, head);
	for (size_t col = 1; col < 6; col++)
		table_align(t, col, ALIGN_RIGHT);
	for (size_t s = 0; s < c->av->nservices; s++) {
		const struct avail_result *r = &c->av->services[s];
		if (!included(c, r->id))
			continue;
		char *pct = r->real.pct_period < 0 ? xstrdup("—") :
		    ctx_percent(c, r->real.pct_period, 3);
		char *down = ctx_duration(c, r->downtime_unscheduled);
		char *allowed = ctx_duration(c, r->sla.allowed);
		char *nout = xasprintf("%zu", r->noutages);
		char *longest = ctx_duration(c, r->longest);
		char *verdict;
		if (!r->sla.present)
			verdict = xstrdup("—");
		else if (r->sla.breached && r->sla.has_credit) {
			char *cr = ctx_percent(c, r->sla.credit, 0);
			verdict = xasprintf("%s (%s %s)", L->breached, L->credit,
			    cr);
			free(cr);
		} else
			verdict = xstrdup(r->sla.breached ? L->breached : L->met);
		const char *cells[7] = { NULL, pct, down, allowed, nout,
			longest, verdict };
		table_row(c->d, t, cells);
		char *anchor = anchor_service(r->id);
		para_link(c->d, table_cell(t, t->nrows - 1, 0), r->label, anchor);
		free(anchor);
		free(pct);
		free(down);
		free(allowed);
		free(nout);
		free(longest);
		free(verdict);
	}
}

/* Daily availability bars with the SLA line. */
static void
daily_chart(struct compose_ctx *c, const struct avail_result *r)
{
	if (r->ndays == 0)
		return;
	struct chart_bar *bars = xcalloc(r->ndays, sizeof(*bars));
	double lowest = 100;
	for (size_t i = 0; i < r->ndays; i++) {
		const struct avail_day *d = &r->days[i];
		double len = (double)(d->end - d->start);
		double v = len > 0 ? 100.0 * (1.0 - (double)d->unavailable /
		    len) : 100.0;
		bars[i].value = v;
		bars[i].label = c->fr ? xasprintf("%02d/%02d", d->day, d->month)
		    : xasprintf("%d/%d", d->month, d->day);
		if (v < lowest)
			lowest = v;
	}
	double sla = c->m->info.sla_percent;
	double ymin = floor((lowest < sla ? lowest : sla) / 5.0) * 5.0 - 5.0;
	if (ymin < 0)
		ymin = 0;
	char *caption = xasprintf(c->L->daily_chart, r->label);
	doc_bar_chart(c->d, caption, bars, r->ndays, sla, ymin);
	free(caption);
	for (size_t i = 0; i < r->ndays; i++)
		free(bars[i].label);
	free(bars);
}

/* The log lines around one proof line, quoted with their numbers. */
static void
excerpt(struct compose_ctx *c, const struct provenance *p)
{
	if (p->file < 0 || (size_t)p->file >= c->m->nfiles || p->line <= 0)
		return;
	char **lines;
	long *numbers;
	long first = p->line > EXCERPT_CONTEXT ? p->line - EXCERPT_CONTEXT : 1;
	long n = ctx_file_lines(c, p->file, first, p->line + EXCERPT_CONTEXT,
	    &lines, &numbers);
	if (n <= 0)
		return;
	ctx_redact_lines(c, lines, n);
	char *caption = xasprintf(c->L->log_excerpt, c->m->files[p->file].path);
	doc_origin(c->d, "%s:%ld", c->m->files[p->file].path, p->line);
	doc_log(c->d, caption, (const char *const *)lines, numbers, (size_t)n);
	free(caption);
	for (long i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(numbers);
}

static int
longer_first(const void *pa, const void *pb)
{
	const struct ival *a = *(const struct ival *const *)pa;
	const struct ival *b = *(const struct ival *const *)pb;
	int64_t la = a->end - a->start, lb = b->end - b->start;
	if (la != lb)
		return la > lb ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

static void
longest_outages(struct compose_ctx *c, const struct avail_result *r)
{
	const struct labels *L = c->L;
	if (r->noutages == 0)
		return;
	const struct ival **v = xcalloc(r->noutages, sizeof(*v));
	for (size_t i = 0; i < r->noutages; i++)
		v[i] = &r->outages[i];
	qsort(v, r->noutages, sizeof(*v), longer_first);
	size_t n = r->noutages < LONGEST_SHOWN ? r->noutages : LONGEST_SHOWN;

	doc_heading(c->d, 3, L->largest_outages, NULL);
	struct table *t = doc_table(c->d, 4, 1, NULL, NULL);
	const char *head[4] = { L->col_start, L->col_end, L->col_duration,
		L->col_proof };
	table_row(c->d, t, head);
	table_align(t, 2, ALIGN_RIGHT);
	for (size_t i = 0; i < n; i++) {
		char *a = ctx_datetime(c, v[i]->start);
		char *b = ctx_datetime(c, v[i]->end);
		char *d = ctx_duration(c, v[i]->end - v[i]->start);
		char *proof;
		const struct provenance *f = &v[i]->from, *to = &v[i]->to;
		if (f->file >= 0 && to->file >= 0)
			proof = xasprintf("%s:%ld, %s:%ld",
			    c->m->files[f->file].path, f->line,
			    c->m->files[to->file].path, to->line);
		else if (f->file >= 0)
			proof = xasprintf("%s:%ld", c->m->files[f->file].path,
			    f->line);
		else
			proof = xstrdup("—");
		const char *cells[4] = { a, b, d, proof };
		table_row(c->d, t, cells);
		free(a);
		free(b);
		free(d);
		free(proof);
	}
	for (size_t i = 0; i < n; i++) {
		excerpt(c, &v[i]->from);
		if (v[i]->to.file != v[i]->from.file ||
		    v[i]->to.line > v[i]->from.line + 2 * EXCERPT_CONTEXT)
			excerpt(c, &v[i]->to);
	}
	free(v);
}

static void
service_detail(struct compose_ctx *c, const struct avail_result *r)
{
	char sentence[512];
	char *anchor = anchor_service(r->id);

	doc_origin(c->d, "availability:%s", r->id);
	doc_heading(c->d, 2, r->label, anchor);
	doc_index_term(c->d, r->label);
	free(anchor);
	if (r->sla.present) {
		avail_fmt_sla_sentence(sentence, sizeof(sentence), &r->sla,
		    c->av->end - c->av->start, c->fr);
		doc_text(c->d, sentence);
	}
	char *pct = ctx_percent(c, r->real.pct_period, 3);
	char *known = r->real.pct_known < 0 ? xstrdup("—") :
	    ctx_percent(c, r->real.pct_known, 3);
	char *excl = r->excl.pct_period < 0 ? xstrdup("—") :
	    ctx_percent(c, r->excl.pct_period, 3);
	char *down = ctx_duration(c, r->downtime_total);
	char *unsched = ctx_duration(c, r->downtime_unscheduled);
	char *sched = ctx_duration(c, r->sched_downtime);
	char *unknown = ctx_duration(c, r->real.unknown);
	char *nodata = ctx_duration(c, r->real.nodata);
	char *mttr = ctx_duration(c, (int64_t)(r->mttr + 0.5));
	char *nout = xasprintf("%zu", r->noutages);
	if (c->fr) {
		doc_kv(c->d, "Disponibilité sur la période", pct);
		doc_kv(c->d, "Sur le temps connu", known);
		doc_kv(c->d, "Hors maintenance programmée", excl);
		doc_kv(c->d, "Indisponibilité totale", down);
		doc_kv(c->d, "Dont hors maintenance", unsched);
		doc_kv(c->d, "Maintenance programmée", sched);
		doc_kv(c->d, "État UNKNOWN", unknown);
		doc_kv(c->d, "Sans données", nodata);
		doc_kv(c->d, "Nombre de pannes", nout);
		doc_kv(c->d, "Durée moyenne de rétablissement", mttr);
	} else {
		doc_kv(c->d, "Availability over the period", pct);
		doc_kv(c->d, "Over known time", known);
		doc_kv(c->d, "Excluding scheduled downtime", excl);
		doc_kv(c->d, "Total downtime", down);
		doc_kv(c->d, "Of which unscheduled", unsched);
		doc_kv(c->d, "Scheduled downtime", sched);
		doc_kv(c->d, "UNKNOWN state", unknown);
		doc_kv(c->d, "No data", nodata);
		doc_kv(c->d, "Number of outages", nout);
		doc_kv(c->d, "Mean time to recovery", mttr);
	}
	free(pct);
	free(known);
	free(excl);
	free(down);
	free(unsched);
	free(sched);
	free(unknown);
	free(nodata);
	free(mttr);
	free(nout);
	daily_chart(c, r);
	longest_outages(c, r);
}

void
section_availability(struct compose_ctx *c)
{
	const struct labels *L = c->L;
	if (c->av == NULL)
		return;
	doc_origin(c->d, "availability");
	doc_heading(c->d, 1, L->availability, "availability");
	char *sla = ctx_percent(c, c->m->info.sla_percent, 1);
	char *intro = xasprintf(L->availability_intro, sla);
	doc_text(c->d, intro);
	free(intro);
	free(sla);
	summary_table(c);

	doc_heading(c->d, 2, L->method, "method");
	const char *method = avail_method_text(c->m->info.language);
	/* The method is several paragraphs separated by blank lines. */
	char *copy = xstrdup(method);
	for (char *p = copy, *next; p && *p; p = next) {
		next = strstr(p, "\n\n");
		if (next) {
			*next = '\0';
			next += 2;
		}
		for (char *q = p; *q; q++)
			if (*q == '\n')
				*q = ' ';
		if (*p)
			doc_text(c->d, p);
	}
	free(copy);

	for (size_t s = 0; s < c->av->nservices; s++)
		if (included(c, c->av->services[s].id))
			service_detail(c, &c->av->services[s]);
	doc_page_break(c->d);
}
