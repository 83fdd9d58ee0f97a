/*
 * compose.c - the dossier's table of sections, the selection of what a
 * document holds (everything, or one customer's pack), and the helpers
 * the sections share.
 */
#include "compose/compose_int.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "analyze/avail_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

char *
anchor_exhibit(int number)
{
	return xasprintf("ex-%d", number);
}

char *
anchor_complaint(const char *id)
{
	return xasprintf("cp-%s", id);
}

char *
anchor_service(const char *service_id)
{
	return xasprintf("av-%s", service_id);
}

char *
anchor_customer(const char *customer_id)
{
	return xasprintf("cu-%s", customer_id);
}

char *
ctx_date(const struct compose_ctx *c, int64_t t)
{
	return format_date_t(c->lang, t);
}

char *
ctx_datetime(const struct compose_ctx *c, int64_t t)
{
	struct tm tm;
	char *d = format_date_t(c->lang, t);
	time_local(t, &tm);
	char *s = xasprintf(c->fr ? "%s, %02d h %02d" : "%s, %02d:%02d", d,
	    tm.tm_hour, tm.tm_min);
	free(d);
	return s;
}

char *
ctx_duration(const struct compose_ctx *c, int64_t seconds)
{
	char buf[64];
	avail_fmt_duration(buf, sizeof(buf), seconds, c->fr);
	return xstrdup(buf);
}

char *
ctx_percent(const struct compose_ctx *c, double v, int decimals)
{
	return format_percent(c->lang, v, decimals);
}

const char *
ctx_service_label(const struct compose_ctx *c, const char *id)
{
	int k = model_service(c->m, id);
	return k >= 0 ? c->m->services[k].label : id;
}

const struct avail_result *
ctx_service_avail(const struct compose_ctx *c, const char *id)
{
	for (size_t i = 0; c->av && i < c->av->nservices; i++)
		if (strcmp(c->av->services[i].id, id) == 0)
			return &c->av->services[i];
	return NULL;
}

/* 1 if the text exhibit's content names another customer (a name
 * broken across two lines too). */
static int
exhibit_names_others(struct compose_ctx *c, const struct exhibit *e)
{
	char **lines;
	long *numbers;
	/* A PDF's text cannot be read back reliably here (font encodings):
	 * it may name other customers, so it goes into a pack only when the
	 * customer cited it. */
	if (e->type == EXHIBIT_PDF)
		return 1;
	if (e->type != EXHIBIT_TEXT)
		return 0;
	long n = ctx_file_lines(c, e->file, 1, LONG_MAX, &lines, &numbers);
	char *all = ctx_join_lines(lines, n);
	int found = ctx_withholds(c, all);
	free(all);
	for (long i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(numbers);
	return n < 0 || found;
}

int
compose_collate(const char *a, const char *b)
{
	char *ka = text_sort_key(a), *kb = text_sort_key(b);
	int r = strcmp(ka, kb);
	free(ka);
	free(kb);
	return r ? r : strcmp(a, b);
}

static int
group_cmp(const void *pa, const void *pb)
{
	const struct customer_group *a = pa, *b = pb;
	int r = compose_collate(a->name, b->name);
	return r ? r : strcmp(a->id, b->id);
}

/* Complaint indices by customer id, in received (file) order within
 * one customer (compose_int.h). */
int
compose_by_customer_id(const void *pa, const void *pb, void *arg)
{
	const struct case_model *m = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int r = strcmp(m->complaints[a].customer_id,
	    m->complaints[b].customer_id);
	return r ? r : (a > b) - (a < b);
}

/* Customers of the availability report by id, then by position. */
static int
by_avail_id(const void *pa, const void *pb, void *arg)
{
	const struct avail_report *av = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int r = strcmp(av->customers[a].id, av->customers[b].id);
	return r ? r : (a > b) - (a < b);
}

/*
 * Each group's line of the availability report: the last customer of
 * the report with the group's id, as the scan over the report this
 * replaces found it. Looked up in the report sorted by id: the scan was
 * quadratic, half a second of the large bench case (10,000 customers).
 */
static void
attach_availability(struct compose_ctx *c)
{
	const struct avail_report *av = c->av;
	if (av == NULL || av->ncustomers == 0)
		return;
	size_t n = av->ncustomers;
	size_t *ix = xcalloc(n, sizeof(size_t));
	for (size_t j = 0; j < n; j++)
		ix[j] = j;
	qsort_r(ix, n, sizeof(size_t), by_avail_id, (void *)av);
	for (size_t k = 0; k < c->ngroups; k++) {
		/* the first position past every id <= the group's */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(av->customers[ix[mid]].id,
			    c->groups[k].id) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && strcmp(av->customers[ix[lo - 1]].id,
		    c->groups[k].id) == 0)
			c->groups[k].avail = &av->customers[ix[lo - 1]];
	}
	free(ix);
}

