/*
 * fontembed.c - font streams compressed by us, cached per process
 * (fontembed.h).
 *
 * WHAT LIBHARU DOES
 *
 * HPDF_GetFont(pdf, name, "UTF-8") on a TrueType face makes a Type0 font
 * (HPDF_Type0Font_New, CIDFontType2_New in hpdf_font_cid.c) whose
 * attributes (HPDF_FontAttr, internal <hpdf_font.h>) hold the descendant
 * CIDFont dictionary and two stream dictionaries: map_stream, written as
 * the descendant's /CIDToGIDMap, and cmap_stream, written as /ToUnicode
 * (whose text tounicode.c has replaced). With the UTF-8 encoder a CID is
 * the BMP code point, and CIDFontType2_New fills both for every code
 * point 0..0xFFFE, before a single glyph is drawn:
 *
 *   - /W: the width (HPDF_TTFontDef_GetGidWidth of the mapped glyph) of
 *     every CID whose width is not /DW (the width of glyph 0, which every
 *     unmapped CID has), as runs "c [w1 w2 ...]" of consecutive CIDs:
 *     about 2,000 numbers, 8.5 KB of text per face, in a dictionary that
 *     is not compressed;
 *   - the map: two bytes (big-endian glyph id) per CID, 131,070 bytes.
 *
 * Saving, the Type0 font's before-write hook
 * (CIDFontType2_BeforeWrite_Func):
 *
 *   1. copies the Type0 font dictionary's own filter (FlateDecode when
 *      the document compresses) onto map_stream and cmap_stream;
 *   2. unless the face's definition already has a descriptor
 *      (fontdef->descriptor): creates a stream dictionary, fills it with
 *      HPDF_TTFontDef_SaveFontData (the subset: the glyphs flagged used in
 *      the face's glyph table, glyph_tbl.flgs, set by every width
 *      measurement, with the components of composite glyphs, and glyph
 *      0), adds /Length1 (the subset's size), /Length2 0 and /Length3 0,
 *      gives it the Type0 font's filter; then creates the /FontDescriptor
 *      (/FontFile2, /Type, /Ascent, /Descent, /Flags, /FontBBox,
 *      /FontName, /ItalicAngle, /StemV, /XHeight, in that order) and
 *      sets fontdef->descriptor;
 *   3. links the descriptor from the descendant font.
 *
 * All three streams are then deflated at zlib's level 6 by the saving
 * thread.
 *
 * WHAT WE DO INSTEAD, just before saving (the glyph set is final then)
 *
 *   - step 2 ourselves, with the same objects, keys and values, created
 *     in the same order (stream, its /Length, descriptor) and for the
 *     fonts in the order of their object numbers, as libharu would at
 *     save time: the file has the same objects under the same numbers;
 *     but the subset is compressed here and the stream marked
 *     precompressed (flate.h). libharu sees the descriptor and skips 2.
 *   - /W and the map cut down to the CIDs the document uses (trim()): a
 *     CID is used when it maps to a glyph other than 0 that is flagged
 *     used, that is whose outline is in the subset. Every CID mapped to
 *     such a glyph counts, whether or not the text has it (the pages
 *     show only CIDs whose glyph they measured, so only used ones). /W
 *     keeps libharu's values and form (runs of consecutive CIDs, a CID
 *     whose width is /DW left out and ending its run), the map ends at
 *     the highest used CID and maps every unused CID to 0: the same
 *     glyph and the same width for every CID a page shows, and no page
 *     shows a CID past the map's end.
 *   - map_stream and cmap_stream compressed here and marked, and the
 *     Type0 font's filter set to "none", which step 1 then copies onto
 *     them: libharu copies the bytes as they are. The streams are only
 *     taken when no write hook is set on them already (flate.h uses that
 *     hook to write /Filter); otherwise the font is left to libharu.
 *
 * On a medium-case customer pack (C-00237: six faces, 376 CIDs shown)
 * that took the six /W arrays from 12,454 numbers (51,378 bytes) to 420
 * (2,136 bytes), the six map objects from 27,604 bytes to 1,559 and the
 * file from 537,643 bytes to 462,357 (-14 %).
 *
 * THE CACHES
 *
 * Compressed bytes are kept per process, keyed on the exact uncompressed
 * bytes (compared in full, so a hit is always the right data): the CMap
 * is the same text for every face, and many documents of a `packs` run
 * use the same glyphs of a face (the faces of the running header and
 * footer, of headings). The maps are not cached: cut to the document's
 * CIDs they are small (about 16 KB, mostly zeros, compressed in tens of
 * microseconds) and differ wherever the subsets do.
 *
 * A subset is known before it is made, though: HPDF_TTFontDef_SaveFontData
 * writes it from the face (its file and what libharu parsed of it when
 * loading: tables, glyph offsets, names, the subset tag set just after)
 * and the glyph flags, nothing else. So a second cache, in front, keys
 * each compressed subset on its face and its glyph flags (the whole
 * glyph_tbl.flgs array, compared in full): a hit skips SaveFontData and
 * the compression (on the medium case's 666 packs, 3,996 subsets of
 * which 829 differ). A face is known by the serial number fontembed_adopt
 * gave it (below), never by an address, so a face freed and another
 * loaded at the same place cannot be taken for it; its entries go when
 * it is freed. Only adopted faces are cached this way; the others go
 * through SaveFontData and the byte-keyed cache as before.
 *
 * THE SUBSETTER
 *
 * A subset not in the cache is made here, from the adopted face's bytes
 * (make_subset), as SaveFontData makes it: the thirteen tables libharu
 * keeps, in its order, each copied as it is but for head (WriteHeader:
 * the parsed fields, checkSumAdjustment 0 until the end), glyf (the
 * flagged glyphs, one after the other: RecreateGLYF), loca (their new
 * offsets, in the face's format) and name (RecreateName: the subset tag
 * before every family and full name); then the directory (libharu's
 * search fields kept from the face, 13 tables, each with its checksum)
 * and checkSumAdjustment, which libharu computes over the whole 32-bit
 * words of the tables alone, without the directory, and so do we. It
 * reads what SaveFontData reads (the definition's parsed directory,
 * header, glyph offsets, name records, tags and flags, and the face's
 * bytes), in plain loops over memory where SaveFontData goes through a
 * libharu stream call per four bytes. A face it does not cover (a table
 * missing, an empty one last, an offset outside the file) is left to
 * SaveFontData. tests/test_fontembed.c compares the two on every face
 * for many glyph sets.
 *
 * THE FACES, SERVED FROM MEMORY
 *
 * libharu's TrueType definition keeps its file open (a FILE* stream) and
 * SaveFontData reads it back four bytes at a time for most tables, with
 * an fread and an fseek per glyph: that was two thirds of SaveFontData's
 * cost. fontembed_adopt reads the file once, through that very stream,
 * into memory and puts in its place a libharu callback stream over those
 * bytes (HPDF_CallbackReader_New), whose reads and seeks behave as the
 * file's (hpdf_streams.c: a short read at the end gives the bytes there,
 * zeroes after them, and HPDF_STREAM_EOF; seeking past the end is
 * allowed). The stream's free hook, set by us, frees the bytes and the
 * face's cache entries with the definition. The stream being ours (its
 * read function) and the name the definition had when adopted are
 * checked before a face's entries are used.
 *
 * Levels, measured on the six faces of a medium-case pack with zlib (its
 * bytes, ms on the build machine): the six subsets (406 KB) give 186,761
 * B in 9.6 ms at level 3, 179,021 B in 17.5 ms at 6, 178,878 B in 34.9
 * ms at 9. Subsets change with every document: they are compressed as
 * page contents are, by libdeflate at FLATE_LEVEL (flate.h: on a whole
 * face, 223 KB in 6 ms, where zlib's level 3 gave 221 KB in 17 ms). The
 * CMap is compressed once per process: libdeflate's level 6. The maps,
 * by zlib (libdeflate has no such strategy), with its run-length
 * strategy (Z_RLE): 132 to 247 bytes each in about 40 us, where level 9
 * gives 142 to 271 bytes in up to 700 us (its match search crawls along
 * the runs of zeros) and level 3 204 to 342 bytes.
 *
 * WHAT IT RELIES ON
 *
 * The internal structures of Debian 12's libhpdf 2.3.0 (2.3.0+dfsg-1+b1)
 * from its installed internal headers. The offsets asserted below were
 * read from that library's machine code (objdump -d): HPDF_Dict_Write
 * (dictionary: before-write hook, write hook, stream, filter) and
 * CIDFontType2_BeforeWrite_Func (the static function that refers to the
 * string "FontFile2": font attributes, face definition, TrueType
 * attributes), HPDF_TTFontDef_GetCharWidth and _GetGidWidth (glyph
 * flags, glyph count, the face's missing width). trim() also relies on
 * what CIDFontType2_New writes (a /DW number, a /W array, a map of two
 * bytes per CID from CID 0 to 0xFFFE, whose glyphs glyphid.c's tables
 * give: a font made quick has a nearly empty /W and map, see glyphid.c)
 * and on the glyph flags meaning "in the
 * subset" (HPDF_TTFontDef_SaveFontData). The subset cache relies on
 * SaveFontData reading only the face and its flags, and setting only
 * length1 (the size of what it wrote), which a hit sets instead; the
 * stream swap on HPDF_Stream_Rec (offsets from HPDF_CallbackReader_New
 * and HPDF_Stream_Free) and on the definition's stream (0x1a8, read by
 * SaveFontData). With another libharu, check its hpdf_font_cid.c,
 * hpdf_fontdef_tt.c, hpdf_streams.c and hpdf_dict.c and these offsets
 * again, or drop this file: everything works without it, only slower
 * and larger.
 */
