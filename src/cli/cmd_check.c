/* cmd_check.c - `dossier check CASE`: report every problem at once. */
#include "cli/cli.h"

#include <string.h>

int
cmd_check(int argc, char **argv)
{
	const char *root = NULL;
	int quiet = 0;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "dossier check: unknown option '%s'\n",
			    argv[i]);
			return 2;
		} else if (root == NULL)
			root = argv[i];
		else {
			fprintf(stderr, "dossier check: one case folder only\n");
			return 2;
		}
	}
	if (root == NULL) {
		fprintf(stderr, "usage: dossier check CASE\n");
		return 2;
	}

	struct case_model m;
	struct diag_list dl;
	model_init(&m);
	diag_init(&dl);
	int rc = cli_read_case(root, &m, &dl);
	diag_sort(&dl);
	if (quiet) {
		for (size_t i = 0; i < dl.len; i++)
			if (dl.items[i].severity == DIAG_ERROR) {
				struct diag_list one = dl;
				one.items = &dl.items[i];
				one.len = 1;
				diag_print(&one, stdout);
			}
	} else
		diag_print(&dl, stdout);
	if (rc == 0 && !quiet)
		cli_print_counts(&m, &dl, stdout);
	int status = rc != 0 ? 2 : dl.errors ? 1 : 0;
	if (status == 0 && !quiet)
		printf("%s: OK, every record accepted\n", root);
	model_free(&m);
	diag_free(&dl);
	return status;
}
