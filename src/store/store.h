/*
 * store.h - the evidence store: a case_model persisted in SQLite.
 *
 * The store stage sits between read and analyze: `dossier import` writes
 * the model with store_write(); later stages get it back with
 * store_read(), so an analysis made from a stored database sees exactly
 * what was imported.
 */
#ifndef DOSSIER_STORE_H
#define DOSSIER_STORE_H

#include <sqlite3.h>

#include "model.h"
#include "util/diag.h"

#define STORE_SCHEMA_VERSION 1

/*
 * Open a store. path NULL gives an in-memory database. An existing file
 * must carry this schema version. Returns 0, or -1 with a malloc'd
 * message in *err.
 */
int store_open(const char *path, int create, sqlite3 **db, char **err);
void store_close(sqlite3 *db);

/* Create the schema and write the whole model (and diagnostics) in one
 * transaction: all or nothing. */
int store_write(sqlite3 *db, const struct case_model *m,
    const struct diag_list *dl, char **err);

/*
 * The same in steps, so that the monitoring events can go in while the
 * case is still being read (read_case_sink): store_begin (or
 * store_begin_file, which fills a temporary file as store_save_file
 * does) starts the transaction; store_add_events writes the events
 * first .. first + n, in order from 0; store_commit writes the events of
 * m not written yet, then every other record, and commits (and renames
 * the file); store_abort rolls everything back (and removes the file).
 * Commit and abort free the writer. A failed store_add_events is
 * reported by store_commit.
 */
struct store_writer;
int store_begin(sqlite3 *db, struct store_writer **w, char **err);
int store_begin_file(const char *path, struct store_writer **w, char **err);
void store_add_events(struct store_writer *w, const struct nagios_event *ev,
    size_t first, size_t n);
int store_commit(struct store_writer *w, const struct case_model *m,
    const struct diag_list *dl, char **err);
void store_abort(struct store_writer *w);

/* Load a stored case back into m (freshly model_init'ed). */
int store_read(sqlite3 *db, struct case_model *m, char **err);

/*
 * Write the model to a new database file at path, atomically: a
 * temporary file beside it is filled, then renamed over path. On failure
 * no file is left behind and any previous file at path is intact.
 */
int store_save_file(const char *path, const struct case_model *m,
    const struct diag_list *dl, char **err);

#endif
