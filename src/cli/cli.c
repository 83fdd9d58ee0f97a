/* cli.c - the help text and helpers shared by the commands. */
#include "cli/cli.h"
#include "read/read.h"
#include "store/store.h"
#include "util/progress.h"
#include "util/stats.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
cli_usage(FILE *out)
{
	fputs(
"usage: dossier COMMAND [ARGS]\n"
"\n"
"Turn a case folder (complaints, timeline, monitoring logs, exhibits) into a\n"
"court-ready evidence dossier. The case folder format is described in\n"
"docs/case-format.md and dossier(5).\n"
"\n"
"Commands:\n"
"  check CASE              validate the case folder; print every problem as\n"
"                          file:line:field: message, then the records read,\n"
"                          accepted and rejected per file. Exit 0 only when\n"
"                          nothing was rejected.\n"
"  import CASE [--db FILE] [--keep-going] [--stats]\n"
"                          read the case into a SQLite evidence store, in one\n"
"                          transaction (FILE is written atomically; without\n"
"                          --db the store is in memory and only checked).\n"
"                          Refuses to write when a record was rejected, unless\n"
"                          --keep-going (rejections are then stored too).\n"
"                          --stats prints the seconds per stage and the peak\n"
"                          memory on stderr (\"stat: STAGE SECONDS\" lines;\n"
"                          the monitoring events are stored while the log is\n"
"                          parsed, so their storing counts under read).\n"
"  availability CASE [--format text|csv|json] [--service ID]\n"
"                  [--customer ID] [--include-soft] [--no-hosts] [--stats]\n"
"                          availability per service, customer and host as\n"
"                          the monitoring logs prove it (HARD states only\n"
"                          unless --include-soft), against the promised SLA,\n"
"                          with the method used. CASE may also be a store\n"
"                          written by import --db.\n"
"  build CASE -o FILE.pdf [--outage-threshold MIN] [--include-soft]\n"
"                  [--no-attachments] [--stats]\n"
"                          write the master dossier: cover, contents, list of\n"
"                          exhibits, chronology (outages longer than MIN\n"
"                          minutes, default 30), availability report,\n"
"                          complaints by customer, exhibits, index, manifest.\n"
"                          Same case, same bytes: dates come from\n"
"                          SOURCE_DATE_EPOCH or else the newest date in the\n"
"                          case. FILE is written atomically. Every input\n"
"                          file is attached to the PDF with a manifest of\n"
"                          SHA-256 digests, unless --no-attachments (court\n"
"                          systems such as US CM/ECF refuse attachments).\n"
"  packs CASE -o DIR [-j N] [--customer ID ...] [--password-file FILE]\n"
"                          one PDF per customer (DIR/ID.pdf), holding only\n"
"                          that customer's complaints, the availability of\n"
"                          their services, the chronology of those services,\n"
"                          their exhibits (numbered as in the master dossier)\n"
"                          and the manifest; other customers' names, e-mails\n"
"                          and contracts are withheld. -j: processes (default:\n"
"                          the number of cores). --password-file: lines\n"
"                          \"ID PASSWORD\"; each pack is encrypted with AES-256\n"
"                          (encrypted packs are not byte-reproducible).\n"
"  verify FILE.pdf [CASE]  recompute the SHA-256 of the attached inputs (or\n"
"                          of the files of CASE) and check them against the\n"
"                          dossier's manifest and metadata; print OK or each\n"
"                          mismatch. Exit 1 on any mismatch.\n"
"  specimen -o FILE.pdf [--lang fr|en] [--paper a4|letter]\n"
"                          a specimen of every block type, to check the\n"
"                          typesetting.\n"
"\n"
"Options for every command:\n"
"  -q, --quiet             print only errors (and no progress line: import,\n"
"                          build and packs keep one on stderr when it is a\n"
"                          terminal)\n"
"  -h, --help              this help\n"
"  --version               the version\n"
"\n"
"Environment: SOURCE_DATE_EPOCH (see build); DOSSIER_FONTS, the Liberation\n"
"fonts' folder; DOSSIER_LAYOUT_THREADS, the threads that lay out a document\n"
"of more than some 350 pages (default: the cores, at most 4; 1: one thread;\n"
"the same bytes either way); DOSSIER_COMPOSE_THREADS, 1 or 2 threads to\n"
"compose the master dossier (default: two from 50 complaints on, on a\n"
"machine of two cores or more; the same bytes either way);\n"
"DOSSIER_FREE_AT_EXIT=1, build frees the PDF library's objects before\n"
"exiting, for leak checkers (by default the exit takes them back).\n"
"\n"
"Exit status: 0 success; 1 the input has errors (records rejected);\n"
"2 usage error or the case cannot be read at all.\n", out);
}

int
cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

