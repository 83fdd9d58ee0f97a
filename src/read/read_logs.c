/*
 * read_logs.c - the Nagios logs, read on a thread of their own (read_int.h).
 *
 * A monitoring log is the largest input by far (a million lines for a few
 * months of one-minute checks), and nothing read before the cross-checks
 * depends on it. So it is parsed on a second thread while the CSV files
 * are read, into a model and a diagnostic list of its own, and then merged
 * exactly as if it had been read last, as it was before:
 *
 *   - host and service names are interned in the order the log gives
 *     them (the logs are the only source of names, so the indices are the
 *     same);
 *   - events keep their order, with their name indices mapped;
 *   - diagnostics follow those of the CSV files, in the order found, and
 *     the per-file counters are added to the file's own.
 *
 * The thread writes only its own model and list, plus the record counters
 * of the log's entries in the shared files[] array, which no other reader
 * touches and which is not reallocated once every file is listed.
 */
#include "read/read_int.h"
#include "util/path.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct log_job {
	struct reader r;	/* the thread's reader: own model and list */
	struct case_model m;
	struct diag_list dl;
	char **rel;		/* the logs, relative to the case folder */
	int *file;		/* their index in files[], or -1 */
	size_t n;
	pthread_t thread;
	int started;
};

static void
read_all(struct log_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		if (j->file[i] < 0)
			continue;
		char *full = path_join(j->r.root, j->rel[i]);
		read_nagios(&j->r, full, j->rel[i], j->file[i]);
		free(full);
	}
}

static void *
run(void *arg)
{
	read_all(arg);
	return NULL;
}

struct log_job *
logs_start(struct reader *main_r, char **rel, int *file, size_t n)
{
	struct log_job *j = xcalloc(1, sizeof(*j));
	model_init(&j->m);
	diag_init(&j->dl);
	/* The log's counters go to its entry in the case's file list. */
	j->m.files = main_r->m->files;
	j->m.nfiles = main_r->m->nfiles;
	j->r.root = main_r->root;
	j->r.lim = main_r->lim;
	j->r.m = &j->m;
	j->r.dl = &j->dl;
	j->rel = rel;
	j->file = file;
	j->n = n;
	/* Without a thread, the logs are read by logs_finish instead. */
	j->started = n > 0 && pthread_create(&j->thread, NULL, run, j) == 0;
	return j;
}

/* Append src's diagnostics and counters to dst (src is left empty). */
static void
merge_diags(struct diag_list *dst, struct diag_list *src)
{
	for (size_t i = 0; i < src->len; i++) {
		if (dst->len == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 16;
			dst->items = xreallocarray(dst->items, dst->cap,
			    sizeof(*dst->items));
		}
		dst->items[dst->len++] = src->items[i];	/* strings move */
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	for (size_t i = 0; i < src->ncounts; i++) {
		const struct diag_count *s = &src->counts[i];
		struct diag_count *d = diag_count(dst, s->file);
		d->read += s->read;
		d->accepted += s->accepted;
		d->rejected += s->rejected;
		d->skipped += s->skipped;
	}
	free(src->items);
	src->items = NULL;
	src->len = src->cap = 0;
	diag_free(src);
}

void
logs_finish(struct log_job *j, struct reader *main_r)
{
	struct case_model *m = main_r->m;

	if (j->started)
		pthread_join(j->thread, NULL);
	else
		read_all(j);
	/* Names: interned in the log's order. */
	int *map = xcalloc(j->m.nnames + 1, sizeof(int));
	for (size_t i = 0; i < j->m.nnames; i++)
		map[i] = model_intern(m, j->m.names[i]);
	/* Events: appended (taken over whole when they are the first). */
	size_t first = m->nevents;
	if (m->nevents == 0) {
		free(m->events);
		m->events = j->m.events;
	} else if (j->m.nevents) {
		m->events = xreallocarray(m->events, m->nevents + j->m.nevents,
		    sizeof(*m->events));
		memcpy(m->events + m->nevents, j->m.events,
		    j->m.nevents * sizeof(*m->events));
		free(j->m.events);
	} else
		free(j->m.events);
	m->nevents += j->m.nevents;
	for (size_t i = first; i < m->nevents; i++) {
		struct nagios_event *e = &m->events[i];
		if (e->host >= 0)
			e->host = map[e->host];
		if (e->check >= 0)
			e->check = map[e->check];
	}
	free(map);
	merge_diags(main_r->dl, &j->dl);
	/* What moved or is shared is not the job's to free. */
	j->m.events = NULL;
	j->m.nevents = 0;
	j->m.files = NULL;
	j->m.nfiles = 0;
	model_free(&j->m);
	free(j);
}
