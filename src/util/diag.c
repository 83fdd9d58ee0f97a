/* diag.c - the list of problems found in a case folder. */
#include "diag.h"
#include "progress.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
diag_init(struct diag_list *dl)
{
	memset(dl, 0, sizeof(*dl));
}

void
diag_free(struct diag_list *dl)
{
	for (size_t i = 0; i < dl->len; i++) {
		free(dl->items[i].file);
		free(dl->items[i].field);
		free(dl->items[i].message);
	}
	for (size_t i = 0; i < dl->ncounts; i++)
		free(dl->counts[i].file);
	free(dl->items);
	free(dl->counts);
	memset(dl, 0, sizeof(*dl));
}

void
diag_add(struct diag_list *dl, enum diag_severity sev, const char *file,
    long line, const char *field, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (dl->len == dl->cap) {
		dl->cap = dl->cap ? dl->cap * 2 : 16;
		dl->items = xreallocarray(dl->items, dl->cap, sizeof(*dl->items));
	}
	d = &dl->items[dl->len++];
	d->severity = sev;
	d->file = xstrdup(file ? file : "");
	d->line = line;
	d->field = field ? xstrdup(field) : NULL;
	va_start(ap, fmt);
	d->message = xvasprintf(fmt, ap);
	va_end(ap);
	if (sev == DIAG_ERROR)
		dl->errors++;
	else if (sev == DIAG_WARNING)
		dl->warnings++;
}

void
diag_move(struct diag_list *to, struct diag_list *from, size_t first,
    size_t end)
{
	if (end > from->len)
		end = from->len;
	for (size_t i = first; i < end; i++) {
		struct diag *d = &from->items[i];
		if (to->len == to->cap) {
			to->cap = to->cap ? to->cap * 2 : 16;
			to->items = xreallocarray(to->items, to->cap,
			    sizeof(*to->items));
		}
		to->items[to->len++] = *d;
		if (d->severity == DIAG_ERROR) {
			to->errors++;
			from->errors--;
		} else if (d->severity == DIAG_WARNING) {
			to->warnings++;
			from->warnings--;
		}
		d->file = d->field = d->message = NULL;
		d->severity = DIAG_NOTE;
	}
}

struct diag_count *
diag_count(struct diag_list *dl, const char *file)
{
	for (size_t i = 0; i < dl->ncounts; i++)
		if (strcmp(dl->counts[i].file, file) == 0)
			return &dl->counts[i];
	if (dl->ncounts == dl->capcounts) {
		dl->capcounts = dl->capcounts ? dl->capcounts * 2 : 8;
		dl->counts = xreallocarray(dl->counts, dl->capcounts,
		    sizeof(*dl->counts));
	}
	struct diag_count *c = &dl->counts[dl->ncounts++];
	memset(c, 0, sizeof(*c));
	c->file = xstrdup(file);
	return c;
}

/* Merge sort keeps the order of diagnostics reported for the same line. */
static int
diag_cmp(const struct diag *a, const struct diag *b)
{
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

static void
merge_sort(struct diag *v, struct diag *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	merge_sort(v, tmp, h);
	merge_sort(v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = diag_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

void
diag_sort(struct diag_list *dl)
{
	if (dl->len < 2)
		return;
	struct diag *tmp = xreallocarray(NULL, dl->len, sizeof(*tmp));
	merge_sort(dl->items, tmp, dl->len);
	free(tmp);
}

static const char *
severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	default:
		return "note";
	}
}

void
diag_print(const struct diag_list *dl, FILE *out)
{
	if (out == stderr && dl->len)
		progress_done();	/* messages never share its line */
	for (size_t i = 0; i < dl->len; i++) {
		const struct diag *d = &dl->items[i];
		fputs(d->file, out);
		if (d->line > 0)
			fprintf(out, ":%ld", d->line);
		if (d->field)
			fprintf(out, ":%s", d->field);
		fprintf(out, ": %s: %s\n", severity_name(d->severity),
		    d->message);
	}
}

size_t
diag_errors_in(const struct diag_list *dl, const char *file)
{
	size_t n = 0;
	for (size_t i = 0; i < dl->len; i++)
		if (dl->items[i].severity == DIAG_ERROR &&
		    strcmp(dl->items[i].file, file) == 0)
			n++;
	return n;
}
