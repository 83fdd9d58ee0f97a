/*
 * specimen.c - the specimen dossier (see specimen.h).
 *
 * The texts are written as a composer would pass them: plain strings with
 * straight apostrophes and ordinary spaces; typography (no-break spaces,
 * ’, « ») is the engine's job.
 */
#include "compose/specimen.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout/doc.h"
#include "render/render.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

int specimen_make_png(const char *path)
{
	/* A 96x64 picture: a colour gradient, a dark frame, and a
	 * transparent disc so the soft mask is exercised. */
	enum { W = 96, H = 64 };
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = W;
	img.height = H;
	img.format = PNG_FORMAT_RGBA;
	unsigned char *px = xmalloc(W * H * 4);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			unsigned char *p = px + (y * W + x) * 4;
			int frame = x < 2 || y < 2 || x >= W - 2 || y >= H - 2;
			int dx = x - 70, dy = y - 32;
			p[0] = frame ? 30 : (unsigned char)(40 + x * 2);
			p[1] = frame ? 30 : (unsigned char)(90 + y * 2);
			p[2] = frame ? 60 : 160;
			p[3] = dx * dx + dy * dy < 14 * 14 ? 60 : 255;
		}
	int ok = png_image_write_to_file(&img, path, 0, px, 0, NULL);
	free(px);
	return ok ? 0 : -1;
}

struct texts {
	const char *title, *subtitle, *header;
	const char *h_summary, *h_facts, *h_incidents, *h_charts, *h_evidence;
	const char *h_log, *h_method;
	const char *p1, *p2, *p3, *p_link_a, *p_link_b, *p_see, *p_see_end;
	const char *kv[6][2];
	const char *table_caption, *cols[4];
	const char *chart_caption, *timeline_caption, *image_caption;
	const char *log_caption;
	const char *causes[5];
	const char *ix_availability, *ix_contract, *ix_penalties, *ix_sla,
	    *ix_log;
};

static const struct texts fr = {
	"Dossier technique", "Disponibilité du service d'hébergement — "
	"affaire RG 05/01234", "RG 05/01234 — Société Amen c/ Hébergeur SA",
	"Synthèse", "Faits constatés", "Liste des incidents", "Graphiques",
	"Pièce photographique", "Extrait du journal", "Méthode de mesure",
	"Le contrat d'hébergement signé le 12 avril 2005 engage le prestataire "
	"sur une disponibilité mensuelle de \"99,9 %\" ; cet engagement, "
	"rappelé dans l'annexe technique, constitue le cœur du litige. La "
	"disponibilité mesurée sur la période contestée s'établit à 97,42 % : "
	"elle est donc inférieure à l'objectif contractuel, et ce pendant "
	"plusieurs jours consécutifs. Les interruptions relevées ne "
	"résultent ni d'une maintenance programmée ni d'un cas de force "
	"majeure ; elles traduisent au contraire une dégradation progressive "
	"de l'infrastructure d'hébergement, documentée par les journaux de "
	"supervision versés aux débats.",
	"Le montant des pénalités réclamées s'élève à 1 250,00 € par mois "
	"d'indisponibilité, conformément à l'article 9 du contrat. Faut-il "
	"rappeler que la responsabilité du prestataire est engagée dès lors "
	"que l'objectif n'est pas atteint ? La jurisprudence constante "
	"l'admet ! Les mesures ont été réalisées toutes les cinq minutes par "
	"une sonde indépendante, dont la méthodologie est décrite ci-après ; "
	"les horodatages sont exprimés en heure de Paris.",
	"Chaque incident fait l'objet d'une ligne du tableau ci-dessous, "
	"avec sa date de début, sa durée et la cause avancée par le "
	"prestataire. Les incidents les plus longs ont été recoupés avec les "
	"tickets d'assistance et les courriels échangés entre les parties.",
	"Le détail des interruptions figure dans la ", "liste des incidents",
	" ; voir page ", ".",
	{ { "Demandeur", "Société Amen SARL" },
	  { "Défendeur", "Hébergeur SA" },
	  { "Période", "du 1er mars 2005 au 30 avril 2005" },
	  { "Objectif contractuel", "99,9 % de disponibilité mensuelle" },
	  { "Disponibilité mesurée", "97,42 %" },
	  { "Référence", "RG 05/01234 — tribunal de commerce de Paris" } },
	"Tableau 1 — Incidents relevés",
	{ "Nº", "Début", "Durée", "Cause déclarée" },
	"Figure 1 — Disponibilité quotidienne et objectif contractuel",
	"Figure 2 — Chronologie des états du service sur la période",
	"Figure 3 — Capture de la page d'état du prestataire",
	"Journal de supervision (extrait, numéros de ligne d'origine)",
	{ "panne électrique dans la salle serveurs",
	  "saturation du lien réseau principal",
	  "mise à jour logicielle non annoncée",
	  "défaillance d'un disque du système de stockage, reconstruction "
	  "de la grappe pendant plusieurs heures",
	  "cause inconnue" },
	"disponibilité", "contrat d'hébergement", "pénalités",
	"SLA (objectif de disponibilité)", "journal de supervision",
};

