/*
 * finish.c - libqpdf JSON jobs on a finished PDF (finish.h).
 */
#include "finish/finish.h"

#include <qpdf/qpdfjob-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/xalloc.h"

char *finish_json_string(const char *s)
{
	struct buf b;
	buf_init(&b);
	buf_addc(&b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(&b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(&b, "\\u%04x", c);
		else
			buf_addc(&b, (char)c);
	}
	buf_addc(&b, '"');
	return buf_take(&b);
}

int finish_job(const char *in_path, const char *path, const char *options,
    char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	cleanup_register(tmp);
	char *jin = finish_json_string(in_path);
	char *jout = finish_json_string(tmp);
	char *job = xasprintf("{\"inputFile\": %s, \"outputFile\": %s%s}",
	    jin, jout, options ? options : "");
	int rc = qpdfjob_run_from_json(job);
	free(job);
	free(jin);
	free(jout);
	/* Exit 3 means qpdf repaired something (its warnings are on
	 * stderr): the file is damaged, and must not reach a court. */
	if (rc != 0) {
		snprintf(err, errlen, "qpdf %s %s (exit %d)", rc == 3 ?
		    "found problems in" : "could not process", in_path, rc);
		unlink(tmp);
		cleanup_unregister(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot rename %s to %s", tmp, path);
		unlink(tmp);
		cleanup_unregister(tmp);
		free(tmp);
		return -1;
	}
	cleanup_unregister(tmp);
	free(tmp);
	return 0;
}
