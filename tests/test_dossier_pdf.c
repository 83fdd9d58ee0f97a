/*
 * test_dossier_pdf.c - the master dossier (issue 5) as real PDF readers
 * see it, on both fixtures.
 *
 * The `dossier` binary (env DOSSIER, default ./dossier) builds each
 * fixture into a mkdtemp folder; the PDFs are then read with the qpdf C
 * API (pages, link annotations, destinations, named destinations,
 * outline, page labels, Info) and with poppler: one `pdftotext -layout`
 * and one `pdftotext -bbox` per file (pages split at form feeds / <page>;
 * the text under a link's /Rect is taken from the -bbox words, which is
 * what `pdftotext -r 72 -x -y -W -H` would print, without a process per
 * link), pdfinfo and pdffonts; every stderr must be empty. Checked:
 *
 *  - qpdf --check clean; no poppler warning; fonts embedded and subset;
 *  - every link annotation lands on a page whose text holds what the link
 *    shows: a page number link (index, exhibit list "Pages", "voir page
 *    N", "(p. N)") lands on that physical page; a text link (contents
 *    entry, exhibit list title, "Pièce n° N", service or complaint
 *    reference) lands on a page holding that text, and a contents
 *    entry's printed page number is its destination; counts per kind
 *    are printed;
 *  - index: the term of each page number is on that page (a known
 *    defect, see test_index_terms_on_their_pages);
 *  - the outline equals the contents (levels 1-2: same titles, same
 *    pages, same order) and each outline entry lands on its heading;
 *  - every complaint id, customer name and exhibit ("Pièce n° N — title"
 *    / "Exhibit N — title") of the case (read with read_case) is in the
 *    text;
 *  - footers "page X / Y" (X physical page, Y page count, none on the
 *    cover); page labels equal physical page numbers;
 *  - byte-identical rebuilds (same cwd; other cwd with TZ and LANG
 *    changed), and SOURCE_DATE_EPOCH sets the Info dates.
 *
 * Text is compared normalised: no white space of any kind, no hyphens
 * (hyphenation and line wrapping cannot make a check flake), typographic
 * quotes and apostrophes folded to ASCII.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <qpdf/qpdf-c.h>

#include "model.h"
#include "read/read.h"
#include "util/diag.h"
#include "util/xalloc.h"

#define SDE_VALUE 1700000000L	/* 2023-11-14 22:13:20 UTC */

static char dir[] = "/tmp/dossier-test-pdf-XXXXXX";
static char *dossier_bin;	/* absolute path */
static char *repo_dir;		/* the cwd the test was started in */

/* ------------------------------------------------------------------ */
/* Running commands                                                    */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct buf b;
	buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.len;
	buf_addc(&b, '\0');
	return buf_take(&b);
}

/* Run a shell command; stdout returned, stderr into *err, exit status. */
static char *run(const char *cmd, char **err, int *status)
{
	char *errfile = xasprintf("%s/stderr.txt", dir);
	char *full = xasprintf("%s 2>'%s'", cmd, errfile);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	struct buf b;
	buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&b, chunk, n);
	buf_addc(&b, '\0');
	int st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	char *e = slurp(errfile, NULL);
	if (err)
		*err = e ? e : xstrdup("");
	else
		free(e);
	unlink(errfile);
	free(full);
	free(errfile);
	return buf_take(&b);
}

/* Commands run side by side (the builds, pdftotext on both files):
 * job i's stdout, stderr and exit status in out[i], err[i], st[i]. */
struct job {
	char *cmd, *out, *err;
	int st;
};

static void run_jobs(struct job *j, int n)
{
	struct buf sh;
	buf_init(&sh);
	for (int i = 0; i < n; i++)
		buf_printf(&sh, "{ ( %s ) >'%s/job%d.out' 2>'%s/job%d.err'; "
		    "echo $? >'%s/job%d.rc'; } &\n", j[i].cmd, dir, i, dir, i,
		    dir, i);
	buf_adds(&sh, "wait\n");
	char *script = xasprintf("%s/jobs.sh", dir);
	FILE *f = fopen(script, "w");
	assert_non_null(f);
	fwrite(sh.data, 1, sh.len, f);
	fclose(f);
	buf_free(&sh);
	char *cmd = xasprintf("sh '%s'", script);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	for (int i = 0; i < n; i++) {
		char *o = xasprintf("%s/job%d.out", dir, i);
		char *e = xasprintf("%s/job%d.err", dir, i);
		char *r = xasprintf("%s/job%d.rc", dir, i);
		j[i].out = slurp(o, NULL);
		j[i].err = slurp(e, NULL);
		char *rc = slurp(r, NULL);
		assert_non_null(j[i].out);
		assert_non_null(j[i].err);
		assert_non_null(rc);
		j[i].st = atoi(rc);
		free(rc);
		unlink(o);
		unlink(e);
		unlink(r);
		free(o);
		free(e);
		free(r);
	}
	unlink(script);
	free(script);
}

static void free_jobs(struct job *j, int n)
{
	for (int i = 0; i < n; i++) {
		free(j[i].cmd);
		free(j[i].out);
		free(j[i].err);
	}
}

/* ------------------------------------------------------------------ */
/* Text normalisation                                                  */

/*
 * No white space (ASCII, no-break, narrow no-break, thin, zero width),
 * no hyphen (ASCII, soft, U+2010, U+2011), quotes folded to ' and ",
 * "…" to "...", ASCII letters lower-cased when fold is set. White space
 * between two digits becomes \x01, so that numbers keep their ends.
 */
static char *norm(const char *s, int fold)
{
	struct buf b;
	buf_init(&b);
	const unsigned char *p = (const unsigned char *)s;
	int space = 0;
	while (*p) {
		if (isspace(*p)) {
			space = 1;
			p++;
			continue;
		}
		if (*p == '-') {
			p++;
			continue;
		}
		if (p[0] == 0xC2 && p[1] == 0xA0) {
			space = 1;	/* no-break space */
			p += 2;
			continue;
		}
		if (p[0] == 0xC2 && p[1] == 0xAD) {
			p += 2;	/* soft hyphen */
			continue;
		}
		if (p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB)) {
			buf_addc(&b, '"');
			p += 2;
			continue;
		}
		if (p[0] == 0xE2 && p[1] == 0x80) {
			switch (p[2]) {
			case 0x07: case 0x08: case 0x09: case 0x0A: case 0x0B:
			case 0xAF:
				space = 1;	/* spaces */
				p += 3;
				continue;
			case 0x10: case 0x11:
				p += 3;	/* hyphens */
				continue;
			case 0x98: case 0x99:
				buf_addc(&b, '\'');
				p += 3;
				continue;
			case 0x9C: case 0x9D:
				buf_addc(&b, '"');
				p += 3;
				continue;
			case 0xA6:
				buf_adds(&b, "...");
				p += 3;
				continue;
			}
		}
		if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			p += 3;	/* BOM */
			continue;
		}
		/* "57940" then line number "1" must not read "579401" */
		if (space && b.len && isdigit((unsigned char)b.data[b.len - 1]) &&
		    isdigit(*p))
			buf_addc(&b, '\x01');
		space = 0;
		buf_addc(&b, (char)(fold ? tolower(*p) : *p));
		p++;
	}
	buf_addc(&b, '\0');
	return buf_take(&b);
}

