/*
 * main.c - the dossier command: parse the command line, run one command.
 *
 * Each command is a function cmd_NAME(argc, argv) in src/cli/ taking the
 * arguments after the command name; it returns the process exit status.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "check", cmd_check, "validate a case folder and report every problem" },
	{ "import", cmd_import, "read a case folder into a SQLite evidence store" },
	{ "availability", cmd_availability,
	    "availability proven by the monitoring logs, against the SLA" },
	{ "build", cmd_build, "write the master dossier (PDF)" },
	{ "packs", cmd_packs, "write one evidence pack per customer" },
	{ "verify", cmd_verify, "check a dossier against its evidence" },
	{ "specimen", cmd_specimen, "write a specimen of every block type" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		cli_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("dossier %s\n", DOSSIER_VERSION);
		return 0;
	}
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "dossier: unknown command '%s'\n", argv[1]);
	cli_usage(stderr);
	return 2;
}
