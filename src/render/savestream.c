/*
 * savestream.c - libharu's save, written and hashed by a second thread
 * (savestream.h).
 *
 * The caller fills one buffer at a time; a full one goes to the queue
 * of full buffers, and the caller takes an empty one (waiting only when
 * the writer is NBUF buffers behind). The writer hashes and writes the
 * buffers in the order they were queued, so the file and its digest are
 * the bytes in the order libharu wrote them.
 */
#include "render/savestream.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf_doc.h>
#include <hpdf_streams.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

/*
 * Buffers of 1 MB make the hand-overs few (150 for the large bench
 * dossier's 150 MB). The writer needs about two thirds of the time
 * libharu takes to produce the bytes (hashing 0.2 s, the kernel's copy
 * 0.1 s, against 0.45 s), but on a busy machine it is at times not
 * scheduled: with 4 buffers the saving thread waited 0.2 s for it,
 * with 16 (made as needed: a small document uses one) 0.07 s.
 */
#define BUF_SIZE (1u << 20)
#define NBUF 16

struct savestream {
	int fd;
	char *path;
	int hash;
	enum savestream_mode mode;
	struct sha256_ctx sha;		/* the writer's (or inline, the caller's) */

	/* The caller's buffer being filled. */
	unsigned char *cur;
	size_t len;
	int cur_idx;

	unsigned char *buf[NBUF];
	int nbuf;			/* made so far */
	/* Under mu: the full buffers in order (a ring), the empty ones (a
	 * stack), the writer's first failure, the end. */
	pthread_mutex_t mu;
	pthread_cond_t work, freed;
	int full[NBUF];
	size_t full_len[NBUF];
	int nfull, first_full;
	int empty[NBUF], nempty;
	int closing;
	int err_no;			/* 0, or the errno of the failed write */
	pthread_t writer;
	int started;
};

/* Hash and write one buffer; the first failure is kept in s->err_no.
 * Once a write has failed the rest is dropped: the file is no good. */
