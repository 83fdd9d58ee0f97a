/*
 * items.c - a paragraph's spans to boxes, glue and penalties (items.h).
 *
 * Spans are cut into boxes at breakable spaces; words are cut further at
 * their hyphenation points (flagged penalties that cost a hyphen when
 * taken) and after explicit hyphens. No-break spaces (U+00A0, U+202F)
 * stay inside boxes, so "99,9 %" or "« mot »" never splits. Every word of
 * every paragraph comes through here on the first pass, so the common
 * case (a short word of measured characters) is read once.
 */
#include "layout/items.h"

#include <stdlib.h>
#include <string.h>

#include "layout/hyph.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void grow_items(struct items *v)
{
	v->cap = v->cap ? v->cap * 2 : 256;
	v->it = xreallocarray(v->it, v->cap, sizeof *v->it);
	v->pc = xreallocarray(v->pc, v->cap, sizeof *v->pc);
}

/* Called for every word piece, space and hyphenation point: inline. */
static inline void push(struct items *v, struct lb_item it, struct piece pc)
{
	if (v->n == v->cap)
		grow_items(v);
	v->it[v->n] = it;
	v->pc[v->n] = pc;
	v->n++;
}

enum face face_styled(enum face base, int style)
{
	int bold = style & STYLE_BOLD, italic = style & STYLE_ITALIC;
	switch (base) {
	case FACE_SERIF:
	case FACE_SERIF_BOLD:
	case FACE_SERIF_ITALIC:
	case FACE_SERIF_BOLD_ITALIC:
		if (base == FACE_SERIF_BOLD)
			bold = 1;
		return bold && italic ? FACE_SERIF_BOLD_ITALIC :
		    bold ? FACE_SERIF_BOLD : italic ? FACE_SERIF_ITALIC :
		    FACE_SERIF;
	case FACE_SANS:
	case FACE_SANS_BOLD:
		return bold || base == FACE_SANS_BOLD ? FACE_SANS_BOLD :
		    FACE_SANS;
	default:
		return bold ? FACE_MONO_BOLD : FACE_MONO;
	}
}

/* utf8_decode, with the two-byte sequences of accented Latin letters
 * decoded here (a lead byte C2-DF is never overlong, and a code point
 * below U+0800 never a surrogate): French text has one in every few
 * words. */
static inline size_t decode_char(const char *s, size_t n, uint32_t *cp)
{
	unsigned char c = (unsigned char)s[0];
	if (c >= 0xC2 && c <= 0xDF && n >= 2 &&
	    ((unsigned char)s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(c & 0x1F) << 6 | ((unsigned char)s[1] & 0x3F);
		return 2;
	}
	return utf8_decode(s, n, cp);
}

/* Called for every byte of every word: inline, ASCII first. */
static inline int is_letter_at(const char *s, size_t n, size_t i, size_t *len)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*len = 1;
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}
	uint32_t cp;
	*len = decode_char(s + i, n - i, &cp);
	if (*len == 0) {
		*len = 1;
		return 0;
	}
	/* Latin letters with accents and ligatures œ, æ. */
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* Longest word measured in one pass, in bytes (see measure_word). */
#define WORD_FAST_MAX 255

/* A word measured by measure_word. */
struct word {
	/* advance of its first k bytes in 1/1000 em, where k is a
	 * character boundary; -1 inside a character */
	long cum[WORD_FAST_MAX + 1];
	int letters;	/* every character a letter (is_letter_at) */
};

/*
 * Measure the word at the start of s (n bytes left in the span; the word
 * ends at a space, a newline or the end) in one pass over its bytes, into
 * *wd. Returns its length, or 0 when it cannot be measured so: longer
 * than WORD_FAST_MAX, a byte sequence that does not decode, or a
 * character without glyph; its pieces are then measured one by one
 * (layout_measure reports the missing character). Else a piece's width
 * is the difference of two sums, the same integer fonts_text_width adds
 * up character by character (same characters, same widths), so the same
 * double; and the word is read once instead of twice (its letters, its
 * pieces' widths).
 */
