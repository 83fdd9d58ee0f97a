/*
 * test_redact.c - what a pack withholds (src/compose/redact.c,
 * withheld.c): the automaton finds other customers' names exactly where
 * trying every withheld form at every character does, on hostile texts
 * (case, accents, white space of every kind, line breaks, honorifics,
 * firms without their legal form, overlapping names, invalid UTF-8);
 * and selecting a pack's forms among the case's, derived once, gives
 * the very list, in the very order, that collecting them for each pack
 * gave (the per-pack collection is kept below as the reference).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "compose/compose_int.h"
#include "read/read.h"
#include "util/hash.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static struct complaint people[] = {
	{ .id = "R1", .customer_id = "C-0001", .customer_name = "Anne Pack",
	  .email = "anne@exemple.fr", .contract = "CTR-SHARED" },
	{ .id = "R2", .customer_id = "C-0002",
	  .customer_name = "Jean-Marc Rivière", .email = "jm@exemple.fr",
	  .contract = "CTR-SHARED" },
	{ .id = "R3", .customer_id = "C-0003",
	  .customer_name = "SARL Cuisines Lemaire (M. Paul Lemaire)",
	  .email = "contact@lemaire.fr", .contract = "CTR-000333" },
	{ .id = "R4", .customer_id = "C-0004",
	  .customer_name = "Émilie Œillet", .email = "emilie@exemple.fr",
	  .contract = "CTR-000444" },
	{ .id = "R5", .customer_id = "C-0005", .customer_name = "Ann Annan",
	  .email = "ann@annan.example", .contract = "Pack Pro, 2 ans" },
	{ .id = "R6", .customer_id = "C-0006",
	  .customer_name = "Rivière Consulting Ltd", .email = "x@rc.example",
	  .contract = "short" },
};

static const char *const texts[] = {
	"",
	"rien à signaler",
	"Mme RIVIÈRE et JEAN-MARC\nRIVIÈRE ont écrit",
	"Jean-Marc\xE2\x80\x89Rivière (espace fine) et Jean-Marc \n\t Rivière",
	"Jean-Marc\xC2\xA0Rivière, jean-marc rivièrejean-marc rivière",
	"SARL  Cuisines\xC2\xA0Lemaire, cuisines lemaire, M. Lemaire, "
	    "Mr.Lemaire, Mr Lemaire, Dr Lemaire",
	"ÉMILIE ŒILLET a écrit à EMILIE@EXEMPLE.FR et émilie œillet",
	"Ann Annan Ann Annann AnnAnnan ann  annan",
	"CTR-SHARED et CTR-000333, ctr-000444, Pack Pro,\n2 ans",
	"C-0002 C-0003 C-00031 c-0004 C-0001",
	"Rivière Consulting Ltd, Rivière Consulting, RIVIÈRE\nCONSULTING",
	"Paul\nLemaire\nPaul Lemaire",
	"[…] Paul Lemaire […]",
	/* Not valid UTF-8: the old way, same answer. */
	"\xC3 Paul Lemaire \xFF jm@exemple.fr",
	"  \xE2\x80\x80 Paul \xE2\x80\xAF Lemaire \xE2\x80\x8B",
};

