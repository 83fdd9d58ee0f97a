/* test_read_csv.c - the generic CSV record reader (read/read_csv.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/read_csv.h"
#include "util/xalloc.h"

static const char *const cols[] = { "id", "name", "note" };

/* Rows handed to the callback, flattened as "line|id|name|note". */
struct seen {
	char *rows[64];
	int n;
	int reject_id_x;	/* the callback rejects rows whose id is "x" */
};

static int
on_row(void *ctx, const struct csv_row *row)
{
	struct seen *s = ctx;
	if (s->n < 64)
		s->rows[s->n++] = xasprintf("%ld|%s|%s|%s", row->line,
		    row->f[0], row->f[1], row->f[2]);
	return s->reject_id_x && strcmp(row->f[0], "x") == 0 ? -1 : 0;
}

struct run {
	struct seen seen;
	struct diag_list dl;
	struct csv_counts cnt;
	char *diags;
	int rc;
};

static void
run_csv(struct run *r, const char *text, size_t len,
    const struct read_limits *limp)
{
	struct read_limits lim;
	size_t dlen;
	if (limp)
		lim = *limp;
	else
		read_limits_default(&lim);
	memset(r, 0, sizeof(*r));
	diag_init(&r->dl);
	struct csv_spec sp = { "t.csv", cols, 3, &lim, &r->dl, on_row,
		&r->seen };
	FILE *f = fmemopen((void *)text, len, "rb");
	assert_non_null(f);
	r->rc = csv_read_stream(f, &sp, &r->cnt);
	fclose(f);
	diag_sort(&r->dl);
	FILE *o = open_memstream(&r->diags, &dlen);
	diag_print(&r->dl, o);
	fclose(o);
}

static void
run_free(struct run *r)
{
	for (int i = 0; i < r->seen.n; i++)
		free(r->seen.rows[i]);
	free(r->diags);
	diag_free(&r->dl);
}

#define RUN(r, s) run_csv((r), (s), sizeof(s) - 1, NULL)
#define RUNL(r, s, l) run_csv((r), (s), sizeof(s) - 1, (l))

static void
test_good_and_order(void **state)
{
	struct run r;
	(void)state;
	RUN(&r, " Note ,ID,name\nn1,1,Ann\n\"n2\",2,\"Bob, Jr.\"\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.dl.len, 0);
	assert_int_equal(r.seen.n, 2);
	assert_string_equal(r.seen.rows[0], "2|1|Ann|n1");
	assert_string_equal(r.seen.rows[1], "3|2|Bob, Jr.|n2");
	assert_int_equal(r.cnt.read, 2);
	assert_int_equal(r.cnt.accepted, 2);
	run_free(&r);
}

static void
test_bom_crlf_quoted_newlines(void **state)
{
	struct run r;
	(void)state;
	RUN(&r, "\xEF\xBB\xBFid,name,note\r\n1,a,\"x\r\ny\r\n\r\nz\"\r\n"
	    "2,b,\"say \"\"hi\"\"\"\r\n3,c,last");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.dl.len, 0);
	assert_int_equal(r.seen.n, 3);
	assert_string_equal(r.seen.rows[0], "2|1|a|x\ny\n\nz");
	assert_string_equal(r.seen.rows[1], "6|2|b|say \"hi\"");
	assert_string_equal(r.seen.rows[2], "7|3|c|last");
	run_free(&r);
}

static void
test_empty_rows_skipped(void **state)
{
	struct run r;
	(void)state;
	RUN(&r, "id,name,note\n\n1,a,b\n,,\n   \n\r\n2,b,c\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.dl.len, 0);
	assert_int_equal(r.seen.n, 2);
	assert_string_equal(r.seen.rows[1], "7|2|b|c");
	assert_int_equal(r.cnt.skipped, 1);
	run_free(&r);
}

static void
test_header_problems(void **state)
{
	struct run r;
	(void)state;
	RUN(&r, "id,name\n1,a\n");
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.diags, "t.csv:1: error: missing column "
	    "\"note\""));
	assert_int_equal(r.seen.n, 0);
	run_free(&r);

	RUN(&r, "id,name,note,extra\n1,a,b,c\n");
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.diags, "unknown column \"extra\""));
	run_free(&r);

	RUN(&r, "");
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.diags, "t.csv: error: the file is empty"));
	run_free(&r);
}

static void
test_field_counts(void **state)
{
	struct run r;
	(void)state;
	RUN(&r, "id,name,note\n1,a\n2,b,c,d\n3,c,d\n");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.diags, "t.csv:2: error: row has 2 fields "
	    "but the header has 3"));
	assert_non_null(strstr(r.diags, "t.csv:3: error: row has 4 fields"));
	assert_int_equal(r.seen.n, 1);
	assert_int_equal(r.cnt.read, 3);
	assert_int_equal(r.cnt.rejected, 2);
	assert_int_equal(r.cnt.accepted, 1);
	run_free(&r);
}

