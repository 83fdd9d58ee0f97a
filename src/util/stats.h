/*
 * stats.h - per-stage timings and peak memory for --stats.
 *
 * A command that takes --stats calls stats_enable(1) after its options,
 * stats_begin() where the work starts, stats_lap("stage") at the end of
 * each stage, and stats_print(stderr) at the end. Without stats_enable
 * every call is a no-op, so the stages can be marked unconditionally
 * (also in shared helpers such as cli_load).
 *
 * cli_load() (src/cli/cli.c) laps "read" and "store" itself, so a
 * command loading a case folder through it gets those two stages (the
 * "import" of `dossier build`) and laps its own stages after them.
 *
 * stats_print writes lines bench/run.sh parses, in the order the stages
 * ran (a stage lapped twice is summed):
 *
 *	stat: read 0.412
 *	stat: store 0.518
 *	stat: total 0.931
 *	stat: pages 412			(only when stats_count("pages", n))
 *	stat: cpu 0.902			(user + system seconds, whole process)
 *	stat: peak_rss_kb 123456
 *	stat: peak_rss_kb_by store 98765	(peak by the end of a stage)
 */
#ifndef DOSSIER_STATS_H
#define DOSSIER_STATS_H

#include <stdio.h>

void stats_enable(int on);
int stats_enabled(void);

/* Start (or restart) the clock; forgets the laps and counts. */
void stats_begin(void);

/* Close the stage that ran since the last lap (or stats_begin). stage is
 * a short word without spaces, kept by pointer (a string literal). */
void stats_lap(const char *stage);

/* A stage the caller timed itself (e.g. inside a library call) that ran
 * since the last lap: its seconds are added to stage, and the lap clock
 * moves on by as much, so the next lap counts only what is left. */
void stats_add(const char *stage, double seconds);

/* Record a count printed as "stat: NAME N" (e.g. "pages"). */
void stats_count(const char *name, long n);

/* Print the laps, "total" (seconds since stats_begin), the counts, cpu
 * (getrusage user + system seconds) and peak_rss_kb (ru_maxrss, KiB on
 * Linux). */
void stats_print(FILE *out);

#endif
