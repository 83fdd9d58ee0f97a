/* progress.c - a single self-erasing progress line on a terminal. */
#include "progress.h"
#include "timeutil.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int enabled;
static int shown;
static double started, last;

void
progress_enable(int quiet)
{
	enabled = !quiet && isatty(STDERR_FILENO);
	started = monotonic_seconds();
	last = 0;
}

double
progress_elapsed(void)
{
	return monotonic_seconds() - started;
}

void
progress_update(const char *stage, long done, long total, const char *unit)
{
	if (!enabled)
		return;
	double t = monotonic_seconds();
	if (t - last < 0.1 && !(total && done == total))
		return;
	last = t;
	if (total)
		fprintf(stderr, "\r\033[K%s: %ld / %ld %s, %.1f s", stage, done,
		    total, unit, t - started);
	else if (unit && *unit)
		fprintf(stderr, "\r\033[K%s: %ld %s, %.1f s", stage, done, unit,
		    t - started);
	else
		fprintf(stderr, "\r\033[K%s, %.1f s", stage, t - started);
	fflush(stderr);
	shown = 1;
}

int
progress_active(void)
{
	return enabled;
}

void
progress_done(void)
{
	if (enabled && shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	shown = 0;
}
