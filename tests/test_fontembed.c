/*
 * test_fontembed.c - the font streams compressed by render/fontembed.c
 * instead of libharu: every /FontFile2, /CIDToGIDMap and /ToUnicode is
 * ours (a /Filter name, where libharu writes a one-element array),
 * decodes, and holds what it should (a sound TrueType file of /Length1
 * bytes, the identity CMap); /W and the map hold only the CIDs whose
 * glyph is in the subset, with libharu's widths and glyph ids, and every
 * CID a page shows is among them; the CMap and the subsets come out byte
 * for byte the same from the cache in a second document of the same
 * process as compressed afresh in the first; the text still extracts.
 * The PDFs are read back with libqpdf's C API, each face checked against
 * the same TrueType file loaded by libharu.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "layout/doc.h"
#include "layout/fonts.h"
#include "render/fontembed.h"
#include "render/glyphid.h"
#include "render/render.h"
#include "render/tounicode.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static char dir[] = "/tmp/dossier-test-fontembed-XXXXXX";

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* stdout of a shell command; its exit status must be 0. */
static char *run_ok(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct buf b;
	buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&b, chunk, n);
	int st = pclose(p);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fprintf(stderr, "%s: exit status %d\n", cmd, st);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return buf_take(&b);
}

/* ---- reading the fonts of a PDF back with libqpdf ---- */

struct bytes {
	unsigned char *p;
	size_t n;
};

#define NCID 0x10000

struct font_seen {
	char name[128];		/* /BaseFont after the subset tag */
	struct bytes map_raw, map, cmap_raw, cmap, ff;
	long length1;
	long dw;		/* /DW */
	int *w;			/* /W by CID, -1 where absent (NCID) */
	unsigned char *shown;	/* CIDs the pages show (NCID) */
};

