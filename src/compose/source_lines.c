/*
 * source_lines.c - quoting lines of a case file (log excerpts, text
 * exhibits) as the manifest vouches for them.
 *
 * A dossier quotes the same Nagios log dozens of times (three outages
 * per service, the lines around each). Reading the file from its start
 * for every excerpt cost more than the rest of the section: on a 10 MB
 * log, about 60 full passes. Instead each file is read once, when it is
 * first quoted: that pass checks its SHA-256 against the manifest and
 * records where every line starts. An excerpt then reads just its own
 * bytes with one pread().
 */
#include "compose/compose_int.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What compose knows of one input file it has quoted. */
struct quoted_file {
	signed char checked;	/* 0 not yet, 1 digest matches, -1 not */
	long nlines;
	long long size;
	long long *starts;	/* byte offset of each line, nlines of them */
};

void
ctx_sources_init(struct compose_ctx *c)
{
	c->quoted = xcalloc(c->m->nfiles + 1, sizeof(*c->quoted));
}

void
ctx_sources_free(struct compose_ctx *c)
{
	for (size_t i = 0; c->quoted && i < c->m->nfiles; i++)
		free(c->quoted[i].starts);
	free(c->quoted);
	c->quoted = NULL;
}

/* Check a file once: 1 if it is what the case read (its line index
 * built on the way), else -1 with the error reported. */
static int
check_file(struct compose_ctx *c, int file, const char *full)
{
	struct quoted_file *q = &c->quoted[file];
	const struct source_file *sf = &c->m->files[file];
	char hex[SHA256_HEX_LEN + 1];

	if (q->checked != 0)
		return q->checked;
	q->checked = sha256_file_index(full, hex, &q->size, &q->nlines,
	    &q->starts) == 0 && strcmp(hex, sf->sha256) == 0 ? 1 : -1;
	if (q->checked < 0) {
		free(q->starts);
		q->starts = NULL;
		diag_error(c->dl, sf->path, 0, NULL, "the file changed "
		    "or disappeared since the case was read (SHA-256 "
		    "differs); import the case again");
	}
	return q->checked;
}

/* Bytes [from, to) of a file, NUL-terminated; NULL if they cannot all
 * be read. Caller frees. */
static char *
read_range(const char *full, long long from, long long to)
{
	int fd = open(full, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t want = (size_t)(to - from), got = 0;
	char *buf = xmalloc(want + 1);
	while (got < want) {
		ssize_t n = pread(fd, buf + got, want - got,
		    (off_t)(from + (long long)got));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got < want) {
		free(buf);
		return NULL;
	}
	buf[want] = '\0';
	return buf;
}

/*
 * One line as getline() and strdup() would give it: its newline and
 * any carriage returns or newlines before it dropped, and cut at a NUL
 * byte if it holds one.
 */
static char *
line_copy(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	return xstrndup(s, strnlen(s, len));
}

long
ctx_file_lines(struct compose_ctx *c, int file, long first, long last,
    char ***lines, long **numbers)
{
	const struct quoted_file *q = &c->quoted[file];
	char *full = path_join(c->m->root, c->m->files[file].path);

	*lines = NULL;
	*numbers = NULL;
	/* Quote only what the manifest vouches for. */
	if (check_file(c, file, full) < 0) {
		free(full);
		return -1;
	}
	if (first < 1)
		first = 1;
	if (last > q->nlines)
		last = q->nlines;
	if (first > last) {
		/* Nothing to quote, but the file must still open, as when
		 * it was read line by line. */
		int fd = open(full, O_RDONLY);
		free(full);
		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	long long from = q->starts[first - 1];
	long long to = last < q->nlines ? q->starts[last] : q->size;
	char *buf = read_range(full, from, to);
	free(full);
	if (buf == NULL)
		return -1;
	long n = last - first + 1;
	*lines = xcalloc((size_t)n, sizeof(char *));
	*numbers = xcalloc((size_t)n, sizeof(long));
	for (long i = 0; i < n; i++) {
		long no = first + i;
		size_t at = (size_t)(q->starts[no - 1] - from);
		size_t end = (size_t)((no < q->nlines ? q->starts[no] : to) -
		    from);
		(*lines)[i] = line_copy(buf + at, end - at);
		(*numbers)[i] = no;
	}
	free(buf);
	return n;
}