/* needle in hay; a needle ending in a digit must not be followed by
 * one ("Exhibit 1" is not found in "Exhibit 12"). */
static int contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return 1;
	int digit_end = isdigit((unsigned char)needle[n - 1]);
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		if (!digit_end || !isdigit((unsigned char)p[n]))
			return 1;
	return 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* The PDF as read                                                     */

struct word {
	double x0, y0, x1, y1;	/* from the top left, points */
	char *t;
};

struct page {
	double w, h;
	struct word *words;
	size_t nwords;
	char *layout;		/* pdftotext -layout, this page */
	char *raw;		/* pdftotext -bbox words in reading order */
	char *nl, *nr, *nlf, *nrf;	/* normalised; f: case folded */
};

struct link {
	int src, dst;		/* page indices; dst -1 when unresolved */
	double y;		/* destination's FitH top */
	int dest_id;		/* object number of its destination, or 0
				   when written in the link (render.c) */
	double r[4];		/* /Rect */
	char *text;		/* words under the rectangle */
	char *after;		/* last word right of it on its line, or "" */
	int first_word;		/* index of its first word on the page, -1 */
	int num;		/* its text is a number: "12", "12,", "12)" */
	int cont;		/* continues the previous piece on the next
				   line (a link wrapped over lines) */
};

struct outl {
	int level;
	char *title;
	int page;
};

struct pdf {
	const char *name, *case_dir;
	char *path;
	int npages;
	struct page *pages;
	struct link *links;
	size_t nlinks;
	struct outl *outline;
	size_t noutline;
	int page_contents, page_exhibit_list, page_index;
	int *section_start;	/* sorted pages where level-1 parts start */
	size_t nsection;
	char **labels;		/* page labels, NULL when absent */
	char *creation, *moddate;
	char *poppler_err;	/* every poppler stderr, concatenated */
	struct case_model m;
	int fr;
};

static struct pdf pdfs[2] = {
	{ .name = "amen", .case_dir = "fixtures/amen-2005" },
	{ .name = "northwind", .case_dir = "fixtures/northwind-2021" },
};

/* Decode the few XML entities pdftotext -bbox writes. */
static char *xml_text(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		static const struct { const char *e; char c; } ent[] = {
			{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
			{ "&quot;", '"' }, { "&apos;", '\'' },
		};
		size_t k;
		for (k = 0; k < 5; k++) {
			size_t el = strlen(ent[k].e);
			if (i + el <= n && strncmp(s + i, ent[k].e, el) == 0) {
				buf_addc(&b, ent[k].c);
				i += el - 1;
				break;
			}
		}
		if (k == 5)
			buf_addc(&b, s[i]);
	}
	buf_addc(&b, '\0');
	return buf_take(&b);
}

static void parse_bbox(struct pdf *P, const char *xml)
{
	int pg = -1;
	for (const char *p = xml; *p; p++) {
		if (strncmp(p, "<page ", 6) == 0) {
			pg++;
			assert_true(pg < P->npages);
			assert_int_equal(sscanf(p, "<page width=\"%lf\" "
			    "height=\"%lf\"", &P->pages[pg].w,
			    &P->pages[pg].h), 2);
		} else if (strncmp(p, "<word ", 6) == 0) {
			struct page *g = &P->pages[pg];
			struct word w;
			assert_int_equal(sscanf(p, "<word xMin=\"%lf\" "
			    "yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &w.x0,
			    &w.y0, &w.x1, &w.y1), 4);
			const char *a = strchr(p, '>') + 1;
			const char *e = strstr(a, "</word>");
			assert_non_null(e);
			w.t = xml_text(a, (size_t)(e - a));
			g->words = xreallocarray(g->words, g->nwords + 1,
			    sizeof(*g->words));
			g->words[g->nwords++] = w;
			p = e;
		}
	}
	assert_int_equal(pg + 1, P->npages);
}

/* Split pdftotext output at form feeds into the pages' texts. */
static void split_pages(struct pdf *P, const char *text)
{
	const char *p = text;
	for (int i = 0; i < P->npages; i++) {
		const char *ff = strchr(p, '\f');
		assert_non_null(ff);
		P->pages[i].layout = xasprintf("%.*s", (int)(ff - p), p);
		p = ff + 1;
	}
}

/* ---- qpdf ---- */

static int dest_page(qpdf_data q, qpdf_oh d, double *y, int depth);

/* A name tree (/Names /Dests) lookup. */
static qpdf_oh name_tree_get(qpdf_data q, qpdf_oh node, const char *key,
    int depth)
{
	if (depth > 20)
		return 0;
	qpdf_oh names = qpdf_oh_get_key(q, node, "/Names");
	if (qpdf_oh_is_array(q, names)) {
		int n = qpdf_oh_get_array_n_items(q, names);
		for (int i = 0; i + 1 < n; i += 2) {
			qpdf_oh k = qpdf_oh_get_array_item(q, names, i);
			if (strcmp(qpdf_oh_get_utf8_value(q, k), key) == 0)
				return qpdf_oh_get_array_item(q, names, i + 1);
		}
	}
	qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
	if (qpdf_oh_is_array(q, kids))
		for (int i = 0; i < qpdf_oh_get_array_n_items(q, kids); i++) {
			qpdf_oh r = name_tree_get(q,
			    qpdf_oh_get_array_item(q, kids, i), key, depth + 1);
			if (r)
				return r;
		}
	return 0;
}

/* A named destination: /Root /Dests, else /Root /Names /Dests. */
static qpdf_oh named_dest(qpdf_data q, const char *name)
{
	qpdf_oh root = qpdf_get_root(q);
	qpdf_oh dests = qpdf_oh_get_key(q, root, "/Dests");
	if (qpdf_oh_is_dictionary(q, dests)) {
		char *k = xasprintf("/%s", name);
		qpdf_oh v = qpdf_oh_has_key(q, dests, k) ?
		    qpdf_oh_get_key(q, dests, k) : 0;
		free(k);
		if (v)
			return v;
	}
	qpdf_oh names = qpdf_oh_get_key(q, root, "/Names");
	if (qpdf_oh_is_dictionary(q, names)) {
		qpdf_oh tree = qpdf_oh_get_key(q, names, "/Dests");
		if (qpdf_oh_is_dictionary(q, tree))
			return name_tree_get(q, tree, name, 0);
	}
	return 0;
}

static int named_dest_page(qpdf_data q, const char *name)
{
	qpdf_oh d = named_dest(q, name);
	double y;
	return d ? dest_page(q, d, &y, 0) : -1;
}

