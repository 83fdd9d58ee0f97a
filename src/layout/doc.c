/*
 * doc.c - building the document tree (see doc.h).
 *
 * Every text of the tree (span texts and anchors, origins, captions,
 * keys, log lines, labels) and every span array is cut from the doc's
 * arena: chunks of DOC_CHUNK_SIZE bytes handed out from the front and
 * freed by doc_free. On the large bench case (277,000 blocks, 1.1 million
 * texts of 49 MB, 670,000 span arrays) the texts used to be malloc'd
 * from growable buffers (64 bytes at least) and the span arrays with
 * room for four spans: with malloc's overhead, about 300 MB for what
 * now takes about 90 MB. The arrays that grow by rows or pairs (table
 * cells, key-value items, log lines) stay malloc'd.
 */
#include "layout/doc.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/image.h"
#include "util/utf8.h"
#include "util/xalloc.h"

int paper_parse(const char *s)
{
	if (s && (strcmp(s, "a4") == 0 || strcmp(s, "A4") == 0))
		return PAPER_A4;
	if (s && strcmp(s, "letter") == 0)
		return PAPER_LETTER;
	return -1;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct doc_chunk {
	struct doc_chunk *next;
	size_t used, size;
	max_align_t data[];
};

/* Chunks of 256 KB (malloc maps them apart: freed, they go back). */
#define DOC_CHUNK_SIZE (256 * 1024 - 64)
/* Larger pieces get a chunk of their own. */
#define DOC_BIG (DOC_CHUNK_SIZE / 4)

/* n bytes aligned to align (a power of two, at most max_align_t's),
 * from the arena; they live until doc_free. */
static void *doc_alloc(struct doc *d, size_t n, size_t align)
{
	struct doc_chunk *c = d->chunks;
	if (n > DOC_BIG) {
		c = xmalloc(sizeof *c + n);
		c->used = c->size = n;
		/* Behind the current chunk, which stays current. */
		if (d->chunks) {
			c->next = d->chunks->next;
			d->chunks->next = c;
		} else {
			c->next = NULL;
			d->chunks = c;
		}
		return c->data;
	}
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at + n > c->size) {
		c = xmalloc(sizeof *c + DOC_CHUNK_SIZE);
		c->used = 0;
		c->size = DOC_CHUNK_SIZE;
		c->next = d->chunks;
		d->chunks = c;
		at = 0;
	}
	c->used = at + n;
	return (char *)c->data + at;
}

