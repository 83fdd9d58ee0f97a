/*
 * chunk.c - layout_run: the passes of the layout, each laid out in chunks
 * on several threads when the document is large enough (chunk.h).
 *
 * The blocks are cut into chunks once, by an estimate of their cost, and
 * every pass uses the same chunks: chunk k's paragraph memo, width cache
 * and flow sizes then serve chunk k in the next pass with no lock and no
 * renumbering. The threads take the chunks largest first from a shared
 * counter, so neither waits for the other but at the very end. Any block
 * boundary is a safe cut: a block's units depend on the block, the doc,
 * the previous pass and the layout's tables, never on the units made
 * before it (nothing calls unit_keep_last, and every block leaves the
 * flow with no unit or table open), and pagination, which links units
 * across blocks, runs on the merged flow as before.
 */
#include "layout/chunk.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout/flow_int.h"
#include "layout/hyph.h"
#include "layout/items.h"
#include "layout/memo.h"
#include "util/xalloc.h"

/* Below this estimated cost (about the bytes of text: some 350 pages) a
 * document is laid out on one thread: starting the threads and filling
 * a memo, a width cache and a word cache per chunk take most of what
 * they save. Measured from each thread's CPU time (two free cores),
 * layout on one thread against two: 98 pages (fixtures/amen-2005, cost
 * 0.37 million) 25 against 19 ms, for 20 % more CPU; 187 pages (bench
 * small, 1.0 million) 47 against 50 ms, 80 % more CPU; 1505 pages (bench
 * medium, 8.6 million) 0.49 against 0.35 s, 25 % more CPU. Customer
 * packs (0.3 million at most) stay on one thread. */
#define PAR_MIN_WORK 2000000.0
/* A chunk's share of the work: at least this, and at most MAX_CHUNKS
 * chunks. Many chunks balance the threads (the last chunk taken is small)
 * but each has its own memo and width cache to fill. */
#define CHUNK_MIN_WORK 40000.0
#define MAX_CHUNKS 32
#define MAX_THREADS 8

/* --- running on the threads --- */

struct job {
	struct chunk_plan *p;
	void (*fn)(struct chunk_plan *, size_t, struct chunk_thread *, void *);
	void *arg;
	atomic_size_t next;	/* the next entry of p->order to take */
};

struct worker {
	struct job *job;
	struct chunk_thread *t;
};

