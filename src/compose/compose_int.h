/*
 * compose_int.h - what the section files of src/compose/ share.
 *
 * compose.c builds a compose_ctx (the selection of records for a master
 * dossier or a customer's pack, customers grouped, index entries) and
 * calls each section in order; each section_*.c appends its blocks to
 * the doc.
 */
#ifndef DOSSIER_COMPOSE_INT_H
#define DOSSIER_COMPOSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "compose/compose.h"
#include "compose/labels.h"

/* One customer: their complaints in received order. */
struct customer_group {
	const char *id, *name, *email;
	size_t *complaints;	/* indices into m->complaints */
	size_t n;
	const struct avail_customer *avail;	/* NULL if none */
};

struct acmatch;

/* A text every pack redacts, and the forms found in it (redact.c). */
struct known_text {
	const char *text;	/* NULL: an empty slot */
	int *forms;		/* the automaton's finds, ascending */
	size_t n;
};

/*
 * Every form a pack may withhold, derived from the whole case once
 * (withheld.c, which says how a pack selects among them). A form is
 * a string as it is matched (see withheld_form), numbered longest
 * first, forms as long in the order the case first gives them.
 */
struct compose_withheld {
	const struct case_model *m;
	size_t nforms;
	char **form;		/* by number */
	size_t *len;		/* strlen of each */
	size_t *first;		/* its first collection (see below) */
	/* The stream: every time a complaint gives a form (its names,
	 * e-mail, id, then contract), complaint by complaint in case order;
	 * complaint i's are [cstart[i], cstart[i + 1]). */
	size_t nct;
	int *ct_form;
	size_t *ct_complaint;
	unsigned char *ct_contract;	/* 1: the complaint's contract */
	size_t *cstart;
	/* Per form f, its collections in stream order:
	 * fct[fstart[f] .. fstart[f + 1]). */
	size_t *fstart, *fct;
	/* Complaint indices by customer id, then case order; per complaint
	 * the first complaint of the same customer, and of the same
	 * contract (SIZE_MAX: none). */
	size_t *by_customer, *customer, *contract;
	struct acmatch *matcher;	/* every form, id = number; NULL if none */
	size_t *unfit, nunfit;	/* forms the automaton cannot stand for */
	/* The timeline's texts, looked for once (withheld_learn_text), by
	 * address: open addressing, knowncap a power of two or 0. */
	struct known_text *known;
	size_t nknown, knowncap;
};

struct compose_ctx {
	const struct compose_input *in;
	const struct case_model *m;
	const struct avail_report *av;
	struct doc *d;
	const struct labels *L;
	enum lang lang;
	int fr;
	struct diag_list *dl;
	/* What this document holds (all 1 for the master dossier). */
	unsigned char *complaint_in, *exhibit_in, *service_in;
	struct customer_group *groups;
	size_t ngroups;
	/* In a pack: other customers' names, e-mails and own contracts,
	 * withheld from every text (see ctx_redact), chosen among the
	 * case's forms (withheld.c): the caller's (compose_input.withheld)
	 * or own_wh, derived for this document alone. */
	const struct compose_withheld *wh;
	struct compose_withheld *own_wh;
	int *withheld;		/* form numbers, longest first (withheld.c) */
	size_t nwithheld;
	unsigned char *skip;	/* per form: 1 if this pack does not
				 * withhold it (its matches are ignored) */
	const struct acmatch *matcher;	/* finds the case's forms;
					 * NULL: the slow way */
	char **owned;		/* redacted copies, freed at the end */
	size_t nowned;
	char manifest_sha256[SHA256_HEX_LEN + 1];	/* of the inputs */
	/* Per input file: digest checked, where its lines start
	 * (source_lines.c): the caller's (compose_input.sources), or
	 * own_sources made for this document alone. */
	struct compose_sources *sources, *own_sources;
	unsigned char *reported;	/* per file: its change reported */
};

/* Sections, in dossier order. */
void section_cover(struct compose_ctx *c);
void section_contents(struct compose_ctx *c);
void section_exhibit_list(struct compose_ctx *c);
void section_chronology(struct compose_ctx *c);
void section_availability(struct compose_ctx *c);
void section_complaints(struct compose_ctx *c);
/* section_complaints in parts: its heading, customer group g (in any
 * order, each to its doc), its end. */
