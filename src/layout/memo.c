/*
 * memo.c - paragraph layouts kept across the passes of layout_run (memo.h).
 *
 * An open-addressing hash table of entries; each entry owns a copy of the
 * key's spans (pointers only: the texts belong to the doc) and of the
 * result.
 *
 * A later pass asks for the paragraphs in the order the first one made
 * them, so the entries are also chained in the order they were made and
 * the memo first tries the entry after the last one found (the cursor):
 * a pass then reads the entries one after the other, from memory laid
 * out in that order, instead of hashing every key and missing the cache
 * on a random slot, then on a random entry. A key has one live entry
 * (insert() marks the one it replaces dead), so the cursor, when it
 * matches, is the entry the table would give.
 *
 * Entries and their ops are cut from large blocks (an arena) instead of
 * being malloc'd one by one: a big dossier has hundreds of thousands of
 * entries, and malloc's per-block overhead and the holes left between
 * them cost about as much as the data itself. They live until memo_free,
 * or until the last pass of layout_run has gone past the doc blocks they
 * were made for (memo_doc_block). An entry replaced by insert() stays in
 * its block (that is rare: the same key laid out again with other anchor
 * ids, or a table whose column widths moved with its page numbers).
 */
#include "layout/memo.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/xalloc.h"

/*
 * A large dossier has a million entries (1.18 million on the large bench
 * case, 453,000 of them a table cell's widths): only what is needed,
 * packed, in one piece: the entry, its spans, then its result (struct
 * memo_lines or memo_widths, with what of the key only lines have).
 * That took the large bench case's memo from 458 to about 410 MB.
 */
struct memo_entry {
	struct memo_entry *next;	/* made after this one */
	double size;			/* the key's */
	uint32_t seq;			/* the arena block it is in */
	unsigned char kind, base;	/* enum memo_kind, enum face */
	unsigned char dead;		/* replaced by insert() */
	signed char align;		/* enum align */
	uint32_t nspans, nlinks;
	int *links;		/* anchor id of each link span, in order;
				 * NULL when there is none */
	struct span spans[];	/* nspans, then the result */
};

/* MEMO_LINES: see struct line_ops. */
struct memo_lines {
	double x, width, leading;	/* the key's */
	double height;
	struct op *ops;
	size_t n, nlines;
	size_t line_first[];		/* nlines + 1 */
};

struct memo_widths {
	double minw, maxw;
};

/* The result after e's spans. */
static void *result_of(const struct memo_entry *e)
{
	return (void *)(e->spans + e->nspans);
}

/* A block of the arena; data is handed out from the front. */
struct memo_block {
	size_t used, size;
	size_t last_doc_block;	/* the doc's last block with data here */
	max_align_t data[];
};

#define MEMO_BLOCK_SIZE (1024 * 1024 - 4096)

/* A block is mapped by itself rather than malloc'd: freed while the
 * layout goes on (memo_doc_block), it goes back to the system at once,
 * where malloc would keep it in its heap (its threshold for mapping
 * rises past 1 MB as soon as the first large array is freed), out of
 * reach of the large arrays the layout grows meanwhile. */
static struct memo_block *block_new(size_t size)
{
	size_t len = sizeof(struct memo_block) + size;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "dossier: out of memory (asked for %zu "
		    "bytes)\n", len);
		exit(2);
	}
	struct memo_block *b = p;
	b->used = 0;
	b->size = size;
	b->last_doc_block = 0;
	return b;
}

static void block_free(struct memo_block *b)
{
	if (b)
		munmap(b, sizeof *b + b->size);
}

struct memo_slot {
	uint32_t hash;		/* the low half of the key's hash */
	uint32_t seq;		/* the entry's block (see memo_doc_block) */
	struct memo_entry *e;
};

struct para_memo {
	/* Each slot holds (half) its entry's hash and its block: a probe
	 * that meets another key (and the rehash when the table grows)
	 * reads no entry, which on a large dossier would be a cache miss
	 * each, nor one whose block is freed (memo_doc_block). */
	struct memo_slot *slots;	/* e NULL = empty */
	size_t cap, used;		/* cap: a power of two */
	/* The arena's blocks in the order they were made (the last one
	 * current); those before `freed` are freed (NULL). */
	struct memo_block **blocks;
	size_t nblocks, capblocks, freed;
	size_t doc_block;	/* the doc's block being laid out */
	struct memo_entry *last;	/* the one made last */
	struct memo_entry *cursor;	/* the next one expected, or NULL */
	struct index_terms *index;	/* see memo_index_terms */
};