#include "render/fontembed.h"

#include <hpdf_error.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "render/flate.h"
#include "render/glyphid.h"
#include "render/linkannot.h"
#include "util/xalloc.h"

#if defined(__x86_64__)
_Static_assert(offsetof(HPDF_Dict_Rec, mmgr) == 0x8 &&
    offsetof(HPDF_Dict_Rec, error) == 0x10 &&
    offsetof(HPDF_Dict_Rec, before_write_fn) == 0x20 &&
    offsetof(HPDF_Dict_Rec, write_fn) == 0x28 &&
    offsetof(HPDF_Dict_Rec, stream) == 0x40 &&
    offsetof(HPDF_Dict_Rec, filter) == 0x48 &&
    offsetof(HPDF_Dict_Rec, attr) == 0x58,
    "libharu HPDF_Dict_Rec layout differs from Debian 12's 2.3.0");
_Static_assert(sizeof(HPDF_FontAttr_Rec) == 0x58 &&
    offsetof(HPDF_FontAttr_Rec, fontdef) == 0x18 &&
    offsetof(HPDF_FontAttr_Rec, xref) == 0x38 &&
    offsetof(HPDF_FontAttr_Rec, descendant_font) == 0x40 &&
    offsetof(HPDF_FontAttr_Rec, map_stream) == 0x48 &&
    offsetof(HPDF_FontAttr_Rec, cmap_stream) == 0x50,
    "libharu HPDF_FontAttr_Rec layout differs from Debian 12's 2.3.0");
_Static_assert(offsetof(HPDF_FontDef_Rec, type) == 0x98 &&
    offsetof(HPDF_FontDef_Rec, ascent) == 0xb8 &&
    offsetof(HPDF_FontDef_Rec, descent) == 0xba &&
    offsetof(HPDF_FontDef_Rec, flags) == 0xbc &&
    offsetof(HPDF_FontDef_Rec, font_bbox) == 0xc0 &&
    offsetof(HPDF_FontDef_Rec, italic_angle) == 0xd0 &&
    offsetof(HPDF_FontDef_Rec, stemv) == 0xd2 &&
    offsetof(HPDF_FontDef_Rec, missing_width) == 0xd8 &&
    offsetof(HPDF_FontDef_Rec, x_height) == 0xdc &&
    offsetof(HPDF_FontDef_Rec, descriptor) == 0xe0 &&
    offsetof(HPDF_FontDef_Rec, attr) == 0xf8,
    "libharu HPDF_FontDef_Rec layout differs from Debian 12's 2.3.0");
_Static_assert(offsetof(HPDF_TTFontDefAttr_Rec, base_font) == 0 &&
    offsetof(HPDF_TTFontDefAttr_Rec, glyph_tbl.flgs) == 0xf0 &&
    offsetof(HPDF_TTFontDefAttr_Rec, num_glyphs) == 0xf8 &&
    offsetof(HPDF_TTFontDefAttr_Rec, length1) == 0x198 &&
    offsetof(HPDF_TTFontDefAttr_Rec, embedding) == 0x19c &&
    offsetof(HPDF_TTFontDefAttr_Rec, stream) == 0x1a8,
    "libharu HPDF_TTFontDefAttr_Rec layout differs from Debian 12's 2.3.0");
/* The stream a callback reader is (HPDF_CallbackReader_New allocates
 * 0x58 bytes and fills these), and the free hook HPDF_Stream_Free calls
 * (0x38): fontembed_adopt sets it. */
_Static_assert(sizeof(HPDF_Stream_Rec) == 0x58 &&
    offsetof(HPDF_Stream_Rec, type) == 0x4 &&
    offsetof(HPDF_Stream_Rec, error) == 0x10 &&
    offsetof(HPDF_Stream_Rec, read_fn) == 0x28 &&
    offsetof(HPDF_Stream_Rec, seek_fn) == 0x30 &&
    offsetof(HPDF_Stream_Rec, free_fn) == 0x38 &&
    offsetof(HPDF_Stream_Rec, tell_fn) == 0x40 &&
    offsetof(HPDF_Stream_Rec, size_fn) == 0x48 &&
    offsetof(HPDF_Stream_Rec, attr) == 0x50,
    "libharu HPDF_Stream_Rec layout differs from Debian 12's 2.3.0");
