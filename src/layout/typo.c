/*
 * typo.c - language typography (see typo.h).
 */
#include "layout/typo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

int lang_parse(const char *s)
{
	if (s && strcmp(s, "fr") == 0)
		return LANG_FR;
	if (s && strcmp(s, "en") == 0)
		return LANG_EN;
	return -1;
}

/* Is the byte before position i the end of a letter or digit? ASCII
 * alphanumerics, or any non-ASCII character (accented letters). */
static int word_char_before(const struct buf *b)
{
	if (b->len == 0)
		return 0;
	unsigned char c = (unsigned char)b->data[b->len - 1];
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/* Drop trailing plain spaces and any no-break space already in place. */
static void trim_spaces(struct buf *b)
{
	for (;;) {
		if (b->len >= 1 && b->data[b->len - 1] == ' ')
			b->len--;
		else if (b->len >= 2 && memcmp(b->data + b->len - 2, NBSP, 2) == 0)
			b->len -= 2;
		else if (b->len >= 3 && memcmp(b->data + b->len - 3, NNBSP, 3) == 0)
			b->len -= 3;
		else
			break;
	}
	b->data[b->len] = '\0';
}

static int ends_with_space(const struct buf *b)
{
	return (b->len >= 1 && b->data[b->len - 1] == ' ') ||
	    (b->len >= 2 && memcmp(b->data + b->len - 2, NBSP, 2) == 0) ||
	    (b->len >= 3 && memcmp(b->data + b->len - 3, NNBSP, 3) == 0);
}

/* Skip plain and no-break spaces at s; returns the new position. */
static const char *skip_spaces(const char *s)
{
	for (;;) {
		if (*s == ' ')
			s++;
		else if (strncmp(s, NBSP, 2) == 0)
			s += 2;
		else if (strncmp(s, NNBSP, 3) == 0)
			s += 3;
		else
			return s;
	}
}

/* The typography of s into b, emptied first (b's own helpers read what
 * is already written). */
static void typo_fr_into(const char *s, struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	int open_quote = 0;	/* inside a "..." pair */
	while (*s) {
		char c = *s;
		if (c == '\'' ) {
			buf_adds(b, RSQUO);
			s++;
		} else if (c == ';' || c == '!' || c == '?') {
			/* "?" inside a URL or after punctuation stays as is. */
			if (ends_with_space(b) || (word_char_before(b) &&
			    (s[1] == ' ' || s[1] == '\0'))) {
				trim_spaces(b);
				buf_adds(b, NNBSP);
			}
			buf_addc(b, c);
			s++;
		} else if (c == ':') {
			/* Only a spaced colon: "14:03" and "http://" keep theirs. */
			if (ends_with_space(b)) {
				trim_spaces(b);
				buf_adds(b, NBSP);
			}
			buf_addc(b, c);
			s++;
		} else if (c == '%' && ends_with_space(b)) {
			/* "99,9 %": the sign never starts a line. */
			trim_spaces(b);
			buf_adds(b, NNBSP "%");
			s++;
		} else if (strncmp(s, "\xE2\x82\xAC", 3) == 0 &&
		    ends_with_space(b)) {	/* "12 €" */
			trim_spaces(b);
			buf_adds(b, NBSP "\xE2\x82\xAC");
			s += 3;
		} else if (c == '"') {
			if (!open_quote) {
				buf_adds(b, "\xC2\xAB" NNBSP);	/* « */
				s = skip_spaces(s + 1);
			} else {
				trim_spaces(b);
				buf_adds(b, NNBSP "\xC2\xBB");
				s++;
			}
			open_quote = !open_quote;
		} else if (strncmp(s, "\xC2\xAB", 2) == 0) {	/* « */
			buf_adds(b, "\xC2\xAB" NNBSP);
			s = skip_spaces(s + 2);
		} else if (strncmp(s, "\xC2\xBB", 2) == 0) {	/* » */
			trim_spaces(b);
			buf_adds(b, NNBSP "\xC2\xBB");
			s += 2;
		} else {
			/* Copy up to the next byte that may need work in one
			 * go (most of any text). */
			size_t run = strcspn(s + 1, "';!?:\"%\xC2\xE2") + 1;
			buf_add(b, s, run);
			s += run;
		}
	}
}

char *typo_fr(const char *s)
{
	struct buf b;
	buf_init(&b);
	typo_fr_into(s, &b);
	return buf_take(&b);
}

static void typo_en_into(const char *s, struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	int open_quote = 0;
	while (*s) {
		char c = *s;
		if (c == '\'') {
			buf_adds(b, RSQUO);
			s++;
		} else if (c == '"') {
			buf_adds(b, open_quote ? "\xE2\x80\x9D" : "\xE2\x80\x9C");
			open_quote = !open_quote;
			s++;
		} else if ((c == ';' || c == '!' || c == '?' || c == ':') &&
		    ends_with_space(b)) {
			/* English sets these tight against the word. */
			trim_spaces(b);
			buf_addc(b, c);
			s++;
		} else {
			size_t run = strcspn(s + 1, "'\";!?:") + 1;
			buf_add(b, s, run);
			s += run;
		}
	}
}

char *typo_en(const char *s)
{
	struct buf b;
	buf_init(&b);
	typo_en_into(s, &b);
	return buf_take(&b);
}

char *typo_apply(enum lang lang, const char *s)
{
	return lang == LANG_FR ? typo_fr(s) : typo_en(s);
}

const char *typo_apply_buf(enum lang lang, const char *s, struct buf *b)
{
	if (lang == LANG_FR)
		typo_fr_into(s, b);
	else
		typo_en_into(s, b);
	return b->data ? b->data : "";
}

static const char *const month_fr[12] = {
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"
};
static const char *const month_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

char *format_date(enum lang lang, int year, int month, int day)
{
	if (month < 1 || month > 12)
		return xasprintf("%04d-%02d-%02d", year, month, day);
	if (lang == LANG_FR)
		/* "1er avril": French writes the first of the month ordinal. */
		return xasprintf("%d%s" NBSP "%s" NBSP "%d", day,
		    day == 1 ? "er" : "", month_fr[month - 1], year);
	return xasprintf("%s" NBSP "%d, %d", month_en[month - 1], day, year);
}

char *format_date_t(enum lang lang, int64_t t)
{
	struct tm tm;
	time_local(t, &tm);
	return format_date(lang, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Digits of n (n >= 0) grouped by three with sep between groups. */
static void add_grouped(struct buf *b, uint64_t n, const char *sep)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_adds(b, sep);
		buf_addc(b, digits[i]);
	}
}

char *format_int(enum lang lang, int64_t n)
{
	struct buf b;
	buf_init(&b);
	uint64_t mag = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	if (n < 0)
		buf_adds(&b, lang == LANG_FR ? "\xE2\x88\x92" : "-");
	add_grouped(&b, mag, lang == LANG_FR ? NNBSP : ",");
	return buf_take(&b);
}

char *format_percent(enum lang lang, double value, int decimals)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	char num[64];
	snprintf(num, sizeof num, "%.*f", decimals, value);
	if (lang == LANG_FR) {
		char *dot = strchr(num, '.');
		if (dot)
			*dot = ',';
		return xasprintf("%s" NNBSP "%%", num);
	}
	return xasprintf("%s%%", num);
}

