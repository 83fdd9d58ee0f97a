/*
 * cmd_build.c - `dossier build CASE -o FILE.pdf`: the master dossier.
 *
 * The pipeline end to end: read (or open a stored case), analyze,
 * compose, lay out, render, finish. The output is written beside its
 * target under a temporary name and renamed only when complete.
 */
#include "analyze/availability.h"
#include "cli/cli.h"
#include "compose/compose.h"
#include "render/attach.h"
#include "finish/verify.h"
#include "util/sha256.h"
#include "render/render.h"
#include "util/cleanup.h"
#include "util/path.h"
#include "util/progress.h"
#include "util/stats.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The newest instant the case mentions: the default date of the
 * dossier, so that the same case gives the same bytes on any day. */
int64_t
cli_case_date(const struct case_model *m)
{
	int64_t t = 0;
	for (size_t i = 0; i < m->ncomplaints; i++)
		if (m->complaints[i].received > t)
			t = m->complaints[i].received;
	for (size_t i = 0; i < m->ntimeline; i++)
		if (m->timeline[i].when > t)
			t = m->timeline[i].when;
	for (size_t i = 0; i < m->nexhibits; i++)
		if (m->exhibits[i].date > t)
			t = m->exhibits[i].date;
	if (t == 0)
		t = m->info.period_end;
	return t;
}

/* SOURCE_DATE_EPOCH when set (and valid), else the case's newest date. */
int64_t
cli_build_date(const struct case_model *m)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			return (int64_t)v;
		fprintf(stderr, "dossier: SOURCE_DATE_EPOCH=\"%s\" is not a "
		    "number of seconds; using the newest date in the case\n", s);
	}
	return cli_case_date(m);
}

/*
 * Refuse an output that would overwrite one of the case's input files
 * (a slip of the finger must not destroy evidence).
 */
int
cli_output_is_input(const struct case_model *m, const char *out)
{
	char real_out[PATH_MAX], real_in[PATH_MAX];
	if (realpath(out, real_out) == NULL)
		return 0;	/* does not exist yet: cannot be an input */
	for (size_t i = 0; i < m->nfiles; i++) {
		char *full = path_join(m->root, m->files[i].path);
		int same = realpath(full, real_in) != NULL &&
		    strcmp(real_in, real_out) == 0;
		free(full);
		if (same)
			return 1;
	}
	return 0;
}

/* MIME type of an input file, from what the reader found it to be. */
static const char *
mime_type(const struct case_model *m, int file)
{
	switch (m->files[file].kind) {
	case FILE_COMPLAINTS:
	case FILE_TIMELINE:
	case FILE_EXHIBITS_CSV:
	case FILE_OUTAGE_CSV:
		return "text/csv";
	case FILE_CASE_INI:
	case FILE_NAGIOS_LOG:
		return "text/plain";
	default:
		break;
	}
	for (size_t i = 0; i < m->nexhibits; i++)
		if (m->exhibits[i].file == file)
			switch (m->exhibits[i].type) {
			case EXHIBIT_PNG:
				return "image/png";
			case EXHIBIT_JPEG:
				return "image/jpeg";
			case EXHIBIT_PDF:
				return "application/pdf";
			default:
				return "text/plain";
			}
	return "application/octet-stream";
}

/*
 * Start embedding every input file and the manifest (render/attach.h): a
 * thread reads them, checks each still has the digest the manifest gives
 * (the case may have been imported long before) and compresses them while
 * the dossier is composed and drawn.
 */
