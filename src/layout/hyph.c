/*
 * hyph.c - libhyphen wrapper with a per-word cache.
 *
 * Body text repeats words a lot; a hash table of word -> points makes
 * hyphenation cost one lookup for most words.
 */
#include "layout/hyph.h"

#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct entry {
	char *word;		/* NULL = empty slot */
	uint8_t len;		/* of word: compared before the bytes */
	uint8_t npoints;
	uint8_t points[HYPH_MAX_WORD / 2];
};

struct hyph {
	HyphenDict *dict;
	int lhmin, rhmin;
	struct entry *tab;
	size_t cap, used;
};

/*
 * Dictionaries are loaded once per process and kept: a layout runs up to
 * four passes, and libhyphen's own free leaks part of the French
 * dictionary (checked under LeakSanitizer), so loading once is both
 * faster and clean. Loading takes no lock: a layout on several threads
 * opens every thread's hyph before starting them (chunk.c); a loaded
 * dictionary is only read (hnj_hyphen_hyphenate3 writes to its
 * arguments and its own allocations), and each hyph has its own cache.
 */
static HyphenDict *dicts[2];

struct hyph *hyph_open(enum lang lang)
{
	const char *path = lang == LANG_FR ? "/usr/share/hyphen/hyph_fr.dic" :
	    "/usr/share/hyphen/hyph_en_US.dic";
	int k = lang == LANG_FR ? 0 : 1;
	if (!dicts[k])
		dicts[k] = hnj_hyphen_load(path);
	HyphenDict *dict = dicts[k];
	if (!dict)
		return NULL;
	struct hyph *h = xcalloc(1, sizeof *h);
	h->dict = dict;
	h->lhmin = 2;
	h->rhmin = 3;
	h->cap = 1024;
	h->tab = xcalloc(h->cap, sizeof *h->tab);
	return h;
}

void hyph_close(struct hyph *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->cap; i++)
		free(h->tab[i].word);
	free(h->tab);
	free(h);	/* the dictionary stays loaded, see above */
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t x = 1469598103934665603ULL;	/* FNV-1a */
	for (size_t i = 0; i < n; i++)
		x = (x ^ (unsigned char)s[i]) * 1099511628211ULL;
	return x;
}

static struct entry *slot(struct entry *tab, size_t cap, const char *w,
    size_t n)
{
	size_t i = hash(w, n) & (cap - 1);
	while (tab[i].word && !(tab[i].len == n &&
	    memcmp(tab[i].word, w, n) == 0))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static void grow(struct hyph *h)
{
	size_t ncap = h->cap * 2;
	struct entry *nt = xcalloc(ncap, sizeof *nt);
	for (size_t i = 0; i < h->cap; i++)
		if (h->tab[i].word)
			*slot(nt, ncap, h->tab[i].word,
			    strlen(h->tab[i].word)) = h->tab[i];
	free(h->tab);
	h->tab = nt;
	h->cap = ncap;
}

/* Lower-case ASCII and Latin-1 letters in place; same byte length. */
static void lower(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			s[i] = (char)(c + 32);
		else if (c == 0xC3 && i + 1 < n) {
			unsigned char d = (unsigned char)s[i + 1];
			if (d >= 0x80 && d <= 0x9E && d != 0x97)
				s[i + 1] = (char)(d + 32);
			i++;
		}
	}
}

static void compute(struct hyph *h, const char *w, size_t n,
    struct entry *e)
{
	char word[HYPH_MAX_WORD + 1];
	char hyphens[HYPH_MAX_WORD + 5];
	memcpy(word, w, n);
	word[n] = '\0';
	lower(word, n);
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	e->npoints = 0;
	if (hnj_hyphen_hyphenate3(h->dict, word, (int)n, hyphens, NULL, &rep,
	    &pos, &cut, h->lhmin, h->rhmin, 0, 0) == 0) {
		/* hyphens[i] odd: break after the i-th character. With a
		 * UTF-8 dictionary libhyphen counts characters, not bytes
		 * (checked: hé=ber=ge=ment), so map back to byte offsets.
		 * Non-standard breaks (rep, e.g. German ck) are skipped. */
		size_t byte = 0, ch = 0;
		size_t nchars = 0;
		for (size_t i = 0; i < n; i++)
			if (((unsigned char)word[i] & 0xC0) != 0x80)
				nchars++;
		while (byte < n && ch + 1 < nchars) {
			/* advance over character ch */
			byte++;
			while (byte < n && ((unsigned char)word[byte] & 0xC0) == 0x80)
				byte++;
			if ((hyphens[ch] & 1) && !(rep && rep[ch]) &&
			    e->npoints < sizeof e->points)
				e->points[e->npoints++] = (uint8_t)byte;
			ch++;
		}
	}
	if (rep) {
		for (size_t i = 0; i < n; i++)
			free(rep[i]);	/* rep has word_size entries */
		free(rep);
	}
	free(pos);
	free(cut);
}

size_t hyph_points(struct hyph *h, const char *w, size_t n, uint8_t *points,
    size_t max)
{
	if (!h || n < 5 || n > HYPH_MAX_WORD)
		return 0;
	struct entry *e = slot(h->tab, h->cap, w, n);
	if (!e->word) {
		if ((h->used + 1) * 2 > h->cap) {
			grow(h);
			e = slot(h->tab, h->cap, w, n);
		}
		compute(h, w, n, e);
		e->word = xstrndup(w, n);
		e->len = (uint8_t)n;	/* n <= HYPH_MAX_WORD */
		h->used++;
	}
	size_t k = e->npoints < max ? e->npoints : max;
	for (size_t i = 0; i < k; i++)	/* a few bytes: no memcpy call */
		points[i] = e->points[i];
	return k;
}
