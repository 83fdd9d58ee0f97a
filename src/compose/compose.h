/*
 * compose.h - the compose stage: a stored case and its analysis become a
 * document tree (layout/doc.h), one section per file.
 *
 * The master dossier holds every section for the whole case; a pack
 * (compose_input.customer set) holds only what concerns one customer,
 * with the exhibits keeping their master numbers.
 */
#ifndef DOSSIER_COMPOSE_H
#define DOSSIER_COMPOSE_H

#include "analyze/availability.h"
#include "layout/doc.h"
#include "model.h"
#include "util/diag.h"

struct compose_input {
	const struct case_model *m;
	const struct avail_report *avail;
	const char *customer;		/* NULL: master dossier */
	int64_t outage_threshold;	/* chronology lists longer outages */
	const char *build_options;	/* shown in the manifest */
	int64_t date;			/* the dossier's date (UTC seconds) */
};

/*
 * Build the dossier's document tree. Problems (an exhibit that changed
 * since it was read, a character no font has...) go to dl. Returns the
 * doc (caller frees with doc_free), or NULL on a fatal problem.
 */
struct doc *compose_dossier(const struct compose_input *in,
    struct diag_list *dl);

/* The input manifest: sha256sum-style lines "HASH  PATH\n" for every
 * input file, in path order (caller frees). */
char *compose_manifest_text(const struct case_model *m);

/* The SHA-256 of the input manifest: sha256sum-style lines "HASH  PATH\n"
 * for every input file, in path order. */
void compose_manifest_hash(const struct case_model *m,
    char hex[SHA256_HEX_LEN + 1]);

#endif
