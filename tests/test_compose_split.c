/*
 * test_compose_split.c - the master dossier composed on two threads
 * (compose/compose_split.c) is the document one thread composes: the
 * same blocks in the same order, every text, anchor (the generated
 * "heading-N" and "index-N" numbered as one thread numbers them), span,
 * cell, pair, index term and origin, and the same problems in the same
 * order; whichever customer groups the second thread takes (a fixed
 * split at every interesting place, and as the threads come to them).
 * Also doc_fragment_append / doc_fragment_done on their own: runs of a
 * fragment appended in another order than they were made.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/availability.h"
#include "compose/compose_int.h"
#include "layout/doc.h"
#include "read/read.h"
#include "render/image.h"
#include "util/xalloc.h"

/* --- comparing two documents --- */

static void str_eq(const char *a, const char *b, size_t block,
    const char *what)
{
	if (a == NULL || b == NULL) {
		if (a != b)
			fail_msg("block %zu: %s: %s against %s", block, what,
			    a ? a : "NULL", b ? b : "NULL");
		return;
	}
	if (strcmp(a, b) != 0)
		fail_msg("block %zu: %s: \"%s\" against \"%s\"", block, what,
		    a, b);
}

static void para_eq(const struct para *a, const struct para *b,
    size_t block)
{
	assert_int_equal(a->align, b->align);
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(a->spans[i].kind, b->spans[i].kind);
		assert_int_equal(a->spans[i].style, b->spans[i].style);
		str_eq(a->spans[i].text, b->spans[i].text, block, "span text");
		str_eq(a->spans[i].anchor, b->spans[i].anchor, block,
		    "span anchor");
	}
}

static void block_eq(const struct block *a, const struct block *b,
    size_t i)
{
	if (a->kind != b->kind)
		fail_msg("block %zu: kind %d against %d", i, (int)a->kind,
		    (int)b->kind);
	assert_int_equal(a->level, b->level);
	str_eq(a->origin, b->origin, i, "origin");
	str_eq(a->anchor, b->anchor, i, "anchor");
	str_eq(a->text, b->text, i, "text");
	para_eq(&a->para, &b->para, i);
	switch (a->kind) {
	case BLOCK_TABLE:
		assert_int_equal(a->table.ncols, b->table.ncols);
		assert_int_equal(a->table.header_rows, b->table.header_rows);
		assert_int_equal(a->table.nrows, b->table.nrows);
		str_eq(a->table.caption, b->table.caption, i, "caption");
		for (size_t c = 0; c < a->table.ncols; c++)
			assert_int_equal(a->table.col_align[c],
			    b->table.col_align[c]);
		for (size_t c = 0; c < a->table.nrows * a->table.ncols; c++)
			para_eq(&a->table.cells[c], &b->table.cells[c], i);
		break;
	case BLOCK_KEYVALUE:
		assert_int_equal(a->nkv, b->nkv);
		for (size_t k = 0; k < a->nkv; k++) {
			str_eq(a->kv[k].key, b->kv[k].key, i, "key");
			para_eq(&a->kv[k].value, &b->kv[k].value, i);
			assert_int_equal(a->kv[k].nterms, b->kv[k].nterms);
			for (size_t t = 0; t < a->kv[k].nterms; t++) {
				str_eq(a->kv[k].terms[t], b->kv[k].terms[t], i,
				    "pair's term");
				str_eq(a->kv[k].term_anchors[t],
				    b->kv[k].term_anchors[t], i,
				    "pair's term anchor");
			}
		}
		break;
	case BLOCK_IMAGE:
		assert_non_null(a->image);
		assert_non_null(b->image);
		assert_int_equal(a->image->width, b->image->width);
		assert_int_equal(a->image->height, b->image->height);
		break;
	case BLOCK_LOG:
		assert_int_equal(a->nlog, b->nlog);
		for (size_t k = 0; k < a->nlog; k++) {
			str_eq(a->log_lines[k], b->log_lines[k], i, "log line");
			assert_int_equal(a->log_numbers[k], b->log_numbers[k]);
		}
		break;
	case BLOCK_BAR_CHART:
		assert_int_equal(a->nbars, b->nbars);
		for (size_t k = 0; k < a->nbars; k++) {
			str_eq(a->bars[k].label, b->bars[k].label, i, "bar");
			assert_true(a->bars[k].value == b->bars[k].value);
		}
		assert_true(a->sla == b->sla && a->ymin == b->ymin);
		break;
	case BLOCK_TIMELINE:
		assert_int_equal(a->nsegs, b->nsegs);
		assert_int_equal(a->t0, b->t0);
		assert_int_equal(a->t1, b->t1);
		assert_memory_equal(a->segs, b->segs,
		    a->nsegs * sizeof(*a->segs));
		break;
	case BLOCK_PDF:
		str_eq(a->pdf_path, b->pdf_path, i, "PDF path");
		str_eq(a->pdf_stamp, b->pdf_stamp, i, "PDF stamp");
		assert_int_equal(a->npdf_pages, b->npdf_pages);
		assert_memory_equal(a->pdf_pages, b->pdf_pages,
		    (size_t)a->npdf_pages * sizeof(*a->pdf_pages));
		break;
	default:
		break;
	}
}

