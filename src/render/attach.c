/*
 * attach.c - the raw inputs embedded in the dossier (attach.h).
 */
#include "render/attach.h"

#include <errno.h>
#include <hpdf_doc.h>
#include <malloc.h>
#include <nettle/md5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "render/flate.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* One attachment, as prepared by the thread. */
struct prepared {
	char *path, *name, *mimetype, *description, *sha256;
	char *data;		/* the content when given in memory */
	size_t len;
	unsigned char *deflated;/* the content, zlib-compressed */
	size_t deflated_len;
	size_t size;		/* bytes before compression */
	uint8_t md5[MD5_DIGEST_SIZE];
	unsigned char *key;	/* the name as a PDF string's bytes */
	size_t keylen;
	int key_utf16;		/* key is UTF-16BE with its BOM */
};

struct attach_set {
	struct prepared *v;
	size_t n;
	char pdfdate[32];	/* D:YYYYMMDDHHMMSSZ */
	pthread_t thread;
	int started, joined;
	char err[512];		/* the thread's first failure, or "" */
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/*
 * The name as the bytes of a PDF text string: as it is when printable
 * ASCII, else UTF-16BE after a byte order mark (how PDF spells a
 * non-Latin text string). The name tree is sorted on these bytes.
 */
static void
encode_key(struct prepared *p)
{
	const char *s = p->name;
	size_t n = strlen(s);
	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			ascii = 0;
	if (ascii) {
		p->key = (unsigned char *)xstrdup(s);
		p->keylen = n;
		return;
	}
	struct buf b;
	buf_init(&b);
	buf_add(&b, "\xFE\xFF", 2);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (k == 0) {		/* invalid: one replacement char */
			cp = 0xFFFD;
			k = 1;
		}
		i += k;
		if (cp >= 0x10000) {	/* a surrogate pair */
			cp -= 0x10000;
			uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 +
			    (cp & 0x3FF);
			char u[4] = { (char)(hi >> 8), (char)hi, (char)(lo >> 8),
			    (char)lo };
			buf_add(&b, u, 4);
		} else {
			char u[2] = { (char)(cp >> 8), (char)cp };
			buf_add(&b, u, 2);
		}
	}
	p->keylen = b.len;
	p->key = (unsigned char *)buf_take(&b);
	p->key_utf16 = 1;
}

static int
key_cmp(const void *pa, const void *pb)
{
	const struct prepared *a = pa, *b = pb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return a->keylen < b->keylen ? -1 : a->keylen > b->keylen;
}

/* The whole file in memory, or NULL with errno set. Read straight into
 * a buffer of the file's size (one allocation, no copy), grown only if
 * the file grows meanwhile (the SHA-256 check then refuses it). */
