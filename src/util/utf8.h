/* utf8.h - strict UTF-8 validation and decoding (RFC 3629). */
#ifndef DOSSIER_UTF8_H
#define DOSSIER_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Check that s[0..n) is well-formed UTF-8: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no NUL byte. Returns 1 if valid;
 * otherwise 0 and, when bad_offset is not NULL, the offset of the first
 * bad byte.
 */
int utf8_valid(const char *s, size_t n, size_t *bad_offset);

/*
 * Decode one code point at s (at most n bytes). Returns its length in
 * bytes (1-4) and stores the code point, or returns 0 on malformed input.
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encode cp into out (at least 4 bytes); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
