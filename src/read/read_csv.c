/*
 * read_csv.c - RFC 4180 records on libcsv, with physical line numbers.
 *
 * libcsv does the quoting rules; this file feeds it one physical line at
 * a time so that we always know which line we are on. libcsv's parser
 * state (struct csv_parser is public in csv.h) tells whether a line
 * starts a new record or continues a quoted field. In strict mode libcsv
 * stops on a stray quote; we report it, start a fresh parser and go on
 * with the next line, so one bad row never hides the others.
 */
#include "read/read_csv.h"
#include "read/read_int.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <csv.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libcsv's parser states (libcsv.c); only "between records" matters. */
#define CSVP_ROW_NOT_BEGUN 0

struct csv_state {
	const struct csv_spec *spec;
	struct csv_counts *cnt;
	long line;		/* physical line being fed */
	long rec_line;		/* line where the current record started */
	long field_line;	/* line where the current field started */
	char **fields;		/* fields of the current record */
	size_t nfields, capfields;
	int bad;		/* current record already has an error */
	int header_done;	/* header row seen */
	int file_bad;		/* header rejected: ignore the rest */
	int stop;		/* too many records: ignore the rest */
	size_t *map;		/* header column -> expected column */
	size_t nheader;
	char **row;		/* fields reordered for the callback */
};

/* Column name for diagnostics: the expected name of field i. */
static const char *
field_name(struct csv_state *st, size_t i)
{
	if (st->header_done && i < st->nheader)
		return st->spec->columns[st->map[i]];
	return NULL;
}

static void
record_clear(struct csv_state *st)
{
	for (size_t i = 0; i < st->nfields; i++)
		free(st->fields[i]);
	st->nfields = 0;
	st->bad = 0;
}

/* libcsv callback: one field has ended. */
static void
on_field(void *data, size_t len, void *ctx)
{
	struct csv_state *st = ctx;
	const struct csv_spec *sp = st->spec;
	size_t idx = st->nfields;
	size_t bad_at;
	char *copy;

	if (st->file_bad || st->stop)
		return;
	if (st->nfields == st->capfields) {
		st->capfields = st->capfields ? st->capfields * 2 : 16;
		st->fields = xreallocarray(st->fields, st->capfields,
		    sizeof(char *));
	}
	if (len > sp->lim->max_field) {
		char lim[32];
		fmt_bytes((long long)sp->lim->max_field, lim, sizeof(lim));
		diag_error(sp->dl, sp->rel, st->field_line, field_name(st, idx),
		    "field is longer than the limit of %s (%zu bytes); the row "
		    "is left out", lim, len);
		st->bad = 1;
		copy = xstrdup("");
	} else if (!utf8_valid(data, len, &bad_at)) {
		diag_error(sp->dl, sp->rel, st->field_line, field_name(st, idx),
		    "invalid UTF-8 text (byte %zu of the field); save the file "
		    "as UTF-8", bad_at + 1);
		st->bad = 1;
		copy = xstrdup("");
	} else {
		/* Keep line breaks inside quoted fields as plain LF. */
		const char *s = data;
		size_t k = 0;
		copy = xmalloc(len + 1);
		for (size_t i = 0; i < len; i++)
			if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
				copy[k++] = s[i];
		copy[k] = '\0';
	}
	st->fields[st->nfields++] = copy;
	st->field_line = st->line;	/* a next field starts after the comma */
}

static int
all_empty(struct csv_state *st)
{
	for (size_t i = 0; i < st->nfields; i++)
		if (str_trim(st->fields[i])[0] != '\0')
			return 0;
	return 1;
}

/* Map the header row to the expected columns; 0 if it is usable. */
static int
take_header(struct csv_state *st)
{
	const struct csv_spec *sp = st->spec;
	int *seen = xcalloc(sp->ncolumns, sizeof(int));
	int ok = 1;

	st->nheader = st->nfields;
	st->map = xcalloc(st->nfields ? st->nfields : 1, sizeof(size_t));
	for (size_t i = 0; i < st->nfields; i++) {
		const char *name = str_trim(st->fields[i]);
		size_t c;
		for (c = 0; c < sp->ncolumns; c++)
			if (strcasecmp(name, sp->columns[c]) == 0)
				break;
		if (c == sp->ncolumns) {
			struct buf b;
			buf_init(&b);
			for (size_t k = 0; k < sp->ncolumns; k++)
				buf_printf(&b, "%s%s", k ? ", " : "",
				    sp->columns[k]);
			diag_error(sp->dl, sp->rel, st->rec_line, NULL,
			    "unknown column \"%s\" in the header (the columns "
			    "are: %s); the whole file is left out", name, b.data);
			buf_free(&b);
			ok = 0;
		} else if (seen[c]) {
			diag_error(sp->dl, sp->rel, st->rec_line, NULL,
			    "column \"%s\" appears twice in the header; the "
			    "whole file is left out", sp->columns[c]);
			ok = 0;
		} else {
			seen[c] = 1;
			st->map[i] = c;
		}
	}
	for (size_t c = 0; c < sp->ncolumns; c++)
		if (!seen[c]) {
			diag_error(sp->dl, sp->rel, st->rec_line, NULL,
			    "missing column \"%s\" in the header; the whole "
			    "file is left out", sp->columns[c]);
			ok = 0;
		}
	free(seen);
	if (st->bad)
		ok = 0;
	return ok ? 0 : -1;
}