static void doc_eq(const struct doc *a, const struct doc *b)
{
	if (a->nblocks != b->nblocks)
		fail_msg("%zu blocks against %zu", a->nblocks, b->nblocks);
	for (size_t i = 0; i < a->nblocks; i++)
		block_eq(&a->blocks[i], &b->blocks[i], i);
	assert_int_equal(a->auto_anchor, b->auto_anchor);
	assert_string_equal(a->origin, b->origin);
	assert_int_equal(a->fragment, 0);
	assert_int_equal(b->fragment, 0);
}

static void diags_eq(const struct diag_list *a, const struct diag_list *b)
{
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->errors, b->errors);
	assert_int_equal(a->warnings, b->warnings);
	for (size_t i = 0; i < a->len; i++) {
		assert_int_equal(a->items[i].severity, b->items[i].severity);
		assert_string_equal(a->items[i].file, b->items[i].file);
		assert_int_equal(a->items[i].line, b->items[i].line);
		assert_string_equal(a->items[i].message, b->items[i].message);
	}
}

/* --- composing a case both ways --- */

struct composed {
	struct doc *d;
	struct diag_list dl;
};

static void compose(const struct case_model *m, const struct avail_report *av,
    int threads, size_t split, struct composed *out)
{
	struct compose_input in = {
		.m = m, .avail = av, .outage_threshold = 30 * 60,
		.build_options = "test", .date = 1117584000,
	};
	compose_test_threads = threads;
	compose_test_split = split;
	diag_init(&out->dl);
	out->d = compose_dossier(&in, &out->dl);
	compose_test_threads = 0;
	compose_test_split = SIZE_MAX;
	assert_non_null(out->d);
}

static void composed_free(struct composed *c)
{
	doc_free(c->d);
	diag_free(&c->dl);
}

/* The number of customer groups of the master dossier of m. */
static size_t count_groups(const struct case_model *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->ncomplaints; i++) {
		size_t j = 0;
		while (j < i && strcmp(m->complaints[j].customer_id,
		    m->complaints[i].customer_id) != 0)
			j++;
		n += j == i;
	}
	return n;
}

/* Case root, composed on one thread, then on two with the second
 * thread's share starting at every interesting group, and as the
 * threads come (several times: it differs from run to run). With
 * broken: invalid UTF-8 put in some complaints' statements and an
 * exhibit's title, so that every part reports
 * problems: the list of exhibits and the complaints citing it (main
 * thread), the statements (either thread), the exhibits (main thread,
 * into a fragment). */
static void check_case(const char *root, int broken)
{
	struct case_model m;
	struct diag_list dl;
	struct read_limits lim;
	read_limits_default(&lim);
	diag_init(&dl);
	model_init(&m);
	assert_int_equal(read_case(root, &lim, &m, &dl), 0);
	assert_int_equal(dl.errors, 0);
	if (broken) {
		assert_true(m.ncomplaints >= 4 && m.nexhibits >= 1);
		size_t pick[4] = { 0, m.ncomplaints / 3, m.ncomplaints / 2,
			m.ncomplaints - 1 };
		for (size_t k = 0; k < 4; k++) {
			free(m.complaints[pick[k]].statement);
			m.complaints[pick[k]].statement =
			    xstrdup("Panne du serveur \xC3\x28 encore.");
		}
		free(m.exhibits[0].title);
		m.exhibits[0].title = xstrdup("Capture \xFF\xFE");
	}
	struct avail_options ao;
	avail_options_init(&ao);
	char *err = NULL;
	struct avail_report *av = avail_build(&m, &ao, &err);
	assert_non_null(av);

	size_t ngroups = count_groups(&m);
	assert_true(ngroups >= 3);
	struct composed one;
	compose(&m, av, 1, SIZE_MAX, &one);
	if (broken)
		assert_true(one.dl.errors >= 6);
	/* The auto anchors: some of both kinds among the complaints'. */
	assert_true(one.d->auto_anchor > (int)ngroups);

	size_t splits[] = { 0, 1, 2, ngroups / 2, ngroups - 1, ngroups,
		SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX };
	for (size_t i = 0; i < sizeof(splits) / sizeof(*splits); i++) {
		struct composed two;
		compose(&m, av, 2, splits[i], &two);
		doc_eq(one.d, two.d);
		diags_eq(&one.dl, &two.dl);
		composed_free(&two);
	}
	composed_free(&one);
	avail_free(av);
	model_free(&m);
	diag_free(&dl);
}