void
cli_print_counts(const struct case_model *m, const struct diag_list *dl,
    FILE *out)
{
	long r = 0, a = 0, j = 0, s = 0;
	size_t w = 4;

	for (size_t i = 0; i < m->nfiles; i++)
		if (strlen(m->files[i].path) > w)
			w = strlen(m->files[i].path);
	fprintf(out, "%-*s %9s %9s %9s %9s\n", (int)w, "file", "read",
	    "accepted", "rejected", "skipped");
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct source_file *f = &m->files[i];
		if (f->kind == FILE_EXHIBIT)
			continue;	/* one line for all exhibits below */
		fprintf(out, "%-*s %9ld %9ld %9ld %9ld\n", (int)w, f->path,
		    f->read, f->accepted, f->rejected, f->skipped);
		r += f->read;
		a += f->accepted;
		j += f->rejected;
		s += f->skipped;
	}
	long er = 0, ea = 0, ej = 0;
	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].kind == FILE_EXHIBIT) {
			er += m->files[i].read;
			ea += m->files[i].accepted;
			ej += m->files[i].rejected;
		}
	if (er) {
		fprintf(out, "%-*s %9ld %9ld %9ld %9d\n", (int)w,
		    "exhibits/ (files)", er, ea, ej, 0);
		r += er;
		a += ea;
		j += ej;
	}
	fprintf(out, "%-*s %9ld %9ld %9ld %9ld\n", (int)w, "total", r, a, j, s);
	fprintf(out, "%zu complaints, %zu timeline events, %zu exhibits, "
	    "%zu outage intervals, %zu monitoring events; %zu errors, "
	    "%zu warnings\n", m->ncomplaints, m->ntimeline, m->nexhibits,
	    m->noutages, m->nevents, dl->errors, dl->warnings);
}

int
cli_read_case(const char *root, struct case_model *m, struct diag_list *dl)
{
	struct read_limits lim;

	read_limits_default(&lim);
	return read_case(root, &lim, m, dl);
}

/* Begin cs's store writer, in its file or its open store. */
static int
cli_store_begin(struct cli_store *cs, char **err)
{
	return cs->path ? store_begin_file(cs->path, &cs->w, err) :
	    store_begin(cs->db, &cs->w, err);
}

/* read_case_sink's sink: begin the store with the first event (see
 * cli.h), then add them. A begin that fails is tried again, and then
 * reported, by cli_store_commit. */
static void
store_events(const struct nagios_event *ev, size_t first, size_t n,
    void *arg)
{
	struct cli_store *cs = arg;
	if (!cs->tried) {
		char *err = NULL;
		cs->tried = 1;
		if (cli_store_begin(cs, &err) != 0)
			free(err);
	}
	if (cs->w)
		store_add_events(cs->w, ev, first, n);
}

/* read_case_sink's files callback: the caller's, through cs. */
static void
store_files(const struct case_model *m, void *arg)
{
	struct cli_store *cs = arg;
	cs->files(m, cs->files_arg);
}

int
cli_read_case_stored(const char *root, struct case_model *m,
    struct diag_list *dl, struct cli_store *cs,
    void (*files)(const struct case_model *, void *), void *files_arg)
{
	struct read_limits lim;
	struct read_sink sink = { store_events, NULL, cs };

	read_limits_default(&lim);
	cs->w = NULL;
	cs->tried = 0;
	cs->files = files;
	cs->files_arg = files_arg;
	if (files)
		sink.files = store_files;
	return read_case_sink(root, &lim, m, dl, &sink);
}

int
cli_store_commit(struct cli_store *cs, const struct case_model *m,
    const struct diag_list *dl, char **err)
{
	if (cs->w == NULL && cli_store_begin(cs, err) != 0)
		return -1;
	int rc = store_commit(cs->w, m, dl, err);
	cs->w = NULL;
	return rc;
}

void
cli_store_abort(struct cli_store *cs)
{
	store_abort(cs->w);
	cs->w = NULL;
}

int
cli_load(const char *arg, struct case_model *m, struct diag_list *dl,
    int quiet)
{
	return cli_load_then(arg, m, dl, quiet, NULL, NULL);
}

int
cli_load_then(const char *arg, struct case_model *m, struct diag_list *dl,
    int quiet, void (*files_known)(const struct case_model *, void *),
    void *files_known_arg)
{
	struct stat st;
	char *err = NULL;
	sqlite3 *db;

	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		/* A stored case made by `dossier import --db FILE`. */
		if (store_open(arg, 0, &db, &err) != 0 ||
		    store_read(db, m, &err) != 0) {
			progress_done();
			fprintf(stderr, "dossier: %s\n", err);
			free(err);
			return -1;
		}
		store_close(db);
		stats_lap("store");
		if (files_known)
			files_known(m, files_known_arg);
		return 0;
	}
	/* Data flows forward through the store, as in a stored import:
	 * the monitoring events go in while the case is read. */
	if (store_open(NULL, 1, &db, &err) != 0) {
		progress_done();
		fprintf(stderr, "dossier: %s\n", err);
		free(err);
		return -1;
	}
	struct cli_store cs = { .db = db };
	struct case_model raw;
	model_init(&raw);
	if (cli_read_case_stored(arg, &raw, dl, &cs, files_known,
	    files_known_arg) != 0) {
		cli_store_abort(&cs);
		store_close(db);
		diag_sort(dl);
		diag_print(dl, stderr);
		model_free(&raw);
		return -1;
	}
	stats_lap("read");
	if (dl->errors) {
		cli_store_abort(&cs);
		store_close(db);
		diag_sort(dl);
		diag_print(dl, stderr);
		cli_print_counts(&raw, dl, stderr);
		fprintf(stderr, "dossier: %s: %zu error(s); run `dossier check "
		    "%s` and correct the case folder\n", arg, dl->errors, arg);
		model_free(&raw);
		return -1;
	}
	if (!quiet && dl->warnings) {
		diag_sort(dl);
		diag_print(dl, stderr);
	}
	/* The raw model is freed before the store is read back, so the two
	 * are never in memory together. */
	int rc = cli_store_commit(&cs, &raw, dl, &err);
	model_free(&raw);
	if (rc == 0)
		rc = store_read(db, m, &err);
	if (rc != 0) {
		progress_done();
		fprintf(stderr, "dossier: %s\n", err);
		free(err);
		store_close(db);
		return -1;
	}
	store_close(db);
	stats_lap("store");
	return 0;
}
