/*
 * read_nagios.c - Nagios Core / Icinga compat logs (outages/ *.log).
 *
 * A hand parser, because these logs run to millions of lines: the file is
 * read whole, split at newlines with memchr, and each line is taken apart
 * in place (no regex; each kept event's output copied into the model's
 * pool of event texts, model_event_text).
 *
 *   [EPOCH] KIND: field;field;...;rest
 *
 * The last field of each kind is "the rest of the line", so plugin
 * output may itself contain ';'. Kinds we do not need are counted as
 * skipped; a line of a kind we need that is malformed is rejected.
 */
#include "read/read_int.h"
#include "util/progress.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Last second of 2100-12-31 UTC: instants must lie in 1970..2100. */
#define EPOCH_MAX 4133980799LL

struct kind_def {
	const char *name;
	size_t len;
	enum nagios_kind kind;
	int nfields;		/* fields after "KIND: " */
	const char *form;	/* for messages */
};

#define K(s) s, sizeof(s) - 1
static const struct kind_def kinds[] = {
	{ K("HOST ALERT"), NAGIOS_HOST_ALERT, 5,
	    "host;STATE;HARD|SOFT;attempt;output" },
	{ K("SERVICE ALERT"), NAGIOS_SERVICE_ALERT, 6,
	    "host;service;STATE;HARD|SOFT;attempt;output" },
	{ K("CURRENT HOST STATE"), NAGIOS_HOST_STATE, 5,
	    "host;STATE;HARD|SOFT;attempt;output" },
	{ K("INITIAL HOST STATE"), NAGIOS_HOST_STATE, 5,
	    "host;STATE;HARD|SOFT;attempt;output" },
	{ K("CURRENT SERVICE STATE"), NAGIOS_SERVICE_STATE, 6,
	    "host;service;STATE;HARD|SOFT;attempt;output" },
	{ K("INITIAL SERVICE STATE"), NAGIOS_SERVICE_STATE, 6,
	    "host;service;STATE;HARD|SOFT;attempt;output" },
	{ K("HOST DOWNTIME ALERT"), NAGIOS_HOST_DOWNTIME, 3,
	    "host;STARTED|STOPPED|CANCELLED;comment" },
	{ K("SERVICE DOWNTIME ALERT"), NAGIOS_SERVICE_DOWNTIME, 4,
	    "host;service;STARTED|STOPPED|CANCELLED;comment" },
	{ K("LOG ROTATION"), NAGIOS_LOG_ROTATION, 1, "DAILY|HOURLY|..." },
};
#undef K
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Skipped line kinds, counted for one note per file. */
#define MAX_SKIP_KINDS 16
struct skip_kind {
	char name[48];
	long count;
};

struct nstate {
	struct reader *r;
	const char *rel;
	int file;
	long line;
	struct skip_kind skips[MAX_SKIP_KINDS];
	size_t nskips;
	long read, accepted, rejected, skipped;
};

static int
eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static enum nagios_state
parse_state(const char *s, size_t n, int is_host)
{
	if (is_host) {
		if (eq(s, n, "UP"))
			return STATE_OK;
		if (eq(s, n, "DOWN"))
			return STATE_CRITICAL;
		if (eq(s, n, "UNREACHABLE"))
			return STATE_UNREACHABLE;
	} else {
		if (eq(s, n, "OK"))
			return STATE_OK;
		if (eq(s, n, "WARNING"))
			return STATE_WARNING;
		if (eq(s, n, "CRITICAL"))
			return STATE_CRITICAL;
		if (eq(s, n, "UNKNOWN"))
			return STATE_UNKNOWN;
	}
	return STATE_NONE;
}

static void
count_skip(struct nstate *st, const char *kind, size_t n)
{
	st->skipped++;
	if (n >= sizeof(st->skips[0].name))
		n = sizeof(st->skips[0].name) - 1;
	for (size_t i = 0; i < st->nskips; i++)
		if (strlen(st->skips[i].name) == n &&
		    memcmp(st->skips[i].name, kind, n) == 0) {
			st->skips[i].count++;
			return;
		}
	if (st->nskips < MAX_SKIP_KINDS) {
		memcpy(st->skips[st->nskips].name, kind, n);
		st->skips[st->nskips].name[n] = '\0';
		st->skips[st->nskips++].count = 1;
	}
}

/* Parse the epoch between '[' and ']'; 0 or -1. */
static int
parse_epoch(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;
	if (n == 0 || n > 12)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > EPOCH_MAX)
		return -1;
	*out = v;
	return 0;
}

