/*
 * pdfpages.cc - imported PDF pages placed under their stamp (pdfpages.h).
 *
 * Why C++: the job interface of libqpdf ("overlay", "underlay",
 * "pages") maps whole pages one to one, fits them to the target's
 * TrimBox and copies every annotation with a single matrix; it cannot
 * leave bands free for the stamp, clip to the CropBox, turn links
 * between the exhibit's own pages into links between dossier pages, or
 * graft the exhibit's outline beneath its bookmark. The C++ page and
 * object helpers do all of it in one pass. No exception leaves this
 * file; the output is a function of the inputs only (no clock, no
 * random), and its /ID is qpdf's deterministic one.
 */
#include "finish/pdfpages.h"

#include <qpdf/QPDF.hh>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFMatrix.hh>
#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

typedef QPDFObjectHandle OH;

/* An opened exhibit file. */
struct source {
	std::unique_ptr<QPDF> q;
	std::vector<QPDFPageObjectHelper> pages;
	std::map<QPDFObjGen, int> index;	/* page object -> 0-based */
	std::vector<std::vector<OH>> links;	/* per page, before flattening */
};

/* Where an exhibit page went: dossier page and the matrices that take
 * a point of the source page to it (form matrix, then placement). */
struct placed {
	int page = -1;
	QPDFMatrix fm, cm;
};

OH
rect_array(double x0, double y0, double x1, double y1)
{
	return OH::newArray(OH::Rectangle(x0, y0, x1, y1));
}

/* The destination array of a link or outline item (direct array, or
 * a name / string looked up in the source's /Dests or name tree). */
OH
resolve_dest(QPDF &q, OH d)
{
	if (d.isDictionary() && d.hasKey("/D"))
		d = d.getKey("/D");
	if (d.isArray())
		return d;
	OH root = q.getRoot();
	if (d.isName()) {
		OH dests = root.getKey("/Dests");
		if (dests.isDictionary())
			return resolve_dest(q, dests.getKey(d.getName()));
	} else if (d.isString()) {
		/* /Names /Dests: a name tree, searched flatly (small files). */
		OH tree = root.getKey("/Names").isDictionary() ?
		    root.getKey("/Names").getKey("/Dests") : OH::newNull();
		std::vector<OH> todo;
		if (tree.isDictionary())
			todo.push_back(tree);
		std::string key = d.getStringValue();
		for (size_t guard = 0; !todo.empty() && guard < 10000; guard++) {
			OH node = todo.back();
			todo.pop_back();
			OH names = node.getKey("/Names");
			if (names.isArray())
				for (int i = 0; i + 1 < names.getArrayNItems(); i += 2)
					if (names.getArrayItem(i).isString() &&
					    names.getArrayItem(i).getStringValue() == key)
						return resolve_dest(q,
						    names.getArrayItem(i + 1));
			OH kids = node.getKey("/Kids");
			if (kids.isArray())
				for (int i = 0; i < kids.getArrayNItems(); i++)
					if (kids.getArrayItem(i).isDictionary())
						todo.push_back(kids.getArrayItem(i));
		}
	}
	return OH::newNull();
}

/* The dossier destination for a source destination, or null when its
 * page is not in the dossier. */
