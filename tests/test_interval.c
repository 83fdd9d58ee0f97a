/* test_interval.c - interval algebra: hand-computed cases and properties. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/interval.h"

static struct provenance
P(long line)
{
	struct provenance p = { 0, line };
	return p;
}

static void
expect_set(const struct ivset *s, size_t n, const int64_t *pairs)
{
	assert_int_equal(s->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s->v[i].start, pairs[2 * i]);
		assert_int_equal(s->v[i].end, pairs[2 * i + 1]);
	}
	assert_true(ivset_is_normalized(s));
}

static void
test_normalize(void **state)
{
	struct ivset s;
	ivset_init(&s);
	ivset_add(&s, 50, 60, P(5), P(6));
	ivset_add(&s, 10, 20, P(1), P(2));
	ivset_add(&s, 15, 30, P(3), P(4));	/* overlaps */
	ivset_add(&s, 30, 35, P(7), P(8));	/* touches */
	ivset_add(&s, 50, 60, P(9), P(10));	/* duplicate */
	ivset_add(&s, 70, 70, P(11), P(12));	/* empty: ignored */
	ivset_add(&s, 90, 80, P(11), P(12));	/* reversed: ignored */
	ivset_normalize(&s);
	static const int64_t want[] = { 10, 35, 50, 60 };
	expect_set(&s, 2, want);
	/* Provenance: start of the earliest, end of the latest. */
	assert_int_equal(s.v[0].from.line, 1);
	assert_int_equal(s.v[0].to.line, 8);
	assert_int_equal(s.v[1].from.line, 5);
	assert_int_equal(s.v[1].to.line, 6);
	assert_int_equal(ivset_total(&s), 35);
	assert_int_equal(ivset_longest(&s), 25);
	ivset_free(&s);
}

static void
test_clip(void **state)
{
	struct ivset s;
	ivset_init(&s);
	ivset_add(&s, 0, 10, P(1), P(2));
	ivset_add(&s, 20, 40, P(3), P(4));
	ivset_add(&s, 90, 120, P(5), P(6));
	ivset_clip(&s, 30, 100);
	static const int64_t want[] = { 30, 40, 90, 100 };
	expect_set(&s, 2, want);
	assert_int_equal(s.v[0].from.line, 3);	/* provenance kept */
	ivset_free(&s);
}

static void
test_ops(void **state)
{
	struct ivset a, b, r;
	ivset_init(&a);
	ivset_init(&b);
	ivset_init(&r);
	ivset_add_plain(&a, 0, 10);
	ivset_add_plain(&a, 20, 30);
	ivset_add_plain(&a, 40, 50);
	ivset_add_plain(&b, 5, 22);
	ivset_add_plain(&b, 25, 27);
	ivset_add_plain(&b, 45, 60);

	ivset_union(&r, &a, &b);
	static const int64_t u[] = { 0, 30, 40, 60 };
	expect_set(&r, 2, u);

	ivset_subtract(&r, &a, &b);
	static const int64_t d[] = { 0, 5, 22, 25, 27, 30, 40, 45 };
	expect_set(&r, 4, d);

	ivset_intersect(&r, &a, &b);
	static const int64_t x[] = { 5, 10, 20, 22, 25, 27, 45, 50 };
	expect_set(&r, 4, x);
	assert_int_equal(ivset_inter_total(&a, &b), 5 + 2 + 2 + 5);

	ivset_complement(&r, &a, -5, 45);
	static const int64_t c[] = { -5, 0, 10, 20, 30, 40 };
	expect_set(&r, 3, c);

	assert_int_equal(ivset_overlap(&a, 5, 45), 5 + 10 + 5);
	assert_int_equal(ivset_overlap(&a, 10, 20), 0);
	assert_int_equal(ivset_overlap(&a, 100, 200), 0);

	/* b covers a whole interval of a: nothing left of it. */
	ivset_clear(&b);
	ivset_add_plain(&b, 15, 35);
	ivset_subtract(&r, &a, &b);
	static const int64_t d2[] = { 0, 10, 40, 50 };
	expect_set(&r, 2, d2);

	ivset_free(&a);
	ivset_free(&b);
	ivset_free(&r);
}