static void
reject(struct nstate *st, const char *fmt, const char *a, const char *b)
{
	diag_error(st->r->dl, st->rel, st->line, NULL, fmt, a, b);
	st->rejected++;
}

static struct nagios_event *
new_event(struct nstate *st, int64_t t, enum nagios_kind kind)
{
	struct case_model *m = st->r->m;
	struct nagios_event *e = &m->events[m->nevents++];
	e->time = t;
	e->kind = kind;
	e->host = -1;
	e->check = -1;
	e->state = STATE_NONE;
	e->hard = 0;
	e->attempt = 0;
	e->downtime = DOWNTIME_NONE;
	e->output = NULL;
	e->prov.file = st->file;
	e->prov.line = st->line;
	st->accepted++;
	return e;
}

/* A line of a known kind: rest holds the fields after "KIND: ". */
static void
known_line(struct nstate *st, const struct kind_def *kd, int have_epoch,
    int64_t t, char *rest, char *end)
{
	char *f[6];
	size_t fl[6];
	int nf = 0;
	char *p = rest;

	if (!have_epoch) {
		reject(st, "%s line without a valid [timestamp] (seconds since "
		    "1970, up to 2100)%s", kd->name, "");
		return;
	}
	/* Split at most nfields-1 times; the last field is the rest. */
	while (nf < kd->nfields - 1) {
		char *semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			break;
		f[nf] = p;
		fl[nf++] = (size_t)(semi - p);
		p = semi + 1;
	}
	f[nf] = p;
	fl[nf++] = (size_t)(end - p);
	if (nf < kd->nfields) {
		reject(st, "%s line with missing fields (expected %s)",
		    kd->name, kd->form);
		return;
	}
	int is_host = kd->kind == NAGIOS_HOST_ALERT ||
	    kd->kind == NAGIOS_HOST_STATE || kd->kind == NAGIOS_HOST_DOWNTIME;
	int k = 0;
	char *host = NULL, *svc = NULL;
	if (kd->kind != NAGIOS_LOG_ROTATION) {
		host = f[k];
		host[fl[k++]] = '\0';
		if (host[0] == '\0') {
			reject(st, "%s line without a host name%s", kd->name,
			    "");
			return;
		}
		if (!is_host) {
			svc = f[k];
			svc[fl[k++]] = '\0';
			if (svc[0] == '\0') {
				reject(st, "%s line without a service name%s",
				    kd->name, "");
				return;
			}
		}
	}
	struct nagios_event *e;
	switch (kd->kind) {
	case NAGIOS_HOST_ALERT:
	case NAGIOS_SERVICE_ALERT:
	case NAGIOS_HOST_STATE:
	case NAGIOS_SERVICE_STATE: {
		enum nagios_state s = parse_state(f[k], fl[k], is_host);
		if (s == STATE_NONE) {
			f[k][fl[k]] = '\0';
			reject(st, "unknown state \"%s\" (expected %s)", f[k],
			    is_host ? "UP, DOWN or UNREACHABLE" :
			    "OK, WARNING, CRITICAL or UNKNOWN");
			return;
		}
		k++;
		int hard;
		if (eq(f[k], fl[k], "HARD"))
			hard = 1;
		else if (eq(f[k], fl[k], "SOFT"))
			hard = 0;
		else {
			f[k][fl[k]] = '\0';
			reject(st, "state type \"%s\" is neither HARD nor "
			    "SOFT%s", f[k], "");
			return;
		}
		k++;
		long attempt = 0;
		if (fl[k] == 0 || fl[k] > 6) {
			reject(st, "bad attempt number (expected %s)%s",
			    kd->form, "");
			return;
		}
		for (size_t i = 0; i < fl[k]; i++) {
			if (f[k][i] < '0' || f[k][i] > '9') {
				reject(st, "bad attempt number (expected %s)%s",
				    kd->form, "");
				return;
			}
			attempt = attempt * 10 + (f[k][i] - '0');
		}
		k++;
		e = new_event(st, t, kd->kind);
		e->state = s;
		e->hard = hard;
		e->attempt = (int)attempt;
		e->output = model_event_text(st->r->m, f[k], fl[k]);
		break;
	}
	case NAGIOS_HOST_DOWNTIME:
	case NAGIOS_SERVICE_DOWNTIME: {
		enum downtime_action a;
		if (eq(f[k], fl[k], "STARTED"))
			a = DOWNTIME_STARTED;
		else if (eq(f[k], fl[k], "STOPPED"))
			a = DOWNTIME_STOPPED;
		else if (eq(f[k], fl[k], "CANCELLED"))
			a = DOWNTIME_CANCELLED;
		else {
			f[k][fl[k]] = '\0';
			reject(st, "unknown downtime action \"%s\" (expected "
			    "%s)", f[k], "STARTED, STOPPED or CANCELLED");
			return;
		}
		k++;
		char *c = f[k];
		size_t cl = fl[k];
		while (cl > 0 && *c == ' ') {
			c++;
			cl--;
		}
		e = new_event(st, t, kd->kind);
		e->downtime = a;
		e->output = model_event_text(st->r->m, c, cl);
		break;
	}
	default:	/* LOG ROTATION */
		e = new_event(st, t, kd->kind);
		e->output = model_event_text(st->r->m, f[0], fl[0]);
		break;
	}
	if (host)
		e->host = model_intern(st->r->m, host);
	if (svc)
		e->check = model_intern(st->r->m, svc);
}