/* The page index a destination (array, name, string or /D dict) is on. */
static int dest_page(qpdf_data q, qpdf_oh d, double *y, int depth)
{
	if (depth > 5)
		return -1;
	if (qpdf_oh_is_name(q, d))
		return named_dest_page(q, qpdf_oh_get_name(q, d) + 1);
	if (qpdf_oh_is_string(q, d))
		return named_dest_page(q, qpdf_oh_get_utf8_value(q, d));
	if (qpdf_oh_is_dictionary(q, d))
		return dest_page(q, qpdf_oh_get_key(q, d, "/D"), y, depth + 1);
	if (!qpdf_oh_is_array(q, d) || qpdf_oh_get_array_n_items(q, d) < 2)
		return -1;
	qpdf_oh pg = qpdf_oh_get_array_item(q, d, 0);
	qpdf_oh kind = qpdf_oh_get_array_item(q, d, 1);
	*y = -1;
	if (qpdf_oh_is_name_and_equals(q, kind, "/FitH") &&
	    qpdf_oh_get_array_n_items(q, d) > 2)
		*y = qpdf_oh_get_numeric_value(q,
		    qpdf_oh_get_array_item(q, d, 2));
	if (qpdf_oh_is_integer(q, pg))
		return (int)qpdf_oh_get_numeric_value(q, pg);
	if (!qpdf_oh_is_dictionary(q, pg))
		return -1;
	return qpdf_find_page_by_oh(q, pg);
}

/* A link's or outline item's destination: /Dest, else /A /D (GoTo). */
static int item_dest(qpdf_data q, qpdf_oh item, double *y)
{
	*y = -1;
	if (qpdf_oh_has_key(q, item, "/Dest"))
		return dest_page(q, qpdf_oh_get_key(q, item, "/Dest"), y, 0);
	qpdf_oh a = qpdf_oh_get_key(q, item, "/A");
	if (qpdf_oh_is_dictionary(q, a) &&
	    qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, a, "/S"), "/GoTo"))
		return dest_page(q, qpdf_oh_get_key(q, a, "/D"), y, 0);
	return -1;
}

static void walk_outline(struct pdf *P, qpdf_data q, qpdf_oh first, int level)
{
	int guard = 0;
	for (qpdf_oh it = first; qpdf_oh_is_dictionary(q, it) && guard < 10000;
	    it = qpdf_oh_get_key(q, it, "/Next"), guard++) {
		double y;
		P->outline = xreallocarray(P->outline, P->noutline + 1,
		    sizeof(*P->outline));
		struct outl *o = &P->outline[P->noutline++];
		o->level = level;
		o->title = xstrdup(qpdf_oh_get_utf8_value(q,
		    qpdf_oh_get_key(q, it, "/Title")));
		o->page = item_dest(q, it, &y);
		walk_outline(P, q, qpdf_oh_get_key(q, it, "/First"), level + 1);
	}
}

/* Page labels, from the /PageLabels number tree (/Nums, /Kids). */
static void collect_nums(qpdf_data q, qpdf_oh node, int *starts, qpdf_oh *dicts,
    int *n, int max, int depth)
{
	if (depth > 20)
		return;
	qpdf_oh nums = qpdf_oh_get_key(q, node, "/Nums");
	if (qpdf_oh_is_array(q, nums))
		for (int i = 0; i + 1 < qpdf_oh_get_array_n_items(q, nums) &&
		    *n < max; i += 2) {
			starts[*n] = (int)qpdf_oh_get_numeric_value(q,
			    qpdf_oh_get_array_item(q, nums, i));
			dicts[(*n)++] = qpdf_oh_get_array_item(q, nums, i + 1);
		}
	qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
	if (qpdf_oh_is_array(q, kids))
		for (int i = 0; i < qpdf_oh_get_array_n_items(q, kids); i++)
			collect_nums(q, qpdf_oh_get_array_item(q, kids, i),
			    starts, dicts, n, max, depth + 1);
}

static char *label_for(qpdf_data q, qpdf_oh dict, int value)
{
	const char *prefix = "";
	if (qpdf_oh_has_key(q, dict, "/P"))
		prefix = qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, dict, "/P"));
	qpdf_oh s = qpdf_oh_get_key(q, dict, "/S");
	if (!qpdf_oh_is_name(q, s))
		return xstrdup(prefix);
	if (qpdf_oh_is_name_and_equals(q, s, "/D"))
		return xasprintf("%s%d", prefix, value);
	/* Roman or letters: not decimal, so never equal to a page number. */
	return xasprintf("%s<%s %d>", prefix, qpdf_oh_get_name(q, s), value);
}

static void read_labels(struct pdf *P, qpdf_data q)
{
	qpdf_oh pl = qpdf_oh_get_key(q, qpdf_get_root(q), "/PageLabels");
	if (!qpdf_oh_is_dictionary(q, pl))
		return;
	int max = P->npages + 16, n = 0;
	int *starts = xcalloc((size_t)max, sizeof(int));
	qpdf_oh *dicts = xcalloc((size_t)max, sizeof(qpdf_oh));
	collect_nums(q, pl, starts, dicts, &n, max, 0);
	P->labels = xcalloc((size_t)P->npages, sizeof(char *));
	for (int p = 0; p < P->npages; p++) {
		int k = -1;
		for (int i = 0; i < n; i++)
			if (starts[i] <= p && (k < 0 || starts[i] >= starts[k]))
				k = i;
		if (k < 0) {
			P->labels[p] = xstrdup("");
			continue;
		}
		int st = 1;
		if (qpdf_oh_has_key(q, dicts[k], "/St"))
			st = (int)qpdf_oh_get_numeric_value(q,
			    qpdf_oh_get_key(q, dicts[k], "/St"));
		P->labels[p] = label_for(q, dicts[k], st + (p - starts[k]));
	}
	free(starts);
	free(dicts);
}

/* A number with its punctuation: "12", "12,", "(12)", "12)." */
static int is_number(const char *s)
{
	char *t = xstrdup(*s == '(' ? s + 1 : s);
	size_t n = strlen(t);
	while (n && strchr(",.;:)", t[n - 1]))
		t[--n] = '\0';
	int r = all_digits(t);
	free(t);
	return r;
}

/* Text under a rectangle: words whose vertical centre is inside and
 * which are at least half inside horizontally, in reading order; and
 * the last word right of it on the same line (a contents entry's page
 * number). */
static void link_text(struct pdf *P, struct link *L)
{
	struct page *g = &P->pages[L->src];
	double top = g->h - L->r[3], bottom = g->h - L->r[1];
	double left = L->r[0], right = L->r[2];
	struct buf b;
	buf_init(&b);
	const char *after = "";
	double after_x = right;
	L->first_word = -1;
	for (size_t i = 0; i < g->nwords; i++) {
		const struct word *w = &g->words[i];
		double cy = (w->y0 + w->y1) / 2;
		if (cy < top - 1 || cy > bottom + 1)
			continue;
		double ov = fmin(w->x1, right) - fmax(w->x0, left);
		if (ov < (w->x1 - w->x0) / 2) {
			if (w->x0 >= right && w->x0 >= after_x) {
				after = w->t;
				after_x = w->x0;
			}
			continue;
		}
		if (b.len)
			buf_addc(&b, ' ');
		buf_adds(&b, w->t);
		if (L->first_word < 0)
			L->first_word = (int)i;
	}
	buf_addc(&b, '\0');
	L->text = buf_take(&b);
	L->after = xstrdup(after);
	L->num = is_number(L->text);
}

/* Pieces of one link wrapped over lines: same page and destination, the
 * next piece on a lower line starting at or left of the previous one. */
