/*
 * withheld.c - which strings a customer's pack withholds, and in what
 * order: every other customer's names (as the case may write them),
 * e-mail addresses and ids, and the contract references this customer
 * does not share. redact.c finds and replaces them.
 *
 * Deriving those strings is work on the whole case: for every complaint
 * its name's variants, its e-mail, id and contract, each folded into the
 * form it is matched in, deduplicated, sorted longest first, and an
 * Aho-Corasick automaton built over the lot. Done for every pack, that
 * was O(customers x case) in all and 8 % of the CPU of a packs run. None
 * of it depends on the pack's customer but for which complaints count,
 * so it is done once per case (compose_withheld_new: packs makes it
 * before forking its workers, which inherit it copy-on-write), and a
 * pack only selects (ctx_collect_withheld), looking at its own
 * customer's complaints and at the forms they share with others.
 *
 * The selection gives exactly the list the per-pack collection gave,
 * form for form and in the same order (tests/test_redact.c holds that
 * collection and checks it):
 *
 *  - The per-pack collection took, for every complaint of another
 *    customer in case order, its names, e-mail, id, and its contract if
 *    this customer has no complaint with the same contract; each form
 *    kept once, then sorted longest first, forms as long in the order
 *    they were first collected. Here every complaint's collections are
 *    recorded once, in the same case order ("the stream"), with the
 *    form each gives. A pack's collection is the stream less the
 *    collections it skips: its own customer's, and contracts it shares.
 *  - A form none of whose collections a pack skips is in that pack, and
 *    was first collected where it first is in the stream: its place in
 *    the case's order (longest first, then first in the stream) is its
 *    place in the pack's. A collection a pack skips gives either a form
 *    of its own customer's complaints or one of their contracts, which
 *    are also collected from its customer's complaints: so the only
 *    forms to look at again are those of its own complaints. Each of
 *    them is in the pack if one of its collections is kept, ordered by
 *    the first one kept; they are merged into the case's order.
 *  - One automaton over every form of the case finds each form exactly
 *    where one over a pack's forms alone would (Aho-Corasick reports
 *    every occurrence of every pattern, whatever the other patterns);
 *    redact.c ignores the forms the pack does not withhold (c->skip).
 */
#include "compose/compose_int.h"
#include "util/acmatch.h"
#include "util/hash.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* While the case's forms are collected: the forms so far, by hash (each
 * new one is checked against them at once; a case collects ten to
 * fifteen per complaint for far fewer distinct), and the stream. Open
 * addressing: slots hold a form's index plus one, 0 empty. */
struct collector {
	const struct case_model *m;
	char **form;		/* in the order first collected */
	size_t nform;
	size_t *slot, cap;	/* cap a power of two, over twice nform */
	int *ct_form;		/* the stream: per collection, its form */
	size_t *ct_complaint;
	unsigned char *ct_contract;
	size_t nct, ctcap;
};

static size_t *
form_slot(struct collector *k, const char *w)
{
	size_t i = hash_string(w) & (k->cap - 1);
	while (k->slot[i] && strcmp(k->form[k->slot[i] - 1], w) != 0)
		i = (i + 1) & (k->cap - 1);
	return &k->slot[i];
}

/* Record that complaint i gives string s (its contract if contract):
 * what withhold() did in each pack, but for every complaint. */
