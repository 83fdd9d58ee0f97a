/* cli.h - the commands of the dossier tool. */
#ifndef DOSSIER_CLI_H
#define DOSSIER_CLI_H

#include <stdio.h>

void cli_usage(FILE *out);
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