static struct attach_set *
attachments_start(const struct case_model *m, int64_t date)
{
	size_t n = m->nfiles + 1;
	struct attachment *a = xcalloc(n, sizeof(*a));
	char **full = xcalloc(n, sizeof(char *));
	char **desc = xcalloc(n, sizeof(char *));

	for (size_t i = 0; i < m->nfiles; i++) {
		full[i] = path_join(m->root, m->files[i].path);
		desc[i] = xasprintf("SHA-256 %s", m->files[i].sha256);
		a[i] = (struct attachment){ .path = full[i],
			.name = m->files[i].path,
			.mimetype = mime_type(m, (int)i),
			.description = desc[i],
			.sha256 = m->files[i].sha256 };
	}
	char *manifest = compose_manifest_text(m);
	a[m->nfiles] = (struct attachment){ .name = MANIFEST_NAME,
		.mimetype = "text/plain",
		.description = "SHA-256 of every input file",
		.data = manifest, .len = strlen(manifest) };
	struct attach_set *set = attach_start(a, n, date);
	free(manifest);
	for (size_t i = 0; i < n; i++) {
		free(full[i]);
		free(desc[i]);
	}
	free(full);
	free(desc);
	free(a);
	return set;
}

/*
 * cli_load_then's callback: once the input files are hashed and the
 * monitoring log parsed, start embedding them (attachments_start) on the
 * second core, which is idle from then on while the events still go
 * into the store. The attachment list copies what it needs from the
 * model (only its files are complete: the date is set once the case is
 * loaded). If the case turns out to have errors, the work is dropped
 * with the set.
 */
struct start_files {
	int wanted;
	struct attach_set *set;
};

static void
start_files(const struct case_model *m, void *arg)
{
	struct start_files *sf = arg;
	if (sf->wanted && !sf->set)
		sf->set = attachments_start(m, 0);
}

