/*
 * hpdfmem.c - libharu's HPDF_MemCpy and HPDF_MemSet, with the C library's.
 *
 * WHY
 *
 * libharu copies and clears memory with its own loops of one byte at a
 * time (hpdf_utils.c): every object it builds or writes passes through
 * them (its memory streams, the 128-byte keys of its dictionaries, font
 * tables read back while saving). A profile of `dossier packs` put them
 * at about 12 % of a pack's instructions.
 *
 * HOW
 *
 * As for glyphid.c: libhpdf.so calls both through its PLT (objdump -d
 * shows 39 "call HPDF_MemCpy@plt" and 83 "call HPDF_MemSet@plt"), so the
 * definitions below, linked into the executable as an object (Makefile,
 * INTERPOSE), replace the library's. They keep the library's contract
 * exactly, checked against the machine code of Debian's 2.3.0: both
 * return the end of what they wrote (out + n, s + n), not its start as
 * memcpy and memset do; and the copy runs forward one byte at a time,
 * so for overlapping regions (which memcpy does not allow) the library's
 * loop is kept. tests/test_glyphid.c compares them with the library's
 * loops.
 */
#include <hpdf.h>
#include <hpdf_utils.h>
#include <string.h>

HPDF_BYTE *
HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	if (n > 0 && out < in + n && in < out + n) {
		while (n > 0) {		/* overlap: the library's own loop */
			*out++ = *in++;
			n--;
		}
		return out;
	}
	if (n > 0)
		memcpy(out, in, n);
	return out + n;
}

void *
HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	if (n > 0)
		memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}
