/*
 * fuzz_png.c - libFuzzer harness: image_check_png(), the full decode every
 * PNG exhibit goes through, with the default limits.
 */
#include <stddef.h>
#include <stdint.h>

#include "read/read.h"
#include "read/read_image.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct read_limits lim;
	char why[256];
	int w, h;
	read_limits_default(&lim);
	image_check_png(data, size, &lim, &w, &h, why, sizeof(why));
	return 0;
}