struct pdf_fonts {
	struct font_seen f[16];
	int n;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The data of stream oh: raw (none) or decoded; the stream's /Filter must
 * be the name /FlateDecode, as fontembed.c (flate.h) writes it. */
static struct bytes stream_data(qpdf_data q, qpdf_oh oh, int decoded)
{
	assert_true(qpdf_oh_is_stream(q, oh));
	qpdf_oh dict = qpdf_oh_get_dict(q, oh);
	qpdf_oh filter = qpdf_oh_get_key(q, dict, "/Filter");
	assert_true(qpdf_oh_is_name_and_equals(q, filter, "/FlateDecode"));
	struct bytes b = { NULL, 0 };
	QPDF_BOOL filtered = QPDF_FALSE;
	assert_int_equal(qpdf_oh_get_stream_data(q, oh,
	    decoded ? qpdf_dl_generalized : qpdf_dl_none, &filtered, &b.p,
	    &b.n), QPDF_SUCCESS);
	if (decoded)
		assert_true(filtered);
	return b;
}

/*
 * A TrueType file as a PDF reader needs it: version 1.0, a table
 * directory whose tables lie inside the file with the checksums they
 * claim (head's checksum counted without its checkSumAdjustment), and
 * the tables that draw glyphs.
 */
static void check_truetype(const struct bytes *ttf)
{
	assert_true(ttf->n > 12);
	assert_int_equal(be32(ttf->p), 0x00010000);
	unsigned ntables = (unsigned)(ttf->p[4] << 8 | ttf->p[5]);
	assert_true(ntables > 0 && 12 + 16 * ntables <= ttf->n);
	int need = 0;
	for (unsigned i = 0; i < ntables; i++) {
		const unsigned char *rec = ttf->p + 12 + 16 * i;
		uint32_t sum = be32(rec + 4), off = be32(rec + 8),
		    len = be32(rec + 12);
		/* (libharu does not align its tables on 4 bytes) */
		assert_true(off <= ttf->n && len <= ttf->n - off);
		uint32_t got = 0;
		for (uint32_t k = 0; k < len; k += 4) {
			unsigned char w[4] = { 0, 0, 0, 0 };
			memcpy(w, ttf->p + off + k, len - k < 4 ? len - k : 4);
			if (!memcmp(rec, "head", 4) && k == 8)
				continue;	/* checkSumAdjustment */
			got += be32(w);
		}
		assert_int_equal(got, sum);
		if (!memcmp(rec, "head", 4)) {
			assert_true(len >= 54);
			assert_int_equal(be32(ttf->p + off + 12), 0x5F0F3CF5);
		}
		need += !memcmp(rec, "head", 4) + !memcmp(rec, "glyf", 4) +
		    !memcmp(rec, "loca", 4) + !memcmp(rec, "hmtx", 4) +
		    !memcmp(rec, "maxp", 4);
	}
	assert_int_equal(need, 5);
}

/*
 * /DW and /W, which must have libharu's form: runs "c [w1 w2 ...]" of
 * consecutive CIDs in increasing order, never adjacent (a run goes on as
 * long as the CIDs do), no width equal to /DW.
 */
static void read_widths(qpdf_data q, qpdf_oh cid, struct font_seen *fs)
{
	qpdf_oh dw = qpdf_oh_get_key(q, cid, "/DW");
	assert_true(qpdf_oh_is_integer(q, dw));
	fs->dw = qpdf_oh_get_int_value(q, dw);
	fs->w = xmalloc(NCID * sizeof *fs->w);
	for (long c = 0; c < NCID; c++)
		fs->w[c] = -1;
	qpdf_oh w = qpdf_oh_get_key(q, cid, "/W");
	assert_true(qpdf_oh_is_array(q, w));
	int n = qpdf_oh_get_array_n_items(q, w);
	assert_true(n % 2 == 0);
	long next = 0;		/* the least CID the next run may start at */
	for (int i = 0; i < n; i += 2) {
		qpdf_oh first = qpdf_oh_get_array_item(q, w, i);
		qpdf_oh run = qpdf_oh_get_array_item(q, w, i + 1);
		assert_true(qpdf_oh_is_integer(q, first));
		assert_true(qpdf_oh_is_array(q, run));
		long c = qpdf_oh_get_int_value(q, first);
		int k = qpdf_oh_get_array_n_items(q, run);
		assert_true(c >= next && k > 0 && c + k <= NCID);
		for (int j = 0; j < k; j++) {
			qpdf_oh v = qpdf_oh_get_array_item(q, run, j);
			assert_true(qpdf_oh_is_integer(q, v));
			fs->w[c + j] = (int)qpdf_oh_get_int_value(q, v);
			assert_true(fs->w[c + j] >= 0);
			assert_true(fs->w[c + j] != fs->dw);
		}
		next = c + k + 1;
	}
}

/* The glyph the map gives CID c (0 past its end). */
static unsigned map_gid(const struct font_seen *fs, long c)
{
	if (2 * (size_t)c + 1 >= fs->map.n)
		return 0;
	return (unsigned)fs->map.p[2 * c] << 8 | fs->map.p[2 * c + 1];
}

/* Mark the CIDs shown in content: two bytes per character in the hex
 * strings (all the text of a Type0 font), with the font of the last Tf,
 * whose resource names are keys[], fonts idx[] of out (-1: not a Type0
 * font, whose strings are skipped). */
static void scan_content(const unsigned char *p, size_t n,
    char (*keys)[64], const int *idx, int nkeys, struct pdf_fonts *out)
{
	int cur = -1;
	char name[64] = "";
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '/') {
			size_t k = 0;
			name[k++] = '/';
			while (i + 1 < n && k < sizeof name - 1 &&
			    !strchr(" \t\r\n/[]<>()", p[i + 1]))
				name[k++] = (char)p[++i];
			name[k] = '\0';
		} else if (p[i] == 'T' && i + 1 < n && p[i + 1] == 'f' &&
		    (i + 2 == n || strchr(" \r\n", p[i + 2]))) {
			int found = 0;
			for (int k = 0; k < nkeys; k++)
				if (!strcmp(keys[k], name)) {
					cur = idx[k];
					found = 1;
				}
			assert_true(found);
		} else if (p[i] == '<' && i + 1 < n && p[i + 1] == '<') {
			i++;			/* a dictionary */
		} else if (p[i] == '<') {
			char hex[5];
			size_t k = 0;
			for (i++; i < n && p[i] != '>'; i++) {
				if (cur < 0)
					continue;
				hex[k++] = (char)p[i];
				if (k == 4) {
					hex[4] = '\0';
					out->f[cur].shown[strtol(hex, NULL,
					    16)] = 1;
					k = 0;
				}
			}
			assert_int_equal(k, 0);
		} else if (p[i] == '(') {
			/* A literal string (render/textout.c writes Type0
			 * text so: two bytes per character, with the PDF
			 * escapes); its bytes decoded, then taken in pairs. */
			unsigned char bytes[4096];
			size_t nb = 0;
			for (int depth = 1; depth && ++i < n;) {
				int c = (unsigned char)p[i];
				if (c == '\\' && i + 1 < n) {
					c = (unsigned char)p[++i];
					if (c >= '0' && c <= '7') {
						int v = c - '0';
						for (int d = 0; d < 2 && i + 1 < n &&
						    p[i + 1] >= '0' && p[i + 1] <= '7'; d++)
							v = v * 8 + (p[++i] - '0');
						c = v & 255;
					} else if (c == 'n')
						c = '\n';
					else if (c == 'r')
						c = '\r';
					else if (c == 't')
						c = '\t';
					else if (c == 'b')
						c = '\b';
					else if (c == 'f')
						c = '\f';
				} else if (c == '(')
					depth++;
				else if (c == ')' && --depth == 0)
					break;
				if (nb < sizeof bytes)
					bytes[nb++] = (unsigned char)c;
			}
			if (cur < 0 || nb == 0)
				continue;
			assert_int_equal(nb % 2, 0);
			for (size_t k = 0; k + 1 < nb; k += 2)
				out->f[cur].shown[bytes[k] << 8 | bytes[k + 1]] = 1;
		}
	}
}

