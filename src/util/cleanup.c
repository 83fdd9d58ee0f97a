/*
 * cleanup.c - remove registered temporary files on SIGINT/SIGTERM/SIGHUP.
 *
 * A fixed table of paths: the handler only reads it and calls unlink(),
 * which is async-signal-safe. The table is changed with the signals
 * blocked, so the handler never sees a slot half-written. Processes made
 * by fork() (dossier packs -j N) inherit the handler and a copy of the
 * table, and register their own files.
 */
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLEANUP_SLOTS 32

static char *slots[CLEANUP_SLOTS];
static int installed;
static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))

static void
on_signal(int sig)
{
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		if (slots[i])
			unlink(slots[i]);
	/* Die of the same signal, as if no handler had been there. */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
block(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NSIGS; i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
install(void)
{
	for (size_t i = 0; i < NSIGS; i++) {
		struct sigaction sa, old;
		/* A signal ignored by whoever started us stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		for (size_t k = 0; k < NSIGS; k++)
			sigaddset(&sa.sa_mask, sigs[k]);
		sigaction(sigs[i], &sa, NULL);
	}
	installed = 1;
}

void
cleanup_register(const char *path)
{
	sigset_t old;
	char *p = xstrdup(path);
	block(&old);
	if (!installed)
		install();
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		if (slots[i] == NULL) {
			slots[i] = p;
			p = NULL;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(p);	/* table full: the normal error paths still clean up */
}

void
cleanup_unregister(const char *path)
{
	sigset_t old;
	char *p = NULL;
	block(&old);
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		if (slots[i] && strcmp(slots[i], path) == 0) {
			p = slots[i];
			slots[i] = NULL;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(p);
}
