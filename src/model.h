/*
 * model.h - the records of a case, as read from its folder.
 *
 * This is what the read stage produces and the store stage persists; the
 * analyze stage gets the same structures back from the store. Every
 * record carries its provenance: the input file (an index into
 * case_model.files, which holds the file's SHA-256) and the physical line
 * where the record starts.
 *
 * Instants are int64_t UTC seconds (see util/timeutil.h). Money is in
 * euro cents. Strings are valid UTF-8, owned by the model.
 */
#ifndef DOSSIER_MODEL_H
#define DOSSIER_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "util/sha256.h"
#include "util/strpool.h"

/* Where a record came from. */
struct provenance {
	int file;	/* index into case_model.files */
	long line;	/* 1-based physical line where the record starts */
};

enum file_kind {
	FILE_CASE_INI,
	FILE_COMPLAINTS,
	FILE_TIMELINE,
	FILE_EXHIBITS_CSV,
	FILE_OUTAGE_CSV,
	FILE_NAGIOS_LOG,
	FILE_EXHIBIT,
	FILE_OTHER
};

/* One input file of the case folder. */
struct source_file {
	char *path;		/* relative to the case folder, '/' separated */
	enum file_kind kind;
	char sha256[SHA256_HEX_LEN + 1];
	long long size;		/* bytes */
	long lines;		/* text lines (0 for binary files) */
	long read, accepted, rejected, skipped;	/* record counts */
};

/* A customer-facing service declared in case.ini [services]. */
struct service {
	char *id;	/* short name used in the CSV files, e.g. "web" */
	char *label;	/* display name, e.g. "Hébergement web" */
};

/* case.ini [monitoring]: a monitored object stands for a service. */
struct monitor_map {
	char *service_id;	/* a declared service */
	char *host;		/* Nagios host name */
	char *check;		/* Nagios service description; NULL = host check */
};

/* case.ini [sla] credit schedule: below `below` percent, `credit` percent. */
struct sla_credit {
	double below;
	double credit;
};

struct case_info {
	char *title, *reference, *court;
	char *language;		/* "fr" or "en" */
	char *timezone;		/* IANA name */
	int64_t period_start, period_end;	/* [start, end) */
	char *paper;		/* "a4" or "letter" */
	double sla_percent;	/* promised availability, e.g. 99.9 */
	struct sla_credit *credits;
	size_t ncredits;
	char *claimant, *defendant, *counsel;
	char *currency;		/* ISO 4217 code of amounts, default "EUR" */
};

enum exhibit_type { EXHIBIT_PNG, EXHIBIT_JPEG, EXHIBIT_TEXT, EXHIBIT_PDF };

/* A page of a PDF exhibit: its visible box (CropBox clipped to the
 * MediaBox, in the page's default user space, points) and its /Rotate
 * (0, 90, 180 or 270, clockwise). Displayed, the page is (x1 - x0) by
 * (y1 - y0) points, width and height swapped for 90 and 270. */
struct pdf_page_box {
	double x0, y0, x1, y1;
	int rotate;
};

struct exhibit {
	int number;		/* 1-based, stable: Pièce n° N everywhere */
	char *path;		/* relative to the case folder */
	enum exhibit_type type;
	char *title;		/* from exhibits.csv, else the file name */
	int64_t date;		/* from exhibits.csv; 0 when unknown */
	char *source;		/* from exhibits.csv; may be "" */
	int file;		/* index into case_model.files */
	int width, height;	/* pixels, for images */
	int pages;		/* EXHIBIT_PDF: number of pages, else 0 */
	struct pdf_page_box *boxes;	/* EXHIBIT_PDF: pages entries */
	struct provenance prov;	/* exhibits.csv row, or the file itself */
};

