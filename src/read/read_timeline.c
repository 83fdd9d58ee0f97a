/* read_timeline.c - timeline.csv, the events of the case. */
#include "read/read_int.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { T_WHEN, T_TITLE, T_DETAIL, T_SOURCE, T_EXHIBITS, T_NCOLS };

static const char *const cols[T_NCOLS] = { "when", "title", "detail",
	"source", "exhibits" };

struct tstate {
	struct reader *r;
	const char *rel;
	int file;
};

static int
on_row(void *ctx, const struct csv_row *row)
{
	struct tstate *st = ctx;
	struct reader *r = st->r;
	const char *why;
	struct timeline_event e;
	int bad = 0;

	memset(&e, 0, sizeof(e));
	for (int i = 0; i < T_NCOLS; i++)
		str_trim(row->f[i]);
	if (time_parse(row->f[T_WHEN], &e.when, &why) != 0) {
		diag_error(r->dl, st->rel, row->line, cols[T_WHEN], "\"%s\": %s",
		    row->f[T_WHEN], why);
		bad = 1;
	}
	if (row->f[T_TITLE][0] == '\0' || strchr(row->f[T_TITLE], '\n')) {
		diag_error(r->dl, st->rel, row->line, cols[T_TITLE],
		    "each event needs a title, on one line");
		bad = 1;
	}
	if (exhibits_resolve(r, st->rel, row->line, cols[T_EXHIBITS],
	    row->f[T_EXHIBITS], &e.exhibits, &e.nexhibits) != 0)
		bad = 1;
	if (bad) {
		free(e.exhibits);
		return -1;
	}
	e.title = xstrdup(row->f[T_TITLE]);
	e.detail = xstrdup(row->f[T_DETAIL]);
	e.source = xstrdup(row->f[T_SOURCE]);
	e.prov.file = st->file;
	e.prov.line = row->line;
	struct case_model *m = r->m;
	m->timeline = xreallocarray(m->timeline, m->ntimeline + 1,
	    sizeof(*m->timeline));
	m->timeline[m->ntimeline++] = e;
	return 0;
}

void
read_timeline(struct reader *r, const char *full, const char *rel, int file)
{
	struct tstate st = { r, rel, file };
	struct csv_spec sp = { rel, cols, T_NCOLS, r->lim, r->dl, on_row, &st };
	struct csv_counts cnt = { 0, 0, 0, 0 };
	csv_read_file(full, &sp, &cnt);
	reader_count_csv(r, file, &cnt);
}
