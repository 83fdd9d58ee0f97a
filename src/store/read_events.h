/*
 * read_events.h - reading the Nagios events back from the store, on two
 * connections when there are many (store_read's part for the events).
 *
 * A build writes the case into the store and reads it back, so that it
 * is made from what was stored. On the large bench case that read-back
 * is a million event rows, 0.7 s with the second core idle: nothing
 * after it can start without the events. So a second connection reads
 * blocks of rows from the end of the table while the first reads them
 * from its start and the other tables, until they meet: to a copy of the
 * in-memory database (sqlite3_serialize, one copy of about 100 MB), or
 * to the same file for a stored case. Neither needs to know how fast
 * the other goes. The events are the same, in the same order.
 */
#ifndef DOSSIER_STORE_READ_EVENTS_H
#define DOSSIER_STORE_READ_EVENTS_H

#include <sqlite3.h>

#include "model.h"

struct event_reader;

/*
 * Size m->events for db's events and, when they are many, start the
 * second connection's thread. NULL when the events cannot be counted
 * (store_read reports db's error).
 */
struct event_reader *events_begin(sqlite3 *db, struct case_model *m);

/*
 * Read the rest of the events into m (blocks from the start on db, the
 * thread's from the end), wait for the thread and free er. ok = 0: only
 * wait and free (store_read failed before). 0, or -1 with *err set.
 */
int events_end(struct event_reader *er, sqlite3 *db, struct case_model *m,
    int ok, char **err);

#endif
