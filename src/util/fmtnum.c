/*
 * fmtnum.c - "%.2f" without printf's float conversion (fmtnum.h).
 *
 * printf converts the exact binary value of a double to decimal with
 * big-number arithmetic, which is what makes it right and slow. For two
 * decimals we only need to know which integer v * 100 rounds to:
 *
 *   s = v * 100 in floating point differs from the true product by at
 *   most half an ulp of s (|s| * 2^-53); its fraction d = s - floor(s) is
 *   computed with an error of at most 2^-53 more. Unless the true
 *   fraction may be within those bounds of one half, rounding s gives the
 *   integer printf rounds to. In that narrow band (and for values too
 *   large for the bound, infinities and NaN) we ask printf itself, so the
 *   bytes are the same for every double; tests/test_util.c compares the
 *   two on millions of values, ties and near-ties included.
 */
#include "util/fmtnum.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

size_t
fmt_fixed2(char *out, double v)
{
	double s = v * 100.0;
	if (!(fabs(s) < 0x1p50))	/* huge, infinite or NaN */
		return (size_t)snprintf(out, FMT_FIXED2_MAX, "%.2f", v);
	double f = floor(s);
	double d = s - f;
	if (fabs(d - 0.5) <= fabs(s) * 0x1p-51 + 0x1p-50)
		return (size_t)snprintf(out, FMT_FIXED2_MAX, "%.2f", v);
	double r = d < 0.5 ? f : f + 1;
	uint64_t n = (uint64_t)fabs(r);
	char tmp[24];
	size_t len = 0;	/* built backwards */
	tmp[len++] = (char)('0' + n % 10);
	tmp[len++] = (char)('0' + n / 10 % 10);
	tmp[len++] = '.';
	n /= 100;
	do {
		tmp[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	if (signbit(v))	/* printf writes "-0.00" for -0.001 and -0.0 */
		tmp[len++] = '-';
	for (size_t i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	out[len] = '\0';
	return len;
}
