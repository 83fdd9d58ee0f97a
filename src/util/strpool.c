/*
 * strpool.c - strings in large blocks, freed all at once (strpool.h).
 */
#include "util/strpool.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Texts end to end, each with its NUL. */
struct strpool_block {
	struct strpool_block *next;	/* the block filled before */
	size_t used, cap;
	char data[];
};

#define STRPOOL_DEFAULT_BLOCK (64u << 10)

void
strpool_init(struct strpool *p, size_t block_size)
{
	p->head = NULL;
	p->block_size = block_size;
}

char *
strpool_dupn(struct strpool *p, const char *s, size_t n)
{
	struct strpool_block *b = p->head;
	if (b == NULL || b->cap - b->used < n + 1) {
		size_t size = p->block_size ? p->block_size :
		    STRPOOL_DEFAULT_BLOCK;
		size_t cap = n + 1 > size ? n + 1 : size;
		struct strpool_block *nb = xmalloc(sizeof(*nb) + cap);
		nb->used = 0;
		nb->cap = cap;
		if (b && cap > size) {
			/* A string of its own block goes behind the current
			 * one, which stays current with its room. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			p->head = nb;
		}
		b = nb;
	}
	char *c = b->data + b->used;
	memcpy(c, s, n);
	c[n] = '\0';
	b->used += n + 1;
	return c;
}

char *
strpool_dup(struct strpool *p, const char *s)
{
	return strpool_dupn(p, s, strlen(s));
}

void
strpool_free(struct strpool *p)
{
	while (p->head) {
		struct strpool_block *next = p->head->next;
		free(p->head);
		p->head = next;
	}
}

int
strpool_empty(const struct strpool *p)
{
	return p->head == NULL;
}

void
strpool_adopt(struct strpool *dst, struct strpool *src)
{
	if (src->head == NULL)
		return;
	if (dst->head == NULL) {
		dst->head = src->head;
	} else {
		/* Behind dst's current block, which stays current. */
		struct strpool_block *last = src->head;
		while (last->next)
			last = last->next;
		last->next = dst->head->next;
		dst->head->next = src->head;
	}
	src->head = NULL;
}
