/*
 * acmatch.c - Aho-Corasick multi-pattern matching (see acmatch.h).
 *
 * The patterns make a trie, one node per distinct prefix. Each node
 * also gets a "fail" link: the node of the longest proper suffix of its
 * prefix that is also a prefix in the trie. Scanning walks the trie;
 * when the next byte has no child, it follows fail links until one
 * has (or the root is reached), so each text byte is looked at a
 * bounded number of times on average, however many patterns there are.
 * A "dict" link points to the nearest node along the fail chain where a
 * pattern ends, so all patterns ending at a position are found without
 * walking the whole chain.
 *
 * Children are kept as a list per node (patterns are names and
 * addresses: most nodes have one child), except for the root, which
 * has a table of all 256 bytes since nearly every text byte that
 * starts no pattern is looked up there.
 */
#include "util/acmatch.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct node {
	int child;		/* first child, -1 if none */
	int sibling;		/* next child of the same parent, -1 */
	int fail;		/* see above; the root's is itself */
	int dict;		/* nearest node on the fail chain ending a
				 * pattern, -1 if none */
	int out;		/* first id of a pattern ending here, -1 */
	unsigned char byte;	/* the byte leading here from the parent */
};

struct acmatch {
	struct node *nodes;	/* nodes[0] is the root */
	size_t nnodes, cap;
	int *same;		/* per id: next id of an equal pattern, -1 */
	size_t nids, idcap;
	int root_next[256];	/* the root's child for each byte, or 0 */
	int built;
};

static int
new_node(struct acmatch *a, unsigned char byte)
{
	if (a->nnodes == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->nodes = xreallocarray(a->nodes, a->cap, sizeof(*a->nodes));
	}
	a->nodes[a->nnodes] = (struct node){ -1, -1, 0, -1, -1, byte };
	return (int)a->nnodes++;
}

/* The child of node n for byte b, or -1. */
static int
child(const struct acmatch *a, int n, unsigned char b)
{
	for (int k = a->nodes[n].child; k >= 0; k = a->nodes[k].sibling)
		if (a->nodes[k].byte == b)
			return k;
	return -1;
}

struct acmatch *
acm_new(void)
{
	struct acmatch *a = xcalloc(1, sizeof(*a));
	new_node(a, 0);
	return a;
}

int
acm_add(struct acmatch *a, const char *pat, size_t len)
{
	if (a->nids == a->idcap) {
		a->idcap = a->idcap ? 2 * a->idcap : 64;
		a->same = xreallocarray(a->same, a->idcap, sizeof(int));
	}
	int id = (int)a->nids++;
	a->same[id] = -1;
	if (len == 0 || a->built)
		return id;	/* never matches */
	int n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)pat[i];
		int k = child(a, n, b);
		if (k < 0) {
			k = new_node(a, b);
			/* new_node may have moved the array: index again. */
			a->nodes[k].sibling = a->nodes[n].child;
			a->nodes[n].child = k;
		}
		n = k;
	}
	/* An equal pattern added before: chain this id after the last. */
	int *last = &a->nodes[n].out;
	while (*last >= 0)
		last = &a->same[*last];
	*last = id;
	return id;
}

void
acm_build(struct acmatch *a)
{
	if (a->built)
		return;
	a->built = 1;
	/* Breadth first, so a node's fail target (a shorter prefix) is
	 * done before the node. */
	int *queue = xcalloc(a->nnodes, sizeof(int));
	size_t head = 0, tail = 0;
	for (int k = a->nodes[0].child; k >= 0; k = a->nodes[k].sibling) {
		a->nodes[k].fail = 0;
		a->root_next[a->nodes[k].byte] = k;
		queue[tail++] = k;
	}
	while (head < tail) {
		int u = queue[head++];
		for (int v = a->nodes[u].child; v >= 0; v = a->nodes[v].sibling) {
			unsigned char b = a->nodes[v].byte;
			/* The longest suffix of u's prefix that can be
			 * followed by b. */
			int f = a->nodes[u].fail, g;
			while (f != 0 && (g = child(a, f, b)) < 0)
				f = a->nodes[f].fail;
			g = f == 0 ? a->root_next[b] : child(a, f, b);
			a->nodes[v].fail = g;
			a->nodes[v].dict = a->nodes[g].out >= 0 ? g :
			    a->nodes[g].dict;
			queue[tail++] = v;
		}
	}
	free(queue);
}

int
acm_scan(const struct acmatch *a, const char *text, size_t len,
    int (*fn)(int id, size_t end, void *arg), void *arg)
{
	const struct node *nodes = a->nodes;
	int s = 0;
	if (!a->built)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)text[i];
		/* Fall back along fail links until b can follow. */
		for (;;) {
			if (s == 0) {
				s = a->root_next[b];
				break;
			}
			int t = child(a, s, b);
			if (t >= 0) {
				s = t;
				break;
			}
			s = nodes[s].fail;
		}
		/* Every pattern ending here: this node's, then those of
		 * its suffixes, longest first. */
		for (int k = nodes[s].out >= 0 ? s : nodes[s].dict; k > 0;
		    k = nodes[k].dict)
			for (int id = nodes[k].out; id >= 0; id = a->same[id]) {
				int r = fn(id, i + 1, arg);
				if (r)
					return r;
			}
	}
	return 0;
}

void
acm_free(struct acmatch *a)
{
	if (a == NULL)
		return;
	free(a->nodes);
	free(a->same);
	free(a);
}
