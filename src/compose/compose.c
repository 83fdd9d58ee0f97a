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

/*
 * Withheld strings are matched as a reader would see them: case folded
 * (ASCII and the Latin-1 capitals, "ÉMILIE" as "émilie"), and any run
 * of white space (line breaks inside a statement or an exhibit, doubled
 * spaces, no-break spaces) matching any other, so that "Priya\nRaman"
 * and "Gus  Papadakis" are found as well as "Priya Raman".
 */

/* A case-folded copy: ASCII A-Z, the Latin-1 capitals U+00C0-U+00DE
 * (but U+00D7) and U+0152 lowered. Byte for byte the same length, so
 * offsets in the copy are offsets in the original. */
static char *
fold_case(const char *s)
{
	char *t = xstrdup(s);
	for (unsigned char *p = (unsigned char *)t; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (unsigned char)(*p - 'A' + 'a');
		else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E &&
		    p[1] != 0x97)
			*++p += 0x20;
		else if (p[0] == 0xC5 && p[1] == 0x92)
			*++p = 0x93;
	}
	return t;
}

/* Length of the white-space character at s (ASCII white space, U+00A0,
 * U+2000-U+200A, U+202F), 0 if none. */
static size_t
space_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (*u == ' ' || (*u >= '\t' && *u <= '\r'))
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8A) ||
	    u[2] == 0xAF))
		return 3;
	return 0;
}

/* The form a withheld string is kept in: folded, white space runs made
 * one space, trimmed. */
static char *
withheld_form(const char *s)
{
	char *f = fold_case(s);
	struct buf b;
	int space = 0;
	buf_init(&b);
	for (const char *p = f; *p;) {
		size_t n = space_len(p);
		if (n) {
			space = 1;
			p += n;
			continue;
		}
		if (space && b.len)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *p++);
	}
	free(f);
	return buf_take(&b);
}

/* Length of the text at t that pat (a withheld form) matches, or 0. */
static size_t
match_at(const char *t, const char *pat)
{
	const char *s = t;
	while (*pat) {
		if (*pat == ' ') {
			size_t n = space_len(s);
			if (n == 0)
				return 0;
			while ((n = space_len(s)) > 0)
				s += n;
			pat++;
		} else if (*s == *pat) {
			s++;
			pat++;
		} else
			return 0;
	}
	return (size_t)(s - t);
}

/* The first place in folded text where pat matches, its length in *len. */
static const char *
find_withheld(const char *folded, const char *pat, size_t *len)
{
	for (const char *p = folded; *p; p++)
		if (*p == *pat && (*len = match_at(p, pat)) > 0)
			return p;
	return NULL;
}

int
ctx_withholds(const struct compose_ctx *c, const char *text)
{
	if (text == NULL || c->nwithheld == 0)
		return 0;
	char *low = fold_case(text);
	int found = 0;
	size_t len;
	for (size_t i = 0; i < c->nwithheld && !found; i++)
		found = find_withheld(low, c->withheld[i], &len) != NULL;
	free(low);
	return found;
}

/* Text with every withheld string replaced by "[…]"; a match across
 * line breaks leaves one "[…]" per line, so lines keep their numbers.
 * NULL when nothing is withheld. Caller frees. */
static char *
redact(const struct compose_ctx *c, const char *text)
{
	if (text == NULL || !ctx_withholds(c, text))
		return NULL;
	char *s = xstrdup(text);
	for (size_t i = 0; i < c->nwithheld; i++) {
		size_t from = 0, len;
		for (;;) {
			char *low = fold_case(s);
			const char *hit = find_withheld(low + from,
			    c->withheld[i], &len);
			size_t at = hit ? (size_t)(hit - low) : 0;
			free(low);
			if (hit == NULL)
				break;
			struct buf b;
			buf_init(&b);
			buf_printf(&b, "%.*s[…]", (int)at, s);
			for (size_t k = at; k < at + len; k++)
				if (s[k] == '\n')
					buf_adds(&b, "\n[…]");
			from = b.len;
			buf_adds(&b, s + at + len);
			free(s);
			s = buf_take(&b);
		}
	}
	return s;
}

const char *
ctx_redact(struct compose_ctx *c, const char *text)
{
	char *s = redact(c, text);
	if (s == NULL)
		return text;
	c->owned = xreallocarray(c->owned, c->nowned + 1, sizeof(char *));
	c->owned[c->nowned++] = s;
	return s;
}

/* Lines joined with "\n", or NULL when there are none. Caller frees. */
static char *
join_lines(char **lines, long n)
{
	struct buf b;
	if (n <= 0)
		return NULL;
	buf_init(&b);
	for (long i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, '\n');
		buf_adds(&b, lines[i]);
	}
	return buf_take(&b);
}

void
ctx_redact_lines(struct compose_ctx *c, char **lines, long n)
{
	char *all = join_lines(lines, n);
	char *r = redact(c, all);
	if (r != NULL) {
		char *p = r;
		for (long i = 0; i < n; i++) {
			char *nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			free(lines[i]);
			lines[i] = xstrdup(p);
			p = nl ? nl + 1 : p + strlen(p);
		}
	}
	free(r);
	free(all);
}

