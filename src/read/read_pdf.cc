/*
 * read_pdf.cc - check a PDF exhibit with libqpdf (see read_pdf.h).
 *
 * Why C++: libqpdf's C API (qpdf-c.h) can open a file and count pages,
 * but it cannot enumerate every object of the file, which is what
 * finding JavaScript anywhere needs (an /OpenAction, an /AA of a page or
 * a field, a /Names /JavaScript tree, a /JS key in any action), and it
 * has no helpers for inherited page boxes. QPDF::getAllObjects and
 * QPDFPageDocumentHelper do this directly. No exception leaves this file.
 */
#include "read/read_pdf.h"

#include <qpdf/Pl_Discard.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

namespace {

/* What makes a PDF unfit for a court dossier: code that runs when it
 * is opened or clicked. Direct objects only: indirect ones are visited
 * on their own by the caller. */
const char *
active_content(QPDFObjectHandle oh, int depth)
{
	if (depth > 64)
		return nullptr;
	if (oh.isStream())
		oh = oh.getDict();
	if (oh.isDictionary()) {
		if (oh.hasKey("/JS"))
			return "JavaScript";
		if (oh.hasKey("/JavaScript"))
			return "JavaScript";
		QPDFObjectHandle s = oh.getKey("/S");
		if (s.isName() && s.getName() == "/JavaScript")
			return "JavaScript";
		if (s.isName() && s.getName() == "/Launch")
			return "an action that launches a program";
		for (auto const &key : oh.getKeys()) {
			QPDFObjectHandle v = oh.getKey(key);
			if (v.isIndirect())
				continue;
			if (const char *w = active_content(v, depth + 1))
				return w;
		}
	} else if (oh.isArray()) {
		int n = oh.getArrayNItems();
		for (int i = 0; i < n; i++) {
			QPDFObjectHandle v = oh.getArrayItem(i);
			if (v.isIndirect())
				continue;
			if (const char *w = active_content(v, depth + 1))
				return w;
		}
	}
	return nullptr;
}

bool
rect_of(QPDFObjectHandle box, double r[4])
{
	if (!box.isRectangle())
		return false;
	QPDFObjectHandle::Rectangle x = box.getArrayAsRectangle();
	r[0] = std::fmin(x.llx, x.urx);
	r[1] = std::fmin(x.lly, x.ury);
	r[2] = std::fmax(x.llx, x.urx);
	r[3] = std::fmax(x.lly, x.ury);
	return std::isfinite(r[0]) && std::isfinite(r[1]) &&
	    std::isfinite(r[2]) && std::isfinite(r[3]);
}

void
say(char *out, size_t len, std::string const &s)
{
	if (len)
		std::snprintf(out, len, "%s", s.c_str());
}

} // namespace

