/*
 * harufloor.c - the libharu floor: how fast could a PDF of this text be
 * written at all, with no layout?
 *
 *   harufloor FONT.ttf COMPLAINTS.csv OUT.pdf [PAGES]
 *
 * Reads the summaries and statements of a case's complaints.csv (the
 * body text of the dossier), cuts them at a space every 95 bytes at most
 * (no measuring, no hyphenation, no justification: that is what "no
 * layout" means), and writes them 50 lines to an A4 page with
 * HPDF_Page_ShowText in the TrueType font FONT (embedded, UTF-8
 * encoder), compression on. With PAGES, exactly that many pages are
 * written, the text starting over when it runs out, so the floor can be
 * set against a dossier of the same page count. Prints, like
 * `dossier ... --stats`:
 *
 *	stat: render S		the pages (HPDF_Page_ShowText)
 *	stat: save S		compression and writing (HPDF_SaveToFile)
 *	stat: total S
 *	stat: pages N
 *	stat: peak_rss_kb N
 *
 * The reading of the CSV is not timed.
 */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/read.h"
#include "read/read_csv.h"
#include "util/diag.h"
#include "util/stats.h"
#include "util/xalloc.h"

#define LINES_PER_PAGE 50
#define MAX_LINE 95		/* bytes */

static const char *const columns[] = { "complaint_id", "received",
	"customer_id", "customer_name", "email", "services", "contract",
	"prepaid_eur", "prepaid_until", "summary", "statement", "exhibits" };
enum { C_SUMMARY = 9, C_STATEMENT = 10 };

struct text {
	char **line;
	size_t n, cap;
};

static void
add_line(struct text *t, const char *s, size_t n)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		t->line = xreallocarray(t->line, t->cap, sizeof(*t->line));
	}
	t->line[t->n++] = xstrndup(s, n);
}

/* Cut one paragraph (no newline inside) into lines of at most MAX_LINE
 * bytes, at spaces; a longer word makes a line of its own. */
static void
add_paragraph(struct text *t, const char *p, size_t n)
{
	while (n > 0) {
		size_t cut = n;
		if (n > MAX_LINE) {
			cut = MAX_LINE;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0) {	/* a long word: up to the next space */
				cut = MAX_LINE;
				while (cut < n && p[cut] != ' ')
					cut++;
			}
		}
		add_line(t, p, cut);
		while (cut < n && p[cut] == ' ')
			cut++;
		p += cut;
		n -= cut;
	}
}

/* A field: paragraphs at newlines, a blank line after it. */
static void
add_field(struct text *t, const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (n > 0)
			add_paragraph(t, s, n);
		s += nl ? (size_t)(nl - s) + 1 : strlen(s);
	}
	add_line(t, "", 0);
}

static int
on_row(void *ctx, const struct csv_row *row)
{
	add_field(ctx, row->f[C_SUMMARY]);
	add_field(ctx, row->f[C_STATEMENT]);
	return 0;
}

static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *data)
{
	fprintf(stderr, "harufloor: libharu error 0x%04X (detail %u)\n",
	    (unsigned)err, (unsigned)detail);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct read_limits lim;
	struct diag_list dl;
	struct csv_counts cnt = { 0 };
	struct text t = { 0 };

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: harufloor FONT.ttf COMPLAINTS.csv "
		    "OUT.pdf [PAGES]\n");
		return 2;
	}
	long want = argc == 5 ? atol(argv[4]) : 0;
	read_limits_default(&lim);
	diag_init(&dl);
	struct csv_spec spec = { argv[2], columns,
		sizeof(columns) / sizeof(columns[0]), &lim, &dl, on_row, &t };
	if (csv_read_file(argv[2], &spec, &cnt) != 0 || t.n == 0) {
		diag_print(&dl, stderr);
		fprintf(stderr, "harufloor: no text in %s\n", argv[2]);
		return 1;
	}
	if (want <= 0)
		want = (long)((t.n + LINES_PER_PAGE - 1) / LINES_PER_PAGE);

	stats_enable(1);
	stats_begin();
	HPDF_Doc pdf = HPDF_New(on_error, NULL);
	if (!pdf)
		return 1;
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	const char *name = HPDF_LoadTTFontFromFile(pdf, argv[1], HPDF_TRUE);
	HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
	size_t k = 0;
	for (long p = 0; p < want; p++) {
		HPDF_Page page = HPDF_AddPage(pdf);
		HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
		    HPDF_PAGE_PORTRAIT);
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, font, 10.5);
		HPDF_Page_SetTextLeading(page, 14);
		HPDF_Page_MoveTextPos(page, 57, 842 - 72);
		for (int l = 0; l < LINES_PER_PAGE; l++) {
			if (t.line[k][0])
				HPDF_Page_ShowText(page, t.line[k]);
			HPDF_Page_MoveToNextLine(page);
			k = (k + 1) % t.n;
		}
		HPDF_Page_EndText(page);
	}
	stats_lap("render");
	HPDF_SaveToFile(pdf, argv[3]);
	HPDF_Free(pdf);
	stats_lap("save");
	stats_count("pages", want);
	stats_print(stdout);

	for (size_t i = 0; i < t.n; i++)
		free(t.line[i]);
	free(t.line);
	diag_free(&dl);
	return 0;
}