static void
collect(struct collector *k, size_t i, int contract, const char *s)
{
	if (s == NULL || strlen(s) < 3)
		return;	/* too short to be personal, and would match anywhere */
	char *w = withheld_form(s);
	if (strlen(w) < 3) {
		free(w);
		return;
	}
	if (2 * (k->nform + 1) > k->cap) {
		/* Grow, and put every form back in its new slot. */
		free(k->slot);
		k->cap = k->cap ? 2 * k->cap : 1024;
		k->slot = xcalloc(k->cap, sizeof(size_t));
		for (size_t f = 0; f < k->nform; f++)
			*form_slot(k, k->form[f]) = f + 1;
	}
	size_t *slot = form_slot(k, w);
	if (*slot == 0) {
		k->form = xreallocarray(k->form, k->nform + 1, sizeof(char *));
		k->form[k->nform++] = w;
		*slot = k->nform;
	} else
		free(w);
	if (k->nct == k->ctcap) {
		k->ctcap = k->ctcap ? 2 * k->ctcap : 1024;
		k->ct_form = xreallocarray(k->ct_form, k->ctcap, sizeof(int));
		k->ct_complaint = xreallocarray(k->ct_complaint, k->ctcap,
		    sizeof(size_t));
		k->ct_contract = xreallocarray(k->ct_contract, k->ctcap, 1);
	}
	k->ct_form[k->nct] = (int)(*slot - 1);
	k->ct_complaint[k->nct] = i;
	k->ct_contract[k->nct] = (unsigned char)contract;
	k->nct++;
}

/* Honorifics a case may put before a surname: "Mme Marchetti". */
static const char *const name_titles[] = { "M.", "Mme", "Mlle", "Dr",
	"Me", "Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms" };
/* Legal forms a firm's name may be written with or without. */
static const char *const legal_prefixes[] = { "SARL ", "SAS ", "SA ",
	"EURL ", "SCI ", "SCP " };