void complaints_open(struct compose_ctx *c);
void complaints_group(struct compose_ctx *c, size_t g);
void complaints_close(struct compose_ctx *c);
void section_exhibits(struct compose_ctx *c);
void section_index(struct compose_ctx *c);
void section_manifest(struct compose_ctx *c);

/*
 * The master dossier from its cover to its exhibits on two threads
 * (compose_split.c), when compose_split_wanted says it pays: the same
 * blocks and problems, in the same order, as the sections in order.
 */
int compose_split_wanted(const struct compose_ctx *c);
void compose_split(struct compose_ctx *c);
/* For tests: 1 or 2 threads whatever DOSSIER_COMPOSE_THREADS and the
 * case say (0: as they say); with two, the first customer group the
 * second thread composes (SIZE_MAX: as the threads come to them). */
extern int compose_test_threads;
extern size_t compose_test_split;

/* Anchors: "ex-12" (exhibit), "cp-ID" (complaint), "av-ID" (service's
 * availability), "cu-ID" (customer). Caller frees. */
char *anchor_exhibit(int number);
char *anchor_complaint(const char *id);
char *anchor_service(const char *service_id);
char *anchor_customer(const char *customer_id);

/*
 * Text fit for this document: in a pack, every other customer's name,
 * e-mail address and contract reference replaced by "[…]" (matched
 * case-folded, any run of white space matching any other); in the
 * master dossier, the text itself. The result lives as long as the ctx.
 */
const char *ctx_redact(struct compose_ctx *c, const char *text);
/* The same for the lines of a file, redacted in place as one text (a
 * name broken across two lines is withheld on both); lines keep their
 * number. */
void ctx_redact_lines(struct compose_ctx *c, char **lines, long n);
/* 1 if text holds anything ctx_redact would withhold. */
int ctx_withholds(const struct compose_ctx *c, const char *text);
/* Select what a pack withholds (nothing for the master dossier), and
 * free it. */
void ctx_collect_withheld(struct compose_ctx *c);
void ctx_withheld_free(struct compose_ctx *c);
/* The i-th form this pack withholds, in the order they are replaced. */
static inline const char *
ctx_withheld(const struct compose_ctx *c, size_t i)
{
	return c->wh->form[c->withheld[i]];
}
/* Look for the case's forms in a text of the case every pack redacts,
 * once for all packs (a text of valid UTF-8, while w->matcher exists). */
void withheld_learn_text(struct compose_withheld *w, const char *text);
/* The form a string is withheld in: case folded, white space runs made
 * one space, trimmed (redact.c). Caller frees. */
char *withheld_form(const char *s);
/* Lines joined with "\n", or NULL when there are none. Caller frees. */
char *ctx_join_lines(char **lines, long n);

/* Compare two names as a reader expects: accents and case folded. */
int compose_collate(const char *a, const char *b);

/* qsort_r order of complaint indices (arg: the case model): by customer
 * id, then in case order. */
int compose_by_customer_id(const void *pa, const void *pb, void *arg);

/* Dates and durations in the case language, case time zone. Caller frees. */
char *ctx_date(const struct compose_ctx *c, int64_t t);
char *ctx_datetime(const struct compose_ctx *c, int64_t t);
char *ctx_duration(const struct compose_ctx *c, int64_t seconds);
char *ctx_percent(const struct compose_ctx *c, double v, int decimals);

/* Label of a service id (the id itself when not declared). */
const char *ctx_service_label(const struct compose_ctx *c, const char *id);
/* The availability result of a service id, or NULL. */
const struct avail_result *ctx_service_avail(const struct compose_ctx *c,
    const char *id);

/* Read a case file's lines [first, last] (1-based) for an excerpt,
 * after checking its SHA-256 still matches the manifest. Returns the
 * number of lines read (lines[] and numbers[] malloc'd), or -1. */
long ctx_file_lines(struct compose_ctx *c, int file, long first, long last,
    char ***lines, long **numbers);
/* Set up and release what ctx_file_lines keeps per file (and set
 * c->manifest_sha256). */
void ctx_sources_init(struct compose_ctx *c);
void ctx_sources_free(struct compose_ctx *c);

#endif