static const struct texts en = {
	"Technical dossier", "Availability of the hosting service — "
	"case RG 05/01234", "RG 05/01234 — Amen Ltd v. Hosting Inc.",
	"Summary", "Established facts", "List of incidents", "Charts",
	"Photographic exhibit", "Log excerpt", "Measurement method",
	"The hosting agreement signed on April 12, 2005 commits the provider "
	"to a monthly availability of \"99.9%\"; this commitment, restated "
	"in the technical schedule, lies at the heart of the dispute. The "
	"availability measured over the disputed period is 97.42%: it is "
	"therefore below the contractual target, and has been for several "
	"consecutive days. The recorded interruptions result neither from "
	"scheduled maintenance nor from force majeure; on the contrary, they "
	"reflect a progressive degradation of the hosting infrastructure, "
	"documented by the monitoring logs filed as evidence.",
	"The penalties claimed amount to €1,250.00 per month of "
	"unavailability, in accordance with article 9 of the agreement. Need "
	"it be recalled that the provider is liable as soon as the target is "
	"missed? Settled case law says so! Measurements were taken every "
	"five minutes by an independent probe, whose methodology is "
	"described below; timestamps are given in Paris time.",
	"Each incident is one row of the table below, with its start date, "
	"its duration and the cause given by the provider. The longest "
	"incidents were cross-checked against the support tickets and the "
	"emails exchanged between the parties.",
	"The interruptions are detailed in the ", "list of incidents",
	"; see page ", ".",
	{ { "Claimant", "Amen Ltd" },
	  { "Defendant", "Hosting Inc." },
	  { "Period", "from March 1, 2005 to April 30, 2005" },
	  { "Contractual target", "99.9% monthly availability" },
	  { "Measured availability", "97.42%" },
	  { "Reference", "RG 05/01234 — Paris commercial court" } },
	"Table 1 — Recorded incidents",
	{ "No.", "Start", "Duration", "Declared cause" },
	"Figure 1 — Daily availability and contractual target",
	"Figure 2 — Timeline of service states over the period",
	"Figure 3 — Screenshot of the provider's status page",
	"Monitoring log (excerpt, original line numbers)",
	{ "power failure in the server room",
	  "saturation of the main network link",
	  "unannounced software update",
	  "failure of a disk in the storage system, array rebuilt over "
	  "several hours",
	  "unknown cause" },
	"availability", "hosting agreement", "penalties",
	"SLA (availability target)", "monitoring log",
};

