/*
 * read.h - the read stage: a case folder becomes a case_model.
 *
 * The readers never stop at the first problem: each bad record is
 * reported in the diag_list (file, line, field, message), counted as
 * rejected in its source_file, and left out of the model; good records
 * are kept. See docs/case-format.md for the format.
 */
#ifndef DOSSIER_READ_H
#define DOSSIER_READ_H

#include "model.h"
#include "util/diag.h"

/* Input limits (docs/case-format.md, "Limits"). */
struct read_limits {
	size_t max_field;	/* bytes in one CSV field */
	size_t max_line;	/* bytes in one physical line */
	long max_records;	/* records in one file */
	long max_side;		/* pixels on one side of an image */
	long long max_pixels;	/* pixels in one image */
	long long max_total;	/* bytes in the whole case folder */
	long max_pdf_pages;	/* pages in one PDF exhibit */
	long long max_pdf_bytes;	/* bytes in one PDF exhibit */
};

void read_limits_default(struct read_limits *lim);

/*
 * Read the case folder at root into m (which must be freshly
 * model_init'ed). Returns 0 when the case could be read, even if some
 * records were rejected (see dl->errors); returns -1 when it cannot be
 * read at all (no folder, no or unusable case.ini), with the reason in dl.
 */
int read_case(const char *root, const struct read_limits *lim,
    struct case_model *m, struct diag_list *dl);

/*
 * Where the monitoring events can go while they are read. A million-line
 * log takes as long to parse (on the logs' thread) as the next stage
 * takes to store it, so instead of waiting for the parse to end, the
 * thread that called read_case takes the events as they come:
 * events(ev, first, n, arg) is called on that thread with ev[0..n), the
 * events that will be m->events[first .. first + n) once read_case has
 * returned, with the same content and name indices. When read_case
 * returns 0, the calls have passed every event of m->events exactly
 * once, in order (first is the count passed so far). When it returns -1
 * they may have passed only some. ev is valid only during the call.
 */
struct read_sink {
	void (*events)(const struct nagios_event *ev, size_t first, size_t n,
	    void *arg);
	/*
	 * Optional: called once, on the same thread, as soon as every input
	 * file is listed and hashed (m->files: path, kind, digest, size) and
	 * the logs are parsed, while the events may still be being passed:
	 * nothing else in m is complete, and the case may yet turn out to
	 * have errors. m is valid only during the call. Not called when
	 * read_case fails before reading the logs.
	 */
	void (*files)(const struct case_model *m, void *arg);
	void *arg;
};

/* read_case, passing the events to sink (NULL: none) as they are read. */
int read_case_sink(const char *root, const struct read_limits *lim,
    struct case_model *m, struct diag_list *dl, const struct read_sink *sink);

#endif
