/*
 * fileid.c - a deterministic /ID written into the saved file (fileid.h).
 */
#include "finish/fileid.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/sha256.h"

/* The trailer is at the end of the file: it is searched for in this
 * many last bytes. */
#define TAIL_BYTES 4096

static void
to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
}

/* Offset in tail[0..n) of the next placeholder at or after from, or -1. */
static long
find_slot(const char *tail, size_t n, size_t from, const char *hex)
{
	size_t len = 2 * FILEID_LEN;
	for (size_t i = from; i + len <= n; i++)
		if (strncasecmp(tail + i, hex, len) == 0)
			return (long)i;
	return -1;
}

/* Patch path's /ID with id (FILEID_LEN bytes), or when id is NULL with
 * the digest of the file as it is, read here. */
static int
patch(const char *path, const unsigned char *id, char *err, size_t errlen)
{
	char slot_hex[2 * FILEID_LEN], id_hex[2 * FILEID_LEN];
	char tail[TAIL_BYTES];
	char digest[SHA256_HEX_LEN + 1];
	struct stat sb;
	int rc = -1;

	int fd = open(path, O_RDWR);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		goto out;
	}
	off_t start = sb.st_size > TAIL_BYTES ? sb.st_size - TAIL_BYTES : 0;
	size_t n = (size_t)(sb.st_size - start);
	if (pread(fd, tail, n, start) != (ssize_t)n) {
		snprintf(err, errlen, "cannot read %s", path);
		goto out;
	}
	/* Only the trailer's /ID: the placeholder after the last
	 * "trailer" keyword, twice. */
	size_t from = 0;
	for (size_t i = 0; i + 7 <= n; i++)
		if (memcmp(tail + i, "trailer", 7) == 0)
			from = i;
	to_hex((const unsigned char *)FILEID_PLACEHOLDER, FILEID_LEN,
	    slot_hex);
	long first = find_slot(tail, n, from, slot_hex);
	long second = first < 0 ? -1 :
	    find_slot(tail, n, (size_t)first + sizeof slot_hex, slot_hex);
	if (first < 0 || second < 0) {
		snprintf(err, errlen, "%s has no /ID to fill in its trailer",
		    path);
		goto out;
	}
	/* Both halves the same: the file is new, not a revision. Upper
	 * case, as libharu writes hex strings. */
	if (id) {
		to_hex(id, FILEID_LEN, id_hex);
	} else {
		if (sha256_file(path, digest, NULL, NULL) != 0) {
			snprintf(err, errlen, "cannot read %s: %s", path,
			    strerror(errno));
			goto out;
		}
		for (size_t i = 0; i < sizeof id_hex; i++)
			id_hex[i] = (char)toupper((unsigned char)digest[i]);
	}
	if (pwrite(fd, id_hex, sizeof id_hex, start + first) !=
	    (ssize_t)sizeof id_hex ||
	    pwrite(fd, id_hex, sizeof id_hex, start + second) !=
	    (ssize_t)sizeof id_hex) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	return rc;
}

int
fileid_patch(const char *path, char *err, size_t errlen)
{
	return patch(path, NULL, err, errlen);
}

int
fileid_patch_digest(const char *path, const unsigned char *digest,
    char *err, size_t errlen)
{
	return patch(path, digest, err, errlen);
}