struct para_memo *memo_new(void)
{
	struct para_memo *m = xcalloc(1, sizeof *m);
	m->cap = 1024;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

/* n bytes from the arena, aligned for any type; freed by memo_free
 * (or memo_doc_block). */
static void *memo_alloc(struct para_memo *m, size_t n)
{
	size_t align = _Alignof(max_align_t);
	n = (n + align - 1) / align * align;
	struct memo_block *b = m->nblocks ? m->blocks[m->nblocks - 1] : NULL;
	if (!b || b->size - b->used < n) {
		/* A result larger than a block gets a block of its own. */
		b = block_new(n > MEMO_BLOCK_SIZE ? n : MEMO_BLOCK_SIZE);
		if (m->nblocks == m->capblocks) {
			m->capblocks = m->capblocks ? m->capblocks * 2 : 64;
			m->blocks = xreallocarray(m->blocks, m->capblocks,
			    sizeof *m->blocks);
		}
		m->blocks[m->nblocks++] = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	b->last_doc_block = m->doc_block;
	return p;
}

void memo_doc_block(struct para_memo *m, size_t i, int release)
{
	if (!m)
		return;
	m->doc_block = i;
	if (!release)
		return;
	/* Blocks in the order they were made, so are their doc blocks
	 * (but for those made by a pass that missed, at the end); the
	 * current block and the last entry's stay. */
	size_t upto = m->freed;
	while (upto + 1 < m->nblocks && m->blocks[upto]->last_doc_block < i)
		upto++;
	if (m->last && upto > m->last->seq)	/* the next insert links it */
		upto = m->last->seq;
	if (upto == m->freed)
		return;
	if (m->cursor && m->cursor->seq < upto)
		m->cursor = NULL;
	for (; m->freed < upto; m->freed++) {
		block_free(m->blocks[m->freed]);
		m->blocks[m->freed] = NULL;
	}
}

void memo_free(struct para_memo *m)
{
	if (!m)
		return;
	for (size_t i = m->freed; i < m->nblocks; i++)
		block_free(m->blocks[i]);
	free(m->blocks);
	free(m->slots);
	index_terms_free(m->index);
	free(m);
}

struct index_terms *memo_index_terms(struct para_memo *m)
{
	return m->index;
}

void memo_keep_index_terms(struct para_memo *m, struct index_terms *t)
{
	m->index = t;
}

int memo_cacheable(const struct para *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->spans[i].kind == SPAN_PAGEREF)
			return 0;
	return 1;
}

/* Mix one 64-bit word into h (multiply and fold): a key is a handful of
 * words, hashed for every paragraph, so no byte-at-a-time loop. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

/* Hash of a key: its geometry and, per span, what identifies it. */
static uint64_t key_hash(const struct memo_key *k)
{
	uint64_t h = mix(0, (uint64_t)k->kind << 32 | (uint64_t)k->base << 8 |
	    (uint64_t)(unsigned)k->p->align);
	h = mix(h, bits(k->x));
	h = mix(h, bits(k->width));
	h = mix(h, bits(k->size));
	h = mix(h, bits(k->leading));
	for (size_t i = 0; i < k->p->n; i++) {
		const struct span *s = &k->p->spans[i];
		h = mix(h, (uint64_t)(uintptr_t)s->text);
		h = mix(h, (uint64_t)(uintptr_t)s->anchor ^
		    (uint64_t)(unsigned)s->style << 48);
	}
	return h;
}

static int same_spans(const struct span *a, const struct span *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].kind != b[i].kind || a[i].style != b[i].style ||
		    a[i].text != b[i].text || a[i].anchor != b[i].anchor)
			return 0;
	return 1;
}

/* k's hash, computed on first use. */
static uint64_t hash_of(struct memo_key *k)
{
	if (!k->hashed) {
		k->hash = key_hash(k);
		k->hashed = 1;
	}
	return k->hash;
}

static int same_key(const struct memo_entry *e, const struct memo_key *k)
{
	/* Doubles compared exactly: a different width is another layout. */
	if (e->kind != k->kind || e->base != k->base ||
	    e->align != k->p->align || e->size != k->size ||
	    e->nspans != k->p->n)
		return 0;
	if (e->kind == MEMO_LINES) {
		const struct memo_lines *r = result_of(e);
		if (r->x != k->x || r->width != k->width ||
		    r->leading != k->leading)
			return 0;
	}	/* widths: x, width and leading are 0 in every key */
	return same_spans(e->spans, k->p->spans, e->nspans);
}

/* The slot holding key, or the empty slot where it would go. */
static struct memo_slot *find_slot(struct para_memo *m, uint64_t h,
    const struct memo_key *k)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;
	while (m->slots[i].e && !(m->slots[i].hash == (uint32_t)h &&
	    m->slots[i].seq >= m->freed && same_key(m->slots[i].e, k)))
		i = (i + 1) & mask;
	return &m->slots[i];
}

static void grow(struct para_memo *m)
{
	size_t ncap = m->cap * 2, mask = ncap - 1;
	struct memo_slot *ns = xcalloc(ncap, sizeof *ns);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].e)
			continue;
		if (m->slots[i].seq < m->freed) {	/* freed: forgotten */
			m->used--;
			continue;
		}
		size_t j = (size_t)m->slots[i].hash & mask;
		while (ns[j].e)
			j = (j + 1) & mask;
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
}

