/*
 * read_image.h - full decode of PNG and JPEG exhibits (libpng, libjpeg).
 */
#ifndef DOSSIER_READ_IMAGE_H
#define DOSSIER_READ_IMAGE_H

#include <stddef.h>

#include "read/read.h"

/*
 * Decode the whole image in data[0..n) to prove it is sound and within
 * the limits. Returns 0 with its width and height, or -1 with a message
 * for the user in why.
 */
int image_check_png(const unsigned char *data, size_t n,
    const struct read_limits *lim, int *w, int *h, char *why, size_t whylen);
int image_check_jpeg(const unsigned char *data, size_t n,
    const struct read_limits *lim, int *w, int *h, char *why, size_t whylen);

#endif