/* What the subsetter (make_subset) reads, as SaveFontData, WriteHeader,
 * RecreateGLYF and RecreateName read it: offsets from the header, seen
 * in SaveFontData's machine code (0x120-0x12a, 0xa8-0xdc, 0xf8). */
_Static_assert(offsetof(HPDF_TTFontDefAttr_Rec, tag_name) == 0x90 &&
    offsetof(HPDF_TTFontDefAttr_Rec, tag_name2) == 0x97 &&
    sizeof(((HPDF_TTFontDefAttr_Rec *)0)->tag_name) == 7 &&
    sizeof(((HPDF_TTFontDefAttr_Rec *)0)->tag_name2) == 14 &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.version_number) == 0xa8 &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.font_revision) == 0xac &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.magic_number) == 0xb4 &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.flags) == 0xb8 &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.units_per_em) == 0xba &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.created) == 0xbc &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.modified) == 0xc4 &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.x_min) == 0xcc &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.mac_style) == 0xd4 &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.index_to_loc_format) == 0xda &&
    offsetof(HPDF_TTFontDefAttr_Rec, header.glyph_data_format) == 0xdc &&
    offsetof(HPDF_TTFontDefAttr_Rec, glyph_tbl.base_offset) == 0xe0 &&
    offsetof(HPDF_TTFontDefAttr_Rec, glyph_tbl.offsets) == 0xe8 &&
    offsetof(HPDF_TTFontDefAttr_Rec, name_tbl.format) == 0x100 &&
    offsetof(HPDF_TTFontDefAttr_Rec, name_tbl.count) == 0x102 &&
    offsetof(HPDF_TTFontDefAttr_Rec, name_tbl.string_offset) == 0x104 &&
    offsetof(HPDF_TTFontDefAttr_Rec, name_tbl.name_records) == 0x108 &&
    offsetof(HPDF_TTFontDefAttr_Rec, offset_tbl.sfnt_version) == 0x120 &&
    offsetof(HPDF_TTFontDefAttr_Rec, offset_tbl.num_tables) == 0x124 &&
    offsetof(HPDF_TTFontDefAttr_Rec, offset_tbl.search_range) == 0x126 &&
    offsetof(HPDF_TTFontDefAttr_Rec, offset_tbl.entry_selector) == 0x128 &&
    offsetof(HPDF_TTFontDefAttr_Rec, offset_tbl.range_shift) == 0x12a &&
    offsetof(HPDF_TTFontDefAttr_Rec, offset_tbl.table) == 0x130 &&
    sizeof(HPDF_TTFTable) == 16 && sizeof(HPDF_TTF_NameRecord) == 12,
    "libharu HPDF_TTFontDefAttr_Rec layout differs from Debian 12's 2.3.0");
_Static_assert(offsetof(HPDF_FontDef_Rec, base_font) == 0x4 &&
    offsetof(HPDF_FontDef_Rec, mmgr) == 0x88 &&
    offsetof(HPDF_FontDef_Rec, error) == 0x90,
    "libharu HPDF_FontDef_Rec layout differs from Debian 12's 2.3.0");
#endif

/* libdeflate levels: see "Levels" above. */
#define CMAP_LEVEL 6			/* the CMap: once per process */
#define SUBSET_LEVEL FLATE_LEVEL	/* font subsets */

/*
 * The cache: at most CACHE_MAX entries and CACHE_BYTES bytes (raw and
 * compressed); when full, the entry used longest ago goes. A pack uses
 * about 7 entries (1 CMap, 6 subsets), 0.5 MB.
 */
#define CACHE_MAX 32
#define CACHE_BYTES (8u << 20)

struct zentry {
	unsigned char *raw;	/* the uncompressed bytes: the key */
	size_t raw_len;
	unsigned char *z;	/* their zlib form */
	size_t z_len;
	unsigned long used;	/* clock of the last use */
};

/*
 * The subset cache (see "The caches"): at most SUBSET_MAX entries and
 * SUBSET_BYTES bytes of zlib data; the entry used longest ago goes when
 * full. A medium-case pack's compressed subset is about 30 KB: 32 MB
 * hold every distinct subset of that case's 666 packs.
 */
#define SUBSET_MAX 4096
#define SUBSET_BYTES (32u << 20)

struct sentry {
	unsigned long face;	/* the face's serial (struct face) */
	uint64_t hash;		/* of the flags */
	unsigned char *flags;	/* glyph_tbl.flgs, num_glyphs bytes: the key */
	size_t nflags;
	unsigned char *z;	/* the subset's zlib form */
	size_t z_len;
	HPDF_UINT32 length1;	/* the subset's size (SaveFontData's length1) */
	unsigned long used;	/* clock of the last use */
};

