/*
 * pagezip.c - page contents compressed on the second core (pagezip.h).
 *
 * One worker thread and a queue: the drawing thread appends a page's
 * bytes, the worker deflates them into that page's slot. Once every
 * page is drawn, pagezip_finish takes pages from the same queue on the
 * calling thread too, so both cores work on the backlog. Each slot is
 * written by one thread at a time (the page's bytes before submission,
 * its result by whichever thread took it from the queue), so only the
 * queue needs the lock. Both threads compress with the same call
 * (compress_slot: flate_zlib at FLATE_LEVEL, each thread with its own
 * compressor, whose output depends on nothing but the input), so a
 * page's bytes do not depend on which one took it.
 */
#include "render/pagezip.h"

#include <hpdf_consts.h>
#include <hpdf_gstate.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "render/flate.h"
#include "util/xalloc.h"

struct slot {
	unsigned char *raw;	/* the page's content, until compressed */
	size_t raw_len;
	unsigned char *zipped;	/* zlib data, or NULL */
	size_t zipped_len;
	int submitted;
};

struct pagezip {
	struct slot *slots;
	size_t n;
	size_t *queue;		/* pages submitted, in order */
	size_t queued, taken;
	int closing;
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t thread;
	int started;
	struct flate *inline_flate;	/* PAGEZIP_INLINE's, made at first use */
	enum pagezip_mode mode;
	size_t by_caller;	/* pages compressed in pagezip_finish */
};

static void
compress_slot(struct flate *f, struct slot *s)
{
	s->zipped = flate_zlib(f, s->raw, s->raw_len, &s->zipped_len);
	if (s->zipped) {
		free(s->raw);	/* memory back as soon as possible */
		s->raw = NULL;
	}
}

static void *
worker(void *arg)
{
	struct pagezip *z = arg;
	struct flate *f = flate_new(FLATE_LEVEL);
	pthread_mutex_lock(&z->lock);
	for (;;) {
		while (z->taken == z->queued && !z->closing)
			pthread_cond_wait(&z->more, &z->lock);
		if (z->taken == z->queued)
			break;			/* closing, queue empty */
		struct slot *s = &z->slots[z->queue[z->taken++]];
		pthread_mutex_unlock(&z->lock);
		compress_slot(f, s);
		pthread_mutex_lock(&z->lock);
	}
	pthread_mutex_unlock(&z->lock);
	flate_free(f);
	return NULL;
}

/* The calling thread's share: take queued pages until none is left. */
static void
help(struct pagezip *z)
{
	struct flate *f = NULL;
	pthread_mutex_lock(&z->lock);
	while (z->taken < z->queued) {
		struct slot *s = &z->slots[z->queue[z->taken++]];
		pthread_mutex_unlock(&z->lock);
		if (!f)
			f = flate_new(FLATE_LEVEL);
		compress_slot(f, s);
		z->by_caller++;
		pthread_mutex_lock(&z->lock);
	}
	pthread_mutex_unlock(&z->lock);
	flate_free(f);
}

struct pagezip *
pagezip_start_mode(size_t npages, enum pagezip_mode mode)
{
	struct pagezip *z = xcalloc(1, sizeof *z);
	z->n = npages;
	z->mode = mode;
	z->slots = xcalloc(npages ? npages : 1, sizeof *z->slots);
	z->queue = xcalloc(npages ? npages : 1, sizeof *z->queue);
	pthread_mutex_init(&z->lock, NULL);
	pthread_cond_init(&z->more, NULL);
	if (mode == PAGEZIP_BOTH || mode == PAGEZIP_WORKER_ONLY)
		z->started = pthread_create(&z->thread, NULL, worker, z) == 0;
	return z;
}

struct pagezip *
pagezip_start(size_t npages)
{
	return pagezip_start_mode(npages, PAGEZIP_BOTH);
}