/* A copy of the n bytes at s, NUL-terminated, in the arena. */
static char *doc_strndup(struct doc *d, const char *s, size_t n)
{
	char *p = doc_alloc(d, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *doc_strdup(struct doc *d, const char *s)
{
	return doc_strndup(d, s, strlen(s));
}

struct doc *doc_new(const struct doc_options *opt)
{
	struct doc *d = xcalloc(1, sizeof *d);
	d->opt = *opt;
	d->title = dup_or_null(opt->title);
	d->author = dup_or_null(opt->author);
	d->subject = dup_or_null(opt->subject);
	d->keywords = dup_or_null(opt->keywords);
	d->header = dup_or_null(opt->header);
	d->opt.title = d->title;
	d->opt.author = d->author;
	d->opt.subject = d->subject;
	d->opt.keywords = d->keywords;
	d->opt.header = d->header;
	if (d->opt.margin_mm <= 0)
		d->opt.margin_mm = 20;
	if (d->opt.body_size <= 0)
		d->opt.body_size = 10.5;
	diag_init(&d->own_diags);
	d->diags = &d->own_diags;
	d->origin = xstrdup("document");
	buf_init(&d->scratch);
	return d;
}

/* What a block holds outside the arena (the members of its kind). */
static void block_free(struct block *b)
{
	switch (b->kind) {
	case BLOCK_TABLE:
		free(b->table.cells);
		free(b->table.col_align);
		break;
	case BLOCK_KEYVALUE:
		for (size_t i = 0; i < b->nkv; i++) {
			free(b->kv[i].terms);
			free(b->kv[i].term_anchors);
		}
		free(b->kv);
		break;
	case BLOCK_IMAGE:
		if (b->image)
			image_free(b->image);
		break;
	case BLOCK_LOG:
		free(b->log_lines);
		free(b->log_numbers);
		break;
	case BLOCK_BAR_CHART:
		free(b->bars);
		break;
	case BLOCK_TIMELINE:
		free(b->segs);
		break;
	case BLOCK_PDF:
		free(b->pdf_pages);
		break;
	default:
		break;
	}
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nblocks; i++)
		block_free(&d->blocks[i]);
	free(d->blocks);
	free(d->title);
	free(d->author);
	free(d->subject);
	free(d->keywords);
	free(d->header);
	free(d->origin);
	diag_free(&d->own_diags);
	while (d->chunks) {
		struct doc_chunk *next = d->chunks->next;
		free(d->chunks);
		d->chunks = next;
	}
	buf_free(&d->scratch);
	free(d);
}

void doc_set_diags(struct doc *d, struct diag_list *dl)
{
	d->diags = dl ? dl : &d->own_diags;
}

size_t doc_errors(const struct doc *d)
{
	return d->diags->errors;
}

void doc_origin(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(d->origin);
	d->origin = xvasprintf(fmt, ap);
	va_end(ap);
}

int doc_check_utf8(struct doc *d, const char *s, const char *what)
{
	size_t bad;
	if (utf8_valid(s, strlen(s), &bad))
		return 1;
	diag_error(d->diags, d->origin, 0, what,
	    "invalid UTF-8 at byte %zu; text dropped", bad);
	return 0;
}

/* Validated copy with the language's typography, or "" when invalid;
 * in the arena. */
static char *clean_text(struct doc *d, const char *s, const char *what)
{
	if (!s || !doc_check_utf8(d, s, what))
		return doc_strndup(d, "", 0);
	typo_apply_buf(d->opt.lang, s, &d->scratch);
	return doc_strndup(d, d->scratch.data ? d->scratch.data : "",
	    d->scratch.len);
}

static struct block *add_block(struct doc *d, enum block_kind kind)
{
	if (d->nblocks == d->capblocks) {
		d->capblocks = d->capblocks ? d->capblocks * 2 : 32;
		d->blocks = xreallocarray(d->blocks, d->capblocks,
		    sizeof *d->blocks);
	}
	struct block *b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	/* A copy per block: the layout reports a missing character once
	 * per block, telling blocks apart by their origin's address. */
	b->origin = doc_strdup(d, d->origin);
	return b;
}

void doc_title(struct doc *d, const char *title, const char *subtitle)
{
	struct block *b = add_block(d, BLOCK_TITLE);
	b->text = clean_text(d, title, "title");
	if (subtitle) {
		char *sub = clean_text(d, subtitle, "subtitle");
		b->para.spans = doc_alloc(d, sizeof *b->para.spans,
		    _Alignof(struct span));
		memset(b->para.spans, 0, sizeof *b->para.spans);
		b->para.n = b->para.cap = 1;
		b->para.spans[0].text = sub;
	}
}

/*
 * A fragment's generated anchors, until it is appended: told apart by
 * their address (no name a composer gives is copied to these), so
 * nothing of the composers' names is reserved.
 */
static char auto_heading[] = "heading-?";
static char auto_index[] = "index-?";

/* The next generated anchor's name, "heading-N" or "index-N", in the
 * arena (a large dossier has a hundred thousand: no printf). */
static char *anchor_name(struct doc *d, int heading)
{
	const char *prefix = heading ? "heading-" : "index-";
	size_t len = heading ? 8 : 6;
	char digits[24];
	size_t k = 0;
	unsigned long n = (unsigned long)++d->auto_anchor;
	do
		digits[k++] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	char *p = doc_alloc(d, len + k + 1, 1);
	memcpy(p, prefix, len);
	while (k > 0)
		p[len++] = digits[--k];
	p[len] = '\0';
	return p;
}

/* The next generated anchor (a fragment's placeholder). */
static char *auto_anchor(struct doc *d, int heading)
{
	if (d->fragment)
		return heading ? auto_heading : auto_index;
	return anchor_name(d, heading);
}

const char *doc_heading(struct doc *d, int level, const char *text,
    const char *anchor)
{
	struct block *b = add_block(d, BLOCK_HEADING);
	b->level = level < 1 ? 1 : level > 4 ? 4 : level;
	b->text = clean_text(d, text, "heading");
	b->anchor = anchor ? doc_strdup(d, anchor) : auto_anchor(d, 1);
	return b->anchor;
}

struct para *doc_paragraph(struct doc *d)
{
	struct block *b = add_block(d, BLOCK_PARAGRAPH);
	b->para.align = ALIGN_JUSTIFY;
	return &b->para;
}

/* A new span at the end of p. The array is the arena's: when it is
 * full, a copy twice as large replaces it (most paragraphs and cells
 * have one span, so the first array has room for one). */
static struct span *add_span(struct doc *d, struct para *p)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1;
		struct span *v = doc_alloc(d, cap * sizeof *v,
		    _Alignof(struct span));
		if (p->n)
			memcpy(v, p->spans, p->n * sizeof *v);
		p->spans = v;
		p->cap = cap;
	}
	struct span *s = &p->spans[p->n++];
	memset(s, 0, sizeof *s);
	return s;
}

