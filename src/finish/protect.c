/* protect.c - attachments and AES-256 through libqpdf jobs. */
#include "finish/protect.h"
#include "finish/finish.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

char *
finish_attach_json(const struct attachment *a, size_t n, int64_t date)
{
	struct buf b;
	char pdfdate[32];
	time_t t = (time_t)date;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(pdfdate, sizeof(pdfdate), "D:%Y%m%d%H%M%SZ", &tm);
	buf_init(&b);
	buf_adds(&b, ", \"addAttachment\": [");
	for (size_t i = 0; i < n; i++) {
		char *file = finish_json_string(a[i].path);
		char *name = finish_json_string(a[i].name);
		char *mime = finish_json_string(a[i].mimetype);
		char *desc = finish_json_string(a[i].description ?
		    a[i].description : "");
		/* The key orders the name tree; the case-relative path is
		 * unique and sorts the same everywhere. */
		buf_printf(&b, "%s{\"file\": %s, \"key\": %s, \"filename\": %s, "
		    "\"mimetype\": %s, \"description\": %s, \"creationdate\": "
		    "\"%s\", \"moddate\": \"%s\"}", i ? ", " : "", file, name,
		    name, mime, desc, pdfdate, pdfdate);
		free(file);
		free(name);
		free(mime);
		free(desc);
	}
	buf_adds(&b, "]");
	return buf_take(&b);
}

int
finish_encrypt(const char *path, const char *password, char *err,
    size_t errlen)
{
	char *pw = finish_json_string(password);
	char *extra = xasprintf(", \"encrypt\": {\"userPassword\": %s, "
	    "\"ownerPassword\": %s, \"256bit\": {}}", pw, pw);
	/* Encryption needs a random salt: the one output that cannot be
	 * byte-for-byte reproducible. */
	int rc = finish_job(path, path, extra, err, errlen);
	free(extra);
	free(pw);
	return rc;
}