static void link_pieces(struct pdf *P)
{
	for (size_t i = 1; i < P->nlinks; i++) {
		struct link *L = &P->links[i], *prev = &P->links[i - 1];
		L->cont = L->src == prev->src && L->dst == prev->dst &&
		    L->y == prev->y && L->dest_id == prev->dest_id &&
		    (!prev->num || prev->cont) &&
		    L->r[3] <= prev->r[1] + 1 && L->r[0] <= prev->r[0] + 1;
	}
}

/* End (exclusive) of the link starting with piece i. */
static size_t link_end(const struct pdf *P, size_t i)
{
	size_t j = i + 1;
	while (j < P->nlinks && P->links[j].cont)
		j++;
	return j;
}

/* The text of the link made of pieces [i, j), trailing ",;:" dropped
 * (pdftotext words keep their punctuation: "PostgreSQL:"). */
static char *link_join(const struct pdf *P, size_t i, size_t j)
{
	struct buf b;
	buf_init(&b);
	for (size_t k = i; k < j; k++) {
		if (k > i)
			buf_addc(&b, ' ');
		buf_adds(&b, P->links[k].text);
	}
	while (b.len && strchr(",;:", b.data[b.len - 1]))
		b.len--;
	buf_addc(&b, '\0');
	return buf_take(&b);
}

static void read_qpdf(struct pdf *P)
{
	qpdf_data q = qpdf_init();
	qpdf_silence_errors(q);
	assert_int_equal(qpdf_read(q, P->path, NULL) & QPDF_ERRORS, 0);
	P->npages = qpdf_get_num_pages(q);
	assert_true(P->npages > 0);
	P->pages = xcalloc((size_t)P->npages, sizeof(*P->pages));
	for (int p = 0; p < P->npages; p++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)p);
		qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
		if (!qpdf_oh_is_array(q, annots))
			continue;
		for (int i = 0; i < qpdf_oh_get_array_n_items(q, annots); i++) {
			qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
			if (!qpdf_oh_is_name_and_equals(q,
			    qpdf_oh_get_key(q, a, "/Subtype"), "/Link"))
				continue;
			P->links = xreallocarray(P->links, P->nlinks + 1,
			    sizeof(*P->links));
			struct link *L = &P->links[P->nlinks++];
			memset(L, 0, sizeof(*L));
			L->src = p;
			L->dst = item_dest(q, a, &L->y);
			qpdf_oh d = qpdf_oh_get_key(q, a, "/Dest");
			L->dest_id = qpdf_oh_is_indirect(q, d) ?
			    qpdf_oh_get_object_id(q, d) : 0;
			qpdf_oh r = qpdf_oh_get_key(q, a, "/Rect");
			assert_true(qpdf_oh_is_array(q, r));
			for (int k = 0; k < 4; k++)
				L->r[k] = qpdf_oh_get_numeric_value(q,
				    qpdf_oh_get_array_item(q, r, k));
			if (L->r[0] > L->r[2]) {
				double t = L->r[0]; L->r[0] = L->r[2]; L->r[2] = t;
			}
			if (L->r[1] > L->r[3]) {
				double t = L->r[1]; L->r[1] = L->r[3]; L->r[3] = t;
			}
		}
	}
	qpdf_oh ol = qpdf_oh_get_key(q, qpdf_get_root(q), "/Outlines");
	if (qpdf_oh_is_dictionary(q, ol))
		walk_outline(P, q, qpdf_oh_get_key(q, ol, "/First"), 1);
	P->page_contents = named_dest_page(q, "contents");
	P->page_exhibit_list = named_dest_page(q, "exhibit-list");
	P->page_index = named_dest_page(q, "index");
	read_labels(P, q);
	/* each call reuses the string of the previous one */
	const char *c = qpdf_get_info_key(q, "/CreationDate");
	P->creation = xstrdup(c ? c : "");
	const char *m = qpdf_get_info_key(q, "/ModDate");
	P->moddate = xstrdup(m ? m : "");
	qpdf_oh_release_all(q);
	qpdf_cleanup(&q);
}

static int int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Where the parts start: contents, the level-1 outline entries, index. */
static void sections(struct pdf *P)
{
	P->section_start = xcalloc(P->noutline + 4, sizeof(int));
	P->nsection = 0;
	P->section_start[P->nsection++] = 0;	/* cover */
	if (P->page_contents >= 0)
		P->section_start[P->nsection++] = P->page_contents;
	if (P->page_index >= 0)
		P->section_start[P->nsection++] = P->page_index;
	for (size_t i = 0; i < P->noutline; i++)
		if (P->outline[i].level == 1 && P->outline[i].page >= 0)
			P->section_start[P->nsection++] = P->outline[i].page;
	qsort(P->section_start, P->nsection, sizeof(int), int_cmp);
}

/* First page of the part after the one starting at page `start`. */
static int section_end(const struct pdf *P, int start)
{
	for (size_t i = 0; i < P->nsection; i++)
		if (P->section_start[i] > start)
			return P->section_start[i];
	return P->npages;
}

static char *build_cmd(const char *env, const char *cwd, const char *case_dir,
    const char *out)
{
	/* Under ASan (make check-asan) LeakSanitizer would list the
	 * suppressions used on stderr, which must stay empty. */
	return xasprintf("cd '%s' && LSAN_OPTIONS=\"${LSAN_OPTIONS:+"
	    "$LSAN_OPTIONS:}print_suppressions=0\" %s '%s' build '%s/%s' "
	    "-o '%s' -q", cwd, env, dossier_bin, repo_dir, case_dir, out);
}

/* Every build must succeed silently. */
static void check_builds(struct job *j, int n)
{
	for (int i = 0; i < n; i++) {
		if (j[i].st != 0 || j[i].err[0])
			fprintf(stderr, "%s: exit %d: %s\n", j[i].cmd, j[i].st,
			    j[i].err);
		assert_int_equal(j[i].st, 0);
		assert_string_equal(j[i].err, "");
	}
}

static char *poppler(struct pdf *P, const char *args)
{
	char *err;
	int st;
	char *cmd = xasprintf("%s '%s'", args, P->path);
	char *out = run(cmd, &err, &st);
	if (err[0]) {
		char *all = xasprintf("%s%s: %s", P->poppler_err, cmd, err);
		free(P->poppler_err);
		P->poppler_err = all;
	}
	assert_int_equal(st, 0);
	free(err);
	free(cmd);
	return out;
}

