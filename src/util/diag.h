/*
 * diag.h - collect every problem found in the input, not just the first.
 *
 * Readers never print and never stop at the first error: they append a
 * diagnostic (file, line, field, message) to a diag list and go on, so that
 * `dossier check` can show the user everything that is wrong in one run.
 * Per-file counters (records read, accepted, rejected) live here too, so
 * that every record is accounted for.
 */
#ifndef DOSSIER_DIAG_H
#define DOSSIER_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_severity {
	DIAG_ERROR,	/* the record (or the whole file) is rejected */
	DIAG_WARNING,	/* accepted, but the user should know */
	DIAG_NOTE	/* informational (e.g. skipped Nagios line kinds) */
};

struct diag {
	enum diag_severity severity;
	char *file;	/* path relative to the case folder */
	long line;	/* 1-based physical line, 0 when not tied to a line */
	char *field;	/* column or key name, NULL when not tied to a field */
	char *message;
};

/* Record counters for one input file. */
struct diag_count {
	char *file;
	long read;
	long accepted;
	long rejected;
	long skipped;	/* lines that are not records (comments, other log kinds) */
};

struct diag_list {
	struct diag *items;
	size_t len, cap;
	struct diag_count *counts;
	size_t ncounts, capcounts;
	size_t errors, warnings;
};

void diag_init(struct diag_list *dl);
void diag_free(struct diag_list *dl);

/* Append a diagnostic; fmt is printf-style. field may be NULL, line 0. */
void diag_add(struct diag_list *dl, enum diag_severity sev, const char *file,
    long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
#define diag_error(dl, file, line, field, ...) \
	diag_add((dl), DIAG_ERROR, (file), (line), (field), __VA_ARGS__)
#define diag_warn(dl, file, line, field, ...) \
	diag_add((dl), DIAG_WARNING, (file), (line), (field), __VA_ARGS__)

/* Move diagnostics [first, end) of from to the end of to, in order (the
 * record counters stay); from keeps empty entries, for diag_free. */
void diag_move(struct diag_list *to, struct diag_list *from, size_t first,
    size_t end);

/* The counter for a file, created on first use. */
struct diag_count *diag_count(struct diag_list *dl, const char *file);

/* Sort diagnostics by file, line (stable), so the output reads in order. */
void diag_sort(struct diag_list *dl);

/* Print "file:line:field: severity: message" lines. */
void diag_print(const struct diag_list *dl, FILE *out);

/* Number of errors reported against one file (any line). */
size_t diag_errors_in(const struct diag_list *dl, const char *file);

#endif
