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
 *
 * `dossier packs` writes hundreds of documents from one case: there the
 * checks are kept in a struct compose_sources that outlives each
 * document (compose_input.sources), made and filled by the parent
 * before it forks its workers, so that the 10 MB log is hashed once per
 * run, not once per pack. Since a check may then be older than the
 * document, every read also compares the file's identity, size and
 * modification time with what they were when it was hashed: a file
 * replaced or rewritten since is refused as one whose digest differs.
 */
#include "compose/compose_int.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What compose knows of one input file it has quoted. */
struct quoted_file {
	signed char checked;	/* 0 not yet, 1 digest matches, -1 not */
	long nlines;
	long long size;
	long long *starts;	/* byte offset of each line, nlines of them */
	struct stat st;		/* the file when it was hashed */
};

/* The checks of a case's files, kept across documents. */
struct compose_sources {
	const struct case_model *m;
	struct quoted_file *files;	/* m->nfiles of them */
	/* The digest of the input manifest, which every document shows:
	 * made once per run (sorting and hashing every file's line). */
	char manifest_sha256[SHA256_HEX_LEN + 1];
};

struct compose_sources *
compose_sources_new(const struct case_model *m)
{
	struct compose_sources *s = xcalloc(1, sizeof(*s));
	s->m = m;
	s->files = xcalloc(m->nfiles + 1, sizeof(*s->files));
	compose_manifest_hash(m, s->manifest_sha256);
	return s;
}

void
compose_sources_free(struct compose_sources *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->m->nfiles; i++)
		free(s->files[i].starts);
	free(s->files);
	free(s);
}

/* Check a file once: 1 if it is what the case read (its line index
 * built on the way), else -1. Reports nothing: each document reports
 * a bad file itself (ctx_file_lines). */
static int
check_file(struct compose_sources *s, int file)
{
	struct quoted_file *q = &s->files[file];
	const struct source_file *sf = &s->m->files[file];
	char hex[SHA256_HEX_LEN + 1];

	if (q->checked != 0)
		return q->checked;
	char *full = path_join(s->m->root, sf->path);
	/* The identity first: a file changed while it is hashed then
	 * fails either the digest or the identity check of a read. */
	q->checked = stat(full, &q->st) == 0 &&
	    sha256_file_index(full, hex, &q->size, &q->nlines,
	    &q->starts) == 0 && strcmp(hex, sf->sha256) == 0 ? 1 : -1;
	free(full);
	if (q->checked < 0) {
		free(q->starts);
		q->starts = NULL;
	}
	return q->checked;
}

void
compose_sources_prepare(struct compose_sources *s,
    const struct avail_report *av)
{
	const struct case_model *m = s->m;
	/* The logs the availability section quotes around each outage. */
	for (size_t i = 0; av && i < av->nservices; i++)
		for (size_t o = 0; o < av->services[i].noutages; o++) {
			const struct ival *iv = &av->services[i].outages[o];
			const struct provenance *p[2] = { &iv->from, &iv->to };
			for (int k = 0; k < 2; k++)
				if (p[k]->file >= 0 &&
				    (size_t)p[k]->file < m->nfiles)
					(void)check_file(s, p[k]->file);
		}
	/* The text exhibits of timeline events, which every pack reads
	 * (select_records). A complaint's own exhibits are left to the
	 * one pack that quotes them. */
	for (size_t i = 0; i < m->ntimeline; i++)
		for (size_t k = 0; k < m->timeline[i].nexhibits; k++) {
			const struct exhibit *e =
			    &m->exhibits[m->timeline[i].exhibits[k]];
			if (e->type == EXHIBIT_TEXT && e->file >= 0 &&
			    (size_t)e->file < m->nfiles)
				(void)check_file(s, e->file);
		}
}

void
ctx_sources_init(struct compose_ctx *c)
{
	c->sources = c->in->sources;
	if (c->sources == NULL)
		c->sources = c->own_sources = compose_sources_new(c->m);
	memcpy(c->manifest_sha256, c->sources->manifest_sha256,
	    sizeof(c->manifest_sha256));
	c->reported = xcalloc(c->m->nfiles + 1, 1);
}

void
ctx_sources_free(struct compose_ctx *c)
{
	compose_sources_free(c->own_sources);
	c->own_sources = c->sources = NULL;
	free(c->reported);
	c->reported = NULL;
}

/* 1 if the open file fd is still the one that was hashed. */
static int
same_file(int fd, const struct stat *was)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_dev == was->st_dev &&
	    st.st_ino == was->st_ino && st.st_size == was->st_size &&
	    st.st_mtim.tv_sec == was->st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == was->st_mtim.tv_nsec;
}

/* Bytes [from, to) of a file, NUL-terminated; NULL if they cannot all
 * be read. *changed set if the file is no longer the one hashed.
 * Caller frees. */
static char *
read_range(const char *full, const struct stat *was, long long from,
    long long to, int *changed)
{
	int fd = open(full, O_RDONLY);
	if (fd < 0)
		return NULL;
	if (!same_file(fd, was)) {
		close(fd);
		*changed = 1;
		return NULL;
	}
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
	const struct quoted_file *q = &c->sources->files[file];
	int changed = 0;

	*lines = NULL;
	*numbers = NULL;
	/* Quote only what the manifest vouches for. */
	if (check_file(c->sources, file) < 0) {
		changed = 1;
		goto bad;
	}
	char *full = path_join(c->m->root, c->m->files[file].path);
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
	char *buf = read_range(full, &q->st, from, to, &changed);
	free(full);
	if (buf == NULL)
		goto bad;
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
bad:
	/* Once per document, as each document is a reader's whole. */
	if (changed && !c->reported[file]) {
		c->reported[file] = 1;
		diag_error(c->dl, c->m->files[file].path, 0, NULL, "the file "
		    "changed or disappeared since the case was read (SHA-256 "
		    "differs); import the case again");
	}
	return -1;
}