static int setup(void **state)
{
	(void)state;
	char cwd[PATH_MAX];
	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof cwd) == NULL)
		return -1;
	repo_dir = xstrdup(cwd);
	const char *bin = getenv("DOSSIER");
	if (bin == NULL || !*bin)
		bin = "./dossier";
	char real[PATH_MAX];
	if (realpath(bin, real) == NULL) {
		fprintf(stderr, "test_dossier_pdf: no dossier binary at %s\n", bin);
		return -1;
	}
	dossier_bin = xstrdup(real);
	struct job j[4];
	memset(j, 0, sizeof j);
	for (int k = 0; k < 2; k++) {
		pdfs[k].path = xasprintf("%s/%s.pdf", dir, pdfs[k].name);
		pdfs[k].poppler_err = xstrdup("");
		j[k].cmd = build_cmd("", repo_dir, pdfs[k].case_dir,
		    pdfs[k].path);
	}
	run_jobs(j, 2);
	check_builds(j, 2);
	free_jobs(j, 2);
	/* pdftotext once per file and mode, pages split at form feeds */
	for (int k = 0; k < 2; k++) {
		j[2 * k].cmd = xasprintf("pdftotext -enc UTF-8 -layout '%s' -",
		    pdfs[k].path);
		j[2 * k + 1].cmd = xasprintf("pdftotext -enc UTF-8 -bbox '%s' -",
		    pdfs[k].path);
	}
	run_jobs(j, 4);
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		read_qpdf(P);
		sections(P);
		for (int i = 2 * k; i < 2 * k + 2; i++) {
			assert_int_equal(j[i].st, 0);
			if (j[i].err[0]) {
				char *all = xasprintf("%s%s: %s", P->poppler_err,
				    j[i].cmd, j[i].err);
				free(P->poppler_err);
				P->poppler_err = all;
			}
		}
		split_pages(P, j[2 * k].out);
		parse_bbox(P, j[2 * k + 1].out);
		for (int p = 0; p < P->npages; p++) {
			struct page *g = &P->pages[p];
			/* the words in reading order: pdftotext's raw text */
			struct buf b;
			buf_init(&b);
			for (size_t i = 0; i < g->nwords; i++) {
				buf_adds(&b, g->words[i].t);
				buf_addc(&b, ' ');
			}
			buf_addc(&b, '\0');
			g->raw = buf_take(&b);
			g->nl = norm(g->layout, 0);
			g->nr = norm(g->raw, 0);
			g->nlf = norm(g->layout, 1);
			g->nrf = norm(g->raw, 1);
		}
		for (size_t i = 0; i < P->nlinks; i++)
			link_text(P, &P->links[i]);
		link_pieces(P);

		struct read_limits lim;
		struct diag_list dl;
		read_limits_default(&lim);
		diag_init(&dl);
		model_init(&P->m);
		char *root = xasprintf("%s/%s", repo_dir, P->case_dir);
		if (read_case(root, &lim, &P->m, &dl) != 0 || dl.errors)
			return -1;
		P->fr = P->m.info.language == NULL ||
		    strcmp(P->m.info.language, "en") != 0;
		free(root);
		diag_free(&dl);
	}
	free_jobs(j, 4);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		for (int p = 0; p < P->npages; p++) {
			struct page *g = &P->pages[p];
			for (size_t i = 0; i < g->nwords; i++)
				free(g->words[i].t);
			free(g->words);
			free(g->layout);
			free(g->raw);
			free(g->nl);
			free(g->nr);
			free(g->nlf);
			free(g->nrf);
			if (P->labels)
				free(P->labels[p]);
		}
		for (size_t i = 0; i < P->nlinks; i++) {
			free(P->links[i].text);
			free(P->links[i].after);
		}
		for (size_t i = 0; i < P->noutline; i++)
			free(P->outline[i].title);
		free(P->links);
		free(P->outline);
		free(P->pages);
		free(P->labels);
		free(P->section_start);
		free(P->creation);
		free(P->moddate);
		free(P->poppler_err);
		free(P->path);
		model_free(&P->m);
	}
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	free(dossier_bin);
	free(repo_dir);
	return 0;
}

/* Is this (already normalised) text on page p? */
static int on_page(const struct pdf *P, int p, const char *n, int fold)
{
	if (p < 0 || p >= P->npages)
		return 0;
	const struct page *g = &P->pages[p];
	return fold ? contains(g->nlf, n) || contains(g->nrf, n) :
	    contains(g->nl, n) || contains(g->nr, n);
}

/*
 * Pages of PDF exhibits (issue 9) hold the exhibit's own page, stamped
 * "Pièce n° N — page k/n" / "Exhibit N — page k/n" in the top band: k,
 * with N in *exhibit, or 0 for the dossier's own pages. Their text is
 * the exhibit's, not the dossier's: a link or bookmark to such an
 * exhibit lands on its page 1 (the title is not printed there), and its
 * own links and fonts are what the exhibit has (tests/suite-pdfex.sh
 * checks them).
 */
static int imported_page(const struct pdf *P, int p, int *exhibit)
{
	if (p < 0 || p >= P->npages || P->pages[p].layout == NULL)
		return 0;
	const char *s = P->pages[p].layout;
	while (*s == '\n' || *s == ' ')
		s++;
	const char *eol = strchr(s, '\n');
	size_t len = eol ? (size_t)(eol - s) : strlen(s);
	char *line = xasprintf("%.*s", (int)len, s);
	const char *dash = strstr(line, " \xE2\x80\x94 page ");
	int n = 0, k = 0, of = 0;
	if (dash && sscanf(dash + 10, "%d/%d", &k, &of) == 2 && k >= 1 &&
	    (sscanf(line, "Pi\xC3\xA8""ce n\xC2\xB0 %d", &n) == 1 ||
	    sscanf(line, "Exhibit %d", &n) == 1)) {
		if (exhibit)
			*exhibit = n;
	} else
		k = 0;
	free(line);
	return k;
}

/* Does a link or bookmark text (normalised) name the PDF exhibit whose
 * first page is p? */
static int names_imported(const struct pdf *P, int p, const char *ntext)
{
	int n = 0, ok = 0;
	if (imported_page(P, p, &n) != 1)
		return 0;
	for (size_t i = 0; i < P->m.nexhibits && !ok; i++)
		if (P->m.exhibits[i].number == n &&
		    P->m.exhibits[i].type == EXHIBIT_PDF) {
			char *nt = norm(P->m.exhibits[i].title, 0);
			ok = contains(ntext, nt);
			free(nt);
		}
	return ok;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void test_qpdf_check(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		char *err;
		int st;
		char *cmd = xasprintf("qpdf --check '%s'", pdfs[k].path);
		char *out = run(cmd, &err, &st);
		if (st != 0 || err[0] || !strstr(out, "No syntax or stream "
		    "encoding errors found"))
			fprintf(stderr, "%s: exit %d\n%s%s", cmd, st, out, err);
		assert_int_equal(st, 0);
		assert_string_equal(err, "");
		assert_non_null(strstr(out, "No syntax or stream encoding "
		    "errors found"));
		assert_null(strstr(out, "WARNING"));
		printf("  %s: qpdf --check clean, %d pages\n", pdfs[k].name,
		    pdfs[k].npages);
		free(out);
		free(err);
		free(cmd);
	}
}