/* "Nagios 2.0 starting...", "Caught SIGTERM, shutting down...",
 * "Bailing out due to errors..." - only when no "KIND: " comes first. */
static int
program_event(const char *msg, size_t n, enum nagios_kind *kind)
{
	const char *colon = memmem(msg, n, ": ", 2);
	size_t lim = colon ? (size_t)(colon - msg) : n;
	if (memmem(msg, lim, " starting...", 12)) {
		*kind = NAGIOS_PROGRAM_START;
		return 1;
	}
	if (memmem(msg, lim, "shutting down", 13) ||
	    memmem(msg, lim, "Bailing out", 11)) {
		*kind = NAGIOS_PROGRAM_STOP;
		return 1;
	}
	return 0;
}

static void
parse_line(struct nstate *st, char *s, char *end, int check_utf8)
{
	size_t bad;
	int64_t t = 0;
	int have_epoch = 0;
	char *msg = s;

	if (end > s && end[-1] == '\r')
		end--;
	if (end == s)
		return;		/* blank lines are not records */
	st->read++;
	if (check_utf8 && !utf8_valid(s, (size_t)(end - s), &bad)) {
		diag_error(st->r->dl, st->rel, st->line, NULL, "invalid UTF-8 "
		    "text (byte %zu of the line); the line is left out",
		    bad + 1);
		st->rejected++;
		return;
	}
	if ((size_t)(end - s) > st->r->lim->max_line) {
		char lim[32];
		fmt_bytes((long long)st->r->lim->max_line, lim, sizeof(lim));
		diag_error(st->r->dl, st->rel, st->line, NULL, "line is longer "
		    "than the limit of %s; the line is left out", lim);
		st->rejected++;
		return;
	}
	if (*s == '[') {
		char *close = memchr(s, ']', (size_t)(end - s));
		if (close) {
			have_epoch = parse_epoch(s + 1, (size_t)(close - s - 1),
			    &t) == 0;
			msg = close + 1;
			while (msg < end && *msg == ' ')
				msg++;
		}
	}
	/* The kind is what comes before the first ':'. Without a valid
	 * [timestamp] the kind may follow other text: "1113 HOST ALERT:". */
	char *colon = memchr(msg, ':', (size_t)(end - msg));
	if (colon) {
		size_t kl = (size_t)(colon - msg);
		for (size_t i = 0; i < NKINDS; i++)
			if ((kinds[i].len == kl && memcmp(kinds[i].name, msg,
			    kl) == 0) || (!have_epoch && kl > kinds[i].len &&
			    colon[-(long)kinds[i].len - 1] == ' ' &&
			    memcmp(colon - kinds[i].len, kinds[i].name,
			    kinds[i].len) == 0)) {
				char *rest = colon + 1;
				if (rest < end && *rest == ' ')
					rest++;
				known_line(st, &kinds[i], have_epoch, t, rest,
				    end);
				return;
			}
	}
	enum nagios_kind pk;
	if (program_event(msg, (size_t)(end - msg), &pk)) {
		if (!have_epoch) {
			reject(st, "program %s line without a valid "
			    "[timestamp]%s", pk == NAGIOS_PROGRAM_START ?
			    "start" : "stop", "");
			return;
		}
		struct nagios_event *e = new_event(st, t, pk);
		e->output = model_event_text(st->r->m, msg,
		    (size_t)(end - msg));
		return;
	}
	count_skip(st, msg, colon ? (size_t)(colon - msg) :
	    (size_t)(end - msg) < 40 ? (size_t)(end - msg) : 40);
}