static void put(struct savestream *s, const unsigned char *p, size_t n,
    int *err_no)
{
	if (*err_no)
		return;
	if (s->hash)
		sha256_update(&s->sha, n, p);
	while (n > 0) {
		ssize_t w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*err_no = w < 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void *writer_main(void *arg)
{
	struct savestream *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (s->nfull == 0 && !s->closing)
			pthread_cond_wait(&s->work, &s->mu);
		if (s->nfull == 0)
			break;
		int idx = s->full[s->first_full];
		size_t n = s->full_len[s->first_full];
		s->first_full = (s->first_full + 1) % NBUF;
		s->nfull--;
		int err_no = s->err_no;
		pthread_mutex_unlock(&s->mu);
		put(s, s->buf[idx], n, &err_no);
		pthread_mutex_lock(&s->mu);
		if (err_no && !s->err_no)
			s->err_no = err_no;
		s->empty[s->nempty++] = idx;
		pthread_cond_signal(&s->freed);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct savestream *
savestream_open(const char *path, enum savestream_mode mode, int hash,
    char *err, size_t errlen)
{
	/* As fopen(path, "wb"), which libharu's file writer uses. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	struct savestream *s = xcalloc(1, sizeof *s);
	s->fd = fd;
	s->path = xstrdup(path);
	s->hash = hash;
	s->mode = mode;
	if (hash)
		sha256_init(&s->sha);
	s->buf[0] = xmalloc(BUF_SIZE);
	s->nbuf = 1;
	s->cur = s->buf[0];
	s->cur_idx = 0;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_cond_init(&s->freed, NULL);
	return s;
}

/*
 * The current buffer (s->len bytes) is done: to the writer, or written
 * at once inline. With next, an empty buffer becomes current. 0, or -1
 * when a write has failed.
 */
static int hand_over(struct savestream *s, int next)
{
	/* The writer starts with the first full buffer: a document of
	 * less than a buffer (a pack) is written by savestream_close
	 * without a thread. Without a thread (none to be had), the caller
	 * writes. */
	if (s->mode == SAVESTREAM_THREAD && !s->started) {
		if (next && pthread_create(&s->writer, NULL, writer_main,
		    s) == 0)
			s->started = 1;
		else
			s->mode = SAVESTREAM_INLINE;
	}
	if (s->mode == SAVESTREAM_INLINE) {
		put(s, s->cur, s->len, &s->err_no);
		s->len = 0;
		return s->err_no ? -1 : 0;
	}
	pthread_mutex_lock(&s->mu);
	int at = (s->first_full + s->nfull) % NBUF;
	s->full[at] = s->cur_idx;
	s->full_len[at] = s->len;
	s->nfull++;
	pthread_cond_signal(&s->work);
	if (next) {
		if (s->nempty == 0 && s->nbuf < NBUF) {
			s->cur_idx = s->nbuf;
			s->buf[s->nbuf++] = xmalloc(BUF_SIZE);
		} else {
			while (s->nempty == 0)
				pthread_cond_wait(&s->freed, &s->mu);
			s->cur_idx = s->empty[--s->nempty];
		}
		s->cur = s->buf[s->cur_idx];
	} else {
		s->cur = NULL;
	}
	s->len = 0;
	int failed = s->err_no != 0;
	pthread_mutex_unlock(&s->mu);
	return failed ? -1 : 0;
}

int
savestream_write(struct savestream *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (;;) {
		size_t room = BUF_SIZE - s->len;
		if (len <= room) {
			memcpy(s->cur + s->len, p, len);
			s->len += len;
			return 0;
		}
		memcpy(s->cur + s->len, p, room);
		s->len = BUF_SIZE;
		p += room;
		len -= room;
		if (hand_over(s, 1) != 0)
			return -1;
	}
}

/* libharu's write function for our stream (HPDF_CallbackWriter_New
 * keeps the last argument as the stream's attr). */
static HPDF_STATUS write_fn(HPDF_Stream stream, const HPDF_BYTE *ptr,
    HPDF_UINT siz)
{
	struct savestream *s = stream->attr;
	if (savestream_write(s, ptr, siz) != 0)
		return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
	return HPDF_OK;
}

HPDF_STATUS
savestream_save(struct savestream *s, HPDF_Doc pdf)
{
	HPDF_Stream stream = HPDF_CallbackWriter_New(pdf->mmgr, write_fn, s);
	if (!stream)
		return HPDF_CheckError(&pdf->error);
	/* HPDF_SaveToStream writes the file into pdf->stream (after
	 * HPDF_MemStream_FreeData, which leaves any stream but a memory
	 * one alone); HPDF_FreeDoc would free it, so the document's own
	 * (normally none) is put back at once. */
	HPDF_Stream own = pdf->stream;
	pdf->stream = stream;
	HPDF_STATUS st = HPDF_SaveToStream(pdf);
	pdf->stream = own;
	HPDF_Stream_Free(stream);
	return st;
}

int
savestream_close(struct savestream *s,
    unsigned char digest[SAVESTREAM_DIGEST_LEN], char *err, size_t errlen)
{
	if (s->len > 0)
		hand_over(s, 0);
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->closing = 1;
		pthread_cond_signal(&s->work);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->writer, NULL);
	}
	int rc = 0;
	if (s->err_no) {
		snprintf(err, errlen, "cannot write %s: %s", s->path,
		    strerror(s->err_no));
		rc = -1;
	}
	if (close(s->fd) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", s->path,
		    strerror(errno));
		rc = -1;
	}
	if (rc == 0 && s->hash && digest)
		sha256_digest(&s->sha, SAVESTREAM_DIGEST_LEN, digest);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->work);
	pthread_cond_destroy(&s->freed);
	for (int i = 0; i < NBUF; i++)
		free(s->buf[i]);
	free(s->path);
	free(s);
	return rc;
}
