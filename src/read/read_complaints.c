/*
 * read_complaints.c - complaints.csv, one row per customer complaint.
 *
 * Every field of a row is checked and every problem reported before the
 * row is accepted or left out, so the user sees all of them at once.
 */
#include "read/read_int.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { C_ID, C_RECEIVED, C_CUSTOMER_ID, C_NAME, C_EMAIL, C_SERVICES,
	C_CONTRACT, C_PREPAID, C_UNTIL, C_SUMMARY, C_STATEMENT, C_EXHIBITS,
	C_NCOLS };

static const char *const cols[C_NCOLS] = { "complaint_id", "received",
	"customer_id", "customer_name", "email", "services", "contract",
	"prepaid_eur", "prepaid_until", "summary", "statement", "exhibits" };

struct cstate {
	struct reader *r;
	const char *rel;
	int file;
	struct strmap ids;		/* complaint id -> complaint index */
	struct strmap customers;	/* customer id -> complaint index */
};

/* Check the ';'-list of services; 0 or -1 (reported). */
static int
take_services(struct cstate *st, const struct csv_row *row,
    struct complaint *c)
{
	struct reader *r = st->r;
	int rc = 0;

	c->services = list_split(row->f[C_SERVICES], &c->nservices);
	if (c->nservices == 0) {
		diag_error(r->dl, st->rel, row->line, cols[C_SERVICES],
		    "at least one service is required (one of the ids of "
		    "case.ini [services])");
		return -1;
	}
	for (size_t i = 0; i < c->nservices; i++)
		if (model_service(r->m, c->services[i]) < 0) {
			diag_error(r->dl, st->rel, row->line, cols[C_SERVICES],
			    "service \"%s\" is not declared in case.ini "
			    "[services]", c->services[i]);
			rc = -1;
		}
	return rc;
}

static void
complaint_free(struct complaint *c)
{
	free(c->id);
	free(c->customer_id);
	free(c->customer_name);
	free(c->email);
	list_free(c->services, c->nservices);
	free(c->contract);
	free(c->summary);
	free(c->statement);
	free(c->exhibits);
}

/* A customer id must always go with the same name and e-mail. */
static void
check_customer(struct cstate *st, const struct complaint *c)
{
	struct case_model *m = st->r->m;
	int k = strmap_get(&st->customers, c->customer_id);

	if (k < 0) {
		strmap_put(&st->customers, c->customer_id, (int)m->ncomplaints);
		return;
	}
	const struct complaint *first = &m->complaints[k];
	if (strcmp(first->customer_name, c->customer_name) != 0)
		diag_warn(st->r->dl, st->rel, c->prov.line, cols[C_NAME],
		    "customer %s is named \"%s\" here but \"%s\" on line %ld",
		    c->customer_id, c->customer_name, first->customer_name,
		    first->prov.line);
	if (strcmp(first->email, c->email) != 0)
		diag_warn(st->r->dl, st->rel, c->prov.line, cols[C_EMAIL],
		    "customer %s has e-mail \"%s\" here but \"%s\" on line %ld",
		    c->customer_id, c->email, first->email, first->prov.line);
}