static void test_poppler_quiet_and_fonts(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		char *info = poppler(P, "pdfinfo");
		const char *pg = strstr(info, "\nPages:");
		assert_non_null(pg);
		assert_int_equal(atoi(pg + 7), P->npages);
		free(info);
		/* Fonts of PDF exhibits come with their pages, as the
		 * exhibit has them (often the standard 14, not embedded). */
		struct buf imported;
		buf_init(&imported);
		buf_adds(&imported, "\n");
		for (size_t i = 0; i < P->m.nexhibits; i++) {
			if (P->m.exhibits[i].type != EXHIBIT_PDF)
				continue;
			char *cmd = xasprintf("pdffonts '%s/%s' 2>/dev/null | "
			    "awk 'NR > 2 { print $1 }'", P->case_dir,
			    P->m.exhibits[i].path);
			int st;
			char *o = run(cmd, NULL, &st);
			buf_adds(&imported, o ? o : "");
			free(o);
			free(cmd);
		}
		char *fonts = poppler(P, "pdffonts");
		const char *rows = strstr(fonts, "\n---");
		assert_non_null(rows);
		rows = strchr(rows + 1, '\n');
		int nfonts = 0, bad = 0;
		for (char *line = strtok((char *)rows, "\n"); line;
		    line = strtok(NULL, "\n")) {
			char *tok[64];
			int n = 0;
			/* Split by hand: strtok is in use. */
			char *s = line;
			while (*s && n < 64) {
				while (*s == ' ')
					s++;
				if (!*s)
					break;
				tok[n++] = s;
				while (*s && *s != ' ')
					s++;
				if (*s)
					*s++ = '\0';
			}
			if (n < 6)
				continue;
			nfonts++;
			/* ... emb sub uni objnum gen */
			char *want = xasprintf("\n%s\n", tok[0]);
			int from_exhibit = strstr(imported.data, want) != NULL;
			free(want);
			if (!from_exhibit &&
			    (strcmp(tok[n - 5], "yes") || strcmp(tok[n - 4], "yes") ||
			    strcmp(tok[n - 3], "yes"))) {
				fprintf(stderr, "  %s: font %s: emb %s sub %s uni "
				    "%s\n", P->name, tok[0], tok[n - 5],
				    tok[n - 4], tok[n - 3]);
				bad++;
			}
		}
		free(fonts);
		buf_free(&imported);
		assert_true(nfonts > 0);
		assert_int_equal(bad, 0);
		if (P->poppler_err[0])
			fprintf(stderr, "%s", P->poppler_err);
		assert_string_equal(P->poppler_err, "");
		printf("  %s: pdftotext/pdfinfo/pdffonts silent; %d fonts "
		    "embedded, subset, with ToUnicode\n", P->name, nfonts);
	}
}

static void test_footers_and_labels(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		int bad = 0;
		for (int p = 0; p < P->npages; p++) {
			int found = 0, right = 0;
			for (const char *s = P->pages[p].layout;
			    (s = strstr(s, "page ")) != NULL; s++) {
				int x, y, len = 0;
				if (sscanf(s, "page %d / %d%n", &x, &y, &len) == 2 &&
				    len > 0) {
					found++;
					right += x == p + 1 && y == P->npages;
				}
			}
			/* and it is the footer: below the body, centred */
			const struct page *g = &P->pages[p];
			int foot = 0;
			for (size_t i = 0; i + 3 < g->nwords; i++)
				if (!strcmp(g->words[i].t, "page") &&
				    atoi(g->words[i + 1].t) == p + 1 &&
				    !strcmp(g->words[i + 2].t, "/") &&
				    atoi(g->words[i + 3].t) == P->npages &&
				    g->words[i].y0 > g->h * 0.88 &&
				    fabs((g->words[i].x0 + g->words[i + 3].x1) / 2 -
				    g->w / 2) < 10)
					foot++;
			/* an exhibit's page may say "page 1/2" itself */
			int ok = p == 0 ? found == 0 :
			    imported_page(P, p, NULL) ? right >= 1 && foot == 1 :
			    found == 1 && right == 1 && foot == 1;
			if (!ok) {
				fprintf(stderr, "  %s page %d: %d footer(s), %d "
				    "reading \"page %d / %d\"\n", P->name, p + 1,
				    found, right, p + 1, P->npages);
				bad++;
			}
		}
		assert_int_equal(bad, 0);
		assert_non_null(P->labels);
		for (int p = 0; p < P->npages; p++) {
			char want[16];
			snprintf(want, sizeof want, "%d", p + 1);
			if (strcmp(P->labels[p], want))
				fprintf(stderr, "  %s page %d: label \"%s\"\n",
				    P->name, p + 1, P->labels[p]);
			assert_string_equal(P->labels[p], want);
		}
		printf("  %s: %d pages, footer \"page X / %d\" (bottom centre) "
		    "on pages 2-%d, none on the cover, page labels 1-%d\n", P->name, P->npages, P->npages,
		    P->npages, P->npages);
	}
}

/* The index term a page number link belongs to: the words on the
 * term's line before the run of page numbers that holds the link. */
static char *index_term(const struct pdf *P, const struct link *L)
{
	const struct page *g = &P->pages[L->src];
	int i = L->first_word;
	while (i >= 0 && is_number(g->words[i].t))
		i--;	/* back over "3," "6," to the term's last word */
	if (i < 0)
		return NULL;
	int end = i;
	double y = g->words[end].y0;
	while (i > 0 && fabs(g->words[i - 1].y0 - y) < 1 &&
	    g->words[i - 1].x1 < g->words[i].x0)
		i--;
	struct buf b;
	buf_init(&b);
	for (int k = i; k <= end; k++) {
		if (k > i)
			buf_addc(&b, ' ');
		buf_adds(&b, g->words[k].t);
	}
	if (b.len && b.data[b.len - 1] == ',')
		b.len--;
	buf_addc(&b, '\0');
	return buf_take(&b);
}

/* "12," -> 12 */
static int number_of(const char *s)
{
	return atoi(*s == '(' ? s + 1 : s);
}

enum kind { K_CONTENTS, K_EXHIBIT_LIST, K_INDEX, K_BODY, NKIND };
static const char *const kind_name[NKIND] = { "contents", "exhibit list",
	"index", "body cross-reference" };

static enum kind link_kind(const struct pdf *P, int src)
{
	if (P->page_contents >= 0 && src >= P->page_contents &&
	    src < section_end(P, P->page_contents))
		return K_CONTENTS;
	if (P->page_exhibit_list >= 0 && src >= P->page_exhibit_list &&
	    src < section_end(P, P->page_exhibit_list))
		return K_EXHIBIT_LIST;
	if (P->page_index >= 0 && src >= P->page_index &&
	    src < section_end(P, P->page_index))
		return K_INDEX;
	return K_BODY;
}

struct centry {
	char *title;
	int page;	/* printed at the end of its line, 1-based; -1 none */
	int dst;	/* link destination, 0-based */
	double indent;	/* left of its link: level 1 or 2 */
};

/* Contents entries, in order, from the contents pages' links: the
 * linked title, and the page number printed after the dot leaders. */
static struct centry *contents_entries(const struct pdf *P, size_t *n)
{
	struct centry *v = NULL;
	*n = 0;
	for (size_t i = 0; i < P->nlinks; i = link_end(P, i)) {
		const struct link *L = &P->links[i];
		if (link_kind(P, L->src) != K_CONTENTS)
			continue;
		size_t j = link_end(P, i);
		char *text = link_join(P, i, j);
		/* The page number after the dot leaders is a link of its
		 * own: it belongs to the entry before it. */
		if (all_digits(text) && *n > 0 && v[*n - 1].dst == L->dst) {
			if (v[*n - 1].page < 0)
				v[*n - 1].page = atoi(text);
			free(text);
			continue;
		}
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[*n].title = text;
		const char *num = P->links[j - 1].after;
		v[*n].page = all_digits(num) ? atoi(num) : -1;
		v[*n].dst = L->dst;
		v[*n].indent = L->r[0];
		(*n)++;
	}
	return v;
}

