/* cmd_import.c - `dossier import CASE [--db FILE]`: fill the evidence store. */
#include "cli/cli.h"
#include "store/store.h"
#include "util/progress.h"
#include "util/stats.h"

#include <stdlib.h>
#include <string.h>

int
cmd_import(int argc, char **argv)
{
	const char *root = NULL, *dbpath = NULL;
	int quiet = 0, keep_going = 0, stats = 0;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--db")) {
			if (++i == argc) {
				fprintf(stderr, "dossier import: --db needs a "
				    "file name\n");
				return 2;
			}
			dbpath = argv[i];
		} else if (!strncmp(argv[i], "--db=", 5))
			dbpath = argv[i] + 5;
		else if (!strcmp(argv[i], "--keep-going"))
			keep_going = 1;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "--stats"))
			stats = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "dossier import: unknown option '%s'\n",
			    argv[i]);
			return 2;
		} else if (root == NULL)
			root = argv[i];
		else {
			fprintf(stderr, "dossier import: one case folder only\n");
			return 2;
		}
	}
	if (root == NULL) {
		fprintf(stderr, "usage: dossier import CASE [--db FILE]\n");
		return 2;
	}

	struct case_model m;
	struct diag_list dl;
	char *err = NULL;
	int status = 0;
	stats_enable(stats);
	stats_begin();
	progress_enable(quiet);
	progress_update("reading the case", 0, 0, "");
	model_init(&m);
	diag_init(&dl);
	/* The monitoring events go into the store while the case is read
	 * (cli.h); a store that cannot be made is reported after the read,
	 * by cli_store_commit, as if nothing had been tried before. */
	sqlite3 *memdb = NULL;
	struct cli_store cs = { .path = dbpath };
	if (dbpath == NULL && store_open(NULL, 1, &memdb, &err) != 0) {
		fprintf(stderr, "dossier import: %s\n", err);
		free(err);
		status = 2;
		goto out;
	}
	cs.db = memdb;
	int read_rc = cli_read_case_stored(root, &m, &dl, &cs, NULL, NULL);
	progress_done();	/* before any message */
	if (read_rc != 0) {
		diag_sort(&dl);
		diag_print(&dl, stderr);
		status = 2;
		goto out;
	}
	stats_lap("read");
	if (dbpath && cli_output_is_input(&m, dbpath)) {
		fprintf(stderr, "dossier import: %s is one of the case's input "
		    "files; choose another --db\n", dbpath);
		status = 2;
		goto out;
	}
	diag_sort(&dl);
	if (!quiet || dl.errors)
		diag_print(&dl, stderr);
	if (dl.errors && !keep_going) {
		cli_print_counts(&m, &dl, stderr);
		fprintf(stderr, "dossier import: %zu error(s): nothing written "
		    "(correct the case, or use --keep-going to store the "
		    "accepted records and the list of rejections)\n", dl.errors);
		status = 1;
		goto out;
	}
	if (cli_store_commit(&cs, &m, &dl, &err) != 0) {
		fprintf(stderr, "dossier import: %s\n", err);
		free(err);
		status = 2;
		goto out;
	}
	stats_lap("store");
	if (!quiet) {
		cli_print_counts(&m, &dl, stdout);
		printf("imported %s into %s\n", root,
		    dbpath ? dbpath : "an in-memory store (use --db FILE to keep it)");
	}
	status = dl.errors ? 1 : 0;
out:
	cli_store_abort(&cs);	/* when not committed: nothing is kept */
	if (memdb)
		store_close(memdb);
	stats_print(stderr);
	model_free(&m);
	diag_free(&dl);
	return status;
}