static size_t measure_word(struct fonts *f, enum face face, const char *s,
    size_t n, struct word *wd)
{
	/* ASCII letters: is_letter_at's test, one load per character */
	static const unsigned char ascii_letter[128] = {
		['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
		['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
		['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
		['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
		['Y'] = 1, ['Z'] = 1,
		['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
		['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
		['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
		['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
		['y'] = 1, ['z'] = 1,
	};
	const int16_t *row0 = f->widths[face][0];	/* U+0000-U+00FF */
	size_t max = n < WORD_FAST_MAX ? n : WORD_FAST_MAX;
	size_t k = 0;
	long total = 0, *cum = wd->cum;
	unsigned letters = 1;
	cum[0] = 0;
	while (k < max) {
		/* Most characters: printable ASCII (not the space), whose
		 * width is known: a tight loop. */
		while (row0 && k < max) {
			unsigned char c = (unsigned char)s[k];
			if ((unsigned)(c - 0x21) > 0x7E - 0x21 || row0[c] < 0)
				break;
			total += row0[c];
			letters &= ascii_letter[c];
			cum[++k] = total;
		}
		if (k == max)
			break;
		unsigned char c = (unsigned char)s[k];
		if (c == ' ' || c == '\n')
			break;
		uint32_t cp = c;
		size_t len = 1;
		if (c >= 0x80 && (len = decode_char(s + k, n - k, &cp)) == 0)
			return 0;
		if (k + len > WORD_FAST_MAX)
			return 0;
		/* fonts_width's cache, read here: -2 = not yet measured,
		 * -1 = no glyph */
		const int16_t *row = cp <= 0xFFFF ? f->widths[face][cp >> 8] :
		    NULL;
		int w = row ? row[cp & 255] : -2;
		if (w == -2) {
			w = fonts_width(f, face, cp);
			row0 = f->widths[face][0];
		}
		if (w < 0)
			return 0;
		letters &= c < 0x80 ? ascii_letter[c] :
		    cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7;
		for (size_t b = 1; b < len; b++)
			cum[k + b] = -1;
		total += w;
		k += len;
		cum[k] = total;
	}
	wd->letters = (int)letters;
	return k == n || s[k] == ' ' || s[k] == '\n' ? k : 0;
}

/*
 * A word's pieces: where build_items cuts it (hyphenation points, after
 * explicit hyphens) and what follows each piece.
 */
#define PLAN_MAX 61	/* at most 60 breaks */

enum { PEN_NONE, PEN_HYPHEN, PEN_ZERO };	/* penalty after a piece */

struct plan {
	size_t n;
	size_t from[PLAN_MAX], len[PLAN_MAX];
	uint8_t pen[PLAN_MAX];
	long w[PLAN_MAX];	/* width in 1/1000 em, -1: to measure */
};

/* The pieces of word w (no breakable space inside); wd: its
 * measure_word sums, or NULL (widths then measured by emit_word). */
static void plan_word(struct hyph *h, const char *w, size_t n,
    const struct word *wd, struct plan *pl)
{
	/* Collect break offsets inside the word. */
	uint8_t brk[64];
	size_t nbrk = 0;
	int brk_hyphen[64];	/* 1 = add a hyphen when broken */
	size_t i = 0;
	if (wd && wd->letters) {
		/* One run of letters, all of the word (at most 255 bytes):
		 * what the loop below finds, without reading it again. */
		uint8_t pts[32];
		size_t np = n <= HYPH_MAX_WORD ?
		    hyph_points(h, w, n, pts, 32) : 0;
		for (size_t k = 0; k < np; k++) {
			brk[nbrk] = pts[k];
			brk_hyphen[nbrk++] = 1;
		}
		i = n;
	}
	while (i < n && nbrk < 60) {
		size_t len;
		if (is_letter_at(w, n, i, &len)) {
			size_t start = i;
			do	/* len is that of the letter at i */
				i += len;
			while (i < n && is_letter_at(w, n, i, &len));
			uint8_t pts[32];
			size_t np = (i - start) <= HYPH_MAX_WORD ?
			    hyph_points(h, w + start, i - start, pts, 32) : 0;
			for (size_t k = 0; k < np && nbrk < 60; k++) {
				brk[nbrk] = (uint8_t)(start + pts[k]);
				brk_hyphen[nbrk++] = 1;
			}
		} else {
			if (w[i] == '-' && i > 0 && i + 1 < n && i + 1 < 256 &&
			    !(w[i + 1] >= '0' && w[i + 1] <= '9')) {
				/* after an explicit hyphen, not in 2005-04-12 */
				brk[nbrk] = (uint8_t)(i + 1);
				brk_hyphen[nbrk++] = 0;
			}
			i += len;
		}
		if (i > 255)
			break;	/* offsets are bytes; long tokens: no breaks */
	}
	pl->n = 0;
	size_t from = 0;
	for (size_t k = 0; k <= nbrk; k++) {
		size_t to = k < nbrk ? brk[k] : n;
		if (to <= from)
			continue;
		size_t p = pl->n++;
		pl->from[p] = from;
		pl->len[p] = to - from;
		pl->pen[p] = k == nbrk ? PEN_NONE : brk_hyphen[k] ? PEN_HYPHEN :
		    PEN_ZERO;
		pl->w[p] = wd && wd->cum[from] >= 0 && wd->cum[to] >= 0 ?
		    wd->cum[to] - wd->cum[from] : -1;
		from = to;
	}
}

/* Append word w as the boxes and penalties of its plan; a piece wider
 * than the line (URL, hash) is cut at characters, without hyphen. */
static void emit_word(struct layout *l, struct items *v, const char *w,
    const struct plan *pl, enum face face, double size, int link,
    double line_width, double hyphen_w)
{
	for (size_t k = 0; k < pl->n; k++) {
		const char *s = w + pl->from[k];
		size_t len = pl->len[k];
		double bw = pl->w[k] >= 0 ? pl->w[k] * size / 1000.0 :
		    layout_measure(l, face, size, &s, &len);
		if (len > 1 && bw > v->widest)
			v->widest = bw;
		if (bw > line_width && len > 1) {
			size_t p = 0;
			while (p < len) {
				size_t q = p;
				double cw = 0;
				while (q < len) {
					uint32_t cp;
					size_t cl = utf8_decode(s + q, len - q, &cp);
					if (!cl)
						cl = 1;
					double chw = fonts_text_width(l->fonts,
					    face, size, s + q, cl, NULL);
					if (cw + chw > line_width && q > p)
						break;
					cw += chw;
					q += cl;
				}
				push(v, (struct lb_item){ .type = LB_BOX, .width = cw },
				    (struct piece){ s + p, (uint32_t)(q - p),
				    (unsigned char)face, PIECE_TEXT, link });
				if (q < len)
					push(v, (struct lb_item){ .type = LB_PENALTY,
					    .penalty = 100 }, (struct piece){
					    .kind = PIECE_NONE, .link = -1 });
				p = q;
			}
		} else {
			push(v, (struct lb_item){ .type = LB_BOX, .width = bw },
			    (struct piece){ s, (uint32_t)len, (unsigned char)face,
			    PIECE_TEXT, link });
		}
		if (pl->pen[k] != PEN_NONE)
			push(v, (struct lb_item){ .type = LB_PENALTY,
			    .width = pl->pen[k] == PEN_HYPHEN ? hyphen_w : 0,
			    .penalty = 50, .flagged = 1 },
			    (struct piece){ .kind = PIECE_NONE, .link = -1,
			    .face = (unsigned char)face });
	}
}

/*
 * The pieces of the words met in this pass, by face and bytes: a dossier
 * repeats its words (700,000 words, 10,000 different ones in the medium
 * bench case), and a word met again is then looked up once instead of
 * measured and hyphenated. Its plan is exactly what plan_word made for
 * it, widths in 1/1000 em (so for any size): the same boxes and
 * penalties come out. Only short words measured in one pass are kept,
 * WORDS_MAX at most.
 */
#define WORDS_LEN 24
#define WORDS_PIECES 8
#define WORDS_MAX (64 * 1024)

struct word_entry {
	uint64_t hash;
	char text[WORDS_LEN];
	uint8_t len, face, npieces;
	uint8_t from[WORDS_PIECES], plen[WORDS_PIECES], pen[WORDS_PIECES];
	int32_t w[WORDS_PIECES];
};

struct word_cache {
	struct word_entry *e;
	size_t n, cap;
	uint32_t *slots;	/* index in e + 1, 0 = empty */
	size_t nslots;		/* a power of two */
};

void items_words_free(struct layout *l)
{
	if (!l->words)
		return;
	free(l->words->e);
	free(l->words->slots);
	free(l->words);
	l->words = NULL;
}

static const struct word_entry *words_find(const struct word_cache *wc,
    uint64_t h, enum face face, const char *w, size_t n)
{
	if (!wc || !wc->nslots)
		return NULL;
	size_t mask = wc->nslots - 1;
	for (size_t i = (size_t)h & mask; wc->slots[i]; i = (i + 1) & mask) {
		const struct word_entry *e = &wc->e[wc->slots[i] - 1];
		if (e->hash == h && e->len == n && e->face == face &&
		    memcmp(e->text, w, n) == 0)
			return e;
	}
	return NULL;
}

static void words_put(struct layout *l, uint64_t h, enum face face,
    const char *w, size_t n, const struct plan *pl)
{
	if (n > WORDS_LEN || pl->n > WORDS_PIECES)
		return;
	for (size_t k = 0; k < pl->n; k++)
		if (pl->w[k] < 0)
			return;
	struct word_cache *wc = l->words;
	if (!wc)
		wc = l->words = xcalloc(1, sizeof *wc);
	if (wc->n == WORDS_MAX)
		return;
	if (wc->n == wc->cap) {
		wc->cap = wc->cap ? 2 * wc->cap : 1024;
		wc->e = xreallocarray(wc->e, wc->cap, sizeof *wc->e);
	}
	struct word_entry *e = &wc->e[wc->n++];
	e->hash = h;
	memcpy(e->text, w, n);
	e->len = (uint8_t)n;
	e->face = (uint8_t)face;
	e->npieces = (uint8_t)pl->n;
	for (size_t k = 0; k < pl->n; k++) {
		e->from[k] = (uint8_t)pl->from[k];
		e->plen[k] = (uint8_t)pl->len[k];
		e->pen[k] = pl->pen[k];
		e->w[k] = (int32_t)pl->w[k];
	}
	if (2 * wc->n > wc->nslots) {
		free(wc->slots);
		wc->nslots = wc->nslots ? 2 * wc->nslots : 4096;
		wc->slots = xcalloc(wc->nslots, sizeof *wc->slots);
		for (size_t i = 0; i < wc->n; i++) {
			size_t j = (size_t)wc->e[i].hash & (wc->nslots - 1);
			while (wc->slots[j])
				j = (j + 1) & (wc->nslots - 1);
			wc->slots[j] = (uint32_t)(i + 1);
		}
		return;
	}
	size_t j = (size_t)h & (wc->nslots - 1);
	while (wc->slots[j])
		j = (j + 1) & (wc->nslots - 1);
	wc->slots[j] = (uint32_t)wc->n;
}

/* emit_word for a word of the cache; 0 (nothing appended) when one of
 * its pieces is wider than the line: emit_word cuts it. */
static int emit_known(struct items *v, const char *w,
    const struct word_entry *e, enum face face, double size, int link,
    double line_width, double hyphen_w)
{
	double bw[WORDS_PIECES];
	for (size_t k = 0; k < e->npieces; k++) {
		bw[k] = e->w[k] * size / 1000.0;
		if (bw[k] > line_width && e->plen[k] > 1)
			return 0;
	}
	for (size_t k = 0; k < e->npieces; k++) {
		if (e->plen[k] > 1 && bw[k] > v->widest)
			v->widest = bw[k];
		push(v, (struct lb_item){ .type = LB_BOX, .width = bw[k] },
		    (struct piece){ w + e->from[k], e->plen[k],
		    (unsigned char)face, PIECE_TEXT, link });
		if (e->pen[k] != PEN_NONE)
			push(v, (struct lb_item){ .type = LB_PENALTY,
			    .width = e->pen[k] == PEN_HYPHEN ? hyphen_w : 0,
			    .penalty = 50, .flagged = 1 },
			    (struct piece){ .kind = PIECE_NONE, .link = -1,
			    .face = (unsigned char)face });
	}
	return 1;
}

/* *sp: the width of a space in the span's face, measured at its first
 * glue (*measured set then): not before, as measuring a character marks
 * it used in the font subset. */
static void add_glue(struct layout *l, struct items *v, enum face face,
    double size, double *sp, int *measured)
{
	if (v->n == 0 || v->it[v->n - 1].type != LB_BOX)
		return;	/* no space at the start or doubled */
	if (!*measured) {
		*sp = fonts_width(l->fonts, face, ' ') * size / 1000.0;
		*measured = 1;
	}
	push(v, (struct lb_item){ .type = LB_GLUE, .width = *sp,
	    .stretch = *sp / 2, .shrink = *sp / 3 },
	    (struct piece){ .kind = PIECE_NONE, .link = -1 });
}

/* The decimal digits of pg > 0 into num (at least 12 bytes). */
static void page_digits(int pg, char *num)
{
	char tmp[12];
	size_t k = 0;
	do
		tmp[k++] = (char)('0' + pg % 10);
	while ((pg /= 10) > 0);
	for (size_t i = 0; i < k; i++)
		num[i] = tmp[k - 1 - i];
	num[k] = '\0';
}

void build_items(struct layout *l, const struct para *p,
    enum face base, double size, double line_width, struct items *v)
{
	struct hyph *h = l->hyph[l->doc->opt.lang];
	struct word wd;
	for (size_t si = 0; si < p->n; si++) {
		const struct span *sp = &p->spans[si];
		enum face face = face_styled(base, sp->style);
		double hyphen_w = fonts_width(l->fonts, face, '-') * size / 1000.0;
		int link = sp->kind == SPAN_LINK ?
		    layout_anchor_doc(l, sp->anchor) : -1;
		if (sp->kind == SPAN_PAGEREF) {
			/* The number is drawn once pages are known; its
			 * width comes from the previous pass (three digits
			 * on the first). */
			char num[16] = "000";
			int pg = layout_prev_page(l, sp->anchor);
			if (pg > 0)	/* as "%d", without printf's cost */
				page_digits(pg, num);
			l->has_pagerefs = 1;
			double w = fonts_text_width(l->fonts, face, size, num,
			    strlen(num), NULL);
			push(v, (struct lb_item){ .type = LB_BOX, .width = w },
			    (struct piece){ NULL, 0, (unsigned char)face,
			    PIECE_PAGEREF, layout_anchor_doc(l, sp->anchor) });
			continue;
		}
		const char *s = sp->text;
		size_t n = strlen(s);
		size_t i = 0;
		double space_w = 0;
		int space_measured = 0;
		while (i < n) {
			if (s[i] == ' ' || s[i] == '\n') {
				add_glue(l, v, face, size, &space_w,
				    &space_measured);
				while (i < n && (s[i] == ' ' || s[i] == '\n'))
					i++;
				continue;
			}
			/* the word's end and hash (FNV-1a, from its face) */
			size_t j = i;
			uint64_t hw = 0xCBF29CE484222325ULL ^ (uint64_t)face;
			while (j < n && s[j] != ' ' && s[j] != '\n')
				hw = (hw ^ (unsigned char)s[j++]) *
				    0x100000001B3ULL;
			const struct word_entry *known = j - i <= WORDS_LEN ?
			    words_find(l->words, hw, face, s + i, j - i) : NULL;
			if (known && emit_known(v, s + i, known, face, size,
			    link, line_width, hyphen_w)) {
				i = j;
				continue;
			}
			int measured = j - i <= WORD_FAST_MAX &&
			    measure_word(l->fonts, face, s + i, n - i, &wd) ==
			    j - i;
			struct plan pl;
			plan_word(h, s + i, j - i, measured ? &wd : NULL, &pl);
			emit_word(l, v, s + i, &pl, face, size, link,
			    line_width, hyphen_w);
			if (measured && !known)
				words_put(l, hw, face, s + i, j - i, &pl);
			i = j;
		}
	}
	/* Finish: the last line is set at its natural width. */
	push(v, (struct lb_item){ .type = LB_PENALTY, .penalty = LB_INFINITY },
	    (struct piece){ .kind = PIECE_NONE, .link = -1 });
	push(v, (struct lb_item){ .type = LB_GLUE, .stretch = 1e5 },
	    (struct piece){ .kind = PIECE_NONE, .link = -1 });
	push(v, (struct lb_item){ .type = LB_PENALTY, .penalty = -LB_INFINITY },
	    (struct piece){ .kind = PIECE_NONE, .link = -1 });
}
