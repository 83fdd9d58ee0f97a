/*
 * redact.c - what a customer's pack withholds: every other customer's
 * names, e-mail addresses, ids and contract references, found in any
 * text of the pack and replaced by "[…]".
 *
 * A pack withholds about 2,000 strings. Trying each of them at each
 * character of every text took nearly half of a pack's time, so the
 * strings are first looked for all at once with an Aho-Corasick
 * automaton (util/acmatch.c), built once per pack, over the text as the
 * rules below see it (case folded, white space runs made one space).
 * The replacing itself still goes string by string, longest first, as
 * it always did, but only for the few strings the automaton found.
 */
#include "compose/compose_int.h"
#include "util/acmatch.h"
#include "util/hash.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

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

/*
 * The automaton. A withheld form is plain bytes but for its spaces,
 * each of which stands for a run of any white space; so the automaton
 * reads the text folded as above with each run of white space made one
 * ' ' (matcher_form), and then finds a form exactly where match_at
 * would. That holds when text and forms are valid UTF-8 (a form then
 * starts on a character, its characters are never white space, and the
 * runs the matcher collapses are the runs match_at skips). Anything
 * else takes the old way: every form tried at every character.
 */

/* The text as the automaton reads it (see above); its length in *len.
 * Caller frees. */
static char *
matcher_form(const char *text, size_t *len)
{
	char *low = fold_case(text);
	char *out = low;	/* never longer: written over in place */
	const char *p = low;
	while (*p) {
		size_t n = space_len(p);
		if (n == 0) {
			*out++ = *p++;
			continue;
		}
		while ((n = space_len(p)) > 0)
			p += n;
		*out++ = ' ';
	}
	*out = '\0';
	*len = (size_t)(out - low);
	return low;
}

/* 1 if this text can go through the automaton. */
static int
use_matcher(const struct compose_ctx *c, const char *text)
{
	return c->matcher != NULL && utf8_valid(text, strlen(text), NULL);
}

static int
stop_at_first(int id, size_t end, void *arg)
{
	return 1;
}

static int
mark_found(int id, size_t end, void *arg)
{
	((unsigned char *)arg)[id] = 1;
	return 0;
}

/* Which forms occur in text: a malloc'd array of c->nwithheld flags,
 * or NULL if none does. Only with use_matcher. */
static unsigned char *
forms_found(const struct compose_ctx *c, const char *text)
{
	size_t len;
	char *form = matcher_form(text, &len);
	unsigned char *found = NULL;
	if (acm_scan(c->matcher, form, len, stop_at_first, NULL)) {
		found = xcalloc(c->nwithheld, 1);
		acm_scan(c->matcher, form, len, mark_found, found);
	}
	free(form);
	return found;
}