void para_text(struct doc *d, struct para *p, int style, const char *text)
{
	struct span *s = add_span(d, p);
	s->kind = SPAN_TEXT;
	s->style = style;
	s->text = clean_text(d, text, "text");
}

void para_link(struct doc *d, struct para *p, const char *text,
    const char *anchor)
{
	struct span *s = add_span(d, p);
	s->kind = SPAN_LINK;
	s->text = clean_text(d, text, "link");
	s->anchor = doc_strdup(d, anchor);
}

void para_pageref(struct doc *d, struct para *p, const char *anchor)
{
	struct span *s = add_span(d, p);
	s->kind = SPAN_PAGEREF;
	s->anchor = doc_strdup(d, anchor);
}

void doc_text(struct doc *d, const char *text)
{
	para_text(d, doc_paragraph(d), STYLE_REGULAR, text);
}

void doc_kv(struct doc *d, const char *key, const char *value)
{
	struct block *b = NULL;
	if (d->nblocks > 0 && d->blocks[d->nblocks - 1].kind == BLOCK_KEYVALUE)
		b = &d->blocks[d->nblocks - 1];
	else
		b = add_block(d, BLOCK_KEYVALUE);
	b->kv = xreallocarray(b->kv, b->nkv + 1, sizeof *b->kv);
	struct kv_item *it = &b->kv[b->nkv++];
	memset(it, 0, sizeof *it);
	it->key = clean_text(d, key, "key");
	it->value.align = ALIGN_LEFT;
	para_text(d, &it->value, STYLE_REGULAR, value);
}

void doc_kv_index_term(struct doc *d, const char *term)
{
	if (d->nblocks == 0 || d->blocks[d->nblocks - 1].kind != BLOCK_KEYVALUE)
		return doc_index_term(d, term);
	struct block *b = &d->blocks[d->nblocks - 1];
	struct kv_item *it = &b->kv[b->nkv - 1];
	it->terms = xreallocarray(it->terms, it->nterms + 1, sizeof(char *));
	it->term_anchors = xreallocarray(it->term_anchors, it->nterms + 1,
	    sizeof(char *));
	it->terms[it->nterms] = clean_text(d, term, "index term");
	it->term_anchors[it->nterms++] = auto_anchor(d, 0);
}

struct table *doc_table(struct doc *d, size_t ncols, size_t header_rows,
    const char *caption, const char *anchor)
{
	struct block *b = add_block(d, BLOCK_TABLE);
	struct table *t = &b->table;
	t->ncols = ncols ? ncols : 1;
	t->header_rows = header_rows;
	t->col_align = xcalloc(t->ncols, sizeof *t->col_align);
	for (size_t i = 0; i < t->ncols; i++)
		t->col_align[i] = ALIGN_LEFT;
	t->caption = caption ? clean_text(d, caption, "caption") : NULL;
	b->anchor = anchor ? doc_strdup(d, anchor) : NULL;
	return t;
}

void table_align(struct table *t, size_t col, int align)
{
	if (col < t->ncols)
		t->col_align[col] = align;
}

