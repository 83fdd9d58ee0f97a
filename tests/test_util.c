/* test_util.c - UTF-8, time parsing, paths, SHA-256, diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/fmtnum.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/strpool.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void
utf8_accepts_and_rejects(void **state)
{
	size_t off;
	const char *fr = "disponibilité « 99,9 % » €";
	assert_true(utf8_valid(fr, strlen(fr), NULL));
	assert_false(utf8_valid(fr, strlen(fr) - 1, &off));	/* cut in € */
	assert_false(utf8_valid("ab\xC3(", 4, &off));
	assert_int_equal(off, 2);
	assert_false(utf8_valid("\xC0\xAF", 2, &off));	/* overlong '/' */
	assert_false(utf8_valid("\xED\xA0\x80", 3, &off));	/* surrogate */
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4, &off));	/* > U+10FFFF */
	assert_false(utf8_valid("a\0b", 3, &off));	/* NUL */
	assert_int_equal(off, 1);
	assert_false(utf8_valid("\xE2\x82", 2, &off));	/* truncated */
	/* Past the eight-bytes-at-a-time ASCII path, offsets stay exact. */
	const char *lng = "0123456789abcdefghij\xC3\xA9klmnopqrstuvwxyz";
	assert_true(utf8_valid(lng, strlen(lng), NULL));
	assert_false(utf8_valid("0123456789abcdef\0ghij", 21, &off));
	assert_int_equal(off, 16);
	assert_false(utf8_valid("0123456789abcdefg\xC3(", 19, &off));
	assert_int_equal(off, 17);
	assert_false(utf8_valid("0123456789abcdefghijklm\xFF", 24, &off));
	assert_int_equal(off, 23);
	uint32_t cp;
	assert_int_equal(utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	char out[4];
	assert_int_equal(utf8_encode(0x202F, out), 3);
	assert_memory_equal(out, "\xE2\x80\xAF", 3);
	assert_int_equal(utf8_length("été"), 3);
}

static void
time_parses_iso_forms(void **state)
{
	int64_t t;
	const char *why;
	assert_int_equal(tz_use("Europe/Paris"), 0);
	assert_int_equal(time_parse("2005-04-12T00:00:00+02:00", &t, &why), 0);
	assert_int_equal(t, 1113256800);
	assert_int_equal(time_parse("2005-04-12T00:00:00Z", &t, &why), 0);
	assert_int_equal(t, 1113264000);
	assert_int_equal(time_parse("2005-04-11T22:00:00.250Z", &t, &why), 0);
	assert_int_equal(t, 1113256800);
	/* Local times follow the zone's DST: CEST in April, CET in January. */
	assert_int_equal(time_parse("2005-04-12 00:00", &t, &why), 0);
	assert_int_equal(t, 1113256800);
	assert_int_equal(time_parse("2005-01-12", &t, &why), 0);
	assert_int_equal(t, 1105484400);
	assert_int_equal(time_parse("2005-04-12T10:00-0500", &t, &why), 0);
	assert_int_equal(t, 1113318000);
	/* 2005-03-27 02:30 did not exist in Paris. */
	assert_int_equal(time_parse("2005-03-27 02:30", &t, &why), -1);
	assert_non_null(strstr(why, "does not exist"));
	assert_int_equal(time_parse("2005-02-29", &t, &why), -1);
	assert_int_equal(time_parse("12/04/2005", &t, &why), -1);
	assert_int_equal(time_parse("1969-12-31", &t, &why), -1);
	assert_non_null(strstr(why, "range"));
	assert_int_equal(time_parse("2005-04-12T25:00", &t, &why), -1);
	assert_int_equal(time_parse("2005-04-12 garbage", &t, &why), -1);
	assert_int_equal(time_parse("", &t, &why), -1);
	assert_int_equal(time_parse_offset("2005-04-12", &t, &why), -1);
	assert_int_equal(tz_use("Europe/Atlantis"), -1);
	assert_int_equal(tz_use("../etc/passwd"), -1);
	char buf[40];
	time_format_iso(1113256800, buf, sizeof(buf));
	assert_string_equal(buf, "2005-04-12T00:00:00+02:00");
}