/*
 * Look the anchors of the link spans up, as a real layout of the
 * paragraph would (the first lookup of a name creates its anchor, so the
 * order of lookups fixes the ids), and compare with the stored ids. The
 * ids are the same in every pass in practice; if they ever differ, the
 * stored ops are wrong for this pass and the paragraph is laid out again.
 */
static int links_match(struct layout *l, const struct memo_entry *e,
    const struct para *p)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (p->spans[i].kind != SPAN_LINK)
			continue;
		int id = layout_anchor_doc(l, p->spans[i].anchor);
		if (k >= e->nlinks || e->links[k++] != id)
			return 0;
	}
	return 1;
}

static struct memo_entry *lookup(struct layout *l, struct para_memo *m,
    struct memo_key *k)
{
	if (!m)
		return NULL;
	struct memo_entry *e = m->cursor;
	if (!e || e->dead || !same_key(e, k))
		e = find_slot(m, hash_of(k), k)->e;
	m->cursor = e ? e->next : NULL;
	return e && links_match(l, e, k->p) ? e : NULL;
}

/* A new entry for key (replacing one with the same key, if any), with
 * room for a result of `result` bytes. */
static struct memo_entry *insert(struct layout *l, struct para_memo *m,
    struct memo_key *k, size_t result)
{
	if ((m->used + 1) * 4 > m->cap * 3)	/* at most 3/4 full */
		grow(m);
	uint64_t h = hash_of(k);
	struct memo_slot *slot = find_slot(m, h, k);
	if (slot->e)	/* replaced; the old one stays in the arena */
		slot->e->dead = 1;
	else
		m->used++;
	size_t nspans = k->p->n;
	struct memo_entry *e = memo_alloc(m, sizeof *e +
	    nspans * sizeof *e->spans + result);
	memset(e, 0, sizeof *e);
	e->seq = (uint32_t)(m->nblocks - 1);
	e->size = k->size;
	e->kind = (unsigned char)k->kind;
	e->base = (unsigned char)k->base;
	e->align = (signed char)k->p->align;
	e->nspans = (uint32_t)nspans;
	if (nspans)	/* an empty paragraph may have no span array */
		memcpy(e->spans, k->p->spans, nspans * sizeof *e->spans);
	for (size_t i = 0; i < nspans; i++) {
		if (e->spans[i].kind != SPAN_LINK)
			continue;
		if (!e->links)
			e->links = memo_alloc(m, nspans * sizeof *e->links);
		e->links[e->nlinks++] = layout_anchor_doc(l,
		    e->spans[i].anchor);
	}
	*slot = (struct memo_slot){ (uint32_t)h, e->seq, e };
	if (m->last)
		m->last->next = e;
	m->last = e;
	return e;
}

/* The lines kept in e, borrowed. */
static void entry_lines(const struct memo_entry *e, struct line_ops *out)
{
	struct memo_lines *r = result_of(e);
	*out = (struct line_ops){ .ops = r->ops, .n = r->n, .cap = r->n,
	    .line_first = r->line_first, .nlines = r->nlines,
	    .leading = r->leading, .height = r->height, .borrowed = 1 };
}

int memo_get_lines(struct layout *l, struct para_memo *m,
    struct memo_key *key, struct line_ops *out)
{
	struct memo_entry *e = lookup(l, m, key);
	if (!e)
		return 0;
	entry_lines(e, out);
	return 1;
}

void memo_put_lines(struct layout *l, struct para_memo *m,
    struct memo_key *key, const struct line_ops *lines,
    struct line_ops *out)
{
	/* lines->leading is the key's, which the entry keeps */
	size_t nfirst = lines->nlines + 1;
	struct memo_entry *e = insert(l, m, key, sizeof(struct memo_lines) +
	    nfirst * sizeof(size_t));
	struct memo_lines *r = result_of(e);
	r->x = key->x;
	r->width = key->width;
	r->leading = key->leading;
	r->height = lines->height;
	r->n = lines->n;
	r->nlines = lines->nlines;
	memcpy(r->line_first, lines->line_first, nfirst * sizeof(size_t));
	r->ops = memo_alloc(m, lines->n * sizeof *r->ops);
	if (lines->n)
		memcpy(r->ops, lines->ops, lines->n * sizeof *r->ops);
	entry_lines(e, out);
}

int memo_get_widths(struct layout *l, struct para_memo *m,
    struct memo_key *key, double *minw, double *maxw)
{
	struct memo_entry *e = lookup(l, m, key);
	if (!e)
		return 0;
	const struct memo_widths *r = result_of(e);
	*minw = r->minw;
	*maxw = r->maxw;
	return 1;
}

void memo_put_widths(struct layout *l, struct para_memo *m,
    struct memo_key *key, double minw, double maxw)
{
	if (!m)
		return;
	struct memo_entry *e = insert(l, m, key, sizeof(struct memo_widths));
	struct memo_widths *r = result_of(e);
	r->minw = minw;
	r->maxw = maxw;
}