void table_row(struct doc *d, struct table *t, const char *const *cells)
{
	if (t->nrows == t->caprows) {
		t->caprows = t->caprows ? t->caprows * 2 : 16;
		t->cells = xreallocarray(t->cells, t->caprows * t->ncols,
		    sizeof *t->cells);
	}
	struct para *row = &t->cells[t->nrows * t->ncols];
	memset(row, 0, t->ncols * sizeof *row);
	t->nrows++;
	for (size_t c = 0; c < t->ncols; c++) {
		row[c].align = t->col_align[c];
		if (cells && cells[c] && cells[c][0])
			para_text(d, &row[c], t->nrows <= t->header_rows ?
			    STYLE_BOLD : STYLE_REGULAR, cells[c]);
	}
}

struct para *table_cell(struct table *t, size_t row, size_t col)
{
	if (row >= t->nrows || col >= t->ncols)
		return NULL;
	return &t->cells[row * t->ncols + col];
}

static int add_image(struct doc *d, const char *path, const char *caption,
    int jpeg)
{
	char err[256];
	struct image *img = jpeg ? image_load_jpeg(path, err, sizeof err) :
	    image_load_png(path, err, sizeof err);
	if (!img) {
		diag_error(d->diags, d->origin, 0, "image", "%s: %s", path, err);
		return -1;
	}
	struct block *b = add_block(d, BLOCK_IMAGE);
	b->image = img;
	b->text = caption ? clean_text(d, caption, "caption") : NULL;
	return 0;
}

int doc_image_png(struct doc *d, const char *path, const char *caption)
{
	return add_image(d, path, caption, 0);
}

int doc_image_jpeg(struct doc *d, const char *path, const char *caption)
{
	return add_image(d, path, caption, 1);
}

void doc_log(struct doc *d, const char *caption, const char *const *lines,
    const long *numbers, size_t n)
{
	struct block *b = add_block(d, BLOCK_LOG);
	b->text = caption ? clean_text(d, caption, "caption") : NULL;
	b->log_lines = xcalloc(n ? n : 1, sizeof *b->log_lines);
	b->log_numbers = xcalloc(n ? n : 1, sizeof *b->log_numbers);
	b->nlog = n;
	for (size_t i = 0; i < n; i++) {
		/* Logs are shown verbatim: no typography, tabs expanded. */
		const char *s = lines[i] ? lines[i] : "";
		if (!doc_check_utf8(d, s, "log line"))
			s = "";
		struct buf *lb = &d->scratch;
		buf_reset(lb);
		for (; *s; s++) {
			if (*s == '\t')
				do buf_addc(lb, ' '); while (lb->len % 8);
			else if ((unsigned char)*s >= 0x20)
				buf_addc(lb, *s);
		}
		b->log_lines[i] = doc_strndup(d, lb->data ? lb->data : "",
		    lb->len);
		b->log_numbers[i] = numbers ? numbers[i] : (long)i + 1;
	}
}

void doc_bar_chart(struct doc *d, const char *caption,
    const struct chart_bar *bars, size_t n, double sla, double ymin)
{
	struct block *b = add_block(d, BLOCK_BAR_CHART);
	b->text = caption ? clean_text(d, caption, "caption") : NULL;
	b->bars = xcalloc(n ? n : 1, sizeof *b->bars);
	b->nbars = n;
	for (size_t i = 0; i < n; i++) {
		b->bars[i].label = clean_text(d, bars[i].label, "label");
		b->bars[i].value = bars[i].value;
	}
	b->sla = sla;
	b->ymin = ymin;
}

void doc_timeline(struct doc *d, const char *caption, int64_t t0, int64_t t1,
    const struct timeline_seg *segs, size_t n)
{
	struct block *b = add_block(d, BLOCK_TIMELINE);
	b->text = caption ? clean_text(d, caption, "caption") : NULL;
	b->segs = xcalloc(n ? n : 1, sizeof *b->segs);
	if (n)
		memcpy(b->segs, segs, n * sizeof *segs);
	b->nsegs = n;
	b->t0 = t0;
	b->t1 = t1 > t0 ? t1 : t0 + 1;
}

