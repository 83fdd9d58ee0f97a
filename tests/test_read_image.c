/* test_read_image.c - PNG and JPEG exhibit checks (read/read_image.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "read/read_image.h"
#include "util/xalloc.h"

/* Encode a test PNG in memory with libpng. */
struct mem {
	unsigned char *data;
	size_t len, cap;
};

static void
mem_write(png_structp png, png_bytep p, png_size_t n)
{
	struct mem *m = png_get_io_ptr(png);
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		m->data = xreallocarray(m->data, m->cap, 1);
	}
	memcpy(m->data + m->len, p, n);
	m->len += n;
}

static void
mem_flush(png_structp png)
{
	(void)png;
}

static struct mem
make_png(int w, int h, int depth, int color, int interlace)
{
	struct mem m = { NULL, 0, 0 };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	    NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_set_write_fn(png, &m, mem_write, mem_flush);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, color,
	    interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (color == PNG_COLOR_TYPE_PALETTE) {
		png_color pal[4] = { { 0, 0, 0 }, { 255, 0, 0 }, { 0, 255, 0 },
			{ 0, 0, 255 } };
		png_set_PLTE(png, info, pal, 4);
	}
	png_write_info(png, info);
	int passes = png_set_interlace_handling(png);
	size_t rb = png_get_rowbytes(png, info);
	unsigned char *row = xcalloc(rb, 1);
	for (int p = 0; p < passes; p++)
		for (int y = 0; y < h; y++) {
			for (size_t i = 0; i < rb; i++)
				row[i] = (unsigned char)((i * 7 + (size_t)y) &
				    (color == PNG_COLOR_TYPE_PALETTE ? 0x00 : 0xff));
			png_write_row(png, row);
		}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return m;
}

static struct mem
make_jpeg(int w, int h, int progressive)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	unsigned char *out = NULL;
	unsigned long outlen = 0;
	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &outlen);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	if (progressive)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	unsigned char *row = xmalloc((size_t)w * 3);
	while (c.next_scanline < c.image_height) {
		for (int i = 0; i < w * 3; i++)
			row[i] = (unsigned char)(i * 13 + (int)c.next_scanline * 5);
		JSAMPROW r[1] = { row };
		jpeg_write_scanlines(&c, r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	struct mem m = { out, outlen, outlen };
	return m;
}

static struct read_limits lim;

static int
check_png(const struct mem *m, size_t n, int *w, int *h, char *why)
{
	return image_check_png(m->data, n, &lim, w, h, why, 256);
}

static void
test_png_variants(void **state)
{
	static const struct { int depth, color, interlace; } v[] = {
		{ 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE },
		{ 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_ADAM7 },
		{ 16, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE },
		{ 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_ADAM7 },
		{ 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE },
		{ 2, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_ADAM7 },
		{ 8, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_INTERLACE_NONE },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct mem m = make_png(37, 23, v[i].depth, v[i].color,
		    v[i].interlace);
		int w = 0, h = 0;
		char why[256] = "";
		if (check_png(&m, m.len, &w, &h, why) != 0)
			fail_msg("variant %zu rejected: %s", i, why);
		assert_int_equal(w, 37);
		assert_int_equal(h, 23);
		free(m.data);
	}
}

/* Every truncation and many bit flips are rejected, never a crash. */
static void
test_png_truncated_and_flipped(void **state)
{
	struct mem m = make_png(16, 16, 8, PNG_COLOR_TYPE_RGB,
	    PNG_INTERLACE_ADAM7);
	int w, h;
	char why[256];
	(void)state;
	for (size_t n = 0; n < m.len; n++)
		assert_int_equal(check_png(&m, n, &w, &h, why), -1);
	for (size_t i = 8; i < m.len; i++) {
		m.data[i] ^= 0x41;
		/* CRCs make every flipped byte an error */
		assert_int_equal(check_png(&m, m.len, &w, &h, why), -1);
		m.data[i] ^= 0x41;
	}
	assert_int_equal(check_png(&m, m.len, &w, &h, why), 0);
	free(m.data);
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A header claiming 100000 x 100000 is refused at once. */
static void
test_png_huge_header(void **state)
{
	struct mem m = make_png(4, 4, 8, PNG_COLOR_TYPE_RGB, 0);
	int w, h;
	char why[256];
	struct timespec t0, t1;
	(void)state;
	/* IHDR data starts at byte 16; fix its CRC after the change. */
	put32(m.data + 16, 100000);
	put32(m.data + 20, 100000);
	put32(m.data + 29, (uint32_t)crc32(0, m.data + 12, 17));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(check_png(&m, m.len, &w, &h, why), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(strstr(why, "100000 x 100000 pixels"));
	assert_true(t1.tv_sec - t0.tv_sec < 1);

	/* over libpng's own default limit (1,000,000): still our message */
	put32(m.data + 16, 3000000);
	put32(m.data + 29, (uint32_t)crc32(0, m.data + 12, 17));
	assert_int_equal(check_png(&m, m.len, &w, &h, why), -1);
	assert_non_null(strstr(why, "3000000 x 100000 pixels"));

	/* under the side limit but over 100 megapixels */
	put32(m.data + 16, 12000);
	put32(m.data + 20, 9000);
	put32(m.data + 29, (uint32_t)crc32(0, m.data + 12, 17));
	assert_int_equal(check_png(&m, m.len, &w, &h, why), -1);
	assert_non_null(strstr(why, "100 megapixels"));
	free(m.data);
}

static void
test_jpeg(void **state)
{
	int w, h;
	char why[256];
	(void)state;
	for (int prog = 0; prog < 2; prog++) {
		struct mem m = make_jpeg(40, 30, prog);
		assert_int_equal(image_check_jpeg(m.data, m.len, &lim, &w, &h,
		    why, sizeof(why)), 0);
		assert_int_equal(w, 40);
		assert_int_equal(h, 30);
		for (size_t n = 0; n < m.len - 2; n++)
			if (image_check_jpeg(m.data, n, &lim, &w, &h, why,
			    sizeof(why)) == 0)
				fail_msg("truncated at %zu accepted", n);
		free(m.data);
	}
}

/* A JPEG frame header claiming 30000 x 30000 is refused before decoding. */
static void
test_jpeg_huge_header(void **state)
{
	struct mem m = make_jpeg(16, 16, 0);
	int w, h;
	char why[256];
	(void)state;
	for (size_t i = 0; i + 9 < m.len; i++)
		if (m.data[i] == 0xFF && m.data[i + 1] == 0xC0) {
			/* SOF0: FFC0 len(2) precision(1) height(2) width(2) */
			m.data[i + 5] = 30000 >> 8;
			m.data[i + 6] = 30000 & 0xff;
			m.data[i + 7] = 30000 >> 8;
			m.data[i + 8] = 30000 & 0xff;
			break;
		}
	assert_int_equal(image_check_jpeg(m.data, m.len, &lim, &w, &h, why,
	    sizeof(why)), -1);
	assert_non_null(strstr(why, "30000 x 30000 pixels"));
	free(m.data);
}

int
main(void)
{
	read_limits_default(&lim);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_variants),
		cmocka_unit_test(test_png_truncated_and_flipped),
		cmocka_unit_test(test_png_huge_header),
		cmocka_unit_test(test_jpeg),
		cmocka_unit_test(test_jpeg_huge_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
