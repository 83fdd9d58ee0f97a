/*
 * timeutil.h - instants as UTC seconds, parsed from ISO 8601 and shown in
 * the case's time zone.
 *
 * Every instant inside dossier is an int64_t count of seconds since the
 * epoch, UTC. The case time zone (an IANA name such as Europe/Paris) is
 * used only to read local times written without an offset and to display;
 * it is installed once with tz_use() (glibc's own tz database code reads
 * /usr/share/zoneinfo, DST rules included).
 */
#ifndef DOSSIER_TIMEUTIL_H
#define DOSSIER_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

/* Earliest and latest instants accepted in input (1970 .. 2100). */
#define TIME_MIN_YEAR 1970
#define TIME_MAX_YEAR 2100

/*
 * Make name the zone for local times. Returns 0, or -1 when no such zone
 * exists in the system's tz database (the name is checked against
 * /usr/share/zoneinfo so a typo is not silently taken as UTC).
 */
int tz_use(const char *name);

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DD HH:MM:SS", with an
 * optional fraction (ignored), and an optional "Z" or "+HH:MM" / "-HHMM"
 * offset. Without an offset the time is local to the current zone
 * (tz_use). Returns 0 and the instant; or -1 and a static message saying
 * what is wrong.
 */
int time_parse(const char *s, int64_t *out, const char **why);

/* Same, but require an explicit offset (case period bounds). */
int time_parse_offset(const char *s, int64_t *out, const char **why);

/* Broken-down local time in the current zone. */
void time_local(int64_t t, struct tm *tm);

/* "2005-04-12T14:03:00+02:00" in the current zone (buffer >= 32 bytes). */
void time_format_iso(int64_t t, char *out, size_t outlen);

/* Seconds on the monotonic clock, for measuring durations (stats,
 * progress, render timings); not an instant. */
double monotonic_seconds(void);

#endif
