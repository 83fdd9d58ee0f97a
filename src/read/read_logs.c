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
 *
 * With a sink (read_case_sink), the events do not wait for the merge:
 * once the CSV files are read, the calling thread passes them to the sink
 * while the log is still being parsed (the feed below). That is what
 * lets a million events go into the store meanwhile. The indices they
 * are passed with are final because the thread's events are the first of
 * the model and its names are the only ones, so the merge keeps both as
 * they are (logs_start streams only then; logs_finish checks it).
 */
#include "read/read_int.h"
#include "util/path.h"
#include "util/strpool.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The events the logs' thread has made so far, as seen by the calling
 * thread. The thread only appends to its events array, which moves only
 * when it is reallocated (at the start and end of each log); a
 * reallocation waits until the caller is not reading it (reading).
 */
struct event_feed {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct case_model *m;	/* the thread's model */
	size_t published;	/* m->events[0 .. published) are complete */
	int reading;		/* the caller is reading m->events */
	int moving;		/* the thread is reallocating it */
	int move_wanted;	/* the thread waits to reallocate it */
	int done;		/* the thread has ended */
};

void
feed_publish(struct event_feed *f, size_t nevents)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->published = nevents;
	pthread_cond_signal(&f->changed);
	pthread_mutex_unlock(&f->lock);
}

void
feed_move_begin(struct event_feed *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	/* Said first, so the caller starts no new run meanwhile: it would
	 * take the lock back as soon as it let it go, and this thread
	 * would wait until every event published was passed (1.4 s of an
	 * idle core on the large bench case). */
	f->move_wanted = 1;
	while (f->reading)
		pthread_cond_wait(&f->changed, &f->lock);
	f->move_wanted = 0;
	f->moving = 1;
	pthread_mutex_unlock(&f->lock);
}

void
feed_move_end(struct event_feed *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->moving = 0;
	pthread_cond_signal(&f->changed);
	pthread_mutex_unlock(&f->lock);
}

struct log_job {
	struct reader r;	/* the thread's reader: own model and list */
	struct case_model m;
	struct diag_list dl;
	char **rel;		/* the logs, relative to the case folder */
	int *file;		/* their index in files[], or -1 */
	size_t n;
	pthread_t thread;
	int started;
	struct event_feed feed;
	size_t passed;		/* events given to the sink so far */
	int files_told;		/* the sink's files callback was made */
};

/*
 * The sink's files callback, once, when every input file is hashed and
 * the logs are parsed: the second core is free from then on, while the
 * calling thread still has events to pass. (Any earlier, what `build`
 * starts there would slow the parse the events wait for.)
 */
static void
tell_files(struct log_job *j, const struct reader *main_r)
{
	const struct read_sink *sink = main_r->sink;
	if (sink && sink->files && !j->files_told)
		sink->files(main_r->m, sink->arg);
	j->files_told = 1;
}

static void
read_all(struct log_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		if (j->file[i] < 0)
			continue;
		char *full = path_join(j->r.root, j->rel[i]);
		struct buf b;
		if (nagios_load(&j->r, full, j->rel[i], j->file[i], &b) == 0)
			nagios_parse(&j->r, b.data ? b.data : (char *)"", b.len,
			    j->rel[i], j->file[i]);
		buf_free(&b);
		free(full);
	}
}

static void *
run(void *arg)
{
	struct log_job *j = arg;
	read_all(j);
	if (j->r.feed) {
		pthread_mutex_lock(&j->feed.lock);
		j->feed.done = 1;
		pthread_cond_signal(&j->feed.changed);
		pthread_mutex_unlock(&j->feed.lock);
	}
	return NULL;
}

#define PASS_MAX 32768	/* events a sink call; about 50 ms of SQLite */

/*
 * Pass the thread's events to the sink as they are published, until the
 * thread ends, and make the files callback as soon as the thread is
 * done. The sink runs outside the lock, with reading set, so the array
 * cannot move under it while the thread goes on parsing.
 */
static void
pass_events(struct log_job *j, const struct reader *main_r)
{
	const struct read_sink *sink = main_r->sink;
	struct event_feed *f = &j->feed;
	pthread_mutex_lock(&f->lock);
	for (;;) {
		if (f->done && !j->files_told) {
			pthread_mutex_unlock(&f->lock);
			tell_files(j, main_r);
			pthread_mutex_lock(&f->lock);
			continue;
		}
		if (!f->moving && !f->move_wanted &&
		    f->published > j->passed) {
			/* At most a run of PASS_MAX: the loop comes back soon to
			 * make the files callback once the thread is done. */
			size_t first = j->passed, n = f->published - first;
			if (n > PASS_MAX)
				n = PASS_MAX;
			const struct nagios_event *ev = f->m->events + first;
			f->reading = 1;
			pthread_mutex_unlock(&f->lock);
			sink->events(ev, first, n, sink->arg);
			pthread_mutex_lock(&f->lock);
			f->reading = 0;
			j->passed = first + n;
			pthread_cond_signal(&f->changed);
			continue;
		}
		if (f->done)	/* and every event passed */
			break;
		pthread_cond_wait(&f->changed, &f->lock);
	}
	pthread_mutex_unlock(&f->lock);
}

/* The feed is over (or never used): its lock goes, and the thread's
 * reader no longer publishes. */
static void
feed_close(struct log_job *j)
{
	if (j->r.feed == NULL)
		return;
	pthread_mutex_destroy(&j->feed.lock);
	pthread_cond_destroy(&j->feed.changed);
	j->r.feed = NULL;
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
	/* Streamed only when the merge will keep indices as they are: no
	 * event or name in the model yet (always so: see the top). */
	if (main_r->sink && n > 0 && main_r->m->nevents == 0 &&
	    main_r->m->nnames == 0) {
		pthread_mutex_init(&j->feed.lock, NULL);
		pthread_cond_init(&j->feed.changed, NULL);
		j->feed.m = &j->m;
		j->r.feed = &j->feed;
	}
	/* Without a thread, the logs are read by logs_finish instead. */
	j->started = n > 0 && pthread_create(&j->thread, NULL, run, j) == 0;
	if (!j->started)
		feed_close(j);
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

	if (j->started && j->r.feed)
		pass_events(j, main_r);
	if (j->started)
		pthread_join(j->thread, NULL);
	else
		read_all(j);
	tell_files(j, main_r);	/* if not told yet */
	feed_close(j);
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
	/* What was passed while parsing must be what was merged. */
	if (j->passed && (first != 0 || j->passed > m->nevents)) {
		fprintf(stderr, "dossier: internal error: events passed on "
		    "before the merge moved them\n");
		abort();
	}
	for (size_t i = 0; j->passed && i < j->m.nnames; i++)
		if (map[i] != (int)i) {
			fprintf(stderr, "dossier: internal error: names of "
			    "events passed on were renumbered\n");
			abort();
		}
	free(map);
	/* The rest (or all, without a thread or a feed) go now. */
	if (main_r->sink && m->nevents > j->passed)
		main_r->sink->events(m->events + j->passed, j->passed,
		    m->nevents - j->passed, main_r->sink->arg);
	merge_diags(main_r->dl, &j->dl);
	/* What moved or is shared is not the job's to free: the events'
	 * outputs lie in the job's pool of texts, which the case takes. */
	strpool_adopt(&m->event_text, &j->m.event_text);
	j->m.events = NULL;
	j->m.nevents = 0;
	j->m.files = NULL;
	j->m.nfiles = 0;
	model_free(&j->m);
	free(j);
}