static void read_font(qpdf_data q, qpdf_oh type0, struct font_seen *fs)
{
	char base[128];
	snprintf(base, sizeof base, "%s", qpdf_oh_get_name(q,
	    qpdf_oh_get_key(q, type0, "/BaseFont")));
	const char *plus = strchr(base, '+');
	assert_non_null(plus);		/* a subset */
	snprintf(fs->name, sizeof fs->name, "%s", plus + 1);
	qpdf_oh tu = qpdf_oh_get_key(q, type0, "/ToUnicode");
	fs->cmap_raw = stream_data(q, tu, 0);
	fs->cmap = stream_data(q, tu, 1);
	qpdf_oh cid = qpdf_oh_get_array_item(q,
	    qpdf_oh_get_key(q, type0, "/DescendantFonts"), 0);
	assert_true(qpdf_oh_is_name_and_equals(q,
	    qpdf_oh_get_key(q, cid, "/Subtype"), "/CIDFontType2"));
	qpdf_oh map = qpdf_oh_get_key(q, cid, "/CIDToGIDMap");
	fs->map_raw = stream_data(q, map, 0);
	fs->map = stream_data(q, map, 1);
	read_widths(q, cid, fs);
	fs->shown = xcalloc(NCID, 1);
	qpdf_oh desc = qpdf_oh_get_key(q, cid, "/FontDescriptor");
	/* The keys libharu's descriptor has, with its values. */
	assert_true(qpdf_oh_is_name_and_equals(q,
	    qpdf_oh_get_key(q, desc, "/Type"), "/FontDescriptor"));
	assert_string_equal(qpdf_oh_get_name(q,
	    qpdf_oh_get_key(q, desc, "/FontName")), base);
	static const char *const keys[] = { "/Ascent", "/Descent", "/Flags",
	    "/FontBBox", "/ItalicAngle", "/StemV", "/XHeight" };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		assert_true(qpdf_oh_has_key(q, desc, keys[i]));
	assert_int_equal(qpdf_oh_get_array_n_items(q,
	    qpdf_oh_get_key(q, desc, "/FontBBox")), 4);
	qpdf_oh ff = qpdf_oh_get_key(q, desc, "/FontFile2");
	qpdf_oh ffd = qpdf_oh_get_dict(q, ff);
	fs->length1 = qpdf_oh_get_int_value(q,
	    qpdf_oh_get_key(q, ffd, "/Length1"));
	assert_int_equal(qpdf_oh_get_int_value(q,
	    qpdf_oh_get_key(q, ffd, "/Length2")), 0);
	assert_int_equal(qpdf_oh_get_int_value(q,
	    qpdf_oh_get_key(q, ffd, "/Length3")), 0);
	fs->ff = stream_data(q, ff, 1);
}

/* Every Type0 font the pages of path use, each once. */
static void read_fonts(const char *path, struct pdf_fonts *out)
{
	memset(out, 0, sizeof *out);
	qpdf_data q = qpdf_init();
	qpdf_silence_errors(q);
	assert_int_equal(qpdf_read(q, path, NULL), QPDF_SUCCESS);
	int ids[16], nids = 0;
	int npages = qpdf_get_num_pages(q);
	assert_true(npages > 0);
	for (int pg = 0; pg < npages; pg++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)pg);
		qpdf_oh fonts = qpdf_oh_get_key(q,
		    qpdf_oh_get_key(q, page, "/Resources"), "/Font");
		if (!qpdf_oh_is_dictionary(q, fonts))
			continue;
		char keys[16][64];
		int nkeys = 0;
		qpdf_oh_begin_dict_key_iter(q, fonts);
		while (qpdf_oh_dict_more_keys(q) && nkeys < 16)
			snprintf(keys[nkeys++], sizeof keys[0], "%s",
			    qpdf_oh_dict_next_key(q));
		int idx[16];
		for (int k = 0; k < nkeys; k++) {
			qpdf_oh font = qpdf_oh_get_key(q, fonts, keys[k]);
			int id = qpdf_oh_get_object_id(q, font), seen = -1;
			for (int i = 0; i < nids; i++)
				if (ids[i] == id)
					seen = i;
			idx[k] = seen;
			if (seen >= 0 || !qpdf_oh_is_name_and_equals(q,
			    qpdf_oh_get_key(q, font, "/Subtype"), "/Type0"))
				continue;
			assert_true(nids < 16);
			idx[k] = nids;
			ids[nids++] = id;
			read_font(q, font, &out->f[out->n++]);
		}
		unsigned char *content = NULL;
		size_t len = 0;
		assert_int_equal(qpdf_oh_get_page_content_data(q, page,
		    &content, &len), QPDF_SUCCESS);
		scan_content(content, len, keys, idx, nkeys, out);
		free(content);
	}
	assert_false(qpdf_more_warnings(q));
	qpdf_cleanup(&q);
}

static void free_fonts(struct pdf_fonts *pf)
{
	for (int i = 0; i < pf->n; i++) {
		struct font_seen *fs = &pf->f[i];
		free(fs->map_raw.p);
		free(fs->map.p);
		free(fs->cmap_raw.p);
		free(fs->cmap.p);
		free(fs->ff.p);
		free(fs->w);
		free(fs->shown);
	}
}

static const struct font_seen *find_font(const struct pdf_fonts *pf,
    const char *name)
{
	for (int i = 0; i < pf->n; i++)
		if (!strcmp(pf->f[i].name, name))
			return &pf->f[i];
	return NULL;
}