static void work(struct job *j, struct chunk_thread *t)
{
	for (;;) {
		size_t i = atomic_fetch_add(&j->next, 1);
		if (i >= j->p->n)
			return;
		j->fn(j->p, j->p->order[i], t, j->arg);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	work(w->job, w->t);
	return NULL;
}

void chunk_parallel(struct chunk_plan *p,
    void (*fn)(struct chunk_plan *p, size_t k, struct chunk_thread *t,
    void *arg), void *arg)
{
	struct job j = { .p = p, .fn = fn, .arg = arg };
	atomic_init(&j.next, 0);
	pthread_t tid[MAX_THREADS];
	struct worker w[MAX_THREADS];
	int started[MAX_THREADS] = { 0 };
	/* A thread that cannot be started leaves its chunks to the others
	 * (the calling thread takes whatever is left). The workers block
	 * every signal (they inherit the mask they are created with), so
	 * that an interrupted build is cleaned up by the thread that
	 * registered its files (util/cleanup.c). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int t = 1; t < p->nthreads; t++) {
		w[t] = (struct worker){ &j, &p->th[t] };
		started[t] = pthread_create(&tid[t], NULL, worker_main,
		    &w[t]) == 0;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	work(&j, &p->th[0]);
	for (int t = 1; t < p->nthreads; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
}

/* --- the plan: chunks of blocks --- */

static double para_work(const struct para *p)
{
	double w = 8;
	for (size_t i = 0; i < p->n; i++)
		w += p->spans[i].text ? strlen(p->spans[i].text) : 4;
	return w;
}

/* Roughly the bytes of text a block lays out (only the balance of the
 * threads depends on it). */
static double block_work(const struct doc *d, const struct block *b)
{
	double w = 16;
	switch (b->kind) {
	case BLOCK_PARAGRAPH:
		return w + para_work(&b->para);
	case BLOCK_HEADING:
	case BLOCK_TITLE:
		return w + (b->text ? strlen(b->text) : 0);
	case BLOCK_KEYVALUE:
		for (size_t i = 0; i < b->nkv; i++)
			w += strlen(b->kv[i].key) + para_work(&b->kv[i].value) +
			    8 * b->kv[i].nterms;
		return w;
	case BLOCK_TABLE:
		/* every cell is measured, then broken into lines */
		for (size_t i = 0; i < b->table.nrows * b->table.ncols; i++)
			w += 2 * para_work(&b->table.cells[i]);
		return w;
	case BLOCK_LOG:
		for (size_t i = 0; i < b->nlog; i++)
			w += 8 + strlen(b->log_lines[i]);
		return w;
	case BLOCK_BAR_CHART:
		return w + 200 + 40.0 * b->nbars;
	case BLOCK_TIMELINE:
		return w + 200 + 4.0 * b->nsegs;
	case BLOCK_PDF:
		return w + 100.0 * b->npdf_pages;
	case BLOCK_CONTENTS:
		for (size_t i = 0; i < d->nblocks; i++)
			if (d->blocks[i].kind == BLOCK_HEADING ||
			    d->blocks[i].kind == BLOCK_PDF)
				w += 8 + (d->blocks[i].text ?
				    strlen(d->blocks[i].text) : 0);
		return w;
	case BLOCK_INDEX:
		/* sorted, and laid out again in every pass (page numbers) */
		for (size_t i = 0; i < d->nblocks; i++) {
			const struct block *t = &d->blocks[i];
			if (t->kind == BLOCK_ANCHOR && t->text)
				w += 40;
			for (size_t k = 0; t->kind == BLOCK_KEYVALUE &&
			    k < t->nkv; k++)
				w += 40.0 * t->kv[k].nterms;
		}
		return w;
	default:
		return w;
	}
}

static int order_cmp(const void *a, const void *b, void *arg)
{
	const struct chunk *c = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (c[x].work != c[y].work)
		return c[x].work > c[y].work ? -1 : 1;
	return (x > y) - (x < y);
}

/* A block that is a chunk of its own. */
static int alone(const struct block *b)
{
	return b->kind == BLOCK_CONTENTS || b->kind == BLOCK_INDEX;
}

static int set_threads;	/* layout_set_threads; set before any thread */

void layout_set_threads(int n)
{
	set_threads = n;
}

/* Threads to use: DOSSIER_LAYOUT_THREADS, else layout_set_threads', else
 * the cores (at most 4: past that, the merge and the pagination, which
 * run on one thread, are most of what is left). */
static int default_threads(void)
{
	const char *env = getenv("DOSSIER_LAYOUT_THREADS");
	long n = env && *env ? strtol(env, NULL, 10) : set_threads;
	if (n <= 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n > 4)
			n = 4;
	}
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/*
 * The chunks of d for `threads` threads, aiming at `want` chunks (0: by
 * size), or NULL when d is better laid out on one thread. The contents
 * and the index are chunks of their own: they read every block, so their
 * cost is the least like their neighbours'.
 */
static struct chunk_plan *plan_new(struct doc *d, const struct fonts *fonts,
    int threads, size_t want)
{
	if (threads < 1)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (d->nblocks < 2 || (want == 0 && threads < 2))
		return NULL;
	double *w = xcalloc(d->nblocks, sizeof *w), total = 0;
	for (size_t i = 0; i < d->nblocks; i++)
		total += w[i] = block_work(d, &d->blocks[i]);
	if (want == 0) {
		if (total < PAR_MIN_WORK) {
			free(w);
			return NULL;
		}
		want = (size_t)(total / CHUNK_MIN_WORK);
		if (want > MAX_CHUNKS)
			want = MAX_CHUNKS;
	}
	if (want < 2)
		want = 2;
	/* Where chunks end: after a block once a chunk has its share of
	 * the work (share 0 when as many chunks as blocks are asked for:
	 * every block alone, for the tests). */
	size_t *end = xcalloc(d->nblocks, sizeof *end), n = 0;
	double share = want >= d->nblocks ? 0 : total / (double)want, acc = 0;
	for (size_t i = 0; i < d->nblocks; i++) {
		acc += w[i];
		if (alone(&d->blocks[i]) || i + 1 == d->nblocks ||
		    alone(&d->blocks[i + 1]) || acc >= share) {
			end[n++] = i + 1;
			acc = 0;
		}
	}
	struct chunk_plan *p = xcalloc(1, sizeof *p);
	p->doc = d;
	p->names = anchor_names_new();	/* the last layout's in the end */
	p->n = n;
	p->c = xcalloc(n, sizeof *p->c);
	p->order = xcalloc(n, sizeof *p->order);
	for (size_t k = 0; k < n; k++) {
		struct chunk *c = &p->c[k];
		c->first = k ? end[k - 1] : 0;
		c->end = end[k];
		for (size_t i = c->first; i < c->end; i++)
			c->work += w[i];
		c->memo = memo_new();
		c->names = anchor_names_new();
		fonts_copy_open(&c->fonts, fonts);
		diag_init(&c->diags);
		p->order[k] = k;
	}
	free(w);
	free(end);
	qsort_r(p->order, p->n, sizeof *p->order, order_cmp, p->c);
	/* Each thread's hyphenator is opened here, on this thread, so the
	 * dictionary is loaded before any other thread runs (hyph.c). */
	p->nthreads = threads;
	p->th = xcalloc((size_t)threads, sizeof *p->th);
	for (int t = 0; t < threads; t++)
		p->th[t].hyph = hyph_open(d->opt.lang);
	return p;
}

static void plan_free(struct chunk_plan *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->n; k++) {
		struct chunk *c = &p->c[k];
		memo_free(c->memo);
		anchor_names_free(c->names);
		fonts_copy_close(&c->fonts);
		diag_free(&c->diags);
		free(c->num_map);
		free(c->anchor_map);
	}
	for (int t = 0; t < p->nthreads; t++) {
		hyph_close(p->th[t].hyph);
		/* para_buffers_free frees a layout's buffers */
		struct layout tmp = { .para_buf = p->th[t].para_buf };
		para_buffers_free(&tmp);
	}
	free(p->th);
	free(p->win_u);		/* NULL but between a pass and its merge */
	free(p->win_ops);
	free(p->order);
	free(p->c);
	free(p);
}

/* --- a pass --- */

/* The blocks of chunk k into its layout, with this thread's hyphenator
 * and paragraph buffers. */
static void lay_out_chunk(struct chunk_plan *p, size_t k,
    struct chunk_thread *t, void *arg)
{
	const int *release = arg;	/* see memo_doc_block */
	struct chunk *c = &p->c[k];
	struct layout *l = c->l;
	enum lang lang = p->doc->opt.lang;
	l->hyph[lang] = t->hyph;
	l->para_buf = t->para_buf;
	for (size_t i = c->first; i < c->end; i++) {
		memo_doc_block(c->memo, i, *release);
		layout_block(l, &p->doc->blocks[i]);
	}
	/* The words cut in this pass: a single thread keeps them to the
	 * end of the pass (items.c); a chunk has no use for them after
	 * its last block, and up to 32 chunks would hold them at once. */
	items_words_free(l);
	t->para_buf = l->para_buf;
	l->para_buf = NULL;
	l->hyph[lang] = NULL;
}

/* One pass in chunks: what layout_once does on one thread. */
static struct layout *chunked_pass(struct chunk_plan *p, struct fonts *fonts,
    struct layout *prev, int report, int draft, int release)
{
	struct doc *d = p->doc;
	/* The previous pass's arrays (flow_keep_arrays) but for the
	 * placements go now: the chunks make as many units and ops again,
	 * and the pass would hold them twice (350 MB more on the large
	 * bench case). The merged arrays are made instead, at the last
	 * pass's counts, and lent to the chunks (chunk_flow_start): the
	 * units' in the previous pass's array, which has about as many
	 * (its pages already there: 13,000 fewer page faults on the large
	 * bench case). A draft's ops are too few to place (layout.h): its
	 * chunks get arrays of their own, and the merge new ones. */
	struct flow_spare *sp = prev ? prev->spare : NULL;
	size_t nunits = 0, nops = 0;
	for (size_t k = 0; k < p->n; k++) {
		nunits += p->c[k].nunits;
		nops += p->c[k].nops;
	}
	if (nunits) {
		p->win_u = xreallocarray(sp ? sp->u : NULL, nunits,
		    sizeof *p->win_u);
		p->win_nunits = nunits;
	} else if (sp) {
		free(sp->u);
	}
	if (sp) {
		sp->u = NULL;
		sp->ucap = 0;
		free(sp->ops.v);
		memset(&sp->ops, 0, sizeof sp->ops);
	}
	if (nops && !draft) {
		p->win_ops = xreallocarray(NULL, nops, sizeof *p->win_ops);
		p->win_nops = nops;
	}
	for (size_t k = 0; k < p->n; k++) {
		struct chunk *c = &p->c[k];
		c->doc = *d;	/* read only, but for where problems go */
		c->doc.diags = &c->diags;
		c->l = xcalloc(1, sizeof *c->l);
		layout_init(c->l, &c->doc, &c->fonts, prev, c->memo, c->names);
		c->l->draft = draft;
		c->l->anchors_hint = c->nanchors;
		c->l->prev_num = c->num_map;	/* merge.c */
		c->l->nprev_num = c->nnum;
	}
	chunk_flow_start(p);
	chunk_parallel(p, lay_out_chunk, &release);
	/* The glyphs the chunks measured, marked for the font subsets in
	 * the order one thread would have (fonts_copy.c). */
	for (size_t k = 0; k < p->n; k++)
		fonts_copy_replay(fonts, &p->c[k].fonts);
	/* prev's arrays: what is left of them, the placements */
	struct layout *l = layout_pass_new(d, fonts, prev, NULL, p->names,
	    draft);
	/* Problems are reported by the first pass only; in the order one
	 * thread finds them. */
	struct diag_list quiet;
	struct diag_list *diags = d->diags;
	diag_init(&quiet);
	if (!report)
		d->diags = &quiet;
	if (!p->th[0].hyph)
		diag_warn(d->diags, "layout", 0, NULL,
		    "hyphenation dictionary missing; text is not hyphenated");
	for (size_t k = 0; k < p->n; k++) {
		struct diag_list *cd = &p->c[k].diags;
		for (size_t i = 0; i < cd->len; i++) {
			const struct diag *g = &cd->items[i];
			diag_add(d->diags, g->severity, g->file, g->line,
			    g->field, "%s", g->message);
		}
		diag_free(cd);
	}
	chunk_merge(p, l);
	layout_end(l);
	d->diags = diags;
	diag_free(&quiet);
	return l;
}

/* Same page for every anchor in both layouts? */
static int same_pages(const struct layout *a, const struct layout *b)
{
	if (a->nanchors != b->nanchors || a->npages != b->npages)
		return 0;
	for (size_t i = 0; i < a->nanchors; i++)
		if (a->anchors[i].page != b->anchors[i].page)
			return 0;
	return 1;
}

struct layout *layout_run_with(struct doc *d, struct fonts *fonts,
    int threads, size_t chunks)
{
	/* One pass suffices unless the text holds page numbers, whose
	 * width depends on the pagination itself: then lay out again with
	 * the numbers found, until they stop moving (two or three passes
	 * in practice, at most four; problems are reported by the first).
	 * Paragraphs without page references come out the same in every
	 * pass: the memo hands the later passes the first one's lines. */
	struct chunk_plan *p = chunks == 1 ? NULL :
	    plan_new(d, fonts, threads, chunks);
	struct para_memo *memo = p ? NULL : memo_new();
	struct anchor_names *names = p ? NULL : anchor_names_new();
	/*
	 * Passes that another one follows need no ops (struct layout's
	 * draft): the first one, which only makes the memo, and, on a
	 * large dossier, the second, as the page numbers of the first pass
	 * (three digits) are seldom those of the second, so the third one
	 * is the result; that one frees the memo as it goes
	 * (memo_doc_block). The pass that turns out to be the result but
	 * is a draft is made again in full from the same page numbers (the
	 * memo has all its paragraphs): only the memory differs, not a
	 * byte.
	 */
	struct layout *before = NULL;	/* the pass l read its pages from */
	struct layout *l = p ? chunked_pass(p, fonts, NULL, 1, layout_drafts,
	    0) : layout_once(d, fonts, NULL, memo, names, 1, layout_drafts, 0);
	int big = 0;
	for (int pass = 0; l->has_pagerefs && pass < 3; pass++) {
		/* The next pass reads only the anchors (their pages) of
		 * this one: its ops go now, before the next pass makes its
		 * own (in the same arrays), so two passes' ops are never
		 * held together. */
		flow_keep_arrays(l);
		if (pass == 0)
			big = layout_drafts &&
			    l->flow_ops >= layout_draft_second_ops;
		int draft = big && pass == 0, release = big && pass == 1;
		struct layout *next = p ?
		    chunked_pass(p, fonts, l, 0, draft, release) :
		    layout_once(d, fonts, l, memo, names, 0, draft, release);
		int stable = same_pages(l, next);
		layout_free(before);
		before = l;
		l = next;
		if (stable)
			break;
	}
	if (l->draft_dropped) {
		struct layout *full = p ?
		    chunked_pass(p, fonts, before, 0, 0, big) :
		    layout_once(d, fonts, before, memo, names, 0, 0, big);
		layout_free(l);
		l = full;
	}
	layout_free(before);
	memo_free(memo);
	/* The names go with the last layout (the merged layouts' are
	 * numbered by content only: no address to forget). */
	anchor_names_forget_ptrs(names);	/* the doc may go first */
	l->names_owned = 1;
	flow_spare_free(l);
	plan_free(p);
	return l;
}

struct layout *layout_run(struct doc *d, struct fonts *fonts)
{
	return layout_run_with(d, fonts, default_threads(), 0);
}
