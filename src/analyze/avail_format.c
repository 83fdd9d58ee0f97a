/*
 * avail_format.c - text, CSV and JSON output of the availability report
 * (see avail_format.h).
 */
#include "analyze/avail_format.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char method_en[] =
"Method. Availability is computed from the monitoring log the way Nagios's "
"own availability report (avail.cgi) and the tools built on the same logs "
"(Thruk, Icinga, Centreon) compute it. Log lines are taken in time order "
"(lines with the same time in file order). Only HARD states count; SOFT "
"states are retries not yet confirmed by the monitoring itself. The time "
"before the first known state of an object is \"no data\" and is never "
"counted as available; a restart of the monitoring does not reset the "
"state. OK, UP and WARNING count as available; CRITICAL, DOWN and "
"UNREACHABLE as unavailable; a host DOWN or UNREACHABLE makes all its "
"services unavailable. UNKNOWN and no data are shown in their own "
"columns. A service watched by several checks is unavailable when any of "
"them is (worst state); the outages of the outage tables are added, "
"overlapping records counted once. Scheduled downtime (a host's downtime "
"covers its services) is shown separately, and the figures are given both "
"with the real state and with scheduled downtime left out of the period. "
"The comparison with the promised availability counts only proven, "
"unscheduled unavailability: UNKNOWN, no data and scheduled downtime are "
"all counted in the host's favour. All computations use UTC seconds over "
"the period [start, end); days are local days of the case time zone, so a "
"day with a daylight-saving change has 23 or 25 hours.";

static const char method_fr[] =
"Méthode. La disponibilité est calculée à partir du journal de "
"supervision comme la calculent le rapport de disponibilité de Nagios "
"(avail.cgi) et les outils fondés sur les mêmes journaux (Thruk, Icinga, "
"Centreon). Les lignes du journal sont prises dans l'ordre chronologique "
"(à heure égale, dans l'ordre des fichiers). Seuls les états HARD comptent ; "
"les états SOFT sont des essais que la supervision n'a pas encore "
"confirmés. Le temps qui précède le premier état connu d'un objet est "
"« sans données » et n'est jamais compté comme disponible ; un redémarrage "
"de la supervision ne remet pas l'état à zéro. OK, UP et WARNING comptent "
"comme disponibles ; CRITICAL, DOWN et UNREACHABLE comme indisponibles ; un "
"hôte DOWN ou UNREACHABLE rend indisponibles tous ses services. UNKNOWN et "
"l'absence de données figurent dans des colonnes distinctes. Un service "
"surveillé par plusieurs contrôles est indisponible dès que l'un d'eux "
"l'est (pire état) ; les pannes des tableaux d'incidents s'y ajoutent, les "
"enregistrements qui se chevauchent n'étant comptés qu'une fois. Les "
"maintenances programmées (celle d'un hôte couvre ses services) sont "
"indiquées à part, et les chiffres sont donnés avec l'état réel et en "
"retirant les maintenances de la période. La comparaison avec la "
"disponibilité promise ne retient que l'indisponibilité prouvée hors "
"maintenance : UNKNOWN, absence de données et maintenances sont comptés en "
"faveur de l'hébergeur. Tous les calculs portent sur des secondes UTC sur "
"la période [début, fin) ; les jours sont des jours locaux du fuseau de "
"l'affaire, un jour de changement d'heure comptant 23 ou 25 heures.";

static int
is_fr(const char *lang)
{
	return lang && strncmp(lang, "fr", 2) == 0;
}

const char *
avail_method_text(const char *language)
{
	return is_fr(language) ? method_fr : method_en;
}

int
avail_format_parse(const char *s, enum avail_format *f)
{
	if (s && strcmp(s, "text") == 0)
		*f = AVAIL_TEXT;
	else if (s && strcmp(s, "csv") == 0)
		*f = AVAIL_CSV;
	else if (s && strcmp(s, "json") == 0)
		*f = AVAIL_JSON;
	else
		return -1;
	return 0;
}

