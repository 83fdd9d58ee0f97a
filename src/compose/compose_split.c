/*
 * compose_split.c - the master dossier composed on two threads.
 *
 * Composing the large bench case takes some 1.6 s on one core while the
 * other has nothing to do; two thirds of it are the complaints, one
 * group of blocks per customer, each depending only on the case, its
 * analysis and its own complaints. So:
 *
 * - A second thread composes customer groups from the last one
 *   backwards, each into a fragment of the document (layout/doc.h:
 *   blocks and arena of its own, generated anchors numbered later), its
 *   problems into a list of its own, noting where each group's blocks
 *   and problems start and end.
 * - Meanwhile the main thread composes the cover, the contents, the list
 *   of exhibits, the chronology and the availability report into the
 *   document, then the exhibits into a fragment of their own (they come
 *   after the complaints), then the complaints' heading and the groups
 *   from the first one forwards, into the document.
 * - The threads take groups from either end of what is left, under a
 *   lock, until they meet: whichever has more to do elsewhere takes
 *   fewer groups, with no estimate of what anything costs.
 * - The main thread then appends the second thread's groups in order,
 *   and their problems, then the end of the complaints, then the
 *   exhibits and theirs. Appending numbers the fragments' generated
 *   anchors ("heading-N" of the complaints' small headings, "index-N"
 *   of index terms) in the document's order, so every name, block and
 *   problem is what one thread composing the sections in order makes.
 *
 * What the second thread reads is only read by both: the case model,
 * the availability report, the groups, the labels, the time zone (set
 * before, localtime_r after). It has a copy of the context of its own,
 * without the quoted files' checks (compose_ctx.sources, .reported): a
 * complaint quotes no file. Those stay with the main thread, which does
 * every section that quotes files (availability, exhibits) in the
 * one-thread order, so a changed file is reported as often and where it
 * would be. Packs compose on one thread: they are composed by worker
 * processes already, one per core.
 */
#include "compose/compose_int.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int compose_test_threads;
size_t compose_test_split = SIZE_MAX;

/*
 * Below this many complaints one thread does it: the complaints are then
 * a few milliseconds of work (amen-2005, 50 complaints: 54 ms of the
 * main thread's processor time on one thread, 48 on two), which the
 * thread's start and the appending would mostly eat (docs/layout.md,
 * "Composing on two threads").
 */
#define SPLIT_MIN_COMPLAINTS 50

/* Where one group's blocks and problems are in the second thread's
 * fragment and list. */
struct group_span {
	size_t block0, block1, diag0, diag1;
};

/* What the two threads share: the groups not taken yet, [lo, hi). */
struct claims {
	pthread_mutex_t lock;
	size_t lo, hi;
	size_t split;	/* SIZE_MAX, else the main thread's stop, the
			 * second thread's (tests) */
};

/* The next group from the front (main thread), or 0. */
static int
claim_front(struct claims *cl, size_t *g)
{
	int got = 0;
	pthread_mutex_lock(&cl->lock);
	if (cl->lo < cl->hi && cl->lo < cl->split) {
		*g = cl->lo++;
		got = 1;
	}
	pthread_mutex_unlock(&cl->lock);
	return got;
}

/* The next group from the back (second thread), or 0. */
static int
claim_back(struct claims *cl, size_t *g)
{
	int got = 0;
	pthread_mutex_lock(&cl->lock);
	if (cl->lo < cl->hi && (cl->split == SIZE_MAX || cl->hi > cl->split)) {
		*g = --cl->hi;
		got = 1;
	}
	pthread_mutex_unlock(&cl->lock);
	return got;
}

struct second {
	struct compose_ctx c;	/* d: the fragment; dl: its own */
	struct diag_list dl;
	struct group_span *span;	/* per group */
	struct claims *cl;
};