OH
map_dest(source &src, OH d, std::map<int, placed> const &where,
    std::vector<QPDFPageObjectHelper> &dpages, int *dpage_index = nullptr)
{
	OH a = resolve_dest(*src.q, d);
	if (!a.isArray() || a.getArrayNItems() < 1)
		return OH::newNull();
	OH pg = a.getArrayItem(0);
	if (!pg.isIndirect())
		return OH::newNull();
	auto it = src.index.find(pg.getObjGen());
	if (it == src.index.end())
		return OH::newNull();
	auto w = where.find(it->second);
	if (w == where.end())
		return OH::newNull();
	OH dpage = dpages[(size_t)w->second.page].getObjectHandle();
	if (dpage_index)
		*dpage_index = w->second.page;
	/* Keep the vertical position of /XYZ and /FitH targets. */
	double top = dpages[(size_t)w->second.page].getMediaBox()
	    .getArrayAsRectangle().ury;
	if (a.getArrayNItems() >= 3 && a.getArrayItem(1).isName()) {
		std::string kind = a.getArrayItem(1).getName();
		OH y = kind == "/XYZ" && a.getArrayNItems() >= 4 ?
		    a.getArrayItem(3) : kind == "/FitH" ? a.getArrayItem(2) :
		    OH::newNull();
		double v;
		if (y.getValueAsNumber(v)) {
			double x0, y0, x1, y1;
			w->second.fm.transform(0, v, x0, y0);
			w->second.cm.transform(x0, y0, x1, y1);
			if (y1 < top)
				top = y1;
		}
	}
	OH out = OH::newArray();
	out.appendItem(dpage);
	out.appendItem(OH::newName("/FitH"));
	out.appendItem(OH::newReal(top, 2));
	return out;
}

/*
 * Where a page actually draws, roughly, in its own user space: paths,
 * images, forms, and text (glyphs 0.6 em wide, from 0.25 em below to
 * 0.9 em above the baseline: generous, so a page is never thought to
 * have a margin it lacks). A shading fill or anything unusual makes the
 * extent unknown. Used to keep a page at its own size when the stamp
 * and footer bands are free, and to shrink it slightly when not.
 */
class Extent : public QPDFObjectHandle::ParserCallbacks {
public:
	explicit Extent(OH xobjects) : xobjects(xobjects) {}
	double x0 = 1e30, y0 = 1e30, x1 = -1e30, y1 = -1e30;
	bool unknown = false;

	void handleObject(OH o) override
	{
		if (o.isInlineImage()) {
			square(ctm);
			return;
		}
		if (!o.isOperator()) {
			ops.push_back(o);
			return;
		}
		op(o.getOperatorValue());
		ops.clear();
	}
	void handleEOF() override {}

private:
	OH xobjects;
	std::vector<OH> ops;
	std::vector<QPDFMatrix> stack;
	QPDFMatrix ctm, tm, tlm;
	double fs = 0, leading = 0, tz = 1;
	double px0 = 1e30, py0 = 1e30, px1 = -1e30, py1 = -1e30;