/* Append to a fixed buffer, never overflowing. */
static void
cat(char *out, size_t n, const char *fmt, ...)
{
	size_t len = strlen(out);
	if (len + 1 >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
}

void
avail_fmt_duration(char *out, size_t n, int64_t s, int fr)
{
	static const int64_t unit[] = { 86400, 3600, 60, 1 };
	const char *name[] = { fr ? "j" : "d", "h", "min", "s" };

	out[0] = '\0';
	if (s < 0) {
		cat(out, n, "-");
		s = -s;
	}
	if (s == 0) {
		cat(out, n, "0 s");
		return;
	}
	int first = 1;
	for (int i = 0; i < 4; i++) {
		int64_t q = s / unit[i];
		s %= unit[i];
		if (q == 0)
			continue;
		cat(out, n, "%s%" PRId64 " %s", first ? "" : " ", q, name[i]);
		first = 0;
	}
}

/* printf of a double with '.' or ',' as decimal mark, whatever the locale. */
static void
fmt_fixed(char *out, size_t n, double v, int decimals, int fr)
{
	snprintf(out, n, "%.*f", decimals, v);
	for (char *p = out; *p; p++)
		if (*p == '.' || *p == ',')
			*p = fr ? ',' : '.';
}

void
avail_fmt_percent(char *out, size_t n, double pct, int decimals, int fr)
{
	if (pct < 0) {
		snprintf(out, n, fr ? "n.d." : "n/a");
		return;
	}
	fmt_fixed(out, n, pct, decimals, fr);
	cat(out, n, fr ? " %%" : "%%");
}

/* A percentage given by the case (99.9): shortest exact form. */
static void
fmt_promise(char *out, size_t n, double v, int fr)
{
	snprintf(out, n, "%.6g", v);
	for (char *p = out; *p; p++)
		if (*p == '.' || *p == ',')
			*p = fr ? ',' : '.';
	cat(out, n, fr ? " %%" : "%%");
}

void
avail_fmt_sla_sentence(char *out, size_t n, const struct avail_sla *s,
    int64_t period, int fr)
{
	char p[32], len[64], allowed[64];

	out[0] = '\0';
	if (!s->present)
		return;
	fmt_promise(p, sizeof(p), s->promised, fr);
	if (period % 86400 == 0)
		snprintf(len, sizeof(len), "%" PRId64 " %s", period / 86400,
		    fr ? (period == 86400 ? "jour" : "jours") :
		    (period == 86400 ? "day" : "days"));
	else
		avail_fmt_duration(len, sizeof(len), period, fr);
	avail_fmt_duration(allowed, sizeof(allowed), s->allowed, fr);
	snprintf(out, n, fr ? "%s sur %s autorise %s" : "%s over %s allows %s",
	    p, len, allowed);
}

/* ---- text tables ---------------------------------------------------- */

struct table {
	int ncols;
	const char **head;
	const int *right;	/* right-align column i */
	char **cells;		/* rows * ncols, owned */
	size_t nrows, cap;
};

static void
table_row(struct table *t, ...)
{
	va_list ap;
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xreallocarray(t->cells, t->cap * t->ncols,
		    sizeof(char *));
	}
	va_start(ap, t);
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] =
		    xstrdup(va_arg(ap, const char *));
	va_end(ap);
	t->nrows++;
}

