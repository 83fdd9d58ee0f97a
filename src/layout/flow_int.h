/*
 * flow_int.h - the units being built (flow.c), for the files that handle
 * them directly: flow.c builds and paginates them, merge.c joins the
 * flows of chunks laid out on different threads into one (chunk.h).
 * Block layouters use the unit_* and flow_table_* calls of layout.h.
 */
#ifndef DOSSIER_LAYOUT_FLOW_INT_H
#define DOSSIER_LAYOUT_FLOW_INT_H

#include "layout/layout.h"

struct unit {
	double height, space_before;
	size_t first, n;		/* in flow->ops */
	int keep;			/* keep with next unit */
	int page_break;
	int table;			/* table index or -1 */
	int is_header, is_cont;
	int own_page;			/* unit_end_page: a page of its own */
	/* Some op of the unit is an OP_DEST: pagination reads the ops of
	 * these units only, to define their anchors (the large bench
	 * case's last pass has 6.6 million ops, 1 in 30 a destination). */
	int has_dest;
	double pw, ph;
};

struct table_info {
	long cont;			/* continuation caption unit, or -1 */
	size_t hdr_first, hdr_n;
};

struct flow {
	struct unit *u;
	size_t n, cap;
	struct op_list ops;		/* unit-relative ops */
	int open;
	size_t open_first;
	int open_has_dest;		/* the open unit has an OP_DEST */
	double open_space;
	struct table_info *tables;
	size_t ntables;
	int cur_table, in_header, next_cont;
	/* u, ops.v: windows of the merged flow's arrays lent to a chunk
	 * (merge.c), not arrays of their own: never freed or realloc'd
	 * here; a chunk that outgrows its window goes on in an array of
	 * its own (flag cleared). */
	unsigned char u_lent, ops_lent;
};

/*
 * The arrays of a pass's units, ops and placements, emptied, for the next
 * pass to fill (flow_keep_arrays; layout_once hands them over, chunk.c
 * only the placements). A pass makes about as many as the one before,
 * tens of megabytes on a large dossier: freed and allocated again, they
 * came back as fresh mappings that every pass faulted in page by page.
 */
struct flow_spare {
	struct unit *u;
	size_t ucap;
	struct op_list ops;	/* n = 0 */
	struct placement *placed;
	size_t placed_cap;
};

#endif
