/*
 * hash.h - the one string hash the project's hash tables use (FNV-1a,
 * 32 bits): names, anchors and ids are short, and FNV-1a is fast and
 * spreads them well enough for open addressing.
 */
#ifndef DOSSIER_HASH_H
#define DOSSIER_HASH_H

#include <stdint.h>

static inline uint32_t
hash_string(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

#endif
