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
	/* The checked case files, shared by the documents of one run
	 * (see compose_sources_new); NULL: this document checks the files
	 * it quotes itself. */
	struct compose_sources *sources;
	/* The case's forms a pack withholds, shared by the packs of one
	 * run (see compose_withheld_new); NULL: a pack derives them. */
	const struct compose_withheld *withheld;
};

/*
 * The case files a document quotes (log excerpts, text exhibits), each
 * checked against its SHA-256 in the manifest and indexed by line the
 * first time it is quoted. A run writing many documents from one case
 * (packs) makes one, prepares it before forking its workers (they
 * inherit the checks), and passes it in every compose_input: each file
 * is then hashed once per run instead of once per document (and the
 * digest of the input manifest, which every document shows, made once).
 */
struct compose_sources *compose_sources_new(const struct case_model *m);
/* Check now the files every pack quotes: the logs around the outages
 * of av, the text exhibits of timeline events. */
void compose_sources_prepare(struct compose_sources *s,
    const struct avail_report *av);
void compose_sources_free(struct compose_sources *s);

/*
 * What packs withhold: every customer's names as the case may write
 * them, e-mail addresses, ids and contracts, each in the form it is
 * matched in, with one automaton that finds them all. Deriving them is
 * work on the whole case, the same for every pack; a run writing many
 * packs makes this once, before forking its workers (they inherit it),
 * and passes it in every compose_input: each pack then only selects
 * what concerns other customers.
 */
struct compose_withheld *compose_withheld_new(const struct case_model *m);
void compose_withheld_free(struct compose_withheld *w);

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
