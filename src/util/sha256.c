/* sha256.c - hashing of evidence files with Nettle. */
#include "sha256.h"

#include <nettle/sha2.h>

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
to_hex(const unsigned char *d, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[SHA256_HEX_LEN] = '\0';
}

void
sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(d), d);
	to_hex(d, hex);
}

void
sha256_hex_lines(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1],
    long *lines)
{
	const char *p = data, *end = p + len;
	long nl = 0;
	sha256_hex(data, len, hex);
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		nl++;
		p++;
	}
	*lines = nl + (len > 0 && ((const char *)data)[len - 1] != '\n');
}

/* Append one line-start offset to *starts (grown by doubling). */
static void
add_start(long long **starts, long *n, long *cap, long long at)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		*starts = xreallocarray(*starts, (size_t)*cap, sizeof(**starts));
	}
	(*starts)[(*n)++] = at;
}

int
sha256_file_index(const char *path, char hex[SHA256_HEX_LEN + 1],
    long long *size, long *lines, long long **starts)
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	unsigned char block[65536];
	long long total = 0;
	long nl = 0, nstarts = 0, cap = 0;
	int last = '\n';
	size_t n;
	FILE *f = fopen(path, "rb");

	if (starts)
		*starts = NULL;
	if (f == NULL)
		return -1;
	sha256_init(&ctx);
	while ((n = fread(block, 1, sizeof(block), f)) > 0) {
		sha256_update(&ctx, n, block);
		/* A line starts at offset 0 and after every newline, except
		 * after the newline that ends the file (see below). */
		if (starts && last == '\n')
			add_start(starts, &nstarts, &cap, total);
		for (const unsigned char *p = block;
		    (p = memchr(p, '\n', n - (size_t)(p - block))) != NULL;
		    p++) {
			nl++;
			if (starts && p + 1 < block + n)
				add_start(starts, &nstarts, &cap,
				    total + (p + 1 - block));
		}
		total += (long long)n;
		last = block[n - 1];
	}
	if (ferror(f)) {
		fclose(f);
		if (starts) {
			free(*starts);
			*starts = NULL;
		}
		return -1;
	}
	fclose(f);
	sha256_digest(&ctx, sizeof(d), d);
	to_hex(d, hex);
	if (size)
		*size = total;
	if (lines)
		*lines = nl + (total > 0 && last != '\n');
	return 0;
}

int
sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], long long *size,
    long *lines)
{
	return sha256_file_index(path, hex, size, lines, NULL);
}