/* Seeded xorshift, so a failure can be replayed. */
static uint64_t rng = 88172645463325252ULL;
static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
random_set(struct ivset *s, int n)
{
	ivset_clear(s);
	for (int i = 0; i < n; i++) {
		int64_t a = (int64_t)(rnd() % 1000);
		ivset_add_plain(s, a, a + (int64_t)(rnd() % 80));
	}
}

/* Length by brute force over the unit cells of [0, 1100). */
static int cell_a[1100], cell_b[1100];
static void
cells(const struct ivset *s, int *c)
{
	memset(c, 0, sizeof(int) * 1100);
	for (size_t i = 0; i < s->n; i++)
		for (int64_t t = s->v[i].start; t < s->v[i].end; t++)
			c[t] = 1;
}

static void
test_properties(void **state)
{
	struct ivset a, b, r, r2;
	ivset_init(&a);
	ivset_init(&b);
	ivset_init(&r);
	ivset_init(&r2);
	for (int round = 0; round < 500; round++) {
		random_set(&a, (int)(rnd() % 30));
		random_set(&b, (int)(rnd() % 30));
		cells(&a, cell_a);	/* before: the raw records */
		ivset_normalize(&a);
		ivset_normalize(&b);
		assert_true(ivset_is_normalized(&a));
		/* Merging twice changes nothing. */
		ivset_copy(&r, &a);
		ivset_normalize(&r);
		assert_int_equal(r.n, a.n);
		for (size_t i = 0; i < a.n; i++) {
			assert_int_equal(r.v[i].start, a.v[i].start);
			assert_int_equal(r.v[i].end, a.v[i].end);
		}
		/* Normalizing keeps the covered time. */
		cells(&a, cell_b);
		assert_memory_equal(cell_a, cell_b, sizeof(cell_a));

		cells(&a, cell_a);
		cells(&b, cell_b);
		int64_t na = 0, nb = 0, nab = 0, nu = 0;
		for (int t = 0; t < 1100; t++) {
			na += cell_a[t];
			nb += cell_b[t];
			nab += cell_a[t] && cell_b[t];
			nu += cell_a[t] || cell_b[t];
		}
		assert_int_equal(ivset_total(&a), na);
		ivset_union(&r, &a, &b);
		assert_true(ivset_is_normalized(&r));
		assert_int_equal(ivset_total(&r), nu);
		ivset_intersect(&r, &a, &b);
		assert_true(ivset_is_normalized(&r));
		assert_int_equal(ivset_total(&r), nab);
		assert_int_equal(ivset_inter_total(&a, &b), nab);
		ivset_subtract(&r, &a, &b);
		assert_true(ivset_is_normalized(&r));
		assert_int_equal(ivset_total(&r), na - nab);
		/* (a ∖ b) ∪ (a ∩ b) = a */
		ivset_intersect(&r2, &a, &b);
		ivset_union_into(&r, &r2);
		assert_int_equal(r.n, a.n);
		for (size_t i = 0; i < a.n; i++) {
			assert_int_equal(r.v[i].start, a.v[i].start);
			assert_int_equal(r.v[i].end, a.v[i].end);
		}
		ivset_complement(&r, &a, 0, 1100);
		assert_int_equal(ivset_total(&r) + na, 1100);
		int64_t lo = (int64_t)(rnd() % 1100), hi = lo +
		    (int64_t)(rnd() % 300);
		int64_t n = 0;
		for (int64_t t = lo; t < hi && t < 1100; t++)
			n += cell_a[t];
		assert_int_equal(ivset_overlap(&a, lo, hi), n);
	}
	ivset_free(&a);
	ivset_free(&b);
	ivset_free(&r);
	ivset_free(&r2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_properties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
