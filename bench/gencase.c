/*
 * gencase.c - a deterministic, seeded case generator for benchmarks.
 *
 *   gencase SCALE DIR [SEED]     SCALE: small | medium | large
 *
 * Writes a complete case folder (docs/case-format.md) whose size is set
 * by the scale: complaints, Nagios log lines, services and exhibits. The
 * text is French, with accents, « », €, long words and URLs, and CSV
 * fields holding line breaks and doubled quotes, so the readers and the
 * typesetter see the hard cases at volume. Every record is valid and
 * every exhibit is cited at least once, so `dossier check` reports no
 * error and no warning. The same seed gives the same bytes.
 */
#include <errno.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct scale {
	const char *name;
	int complaints, services, exhibits;
	long log_lines;
};

/*
 * The Nagios log has about 4,000 alert lines per service at the medium
 * and large scales (a state may change on each): the large case has ten
 * times the services of the medium one rather than ten times denser
 * flapping, so a service fails about as often at every scale (some 130
 * outages in the two months at 87 % availability) and the per-complaint
 * material of the dossier does not grow with the log.
 */
static const struct scale scales[] = {
	{ "small", 100, 10, 10, 10000 },
	{ "medium", 1000, 20, 50, 100000 },
	{ "large", 10000, 200, 200, 1000000 },
};

