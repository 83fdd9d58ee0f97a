/*
 * cmd_packs.c - `dossier packs CASE -o DIR`: one evidence pack per
 * customer, holding only that customer's data, built in parallel.
 *
 * The case is read and analysed once; then N worker processes (fork,
 * copy-on-write) each compose and write their share of the packs. Each
 * pack is written under a temporary name and renamed when complete, so an
 * interrupted run leaves no half-written pack.
 */
#include "analyze/availability.h"
#include "cli/cli.h"
#include "compose/compose.h"
#include "finish/protect.h"
#include "layout/hyph.h"
#include "layout/layout.h"
#include "layout/typo.h"
#include "render/render.h"
#include "util/path.h"
#include "util/progress.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct pack {
	const char *customer;
	char *file;		/* DIR/ID.pdf */
	const char *password;	/* NULL: not encrypted */
};

/* A file name from a customer id: letters, digits, '-', '_', '.' kept,
 * anything else (and a leading dot) turned into '_'. No personal data
 * goes into it: only the id. */
static char *
safe_name(const char *id)
{
	char *s = xstrdup(id);
	for (char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
		    *p != '.')
			*p = '_';
	if (s[0] == '.' || s[0] == '\0') {
		char *t = xasprintf("_%s", s);
		free(s);
		s = t;
	}
	return s;
}

/* Read "ID PASSWORD" lines; '#' starts a comment line. */
static int
read_passwords(const char *path, char ***ids, char ***pws, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	int bad = 0;

	if (f == NULL) {
		fprintf(stderr, "dossier packs: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		no++;
		line[strcspn(line, "\r\n")] = '\0';
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		char *id = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0') {
			fprintf(stderr, "%s:%ld: error: no password after "
			    "customer id \"%s\"\n", path, no, id);
			bad = 1;
			continue;
		}
		*ids = xreallocarray(*ids, *n + 1, sizeof(char *));
		*pws = xreallocarray(*pws, *n + 1, sizeof(char *));
		(*ids)[*n] = xstrdup(id);
		(*pws)[*n] = xstrdup(p);
		(*n)++;
	}
	free(line);
	fclose(f);
	return bad ? -1 : 0;
}

/*
 * The next pack for a worker to make: from the shared counter when there
 * is one, else every jobs-th pack from its own number (*own). Packs are
 * written to their own files, so the order in which they are made does
 * not change any byte.
 */
static size_t
next_pack(size_t *shared, size_t *own, long jobs)
{
	if (shared)
		return __atomic_fetch_add(shared, 1, __ATOMIC_RELAXED);
	size_t i = *own;
	*own += (size_t)jobs;
	return i;
}

static int
build_one(const struct case_model *m, const struct avail_report *av,
    struct compose_sources *src, const struct compose_withheld *wh,
    const struct pack *p, int quiet)
{
	struct diag_list dl;
	struct render_stats rs = { 0 };
	char err[512];
	int rc = 0;

	if (cli_output_is_input(m, p->file)) {
		fprintf(stderr, "dossier packs: %s is one of the case's input "
		    "files; choose another output folder\n", p->file);
		return -1;
	}
	diag_init(&dl);
	struct compose_input in = {
		.m = m, .avail = av, .customer = p->customer,
		.outage_threshold = 30 * 60,
		.build_options = "pack; HARD states only; outage threshold 30 min",
		.date = cli_build_date(m),
		.sources = src,
		.withheld = wh,
	};
	struct doc *d = compose_dossier(&in, &dl);
	if (d == NULL || dl.errors || doc_write_pdf(d, p->file, &rs) != 0) {
		diag_sort(&dl);
		diag_print(&dl, stderr);
		fprintf(stderr, "dossier packs: %s not written\n", p->file);
		rc = -1;
	} else if (p->password &&
	    finish_encrypt(p->file, p->password, err, sizeof(err)) != 0) {
		fprintf(stderr, "dossier packs: %s\n", err);
		unlink(p->file);
		rc = -1;
	} else if (!quiet && !progress_active())	/* the line says it */
		printf("%s: %zu pages%s\n", p->file, rs.pages,
		    p->password ? ", encrypted (AES-256)" : "");
	if (d)
		doc_free(d);
	diag_free(&dl);
	return rc;
}

