/*
 * redact.c - what a customer's pack withholds (withheld.c: every other
 * customer's names, e-mail addresses, ids and contract references),
 * found in any text of the pack and replaced by "[…]".
 *
 * A pack withholds thousands of strings. Trying each of them at each
 * character of every text took nearly half of a pack's time, so the
 * strings are first looked for all at once with an Aho-Corasick
 * automaton (util/acmatch.c) over the text as the rules below see it
 * (case folded, white space runs made one space). The automaton is
 * built once per case over every form of the case (withheld.c); the
 * matches of forms this pack does not withhold (c->skip) are ignored.
 * The replacing itself still goes string by string, longest first, as
 * it always did, but only for the few strings the automaton found.
 */
#include "compose/compose_int.h"
#include "util/acmatch.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
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
char *
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

/*
 * Every pack shows every timeline event: their texts (some 200 kB on a
 * case of a thousand complaints) were folded and scanned again in each.
 * What the automaton finds in them depends on the case only, so it is
 * found once, with the case's forms (compose_withheld_new), and kept by
 * the text's address; a pack then looks up the finds and checks which
 * of them it withholds. The finds are those a scan would make, with the
 * same automaton, of the same text: the same answers.
 */
static size_t
known_hash(const char *text)
{
	return (size_t)(((uint64_t)(uintptr_t)text *
	    UINT64_C(0x9E3779B97F4A7C15)) >> 32);
}

static const struct known_text *
known_text(const struct compose_withheld *w, const char *text)
{
	if (w == NULL || w->knowncap == 0)
		return NULL;
	for (size_t i = known_hash(text) & (w->knowncap - 1); w->known[i].text;
	    i = (i + 1) & (w->knowncap - 1))
		if (w->known[i].text == text)
			return &w->known[i];
	return NULL;
}

struct id_list {
	int *id;
	size_t n, cap;
};

static int
add_found(int id, size_t end, void *arg)
{
	struct id_list *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->id = xreallocarray(l->id, l->cap, sizeof(int));
	}
	l->id[l->n++] = id;
	return 0;
}

static int
int_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	return (a > b) - (a < b);
}

void
withheld_learn_text(struct compose_withheld *w, const char *text)
{
	struct id_list l = { NULL, 0, 0 };
	size_t len, n = 0;
	if (text == NULL || w->matcher == NULL || known_text(w, text) ||
	    !utf8_valid(text, strlen(text), NULL))
		return;
	if (2 * (w->nknown + 1) > w->knowncap) {
		/* Grow, and put every text back in its new slot. */
		struct known_text *old = w->known;
		size_t oldcap = w->knowncap;
		w->knowncap = oldcap ? 2 * oldcap : 256;
		w->known = xcalloc(w->knowncap, sizeof(*w->known));
		for (size_t i = 0; i < oldcap; i++) {
			if (old[i].text == NULL)
				continue;
			size_t k = known_hash(old[i].text) & (w->knowncap - 1);
			while (w->known[k].text)
				k = (k + 1) & (w->knowncap - 1);
			w->known[k] = old[i];
		}
		free(old);
	}
	char *form = matcher_form(text, &len);
	acm_scan(w->matcher, form, len, add_found, &l);
	free(form);
	if (l.n)	/* l.id is NULL when nothing was found */
		qsort(l.id, l.n, sizeof(int), int_cmp);
	for (size_t i = 0; i < l.n; i++)
		if (n == 0 || l.id[n - 1] != l.id[i])
			l.id[n++] = l.id[i];
	size_t k = known_hash(text) & (w->knowncap - 1);
	while (w->known[k].text)
		k = (k + 1) & (w->knowncap - 1);
	w->known[k] = (struct known_text){ text, l.id, n };
	w->nknown++;
}

/* 1 if this text can go through the automaton (a known text is valid
 * UTF-8). */
static int
use_matcher(const struct compose_ctx *c, const char *text)
{
	return c->matcher != NULL && (known_text(c->wh, text) != NULL ||
	    utf8_valid(text, strlen(text), NULL));
}

/* 1 if the known text holds a form this pack withholds. */
static int
known_withholds(const struct compose_ctx *c, const struct known_text *k)
{
	for (size_t i = 0; i < k->n; i++)
		if (!c->skip[k->forms[i]])
			return 1;
	return 0;
}

/* A form this pack withholds: the automaton knows the whole case's. */
static int
stop_at_first(int id, size_t end, void *arg)
{
	const unsigned char *skip = arg;
	return !skip[id];
}

static int
mark_found(int id, size_t end, void *arg)
{
	((unsigned char *)arg)[id] = 1;
	return 0;
}

/* Which forms occur in text: a malloc'd array of flags by form number
 * (c->wh->nforms), or NULL if none this pack withholds does. Only with
 * use_matcher. */
static unsigned char *
forms_found(const struct compose_ctx *c, const char *text)
{
	const struct known_text *k = known_text(c->wh, text);
	unsigned char *found = NULL;
	if (k) {
		if (known_withholds(c, k)) {
			found = xcalloc(c->wh->nforms, 1);
			for (size_t i = 0; i < k->n; i++)
				found[k->forms[i]] = 1;
		}
		return found;
	}
	size_t len;
	char *form = matcher_form(text, &len);
	if (acm_scan(c->matcher, form, len, stop_at_first, c->skip)) {
		found = xcalloc(c->wh->nforms, 1);
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
		const struct known_text *k = known_text(c->wh, text);
		if (k)
			return known_withholds(c, k);
		size_t len;
		char *form = matcher_form(text, &len);
		int found = acm_scan(c->matcher, form, len, stop_at_first,
		    c->skip);
		free(form);
		return found;
	}
	char *low = fold_case(text);
	int found = 0;
	size_t len;
	for (size_t i = 0; i < c->nwithheld && !found; i++)
		found = find_withheld(low, ctx_withheld(c, i), &len) != NULL;
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
	 * form holds (or the automaton is not used: ctx_collect_withheld
	 * sees to it), so it cannot make another form appear: those the
	 * automaton did not find would have replaced nothing. */
	if (use_matcher(c, text)) {
		if ((found = forms_found(c, text)) == NULL)
			return NULL;
	} else if (!ctx_withholds(c, text))
		return NULL;
	char *s = xstrdup(text);
	for (size_t i = 0; i < c->nwithheld; i++) {
		size_t from = 0, len;
		if (found && !found[c->withheld[i]])
			continue;
		for (;;) {
			char *low = fold_case(s);
			const char *hit = find_withheld(low + from,
			    ctx_withheld(c, i), &len);
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
