/*
 * image.h - images decoded and checked before they reach libharu.
 *
 * libharu's own PNG loader aborts the process on a corrupt file and
 * mishandles interlaced and 16-bit images, so PNG is decoded here with
 * libpng (8-bit RGB or gray, plus a separate alpha plane for the soft
 * mask). JPEG files are only validated (header read with libjpeg) and are
 * later embedded as they are by HPDF_LoadJpegImageFromFile.
 */
#ifndef DOSSIER_RENDER_IMAGE_H
#define DOSSIER_RENDER_IMAGE_H

#include <stddef.h>

#define IMAGE_MAX_SIDE 10000		/* pixels */
#define IMAGE_MAX_PIXELS 40000000UL

enum image_kind { IMAGE_PNG, IMAGE_JPEG };

struct image {
	enum image_kind kind;
	unsigned width, height;
	int channels;		/* 1 gray or 3 RGB (colour data) */
	unsigned char *pixels;	/* PNG: width * height * channels */
	unsigned char *alpha;	/* PNG: width * height, or NULL if opaque */
	char *path;		/* JPEG: embedded from the file at render */
};

struct image *image_load_png(const char *path, char *err, size_t errlen);
struct image *image_load_jpeg(const char *path, char *err, size_t errlen);
void image_free(struct image *img);

#endif
