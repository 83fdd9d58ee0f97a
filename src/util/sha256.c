/* sha256.c - hashing of evidence files with Nettle. */
#include "sha256.h"

#include <nettle/sha2.h>

#include <stdio.h>
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

int
sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], long long *size,
    long *lines)
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	unsigned char block[65536];
	long long total = 0;
	long nl = 0;
	int last = '\n';
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	sha256_init(&ctx);
	while ((n = fread(block, 1, sizeof(block), f)) > 0) {
		sha256_update(&ctx, n, block);
		total += (long long)n;
		for (const unsigned char *p = block;
		    (p = memchr(p, '\n', n - (size_t)(p - block))) != NULL; p++)
			nl++;
		last = block[n - 1];
	}
	if (ferror(f)) {
		fclose(f);
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