static const char *const legal_suffixes[] = { " LLC", " Inc.", " Inc",
	" Ltd.", " Ltd", " GmbH", " SARL", " SAS", " SA" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A customer's name as the case may write it: in full; for "Firm
 * (M. First Last)" the firm and the person (a one-word aside such as
 * "(Bretagne)" is no name); the firm without its legal form ("Cuisines
 * Lemaire" for "SARL Cuisines Lemaire"); and the surname after an
 * honorific ("M. Alvarez", "Mme Marchetti").
 */
static void
collect_name(struct collector *k, size_t i, const char *name)
{
	if (name == NULL || *name == '\0')
		return;
	collect(k, i, 0, name);
	size_t len = strlen(name);
	const char *open = strstr(name, " (");
	char *firm, *person;
	if (open && name[len - 1] == ')') {
		firm = xstrndup(name, (size_t)(open - name));
		char *aside = xstrndup(open + 2,
		    (size_t)(name + len - 1 - open - 2));
		const char *p = aside;
		for (size_t t = 0; t < NELEM(name_titles); t++) {
			size_t n = strlen(name_titles[t]);
			if (strncmp(p, name_titles[t], n) == 0 && p[n] == ' ') {
				p += n + 1;
				break;
			}
		}
		person = strchr(p, ' ') ? xstrdup(p) : NULL;
		free(aside);
		collect(k, i, 0, firm);
		if (person)
			collect(k, i, 0, person);
	} else {
		firm = xstrdup(name);
		person = xstrdup(name);
	}
	for (size_t t = 0; t < NELEM(legal_prefixes); t++)
		if (strncmp(firm, legal_prefixes[t],
		    strlen(legal_prefixes[t])) == 0 &&
		    strchr(firm + strlen(legal_prefixes[t]), ' '))
			collect(k, i, 0, firm + strlen(legal_prefixes[t]));
	for (size_t t = 0; t < NELEM(legal_suffixes); t++) {
		size_t n = strlen(firm), s = strlen(legal_suffixes[t]);
		if (n > s && strcmp(firm + n - s, legal_suffixes[t]) == 0) {
			char *bare = xstrndup(firm, n - s);
			if (strchr(bare, ' '))
				collect(k, i, 0, bare);
			free(bare);
		}
	}
	const char *surname = person ? strrchr(person, ' ') : NULL;
	if (surname && strlen(surname + 1) >= 3)
		for (size_t t = 0; t < NELEM(name_titles); t++) {
			char *h = xasprintf("%s %s", name_titles[t], surname + 1);
			collect(k, i, 0, h);
			free(h);
		}
	free(firm);
	free(person);
}

/* Forms longest first; of two as long, the one collected first. */
static int
by_length(const void *pa, const void *pb, void *arg)
{
	const size_t *len = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	if (len[a] != len[b])
		return len[a] > len[b] ? -1 : 1;
	return (a > b) - (a < b);
}

/* Complaints by contract, in case order within one contract (by
 * customer id: compose_by_customer_id). */
static int
by_contract(const void *pa, const void *pb, void *arg)
{
	const struct case_model *m = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int r = strcmp(m->complaints[a].contract, m->complaints[b].contract);
	return r ? r : (a > b) - (a < b);
}

/* 1 if the automaton may stand for the one-form-at-a-time match with
 * this form: valid UTF-8, and holding nothing redact puts in a text
 * ('[', ']', '…'), see redact() in redact.c. */
static int
form_fits_matcher(const char *w)
{
	return utf8_valid(w, strlen(w), NULL) && !strpbrk(w, "[]") &&
	    !strstr(w, "…");
}

struct compose_withheld *
compose_withheld_new(const struct case_model *m)
{
	struct compose_withheld *w = xcalloc(1, sizeof(*w));
	struct collector k = { .m = m };
	size_t n = m->ncomplaints;

	w->m = m;
	/* The stream, in the order each pack collected: complaint by
	 * complaint, names, e-mail, id, contract (only one of six
	 * characters or more is personal enough). */
	w->cstart = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const struct complaint *o = &m->complaints[i];
		w->cstart[i] = k.nct;
		collect_name(&k, i, o->customer_name);
		collect(&k, i, 0, o->email);
		collect(&k, i, 0, o->customer_id);
		if (o->contract && strlen(o->contract) >= 6)
			collect(&k, i, 1, o->contract);
	}
	w->cstart[n] = k.nct;
	free(k.slot);

	/* Forms numbered in the order every pack sorts them. */
	size_t nf = k.nform;
	size_t *len = xcalloc(nf + 1, sizeof(size_t));
	size_t *order = xcalloc(nf + 1, sizeof(size_t));
	size_t *id = xcalloc(nf + 1, sizeof(size_t));
	for (size_t f = 0; f < nf; f++) {
		len[f] = strlen(k.form[f]);
		order[f] = f;
	}
	qsort_r(order, nf, sizeof(size_t), by_length, len);
	w->nforms = nf;
	w->form = xcalloc(nf + 1, sizeof(char *));
	w->len = xcalloc(nf + 1, sizeof(size_t));
	w->first = xcalloc(nf + 1, sizeof(size_t));
	for (size_t r = 0; r < nf; r++) {
		id[order[r]] = r;
		w->form[r] = k.form[order[r]];
		w->len[r] = len[order[r]];
	}
	free(k.form);
	free(len);
	free(order);

	/* The stream in those numbers, and per form its collections in
	 * stream order (the first is where it was first collected). */
	w->nct = k.nct;
	w->ct_form = k.ct_form;
	w->ct_complaint = k.ct_complaint;
	w->ct_contract = k.ct_contract;
	w->fstart = xcalloc(nf + 2, sizeof(size_t));
	w->fct = xcalloc(k.nct + 1, sizeof(size_t));
	for (size_t p = 0; p < k.nct; p++) {
		w->ct_form[p] = (int)id[w->ct_form[p]];
		w->fstart[w->ct_form[p] + 1]++;
	}
	free(id);
	for (size_t f = 0; f < nf; f++)
		w->fstart[f + 1] += w->fstart[f];
	size_t *fill = xcalloc(nf + 1, sizeof(size_t));
	for (size_t p = 0; p < k.nct; p++) {
		size_t f = (size_t)w->ct_form[p];
		if (fill[f] == 0)
			w->first[f] = p;
		w->fct[w->fstart[f] + fill[f]++] = p;
	}
	free(fill);

	/* Complaints by customer (a pack finds its own by bisection), and
	 * per complaint the first complaint of its customer and of its
	 * contract (equal strings, as the per-pack check compared them). */
	w->by_customer = xcalloc(n + 1, sizeof(size_t));
	w->customer = xcalloc(n + 1, sizeof(size_t));
	w->contract = xcalloc(n + 1, sizeof(size_t));
	size_t *byc = xcalloc(n + 1, sizeof(size_t)), nc = 0;
	for (size_t i = 0; i < n; i++) {
		w->by_customer[i] = i;
		w->contract[i] = SIZE_MAX;
		if (m->complaints[i].contract)
			byc[nc++] = i;
	}
	qsort_r(w->by_customer, n, sizeof(size_t), compose_by_customer_id,
	    (void *)m);
	for (size_t r = 0; r < n; r++)
		w->customer[w->by_customer[r]] = r > 0 &&
		    strcmp(m->complaints[w->by_customer[r]].customer_id,
		    m->complaints[w->by_customer[r - 1]].customer_id) == 0 ?
		    w->customer[w->by_customer[r - 1]] : w->by_customer[r];
	qsort_r(byc, nc, sizeof(size_t), by_contract, (void *)m);
	for (size_t r = 0; r < nc; r++)
		w->contract[byc[r]] = r > 0 &&
		    strcmp(m->complaints[byc[r]].contract,
		    m->complaints[byc[r - 1]].contract) == 0 ?
		    w->contract[byc[r - 1]] : byc[r];
	free(byc);

	/* One automaton over every form, a form's id its number. */
	for (size_t f = 0; f < nf; f++)
		if (!form_fits_matcher(w->form[f])) {
			w->unfit = xreallocarray(w->unfit, w->nunfit + 1,
			    sizeof(size_t));
			w->unfit[w->nunfit++] = f;
		}
	if (nf) {
		w->matcher = acm_new();
		for (size_t f = 0; f < nf; f++)
			acm_add(w->matcher, w->form[f], w->len[f]);
		acm_build(w->matcher);
	}
	/* The texts every pack redacts or checks: the timeline's (see
	 * redact.c) and the titles and sources of its exhibits
	 * (select_records). */
	for (size_t i = 0; i < m->ntimeline; i++) {
		const struct timeline_event *ev = &m->timeline[i];
		withheld_learn_text(w, ev->title);
		withheld_learn_text(w, ev->detail);
		withheld_learn_text(w, ev->source);
		for (size_t x = 0; x < ev->nexhibits; x++) {
			withheld_learn_text(w, m->exhibits[ev->exhibits[x]].title);
			withheld_learn_text(w,
			    m->exhibits[ev->exhibits[x]].source);
		}
	}
	return w;
}