	double num(size_t i)
	{
		double v = 0;
		if (i < ops.size() && ops[i].getValueAsNumber(v))
			return v;
		return 0;
	}
	void add(QPDFMatrix const &m, double x, double y)
	{
		double a, b;
		m.transform(x, y, a, b);
		x0 = std::min(x0, a);
		y0 = std::min(y0, b);
		x1 = std::max(x1, a);
		y1 = std::max(y1, b);
	}
	void pt(double x, double y)
	{
		double a, b;
		ctm.transform(x, y, a, b);
		px0 = std::min(px0, a);
		py0 = std::min(py0, b);
		px1 = std::max(px1, a);
		py1 = std::max(py1, b);
	}
	void rect(QPDFMatrix const &m, double a, double b, double c, double d)
	{
		add(m, a, b);
		add(m, c, b);
		add(m, a, d);
		add(m, c, d);
	}
	void square(QPDFMatrix const &m) { rect(m, 0, 0, 1, 1); }
	void show(double n)
	{
		if (n <= 0)
			return;
		double w = 0.6 * fs * n * tz;
		QPDFMatrix trm = ctm;
		trm.concat(tm);
		rect(trm, 0, -0.25 * fs, w, 0.9 * fs);
		tm.concat(QPDFMatrix(1, 0, 0, 1, w, 0));
	}
	void next_line(double tx, double ty)
	{
		tlm.concat(QPDFMatrix(1, 0, 0, 1, tx, ty));
		tm = tlm;
	}
	void op(std::string const &op)
	{
		if (op == "q")
			stack.push_back(ctm);
		else if (op == "Q") {
			if (!stack.empty()) {
				ctm = stack.back();
				stack.pop_back();
			}
		} else if (op == "cm")
			ctm.concat(QPDFMatrix(num(0), num(1), num(2), num(3),
			    num(4), num(5)));
		else if (op == "BT")
			tm = tlm = QPDFMatrix();
		else if (op == "Tf")
			fs = std::fabs(num(1));
		else if (op == "TL")
			leading = num(0);
		else if (op == "Tz")
			tz = num(0) / 100;
		else if (op == "Td")
			next_line(num(0), num(1));
		else if (op == "TD") {
			leading = -num(1);
			next_line(num(0), num(1));
		} else if (op == "Tm")
			tm = tlm = QPDFMatrix(num(0), num(1), num(2), num(3),
			    num(4), num(5));
		else if (op == "T*")
			next_line(0, -leading);
		else if (op == "Tj" || op == "'" || op == "\"") {
			if (op != "Tj")
				next_line(0, -leading);
			if (!ops.empty() && ops.back().isString())
				show((double)ops.back().getStringValue().size());
		} else if (op == "TJ") {
			if (!ops.empty() && ops.back().isArray()) {
				double n = 0;
				for (auto &it : ops.back().getArrayAsVector())
					if (it.isString())
						n += (double)it.getStringValue().size();
				show(n);
			}
		} else if (op == "m" || op == "l")
			pt(num(0), num(1));
		else if (op == "c") {
			pt(num(0), num(1));
			pt(num(2), num(3));
			pt(num(4), num(5));
		} else if (op == "v" || op == "y") {
			pt(num(0), num(1));
			pt(num(2), num(3));
		} else if (op == "re") {
			pt(num(0), num(1));
			pt(num(0) + num(2), num(1) + num(3));
		} else if (op == "S" || op == "s" || op == "f" || op == "F" ||
		    op == "f*" || op == "B" || op == "B*" || op == "b" ||
		    op == "b*" || op == "n") {
			if (op != "n" && px0 <= px1) {
				/* Half the widest usual stroke. */
				x0 = std::min(x0, px0 - 2);
				y0 = std::min(y0, py0 - 2);
				x1 = std::max(x1, px1 + 2);
				y1 = std::max(y1, py1 + 2);
			}
			px0 = py0 = 1e30;
			px1 = py1 = -1e30;
		} else if (op == "Do") {
			OH xo = !ops.empty() && ops.back().isName() &&
			    xobjects.isDictionary() ?
			    xobjects.getKey(ops.back().getName()) : OH::newNull();
			if (!xo.isStream()) {
				unknown = true;
				return;
			}
			OH d = xo.getDict();
			if (d.getKey("/Subtype").isNameAndEquals("/Form") &&
			    d.getKey("/BBox").isRectangle()) {
				QPDFMatrix m = ctm;
				if (d.getKey("/Matrix").isMatrix())
					m.concat(QPDFMatrix(
					    d.getKey("/Matrix").getArrayAsMatrix()));
				OH::Rectangle r = d.getKey("/BBox").getArrayAsRectangle();
				rect(m, r.llx, r.lly, r.urx, r.ury);
			} else
				square(ctm);
		} else if (op == "sh")
			unknown = true;
	}
};

/* Outline items in preorder. */
void
preorder(OH item, std::vector<OH> &out, int depth)
{
	for (int guard = 0; item.isDictionary() && guard < 100000 &&
	    depth < 32; guard++) {
		out.push_back(item);
		preorder(item.getKey("/First"), out, depth + 1);
		item = item.getKey("/Next");
	}
}

/* Copy the source outline items under parent (a dossier outline item);
 * returns the number of direct kids made. */
