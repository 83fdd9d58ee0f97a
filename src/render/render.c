/*
 * render.c - draw laid-out pages with libharu (see render.h).
 *
 * libharu errors are sticky: after one, every call fails. Each call's
 * status is checked and the first failure is reported with what was
 * being done; the error handler only records the code (some errors are
 * set without calling it, hence the checks).
 */
#include "render/render.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "finish/fileid.h"
#include "finish/pdfpages.h"
#include "layout/layout.h"
#include "render/attach.h"
#include "render/fontembed.h"
#include "render/glyphid.h"
#include "render/image.h"
#include "render/imagezip.h"
#include "render/linkannot.h"
#include "render/pagezip.h"
#include "render/savestream.h"
#include "render/textout.h"
#include "util/cleanup.h"
#include "util/progress.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/*
 * THE LIBHARU HANDLE, KEPT FROM ONE DOCUMENT TO THE NEXT
 *
 * Loading the eight faces (HPDF_LoadTTFontFromFile parses every table
 * from the file) cost about 5 % of a customer pack's instructions.
 * libharu keeps a handle's font definitions when HPDF_NewDoc starts a
 * new document on it. In 2.3.0 (hpdf_doc.c, hpdf_fontdef.c,
 * hpdf_fontdef_tt.c) HPDF_NewDoc calls HPDF_FreeDoc, which frees the
 * document's objects (xref, fonts, pages, outline, info), resets every
 * other field of the handle but three, and only cleans the definitions:
 * HPDF_FontDef_Cleanup drops the descriptor, and the TrueType CleanFunc
 * clears the glyph flags back to glyph 0 alone, as a fresh load leaves
 * them. The three kept: the font definitions, the encoders (UTF-8,
 * registered once: a second HPDF_UseUTFEncodings would fail as a
 * duplicate) and the compression mode (set again per document anyway).
 *
 * So the handle of a document that went well is kept, emptied at once
 * (HPDF_FreeDoc: its memory is not held while the next pack is
 * composed), and the next document of the process starts on it with
 * HPDF_NewDoc and finds the faces loaded: the same definitions, the same
 * subset tags (HPDFAA+... in load order, set at load time), the same
 * objects in the same order, the same bytes as on a fresh handle
 * (tests/test_render.c checks it).
 *
 * A document that failed, or left an error on the handle, frees it and
 * the next one starts on a fresh handle: libharu's errors are sticky and
 * whatever it was in the middle of is not worth trusting. So does a
 * change of the fonts folder. One handle is kept per process, taken and
 * given back atomically: doc_write_pdf runs on one thread, and a
 * concurrent call would simply make its own.
 */
struct haru {
	HPDF_Doc pdf;
	HPDF_STATUS error, detail;	/* the error handler's last report */
	char *fontdir;			/* the faces' folder, once loaded */
	const char *face[FACE_COUNT];	/* libharu's names for them */
};

static struct haru *kept;

struct rctx {
	HPDF_Doc pdf;
	struct haru *h;
	struct doc *doc;
	struct layout *l;
	struct fonts fonts;
	HPDF_Page *pages;
	HPDF_Image *images;
	HPDF_Destination *dests;	/* per anchor, for the outline */
	int failed;
	struct textout text;		/* text writer, reused per page */
	struct buf name;		/* scratch for destination names */
	struct pdfpages_item *imports;	/* imported PDF pages, for finish */
	size_t nimports;
	struct op_list page_ops;	/* the page being drawn (layout_page_ops) */
	/* Links, collected while the pages are drawn: annotations are
	 * made after every page (add_references), and by then the
	 * layout's ops are gone. */
	struct link *links;
	size_t nlinks, caplinks;
	/* The SHA-256 of the saved file, for its /ID (save_pdf). */
	unsigned char digest[SAVESTREAM_DIGEST_LEN];
};

/* An OP_LINK of a page, what its annotation needs. */
struct link {
	size_t page;
	int32_t ref;		/* anchor */
	float x, y, w, h;
};

static void error_handler(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
	struct haru *h = data;
	h->error = error;
	h->detail = detail;
}

static void haru_free(struct haru *h)
{
	if (!h)
		return;
	HPDF_Free(h->pdf);
	free(h->fontdir);
	free(h);
}

/* The kept handle with a new, empty document on it, or a fresh handle;
 * NULL when libharu cannot start. */
static struct haru *haru_take(void)
{
	struct haru *h = __atomic_exchange_n(&kept, NULL, __ATOMIC_ACQ_REL);
	if (h) {
		char *dir = fonts_find_dir();
		int same = dir && h->fontdir && strcmp(dir, h->fontdir) == 0;
		free(dir);
		h->error = h->detail = 0;
		if (same && HPDF_NewDoc(h->pdf) == HPDF_OK &&
		    HPDF_GetError(h->pdf) == HPDF_OK)
			return h;
		haru_free(h);
	}
	h = xcalloc(1, sizeof *h);
	h->pdf = HPDF_New(error_handler, h);
	if (!h->pdf) {
		free(h);
		return NULL;
	}
	return h;
}