static struct {
	pthread_mutex_t lock;
	struct zentry e[CACHE_MAX];
	size_t n, bytes;
	unsigned long clock, hits, misses;
	/* the subset cache, under the same lock */
	struct sentry *s;
	size_t sn, scap, sbytes;
	unsigned long shits, smisses;
	unsigned long serial;	/* the last face's */
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
drop_entry(size_t i)
{
	cache.bytes -= cache.e[i].raw_len + cache.e[i].z_len;
	free(cache.e[i].raw);
	free(cache.e[i].z);
	cache.e[i] = cache.e[--cache.n];
}

static void
drop_oldest(void)
{
	size_t old = 0;
	for (size_t i = 1; i < cache.n; i++)
		if (cache.e[i].used < cache.e[old].used)
			old = i;
	drop_entry(old);
}

static void
drop_subset(size_t i)
{
	cache.sbytes -= cache.s[i].z_len;
	free(cache.s[i].flags);
	free(cache.s[i].z);
	cache.s[i] = cache.s[--cache.sn];
}

void
fontembed_cache_stats(struct fontembed_stats *st)
{
	pthread_mutex_lock(&cache.lock);
	st->hits = cache.hits;
	st->misses = cache.misses;
	st->entries = cache.n;
	st->subset_hits = cache.shits;
	st->subset_misses = cache.smisses;
	st->subsets = cache.sn;
	pthread_mutex_unlock(&cache.lock);
}

void
fontembed_cache_clear(void)
{
	pthread_mutex_lock(&cache.lock);
	while (cache.n)
		drop_entry(cache.n - 1);
	while (cache.sn)
		drop_subset(cache.sn - 1);
	free(cache.s);
	cache.s = NULL;
	cache.scap = 0;
	cache.clock = cache.hits = cache.misses = 0;
	cache.shits = cache.smisses = 0;
	pthread_mutex_unlock(&cache.lock);
}

/* ---- the faces, served from memory (see the top of this file) ---- */

struct face {
	unsigned char *data;	/* the whole font file */
	size_t len, pos;
	unsigned long serial;	/* unique in the process */
	char base_font[HPDF_LIMIT_MAX_NAME_LEN + 1];	/* when adopted */
};

/* HPDF_FileReader_ReadFunc's behaviour, from memory. */
static HPDF_STATUS
face_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct face *f = s->attr;
	size_t want = *siz, got = f->pos < f->len ? f->len - f->pos : 0;
	if (got > want)
		got = want;
	memcpy(ptr, f->data + f->pos, got);
	f->pos += got;
	if (got < want) {
		memset(ptr + got, 0, want - got);
		*siz = (HPDF_UINT)got;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

/* HPDF_FileReader_SeekFunc's: anywhere from 0 on, past the end too. */
static HPDF_STATUS
face_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct face *f = s->attr;
	long long to = pos;
	if (mode == HPDF_SEEK_CUR)
		to += (long long)f->pos;
	else if (mode == HPDF_SEEK_END)
		to += (long long)f->len;
	if (to < 0)
		return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
	f->pos = (size_t)to;
	return HPDF_OK;
}

static HPDF_INT32
face_tell(HPDF_Stream s)
{
	struct face *f = s->attr;
	return (HPDF_INT32)f->pos;
}

static HPDF_UINT32
face_size(HPDF_Stream s)
{
	struct face *f = s->attr;
	return (HPDF_UINT32)f->len;
}

/* The stream's free hook: the face goes with its definition, and its
 * subsets with it. */
static void
face_free(HPDF_Stream s)
{
	struct face *f = s->attr;
	if (!f)
		return;
	pthread_mutex_lock(&cache.lock);
	for (size_t i = cache.sn; i-- > 0;)
		if (cache.s[i].face == f->serial)
			drop_subset(i);
	pthread_mutex_unlock(&cache.lock);
	free(f->data);
	free(f);
	s->attr = NULL;
}

HPDF_STATUS
fontembed_adopt(HPDF_FontDef def)
{
	if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
		return HPDF_OK;
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	HPDF_Stream file = tt->stream;
	if (!tt->embedding || !file || file->type != HPDF_STREAM_FILE)
		return HPDF_OK;		/* not embedded, or adopted already */
	if (HPDF_Error_GetCode(def->error) != HPDF_OK)
		return HPDF_Error_GetCode(def->error);
	HPDF_UINT32 size = HPDF_Stream_Size(file);
	if (HPDF_Error_GetCode(def->error) != HPDF_OK)
		return HPDF_Error_GetCode(def->error);
	if (size == 0 || size > INT32_MAX)
		return HPDF_OK;		/* left as it is */
	struct face *f = xcalloc(1, sizeof *f);
	f->data = xmalloc(size);
	f->len = size;
	HPDF_UINT got = size;
	HPDF_STATUS st = HPDF_Stream_Seek(file, 0, HPDF_SEEK_SET);
	if (st == HPDF_OK)
		st = HPDF_Stream_Read(file, f->data, &got);
	if (st == HPDF_OK && got != size)
		st = HPDF_FILE_IO_ERROR;
	HPDF_Stream mem = NULL;
	if (st == HPDF_OK) {
		mem = HPDF_CallbackReader_New(def->mmgr, face_read, face_seek,
		    face_tell, face_size, f);
		if (!mem)
			st = HPDF_FAILD_TO_ALLOC_MEM;
	}
	if (st != HPDF_OK) {
		free(f->data);
		free(f);
		HPDF_STATUS set = HPDF_Error_GetCode(def->error);
		if (set != HPDF_OK)
			return set;
		HPDF_SetError(def->error, st, 0);
		return st;
	}
	memcpy(f->base_font, def->base_font, sizeof f->base_font);
	pthread_mutex_lock(&cache.lock);
	f->serial = ++cache.serial;
	pthread_mutex_unlock(&cache.lock);
	mem->free_fn = face_free;
	HPDF_Stream_Free(file);		/* closes the file */
	tt->stream = mem;
	return HPDF_OK;
}

/* The adopted face of def, or NULL: its stream must be ours, and its name
 * the one it had when adopted. */
static const struct face *
face_of(HPDF_FontDef def)
{
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	HPDF_Stream s = tt->stream;
	if (!s || s->read_fn != face_read || !s->attr)
		return NULL;
	const struct face *f = s->attr;
	if (strncmp(f->base_font, def->base_font, sizeof f->base_font) != 0)
		return NULL;
	return f;
}

static uint64_t
flags_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15u ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDu;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001B3u;
	return h;
}

/* Record the error on the object's (the document's) error and return it. */
static HPDF_STATUS
fail(HPDF_Dict obj, HPDF_STATUS code)
{
	HPDF_STATUS set = HPDF_Error_GetCode(obj->error);
	if (set != HPDF_OK)
		return set;		/* libharu's own, already there */
	HPDF_SetError(obj->error, code, 0);
	return code;
}

/* The bytes of a memory stream, malloc'd, or NULL. */
static unsigned char *
stream_bytes(HPDF_Stream s, size_t *len)
{
	if (!s || s->type != HPDF_STREAM_MEMORY)
		return NULL;
	size_t n = HPDF_Stream_Size(s), at = 0;
	unsigned char *out = xmalloc(n ? n : 1);
	HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(s);
	for (HPDF_UINT k = 0; k < nbuf && at < n; k++) {
		HPDF_UINT got = 0;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, k, &got);
		if (!p)
			break;
		if (got > n - at)
			got = (HPDF_UINT)(n - at);
		memcpy(out + at, p, got);
		at += got;
	}
	if (at != n) {
		free(out);
		return NULL;
	}
	*len = n;
	return out;
}

/* The content of the stream dictionary d becomes the zlib data z, marked
 * precompressed. */
static HPDF_STATUS
put_zlib(HPDF_Dict d, const unsigned char *z, size_t zlen)
{
	HPDF_MemStream_FreeData(d->stream);
	HPDF_STATUS st = HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zlen);
	if (st != HPDF_OK)
		return fail(d, st);
	flate_mark_precompressed(d);
	return HPDF_OK;
}

/*
 * Make the content of the stream dictionary d the zlib form of raw (len
 * bytes, malloc'd, taken over) at libdeflate's level (1 to 12), from the
 * cache when these exact bytes were seen, and mark it precompressed.
 */
