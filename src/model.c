/* model.c - life cycle of the in-memory case records. */
#include "util/hash.h"
#include "model.h"
#include "util/strpool.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * Nagios host and service names repeat on every log line; interning them
 * keeps a million-line log to a few dozen strings. The index is a plain
 * open-addressing table of name indices (FNV-1a hash).
 */
struct name_index {
	int *slots;	/* name index + 1; 0 = empty */
	size_t cap;
};

static void
index_insert(struct name_index *ix, char **names, int id)
{
	size_t i = hash_string(names[id]) & (ix->cap - 1);
	while (ix->slots[i])
		i = (i + 1) & (ix->cap - 1);
	ix->slots[i] = id + 1;
}

int
model_intern(struct case_model *m, const char *name)
{
	struct name_index *ix = m->name_index;

	if (ix == NULL) {
		ix = xcalloc(1, sizeof(*ix));
		ix->cap = 64;
		ix->slots = xcalloc(ix->cap, sizeof(int));
		m->name_index = ix;
	}
	size_t i = hash_string(name) & (ix->cap - 1);
	while (ix->slots[i]) {
		int id = ix->slots[i] - 1;
		if (strcmp(m->names[id], name) == 0)
			return id;
		i = (i + 1) & (ix->cap - 1);
	}
	m->names = xreallocarray(m->names, m->nnames + 1, sizeof(char *));
	int id = (int)m->nnames++;
	m->names[id] = xstrdup(name);
	if (m->nnames * 2 > ix->cap) {
		free(ix->slots);
		ix->cap *= 2;
		ix->slots = xcalloc(ix->cap, sizeof(int));
		for (size_t k = 0; k < m->nnames; k++)
			index_insert(ix, m->names, (int)k);
	} else
		ix->slots[i] = id + 1;
	return id;
}

void
model_init(struct case_model *m)
{
	memset(m, 0, sizeof(*m));
	strpool_init(&m->event_text, 1u << 20);
}

int
model_service(const struct case_model *m, const char *id)
{
	for (size_t i = 0; i < m->nservices; i++)
		if (strcmp(m->services[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
model_file(struct case_model *m, const char *path, enum file_kind kind)
{
	for (size_t i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i].path, path) == 0)
			return (int)i;
	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof(*m->files));
	struct source_file *f = &m->files[m->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->kind = kind;
	return (int)m->nfiles++;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *
model_event_text(struct case_model *m, const char *s, size_t n)
{
	return strpool_dupn(&m->event_text, s, n);
}

void
model_free(struct case_model *m)
{
	struct case_info *ci = &m->info;

	free(m->root);
	free(ci->title);
	free(ci->reference);
	free(ci->court);
	free(ci->language);
	free(ci->timezone);
	free(ci->paper);
	free(ci->credits);
	free(ci->claimant);
	free(ci->defendant);
	free(ci->counsel);
	free(ci->currency);
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	free(m->files);
	for (size_t i = 0; i < m->nservices; i++) {
		free(m->services[i].id);
		free(m->services[i].label);
	}
	free(m->services);
	for (size_t i = 0; i < m->nmonitors; i++) {
		free(m->monitors[i].service_id);
		free(m->monitors[i].host);
		free(m->monitors[i].check);
	}
	free(m->monitors);
	for (size_t i = 0; i < m->nexhibits; i++) {
		free(m->exhibits[i].path);
		free(m->exhibits[i].title);
		free(m->exhibits[i].source);
		free(m->exhibits[i].boxes);
	}
	free(m->exhibits);
	for (size_t i = 0; i < m->ncomplaints; i++) {
		struct complaint *c = &m->complaints[i];
		free(c->id);
		free(c->customer_id);
		free(c->customer_name);
		free(c->email);
		free_strv(c->services, c->nservices);
		free(c->contract);
		free(c->summary);
		free(c->statement);
		free(c->exhibits);
	}
	free(m->complaints);
	for (size_t i = 0; i < m->ntimeline; i++) {
		struct timeline_event *e = &m->timeline[i];
		free(e->title);
		free(e->detail);
		free(e->source);
		free(e->exhibits);
	}
	free(m->timeline);
	for (size_t i = 0; i < m->noutages; i++) {
		free(m->outages[i].service_id);
		free(m->outages[i].cause);
	}
	free(m->outages);
	if (strpool_empty(&m->event_text))
		for (size_t i = 0; i < m->nevents; i++)
			free(m->events[i].output);
	free(m->events);
	strpool_free(&m->event_text);
	free_strv(m->names, m->nnames);
	if (m->name_index) {
		free(((struct name_index *)m->name_index)->slots);
		free(m->name_index);
	}
	memset(m, 0, sizeof(*m));
}

const char *
file_kind_name(enum file_kind k)
{
	switch (k) {
	case FILE_CASE_INI:
		return "case";
	case FILE_COMPLAINTS:
		return "complaints";
	case FILE_TIMELINE:
		return "timeline";
	case FILE_EXHIBITS_CSV:
		return "exhibit-list";
	case FILE_OUTAGE_CSV:
		return "outages";
	case FILE_NAGIOS_LOG:
		return "monitoring-log";
	case FILE_EXHIBIT:
		return "exhibit";
	default:
		return "other";
	}
}

const char *
nagios_state_name(enum nagios_state s, int is_host)
{
	switch (s) {
	case STATE_OK:
		return is_host ? "UP" : "OK";
	case STATE_WARNING:
		return "WARNING";
	case STATE_CRITICAL:
		return is_host ? "DOWN" : "CRITICAL";
	case STATE_UNKNOWN:
		return "UNKNOWN";
	case STATE_UNREACHABLE:
		return "UNREACHABLE";
	default:
		return "";
	}
}