/* Done with h: kept, emptied, if its document went well (good) and its
 * faces are loaded; freed otherwise. */
static void haru_give(struct haru *h, int good)
{
	if (!good || !h->fontdir || HPDF_GetError(h->pdf) != HPDF_OK) {
		haru_free(h);
		return;
	}
	HPDF_FreeDoc(h->pdf);
	haru_free(__atomic_exchange_n(&kept, h, __ATOMIC_ACQ_REL));
}

/*
 * libharu's lists (hpdf_list.c) grow by a fixed number of items, copying
 * the whole array each time: the cross-reference table by 1,024 objects,
 * the page list and the root's /Kids by a few. For a dossier of 15,000
 * pages, 360,000 links and a million objects that is quadratic (0.3 s of
 * copying on the large bench case). Growing them by about what the
 * document will add makes it a few copies. Only the capacity changes,
 * not a byte of the output.
 */
static void presize_lists(HPDF_Doc pdf, const struct layout *l)
{
	size_t objects = 4 * l->npages + 2 * l->nanchors + l->noutline +
	    2 * l->nimages + 4096;
	if (objects > 1u << 22)
		objects = 1u << 22;	/* 32 MB of pointers at most a step */
	if (pdf->xref && pdf->xref->entries &&
	    pdf->xref->entries->items_per_block < objects)
		pdf->xref->entries->items_per_block = (HPDF_UINT)objects;
	HPDF_UINT pages = (HPDF_UINT)(l->npages + 16);
	if (pdf->page_list && pdf->page_list->items_per_block < pages)
		pdf->page_list->items_per_block = pages;
	HPDF_Array kids = pdf->root_pages ? HPDF_Dict_GetItem(pdf->root_pages,
	    "Kids", HPDF_OCLASS_ARRAY) : NULL;
	if (kids && kids->list && kids->list->items_per_block < pages)
		kids->list->items_per_block = pages;
}

/* render_set_compress_thread's choice, read by every document. */
static int compress_thread = 1;

void render_set_compress_thread(int on)
{
	compress_thread = on;
}

/* render_leave_to_exit's choice, and the handle it left (never reused:
 * it still holds its document). */
static int leave_to_exit;
static struct haru *left_to_exit;

void render_leave_to_exit(int on)
{
	leave_to_exit = on;
}

void render_release(void)
{
	haru_free(__atomic_exchange_n(&kept, NULL, __ATOMIC_ACQ_REL));
	if (!leave_to_exit) {
		haru_free(left_to_exit);
		left_to_exit = NULL;
	}
}

/* Record the first failure; returns 1 when st is OK. */
static int ok(struct rctx *r, HPDF_STATUS st, const char *what)
{
	if (st == HPDF_OK)
		return 1;
	if (!r->failed)
		diag_error(r->doc->diags, "render", 0, NULL,
		    "libharu failed while %s (error 0x%04lX, detail %lu)", what,
		    (unsigned long)(st ? st : r->h->error),
		    (unsigned long)r->h->detail);
	r->failed = 1;
	return 0;
}

static int ok_ptr(struct rctx *r, const void *p, const char *what)
{
	return p ? 1 : ok(r, r->h->error ? r->h->error : 1, what);
}

int64_t render_source_date(const struct doc *d)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v >= 0)
			return v;
	}
	return d->opt.date > 0 ? d->opt.date : -1;
}

static void set_rgb_fill(struct rctx *r, HPDF_Page p, uint32_t c)
{
	ok(r, HPDF_Page_SetRGBFill(p, ((c >> 16) & 255) / 255.0f,
	    ((c >> 8) & 255) / 255.0f, (c & 255) / 255.0f), "setting a colour");
}

static HPDF_Image get_image(struct rctx *r, int idx)
{
	if (r->images[idx])
		return r->images[idx];
	const struct image *img = r->l->images[idx];
	HPDF_Image im;
	if (img->kind == IMAGE_JPEG) {
		im = HPDF_LoadJpegImageFromFile(r->pdf, img->path);
	} else {
		im = HPDF_LoadRawImageFromMem(r->pdf, img->pixels, img->width,
		    img->height, img->channels == 1 ? HPDF_CS_DEVICE_GRAY :
		    HPDF_CS_DEVICE_RGB, 8);
		if (im && img->alpha) {
			HPDF_Image mask = HPDF_LoadRawImageFromMem(r->pdf,
			    img->alpha, img->width, img->height,
			    HPDF_CS_DEVICE_GRAY, 8);
			if (!ok_ptr(r, mask, "loading an image mask") ||
			    !ok(r, HPDF_Image_AddSMask(im, mask),
			    "adding an image mask"))
				return NULL;
		}
	}
	if (!ok_ptr(r, im, "loading an image"))
		return NULL;
	r->images[idx] = im;
	return im;
}

