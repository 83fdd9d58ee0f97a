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

long
ctx_file_lines(struct compose_ctx *c, int file, long first, long last,
    char ***lines, long **numbers)
{
	const struct source_file *sf = &c->m->files[file];
	char *full = path_join(c->m->root, sf->path);
	char hex[SHA256_HEX_LEN + 1];

	*lines = NULL;
	*numbers = NULL;
	/* Quote only what the manifest vouches for; hash each file once. */
	if (c->file_checked[file] == 0) {
		c->file_checked[file] = sha256_file(full, hex, NULL, NULL) == 0 &&
		    strcmp(hex, sf->sha256) == 0 ? 1 : -1;
		if (c->file_checked[file] < 0)
			diag_error(c->dl, sf->path, 0, NULL, "the file changed "
			    "or disappeared since the case was read (SHA-256 "
			    "differs); import the case again");
	}
	if (c->file_checked[file] < 0) {
		free(full);
		return -1;
	}
	FILE *f = fopen(full, "r");
	free(full);
	if (f == NULL)
		return -1;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	long no = 0;
	while ((len = getline(&line, &cap, f)) >= 0 && no < last) {
		if (++no < first)
			continue;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		*lines = xreallocarray(*lines, n + 1, sizeof(char *));
		*numbers = xreallocarray(*numbers, n + 1, sizeof(long));
		(*lines)[n] = xstrdup(line);
		(*numbers)[n++] = no;
	}
	free(line);
	fclose(f);
	return (long)n;
}

/* An ASCII-lower-case copy: UTF-8 bytes above 0x7F are left alone, so
 * offsets in the copy are offsets in the original. */
static char *
ascii_lower(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return t;
}

int
ctx_withholds(const struct compose_ctx *c, const char *text)
{
	if (text == NULL || c->nwithheld == 0)
		return 0;
	char *low = ascii_lower(text);
	int found = 0;
	for (size_t i = 0; i < c->nwithheld && !found; i++)
		found = strstr(low, c->withheld[i]) != NULL;
	free(low);
	return found;
}

const char *
ctx_redact(struct compose_ctx *c, const char *text)
{
	if (text == NULL || !ctx_withholds(c, text))
		return text;
	char *s = xstrdup(text);
	for (size_t i = 0; i < c->nwithheld; i++) {
		char *low = ascii_lower(s), *hit;
		while ((hit = strstr(low, c->withheld[i])) != NULL) {
			size_t at = (size_t)(hit - low);
			char *t = xasprintf("%.*s[…]%s", (int)at, s,
			    s + at + strlen(c->withheld[i]));
			free(s);
			free(low);
			s = t;
			low = ascii_lower(s);
		}
		free(low);
	}
	c->owned = xreallocarray(c->owned, c->nowned + 1, sizeof(char *));
	c->owned[c->nowned++] = s;
	return s;
}

