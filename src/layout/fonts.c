/*
 * fonts.c - load the committed Liberation faces and measure text with them.
 */
#include "layout/fonts.h"

#include <hpdf_fontdef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/tounicode.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#ifndef DOSSIER_DATADIR
#define DOSSIER_DATADIR "/usr/local/share/dossier"
#endif

static const char *const face_file[FACE_COUNT] = {
	"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
	"LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf",
	"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
	"LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf",
};

static int has_fonts(const char *dir)
{
	char *p = xasprintf("%s/%s", dir, face_file[FACE_SERIF]);
	int ok = access(p, R_OK) == 0;
	free(p);
	return ok;
}

char *fonts_find_dir(void)
{
	const char *env = getenv("DOSSIER_FONTS");
	if (env && *env)
		return has_fonts(env) ? xstrdup(env) : NULL;

	/* The binary lives in the repo (./dossier) or below it
	 * (build/tests/x, build/bench/x): look upward for fonts/. */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 4; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
			char *dir = xasprintf("%s/fonts", exe);
			if (has_fonts(dir))
				return dir;
			free(dir);
			/* Installed: PREFIX/bin/dossier and
			 * PREFIX/share/dossier/fonts, whatever PREFIX was. */
			dir = xasprintf("%s/share/dossier/fonts", exe);
			if (has_fonts(dir))
				return dir;
			free(dir);
		}
	}
	char *dir = xstrdup(DOSSIER_DATADIR "/fonts");
	if (has_fonts(dir))
		return dir;
	free(dir);
	return NULL;
}

/* What fonts_open and fonts_open_loaded start with: f emptied, for pdf,
 * and the fonts folder found. 0 or -1 with err. */
static int fonts_begin(struct fonts *f, HPDF_Doc pdf, char *err,
    size_t errlen)
{
	memset(f, 0, sizeof *f);
	f->pdf = pdf;
	f->dir = fonts_find_dir();
	if (!f->dir) {
		snprintf(err, errlen, "fonts folder not found (set DOSSIER_FONTS)");
		return -1;
	}
	return 0;
}

int fonts_open(struct fonts *f, HPDF_Doc pdf, char *err, size_t errlen)
{
	if (fonts_begin(f, pdf, err, errlen) != 0)
		return -1;
	for (int i = 0; i < FACE_COUNT; i++) {
		char *path = xasprintf("%s/%s", f->dir, face_file[i]);
		f->name[i] = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
		if (!f->name[i]) {
			snprintf(err, errlen, "cannot load font %s (libharu error 0x%04lX)",
			    path, (unsigned long)HPDF_GetError(pdf));
			free(path);
			return -1;
		}
		free(path);
		f->def[i] = HPDF_GetFontDef(pdf, f->name[i]);
		if (!f->def[i]) {
			snprintf(err, errlen, "no font definition for %s", face_file[i]);
			return -1;
		}
	}
	return 0;
}

int fonts_open_loaded(struct fonts *f, HPDF_Doc pdf,
    const char *const name[FACE_COUNT], char *err, size_t errlen)
{
	if (fonts_begin(f, pdf, err, errlen) != 0)
		return -1;
	for (int i = 0; i < FACE_COUNT; i++) {
		f->name[i] = name[i];
		f->def[i] = name[i] ? HPDF_GetFontDef(pdf, name[i]) : NULL;
		if (!f->def[i]) {
			snprintf(err, errlen, "no font definition for %s", face_file[i]);
			return -1;
		}
	}
	return 0;
}

void fonts_close(struct fonts *f)
{
	for (int i = 0; i < FACE_COUNT; i++)
		for (int j = 0; j < 256; j++)
			free(f->widths[i][j]);
	free(f->dir);
	memset(f, 0, sizeof *f);
}

int fonts_width(struct fonts *f, enum face face, uint32_t cp)
{
	if (cp > 0xFFFF)
		return -1;	/* libharu draws non-BMP characters as spaces */
	int16_t *row = f->widths[face][cp >> 8];
	if (!row) {
		/* Fill one block of 256 code points at once. -2 = not yet
		 * measured, so glyphs are only marked used when needed. */
		row = xmalloc(256 * sizeof *row);
		for (int i = 0; i < 256; i++)
			row[i] = -2;
		f->widths[face][cp >> 8] = row;
	}
	int16_t w = row[cp & 255];
	if (w == -2) {
		/* GetCharWidth marks the glyph as used for the subset. */
		if (f->copy)	/* another thread's: see fonts_copy.c */
			w = (int16_t)fonts_copy_width(f, face, cp);
		else if (cp != 0x20 && HPDF_TTFontDef_GetGlyphid(f->def[face],
		    (HPDF_UINT16)cp) == 0)
			w = -1;
		else
			w = HPDF_TTFontDef_GetCharWidth(f->def[face],
			    (HPDF_UINT16)cp);
		row[cp & 255] = w;
	}
	return w;
}

/* fonts_width for a code point already measured, without the call:
 * every character of every word comes through here. */
static inline int known_width(struct fonts *f, enum face face, uint32_t cp)
{
	if (cp <= 0xFFFF) {
		const int16_t *row = f->widths[face][cp >> 8];
		if (row && row[cp & 255] != -2)
			return row[cp & 255];
	}
	return fonts_width(f, face, cp);
}

double fonts_text_width(struct fonts *f, enum face face, double size,
    const char *s, size_t n, uint32_t *missing)
{
	long total = 0;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		unsigned char c = (unsigned char)s[i];
		size_t len;
		if (c < 0x80) {
			cp = c;
			len = 1;
		} else {
			len = utf8_decode(s + i, n - i, &cp);
			if (len == 0) {	/* validated upstream; be safe */
				len = 1;
				cp = 0xFFFD;
			}
		}
		int w = known_width(f, face, cp);
		if (w < 0) {
			if (missing && !*missing)
				*missing = cp;
			w = 0;
		}
		total += w;
		i += len;
	}
	return total * size / 1000.0;
}

HPDF_Font fonts_pdf_font(struct fonts *f, enum face face)
{
	if (!f->font[face]) {
		HPDF_Font font = HPDF_GetFont(f->pdf, f->name[face], "UTF-8");
		if (!font)
			return NULL;
		if (tounicode_fix(font) != 0)
			return NULL;
		f->font[face] = font;
	}
	return f->font[face];
}
