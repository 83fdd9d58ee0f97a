/*
 * avail_format.h - the availability report as text (aligned tables, with
 * the method paragraph), CSV (one row per service, customer and host,
 * machine-readable) or JSON.
 *
 * language: "fr" or "en" (NULL = the case language). French text uses
 * French number formatting ("99,873 %", "2 h 14 min"); CSV and JSON
 * always use seconds and '.' decimals.
 */
#ifndef DOSSIER_AVAIL_FORMAT_H
#define DOSSIER_AVAIL_FORMAT_H

#include <stdio.h>

#include "analyze/availability.h"

enum avail_format { AVAIL_TEXT, AVAIL_CSV, AVAIL_JSON };

/* Parse "text", "csv", "json"; returns 0, or -1 for anything else. */
int avail_format_parse(const char *s, enum avail_format *f);

/* Print the report. Returns 0, or -1 on a write error. */
int avail_print(FILE *out, const struct avail_report *r,
    const struct case_model *m, enum avail_format f, const char *language);

/* The method paragraph printed beside the figures (static text). */
const char *avail_method_text(const char *language);

/* "2 h 14 min", "43 min 12 s", "1 j 3 h" (fr) / "1 d 3 h" (en). */
void avail_fmt_duration(char *out, size_t n, int64_t seconds, int fr);
/* "99,873 %" (fr) / "99.873%" (en) with `decimals` digits; "n/a" if < 0. */
void avail_fmt_percent(char *out, size_t n, double pct, int decimals, int fr);
/* "99.9% over 30 days allows 43 min 12 s" / "99,9 % sur 30 jours ...". */
void avail_fmt_sla_sentence(char *out, size_t n, const struct avail_sla *s,
    int64_t period, int fr);

#endif