static int same(const struct bytes *a, const struct bytes *b)
{
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/*
 * The face a font was made from, loaded by libharu in a document of its
 * own (freed by the caller with HPDF_Free) without embedding: its glyph
 * ids and widths are the ones the document's font has.
 */
static HPDF_FontDef load_face(HPDF_Doc *ref, const char *font_name)
{
	/* "LiberationSans-Bold,Bold" is LiberationSans-Bold.ttf,
	 * "LiberationSans" LiberationSans-Regular.ttf. */
	char file[128];
	snprintf(file, sizeof file, "%s", font_name);
	file[strcspn(file, ",")] = '\0';
	char *fdir = fonts_find_dir();
	assert_non_null(fdir);
	char *ttf = xasprintf("%s/%s%s.ttf", fdir, file,
	    strchr(file, '-') ? "" : "-Regular");
	*ref = HPDF_New(NULL, NULL);
	assert_non_null(*ref);
	const char *name = HPDF_LoadTTFontFromFile(*ref, ttf, HPDF_FALSE);
	assert_non_null(name);
	HPDF_FontDef def = HPDF_GetFontDef(*ref, name);
	assert_non_null(def);
	free(ttf);
	free(fdir);
	return def;
}

/* CID c's width as a reader gets it: /W, else /DW. */
static long cid_width(const struct font_seen *fs, long c)
{
	return fs->w[c] >= 0 ? fs->w[c] : fs->dw;
}

/*
 * /W and the map against the face: /DW is the face's missing width; the
 * map is two bytes per CID up to its last glyph, and every glyph it gives
 * is the face's glyph for that CID (code point); /W lists only CIDs the
 * map gives a glyph, with that glyph's width; every CID a page shows
 * has its glyph in the map and its glyph's width.
 */
static void check_against_face(const struct font_seen *fs)
{
	HPDF_Doc ref;
	HPDF_FontDef def = load_face(&ref, fs->name);
	assert_int_equal(fs->dw, def->missing_width);
	assert_true(fs->map.n >= 2 && fs->map.n % 2 == 0 &&
	    fs->map.n <= 2 * (size_t)NCID);
	long ncid = (long)fs->map.n / 2, used = 0;
	assert_true(ncid == 1 || map_gid(fs, ncid - 1) != 0);
	for (long c = 0; c < NCID; c++) {
		unsigned gid = map_gid(fs, c);
		if (gid) {
			used++;
			assert_int_equal(gid, HPDF_TTFontDef_GetGlyphid(def,
			    (HPDF_UINT16)c));
			assert_int_equal(cid_width(fs, c),
			    HPDF_TTFontDef_GetGidWidth(def,
			    (HPDF_UINT16)gid));
		} else {
			assert_int_equal(fs->w[c], -1);
			assert_false(fs->shown[c]);
		}
	}
	/* A document uses a few hundred of the 2,300 code points a face
	 * has, and shows most of them. */
	long shown = 0;
	for (long c = 0; c < NCID; c++)
		shown += fs->shown[c];
	assert_true(shown > 0 && used >= shown && used < 1000);
	HPDF_Free(ref);
}

/* Every font stream ours, decoding to what it should. */
static void check_fonts(const struct pdf_fonts *pf, int min_fonts)
{
	assert_true(pf->n >= min_fonts);
	const char *cmap = tounicode_identity_cmap();
	for (int i = 0; i < pf->n; i++) {
		const struct font_seen *fs = &pf->f[i];
		assert_int_equal(fs->ff.n, (size_t)fs->length1);
		check_truetype(&fs->ff);
		assert_int_equal(fs->cmap.n, strlen(cmap));
		assert_memory_equal(fs->cmap.p, cmap, fs->cmap.n);
		check_against_face(fs);
	}
}

/* ---- the documents ---- */

static void write_doc(const char *path, const char *word)
{
	struct doc_options opt = { .lang = LANG_FR, .date = 1113300000,
	    .header = "RG 05/01234 — en-tête" };
	struct doc *d = doc_new(&opt);
	doc_heading(d, 1, "Chronologie des incidents", NULL);
	struct para *p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, "Le serveur était ");
	para_text(d, p, STYLE_BOLD, word);
	para_text(d, p, STYLE_REGULAR, " depuis le ");
	para_text(d, p, STYLE_ITALIC, "12 avril 2005");
	para_text(d, p, STYLE_REGULAR, ", préjudice 1 250,00 €.");
	const char *lines[] = { "[1113300000] HOST ALERT: www;DOWN;HARD" };
	long numbers[] = { 42 };
	doc_log(d, "Journal", lines, numbers, 1);
	assert_int_equal(doc_write_pdf(d, path, NULL), 0);
	assert_int_equal(doc_errors(d), 0);
	doc_free(d);
}

/*
 * Two documents in one process, the first with a cold cache: the second
 * gets its CMaps and the subsets the first had from the cache, byte for
 * byte what the first compressed; subsets with other glyphs are
 * compressed again, and their maps and /W differ.
 */