struct complaint {
	char *id;
	int64_t received;
	char *customer_id, *customer_name, *email;
	char **services;	/* service ids */
	size_t nservices;
	char *contract;
	int64_t prepaid_cents;	/* -1 when not given */
	int64_t prepaid_until;	/* 0 when not given */
	char *summary, *statement;
	int *exhibits;		/* indices into case_model.exhibits */
	size_t nexhibits;
	struct provenance prov;
};

struct timeline_event {
	int64_t when;
	char *title, *detail, *source;
	int *exhibits;		/* indices into case_model.exhibits */
	size_t nexhibits;
	struct provenance prov;
};

/* A row of outages/ *.csv: the service was down over [start, end). */
struct outage {
	char *service_id;
	int64_t start, end;
	char *cause;
	struct provenance prov;
};

/* Nagios / Icinga compat log lines that matter for availability. */
enum nagios_kind {
	NAGIOS_HOST_ALERT,
	NAGIOS_SERVICE_ALERT,
	NAGIOS_HOST_STATE,	/* CURRENT or INITIAL HOST STATE */
	NAGIOS_SERVICE_STATE,	/* CURRENT or INITIAL SERVICE STATE */
	NAGIOS_HOST_DOWNTIME,
	NAGIOS_SERVICE_DOWNTIME,
	NAGIOS_PROGRAM_START,	/* "Nagios ... starting..." */
	NAGIOS_PROGRAM_STOP,	/* "shutting down", "Bailing out" */
	NAGIOS_LOG_ROTATION
};

/* Host states use OK=UP, CRITICAL=DOWN, UNKNOWN=UNREACHABLE positions. */
enum nagios_state {
	STATE_OK = 0,		/* OK or UP */
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,	/* CRITICAL or DOWN */
	STATE_UNKNOWN = 3,
	STATE_UNREACHABLE = 4,	/* hosts only */
	STATE_NONE = -1		/* downtime and program events */
};

enum downtime_action { DOWNTIME_NONE, DOWNTIME_STARTED, DOWNTIME_STOPPED,
	DOWNTIME_CANCELLED };

struct nagios_event {
	int64_t time;
	enum nagios_kind kind;
	int host;		/* index into case_model.names, -1 if none */
	int check;		/* index into case_model.names, -1 = host */
	enum nagios_state state;
	int hard;		/* 1 HARD, 0 SOFT */
	int attempt;
	enum downtime_action downtime;
	char *output;		/* plugin output or downtime comment */
	struct provenance prov;
};

struct case_model {
	char *root;		/* the case folder as given */
	struct case_info info;
	struct source_file *files;
	size_t nfiles;
	struct service *services;
	size_t nservices;
	struct monitor_map *monitors;
	size_t nmonitors;
	struct exhibit *exhibits;
	size_t nexhibits;
	struct complaint *complaints;
	size_t ncomplaints;
	struct timeline_event *timeline;
	size_t ntimeline;
	struct outage *outages;
	size_t noutages;
	struct nagios_event *events;
	size_t nevents;
	/* When not empty, every events[i].output lies in this pool (1 MiB
	 * blocks), freed whole: the Nagios reader and store_read copy a
	 * million outputs there, not into a million allocations (each
	 * freed on its own once the case was stored, 0.1 s of the large
	 * bench case's main thread). */
	struct strpool event_text;
	char **names;		/* interned Nagios host and service names */
	size_t nnames;
	void *name_index;	/* hash index over names (read stage) */
};

/* Copy s[0..n) and a NUL into m->event_text; returns the copy. */
char *model_event_text(struct case_model *m, const char *s, size_t n);

void model_init(struct case_model *m);
void model_free(struct case_model *m);

/* Index of a declared service, or -1. */
int model_service(const struct case_model *m, const char *id);

/* Index of an interned Nagios name, adding it when absent. */
int model_intern(struct case_model *m, const char *name);

/* Index of a source file, adding it (kind, no hash yet) when absent. */
int model_file(struct case_model *m, const char *path, enum file_kind kind);

const char *file_kind_name(enum file_kind k);
const char *nagios_state_name(enum nagios_state s, int is_host);

#endif