void doc_page_break(struct doc *d)
{
	add_block(d, BLOCK_PAGE_BREAK);
}

void doc_anchor(struct doc *d, const char *name)
{
	struct block *b = add_block(d, BLOCK_ANCHOR);
	b->anchor = doc_strdup(d, name);
}

void doc_attach(struct doc *d, struct attach_set *files)
{
	d->attachments = files;
}

void doc_stamp(struct doc *d, const char *text)
{
	struct block *b = add_block(d, BLOCK_STAMP);
	b->text = text ? clean_text(d, text, "stamp") : NULL;
}

void doc_pdf_pages(struct doc *d, const char *path,
    const struct doc_pdf_page *pages, int npages, const char *stamp,
    const char *title, const char *anchor)
{
	if (npages <= 0)
		return;
	struct block *b = add_block(d, BLOCK_PDF);
	b->text = clean_text(d, title, "exhibit title");
	b->pdf_stamp = clean_text(d, stamp, "stamp");
	b->anchor = doc_strdup(d, anchor);
	b->pdf_path = doc_strdup(d, path);
	b->pdf_pages = xreallocarray(NULL, (size_t)npages, sizeof *pages);
	memcpy(b->pdf_pages, pages, (size_t)npages * sizeof *pages);
	b->npdf_pages = npages;
}

void doc_contents(struct doc *d)
{
	add_block(d, BLOCK_CONTENTS);
}

void doc_index_term(struct doc *d, const char *term)
{
	struct block *b = add_block(d, BLOCK_ANCHOR);
	b->anchor = auto_anchor(d, 0);
	b->text = clean_text(d, term, "index term");
}

void doc_index(struct doc *d)
{
	add_block(d, BLOCK_INDEX);
}

/* --- fragments (doc.h) --- */

struct doc *doc_fragment_new(const struct doc *d)
{
	struct doc *f = doc_new(&d->opt);
	f->fragment = 1;
	return f;
}

/* Number a moved block's placeholders in d's sequence: in block order,
 * then a key-value block's pairs and terms in order, which is the order
 * one document made in one piece would have numbered them in (a term is
 * only ever marked on the last block). */
static void number_anchors(struct doc *d, struct block *b)
{
	if (b->anchor == auto_heading || b->anchor == auto_index)
		b->anchor = anchor_name(d, b->anchor == auto_heading);
	if (b->kind != BLOCK_KEYVALUE)
		return;
	for (size_t i = 0; i < b->nkv; i++)
		for (size_t t = 0; t < b->kv[i].nterms; t++)
			if (b->kv[i].term_anchors[t] == auto_index)
				b->kv[i].term_anchors[t] = anchor_name(d, 0);
}

void doc_fragment_append(struct doc *d, struct doc *f, size_t from,
    size_t to)
{
	if (to > f->nblocks)
		to = f->nblocks;
	if (from >= to)
		return;
	size_t n = to - from;
	if (d->nblocks + n > d->capblocks) {
		size_t cap = d->capblocks ? d->capblocks : 32;
		while (cap < d->nblocks + n)
			cap *= 2;
		d->blocks = xreallocarray(d->blocks, cap, sizeof *d->blocks);
		d->capblocks = cap;
	}
	memcpy(&d->blocks[d->nblocks], &f->blocks[from], n * sizeof *d->blocks);
	/* What the blocks own is d's now: f keeps empty blocks (a heading
	 * owns nothing outside the arena). */
	memset(&f->blocks[from], 0, n * sizeof *f->blocks);
	for (size_t i = 0; i < n; i++)
		number_anchors(d, &d->blocks[d->nblocks + i]);
	d->nblocks += n;
}

void doc_fragment_done(struct doc *d, struct doc *f)
{
	/* f's chunks go behind d's current chunk, which stays current:
	 * every text keeps its address. */
	if (f->chunks) {
		struct doc_chunk *last = f->chunks;
		while (last->next)
			last = last->next;
		if (d->chunks) {
			last->next = d->chunks->next;
			d->chunks->next = f->chunks;
		} else
			d->chunks = f->chunks;
		f->chunks = NULL;
	}
	doc_free(f);
}