/*
 * Rectangles, lines and images: drawn before the text over them. A
 * colour or line width is written only when it changes (a table's rules
 * all share one): the graphics state carries it from one path to the
 * next, and an image is drawn inside q ... Q.
 */
static void draw_graphics(struct rctx *r, HPDF_Page p, const struct op *o,
    size_t n)
{
	uint32_t fill = 0, stroke = 0;
	float width = 0;
	int have_fill = 0, have_stroke = 0, have_width = 0;
	for (size_t i = 0; i < n && !r->failed; i++, o++) {
		switch (o->kind) {
		case OP_RECT:
			if (!have_fill || o->color != fill) {
				set_rgb_fill(r, p, o->color);
				fill = o->color;
				have_fill = 1;
			}
			ok(r, HPDF_Page_Rectangle(p, o->x, o->y, o->w, o->h),
			    "drawing a rectangle");
			ok(r, HPDF_Page_Fill(p), "filling");
			break;
		case OP_LINE: {
			uint32_t c = o->color;
			float w = o->size > 0 ? o->size : 0.5f;
			if (!have_stroke || c != stroke) {
				ok(r, HPDF_Page_SetRGBStroke(p,
				    ((c >> 16) & 255) / 255.0f,
				    ((c >> 8) & 255) / 255.0f, (c & 255) / 255.0f),
				    "setting a colour");
				stroke = c;
				have_stroke = 1;
			}
			if (!have_width || w != width) {
				ok(r, HPDF_Page_SetLineWidth(p, w),
				    "setting a line width");
				width = w;
				have_width = 1;
			}
			if (o->dash) {
				static const HPDF_UINT16 dash[2] = { 4, 2 };
				ok(r, HPDF_Page_SetDash(p, dash, 2, 0), "dashing");
			}
			ok(r, HPDF_Page_MoveTo(p, o->x, o->y), "drawing a line");
			ok(r, HPDF_Page_LineTo(p, o->x + o->w, o->y + o->h),
			    "drawing a line");
			ok(r, HPDF_Page_Stroke(p), "stroking");
			if (o->dash)
				ok(r, HPDF_Page_SetDash(p, NULL, 0, 0), "dashing");
			break;
		}
		case OP_IMAGE: {
			HPDF_Image im = get_image(r, o->ref);
			if (im)
				ok(r, HPDF_Page_DrawImage(p, im, o->x, o->y, o->w,
				    o->h), "drawing an image");
			break;
		}
		default:
			break;
		}
	}
}

