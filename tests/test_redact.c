/*
 * test_redact.c - what a pack withholds (src/compose/redact.c): the
 * automaton finds other customers' names exactly where trying every
 * withheld form at every character does, on hostile texts (case,
 * accents, white space of every kind, line breaks, honorifics, firms
 * without their legal form, overlapping names, invalid UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "compose/compose_int.h"
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
		assert_true(strlen(c.withheld[i - 1]) >=
		    strlen(c.withheld[i]));

	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		int fast_w = ctx_withholds(&c, texts[t]);
		char *fast = xstrdup(ctx_redact(&c, texts[t]));
		struct acmatch *keep = c.matcher;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matcher_agrees_with_every_form_at_every_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
