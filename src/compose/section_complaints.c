/*
 * section_complaints.c - every complaint, grouped by customer: a header
 * block, the statement, the outages that corroborate it, its exhibits.
 */
#include "compose/compose_int.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Key terms looked for in statements, for the index. */
static const char *const terms_fr[] = { "panne", "grève", "hotline",
	"remboursement", "facturation", "nom de domaine", "messagerie", "DNS",
	"routeur", "Claranet", "mise en demeure", "chiffre d'affaires",
	"webmail", "support", "délai", "résiliation", NULL };
static const char *const terms_en[] = { "outage", "refund", "billing",
	"support", "DNS", "failover", "credit", "database", "e-mail",
	"downtime", "ticket", "SLA", "invoice", "cancel", NULL };

/* An ASCII-lowered copy, as tolower() lowers in the C locale: accented
 * letters (UTF-8 bytes) stay as they are. Caller frees. */
static char *
ascii_lower(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return t;
}

/* A small heading inside a complaint: kept with what follows, in
 * neither the outline nor the contents. */
static void
subhead(struct compose_ctx *c, const char *text)
{
	doc_heading(c->d, 4, text, NULL);
}

/* Mark the key terms a piece of text uses, just before the block that
 * holds it, so the index gives the page where the word is. */
#define TERMS_MAX 32	/* more than either list holds: one bit each */

static void
index_terms_in(struct compose_ctx *c, const char *text)
{
	const char *const *terms = c->fr ? terms_fr : terms_en;
	char *lterm[TERMS_MAX];
	size_t len[TERMS_MAX], n;
	uint32_t first[256] = { 0 };	/* terms starting with this byte */
	uint32_t missing = 0;		/* terms not found yet */

	for (n = 0; terms[n] && n < TERMS_MAX; n++) {
		lterm[n] = ascii_lower(terms[n]);
		len[n] = strlen(lterm[n]);
		first[(unsigned char)lterm[n][0]] |= (uint32_t)1 << n;
		missing |= (uint32_t)1 << n;
	}
	/*
	 * A term is mentioned when it starts a word of the text, case
	 * folded for ASCII (accented letters must match exactly). One pass
	 * over the lowered text: at each byte a table says which terms
	 * could start there, and only those are compared. The statements
	 * of a thousand complaints are long; a tolower() per byte and
	 * term, as before, was 3% of a whole build.
	 */
	char *low = ascii_lower(text);
	for (const char *p = low; *p && missing; p++) {
		uint32_t maybe = first[(unsigned char)*p] & missing;
		if (maybe == 0 || (p != low && isalnum((unsigned char)p[-1])))
			continue;
		for (size_t i = 0; i < n; i++)
			if ((maybe >> i & 1) && strncmp(p, lterm[i], len[i]) == 0)
				missing &= ~((uint32_t)1 << i);
	}
	for (size_t i = 0; i < n; i++) {
		if (!(missing >> i & 1))
			doc_index_term(c->d, terms[i]);
		free(lterm[i]);
	}
	free(low);
}

/* The statement: paragraphs separated by blank lines; lines joined. */
static void
statement(struct compose_ctx *c, const char *text)
{
	char *copy = xstrdup(text);
	for (char *p = copy, *next; p && *p; p = next) {
		next = strstr(p, "\n\n");
		if (next) {
			*next = '\0';
			next += 2;
			while (*next == '\n' || *next == '\r')
				next++;
		}
		for (char *q = p; *q; q++)
			if (*q == '\n' || *q == '\r')
				*q = ' ';
		while (*p == ' ')
			p++;
		if (*p) {
			index_terms_in(c, p);
			doc_text(c->d, p);
		}
	}
	free(copy);
}

#define CORROBORATION_MAX 10	/* outages listed per complaint */

/* One outage of one of the customer's services. */
struct hit {
	const struct avail_result *r;
	const struct ival *iv;
};

static int
hit_longer_first(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;
	int64_t la = a->iv->end - a->iv->start, lb = b->iv->end - b->iv->start;
	if (la != lb)
		return la > lb ? -1 : 1;
	return a->iv->start < b->iv->start ? -1 : a->iv->start > b->iv->start;
}

static int
hit_earlier_first(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;
	if (a->iv->start != b->iv->start)
		return a->iv->start < b->iv->start ? -1 : 1;
	return strcmp(a->r->id, b->r->id);
}

/*
 * Add h to v[0..*n), the longest hits so far (at most CORROBORATION_MAX),
 * kept in hit_longer_first order. A hit that ties with one already kept
 * goes after it: the order a stable sort of every hit would give.
 */