/*
 * 1 if buf holds only ASCII bytes other than NUL, checked a word at a
 * time: logs are nearly always plain ASCII, and then the strict UTF-8
 * check (byte by byte) can be skipped.
 */
static int
plain_ascii(const char *buf, size_t n)
{
	const uint64_t high = 0x8080808080808080ULL;
	const uint64_t ones = 0x0101010101010101ULL;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, buf + i, 8);
		/* a high bit set, or a zero byte (classic haszero test) */
		if ((w & high) || ((w - ones) & ~w & high))
			return 0;
	}
	for (; i < n; i++)
		if ((unsigned char)buf[i] >= 0x80 || buf[i] == '\0')
			return 0;
	return 1;
}

void
nagios_parse(struct reader *r, char *buf, size_t n, const char *rel, int file)
{
	struct nstate st;
	struct case_model *m = r->m;
	char *p = buf, *end = buf + n;

	memset(&st, 0, sizeof(st));
	st.r = r;
	st.rel = rel;
	st.file = file;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	/* One check of the whole file spares a check per line. */
	int check_utf8 = !plain_ascii(p, (size_t)(end - p)) &&
	    !utf8_valid(p, (size_t)(end - p), NULL);
	size_t nlines = 1;
	for (char *q = p; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
		nlines++;
	feed_move_begin(r->feed);
	m->events = xreallocarray(m->events, m->nevents + nlines,
	    sizeof(*m->events));
	feed_move_end(r->feed);
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		st.line++;
		if ((st.line & 0xFFF) == 0) {
			feed_publish(r->feed, m->nevents);
			if ((st.line & 0xFFFF) == 0)	/* a million lines */
				progress_update("reading the monitoring log",
				    st.line, (long)nlines, "lines");
		}
		if (st.read >= r->lim->max_records) {
			diag_error(r->dl, rel, st.line, NULL, "more than %ld "
			    "lines in this file (the limit); the rest of the "
			    "file is not read", r->lim->max_records);
			break;
		}
		parse_line(&st, p, le, check_utf8);
		p = le + 1;
	}
	feed_move_begin(r->feed);
	m->events = xreallocarray(m->events, m->nevents ? m->nevents : 1,
	    sizeof(*m->events));
	feed_move_end(r->feed);
	feed_publish(r->feed, m->nevents);
	if (st.skipped) {
		struct buf b;
		buf_init(&b);
		for (size_t i = 0; i < st.nskips; i++)
			buf_printf(&b, "%s%s: %ld", i ? ", " : "",
			    st.skips[i].name, st.skips[i].count);
		diag_add(r->dl, DIAG_NOTE, rel, 0, NULL, "%ld line%s of other "
		    "kinds skipped (%s)", st.skipped, st.skipped == 1 ? "" : "s",
		    b.data ? b.data : "");
		buf_free(&b);
	}
	reader_count(r, file, st.read, st.accepted, st.rejected, st.skipped);
}

int
nagios_load(struct reader *r, const char *full, const char *rel, int file,
    struct buf *b)
{
	FILE *f = fopen(full, "rb");
	struct stat st;
	char chunk[1 << 16];
	size_t k;

	buf_init(b);
	if (f == NULL) {
		diag_error(r->dl, rel, 0, NULL, "cannot read the file: %s",
		    strerror(errno));
		return -1;
	}
	/* One allocation of the right size; the loop copes with growth. */
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0) {
		b->cap = (size_t)st.st_size + 1;
		b->data = xmalloc(b->cap);
		b->len = fread(b->data, 1, (size_t)st.st_size, f);
		b->data[b->len] = '\0';
	}
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, k);
	if (ferror(f)) {
		diag_error(r->dl, rel, 0, NULL, "cannot read the file: %s",
		    strerror(errno));
		fclose(f);
		buf_free(b);
		return -1;
	}
	fclose(f);
	/* Hashed here, not by read_case (add_file): the manifest's digest
	 * is that of the very bytes parsed, and a hundred megabytes are
	 * hashed on the logs' thread, not the caller's. */
	struct source_file *sf = &r->m->files[file];
	if (sf->sha256[0] == '\0') {
		sha256_hex_lines(b->data ? b->data : "", b->len, sf->sha256,
		    &sf->lines);
		sf->size = (long long)b->len;
	}
	return 0;
}