static void
paths_stay_in_case(void **state)
{
	char dir[] = "/tmp/dossier-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *sub = path_join(dir, "exhibits");
	char *file = path_join(sub, "a.txt");
	char *link = path_join(sub, "out.txt");
	assert_int_equal(mkdir(sub, 0755), 0);
	FILE *f = fopen(file, "w");
	fputs("x\n", f);
	fclose(f);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	const char *why;
	char *p = path_in_case(dir, "exhibits/a.txt", &why);
	assert_non_null(p);
	free(p);
	assert_null(path_in_case(dir, "../x", &why));
	assert_non_null(strstr(why, "outside"));
	assert_null(path_in_case(dir, "exhibits/../../etc/passwd", &why));
	assert_null(path_in_case(dir, "/etc/passwd", &why));
	assert_non_null(strstr(why, "absolute"));
	assert_null(path_in_case(dir, "exhibits/out.txt", &why));
	assert_non_null(strstr(why, "symbolic link"));
	assert_null(path_in_case(dir, "exhibits/missing.txt", &why));
	assert_non_null(strstr(why, "not found"));
	assert_null(path_in_case(dir, "exhibits", &why));
	unlink(link);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
	free(sub);
	free(file);
	free(link);
}

static void
sha256_known_vectors(void **state)
{
	char hex[65];
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	char path[] = "/tmp/dossier-sha-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc\nde", 6), 6);
	close(fd);
	long long size;
	long lines;
	assert_int_equal(sha256_file(path, hex, &size, &lines), 0);
	assert_int_equal(size, 6);
	assert_int_equal(lines, 2);
	unlink(path);
	assert_int_equal(sha256_file("/nonexistent/x", hex, NULL, NULL), -1);
}

/* Write text to a new temporary file; its name in path. */
static void
temp_file(char *path, const char *text, size_t len)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* The line index agrees with the line count and with getline(). */
static void
sha256_line_index(void **state)
{
	char hex[65], hex2[65];
	long long size, *starts;
	long lines;

	/* Empty file: no line. */
	char empty[] = "/tmp/dossier-sha-XXXXXX";
	temp_file(empty, "", 0);
	assert_int_equal(sha256_file_index(empty, hex, &size, &lines,
	    &starts), 0);
	assert_int_equal(lines, 0);
	assert_null(starts);
	unlink(empty);

	/* Blank lines, CRLF, a last line without newline. */
	char small[] = "/tmp/dossier-sha-XXXXXX";
	temp_file(small, "a\r\n\nbc\nd", 9);
	assert_int_equal(sha256_file_index(small, hex, &size, &lines,
	    &starts), 0);
	assert_int_equal(lines, 4);
	assert_int_equal(starts[0], 0);
	assert_int_equal(starts[1], 3);
	assert_int_equal(starts[2], 4);
	assert_int_equal(starts[3], 7);
	free(starts);
	unlink(small);

	/* Lines across the 64 KiB blocks the file is read in, the last
	 * one ending with the file's last byte. */
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "line %d\n", i);
	char big[] = "/tmp/dossier-sha-XXXXXX";
	temp_file(big, b.data, b.len);
	assert_int_equal(sha256_file_index(big, hex, &size, &lines,
	    &starts), 0);
	assert_int_equal(sha256_file(big, hex2, NULL, NULL), 0);
	assert_string_equal(hex, hex2);
	assert_int_equal(size, (long long)b.len);
	assert_int_equal(lines, 20000);
	FILE *f = fopen(big, "r");
	char *line = NULL;
	size_t cap = 0;
	long long at = 0;
	for (long i = 0; i < lines; i++) {
		assert_int_equal(starts[i], at);
		at += getline(&line, &cap, f);
	}
	assert_int_equal(getline(&line, &cap, f), -1);
	free(line);
	fclose(f);
	free(starts);
	buf_free(&b);
	unlink(big);

	assert_int_equal(sha256_file_index("/nonexistent/x", hex, NULL,
	    &lines, &starts), -1);
	assert_null(starts);
}

static void
diagnostics_sorted_and_printed(void **state)
{
	struct diag_list dl;
	diag_init(&dl);
	diag_error(&dl, "b.csv", 3, "when", "bad date");
	diag_warn(&dl, "a.csv", 9, NULL, "odd");
	diag_error(&dl, "b.csv", 1, "id", "first");
	diag_error(&dl, "b.csv", 3, "title", "second on line 3");
	diag_sort(&dl);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diag_print(&dl, f);
	fclose(f);
	assert_string_equal(text,
	    "a.csv:9: warning: odd\n"
	    "b.csv:1:id: error: first\n"
	    "b.csv:3:when: error: bad date\n"
	    "b.csv:3:title: error: second on line 3\n");
	assert_int_equal(dl.errors, 3);
	assert_int_equal(diag_errors_in(&dl, "b.csv"), 3);
	diag_count(&dl, "b.csv")->read = 4;
	assert_int_equal(diag_count(&dl, "b.csv")->read, 4);
	free(text);
	diag_free(&dl);
}

static void
buffers_grow(void **state)
{
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	char *s = buf_take(&b);
	assert_true(strncmp(s, "0,1,2,", 6) == 0);
	free(s);
	assert_null(b.data);
}