static void test_two_documents(void **state)
{
	(void)state;
	char *a = path_in("a.pdf"), *b = path_in("b.pdf");
	fontembed_cache_clear();
	write_doc(a, "injoignable");
	struct fontembed_stats s1, s2;
	fontembed_cache_stats(&s1);
	write_doc(b, "hors service, « perdu » : ÆŒ");
	fontembed_cache_stats(&s2);

	struct pdf_fonts fa, fb;
	read_fonts(a, &fa);
	read_fonts(b, &fb);
	check_fonts(&fa, 5);
	check_fonts(&fb, 5);
	assert_int_equal(fa.n, fb.n);
	/* Document 1: every subset and CMap was compressed or found in
	 * the cache (the CMap is the same for every face); the maps are
	 * not cached. */
	assert_int_equal(s1.hits + s1.misses, 2 * (unsigned long)fa.n);
	assert_true(s1.hits >= (unsigned long)fa.n - 1);
	assert_int_equal(s1.subset_misses, (unsigned long)fa.n);
	assert_int_equal(s1.subset_hits, 0);
	/* Document 2: CMaps all from the cache; a subset of the same glyphs
	 * from the glyph-set cache, without being made or compressed; the
	 * others made, and compressed unless the bytes were seen. */
	unsigned long shits = s2.subset_hits - s1.subset_hits;
	unsigned long smisses = s2.subset_misses - s1.subset_misses;
	assert_int_equal(shits + smisses, (unsigned long)fb.n);
	assert_true(shits >= 1);
	assert_int_equal(s2.hits + s2.misses - s1.hits - s1.misses,
	    (unsigned long)fb.n + smisses);
	assert_true(s2.misses - s1.misses <= smisses);
	assert_true(s2.hits - s1.hits >= (unsigned long)fb.n);
	int subsets_differ = 0;
	for (int i = 0; i < fa.n; i++) {
		const struct font_seen *x = &fa.f[i];
		const struct font_seen *y = find_font(&fb, x->name);
		assert_non_null(y);
		assert_true(same(&x->cmap_raw, &y->cmap_raw));
		/* Same glyphs, same map and /W; the bold face's differ. */
		int same_glyphs = same(&x->ff, &y->ff);
		assert_int_equal(same(&x->map, &y->map), same_glyphs);
		if (same_glyphs) {
			assert_true(same(&x->map_raw, &y->map_raw));
			assert_memory_equal(x->w, y->w, NCID * sizeof *x->w);
		}
		subsets_differ += !same_glyphs;
	}
	assert_true(subsets_differ >= 1);	/* the bold face's glyphs */
	assert_true(smisses >= (unsigned long)subsets_differ);
	assert_true(shits <= (unsigned long)(fa.n - subsets_differ));

	/* The text is all there, and nothing to warn about. */
	char *cmd = xasprintf("qpdf --check %s >/dev/null && "
	    "mutool info %s >/dev/null 2>&1 && pdftotext %s - 2>&1", b, b, b);
	char *text = run_ok(cmd);
	assert_non_null(strstr(text, "Chronologie des incidents"));
	assert_non_null(strstr(text, "hors service, « perdu » : ÆŒ"));
	assert_non_null(strstr(text, "12 avril 2005"));
	assert_non_null(strstr(text, "1 250,00 €"));
	assert_non_null(strstr(text, "HOST ALERT: www;DOWN;HARD"));
	assert_non_null(strstr(text, "en-tête"));
	free(text);
	free(cmd);
	/* mutool extracts each font program as a TrueType file. */
	cmd = xasprintf("cd %s && mutool extract a.pdf >/dev/null 2>&1 && "
	    "ls font-*.ttf | wc -l && rm -f font-* image-*", dir);
	text = run_ok(cmd);
	assert_int_equal(atoi(text), fa.n);
	free(text);
	free(cmd);
	free_fonts(&fa);
	free_fonts(&fb);
	free(a);
	free(b);
}

/* The same document twice, from a cold and a warm cache: same bytes. */
static void test_reproducible(void **state)
{
	(void)state;
	char *a = path_in("r1.pdf"), *b = path_in("r2.pdf");
	fontembed_cache_clear();
	write_doc(a, "injoignable");
	write_doc(b, "injoignable");
	struct fontembed_stats s;
	fontembed_cache_stats(&s);
	assert_true(s.hits >= 5 + 4);		/* the CMaps */
	assert_true(s.subset_hits >= 5);	/* the second's subsets */
	char *cmd = xasprintf("cmp %s %s", a, b);
	free(run_ok(cmd));
	free(cmd);
	free(a);
	free(b);
}

/*
 * fontembed_prepare on a bare libharu document: NULL entries, a font
 * given twice, a base-14 font and a second call are all harmless; a
 * document that does not compress is left to libharu.
 */
static void draw(HPDF_Doc pdf, HPDF_Font font, const char *text)
{
	HPDF_Page page = HPDF_AddPage(pdf);
	assert_non_null(page);
	assert_int_equal(HPDF_Page_SetFontAndSize(page, font, 12), HPDF_OK);
	assert_int_equal(HPDF_Page_BeginText(page), HPDF_OK);
	assert_int_equal(HPDF_Page_TextOut(page, 50, 700, text), HPDF_OK);
	assert_int_equal(HPDF_Page_EndText(page), HPDF_OK);
}

static HPDF_Font load_serif(HPDF_Doc pdf)
{
	char *fdir = fonts_find_dir();
	assert_non_null(fdir);
	char *ttf = xasprintf("%s/LiberationSerif-Regular.ttf", fdir);
	assert_int_equal(HPDF_UseUTFEncodings(pdf), HPDF_OK);
	const char *name = HPDF_LoadTTFontFromFile(pdf, ttf, HPDF_TRUE);
	assert_non_null(name);
	HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
	assert_non_null(font);
	assert_int_equal(tounicode_fix(font), 0);
	free(ttf);
	free(fdir);
	return font;
}

