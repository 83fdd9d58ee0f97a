/*
 * test_bad_corpus.c - every hostile case of tests/bad/ is read and must
 * produce the diagnostics its `expect` file lists.
 *
 * tests/bad/NN-name/ holds only the files that differ from
 * tests/good/minimal/. Besides them:
 *   expect   lines that must appear (substring) in diag_print's output;
 *            a line "exit: 0" means the case must be read without error,
 *            otherwise at least one error is required
 *   remove   case-relative paths to delete from the copy
 *   links    "path target" lines: symbolic links made at run time
 * A few cases whose files would be huge are generated here (see
 * generate()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "read_helpers.h"

#define BAD_DIR "tests/bad"

static int
is_meta(const char *name)
{
	return !strcmp(name, "expect") || !strcmp(name, "remove") ||
	    !strcmp(name, "links");
}

/* Copy the overriding files of a bad case over the minimal copy. */
static void
overlay(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *de;
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    is_meta(de->d_name))
			continue;
		char *a = xasprintf("%s/%s", from, de->d_name);
		char *b = xasprintf("%s/%s", to, de->d_name);
		if (path_is_dir_(a)) {
			mkdir(b, 0755);
			overlay(a, b);
		} else
			th_copytree(a, b);
		free(a);
		free(b);
	}
	closedir(d);
}

static char *
slurp_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t cap = 0;
	if (f == NULL)
		return NULL;
	ssize_t n = getdelim(&s, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(s);
		return xstrdup("");
	}
	return s;
}

