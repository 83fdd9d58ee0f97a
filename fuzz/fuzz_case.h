/*
 * fuzz_case.h - libFuzzer harness for one file of a case folder.
 *
 * At start-up tests/good/minimal is copied to a private folder (under
 * /dev/shm when there is one); each input is then written over the file
 * FUZZ_FILE of that copy and the whole case is read by read_case(), the
 * real entry point, so the reader sees the fuzz bytes exactly as it
 * would see a user's file, with the rest of the case valid around it.
 * A harness is a file that defines FUZZ_FILE and includes this one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "read/read.h"
#include "util/diag.h"

#ifndef FUZZ_MINIMAL
#define FUZZ_MINIMAL "tests/good/minimal"
#endif

static char fz_dir[64];
static char fz_file[128];
static FILE *fz_null;

static void
fz_remove(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fz_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", fz_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char cmd[512];
	snprintf(fz_dir, sizeof(fz_dir), "%s/dossier-fuzz-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(fz_dir) == NULL) {
		perror("fuzz: mkdtemp");
		exit(1);
	}
	snprintf(cmd, sizeof(cmd), "cp -r '%s'/. '%s'/", FUZZ_MINIMAL, fz_dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "fuzz: cannot copy %s\n", FUZZ_MINIMAL);
		exit(1);
	}
	atexit(fz_remove);
	snprintf(fz_file, sizeof(fz_file), "%s/%s", fz_dir, FUZZ_FILE);
	fz_null = fopen("/dev/null", "w");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(fz_file, "wb");
	if (f == NULL || (size && fwrite(data, 1, size, f) != size) ||
	    fclose(f) != 0) {
		perror(fz_file);
		abort();
	}
	struct read_limits lim;
	struct case_model m;
	struct diag_list dl;
	read_limits_default(&lim);
	model_init(&m);
	diag_init(&dl);
	read_case(fz_dir, &lim, &m, &dl);
	/* Print the messages too: they format every field of every record. */
	diag_sort(&dl);
	if (fz_null)
		diag_print(&dl, fz_null);
	model_free(&m);
	diag_free(&dl);
	return 0;
}