static void test_bare_documents(void **state)
{
	(void)state;
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL), HPDF_OK);
	HPDF_Font serif = load_serif(pdf);
	HPDF_Font helv = HPDF_GetFont(pdf, "Helvetica", NULL);
	assert_non_null(helv);
	draw(pdf, serif, "Déjà vu — à l’œil");
	draw(pdf, helv, "plain Helvetica");
	HPDF_Font list[] = { NULL, serif, helv, serif };
	assert_int_equal(fontembed_prepare(list, 4), HPDF_OK);
	assert_int_equal(fontembed_prepare(list, 4), HPDF_OK);
	assert_int_equal(fontembed_prepare(NULL, 0), HPDF_OK);
	char *out = path_in("bare.pdf");
	assert_int_equal(HPDF_SaveToFile(pdf, out), HPDF_OK);
	HPDF_Free(pdf);
	struct pdf_fonts pf;
	read_fonts(out, &pf);
	assert_int_equal(pf.n, 1);
	check_fonts(&pf, 1);
	free_fonts(&pf);
	char *cmd = xasprintf("qpdf --check %s >/dev/null && pdftotext %s -",
	    out, out);
	char *text = run_ok(cmd);
	assert_non_null(strstr(text, "Déjà vu — à l’œil"));
	assert_non_null(strstr(text, "plain Helvetica"));
	free(text);
	free(cmd);

	/* No compression asked: nothing compressed, by libharu or us. */
	pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	serif = load_serif(pdf);
	draw(pdf, serif, "Déjà vu");
	assert_int_equal(fontembed_prepare(&serif, 1), HPDF_OK);
	assert_int_equal(HPDF_SaveToFile(pdf, out), HPDF_OK);
	HPDF_Free(pdf);
	cmd = xasprintf("qpdf --check %s >/dev/null && "
	    "grep -ac FlateDecode %s || true", out, out);
	text = run_ok(cmd);
	assert_string_equal(text, "0\n");
	free(text);
	free(cmd);
	free(out);
}

/*
 * The used CIDs exactly, on a bare libharu document whose face's glyph
 * flags can be read: in Liberation Serif Italic the fi ligature U+FB01
 * and the private-use U+F001 have the same glyph, so drawing the first
 * uses both; accented letters are composite glyphs whose parts other
 * code points map to. /W and the map must list every CID whose glyph is
 * flagged and no other, with libharu's widths and glyphs, and end at the
 * highest.
 */
static void test_used_cids(void **state)
{
	(void)state;
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL), HPDF_OK);
	assert_int_equal(HPDF_UseUTFEncodings(pdf), HPDF_OK);
	char *fdir = fonts_find_dir();
	assert_non_null(fdir);
	char *ttf = xasprintf("%s/LiberationSerif-Italic.ttf", fdir);
	const char *name = HPDF_LoadTTFontFromFile(pdf, ttf, HPDF_TRUE);
	assert_non_null(name);
	HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
	assert_non_null(font);
	assert_int_equal(tounicode_fix(font), 0);
	HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
	assert_non_null(def);
	HPDF_UINT16 fi = HPDF_TTFontDef_GetGlyphid(def, 0xFB01);
	assert_true(fi != 0 && HPDF_TTFontDef_GetGlyphid(def, 0xF001) == fi);
	/* NBSP before ":" and "€", NNBSP inside « », as typo.c writes. */
	draw(pdf, font, "Préjudice\u00A0: 1\u00A0250,00\u00A0€, "
	    "«\u202Fà l’œil\u202F» — ﬁn");
	assert_int_equal(fontembed_prepare(&font, 1), HPDF_OK);
	char *out = path_in("used.pdf");
	assert_int_equal(HPDF_SaveToFile(pdf, out), HPDF_OK);

	struct pdf_fonts pf;
	read_fonts(out, &pf);
	assert_int_equal(pf.n, 1);
	check_fonts(&pf, 1);
	const struct font_seen *fs = &pf.f[0];
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	long last = 0, used = 0, unshown = 0;
	for (long c = 0; c < 0xFFFF; c++) {
		HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def,
		    (HPDF_UINT16)c);
		int u = gid != 0 && tt->glyph_tbl.flgs[gid];
		assert_int_equal(map_gid(fs, c), u ? gid : 0);
		int w = u ? HPDF_TTFontDef_GetGidWidth(def, gid) : -1;
		assert_int_equal(fs->w[c], w == fs->dw ? -1 : w);
		if (u) {
			last = c;
			used++;
			unshown += !fs->shown[c];
		}
	}
	assert_int_equal(fs->map.n, 2 * (size_t)(last + 1));
	assert_int_equal(last, 0xFB01);
	/* U+F001 only through the ligature's glyph; NBSP and NNBSP with
	 * their own glyphs and widths (not /DW). */
	assert_true(fs->shown[0xFB01] && !fs->shown[0xF001]);
	assert_int_equal(map_gid(fs, 0xF001), fi);
	assert_int_equal(map_gid(fs, 0xFB01), fi);
	assert_int_equal(fs->w[0xF001], fs->w[0xFB01]);
	assert_true(fs->w[0xFB01] > 0);
	assert_true(fs->shown[0xA0] && fs->w[0xA0] > 0);
	assert_true(fs->shown[0x202F] && fs->w[0x202F] > 0);
	assert_true(unshown >= 1 && used < 100);
	free_fonts(&pf);
	HPDF_Free(pdf);

	char *cmd = xasprintf("qpdf --check %s >/dev/null && "
	    "pdftotext %s -", out, out);
	char *text = run_ok(cmd);
	/* (poppler prints NBSP and NNBSP as spaces) */
	assert_non_null(strstr(text,
	    "Préjudice : 1 250,00 €, « à l’œil » — ﬁn"));
	free(text);
	free(cmd);
	free(out);
	free(ttf);
	free(fdir);
}

