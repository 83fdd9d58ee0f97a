/*
 * cmd_verify.c - `dossier verify FILE.pdf [CASE]`: recompute the SHA-256
 * of the evidence (the attached inputs, or a case folder) and check them
 * against the dossier's manifest and metadata.
 */
#include "cli/cli.h"
#include "finish/verify.h"

#include <string.h>

int
cmd_verify(int argc, char **argv)
{
	const char *pdf = NULL, *root = NULL;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "dossier verify: unknown option '%s'\n",
			    argv[i]);
			return 2;
		} else if (pdf == NULL)
			pdf = argv[i];
		else if (root == NULL)
			root = argv[i];
		else {
			fprintf(stderr, "dossier verify: FILE.pdf [CASE]\n");
			return 2;
		}
	}
	if (pdf == NULL) {
		fprintf(stderr, "usage: dossier verify FILE.pdf [CASE]\n");
		return 2;
	}
	int bad = verify_pdf(pdf, root, stdout);
	return bad < 0 ? 2 : bad > 0 ? 1 : 0;
}