/* fmt_fixed2 and printf's "%.2f" agree on v; fails naming v. */
static void
check_fixed2(double v)
{
	char want[FMT_FIXED2_MAX], got[FMT_FIXED2_MAX];
	int wn = snprintf(want, sizeof(want), "%.2f", v);
	size_t gn = fmt_fixed2(got, v);
	if ((size_t)wn != gn || strcmp(want, got) != 0)
		fail_msg("fmt_fixed2(%a) = \"%s\", printf says \"%s\"", v,
		    got, want);
}

static void
fixed2_matches_printf(void **state)
{
	(void)state;
	static const double special[] = { 0.0, -0.0, 0.001, -0.001, 0.004999,
		-0.004999, 0.005, -0.005, 0.015, 0.125, 0.375, -0.125, 1.005,
		2.675, 1e-300, -1e-300, 595.275, 841.89, 99.995, 1e15, -1e15,
		0x1p48, 0x1p50 / 100, 0x1p50 / 100 + 1, 1e20, -1e300,
		1.7976931348623157e308, 5e-324, INFINITY, -INFINITY, NAN };
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		check_fixed2(special[i]);
		check_fixed2(nextafter(special[i], INFINITY));
		check_fixed2(nextafter(special[i], -INFINITY));
	}
	/* Every tie and near-tie x.xx5 up to 100,000, both signs: where
	 * the decimal digit after the second is a 5, the binary value is
	 * just above or below it (or on it, for 0.125 and friends). */
	for (long k = 0; k < 2000000; k += 10) {
		double v = (double)(k + 5) / 1000.0;
		check_fixed2(v);
		check_fixed2(-v);
		check_fixed2(nextafter(v, 0));
		check_fixed2(nextafter(v, INFINITY));
	}
	/* Random values over many magnitudes (a fixed seed: the same
	 * values every run). */
	uint64_t x = 0x9E3779B97F4A7C15u;
	for (int i = 0; i < 300000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double mant = (double)(x >> 11) / 0x1p53;
		int e = (int)(x % 64) - 20;
		double v = ldexp(mant, e) * ((x >> 8) & 1 ? -1 : 1);
		check_fixed2(v);
		/* Page coordinates: two decimals' worth of float steps. */
		check_fixed2((double)(float)(v * 1000.0) / 1000.0);
	}
}

/*
 * A pool keeps every string where it put it, whole and NUL-terminated,
 * across blocks, strings larger than a block and an adoption; a string
 * larger than a block leaves the current block current.
 */
static void
strpool_keeps_strings(void **state)
{
	(void)state;
	struct strpool a, b;
	strpool_init(&a, 64);
	strpool_init(&b, 64);
	assert_true(strpool_empty(&a));
	char *big = xmalloc(1000);
	memset(big, 'x', 999);
	big[999] = '\0';
	char *s[300], *t[300];
	char want[32];
	for (int i = 0; i < 300; i++) {
		snprintf(want, sizeof want, "a%d", i);
		s[i] = i == 150 ? strpool_dup(&a, big) : strpool_dup(&a, want);
		snprintf(want, sizeof want, "b%d;", i);
		/* not NUL-terminated at n: only n bytes are copied */
		t[i] = strpool_dupn(&b, want, strlen(want) - 1);
	}
	assert_false(strpool_empty(&a));
	/* the string after the big one went into the block before it */
	assert_ptr_equal(s[151], s[149] + strlen(s[149]) + 1);
	strpool_adopt(&a, &b);
	assert_true(strpool_empty(&b));
	for (int i = 0; i < 300; i++) {
		snprintf(want, sizeof want, "a%d", i);
		assert_string_equal(s[i], i == 150 ? big : want);
		snprintf(want, sizeof want, "b%d", i);
		assert_string_equal(t[i], want);
	}
	/* adopting into an empty pool, then from an empty one */
	struct strpool c = { 0 };
	strpool_adopt(&c, &a);
	strpool_adopt(&c, &b);
	assert_string_equal(s[0], "a0");
	assert_string_equal(t[299], "b299");
	strpool_free(&c);
	assert_true(strpool_empty(&c));
	strpool_free(&a);
	strpool_free(&b);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_accepts_and_rejects),
		cmocka_unit_test(time_parses_iso_forms),
		cmocka_unit_test(paths_stay_in_case),
		cmocka_unit_test(sha256_known_vectors),
		cmocka_unit_test(sha256_line_index),
		cmocka_unit_test(diagnostics_sorted_and_printed),
		cmocka_unit_test(buffers_grow),
		cmocka_unit_test(strpool_keeps_strings),
		cmocka_unit_test(fixed2_matches_printf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