/* libharu would append to the stream at save time to close these. */
static int
page_is_closed(HPDF_PageAttr attr)
{
	return attr->gmode == HPDF_GMODE_PAGE_DESCRIPTION &&
	    (attr->gstate == NULL || attr->gstate->prev == NULL);
}

void
pagezip_submit(struct pagezip *z, size_t i, HPDF_Page page)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	if (i >= z->n || z->slots[i].submitted || !page_is_closed(attr))
		return;
	/* Copy the content out of libharu's buffers and free them: the
	 * page now holds nothing until pagezip_finish. */
	HPDF_Stream st = attr->stream;
	struct slot *s = &z->slots[i];
	s->raw_len = HPDF_Stream_Size(st);
	s->raw = xmalloc(s->raw_len ? s->raw_len : 1);
	size_t at = 0;
	HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(st);
	for (HPDF_UINT k = 0; k < nbuf && at < s->raw_len; k++) {
		HPDF_UINT len = 0;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, k, &len);
		if (!p)
			break;
		if (len > s->raw_len - at)
			len = (HPDF_UINT)(s->raw_len - at);
		memcpy(s->raw + at, p, len);
		at += len;
	}
	if (at != s->raw_len) {	/* not what we expect: leave it */
		free(s->raw);
		s->raw = NULL;
		return;
	}
	HPDF_MemStream_FreeData(st);
	s->submitted = 1;
	if (!z->started && z->mode != PAGEZIP_CALLER_ONLY) {
		/* PAGEZIP_INLINE, or the thread could not start: compress
		 * here, while the page's bytes are still in the cache. */
		if (!z->inline_flate)
			z->inline_flate = flate_new(FLATE_LEVEL);
		compress_slot(z->inline_flate, s);
		return;
	}
	pthread_mutex_lock(&z->lock);
	z->queue[z->queued++] = i;
	if (z->started)
		pthread_cond_signal(&z->more);
	pthread_mutex_unlock(&z->lock);
}

static void
stop(struct pagezip *z)
{
	if (!z->started)
		return;
	pthread_mutex_lock(&z->lock);
	z->closing = 1;
	pthread_cond_signal(&z->more);
	pthread_mutex_unlock(&z->lock);
	pthread_join(z->thread, NULL);
	z->started = 0;
}

int
pagezip_finish(struct pagezip *z, HPDF_Page *pages)
{
	/* Drawing is over: rather than wait for the worker, compress the
	 * pages still queued here as well (the worker finishes the one it
	 * holds, and takes more while there are). */
	if (z->mode != PAGEZIP_WORKER_ONLY)
		help(z);
	stop(z);
	for (size_t i = 0; i < z->n; i++) {
		struct slot *s = &z->slots[i];
		if (!s->submitted)
			continue;
		HPDF_PageAttr attr = (HPDF_PageAttr)pages[i]->attr;
		/* Compressed: hand over the zlib data; else the original
		 * bytes go back for libharu to deflate as usual. */
		const unsigned char *data = s->zipped ? s->zipped : s->raw;
		size_t len = s->zipped ? s->zipped_len : s->raw_len;
		if (HPDF_Stream_Write(attr->stream, data, (HPDF_UINT)len) !=
		    HPDF_OK)
			return -1;
		if (s->zipped)
			flate_mark_precompressed(attr->contents);
		free(s->raw);
		free(s->zipped);
		s->raw = s->zipped = NULL;
		s->submitted = 0;
	}
	return 0;
}

size_t
pagezip_caller_pages(const struct pagezip *z)
{
	return z->by_caller;
}

void
pagezip_free(struct pagezip *z)
{
	if (!z)
		return;
	stop(z);
	for (size_t i = 0; i < z->n; i++) {
		free(z->slots[i].raw);
		free(z->slots[i].zipped);
	}
	pthread_mutex_destroy(&z->lock);
	pthread_cond_destroy(&z->more);
	flate_free(z->inline_flate);
	free(z->slots);
	free(z->queue);
	free(z);
}