static void
test_stray_quote_recovers(void **state)
{
	struct run r;
	(void)state;
	RUN(&r, "id,name,note\n1,a\"b,c\n2,\"ok\"x,c\n3,c,d\n");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.diags, "t.csv:2:name: error: stray quote"));
	assert_non_null(strstr(r.diags, "t.csv:3:name: error: stray quote"));
	assert_int_equal(r.seen.n, 1);
	assert_string_equal(r.seen.rows[0], "4|3|c|d");
	assert_int_equal(r.cnt.rejected, 2);
	run_free(&r);
}

static void
test_unterminated_quote(void **state)
{
	struct run r;
	(void)state;
	RUN(&r, "id,name,note\n1,a,b\n2,b,\"open\nmore\n3,c,d\n");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.diags, "t.csv:3:note: error: unterminated "
	    "quote"));
	assert_int_equal(r.seen.n, 1);
	assert_int_equal(r.cnt.rejected, 1);
	run_free(&r);
}

static void
test_invalid_utf8_and_nul(void **state)
{
	struct run r;
	static const char text[] = "id,name,note\n1,caf\xe9,x\n2,a\0b,x\n"
	    "3,\xc3\xa9t\xc3\xa9,x\n";
	(void)state;
	run_csv(&r, text, sizeof(text) - 1, NULL);
	assert_non_null(strstr(r.diags, "t.csv:2:name: error: invalid UTF-8"));
	assert_non_null(strstr(r.diags, "t.csv:3:name: error: invalid UTF-8"));
	assert_int_equal(r.seen.n, 1);
	assert_string_equal(r.seen.rows[0], "4|3|été|x");
	run_free(&r);
}

static void
test_limits(void **state)
{
	struct run r;
	struct read_limits lim;
	(void)state;
	read_limits_default(&lim);
	lim.max_field = 8;
	RUNL(&r, "id,name,note\n1,123456789,x\n2,12345678,x\n", &lim);
	assert_non_null(strstr(r.diags, "t.csv:2:name: error: field is "
	    "longer than the limit of 8 bytes"));
	assert_int_equal(r.seen.n, 1);
	run_free(&r);

	read_limits_default(&lim);
	lim.max_line = 14;
	RUNL(&r, "id,name,note\n1,a,b\n2,abcdefghij,c\n3,a,b\n", &lim);
	assert_non_null(strstr(r.diags, "t.csv:3: error: line is longer than "
	    "the limit of 14 bytes"));
	assert_int_equal(r.seen.n, 2);
	run_free(&r);

	read_limits_default(&lim);
	lim.max_records = 2;
	RUNL(&r, "id,name,note\n1,a,b\n2,a,b\n3,a,b\n4,a,b\n", &lim);
	assert_non_null(strstr(r.diags, "t.csv:4: error: more than 2 records"));
	assert_int_equal(r.seen.n, 2);
	run_free(&r);
}

static void
test_callback_rejects(void **state)
{
	struct run r;
	(void)state;
	memset(&r, 0, sizeof(r));
	struct read_limits lim;
	read_limits_default(&lim);
	diag_init(&r.dl);
	r.seen.reject_id_x = 1;
	struct csv_spec sp = { "t.csv", cols, 3, &lim, &r.dl, on_row, &r.seen };
	static const char text[] = "id,name,note\nx,a,b\ny,a,b\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "rb");
	csv_read_stream(f, &sp, &r.cnt);
	fclose(f);
	assert_int_equal(r.cnt.read, 2);
	assert_int_equal(r.cnt.accepted, 1);
	assert_int_equal(r.cnt.rejected, 1);
	run_free(&r);
}

/* Random bytes must never crash the reader. */
static void
test_garbage_never_crashes(void **state)
{
	char buf[512];
	(void)state;
	srand(42);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % (int)sizeof(buf));
		static const char alphabet[] = "id,name,note\"\r\n\xc3\xa9 x\0";
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		struct run r;
		run_csv(&r, buf, n, NULL);
		run_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_and_order),
		cmocka_unit_test(test_bom_crlf_quoted_newlines),
		cmocka_unit_test(test_empty_rows_skipped),
		cmocka_unit_test(test_header_problems),
		cmocka_unit_test(test_field_counts),
		cmocka_unit_test(test_stray_quote_recovers),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_invalid_utf8_and_nul),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_rejects),
		cmocka_unit_test(test_garbage_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
