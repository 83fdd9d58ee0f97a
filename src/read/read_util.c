/* read_util.c - small helpers the readers share. */
#include "util/hash.h"
#include "read/read_int.h"
#include "util/path.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
reader_count(struct reader *r, int file, long read, long accepted,
    long rejected, long skipped)
{
	struct source_file *sf = &r->m->files[file];
	struct diag_count *dc = diag_count(r->dl, sf->path);

	sf->read += read;
	sf->accepted += accepted;
	sf->rejected += rejected;
	sf->skipped += skipped;
	dc->read += read;
	dc->accepted += accepted;
	dc->rejected += rejected;
	dc->skipped += skipped;
}

void
reader_count_csv(struct reader *r, int file, const struct csv_counts *c)
{
	reader_count(r, file, c->read, c->accepted, c->rejected, c->skipped);
}

char *
str_trim(char *s)
{
	size_t n = strlen(s), b = 0;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (b < n && (s[b] == ' ' || s[b] == '\t'))
		b++;
	if (b > 0)
		memmove(s, s + b, n - b);
	s[n - b] = '\0';
	return s;
}

char **
list_split(const char *s, size_t *n)
{
	char **v = NULL;
	*n = 0;
	while (*s) {
		const char *e = strchr(s, ';');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *item = str_trim(xstrndup(s, len));
		if (item[0]) {
			v = xreallocarray(v, *n + 1, sizeof(char *));
			v[(*n)++] = item;
		} else
			free(item);
		if (!e)
			break;
		s = e + 1;
	}
	return v;
}

void
list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
id_valid(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return 0;
	return 1;
}

void
fmt_bytes(long long n, char *out, size_t outlen)
{
	if (n > 0 && n % (1LL << 30) == 0)
		snprintf(out, outlen, "%lld GiB", n >> 30);
	else if (n > 0 && n % (1LL << 20) == 0)
		snprintf(out, outlen, "%lld MiB", n >> 20);
	else
		snprintf(out, outlen, "%lld bytes", n);
}

/* Exhibit k cited by a record: added to its list once, marked cited. */
static void
add_exhibit(struct reader *r, int k, int **out, size_t *n)
{
	size_t j;
	for (j = 0; j < *n; j++)	/* cited twice: once */
		if ((*out)[j] == k)
			break;
	if (j == *n) {
		*out = xreallocarray(*out, *n + 1, sizeof(int));
		(*out)[(*n)++] = k;
	}
	r->ex_cited[k] = 1;
}

int
exhibits_resolve(struct reader *r, const char *rel, long line,
    const char *field, const char *list, int **out, size_t *n)
{
	size_t nitems;
	char **items = list_split(list, &nitems);
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nitems; i++) {
		/* A thousand complaints cite the same few exhibits: each
		 * resolution is a realpath() (a readlink per folder of the
		 * path, 7,000 system calls on the medium case), so a path
		 * already resolved to an exhibit is taken from r->cited. */
		int known = strmap_get(&r->cited, items[i]);
		if (known >= 0) {
			add_exhibit(r, known, out, n);
			continue;
		}
		const char *why;
		char *real = path_in_case(r->root, items[i], &why);
		if (real == NULL) {
			diag_error(r->dl, rel, line, field, "exhibit \"%s\": %s",
			    items[i], why);
			rc = -1;
			continue;
		}
		size_t k;
		for (k = 0; k < r->m->nexhibits; k++)
			if (strcmp(r->ex_real[k], real) == 0)
				break;
		if (k < r->m->nexhibits) {
			strmap_put(&r->cited, items[i], (int)k);
			add_exhibit(r, (int)k, out, n);
		} else {
			size_t b;
			for (b = 0; b < r->nbad; b++)
				if (strcmp(r->bad_real[b], real) == 0)
					break;
			if (b < r->nbad)
				diag_error(r->dl, rel, line, field,
				    "exhibit \"%s\" could not be read (see the "
				    "error reported for %s)", items[i],
				    r->bad_rel[b]);
			else
				diag_error(r->dl, rel, line, field,
				    "\"%s\" is not an exhibit: exhibits must "
				    "be files in the exhibits/ folder", items[i]);
			rc = -1;
		}
		free(real);
	}
	list_free(items, nitems);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void
strmap_free(struct strmap *sm)
{
	for (size_t i = 0; i < sm->cap; i++)
		free(sm->keys[i]);
	free(sm->keys);
	free(sm->vals);
	memset(sm, 0, sizeof(*sm));
}

int
strmap_get(const struct strmap *sm, const char *key)
{
	if (sm->cap == 0)
		return -1;
	for (size_t i = hash_string(key) & (sm->cap - 1); sm->keys[i];
	    i = (i + 1) & (sm->cap - 1))
		if (strcmp(sm->keys[i], key) == 0)
			return sm->vals[i];
	return -1;
}

static void
strmap_insert(struct strmap *sm, char *key, int val)
{
	size_t i = hash_string(key) & (sm->cap - 1);
	while (sm->keys[i])
		i = (i + 1) & (sm->cap - 1);
	sm->keys[i] = key;
	sm->vals[i] = val;
}

void
strmap_put(struct strmap *sm, const char *key, int val)
{
	if ((sm->len + 1) * 2 > sm->cap) {
		struct strmap old = *sm;
		sm->cap = old.cap ? old.cap * 2 : 64;
		sm->keys = xcalloc(sm->cap, sizeof(char *));
		sm->vals = xcalloc(sm->cap, sizeof(int));
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i])
				strmap_insert(sm, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	for (size_t i = hash_string(key) & (sm->cap - 1); sm->keys[i];
	    i = (i + 1) & (sm->cap - 1))
		if (strcmp(sm->keys[i], key) == 0) {
			sm->vals[i] = val;
			return;
		}
	strmap_insert(sm, xstrdup(key), val);
	sm->len++;
}

int
parse_money(const char *s, int64_t *cents, const char **why)
{
	int64_t euros = 0;
	int digits = 0, frac = 0, nfrac = 0, in_frac = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (in_frac) {
				if (++nfrac > 2) {
					*why = "at most two digits after the "
					    "decimal separator (e.g. 1 250,00)";
					return -1;
				}
				frac = frac * 10 + (*p - '0');
			} else {
				if (euros > 100000000000LL) {
					*why = "amount too large";
					return -1;
				}
				euros = euros * 10 + (*p - '0');
				digits++;
			}
		} else if (*p == ' ' && !in_frac && digits) {
			continue;	/* thousands separator */
		} else if ((p[0] == 0xC2 && p[1] == 0xA0) && !in_frac && digits) {
			p++;		/* no-break space */
		} else if ((p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) &&
		    !in_frac && digits) {
			p += 2;		/* narrow no-break space */
		} else if ((*p == '.' || *p == ',') && !in_frac && digits) {
			in_frac = 1;
		} else {
			*why = "not an amount in euros (e.g. 1250, 1250.00 or "
			    "1 250,00; no currency sign)";
			return -1;
		}
	}
	if (digits == 0 || (in_frac && nfrac == 0)) {
		*why = "not an amount in euros (e.g. 1250, 1250.00 or "
		    "1 250,00; no currency sign)";
		return -1;
	}
	if (nfrac == 1)
		frac *= 10;
	*cents = euros * 100 + frac;
	return 0;
}