int
cmd_packs(int argc, char **argv)
{
	const char *root = NULL, *dir = NULL, *pwfile = NULL;
	const char **only = NULL;
	size_t nonly = 0;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int quiet = 0;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "-j") && i + 1 < argc) {
			char *end;
			jobs = strtol(argv[++i], &end, 10);
			if (*end || jobs < 1 || jobs > 256) {
				fprintf(stderr, "dossier packs: -j takes a "
				    "number of processes (1-256)\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--customer") && i + 1 < argc) {
			only = xreallocarray(only, nonly + 1, sizeof(char *));
			only[nonly++] = argv[++i];
		} else if (!strcmp(argv[i], "--password-file") && i + 1 < argc)
			pwfile = argv[++i];
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "dossier packs: unknown option '%s'\n",
			    argv[i]);
			free(only);
			return 2;
		} else if (root == NULL)
			root = argv[i];
		else {
			fprintf(stderr, "dossier packs: one case only\n");
			free(only);
			return 2;
		}
	}
	if (root == NULL || dir == NULL) {
		fprintf(stderr, "usage: dossier packs CASE -o DIR [-j N] "
		    "[--customer ID ...] [--password-file FILE]\n");
		free(only);
		return 2;
	}
	if (jobs < 1)
		jobs = 1;
	progress_enable(quiet);

	struct case_model m;
	struct diag_list dl;
	struct avail_report *av = NULL;
	struct compose_sources *src = NULL;
	struct compose_withheld *wh = NULL;
	struct pack *packs = NULL;
	size_t npacks = 0, npw = 0;
	char **pw_ids = NULL, **pws = NULL, *err = NULL;
	int status = 0;
	model_init(&m);
	diag_init(&dl);
	if (pwfile && read_passwords(pwfile, &pw_ids, &pws, &npw) != 0) {
		status = 2;
		goto done;
	}
	if (cli_load(root, &m, &dl, quiet) != 0) {
		status = dl.errors ? 1 : 2;
		goto done;
	}
	/* One pack per customer, in order of first complaint. */
	for (size_t i = 0; i < m.ncomplaints; i++) {
		const char *id = m.complaints[i].customer_id;
		int seen = 0;
		for (size_t k = 0; k < npacks && !seen; k++)
			seen = strcmp(packs[k].customer, id) == 0;
		int wanted = nonly == 0;
		for (size_t k = 0; k < nonly && !wanted; k++)
			wanted = strcmp(only[k], id) == 0;
		if (seen || !wanted)
			continue;
		packs = xreallocarray(packs, npacks + 1, sizeof(*packs));
		char *name = safe_name(id);
		packs[npacks].customer = id;
		packs[npacks].file = xasprintf("%s/%s.pdf", dir, name);
		packs[npacks].password = NULL;
		free(name);
		for (size_t k = 0; k < npw; k++)
			if (strcmp(pw_ids[k], id) == 0)
				packs[npacks].password = pws[k];
		if (pwfile && packs[npacks].password == NULL) {
			fprintf(stderr, "dossier packs: %s: no password for "
			    "customer %s\n", pwfile, id);
			status = 2;
		}
		for (size_t k = 0; k < npacks; k++)
			if (strcmp(packs[k].file, packs[npacks].file) == 0) {
				fprintf(stderr, "dossier packs: customers %s "
				    "and %s would share the file %s\n",
				    packs[k].customer, id, packs[k].file);
				status = 2;
			}
		npacks++;
	}
	for (size_t k = 0; k < nonly; k++) {
		int found = 0;
		for (size_t i = 0; i < npacks && !found; i++)
			found = strcmp(packs[i].customer, only[k]) == 0;
		if (!found) {
			fprintf(stderr, "dossier packs: no complaint from "
			    "customer \"%s\"\n", only[k]);
			status = 2;
		}
	}
	if (status)
		goto done;
	/* Only now, every customer and password checked: a refused run
	 * writes nothing, not even DIR. */
	if (path_mkdirs(dir) != 0) {
		fprintf(stderr, "dossier packs: cannot create %s: %s\n", dir,
		    strerror(errno));
		status = 2;
		goto done;
	}
	struct avail_options ao;
	avail_options_init(&ao);
	av = avail_build(&m, &ao, &err);
	if (av == NULL) {
		fprintf(stderr, "dossier packs: %s\n", err);
		free(err);
		status = 2;
		goto done;
	}

	/* What every pack needs and can share is prepared here, once,
	 * before the workers are forked (they inherit it, copy-on-write):
	 * the hyphenation dictionary stays loaded for the life of the
	 * process (layout/hyph.c), so opening it once loads it for all. */
	hyph_close(hyph_open(lang_parse(m.info.language) == LANG_EN ?
	    LANG_EN : LANG_FR));
	/* And the case files every pack quotes (the outage logs, the
	 * timeline's text exhibits) are hashed and indexed by line here,
	 * once, rather than once per pack: a 10 MB log took a quarter of
	 * a pack's time. */
	src = compose_sources_new(&m);
	compose_sources_prepare(src, av);
	/* And what a pack withholds is derived from the whole case (every
	 * customer's names, e-mails, ids, contracts, and the automaton that
	 * finds them): here, once, each pack then only picks out the other
	 * customers' (compose/withheld.c). Per pack, that was 8 % of the
	 * run's CPU on a case of a thousand complaints. */
	wh = compose_withheld_new(&m);

	if (jobs > (long)npacks)
		jobs = (long)npacks;
	/* The processes share the cores: a pack's layout takes its share
	 * (layout/chunk.c; one job: the default). */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs > 1)
		layout_set_threads(cores > jobs ? (int)(cores / jobs) : 1);
	/* Nor is a core left for a thread compressing page contents: each
	 * worker compresses its pages as it draws them (same bytes; the
	 * 666 packs of the medium bench case, -j 2 on two cores: 10.3 s ->
	 * 9.9 s, medians of three). */
	render_set_compress_thread(jobs < cores);
	fflush(stdout);
	fflush(stderr);
	/* The next pack to make, shared by the workers: each takes one when
	 * it is free, so a worker that drew long packs does not hold up the
	 * end of the run while the others wait. */
	size_t *next = jobs > 1 ? mmap(NULL, sizeof(size_t),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0) : NULL;
	if (next == MAP_FAILED)
		next = NULL;	/* then in turn, as before */
	pid_t *pids = xcalloc((size_t)jobs + 1, sizeof(pid_t));
	/* Workers write one byte down this pipe per pack done, so the
	 * parent can show progress. */
	int done_pipe[2] = { -1, -1 };
	if (jobs > 1 && pipe(done_pipe) != 0)
		done_pipe[0] = done_pipe[1] = -1;
	long ndone = 0;
	for (long w = 0; w < jobs; w++) {
		pid_t pid = jobs == 1 ? 0 : fork();
		if (pid < 0) {
			fprintf(stderr, "dossier packs: fork: %s\n",
			    strerror(errno));
			status = 2;
			break;
		}
		if (pid == 0) {
			int rc = 0;
			if (done_pipe[0] >= 0)
				close(done_pipe[0]);
			size_t own = (size_t)w;
			for (size_t i = next_pack(next, &own, jobs); i < npacks;
			    i = next_pack(next, &own, jobs)) {
				if (build_one(&m, av, src, wh, &packs[i],
				    quiet) != 0)
					rc = 1;
				if (done_pipe[1] >= 0)
					(void)!write(done_pipe[1], "", 1);
				else
					progress_update("packs", ++ndone,
					    (long)npacks, "written");
			}
			/* The libharu handle kept from pack to pack
			 * (render.c). */
			render_release();
			fflush(stdout);
			if (jobs == 1) {
				status = rc;
				break;
			}
			_exit(rc);
		}
		pids[w] = pid;
	}
	if (done_pipe[1] >= 0) {
		char byte[64];
		ssize_t got;
		close(done_pipe[1]);
		while ((got = read(done_pipe[0], byte, sizeof(byte))) > 0) {
			ndone += got;
			progress_update("packs", ndone, (long)npacks, "written");
		}
		close(done_pipe[0]);
	}
	progress_done();
	for (long w = 0; jobs > 1 && w < jobs; w++) {
		int st;
		if (pids[w] > 0 && (waitpid(pids[w], &st, 0) < 0 ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0))
			status = 1;
	}
	free(pids);
	if (next)
		munmap(next, sizeof(size_t));
	if (status == 0 && !quiet)
		printf("%zu packs written to %s\n", npacks, dir);
done:
	for (size_t i = 0; i < npacks; i++)
		free(packs[i].file);
	free(packs);
	for (size_t i = 0; i < npw; i++) {
		free(pw_ids[i]);
		free(pws[i]);
	}
	free(pw_ids);
	free(pws);
	free(only);
	compose_sources_free(src);
	compose_withheld_free(wh);
	avail_free(av);
	model_free(&m);
	diag_free(&dl);
	return status;
}
