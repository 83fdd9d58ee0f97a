/*
 * read_csv.h - RFC 4180 records with their physical line numbers.
 *
 * A thin layer over libcsv (strict mode) that the CSV readers of the
 * case folder share: it drops a UTF-8 byte-order mark, maps the header
 * to the expected columns by name (case-insensitive, spaces ignored),
 * and hands each data row to a callback with its fields in the order of
 * the expected columns and the physical line where the row starts.
 *
 * Everything wrong below the level of one row's meaning is reported
 * here: missing or unknown columns (the whole file is rejected), a row
 * with too few or too many fields, invalid UTF-8, a field or line over
 * the limits, a stray or unterminated quote. Such rows never reach the
 * callback. Completely empty rows are skipped.
 */
#ifndef DOSSIER_READ_CSV_H
#define DOSSIER_READ_CSV_H

#include <stdio.h>

#include "read/read.h"
#include "util/diag.h"

struct csv_counts {
	long read, accepted, rejected, skipped;
};

struct csv_row {
	long line;		/* physical line where the row starts */
	char **f;		/* fields, in the order of the expected columns */
	size_t n;		/* number of expected columns */
};

/*
 * Called for each well-formed data row. Returns 0 if the row is
 * accepted, -1 if it is rejected (after reporting why in the diag list).
 */
typedef int (*csv_row_fn)(void *ctx, const struct csv_row *row);

struct csv_spec {
	const char *rel;		/* file name used in diagnostics */
	const char *const *columns;	/* expected column names, lower case */
	size_t ncolumns;
	const struct read_limits *lim;
	struct diag_list *dl;
	csv_row_fn row;
	void *ctx;
};

/*
 * Read CSV text from f. Returns 0 when the file could be read (some rows
 * may have been rejected), -1 when the whole file is rejected (empty,
 * bad header, read error). Counts are added to *cnt.
 */
int csv_read_stream(FILE *f, const struct csv_spec *spec,
    struct csv_counts *cnt);

/* Same, opening path (a message is reported if it cannot be opened). */
int csv_read_file(const char *path, const struct csv_spec *spec,
    struct csv_counts *cnt);

#endif
