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
	 * withheld from every text (see ctx_redact). */
	char **withheld;	/* longest first (see redact.c) */
	size_t nwithheld;
	struct acmatch *matcher;	/* finds them; NULL: the slow way */
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
void section_exhibits(struct compose_ctx *c);
void section_index(struct compose_ctx *c);
void section_manifest(struct compose_ctx *c);

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
/* Collect what a pack withholds (nothing for the master dossier), and
 * free it. */
void ctx_collect_withheld(struct compose_ctx *c);
void ctx_withheld_free(struct compose_ctx *c);
/* Lines joined with "\n", or NULL when there are none. Caller frees. */
char *ctx_join_lines(char **lines, long n);

/* Compare two names as a reader expects: accents and case folded. */
int compose_collate(const char *a, const char *b);

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
/* Set up and release what ctx_file_lines keeps per file. */
void ctx_sources_init(struct compose_ctx *c);
void ctx_sources_free(struct compose_ctx *c);

#endif