static char *
read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	size_t cap = fstat(fileno(f), &st) == 0 && st.st_size > 0 ?
	    (size_t)st.st_size + 1 : 4096;
	char *data = xmalloc(cap);
	size_t n = 0, got;
	while ((got = fread(data + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			data = xreallocarray(data, cap *= 2, 1);
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		free(data);
		errno = EIO;
		return NULL;
	}
	*len = n;
	return data;
}

/* Read, check, checksum and compress one attachment. 0 or -1. */
static int
prepare_one(struct prepared *p, struct flate *f, char *err, size_t errlen)
{
	char *content = p->data;
	size_t len = p->len;
	if (p->path) {
		content = read_whole(p->path, &len);
		if (!content) {
			snprintf(err, errlen, "%s: error: cannot read it to "
			    "attach it: %s", p->name, strerror(errno));
			return -1;
		}
	}
	int rc = 0;
	if (p->sha256) {
		/* The case may have been read long before: what goes into
		 * the dossier must be what the manifest lists. */
		char hex[SHA256_HEX_LEN + 1];
		sha256_hex(content, len, hex);
		if (strcmp(hex, p->sha256) != 0) {
			snprintf(err, errlen, "%s: error: the file changed "
			    "since the case was read (SHA-256 differs); "
			    "import the case again", p->name);
			rc = -1;
		}
	}
	if (rc == 0) {
		struct md5_ctx md5;
		md5_init(&md5);
		md5_update(&md5, len, (const uint8_t *)content);
		md5_digest(&md5, MD5_DIGEST_SIZE, p->md5);
		p->deflated = flate_zlib(f, content, len, &p->deflated_len);
		if (!p->deflated) {
			snprintf(err, errlen, "%s: error: cannot compress it",
			    p->name);
			rc = -1;
		}
		p->size = len;
	}
	if (p->path)
		free(content);
	return rc;
}

static void *
prepare_all(void *arg)
{
	struct attach_set *s = arg;
	struct flate *f = flate_new(FLATE_LEVEL);
	for (size_t i = 0; i < s->n; i++)
		if (prepare_one(&s->v[i], f, s->err, sizeof s->err) != 0)
			break;
	flate_free(f);
	/*
	 * Give the thread's malloc arena back to the system: the files'
	 * buffers were freed, but a thread arena keeps freed memory below
	 * its top, and this thread now runs while the store is written, so
	 * 50 MB of it stayed resident through layout on the large bench
	 * case (the peak).
	 */
	malloc_trim(0);
	return NULL;
}

void
attach_set_date(struct attach_set *s, int64_t date)
{
	time_t t = (time_t)date;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(s->pdfdate, sizeof s->pdfdate, "D:%Y%m%d%H%M%SZ", &tm);
}

struct attach_set *
attach_start(const struct attachment *a, size_t n, int64_t date)
{
	struct attach_set *s = xcalloc(1, sizeof *s);
	s->v = xcalloc(n ? n : 1, sizeof *s->v);
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		struct prepared *p = &s->v[i];
		p->path = dup_or_null(a[i].path);
		p->name = xstrdup(a[i].name);
		p->mimetype = xstrdup(a[i].mimetype);
		p->description = xstrdup(a[i].description ?
		    a[i].description : "");
		p->sha256 = dup_or_null(a[i].sha256);
		if (!a[i].path) {
			p->data = xmalloc(a[i].len + 1);
			memcpy(p->data, a[i].data, a[i].len);
			p->len = a[i].len;
		}
		encode_key(p);
	}
	/* The name tree lists its keys in byte order. */
	qsort(s->v, n, sizeof *s->v, key_cmp);
	attach_set_date(s, date);
	if (pthread_create(&s->thread, NULL, prepare_all, s) == 0)
		s->started = 1;
	else
		prepare_all(s);	/* no thread: do it now */
	return s;
}

static void
join(struct attach_set *s)
{
	if (s->started && !s->joined) {
		pthread_join(s->thread, NULL);
		s->joined = 1;
	}
}

/* A PDF string object holding the key's bytes. */
static void *
key_string(HPDF_MMgr mmgr, const struct prepared *p)
{
	if (p->key_utf16)
		return HPDF_Binary_New(mmgr, p->key, (HPDF_UINT)p->keylen);
	return HPDF_String_New(mmgr, (const char *)p->key, NULL);
}

#define CHECK(x) do { if ((x) != HPDF_OK) goto fail; } while (0)
#define CHECK_PTR(x) do { if ((x) == NULL) goto fail; } while (0)