extern "C" int
pdf_inspect(const char *path, const struct read_limits *lim, int *pages,
    struct pdf_page_box **boxes, char *why, size_t whylen, char *repaired,
    size_t replen)
{
	struct stat sb;
	*pages = 0;
	*boxes = nullptr;
	if (repaired && replen)
		repaired[0] = '\0';
	if (stat(path, &sb) == 0 && lim->max_pdf_bytes > 0 &&
	    (long long)sb.st_size > lim->max_pdf_bytes) {
		std::snprintf(why, whylen, "PDF of %lld bytes; the limit is "
		    "%lld MiB for one PDF exhibit", (long long)sb.st_size,
		    lim->max_pdf_bytes >> 20);
		return -1;
	}
	struct pdf_page_box *bx = nullptr;
	try {
		QPDF q;
		q.setSuppressWarnings(true);
		try {
			q.processFile(path);
		} catch (QPDFExc &e) {
			if (e.getErrorCode() == qpdf_e_password) {
				say(why, whylen, "encrypted PDF (it needs a "
				    "password); give the unprotected document "
				    "(qpdf --decrypt) as the exhibit");
				return -1;
			}
			say(why, whylen, "damaged PDF that qpdf cannot repair: " +
			    e.getMessageDetail());
			return -1;
		}
		if (q.isEncrypted()) {
			say(why, whylen, "encrypted PDF (even without a password, "
			    "its protection restricts use); give the unprotected "
			    "document (qpdf --decrypt) as the exhibit");
			return -1;
		}
		QPDFPageDocumentHelper pdh(q);
		pdh.pushInheritedAttributesToPage();
		std::vector<QPDFPageObjectHelper> pv = pdh.getAllPages();
		long n = (long)pv.size();
		if (n == 0) {
			say(why, whylen, "the PDF has no pages");
			return -1;
		}
		if (n > lim->max_pdf_pages) {
			std::snprintf(why, whylen, "PDF of %ld pages; the limit is "
			    "%ld pages for one PDF exhibit", n, lim->max_pdf_pages);
			return -1;
		}
		/* The trailer and catalog are direct-object roots too. */
		if (const char *w = active_content(q.getTrailer(), 0)) {
			std::snprintf(why, whylen, "the PDF contains %s; documents "
			    "with active content are refused (print it to PDF "
			    "again without it)", w);
			return -1;
		}
		for (auto &oh : q.getAllObjects()) {
			if (const char *w = active_content(oh, 0)) {
				std::snprintf(why, whylen, "the PDF contains %s "
				    "(object %d); documents with active content "
				    "are refused (print it to PDF again without "
				    "it)", w, oh.getObjectID());
				return -1;
			}
		}
		bx = (struct pdf_page_box *)std::calloc((size_t)n, sizeof(*bx));
		if (bx == nullptr) {
			say(why, whylen, "out of memory");
			return -1;
		}
		for (long i = 0; i < n; i++) {
			QPDFPageObjectHelper &ph = pv[(size_t)i];
			double mb[4], cb[4];
			if (!rect_of(ph.getMediaBox(), mb)) {
				std::snprintf(why, whylen, "page %ld has no valid "
				    "/MediaBox", i + 1);
				std::free(bx);
				return -1;
			}
			if (!rect_of(ph.getCropBox(), cb))
				std::memcpy(cb, mb, sizeof(cb));
			struct pdf_page_box *b = &bx[i];
			b->x0 = std::fmax(mb[0], cb[0]);
			b->y0 = std::fmax(mb[1], cb[1]);
			b->x1 = std::fmin(mb[2], cb[2]);
			b->y1 = std::fmin(mb[3], cb[3]);
			if (b->x1 - b->x0 < 1 || b->y1 - b->y0 < 1) {
				std::snprintf(why, whylen, "page %ld shows nothing "
				    "(its /CropBox lies outside its /MediaBox)",
				    i + 1);
				std::free(bx);
				return -1;
			}
			if (b->x1 - b->x0 > 14400 || b->y1 - b->y0 > 14400) {
				std::snprintf(why, whylen, "page %ld is larger than "
				    "200 inches on a side", i + 1);
				std::free(bx);
				return -1;
			}
			QPDFObjectHandle rot = ph.getObjectHandle().getKey("/Rotate");
			long long r = rot.isInteger() ? rot.getIntValue() : 0;
			r = ((r % 360) + 360) % 360;
			b->rotate = (int)(r - r % 90);
			/* Decode the page's content, so that a damaged stream
			 * is found now and not in the court's reader. */
			Pl_Discard discard;
			ph.pipeContents(&discard);
		}
		std::vector<QPDFExc> warnings = q.getWarnings();
		*pages = (int)n;
		*boxes = bx;
		if (!warnings.empty()) {
			/* The first distinct problems, as qpdf words them. */
			std::string list;
			std::set<std::string> seen;
			for (auto &w : warnings) {
				std::string m = w.getMessageDetail();
				if (seen.size() >= 3 || !seen.insert(m).second)
					continue;
				list += (list.empty() ? "" : "; ") + m;
			}
			std::string s = "qpdf repaired the file (" +
			    std::to_string(warnings.size()) + " problem" +
			    (warnings.size() > 1 ? "s" : "") + ": " + list + ")";
			say(repaired, replen, s);
			return 1;
		}
		return 0;
	} catch (std::exception &e) {
		std::free(bx);
		*boxes = nullptr;
		*pages = 0;
		say(why, whylen, std::string("damaged PDF that qpdf cannot "
		    "repair: ") + e.what());
		return -1;
	}
}