static HPDF_STATUS
zip_cached_bytes(HPDF_Dict d, unsigned char *raw, size_t len, int level)
{
	pthread_mutex_lock(&cache.lock);
	struct zentry *hit = NULL;
	for (size_t i = 0; i < cache.n && !hit; i++)
		if (cache.e[i].raw_len == len &&
		    memcmp(cache.e[i].raw, raw, len) == 0)
			hit = &cache.e[i];
	if (hit) {
		cache.hits++;
		free(raw);
	} else {
		/* A compressor for this miss only (a few hundred KB, not
		 * cleared when made): nothing is left when the process ends. */
		struct flate *f = flate_new(level);
		size_t zlen;
		unsigned char *z = flate_zlib(f, raw, len, &zlen);
		flate_free(f);
		if (!z) {
			pthread_mutex_unlock(&cache.lock);
			free(raw);
			return fail(d, HPDF_ZLIB_ERROR);
		}
		while (cache.n && (cache.n == CACHE_MAX ||
		    cache.bytes + len + zlen > CACHE_BYTES))
			drop_oldest();
		cache.misses++;
		hit = &cache.e[cache.n++];
		*hit = (struct zentry){ raw, len, z, zlen, 0 };
		cache.bytes += len + zlen;
	}
	hit->used = ++cache.clock;
	/* Copied into libharu's buffers under the lock: the entry cannot
	 * be dropped meanwhile. */
	HPDF_STATUS st = put_zlib(d, hit->z, hit->z_len);
	pthread_mutex_unlock(&cache.lock);
	return st;
}

/* zip_cached_bytes of the stream dictionary d's own content. */
static HPDF_STATUS
zip_cached(HPDF_Dict d, int level)
{
	size_t len;
	unsigned char *raw = stream_bytes(d->stream, &len);
	if (!raw)
		return fail(d, HPDF_INVALID_STREAM);
	return zip_cached_bytes(d, raw, len, level);
}

/* Replace the content of the stream dictionary d by the zlib form of
 * raw[0..len) made with zlib's run-length strategy (see "Levels"), not
 * cached, and mark it precompressed. */
static HPDF_STATUS
zip_rle(HPDF_Dict d, const unsigned char *raw, size_t len)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15, 8,
	    Z_RLE) != Z_OK)
		return fail(d, HPDF_ZLIB_ERROR);
	uLong bound = deflateBound(&zs, (uLong)len);
	unsigned char *z = xmalloc(bound);
	zs.next_in = (Bytef *)raw;
	zs.avail_in = (uInt)len;
	zs.next_out = z;
	zs.avail_out = (uInt)bound;
	int zst = deflate(&zs, Z_FINISH);
	size_t zlen = bound - zs.avail_out;
	deflateEnd(&zs);
	HPDF_STATUS st = zst == Z_STREAM_END ? put_zlib(d, z, zlen) :
	    fail(d, HPDF_ZLIB_ERROR);
	free(z);
	return st;
}

/* ---- the subsetter (see "The subsetter" on top) ---- */

struct obuf {
	unsigned char *p;
	size_t n, cap;
};