int
graft(QPDF &dst, source &src, OH parent,
    std::vector<QPDFOutlineObjectHelper> kids, OH fallback,
    int fallback_page, std::map<int, placed> const &where,
    std::vector<QPDFPageObjectHelper> &dpages, int depth)
{
	OH prev = OH::newNull();
	int made = 0;
	for (auto &k : kids) {
		if (depth > 16 || made > 5000)
			break;
		OH item = dst.makeIndirectObject(OH::newDictionary());
		item.replaceKey("/Parent", parent);
		OH d = k.getDest();
		if (d.isNull()) {
			OH a = k.getObjectHandle().getKey("/A");
			if (a.isDictionary() && a.getKey("/S").isName() &&
			    a.getKey("/S").getName() == "/GoTo")
				d = a.getKey("/D");
		}
		int page = fallback_page;
		OH nd = d.isNull() ? OH::newNull() :
		    map_dest(src, d, where, dpages, &page);
		if (nd.isNull())
			page = fallback_page;
		item.replaceKey("/Dest", nd.isNull() ? fallback : nd);
		/* Like every bookmark of the dossier, it ends with its page
		 * ("Article 7 (p. 94)"). */
		item.replaceKey("/Title", OH::newUnicodeString(k.getTitle() +
		    (page >= 0 ? " (p. " + std::to_string(page + 1) + ")" :
		    std::string())));
		if (prev.isNull())
			parent.replaceKey("/First", item);
		else {
			prev.replaceKey("/Next", item);
			item.replaceKey("/Prev", prev);
		}
		parent.replaceKey("/Last", item);
		prev = item;
		made++;
		std::vector<QPDFOutlineObjectHelper> sk = k.getKids();
		/* Closed: /Count is minus the number of direct kids. */
		if (graft(dst, src, item, sk, fallback, fallback_page, where,
		    dpages, depth + 1) > 0)
			item.replaceKey("/Count",
			    OH::newInteger(-(long long)sk.size()));
	}
	return made;
}

/* The whole file; throws std::runtime_error when it cannot be read. */
std::string
read_file(const char *path)
{
	std::ifstream f(path, std::ios::binary);
	std::ostringstream ss;
	ss << f.rdbuf();
	if (!f)
		throw std::runtime_error(std::string("cannot read ") + path);
	return ss.str();
}

} // namespace

