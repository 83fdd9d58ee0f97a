/*
 * test_glyphid.c - src/render/glyphid.c, our HPDF_TTFontDef_GetGlyphid
 * (binary search), against libharu's own (linear search, found with
 * dlsym(RTLD_NEXT)) and against a plain linear search written here, for
 * every code point 0..0xFFFF of every face in fonts/. Also: the format-0
 * and no-segment (error) cases, an unsorted table, the per-face tables
 * (runs interleaved, broken, a cmap changed in place), and that the symbol
 * really interposes libharu's (the global lookup, which libharu's own
 * calls go through, finds ours).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <dlfcn.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_utils.h>
#include <stdlib.h>
#include <string.h>

#include "layout/fonts.h"
#include "util/xalloc.h"

typedef HPDF_UINT16 (*glyphid_fn)(HPDF_FontDef, HPDF_UINT16);

/* libharu's own definition: the next one after the executable's. */
static glyphid_fn
library_glyphid(void)
{
	glyphid_fn f;
	void *p = dlsym(RTLD_NEXT, "HPDF_TTFontDef_GetGlyphid");
	assert_non_null(p);
	memcpy(&f, &p, sizeof f);	/* object to function pointer */
	return f;
}

/* The format-4 lookup as the TrueType specification words it: the
 * first segment whose end code is >= the code point, in the order of
 * the table. */
static HPDF_UINT16
linear_glyphid(HPDF_FontDef def, HPDF_UINT16 u)
{
	const HPDF_TTF_CmapRange *cm =
	    &((HPDF_TTFontDefAttr)def->attr)->cmap;
	HPDF_UINT n = cm->seg_count_x2 / 2, i;
	for (i = 0; i < n; i++)
		if (u <= cm->end_count[i])
			break;
	if (i == n || cm->start_count[i] > u)
		return 0;
	if (cm->id_range_offset[i] == 0)
		return (HPDF_UINT16)(u + cm->id_delta[i]);
	HPDF_UINT idx = cm->id_range_offset[i] / 2 +
	    (u - cm->start_count[i]) - (n - i);
	if (idx >= cm->glyph_id_array_count)
		return 0;
	return (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
}

/* Every .ttf of fonts/, each loaded into its own document. */
struct ttf {
	char *path;
	HPDF_Doc pdf;
	HPDF_FontDef def;
};
static struct ttf *faces;
static size_t nfaces;

static int
group_setup(void **state)
{
	char *dir = fonts_find_dir();
	if (dir == NULL)
		return -1;
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".ttf") != 0)
			continue;
		faces = xreallocarray(faces, nfaces + 1, sizeof *faces);
		struct ttf *f = &faces[nfaces++];
		f->path = xasprintf("%s/%s", dir, e->d_name);
		f->pdf = HPDF_New(NULL, NULL);
		const char *name = HPDF_LoadTTFontFromFile(f->pdf, f->path,
		    HPDF_TRUE);
		f->def = name ? HPDF_GetFontDef(f->pdf, name) : NULL;
		if (f->def == NULL)
			return -1;
	}
	closedir(d);
	free(dir);
	return nfaces > 0 ? 0 : -1;
}

static int
group_teardown(void **state)
{
	for (size_t i = 0; i < nfaces; i++) {
		HPDF_Free(faces[i].pdf);
		free(faces[i].path);
	}
	free(faces);
	return 0;
}

/* The global lookup, which libharu's calls through its PLT use, finds
 * the executable's definition, not libharu's. */
static void
test_interposed(void **state)
{
	glyphid_fn ours = HPDF_TTFontDef_GetGlyphid, global;
	void *p = dlsym(RTLD_DEFAULT, "HPDF_TTFontDef_GetGlyphid");
	assert_non_null(p);
	memcpy(&global, &p, sizeof global);
	assert_true(global == ours);
	assert_true(library_glyphid() != ours);
}

/* Every code point of every face: the same glyph id three ways. */
static void
test_every_code_point(void **state)
{
	glyphid_fn lib = library_glyphid();
	for (size_t i = 0; i < nfaces; i++) {
		HPDF_FontDef def = faces[i].def;
		long mapped = 0;
		assert_int_equal(((HPDF_TTFontDefAttr)def->attr)->cmap.format, 4);
		for (uint32_t u = 0; u <= 0xFFFF; u++) {
			HPDF_UINT16 want = lib(def, (HPDF_UINT16)u);
			HPDF_UINT16 got = HPDF_TTFontDef_GetGlyphid(def,
			    (HPDF_UINT16)u);
			if (got != want || got != linear_glyphid(def,
			    (HPDF_UINT16)u))
				fail_msg("%s: U+%04X: ours %u, libharu %u, "
				    "linear %u", faces[i].path, (unsigned)u, got,
				    want, linear_glyphid(def, (HPDF_UINT16)u));
			mapped += got != 0;
		}
		assert_true(mapped > 500);	/* a real font, a real cmap */
		assert_int_equal(HPDF_GetError(faces[i].pdf), HPDF_OK);
	}
}