static void
keep_longest(struct hit *v, size_t *n, struct hit h)
{
	size_t at = *n;
	while (at > 0 && hit_longer_first(&h, &v[at - 1]) < 0)
		at--;
	if (at == CORROBORATION_MAX)
		return;
	size_t last = *n < CORROBORATION_MAX ? *n : CORROBORATION_MAX - 1;
	memmove(&v[at + 1], &v[at], (last - at) * sizeof(*v));
	v[at] = h;
	if (*n < CORROBORATION_MAX)
		(*n)++;
}

/*
 * Outages of the customer's services from the start of the period to
 * the complaint's receipt: what the monitoring says of the complaint.
 * The longest (at most CORROBORATION_MAX, each over the threshold) are
 * listed in time order with a link to the service's report; the others
 * are counted, so a flapping service cannot fill pages per complaint.
 */
static void
corroboration(struct compose_ctx *c, const struct complaint *cp)
{
	const struct labels *L = c->L;
	struct hit *v;
	size_t n = 0, nkept = 0;
	int64_t total = 0, listed = 0;

	subhead(c, L->corroboration);
	/* Only the CORROBORATION_MAX longest outages can be listed: keep
	 * those (and count and add up the rest) rather than collect and
	 * sort them all, which took a fifth of the compose stage on a case
	 * with a busy log. */
	v = xcalloc(CORROBORATION_MAX, sizeof(*v));
	for (size_t k = 0; k < cp->nservices; k++) {
		const struct avail_result *r = ctx_service_avail(c,
		    cp->services[k]);
		for (size_t o = 0; r && o < r->noutages; o++) {
			const struct ival *iv = &r->outages[o];
			if (iv->start >= cp->received ||
			    iv->end <= c->m->info.period_start)
				continue;
			keep_longest(v, &nkept, (struct hit){ r, iv });
			n++;
			total += iv->end - iv->start;
		}
	}
	if (n == 0) {
		doc_text(c->d, L->corroboration_none);
		free(v);
		return;
	}
	size_t shown = 0;
	while (shown < nkept &&
	    v[shown].iv->end - v[shown].iv->start >= c->in->outage_threshold)
		shown++;
	qsort(v, shown, sizeof(*v), hit_earlier_first);
	if (shown) {
		struct table *t = doc_table(c->d, 4, 1, NULL, NULL);
		const char *head[4] = { L->col_service, L->col_start,
			L->col_duration, L->availability };
		table_row(c->d, t, head);
		table_align(t, 2, ALIGN_RIGHT);
		for (size_t i = 0; i < shown; i++) {
			listed += v[i].iv->end - v[i].iv->start;
			char *start = ctx_datetime(c, v[i].iv->start);
			char *dur = ctx_duration(c, v[i].iv->end - v[i].iv->start);
			const char *cells[4] = { NULL, start, dur, NULL };
			table_row(c->d, t, cells);
			char *anchor = anchor_service(v[i].r->id);
			size_t row = t->nrows - 1;
			para_link(c->d, table_cell(t, row, 0), v[i].r->label,
			    anchor);
			para_text(c->d, table_cell(t, row, 3), STYLE_REGULAR,
			    L->see_page);
			para_text(c->d, table_cell(t, row, 3), STYLE_REGULAR, " ");
			para_pageref(c->d, table_cell(t, row, 3), anchor);
			free(anchor);
			free(start);
			free(dur);
		}
	}
	char *all = ctx_duration(c, total);
	char *text;
	if (shown < n) {
		char *r = ctx_duration(c, total - listed);
		char *thr = ctx_duration(c, c->in->outage_threshold);
		char *none = shown ? xstrdup("") : xasprintf(c->fr ?
		    "Aucune panne de plus de %s ; " : "No outage over %s; ", thr);
		text = xasprintf(c->fr ? "%s%zu panne%s en tout, %s "
		    "d’indisponibilité ; %zu autre%s, plus courte%s, totalisent "
		    "%s (voir le rapport de disponibilité)." :
		    "%s%zu outage%s in all, %s of downtime; %zu other%s, "
		    "shorter, add up to %s (see the availability report).",
		    none, n, n > 1 ? "s" : "", all,
		    n - shown, n - shown > 1 ? "s" : "", n - shown > 1 ? "s" : "",
		    r);
		free(r);
		free(thr);
		free(none);
	} else
		text = xasprintf(c->fr ? "%zu panne%s, %s d’indisponibilité en "
		    "tout." : "%zu outage%s, %s of downtime in all.", n,
		    n > 1 ? "s" : "", all);
	doc_text(c->d, text);
	free(text);
	free(all);
	free(v);
}

