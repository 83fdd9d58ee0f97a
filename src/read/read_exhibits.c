/*
 * read_exhibits.c - the exhibits: exhibits.csv and the exhibits/ folder.
 *
 * Numbering (docs/case-format.md): first the rows of exhibits.csv in file
 * order, then every other file of exhibits/ in byte order of its path.
 * Each file is recognised by its content and checked (images are fully
 * decoded); a file that fails is reported and gets no number.
 */
#include "read/read_image.h"
#include "read/read_int.h"
#include "read/read_pdf.h"
#include "util/path.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One file found in exhibits/. */
struct ex_file {
	const char *rel;
	char *real;		/* NULL when the path itself is bad */
	int file;		/* index into m->files */
	int ok;			/* content checked and sound */
	enum exhibit_type type;
	int w, h;
	int pages;		/* PDF: page count and boxes */
	struct pdf_page_box *boxes;
	long csv_line;		/* row of exhibits.csv that took it, or 0 */
};

struct ex_state {
	struct reader *r;
	const char *rel;	/* exhibits.csv */
	int file;
	struct ex_file *files;
	size_t nfiles;
};

/* Read a whole file; NULL with errno on failure. */
static unsigned char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t k;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, k);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		errno = EIO;
		return NULL;
	}
	*n = b.len;
	if (b.data == NULL)
		return (unsigned char *)xstrdup("");
	return (unsigned char *)buf_take(&b);
}

/* Recognise and check one exhibit file; reports its problems. */
static void
check_file(struct reader *r, struct ex_file *ef)
{
	char why[256];
	size_t n = 0, bad;
	unsigned char *d = slurp(ef->real, &n);

	if (d == NULL) {
		diag_error(r->dl, ef->rel, 0, NULL, "cannot read the file: %s",
		    strerror(errno));
		return;
	}
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
		ef->type = EXHIBIT_PNG;
		ef->ok = image_check_png(d, n, r->lim, &ef->w, &ef->h, why,
		    sizeof(why)) == 0;
	} else if (n >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0) {
		ef->type = EXHIBIT_JPEG;
		ef->ok = image_check_jpeg(d, n, r->lim, &ef->w, &ef->h, why,
		    sizeof(why)) == 0;
	} else if (n >= 5 && memcmp(d, "%PDF-", 5) == 0) {
		char rep[300];
		ef->type = EXHIBIT_PDF;
		int rc = pdf_inspect(ef->real, r->lim, &ef->pages, &ef->boxes,
		    why, sizeof(why), rep, sizeof(rep));
		ef->ok = rc >= 0;
		if (rc == 1)
			diag_warn(r->dl, ef->rel, 0, NULL, "damaged PDF: %s; "
			    "the repaired pages are used, check them against "
			    "the original", rep);
	} else if (utf8_valid((const char *)d, n, &bad)) {
		ef->type = EXHIBIT_TEXT;
		ef->ok = 1;
	} else
		snprintf(why, sizeof(why), "not a PNG image, a JPEG image or "
		    "UTF-8 text (byte %zu is not valid UTF-8); exhibit types "
		    "are recognised by content, not by the file name", bad + 1);
	free(d);
	if (!ef->ok)
		diag_error(r->dl, ef->rel, 0, NULL, "%s", why);
	if (ef->type != EXHIBIT_TEXT)
		r->m->files[ef->file].lines = 0;
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Give the next number to a sound exhibit file. */
static void
add_exhibit(struct reader *r, struct ex_file *ef, const char *title,
    int64_t date, const char *source, int prov_file, long prov_line)
{
	struct case_model *m = r->m;
	size_t k = m->nexhibits;

	m->exhibits = xreallocarray(m->exhibits, k + 1, sizeof(*m->exhibits));
	r->ex_real = xreallocarray(r->ex_real, k + 1, sizeof(char *));
	r->ex_cited = xreallocarray(r->ex_cited, k + 1, sizeof(int));
	struct exhibit *e = &m->exhibits[k];
	memset(e, 0, sizeof(*e));
	e->number = (int)k + 1;
	e->path = xstrdup(ef->rel);
	e->type = ef->type;
	e->title = xstrdup(title && title[0] ? title : base_name(ef->rel));
	e->date = date;
	e->source = xstrdup(source ? source : "");
	e->file = ef->file;
	e->width = ef->w;
	e->height = ef->h;
	if (ef->type == EXHIBIT_PDF && ef->pages > 0) {
		e->pages = ef->pages;
		e->boxes = xreallocarray(NULL, (size_t)ef->pages,
		    sizeof(*e->boxes));
		memcpy(e->boxes, ef->boxes, (size_t)ef->pages *
		    sizeof(*e->boxes));
	}
	e->prov.file = prov_file;
	e->prov.line = prov_line;
	r->ex_real[k] = xstrdup(ef->real);
	r->ex_cited[k] = 0;
	m->nexhibits++;
}

