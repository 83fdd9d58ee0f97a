/*
 * read_int.h - what the readers of src/read/ share (not a public API).
 *
 * One struct reader is passed to every reader: the case folder, the
 * limits, the model being filled and the diagnostics list. It also keeps
 * the real path of each exhibit, so that citations in complaints.csv and
 * timeline.csv can be matched to exhibit numbers.
 */
#ifndef DOSSIER_READ_INT_H
#define DOSSIER_READ_INT_H

#include <stddef.h>

#include "model.h"
#include "read/read.h"
#include "read/read_csv.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* A string -> int map (open addressing), for duplicate checks. */
struct strmap {
	char **keys;
	int *vals;
	size_t cap, len;
};

struct reader {
	const char *root;		/* the case folder as given */
	const struct read_limits *lim;
	struct case_model *m;
	struct diag_list *dl;
	char **ex_real;			/* real path of m->exhibits[i] */
	int *ex_cited;			/* m->exhibits[i] is cited somewhere */
	char **bad_real;		/* exhibit files that were rejected */
	char **bad_rel;
	size_t nbad;
	/* Exhibit paths as cited -> index in m->exhibits, for the citations
	 * already resolved (see exhibits_resolve). */
	struct strmap cited;
	const struct read_sink *sink;	/* read_case_sink's, or NULL */
	struct event_feed *feed;	/* on the logs' thread: see below */
};

/* Add record counts to the file's source_file and its diag_count. */
void reader_count(struct reader *r, int file, long read, long accepted,
    long rejected, long skipped);
void reader_count_csv(struct reader *r, int file, const struct csv_counts *c);

/* Trim ASCII spaces and tabs on both ends, in place; returns s. */
char *str_trim(char *s);

/* Split a ';'-list into trimmed, non-empty, malloc'd items. */
char **list_split(const char *s, size_t *n);
void list_free(char **v, size_t n);

/* 1 if s is a non-empty id of letters, digits, '-', '_', '.'. */
int id_valid(const char *s);

/* "1 MiB", "4 GiB" or a byte count, for limit messages. */
void fmt_bytes(long long n, char *out, size_t outlen);

/*
 * Resolve a ';'-list of exhibit paths (a field of a CSV row) to exhibit
 * indices. Each bad item is reported at rel:line:field. Returns 0, or -1
 * when any item is bad (the indices of the good ones are still set).
 */
int exhibits_resolve(struct reader *r, const char *rel, long line,
    const char *field, const char *list, int **out, size_t *n);

/* The readers, in the order read_case calls them. */
int read_ini(struct reader *r, const char *full, const char *rel, int file);
void read_exhibits(struct reader *r, const char *list_full,
    const char *list_rel, int list_file, char **files, const int *file_ids,
    size_t nfiles);
void read_complaints(struct reader *r, const char *full, const char *rel,
    int file);
void read_timeline(struct reader *r, const char *full, const char *rel,
    int file);
void read_outages_csv(struct reader *r, const char *full, const char *rel,
    int file);

/*
 * The Nagios logs rel[0..n) (their files[] index in file[], -1 = skip),
 * read on a thread of their own while the CSV files are read
 * (read_logs.c); logs_finish waits for it and merges what it read into
 * r's model and diagnostics as if the logs had been read then.
 */
struct log_job;
struct log_job *logs_start(struct reader *r, char **rel, int *file, size_t n);
void logs_finish(struct log_job *j, struct reader *r);

/*
 * When the events go to a sink (r->sink), the logs' thread tells
 * logs_finish, which passes them on, how many events its model holds
 * (feed_publish, every few thousand lines), and brackets every
 * reallocation of its events array, which must wait until the array is
 * not being read (feed_move_begin, feed_move_end). All three do nothing
 * when f is NULL.
 */
void feed_publish(struct event_feed *f, size_t nevents);
void feed_move_begin(struct event_feed *f);
void feed_move_end(struct event_feed *f);
/* A Nagios log is read in two steps: nagios_load reads the whole file
 * into b and hashes it (its files[] entry: digest, size, lines, if not
 * hashed yet), 0 or -1 with the error reported; then nagios_parse. */
int nagios_load(struct reader *r, const char *full, const char *rel, int file,
    struct buf *b);
/* Parse a Nagios log held in buf[0..n) (modified in place). */
void nagios_parse(struct reader *r, char *buf, size_t n, const char *rel,
    int file);

void strmap_free(struct strmap *sm);
/* Value of key, or -1. */
int strmap_get(const struct strmap *sm, const char *key);
void strmap_put(struct strmap *sm, const char *key, int val);

/* "1250", "1250.00", "1 250,00" -> cents; 0, or -1 with a message. */
int parse_money(const char *s, int64_t *cents, const char **why);

#endif