/* The bytes of a libharu memory stream. */
static struct bytes mem_bytes(HPDF_Stream st)
{
	struct bytes b = { xmalloc(HPDF_Stream_Size(st) + 1), 0 };
	HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(st);
	for (HPDF_UINT k = 0; k < nbuf; k++) {
		HPDF_UINT got = 0;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, k, &got);
		assert_non_null(p);
		if (got > HPDF_Stream_Size(st) - b.n)
			got = HPDF_Stream_Size(st) - (HPDF_UINT)b.n;
		memcpy(b.p + b.n, p, got);
		b.n += got;
	}
	assert_int_equal(b.n, HPDF_Stream_Size(st));
	return b;
}

/*
 * An adopted face (fontembed_adopt: its file served from memory, its
 * subsets cached by glyph set) against the same face left to libharu,
 * loaded from its file into a handle of its own with the same subset
 * tag: for the same glyph flags, the subset in each document (made, or
 * from the cache) is byte for byte what libharu's SaveFontData makes
 * from the file. Three documents on one handle, as render.c keeps it
 * (HPDF_NewDoc): the third has the first's glyphs and gets its subset
 * from the cache. Freeing the handle frees the face and its entries.
 */
static void test_adopted_face(void **state)
{
	(void)state;
	fontembed_cache_clear();
	char *fdir = fonts_find_dir();
	assert_non_null(fdir);
	char *ttf = xasprintf("%s/LiberationSerif-Italic.ttf", fdir);
	HPDF_Doc a = HPDF_New(NULL, NULL), b = HPDF_New(NULL, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(HPDF_SetCompressionMode(a, HPDF_COMP_ALL), HPDF_OK);
	assert_int_equal(HPDF_UseUTFEncodings(a), HPDF_OK);
	const char *name = HPDF_LoadTTFontFromFile(a, ttf, HPDF_TRUE);
	const char *name_b = HPDF_LoadTTFontFromFile(b, ttf, HPDF_TRUE);
	assert_non_null(name);
	assert_non_null(name_b);
	assert_string_equal(name, name_b);	/* same tag: HPDFAA+... */
	HPDF_FontDef def = HPDF_GetFontDef(a, name);
	HPDF_FontDef def_b = HPDF_GetFontDef(b, name_b);
	assert_non_null(def);
	assert_non_null(def_b);
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	HPDF_TTFontDefAttr tt_b = (HPDF_TTFontDefAttr)def_b->attr;
	assert_int_equal(tt->stream->type, HPDF_STREAM_FILE);
	assert_int_equal(fontembed_adopt(def), HPDF_OK);
	assert_int_equal(tt->stream->type, HPDF_STREAM_CALLBACK);
	HPDF_Stream adopted = tt->stream;
	assert_int_equal(fontembed_adopt(def), HPDF_OK);	/* no-op */
	assert_ptr_equal(tt->stream, adopted);
	assert_int_equal(tt->num_glyphs, tt_b->num_glyphs);

	/* Accented letters are composite glyphs (their parts are read
	 * from the face when measured), "ﬁ" a ligature. */
	const char *texts[] = { "Préjudice : 1 250,00 €", "à l’œil — ﬁn Ÿ",
	    "Préjudice : 1 250,00 €" };
	char *out = path_in("adopted.pdf");
	for (int k = 0; k < 3; k++) {
		if (k > 0) {
			assert_int_equal(HPDF_NewDoc(a), HPDF_OK);
			assert_int_equal(HPDF_NewDoc(b), HPDF_OK);
		}
		HPDF_Font font = HPDF_GetFont(a, name, "UTF-8");
		assert_non_null(font);
		assert_int_equal(tounicode_fix(font), 0);
		draw(a, font, texts[k]);
		struct fontembed_stats s0, s1;
		fontembed_cache_stats(&s0);
		assert_int_equal(fontembed_prepare(&font, 1), HPDF_OK);
		fontembed_cache_stats(&s1);
		assert_int_equal(s1.subset_hits - s0.subset_hits, k == 2);
		assert_int_equal(s1.subset_misses - s0.subset_misses, k != 2);
		assert_int_equal(HPDF_SaveToFile(a, out), HPDF_OK);

		/* libharu's own subset of the file, same glyphs flagged. */
		memcpy(tt_b->glyph_tbl.flgs, tt->glyph_tbl.flgs,
		    tt->num_glyphs);
		HPDF_Stream ref = HPDF_MemStream_New(def_b->mmgr, 4096);
		assert_non_null(ref);
		assert_int_equal(HPDF_TTFontDef_SaveFontData(def_b, ref),
		    HPDF_OK);
		struct bytes want = mem_bytes(ref);
		HPDF_Stream_Free(ref);
		assert_int_equal(tt->length1, want.n);

		struct pdf_fonts pf;
		read_fonts(out, &pf);
		assert_int_equal(pf.n, 1);
		check_fonts(&pf, 1);
		assert_int_equal(pf.f[0].length1, (long)want.n);
		assert_true(same(&pf.f[0].ff, &want));
		free(want.p);
		free_fonts(&pf);
	}
	struct fontembed_stats s;
	fontembed_cache_stats(&s);
	assert_int_equal(s.subsets, 2);
	HPDF_Free(a);		/* the face, and its subsets */
	fontembed_cache_stats(&s);
	assert_int_equal(s.subsets, 0);
	HPDF_Free(b);
	free(out);
	free(ttf);
	free(fdir);
}

/*
 * fontembed.c's own subsetter against libharu's SaveFontData, on every
 * face of fonts/ loaded into one handle (so each has its own subset tag)
 * and adopted: glyph 0 alone, every glyph, the glyphs of a text
 * (composite accented letters bring their parts), and pseudo-random
 * sets; same bytes, same length1.
 */
static void test_subsetter(void **state)
{
	(void)state;
	char *fdir = fonts_find_dir();
	assert_non_null(fdir);
	static const char *const files[] = {
		"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
		"LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf",
		"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
		"LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf",
	};
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	unsigned long seed = 12345;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *ttf = xasprintf("%s/%s", fdir, files[i]);
		const char *name = HPDF_LoadTTFontFromFile(pdf, ttf, HPDF_TRUE);
		assert_non_null(name);
		HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
		assert_non_null(def);
		unsigned char *mine;
		size_t n;
		/* not adopted yet: not ours to make */
		assert_int_not_equal(fontembed_subset_bytes(def, &mine, &n),
		    HPDF_OK);
		assert_int_equal(fontembed_adopt(def), HPDF_OK);
		HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
		HPDF_BYTE *flgs = tt->glyph_tbl.flgs;
		for (int set = 0; set < 7; set++) {
			memset(flgs, 0, tt->num_glyphs);
			flgs[0] = 1;
			if (set == 1)
				memset(flgs, 1, tt->num_glyphs);
			else if (set == 2) {
				const char *text = "Préjudice : 1 250,00 € — "
				    "à l’œil, ÆŒŸ ﬁn ÂÊÎÔÛ âêîôû ñ";
				size_t len = strlen(text), at = 0;
				while (at < len) {
					uint32_t cp;
					size_t k = utf8_decode(text + at,
					    len - at, &cp);
					assert_true(k > 0);
					HPDF_TTFontDef_GetCharWidth(def,
					    (HPDF_UINT16)cp);
					at += k;
				}
			} else if (set > 2) {
				unsigned pct = set == 3 ? 2 : set == 4 ? 10 :
				    set == 5 ? 50 : 95;
				for (HPDF_UINT g = 1; g < tt->num_glyphs; g++) {
					seed = seed * 6364136223846793005u +
					    1442695040888963407u;
					flgs[g] = (seed >> 33) % 100 < pct;
				}
			}
			assert_int_equal(fontembed_subset_bytes(def, &mine, &n),
			    HPDF_OK);
			HPDF_Stream ref = HPDF_MemStream_New(def->mmgr, 4096);
			assert_non_null(ref);
			assert_int_equal(HPDF_TTFontDef_SaveFontData(def, ref),
			    HPDF_OK);
			struct bytes want = mem_bytes(ref);
			HPDF_Stream_Free(ref);
			struct bytes got = { mine, n };
			if (!same(&got, &want))
				fail_msg("%s, glyph set %d: %zu bytes, libharu "
				    "%zu", files[i], set, n, want.n);
			assert_int_equal(tt->length1, want.n);
			free(mine);
			free(want.p);
		}
		free(ttf);
	}
	assert_int_equal(HPDF_GetError(pdf), HPDF_OK);
	HPDF_Free(pdf);
	free(fdir);
}