/* A row of exhibits.csv: path, title, date, source. */
static int
on_row(void *ctx, const struct csv_row *row)
{
	struct ex_state *st = ctx;
	struct reader *r = st->r;
	const char *path = str_trim(row->f[0]);
	const char *why;
	int64_t date = 0;
	int bad = 0;

	char *real = path_in_case(r->root, path, &why);
	struct ex_file *ef = NULL;
	if (real == NULL) {
		diag_error(r->dl, st->rel, row->line, "path", "exhibit \"%s\": "
		    "%s", path, why);
		return -1;
	}
	for (size_t i = 0; i < st->nfiles; i++)
		if (st->files[i].real && strcmp(st->files[i].real, real) == 0) {
			ef = &st->files[i];
			break;
		}
	free(real);
	if (ef == NULL) {
		diag_error(r->dl, st->rel, row->line, "path", "\"%s\" is not "
		    "in the exhibits/ folder; exhibits must be files there",
		    path);
		return -1;
	}
	if (ef->csv_line) {
		diag_error(r->dl, st->rel, row->line, "path", "exhibit \"%s\" "
		    "is listed twice (first on line %ld); this row is left out",
		    path, ef->csv_line);
		return -1;
	}
	if (!ef->ok) {
		diag_error(r->dl, st->rel, row->line, "path", "exhibit \"%s\" "
		    "could not be read (see the error reported for %s)", path,
		    ef->rel);
		ef->csv_line = row->line;
		return -1;
	}
	const char *ds = str_trim(row->f[2]);
	if (ds[0] && time_parse(ds, &date, &why) != 0) {
		diag_error(r->dl, st->rel, row->line, "date", "\"%s\": %s", ds,
		    why);
		bad = 1;
	}
	if (strchr(row->f[1], '\n')) {
		diag_error(r->dl, st->rel, row->line, "title", "the title must "
		    "be on one line");
		bad = 1;
	}
	if (bad)
		return -1;
	ef->csv_line = row->line;
	add_exhibit(r, ef, str_trim(row->f[1]), date, str_trim(row->f[3]),
	    st->file, row->line);
	return 0;
}

void
read_exhibits(struct reader *r, const char *list_full, const char *list_rel,
    int list_file, char **files, const int *file_ids, size_t nfiles)
{
	static const char *const cols[] = { "path", "title", "date", "source" };
	struct ex_state st = { r, list_rel, list_file, NULL, nfiles };

	st.files = xcalloc(nfiles ? nfiles : 1, sizeof(*st.files));
	for (size_t i = 0; i < nfiles; i++) {
		struct ex_file *ef = &st.files[i];
		const char *why;
		ef->rel = files[i];
		ef->file = file_ids[i];
		ef->real = path_in_case(r->root, files[i], &why);
		if (ef->real == NULL) {
			diag_error(r->dl, files[i], 0, NULL, "%s", why);
			reader_count(r, ef->file, 1, 0, 1, 0);
			continue;
		}
		check_file(r, ef);
		reader_count(r, ef->file, 1, ef->ok, !ef->ok, 0);
		if (!ef->ok) {
			r->bad_real = xreallocarray(r->bad_real, r->nbad + 1,
			    sizeof(char *));
			r->bad_rel = xreallocarray(r->bad_rel, r->nbad + 1,
			    sizeof(char *));
			r->bad_real[r->nbad] = xstrdup(ef->real);
			r->bad_rel[r->nbad] = xstrdup(ef->rel);
			r->nbad++;
		}
	}
	if (list_full) {
		struct csv_spec sp = { list_rel, cols, 4, r->lim, r->dl, on_row,
			&st };
		struct csv_counts cnt = { 0, 0, 0, 0 };
		csv_read_file(list_full, &sp, &cnt);
		reader_count_csv(r, list_file, &cnt);
	}
	for (size_t i = 0; i < nfiles; i++) {
		struct ex_file *ef = &st.files[i];
		if (ef->ok && ef->csv_line == 0)
			add_exhibit(r, ef, NULL, 0, NULL, ef->file, 0);
	}
	for (size_t i = 0; i < nfiles; i++) {
		free(st.files[i].real);
		free(st.files[i].boxes);
	}
	free(st.files);
}