static void
withhold(struct compose_ctx *c, const char *s)
{
	if (s == NULL || strlen(s) < 3)
		return;	/* too short to be personal, and would match anywhere */
	for (size_t i = 0; i < c->nwithheld; i++)
		if (strcasecmp(c->withheld[i], s) == 0)
			return;
	c->withheld = xreallocarray(c->withheld, c->nwithheld + 1,
	    sizeof(char *));
	c->withheld[c->nwithheld++] = ascii_lower(s);
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
		withhold(c, o->customer_name);
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

/* 1 if the text exhibit's content names another customer. */
static int
exhibit_names_others(struct compose_ctx *c, const struct exhibit *e)
{
	char **lines;
	long *numbers;
	int found = 0;
	/* A PDF's text cannot be read back reliably here (font encodings):
	 * it may name other customers, so it goes into a pack only when the
	 * customer cited it. */
	if (e->type == EXHIBIT_PDF)
		return 1;
	if (e->type != EXHIBIT_TEXT)
		return 0;
	long n = ctx_file_lines(c, e->file, 1, LONG_MAX, &lines, &numbers);
	for (long i = 0; i < n; i++) {
		if (!found && ctx_withholds(c, lines[i]))
			found = 1;
		free(lines[i]);
	}
	free(lines);
	free(numbers);
	return n < 0 || found;
}

/* A sort key that orders "Émile" with "Emile": accents and case folded. */
static char *
fold_key(const char *s)
{
	static const struct { const char *from; char to; } map[] = {
		{ "à", 'a' }, { "â", 'a' }, { "ä", 'a' }, { "á", 'a' },
		{ "À", 'a' }, { "Â", 'a' }, { "Ä", 'a' }, { "Á", 'a' },
		{ "ç", 'c' }, { "Ç", 'c' }, { "é", 'e' }, { "è", 'e' },
		{ "ê", 'e' }, { "ë", 'e' }, { "É", 'e' }, { "È", 'e' },
		{ "Ê", 'e' }, { "Ë", 'e' }, { "î", 'i' }, { "ï", 'i' },
		{ "í", 'i' }, { "Î", 'i' }, { "Ï", 'i' }, { "ô", 'o' },
		{ "ö", 'o' }, { "ó", 'o' }, { "Ô", 'o' }, { "Ö", 'o' },
		{ "ù", 'u' }, { "û", 'u' }, { "ü", 'u' }, { "ú", 'u' },
		{ "Ù", 'u' }, { "Û", 'u' }, { "Ü", 'u' }, { "ñ", 'n' },
		{ "Ñ", 'n' }, { "ÿ", 'y' }, { "œ", 'o' }, { "Œ", 'o' },
		{ "æ", 'a' }, { "Æ", 'a' },
	};
	struct buf b;
	buf_init(&b);
	while (*s) {
		size_t i;
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			size_t n = strlen(map[i].from);
			if (strncmp(s, map[i].from, n) == 0) {
				buf_addc(&b, map[i].to);
				s += n;
				break;
			}
		}
		if (i < sizeof(map) / sizeof(map[0]))
			continue;
		char ch = *s++;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		buf_addc(&b, ch);
	}
	return buf_take(&b);
}

int
compose_collate(const char *a, const char *b)
{
	char *ka = fold_key(a), *kb = fold_key(b);
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

/* Group the selected complaints by customer, customers in name order. */
static void
group_customers(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	for (size_t i = 0; i < m->ncomplaints; i++) {
		if (!c->complaint_in[i])
			continue;
		const struct complaint *cp = &m->complaints[i];
		struct customer_group *g = NULL;
		for (size_t k = 0; k < c->ngroups; k++)
			if (strcmp(c->groups[k].id, cp->customer_id) == 0)
				g = &c->groups[k];
		if (g == NULL) {
			c->groups = xreallocarray(c->groups, c->ngroups + 1,
			    sizeof(*c->groups));
			g = &c->groups[c->ngroups++];
			memset(g, 0, sizeof(*g));
			g->id = cp->customer_id;
			g->name = cp->customer_name;
			g->email = cp->email;
		}
		g->complaints = xreallocarray(g->complaints, g->n + 1,
		    sizeof(size_t));
		g->complaints[g->n++] = i;
	}
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
	char hex[SHA256_HEX_LEN + 1];

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
	compose_manifest_hash(m, hex);
	char *title = in->customer ? NULL : xstrdup(m->info.title);
	if (in->customer)
		title = xasprintf("%s — %s", m->info.reference, in->customer);
	opt.title = title;
	opt.author = m->info.claimant;
	opt.subject = m->info.reference;
	/* verify reads the manifest's digest back from here. */
	char *keywords = xasprintf("dossier-manifest-sha256:%s", hex);
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

	c.file_checked = xcalloc(m->nfiles + 1, 1);
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
	free(c.file_checked);
	free(c.complaint_in);
	free(c.exhibit_in);
	free(c.service_in);
	free(title);
	free(header);
	free(keywords);
	return c.d;
}