static void draw_text(struct rctx *r, HPDF_Page p, const struct op *o,
    size_t n, int pageno, int npages, const struct op *stamp)
{
	struct layout *l = r->l;
	/* An imported PDF page has its own size: the stamp and the footer
	 * go in the narrow bands layout left free (PDF_BAND_*). */
	const struct lpage *lp = &l->pages[pageno];
	int imported = lp->w > 0;
	double pw = imported ? lp->w : l->page_w;
	double left = imported ? PDF_BAND_SIDE + 4 : l->margin;
	double top_y = imported ? lp->h - 16 : l->body_top + 14;
	double foot_y = imported ? 7 : l->body_bottom - 22;
	struct textout *t = &r->text;
	if (!ok(r, HPDF_Page_BeginText(p), "starting text"))
		return;
	textout_begin(t, p, &r->fonts);
	for (size_t i = 0; i < n && !r->failed; i++, o++) {
		if (o->kind == OP_TEXT) {
			textout_add(t, o->face, o->size, o->color, o->x, o->y,
			    o->text, o->len, o->w > 0 ? o->w : -1);
		} else if (o->kind == OP_PAGEREF) {
			/* Pages are final now: print the number. */
			const struct anchor *a = &l->anchors[o->ref];
			char num[16];
			snprintf(num, sizeof num, "%d", a->page >= 0 ?
			    a->page + 1 : 0);
			double w = fonts_text_width(&r->fonts, o->face, o->size,
			    num, strlen(num), NULL);
			float x = o->align == ALIGN_RIGHT ?
			    (float)(o->x + o->w - w) : o->x;
			textout_add(t, o->face, o->size, COLOR_LINK, x, o->y,
			    num, strlen(num), w);
		}
	}
	/* Running header (the case reference) and footer "page X / Y". */
	struct doc *d = r->doc;
	if (!(pageno == 0 && d->opt.first_page_plain)) {
		float size = 8;
		if (stamp && stamp->len) {
			/* An exhibit's stamp, in place of the running header;
			 * cut with an ellipsis if wider than the text block. */
			double max = pw - 2 * left;
			size_t len = stamp->len;
			double w = fonts_text_width(&r->fonts, FACE_SANS_BOLD, 9,
			    stamp->text, len, NULL);
			const char *ell = "\xE2\x80\xA6";
			double ew = fonts_text_width(&r->fonts, FACE_SANS_BOLD, 9,
			    ell, 3, NULL);
			int cut = 0;
			while (len > 0 && w + (cut ? ew : 0) > max) {
				do
					len--;
				while (len > 0 &&
				    ((unsigned char)stamp->text[len] & 0xC0) == 0x80);
				w = fonts_text_width(&r->fonts, FACE_SANS_BOLD, 9,
				    stamp->text, len, NULL);
				cut = 1;
			}
			textout_add(t, FACE_SANS_BOLD, 9, COLOR_BLACK,
			    (float)left, (float)top_y, stamp->text, len, w);
			if (cut)
				textout_add(t, FACE_SANS_BOLD, 9, COLOR_BLACK,
				    (float)(left + w), (float)top_y, ell, 3, ew);
		} else if (d->opt.header && d->opt.header[0]) {
			const char *s = d->opt.header;
			size_t len = strlen(s);
			textout_add(t, FACE_SANS, size, COLOR_GREY,
			    (float)left, (float)top_y, s, len, -1);
		}
		char foot[64];
		snprintf(foot, sizeof foot, "page %d / %d", pageno + 1, npages);
		double w = fonts_text_width(&r->fonts, FACE_SANS, size, foot,
		    strlen(foot), NULL);
		textout_add(t, FACE_SANS, size, COLOR_GREY,
		    (float)((pw - w) / 2), (float)foot_y, foot, strlen(foot), w);
	}
	if (textout_end(t) != 0)
		ok(r, r->h->error ? r->h->error : 1, "writing text");
	ok(r, HPDF_Page_EndText(p), "ending text");
	if (!(pageno == 0 && d->opt.first_page_plain) && d->opt.header &&
	    d->opt.header[0] && !imported) {
		ok(r, HPDF_Page_SetRGBStroke(p, 0.6f, 0.6f, 0.6f), "colour");
		ok(r, HPDF_Page_SetLineWidth(p, 0.4f), "line width");
		ok(r, HPDF_Page_MoveTo(p, (float)l->margin,
		    (float)(l->body_top + 10)), "header rule");
		ok(r, HPDF_Page_LineTo(p, (float)(l->page_w - l->margin),
		    (float)(l->body_top + 10)), "header rule");
		ok(r, HPDF_Page_Stroke(p), "header rule");
	}
}

/*
 * The PDF name of an anchor: letters, digits, '.' and '-' as they are,
 * every other byte as _XX (hex), so any anchor gives a valid name
 * (libharu writes dictionary keys without escaping spaces, parentheses
 * or '/').
 */
#define DEST_NAME_MAX 120
static const char *dest_name(struct rctx *r, const char *anchor)
{
	buf_reset(&r->name);
	for (const unsigned char *p = (const unsigned char *)anchor; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
			buf_addc(&r->name, (char)*p);
		else
			buf_printf(&r->name, "_%02X", *p);
	}
	if (r->name.len > DEST_NAME_MAX)	/* PDF names stay under 127 bytes */
		r->name.len = DEST_NAME_MAX, r->name.data[DEST_NAME_MAX] = '\0';
	return r->name.data;
}

/*
 * Which anchors get a name a viewer can open ("dossier.pdf#ex-12"):
 * sections, exhibits, services, customers and complaints the composer
 * named; not the generated ones (index marks, headings without a name),
 * which would only fill the catalog.
 */
static int named_anchor(const char *name)
{
	return strncmp(name, "index-", 6) != 0 &&
	    strncmp(name, "heading-", 8) != 0;
}

/* The page object and top of anchor i, where it is defined. */
static int anchor_target(struct rctx *r, int32_t i, HPDF_Page *page,
    double *top)
{
	const struct layout *l = r->l;
	if (i < 0 || (size_t)i >= l->nanchors || !l->anchors[i].defined)
		return 0;
	*page = r->pages[l->anchors[i].page];
	/* FitH keeps the reader's width; a zoom of 0 would poison the
	 * document in libharu. */
	*top = l->anchors[i].y + 4;
	return 1;
}

