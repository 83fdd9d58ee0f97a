/*
 * read_events.c - the Nagios events read back from the store, on two
 * connections when there are many (read_events.h).
 */
#include "store/read_events.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/strpool.h"
#include "util/xalloc.h"

/* Rows per block: one statement run each, few enough to cost nothing
 * (a million events make 123 blocks), small enough that the two readers
 * end within a few milliseconds of each other. */
#define EVENT_BLOCK 8192
/* Below this, one connection reads them all: a second one (and, in
 * memory, the copy of the database) would cost about what it saves. */
#define SPLIT_MIN 50000

/* -1 for no name is made by SQLite (two calls fewer a row). */
#define EVENT_COLUMNS "seq, at, kind, ifnull(host, -1), " \
	"ifnull(check_id, -1), state, hard, attempt, downtime, output, " \
	"prov_file, prov_line FROM nagios_event"

struct event_reader {
	struct nagios_event *ev;	/* the model's array, n long */
	size_t n;
	/* seq is 0 .. n-1, so block b is rows [b * EVENT_BLOCK, ...) at
	 * those indices; otherwise one scan reads them in seq order. */
	int contiguous;
	pthread_mutex_t lock;
	size_t next, end;	/* blocks [next, end) not taken yet */
	/* The second connection, its thread, its outputs, its error. */
	sqlite3 *db2;
	int started;
	pthread_t thread;
	struct strpool pool;
	char *err;
};

/* The next block from the start, or from the end; 0 when none is left. */
static int take_block(struct event_reader *er, int from_end, size_t *b)
{
	pthread_mutex_lock(&er->lock);
	int got = er->next < er->end;
	if (got)
		*b = from_end ? --er->end : er->next++;
	pthread_mutex_unlock(&er->lock);
	return got;
}

/* One row into e; its output copied into pool. */
static void take_row(sqlite3_stmt *st, struct nagios_event *e,
    struct strpool *pool)
{
	e->time = sqlite3_column_int64(st, 1);
	e->kind = (enum nagios_kind)sqlite3_column_int(st, 2);
	e->host = sqlite3_column_int(st, 3);
	e->check = sqlite3_column_int(st, 4);
	e->state = (enum nagios_state)sqlite3_column_int(st, 5);
	e->hard = sqlite3_column_int(st, 6);
	e->attempt = sqlite3_column_int(st, 7);
	e->downtime = (enum downtime_action)sqlite3_column_int(st, 8);
	const char *t = (const char *)sqlite3_column_text(st, 9);
	if (t)
		e->output = strpool_dupn(pool, t,
		    (size_t)sqlite3_column_bytes(st, 9));
	e->prov.file = sqlite3_column_int(st, 10);
	e->prov.line = (long)sqlite3_column_int64(st, 11);
}

/* Block b with st (EVENT_COLUMNS for a range of seq): 0, -1 when a step
 * fails, -2 when a row is not where its seq says. */
static int read_block(struct event_reader *er, sqlite3_stmt *st, size_t b,
    struct strpool *pool)
{
	size_t from = b * EVENT_BLOCK;
	size_t to = from + EVENT_BLOCK < er->n ? from + EVENT_BLOCK : er->n;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	size_t i = from;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (i >= to || sqlite3_column_int64(st, 0) != (sqlite3_int64)i)
			return -2;
		take_row(st, &er->ev[i++], pool);
	}
	return rc != SQLITE_DONE ? -1 : i == to ? 0 : -2;
}

