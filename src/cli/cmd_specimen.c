/* cmd_specimen.c - `dossier specimen -o FILE.pdf`: every block type. */
#include "cli/cli.h"
#include "compose/specimen.h"

#include <string.h>

int
cmd_specimen(int argc, char **argv)
{
	const char *out = NULL, *lang = "fr", *paper = "a4";

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--lang") && i + 1 < argc)
			lang = argv[++i];
		else if (!strcmp(argv[i], "--paper") && i + 1 < argc)
			paper = argv[++i];
		else {
			fprintf(stderr, "dossier specimen: unexpected '%s'\n",
			    argv[i]);
			return 2;
		}
	}
	if (out == NULL || (strcmp(lang, "fr") && strcmp(lang, "en")) ||
	    (strcmp(paper, "a4") && strcmp(paper, "letter"))) {
		fprintf(stderr, "usage: dossier specimen -o FILE.pdf "
		    "[--lang fr|en] [--paper a4|letter]\n");
		return 2;
	}
	return specimen_write(out, lang, paper) == 0 ? 0 : 1;
}
