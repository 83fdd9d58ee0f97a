/*
 * labels.h - every fixed word of the dossier, in French and English.
 *
 * Sections never write a label literally: they take it from here, so a
 * case in either language reads as one language throughout.
 */
#ifndef DOSSIER_COMPOSE_LABELS_H
#define DOSSIER_COMPOSE_LABELS_H

#include "layout/typo.h"

struct labels {
	const char *dossier;		/* "Dossier de pièces" */
	const char *contents;
	const char *exhibit_list, *exhibit_list_intro;
	const char *chronology, *chronology_intro;
	const char *availability, *availability_intro, *method;
	const char *complaints, *complaints_intro;
	const char *exhibits;
	const char *index, *index_intro, *index_customers, *index_services,
	    *index_terms;
	const char *manifest, *manifest_intro;
	const char *exhibit_n;		/* "Pièce n° %d" */
	const char *exhibit_stamp;	/* "Pièce n° %d — %s" */
	const char *court, *reference, *claimant, *defendant, *counsel,
	    *date, *period, *sla;
	const char *count_complaints, *count_customers, *count_exhibits,
	    *count_log_lines, *manifest_hash;
	const char *col_number, *col_title, *col_date, *col_source,
	    *col_pages, *col_sha256, *col_when, *col_event, *col_kind,
	    *col_service, *col_avail, *col_downtime, *col_allowed,
	    *col_outages, *col_longest, *col_verdict, *col_file, *col_size,
	    *col_lines, *col_read, *col_accepted, *col_rejected,
	    *col_skipped, *col_start, *col_end, *col_duration, *col_proof;
	const char *kind_event, *kind_outage, *kind_complaint;
	const char *customer, *customer_id, *email, *contract, *services,
	    *prepaid, *prepaid_until, *received, *summary, *statement,
	    *corroboration, *corroboration_none, *complaint_exhibits,
	    *see_page;
	const char *breached, *met, *credit;
	const char *largest_outages, *log_excerpt, *daily_chart;
	const char *page_x_of_y;
	const char *tool_version, *build_options, *totals;
	const char *pack_for, *pack_intro;
	const char *none;
};

const struct labels *labels_for(enum lang lang);

#endif
