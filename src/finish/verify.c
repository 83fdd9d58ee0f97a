/*
 * verify.c - recompute the digests of a dossier's evidence with libqpdf
 * (attachments, Info) and Nettle.
 */
#include "finish/verify.h"
#include "model.h"
#include "compose/compose.h"
#include "read/read.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>

struct attached {
	char *name;
	char hex[SHA256_HEX_LEN + 1];
	unsigned char *data;	/* kept only for the manifest */
	size_t len;
};

struct attached_list {
	struct attached *v;
	size_t n;
};

/* Walk an /EmbeddedFiles name tree node (with /Names or /Kids). */
static void
walk_names(qpdf_data q, qpdf_oh node, struct attached_list *out, int depth)
{
	if (depth > 32)
		return;	/* a loop in a hostile file */
	qpdf_oh names = qpdf_oh_get_key(q, node, "/Names");
	int n = qpdf_oh_is_array(q, names) ? qpdf_oh_get_array_n_items(q, names)
	    : 0;
	for (int i = 0; i + 1 < n; i += 2) {
		qpdf_oh key = qpdf_oh_get_array_item(q, names, i);
		qpdf_oh spec = qpdf_oh_get_array_item(q, names, i + 1);
		qpdf_oh ef = qpdf_oh_get_key(q, spec, "/EF");
		qpdf_oh stream = qpdf_oh_get_key(q, ef, "/F");
		unsigned char *buf = NULL;
		size_t len = 0;
		QPDF_BOOL filtered = 0;
		if (!qpdf_oh_is_stream(q, stream) ||
		    qpdf_oh_get_stream_data(q, stream, qpdf_dl_all, &filtered,
		    &buf, &len) != QPDF_SUCCESS)
			continue;
		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		struct attached *a = &out->v[out->n++];
		a->name = xstrdup(qpdf_oh_get_utf8_value(q, key));
		sha256_hex(buf ? (const char *)buf : "", len, a->hex);
		a->data = buf;
		a->len = len;
	}
	qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
	n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
	for (int i = 0; i < n; i++)
		walk_names(q, qpdf_oh_get_array_item(q, kids, i), out,
		    depth + 1);
}

static struct attached *
find(struct attached_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

/* One manifest line: "HASH  PATH". */
struct entry {
	char hex[SHA256_HEX_LEN + 1];
	char *path;
	int seen;
};

static size_t
parse_manifest(const unsigned char *data, size_t len, struct entry **out)
{
	size_t n = 0;
	const char *p = (const char *)data, *end = p + len;
	*out = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (l > SHA256_HEX_LEN + 2 && p[SHA256_HEX_LEN] == ' ' &&
		    p[SHA256_HEX_LEN + 1] == ' ') {
			*out = xreallocarray(*out, n + 1, sizeof(**out));
			memcpy((*out)[n].hex, p, SHA256_HEX_LEN);
			(*out)[n].hex[SHA256_HEX_LEN] = '\0';
			(*out)[n].path = xstrndup(p + SHA256_HEX_LEN + 2,
			    l - SHA256_HEX_LEN - 2);
			(*out)[n].seen = 0;
			n++;
		}
		p += l + 1;
	}
	return n;
}

/*
 * The case folder against a manifest digest alone: the manifest is
 * rebuilt from the folder's files (as `dossier check` reads them) and
 * its SHA-256 compared. Which file differs cannot be told this way.
 */
static int
verify_case_digest(const char *case_dir, const char *want, FILE *out)
{
	struct case_model m;
	struct diag_list dl;
	struct read_limits lim;
	char hex[SHA256_HEX_LEN + 1];
	int bad = 0;

	model_init(&m);
	diag_init(&dl);
	read_limits_default(&lim);
	if (read_case(case_dir, &lim, &m, &dl) != 0 && m.nfiles == 0) {
		fprintf(out, "%s: cannot be read as a case folder\n", case_dir);
		bad = -1;
	} else {
		compose_manifest_hash(&m, hex);
		if (strncmp(hex, want, SHA256_HEX_LEN) == 0)
			fprintf(out, "OK: the %zu files of %s give the manifest "
			    "digest in the metadata (SHA-256 %s); the PDF has no "
			    "attachments to compare file by file\n", m.nfiles,
			    case_dir, hex);
		else {
			fprintf(out, "MISMATCH %s: its manifest digest is %s, "
			    "the metadata says %.64s (the PDF has no "
			    "attachments, so the file that differs cannot be "
			    "named)\n", case_dir, hex, want);
			bad = 1;
		}
	}
	model_free(&m);
	diag_free(&dl);
	return bad;
}