/* xorshift64*: small, fast and the same everywhere. */
static uint64_t rng_state;
static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}
static int
pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static const char *words[] = {
	"le", "site", "était", "inaccessible", "depuis", "mardi", "matin",
	"et", "la", "messagerie", "ne", "répondait", "plus", "aux", "clients",
	"notre", "boutique", "en", "ligne", "a", "perdu", "des", "commandes",
	"l’hébergeur", "n’a", "jamais", "répondu", "à", "nos", "appels",
	"anticonstitutionnellement", "disponibilité", "promise", "de",
	"99,9 %", "hotline", "saturée", "pendant", "grève", "délai",
	"d’installation", "dépassé", "facturé", "deux", "ans", "d’avance",
	"remboursement", "refusé", "serveur", "routeur", "panne", "généralisée",
	"infrastructure", "interruption", "préjudice", "chiffre", "d’affaires",
	"« service", "indisponible »", "1 250,00 €", "courriels", "perdus",
	"http://www.exemple-hebergement.fr/statut/incident?id=20050412&page=2",
	"nom", "domaine", "transfert", "bloqué", "ticket", "n°", "48213",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static const char *firsts[] = { "Émilie", "Jérôme", "Anaïs", "François",
	"Hélène", "Noël", "Zoé", "Loïc", "Cécile", "Gaëtan", "Maëlle", "Rémi" };
static const char *lasts[] = { "Dupré", "Lefèvre", "Béranger", "Nguyễn",
	"Ménard", "Castaño", "Œillet", "Giraud", "Kowalczyk", "Da Silva" };

/* Write n words as a sentence-like run into f, escaping for CSV. */
static void
csv_words(FILE *f, int n, int paragraphs)
{
	for (int p = 0; p < paragraphs; p++) {
		if (p)
			fputs("\n\n", f);
		for (int i = 0; i < n; i++) {
			const char *w = words[pick(NWORDS)];
			if (i)
				fputc(' ', f);
			if (pick(40) == 0)
				fputs("\"\"cité\"\" ", f);	/* doubled quote */
			fputs(w, f);
		}
		fputs(".", f);
	}
}

static FILE *
open_or_die(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "gencase: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

/* The path of exhibit e: every fourth a PNG capture, the rest e-mails. */
static void
exhibit_name(int e, char out[64])
{
	if (e % 4 == 0)
		snprintf(out, 64, "exhibits/capture-%04d.png", e);
	else
		snprintf(out, 64, "exhibits/courriel-%04d.txt", e);
}

/* "2005-04-12T10:00:00Z" */
static void
iso_utc(long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A small grey PNG with a few bars, as a screenshot stands in. */
static void
write_png(const char *path, int w, int h, int seed)
{
	FILE *f = fopen(path, "wb");
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	    NULL, NULL);
	png_infop info = png_create_info_struct(png);
	if (!f || !png || !info || setjmp(png_jmpbuf(png))) {
		fprintf(stderr, "gencase: cannot write %s\n", path);
		exit(1);
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
	    PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	png_bytep row = malloc((size_t)w * 3);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			int bar = (x / 40 + seed) % 5;
			int on = y > h - (bar + 1) * h / 6;
			row[3 * x] = (png_byte)(on ? 200 - bar * 30 : 245);
			row[3 * x + 1] = (png_byte)(on ? 60 + bar * 20 : 245);
			row[3 * x + 2] = (png_byte)(on ? 60 : 245);
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	fclose(f);
}

int
main(int argc, char **argv)
{
	const struct scale *sc = NULL;
	char path[4096];

	if (argc < 3) {
		fprintf(stderr, "usage: gencase small|medium|large DIR [SEED]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(scales) / sizeof(scales[0]); i++)
		if (strcmp(argv[1], scales[i].name) == 0)
			sc = &scales[i];
	if (!sc) {
		fprintf(stderr, "gencase: unknown scale '%s'\n", argv[1]);
		return 2;
	}
	const char *dir = argv[2];
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20050412;
	if (rng_state == 0)
		rng_state = 1;
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/exhibits", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/outages", dir);
	mkdir(path, 0755);

	/* Period: 2005-04-01 to 2005-06-01, Paris time. */
	const long start = 1112306400, end = 1117576800;
	FILE *f = open_or_die(dir, "case.ini");
	fprintf(f, "[case]\ntitle = Banc d’essai « %s »\nreference = BENCH-%s\n"
	    "court = Tribunal de commerce de Paris\nlanguage = fr\n"
	    "timezone = Europe/Paris\nperiod_start = 2005-04-01T00:00:00+02:00\n"
	    "period_end = 2005-06-01T00:00:00+02:00\npaper = a4\n\n"
	    "[sla]\navailability = 99.9\ncredit = 99.9:10\ncredit = 99.0:25\n\n"
	    "[parties]\nclaimant = Collectif d’essai\ndefendant = Hébergeur SA\n"
	    "counsel = Maître Essai\n\n[services]\n", sc->name, sc->name);
	for (int s = 0; s < sc->services; s++)
		fprintf(f, "svc%02d = Service numéro %d\n", s, s);
	fputs("\n[monitoring]\n", f);
	for (int s = 0; s < sc->services; s++)
		fprintf(f, "svc%02d = host%02d.example.fr;CHECK_%02d\n", s,
		    s % 8, s);
	fclose(f);

	/* Exhibits: every fourth a PNG, the rest e-mails. */
	f = open_or_die(dir, "exhibits.csv");
	fputs("path,title,date,source\n", f);
	for (int e = 0; e < sc->exhibits; e++) {
		char name[64];
		exhibit_name(e, name);
		if (e % 4 == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			write_png(path, 320 + pick(400), 200 + pick(300), e);
			fprintf(f, "%s,\"Capture d’écran n° %d, « erreur 503 »\","
			    "2005-04-%02d,Membre du collectif\n", name, e,
			    12 + e % 18);
		} else {
			FILE *t = open_or_die(dir, name);
			fprintf(t, "From: client%d@exemple.fr\nTo: support@"
			    "hebergeur.fr\nDate: Tue, %d Apr 2005 10:%02d:00 "
			    "+0200\nSubject: Panne n° %d\n\n", e, 12 + e % 18,
			    e % 60, e);
			for (int l = 0; l < 20 + pick(60); l++) {
				for (int k = 0; k < 10; k++)
					fprintf(t, "%s ", words[pick(NWORDS)]);
				fputc('\n', t);
			}
			fclose(t);
			fprintf(f, "%s,Courriel au support n° %d,2005-04-%02d,"
			    "Boîte du client\n", name, e, 12 + e % 18);
		}
	}
	fclose(f);

	f = open_or_die(dir, "complaints.csv");
	fputs("complaint_id,received,customer_id,customer_name,email,services,"
	    "contract,prepaid_eur,prepaid_until,summary,statement,exhibits\n", f);
	int customers = sc->complaints * 2 / 3;
	for (int c = 0; c < sc->complaints; c++) {
		int cust = c < customers ? c : pick(customers);
		uint64_t saved = rng_state;
		rng_state = (uint64_t)cust * 7919 + 17;	/* stable per customer */
		const char *fn = firsts[pick(12)], *ln = lasts[pick(10)];
		rng_state = saved;
		fprintf(f, "R-%06d,2005-05-%02d %02d:%02d,C-%05d,\"%s %s\","
		    "client%05d@exemple.fr,", c, 6 + c % 25, 8 + c % 12,
		    c % 60, cust, fn, ln, cust);
		int ns = 1 + pick(3);
		for (int s = 0; s < ns; s++)
			fprintf(f, "%ssvc%02d", s ? ";" : "",
			    (cust + s * 3) % sc->services);
		fprintf(f, ",\"Pack Pro, %d ans\",%d.%02d,2007-%02d-01,", 1 + pick(3),
		    100 + pick(3000), pick(100), 1 + pick(12));
		fputc('"', f);
		csv_words(f, 8 + pick(8), 1);
		fputs("\",\"", f);
		csv_words(f, 40 + pick(120), 1 + pick(5));
		fputs("\",", f);
		/* Every exhibit is cited at least once (complaint c cites
		 * exhibit c), some complaints cite two, as a ";" list. */
		char ex[64];
		if (c < sc->exhibits) {
			exhibit_name(c, ex);
			fputs(ex, f);
			if (sc->exhibits > 1 && pick(4) == 0) {
				exhibit_name((c + 1 + pick(sc->exhibits - 1)) %
				    sc->exhibits, ex);
				fprintf(f, " ; %s", ex);
			}
		} else if (pick(3) == 0) {
			exhibit_name(pick(sc->exhibits), ex);
			fputs(ex, f);
		}
		fputc('\n', f);
	}
	fclose(f);

	f = open_or_die(dir, "timeline.csv");
	fputs("when,title,detail,source,exhibits\n", f);
	for (int e = 0; e < 30 + sc->complaints / 20; e++) {
		fprintf(f, "2005-04-%02dT%02d:%02d:00+02:00,\"Événement n° %d\",\"",
		    1 + e % 30, e % 24, e % 60, e);
		csv_words(f, 20 + pick(40), 1 + pick(2));
		fputs("\",Forum du collectif,", f);
		if (pick(2) == 0) {
			char ex[64];
			exhibit_name(pick(sc->exhibits), ex);
			fputs(ex, f);
		}
		fputc('\n', f);
	}
	fclose(f);

	f = open_or_die(dir, "outages/releve.csv");
	fputs("service,start,end,cause\n", f);
	for (int o = 0; o < sc->services * 5; o++) {
		long s0 = start + (long)pick((int)(end - start - 86400));
		char a[32], b[32];
		iso_utc(s0, a);
		iso_utc(s0 + 300 + pick(20000), b);
		fprintf(f, "svc%02d,%s,%s,\"Coupure relevée ; « lenteurs »\"\n",
		    o % sc->services, a, b);
	}
	fclose(f);

	/* Nagios: state changes at one-minute check cadence, out of order
	 * now and then, with other line kinds in between. */
	f = open_or_die(dir, "outages/nagios.log");
	long t = start - 3600;
	long step = (end - start + 7200) / sc->log_lines;
	if (step < 1)
		step = 1;
	fprintf(f, "[%ld] LOG VERSION: 2.0\n", t);
	int *state = calloc((size_t)sc->services, sizeof(int));
	for (long n = 1; n < sc->log_lines; n++) {
		t += step;
		int s = pick(sc->services);
		int r = pick(100);
		long when = (r == 0 && n > 2) ? t - 30 : t;
		if (r < 80) {
			int down = state[s] ? pick(3) != 0 : pick(25) == 0;
			int hard = pick(3) != 0;
			if (hard)
				state[s] = down;
			fprintf(f, "[%ld] SERVICE ALERT: host%02d.example.fr;"
			    "CHECK_%02d;%s;%s;%d;%s - temps de réponse %d ms; "
			    "seuil 500 ms\n", when, s % 8, s,
			    down ? "CRITICAL" : "OK", hard ? "HARD" : "SOFT",
			    hard ? 3 : 1, down ? "CRITICAL" : "OK", pick(9000));
		} else if (r < 90)
			fprintf(f, "[%ld] SERVICE NOTIFICATION: admin;host%02d."
			    "example.fr;CHECK_%02d;CRITICAL;notify-by-email;"
			    "alerte\n", when, s % 8, s);
		else if (r < 95)
			fprintf(f, "[%ld] Auto-save of retention data completed "
			    "successfully.\n", when);
		else
			fprintf(f, "[%ld] EXTERNAL COMMAND: ACKNOWLEDGE_SVC_"
			    "PROBLEM;host%02d.example.fr;CHECK_%02d;1;1;0;admin;"
			    "vu\n", when, s % 8, s);
	}
	free(state);
	fclose(f);
	return 0;
}
