/*
 * typo.h - language typography: spacing, quotes, dates, numbers, money.
 *
 * French (fr): no-break space before ':' (U+00A0) and a narrow no-break
 * space (U+202F) before ';' '!' '?' '»' and after '«'; dates "12 avril
 * 2005"; "99,9 %"; "1 250,00 €" (U+202F between thousands, U+00A0 before
 * the currency sign). English (en): "April 12, 2005", "99.9%",
 * "€1,250.00". Both: typographic apostrophe ’.
 *
 * Every function returns a new malloc'd UTF-8 string; typo_* are
 * idempotent, so applying them twice changes nothing.
 */
#ifndef DOSSIER_LAYOUT_TYPO_H
#define DOSSIER_LAYOUT_TYPO_H

#include <stdint.h>

enum lang { LANG_FR, LANG_EN };

#define NBSP "\xC2\xA0"		/* U+00A0 no-break space */
#define NNBSP "\xE2\x80\xAF"	/* U+202F narrow no-break space */
#define RSQUO "\xE2\x80\x99"	/* U+2019 ’ */

/* "fr" or "en" (anything else gives -1). */
int lang_parse(const char *s);

char *typo_fr(const char *s);
char *typo_en(const char *s);
char *typo_apply(enum lang lang, const char *s);
/* The same into b (emptied first, kept for the next call): no string
 * allocated per text. Returns b's text ("" when b is still empty). */
struct buf;
const char *typo_apply_buf(enum lang lang, const char *s, struct buf *b);

/* A calendar date (month 1-12). */
char *format_date(enum lang lang, int year, int month, int day);
/* A UTC instant, shown in the current time zone (see timeutil.h). */
char *format_date_t(enum lang lang, int64_t t);
/* value with `decimals` digits after the separator. */
char *format_percent(enum lang lang, double value, int decimals);
/* An amount in cents of `currency` ("EUR", "USD", or any code). */
char *format_money(enum lang lang, int64_t cents, const char *currency);
/* An integer with thousands separators. */
char *format_int(enum lang lang, int64_t n);

/*
 * A key that sorts text as a reader expects: ASCII lower-cased, Latin-1
 * letters without their accents, Œ/œ as "oe" (Émile beside Emile).
 * Compare keys with strcmp. Caller frees.
 */
char *text_sort_key(const char *s);

#endif