/* Destinations, links and the outline, once every page exists. */
static void add_references(struct rctx *r)
{
	struct layout *l = r->l;
	/*
	 * Destination objects only for the outline, whose entries libharu
	 * makes (HPDF_Outline_SetDestination wants one). Links and named
	 * destinations write theirs in place (linkannot.h): on the large
	 * bench case 123,000 objects fewer for libharu to make and save,
	 * and no destination for an anchor that nothing points to (the
	 * run-in headings, the index terms the index does not link to).
	 */
	for (size_t i = 0; i < l->noutline && !r->failed; i++) {
		int32_t k = l->outline[i].anchor;
		HPDF_Page page;
		double top;
		if (!anchor_target(r, k, &page, &top) || r->dests[k])
			continue;
		HPDF_Destination dst = HPDF_Page_CreateDestination(page);
		if (!ok_ptr(r, dst, "creating a destination"))
			break;
		ok(r, HPDF_Destination_SetFitH(dst, top), "setting a destination");
		r->dests[k] = dst;
	}
	if (r->failed)
		return;
	/* Named destinations (the catalog's /Dests dictionary, which
	 * libharu has no API for): a viewer or another document can open
	 * "dossier.pdf#incidents". Written in one piece, each name with
	 * its destination (linkannot.h). */
	struct buf body;
	buf_init(&body);
	char **cut = NULL;	/* names shortened by dest_name, so far */
	size_t ncut = 0;
	char fith[LINKANNOT_FITH_MAX + 1];
	for (size_t i = 0; i < l->nanchors && !r->failed; i++) {
		const struct anchor *a = &l->anchors[i];
		HPDF_Page page;
		double top;
		if (!named_anchor(a->name) ||
		    !anchor_target(r, (int32_t)i, &page, &top))
			continue;
		const char *name = dest_name(r, a->name);
		if (r->name.len == DEST_NAME_MAX) {
			/* Two long names may be cut to the same one: a
			 * dictionary key must be unique, the first keeps it. */
			size_t k = 0;
			while (k < ncut && strcmp(cut[k], name) != 0)
				k++;
			if (k < ncut)
				continue;
			cut = xreallocarray(cut, ncut + 1, sizeof *cut);
			cut[ncut++] = xstrdup(name);
		}
		linkannot_fith(fith, linkannot_obj_number(page), top);
		buf_printf(&body, "/%s %s\012", name, fith);
	}
	for (size_t k = 0; k < ncut; k++)
		free(cut[k]);
	free(cut);
	if (body.len && !r->failed)
		ok(r, linkannot_dests(r->pdf, buf_take(&body)),
		    "adding named destinations");
	else
		buf_free(&body);
	for (size_t i = 0; i < r->nlinks && !r->failed; i++) {
		const struct link *o = &r->links[i];
		HPDF_Page page;
		double top;
		if (!anchor_target(r, o->ref, &page, &top))
			continue;
		if (!ok(r, linkannot_add(r->pdf, r->pages[o->page], o->x, o->y,
		    o->x + o->w, o->y + o->h, page, top), "creating a link"))
			return;
	}
	/* Outline: parents by level. */
	HPDF_Encoder utf8 = HPDF_GetEncoder(r->pdf, "UTF-8");
	HPDF_Outline parent[4] = { NULL, NULL, NULL, NULL };
	for (size_t i = 0; i < l->noutline && !r->failed; i++) {
		const struct outline_entry *e = &l->outline[i];
		int lv = e->level < 1 ? 1 : e->level > 3 ? 3 : e->level;
		HPDF_Outline up = NULL;
		for (int k = lv - 1; k >= 1 && !up; k--)
			up = parent[k];
		/* Each bookmark ends with its page number, as court bundle
		 * guidance asks ("Chronologie (p. 6)"). */
		const struct anchor *an = e->anchor >= 0 &&
		    (size_t)e->anchor < l->nanchors ? &l->anchors[e->anchor] : NULL;
		char *title = an && an->defined ? xasprintf("%s (p. %d)",
		    e->title, an->page + 1) : xstrdup(e->title);
		HPDF_Outline ol = HPDF_CreateOutline(r->pdf, up, title, utf8);
		free(title);
		if (!ok_ptr(r, ol, "adding an outline entry"))
			return;
		if (e->anchor >= 0 && (size_t)e->anchor < l->nanchors &&
		    r->dests[e->anchor])
			ok(r, HPDF_Outline_SetDestination(ol, r->dests[e->anchor]),
			    "linking an outline entry");
		ok(r, HPDF_Outline_SetOpened(ol, lv == 1), "opening outline");
		parent[lv] = ol;
		for (int k = lv + 1; k <= 3; k++)
			parent[k] = NULL;
	}
}

