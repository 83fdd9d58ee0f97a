/*
 * textout.c - TJ runs written into the page content stream (textout.h).
 *
 * Uses libharu's internal page attributes (hpdf_pages.h, shipped by
 * Debian's libhpdf-dev) to reach the content stream.
 */
#include "render/textout.h"

#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

void textout_begin(struct textout *t, HPDF_Page page, struct fonts *fonts)
{
	t->page = page;
	t->fonts = fonts;
	t->face = -1;
	t->size = 0;
	t->color = 0xFFFFFFFF;
	t->open = 0;
	t->failed = 0;
	if (!t->tj.data)
		buf_init(&t->tj);
	if (!t->line.data)
		buf_init(&t->line);
	buf_reset(&t->tj);
}

static void raw(struct textout *t, const char *s, size_t n)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)t->page->attr;
	if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)s,
	    (HPDF_UINT)n) != HPDF_OK)
		t->failed = 1;
}

/*
 * Append v with at most `decimals` (1-2) digits after the point, without
 * trailing zeros. printf's float conversion was a fifth of the render
 * time; content streams only need this simple fixed-point form.
 */
static void add_num(struct buf *b, double v, int decimals)
{
	long scale = decimals == 1 ? 10 : 100;
	long n = (long)(v * scale + (v < 0 ? -0.5 : 0.5));
	unsigned long u = n < 0 ? (unsigned long)-n : (unsigned long)n;
	unsigned long ip = u / scale, fp = u % scale;
	char tmp[32];
	int len = 0;	/* built backwards, then copied once */
	if (fp) {
		if (decimals == 2 && fp % 10)
			tmp[len++] = (char)('0' + fp % 10);
		if (decimals == 2)
			fp /= 10;
		if (len || fp)
			tmp[len++] = (char)('0' + fp);
		tmp[len++] = '.';
	}
	do {
		tmp[len++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	if (n < 0)
		tmp[len++] = '-';
	char out[32];
	for (int i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	buf_add(b, out, (size_t)len);
}

static void flush(struct textout *t)
{
	if (!t->open)
		return;
	buf_reset(&t->line);
	buf_adds(&t->line, "1 0 0 1 ");
	add_num(&t->line, t->x0, 2);
	buf_addc(&t->line, ' ');
	add_num(&t->line, t->y, 2);
	buf_adds(&t->line, " Tm\n[");
	buf_add(&t->line, t->tj.data, t->tj.len);
	buf_adds(&t->line, "] TJ\n");
	raw(t, t->line.data, t->line.len);
	buf_reset(&t->tj);
	t->open = 0;
}

/*
 * Which bytes a literal string must escape: the delimiters and the
 * backslash, and the end-of-line bytes (a raw CR or LF inside a string
 * is read as an end of line, which a reader normalises to LF).
 */
static const char escaped[256] = {
	['\r'] = 'r', ['\n'] = 'n', ['('] = '(', [')'] = ')', ['\\'] = '\\',
};

/*
 * (...): two bytes per character, big-endian, written straight into the
 * buffer; a byte from escaped[] becomes a backslash and its letter,
 * every other byte goes as it is. Half the size of hex, and it deflates
 * better. At most 3 bytes per input byte (an ASCII character that needs
 * escaping: NUL, backslash, letter), plus the parentheses.
 */
static void literal(struct buf *b, const char *s, size_t n)
{
	if (b->cap < b->len + 3 * n + 3) {
		b->cap = 2 * (b->len + 3 * n + 3);
		b->data = xreallocarray(b->data, b->cap, 1);
	}
	char *o = b->data + b->len;
	*o++ = '(';
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {		/* the common case: 0, then c */
			*o++ = '\0';
			if (escaped[c]) {
				*o++ = '\\';
				*o++ = escaped[c];
			} else {
				*o++ = (char)c;
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			len = 1;
			cp = '?';
		}
		if (cp > 0xFFFF)
			cp = '?';	/* checked at layout; never drawn */
		unsigned char hl[2] = { (unsigned char)(cp >> 8),
		    (unsigned char)cp };
		for (int k = 0; k < 2; k++) {
			if (escaped[hl[k]]) {
				*o++ = '\\';
				*o++ = escaped[hl[k]];
			} else {
				*o++ = (char)hl[k];
			}
		}
		i += len;
	}
	*o++ = ')';
	*o = '\0';
	b->len = (size_t)(o - b->data);
}

void textout_add(struct textout *t, int face, float size, uint32_t color,
    float x, float y, const char *s, size_t n, double width)
{
	if (t->failed || n == 0)
		return;
	if (face != t->face || size != t->size) {
		flush(t);
		HPDF_Font f = fonts_pdf_font(t->fonts, (enum face)face);
		if (!f || HPDF_Page_SetFontAndSize(t->page, f, size) != HPDF_OK) {
			t->failed = 1;
			return;
		}
		t->face = face;
		t->size = size;
	}
	if (color != t->color) {
		flush(t);
		if (HPDF_Page_SetRGBFill(t->page, ((color >> 16) & 255) / 255.0f,
		    ((color >> 8) & 255) / 255.0f, (color & 255) / 255.0f) !=
		    HPDF_OK) {
			t->failed = 1;
			return;
		}
		t->color = color;
	}
	double w = width >= 0 ? width :
	    fonts_text_width(t->fonts, (enum face)face, size, s, n, NULL);
	if (t->open && y == t->y && x >= t->xend - 0.01f) {
		/* Same line: the gap becomes a TJ adjustment, in
		 * thousandths of the font size (negative moves right). */
		double gap = (x - t->xend) * 1000.0 / size;
		if (gap > 0.05 || gap < -0.05)
			add_num(&t->tj, -gap, 1);
	} else {
		flush(t);
		t->open = 1;
		t->x0 = x;
		t->y = y;
	}
	literal(&t->tj, s, n);
	t->xend = (float)(x + w);
}

int textout_end(struct textout *t)
{
	flush(t);
	return t->failed ? -1 : 0;
}

void textout_free(struct textout *t)
{
	buf_free(&t->tj);
	buf_free(&t->line);
}
