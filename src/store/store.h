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