static void set_info(struct rctx *r)
{
	struct doc *d = r->doc;
	/* Info strings are UTF-8 only with the current encoder set. */
	ok(r, HPDF_SetCurrentEncoder(r->pdf, "UTF-8"), "setting the encoder");
	if (d->opt.title)
		ok(r, HPDF_SetInfoAttr(r->pdf, HPDF_INFO_TITLE, d->opt.title),
		    "setting the title");
	if (d->opt.author)
		ok(r, HPDF_SetInfoAttr(r->pdf, HPDF_INFO_AUTHOR, d->opt.author),
		    "setting the author");
	if (d->opt.subject)
		ok(r, HPDF_SetInfoAttr(r->pdf, HPDF_INFO_SUBJECT, d->opt.subject),
		    "setting the subject");
	if (d->opt.keywords)
		ok(r, HPDF_SetInfoAttr(r->pdf, HPDF_INFO_KEYWORDS,
		    d->opt.keywords), "setting the keywords");
	ok(r, HPDF_SetInfoAttr(r->pdf, HPDF_INFO_CREATOR,
	    "dossier " DOSSIER_VERSION), "setting the creator");
	int64_t t = render_source_date(d);
	if (t >= 0) {
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		HPDF_Date date = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec, 'Z', 0, 0 };
		ok(r, HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_CREATION_DATE, date),
		    "setting the creation date");
		ok(r, HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_MOD_DATE, date),
		    "setting the modification date");
	}
}

/* Two placeholder strings as the trailer's /ID (see finish/fileid.h). */
static void reserve_id(struct rctx *r)
{
	HPDF_Array id = HPDF_Array_New(r->pdf->mmgr);
	if (!ok_ptr(r, id, "writing the /ID"))
		return;
	for (int i = 0; i < 2; i++)
		ok(r, HPDF_Array_Add(id, HPDF_Binary_New(r->pdf->mmgr,
		    (HPDF_BYTE *)FILEID_PLACEHOLDER, FILEID_LEN)),
		    "writing the /ID");
	ok(r, HPDF_Dict_Add(r->pdf->trailer, "ID", id), "writing the /ID");
}

/* Keep the links of page pg for add_references. */
static void keep_links(struct rctx *r, size_t pg, const struct op *o,
    size_t n)
{
	for (size_t i = 0; i < n; i++, o++) {
		if (o->kind != OP_LINK)
			continue;
		if (r->nlinks == r->caplinks) {
			r->caplinks = r->caplinks ? r->caplinks * 2 : 1024;
			r->links = xreallocarray(r->links, r->caplinks,
			    sizeof *r->links);
		}
		r->links[r->nlinks++] = (struct link){ pg, o->ref, o->x, o->y,
		    o->w, o->h };
	}
}

/*
 * Save the document to path through a savestream (savestream.h): the
 * bytes are hashed and written by a second thread, where the document
 * has the second core (compress_thread), and the digest is kept for
 * the /ID; with imported pages libqpdf writes the /ID and none is
 * needed. A write that fails is reported with its reason.
 */
static void save_pdf(struct rctx *r, const char *path)
{
	char err[600];
	struct savestream *out = savestream_open(path, compress_thread ?
	    SAVESTREAM_THREAD : SAVESTREAM_INLINE, r->nimports == 0, err,
	    sizeof err);
	if (!out) {
		diag_error(r->doc->diags, "render", 0, NULL, "%s", err);
		r->failed = 1;
		return;
	}
	HPDF_STATUS st = savestream_save(out, r->pdf);
	if (savestream_close(out, r->digest, err, sizeof err) != 0) {
		diag_error(r->doc->diags, "render", 0, NULL, "%s", err);
		r->failed = 1;
		return;
	}
	ok(r, st, "saving");
}

