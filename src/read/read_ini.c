/*
 * read_ini.c - case.ini: the case, the SLA, the parties, the services.
 *
 * inih does the parsing. We hand it the file through our own line reader
 * (ini_parse_stream) so that we know the line number of every key, can
 * check each line for valid UTF-8 and length, and can name a line that
 * is neither a section, a key nor a comment. Values are checked once
 * the whole file is read, because [monitoring] may come before
 * [services].
 */
#include "read/read_int.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The single-valued keys, by section. */
static const char *const case_keys[] = { "title", "reference", "court",
	"language", "timezone", "period_start", "period_end", "paper",
	"currency" };
#define CASE_OPTIONAL 8	/* case_keys from here on may be left out */
static const char *const party_keys[] = { "claimant", "defendant",
	"counsel" };
#define NCASE (sizeof(case_keys) / sizeof(case_keys[0]))
#define NPARTY (sizeof(party_keys) / sizeof(party_keys[0]))

struct kv {
	char *value;
	long line;
};

struct ini_state {
	struct reader *r;
	const char *rel;
	FILE *f;
	long line;
	char *buf;
	size_t cap;
	char section[64];
	int known_section;
	struct kv casev[NCASE], partyv[NPARTY], avail;
	struct kv *credits, *mon_svc, *mon_obj;
	size_t ncredits, nmon;
	long *service_line;
};