static unsigned char *
ob_room(struct obuf *b, size_t more)
{
	if (b->cap - b->n < more) {
		while (b->cap - b->n < more)
			b->cap = b->cap ? 2 * b->cap : 65536;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	unsigned char *at = b->p + b->n;
	b->n += more;
	return at;
}

static void
ob_put(struct obuf *b, const void *src, size_t n)
{
	if (n)
		memcpy(ob_room(b, n), src, n);
}

static void
ob_be16(struct obuf *b, unsigned v)
{
	unsigned char *p = ob_room(b, 2);
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
ob_be32(struct obuf *b, uint32_t v)
{
	unsigned char *p = ob_room(b, 4);
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t
rd_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* libharu's REQUIRED_TAGS, in its order (hpdf_fontdef_tt.c). */
#define NTAGS 13
static const char subset_tags[NTAGS][5] = {
	"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx",
	"loca", "maxp", "name", "post", "prep"
};

/* FindTable: the first table of the directory with that tag. */
static const HPDF_TTFTable *
find_table(HPDF_TTFontDefAttr tt, const char *tag)
{
	for (HPDF_UINT i = 0; i < tt->offset_tbl.num_tables; i++)
		if (memcmp(tt->offset_tbl.table[i].tag, tag, 4) == 0)
			return &tt->offset_tbl.table[i];
	return NULL;
}

/* [off, off + len) inside the face's bytes. */
static int
inside(const struct face *f, uint64_t off, uint64_t len)
{
	return off <= f->len && len <= f->len - off;
}

/*
 * HPDF_TTFontDef_SaveFontData's output for the adopted face f of tt with
 * its glyph flags as they are, made from the face's bytes in memory
 * (malloc'd, *len bytes), or NULL when the face is outside what this
 * copy of it covers (a table missing or empty, anything outside the
 * file): then libharu's own is used.
 */
static unsigned char *
make_subset(const struct face *f, HPDF_TTFontDefAttr tt, size_t *len)
{
	const HPDF_TTFTable *tbl[NTAGS];
	if (!tt->offset_tbl.table || !tt->glyph_tbl.offsets ||
	    !tt->glyph_tbl.flgs || tt->num_glyphs == 0 ||
	    (tt->name_tbl.count && !tt->name_tbl.name_records))
		return NULL;
	for (int i = 0; i < NTAGS; i++) {
		tbl[i] = find_table(tt, subset_tags[i]);
		if (!tbl[i] || !inside(f, tbl[i]->offset, tbl[i]->length))
			return NULL;
	}
	struct obuf t = { 0 }, names = { 0 };
	uint32_t off[NTAGS], tlen[NTAGS];
	size_t adj_at = 0;
	HPDF_UINT ng = tt->num_glyphs;
	int short_loca = tt->header.index_to_loc_format == 0;
	uint32_t *loca = xmalloc(((size_t)ng + 1) * sizeof *loca);
	int ok = 1;

	for (int i = 0; i < NTAGS && ok; i++) {
		off[i] = (uint32_t)t.n;
		const HPDF_TTF_FontHeader *h = &tt->header;
		switch (i) {
		case 5:		/* head: WriteHeader */
			ob_put(&t, h->version_number, 4);
			ob_be32(&t, h->font_revision);
			adj_at = t.n;
			ob_be32(&t, 0);
			ob_be32(&t, h->magic_number);
			ob_be16(&t, h->flags);
			ob_be16(&t, h->units_per_em);
			ob_put(&t, h->created, 8);
			ob_put(&t, h->modified, 8);
			ob_be16(&t, (HPDF_UINT16)h->x_min);
			ob_be16(&t, (HPDF_UINT16)h->y_min);
			ob_be16(&t, (HPDF_UINT16)h->x_max);
			ob_be16(&t, (HPDF_UINT16)h->y_max);
			ob_be16(&t, h->mac_style);
			ob_be16(&t, h->lowest_rec_ppem);
			ob_be16(&t, (HPDF_UINT16)h->font_direction_hint);
			ob_be16(&t, (HPDF_UINT16)h->index_to_loc_format);
			ob_be16(&t, (HPDF_UINT16)h->glyph_data_format);
			break;
		case 4: {	/* glyf: RecreateGLYF */
			size_t start = t.n;
			HPDF_UINT32 save = 0;
			for (HPDF_UINT g = 0; g < ng && ok; g++) {
				if (tt->glyph_tbl.flgs[g] != 1) {
					loca[g] = save;
					continue;
				}
				HPDF_UINT o = tt->glyph_tbl.offsets[g];
				HPDF_UINT n = tt->glyph_tbl.offsets[g + 1] - o;
				loca[g] = (HPDF_UINT32)(t.n - start);
				if (short_loca) {
					loca[g] /= 2;
					n *= 2;
					o *= 2;
				}
				o += tt->glyph_tbl.base_offset;
				if (!(ok = inside(f, o, n)))
					break;
				ob_put(&t, f->data + o, n);
				save = (HPDF_UINT32)(t.n - start);
				if (short_loca)
					save /= 2;
			}
			loca[ng] = save;
			break;
		}
		case 8:		/* loca */
			for (HPDF_UINT g = 0; g <= ng; g++) {
				if (short_loca)
					ob_be16(&t, (HPDF_UINT16)loca[g]);
				else
					ob_be32(&t, loca[g]);
			}
			break;
		case 10: {	/* name: RecreateName */
			const HPDF_TTF_NamingTable *nt = &tt->name_tbl;
			ob_be16(&t, nt->format);
			ob_be16(&t, nt->count);
			ob_be16(&t, nt->string_offset);
			names.n = 0;
			for (HPDF_UINT k = 0; k < nt->count && ok; k++) {
				const HPDF_TTF_NameRecord *r = &nt->name_records[k];
				HPDF_UINT name_len = r->length;
				HPDF_UINT rec_offset = (HPDF_UINT)names.n;
				if (r->name_id == 1 || r->name_id == 4) {
					if (r->platform_id == 0 ||
					    r->platform_id == 3) {
						ob_put(&names, tt->tag_name2,
						    sizeof tt->tag_name2);
						name_len += sizeof tt->tag_name2;
					} else {
						ob_put(&names, tt->tag_name,
						    sizeof tt->tag_name);
						name_len += sizeof tt->tag_name;
					}
				}
				ob_be16(&t, r->platform_id);
				ob_be16(&t, r->encoding_id);
				ob_be16(&t, r->language_id);
				ob_be16(&t, r->name_id);
				ob_be16(&t, (HPDF_UINT16)name_len);
				ob_be16(&t, (HPDF_UINT16)rec_offset);
				HPDF_UINT o = tbl[i]->offset + nt->string_offset +
				    r->offset;
				if (!(ok = inside(f, o, r->length)))
					break;
				ob_put(&names, f->data + o, r->length);
			}
			ob_put(&t, names.p, names.n);
			break;
		}
		default:	/* the table as it is */
			ob_put(&t, f->data + tbl[i]->offset, tbl[i]->length);
			break;
		}
		tlen[i] = (uint32_t)(t.n - off[i]);
		ok = ok && t.n < INT32_MAX - 1024;
	}
	free(loca);
	free(names.p);
	/* An empty table at the very end: SaveFontData's seek to it in its
	 * memory stream may fail (hpdf_streams.c, a position at the end of
	 * a full last buffer); left to it. */
	for (int i = 0; i < NTAGS && ok; i++)
		ok = tlen[i] > 0 || off[i] < t.n;
	if (!ok) {
		free(t.p);
		return NULL;
	}

	/* The directory: each table's checksum (big-endian words, the last
	 * one padded with zeros); then checkSumAdjustment, which libharu
	 * counts over the whole words of the tables only. */
	size_t base = 12 + 16 * NTAGS;
	struct obuf o = { 0 };
	ob_room(&o, base + t.n);
	o.n = 0;
	ob_be32(&o, tt->offset_tbl.sfnt_version);
	ob_be16(&o, NTAGS);
	ob_be16(&o, tt->offset_tbl.search_range);
	ob_be16(&o, tt->offset_tbl.entry_selector);
	ob_be16(&o, tt->offset_tbl.range_shift);
	for (int i = 0; i < NTAGS; i++) {
		const unsigned char *p = t.p + off[i];
		uint32_t sum = 0, n = tlen[i], k = 0;
		for (; k + 4 <= n; k += 4)
			sum += rd_be32(p + k);
		if (k < n) {
			unsigned char w[4] = { 0 };
			memcpy(w, p + k, n - k);
			sum += rd_be32(w);
		}
		ob_put(&o, subset_tags[i], 4);
		ob_be32(&o, sum);
		ob_be32(&o, off[i] + (uint32_t)base);
		ob_be32(&o, n);
	}
	uint32_t adj = 0xB1B0AFBA;
	for (size_t k = 0; k + 4 <= t.n; k += 4)
		adj -= rd_be32(t.p + k);
	t.p[adj_at] = (unsigned char)(adj >> 24);
	t.p[adj_at + 1] = (unsigned char)(adj >> 16);
	t.p[adj_at + 2] = (unsigned char)(adj >> 8);
	t.p[adj_at + 3] = (unsigned char)adj;
	ob_put(&o, t.p, t.n);
	free(t.p);
	*len = o.n;
	return o.p;
}

HPDF_STATUS
fontembed_subset_bytes(HPDF_FontDef def, unsigned char **out, size_t *len)
{
	const struct face *face = def && def->attr &&
	    def->type == HPDF_FONTDEF_TYPE_TRUETYPE ? face_of(def) : NULL;
	*out = face ? make_subset(face, (HPDF_TTFontDefAttr)def->attr, len) :
	    NULL;
	return *out ? HPDF_OK : HPDF_INVALID_OBJECT;
}

/*
 * The subset of font's face, its glyph flags as they are now, into the
 * stream dictionary data, compressed and marked precompressed; length1
 * set as SaveFontData sets it. From the subset cache when the face is
 * adopted and these flags were seen; otherwise made by SaveFontData,
 * compressed through the byte-keyed cache, and kept.
 */
static HPDF_STATUS
subset(HPDF_Font font, HPDF_Dict data)
{
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	const struct face *face = face_of(def);
	size_t nflags = tt->num_glyphs;
	uint64_t hash = 0;
	HPDF_STATUS st;

	if (face && tt->glyph_tbl.flgs && nflags) {
		hash = flags_hash(tt->glyph_tbl.flgs, nflags);
		pthread_mutex_lock(&cache.lock);
		struct sentry *hit = NULL;
		for (size_t i = 0; i < cache.sn && !hit; i++)
			if (cache.s[i].face == face->serial &&
			    cache.s[i].hash == hash &&
			    cache.s[i].nflags == nflags &&
			    memcmp(cache.s[i].flags, tt->glyph_tbl.flgs,
			    nflags) == 0)
				hit = &cache.s[i];
		if (hit) {
			cache.shits++;
			hit->used = ++cache.clock;
			/* Copied under the lock: the entry stays. */
			st = put_zlib(data, hit->z, hit->z_len);
			if (st == HPDF_OK)
				tt->length1 = hit->length1;
			pthread_mutex_unlock(&cache.lock);
			return st;
		}
		cache.smisses++;
		pthread_mutex_unlock(&cache.lock);
	} else
		face = NULL;

	size_t rawlen;
	unsigned char *raw = face ? make_subset(face, tt, &rawlen) : NULL;
	if (raw) {
		tt->length1 = (HPDF_UINT)rawlen;	/* as SaveFontData */
		if ((st = zip_cached_bytes(data, raw, rawlen, SUBSET_LEVEL)) !=
		    HPDF_OK)
			return st;
	} else if ((st = HPDF_TTFontDef_SaveFontData(def, data->stream)) !=
	    HPDF_OK || (st = zip_cached(data, SUBSET_LEVEL)) != HPDF_OK)
		return st;
	if (!face)
		return HPDF_OK;
	size_t zlen;
	unsigned char *z = stream_bytes(data->stream, &zlen);
	if (!z)
		return HPDF_OK;		/* (not kept: no harm) */
	struct sentry e = { face->serial, hash, xmalloc(nflags), nflags, z,
	    zlen, tt->length1, 0 };
	memcpy(e.flags, tt->glyph_tbl.flgs, nflags);
	pthread_mutex_lock(&cache.lock);
	while (cache.sn && (cache.sn == SUBSET_MAX ||
	    cache.sbytes + zlen > SUBSET_BYTES)) {
		size_t old = 0;
		for (size_t i = 1; i < cache.sn; i++)
			if (cache.s[i].used < cache.s[old].used)
				old = i;
		drop_subset(old);
	}
	if (cache.sn == cache.scap) {
		cache.scap = cache.scap ? 2 * cache.scap : 64;
		cache.s = xreallocarray(cache.s, cache.scap, sizeof *cache.s);
	}
	e.used = ++cache.clock;
	cache.s[cache.sn++] = e;
	cache.sbytes += zlen;
	pthread_mutex_unlock(&cache.lock);
	return HPDF_OK;
}

/*
 * Step 2 of CIDFontType2_BeforeWrite_Func (see the top of this file),
 * with the subset compressed here: same objects, same order, same keys.
 */
static HPDF_STATUS
write_descriptor(HPDF_Font font)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_FontDef def = attr->fontdef;
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	HPDF_STATUS ret = HPDF_OK;

	HPDF_Dict descriptor = HPDF_Dict_New(font->mmgr);
	if (!descriptor)
		return fail(font, HPDF_FAILD_TO_ALLOC_MEM);
	HPDF_Dict data = HPDF_DictStream_New(font->mmgr, attr->xref);
	if (!data) {
		HPDF_Dict_Free(descriptor);
		return fail(font, HPDF_FAILD_TO_ALLOC_MEM);
	}
	/* The stream is in the document's xref: freed with it. */
	if ((ret = subset(font, data)) != HPDF_OK) {
		HPDF_Dict_Free(descriptor);
		return fail(font, ret);
	}
	ret += HPDF_Dict_Add(descriptor, "FontFile2", data);
	ret += HPDF_Dict_AddNumber(data, "Length1", tt->length1);
	ret += HPDF_Dict_AddNumber(data, "Length2", 0);
	ret += HPDF_Dict_AddNumber(data, "Length3", 0);
	if (ret != HPDF_OK) {
		HPDF_Dict_Free(descriptor);
		return fail(font, HPDF_INVALID_OBJECT);
	}
	/* From here the xref owns the descriptor (and frees it if adding
	 * it fails). */
	if (HPDF_Xref_Add(attr->xref, descriptor) != HPDF_OK)
		return fail(font, HPDF_INVALID_OBJECT);
	ret += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
	ret += HPDF_Dict_AddNumber(descriptor, "Ascent", def->ascent);
	ret += HPDF_Dict_AddNumber(descriptor, "Descent", def->descent);
	ret += HPDF_Dict_AddNumber(descriptor, "Flags", (HPDF_INT32)def->flags);
	HPDF_Array bbox = HPDF_Box_Array_New(font->mmgr, def->font_bbox);
	if (!bbox)
		return fail(font, HPDF_FAILD_TO_ALLOC_MEM);
	ret += HPDF_Dict_Add(descriptor, "FontBBox", bbox);
	ret += HPDF_Dict_AddName(descriptor, "FontName", tt->base_font);
	ret += HPDF_Dict_AddNumber(descriptor, "ItalicAngle",
	    def->italic_angle);
	ret += HPDF_Dict_AddNumber(descriptor, "StemV", def->stemv);
	ret += HPDF_Dict_AddNumber(descriptor, "XHeight", def->x_height);
	if (ret != HPDF_OK)
		return fail(font, HPDF_INVALID_OBJECT);
	def->descriptor = descriptor;
	return HPDF_OK;
}

/* A stream dictionary we may fill and mark: a memory stream and no
 * write hook of anyone else's. */
static int
takeable(HPDF_Dict d)
{
	return !d || (d->write_fn == NULL && d->stream &&
	    d->stream->type == HPDF_STREAM_MEMORY);
}

/*
 * /W and the CIDToGIDMap cut down to the CIDs used (see the top of this
 * file). glyphid.c's table (or, for a face without one, libharu's map,
 * still in map_stream) gives each CID's glyph; the face's glyph flags
 * say which glyphs are used. *out (malloc'd, *out_len
 * bytes) is the new map: two bytes per CID up to the highest used one,
 * 0 for the others. /W is refilled in place: same key, same position in
 * the dictionary. Nothing is changed unless it all succeeds up to the
 * refilling of /W, whose failures are libharu's (memory) and sticky.
 */
static HPDF_STATUS
trim(HPDF_Font font, unsigned char **out, size_t *out_len)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_FontDef def = attr->fontdef;
	HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
	HPDF_Dict cidfont = attr->descendant_font;
	if (!cidfont || !tt->glyph_tbl.flgs)
		return fail(font, HPDF_INVALID_OBJECT);
	HPDF_Array w = HPDF_Dict_GetItem(cidfont, "W", HPDF_OCLASS_ARRAY);
	HPDF_Number dwn = HPDF_Dict_GetItem(cidfont, "DW",
	    HPDF_OCLASS_NUMBER);
	if (!w || !dwn)
		return fail(font, HPDF_DICT_ITEM_NOT_FOUND);
	/* Each CID's glyph: glyphid.c's table, the answers libharu's map
	 * was made of, up to CID 0xFFFE as libharu's map goes (the only
	 * source for a font made quick, glyphid.h); else libharu's map. */
	size_t len;
	unsigned char *map;
	const HPDF_UINT16 *table = glyphid_table(def);
	if (table) {
		len = 2 * (size_t)0xFFFF;
		map = xmalloc(len);
		for (size_t c = 0; c < 0xFFFF; c++) {
			map[2 * c] = (unsigned char)(table[c] >> 8);
			map[2 * c + 1] = (unsigned char)table[c];
		}
	} else {
		map = stream_bytes(attr->map_stream->stream, &len);
		if (!map)
			return fail(font, HPDF_INVALID_STREAM);
		if (len != 2 * (size_t)0xFFFF) {	/* made quick: no table? */
			free(map);
			return fail(font, HPDF_INVALID_STREAM);
		}
	}

	/* In place: map[2c..2c+1] keeps CID c's glyph if used, else 0;
	 * the used CIDs listed in order. Most of the map is 0 (code points
	 * the face lacks): skipped 16 CIDs at a time. */
	size_t n = len / 2, nused = 0, cap = 512;
	uint32_t *used = xmalloc(cap * sizeof *used);
	for (size_t c0 = 0; c0 < n; c0 += 16) {
		if (n - c0 >= 16) {
			uint64_t q[4];
			memcpy(q, map + 2 * c0, sizeof q);
			if ((q[0] | q[1] | q[2] | q[3]) == 0)
				continue;
		}
		for (size_t c = c0; c < c0 + 16 && c < n; c++) {
			unsigned char *p = map + 2 * c;
			unsigned gid = (unsigned)p[0] << 8 | p[1];
			if (gid == 0)
				continue;
			if (gid >= tt->num_glyphs ||
			    !tt->glyph_tbl.flgs[gid]) {
				p[0] = p[1] = 0;
				continue;
			}
			if (nused == cap) {
				cap *= 2;
				used = xreallocarray(used, cap, sizeof *used);
			}
			used[nused++] = (uint32_t)c;
		}
	}
	/* CID 0 alone when none is used; libharu's map is never empty. */
	*out_len = nused ? 2 * ((size_t)used[nused - 1] + 1) : 2;
	if (*out_len > len) {
		map = xreallocarray(map, *out_len, 1);
		memset(map + len, 0, *out_len - len);
	}
	*out = map;

	/* libharu's loop (CIDFontType2_New), over the used CIDs only: a
	 * run of consecutive CIDs ends at an unused CID or at one whose
	 * width is /DW, which is left out. */
	HPDF_INT32 dw = dwn->value;
	HPDF_Array_Clear(w);
	HPDF_Array run = NULL;
	HPDF_STATUS st = HPDF_OK;
	for (size_t i = 0; i < nused && st == HPDF_OK; i++) {
		uint32_t c = used[i];
		HPDF_UINT16 gid = (HPDF_UINT16)(map[2 * c] << 8 |
		    map[2 * c + 1]);
		HPDF_INT width = HPDF_TTFontDef_GetGidWidth(def, gid);
		if (i > 0 && used[i - 1] != c - 1)
			run = NULL;
		if (width == dw) {
			run = NULL;
			continue;
		}
		if (!run) {
			if ((st = HPDF_Array_AddNumber(w, (HPDF_INT32)c)) !=
			    HPDF_OK)
				break;
			if (!(run = HPDF_Array_New(font->mmgr))) {
				st = HPDF_FAILD_TO_ALLOC_MEM;
				break;
			}
			/* (freed by HPDF_Array_Add if it fails) */
			if ((st = HPDF_Array_Add(w, run)) != HPDF_OK)
				break;
		}
		st = HPDF_Array_AddNumber(run, width);
	}
	free(used);
	if (st != HPDF_OK)
		return fail(font, st);
	return HPDF_OK;
}

/* /W and the map cut down (trim), the map and cmap_stream compressed
 * here; the Type0 font's filter "none", which its before-write hook
 * copies onto both. */
static HPDF_STATUS
zip_font_streams(HPDF_Font font)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_Dict map = attr->map_stream, cmap = attr->cmap_stream;
	if (!takeable(map) || !takeable(cmap)) {
		/* left to libharu, unless made quick (glyphid.h): then its
		 * /W and map are not the font's */
		if (map && map->stream &&
		    HPDF_Stream_Size(map->stream) != 2 * 0xFFFF)
			return fail(font, HPDF_INVALID_OBJECT);
		return HPDF_OK;
	}
	HPDF_STATUS st;
	if (map) {
		unsigned char *bytes = NULL;
		size_t len = 0;
		st = trim(font, &bytes, &len);
		if (st == HPDF_OK)
			st = zip_rle(map, bytes, len);
		free(bytes);
		if (st != HPDF_OK)
			return st;
	}
	if (cmap && (st = zip_cached(cmap, CMAP_LEVEL)) != HPDF_OK)
		return st;
	font->filter = HPDF_STREAM_FILTER_NONE;
	return HPDF_OK;
}