static int render_all(struct rctx *r, const char *tmp_path,
    struct render_stats *st)
{
	struct doc *d = r->doc;
	char err[256];
	double t0 = monotonic_seconds();
	struct haru *h = r->h;
	ok(r, HPDF_SetCompressionMode(r->pdf, HPDF_COMP_ALL), "enabling compression");
	/* A kept handle (h->fontdir set) has the UTF-8 encoders and the
	 * faces already. */
	if (!h->fontdir)
		ok(r, HPDF_UseUTFEncodings(r->pdf), "enabling UTF-8");
	ok(r, HPDF_SetCurrentEncoder(r->pdf, "UTF-8"), "setting the encoder");
	if (r->failed)
		return -1;
	if ((h->fontdir ? fonts_open_loaded(&r->fonts, r->pdf, h->face, err,
	    sizeof err) : fonts_open(&r->fonts, r->pdf, err, sizeof err)) != 0) {
		diag_error(d->diags, "render", 0, NULL, "%s", err);
		return -1;
	}
	if (!h->fontdir) {
		/* Newly loaded: served from memory from now on, their
		 * subsets cached by glyph set (fontembed.h). */
		for (int i = 0; i < FACE_COUNT; i++)
			if (!ok(r, fontembed_adopt(r->fonts.def[i]),
			    "reading the fonts"))
				return -1;
		memcpy(h->face, r->fonts.name, sizeof h->face);
		h->fontdir = xstrdup(r->fonts.dir);
	}
	struct layout *l = layout_run(d, &r->fonts);
	r->l = l;
	double t1 = monotonic_seconds();
	presize_lists(r->pdf, l);
	r->pages = xcalloc(l->npages ? l->npages : 1, sizeof *r->pages);
	r->images = xcalloc(l->nimages + 1, sizeof *r->images);
	r->dests = xcalloc(l->nanchors + 1, sizeof *r->dests);
	/* Pass 2: every page exists before any reference is resolved. */
	for (size_t i = 0; i < l->npages && !r->failed; i++) {
		HPDF_Page p = HPDF_AddPage(r->pdf);
		if (!ok_ptr(r, p, "adding a page"))
			break;
		const struct lpage *lp = &l->pages[i];
		ok(r, HPDF_Page_SetWidth(p, (HPDF_REAL)(lp->w > 0 ? lp->w :
		    l->page_w)), "sizing a page");
		ok(r, HPDF_Page_SetHeight(p, (HPDF_REAL)(lp->h > 0 ? lp->h :
		    l->page_h)), "sizing a page");
		r->pages[i] = p;
		/* Imported PDF pages, placed by finish (pdfpages.h); the
		 * page's ops are made only to find them, so not when there
		 * are none (large bench case: this loop 0.17 -> 0.08-0.10 s). */
		if (l->nimports == 0)
			continue;
		layout_page_ops(l, i, &r->page_ops);
		const struct op *po = r->page_ops.v;
		for (size_t k = 0; k < r->page_ops.n; k++, po++) {
			if (po->kind != OP_PDFPAGE)
				continue;
			const struct pdf_import *im = &l->imports[po->ref];
			r->imports = xreallocarray(r->imports, r->nimports + 1,
			    sizeof *r->imports);
			r->imports[r->nimports++] = (struct pdfpages_item){
				.page = (int)i, .path = im->path,
				.src_page = im->page,
				.box = { im->box.x0, im->box.y0, im->box.x1,
				    im->box.y1 },
				.rotate = im->box.rotate,
				.rect = { po->x, po->y, po->x + po->w,
				    po->y + po->h },
				.outline = im->outline };
		}
	}
	if (!r->failed && l->npages)
		ok(r, HPDF_AddPageLabel(r->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1,
		    NULL), "adding page labels");
	struct pagezip *zip = pagezip_start_mode(l->npages,
	    compress_thread ? PAGEZIP_BOTH : PAGEZIP_INLINE);
	/* Images are compressed by us once the pages are drawn, on the
	 * spare core where there is one, else on this thread (imagezip.h). */
	struct imagezip *imgzip = NULL;
	/* The stamp carried from page to page (a copy: each page's ops are
	 * made afresh in the same array). */
	struct op stamp;
	int have_stamp = 0;
	/* Fonts are made while drawing, quick (glyphid.h): every one goes
	 * to fontembed_prepare below, or the document fails. */
	glyphid_quick_fonts(1);
	for (size_t i = 0; i < l->npages && !r->failed; i++) {
		layout_page_ops(l, i, &r->page_ops);
		const struct op *o = r->page_ops.v;
		size_t n = r->page_ops.n;
		/* A stamp set on this page applies from its top; the last one
		 * set carries on to the next pages. */
		const struct op *first = NULL, *last = NULL;
		for (size_t k = 0; k < n; k++)
			if (o[k].kind == OP_STAMP) {
				if (!first)
					first = &o[k];
				last = &o[k];
			}
		draw_graphics(r, r->pages[i], o, n);
		draw_text(r, r->pages[i], o, n, (int)i, (int)l->npages,
		    first ? first : have_stamp ? &stamp : NULL);
		keep_links(r, i, o, n);
		if (!r->failed)
			pagezip_submit(zip, i, r->pages[i]);
		progress_update("drawing pages", (long)i + 1, (long)l->npages,
		    "pages");
		if (last && l->pages[i].w <= 0) {
			stamp = *last;
			have_stamp = 1;
		}
	}
	glyphid_quick_fonts(0);
	/*
	 * Not while drawing: the compression thread would share the second
	 * core with it and fall behind the pages, and the raw contents
	 * waiting in its queue are the render's high-water mark (large
	 * bench case: peak RSS 971-986 MB started before the drawing loop,
	 * 927-931 MB started here, render no slower). From here on no new
	 * page joins the queue.
	 */
	if (!r->failed)
		imgzip = imagezip_start(l->images, l->nimages,
		    compress_thread);
	/* Every page is drawn and its links kept: the ops are not needed
	 * any more, and the libharu objects made from here on (links,
	 * destinations, outline) take their place. */
	layout_drop_ops(l);
	free(r->page_ops.v);
	memset(&r->page_ops, 0, sizeof r->page_ops);
	/* The compression thread goes on with the pages still queued while
	 * this one adds the links, destinations, outline, Info and
	 * attachments (none of which touches a page's content), rather than
	 * both compressing and then this one alone adding them: on the
	 * large bench case a backlog of a few thousand pages. */
	if (!r->failed)
		add_references(r);
	if (!r->failed)
		set_info(r);
	if (!r->failed && r->doc->attachments) {
		char err[600];
		if (attach_embed(r->doc->attachments, r->pdf, err,
		    sizeof err) != 0) {
			diag_error(r->doc->diags, "finish", 0, NULL, "%s", err);
			r->failed = 1;
		}
	}
	/* Imported pages go in through libqpdf, which writes its own
	 * deterministic /ID; otherwise the /ID is filled in after saving
	 * (finish/fileid.h). */
	if (!r->failed && r->nimports == 0)
		reserve_id(r);
	if (!r->failed)
		ok(r, pagezip_finish(zip, r->pages) == 0 ? HPDF_OK :
		    HPDF_GetError(r->pdf), "compressing pages");
	pagezip_free(zip);
	if (!r->failed)
		ok(r, imagezip_finish(imgzip, r->images) == 0 ? HPDF_OK :
		    HPDF_GetError(r->pdf), "compressing images");
	imagezip_free(imgzip);
	/* Font streams compressed here, not by libharu (fontembed.h). */
	if (!r->failed)
		ok(r, fontembed_prepare(r->fonts.font, FACE_COUNT),
		    "compressing the fonts");
	if (!r->failed)
		save_pdf(r, tmp_path);
	if (st) {
		st->pages = l->npages;
		st->layout_seconds = t1 - t0;
		st->render_seconds = monotonic_seconds() - t1;
	}
	return r->failed ? -1 : 0;
}

