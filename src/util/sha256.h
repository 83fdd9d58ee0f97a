/*
 * sha256.h - SHA-256 of files and memory, through GNU Nettle.
 *
 * Nettle is already on every machine that has libqpdf (it is what GnuTLS
 * is built on), and its sha256 is the well-reviewed one; we never
 * hand-write a hash.
 */
#ifndef DOSSIER_SHA256_H
#define DOSSIER_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Hex digest (65 bytes with NUL) of a memory block. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

/* sha256_hex, and the number of lines of the block, counted as
 * sha256_file counts them. */
void sha256_hex_lines(const void *data, size_t len,
    char hex[SHA256_HEX_LEN + 1], long *lines);

/*
 * Hex digest of a whole file, its size in bytes, and its number of lines
 * (newline characters, plus one for a last line without newline).
 * Returns 0, or -1 with errno set.
 */
int sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1],
    long long *size, long *lines);

/*
 * The same, and in *starts (malloc'd, *lines entries, NULL when the file
 * is empty) the byte offset where each line starts, so that a caller can
 * later read any line without scanning the file again. On failure
 * *starts is NULL.
 */
int sha256_file_index(const char *path, char hex[SHA256_HEX_LEN + 1],
    long long *size, long *lines, long long **starts);

#endif