int
ctx_withholds(const struct compose_ctx *c, const char *text)
{
	if (text == NULL || c->nwithheld == 0)
		return 0;
	if (use_matcher(c, text)) {
		size_t len;
		char *form = matcher_form(text, &len);
		int found = acm_scan(c->matcher, form, len, stop_at_first,
		    NULL);
		free(form);
		return found;
	}
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
	unsigned char *found = NULL;
	if (text == NULL)
		return NULL;
	/* With the automaton, only the forms it found in the text are
	 * replaced below. Replacing one puts "[…]" in the text, which no
	 * form holds (ctx_collect_withheld sees to it), so it cannot make
	 * another form appear: those the automaton did not find would
	 * have replaced nothing. */
	if (use_matcher(c, text)) {
		if ((found = forms_found(c, text)) == NULL)
			return NULL;
	} else if (!ctx_withholds(c, text))
		return NULL;
	char *s = xstrdup(text);
	for (size_t i = 0; i < c->nwithheld; i++) {
		size_t from = 0, len;
		if (found && !found[i])
			continue;
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
	free(found);
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

char *
ctx_join_lines(char **lines, long n)
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
	char *all = ctx_join_lines(lines, n);
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

/*
 * The forms collected so far, by hash, so that each new one is checked
 * against them at once rather than against every one in turn (a pack
 * collects some ten thousand for two thousand distinct). Open
 * addressing: slots hold an index into c->withheld plus one, 0 empty.
 */
struct form_set {
	size_t *slot;
	size_t cap;		/* a power of two, kept over twice the count */
};

/* The slot where form w is, or where it would go. */
static size_t *
form_slot(const struct compose_ctx *c, struct form_set *set, const char *w)
{
	size_t i = hash_string(w) & (set->cap - 1);
	while (set->slot[i] && strcmp(c->withheld[set->slot[i] - 1], w) != 0)
		i = (i + 1) & (set->cap - 1);
	return &set->slot[i];
}

static void
withhold(struct compose_ctx *c, struct form_set *set, const char *s)
{
	if (s == NULL || strlen(s) < 3)
		return;	/* too short to be personal, and would match anywhere */
	char *w = withheld_form(s);
	if (2 * (c->nwithheld + 1) > set->cap) {
		/* Grow, and put every form back in its new slot. */
		free(set->slot);
		set->cap = set->cap ? 2 * set->cap : 1024;
		set->slot = xcalloc(set->cap, sizeof(size_t));
		for (size_t i = 0; i < c->nwithheld; i++)
			*form_slot(c, set, c->withheld[i]) = i + 1;
	}
	if (strlen(w) < 3 || *form_slot(c, set, w) != 0) {
		free(w);
		return;
	}
	c->withheld = xreallocarray(c->withheld, c->nwithheld + 1,
	    sizeof(char *));
	c->withheld[c->nwithheld++] = w;
	*form_slot(c, set, w) = c->nwithheld;
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
withhold_name(struct compose_ctx *c, struct form_set *set, const char *name)
{
	if (name == NULL || *name == '\0')
		return;
	withhold(c, set, name);
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
		withhold(c, set, firm);
		if (person)
			withhold(c, set, person);
	} else {
		firm = xstrdup(name);
		person = xstrdup(name);
	}
	for (size_t i = 0; i < NELEM(legal_prefixes); i++)
		if (strncmp(firm, legal_prefixes[i],
		    strlen(legal_prefixes[i])) == 0 &&
		    strchr(firm + strlen(legal_prefixes[i]), ' '))
			withhold(c, set, firm + strlen(legal_prefixes[i]));
	for (size_t i = 0; i < NELEM(legal_suffixes); i++) {
		size_t n = strlen(firm), k = strlen(legal_suffixes[i]);
		if (n > k && strcmp(firm + n - k, legal_suffixes[i]) == 0) {
			char *bare = xstrndup(firm, n - k);
			if (strchr(bare, ' '))
				withhold(c, set, bare);
			free(bare);
		}
	}
	const char *surname = person ? strrchr(person, ' ') : NULL;
	if (surname && strlen(surname + 1) >= 3)
		for (size_t i = 0; i < NELEM(name_titles); i++) {
			char *t = xasprintf("%s %s", name_titles[i],
			    surname + 1);
			withhold(c, set, t);
			free(t);
		}
	free(firm);
	free(person);
}

/* Longest first; of two as long, the one collected first (the order a
 * stable sort would give). */
struct by_length {
	size_t len, seq;
	char *form;
};

static int
by_length_cmp(const void *pa, const void *pb)
{
	const struct by_length *a = pa, *b = pb;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* 1 if the automaton may stand for match_at with these forms: all
 * valid UTF-8, and none holding what redact puts in a text ('[', ']',
 * '…'), see redact(). */
static int
forms_fit_matcher(const struct compose_ctx *c)
{
	for (size_t i = 0; i < c->nwithheld; i++) {
		const char *w = c->withheld[i];
		if (!utf8_valid(w, strlen(w), NULL) || strpbrk(w, "[]") ||
		    strstr(w, "…"))
			return 0;
	}
	return 1;
}

/*
 * The personal data of every customer but the pack's: names, e-mail
 * addresses, and contract references this customer does not share.
 * Then the automaton that finds them.
 */
void
ctx_collect_withheld(struct compose_ctx *c)
{
	const struct case_model *m = c->m;
	const char *who = c->in->customer;
	struct form_set set = { NULL, 0 };
	if (who == NULL)
		return;
	/* This customer's own contracts, looked up for every other
	 * complaint below. */
	const char **mine = xcalloc(m->ncomplaints + 1, sizeof(char *));
	size_t nmine = 0;
	for (size_t k = 0; k < m->ncomplaints; k++)
		if (strcmp(m->complaints[k].customer_id, who) == 0)
			mine[nmine++] = m->complaints[k].contract;
	for (size_t i = 0; i < m->ncomplaints; i++) {
		const struct complaint *o = &m->complaints[i];
		if (strcmp(o->customer_id, who) == 0)
			continue;
		withhold_name(c, &set, o->customer_name);
		withhold(c, &set, o->email);
		withhold(c, &set, o->customer_id);
		int shared = 0;
		for (size_t k = 0; k < nmine && o->contract && !shared; k++)
			shared = mine[k] && strcmp(mine[k], o->contract) == 0;
		if (!shared && o->contract && strlen(o->contract) >= 6)
			withhold(c, &set, o->contract);
	}
	free(mine);
	free(set.slot);
	/* Longest first, so "Jean-Marc Rivière" goes before "Rivière". */
	struct by_length *v = xcalloc(c->nwithheld + 1, sizeof(*v));
	for (size_t i = 0; i < c->nwithheld; i++)
		v[i] = (struct by_length){ strlen(c->withheld[i]), i,
			c->withheld[i] };
	qsort(v, c->nwithheld, sizeof(*v), by_length_cmp);
	for (size_t i = 0; i < c->nwithheld; i++)
		c->withheld[i] = v[i].form;
	free(v);
	/* A form's id in the automaton is its place in c->withheld. */
	if (c->nwithheld && forms_fit_matcher(c)) {
		c->matcher = acm_new();
		for (size_t i = 0; i < c->nwithheld; i++)
			acm_add(c->matcher, c->withheld[i],
			    strlen(c->withheld[i]));
		acm_build(c->matcher);
	}
}

void
ctx_withheld_free(struct compose_ctx *c)
{
	for (size_t i = 0; i < c->nwithheld; i++)
		free(c->withheld[i]);
	free(c->withheld);
	c->withheld = NULL;
	c->nwithheld = 0;
	acm_free(c->matcher);
	c->matcher = NULL;
}
