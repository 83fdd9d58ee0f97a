/*
 * fonts.h - the typefaces of a dossier and their measured widths.
 *
 * Layout measures text with the same TrueType data that render embeds, so
 * a line that fits when measured fits when drawn. The fonts are loaded into
 * the libharu document that render will later fill (libharu keeps font
 * definitions per document), and only from the project's fonts/ folder.
 *
 * Widths are cached per code point: libharu's own glyph lookup is a linear
 * search through the cmap segments, too slow to run for every character.
 */
#ifndef DOSSIER_LAYOUT_FONTS_H
#define DOSSIER_LAYOUT_FONTS_H

#include <hpdf.h>
#include <stdint.h>
#include <stddef.h>

enum face {
	FACE_SERIF,		/* body text */
	FACE_SERIF_BOLD,
	FACE_SERIF_ITALIC,
	FACE_SERIF_BOLD_ITALIC,
	FACE_SANS,		/* captions, header, footer */
	FACE_SANS_BOLD,		/* headings */
	FACE_MONO,		/* log excerpts */
	FACE_MONO_BOLD,
	FACE_COUNT
};

struct fonts {
	HPDF_Doc pdf;
	HPDF_FontDef def[FACE_COUNT];
	HPDF_Font font[FACE_COUNT];	/* created on first draw */
	const char *name[FACE_COUNT];	/* libharu's name for the font def */
	/* widths[face][cp >> 8][cp & 255] in 1/1000 em; -1 = no glyph */
	int16_t *widths[FACE_COUNT][256];
	char *dir;			/* the fonts folder used */
	/* A measuring copy (fonts_copy_open), for another thread: no
	 * glyph marked used; the code points it measured (face << 16 |
	 * cp), in order, until fonts_copy_replay. */
	int copy;
	uint32_t *measured;
	size_t nmeasured, capmeasured;
};

/*
 * The folder holding the fonts: $DOSSIER_FONTS, else fonts/ in the source
 * tree found upward from the running binary, else DOSSIER_DATADIR/fonts.
 * Returns a malloc'd path or NULL.
 */
char *fonts_find_dir(void);

/*
 * Load every face into pdf (which must already use UTF encodings).
 * Returns 0, or -1 with a message in err (errlen bytes).
 */
int fonts_open(struct fonts *f, HPDF_Doc pdf, char *err, size_t errlen);

/*
 * fonts_open for a pdf handle whose faces are loaded already: by a
 * fonts_open on the same handle before HPDF_NewDoc started a new document
 * on it (libharu keeps font definitions across documents; see
 * render/render.c). name: the f->name of that fonts_open. The faces are
 * looked up, not loaded again; widths are measured afresh (measuring
 * marks the glyphs each document's subset needs).
 */
int fonts_open_loaded(struct fonts *f, HPDF_Doc pdf,
    const char *const name[FACE_COUNT], char *err, size_t errlen);
void fonts_close(struct fonts *f);

/* Advance width of cp in 1/1000 em, or -1 when the face has no glyph. */
int fonts_width(struct fonts *f, enum face face, uint32_t cp);

/*
 * Width in points of a valid UTF-8 string at size pt. When a character has
 * no glyph, *missing (if not NULL) receives the first such code point.
 */
double fonts_text_width(struct fonts *f, enum face face, double size,
    const char *s, size_t n, uint32_t *missing);

/*
 * A copy of f that measures from the same font data on another thread
 * (libharu's own GetCharWidth marks the glyph used for the subset, and
 * its state is not thread-safe): widths are the same, nothing is marked,
 * the code points measured are listed. fonts_copy_replay measures them
 * on f, in the order the copy first did (fonts_copy.c explains why the
 * order matters), and empties the list; fonts_copy_close frees the copy.
 */
void fonts_copy_open(struct fonts *copy, const struct fonts *f);
void fonts_copy_replay(struct fonts *f, struct fonts *copy);
void fonts_copy_close(struct fonts *copy);
/* fonts_width of a copy for a code point it has not measured yet. */
int fonts_copy_width(struct fonts *copy, enum face face, uint32_t cp);

/* The libharu font object for drawing (created and fixed on first use). */
HPDF_Font fonts_pdf_font(struct fonts *f, enum face face);

#endif