int
verify_pdf(const char *pdf, const char *case_dir, FILE *out)
{
	qpdf_data q = qpdf_init();
	struct attached_list att = { NULL, 0 };
	struct entry *man = NULL;
	size_t nman = 0;
	int bad = 0;

	qpdf_set_suppress_warnings(q, 1);
	if (qpdf_read(q, pdf, NULL) & QPDF_ERRORS) {
		qpdf_error e = qpdf_get_error(q);
		fprintf(out, "%s: cannot be read as a PDF (%s)\n", pdf,
		    e ? qpdf_get_error_full_text(q, e) : "unknown error");
		qpdf_cleanup(&q);
		return -1;
	}
	qpdf_oh root = qpdf_get_root(q);
	qpdf_oh tree = qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/Names"),
	    "/EmbeddedFiles");
	walk_names(q, tree, &att, 0);

	struct attached *ma = find(&att, MANIFEST_NAME);
	/* libharu writes Info strings as UTF-16 when the UTF-8 encoder is
	 * current: read the value as text, not as raw bytes. */
	qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
	qpdf_oh kwh = qpdf_oh_get_key(q, info, "/Keywords");
	const char *kw = qpdf_oh_is_string(q, kwh) ?
	    qpdf_oh_get_utf8_value(q, kwh) : NULL;
	const char *meta = kw ? strstr(kw, KEYWORDS_PREFIX) : NULL;
	if (ma == NULL && case_dir && meta) {
		/* Built with --no-attachments: the digest in the metadata
		 * still vouches for the whole case folder at once. */
		bad = verify_case_digest(case_dir,
		    meta + strlen(KEYWORDS_PREFIX), out);
		goto out;
	}
	if (ma == NULL) {
		fprintf(out, "%s: no manifest attached (%s); was it built with "
		    "--no-attachments? Give the case folder to check it "
		    "against the digest in the metadata\n", pdf, MANIFEST_NAME);
		bad = -1;
		goto out;
	}
	if (meta == NULL) {
		fprintf(out, "MISMATCH metadata: the document's /Keywords hold "
		    "no manifest digest\n");
		bad++;
	} else if (strncmp(meta + strlen(KEYWORDS_PREFIX), ma->hex,
	    SHA256_HEX_LEN) != 0) {
		fprintf(out, "MISMATCH %s: SHA-256 %s, the metadata says "
		    "%.64s\n", MANIFEST_NAME, ma->hex,
		    meta + strlen(KEYWORDS_PREFIX));
		bad++;
	}
	nman = parse_manifest(ma->data, ma->len, &man);

	if (case_dir == NULL) {
		for (size_t i = 0; i < nman; i++) {
			struct attached *a = find(&att, man[i].path);
			if (a == NULL) {
				fprintf(out, "MISSING %s: listed in the "
				    "manifest, not attached\n", man[i].path);
				bad++;
			} else if (strcmp(a->hex, man[i].hex) != 0) {
				fprintf(out, "MISMATCH %s: SHA-256 %s, the "
				    "manifest says %s\n", man[i].path, a->hex,
				    man[i].hex);
				bad++;
			}
		}
		for (size_t i = 0; i < att.n; i++) {
			int listed = strcmp(att.v[i].name, MANIFEST_NAME) == 0;
			for (size_t k = 0; k < nman && !listed; k++)
				listed = strcmp(man[k].path, att.v[i].name) == 0;
			if (!listed) {
				fprintf(out, "EXTRA %s: attached, not in the "
				    "manifest\n", att.v[i].name);
				bad++;
			}
		}
	} else {
		/* The case folder as the reader sees it: same files. */
		struct case_model m;
		struct diag_list dl;
		struct read_limits lim;
		model_init(&m);
		diag_init(&dl);
		read_limits_default(&lim);
		if (read_case(case_dir, &lim, &m, &dl) != 0 && m.nfiles == 0) {
			fprintf(out, "%s: cannot be read as a case folder\n",
			    case_dir);
			bad = -1;
		}
		for (size_t i = 0; bad >= 0 && i < m.nfiles; i++) {
			struct entry *e = NULL;
			for (size_t k = 0; k < nman && !e; k++)
				if (strcmp(man[k].path, m.files[i].path) == 0)
					e = &man[k];
			if (e == NULL) {
				fprintf(out, "EXTRA %s: in the case folder, not "
				    "in the manifest\n", m.files[i].path);
				bad++;
				continue;
			}
			e->seen = 1;
			if (strcmp(e->hex, m.files[i].sha256) != 0) {
				fprintf(out, "MISMATCH %s: SHA-256 %s, the "
				    "manifest says %s\n", m.files[i].path,
				    m.files[i].sha256, e->hex);
				bad++;
			}
		}
		for (size_t k = 0; bad >= 0 && k < nman; k++)
			if (!man[k].seen) {
				fprintf(out, "MISSING %s: in the manifest, not "
				    "in the case folder\n", man[k].path);
				bad++;
			}
		model_free(&m);
		diag_free(&dl);
	}
	if (bad == 0)
		fprintf(out, "OK: %zu input files match the manifest "
		    "(SHA-256 %s)\n", nman, ma->hex);
out:
	for (size_t i = 0; i < nman; i++)
		free(man[i].path);
	free(man);
	for (size_t i = 0; i < att.n; i++) {
		free(att.v[i].name);
		free(att.v[i].data);
	}
	free(att.v);
	qpdf_cleanup(&q);
	return bad;
}