/* Apply the remove and links files. */
static void
apply_meta(const char *bad, const char *dir)
{
	char *p = xasprintf("%s/remove", bad);
	char *text = slurp_text(p), *save, *line;
	free(p);
	if (text) {
		for (line = strtok_r(text, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save)) {
			char *q = xasprintf("%s/%s", dir, line);
			th_rmtree(q);
			free(q);
		}
		free(text);
	}
	p = xasprintf("%s/links", bad);
	text = slurp_text(p);
	free(p);
	if (text) {
		for (line = strtok_r(text, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(line, ' ');
			if (!sp)
				continue;
			*sp = '\0';
			char *q = xasprintf("%s/%s", dir, line);
			unlink(q);
			assert_int_equal(symlink(sp + 1, q), 0);
			free(q);
		}
		free(text);
	}
}

/* Cases too big to commit. */
static void
generate(const char *name, const char *dir)
{
	if (strstr(name, "field-too-long")) {
		struct buf b;
		buf_init(&b);
		buf_adds(&b, "complaint_id,received,customer_id,customer_name,"
		    "email,services,contract,prepaid_eur,prepaid_until,summary,"
		    "statement,exhibits\n"
		    "R-1,2005-04-14,C001,Jean Dupont,jean@example.org,web,,,,"
		    "ok,ok,exhibits/capture.png\n"
		    "R-2,2005-04-15,C002,Marie Curie,marie@example.org,mail,,,,"
		    "big,\"");
		for (int i = 0; i < 10 * 1024 * 1024 / 64; i++)
			buf_adds(&b, "Une très longue déclaration, encore et "
			    "encore, sans fin.\n");
		buf_adds(&b, "\",exhibits/mail-0001.txt\n");
		th_write(dir, "complaints.csv", b.data, b.len);
		buf_free(&b);
	} else if (strstr(name, "csv-long-line")) {
		/* Every field under 1 MiB, the line over 4 MiB. */
		struct buf b;
		buf_init(&b);
		buf_adds(&b, "complaint_id,received,customer_id,customer_name,"
		    "email,services,contract,prepaid_eur,prepaid_until,summary,"
		    "statement,exhibits\n"
		    "R-1,2005-04-14,C001,Jean Dupont,jean@example.org,web,,,,"
		    "ok,ok,exhibits/capture.png\n"
		    "R-2,2005-04-15,C002,");
		for (int f = 0; f < 5; f++) {
			for (int i = 0; i < 1000000 / 50; i++)
				buf_adds(&b, "Une ligne sans fin, encore et encore"
				    " et encore..");
			buf_adds(&b, f == 0 ? ",marie@example.org,mail," : ",");
		}
		buf_adds(&b, "ok,exhibits/mail-0001.txt\n");
		th_write(dir, "complaints.csv", b.data, b.len);
		buf_free(&b);
	} else if (strstr(name, "ini-long-line")) {
		struct buf b;
		buf_init(&b);
		char *p = xasprintf("%s/case.ini", dir);
		char *ini = slurp_text(p);
		free(p);
		buf_adds(&b, ini);
		free(ini);
		buf_adds(&b, "; ");
		for (int i = 0; i < 70000 / 10; i++)
			buf_adds(&b, "0123456789");
		buf_adds(&b, "\n");
		th_write(dir, "case.ini", b.data, b.len);
		buf_free(&b);
	} else if (strstr(name, "line-too-long")) {
		struct buf b;
		buf_init(&b);
		buf_adds(&b, "[1113267601] INITIAL HOST STATE: web1.example.fr;"
		    "UP;HARD;1;PING OK\n[1113267602] SERVICE ALERT: "
		    "web1.example.fr;HTTP;OK;HARD;1;");
		for (int i = 0; i < 5 * 1024 * 1024 / 16; i++)
			buf_adds(&b, "0123456789abcdef");
		buf_adds(&b, "\n");
		th_write(dir, "outages/nagios.log", b.data, b.len);
		buf_free(&b);
	} else if (strstr(name, "pdf-too-many-pages")) {
		/* 2,001 empty pages, one over the limit. */
		enum { NP = 2001 };
		struct buf b;
		long *off = xcalloc(NP + 3, sizeof(long));
		buf_init(&b);
		buf_adds(&b, "%PDF-1.4\n");
		off[1] = (long)b.len;
		buf_adds(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
		    "endobj\n");
		off[2] = (long)b.len;
		buf_adds(&b, "2 0 obj\n<< /Type /Pages /Count 2001 /Kids [");
		for (int i = 0; i < NP; i++)
			buf_printf(&b, " %d 0 R", i + 3);
		buf_adds(&b, " ] >>\nendobj\n");
		for (int i = 0; i < NP; i++) {
			off[i + 3] = (long)b.len;
			buf_printf(&b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R "
			    "/MediaBox [0 0 200 200] >>\nendobj\n", i + 3);
		}
		long x = (long)b.len;
		buf_printf(&b, "xref\n0 %d\n0000000000 65535 f \n", NP + 3);
		for (int i = 1; i < NP + 3; i++)
			buf_printf(&b, "%010ld 00000 n \n", off[i]);
		buf_printf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\n"
		    "startxref\n%ld\n%%%%EOF\n", NP + 3, x);
		th_write(dir, "exhibits/doc.pdf", b.data, b.len);
		buf_free(&b);
		free(off);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one bad case; returns the number of failed expectations. */
static int
run_case(const char *name)
{
	char *bad = xasprintf("%s/%s", BAD_DIR, name);
	char *dir = th_case_copy();
	struct case_model m;
	struct diag_list dl;
	char *out;
	int failures = 0, want_ok = 0;

	overlay(bad, dir);
	apply_meta(bad, dir);
	generate(name, dir);
	int rc = th_read(dir, &m, &dl, &out);

	char *p = xasprintf("%s/expect", bad);
	char *expect = slurp_text(p), *save, *line;
	free(p);
	if (expect == NULL) {
		fprintf(stderr, "%s: no expect file\n", name);
		failures++;
	} else {
		for (line = strtok_r(expect, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save)) {
			if (strcmp(line, "exit: 0") == 0) {
				want_ok = 1;
				continue;
			}
			if (strstr(out, line) == NULL) {
				fprintf(stderr, "%s: missing: %s\n", name, line);
				failures++;
			}
		}
		free(expect);
	}
	if (want_ok && (rc != 0 || dl.errors > 0)) {
		fprintf(stderr, "%s: expected to be accepted, got %zu "
		    "error(s)\n", name, dl.errors);
		failures++;
	}
	if (!want_ok && rc == 0 && dl.errors == 0) {
		fprintf(stderr, "%s: expected to be rejected, got no error\n",
		    name);
		failures++;
	}
	if (failures || getenv("SHOW_DIAGS"))
		fprintf(stderr, "--- %s diagnostics:\n%s---\n", name, out);
	free(out);
	model_free(&m);
	diag_free(&dl);
	th_case_remove(dir);
	free(bad);
	return failures;
}

static void
test_bad_corpus(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int failures = 0;
	(void)state;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			names = xreallocarray(names, n + 1, sizeof(char *));
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_str);
	assert_true(n >= 40);
	for (size_t i = 0; i < n; i++) {
		failures += run_case(names[i]);
		free(names[i]);
	}
	free(names);
	fprintf(stderr, "%zu bad cases, %d failed expectation(s)\n", n,
	    failures);
	assert_int_equal(failures, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