static sqlite3_stmt *block_statement(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT " EVENT_COLUMNS " WHERE seq >= ?1 "
	    "AND seq < ?2 ORDER BY seq", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* What went wrong with a block (read_block's rc) on db. */
static const char *block_error(sqlite3 *db, int rc)
{
	return rc == -2 ? "the events' rows do not follow their sequence "
	    "numbers" : sqlite3_errmsg(db);
}

/* The second connection's thread: blocks from the end. */
static void *second_reader(void *arg)
{
	struct event_reader *er = arg;
	sqlite3_stmt *st = block_statement(er->db2);
	if (st == NULL)
		return NULL;	/* the first connection reads them all */
	size_t b;
	while (take_block(er, 1, &b)) {
		int rc = read_block(er, st, b, &er->pool);
		if (rc != 0) {
			er->err = xstrdup(block_error(er->db2, rc));
			break;
		}
	}
	sqlite3_finalize(st);
	return NULL;
}

/*
 * A second connection to db's main database, read-only: the same file,
 * or a copy of an in-memory database (its serialization, which the copy
 * frees when closed). NULL if none can be made: then one reads all.
 */
static sqlite3 *second_connection(sqlite3 *db)
{
	sqlite3 *copy = NULL;
	const char *path = sqlite3_db_filename(db, "main");
	if (path && *path) {
		if (sqlite3_open_v2(path, &copy, SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK)
			return copy;
		sqlite3_close(copy);
		return NULL;
	}
	sqlite3_int64 size = 0;
	unsigned char *image = sqlite3_serialize(db, "main", &size, 0);
	if (image == NULL)
		return NULL;
	if (sqlite3_open_v2(":memory:", &copy, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_free(image);
		sqlite3_close(copy);
		return NULL;
	}
	/* On failure too, FREEONCLOSE has sqlite3_free(image) called. */
	if (sqlite3_deserialize(copy, "main", image, size, size,
	    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
	    SQLITE_OK) {
		sqlite3_close(copy);
		return NULL;
	}
	return copy;
}

struct event_reader *events_begin(sqlite3 *db, struct case_model *m)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT count(*), ifnull(min(seq), 0), "
	    "ifnull(max(seq), -1) FROM nagios_event", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_int64 n = sqlite3_column_int64(st, 0);
	sqlite3_int64 lo = sqlite3_column_int64(st, 1);
	sqlite3_int64 hi = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	struct event_reader *er = xcalloc(1, sizeof *er);
	er->n = (size_t)n;
	m->events = er->ev = xcalloc(er->n, sizeof *m->events);
	pthread_mutex_init(&er->lock, NULL);
	strpool_init(&er->pool, 1u << 20);
	er->contiguous = lo == 0 && hi == n - 1;
	if (er->contiguous)
		er->end = (er->n + EVENT_BLOCK - 1) / EVENT_BLOCK;
	if (er->contiguous && er->n >= SPLIT_MIN &&
	    (er->db2 = second_connection(db)) != NULL) {
		er->started = pthread_create(&er->thread, NULL, second_reader,
		    er) == 0;
		if (!er->started) {
			sqlite3_close(er->db2);
			er->db2 = NULL;
		}
	}
	return er;
}

/* What the store holds when seq is not 0 .. n-1: one scan in its order,
 * as many rows as were counted. */
static int read_in_order(struct event_reader *er, sqlite3 *db,
    struct case_model *m)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT " EVENT_COLUMNS " ORDER BY seq", -1,
	    &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -1;
	}
	size_t i = 0;
	while (i < er->n && sqlite3_step(st) == SQLITE_ROW)
		take_row(st, &er->ev[i++], &m->event_text);
	sqlite3_finalize(st);
	return i == er->n ? 0 : -1;
}

int events_end(struct event_reader *er, sqlite3 *db, struct case_model *m,
    int ok, char **err)
{
	int rc = 0;
	if (ok && !er->contiguous)
		rc = read_in_order(er, db, m);
	else if (ok) {
		sqlite3_stmt *st = block_statement(db);
		size_t b;
		rc = st ? 0 : -1;
		while (rc == 0 && take_block(er, 0, &b))
			rc = read_block(er, st, b, &m->event_text);
		sqlite3_finalize(st);
	}
	if (rc != 0 || !ok) {
		/* The thread takes no more blocks. */
		pthread_mutex_lock(&er->lock);
		er->end = er->next;
		pthread_mutex_unlock(&er->lock);
	}
	if (rc != 0)
		*err = xasprintf("evidence store: cannot read the case back: "
		    "%s", block_error(db, rc));
	if (er->started)
		pthread_join(er->thread, NULL);
	if (ok && rc == 0 && er->err) {
		*err = xasprintf("evidence store: cannot read the case back: "
		    "%s", er->err);
		rc = -1;
	}
	sqlite3_close(er->db2);
	/* The thread's outputs are the model's now, whatever happened. */
	strpool_adopt(&m->event_text, &er->pool);
	m->nevents = ok && rc == 0 ? er->n : 0;
	pthread_mutex_destroy(&er->lock);
	free(er->err);
	free(er);
	return rc;
}
