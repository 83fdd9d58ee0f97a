/*
 * cmd_availability.c - `dossier availability CASE`: the availability the
 * monitoring logs prove, per service, customer and host, against the SLA.
 */
#include "analyze/availability.h"
#include "analyze/avail_format.h"
#include "cli/cli.h"
#include "util/stats.h"

#include <stdlib.h>
#include <string.h>

/* The value of option argv[*i] ("--opt VALUE" or "--opt=VALUE"). */
static const char *
option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) == 0) {
		if (*i + 1 < argc)
			return argv[++*i];
		fprintf(stderr, "dossier availability: %s needs a value\n",
		    name);
		exit(2);
	}
	return NULL;
}

int
cmd_availability(int argc, char **argv)
{
	const char *root = NULL, *v;
	enum avail_format format = AVAIL_TEXT;
	struct avail_options opt;
	int quiet = 0, stats = 0;

	avail_options_init(&opt);
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_usage(stdout);
			return 0;
		} else if ((v = option_value(argc, argv, &i, "--format"))) {
			if (avail_format_parse(v, &format) != 0) {
				fprintf(stderr, "dossier availability: unknown "
				    "format '%s' (text, csv or json)\n", v);
				return 2;
			}
		} else if ((v = option_value(argc, argv, &i, "--service")))
			opt.service = v;
		else if ((v = option_value(argc, argv, &i, "--customer")))
			opt.customer = v;
		else if (!strcmp(argv[i], "--include-soft"))
			opt.include_soft = 1;
		else if (!strcmp(argv[i], "--no-hosts"))
			opt.hosts = 0;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "--stats"))
			stats = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "dossier availability: unknown option "
			    "'%s'\n", argv[i]);
			return 2;
		} else if (root == NULL)
			root = argv[i];
		else {
			fprintf(stderr, "dossier availability: one case only\n");
			return 2;
		}
	}
	if (root == NULL) {
		fprintf(stderr, "usage: dossier availability CASE [--format "
		    "text|csv|json] [--service ID] [--customer ID] "
		    "[--include-soft]\n");
		return 2;
	}

	struct case_model m;
	struct diag_list dl;
	char *err = NULL;
	int status = 0;
	stats_enable(stats);
	stats_begin();
	model_init(&m);
	diag_init(&dl);
	if (cli_load(root, &m, &dl, quiet) != 0) {
		status = dl.errors ? 1 : 2;
		goto out;
	}
	struct avail_report *r = avail_build(&m, &opt, &err);
	if (r == NULL) {
		fprintf(stderr, "dossier availability: %s\n", err);
		free(err);
		status = 2;
		goto out;
	}
	stats_lap("analysis");
	if (avail_print(stdout, r, &m, format, NULL) != 0 || fflush(stdout)) {
		fprintf(stderr, "dossier availability: cannot write the "
		    "report\n");
		status = 2;
	}
	stats_lap("output");
	avail_free(r);
out:
	stats_print(stderr);
	model_free(&m);
	diag_free(&dl);
	return status;
}
