/* timeutil.c - ISO 8601 parsing and zone handling. */
#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
tz_use(const char *name)
{
	char path[512];

	if (name == NULL || *name == '\0' || name[0] == '/' ||
	    strstr(name, "..") != NULL || strlen(name) > 200)
		return -1;
	if (strcmp(name, "UTC") != 0) {
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
		if (access(path, R_OK) != 0)
			return -1;
	}
	setenv("TZ", name, 1);
	tzset();
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Read exactly n digits. */
static int
digits(const char **p, int n, int *val)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*val = v;
	return 0;
}

static int
parse(const char *s, int64_t *out, const char **why, int need_offset)
{
	int y, mo, d, h = 0, mi = 0, se = 0, has_offset = 0, offset = 0;
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		*why = "empty date";
		return -1;
	}
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d)) {
		*why = "not a date (expected YYYY-MM-DD, e.g. 2005-04-12)";
		return -1;
	}
	if (y < TIME_MIN_YEAR || y > TIME_MAX_YEAR) {
		*why = "year out of range (1970-2100)";
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
		*why = "no such day in the calendar";
		return -1;
	}
	if (*p == 'T' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi)) {
			*why = "bad time of day (expected HH:MM or HH:MM:SS)";
			return -1;
		}
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &se)) {
				*why = "bad seconds (expected HH:MM:SS)";
				return -1;
			}
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p)) {
					*why = "bad fraction of a second";
					return -1;
				}
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || se > 60) {
			*why = "time of day out of range";
			return -1;
		}
		if (se == 60)	/* a leap second is read as the next instant */
			se = 59;
	}
	if (*p == 'Z' || *p == 'z') {
		has_offset = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om = 0;
		p++;
		if (digits(&p, 2, &oh)) {
			*why = "bad UTC offset (expected +HH:MM)";
			return -1;
		}
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && digits(&p, 2, &om)) {
			*why = "bad UTC offset (expected +HH:MM)";
			return -1;
		}
		if (oh > 14 || om > 59) {
			*why = "UTC offset out of range";
			return -1;
		}
		has_offset = 1;
		offset = sign * (oh * 3600 + om * 60);
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0') {
		*why = "unexpected text after the date";
		return -1;
	}
	if (need_offset && !has_offset) {
		*why = "a UTC offset is required here (e.g. 2005-04-12T00:00:00+02:00)";
		return -1;
	}
	if (has_offset) {
		*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		    se - offset;
		return 0;
	}
	/* Local time in the case zone: let the tz database decide DST. */
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (tm.tm_hour != h || tm.tm_min != mi || tm.tm_mday != d) {
		*why = "this local time does not exist (clocks went forward); "
		    "give a UTC offset";
		return -1;
	}
	*out = (int64_t)t;
	return 0;
}

int
time_parse(const char *s, int64_t *out, const char **why)
{
	return parse(s, out, why, 0);
}

int
time_parse_offset(const char *s, int64_t *out, const char **why)
{
	return parse(s, out, why, 1);
}

void
time_local(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;
	localtime_r(&tt, tm);
}

void
time_format_iso(int64_t t, char *out, size_t outlen)
{
	struct tm tm;
	time_local(t, &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, sign, off / 3600, (off % 3600) / 60);
}

double
monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