static void
withhold(struct compose_ctx *c, const char *s)
{
	if (s == NULL || strlen(s) < 3)
		return;	/* too short to be personal, and would match anywhere */
	char *w = withheld_form(s);
	int skip = strlen(w) < 3;
	for (size_t i = 0; i < c->nwithheld && !skip; i++)
		skip = strcmp(c->withheld[i], w) == 0;
	if (skip) {
		free(w);
		return;
	}
	c->withheld = xreallocarray(c->withheld, c->nwithheld + 1,
	    sizeof(char *));
	c->withheld[c->nwithheld++] = w;
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
withhold_name(struct compose_ctx *c, const char *name)
{
	if (name == NULL || *name == '\0')
		return;
	withhold(c, name);
	size_t len = strlen(name);
	const char *open = strstr(name, " (");
	char *firm, *person;
	if (open && name[len - 1] == ')') {
		firm = xstrndup(name, (size_t)(open - name));
		char *aside = xstrndup(open + 2,
		    (size_t)(name + len - 1 - open - 2));
		const char *p = aside;
		for (size_t i = 0; i < NELEM(name_titles); i++) {
			size_t n = strlen(name_titles[i]);
			if (strncmp(p, name_titles[i], n) == 0 && p[n] == ' ') {
				p += n + 1;
				break;
			}
		}
		person = strchr(p, ' ') ? xstrdup(p) : NULL;
		free(aside);
		withhold(c, firm);
		if (person)
			withhold(c, person);
	} else {
		firm = xstrdup(name);
		person = xstrdup(name);
	}
	for (size_t i = 0; i < NELEM(legal_prefixes); i++)
		if (strncmp(firm, legal_prefixes[i],
		    strlen(legal_prefixes[i])) == 0 &&
		    strchr(firm + strlen(legal_prefixes[i]), ' '))
			withhold(c, firm + strlen(legal_prefixes[i]));
	for (size_t i = 0; i < NELEM(legal_suffixes); i++) {
		size_t n = strlen(firm), k = strlen(legal_suffixes[i]);
		if (n > k && strcmp(firm + n - k, legal_suffixes[i]) == 0) {
			char *bare = xstrndup(firm, n - k);
			if (strchr(bare, ' '))
				withhold(c, bare);
			free(bare);
		}
	}
	const char *surname = person ? strrchr(person, ' ') : NULL;
	if (surname && strlen(surname + 1) >= 3)
		for (size_t i = 0; i < NELEM(name_titles); i++) {
			char *t = xasprintf("%s %s", name_titles[i],
			    surname + 1);
			withhold(c, t);
			free(t);
		}
	free(firm);
	free(person);
}

/*
 * The personal data of every customer but the pack's: names, e-mail
 * addresses, and contract references this customer does not share.
 */
static void
collect_withheld(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const char *who = c->in->customer;
	for (size_t i = 0; who && i < m->ncomplaints; i++) {
		const struct complaint *o = &m->complaints[i];
		if (strcmp(o->customer_id, who) == 0)
			continue;
		withhold_name(c, o->customer_name);
		withhold(c, o->email);
		withhold(c, o->customer_id);
		int shared = 0;
		for (size_t k = 0; k < m->ncomplaints; k++)
			if (strcmp(m->complaints[k].customer_id, who) == 0 &&
			    strcmp(m->complaints[k].contract, o->contract) == 0)
				shared = 1;
		if (!shared && o->contract && strlen(o->contract) >= 6)
			withhold(c, o->contract);
	}
	/* Longest first, so "Jean-Marc Rivière" goes before "Rivière". */
	for (size_t i = 1; i < c->nwithheld; i++)
		for (size_t j = i; j > 0 && strlen(c->withheld[j - 1]) <
		    strlen(c->withheld[j]); j--) {
			char *t = c->withheld[j];
			c->withheld[j] = c->withheld[j - 1];
			c->withheld[j - 1] = t;
		}
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
	char *all = join_lines(lines, n);
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
 * one customer. */
static int
by_customer(const void *pa, const void *pb, void *arg)
{
	const struct case_model *m = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int r = strcmp(m->complaints[a].customer_id,
	    m->complaints[b].customer_id);
	return r ? r : (a > b) - (a < b);
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
	qsort_r(order, n, sizeof(size_t), by_customer, (void *)m);
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
	for (size_t k = 0; k < c->ngroups; k++)
		for (size_t j = 0; c->av && j < c->av->ncustomers; j++)
			if (strcmp(c->av->customers[j].id, c->groups[k].id) == 0)
				c->groups[k].avail = &c->av->customers[j];
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
	collect_withheld(c);
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
	compose_manifest_hash(m, c.manifest_sha256);
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

	ctx_sources_init(&c);
	select_records(&c);
	group_customers(&c);

	section_cover(&c);
	section_contents(&c);
	section_exhibit_list(&c);
	section_chronology(&c);
	section_availability(&c);
	section_complaints(&c);
	section_exhibits(&c);
	section_index(&c);	/* lists every entry recorded above */
	section_manifest(&c);

	for (size_t k = 0; k < c.ngroups; k++)
		free(c.groups[k].complaints);
	free(c.groups);
	for (size_t i = 0; i < c.nwithheld; i++)
		free(c.withheld[i]);
	free(c.withheld);
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