int
cmd_build(int argc, char **argv)
{
	const char *root = NULL, *out = NULL;
	int quiet = 0, stats = 0, include_soft = 0, attachments = 1;
	long threshold_min = 30;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strncmp(argv[i], "--output=", 9))
			out = argv[i] + 9;
		else if (!strcmp(argv[i], "--outage-threshold") && i + 1 < argc) {
			char *end;
			threshold_min = strtol(argv[++i], &end, 10);
			if (*end || threshold_min < 0) {
				fprintf(stderr, "dossier build: "
				    "--outage-threshold takes minutes\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--include-soft"))
			include_soft = 1;
		else if (!strcmp(argv[i], "--no-attachments"))
			attachments = 0;
		else if (!strcmp(argv[i], "--stats"))
			stats = 1;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "dossier build: unknown option '%s'\n",
			    argv[i]);
			return 2;
		} else if (root == NULL)
			root = argv[i];
		else {
			fprintf(stderr, "dossier build: one case only\n");
			return 2;
		}
	}
	if (root == NULL || out == NULL) {
		fprintf(stderr, "usage: dossier build CASE -o FILE.pdf\n");
		return 2;
	}

	struct case_model m;
	struct diag_list dl;
	char *err = NULL;
	int status = 0;
	struct avail_report *av = NULL;
	struct doc *d = NULL;
	struct attach_set *files = NULL;
	/*
	 * malloc maps a block of its own for any allocation above a
	 * threshold that it raises, by default, to the size of the largest
	 * such block freed (up to 32 MiB), and lets each heap keep twice
	 * that free at its top. How many heaps keep that much then depends
	 * on which threads overlap: 40 to 60 MB more at the peak, in layout,
	 * on the large bench case (976-992 MB against 929-935 MB). A fixed
	 * threshold of 32 MiB, where the dynamic one ends anyway, keeps the
	 * trim threshold at its default (128 KiB) and the peak steady.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	stats_enable(stats);
	progress_enable(quiet);
	progress_update("reading the case", 0, 0, "");
	stats_begin();
	model_init(&m);
	diag_init(&dl);
	struct start_files sf = { .wanted = attachments };
	int loaded = cli_load_then(root, &m, &dl, quiet, start_files, &sf);
	/* Started once the case was read: freed at done on every path. */
	files = sf.set;
	if (loaded != 0) {
		status = dl.errors ? 1 : 2;
		goto done;
	}
	/* Like packs' -o DIR, the output's folder is made if missing. */
	char *slash = strrchr(out, '/');
	if (slash && slash != out) {
		char *dir = xstrndup(out, (size_t)(slash - out));
		int made = path_mkdirs(dir);
		if (made != 0)
			fprintf(stderr, "dossier build: cannot create the folder "
			    "%s: %s\n", dir, strerror(errno));
		free(dir);
		if (made != 0) {
			status = 2;
			goto done;
		}
	}
	if (cli_output_is_input(&m, out)) {
		fprintf(stderr, "dossier build: %s is one of the case's input "
		    "files; choose another output\n", out);
		status = 2;
		goto done;
	}
	/* The date the dossier gives, from the case as stored. */
	if (files)
		attach_set_date(files, cli_build_date(&m));
	struct avail_options ao;
	avail_options_init(&ao);
	ao.include_soft = include_soft;
	av = avail_build(&m, &ao, &err);
	if (av == NULL) {
		fprintf(stderr, "dossier build: %s\n", err);
		free(err);
		status = 2;
		goto done;
	}
	stats_lap("analysis");
	progress_update("composing", 0, 0, "");
	char options[128];
	snprintf(options, sizeof(options), "%s; outage threshold %ld min",
	    include_soft ? "SOFT and HARD states" : "HARD states only",
	    threshold_min);
	struct compose_input in = {
		.m = &m, .avail = av, .customer = NULL,
		.outage_threshold = threshold_min * 60,
		.build_options = options, .date = cli_build_date(&m),
	};
	struct diag_list build_dl;
	diag_init(&build_dl);
	d = compose_dossier(&in, &build_dl);
	/*
	 * All the dossier says is in the document tree now (doc.c copies
	 * every text it is given, and the attachment thread its own list):
	 * the case and its analysis are freed before layout, the stage that
	 * needs the most memory. On the large bench case that is about
	 * 250 MB: a million Nagios events with their plugin output, and the
	 * per-day availability tables.
	 */
	avail_free(av);
	av = NULL;
	model_free(&m);
	model_init(&m);
	/* What they held is scattered through malloc's heap, which keeps
	 * it: the layout's largest arrays are mapped apart and would not
	 * reuse it. Give it back (about 200 MB on the large bench case). */
	malloc_trim(0);
	stats_lap("compose");
	progress_update("laying out, rendering, finishing", 0, 0, "");
	struct render_stats rs = { 0 };
	/* The whole output is made under a temporary name beside the
	 * target and renamed once complete: a failed or interrupted build
	 * leaves any previous dossier as it was. */
	char *tmp = xasprintf("%s.%ld.build.tmp", out, (long)getpid());
	cleanup_register(tmp);
	if (d)
		doc_attach(d, files);
	/* The process ends with this document: its libharu objects are
	 * left to the exit (render.h), unless a leak checker wants every
	 * block freed. */
	const char *free_all = getenv("DOSSIER_FREE_AT_EXIT");
	render_leave_to_exit(!(free_all && *free_all && strcmp(free_all,
	    "0") != 0));
	int written = d != NULL && !build_dl.errors &&
	    doc_write_pdf(d, tmp, &rs) == 0 && !build_dl.errors &&
	    rename(tmp, out) == 0;
	render_release();	/* no next document to keep libharu for */
	progress_done();	/* erased before any message */
	if (!written) {
		unlink(tmp);
		diag_sort(&build_dl);
		diag_print(&build_dl, stderr);
		fprintf(stderr, "dossier build: %s not written\n", out);
		status = build_dl.errors ? 1 : 2;
	} else {
		stats_add("layout", rs.layout_seconds);
		stats_add("render", rs.render_seconds);
		stats_add("finish", rs.finish_seconds);	/* /ID, attachments */
		stats_count("pages", (long)rs.pages);
		if (!quiet && build_dl.len)
			diag_print(&build_dl, stderr);
		if (!quiet)
			printf("%s: %zu pages\n", out, rs.pages);
	}
	cleanup_unregister(tmp);
	diag_free(&build_dl);
	free(tmp);
done:
	stats_print(stderr);
	if (d)
		doc_free(d);
	attach_free(files);
	avail_free(av);
	model_free(&m);
	diag_free(&dl);
	return status;
}