extern "C" int
pdfpages_apply(const char *in, const char *out,
    const struct pdfpages_item *items, size_t n, char *err, size_t errlen)
{
	std::string where_now = in;
	try {
		/* Read from memory: from a file, libqpdf seeks before
		 * nearly every token (millions of lseek calls on a large
		 * dossier). The buffer must outlive dst. */
		std::string dst_bytes = read_file(in);
		QPDF dst;
		dst.processMemoryFile(in, dst_bytes.data(), dst_bytes.size());
		QPDFPageDocumentHelper dpdh(dst);
		std::vector<QPDFPageObjectHelper> dpages = dpdh.getAllPages();
		std::map<std::string, source> srcs;
		/* per file: source page -> where it went */
		std::map<std::string, std::map<int, placed>> where;
		std::vector<std::pair<size_t, QPDFMatrix>> done;

		for (size_t i = 0; i < n; i++) {
			const struct pdfpages_item *it = &items[i];
			where_now = it->path;
			source &src = srcs[it->path];
			if (!src.q) {
				src.q.reset(new QPDF());
				src.q->setSuppressWarnings(true);
				src.q->processFile(it->path);
				QPDFPageDocumentHelper spdh(*src.q);
				spdh.pushInheritedAttributesToPage();
				src.pages = spdh.getAllPages();
				/* Links are rebuilt below; the other annotations
				 * (comments, stamps, form fields) are drawn into
				 * the page, as a printed copy shows them. */
				for (auto &pg : src.pages) {
					std::vector<OH> l;
					for (auto &a : pg.getAnnotations("/Link"))
						l.push_back(a.getObjectHandle());
					src.links.push_back(l);
				}
				spdh.flattenAnnotations();
				for (size_t k = 0; k < src.pages.size(); k++)
					src.index[src.pages[k].getObjectHandle()
					    .getObjGen()] = (int)k;
			}
			if (it->src_page < 0 ||
			    (size_t)it->src_page >= src.pages.size() ||
			    it->page < 0 || (size_t)it->page >= dpages.size()) {
				std::snprintf(err, errlen, "%s: page %d is not in "
				    "the file (it changed since it was read)",
				    it->path, it->src_page + 1);
				return -1;
			}
			QPDFPageObjectHelper &sp = src.pages[(size_t)it->src_page];
			QPDFPageObjectHelper &dp = dpages[(size_t)it->page];
			OH fo = sp.getFormXObjectForPage(true);
			/* Clip to what a reader shows: CropBox within
			 * MediaBox (getFormXObjectForPage uses the TrimBox). */
			fo.getDict().replaceKey("/BBox", rect_array(it->box[0],
			    it->box[1], it->box[2], it->box[3]));
			OH dfo = dst.copyForeignObject(fo);
			OH dpo = dp.getObjectHandle();
			OH res = dpo.getKey("/Resources");
			if (!res.isDictionary()) {
				res = OH::newDictionary();
				dpo.replaceKey("/Resources", res);
			}
			OH xo = res.getKey("/XObject");
			if (!xo.isDictionary()) {
				xo = OH::newDictionary();
				res.replaceKey("/XObject", xo);
			}
			int suffix = 0;
			std::string name = res.getUniqueResourceName("/Ex", suffix);
			xo.replaceKey(name, dfo);
			/* At its own size over the whole page when what it
			 * draws leaves the stamp and footer bands free; else
			 * shrunk into the space between them. */
			OH::Rectangle band(it->rect[0], it->rect[1], it->rect[2],
			    it->rect[3]);
			OH::Rectangle full = dp.getMediaBox().getArrayAsRectangle();
			OH::Rectangle target = band;
			Extent ext(sp.getObjectHandle().getKey("/Resources")
			    .isDictionary() ? sp.getObjectHandle()
			    .getKey("/Resources").getKey("/XObject") :
			    OH::newNull());
			try {
				sp.parseContents(&ext);
			} catch (std::exception &) {
				ext.unknown = true;	/* shrink: the safe side */
			}
			if (!ext.unknown) {
				QPDFMatrix fm0;
				OH m0 = fo.getDict().getKey("/Matrix");
				if (m0.isMatrix())
					fm0 = QPDFMatrix(m0.getArrayAsMatrix());
				QPDFMatrix cm0 = dp.getMatrixForFormXObjectPlacement(
				    dfo, full, true, true, false);
				cm0.concat(fm0);
				/* Drawn within the visible box only. */
				double ex0 = std::max(ext.x0, it->box[0]);
				double ey0 = std::max(ext.y0, it->box[1]);
				double ex1 = std::min(ext.x1, it->box[2]);
				double ey1 = std::min(ext.y1, it->box[3]);
				if (ex0 > ex1 || ey0 > ey1)
					target = full;	/* nothing visible */
				else {
					OH::Rectangle e = cm0.transformRectangle(
					    OH::Rectangle(ex0, ey0, ex1, ey1));
					if (e.lly >= band.lly && e.ury <= band.ury)
						target = full;
				}
			}
			QPDFMatrix cm;
			std::string content = dp.placeFormXObject(dfo, name,
			    target, cm, true, true, false);
			/* Under the stamp and footer libharu drew. */
			dp.addPageContents(OH::newStream(&dst, content), true);
			placed pl;
			pl.page = it->page;
			OH m = fo.getDict().getKey("/Matrix");
			if (m.isMatrix())
				pl.fm = QPDFMatrix(m.getArrayAsMatrix());
			pl.cm = cm;
			where[it->path][it->src_page] = pl;
		}

		/* Links, once every page is in place (a link may point
		 * forward). */
		for (size_t i = 0; i < n; i++) {
			const struct pdfpages_item *it = &items[i];
			where_now = it->path;
			source &src = srcs[it->path];
			placed const &pl = where[it->path][it->src_page];
			QPDFPageObjectHelper &dp = dpages[(size_t)it->page];
			OH dpo = dp.getObjectHandle();
			for (OH ad : src.links[(size_t)it->src_page]) {
				OH r = ad.getKey("/Rect");
				if (!r.isRectangle())
					continue;
				OH::Rectangle rr = pl.cm.transformRectangle(
				    pl.fm.transformRectangle(
				    r.getArrayAsRectangle()));
				OH link = OH::newDictionary();
				link.replaceKey("/Type", OH::newName("/Annot"));
				link.replaceKey("/Subtype", OH::newName("/Link"));
				link.replaceKey("/Rect", OH::newArray(rr));
				link.replaceKey("/Border", OH::parse("[0 0 0]"));
				OH a = ad.getKey("/A");
				OH s = a.isDictionary() ? a.getKey("/S") :
				    OH::newNull();
				if (s.isName() && s.getName() == "/URI" &&
				    a.getKey("/URI").isString()) {
					OH na = OH::newDictionary();
					na.replaceKey("/S", OH::newName("/URI"));
					na.replaceKey("/URI", OH::newString(
					    a.getKey("/URI").getStringValue()));
					link.replaceKey("/A", na);
				} else {
					OH d = ad.getKey("/Dest");
					if (d.isNull() && s.isName() &&
					    s.getName() == "/GoTo")
						d = a.getKey("/D");
					OH nd = d.isNull() ? d : map_dest(src, d,
					    where[it->path], dpages);
					if (nd.isNull())
						continue;	/* outside the exhibit */
					link.replaceKey("/Dest", nd);
				}
				link.replaceKey("/P", dpo);
				OH annots = dpo.getKey("/Annots");
				if (!annots.isArray()) {
					annots = OH::newArray();
					dpo.replaceKey("/Annots", annots);
				}
				annots.appendItem(dst.makeIndirectObject(link));
			}
		}

		/* The exhibit's own outline beneath its bookmark. */
		std::vector<OH> outline;
		OH ol = dst.getRoot().getKey("/Outlines");
		if (ol.isDictionary())
			preorder(ol.getKey("/First"), outline, 0);
		for (size_t i = 0; i < n; i++) {
			const struct pdfpages_item *it = &items[i];
			if (it->outline < 0 || (size_t)it->outline >= outline.size())
				continue;
			where_now = it->path;
			source &src = srcs[it->path];
			QPDFOutlineDocumentHelper soh(*src.q);
			if (!soh.hasOutlines())
				continue;
			OH mark = outline[(size_t)it->outline];
			if (mark.hasKey("/First"))
				continue;	/* not the item we expect */
			OH fallback = mark.getKey("/Dest");
			int fallback_page = -1;
			if (fallback.isArray() && fallback.getArrayNItems() > 0)
				for (size_t k = 0; k < dpages.size(); k++)
					if (dpages[k].getObjectHandle().getObjGen() ==
					    fallback.getArrayItem(0).getObjGen())
						fallback_page = (int)k;
			std::vector<QPDFOutlineObjectHelper> top =
			    soh.getTopLevelOutlines();
			int made = graft(dst, src, mark, top, fallback,
			    fallback_page, where[it->path], dpages, 0);
			if (made)
				mark.replaceKey("/Count", OH::newInteger(-made));
		}

		where_now = out;
		QPDFWriter w(dst, out);
		w.setStreamDataMode(qpdf_s_preserve);
		/* No random /ID: one derived from the content. */
		w.setDeterministicID(true);
		w.write();
		return 0;
	} catch (std::exception &e) {
		std::snprintf(err, errlen, "cannot put the pages of %s into the "
		    "dossier: %s", where_now.c_str(), e.what());
		return -1;
	}
}