/* libcsv callback: one record has ended. */
static void
on_record(int c, void *ctx)
{
	struct csv_state *st = ctx;
	const struct csv_spec *sp = st->spec;
	(void)c;

	if (st->file_bad || st->stop) {
		record_clear(st);
		return;
	}
	if (!st->header_done) {
		st->header_done = 1;
		if (take_header(st) != 0)
			st->file_bad = 1;
		record_clear(st);
		return;
	}
	if (all_empty(st) && !st->bad) {
		st->cnt->skipped++;
		record_clear(st);
		return;
	}
	if (st->cnt->read >= sp->lim->max_records) {
		diag_error(sp->dl, sp->rel, st->rec_line, NULL,
		    "more than %ld records in this file (the limit); the rest "
		    "of the file is not read", sp->lim->max_records);
		st->stop = 1;
		record_clear(st);
		return;
	}
	st->cnt->read++;
	if (!st->bad && st->nfields != st->nheader) {
		diag_error(sp->dl, sp->rel, st->rec_line, NULL,
		    "row has %zu field%s but the header has %zu columns; the "
		    "row is left out (a comma inside a value needs quotes)",
		    st->nfields, st->nfields == 1 ? "" : "s", st->nheader);
		st->bad = 1;
	}
	if (st->bad) {
		st->cnt->rejected++;
		record_clear(st);
		return;
	}
	for (size_t i = 0; i < st->nheader; i++)
		st->row[st->map[i]] = st->fields[i];
	struct csv_row row = { st->rec_line, st->row, sp->ncolumns };
	if (sp->row(sp->ctx, &row) == 0)
		st->cnt->accepted++;
	else
		st->cnt->rejected++;
	record_clear(st);
}

/*
 * libcsv grows its field buffer by a fixed block on every call, which
 * is quadratic for a long field. Growing geometrically here and
 * reusing the block while it is big enough makes it linear.
 */
static void *
csv_grow(void *p, size_t n)
{
	if (p && malloc_usable_size(p) >= n)
		return p;
	return realloc(p, n < 4096 ? 4096 : n * 2);
}

static void
parser_init(struct csv_parser *p)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fprintf(stderr, "dossier: out of memory\n");
		exit(2);
	}
	csv_set_realloc_func(p, csv_grow);
	csv_set_blk_size(p, 4096);
}

/* A stray quote: report it, drop the record, restart after this line. */
static void
stray_quote(struct csv_state *st, struct csv_parser *p)
{
	const struct csv_spec *sp = st->spec;
	diag_error(sp->dl, sp->rel, st->field_line, field_name(st, st->nfields),
	    "stray quote: a field that contains a quote (\") must be entirely "
	    "in quotes, with the quote doubled (\"\"); the row is left out");
	if (st->header_done) {
		st->cnt->read++;
		st->cnt->rejected++;
	} else {
		st->header_done = 1;
		st->file_bad = 1;
	}
	record_clear(st);
	csv_free(p);
	parser_init(p);
}

int
csv_read_stream(FILE *f, const struct csv_spec *sp, struct csv_counts *cnt)
{
	struct csv_state st;
	struct csv_parser p;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	memset(&st, 0, sizeof(st));
	st.spec = sp;
	st.cnt = cnt;
	st.row = xcalloc(sp->ncolumns, sizeof(char *));
	parser_init(&p);
	while (!st.file_bad && !st.stop && (n = getline(&line, &cap, f)) > 0) {
		const char *s = line;
		size_t len = (size_t)n;
		st.line++;
		if (st.line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (p.pstate == CSVP_ROW_NOT_BEGUN) {
			st.rec_line = st.line;
			st.field_line = st.line;
		}
		if (len > sp->lim->max_line) {
			char lim[32];
			fmt_bytes((long long)sp->lim->max_line, lim, sizeof(lim));
			diag_error(sp->dl, sp->rel, st.line, NULL,
			    "line is longer than the limit of %s (%zu bytes); "
			    "the row is left out", lim, len);
			st.bad = 1;
		}
		if (csv_parse(&p, s, len, on_field, on_record, &st) != len) {
			if (csv_error(&p) == CSV_EPARSE)
				stray_quote(&st, &p);
			else {
				fprintf(stderr, "dossier: out of memory\n");
				exit(2);
			}
		}
	}
	if (ferror(f)) {
		diag_error(sp->dl, sp->rel, 0, NULL, "cannot read the file: %s",
		    strerror(errno));
		rc = -1;
	}
	if (!st.file_bad && !st.stop &&
	    csv_fini(&p, on_field, on_record, &st) != 0) {
		diag_error(sp->dl, sp->rel, st.field_line,
		    field_name(&st, st.nfields),
		    "unterminated quote: the quoted field that starts on this "
		    "line is never closed, so it runs to the end of the file; "
		    "the row is left out");
		if (st.header_done) {
			cnt->read++;
			cnt->rejected++;
		} else
			st.file_bad = 1;
		record_clear(&st);
	}
	if (!st.header_done && rc == 0) {
		diag_error(sp->dl, sp->rel, 0, NULL,
		    "the file is empty: the first row must name the columns");
		rc = -1;
	}
	if (st.file_bad)
		rc = -1;
	record_clear(&st);
	csv_free(&p);
	free(st.fields);
	free(st.map);
	free(st.row);
	free(line);
	return rc;
}

int
csv_read_file(const char *path, const struct csv_spec *sp,
    struct csv_counts *cnt)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		diag_error(sp->dl, sp->rel, 0, NULL, "cannot open the file: %s",
		    strerror(errno));
		return -1;
	}
	int rc = csv_read_stream(f, sp, cnt);
	fclose(f);
	return rc;
}
