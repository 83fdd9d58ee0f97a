/*
 * strpool.h - strings copied end to end into large blocks, freed all at
 * once.
 *
 * For the many short strings that live exactly as long as one owner: a
 * million Nagios outputs read back from the store, the anchor names of a
 * layout (231,000 on the large bench case, twice), the index's sort keys.
 * Copied one by one with malloc they cost an allocation each and, at the
 * end, a free each scattered over the heap (a tenth of a second for the
 * anchor names and index keys alone, on one core).
 */
#ifndef DOSSIER_STRPOOL_H
#define DOSSIER_STRPOOL_H

#include <stddef.h>

struct strpool_block;

struct strpool {
	struct strpool_block *head;	/* the block being filled */
	size_t block_size;		/* bytes per block */
};

/* An empty pool of blocks of block_size bytes (a string longer than
 * that gets a block of its own). A zeroed struct strpool is an empty
 * pool of 64 KiB blocks. */
void strpool_init(struct strpool *p, size_t block_size);
/* A copy of s[0..n) and a NUL, valid until strpool_free. */
char *strpool_dupn(struct strpool *p, const char *s, size_t n);
char *strpool_dup(struct strpool *p, const char *s);
/* Move every string of src into dst (their addresses stay); src is
 * empty again. */
void strpool_adopt(struct strpool *dst, struct strpool *src);
/* Free every string of the pool; it is empty again. */
void strpool_free(struct strpool *p);
/* Whether the pool holds no string. */
int strpool_empty(const struct strpool *p);

#endif