static void
matcher_agrees_with_every_form_at_every_character(void **state)
{
	struct case_model m;
	struct compose_input in = { .customer = "C-0001" };
	struct compose_ctx c;

	memset(&m, 0, sizeof(m));
	m.complaints = people;
	m.ncomplaints = sizeof(people) / sizeof(people[0]);
	memset(&c, 0, sizeof(c));
	in.m = &m;
	c.in = &in;
	c.m = &m;
	ctx_collect_withheld(&c);
	assert_non_null(c.matcher);
	assert_true(c.nwithheld > 10);
	/* Longest first. */
	for (size_t i = 1; i < c.nwithheld; i++)
		assert_true(strlen(ctx_withheld(&c, i - 1)) >=
		    strlen(ctx_withheld(&c, i)));

	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		int fast_w = ctx_withholds(&c, texts[t]);
		char *fast = xstrdup(ctx_redact(&c, texts[t]));
		const struct acmatch *keep = c.matcher;
		c.matcher = NULL;	/* the old way */
		int slow_w = ctx_withholds(&c, texts[t]);
		const char *slow = ctx_redact(&c, texts[t]);
		c.matcher = keep;
		assert_int_equal(fast_w, slow_w);
		assert_string_equal(fast, slow);
		free(fast);
	}

	/* And what is withheld is what the rules say. */
	assert_string_equal(ctx_redact(&c, "Mme RIVIÈRE et JEAN-MARC\n"
	    "RIVIÈRE, Anne Pack, CTR-SHARED"),
	    "[…] et […]\n[…], Anne Pack, CTR-SHARED");
	assert_string_equal(ctx_redact(&c, "SARL  Cuisines\xC2\xA0Lemaire "
	    "et Rivière Consulting"), "[…] et […]");
	assert_false(ctx_withholds(&c, "Rivière seul"));
	assert_true(ctx_withholds(&c, "ÉMILIE\nŒILLET"));

	for (size_t i = 0; i < c.nowned; i++)
		free(c.owned[i]);
	free(c.owned);
	ctx_withheld_free(&c);
}

/*
 * The reference: what each pack collected for itself before the case's
 * forms were derived once per run (src/compose/redact.c as of d5e4ecf),
 * kept as it was but for where the forms go, and its slow way of
 * replacing them (every form tried at every character).
 */
struct ref {
	char **withheld;	/* longest first */
	size_t nwithheld;
	size_t *slot, cap;
};

static size_t *
ref_slot(struct ref *r, const char *w)
{
	size_t i = hash_string(w) & (r->cap - 1);
	while (r->slot[i] && strcmp(r->withheld[r->slot[i] - 1], w) != 0)
		i = (i + 1) & (r->cap - 1);
	return &r->slot[i];
}

static void
ref_withhold(struct ref *r, const char *s)
{
	if (s == NULL || strlen(s) < 3)
		return;
	char *w = withheld_form(s);
	if (2 * (r->nwithheld + 1) > r->cap) {
		free(r->slot);
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->slot = xcalloc(r->cap, sizeof(size_t));
		for (size_t i = 0; i < r->nwithheld; i++)
			*ref_slot(r, r->withheld[i]) = i + 1;
	}
	if (strlen(w) < 3 || *ref_slot(r, w) != 0) {
		free(w);
		return;
	}
	r->withheld = xreallocarray(r->withheld, r->nwithheld + 1,
	    sizeof(char *));
	r->withheld[r->nwithheld++] = w;
	*ref_slot(r, w) = r->nwithheld;
}

static const char *const ref_titles[] = { "M.", "Mme", "Mlle", "Dr",
	"Me", "Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms" };
static const char *const ref_prefixes[] = { "SARL ", "SAS ", "SA ",
	"EURL ", "SCI ", "SCP " };
static const char *const ref_suffixes[] = { " LLC", " Inc.", " Inc",
	" Ltd.", " Ltd", " GmbH", " SARL", " SAS", " SA" };
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
ref_withhold_name(struct ref *r, const char *name)
{
	if (name == NULL || *name == '\0')
		return;
	ref_withhold(r, name);
	size_t len = strlen(name);
	const char *open = strstr(name, " (");
	char *firm, *person;
	if (open && name[len - 1] == ')') {
		firm = xstrndup(name, (size_t)(open - name));
		char *aside = xstrndup(open + 2,
		    (size_t)(name + len - 1 - open - 2));
		const char *p = aside;
		for (size_t i = 0; i < NELEM(ref_titles); i++) {
			size_t n = strlen(ref_titles[i]);
			if (strncmp(p, ref_titles[i], n) == 0 && p[n] == ' ') {
				p += n + 1;
				break;
			}
		}
		person = strchr(p, ' ') ? xstrdup(p) : NULL;
		free(aside);
		ref_withhold(r, firm);
		if (person)
			ref_withhold(r, person);
	} else {
		firm = xstrdup(name);
		person = xstrdup(name);
	}
	for (size_t i = 0; i < NELEM(ref_prefixes); i++)
		if (strncmp(firm, ref_prefixes[i],
		    strlen(ref_prefixes[i])) == 0 &&
		    strchr(firm + strlen(ref_prefixes[i]), ' '))
			ref_withhold(r, firm + strlen(ref_prefixes[i]));
	for (size_t i = 0; i < NELEM(ref_suffixes); i++) {
		size_t n = strlen(firm), k = strlen(ref_suffixes[i]);
		if (n > k && strcmp(firm + n - k, ref_suffixes[i]) == 0) {
			char *bare = xstrndup(firm, n - k);
			if (strchr(bare, ' '))
				ref_withhold(r, bare);
			free(bare);
		}
	}
	const char *surname = person ? strrchr(person, ' ') : NULL;
	if (surname && strlen(surname + 1) >= 3)
		for (size_t i = 0; i < NELEM(ref_titles); i++) {
			char *t = xasprintf("%s %s", ref_titles[i], surname + 1);
			ref_withhold(r, t);
			free(t);
		}
	free(firm);
	free(person);
}