static void amen_split_is_one_thread(void **state)
{
	(void)state;
	check_case("fixtures/amen-2005", 0);
}

static void northwind_split_is_one_thread(void **state)
{
	(void)state;
	check_case("fixtures/northwind-2021", 0);
}

static void problems_in_the_same_order(void **state)
{
	(void)state;
	check_case("fixtures/amen-2005", 1);
	check_case("fixtures/northwind-2021", 1);
}

/* --- fragments alone --- */

/* Part k of a small document: a heading with a generated anchor, an
 * index term, a key-value block with terms, a named heading, a table,
 * a log. */
static void part(struct doc *d, int k)
{
	char text[64];
	doc_origin(d, "part %d", k);
	snprintf(text, sizeof(text), "Partie %d", k);
	doc_heading(d, 4, text, NULL);
	doc_index_term(d, text);
	doc_kv(d, "Clé", "valeur");
	doc_kv_index_term(d, "terme");
	doc_kv(d, "Autre", "valeur");
	doc_kv_index_term(d, "autre terme");
	doc_kv_index_term(d, "troisième");
	snprintf(text, sizeof(text), "named-%d", k);
	doc_heading(d, 3, "Nommé", text);
	struct table *t = doc_table(d, 2, 1, "Tableau", NULL);
	const char *row[2] = { "a", "b" };
	table_row(d, t, row);
	table_row(d, t, row);
	const char *lines[2] = { "ligne\tun", "ligne deux" };
	long numbers[2] = { 10, 11 };
	doc_log(d, NULL, lines, numbers, 2);
}

static void fragments_appended_out_of_order(void **state)
{
	(void)state;
	struct doc_options opt = { .lang = LANG_FR, .paper = PAPER_A4 };
	enum { PARTS = 6 };

	struct doc *one = doc_new(&opt);
	doc_heading(one, 1, "Début", NULL);
	for (int k = 0; k < PARTS; k++)
		part(one, k);
	doc_origin(one, "end");
	doc_heading(one, 1, "Fin", NULL);
	doc_index_term(one, "fin");

	/* Parts 0-1 in the document; 2-5 in a fragment, made from the
	 * last backwards, and one block more that is never appended. */
	struct doc *two = doc_new(&opt);
	doc_heading(two, 1, "Début", NULL);
	part(two, 0);
	part(two, 1);
	struct doc *f = doc_fragment_new(two);
	size_t start[PARTS + 1], end[PARTS + 1];
	for (int k = PARTS - 1; k >= 2; k--) {
		start[k] = f->nblocks;
		part(f, k);
		end[k] = f->nblocks;
	}
	doc_kv(f, "Jamais", "ajouté");
	doc_kv_index_term(f, "jamais");
	assert_true(f->fragment);
	for (int k = 2; k < PARTS; k++)
		doc_fragment_append(two, f, start[k], end[k]);
	doc_fragment_done(two, f);
	/* Appending leaves the document's origin as it was. */
	assert_string_equal(two->origin, "part 1");
	doc_origin(two, "end");
	doc_heading(two, 1, "Fin", NULL);
	doc_index_term(two, "fin");
	doc_eq(one, two);
	doc_free(one);
	doc_free(two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fragments_appended_out_of_order),
		cmocka_unit_test(amen_split_is_one_thread),
		cmocka_unit_test(northwind_split_is_one_thread),
		cmocka_unit_test(problems_in_the_same_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