static int rename_into(const char *from, const char *to, char *err,
    size_t errlen)
{
	if (rename(from, to) == 0)
		return 0;
	snprintf(err, errlen, "cannot rename %s to %s: %s", from, to,
	    strerror(errno));
	return -1;
}

int doc_write_pdf(struct doc *d, const char *path, struct render_stats *st)
{
	struct rctx r;
	memset(&r, 0, sizeof r);
	r.doc = d;
	buf_init(&r.name);
	r.h = haru_take();
	if (!r.h) {
		diag_error(d->diags, "render", 0, NULL, "cannot start libharu");
		return -1;
	}
	r.pdf = r.h->pdf;
	if (st)
		st->reused = r.h->fontdir != NULL;
	/* Temporary files beside the target, so the final rename stays on
	 * one file system and a reader never sees a half-written PDF. */
	char *raw = xasprintf("%s.%ld.raw", path, (long)getpid());
	cleanup_register(raw);
	int rc = render_all(&r, raw, st);
	if (leave_to_exit && rc == 0 && !left_to_exit)
		left_to_exit = r.h;	/* freed by the exit (render.h) */
	else
		haru_give(r.h, rc == 0);
	if (r.l)
		layout_free(r.l);
	fonts_close(&r.fonts);
	free(r.pages);
	free(r.images);
	free(r.dests);
	free(r.links);
	free(r.page_ops.v);
	textout_free(&r.text);
	buf_free(&r.name);
	double t = monotonic_seconds();
	char *placed = NULL;
	if (rc == 0) {
		char err[512];
		/* Imported PDF pages are drawn in by libqpdf, which writes
		 * a new file with its own deterministic /ID; otherwise the
		 * reserved /ID is filled in. Either way the finished file
		 * is renamed into place. */
		if (r.nimports) {
			placed = xasprintf("%s.%ld.pages", path, (long)getpid());
			cleanup_register(placed);
		}
		if ((placed ? pdfpages_apply(raw, placed, r.imports,
		    r.nimports, err, sizeof err) :
		    fileid_patch_digest(raw, r.digest, err, sizeof err)) != 0 ||
		    rename_into(placed ? placed : raw, path, err,
		    sizeof err) != 0) {
			diag_error(d->diags, "finish", 0, NULL, "%s", err);
			rc = -1;
		}
	}
	if (st)
		st->finish_seconds = monotonic_seconds() - t;
	free(r.imports);
	if (placed) {
		unlink(placed);
		cleanup_unregister(placed);
		free(placed);
	}
	unlink(raw);		/* gone already when renamed */
	cleanup_unregister(raw);
	free(raw);
	return rc;
}
