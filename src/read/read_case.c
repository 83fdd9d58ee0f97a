/*
 * read_case.c - read a whole case folder into a case_model.
 *
 * The order is fixed so that the result never depends on the file
 * system: files are listed and sorted by byte order, every input file is
 * hashed (the manifest of the dossier), then the readers run: case.ini
 * (its time zone is needed for every local time), exhibits (numbers are
 * needed by complaints and events), complaints, timeline, outages CSV
 * files, Nagios logs (read on a second thread meanwhile, merged in that
 * place: read_logs.c). Cross-checks between files come last.
 */
#include "read/read_int.h"
#include "util/path.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
read_limits_default(struct read_limits *lim)
{
	lim->max_field = 1u << 20;
	lim->max_line = 4u << 20;
	lim->max_records = 5000000;
	lim->max_side = 20000;
	lim->max_pixels = 100000000;
	lim->max_total = 4LL << 30;
	lim->max_pdf_pages = 2000;
	lim->max_pdf_bytes = 256LL << 20;
}

struct strv {
	char **v;
	size_t n;
};

static void
strv_add(struct strv *sv, char *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 1, sizeof(char *));
	sv->v[sv->n++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in folder dir (relative path rel), sorted by byte order. */
static int
list_dir(const char *dir, struct strv *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strv_add(out, xstrdup(de->d_name));
	closedir(d);
	qsort(out->v, out->n, sizeof(char *), cmp_str);
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every file under exhibits/ (recursively), as case-relative paths. */
static void
list_exhibits(struct reader *r, const char *rel, struct strv *out)
{
	char *full = path_join(r->root, rel);
	struct strv names = { NULL, 0 };

	if (list_dir(full, &names) != 0)
		diag_error(r->dl, rel, 0, NULL, "cannot read the folder: %s",
		    strerror(errno));
	for (size_t i = 0; i < names.n; i++) {
		char *sub = path_join(rel, names.v[i]);
		char *subfull = path_join(r->root, sub);
		struct stat st;
		if (names.v[i][0] == '.') {
			diag_warn(r->dl, sub, 0, NULL, "hidden file in the "
			    "exhibits folder; it is left out");
			free(sub);
		} else if (lstat(subfull, &st) == 0 && S_ISDIR(st.st_mode)) {
			list_exhibits(r, sub, out);
			free(sub);
		} else
			strv_add(out, sub);
		free(subfull);
	}
	list_free(names.v, names.n);
	free(full);
}

/* Register and hash one input file; -1 if it cannot be used. */
static int
add_file(struct reader *r, const char *rel, enum file_kind kind,
    long long *total)
{
	const char *why;
	char *real = path_in_case(r->root, rel, &why);
	int k;

	if (real == NULL) {
		diag_error(r->dl, rel, 0, NULL, "%s", why);
		return -1;
	}
	k = model_file(r->m, rel, kind);
	struct source_file *sf = &r->m->files[k];
	diag_count(r->dl, rel);
	/* A Nagios log, the largest input by far, is hashed by the logs'
	 * thread from the bytes it parses (read_nagios): here its size is
	 * only needed for the limit. */
	struct stat st;
	if (kind == FILE_NAGIOS_LOG && stat(real, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		sf->size = (long long)st.st_size;
		*total += sf->size;
		free(real);
		return k;
	}
	if (sha256_file(real, sf->sha256, &sf->size, &sf->lines) != 0) {
		diag_error(r->dl, rel, 0, NULL, "cannot read the file: %s",
		    strerror(errno));
		free(real);
		return -1;
	}
	*total += sf->size;
	free(real);
	return k;
}

/* Open-addressing set of (host, check) pairs already checked. */
struct pairset {
	uint64_t *keys;	/* key + 1; 0 = empty */
	size_t cap, len;
};

static int
pair_seen(struct pairset *ps, uint64_t key)
{
	if ((ps->len + 1) * 2 > ps->cap) {
		struct pairset old = *ps;
		ps->cap = old.cap ? old.cap * 2 : 64;
		ps->keys = xcalloc(ps->cap, sizeof(uint64_t));
		ps->len = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i])
				pair_seen(ps, old.keys[i] - 1);
		free(old.keys);
	}
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (ps->cap - 1);
	for (; ps->keys[i]; i = (i + 1) & (ps->cap - 1))
		if (ps->keys[i] == key + 1)
			return 1;
	ps->keys[i] = key + 1;
	ps->len++;
	return 0;
}

/*
 * A monitored object that no [monitoring] entry maps to a service is a
 * warning. A host check counts as mapped when any entry names the host
 * (its services depend on it); a service check when an entry names the
 * host and service, or the host alone.
 */
static void
check_monitoring(struct reader *r)
{
	struct case_model *m = r->m;
	struct pairset ps = { NULL, 0, 0 };

	for (size_t i = 0; i < m->nevents; i++) {
		const struct nagios_event *e = &m->events[i];
		if (e->host < 0)
			continue;
		uint64_t key = ((uint64_t)(uint32_t)e->host << 32) |
		    (uint32_t)(e->check + 1);
		if (pair_seen(&ps, key))
			continue;
		const char *host = m->names[e->host];
		const char *check = e->check >= 0 ? m->names[e->check] : NULL;
		int mapped = 0;
		for (size_t k = 0; k < m->nmonitors && !mapped; k++) {
			const struct monitor_map *mm = &m->monitors[k];
			if (strcmp(mm->host, host) != 0)
				continue;
			mapped = check == NULL || mm->check == NULL ||
			    strcmp(mm->check, check) == 0;
		}
		if (!mapped)
			diag_warn(r->dl, m->files[e->prov.file].path,
			    e->prov.line, NULL, "monitored %s \"%s%s%s\" is "
			    "not mapped to any service in case.ini "
			    "[monitoring]; its events are kept but no service "
			    "depends on them", check ? "service" : "host", host,
			    check ? ";" : "", check ? check : "");
	}
	free(ps.keys);
}

static void
check_cited(struct reader *r)
{
	for (size_t i = 0; i < r->m->nexhibits; i++)
		if (!r->ex_cited[i])
			diag_warn(r->dl, r->m->exhibits[i].path, 0, NULL,
			    "exhibit %d is not cited by any complaint or "
			    "timeline event (it is still numbered and listed)",
			    r->m->exhibits[i].number);
}

static void
reader_free(struct reader *r)
{
	for (size_t i = 0; i < r->m->nexhibits; i++)
		free(r->ex_real[i]);
	free(r->ex_real);
	free(r->ex_cited);
	strmap_free(&r->cited);
	list_free(r->bad_real, r->nbad);
	list_free(r->bad_rel, r->nbad);
}

/* Read one top-level CSV file if it is there. */
static void
read_top_csv(struct reader *r, const char *name, int file,
    void (*fn)(struct reader *, const char *, const char *, int))
{
	if (file < 0)
		return;
	char *full = path_join(r->root, name);
	fn(r, full, name, file);
	free(full);
}

int
read_case(const char *root, const struct read_limits *lim,
    struct case_model *m, struct diag_list *dl)
{
	return read_case_sink(root, lim, m, dl, NULL);
}

int
read_case_sink(const char *root, const struct read_limits *lim,
    struct case_model *m, struct diag_list *dl, const struct read_sink *sink)
{
	struct reader rd;
	struct reader *r = &rd;
	struct strv top = { NULL, 0 }, outs = { NULL, 0 }, exs = { NULL, 0 };
	int f_ini = -1, f_compl = -1, f_time = -1, f_exl = -1;
	int have_ini = 0, have_compl = 0, have_time = 0, have_exl = 0;
	int have_exdir = 0, have_outdir = 0;
	long long total = 0;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->root = root;
	r->lim = lim;
	r->m = m;
	r->dl = dl;
	r->sink = sink && sink->events ? sink : NULL;
	m->root = xstrdup(root);
	if (!path_is_dir(root) || list_dir(root, &top) != 0) {
		diag_error(dl, root, 0, NULL, "the case folder cannot be read: "
		    "%s", errno ? strerror(errno) : "not a folder");
		return -1;
	}

	/* What is at the top level. */
	for (size_t i = 0; i < top.n; i++) {
		const char *n = top.v[i];
		char *full = path_join(root, n);
		int isdir = path_is_dir(full);
		free(full);
		if (strcmp(n, "case.ini") == 0 && !isdir)
			have_ini = 1;
		else if (strcmp(n, "complaints.csv") == 0 && !isdir)
			have_compl = 1;
		else if (strcmp(n, "timeline.csv") == 0 && !isdir)
			have_time = 1;
		else if (strcmp(n, "exhibits.csv") == 0 && !isdir)
			have_exl = 1;
		else if (strcmp(n, "exhibits") == 0 && isdir)
			have_exdir = 1;
		else if (strcmp(n, "outages") == 0 && isdir)
			have_outdir = 1;
		else if (strncmp(n, "README", 6) != 0)
			diag_warn(dl, n, 0, NULL, "not part of a case folder "
			    "(see docs/case-format.md); it is left out");
	}
	if (have_exdir)
		list_exhibits(r, "exhibits", &exs);
	if (have_outdir) {
		char *full = path_join(root, "outages");
		struct strv names = { NULL, 0 };
		list_dir(full, &names);
		for (size_t i = 0; i < names.n; i++) {
			char *rel = path_join("outages", names.v[i]);
			char *sub = path_join(root, rel);
			if (!path_is_dir(sub) && (ends_with(rel, ".csv") ||
			    ends_with(rel, ".log")))
				strv_add(&outs, rel);
			else {
				diag_warn(dl, rel, 0, NULL, "only *.csv and "
				    "*.log files are read in outages/; this "
				    "is left out");
				free(rel);
			}
			free(sub);
		}
		list_free(names.v, names.n);
		free(full);
	}

	/* Hash every input file, in a fixed order. */
	if (have_ini)
		f_ini = add_file(r, "case.ini", FILE_CASE_INI, &total);
	if (have_exl)
		f_exl = add_file(r, "exhibits.csv", FILE_EXHIBITS_CSV, &total);
	if (have_compl)
		f_compl = add_file(r, "complaints.csv", FILE_COMPLAINTS, &total);
	if (have_time)
		f_time = add_file(r, "timeline.csv", FILE_TIMELINE, &total);
	int *out_ids = xcalloc(outs.n + 1, sizeof(int));
	for (size_t i = 0; i < outs.n; i++)
		out_ids[i] = add_file(r, outs.v[i], ends_with(outs.v[i],
		    ".csv") ? FILE_OUTAGE_CSV : FILE_NAGIOS_LOG, &total);
	/* Exhibit files whose path is bad are reported by read_exhibits. */
	struct strv good_ex = { NULL, 0 };
	int *ex_ids = xcalloc(exs.n + 1, sizeof(int));
	size_t nex = 0;
	for (size_t i = 0; i < exs.n; i++) {
		const char *why;
		char *real = path_in_case(root, exs.v[i], &why);
		if (real == NULL) {
			diag_error(dl, exs.v[i], 0, NULL, "%s", why);
			continue;
		}
		free(real);
		int k = add_file(r, exs.v[i], FILE_EXHIBIT, &total);
		if (k >= 0) {
			strv_add(&good_ex, xstrdup(exs.v[i]));
			ex_ids[nex++] = k;
		}
	}
	if (total > lim->max_total) {
		char l[32];
		fmt_bytes(lim->max_total, l, sizeof(l));
		diag_error(dl, root, 0, NULL, "the case folder holds %lld bytes; "
		    "the limit is %s; nothing is read", total, l);
		goto out;
	}
	if (!have_ini) {
		diag_error(dl, "case.ini", 0, NULL, "case.ini is missing: every "
		    "case folder needs one (see docs/case-format.md)");
		goto out;
	}
	if (f_ini < 0)
		goto out;
	char *full = path_join(root, "case.ini");
	int ini_rc = read_ini(r, full, "case.ini", f_ini);
	free(full);
	if (ini_rc != 0)
		goto out;

	/*
	 * The logs are read meanwhile, on a second thread (read_logs.c),
	 * started before the exhibits are checked (every image decoded,
	 * 0.1-0.2 s on the large bench case) so that the second core is
	 * not idle then. Nothing from here on adds to the case's file list,
	 * which the thread shares.
	 */
	char **logs = xcalloc(outs.n + 1, sizeof(char *));
	int *log_ids = xcalloc(outs.n + 1, sizeof(int));
	size_t nlogs = 0;
	for (size_t i = 0; i < outs.n; i++)
		if (out_ids[i] >= 0 && ends_with(outs.v[i], ".log")) {
			logs[nlogs] = outs.v[i];
			log_ids[nlogs++] = out_ids[i];
		}
	struct log_job *log_job = logs_start(r, logs, log_ids, nlogs);
	if (have_exl && f_exl >= 0) {
		full = path_join(root, "exhibits.csv");
		read_exhibits(r, full, "exhibits.csv", f_exl, good_ex.v, ex_ids,
		    good_ex.n);
		free(full);
	} else
		read_exhibits(r, NULL, NULL, -1, good_ex.v, ex_ids, good_ex.n);
	if (!have_compl)
		diag_error(dl, "complaints.csv", 0, NULL, "complaints.csv is "
		    "missing: every case folder needs one");
	read_top_csv(r, "complaints.csv", f_compl, read_complaints);
	read_top_csv(r, "timeline.csv", f_time, read_timeline);
	for (size_t i = 0; i < outs.n; i++)
		if (out_ids[i] >= 0 && ends_with(outs.v[i], ".csv"))
			read_top_csv(r, outs.v[i], out_ids[i], read_outages_csv);
	logs_finish(log_job, r);
	free(logs);
	free(log_ids);
	check_cited(r);
	check_monitoring(r);
	rc = 0;
out:
	reader_free(r);
	list_free(top.v, top.n);
	list_free(outs.v, outs.n);
	list_free(exs.v, exs.n);
	list_free(good_ex.v, good_ex.n);
	free(out_ids);
	free(ex_ids);
	return rc;
}
