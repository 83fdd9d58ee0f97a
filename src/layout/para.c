/*
 * para.c - a run of styled spans to justified (or ragged) lines.
 *
 * Spans are cut into boxes at breakable spaces; words are cut further at
 * their hyphenation points (flagged penalties that cost a hyphen when
 * taken). No-break spaces (U+00A0, U+202F) stay inside boxes, so "99,9 %"
 * or "« mot »" never splits. Justified text goes through the total-fit
 * breaker; ragged text (cells, values) through first-fit.
 */
#include "layout/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/hyph.h"
#include "layout/linebreak.h"
#include "layout/memo.h"
#include "util/utf8.h"
#include "util/xalloc.h"

enum piece_kind { PIECE_TEXT, PIECE_PAGEREF, PIECE_NONE };

struct piece {
	const char *text;
	uint32_t len;
	unsigned char face;
	unsigned char kind;
	int link;		/* anchor id or -1 */
};

struct items {
	struct lb_item *it;
	struct piece *pc;
	size_t n, cap;
};

/*
 * The arrays of a paragraph being laid out, kept by the layout and reused
 * by the next paragraph (layout_para_lines and layout_para_widths are
 * never nested): a dossier has tens of thousands of paragraphs and cells,
 * and growing fresh arrays for each cost more than measuring the words.
 */
struct para_buffers {
	struct items v;
	size_t *breaks;		/* line k ends at item breaks[k] */
	double *ratios;		/* adjustment ratio of line k */
	size_t cap;		/* entries of breaks and ratios */
	/* The lines being made (para_lines), copied out at the exact size
	 * when done: growing a fresh array per paragraph and shrinking it
	 * after left millions of freed tails between the arrays kept. */
	struct line_ops lines;
	size_t line_cap;	/* entries of lines.line_first */
};

static struct items *items_reset(struct layout *l)
{
	if (!l->para_buf)
		l->para_buf = xcalloc(1, sizeof *l->para_buf);
	l->para_buf->v.n = 0;
	return &l->para_buf->v;
}