static int
known_section(const char *s)
{
	static const char *const names[] = { "case", "sla", "parties",
		"services", "monitoring" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * inih's line reader: one physical line per call. Lines that are not
 * valid UTF-8, too long, or not `key = value` / [section] / comment are
 * reported here and handed to inih as blank lines.
 */
static char *
ini_line_reader(char *str, int num, void *stream)
{
	struct ini_state *st = stream;
	struct reader *r = st->r;
	ssize_t n = getline(&st->buf, &st->cap, st->f);
	size_t bad;

	if (n <= 0)
		return NULL;
	st->line++;
	char *s = st->buf;
	if (st->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (!utf8_valid(s, (size_t)n, &bad)) {
		diag_error(r->dl, st->rel, st->line, NULL,
		    "invalid UTF-8 text (byte %zu of the line); save the file "
		    "as UTF-8; the line is ignored", bad + 1);
		strcpy(str, "\n");
		return str;
	}
	if ((size_t)n + 2 > (size_t)num) {
		diag_error(r->dl, st->rel, st->line, NULL,
		    "line is too long (%zd bytes, at most %d); the line is "
		    "ignored", n, num - 2);
		strcpy(str, "\n");
		return str;
	}
	memcpy(str, s, (size_t)n);
	str[n] = '\0';

	/* Look at the line the way inih will, to report what it would not. */
	char *t = xstrdup(s);
	t[strcspn(t, "\r\n")] = '\0';
	str_trim(t);
	if (t[0] == '\0' || t[0] == ';' || t[0] == '#') {
		/* blank or comment */
	} else if (t[0] == '[') {
		char *e = strchr(t, ']');
		if (e == NULL) {
			diag_error(r->dl, st->rel, st->line, NULL,
			    "section header without a closing \"]\"");
			strcpy(str, "\n");
		} else {
			*e = '\0';
			str_trim(t + 1);
			if (!known_section(t + 1))
				diag_warn(r->dl, st->rel, st->line, NULL,
				    "unknown section [%s]; its keys are ignored "
				    "(the sections are [case], [sla], [parties], "
				    "[services], [monitoring])", t + 1);
		}
	} else if (strpbrk(t, "=:") == NULL) {
		diag_error(r->dl, st->rel, st->line, NULL,
		    "this line is not \"key = value\", a [section] header or a "
		    "comment; it is ignored");
		strcpy(str, "\n");
	}
	free(t);
	return str;
}

/* Store a single-valued key, reporting a second occurrence. */
static void
set_once(struct ini_state *st, struct kv *kv, const char *name,
    const char *value)
{
	if (kv->value) {
		diag_error(st->r->dl, st->rel, st->line, name,
		    "given twice (first on line %ld); this one is ignored",
		    kv->line);
		return;
	}
	kv->value = xstrdup(value);
	kv->line = st->line;
}

static void
push_kv(struct kv **v, size_t n, const char *value, long line)
{
	*v = xreallocarray(*v, n + 1, sizeof(**v));
	(*v)[n].value = xstrdup(value);
	(*v)[n].line = line;
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct ini_state *st = user;
	struct reader *r = st->r;
	struct case_model *m = r->m;

	if (section[0] == '\0') {
		diag_warn(r->dl, st->rel, st->line, name,
		    "key outside any section is ignored");
		return 1;
	}
	if (!known_section(section))
		return 1;	/* reported once, on the section header */
	if (strcasecmp(section, "case") == 0 || strcasecmp(section,
	    "parties") == 0) {
		int is_case = strcasecmp(section, "case") == 0;
		const char *const *keys = is_case ? case_keys : party_keys;
		size_t nk = is_case ? NCASE : NPARTY;
		struct kv *vals = is_case ? st->casev : st->partyv;
		for (size_t i = 0; i < nk; i++)
			if (strcasecmp(name, keys[i]) == 0) {
				set_once(st, &vals[i], keys[i], value);
				return 1;
			}
	} else if (strcasecmp(section, "sla") == 0) {
		if (strcasecmp(name, "availability") == 0) {
			set_once(st, &st->avail, "availability", value);
			return 1;
		}
		if (strcasecmp(name, "credit") == 0) {
			push_kv(&st->credits, st->ncredits++, value, st->line);
			return 1;
		}
	} else if (strcasecmp(section, "services") == 0) {
		if (!id_valid(name)) {
			diag_error(r->dl, st->rel, st->line, name,
			    "a service id may only hold letters, digits, "
			    "'-', '_' and '.'");
			return 1;
		}
		int k = model_service(m, name);
		if (k >= 0) {
			diag_error(r->dl, st->rel, st->line, name,
			    "service \"%s\" is declared twice (first on line "
			    "%ld); this one is ignored", name,
			    st->service_line[k]);
			return 1;
		}
		if (value[0] == '\0') {
			diag_error(r->dl, st->rel, st->line, name,
			    "the service needs a label (e.g. %s = Web hosting)",
			    name);
			return 1;
		}
		m->services = xreallocarray(m->services, m->nservices + 1,
		    sizeof(*m->services));
		st->service_line = xreallocarray(st->service_line,
		    m->nservices + 1, sizeof(long));
		st->service_line[m->nservices] = st->line;
		m->services[m->nservices].id = xstrdup(name);
		m->services[m->nservices].label = xstrdup(value);
		m->nservices++;
		return 1;
	} else if (strcasecmp(section, "monitoring") == 0) {
		push_kv(&st->mon_svc, st->nmon, name, st->line);
		push_kv(&st->mon_obj, st->nmon, value, st->line);
		st->nmon++;
		return 1;
	}
	diag_warn(r->dl, st->rel, st->line, name,
	    "unknown key \"%s\" in [%s]; it is ignored", name, section);
	return 1;
}

/* A percentage in (0, 100]; 0 or -1 with a message. */
static int
parse_percent(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || errno || !isfinite(v) || v <= 0 ||
	    v > 100)
		return -1;
	*out = v;
	return 0;
}

static void
check_values(struct ini_state *st)
{
	struct reader *r = st->r;
	struct case_info *ci = &r->m->info;
	struct diag_list *dl = r->dl;
	const char *rel = st->rel;
	const char *why;

	for (size_t i = 0; i < CASE_OPTIONAL; i++)
		if (st->casev[i].value == NULL || st->casev[i].value[0] == 0)
			diag_error(dl, rel, st->casev[i].line, case_keys[i],
			    "[case] %s is required", case_keys[i]);
	for (size_t i = 0; i < 2; i++)
		if (st->partyv[i].value == NULL || st->partyv[i].value[0] == 0)
			diag_error(dl, rel, st->partyv[i].line, party_keys[i],
			    "[parties] %s is required", party_keys[i]);
	char **dst[] = { &ci->title, &ci->reference, &ci->court,
		&ci->language, &ci->timezone, NULL, NULL, &ci->paper,
		&ci->currency };
	for (size_t i = 0; i < NCASE; i++)
		if (dst[i])
			*dst[i] = xstrdup(st->casev[i].value ?
			    st->casev[i].value : "");
	ci->claimant = xstrdup(st->partyv[0].value ? st->partyv[0].value : "");
	ci->defendant = xstrdup(st->partyv[1].value ? st->partyv[1].value : "");
	ci->counsel = xstrdup(st->partyv[2].value ? st->partyv[2].value : "");

	if (ci->language[0] && strcmp(ci->language, "fr") != 0 &&
	    strcmp(ci->language, "en") != 0)
		diag_error(dl, rel, st->casev[3].line, "language",
		    "language must be fr or en, not \"%s\"", ci->language);
	/* Amounts are in this currency (ISO 4217), euros unless said. */
	if (ci->currency[0] == '\0') {
		free(ci->currency);
		ci->currency = xstrdup("EUR");
	} else if (strlen(ci->currency) != 3 ||
	    strspn(ci->currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		diag_error(dl, rel, st->casev[8].line, "currency",
		    "currency must be an ISO 4217 code such as EUR or USD, "
		    "not \"%s\"", ci->currency);
	if (ci->paper[0] && strcmp(ci->paper, "a4") != 0 &&
	    strcmp(ci->paper, "letter") != 0)
		diag_error(dl, rel, st->casev[7].line, "paper",
		    "paper must be a4 or letter, not \"%s\"", ci->paper);
	int have_start = 0, have_end = 0;
	if (st->casev[5].value && st->casev[5].value[0]) {
		if (time_parse_offset(st->casev[5].value, &ci->period_start,
		    &why) != 0)
			diag_error(dl, rel, st->casev[5].line, "period_start",
			    "\"%s\": %s", st->casev[5].value, why);
		else
			have_start = 1;
	}
	if (st->casev[6].value && st->casev[6].value[0]) {
		if (time_parse_offset(st->casev[6].value, &ci->period_end,
		    &why) != 0)
			diag_error(dl, rel, st->casev[6].line, "period_end",
			    "\"%s\": %s", st->casev[6].value, why);
		else
			have_end = 1;
	}
	if (have_start && have_end && ci->period_end <= ci->period_start)
		diag_error(dl, rel, st->casev[6].line, "period_end",
		    "period_end must come after period_start");

	if (st->avail.value == NULL)
		diag_error(dl, rel, 0, "availability",
		    "[sla] availability is required (e.g. availability = 99.9)");
	else if (parse_percent(st->avail.value, &ci->sla_percent) != 0)
		diag_error(dl, rel, st->avail.line, "availability",
		    "availability must be a percentage above 0 and at most "
		    "100 (e.g. 99.9), not \"%s\"", st->avail.value);
	for (size_t i = 0; i < st->ncredits; i++) {
		char *v = st->credits[i].value, *colon = strchr(v, ':');
		double below, credit;
		if (colon == NULL) {
			diag_error(dl, rel, st->credits[i].line, "credit",
			    "credit must be \"below:credit\" in percent (e.g. "
			    "99.9:10), not \"%s\"", v);
			continue;
		}
		*colon = '\0';
		str_trim(v);
		str_trim(colon + 1);
		if (parse_percent(v, &below) != 0 ||
		    parse_percent(colon + 1, &credit) != 0) {
			diag_error(dl, rel, st->credits[i].line, "credit",
			    "credit must be \"below:credit\", two percentages "
			    "above 0 and at most 100 (e.g. 99.9:10)");
			continue;
		}
		ci->credits = xreallocarray(ci->credits, ci->ncredits + 1,
		    sizeof(*ci->credits));
		ci->credits[ci->ncredits].below = below;
		ci->credits[ci->ncredits].credit = credit;
		ci->ncredits++;
	}

	for (size_t i = 0; i < st->nmon; i++) {
		const char *svc = st->mon_svc[i].value;
		char *obj = st->mon_obj[i].value;
		long line = st->mon_svc[i].line;
		if (model_service(r->m, svc) < 0) {
			diag_error(dl, rel, line, svc, "[monitoring] names "
			    "service \"%s\", which is not declared in "
			    "[services]", svc);
			continue;
		}
		char *semi = strchr(obj, ';');
		char *check = NULL;
		if (semi) {
			*semi = '\0';
			check = str_trim(semi + 1);
		}
		str_trim(obj);
		if (obj[0] == '\0' || (semi && (check[0] == '\0' ||
		    strchr(check, ';')))) {
			diag_error(dl, rel, line, svc, "a monitored object is "
			    "\"host;service\" or \"host\" (e.g. "
			    "web1.example.com;HTTP)");
			continue;
		}
		struct case_model *m = r->m;
		m->monitors = xreallocarray(m->monitors, m->nmonitors + 1,
		    sizeof(*m->monitors));
		m->monitors[m->nmonitors].service_id = xstrdup(svc);
		m->monitors[m->nmonitors].host = xstrdup(obj);
		m->monitors[m->nmonitors].check = check ? xstrdup(check) : NULL;
		m->nmonitors++;
	}
}

static void
free_state(struct ini_state *st)
{
	for (size_t i = 0; i < NCASE; i++)
		free(st->casev[i].value);
	for (size_t i = 0; i < NPARTY; i++)
		free(st->partyv[i].value);
	free(st->avail.value);
	for (size_t i = 0; i < st->ncredits; i++)
		free(st->credits[i].value);
	for (size_t i = 0; i < st->nmon; i++) {
		free(st->mon_svc[i].value);
		free(st->mon_obj[i].value);
	}
	free(st->credits);
	free(st->mon_svc);
	free(st->mon_obj);
	free(st->service_line);
	free(st->buf);
}

int
read_ini(struct reader *r, const char *full, const char *rel, int file)
{
	struct ini_state st;
	int rc = 0;

	memset(&st, 0, sizeof(st));
	st.r = r;
	st.rel = rel;
	st.f = fopen(full, "rb");
	if (st.f == NULL) {
		diag_error(r->dl, rel, 0, NULL, "cannot open the file: %s",
		    strerror(errno));
		return -1;
	}
	/* Settings of the shared inih library: see ini.h. */
	ini_allow_multiline = 0;
	ini_use_stack = 0;
	ini_allow_realloc = 0;
	ini_max_line = 65536;
	ini_stop_on_first_error = 0;
	int bad = ini_parse_stream(ini_line_reader, &st, on_key, &st);
	fclose(st.f);
	if (bad > 0 && diag_errors_in(r->dl, rel) == 0)
		diag_error(r->dl, rel, bad, NULL, "this line is not \"key = "
		    "value\", a [section] header or a comment");
	check_values(&st);
	(void)file;

	/* Without a zone no local time can be read; without services no
	 * complaint can be. The case cannot be read any further. */
	if (r->m->info.timezone[0] && tz_use(r->m->info.timezone) != 0) {
		diag_error(r->dl, rel, st.casev[4].line, "timezone",
		    "unknown time zone \"%s\" (give an IANA name such as "
		    "Europe/Paris)", r->m->info.timezone);
		rc = -1;
	} else if (r->m->info.timezone[0] == '\0')
		rc = -1;
	if (r->m->nservices == 0) {
		diag_error(r->dl, rel, 0, NULL, "no service is declared: "
		    "[services] needs at least one \"id = label\" line");
		rc = -1;
	}
	free_state(&st);
	return rc;
}