/*
 * The tables of glyphid.c (runs of calls for 0, 1, 2, ... on one face):
 * runs of two faces interleaved, a run broken and taken up again, and a
 * face whose cmap changes in place (same arrays, other contents) between
 * two runs: every answer still the library's.
 */
static void
test_table_runs(void **state)
{
	glyphid_fn lib = library_glyphid();
	assert_true(nfaces >= 2);
	HPDF_FontDef a = faces[0].def, b = faces[1].def;
	for (uint32_t u = 0; u <= 0xFFFF; u++) {
		assert_int_equal(HPDF_TTFontDef_GetGlyphid(a, (HPDF_UINT16)u),
		    lib(a, (HPDF_UINT16)u));
		assert_int_equal(HPDF_TTFontDef_GetGlyphid(b, (HPDF_UINT16)u),
		    lib(b, (HPDF_UINT16)u));
	}
	for (uint32_t u = 0; u <= 0xFFFF; u++) {
		uint32_t v = u == 100 ? 0x20AC : u;	/* a jump, then on */
		assert_int_equal(HPDF_TTFontDef_GetGlyphid(a, (HPDF_UINT16)v),
		    lib(a, (HPDF_UINT16)v));
	}
	/* The same arrays with other contents: a run on the old table
	 * would give the old glyphs. */
	HPDF_TTF_CmapRange *cm = &((HPDF_TTFontDefAttr)a->attr)->cmap;
	HPDF_UINT n = cm->seg_count_x2 / 2;
	HPDF_INT16 *saved = xcalloc(n, sizeof *saved);
	memcpy(saved, cm->id_delta, n * sizeof *saved);
	HPDF_UINT16 *before = xcalloc(0x10000, sizeof *before);
	for (uint32_t u = 0; u <= 0xFFFF; u++)
		before[u] = HPDF_TTFontDef_GetGlyphid(a, (HPDF_UINT16)u);
	for (HPDF_UINT i = 0; i < n; i++)
		cm->id_delta[i] = (HPDF_INT16)(cm->id_delta[i] + 1);
	long changed = 0;
	for (uint32_t u = 0; u <= 0xFFFF; u++) {
		HPDF_UINT16 got = HPDF_TTFontDef_GetGlyphid(a, (HPDF_UINT16)u);
		assert_int_equal(got, lib(a, (HPDF_UINT16)u));
		changed += got != before[u];
	}
	assert_true(changed > 500);
	memcpy(cm->id_delta, saved, n * sizeof *saved);
	for (uint32_t u = 0; u <= 0xFFFF; u++)
		assert_int_equal(HPDF_TTFontDef_GetGlyphid(a, (HPDF_UINT16)u),
		    before[u]);
	free(saved);
	free(before);
}

/* A format-0 table: code & 0xFF indexes glyph_id_array. */
static void
test_format0(void **state)
{
	glyphid_fn lib = library_glyphid();
	HPDF_TTF_CmapRange *cm =
	    &((HPDF_TTFontDefAttr)faces[0].def->attr)->cmap;
	HPDF_TTF_CmapRange saved = *cm;
	HPDF_UINT16 table[256];
	for (int k = 0; k < 256; k++)
		table[k] = (HPDF_UINT16)(k * 7 + 3);
	cm->format = 0;
	cm->glyph_id_array = table;
	for (uint32_t u = 0; u <= 0xFFFF; u++)
		assert_int_equal(HPDF_TTFontDef_GetGlyphid(faces[0].def,
		    (HPDF_UINT16)u), lib(faces[0].def, (HPDF_UINT16)u));
	*cm = saved;
}

