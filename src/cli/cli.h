/* cli.h - the commands of the dossier tool and what they share. */
#ifndef DOSSIER_CLI_H
#define DOSSIER_CLI_H

#include <sqlite3.h>
#include <stdio.h>

#include "model.h"
#include "util/diag.h"

void cli_usage(FILE *out);
int cli_is_help(const char *arg);

/* The per-file table of records read, accepted, rejected, skipped. */
void cli_print_counts(const struct case_model *m, const struct diag_list *dl,
    FILE *out);

/* Read a case folder with the default limits. */
int cli_read_case(const char *root, struct case_model *m, struct diag_list *dl);

/*
 * An import into an evidence store that starts while the case is read:
 * the monitoring events go into the store as they are parsed, on the
 * thread that would otherwise wait for the parse (read_case_sink). Set
 * db (an open store) or path (a file store, written as store_save_file
 * does), then call cli_read_case_stored instead of cli_read_case, and
 * end with exactly one of cli_store_commit (which writes the rest and
 * commits) or cli_store_abort (nothing is kept). files, if not NULL, is
 * read_sink's files callback (read.h). The store transaction
 * begins with the first event, after the case folder has been listed,
 * so a file store inside the case folder is not seen as an input.
 */
struct cli_store {
	sqlite3 *db;
	const char *path;
	struct store_writer *w;	/* begun, or NULL */
	int tried;		/* a begin was tried */
	void (*files)(const struct case_model *, void *);
	void *files_arg;
};
int cli_read_case_stored(const char *root, struct case_model *m,
    struct diag_list *dl, struct cli_store *cs,
    void (*files)(const struct case_model *, void *), void *files_arg);
int cli_store_commit(struct cli_store *cs, const struct case_model *m,
    const struct diag_list *dl, char **err);
void cli_store_abort(struct cli_store *cs);

/*
 * Load a case for a command that needs it whole: arg is a case folder
 * (read, checked, passed through an in-memory store) or a store file
 * written by `dossier import --db`. Any error in the input stops here,
 * after printing every diagnostic. Returns 0 or -1.
 */
int cli_load(const char *arg, struct case_model *m, struct diag_list *dl,
    int quiet);

/*
 * cli_load, calling files_known(model, arg) as soon as the input files
 * are listed and hashed: for a case folder, once its logs are parsed,
 * while the events are still going into the store (only model->root
 * and model->files are complete then, and the case may yet have
 * errors: see read_sink in read.h); for a store
 * file, once it is read. The model is only valid during the call.
 * `build` starts its attachment thread there, so that the second core
 * reads, hashes and compresses the inputs once the monitoring log is
 * parsed, while the events are still going into the store.
 */
int cli_load_then(const char *arg, struct case_model *m, struct diag_list *dl,
    int quiet, void (*files_known)(const struct case_model *, void *),
    void *files_known_arg);

int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_availability(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_specimen(int argc, char **argv);
int cmd_packs(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* The dossier's date: SOURCE_DATE_EPOCH, else the newest date in the case. */
int64_t cli_build_date(const struct case_model *m);
int64_t cli_case_date(const struct case_model *m);
/* 1 if writing to out would overwrite one of the case's input files. */
int cli_output_is_input(const struct case_model *m, const char *out);

#endif
