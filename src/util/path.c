/* path.c - keeping exhibit references inside the case folder. */
#include "path.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *
path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	if (la > 0 && a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

int
path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
has_dotdot(const char *rel)
{
	const char *p = rel;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

char *
path_in_case(const char *case_root, const char *rel, const char **why)
{
	char root[PATH_MAX], real[PATH_MAX];
	struct stat st;

	if (rel[0] == '\0') {
		*why = "empty path";
		return NULL;
	}
	if (rel[0] == '/' || rel[0] == '\\' ||
	    (rel[0] && rel[1] == ':' && (rel[2] == '\\' || rel[2] == '/'))) {
		*why = "absolute path; give a path relative to the case folder";
		return NULL;
	}
	if (strchr(rel, '\\')) {
		*why = "backslash in path; use '/' between folders";
		return NULL;
	}
	if (has_dotdot(rel)) {
		*why = "path leads outside the case folder (\"..\")";
		return NULL;
	}
	char *full = path_join(case_root, rel);
	if (lstat(full, &st) != 0) {
		free(full);
		*why = "file not found in the case folder";
		return NULL;
	}
	if (realpath(case_root, root) == NULL || realpath(full, real) == NULL) {
		free(full);
		*why = "symbolic link leads nowhere";
		return NULL;
	}
	size_t lr = strlen(root);
	if (strncmp(root, real, lr) != 0 || (real[lr] != '/' && real[lr] != '\0')) {
		free(full);
		*why = "symbolic link leads outside the case folder";
		return NULL;
	}
	if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
		free(full);
		*why = "not a regular file";
		return NULL;
	}
	free(full);
	return xstrdup(real);
}

int
path_mkdirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *q = p + 1; *q && rc == 0; q++)
		if (*q == '/') {
			*q = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST)
				rc = -1;
			*q = '/';
		}
	if (rc == 0 && mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}