static void
pad(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

static void
print_cell(FILE *out, const char *s, size_t w, int right, int last)
{
	size_t len = utf8_length(s);
	if (right)
		pad(out, w - len);
	fputs(s, out);
	if (!right && !last)
		pad(out, w - len);
}

static void
table_print(FILE *out, struct table *t, int indent)
{
	size_t w[32] = { 0 };
	for (int c = 0; c < t->ncols; c++) {
		w[c] = utf8_length(t->head[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t l = utf8_length(t->cells[r * t->ncols + c]);
			if (l > w[c])
				w[c] = l;
		}
	}
	pad(out, (size_t)indent);
	for (int c = 0; c < t->ncols; c++) {
		print_cell(out, t->head[c], w[c], t->right[c],
		    c == t->ncols - 1);
		fputs(c == t->ncols - 1 ? "\n" : "  ", out);
	}
	pad(out, (size_t)indent);
	for (int c = 0; c < t->ncols; c++) {
		for (size_t i = 0; i < w[c]; i++)
			fputc('-', out);
		fputs(c == t->ncols - 1 ? "\n" : "  ", out);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		pad(out, (size_t)indent);
		for (int c = 0; c < t->ncols; c++) {
			print_cell(out, t->cells[r * t->ncols + c], w[c],
			    t->right[c], c == t->ncols - 1);
			fputs(c == t->ncols - 1 ? "\n" : "  ", out);
		}
	}
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

/* The summary columns of a service, customer or host. */
static const char *head_en[] = { "Service", "Avail. % period",
	"% known time", "% excl. maint.", "Unavailable", "Unscheduled",
	"Maintenance", "UNKNOWN", "No data", "Outages", "Longest", "MTTR" };
static const char *head_fr[] = { "Service", "Dispo. % période",
	"% temps connu", "% hors maint.", "Indisponible", "Hors maint.",
	"Maintenance", "UNKNOWN", "Sans données", "Pannes", "Plus longue",
	"Durée moy." };
static const int right_sum[] = { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

static void
summary_row(struct table *t, const char *name, const struct avail_result *r,
    int fr)
{
	char a[32], b[32], c[32], d[64], e[64], f[64], g[64], h[64], o[32],
	    l[64], mt[64];
	avail_fmt_percent(a, sizeof(a), r->real.pct_period, 3, fr);
	avail_fmt_percent(b, sizeof(b), r->real.pct_known, 3, fr);
	avail_fmt_percent(c, sizeof(c), r->excl.pct_period, 3, fr);
	avail_fmt_duration(d, sizeof(d), r->downtime_total, fr);
	avail_fmt_duration(e, sizeof(e), r->downtime_unscheduled, fr);
	avail_fmt_duration(f, sizeof(f), r->sched_downtime, fr);
	avail_fmt_duration(g, sizeof(g), r->real.unknown, fr);
	avail_fmt_duration(h, sizeof(h), r->real.nodata, fr);
	snprintf(o, sizeof(o), "%zu", r->noutages);
	avail_fmt_duration(l, sizeof(l), r->longest, fr);
	avail_fmt_duration(mt, sizeof(mt), (int64_t)(r->mttr + 0.5), fr);
	table_row(t, name, a, b, c, d, e, f, g, h, o, l, mt);
}

static void
print_sla(FILE *out, const struct avail_result *r, int64_t period, int fr)
{
	char sent[160], act[64], exc[64], av[32], ratio[32], cr[32];
	if (!r->sla.present)
		return;
	avail_fmt_sla_sentence(sent, sizeof(sent), &r->sla, period, fr);
	avail_fmt_duration(act, sizeof(act), r->sla.actual, fr);
	avail_fmt_duration(exc, sizeof(exc), r->sla.excess < 0 ? 0 :
	    r->sla.excess, fr);
	avail_fmt_percent(av, sizeof(av), r->sla.availability, 3, fr);
	if (r->sla.ratio >= 0)
		fmt_fixed(ratio, sizeof(ratio), r->sla.ratio, 1, fr);
	else
		snprintf(ratio, sizeof(ratio), "-");
	fprintf(out, "  SLA: %s.\n", sent);
	if (fr)
		fprintf(out, "  Indisponibilité prouvée hors maintenance : %s "
		    "(%s fois l'autorisé), disponibilité %s : %s%s.\n", act,
		    ratio, av, r->sla.breached ? "engagement NON TENU, "
		    "dépassement de " : "engagement tenu",
		    r->sla.breached ? exc : "");
	else
		fprintf(out, "  Proven unscheduled unavailability: %s (%s times "
		    "the allowance), availability %s: %s%s.\n", act, ratio, av,
		    r->sla.breached ? "commitment BREACHED, by " :
		    "commitment met", r->sla.breached ? exc : "");
	if (r->sla.has_credit) {
		fmt_promise(cr, sizeof(cr), r->sla.credit, fr);
		fprintf(out, fr ? "  Avoir prévu par le barème : %s.\n" :
		    "  Credit from the schedule: %s.\n", cr);
	}
}

static const char *
prov_file(const struct case_model *m, struct provenance p)
{
	if (p.file >= 0 && (size_t)p.file < m->nfiles && m->files[p.file].path)
		return m->files[p.file].path;
	return p.file >= 0 ? "?" : NULL;
}

static void
print_detail(FILE *out, const struct avail_result *r,
    const struct case_model *m, int fr)
{
	struct table t = { 0 };
	static const char *oh_en[] = { "#", "Start", "End", "Duration",
		"Maintenance", "Proof: start", "Proof: end" };
	static const char *oh_fr[] = { "n°", "Début", "Fin", "Durée",
		"Maintenance", "Preuve : début", "Preuve : fin" };
	static const int oright[] = { 1, 0, 0, 1, 0, 0, 0 };

	if (r->noutages) {
		t.ncols = 7;
		t.head = fr ? oh_fr : oh_en;
		t.right = oright;
		for (size_t i = 0; i < r->noutages; i++) {
			const struct ival *o = &r->outages[i];
			char n[24], s[40], e[40], d[64], mt[24], pf[300],
			    pt[300];
			snprintf(n, sizeof(n), "%zu", i + 1);
			time_format_iso(o->start, s, sizeof(s));
			time_format_iso(o->end, e, sizeof(e));
			avail_fmt_duration(d, sizeof(d), o->end - o->start, fr);
			int64_t dt = ivset_overlap(&r->downtimes, o->start,
			    o->end);
			snprintf(mt, sizeof(mt), "%s", dt == 0 ? "" :
			    dt == o->end - o->start ? (fr ? "oui" : "yes") :
			    (fr ? "en partie" : "partly"));
			const char *ff = prov_file(m, o->from);
			const char *tf = prov_file(m, o->to);
			if (ff)
				snprintf(pf, sizeof(pf), "%s:%ld", ff,
				    o->from.line);
			else
				snprintf(pf, sizeof(pf), "%s", fr ?
				    "(début de période)" : "(period start)");
			if (tf)
				snprintf(pt, sizeof(pt), "%s:%ld", tf,
				    o->to.line);
			else
				snprintf(pt, sizeof(pt), "%s", fr ?
				    "(en cours à la fin)" : "(open at end)");
			table_row(&t, n, s, e, d, mt, pf, pt);
		}
		fprintf(out, fr ? "  Pannes :\n" : "  Outages:\n");
		table_print(out, &t, 2);
	}
	/* Days with something to show; the others had no unavailability. */
	static const char *dh_en[] = { "Local day", "Hours", "Unavailable",
		"Unscheduled", "Maintenance" };
	static const char *dh_fr[] = { "Jour local", "Heures", "Indisponible",
		"Hors maint.", "Maintenance" };
	static const int dright[] = { 0, 1, 1, 1, 1 };
	struct table d = { 5, fr ? dh_fr : dh_en, dright, NULL, 0, 0 };
	for (size_t i = 0; i < r->ndays; i++) {
		const struct avail_day *y = &r->days[i];
		if (y->unavailable == 0 && y->downtime == 0)
			continue;
		char date[16], hrs[24], u[64], us[64], dt[64];
		snprintf(date, sizeof(date), "%04d-%02d-%02d", y->year,
		    y->month, y->day);
		fmt_fixed(hrs, sizeof(hrs), (double)(y->end - y->start) / 3600.0,
		    (y->end - y->start) % 3600 ? 2 : 0, fr);
		avail_fmt_duration(u, sizeof(u), y->unavailable, fr);
		avail_fmt_duration(us, sizeof(us), y->unscheduled, fr);
		avail_fmt_duration(dt, sizeof(dt), y->downtime, fr);
		table_row(&d, date, hrs, u, us, dt);
	}
	if (d.nrows) {
		fprintf(out, fr ? "  Par jour (jours sans indisponibilité "
		    "omis) :\n" : "  Per day (days without unavailability "
		    "left out):\n");
		table_print(out, &d, 2);
	}
}

static void
print_text(FILE *out, const struct avail_report *r,
    const struct case_model *m, int fr)
{
	char s[40], e[40], len[64];
	time_format_iso(r->start, s, sizeof(s));
	time_format_iso(r->end, e, sizeof(e));
	avail_fmt_duration(len, sizeof(len), r->end - r->start, fr);
	fprintf(out, fr ? "DISPONIBILITÉ\n\n" : "AVAILABILITY\n\n");
	fprintf(out, fr ? "Période : %s – %s (%s), fuseau %s\n" :
	    "Period: %s – %s (%s), time zone %s\n", s, e, len,
	    m->info.timezone ? m->info.timezone : "UTC");
	fprintf(out, fr ? "États retenus : %s ; %zu lignes de supervision\n\n"
	    : "States counted: %s; %zu monitoring records\n\n",
	    r->include_soft ? (fr ? "HARD et SOFT" : "HARD and SOFT") :
	    (fr ? "HARD seulement" : "HARD only"), r->nevents);

	struct table t = { 12, fr ? head_fr : head_en, right_sum, NULL, 0, 0 };
	for (size_t i = 0; i < r->nservices; i++)
		summary_row(&t, r->services[i].label, &r->services[i], fr);
	if (r->nservices) {
		fprintf(out, fr ? "Services\n" : "Services\n");
		table_print(out, &t, 0);
	}
	for (size_t i = 0; i < r->nservices; i++) {
		const struct avail_result *x = &r->services[i];
		fprintf(out, "\n%s (%s)\n", x->label, x->id);
		print_sla(out, x, r->end - r->start, fr);
		print_detail(out, x, m, fr);
	}
	for (size_t k = 0; k < r->ncustomers; k++) {
		const struct avail_customer *c = &r->customers[k];
		fprintf(out, fr ? "\nClient %s%s%s%s\n" : "\nCustomer %s%s%s%s\n",
		    c->id, c->name ? " (" : "", c->name ? c->name : "",
		    c->name ? ")" : "");
		for (size_t i = 0; i < c->nservices; i++)
			summary_row(&t, r->services[c->services[i]].label,
			    &r->services[c->services[i]], fr);
		summary_row(&t, fr ? "Ensemble (pire état)" :
		    "Combined (worst state)", &c->combined, fr);
		table_print(out, &t, 0);
		print_sla(out, &c->combined, r->end - r->start, fr);
	}
	if (r->nhosts) {
		static const char *hh_en[] = { "Host", "Avail. % period",
			"% known time", "DOWN", "UNREACHABLE", "No data",
			"Maintenance", "Outages", "Longest" };
		static const char *hh_fr[] = { "Hôte", "Dispo. % période",
			"% temps connu", "DOWN", "UNREACHABLE", "Sans données",
			"Maintenance", "Pannes", "Plus longue" };
		static const int hr[] = { 0, 1, 1, 1, 1, 1, 1, 1, 1 };
		struct table h = { 9, fr ? hh_fr : hh_en, hr, NULL, 0, 0 };
		for (size_t i = 0; i < r->nhosts; i++) {
			const struct avail_result *x = &r->hosts[i];
			char a[32], b[32], d[64], u[64], n[64], mt[64], o[32],
			    l[64];
			avail_fmt_percent(a, sizeof(a), x->real.pct_period, 3, fr);
			avail_fmt_percent(b, sizeof(b), x->real.pct_known, 3, fr);
			avail_fmt_duration(d, sizeof(d), x->host_down, fr);
			avail_fmt_duration(u, sizeof(u), x->host_unreachable, fr);
			avail_fmt_duration(n, sizeof(n), x->real.nodata, fr);
			avail_fmt_duration(mt, sizeof(mt), x->sched_downtime, fr);
			snprintf(o, sizeof(o), "%zu", x->noutages);
			avail_fmt_duration(l, sizeof(l), x->longest, fr);
			table_row(&h, x->label, a, b, d, u, n, mt, o, l);
		}
		fprintf(out, fr ? "\nHôtes supervisés\n" :
		    "\nMonitored hosts\n");
		table_print(out, &h, 0);
	}
	if (r->soft_ignored || r->unmatched_downtime_end ||
	    r->events_out_of_order) {
		fprintf(out, fr ? "\nRemarques : %ld états SOFT écartés, %ld "
		    "fins de maintenance sans début, %ld lignes hors de l'ordre "
		    "chronologique (remises en ordre).\n" : "\nNotes: %ld SOFT "
		    "states left out, %ld downtime ends without a start, %ld "
		    "lines out of time order (put back in order).\n",
		    r->soft_ignored, r->unmatched_downtime_end,
		    r->events_out_of_order);
	}
	fprintf(out, "\n%s\n", avail_method_text(fr ? "fr" : "en"));
}

/* ---- CSV ------------------------------------------------------------ */

static void
csv_str(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* A ratio (0..1) from a percentage; empty when not defined. */
static void
put_ratio(FILE *out, double pct)
{
	char b[48];
	if (pct < 0)
		return;
	fmt_fixed(b, sizeof(b), pct / 100.0, 8, 0);
	fputs(b, out);
}

static void
put_real(FILE *out, double v, int decimals)
{
	char b[48];
	fmt_fixed(b, sizeof(b), v, decimals, 0);
	fputs(b, out);
}

static void
csv_row(FILE *out, const char *kind, const struct avail_result *x)
{
	fprintf(out, "%s,", kind);
	csv_str(out, x->id);
	fputc(',', out);
	csv_str(out, x->label);
	fprintf(out, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%"
	    PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",", x->real.period,
	    x->real.available, x->real.warning, x->real.unavailable,
	    x->downtime_unscheduled, x->real.unknown, x->real.nodata,
	    x->sched_downtime);
	put_ratio(out, x->real.pct_period);
	fputc(',', out);
	put_ratio(out, x->real.pct_known);
	fputc(',', out);
	put_ratio(out, x->real.pct_proven);
	fprintf(out, ",%" PRId64 ",", x->excl.period);
	put_ratio(out, x->excl.pct_period);
	fputc(',', out);
	put_ratio(out, x->excl.pct_known);
	fprintf(out, ",%zu,%" PRId64 ",", x->noutages, x->longest);
	put_real(out, x->mttr, 1);
	fprintf(out, ",%zu,%" PRId64 ",", x->noutages_unsched,
	    x->longest_unsched);
	if (x->sla.present) {
		put_real(out, x->sla.promised, 6);
		fprintf(out, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",",
		    x->sla.allowed, x->sla.actual, x->sla.excess);
		if (x->sla.ratio >= 0)
			put_real(out, x->sla.ratio, 6);
		fprintf(out, ",%d,", x->sla.breached);
		if (x->sla.has_credit)
			put_real(out, x->sla.credit, 6);
	} else
		fputs(",,,,,,", out);
	fputc('\n', out);
}

static void
print_csv(FILE *out, const struct avail_report *r)
{
	fputs("kind,id,label,period_s,available_s,warning_s,unavailable_s,"
	    "unscheduled_s,unknown_s,nodata_s,scheduled_downtime_s,"
	    "ratio_period,ratio_known,ratio_proven,excl_period_s,"
	    "excl_ratio_period,excl_ratio_known,outages,longest_s,mttr_s,"
	    "outages_unscheduled,longest_unscheduled_s,sla_percent,"
	    "sla_allowed_s,sla_actual_s,sla_excess_s,sla_ratio,sla_breached,"
	    "credit_percent\n", out);
	for (size_t i = 0; i < r->nservices; i++)
		csv_row(out, "service", &r->services[i]);
	for (size_t i = 0; i < r->ncustomers; i++)
		csv_row(out, "customer", &r->customers[i].combined);
	for (size_t i = 0; i < r->nhosts; i++)
		csv_row(out, "host", &r->hosts[i]);
}

/* ---- JSON ----------------------------------------------------------- */

static void
json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void
json_pct(FILE *out, const char *key, double pct)
{
	fprintf(out, "\"%s\":", key);
	if (pct < 0)
		fputs("null", out);
	else
		put_real(out, pct, 6);
}

static void
json_time(FILE *out, const char *key, int64_t t)
{
	char b[40];
	time_format_iso(t, b, sizeof(b));
	fprintf(out, "\"%s\":%" PRId64 ",\"%s_local\":\"%s\"", key, t, key, b);
}

static void
json_stats(FILE *out, const char *key, const struct avail_stats *s)
{
	fprintf(out, "\"%s\":{\"period_s\":%" PRId64 ",\"available_s\":%"
	    PRId64 ",\"warning_s\":%" PRId64 ",\"unavailable_s\":%" PRId64
	    ",\"unknown_s\":%" PRId64 ",\"nodata_s\":%" PRId64 ",", key,
	    s->period, s->available, s->warning, s->unavailable, s->unknown,
	    s->nodata);
	json_pct(out, "pct_period", s->pct_period);
	fputc(',', out);
	json_pct(out, "pct_known", s->pct_known);
	fputc(',', out);
	json_pct(out, "pct_proven", s->pct_proven);
	fputc('}', out);
}

static void
json_prov(FILE *out, const char *key, const struct case_model *m,
    struct provenance p)
{
	fprintf(out, "\"%s\":", key);
	const char *f = prov_file(m, p);
	if (f == NULL) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"file_index\":%d,\"file\":", p.file);
	json_str(out, f);
	fprintf(out, ",\"line\":%ld}", p.line);
}

static void
json_result(FILE *out, const struct avail_result *x,
    const struct case_model *m)
{
	fputs("{\"id\":", out);
	json_str(out, x->id);
	fputs(",\"label\":", out);
	json_str(out, x->label);
	fputc(',', out);
	json_stats(out, "real", &x->real);
	fputc(',', out);
	json_stats(out, "excluding_downtime", &x->excl);
	fprintf(out, ",\"scheduled_downtime_s\":%" PRId64
	    ",\"downtime_total_s\":%" PRId64 ",\"downtime_unscheduled_s\":%"
	    PRId64 ",\"host_down_s\":%" PRId64 ",\"host_unreachable_s\":%"
	    PRId64 ",\"outages\":%zu,\"longest_s\":%" PRId64 ",\"mttr_s\":",
	    x->sched_downtime, x->downtime_total, x->downtime_unscheduled,
	    x->host_down, x->host_unreachable, x->noutages, x->longest);
	put_real(out, x->mttr, 1);
	fprintf(out, ",\"outages_unscheduled\":%zu,\"longest_unscheduled_s\":%"
	    PRId64 ",\"mttr_unscheduled_s\":", x->noutages_unsched,
	    x->longest_unsched);
	put_real(out, x->mttr_unsched, 1);
	fprintf(out, ",\"monitored_objects\":%zu,\"outage_records\":%zu",
	    x->nobjects, x->ncsv);
	fputs(",\"outage_list\":[", out);
	for (size_t i = 0; i < x->noutages; i++) {
		const struct ival *o = &x->outages[i];
		fputs(i ? ",{" : "{", out);
		json_time(out, "start", o->start);
		fputc(',', out);
		json_time(out, "end", o->end);
		fprintf(out, ",\"seconds\":%" PRId64 ",\"in_downtime_s\":%"
		    PRId64 ",", o->end - o->start,
		    ivset_overlap(&x->downtimes, o->start, o->end));
		json_prov(out, "from", m, o->from);
		fputc(',', out);
		json_prov(out, "to", m, o->to);
		fputc('}', out);
	}
	fputs("],\"days\":[", out);
	for (size_t i = 0; i < x->ndays; i++) {
		const struct avail_day *d = &x->days[i];
		fprintf(out, "%s{\"date\":\"%04d-%02d-%02d\",\"start\":%" PRId64
		    ",\"end\":%" PRId64 ",\"seconds\":%" PRId64
		    ",\"unavailable_s\":%" PRId64 ",\"unscheduled_s\":%" PRId64
		    ",\"downtime_s\":%" PRId64 "}", i ? "," : "", d->year,
		    d->month, d->day, d->start, d->end, d->end - d->start,
		    d->unavailable, d->unscheduled, d->downtime);
	}
	fputs("],\"sla\":", out);
	if (!x->sla.present)
		fputs("null", out);
	else {
		fputs("{\"promised_pct\":", out);
		put_real(out, x->sla.promised, 6);
		fprintf(out, ",\"allowed_s\":%" PRId64 ",\"actual_s\":%" PRId64
		    ",\"excess_s\":%" PRId64 ",\"ratio\":", x->sla.allowed,
		    x->sla.actual, x->sla.excess);
		if (x->sla.ratio >= 0)
			put_real(out, x->sla.ratio, 6);
		else
			fputs("null", out);
		fprintf(out, ",\"breached\":%s,\"availability_pct\":",
		    x->sla.breached ? "true" : "false");
		put_real(out, x->sla.availability, 6);
		fputs(",\"credit_pct\":", out);
		if (x->sla.has_credit)
			put_real(out, x->sla.credit, 6);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fputc('}', out);
}

static void
print_json(FILE *out, const struct avail_report *r,
    const struct case_model *m, int fr)
{
	fputs("{\"period\":{", out);
	json_time(out, "start", r->start);
	fputc(',', out);
	json_time(out, "end", r->end);
	fprintf(out, ",\"seconds\":%" PRId64 ",\"timezone\":", r->end - r->start);
	json_str(out, m->info.timezone ? m->info.timezone : "UTC");
	fprintf(out, "},\"include_soft\":%s,\"events\":%zu,\"soft_ignored\":%ld,"
	    "\"unmatched_downtime_end\":%ld,\"events_out_of_order\":%ld,"
	    "\"method\":", r->include_soft ? "true" : "false", r->nevents,
	    r->soft_ignored, r->unmatched_downtime_end, r->events_out_of_order);
	json_str(out, avail_method_text(fr ? "fr" : "en"));
	fputs(",\"services\":[", out);
	for (size_t i = 0; i < r->nservices; i++) {
		if (i)
			fputc(',', out);
		json_result(out, &r->services[i], m);
	}
	fputs("],\"customers\":[", out);
	for (size_t k = 0; k < r->ncustomers; k++) {
		const struct avail_customer *c = &r->customers[k];
		fputs(k ? ",{\"id\":" : "{\"id\":", out);
		json_str(out, c->id);
		fputs(",\"name\":", out);
		if (c->name)
			json_str(out, c->name);
		else
			fputs("null", out);
		fputs(",\"services\":[", out);
		for (size_t i = 0; i < c->nservices; i++) {
			if (i)
				fputc(',', out);
			json_str(out, r->services[c->services[i]].id);
		}
		fputs("],\"combined\":", out);
		json_result(out, &c->combined, m);
		fputc('}', out);
	}
	fputs("],\"hosts\":[", out);
	for (size_t i = 0; i < r->nhosts; i++) {
		if (i)
			fputc(',', out);
		json_result(out, &r->hosts[i], m);
	}
	fputs("]}\n", out);
}

int
avail_print(FILE *out, const struct avail_report *r,
    const struct case_model *m, enum avail_format f, const char *language)
{
	int fr = is_fr(language ? language : m->info.language);
	switch (f) {
	case AVAIL_CSV:
		print_csv(out, r);
		break;
	case AVAIL_JSON:
		print_json(out, r, m, fr);
		break;
	default:
		print_text(out, r, m, fr);
		break;
	}
	return ferror(out) ? -1 : 0;
}