static const char *currency_sign(const char *code)
{
	if (!code || strcmp(code, "EUR") == 0)
		return "\xE2\x82\xAC";	/* € */
	if (strcmp(code, "USD") == 0)
		return "$";
	if (strcmp(code, "GBP") == 0)
		return "\xC2\xA3";
	return NULL;
}

char *format_money(enum lang lang, int64_t cents, const char *currency)
{
	struct buf b;
	buf_init(&b);
	uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	const char *sign = currency_sign(currency);
	if (lang == LANG_FR) {
		if (cents < 0)
			buf_adds(&b, "\xE2\x88\x92");	/* − minus sign */
		add_grouped(&b, mag / 100, NNBSP);
		buf_printf(&b, ",%02u" NBSP "%s", (unsigned)(mag % 100),
		    sign ? sign : currency);
	} else {
		if (cents < 0)
			buf_addc(&b, '-');
		if (sign)
			buf_adds(&b, sign);
		else
			buf_printf(&b, "%s" NBSP, currency);
		add_grouped(&b, mag / 100, ",");
		buf_printf(&b, ".%02u", (unsigned)(mag % 100));
	}
	return buf_take(&b);
}

char *text_sort_key(const char *s)
{
	static const char latin1[] =	/* U+00C0 .. U+00FF */
	    "aaaaaaaceeeeiiiidnooooo/ouuuuyts"
	    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
	struct buf b;
	buf_init(&b);
	while (*s) {
		uint32_t cp;
		size_t len = utf8_decode(s, strlen(s), &cp);
		if (!len)
			break;
		if (cp < 0x80)
			buf_addc(&b, (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
		else if (cp >= 0xC0 && cp <= 0xFF)
			buf_addc(&b, latin1[cp - 0xC0]);
		else if (cp == 0x152 || cp == 0x153)
			buf_adds(&b, "oe");
		else
			buf_add(&b, s, len);
		s += len;
	}
	return buf_take(&b);
}
