/*
 * fmtnum.h - numbers formatted exactly as printf would, faster.
 *
 * A PDF written by libharu holds hundreds of thousands of coordinates
 * (a link annotation's /Rect has four); printf's float conversion, with
 * its arbitrary-precision arithmetic, was a visible share of the render
 * stage. These give the same bytes as snprintf for every double.
 */
#ifndef DOSSIER_UTIL_FMTNUM_H
#define DOSSIER_UTIL_FMTNUM_H

#include <stddef.h>

/* Longest output of fmt_fixed2 with its NUL: "-" + 309 digits of
 * DBL_MAX + ".00". */
#define FMT_FIXED2_MAX 320

/*
 * Write v as snprintf(out, FMT_FIXED2_MAX, "%.2f", v) does (same bytes,
 * correctly rounded, "-0.00" for a negative value that rounds to zero,
 * "inf"/"nan" as printf), with a NUL; return the length.
 */
size_t fmt_fixed2(char *out, double v);

#endif