/* The stream and file specification of one attachment. */
static HPDF_Dict
filespec(HPDF_Doc pdf, const struct attach_set *s, const struct prepared *p)
{
	HPDF_MMgr mmgr = pdf->mmgr;
	HPDF_Dict file = HPDF_DictStream_New(mmgr, pdf->xref);
	CHECK_PTR(file);
	flate_mark_precompressed(file);
	CHECK(HPDF_Stream_Write(file->stream, p->deflated,
	    (HPDF_UINT)p->deflated_len));
	CHECK(HPDF_Dict_AddName(file, "Type", "EmbeddedFile"));
	CHECK(HPDF_Dict_AddName(file, "Subtype", p->mimetype));
	HPDF_Dict params = HPDF_Dict_New(mmgr);
	CHECK_PTR(params);
	CHECK(HPDF_Dict_Add(file, "Params", params));
	CHECK(HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)p->size));
	HPDF_Binary md5 = HPDF_Binary_New(mmgr, (HPDF_BYTE *)p->md5,
	    MD5_DIGEST_SIZE);
	CHECK_PTR(md5);
	CHECK(HPDF_Dict_Add(params, "CheckSum", md5));
	HPDF_String date = HPDF_String_New(mmgr, s->pdfdate, NULL);
	CHECK_PTR(date);
	CHECK(HPDF_Dict_Add(params, "CreationDate", date));
	date = HPDF_String_New(mmgr, s->pdfdate, NULL);
	CHECK_PTR(date);
	CHECK(HPDF_Dict_Add(params, "ModDate", date));

	HPDF_Dict spec = HPDF_Dict_New(mmgr);
	CHECK_PTR(spec);
	CHECK(HPDF_Xref_Add(pdf->xref, spec));
	CHECK(HPDF_Dict_AddName(spec, "Type", "Filespec"));
	void *name = key_string(mmgr, p);
	CHECK_PTR(name);
	CHECK(HPDF_Dict_Add(spec, "F", name));
	name = key_string(mmgr, p);
	CHECK_PTR(name);
	CHECK(HPDF_Dict_Add(spec, "UF", name));
	HPDF_String desc = HPDF_String_New(mmgr, p->description, NULL);
	CHECK_PTR(desc);
	CHECK(HPDF_Dict_Add(spec, "Desc", desc));
	HPDF_Dict ef = HPDF_Dict_New(mmgr);
	CHECK_PTR(ef);
	CHECK(HPDF_Dict_Add(spec, "EF", ef));
	CHECK(HPDF_Dict_Add(ef, "F", file));
	CHECK(HPDF_Dict_Add(ef, "UF", file));
	return spec;
fail:
	return NULL;
}

int
attach_embed(struct attach_set *s, HPDF_Doc pdf, char *err, size_t errlen)
{
	join(s);
	if (s->err[0]) {
		snprintf(err, errlen, "%s", s->err);
		return -1;
	}
	HPDF_MMgr mmgr = pdf->mmgr;
	HPDF_Dict names = HPDF_Dict_New(mmgr);
	CHECK_PTR(names);
	CHECK(HPDF_Dict_Add(pdf->catalog, "Names", names));
	/* One leaf holding every key: the inputs of a case are a few
	 * hundred files at most. */
	HPDF_Dict tree = HPDF_Dict_New(mmgr);
	CHECK_PTR(tree);
	CHECK(HPDF_Xref_Add(pdf->xref, tree));
	CHECK(HPDF_Dict_Add(names, "EmbeddedFiles", tree));
	HPDF_Array list = HPDF_Array_New(mmgr);
	CHECK_PTR(list);
	CHECK(HPDF_Dict_Add(tree, "Names", list));
	for (size_t i = 0; i < s->n; i++) {
		void *key = key_string(mmgr, &s->v[i]);
		CHECK_PTR(key);
		CHECK(HPDF_Array_Add(list, key));
		HPDF_Dict spec = filespec(pdf, s, &s->v[i]);
		CHECK_PTR(spec);
		CHECK(HPDF_Array_Add(list, spec));
		/* libharu holds its own copy now. */
		free(s->v[i].deflated);
		s->v[i].deflated = NULL;
	}
	/* A reader opens the dossier with its attachments panel shown, as
	 * the attached evidence is part of what is filed. */
	CHECK(HPDF_Dict_AddName(pdf->catalog, "PageMode", "UseAttachments"));
	return 0;
fail:
	snprintf(err, errlen, "libharu failed while attaching the input files "
	    "(error 0x%04lX)", (unsigned long)HPDF_GetError(pdf));
	return -1;
}

void
attach_free(struct attach_set *s)
{
	if (!s)
		return;
	join(s);
	for (size_t i = 0; i < s->n; i++) {
		struct prepared *p = &s->v[i];
		free(p->path);
		free(p->name);
		free(p->mimetype);
		free(p->description);
		free(p->sha256);
		free(p->data);
		free(p->deflated);
		free(p->key);
	}
	free(s->v);
	free(s);
}