void para_buffers_free(struct layout *l)
{
	struct para_buffers *b = l->para_buf;
	if (!b)
		return;
	free(b->v.it);
	free(b->v.pc);
	free(b->breaks);
	free(b->ratios);
	free(b->lines.ops);
	free(b->lines.line_first);
	free(b);
	l->para_buf = NULL;
}

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
 * character without glyph; the caller then finds its end and measures it
 * piece by piece as before (layout_measure reports the missing
 * character). A piece's width is then the difference of two sums, the
 * same integer fonts_text_width adds up character by character (same
 * characters, same widths), so the same double; and the word is read once
 * instead of three times (its end, its letters, its pieces' widths).
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

/* Append a word (no breakable space inside) as boxes split at
 * hyphenation points and after explicit hyphens. wd: the word measured
 * by measure_word, or NULL to measure each piece. */
static void add_word(struct layout *l, struct items *v, const char *w,
    size_t n, enum face face, double size, int link, struct hyph *h,
    double line_width, double hyphen_w, const struct word *wd)
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
	size_t from = 0;
	for (size_t k = 0; k <= nbrk; k++) {
		size_t to = k < nbrk ? brk[k] : n;
		if (to <= from)
			continue;
		const char *s = w + from;
		size_t len = to - from;
		double bw = wd && wd->cum[from] >= 0 && wd->cum[to] >= 0 ?
		    (wd->cum[to] - wd->cum[from]) * size / 1000.0 :
		    layout_measure(l, face, size, &s, &len);
		if (bw > line_width && len > 1) {
			/* A piece wider than the line (URL, hash): cut it
			 * at character boundaries, no hyphen. */
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
		if (k < nbrk)
			push(v, (struct lb_item){ .type = LB_PENALTY,
			    .width = brk_hyphen[k] ? hyphen_w : 0,
			    .penalty = 50, .flagged = 1 },
			    (struct piece){ .kind = PIECE_NONE, .link = -1,
			    .face = (unsigned char)face });
		from = to;
	}
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

static void build_items(struct layout *l, const struct para *p,
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
			size_t j = i + measure_word(l->fonts, face, s + i, n - i,
			    &wd);
			int measured = j > i;
			while (j < n && s[j] != ' ' && s[j] != '\n')
				j++;
			add_word(l, v, s + i, j - i, face, size, link, h,
			    line_width, hyphen_w, measured ? &wd : NULL);
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

static struct op *lo_push(struct line_ops *lo)
{
	if (lo->n == lo->cap) {
		lo->cap = lo->cap ? lo->cap * 2 : 64;
		lo->ops = xreallocarray(lo->ops, lo->cap, sizeof *lo->ops);
	}
	struct op *o = &lo->ops[lo->n++];
	memset(o, 0, sizeof *o);
	return o;
}

void line_ops_free(struct line_ops *lo)
{
	if (!lo->borrowed) {
		free(lo->ops);
		free(lo->line_first);
	}
	memset(lo, 0, sizeof *lo);
}

/* Copy the lines in into *out at their exact size (out owns them). */
static void line_ops_copy(const struct line_ops *in, struct line_ops *out)
{
	*out = *in;
	out->borrowed = 0;
	out->cap = in->n;
	out->ops = xreallocarray(NULL, in->n, sizeof *out->ops);
	if (in->n)
		memcpy(out->ops, in->ops, in->n * sizeof *out->ops);
	size_t nfirst = in->nlines + 1;
	out->line_first = xreallocarray(NULL, nfirst, sizeof *out->line_first);
	memcpy(out->line_first, in->line_first, nfirst * sizeof *out->line_first);
}

/* The lines of p, in the layout's scratch arrays (valid until the next
 * call; the caller copies them). */
static const struct line_ops *para_lines(struct layout *l,
    const struct para *p, double x, double width, enum face base,
    double size, double leading)
{
	struct items *items = items_reset(l);
	build_items(l, p, base, size, width, items);
	const struct items v = *items;
	struct para_buffers *pb = l->para_buf;
	struct line_ops *out = &pb->lines;
	out->n = 0;
	out->leading = leading;
	out->borrowed = 1;	/* the scratch arrays stay with pb */
	if (pb->cap < v.n) {
		pb->cap = v.cap;
		pb->breaks = xreallocarray(pb->breaks, pb->cap, sizeof *pb->breaks);
		pb->ratios = xreallocarray(pb->ratios, pb->cap, sizeof *pb->ratios);
	}
	size_t *breaks = pb->breaks;
	double *ratios = pb->ratios;
	size_t nlines = p->align == ALIGN_JUSTIFY ?
	    linebreak_total_fit(v.it, v.n, width, breaks, ratios) :
	    linebreak_first_fit(v.it, v.n, width, breaks, ratios);
	if (pb->line_cap < nlines + 1) {
		pb->line_cap = nlines + 1 > 64 ? nlines + 1 : 64;
		out->line_first = xreallocarray(out->line_first, pb->line_cap,
		    sizeof *out->line_first);
	}
	out->nlines = nlines;
	double baseline = leading * 0.78;
	size_t start = 0;
	for (size_t k = 0; k < nlines; k++) {
		out->line_first[k] = out->n;
		size_t b = breaks[k];
		double r = p->align == ALIGN_JUSTIFY ? ratios[k] : 0;
		/* Skip discardable items at the line start. */
		while (start < b && v.it[start].type != LB_BOX)
			start++;
		/* Natural width, for ragged alignment. */
		double natural = 0;
		for (size_t i = start; i < b; i++)
			if (v.it[i].type != LB_PENALTY)
				natural += v.it[i].width;
		int hyphen = v.it[b].type == LB_PENALTY && v.it[b].flagged &&
		    v.it[b].width > 0;
		if (hyphen)
			natural += v.it[b].width;
		double cx = x;
		if (p->align == ALIGN_RIGHT)
			cx = x + width - natural;
		else if (p->align == ALIGN_CENTER)
			cx = x + (width - natural) / 2;
		double y = k * leading + baseline;
		/* indices, not pointers: lo_push may move the array */
		long last_text = -1, last_link = -1;
		for (size_t i = start; i < b; i++) {
			const struct lb_item *it = &v.it[i];
			const struct piece *pc = &v.pc[i];
			if (it->type == LB_GLUE) {
				cx += it->width + (r > 0 ? r * it->stretch :
				    r * it->shrink);
				last_text = -1;
				continue;
			}
			if (it->type != LB_BOX)
				continue;
			uint32_t color = pc->link >= 0 ? COLOR_LINK : COLOR_TEXT;
			if (pc->kind == PIECE_PAGEREF) {
				struct op *o = lo_push(out);
				o->kind = OP_PAGEREF;
				o->x = (float)cx;
				o->y = (float)y;
				o->w = (float)it->width;
				o->face = pc->face;
				o->size = (float)size;
				o->ref = pc->link;
				o->align = ALIGN_LEFT;
				last_text = -1;
				/* A page number links to its page. */
				struct op *lk = lo_push(out);
				lk->kind = OP_LINK;
				lk->x = (float)cx;
				lk->y = (float)(y - size);
				lk->w = (float)it->width;
				lk->h = (float)(size * 1.25);
				lk->ref = pc->link;
				cx += it->width;
				continue;
			}
			struct op *lt = last_text >= 0 ? &out->ops[last_text] : NULL;
			if (lt && lt->face == pc->face &&
			    lt->text + lt->len == pc->text && lt->color == color) {
				lt->len += pc->len;	/* word pieces */
				lt->w += (float)it->width;
			} else {
				struct op *o = lo_push(out);
				o->kind = OP_TEXT;
				o->x = (float)cx;
				o->y = (float)y;
				o->face = pc->face;
				o->size = (float)size;
				o->color = color;
				o->text = pc->text;
				o->len = pc->len;
				o->w = (float)it->width;
				last_text = (long)(out->n - 1);
			}
			if (pc->link >= 0) {
				struct op *ll = last_link >= 0 ?
				    &out->ops[last_link] : NULL;
				if (ll && ll->ref == pc->link) {
					ll->w = (float)(cx + it->width - ll->x);
				} else {
					struct op *lk = lo_push(out);
					lk->kind = OP_LINK;
					lk->x = (float)cx;
					lk->y = (float)(y - size);
					lk->w = (float)it->width;
					lk->h = (float)(size * 1.25);
					lk->ref = pc->link;
					last_link = (long)(out->n - 1);
					/* text after the link op cannot merge
					 * into an op before it */
					last_text = -1;
				}
			}
			cx += it->width;
		}
		if (hyphen) {
			struct op *o = lo_push(out);
			o->kind = OP_TEXT;
			o->x = (float)cx;
			o->y = (float)y;
			o->face = v.pc[b].face;
			o->size = (float)size;
			o->text = "-";
			o->len = 1;
			o->w = (float)v.it[b].width;
		}
		start = b + 1;
	}
	out->line_first[nlines] = out->n;
	out->height = nlines * leading;
	return out;
}

/*
 * The lines of p: the memo's copy when an earlier pass (or call) laid out
 * the same paragraph at the same place, else laid out now and remembered
 * when nothing in it depends on the pass (see memo.h).
 */
void layout_para_lines(struct layout *l, const struct para *p, double x,
    double width, enum face base, double size, double leading,
    struct line_ops *out)
{
	struct memo_key key = { MEMO_LINES, p, x, width, size, leading, base,
	    0, 0 };
	int cacheable = l->memo && memo_cacheable(p);
	if (cacheable && memo_get_lines(l, l->memo, &key, out))
		return;
	size_t nstrings = l->nstrings;	/* grows on a missing character */
	const struct line_ops *lines = para_lines(l, p, x, width, base, size,
	    leading);
	if (cacheable && l->nstrings == nstrings)
		memo_put_lines(l, l->memo, &key, lines, out);
	else
		line_ops_copy(lines, out);
}

static void para_widths(struct layout *l, const struct para *p,
    enum face base, double size, double *minw, double *maxw)
{
	struct items *items = items_reset(l);
	build_items(l, p, base, size, 1e9, items);
	const struct items v = *items;
	double run = 0, mn = 0, total = 0;
	for (size_t i = 0; i < v.n; i++) {
		const struct lb_item *it = &v.it[i];
		if (it->type == LB_BOX) {
			run += it->width;
			total += it->width;
		} else {
			if (it->type == LB_GLUE && it->stretch < 1e4)
				total += it->width;
			if (run + (it->type == LB_PENALTY ? it->width : 0) > mn)
				mn = run + (it->type == LB_PENALTY ? it->width : 0);
			run = 0;
		}
	}
	if (run > mn)
		mn = run;
	*minw = mn;
	*maxw = total;
}

/* Widths of p, remembered like its lines. */
void layout_para_widths(struct layout *l, const struct para *p,
    enum face base, double size, double *minw, double *maxw)
{
	struct memo_key key = { MEMO_WIDTHS, p, 0, 0, size, 0, base, 0, 0 };
	int cacheable = l->memo && memo_cacheable(p);
	if (cacheable && memo_get_widths(l, l->memo, &key, minw, maxw))
		return;
	size_t nstrings = l->nstrings;
	para_widths(l, p, base, size, minw, maxw);
	if (cacheable && l->nstrings == nstrings)
		memo_put_widths(l, l->memo, &key, *minw, *maxw);
}

void layout_paragraph(struct layout *l, const struct para *p, double x,
    double width, enum face base, double size, double leading,
    double space_before)
{
	struct line_ops lo;
	layout_para_lines(l, p, x, width, base, size, leading, &lo);
	for (size_t k = 0; k < lo.nlines; k++) {
		unit_begin(l, k == 0 ? space_before : 0);
		size_t first = lo.line_first[k], n = lo.line_first[k + 1] - first;
		struct op *o = unit_ops(l, lo.ops + first, n);
		for (size_t i = 0; i < n; i++)
			o[i].y -= (float)(k * leading);
		/* Orphans: the first two lines stay together; widows: so
		 * do the last two. */
		int keep = (k == 0 && lo.nlines > 1) ||
		    (k + 2 == lo.nlines && lo.nlines > 1);
		unit_end(l, leading, keep);
	}
	line_ops_free(&lo);
}