static int
on_row(void *ctx, const struct csv_row *row)
{
	struct cstate *st = ctx;
	struct reader *r = st->r;
	struct diag_list *dl = r->dl;
	const char *rel = st->rel, *why;
	long line = row->line;
	struct complaint c;
	int bad = 0;

	memset(&c, 0, sizeof(c));
	for (int i = 0; i < C_NCOLS; i++)
		str_trim(row->f[i]);
	c.prov.file = st->file;
	c.prov.line = line;
	c.prepaid_cents = -1;

	const char *id = row->f[C_ID];
	if (!id_valid(id)) {
		diag_error(dl, rel, line, cols[C_ID], id[0] ?
		    "complaint id \"%s\" may only hold letters, digits, '-', "
		    "'_' and '.'" : "a complaint id is required%s", id);
		bad = 1;
	} else {
		int k = strmap_get(&st->ids, id);
		if (k >= 0) {
			diag_error(dl, rel, line, cols[C_ID], "complaint id "
			    "\"%s\" is already used on line %ld; this row is "
			    "left out", id, r->m->complaints[k].prov.line);
			bad = 1;
		}
	}
	if (time_parse(row->f[C_RECEIVED], &c.received, &why) != 0) {
		diag_error(dl, rel, line, cols[C_RECEIVED], "\"%s\": %s",
		    row->f[C_RECEIVED], why);
		bad = 1;
	}
	if (row->f[C_CUSTOMER_ID][0] == '\0') {
		diag_error(dl, rel, line, cols[C_CUSTOMER_ID],
		    "a customer id is required");
		bad = 1;
	}
	if (row->f[C_NAME][0] == '\0') {
		diag_error(dl, rel, line, cols[C_NAME],
		    "the customer's name is required");
		bad = 1;
	}
	const char *at = strchr(row->f[C_EMAIL], '@');
	if (at == NULL || at == row->f[C_EMAIL] || at[1] == '\0' ||
	    strchr(at + 1, '@') || strpbrk(row->f[C_EMAIL], " \t\n")) {
		diag_error(dl, rel, line, cols[C_EMAIL], "\"%s\" is not an "
		    "e-mail address (it must contain one @)", row->f[C_EMAIL]);
		bad = 1;
	}
	if (take_services(st, row, &c) != 0)
		bad = 1;
	if (row->f[C_PREPAID][0] &&
	    parse_money(row->f[C_PREPAID], &c.prepaid_cents, &why) != 0) {
		diag_error(dl, rel, line, cols[C_PREPAID], "\"%s\": %s",
		    row->f[C_PREPAID], why);
		bad = 1;
	}
	if (row->f[C_UNTIL][0] &&
	    time_parse(row->f[C_UNTIL], &c.prepaid_until, &why) != 0) {
		diag_error(dl, rel, line, cols[C_UNTIL], "\"%s\": %s",
		    row->f[C_UNTIL], why);
		bad = 1;
	}
	if (strchr(row->f[C_SUMMARY], '\n')) {
		diag_error(dl, rel, line, cols[C_SUMMARY],
		    "the summary must be on one line");
		bad = 1;
	}
	if (exhibits_resolve(r, rel, line, cols[C_EXHIBITS],
	    row->f[C_EXHIBITS], &c.exhibits, &c.nexhibits) != 0)
		bad = 1;
	if (bad) {
		complaint_free(&c);
		return -1;
	}
	c.id = xstrdup(id);
	c.customer_id = xstrdup(row->f[C_CUSTOMER_ID]);
	c.customer_name = xstrdup(row->f[C_NAME]);
	c.email = xstrdup(row->f[C_EMAIL]);
	c.contract = xstrdup(row->f[C_CONTRACT]);
	c.summary = xstrdup(row->f[C_SUMMARY]);
	c.statement = xstrdup(row->f[C_STATEMENT]);

	struct case_model *m = r->m;
	check_customer(st, &c);
	strmap_put(&st->ids, c.id, (int)m->ncomplaints);
	m->complaints = xreallocarray(m->complaints, m->ncomplaints + 1,
	    sizeof(*m->complaints));
	m->complaints[m->ncomplaints++] = c;
	return 0;
}

void
read_complaints(struct reader *r, const char *full, const char *rel, int file)
{
	struct cstate st;
	memset(&st, 0, sizeof(st));
	st.r = r;
	st.rel = rel;
	st.file = file;
	struct csv_spec sp = { rel, cols, C_NCOLS, r->lim, r->dl, on_row, &st };
	struct csv_counts cnt = { 0, 0, 0, 0 };
	csv_read_file(full, &sp, &cnt);
	reader_count_csv(r, file, &cnt);
	strmap_free(&st.ids);
	strmap_free(&st.customers);
}