struct ref_by_length {
	size_t len, seq;
	char *form;
};

static int
ref_by_length_cmp(const void *pa, const void *pb)
{
	const struct ref_by_length *a = pa, *b = pb;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The old ctx_collect_withheld; returns 1 if it built its automaton. */
static int
ref_collect(struct ref *r, const struct case_model *m, const char *who)
{
	memset(r, 0, sizeof(*r));
	const char **mine = xcalloc(m->ncomplaints + 1, sizeof(char *));
	size_t nmine = 0;
	for (size_t k = 0; k < m->ncomplaints; k++)
		if (strcmp(m->complaints[k].customer_id, who) == 0)
			mine[nmine++] = m->complaints[k].contract;
	for (size_t i = 0; i < m->ncomplaints; i++) {
		const struct complaint *o = &m->complaints[i];
		if (strcmp(o->customer_id, who) == 0)
			continue;
		ref_withhold_name(r, o->customer_name);
		ref_withhold(r, o->email);
		ref_withhold(r, o->customer_id);
		int shared = 0;
		for (size_t k = 0; k < nmine && o->contract && !shared; k++)
			shared = mine[k] && strcmp(mine[k], o->contract) == 0;
		if (!shared && o->contract && strlen(o->contract) >= 6)
			ref_withhold(r, o->contract);
	}
	free(mine);
	free(r->slot);
	r->slot = NULL;
	struct ref_by_length *v = xcalloc(r->nwithheld + 1, sizeof(*v));
	for (size_t i = 0; i < r->nwithheld; i++)
		v[i] = (struct ref_by_length){ strlen(r->withheld[i]), i,
			r->withheld[i] };
	qsort(v, r->nwithheld, sizeof(*v), ref_by_length_cmp);
	for (size_t i = 0; i < r->nwithheld; i++)
		r->withheld[i] = v[i].form;
	free(v);
	int fits = r->nwithheld > 0;
	for (size_t i = 0; i < r->nwithheld; i++) {
		const char *w = r->withheld[i];
		if (!utf8_valid(w, strlen(w), NULL) || strpbrk(w, "[]") ||
		    strstr(w, "…"))
			fits = 0;
	}
	return fits;
}

static void
ref_free(struct ref *r)
{
	for (size_t i = 0; i < r->nwithheld; i++)
		free(r->withheld[i]);
	free(r->withheld);
}

static char *
ref_fold(const char *s)
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

static size_t
ref_space_len(const char *s)
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

static const char *
ref_find(const char *folded, const char *pat, size_t *len)
{
	for (const char *t = folded; *t; t++) {
		const char *s = t, *q = pat;
		while (*q) {
			if (*q == ' ') {
				size_t n = ref_space_len(s);
				if (n == 0)
					break;
				while ((n = ref_space_len(s)) > 0)
					s += n;
				q++;
			} else if (*s == *q) {
				s++;
				q++;
			} else
				break;
		}
		if (*q == '\0' && s > t) {
			*len = (size_t)(s - t);
			return t;
		}
	}
	return NULL;
}

static int
ref_withholds(const struct ref *r, const char *text)
{
	char *low = ref_fold(text);
	int found = 0;
	size_t len;
	for (size_t i = 0; i < r->nwithheld && !found; i++)
		found = ref_find(low, r->withheld[i], &len) != NULL;
	free(low);
	return found;
}

/* The text as a pack showed it. Caller frees. */
static char *
ref_redact(const struct ref *r, const char *text)
{
	char *s = xstrdup(text);
	if (!ref_withholds(r, text))
		return s;
	for (size_t i = 0; i < r->nwithheld; i++) {
		size_t from = 0, len;
		for (;;) {
			char *low = ref_fold(s);
			const char *hit = ref_find(low + from, r->withheld[i],
			    &len);
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

/*
 * One pack of case m, selected among the case's forms (wh, or derived
 * for this pack alone if NULL), against the reference: the same forms
 * in the same order, the automaton used for the same packs, and every
 * text the same, the automaton's way (known or not) and the slow way.
 * with_text: also compare texts (the slow ways cost forms x text).
 * Returns the number of forms withheld.
 */
static size_t
check_pack(const struct case_model *m, const struct compose_withheld *wh,
    const char *who, const char *const *extra, size_t nextra, int with_text)
{
	struct compose_input in = { .m = m, .customer = who, .withheld = wh };
	struct compose_ctx c;
	struct ref r;

	memset(&c, 0, sizeof(c));
	c.in = &in;
	c.m = m;
	ctx_collect_withheld(&c);
	int fits = ref_collect(&r, m, who);
	assert_int_equal(c.nwithheld, r.nwithheld);
	for (size_t i = 0; i < r.nwithheld; i++)
		assert_string_equal(ctx_withheld(&c, i), r.withheld[i]);
	assert_int_equal(c.matcher != NULL, fits);

	/* The texts: the timeline's (known to wh), a copy of each (not
	 * known: scanned), and the extra ones. */
	size_t nt = 10 * m->ntimeline + nextra, k = 0;
	const char **t = xcalloc(nt + 1, sizeof(char *));
	char **copies = xcalloc(nt + 1, sizeof(char *));
	for (size_t i = 0; i < m->ntimeline; i++) {
		const struct timeline_event *ev = &m->timeline[i];
		const struct exhibit *e = ev->nexhibits ?
		    &m->exhibits[ev->exhibits[0]] : NULL;
		const char *v[5] = { ev->title, ev->detail, ev->source,
			e ? e->title : NULL, e ? e->source : NULL };
		for (int j = 0; j < 5; j++)
			if (v[j])
				t[k++] = v[j];
	}
	size_t norig = k;
	for (size_t i = 0; i < norig; i++)
		t[k++] = copies[i] = xstrdup(t[i]);
	for (size_t i = 0; i < nextra; i++)
		t[k++] = extra[i];
	for (size_t i = 0; with_text && i < k; i++) {
		char *want = ref_redact(&r, t[i]);
		int want_w = ref_withholds(&r, t[i]);
		assert_int_equal(ctx_withholds(&c, t[i]), want_w);
		assert_string_equal(ctx_redact(&c, t[i]), want);
		const struct acmatch *keep = c.matcher;
		c.matcher = NULL;	/* the slow way */
		assert_int_equal(ctx_withholds(&c, t[i]), want_w);
		assert_string_equal(ctx_redact(&c, t[i]), want);
		c.matcher = keep;
		free(want);
	}
	/* Cheaper, for every pack: a known text as a copy of it. */
	for (size_t i = 0; i < norig; i++) {
		assert_int_equal(ctx_withholds(&c, t[i]),
		    ctx_withholds(&c, copies[i]));
		char *known = xstrdup(ctx_redact(&c, t[i]));
		assert_string_equal(known, ctx_redact(&c, copies[i]));
		free(known);
	}
	for (size_t i = 0; i < nt; i++)
		free(copies[i]);
	free(copies);
	free(t);
	for (size_t i = 0; i < c.nowned; i++)
		free(c.owned[i]);
	free(c.owned);
	ctx_withheld_free(&c);
	ref_free(&r);
	return r.nwithheld;
}

/* A crowd of customers who share what a selection could get wrong:
 * surnames, contracts (equal, or equal but for case), names (one the
 * same as another's contract, one an honorific form of others'), with
 * a customer's complaints far apart and the last two giving forms the
 * automaton cannot stand for. */
static struct complaint crowd[] = {
	{ .id = "K01", .customer_id = "C-0010", .customer_name = "Paul Lemaire",
	  .email = "paul@lemaire.example", .contract = "Pack Pro, 2 ans" },
	{ .id = "K02", .customer_id = "C-0011",
	  .customer_name = "Marie Lemaire", .email = "marie@lemaire.example",
	  .contract = "Pack Pro, 2 ans" },
	{ .id = "K03", .customer_id = "C-0012",
	  .customer_name = "SARL Cuisines Lemaire (M. Paul Lemaire)",
	  .email = "contact@cuisines.example", .contract = "CTR-000333" },
	{ .id = "K04", .customer_id = "C-0010", .customer_name = "Paul LEMAIRE",
	  .email = "p.lemaire@autre.example", .contract = "CTR-000333" },
	{ .id = "K05", .customer_id = "C-0013", .customer_name = "Anne Pack" },
	{ .id = "K06", .customer_id = "C-0014", .customer_name = "Anne Pack",
	  .email = "anne2@exemple.fr", .contract = "pack pro, 2 ans" },
	{ .id = "K07", .customer_id = "C-0015",
	  .customer_name = "Pack Pro, 2 ans", .email = "odd@exemple.fr",
	  .contract = "short" },
	{ .id = "K08", .customer_id = "C-0017", .customer_name = "Ab",
	  .email = "ab", .contract = "CTR" },
	{ .id = "K09", .customer_id = "C-0011",
	  .customer_name = "Marie Lemaire-Roux", .email = "marie@lemaire.example",
	  .contract = "CTR-000888" },
	{ .id = "K10", .customer_id = "C-0018",
	  .customer_name = "Rivière Consulting Ltd", .email = "x@rc.example",
	  .contract = "CTR-000888" },
	{ .id = "K11", .customer_id = "C-0019",
	  .customer_name = "Émilie Œillet", .email = "emilie@exemple.fr",
	  .contract = "Pack Pro, 2 ans" },
	{ .id = "K12", .customer_id = "C-0020", .customer_name = "Mme Lemaire",
	  .email = "mme@lemaire.example" },
	{ .id = "K13", .customer_id = "C-0014", .customer_name = "Anne Pack",
	  .email = "anne2@exemple.fr", .contract = "Pack Pro, 2 ans" },
	{ .id = "K14", .customer_id = "C-0016",
	  .customer_name = "Jean [Bob] Dupont", .email = "bob@exemple.fr",
	  .contract = "CTR-000777" },
	{ .id = "K15", .customer_id = "C-0021",
	  .customer_name = "Bad \xFF Name", .email = "bad@exemple.fr" },
};

static struct exhibit crowd_exhibits[] = {
	{ .number = 1, .title = "Lettre de Marie Lemaire",
	  .source = "anne2@exemple.fr" },
	{ .number = 2, .title = "Capture d'écran", .source = "" },
};
static int crowd_ex0[] = { 0 }, crowd_ex1[] = { 1 };
static struct timeline_event crowd_timeline[] = {
	{ .title = "Panne générale", .detail = "M. Lemaire et Mme\nLEMAIRE "
	  "signalent la panne (contrat PACK PRO, 2 ANS).",
	  .source = "Forum", .exhibits = crowd_ex0, .nexhibits = 1 },
	{ .title = "Réponse à Paul Lemaire",
	  .detail = "Rien à signaler.", .source = "Courriel de "
	  "contact@cuisines.example", .exhibits = crowd_ex1, .nexhibits = 1 },
	{ .title = "Jean [Bob] Dupont écrit", .detail = "CTR-000333, "
	  "ctr-000888, CTR-000777 et Rivière Consulting", .source = "" },
};

static const char *const crowd_texts[] = {
	"Paul Lemaire, M. Lemaire, Mme LEMAIRE, Marie Lemaire-Roux et "
	    "Marie Lemaire",
	"contrat Pack Pro, 2 ans ou PACK PRO,\n2 ANS ; CTR-000333, "
	    "ctr-000888, CTR-000777",
	"Anne Pack, anne2@exemple.fr, C-0013, C-0014, C-0017, ab",
	"Jean [Bob] Dupont et jean [bob]\ndupont",
	"Cuisines Lemaire (M. Paul Lemaire), Mr Lemaire-Roux",
	"Bad \xFF Name, bad name",
	"Émilie\xC2\xA0Œillet et Rivière Consulting",
};

static void
selection_gives_the_per_pack_collection(void **state)
{
	const size_t all = sizeof(crowd) / sizeof(crowd[0]);
	size_t nextra = sizeof(texts) / sizeof(texts[0]) +
	    sizeof(crowd_texts) / sizeof(crowd_texts[0]);
	const char **extra = xcalloc(nextra, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		extra[k++] = texts[i];
	for (size_t i = 0; i < sizeof(crowd_texts) / sizeof(crowd_texts[0]);
	    i++)
		extra[k++] = crowd_texts[i];

	/* Every form fit for the automaton; then one that is not (packs
	 * but its customer's take the slow way); then two. */
	for (size_t n = all - 2; n <= all; n++) {
		struct case_model m;
		memset(&m, 0, sizeof(m));
		m.complaints = crowd;
		m.ncomplaints = n;
		m.exhibits = crowd_exhibits;
		m.nexhibits = 2;
		m.timeline = crowd_timeline;
		m.ntimeline = 3;
		struct compose_withheld *wh = compose_withheld_new(&m);
		assert_true(wh->nknown > 0);
		const char *who[] = { "C-0010", "C-0011", "C-0012", "C-0013",
			"C-0014", "C-0015", "C-0016", "C-0017", "C-0018",
			"C-0019", "C-0020", "C-0021", "C-NONE" };
		for (size_t w = 0; w < sizeof(who) / sizeof(who[0]); w++) {
			size_t got = check_pack(&m, wh, who[w], extra, nextra, 1);
			assert_true(got > 20);
			/* A pack made alone derives the same. */
			check_pack(&m, NULL, who[w], extra, nextra, 1);
		}
		compose_withheld_free(wh);
	}
	free(extra);
}

/* Every pack of both fixtures, form for form; texts for a few. */
static void
selection_on_the_fixtures(void **state)
{
	const char *cases[] = { "fixtures/amen-2005",
		"fixtures/northwind-2021" };
	for (size_t f = 0; f < 2; f++) {
		struct case_model m;
		struct diag_list dl;
		struct read_limits lim;
		read_limits_default(&lim);
		diag_init(&dl);
		model_init(&m);
		assert_int_equal(read_case(cases[f], &lim, &m, &dl), 0);
		assert_int_equal(dl.errors, 0);
		struct compose_withheld *wh = compose_withheld_new(&m);
		const char **extra = xcalloc(m.ncomplaints + 1, sizeof(char *));
		for (size_t i = 0; i < m.ncomplaints; i++)
			extra[i] = m.complaints[i].summary ?
			    m.complaints[i].summary : "";
		size_t packs = 0;
		for (size_t i = 0; i < m.ncomplaints; i++) {
			int seen = 0;
			for (size_t j = 0; j < i && !seen; j++)
				seen = strcmp(m.complaints[j].customer_id,
				    m.complaints[i].customer_id) == 0;
			if (seen)
				continue;
			assert_true(check_pack(&m, wh,
			    m.complaints[i].customer_id, extra, m.ncomplaints,
			    packs < 4) > 0);
			packs++;
		}
		assert_true(packs >= 5);
		free(extra);
		compose_withheld_free(wh);
		model_free(&m);
		diag_free(&dl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matcher_agrees_with_every_form_at_every_character),
		cmocka_unit_test(selection_gives_the_per_pack_collection),
		cmocka_unit_test(selection_on_the_fixtures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