/* One of libharu's embedded TrueType Type0 fonts, in a compressing
 * document, not prepared yet. */
static int
ours(HPDF_Font font)
{
	if (!font || !font->attr)
		return 0;
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_FontDef def = attr->fontdef;
	return attr->type == HPDF_FONT_TYPE0_TT && def && def->attr &&
	    def->type == HPDF_FONTDEF_TYPE_TRUETYPE &&
	    ((HPDF_TTFontDefAttr)def->attr)->embedding &&
	    (font->filter & HPDF_STREAM_FILTER_FLATE_DECODE);
}

/* A font made quick (glyphid.h) and not prepared yet: libharu's map
 * (untouched: no write hook) has not its 65,535 CIDs. */
static int
made_quick(HPDF_Font font)
{
	if (!font || !font->attr)
		return 0;
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_Dict map = attr->map_stream;
	return attr->type == HPDF_FONT_TYPE0_TT && map && takeable(map) &&
	    HPDF_Stream_Size(map->stream) != 2 * 0xFFFF;
}

HPDF_STATUS
fontembed_prepare(HPDF_Font *fonts, size_t n)
{
	/* In the order libharu writes them (object number), so the
	 * descriptors get the numbers libharu would give them. */
	HPDF_Font *v = xcalloc(n ? n : 1, sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!ours(fonts[i])) {
			if (made_quick(fonts[i])) {
				free(v);	/* its /W and map are not right */
				return fail(fonts[i], HPDF_INVALID_OBJECT);
			}
			continue;
		}
		size_t k = m++;
		for (; k > 0 && linkannot_obj_number(v[k - 1]) >
		    linkannot_obj_number(fonts[i]); k--)
			v[k] = v[k - 1];
		v[k] = fonts[i];
	}
	HPDF_STATUS st = HPDF_OK;
	for (size_t i = 0; i < m && st == HPDF_OK; i++) {
		if (!ours(v[i]))
			continue;	/* given twice: done already */
		HPDF_FontDef def = ((HPDF_FontAttr)v[i]->attr)->fontdef;
		if (!def->descriptor)
			st = write_descriptor(v[i]);
		if (st == HPDF_OK)
			st = zip_font_streams(v[i]);
	}
	free(v);
	return st;
}
