/*
 * hpdfmem.c - libharu's HPDF_MemCpy, HPDF_MemSet and HPDF_StrLen, with the
 * C library's.
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
#include <stdint.h>
#include <string.h>

HPDF_BYTE *
HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	/* Two bytes (CIDFontType2_New copies two per code point, 65,535
	 * times per face and document): the library's loop unrolled, byte
	 * after byte, right whatever the overlap. */
	if (n == 2) {
		out[0] = in[0];
		out[1] = in[1];
		return out + 2;
	}
	if (out < in + n && in < out + n) {
		while (n > 0) {		/* overlap: the library's own loop */
			*out++ = *in++;
			n--;
		}
		return out;
	}
	/* A few bytes (libharu writes many numbers two and four bytes at a
	 * time): two overlapping loads and stores, cheaper than a call to
	 * memcpy. */
	if (n >= 8 && n <= 16) {
		uint64_t a, b;
		memcpy(&a, in, 8);
		memcpy(&b, in + n - 8, 8);
		memcpy(out, &a, 8);
		memcpy(out + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;
		memcpy(&a, in, 4);
		memcpy(&b, in + n - 4, 4);
		memcpy(out, &a, 4);
		memcpy(out + n - 4, &b, 4);
	} else if (n >= 2 && n < 4) {
		uint16_t a, b;
		memcpy(&a, in, 2);
		memcpy(&b, in + n - 2, 2);
		memcpy(out, &a, 2);
		memcpy(out + n - 2, &b, 2);
	} else if (n == 1)
		*out = *in;
	else if (n > 16)
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

/*
 * HPDF_StrLen: every HPDF_Stream_WriteStr measures its string with it,
 * one byte at a time (objdump: 26 calls through the PLT, among them
 * WriteStr's). Saving the large bench dossier writes some ten million
 * keys, numbers and operators that way: about 10 % of the save's
 * samples. The library's contract, from Debian's machine code: 0 for
 * NULL; otherwise the bytes before the NUL, stopping at maxlen when
 * maxlen is not negative.
 */
HPDF_UINT
HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
	if (!s)
		return 0;
	return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s,
	    (size_t)maxlen));
}
