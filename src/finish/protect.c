/* protect.c - AES-256 through a libqpdf job (protect.h). */
#include "finish/protect.h"
#include "finish/finish.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

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
