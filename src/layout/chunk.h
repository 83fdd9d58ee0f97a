/*
 * chunk.h - one layout pass on several threads (chunk.c, merge.c).
 *
 * A pass lays every block out into units and ops (layout_block), then
 * paginates them. Laying the blocks out is most of the work, and a block
 * only reads the doc, the previous pass and the layout's own tables
 * (anchors, images, imported pages, outline); it never looks at the units
 * another block made. So the blocks are cut into contiguous chunks, each
 * laid out into a layout of its own by whichever thread is free, and the
 * chunks are then merged in order into exactly the layout one thread would
 * have made (merge.c renumbers what each chunk numbered on its own), which
 * is paginated as before. The chunks are the same in every pass, so each
 * keeps its own paragraph memo from pass to pass (memo.h).
 *
 * What the threads share is read only: the doc, the previous pass (its
 * anchors and the merged layouts' names, written by the merge only), the
 * font data (each chunk measures with a copy that marks no glyph, see
 * fonts_copy_open) and the hyphenation dictionary (loaded before the
 * threads start; libhyphen only reads it). What a single thread keeps
 * for the whole doc, from paragraph to paragraph or pass to pass, a chunk
 * keeps for itself (struct chunk): the paragraph memo (with the index's
 * sorted terms), the anchor names numbered for all passes, the width
 * cache; a thread keeps its own hyphenator and paragraph buffers (struct
 * chunk_thread); the words cut in a pass (items.c) live in the chunk's
 * layout and go when its blocks are done. Of the previous pass's arrays
 * (struct flow_spare) only the placements are kept, for the merged
 * layout: the chunks' own units and ops take the place of the others.
 */
#ifndef DOSSIER_LAYOUT_CHUNK_H
#define DOSSIER_LAYOUT_CHUNK_H

#include <stddef.h>

#include "layout/layout.h"
#include "util/diag.h"

struct para_memo;
struct hyph;

/* --- the pieces of a pass, in layout.c --- */

/* Page geometry and what a pass reads (prev, memo) into a zeroed l. */
void layout_init(struct layout *l, struct doc *d, struct fonts *fonts,
    const struct layout *prev, struct para_memo *memo,
    struct anchor_names *names);
/* A new layout for a whole pass of d, made by layout_init, taking over
 * what prev keeps of its arrays for it (flow_keep_arrays). */
struct layout *layout_pass_new(struct doc *d, struct fonts *fonts,
    struct layout *prev, struct para_memo *memo,
    struct anchor_names *names, int draft);
/* Lay block b out at the end of l's units. */
void layout_block(struct layout *l, const struct block *b);
/* Paginate l's units and report the anchors nobody defined (to
 * l->doc->diags). */
void layout_end(struct layout *l);
/* One pass over the whole doc on this thread: the sequential layout. */
struct layout *layout_once(struct doc *d, struct fonts *fonts,
    struct layout *prev, struct para_memo *memo,
    struct anchor_names *names, int report, int draft, int release);

/* --- chunks --- */

/* What a thread keeps from chunk to chunk (and pass to pass). */
struct chunk_thread {
	struct hyph *hyph;		/* its own word cache */
	struct para_buffers *para_buf;
};

struct chunk {
	size_t first, end;		/* blocks [first, end) of the doc */
	double work;			/* estimated cost (chunk.c) */
	/* Kept from pass to pass, the chunk's own as a single thread has
	 * them for the whole doc: */
	struct para_memo *memo;		/* paragraph memo (memo.h) */
	struct anchor_names *names;	/* its anchors' names (anchor.c) */
	struct fonts fonts;		/* measuring copy (fonts_copy_open) */
	int *num_map;			/* names' number -> the merged
					 * names' (-1: not met yet) */
	size_t nnum;			/* entries of num_map */
	struct doc doc;			/* the doc, problems going to diags */
	struct diag_list diags;
	size_t nunits, nops, nanchors;	/* made by the last pass: the next
					 * one starts its arrays at that size */
	struct layout *l;		/* this pass's layout of the chunk */
	/* where the chunk goes in the merged layout (merge.c) */
	int *anchor_map;		/* chunk anchor id -> merged id */
	size_t unit_off, op_off, table_off, image_off, import_off;
};

struct chunk_plan {
	struct doc *doc;
	struct anchor_names *names;	/* the merged layouts' (all passes) */
	struct chunk *c;
	size_t n;
	size_t *order;			/* chunks by decreasing work */
	int nthreads;
	struct chunk_thread *th;	/* [0] is the calling thread */
	/* This pass's merged arrays, lent to the chunks in windows at the
	 * places the last pass's counts give them (chunk_flow_start), or
	 * NULL (merge.c). */
	struct unit *win_u;
	struct op *win_ops;
	size_t win_nunits, win_nops;
};

/* Run fn(p, k, thread state, arg) for every chunk k, the chunks taken in
 * p->order by p->nthreads threads (the caller being one of them). */
void chunk_parallel(struct chunk_plan *p,
    void (*fn)(struct chunk_plan *p, size_t k, struct chunk_thread *t,
    void *arg), void *arg);

/* Give every chunk's new layout (c->l) a flow of last pass's size: in
 * windows of p->win_u and p->win_ops where there are (merge.c). */
void chunk_flow_start(struct chunk_plan *p);
/* Merges whose chunks had made their units and ops in the merged arrays
 * (chunk_flow_start), and merges that had to copy them although they
 * were lent windows; for the tests. Counted by the thread that merges. */
extern size_t chunk_merges_in_place, chunk_merges_copied;
/* Move every chunk's layout into l (made by layout_init with p->names,
 * nothing laid out yet) as if its blocks had been laid out there in
 * order, and free the chunks' layouts. l is then ready for layout_end. */
void chunk_merge(struct chunk_plan *p, struct layout *l);

/*
 * layout_run with a given number of threads and chunks (0 = the usual
 * choice: see chunk.c). threads 1 and chunks 1 is the plain sequential
 * layout; otherwise the doc is laid out in chunks, even a small one (for
 * the tests: the result must be the same).
 */
struct layout *layout_run_with(struct doc *d, struct fonts *fonts,
    int threads, size_t chunks);

#endif