/*
 * Fonts made quick (glyphid.h): libharu's /W and map left nearly empty,
 * rebuilt by fontembed_prepare from glyphid.c's tables: the same file as
 * with the fonts made in full. A quick font fontembed cannot take (the
 * document does not compress) fails instead of going out wrong.
 */
static void quick_doc(const char *out, int quick, int compress,
    HPDF_STATUS want)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	if (compress)
		assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL),
		    HPDF_OK);
	glyphid_quick_fonts(quick);
	HPDF_Font font = load_serif(pdf);
	glyphid_quick_fonts(0);
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	assert_int_equal(HPDF_Stream_Size(attr->map_stream->stream) ==
	    2 * 0xFFFF, !quick);
	draw(pdf, font, "Préjudice : 1 250,00 € — à l’œil, ﬁn ÆŒŸ");
	assert_int_equal(fontembed_prepare(&font, 1), want);
	if (want == HPDF_OK)
		assert_int_equal(HPDF_SaveToFile(pdf, out), HPDF_OK);
	HPDF_Free(pdf);
}

static void test_quick_fonts(void **state)
{
	(void)state;
	char *a = path_in("full.pdf"), *b = path_in("quick.pdf");
	quick_doc(a, 0, 1, HPDF_OK);
	quick_doc(b, 1, 1, HPDF_OK);
	char *cmd = xasprintf("cmp %s %s", a, b);
	free(run_ok(cmd));
	free(cmd);
	struct pdf_fonts pf;
	read_fonts(b, &pf);
	assert_int_equal(pf.n, 1);
	check_fonts(&pf, 1);
	free_fonts(&pf);
	quick_doc(b, 1, 0, HPDF_INVALID_OBJECT);
	free(a);
	free(b);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	setenv("SOURCE_DATE_EPOCH", "1113300000", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fontembed_cache_clear();
	char *cmd = xasprintf("%s %s", getenv("KEEP") ? "echo" : "rm -rf", dir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_documents),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_bare_documents),
		cmocka_unit_test(test_used_cids),
		cmocka_unit_test(test_adopted_face),
		cmocka_unit_test(test_subsetter),
		cmocka_unit_test(test_quick_fonts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