static void *
second_thread(void *arg)
{
	struct second *s = arg;
	size_t g;
	while (claim_back(s->cl, &g)) {
		s->span[g].block0 = s->c.d->nblocks;
		s->span[g].diag0 = s->dl.len;
		complaints_group(&s->c, g);
		s->span[g].block1 = s->c.d->nblocks;
		s->span[g].diag1 = s->dl.len;
	}
	return NULL;
}

/* Threads wanted: DOSSIER_COMPOSE_THREADS (1, or 2 and more: two), else
 * two for a master dossier of SPLIT_MIN_COMPLAINTS complaints or more
 * on a machine of more than one core. */
int
compose_split_wanted(const struct compose_ctx *c)
{
	if (c->in->customer != NULL || c->ngroups == 0)
		return 0;
	if (compose_test_threads > 0)
		return compose_test_threads > 1;
	const char *env = getenv("DOSSIER_COMPOSE_THREADS");
	long n = env && *env ? strtol(env, NULL, 10) : 0;
	if (n > 0)
		return n > 1;
	return c->m->ncomplaints >= SPLIT_MIN_COMPLAINTS &&
	    sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

void
compose_split(struct compose_ctx *c)
{
	struct claims cl = { .lo = 0, .hi = c->ngroups,
		.split = compose_test_split };
	struct second s;
	pthread_t tid;

	if (cl.split != SIZE_MAX && cl.split > c->ngroups)
		cl.split = c->ngroups;
	pthread_mutex_init(&cl.lock, NULL);
	memset(&s, 0, sizeof(s));
	s.c = *c;
	s.c.d = doc_fragment_new(c->d);
	diag_init(&s.dl);
	s.c.dl = &s.dl;
	doc_set_diags(s.c.d, &s.dl);
	/* Not the second thread's to touch (see the top). */
	s.c.sources = s.c.own_sources = NULL;
	s.c.reported = NULL;
	s.c.owned = NULL;
	s.c.nowned = 0;
	s.span = xcalloc(c->ngroups + 1, sizeof(*s.span));
	s.cl = &cl;
	/* The thread blocks every signal, so that an interrupted build is
	 * cleaned up by the thread that registered its files (as the
	 * layout's threads do). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int started = pthread_create(&tid, NULL, second_thread, &s) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!started)
		cl.split = SIZE_MAX;	/* the main thread takes them all */

	section_cover(c);
	section_contents(c);
	section_exhibit_list(c);
	section_chronology(c);
	section_availability(c);
	/* The exhibits come after the complaints: into a fragment. */
	struct doc *main_doc = c->d;
	struct diag_list *main_dl = c->dl;
	struct diag_list exhibit_dl;
	diag_init(&exhibit_dl);
	c->d = doc_fragment_new(main_doc);
	c->dl = &exhibit_dl;
	doc_set_diags(c->d, &exhibit_dl);
	section_exhibits(c);
	struct doc *exhibits = c->d;
	c->d = main_doc;
	c->dl = main_dl;

	complaints_open(c);
	size_t g;
	while (claim_front(&cl, &g))
		complaints_group(c, g);
	if (started)
		pthread_join(tid, NULL);
	/* Every group is taken: [0, lo) here, [lo, ngroups) there. */
	for (g = cl.lo; g < c->ngroups; g++) {
		doc_fragment_append(c->d, s.c.d, s.span[g].block0,
		    s.span[g].block1);
		diag_move(c->dl, &s.dl, s.span[g].diag0, s.span[g].diag1);
	}
	doc_fragment_done(c->d, s.c.d);
	complaints_close(c);
	doc_fragment_append(c->d, exhibits, 0, exhibits->nblocks);
	diag_move(c->dl, &exhibit_dl, 0, exhibit_dl.len);
	doc_fragment_done(c->d, exhibits);

	for (size_t i = 0; i < s.c.nowned; i++)
		free(s.c.owned[i]);
	free(s.c.owned);
	diag_free(&s.dl);
	diag_free(&exhibit_dl);
	free(s.span);
	pthread_mutex_destroy(&cl.lock);
}
