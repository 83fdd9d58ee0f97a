/*
 * test_acmatch.c - the multi-pattern matcher (util/acmatch.c): every
 * occurrence found, however patterns overlap, nest or repeat, checked
 * against trying each pattern at each offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/acmatch.h"
#include "util/xalloc.h"

/* Occurrences as "id@end" words, in the order reported. */
struct found {
	char text[4096];
	int stop_after;		/* stop after this many, 0: never */
	int n;
};

static int
record(int id, size_t end, void *arg)
{
	struct found *f = arg;
	size_t len = strlen(f->text);
	snprintf(f->text + len, sizeof(f->text) - len, "%s%d@%zu",
	    len ? " " : "", id, end);
	f->n++;
	return f->stop_after && f->n >= f->stop_after ? 7 : 0;
}

static struct acmatch *
make(const char *const *pats, size_t n)
{
	struct acmatch *a = acm_new();
	for (size_t i = 0; i < n; i++)
		assert_int_equal(acm_add(a, pats[i], strlen(pats[i])), (int)i);
	acm_build(a);
	return a;
}

static const char *
scan(const struct acmatch *a, const char *text, struct found *f)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(acm_scan(a, text, strlen(text), record, f), 0);
	return f->text;
}

/* Overlapping occurrences of one pattern are all reported. */
static void
overlapping(void **state)
{
	const char *p[] = { "aa" };
	struct acmatch *a = make(p, 1);
	struct found f;
	assert_string_equal(scan(a, "aaaa", &f), "0@2 0@3 0@4");
	assert_string_equal(scan(a, "a", &f), "");
	assert_string_equal(scan(a, "", &f), "");
	acm_free(a);
}

/* Patterns that are prefixes or suffixes of others; at one end, the
 * longest first. */
static void
prefixes_and_suffixes(void **state)
{
	const char *p[] = { "ab", "abc", "abcd", "c", "bc", "bcd", "x" };
	struct acmatch *a = make(p, 7);
	struct found f;
	assert_string_equal(scan(a, "abcd", &f), "0@2 1@3 4@3 3@3 2@4 5@4");
	/* A failed long match falls back to a suffix that goes on. */
	assert_string_equal(scan(a, "abcx", &f), "0@2 1@3 4@3 3@3 6@4");
	assert_string_equal(scan(a, "ababcbcd", &f),
	    "0@2 0@4 1@5 4@5 3@5 4@7 3@7 5@8");
	acm_free(a);
}

/* Accented letters are bytes like the others: "é" (C3 A9) is not "e",
 * and a pattern cut in the middle of a character still matches bytes. */
static void
accents(void **state)
{
	const char *p[] = { "rivière", "riviere", "\xC3", "è" };
	struct acmatch *a = make(p, 4);
	struct found f;
	assert_string_equal(scan(a, "Jean rivière", &f), "2@10 3@11 0@13");
	assert_string_equal(scan(a, "Jean riviere", &f), "1@12");
	assert_string_equal(scan(a, "RIVIÈRE", &f), "2@5");	/* no folding */
	acm_free(a);
}

/* An empty pattern has an id but never matches; equal patterns are
 * both reported, the lower id first. */
static void
empty_and_duplicates(void **state)
{
	const char *p[] = { "", "dup", "dup", "u", "" };
	struct acmatch *a = make(p, 5);
	struct found f;
	assert_string_equal(scan(a, "a dup", &f), "3@4 1@5 2@5");
	assert_string_equal(scan(a, "", &f), "");
	acm_free(a);
	/* No pattern at all. */
	struct acmatch *none = make(NULL, 0);
	assert_string_equal(scan(none, "anything", &f), "");
	acm_free(none);
}

/* The callback stops the scan; its value is returned. */
static void
stops_early(void **state)
{
	const char *p[] = { "a" };
	struct acmatch *a = make(p, 1);
	struct found f;
	memset(&f, 0, sizeof(f));
	f.stop_after = 2;
	assert_int_equal(acm_scan(a, "aaaa", 4, record, &f), 7);
	assert_string_equal(f.text, "0@1 0@2");
	acm_free(a);
}

/* Bytes above 0x7F, NUL inside a text given by length, spaces. */
static void
any_byte(void **state)
{
	const char *p[] = { "\xFF\xFE", " b" };
	struct acmatch *a = make(p, 2);
	struct found f;
	memset(&f, 0, sizeof(f));
	assert_int_equal(acm_scan(a, "\xFF\xFF\xFE\0 b", 6, record, &f), 0);
	assert_string_equal(f.text, "0@3 1@6");
	acm_free(a);
}

/* Many random patterns and texts over a small alphabet (so that they
 * overlap a lot): the same occurrences as trying every pattern at every
 * end offset, in the same order for a given end (longest first, then
 * id). */
static void
random_against_naive(void **state)
{
	static const char alpha[] = "ab\xC3\xA9 ";
	unsigned seed = 12345;
	for (int round = 0; round < 200; round++) {
		char pats[40][8];
		size_t npat = 1 + (size_t)(round % 40);
		struct acmatch *a = acm_new();
		for (size_t i = 0; i < npat; i++) {
			seed = seed * 1103515245u + 12345u;
			size_t len = (seed >> 16) % 6;	/* some empty */
			for (size_t k = 0; k < len; k++) {
				seed = seed * 1103515245u + 12345u;
				pats[i][k] = alpha[(seed >> 16) % 5];
			}
			pats[i][len] = '\0';
			acm_add(a, pats[i], len);
		}
		acm_build(a);
		char text[64];
		size_t tlen = (size_t)(round % 60);
		for (size_t k = 0; k < tlen; k++) {
			seed = seed * 1103515245u + 12345u;
			text[k] = alpha[(seed >> 16) % 5];
		}
		text[tlen] = '\0';
		struct found got, want;
		memset(&got, 0, sizeof(got));
		memset(&want, 0, sizeof(want));
		acm_scan(a, text, tlen, record, &got);
		for (size_t end = 1; end <= tlen; end++)
			for (size_t len = 6; len > 0; len--)
				for (size_t i = 0; i < npat; i++)
					if (strlen(pats[i]) == len &&
					    len <= end && memcmp(text + end -
					    len, pats[i], len) == 0)
						record((int)i, end, &want);
		assert_string_equal(got.text, want.text);
		acm_free(a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overlapping),
		cmocka_unit_test(prefixes_and_suffixes),
		cmocka_unit_test(accents),
		cmocka_unit_test(empty_and_duplicates),
		cmocka_unit_test(stops_early),
		cmocka_unit_test(any_byte),
		cmocka_unit_test(random_against_naive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
