/* read_outages.c - outages/ *.csv: intervals when a service was down. */
#include "read/read_int.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { O_SERVICE, O_START, O_END, O_CAUSE, O_NCOLS };

static const char *const cols[O_NCOLS] = { "service", "start", "end",
	"cause" };

struct ostate {
	struct reader *r;
	const char *rel;
	int file;
};

static int
on_row(void *ctx, const struct csv_row *row)
{
	struct ostate *st = ctx;
	struct reader *r = st->r;
	const char *why, *rel = st->rel;
	int64_t start = 0, end = 0;
	int bad = 0;

	for (int i = 0; i < O_NCOLS; i++)
		str_trim(row->f[i]);
	if (model_service(r->m, row->f[O_SERVICE]) < 0) {
		diag_error(r->dl, rel, row->line, cols[O_SERVICE], row->f[0][0] ?
		    "service \"%s\" is not declared in case.ini [services]" :
		    "a service is required%s", row->f[O_SERVICE]);
		bad = 1;
	}
	if (time_parse(row->f[O_START], &start, &why) != 0) {
		diag_error(r->dl, rel, row->line, cols[O_START], "\"%s\": %s",
		    row->f[O_START], why);
		bad = 1;
	}
	if (time_parse(row->f[O_END], &end, &why) != 0) {
		diag_error(r->dl, rel, row->line, cols[O_END], "\"%s\": %s",
		    row->f[O_END], why);
		bad = 1;
	}
	if (!bad && end <= start) {
		diag_error(r->dl, rel, row->line, cols[O_END], "the outage ends "
		    "(%s) before or when it starts (%s)", row->f[O_END],
		    row->f[O_START]);
		bad = 1;
	}
	if (bad)
		return -1;
	struct case_model *m = r->m;
	m->outages = xreallocarray(m->outages, m->noutages + 1,
	    sizeof(*m->outages));
	struct outage *o = &m->outages[m->noutages++];
	o->service_id = xstrdup(row->f[O_SERVICE]);
	o->start = start;
	o->end = end;
	o->cause = xstrdup(row->f[O_CAUSE]);
	o->prov.file = st->file;
	o->prov.line = row->line;
	return 0;
}

void
read_outages_csv(struct reader *r, const char *full, const char *rel, int file)
{
	struct ostate st = { r, rel, file };
	struct csv_spec sp = { rel, cols, O_NCOLS, r->lim, r->dl, on_row, &st };
	struct csv_counts cnt = { 0, 0, 0, 0 };
	csv_read_file(full, &sp, &cnt);
	reader_count_csv(r, file, &cnt);
}