/* The origin of a complaint's blocks: its line of the complaints file. */
static void
complaint_origin(struct compose_ctx *c, const struct complaint *cp)
{
	doc_origin(c->d, "%s:%ld", c->m->files[cp->prov.file].path,
	    cp->prov.line);
}

static void
one_complaint(struct compose_ctx *c, const struct complaint *cp)
{
	const struct labels *L = c->L;
	const struct case_model *m = c->m;
	char *anchor = anchor_complaint(cp->id);
	char *title = xasprintf("%s — %s", cp->id,
	    ctx_redact(c, cp->summary));

	complaint_origin(c, cp);
	index_terms_in(c, cp->summary);
	doc_heading(c->d, 3, title, anchor);
	free(title);
	free(anchor);

	char *received = ctx_datetime(c, cp->received);
	doc_kv(c->d, L->received, received);
	free(received);
	doc_kv(c->d, L->customer_id, cp->customer_id);
	doc_kv(c->d, L->email, cp->email);
	if (cp->contract && *cp->contract)
		doc_kv(c->d, L->contract, cp->contract);
	struct buf b;
	buf_init(&b);
	for (size_t k = 0; k < cp->nservices; k++)
		buf_printf(&b, "%s%s", k ? ", " : "",
		    ctx_service_label(c, cp->services[k]));
	doc_kv(c->d, L->services, b.data ? b.data : "");
	buf_free(&b);
	for (size_t k = 0; k < cp->nservices; k++)
		doc_kv_index_term(c->d, ctx_service_label(c, cp->services[k]));
	if (cp->prepaid_cents >= 0) {
		char *money = format_money(c->lang, cp->prepaid_cents,
		    m->info.currency ? m->info.currency : "EUR");
		doc_kv(c->d, L->prepaid, money);
		free(money);
	}
	if (cp->prepaid_until > 0) {
		char *until = ctx_date(c, cp->prepaid_until);
		doc_kv(c->d, L->prepaid_until, until);
		free(until);
	}

	subhead(c, L->statement);
	statement(c, ctx_redact(c, cp->statement));
	corroboration(c, cp);
	if (cp->nexhibits) {
		subhead(c, L->complaint_exhibits);
		for (size_t k = 0; k < cp->nexhibits; k++) {
			const struct exhibit *e = &m->exhibits[cp->exhibits[k]];
			struct para *p = doc_paragraph(c->d);
			char *label = xasprintf(L->exhibit_stamp, e->number,
			    ctx_redact(c, e->title));
			char *ex = anchor_exhibit(e->number);
			para_link(c->d, p, label, ex);
			para_text(c->d, p, STYLE_REGULAR, c->fr ? " (p. " :
			    " (p. ");
			para_pageref(c->d, p, ex);
			para_text(c->d, p, STYLE_REGULAR, ")");
			free(label);
			free(ex);
		}
	}
}

/*
 * The section in three parts, so that the groups can be composed on two
 * threads (compose_split.c): the heading, each customer's group, the
 * end. A group's first block takes the origin of the block before it,
 * the last complaint of the group before (or the section's): each group
 * sets it itself, so it is the same whoever composes the group before.
 */
void
complaints_open(struct compose_ctx *c)
{
	doc_origin(c->d, "complaints");
	doc_heading(c->d, 1, c->L->complaints, "complaints");
	doc_text(c->d, c->L->complaints_intro);
}

/* The origin of the blocks after group g (g < c->ngroups): its last
 * complaint's. */
static void
origin_after_group(struct compose_ctx *c, size_t g)
{
	const struct customer_group *grp = &c->groups[g];
	complaint_origin(c, &c->m->complaints[grp->complaints[grp->n - 1]]);
}

void
complaints_group(struct compose_ctx *c, size_t g)
{
	const struct customer_group *grp = &c->groups[g];
	if (g == 0)
		doc_origin(c->d, "complaints");
	else
		origin_after_group(c, g - 1);
	char *anchor = anchor_customer(grp->id);
	doc_heading(c->d, 2, grp->name, anchor);
	free(anchor);
	doc_index_term(c->d, grp->name);
	for (size_t k = 0; k < grp->n; k++)
		one_complaint(c, &c->m->complaints[grp->complaints[k]]);
}

void
complaints_close(struct compose_ctx *c)
{
	if (c->ngroups > 0)
		origin_after_group(c, c->ngroups - 1);
	doc_page_break(c->d);
}

void
section_complaints(struct compose_ctx *c)
{
	complaints_open(c);
	for (size_t g = 0; g < c->ngroups; g++)
		complaints_group(c, g);
	complaints_close(c);
}
