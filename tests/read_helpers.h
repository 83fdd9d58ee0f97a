/*
 * read_helpers.h - shared by the read-stage tests: temporary case
 * folders, file writing, and running read_case into a string.
 * Header-only (static functions) because each test is one program.
 */
#ifndef DOSSIER_TEST_READ_HELPERS_H
#define DOSSIER_TEST_READ_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "read/read.h"
#include "util/diag.h"
#include "util/xalloc.h"

#ifndef GOOD_MINIMAL
#define GOOD_MINIMAL "tests/good/minimal"
#endif

/* Remove a tree (files, symlinks, folders). */
static inline void
th_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		if (d) {
			while ((de = readdir(d)) != NULL) {
				if (!strcmp(de->d_name, ".") ||
				    !strcmp(de->d_name, ".."))
					continue;
				char *sub = xasprintf("%s/%s", path, de->d_name);
				th_rmtree(sub);
				free(sub);
			}
			closedir(d);
		}
		chmod(path, 0700);
		rmdir(path);
	} else
		unlink(path);
}

static inline int
path_is_dir_(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Copy a tree (regular files and folders; symlinks are re-created). */
static inline int
th_copytree(const char *from, const char *to)
{
	struct stat st;
	if (lstat(from, &st) != 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		mkdir(to, 0755);
		DIR *d = opendir(from);
		struct dirent *de;
		if (d == NULL)
			return -1;
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *a = xasprintf("%s/%s", from, de->d_name);
			char *b = xasprintf("%s/%s", to, de->d_name);
			th_copytree(a, b);
			free(a);
			free(b);
		}
		closedir(d);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(from, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = '\0';
		unlink(to);
		return symlink(target, to);
	}
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t k;
	if (!in || !out) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return -1;
	}
	while ((k = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, k, out);
	fclose(in);
	fclose(out);
	return 0;
}

/* A fresh copy of the minimal good case under /tmp; caller rmtree+free. */
static inline char *
th_case_copy(void)
{
	char tmpl[] = "/tmp/dossier-test-XXXXXX";
	if (mkdtemp(tmpl) == NULL)
		return NULL;
	char *dir = xasprintf("%s/case", tmpl);
	th_copytree(GOOD_MINIMAL, dir);
	return dir;
}

static inline void
th_case_remove(char *dir)
{
	char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	th_rmtree(parent);
	free(parent);
	free(dir);
}

static inline void
th_write(const char *dir, const char *rel, const void *data, size_t n)
{
	char *p = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(p, "wb");
	if (f) {
		fwrite(data, 1, n, f);
		fclose(f);
	}
	free(p);
}

static inline void
th_write_str(const char *dir, const char *rel, const char *s)
{
	th_write(dir, rel, s, strlen(s));
}

/* Run read_case on dir; returns its result, diagnostics in *out. */
static inline int
th_read(const char *dir, struct case_model *m, struct diag_list *dl,
    char **out)
{
	struct read_limits lim;
	char *text = NULL;
	size_t len = 0;

	read_limits_default(&lim);
	model_init(m);
	diag_init(dl);
	int rc = read_case(dir, &lim, m, dl);
	diag_sort(dl);
	FILE *f = open_memstream(&text, &len);
	diag_print(dl, f);
	fclose(f);
	*out = text;
	return rc;
}

/* Count the diagnostics of a severity. */
static inline size_t
th_count(const struct diag_list *dl, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < dl->len; i++)
		if (dl->items[i].severity == sev)
			n++;
	return n;
}

#endif