void
compose_withheld_free(struct compose_withheld *w)
{
	if (w == NULL)
		return;
	for (size_t f = 0; f < w->nforms; f++)
		free(w->form[f]);
	free(w->form);
	free(w->len);
	free(w->first);
	free(w->ct_form);
	free(w->ct_complaint);
	free(w->ct_contract);
	free(w->cstart);
	free(w->fstart);
	free(w->fct);
	free(w->by_customer);
	free(w->customer);
	free(w->contract);
	free(w->unfit);
	for (size_t i = 0; i < w->knowncap; i++)
		free(w->known[i].forms);
	free(w->known);
	acm_free(w->matcher);
	free(w);
}

/* A form of the pack's own complaints, placed by its first collection
 * the pack keeps. */
struct moved {
	size_t form, first;
};

/* 1 if form a (first kept at collection fa) goes before form b. */
static int
goes_before(const struct compose_withheld *w, size_t a, size_t fa, size_t b,
    size_t fb)
{
	return w->len[a] != w->len[b] ? w->len[a] > w->len[b] : fa < fb;
}

static int
moved_cmp(const void *pa, const void *pb, void *arg)
{
	const struct moved *a = pa, *b = pb;
	if (a->form == b->form)
		return 0;
	return goes_before(arg, a->form, a->first, b->form, b->first) ? -1 : 1;
}