/*
 * Group the selected complaints by customer, customers in name order.
 * The complaints are sorted by customer id so that each customer's are
 * one run (looking every complaint's customer up among the groups made
 * so far was quadratic: a thousand complaints, hundreds of customers).
 * A group takes its name and e-mail from its first complaint, as before;
 * the final order does not depend on the order groups are made in, as
 * no two groups share an id.
 */
static void
group_customers(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	size_t *order = xcalloc(m->ncomplaints + 1, sizeof(size_t));
	size_t n = 0;
	for (size_t i = 0; i < m->ncomplaints; i++)
		if (c->complaint_in[i])
			order[n++] = i;
	qsort_r(order, n, sizeof(size_t), compose_by_customer_id,
	    (void *)m);
	c->groups = xcalloc(n + 1, sizeof(*c->groups));
	for (size_t k = 0; k < n; k++) {
		const struct complaint *cp = &m->complaints[order[k]];
		struct customer_group *g = c->ngroups ?
		    &c->groups[c->ngroups - 1] : NULL;
		if (g == NULL || strcmp(g->id, cp->customer_id) != 0) {
			g = &c->groups[c->ngroups++];
			g->id = cp->customer_id;
			g->name = cp->customer_name;
			g->email = cp->email;
		}
		g->complaints = xreallocarray(g->complaints, g->n + 1,
		    sizeof(size_t));
		g->complaints[g->n++] = order[k];
	}
	free(order);
	qsort(c->groups, c->ngroups, sizeof(*c->groups), group_cmp);
	attach_availability(c);
}

/*
 * What a document holds. The master dossier: everything. A pack: the
 * customer's complaints, the services they hold, the exhibits their
 * complaints cite, and the exhibits of timeline events that no other
 * customer's complaint cites (so no other customer's e-mail or letter
 * can come in through the chronology).
 */
static void
select_records(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const char *who = c->in->customer;

	c->complaint_in = xcalloc(m->ncomplaints + 1, 1);
	c->exhibit_in = xcalloc(m->nexhibits + 1, 1);
	c->service_in = xcalloc(m->nservices + 1, 1);
	if (who == NULL) {
		memset(c->complaint_in, 1, m->ncomplaints);
		memset(c->exhibit_in, 1, m->nexhibits);
		memset(c->service_in, 1, m->nservices);
		return;
	}
	unsigned char *other = xcalloc(m->nexhibits + 1, 1);
	for (size_t i = 0; i < m->ncomplaints; i++) {
		const struct complaint *cp = &m->complaints[i];
		int mine = strcmp(cp->customer_id, who) == 0;
		c->complaint_in[i] = (unsigned char)mine;
		for (size_t k = 0; k < cp->nexhibits; k++) {
			if (mine)
				c->exhibit_in[cp->exhibits[k]] = 1;
			else
				other[cp->exhibits[k]] = 1;
		}
		for (size_t k = 0; mine && k < cp->nservices; k++) {
			int s = model_service(m, cp->services[k]);
			if (s >= 0)
				c->service_in[s] = 1;
		}
	}
	ctx_collect_withheld(c);
	for (size_t i = 0; i < m->ntimeline; i++)
		for (size_t k = 0; k < m->timeline[i].nexhibits; k++) {
			int x = m->timeline[i].exhibits[k];
			if (!other[x] && !c->exhibit_in[x] &&
			    !ctx_withholds(c, m->exhibits[x].title) &&
			    !ctx_withholds(c, m->exhibits[x].source) &&
			    !exhibit_names_others(c, &m->exhibits[x]))
				c->exhibit_in[x] = 1;
		}
	free(other);
}

