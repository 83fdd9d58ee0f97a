/*
 * savestream.h - libharu's save, written and hashed by a second thread.
 *
 * HPDF_SaveToFile writes a document through stdio, a few bytes at a
 * call (a key, a number, an operator: some ten million calls for the
 * large bench dossier), and the /ID then needs the SHA-256 of the whole
 * file, read back from disk (finish/fileid.h): both on the thread that
 * saves, while the second core has nothing left to do. Here libharu
 * writes into an HPDF_Stream of ours whose write function only copies
 * into large buffers; each full buffer goes to a writer thread that
 * hashes it and write(2)s it, so that when the save returns the digest
 * is (nearly) ready and the file need not be read again.
 *
 * A write that fails (disk full) is remembered by the writer, which
 * drops the buffers after it; the next buffer handed over, or
 * savestream_close, reports it. The file is the caller's to remove.
 */
#ifndef DOSSIER_RENDER_SAVESTREAM_H
#define DOSSIER_RENDER_SAVESTREAM_H

#include <hpdf.h>
#include <stddef.h>

#define SAVESTREAM_DIGEST_LEN 32	/* SHA-256 */

struct savestream;

/*
 * Who writes: SAVESTREAM_THREAD (a writer thread, for a process with a
 * core to spare, started with the first full buffer: a file smaller
 * than one is written by savestream_close) or SAVESTREAM_INLINE (each
 * full buffer hashed and written by the caller, as a packs worker with
 * no spare core wants).
 * The file's bytes and the digest are the same either way.
 */
enum savestream_mode { SAVESTREAM_THREAD, SAVESTREAM_INLINE };

/*
 * Create (or truncate) the file at path, mode 0666 less the umask as
 * fopen gives, and start writing it; with hash, the SHA-256 of every
 * byte is computed on the way. NULL with a message in err when the file
 * cannot be created.
 */
struct savestream *savestream_open(const char *path,
    enum savestream_mode mode, int hash, char *err, size_t errlen);

/* Append len bytes. 0, or -1 once a write has failed (see above). */
int savestream_write(struct savestream *s, const void *data, size_t len);

/*
 * Save libharu's document pdf through s: HPDF_SaveToStream with s as
 * the document's stream (libharu 2.3.0 writes the whole file into
 * pdf->stream, which it only empties first when it is one of its memory
 * streams). libharu's status: a failed write sets HPDF_FILE_IO_ERROR.
 */
HPDF_STATUS savestream_save(struct savestream *s, HPDF_Doc pdf);

/*
 * Write what is left, wait for the writer, close the file and free s.
 * 0 with the digest of the whole file in digest (when hashing, and
 * digest not NULL), or -1 with a message naming the file in err (the
 * first failure: a write, or closing).
 */
int savestream_close(struct savestream *s,
    unsigned char digest[SAVESTREAM_DIGEST_LEN], char *err, size_t errlen);

#endif