/*
 * Every link lands on a page that holds what it shows. A page number
 * (index entry, exhibit list "Pages" column, "voir page N", "(p. N)")
 * must be its destination's physical page. A text (contents entry,
 * exhibit title, "Pièce n° N", service or complaint reference) must be
 * on the destination page, whole; else its first part before " — "
 * ("R-2005-0048 — Julien Pereira": the complaint id; counted apart). A
 * contents entry's printed page number must be its destination too.
 */
static void test_links(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		int num[NKIND] = { 0 }, text[NKIND] = { 0 }, head[NKIND] = { 0 };
		int bad = 0, unresolved = 0, wrapped = 0, printed_ok = 0;
		assert_true(P->nlinks > 0);
		for (size_t i = 0; i < P->nlinks; i = link_end(P, i)) {
			const struct link *L = &P->links[i];
			size_t j = link_end(P, i);
			enum kind kd = link_kind(P, L->src);
			if (imported_page(P, L->src, NULL))
				continue;	/* the exhibit's own link */
			if (L->dst < 0 || L->dst >= P->npages) {
				fprintf(stderr, "  %s p%d link \"%s\": no "
				    "destination page\n", P->name, L->src + 1,
				    L->text);
				unresolved++;
				continue;
			}
			if (L->num && j == i + 1) {
				num[kd]++;
				if (number_of(L->text) != L->dst + 1) {
					fprintf(stderr, "  %s p%d %s: page number "
					    "link \"%s\" lands on page %d\n",
					    P->name, L->src + 1, kind_name[kd],
					    L->text, L->dst + 1);
					bad++;
				}
				continue;
			}
			wrapped += j > i + 1;
			char *s = link_join(P, i, j);
			char *n = norm(s, 0);
			int ok = strlen(n) >= 2 && (on_page(P, L->dst, n, 0) ||
			    names_imported(P, L->dst, n));
			if (!ok) {
				const char *dash = strstr(s, " — ");
				char *first = dash ? xasprintf("%.*s",
				    (int)(dash - s), s) : NULL;
				char *nf = first ? norm(first, 0) : NULL;
				if (nf && strlen(nf) >= 4 &&
				    on_page(P, L->dst, nf, 0)) {
					ok = 1;
					head[kd]++;
				}
				free(first);
				free(nf);
			}
			text[kd]++;
			int printed = -1;
			if (kd == K_CONTENTS) {
				const char *a = P->links[j - 1].after;
				printed = all_digits(a) ? atoi(a) : -1;
				if (printed != L->dst + 1)
					ok = 0;
				else
					printed_ok++;
			}
			if (!ok) {
				fprintf(stderr, "  %s p%d %s: link \"%s\"", P->name,
				    L->src + 1, kind_name[kd], s);
				if (kd == K_CONTENTS)
					fprintf(stderr, " (printed page %d)",
					    printed);
				fprintf(stderr, " lands on page %d, which does "
				    "not hold it\n", L->dst + 1);
				bad++;
			}
			free(n);
			free(s);
		}
		printf("  %s: %zu link annotations on %d pages (%d links "
		    "wrapped over lines, joined):\n", P->name, P->nlinks,
		    P->npages, wrapped);
		for (int kd = 0; kd < NKIND; kd++)
			printf("    %-21s %4d text links on a page holding their "
			    "text (%d by their id before \" — \"), %4d page "
			    "numbers = target page\n", kind_name[kd], text[kd],
			    head[kd], num[kd]);
		printf("    contents page numbers printed after the dot leaders "
		    "= target page: %d\n", printed_ok);
		assert_int_equal(unresolved, 0);
		assert_true(text[K_CONTENTS] > 0);
		assert_true(text[K_EXHIBIT_LIST] > 0);
		assert_true(num[K_EXHIBIT_LIST] > 0);
		assert_true(num[K_INDEX] > 0);
		assert_int_equal(bad, 0);
	}
}

/*
 * Every page an index entry lists holds its term. Regression: the marks
 * were once placed before a complaint's statement, so a statement that
 * started on the next page was indexed on the page before (amen-2005
 * "grève, 48" for R-2005-0004, whose statement is on p. 49). Marks now
 * sit next to the paragraph or key-value line that holds the word.
 */
static void test_index_terms_on_their_pages(void **state)
{
	(void)state;
	int total_bad = 0;
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		int terms = 0, bad = 0;
		for (size_t i = 0; i < P->nlinks; i++) {
			const struct link *L = &P->links[i];
			if (link_kind(P, L->src) != K_INDEX || !L->num ||
			    L->cont)
				continue;
			char *term = index_term(P, L);
			char *nt = term ? norm(term, 1) : NULL;
			terms++;
			if (nt == NULL || !on_page(P, L->dst, nt, 1)) {
				fprintf(stderr, "  %s index \"%s, %d\": \"%s\" is "
				    "not on page %d%s\n", P->name,
				    term ? term : "?", number_of(L->text),
				    term ? term : "?", L->dst + 1,
				    nt && on_page(P, L->dst + 1, nt, 1) ?
				    " but on the next page" :
				    nt && on_page(P, L->dst - 1, nt, 1) ?
				    " but on the page before" : "");
				bad++;
			}
			free(term);
			free(nt);
		}
		printf("  %s: index terms on the pages listed: %d of %d\n",
		    P->name, terms - bad, terms);
		assert_true(terms > 0);
		total_bad += bad;
	}
	if (total_bad)
		fprintf(stderr, "  %d index page numbers do not hold their "
		    "term\n", total_bad);
	assert_int_equal(total_bad, 0);
}

static void test_outline(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		size_t nc;
		struct centry *c = contents_entries(P, &nc);
		int bad = 0;
		size_t j = 0, top = 0;
		assert_true(P->noutline > 0);
		double left = 1e9;
		for (size_t i = 0; i < nc; i++)
			left = fmin(left, c[i].indent);
		for (size_t i = 0; i < P->noutline; i++) {
			const struct outl *o = &P->outline[i];
			/* Bookmarks end with their page: "Chronologie (p. 6)". */
			char *title = xstrdup(o->title);
			char *suffix = strrchr(title, '(');
			int printed = -1;
			if (suffix && suffix > title && suffix[-1] == ' ' &&
			    sscanf(suffix, "(p. %d)", &printed) == 1)
				suffix[-1] = '\0';
			if (printed != o->page + 1) {
				fprintf(stderr, "  %s outline \"%s\" does not end "
				    "with its page (p. %d)\n", P->name, o->title,
				    o->page + 1);
				bad++;
			}
			char *nt = norm(title, 0);
			free(title);
			/* every entry lands on its heading (a PDF exhibit's
			 * on its first page; its own outline on its pages) */
			if (o->page < 0 || (!on_page(P, o->page, nt, 0) &&
			    !names_imported(P, o->page, nt) &&
			    !(o->level > 2 && imported_page(P, o->page, NULL)))) {
				fprintf(stderr, "  %s outline \"%s\" (level %d) "
				    "lands on page %d, which does not hold it\n",
				    P->name, o->title, o->level, o->page + 1);
				bad++;
			}
			if (o->level > 2) {
				free(nt);
				continue;
			}
			top++;
			/* levels 1-2 are the contents, in the same order */
			if (j >= nc) {
				fprintf(stderr, "  %s outline \"%s\" (p. %d) not in "
				    "the contents\n", P->name, o->title,
				    o->page + 1);
				bad++;
			} else {
				char *ct = norm(c[j].title, 0);
				int clevel = c[j].indent > left + 4 ? 2 : 1;
				if (strcmp(ct, nt) || c[j].page != o->page + 1 ||
				    c[j].dst != o->page || clevel != o->level) {
					fprintf(stderr, "  %s outline \"%s\" level %d "
					    "p. %d vs contents \"%s\" level %d p. %d "
					    "(link to p. %d)\n", P->name, o->title,
					    o->level, o->page + 1, c[j].title, clevel,
					    c[j].page, c[j].dst + 1);
					bad++;
				}
				free(ct);
				j++;
			}
			free(nt);
		}
		for (; j < nc; j++, bad++)
			fprintf(stderr, "  %s contents \"%s\" not in the outline\n",
			    P->name, c[j].title);
		printf("  %s: outline %zu entries (%zu at levels 1-2 = %zu "
		    "contents entries: titles, levels, pages, order), each on "
		    "its heading's page\n", P->name,
		    P->noutline, top, nc);
		for (size_t i = 0; i < nc; i++)
			free(c[i].title);
		free(c);
		assert_int_equal(bad, 0);
	}
}

