/* stats.c - per-stage timings and peak memory for --stats. */
#include "util/stats.h"
#include "util/timeutil.h"

#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define STATS_MAX 16

struct stat_item {
	const char *name;
	double seconds;		/* laps */
	long n;			/* counts; for laps, the peak RSS (KiB) by the
				 * end of the stage */
};

static int enabled;
static double t_begin, t_last;
static struct stat_item laps[STATS_MAX], counts[STATS_MAX];
static int nlaps, ncounts;

static long
peak_rss_kb(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? (long)ru.ru_maxrss : 0;
}

void
stats_enable(int on)
{
	enabled = on;
}

int
stats_enabled(void)
{
	return enabled;
}

void
stats_begin(void)
{
	if (!enabled)
		return;
	nlaps = ncounts = 0;
	t_begin = t_last = monotonic_seconds();
}

static struct stat_item *
item(struct stat_item *v, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	if (*n == STATS_MAX)
		return NULL;
	v[*n].name = name;
	v[*n].seconds = 0;
	v[*n].n = 0;
	return &v[(*n)++];
}

void
stats_lap(const char *stage)
{
	if (!enabled)
		return;
	double t = monotonic_seconds();
	struct stat_item *it = item(laps, &nlaps, stage);
	if (it) {
		it->seconds += t - t_last;
		it->n = peak_rss_kb();
	}
	t_last = t;
}

void
stats_add(const char *stage, double seconds)
{
	if (!enabled)
		return;
	struct stat_item *it = item(laps, &nlaps, stage);
	if (it) {
		it->seconds += seconds;
		it->n = peak_rss_kb();
	}
	t_last += seconds;
}

void
stats_count(const char *name, long n)
{
	if (!enabled)
		return;
	struct stat_item *it = item(counts, &ncounts, name);
	if (it)
		it->n = n;
}

void
stats_print(FILE *out)
{
	struct rusage ru;

	if (!enabled)
		return;
	double total = monotonic_seconds() - t_begin;
	for (int i = 0; i < nlaps; i++)
		fprintf(out, "stat: %s %.4f\n", laps[i].name, laps[i].seconds);
	/* Where memory grows: the peak by the end of each stage (stages
	 * added together after the fact share the later figure). */
	for (int i = 0; i < nlaps; i++)
		fprintf(out, "stat: peak_rss_kb_by %s %ld\n", laps[i].name,
		    laps[i].n);
	fprintf(out, "stat: total %.4f\n", total);
	for (int i = 0; i < ncounts; i++)
		fprintf(out, "stat: %s %ld\n", counts[i].name, counts[i].n);
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		/* Processor time of the whole process: on a busy machine the
		 * wall seconds wander, this much less. */
		fprintf(out, "stat: cpu %.4f\n", (double)ru.ru_utime.tv_sec +
		    (double)ru.ru_utime.tv_usec / 1e6 +
		    (double)ru.ru_stime.tv_sec +
		    (double)ru.ru_stime.tv_usec / 1e6);
		fprintf(out, "stat: peak_rss_kb %ld\n", (long)ru.ru_maxrss);
	}
	fflush(out);
}