/* The pack's customer's complaints: by_customer[*lo, *hi). */
static void
own_complaints(const struct compose_withheld *w, const char *who, size_t *lo,
    size_t *hi)
{
	const struct complaint *cp = w->m->complaints;
	size_t a = 0, b = w->m->ncomplaints;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (strcmp(cp[w->by_customer[mid]].customer_id, who) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < w->m->ncomplaints &&
	    strcmp(cp[w->by_customer[a]].customer_id, who) == 0)
		a++;
	*hi = a;
}

/* Values of c->skip while selecting. */
enum { KEPT = 0, SKIPPED = 1, OWN = 2 };

void
ctx_collect_withheld(struct compose_ctx *c)
{
	const char *who = c->in->customer;
	if (who == NULL)
		return;
	if (c->in->withheld && c->in->withheld->m == c->m)
		c->wh = c->in->withheld;
	else	/* a pack made alone derives the case's forms itself */
		c->wh = c->own_wh = compose_withheld_new(c->m);
	const struct compose_withheld *w = c->wh;
	size_t lo, hi, nown = 0;
	own_complaints(w, who, &lo, &hi);
	c->skip = xcalloc(w->nforms + 1, 1);

	/* The forms of this customer's complaints. */
	struct moved *own = NULL;
	for (size_t r = lo; r < hi; r++) {
		size_t i = w->by_customer[r];
		for (size_t p = w->cstart[i]; p < w->cstart[i + 1]; p++) {
			size_t f = (size_t)w->ct_form[p];
			if (c->skip[f] == OWN)
				continue;
			c->skip[f] = OWN;
			own = xreallocarray(own, nown + 1, sizeof(*own));
			own[nown++] = (struct moved){ f, 0 };
		}
	}
	/* Each kept if another customer gives it: not as a contract this
	 * customer also has. */
	size_t nkept = 0;
	for (size_t e = 0; e < nown; e++) {
		size_t f = own[e].form, kept = SIZE_MAX;
		for (size_t q = w->fstart[f]; q < w->fstart[f + 1] &&
		    kept == SIZE_MAX; q++) {
			size_t p = w->fct[q], i = w->ct_complaint[p];
			int shared = 0;
			if (hi > lo &&
			    w->customer[i] == w->customer[w->by_customer[lo]])
				continue;
			for (size_t r = lo; r < hi && w->ct_contract[p] &&
			    !shared; r++)
				shared = w->contract[w->by_customer[r]] ==
				    w->contract[i];
			if (!shared)
				kept = p;
		}
		if (kept == SIZE_MAX)
			c->skip[f] = SKIPPED;
		else
			own[nkept++] = (struct moved){ f, kept };
	}
	if (nkept)	/* own is NULL when the customer gave no form */
		qsort_r(own, nkept, sizeof(*own), moved_cmp, (void *)w);

	/* The case's order, with those merged in. */
	c->withheld = xcalloc(w->nforms + 1, sizeof(int));
	size_t a = 0, b = 0;
	for (;;) {
		while (a < w->nforms && c->skip[a] != KEPT)
			a++;
		if (a < w->nforms && (b == nkept ||
		    goes_before(w, a, w->first[a], own[b].form, own[b].first)))
			c->withheld[c->nwithheld++] = (int)a++;
		else if (b < nkept)
			c->withheld[c->nwithheld++] = (int)own[b++].form;
		else
			break;
	}
	for (size_t e = 0; e < nkept; e++)
		c->skip[own[e].form] = KEPT;
	free(own);

	/* The automaton stands for the slow way unless a form this pack
	 * withholds does not fit it (see form_fits_matcher). */
	c->matcher = c->nwithheld ? w->matcher : NULL;
	for (size_t u = 0; u < w->nunfit; u++)
		if (c->skip[w->unfit[u]] == KEPT)
			c->matcher = NULL;
}

void
ctx_withheld_free(struct compose_ctx *c)
{
	free(c->withheld);
	c->withheld = NULL;
	c->nwithheld = 0;
	free(c->skip);
	c->skip = NULL;
	c->matcher = NULL;
	compose_withheld_free(c->own_wh);
	c->own_wh = NULL;
	c->wh = NULL;
}