char *
compose_manifest_text(const struct case_model *m)
{
	size_t *order = xcalloc(m->nfiles + 1, sizeof(size_t));
	struct buf b;

	for (size_t i = 0; i < m->nfiles; i++)
		order[i] = i;
	/* Insertion sort by path: a case has at most a few thousand files. */
	for (size_t i = 1; i < m->nfiles; i++)
		for (size_t j = i; j > 0 && strcmp(m->files[order[j - 1]].path,
		    m->files[order[j]].path) > 0; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	buf_init(&b);
	for (size_t i = 0; i < m->nfiles; i++)
		buf_printf(&b, "%s  %s\n", m->files[order[i]].sha256,
		    m->files[order[i]].path);
	free(order);
	return buf_take(&b);
}

void
compose_manifest_hash(const struct case_model *m, char hex[SHA256_HEX_LEN + 1])
{
	char *text = compose_manifest_text(m);
	sha256_hex(text, strlen(text), hex);
	free(text);
}

struct doc *
compose_dossier(const struct compose_input *in, struct diag_list *dl)
{
	const struct case_model *m = in->m;
	struct compose_ctx c;
	struct doc_options opt;

	memset(&c, 0, sizeof(c));
	c.in = in;
	c.m = m;
	c.av = in->avail;
	c.dl = dl;
	c.lang = lang_parse(m->info.language) == LANG_EN ? LANG_EN : LANG_FR;
	c.fr = c.lang == LANG_FR;
	c.L = labels_for(c.lang);
	if (tz_use(m->info.timezone) != 0) {
		diag_error(dl, "case.ini", 0, "timezone", "unknown time zone "
		    "\"%s\"", m->info.timezone);
		return NULL;
	}

	memset(&opt, 0, sizeof(opt));
	opt.lang = c.lang;
	opt.paper = paper_parse(m->info.paper) == PAPER_LETTER ?
	    PAPER_LETTER : PAPER_A4;
	ctx_sources_init(&c);	/* and the manifest's digest */
	char *title = in->customer ? NULL : xstrdup(m->info.title);
	if (in->customer)
		title = xasprintf("%s — %s", m->info.reference, in->customer);
	opt.title = title;
	opt.author = m->info.claimant;
	opt.subject = m->info.reference;
	/* verify reads the manifest's digest back from here. */
	char *keywords = xasprintf("dossier-manifest-sha256:%s",
	    c.manifest_sha256);
	opt.keywords = keywords;
	char *raw_header = xasprintf("%s — %s", m->info.reference,
	    in->customer ? in->customer : m->info.title);
	/* The header is drawn as is: give it the typography of the text. */
	char *header = typo_apply(c.lang, raw_header);
	free(raw_header);
	opt.header = header;
	opt.first_page_plain = 1;
	opt.date = in->date;
	c.d = doc_new(&opt);
	doc_set_diags(c.d, dl);

	select_records(&c);
	group_customers(&c);

	if (compose_split_wanted(&c))
		compose_split(&c);	/* the same sections, two threads */
	else {
		section_cover(&c);
		section_contents(&c);
		section_exhibit_list(&c);
		section_chronology(&c);
		section_availability(&c);
		section_complaints(&c);
		section_exhibits(&c);
	}
	section_index(&c);	/* lists every entry recorded above */
	section_manifest(&c);

	for (size_t k = 0; k < c.ngroups; k++)
		free(c.groups[k].complaints);
	free(c.groups);
	ctx_withheld_free(&c);
	for (size_t i = 0; i < c.nowned; i++)
		free(c.owned[i]);
	free(c.owned);
	ctx_sources_free(&c);
	free(c.complaint_in);
	free(c.exhibit_in);
	free(c.service_in);
	free(title);
	free(header);
	free(keywords);
	return c.d;
}