static void test_expected_text(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		struct buf all;
		buf_init(&all);
		for (int p = 0; p < P->npages; p++) {
			buf_adds(&all, P->pages[p].nl);
			buf_addc(&all, '\n');
			buf_adds(&all, P->pages[p].nr);
			buf_addc(&all, '\n');
		}
		buf_addc(&all, '\0');
		char *text = buf_take(&all);
		int bad = 0, ids = 0, names = 0, exhibits = 0;
		const struct case_model *m = &P->m;
		assert_true(m->ncomplaints > 0 && m->nexhibits > 0);
		for (size_t i = 0; i < m->ncomplaints; i++) {
			const struct complaint *cp = &m->complaints[i];
			char *a = norm(cp->id, 0), *b = norm(cp->customer_name, 0);
			ids++;
			if (!contains(text, a)) {
				fprintf(stderr, "  %s: complaint %s missing\n",
				    P->name, cp->id);
				bad++;
			}
			names++;
			if (!contains(text, b)) {
				fprintf(stderr, "  %s: customer \"%s\" missing\n",
				    P->name, cp->customer_name);
				bad++;
			}
			free(a);
			free(b);
		}
		for (size_t i = 0; i < m->nexhibits; i++) {
			const struct exhibit *e = &m->exhibits[i];
			char *stamp = xasprintf(P->fr ? "Pièce n° %d — %s" :
			    "Exhibit %d — %s", e->number, e->title);
			char *n = norm(stamp, 0);
			exhibits++;
			if (!contains(text, n)) {
				fprintf(stderr, "  %s: \"%s\" missing\n", P->name,
				    stamp);
				bad++;
			}
			free(n);
			free(stamp);
		}
		printf("  %s: %d complaint ids, %d customer names (%zu "
		    "complaints), %d exhibits with titles found\n", P->name,
		    ids, names, m->ncomplaints, exhibits);
		free(text);
		assert_int_equal(bad, 0);
	}
}

static int same_bytes(const char *a, const char *b)
{
	size_t la, lb;
	char *x = slurp(a, &la), *y = slurp(b, &lb);
	int same = x && y && la == lb && memcmp(x, y, la) == 0;
	if (!same)
		fprintf(stderr, "  %s (%zu bytes) and %s (%zu bytes) differ\n",
		    a, la, b, lb);
	free(x);
	free(y);
	return same;
}

/*
 * Identical input, identical bytes: a second build; a build from another
 * working directory with TZ and LANG changed. SOURCE_DATE_EPOCH sets the
 * Info dates (else they are the case's newest date).
 */
static void test_reproducible(void **state)
{
	(void)state;
	char *other = xasprintf("%s/elsewhere", dir);
	char *mk = xasprintf("mkdir -p '%s'", other);
	assert_int_equal(system(mk), 0);
	free(mk);
	struct job j[6];
	char *out[6];
	char *sde_env = xasprintf("SOURCE_DATE_EPOCH=%ld", SDE_VALUE);
	memset(j, 0, sizeof j);
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		out[3 * k] = xasprintf("%s/%s-again.pdf", dir, P->name);
		out[3 * k + 1] = xasprintf("%s/%s-tz.pdf", dir, P->name);
		out[3 * k + 2] = xasprintf("%s/%s-sde.pdf", dir, P->name);
		j[3 * k].cmd = build_cmd("", repo_dir, P->case_dir, out[3 * k]);
		j[3 * k + 1].cmd = build_cmd("TZ=Asia/Tokyo LANG=C LC_ALL=C",
		    other, P->case_dir, out[3 * k + 1]);
		j[3 * k + 2].cmd = build_cmd(sde_env, repo_dir, P->case_dir,
		    out[3 * k + 2]);
	}
	run_jobs(j, 6);
	check_builds(j, 6);
	free_jobs(j, 6);
	free(sde_env);
	for (int k = 0; k < 2; k++) {
		struct pdf *P = &pdfs[k];
		assert_true(same_bytes(P->path, out[3 * k]));
		assert_true(same_bytes(P->path, out[3 * k + 1]));

		qpdf_data q = qpdf_init();
		qpdf_silence_errors(q);
		assert_int_equal(qpdf_read(q, out[3 * k + 2], NULL) &
		    QPDF_ERRORS, 0);
		/* each call reuses the string of the previous one */
		const char *ci = qpdf_get_info_key(q, "/CreationDate");
		char *c = ci ? xstrdup(ci) : NULL;
		const char *mi = qpdf_get_info_key(q, "/ModDate");
		char *m = mi ? xstrdup(mi) : NULL;
		qpdf_cleanup(&q);
		time_t t = SDE_VALUE;
		struct tm tm;
		gmtime_r(&t, &tm);
		char want[32];
		strftime(want, sizeof want, "D:%Y%m%d%H%M%S", &tm);
		printf("  %s: second build, and from another cwd with "
		    "TZ=Asia/Tokyo LANG=C: identical bytes; Info dates %s, "
		    "with SOURCE_DATE_EPOCH=%ld: %s\n", P->name, P->creation,
		    SDE_VALUE, c ? c : "(none)");
		assert_non_null(c);
		assert_non_null(m);
		assert_true(strncmp(c, want, strlen(want)) == 0);
		assert_true(strncmp(m, want, strlen(want)) == 0);
		assert_true(P->creation[0] != '\0');
		assert_string_equal(P->creation, P->moddate);
		assert_string_not_equal(P->creation, c);
		free(c);
		free(m);
	}
	for (int i = 0; i < 6; i++)
		free(out[i]);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qpdf_check),
		cmocka_unit_test(test_poppler_quiet_and_fonts),
		cmocka_unit_test(test_footers_and_labels),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_index_terms_on_their_pages),
		cmocka_unit_test(test_outline),
		cmocka_unit_test(test_expected_text),
		cmocka_unit_test(test_reproducible),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