static void compose(struct doc *d, const struct texts *t, enum lang lang,
    const char *png_path)
{
	doc_origin(d, "specimen: cover");
	doc_title(d, t->title, t->subtitle);
	doc_page_break(d);
	doc_origin(d, "specimen: contents");
	doc_contents(d);
	doc_page_break(d);

	doc_origin(d, "specimen: summary");
	doc_heading(d, 1, t->h_summary, "summary");
	doc_index_term(d, t->ix_availability);
	doc_index_term(d, t->ix_contract);
	doc_text(d, t->p1);
	doc_index_term(d, t->ix_penalties);
	struct para *p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, t->p2);
	para_text(d, p, STYLE_REGULAR, " ");
	para_text(d, p, STYLE_BOLD, lang == LANG_FR ? "Le juge" : "The judge");
	para_text(d, p, STYLE_REGULAR, lang == LANG_FR ?
	    " appréciera la portée de ces éléments au regard de l'" :
	    " will weigh these elements in the light of the ");
	para_text(d, p, STYLE_ITALIC, lang == LANG_FR ? "annexe technique" :
	    "technical schedule");
	para_text(d, p, STYLE_REGULAR, ".");
	p = doc_paragraph(d);
	para_text(d, p, STYLE_REGULAR, t->p_link_a);
	para_link(d, p, t->p_link_b, "incidents");
	para_text(d, p, STYLE_REGULAR, t->p_see);
	para_pageref(d, p, "incidents");
	para_text(d, p, STYLE_REGULAR, t->p_see_end);

	doc_heading(d, 2, t->h_facts, NULL);
	doc_origin(d, "specimen: facts");
	for (int i = 0; i < 6; i++)
		doc_kv(d, t->kv[i][0], t->kv[i][1]);
	doc_text(d, t->p3);
	doc_heading(d, 2, t->h_method, NULL);
	doc_text(d, t->p2);
	doc_text(d, t->p1);

	doc_origin(d, "specimen: incidents");
	doc_heading(d, 1, t->h_incidents, "incidents");
	struct table *tb = doc_table(d, 4, 1, t->table_caption, "incidents-table");
	table_align(tb, 0, ALIGN_RIGHT);
	table_align(tb, 2, ALIGN_RIGHT);
	table_row(d, tb, t->cols);
	for (int i = 0; i < 70; i++) {
		char no[16], start[64], dur[32];
		snprintf(no, sizeof no, "%d", i + 1);
		/* one incident a day from 1 March 2005 */
		int month = 3 + (i >= 31) + (i >= 61);
		int day = i < 31 ? i + 1 : i < 61 ? i - 30 : i - 60;
		char *date = format_date(lang, 2005, month, day);
		snprintf(start, sizeof start, "%s %02d:%02d", date, (i * 7) % 24,
		    (i * 13) % 60);
		free(date);
		snprintf(dur, sizeof dur, "%d\u00A0min", 5 + (i * 37) % 240);
		const char *row[4] = { no, start, dur, t->causes[i % 5] };
		table_row(d, tb, row);
	}

	doc_origin(d, "specimen: charts");
	doc_heading(d, 1, t->h_charts, NULL);
	struct chart_bar bars[30];
	char labels[30][16];
	for (int i = 0; i < 30; i++) {
		snprintf(labels[i], sizeof labels[i], "%02d/04", i + 1);
		bars[i].label = labels[i];
		bars[i].value = 100 - ((i * 7919) % 13) * 0.09 -
		    (i == 11 ? 2.6 : 0) - (i == 17 ? 1.3 : 0);
	}
	doc_index_term(d, t->ix_availability);
	doc_index_term(d, t->ix_sla);
	doc_bar_chart(d, t->chart_caption, bars, 30, 99.9, 97);
	struct timeline_seg segs[] = {
		{ 1112306400, 1112700000, 0 }, { 1112700000, 1112720000, 2 },
		{ 1112720000, 1113300000, 0 }, { 1113300000, 1113400000, 1 },
		{ 1113400000, 1113900000, 0 }, { 1113900000, 1113950000, 2 },
		{ 1113950000, 1114898400, 0 },
	};
	doc_timeline(d, t->timeline_caption, 1112306400, 1114898400, segs,
	    sizeof segs / sizeof segs[0]);

	doc_origin(d, "specimen: image");
	doc_heading(d, 2, t->h_evidence, NULL);
	if (png_path)
		doc_image_png(d, png_path, t->image_caption);

	doc_origin(d, "specimen: log");
	doc_heading(d, 2, t->h_log, NULL);
	const char *lines[] = {
		"[1113289200] SERVICE ALERT: web01;HTTP;CRITICAL;HARD;3;"
		"CRITICAL - Socket timeout after 10 seconds",
		"[1113289260] SERVICE NOTIFICATION: astreinte;web01;HTTP;"
		"CRITICAL;notify-by-email;CRITICAL - Socket timeout after 10 "
		"seconds (a very long line that has to wrap in the excerpt)",
		"[1113289500] HOST ALERT: db02;DOWN;SOFT;1;PING CRITICAL - "
		"Packet loss = 100%",
		"[1113290100] SERVICE ALERT: web01;HTTP;OK;HARD;3;HTTP OK: "
		"HTTP/1.1 200 OK - 5120 bytes in 0.311 second",
		"\tindented\tcontinuation with tabs",
	};
	long numbers[] = { 12840, 12841, 12847, 12903, 12904 };
	doc_index_term(d, t->ix_log);
	doc_log(d, t->log_caption, lines, numbers, 5);
	doc_text(d, t->p3);
	doc_page_break(d);
	doc_origin(d, "specimen: index");
	doc_heading(d, 1, "Index", "index");
	doc_index(d);
}

int specimen_write(const char *path, const char *lang_s, const char *paper_s)
{
	int lang = lang_parse(lang_s ? lang_s : "fr");
	int paper = paper_parse(paper_s ? paper_s : "a4");
	if (lang < 0 || paper < 0) {
		fprintf(stderr, "specimen: unknown language or paper\n");
		return -1;
	}
	const struct texts *t = lang == LANG_FR ? &fr : &en;
	struct doc_options opt = {
		.lang = (enum lang)lang, .paper = (enum paper)paper,
		.title = t->title, .author = "dossier", .subject = t->subtitle,
		.header = t->header, .first_page_plain = 1,
		.date = 1113300000,	/* 12 April 2005, when no SDE */
	};
	tz_use("Europe/Paris");	/* the case's zone, for chart labels */
	struct doc *d = doc_new(&opt);
	/* The picture is made fresh so the specimen needs no input file;
	 * its bytes are fixed, so the output stays reproducible. */
	char *png = xasprintf("%s.%ld.png", path, (long)getpid());
	int have_png = specimen_make_png(png) == 0;
	compose(d, t, (enum lang)lang, have_png ? png : NULL);
	int rc = doc_write_pdf(d, path, NULL);
	if (have_png)
		unlink(png);
	free(png);
	if (rc != 0 || d->diags->len) {
		for (size_t i = 0; i < d->diags->len; i++)
			fprintf(stderr, "%s: %s\n", d->diags->items[i].file,
			    d->diags->items[i].message);
	}
	if (doc_errors(d))
		rc = -1;
	doc_free(d);
	return rc;
}