/* No segment: 0 and HPDF_TTF_INVALID_CMAP on the document, both ways. */
static void
test_no_segment(void **state)
{
	glyphid_fn lib = library_glyphid();
	HPDF_Doc pdf = faces[0].pdf;
	HPDF_TTF_CmapRange *cm =
	    &((HPDF_TTFontDefAttr)faces[0].def->attr)->cmap;
	HPDF_UINT16 saved = cm->seg_count_x2;
	cm->seg_count_x2 = 0;
	HPDF_ResetError(pdf);
	assert_int_equal(lib(faces[0].def, 'A'), 0);
	HPDF_STATUS want = HPDF_GetError(pdf);
	HPDF_ResetError(pdf);
	assert_int_equal(HPDF_TTFontDef_GetGlyphid(faces[0].def, 'A'), 0);
	assert_int_equal(HPDF_GetError(pdf), want);
	assert_int_equal(want, HPDF_TTF_INVALID_CMAP);
	HPDF_ResetError(pdf);
	cm->seg_count_x2 = saved;
}

/* End codes out of order (a malformed font): the linear walk, so the
 * same answers as libharu. */
static void
test_unsorted(void **state)
{
	glyphid_fn lib = library_glyphid();
	HPDF_TTF_CmapRange *cm =
	    &((HPDF_TTFontDefAttr)faces[0].def->attr)->cmap;
	HPDF_UINT n = cm->seg_count_x2 / 2;
	assert_true(n > 4);
	HPDF_UINT16 *saved = cm->end_count;
	HPDF_UINT16 *copy = xcalloc(n, sizeof *copy);
	memcpy(copy, saved, n * sizeof *copy);
	HPDF_UINT16 t = copy[1];	/* swap two early segments */
	copy[1] = copy[2];
	copy[2] = t;
	cm->end_count = copy;
	for (uint32_t u = 0; u <= 0xFFFF; u++)
		assert_int_equal(HPDF_TTFontDef_GetGlyphid(faces[0].def,
		    (HPDF_UINT16)u), lib(faces[0].def, (HPDF_UINT16)u));
	cm->end_count = saved;
	free(copy);
}

/* The library's loops (hpdf_utils.c), as the reference. */
static HPDF_BYTE *
ref_memcpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	while (n > 0) {
		*out++ = *in++;
		n--;
	}
	return out;
}

static void *
ref_memset(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	HPDF_BYTE *b = s;
	while (n > 0) {
		*b++ = c;
		n--;
	}
	return b;
}

/* hpdfmem.c: same bytes and same return value (the end, not the start)
 * as the library's loops, overlapping copies included. */
static void
test_mem_functions(void **state)
{
	(void)state;
	HPDF_BYTE a[300], b[300];
	for (HPDF_UINT n = 0; n < 70; n++) {
		for (int off = -20; off <= 20; off++) {
			for (int i = 0; i < 300; i++)
				a[i] = b[i] = (HPDF_BYTE)(i * 7 + 3);
			HPDF_BYTE *ra = HPDF_MemCpy(a + 100 + off, a + 100, n);
			HPDF_BYTE *rb = ref_memcpy(b + 100 + off, b + 100, n);
			assert_int_equal(ra - a, rb - b);
			assert_memory_equal(a, b, sizeof a);
		}
		HPDF_BYTE *ra = HPDF_MemSet(a + 5, (HPDF_BYTE)n, n);
		HPDF_BYTE *rb = ref_memset(b + 5, (HPDF_BYTE)n, n);
		assert_int_equal(ra - a, rb - b);
		assert_memory_equal(a, b, sizeof a);
	}
}

/* hpdfmem.c's HPDF_StrLen against the library's own (found past ours
 * with RTLD_NEXT): NULL, empty, every maxlen around the length. */
static void
test_strlen(void **state)
{
	(void)state;
	typedef HPDF_UINT (*strlen_fn)(const char *, HPDF_INT);
	void *p = dlsym(RTLD_NEXT, "HPDF_StrLen");
	assert_non_null(p);
	strlen_fn lib;
	memcpy(&lib, &p, sizeof lib);
	assert_int_equal(HPDF_StrLen(NULL, -1), lib(NULL, -1));
	assert_int_equal(HPDF_StrLen(NULL, 5), 0);
	const char *s[] = { "", "a", "/Type /Page", "0123456789abcdef0123" };
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		for (HPDF_INT max = -3; max < 25; max++)
			assert_int_equal(HPDF_StrLen(s[i], max), lib(s[i], max));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interposed),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_table_runs),
		cmocka_unit_test(test_format0),
		cmocka_unit_test(test_no_segment),
		cmocka_unit_test(test_unsorted),
		cmocka_unit_test(test_mem_functions),
		cmocka_unit_test(test_strlen),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
