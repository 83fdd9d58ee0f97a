/*
 * path.h - exhibit paths that cannot escape the case folder.
 */
#ifndef DOSSIER_PATH_H
#define DOSSIER_PATH_H

/*
 * Resolve rel (a path written in a CSV, relative to the case folder root)
 * and make sure it names a regular file inside the case folder: not
 * absolute, no ".." component, no symlink leading out, present.
 * Returns a malloc'd absolute path, or NULL with *why set to a static
 * message.
 */
char *path_in_case(const char *case_root, const char *rel, const char **why);

/* Join two path parts with one '/'. Caller frees. */
char *path_join(const char *a, const char *b);

/* 1 if path names an existing directory. */
int path_is_dir(const char *path);

/* mkdir -p: create path and its parents. 0, or -1 with errno. */
int path_mkdirs(const char *path);

#endif
